/**
 * setuptools projects: `setup.py` read statically with tree-sitter-python (never executed) and
 * `setup.cfg` (`[options] install_requires`, `[options.extras_require]`).
 *
 * setup.py: the `setup(...)` call's `install_requires` / `extras_require` arguments when they
 * are list / tuple / dict literals of strings, names bound at module level to such literals,
 * `+` of those, or expressions that read a requirements file named by a string literal
 * (`open('requirements.txt').read().splitlines()`, `parse_requirements("requirements/base.txt")`).
 * Anything else is reported as unresolved rather than guessed.
 *
 * setup.cfg is hand-read: setuptools' INI dialect is small (sections, `key = value`, indented
 * continuation lines, `#`/`;` comment lines), and no INI library is installed.
 */
import { locOf } from '../parse/python.js';
import { parseText, type Node } from '../parse/treesitter.js';
import { type Label, MAIN, ReadCtx, dirOf, fileStartLoc, mk } from './context.js';
import { isDevLabel, normalizeName } from './packages.js';
import { parseRequirement } from './pep508.js';
import { type ProjectDeps, emptyProject } from './project.js';
import type { ReqFileReader } from './pyproject.js';
import { lineLoc, splitLines } from '../core/lines.js';
import type { Declared } from './types.js';

/** The value of a plain string literal (no f-string interpolation), else null. */
function stringValue(n: Node): string | null {
  if (n.type === 'concatenated_string') {
    let s = '';
    for (const c of n.namedChildren) {
      if (!c) continue;
      const v = stringValue(c);
      if (v === null) return null;
      s += v;
    }
    return s;
  }
  if (n.type !== 'string') return null;
  let s = '';
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return null;
    if (c.type === 'string_content') s += c.text;
  }
  return s;
}

interface Evaluated {
  items: { value: string; node: Node }[];
  /** Requirements files the expression reads. */
  files: { path: string; node: Node }[];
  /** Parts that could not be read statically. */
  dynamic: Node[];
}

class SetupPy {
  private readonly assigns = new Map<string, Node>();
  /** Names assigned inside `with open("requirements.txt") as f:` → that with-clause. */
  private readonly withContext = new Map<string, Node>();

  constructor(private readonly root: Node) {
    this.collect(root, null, 0);
  }

  /** Module-level assignments, also inside `with` / `if` / `try` blocks (one name, last wins). */
  private collect(block: Node, withClause: Node | null, depth: number): void {
    if (depth > 4) return;
    for (const st of block.namedChildren) {
      if (!st) continue;
      if (st.type === 'with_statement') {
        const clause = st.namedChildren.find((c) => c?.type === 'with_clause') ?? null;
        const body = st.childForFieldName('body');
        if (body) this.collect(body, clause, depth + 1);
        continue;
      }
      if (['if_statement', 'try_statement', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'block'].includes(st.type)) {
        this.collect(st, withClause, depth + 1);
        continue;
      }
      const a = st.type === 'expression_statement' ? st.namedChildren[0] : null;
      if (a?.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      this.assigns.set(left.text, right);
      if (withClause) this.withContext.set(left.text, withClause);
      else this.withContext.delete(left.text);
    }
  }

  setupCalls(): Node[] {
    const out: Node[] = [];
    const visit = (n: Node, depth: number): void => {
      if (depth > 60) return;
      if (n.type === 'call') {
        const f = n.childForFieldName('function');
        const name = f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : null;
        if (name === 'setup') out.push(n);
      }
      for (const c of n.namedChildren) if (c) visit(c, depth + 1);
    };
    visit(this.root, 0);
    return out;
  }

  list(n: Node, depth = 0): Evaluated {
    const ev: Evaluated = { items: [], files: [], dynamic: [] };
    if (depth > 10) {
      ev.dynamic.push(n);
      return ev;
    }
    const s = stringValue(n);
    if (s !== null) {
      ev.items.push({ value: s, node: n });
      return ev;
    }
    switch (n.type) {
      case 'list':
      case 'tuple':
      case 'parenthesized_expression':
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          merge(ev, this.list(c.type === 'list_splat' ? (c.namedChildren[0] ?? c) : c, depth + 1));
        }
        return ev;
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (l) merge(ev, this.list(l, depth + 1));
        if (r) merge(ev, this.list(r, depth + 1));
        return ev;
      }
      case 'identifier': {
        const v = this.assigns.get(n.text);
        if (!v) {
          ev.dynamic.push(n);
          return ev;
        }
        const got = this.list(v, depth + 1);
        // `with open("requirements.txt") as f: REQS = f.read().splitlines()`
        const clause = this.withContext.get(n.text);
        if (got.dynamic.length > 0 && got.items.length === 0 && got.files.length === 0 && clause) {
          const files = literalFiles(clause);
          if (files.length > 0) return { items: [], files, dynamic: [] };
        }
        return got;
      }
      default: {
        // A call or comprehension reading a requirements file named by a literal.
        const files = literalFiles(n);
        if (files.length > 0) ev.files.push(...files);
        else ev.dynamic.push(n);
        return ev;
      }
    }
  }

  dict(n: Node, depth = 0): { key: string; keyNode: Node; value: Node }[] | null {
    if (n.type === 'identifier' && depth < 10) {
      const v = this.assigns.get(n.text);
      return v ? this.dict(v, depth + 1) : null;
    }
    if (n.type !== 'dictionary') return null;
    const out: { key: string; keyNode: Node; value: Node }[] = [];
    for (const p of n.namedChildren) {
      if (p?.type !== 'pair') continue;
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      const ks = k ? stringValue(k) : null;
      if (k && v && ks !== null) out.push({ key: ks, keyNode: k, value: v });
    }
    return out;
  }
}

