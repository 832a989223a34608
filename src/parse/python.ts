/**
 * Small helpers over tree-sitter-python: parse with positions, syntax errors as issues, static
 * string values, dotted names and call arguments. Nothing here evaluates Python; callers decide
 * what a node means. The grammar must have been loaded with `loadGrammars(['python'])`.
 *
 * Columns are JavaScript string indexes (UTF-16 code units) + 1, as web-tree-sitter reports them
 * for a JavaScript string; `endColumn` is exclusive.
 */
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import { parseText, type Node } from './treesitter.js';

export type { Node } from './treesitter.js';

/** At most this many syntax errors are reported per file. */
const MAX_ISSUES = 5;
/** Recursive walks stop this deep (a 1 MiB file of brackets nests far deeper than code does). */
export const MAX_NODE_DEPTH = 200;

export interface PythonModule {
  file: string;
  /** The `module` node. Valid until `dispose()` is called. */
  root: Node;
  /** Syntax errors, each with its position. */
  issues: ParseIssue[];
  /** Frees the tree's WASM memory; nodes must not be used afterwards. */
  dispose(): void;
}

/**
 * Parse Python source. Never throws on bad input: syntax errors come back as issues. Null only
 * when tree-sitter itself gives up (it does not for ordinary input).
 */
export function parsePython(text: string, file: string): PythonModule | null {
  const parsed = parseText('python', text);
  if (!parsed.tree) {
    if (parsed.reason !== 'too-large') return null;
    // Too large to parse: an empty module, with the reason as its one issue.
    const empty = parseText('python', '').tree;
    if (!empty) return null;
    const loc = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { file, root: empty.rootNode, issues: [{ message: `${file} is ${parsed.message}`, loc }], dispose: () => empty.delete() };
  }
  const tree = parsed.tree;
  const root = tree.rootNode;
  return { file, root, issues: syntaxIssues(root, file), dispose: () => tree.delete() };
}

/** ERROR and MISSING nodes of a tree as issues, in source order. */
export function syntaxIssues(root: Node, file: string): ParseIssue[] {
  const out: ParseIssue[] = [];
  const visit = (n: Node, depth: number): void => {
    if (out.length >= MAX_ISSUES) return;
    if (depth > MAX_NODE_DEPTH) {
      out.push({ message: `expressions nested more than ${MAX_NODE_DEPTH} deep were not checked`, loc: locOf(n, file) });
      return;
    }
    if (n.isMissing) {
      out.push({ message: `syntax error: missing '${n.type}'`, loc: locOf(n, file) });
      return;
    }
    if (n.isError) {
      const first = n.text.split('\n')[0].trim();
      const shown = first.length > 40 ? first.slice(0, 40) + '…' : first;
      out.push({ message: `syntax error near '${shown}'`, loc: locOf(n, file) });
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) visit(c, depth + 1);
  };
  if (root.hasError) visit(root, 0);
  return out;
}

/** The 1-based location of a node. */
export function locOf(n: Node, file: string): Location {
  return {
    file,
    line: n.startPosition.row + 1,
    column: n.startPosition.column + 1,
    endLine: n.endPosition.row + 1,
    endColumn: n.endPosition.column + 1,
  };
}

/** Skip parentheses: `((x))` → `x`. */
export function unparen(n: Node): Node {
  let cur = n;
  for (let i = 0; i < MAX_NODE_DEPTH && cur.type === 'parenthesized_expression' && cur.namedChildCount === 1; i++) {
    cur = cur.namedChildren[0]!;
  }
  return cur;
}

