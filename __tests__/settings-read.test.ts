import { discover } from '../src/discover/repo.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { readSettings, type SettingsFacts } from '../src/settings/read.js';

const FX = new URL('./fixtures/', import.meta.url).pathname;
const read = (fixture: string, file: string): SettingsFacts => readSettings(discover(FX + fixture), file);
const at = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({ file, line, column, endLine, endColumn });

beforeAll(async () => {
  await loadGrammars(['python']);
});

describe('single settings.py (pathlib)', () => {
  const S = 'mysite/settings.py';
  let f: SettingsFacts;
  beforeAll(() => {
    f = read('settings-single', S);
  });

  test('STATIC_ROOT = BASE_DIR / "staticfiles" resolves to a repo path', () => {
    expect(f.staticRoot).toEqual({
      name: 'STATIC_ROOT',
      loc: at(S, 26, 1, 26, 39),
      kind: 'expr',
      text: 'BASE_DIR / "staticfiles"',
      valueLoc: at(S, 26, 15, 26, 39),
      path: 'staticfiles',
    });
    expect(f.settings.BASE_DIR.path).toBe('');
  });

  test('STATIC_URL and DEBUG literals', () => {
    expect(f.staticUrl).toMatchObject({ kind: 'literal', literal: 'static/', loc: at(S, 25, 1, 25, 23) });
    expect(f.debug).toMatchObject({ kind: 'literal', literal: false, text: 'False', valueLoc: at(S, 6, 9, 6, 14) });
  });

  test('WhiteNoise middleware and apps, with positions', () => {
    expect(f.whitenoise).toEqual(at(S, 19, 5, 19, 49));
    expect(f.middleware.map((m) => m.value)).toEqual([
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'django.middleware.common.CommonMiddleware',
    ]);
    expect(f.middlewareComplete).toBe(true);
    expect(f.installedApps[3]).toEqual({ value: 'django.contrib.staticfiles', loc: at(S, 13, 5, 13, 33) });
    expect(f.staticfilesApp).toBe(true);
    expect(f.installedAppsComplete).toBe(true);
    expect(f.daphneApp).toBeNull();
  });

  test('one file, nothing unresolved; static() in urls.py is a no-op without DEBUG', () => {
    expect(f.chain).toEqual([S]);
    expect(f.complete).toBe(true);
    expect(f.unresolved).toEqual([]);
    expect(f.issues).toEqual([]);
    expect(f.storages).toBeNull();
    expect(f.staticBackend).toBeNull();
    expect(f.urlconfFile).toBe('mysite/urls.py');
    expect(f.staticServeInUrls).toBeNull();
  });
});

describe('split settings package: base + production / local through star imports', () => {
  const B = 'config/settings/base.py';
  const P = 'config/settings/production.py';
  let prod: SettingsFacts;
  let local: SettingsFacts;
  beforeAll(() => {
    prod = read('settings-split', P);
    local = read('settings-split', 'config/settings/local.py');
  });

  test('the chain lists base first', () => {
    expect(prod.chain).toEqual([B, P]);
    expect(local.chain).toEqual([B, 'config/settings/local.py']);
  });

  test('STATIC_ROOT comes from base.py; BASE_DIR three parents up is the repo root', () => {
    expect(prod.staticRoot).toMatchObject({ loc: at(B, 29, 1, 29, 44), text: 'str(BASE_DIR / "staticfiles")', path: 'staticfiles', kind: 'expr' });
    expect(prod.settings.APPS_DIR.path).toBe('shop');
  });

  test('MIDDLEWARE.insert(1, …) in production.py puts WhiteNoise second', () => {
    expect(prod.middleware.map((m) => m.value)).toEqual([
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'django.contrib.sessions.middleware.SessionMiddleware',
      'django.middleware.common.CommonMiddleware',
    ]);
    expect(prod.whitenoise).toEqual(at(P, 7, 22, 7, 66));
    expect(prod.middleware[0].loc).toEqual(at(B, 22, 5, 22, 52));
    expect(local.whitenoise).toBeNull();
  });

  test('STORAGES (4.2+) with the WhiteNoise backend', () => {
    expect(prod.storages).toMatchObject({ name: 'STORAGES', loc: at(P, 9, 1, 14, 2), kind: 'expr' });
    expect(prod.staticfilesStorage).toBeNull();
    expect(prod.staticBackend).toEqual({
      value: 'whitenoise.storage.CompressedManifestStaticFilesStorage',
      remote: false,
      whitenoise: true,
      loc: at(P, 12, 20, 12, 77),
    });
  });

  test('INSTALLED_APPS built from lists, extended with += in local.py', () => {
    expect(prod.installedApps.map((a) => a.value)).toEqual([
      'django.contrib.auth',
      'django.contrib.contenttypes',
      'django.contrib.staticfiles',
      'rest_framework',
      'shop',
    ]);
    expect(prod.installedApps[3].loc).toEqual(at(B, 17, 21, 17, 37));
    expect(local.installedApps.map((a) => a.value).slice(-1)).toEqual(['debug_toolbar']);
    expect(local.installedApps[5].loc).toEqual(at('config/settings/local.py', 6, 20, 6, 35));
    expect(prod.installedAppsComplete && local.installedAppsComplete).toBe(true);
  });

  test('DEBUG from django-environ in base, overridden by a literal in local', () => {
    expect(prod.debug).toEqual({
      name: 'DEBUG',
      loc: at(B, 10, 1, 10, 40),
      kind: 'env',
      text: 'env.bool("DJANGO_DEBUG", False)',
      valueLoc: at(B, 10, 9, 10, 40),
      env: { name: 'DJANGO_DEBUG', default: { text: 'False', literal: false } },
    });
    expect(local.debug).toMatchObject({ kind: 'literal', literal: true, loc: at('config/settings/local.py', 4, 1, 4, 13) });
  });

  test('env imported by name from base is still an environment reader', () => {
    expect(prod.settings.SECRET_KEY).toMatchObject({ kind: 'env', env: { name: 'DJANGO_SECRET_KEY', default: null } });
    expect(local.settings.SECRET_KEY).toMatchObject({ kind: 'env', env: { name: 'DJANGO_SECRET_KEY', default: { text: '"local-only"', literal: 'local-only' } } });
  });
});

