/** Small helpers shared by rules: which processes serve, how to word a chain. */
import { staticValue } from '../parse/shell.js';
import type { Word } from '../core/words.js';
import type { Repo } from '../discover/repo.js';
import { judge } from '../model/production.js';
import type { Process, ResolvedCommand, ServerInfo, Target } from '../model/types.js';

export const DEV_SERVERS = new Set(['runserver', 'runserver_plus']);

/** Production targets only: rules never report on development files (docs/architecture.md, "Production judgement"). */
export function productionTargets(targets: Target[]): Target[] {
  // An image default that production targets replace is DPL101's alone (runserver-in-production).
  return targets.filter((t) => t.production && !t.facts.shippedDefault);
}

/** A process that serves HTTP: a `web` role, or any process that ends in a server. */
export function servesHttp(p: Process): boolean {
  return p.role === 'web' || (p.role !== 'release' && p.role !== 'build' && p.servers.length > 0);
}

/** The real (non-development) servers a process may end in. */
export function realServers(p: Process): { server: ServerInfo; at: ResolvedCommand }[] {
  return p.servers.filter((s) => !DEV_SERVERS.has(s.server.kind));
}


/** Short label of a target for messages: `Procfile (web)`, `compose.production.yml service django`. */
export function processLabel(t: Target, p: Process): string {
  switch (t.kind) {
    case 'procfile':
      return `the \`${p.name}\` process of ${t.file}`;
    case 'compose':
      return `service \`${p.name}\` of ${t.file}`;
    case 'systemd':
      return `the unit ${t.file}`;
    case 'dockerfile':
      return `the container of ${t.file}`;
    case 'render':
      return p.role === 'build' || p.role === 'release' ? `the \`${p.name}\` of ${t.id.slice(7)}` : `Render service \`${p.name}\` of ${t.file}`;
    case 'fly':
    case 'heroku-yml':
    case 'digitalocean':
      return `the \`${p.name}\` process of ${t.file}`;
    case 'app-json':
      return `the \`${p.name}\` script of ${t.file}`;
    case 'supervisord':
      return `program \`${p.name}\` of ${t.file}`;
    case 'uwsgi-ini':
      return `the uWSGI configuration ${t.file}`;
    case 'makefile':
      return `make target \`${p.name}\` of ${t.file}`;
    case 'kubernetes':
      return `container \`${p.name}\` of ${t.id.slice(t.id.indexOf('#') + 1)} in ${t.file}`;
    case 'app-engine':
    case 'platform-sh':
    case 'railway':
    case 'nixpacks':
    case 'upsun':
    case 'azure':
      return p.role === 'web' ? `the web process of ${t.file}` : `\`${p.name}\` of ${t.file}`;
  }
}

/** Why the target counts as production, for the end of error messages. */
export function whyProduction(t: Target): string {
  return `(${t.file} counts as ${t.productionReason})`;
}

export function commandText(c: ResolvedCommand): string {
  return shownWords(c.command.words) || c.command.text;
}

/** A command as a person would type it: `python manage.py runserver 0.0.0.0:8000`. */
export function shownWords(words: Word[]): string {
  return words
    .map((w) => {
      if (!/^["']/.test(w.raw)) return w.raw;
      const v = staticValue(w);
      return v !== null && /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : w.raw;
    })
    .join(' ');
}

/**
 * The project's WSGI module as a dotted name (`mysite.wsgi`), for fixes a person can paste:
 * the only production `wsgi.py` in the repo, or the one beside the settings `manage.py` names.
 * Relative to the folder of `manage.py` (the usual working directory). Null when unclear.
 */
export function wsgiModule(repo: Repo): string | null {
  return memo(repo, () => {
    const managePy = repo.named('manage.py').find((f) => judge(f).production && !/\{\{|\{%/.test(f));
    const root = managePy && managePy.includes('/') ? managePy.slice(0, managePy.lastIndexOf('/') + 1) : '';
    const files = repo.named('wsgi.py').filter((f) => f.startsWith(root) && judge(f).production && !/site-packages|\{\{/.test(f));
    const dotted = (f: string) => f.slice(root.length).replace(/\.py$/, '').replace(/\//g, '.');
    if (files.length === 1) return dotted(files[0]);
    const text = managePy ? repo.text(managePy) : null;
    const settings = text ? /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+?)\.settings/.exec(text)?.[1] : undefined;
    const match = settings ? files.find((f) => dotted(f) === `${settings}.wsgi`) : undefined;
    return match ? dotted(match) : null;
  });
}

const wsgiCache = new WeakMap<Repo, string | null>();
function memo(repo: Repo, make: () => string | null): string | null {
  if (!wsgiCache.has(repo)) wsgiCache.set(repo, make());
  return wsgiCache.get(repo)!;
}

/** `gunicorn mysite.wsgi --bind 0.0.0.0:$PORT`, with the project's module when it is known. */
export function gunicornFix(repo: Repo, bind: string): string {
  return `gunicorn ${wsgiModule(repo) ?? '<project>.wsgi'} --bind ${bind}`;
}

/**
 * The text of the file at a one-line location, or null (several lines, outside the file, not
 * readable). Fixes check with it that the location really holds what they replace: a location
 * reached through a variable or a source map may not be the literal text.
 */
export function textAt(repo: Repo, loc: { file: string; line: number; column: number; endLine: number; endColumn: number }): string | null {
  if (loc.line !== loc.endLine || !(loc.column >= 1) || !(loc.endColumn >= loc.column)) return null;
  const text = repo.text(loc.file);
  if (text === null) return null;
  const line = text.split('\n')[loc.line - 1];
  if (line === undefined || line.replace(/\r$/, '').length < loc.endColumn - 1) return null;
  return line.slice(loc.column - 1, loc.endColumn - 1);
}

/** The text of one line of a file (without its end of line), or null. */
export function lineAt(repo: Repo, file: string, line: number): string | null {
  const text = repo.text(file);
  const l = text === null ? undefined : text.split('\n')[line - 1];
  return l === undefined ? null : l.replace(/\r$/, '');
}
