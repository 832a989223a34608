import type { Finding } from '../core/finding.js';
import type { Target } from '../model/types.js';

export interface Summary {
  errors: number;
  warnings: number;
  notices: number;
}

export interface Result {
  version: 1;
  root: string;
  targets: Target[];
  findings: Finding[];
  summary: Summary;
  /** Findings removed by pragmas or configuration (kept for the summary and `--explain`). */
  suppressed: number;
  /** Findings recorded in the baseline (`--baseline`): listed apart, not counted (src/baseline.ts). */
  baselined?: Finding[];
  /** How many files were discovered and how many were read. */
  stats: { files: number; read: number; ms: number };
  /** With the action's `filter-mode`: findings outside what the pull request changed (not counted). */
  outside?: { mode: string; findings: Finding[] };
}
