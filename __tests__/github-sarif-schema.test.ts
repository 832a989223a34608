/**
 * The SARIF report validated against the official SARIF 2.1.0 JSON schema (OASIS, errata 01,
 * shipped in fixtures-github/sarif-schema-2.1.0.json, copied from oasis-tcs/sarif-spec
 * sarif-2.1/schema/sarif-schema-2.1.0.json). The schema is draft-04: validated with
 * ajv-draft-04, with formats (uri, date-time) checked by ajv-formats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { lint } from '../src/suppress/engine.js';
import { toSarif } from '../src/report/sarif.js';
import { RULES } from '../src/rules/index.js';
import { finding, herokuResult, result } from './report-factory.js';
import { ROOT } from './fixtures-github/harness.js';

type Any = any;
const Ajv: Any = (AjvDraft04Module as Any).default ?? AjvDraft04Module;
const addFormats: Any = (addFormatsModule as Any).default ?? addFormatsModule;

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, '__tests__', 'fixtures-github', 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e: Any) => `${e.instancePath} ${e.message}`));

describe('SARIF 2.1.0 schema', () => {
  test('the shipped schema is the official one', () => {
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
    expect(schema.id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(Object.keys(schema.definitions).length).toBeGreaterThan(50);
  });

  test('the validator rejects what the schema forbids (so a pass means something)', () => {
    const good = toSarif(herokuResult(), RULES, { version: '1.0.0' }) as Any;
    expect(errorsOf(good)).toEqual([]);
    expect(errorsOf({ ...good, version: '2.0.0' })).not.toEqual([]);
    const badLevel = JSON.parse(JSON.stringify(good));
    badLevel.runs[0].results[0].level = 'fatal';
    expect(errorsOf(badLevel)).not.toEqual([]);
    const badRegion = JSON.parse(JSON.stringify(good));
    badRegion.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(errorsOf(badRegion)).not.toEqual([]);
    const extra = JSON.parse(JSON.stringify(good));
    extra.runs[0].tool.driver.colour = 'green';
    expect(errorsOf(extra)).not.toEqual([]);
  });

  test('edge cases: no findings, a finding without a file, a prefix with spaces and non-ASCII', () => {
    expect(errorsOf(toSarif(result([]), RULES, { version: '1.0.0' }))).toEqual([]);
    const r = result([finding({ file: '', line: 0, column: 0, endLine: 0, endColumn: 0, fix: undefined }), finding({ file: 'déploiement/Procfile web', via: [{ file: 'bin/x y', line: 3 }] })]);
    expect(errorsOf(toSarif(r, RULES, { version: '1.0.0', prefix: 'my app' }))).toEqual([]);
  });

  test('the report of every fixture repository is valid', async () => {
    const dir = path.join(ROOT, '__tests__', 'fixtures');
    const cases = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(cases.length).toBeGreaterThan(10);
    let results = 0;
    for (const c of cases) {
      const res = await lint(path.join(dir, c), {}).catch(() => null);
      if (!res) continue; // an invalid configuration (its own fixture): no report to validate
      const sarif = toSarif(res, RULES, { version: '0.1.0', prefix: `fixtures/${c}` }) as Any;
      expect({ case: c, errors: errorsOf(sarif) }).toEqual({ case: c, errors: [] });
      results += sarif.runs[0].results.length;
    }
    expect(results).toBeGreaterThan(20);
  }, 120_000);
});
