/**
 * Inline pragmas (docs/architecture.md, "Configuration and suppressions") in every format the tool reads, and DPL004 unused-suppression for
 * pragmas that name unknown rules, suppress nothing, sit too low or are not understood.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine.js';
import type { Result } from '../src/suppress/result.js';
import { parsePragmas } from '../src/suppress.js';
import { tempRepo } from './temp-repo.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A miniature Django repo (manage.py, proj/ with settings and wsgi, requirements) plus `files`. */
function repo(files: Record<string, string>): string {
  const base: Record<string, string> = {
    'manage.py': fs.readFileSync(path.join(FIXTURES, 'heroku-pragma', 'manage.py'), 'utf8'),
    'proj/__init__.py': '',
    'proj/settings.py': fs.readFileSync(path.join(FIXTURES, 'heroku-pragma', 'proj', 'settings.py'), 'utf8'),
    'proj/wsgi.py': fs.readFileSync(path.join(FIXTURES, 'heroku-pragma', 'proj', 'wsgi.py'), 'utf8'),
    'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nwhitenoise==6.9.0\n',
  };
  return tempRepo(base, files);
}

const ids = (r: Result) => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

describe('parsePragmas', () => {
  test.each([
    ['#', '# django-deploy-lint: ignore=DPL105 -- reason'],
    ['# indented (YAML, nginx blocks)', '    # django-deploy-lint: ignore=DPL105 -- reason'],
    [';', '; django-deploy-lint: ignore=DPL105 -- reason'],
    ['//', '// django-deploy-lint: ignore=DPL105'],
    ['no space, lower case', '#django-deploy-lint:ignore=dpl105'],
  ])('comment style %s', (_name, line) => {
    const { pragmas, bad } = parsePragmas(`${line}\nexec gunicorn --reload\n`);
    expect(bad).toEqual([]);
    expect(pragmas).toHaveLength(1);
    expect(pragmas[0]).toMatchObject({ kind: 'ignore', rules: ['DPL105'], line: 1, target: 2 });
  });

  test('several rules, ignore-file, stacked pragmas cover the first line that is not a pragma', () => {
    const { pragmas } = parsePragmas(
      ['# django-deploy-lint: ignore-file=DPL002,DPL201 -- generated', '# django-deploy-lint: ignore=DPL105', '# django-deploy-lint: ignore=DPL107 -- local', 'CMD gunicorn'].join('\n'),
    );
    expect(pragmas.map((p) => [p.kind, p.rules, p.line, p.target])).toEqual([
      ['ignore-file', ['DPL002', 'DPL201'], 1, 4],
      ['ignore', ['DPL105'], 2, 4],
      ['ignore', ['DPL107'], 3, 4],
    ]);
  });

  test('a mention that is not a pragma is reported as bad, with its column', () => {
    const { pragmas, bad } = parsePragmas('RUN true  # django-deploy-lint: disable=DPL105\n# django-deploy-lint: ignore=\n');
    expect(pragmas).toEqual([]);
    expect(bad.map((b) => [b.line, b.column, b.text])).toEqual([
      [1, 11, '# django-deploy-lint: disable=DPL105'],
      [2, 1, '# django-deploy-lint: ignore='],
    ]);
  });

  test('text that merely names the tool is not a pragma', () => {
    expect(parsePragmas('run django-deploy-lint: it checks\nurl = "https://x/django-deploy-lint"\n')).toEqual({ pragmas: [], bad: [] });
  });
});