function merge(a: Evaluated, b: Evaluated): void {
  a.items.push(...b.items);
  a.files.push(...b.files);
  a.dynamic.push(...b.dynamic);
}

/** String literals naming a requirements file (`*.txt`, `*.in`) inside an expression. */
function literalFiles(n: Node): { path: string; node: Node }[] {
  const out: { path: string; node: Node }[] = [];
  const visit = (x: Node, depth: number): void => {
    if (depth > 30) return;
    const s = stringValue(x);
    if (s !== null) {
      if (/\.(txt|in)$/i.test(s) && !/\s/.test(s)) out.push({ path: s, node: x });
      return;
    }
    for (const c of x.namedChildren) if (c) visit(c, depth + 1);
  };
  visit(n, 0);
  return out;
}

export function readSetupPy(ctx: ReadCtx, file: string, via: string[], readReqFile: ReqFileReader): ProjectDeps | null {
  const text = ctx.repo.text(file);
  if (text === null) return null;
  ctx.addFile(file);
  const proj = emptyProject(dirOf(file));
  proj.files.push(file);
  let tree;
  try {
    const parsed = parseText('python', text);
    if (!parsed.tree) {
      if (parsed.reason === 'too-large') ctx.unresolvedAt(`${file} was not read: it is ${parsed.message}`, fileStartLoc(file));
      return proj;
    }
    tree = parsed.tree;
  } catch (e) {
    ctx.unresolvedAt(`${file} was not read: ${(e as Error).message}`, fileStartLoc(file));
    return proj;
  }
  const py = new SetupPy(tree.rootNode);
  const calls = py.setupCalls();
  if (calls.length === 0) {
    if (tree.rootNode.hasError) ctx.unresolvedAt(`${file} could not be read (syntax this tool does not understand)`, fileStartLoc(file));
    return proj;
  }
  const call = calls[0];
  const args = call.childForFieldName('arguments');
  let sawInstall = false;
  let splat: Node | null = null;
  const addList = (value: Node, label: Label): Declared[] => {
    const ev = py.list(value);
    const out: Declared[] = [];
    for (const it of ev.items) {
      const loc = locOf(it.node, file);
      const r = parseRequirement(it.value);
      if (r?.name) out.push(mk(r.name, it.value, loc, label, via, { extras: r.extras, marker: r.marker }));
      else ctx.unresolvedAt(`'${it.value}' in ${file} is not a requirement this tool can read`, loc);
    }
    for (const f of ev.files) {
      const target = ctx.resolve(f.path, file);
      const loc = locOf(f.node, file);
      if (target === null || !ctx.repo.read(target).ok) {
        ctx.unresolvedAt(`${file} reads '${f.path}', which is not in the repository`, loc);
        continue;
      }
      out.push(...readReqFile(target, label, [...via, file]));
    }
    for (const d of ev.dynamic) ctx.unresolvedAt(`${file} computes its requirements at run time ('${d.text.slice(0, 60)}'); they are not known`, locOf(d, file));
    return out;
  };
  for (const a of args?.namedChildren ?? []) {
    if (!a) continue;
    if (a.type === 'dictionary_splat') splat = a;
    if (a.type !== 'keyword_argument') continue;
    const name = a.childForFieldName('name')?.text;
    const value = a.childForFieldName('value');
    if (!value) continue;
    if (name === 'install_requires') {
      sawInstall = true;
      proj.main.push(...addList(value, MAIN));
    } else if (name === 'extras_require') {
      const pairs = py.dict(value);
      if (!pairs) {
        ctx.unresolvedAt(`${file} computes extras_require at run time; its extras are not known`, locOf(value, file));
        continue;
      }
      for (const p of pairs) {
        const extra = normalizeName(p.key.split(':')[0]);
        const label: Label = { group: extra, dev: isDevLabel(extra), kind: 'extra' };
        proj.extras.set(extra, [...(proj.extras.get(extra) ?? []), ...addList(p.value, label)]);
      }
    }
  }
  if (!sawInstall && splat) {
    ctx.unresolvedAt(`${file} passes setup() arguments through '${splat.text.slice(0, 40)}'; install_requires is not known`, locOf(splat, file));
  }
  return proj;
}

