import type { Repo } from '../discover/repo.js';
import type { Fix } from '../core/fix.js';
import type { ChainStep, Target } from '../model/types.js';
import type { FixNeeds, Severity } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { Project } from '../model/project.js';

export type { Fix, FixSafety, TextEdit } from '../core/fix.js';

/**
 * A rule's metadata, kept beside its check (one rule per file), like ESLint's `meta` and ruff's
 * violation metadata.
 */
export interface RuleMeta<M extends string = string> {
  /** Stable id, never reused: `DPL101`. */
  id: string;
  /** kebab-case name of the bad pattern: `runserver-in-production`. */
  name: string;
  severity: Severity;
  /** One line: what the rule reports. */
  summary: string;
  /**
   * The messages the rule reports, by message id: templates whose `{{name}}` placeholders are
   * filled from the report's `data` (formatMessage). One sentence each: what is wrong where.
   */
  messages: Readonly<Record<M, string>>;
  /** The most a fix of this rule may be: `safe`, `unsafe`, or undefined when it has no fix. */
  fixable?: 'safe' | 'unsafe';
}

/** Values for a message's placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

/** What a rule reports; the engine fills in rule id/name/severity, the message and the target id. */
export interface Report<M extends string = string> {
  /** A key of the rule's `meta.messages`. */
  messageId: M;
  data?: MessageData;
  loc: Location;
  /** The chain that led to the location (entry point first). */
  via?: ChainStep[];
  /** Target the finding concerns; null for repo-wide findings. */
  target: Target | null;
  /** More about it, each one line (shown under the message where a format has room). */
  notes?: string[];
  /** The fix in words, one line, for the summary (Finding.fix). */
  help?: string;
  /** The fix as edits, when the rule can make them (Finding.autofix). */
  fix?: Fix;
  /** What the fix needs besides itself (see Finding.fixNeeds). */
  fixNeeds?: FixNeeds;
  /** Overrides the rule's default severity (rare: e.g. a dev-only condition). */
  severity?: Severity;
}

export interface RuleContext {
  repo: Repo;
  project: Project;
  targets: Target[];
}

export interface Rule<M extends string = string> extends RuleMeta<M> {
  /** The metadata alone (the same fields as the rule). */
  readonly meta: RuleMeta<M>;
  check(ctx: RuleContext): Report<M>[];
}

/**
 * A rule from its metadata and its check; `check` may only report the rule's own message ids,
 * and a report with a fix needs `fixable`, at least as permissive as the fix's safety.
 */
export function defineRule<const M extends string>(rule: RuleMeta<M> & { check(ctx: RuleContext): Report<NoInfer<M>>[] }): Rule<M> {
  const { check, ...meta } = rule;
  return { ...meta, meta, check };
}

/** A message template filled with its data: `{{name}}` → data.name. A missing value is a bug. */
export function formatMessage(template: string, data: MessageData = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const v = data[key];
    if (v === undefined) throw new Error(`message placeholder {{${key}}} has no value`);
    return String(v);
  });
}
