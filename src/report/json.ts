/**
 * The JSON report (docs/architecture.md, "Reporting", version 1): the CLI's `--format json` and the action's `json`
 * output. Maps the engine's richer Result onto the documented, stable shape; nothing else.
 */
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { fixNeedsText, viewProcess } from './common.js';

export interface JsonLocation {
  file: string;
  line: number;
}

export interface JsonProcess {
  role: string;
  server: string | null;
  app: string | null;
  serverAt: JsonLocation | null;
  chain: { file: string; line: number; text: string }[];
}

export interface JsonTarget {
  id: string;
  kind: string;
  file: string;
  line: number;
  production: boolean;
  productionReason: string;
  processes: JsonProcess[];
  collectstatic: JsonLocation | null;
}

export interface JsonFinding {
  ruleId: string;
  rule: string;
  severity: Severity;
  target: string | null;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  via: { file: string; line: number }[];
  /** One-line fix, or null. */
  fix: string | null;
  /** What the fix needs besides itself (a package to declare), or absent. */
  fixNeeds?: { package: string; file: string | null; section: string | null; text: string; /** The same in words. */ words: string };
  /** Key of the rule's message table the message was made from, or absent. */
  messageId?: string;
  /**
   * The fix as edits (what `--fix` applies), or absent: a title, its safety (`safe`, `unsafe`:
   * applied only with `--unsafe-fixes`, `display-only`: never applied), and text edits with
   * 1-based line/column ranges, the end exclusive. `fix` above stays the fix in words.
   */
  autofix?: JsonFix;
}

export interface JsonFix {
  title: string;
  safety: 'safe' | 'unsafe' | 'display-only';
  edits: { file: string; range: { start: { line: number; column: number }; end: { line: number; column: number } }; text: string }[];
}

export interface JsonReport {
  version: 1;
  root: string;
  targets: JsonTarget[];
  findings: JsonFinding[];
  summary: { errors: number; warnings: number; notices: number };
  /** With a baseline: the findings it set apart, in the same shape (not counted in `summary`). */
  baselined?: JsonFinding[];
  /** With the action's `filter-mode`: the findings outside the pull request's changes (not counted). */
  outside?: { filterMode: string; findings: JsonFinding[] };
}

export interface JsonOptions {
  /** The scanned root as the user gave it (`.`, `services/web`); defaults to `result.root`. */
  root?: string;
}

export function toJson(result: Result, options: JsonOptions = {}): JsonReport {
  return {
    version: 1,
    root: (options.root ?? result.root).replace(/\\/g, '/'),
    targets: result.targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      file: t.file,
      line: t.line,
      production: t.production,
      productionReason: t.productionReason,
      processes: t.processes.map((p) => {
        const v = viewProcess(p);
        return {
          role: p.role,
          server: v.server,
          app: v.app,
          serverAt: v.serverAt,
          chain: v.chain.map((s) => ({ file: s.file, line: s.line, text: s.text })),
        };
      }),
      collectstatic: t.collectstatic ? { file: t.collectstatic.command.loc.file, line: t.collectstatic.command.loc.line } : null,
    })),
    findings: result.findings.map(jsonFinding),
    summary: { errors: result.summary.errors, warnings: result.summary.warnings, notices: result.summary.notices },
    ...(result.baselined ? { baselined: result.baselined.map(jsonFinding) } : {}),
    ...(result.outside ? { outside: { filterMode: result.outside.mode, findings: result.outside.findings.map(jsonFinding) } } : {}),
  };
}

function jsonFinding(f: Finding): JsonFinding {
  return {
      ruleId: f.ruleId,
      rule: f.rule,
      severity: f.severity,
      target: f.target,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      via: f.via.map((v) => ({ file: v.file, line: v.line })),
      fix: f.fix ?? null,
      ...(f.fix && f.fixNeeds ? { fixNeeds: { ...f.fixNeeds, words: fixNeedsText(f.fixNeeds) } } : {}),
      ...(f.messageId ? { messageId: f.messageId } : {}),
      ...(f.autofix
        ? {
            autofix: {
              title: f.autofix.title,
              safety: f.autofix.safety,
              edits: f.autofix.edits.map((e) => ({ file: e.file, range: { start: { ...e.range.start }, end: { ...e.range.end } }, text: e.text })),
            },
          }
        : {}),
  };
}
