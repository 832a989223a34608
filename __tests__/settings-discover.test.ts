import { discover } from '../src/discover/repo.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { candidateSettingsFiles, findSettingsModules } from '../src/settings/discover.js';
import { readEntryModule } from '../src/settings/wsgi.js';

const FX = new URL('./fixtures/', import.meta.url).pathname;
const repo = (name: string) => discover(FX + name);
const at = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({ file, line, column, endLine, endColumn });

beforeAll(async () => {
  await loadGrammars(['python']);
});

describe('findSettingsModules', () => {
  test('the wsgi.py and manage.py defaults agree: one module, named where the server reads it', () => {
    expect(findSettingsModules(repo('settings-single'), {})).toEqual([
      { module: 'mysite.settings', file: 'mysite/settings.py', source: at('mysite/wsgi.py', 5, 49, 5, 66) },
    ]);
  });

  test('split settings: wsgi.py (production) before manage.py (local)', () => {
    expect(findSettingsModules(repo('settings-split'), {})).toEqual([
      { module: 'config.settings.production', file: 'config/settings/production.py', source: at('config/wsgi.py', 5, 49, 5, 77) },
      { module: 'config.settings.local', file: 'config/settings/local.py', source: at('manage.py', 5, 53, 5, 76) },
    ]);
  });

  test('an explicit module comes first and may name the settings package itself', () => {
    const loc = at('docker-compose.yml', 7, 32, 7, 47);
    const found = findSettingsModules(repo('settings-split'), { module: 'config.settings', moduleLoc: loc });
    expect(found[0]).toEqual({ module: 'config.settings', file: 'config/settings/__init__.py', source: loc });
    expect(found.map((m) => m.module)).toEqual(['config.settings', 'config.settings.production', 'config.settings.local']);
  });

  test('an explicit module already named by a default is not repeated', () => {
    const found = findSettingsModules(repo('settings-split'), { module: 'config.settings.local' });
    expect(found.map((m) => [m.module, m.source?.file ?? null])).toEqual([
      ['config.settings.local', null],
      ['config.settings.production', 'config/wsgi.py'],
    ]);
  });

  test('a module that is not in the repository, or not a module name, has no file', () => {
    const found = findSettingsModules(repo('settings-single'), { module: 'nope.settings' });
    expect(found[0]).toEqual({ module: 'nope.settings', file: null, source: null });
    expect(findSettingsModules(repo('settings-single'), { module: '${DJANGO_SETTINGS}' })[0].file).toBeNull();
  });

  test('entries given by the caller come first', () => {
    const found = findSettingsModules(repo('settings-split'), { entries: ['manage.py'] });
    expect(found.map((m) => m.module)).toEqual(['config.settings.local', 'config.settings.production']);
  });

  test('src/ layout: asgi.py default and manage.py default both resolve under src/', () => {
    expect(findSettingsModules(repo('settings-src'), {})).toEqual([
      { module: 'chat.settings_prod', file: 'src/chat/settings_prod.py', source: at('src/chat/asgi.py', 5, 49, 5, 69) },
      { module: 'chat.settings', file: 'src/chat/settings.py', source: at('manage.py', 5, 49, 5, 64) },
    ]);
  });

  test('roots from the caller (--chdir, --pythonpath) are tried first', () => {
    const found = findSettingsModules(repo('settings-src'), { module: 'settings_prod', roots: ['src/chat'] });
    expect(found[0]).toEqual({ module: 'settings_prod', file: 'src/chat/settings_prod.py', source: null });
    expect(findSettingsModules(repo('settings-src'), { module: 'settings_prod' })[0].file).toBeNull();
  });

  test('os.environ["DJANGO_SETTINGS_MODULE"] = ... in manage.py counts too', () => {
    expect(findSettingsModules(repo('settings-api'), {})).toEqual([
      { module: 'api.settings', file: 'api/settings.py', source: at('manage.py', 4, 40, 4, 54) },
    ]);
  });

  test('no entry module: nothing found; candidateSettingsFiles lists likely files', () => {
    expect(findSettingsModules(repo('settings-both'), {})).toEqual([]);
    expect(candidateSettingsFiles(repo('settings-both'))).toEqual(['proj/settings.py']);
    expect(candidateSettingsFiles(repo('settings-split'))).toEqual([
      'config/settings/__init__.py',
      'config/settings/base.py',
      'config/settings/local.py',
      'config/settings/production.py',
    ]);
    expect(candidateSettingsFiles(repo('settings-src'))).toEqual(['src/chat/settings.py', 'src/chat/settings_prod.py']);
  });
});

describe('readEntryModule', () => {
  test('setdefault inside main() of manage.py', () => {
    const e = readEntryModule(repo('settings-single'), 'manage.py');
    expect(e.settings).toEqual({ module: 'mysite.settings', text: '"mysite.settings"', loc: at('manage.py', 7, 53, 7, 70), forced: false });
    expect(e.staticWrapper).toBeNull();
  });

  test('forced assignment', () => {
    expect(readEntryModule(repo('settings-api'), 'manage.py').settings).toMatchObject({ module: 'api.settings', forced: true });
  });

  test('WhiteNoise wrapping the WSGI application', () => {
    const e = readEntryModule(repo('settings-missing'), 'proj/wsgi.py');
    expect(e.settings?.module).toBe('proj.settings');
    expect(e.staticWrapper).toEqual({ name: 'WhiteNoise', loc: at('proj/wsgi.py', 9, 15, 9, 58), root: '"/app/static"' });
  });

  test('a missing file gives nulls', () => {
    expect(readEntryModule(repo('settings-missing'), 'nope/wsgi.py')).toEqual({ file: 'nope/wsgi.py', settings: null, staticWrapper: null, issues: [] });
  });
});
