/**
 * Platform descriptor targets: render.yaml, fly.toml, heroku.yml, app.json. Each test writes a
 * tiny repository and reads the model (targets, processes, servers, positions) through lint().
 */
import { lint } from '../src/engine.js';
import type { Result } from '../src/suppress/result.js';
import type { Target } from '../src/model/types.js';
import { tempRepo } from './temp-repo.js';

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'proj/settings.py':
    'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\nSTATIC_URL = "static/"\nSTATIC_ROOT = "staticfiles"\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nuvicorn==0.30.0\nwhitenoise==6.9.0\n',
};

async function run(files: Record<string, string>): Promise<Result> {
  return lint(tempRepo(DJANGO, files));
}

const byKind = (r: Result, kind: string): Target[] => r.targets.filter((t) => t.kind === kind);
const rules = (r: Result) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN python manage.py collectstatic --noinput\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n';

describe('render.yaml', () => {
  test('a python service: buildCommand script with collectstatic, preDeployCommand, startCommand', async () => {
    const r = await run({
      'render.yaml':
        'services:\n  - type: web\n    name: site\n    runtime: python\n    buildCommand: "./build.sh"\n    preDeployCommand: python manage.py migrate\n    startCommand: gunicorn proj.wsgi:application\n  - type: redis\n    name: cache\n',
      'build.sh': '#!/bin/bash\nset -e\npip install -r requirements.txt\npython manage.py collectstatic --no-input\n',
    });
    const [t] = byKind(r, 'render');
    expect(byKind(r, 'render')).toHaveLength(1);
    expect(t.id).toBe('render:render.yaml#site');
    expect(t.line).toBe(3);
    expect(t.production).toBe(true);
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['buildCommand:build', 'preDeployCommand:release', 'site:web']);
    const web = t.processes[2];
    expect(web.servers[0].server.kind).toBe('gunicorn');
    expect(web.servers[0].server.app).toBe('proj.wsgi:application');
    expect(web.servers[0].server.command.loc).toMatchObject({ file: 'render.yaml', line: 7, column: 19 });
    expect(t.collectstatic?.chain.map((s) => `${s.file}:${s.line}`)).toEqual(['render.yaml:5', 'build.sh:4']);
    expect(t.facts.platformCollectstatic).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  test('Render never runs collectstatic itself: gunicorn without it is DPL201', async () => {
    const r = await run({ 'render.yaml': 'services:\n- type: web\n  name: site\n  env: python\n  buildCommand: pip install -r requirements.txt\n  startCommand: gunicorn proj.wsgi\n' });
    expect(rules(r)).toEqual(['render.yaml:6:17 DPL201']);
  });

  test('runtime docker: dockerfilePath built, dockerCommand replaces CMD, Dockerfile not judged twice', async () => {
    const r = await run({
      'render.yaml': 'services:\n  - type: web\n    name: api\n    runtime: docker\n    dockerfilePath: ./deploy/Dockerfile\n    dockerCommand: python manage.py runserver 0.0.0.0:10000\n',
      'deploy/Dockerfile': DOCKERFILE,
    });
    expect(r.targets.map((t) => t.id)).toEqual(['render:render.yaml#api']);
    const t = r.targets[0];
    expect(t.facts.dockerfile?.file).toBe('deploy/Dockerfile');
    expect(t.collectstatic).not.toBeNull();
    expect(rules(r)).toEqual(['render.yaml:6:20 DPL101']);
  });

  test('a dev path is development; static sites and node services are not targets', async () => {
    const r = await run({
      'examples/render.yaml': 'services:\n  - type: web\n    name: x\n    runtime: python\n    startCommand: python manage.py runserver\n',
      'render.yaml': 'services:\n  - type: web\n    name: front\n    runtime: node\n    startCommand: npm start\n  - type: static\n    name: docs\n    buildCommand: make html\n',
    });
    expect(r.targets.map((t) => `${t.id} ${t.production}`)).toEqual(['render:examples/render.yaml#x false']);
    expect(r.findings.filter((f) => f.ruleId === 'DPL101')).toEqual([]);
  });

  test('rootDir maps the start script to the service folder', async () => {
    const r = await run({
      'render.yaml': 'services:\n  - type: web\n    name: site\n    runtime: python\n    rootDir: backend\n    startCommand: ./start.sh\n',
      'backend/start.sh': '#!/bin/sh\npython manage.py collectstatic --noinput\nexec gunicorn proj.wsgi\n',
    });
    const web = byKind(r, 'render')[0].processes[0];
    expect(web.servers[0].at.chain.map((s) => `${s.file}:${s.line}`)).toEqual(['render.yaml:6', 'backend/start.sh:3']);
  });

  test('broken YAML is DPL001 with its position, and no crash', async () => {
    const r = await run({ 'render.yaml': 'services:\n  - type: web\n    name: [oops\n' });
    expect(r.findings.some((f) => f.ruleId === 'DPL001' && f.file === 'render.yaml')).toBe(true);
  });
});

describe('fly.toml', () => {
  test('[processes] replace CMD, release_command is the release, [http_service] names the web group', async () => {
    const r = await run({
      'fly.toml':
        'app = "site"\n\n[build]\n  dockerfile = "Dockerfile.fly"\n\n[deploy]\n  release_command = "python manage.py migrate"\n\n[processes]\n  web = "uvicorn proj.asgi:application --host 0.0.0.0"\n  jobs = "celery -A proj worker"\n\n[http_service]\n  internal_port = 8000\n  processes = ["web"]\n',
      'Dockerfile.fly': DOCKERFILE,
      'proj/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
    });
    expect(r.targets.map((t) => t.id)).toEqual(['fly:fly.toml']);
    const t = r.targets[0];
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['build:build', 'release_command:release', 'web:web', 'jobs:worker']);
    const web = t.processes[2].servers[0];
    expect(web.server.kind).toBe('uvicorn');
    expect(web.server.command.words[0].loc).toMatchObject({ file: 'fly.toml', line: 10, column: 10 });
    expect(t.collectstatic?.chain[0]).toMatchObject({ file: 'Dockerfile.fly', line: 5 });
    expect(r.findings).toEqual([]);
  });

  test('no [processes]: the Dockerfile CMD runs; [env] DEBUG is seen; [[statics]] serve files', async () => {
    const r = await run({
      'fly.toml': 'app = "site"\n\n[env]\n  DEBUG = "true"\n\n[[statics]]\n  guest_path = "/app/staticfiles"\n  url_prefix = "/static/"\n',
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install gunicorn\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'proj/settings.py': 'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = []\nSTATIC_URL = "static/"\nSTATIC_ROOT = "staticfiles"\n',
    });
    expect(r.targets.map((t) => t.id)).toEqual(['fly:fly.toml']);
    expect(rules(r)).toEqual(['Dockerfile:5:1 DPL201', 'fly.toml:4:11 DPL105']);
  });

  test('an image from a registry: a target with nothing to follow, no findings', async () => {
    const r = await run({ 'fly.toml': 'app = "x"\n[build]\n  image = "org/app:latest"\n' });
    const [t] = byKind(r, 'fly');
    expect(t.processes).toEqual([]);
    expect(t.line).toBe(2);
    expect(r.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
  });

  test('broken TOML is DPL001 at its line', async () => {
    const r = await run({ 'fly.toml': 'app = "x"\n[build\n' });
    const f = r.findings.find((x) => x.ruleId === 'DPL001');
    expect(f).toMatchObject({ file: 'fly.toml', line: 2 });
  });
});

describe('heroku.yml', () => {
  test('build.docker, release command list, run string in a shell', async () => {
    const r = await run({
      'heroku.yml': 'build:\n  docker:\n    web: Dockerfile\nrelease:\n  image: web\n  command:\n    - python manage.py migrate\nrun:\n  web: gunicorn proj.wsgi --bind 0.0.0.0:$PORT\n',
      Dockerfile: DOCKERFILE,
    });
    expect(r.targets.map((t) => t.id)).toEqual(['heroku-yml:heroku.yml']);
    const t = r.targets[0];
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['build:build', 'release:release', 'web:web']);
    expect(t.processes[2].servers[0].server.command.loc).toMatchObject({ line: 9, column: 8 });
    expect(r.findings).toEqual([]);
  });

  test('without run: the image CMD; no buildpack, so no platform collectstatic', async () => {
    const r = await run({
      'heroku.yml': 'build:\n  docker:\n    web:\n      dockerfile: Dockerfile\n',
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install gunicorn\nCMD gunicorn proj.wsgi\n',
    });
    const [t] = byKind(r, 'heroku-yml');
    expect(t.facts.platformCollectstatic).toBeUndefined();
    expect(t.processes[1].servers[0].server.kind).toBe('gunicorn');
    expect(rules(r)).toEqual(['Dockerfile:5:1 DPL201']);
  });
});

