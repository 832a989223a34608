import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { readDependencyFile, rootDeclarations } from '../src/deps/declarations.js';
import type { Declared } from '../src/deps/types.js';
import type { ParseIssue } from '../src/core/issue.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => discover(path.join(here, 'fixtures', name));
const summary = (list: Declared[]) => list.map((p) => `${p.name} ${p.group}${p.dev ? ' dev' : ''}`);

function collector() {
  const issues: ParseIssue[] = [];
  return { issues, addParseIssues: (_f: string, l: ParseIssue[]) => void issues.push(...l) };
}

describe('PEP 621', () => {
  test('dependencies and optional-dependencies, with positions of each array element', () => {
    const d = readDependencyFile(fixture('deps-pep621'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual([
      'django main',
      'gunicorn main',
      'whitenoise main',
      'uvicorn asgi',
      'uvicorn-worker asgi',
      'pytest-django dev dev',
    ]);
    const g = d.packages[1];
    expect(g.loc).toEqual({ file: 'pyproject.toml', line: 9, column: 5, endLine: 9, endColumn: 47 });
    expect(g.marker).toBe("sys_platform != 'win32'");
    expect(g.kind).toBe('main');
    // Single-quoted TOML strings are found too.
    expect(d.packages[2].loc).toMatchObject({ line: 10, column: 5 });
    // Two strings on one line each get their own column.
    expect(d.packages[3].loc).toMatchObject({ line: 14, column: 9, endColumn: 34 });
    expect(d.packages[4].loc).toMatchObject({ line: 14, column: 36, endColumn: 52 });
    expect(d.packages[3]).toMatchObject({ kind: 'extra', extras: ['standard'] });
    // build-system requirements are not runtime dependencies.
    expect(d.packages.map((p) => p.name)).not.toContain('gunicorn-not-a-runtime-dep');
  });

  test('without a server: gunicorn only in a dev extra', () => {
    const d = readDependencyFile(fixture('deps-pep621-none'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn dev dev', 'pytest-django dev dev']);
  });
});

describe('PEP 735 dependency groups', () => {
  test('groups, include-group, dev-named groups', () => {
    const d = readDependencyFile(fixture('deps-pep735'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'ruff lint dev', 'ruff test dev', 'pytest test dev', 'granian prod']);
    const granian = d.packages[4];
    expect(granian).toMatchObject({ kind: 'group', dev: false });
    expect(granian.loc).toEqual({ file: 'pyproject.toml', line: 10, column: 3, endLine: 10, endColumn: 17 });
  });

  test('without a server in production groups; an undefined include-group is a parse issue', () => {
    const p = collector();
    const d = readDependencyFile(fixture('deps-pep735-none'), 'pyproject.toml', p);
    expect(summary(d.packages)).toEqual(['django main', 'granian dev dev']);
    expect(p.issues).toEqual([
      {
        message: "dependency group 'dev' includes 'missing', which is not defined",
        loc: { file: 'pyproject.toml', line: 7, column: 36, endLine: 7, endColumn: 45 },
      },
    ]);
  });
});

describe('Poetry', () => {
  test('main, optional via extras, groups (dev, optional docs); python is skipped', () => {
    const d = readDependencyFile(fixture('deps-poetry'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn main', 'uvicorn asgi', 'pytest dev dev', 'sphinx docs dev']);
    const g = d.packages[1];
    expect(g.extras).toEqual(['gevent']);
    expect(g.loc).toEqual({ file: 'pyproject.toml', line: 8, column: 1, endLine: 8, endColumn: 54 });
    expect(d.packages[0].raw).toBe('Django = "^5.0"');
  });

  test('poetry.lock read on its own: sections found by walking from pyproject.toml', () => {
    const d = readDependencyFile(fixture('deps-poetry'), 'poetry.lock');
    const by = (n: string) => d.packages.find((p) => p.name === n);
    expect(d.files).toEqual(['pyproject.toml', 'poetry.lock']);
    expect(by('gunicorn')).toMatchObject({ group: 'main', dev: false, locked: true });
    expect(by('gunicorn')!.loc).toEqual({ file: 'poetry.lock', line: 27, column: 1, endLine: 27, endColumn: 18 });
    // gunicorn[gevent] pulls the optional gevent dependency into main.
    expect(by('gevent')).toMatchObject({ group: 'main', dev: false });
    expect(by('sqlparse')!.group).toBe('main');
    // uvicorn is optional: only the asgi extra brings it and its h11.
    expect(by('h11')).toMatchObject({ group: 'asgi', dev: false });
    expect(by('pluggy')).toMatchObject({ group: 'dev', dev: true });
  });

  test('without a server: gunicorn only in the old dev-dependencies table', () => {
    const d = readDependencyFile(fixture('deps-poetry-none'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn dev dev']);
    expect(d.packages[1].loc.line).toBe(10);
  });
});

describe('PDM', () => {
  test('dev-dependencies groups are dev; optional-dependencies are extras', () => {
    const d = readDependencyFile(fixture('deps-pdm'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'waitress server', 'pytest test dev']);
  });

  test('pdm.lock: each package labelled through the walk', () => {
    const d = readDependencyFile(fixture('deps-pdm'), 'pdm.lock');
    expect(summary(d.packages).sort()).toEqual(['asgiref main', 'django main', 'pytest test dev', 'waitress server']);
    expect(d.packages.find((p) => p.name === 'waitress')!.loc).toMatchObject({ file: 'pdm.lock', line: 19 });
  });

  test('without a server: waitress only in a PDM dev group', () => {
    const d = readDependencyFile(fixture('deps-pdm-none'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'waitress serve dev']);
  });
});

describe('uv', () => {
  test('uv.lock: gunicorn comes in through uvicorn-worker', () => {
    const d = readDependencyFile(fixture('deps-uv'), 'uv.lock');
    const g = d.packages.find((p) => p.name === 'gunicorn')!;
    expect(g).toMatchObject({ group: 'main', dev: false, locked: true });
    expect(g.loc).toEqual({ file: 'uv.lock', line: 18, column: 1, endLine: 18, endColumn: 18 });
    expect(d.packages.find((p) => p.name === 'pytest')).toMatchObject({ group: 'dev', dev: true });
    // The project itself is not a dependency.
    expect(d.packages.find((p) => p.name === 'portal')).toBeUndefined();
  });

  test('root declarations join pyproject.toml and uv.lock without repeating direct packages', () => {
    const d = rootDeclarations(fixture('deps-uv'));
    expect(d.files).toEqual(['pyproject.toml', 'uv.lock']);
    expect(d.packages.filter((p) => p.name === 'uvicorn-worker')).toHaveLength(1);
    expect(d.packages.find((p) => p.name === 'uvicorn-worker')!.loc.file).toBe('pyproject.toml');
    expect(d.packages.find((p) => p.name === 'gunicorn')!.loc.file).toBe('uv.lock');
  });

  test('without a server: gunicorn only in [tool.uv] dev-dependencies', () => {
    const d = readDependencyFile(fixture('deps-uv-none'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn dev dev']);
    expect(d.packages[1].loc).toMatchObject({ line: 7, column: 21 });
  });
});

describe('dynamic dependencies and broken files', () => {
  test('[tool.setuptools.dynamic] files are read as the sections they fill', () => {
    const d = readDependencyFile(fixture('deps-dynamic'), 'pyproject.toml');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn prod']);
    expect(d.packages[1]).toMatchObject({ kind: 'extra', via: ['pyproject.toml'] });
    expect(d.packages[1].loc).toMatchObject({ file: 'requirements/prod.txt', line: 1 });
    expect(d.files).toEqual(['pyproject.toml', 'requirements/base.txt', 'requirements/prod.txt']);
  });

  test('dynamic dependencies with no known source are unresolved', () => {
    const d = readDependencyFile(fixture('deps-dynamic-none'), 'pyproject.toml');
    expect(d.packages).toEqual([]);
    expect(d.unresolved).toHaveLength(1);
    expect(d.unresolved[0].loc).toMatchObject({ line: 4, column: 12 });
  });

  test('invalid TOML is a parse issue with its position, and the declarations are unresolved', () => {
    const p = collector();
    const d = readDependencyFile(fixture('deps-toml-broken'), 'pyproject.toml', p);
    expect(d.packages).toEqual([]);
    expect(p.issues).toHaveLength(1);
    expect(p.issues[0].message).toMatch(/^pyproject.toml is not valid TOML: /);
    expect(p.issues[0].loc).toMatchObject({ file: 'pyproject.toml', line: 4 });
    expect(d.unresolved).toHaveLength(1);
  });
});
