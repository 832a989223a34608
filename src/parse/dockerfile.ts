/**
 * Dockerfile parser: `dockerfile-ast` finds instructions, flags, arguments, heredocs and the
 * `# escape=` directive; this module turns them into build stages with exact positions and
 * applies Docker's own rules on top:
 * - exec form is a valid JSON array of strings (after line continuations are joined);
 *   anything else, `CMD [bad json` included, is shell form, as Docker does, without an issue;
 * - `ENV`/`ARG`/`WORKDIR`/`USER`/`COPY` values get Docker's quote removal and `$VAR` /
 *   `${VAR}` / `${VAR:-x}` substitution from the stage's ENV and ARG; a variable whose value
 *   is unknown at lint time (an `ARG` without default) is left as written;
 * - `WORKDIR` is resolved to an absolute posix path against the previous one (a stage built
 *   `FROM` another stage starts from that stage's WORKDIR and ENV; an image starts at `/`).
 * Issues are only for what Docker itself would reject: no FROM, unknown instructions,
 * instructions before the first FROM, missing arguments, unterminated heredocs.
 */
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { overParseLimit } from './limits.js';
import { LineTable } from '../core/lines.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import type { Word } from '../core/words.js';
import { matchBraces } from './argv.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface DfWordList {
  words: Word[];
}

/** A `<<NAME` heredoc: its content is what the command reads (or the file COPY creates). */
export interface DfHeredoc {
  /** Delimiter name without quotes (`EOF`). */
  name: string;
  /** The content as written (between the `<<NAME` line and the delimiter line). */
  text: string;
  /** Where `text[0]` sits (1-based). */
  base: { line: number; column: number };
  /** Span of the content (or of the `<<NAME` word when the content is empty). */
  loc: Location;
  /** `<<-NAME`: leading tabs are stripped from the content lines. */
  stripTabs: boolean;
}

/**
 * Shell form. `text` is the argument source from `base` to the end of the instruction,
 * line structure and columns preserved, normalised in place (same length) to what Docker
 * hands to the shell: CR → space; a continuation `<escape>[ \t]*` at the end of a line
 * becomes blanks followed by `\` right before the newline (so a backtick escape or trailing
 * blanks still read as a continuation); a comment line inside a continuation (which Docker
 * drops) becomes blanks ending in `\`. Heredoc lines are left as written (CR → space only).
 * `base` is where `text[0]` sits (1-based line and column).
 */
export interface DfShell {
  text: string;
  base: { line: number; column: number };
  loc: Location;
  heredocs: DfHeredoc[];
}

export type DfCommandForm = ({ form: 'exec' } & DfWordList) | ({ form: 'shell' } & DfShell);

export interface DfInstruction {
  /** Upper-case keyword (`RUN`). */
  keyword: string;
  loc: Location;
  /** The arguments after the keyword and flags; null when there are none. */
  argsLoc: Location | null;
  /** The instruction's source text, continuation lines included. */
  raw: string;
  /** `--name=value` flags (`--link` alone has value null); a repeated flag keeps the last. */
  flags: Record<string, { value: string | null; loc: Location }>;
}

export type DfPlaced = DfCommandForm & { instr: DfInstruction };

export interface DfCopy {
  keyword: 'COPY' | 'ADD';
  /** Sources after quote removal and variable substitution, each with its span. */
  sources: { value: string; loc: Location }[];
  dest: { value: string; loc: Location };
  from: string | null;
  chown: string | null;
  chmod: string | null;
  link: boolean;
  /** `COPY <<EOF /start.sh`: the inline files (their sources are `<<EOF`). */
  heredocs: DfHeredoc[];
  instr: DfInstruction;
}

export interface DfNameValue {
  name: string;
  value: string;
  loc: Location;
}

export interface DfArg {
  name: string;
  /** Default after substitution; a stage `ARG X` takes the global default of X; null if none. */
  value: string | null;
  loc: Location;
}