describe('app.json', () => {
  test('postdeploy runs as a release script with positions in the JSON string', async () => {
    const r = await run({
      Procfile: 'web: gunicorn proj.wsgi\n',
      'app.json': '{\n  "name": "x",\n  "scripts": {\n    "postdeploy": "python manage.py collectstatic"\n  }\n}\n',
    });
    const [t] = byKind(r, 'app-json');
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['postdeploy:release']);
    expect(rules(r)).toEqual(['app.json:4:37 DPL202']);
  });

  test("Expo's and Cloud Run's app.json are not Heroku's; broken JSON is ignored", async () => {
    const r = await run({
      'app.json': '{ "expo": { "name": "x" } }',
      'cloudrun/app.json': '{ "name": "x", "env": {}, "hooks": { "postcreate": { "commands": ["./x.sh"] } } }',
      'other/app.json': '{ nope',
    });
    expect(byKind(r, 'app-json')).toEqual([]);
  });
});

describe('App Engine app.yaml', () => {
  test('entrypoint runs in a shell with positions; env_variables are the environment', async () => {
    const r = await run({
      'app.yaml': 'runtime: python312\nentrypoint: gunicorn -b :$PORT proj.wsgi:application --reload\nenv_variables:\n  X: "1"\n',
      'deploy.sh': 'python manage.py collectstatic --noinput\n',
    });
    const [t] = byKind(r, 'app-engine');
    expect(t.processes[0].servers[0].server.app).toBe('proj.wsgi:application');
    expect(t.facts.env?.X).toBe('1');
    expect(rules(r)).toEqual(['app.yaml:2:54 DPL105']);
  });

  test('no entrypoint: the default gunicorn main:app, reported on the runtime line', async () => {
    const r = await run({ 'app.yaml': 'runtime: python39\n', 'main.py': 'from proj.wsgi import application as app\n', 'deploy.sh': 'python manage.py collectstatic --noinput\n' });
    const [t] = byKind(r, 'app-engine');
    expect(t.processes[0].servers[0].server).toMatchObject({ kind: 'gunicorn', app: 'main:app' });
    expect(r.findings).toEqual([]);
  });

  test('other runtimes and other app.yaml files are not App Engine Django targets', async () => {
    const r = await run({ 'app.yaml': 'runtime: nodejs20\n', 'k8s/app.yaml': 'apiVersion: v1\nkind: Service\n' });
    expect(byKind(r, 'app-engine')).toEqual([]);
  });
});

