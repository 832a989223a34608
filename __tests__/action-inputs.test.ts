import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputEnvName, InputError, readInputs } from '../src/action/inputs.js';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  test('defaults when nothing is given', () => {
    expect(readInputs(from({}))).toEqual({ path: '.', config: null, failOn: 'error', sarifFile: null, baseline: null, checkRun: 'auto', comment: 'off', token: '', checkoutPath: null, commentKey: null, commentOnClear: 'edit', sarifCategory: null, filterMode: 'nofilter', reporter: 'comment' });
  });

  test('values are trimmed and case-insensitive', () => {
    const i = readInputs(from({ path: ' app ', config: 'ci/lint.yml', 'fail-on': ' Warning', 'sarif-file': 'out.sarif', 'check-run': 'FALSE', comment: 'on-failure', token: 't' }));
    expect(i).toEqual({ path: 'app', config: 'ci/lint.yml', failOn: 'warning', sarifFile: 'out.sarif', baseline: null, checkRun: 'false', comment: 'on-failure', token: 't', checkoutPath: null, commentKey: null, commentOnClear: 'edit', sarifCategory: null, filterMode: 'nofilter', reporter: 'comment' });
  });

  test('the inputs of the checkout, SARIF category and sticky comment', () => {
    const i = readInputs(from({ 'checkout-path': ' app ', 'comment-key': 'deploy', 'comment-on-clear': 'Delete', 'sarif-category': 'svc' }));
    expect(i).toMatchObject({ checkoutPath: 'app', commentKey: 'deploy', commentOnClear: 'delete', sarifCategory: 'svc' });
    expect(() => readInputs(from({ 'comment-on-clear': 'burn' }))).toThrow("Input 'comment-on-clear' must be one of edit, hide, delete; got 'burn'.");
    expect(readInputs(from({ 'filter-mode': 'diff-context' })).filterMode).toBe('diff_context');
    expect(readInputs(from({ reporter: ' GitHub-PR-Review ' })).reporter).toBe('github-pr-review');
    expect(() => readInputs(from({ 'filter-mode': 'changed' }))).toThrow("Input 'filter-mode' must be one of added, diff_context, file, nofilter; got 'changed'.");
  });

  test.each([
    ['fail-on', 'errors', "Input 'fail-on' must be one of error, warning, notice, never; got 'errors'."],
    ['check-run', 'yes', "Input 'check-run' must be one of auto, true, false; got 'yes'."],
    ['comment', 'on', "Input 'comment' must be one of off, on-failure, always; got 'on'."],
    ['reporter', 'github-pr-check', "Input 'reporter' must be one of comment, github-pr-review, both; got 'github-pr-check'."],
  ])('%s=%s is rejected with the allowed values', (name, value, message) => {
    expect(() => readInputs(from({ [name]: value }))).toThrow(new InputError(message));
  });

  test('env names as the runner writes them (hyphen kept)', () => {
    expect(inputEnvName('fail-on')).toBe('INPUT_FAIL-ON');
    expect(inputEnvName('sarif-file')).toBe('INPUT_SARIF-FILE');
  });
});

describe('the workflows of the README and docs/action.md', () => {
  // Every YAML block that uses the action: valid YAML, only inputs action.yml declares, each
  // value accepted by readInputs (a typo such as `reporter: pr-review` fails here).
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const declared = Object.keys((parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
  const blocks = ['README.md', 'docs/action.md'].flatMap((page) =>
    [...fs.readFileSync(path.join(ROOT, page), 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m, i) => ({ name: `${page} #${i + 1}`, text: m[1] })),
  );
  const uses = (node: unknown, out: { uses: string; with?: Record<string, unknown> }[] = []) => {
    if (Array.isArray(node)) for (const n of node) uses(n, out);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.uses === 'string') out.push(o as { uses: string; with?: Record<string, unknown> });
      for (const v of Object.values(o)) uses(v, out);
    }
    return out;
  };

  test('the README has complete workflows for a required check, the review reporter, code scanning and the fork-safe pair', () => {
    const readme = blocks.filter((b) => b.name.startsWith('README')).map((b) => parseYaml(b.text) as Record<string, any>);
    const complete = readme.filter((w) => w && w.on && w.jobs);
    const steps = (w: Record<string, any>) => Object.values(w.jobs as Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>).flatMap((j) => j.steps);
    const ours = (w: Record<string, any>) => steps(w).find((s) => s.uses?.startsWith('django-deploy-lint/'))?.with ?? null;
    expect(complete.some((w) => ours(w)?.['filter-mode'] === 'added' && w.permissions.checks === 'write')).toBe(true);
    expect(complete.some((w) => ours(w)?.reporter === 'github-pr-review' && w.permissions['pull-requests'] === 'write')).toBe(true);
    expect(complete.some((w) => ours(w)?.['sarif-file'] && steps(w).some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif')))).toBe(true);
    const fork = complete.find((w) => w.on.workflow_run);
    expect(fork?.on.workflow_run.workflows).toEqual(['deploy-lint']);
    // The follow-up never checks out the fork's code.
    expect(steps(fork!).some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false);
  });

  test.each(blocks)('$name: the action\'s inputs are declared and valid', ({ text }) => {
    const doc = parseYaml(text);
    for (const step of uses(doc).filter((s) => s.uses.startsWith('django-deploy-lint/'))) {
      const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
      for (const k of Object.keys(given)) expect(declared).toContain(k);
      expect(() => readInputs((name) => given[name] ?? '')).not.toThrow();
    }
  });
});
