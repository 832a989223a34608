/**
 * Which settings module(s) a target uses: the module named by `DJANGO_SETTINGS_MODULE` /
 * `--settings` when known, else the defaults written in `wsgi.py` / `asgi.py` / `manage.py`,
 * each resolved to a repository file under the Python path roots that may apply.
 */
import type { FileSelector, Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
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
  const run = perRepo(repo);
  const common = unique([...(hints.roots ?? []), '', 'src', ...run.manageDirs]);
  const commonKey = common.join('\0');
  const ref = (module: string, source: Location | null, entryRoots: readonly string[]): SettingsModuleRef => {
    // Every target asks about the same entry modules with the same roots: resolved once per run.
    const key = `${module}\0${entryRoots.join('\0')}\0\0${commonKey}`;
    let file = run.resolved.get(key);
    if (file === undefined) {
      file = isModuleName(module) ? resolveModule((f) => repo.has(f), module, null, unique([...entryRoots, ...common])) : null;
      run.resolved.set(key, file);
    }
    return { module, file, source };
  };
  const add = (module: string, source: Location | null, entryRoots: readonly string[]): void => {
    if (seen.has(module)) return;
    seen.add(module);
    out.push(ref(module, source, entryRoots));
  };
  if (hints.module) add(hints.module, hints.moduleLoc ?? null, []);

  // The entries the target names come first, then every entry of the repository (shallowest
  // first): the latter are the same for every target, so their refs are made once per run.
  for (const f of unique((hints.entries ?? []).filter((f) => repo.has(f)))) {
    const e = entryModule(repo, f);
    if (e) add(e.module, e.loc, e.roots);
  }
  let tail = run.tails.get(commonKey);
  if (!tail) {
    tail = [];
    const named = new Set<string>();
    for (const f of unique([...run.servers, ...run.manages])) {
      const e = entryModule(repo, f);
      if (!e || named.has(e.module)) continue;
      named.add(e.module);
      tail.push(ref(e.module, e.loc, e.roots));
    }
    run.tails.set(commonKey, tail);
  }
  // A module already named (explicitly or by the target's entries) keeps its first place.
  for (const r of tail) {
    if (seen.has(r.module)) continue;
    seen.add(r.module);
    out.push(r);
  }
  return out;
}

/** The settings module an entry file names by default, and the roots it is resolved from. */
function entryModule(repo: Repo, f: string): { module: string; loc: Location; roots: string[] } | null {
  const entry = readEntryModule(repo, f);
  if (!entry.settings?.module) return null;
  // manage.py's directory is on sys.path; a wsgi.py sits inside the package it names.
  return { module: entry.settings.module, loc: entry.settings.loc, roots: baseName(f) === 'manage.py' ? [dirOf(f)] : ancestorDirs(f) };
}

interface PerRepo {
  /** Folders of the `manage.py` files (on sys.path when it runs). */
  manageDirs: string[];
  /** `wsgi.py` / `asgi.py`, shallowest first. */
  servers: string[];
  /** `manage.py`, shallowest first. */
  manages: string[];
  /** Module resolutions, by module, entry roots and common roots. */
  resolved: Map<string, string | null>;
  /** The refs of every entry of the repository in order, by common roots (see `findSettingsModules`). */
  tails: Map<string, SettingsModuleRef[]>;
}

const perRepoCache = new WeakMap<Repo, PerRepo>();

/** What `findSettingsModules` looks up in the repository whatever the hints: once per run. */
function perRepo(repo: Repo): PerRepo {
  let got = perRepoCache.get(repo);
  if (got) return got;
  const byDepth = (files: readonly string[]) =>
    files
      .map((f) => ({ f, d: depth(f) }))
      .filter((x) => x.d <= MAX_ENTRY_DEPTH)
      .sort((a, b) => a.d - b.d || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
      .map((x) => x.f);
  const manageAll = repo.named('manage.py').filter((f) => depth(f) <= MAX_ENTRY_DEPTH);
  got = {
    manageDirs: manageAll.map(dirOf),
    servers: byDepth([...repo.named('wsgi.py'), ...repo.named('asgi.py')]),
    // Stable by depth, as before: same-depth files keep the listing's order.
    manages: manageAll.map((f, i) => ({ f, d: depth(f), i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.f),
    resolved: new Map(),
    tails: new Map(),
  };
  perRepoCache.set(repo, got);
  return got;
}

/**
 * Files that look like settings modules when no module is named anywhere: `settings.py`, the
 * modules of a `settings/` package, `settings_*.py` / `*_settings.py`. Sorted by path.
 */
export function candidateSettingsFiles(repo: Repo): string[] {
  return [...repo.select(SETTINGS_FILES)];
}

function isSettingsFile(f: string): boolean {
  if (!f.endsWith('.py') || !f.includes('settings')) return false;
  const b = baseName(f);
  if (b === 'settings.py' || /^settings_\w+\.py$/.test(b) || /^\w+_settings\.py$/.test(b)) return true;
  return baseName(dirOf(f)) === 'settings';
}

/** Python files named like settings modules (see `candidateSettingsFiles`). */
export const SETTINGS_FILES: FileSelector = { name: 'settings module', exts: ['py'], test: isSettingsFile };

function baseName(f: string): string {
  return f.slice(f.lastIndexOf('/') + 1);
}

function depth(f: string): number {
  let n = 0;
  for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) n++;
  return n;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