describe('.platform.app.yaml', () => {
  test('hooks.build, hooks.deploy, web.commands.start', async () => {
    const r = await run({
      '.platform.app.yaml': 'name: app\ntype: python:3.12\nhooks:\n  build: |\n    pip install -r requirements.txt\n    python manage.py collectstatic --noinput\n  deploy: python manage.py migrate\nweb:\n  commands:\n    start: gunicorn proj.wsgi -b unix:$SOCKET\n',
    });
    const [t] = byKind(r, 'platform-sh');
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['hooks.build:build', 'hooks.deploy:release', 'app:web']);
    expect(t.collectstatic?.command.loc).toMatchObject({ line: 6, column: 5 });
    expect(r.findings).toEqual([]);
  });
});

describe('Railway and Nixpacks', () => {
  test('railway.json: build, preDeploy list and start with positions; Railway runs no collectstatic', async () => {
    const r = await run({ 'railway.json': '{\n  "deploy": {\n    "preDeployCommand": ["python manage.py migrate"],\n    "startCommand": "gunicorn proj.wsgi"\n  }\n}\n' });
    const [t] = byKind(r, 'railway');
    expect(t.processes.map((p) => `${p.name}:${p.role}`)).toEqual(['preDeployCommand:release', 'web:web']);
    expect(t.facts.platformCollectstatic).toBeUndefined();
    expect(rules(r)).toEqual(['railway.json:4:22 DPL201']);
  });

  test('railway.toml with the Dockerfile builder: the image is built, startCommand replaces CMD', async () => {
    const r = await run({ 'railway.toml': '[build]\nbuilder = "DOCKERFILE"\n\n[deploy]\nstartCommand = "python manage.py runserver 0.0.0.0:$PORT"\n', Dockerfile: DOCKERFILE });
    expect(r.targets.map((t) => t.id)).toEqual(['railway:railway.toml']);
    expect(rules(r)).toEqual(['railway.toml:5:17 DPL101']);
  });

  test('nixpacks.toml beside a railway config is read into it; alone it is a nixpacks target', async () => {
    const both = await run({
      'railway.toml': '[build]\nbuilder = "NIXPACKS"\n',
      'nixpacks.toml': '[phases.build]\ncmds = ["python manage.py collectstatic --noinput"]\n[start]\ncmd = "gunicorn proj.wsgi"\n',
    });
    expect(both.targets.map((t) => t.id)).toEqual(['railway:railway.toml']);
    expect(both.targets[0].collectstatic?.command.loc).toMatchObject({ file: 'nixpacks.toml', line: 2, column: 10 });
    expect(both.findings).toEqual([]);
    const alone = await run({ 'nixpacks.toml': '[start]\ncmd = "gunicorn proj.wsgi"\n' });
    expect(alone.targets.map((t) => t.id)).toEqual(['nixpacks:nixpacks.toml']);
    expect(rules(alone)).toEqual(['nixpacks.toml:2:7 DPL201']);
  });
});

