/**
 * Shell scripts (sh/bash) → the ShellScript model (src/core/words.ts), on tree-sitter-bash.
 *
 * One walk over the syntax tree collects every simple command with its words, leading
 * assignments, span and control context (conditional, condition, background, pipeline, the
 * if/case arm it sits in). Syntax errors become ParseIssues; what could be read is still returned.
 *
 * Positions are computed from node indices, which web-tree-sitter gives in UTF-16 code units for
 * a JS string (JS string indices, not UTF-8 bytes), through a line table of the text: 1-based
 * lines and columns, exclusive end columns, `base` added (its column on the first line only).
 * Tested with non-ASCII text, CRLF line endings and a byte-order mark.
 *
 * tree-sitter-bash quirks handled here: `X=1 Y=2⏎cmd` read as one command (split again at the
 * newline), `"a $ b"` read as a variable named ` b` (kept literal). Not handled: a word continued
 * by backslash-newline without a space (`a\⏎b` becomes two words), `$"…"` (two words).
 */
import type { Node, Tree } from './treesitter.js';
import { parseText, type TreeKind as ParseKind } from './treesitter.js';
import type { ArmTest, Assignment, ShellBranch, ShellCommand, ShellContext, ShellScript, Word, WordPart } from '../core/words.js';
import { LineTable } from '../core/lines.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

/** Where text[0] sits in the file (1-based line and column). */
export interface Base {
  line: number;
  column: number;
}

type Pos = { line: number; column: number };
/** Maps an index of the parsed text (a start, or an exclusive end) to a file position. */
type PosFn = (index: number, end: boolean) => Pos;

/** A syntax node copied out of the WASM tree once: each property read on a web-tree-sitter Node
 *  is a call into WASM, so the walk runs on these plain objects instead. */
interface SNode {
  type: string;
  named: boolean;
  start: number;
  end: number;
  children: SNode[];
}

/** Where each character of a word's value comes from in `word.raw`: [starts[i], ends[i]). */
interface SourceMap {
  starts: number[];
  ends: number[];
}

const MAX_ERRORS = 20;
const MAX_LABEL = 80;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Parse shell text into the ShellScript model. Synchronous: callers run
 *  `await loadGrammars(['bash'])` first. `kind` picks the size cap (src/parse/treesitter.ts
 *  PARSE_LIMITS): a whole script, or one command placed in a file at `base` (the default when
 *  `base` is given). */
export function parseShell(text: string, file: string, base?: Base, kind: ParseKind = base ? 'command' : 'script'): ShellScript {
  base ??= { line: 1, column: 1 };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not a column in editors
  const lines = new LineTable(text);
  const pos: PosFn = (index) => lines.pos(index, base);
  // tree-sitter-bash cannot read a variable in a positional slice (`${@:$n}`); the offset is
  // arithmetic, where `$n`, `${n}` and ` n` mean the same: rewrite it in place, same length.
  if (text.includes('{@:') || text.includes('{*:')) text = text.replace(/\$\{[@*]:[^}{\s]*(?:\{[A-Za-z_]\w*\}[^}{\s]*)*\}/g, (m) => m.slice(0, 4) + m.slice(4, -1).replace(/\$\{([A-Za-z_]\w*)\}/g, '  $1 ').replace(/\$/g, ' ') + '}');
  const script = parseWith(text, file, pos, kind);
  const shebang = shebangOf(text);
  if (shebang) script.shebang = shebang;
  return script;
}

/** Re-parse the static value of a word given to `sh -c` / `bash -c`, mapping positions back into
 *  the file: exact when the word's raw text can be decoded (shell or JSON quoting, or a word made
 *  by src/parse/argv.ts); otherwise line by line, always inside the word's span. */
export function parseShellWord(word: Word): ShellScript | null {
  const value = staticValue(word);
  if (value === null) return null;
  const { starts, ends } = sourceMap(word, value);
  const toFile = rawPositioner(word);
  const n = starts.length;
  const pos: PosFn = (index, end) => {
    if (n === 0) return toFile(end ? word.raw.length : 0);
    if (end) return toFile(index === 0 ? starts[0] : ends[Math.min(index, n) - 1]);
    return toFile(index < n ? starts[index] : ends[n - 1]);
  };
  return parseWith(value, word.loc.file, pos, 'command');
}

/** Static value of a word (all parts literal), else null. A word with no parts is ''. */
export function staticValue(word: Word): string | null {
  let s = '';
  for (const p of word.parts) {
    if (p.kind !== 'lit') return null;
    s += p.text;
  }
  return s;
}

/** Expand a word with known variables: `${VAR:-default}`, `$VAR`; null when any part is unknown
 *  (command substitution, unknown variable without default, glob). A variable missing from `env`
 *  is taken as unset for `:-`/`-`/`:=`/`=` (the default applies); `:+`/`+`/`:?`/`?` on a missing
 *  variable give null. */
export function expandWord(word: Word, env: Record<string, string>): string | null {
  let s = '';
  for (const p of word.parts) {
    let v: string | null;
    switch (p.kind) {
      case 'lit':
        v = p.text;
        break;
      case 'var':
        v = expandVar(p, env);
        break;
      default:
        return null;
    }
    if (v === null) return null;
    s += v;
  }
  return s;
}

function expandVar(p: Extract<WordPart, { kind: 'var' }>, env: Record<string, string>): string | null {
  const known = Object.prototype.hasOwnProperty.call(env, p.name);
  const value = known ? env[p.name] : undefined;
  const arg = () => (p.arg ? expandWord(p.arg, env) : '');
  switch (p.op) {
    case undefined:
      return value ?? null;
    case ':-':
    case ':=':
      return value !== undefined && value !== '' ? value : arg();
    case '-':
    case '=':
      return value !== undefined ? value : arg();
    case ':+':
      return known ? (value !== '' ? arg() : '') : null;
    case '+':
      return known ? arg() : null;
    case ':?':
      return value !== undefined && value !== '' ? value : null;
    case '?':
      return value ?? null;
  }
}

