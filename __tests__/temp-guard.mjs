/**
 * Jest globalSetup and globalTeardown: each test run gets its own TMPDIR, and a run that leaves
 * anything in it fails, naming what it left. Workers are started after globalSetup, so they and
 * every os.tmpdir() in the tests see the per-run folder. Set DDL_KEEP_TMP=1 to keep it for a look.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const KEY = 'DDL_TEST_RUN_TMPDIR';

export async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-jest-run-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

export async function teardown() {
  const dir = process.env[KEY];
  if (!dir) return;
  const left = fs.readdirSync(dir).sort();
  if (process.env.DDL_KEEP_TMP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    const shown = left.slice(0, 20).join(', ') + (left.length > 20 ? `, … (${left.length} in all)` : '');
    throw new Error(`the test run left ${left.length} item(s) in its temp folder ${dir}: ${shown}. Make them with __tests__/temp-repo.ts, which removes them.`);
  }
}
