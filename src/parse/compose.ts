/**
 * Docker Compose file parser on top of `yaml` (positions from node ranges through a
 * `LineCounter`). Only the keys the linter needs are read; `x-` extension keys are ignored.
 * Merge keys (`<<: *anchor`, `<<: [*a, *b]`) and aliases are resolved on the AST, so every
 * value keeps the position where it is written (an anchored value points at the anchor).
 * Alias resolution is bounded (alias bombs), YAML syntax errors become issues with their
 * position, and YAML that is not a mapping with `services:` is simply `isCompose: false`.
 *
 * Compose's own `${VAR}` interpolation is not applied to string values (the consumer does it);
 * in `command:`/`entrypoint:` list form each element becomes a Word whose `var` parts carry it.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, Node as YNode, YAMLMap } from 'yaml';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import type { Word, WordPart } from '../core/words.js';
import { matchBraces } from './argv.js';
import { overParseLimit } from './limits.js';
import { parseYamlBounded, textLineCounter } from './yaml-bounded.js';

export type ComposeCommand =
  /**
   * `text` keeps the source's line structure and columns from `base` on (see scalarText);
   * `loc` spans the whole YAML scalar, quotes or block indicator included.
   */
  | { form: 'string'; text: string; loc: Location; base: { line: number; column: number } }
  | { form: 'list'; words: Word[]; loc: Location };

export interface ComposeService {
  name: string;
  nameLoc: Location;
  /** From the service's key to the end of its mapping. */
  loc: Location;
  build: { context: string; dockerfile: string | null; target: string | null; loc: Location } | null;
  image: { value: string; loc: Location } | null;
  command: ComposeCommand | null;
  entrypoint: ComposeCommand | null;
  /** `value` null: `KEY` alone / `KEY:` (taken from the shell running compose). */
  environment: { name: string; value: string | null; loc: Location }[];
  envFiles: { value: string; loc: Location }[];
  extends: { service: string; file: string | null; loc: Location } | null;
  profiles: string[];
  /** Short syntax as written; the long syntax is rendered as `[ip:][published:]target[/proto]`. */
  ports: { value: string; loc: Location }[];
  /** Short syntax as written; the long syntax is rendered as `source:target`. */
  volumes: { value: string; loc: Location }[];
  workingDir: { value: string; loc: Location } | null;
  dependsOn: string[];
  /** `restart:` policy as written (`always`, `unless-stopped`, …). */
  restart: { value: string; loc: Location } | null;
}

export interface ComposeResult {
  services: ComposeService[];
  issues: ParseIssue[];
  /** The file is a mapping with a `services:` mapping (or a version 1 file, see `version1`). */
  isCompose: boolean;
  /** Services at the top level, without `services:` (the version 1 format). */
  version1?: boolean;
}

/** Aliases resolved per document before giving up (protects against alias bombs). */
const MAX_ALIASES = 1000;
const MAX_MERGE_DEPTH = 8;

class Ctx {
  aliases = 0;
  bombed = false;
  constructor(
    readonly doc: Document.Parsed,
    readonly text: string,
    readonly lc: LineCounter,
    readonly file: string,
    readonly issues: ParseIssue[],
  ) {}

