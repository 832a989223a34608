import { parseProcfile } from '../src/parse/procfile.js';

const F = 'Procfile';

describe('parseProcfile', () => {
  test('entries with exact name and command spans', () => {
    const text = [
      '# django-deploy-lint: ignore=DPL105 -- reason',
      'web: python manage.py runserver 0.0.0.0:$PORT',
      '',
      'release:\tpython manage.py migrate --noinput   ',
      'celery_worker-1: celery -A proj worker',
    ].join('\n');
    const { entries, issues } = parseProcfile(text, F);
    expect(issues).toEqual([]);
    expect(entries.map((e) => [e.name, e.command, e.line])).toEqual([
      ['web', 'python manage.py runserver 0.0.0.0:$PORT', 2],
      ['release', 'python manage.py migrate --noinput', 4],
      ['celery_worker-1', 'celery -A proj worker', 5],
    ]);
    const web = entries[0];
    expect(web.nameLoc).toEqual({ file: F, line: 2, column: 1, endLine: 2, endColumn: 4 });
    expect(web.commandLoc).toEqual({ file: F, line: 2, column: 6, endLine: 2, endColumn: 46 });
    // `runserver` sits at column 23 of line 2: base column + offset in the command.
    const lines = text.split('\n');
    const col = web.commandLoc.column + web.command.indexOf('runserver');
    expect(col).toBe(23);
    expect(lines[1].slice(col - 1, col - 1 + 'runserver'.length)).toBe('runserver');
    expect(lines[1].slice(web.commandLoc.column - 1, web.commandLoc.endColumn - 1)).toBe(web.command);
    // A tab after the colon and trailing blanks: the span covers the trimmed command only.
    const rel = entries[1];
    expect(rel.commandLoc).toEqual({ file: F, line: 4, column: 10, endLine: 4, endColumn: 44 });
    expect(lines[3].slice(rel.commandLoc.column - 1, rel.commandLoc.endColumn - 1)).toBe(rel.command);
  });

  test.each([
    ['LF', 'web: gunicorn proj.wsgi\nworker: celery worker\n'],
    ['CRLF', 'web: gunicorn proj.wsgi\r\nworker: celery worker\r\n'],
    ['no final newline', 'web: gunicorn proj.wsgi\nworker: celery worker'],
  ])('line endings: %s', (_label, text) => {
    const { entries, issues } = parseProcfile(text, F);
    expect(issues).toEqual([]);
    expect(entries.map((e) => e.command)).toEqual(['gunicorn proj.wsgi', 'celery worker']);
    expect(entries[1].commandLoc).toEqual({ file: F, line: 2, column: 9, endLine: 2, endColumn: 22 });
  });

  test('duplicate process type: the last one wins, with an issue on the duplicate', () => {
    const text = 'web: python manage.py runserver\nworker: celery worker\nweb: gunicorn proj.wsgi\n';
    const { entries, issues } = parseProcfile(text, F);
    expect(entries.map((e) => [e.name, e.command])).toEqual([
      ['worker', 'celery worker'],
      ['web', 'gunicorn proj.wsgi'],
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/duplicate process type 'web'.*line 1.*last definition/);
    expect(issues[0].loc).toEqual({ file: F, line: 3, column: 1, endLine: 3, endColumn: 4 });
  });

  test.each([
    ['garbage line', 'web: gunicorn x\nthis is not a process\n', 2, 1, 22, /unparsable Procfile line/],
    ['indented entry', 'web: gunicorn x\n  worker: celery\n', 2, 3, 17, /indented line/],
    ['invalid name', 'web.1: gunicorn x\n', 1, 1, 18, /unparsable/],
    ['empty command', 'web:   \n', 1, 1, 5, /'web' has no command/],
    ['space before colon', 'web : gunicorn x\n', 1, 1, 17, /unparsable/],
  ])('malformed: %s', (_label, text, line, column, endColumn, msg) => {
    const { issues } = parseProcfile(text, F);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(msg);
    expect(issues[0].loc).toEqual({ file: F, line, column, endLine: line, endColumn });
  });

  test.each([
    ['empty', '', /empty file/],
    ['blank lines only', '\n\n  \r\n', /empty file/],
    ['comments only', '# web: gunicorn\n', /no process types/],
  ])('no entries: %s', (_label, text, msg) => {
    const { entries, issues } = parseProcfile(text, F);
    expect(entries).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(msg);
    expect(issues[0].loc).toMatchObject({ line: 1, column: 1 });
  });

  test('a command containing colons and `#` is kept whole', () => {
    const { entries } = parseProcfile('web: gunicorn -b 0.0.0.0:$PORT proj.wsgi # comment?\n', F);
    expect(entries[0].command).toBe('gunicorn -b 0.0.0.0:$PORT proj.wsgi # comment?');
  });

  test('hostile input stays linear: long runs of blanks', () => {
    const t0 = Date.now();
    const { entries } = parseProcfile(`web:${' '.repeat(200_000)}x${' '.repeat(200_000)}\n`, F);
    expect(entries[0].command).toBe('x');
    expect(entries[0].commandLoc.column).toBe(200_005);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
