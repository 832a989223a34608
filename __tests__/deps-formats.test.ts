import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { readDependencyFile } from '../src/deps/declarations.js';
import { condaName } from '../src/deps/conda.js';
import { readIni } from '../src/deps/setup.js';
import type { Declared } from '../src/deps/types.js';
import type { ParseIssue } from '../src/core/issue.js';
import { loadGrammars } from '../src/parse/treesitter.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => discover(path.join(here, 'fixtures', name));
const summary = (list: Declared[]) => list.map((p) => `${p.name} ${p.group}${p.dev ? ' dev' : ''}`);

function collector() {
  const issues: ParseIssue[] = [];
  return { issues, addParseIssues: (_f: string, l: ParseIssue[]) => void issues.push(...l) };
}

beforeAll(async () => {
  await loadGrammars(['python']);
});

describe('Pipfile and Pipfile.lock', () => {
  test('Pipfile: packages, dev-packages, custom categories; quoted keys; extras and markers', () => {
    const d = readDependencyFile(fixture('deps-pipfile'), 'Pipfile');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn main', 'daphne main', 'pytest dev dev', 'ruff lint dev']);
    const g = d.packages[1];
    expect(g.extras).toEqual(['gevent']);
    expect(g.raw).toBe('"Gunicorn" = {version = "*", extras = ["gevent"]}');
    expect(g.loc).toEqual({ file: 'Pipfile', line: 8, column: 1, endLine: 8, endColumn: 50 });
    expect(d.packages[2].marker).toBe("sys_platform == 'linux'");
  });

  test('Pipfile.lock: default and develop, with the line of each key', () => {
    const d = readDependencyFile(fixture('deps-pipfile'), 'Pipfile.lock');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn main', 'packaging main', 'pytest dev dev']);
    expect(d.packages[1].loc).toEqual({ file: 'Pipfile.lock', line: 24, column: 9, endLine: 24, endColumn: 19 });
    expect(d.packages[1].raw).toBe('gunicorn==22.0.0');
    expect(d.packages[3].loc.line).toBe(35);
  });

  test('without a server: gunicorn only in dev-packages / develop', () => {
    const repo = fixture('deps-pipfile-none');
    expect(summary(readDependencyFile(repo, 'Pipfile').packages)).toEqual(['django main', 'gunicorn dev dev']);
    const lock = readDependencyFile(repo, 'Pipfile.lock');
    expect(summary(lock.packages)).toEqual(['django main', 'gunicorn dev dev']);
    expect(lock.packages[1].loc.line).toBe(7);
  });

  test('invalid JSON is a parse issue and leaves the declarations unresolved', () => {
    const p = collector();
    const d = readDependencyFile(fixture('deps-pipfile-broken'), 'Pipfile.lock', p);
    expect(d.packages).toEqual([]);
    expect(p.issues).toHaveLength(1);
    expect(p.issues[0].message).toMatch(/^Pipfile.lock is not valid JSON/);
    expect(d.unresolved).toHaveLength(1);
  });
});

describe('setup.py, read without running it', () => {
  test('literals, module-level names, + and extras_require; tests_require is ignored', () => {
    const d = readDependencyFile(fixture('deps-setup-py'), 'setup.py');
    expect(summary(d.packages)).toEqual([
      'django main',
      'psycopg main',
      'gunicorn main',
      'waitress prod',
      'whitenoise prod',
      'pytest dev dev',
    ]);
    const g = d.packages[2];
    expect(g.loc).toEqual({ file: 'setup.py', line: 17, column: 30, endLine: 17, endColumn: 44 });
    expect(g.raw).toBe('gunicorn>=22');
    expect(d.packages[0].loc).toMatchObject({ line: 4, column: 5 });
    expect(d.packages[1].extras).toEqual(['binary']);
    expect(d.packages.map((p) => p.name)).not.toContain('tox');
    expect(d.unresolved).toEqual([]);
  });

  test('without a server: setuptools.setup with a tuple; gunicorn only in a test extra', () => {
    const d = readDependencyFile(fixture('deps-setup-py-none'), 'setup.py');
    expect(summary(d.packages)).toEqual(['django main', 'gunicorn test dev']);
  });

  test('a requirements file named by a literal inside an expression is followed', () => {
    const d = readDependencyFile(fixture('deps-setup-py-file'), 'setup.py');
    expect(summary(d.packages)).toEqual(['django main', 'uwsgi main']);
    expect(d.packages[1].loc).toMatchObject({ file: 'requirements/prod.txt', line: 2 });
    expect(d.packages[1].via).toEqual(['setup.py']);
    expect(d.files).toEqual(['setup.py', 'requirements/prod.txt']);
  });

  test('a name bound inside `with open("requirements.txt")` reads that file; the last binding wins', () => {
    const d = readDependencyFile(fixture('deps-setup-py-with'), 'setup.py');
    expect(summary(d.packages)).toEqual(['django main', 'uwsgi main', 'granian server']);
    expect(d.packages[1].loc).toMatchObject({ file: 'requirements.txt', line: 2 });
    expect(d.packages[2].loc).toMatchObject({ file: 'setup.py', line: 13, column: 26 });
    expect(d.unresolved).toEqual([]);
  });

  test('requirements computed at run time are unresolved, with their positions', () => {
    const d = readDependencyFile(fixture('deps-setup-py-dynamic'), 'setup.py');
    expect(d.packages).toEqual([]);
    expect(d.unresolved.map((u) => [u.loc.line, u.loc.column])).toEqual([
      [6, 22],
      [7, 27],
    ]);
    expect(d.unresolved[0].message).toMatch(/computes its requirements at run time \('get_requirements\(\)'\)/);
  });

  test('a setup.py that does not exist reads as nothing', () => {
    const d = readDependencyFile(fixture('deps-setup-py'), 'missing/setup.py');
    expect(d).toEqual({ packages: [], files: [], unresolved: [] });
  });
});

