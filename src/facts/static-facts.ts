/**
 * Who serves a target's static files (the facts behind DPL204 static-not-served, DPL207
 * static-served-by-django and the static story of each target; see docs/architecture.md
 * "Layers"): WhiteNoise, a remote storage, a uWSGI/Granian static mapping, an nginx/Caddy/Apache
 * static location, a web server image, or nobody but Django.
 */
import type { NginxDirective, StaticLocation, WebServerFacts } from '../parse/nginx.js';
import type { FileSelector } from '../discover/repo.js';
import type { Project } from '../model/project.js';
import type { Process, ResolvedCommand, ServerInfo, Target } from '../model/types.js';
import type { SettingsFacts } from '../settings/read.js';
import { realServers, servesHttp } from './helpers.js';
import { otherSettingsFiles, type SettingsChoice, settingsFor, staticRootSet } from './settings-facts.js';
import { parsedWebConfigs } from './web-configs.js';
import { FactKey, fact } from './fact.js';

const SERVED_OUTSIDE = new FactKey<string | null>('who serves static files outside Django (per URL path)');
const WRAPPER_MODULE = new FactKey<string | null>('the app module that wraps Django in a static handler (per module)');

/** Include files that are standard snippets, not site configuration. */
const STANDARD_INCLUDE = /(^|\/)(mime\.types|[a-z]*_params|proxy_params|fastcgi\.conf|options-ssl-nginx\.conf|ssl-dhparams\.pem)$/;

/** A configuration that includes others (which may hold the static location). */
function includesOthers(ds: NginxDirective[], depth = 0): boolean {
  if (depth > 64) return true;
  return ds.some((d) => {
    const n = d.name.toLowerCase();
    if ((n === 'include' || n === 'import' || n === 'includeoptional') && d.args.some((a) => !STANDARD_INCLUDE.test(a.value))) return true;
    return d.block ? includesOthers(d.block, depth + 1) : false;
  });
}

/** Image names of web servers that can serve files (their default or mounted config may do so). */
const WEB_SERVER_IMAGE = /(^|[/\s])(nginx|openresty|caddy|httpd|apache2?|lighttpd|h2o)([-:@\s]|$)/i;

/**
 * A web server location may serve URLs under `urlPath` (`/static/`): its prefix covers it or lies
 * inside it; a regex location counts unless it names only media. Any location counts when the
 * static URL is unknown (null).
 */
export function coversStatic(l: StaticLocation, urlPath: string | null): boolean {
  if (urlPath === null) return true;
  if (l.modifier === '~' || l.modifier === '~*') return !/media|upload/i.test(l.prefix) || /static/i.test(l.prefix);
  const p = l.prefix.replace(/\*+$/, '');
  return urlPath.startsWith(p) || p.startsWith(urlPath);
}

