/**
 * Compose targets: one per service that runs the Django app (built from a Dockerfile in the repo,
 * or whose command runs Django); databases, caches and proxies are not targets.
 */
import * as path from 'node:path';
import { splitShellWords } from '../../parse/argv.js';
import type { ComposeCommand, ComposeService } from '../../parse/compose.js';
import { literalArg, type Arg, type Env } from '../args.js';
import { judge, type Verdict } from '../production.js';
import type { Project } from '../project.js';
import { resolvePosix, type PathMapper } from '../resolve.js';
import type { ChainStep, Location, Target } from '../types.js';
import { siblingVerdict } from './dockerfile.js';
import { containerArgs, imageModel, imageStart, isServiceImage, runBuild, runContainer, type StartAt } from './image.js';
import { COMPOSE_FILES, copiedName, isComposeFile, overriddenFile, parsedCompose, serviceDockerfile } from './compose-files.js';
import { imageSource } from './image-source.js';
import { roleFromProcess } from './roles.js';

export { COMPOSE_FILES, copiedName, isComposeFile, overriddenFile, parsedCompose, serviceDockerfile };

const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver/;

export interface ComposeUse {
  dockerfile: string;
  production: boolean;
}

/** Words of a command that look like paths (`./run.sh`, `/srv/start.sh`), for a cheap first look. */
function commandPaths(c: ComposeCommand): string[] {
  const words = c.form === 'list' ? c.words.map((w) => w.raw) : c.text.split(/[\s;&|"'()]+/);
  return words.map((w) => w.replace(/^["']|["']$/g, '')).filter((w) => /^(\.{0,2}\/)[\w./-]+$/.test(w) && !w.endsWith('/'));
}

function commandArgs(c: ComposeCommand, file: string): Arg[] {
  if (c.form === 'list') return c.words.map(literalArg);
  const split = splitShellWords(c.text, file, c.base);
  return split.words.map(literalArg);
}

function norm(p: string): string {
  const n = path.posix.normalize(p).replace(/^\.\/?/, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}

export function composeTargets(project: Project, file: string): Target[] {
  const parsed = parsedCompose(project, file);
  if (!parsed || !parsed.isCompose) return [];
  // A copied file is judged by the name it is copied to (and by its content, as any other).
  const judged = copiedName(file) ?? file;
  const copyNote = (v: Verdict): Verdict => (judged === file ? v : { ...v, reason: `${v.reason}; a template, copied to ${path.posix.basename(judged)} before use` });
  let fileVerdict = judge(judged);
  fileVerdict = siblingVerdict(project, file, isComposeFile, fileVerdict);
  const targets: Target[] = [];
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const baseFile = overriddenFile(project, file);
  const baseServices = baseFile ? (parsedCompose(project, baseFile)?.services ?? []) : [];
  for (const written of parsed.services) {
    // `extends:` and a partial service of an override file (`-f docker-compose.yml -f
    // docker-compose.prod.yml`) take what they do not set from the service they build on.
    const partialOf = !written.build && !written.image ? baseServices.find((b) => b.name === written.name) : undefined;
    const eff = effectiveService(project, file, written, partialOf && baseFile ? { file: baseFile, service: partialOf } : null);
    const s = eff.service;
    // A service that runs an image by name alone runs the repository's Dockerfile that builds it.
    const linked = !s.build && s.image ? imageSource(project, s.image.value) : null;
    const built = serviceDockerfile(project, eff.buildFile, s) ?? linked;
    const mentions = [s.command, s.entrypoint].some((c) => c && APP_HINT.test(c.form === 'list' ? c.words.map((w) => w.raw).join(' ') : c.text));
    // No build and no word of Django: still the app when it runs a repository script (mounted in).
    const runsScript = !built && !mentions && [s.command, s.entrypoint].some((c) => c && commandPaths(c).some((w) => volumeMapper(project, dir, s, null).toRepo(w, s.workingDir?.value ?? null) !== null));
    if (!built && !mentions && !runsScript) continue;
    const image = built ? imageModel(project, built.dockerfile, built.context, s.build?.target ?? linked?.target ?? null) : null;
    if (image && isServiceImage(image) && !mentions) continue;
    let verdict: Verdict = fileVerdict;
    if (verdict.production) {
      const names = [{ what: 'service', name: s.name }];
      if (built) names.push({ what: 'Dockerfile', name: built.dockerfile });
      if (s.build?.target) names.push({ what: 'build target', name: s.build.target });
      const v = judge(judged, { names });
      if (!v.production) verdict = v;
      else if (!verdict.reason.startsWith('production by default')) verdict = fileVerdict;
      else verdict = v;
    }
    // The source tree: a folder of the repository (a single file, a config, or a data folder that
    // is not in the repository is not the source).
    const mount = s.volumes.find((v) => {
      const m = /^(\.{1,2}(?:\/[^:]*)?):\/[^:]+/.exec(v.value);
      if (!m) return false;
      const host = norm(path.posix.join(dir, m[1]));
      return !project.repo.has(host) && project.repo.hasDir(host);
    });
    if (verdict.production && mount && verdict.reason.startsWith('production by default')) {
      verdict = { production: false, reason: `development: service \`${s.name}\` mounts the source tree (\`${mount.value}\`), a development set-up` };
    }
    const env: Env = { ...(image?.env ?? {}) };
    const envLocs: Record<string, Location> = { ...(image?.envLocs ?? {}) };
    for (const e of s.environment) {
      env[e.name] = e.value !== null && !e.value.includes('$') ? e.value : null;
      envLocs[e.name] = e.loc;
    }
    verdict = copyNote(verdict);
    const target: Target = {
      id: `compose:${file}#${s.name}`,
      kind: 'compose',
      file,
      line: s.nameLoc.line,
      production: verdict.production,
      productionReason: verdict.reason,
      processes: image ? [runBuild(project, image)] : [],
      collectstatic: null,
      facts: {
        ...(built ? { dockerfile: { file: built.dockerfile, stage: image?.final.name ?? null, context: built.context } } : {}),
        cwd: s.workingDir?.value ?? image?.cwd ?? null,
        env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>,
        envLocs,
      },
    };
    // command/entrypoint override the image's; an entrypoint override resets its CMD.
    const mapper = volumeMapper(project, dir, s, image?.mapper ?? null);
    let args: Arg[] | null = null;
    let reach: ChainStep['reach'] = 'compose-override';
    let at: StartAt | null = null;
    let viaEntrypoint: ChainStep | null = null;
    const overrideLoc = (c: ComposeCommand) => ({ file: c.loc.file, line: c.loc.line, column: c.loc.column, text: c.form === 'list' ? c.words.map((w) => w.raw).join(' ') : c.text.trim(), loc: c.loc });
    if (s.entrypoint || s.command) {
      const ep = s.entrypoint ? commandArgs(s.entrypoint, s.entrypoint.loc.file) : null;
      const cmd = s.command ? commandArgs(s.command, s.command.loc.file) : null;
      if (ep) {
        args = [...ep, ...(cmd ?? [])];
        at = overrideLoc(s.entrypoint!);
      } else if (image) {
        const base = containerArgs(image.entrypoint, null);
        args = [...(base?.args ?? []), ...cmd!];
        at = overrideLoc(s.command!);
        if (base) {
          reach = 'entrypoint+cmd';
          // The command is handed to the image's ENTRYPOINT: that instruction is the next step.
          const i = base.at.instr;
          viaEntrypoint = { file: image.file, line: i.loc.line, column: i.loc.column, text: i.raw.split(/\r?\n/)[0], reach: 'entrypoint+cmd' };
        }
      } else {
        args = cmd!;
        at = overrideLoc(s.command!);
      }
    } else if (image) {
      const start = imageStart(image);
      if (start) ({ args, reach, at } = start);
    }
    if (args && at && args.length > 0) {
      const steps: ChainStep[] = [{ file: at.file, line: at.line, column: at.column, text: at.text, reach }];
      if (viaEntrypoint) steps.push(viaEntrypoint);
      // An image run by name: the service's `image:` line leads to the Dockerfile that builds it.
      if (linked && s.image && at.file === image?.file) steps.unshift({ file: s.image.loc.file, line: s.image.loc.line, column: s.image.loc.column, text: `image: ${s.image.value}`, reach: 'direct' });
      const p = runContainer(
        project,
        { file, cwd: s.workingDir?.value ?? image?.cwd ?? null },
        s.name,
        { args, reach, steps, entry: at.loc },
        env,
        mapper,
      );
      p.role = roleFromProcess(p, s.ports.length > 0 || (image?.expose ?? false) || /^(web|app|django|api|backend|server|site)$/i.test(s.name));
      target.processes.push(p);
    }
    targets.push(target);
  }
  return targets;
}

const MAX_EXTENDS = 8;

/**
 * A service with what it inherits: the base file's service of the same name (for a partial
 * service of an override file), then `extends:` (same file or `file:`), bounded and cycle-safe.
 * `buildFile` is the file whose folder the effective `build.context` is relative to.
 */
export function effectiveService(
  project: Project,
  file: string,
  s: ComposeService,
  base: { file: string; service: ComposeService } | null,
): { service: ComposeService; buildFile: string } {
  let cur = { service: s, buildFile: file };
  if (base) {
    const b = withExtends(project, base.file, base.service, [`${file}#${s.name}`]);
    // The override's own `extends:` is resolved below, from its own file.
    cur = { service: { ...mergeService(b.service, s, b.buildFile, file), extends: s.extends }, buildFile: s.build ? file : b.buildFile };
  }
  if (cur.service.extends) {
    const ext = withExtends(project, file, cur.service, [`${file}#${s.name}`]);
    cur = { service: ext.service, buildFile: cur.service.build ? cur.buildFile : ext.buildFile };
  }
  return cur;
}

function withExtends(project: Project, file: string, s: ComposeService, stack: string[]): { service: ComposeService; buildFile: string } {
  if (!s.extends || stack.length > MAX_EXTENDS) return { service: s, buildFile: file };
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const fromFile = s.extends.file ? norm(path.posix.join(dir, s.extends.file)) : file;
  const key = `${fromFile}#${s.extends.service}`;
  if (fromFile.startsWith('..') || stack.includes(key)) return { service: s, buildFile: file };
  const parent = parsedCompose(project, fromFile)?.services.find((x) => x.name === s.extends!.service);
  if (!parent) return { service: s, buildFile: file };
  const p = withExtends(project, fromFile, parent, [...stack, key]);
  return { service: mergeService(p.service, s, p.buildFile, file), buildFile: s.build ? file : p.buildFile };
}

/** Compose's merge of a service over the one it builds on: what `over` sets wins; lists add up. */
function mergeService(base: ComposeService, over: ComposeService, baseFile: string, overFile: string): ComposeService {
  const rebase = (v: { value: string; loc: Location }) => {
    // A relative bind mount written in another folder's file, seen from `overFile`'s folder.
    const m = /^(\.{1,2}(?:\/[^:]*)?)(:.*)$/.exec(v.value);
    const from = path.posix.dirname(baseFile);
    const to = path.posix.dirname(overFile);
    if (!m || from === to) return v;
    let rel = path.posix.relative(to, path.posix.join(from, m[1])) || '.';
    if (!rel.startsWith('.')) rel = './' + rel;
    return { value: rel + m[2], loc: v.loc };
  };
  const mountTarget = (v: string) => v.split(':')[1] ?? v;
  const overVolumes = over.volumes.map((v) => mountTarget(v.value));
  return {
    ...over,
    build: over.build ?? base.build,
    image: over.image ?? base.image,
    command: over.command ?? base.command,
    entrypoint: over.entrypoint ?? base.entrypoint,
    environment: [...base.environment.filter((e) => !over.environment.some((o) => o.name === e.name)), ...over.environment],
    envFiles: [...base.envFiles, ...over.envFiles],
    ports: [...base.ports, ...over.ports.filter((p) => !base.ports.some((b) => b.value === p.value))],
    volumes: [...base.volumes.map(rebase).filter((v) => !overVolumes.includes(mountTarget(v.value))), ...over.volumes],
    workingDir: over.workingDir ?? base.workingDir,
    profiles: over.profiles.length > 0 ? over.profiles : base.profiles,
    dependsOn: [...new Set([...base.dependsOn, ...over.dependsOn])],
    extends: null,
  };
}

/** Bind mounts (`./src:/app`) map container paths to repo paths before the image's COPYs do. */
function volumeMapper(project: Project, dir: string, s: ComposeService, inner: PathMapper | null): PathMapper {
  const mounts = s.volumes
    .map((v) => /^(\.{1,2}(?:\/[^:]*)?):(\/[^:]+)/.exec(v.value))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ host: norm(path.posix.join(dir, m[1])), container: path.posix.normalize(m[2]).replace(/\/$/, '') }));
  const cwd0 = s.workingDir?.value ?? null;
  return {
    toRepo(p, cwd) {
      const abs = resolvePosix(cwd ?? cwd0 ?? '/', p);
      for (const m of mounts) {
        if (abs === m.container || abs.startsWith(m.container + '/')) {
          const rel = norm(path.posix.join(m.host, abs.slice(m.container.length + 1)));
          if (project.repo.has(rel)) return rel;
        }
      }
      return inner ? inner.toRepo(p, cwd ?? cwd0) : null;
    },
    onPath(name) {
      return inner ? inner.onPath(name) : null;
    },
  };
}