/** Source maps of static words made elsewhere (src/parse/argv.ts), so that parseShellWord maps
 *  positions exactly whatever quoting rules made the word. */
const registered = new WeakMap<Word, SourceMap>();

/** @internal For src/parse/argv.ts: record where each character of a static word's value comes
 *  from in `word.raw` (character i spans raw[starts[i], ends[i])). */
export function registerSourceMap(word: Word, starts: number[], ends: number[]): void {
  registered.set(word, { starts, ends });
}

// ---------------------------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------------------------

const STATEMENTS = new Set([
  'command',
  'declaration_command',
  'unset_command',
  'variable_assignment',
  'variable_assignments',
  'redirected_statement',
  'list',
  'pipeline',
  'negated_command',
  'subshell',
  'compound_statement',
  'if_statement',
  'case_statement',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'function_definition',
  'test_command',
  'ERROR',
]);

/** Tokens that, seen loose inside an ERROR node, mean the commands after them may not run. */
const CONTROL_TOKENS = new Set(['if', 'then', 'elif', 'else', 'case', 'in', 'while', 'until', 'do', 'for', '&&', '||']);

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

type VarOp = NonNullable<Extract<WordPart, { kind: 'var' }>['op']>;
const EXPANSION_OPS = new Set<string>([':-', '-', ':=', '=', ':+', '+', ':?', '?']);

/** A name `$NAME` can expand: identifiers, positional digits and the special parameters. */
const VAR_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-])$/;

const QUOTED_TYPES = new Set(['string', 'raw_string', 'ansi_c_string', 'translated_string']);

/** Nodes inside `[ … ]` / `[[ … ]]` that are flattened into the test's words. */
const TEST_EXPRESSIONS = new Set([
  'binary_expression',
  'unary_expression',
  'parenthesized_expression',
  'postfix_expression',
  'ternary_expression',
]);

/** Children of a command that are not words: redirections, comments, what could not be parsed. */
const SKIPPED_IN_COMMANDS = new Set(['file_redirect', 'herestring_redirect', 'heredoc_redirect', 'comment', 'ERROR', 'subshell']);

const NO_CTX: ShellContext = { conditional: false, background: false, pipeline: false, condition: false };

/** Children of these are never looked at (their text is enough). */
const LEAVES = new Set([
  'comment',
  'word',
  'number',
  'raw_string',
  'ansi_c_string',
  'string_content',
  'variable_name',
  'special_variable_name',
  'test_operator',
  'regex',
  'extglob_pattern',
  'simple_expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'array',
  'file_redirect',
  'heredoc_redirect',
  'herestring_redirect',
  'heredoc_body',
]);

function parseWith(text: string, file: string, pos: PosFn, kind: ParseKind): ShellScript {
  const script: ShellScript = { file, commands: [], functions: {}, errors: [] };
  const fail = (message: string) => {
    const p = pos(0, false);
    script.errors.push({ message, loc: { file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column } });
    return script;
  };
  let tree: Tree | null = null;
  try {
    // Throws when loadGrammars() was not awaited: a bug, not input.
    const parsed = parseText(kind, text);
    if (!parsed.tree) return fail(parsed.reason === 'failed' ? 'shell parser failed on this file' : `this ${kind === 'script' ? 'script' : 'command'} is ${parsed.message}`);
    tree = parsed.tree;
    const w = new Walker(text, file, pos, script);
    w.seq(snapshot(tree, text).children, NO_CTX, script.commands);
    if (tree.rootNode.hasError) w.collectErrors(tree.rootNode);
  } catch (e) {
    if (e instanceof RangeError) return fail('shell script too deeply nested to read');
    throw e;
  } finally {
    tree?.delete();
  }
  return script;
}

/** Copy the tree into plain objects with a single cursor walk. Tokens, leaves and strings or
 *  command names with nothing to expand are not descended into. */
function snapshot(tree: Tree, text: string): SNode {
  const lang = tree.language;
  const types = lang.types;
  const named: (boolean | undefined)[] = [];
  const cur = tree.walk();
  const visit = (): SNode => {
    const id = cur.nodeTypeId;
    const type = types[id] || 'ERROR';
    const isNamed = (named[id] ??= lang.nodeTypeIsNamed(id));
    const n: SNode = { type, named: isNamed, start: cur.startIndex, end: cur.endIndex, children: [] };
    if (isNamed && !LEAVES.has(type) && !plain(type, text, n.start, n.end) && cur.gotoFirstChild()) {
      do n.children.push(visit());
      while (cur.gotoNextSibling());
      cur.gotoParent();
    }
    return n;
  };
  try {
    return visit();
  } finally {
    cur.delete();
  }
}

/** A "…" string without `$`, backquote or backslash, or a command name of plain characters:
 *  its text says it all. */
function plain(type: string, text: string, start: number, end: number): boolean {
  if (type === 'string') {
    for (let i = start + 1; i < end - 1; i++) {
      const c = text.charCodeAt(i);
      if (c === 36 /* $ */ || c === 96 /* ` */ || c === 92 /* \ */) return false;
    }
    return end - start >= 2 && text.charCodeAt(end - 1) === 34; /* closed by " */
  }
  return type === 'command_name' && PLAIN_WORD.test(text.slice(start, end));
}

const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,=-]+$/;

