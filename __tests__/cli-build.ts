/**
 * Helpers to run the bundled CLI and action (the committed dist/, proved fresh by
 * scripts/check-dist.mjs in .ci/run) on copies of fixture repos, as a user or a pre-commit hook would.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyToTemp, removeTemps } from './temp-repo.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Path of the bundled cli.js: the committed dist/ (scripts/check-dist.mjs proves it fresh). */
export function buildCli(): string {
  return path.join(ROOT, 'dist', 'cli.js');
}

/** Path of the bundled action, likewise. */
export function buildAction(): string {
  return path.join(ROOT, 'dist', 'index.js');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the bundled CLI with a clean environment (nothing from the developer's shell leaks in). */
export function run(cli: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C.UTF-8', ...options.env };
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch copy of a folder of this repository (tests that write files never touch the tree), removed after the suite. */
export function copyTree(rel: string): string {
  return copyToTemp(path.join(ROOT, rel), `ddl-cli-${path.basename(rel)}-`);
}

/** Remove the copies made so far (afterAll; temp-repo.ts also does it on its own). */
export function removeCopies(): void {
  removeTemps();
}
