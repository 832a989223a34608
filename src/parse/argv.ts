/**
 * Argument vectors that are not shell scripts: Docker Compose `command:`/`entrypoint:` strings,
 * systemd `ExecStart=` values and JSON-array elements. Hand-written because each follows its own
 * small rule set (mattn/go-shellwords for Compose, systemd.service(5) for units), not a shell
 * grammar; positions are tracked per character so each Word gets an exact span.
 */
import { LineTable } from '../core/lines.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import type { Word, WordPart } from '../core/words.js';
import { registerSourceMap, type Base } from './shell.js';

export type { Base } from './shell.js';

type VarOp = NonNullable<Extract<WordPart, { kind: 'var' }>['op']>;
const VAR_OPS: VarOp[] = [':-', ':=', ':+', ':?', '-', '=', '+', '?'];
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

// ---------------------------------------------------------------------------------------------
// Positions inside `text`
// ---------------------------------------------------------------------------------------------

class Positions {
  private readonly lines: LineTable;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly base: Base,
  ) {
    this.lines = new LineTable(text);
  }

  at(off: number): { line: number; column: number } {
    return this.lines.pos(off, this.base);
  }

  loc(from: number, to: number): Location {
    // An issue "2 characters from here" near the end (`$(\`) must not reach past the text.
    from = Math.min(from, this.text.length);
    const s = this.at(from);
    const e = this.at(Math.max(from, Math.min(to, this.text.length)));
    return { file: this.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  issue(message: string, from: number, to: number): ParseIssue {
    return { message, loc: this.loc(from, Math.max(to, from)) };
  }

  slice(from: number, to: number): string {
    return this.text.slice(from, to);
  }
}

/** Builds one word: parts (adjacent literals merged) and, for literal characters, the span of the
 *  text each one came from. */
class WordBuilder {
  parts: WordPart[] = [];
  starts: number[] = [];
  ends: number[] = [];
  start = -1;
  end = -1;
  unquotedSeen = false;
  quotes = 0;
  private lastLit: { kind: 'lit'; text: string } | null = null;

  get started(): boolean {
    return this.start >= 0;
  }

  touch(from: number, to: number): void {
    if (this.start < 0) this.start = from;
    this.end = to;
  }

  lit(ch: string, from: number, to = from + 1): void {
    if (this.lastLit) this.lastLit.text += ch;
    else {
      this.lastLit = { kind: 'lit', text: ch };
      this.parts.push(this.lastLit);
    }
    for (let k = 0; k < ch.length; k++) {
      this.starts.push(from);
      this.ends.push(to);
    }
  }

  part(p: WordPart): void {
    this.parts.push(p);
    this.lastLit = null;
  }

  /** The literal text built so far ends with `s` (go-shellwords looks at its buffer). */
  endsWith(s: string): boolean {
    return this.lastLit !== null && this.lastLit.text.endsWith(s) && this.parts[this.parts.length - 1] === this.lastLit;
  }

  allDigits(): boolean {
    return this.parts.length === 1 && this.lastLit !== null && /^[0-9]+$/.test(this.lastLit.text) && this.quotes === 0;
  }

  build(pos: Positions): Word {
    const raw = pos.slice(this.start, this.end);
    const word: Word = {
      raw,
      parts: this.parts,
      quoted: !this.unquotedSeen && this.quotes === 1,
      loc: pos.loc(this.start, this.end),
    };
    if (this.parts.every((p) => p.kind === 'lit')) {
      registerSourceMap(
        word,
        this.starts.map((o) => o - this.start),
        this.ends.map((o) => o - this.start),
      );
    }
    return word;
  }
}

/** A compose-style `${…}` body starting at text[i] === '$' with text[i+1] === '{'. Returns the
 *  var part and the index after the closing brace, or null when unterminated. */
function braced(text: string, i: number, pos: Positions): { part: WordPart; end: number } | null {
  let depth = 0;
  let close = -1;
  for (let k = i + 2; k < text.length; k++) {
    if (text[k] === '$' && text[k + 1] === '{') {
      depth++;
      k++;
    } else if (text[k] === '}') {
      if (depth === 0) {
        close = k;
        break;
      }
      depth--;
    }
  }
  if (close < 0) return null;
  const body = text.slice(i + 2, close);
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body);
  if (!m) return { part: { kind: 'var', name: body }, end: close + 1 };
  const name = m[0];
  const rest = body.slice(name.length);
  if (!rest) return { part: { kind: 'var', name }, end: close + 1 };
  const op = VAR_OPS.find((o) => rest.startsWith(o));
  if (!op) return { part: { kind: 'var', name: body }, end: close + 1 };
  const argFrom = i + 2 + name.length + op.length;
  const arg = interpolatedWord(text, argFrom, close, pos);
  return { part: { kind: 'var', name, op, arg }, end: close + 1 };
}

