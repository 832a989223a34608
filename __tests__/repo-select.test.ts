/**
 * `Repo.select`: each selector's name fields (extensions, prefixes, folders) must cover every file
 * its exact test accepts, or a deployment file would silently be skipped. Checked against the
 * plain scan (`files.filter(test)`) on a corpus of every fixture path plus the cross product of
 * deployment-ish folder and file names, with case variants.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo, type FileSelector } from '../src/discover/repo.js';
import { DEPENDENCY_FILES } from '../src/deps/declarations.js';
import { APP_YAMLS } from '../src/model/targets/app-engine.js';
import { AZURE_SETTINGS_FILES, AZURE_STARTUP, AZURE_WEB_CONFIG } from '../src/model/targets/azure.js';
import { COMPOSE_FILES } from '../src/model/targets/compose.js';
import { DIGITALOCEAN_SPECS } from '../src/model/targets/digitalocean.js';
import { FLY_TOMLS } from '../src/model/targets/fly.js';
import { APP_JSON, HEROKU_YML } from '../src/model/targets/heroku.js';
import { DOCKERFILES } from '../src/model/targets/image.js';
import { IMAGE_BUILDERS, USER_DOCS } from '../src/model/targets/image-source.js';
import { KUBERNETES_MANIFESTS } from '../src/model/targets/kubernetes.js';
import { PLATFORM_SH_APPS, UPSUN_CONFIGS } from '../src/model/targets/platform-sh.js';
import { PROCFILES } from '../src/model/targets/procfile.js';
import { NIXPACKS_TOMLS, RAILWAY_CONFIGS } from '../src/model/targets/railway.js';
import { RENDER_BLUEPRINTS } from '../src/model/targets/render.js';
import { SUPERVISORD_CONFIGS } from '../src/model/supervisord-config.js';
import { SYSTEMD_UNITS } from '../src/model/targets/systemd.js';
import { UWSGI_INIS } from '../src/model/targets/uwsgi-ini.js';
import { APACHE_CANDIDATES } from '../src/parse/apache.js';
import { CADDYFILES } from '../src/parse/caddy.js';
import { NGINX_CANDIDATES } from '../src/parse/nginx.js';
import { RELEASE_SCRIPTS } from '../src/rules/collectstatic-disabled.js';
import { DEPLOY_SCRIPTS } from '../src/rules/collectstatic-missing.js';
import { SOCKET_UNITS } from '../src/facts/deployments.js';
import { isProvisioningFile, PROVISIONING_FILES } from '../src/facts/install-facts.js';
import { STATIC_HINT_FILES } from '../src/facts/static-facts.js';
import { SETTINGS_FILES } from '../src/settings/discover.js';

const SELECTORS: FileSelector[] = [
  PROCFILES, DOCKERFILES, COMPOSE_FILES, FLY_TOMLS, RENDER_BLUEPRINTS, HEROKU_YML, APP_JSON, APP_YAMLS, PLATFORM_SH_APPS,
  UPSUN_CONFIGS, DIGITALOCEAN_SPECS, AZURE_STARTUP, AZURE_WEB_CONFIG, AZURE_SETTINGS_FILES, RAILWAY_CONFIGS, NIXPACKS_TOMLS,
  SYSTEMD_UNITS, SOCKET_UNITS, SUPERVISORD_CONFIGS, KUBERNETES_MANIFESTS, UWSGI_INIS, NGINX_CANDIDATES, APACHE_CANDIDATES,
  CADDYFILES, DEPENDENCY_FILES, SETTINGS_FILES, DEPLOY_SCRIPTS, RELEASE_SCRIPTS, PROVISIONING_FILES, STATIC_HINT_FILES,
  IMAGE_BUILDERS, USER_DOCS,
];

const FOLDERS = [
  '', 'deploy/', 'deployment/', 'nginx/', 'conf/nginx/', 'docker/nginx/templates/', 'conf/sites-available/', 'sites-enabled/', 'NGINX/',
  'apache2/', 'httpd/conf.d/', 'k8s/', 'kubernetes/base/', 'chart/templates/', 'compose/production/django/', 'scripts/', 'bin/', 'script/',
  '.github/workflows/', '.gitlab/', '.circleci/', 'ansible/roles/web/tasks/', 'roles/app/', 'playbooks/', 'etc/supervisor/conf.d/',
  'supervisor/', 'conf.d/', '.upsun/', '.do/', '.ebextensions/', '.platform/nginx/conf.d/', '.platform/', 'appengine/', 'gae/',
  'requirements/', 'requirement/', 'settings/', 'proj/settings/', 'infra/azure/', '.azure/', 'ops/', 'infra/', 'uwsgi/', 'vassals/',
  'emperor/', 'salt/', 'puppet/', 'chef/cookbooks/', 'server/', 'servers/', 'cloud-init/', 'helm/', 'tests/', 'fixtures/k8s/',
  'src/app/', 'a/{{cookiecutter.name}}/', 'Deploy/', 'SCRIPTS/',
];

const NAMES = [
  'Procfile', 'Procfile.dev', 'Procfile.prod', 'procfile', 'Procfile.sh', 'Procfile.md', 'Dockerfile', 'Dockerfile.prod', 'Dockerfile-web',
  'Dockerfile_worker', 'dockerfile', 'DOCKERFILE', 'web.Dockerfile', 'web.dockerfile', 'Containerfile', 'Containerfile.dev',
  'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml', 'docker-compose.prod.yml', 'docker-compose-dev.yml',
  'production.yml', 'local.yaml', 'prod.yml', 'django.yml', 'fly.toml', 'fly.staging.toml', 'render.yaml', 'render.yml', 'heroku.yml',
  'app.json', 'app.yaml', 'app.yml', '.platform.app.yaml', 'config.yaml', 'services.yml', 'deploy.template.yaml', 'startup.txt',
  'web.config', 'Web.Config', 'WEB.CONFIG', 'railway.json', 'railway.toml', 'nixpacks.toml', 'web.service', 'gunicorn.service',
  'gunicorn.socket', 'supervisord.conf', 'supervisor.ini', 'supervisord-app.conf', 'celery.conf', 'app.ini', 'uwsgi.ini', 'UWSGI.INI',
  'site.ini', 'tox.ini', 'pytest.ini', 'setup.ini', 'nginx.conf', 'NGINX.CONF', 'nginx-prod.conf', 'nginx.conf.template',
  'nginx.template', 'nginx.conf.j2', 'nginx.tmpl', 'nginx.erb', 'default.conf', 'default.conf.template', 'default.conf.bak', 'site',
  'example.com', 'site.nginx', 'site.nginx.conf', 'app.vhost', 'x.tpl', 'x.jinja', 'x.jinja2', 'httpd.conf', 'apache2.conf',
  'apache-site.conf', 'httpd-vhosts.conf', 'vhost.conf', 'Caddyfile', 'Caddyfile.prod', 'caddyfile', 'site.caddyfile',
  'Site.Caddyfile', 'requirements.txt', 'requirements-dev.in', 'requirements.lock', 'dev-requirements.txt', 'Requirements.TXT',
  'base.txt', 'prod.in', 'pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'uv.lock', 'pdm.lock',
  'pylock.toml', 'pylock.dev.toml', 'environment.yml', 'environment-dev.yaml', 'Environment.YML', 'Makefile', 'makefile',
  'GNUmakefile', 'justfile', 'Justfile', 'Vagrantfile', 'fabfile.py', 'tasks.py', 'noxfile.py', 'start.sh', 'entrypoint.bash',
  'START.SH', 'run', 'top.sls', 'site.pp', 'default.nix', '.gitlab-ci.yml', '.gitlab-ci.yaml', 'bitbucket-pipelines.yml',
  '.travis.yml', 'playbook.yml', 'Playbook-web.yaml', 'site.yml', 'provision.yaml', 'bootstrap.yml', 'user-data.yaml',
  'cloud-init.yml', 'main.yml', 'settings.py', 'settings_prod.py', 'prod_settings.py', 'base.py', '__init__.py', 'wsgi.py',
  'manage.py', 'gunicorn.conf.py', 'deployment.yaml', 'web-deployment.yml', 'worker.yml', 'values.yaml', 'main.bicep', 'main.tf',
  'azure.yaml', 'main.parameters.json', 'x.json', 'README.md', 'notes.txt', '.env', 'recipe.rb', 'x.cfg', 'x.j2', 'index.html',
  'config.toml', 'staticfiles.config', 'ci.yml', '.dockerignore', 'Dockerfile.dockerignore', 'docker-compose.yml.example',
  'docker-compose-production.example', 'compose.yaml.dist', 'production.yml.sample', 'INSTALL.md', 'Readme.rst', 'deploy.md',
  // Extensions the numeric index key cannot hold (long, odd characters, non-ASCII), and none.
  'x.verylongext', 'x.c++', 'Ünïcode.pý', 'a.tar.gz', 'trailing.', 'x.DOCKERFILE',
];

function fixturePaths(): string[] {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else out.push(r);
    }
  };
  walk(root, '');
  return out;
}

const corpus = [...new Set([...fixturePaths(), ...FOLDERS.flatMap((d) => NAMES.map((n) => d + n))])];
const repo = new Repo(os.tmpdir(), corpus);

describe('every selector finds exactly what a full scan with its test finds', () => {
  test.each(SELECTORS.map((s) => [s.name, s] as const))('%s', (_name, sel) => {
    const scan = repo.files.filter((f) => sel.test(f));
    expect(scan.length).toBeGreaterThan(0); // the corpus exercises the selector
    expect(repo.select(sel)).toEqual(scan);
    // Memoized: the same list again.
    expect(repo.select(sel)).toBe(repo.select(sel));
  });
});

test('the selectors are all different sets (none is a copy of another by mistake)', () => {
  const seen = new Map<string, string>();
  for (const s of SELECTORS) {
    const key = JSON.stringify(repo.select(s));
    expect(seen.get(key)).toBeUndefined();
    seen.set(key, s.name);
  }
});

test('a selector with a missing name field would be caught', () => {
  // The check above can fail: drop the `dockerfile` extension and `web.Dockerfile` goes missing.
  const broken: FileSelector = { ...DOCKERFILES, exts: [] };
  const scan = repo.files.filter((f) => broken.test(f));
  expect(repo.select(broken)).not.toEqual(scan);
  expect(scan.filter((f) => !repo.select(broken).includes(f))).toContain('web.Dockerfile');
});

test('named, has, filesIn and hasDir agree with scans of the corpus', () => {
  const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  for (const n of ['manage.py', 'wsgi.py', 'Procfile', 'Dockerfile', '.env', 'run', 'nope.txt', 'Makefile', 'x.verylongext', 'x.c++', 'Ünïcode.pý', 'a.tar.gz', 'trailing.', 'web.Dockerfile', 'x.DOCKERFILE']) {
    expect(repo.named(n)).toEqual(repo.files.filter((f) => base(f) === n));
  }
  for (const f of repo.files) expect(repo.has(f)).toBe(true);
  for (const f of ['nope', 'deploy', 'deploy/', 'Procfile/x', 'zzz/Procfile', '']) expect(repo.has(f)).toBe(repo.files.includes(f.replace(/\/$/, '')));
  expect(repo.has('./deploy/Procfile')).toBe(true);
  const dirOf = (f: string) => f.slice(0, Math.max(0, f.lastIndexOf('/')));
  for (const d of ['', 'deploy', 'etc/supervisor/conf.d', 'a/{{cookiecutter.name}}', 'nope']) {
    expect(repo.filesIn(d)).toEqual(repo.files.filter((f) => dirOf(f) === d));
  }
  expect(repo.hasDir('etc/supervisor')).toBe(true);
  expect(repo.hasDir('etc/supervisor/conf.d/web.service')).toBe(false);
});

test('provisioning files: playbooks, scripts and provisioning folders; not app data', () => {
  const yes = ['ansible/roles/web/tasks/main.yml', 'playbook.yml', 'deploy/vars.yaml', 'bin/setup', 'provision.sh', 'Vagrantfile', 'salt/top.sls', 'site.yml', '.github/workflows/deploy.yml'];
  const no = ['app/fixtures/config.yml', 'src/mod/2032_config.yml', 'docs/conf.ini', 'pkg/data.toml', 'frontend/app.rb'];
  expect(yes.filter((f) => !isProvisioningFile(f))).toEqual([]);
  expect(no.filter(isProvisioningFile)).toEqual([]);
});

test('the index is built in one pass and costs what its files cost (10,000 files)', () => {
  const many = Array.from({ length: 10_000 }, (_, i) => `pkg${i % 97}/mod${i}/file${i}.${['py', 'js', 'yml', 'txt'][i % 4]}`);
  many.push('deploy/Procfile', 'svc/Dockerfile');
  const r = new Repo(os.tmpdir(), many);
  expect(r.select(PROCFILES)).toEqual(['deploy/Procfile']);
  expect(r.select(DOCKERFILES)).toEqual(['svc/Dockerfile']);
  expect(r.select(COMPOSE_FILES)).toEqual([]);
  expect(r.filesIn('deploy')).toEqual(['deploy/Procfile']);
});

test('normalize: the fast path for normal paths gives what the full normalization gives', async () => {
  const fc = (await import('fast-check')).default;
  const { normalize } = await import('../src/discover/repo.js');
  const full = (file: string): string => {
    let f = file.replace(/\\/g, '/');
    f = path.posix.normalize(f);
    if (f.startsWith('./')) f = f.slice(2);
    if (f === '.') return '';
    return f.replace(/\/$/, '');
  };
  const seg = fc.constantFrom('a', 'b', '.', '..', '', 'c.py', '.env', '\\', 'x\\y', '...');
  fc.assert(
    fc.property(fc.array(seg, { maxLength: 6 }), fc.boolean(), fc.boolean(), (parts, lead, trail) => {
      const p = `${lead ? '/' : ''}${parts.join('/')}${trail ? '/' : ''}`;
      expect(normalize(p)).toBe(full(p));
    }),
    { numRuns: 3000 },
  );
});
