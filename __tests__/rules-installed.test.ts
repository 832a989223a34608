/**
 * DPL103: why each `installed-*` fixture is silent or not. The fixture expectations show the
 * findings; these tests pin the reason behind the silent ones (found where, or unknown).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { lint } from '../src/suppress/engine.js';
import { findProvider, packagesForServer } from '../src/deps/packages.js';
import { buildTargets } from '../src/model/build.js';
import { Project } from '../src/model/project.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { realServers } from '../src/facts/helpers.js';
import { evidenceFor } from '../src/facts/install-facts.js';
import { tempRepo, removeTemp } from './temp-repo.js';

const here = path.dirname(fileURLToPath(import.meta.url));

beforeAll(async () => {
  await loadGrammars(['bash', 'python']);
});

/** For the first production target with a real server: each requirement's provider, or why unknown. */
function verdict(fixture: string): string {
  const project = new Project(discover(path.join(here, 'fixtures', `installed-${fixture}`)));
  const t = buildTargets(project).find((x) => x.production && x.processes.some((p) => realServers(p).length > 0));
  if (!t) return 'no target';
  const ev = evidenceFor(project, t);
  if ('unknown' in ev) return `unknown: ${ev.unknown}`;
  const server = t.processes.flatMap((p) => realServers(p))[0].server;
  const reqs = packagesForServer(server.kind, server.options.workerClass ? { workerClass: server.options.workerClass.value } : {});
  const parts = reqs.map((alts) => {
    const f = findProvider(ev.installed, alts);
    const d = f.prod ?? f.dev;
    return d ? `${d.name}@${d.loc.file}:${d.loc.line}` : `missing ${alts[0]}`;
  });
  return (ev.incomplete ? 'incomplete ' : '') + parts.join(' ');
}

test.each([
  // Procfile: root declarations as Heroku reads them
  ['heroku-requirements-include', 'gunicorn@requirements/production.txt:2'],
  ['heroku-requirements-dev-include', 'gunicorn@requirements/dev.txt:3'],
  ['heroku-requirements-missing', 'missing gunicorn'],
  ['heroku-poetry', 'gunicorn@pyproject.toml:11'],
  ['heroku-poetry-dev-only', 'missing gunicorn'],
  ['heroku-pep621', 'gunicorn@pyproject.toml:8'],
  ['heroku-uv-pep735-dev-only', 'missing gunicorn'],
  ['heroku-pdm', 'waitress@pyproject.toml:5'],
  ['heroku-pdm-dev-only', 'missing waitress'],
  ['heroku-pipfile', 'gunicorn@Pipfile:9'],
  ['heroku-pipfile-dev-only', 'missing gunicorn'],
  ['heroku-setup-py', 'pyuwsgi@setup.py:10'],
  ['heroku-setup-cfg-missing', 'missing uwsgi'],
  ['heroku-conda', 'gunicorn@environment.yml:8'],
  ['heroku-worker-class-missing', 'gunicorn@requirements.txt:3 missing uvicorn-worker'],
  ['heroku-python-m-missing', 'missing gunicorn'],
  ['heroku-no-dependency-file', 'unknown: no dependency file at the app root'],
  ['heroku-dynamic-deps', 'incomplete missing gunicorn'],
  // Dockerfile / compose: what the RUN instructions install
  ['docker-pip-r', 'gunicorn@requirements.txt:3'],
  ['docker-moved-to-pyproject', 'missing uwsgi'],
  ['docker-pip-install-project-extras', 'gunicorn@pyproject.toml:7'],
  ['docker-pip-install-project-no-extra', 'missing gunicorn'],
  ['docker-uv-sync-no-dev', 'missing gunicorn'],
  ['docker-uv-sync-group', 'granian@pyproject.toml:9'],
  ['docker-uv-pip-named', 'gunicorn@Dockerfile:4'],
  ['docker-poetry-only-main', 'missing gunicorn'],
  ['docker-pipenv-deploy', 'daphne@Pipfile:4'],
  ['docker-apt-python3-gunicorn', 'gunicorn@Dockerfile:2'],
  ['docker-apk-py3-gunicorn', 'gunicorn@Dockerfile:2'],
  ['docker-builder-venv', 'gunicorn@requirements.txt:3'],
  ['docker-builder-venv-missing', 'missing gunicorn'],
  ['docker-wheels', 'gunicorn@requirements.txt:3'],
  ['docker-nothing-installed', 'missing gunicorn'],
  ['docker-app-base-image', 'unknown: Dockerfile is built FROM `example/django-base:3.2`, which may already hold the server'],
  ['docker-requirements-variable', "unknown: the requirements file '${REQS}' is chosen at run time; what it installs is not known"],
  ['compose-missing', 'missing gunicorn'],
  // systemd: the repository's declarations, and provisioning scripts
  ['systemd-declared', 'gunicorn@requirements/production.txt:2'],
  ['systemd-dev-only', 'missing gunicorn'],
  ['systemd-provisioned', 'gunicorn@deploy/provision.sh:3'],
  // Descriptors that build an image: the Dockerfile's RUN instructions, as for `dockerfile`
  ['platform-fly-good', 'gunicorn@requirements.txt:3'],
  ['platform-fly-missing', 'missing gunicorn'],
  // Buildpack-like platforms: the build command, the app root's declarations, requirements.txt
  ['platform-render-python-good', 'gunicorn@requirements.txt:3'],
  ['platform-render-python-missing', 'missing gunicorn'],
  ['platform-app-engine-default-good', 'gunicorn@requirements.txt:3'],
  // No `entrypoint:`: App Engine adds gunicorn to requirements.txt itself (never reported)
  ['platform-app-engine-default-undeclared', 'gunicorn@app.yaml:1'],
  ['platform-app-engine-entrypoint-good', 'gunicorn@requirements.txt:3'],
  ['platform-app-engine-entrypoint-missing', 'missing gunicorn'],
  ['platform-railway-good', 'gunicorn@requirements.txt:3'],
  ['platform-railway-missing', 'missing gunicorn'],
  ['platform-platform-sh-good', 'gunicorn@requirements.txt:3'],
  ['platform-platform-sh-missing', 'missing gunicorn'],
])('%s: %s', (fixture, want) => {
  expect(verdict(fixture)).toBe(want);
});