/** The default/alternative of a compose `${VAR:-…}`: literal text with nested `$VAR`/`${…}`. */
function interpolatedWord(text: string, from: number, to: number, pos: Positions): Word {
  const b = new WordBuilder();
  b.touch(from, to);
  b.unquotedSeen = true;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      b.lit('$', i, i + 2);
      i++;
    } else if (c === '$' && text[i + 1] === '{') {
      const r = braced(text, i, pos);
      if (!r || r.end > to) {
        b.lit(c, i);
        continue;
      }
      b.part(r.part);
      i = r.end - 1;
    } else if (c === '$' && NAME_START.test(text[i + 1] ?? '')) {
      let k = i + 1;
      while (k < to && NAME_CHAR.test(text[k])) k++;
      b.part({ kind: 'var', name: text.slice(i + 1, k) });
      i = k - 1;
    } else b.lit(c, i);
  }
  return b.build(pos);
}

// ---------------------------------------------------------------------------------------------
// Docker Compose
// ---------------------------------------------------------------------------------------------

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Split a command string the way Docker Compose does for `command: "…"`. Compose (compose-go)
 *  interpolates `$VAR`, `${VAR}`, `${VAR:-default}` (and `-`, `:?`, `?`, `:+`, `+`) everywhere,
 *  quotes included, with `$$` for a literal `$`: those become var parts. It then splits with
 *  mattn/go-shellwords: whitespace, '…' (literal), "…", backslash escapes (`\t`, `\n` become tab
 *  and newline) outside single quotes, backquotes and `$(…)` kept verbatim. No shell runs: an
 *  unquoted `;`, `&`, `|`, `<` or `>` ends the command there (go-shellwords drops the rest), which
 *  is returned as `error` with the words read so far; so are unterminated quotes and stray
 *  parentheses. */
export function splitShellWords(text: string, file: string, base: Base): { words: Word[]; error?: ParseIssue } {
  const pos = new Positions(text, file, base);
  const words: Word[] = [];
  let b = new WordBuilder();
  let sq = false;
  let dq = false;
  let bq = false;
  let dol = false;
  let escaped = -1; // index of the pending backslash
  let quoteAt = -1;
  let error: ParseIssue | undefined;
  const finish = () => {
    if (b.started) words.push(b.build(pos));
    b = new WordBuilder();
  };
  const inQuotes = () => sq || dq;

  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    // Compose interpolation happens before any splitting, whatever the quoting.
    // A backslash before it then applies to the first character of the value: dropped here.
    if (c === '$') {
      const n = text[i + 1];
      const from = escaped >= 0 ? escaped : i;
      let end = -1;
      if (n === '$') {
        b.touch(from, i + 2);
        b.lit('$', from, i + 2);
        end = i + 2;
      } else if (n === '{') {
        const r = braced(text, i, pos);
        if (r) {
          b.touch(from, r.end);
          b.part(r.part);
          end = r.end;
        }
      } else if (n !== undefined && NAME_START.test(n)) {
        let k = i + 1;
        while (k < text.length && NAME_CHAR.test(text[k])) k++;
        b.touch(from, k);
        b.part({ kind: 'var', name: text.slice(i + 1, k) });
        end = k;
      }
      if (end >= 0) {
        if (!inQuotes()) b.unquotedSeen = true;
        escaped = -1;
        i = end - 1;
        continue;
      }
    }
    if (escaped >= 0) {
      b.touch(escaped, i + 1);
      if (!inQuotes()) b.unquotedSeen = true;
      if (bq || dol) {
        b.lit('\\', escaped);
        b.lit(c, i);
      } else b.lit(c === 't' ? '\t' : c === 'n' ? '\n' : c, escaped, i + 1);
      escaped = -1;
      continue;
    }
    if (c === '\\') {
      if (sq) {
        b.touch(i, i + 1);
        b.lit(c, i);
      } else escaped = i;
      continue;
    }
    if (isSpace(c)) {
      if (sq || dq || bq || dol) {
        b.touch(i, i + 1);
        b.lit(c, i);
      } else finish();
      continue;
    }
    if (c === '"' && !sq && !dol && !bq) {
      b.touch(i, i + 1);
      if (!dq) {
        b.quotes++;
        quoteAt = i;
      }
      dq = !dq;
      continue;
    }
    if (c === "'" && !dq && !dol && !bq) {
      b.touch(i, i + 1);
      if (!sq) {
        b.quotes++;
        quoteAt = i;
      }
      sq = !sq;
      continue;
    }
    if (!inQuotes() && !bq) {
      if (c === '(') {
        if (!dol && b.endsWith('$')) {
          dol = true;
          quoteAt = i - 1;
        } else {
          error = pos.issue("unexpected '(' in a Compose command string (it is not run by a shell)", i, i + 1);
          break;
        }
      } else if (c === ')') {
        if (!dol) {
          error = pos.issue("unexpected ')' in a Compose command string (it is not run by a shell)", i, i + 1);
          break;
        }
        dol = false;
      }
    }
    if (c === '`' && !inQuotes() && !dol) {
      if (!bq) quoteAt = i;
      bq = !bq;
    }
    if ((c === ';' || c === '&' || c === '|' || c === '<' || c === '>') && !(inQuotes() || bq || dol)) {
      let from = i;
      if (c === '>' && b.allDigits()) {
        from = b.start; // `2>file`: the descriptor is not a word
        b = new WordBuilder();
      }
      let to = i + 1;
      while (to < text.length && ';&|<>'.includes(text[to])) to++;
      const op = text.slice(i, to);
      error = pos.issue(
        `Compose does not run this command through a shell: it stops at '${op}' and the rest is ignored; use ["sh", "-c", "…"]`,
        from,
        to,
      );
      break;
    }
    b.touch(i, i + 1);
    if (!inQuotes()) b.unquotedSeen = true;
    b.lit(c, i);
  }
  if (!error && (escaped >= 0 || sq || dq || bq || dol)) {
    const what = escaped >= 0 ? 'a trailing backslash' : sq ? "an unterminated ' quote" : dq ? 'an unterminated " quote' : bq ? 'an unterminated backquote' : "an unterminated '$('";
    const at = escaped >= 0 ? escaped : quoteAt;
    error = pos.issue(`Compose cannot split this command: ${what}`, at, at + (dol ? 2 : 1));
  }
  finish();
  return error ? { words, error } : { words };
}

