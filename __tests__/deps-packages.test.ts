import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { readDependencyFile } from '../src/deps/declarations.js';
import {
  SERVER_PACKAGES,
  devFileLabel,
  findProvider,
  isDevLabel,
  normalizeName,
  packagesForServer,
  providedNames,
} from '../src/deps/packages.js';
import { nameFromArchive, parseRequirement } from '../src/deps/pep508.js';
import type { Declared } from '../src/deps/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const decl = (name: string, dev = false, extras?: string[]): Declared => ({
  name,
  raw: name,
  loc: { file: 'requirements.txt', line: 1, column: 1, endLine: 1, endColumn: 2 },
  group: dev ? 'dev' : 'main',
  dev,
  via: [],
  ...(extras ? { extras } : {}),
});

describe('names', () => {
  test.each([
    ['Gunicorn', 'gunicorn'],
    ['mod_wsgi', 'mod-wsgi'],
    ['uvicorn_worker', 'uvicorn-worker'],
    ['Django.Rest__Framework', 'django-rest-framework'],
    ['  pyUWSGI ', 'pyuwsgi'],
  ])('normalizeName(%s) = %s', (a, b) => expect(normalizeName(a)).toBe(b));

  test('the server table', () => {
    expect(SERVER_PACKAGES.uwsgi).toEqual(['uwsgi', 'pyuwsgi']);
    expect(SERVER_PACKAGES.mod_wsgi).toContain('mod-wsgi');
    expect(Object.keys(SERVER_PACKAGES).sort()).toEqual(
      ['bjoern', 'daphne', 'granian', 'gunicorn', 'hypercorn', 'mod_wsgi', 'uvicorn', 'uwsgi', 'waitress'].sort(),
    );
  });
});

describe('packagesForServer', () => {
  test.each<[Parameters<typeof packagesForServer>[0], string | undefined, string[][]]>([
    ['gunicorn', undefined, [['gunicorn']]],
    ['gunicorn', 'sync', [['gunicorn']]],
    ['gunicorn', 'uvicorn.workers.UvicornWorker', [['gunicorn'], ['uvicorn', 'uvicorn-worker']]],
    ['gunicorn', 'uvicorn_worker.UvicornWorker', [['gunicorn'], ['uvicorn-worker']]],
    ['gunicorn', 'gevent', [['gunicorn'], ['gevent']]],
    ['gunicorn', 'eventlet', [['gunicorn'], ['eventlet']]],
    ['uwsgi', undefined, [['uwsgi', 'pyuwsgi']]],
    ['uvicorn', undefined, [['uvicorn']]],
    ['daphne', undefined, [['daphne']]],
    ['granian', undefined, [['granian']]],
    ['waitress', undefined, [['waitress']]],
    ['mod_wsgi', undefined, [['mod-wsgi', 'mod-wsgi-standalone']]],
    ['runserver', undefined, []],
    ['unknown', undefined, []],
  ])('%s -k %s', (kind, workerClass, want) => {
    expect(packagesForServer(kind, { workerClass })).toEqual(want);
  });
});

describe('providers', () => {
  test('extras and hard dependencies that provide a server', () => {
    expect(providedNames(decl('uvicorn-worker'))).toEqual(['uvicorn-worker', 'gunicorn', 'uvicorn']);
    expect(providedNames(decl('gunicorn', false, ['gevent']))).toEqual(['gunicorn', 'gevent']);
    expect(providedNames(decl('channels', false, ['daphne']))).toEqual(['channels', 'daphne']);
    expect(providedNames(decl('channels'))).toEqual(['channels']);
  });

  test('findProvider prefers production, and reports a dev-only one', () => {
    const list = [decl('gunicorn', true), decl('django'), decl('uvicorn-worker')];
    const r = findProvider(list, ['gunicorn']);
    expect(r.prod?.name).toBe('uvicorn-worker');
    expect(r.dev?.name).toBe('gunicorn');
    expect(findProvider([decl('gunicorn', true)], ['gunicorn'])).toEqual({ prod: null, dev: list[0] });
    expect(findProvider([decl('django')], ['uwsgi', 'pyuwsgi'])).toEqual({ prod: null, dev: null });
    expect(findProvider([decl('pyuwsgi')], ['uwsgi', 'pyuwsgi']).prod?.name).toBe('pyuwsgi');
  });

  test('UvicornWorker needs gunicorn and uvicorn: uvicorn[standard] satisfies the worker', () => {
    const list = [decl('gunicorn'), decl('uvicorn', false, ['standard'])];
    const reqs = packagesForServer('gunicorn', { workerClass: 'uvicorn.workers.UvicornWorker' });
    expect(reqs.map((alts) => findProvider(list, alts).prod?.name)).toEqual(['gunicorn', 'uvicorn']);
    // uvicorn_worker.UvicornWorker is a different package: uvicorn alone does not provide it.
    const reqs2 = packagesForServer('gunicorn', { workerClass: 'uvicorn_worker.UvicornWorker' });
    expect(findProvider(list, reqs2[1]).prod).toBeNull();
  });
});

