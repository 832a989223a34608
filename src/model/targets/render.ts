/**
 * Render Blueprint targets (`render.yaml`): one per service that runs the app. Native runtimes
 * run `buildCommand` (by convention `./build.sh`, with collectstatic), `preDeployCommand` and
 * `startCommand` in a shell; Docker runtimes build `dockerfilePath` (default `./Dockerfile`) and
 * run its CMD or `dockerCommand`. Render never runs collectstatic by itself.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Process, Role, Target } from '../types.js';
import { containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, shellProcess } from './platform.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

export function isRenderBlueprint(file: string): boolean {
  return /^render\.ya?ml$/.test(path.posix.basename(file));
}

export const RENDER_BLUEPRINTS: FileSelector = { name: 'render.yaml', prefixes: ['render.'], test: isRenderBlueprint };

const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver|build\.sh|collectstatic/;

function serviceRole(type: string | null): Role | null {
  switch (type) {
    case 'web':
    case 'pserv':
      return 'web';
    case 'worker':
      return 'worker';
    case 'cron':
      return 'other';
    case null:
      return 'web';
    default:
      return null; // static sites, key-value stores, Redis
  }
}

export function renderTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const dir = dirOf(file);
  const targets: Target[] = [];
  for (const s of y.items(y.get(y.root, 'services'))) {
    const name = y.str(y.get(s, 'name')) ?? 'service';
    const type = y.str(y.get(s, 'type'));
    const role = serviceRole(type);
    if (!role) continue;
    const runtime = y.str(y.get(s, 'runtime')) ?? y.str(y.get(s, 'env'));
    const build = y.shellText(y.get(s, 'buildCommand'));
    const start = y.shellText(y.get(s, 'startCommand'));
    const preDeploy = y.shellText(y.get(s, 'preDeployCommand'));
    const rootDir = normRel(path.posix.join(dir, y.str(y.get(s, 'rootDir')) ?? '.'));
    const env: Env = { PORT: '$PORT', RENDER: 'true' };
    const envLocs: Record<string, Location> = {};
    for (const ev of y.items(y.get(s, 'envVars'))) {
      const key = y.str(y.get(ev, 'key'));
      if (!key) continue;
      const v = y.get(ev, 'value');
      env[key] = v ? y.str(v) : null;
      envLocs[key] = y.loc(v ?? ev);
    }
    const nameNode = y.get(s, 'name') ?? s;
    const verdict = judge(file, { names: [{ what: 'service', name }], platform: 'render.yaml is the Blueprint Render deploys' });
    const target: Target = makeTarget({
      kind: 'render',
      file,
      line: y.loc(nameNode).line,
      name,
      verdict,
      facts: { cwd: null, env: {}, envLocs },
    });
    if (runtime === 'docker') {
      const context = normRel(path.posix.join(dir, y.str(y.get(s, 'dockerContext')) ?? '.')) ?? '';
      const df = normRel(path.posix.join(dir, y.str(y.get(s, 'dockerfilePath')) ?? 'Dockerfile'));
      const image = descriptorImage(project, df, context, null);
      const cmd = y.shellText(y.get(s, 'dockerCommand'));
      if (!image && !cmd) continue;
      target.facts = imageFacts(image, env, envLocs);
      target.processes.push(...imageBuild(project, image));
      if (preDeploy) {
        const p = containerProcess(project, file, 'preDeployCommand', image, { ...preDeploy, form: 'words' }, env);
        if (p) target.processes.push({ ...p, role: 'release' });
      }
      const p = containerProcess(project, file, name, image, cmd ? { ...cmd, form: 'words' } : null, env);
      if (p) {
        p.role = role === 'web' ? 'web' : roleFromProcess(p, false) === 'web' ? 'web' : role;
        target.processes.push(p);
      }
      targets.push(target);
      continue;
    }
    if (runtime === 'image') continue; // a prebuilt image from a registry: nothing in the repo to follow
    if (runtime && runtime !== 'python' && ![build, start, preDeploy].some((c) => c && APP_HINT.test(c.text))) continue;
    if (!build && !start && !preDeploy) continue;
    const app = rootDir ?? dir;
    target.facts = { cwd: '/app', env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs };
    const procs: Process[] = [];
    if (build) procs.push(shellProcess(project, file, app, 'buildCommand', 'build', build, env));
    if (preDeploy) procs.push(shellProcess(project, file, app, 'preDeployCommand', 'release', preDeploy, env));
    if (start) procs.push(shellProcess(project, file, app, name, role, start, env));
    target.processes.push(...procs);
    targets.push(target);
  }
  return targets;
}
