/**
 * The static files story of a target in one line, for the summary and the text report:
 * `collectstatic: Dockerfile:14 → STATIC_ROOT=/app/staticfiles → WhiteNoise`.
 * Where collectstatic runs (or that it does not), where it writes (as the app's process sees it
 * when that can be computed, else as written), and what serves it.
 */
import * as path from 'node:path';
import type { Project } from '../model/project.js';
import { collectstaticSwitchedOff } from '../model/targets/procfile.js';
import type { Target } from '../model/types.js';
import type { SettingsFacts } from '../settings/read.js';
import { realServers, servesHttp } from './helpers.js';
import { deployments } from './deployments.js';
import { settingsFor } from './settings-facts.js';
import { coversStatic, servedOutsideDjango, staticUrlPath } from './static-facts.js';
import { staticRootSeen } from './static-root.js';

function collectedBy(project: Project, t: Target): string {
  if (t.collectstatic) {
    const c = t.collectstatic.command.loc;
    return `${c.file}:${c.line}`;
  }
  if (t.facts.platformCollectstatic) {
    const reason = t.facts.platformCollectstatic.reason;
    const post = /^(\S+:\d+) runs collectstatic/.exec(reason);
    if (post) return post[1];
    const image = /^Dokku builds the app from (\S+) .* whose line (\d+) runs collectstatic/.exec(reason);
    return image ? `${image[1]}:${image[2]} (Dokku's Dockerfile builder)` : 'by the platform (Heroku buildpack)';
  }
  if (t.kind === 'procfile') {
    const off = collectstaticSwitchedOff(project.repo, path.posix.dirname(t.file) === '.' ? '' : path.posix.dirname(t.file));
    if (off) return `disabled (${off.loc.file}:${off.loc.line})`;
  }
  return 'never';
}

function rootAsWritten(f: SettingsFacts): string {
  const v = f.staticRoot;
  if (!v) return f.staticBackend?.remote ? `none (remote storage)` : 'unset';
  if (v.kind === 'literal') return v.literal === null || v.literal === '' ? 'unset' : String(v.literal);
  if (v.path !== undefined) return v.path || '.';
  if (v.kind === 'env' && v.env?.name) return `$${v.env.name}${v.env.default ? ` (default ${v.env.default.path ?? v.env.default.text})` : ''}`;
  return v.text.length > 40 ? `${v.text.slice(0, 37)}…` : v.text;
}

function servedBy(project: Project, t: Target, f: SettingsFacts | null, targets: Target[]): string {
  if (f?.staticBackend?.remote) return `${f.staticBackend.value.split('.').pop()} (remote storage)`;
  if (f && (f.whitenoise || f.staticBackend?.whitenoise || f.middleware.some((m) => /whitenoise|servestatic/i.test(m.value)))) return 'WhiteNoise';
  const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
  if (web && realServers(web).some((s) => s.server.options.staticMap)) return `${realServers(web)[0].server.kind} static-map`;
  const url = f ? staticUrlPath(f) : null;
  for (const d of deployments(project, targets)) {
    if (!d.targets.includes(t)) continue;
    const l = d.config.facts.staticLocations.find((x) => coversStatic(x, url));
    if (l) return `${d.config.facts.server} (${l.loc.file}:${l.loc.line})`;
  }
  if (f?.staticServeInUrls) return `${f.staticServeView ? `the view ${f.staticServeView}` : 'django.views.static.serve'} (${f.staticServeInUrls.file}:${f.staticServeInUrls.line})`;
  // A platform target is not behind the repository's web server configurations.
  if (!f || t.kind === 'procfile') return f ? 'nothing in the repository' : '?';
  const outside = servedOutsideDjango(project, url ?? '/static/');
  return outside ?? 'nothing in the repository';
}

/**
 * One line about the target's static files, or null for targets that serve no HTTP (workers,
 * build-only images) and for development targets.
 */
export function staticStory(project: Project, target: Target, targets: Target[] = [target]): string | null {
  try {
    if (!target.production) return null;
    const web = target.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
    if (!web) return null;
    const { server } = realServers(web)[0];
    const seen = staticRootSeen(project, target, target.collectstatic, target.collectstatic ? null : server);
    const choices = seen ? [seen.choice] : settingsFor(project, target, target.collectstatic, target.collectstatic ? null : server, !!target.collectstatic);
    const f = choices?.[0]?.facts ?? null;
    const root = seen ? seen.dir : f ? rootAsWritten(f) : '?';
    return `collectstatic: ${collectedBy(project, target)} → STATIC_ROOT=${root} → ${servedBy(project, target, f, targets.includes(target) ? targets : [...targets, target])}`;
  } catch {
    return null;
  }
}