describe('Kubernetes manifests', () => {
  const DEPLOY = (cmd: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: django\n          image: x\n${cmd}          ports:\n            - containerPort: 8000\n`;

  test('command + args are the argv; each workload of a multi-document file is a target', async () => {
    const r = await run({
      'k8s/all.yaml':
        DEPLOY('          command: ["gunicorn"]\n          args: ["proj.wsgi", "--bind", "0.0.0.0:8000"]\n') +
        '---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: static\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          command: ["python", "manage.py", "collectstatic", "--noinput"]\n',
    });
    expect(byKind(r, 'kubernetes').map((t) => `${t.id} ${t.line}`)).toEqual(['kubernetes:k8s/all.yaml#Deployment/web 1', 'kubernetes:k8s/all.yaml#Job/static 16']);
    const web = byKind(r, 'kubernetes')[0].processes[0];
    expect(web.role).toBe('web');
    expect(web.servers[0].server.app).toBe('proj.wsgi');
    expect(web.servers[0].server.bind[0].loc).toMatchObject({ line: 12, column: 42 });
    expect(r.findings).toEqual([]);
  });

  test('containers from other images, args-only options and Helm templates are not followed', async () => {
    const r = await run({
      'k8s/redis.yaml': DEPLOY('          args: ["--appendonly", "yes", "--django"]\n'),
      'k8s/proxy.yaml': DEPLOY('          command: ["nginx", "-g", "daemon off;"]\n'),
      'chart/templates/web.yaml': DEPLOY('          command: ["python", "manage.py", "runserver"]\n').replace('name: web', 'name: {{ .Release.Name }}'),
    });
    expect(byKind(r, 'kubernetes')).toEqual([]);
  });
});

test('Kubernetes candidates: manifests by folder or name, not every YAML file', async () => {
  const { isKubernetesCandidate } = await import('../src/model/targets/kubernetes.js');
  expect(isKubernetesCandidate('k8s/web.yaml')).toBe(true);
  expect(isKubernetesCandidate('web-deployment.yml')).toBe(true);
  expect(isKubernetesCandidate('tests/cassettes/k8s/x.yaml')).toBe(false);
  expect(isKubernetesCandidate('mkdocs.yml')).toBe(false);
  // Helm chart templates are read (their template actions blanked out); other templates are not.
  expect(isKubernetesCandidate('chart/templates/deployment.yaml')).toBe(true);
  expect(isKubernetesCandidate('app/templates/deployment.yaml')).toBe(false);
  expect(isKubernetesCandidate('tests/charts/x/templates/deployment.yaml')).toBe(false);
});
