/** Small helpers shared by rules: which processes serve, how to word a chain. */
import { staticValue } from '../parse/shell.js';
import type { Word } from '../model/types.js';
import type { ChainStep, Process, ResolvedCommand, ServerInfo, Target } from '../model/types.js';

export const DEV_SERVERS = new Set(['runserver', 'runserver_plus']);

/** Production targets only: rules never report on development files (SPEC §4). */
export function productionTargets(targets: Target[]): Target[] {
  return targets.filter((t) => t.production);
}

/** A process that serves HTTP: a `web` role, or any process that ends in a server. */
export function servesHttp(p: Process): boolean {
  return p.role === 'web' || (p.role !== 'release' && p.role !== 'build' && p.servers.length > 0);
}

/** The real (non-development) servers a process may end in. */
export function realServers(p: Process): { server: ServerInfo; at: ResolvedCommand }[] {
  return p.servers.filter((s) => !DEV_SERVERS.has(s.server.kind));
}

/** `Procfile:1 → docker/start.sh:7`: the chain as text. */
export function chainText(chain: ChainStep[]): string {
  return chain.map((s) => `${s.file}:${s.line}`).join(' → ');
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
