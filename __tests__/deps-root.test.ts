import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { isDependencyFile, repoDeclarations, rootDeclarations, suggestAddition } from '../src/deps/declarations.js';
import { findProvider, packagesForServer } from '../src/deps/packages.js';
import type { ServerKind } from '../src/model/types.js';
import { loadGrammars } from '../src/parse/treesitter.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => discover(path.join(here, 'fixtures', name));

beforeAll(async () => {
  await loadGrammars(['python']);
});

/** Is every requirement of the server met by production declarations at the root? */
function verdict(fx: string, kind: ServerKind, workerClass?: string): { prod: string[] | null; dev: boolean } {
  const d = rootDeclarations(fixture(fx));
  const reqs = packagesForServer(kind, { workerClass });
  const found = reqs.map((alts) => findProvider(d.packages, alts));
  const prod = found.every((f) => f.prod) ? found.map((f) => `${f.prod!.name}@${f.prod!.loc.file}:${f.prod!.loc.line}`) : null;
  return { prod, dev: found.some((f) => !f.prod && f.dev) };
}

describe('with and without the server, for every declaration form (root declarations)', () => {
  test.each<[string, ServerKind, string | undefined, string[] | null, boolean]>([
    ['deps-requirements', 'gunicorn', undefined, ['gunicorn@requirements/production.txt:4'], false],
    ['deps-requirements-none', 'gunicorn', undefined, null, false],
    ['deps-pep621', 'gunicorn', undefined, ['gunicorn@pyproject.toml:9'], false],
    ['deps-pep621-none', 'gunicorn', undefined, null, true],
    ['deps-pep735', 'granian', undefined, ['granian@pyproject.toml:10'], false],
    ['deps-pep735-none', 'granian', undefined, null, true],
    ['deps-poetry', 'gunicorn', 'gevent', ['gunicorn@pyproject.toml:8', 'gunicorn@pyproject.toml:8'], false],
    ['deps-poetry-none', 'gunicorn', undefined, null, true],
    ['deps-pdm', 'waitress', undefined, ['waitress@pyproject.toml:7'], false],
    ['deps-pdm-none', 'waitress', undefined, null, true],
    ['deps-uv', 'gunicorn', 'uvicorn_worker.UvicornWorker', ['uvicorn-worker@pyproject.toml:7', 'uvicorn-worker@pyproject.toml:7'], false],
    ['deps-uv-none', 'gunicorn', undefined, null, true],
    ['deps-pipfile', 'gunicorn', undefined, ['gunicorn@Pipfile:8'], false],
    ['deps-pipfile', 'daphne', undefined, ['daphne@Pipfile:9'], false],
    ['deps-pipfile-none', 'gunicorn', undefined, null, true],
    ['deps-setup-py', 'gunicorn', undefined, ['gunicorn@setup.py:17'], false],
    ['deps-setup-py', 'waitress', undefined, ['waitress@setup.py:9'], false],
    ['deps-setup-py-none', 'gunicorn', undefined, null, true],
    ['deps-setup-py-file', 'uwsgi', undefined, ['uwsgi@requirements/prod.txt:2'], false],
    ['deps-setup-cfg', 'mod_wsgi', undefined, ['mod-wsgi@setup.cfg:9'], false],
    ['deps-setup-cfg', 'hypercorn', undefined, ['hypercorn@setup.cfg:14'], false],
    ['deps-setup-cfg-none', 'mod_wsgi', undefined, null, true],
    ['deps-conda', 'gunicorn', undefined, ['gunicorn@environment.yml:7'], false],
    ['deps-conda', 'daphne', undefined, ['channels@requirements.txt:1'], false],
    ['deps-conda-none', 'gunicorn', undefined, null, false],
    ['deps-dynamic', 'gunicorn', undefined, ['gunicorn@requirements/prod.txt:1'], false],
    ['deps-requirements-forms', 'uwsgi', undefined, ['pyuwsgi@requirements.txt:6'], false],
    ['deps-requirements-forms', 'uvicorn', undefined, ['uvicorn@requirements.txt:7'], false],
    ['deps-requirements-forms', 'gunicorn', 'uvicorn.workers.UvicornWorker', ['gunicorn@requirements.txt:5', 'uvicorn@requirements.txt:7'], false],
    ['deps-requirements-forms', 'daphne', undefined, ['daphne@requirements.txt:8'], false],
    ['deps-requirements-forms', 'hypercorn', undefined, ['hypercorn@requirements.txt:9'], false],
    ['deps-requirements-forms', 'waitress', undefined, ['waitress@requirements.txt:10'], false],
    ['deps-requirements-forms', 'bjoern', undefined, ['bjoern@requirements.txt:11'], false],
    ['deps-requirements-forms', 'mod_wsgi', undefined, ['mod-wsgi@requirements.txt:12'], false],
    ['deps-requirements-forms', 'granian', undefined, ['granian@pyproject.toml:7'], false],
  ])('%s: %s (-k %s)', (fx, kind, worker, prod, dev) => {
    expect(verdict(fx, kind, worker)).toEqual({ prod, dev });
  });
});

