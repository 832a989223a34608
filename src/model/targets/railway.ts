/**
 * Railway (`railway.json` / `railway.toml`) and Nixpacks (`nixpacks.toml`) targets.
 * Railway: `build.buildCommand`, `deploy.preDeployCommand` (a string or a list) and
 * `deploy.startCommand` run in a shell; with the Dockerfile builder (`builder = "DOCKERFILE"`,
 * `dockerfilePath`, or a Dockerfile beside the config) the image is built and `startCommand`
 * replaces its CMD. Nixpacks: `[phases.*] cmds` run at build time and `[start] cmd` starts the
 * app; a railway config beside a nixpacks.toml takes its phases in. Neither Railway nor
 * Nixpacks runs collectstatic; their default Django start command is not modelled (no process
 * is invented), so only what the files say is checked.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { readToml, tomlKey } from '../../parse/toml-pos.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Process, Target } from '../types.js';
import { containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, shellProcess, type PlacedText } from './platform.js';
import { makeTarget } from './make.js';

export function isRailwayConfig(file: string): boolean {
  return /^railway\.(json|toml)$/.test(path.posix.basename(file));
}

export const RAILWAY_CONFIGS: FileSelector = { name: 'railway.json/toml', prefixes: ['railway.'], test: isRailwayConfig };

export function isNixpacksToml(file: string): boolean {
  return path.posix.basename(file) === 'nixpacks.toml';
}

export const NIXPACKS_TOMLS: FileSelector = { name: 'nixpacks.toml', prefixes: ['nixpacks.'], test: isNixpacksToml };

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function posAt(text: string, i: number): { line: number; column: number } {
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

/** Where the string `value` is written after the key `key` (JSON or TOML), for positions. */
function placeAfterKey(text: string, file: string, key: string, value: string, from = 0): PlacedText | null {
  const k = new RegExp(`["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*[:=]`, 'g');
  k.lastIndex = from;
  const m = k.exec(text);
  if (!m) return null;
  const head = value.split('\n')[0];
  let i = text.indexOf(JSON.stringify(head).slice(1, -1), m.index + m[0].length);
  if (i < 0) i = m.index;
  const base = posAt(text, i);
  const endLine = base.line + (value.split('\n').length - 1);
  return { text: value, base, loc: { file, line: base.line, column: base.column, endLine, endColumn: base.column + head.length } };
}

