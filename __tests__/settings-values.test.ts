/**
 * Value shapes of settings modules, on small repositories written to a temporary directory:
 * path forms, environment readers, list and dict edits, conditionals, imports, limits.
 */
import { discover } from '../src/discover/repo.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { readSettings, SETTINGS_LIMITS, type SettingsFacts } from '../src/settings/read.js';
import { tempRepo } from './temp-repo.js';

function readRepo(files: Record<string, string>, file: string): SettingsFacts {
  return readSettings(discover(tempRepo(files)), file);
}
const at = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({ file, line, column, endLine, endColumn });

beforeAll(async () => {
  await loadGrammars(['python']);
});

describe('paths', () => {
  const f = (): SettingsFacts =>
    readRepo(
      {
        'a/b/c/settings.py': [
          'import os',
          'from pathlib import Path',
          'from os.path import join as pjoin',
          'import environ',
          'BASE_DIR = Path(__file__).resolve().parents[2]',
          'ROOT = environ.Path(__file__) - 3',
          'A = ROOT("static")',
          'B = str(ROOT.path("collected"))',
          'C = os.path.join(os.path.dirname(__file__), "..", "static")',
          'D = Path(BASE_DIR, "x", "y/")',
          'E = BASE_DIR / "/var/www/static"',
          'F = pjoin("/srv", "static")',
          'G = Path(__file__).parents[5] / "static"',
          'H = BASE_DIR.parent / "s"',
          'I = "relative/static"',
          'J = Path("static")',
          'K = f"{BASE_DIR}/static/"',
          'L = os.path.join(BASE_DIR, "..", "..", "up")',
          'M = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "www"))',
          'N = f"{BASE_DIR!s}/x"',
          'O = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, "static"))',
          '',
        ].join('\n'),
      },
      'a/b/c/settings.py',
    );
  test.each([
    ['BASE_DIR', 'a'],
    ['ROOT', 'a'],
    ['A', 'a/static'],
    ['B', 'a/collected'],
    ['C', 'a/b/static'],
    ['D', 'a/x/y'],
    ['H', 's'],
    ['K', 'a/static'],
    ['M', 'www'],
    ['O', 'a/b/static'],
  ])('%s → %s', (name, expected) => {
    expect(f().settings[name].path).toBe(expected);
  });

  test('absolute paths are literals, not repo paths', () => {
    const s = f().settings;
    expect(s.E).toMatchObject({ literal: '/var/www/static' });
    expect(s.E.path).toBeUndefined();
    expect(s.F).toMatchObject({ literal: '/srv/static', kind: 'expr' });
  });

  test('paths above the repository root, cwd-relative paths and formatted interpolations are not computed', () => {
    const s = f().settings;
    for (const n of ['G', 'J', 'L', 'N']) expect([n, s[n].path, s[n].literal]).toEqual([n, undefined, undefined]);
    expect(s.I).toMatchObject({ kind: 'literal', literal: 'relative/static' });
    expect(s.I.path).toBeUndefined();
  });
});

