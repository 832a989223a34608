#!/usr/bin/env node
/**
 * dist/ is committed (the action runs it as is): it must be exactly what `npm run build` makes from
 * the current sources. Rebuilds into a temporary folder and compares byte for byte, as
 * actions/typescript-action's check-dist does. `npm run check-dist`; a step of .ci/run.
 * Exit 0 when fresh, 1 when stale (naming the files), 2 when the build itself fails.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');

function listFiles(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

if (!fs.existsSync(DIST)) {
  console.error('check-dist: dist/ is missing: run `npm run build` and commit dist/');
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-check-dist-'));
let code = 0;
try {
  const fresh = path.join(tmp, 'dist');
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out', fresh], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    console.error(`check-dist: the build failed: ${e.message}`);
    process.exit(2);
  }
  const committed = listFiles(DIST);
  const built = listFiles(fresh);
  const missing = built.filter((f) => !committed.includes(f));
  const extra = committed.filter((f) => !built.includes(f));
  const stale = committed.filter((f) => built.includes(f) && !fs.readFileSync(path.join(DIST, f)).equals(fs.readFileSync(path.join(fresh, f))));
  const problems = [
    ...missing.map((f) => `missing from dist/: ${f}`),
    ...extra.map((f) => `in dist/ but not built: ${f}`),
    ...stale.map((f) => `differs from a fresh build: dist/${f}`),
  ];
  if ((fs.statSync(path.join(DIST, 'cli.js')).mode & 0o777) !== 0o755) problems.push('dist/cli.js is not mode 755');
  if (problems.length > 0) {
    console.error(`check-dist: dist/ is stale; run \`npm run build\` and commit dist/:\n  ${problems.join('\n  ')}`);
    code = 1;
  } else {
    console.log(`check-dist: dist/ is fresh (${committed.length} files identical to a rebuild)`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
