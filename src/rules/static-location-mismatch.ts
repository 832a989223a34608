/**
 * DPL302 static-location-mismatch: the web server's location for STATIC_URL does not point at the
 * directory collectstatic fills (STATIC_ROOT as the app's process sees it: the image's WORKDIR and
 * COPYs, the unit's WorkingDirectory, a compose volume mounted in both services). Also an nginx /
 * Apache alias for a prefix ending in `/` whose directory lacks the trailing `/` (every file is
 * looked up as `…staticfilescss/site.css`). Silent whenever a side is uncertain.
 */
import * as path from 'node:path';
import type { Project } from '../model/project.js';
import { imageModel } from '../model/targets/image.js';
import type { PathMapper } from '../model/paths.js';
import type { StaticLocation } from '../parse/nginx.js';
import type { ComposeService } from '../parse/compose.js';
import type { ResolvedCommand, ServerInfo, Target } from '../model/types.js';
import { realServers, servesHttp, textAt } from './helpers.js';
import { deployments, mounts, translate, type Deployment } from './proxy-upstream-mismatch.js';
import { describeChoice, settingsFor, type SettingsChoice } from './settings-facts.js';
import { staticUrlPath } from './static-facts.js';
import { defineRule, type Report } from './types.js';

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
function servedDir(l: StaticLocation, urlPath: string): string | null {
  if (l.modifier && l.modifier !== '^~') return null;
  const bare = (s: string) => s.replace(/\/+$/, '');
  if (bare(l.prefix) !== bare(urlPath) || bare(urlPath) === '') return null;
  if (l.rootInherited) return null;
  const dir = l.alias ?? (l.root !== null ? path.posix.join(l.root, urlPath) : null);
  if (dir === null || !dir.startsWith('/') || /[$${}]/.test(dir)) return null;
  return path.posix.normalize(dir).replace(/(.)\/+$/, '$1');
}

/** The proxy service takes another service's volumes (`volumes_from:`), which this reader does not follow. */
function sharesVolumesFrom(project: Project, d: Deployment): boolean {
  const text = project.repo.text(d.composeFile!);
  if (text === null) return true;
  const lines = text.split(/\r?\n/).slice(d.proxy!.loc.line - 1, d.proxy!.loc.endLine);
  return lines.some((l) => /^\s*volumes_from\s*:/.test(l));
}

function serviceOf(d: Deployment, t: Target): ComposeService | null {
  return d.services?.find((s) => t.id === `compose:${d.composeFile}#${s.name}`) ?? null;
}

const messages = {
  noTrailingSlash:
    '{{server}} in {{file}} maps `{{prefix}}` to `{{alias}}` without a trailing slash: `{{prefix}}css/site.css` is looked up as `{{alias}}css/site.css`, so every static file returns 404',
  elsewhere:
    '{{server}} in {{file}} serves `{{prefix}}` from `{{served}}`{{seenAs}}, but collectstatic writes to STATIC_ROOT `{{root}}` ({{how}}, {{settings}}): the web server looks where no collected file is, so every static request returns 404. If that folder is filled outside this repository, silence this with `rules: { DPL302: off }` in .django-deploy-lint.yml',
} as const;

