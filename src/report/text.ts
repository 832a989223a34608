/**
 * Human-readable report for a terminal (CLI default) and the action's log, grouped by target:
 * each target's header (file:line, kind, production or development and why), its processes with
 * the chain to the server the way the job summary shows it (`Procfile:1 → bin/web:3 → gunicorn`),
 * then that target's findings, one `file:line:col: severity ID message [name]` line each
 * (clickable in editors and terminals) with the chain (`via`), the notes (`note:`, why it
 * matters) and the fix under it. Findings
 * tied to no target follow under "Repository", findings set apart by a baseline are listed
 * apart and not counted, and a verdict line ends the report.
 *
 * Every repo-derived string goes through `escapeLog`, so the text is also safe in a GitHub
 * Actions log (a CLI run in a workflow step). Colour only when asked for.
 */
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import type { Target } from '../model/types.js';
import { fails, type FailOn } from '../core/options.js';
import { countsText, displayPath, fixText, plural, processEnd, productionText, viewProcess } from './common.js';
import { escapeLog } from './escape.js';

export interface TextOptions {
  /** Path of the scanned root relative to the current directory (see displayPath). */
  prefix?: string;
  /** ANSI colours (the CLI decides: a TTY and no NO_COLOR). */
  color?: boolean;
  /** For the verdict line. */
  failOn?: FailOn;
}

type Style = 'red' | 'yellow' | 'cyan' | 'green' | 'dim' | 'bold';
const SGR: Record<Style, string> = { red: '31', yellow: '33', cyan: '36', green: '32', dim: '2', bold: '1' };
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', notice: 'cyan' };

export function toText(result: Result, options: TextOptions = {}): string {
  const paint = (style: Style, s: string) => (options.color ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s);
  const where = (file: string, line?: number, column?: number) =>
    escapeLog(displayPath(options.prefix, file)) + (line ? `:${line}` : '') + (line && column ? `:${column}` : '');
  const out: string[] = [];

  const ids = new Set(result.targets.map((t) => t.id));
  for (const t of result.targets) {
    out.push(...targetLines(t, where, paint));
    // The header says why the target counts as production; its findings do not repeat it.
    for (const f of result.findings) if (f.target === t.id) out.push(...findingLines(f, where, paint, `${t.file} counts as `));
    out.push('');
  }
  const loose = result.findings.filter((f) => f.target === null || !ids.has(f.target));
  if (loose.length > 0) {
    if (result.targets.length > 0) out.push(paint('bold', 'Repository'));
    for (const f of loose) out.push(...findingLines(f, where, paint));
    out.push('');
  }
  const baselined = result.baselined ?? [];
  if (baselined.length > 0) {
    out.push(paint('dim', `Baselined (${baselined.length}, not counted):`));
    for (const f of baselined) out.push(paint('dim', `  ${findingHead(f, where, (_s, x) => x)}`));
    out.push('');
  }

  const outside = result.outside?.findings ?? [];
  if (outside.length > 0) {
    out.push(paint('dim', `Outside what the pull request changed (${outside.length}, filter-mode: ${escapeLog(result.outside!.mode)}, not counted):`));
    for (const f of outside) out.push(paint('dim', `  ${findingHead(f, where, (_s, x) => x)}`));
    out.push('');
  }

  out.push(verdictLine(result, options.failOn ?? 'error', paint));
  return out.join('\n') + '\n';
}

function findingHead(
  f: Finding,
  where: (file: string, line?: number, column?: number) => string,
  paint: (style: Style, s: string) => string,
): string {
  const head = f.file ? `${where(f.file, f.line, f.column)}: ` : '';
  return `${head}${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint('bold', f.ruleId)} ${escapeLog(f.message)} ${paint('dim', `[${f.rule}]`)}`;
}

function findingLines(
  f: Finding,
  where: (file: string, line?: number, column?: number) => string,
  paint: (style: Style, s: string) => string,
  shownInHeader?: string,
): string[] {
  const lines = [findingHead(f, where, paint)];
  if (f.via.length > 0) lines.push(paint('dim', `    via ${f.via.map((v) => where(v.file, v.line)).join(' → ')}`));
  for (const n of f.notes ?? []) if (!shownInHeader || !n.startsWith(shownInHeader)) lines.push(`    note: ${escapeLog(n)}`);
  if (f.fix) lines.push(`    fix: ${escapeLog(fixText(f)!)}`);
  return lines;
}

function targetLines(
  t: Target,
  where: (file: string, line?: number, column?: number) => string,
  paint: (style: Style, s: string) => string,
): string[] {
  const lines = [`${paint('bold', 'Target')} ${where(t.file, t.line)} ${paint('dim', `(${t.kind}, ${escapeLog(productionText(t))})`)}`];
  for (const p of t.processes) {
    const v = viewProcess(p);
    const end = v.server ? `${v.server}${v.app ? ` (${escapeLog(v.app)})` : ''}` : escapeLog(processEnd(v) ?? '?');
    // As the job summary shows it: the steps, then the server they end in.
    const chain = [...v.chain.map((s) => where(s.file, s.line)), ...(v.server ? [v.server] : [])].join(' → ');
    const more = v.alternatives > 0 ? paint('dim', ` (+${v.alternatives} more)`) : '';
    lines.push(`    ${escapeLog(p.name)} → ${end}${more}${chain ? paint('dim', `  ${chain}`) : ''}`);
  }
  const c = t.collectstatic;
  if (t.staticStory) lines.push(paint('dim', `    static files: ${escapeLog(t.staticStory)}`));
  else if (c) lines.push(paint('dim', `    collectstatic: ${where(c.command.loc.file, c.command.loc.line)}`));
  else if (t.facts.platformCollectstatic) lines.push(paint('dim', `    collectstatic: by the platform (${escapeLog(t.facts.platformCollectstatic.reason)})`));
  return lines;
}

function verdictLine(result: Result, failOn: FailOn, paint: (style: Style, s: string) => string): string {
  const s = result.summary;
  const targets = plural(result.targets.length, 'target');
  const baselined = result.baselined?.length ? `, ${result.baselined.length} baselined` : '';
  const suppressed = (result.suppressed > 0 ? `, ${result.suppressed} suppressed` : '') + baselined;
  if (s.errors + s.warnings + s.notices === 0) return paint('green', `✔ No ${baselined ? 'new ' : ''}problems (${targets} checked${suppressed})`);
  const failing = fails(s, failOn);
  const mark = failing ? paint('red', '✖') : paint('yellow', '!');
  return `${mark} ${countsText(s)} (${targets}${suppressed})${failing ? ` — fails at fail-on: ${failOn}` : ''}`;
}