  /** Span of `[start, end)`, trailing blanks and line breaks (which YAML ranges include) left out. */
  loc(start: number, end: number): Location {
    // YAML error positions can lie past the end of the text (an error at end of input).
    start = Math.max(0, Math.min(start, this.text.length));
    end = Math.max(start, Math.min(end, this.text.length));
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1])) e--;
    if (e > start) end = e;
    const a = this.lc.linePos(start);
    const b = this.lc.linePos(end);
    return { file: this.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  nodeLoc(n: YNode | null | undefined, fallback?: Location): Location {
    const r = n?.range;
    if (!r) return fallback ?? this.loc(0, 0);
    return this.loc(r[0], r[1]);
  }

  issue(message: string, n: YNode | null | undefined, fallback?: Location): void {
    this.issues.push({ message, loc: this.nodeLoc(n, fallback) });
  }

  /** Follow aliases (bounded). */
  resolve(n: unknown): YNode | null {
    let cur = n;
    let hops = 0;
    while (isAlias(cur)) {
      if (++this.aliases > MAX_ALIASES || ++hops > MAX_MERGE_DEPTH) {
        if (!this.bombed) this.issue(`too many YAML aliases (more than ${MAX_ALIASES}): not followed further`, cur);
        this.bombed = true;
        return null;
      }
      const target: unknown = cur.resolve(this.doc);
      if (target === undefined) {
        this.issue(`unknown YAML alias *${cur.source}`, cur);
        return null;
      }
      cur = target;
    }
    return (cur as YNode | undefined) ?? null;
  }
}

interface Entry {
  key: string;
  keyNode: YNode;
  value: YNode | null;
}

function isMergeKey(k: unknown): boolean {
  if (!isScalar(k)) return false;
  const v = k.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && k.type === Scalar.PLAIN);
}

/** Pairs of a mapping with `<<` merges applied: own keys win, then merge sources in order. */
function entries(ctx: Ctx, map: YAMLMap, depth = 0): Entry[] {
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      if (depth >= MAX_MERGE_DEPTH) {
        ctx.issue('YAML merge keys nested too deeply', pair.key as YNode);
        continue;
      }
      const src = ctx.resolve(pair.value);
      const sources = isSeq(src) ? src.items.map((x) => ctx.resolve(x)) : [src];
      for (const m of sources) {
        if (isMap(m)) merged.push(...entries(ctx, m, depth + 1));
        else if (m) ctx.issue('a YAML merge key (<<) needs a mapping or a list of mappings', m);
      }
      continue;
    }
    const k = isAlias(pair.key) ? ctx.resolve(pair.key) : (pair.key as YNode | null);
    if (!isScalar(k)) continue;
    own.push({ key: String(k.value), keyNode: k, value: ctx.resolve(pair.value) });
  }
  const seen = new Set(own.map((e) => e.key));
  const out = [...own];
  for (const e of merged) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return out;
}

function get(list: Entry[], key: string): Entry | undefined {
  return list.find((e) => e.key === key);
}

/** A scalar's value as compose sees it: strings as parsed, other plain scalars as written. */
function scalarString(ctx: Ctx, n: YNode | null): string | null {
  if (!isScalar(n) || n.value === null || n.value === undefined) return null;
  if (typeof n.value === 'string') return n.value;
  if (n.range) return ctx.text.slice(n.range[0], n.range[1]).trim();
  return String(n.value);
}

// ---------------------------------------------------------------------------------------------
// Shell text of a scalar with positions preserved
// ---------------------------------------------------------------------------------------------

/**
 * Text of a string scalar for shell parsing, with `base` where `text[0]` sits. Where the
 * source allows it, `text` is the source itself (lines and columns preserved): a block
 * scalar's content lines with their indentation (the first line starts at `base`), a
 * quoted scalar without escapes from after its opening quote. A YAML line fold (which reads
 * as a space) becomes a `\` inserted before the line break: a shell line continuation, so
 * the shell sees one command line and every character keeps its column. Otherwise (escapes
 * in a quoted scalar) `text` is the scalar's value and positions after the first escape on
 * its line are approximate.
 */