class Walker {
  private branchId = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly pos: PosFn,
    private readonly script: ShellScript,
  ) {}

  // --- positions -------------------------------------------------------------------------------

  private span(start: number, end: number): Location {
    const s = this.pos(start, false);
    let e = end > start ? this.pos(end, true) : s;
    // A zero-width node (a MISSING token) between two quoted parts of a `sh -c` word can map its
    // end before its start: keep the span empty at the start (found by fuzz-parsers).
    if (e.line < s.line || (e.line === s.line && e.column < s.column)) e = s;
    return { file: this.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  private loc(n: SNode): Location {
    return this.span(n.start, n.end);
  }

  private src(n: SNode): string {
    return this.text.slice(n.start, n.end);
  }

  // --- statements ------------------------------------------------------------------------------

  /** Walk a sequence of sibling nodes; a `&` after a statement puts it in the background. */
  seq(children: SNode[], ctx: ShellContext, out: ShellCommand[]): void {
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (!STATEMENTS.has(c.type)) continue;
      const bg = children[i + 1]?.type === '&';
      this.stmt(c, bg && !ctx.background ? { ...ctx, background: true } : ctx, out);
    }
  }

  private stmt(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    switch (n.type) {
      case 'command':
        this.command(n, ctx, out);
        return;
      case 'declaration_command':
        this.declaration(n, ctx, out);
        return;
      case 'variable_assignment':
        this.emit(out, ctx, n.start, n.end, [], [this.assignment(n)]);
        return;
      case 'variable_assignments':
        this.emit(
          out,
          ctx,
          n.start,
          n.end,
          [],
          n.children.filter((c) => c.type === 'variable_assignment').map((c) => this.assignment(c)),
        );
        return;
      case 'unset_command':
      case 'test_command': {
        const words: Word[] = [];
        this.flatWords(n, words);
        this.emit(out, ctx, n.start, n.end, words, []);
        return;
      }
      case 'list':
        this.list(n, ctx, out);
        return;
      case 'pipeline': {
        const stages = n.children.filter((c) => STATEMENTS.has(c.type));
        const inner = stages.length > 1 ? { ...ctx, pipeline: true } : ctx;
        for (const s of stages) this.stmt(s, inner, out);
        return;
      }
      case 'redirected_statement':
      case 'negated_command':
      case 'subshell':
      case 'compound_statement':
        this.seq(n.children, ctx, out);
        return;
      case 'if_statement':
        this.ifStatement(n, ctx, out);
        return;
      case 'case_statement':
        this.caseStatement(n, ctx, out);
        return;
      case 'while_statement': {
        // `while getopts …`: getopts stops at the first argument that is not an option, so the
        // body runs only when `$1` starts with `-` (an arm that known arguments can rule out).
        const cond = n.children.find((c) => STATEMENTS.has(c.type));
        const body = cond && /^getopts\s/.test(this.src(cond).trim()) ? this.getoptsArm(cond, ctx) : ctx;
        for (const c of n.children) {
          if (c.type === 'do_group') this.seq(c.children, soft(body), out);
          else if (STATEMENTS.has(c.type)) this.stmt(c, { ...ctx, condition: true }, out);
        }
        return;
      }
      case 'for_statement':
      case 'c_style_for_statement':
        for (const c of n.children) {
          if (c.type === 'do_group' || c.type === 'compound_statement') this.seq(c.children, soft(ctx), out);
        }
        return;
      case 'function_definition':
        this.functionDefinition(n);
        return;
      case 'ERROR':
        this.errorNode(n, ctx, out);
        return;
    }
  }

  /** `a && b`, `a || b`: the right side may not run; the left of `||` has an alternative. */
  private list(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    const kids = n.children;
    const opIdx = kids.findIndex((c) => c.type === '&&' || c.type === '||');
    if (opIdx < 0) {
      this.seq(kids, ctx, out);
      return;
    }
    const left = kids[opIdx].type === '||' ? { ...ctx, negated: true } : ctx;
    const right: ShellContext = soft(ctx);
    for (let i = 0; i < kids.length; i++) {
      if (STATEMENTS.has(kids[i].type)) this.stmt(kids[i], i < opIdx ? left : right, out);
    }
  }

  private ifStatement(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    const id = ++this.branchId;
    const arms: ArmInfo[] = [];
    let arm = 0;
    const kids = n.children;
    const thenIdx = kids.findIndex((c) => c.type === 'then');
    const conds = thenIdx > 0 ? kids.slice(1, thenIdx) : [];
    const before = out.length;
    this.seq(conds, { ...ctx, condition: true }, out);
    arms.push({ test: armTest(out.slice(before)) });
    const label = 'if ' + this.label(conds);
    const body: SNode[] = [];
    for (let i = thenIdx < 0 ? 1 : thenIdx + 1; i < kids.length; i++) {
      const c = kids[i];
      if (c.type === 'elif_clause' || c.type === 'else_clause') break;
      body.push(c);
    }
    this.seq(body, this.arm(ctx, id, arm++, label, arms), out);
    for (const c of kids) {
      if (c.type === 'elif_clause') {
        const ck = c.children;
        const t = ck.findIndex((x) => x.type === 'then');
        const cc = t > 0 ? ck.slice(1, t) : [];
        const armCtx = this.arm(ctx, id, arm++, 'elif ' + this.label(cc), arms);
        const at = out.length;
        this.seq(cc, { ...armCtx, condition: true }, out);
        arms.push({ test: armTest(out.slice(at)) });
        this.seq(t < 0 ? ck : ck.slice(t + 1), armCtx, out);
      } else if (c.type === 'else_clause') {
        arms.push({ test: null, else: true });
        this.seq(c.children, this.arm(ctx, id, arm++, 'else', arms), out);
      }
    }
  }

  private caseStatement(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    const id = ++this.branchId;
    const kids = n.children;
    const inIdx = kids.findIndex((c) => c.type === 'in');
    const subject = inIdx > 1 ? collapse(this.text.slice(kids[1].start, kids[inIdx - 1].end)) : '';
    const subjectWord = inIdx === 2 ? this.word(kids[1]) : null;
    const items = kids.filter((c) => c.type === 'case_item');
    // Every arm's patterns are known before any arm is walked.
    const arms: ArmInfo[] = items.map((item) => {
      const ik = item.children;
      const close = ik.findIndex((c) => c.type === ')');
      const pats = (close < 0 ? [] : ik.slice(0, close)).filter((c) => c.named && c.type !== 'comment');
      return { test: subjectWord && pats.length > 0 ? { subject: subjectWord, patterns: pats.map((p) => this.word(p)), glob: true, negate: false } : null };
    });
    let arm = 0;
    for (const item of items) {
      const ik = item.children;
      const close = ik.findIndex((c) => c.type === ')');
      const first = ik[0]?.type === '(' ? 1 : 0;
      const patterns = close > first ? collapse(this.text.slice(ik[first].start, ik[close - 1].end)) : '';
      this.seq(close < 0 ? ik : ik.slice(close + 1), this.arm(ctx, id, arm++, `case ${subject} in ${patterns})`, arms), out);
    }
  }

  private getoptsArm(cond: SNode, ctx: ShellContext): ShellContext {
    const loc = this.span(cond.start, cond.end);
    const subject: Word = { raw: '"$1"', parts: [{ kind: 'var', name: '1' }], quoted: true, loc };
    const pattern: Word = { raw: '-*', parts: [{ kind: 'lit', text: '-' }, { kind: 'glob', text: '*' }], quoted: false, loc };
    return this.arm(ctx, ++this.branchId, 0, `while ${collapse(this.src(cond))}`, [{ test: { subject, patterns: [pattern], glob: true, negate: false } }]);
  }

  private arm(ctx: ShellContext, id: number, arm: number, label: string, arms: ArmInfo[]): ShellContext {
    const branch: ShellBranch = { id, arm, label: truncate(label) };
    // Kept out of enumeration so that a branch prints and compares as `{ id, arm, label }`.
    hidden(branch, 'arms', arms);
    if (ctx.branch) hidden(branch, 'parent', ctx.branch);
    else if (ctx.conditional) hidden(branch, 'soft', true);
    return { ...ctx, conditional: true, condition: false, branch };
  }

  /** The source of the statements among `nodes`, on one line. */
  private label(nodes: SNode[]): string {
    const st = nodes.filter((c) => STATEMENTS.has(c.type));
    return st.length ? collapse(this.text.slice(st[0].start, st[st.length - 1].end)) : '';
  }

  private functionDefinition(n: SNode): void {
    let name: string | null = null;
    const body: ShellCommand[] = [];
    for (const c of n.children) {
      if (c.type === 'word' && name === null) name = this.src(c);
      else if (STATEMENTS.has(c.type)) this.stmt(c, NO_CTX, body);
    }
    if (name !== null) this.script.functions[name] = body;
  }

  /** tree-sitter wraps what it could not fit in ERROR: read the commands inside, and once a loose
   *  control keyword was seen, treat what follows as conditional (it is likely in a branch). */
  private errorNode(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    let c = ctx;
    for (const k of n.children) {
      if (!k.named && CONTROL_TOKENS.has(k.type)) {
        if (!c.conditional || (c.branch && !branchSoft(c.branch))) c = soft(c);
      } else if (STATEMENTS.has(k.type)) {
        this.stmt(k, c, out);
      } else if (k.type === 'case_item' || k.type === 'do_group' || k.type === 'elif_clause' || k.type === 'else_clause') {
        this.seq(k.children, soft(c), out);
      }
    }
  }

  // --- commands --------------------------------------------------------------------------------

  private command(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    let words: Word[] = [];
    let pending: Assignment[] = [];
    let start = -1; // where the command being built starts
    let lastAssignEnd = -1;
    let prevEnd = n.start;
    let broken = false;
    for (const c of n.children) {
      const t = c.type;
      if (c.end === c.start) continue; // a MISSING node tree-sitter made up
      if (t === 'comment') {
        broken = true;
        prevEnd = c.end;
        continue;
      }
      // tree-sitter-bash joins `X=1 Y=2⏎cmd` into one command: split at an unescaped newline.
      if (words.length === 0 && pending.length > 0 && (broken || hasNewline(this.text, prevEnd, c.start))) {
        this.emit(out, ctx, start, lastAssignEnd, [], pending);
        pending = [];
        start = -1;
      }
      broken = false;
      prevEnd = c.end;
      switch (t) {
        case 'variable_assignment':
          if (words.length === 0) {
            if (start < 0) start = c.start;
            lastAssignEnd = c.end;
            pending.push(this.assignment(c));
          } else words.push(this.word(c));
          break;
        case 'command_name': {
          if (start < 0) start = c.start;
          const inner = c.children.filter((x) => x.named);
          words.push(this.word(inner.length === 1 ? inner[0] : c));
          break;
        }
        default:
          if (SKIPPED_IN_COMMANDS.has(t)) break;
          if (start < 0) start = c.start;
          words.push(this.word(c));
      }
    }
    if (start < 0) return;
    let assignments = pending;
    if (assignments.length === 0 && words.length > 1) {
      const name = staticValue(words[0]);
      if (name !== null && DECLARATIONS.has(name)) ({ words, assignments } = declarationWords(words));
    }
    this.emit(out, ctx, start, n.end, words, assignments);
  }

  /** `export A=1 B`, `local -r X=$(…)`: the keyword and flags are words, the rest assignments. */
  private declaration(n: SNode, ctx: ShellContext, out: ShellCommand[]): void {
    const words: Word[] = [];
    const assignments: Assignment[] = [];
    for (const c of n.children) {
      switch (c.type) {
        case 'variable_assignment':
          assignments.push(this.assignment(c));
          break;
        case 'variable_name':
          assignments.push({ name: this.src(c), value: null, loc: this.loc(c) });
          break;
        default:
          if (c.end > c.start && !SKIPPED_IN_COMMANDS.has(c.type)) words.push(this.word(c));
      }
    }
    this.emit(out, ctx, n.start, n.end, words, assignments);
  }

  private emit(out: ShellCommand[], ctx: ShellContext, start: number, end: number, words: Word[], assignments: Assignment[]): void {
    const c: ShellContext = {
      conditional: ctx.conditional,
      background: ctx.background,
      pipeline: ctx.pipeline,
      condition: ctx.condition,
    };
    if (ctx.branch) c.branch = ctx.branch;
    if (ctx.negated) c.negated = true;
    out.push({ words, assignments, loc: this.span(start, end), text: joinContinuations(this.text.slice(start, end)), ctx: c });
  }

  private assignment(n: SNode): Assignment {
    const kids = n.children;
    let name = '';
    let eq = -1;
    for (let i = 0; i < kids.length; i++) {
      const t = kids[i].type;
      if (t === '=' || t === '+=') {
        eq = i;
        break;
      }
      if (t === 'variable_name') name = this.src(kids[i]);
      else if (t === 'subscript') name = this.src(kids[i].children[0] ?? kids[i]);
    }
    let value: Word;
    const vals = eq >= 0 ? kids.slice(eq + 1) : [];
    if (vals.length === 0) {
      const at = eq >= 0 ? kids[eq].end : n.end;
      value = { raw: '', parts: [], quoted: false, loc: this.span(at, at) };
    } else if (vals.length === 1) {
      value = this.word(vals[0], false);
    } else {
      const first = vals[0].start;
      const last = vals[vals.length - 1].end;
      const buf = new Parts(false);
      this.concat(vals, first, buf, false);
      value = { raw: this.text.slice(first, last), parts: buf.done(), quoted: false, loc: this.span(first, last) };
    }
    return { name, value, loc: this.loc(n) };
  }

  /** Words of `[ … ]`, `[[ … ]]`, `unset …`: every operand and operator, in order. */
  private flatWords(n: SNode, out: Word[]): void {
    for (const c of n.children) {
      if (TEST_EXPRESSIONS.has(c.type)) this.flatWords(c, out);
      else if (c.end > c.start && !SKIPPED_IN_COMMANDS.has(c.type)) out.push(this.word(c));
    }
  }

  // --- words -----------------------------------------------------------------------------------

  private word(n: SNode, glob = true): Word {
    const buf = new Parts(glob);
    this.parts(n, buf, false);
    return { raw: this.src(n), parts: buf.done(), quoted: QUOTED_TYPES.has(n.type), loc: this.loc(n) };
  }

  private parts(n: SNode, buf: Parts, dq: boolean): void {
    const text = this.text;
    switch (n.type) {
      case 'raw_string': {
        const raw = this.src(n);
        // Inside "${X:-'q'}" single quotes are literal characters.
        buf.lit(dq ? raw : raw.slice(1, raw.length > 1 && raw.endsWith("'") ? -1 : undefined));
        return;
      }
      case 'ansi_c_string': {
        const raw = this.src(n);
        buf.lit(decodeAnsiC(raw.slice(2, raw.length > 2 && raw.endsWith("'") ? -1 : undefined)));
        return;
      }
      case 'string':
      case 'translated_string': {
        const kids = n.children;
        if (kids.length === 0) {
          buf.lit(text.slice(n.start + 1, n.end - 1)); // nothing to expand (see plain())
          return;
        }
        const open = kids[0];
        const close = kids[kids.length - 1];
        let cursor = open && !open.named ? open.end : n.start;
        const innerEnd = close && close !== open && close.type === '"' ? close.start : n.end;
        for (const k of kids) {
          if (k.start < cursor || !isExpansion(k.type)) continue;
          buf.lit(unescapeDq(text.slice(cursor, k.start)));
          this.parts(k, buf, true);
          cursor = k.end;
        }
        if (innerEnd > cursor) buf.lit(unescapeDq(text.slice(cursor, innerEnd)));
        return;
      }
      case 'simple_expansion': {
        const name = text.slice(n.start + 1, n.end);
        if (VAR_NAME.test(name)) buf.part({ kind: 'var', name: varName(name) });
        else this.gap(n.start, n.end, buf, dq); // `"a $ b"`: tree-sitter-bash reads `$ b` as a variable
        return;
      }
      case 'expansion':
        this.expansion(n, buf, dq);
        return;
      case 'command_substitution':
      case 'process_substitution':
      case 'arithmetic_expansion':
      case 'array':
        buf.part({ kind: 'cmd', text: this.src(n) });
        return;
      case 'brace_expression':
        if (dq) buf.lit(this.src(n));
        else buf.part({ kind: 'glob', text: this.src(n) });
        return;
      case 'concatenation':
      case 'command_name':
        if (n.children.length) this.concat(n.children, n.start, buf, dq);
        else buf.unquoted(this.src(n));
        return;
      default: {
        const raw = this.src(n);
        if (dq) buf.lit(unescapeDq(raw));
        else buf.unquoted(raw);
      }
    }
  }

  /** Adjacent pieces of one word; text between them (which tree-sitter may leave out) is kept. */
  private concat(kids: SNode[], from: number, buf: Parts, dq: boolean): void {
    let cursor = from;
    for (const k of kids) {
      if (k.start > cursor) this.gap(cursor, k.start, buf, dq);
      this.parts(k, buf, dq);
      cursor = k.end;
    }
  }

  private gap(from: number, to: number, buf: Parts, dq: boolean): void {
    const s = this.text.slice(from, to);
    if (dq) buf.lit(unescapeDq(s));
    else buf.unquoted(s);
  }

  /** `${X}`, `${X:-word}` and friends; anything fancier (`${#X}`, `${X/a/b}`, `${X[0]}`) is a
   *  run-time value: a 'cmd' part. */
  private expansion(n: SNode, buf: Parts, dq: boolean): void {
    const kids = n.children;
    const v = kids[1];
    // `${@:2}`, `${*:$n}`, `${@:1:2}`: the positional parameters from an offset.
    const sl = /^\$\{[@*]:([^:}]+)(?::([^:}]+))?\}$/.exec(this.src(n));
    if (sl) {
      buf.part({ kind: 'var', name: '@', slice: sl[2] !== undefined ? { offset: sl[1].trim(), length: sl[2].trim() } : { offset: sl[1].trim() } });
      return;
    }
    if (!v || (v.type !== 'variable_name' && v.type !== 'special_variable_name')) {
      buf.part({ kind: 'cmd', text: this.src(n) });
      return;
    }
    const name = varName(this.src(v));
    const op = kids[2];
    if (!op || op.type === '}') {
      buf.part({ kind: 'var', name });
      return;
    }
    if (!EXPANSION_OPS.has(op.type)) {
      buf.part({ kind: 'cmd', text: this.src(n) });
      return;
    }
    const last = kids[kids.length - 1];
    const closed = last.type === '}' && last !== op;
    const argEnd = closed ? last.start : n.end;
    const argNodes = kids.slice(3, closed ? -1 : undefined);
    const argBuf = new Parts(!dq);
    this.concat(argNodes, op.end, argBuf, dq);
    const tail = argNodes.length ? argNodes[argNodes.length - 1].end : op.end;
    if (argEnd > tail) this.gap(tail, argEnd, argBuf, dq);
    const arg: Word = {
      raw: this.text.slice(op.end, argEnd),
      parts: argBuf.done(),
      quoted: argNodes.length === 1 && QUOTED_TYPES.has(argNodes[0].type),
      loc: this.span(op.end, argEnd),
    };
    buf.part({ kind: 'var', name, op: op.type as VarOp, arg });
  }

  // --- errors (on the real tree: only runs when it has errors) ---------------------------------

  collectErrors(n: Node): void {
    for (const c of n.children) {
      if (this.script.errors.length >= MAX_ERRORS) return;
      if (c.isMissing) {
        const what = c.isNamed ? c.type : `'${c.type}'`;
        this.script.errors.push({ message: `shell syntax error: missing ${what}`, loc: this.span(c.startIndex, c.endIndex) });
      } else if (c.type === 'ERROR') {
        this.script.errors.push(this.errorIssue(c));
      } else if (c.hasError) {
        this.collectErrors(c);
      }
    }
  }

  /** Report an ERROR node at its first token that is not a statement tree-sitter could read. */
  private errorIssue(n: Node): ParseIssue {
    const tok = n.children.find((c) => !STATEMENTS.has(c.type) && c.type !== 'comment') ?? n;
    const start = tok.startIndex;
    const firstLine = this.text.slice(start, tok.endIndex).split(/\r?\n/)[0];
    let near = firstLine.trim();
    if (near.length > 30) near = near.slice(0, 29) + '…';
    const quote = near === '"' || near === "'" || near === '`';
    return {
      message: quote ? `shell syntax error: unterminated ${near} quote` : near ? `shell syntax error near '${near}'` : 'shell syntax error',
      loc: this.span(start, start + Math.max(firstLine.length, tok.endIndex > start ? 1 : 0)),
    };
  }
}

