/**
 * Static files served by Django itself in production: `django.views.static.serve` wired to
 * `STATIC_ROOT` / `STATIC_URL` in a urls module, outside an `if settings.DEBUG:` block.
 *
 * The `static()` helper (django.conf.urls.static) and `staticfiles_urlpatterns()` return no
 * patterns when DEBUG is False, and `django.contrib.staticfiles.views.serve` raises 404 then;
 * none of them serves anything in production, so none is reported.
 */
import type { Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import {
  dottedName,
  importedNames,
  importModuleName,
  locOf,
  MAX_NODE_DEPTH,
  parsePython,
  stringValue,
  unparen,
  type Node,
} from '../parse/python.js';

export interface StaticServe {
  /** The URL pattern call that routes to `serve`, or null. */
  loc: Location | null;
  /**
   * When the route's view is not Django's `serve` but a project view mounted on the static
   * prefix with a catch-all path parameter (a wrapper around `serve`), its name as written.
   */
  view: string | null;
  issues: ParseIssue[];
}

/** Look for `django.views.static.serve` serving static files unguarded by DEBUG in `file`. */
export function findStaticServe(repo: Repo, file: string): StaticServe {
  const text = repo.text(file);
  if (text === null) return { loc: null, view: null, issues: [] };
  const mod = parsePython(text, file);
  if (!mod) return { loc: null, view: null, issues: [] };
  try {
    const names = serveNames(mod.root);
    const hit = scanBlock(mod.root.namedChildren, false, names, file);
    return { loc: hit?.loc ?? null, view: hit?.view ?? null, issues: mod.issues };
  } finally {
    mod.dispose();
  }
}

interface ServeNames {
  /** Local names of the `serve` view. */
  funcs: Set<string>;
  /** Dotted local names of the `django.views.static` module. */
  modules: Set<string>;
  /** Every local name bound by an import from Django itself (not a project view). */
  fromDjango: Set<string>;
}

interface ServeHit {
  loc: Location;
  /** Null for Django's own `serve`; the project view's name otherwise. */
  view: string | null;
}

function serveNames(root: Node): ServeNames {
  const out: ServeNames = { funcs: new Set(), modules: new Set(['django.views.static']), fromDjango: new Set(['django']) };
  const visit = (n: Node): void => {
    if (n.type === 'import_from_statement') {
      const m = importModuleName(n);
      const names = importedNames(n);
      if (names === '*') {
        if (m === 'django.views.static') out.funcs.add('serve');
        return;
      }
      for (const { name, alias } of names) {
        if (m !== null && (m === 'django' || m.startsWith('django.'))) out.fromDjango.add(alias);
        if (m === 'django.views.static' && name === 'serve') out.funcs.add(alias);
        if (m === 'django.views' && name === 'static') out.modules.add(alias);
      }
    } else if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        if (c.type === 'aliased_import' && c.childForFieldName('name')?.text === 'django.views.static') {
          out.modules.add(c.childForFieldName('alias')!.text);
        }
      }
    } else if (n.type === 'if_statement' || n.type === 'try_statement' || n.type.endsWith('_clause') || n.type === 'block') {
      for (const c of n.namedChildren) visit(c);
    }
  };
  for (const c of root.namedChildren) visit(c);
  return out;
}

/** `DEBUG` / `settings.DEBUG` → 'debug'; `not settings.DEBUG` → 'not-debug'; `settings.DEBUG and X` → 'debug'. */
function debugCondition(node: Node | null): 'debug' | 'not-debug' | null {
  if (!node) return null;
  const n = unparen(node);
  const name = dottedName(n);
  if (name !== null) return name === 'DEBUG' || name.endsWith('.DEBUG') ? 'debug' : null;
  if (n.type === 'not_operator') {
    const inner = debugCondition(n.childForFieldName('argument'));
    return inner === 'debug' ? 'not-debug' : inner === 'not-debug' ? 'debug' : null;
  }
  if (n.type === 'boolean_operator' && n.childForFieldName('operator')?.text === 'and') {
    const l = debugCondition(n.childForFieldName('left'));
    const r = debugCondition(n.childForFieldName('right'));
    return l === 'debug' || r === 'debug' ? 'debug' : null;
  }
  return null;
}

