/**
 * systemd unit file parser, after systemd.syntax(7).
 *
 * Hand-written: the format is a small INI dialect and no maintained JS parser keeps
 * positions. Rules implemented:
 * - lines whose first non-blank character is `#` or `;` are comments, also inside a
 *   continued value (they are dropped there, as systemd does);
 * - `[Section]` headers; `Key=Value` with blanks around `=` and around the value ignored;
 * - a line ending in `\` continues on the next line: the backslash becomes a space;
 * - an assignment outside a section, a line without `=`, or a malformed header is an issue.
 * Values are kept as written (specifiers `%h`, quotes and `$VAR` are left to the consumer);
 * `EnvironmentFile=` values are returned as-is.
 */
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

/** Where a piece of a joined value starts: `value.slice(offset)` begins at (line, column). */
export interface ValueSegment {
  offset: number;
  line: number;
  column: number;
}

export interface UnitEntry {
  key: string;
  /** The value, continuation lines joined with a space, trimmed. */
  value: string;
  /** The whole entry, from the key to the end of the value (last continuation line). */
  loc: Location;
  valueLoc: Location;
  /** Where `value[0]` sits (for an empty value: right after `=`). */
  valueBase: { line: number; column: number };
  /** One segment per physical line of the value, to map an offset in `value` to the source. */
  segments: ValueSegment[];
}

export interface UnitSection {
  name: string;
  loc: Location;
  entries: UnitEntry[];
}

export interface Unit {
  sections: UnitSection[];
}

interface Line {
  text: string;
  no: number;
}

function loc(file: string, line: number, column: number, endLine: number, endColumn: number): Location {
  return { file, line, column, endLine, endColumn };
}

const isComment = (s: string): boolean => /^[ \t]*[#;]/.test(s);
/** A trailing backslash (after trailing blanks are ignored) continues the line. */
const continues = (s: string): boolean => /\\[ \t]*$/.test(s);

export function parseUnit(text: string, file: string): Unit & { issues: ParseIssue[] } {
  try {
    return parse(text, file);
  } catch (e) {
    // Defensive: hand-written code, but a bad file must never crash the run.
    return { sections: [], issues: [{ message: `could not parse unit file: ${e instanceof Error ? e.message : String(e)}`, loc: loc(file, 1, 1, 1, 1) }] };
  }
}

function parse(text: string, file: string): Unit & { issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const sections: UnitSection[] = [];
  const lines: Line[] = text.split(/\r\n|\n|\r/).map((t, i) => ({ text: t, no: i + 1 }));
  let current: UnitSection | null = null;

  for (let i = 0; i < lines.length; i++) {
    const { text: raw, no } = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '' || isComment(raw)) continue;
    const lead = raw.length - raw.trimStart().length;
    const endCol = raw.trimEnd().length + 1;

    if (trimmed.startsWith('[')) {
      const m = /^\[([^[\]]+)\]$/.exec(trimmed);
      if (!m) {
        issues.push({ message: 'malformed section header: expected `[Section]`', loc: loc(file, no, lead + 1, no, endCol) });
        current = null; // systemd ignores the section's assignments after a bad header
        continue;
      }
      current = { name: m[1], loc: loc(file, no, lead + 1, no, endCol), entries: [] };
      sections.push(current);
      continue;
    }

    // Gather the logical line: this one plus continuation lines (comments inside are dropped).
    const parts: Line[] = [lines[i]];
    while (continues(parts[parts.length - 1].text) && i + 1 < lines.length) {
      i++;
      if (isComment(lines[i].text)) continue;
      parts.push(lines[i]);
    }
    const last = parts[parts.length - 1];
    // On one physical line the span keeps its trailing `\` (else `     \` would end before it starts).
    const lastEndCol = parts.length === 1 ? endCol : last.text.replace(/\\[ \t]*$/, '').trimEnd().length + 1;

    const eq = raw.indexOf('=');
    if (eq < 0) {
      issues.push({ message: "missing '=' in assignment (not `Key=Value`, a comment or a `[Section]` header)", loc: loc(file, no, lead + 1, last.no, Math.max(lastEndCol, 1)) });
      continue;
    }
    const key = raw.slice(0, eq).trim();
    if (key === '') {
      issues.push({ message: "assignment with an empty key before '='", loc: loc(file, no, lead + 1, no, eq + 2) });
      continue;
    }
    if (!current) {
      issues.push({ message: `assignment '${key}=' outside of any section`, loc: loc(file, no, lead + 1, last.no, lastEndCol) });
      continue;
    }

    const pieces: { text: string; line: number; column: number }[] = [];
    parts.forEach((p, k) => {
      const from = k === 0 ? eq + 1 : 0;
      let body = p.text.slice(from);
      if (k < parts.length - 1) body = body.replace(/\\[ \t]*$/, '');
      const skip = body.length - body.trimStart().length;
      const piece = body.trim();
      if (piece !== '') pieces.push({ text: piece, line: p.no, column: from + skip + 1 });
    });
    const segments: ValueSegment[] = [];
    let value = '';
    for (const p of pieces) {
      if (value !== '') value += ' ';
      segments.push({ offset: value.length, line: p.line, column: p.column });
      value += p.text;
    }
    const first = pieces[0];
    const lastPiece = pieces[pieces.length - 1];
    const valueBase = first ? { line: first.line, column: first.column } : { line: no, column: eq + 2 };
    const valueLoc = first
      ? loc(file, first.line, first.column, lastPiece.line, lastPiece.column + lastPiece.text.length)
      : loc(file, no, eq + 2, no, eq + 2);
    const entryEnd = first ? { line: valueLoc.endLine, col: valueLoc.endColumn } : { line: no, col: eq + 2 };
    current.entries.push({
      key,
      value,
      loc: loc(file, no, lead + 1, entryEnd.line, entryEnd.col),
      valueLoc,
      valueBase,
      segments,
    });
  }
  return { sections, issues };
}