export interface DfStage {
  index: number;
  /** `AS name`, lower-cased as Docker compares stage names case-insensitively. */
  name: string | null;
  /** `image`: after global ARG substitution (may be another stage's name); `raw` as written. */
  from: { image: string; raw: string; loc: Location };
  /** Index of the earlier stage this one is built FROM, when `image` names one. */
  parent: number | null;
  /** Every instruction of the stage in order, the FROM first. */
  instructions: DfInstruction[];
  /** Last CMD / ENTRYPOINT of this stage (not inherited). */
  cmd: DfPlaced | null;
  entrypoint: DfPlaced | null;
  runs: DfPlaced[];
  copies: DfCopy[];
  /** `path` is absolute posix; `raw` is the argument as written. */
  workdirs: { path: string; raw: string; loc: Location; instr: DfInstruction }[];
  env: DfNameValue[];
  args: DfArg[];
  user: string | null;
  /** SHELL instruction (JSON form). */
  shell: string[] | null;
}

export interface DockerfileResult {
  stages: DfStage[];
  /** ARG instructions before the first FROM (usable in FROM lines). */
  globalArgs: DfArg[];
  issues: ParseIssue[];
  escapeChar: string;
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

interface LspPos {
  line: number;
  character: number;
}
interface LspRange {
  start: LspPos;
  end: LspPos;
}

class Src {
  /** Line starts with the same line breaks as dockerfile-ast's TextDocument: \r\n, \n, \r. */
  private readonly lines: LineTable;
  readonly starts: number[];
  constructor(readonly text: string, readonly file: string) {
    this.lines = new LineTable(text, 'any');
    this.starts = this.lines.starts;
  }
  off(p: LspPos): number {
    return (this.starts[p.line] ?? this.text.length) + p.character;
  }
  pos(offset: number): { line: number; column: number } {
    return this.lines.pos(offset);
  }
  loc(r: LspRange): Location {
    return { file: this.file, line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
  }
  locOff(start: number, end: number): Location {
    const a = this.pos(start);
    const b = this.pos(end);
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
  slice(r: LspRange): string {
    return this.text.slice(this.off(r.start), this.off(r.end));
  }
}

function litWord(raw: string, value: string, loc: Location): Word {
  return { raw, parts: [{ kind: 'lit', text: value }], quoted: false, loc };
}

// ---------------------------------------------------------------------------------------------
// Docker's word processing: continuation joining, JSON exec form, quote removal, $VAR
// ---------------------------------------------------------------------------------------------

const reEsc = (esc: string): string => esc.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * Join continuation lines in `[start, end)` as Docker does (the escape and trailing blanks
 * removed; blank and comment lines inside a continuation dropped). `map[i]` is the source
 * offset of `text[i]`.
 */
function joinLines(src: string, start: number, end: number, esc: string): { text: string; map: number[] } {
  const cont = new RegExp(`${reEsc(esc)}[ \\t]*$`);
  let text = '';
  const map: number[] = [];
  let i = start;
  let inCont = false;
  while (i < end) {
    let j = i;
    while (j < end && src[j] !== '\n' && src[j] !== '\r') j++;
    const line = src.slice(i, j);
    const skip = inCont && (line.trim() === '' || /^[ \t]*#/.test(line));
    if (!skip) {
      const m = cont.exec(line);
      const keep = m ? line.slice(0, m.index) : line;
      for (let k = 0; k < keep.length; k++) map.push(i + k);
      text += keep;
      inCont = m !== null;
      if (!m && j < end) {
        // A real line break (only in heredocs or a malformed instruction): keep it.
        map.push(j);
        text += '\n';
      }
    }
    if (src[j] === '\r' && src[j + 1] === '\n') j++;
    i = j + 1;
  }
  return { text, map };
}

/** Docker's exec form: the joined arguments are a JSON array of strings. */
function parseJsonArray(joined: string): string[] | null {
  const t = joined.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* not JSON: shell form */
  }
  return null;
}

/** Offsets `[start, end)` in `text` of each JSON string literal (quotes included). */
function jsonStringSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    spans.push([i, j + 1]);
    i = j + 1;
  }
  return spans;
}

/** Exec-form words, each spanning its JSON string (quotes included) in the source. */
function execWords(s: Src, start: number, end: number, esc: string): { values: string[]; words: Word[] } | null {
  const { text, map } = joinLines(s.text, start, end, esc);
  const values = parseJsonArray(text);
  if (!values) return null;
  const spans = jsonStringSpans(text);
  if (spans.length !== values.length) return null;
  const words = values.map((v, k) => {
    const [a, b] = spans[k];
    const from = map[a];
    const to = map[b - 1] + 1;
    return litWord(s.text.slice(from, to), v, s.locOff(from, to));
  });
  return { values, words };
}

/** Position-preserving shell text (see DfShell). `plainEnd` is where heredoc lines begin. */
function shellText(src: string, start: number, end: number, plainEnd: number, esc: string): string {
  const chars = src.slice(start, end).split('');
  for (let k = 0; k < chars.length; k++) {
    if (chars[k] === '\r') chars[k] = chars[k + 1] === '\n' ? ' ' : '\n';
  }
  const limit = plainEnd - start;
  let i = 0;
  let inCont = false;
  while (i < limit) {
    let j = i;
    while (j < chars.length && chars[j] !== '\n') j++;
    const line = chars.slice(i, j).join('');
    if (inCont && /^[ \t]*#/.test(line)) {
      for (let k = i; k < j - 1; k++) chars[k] = ' ';
      chars[j - 1] = '\\';
    } else {
      const m = new RegExp(`${reEsc(esc)}[ \\t]*$`).exec(line);
      if (m && j < chars.length) {
        for (let k = i + m.index; k < j - 1; k++) chars[k] = ' ';
        chars[j - 1] = '\\';
      }
      inCont = m !== null;
    }
    i = j + 1;
  }
  return chars.join('');
}

type Scope = (name: string) => string | null | undefined;

/**
 * Docker's ProcessWord, reduced: quote removal, the escape character, and `$NAME`,
 * `${NAME}`, `${NAME:-w}`, `${NAME-w}`, `${NAME:+w}`, `${NAME+w}`. A variable with no
 * known value is left as written (a default `:-w` applies).
 */
export function expandDockerWord(raw: string, scope: Scope, esc = '\\'): string {
  const braces = raw.includes('${') ? matchBraces(raw) : null;
  let out = '';
  let i = 0;
  let quote: '"' | "'" | null = null;
  while (i < raw.length) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
      i++;
      continue;
    }
    if (c === esc && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (quote === '"' && n !== '"' && n !== '$' && n !== esc) out += c + n;
      else out += n;
      i += 2;
      continue;
    }
    if (c === '"' || (c === "'" && quote === null)) {
      quote = quote === c ? null : (c as '"' | "'");
      i++;
      continue;
    }
    if (c === '$') {
      const r = expandVar(raw, i, scope, esc, braces);
      if (r) {
        out += r.text;
        i = r.end;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function expandVar(raw: string, i: number, scope: Scope, esc: string, braces: Int32Array | null): { text: string; end: number } | null {
  const re = /\$([A-Za-z_][A-Za-z0-9_]*)/y;
  re.lastIndex = i;
  const simple = re.exec(raw);
  if (simple) {
    const v = scope(simple[1]);
    return { text: v ?? simple[0], end: i + simple[0].length };
  }
  if (raw[i + 1] !== '{' || !braces) return null;
  const j = braces[i + 1];
  if (j < 0) return null;
  const body = raw.slice(i + 2, j);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body);
  if (!m) return { text: raw.slice(i, j + 1), end: j + 1 };
  const [, name, op, word] = m;
  const v = scope(name);
  const whole = raw.slice(i, j + 1);
  if (!op) return { text: v ?? whole, end: j + 1 };
  const colon = op.startsWith(':');
  const set = v !== undefined && v !== null;
  const nonEmpty = set && v !== '';
  const w = expandDockerWord(word, scope, esc);
  if (op.endsWith('-')) return { text: (colon ? nonEmpty : set) ? (v as string) : w, end: j + 1 };
  // `+`: the word when set; unknown → keep as written.
  if (v === null || v === undefined) return { text: whole, end: j + 1 };
  return { text: (colon ? nonEmpty : set) ? w : '', end: j + 1 };
}

// ---------------------------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------------------------

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
/** Instructions Docker rejects without arguments. */
const NEEDS_ARGS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'FROM', 'RUN', 'SHELL', 'USER', 'WORKDIR']);

