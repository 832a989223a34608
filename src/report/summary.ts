/**
 * The job summary ($GITHUB_STEP_SUMMARY, GitHub-flavoured Markdown): the verdict first, a table
 * of targets (production?, process → server with its chain, static files, verdict), then the
 * findings grouped by rule with the fix and a link to the rule's page.
 *
 * Every repo-derived string is escaped (escapeMarkdown / mdCode): no Markdown, HTML or table
 * syntax from the repo survives. The text stays under GitHub's 1 MiB per step; what does not
 * fit is counted in an honest "N more" line.
 */
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import type { Target } from '../model/types.js';
import type { RuleMeta } from '../rules/types.js';
import { ruleDocUrl } from '../rules/docs.js';
import { fails, SEVERITY_RANK, type FailOn } from '../core/options.js';
import { ANNOTATION_LIMIT, hiddenAnnotations } from './annotations.js';
import { countFindings, countsText, displayPath, fixText, findingsOf, plural, processEnd, reasonText, viewProcess, worst } from './common.js';
import { clip, escapeMarkdown, mdCode } from './escape.js';

/** GitHub's limit for one step's summary. */
export const SUMMARY_LIMIT = 1024 * 1024;

export interface SummaryOptions {
  /** Rule metadata (name, one-line summary) for the findings' group headings. */
  rules: readonly RuleMeta[];
  failOn: FailOn;
  /** Path of the scanned root relative to the workspace (see displayPath). */
  prefix?: string;
  /** Size budget in bytes (UTF-8); default a little under SUMMARY_LIMIT. */
  maxBytes?: number;
  /** Link to a file (and line) on GitHub, or null; paths given already prefixed. */
  fileUrl?: (file: string, line?: number) => string | null;
  /** Tool version for the footer. */
  version?: string;
  /** What limits this report, for the truncation notes (`the job summary is limited to 1 MiB per step`). */
  limitNote?: string;
  /** Where the findings not shown are (a sentence). */
  restNote?: string;
}

/** `60 KB`, `1 MiB`. */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(bytes / 1000)} KB`;
}

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

/** Room kept for the closing lines ("N more …") when the budget runs out. */
const TAIL_RESERVE = 2048;

class Budget {
  private parts: string[] = [];
  private bytes = 0;
  constructor(private readonly max: number) {}
  /** Add `s` if it fits (keeping `reserve` bytes free); returns false otherwise. */
  add(s: string, reserve = TAIL_RESERVE): boolean {
    const n = Buffer.byteLength(s, 'utf8');
    if (this.bytes + n > this.max - reserve) return false;
    this.parts.push(s);
    this.bytes += n;
    return true;
  }
  /** Whether `n` more bytes would fit, keeping the reserve free. */
  fits(n: number, reserve = TAIL_RESERVE): boolean {
    return this.bytes + n <= this.max - reserve;
  }
  /** Add `s` regardless of the reserve (for the tail), still never beyond `max`. */
  force(s: string): void {
    this.add(s, 0);
  }
  text(): string {
    return this.parts.join('');
  }
}

/**
 * A message written by a rule: text between backticks becomes inline code; everything is
 * escaped, so a backtick coming from the repo can at worst shift the code formatting.
 */
export function mdMessage(s: string): string {
  const segs = s.split('`');
  if (segs.length % 2 === 0) {
    // An unmatched backtick: keep it (escaped) in the text.
    const last = segs.pop()!;
    segs[segs.length - 1] += '`' + last;
  }
  return segs.map((seg, i) => (i % 2 === 1 ? mdCode(seg) : escapeMarkdown(seg, 2000))).join('');
}

