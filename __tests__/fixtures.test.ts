/**
 * Fixture repos: `__tests__/fixtures/<case>/` is a miniature repository and `<case>.expected`
 * lists the findings as `file:line:col: DPLnnn message`, each followed by its chain as
 * `    via: file:line → file:line` when it has one, and its fix as `    fix: …`. `UPDATE_FIXTURES=1 npm test` rewrites the
 * expected files (review the diff before committing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine.js';
import type { Result } from '../src/suppress/result.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'fixtures');
const cases = fs
  .readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  // deps-* and settings-* folders are the unit fixtures of the dependency and settings readers.
  .filter((n) => !/^(deps|settings)-/.test(n))
  .sort();

export function formatFindings(r: Result): string {
  const lines: string[] = [];
  for (const f of r.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.ruleId} ${f.message}`);
    if (f.via.length > 0) lines.push(`    via: ${f.via.map((v) => `${v.file}:${v.line}`).join(' → ')}`);
    if (f.fix) lines.push(`    fix: ${f.fix}`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

test('every fixture folder has its .expected file, and every .expected file its folder', () => {
  const expected = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.expected'))
    .map((f) => f.slice(0, -'.expected'.length))
    .sort();
  expect(cases.length).toBeGreaterThan(0);
  expect(expected).toEqual(cases);
});

describe.each(cases)('fixture %s', (name) => {
  test('findings match the .expected file', async () => {
    const expectedFile = path.join(dir, `${name}.expected`);
    const result = await lint(path.join(dir, name));
    const actual = formatFindings(result);
    if (process.env.UPDATE_FIXTURES === '1') fs.writeFileSync(expectedFile, actual);
    expect(fs.existsSync(expectedFile)).toBe(true);
    expect(actual).toBe(fs.readFileSync(expectedFile, 'utf8'));
  });
});
