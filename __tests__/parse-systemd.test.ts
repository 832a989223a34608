import { parseEnvironment, parseUnit, unitValues, valueLoc, valuePosition } from '../src/parse/systemd.js';

const F = 'deploy/gunicorn.service';

/** The source text covered by a 1-based span on a single line. */
function at(text: string, line: number, column: number, endColumn: number): string {
  return text.split(/\r?\n/)[line - 1].slice(column - 1, endColumn - 1);
}

describe('parseUnit', () => {
  const unit = [
    '# managed by ansible', // 1
    '[Unit]', // 2
    'Description=gunicorn daemon', // 3
    '', // 4
    '[Service]', // 5
    '; a comment', // 6
    'User = www-data', // 7
    'WorkingDirectory=/srv/app', // 8
    'Environment="DJANGO_SETTINGS_MODULE=proj.settings.prod" DEBUG=0', // 9
    'ExecStartPre=/srv/venv/bin/python manage.py collectstatic --noinput', // 10
    'ExecStart=/srv/venv/bin/gunicorn \\', // 11
    '    --workers 3 \\', // 12
    '# dropped comment inside the continuation', // 13
    '    proj.wsgi:application', // 14
    'EnvironmentFile=-/etc/app/env', // 15
    '', // 16
    '[Install]', // 17
    'WantedBy=multi-user.target', // 18
  ].join('\n');

  test('sections, keys, values with positions', () => {
    const u = parseUnit(unit, F);
    expect(u.issues).toEqual([]);
    expect(u.sections.map((s) => [s.name, s.loc.line])).toEqual([
      ['Unit', 2],
      ['Service', 5],
      ['Install', 17],
    ]);
    const svc = u.sections[1];
    expect(svc.entries.map((e) => e.key)).toEqual(['User', 'WorkingDirectory', 'Environment', 'ExecStartPre', 'ExecStart', 'EnvironmentFile']);
    const user = svc.entries[0];
    expect(user.value).toBe('www-data');
    expect(user.valueLoc).toEqual({ file: F, line: 7, column: 8, endLine: 7, endColumn: 16 });
    expect(user.loc).toEqual({ file: F, line: 7, column: 1, endLine: 7, endColumn: 16 });
    expect(unitValues(u, 'Service', 'EnvironmentFile')[0].value).toBe('-/etc/app/env');
  });

  test('a continued value: joined with spaces, comment line dropped, positions per piece', () => {
    const u = parseUnit(unit, F);
    const [exec] = unitValues(u, 'Service', 'ExecStart');
    expect(exec.value).toBe('/srv/venv/bin/gunicorn --workers 3 proj.wsgi:application');
    expect(exec.valueBase).toEqual({ line: 11, column: 11 });
    expect(exec.valueLoc).toEqual({ file: F, line: 11, column: 11, endLine: 14, endColumn: 26 });
    expect(exec.loc).toMatchObject({ line: 11, column: 1, endLine: 14, endColumn: 26 });
    // Map a word of the joined value back to the source.
    const off = exec.value.indexOf('proj.wsgi');
    expect(valuePosition(exec, off)).toEqual({ line: 14, column: 5 });
    const l = valueLoc(exec, off, off + 'proj.wsgi:application'.length);
    expect(l).toEqual({ file: F, line: 14, column: 5, endLine: 14, endColumn: 26 });
    expect(at(unit, l.line, l.column, l.endColumn)).toBe('proj.wsgi:application');
    const w = exec.value.indexOf('--workers');
    expect(valueLoc(exec, w, w + 9)).toEqual({ file: F, line: 12, column: 5, endLine: 12, endColumn: 14 });
  });

  test('CRLF line endings and tabs', () => {
    const text = '[Service]\r\n\tExecStart=\t/usr/bin/gunicorn \\\r\n\t\tproj.wsgi\r\n';
    const u = parseUnit(text, F);
    expect(u.issues).toEqual([]);
    const [e] = unitValues(u, 'Service', 'ExecStart');
    expect(e.value).toBe('/usr/bin/gunicorn proj.wsgi');
    expect(e.valueBase).toEqual({ line: 2, column: 13 });
    expect(e.valueLoc).toEqual({ file: F, line: 2, column: 13, endLine: 3, endColumn: 12 });
    expect(e.loc.column).toBe(2);
  });

  test('unitValues: repeated keys in order, an empty assignment resets, sections merge', () => {
    const text = [
      '[Service]',
      'ExecStartPre=/bin/a',
      'ExecStartPre=',
      'ExecStartPre=/bin/b',
      '[Unit]',
      'Description=x',
      '[Service]',
      'ExecStartPre=/bin/c',
    ].join('\n');
    const u = parseUnit(text, F);
    expect(unitValues(u, 'Service', 'ExecStartPre').map((e) => [e.value, e.loc.line])).toEqual([
      ['/bin/b', 4],
      ['/bin/c', 8],
    ]);
    expect(unitValues(u, 'Service', 'ExecStart')).toEqual([]);
    // Keys and sections are case-sensitive in systemd.
    expect(unitValues(u, 'service', 'ExecStartPre')).toEqual([]);
    const empty = u.sections[0].entries[1];
    expect(empty.value).toBe('');
    expect(empty.valueLoc).toEqual({ file: F, line: 3, column: 14, endLine: 3, endColumn: 14 });
  });

  test.each([
    ['assignment outside a section', 'ExecStart=/bin/x\n[Service]\n', 1, 1, 17, /outside of any section/],
    ['line without =', '[Service]\nExecStart /bin/x\n', 2, 1, 17, /missing '='/],
    ['malformed header', '[Service\nExecStart=/bin/x\n', 1, 1, 9, /malformed section header/],
    ['empty key', '[Service]\n  =x\n', 2, 3, 4, /empty key/],
  ])('malformed: %s', (_label, text, line, column, endColumn, msg) => {
    const u = parseUnit(text, F);
    expect(u.issues.length).toBeGreaterThanOrEqual(1);
    expect(u.issues[0].message).toMatch(msg);
    expect(u.issues[0].loc).toEqual({ file: F, line, column, endLine: line, endColumn });
  });

  test('entries after a malformed header are not attributed to the previous section', () => {
    const u = parseUnit('[Unit]\nA=1\n[Service\nExecStart=/bin/x\n', F);
    expect(u.sections[0].entries.map((e) => e.key)).toEqual(['A']);
    expect(u.issues.map((i) => i.loc.line)).toEqual([3, 4]);
  });

  test('empty file: no sections, no issues (systemd accepts it)', () => {
    expect(parseUnit('', F)).toEqual({ sections: [], issues: [] });
  });
});