/** A declaration keyword parsed as a plain command (`export X=1` after tree-sitter-bash joined
 *  lines): turn `NAME=value` / `NAME` operands into assignments. */
function declarationWords(all: Word[]): { words: Word[]; assignments: Assignment[] } {
  const words: Word[] = [all[0]];
  const assignments: Assignment[] = [];
  for (const w of all.slice(1)) {
    const first = w.parts[0];
    const m = first?.kind === 'lit' ? /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)?/.exec(first.text) : null;
    if (!m || first.kind !== 'lit' || !w.raw.startsWith(m[0])) {
      words.push(w);
    } else if (!m[2]) {
      if (w.parts.length === 1 && first.text === m[1]) assignments.push({ name: m[1], value: null, loc: w.loc });
      else words.push(w);
    } else {
      const k = m[0].length;
      const rest = first.text.slice(k);
      const raw = w.raw.slice(k);
      const value: Word = {
        raw,
        parts: rest ? [{ kind: 'lit', text: rest }, ...w.parts.slice(1)] : w.parts.slice(1),
        quoted: /^(?:"(?:[^"\\]|\\[\s\S])*"|'[^']*')$/.test(raw),
        loc: { ...w.loc, column: w.loc.column + k },
      };
      assignments.push({ name: m[1], value, loc: w.loc });
    }
  }
  return { words, assignments };
}

