/**
 * Arguments as the model sees them: the word as written (for positions) and its value once
 * variables known at that point are substituted (null when it cannot be known statically).
 */
import type { Location } from '../core/location.js';
import type { ParamSlice, Word, WordPart } from '../core/words.js';

export interface Arg {
  /** The value after quote removal and known-variable expansion; null when unknown. */
  value: string | null;
  /** Best-effort text: like `value`, with unknown parts kept as written (`0.0.0.0:${PORT}`). */
  text: string;
  word: Word;
}

/** Variables known at a point of a process: null means "set, value unknown". */
export type Env = Record<string, string | null>;

/** Substitute known variables into a word (docs/architecture.md, "Chain resolver": `${VAR:-default}` and friends). */
export function expand(word: Word, env: Env): { value: string | null; text: string } {
  let value: string | null = '';
  let text = '';
  for (const p of word.parts) {
    const r = expandPart(p, env);
    text += r.text;
    value = value === null || r.value === null ? null : value + r.value;
  }
  return { value, text };
}

function expandPart(p: WordPart, env: Env): { value: string | null; text: string } {
  switch (p.kind) {
    case 'lit':
      return { value: p.text, text: p.text };
    case 'glob':
      return { value: null, text: p.text };
    case 'cmd': {
      // `$(which gunicorn)`, `$(command -v app)`: the program's path, run like its name.
      const inner = /^\$\(([^]*)\)$/.exec(p.text)?.[1] ?? /^`([^]*)`$/.exec(p.text)?.[1] ?? p.text;
      const m = /^\s*(?:which|command\s+-v|type\s+-p)\s+([A-Za-z0-9_.+-]+)\s*$/.exec(inner);
      if (m) return { value: m[1], text: m[1] };
      return { value: null, text: `$(${p.text})` };
    }
    case 'var': {
      if (p.slice) {
        const list = sliceOf(p.slice, env, null);
        if (list === null) return { value: null, text: `\${@:${p.slice.offset}}` };
        return { value: list.join(' '), text: list.join(' ') };
      }
      const has = Object.prototype.hasOwnProperty.call(env, p.name);
      const v = has ? env[p.name] : undefined;
      const shown = `\${${p.name}}`;
      const arg = p.arg ? expand(p.arg, env) : { value: '', text: '' };
      switch (p.op) {
        case ':-':
        case ':=':
          if (v === undefined || v === '') return arg.value !== null ? arg : { value: null, text: arg.text };
          return v === null ? { value: null, text: shown } : { value: v, text: v };
        case '-':
        case '=':
          if (v === undefined) return arg;
          return v === null ? { value: null, text: shown } : { value: v, text: v };
        case ':+':
        case '+':
          if (v === undefined || (p.op === ':+' && v === '')) return { value: '', text: '' };
          return v === null ? { value: null, text: shown } : arg;
        default:
          if (v === undefined || v === null) return { value: null, text: shown };
          return { value: v, text: v };
      }
    }
  }
}

/** Expand the words of a command into args; `"$@"` splices the positional parameters. */
export function expandArgs(words: Word[], env: Env, positional: Arg[] | null): Arg[] | { unknownSplice: Word } {
  const out: Arg[] = [];
  for (const w of words) {
    const only = w.parts.length === 1 ? w.parts[0] : null;
    if (only && only.kind === 'var' && (only.name === '@' || only.name === '*') && !only.op) {
      if (positional === null) return { unknownSplice: w };
      if (only.slice) {
        const from = sliceBounds(only.slice, withPositional(env, positional), positional.length);
        if (from === null) return { unknownSplice: w };
        out.push(...positional.slice(from[0], from[1]));
        continue;
      }
      out.push(...positional);
      continue;
    }
    const e = expand(w, withPositional(env, positional));
    // An unquoted expansion is split into fields at blanks (`cmd="gunicorn app"; exec $cmd`), and
    // vanishes when empty; literal text holds no blanks unless quoted, and then it is not split.
    if (!w.quoted && e.value !== null && w.parts.some((p) => p.kind === 'var') && w.parts.every((p) => p.kind !== 'lit' || !/\s/.test(p.text))) {
      const fields = e.value.split(/[ \t\n]+/).filter((f) => f !== '');
      if (fields.length !== 1) {
        // Each field keeps the word's span; its text is the field's (for messages).
        for (const f of fields) out.push({ value: f, text: f, word: { raw: f, parts: [{ kind: 'lit', text: f }], quoted: false, loc: w.loc } });
        continue;
      }
    }
    out.push({ value: e.value, text: e.text, word: w });
  }
  return out;
}