describe('rootDeclarations', () => {
  test('reads only the files a buildpack reads at the root', () => {
    const d = rootDeclarations(fixture('deps-requirements'));
    expect(d.files).not.toContain('requirements/local.txt');
    expect(d.files[0]).toBe('requirements.txt');
  });

  test('a sub-folder', () => {
    const d = rootDeclarations(fixture('deps-requirements'), 'requirements');
    expect(d.files).toEqual([]);
    expect(d.packages).toEqual([]);
  });

  test('Pipfile and Pipfile.lock together, the same package from each', () => {
    const d = rootDeclarations(fixture('deps-pipfile'));
    expect(d.files).toEqual(['Pipfile', 'Pipfile.lock']);
    expect(d.packages.filter((p) => p.name === 'gunicorn').map((p) => p.loc.file)).toEqual(['Pipfile', 'Pipfile.lock']);
  });
});

describe('repoDeclarations', () => {
  test('every dependency file: a dev-only server is found as dev', () => {
    const d = repoDeclarations(fixture('deps-requirements-none'));
    const r = findProvider(d.packages, ['gunicorn']);
    expect(r.prod).toBeNull();
    expect(r.dev?.loc).toMatchObject({ file: 'requirements-dev.txt', line: 2 });
    // requirements.txt read on its own keeps its packages in main even though the dev file includes it.
    expect(d.packages.find((p) => p.name === 'django')!.dev).toBe(false);
  });

  test('which files count as dependency files', () => {
    expect(
      [
        'requirements.txt',
        'requirements/base.txt',
        'requirements-dev.txt',
        'dev-requirements.txt',
        'requirements.in',
        'requirements.lock',
        'pyproject.toml',
        'src/setup.py',
        'Pipfile',
        'Pipfile.lock',
        'poetry.lock',
        'uv.lock',
        'environment.yml',
        'environment-dev.yaml',
        'README.txt',
        'docker-compose.yml',
        'package.json',
        'notes/requirements.md',
      ].map(isDependencyFile),
    ).toEqual([true, true, true, true, true, true, true, true, true, true, true, true, true, true, false, false, false, false]);
  });
});

describe('suggestAddition', () => {
  test.each<[string, string, Record<string, unknown> | null]>([
    ['deps-requirements-none', 'requirements.txt', { file: 'requirements.txt', section: null, text: 'gunicorn' }],
    ['deps-pep621-none', 'pyproject.toml', { file: 'pyproject.toml', section: '[project] dependencies', text: '"gunicorn",' }],
    ['deps-poetry-none', 'pyproject.toml', { file: 'pyproject.toml', section: '[tool.poetry.dependencies]', text: 'gunicorn = "*"' }],
    ['deps-poetry', 'poetry.lock', { file: 'pyproject.toml', section: '[tool.poetry.dependencies]', text: 'gunicorn = "*"' }],
    ['deps-pipfile-none', 'Pipfile.lock', { file: 'Pipfile', section: '[packages]', text: 'gunicorn = "*"' }],
    ['deps-setup-py-none', 'setup.py', { file: 'setup.py', section: 'install_requires', text: '"gunicorn",' }],
    ['deps-setup-cfg-none', 'setup.cfg', { file: 'setup.cfg', section: '[options] install_requires', text: 'gunicorn' }],
    ['deps-conda-none', 'environment.yml', { file: 'environment.yml', section: 'dependencies', text: '- gunicorn' }],
    ['deps-conda-none', 'environment-dev.yml', null],
  ])('%s %s', (fx, file, want) => {
    expect(suggestAddition(fixture(fx), [file], 'gunicorn')).toEqual(want);
  });
});
