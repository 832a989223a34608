import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../src/discover/repo.js';
import { installsFromCommands, systemPackage } from '../src/deps/installs.js';
import type { Declared } from '../src/deps/types.js';
import type { Location } from '../src/core/location.js';
import { loadGrammars } from '../src/parse/treesitter.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = discover(path.join(here, 'fixtures', 'deps-installs'));

beforeAll(async () => {
  await loadGrammars(['python']);
});

/** The image's /app is the repo folder `folder` (as `COPY . /app` would make it). */
function mapper(folder: string) {
  return (p: string, cwd: string | null): string | null => {
    const abs = p.startsWith('/') ? path.posix.normalize(p) : cwd ? path.posix.join(cwd, p) : null;
    if (abs === null) return null;
    if (abs === '/app') return folder;
    return abs.startsWith('/app/') ? `${folder}/${abs.slice(5)}` : null;
  };
}

const nowhere: Location = { file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2 };
const cmd = (s: string) => ({ words: s.split(/\s+/).filter(Boolean), loc: nowhere });
const summary = (list: Declared[]) => list.map((p) => `${p.name} ${p.group}${p.dev ? ' dev' : ''}`).sort();

type Row = [string, string[], string | null, string[], boolean];

function check([folder, commands, cwd, want, unknown]: Row) {
  const ev = installsFromCommands(repo, commands.map(cmd), mapper(folder), cwd);
  expect(summary(ev.packages)).toEqual([...want].sort());
  expect(ev.unknown).toBe(unknown);
  expect(ev.unknown).toBe(ev.unknownAt.length > 0);
  return ev;
}

