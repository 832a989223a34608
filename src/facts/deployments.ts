/**
 * Deployments (docs/architecture.md, "Layers": facts): which web-server configs and compose services
 * put a proxy in front of which app server, the binds each server listens on, and how paths
 * translate between compose services. DPL301, DPL302 and the static story read them.
 *
 * Which web server configurations belong to which
 * deployment. A configuration joins
 * - a compose file: when a web server service of that file (nginx/Caddy/httpd image, or built
 *   from a Dockerfile FROM one) bind-mounts it (or its folder) or builds from a context that
 *   holds it; paths are then those of the web server's container;
 * - the app's own container: when the app's Dockerfile COPYs/ADDs it;
 * - the host: when it joins nothing else and production systemd units exist (repo-wide, only
 *   when unambiguous).
 * Anything else (an orphan config, a template filled at start, a variable address) stays silent.
 */
import * as path from 'node:path';
import type { ComposeService } from '../parse/compose.js';
import type { Upstream, WebServerFacts } from '../parse/nginx.js';
import type { FileSelector } from '../discover/repo.js';
import type { Project } from '../model/project.js';
import { parsedCompose, serviceDockerfile } from '../model/targets/compose.js';
import type { ChainStep, ServerInfo, Target } from '../model/types.js';
import { realServers, servesHttp } from './helpers.js';
import { parsedWebConfigs } from './web-configs.js';
import { FactKey, fact } from './fact.js';
import { normPath } from '../core/paths.js';

const WEB_CONFIGS = new FactKey<WebConfig[]>('web-server configs with their facts');
const SOCKET_BINDS = new FactKey<ReturnType<typeof socketUnits>>('ListenStream= of the systemd socket units');

export interface WebConfig {
  file: string;
  facts: WebServerFacts;
}

/** Where a configuration runs, and the production targets it fronts. */
export interface Deployment {
  config: WebConfig;
  kind: 'compose' | 'container' | 'host';
  /** The targets the web server sits in front of (production ones only). */
  targets: Target[];
  /** compose: the file, its services and the web server service. */
  composeFile?: string;
  services?: ComposeService[];
  proxy?: ComposeService;
}

const WEB_SERVER_IMAGE = /(^|[/\s])(nginx|openresty|caddy|httpd|apache2?)([-:@\s]|$)/i;

