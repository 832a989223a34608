/**
 * Abstract values of settings expressions. Nothing is evaluated: a handful of shapes that
 * settings modules use for paths, lists, dicts and environment reads are recognised from the
 * syntax tree; everything else is `unknown`.
 *
 * Paths inside the repository are kept relative to the repo root (`BASE_DIR / 'static'` with
 * `BASE_DIR = Path(__file__).resolve().parent.parent` in `mysite/settings.py` is `static`).
 */
import * as posix from 'node:path/posix';
import type { Location } from '../core/location.js';
import { callArgs, dirOf, dottedName, locOf, MAX_NODE_DEPTH, stringValue, unparen, type Node } from '../parse/python.js';

export interface ListItem {
  value: string;
  /** The string literal. */
  loc: Location;
  /** Added by a statement that may not run (inside `if`/`try`). */
  conditional?: boolean;
}

export interface DictEntry {
  key: string;
  keyLoc: Location;
  value: AVal;
  /** The value expression. */
  loc: Location;
}

export type AVal =
  | { t: 'str'; v: string; loc?: Location }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'num'; v: string }
  /** A path inside the repository, relative to its root (`''` is the root). */
  | { t: 'path'; rel: string }
  | { t: 'list'; items: ListItem[]; complete: boolean }
  | { t: 'dict'; entries: DictEntry[]; complete: boolean }
  /** A value read from the environment. */
  | { t: 'env'; name: string | null }
  /** An object whose calls read the environment: `environ.Env()`, `AutoConfig()`. */
  | { t: 'envobj' }
  /** A module or name imported from outside the repository, by its qualified name. */
  | { t: 'import'; name: string }
  | { t: 'unknown' };

export const UNKNOWN: AVal = { t: 'unknown' };

export interface Scope {
  /** The value bound to a module-level name, if any. */
  get(name: string): AVal | undefined;
  /** The file whose nodes are evaluated (for locations). */
  file: string;
  /** What `__file__` is (split-settings `include()` keeps the including file's). */
  dunderFile: string;
}

// ---------------------------------------------------------------------------------------------
// Names and environment reads
// ---------------------------------------------------------------------------------------------

/** The qualified name of a dotted expression, following imports: `path.join` → `os.path.join`. */
export function qualify(node: Node, scope: Scope): { name: string; envobj: boolean; bound: boolean } | null {
  // `bound`: the head name has a known value here (a name of unknown value may still be `env`).
  const d = dottedName(node);
  if (d === null) return null;
  const dot = d.indexOf('.');
  const head = dot < 0 ? d : d.slice(0, dot);
  const rest = dot < 0 ? '' : d.slice(dot);
  const b = scope.get(head);
  if (b?.t === 'import') return { name: b.name + rest, envobj: false, bound: true };
  if (b?.t === 'envobj') return { name: d, envobj: true, bound: true };
  return { name: d, envobj: false, bound: b !== undefined && b.t !== 'unknown' };
}

const ENV_FUNCS = new Map<string, 'positional' | 'keyword'>([
  ['os.environ.get', 'positional'],
  ['os.getenv', 'positional'],
  ['os.environ.setdefault', 'positional'],
  ['os.environ.pop', 'positional'],
  ['decouple.config', 'keyword'],
]);

/** Project helpers that read a variable: `get_env_variable('X')`, `env_bool('X', False)`. */
const ENV_HELPER = /^(get_?env|getenv|get_env_(var|variable|value|setting)|env_(var|bool|str|int|list|get|value)|get_env_or_default)$/i;

const ENVOBJ_CTORS = new Set(['environ.Env', 'environ.FileAwareEnv', 'environs.Env', 'decouple.AutoConfig', 'decouple.Config']);

export interface EnvRead {
  /** The variable's name when written as a literal. */
  name: string | null;
  /** The default value's expression, when one is given. */
  default: Node | null;
  node: Node;
}