/** The URL path of STATIC_URL (`static/` → `/static/`), or null when not a static local path. */
export function staticUrlPath(f: SettingsFacts): string | null {
  const v = f.staticUrl?.literal;
  if (typeof v !== 'string' || v === '' || /^(https?:)?\/\//i.test(v)) return null;
  const p = v.startsWith('/') ? v : `/${v}`;
  return p.endsWith('/') ? p : `${p}/`;
}

/**
 * Why static files under `urlPath` may be served outside Django, or null: a web server config
 * with a location for them (or one that cannot be read fully), a web server image, or a
 * platform's static mapping.
 */
export function servedOutsideDjango(project: Project, urlPath: string | null = null): string | null {
  return fact(project, SERVED_OUTSIDE, () => {
    const repo = project.repo;
    const judge = (facts: WebServerFacts, ds: NginxDirective[], issues: unknown[]): string | null => {
      const l = facts.staticLocations.find((x) => coversStatic(x, urlPath));
      if (l) return `${facts.server} serves \`${l.prefix}\` at ${l.loc.file}:${l.loc.line}`;
      if (issues.length > 0 || includesOthers(ds)) return `${facts.file} (${facts.server}) may serve it`;
      return null;
    };
    for (const c of parsedWebConfigs(project)) {
      if (c.error) return 'a web server configuration could not be read';
      const why = judge(c.facts, c.directives, c.issues);
      if (why) return why;
    }
    for (const f of repo.select(STATIC_HINT_FILES)) {
      const { base, dockerfile, compose, platform } = staticHintKind(f);
      const text = repo.text(f);
      if (text === null) continue;
      if (dockerfile) {
        for (const m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)) if (WEB_SERVER_IMAGE.test(` ${m[1]} `)) return `${f} builds a web server image (\`${m[1]}\`)`;
      }
      if (compose) {
        for (const m of text.matchAll(/^\s*image:\s*["']?([^\s"'#]+)/gm)) if (WEB_SERVER_IMAGE.test(` ${m[1]} `)) return `${f} runs a web server image (\`${m[1]}\`)`;
      }
      if (platform) {
        if (base === 'fly.toml' && /^\s*\[\[statics\]\]/m.test(text)) return `${f} maps static files ([[statics]])`;
        if (/^app\.ya?ml$/.test(base) && /\bstatic_(dir|files)\s*:/.test(text)) return `${f} serves static files (App Engine handlers)`;
        if ((base === '.platform.app.yaml' || f.startsWith('.upsun/')) && /\blocations\s*:/.test(text)) return `${f} serves locations`;
        if (f.startsWith('.ebextensions/') && /staticfiles|StaticFiles/.test(text)) return `${f} maps static files (Elastic Beanstalk)`;
        if (f.startsWith('.platform/nginx/')) return `${f} configures the platform's nginx`;
      }
    }
    return null;
  }, urlPath ?? '');
}

/** Which of the files `servedOutsideDjango` looks into `f` is. */
function staticHintKind(f: string): { base: string; dockerfile: boolean; compose: boolean; platform: boolean } {
  const base = f.slice(f.lastIndexOf('/') + 1);
  const dockerfile = /^Dockerfile([.-][\w.-]+)?$|\.Dockerfile$/i.test(base);
  const compose = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(base);
  const platform = /^(fly\.toml|app\.ya?ml|\.platform\.app\.yaml)$/.test(base) || /^\.upsun\/[^/]+\.ya?ml$/.test(f) || f.startsWith('.ebextensions/') || f.startsWith('.platform/nginx/');
  return { base, dockerfile, compose, platform };
}

/** Dockerfiles, compose files and platform manifests that may show static files served outside Django. */
export const STATIC_HINT_FILES: FileSelector = {
  name: 'web server image or platform static mapping',
  exts: ['dockerfile'],
  prefixes: ['dockerfile', 'docker-compose', 'compose', 'fly.', 'app.', '.platform.app'],
  dir: (d) => /^(\.ebextensions|\.platform\/nginx|\.upsun)(\/|$)/.test(d),
  test: (f) => {
    const k = staticHintKind(f);
    return k.dockerfile || k.compose || k.platform;
  },
};

/** Server options that serve files: uWSGI `--static-map`, Granian `--static-path-mount`, mod_wsgi-express `--url-alias`. */
function serverServesStatic(server: ServerInfo, env: Record<string, string>): boolean {
  if (server.options.staticMap) return true;
  if (server.command.words.some((w) => /^["']?--(static-map2?|check-static|static-safe|static-path-mount|url-alias)\b/.test(w.raw))) return true;
  if (Object.keys(env).some((k) => /^UWSGI_(STATIC_MAP2?|CHECK_STATIC)$/.test(k) || /^GRANIAN_STATIC_PATH_MOUNT$/.test(k))) return true;
  // A uWSGI config file may hold `static-map`; it is not read here, so do not judge.
  return server.kind === 'uwsgi' && !!(server.options.ini || server.options.config);
}

/** Static file handlers wrapped around the app: WhiteNoise, dj-static's Cling, Django's and Channels' static handlers, BlackNoise, ServeStatic. */
const APP_WRAPPER = /\b(WhiteNoise|DjangoWhiteNoise|Cling|MediaCling|BlackNoise|ServeStatic\w*|ASGIStaticFilesHandler|StaticFilesHandler|StaticFilesConsumer|StaticFilesWrapper)\b/;

/**
 * A wsgi.py / asgi.py / routing.py (or the module the server loads) that wraps the app in a
 * static file handler; also when one cannot be read (it may).
 */
function appWrapper(project: Project, server: ServerInfo | null): string | null {
  const mod = server?.app ? server.app.split(':')[0].replace(/\(.*$/, '') : null;
  const own = mod && /^[A-Za-z_][\w.]*$/.test(mod) ? `${mod.replace(/\./g, '/')}.py` : null;
  return fact(project, WRAPPER_MODULE, () => {
    const repo = project.repo;
    const names = ['wsgi.py', 'asgi.py', 'routing.py', ...(own ? [own.slice(own.lastIndexOf('/') + 1)] : [])];
    const candidates = [...new Set(names.flatMap((n) => repo.named(n)))].sort();
    for (const f of candidates) {
      const entry = /(^|\/)(wsgi|asgi|routing)\.py$/.test(f) && f.split('/').length <= 6;
      if (!entry && !(own && (f === own || f.endsWith('/' + own)))) continue;
      const text = project.repo.text(f);
      if (text === null) return `${f} could not be read`;
      const m = APP_WRAPPER.exec(text.replace(/#[^\n]*/g, ''));
      if (m) return `${f} wraps the app in ${m[1]}`;
    }
    return null;
  }, own ?? '');
}

/** Middleware that serves files: WhiteNoise, ServeStatic, or any with "static" in its name. */
function staticMiddleware(f: SettingsFacts): boolean {
  return f.whitenoise !== null || f.middleware.some((m) => /whitenoise|servestatic|static/i.test(m.value));
}

/** STATIC_URL points at another host (a CDN) or is chosen at run time without a local default. */
function staticUrlElsewhere(f: SettingsFacts): boolean {
  const u = f.staticUrl;
  if (!u) return false;
  const local = (s: unknown): boolean => typeof s === 'string' && !/^(https?:)?\/\//i.test(s);
  if (u.kind === 'literal' || u.kind === 'helper') return !local(u.literal);
  if (u.kind === 'env') return !u.env?.default || !local(u.env.default.literal);
  return true;
}

/** The settings may serve static files themselves (or need no serving, or cannot be judged). */
function settingsServe(f: SettingsFacts): boolean {
  if (!f.staticfilesApp || !staticRootSet(f)) return true; // DPL203's case, or no static app
  if (!f.middlewareComplete || staticMiddleware(f)) return true;
  const b = f.staticBackend;
  if (b && (b.remote || (!b.value.startsWith('django.') && !b.value.startsWith('whitenoise.')))) return true;
  if (!b && (f.storages !== null || f.staticfilesStorage !== null)) return true;
  if (f.helpers.length > 0 || staticUrlElsewhere(f)) return true;
  // DEBUG on: the static() helper in the urls serves files (DPL105 territory, not this rule's).
  if (f.debug?.kind === 'literal' && f.debug.literal === true) return true;
  return false;
}

const SERVES_STATIC = /whitenoise|WhiteNoise|ServeStatic|servestatic|\bSTORAGES\b|\bSTATICFILES_STORAGE\b|django_heroku|django_on_heroku/;

function notServed(project: Project, choices: SettingsChoice[]): boolean {
  if (choices.length === 0 || choices.some((c) => settingsServe(c.facts))) return false;
  if (!choices[0].explicit) {
    for (const other of otherSettingsFiles(project, choices)) {
      const text = project.repo.text(other);
      if (text === null || SERVES_STATIC.test(text)) return false;
    }
  }
  return true;
}

/**
 * The first real server of a web process whose static files nothing serves but Django (no
 * WhiteNoise, no static mapping, no web server location, no remote storage), with the settings
 * it reads; null when something else serves them or it cannot be told.
 */
export function unservedStatic(project: Project, t: Target, p: Process): { server: ServerInfo; at: ResolvedCommand; c: SettingsChoice } | null {
  if (!servesHttp(p)) return null;
  const first = realServers(p).find((s) => s.server.kind !== 'unknown' && s.server.kind !== 'mod_wsgi');
  if (!first) return null;
  const { server, at } = first;
  if (realServers(p).some((s) => serverServesStatic(s.server, { ...(t.facts.env ?? {}), ...s.at.env }))) return null;
  if (appWrapper(project, server) !== null) return null;
  const choices = settingsFor(project, t, at, server);
  if (!choices || !notServed(project, choices)) return null;
  if (choices.some((x) => servedOutsideDjango(project, staticUrlPath(x.facts)) !== null)) return null;
  return { server, at, c: choices[0] };
}

/**
 * A process that may serve HTTP but whose server could not be named (DPL002: a project CLI, a
 * command built at run time): the web process, or the one process of a target that has no web
 * process and stopped at something that could not be followed.
 */
function unknownServerProcess(t: Target, p: Process): boolean {
  if (p.servers.length > 0 || p.role === 'build' || p.role === 'release') return false;
  if (p.role === 'web') return true;
  const others = t.processes.filter((q) => q !== p && q.role !== 'build' && q.role !== 'release');
  return p.role === 'other' && p.unresolved.length > 0 && others.every((q) => !servesHttp(q) && q.unresolved.length === 0);
}

/**
 * Nothing in the settings serves static files before the URLconf does: the MIDDLEWARE list is
 * known and has no static middleware, the storage is Django's own, STATIC_URL is local and DEBUG
 * is not hard-coded on. STATIC_ROOT does not matter: the view serves from wherever it is told.
 */
function settingsLeaveStaticToUrls(f: SettingsFacts): boolean {
  if (!f.staticServeInUrls || !f.middlewareComplete || staticMiddleware(f)) return false;
  const b = f.staticBackend;
  if (b && (b.remote || !b.value.startsWith('django.'))) return false;
  if (!b && f.staticfilesStorage !== null) return false;
  if (staticUrlElsewhere(f)) return false;
  return !(f.debug?.kind === 'literal' && f.debug.literal === true);
}

/**
 * DPL207's evidence when the server is not known: the URLconf is the project's, not the
 * target's, so a route of static files to `django.views.static.serve` (no DEBUG guard) in the
 * settings the process reads by default, with no WhiteNoise, no app wrapper, no server option in
 * the environment and no web server in the repository serving them, holds whatever the server is.
 * The settings may be read in part (an import not followed) when the facts used are complete.
 */
export function djangoServesStaticUnknownServer(project: Project, t: Target, p: Process): { server: null; at: null; c: SettingsChoice } | null {
  if (!unknownServerProcess(t, p)) return null;
  const env = t.facts.env ?? {};
  if (Object.keys(env).some((k) => /^UWSGI_(STATIC_MAP2?|CHECK_STATIC)$/.test(k) || /^GRANIAN_STATIC_PATH_MOUNT$/.test(k))) return null;
  if (appWrapper(project, null) !== null) return null;
  const choices = settingsFor(project, t, null, null, false, true);
  if (!choices || choices.length === 0 || !choices.every((c) => settingsLeaveStaticToUrls(c.facts))) return null;
  if (!choices[0].explicit) {
    for (const other of otherSettingsFiles(project, choices)) {
      const text = project.repo.text(other);
      if (text === null || SERVES_STATIC.test(text)) return null;
    }
  }
  if (choices.some((x) => servedOutsideDjango(project, staticUrlPath(x.facts)) !== null)) return null;
  return { server: null, at: null, c: choices[0] };
}

export const SILENCE = 'if a web server or CDN outside this repository serves STATIC_ROOT, silence this with `rules: { DPL204: off }` in .django-deploy-lint.yml';

