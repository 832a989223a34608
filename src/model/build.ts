/**
 * Model stage: find the targets (ways the app is started) among the discovered files and follow
 * each of their processes. Target kinds in priority order: procfile, dockerfile, compose, systemd.
 */
import { globMatcher } from '../config.js';
import type { Project } from './project.js';
import { djangoCommand, type DjangoCommand } from './servers.js';
import { composeTargets, isComposeFile } from './targets/compose.js';
import { dockerfileTargets, isDockerfile } from './targets/dockerfile.js';
import { isProcfile, procfileTargets } from './targets/procfile.js';
import { isSystemdUnit, systemdTargets } from './targets/systemd.js';
import type { ResolvedCommand, Target } from './types.js';

export function buildTargets(project: Project): Target[] {
  // Template sources (cookiecutter, copier, Jinja) are not deployment files until rendered.
  const files = project.repo.files.filter((f) => !/\{\{|\{%/.test(f));
  const mark = configuredVerdicts(project);
  const procfiles = mark(files.filter(isProcfile).flatMap((f) => procfileTargets(project, f)));
  const compose = mark(files.filter(isComposeFile).flatMap((f) => composeTargets(project, f)));
  // A Dockerfile built by a production compose service is judged through that service (whose
  // command may override the image's CMD), not again on its own.
  const coveredByCompose = new Set(compose.filter((t) => t.production).map((t) => t.facts.dockerfile?.file).filter(Boolean));
  const dockerfiles = mark(files.filter((f) => isDockerfile(f) && !coveredByCompose.has(f)).flatMap((f) => dockerfileTargets(project, f)));
  const systemd = mark(files.filter(isSystemdUnit).flatMap((f) => systemdTargets(project, f)));
  const targets = [...procfiles, ...dockerfiles, ...compose, ...systemd];
  for (const t of targets) t.collectstatic ??= findCollectstatic(t);
  return targets;
}

/**
 * `targets: production/development` in the configuration overrule the judgement from names
 * (SPEC §4): globs match the target's file, or `file#service` for a compose service.
 */
function configuredVerdicts(project: Project): (targets: Target[]) => Target[] {
  const { production, development, file } = project.config;
  const dev = globMatcher(development);
  const prod = globMatcher(production);
  return (targets) => {
    for (const t of targets) {
      const names = [t.file, t.id.slice(t.kind.length + 1)];
      if (names.some(dev)) {
        t.production = false;
        t.productionReason = `development: listed under \`targets: development:\` in ${file}`;
      } else if (names.some(prod)) {
        t.production = true;
        t.productionReason = `production: listed under \`targets: production:\` in ${file}`;
      }
    }
    return targets;
  };
}

/** Every `collectstatic` the target runs, in any of its processes (build, release, start), in order. */
export function collectstaticRuns(t: Target): { at: ResolvedCommand; dj: DjangoCommand }[] {
  const out: { at: ResolvedCommand; dj: DjangoCommand }[] = [];
  for (const p of t.processes) {
    for (const c of p.commands) {
      const dj = djangoCommand(c.args);
      if (dj?.name === 'collectstatic') out.push({ at: c, dj });
    }
  }
  return out;
}

/** The first `collectstatic` the target runs. */
export function findCollectstatic(t: Target): ResolvedCommand | null {
  return collectstaticRuns(t)[0]?.at ?? null;
}
