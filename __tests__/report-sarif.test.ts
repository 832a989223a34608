import { fingerprintBase, pathToUri, toSarif } from '../src/report/sarif.js';
import type { RuleMeta } from '../src/rules/types.js';
import { finding, herokuResult, result } from './report-factory.js';

const RULES: RuleMeta[] = [
  { id: 'DPL101', name: 'runserver-in-production', severity: 'error', summary: 'runserver serves a production target', messages: {} },
  { id: 'DPL105', name: 'dev-option-in-production', severity: 'warning', summary: 'a development option in production', messages: {} },
  { id: 'DPL002', name: 'unresolved-process', severity: 'notice', summary: 'the chain could not be followed', messages: {} },
];

type Any = any;

describe('toSarif', () => {
  const sarif = toSarif(herokuResult(), RULES, { version: '1.2.3' }) as Any;
  const run = sarif.runs[0];

  test('SARIF 2.1.0 envelope and driver', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(run.tool.driver.name).toBe('django-deploy-lint');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
  });

  test('every rule, with helpUri and default level (notice → note)', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r: Any) => r.id)).toEqual(['DPL101', 'DPL105', 'DPL002']);
    expect(rules[0]).toMatchObject({
      id: 'DPL101',
      name: 'runserver-in-production',
      shortDescription: { text: 'runserver serves a production target' },
      helpUri: expect.stringMatching(/docs\/rules\/DPL101\.md$/),
      defaultConfiguration: { level: 'error' },
    });
    expect(rules[1].defaultConfiguration.level).toBe('warning');
    expect(rules[2].defaultConfiguration.level).toBe('note');
  });

  test('a result per finding with ruleId/index, level, message, exact region', () => {
    expect(run.results).toHaveLength(1);
    const r = run.results[0];
    expect(r.ruleId).toBe('DPL101');
    expect(r.ruleIndex).toBe(0);
    expect(r.level).toBe('error');
    expect(r.message.text).toContain('`python manage.py runserver`');
    expect(r.message.text).toContain('Fix: run gunicorn');
    expect(r.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'Procfile', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 46 },
        },
      },
    ]);
    expect(r.properties).toEqual({ target: 'procfile:Procfile' });
  });

  test('relatedLocations from via, prefixed and URI-encoded', () => {
    const f = finding({ file: 'my app/Procfile', via: [{ file: 'bin/web (1)', line: 4, column: 2, text: 'exec python manage.py runserver' }, { file: 'Procfile', line: 1 }] });
    const r = (toSarif(result([f]), RULES, { version: '1', prefix: 'svc' }) as Any).runs[0].results[0];
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('svc/my%20app/Procfile');
    expect(r.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'svc/bin/web%20%281%29', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 2 } }, message: { text: 'exec python manage.py runserver' } },
      { id: 2, physicalLocation: { artifactLocation: { uri: 'svc/Procfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } }, message: { text: 'step 2 of the chain' } },
    ]);
  });

  test('a rule missing from the list is added so ruleIndex stays valid', () => {
    const s = toSarif(result([finding({ ruleId: 'DPL999', rule: 'future-rule', severity: 'warning' })]), RULES, { version: '1' }) as Any;
    const rules = s.runs[0].tool.driver.rules;
    expect(rules[s.runs[0].results[0].ruleIndex].id).toBe('DPL999');
  });

  test('multi-line regions carry both lines; columns only when consistent', () => {
    const r = (toSarif(result([finding({ line: 2, endLine: 4, column: 3, endColumn: 1 })]), RULES, { version: '1' }) as Any).runs[0].results[0];
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 3, endLine: 4 });
  });
});

describe('partialFingerprints', () => {
  const fp = (f: ReturnType<typeof finding>) => (toSarif(result([f]), RULES, { version: '1' }) as Any).runs[0].results[0].partialFingerprints;

  test('stable when the finding moves to another line', () => {
    expect(fp(finding({ line: 1, endLine: 1 }))).toEqual(fp(finding({ line: 40, endLine: 40 })));
  });

  test('line numbers quoted in the message do not count', () => {
    expect(fingerprintBase(finding({ message: 'reached from bin/web:4' }))).toBe(fingerprintBase(finding({ message: 'reached from bin/web:9' })));
  });

  test('differs by rule, file and text', () => {
    const base = fingerprintBase(finding());
    expect(fingerprintBase(finding({ ruleId: 'DPL102' }))).not.toBe(base);
    expect(fingerprintBase(finding({ file: 'Procfile.prod' }))).not.toBe(base);
    expect(fingerprintBase(finding({ message: 'something else' }))).not.toBe(base);
  });

  test('identical findings get distinct occurrence numbers', () => {
    const s = toSarif(result([finding({ line: 1 }), finding({ line: 2 })]), RULES, { version: '1' }) as Any;
    const [a, b] = s.runs[0].results.map((r: Any) => Object.values(r.partialFingerprints)[0] as string);
    expect(a).not.toBe(b);
    expect(a.replace(/:\d+$/, '')).toBe(b.replace(/:\d+$/, ''));
  });
});

test('pathToUri encodes each segment, keeps /', () => {
  expect(pathToUri("a b/c#d/e'(f)")).toBe('a%20b/c%23d/e%27%28f%29');
});
