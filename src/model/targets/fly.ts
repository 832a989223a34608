/**
 * Fly.io targets (`fly.toml`): the image built from `[build] dockerfile` (default `Dockerfile`
 * beside fly.toml), each `[processes]` group replacing its CMD (the ENTRYPOINT stays), and
 * `[deploy] release_command` run once per deploy. `[[statics]]` serve files (read by DPL204).
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { readToml, tomlKey, tomlTableLine } from '../../parse/toml-pos.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Target } from '../types.js';
import { containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, type PlacedText } from './platform.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

export function isFlyToml(file: string): boolean {
  return /^fly(\.[A-Za-z0-9_-]+)?\.toml$/.test(path.posix.basename(file));
}

export const FLY_TOMLS: FileSelector = { name: 'fly.toml', prefixes: ['fly.'], test: isFlyToml };

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function flyTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const parsed = readToml(text, file);
  project.addParseIssues(file, parsed.issues);
  const data = parsed.data;
  if (!data) return [];
  const dir = dirOf(file);
  const build = obj(data.build);
  const dfName = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
  const dockerfile = typeof build.image === 'string' || typeof build.builder === 'string' ? null : normRel(path.posix.join(dir, dfName));
  const stage = typeof build['build-target'] === 'string' ? (build['build-target'] as string) : null;
  const image = descriptorImage(project, dockerfile, dir, stage);
  const env: Env = {};
  const envLocs: Record<string, Location> = {};
  for (const [k, v] of Object.entries(obj(data.env))) {
    env[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
    const at = tomlKey(text, file, 'env', k);
    if (at) envLocs[k] = at.valueLoc;
  }
  const verdict = judge(file, { platform: 'fly.toml is what `fly deploy` reads' });
  const appLine = tomlKey(text, file, '', 'app')?.keyLoc.line ?? 1;
  const target: Target = makeTarget({
    kind: 'fly',
    file,
    line: appLine,
    verdict,
    processes: imageBuild(project, image),
    facts: imageFacts(image, env, envLocs),
  });
  // Process groups that receive HTTP traffic: [http_service] and [[services]] name them.
  const http = obj(data.http_service);
  const services = Array.isArray(data.services) ? data.services.map(obj) : [];
  const served = new Set([...strs(http.processes), ...services.flatMap((s) => strs(s.processes))]);
  const hasHttp = Object.keys(http).length > 0 || services.length > 0;
  const placed = (table: string, key: string, value: string): (PlacedText & { form: 'words' }) | null => {
    const at = tomlKey(text, file, table, key);
    if (!at) return null;
    return { text: value, base: at.valueBase, loc: at.valueLoc, form: 'words' };
  };
  const release = obj(data.deploy).release_command;
  if (typeof release === 'string') {
    const cmd = placed('deploy', 'release_command', release);
    const p = cmd ? containerProcess(project, file, 'release_command', image, cmd, env) : null;
    if (p) target.processes.push({ ...p, role: 'release' });
  }
  const groups = Object.entries(obj(data.processes)).filter(([, v]) => typeof v === 'string') as [string, string][];
  if (groups.length > 0) {
    for (const [name, command] of groups) {
      const cmd = placed('processes', name, command);
      const p = cmd ? containerProcess(project, file, name, image, cmd, env) : null;
      if (!p) continue;
      const web = served.size > 0 ? served.has(name) : hasHttp && name === 'app';
      p.role = web ? 'web' : roleFromProcess(p, false);
      target.processes.push(p);
    }
  } else {
    const p = containerProcess(project, file, 'app', image, null, env);
    if (p) {
      p.role = hasHttp || (image?.expose ?? false) ? 'web' : roleFromProcess(p, false);
      target.processes.push(p);
    }
  }
  if (target.processes.length === 0 && !image) {
    // An image from a registry or a buildpack build: nothing in the repository to follow here.
    target.line = tomlTableLine(text, 'build') ?? appLine;
  }
  return [target];
}