// ---------------------------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------------------------

const C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  s: ' ',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Split a systemd ExecStart= value per systemd.service(5): whitespace-separated words, "…" and
 *  '…' quotes, C-style backslash escapes (unknown ones kept), backslash-newline as a space. Then,
 *  per word: `${VAR}` anywhere is a var part (one word), a word that is exactly `$VAR` is a var
 *  part (the value is word-split at run time), `$$` is a literal `$`, any other `$` is literal;
 *  `%` specifiers are kept literally. Leading prefixes (`-`, `@`, `+`, `!`, `!!`, `:`) are returned
 *  separately. A lone `;` (several commands, Type=oneshot) ends the first command: the rest is
 *  reported in `error` and not returned. */
export function splitSystemdCommand(
  text: string,
  file: string,
  base: Base,
): { prefixes: string; words: Word[]; error?: ParseIssue } {
  const pos = new Positions(text, file, base);
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  let prefixes = '';
  while (i < text.length && '-@:+!'.includes(text[i])) prefixes += text[i++];

  const words: Word[] = [];
  let error: ParseIssue | undefined;
  while (i < text.length) {
    while (i < text.length && (isSpace(text[i]) || continuation(text, i) > 0)) i += continuation(text, i) || 1;
    if (i >= text.length) break;
    const start = i;
    const chars: Decoded = { value: '', starts: [], ends: [] };
    const push = (ch: string, from: number, to: number) => {
      chars.value += ch;
      for (let k = 0; k < ch.length; k++) {
        chars.starts.push(from);
        chars.ends.push(to);
      }
    };
    let quote = '';
    let quoteAt = -1;
    let quotes = 0;
    let unquoted = false;
    let escapedSemicolon = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (!quote && isSpace(c)) break;
      if (c === '\\') {
        const cont = continuation(text, i);
        if (cont > 0) {
          if (!quote) break; // the unit parser joins continued lines with a space
          push(' ', i, i + cont);
          i += cont - 1;
          continue;
        }
        const [ch, len] = cUnescape(text, i);
        if (ch === ';' && len === 2) escapedSemicolon = true;
        if (!quote) unquoted = true;
        push(ch, i, i + len);
        i += len - 1;
        continue;
      }
      if (quote) {
        if (c === quote) {
          quote = '';
          continue;
        }
      } else if (c === '"' || c === "'") {
        quote = c;
        quoteAt = i;
        quotes++;
        continue;
      } else unquoted = true;
      push(c, i, i + 1);
    }
    if (quote) error ??= pos.issue(`unterminated ${quote} quote in this command line`, quoteAt, quoteAt + 1);
    if (chars.value === ';' && unquoted && quotes === 0 && !escapedSemicolon) {
      error ??= pos.issue("several commands separated by ';': only the first one is read", start, start + 1);
      break;
    }
    words.push(systemdWord(chars, start, i, quotes === 1 && !unquoted, pos));
  }
  return error ? { prefixes, words, error } : { prefixes, words };
}

