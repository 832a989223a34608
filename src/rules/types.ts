import type { Repo } from '../discover/repo.js';
import type { ChainStep, Target } from '../model/types.js';
import type { FixNeeds, Severity } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { Project } from '../model/project.js';

/** A rule's metadata, kept beside its check (one rule per file). */
export interface RuleMeta {
  /** Stable id, never reused: `DPL101`. */
  id: string;
  /** kebab-case name of the bad pattern: `runserver-in-production`. */
  name: string;
  severity: Severity;
  /** One line: what the rule reports. */
  summary: string;
}

/** What a rule reports; the engine fills in rule id/name/severity and the target id. */
export interface Report {
  message: string;
  loc: Location;
  /** The chain that led to the location (entry point first). */
  via?: ChainStep[];
  /** Target the finding concerns; null for repo-wide findings. */
  target: Target | null;
  /** One-line fix for the summary. */
  fix?: string;
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

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Report[];
}
