/**
 * Platform.sh targets (`.platform.app.yaml`, Python runtimes): `hooks.build` runs at build time
 * (where collectstatic belongs), `hooks.deploy` once per deploy, `web.commands.start` is the web
 * process; all run in a shell from the app's folder (`/app`). Platform.sh never runs
 * collectstatic itself; `web.locations` serve files (read by DPL204). Upsun (`.upsun/config.yaml`)
 * has the same application shape under `applications.<name>`.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import type { Node as YNode } from 'yaml';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Target } from '../types.js';
import { dirOf, normRel, shellProcess } from './platform.js';
import { makeTarget } from './make.js';

export function isPlatformShApp(file: string): boolean {
  return path.posix.basename(file) === '.platform.app.yaml';
}

export const PLATFORM_SH_APPS: FileSelector = { name: '.platform.app.yaml', prefixes: ['.platform.app'], test: isPlatformShApp };

export function isUpsunConfig(file: string): boolean {
  return /(^|\/)\.upsun\/[^/]+\.ya?ml$/.test(file);
}

export const UPSUN_CONFIGS: FileSelector = { name: 'Upsun configuration', dir: (d) => /(^|\/)\.upsun$/.test(d), test: isUpsunConfig };

export function platformShTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const t = appTarget(project, file, y, y.root, null, 'platform-sh', dirOf(file));
  return t ? [t] : [];
}

/**
 * Upsun targets (`.upsun/config.yaml`): `applications.<name>` has the shape of a
 * `.platform.app.yaml` (`source.root` is the app's folder, from the repo's root).
 */
export function upsunTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const root = dirOf(dirOf(file));
  const out: Target[] = [];
  for (const p of y.pairs(y.get(y.root, 'applications'))) {
    const t = appTarget(project, file, y, p.value, p.key, 'upsun', root);
    if (t) out.push(t);
  }
  return out;
}

function appTarget(project: Project, file: string, y: YamlDoc, app: YNode | null, appName: string | null, kind: 'platform-sh' | 'upsun', base: string): Target | null {
  if (!app) return null;
  const type = y.str(y.get(app, 'type')) ?? '';
  const web = y.get(app, 'web');
  const start = y.shellText(y.get(y.get(web, 'commands'), 'start'));
  const hooks = y.get(app, 'hooks');
  if (!/^python/.test(type) && !(start && /manage\.py|gunicorn|uwsgi|uvicorn|daphne|django/.test(start.text))) return null;
  const sourceRoot = y.str(y.get(app, 'source_root')) ?? y.str(y.get(y.get(app, 'source'), 'root')) ?? '.';
  const dir = normRel(path.posix.join(base, sourceRoot)) ?? base;
  const env: Env = { PORT: '$PORT' };
  const envLocs: Record<string, Location> = {};
  for (const p of y.pairs(y.get(y.get(app, 'variables'), 'env'))) {
    env[p.key] = y.str(p.value);
    envLocs[p.key] = y.loc(p.value ?? p.keyNode);
  }
  const name = appName ?? y.str(y.get(app, 'name')) ?? 'app';
  const verdict =
    kind === 'upsun'
      ? judge(file, { names: [{ what: 'application', name }], platform: `${file} is what Upsun builds and runs` })
      : judge(file, { platform: '.platform.app.yaml is what Platform.sh builds and runs' });
  const keyLine = appName !== null ? y.loc(y.pairs(y.get(y.root, 'applications')).find((p) => p.key === appName)?.keyNode ?? app).line : y.loc(y.keyNode(app, 'name') ?? y.keyNode(app, 'type')).line;
  const target: Target = makeTarget({
    kind,
    file,
    line: keyLine,
    name: kind === 'upsun' ? name : null,
    verdict,
    facts: { cwd: '/app', env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs },
  });
  const build = y.shellText(y.get(hooks, 'build'));
  const deploy = y.shellText(y.get(hooks, 'deploy'));
  if (build) target.processes.push(shellProcess(project, file, dir, 'hooks.build', 'build', build, env));
  if (deploy) target.processes.push(shellProcess(project, file, dir, 'hooks.deploy', 'release', deploy, env));
  if (start) target.processes.push(shellProcess(project, file, dir, name, 'web', start, env));
  return target.processes.length > 0 ? target : null;
}
