/**
 * Entry modules (`manage.py`, `wsgi.py`, `asgi.py`): the settings module they default to and
 * WSGI-level static file wrappers (`WhiteNoise(application)`, dj-static's `Cling`).
 */
import type { Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import { callArgs, dottedName, locOf, MAX_NODE_DEPTH, parsePython, stringValue, unparen, type Node } from '../parse/python.js';

export interface EntryModule {
  file: string;
  /** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")` or `os.environ["DJANGO_SETTINGS_MODULE"] = "x"`. */
  settings: {
    /** The module name when static. */
    module: string | null;
    /** Source text of the value. */
    text: string;
    /** The value expression. */
    loc: Location;
    /** `os.environ[...] = ...` overrides the environment; `setdefault` does not. */
    forced: boolean;
  } | null;
  /** `application = WhiteNoise(application, root=...)`, `Cling(get_wsgi_application())`. */
  staticWrapper: { name: string; loc: Location; root: string | null } | null;
  issues: ParseIssue[];
}

const WRAPPERS = new Set(['WhiteNoise', 'DjangoWhiteNoise', 'Cling', 'MediaCling']);

/** Read an entry module. Never throws; an unreadable file gives nulls. */
export function readEntryModule(repo: Repo, file: string): EntryModule {
  // Every target asks about the same few entry modules: each is read and parsed once per run.
  let cache = entryCache.get(repo);
  if (!cache) entryCache.set(repo, (cache = new Map()));
  let entry = cache.get(file);
  if (!entry) cache.set(file, (entry = readEntryModuleUncached(repo, file)));
  return entry;
}

const entryCache = new WeakMap<Repo, Map<string, EntryModule>>();

function readEntryModuleUncached(repo: Repo, file: string): EntryModule {
  const out: EntryModule = { file, settings: null, staticWrapper: null, issues: [] };
  const text = repo.text(file);
  if (text === null || !/DJANGO_SETTINGS_MODULE|WhiteNoise|Cling/.test(text)) return out;
  const mod = parsePython(text, file);
  if (!mod) return out;
  try {
    out.issues = mod.issues;
    visit(mod.root, file, out);
  } finally {
    mod.dispose();
  }
  return out;
}

const isEnviron = (n: Node | null): boolean => {
  const d = n ? dottedName(n) : null;
  return d === 'os.environ' || d === 'environ';
};

function visit(n: Node, file: string, out: EntryModule, depth = 0): void {
  if (depth > MAX_NODE_DEPTH) return;
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const name = fn ? dottedName(fn) : null;
    const args = callArgs(n);
    if (!out.settings && fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'setdefault' && isEnviron(fn.childForFieldName('object'))) {
      const [k, v] = args.positional;
      if (k && v && stringValue(k) === 'DJANGO_SETTINGS_MODULE') {
        out.settings = { module: moduleName(v), text: v.text, loc: locOf(v, file), forced: false };
      }
    }
    const last = name?.split('.').pop();
    if (!out.staticWrapper && last && WRAPPERS.has(last)) {
      const root = args.keywords.get('root');
      out.staticWrapper = { name: last, loc: locOf(n, file), root: root ? root.text : null };
    }
  } else if (n.type === 'assignment') {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left?.type === 'subscript' && right && isEnviron(left.childForFieldName('value'))) {
      const key = left.childForFieldName('subscript');
      if (key && stringValue(key) === 'DJANGO_SETTINGS_MODULE') {
        // An assignment overrides an earlier setdefault.
        out.settings = { module: moduleName(right), text: right.text, loc: locOf(right, file), forced: true };
      }
    }
  }
  for (const c of n.namedChildren) visit(c, file, out, depth + 1);
}

function moduleName(v: Node): string | null {
  const s = stringValue(unparen(v));
  return s !== null && isModuleName(s) ? s : null;
}

export function isModuleName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s);
}