// ---------------------------------------------------------------------------------------------
// setup.cfg
// ---------------------------------------------------------------------------------------------

interface CfgValue {
  key: string;
  /** Each value line with its position. */
  lines: { text: string; line: number; column: number }[];
  keyLine: number;
}

/** Sections → keys → values of an INI file in setuptools' dialect. */
export function readIni(text: string): Map<string, CfgValue[]> {
  const out = new Map<string, CfgValue[]>();
  let section: CfgValue[] | null = null;
  let cur: CfgValue | null = null;
  splitLines(text).forEach((l, i) => {
    const n = i + 1;
    if (/^\s*[#;]/.test(l) || l.trim() === '') return;
    const h = /^\[([^\]]+)\]/.exec(l);
    if (h) {
      section = [];
      out.set(h[1].trim().toLowerCase(), section);
      cur = null;
      return;
    }
    if (/^\s/.test(l)) {
      const text = l.replace(/\s+#.*$/, '').trim();
      if (cur && text) cur.lines.push({ text, line: n, column: l.indexOf(text) + 1 });
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(l);
    if (!kv || !section) return;
    cur = { key: kv[1].trim(), lines: [], keyLine: n };
    const v = kv[2].replace(/\s+#.*$/, '').trim();
    if (v) cur.lines.push({ text: v, line: n, column: l.indexOf(v, kv[1].length) + 1 });
    section.push(cur);
  });
  return out;
}

export function readSetupCfg(ctx: ReadCtx, file: string, via: string[], readReqFile: ReqFileReader): ProjectDeps | null {
  const text = ctx.repo.text(file);
  if (text === null) return null;
  ctx.addFile(file);
  const proj = emptyProject(dirOf(file));
  proj.files.push(file);
  const ini = readIni(text);
  const values = (v: CfgValue, label: Label): Declared[] => {
    const out: Declared[] = [];
    // One line → `;`-separated list; several lines → one requirement per line.
    const items =
      v.lines.length === 1 && !/^file:/.test(v.lines[0].text)
        ? splitSemi(v.lines[0])
        : v.lines;
    for (const it of items) {
      const loc = lineLoc(file, it.line, it.column, it.column + it.text.length);
      const f = /^file:\s*(.+)$/.exec(it.text);
      if (f) {
        for (const p of f[1].split(',').map((x) => x.trim()).filter(Boolean)) {
          const target = ctx.resolve(p, file);
          if (target === null || !ctx.repo.read(target).ok) ctx.unresolvedAt(`${file} reads '${p}', which is not in the repository`, loc);
          else out.push(...readReqFile(target, label, [...via, file]));
        }
        continue;
      }
      const r = parseRequirement(it.text);
      if (r?.name) out.push(mk(r.name, it.text, loc, label, via, { extras: r.extras, marker: r.marker }));
      else ctx.unresolvedAt(`'${it.text}' in ${file} is not a requirement this tool can read`, loc);
    }
    return out;
  };
  for (const v of ini.get('options') ?? []) {
    if (v.key === 'install_requires') proj.main.push(...values(v, MAIN));
  }
  for (const v of ini.get('options.extras_require') ?? []) {
    const extra = normalizeName(v.key);
    proj.extras.set(extra, values(v, { group: extra, dev: isDevLabel(extra), kind: 'extra' }));
  }
  return proj;
}

function splitSemi(l: { text: string; line: number; column: number }): { text: string; line: number; column: number }[] {
  // A marker also uses `;` (`gunicorn; sys_platform != "win32"`): split only where the next
  // part starts like a package name and not like a marker variable.
  const out: { text: string; line: number; column: number }[] = [];
  let start = 0;
  const parts = l.text.split(';');
  let acc = parts[0];
  let accStart = 0;
  for (let i = 1; i < parts.length; i++) {
    start += parts[i - 1].length + 1;
    const next = parts[i].trim();
    if (/^(python_version|python_full_version|os_name|sys_platform|platform_|implementation_|extra)\b/.test(next)) {
      acc += ';' + parts[i];
      continue;
    }
    out.push({ text: acc.trim(), line: l.line, column: l.column + accStart + (acc.length - acc.trimStart().length) });
    acc = parts[i];
    accStart = start;
  }
  out.push({ text: acc.trim(), line: l.line, column: l.column + accStart + (acc.length - acc.trimStart().length) });
  return out.filter((x) => x.text);
}
