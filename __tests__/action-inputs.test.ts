import { inputEnvName, InputError, readInputs } from '../src/action/inputs.js';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  test('defaults when nothing is given', () => {
    expect(readInputs(from({}))).toEqual({ path: '.', config: null, failOn: 'error', sarifFile: null, baseline: null, checkRun: 'auto', comment: 'off', token: '', checkoutPath: null, commentKey: null, commentOnClear: 'edit', sarifCategory: null, filterMode: 'nofilter' });
  });

  test('values are trimmed and case-insensitive', () => {
    const i = readInputs(from({ path: ' app ', config: 'ci/lint.yml', 'fail-on': ' Warning', 'sarif-file': 'out.sarif', 'check-run': 'FALSE', comment: 'on-failure', token: 't' }));
    expect(i).toEqual({ path: 'app', config: 'ci/lint.yml', failOn: 'warning', sarifFile: 'out.sarif', baseline: null, checkRun: 'false', comment: 'on-failure', token: 't', checkoutPath: null, commentKey: null, commentOnClear: 'edit', sarifCategory: null, filterMode: 'nofilter' });
  });

  test('the inputs of the checkout, SARIF category and sticky comment', () => {
    const i = readInputs(from({ 'checkout-path': ' app ', 'comment-key': 'deploy', 'comment-on-clear': 'Delete', 'sarif-category': 'svc' }));
    expect(i).toMatchObject({ checkoutPath: 'app', commentKey: 'deploy', commentOnClear: 'delete', sarifCategory: 'svc' });
    expect(() => readInputs(from({ 'comment-on-clear': 'burn' }))).toThrow("Input 'comment-on-clear' must be one of edit, hide, delete; got 'burn'.");
    expect(readInputs(from({ 'filter-mode': 'diff-context' })).filterMode).toBe('diff_context');
    expect(() => readInputs(from({ 'filter-mode': 'changed' }))).toThrow("Input 'filter-mode' must be one of added, diff_context, file, nofilter; got 'changed'.");
  });

  test.each([
    ['fail-on', 'errors', "Input 'fail-on' must be one of error, warning, notice, never; got 'errors'."],
    ['check-run', 'yes', "Input 'check-run' must be one of auto, true, false; got 'yes'."],
    ['comment', 'on', "Input 'comment' must be one of off, on-failure, always; got 'on'."],
  ])('%s=%s is rejected with the allowed values', (name, value, message) => {
    expect(() => readInputs(from({ [name]: value }))).toThrow(new InputError(message));
  });

  test('env names as the runner writes them (hyphen kept)', () => {
    expect(inputEnvName('fail-on')).toBe('INPUT_FAIL-ON');
    expect(inputEnvName('sarif-file')).toBe('INPUT_SARIF-FILE');
  });
});