/** Every readable nginx / Caddy / Apache configuration of the repository, read without errors (templates with Jinja or ERB markup excluded). */
export function webConfigs(project: Project): WebConfig[] {
  return fact(project, WEB_CONFIGS, () =>
    parsedWebConfigs(project)
      .filter((c) => !/\{\{|\{%|\.erb$/.test(c.file) && !/\{\{|\{%|<%/.test(c.text))
      .flatMap((c) => (c.error || c.issues.length > 0 ? [] : [{ file: c.file, facts: c.facts }])),
  );
}

/** A service runs a web server: its image, or the first FROM of the Dockerfile it builds. */
function webServerService(project: Project, composeFile: string, s: ComposeService): boolean {
  if (s.image && WEB_SERVER_IMAGE.test(` ${s.image.value} `)) return true;
  const built = serviceDockerfile(project, composeFile, s);
  if (!built) return false;
  return WEB_SERVER_IMAGE.test(` ${finalFrom(project.repo.text(built.dockerfile), s.build?.target ?? null) ?? ''} `);
}

/** The image the run stage of a Dockerfile is built FROM (the `target` stage, else the last one). */
function finalFrom(text: string | null, target: string | null): string | null {
  if (!text) return null;
  const froms = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)];
  const m = (target ? froms.find((f) => f[2]?.toLowerCase() === target.toLowerCase()) : undefined) ?? froms[froms.length - 1];
  return m ? m[1] : null;
}

/** A Dockerfile COPYs/ADDs a file of that name (not from another stage). */
function copiesFile(text: string | null, file: string): boolean {
  if (!text) return false;
  const base = path.posix.basename(file);
  return text.split(/\r?\n/).some((l) => /^\s*(COPY|ADD)\s/i.test(l) && !/--from/i.test(l) && l.split(/\s+/).some((w) => w === file || w.endsWith('/' + base) || w === base || w === './' + file));
}

/** One mount of a service: `source` (a named volume, or a repo-relative host path prefixed with `./`) at `target`. */
export interface Mount {
  source: string;
  target: string;
}

/** The service's volumes: named volumes and bind mounts, with their container path. */
export function mounts(composeFile: string, s: ComposeService): Mount[] {
  const dir = path.posix.dirname(composeFile) === '.' ? '' : path.posix.dirname(composeFile);
  const out: Mount[] = [];
  for (const v of s.volumes) {
    const m = /^([^:]+):(\/[^:]*)(?::[a-z,]+)?$/.exec(v.value.trim());
    if (!m || m[1].includes('$')) continue;
    const src = m[1];
    const source = src.startsWith('.') ? `./${normPath(path.posix.join(dir, src))}` : src.startsWith('/') || src.startsWith('~') ? src : src;
    out.push({ source, target: path.posix.normalize(m[2]).replace(/(.)\/$/, '$1') });
  }
  return out;
}

/** Is `p` the folder `dir` or inside it (repo paths, '' = root)? */
function within(p: string, dir: string): boolean {
  return dir === '' || p === dir || p.startsWith(dir + '/');
}

/** The deployments of every web server configuration that joins one. */
export function deployments(project: Project, targets: Target[]): Deployment[] {
  const out: Deployment[] = [];
  const configs = webConfigs(project);
  if (configs.length === 0) return out;
  const prod = targets.filter((t) => t.production);
  const joined = new Set<string>();
  const composeFiles = [...new Set(targets.filter((t) => t.kind === 'compose').map((t) => t.file))];
  for (const file of composeFiles) {
    const parsed = parsedCompose(project, file);
    if (!parsed?.isCompose) continue;
    const fileTargets = prod.filter((t) => t.file === file);
    for (const s of parsed.services) {
      if (!webServerService(project, file, s)) continue;
      const built = serviceDockerfile(project, file, s);
      const binds = mounts(file, s).filter((m) => m.source.startsWith('./')).map((m) => m.source.slice(2));
      for (const c of configs) {
        const byMount = binds.some((b) => within(c.file, b));
        const byBuild = !!built && within(c.file, built.context) && c.file !== built.dockerfile && (built.context !== '' || copiesFile(project.repo.text(built.dockerfile), c.file));
        if (!byMount && !byBuild) continue;
        joined.add(c.file);
        // A development compose file (no production targets) is joined but not checked.
        if (fileTargets.length > 0) out.push({ config: c, kind: 'compose', targets: fileTargets, composeFile: file, services: parsed.services, proxy: s });
      }
    }
  }
  for (const c of configs) {
    if (joined.has(c.file)) continue;
    // The app's own image copies the configuration in (nginx and the app in one container).
    const same = prod.filter((t) => {
      const df = t.facts.dockerfile;
      if (!df || !within(c.file, df.context)) return false;
      const text = project.repo.text(df.file);
      if (!text || WEB_SERVER_IMAGE.test(` ${finalFrom(text, df.stage) ?? ''} `)) return false;
      return copiesFile(text, c.file);
    });
    if (same.length > 0) {
      joined.add(c.file);
      out.push({ config: c, kind: 'container', targets: same });
      continue;
    }
    // Repo-wide: the host's units, when the repository has no compose or container deployment that could use it instead.
    const units = prod.filter((t) => t.kind === 'systemd' && t.processes.some((p) => servesHttp(p) && realServers(p).length > 0));
    const containers = prod.some((t) => t.kind === 'compose' || t.kind === 'dockerfile');
    if (units.length > 0 && !containers) out.push({ config: c, kind: 'host', targets: units });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Binds
// ---------------------------------------------------------------------------------------------

export interface Bind {
  host: string | null;
  port: number | null;
  socket: string | null;
}

/** Ports servers use when only a host is given. */
const DEFAULT_PORT: Partial<Record<ServerInfo['kind'], number>> = { uvicorn: 8000, daphne: 8000, granian: 8000, waitress: 8080 };

/** A bind value as the server reads it; null when it cannot be known (variables, fd://, endpoints). */
export function parseBind(value: string, kind: ServerInfo['kind'], cwd: string | null): Bind | null {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v === '' || v.includes('$') || v.includes('`')) return null;
  if (/^unix:/i.test(v)) {
    const p = v.replace(/^unix:(\/\/)?/i, '');
    return p.startsWith('/') ? { host: null, port: null, socket: path.posix.normalize(p) } : cwd ? { host: null, port: null, socket: path.posix.join(cwd, p) } : null;
  }
  if (/^[a-z]+:\/\//i.test(v) || /^(tcp|ssl|fd):/i.test(v)) return null;
  if (v.startsWith('/') || /\.sock$/.test(v)) {
    return v.startsWith('/') ? { host: null, port: null, socket: path.posix.normalize(v) } : cwd ? { host: null, port: null, socket: path.posix.join(cwd, v) } : null;
  }
  const m = /^(\[[^\]]*\]|[^:]*):(\d*)$/.exec(v);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : (DEFAULT_PORT[kind] ?? null);
  if (port === null) return null;
  return { host: m[1] || null, port, socket: null };
}

/**
 * The binds of every real web server of `targets`; null when any of them is not fully known
 * (no bind written, a variable, a config file that may add binds, uWSGI environment options).
 */
export function knownBinds(targets: Target[]): { binds: (Bind & { target: Target; server: ServerInfo; chain: ChainStep[]; raw: string })[] } | null {
  const out: (Bind & { target: Target; server: ServerInfo; chain: ChainStep[]; raw: string })[] = [];
  let servers = 0;
  for (const t of targets) {
    for (const p of t.processes) {
      if (!servesHttp(p)) continue;
      for (const { server, at } of realServers(p)) {
        if (server.kind === 'unknown' || server.kind === 'mod_wsgi' || server.kind === 'bjoern') return null;
        servers++;
        const env = { ...(t.facts.env ?? {}), ...at.env };
        if (server.bind.length === 0) return null; // defaults ($PORT, 127.0.0.1:8000) or a config file
        if (server.options.ini || (server.kind === 'uwsgi' && server.options.config)) return null;
        if (Object.keys(env).some((k) => /^(UWSGI_(HTTP|SOCKET|HTTP_SOCKET|UWSGI_SOCKET|INI)|GUNICORN_CMD_ARGS)$/.test(k))) return null;
        if (server.kind === 'hypercorn' && server.options.config) return null;
        for (const b of server.bind) {
          const parsed = parseBind(b.value, server.kind, at.cwd ?? t.facts.cwd ?? null);
          if (!parsed) return null;
          out.push({ ...parsed, target: t, server, chain: at.chain, raw: b.value });
        }
      }
    }
  }
  return servers > 0 ? { binds: out } : null;
}

export const LOCAL = /^(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\]|::1?)$/i;

/** Upstream kinds that carry HTTP/uwsgi traffic to the app. */
export const CHECKED = new Set<Upstream['kind']>(['proxy_pass', 'uwsgi_pass', 'upstream-server', 'reverse_proxy', 'ProxyPass']);

/** A compose service translated path: a path in `from`'s container → the same file in `to`'s container. */
export function translate(composeFile: string, from: ComposeService, to: ComposeService, p: string): string | null {
  const src = mounts(composeFile, from)
    .filter((m) => p === m.target || p.startsWith(m.target === '/' ? '/' : m.target + '/'))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!src) return null;
  const dst = mounts(composeFile, to).find((m) => m.source === src.source);
  if (!dst) return null;
  return path.posix.join(dst.target, p.slice(src.target.length));
}

export function describeBinds(binds: Bind[]): string {
  const shown = [...new Set(binds.map((b) => (b.socket ? `unix:${b.socket}` : `${b.host ?? ''}:${b.port}`)))];
  return shown.map((s) => `\`${s}\``).join(', ');
}

/** The protocol a bind speaks: HTTP for every server but uWSGI, whose `--socket` speaks uwsgi; null when unknown. */
export function protocolOf(b: { server?: ServerInfo; raw?: string }): 'http' | 'uwsgi' | null {
  if (!b.server || b.raw === undefined) return null;
  if (b.server.kind !== 'uwsgi') return 'http';
  const http = b.server.options.http?.value === b.raw;
  const sock = b.server.options.socket?.value === b.raw;
  return http && !sock ? 'http' : sock && !http ? 'uwsgi' : null;
}

/** systemd socket units (`*.socket`). */
export const SOCKET_UNITS: FileSelector = { name: 'systemd socket unit', exts: ['socket'], test: (f) => f.endsWith('.socket') };

/** `ListenStream=` of the repository's systemd socket units; empty when there are none, null-free. */
export function socketUnits(project: Project): (Bind & { what: string; chain: ChainStep[] })[] {
  return fact(project, SOCKET_BINDS, () => {
    const out: (Bind & { what: string; chain: ChainStep[] })[] = [];
    for (const f of project.repo.select(SOCKET_UNITS)) {
      const text = project.repo.text(f) ?? '';
      text.split(/\r?\n/).forEach((l, i) => {
        const m = /^\s*ListenStream\s*=\s*(\S+)\s*$/.exec(l);
        if (!m) return;
        const b = parseBind(m[1].startsWith('/') ? m[1] : /^\d+$/.test(m[1]) ? `:${m[1]}` : m[1], 'unknown', null);
        // An address the reader does not know (`@abstract`, a variable): accept anything.
        out.push({ ...(b ?? { host: null, port: null, socket: null }), what: `the socket unit ${f}`, chain: [{ file: f, line: i + 1, text: l.trim(), reach: 'direct' }] });
      });
    }
    return out;
  });
}