function collapse(s: string): string {
  return s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

function truncate(s: string): string {
  return s.length > MAX_LABEL ? s.slice(0, MAX_LABEL - 1) + '…' : s;
}

// ---------------------------------------------------------------------------------------------
// Word parts
// ---------------------------------------------------------------------------------------------

function isExpansion(t: string): boolean {
  return (
    t === 'simple_expansion' ||
    t === 'expansion' ||
    t === 'command_substitution' ||
    t === 'arithmetic_expansion' ||
    t === 'process_substitution'
  );
}

function varName(name: string): string {
  return name === '*' ? '@' : name;
}

/** Accumulates WordParts, merging adjacent literals; unquoted text is unescaped and scanned for
 *  glob characters when flushed. */
class Parts {
  private readonly out: WordPart[] = [];
  private unq = '';

  constructor(private readonly glob: boolean) {}

  lit(s: string): void {
    this.flush();
    this.pushLit(s);
  }

  unquoted(raw: string): void {
    this.unq += raw;
  }

  part(p: WordPart): void {
    this.flush();
    this.out.push(p);
  }

  done(): WordPart[] {
    this.flush();
    return this.out;
  }

  private pushLit(s: string): void {
    if (!s) return;
    const last = this.out[this.out.length - 1];
    if (last?.kind === 'lit') last.text += s;
    else this.out.push({ kind: 'lit', text: s });
  }

  private flush(): void {
    const u = this.unq;
    if (!u) return;
    this.unq = '';
    let lit = '';
    for (let i = 0; i < u.length; i++) {
      const c = u[i];
      if (c === '\\') {
        const next = u[i + 1];
        if (next === '\n') i++;
        else if (next === '\r' && u[i + 2] === '\n') i += 2;
        else if (next !== undefined) {
          lit += next;
          i++;
        } else lit += c;
      } else if (this.glob && (c === '*' || c === '?')) {
        this.pushLit(lit);
        lit = '';
        this.out.push({ kind: 'glob', text: c });
      } else if (this.glob && c === '{' && braceEnd(u, i) > 0) {
        const j = braceEnd(u, i);
        this.pushLit(lit);
        lit = '';
        this.out.push({ kind: 'glob', text: u.slice(i, j + 1) });
        i = j;
      } else if (this.glob && c === '[' && u.indexOf(']', i + 2) > 0) {
        const j = u.indexOf(']', i + 2);
        this.pushLit(lit);
        lit = '';
        this.out.push({ kind: 'glob', text: u.slice(i, j + 1) });
        i = j;
      } else lit += c;
    }
    this.pushLit(lit);
  }
}

/** End of a brace expansion `{a,b}` / `{1..3}` starting at u[i], or -1. */
function braceEnd(u: string, i: number): number {
  const j = u.indexOf('}', i + 1);
  if (j < 0) return -1;
  const body = u.slice(i + 1, j);
  return body.includes(',') || /^[^.]+\.\.[^.]+$/.test(body) ? j : -1;
}

/** Inside double quotes a backslash escapes only `$`, backquote, `"`, `\` and newline. */
function unescapeDq(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\r?\n|[$`"\\])/g, (_m, c: string) => (c === '\n' || c === '\r\n' ? '' : c));
}

const ANSI_C: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decode the body of `$'…'`; when `map` is given, records each decoded character's source
 *  span (offset by `base`). */
function decodeAnsiC(s: string, base = 0, map?: SourceMap): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let ch = s[i];
    let len = 1;
    if (ch === '\\' && i + 1 < s.length) {
      const c = s[i + 1];
      const rest = s.slice(i + 1);
      let m: RegExpExecArray | null;
      len = 2;
      if (c in ANSI_C) ch = ANSI_C[c];
      else if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) {
        ch = String.fromCharCode(parseInt(m[1], 16));
        len = 1 + m[0].length;
      } else if ((m = /^u([0-9a-fA-F]{1,4})/.exec(rest)) || (m = /^U([0-9a-fA-F]{1,8})/.exec(rest))) {
        const cp = parseInt(m[1], 16);
        ch = cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        len = 1 + m[0].length;
      } else if ((m = /^[0-7]{1,3}/.exec(rest))) {
        ch = String.fromCharCode(parseInt(m[0], 8) & 0xff);
        len = 1 + m[0].length;
      } else ch = '\\' + c;
    }
    out += ch;
    if (map) {
      for (let k = 0; k < ch.length; k++) {
        map.starts.push(base + i);
        map.ends.push(base + i + len);
      }
    }
    i += len - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/** A newline in text[from, to) that is not a backslash-newline continuation. */
function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
    const b = text[i - 1] === '\r' ? i - 2 : i - 1;
    if (text[b] !== '\\') return true;
  }
  return false;
}

/** Collapse backslash-newline continuations (and the indentation after them) to one line. */
function joinContinuations(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/([ \t]*)\\\r?\n([ \t]*)/g, (_m, before: string, after: string) => (before || after ? ' ' : ''));
}

function shebangOf(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const nl = text.indexOf('\n');
  const parts = text
    .slice(2, nl < 0 ? undefined : nl)
    .trim()
    .split(/\s+/);
  let prog = parts[0]?.split('/').pop() ?? '';
  if (prog === 'env') prog = parts.slice(1).find((p) => !p.startsWith('-') && !p.includes('=')) ?? '';
  return prog || undefined;
}

// ---------------------------------------------------------------------------------------------
// Mapping a word's value back to its raw text (parseShellWord)
// ---------------------------------------------------------------------------------------------

/** For each character of `value`, the span of `word.raw` it comes from. */
function sourceMap(word: Word, value: string): SourceMap {
  const reg = registered.get(word);
  if (reg && reg.starts.length === value.length) return reg;
  for (const scan of [scanShell, scanJson]) {
    const r = scan(word.raw);
    if (r && r.value === value) return r.map;
  }
  return approximateMap(word.raw, value);
}

type Scan = { value: string; map: SourceMap } | null;

/** Decode shell quoting (unquoted, '…', "…", $'…') keeping each character's source span. */
function scanShell(raw: string): Scan {
  let value = '';
  const map: SourceMap = { starts: [], ends: [] };
  const push = (ch: string, from: number, to: number) => {
    value += ch;
    map.starts.push(from);
    map.ends.push(to);
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '\\') {
      if (raw[i + 1] === '\n') i += 2;
      else if (raw[i + 1] === '\r' && raw[i + 2] === '\n') i += 3;
      else if (i + 1 < raw.length) {
        push(raw[i + 1], i, i + 2);
        i += 2;
      } else return null;
    } else if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return null;
      for (let k = i + 1; k < end; k++) push(raw[k], k, k + 1);
      i = end + 1;
    } else if (c === '$' && raw[i + 1] === "'") {
      let end = i + 2;
      while (end < raw.length && raw[end] !== "'") end += raw[end] === '\\' ? 2 : 1;
      if (end >= raw.length) return null;
      value += decodeAnsiC(raw.slice(i + 2, end), i + 2, map);
      i = end + 1;
    } else if (c === '"') {
      let k = i + 1;
      for (; k < raw.length && raw[k] !== '"'; k++) {
        if (raw[k] === '\\' && k + 1 < raw.length) {
          const n = raw[k + 1];
          if (n === '\n' || (n === '\r' && raw[k + 2] === '\n')) {
            k += n === '\n' ? 1 : 2;
            continue;
          }
          if (n === '$' || n === '`' || n === '"' || n === '\\') {
            push(n, k, k + 2);
            k++;
            continue;
          }
        }
        push(raw[k], k, k + 1);
      }
      if (k >= raw.length) return null;
      i = k + 1;
    } else {
      push(c, i, i + 1);
      i++;
    }
  }
  return { value, map };
}

