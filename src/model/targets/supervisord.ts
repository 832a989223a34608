/**
 * supervisord targets: every `[program:x]` of a supervisord configuration (`supervisord.conf`,
 * `conf.d/*.conf`, any `.conf`/`.ini` with `[program:…]` sections). `command=` is split into
 * words (supervisord runs it without a shell), `directory=` is its working directory and
 * `environment=KEY="v",K2=v2` its variables; `%(ENV_X)s` reads the environment.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { splitShellWords } from '../../parse/argv.js';
import { literalArg, type Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { ProcessBuilder, resolvePosix } from '../resolve.js';
import type { Command, Location, ParseIssue, Target } from '../types.js';
import { configDirMapper, dirOf } from './platform.js';
import { roleFromProcess } from './roles.js';

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

export function supervisordTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null || !/^\s*\[(fcgi-)?program:/m.test(text)) return [];
  const parsed = parseSupervisord(text, file);
  project.addParseIssues(file, parsed.issues);
  if (parsed.programs.length === 0) return [];
  const dir = dirOf(file);
  const verdict = judge(file, { platform: 'supervisord keeps these programs running on a server or in a container' });
  const target: Target = {
    id: `supervisord:${file}`,
    kind: 'supervisord',
    file,
    line: parsed.programs[0].nameLoc.line,
    production: verdict.production,
    productionReason: verdict.reason,
    processes: [],
    collectstatic: null,
    facts: { cwd: null, env: {}, envLocs: {} },
  };
  // Relative paths (with no directory=) are relative to where supervisord was started; read them
  // from the configuration's folder.
  const mapper = configDirMapper(project, dir);
  for (const prog of parsed.programs) {
    if (!prog.command) continue;
    const env: Env = {};
    for (const e of prog.environment) env[e.name] = e.value.includes('%(') ? null : e.value;
    const split = splitShellWords(supervisordExpand(prog.command.text), file, prog.command.base);
    if (split.error) project.addParseIssues(file, [split.error]);
    if (split.words.length === 0) continue;
    const b = new ProcessBuilder(project, mapper, prog.name, 'other', prog.command.loc);
    const cmd: Command = { words: split.words, assignments: [], loc: prog.command.loc, text: prog.command.text.split('\n')[0] };
    const cwd = prog.directory && prog.directory.startsWith('/') ? resolvePosix('/', prog.directory) : null;
    b.runArgs(split.words.map(literalArg), cmd, { env, cwd, positional: [], chain: [{ file, line: prog.command.loc.line, column: prog.command.loc.column, text: `command=${cmd.text}`, reach: 'direct' }], depth: 0, conditional: !prog.autostart, stack: [file] }, true);
    b.process.role = roleFromProcess(b.process, false);
    target.processes.push(b.process);
    if (b.process.role === 'web') {
      // The web program's environment= is the target's (DEBUG=True there is DPL105's).
      for (const e of prog.environment) {
        if (env[e.name] != null) target.facts.env![e.name] = env[e.name]!;
        target.facts.envLocs![e.name] = e.loc;
      }
    }
  }
  return target.processes.length > 0 ? [target] : [];
}