function scalarText(ctx: Ctx, n: Scalar): { text: string; base: { line: number; column: number } } {
  const value = typeof n.value === 'string' ? n.value : String(n.value ?? '');
  const [start, end] = n.range ?? [0, 0];
  const src = ctx.text.slice(start, end);
  const at = (off: number) => {
    const p = ctx.lc.linePos(off);
    return { line: p.line, column: p.col };
  };

  if (n.type === Scalar.BLOCK_LITERAL || n.type === Scalar.BLOCK_FOLDED) {
    const header = src.indexOf('\n');
    if (header < 0) return { text: value, base: at(start) };
    const body = src.slice(header + 1);
    const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    const firstIdx = lines.findIndex((l) => l.trim() !== '');
    if (firstIdx < 0) return { text: '', base: at(start + header + 1) };
    // `|2`, `>-2`, `|2+`: content indentation relative to the parent's; else the first line's.
    const explicit = /^[|>][-+]?([1-9])/.exec(src);
    const indent = explicit ? Number(explicit[1]) + parentIndent(ctx, start) : lines[firstIdx].length - lines[firstIdx].trimStart().length;
    const rawLines = body.split('\n');
    let offset = start + header + 1;
    for (let k = 0; k < firstIdx; k++) offset += rawLines[k].length + 1;
    const out = lines.slice(firstIdx);
    if (n.type === Scalar.BLOCK_FOLDED) {
      // A break between two non-empty lines that are not more-indented folds to a space.
      const more = (l: string) => l.length > indent && /[ \t]/.test(l[indent]);
      for (let k = 0; k < out.length - 1; k++) {
        if (out[k].trim() !== '' && out[k + 1].trim() !== '' && !more(out[k]) && !more(out[k + 1])) out[k] += '\\';
      }
    }
    out[0] = out[0].slice(indent);
    return { text: out.join('\n'), base: at(offset + indent) };
  }

  const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
  const innerStart = quoted ? start + 1 : start;
  const innerEnd = quoted ? Math.max(innerStart, end - 1) : end;
  const inner = ctx.text.slice(innerStart, innerEnd);
  const base = at(innerStart);
  if (inner === value) return { text: value, base };
  const hasEscape = n.type === Scalar.QUOTE_DOUBLE ? inner.includes('\\') : n.type === Scalar.QUOTE_SINGLE ? inner.includes("''") : false;
  if (!hasEscape && inner.includes('\n')) {
    // A multi-line flow scalar: line breaks fold to spaces (blank lines to newlines).
    const lines = inner.split('\n').map((l) => l.replace(/\r$/, ''));
    for (let k = 0; k < lines.length - 1; k++) {
      if (lines[k].trim() !== '' && lines[k + 1].trim() !== '') lines[k] += '\\';
    }
    return { text: lines.join('\n'), base };
  }
  return { text: value, base };
}

/** Indentation of the line holding `offset` (for explicit block indentation indicators). */
function parentIndent(ctx: Ctx, offset: number): number {
  const lineStart = ctx.text.lastIndexOf('\n', offset - 1) + 1;
  const line = ctx.text.slice(lineStart, offset);
  return line.length - line.trimStart().length;
}

// ---------------------------------------------------------------------------------------------
// Words for list forms, with compose interpolation
// ---------------------------------------------------------------------------------------------

/** Compose interpolation of one value into WordParts: `$$` → `$`, `$VAR`, `${VAR[op word]}`. */
export function interpolationParts(value: string, loc: Location): WordPart[] {
  const braces = value.includes('${') ? matchBraces(value) : null;
  const parts: WordPart[] = [];
  let lit = '';
  const flush = () => {
    if (lit !== '') parts.push({ kind: 'lit', text: lit });
    lit = '';
  };
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '$') {
      lit += value[i++];
      continue;
    }
    if (value[i + 1] === '$') {
      lit += '$';
      i += 2;
      continue;
    }
    const re = /\$([A-Za-z_][A-Za-z0-9_]*)/y;
    re.lastIndex = i;
    const simple = re.exec(value);
    if (simple) {
      flush();
      parts.push({ kind: 'var', name: simple[1] });
      i += simple[0].length;
      continue;
    }
    if (value[i + 1] === '{' && braces) {
      const j = braces[i + 1];
      const m = j >= 0 ? /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([\s\S]*))?$/.exec(value.slice(i + 2, j)) : null;
      if (m) {
        flush();
        const part: WordPart = { kind: 'var', name: m[1] };
        if (m[2]) {
          part.op = m[2] as NonNullable<typeof part.op>;
          part.arg = { raw: m[3], parts: interpolationParts(m[3], loc), quoted: false, loc };
        }
        parts.push(part);
        i = j + 1;
        continue;
      }
    }
    lit += value[i++];
  }
  flush();
  if (parts.length === 0) parts.push({ kind: 'lit', text: '' });
  return parts;
}