/** The prefix letters of a string literal (`f`, `rb`, ...), lower-cased. */
export function stringPrefix(n: Node): string {
  const start = n.children.find((c) => c.type === 'string_start');
  return (start?.text ?? '').replace(/['"]+$/, '').toLowerCase();
}

/**
 * The value of a string literal (or implicit concatenation of literals) when it has no
 * interpolation; null otherwise. Escapes are decoded for non-raw strings.
 */
export function stringValue(node: Node): string | null {
  const n = unparen(node);
  if (n.type === 'concatenated_string') {
    let s = '';
    for (const part of n.namedChildren) {
      const v = stringValue(part);
      if (v === null) return null;
      s += v;
    }
    return s;
  }
  if (n.type !== 'string') return null;
  const prefix = stringPrefix(n);
  let body = '';
  for (const c of n.namedChildren) {
    if (c.type === 'interpolation') return null;
    if (c.type === 'string_content') body += c.text;
  }
  if (prefix.includes('f')) body = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return prefix.includes('r') ? body : decodeEscapes(body);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function decodeEscapes(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1) {
      const cp = parseInt(e.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return e in SIMPLE_ESCAPES ? SIMPLE_ESCAPES[e] : m;
  });
}

/** `a.b.c` for identifiers and attribute chains; null for anything else. */
export function dottedName(node: Node): string | null {
  const parts: string[] = [];
  let n = unparen(node);
  while (n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute');
    if (!obj || !attr || parts.length > MAX_NODE_DEPTH) return null;
    parts.unshift(attr.text);
    n = unparen(obj);
  }
  if (n.type !== 'identifier') return null;
  parts.unshift(n.text);
  return parts.join('.');
}

export interface CallArgs {
  positional: Node[];
  keywords: Map<string, Node>;
  /** `*args` or `**kwargs` present: the argument list is not fully known. */
  splat: boolean;
}

/** The arguments of a `call` node. */
export function callArgs(call: Node): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), splat: false };
  const list = call.childForFieldName('arguments');
  if (!list) return out;
  if (list.type === 'generator_expression') {
    out.splat = true;
    return out;
  }
  for (const a of list.namedChildren) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) out.keywords.set(name.text, value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      out.splat = true;
    } else if (a.type !== 'comment') {
      out.positional.push(a);
    }
  }
  return out;
}

/** The module name of an import statement: `.base`, `..x.y`, `config.settings.base`. */
export function importModuleName(stmt: Node): string | null {
  const m = stmt.childForFieldName('module_name');
  if (!m) return null;
  return m.text.replace(/\s+/g, '');
}

/** Names bound by `from x import a, b as c` (`[name, alias]`), or `'*'` for a star import. */
export function importedNames(stmt: Node): { name: string; alias: string; loc: Node }[] | '*' {
  if (stmt.namedChildren.some((c) => c.type === 'wildcard_import')) return '*';
  const out: { name: string; alias: string; loc: Node }[] = [];
  for (const n of stmt.childrenForFieldName('name')) {
    if (n.type === 'aliased_import') {
      const name = n.childForFieldName('name');
      const alias = n.childForFieldName('alias');
      if (name && alias) out.push({ name: name.text, alias: alias.text, loc: n });
    } else {
      out.push({ name: n.text, alias: n.text, loc: n });
    }
  }
  return out;
}

/**
 * Resolve a Python module name to a repository file, relative to `fromFile` for relative names
 * (`.base`) or tried under each of `roots` for absolute ones. A package resolves to its
 * `__init__.py`. Returns null when no such file is in the repo.
 */
export function resolveModule(
  has: (file: string) => boolean,
  name: string,
  fromFile: string | null,
  roots: readonly string[],
): string | null {
  const m = /^(\.*)(.*)$/.exec(name)!;
  const dots = m[1].length;
  const rest = m[2] ? m[2].split('.') : [];
  if (rest.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return null;
  const candidates = (base: string): string | null => {
    const stem = [base, ...rest].filter((s) => s !== '').join('/');
    if (rest.length > 0 && has(`${stem}.py`)) return `${stem}.py`;
    const init = stem ? `${stem}/__init__.py` : '__init__.py';
    return has(init) ? init : null;
  };
  if (dots > 0) {
    if (fromFile === null) return null;
    let dir = dirOf(fromFile);
    for (let i = 1; i < dots; i++) {
      if (dir === '') return null;
      dir = dirOf(dir);
    }
    return candidates(dir);
  }
  if (rest.length === 0) return null;
  for (const r of roots) {
    const hit = candidates(r);
    if (hit) return hit;
  }
  return null;
}

/** `a/b/c.py` → `a/b`; `c.py` → `''`. */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** `a/b/c.py` → `['a/b', 'a', '']`: the directories above a file, nearest first. */
export function ancestorDirs(file: string): string[] {
  const out: string[] = [];
  let d = dirOf(file);
  for (;;) {
    out.push(d);
    if (d === '') return out;
    d = dirOf(d);
  }
}