export function toSummary(result: Result, options: SummaryOptions): string {
  const budget = new Budget(options.maxBytes ?? SUMMARY_LIMIT - 16 * 1024);
  const where = (file: string, line?: number, column?: number) => {
    const shown = displayPath(options.prefix, file);
    const label = mdCode(shown + (line ? `:${line}` : '') + (line && column ? `:${column}` : ''));
    const url = options.fileUrl?.(shown, line) ?? null;
    return url && /^https?:\/\/[^\s()<>]+$/.test(url) ? `[${label}](${url})` : label;
  };

  budget.force(header(result, options.failOn));

  const hidden = hiddenAnnotations(result);
  const hiddenParts = (['error', 'warning', 'notice'] as const).filter((s) => hidden[s] > 0).map((s) => plural(hidden[s], s));
  if (hiddenParts.length > 0) {
    budget.force(
      `> [!NOTE]\n> GitHub shows at most ${ANNOTATION_LIMIT} error, ${ANNOTATION_LIMIT} warning and ${ANNOTATION_LIMIT} notice annotations per step: ` +
        `${hiddenParts.join(', ')} are not shown as annotations. All findings are in the log and the JSON report, and listed below.\n\n`,
    );
  }

  // Findings first (errors first), then the targets: when room is short, the findings are
  // what a reader needs; the targets are summarised in one line if their table does not fit.
  const dropped = { targets: 0, findings: 0 };
  const limit = options.limitNote ?? `this report is limited to ${sizeText(options.maxBytes ?? SUMMARY_LIMIT - 16 * 1024)}`;
  const rest = options.restNote ?? 'All findings are in the log and in the JSON report (output `json`).';
  if (result.findings.length > 0) {
    budget.force('### Findings\n\n');
    let shown = 0;
    outer: for (const group of groupByRule(result.findings)) {
      if (!budget.add(groupHeading(group, options.rules))) break;
      for (const f of group.findings) {
        if (!budget.add(findingItem(f, where))) break outer;
        shown++;
      }
      budget.add('\n');
    }
    dropped.findings = result.findings.length - shown;
    if (dropped.findings > 0) {
      budget.force(`\n**… ${plural(dropped.findings, 'more finding')} not shown**: ${limit}. ${rest}\n\n`);
    }
  }

  if (result.targets.length > 0) {
    const head = '### Targets\n\n| Target | Production? | Process → server | Static files | Verdict |\n| --- | --- | --- | --- | --- |\n';
    const rows: string[] = [];
    let bytes = Buffer.byteLength(head, 'utf8');
    for (const t of result.targets) {
      const row = targetRow(t, result.findings, where);
      bytes += Buffer.byteLength(row, 'utf8');
      if (!budget.fits(bytes + 200)) break;
      rows.push(row);
    }
    dropped.targets = result.targets.length - rows.length;
    if (rows.length > 0) {
      budget.force(head + rows.join(''));
      if (dropped.targets > 0) budget.force(`| … ${plural(dropped.targets, 'more target')} not shown (${escapeMarkdown(limit, 200)}) | | | | |\n`);
      budget.force('\n');
    } else {
      const production = result.targets.filter((t) => t.production).length;
      budget.force(`### Targets\n\n${plural(result.targets.length, 'target')} (${production} production); the table did not fit: ${limit}. The JSON report (output \`json\`) lists them.\n\n`);
    }
  } else {
    budget.force('No way of starting the app was found (see the supported deployment files in docs/targets.md).\n\n');
  }

  // Findings a baseline set apart (`--baseline`, input `baseline`): listed, not counted.
  const baselined = result.baselined ?? [];
  if (baselined.length > 0 && budget.add(`<details><summary>${plural(baselined.length, 'finding')} recorded in the baseline (not counted)</summary>\n\n`)) {
    for (const f of baselined) if (!budget.add(findingItem(f, where).replace(/^- /, `- **${escapeMarkdown(f.ruleId, 20)}** `))) break;
    budget.force('\n</details>\n\n');
  }

  // Findings outside the pull request's changes (the action's `filter-mode`): listed, not counted.
  const outside = result.outside?.findings ?? [];
  if (outside.length > 0 && budget.add(`<details><summary>${plural(outside.length, 'finding')} outside what this pull request changed (\`filter-mode: ${escapeMarkdown(result.outside!.mode, 20)}\`; not counted)</summary>\n\n`)) {
    for (const f of outside) if (!budget.add(findingItem(f, where).replace(/^- /, `- **${escapeMarkdown(f.ruleId, 20)}** `))) break;
    budget.force('\n</details>\n\n');
  }

  const extra: string[] = [];
  if (result.suppressed > 0) extra.push(`${plural(result.suppressed, 'finding')} suppressed by configuration or \`django-deploy-lint: ignore\` comments`);
  extra.push(`${plural(result.stats.files, 'file')} listed, ${result.stats.read} read`);
  budget.force(`<sub>django-deploy-lint${options.version ? ` ${escapeMarkdown(options.version, 40)}` : ''} · ${extra.join(' · ')}</sub>\n`);
  return budget.text();
}

