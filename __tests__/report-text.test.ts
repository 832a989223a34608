import { toText } from '../src/report/text.js';
import { finding, herokuResult, HOSTILE, loc, process_, resolved, result, runnerCommands, target } from './report-factory.js';

describe('toText', () => {
  test('file:line:col, severity, id, message, rule name; fix under it; targets; verdict', () => {
    const text = toText(herokuResult());
    expect(text).toBe(
      [
        'Target Procfile:1 (procfile, production: a Procfile is run by Heroku, Dokku and Scalingo)',
        '    web → runserver  Procfile:1 → runserver',
        '    collectstatic: by the platform (Heroku runs collectstatic at build time)',
        'Procfile:1:6: error DPL101 `python manage.py runserver` is the development server and serves this production target [runserver-in-production]',
        '    fix: run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
        '',
        '✖ 1 error, 0 warnings, 0 notices (1 target) — fails at fail-on: error',
        '',
      ].join('\n'),
    );
  });

  test('no colour codes unless asked; with colour, severity is red', () => {
    expect(toText(herokuResult())).not.toContain('\x1b[');
    const coloured = toText(herokuResult(), { color: true });
    expect(coloured).toContain('\x1b[31merror\x1b[0m');
    expect(coloured).toContain('\x1b[31m✖\x1b[0m');
  });

  test('via chain with the prefix, and the pass line', () => {
    const r = result([finding({ severity: 'warning', via: [{ file: 'Procfile', line: 1 }, { file: 'bin/web', line: 3 }] })]);
    const text = toText(r, { prefix: 'svc', failOn: 'error' });
    expect(text).toContain('svc/Procfile:1:6: warning DPL101');
    expect(text).toContain('    via svc/Procfile:1 → svc/bin/web:3');
    expect(text.trimEnd().split('\n').pop()).toBe('! 0 errors, 1 warning, 0 notices (0 targets)');
    expect(toText(result([]))).toBe('✔ No problems (0 targets checked)\n');
  });

  test.each(HOSTILE)('repo text %j cannot issue a workflow command or break a line', (s) => {
    const r = result([finding({ file: s, message: s, fix: s, via: [{ file: s, line: 1 }] })]);
    const text = toText(r);
    expect(runnerCommands(text)).toEqual([]);
    // 1 finding line + via + fix + blank + verdict + final newline.
    expect(text.split(/\r\n|\n|\r/)).toHaveLength(6);
  });
});

describe('targets in the text report', () => {
  test('the production word is not repeated; a build process shows its commands', () => {
    const build = process_('build', 'build', []);
    build.commands = [resolved('pip install -r requirements.txt', loc('Dockerfile', 5), []), resolved('python manage.py collectstatic --noinput', loc('Dockerfile', 7), [])];
    const t = target({ id: 'dockerfile:Dockerfile', kind: 'dockerfile', file: 'Dockerfile', line: 9, productionReason: 'production: named Dockerfile', processes: [build] });
    const text = toText(result([], [t]));
    expect(text).toContain('Target Dockerfile:9 (dockerfile, production: named Dockerfile)\n');
    expect(text).toContain('    build → 2 commands\n');
    const dev = toText(result([], [{ ...t, production: false, productionReason: 'the file name says local' }]));
    expect(dev).toContain('(dockerfile, development: the file name says local)');
  });
});

describe('chains show each hop once', () => {
  test('consecutive steps on the same line (ENTRYPOINT and CMD, a wrapper) collapse to one', async () => {
    const { uniqueHops } = await import('../src/report/common.js');
    const s = (file: string, line: number) => ({ file, line, text: '', reach: 'cmd' as const });
    expect(uniqueHops([s('Dockerfile', 20), s('Dockerfile', 20), s('Dockerfile', 20), s('run.sh', 3), s('Dockerfile', 20)]).map((x) => `${x.file}:${x.line}`)).toEqual([
      'Dockerfile:20',
      'run.sh:3',
      'Dockerfile:20',
    ]);
  });
});
