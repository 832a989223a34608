/** Dockerfile targets: the container started from the last stage (or a compose `target:`). */
import * as path from 'node:path';
import { isDevName, judge, type Verdict } from '../production.js';
import type { Project } from '../project.js';
import type { Target } from '../types.js';
import { containerArgs, DOCKERFILES, imageModel, isDockerfile, isServiceImage, runBuild, runContainer, type ImageModel } from './image.js';
import { ciPushesImage, guessContext, publishedAt } from './image-source.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

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
  return [imageTarget(project, image, 'dockerfile', verdict)];
}

export function imageTarget(project: Project, image: ImageModel, kind: 'dockerfile', verdict: Verdict): Target {
  const target: Target = makeTarget({
    kind,
    file: image.file,
    line: (image.cmd ?? image.entrypoint)?.instr.loc.line ?? image.final.from.loc.line,
    verdict,
    processes: [runBuild(project, image)],
    facts: {
      dockerfile: { file: image.file, stage: image.final.name, context: image.context },
      cwd: image.cwd,
      env: Object.fromEntries(Object.entries(image.env).filter(([, v]) => v !== null)) as Record<string, string>,
      envLocs: image.envLocs,
    },
  });
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

/**
 * The Dockerfile targets: a Dockerfile that a production target of another kind builds
 * (`builders`, whose command may override the image's CMD) is judged through that target, not
 * again on its own; only its shipped default is kept (see `shippedDefaults`).
 */
export function dockerfileKindTargets(project: Project, files: string[], builders: Target[]): Target[] {
  const covered = new Set(builders.filter((t) => t.production).map((t) => t.facts.dockerfile?.file).filter(Boolean));
  const dockerfiles = files.filter((f) => !covered.has(f)).flatMap((f) => dockerfileTargets(project, f));
  // The image's own default, which those targets replace, still ships to `docker run`.
  const shipped = shippedDefaults(project, files.filter((f) => covered.has(f)), builders);
  onlyBuiltForDevelopment(project, dockerfiles, builders);
  return [...dockerfiles, ...shipped];
}

/**
 * Dockerfiles built only by production targets that override their command, whose own
 * ENTRYPOINT/CMD runs a development server: kept as targets that only DPL101 reads (see
 * `TargetFacts.shippedDefault`), with the targets that override it and where the image is published.
 */
function shippedDefaults(project: Project, dockerfiles: string[], builders: Target[]): Target[] {
  const out: Target[] = [];
  for (const f of dockerfiles) {
    for (const t of dockerfileTargets(project, f)) {
      const dev = t.processes.flatMap((p) => p.servers.filter((s) => DEV_SERVER_KINDS.has(s.server.kind)).map((s) => s.server.command.loc));
      if (!t.production || dev.length === 0) continue;
      const using = builders.filter((b) => b.production && b.facts.dockerfile?.file === f);
      // Only when every one of them replaces that start: a target that still reaches the same
      // runserver is reported on its own.
      const reaches = (b: Target) => b.processes.some((p) => p.servers.some((s) => dev.some((l) => l.file === s.server.command.loc.file && l.line === s.server.command.loc.line)));
      if (using.length === 0 || using.some(reaches)) continue;
      const overriddenBy = using.map((b) => b.id.slice(b.kind.length + 1));
      t.production = true;
      t.facts.shippedDefault = { overriddenBy, published: publishedAt(project, f) };
      t.productionReason = `production: its own start command is what \`docker run\`, Kubernetes and registries run, though ${overriddenBy.slice(0, 3).join(', ')}${overriddenBy.length > 3 ? ', …' : ''} replace${overriddenBy.length === 1 ? 's' : ''} it`;
      out.push(t);
    }
  }
  return out;
}

const DEV_SERVER_KINDS = new Set(['runserver', 'runserver_plus']);

/**
 * A Dockerfile that only development targets build (a dev compose service) is development too,
 * unless CI builds and pushes its image. Only a verdict by default is changed.
 */
function onlyBuiltForDevelopment(project: Project, dockerfiles: Target[], builders: Target[]): void {
  for (const t of dockerfiles) {
    if (!t.production || !t.productionReason.startsWith('production by default')) continue;
    const by = builders.filter((b) => b.facts.dockerfile?.file === t.file);
    if (by.length === 0 || by.some((b) => b.production) || ciPushesImage(project, t.file)) continue;
    // A development service that overrides the image's command leaves that command to another use.
    const usesStart = (b: Target) => b.processes.some((p) => p.role !== 'build' && p.commands.some((c) => c.chain.some((st) => st.file === t.file && st.line === t.line)));
    const devServer = t.processes.some((p) => p.servers.length > 0 && p.servers.every((x) => x.server.kind === 'runserver'));
    if (!by.every(usesStart) && !devServer) continue;
    t.production = false;
    const names = by.map((b) => b.id.slice(b.kind.length + 1)).join(', ');
    t.productionReason = by.every(usesStart)
      ? `development: only development targets build and start it (${names})`
      : `development: only development targets build it (${names}), and its own command is the development server`;
  }
}
