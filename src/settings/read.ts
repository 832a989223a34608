/**
 * Read a Django settings module without running it: module-level assignments (and `+=`,
 * `.append`, `.insert`, `.extend`, `.remove`, `.update`, subscript assignment), `if`/`try` blocks
 * (possibly-set), star and named imports of the project's own modules (relative and absolute,
 * packages, bounded depth, cycles), django-split-settings `include()`, environment reads
 * (os.environ, os.getenv, django-environ, python-decouple), pathlib / os.path / django-environ
 * paths, and helpers that set settings (`django_heroku.settings(locals())`).
 *
 * The grammar must have been loaded with `loadGrammars(['python'])`.
 */
import type { Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import { ancestorDirs, resolveModule } from '../parse/python.js';
import { Reader, SETTING_NAME, WHITENOISE_MW, type Binding, type Namespace } from './exec.js';
import { classifyBackend } from './storage.js';
import type { NamedLoc, ReadOptions, SettingsFacts, SettingValue } from './types.js';
import { findStaticServe } from './urls.js';

export { globRepo, SETTINGS_LIMITS } from './exec.js';
export type { NamedLoc, ReadOptions, SettingsFacts, SettingValue } from './types.js';

/** Read the settings module in `file` (and everything it imports) into facts for the rules. */
export function readSettings(repo: Repo, file: string, opts: ReadOptions = {}): SettingsFacts {
  const roots = [...new Set([...(opts.roots ?? []), ...ancestorDirs(file), 'src'])];
  const reader = new Reader(repo, roots);
  let ns: Namespace = new Map<string, Binding>();
  try {
    ns = reader.runModule(file, 0, null) ?? ns;
  } catch (e) {
    // A bug here must not take the run down: report it on the file instead.
    reader.note(`the settings could not be read: ${(e as Error).message}`, { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, false);
  }
  const setting = (n: string): SettingValue | null => ns.get(n)?.setting ?? null;
  const list = (n: string): { items: NamedLoc[]; complete: boolean } | null => {
    const b = ns.get(n);
    if (!b) return null;
    if (b.val.t !== 'list') return { items: [], complete: false };
    return { items: b.val.items.map((i) => ({ ...i })), complete: b.val.complete };
  };

  const mw = list('MIDDLEWARE') ?? list('MIDDLEWARE_CLASSES');
  const apps = list('INSTALLED_APPS');
  const middleware = mw?.items ?? [];
  const installedApps = apps?.items ?? [];
  const installedAppsComplete = !!apps && apps.complete;
  const hasStaticfiles = installedApps.some((a) => a.value === 'django.contrib.staticfiles' || a.value.startsWith('django.contrib.staticfiles.'));

  const settings: Record<string, SettingValue> = {};
  for (const [k, b] of ns) if (b.setting && SETTING_NAME.test(k)) settings[k] = b.setting;

  const facts: SettingsFacts = {
    file,
    chain: reader.chain,
    staticRoot: setting('STATIC_ROOT'),
    staticUrl: setting('STATIC_URL'),
    storages: setting('STORAGES'),
    staticfilesStorage: setting('STATICFILES_STORAGE'),
    staticBackend: staticBackend(ns, repo, roots),
    middleware,
    middlewareComplete: !!mw && mw.complete,
    installedApps,
    installedAppsComplete,
    whitenoise: middleware.find((m) => m.value === WHITENOISE_MW)?.loc ?? null,
    staticfilesApp: hasStaticfiles || !installedAppsComplete,
    daphneApp: installedApps.find((a) => a.value === 'daphne' || a.value.startsWith('daphne.'))?.loc ?? null,
    debug: setting('DEBUG'),
    helpers: reader.helpers,
    settings,
    unresolved: reader.unresolved,
    complete: reader.complete,
    issues: reader.issues,
  };

  const urlconf = ns.get('ROOT_URLCONF')?.val;
  facts.urlconfFile = null;
  facts.staticServeInUrls = null;
  facts.staticServeView = null;
  if (urlconf?.t === 'str') {
    const urls = resolveModule((f) => repo.has(f), urlconf.v, null, roots);
    facts.urlconfFile = urls;
    if (urls) {
      const serve = findStaticServe(repo, urls);
      facts.staticServeInUrls = serve.loc;
      facts.staticServeView = serve.view;
      facts.issues.push(...serve.issues);
    }
  }
  return facts;
}

function staticBackend(ns: Namespace, repo: Repo, roots: string[]): SettingsFacts['staticBackend'] {
  let found: { value: string; loc: Location } | null = null;
  const storages = ns.get('STORAGES')?.val;
  if (storages?.t === 'dict') {
    const sf = storages.entries.find((e) => e.key === 'staticfiles');
    const backend = sf?.value.t === 'dict' ? sf.value.entries.find((e) => e.key === 'BACKEND') : undefined;
    if (backend?.value.t === 'str') found = { value: backend.value.v, loc: backend.value.loc ?? backend.loc };
  }
  if (!found) {
    const old = ns.get('STATICFILES_STORAGE');
    if (old?.val.t === 'str') found = { value: old.val.v, loc: old.val.loc ?? old.setting!.valueLoc };
  }
  if (!found) return null;
  const kind = classifyBackend(found.value, repo, roots);
  return { value: found.value, remote: kind.remote, whitenoise: kind.whitenoise, loc: found.loc };
}
