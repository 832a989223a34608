/**
 * Google App Engine targets (`app.yaml` with a Python runtime). Standard environment: the
 * `entrypoint` runs in a shell; without one App Engine starts `gunicorn -b :$PORT main:app`
 * itself (gunicorn provided by the platform), which needs `main.py` beside app.yaml.
 * Flexible `runtime: custom` builds the Dockerfile beside it. App Engine never runs
 * collectstatic; `handlers: static_dir` serve uploaded files (read by DPL204).
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { YamlDoc } from '../../parse/yaml-doc.js';
import { literalWord } from '../../parse/argv.js';
import { literalArg, type Env } from '../args.js';
import { ProcessBuilder } from '../resolve.js';
import { appRootMapper } from './procfile.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { ChainStep, Target } from '../types.js';
import type { Command } from '../../core/words.js';
import type { Location } from '../../core/location.js';
import { containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, shellProcess } from './platform.js';
import { makeTarget } from './make.js';

export function isAppYaml(file: string): boolean {
  return /^app\.ya?ml$/.test(path.posix.basename(file)) || /^[\w-]+\.ya?ml$/.test(path.posix.basename(file)) && /(^|\/)(appengine|gae|app-engine)\//.test(file);
}

export const APP_YAMLS: FileSelector = { name: 'App Engine app.yaml', prefixes: ['app.'], dir: (d) => /(^|\/)(appengine|gae|app-engine)(\/|$)/.test(d), test: isAppYaml };

export function appEngineTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null || !/^runtime\s*:/m.test(text)) return [];
  const y = new YamlDoc(text, file);
  const runtime = y.str(y.get(y.root, 'runtime'));
  if (!runtime) return [];
  const flex = y.str(y.get(y.root, 'env')) === 'flex' || y.str(y.get(y.root, 'env')) === 'flexible';
  if (!/^python/.test(runtime) && !(runtime === 'custom' && flex)) return [];
  project.addParseIssues(file, y.issues);
  const dir = dirOf(file);
  const env: Env = { PORT: '$PORT' };
  const envLocs: Record<string, Location> = {};
  for (const p of y.pairs(y.get(y.root, 'env_variables'))) {
    env[p.key] = y.str(p.value);
    envLocs[p.key] = y.loc(p.value ?? p.keyNode);
  }
  const service = y.str(y.get(y.root, 'service'));
  const verdict = judge(file, { names: service ? [{ what: 'service', name: service }] : [], platform: 'app.yaml is what `gcloud app deploy` deploys to App Engine' });
  const target: Target = makeTarget({
    kind: 'app-engine',
    file,
    line: y.loc(y.keyNode(y.root, 'runtime')).line,
    verdict,
    facts: { cwd: '/app', env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs },
  });
  const entry = y.shellText(y.get(y.root, 'entrypoint'));
  if (runtime === 'custom') {
    const image = descriptorImage(project, normRel(path.posix.join(dir, 'Dockerfile')), dir, null);
    target.facts = imageFacts(image, env, envLocs);
    target.processes.push(...imageBuild(project, image));
    const p = containerProcess(project, file, 'default', image, null, env);
    if (p) target.processes.push({ ...p, role: 'web' });
    return [target];
  }
  if (entry) {
    target.processes.push(shellProcess(project, file, dir, service ?? 'default', 'web', entry, env));
  } else {
    // The platform's default entrypoint, placed on the `runtime:` line that selects it.
    // Every word of it points at the `runtime:` value that selects it.
    const rt = y.loc(y.get(y.root, 'runtime'));
    const words = ['gunicorn', '-b', ':$PORT', 'main:app'].map((w) => literalWord(w, rt));
    const b = new ProcessBuilder(project, appRootMapper(project, dir), service ?? 'default', 'web', rt);
    const cmd: Command = { words, assignments: [], loc: rt, text: 'gunicorn -b :$PORT main:app (App Engine default)' };
    const step: ChainStep = { file, line: rt.line, column: rt.column, text: `runtime: ${runtime} (no entrypoint: App Engine runs gunicorn -b :$PORT main:app)`, reach: 'direct' };
    b.runArgs(words.map(literalArg), cmd, { env: { ...env }, cwd: '/app', positional: [], chain: [step], depth: 0, conditional: false, stack: [file] }, true);
    target.processes.push(b.process);
  }
  return [target];
}
