import { lint } from '../src/engine.js';
import type { Result } from '../src/suppress/result.js';
import type { Target } from '../src/model/types.js';
import { tempRepo } from './temp-repo.js';

function repo(files: Record<string, string>): string {
  return tempRepo(files);
}

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nwhitenoise==6.9.0\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'application = None\n',
  'proj/settings.py': 'STATIC_URL = "static/"\nSTATIC_ROOT = "/srv/static"\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n',
  'docker/Dockerfile':
    'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN python manage.py collectstatic --noinput\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", "0.0.0.0:8000"]\n',
};

const target = (r: Result, id: string): Target | undefined => r.targets.find((t) => t.id === id);
const ends = (t: Target) => t.processes.filter((p) => p.name !== 'build').flatMap((p) => p.servers.map((s) => `${s.server.kind} ${s.server.app}`));

describe('compose extends', () => {
  test('a service extending one in the same file takes its build, environment and command', async () => {
    const r = await lint(
      repo({
        ...DJANGO,
        'docker-compose.prod.yml':
          'services:\n  base:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    environment:\n      A: "1"\n      DEBUG: "0"\n  web:\n    extends: base\n    environment:\n      DEBUG: "1"\n    ports: ["8000:8000"]\n',
      }),
    );
    const web = target(r, 'compose:docker-compose.prod.yml#web')!;
    expect(web.facts.dockerfile?.file).toBe('docker/Dockerfile');
    expect(web.facts.env).toMatchObject({ A: '1', DEBUG: '1', DJANGO_SETTINGS_MODULE: 'proj.settings' });
    expect(ends(web)).toEqual(['gunicorn proj.wsgi']);
    expect(web.collectstatic).not.toBeNull();
    // DEBUG=1 comes from the extending service's own line.
    const debug = r.findings.filter((f) => f.ruleId === 'DPL105' && f.target === web.id);
    expect(debug.map((f) => f.line)).toEqual([12]);
  });

  test('extends from another file: build context relative to that file, command from it', async () => {
    const r = await lint(
      repo({
        ...DJANGO,
        'deploy/common.yml': 'services:\n  app:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n    command: python manage.py runserver 0.0.0.0:8000\n',
        'deploy/docker-compose.production.yml': 'services:\n  web:\n    extends:\n      file: common.yml\n      service: app\n',
      }),
    );
    const web = target(r, 'compose:deploy/docker-compose.production.yml#web')!;
    expect(web.facts.dockerfile?.file).toBe('docker/Dockerfile');
    const f = r.findings.filter((x) => x.ruleId === 'DPL101' && x.target === web.id);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['deploy/common.yml:6']);
  });

  test('an extends cycle is bounded', async () => {
    const r = await lint(repo({ ...DJANGO, 'docker-compose.prod.yml': 'services:\n  a:\n    extends: b\n    command: gunicorn proj.wsgi\n  b:\n    extends: a\n' }));
    const a = target(r, 'compose:docker-compose.prod.yml#a')!;
    const b = target(r, 'compose:docker-compose.prod.yml#b')!;
    // Each side takes what the other has once and stops: a keeps its command, b gets it from a.
    expect(ends(a)).toEqual(['gunicorn proj.wsgi']);
    expect(ends(b)).toEqual(['gunicorn proj.wsgi']);
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.target}`)).toEqual([
      'docker-compose.prod.yml:4 DPL107 compose:docker-compose.prod.yml#a',
      'docker-compose.prod.yml:4 DPL107 compose:docker-compose.prod.yml#b',
    ]);
  });
});

describe('compose base + override files', () => {
  const base =
    'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n    ports: ["8000:8000"]\n';

  test('a partial service of docker-compose.prod.yml runs on the base file’s build', async () => {
    const r = await lint(
      repo({ ...DJANGO, 'docker-compose.yml': base, 'docker-compose.prod.yml': 'services:\n  web:\n    command: gunicorn proj.wsgi:application --bind 127.0.0.1:8000\n' }),
    );
    const web = target(r, 'compose:docker-compose.prod.yml#web')!;
    expect(web.production).toBe(true);
    expect(web.facts.dockerfile?.file).toBe('docker/Dockerfile');
    expect(ends(web)).toEqual(['gunicorn proj.wsgi:application']);
    expect(web.collectstatic).not.toBeNull();
    expect(r.findings.filter((f) => f.target === web.id).map((f) => f.ruleId)).toEqual(['DPL107']);
  });

  test('a prod override that leaves the command alone runs the base command (runserver)', async () => {
    const r = await lint(repo({ ...DJANGO, 'docker-compose.yml': base, 'docker-compose.prod.yml': 'services:\n  web:\n    environment:\n      DJANGO_ENV: production\n' }));
    const web = target(r, 'compose:docker-compose.prod.yml#web')!;
    const f = r.findings.filter((x) => x.ruleId === 'DPL101' && x.target === web.id);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['docker-compose.yml:6']);
  });

  test('a complete service of the prod file is not merged with the base', async () => {
    const r = await lint(
      repo({
        ...DJANGO,
        'docker-compose.yml': base,
        'docker-compose.prod.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    ports: ["80:8000"]\n',
      }),
    );
    const web = target(r, 'compose:docker-compose.prod.yml#web')!;
    expect(ends(web)).toEqual(['gunicorn proj.wsgi']);
    expect(r.findings.filter((x) => x.ruleId === 'DPL101' && x.target === web.id)).toEqual([]);
  });
});