export const staticLocationMismatch = defineRule({
  id: 'DPL302',
  name: 'static-location-mismatch',
  severity: 'warning',
  summary: "The web server's static location does not point at STATIC_ROOT.",
  messages,
  // The missing trailing slash of an alias: every lookup under the prefix fails today, and the
  // slash makes it the directory the alias names. Nothing that works can change.
  fixable: 'safe',
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const seen = new Set<string>();
    for (const d of deployments(project, targets)) {
      const { facts } = d.config;
      // The app targets of the deployment, each with STATIC_ROOT as its processes see it.
      const apps: { t: Target; root: StaticRootSeen; url: string | null }[] = [];
      let uncertain = false;
      for (const t of d.targets) {
        const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
        if (!web) continue;
        const { server, at } = realServers(web)[0];
        const root = staticRootSeen(project, t, t.collectstatic, t.collectstatic ? null : server);
        if (!root) {
          uncertain = true;
          continue;
        }
        apps.push({ t, root, url: staticUrlPath(root.choice.facts) });
        void at;
      }
      for (const l of facts.staticLocations) {
        // nginx/Apache: `location /static/ { alias /x/staticfiles; }` looks up /x/staticfilescss/site.css.
        if (facts.server !== 'caddy' && l.alias && l.prefix.endsWith('/') && !l.alias.endsWith('/') && !/[$]/.test(l.alias) && l.modifier !== '~' && l.modifier !== '~*' && /static/i.test(l.prefix)) {
          const loc = l.valueLoc ?? l.loc;
          const key = `${loc.file}:${loc.line}:${loc.column}`;
          if (!seen.has(key)) {
            seen.add(key);
            out.push({
              messageId: 'noTrailingSlash',
              data: { server: facts.server, file: facts.file, prefix: l.prefix, alias: l.alias },
              loc,
              target: d.targets[0] ?? null,
              help: facts.server === 'nginx' ? `alias ${l.alias}/;` : `Alias ${l.prefix} ${l.alias}/`,
              // The value as written in the file (not through a variable or an include).
              ...(textAt(project.repo, loc) === l.alias
                ? { fix: { title: `Add the trailing slash: ${l.alias}/`, safety: 'safe' as const, edits: [{ file: loc.file, range: { start: { line: loc.endLine, column: loc.endColumn }, end: { line: loc.endLine, column: loc.endColumn } }, text: '/' }] } }
                : {}),
            });
          }
          continue;
        }
        if (uncertain || apps.length === 0) continue;
        const checks: { t: Target; root: StaticRootSeen; dir: string | null; served: string }[] = [];
        let unknown = false;
        for (const a of apps) {
          if (a.url === null) {
            unknown = true;
            continue;
          }
          const served = servedDir(l, a.url);
          if (served === null) continue;
          let dir: string | null = served;
          if (d.kind === 'compose') {
            const svc = serviceOf(d, a.t);
            dir = svc ? translate(d.composeFile!, d.proxy!, svc, served) : null;
            if (dir === null) {
              // A stock web server image (not built here) has only its volumes: a folder outside them is empty.
              const outside = !d.proxy!.build && !sharesVolumesFrom(project, d) && !mounts(d.composeFile!, d.proxy!).some((m) => served === m.target || served.startsWith(m.target + '/') || m.target.startsWith(served + '/'));
              if (!outside) {
                unknown = true; // built into the web server's image, or a volume another service fills
                continue;
              }
              checks.push({ t: a.t, root: a.root, dir: null, served });
              continue;
            }
          }
          checks.push({ t: a.t, root: a.root, dir: dir.replace(/(.)\/+$/, '$1'), served });
        }
        if (unknown || checks.length === 0 || checks.some((c) => c.dir === c.root.dir)) continue;
        const c = checks[0];
        const loc = l.valueLoc ?? l.loc;
        const key = `${loc.file}:${loc.line}:${loc.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const svc = d.kind === 'compose' ? serviceOf(d, c.t) : null;
        const seenAs =
          c.dir === null
            ? ` (no volume of service \`${d.proxy?.name}\` holds that folder, so it is empty in the ${d.proxy?.image?.value ?? 'web server'} image)`
            : c.dir !== c.served
              ? ` (\`${c.dir}\` in service \`${svc?.name}\`, through the volume both mount)`
              : '';
        const back = d.kind === 'compose' && svc ? translate(d.composeFile!, svc, d.proxy!, c.root.dir) : c.root.dir;
        out.push({
          messageId: 'elsewhere',
          data: { server: facts.server, file: facts.file, prefix: l.prefix, served: c.served, seenAs, root: c.root.dir, how: c.root.how, settings: describeChoice(c.root.choice) },
          loc,
          target: c.t,
          help: back
            ? facts.server === 'nginx'
              ? `alias ${back}/; in location ${l.prefix}`
              : `serve ${l.prefix} from ${back}`
            : `mount the volume that holds ${c.root.dir} in service \`${d.proxy?.name}\` and serve ${l.prefix} from there`,
        });
      }
    }
    return out;
  },
});