describe('parseEnvironment', () => {
  test('quoted and unquoted assignments with their spans', () => {
    const text = '[Service]\nEnvironment="DJANGO_SETTINGS_MODULE=proj.settings" DEBUG=0 \'GREETING=hello world\' notanassignment\n';
    const u = parseUnit(text, F);
    const [e] = unitValues(u, 'Service', 'Environment');
    const env = parseEnvironment(e);
    expect(env.map((x) => [x.name, x.value])).toEqual([
      ['DJANGO_SETTINGS_MODULE', 'proj.settings'],
      ['DEBUG', '0'],
      ['GREETING', 'hello world'],
    ]);
    expect(env[1].loc).toEqual({ file: F, line: 2, column: 52, endLine: 2, endColumn: 59 });
    expect(at(text, 2, env[1].loc.column, env[1].loc.endColumn)).toBe('DEBUG=0');
    expect(at(text, 2, env[0].loc.column, env[0].loc.endColumn)).toBe('"DJANGO_SETTINGS_MODULE=proj.settings"');
    expect(at(text, 2, env[2].loc.column, env[2].loc.endColumn)).toBe("'GREETING=hello world'");
  });

  test('escapes inside double quotes and across continuation lines', () => {
    const text = '[Service]\nEnvironment="A=say \\"hi\\"" \\\n  B=2\n';
    const [e] = unitValues(parseUnit(text, F), 'Service', 'Environment');
    const env = parseEnvironment(e);
    expect(env.map((x) => [x.name, x.value])).toEqual([
      ['A', 'say "hi"'],
      ['B', '2'],
    ]);
    expect(env[1].loc).toEqual({ file: F, line: 3, column: 3, endLine: 3, endColumn: 6 });
  });
});