describe('pip, python -m pip, uv pip, pip-sync', () => {
  test.each<Row>([
    ['pip', ['pip install -r requirements/production.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['pip3 install --no-cache-dir --upgrade -r requirements.txt'], '/app', ['django main'], false],
    ['pip', ['python -m pip install -Ur requirements/local.txt'], '/app', ['django local dev', 'werkzeug local dev'], false],
    ['pip', ['python3.12 -m pip install --requirement=requirements/production.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['/opt/venv/bin/pip --disable-pip-version-check install -r /app/requirements/production.txt'], null, ['django main', 'gunicorn main'], false],
    ['pip', ['pip install gunicorn==22.0 uvicorn[standard]'], '/app', ['gunicorn main', 'uvicorn main'], false],
    ['pip', ['pip install .'], '/app', ['django main'], false],
    ['pip', ['pip install -e .[prod]'], '/app', ['django main', 'uwsgi prod'], false],
    ['pip', ['pip install --no-deps .'], '/app', [], false],
    ['pip', ['pip install -r $REQUIREMENTS'], '/app', [], true],
    ['pip', ['pip install -r /tmp/requirements.txt'], '/app', [], true],
    ['pip', ['pip install --user --require-hashes -r requirements/production.txt -c requirements/base.txt -i https://pypi.org/simple'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['pip install --group serve'], '/app', ['granian serve'], false],
    ['pip', ['pip install /wheels/*'], '/app', [], true],
    ['pip', ['pip wheel --wheel-dir /wheels -r requirements/production.txt', 'pip install --no-index --find-links=/wheels /wheels/*'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['pip download -d /pkgs -r requirements/production.txt'], '/app', [], false],
    ['pip', ['uv pip install --system -r requirements/production.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['uv pip install -r pyproject.toml --extra prod'], '/app', ['django main', 'uwsgi prod'], false],
    ['pip', ['uv pip sync requirements/production.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['pip-sync requirements/production.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['cd /app', 'pip install -r requirements/production.txt'], '/', ['django main', 'gunicorn main'], false],
    ['pip', ['cd app', 'pip install -r requirements/production.txt'], '/', ['django main', 'gunicorn main'], false],
    ['pip', ['pip install https://example.org/gunicorn-22.0.0-py3-none-any.whl'], '/app', ['gunicorn main'], false],
    ['pip', ['pip install ./dist/app-1.0-py3-none-any.whl'], '/app', ['app main'], true],
    ['pip', ['pip-compile requirements/production.txt -o /tmp/locked.txt', 'pip install -r /tmp/locked.txt'], '/app', ['django main', 'gunicorn main'], false],
    ['pip', ['PIP_NO_CACHE_DIR=1 pip install waitress'], '/app', ['waitress main'], false],
    ['pip', ['pip --version', 'pip list', 'python manage.py collectstatic --noinput'], '/app', [], false],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });

  test('files read, includes and constraints among them', () => {
    const ev = check(['pip', ['pip install -r requirements/production.txt -c requirements.txt'], '/app', ['django main', 'gunicorn main'], false]);
    expect(ev.files).toEqual(['pip/requirements/production.txt', 'pip/requirements/base.txt', 'pip/requirements.txt']);
  });
});

describe('uv sync / add / export', () => {
  test.each<Row>([
    ['uv', ['uv sync'], '/app', ['django main', 'asgiref main', 'gunicorn dev dev', 'packaging dev dev'], false],
    ['uv', ['uv sync --frozen --no-dev'], '/app', ['django main', 'asgiref main'], false],
    ['uv', ['uv sync --locked --no-dev --group prod'], '/app', ['django main', 'asgiref main', 'uvicorn prod'], false],
    ['uv', ['uv sync --only-group prod'], '/app', ['uvicorn prod'], false],
    ['uv', ['uv sync --no-default-groups --extra asgi'], '/app', ['django main', 'asgiref main', 'daphne asgi'], false],
    ['uv', ['uv sync --all-extras --all-groups --no-group dev'], '/app', ['django main', 'asgiref main', 'daphne asgi', 'uvicorn prod'], false],
    ['uv', ['uv sync --only-dev'], '/app', ['gunicorn dev dev', 'packaging dev dev'], false],
    ['uv', ['uv --directory /app sync --no-dev'], '/', ['django main', 'asgiref main'], false],
    ['uv', ['uv sync --project=/app --no-dev'], '/', ['django main', 'asgiref main'], false],
    ['uv', ['uv sync'], '/srv', [], true],
    ['uv', ['uv add gunicorn'], '/app', ['gunicorn main'], false],
    ['uv', ['uv add --dev pytest'], '/app', ['pytest dev dev'], false],
    ['uv', ['uv tool install granian --with uvloop'], '/app', ['granian main', 'uvloop main'], false],
    ['uv', ['uv export --no-dev --frozen -o requirements.txt', 'pip install -r requirements.txt'], '/app', ['django main', 'asgiref main'], false],
    ['uv', ['uv export --frozen --no-hashes', 'pip install -r /tmp/req.txt'], '/app', ['django main', 'asgiref main', 'gunicorn dev dev', 'packaging dev dev'], false],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });

  test('lock-derived packages point into uv.lock', () => {
    const ev = installsFromCommands(repo, [cmd('uv sync --no-dev')], mapper('uv'), '/app');
    expect(ev.packages.find((p) => p.name === 'asgiref')).toMatchObject({ locked: true, loc: { file: 'uv/uv.lock', line: 34 } });
    expect(ev.packages.find((p) => p.name === 'django')!.loc).toMatchObject({ file: 'uv/pyproject.toml', line: 4 });
    expect(ev.files).toEqual(['uv/pyproject.toml', 'uv/uv.lock']);
  });
});

describe('poetry', () => {
  test.each<Row>([
    ['poetry', ['poetry install'], '/app', ['django main', 'asgiref main', 'pytest dev dev', 'gunicorn server', 'packaging server'], false],
    ['poetry', ['poetry install --only main'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry install --only=main'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry install --without dev'], '/app', ['django main', 'asgiref main', 'gunicorn server', 'packaging server'], false],
    ['poetry', ['poetry install --no-dev'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry install --only main,server --no-root'], '/app', ['django main', 'asgiref main', 'gunicorn server', 'packaging server'], false],
    ['poetry', ['poetry install --with docs --without dev,server'], '/app', ['django main', 'asgiref main', 'sphinx docs dev'], false],
    ['poetry', ['poetry install -E asgi --only main'], '/app', ['django main', 'asgiref main', 'uvicorn asgi', 'h11 asgi'], false],
    ['poetry', ['poetry install --only-root'], '/app', [], false],
    ['poetry', ['poetry -C /app install --only main'], '/', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry --no-interaction --no-ansi install --only main'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry sync --only main'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry export -f requirements.txt --output requirements.txt --without-hashes', 'pip install -r requirements.txt'], '/app', ['django main', 'asgiref main'], false],
    ['poetry', ['poetry export --with server -o /tmp/req.txt', 'pip install --no-deps -r /tmp/req.txt'], '/app', ['django main', 'asgiref main', 'gunicorn server', 'packaging server'], false],
    ['poetry', ['poetry add gunicorn'], '/app', ['gunicorn main'], false],
    ['poetry', ['poetry add --group dev pytest'], '/app', ['pytest dev dev'], false],
    ['poetry', ['poetry install'], '/elsewhere', [], true],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });
});

describe('pipenv and pdm', () => {
  test.each<Row>([
    ['pipenv', ['pipenv install --deploy --system'], '/app', ['django main', 'gunicorn main', 'packaging main'], false],
    ['pipenv', ['pipenv install --dev --system'], '/app', ['django main', 'gunicorn main', 'packaging main', 'pytest dev dev'], false],
    ['pipenv', ['pipenv sync'], '/app', ['django main', 'gunicorn main', 'packaging main'], false],
    ['pipenv', ['pipenv install gunicorn'], '/app', ['gunicorn main'], false],
    ['pipenv', ['pipenv install --dev pytest'], '/app', ['pytest dev dev'], false],
    ['pipenv', ['pipenv requirements', 'pip install -r requirements.txt'], '/app', ['django main', 'gunicorn main', 'packaging main'], false],
    ['pipenv', ['pipenv requirements --dev-only > dev.txt', 'pip install -r dev.txt'], '/app', ['pytest dev dev'], false],
    ['pipenv', ['pipenv install --system'], '/nowhere', [], true],
    ['pdm', ['pdm install'], '/app', ['django main', 'pytest test dev'], false],
    ['pdm', ['pdm install --prod'], '/app', ['django main'], false],
    ['pdm', ['pdm install --prod -G server'], '/app', ['django main', 'waitress server'], false],
    ['pdm', ['pdm sync --prod --no-editable'], '/app', ['django main'], false],
    ['pdm', ['pdm install -G :all'], '/app', ['django main', 'waitress server', 'pytest test dev'], false],
    ['pdm', ['pdm add waitress'], '/app', ['waitress main'], false],
    ['pdm', ['pdm export --prod -o requirements.txt', 'pip install -r requirements.txt'], '/app', ['django main'], false],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });
});

describe('conda, pipx, easy_install and system packages', () => {
  test.each<Row>([
    ['conda', ['conda env create -f environment.yml'], '/app', ['gunicorn main', 'daphne main'], false],
    ['conda', ['mamba env update --file environment.yml --prune'], '/app', ['gunicorn main', 'daphne main'], false],
    ['conda', ['micromamba install -y -n base -f environment.yml'], '/app', ['gunicorn main', 'daphne main'], false],
    ['conda', ['conda env create'], '/app', ['gunicorn main', 'daphne main'], false],
    ['conda', ['conda install -y -c conda-forge gunicorn=22 uvicorn'], '/app', ['gunicorn main', 'uvicorn main'], false],
    ['conda', ['conda create -n app --file spec.txt'], '/app', ['uwsgi main'], false],
    ['conda', ['conda env create -f /tmp/env.yml'], '/app', [], true],
    ['pip', ['pipx install gunicorn'], '/app', ['gunicorn main'], false],
    ['pip', ['easy_install waitress'], '/app', ['waitress main'], false],
    ['pip', ['apt-get install -y --no-install-recommends python3-gunicorn=20.1.0-1 libpq5'], '/app', ['gunicorn system'], false],
    ['pip', ['apt install -y uwsgi-plugin-python3'], '/app', ['uwsgi system'], false],
    ['pip', ['apt-get update'], '/app', [], false],
    ['pip', ['apk add --no-cache --virtual .build-deps gcc py3-gunicorn'], '/app', ['gunicorn system'], false],
    ['pip', ['apk add uwsgi-python3'], '/app', ['uwsgi system'], false],
    ['pip', ['dnf install -y python3-mod_wsgi'], '/app', ['mod-wsgi system'], false],
    ['pip', ['yum install -y httpd python39-mod_wsgi'], '/app', ['mod-wsgi system'], false],
    ['pip', ['apt-get install -y libapache2-mod-wsgi-py3'], '/app', ['mod-wsgi system'], false],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });

  test.each([
    ['apt', 'python3-gunicorn', 'gunicorn'],
    ['apt', 'gunicorn', 'gunicorn'],
    ['apt', 'python3-uwsgi', 'uwsgi'],
    ['apt', 'uwsgi-plugin-python3', 'uwsgi'],
    ['apk', 'py3-gunicorn=22.0.0-r0', 'gunicorn'],
    ['apk', 'uwsgi-python3', 'uwsgi'],
    ['apk', 'apache2-mod-wsgi', 'mod-wsgi'],
    ['apt', 'libpq-dev', null],
    ['apt', '${EXTRA}', null],
  ] as const)('%s %s → %s', (kind, word, name) => {
    expect(systemPackage(kind, word)).toBe(name);
  });
});

describe('Makefiles', () => {
  test.each<Row>([
    ['make', ['make install'], '/app', ['gunicorn main', 'django main', 'uwsgi prod'], false],
    ['make', ['make'], '/app', ['gunicorn main', 'django main', 'uwsgi prod'], false],
    ['make', ['make -C /app install PIP=pip3'], '/', ['gunicorn main', 'django main', 'uwsgi prod'], false],
    ['make', ['make deps'], '/app', ['gunicorn main'], false],
    ['make', ['make dynamic'], '/app', [], true],
    ['make', ['make nothing'], '/app', [], true],
    ['make', ['make -f other.mk install'], '/app', [], true],
    ['pip', ['make install'], '/app', [], true],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });

  test('commands from a Makefile point at their recipe line; the Makefile is listed as read', () => {
    const ev = installsFromCommands(repo, [cmd('make deps')], mapper('make'), '/app');
    expect(ev.packages[0].loc).toMatchObject({ file: 'make/requirements/production.txt', line: 1 });
    expect(ev.files).toEqual(['make/Makefile', 'make/requirements/production.txt']);
    const dyn = installsFromCommands(repo, [cmd('make dynamic')], mapper('make'), '/app');
    expect(dyn.unknownAt[0].loc).toMatchObject({ file: 'make/Makefile', line: 23 });
  });
});

describe('commands that may install in ways not followed', () => {
  test.each<Row>([
    ['pip', ['./scripts/install-deps.sh'], '/app', [], true],
    ['pip', ['bash build.sh'], '/app', [], true],
    ['pip', ['./manage.py collectstatic --noinput'], '/app', [], false],
    ['pip', ['just install'], '/app', [], true],
    ['pip', ['just test'], '/app', [], false],
    ['pip', ['pixi install'], '/app', [], true],
    ['pip', ['python setup.py install'], '/app', [], true],
    ['make', ['python setup.py develop'], '/app', ['django main'], false],
    ['rye', ['rye sync --no-dev'], '/app', ['gunicorn main'], false],
    ['rye', ['rye sync'], '/app', ['gunicorn main', 'gunicorn dev dev', 'pytest dev dev'], false],
  ])('%s: %j (cwd %s)', (...row) => {
    check(row);
  });

  test('sh -c with its command string', () => {
    const ev = installsFromCommands(repo, [{ words: ['sh', '-c', 'cd /app && pip install "gunicorn[gevent]" uvicorn'], loc: nowhere }], mapper('pip'), '/');
    expect(summary(ev.packages)).toEqual(['gunicorn main', 'uvicorn main']);
  });
});

describe('missing and generated requirements files', () => {
  test('a file copied from the repository that is not there installs nothing and is reported', () => {
    const ev = installsFromCommands(repo, [cmd('pip install -r requirements/missing.txt')], mapper('pip'), '/app');
    expect(ev.packages).toEqual([]);
    expect(ev.unknown).toBe(false);
    expect(ev.missingFiles).toEqual([{ file: 'pip/requirements/missing.txt', loc: nowhere }]);
  });

  test('a file an earlier command may have written is unknown, not missing', () => {
    const ev = installsFromCommands(repo, [cmd('./gen --out reqs.txt'), cmd('pip install -r reqs.txt')], mapper('pip'), '/app');
    expect(ev.missingFiles).toEqual([]);
    expect(ev.unknown).toBe(true);
  });
});

describe('positions', () => {
  test('each named package points at its word in the Dockerfile, across continuation lines', () => {
    const ev = installsFromCommands(
      repo,
      [
        {
          words: ['apt-get', 'install', '-y', '--no-install-recommends', 'python3-gunicorn=20.1.0-1', 'libpq5'],
          loc: { file: 'pip/Dockerfile', line: 5, column: 23, endLine: 5, endColumn: 98 },
        },
        {
          words: ['pip', 'install', 'gunicorn[gevent]==22.0.0', 'uvicorn'],
          loc: { file: 'pip/Dockerfile', line: 6, column: 5, endLine: 8, endColumn: 14 },
        },
      ],
      mapper('pip'),
      '/app',
    );
    const sys = ev.packages.find((p) => p.group === 'system')!;
    expect(sys.loc).toEqual({ file: 'pip/Dockerfile', line: 5, column: 66, endLine: 5, endColumn: 91 });
    const g = ev.packages.find((p) => p.name === 'gunicorn' && p.group === 'main')!;
    expect(g.loc).toEqual({ file: 'pip/Dockerfile', line: 7, column: 8, endLine: 7, endColumn: 32 });
    expect(g.extras).toEqual(['gevent']);
    const u = ev.packages.find((p) => p.name === 'uvicorn')!;
    expect(u.loc).toEqual({ file: 'pip/Dockerfile', line: 8, column: 7, endLine: 8, endColumn: 14 });
  });

  test('a -r file read through the command: packages point into the requirements file', () => {
    const ev = installsFromCommands(
      repo,
      [{ words: ['pip', 'install', '--no-cache-dir', '-r', 'requirements/production.txt'], loc: { file: 'pip/Dockerfile', line: 4, column: 5, endLine: 4, endColumn: 62 } }],
      mapper('pip'),
      '/app',
    );
    expect(ev.packages.find((p) => p.name === 'gunicorn')!.loc).toEqual({ file: 'pip/requirements/production.txt', line: 2, column: 1, endLine: 2, endColumn: 17 });
    expect(ev.packages.find((p) => p.name === 'gunicorn')!.via).toEqual([]);
    expect(ev.packages.find((p) => p.name === 'django')!.via).toEqual(['pip/requirements/production.txt']);
  });

  test('an unknown install is located at its word', () => {
    const ev = installsFromCommands(
      repo,
      [{ words: ['pip', 'install', '-r', '$REQS'], loc: { file: 'pip/Dockerfile', line: 4, column: 5, endLine: 4, endColumn: 62 } }],
      mapper('pip'),
      '/app',
    );
    expect(ev.unknownAt).toHaveLength(1);
    expect(ev.unknownAt[0].message).toMatch(/chosen at run time/);
    // '$REQS' is not written in that line: the command's own span is used.
    expect(ev.unknownAt[0].loc).toEqual({ file: 'pip/Dockerfile', line: 4, column: 5, endLine: 4, endColumn: 62 });
  });
});