/* Loose views of dockerfile-ast objects (the library's classes are not all exported as types). */
interface AstFlag {
  getName(): string;
  getValue(): string | null;
  getRange(): LspRange;
}
interface AstArg {
  getValue(): string;
  getRange(): LspRange;
}
interface AstProperty {
  getName(): string;
  getRange(): LspRange;
  getUnescapedValue(): string | null;
}
interface AstHeredoc {
  getName(): string;
  getStartRange(): LspRange;
  getContentRange(): LspRange | null;
  getDelimiterRange(): LspRange | null;
}
interface AstInstruction {
  getKeyword(): string;
  getRange(): LspRange;
  getInstructionRange(): LspRange;
  getArgumentsRange(): LspRange | null;
  getArguments(): AstArg[];
  getFlags?(): AstFlag[];
  getProperties?(): AstProperty[];
  getHeredocs?(): AstHeredoc[];
}

interface StageState {
  stage: DfStage;
  env: Map<string, string>;
  args: Map<string, string | null>;
  workdir: string;
}

export function parseDockerfile(text: string, file: string): DockerfileResult {
  const issues: ParseIssue[] = [];
  const result: DockerfileResult = { stages: [], globalArgs: [], issues, escapeChar: '\\' };
  const at1: Location = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (text.trim() === '') {
    issues.push({ message: 'empty file: a Dockerfile needs at least a FROM instruction', loc: at1 });
    return result;
  }
  const over = overParseLimit('dockerfile', text);
  if (over !== null) {
    issues.push({ message: `${file} is ${over}`, loc: at1 });
    return result;
  }
  try {
    build(text, file, result);
  } catch (e) {
    issues.push({ message: `could not parse Dockerfile: ${e instanceof Error ? e.message : String(e)}`, loc: at1 });
  }
  return result;
}

