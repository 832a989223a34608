/**
 * Procfile parser (Heroku, Dokku, Scalingo, foreman, honcho).
 *
 * Hand-written: the format is one regex per line, `^([A-Za-z0-9_-]+):\s*(.+)$` (foreman and
 * honcho use exactly this). Blank lines and `#` comments (pragmas included) are skipped; the
 * engine reads pragma comments from the raw text itself. Every other line that does not
 * match is an issue with its span (foreman would silently ignore it; a typo there means a
 * process that never starts). A process type defined twice keeps the last definition, as
 * Heroku does.
 */
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

export interface ProcfileEntry {
  /** Process type (`web`, `release`, `worker`, ...), as written. */
  name: string;
  nameLoc: Location;
  /** The command text, trimmed of surrounding whitespace. */
  command: string;
  /** Span of `command`; its start is where `command[0]` sits (the base for shell parsing). */
  commandLoc: Location;
  line: number;
}

export interface ProcfileResult {
  /** Effective entries in source order (an overridden duplicate is left out). */
  entries: ProcfileEntry[];
  issues: ParseIssue[];
}

/** `name:` then the command; the command is trimmed by hand (a lazy `.*?[ \t]*$` is quadratic). */
const ENTRY = /^([A-Za-z0-9_-]+):(.*)$/;

function span(file: string, line: number, startCol: number, endCol: number): Location {
  return { file, line, column: startCol, endLine: line, endColumn: endCol };
}

export function parseProcfile(text: string, file: string): ProcfileResult {
  try {
    return parse(text, file);
  } catch (e) {
    // Defensive: hand-written code, but a bad file must never crash the run.
    return { entries: [], issues: [{ message: `could not parse Procfile: ${e instanceof Error ? e.message : String(e)}`, loc: span(file, 1, 1, 1) }] };
  }
}

function parse(text: string, file: string): ProcfileResult {
  const issues: ParseIssue[] = [];
  const byName = new Map<string, ProcfileEntry>();
  if (text.trim() === '') {
    return { entries: [], issues: [{ message: 'empty file: a Procfile must define at least one process type', loc: span(file, 1, 1, 1) }] };
  }
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lead = raw.length - raw.trimStart().length;
    const endCol = raw.trimEnd().length + 1;
    const m = ENTRY.exec(raw);
    if (!m) {
      const hint = lead > 0 && ENTRY.test(trimmed)
        ? 'indented line: the process type must start at the beginning of the line'
        : 'not a `name: command` line (name is letters, digits, `_` or `-`)';
      issues.push({ message: `unparsable Procfile line: ${hint}`, loc: span(file, line, lead + 1, endCol) });
      continue;
    }
    const name = m[1];
    const command = m[2].trim();
    if (command === '') {
      issues.push({ message: `process type '${name}' has no command`, loc: span(file, line, 1, endCol) });
      continue;
    }
    const cmdStart = raw.indexOf(command, name.length + 1);
    const entry: ProcfileEntry = {
      name,
      nameLoc: span(file, line, 1, name.length + 1),
      command,
      commandLoc: span(file, line, cmdStart + 1, cmdStart + 1 + command.length),
      line,
    };
    const prev = byName.get(name);
    if (prev) {
      issues.push({
        message: `duplicate process type '${name}' (also defined on line ${prev.line}); Heroku uses the last definition, this one on line ${line}`,
        loc: entry.nameLoc,
      });
      byName.delete(name); // re-insert so that entries stay in source order of the effective lines
    }
    byName.set(name, entry);
  }
  const entries = [...byName.values()].sort((a, b) => a.line - b.line);
  if (entries.length === 0 && issues.length === 0) {
    issues.push({ message: 'no process types defined (only comments)', loc: span(file, 1, 1, 1) });
  }
  return { entries, issues };
}
