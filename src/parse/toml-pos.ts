/**
 * TOML for platform descriptors (fly.toml, railway.toml, nixpacks.toml): values from smol-toml,
 * positions by scanning the text for `key =` under its `[table]` header (smol-toml gives none).
 */
import { parse as parseToml } from 'smol-toml';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

export interface TomlResult {
  data: Record<string, unknown> | null;
  issues: ParseIssue[];
}

export function readToml(text: string, file: string): TomlResult {
  try {
    return { data: parseToml(text) as Record<string, unknown>, issues: [] };
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    // smol-toml may point one past a line's end (an error at the line break): keep the span inside.
    const lines = text.split('\n');
    const line = Math.min(Math.max(typeof err.line === 'number' ? err.line : 1, 1), lines.length);
    const room = lines[line - 1].replace(/\r$/, '').length + 1;
    const column = Math.min(Math.max(typeof err.column === 'number' ? err.column : 1, 1), room);
    return { data: null, issues: [{ message: `TOML: ${(err.message ?? String(e)).split('\n')[0]}`, loc: { file, line, column, endLine: line, endColumn: Math.min(column + 1, room) } }] };
  }
}

/** Where `key = value` sits under the table `table` (`''` for top level, `processes`, `deploy`). */
export interface TomlKeyPos {
  keyLoc: Location;
  /** Position of the value's first character (inside the quotes for a string). */
  valueBase: { line: number; column: number };
  /** The value's span. */
  valueLoc: Location;
  /** The raw value text equals the parsed string (no escapes): columns are exact. */
  exact: boolean;
}

export function tomlKey(text: string, file: string, table: string, key: string): TomlKeyPos | null {
  const lines = text.split('\n');
  let current = '';
  const keyRe = new RegExp(`^(\\s*)(?:"${esc(key)}"|'${esc(key)}'|${esc(key)})\\s*=\\s*`);
  // `[deploy]` + `release_command`, or at top level `deploy.release_command =`.
  const dotted = table === '' ? null : new RegExp(`^(\\s*)${esc(table)}\\s*\\.\\s*(?:"${esc(key)}"|${esc(key)})\\s*=\\s*`);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '');
    const h = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(l);
    if (h) {
      current = h[1].replace(/\s*\.\s*/g, '.').replace(/["']/g, '');
      continue;
    }
    let m: RegExpExecArray | null = null;
    if (current === table) m = keyRe.exec(l);
    if (!m && dotted && current === '') m = dotted.exec(l);
    if (!m) continue;
    const keyCol = m[1].length + 1;
    const vStart = m[0].length;
    const rest = l.slice(vStart);
    let inner = vStart;
    let valueText = rest.replace(/\s*(#.*)?$/, '');
    let exact = true;
    if (rest.startsWith('"""') || rest.startsWith("'''")) {
      inner = vStart + 3;
      exact = false;
    } else if (rest.startsWith('"') || rest.startsWith("'")) {
      inner = vStart + 1;
      const q = rest[0];
      const close = rest.indexOf(q, 1);
      valueText = close > 0 ? rest.slice(0, close + 1) : rest;
      if (q === '"' && valueText.includes('\\')) exact = false;
    }
    return {
      keyLoc: { file, line: i + 1, column: keyCol, endLine: i + 1, endColumn: keyCol + key.length },
      valueBase: { line: i + 1, column: inner + 1 },
      valueLoc: { file, line: i + 1, column: vStart + 1, endLine: i + 1, endColumn: vStart + 1 + valueText.length },
      exact,
    };
  }
  return null;
}

/** Line of a `[table]` or `[[table]]` header, or null. */
export function tomlTableLine(text: string, table: string): number | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(lines[i]);
    if (h && h[1].replace(/\s*\.\s*/g, '.').replace(/["']/g, '') === table) return i + 1;
  }
  return null;
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
