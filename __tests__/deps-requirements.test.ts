import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { readDependencyFile } from '../src/deps/declarations.js';
import { logicalLines } from '../src/deps/requirements.js';
import type { ParseIssue } from '../src/core/issue.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => discover(path.join(here, 'fixtures', name));

function collector() {
  const issues = new Map<string, ParseIssue[]>();
  return {
    issues,
    addParseIssues(file: string, list: ParseIssue[]) {
      issues.set(file, [...(issues.get(file) ?? []), ...list]);
    },
  };
}

describe('logical lines', () => {
  test('continuations, comments and blank lines', () => {
    const ll = logicalLines('a==1 \\\n  --hash=x\n# comment\n\n  b  # trailing\nc#notacomment\n');
    expect(ll).toEqual([
      { text: 'a==1   --hash=x', line: 1, column: 1 },
      { text: 'b', line: 5, column: 3 },
      { text: 'c#notacomment', line: 6, column: 1 },
    ]);
  });
});

describe('requirements files with includes', () => {
  test('-r chains, --requirement=, constraints, hashes and positions', () => {
    const repo = fixture('deps-requirements');
    const d = readDependencyFile(repo, 'requirements.txt');
    const names = d.packages.map((p) => p.name);
    expect(names).toEqual(['django', 'whitenoise', 'sentry-sdk', 'gunicorn', 'psycopg']);
    // Constraints pin versions only: uwsgi is not declared, but the file was read.
    expect(names).not.toContain('uwsgi');
    expect(d.files).toEqual([
      'requirements.txt',
      'requirements/production.txt',
      'requirements/base.txt',
      'requirements/constraints.txt',
      'requirements/extra.txt',
    ]);
    const g = d.packages.find((p) => p.name === 'gunicorn')!;
    expect(g.loc).toEqual({ file: 'requirements/production.txt', line: 4, column: 1, endLine: 4, endColumn: 17 });
    expect(g.raw).toBe('gunicorn==22.0.0');
    expect(g.via).toEqual(['requirements.txt']);
    expect(g.dev).toBe(false);
    expect(g.group).toBe('main');
    const dj = d.packages.find((p) => p.name === 'django')!;
    expect(dj.via).toEqual(['requirements.txt', 'requirements/production.txt']);
    expect(dj.loc.line).toBe(1);
    const wn = d.packages.find((p) => p.name === 'whitenoise')!;
    expect(wn.extras).toEqual(['brotli']);
    expect(wn.marker).toBe('python_version >= "3.8"');
    expect(wn.loc).toMatchObject({ line: 3, column: 1, endColumn: 48 });
    const pg = d.packages.find((p) => p.name === 'psycopg')!;
    expect(pg.raw).toBe('psycopg[c]>=3.1');
    expect(d.unresolved).toEqual([]);
  });

  test('a dev-named file is dev, and so is what it includes', () => {
    const repo = fixture('deps-requirements');
    const d = readDependencyFile(repo, 'requirements/local.txt');
    expect(d.packages.map((p) => [p.name, p.dev, p.group])).toEqual([
      ['django', true, 'local'],
      ['whitenoise', true, 'local'],
      ['django-debug-toolbar', true, 'local'],
      ['werkzeug', true, 'local'],
    ]);
  });

  test('without a server: gunicorn only in requirements-dev.txt', () => {
    const repo = fixture('deps-requirements-none');
    const prod = readDependencyFile(repo, 'requirements.txt');
    expect(prod.packages.map((p) => p.name)).toEqual(['django', 'dj-database-url']);
    const dev = readDependencyFile(repo, 'requirements-dev.txt');
    const g = dev.packages.find((p) => p.name === 'gunicorn')!;
    expect(g.dev).toBe(true);
    expect(g.group).toBe('dev');
    // requirements.txt included from the dev file counts as dev there.
    expect(dev.packages.find((p) => p.name === 'django')!.dev).toBe(true);
  });
});

describe('every requirement form', () => {
  const repo = fixture('deps-requirements-forms');
  const d = readDependencyFile(repo, 'requirements.txt');
  const by = (n: string) => d.packages.find((p) => p.name === n);

  test('names from specifiers, URLs, eggs, archives and local projects', () => {
    expect(d.packages.map((p) => p.name)).toEqual([
      'gunicorn',
      'pyuwsgi',
      'uvicorn',
      'daphne',
      'hypercorn',
      'waitress',
      'bjoern',
      'mod-wsgi',
      'django',
      'granian',
      'uvicorn-worker',
    ]);
  });

  test('extras, markers and positions', () => {
    expect(by('gunicorn')).toMatchObject({ extras: ['gevent'], marker: 'sys_platform != "win32"', raw: 'gunicorn[gevent]>=21 ; sys_platform != "win32"' });
    expect(by('gunicorn')!.loc).toEqual({ file: 'requirements.txt', line: 5, column: 1, endLine: 5, endColumn: 47 });
    expect(by('uvicorn')!.extras).toEqual(['standard']);
    expect(by('mod-wsgi')!.raw).toBe('Mod_WSGI==5.0.0');
    expect(by('hypercorn')!.loc.line).toBe(9);
    expect(by('uvicorn-worker')!.loc.file).toBe('more.txt');
    expect(by('uvicorn-worker')!.via).toEqual(['requirements.txt']);
  });

  test('-e .[asgi] reads the project: main dependencies and the asked extra only', () => {
    expect(by('django')!.loc.file).toBe('pyproject.toml');
    expect(by('django')!.via).toEqual(['requirements.txt']);
    expect(by('granian')).toMatchObject({ group: 'asgi', kind: 'extra', dev: false });
    expect(by('granian')!.loc).toMatchObject({ file: 'pyproject.toml', line: 7 });
    expect(by('pytest')).toBeUndefined();
  });

  test('an environment variable is unresolved, not guessed', () => {
    expect(d.unresolved.map((u) => [u.loc.line, u.message])).toEqual([
      [13, "'${PRIVATE_PACKAGE}' in requirements.txt uses an environment variable; the package it names is not known"],
    ]);
  });
});

describe('broken includes', () => {
  test('missing include and cycles are parse issues on the including line; URLs are unresolved', () => {
    const repo = fixture('deps-requirements-broken');
    const p = collector();
    const d = readDependencyFile(repo, 'requirements.txt', p);
    expect(d.packages.map((x) => x.name)).toEqual(['django', 'gunicorn']);
    expect(p.issues.get('requirements.txt')).toEqual([
      {
        message: "'requirements/missing.txt' is included from requirements.txt but requirements/missing.txt does not exist",
        loc: { file: 'requirements.txt', line: 2, column: 1, endLine: 2, endColumn: 28 },
      },
    ]);
    expect(p.issues.get('b.txt')).toEqual([
      {
        message: "'a.txt' includes a.txt, which is already being read: an include cycle",
        loc: { file: 'b.txt', line: 1, column: 1, endLine: 1, endColumn: 9 },
      },
    ]);
    expect(d.unresolved.map((u) => `${u.loc.file}:${u.loc.line}`)).toEqual(['b.txt:2', 'b.txt:3']);
    expect(d.unresolved[0].message).toMatch(/not a file in the repository/);
    expect(d.unresolved[1].message).toMatch(/outside the repository/);
  });

  test('a file that does not exist reads as nothing, without throwing', () => {
    const repo = fixture('deps-requirements-broken');
    const d = readDependencyFile(repo, 'nope.txt');
    expect(d).toEqual({ packages: [], files: [], unresolved: [] });
  });
});
