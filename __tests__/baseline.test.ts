/** Baseline: fingerprints shared with SARIF, multiset matching, parse errors, text and summary. */
import { applyBaseline, BaselineError, parseBaseline, serializeBaseline, toBaseline } from '../src/suppress/baseline.js';
import { RULES } from '../src/rules/index.js';
import { toSarif } from '../src/report/sarif.js';
import { toSummary } from '../src/report/summary.js';
import { toText } from '../src/report/text.js';
import { finding, herokuResult, result } from './report-factory.js';

const reload = (over = {}) =>
  finding({ ruleId: 'DPL105', rule: 'dev-option-in-production', severity: 'warning', file: 'bin/web', line: 4, message: '`--reload` in production (bin/web line 4)', ...over });

describe('toBaseline', () => {
  test('fingerprints are the SARIF partial fingerprints, one per finding, in order', () => {
    const r = result([finding(), reload(), reload({ line: 9 })]);
    const b = toBaseline(r.findings);
    const sarif = toSarif(r, RULES, { version: '0.0.0' }) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
    expect(b.findings.map((e) => e.fingerprint)).toEqual(sarif.runs[0].results.map((x) => Object.values(x.partialFingerprints)[0]));
    expect(b.findings[2].fingerprint.endsWith(':2')).toBe(true);
    expect(b.findings[1]).toMatchObject({ ruleId: 'DPL105', file: 'bin/web', line: 4 });
    expect(parseBaseline(serializeBaseline(b))).toEqual(b);
  });
});

describe('applyBaseline', () => {
  test('a recorded finding is set apart even when its line moved; a new one counts', () => {
    const b = toBaseline([reload()]);
    const moved = reload({ line: 12, message: '`--reload` in production (bin/web line 12)' });
    const fresh = finding();
    const r = applyBaseline(result([fresh, moved]), b);
    expect(r.findings).toEqual([fresh]);
    expect(r.baselined).toEqual([moved]);
    expect(r.summary).toEqual({ errors: 1, warnings: 0, notices: 0 });
  });

  test('identical findings are counted: one recorded, two now → one new', () => {
    const b = toBaseline([reload()]);
    const r = applyBaseline(result([reload(), reload({ column: 30 })]), b);
    expect(r.baselined).toHaveLength(1);
    expect(r.findings).toHaveLength(1);
    expect(r.summary.warnings).toBe(1);
  });

  test('a different file or rule is a different finding', () => {
    const b = toBaseline([reload()]);
    expect(applyBaseline(result([reload({ file: 'bin/worker' })]), b).baselined).toEqual([]);
    expect(applyBaseline(result([reload({ ruleId: 'DPL107' })]), b).baselined).toEqual([]);
  });
});

describe('parseBaseline', () => {
  test.each([
    ['not json', 'is not valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"version": 2, "findings": []}', 'has version 2'],
    ['{"version": 1}', 'has no "findings" list'],
    ['{"version": 1, "findings": [{"fingerprint": "x"}]}', 'findings[0] has no valid "fingerprint"'],
  ])('%s is rejected', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(BaselineError);
    expect(() => parseBaseline(text, 'b.json')).toThrow(message);
  });
});

describe('reports list baselined findings apart', () => {
  const r = applyBaseline(herokuResult(), toBaseline(herokuResult().findings));

  test('text: not under the target, in a Baselined list, verdict passes', () => {
    const text = toText(r);
    expect(text).toContain('Baselined (1, not counted):\n  Procfile:1:6: error DPL101');
    expect(text).not.toMatch(/^Procfile:1:6: error DPL101/m);
    expect(text.trimEnd().split('\n').pop()).toBe('✔ No new problems (1 target checked, 1 baselined)');
  });

  test('job summary: a details block, and the header counts new findings only', () => {
    const md = toSummary(r, { rules: RULES, failOn: 'error' });
    expect(md).toMatch(/^## ✅ django-deploy-lint: no problems/);
    expect(md).toContain('<details><summary>1 finding recorded in the baseline (not counted)</summary>');
    expect(md).toContain('- **DPL101** <code>Procfile&#58;1&#58;6</code>');
    expect(md).not.toContain('### Findings');
  });
});