describe('env-driven values (os.environ, os.getenv, python-decouple) and a remote custom storage', () => {
  const S = 'envproj/settings.py';
  let f: SettingsFacts;
  beforeAll(() => {
    f = read('settings-env', S);
  });

  test('STATIC_ROOT from os.environ.get with a pathlib default', () => {
    expect(f.staticRoot).toEqual({
      name: 'STATIC_ROOT',
      loc: at(S, 11, 1, 11, 68),
      kind: 'env',
      text: 'os.environ.get("STATIC_ROOT", BASE_DIR / "collected")',
      valueLoc: at(S, 11, 15, 11, 68),
      env: { name: 'STATIC_ROOT', default: { text: 'BASE_DIR / "collected"', path: 'collected' } },
    });
  });

  test('STATIC_URL from os.getenv, DEBUG from decouple config(), SECRET_KEY from os.environ[...]', () => {
    expect(f.staticUrl).toMatchObject({ kind: 'env', env: { name: 'STATIC_URL', default: { literal: '/static/' } } });
    expect(f.staticUrl!.literal).toBeUndefined();
    expect(f.debug).toMatchObject({ kind: 'env', env: { name: 'DEBUG', default: { text: 'False', literal: false } } });
    expect(f.settings.SECRET_KEY).toMatchObject({ kind: 'env', env: { name: 'SECRET_KEY', default: null } });
  });

  test('an f-string path', () => {
    expect(f.settings.MEDIA_ROOT).toMatchObject({ kind: 'expr', path: 'media', text: 'f"{BASE_DIR}/media"' });
  });

  test("a project storage class that subclasses django-storages' S3Storage is remote", () => {
    expect(f.staticBackend).toEqual({ value: 'envproj.storage_backends.StaticStorage', remote: true, whitenoise: false, loc: at(S, 19, 32, 19, 72) });
    expect(f.whitenoise).toBeNull();
  });
});

describe('os.path form, the old STATICFILES_STORAGE with S3, MIDDLEWARE_CLASSES, serve() in urls', () => {
  const S = 'legacy/settings.py';
  let f: SettingsFacts;
  beforeAll(() => {
    f = read('settings-ospath', S);
  });

  test('os.path.join(BASE_DIR, ...) with BASE_DIR from dirname(dirname(abspath(__file__)))', () => {
    expect(f.settings.BASE_DIR.path).toBe('');
    expect(f.settings.PROJECT_DIR.path).toBe('legacy');
    expect(f.staticRoot).toMatchObject({ path: 'static_root', text: "os.path.join(BASE_DIR, 'static_root')", loc: at(S, 20, 1, 20, 52) });
  });

  test('STATICFILES_STORAGE with an S3 backend is remote', () => {
    expect(f.storages).toBeNull();
    expect(f.staticfilesStorage).toMatchObject({ kind: 'literal', literal: 'storages.backends.s3boto3.S3Boto3Storage' });
    expect(f.staticBackend).toEqual({ value: 'storages.backends.s3boto3.S3Boto3Storage', remote: true, whitenoise: false, loc: at(S, 24, 23, 24, 65) });
  });

  test('MIDDLEWARE_CLASSES stands in for MIDDLEWARE; tuples are lists', () => {
    expect(f.middleware).toEqual([{ value: 'django.middleware.common.CommonMiddleware', loc: at(S, 14, 5, 14, 48) }]);
    expect(f.installedApps.map((a) => a.value)).toEqual(['django.contrib.auth', 'django.contrib.staticfiles', 'storages']);
  });

  test('DEBUG compared from the environment', () => {
    expect(f.debug).toMatchObject({ kind: 'env', text: "os.environ.get('DJANGO_DEBUG', '') == '1'", env: { name: 'DJANGO_DEBUG', default: { literal: '' } } });
  });

  test('django.views.static.serve of STATIC_ROOT outside `if settings.DEBUG` is found; the guarded media one is not', () => {
    expect(f.urlconfFile).toBe('legacy/urls.py');
    expect(f.staticServeInUrls).toEqual(at('legacy/urls.py', 6, 5, 6, 82));
  });
});