describe('environment readers', () => {
  test('django-environ instance, env.path default, project helper functions, wrapped reads', () => {
    const S = 'proj/settings.py';
    const f = readRepo(
      {
        [S]: [
          'import os',
          'from pathlib import Path',
          'import environ',
          '',
          'def get_env_variable(name):',
          '    return os.environ[name]',
          '',
          'def setting(x):',
          '    return x',
          '',
          'BASE_DIR = Path(__file__).resolve().parent.parent',
          'env = environ.Env(DEBUG=(bool, False))',
          'STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")',
          'STATIC_URL = get_env_variable("STATIC_URL")',
          'DEBUG = int(os.environ.get("DEBUG", default=0)) == 1',
          'SECRET_KEY = env("SECRET_KEY", str, "nope")',
          'ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])',
          'TIME_ZONE = setting("UTC")',
          '',
        ].join('\n'),
      },
      S,
    );
    expect(f.staticRoot).toEqual({
      name: 'STATIC_ROOT',
      loc: at(S, 13, 1, 13, 67),
      kind: 'env',
      text: 'env.path("STATIC_ROOT", default=BASE_DIR / "static")',
      valueLoc: at(S, 13, 15, 13, 67),
      env: { name: 'STATIC_ROOT', default: { text: 'BASE_DIR / "static"', path: 'static' } },
    });
    expect(f.staticUrl).toMatchObject({ kind: 'env', env: { name: 'STATIC_URL', default: null } });
    expect(f.debug).toMatchObject({ kind: 'env', env: { name: 'DEBUG', default: { text: '0', literal: '0' } } });
    // env() takes `cast` second: the third positional is not the default.
    expect(f.settings.SECRET_KEY).toMatchObject({ kind: 'env', env: { name: 'SECRET_KEY', default: null } });
    expect(f.settings.ALLOWED_HOSTS).toMatchObject({ kind: 'env', env: { name: 'ALLOWED_HOSTS', default: { text: '["localhost"]' } } });
    expect(f.settings.TIME_ZONE).toMatchObject({ kind: 'expr' });
  });

  test('`from os import environ, getenv` and a python-decouple AutoConfig instance', () => {
    const f = readRepo(
      {
        'p/settings.py': [
          'from os import environ, getenv',
          'from decouple import AutoConfig',
          'config = AutoConfig(search_path="/etc")',
          'A = environ.get("A", "a")',
          'B = getenv("B")',
          'C = environ["C"]',
          'D = config("D", default="d")',
          '',
        ].join('\n'),
      },
      'p/settings.py',
    );
    expect(['A', 'B', 'C', 'D'].map((n) => [f.settings[n].kind, f.settings[n].env?.name, f.settings[n].env?.default?.literal])).toEqual([
      ['env', 'A', 'a'],
      ['env', 'B', undefined],
      ['env', 'C', undefined],
      ['env', 'D', 'd'],
    ]);
  });
});

describe('lists and dicts', () => {
  test('extend, remove, splats, tuple +, .index()-relative insert, list()', () => {
    const S = 's/settings.py';
    const f = readRepo(
      {
        [S]: [
          'BASE_MIDDLEWARE = ("a", "b")',
          'MIDDLEWARE = list(BASE_MIDDLEWARE + ("c",))',
          'MIDDLEWARE.insert(MIDDLEWARE.index("a") + 1, "whitenoise.middleware.WhiteNoiseMiddleware")',
          'MIDDLEWARE.extend(["d", "e"])',
          'MIDDLEWARE.remove("e")',
          'INSTALLED_APPS = [*["x"], "django.contrib.staticfiles", "daphne"]',
          'INSTALLED_APPS.append(some_app)',
          '',
        ].join('\n'),
      },
      S,
    );
    expect(f.middleware.map((m) => m.value)).toEqual(['a', 'whitenoise.middleware.WhiteNoiseMiddleware', 'b', 'c', 'd']);
    expect(f.whitenoise).toEqual(at(S, 3, 46, 3, 90));
    expect(f.middlewareComplete).toBe(true);
    expect(f.installedApps.map((a) => a.value)).toEqual(['x', 'django.contrib.staticfiles', 'daphne']);
    expect(f.installedAppsComplete).toBe(false);
    expect(f.daphneApp).toEqual(at(S, 6, 57, 6, 65));
  });

  test('STORAGES edited by nested subscript, ** merge and update()', () => {
    const S = 's/settings.py';
    const f = readRepo(
      {
        [S]: [
          'STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}',
          'STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}',
          'STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedStaticFilesStorage"',
          'OTHER = {}',
          'OTHER.update({"staticfiles": {"BACKEND": "storages.backends.s3.S3Storage"}})',
          '',
        ].join('\n'),
      },
      S,
    );
    expect(f.staticBackend).toEqual({ value: 'whitenoise.storage.CompressedStaticFilesStorage', remote: false, whitenoise: true, loc: at(S, 3, 38, 3, 87) });
    expect(f.storages).toMatchObject({ loc: at(S, 2, 1, 2, 109) });
  });

  test('the default static storage is neither remote nor WhiteNoise', () => {
    const f = readRepo({ 's/settings.py': 'STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"\n' }, 's/settings.py');
    expect(f.staticBackend).toMatchObject({ remote: false, whitenoise: false });
  });

  test('an unknown project backend is judged by its class name', () => {
    const f = readRepo({ 's/settings.py': 'STATICFILES_STORAGE = "vendor.cdn.S3StaticStorage"\n' }, 's/settings.py');
    expect(f.staticBackend).toMatchObject({ value: 'vendor.cdn.S3StaticStorage', remote: true });
  });
});

