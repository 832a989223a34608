/**
 * Baseline (adopting the linter on an existing repository): `--write-baseline FILE` records the
 * current findings; with `--baseline FILE` (action input `baseline`) the findings recorded there
 * are set apart, so only new findings count toward fail-on.
 *
 * A finding is recorded by the fingerprint SARIF uses (`fingerprintBase` in report/sarif.ts:
 * rule, file and the message with line numbers normalised away, never the line itself), so
 * code scanning and the baseline agree on what "the same finding" is, and a finding that only
 * moved is still baselined. Identical findings in one file are counted: a baseline holding one
 * `DPL105` in `bin/web` sets apart one such finding, a second one is new.
 *
 * File format (JSON, stable order, meant to be committed):
 *   { "version": 1, "tool": "django-deploy-lint",
 *     "findings": [ { "fingerprint": "<32 hex>:<n>", "ruleId": "DPL105", "file": "bin/web",
 *                     "line": 4, "message": "…" } ] }
 * Only `fingerprint` is used for matching; the rest is there for the reviewer of the file.
 */
import { readNamedFile } from './discover/repo.js';
import type { Finding } from './core/finding.js';
import type { Result } from './suppress/result.js';
import { fingerprintBase } from './report/sarif.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

export interface Baseline {
  version: 1;
  tool: 'django-deploy-lint';
  findings: BaselineEntry[];
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** The findings of a result as a baseline, with SARIF's `base:n` fingerprints. */
export function toBaseline(findings: readonly Finding[]): Baseline {
  const seen = new Map<string, number>();
  const entries = findings.map((f) => {
    const base = fingerprintBase(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { fingerprint: `${base}:${n}`, ruleId: f.ruleId, file: f.file, line: f.line, message: f.message };
  });
  return { version: 1, tool: 'django-deploy-lint', findings: entries };
}

export function serializeBaseline(b: Baseline): string {
  return JSON.stringify(b, null, 2) + '\n';
}

/** Where JSON.parse stopped (`at line 3, column 7`), without any of the text. */
function jsonErrorPosition(err: unknown, text: string): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (!m) return '';
  const at = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return ` (at line ${line}, column ${at - before.lastIndexOf('\n')})`;
}

/** Parse a baseline file's text; anything malformed is a BaselineError naming what is wrong. */
export function parseBaseline(text: string, name = 'baseline'): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Not the parser's message: it quotes the text, and the file may be anything (an environment).
    throw new BaselineError(`${name} is not valid JSON${jsonErrorPosition(err, text)}`);
  }
  const obj = data as Partial<Baseline> | null;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new BaselineError(`${name} must be a JSON object written by --write-baseline`);
  if (obj.version !== 1) throw new BaselineError(`${name} has version ${JSON.stringify(obj.version)}; this version of django-deploy-lint reads version 1`);
  if (!Array.isArray(obj.findings)) throw new BaselineError(`${name} has no "findings" list`);
  obj.findings.forEach((e, i) => {
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || !/^[0-9a-f]{32}(:\d+)?$/.test(e.fingerprint)) {
      throw new BaselineError(`${name}: findings[${i}] has no valid "fingerprint"`);
    }
  });
  return { version: 1, tool: 'django-deploy-lint', findings: obj.findings };
}

/** A baseline of tens of thousands of findings is a few MB; beyond this it is refused. */
const MAX_BASELINE_BYTES = 32 * 1024 * 1024;

/**
 * Read a baseline as repository files are read (a regular file, bounded, never blocking), inside
 * `within` when given (the action's workspace). `shown` names it in messages.
 */
export function readBaseline(file: string, within: string | null = null, shown = file): Baseline {
  const r = readNamedFile(file, within, MAX_BASELINE_BYTES);
  if (!r.ok) throw new BaselineError(`cannot read the baseline ${shown}: ${r.message}`);
  return parseBaseline(r.text, shown);
}

export interface BaselinedResult extends Result {
  /** Findings recorded in the baseline: listed apart, not counted toward fail-on. */
  baselined: Finding[];
}

/** Split the findings into new ones (kept in `findings`, counted) and baselined ones. */
export function applyBaseline(result: Result, baseline: Baseline): BaselinedResult {
  const budget = new Map<string, number>();
  for (const e of baseline.findings) {
    const base = e.fingerprint.split(':')[0];
    budget.set(base, (budget.get(base) ?? 0) + 1);
  }
  const fresh: Finding[] = [];
  const baselined: Finding[] = [...((result as Partial<BaselinedResult>).baselined ?? [])];
  for (const f of result.findings) {
    const base = fingerprintBase(f);
    const left = budget.get(base) ?? 0;
    if (left > 0) {
      budget.set(base, left - 1);
      baselined.push(f);
    } else fresh.push(f);
  }
  const summary = { errors: 0, warnings: 0, notices: 0 };
  for (const f of fresh) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.notices++;
  }
  return { ...result, findings: fresh, summary, baselined };
}