function scanBlock(stmts: Node[], guarded: boolean, names: ServeNames, file: string): ServeHit | null {
  for (const s of stmts) {
    const hit = scanStatement(s, guarded, names, file);
    if (hit) return hit;
  }
  return null;
}

function scanStatement(s: Node, guarded: boolean, names: ServeNames, file: string): ServeHit | null {
  switch (s.type) {
    case 'if_statement': {
      let negatedBefore = false;
      const cond = debugCondition(s.childForFieldName('condition'));
      const body = s.childForFieldName('consequence');
      if (body) {
        const hit = scanBlock(body.namedChildren, guarded || cond === 'debug', names, file);
        if (hit) return hit;
      }
      negatedBefore = cond === 'not-debug';
      for (const alt of s.childrenForFieldName('alternative')) {
        const altCond = alt.type === 'elif_clause' ? debugCondition(alt.childForFieldName('condition')) : null;
        const block = alt.childForFieldName(alt.type === 'elif_clause' ? 'consequence' : 'body');
        if (!block) continue;
        const g = guarded || (alt.type === 'else_clause' && negatedBefore) || altCond === 'debug';
        const hit = scanBlock(block.namedChildren, g, names, file);
        if (hit) return hit;
      }
      return null;
    }
    case 'import_from_statement':
    case 'import_statement':
    case 'function_definition':
    case 'class_definition':
    case 'decorated_definition':
      return null;
    default:
      if (s.type === 'block' || s.type.endsWith('_statement') || s.type.endsWith('_clause')) {
        if (s.type === 'expression_statement') return guarded ? null : findServe(s, names, file);
        return scanBlock(s.namedChildren, guarded, names, file);
      }
      return null;
  }
}

function isServeRef(n: Node, names: ServeNames): boolean {
  if (n.type === 'identifier') return names.funcs.has(n.text);
  if (n.type === 'attribute') {
    const d = dottedName(n);
    if (d === null || !d.endsWith('.serve')) return false;
    return names.modules.has(d.slice(0, -'.serve'.length));
  }
  return false;
}

/** Names of the URL pattern functions whose second argument is the view. */
const PATTERN_FUNCS = new Set(['path', 're_path', 'url']);

/**
 * A project view (not one imported from Django) mounted on the static prefix with a catch-all
 * path parameter, e.g. `re_path(r"^static/(?P<path>.*)$", my_serve)`: Django answers every
 * static request through it. Views imported from Django are left out (staticfiles' `serve`
 * raises 404 when DEBUG is False).
 */
function projectStaticView(call: Node, args: Node[], names: ServeNames): string | null {
  const callee = dottedName(call.childForFieldName('function')!);
  if (callee === null || !PATTERN_FUNCS.has(callee.split('.').pop()!)) return null;
  const route = args[0] ? stringValue(args[0]) : null;
  if (route === null || !/^\^?\/?static\/(\(\?P<\w+>|<path:\w+>)/.test(route)) return null;
  const view = args[1] ? unparen(args[1]) : null;
  if (!view || (view.type !== 'identifier' && view.type !== 'attribute')) return null;
  const name = dottedName(view);
  if (name === null || names.fromDjango.has(name.split('.')[0]!)) return null;
  return name;
}

/** A URL pattern call in `n` whose view is `serve` (or a project view on the static prefix) and that serves static files. */
function findServe(n: Node, names: ServeNames, file: string, depth = 0): ServeHit | null {
  if (depth > MAX_NODE_DEPTH) return null;
  if (n.type === 'call') {
    const list = n.childForFieldName('arguments');
    const args = list ? list.namedChildren.filter((a) => a.type !== 'comment') : [];
    if (args.some((a) => isServeRef(unparen(a), names)) && servesStatic(n, args)) return { loc: locOf(n, file), view: null };
    const view = projectStaticView(n, args, names);
    if (view !== null) return { loc: locOf(n, file), view };
  }
  for (const c of n.namedChildren) {
    const hit = findServe(c, names, file, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function servesStatic(call: Node, args: Node[]): boolean {
  if (/\bSTATIC_(ROOT|URL)\b/.test(call.text)) return true;
  const route = args[0] ? stringValue(args[0]) : null;
  return route !== null && /^\^?\/?static\b/.test(route);
}