/**
 * All entries of `key` in every `[section]` of that name, in order, after the last empty
 * assignment (which resets the list in systemd: `ExecStart=` then `ExecStart=/x` is `/x`).
 * For single-valued keys the consumer takes the last element.
 */
export function unitValues(unit: Unit, section: string, key: string): UnitEntry[] {
  let out: UnitEntry[] = [];
  for (const s of unit.sections) {
    if (s.name !== section) continue;
    for (const e of s.entries) {
      if (e.key !== key) continue;
      if (e.value === '') out = [];
      else out.push(e);
    }
  }
  return out;
}

/** Source position of `entry.value[offset]` (offset may equal value.length for an end). */
export function valuePosition(entry: UnitEntry, offset: number): { line: number; column: number } {
  let seg = entry.segments[0];
  if (!seg) return entry.valueBase;
  for (const s of entry.segments) if (s.offset <= offset) seg = s;
  return { line: seg.line, column: seg.column + (offset - seg.offset) };
}

/** Location of `entry.value.slice(start, end)` in the source. */
export function valueLoc(entry: UnitEntry, start: number, end: number): Location {
  const a = valuePosition(entry, start);
  // The end belongs to the segment of its last character.
  const b = end > start ? valuePosition(entry, end - 1) : a;
  return { file: entry.loc.file, line: a.line, column: a.column, endLine: b.line, endColumn: end > start ? b.column + 1 : b.column };
}

/**
 * `Environment=` assignments: words split as systemd does (whitespace separated, `"…"` and
 * `'…'` quoting, C-style `\` escapes); words that are not `NAME=value` are ignored, as
 * systemd ignores them (with a log message).
 */
export function parseEnvironment(entry: UnitEntry): { name: string; value: string; loc: Location }[] {
  const out: { name: string; value: string; loc: Location }[] = [];
  const s = entry.value;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let word = '';
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i];
      if (c === '"' || c === "'") {
        const q = c;
        i++;
        while (i < s.length && s[i] !== q) {
          if (s[i] === '\\' && q === '"' && i + 1 < s.length) {
            word += unescape(s[i + 1]);
            i += 2;
          } else word += s[i++];
        }
        i++; // closing quote (or end of value)
      } else if (c === '\\' && i + 1 < s.length) {
        word += unescape(s[i + 1]);
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(word);
    if (m) out.push({ name: m[1], value: m[2], loc: valueLoc(entry, start, Math.min(i, s.length)) });
  }
  return out;
}

function unescape(c: string): string {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    default: return c;
  }
}
