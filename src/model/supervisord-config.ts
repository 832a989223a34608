/**
 * supervisord's configuration format, read by the supervisord targets (src/model/targets/supervisord.ts)
 * and by the resolver when a command starts `supervisord -c FILE` (src/model/process-managers.ts).
 */
import type { FileSelector } from '../discover/repo.js';
import * as path from 'node:path';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

export function isSupervisordCandidate(file: string): boolean {
  const base = path.posix.basename(file);
  return /^supervisord?([._-][\w.-]*)?\.(conf|ini)$/i.test(base) || (/\.(conf|ini)$/.test(base) && /(^|\/)(supervisor[d]?|conf\.d)\//.test(file));
}

export const SUPERVISORD_CONFIGS: FileSelector = { name: 'supervisord configuration', exts: ['conf', 'ini'], test: isSupervisordCandidate };

export interface SupervisordProgram {
  name: string;
  nameLoc: Location;
  command: { text: string; base: { line: number; column: number }; loc: Location } | null;
  directory: string | null;
  environment: { name: string; value: string; loc: Location }[];
  autostart: boolean;
}

/** Hand-written reader of supervisord's INI dialect (`;`/`#` comments, continuation lines by indentation). */
export function parseSupervisord(text: string, file: string): { programs: SupervisordProgram[]; issues: ParseIssue[] } {
  const programs: SupervisordProgram[] = [];
  const issues: ParseIssue[] = [];
  const lines = text.split(/\r?\n/);
  let current: SupervisordProgram | null = null;
  let lastKey: string | null = null;
  for (let i = 0; i < lines.length && i < 20000; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || t.startsWith(';') || t.startsWith('#')) continue;
    const sec = /^\[([^\]]*)\]\s*([;#].*)?$/.exec(t);
    if (sec) {
      lastKey = null;
      const m = /^(program|fcgi-program):(.+)$/.exec(sec[1].trim());
      current = null;
      if (m) {
        const col = line.indexOf(m[2]) + 1;
        current = { name: m[2].trim(), nameLoc: { file, line: i + 1, column: col, endLine: i + 1, endColumn: col + m[2].length }, command: null, directory: null, environment: [], autostart: true };
        programs.push(current);
      }
      continue;
    }
    if (/^\s/.test(line) && lastKey === 'command' && current?.command) {
      // A continuation line: supervisord's INI reader joins it to the value.
      current.command.text += '\n' + line;
      current.command.loc = { ...current.command.loc, endLine: i + 1, endColumn: line.length + 1 };
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(t);
    if (!kv) {
      if (current) issues.push({ message: `supervisord: not a \`key = value\` line: ${t.slice(0, 60)}`, loc: { file, line: i + 1, column: 1, endLine: i + 1, endColumn: line.length + 1 } });
      continue;
    }
    lastKey = kv[1].toLowerCase();
    if (!current) continue;
    // Inline comments start with ` ;` in supervisord's reader.
    const value = kv[2].replace(/\s+;.*$/, '');
    const col = line.length - line.trimStart().length + t.indexOf(kv[2]) + 1;
    switch (lastKey) {
      case 'command':
        current.command = { text: value, base: { line: i + 1, column: col }, loc: { file, line: i + 1, column: col, endLine: i + 1, endColumn: col + value.length } };
        break;
      case 'directory':
        current.directory = value.trim();
        break;
      case 'autostart':
        current.autostart = !/^(false|0|no|off)$/i.test(value.trim());
        break;
      case 'environment':
        for (const m of value.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^,]*)/g)) {
          const at = col + (m.index ?? 0);
          current.environment.push({ name: m[1], value: m[2].replace(/^["'](.*)["']$/, '$1'), loc: { file, line: i + 1, column: at, endLine: i + 1, endColumn: at + m[0].length } });
        }
        break;
    }
  }
  return { programs, issues };
}

/** `%(ENV_PORT)s` → `${PORT}` (same length is not kept; only the value matters), other `%(x)s` stay dynamic. */
export function supervisordExpand(text: string): string {
  return text.replace(/%\(ENV_([A-Za-z_][A-Za-z0-9_]*)\)s/g, '${$1}').replace(/%\(([a-z_]+)\)[sd]/g, '$$(supervisord_$1)');
}
