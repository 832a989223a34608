/**
 * Platform.sh targets (`.platform.app.yaml`, Python runtimes): `hooks.build` runs at build time
 * (where collectstatic belongs), `hooks.deploy` once per deploy, `web.commands.start` is the web
 * process; all run in a shell from the app's folder (`/app`). Platform.sh never runs
 * collectstatic itself; `web.locations` serve files (read by DPL204).
 */
import * as path from 'node:path';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location, Target } from '../types.js';
import { dirOf, normRel, shellProcess } from './platform.js';

export function isPlatformShApp(file: string): boolean {
  return path.posix.basename(file) === '.platform.app.yaml';
}

export function platformShTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const type = y.str(y.get(y.root, 'type')) ?? '';
  const web = y.get(y.root, 'web');
  const start = y.shellText(y.get(y.get(web, 'commands'), 'start'));
  const hooks = y.get(y.root, 'hooks');
  if (!/^python/.test(type) && !(start && /manage\.py|gunicorn|uwsgi|uvicorn|daphne|django/.test(start.text))) return [];
  const dir = normRel(path.posix.join(dirOf(file), y.str(y.get(y.root, 'source_root')) ?? '.')) ?? dirOf(file);
  const env: Env = { PORT: '$PORT' };
  const envLocs: Record<string, Location> = {};
  for (const p of y.pairs(y.get(y.get(y.root, 'variables'), 'env'))) {
    env[p.key] = y.str(p.value);
    envLocs[p.key] = y.loc(p.value ?? p.keyNode);
  }
  const name = y.str(y.get(y.root, 'name')) ?? 'app';
  const verdict = judge(file, { platform: '.platform.app.yaml is what Platform.sh builds and runs' });
  const target: Target = {
    id: `platform-sh:${file}`,
    kind: 'platform-sh',
    file,
    line: y.loc(y.keyNode(y.root, 'name') ?? y.keyNode(y.root, 'type')).line,
    production: verdict.production,
    productionReason: verdict.reason,
    processes: [],
    collectstatic: null,
    facts: { cwd: '/app', env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs },
  };
  const build = y.shellText(y.get(hooks, 'build'));
  const deploy = y.shellText(y.get(hooks, 'deploy'));
  if (build) target.processes.push(shellProcess(project, file, dir, 'hooks.build', 'build', build, env));
  if (deploy) target.processes.push(shellProcess(project, file, dir, 'hooks.deploy', 'release', deploy, env));
  if (start) target.processes.push(shellProcess(project, file, dir, name, 'web', start, env));
  return target.processes.length > 0 ? [target] : [];
}