describe('setup.cfg', () => {
  test('multi-line install_requires, inline comments, markers, ;-separated extras', () => {
    const d = readDependencyFile(fixture('deps-setup-cfg'), 'setup.cfg');
    expect(summary(d.packages)).toEqual([
      'django main',
      'mod-wsgi main',
      'whitenoise main',
      'pytest dev dev',
      'tox dev dev',
      'hypercorn hypercorn',
    ]);
    expect(d.packages[1].loc).toEqual({ file: 'setup.cfg', line: 9, column: 5, endLine: 9, endColumn: 18 });
    expect(d.packages[2].marker).toBe('python_version >= "3.8"');
    expect(d.packages[4].loc).toMatchObject({ line: 13, column: 15, endColumn: 18 });
    expect(d.packages[5]).toMatchObject({ extras: ['h3'], marker: 'sys_platform == "linux"' });
  });

  test('without a server: mod_wsgi only in a dev extra', () => {
    const d = readDependencyFile(fixture('deps-setup-cfg-none'), 'setup.cfg');
    expect(summary(d.packages)).toEqual(['django main', 'whitenoise main', 'mod-wsgi dev dev']);
    expect(d.packages[1].loc).toMatchObject({ line: 2, column: 33 });
  });

  test('the INI reader keeps continuation lines with their positions', () => {
    const ini = readIni('[options]\ninstall_requires =\n  a\n  # note\n  b\nzip_safe = False\n');
    expect(ini.get('options')).toEqual([
      { key: 'install_requires', keyLine: 2, lines: [{ text: 'a', line: 3, column: 3 }, { text: 'b', line: 5, column: 3 }] },
      { key: 'zip_safe', keyLine: 6, lines: [{ text: 'False', line: 6, column: 12 }] },
    ]);
  });
});

describe('conda environment files', () => {
  test('conda specs with channels, the pip list and its -r include', () => {
    const d = readDependencyFile(fixture('deps-conda'), 'environment.yml');
    expect(summary(d.packages)).toEqual(['gunicorn main', 'psycopg2 main', 'channels main', 'daphne main']);
    expect(d.packages[0].loc).toEqual({ file: 'environment.yml', line: 7, column: 5, endLine: 7, endColumn: 31 });
    expect(d.packages[2]).toMatchObject({ extras: ['daphne'], via: ['environment.yml'] });
    expect(d.packages[2].loc.file).toBe('requirements.txt');
    expect(d.files).toEqual(['environment.yml', 'requirements.txt']);
  });

  test('without a server: gunicorn only in environment-dev.yml', () => {
    const repo = fixture('deps-conda-none');
    expect(summary(readDependencyFile(repo, 'environment.yml').packages)).toEqual(['django main']);
    expect(summary(readDependencyFile(repo, 'environment-dev.yml').packages)).toEqual(['gunicorn dev dev']);
  });

  test('invalid YAML is a parse issue', () => {
    const p = collector();
    const d = readDependencyFile(fixture('deps-conda-broken'), 'environment.yml', p);
    expect(d.packages).toEqual([]);
    expect(p.issues[0].message).toMatch(/^environment.yml is not valid YAML/);
    expect(p.issues[0].loc.file).toBe('environment.yml');
    expect(d.unresolved).toHaveLength(1);
  });

  test('conda package names', () => {
    expect(condaName('conda-forge::mod_wsgi=5.0')).toBe('mod-wsgi');
    expect(condaName('uwsgi >=2.0')).toBe('uwsgi');
    expect(condaName('{{ jinja }}')).toBeNull();
  });
});
