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

/** Escape the data part of a workflow command (`::error ...::DATA`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
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
  return s
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
  return JSON.stringify(value, null, 2).replace(/#(?=\[)/g, '\\u0023');
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
  return clip(s, max)
    .replace(UNSAFE_CHARS_MD, percent)
    .replace(MARKDOWN_SPECIAL, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Repo-derived text as inline code in Markdown (safe in tables). */
export function mdCode(s: string, max = 500): string {
  return `<code>${escapeMarkdown(s, max)}</code>`;
}

/** Shorten `s` to at most `max` characters (code points kept whole), marking the cut with `…`. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
