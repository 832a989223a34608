/** Dockerfile targets: the container started from the last stage (or a compose `target:`). */
import * as path from 'node:path';
import { isDevName, judge, type Verdict } from '../production.js';
import type { Project } from '../project.js';
import type { Target } from '../types.js';
import { containerArgs, DOCKERFILES, imageModel, isDockerfile, isServiceImage, parsedDockerfile, runBuild, runContainer, type ImageModel } from './image.js';
import { roleFromProcess } from './roles.js';

export { DOCKERFILES, isDockerfile };

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

/**
 * The CI workflow that builds a Dockerfile and pushes the image (docker/build-push-action with
 * `file:` and a `push:` that is not `false`, or `docker build -f` with a `docker push`), or null.
 */
export function ciPushesImage(project: Project, dockerfile: string): string | null {
  return project.cached(`ci-pushes:${dockerfile}`, () => {
    const workflows = [...project.repo.filesIn('.github/workflows'), ...project.repo.filesIn('').filter((f) => f === '.gitlab-ci.yml')];
    const same = (p: string) => path.posix.normalize(p.replace(/^["']|["']$/g, '')).replace(/^\.\//, '') === dockerfile;
    for (const wf of workflows) {
      if (!/\.ya?ml$/.test(wf)) continue;
      const lines = (project.repo.text(wf) ?? '').split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const m = /^\s*file:\s*(\S+)\s*$/.exec(lines[i]);
        if (m && same(m[1])) {
          const step = lines.slice(Math.max(0, i - 8), i + 8).join('\n');
          const push = /^\s*push:\s*(.+)$/m.exec(step);
          if (push && !/^(false|'false'|"false")\s*$/.test(push[1].trim())) return wf;
        }
        const b = /docker\s+(?:buildx\s+)?build\b.*(?:-f|--file)[ =]+(\S+)/.exec(lines[i]);
        if (b && same(b[1]) && (/\s--push\b/.test(lines[i]) || lines.some((l) => /docker\s+push\b/.test(l)))) return wf;
      }
    }
    return null;
  });
}

/**
 * The build context of a Dockerfile built on its own: its folder, unless its COPY sources only
 * make sense from the repository root (`docker build -f docker/Dockerfile .`).
 */
export function guessContext(project: Project, file: string): string {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  if (dir === '') return '';
  const parsed = parsedDockerfile(project, file);
  const sources = (parsed?.stages ?? []).flatMap((s) => s.copies.filter((c) => !c.from).flatMap((c) => c.sources.map((x) => x.value)));
  const named = sources.filter((s) => s !== '.' && s !== './' && !s.startsWith('<<') && !/[*?[]/.test(s));
  const exists = (ctx: string) => named.filter((s) => {
    const rel = path.posix.normalize(path.posix.join(ctx, s)).replace(/\/$/, '').replace(/^\.$/, '');
    return project.repo.has(rel) || project.repo.hasDir(rel);
  }).length;
  return exists('') > exists(dir) ? '' : dir;
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