describe('STORAGES and STATICFILES_STORAGE both set, conditional values, an optional local import', () => {
  const S = 'proj/settings.py';
  let f: SettingsFacts;
  beforeAll(() => {
    f = read('settings-both', S);
  });

  test('both settings are reported; the backend comes from STORAGES["staticfiles"] assigned by subscript', () => {
    expect(f.staticfilesStorage).toMatchObject({ literal: 'whitenoise.storage.CompressedManifestStaticFilesStorage', loc: at(S, 16, 1, 16, 80) });
    expect(f.storages).toMatchObject({ loc: at(S, 17, 1, 19, 2) });
    expect(f.staticBackend).toEqual({ value: 'storages.backends.gcloud.GoogleCloudStorage', remote: true, whitenoise: false, loc: at(S, 20, 39, 20, 84) });
  });

  test('a value set inside `if` is conditional and keeps the earlier one as an alternative', () => {
    expect(f.staticRoot).toMatchObject({ literal: '/srv/static', conditional: true, loc: at(S, 13, 5, 13, 32) });
    expect(f.staticRoot!.alternatives).toEqual([
      { name: 'STATIC_ROOT', loc: at(S, 10, 1, 10, 34), kind: 'expr', text: 'BASE_DIR / "static"', valueLoc: at(S, 10, 15, 10, 34), path: 'static' },
    ]);
    expect(f.middleware).toEqual([
      { value: 'django.middleware.common.CommonMiddleware', loc: at(S, 7, 15, 7, 58) },
      { value: 'whitenoise.middleware.WhiteNoiseMiddleware', loc: at(S, 14, 19, 14, 63), conditional: true },
    ]);
    expect(f.whitenoise).toEqual(at(S, 14, 19, 14, 63));
  });

  test('a missing module in try/except is noted but does not make the settings incomplete', () => {
    expect(f.unresolved).toEqual([
      {
        message: 'cannot find the module of `from .local_settings import *` in the repository; the settings it defines are unknown',
        loc: at(S, 23, 5, 23, 34),
      },
    ]);
    expect(f.complete).toBe(true);
  });
});

describe('missing STATIC_ROOT', () => {
  test('no STATIC_ROOT, no WhiteNoise, no storage: all null, complete', () => {
    const f = read('settings-missing', 'proj/settings.py');
    expect(f.staticRoot).toBeNull();
    expect(f.staticBackend).toBeNull();
    expect(f.whitenoise).toBeNull();
    expect(f.staticUrl).toMatchObject({ literal: '/static/' });
    expect(f.complete).toBe(true);
    expect(f.middlewareComplete).toBe(true);
    expect(f.staticfilesApp).toBe(true);
  });
});

describe('django_heroku helper', () => {
  test('sets STATIC_ROOT under BASE_DIR, WhiteNoise first in MIDDLEWARE and its storage', () => {
    const S = 'proj/settings.py';
    const f = read('settings-heroku', S);
    const call = at(S, 11, 1, 11, 33);
    expect(f.helpers).toEqual([{ name: 'django_heroku.settings', loc: call }]);
    expect(f.staticRoot).toEqual({ name: 'STATIC_ROOT', loc: call, kind: 'helper', text: 'django_heroku.settings(locals())', valueLoc: call, path: 'staticfiles' });
    expect(f.middleware.map((m) => m.value)).toEqual(['whitenoise.middleware.WhiteNoiseMiddleware', 'django.middleware.security.SecurityMiddleware']);
    expect(f.whitenoise).toEqual(call);
    expect(f.staticBackend).toMatchObject({ whitenoise: true, remote: false, loc: call });
  });
});