/** When `node` itself reads the environment: `os.environ.get('X', d)`, `env('X')`, `os.environ['X']`. */
export function envRead(node: Node, scope: Scope): EnvRead | null {
  const n = unparen(node);
  if (n.type === 'subscript') {
    const value = n.childForFieldName('value');
    const q = value ? qualify(value, scope) : null;
    if (q && q.name === 'os.environ') {
      const key = n.childForFieldName('subscript');
      return { name: key ? stringValue(key) : null, default: null, node: n };
    }
    return null;
  }
  if (n.type !== 'call') return null;
  const fn = n.childForFieldName('function');
  const q = fn ? qualify(fn, scope) : null;
  if (!q) return null;
  let defaults: 'positional' | 'keyword' | null = ENV_FUNCS.get(q.name) ?? null;
  if (defaults === null) {
    const parts = q.name.split('.');
    const head = parts[0];
    const envLike = q.envobj || (!q.bound && (head === 'env' || head === 'config'));
    if (envLike && parts.length <= 2) defaults = parts.length === 1 ? 'keyword' : 'positional';
    else if (ENV_HELPER.test(parts[parts.length - 1]) && !ENVOBJ_CTORS.has(q.name)) defaults = 'positional';
  }
  if (defaults === null) return null;
  const args = callArgs(n);
  const first = args.positional[0] ?? args.keywords.get('var') ?? args.keywords.get('key') ?? null;
  const def = args.keywords.get('default') ?? (defaults === 'positional' ? (args.positional[1] ?? null) : null);
  return { name: first ? stringValue(first) : null, default: def, node: n };
}

