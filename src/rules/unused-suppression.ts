/**
 * DPL004 unused-suppression: a `django-deploy-lint:` pragma that names an unknown rule, that
 * suppresses nothing, that is not understood, or an `ignore-file=` below the first ten lines
 * (like hadolint's and ESLint's unused-disable reports).
 *
 * Whether a pragma suppressed anything is only known after every other rule has run, so the
 * reports are made by the suppress stage (src/suppress.ts, `pragmaReports`), which sees the
 * findings; `check` here reports nothing by itself. The rule is in the catalogue so that it has
 * an id, a page, a level in the configuration (`rules: { DPL004: off }`) and `--explain`.
 */
import { defineRule } from './types.js';

export const unusedSuppression = defineRule({
  id: 'DPL004',
  name: 'unused-suppression',
  severity: 'notice',
  summary: 'A `django-deploy-lint:` pragma names an unknown rule, suppresses nothing, or is not understood.',
  // The suppress stage words its reports itself (src/suppress.ts); the one message is its text.
  messages: { pragma: '{{text}}' },
  check() {
    return [];
  },
});
