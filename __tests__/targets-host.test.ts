/** Host-level targets: supervisord programs and uWSGI ini files run by the Emperor. */
import { lint } from '../src/engine.js';
import { parseSupervisord } from '../src/model/supervisord-config.js';
import { isUwsgiIniCandidate } from '../src/model/targets/uwsgi-ini.js';
import type { Result } from '../src/suppress/result.js';
import { tempRepo } from './temp-repo.js';

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'proj/settings.py':
    'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\nSTATIC_URL = "static/"\nSTATIC_ROOT = "staticfiles"\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nuWSGI==2.0.28\nwhitenoise==6.9.0\n',
};

async function run(files: Record<string, string>): Promise<Result> {
  return lint(tempRepo(DJANGO, files));
}

describe('supervisord', () => {
  test('parser: programs, command position, continuation lines, environment, inline comments', () => {
    const r = parseSupervisord(
      '[supervisord]\nnodaemon=true\n\n[program:web]\ncommand = gunicorn proj.wsgi\n    --workers 3 ; comment\nenvironment=A="1,2",B=x\nautostart=false\n[fcgi-program:f]\ncommand=x\n',
      'supervisord.conf',
    );
    expect(r.programs.map((p) => p.name)).toEqual(['web', 'f']);
    const web = r.programs[0];
    expect(web.command?.base).toEqual({ line: 5, column: 11 });
    expect(web.command?.text).toBe('gunicorn proj.wsgi\n    --workers 3 ; comment');
    expect(web.environment.map((e) => `${e.name}=${e.value}`)).toEqual(['A=1,2', 'B=x']);
    expect(web.autostart).toBe(false);
  });

  test('conf.d programs: gunicorn web with %(ENV_PORT)s, celery worker, directory as cwd', async () => {
    const r = await run({
      'etc/supervisor/conf.d/site.conf':
        '[program:site]\ncommand=/srv/venv/bin/gunicorn proj.wsgi --bind 0.0.0.0:%(ENV_PORT)s\ndirectory=/srv/site\n\n[program:jobs]\ncommand=celery -A proj worker\n',
      'deploy.sh': 'python manage.py collectstatic --noinput\n',
    });
    const t = r.targets.find((x) => x.kind === 'supervisord')!;
    expect(t.id).toBe('supervisord:etc/supervisor/conf.d/site.conf');
    expect(t.production).toBe(true);
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['site:web', 'jobs:worker']);
    const s = t.processes[0].servers[0];
    expect(s.server.kind).toBe('gunicorn');
    expect(s.at.cwd).toBe('/srv/site');
    expect(s.server.command.loc).toMatchObject({ file: 'etc/supervisor/conf.d/site.conf', line: 2, column: 9 });
    expect(r.findings).toEqual([]);
  });

  test('runserver is DPL101; relative scripts are read from the conf folder; files without programs are not targets', async () => {
    const r = await run({
      'supervisord.conf': '[program:web]\ncommand=./start.sh\n',
      'start.sh': '#!/bin/sh\nexec python manage.py runserver 0.0.0.0:8000\n',
      'other/supervisord.conf': '[supervisord]\nnodaemon=true\n',
    });
    expect(r.targets.filter((t) => t.kind === 'supervisord').map((t) => t.id)).toEqual(['supervisord:supervisord.conf']);
    const f = r.findings.find((x) => x.ruleId === 'DPL101')!;
    expect(`${f.file}:${f.line}`).toBe('start.sh:2');
    expect(f.via.map((v) => `${v.file}:${v.line}`)).toEqual(['supervisord.conf:2']);
  });

  test('a dev path is development', async () => {
    const r = await run({ 'docker/dev/supervisord.conf': '[program:web]\ncommand=python manage.py runserver\n' });
    expect(r.targets.find((t) => t.kind === 'supervisord')?.production).toBe(false);
    expect(r.findings.filter((f) => f.ruleId === 'DPL101')).toEqual([]);
  });
});

describe('uWSGI ini', () => {
  test('candidates: ini files that are not other tools\' configuration', () => {
    expect(isUwsgiIniCandidate('deploy/uwsgi.ini')).toBe(true);
    expect(isUwsgiIniCandidate('etc/vassals/site.ini')).toBe(true);
    expect(isUwsgiIniCandidate('deploy/site.ini')).toBe(false);
    expect(isUwsgiIniCandidate('setup.ini')).toBe(false);
    expect(isUwsgiIniCandidate('tox.ini')).toBe(false);
    expect(isUwsgiIniCandidate('pytest.ini')).toBe(false);
  });

  test('on its own (Emperor): module, binds and static-map from the ini with positions', async () => {
    const r = await run({
      'deploy/vassals/site.ini': '[uwsgi]\nmodule = proj.wsgi:application\nhttp = 127.0.0.1:8000\nstatic-map = /static=/srv/site/staticfiles\n',
      'deploy/deploy.sh': 'python manage.py collectstatic --noinput\n',
    });
    const t = r.targets.find((x) => x.kind === 'uwsgi-ini')!;
    expect(t.production).toBe(true);
    const s = t.processes[0].servers[0].server;
    expect(s.kind).toBe('uwsgi');
    expect(s.app).toBe('proj.wsgi:application');
    expect(s.appLoc).toMatchObject({ file: 'deploy/vassals/site.ini', line: 2, column: 10 });
    expect(s.options.staticMap?.loc.line).toBe(4);
  });

  test('an ini another target loads is not a target of its own', async () => {
    const r = await run({ Procfile: 'web: uwsgi --http :$PORT --ini uwsgi.ini\n', 'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\n' });
    expect(r.targets.map((t) => t.kind)).toEqual(['procfile']);
  });

  test('an ini nobody loads beside another production start-up is development', async () => {
    const r = await run({ Procfile: 'web: gunicorn proj.wsgi\n', 'contrib/uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\npy-autoreload = 1\n' });
    const t = r.targets.find((x) => x.kind === 'uwsgi-ini')!;
    expect(t.production).toBe(false);
    expect(t.productionReason).toContain('Procfile');
    expect(r.findings.filter((f) => f.file === 'contrib/uwsgi.ini')).toEqual([]);
  });
});