/** The first environment read anywhere in an expression (`int(os.environ.get('DEBUG', 0))`). */
export function findEnvRead(node: Node, scope: Scope, depth = 0): EnvRead | null {
  const own = envRead(node, scope);
  if (own) return own;
  if (depth >= MAX_NODE_DEPTH) return null;
  for (const c of node.namedChildren) {
    if (c.type === 'lambda') continue;
    const r = findEnvRead(c, scope, depth + 1);
    if (r) return r;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/** `base / seg`: a repo path stays one while it stays inside the repo; absolute strings join. */
export function joinPath(base: AVal, seg: string): AVal {
  if (seg.startsWith('/')) return { t: 'str', v: posix.normalize(seg) };
  if (base.t === 'path') {
    const joined = posix.normalize(base.rel === '' ? seg : `${base.rel}/${seg}`).replace(/\/+$/, '');
    if (joined === '.') return { t: 'path', rel: '' };
    if (joined === '..' || joined.startsWith('../')) return UNKNOWN;
    return { t: 'path', rel: joined };
  }
  if (base.t === 'str') return { t: 'str', v: posix.join(base.v, seg) };
  return UNKNOWN;
}

export function parentPath(v: AVal, times = 1): AVal {
  let cur = v;
  for (let i = 0; i < times; i++) {
    if (cur.t === 'path') {
      if (cur.rel === '') return UNKNOWN; // above the repository
      cur = { t: 'path', rel: dirOf(cur.rel) };
    } else if (cur.t === 'str' && cur.v.startsWith('/')) {
      cur = { t: 'str', v: posix.dirname(cur.v) };
    } else {
      return UNKNOWN;
    }
  }
  return cur;
}

const isPathish = (v: AVal): boolean => v.t === 'path' || (v.t === 'str' && v.v.startsWith('/'));

const IDENTITY_FUNCS = new Set([
  'str',
  'os.fspath',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'list',
  'tuple',
]);
const PATH_CTORS = new Set([
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.PurePosixPath',
  'Path',
  'PurePath',
  'environ.Path',
  'os.path.join',
]);
const OS_CONSTANTS: Record<string, string> = { 'os.pardir': '..', 'os.curdir': '.', 'os.sep': '/', 'os.path.sep': '/' };
const IDENTITY_METHODS = new Set(['resolve', 'absolute', 'expanduser', 'as_posix', 'copy']);

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** The abstract value of an expression. */
export function evaluate(node: Node, scope: Scope, depth = 0): AVal {
  if (depth > MAX_NODE_DEPTH) return UNKNOWN;
  const n = unparen(node);
  const ev = (x: Node): AVal => evaluate(x, scope, depth + 1);
  switch (n.type) {
    case 'string':
    case 'concatenated_string': {
      const v = stringValue(n);
      if (v !== null) return { t: 'str', v, loc: locOf(n, scope.file) };
      return n.type === 'string' ? fstring(n, ev) : UNKNOWN;
    }
    case 'true':
      return { t: 'bool', v: true };
    case 'false':
      return { t: 'bool', v: false };
    case 'none':
      return { t: 'none' };
    case 'integer':
    case 'float':
      return { t: 'num', v: n.text };
    case 'identifier':
      if (n.text === '__file__') return { t: 'path', rel: scope.dunderFile };
      return scope.get(n.text) ?? UNKNOWN;
    case 'attribute': {
      const q = qualify(n, scope)?.name;
      if (q !== undefined && q in OS_CONSTANTS) return { t: 'str', v: OS_CONSTANTS[q] };
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute')?.text;
      if (!obj) return UNKNOWN;
      const base = ev(obj);
      if (attr === 'parent') return parentPath(base);
      if (base.t === 'import') return { t: 'import', name: `${base.name}.${attr}` };
      return UNKNOWN;
    }
    case 'subscript': {
      const env = envRead(n, scope);
      if (env) return { t: 'env', name: env.name };
      const value = n.childForFieldName('value');
      const key = n.childForFieldName('subscript');
      if (!value || !key) return UNKNOWN;
      if (value.type === 'attribute' && value.childForFieldName('attribute')?.text === 'parents') {
        const obj = value.childForFieldName('object');
        const idx = unparen(key);
        if (obj && idx.type === 'integer') return parentPath(ev(obj), Number(idx.text) + 1);
        return UNKNOWN;
      }
      const container = ev(value);
      const k = stringValue(key);
      if (container.t === 'dict' && k !== null) return container.entries.find((e) => e.key === k)?.value ?? UNKNOWN;
      return UNKNOWN;
    }
    case 'call':
      return call(n, scope, ev);
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if (!l || !r) return UNKNOWN;
      const a = ev(l);
      const b = ev(r);
      if (op === '/' && isPathish(a) && b.t === 'str') return joinPath(a, b.v);
      if (op === '+') {
        if (a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items], complete: a.complete && b.complete };
        if (a.t === 'str' && b.t === 'str') return { t: 'str', v: a.v + b.v };
        if (a.t === 'path' && b.t === 'str' && b.v.startsWith('/')) return joinPath(a, b.v.slice(1));
        if (a.t === 'list' || b.t === 'list') return { t: 'list', items: [...listItems(a), ...listItems(b)], complete: false };
      }
      if (op === '-' && a.t === 'path' && b.t === 'num' && /^\d+$/.test(b.v)) return parentPath(a, Number(b.v));
      if (op === '|' && a.t === 'dict' && b.t === 'dict') return mergeDicts(a, b);
      return UNKNOWN;
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
      return listLiteral(n, scope, ev);
    case 'dictionary':
      return dictLiteral(n, scope, ev);
    default:
      return UNKNOWN;
  }
}

function listItems(v: AVal): ListItem[] {
  return v.t === 'list' ? v.items : [];
}

export function mergeDicts(a: AVal & { t: 'dict' }, b: AVal & { t: 'dict' }): AVal {
  const entries = a.entries.filter((e) => !b.entries.some((x) => x.key === e.key));
  return { t: 'dict', entries: [...entries, ...b.entries], complete: a.complete && b.complete };
}

function fstring(n: Node, ev: (x: Node) => AVal): AVal {
  let base: AVal | null = null;
  let text = '';
  for (const c of n.namedChildren) {
    if (c.type === 'interpolation') {
      const e = c.childForFieldName('expression');
      if (!e || base !== null || text !== '') return UNKNOWN;
      if (c.namedChildren.some((x) => x.type === 'format_specifier' || x.type === 'type_conversion')) return UNKNOWN;
      base = ev(e);
      if (base.t !== 'path' && base.t !== 'str') return UNKNOWN;
    } else if (c.type === 'string_content') {
      text += c.text;
    }
  }
  if (base === null) return { t: 'str', v: text };
  if (base.t === 'str') return { t: 'str', v: base.v + text };
  if (text === '' || text === '/') return base;
  return text.startsWith('/') ? joinPath(base, text.slice(1)) : UNKNOWN;
}

function call(n: Node, scope: Scope, ev: (x: Node) => AVal): AVal {
  const env = envRead(n, scope);
  if (env) return { t: 'env', name: env.name };
  const fn = n.childForFieldName('function');
  if (!fn) return UNKNOWN;
  const args = callArgs(n);
  const q = qualify(fn, scope);
  const name = q?.name ?? null;
  const pos = args.positional.map(ev);
  const joinAll = (base: AVal, rest: AVal[]): AVal => {
    let cur = base;
    for (const r of rest) {
      if (r.t !== 'str' || cur.t === 'unknown') return UNKNOWN;
      cur = joinPath(cur, r.v);
    }
    return cur;
  };
  if (name !== null) {
    if (ENVOBJ_CTORS.has(name) || /(^|\.)(Env|AutoConfig)$/.test(name)) return { t: 'envobj' };
    if (IDENTITY_FUNCS.has(name)) return pos.length === 1 && !args.splat ? pos[0] : UNKNOWN;
    if (PATH_CTORS.has(name)) {
      if (pos.length === 0 || args.splat) return UNKNOWN;
      const first = pos[0];
      if (first.t === 'str' && !first.v.startsWith('/') && name !== 'os.path.join') return UNKNOWN; // cwd-relative
      return joinAll(first, pos.slice(1));
    }
    if (name === 'os.path.dirname') return pos.length === 1 ? parentPath(pos[0]) : UNKNOWN;
  }
  if (fn.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const obj = fn.childForFieldName('object');
    if (!obj) return UNKNOWN;
    const self = ev(obj);
    if (isPathish(self)) {
      if (IDENTITY_METHODS.has(method)) return self;
      if (method === 'joinpath' || method === 'path') return joinAll(self, pos);
    }
    if (self.t === 'list' && method === 'copy') return self;
    return UNKNOWN;
  }
  // django-environ's Path is callable: `ROOT_DIR('staticfiles')`.
  const callee = ev(fn);
  if (callee.t === 'path') return joinAll(callee, pos);
  return UNKNOWN;
}

function listLiteral(n: Node, scope: Scope, ev: (x: Node) => AVal): AVal {
  const items: ListItem[] = [];
  let complete = true;
  for (const c of n.namedChildren) {
    if (c.type === 'comment') continue;
    if (c.type === 'list_splat') {
      const inner = c.namedChildren[0];
      const v = inner ? ev(inner) : UNKNOWN;
      if (v.t === 'list') {
        items.push(...v.items);
        complete &&= v.complete;
      } else complete = false;
      continue;
    }
    const s = stringValue(c);
    if (s !== null) items.push({ value: s, loc: locOf(unparen(c), scope.file) });
    else complete = false;
  }
  return { t: 'list', items, complete };
}

function dictLiteral(n: Node, scope: Scope, ev: (x: Node) => AVal): AVal {
  let out: AVal & { t: 'dict' } = { t: 'dict', entries: [], complete: true };
  for (const c of n.namedChildren) {
    if (c.type === 'pair') {
      const k = c.childForFieldName('key');
      const v = c.childForFieldName('value');
      const key = k ? stringValue(k) : null;
      if (!k || !v || key === null) {
        out.complete = false;
        continue;
      }
      const entry: DictEntry = { key, keyLoc: locOf(k, scope.file), value: ev(v), loc: locOf(v, scope.file) };
      out = mergeDicts(out, { t: 'dict', entries: [entry], complete: true }) as AVal & { t: 'dict' };
    } else if (c.type === 'dictionary_splat') {
      const inner = c.namedChildren[0];
      const v = inner ? ev(inner) : UNKNOWN;
      if (v.t === 'dict') out = mergeDicts(out, v) as AVal & { t: 'dict' };
      else out.complete = false;
    } else if (c.type !== 'comment') {
      out.complete = false;
    }
  }
  return out;
}

/** The value as a static literal (`string | boolean | null`) when it is one. */
export function literalOf(v: AVal): string | boolean | null | undefined {
  switch (v.t) {
    case 'str':
      return v.v;
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'num':
      return v.v;
    default:
      return undefined;
  }
}
