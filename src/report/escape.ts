/**
 * Escaping of text taken from the scanned repository (file names, commands, messages quoting
 * them) before it reaches a place that interprets it:
 *
 * - the runner's log (stdout/stderr): the runner reads a line whose trimmed start is `::` as a
 *   workflow command, and a `##[name ...]` anywhere in a line as a legacy command (see
 *   actions/runner `ActionCommand.TryParseV2`/`TryParse`);
 * - the data and properties of our own workflow commands (annotations);
 * - the Markdown job summary (GitHub-flavoured Markdown with inline HTML);
 * - JSON printed to stdout.
 *
 * `escapeLog` is the ONE function every other repo-derived string goes through before it is
 * printed; every reporter that writes lines for a terminal or the runner's log uses it.
 */

// ---------------------------------------------------------------------------------------------
// Workflow commands (same escaping as @actions/core and the runner's unescaping)
// ---------------------------------------------------------------------------------------------

/**
 * Controls the runner's protocol does not encode: C0 but TAB, CR and LF (those it encodes), DEL,
 * the C1 range, the Unicode line and paragraph separators and the bidirectional controls
 * ("Trojan Source"). Raw, they reach the log: a terminal reads ESC/CSI as escape sequences, BEL
 * rings, NUL truncates. They are shown instead, as the Unicode control pictures (`␛`, `␇`, `␀`)
 * for C0 and DEL, and as `\uXXXX` text for the others.
 */
const RAW_CONTROLS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function controlPicture(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return '\u2421';
  return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `s` with every control the runner does not encode shown as a visible character (see RAW_CONTROLS). */
export function visibleControls(s: string): string {
  return wellFormed(s).replace(RAW_CONTROLS, controlPicture);
}

/**
 * `s` with every lone surrogate (ill-formed UTF-16, which a file name can hold on Linux once read
 * as text) replaced by U+FFFD: `encodeURIComponent` throws on them, and UTF-8 output cannot
 * carry them.
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escape the data part of a workflow command (`::error ...::DATA`): what the runner unescapes
 * (`%`, CR, LF) is encoded; other controls are shown (`visibleControls`).
 */
export function escapeData(s: string): string {
  return visibleControls(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value of a workflow command (`::error file=VALUE,...::`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// ---------------------------------------------------------------------------------------------
// Log lines
// ---------------------------------------------------------------------------------------------

/**
 * Characters that must not reach a log line raw: every line break the runner or a terminal
 * honours (CR, LF and the other C0 controls except TAB, DEL, the C1 range including NEL), the
 * Unicode line/paragraph separators, bidirectional overrides ("Trojan Source") and the BOM.
 * `%` is escaped as well so that an escaped text is unambiguous.
 */
const UNSAFE_CHARS = /[%\x00-\x08\x0A-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** The same without `%`: Markdown shows a file name's `%` as it is (nothing decodes it there). */
const UNSAFE_CHARS_MD = /[\x00-\x08\x0A-\x1F\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

function percent(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Make repo-derived text safe to print on one log line (stdout or stderr of the action or the
 * CLI). The result:
 * - contains no line break or other control character (they become `%0A`, `%1B`, ...), so it
 *   can never start a line of its own;
 * - contains no `::` and neither starts nor ends with `:` (ignoring whitespace), so neither the
 *   text nor the text glued to our own `file:line` punctuation can open a workflow command;
 * - contains no `#[` and does not end with `#`, so no legacy `##[command]` can appear.
 * Everything else (including non-ASCII text) is kept as is, so messages stay readable.
 */
export function escapeLog(s: string): string {
  return wellFormed(s)
    .replace(UNSAFE_CHARS, percent)
    .replace(/::/g, ':%3A')
    .replace(/^(\s*):/u, '$1%3A')
    .replace(/:(\s*)$/u, '%3A$1')
    .replace(/#(?=\[)/g, '%23')
    .replace(/#(\s*)$/u, '%23$1');
}

/**
 * JSON for stdout: `JSON.stringify` already escapes line breaks inside strings, so every line
 * of the output starts with our own punctuation; a legacy `##[command]` inside a string is
 * broken up by writing `#` as `\u0023` (still the same JSON value).
 */
export function jsonForLog(value: unknown): string {
  // JSON.stringify escapes C0 controls and lone surrogates, not DEL, C1 or the bidirectional
  // controls: written as `\uXXXX` too (the same JSON value), so no raw control reaches a terminal.
  return JSON.stringify(value, null, 2)
    .replace(/#(?=\[)/g, '\\u0023')
    .replace(/[\x7F-\x9F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Markdown (job summary)
// ---------------------------------------------------------------------------------------------

/**
 * Characters written as numeric entities in Markdown: HTML (`< > & " '`), Markdown syntax
 * (emphasis, code spans, links, headings, lists, tables, strikethrough, footnotes, math `$`),
 * and what GitHub decorates (`:emoji:` shortcodes, `@mentions`, `scheme://` autolinks).
 * An entity is never read as syntax, also splits no table cell, and renders as the character.
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-!|~$&"':@^=]/g;

/**
 * Make repo-derived text inert in GitHub-flavoured Markdown, including table cells and inline
 * HTML such as `<code>…</code>`: controls and line breaks are shown as `%0A` etc. (as in the
 * log), syntax characters become entities, and very long strings are clipped.
 */
export function escapeMarkdown(s: string, max = 500): string {
  return wellFormed(clip(s, max))
    .replace(UNSAFE_CHARS_MD, percent)
    .replace(MARKDOWN_SPECIAL, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Repo-derived text as inline code in Markdown (safe in tables). */
export function mdCode(s: string, max = 500): string {
  return `<code>${escapeMarkdown(s, max)}</code>`;
}

/**
 * Shorten `s` to at most `max` characters (code points kept whole), marking the cut with `…`.
 * `utf16`: count UTF-16 code units instead, for limits an API counts that way (GitHub's check
 * runs); a surrogate pair at the cut is dropped whole.
 */
export function clip(s: string, max: number, count: 'codepoints' | 'utf16' = 'codepoints'): string {
  if (s.length <= max) return s;
  if (count === 'utf16') {
    let cut = Math.max(0, max - 1);
    const c = s.charCodeAt(cut - 1);
    if (cut > 0 && c >= 0xd800 && c <= 0xdbff) cut--;
    return s.slice(0, cut) + '…';
  }
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
