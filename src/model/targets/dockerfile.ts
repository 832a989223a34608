/** Dockerfile targets: the container started from the last stage (or a compose `target:`). */
import * as path from 'node:path';
import { isDevName, judge, type Verdict } from '../production.js';
import type { Project } from '../project.js';
import type { Target } from '../types.js';
import { containerArgs, DOCKERFILES, imageModel, isDockerfile, isServiceImage, runBuild, runContainer, type ImageModel } from './image.js';
import { ciPushesImage, guessContext } from './image-source.js';
import { roleFromProcess } from './roles.js';

export { DOCKERFILES, guessContext, isDockerfile };

/**
 * A file without a marker next to one with a production marker is the development variant:
 * `Dockerfile` beside `Dockerfile.prod`, `docker-compose.yml` beside `docker-compose.prod.yml`.
 */
export function siblingVerdict(project: Project, file: string, same: (f: string) => boolean, v: Verdict): Verdict {
  if (!v.production || !v.reason.startsWith('production by default')) return v;
  const dir = path.posix.dirname(file);
  const sib = project.repo.filesIn(dir === '.' ? '' : dir).find(
    (f) => f !== file && same(f) && /(^|[._-])(prod|production)([._-]|$)/i.test(path.posix.basename(f)),
  );
  if (!sib) return v;
  const ci = same === isDockerfile ? ciPushesImage(project, file) : null;
  if (ci) return { production: true, reason: `production: ${ci} builds and pushes its image (although ${sib} is beside it)` };
  return { production: false, reason: `development: ${sib} beside it is the production variant` };
}

export function dockerfileTargets(project: Project, file: string): Target[] {
  const image = imageModel(project, file, guessContext(project, file), null);
  if (!image || isServiceImage(image)) return [];
  // A base or builder image with no ENTRYPOINT/CMD of its own starts nothing on its own: a
  // compose service (or another Dockerfile) gives it its command, and is judged there.
  if (!containerArgs(image.entrypoint, image.cmd)) return [];
  let verdict = judge(file, image.final.name ? { names: [{ what: 'final stage', name: image.final.name }] } : {});
  verdict = siblingVerdict(project, file, isDockerfile, verdict);
  return [imageTarget(project, image, `dockerfile:${file}`, 'dockerfile', verdict)];
}

export function imageTarget(project: Project, image: ImageModel, id: string, kind: 'dockerfile', verdict: Verdict): Target {
  const target: Target = {
    id,
    kind,
    file: image.file,
    line: (image.cmd ?? image.entrypoint)?.instr.loc.line ?? image.final.from.loc.line,
    production: verdict.production,
    productionReason: verdict.reason,
    processes: [runBuild(project, image)],
    collectstatic: null,
    facts: {
      dockerfile: { file: image.file, stage: image.final.name, context: image.context },
      cwd: image.cwd,
      env: Object.fromEntries(Object.entries(image.env).filter(([, v]) => v !== null)) as Record<string, string>,
      envLocs: image.envLocs,
    },
  };
  if (image.final.name && isDevName(image.final.name) && verdict.production) {
    target.production = false;
    target.productionReason = `development: its final stage is \`${image.final.name}\``;
  }
  const start = containerArgs(image.entrypoint, image.cmd);
  if (start) {
    const at = start.at;
    const p = runContainer(
      project,
      image,
      'container',
      { args: start.args, reach: start.reach, steps: [{ file: image.file, line: at.instr.loc.line, column: at.instr.loc.column, text: at.instr.raw.split(/\r?\n/)[0], reach: start.reach }], entry: at.instr.loc },
      image.env,
      image.mapper,
    );
    p.role = roleFromProcess(p, image.expose);
    target.processes.push(p);
  }
  return target;
}
