/**
 * Model stage: find the targets (ways the app is started) among the discovered files and follow
 * each of their processes. The kinds, the files each reads and their order are the TARGET_KINDS
 * table (target-kinds.ts).
 */
import { globMatcher } from '../parse/config.js';
import type { FileSelector } from '../discover/repo.js';
import type { Project } from './project.js';
import { djangoCommand, type DjangoCommand } from './servers.js';
import { listedOrder, TARGET_KINDS, type TargetKindEntry } from './target-kinds.js';
import type { ResolvedCommand, Target } from './types.js';

/** Every kind of deployment file a target is found in (a file one of these selects). */
export const DEPLOYMENT_FILES: readonly FileSelector[] = TARGET_KINDS.map((k) => k.files);

export function buildTargets(project: Project): Target[] {
  // Template sources (cookiecutter, copier, Jinja) are not deployment files until rendered.
  const notTemplate = (f: string) => !/\{\{|\{%/.test(f);
  const files = (sel: FileSelector) => project.repo.select(sel).filter(notTemplate);
  const mark = configuredVerdicts(project);
  const built = new Map<TargetKindEntry, Target[]>();
  for (const entry of TARGET_KINDS) built.set(entry, mark(entry.build(project, files(entry.files), { files, earlier: built })));
  const targets = listedOrder(built);
  for (const t of targets) t.collectstatic ??= findCollectstatic(t);
  return targets;
}

/**
 * `targets: production/development` in the configuration overrule the judgement from names
 * (docs/architecture.md, "Production judgement"): globs match the target's file, or `file#service` for a compose service.
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
