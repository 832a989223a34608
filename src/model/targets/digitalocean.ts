/**
 * DigitalOcean App Platform targets (`.do/app.yaml`, `.do/deploy.template.yaml` whose app spec
 * is under `spec:`): one per service, worker and job that runs the app. Buildpack components run
 * `build_command` at build time and `run_command` in a shell from the app's folder (the
 * `source_dir`, `/workspace` there, modelled as `/app` like every buildpack platform); App Platform's Python buildpack is Heroku's, which runs
 * `manage.py collectstatic --noinput` itself unless `DISABLE_COLLECTSTATIC` is set in `envs`.
 * Components with `dockerfile_path` build that Dockerfile; `run_command` replaces its CMD.
 * Jobs of `kind: PRE_DEPLOY` run before each deploy (the release phase).
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Node as YNode } from 'yaml';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Role, Target } from '../types.js';
import { APP_ROOT, containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, shellProcess } from './platform.js';
import { appRootMapper, managePyNear } from './procfile.js';
import { makeTarget } from './make.js';

export function isDigitalOceanSpec(file: string): boolean {
  return /(^|\/)\.do\/(app|deploy\.template)\.ya?ml$/.test(file);
}

export const DIGITALOCEAN_SPECS: FileSelector = { name: 'DigitalOcean app spec', dir: (d) => /(^|\/)\.do$/.test(d), test: isDigitalOceanSpec };

const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver|collectstatic/;

function jobRole(kind: string | null): Role {
  return kind === 'PRE_DEPLOY' ? 'release' : 'other';
}

export function digitalOceanTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const spec = y.get(y.root, 'spec') ?? y.root;
  // The spec sits at the repo's root: `.do/` holds it, paths in it are from the root.
  const root = dirOf(dirOf(file));
  const targets: Target[] = [];
  const groups: [string, (c: YNode) => Role][] = [
    ['services', () => 'web'],
    ['workers', () => 'worker'],
    ['jobs', (c) => jobRole(y.str(y.get(c, 'kind')))],
  ];
  for (const [group, roleOf] of groups) {
    for (const c of y.items(y.get(spec, group))) {
      const name = y.str(y.get(c, 'name')) ?? group;
      const role = roleOf(c);
      const run = y.shellText(y.get(c, 'run_command'));
      const build = y.shellText(y.get(c, 'build_command'));
      const slug = y.str(y.get(c, 'environment_slug'));
      const dockerfilePath = y.str(y.get(c, 'dockerfile_path'));
      const sourceDir = normRel(path.posix.join(root, y.str(y.get(c, 'source_dir')) ?? '.'));
      if (sourceDir === null) continue;
      const env: Env = { PORT: '$PORT' };
      const envLocs: Record<string, Location> = {};
      for (const ev of y.items(y.get(c, 'envs'))) {
        const key = y.str(y.get(ev, 'key'));
        if (!key) continue;
        const v = y.get(ev, 'value');
        // SECRET values are encrypted in the spec: their text is not the value.
        env[key] = v && y.str(y.get(ev, 'type')) !== 'SECRET' ? y.str(v) : null;
        envLocs[key] = y.loc(v ?? ev);
      }
      const verdict = judge(file, { names: [{ what: group.replace(/s$/, ''), name }], platform: `${path.posix.basename(file)} is the app spec DigitalOcean App Platform deploys` });
      const target: Target = makeTarget({
        kind: 'digitalocean',
        file,
        line: y.loc(y.get(c, 'name') ?? c).line,
        name,
        verdict,
        facts: { cwd: null, env: {}, envLocs },
      });
      if (dockerfilePath) {
        const df = normRel(path.posix.join(root, dockerfilePath));
        const image = descriptorImage(project, df, sourceDir, null);
        if (!image && !run) continue;
        if (!image && run && !APP_HINT.test(run.text)) continue;
        target.facts = imageFacts(image, env, envLocs);
        if (role === 'web' || group === 'workers') target.processes.push(...imageBuild(project, image));
        const p = containerProcess(project, file, name, image, run ? { ...run, form: 'shell' } : null, env);
        if (p) target.processes.push({ ...p, role });
        if (target.processes.some((x) => x.role !== 'build')) targets.push(target);
        continue;
      }
      if (y.get(c, 'image')) continue; // a prebuilt image from a registry: nothing in the repo to follow
      if (!build && !run) continue;
      if (slug && slug !== 'python' && ![build, run].some((x) => x && APP_HINT.test(x.text))) continue;
      if (!slug && ![build, run].some((x) => x && APP_HINT.test(x.text))) continue;
      target.facts = { cwd: APP_ROOT, env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>, envLocs };
      const mapper = appRootMapper(project, sourceDir);
      if (build) target.processes.push(shellProcess(project, file, sourceDir, 'build_command', 'build', build, env, mapper));
      if (run) target.processes.push(shellProcess(project, file, sourceDir, name, role, run, env, mapper));
      const managePy = managePyNear(project, sourceDir);
      const disabled = Object.prototype.hasOwnProperty.call(env, 'DISABLE_COLLECTSTATIC') && env.DISABLE_COLLECTSTATIC !== '0' && env.DISABLE_COLLECTSTATIC !== '';
      if (managePy && role !== 'release' && group !== 'jobs' && !disabled) {
        target.facts.platformCollectstatic = {
          reason: `DigitalOcean App Platform builds Python with Heroku's buildpack, which runs \`manage.py collectstatic --noinput\` at build time (found ${managePy})`,
        };
      }
      targets.push(target);
    }
  }
  return targets;
}