/** The value of a word in an assignment or a test: no splicing, no field splitting (`cmd="$*"`). */
export function expandValue(word: Word, env: Env, positional: Arg[] | null): { value: string | null; text: string } {
  return expand(word, withPositional(env, positional));
}

/** `[start, end)` indexes into the positional parameters for `${@:offset:length}`; null when unknown. */
function sliceBounds(slice: ParamSlice, env: Env, count: number): [number, number] | null {
  const num = (s: string): number | null => {
    const m = /^\$?\{?([A-Za-z_][A-Za-z0-9_]*|[0-9#])\}?$/.exec(s.trim());
    const v = /^-?\d+$/.test(s.trim()) ? s.trim() : m ? env[m[1]] : null;
    return v != null && /^-?\d+$/.test(v) ? Number(v) : null;
  };
  const off = num(slice.offset);
  if (off === null || off === 0) return null; // `${@:0}` starts with the script's own name
  const start = off > 0 ? off - 1 : Math.max(0, count + off);
  if (slice.length === undefined) return [start, count];
  const len = num(slice.length);
  if (len === null || len < 0) return null;
  return [start, start + len];
}

/** The positional parameters a slice selects, as values (null when any is unknown). */
function sliceOf(slice: ParamSlice, env: Env, _positional: null): string[] | null {
  const count = env['#'] != null ? Number(env['#']) : NaN;
  if (!Number.isFinite(count)) return null;
  const b = sliceBounds(slice, env, count);
  if (b === null) return null;
  const out: string[] = [];
  for (let i = b[0]; i < Math.min(b[1], count); i++) {
    const v = env[String(i + 1)];
    if (v == null) return null;
    out.push(v);
  }
  return out;
}

function withPositional(env: Env, positional: Arg[] | null): Env {
  if (!positional) return env;
  const e: Env = { ...env };
  positional.forEach((a, i) => {
    e[String(i + 1)] = a.value;
  });
  e['#'] = String(positional.length);
  // `"$*"` and `$@` inside a longer word join the parameters with spaces.
  const all = positional.every((a) => a.value !== null) ? positional.map((a) => a.value!).join(' ') : null;
  e['@'] = all;
  e['*'] = all;
  return e;
}

/** An Arg for a literal value (a JSON-array element, a config value). */
export function literalArg(word: Word): Arg {
  const v = word.parts.map((p) => (p.kind === 'lit' ? p.text : '')).join('');
  return { value: v, text: v, word };
}

/** Basename of a command path: `/venv/bin/gunicorn` → `gunicorn`. */
export function commandBase(value: string | null): string | null {
  if (value === null) return null;
  const i = value.lastIndexOf('/');
  return i >= 0 ? value.slice(i + 1) : value;
}

/** A span covering several args (for findings on a whole command or argument range). */
export function spanOf(args: Arg[]): Location {
  return spanOfWords(args.map((a) => a.word));
}

/** A span from the first word's start to the last word's end. */
export function spanOfWords(words: Word[]): Location {
  const first = words[0].loc;
  const last = words[words.length - 1].loc;
  return { file: first.file, line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
}

/** `python`, `python3`, `python3.12`, `/usr/local/bin/python3` ... */
export function isPython(value: string | null): boolean {
  const b = commandBase(value);
  return b !== null && /^python(\d+(\.\d+)?)?$/.test(b);
}

/** A shell: `sh`, `bash`, `/bin/sh`, `dash`, `ash`, `zsh`. */
export function isShell(value: string | null): boolean {
  const b = commandBase(value);
  return b !== null && /^(sh|bash|dash|ash|zsh|ksh)$/.test(b);
}

/** Option `--name=value` or `--name value` / `-n value` lookup helpers for argument lists. */
export function optionValue(
  args: Arg[],
  i: number,
  names: readonly string[],
): { value: string | null; loc: Location; consumed: number } | null {
  const a = args[i].value;
  if (a === null) return null;
  for (const n of names) {
    if (a === n) {
      const next = args[i + 1];
      if (!next) return { value: null, loc: args[i].word.loc, consumed: 1 };
      return { value: next.value, loc: next.word.loc, consumed: 2 };
    }
    if (n.startsWith('--') && a.startsWith(n + '=')) {
      return { value: a.slice(n.length + 1), loc: args[i].word.loc, consumed: 1 };
    }
    // Short options glued to their value: `-b0.0.0.0:8000`, `-kuvicorn.workers.UvicornWorker`.
    if (/^-[A-Za-z]$/.test(n) && a.startsWith(n) && a.length > 2) {
      return { value: a.slice(2), loc: args[i].word.loc, consumed: 1 };
    }
  }
  return null;
}
