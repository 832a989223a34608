import type { Severity } from './finding.js';

export type FailOn = Severity | 'never';
export type RuleLevel = Severity | 'off';

/** Options of one run; the action inputs and CLI flags map onto these. */
export interface LintOptions {
  /** Explicit config file (relative to the root or absolute); otherwise looked up in the root. */
  config?: string | null;
  /** A folder an explicit config must lie in, through no link out of it (the action's workspace). */
  configWithin?: string | null;
  /** Per-rule level overrides (`--rule DPL105=off`), applied after the config file. */
  rules?: Record<string, RuleLevel>;
  /**
   * When given, the engine records where the time went, in milliseconds, in insertion order:
   * the stages (`list files`, `load grammars`, `targets`, `static story`, `suppress`) and each rule
   * (`DPL101`, ...). For `--timing`; costs nothing when absent.
   */
  timings?: Map<string, number>;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** Does a result with these counts fail at `failOn`? */
export function fails(summary: { errors: number; warnings: number; notices: number }, failOn: FailOn): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'error':
      return summary.errors > 0;
    case 'warning':
      return summary.errors + summary.warnings > 0;
    case 'notice':
      return summary.errors + summary.warnings + summary.notices > 0;
  }
}