function word(ctx: Ctx, n: YNode): Word | null {
  const v = scalarString(ctx, n);
  if (v === null || !n.range) return null;
  const loc = ctx.nodeLoc(n);
  const parts = interpolationParts(v, loc);
  return { raw: ctx.text.slice(n.range[0], n.range[1]), parts, quoted: false, loc };
}

function command(ctx: Ctx, e: Entry | undefined, what: string): ComposeCommand | null {
  const n = e?.value ?? null;
  if (!e || n === null || (isScalar(n) && (n.value === null || n.value === undefined))) return null;
  if (isScalar(n)) {
    const { text, base } = scalarText(ctx, n);
    return { form: 'string', text, base, loc: ctx.nodeLoc(n) };
  }
  if (isSeq(n)) {
    const words: Word[] = [];
    let bad: YNode | null = null;
    for (const item of n.items) {
      const it = ctx.resolve(item);
      const w = it && isScalar(it) ? word(ctx, it) : null;
      if (w) words.push(w);
      else bad ??= (item as YNode | null) ?? n;
    }
    if (bad) ctx.issue(`${what}: each list element must be a string`, bad);
    return { form: 'list', words, loc: ctx.nodeLoc(n) };
  }
  ctx.issue(`${what} must be a string or a list of strings`, n);
  return null;
}

function valueAt(ctx: Ctx, n: YNode | null): { value: string; loc: Location } | null {
  const v = scalarString(ctx, n);
  return v === null ? null : { value: v, loc: ctx.nodeLoc(n) };
}

/** Scalars of a string-or-list value. */
function stringList(ctx: Ctx, n: YNode | null, what: string): { value: string; loc: Location }[] {
  if (n === null) return [];
  if (isScalar(n)) return valueAt(ctx, n) ? [valueAt(ctx, n)!] : [];
  if (!isSeq(n)) {
    ctx.issue(`${what} must be a string or a list`, n);
    return [];
  }
  const out: { value: string; loc: Location }[] = [];
  for (const item of n.items) {
    const it = ctx.resolve(item);
    if (isScalar(it)) {
      const v = valueAt(ctx, it);
      if (v) out.push(v);
    } else if (isMap(it)) {
      const path = get(entries(ctx, it), 'path');
      const v = valueAt(ctx, path?.value ?? null);
      if (v) out.push(v);
    }
  }
  return out;
}

function environment(ctx: Ctx, n: YNode | null): ComposeService['environment'] {
  if (n === null) return [];
  if (isMap(n)) {
    return entries(ctx, n).map((e) => {
      const end = e.value?.range?.[1] ?? e.keyNode.range?.[1] ?? 0;
      const start = e.keyNode.range?.[0] ?? 0;
      return { name: e.key, value: scalarString(ctx, e.value), loc: ctx.loc(start, end) };
    });
  }
  if (isSeq(n)) {
    const out: ComposeService['environment'] = [];
    let bad: YNode | null = null;
    for (const item of n.items) {
      const it = ctx.resolve(item);
      const s = scalarString(ctx, it);
      if (s === null) {
        bad ??= (item as YNode | null) ?? n;
        continue;
      }
      const eq = s.indexOf('=');
      out.push({ name: eq < 0 ? s : s.slice(0, eq), value: eq < 0 ? null : s.slice(eq + 1), loc: ctx.nodeLoc(it) });
    }
    if (bad) ctx.issue('environment: each list element must be `NAME=value` or `NAME`', bad);
    return out;
  }
  ctx.issue('environment must be a mapping or a list of `NAME=value`', n);
  return [];
}

