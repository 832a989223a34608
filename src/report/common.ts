/**
 * Small helpers shared by the reporters: paths as the reader sees them, counts, the chain of a
 * process, per-target verdicts. Pure functions of the Result.
 */
import type { ChainStep, Process, ResolvedCommand, Target } from '../model/types.js';
import type { Finding, FixNeeds, Severity } from '../core/finding.js';
import type { Summary } from '../suppress/result.js';
import { SEVERITY_RANK } from '../core/options.js';

/**
 * A finding's file as seen from where the reader stands: the scanned root's path relative to
 * the workspace (action) or the current directory (CLI), joined with `/`. An empty prefix or
 * `.` leaves the path as it is.
 */
export function displayPath(prefix: string | undefined, file: string): string {
  const p = (prefix ?? '').replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (!p || p === '.') return file;
  if (!file) return p;
  return `${p}/${file}`;
}

/** `1 error`, `2 warnings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countsText(s: Summary): string {
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notices, 'notice')}`;
}

/** Findings ordered by severity (errors first), keeping the engine's order within a severity. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.i - b.i)
    .map((x) => x.f);
}

/** The worst severity among findings, or null. */
export function worst(findings: readonly Finding[]): Severity | null {
  let w: Severity | null = null;
  for (const f of findings) if (!w || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w]) w = f.severity;
  return w;
}

export function countFindings(findings: readonly Finding[]): Summary {
  const s: Summary = { errors: 0, warnings: 0, notices: 0 };
  for (const f of findings) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else s.notices++;
  }
  return s;
}

/** What a process ends in, for reports: the first server, or the first final / unresolved step. */
export interface ProcessView {
  server: string | null;
  app: string | null;
  serverAt: { file: string; line: number } | null;
  chain: ChainStep[];
  /** Several servers (branches) or an unresolved end: said in reports. */
  alternatives: number;
  unresolved: string | null;
  /** Commands the process runs on the way (a build process has only these). */
  commands: number;
  role: Process['role'];
}

/** What a process ends in, as a short phrase (`runserver`, `? (script not found)`, `2 commands`). */
export function processEnd(v: ProcessView): string | null {
  if (v.server) return null;
  if (v.unresolved) return `? (${v.unresolved})`;
  if (v.chain.length > 0) return 'no app server';
  if (v.commands > 0) return plural(v.commands, 'command');
  // A build step with nothing to run is not a mystery; a web process with nothing is.
  return v.role === 'build' ? 'nothing to run' : '?';
}

/** A chain with each hop once: consecutive steps on the same line (ENTRYPOINT and CMD, a wrapper) are one. */
export function uniqueHops<T extends { file: string; line: number }>(chain: T[]): T[] {
  return chain.filter((s, i) => i === 0 || chain[i - 1].file !== s.file || chain[i - 1].line !== s.line);
}

export function viewProcess(p: Process): ProcessView {
  const first = p.servers[0];
  if (first) {
    const at: ResolvedCommand = first.at;
    const loc = first.server.command.loc;
    return {
      server: first.server.kind,
      app: first.server.app,
      serverAt: { file: loc.file, line: loc.line },
      chain: uniqueHops(at.chain),
      alternatives: p.servers.length - 1,
      unresolved: null,
      commands: p.commands.length,
      role: p.role,
    };
  }
  const final = p.finals[0];
  if (final) {
    return { server: null, app: null, serverAt: null, chain: uniqueHops(final.chain), alternatives: p.finals.length - 1, unresolved: null, commands: p.commands.length, role: p.role };
  }
  const u = p.unresolved[0];
  if (u) return { server: null, app: null, serverAt: null, chain: uniqueHops(u.chain), alternatives: 0, unresolved: u.message, commands: p.commands.length, role: p.role };
  // A build: where it starts (the image's first build instruction), so that the Dockerfile a
  // compose service or manifest builds is on the target's chains even when its command is replaced.
  const start = p.role === 'build' ? p.commands.find((c) => c.chain.length > 0)?.chain[0] : undefined;
  return { server: null, app: null, serverAt: null, chain: start ? [start] : [], alternatives: 0, unresolved: null, commands: p.commands.length, role: p.role };
}

/** Findings about one target. */
export function findingsOf(target: Target, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.target === target.id);
}

/**
 * "production: <reason>" / "development: <reason>", without repeating the word when the
 * engine's reason already starts with it.
 */
export function productionText(t: Target): string {
  const mode = t.production ? 'production' : 'development';
  return t.productionReason.toLowerCase().startsWith(mode) ? t.productionReason : `${mode}: ${t.productionReason}`;
}

/** The engine's reason without a leading "production:"/"development:" (said by the yes/no). */
export function reasonText(t: Target): string {
  return t.productionReason.replace(/^(production|development)\s*:\s*/i, '');
}


/**
 * What a fix needs besides itself, in words: `add gunicorn to requirements.txt`, or, when where
 * the target installs from could not be read, `make sure gunicorn is installed`.
 */
export function fixNeedsText(n: FixNeeds): string {
  if (!n.file) return `make sure \`${n.package}\` is installed where this runs (it is not declared in a dependency file that could be read)`;
  return `add \`${n.text.replace(/,$/, '')}\` to ${n.section ? `${n.section} of ` : ''}${n.file}`;
}

/** A finding's fix with what it needs: `gunicorn x.wsgi --bind …; also add \`gunicorn\` to requirements.txt`. */
export function fixText(f: Finding): string | undefined {
  if (!f.fix) return undefined;
  return f.fixNeeds ? `${f.fix}; also ${fixNeedsText(f.fixNeeds)}` : f.fix;
}
