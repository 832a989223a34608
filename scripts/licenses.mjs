/**
 * dist/licenses.txt: the licence notices of the bundled packages (scripts/build.mjs). Each entry
 * is the package's name, version, SPDX id, its licence file and its third-party notices, found
 * whatever their case (`LICENSE`, `License.txt`, `licence.md`, `COPYING`; `ThirdPartyNotices.txt`,
 * `NOTICE`), since packages spell them every way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const LICENSE = /^(?:licen[cs]e|copying)(?:[.-](?:md|txt|markdown|mit|apache|bsd))?$/i;
const NOTICES = /^(?:third[-_ ]?party[-_ ]?notices?|notice)(?:\.(?:md|txt|markdown))?$/i;

/** Files of `dir` whose names match `re`, in a stable order (the shortest name first). */
function matching(dir, re) {
  let names;
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return names
    .filter((e) => e.isFile() && re.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => path.join(dir, n));
}

/** The package's licence file (case-insensitive), or null. */
export function licenseFile(dir) {
  return matching(dir, LICENSE)[0] ?? null;
}

/** The package's third-party notices files (case-insensitive). */
export function noticeFiles(dir) {
  return matching(dir, NOTICES);
}

const read = (f) => fs.readFileSync(f, 'utf8').replace(/\r\n/g, '\n').trim();

/** The licence notices of the packages `names` installed under `root`/node_modules. */
export function licenses(names, root) {
  const parts = [];
  for (const name of names) {
    const dir = path.join(root, 'node_modules', name);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const file = licenseFile(dir);
    let text = file ? read(file) : '(no licence file in the package)';
    for (const n of noticeFiles(dir)) text += `\n\n${path.basename(n)}:\n${read(n)}`;
    parts.push(`${name} ${pkg.version}\n${typeof pkg.license === 'string' ? pkg.license : 'UNKNOWN'}\n${text}\n`);
  }
  return parts.join('\n-----\n\n');
}
