/**
 * Where the process sees STATIC_ROOT, from the repository files it loads (docs/architecture.md,
 * "Layers": facts). DPL302 and the static story read it.
 */
import * as path from 'node:path';
import type { Project } from '../model/project.js';
import { imageModel } from '../model/targets/image.js';
import type { PathMapper } from '../model/paths.js';
import type { StaticLocation } from '../parse/nginx.js';
import type { ComposeService } from '../parse/compose.js';
import type { ResolvedCommand, ServerInfo, Target } from '../model/types.js';
import { type Deployment } from './deployments.js';
import { settingsFor, type SettingsChoice } from './settings-facts.js';

/** The mapper from the target's process paths to repo files, and its working directory. */
function targetPaths(project: Project, t: Target): { mapper: PathMapper; cwd: string } | null {
  const df = t.facts.dockerfile;
  if (df) {
    const image = imageModel(project, df.file, df.context, df.stage);
    const cwd = t.facts.cwd ?? image?.cwd ?? null;
    return image && cwd ? { mapper: image.mapper, cwd } : null;
  }
  if (t.kind === 'systemd' && t.facts.cwd && t.facts.cwd.startsWith('/')) {
    // The unit's WorkingDirectory is taken to be a checkout of the repository (strictly: no suffix guessing).
    const wd = path.posix.normalize(t.facts.cwd).replace(/(.)\/+$/, '$1');
    const mapper: PathMapper = {
      toRepo: (p) => (p.startsWith(wd + '/') && project.repo.has(p.slice(wd.length + 1)) ? p.slice(wd.length + 1) : null),
      onPath: () => null,
    };
    return { mapper, cwd: wd };
  }
  return null;
}

function ancestors(p: string): string[] {
  const out: string[] = [];
  let d = path.posix.dirname(p);
  for (;;) {
    out.push(d === '.' ? '' : d);
    if (d === '.' || d === '/' || d === '') break;
    d = path.posix.dirname(d);
  }
  return out;
}

/**
 * Where the repo folder holding `anchor` (a file the process loads) lies in the process's file
 * system: `{ repoDir, procDir }`, found by asking the target's path mapper. Null when unknown.
 */
function placeOf(mapper: PathMapper, cwd: string, anchor: string): { repoDir: string; procDir: string } | null {
  const procDirs = [cwd, ...ancestors(cwd).filter((d) => d.startsWith('/'))];
  for (const procDir of procDirs) {
    for (const repoDir of ancestors(anchor).reverse()) {
      const cand = path.posix.join(procDir, path.posix.relative(repoDir || '.', anchor));
      if (mapper.toRepo(cand, cwd) === anchor) return { repoDir, procDir };
    }
  }
  return null;
}

export interface StaticRootSeen {
  /** STATIC_ROOT as the target's processes see it (absolute). */
  dir: string;
  choice: SettingsChoice;
  /** How it was computed, for messages. */
  how: string;
}

/** STATIC_ROOT of the settings target `t` collects with, as an absolute path in its processes' file system; null when uncertain. */
export function staticRootSeen(project: Project, t: Target, cmd: ResolvedCommand | null, server: ServerInfo | null): StaticRootSeen | null {
  const choices = settingsFor(project, t, cmd, server, !server);
  if (!choices || choices.length === 0) return null;
  let found: StaticRootSeen | null = null;
  for (const c of choices) {
    const v = c.facts.staticRoot;
    if (!v || v.conditional || (v.alternatives ?? []).length > 0) return null;
    let dir: string | null = null;
    let how = '';
    if (v.kind === 'literal' && typeof v.literal === 'string' && v.literal.startsWith('/')) {
      dir = path.posix.normalize(v.literal);
      how = `\`${v.text}\` at ${v.loc.file}:${v.loc.line}`;
    } else if (v.path !== undefined && !v.path.startsWith('/')) {
      const paths = targetPaths(project, t);
      const place = paths ? placeOf(paths.mapper, paths.cwd, c.file) : null;
      if (!place) return null;
      dir = path.posix.join(place.procDir, path.posix.relative(place.repoDir || '.', v.path || '.'));
      how = `\`${v.text}\` at ${v.loc.file}:${v.loc.line}, with ${place.repoDir ? `${place.repoDir}/` : 'the repository'} at ${place.procDir}`;
    } else {
      return null;
    }
    dir = dir.replace(/(.)\/+$/, '$1');
    if (found && found.dir !== dir) return null;
    found ??= { dir, choice: c, how };
  }
  return found;
}

/** The web server's directory for the STATIC_URL folder itself (`/static/` → `/srv/static`), or null. */
export function servedDir(l: StaticLocation, urlPath: string): string | null {
  if (l.modifier && l.modifier !== '^~') return null;
  const bare = (s: string) => s.replace(/\/+$/, '');
  if (bare(l.prefix) !== bare(urlPath) || bare(urlPath) === '') return null;
  if (l.rootInherited) return null;
  const dir = l.alias ?? (l.root !== null ? path.posix.join(l.root, urlPath) : null);
  if (dir === null || !dir.startsWith('/') || /[$${}]/.test(dir)) return null;
  return path.posix.normalize(dir).replace(/(.)\/+$/, '$1');
}

/** The proxy service takes another service's volumes (`volumes_from:`), which this reader does not follow. */
export function sharesVolumesFrom(project: Project, d: Deployment): boolean {
  const text = project.repo.text(d.composeFile!);
  if (text === null) return true;
  const lines = text.split(/\r?\n/).slice(d.proxy!.loc.line - 1, d.proxy!.loc.endLine);
  return lines.some((l) => /^\s*volumes_from\s*:/.test(l));
}

export function serviceOf(d: Deployment, t: Target): ComposeService | null {
  return d.services?.find((s) => t.id === `compose:${d.composeFile}#${s.name}`) ?? null;
}