describe('pragmas in every format the tool reads', () => {
  const RUNSERVER = 'python manage.py runserver 0.0.0.0:8000';

  test.each([
    ['Procfile', { Procfile: `# django-deploy-lint: ignore=DPL101 -- demo\nweb: ${RUNSERVER.replace('8000', '$PORT')}\n` }],
    ['Dockerfile', { Dockerfile: `FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN python manage.py collectstatic --noinput\n# django-deploy-lint: ignore=DPL101 -- demo image\nCMD ${RUNSERVER}\n` }],
    ['compose YAML', { 'docker-compose.prod.yml': `services:\n  web:\n    image: python:3.12\n    # django-deploy-lint: ignore=DPL101 -- demo\n    command: ${RUNSERVER}\n` }],
    ['systemd (; comment)', { 'deploy/app.service': `[Service]\nWorkingDirectory=/srv/app\n; django-deploy-lint: ignore=DPL101 -- internal tool\nExecStart=/srv/venv/bin/${RUNSERVER}\n[Install]\nWantedBy=multi-user.target\n` }],
    ['shell script', { Procfile: 'web: bin/web\n', 'bin/web': `#!/bin/sh\nset -e\n# django-deploy-lint: ignore=DPL101 -- demo\nexec ${RUNSERVER.replace('8000', '$PORT')}\n` }],
  ])('%s: ignore= on the line before suppresses the finding, and is not reported as unused', async (_name, files) => {
    const dir = repo(files);
    const r = await lint(dir);
    expect(ids(r).filter((x) => /DPL101|DPL004/.test(x))).toEqual([]);
    expect(r.suppressed).toBeGreaterThanOrEqual(1);
    // Without the pragma, the finding is there: the test can fail.
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text.replace(/^.*django-deploy-lint:.*\n/m, ''));
    const bare = await lint(dir);
    expect(ids(bare).some((x) => x.endsWith('DPL101'))).toBe(true);
    expect(bare.suppressed).toBe(0);
  });

  test('ignore-file= in the first 10 lines covers the whole file; below line 10 it is reported', async () => {
    const script = (at: number) =>
      ['#!/bin/sh', ...Array.from({ length: at - 2 }, (_, i) => `# line ${i + 2}`), '# django-deploy-lint: ignore-file=DPL101 -- demo', `exec ${RUNSERVER.replace('8000', '$PORT')}`, ''].join('\n');
    const top = await lint(repo({ Procfile: 'web: bin/web\n', 'bin/web': script(10) }));
    expect(ids(top).filter((x) => /DPL101|DPL004/.test(x))).toEqual([]);
    const low = await lint(repo({ Procfile: 'web: bin/web\n', 'bin/web': script(11) }));
    expect(ids(low).filter((x) => /DPL101|DPL004/.test(x))).toEqual(['bin/web:11 DPL004', 'bin/web:12 DPL101']);
    expect(low.findings.find((f) => f.ruleId === 'DPL004')!.message).toContain('only counts in a file\'s first 10 lines');
  });

  test('pragmas in nginx configs and Python settings are read too (an unknown rule id is reported there)', async () => {
    const settings = fs.readFileSync(path.join(FIXTURES, 'heroku-pragma', 'proj', 'settings.py'), 'utf8');
    const r = await lint(
      repo({
        Procfile: 'web: gunicorn proj.wsgi\n',
        'deploy/nginx.conf': 'server {\n  # django-deploy-lint: ignore=DPL999\n  location /static/ { alias /srv/static/; }\n}\n',
        'proj/settings.py': `# django-deploy-lint: ignore-file=DPL399 -- no such rule\n${settings}`,
      }),
    );
    const dpl004 = r.findings.filter((f) => f.ruleId === 'DPL004');
    expect(dpl004.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.target}`)).toEqual(['deploy/nginx.conf:2:3 notice null', 'proj/settings.py:1:1 notice null']);
    expect(dpl004[0].message).toContain('names `DPL999`, which is not a rule');
    expect(dpl004[1].message).toContain('names `DPL399`');
  });
});

describe('DPL004 unused-suppression', () => {
  test('a pragma that suppresses nothing is a notice at the pragma; one that is used is not', async () => {
    const r = await lint(
      repo({
        Procfile: 'web: bin/web\n',
        'bin/web': '#!/bin/sh\n# django-deploy-lint: ignore=DPL105 -- reload on staging\n# django-deploy-lint: ignore=DPL107\nexec gunicorn proj.wsgi --reload\n',
      }),
    );
    expect(ids(r)).toContain('bin/web:3 DPL004');
    expect(ids(r)).not.toContain('bin/web:2 DPL004');
    expect(ids(r)).not.toContain('bin/web:4 DPL105');
    const f = r.findings.find((x) => x.ruleId === 'DPL004')!;
    expect(f).toMatchObject({ rule: 'unused-suppression', severity: 'notice', column: 1, endLine: 3 });
    expect(f.message).toBe('the pragma `ignore=DPL107` suppresses nothing: `DPL107` reports nothing on line 4; remove the pragma (it would hide a future finding nobody has seen)');
    expect(r.summary.notices).toBeGreaterThanOrEqual(1);
  });

  test('rules: DPL004 off silences it; a level changes its severity; a pragma for a rule that is off is not reported', async () => {
    const files = { Procfile: 'web: gunicorn proj.wsgi\n# django-deploy-lint: ignore=DPL107\n' };
    expect(ids(await lint(repo(files)))).toContain('Procfile:2 DPL004');
    expect(ids(await lint(repo(files), { rules: { DPL004: 'off' } }))).not.toContain('Procfile:2 DPL004');
    expect((await lint(repo(files), { rules: { DPL004: 'warning' } })).findings.find((f) => f.ruleId === 'DPL004')?.severity).toBe('warning');
    expect(ids(await lint(repo(files), { rules: { DPL107: 'off' } }))).not.toContain('Procfile:2 DPL004');
  });

  test('ignore=ALL is used when it suppresses anything', async () => {
    const r = await lint(repo({ Procfile: `# django-deploy-lint: ignore=ALL -- demo app\nweb: python manage.py runserver 0.0.0.0:$PORT\n` }));
    expect(ids(r).filter((x) => x.startsWith('Procfile'))).toEqual([]);
  });

  test('the pragma-formats fixture: used pragmas are silent, the others reported once each', async () => {
    const r = await lint(path.join(FIXTURES, 'pragma-formats'));
    expect(ids(r)).toEqual(['Procfile:1 DPL004', 'bin/web:3 DPL004', 'bin/web:3 DPL004', 'bin/web:5 DPL004', 'proj/settings.py:1 DPL004', 'proj/settings.py:11 DPL004']);
    expect(r.suppressed).toBe(1);
  });
});
