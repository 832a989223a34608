/**
 * uWSGI ini targets: an ini file with a `[uwsgi]` section that no other target loads (run by the
 * uWSGI Emperor or a unit outside the repository). It is followed as `uwsgi --ini <file>`, so
 * the server configuration reader (src/model/server-config.ts) merges module, http, socket,
 * static-map and py-autoreload with their positions in the ini. An ini that another target
 * loads is judged through that target only.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { literalWord } from '../../parse/argv.js';
import { literalArg } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { ProcessBuilder } from '../resolve.js';
import type { Command } from '../../core/words.js';
import type { Location } from '../../core/location.js';
import type { Target } from '../types.js';
import { configDirMapper, dirOf } from './platform.js';
import { makeTarget } from './make.js';

/** `.ini` files that may be uWSGI's: named after it, or in a uWSGI/Emperor folder. */
export function isUwsgiIniCandidate(file: string): boolean {
  if (!/\.ini$/.test(file) || /(^|\/)(setup|tox|pytest|mypy|alembic|flake8|\.?coveragerc|pylintrc|\.isort|php|supervisord?)[^/]*$/i.test(file)) return false;
  return /uwsgi/i.test(path.posix.basename(file)) || /(^|\/)(uwsgi|vassals|emperor)[^/]*\//i.test(file);
}

export const UWSGI_INIS: FileSelector = { name: 'uWSGI ini', exts: ['ini'], test: isUwsgiIniCandidate };

/** Files another target's servers read options from (a uWSGI ini it loads). */
function loadedConfigs(targets: Target[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets)
    for (const p of t.processes)
      for (const s of p.servers) {
        for (const o of Object.values(s.server.options)) if (o) out.add(o.loc.file);
        // `uwsgi /opt/app/uwsgi.ini` whose path could not be mapped: the same file by its name.
        const ini = s.server.options.ini?.value;
        if (ini && /\.ini$/.test(ini)) out.add(`name:${path.posix.basename(ini)}`);
      }
  return out;
}

/** Files of a server set-up an operator installs by hand: a systemd unit, a supervisord or web server config. */
const SERVER_KIT_FILE = /(^|\/)([^/]+\.(service|socket)|supervisord?[^/]*\.conf|[^/]*nginx[^/]*\.conf|nginx\.conf|apache2?[^/]*\.conf|httpd[^/]*\.conf|Caddyfile)$/i;

/**
 * A uWSGI ini that sits in one folder with other files of a server set-up (a systemd unit, an
 * nginx config): the folder is a deployment kit an operator installs, so the ini is part of a
 * production set-up even though no target of the repository loads it.
 */
function serverKitBeside(project: Project, file: string): string[] {
  const dir = dirOf(file);
  return project.repo
    .filesIn(dir)
    .filter((f) => f !== file && SERVER_KIT_FILE.test(f))
    .sort();
}

export function uwsgiIniTargets(project: Project, files: string[], others: Target[]): Target[] {
  const loaded = loadedConfigs(others);
  // Another production target starts the app: an ini nobody loads is an alternative or a leftover.
  const otherProd = others.find((t) => t.production && t.processes.some((p) => p.role === 'web' || p.servers.length > 0 || p.unresolved.length > 0));
  const out: Target[] = [];
  for (const file of files) {
    if (loaded.has(file) || loaded.has(`name:${path.posix.basename(file)}`)) continue;
    const text = project.repo.text(file);
    if (text === null || !/^\s*\[uwsgi\]\s*$/m.test(text)) continue;
    const lines = text.split(/\r?\n/);
    const line = lines.findIndex((l) => /^\s*\[uwsgi\]/.test(l)) + 1;
    const loc: Location = { file, line, column: 1, endLine: line, endColumn: lines[line - 1].trimEnd().length + 1 };
    let verdict = judge(file, { platform: 'a uWSGI ini is run by the uWSGI Emperor or a service on a server' });
    if (verdict.production && otherProd && !/^production: `/.test(verdict.reason)) {
      const kit = serverKitBeside(project, file);
      verdict =
        kit.length > 0
          ? { production: true, reason: `production: it is part of a server set-up with ${kit.slice(0, 2).join(' and ')} beside it (no target of the repository loads it)` }
          : { production: false, reason: `development: no target loads it, and ${otherProd.file} is how the app is started` };
    }
    const target: Target = makeTarget({
      kind: 'uwsgi-ini',
      file,
      line,
      verdict,
      facts: { cwd: null, env: {}, envLocs: {} },
    });
    const dir = dirOf(file);
    const mapper = configDirMapper(project, dir);
    const words = [literalWord('uwsgi', loc), literalWord('--ini', loc), literalWord(path.posix.basename(file), loc)];
    const cmd: Command = { words, assignments: [], loc, text: lines[line - 1].trim() };
    const b = new ProcessBuilder(project, mapper, path.posix.basename(file), 'web', loc);
    b.runArgs(words.map(literalArg), cmd, { env: {}, cwd: null, positional: [], chain: [{ file, line, column: 1, text: cmd.text, reach: 'direct' }], depth: 0, conditional: false, stack: [file] }, true);
    target.processes.push(b.process);
    out.push(target);
  }
  return out;
}