describe('development labels', () => {
  test.each([
    ['requirements-dev.txt', 'dev'],
    ['requirements_dev.txt', 'dev'],
    ['dev-requirements.txt', 'dev'],
    ['requirements/local.txt', 'local'],
    ['requirements/test.txt', 'test'],
    ['requirements/tests.txt', 'tests'],
    ['requirements-lint.txt', 'lint'],
    ['docs/requirements.txt', 'docs'],
    ['requirements/docs.txt', 'docs'],
    ['requirements-ci.txt', 'ci'],
    ['requirements.txt', null],
    ['requirements/production.txt', null],
    ['requirements/base.txt', null],
    ['requirements-latest.txt', null],
    ['environment.yml', null],
  ])('%s → %s', (file, label) => expect(devFileLabel(file)).toBe(label));

  test('group names', () => {
    expect(['dev', 'test', 'lint', 'docs', 'typing', 'Dev'].map(isDevLabel)).toEqual([true, true, true, true, true, true]);
    expect(['main', 'prod', 'server', 'asgi', 'postgres'].map(isDevLabel)).toEqual([false, false, false, false, false]);
  });
});

describe('PEP 508 and pip line forms', () => {
  test.each<[string, Record<string, unknown> | null]>([
    ['gunicorn', { name: 'gunicorn', extras: [] }],
    ['gunicorn==22.0.0', { name: 'gunicorn', extras: [] }],
    ['Gunicorn[gevent, setproctitle] >= 21', { name: 'gunicorn', extras: ['gevent', 'setproctitle'] }],
    ['gunicorn (>=20)', { name: 'gunicorn', extras: [] }],
    ['gunicorn; python_version<"3.13"', { name: 'gunicorn', extras: [], marker: 'python_version<"3.13"' }],
    ['uvicorn[standard] @ https://x.org/u.tar.gz ; os_name == "posix"', { name: 'uvicorn', extras: ['standard'], url: 'https://x.org/u.tar.gz', marker: 'os_name == "posix"' }],
    ['git+https://github.com/benoitc/gunicorn.git@23.0.0', { name: 'gunicorn', guessed: true }],
    ['git+https://x.org/r.git#egg=pyuwsgi', { name: 'pyuwsgi', extras: [] }],
    ['https://x.org/mod_wsgi-5.0.0.tar.gz', { name: 'mod-wsgi' }],
    ['./wheels/granian-1.6.0-cp312-abi3-manylinux.whl', { name: 'granian', path: './wheels/granian-1.6.0-cp312-abi3-manylinux.whl' }],
    ['.', { name: '', path: '.' }],
    ['.[prod,asgi]', { name: '', path: '.', extras: ['prod', 'asgi'] }],
    ['./src', { name: 'src', path: './src', guessed: true }],
    ['gunicorn is great', null],
    ['', null],
  ])('%s', (text, want) => {
    const r = parseRequirement(text);
    if (want === null) expect(r).toBeNull();
    else expect(r).toMatchObject(want);
  });

  test('archive names', () => {
    expect(nameFromArchive('uvicorn_worker-0.2.0-py3-none-any.whl')).toBe('uvicorn-worker');
    expect(nameFromArchive('bjoern-3.2.2.tar.gz')).toBe('bjoern');
    expect(nameFromArchive('readme.md')).toBeNull();
  });
});

test('setup.py read before the python grammar is loaded: unresolved, not a crash', () => {
  // This test file never loads tree-sitter grammars (jest gives each file its own modules).
  const repo = discover(path.join(here, 'fixtures', 'deps-setup-py'));
  const d = readDependencyFile(repo, 'setup.py');
  expect(d.packages).toEqual([]);
  expect(d.unresolved).toHaveLength(1);
  expect(d.unresolved[0].message).toMatch(/setup.py was not read: tree-sitter grammar 'python' used before loadGrammars/);
});
