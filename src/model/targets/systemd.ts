/** systemd service units: ExecStart is the process; ExecStartPre runs before it. */
import { finalKind } from '../servers.js';
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { splitSystemdCommand } from '../../parse/argv.js';
import { parseEnvironment, parseUnit, unitValues } from '../../parse/systemd.js';
import { literalArg, expandArgs, type Env } from '../args.js';
import type { Project } from '../project.js';
import { judge } from '../production.js';
import { ProcessBuilder } from '../resolve.js';
import type { PathMapper } from '../paths.js';
import type { Command } from '../../core/words.js';
import type { Location } from '../../core/location.js';
import type { Role, Target } from '../types.js';
import { makeTarget } from './make.js';

export function isSystemdUnit(file: string): boolean {
  return /\.service$/.test(file);
}

export const SYSTEMD_UNITS: FileSelector = { name: 'systemd service unit', exts: ['service'], test: isSystemdUnit };

function unitRole(name: string): Role {
  if (/celery|worker|beat|rq|huey|dramatiq|scheduler|cron|queue/i.test(name)) return 'worker';
  if (/gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|web|django|wsgi|asgi|http|site|app|server/i.test(name)) return 'web';
  return 'other';
}

/**
 * Host paths of a unit (`/srv/app/bin/start.sh`) map into the repository when they lie under the
 * unit's WorkingDirectory (taken to be the checkout) or end in a path that exists in the repo.
 */
export function hostMapper(project: Project, workdir: string | null): PathMapper {
  return {
    toRepo(p, cwd) {
      const abs = p.startsWith('/') ? path.posix.normalize(p) : path.posix.join(cwd ?? workdir ?? '/', p);
      for (const base of [cwd, workdir]) {
        if (base && (abs === base || abs.startsWith(base + '/'))) {
          const rel = abs.slice(base.length + 1);
          if (project.repo.has(rel)) return rel;
        }
      }
      // Longest suffix of the host path that is a repo file (`/home/app/site/deploy/start.sh`).
      const parts = abs.split('/').filter(Boolean);
      for (let i = 0; i < parts.length; i++) {
        const rel = parts.slice(i).join('/');
        if (rel.includes('/') && project.repo.has(rel)) return rel;
      }
      return null;
    },
    onPath: () => null,
  };
}

export function systemdTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const unit = parseUnit(text, file);
  project.addParseIssues(file, unit.issues);
  const starts = unitValues(unit, 'Service', 'ExecStart');
  if (starts.length === 0) return [];
  const name = path.posix.basename(file, '.service');
  const verdict = judge(file, { platform: 'a systemd unit runs on a server' });
  const workdir = unitValues(unit, 'Service', 'WorkingDirectory').pop()?.value.replace(/^-/, '') ?? null;
  const env: Env = {};
  const envLocs: Record<string, Location> = {};
  for (const e of unitValues(unit, 'Service', 'Environment')) {
    for (const kv of parseEnvironment(e)) {
      env[kv.name] = kv.value;
      envLocs[kv.name] = kv.loc;
    }
  }
  const target: Target = makeTarget({
    kind: 'systemd',
    file,
    line: starts[0].loc.line,
    verdict,
    facts: { cwd: workdir, env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs },
  });
  const mapper = hostMapper(project, workdir);
  const run = (entries: typeof starts, procName: string, role: Role, final: boolean) => {
    if (entries.length === 0) return;
    const b = new ProcessBuilder(project, mapper, procName, role, entries[0].valueLoc);
    for (const e of entries) {
      const split = splitSystemdCommand(e.value, file, e.valueBase);
      if (split.error) project.addParseIssues(file, [split.error]);
      if (split.words.length === 0) continue;
      const cmd: Command = { words: split.words, assignments: [], loc: e.valueLoc, text: e.value };
      const args = expandArgs(split.words, env, []);
      const list = Array.isArray(args) ? args : split.words.map(literalArg);
      const frame = { env: { ...env }, cwd: workdir, positional: [], chain: [{ file, line: e.loc.line, column: e.loc.column, text: `${e.key}=${e.value}`, reach: 'direct' as const }], depth: 0, conditional: false, stack: [file] };
      b.runArgs(list, cmd, frame, final);
    }
    target.processes.push(b.process);
  };
  run(unitValues(unit, 'Service', 'ExecStartPre'), `${name} (ExecStartPre)`, 'release', false);
  run(starts, name, unitRole(name), true);
  // A unit named like the site that starts a proxy (`site-nginx.service`) is not the web process.
  const main = target.processes[target.processes.length - 1];
  if (main?.role === 'web' && main.servers.length === 0 && main.finals.length > 0 && main.finals.every((f) => finalKind(f.args) === 'proxy')) main.role = 'other';
  return [target];
}
