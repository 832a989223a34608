/**
 * Temporary folders and miniature repositories for tests, removed after the suite.
 *
 *   const dir = tempRepo({ 'manage.py': '', 'Procfile': 'web: gunicorn proj.wsgi\n' });
 *   const scratch = tempDir('ddl-x-');
 *
 * Every folder made here is removed by an afterAll hook that importing this module registers in
 * the importing suite, and (should a suite be killed) at process exit. The jest globalSetup
 * (__tests__/temp-guard.mjs) runs each test run in its own TMPDIR and fails the run if anything is
 * left in it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made = new Set<string>();

/** Remove every folder made so far (the afterAll hook does this; call it earlier if you like). */
export function removeTemps(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
}

if (typeof afterAll === 'function') afterAll(removeTemps);
process.once('exit', removeTemps);

/** A new empty folder in the temp directory, removed after the suite. */
export function tempDir(prefix = 'ddl-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Write `files` (relative path → text or bytes) under `dir`, making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [f, text] of Object.entries(files)) {
    const abs = path.join(dir, f);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

/** A miniature repository holding `files` (later maps override earlier ones), removed after the suite. */
export function tempRepo(...files: Record<string, string | Uint8Array>[]): string {
  return writeFiles(tempDir('ddl-repo-'), Object.assign({}, ...files));
}

/** A scratch copy of a folder (a fixture or an example), removed after the suite. */
export function copyToTemp(from: string, prefix = `ddl-copy-${path.basename(from)}-`): string {
  const dir = tempDir(prefix);
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** Remove one folder made here now (a suite that makes many large ones). */
export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

