/**
 * Findings as GitHub workflow commands (`::error file=…,line=…::message`), one per line.
 * Used by the action and by the CLI's `--format github`; never loads @actions/core.
 *
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step; all are still
 * printed (they appear in the log), and the summary says when some were not shown.
 */
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { displayPath, fixText } from './common.js';
import { escapeData, escapeProperty } from './escape.js';

/** Per-step display limit of the runner, per severity. */
export const ANNOTATION_LIMIT = 10;

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', notice: 'notice' };

export interface AnnotationOptions {
  /** Path of the scanned root relative to the workspace (see displayPath). */
  prefix?: string;
}

/** Properties of an annotation, in the order they are written. */
export interface AnnotationProps {
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** Format one workflow command; properties and data escaped as the runner unescapes them. */
export function workflowCommand(command: string, props: AnnotationProps, message: string): string {
  const parts: string[] = [];
  for (const key of ['file', 'line', 'endLine', 'col', 'endColumn', 'title'] as const) {
    const v = props[key];
    if (v === undefined || v === '') continue;
    parts.push(`${key}=${escapeProperty(String(v))}`);
  }
  return `::${command}${parts.length ? ' ' + parts.join(',') : ''}::${escapeData(message)}`;
}

/** The text of a finding's annotation: message, the chain it was reached through, the fix. */
export function annotationMessage(f: Finding, prefix?: string): string {
  const lines = [f.message];
  if (f.via.length > 0) lines.push(`via ${f.via.map((v) => `${displayPath(prefix, v.file)}:${v.line}`).join(' → ')}`);
  if (f.fix) lines.push(`Fix: ${fixText(f)}`);
  return lines.join('\n');
}

/** The annotation properties of a finding (columns only on a single-line span, as GitHub wants). */
export function annotationProps(f: Finding, prefix?: string): AnnotationProps {
  const props: AnnotationProps = { title: `${f.ruleId} ${f.rule}` };
  if (!f.file) return props;
  props.file = displayPath(prefix, f.file);
  if (!(f.line >= 1)) return props;
  props.line = f.line;
  const endLine = f.endLine >= f.line ? f.endLine : f.line;
  props.endLine = endLine;
  if (endLine === f.line && f.column >= 1) {
    props.col = f.column;
    if (f.endColumn > f.column) props.endColumn = f.endColumn;
  }
  return props;
}

export function annotation(f: Finding, options: AnnotationOptions = {}): string {
  return workflowCommand(COMMAND[f.severity], annotationProps(f, options.prefix), annotationMessage(f, options.prefix));
}

/** One workflow command per finding, in the engine's order. */
export function annotations(result: Result, options: AnnotationOptions = {}): string[] {
  return result.findings.map((f) => annotation(f, options));
}

/** How many annotations of each severity GitHub will not display (beyond ANNOTATION_LIMIT). */
export function hiddenAnnotations(result: Result): Record<Severity, number> {
  const over = (n: number) => Math.max(0, n - ANNOTATION_LIMIT);
  let e = 0;
  let w = 0;
  let n = 0;
  for (const f of result.findings) {
    if (f.severity === 'error') e++;
    else if (f.severity === 'warning') w++;
    else n++;
  }
  return { error: over(e), warning: over(w), notice: over(n) };
}