const JSON_ESC: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decode a JSON string literal (Dockerfile exec form) keeping each character's source span. */
function scanJson(raw: string): Scan {
  if (raw.length < 2 || raw[0] !== '"' || raw[raw.length - 1] !== '"') return null;
  let value = '';
  const map: SourceMap = { starts: [], ends: [] };
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i];
    let len = 1;
    if (c !== '\\') value += c;
    else if (raw[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      len = 6;
    } else if (raw[i + 1] in JSON_ESC) {
      value += JSON_ESC[raw[i + 1]];
      len = 2;
    } else return null;
    map.starts.push(i);
    map.ends.push(i + len);
    i += len - 1;
  }
  return { value, map };
}

/** Best effort when the raw text cannot be decoded: line k of the value maps to line k of the raw
 *  text, past an opening quote on the first line; clamped to each raw line. */
function approximateMap(raw: string, value: string): SourceMap {
  const rawLines = new LineTable(raw).starts;
  const lead = /^\$?['"]/.exec(raw)?.[0].length ?? 0;
  const map: SourceMap = { starts: [], ends: [] };
  let line = 0;
  let col = 0;
  for (let i = 0; i < value.length; i++) {
    const k = Math.min(line, rawLines.length - 1);
    const lineStart = rawLines[k];
    const lineEnd = k + 1 < rawLines.length ? rawLines[k + 1] - 1 : raw.length;
    const at = Math.max(lineStart, Math.min(lineStart + col + (k === 0 ? lead : 0), lineEnd - 1));
    map.starts.push(at);
    map.ends.push(Math.min(at + 1, Math.max(lineEnd, lineStart)));
    if (value[i] === '\n') {
      line++;
      col = 0;
    } else col++;
  }
  return map;
}

/** Raw offset → file position, from the word's location; never outside the word's span. */
function rawPositioner(word: Word): (off: number) => Pos {
  const starts = new LineTable(word.raw).starts;
  const { line, column, endLine, endColumn } = word.loc;
  return (off) => {
    off = Math.max(0, Math.min(off, word.raw.length));
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1] <= off) k++;
    let p: Pos = k === 0 ? { line, column: column + off } : { line: line + k, column: off - starts[k] + 1 };
    if (p.line > endLine || (p.line === endLine && p.column > endColumn)) p = { line: endLine, column: endColumn };
    if (p.line < line || (p.line === line && p.column < column)) p = { line, column };
    return p;
  };
}