describe('static files served by Django in ROOT_URLCONF', () => {
  const urls = (body: string): SettingsFacts =>
    readRepo({ 'p/settings.py': 'ROOT_URLCONF = "p.urls"\n', 'p/__init__.py': '', 'p/urls.py': body }, 'p/settings.py');

  test('`if not settings.DEBUG:` does not guard; its else branch does', () => {
    const body = [
      'from django.conf import settings',
      'from django.urls import re_path',
      'from django.views import static as views_static',
      'urlpatterns = []',
      'if not settings.DEBUG:',
      '    urlpatterns += [re_path(r"^static/(?P<path>.*)$", views_static.serve, {"document_root": settings.STATIC_ROOT})]',
      'else:',
      '    urlpatterns += [re_path(r"^other/(?P<path>.*)$", views_static.serve, {"document_root": settings.STATIC_ROOT})]',
      '',
    ].join('\n');
    const f = urls(body);
    expect(f.urlconfFile).toBe('p/urls.py');
    expect(f.staticServeInUrls).toEqual(at('p/urls.py', 6, 21, 6, 115));
    const lines = body.split('\n');
    lines[5] = '    pass';
    const elseOnly = urls(lines.join('\n'));
    expect(elseOnly.staticServeInUrls).toBeNull();
  });

  test('a route named static/ with serve counts even without STATIC_ROOT; media does not; syntax errors are issues', () => {
    const f = urls('from django.views.static import serve as s\nfrom django.urls import path\nurlpatterns = [path("static/<path:path>", s, {"document_root": "/srv"})]\n');
    expect(f.staticServeInUrls).toEqual(at('p/urls.py', 3, 16, 3, 72));
    const media = urls('from django.views.static import serve\nurlpatterns = [path("media/<path:path>", serve, {"document_root": MEDIA_ROOT})]\n');
    expect(media.staticServeInUrls).toBeNull();
    const broken = urls('from django.views.static import serve\nurlpatterns = [\n');
    expect(broken.issues.map((i) => i.loc.file)).toEqual(['p/urls.py']);
  });
});

