/**
 * The engine: discover → parse → model → rules → suppress (docs/architecture.md, "Pipeline"). Pure: no `@actions/*`,
 * no network, never runs repository code.
 */
import { compareFindings } from './model/findings.js';
import { globMatcher, loadConfig } from './config.js';
import { discoverAsync, type Deadline } from './discover/repo.js';
import { buildTargets } from './model/build.js';
import { Project } from './model/project.js';
import type { Finding, Severity } from './core/finding.js';
import type { Result } from './suppress/result.js';
import type { LintOptions } from './core/options.js';
import { setParseDeadline } from './parse/limits.js';
import { loadGrammars } from './parse/treesitter.js';
import { YamlDeadline } from './parse/yaml-bounded.js';
import { RULE_LIST } from './rules/index.js';
import { staticStory } from './rules/static-story.js';

import { formatMessage, type FixSafety, type Report, type Rule } from './rules/types.js';
import { applySuppressions } from './suppress.js';

const RULE_IDS: ReadonlySet<string> = new Set(RULE_LIST.map((r) => r.id));

// ---- Run time bound (docs/architecture.md, "Bounds") -------------------------------------------
// A hostile repository must not hold a CI job (and its token) for long. The deadline is shared
// with the Repo: once it is past, every further read is refused at once (so no stage can keep
// working on file content), and the checkpoints below stop the run with a DeadlineError. The
// run fails closed: a partial result could pass a check that a complete one would fail.

/** Default time bound of one run; real repositories take well under a second. */
export const DEFAULT_DEADLINE_MS = 60_000;

export interface EngineOptions extends LintOptions {
  /** Time bound of the run in milliseconds (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

export class DeadlineError extends Error {
  constructor(readonly limitMs: number, readonly stage: string) {
    super(
      `stopped after ${limitMs / 1000} s, the run's time bound, while ${stage}; nothing was reported. ` +
        'The repository is unusually large or slow to read: exclude folders that hold no deployment files with `exclude:` in .django-deploy-lint.yml.',
    );
    this.name = 'DeadlineError';
  }
}

function checkpoint(deadline: Deadline, limitMs: number, stage: string): void {
  if (deadline.expired || performance.now() > deadline.at) {
    deadline.expired = true;
    throw new DeadlineError(limitMs, stage);
  }
}
// -----------------------------------------------------------------------------------------------

export async function lint(root: string, options: EngineOptions = {}): Promise<Result> {
  const t0 = performance.now();
  const timings = options.timings;
  let mark = t0;
  /** Records the time since the previous mark under `stage` (only when timings are asked for). */
  const lap = (stage: string): void => {
    if (!timings) return;
    const now = performance.now();
    timings.set(stage, (timings.get(stage) ?? 0) + (now - mark));
    mark = now;
  };
  const limitMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline: Deadline = { at: t0 + limitMs, expired: false };
  // Every target's commands are shell: the bash grammar loads (its WASM compiles off the main
  // thread) while git lists the files. Python too (settings, gunicorn config, setup.py): nearly
  // every repository has a .py file, and it costs ~3 ms more, in parallel; awaited only if needed.
  const bash = loadGrammars(['bash']);
  const python = loadGrammars(['python']);
  bash.catch(() => {}); // awaited below; not an unhandled rejection if listing fails first
  python.catch(() => {});
  const found = await discoverAsync(root, limitMs);
  found.deadline = deadline;
  checkpoint(deadline, limitMs, 'listing the files');
  lap('list files');
  setParseDeadline(deadline);
  let config;
  try {
    config = loadConfig(found, options.config, RULE_IDS, options.configWithin ?? null);
  } catch (e) {
    if (e instanceof YamlDeadline) throw new DeadlineError(limitMs, 'reading the configuration');
    throw e;
  } finally {
    setParseDeadline(null);
  }
  const excluded = globMatcher(config.exclude);
  const repo = config.exclude.length > 0 ? found.filtered((f) => !excluded(f)) : found;
  const project = new Project(repo, config);
  const levels = { ...config.rules, ...options.rules };
  lap('configuration');
  // Shell scripts and Python files (settings, gunicorn config, setup.py) are parsed synchronously
  // during the model and rule stages, so their grammars are loaded before. Python only when the
  // repository has a file it could be used on.
  if (needsPython(repo.files)) await python;
  await bash;
  lap('load grammars');
  checkpoint(deadline, limitMs, 'loading the grammars');
  // From here to the end the run is synchronous: every parse is bound by this run's deadline.
  setParseDeadline(deadline);
  try {
    return finish();
  } finally {
    setParseDeadline(null);
  }

  function finish(): Result {
    const targets = buildTargets(project);
    lap('targets');
    for (const t of targets) t.staticStory = staticStory(project, t, targets);
    lap('static story');
    checkpoint(deadline, limitMs, 'finding the targets');
    const findings: Finding[] = [];
    for (const rule of RULE_LIST) {
      const level = levels[rule.id];
      if (level === 'off') continue;
      for (const r of rule.check({ repo, project, targets })) findings.push(toFinding(rule, r, level));
      checkpoint(deadline, limitMs, `checking ${rule.id}`);
      lap(rule.id);
    }
    const { kept, suppressed } = applySuppressions(repo, dedupe(findings), levels);
    checkpoint(deadline, limitMs, 'applying suppressions');
    lap('suppress');
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
}

/** Python is parsed only in `.py` files, and in gunicorn config files (`-c file:...`, any name). */
function needsPython(files: readonly string[]): boolean {
  return files.some((f) => f.endsWith('.py') || f.includes('gunicorn'));
}

function toFinding(rule: Rule, r: Report, level: Severity | undefined): Finding {
  return {
    ruleId: rule.id,
    rule: rule.name,
    severity: level ?? r.severity ?? rule.severity,
    target: r.target?.id ?? null,
    message: formatMessage(rule.messages[r.messageId], r.data),
    messageId: r.messageId,
    file: r.loc.file,
    line: r.loc.line,
    column: r.loc.column,
    endLine: r.loc.endLine,
    endColumn: r.loc.endColumn,
    via: (r.via ?? [])
      .filter((s) => !(s.file === r.loc.file && s.line === r.loc.line))
      // Each hop once: an ENTRYPOINT+CMD pair or a wrapper on the same line is one step.
      .filter((s, i, all) => i === 0 || all[i - 1].file !== s.file || all[i - 1].line !== s.line)
      .map((s) => ({ file: s.file, line: s.line, ...(s.column ? { column: s.column } : {}), text: s.text })),
    ...(r.help ? { fix: r.help } : {}),
    ...(r.help && r.fixNeeds ? { fixNeeds: r.fixNeeds } : {}),
    ...(r.notes && r.notes.length > 0 ? { notes: r.notes } : {}),
    ...(r.fix && fixAllowed(rule, r.fix.safety) ? { autofix: r.fix } : {}),
  };
}

/** A fix may be no less safe than the rule says it is (`meta.fixable`); an unsafe one from a `safe` rule is dropped. */
function fixAllowed(rule: Rule, safety: FixSafety): boolean {
  return rule.fixable === 'unsafe' || (rule.fixable === 'safe' && safety !== 'unsafe');
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

export { compareFindings };
