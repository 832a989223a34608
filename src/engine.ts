/**
 * The engine: discover → parse → model → rules → suppress (SPEC §1). Pure: no `@actions/*`,
 * no network, never runs repository code.
 */
import { globMatcher, loadConfig } from './config.js';
import { discover } from './discover/repo.js';
import { buildTargets } from './model/build.js';
import { Project } from './model/project.js';
import type { Finding, Result, Severity } from './model/types.js';
import type { LintOptions } from './options.js';
import { loadGrammars } from './parse/treesitter.js';
import { RULE_LIST } from './rules/index.js';

const RULE_IDS: ReadonlySet<string> = new Set(RULE_LIST.map((r) => r.id));
import type { Report, Rule } from './rules/types.js';
import { applySuppressions } from './suppress.js';

export async function lint(root: string, options: LintOptions = {}): Promise<Result> {
  const t0 = performance.now();
  const found = discover(root);
  const config = loadConfig(found, options.config, RULE_IDS);
  const excluded = globMatcher(config.exclude);
  const repo = config.exclude.length > 0 ? found.filtered((f) => !excluded(f)) : found;
  const project = new Project(repo, config);
  const levels = { ...config.rules, ...options.rules };
  // Shell scripts and settings modules are parsed synchronously during the model and rule stages.
  await loadGrammars(['bash', 'python']);
  const targets = buildTargets(project);
  const findings: Finding[] = [];
  for (const rule of RULE_LIST) {
    const level = levels[rule.id];
    if (level === 'off') continue;
    for (const r of rule.check({ repo, project, targets })) findings.push(toFinding(rule, r, level));
  }
  const { kept, suppressed } = applySuppressions(repo, dedupe(findings));
  kept.sort(compareFindings);
  const summary = { errors: 0, warnings: 0, notices: 0 };
  for (const f of kept) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.notices++;
  }
  return {
    version: 1,
    root: '.',
    targets,
    findings: kept,
    summary,
    suppressed,
    stats: { files: repo.files.length, read: repo.readCount, ms: Math.round(performance.now() - t0) },
  };
}

function toFinding(rule: Rule, r: Report, level: Severity | undefined): Finding {
  return {
    ruleId: rule.id,
    rule: rule.name,
    severity: level ?? r.severity ?? rule.severity,
    target: r.target?.id ?? null,
    message: r.message,
    file: r.loc.file,
    line: r.loc.line,
    column: r.loc.column,
    endLine: r.loc.endLine,
    endColumn: r.loc.endColumn,
    via: (r.via ?? [])
      .filter((s) => !(s.file === r.loc.file && s.line === r.loc.line))
      .map((s) => ({ file: s.file, line: s.line, ...(s.column ? { column: s.column } : {}), text: s.text })),
    ...(r.fix ? { fix: r.fix } : {}),
  };
}

/** The same problem reached through two targets (a Dockerfile and the compose service building it) is reported once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}|${f.file}|${f.line}|${f.column}|${f.endLine}|${f.endColumn}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
