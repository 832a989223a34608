/**
 * dist/ is committed (the action runs it as is): it must be exactly what `npm run build` makes
 * from the current sources. Rebuilds into a temporary directory and compares byte for byte.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DIST, ROOT } from './e2e-helpers.js';

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

test('dist/ is fresh: a rebuild is byte-for-byte identical', () => {
  expect(fs.existsSync(DIST)).toBe(true);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-dist-check-'));
  try {
    const fresh = path.join(tmp, 'dist');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out', fresh], { cwd: ROOT, stdio: 'pipe' });
    const committed = listFiles(DIST);
    expect(committed).toEqual(listFiles(fresh));
    const stale = committed.filter((f) => !fs.readFileSync(path.join(DIST, f)).equals(fs.readFileSync(path.join(fresh, f))));
    if (stale.length > 0) throw new Error(`dist/ is stale (${stale.join(', ')}): run \`npm run build\` and commit dist/`);
    expect(fs.statSync(path.join(DIST, 'cli.js')).mode & 0o777).toBe(0o755);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 300_000);
