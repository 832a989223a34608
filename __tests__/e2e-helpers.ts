/**
 * Runs the committed bundles as the GitHub runner and a shell would: `node dist/index.js` with
 * the runner's environment (INPUT_*, GITHUB_*, RUNNER_TEMP) and `node dist/cli.js ARGS`.
 * The bundles are the committed dist/; scripts/check-dist.mjs (a step of .ci/run) proves them fresh.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputEnvName } from '../src/action/inputs.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');

export function requireDist(): void {
  for (const f of ['index.js', 'cli.js']) {
    if (!fs.existsSync(path.join(DIST, f))) throw new Error(`dist/${f} is missing: run \`npm run build\``);
  }
}

/** A clean environment: nothing from the developer's shell or a surrounding workflow leaks in. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C.UTF-8' };
  return env;
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  tmp: string;
}

/** Parse $GITHUB_OUTPUT as the runner does: `name<<DELIM\nvalue\nDELIM` or `name=value`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      if (i >= lines.length) throw new Error(`unterminated output ${name}`);
      out[name] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`bad output line: ${line}`);
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/**
 * Run dist/index.js exactly as the runner runs a node action: every input declared in
 * action.yml is set (default unless given), names upper-cased with hyphens kept.
 */
const created: string[] = [];

/** Remove the temporary directories of every runAction so far (call in afterAll). */
export function cleanupRuns(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function runAction(workspace: string, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): ActionRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-e2e-action-'));
  created.push(tmp);
  const summaryFile = path.join(tmp, 'step_summary');
  const outputFile = path.join(tmp, 'output');
  const eventFile = path.join(tmp, 'event.json');
  const runnerTemp = path.join(tmp, 'runner_temp');
  fs.mkdirSync(runnerTemp);
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } }));

  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SHA: 'a'.repeat(40),
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
  };
  for (const [name, spec] of Object.entries(action.inputs)) {
    const def = String(spec.default ?? '');
    env[inputEnvName(name)] = name in inputs ? inputs[name] : def === '${{ github.token }}' ? 'ghs_fake_token_for_tests' : def;
  }
  // No check run against api.github.com with the fake token (see github-action.test.ts for that).
  if (!('check-run' in inputs)) env[inputEnvName('check-run')] = 'false';
  Object.assign(env, extraEnv);

  // DDL_E2E_NODE: another node for the bundles (e.g. Node 24, as action.yml's `runs.using`).
  const r = spawnSync(process.env.DDL_E2E_NODE || process.execPath, [path.join(DIST, 'index.js')], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    tmp,
  };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; direct?: boolean } = {}): CliRun {
  const cli = path.join(DIST, 'cli.js');
  const [cmd, argv] = options.direct ? [cli, args] : [process.execPath, [cli, ...args]];
  const r = spawnSync(cmd, argv, { cwd: options.cwd ?? ROOT, env: { ...baseEnv(), ...options.env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
