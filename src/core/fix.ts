/**
 * Fixes as data (docs/architecture.md, "Rules"): a rule's report may carry a fix, a title and
 * text edits with a safety, like ruff's `Fix` and ESLint's `fix`. The CLI's `--fix` applies
 * them (src/adapters/apply-fixes.ts), the GitHub adapter renders those on changed lines as
 * suggestions, the JSON and SARIF reports list them. This file is pure: no I/O.
 */

/**
 * `safe`: the meaning of the deployment does not change (adding `--noinput` to collectstatic).
 * `unsafe`: it changes what runs (gunicorn in place of runserver): applied only with
 * `--unsafe-fixes`, and always shown for review.
 */
export type FixSafety = 'safe' | 'unsafe' | 'display-only';

/** 1-based line and column (column in UTF-16 code units, as the rest of the locations). */
export interface TextPosition {
  line: number;
  column: number;
}

/** Replace `range` (end exclusive) of `file` by `text`; an empty range inserts. */
export interface TextEdit {
  /** Path relative to the scanned root, `/`-separated (as Finding.file). */
  file: string;
  range: { start: TextPosition; end: TextPosition };
  text: string;
}

export interface Fix {
  /** What the fix does, one line: `Replace runserver with gunicorn`. */
  title: string;
  safety: FixSafety;
  /** Applied together or not at all; never overlapping each other. */
  edits: TextEdit[];
}

/** Whether a fix of `safety` is applied when unsafe fixes are (or are not) asked for. */
export function applicable(safety: FixSafety, unsafe: boolean): boolean {
  return safety === 'safe' || unsafe;
}

/** Two spans overlap when they share a character, or are two insertions at one point (their order is unknown). */
function overlaps(a: { start: number; end: number }, b: [number, number]): boolean {
  if (a.start < b[1] && b[0] < a.end) return true;
  return a.start === a.end && b[0] === b[1] && a.start === b[0];
}

/** Offset in `text` of a 1-based position, or null when it is not in the text. */
export function offsetOf(text: string, pos: TextPosition): number | null {
  if (!(pos.line >= 1) || !(pos.column >= 1)) return null;
  let at = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return null;
    at = nl + 1;
  }
  const eol = text.indexOf('\n', at);
  const lineEnd = eol < 0 ? text.length : eol;
  const off = at + pos.column - 1;
  // Up to the end of the line (a column just past the last character inserts there).
  return off <= lineEnd ? off : null;
}

/**
 * Applies to `text` (the content of one file) the fixes whose edits all fall in it, in order,
 * skipping a fix that overlaps one applied before it (it is tried again on the next pass, when
 * the findings are computed anew). Returns the new text and which fixes were applied.
 */
export function applyFixes<T extends { fix: Fix }>(text: string, file: string, items: T[]): { text: string; applied: T[] } {
  const taken: [number, number][] = [];
  const chosen: { item: T; spans: { start: number; end: number; text: string }[] }[] = [];
  for (const item of items) {
    const spans: { start: number; end: number; text: string }[] = [];
    let ok = item.fix.edits.length > 0;
    for (const e of item.fix.edits) {
      if (e.file !== file) {
        ok = false;
        break;
      }
      const start = offsetOf(text, e.range.start);
      const end = offsetOf(text, e.range.end);
      if (start === null || end === null || end < start) {
        ok = false;
        break;
      }
      spans.push({ start, end, text: e.text });
    }
    if (!ok) continue;
    const mine: [number, number][] = [];
    let clash = false;
    for (const s of spans) {
      if ([...taken, ...mine].some((t) => overlaps(s, t))) clash = true;
      mine.push([s.start, s.end]);
    }
    if (clash) continue;
    taken.push(...mine);
    chosen.push({ item, spans });
  }
  const all = chosen.flatMap((c) => c.spans).sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of all) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return { text: out, applied: chosen.map((c) => c.item) };
}
