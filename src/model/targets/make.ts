/**
 * The one place a `Target` is made (docs/architecture.md, "The deployment model"): every target kind's builder
 * calls `makeTarget`, so the shape of a target and its id (`<kind>:<file>` or
 * `<kind>:<file>#<name>`) are written once.
 */
import type { Verdict } from '../production.js';
import type { Process, Target, TargetFacts, TargetKind } from '../types.js';

export interface TargetSpec {
  kind: TargetKind;
  file: string;
  line: number;
  /** The service, app or resource inside the file, when a file holds several (`#name` in the id). */
  name?: string | null;
  verdict: Verdict;
  facts: TargetFacts;
  processes?: Process[];
}

export function makeTarget(spec: TargetSpec): Target {
  const { kind, file, name } = spec;
  return {
    id: name != null ? `${kind}:${file}#${name}` : `${kind}:${file}`,
    kind,
    file,
    line: spec.line,
    production: spec.verdict.production,
    productionReason: spec.verdict.reason,
    processes: spec.processes ?? [],
    collectstatic: null,
    facts: spec.facts,
  };
}