describe('API-only project', () => {
  test('no django.contrib.staticfiles; DEBUG from os.getenv; a DEBUG-guarded static.serve is not reported', () => {
    const S = 'api/settings.py';
    const f = read('settings-api', S);
    expect(f.staticfilesApp).toBe(false);
    expect(f.installedAppsComplete).toBe(true);
    expect(f.staticRoot).toBeNull();
    expect(f.staticUrl).toBeNull();
    expect(f.debug).toMatchObject({ kind: 'env', loc: at(S, 3, 1, 3, 39), env: { name: 'DEBUG', default: { text: '"0"', literal: '0' } } });
    expect(f.urlconfFile).toBe('api/urls.py');
    expect(f.staticServeInUrls).toBeNull();
  });
});

describe('src/ layout, absolute star import, daphne', () => {
  test('from chat.settings import * resolves under src/; MIDDLEWARE += adds WhiteNoise', () => {
    const P = 'src/chat/settings_prod.py';
    const B = 'src/chat/settings.py';
    const f = read('settings-src', P);
    expect(f.chain).toEqual([B, P]);
    expect(f.staticRoot).toMatchObject({ path: 'src/static', loc: at(B, 13, 1, 13, 34) });
    expect(f.whitenoise).toEqual(at(P, 4, 16, 4, 60));
    expect(f.daphneApp).toEqual(at(B, 6, 5, 6, 13));
    expect(f.debug).toMatchObject({ literal: false, loc: at(P, 3, 1, 3, 14) });
  });
});

describe('django-split-settings include()', () => {
  test('globbed components run in one namespace; the optional missing file is fine', () => {
    const f = read('settings-splitsettings', 'server/settings/__init__.py');
    const C = 'server/settings/components/common.py';
    expect(f.chain).toEqual([
      'server/settings/components/__init__.py',
      C,
      'server/settings/components/whitenoise.py',
      'server/settings/__init__.py',
    ]);
    expect(f.staticRoot).toMatchObject({ path: 'static', text: 'BASE_DIR.joinpath("static")', loc: at(C, 7, 1, 7, 42) });
    expect(f.whitenoise).toEqual(at('server/settings/components/whitenoise.py', 1, 19, 1, 63));
    expect(f.unresolved).toEqual([]);
    expect(f.complete).toBe(true);
  });
});

describe('broken settings', () => {
  const S = 'proj/settings.py';
  let f: SettingsFacts;
  beforeAll(() => {
    f = read('settings-broken', S);
  });

  test('syntax errors come back as issues with positions; what parses is still read', () => {
    expect(f.issues).toEqual([{ message: "syntax error near 'STATIC_URL = ('", loc: at(S, 11, 1, 11, 15) }]);
    expect(f.staticRoot).toMatchObject({ literal: '/srv/static', loc: at(S, 5, 1, 5, 28) });
    expect(f.debug).toMatchObject({ literal: true, loc: at('proj/other.py', 3, 1, 3, 13) });
  });

  test('a missing comma glues WhiteNoise to the next entry: it is not in MIDDLEWARE', () => {
    expect(f.middleware[1]).toEqual({ value: 'whitenoise.middleware.WhiteNoiseMiddlewareoops', loc: at(S, 8, 5, 9, 11) });
    expect(f.whitenoise).toBeNull();
  });

  test('an unresolved star import and a cycle are noted; the facts are marked incomplete', () => {
    expect(f.unresolved).toEqual([
      { message: 'cannot find the module of `from .missing import *` in the repository; the settings it defines are unknown', loc: at(S, 2, 1, 2, 23) },
      { message: 'import cycle back to proj/settings.py; not followed', loc: at('proj/other.py', 1, 1, 1, 24) },
    ]);
    expect(f.complete).toBe(false);
    expect(f.chain).toEqual(['proj/other.py', S]);
  });

  test('a list assigned before an unread star import may have been rebound: incomplete; one assigned after is known', () => {
    expect(f.installedApps.map((a) => a.value)).toEqual(['django.contrib.auth']);
    expect(f.installedAppsComplete).toBe(false);
    // Unknown INSTALLED_APPS: be conservative about django.contrib.staticfiles.
    expect(f.staticfilesApp).toBe(true);
    expect(f.middlewareComplete).toBe(true);
  });

  test('an unreadable settings file gives empty facts, not an exception', () => {
    const g = read('settings-broken', 'proj/nope.py');
    expect(g.staticRoot).toBeNull();
    expect(g.complete).toBe(false);
    expect(g.middlewareComplete).toBe(false);
    expect(g.unresolved).toEqual([{ message: 'proj/nope.py does not exist', loc: at('proj/nope.py', 1, 1, 1, 1) }]);
  });
});