type ArmInfo = { test: ArmTest | null; else?: boolean };

function hidden<K extends keyof ShellBranch>(b: ShellBranch, key: K, value: ShellBranch[K]): void {
  Object.defineProperty(b, key, { value, enumerable: false, writable: true, configurable: true });
}

function branchSoft(b: ShellBranch): boolean {
  return b.soft === true;
}

/** A context that may not run for a reason inside the current arm (`&&`, a loop body). */
function soft(ctx: ShellContext): ShellContext {
  if (!ctx.branch || ctx.branch.soft) return { ...ctx, conditional: true };
  const b = ctx.branch;
  const copy: ShellBranch = { id: b.id, arm: b.arm, label: b.label };
  if (b.arms) hidden(copy, 'arms', b.arms);
  if (b.parent) hidden(copy, 'parent', b.parent);
  hidden(copy, 'soft', true);
  return { ...ctx, conditional: true, branch: copy };
}

const EMPTY_WORD = (loc: Location): Word => ({ raw: '""', parts: [{ kind: 'lit', text: '' }], quoted: true, loc });

/**
 * What selects an `if`/`elif` arm, when its condition is one plain comparison:
 * `[ A = B ]`, `[ A == B ]`, `[ A != B ]`, `[[ A == P ]]`, `test A = B`, `[ -z A ]`, `[ -n A ]`.
 */
