/** What reading a settings module yields (see read.ts). */
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

export interface SettingValue {
  name: string;
  /** The assignment (or the helper call / augmented assignment that set it). */
  loc: Location;
  kind: 'literal' | 'env' | 'expr' | 'helper';
  /** Source text of the value. */
  text: string;
  /** The value when static. */
  literal?: string | boolean | null;
  /** The value expression. */
  valueLoc: Location;
  /** A path inside the repository, relative to its root, when it can be computed (`staticfiles`). */
  path?: string;
  /** Set by a statement that may not run (inside `if`/`try`, or through a conditional import). */
  conditional?: boolean;
  /** Earlier values that may still be in effect because this one is conditional. */
  alternatives?: SettingValue[];
  /** For `kind: 'env'`: the variable read and its default, when written. */
  env?: { name: string | null; default: { text: string; literal?: string | boolean | null; path?: string } | null };
}

export interface NamedLoc {
  value: string;
  loc: Location;
  conditional?: boolean;
}

export interface SettingsFacts {
  file: string;
  /** Files read through imports and includes, base first, `file` last. */
  chain: string[];
  staticRoot: SettingValue | null;
  staticUrl: SettingValue | null;
  storages: SettingValue | null;
  /** The old setting (removed in Django 5.1). */
  staticfilesStorage: SettingValue | null;
  /** `STORAGES["staticfiles"]["BACKEND"]`, else `STATICFILES_STORAGE`, when a static string. */
  staticBackend: { value: string; remote: boolean; whitenoise: boolean; loc: Location } | null;
  /** `MIDDLEWARE` (or the old `MIDDLEWARE_CLASSES` when `MIDDLEWARE` is unset). */
  middleware: NamedLoc[];
  /**
   * False when some of MIDDLEWARE could not be read: computed, built on a list from an unread
   * import, or possibly rebound by an unread star import after it was assigned. Also false when
   * MIDDLEWARE is never assigned.
   */
  middlewareComplete: boolean;
  installedApps: NamedLoc[];
  installedAppsComplete: boolean;
  /** WhiteNoiseMiddleware in MIDDLEWARE (also added by `.insert`/`.append`/`+=` or a helper). */
  whitenoise: Location | null;
  /** django.contrib.staticfiles in INSTALLED_APPS; true when INSTALLED_APPS is not fully known. */
  staticfilesApp: boolean;
  /** `daphne` in INSTALLED_APPS: its runserver replaces Django's (still a development server). */
  daphneApp: Location | null;
  debug: SettingValue | null;
  /** `django_heroku.settings(locals())`, `django_on_heroku.settings(locals())`. */
  helpers: { name: string; loc: Location }[];
  /** `django.views.static.serve` for static files, not guarded by DEBUG, in ROOT_URLCONF. */
  staticServeInUrls?: Location | null;
  /** When that route's view is a project view on the static prefix (not Django's `serve`), its name. */
  staticServeView?: string | null;
  /** The ROOT_URLCONF file, when it resolves. */
  urlconfFile?: string | null;
  /** Every upper-case module-level name's final value. */
  settings: Record<string, SettingValue>;
  /** Imports and includes that could not be followed (the settings they define are unknown). */
  unresolved: ParseIssue[];
  /** False when an unconditional import or include of the project's own code could not be read. */
  complete: boolean;
  /** Syntax errors in the files read. */
  issues: ParseIssue[];
}

export interface ReadOptions {
  /** Python path roots tried for absolute imports (repo root, the dir of manage.py, `src`). */
  roots?: string[];
}
