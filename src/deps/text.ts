/**
 * Positions in dependency files. smol-toml and JSON.parse give values without positions, so
 * the readers find each value's line with a small scan of the text: the table header that
 * holds it (TOML) and the first quoted occurrence of the string or key after it. The scan is
 * deliberately simple (one line per value, no multi-line string awareness); when it cannot
 * find a value, the position falls back to the table header, then to line 1.
 */
import { lineLoc, splitLines, wholeLineLoc } from '../core/lines.js';
import type { Location } from '../core/location.js';

interface Header {
  path: string;
  array: boolean;
  line: number;
}

export interface LineRange {
  start: number;
  end: number;
}

/** A TOML file's lines and table headers, for finding where a value is written. */
export class TomlText {
  readonly lines: string[];
  private readonly headers: Header[] = [];

  constructor(readonly file: string, text: string) {
    this.lines = splitLines(text);
    this.lines.forEach((l, i) => {
      const m = /^\s*(\[\[?)\s*([^[\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(l);
      if (m) this.headers.push({ path: normPath(m[2]), array: m[1] === '[[', line: i + 1 });
    });
  }

  /**
   * Lines of the `nth` table named `path` (`''` for the top level), subtables included when
   * `deep` (`[package]` with its `[package.dependencies]`).
   */
  range(path: string, nth = 0, deep = false): LineRange | null {
    const p = normPath(path);
    if (p === '') {
      const first = this.headers[0]?.line ?? this.lines.length + 1;
      return { start: 1, end: first - 1 };
    }
    let seen = 0;
    for (let i = 0; i < this.headers.length; i++) {
      if (this.headers[i].path !== p) continue;
      if (seen++ < nth) continue;
      let j = i + 1;
      while (j < this.headers.length && deep && this.headers[j].path.startsWith(p + '.') && !this.headers[j].array) j++;
      const end = j < this.headers.length ? this.headers[j].line - 1 : this.lines.length;
      return { start: this.headers[i].line, end };
    }
    return null;
  }

  /** The line of `key = ...` inside `range`, comparing keys through `norm`. */
  findKey(range: LineRange | null, key: string, norm: (k: string) => string = (k) => k): Location | null {
    const r = range ?? { start: 1, end: this.lines.length };
    const want = norm(key);
    for (let n = r.start; n <= r.end; n++) {
      const l = this.lines[n - 1] ?? '';
      const m = /^(\s*)(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=/.exec(l);
      if (!m) continue;
      const k = m[2] ?? m[3] ?? m[4];
      if (norm(k) === want) return wholeLineLoc(this.file, this.lines, n);
    }
    return null;
  }

  /** The first quoted occurrence of `value` (`"value"` or `'value'`) from line `from` in `range`. */
  findString(range: LineRange | null, value: string, from?: number): Location | null {
    const r = range ?? { start: 1, end: this.lines.length };
    for (let n = Math.max(from ?? r.start, r.start); n <= r.end; n++) {
      const l = this.lines[n - 1] ?? '';
      for (const q of ['"', "'"]) {
        const i = l.indexOf(q + value + q);
        if (i >= 0) return lineLoc(this.file, n, i + 1, i + value.length + 3);
      }
    }
    return null;
  }

  /** Where a header is written, or line 1. */
  headerLoc(range: LineRange | null): Location {
    return wholeLineLoc(this.file, this.lines, range?.start ?? 1);
  }

  /** A string value inside table `path`, after key `key`: in the table, then anywhere, then the header. */
  locateString(path: string, key: string | null, value: string, nth = 0): Location {
    const r = this.range(path, nth, true);
    const k = key && r ? this.findKey(r, key) : null;
    return this.findString(r, value, k?.line) ?? this.findString(null, value) ?? this.headerLoc(r);
  }

  /** A `key = ...` line inside table `path`: in the table, then anywhere, then the header. */
  locateKey(path: string, key: string, norm?: (k: string) => string, nth = 0): Location {
    const r = this.range(path, nth, false);
    return this.findKey(r, key, norm) ?? this.findString(r, key) ?? this.findKey(null, key, norm) ?? this.headerLoc(r);
  }
}

function normPath(p: string): string {
  return p
    .split('.')
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}
