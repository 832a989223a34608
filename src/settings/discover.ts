/**
 * Which settings module(s) a target uses: the module named by `DJANGO_SETTINGS_MODULE` /
 * `--settings` when known, else the defaults written in `wsgi.py` / `asgi.py` / `manage.py`,
 * each resolved to a repository file under the Python path roots that may apply.
 */
import type { Repo } from '../discover/repo.js';
import type { Location } from '../model/types.js';
import { ancestorDirs, dirOf, resolveModule } from '../parse/python.js';
import { isModuleName, readEntryModule } from './wsgi.js';

export interface SettingsModuleRef {
  module: string;
  /** The repo file (`config/settings/production.py` or a package's `__init__.py`), or null. */
  file: string | null;
  /** Where the name came from (the default in manage.py/wsgi.py, or the hint's location). */
  source: Location | null;
}

export interface SettingsHints {
  /** Explicit module from the target's environment or `--settings`. */
  module?: string | null;
  /** Where the explicit module was written. */
  moduleLoc?: Location | null;
  /** Python path roots to try first (`--chdir`, `WORKDIR` mapped to the repo, `--pythonpath`). */
  roots?: string[];
  /** Entry files whose defaults come first (the wsgi.py the server loads, the manage.py used). */
  entries?: string[];
}

/** Entry files are looked for this many directories deep at most. */
const MAX_ENTRY_DEPTH = 5;

/**
 * Settings modules a target may use, most specific first: the explicit module, then the
 * defaults of the given entries, of `*\/wsgi.py` and `*\/asgi.py` (what servers load), then of
 * `manage.py` (what management commands use). Duplicates are dropped (first wins).
 */
export function findSettingsModules(repo: Repo, hints: SettingsHints): SettingsModuleRef[] {
  const out: SettingsModuleRef[] = [];
  const seen = new Set<string>();
  const manageDirs = repo.named('manage.py').filter((f) => depth(f) <= MAX_ENTRY_DEPTH).map(dirOf);
  const common = [...(hints.roots ?? []), '', 'src', ...manageDirs];
  const add = (module: string, source: Location | null, entryRoots: string[]): void => {
    if (seen.has(module)) return;
    seen.add(module);
    const file = isModuleName(module) ? resolveModule((f) => repo.has(f), module, null, unique([...entryRoots, ...common])) : null;
    out.push({ module, file, source });
  };
  if (hints.module) add(hints.module, hints.moduleLoc ?? null, []);

  const servers = [...repo.named('wsgi.py'), ...repo.named('asgi.py')]
    .filter((f) => depth(f) <= MAX_ENTRY_DEPTH)
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const manages = repo.named('manage.py').filter((f) => depth(f) <= MAX_ENTRY_DEPTH).sort((a, b) => depth(a) - depth(b));
  const entries = unique([...(hints.entries ?? []).filter((f) => repo.has(f)), ...servers, ...manages]);
  for (const f of entries) {
    const entry = readEntryModule(repo, f);
    if (!entry.settings?.module) continue;
    // manage.py's directory is on sys.path; a wsgi.py sits inside the package it names.
    const roots = baseName(f) === 'manage.py' ? [dirOf(f)] : ancestorDirs(f);
    add(entry.settings.module, entry.settings.loc, roots);
  }
  return out;
}

/**
 * Files that look like settings modules when no module is named anywhere: `settings.py`, the
 * modules of a `settings/` package, `settings_*.py` / `*_settings.py`. Sorted by path.
 */
export function candidateSettingsFiles(repo: Repo): string[] {
  return repo.files.filter((f) => {
    if (!f.endsWith('.py')) return false;
    const b = baseName(f);
    if (b === 'settings.py' || /^settings_\w+\.py$/.test(b) || /^\w+_settings\.py$/.test(b)) return true;
    return baseName(dirOf(f)) === 'settings';
  });
}

function baseName(f: string): string {
  return f.slice(f.lastIndexOf('/') + 1);
}

function depth(f: string): number {
  return f.split('/').length - 1;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
