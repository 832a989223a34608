/** The rule catalogue (docs/architecture.md, "Rules"), in id order. */
import type { Rule, RuleMeta } from './types.js';
import { unparsableFile } from './unparsable-file.js';
import { unresolvedProcess } from './unresolved-process.js';
import { noProductionTarget } from './no-production-target.js';
import { unusedSuppression } from './unused-suppression.js';
import { runserverInProduction } from './runserver-in-production.js';
import { noAppServer } from './no-app-server.js';
import { serverNotInstalled } from './server-not-installed.js';
import { collectstaticMissing } from './collectstatic-missing.js';
import { appModuleNotFound } from './app-module-not-found.js';
import { devOptionInProduction } from './dev-option-in-production.js';
import { interfaceMismatch } from './interface-mismatch.js';
import { unreachableBind } from './unreachable-bind.js';
import { collectstaticInteractive } from './collectstatic-interactive.js';
import { collectstaticBeforeSource } from './collectstatic-before-source.js';
import { staticRootMissing } from './static-root-missing.js';
import { staticNotServed } from './static-not-served.js';
import { collectstaticDisabled } from './collectstatic-disabled.js';
import { proxyUpstreamMismatch } from './proxy-upstream-mismatch.js';
import { staticLocationMismatch } from './static-location-mismatch.js';
import { staticServedByDjango } from './static-served-by-django.js';

export const RULE_LIST: Rule[] = [
  unparsableFile,
  unresolvedProcess,
  noProductionTarget,
  unusedSuppression,
  runserverInProduction,
  noAppServer,
  serverNotInstalled,
  appModuleNotFound,
  devOptionInProduction,
  interfaceMismatch,
  unreachableBind,
  collectstaticMissing,
  collectstaticInteractive,
  staticRootMissing,
  staticNotServed,
  collectstaticBeforeSource,
  collectstaticDisabled,
  staticServedByDjango,
  proxyUpstreamMismatch,
  staticLocationMismatch,
];

export const RULES: RuleMeta[] = RULE_LIST.map((r) => r.meta);

export function ruleById(id: string): Rule | undefined {
  return RULE_LIST.find((r) => r.id === id);
}
