/** DigitalOcean App Platform, Azure App Service and Upsun targets. */
import { lint } from '../src/engine.js';
import { isDigitalOceanSpec } from '../src/model/targets/digitalocean.js';
import { isUpsunConfig } from '../src/model/targets/platform-sh.js';
import type { Result } from '../src/suppress/result.js';
import type { Target } from '../src/model/types.js';
import { tempRepo } from './temp-repo.js';

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'proj/settings.py':
    'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\nSTATIC_URL = "static/"\nSTATIC_ROOT = "staticfiles"\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nwhitenoise==6.9.0\n',
};

async function run(files: Record<string, string>, base: Record<string, string> = DJANGO): Promise<Result> {
  return lint(tempRepo(base, files));
}

const procs = (t: Target | undefined) => t?.processes.map((p) => `${p.name}:${p.role}`);
const server = (t: Target | undefined) => t?.processes.find((p) => p.role === 'web')?.servers[0]?.server.kind;

describe('DigitalOcean App Platform', () => {
  test('file names', () => {
    expect(isDigitalOceanSpec('.do/app.yaml')).toBe(true);
    expect(isDigitalOceanSpec('.do/deploy.template.yaml')).toBe(true);
    expect(isDigitalOceanSpec('app.yaml')).toBe(false);
    expect(isDigitalOceanSpec('.do/other.yaml')).toBe(false);
  });

  test('services, workers and PRE_DEPLOY jobs; the buildpack runs collectstatic unless DISABLE_COLLECTSTATIC', async () => {
    const spec =
      'services:\n  - name: web\n    environment_slug: python\n    build_command: pip install -r requirements.txt\n    run_command: gunicorn proj.wsgi --bind 0.0.0.0:$PORT\n' +
      'workers:\n  - name: celery\n    environment_slug: python\n    run_command: celery -A proj worker\n' +
      'jobs:\n  - name: migrate\n    kind: PRE_DEPLOY\n    run_command: python manage.py migrate --noinput\n' +
      'static_sites:\n  - name: docs\n    build_command: npm run build\n';
    const r = await run({ '.do/app.yaml': spec });
    const ts = r.targets.filter((t) => t.kind === 'digitalocean');
    expect(ts.map((t) => t.id)).toEqual(['digitalocean:.do/app.yaml#web', 'digitalocean:.do/app.yaml#celery', 'digitalocean:.do/app.yaml#migrate']);
    expect(procs(ts[0])).toEqual(['build_command:build', 'web:web']);
    expect(server(ts[0])).toBe('gunicorn');
    expect(procs(ts[1])).toEqual(['celery:worker']);
    expect(procs(ts[2])).toEqual(['migrate:release']);
    expect(ts[0].production).toBe(true);
    expect(ts[0].facts.platformCollectstatic?.reason).toMatch(/Heroku's buildpack/);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const off = await run({ '.do/app.yaml': spec.replace('    build_command: pip', '    envs:\n      - key: DISABLE_COLLECTSTATIC\n        value: "1"\n    build_command: pip') });
    const web = off.targets.find((t) => t.id === 'digitalocean:.do/app.yaml#web');
    expect(web?.facts.platformCollectstatic).toBeUndefined();
    expect(web?.facts.env?.DISABLE_COLLECTSTATIC).toBe('1');
  });

  test('dockerfile_path builds the Dockerfile; run_command replaces its CMD; the Dockerfile is not judged again', async () => {
    const r = await run({
      'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && python manage.py collectstatic --noinput\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
      '.do/app.yaml': 'services:\n  - name: web\n    dockerfile_path: Dockerfile\n    run_command: gunicorn proj.wsgi --bind 0.0.0.0:8080\n',
    });
    const t = r.targets.find((x) => x.kind === 'digitalocean');
    expect(t?.facts.dockerfile?.file).toBe('Dockerfile');
    expect(server(t)).toBe('gunicorn');
    expect(t?.collectstatic).not.toBeNull();
    // The Dockerfile is judged through the app spec; only its own runserver default, which
    // `docker run` still gets, is reported, as a warning (nothing publishes the image).
    expect(r.targets.filter((x) => x.kind === 'dockerfile').map((x) => x.facts.shippedDefault?.overriddenBy)).toEqual([['.do/app.yaml#web']]);
    expect(r.findings.filter((f) => f.ruleId === 'DPL101').map((f) => `${f.file}:${f.line} ${f.severity}`)).toEqual(['Dockerfile:5 warning']);
    expect(r.findings.filter((f) => f.file === 'Dockerfile' && f.ruleId !== 'DPL101')).toEqual([]);
  });

  test('non-Python components and prebuilt images are not targets; broken YAML does not crash', async () => {
    const r = await run({
      '.do/app.yaml': 'services:\n  - name: front\n    environment_slug: node-js\n    run_command: npm start\n  - name: img\n    image:\n      registry_type: DOCR\n      repository: web\n',
    });
    expect(r.targets.filter((t) => t.kind === 'digitalocean')).toEqual([]);
    const bad = await run({ '.do/app.yaml': 'services: [\n  - name: : :\n' });
    expect(bad.targets.filter((t) => t.kind === 'digitalocean')).toEqual([]);
  });
});

describe('Azure App Service', () => {
  test('startup.txt: the start command, Oryx collectstatic, DISABLE_COLLECTSTATIC in infra files', async () => {
    const r = await run({ 'startup.txt': 'gunicorn --bind=0.0.0.0 --timeout 600 proj.wsgi\n' });
    const t = r.targets.find((x) => x.kind === 'azure');
    expect(t?.id).toBe('azure:startup.txt');
    expect(procs(t)).toEqual(['startup:web']);
    expect(server(t)).toBe('gunicorn');
    expect(t?.facts.platformCollectstatic?.reason).toMatch(/Oryx/);
    expect(r.findings.filter((f) => f.ruleId === 'DPL003')).toEqual([]);

    const off = await run({
      'startup.txt': 'gunicorn --bind=0.0.0.0 proj.wsgi\n',
      'infra/main.bicep': "resource web 'Microsoft.Web/sites@2022-03-01' = {\n  properties: { siteConfig: { appSettings: [\n    { name: 'DISABLE_COLLECTSTATIC', value: 'true' }\n  ] } }\n}\n",
    });
    expect(off.targets.find((x) => x.kind === 'azure')?.facts.platformCollectstatic).toBeUndefined();
  });

  test('a startup.txt that starts nothing Django-like is not a target', async () => {
    const r = await run({ 'docs/startup.txt': 'Read the README first.\n' });
    expect(r.targets.filter((t) => t.kind === 'azure')).toEqual([]);
  });

  test('web.config: httpPlatform processPath + arguments; wfastcgi starts no command', async () => {
    const hp =
      '<configuration><system.webServer>\n<httpPlatform processPath="D:\\home\\python364x64\\python.exe" arguments="-m waitress --port=%HTTP_PLATFORM_PORT% proj.wsgi:application" />\n</system.webServer></configuration>\n';
    const r = await run({ 'web.config': hp, 'requirements.txt': 'Django==5.2\nwaitress==3.0\nwhitenoise==6.9.0\n' });
    const t = r.targets.find((x) => x.kind === 'azure');
    expect(t?.id).toBe('azure:web.config');
    expect(t?.line).toBe(2);
    expect(server(t)).toBe('waitress');
    const fcgi = await run({ 'web.config': '<configuration><appSettings><add key="WSGI_HANDLER" value="django.core.wsgi.get_wsgi_application()"/></appSettings></configuration>\n' });
    expect(fcgi.targets.filter((x) => x.kind === 'azure')).toEqual([]);
    const node = await run({ 'web.config': '<configuration><httpPlatform processPath="node.exe" arguments="server.js"/></configuration>\n' });
    expect(node.targets.filter((x) => x.kind === 'azure')).toEqual([]);
  });
});

describe('Upsun', () => {
  test('file names', () => {
    expect(isUpsunConfig('.upsun/config.yaml')).toBe(true);
    expect(isUpsunConfig('.upsun/services.yml')).toBe(true);
    expect(isUpsunConfig('config.yaml')).toBe(false);
  });

  test('one target per Python application; source.root is the app folder; other apps are skipped', async () => {
    const base = Object.fromEntries(Object.entries(DJANGO).map(([k, v]) => [`backend/${k}`, v]));
    const r = await run(
      {
        '.upsun/config.yaml':
          'applications:\n  api:\n    type: "python:3.12"\n    source:\n      root: backend\n    hooks:\n      build: python manage.py collectstatic --noinput\n      deploy: python manage.py migrate\n    web:\n      commands:\n        start: gunicorn proj.wsgi -b 0.0.0.0:$PORT\n' +
          '  front:\n    type: "nodejs:20"\n    web:\n      commands:\n        start: npm start\n',
      },
      base,
    );
    const ts = r.targets.filter((t) => t.kind === 'upsun');
    expect(ts.map((t) => `${t.id}@${t.line}`)).toEqual(['upsun:.upsun/config.yaml#api@2']);
    expect(procs(ts[0])).toEqual(['hooks.build:build', 'hooks.deploy:release', 'api:web']);
    expect(server(ts[0])).toBe('gunicorn');
    expect(ts[0].collectstatic).not.toBeNull();
    const wsgi = ts[0].processes[2].servers[0];
    expect(wsgi.server.kind).toBe('gunicorn');
  });
});