function armTest(conds: ShellCommand[]): ArmTest | null {
  if (conds.length > 1 && conds.length <= 8) {
    const parts = conds.map((c) => armTest([{ ...c, ctx: { ...c.ctx, negated: false } }]));
    if (parts.some((t) => t === null || t.all)) return null;
    return { ...parts[0]!, all: parts as ArmTest[] };
  }
  if (conds.length !== 1) return null;
  const c = conds[0];
  if (c.ctx.negated || c.ctx.background || c.ctx.pipeline) return null;
  let w = c.words.map((x) => x);
  const head = w[0] ? staticValue(w[0]) : null;
  let glob = false;
  if (head === '[' && w.length > 1 && staticValue(w[w.length - 1]) === ']') w = w.slice(1, -1);
  else if (head === '[[' && w.length > 1 && staticValue(w[w.length - 1]) === ']]') {
    w = w.slice(1, -1);
    glob = true;
  } else if (head === 'test') w = w.slice(1);
  else return null;
  if (w.length === 2) {
    const op = staticValue(w[0]);
    if (op === '-z' || op === '-n') return { subject: w[1], patterns: [EMPTY_WORD(w[1].loc)], glob: false, negate: op === '-n' };
    return null;
  }
  if (w.length !== 3) return null;
  const op = staticValue(w[1]);
  if (op !== '=' && op !== '==' && op !== '!=') return null;
  return { subject: w[0], patterns: [w[2]], glob, negate: op === '!=' };
}
