/** The order of findings, shared by the engine and every report. */
import type { Finding } from '../core/finding.js';

/** The engine's order of findings: file, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