function build(text: string, file: string, result: DockerfileResult): void {
  const { issues } = result;
  const s = new Src(text, file);
  const df = DockerfileParser.parse(text);
  const esc = df.getEscapeCharacter() || '\\';
  result.escapeChar = esc;
  const globals = new Map<string, string | null>();
  const states: StageState[] = [];
  let cur: StageState | null = null;

  for (const ins of df.getInstructions() as unknown as AstInstruction[]) {
    const keyword = ins.getKeyword().toUpperCase();
    const range = ins.getRange();
    const argsRange = ins.getArgumentsRange();
    const flags: DfInstruction['flags'] = {};
    for (const f of ins.getFlags?.() ?? []) flags[f.getName()] = { value: f.getValue(), loc: s.loc(f.getRange()) };
    const instr: DfInstruction = { keyword, loc: s.loc(range), argsLoc: argsRange ? s.loc(argsRange) : null, raw: s.slice(range), flags };

    if (!KNOWN.has(keyword)) {
      issues.push({ message: `unknown instruction '${ins.getKeyword()}'`, loc: s.loc(ins.getInstructionRange()) });
      continue;
    }
    if (!argsRange && NEEDS_ARGS.has(keyword)) {
      issues.push({ message: `${keyword} requires at least one argument`, loc: instr.loc });
      continue;
    }
    for (const h of heredocsOf(ins, keyword)) {
      if (!h.getDelimiterRange()) {
        issues.push({ message: `heredoc <<${h.getName()} is not terminated`, loc: s.loc(h.getStartRange()) });
      }
    }

    if (keyword === 'FROM') {
      cur = startStage(ins, instr, s, states, globals, esc, issues);
      continue;
    }
    if (!cur) {
      if (keyword === 'ARG') {
        for (const a of argProps(ins, s, (n) => globals.get(n), () => undefined, esc)) {
          globals.set(a.name, a.value);
          result.globalArgs.push(a);
        }
      } else {
        issues.push({ message: `${keyword} before the first FROM: Docker rejects it (no build stage)`, loc: instr.loc });
      }
      continue;
    }

    const st: StageState = cur;
    const stage = st.stage;
    stage.instructions.push(instr);
    const scope: Scope = (n) => (st.env.has(n) ? st.env.get(n) : st.args.get(n));
    const aStart = argsRange ? s.off(argsRange.start) : 0;
    const aEnd = argsRange ? s.off(argsRange.end) : 0;
    const joined = () => joinLines(text, aStart, aEnd, esc).text.trim();

    switch (keyword) {
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT': {
        const form = commandForm(ins, keyword, s, aStart, aEnd, esc);
        const placed = { ...form, instr } as DfPlaced;
        if (keyword === 'RUN') stage.runs.push(placed);
        else if (keyword === 'CMD') stage.cmd = placed;
        else stage.entrypoint = placed;
        break;
      }
      case 'COPY':
      case 'ADD': {
        const c = copyOf(ins, keyword, instr, s, aStart, aEnd, esc, scope);
        if (c) stage.copies.push(c);
        else issues.push({ message: `${keyword} requires at least a source and a destination`, loc: instr.loc });
        break;
      }
      case 'WORKDIR': {
        const raw = joined();
        st.workdir = path.posix.resolve(st.workdir, expandDockerWord(raw, scope, esc));
        stage.workdirs.push({ path: st.workdir, raw, loc: instr.argsLoc!, instr });
        break;
      }
      case 'ENV': {
        const props = ins.getProperties?.() ?? [];
        const bad = props.find((p) => p.getUnescapedValue() === null);
        if (props.length === 0 || bad) {
          issues.push({ message: 'ENV needs `NAME=value` (or the legacy `NAME value`)', loc: bad ? s.loc(bad.getRange()) : instr.loc });
          break;
        }
        // Every value of one ENV sees the environment before that instruction (Docker).
        const values = props.map((p) => expandDockerWord(p.getUnescapedValue() ?? '', scope, esc));
        props.forEach((p, k) => {
          st.env.set(p.getName(), values[k]);
          stage.env.push({ name: p.getName(), value: values[k], loc: s.loc(p.getRange()) });
        });
        break;
      }
      case 'ARG':
        for (const a of argProps(ins, s, scope, (n) => globals.get(n), esc)) {
          st.args.set(a.name, a.value);
          stage.args.push(a);
        }
        break;
      case 'USER':
        stage.user = expandDockerWord(joined(), scope, esc);
        break;
      case 'SHELL': {
        const ex = execWords(s, aStart, aEnd, esc);
        if (ex && ex.values.length > 0) stage.shell = ex.values;
        else issues.push({ message: 'SHELL requires the JSON form, e.g. SHELL ["/bin/bash", "-c"]', loc: instr.argsLoc ?? instr.loc });
        break;
      }
      default:
        break; // EXPOSE, LABEL, ONBUILD (ignored), HEALTHCHECK, ...: kept in `instructions` only
    }
  }
  result.stages = states.map((x) => x.stage);
  if (states.length === 0) {
    issues.push({ message: 'no FROM instruction: not a buildable Dockerfile', loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
  }
}

function heredocsOf(ins: AstInstruction, keyword: string): AstHeredoc[] {
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return [];
  return typeof ins.getHeredocs === 'function' ? ins.getHeredocs() : [];
}

function startStage(
  ins: AstInstruction,
  instr: DfInstruction,
  s: Src,
  states: StageState[],
  globals: Map<string, string | null>,
  esc: string,
  issues: ParseIssue[],
): StageState {
  const args = ins.getArguments();
  const image = args[0];
  let name: string | null = null;
  if (args.length === 3 && args[1].getValue().toLowerCase() === 'as') name = args[2].getValue().toLowerCase();
  else if (args.length !== 1) {
    issues.push({ message: 'FROM expects `FROM [--platform=…] image [AS name]`', loc: instr.argsLoc ?? instr.loc });
  }
  const raw = image.getValue();
  const resolved = expandDockerWord(raw, (n) => globals.get(n), esc);
  const lower = resolved.toLowerCase();
  let parent: number | null = null;
  for (let k = states.length - 1; k >= 0; k--) {
    if (states[k].stage.name === lower) {
      parent = k;
      break;
    }
  }
  const stage: DfStage = {
    index: states.length,
    name,
    from: { image: resolved, raw, loc: s.loc(image.getRange()) },
    parent,
    instructions: [instr],
    cmd: null,
    entrypoint: null,
    runs: [],
    copies: [],
    workdirs: [],
    env: [],
    args: [],
    user: null,
    shell: null,
  };
  const p = parent !== null ? states[parent] : null;
  const st: StageState = { stage, env: new Map(p?.env ?? []), args: new Map(), workdir: p?.workdir ?? '/' };
  states.push(st);
  return st;
}

function argProps(
  ins: AstInstruction,
  s: Src,
  scope: Scope,
  globalDefault: (n: string) => string | null | undefined,
  esc: string,
): DfArg[] {
  return (ins.getProperties?.() ?? []).map((p) => {
    const raw = p.getUnescapedValue();
    const value = raw !== null ? expandDockerWord(raw, scope, esc) : (globalDefault(p.getName()) ?? null);
    return { name: p.getName(), value, loc: s.loc(p.getRange()) };
  });
}

function heredocInfo(h: AstHeredoc, s: Src): DfHeredoc {
  const start = h.getStartRange();
  const content = h.getContentRange();
  const opener = s.slice(start);
  const base = content ? { line: content.start.line + 1, column: content.start.character + 1 } : { line: start.start.line + 1, column: start.start.character + 1 };
  return {
    name: h.getName().replace(/^["']|["']$/g, ''),
    text: content ? s.slice(content) : '',
    base,
    loc: s.loc(content ?? start),
    stripTabs: opener.startsWith('<<-'),
  };
}

function commandForm(ins: AstInstruction, keyword: string, s: Src, start: number, end: number, esc: string): DfCommandForm {
  const heredocs = heredocsOf(ins, keyword);
  if (heredocs.length === 0) {
    const ex = execWords(s, start, end, esc);
    if (ex) return { form: 'exec', words: ex.words };
  }
  let plainEnd = end;
  for (const h of heredocs) {
    const r = h.getContentRange() ?? h.getDelimiterRange();
    if (r) plainEnd = Math.min(plainEnd, s.off({ line: r.start.line, character: 0 }));
  }
  const p = s.pos(start);
  return {
    form: 'shell',
    text: shellText(s.text, start, end, plainEnd, esc),
    base: { line: p.line, column: p.column },
    loc: s.locOff(start, end),
    heredocs: heredocs.map((h) => heredocInfo(h, s)),
  };
}

function copyOf(
  ins: AstInstruction,
  keyword: 'COPY' | 'ADD',
  instr: DfInstruction,
  s: Src,
  start: number,
  end: number,
  esc: string,
  scope: Scope,
): DfCopy | null {
  const heredocs = heredocsOf(ins, keyword);
  let items: { value: string; loc: Location }[];
  const ex = heredocs.length === 0 ? execWords(s, start, end, esc) : null;
  if (ex) {
    items = ex.words.map((w, k) => ({ value: ex.values[k], loc: w.loc }));
  } else {
    let limit = end;
    for (const h of heredocs) {
      const r = h.getContentRange() ?? h.getDelimiterRange();
      if (r) limit = Math.min(limit, s.off({ line: r.start.line, character: 0 }));
    }
    items = ins
      .getArguments()
      .filter((a) => s.off(a.getRange().start) < limit)
      .map((a) => ({ value: expandDockerWord(a.getValue(), scope, esc), loc: s.loc(a.getRange()) }));
  }
  if (items.length < 2) return null;
  const flag = (n: string): string | null => {
    const f = instr.flags[n];
    return f && f.value !== null ? expandDockerWord(f.value, scope, esc) : null;
  };
  const link = instr.flags.link;
  return {
    keyword,
    sources: items.slice(0, -1),
    dest: items[items.length - 1],
    from: flag('from')?.toLowerCase() ?? null,
    chown: flag('chown'),
    chmod: flag('chmod'),
    link: link !== undefined && (link.value === null || link.value.toLowerCase() === 'true'),
    heredocs: heredocs.map((h) => heredocInfo(h, s)),
    instr,
  };
}
