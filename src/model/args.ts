/**
 * Arguments as the model sees them: the word as written (for positions) and its value once
 * variables known at that point are substituted (null when it cannot be known statically).
 */
import type { Location, Word, WordPart } from './types.js';

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
    case 'cmd':
      return { value: null, text: `$(${p.text})` };
    case 'var': {
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
      out.push(...positional);
      continue;
    }
    const e = expand(w, withPositional(env, positional));
    out.push({ value: e.value, text: e.text, word: w });
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