function build(ctx: Ctx, n: YNode | null): ComposeService['build'] {
  if (n === null) return null;
  const loc = ctx.nodeLoc(n);
  if (isScalar(n)) return { context: scalarString(ctx, n) ?? '.', dockerfile: null, target: null, loc };
  if (!isMap(n)) {
    ctx.issue('build must be a path or a mapping', n);
    return null;
  }
  const es = entries(ctx, n);
  const s = (k: string) => scalarString(ctx, get(es, k)?.value ?? null);
  return { context: s('context') ?? '.', dockerfile: s('dockerfile'), target: s('target'), loc };
}

function extendsOf(ctx: Ctx, n: YNode | null): ComposeService['extends'] {
  if (n === null) return null;
  const loc = ctx.nodeLoc(n);
  if (isScalar(n)) {
    const s = scalarString(ctx, n);
    return s === null ? null : { service: s, file: null, loc };
  }
  if (isMap(n)) {
    const es = entries(ctx, n);
    const service = scalarString(ctx, get(es, 'service')?.value ?? null);
    if (service === null) {
      ctx.issue('extends needs a `service:`', n);
      return null;
    }
    return { service, file: scalarString(ctx, get(es, 'file')?.value ?? null), loc };
  }
  ctx.issue('extends must be a service name or a mapping', n);
  return null;
}

function longSyntax(ctx: Ctx, n: YNode | null, render: (get: (k: string) => string | null) => string | null): { value: string; loc: Location }[] {
  if (!isSeq(n)) return n === null ? [] : stringList(ctx, n, 'value');
  const out: { value: string; loc: Location }[] = [];
  for (const item of n.items) {
    const it = ctx.resolve(item);
    if (isScalar(it)) {
      const v = valueAt(ctx, it);
      if (v) out.push(v);
    } else if (isMap(it)) {
      const es = entries(ctx, it);
      const v = render((k) => scalarString(ctx, get(es, k)?.value ?? null));
      if (v !== null) out.push({ value: v, loc: ctx.nodeLoc(it) });
    }
  }
  return out;
}

function names(ctx: Ctx, n: YNode | null): string[] {
  if (n === null) return [];
  if (isMap(n)) return entries(ctx, n).map((e) => e.key);
  if (isSeq(n)) return n.items.map((x) => scalarString(ctx, ctx.resolve(x))).filter((x): x is string => x !== null);
  const s = scalarString(ctx, n);
  return s === null ? [] : [s];
}

function service(ctx: Ctx, e: Entry): ComposeService | null {
  const n = e.value;
  if (!isMap(n)) {
    // `web: !reset` in an override file removes a service: valid compose.
    if (n && isScalar(n) && n.tag === '!reset') return null;
    ctx.issue(`service '${e.key}' must be a mapping`, isScalar(n) && n.value === null ? e.keyNode : (n ?? e.keyNode));
    return null;
  }
  const es = entries(ctx, n);
  const v = (k: string) => get(es, k)?.value ?? null;
  const start = e.keyNode.range?.[0] ?? 0;
  const end = n.range?.[1] ?? start;
  return {
    name: e.key,
    nameLoc: ctx.nodeLoc(e.keyNode),
    loc: ctx.loc(start, end),
    build: build(ctx, v('build')),
    image: valueAt(ctx, v('image')),
    command: command(ctx, get(es, 'command'), 'command'),
    entrypoint: command(ctx, get(es, 'entrypoint'), 'entrypoint'),
    environment: environment(ctx, v('environment')),
    envFiles: stringList(ctx, v('env_file'), 'env_file'),
    extends: extendsOf(ctx, v('extends')),
    profiles: names(ctx, v('profiles')),
    ports: longSyntax(ctx, v('ports'), (g) => {
      const target = g('target');
      if (target === null) return null;
      const proto = g('protocol');
      return [g('host_ip'), g('published'), target].filter((x) => x !== null).join(':') + (proto ? `/${proto}` : '');
    }),
    volumes: longSyntax(ctx, v('volumes'), (g) => {
      const target = g('target');
      if (target === null) return null;
      const source = g('source');
      return source !== null ? `${source}:${target}` : target;
    }),
    workingDir: valueAt(ctx, v('working_dir')),
    restart: valueAt(ctx, v('restart')),
    dependsOn: names(ctx, v('depends_on')),
  };
}