interface Decoded {
  value: string;
  starts: number[];
  ends: number[];
}

/** Length of a backslash-newline at text[i] (2 or 3 with CRLF), else 0. */
function continuation(text: string, i: number): number {
  if (text[i] !== '\\') return 0;
  if (text[i + 1] === '\n') return 2;
  return text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 0;
}

/** A C-style escape at text[i] === '\\' as systemd reads it: [decoded, source length]. */
function cUnescape(text: string, i: number): [string, number] {
  const n = text[i + 1];
  if (n === undefined) return ['\\', 1];
  if (n in C_ESCAPES) return [C_ESCAPES[n], 2];
  const rest = text.slice(i + 1, i + 10);
  let m: RegExpExecArray | null;
  if ((m = /^x([0-9a-fA-F]{2})/.exec(rest))) return [String.fromCharCode(parseInt(m[1], 16)), 4];
  if ((m = /^u([0-9a-fA-F]{4})/.exec(rest)) || (m = /^U([0-9a-fA-F]{8})/.exec(rest))) {
    const cp = parseInt(m[1], 16);
    return [cp <= 0x10ffff ? String.fromCodePoint(cp) : '', 1 + m[0].length];
  }
  if ((m = /^[0-7]{3}/.exec(rest))) return [String.fromCharCode(parseInt(m[0], 8) & 0xff), 4];
  if (n === ';') return [';', 2];
  return ['\\' + n, 2]; // systemd keeps unknown escapes (EXTRACT_CUNESCAPE_RELAX)
}

/** Variables in one systemd argument (already unquoted and unescaped). */
function systemdWord(chars: Decoded, from: number, to: number, quoted: boolean, pos: Positions): Word {
  const { value, starts, ends } = chars;
  const raw = pos.slice(from, to);
  const loc = pos.loc(from, to);
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    return { raw, parts: [{ kind: 'var', name: value.slice(1) }], quoted, loc };
  }
  const parts: WordPart[] = [];
  const map: { starts: number[]; ends: number[] } = { starts: [], ends: [] };
  let lit = '';
  const add = (ch: string, a: number, b: number) => {
    lit += ch;
    map.starts.push(a - from);
    map.ends.push(b - from);
  };
  const flush = () => {
    if (lit) parts.push({ kind: 'lit', text: lit });
    lit = '';
  };
  for (let k = 0; k < value.length; k++) {
    const c = value[k];
    const close = c === '$' && value[k + 1] === '{' ? value.indexOf('}', k + 2) : -1;
    if (c === '$' && value[k + 1] === '$') {
      add('$', starts[k], ends[k + 1]);
      k++;
    } else if (close > 0) {
      flush();
      parts.push({ kind: 'var', name: value.slice(k + 2, close) });
      k = close;
    } else add(c, starts[k], ends[k]);
  }
  flush();
  const word: Word = { raw, parts, quoted, loc };
  if (parts.every((p) => p.kind === 'lit')) registerSourceMap(word, map.starts, map.ends);
  return word;
}

// ---------------------------------------------------------------------------------------------
// JSON arrays
// ---------------------------------------------------------------------------------------------

/** Build a Word from a JSON-array element (Dockerfile exec form / compose list) with a known
 *  location. When `loc` spans exactly the value on one line, `raw` is the value; otherwise it is
 *  the value as a JSON string (the element as written in exec form). Never split nor expanded. */
export function literalWord(value: string, loc: Location): Word {
  const bare = loc.line === loc.endLine && loc.endColumn - loc.column === value.length;
  const raw = bare ? value : JSON.stringify(value);
  return { raw, parts: value ? [{ kind: 'lit', text: value }] : [], quoted: !bare, loc };
}

/**
 * For each `{` in `s`, the index of its matching `}` (or -1): one linear pass. Shared by the
 * `${VAR}` readers of compose values and Dockerfile instructions.
 */
export function matchBraces(s: string): Int32Array {
  const match = new Int32Array(s.length).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '{') stack.push(k);
    else if (s[k] === '}' && stack.length > 0) match[stack.pop()!] = k;
  }
  return match;
}