describe('statements', () => {
  test('chained and tuple assignment, elif/else, for, with, named import of a setting', () => {
    const S = 'p/settings.py';
    const f = readRepo(
      {
        'p/base.py': 'STATIC_ROOT = "/base/static"\nSTATIC_URL = "/s/"\n',
        [S]: [
          'from .base import STATIC_ROOT as BASE_ROOT, STATIC_URL',
          'A = B = "/twice"',
          'C, D = "/c", "/d"',
          'import os',
          'if os.environ.get("X"):',
          '    STATIC_ROOT = "/x"',
          'elif os.environ.get("Y"):',
          '    STATIC_ROOT = "/y"',
          'else:',
          '    STATIC_ROOT = BASE_ROOT',
          'with open("/dev/null"):',
          '    DEBUG = False',
          'for i in range(2):',
          '    MEDIA_ROOT = "/m"',
          '',
        ].join('\n'),
      },
      S,
    );
    const s = f.settings;
    expect([s.A.literal, s.B.literal, s.C.literal, s.D.literal]).toEqual(['/twice', '/twice', '/c', '/d']);
    expect(s.STATIC_URL).toMatchObject({ literal: '/s/', loc: at('p/base.py', 2, 1, 2, 19) });
    expect(s.BASE_ROOT).toMatchObject({ name: 'BASE_ROOT', literal: '/base/static', loc: at('p/base.py', 1, 1, 1, 29) });
    expect(f.staticRoot).toMatchObject({ literal: '/base/static', conditional: true, loc: at(S, 10, 5, 10, 28) });
    expect(f.staticRoot!.alternatives!.map((a) => a.literal)).toEqual(['/y', '/x']);
    expect(f.debug).toMatchObject({ literal: false });
    expect(f.debug!.conditional).toBeUndefined();
    expect(s.MEDIA_ROOT.conditional).toBe(true);
    expect(f.chain).toEqual(['p/base.py', S]);
  });

  test('django_on_heroku with staticfiles=False sets nothing; with MIDDLEWARE_CLASSES it prepends there', () => {
    const off = readRepo({ 'p/settings.py': 'import django_on_heroku\nMIDDLEWARE = []\ndjango_on_heroku.settings(locals(), staticfiles=False)\n' }, 'p/settings.py');
    expect(off.helpers.map((h) => h.name)).toEqual(['django_on_heroku.settings']);
    expect(off.staticRoot).toBeNull();
    expect(off.whitenoise).toBeNull();
    const old = readRepo({ 'p/settings.py': 'import django_on_heroku\nMIDDLEWARE_CLASSES = ("a",)\ndjango_on_heroku.settings(locals())\n' }, 'p/settings.py');
    expect(old.middleware.map((m) => m.value)).toEqual(['whitenoise.middleware.WhiteNoiseMiddleware', 'a']);
    expect(old.staticRoot).toMatchObject({ kind: 'helper' });
    expect(old.staticRoot!.path).toBeUndefined(); // no BASE_DIR known
  });

  test('imports nested deeper than the limit stop with a note', () => {
    const files: Record<string, string> = {};
    const n = SETTINGS_LIMITS.maxDepth + 3;
    for (let i = 0; i < n; i++) files[`p/m${i}.py`] = i + 1 < n ? `from .m${i + 1} import *\nX${i} = 1\n` : 'LAST = 1\n';
    const f = readRepo(files, 'p/m0.py');
    expect(f.complete).toBe(false);
    expect(f.unresolved).toHaveLength(1);
    expect(f.unresolved[0].message).toBe(`p/m${SETTINGS_LIMITS.maxDepth + 1}.py is nested more than ${SETTINGS_LIMITS.maxDepth} imports deep; not followed`);
    expect(f.settings.X0.literal).toBe('1');
    expect(f.settings.LAST).toBeUndefined();
  });

  test('relative star import from a settings package __init__.py', () => {
    const f = readRepo({ 'pkg/settings/__init__.py': 'from .prod import *\n', 'pkg/settings/prod.py': 'STATIC_ROOT = "/prod"\n' }, 'pkg/settings/__init__.py');
    expect(f.staticRoot).toMatchObject({ literal: '/prod', loc: at('pkg/settings/prod.py', 1, 1, 1, 22) });
    expect(f.chain).toEqual(['pkg/settings/prod.py', 'pkg/settings/__init__.py']);
  });

  test('absolute star import through a package, and a library star import is ignored', () => {
    const f = readRepo(
      {
        'conf/__init__.py': '',
        'conf/settings/__init__.py': 'from conf.settings.base import *\nfrom django.conf.global_settings import *\n',
        'conf/settings/base.py': 'STATIC_ROOT = "/base"\n',
      },
      'conf/settings/__init__.py',
    );
    expect(f.staticRoot).toMatchObject({ literal: '/base' });
    expect(f.unresolved).toEqual([]);
    expect(f.complete).toBe(true);
  });

  test('binary, huge or hostile input never throws', () => {
    expect(() => readRepo({ 'p/settings.py': '\u0000\u0001' }, 'p/settings.py')).not.toThrow();
    const n = 30000;
    const deep = [
      'X = ' + '('.repeat(n) + '1' + ')'.repeat(n),
      'STATIC_ROOT = ' + '['.repeat(n) + 'os.environ.get("X")' + ']'.repeat(n),
      'A = ' + 'a.'.repeat(n) + 'b',
      'B = ' + 'C = '.repeat(n) + '1',
      '',
    ].join('\n');
    expect(() => readRepo({ 'p/settings.py': deep }, 'p/settings.py')).not.toThrow();
    const junk = readRepo({ 'p/settings.py': 'def (:\n  STATIC_ROOT = \n' }, 'p/settings.py');
    expect(junk.issues.length).toBeGreaterThan(0);
  });
});
