import type { Fix } from './fix.js';

export type Severity = 'error' | 'warning' | 'notice';

// ---------------------------------------------------------------------------------------------
// Findings and result
// ---------------------------------------------------------------------------------------------

export interface Finding {
  ruleId: string;
  rule: string;
  severity: Severity;
  /** Id of the target it concerns, or null for repo-wide findings. */
  target: string | null;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  via: { file: string; line: number; column?: number; text?: string }[];
  /** One-line fix, for the summary. */
  fix?: string;
  /** What the fix needs besides itself (the server it starts is not installed yet). */
  fixNeeds?: FixNeeds;
  /** Key of the rule's message table the message was made from (src/rules/types.ts). */
  messageId?: string;
  /** More about the finding, one line each. */
  notes?: string[];
  /** The fix as edits (`--fix`, suggestions, the JSON/SARIF reports), when the rule makes one. */
  autofix?: Fix;
}

/**
 * A package the fix starts but the target does not install: the line to add and where
 * (`file` null: where the target installs from could not be read; say it in words).
 */
export interface FixNeeds {
  package: string;
  file: string | null;
  /** `[project] dependencies`, `[packages]`, …; null for a plain requirements file. */
  section: string | null;
  /** The line to add (`gunicorn`, `"gunicorn",`). */
  text: string;
}
