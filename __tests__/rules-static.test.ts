/**
 * DPL203 static-root-missing and DPL204 static-not-served, run directly on the model built from
 * fixture repos and from miniature repos written to a temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover } from '../src/discover/repo.js';
import { buildTargets } from '../src/model/build.js';
import { Project } from '../src/model/project.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { settingsFor } from '../src/rules/settings-facts.js';
import { coversStatic, servedOutsideDjango, staticUrlPath } from '../src/rules/static-facts.js';
import { staticNotServed } from '../src/rules/static-not-served.js';
import { staticServedByDjango } from '../src/rules/static-served-by-django.js';
import { staticRootMissing } from '../src/rules/static-root-missing.js';
import { formatMessage, type Report, type Rule } from '../src/rules/types.js';

const FX = new URL('./fixtures/', import.meta.url).pathname;

interface Hit {
  rule: string;
  at: string;
  message: string;
  via: string[];
  fix?: string;
}

function runRoot(root: string): Hit[] {
  const repo = discover(root);
  const project = new Project(repo);
  const targets = buildTargets(project);
  const out: Hit[] = [];
  for (const rule of [staticRootMissing, staticNotServed, staticServedByDjango] as Rule[]) {
    for (const r of rule.check({ repo, project, targets }) as Report[]) {
      out.push({ rule: rule.id, at: `${r.loc.file}:${r.loc.line}:${r.loc.column}`, message: formatMessage(rule.messages[r.messageId], r.data), via: (r.via ?? []).map((v) => `${v.file}:${v.line}`), fix: r.help });
    }
  }
  return out;
}

let tmpRoot: string;
let n = 0;
function runFiles(files: Record<string, string>): Hit[] {
  const dir = path.join(tmpRoot, `repo${n++}`);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return runRoot(dir);
}

beforeAll(async () => {
  await loadGrammars(['bash', 'python']);
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-static-'));
});

afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Building blocks of the miniature repos
// ---------------------------------------------------------------------------------------------

const MANAGE = (mod: string): string =>
  `#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${mod}")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n`;
const WSGI = (mod: string): string =>
  `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${mod}")\napplication = get_wsgi_application()\n`;
const APPS = 'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.staticfiles"]\n';
const MW_PLAIN = 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
const MW_WHITENOISE = 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n';
const HEAD = 'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nDEBUG = False\n';
const ROOT = 'STATIC_ROOT = BASE_DIR / "staticfiles"\n';
const STATIC_URL_LINE = 'STATIC_URL = "static/"\n';

const DOCKERFILE = (extra = '', cmd = '["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]'): string =>
  `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n${extra}COPY . .\nRUN python manage.py collectstatic --noinput\nCMD ${cmd}\n`;

/** A single-settings project: proj/settings.py, manage.py and proj/wsgi.py default to it. */
function project(settings: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nuwsgi==2.0.28\nuvicorn==0.30.0\n',
    'manage.py': MANAGE('proj.settings'),
    'proj/__init__.py': '',
    'proj/wsgi.py': WSGI('proj.settings'),
    'proj/settings.py': settings,
    ...more,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

describe('fixtures', () => {
  test('static-root-missing: DPL203 at STATIC_URL, naming the module and how it was chosen', () => {
    const hits = runRoot(FX + 'static-root-missing');
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL203 proj/settings.py:13:1']);
    expect(hits[0].message).toContain('settings module `proj.settings` (proj/settings.py, the default in manage.py:6)');
    expect(hits[0].message).toContain('ImproperlyConfigured');
    expect(hits[0].message).toMatch(/^Heroku's Python buildpack runs/);
    expect(hits[0].fix).toBe('STATIC_ROOT = BASE_DIR / "staticfiles"');
  });

  test('static-root-from-env: an env-driven STATIC_ROOT counts as set', () => {
    expect(runRoot(FX + 'static-root-from-env')).toEqual([]);
  });

  test('static-not-served: DPL204 on the server command with its chain', () => {
    const hits = runRoot(FX + 'static-not-served');
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL204 Dockerfile:13:1']);
    expect(hits[0].via).toEqual(['Dockerfile:13']);
    expect(hits[0].message).toContain('collectstatic fills STATIC_ROOT (`staticfiles`), but nothing serves it');
    expect(hits[0].message).toContain('`rules: { DPL204: off }` in .django-deploy-lint.yml');
  });

  test('static-nginx-serves: the nginx static location counts', () => {
    expect(runRoot(FX + 'static-nginx-serves')).toEqual([]);
    const project = new Project(discover(FX + 'static-nginx-serves'));
    expect(servedOutsideDjango(project)).toBe('nginx serves `/static/` at nginx/default.conf:8');
  });

  test('static-s3-storage: a remote STORAGES["staticfiles"] needs no STATIC_ROOT and serves itself', () => {
    expect(runRoot(FX + 'static-s3-storage')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// DPL203
// ---------------------------------------------------------------------------------------------

describe('DPL203 static-root-missing', () => {
  test('STATIC_ROOT = None is unset; the location falls back to line 1 without STATIC_URL', () => {
    const hits = runFiles(project(HEAD + APPS + MW_WHITENOISE + 'STATIC_ROOT = None\n', { Dockerfile: DOCKERFILE() }));
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL203 proj/settings.py:1:1']);
    expect(hits[0].via).toEqual(['Dockerfile:6']);
    expect(hits[0].message).toMatch(/^collectstatic runs for Dockerfile \(Dockerfile:6\)/);
  });

  test('DJANGO_SETTINGS_MODULE in the Dockerfile selects the module that lacks STATIC_ROOT', () => {
    const files = {
      'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\n',
      'manage.py': MANAGE('proj.settings.local'),
      'proj/__init__.py': '',
      'proj/wsgi.py': WSGI('proj.settings.local'),
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE,
      'proj/settings/local.py': 'from .base import *\n' + ROOT,
      'proj/settings/production.py': 'from .base import *\nDEBUG = False\n',
      Dockerfile: DOCKERFILE('ENV DJANGO_SETTINGS_MODULE=proj.settings.production\n'),
    };
    const hits = runFiles(files);
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL203 proj/settings/base.py:7:1']);
    expect(hits[0].message).toContain('settings module `proj.settings.production` (proj/settings/production.py, DJANGO_SETTINGS_MODULE at Dockerfile:5)');
  });

  test('chosen by default while another settings module sets STATIC_ROOT: silent', () => {
    const files = {
      'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\n',
      'Procfile': 'web: gunicorn proj.wsgi\n',
      'manage.py': MANAGE('proj.settings.local'),
      'proj/__init__.py': '',
      'proj/wsgi.py': WSGI('proj.settings.local'),
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE,
      'proj/settings/local.py': 'from .base import *\n',
      'proj/settings/production.py': 'from .base import *\n' + ROOT,
    };
    expect(runFiles(files)).toEqual([]);
    // The same repo with the production module removed is reported.
    delete (files as Record<string, string>)['proj/settings/production.py'];
    expect(runFiles(files).map((h) => h.rule)).toEqual(['DPL203']);
  });

  test('an import that cannot be followed makes the settings incomplete: silent', () => {
    expect(runFiles(project(HEAD + APPS + MW_WHITENOISE + 'from .secrets import *\n' + STATIC_URL_LINE, { Procfile: 'web: gunicorn proj.wsgi\n' }))).toEqual([]);
  });

  test('DJANGO_SETTINGS_MODULE chosen at run time: silent', () => {
    const files = project(HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE, {
      Dockerfile: DOCKERFILE(),
      'compose.yml': 'services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: ${SETTINGS}\n',
    });
    // The compose service (which stands for the Dockerfile it builds) chooses at run time.
    expect(runFiles(files)).toEqual([]);
    // An ENV written after the RUN collectstatic line is not in effect at build time.
    const late = DOCKERFILE().replace('CMD', 'ENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD');
    expect(runFiles(project(HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE, { Dockerfile: late }))).toEqual([]);
    // Without either, the default is used and the finding is reported.
    expect(runFiles(project(HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE, { Dockerfile: DOCKERFILE() })).map((h) => h.rule)).toEqual(['DPL203']);
  });

  test('a helper (django_heroku.settings) and a custom storage backend count as set', () => {
    expect(runFiles(project(HEAD + APPS + MW_PLAIN + STATIC_URL_LINE + 'import django_heroku\ndjango_heroku.settings(locals())\n', { Procfile: 'web: gunicorn proj.wsgi\n' }))).toEqual([]);
    expect(runFiles(project(HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE + 'STATICFILES_STORAGE = "vendor.storage.CdnStorage"\n', { Procfile: 'web: gunicorn proj.wsgi\n' }))).toEqual([]);
  });

  test('a WhiteNoise storage still needs STATIC_ROOT', () => {
    const s = HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE + 'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}\n';
    expect(runFiles(project(s, { Procfile: 'web: gunicorn proj.wsgi\n' })).map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL203 proj/settings.py:7:1']);
  });

  test('no collectstatic, a development target, or no staticfiles app: silent', () => {
    const s = HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE;
    expect(runFiles(project(s, { Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "proj.wsgi"]\n' })).filter((h) => h.rule === 'DPL203')).toEqual([]);
    expect(runFiles(project(s, { 'Dockerfile.dev': DOCKERFILE() }))).toEqual([]);
    expect(runFiles(project(HEAD + 'INSTALLED_APPS = ["django.contrib.admin"]\n' + MW_WHITENOISE + STATIC_URL_LINE, { Dockerfile: DOCKERFILE() }))).toEqual([]);
  });

  test('--settings on the collectstatic command wins over the default', () => {
    const files = {
      'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\n',
      'manage.py': MANAGE('proj.settings.local'),
      'proj/__init__.py': '',
      'proj/wsgi.py': WSGI('proj.settings.local'),
      'proj/settings/__init__.py': '',
      'proj/settings/local.py': HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE + ROOT,
      'proj/settings/prod.py': HEAD + APPS + MW_WHITENOISE + STATIC_URL_LINE,
      Dockerfile: DOCKERFILE().replace('collectstatic --noinput', 'collectstatic --noinput --settings=proj.settings.prod'),
    };
    const hits = runFiles(files);
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL203 proj/settings/prod.py:7:1']);
    expect(hits[0].message).toContain('(proj/settings/prod.py, --settings at Dockerfile:6)');
  });
});

// ---------------------------------------------------------------------------------------------
// DPL204
// ---------------------------------------------------------------------------------------------

describe('DPL204 static-not-served', () => {
  const NOT_SERVED = HEAD + APPS + MW_PLAIN + STATIC_URL_LINE + ROOT;

  test('a WhiteNoise storage without the middleware does not serve', () => {
    const s = NOT_SERVED + 'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}\n';
    expect(runFiles(project(s, { Dockerfile: DOCKERFILE() })).map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL204 Dockerfile:7:1']);
  });

  test('uWSGI --static-map serves; without it the warning names uWSGI static-map', () => {
    const with_ = runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE('', '["uwsgi", "--http", ":8000", "--module", "proj.wsgi", "--static-map", "/static=/app/staticfiles"]') }));
    expect(with_).toEqual([]);
    const without = runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE('', '["uwsgi", "--http", ":8000", "--module", "proj.wsgi"]') }));
    expect(without.map((h) => h.rule)).toEqual(['DPL204']);
    expect(without[0].message).toContain('no uWSGI static-map');
  });

  test('django.views.static.serve in the urls: DPL207 reports it there instead of DPL204', () => {
    const urls = 'from django.conf import settings\nfrom django.urls import re_path\nfrom django.views.static import serve\n\nurlpatterns = [\n    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),\n]\n';
    const hits = runFiles(project(NOT_SERVED + 'ROOT_URLCONF = "proj.urls"\n', { Dockerfile: DOCKERFILE(), 'proj/urls.py': urls }));
    expect(hits.map((h) => `${h.rule} ${h.at}`)).toEqual(['DPL207 proj/urls.py:6:5']);
    expect(hits[0].message).toContain('`django.views.static.serve`');
    expect(hits[0].via).toEqual(['Dockerfile:7']);
  });

  test('an ASGI static handler or a WhiteNoise wrapper in wsgi.py serves', () => {
    const asgi = 'import os\nfrom django.contrib.staticfiles.handlers import ASGIStaticFilesHandler\nfrom django.core.asgi import get_asgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\napplication = ASGIStaticFilesHandler(get_asgi_application())\n';
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE('', '["uvicorn", "proj.asgi:application", "--host", "0.0.0.0"]'), 'proj/asgi.py': asgi }))).toEqual([]);
    const wsgi = WSGI('proj.settings') + 'from whitenoise import WhiteNoise\napplication = WhiteNoise(application, root="/app/staticfiles")\n';
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'proj/wsgi.py': wsgi }))).toEqual([]);
  });

  test('an nginx config with a static location anywhere in the repo serves; one without does not', () => {
    const site = (loc: string): string => `server {\n    listen 80;\n${loc}    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`;
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'deploy/nginx/site.conf': site('    location /static/ {\n        alias /srv/static/;\n    }\n') }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'deploy/nginx/site.conf': site('') })).map((h) => h.rule)).toEqual(['DPL204']);
    // A location for /media/ only does not serve /static/.
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'deploy/nginx/site.conf': site('    location /media/ {\n        alias /srv/media/;\n    }\n') })).map((h) => h.rule)).toEqual(['DPL204']);
    // A config that includes others may hold the location elsewhere.
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'deploy/nginx/site.conf': 'include /etc/nginx/snippets/static.conf;\n' + site('') }))).toEqual([]);
  });

  test('a web server image, a Caddy file_server, an Apache Alias or fly.toml statics serve', () => {
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'compose.yml': 'services:\n  web:\n    build: .\n  proxy:\n    image: nginx:1.27\n' }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), Caddyfile: 'example.com {\n    handle_path /static/* {\n        root * /srv/static\n        file_server\n    }\n    reverse_proxy web:8000\n}\n' }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'apache/site.conf': '<VirtualHost *:80>\n    Alias /static/ /srv/static/\n    ProxyPass /static/ !\n    ProxyPass / http://127.0.0.1:8000/\n</VirtualHost>\n' }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED, { Dockerfile: DOCKERFILE(), 'fly.toml': 'app = "x"\n\n[[statics]]\n  guest_path = "/app/staticfiles"\n  url_prefix = "/static/"\n' }))).toEqual([]);
  });

  test('remote storage, a CDN STATIC_URL, incomplete MIDDLEWARE or a missing STATIC_ROOT: silent', () => {
    expect(runFiles(project(NOT_SERVED + 'STATICFILES_STORAGE = "storages.backends.s3boto3.S3StaticStorage"\n', { Dockerfile: DOCKERFILE() }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED + 'STATIC_URL = "https://cdn.example.com/static/"\n', { Dockerfile: DOCKERFILE() }))).toEqual([]);
    expect(runFiles(project(HEAD + APPS + 'from .mw import build_middleware\nMIDDLEWARE = build_middleware()\n' + STATIC_URL_LINE + ROOT, { Dockerfile: DOCKERFILE(), 'proj/mw.py': 'def build_middleware():\n    return []\n' })).filter((h) => h.rule === 'DPL204')).toEqual([]);
    // No STATIC_ROOT: DPL203's finding, not DPL204's.
    expect(runFiles(project(HEAD + APPS + MW_PLAIN + STATIC_URL_LINE, { Dockerfile: DOCKERFILE() })).map((h) => h.rule)).toEqual(['DPL203']);
  });

  test('a development target or no collectstatic: silent', () => {
    expect(runFiles(project(NOT_SERVED, { 'Dockerfile.dev': DOCKERFILE() }))).toEqual([]);
    expect(runFiles(project(NOT_SERVED, { Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n' }))).toEqual([]);
  });
});

describe('coversStatic / staticUrlPath', () => {
  const loc = { file: 'x', line: 1, column: 1, endLine: 1, endColumn: 1 };
  const l = (prefix: string, modifier = '') => ({ prefix, modifier, alias: '/srv', root: null, loc });
  test.each([
    ['/static/', '', '/static/', true],
    ['/static', '', '/static/', true],
    ['/static/*', '', '/static/', true],
    ['/static/admin/', '', '/static/', true],
    ['/', '', '/static/', true],
    ['/media/', '', '/static/', false],
    ['/assets/', '', '/static/', false],
    ['^/(static|media)/', '~', '/static/', true],
    ['^/media/', '~*', '/static/', false],
    ['/media/', '', null, true],
  ])('%s (%s) for %s → %s', (prefix, modifier, url, want) => {
    expect(coversStatic(l(prefix as string, modifier as string), url as string | null)).toBe(want);
  });

  test('STATIC_URL as a URL path', () => {
    const facts = (literal: unknown) => ({ staticUrl: literal === undefined ? null : { literal } }) as unknown as Parameters<typeof staticUrlPath>[0];
    expect(staticUrlPath(facts('static/'))).toBe('/static/');
    expect(staticUrlPath(facts('/assets'))).toBe('/assets/');
    expect(staticUrlPath(facts('https://cdn.example.com/s/'))).toBeNull();
    expect(staticUrlPath(facts(undefined))).toBeNull();
  });
});

describe('settingsFor', () => {
  test('explicit module from the target environment, else every distinct default', () => {
    const dir = path.join(tmpRoot, 'settings-for');
    const files = {
      'manage.py': MANAGE('proj.settings.local'),
      'proj/__init__.py': '',
      'proj/wsgi.py': WSGI('proj.settings.prod'),
      'proj/settings/__init__.py': '',
      'proj/settings/local.py': HEAD,
      'proj/settings/prod.py': HEAD,
      Dockerfile: DOCKERFILE(),
    };
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    const project = new Project(discover(dir));
    const t = buildTargets(project).find((x) => x.kind === 'dockerfile')!;
    const web = t.processes.find((p) => p.role === 'web')!.servers[0];
    expect(settingsFor(project, t, web.at, web.server)!.map((c) => c.module)).toEqual(['proj.settings.prod', 'proj.settings.local']);
    expect(settingsFor(project, t, t.collectstatic, null, true)!.map((c) => `${c.module} ${c.how}`)).toEqual(['proj.settings.local the default in manage.py:6', 'proj.settings.prod the default in proj/wsgi.py:5']);
    const env = { ...t, id: t.id + '#env', facts: { ...t.facts, env: { DJANGO_SETTINGS_MODULE: 'proj.settings.prod' } } };
    expect(settingsFor(project, env, null, null)!.map((c) => `${c.module} ${c.explicit}`)).toEqual(['proj.settings.prod true']);
    const unknown = { ...t, id: t.id + '#unknown', facts: { ...t.facts, env: {}, envLocs: { DJANGO_SETTINGS_MODULE: t.facts.envLocs?.X ?? { file: 'compose.yml', line: 1, column: 1, endLine: 1, endColumn: 2 } } } };
    expect(settingsFor(project, unknown, null, null)).toBeNull();
    const missing = { ...t, id: t.id + '#missing', facts: { ...t.facts, env: { DJANGO_SETTINGS_MODULE: 'nope.settings' } } };
    expect(settingsFor(project, missing, null, null)).toBeNull();
  });
});