/** Keys only a service has: a top-level mapping whose values carry them is a version 1 file. */
const V1_SERVICE_KEYS = new Set(['image', 'build', 'command', 'entrypoint', 'links', 'ports', 'volumes', 'environment', 'expose', 'restart']);

/**
 * The version 1 format (Compose before 1.6): services at the top level, no `services:`,
 * `version:`, `volumes:` or `networks:` keys. Every top-level value must be a service mapping
 * with `image:` or `build:` (or another service key), so that no other YAML file passes.
 */
function isVersion1(ctx: Ctx, top: Entry[]): boolean {
  if (top.length === 0 || top.some((e) => e.key === 'version' || e.key === 'networks' || e.key.startsWith('x-'))) return false;
  let withImage = 0;
  for (const e of top) {
    if (!isMap(e.value)) return false;
    const keys = entries(ctx, e.value).map((x) => x.key);
    if (!keys.some((k) => V1_SERVICE_KEYS.has(k))) return false;
    if (keys.includes('image') || keys.includes('build')) withImage++;
  }
  return withImage > 0;
}

const MAX_YAML_ERRORS = 20;

export function parseCompose(text: string, file: string): ComposeResult {
  const issues: ParseIssue[] = [];
  const result: ComposeResult = { services: [], issues, isCompose: false };
  const lc = new LineCounter();
  const over = overParseLimit('yaml', text);
  if (over !== null) {
    issues.push({ message: `${file} is ${over}`, loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
    return result;
  }
  try {
    const docs = parseYamlBounded(text, { merge: true, prettyErrors: false });
    textLineCounter(text, lc);
    const list = Array.isArray(docs) ? docs : [docs];
    const dummy = new Ctx(list[0] as Document.Parsed, text, lc, file, issues);
    const errors = list.flatMap((d) => d.errors);
    // The first errors say what is wrong; thousands of them (crafted input) would cost time for nothing.
    for (const err of errors.slice(0, MAX_YAML_ERRORS)) {
      const [a, b] = err.pos;
      const end = b > a ? b : Math.min(a + 1, text.length);
      issues.push({ message: `YAML syntax error: ${err.message.split('\n')[0]}`, loc: dummy.loc(a, end) });
    }
    if (errors.length > MAX_YAML_ERRORS) issues[issues.length - 1].message += ` (and ${errors.length - MAX_YAML_ERRORS} more YAML errors after it)`;
    for (const d of list) {
      const ctx = new Ctx(d as Document.Parsed, text, lc, file, issues);
      const root = ctx.resolve(d.contents);
      if (!isMap(root)) continue;
      const top = entries(ctx, root);
      const svc = get(top, 'services');
      const v1 = !svc && isVersion1(ctx, top);
      if (!v1 && (!svc || !isMap(svc.value))) continue;
      result.isCompose = true;
      result.version1 = v1;
      for (const e of v1 ? top : entries(ctx, svc!.value as YAMLMap)) {
        const s = service(ctx, e);
        if (s) result.services.push(s);
      }
      break; // compose reads one document
    }
  } catch (e) {
    issues.push({ message: `could not parse YAML: ${e instanceof Error ? e.message : String(e)}`, loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
  }
  return result;
}
