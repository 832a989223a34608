import { lint } from '../src/suppress/engine.js';
import { parseGunicornConfig, parseUwsgiIni } from '../src/model/server-config.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { tempRepo } from './temp-repo.js';

beforeAll(async () => {
  await loadGrammars(['python']);
});

function repo(files: Record<string, string>): string {
  return tempRepo(files);
}

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nuWSGI==2.0.28\nwhitenoise==6.9.0\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'application = None\n',
  'proj/settings.py': 'STATIC_URL = "static/"\nSTATIC_ROOT = "/srv/static"\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n',
};

describe('gunicorn config files', () => {
  test('reads module-level literal settings with their positions', () => {
    const c = parseGunicornConfig('wsgi_app = "proj.wsgi:application"\nbind = ["0.0.0.0:8000", "unix:/run/a.sock"]\nreload = True\nworker_class = \'gthread\'\n', 'g.py');
    expect(c.wsgi_app?.value).toEqual({ kind: 'str', value: 'proj.wsgi:application' });
    expect(c.wsgi_app?.loc).toMatchObject({ file: 'g.py', line: 1, column: 12 });
    expect(c.bind?.value).toEqual({ kind: 'list', value: ['0.0.0.0:8000', 'unix:/run/a.sock'] });
    expect(c.reload?.value).toEqual({ kind: 'bool', value: true });
    expect(c.worker_class?.value).toEqual({ kind: 'str', value: 'gthread' });
  });

  test('environment reads, branches, star imports and tuple targets are unknown', () => {
    const c = parseGunicornConfig(
      'import os\nbind = "0.0.0.0:" + os.environ["PORT"]\nif os.environ.get("DEV"):\n    reload = True\nchdir = "/srv"\nfrom base import *\nwsgi_app, x = "a.wsgi", 1\npythonpath = f"{x}/src"\n',
      'g.py',
    );
    expect(c.bind?.value.kind).toBe('unknown');
    expect(c.reload?.value.kind).toBe('unknown');
    expect(c.chdir?.value.kind).toBe('unknown'); // a star import after it may replace it
    expect(c.wsgi_app?.value.kind).toBe('unknown');
    expect(c.pythonpath?.value.kind).toBe('unknown');
  });

  test('assignments inside functions are locals; the last module-level one wins', () => {
    const c = parseGunicornConfig('def on_starting(server):\n    reload = True\nbind = "127.0.0.1:1"\nbind = "0.0.0.0:2"\n', 'g.py');
    expect(c.reload).toBeUndefined();
    expect(c.bind?.value).toEqual({ kind: 'str', value: '0.0.0.0:2' });
    expect(c.bind?.loc.line).toBe(4);
  });

  test('a broken file never throws', () => {
    expect(() => parseGunicornConfig('bind = (\nreload = = True\n\x00', 'g.py')).not.toThrow();
  });

  test('the implicit gunicorn.conf.py of the working directory feeds DPL104 and DPL105', async () => {
    const dir = repo({
      ...DJANGO,
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python manage.py collectstatic --noinput\nEXPOSE 8000\nCMD ["gunicorn"]\n',
      'gunicorn.conf.py': 'wsgi_app = "missing.wsgi"\nbind = "0.0.0.0:8000"\nreload = True\n',
    });
    const r = await lint(dir);
    const s = r.targets[0].processes.find((p) => p.servers.length > 0)!.servers[0].server;
    expect(s.kind).toBe('gunicorn');
    expect(s.app).toBe('missing.wsgi');
    expect(s.appLoc).toMatchObject({ file: 'gunicorn.conf.py', line: 1 });
    expect(s.bind.map((b) => b.value)).toEqual(['0.0.0.0:8000']);
    expect(r.findings.filter((f) => /DPL10[4-7]/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort()).toEqual(['DPL104 gunicorn.conf.py:1', 'DPL105 gunicorn.conf.py:3']);
  });

  test('the implicit file is not used when it is not where the process starts, nor with -c elsewhere', async () => {
    const dir = repo({
      ...DJANGO,
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY proj/ /app/proj/\nCOPY manage.py /app/\nRUN python manage.py collectstatic --noinput\nCMD ["gunicorn", "proj.wsgi"]\n',
      'gunicorn.conf.py': 'reload = True\n',
    });
    const r = await lint(dir);
    expect(r.findings.filter((f) => f.ruleId === 'DPL105')).toEqual([]);
  });

  test('GUNICORN_CMD_ARGS in the environment stops the guess', async () => {
    const dir = repo({
      ...DJANGO,
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nENV GUNICORN_CMD_ARGS="-c other.py"\nRUN python manage.py collectstatic --noinput\nCMD ["gunicorn", "proj.wsgi", "-b", "0.0.0.0:8000"]\n',
      'gunicorn.conf.py': 'reload = True\n',
    });
    const r = await lint(dir);
    expect(r.findings.filter((f) => f.ruleId === 'DPL105')).toEqual([]);
  });
});

describe('uWSGI ini files', () => {
  test('reads the [uwsgi] section: values, flags, placeholders, conditional blocks', () => {
    const e = parseUwsgiIni('[uwsgi]\nmodule = a.wsgi\nmaster\nhttp-socket=:$(PORT)\nif-env = X\nchdir = /x\nendif =\n[other]\nmodule = b\n', 'u.ini');
    expect(e.map((x) => [x.key, x.value, x.dynamic, x.conditional])).toEqual([
      ['module', 'a.wsgi', false, false],
      ['master', null, false, false],
      ['http-socket', ':$(PORT)', true, false],
      ['chdir', '/x', false, true],
    ]);
    expect(e[0].loc).toEqual({ file: 'u.ini', line: 2, column: 10, endLine: 2, endColumn: 16 });
    expect(e[2].loc.column).toBe(13);
  });

  test('a named section is read with file:section', () => {
    const e = parseUwsgiIni('[uwsgi]\nmodule = a\n[prod]\nmodule = b\n', 'u.ini', 'prod');
    expect(e.map((x) => x.value)).toEqual(['b']);
  });

  test('`uwsgi --ini` merges module, socket and autoreload; command-line options win', async () => {
    const dir = repo({
      ...DJANGO,
      Dockerfile: 'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN python manage.py collectstatic --noinput\nCMD ["uwsgi", "--ini", "conf/app.ini:prod", "--module", "proj.wsgi"]\n',
      'conf/app.ini': '[uwsgi]\nmodule = nope.wsgi\n[prod]\nmodule = nope.wsgi\nhttp = 0.0.0.0:8000\npy-autoreload = 3\n',
    });
    const r = await lint(dir);
    const s = r.targets[0].processes.find((p) => p.servers.length > 0)!.servers[0].server;
    expect(s.app).toBe('proj.wsgi');
    expect(s.bind.map((b) => `${b.value}@${b.loc.file}:${b.loc.line}`)).toEqual(['0.0.0.0:8000@conf/app.ini:5']);
    expect(s.options.pyAutoreload).toMatchObject({ value: '3', loc: { file: 'conf/app.ini', line: 6 } });
    expect(r.findings.map((f) => f.ruleId).filter((id) => /DPL10[4-7]/.test(id))).toEqual(['DPL105']);
  });
});
