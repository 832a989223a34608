/**
 * The line table (docs/architecture.md, "Layers": core): from an offset in a text to a 1-based
 * line and column, and the small position helpers the readers share.
 */
import type { Location } from './location.js';

/**
 * Where each line of a text starts. `breaks: 'lf'` splits at `\n` only (a `\r` before it stays
 * part of the line, as the shell and YAML positions count it); `'any'` also at a lone `\r`, with
 * `\r\n` as one break (as dockerfile-ast's TextDocument counts lines).
 */
export class LineTable {
  readonly starts: number[] = [0];

  constructor(text: string, breaks: 'lf' | 'any' = 'lf') {
    if (breaks === 'lf') {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10) this.starts.push(i + 1);
    }
  }

  /** The row found last: lookups mostly go forward, so the next one usually sits there or next. */
  private last = 0;

  /** The 0-based row that holds `offset` (the last row for an offset past the end). */
  row(offset: number): number {
    const s = this.starts;
    const r = this.last;
    if (s[r] <= offset && (r + 1 === s.length || offset < s[r + 1])) return r;
    if (r + 1 < s.length && s[r + 1] <= offset && (r + 2 === s.length || offset < s[r + 2])) return (this.last = r + 1);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /**
   * 1-based line and column of `offset`. With `base` (where the text itself starts in a file), the
   * first row is shifted by the base column and every row by the base line.
   */
  pos(offset: number, base: { line: number; column: number } = { line: 1, column: 1 }): { line: number; column: number } {
    const row = this.row(offset);
    return row === 0 ? { line: base.line, column: base.column + offset } : { line: base.line + row, column: offset - this.starts[row] + 1 };
  }
}

export function lineLoc(file: string, line: number, column: number, endColumn: number): Location {
  return { file, line, column, endLine: line, endColumn };
}

/** The whole of line `line` (trimmed of surrounding blanks), as a location. */
export function wholeLineLoc(file: string, lines: string[], line: number): Location {
  const text = lines[line - 1] ?? '';
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return lineLoc(file, line, start + 1, Math.max(end + 1, start + 2));
}

/** Location of `offset..offset+length` in `text`. */
export function offsetLoc(file: string, text: string, offset: number, length: number): Location {
  const table = new LineTable(text);
  const a = table.pos(offset);
  const b = table.pos(offset + length);
  return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  return new LineTable(text).pos(offset);
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