function commands(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The build phases and start command of a nixpacks.toml, as processes. */
function nixpacksProcesses(project: Project, file: string, dir: string, env: Env): { build: Process[]; start: Process | null } {
  const text = project.repo.text(file);
  if (text === null) return { build: [], start: null };
  const parsed = readToml(text, file);
  project.addParseIssues(file, parsed.issues);
  if (!parsed.data) return { build: [], start: null };
  const build: Process[] = [];
  const phases = obj(parsed.data.phases);
  for (const phase of ['setup', 'install', 'build']) {
    const cmds = commands(obj(phases[phase]).cmds);
    const at = tomlKey(text, file, `phases.${phase}`, 'cmds');
    let from = 0;
    if (at) from = text.split('\n').slice(0, at.keyLoc.line - 1).join('\n').length;
    for (const c of cmds) {
      const placed = placeAfterKey(text, file, 'cmds', c, from);
      if (placed) build.push(shellProcess(project, file, dir, `phases.${phase}`, 'build', placed, env));
    }
  }
  const cmd = obj(parsed.data.start).cmd;
  let start: Process | null = null;
  if (typeof cmd === 'string') {
    const at = tomlKey(text, file, 'start', 'cmd');
    if (at) start = shellProcess(project, file, dir, 'start', 'web', { text: cmd, base: at.valueBase, loc: at.valueLoc }, env);
  }
  return { build, start };
}

export function railwayTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  let data: Record<string, unknown> | null = null;
  if (file.endsWith('.json')) {
    try {
      data = obj(JSON.parse(text.replace(/^\uFEFF/, '')));
    } catch (e) {
      project.addParseIssues(file, [{ message: `JSON: ${(e as Error).message}`, loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } }]);
      return [];
    }
  } else {
    const parsed = readToml(text, file);
    project.addParseIssues(file, parsed.issues);
    data = parsed.data;
  }
  if (!data) return [];
  const dir = dirOf(file);
  const build = obj(data.build);
  const deploy = obj(data.deploy);
  const env: Env = { PORT: '$PORT', RAILWAY_ENVIRONMENT: 'production' };
  const builder = typeof build.builder === 'string' ? build.builder.toUpperCase() : null;
  const dfPath = typeof build.dockerfilePath === 'string' ? normRel(path.posix.join(dir, build.dockerfilePath)) : null;
  const docker = builder === 'DOCKERFILE' || (builder === null && (dfPath !== null || project.repo.has(normRel(path.posix.join(dir, 'Dockerfile')) ?? '')));
  const verdict = judge(file, { platform: `${path.posix.basename(file)} is what Railway deploys` });
  const target: Target = makeTarget({
    kind: 'railway',
    file,
    line: 1,
    verdict,
    facts: { cwd: '/app', env: { PORT: '$PORT' }, envLocs: {} as Record<string, Location> },
  });
  const place = (key: string, value: string) => placeAfterKey(text, file, key, value);
  const startCmd = typeof deploy.startCommand === 'string' ? place('startCommand', deploy.startCommand) : null;
  const preDeploy = commands(deploy.preDeployCommand)
    .map((c) => place('preDeployCommand', c))
    .filter((x): x is PlacedText => x !== null);
  if (docker) {
    const image = descriptorImage(project, dfPath ?? normRel(path.posix.join(dir, 'Dockerfile')), dir, null);
    target.facts = imageFacts(image, env, {});
    target.processes.push(...imageBuild(project, image));
    for (const c of preDeploy) {
      const p = containerProcess(project, file, 'preDeployCommand', image, { ...c, form: 'shell' }, env);
      if (p) target.processes.push({ ...p, role: 'release' });
    }
    const p = containerProcess(project, file, 'web', image, startCmd ? { ...startCmd, form: 'shell' } : null, env);
    if (p) target.processes.push({ ...p, role: 'web' });
    return [target];
  }
  const nix = normRel(path.posix.join(dir, 'nixpacks.toml'));
  const fromNix = nix && project.repo.has(nix) ? nixpacksProcesses(project, nix, dir, env) : { build: [], start: null };
  target.processes.push(...fromNix.build);
  if (typeof build.buildCommand === 'string') {
    const c = place('buildCommand', build.buildCommand);
    if (c) target.processes.push(shellProcess(project, file, dir, 'buildCommand', 'build', c, env));
  }
  for (const c of preDeploy) target.processes.push(shellProcess(project, file, dir, 'preDeployCommand', 'release', c, env));
  if (startCmd) target.processes.push(shellProcess(project, file, dir, 'web', 'web', startCmd, env));
  else if (fromNix.start) target.processes.push(fromNix.start);
  return [target];
}

/** A nixpacks.toml with no railway config beside it (Railway reads it too, as do other hosts). */
export function nixpacksTargets(project: Project, file: string): Target[] {
  const dir = dirOf(file);
  if (['railway.json', 'railway.toml'].some((n) => project.repo.has(normRel(path.posix.join(dir, n)) ?? ''))) return [];
  const env: Env = { PORT: '$PORT' };
  const { build, start } = nixpacksProcesses(project, file, dir, env);
  if (build.length === 0 && !start) return [];
  const verdict = judge(file, { platform: 'nixpacks.toml is how Nixpacks (Railway, Coolify, Dokploy) builds and starts the app' });
  return [
    makeTarget({
      kind: 'nixpacks',
      file,
      line: 1,
      verdict,
      processes: [...build, ...(start ? [start] : [])],
      facts: { cwd: '/app', env: { PORT: '$PORT' } },
    }),
  ];
}
