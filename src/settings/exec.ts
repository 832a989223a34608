/**
 * The statement interpreter behind `readSettings`: executes a settings module's module-level
 * statements over abstract values (eval.ts), never running anything. Follows the project's own
 * imports (star and named, relative and absolute, packages) and django-split-settings
 * `include()`, with bounded depth and file count, cycles cut.
 */
import type { Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import {
  ancestorDirs,
  callArgs,
  dirOf,
  dottedName,
  importedNames,
  importModuleName,
  locOf,
  MAX_NODE_DEPTH,
  parsePython,
  resolveModule,
  stringValue,
  unparen,
  type Node,
} from '../parse/python.js';
import {
  evaluate,
  findEnvRead,
  joinPath,
  literalOf,
  mergeDicts,
  qualify,
  UNKNOWN,
  type AVal,
  type DictEntry,
  type ListItem,
  type Scope,
} from './eval.js';
import type { SettingValue } from './types.js';
import { fileGlob } from '../core/paths.js';

export const SETTINGS_LIMITS = {
  /** Nested imports / includes followed from the settings module. */
  maxDepth: 10,
  /** Files read for one settings module. */
  maxFiles: 100,
};

export interface Binding {
  val: AVal;
  setting?: SettingValue;
}
export type Namespace = Map<string, Binding>;

interface Ctx {
  ns: Namespace;
  /** The file whose statements are executed. */
  file: string;
  /** `__file__` (the including file for split-settings includes). */
  dunderFile: string;
  conditional: boolean;
  depth: number;
}

export const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
const LITERAL_TYPES = new Set(['string', 'concatenated_string', 'true', 'false', 'none', 'integer', 'float']);
const HELPERS = new Set(['django_heroku.settings', 'django_on_heroku.settings']);
export const WHITENOISE_MW = 'whitenoise.middleware.WhiteNoiseMiddleware';

export class Reader {
  readonly modules = new Map<string, Namespace>();
  readonly active = new Set<string>();
  readonly chain: string[] = [];
  readonly issues: ParseIssue[] = [];
  readonly unresolved: ParseIssue[] = [];
  readonly helpers: { name: string; loc: Location }[] = [];
  complete = true;
  private filesRead = 0;

  constructor(
    readonly repo: Repo,
    readonly roots: string[],
  ) {}

  note(message: string, loc: Location, conditional: boolean): void {
    this.unresolved.push({ message, loc });
    if (!conditional) this.complete = false;
  }

  /** Execute a module in a fresh namespace (once per file, as Python caches modules). */
  runModule(file: string, depth: number, from: { loc: Location; conditional: boolean } | null): Namespace | null {
    const cached = this.modules.get(file);
    if (cached) return cached;
    const ns: Namespace = new Map();
    if (!this.execInto(file, ns, file, depth, from, false)) return null;
    this.modules.set(file, ns);
    return ns;
  }

  /** Execute `file`'s statements in `ns`. False when the file could not be read. */
  execInto(
    file: string,
    ns: Namespace,
    dunderFile: string,
    depth: number,
    from: { loc: Location; conditional: boolean } | null,
    conditional: boolean,
  ): boolean {
    const fail = (why: string): false => {
      this.note(why, from?.loc ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, from?.conditional ?? false);
      return false;
    };
    if (this.active.has(file)) return fail(`import cycle back to ${file}; not followed`);
    if (depth > SETTINGS_LIMITS.maxDepth) return fail(`${file} is nested more than ${SETTINGS_LIMITS.maxDepth} imports deep; not followed`);
    if (this.filesRead >= SETTINGS_LIMITS.maxFiles) return fail(`more than ${SETTINGS_LIMITS.maxFiles} settings files; ${file} was not read`);
    const read = this.repo.read(file);
    if (!read.ok) return fail(read.message);
    this.filesRead++;
    const mod = parsePython(read.text, file);
    if (!mod) return fail(`${file} could not be parsed`);
    this.issues.push(...mod.issues);
    this.active.add(file);
    try {
      this.block(mod.root.namedChildren, { ns, file, dunderFile, conditional, depth });
    } finally {
      this.active.delete(file);
      mod.dispose();
    }
    if (!this.chain.includes(file)) this.chain.push(file);
    return true;
  }

  scope(ctx: Ctx): Scope {
    return { get: (n) => ctx.ns.get(n)?.val, file: ctx.file, dunderFile: ctx.dunderFile };
  }

  block(stmts: Node[], ctx: Ctx): void {
    for (const s of stmts) this.statement(s, ctx);
  }

  statement(s: Node, ctx: Ctx): void {
    const cond = { ...ctx, conditional: true };
    switch (s.type) {
      case 'expression_statement':
        for (const e of s.namedChildren) {
          if (e.type === 'assignment') this.assign(e, ctx);
          else if (e.type === 'augmented_assignment') this.augAssign(e, ctx);
          else if (e.type === 'call') this.callStatement(e, ctx);
        }
        return;
      case 'import_from_statement':
        return this.importFrom(s, ctx);
      case 'import_statement':
        for (const c of s.namedChildren) {
          if (c.type === 'dotted_name') {
            const head = c.text.split('.')[0];
            this.set(ctx, head, { val: { t: 'import', name: head } });
          } else if (c.type === 'aliased_import') {
            const name = c.childForFieldName('name')?.text;
            const alias = c.childForFieldName('alias')?.text;
            if (name && alias) this.set(ctx, alias, { val: { t: 'import', name } });
          }
        }
        return;
      case 'if_statement': {
        const body = s.childForFieldName('consequence');
        if (body) this.block(body.namedChildren, cond);
        for (const alt of s.childrenForFieldName('alternative')) {
          const b = alt.childForFieldName(alt.type === 'elif_clause' ? 'consequence' : 'body');
          if (b) this.block(b.namedChildren, cond);
        }
        return;
      }
      case 'try_statement':
        for (const c of s.namedChildren) {
          if (c.type === 'block') this.block(c.namedChildren, cond);
          else if (c.type === 'finally_clause') this.clauseBlocks(c, ctx);
          else this.clauseBlocks(c, cond);
        }
        return;
      case 'with_statement': {
        const body = s.childForFieldName('body');
        if (body) this.block(body.namedChildren, ctx);
        return;
      }
      case 'for_statement':
      case 'while_statement': {
        const body = s.childForFieldName('body');
        if (body) this.block(body.namedChildren, cond);
        return;
      }
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition': {
        const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
        const name = def?.childForFieldName('name')?.text;
        // A project function that reads the environment makes its calls environment reads.
        const envy = def?.type === 'function_definition' && /\bos\.environ\b|\bgetenv\b|\benviron\s*\[/.test(def.text);
        if (name) this.set(ctx, name, { val: envy ? { t: 'envobj' } : UNKNOWN });
        return;
      }
      default:
        return;
    }
  }

  private clauseBlocks(clause: Node, ctx: Ctx): void {
    for (const c of clause.namedChildren) if (c.type === 'block') this.block(c.namedChildren, ctx);
  }

  /** Bind a name; a conditional binding keeps the earlier value as a possibility. */
  set(ctx: Ctx, name: string, b: Binding): void {
    if (!ctx.conditional) {
      ctx.ns.set(name, b);
      return;
    }
    const old = ctx.ns.get(name);
    let val = b.val;
    if (b.val.t === 'list') {
      // Either list may be in effect: keep both, the new items marked conditional.
      const before = old?.val.t === 'list' ? old.val : null;
      const seen = new Set((before?.items ?? []).map(itemKey));
      const added = b.val.items.filter((i) => !seen.has(itemKey(i))).map((i) => ({ ...i, conditional: true }));
      val = {
        t: 'list',
        items: [...(before?.items ?? []), ...added],
        complete: b.val.complete && (old === undefined || (before !== null && before.complete)),
      };
    }
    let setting = b.setting;
    if (setting && setting !== old?.setting) {
      const earlier = old?.setting ? [stripAlt(old.setting), ...(old.setting.conditional ? (old.setting.alternatives ?? []) : [])] : [];
      setting = { ...setting, conditional: true, ...(earlier.length > 0 ? { alternatives: earlier } : {}) };
    }
    ctx.ns.set(name, { val, setting });
  }

  // -------------------------------------------------------------------------------------------
  // Assignments
  // -------------------------------------------------------------------------------------------

  /** `A = value`, `A = B = value`, `A, B = x, y`, `D["k"] = value`. */
  assign(node: Node, ctx: Ctx): void {
    const targets: Node[] = [];
    let cur = node;
    let right: Node;
    for (;;) {
      const left = cur.childForFieldName('left');
      const r = cur.childForFieldName('right');
      if (!left || !r || targets.length > MAX_NODE_DEPTH) return;
      targets.push(left);
      if (r.type !== 'assignment') {
        right = r;
        break;
      }
      cur = r;
    }
    if (right.type === 'yield') return;
    let val: AVal | null = null;
    for (const left of targets) {
      const target = unparen(left);
      if (target.type === 'identifier') {
        val ??= evaluate(right, this.scope(ctx));
        this.bindValue(target.text, node, right, val, ctx);
      } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
        const names = target.namedChildren;
        const r = unparen(right);
        const values = ['expression_list', 'tuple', 'list'].includes(r.type) ? r.namedChildren : null;
        names.forEach((n, i) => {
          if (n.type !== 'identifier') return;
          const v = values && values.length === names.length ? values[i] : null;
          if (v) this.bindValue(n.text, node, v, evaluate(v, this.scope(ctx)), ctx);
          else this.bindValue(n.text, node, right, UNKNOWN, ctx);
        });
      } else if (target.type === 'subscript') {
        this.subscriptAssign(node, target, right, ctx);
      }
    }
  }

  bindValue(name: string, stmt: Node, value: Node, val: AVal, ctx: Ctx): void {
    const setting = SETTING_NAME.test(name) ? this.makeSetting(name, stmt, value, val, ctx) : undefined;
    this.set(ctx, name, { val, setting });
  }

  makeSetting(name: string, stmt: Node, value: Node, val: AVal, ctx: Ctx): SettingValue {
    const scope = this.scope(ctx);
    const env = findEnvRead(value, scope);
    const kind: SettingValue['kind'] = env ? 'env' : LITERAL_TYPES.has(unparen(value).type) && literalOf(val) !== undefined ? 'literal' : 'expr';
    const sv: SettingValue = { name, loc: locOf(stmt, ctx.file), kind, text: value.text, valueLoc: locOf(value, ctx.file) };
    const lit = literalOf(val);
    if (lit !== undefined && !env) sv.literal = lit;
    if (val.t === 'path') sv.path = val.rel;
    if (env) {
      let def: NonNullable<SettingValue['env']>['default'] = null;
      if (env.default) {
        const dv = evaluate(env.default, scope);
        def = { text: env.default.text };
        const dl = literalOf(dv);
        if (dl !== undefined) def.literal = dl;
        if (dv.t === 'path') def.path = dv.rel;
      }
      sv.env = { name: env.name, default: def };
    }
    return sv;
  }

  augAssign(node: Node, ctx: Ctx): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const op = node.childForFieldName('operator')?.text;
    if (!left || !right || left.type !== 'identifier') return;
    const name = left.text;
    const old = ctx.ns.get(name);
    const rhs = evaluate(right, this.scope(ctx));
    let val: AVal = UNKNOWN;
    if (op === '+=' && rhs.t === 'list') {
      const items = rhs.items.map((i) => (ctx.conditional ? { ...i, conditional: true } : i));
      const base = old?.val.t === 'list' ? old.val : null;
      val = { t: 'list', items: [...(base?.items ?? []), ...items], complete: !!base && base.complete && rhs.complete };
    } else if (op === '|=' && old?.val.t === 'dict' && rhs.t === 'dict') {
      val = mergeDicts(old.val, rhs);
    } else if (op === '+=' && old?.val.t === 'str' && rhs.t === 'str') {
      val = { t: 'str', v: old.val.v + rhs.v };
    }
    const setting = old?.setting ?? (SETTING_NAME.test(name) ? this.makeSetting(name, node, right, val, ctx) : undefined);
    // Additions are not alternatives: write through even when conditional.
    ctx.ns.set(name, { val, setting });
  }

  /** `STORAGES["staticfiles"] = {...}`, `STORAGES["staticfiles"]["BACKEND"] = "..."`. */
  subscriptAssign(stmt: Node, target: Node, right: Node, ctx: Ctx): void {
    const keys: { key: string; node: Node }[] = [];
    let cur: Node = target;
    while (cur.type === 'subscript') {
      const k = cur.childForFieldName('subscript');
      const key = k ? stringValue(k) : null;
      if (!k || key === null) return;
      keys.unshift({ key, node: k });
      cur = unparen(cur.childForFieldName('value')!);
    }
    if (cur.type !== 'identifier') return;
    const name = cur.text;
    const old = ctx.ns.get(name);
    const rhs = evaluate(right, this.scope(ctx));
    const put = (d: AVal, i: number): AVal => {
      const dict = d.t === 'dict' ? d : { t: 'dict' as const, entries: [], complete: false };
      const { key, node } = keys[i];
      const existing = dict.entries.find((e) => e.key === key);
      const value = i === keys.length - 1 ? rhs : put(existing?.value ?? UNKNOWN, i + 1);
      const entry: DictEntry = {
        key,
        keyLoc: locOf(node, ctx.file),
        value,
        loc: i === keys.length - 1 ? locOf(right, ctx.file) : (existing?.loc ?? locOf(right, ctx.file)),
      };
      return mergeDicts(dict, { t: 'dict', entries: [entry], complete: true });
    };
    const val = put(old?.val ?? UNKNOWN, 0);
    const setting = old?.setting ?? (SETTING_NAME.test(name) ? this.makeSetting(name, stmt, right, val, ctx) : undefined);
    ctx.ns.set(name, { val, setting });
  }

  // -------------------------------------------------------------------------------------------
  // Calls: list/dict methods, helpers, split-settings include()
  // -------------------------------------------------------------------------------------------

  callStatement(call: Node, ctx: Ctx): void {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const scope = this.scope(ctx);
    const q = qualify(fn, scope);
    if (q && HELPERS.has(q.name)) return this.helper(call, q.name, ctx);
    if (q && (q.name === 'split_settings.tools.include' || q.name === 'split_settings.include' || (q.name === 'include' && !q.bound))) {
      return this.include(call, ctx);
    }
    if (fn.type !== 'attribute') return;
    const obj = unparen(fn.childForFieldName('object')!);
    const method = fn.childForFieldName('attribute')?.text;
    if (obj.type !== 'identifier' || !method) return;
    const name = obj.text;
    const old = ctx.ns.get(name);
    const args = callArgs(call);
    const mark = (items: ListItem[]): ListItem[] => (ctx.conditional ? items.map((i) => ({ ...i, conditional: true })) : items);
    const oldList = old?.val.t === 'list' ? old.val : null;
    let val: AVal | null = null;
    if (method === 'append' || method === 'insert') {
      const arg = method === 'append' ? args.positional[0] : args.positional[1];
      const s = arg ? stringValue(arg) : null;
      const items = [...(oldList?.items ?? [])];
      const complete = !!oldList && oldList.complete && s !== null;
      if (s !== null) {
        const item = mark([{ value: s, loc: locOf(unparen(arg!), ctx.file) }])[0];
        const at = method === 'insert' ? insertIndex(args.positional[0], items, name) : items.length;
        items.splice(at, 0, item);
      }
      val = { t: 'list', items, complete };
    } else if (method === 'extend') {
      const rhs = args.positional[0] ? evaluate(args.positional[0], scope) : UNKNOWN;
      const items = rhs.t === 'list' ? mark(rhs.items) : [];
      val = { t: 'list', items: [...(oldList?.items ?? []), ...items], complete: !!oldList && oldList.complete && rhs.t === 'list' && rhs.complete };
    } else if (method === 'remove' && oldList) {
      const s = args.positional[0] ? stringValue(args.positional[0]) : null;
      if (s === null) val = { ...oldList, complete: false };
      else if (!ctx.conditional) val = { ...oldList, items: oldList.items.filter((i) => i.value !== s) };
    } else if (method === 'update' && old?.val.t === 'dict') {
      const rhs = args.positional[0] ? evaluate(args.positional[0], scope) : UNKNOWN;
      val = rhs.t === 'dict' ? mergeDicts(old.val, rhs) : { ...old.val, complete: false };
    }
    if (val) ctx.ns.set(name, { val, setting: old?.setting });
  }

  /** django-heroku / django-on-heroku: STATIC_ROOT, STATIC_URL, WhiteNoise middleware and storage. */
  helper(call: Node, name: string, ctx: Ctx): void {
    const loc = locOf(call, ctx.file);
    this.helpers.push({ name, loc });
    const args = callArgs(call);
    const staticfiles = args.keywords.get('staticfiles');
    if (staticfiles && unparen(staticfiles).type === 'false') return;
    const h = (n: string, val: AVal, extra: Partial<SettingValue> = {}): void => {
      const sv: SettingValue = { name: n, loc, kind: 'helper', text: call.text, valueLoc: loc, ...extra };
      this.set(ctx, n, { val, setting: sv });
    };
    const base = ctx.ns.get('BASE_DIR')?.val ?? UNKNOWN;
    const root = joinPath(base, 'staticfiles');
    h('STATIC_ROOT', root, root.t === 'path' ? { path: root.rel } : {});
    h('STATIC_URL', { t: 'str', v: '/static/' }, { literal: '/static/' });
    const storage = 'whitenoise.storage.CompressedManifestStaticFilesStorage';
    h('STATICFILES_STORAGE', { t: 'str', v: storage, loc }, { literal: storage });
    const mwName = ctx.ns.has('MIDDLEWARE_CLASSES') ? 'MIDDLEWARE_CLASSES' : 'MIDDLEWARE';
    const old = ctx.ns.get(mwName);
    const oldList = old?.val.t === 'list' ? old.val : null;
    const item: ListItem = { value: WHITENOISE_MW, loc, ...(ctx.conditional ? { conditional: true } : {}) };
    ctx.ns.set(mwName, {
      val: { t: 'list', items: [item, ...(oldList?.items ?? [])], complete: !!oldList && oldList.complete },
      setting: old?.setting,
    });
  }

  /** django-split-settings: `include('components/base.py', 'components/*.py', optional('local.py'))`. */
  include(call: Node, ctx: Ctx): void {
    const list = call.childForFieldName('arguments');
    if (!list) return;
    for (const a of list.namedChildren) {
      let arg = unparen(a);
      let optional = false;
      if (arg.type === 'call') {
        const fn = arg.childForFieldName('function');
        const q = fn ? qualify(fn, this.scope(ctx)) : null;
        if (!q || !/(^|\.)optional$/.test(q.name)) continue;
        optional = true;
        const inner = callArgs(arg).positional[0];
        if (!inner) continue;
        arg = unparen(inner);
      }
      const pattern = stringValue(arg);
      const loc = locOf(a, ctx.file);
      if (pattern === null) {
        this.note('include() of a computed path; the included settings are unknown', loc, ctx.conditional || optional);
        continue;
      }
      const files = globRepo(this.repo.files, dirOf(ctx.file), pattern);
      if (files.length === 0 && !optional) {
        this.note(`include('${pattern}') matches no file in the repository`, loc, ctx.conditional);
      }
      const sub = { ...ctx, conditional: ctx.conditional || optional };
      for (const f of files) {
        if (f === ctx.file) continue;
        this.execInto(f, ctx.ns, ctx.dunderFile, ctx.depth + 1, { loc, conditional: sub.conditional }, sub.conditional);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Imports
  // -------------------------------------------------------------------------------------------

  importFrom(stmt: Node, ctx: Ctx): void {
    const mod = importModuleName(stmt);
    if (mod === null || mod === '__future__') return;
    const names = importedNames(stmt);
    const loc = locOf(stmt, ctx.file);
    // Relative imports resolve against the module's package (the including file's for includes).
    const file = resolveModule((f) => this.repo.has(f), mod, ctx.dunderFile, [...ancestorDirs(ctx.dunderFile), ...this.roots]);
    if (file && file !== ctx.file) {
      const ns = this.runModule(file, ctx.depth + 1, { loc, conditional: ctx.conditional });
      if (!ns) {
        if (names === '*') this.taint(ctx);
        else for (const n of names) this.set(ctx, n.alias, { val: UNKNOWN });
        return;
      }
      if (names === '*') {
        for (const [k, b] of ns) if (!k.startsWith('_')) this.set(ctx, k, b);
      } else {
        for (const n of names) {
          const b = ns.get(n.name);
          const renamed = b?.setting && n.alias !== n.name ? { ...b, setting: SETTING_NAME.test(n.alias) ? { ...b.setting, name: n.alias } : undefined } : b;
          this.set(ctx, n.alias, renamed ?? { val: UNKNOWN });
        }
      }
      return;
    }
    const own = mod.startsWith('.') || this.isOwnPackage(mod.split('.')[0]);
    if (names === '*') {
      if (own) {
        this.note(`cannot find the module of \`from ${mod} import *\` in the repository; the settings it defines are unknown`, loc, ctx.conditional);
        this.taint(ctx);
      }
      return;
    }
    for (const n of names) this.set(ctx, n.alias, { val: own ? UNKNOWN : { t: 'import', name: `${mod}.${n.name}` } });
  }

  /**
   * An unread star import may rebind any name: lists bound so far become incomplete (a list
   * assigned afterwards is authoritative again). Conditional imports (`try: from .local import *`)
   * usually name files kept out of the repository and out of the deployment: they are ignored.
   */
  private taint(ctx: Ctx): void {
    if (ctx.conditional) return;
    for (const [k, b] of ctx.ns) if (b.val.t === 'list' && b.val.complete) ctx.ns.set(k, { ...b, val: { ...b.val, complete: false } });
  }

  private isOwnPackage(top: string): boolean {
    return [...new Set(['', ...this.roots])].some((r) => {
      const p = r ? `${r}/${top}` : top;
      return this.repo.has(`${p}.py`) || this.repo.has(`${p}/__init__.py`);
    });
  }
}

function itemKey(i: ListItem): string {
  return `${i.value}\0${i.loc.file}:${i.loc.line}:${i.loc.column}`;
}

function stripAlt(s: SettingValue): SettingValue {
  const { alternatives: _drop, ...rest } = s;
  return rest;
}

/** Where `X.insert(i, v)` puts v: a literal index, `X.index('a')` (+ 1), else the end. */
function insertIndex(arg: Node | undefined, items: ListItem[], listName: string): number {
  if (!arg) return items.length;
  const a = unparen(arg);
  if (a.type === 'integer') return Math.min(Number(a.text), items.length);
  if (a.type === 'unary_operator' && a.text.replace(/\s+/g, '') === '-1') return Math.max(items.length - 1, 0);
  let call = a;
  let offset = 0;
  if (a.type === 'binary_operator' && a.childForFieldName('operator')?.text === '+') {
    const r = a.childForFieldName('right');
    if (r?.type === 'integer') offset = Number(r.text);
    call = unparen(a.childForFieldName('left')!);
  }
  if (call.type === 'call' && dottedName(call.childForFieldName('function')!) === `${listName}.index`) {
    const s = callArgs(call).positional[0];
    const v = s ? stringValue(s) : null;
    const i = items.findIndex((x) => x.value === v);
    if (i >= 0) return Math.min(i + offset, items.length);
  }
  return items.length;
}

/** Repo files matching a glob relative to `dir` (`*`, `?`, `[...]`; no `**`, as Python's glob). */
export function globRepo(files: readonly string[], dir: string, pattern: string): string[] {
  const full = pattern.startsWith('/') ? null : (dir ? `${dir}/${pattern}` : pattern);
  if (full === null) return [];
  const norm = full.split('/').reduce<string[]>((acc, seg) => {
    if (seg === '..') acc.pop();
    else if (seg !== '.' && seg !== '') acc.push(seg);
    return acc;
  }, []).join('/');
  if (!/[*?[]/.test(norm)) return files.includes(norm) ? [norm] : [];
  const matches = fileGlob(norm);
  return files.filter((f) => matches(f)).sort();
}
