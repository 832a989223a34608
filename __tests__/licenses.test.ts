/**
 * dist/licenses.txt (scripts/licenses.mjs): every bundled package's licence file is found
 * whatever its case, and its third-party notices follow it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { licenseFile, licenses, noticeFiles } from '../scripts/licenses.mjs';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');

test('licence files are found whatever their case; third-party notices are included', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-licenses-'));
  try {
    const pkg = path.join(dir, 'node_modules', 'p');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"version": "1.0.0", "license": "MIT"}');
    fs.writeFileSync(path.join(pkg, 'License.txt'), 'MIT text');
    fs.writeFileSync(path.join(pkg, 'ThirdPartyNotices.txt'), 'notices text');
    expect(licenseFile(pkg)).toBe(path.join(pkg, 'License.txt'));
    expect(noticeFiles(pkg)).toEqual([path.join(pkg, 'ThirdPartyNotices.txt')]);
    expect(licenses(['p'], dir)).toBe('p 1.0.0\nMIT\nMIT text\n\nThirdPartyNotices.txt:\nnotices text\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled packages whose licence is License.txt have it, with their notices', () => {
  const text: string = licenses(['dockerfile-ast', 'vscode-languageserver-textdocument', 'vscode-languageserver-types'], ROOT);
  expect(text).not.toContain('(no licence file in the package)');
  expect(text).toMatch(/Copyright/);
  expect(text).toContain('thirdpartynotices.txt:');
});