test('a server started through `uv run` is not reported although the image lacks it (uv installs it on the fly)', async () => {
  expect(verdict('docker-uv-run')).toBe('missing gunicorn');
  const r = await lint(path.join(here, 'fixtures', 'installed-docker-uv-run'));
  expect(r.findings.filter((f) => f.ruleId === 'DPL103')).toEqual([]);
});

test('a finding points at the server word and carries the fix', async () => {
  const r = await lint(path.join(here, 'fixtures', 'installed-compose-missing'));
  const f = r.findings.filter((x) => x.ruleId === 'DPL103');
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ file: 'docker-compose.prod.yml', line: 6, column: 14, severity: 'error', target: 'compose:docker-compose.prod.yml#web', fix: 'add gunicorn to requirements.txt' });
});

describe('platform targets whose install is not visible stay silent', () => {
  function verdictOf(files: Record<string, string>): string {
    const dir = tempRepo(files);
    try {
      const project = new Project(discover(dir));
      const t = buildTargets(project).find((x) => x.processes.some((p) => realServers(p).length > 0));
      if (!t) return 'no target';
      const ev = evidenceFor(project, t);
      return 'unknown' in ev ? `unknown (${t.kind})` : `known (${t.kind})`;
    } finally {
      removeTemp(dir);
    }
  }
  const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';
  test('render python whose build command installs nothing readable', () => {
    expect(
      verdictOf({
        'manage.py': manage,
        'requirements.txt': 'Django\n',
        'render.yaml': 'services:\n  - type: web\n    name: s\n    runtime: python\n    buildCommand: "python manage.py collectstatic --no-input"\n    startCommand: "gunicorn proj.wsgi"\n',
      }),
    ).toBe('unknown (render)');
  });
  test('App Engine without requirements.txt', () => {
    expect(verdictOf({ 'manage.py': manage, 'main.py': 'app = None\n', 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["django"]\n', 'app.yaml': 'runtime: python312\n' })).toBe('unknown (app-engine)');
  });
  test('railway whose nixpacks.toml adds Nix packages', () => {
    expect(
      verdictOf({
        'manage.py': manage,
        'requirements.txt': 'Django\n',
        'nixpacks.toml': '[phases.setup]\nnixPkgs = ["python312Packages.gunicorn"]\n',
        'railway.json': '{"deploy": {"startCommand": "gunicorn proj.wsgi"}}\n',
      }),
    ).toBe('unknown (railway)');
  });
  test('supervisord on a host', () => {
    expect(
      verdictOf({
        'manage.py': manage,
        'requirements.txt': 'Django\n',
        'deploy/supervisord.conf': '[program:web]\ncommand=/srv/venv/bin/gunicorn proj.wsgi --bind 0.0.0.0:8000\n',
      }),
    ).toMatch(/^unknown|^no target/);
  });
});
