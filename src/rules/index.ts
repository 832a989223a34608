/** The rule catalogue (SPEC §5), in id order. */
import type { Rule, RuleMeta } from './types.js';
import { unparsableFile } from './unparsable-file.js';
import { unresolvedProcess } from './unresolved-process.js';
import { noProductionTarget } from './no-production-target.js';
import { runserverInProduction } from './runserver-in-production.js';
import { noAppServer } from './no-app-server.js';
import { collectstaticMissing } from './collectstatic-missing.js';

export const RULE_LIST: Rule[] = [
  unparsableFile,
  unresolvedProcess,
  noProductionTarget,
  runserverInProduction,
  noAppServer,
  collectstaticMissing,
];

export const RULES: RuleMeta[] = RULE_LIST.map(({ id, name, severity, summary }) => ({ id, name, severity, summary }));

export function ruleById(id: string): Rule | undefined {
  return RULE_LIST.find((r) => r.id === id);
}
