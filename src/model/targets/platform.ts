/**
 * Shared pieces of platform descriptor targets (render.yaml, fly.toml, heroku.yml, app.json):
 * a command string the platform runs in a shell, and a container built from a Dockerfile in the
 * repo whose CMD a descriptor may override.
 */
import * as path from 'node:path';
import { splitShellWords } from '../../parse/argv.js';
import { parseShell } from '../../parse/shell.js';
import { literalArg, type Arg, type Env } from '../args.js';
import type { Project } from '../project.js';
import { ProcessBuilder } from '../resolve.js';
import type { PathMapper } from '../paths.js';
import type { ChainStep, Process, Role, TargetFacts } from '../types.js';
import type { Location } from '../../core/location.js';
import { appRootMapper } from './procfile.js';
import { containerArgs, imageModel, imageStart, isServiceImage, runBuild, runContainer, type ImageModel, type StartAt } from './image.js';
import { normPath } from '../../core/paths.js';

/** Where a buildpack-style platform puts the app (commands start there). */
export const APP_ROOT = '/app';

export interface PlacedText {
  text: string;
  base: { line: number; column: number };
  loc: Location;
}

/**
 * Paths of a host process manager's configuration (supervisord, a uWSGI ini): relative ones,
 * with no working directory set, are read from the configuration's folder; absolute ones are on
 * the host and unknown here.
 */
export function configDirMapper(project: Project, dir: string): PathMapper {
  return {
    toRepo(p, cwd) {
      if (p.startsWith('/') || cwd !== null) return null;
      const rel = path.posix.normalize(path.posix.join(dir, p)).replace(/^\.\//, '');
      return !rel.startsWith('..') && project.repo.has(rel) ? rel : null;
    },
    onPath: () => null,
  };
}

/** The folder of a descriptor, `''` for the root. */
export function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

export function normRel(p: string): string | null {
  const n = normPath(p);
  return n.startsWith('..') || n.startsWith('/') ? null : n;
}

/** A command the platform runs with `bash -c` in the app's folder (`dir` of the repo). */
export function shellProcess(
  project: Project,
  file: string,
  dir: string,
  name: string,
  role: Role,
  cmd: PlacedText,
  env: Env,
  mapper: PathMapper = appRootMapper(project, dir),
): Process {
  const b = new ProcessBuilder(project, mapper, name, role, cmd.loc);
  const script = parseShell(cmd.text, file, cmd.base);
  project.addParseIssues(file, script.errors);
  b.runScript(script, { env: { ...env }, cwd: APP_ROOT, positional: [], chain: [], depth: 0, conditional: false, stack: [file] }, role !== 'build');
  return b.process;
}

/** A Dockerfile in the repo built by a descriptor: its image, or null when absent or not the app. */
export function descriptorImage(project: Project, dockerfile: string | null, context: string, stage: string | null): ImageModel | null {
  if (dockerfile === null || !project.repo.has(dockerfile)) return null;
  const image = imageModel(project, dockerfile, context, stage);
  return image && !isServiceImage(image) ? image : null;
}

/** The facts of a target that runs an image (its Dockerfile, working directory, environment). */
export function imageFacts(image: ImageModel | null, env: Env, envLocs: Record<string, Location>): TargetFacts {
  const all: Env = { ...(image?.env ?? {}), ...env };
  return {
    ...(image ? { dockerfile: { file: image.file, stage: image.final.name, context: image.context } } : {}),
    cwd: image?.cwd ?? null,
    env: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null)) as Record<string, string>,
    envLocs: { ...(image?.envLocs ?? {}), ...envLocs },
  };
}

/**
 * A container started from `image` (or from an image outside the repo when null), with `cmd`
 * replacing the image's CMD when given (the ENTRYPOINT stays, as with `docker run image cmd`).
 * `cmd` is split into words (form `words`) or run by `/bin/sh -c` (form `shell`).
 */
export function containerProcess(
  project: Project,
  file: string,
  name: string,
  image: ImageModel | null,
  cmd: (PlacedText & { form: 'words' | 'shell' }) | null,
  env: Env,
): Process | null {
  let args: Arg[] | null = null;
  let reach: ChainStep['reach'] = 'direct';
  let at: StartAt | null = null;
  if (cmd) {
    let words: Arg[];
    if (cmd.form === 'words') {
      const split = splitShellWords(cmd.text, file, cmd.base);
      if (split.error) project.addParseIssues(file, [split.error]);
      words = split.words.map(literalArg);
    } else {
      const w = { raw: cmd.text, parts: [{ kind: 'lit' as const, text: cmd.text }], quoted: false, loc: { file, line: cmd.base.line, column: cmd.base.column, endLine: cmd.loc.endLine, endColumn: cmd.loc.endColumn } };
      const syn = (v: string) => literalArg({ raw: v, parts: [{ kind: 'lit', text: v }], quoted: false, loc: cmd.loc });
      words = [syn('/bin/sh'), syn('-c'), literalArg(w)];
    }
    const base = image ? containerArgs(image.entrypoint, null) : null;
    args = [...(base?.args ?? []), ...words];
    reach = base ? 'entrypoint+cmd' : 'compose-override';
    at = { file, line: cmd.loc.line, column: cmd.loc.column, text: cmd.text.split(/\r?\n/)[0].trim(), loc: cmd.loc };
  } else if (image) {
    const start = imageStart(image);
    if (start) ({ args, reach, at } = start);
  }
  if (!args || !at || args.length === 0) return null;
  const mapper: PathMapper = image?.mapper ?? { toRepo: () => null, onPath: () => null };
  return runContainer(
    project,
    { file, cwd: image?.cwd ?? null },
    name,
    { args, reach, steps: [{ file: at.file, line: at.line, column: at.column, text: at.text, reach }], entry: at.loc },
    { ...(image?.env ?? {}), ...env },
    mapper,
  );
}

/** The image's RUN instructions as the target's `build` process. */
export function imageBuild(project: Project, image: ImageModel | null): Process[] {
  return image ? [runBuild(project, image)] : [];
}