function header(result: Result, failOn: FailOn): string {
  const s = result.summary;
  const total = s.errors + s.warnings + s.notices;
  const targets = plural(result.targets.length, 'target');
  const production = result.targets.filter((t) => t.production).length;
  const scope = `${targets} checked (${production} production)`;
  if (total === 0) return `## ✅ django-deploy-lint: no problems\n\n${scope}.\n\n`;
  const failing = fails(s, failOn);
  const icon = s.errors > 0 ? ICON.error : s.warnings > 0 ? ICON.warning : ICON.notice;
  const status = failing ? `The step fails: \`fail-on\` is \`${failOn}\`.` : `The step passes: \`fail-on\` is \`${failOn}\`.`;
  return `## ${icon} django-deploy-lint: ${countsText(s)}\n\n${scope}. ${status}\n\n`;
}

type Where = (file: string, line?: number, column?: number) => string;

function targetRow(t: Target, findings: readonly Finding[], where: Where): string {
  const cell = (s: string) => s.replace(/\n/g, ' ');
  const target = `${where(t.file, t.line)}<br>${escapeMarkdown(t.kind)}`;
  const production = `${t.production ? 'yes' : 'no'}: ${mdMessage(clip(reasonText(t), 300))}`;
  const processes = t.processes.length
    ? t.processes
        .map((p) => {
          const v = viewProcess(p);
          const end = v.server ? `${escapeMarkdown(v.server)}${v.app ? ` (${mdCode(v.app, 200)})` : ''}` : escapeMarkdown(processEnd(v) ?? '?', 200);
          const chain = [...v.chain.map((s) => where(s.file, s.line)), v.server ? escapeMarkdown(v.server) : null].filter(Boolean).join(' → ');
          const more = v.alternatives > 0 ? ` (+${v.alternatives} more)` : '';
          return `**${escapeMarkdown(p.name, 100)}** → ${end}${more}${chain ? `<br>${chain}` : ''}`;
        })
        .join('<br>')
    : '—';
  const c = t.collectstatic;
  const statics = t.staticStory
    ? escapeMarkdown(t.staticStory, 300)
    : c
    ? `collectstatic at ${where(c.command.loc.file, c.command.loc.line)}`
    : t.facts.platformCollectstatic
      ? `collected by the platform: ${escapeMarkdown(t.facts.platformCollectstatic.reason, 300)}`
      : 'collectstatic not found';
  const own = findingsOf(t, findings);
  const w = worst(own);
  const verdict = w ? `${ICON[w]} ${countsText(countFindings(own))}` : t.production ? '✅ no problems' : '➖ development';
  return `| ${[target, production, processes, statics, verdict].map(cell).join(' | ')} |\n`;
}

interface RuleGroup {
  ruleId: string;
  rule: string;
  severity: Severity;
  findings: Finding[];
}

function groupByRule(findings: readonly Finding[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const f of findings) {
    let g = groups.get(f.ruleId);
    if (!g) groups.set(f.ruleId, (g = { ruleId: f.ruleId, rule: f.rule, severity: f.severity, findings: [] }));
    g.findings.push(f);
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[g.severity]) g.severity = f.severity;
  }
  return [...groups.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

function groupHeading(g: RuleGroup, rules: readonly RuleMeta[]): string {
  const meta = rules.find((r) => r.id === g.ruleId);
  const about = meta ? `${mdMessage(meta.summary)} ` : '';
  // Rule ids and names come from our code, but are escaped all the same (a finding is data).
  return `#### ${ICON[g.severity]} ${escapeMarkdown(g.ruleId, 20)} ${escapeMarkdown(g.rule, 80)} (${g.findings.length})\n\n${about}[Rule documentation](${ruleDocUrl(encodeURIComponent(g.ruleId))})\n\n`;
}

function findingItem(f: Finding, where: Where): string {
  const lines = [`- ${f.file ? `${where(f.file, f.line, f.column)}: ` : ''}${mdMessage(f.message)}`];
  if (f.via.length > 0) lines.push(`  <br>via ${f.via.map((v) => where(v.file, v.line)).join(' → ')}`);
  if (f.fix) lines.push(`  <br>**Fix:** ${mdMessage(fixText(f)!)}`);
  return lines.join('\n') + '\n';
}
