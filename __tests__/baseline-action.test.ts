/**
 * The action's `baseline` input, through the bundled action (src/index.ts built as
 * scripts/build.mjs builds it, into a temporary directory: see cli-build.ts) run as the runner
 * runs a node action.
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { inputEnvName } from '../src/action/inputs.js';
import { buildAction, buildCli, copyTree, removeCopies, ROOT, run } from './cli-build.js';
import { parseOutputs } from './e2e-helpers.js';

// Each case runs the bundle several times; under a full parallel `npm test` that can take a while.
jest.setTimeout(120_000);

let action = '';
let cli = '';
beforeAll(() => {
  action = buildAction();
  cli = buildCli();
}, 300_000);
afterAll(removeCopies);

function runAction(workspace: string, inputs: Record<string, string>) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-baseline-action-'));
  try {
    const files = { summary: path.join(tmp, 'summary'), output: path.join(tmp, 'output') };
    fs.writeFileSync(files.summary, '');
    fs.writeFileSync(files.output, '');
    fs.mkdirSync(path.join(tmp, 'runner'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: tmp,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      RUNNER_TEMP: path.join(tmp, 'runner'),
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_SHA: 'a'.repeat(40),
    };
    const spec = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    // No GitHub API: no check run, no comment, no token.
    const given: Record<string, string> = { 'check-run': 'false', comment: 'off', token: '', ...inputs };
    for (const [name, s] of Object.entries(spec.inputs)) env[inputEnvName(name)] = name in given ? given[name] : String(s.default ?? '');
    const r = spawnSync(process.execPath, [action], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, outputs: parseOutputs(fs.readFileSync(files.output, 'utf8')), summary: fs.readFileSync(files.summary, 'utf8') };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test('action.yml declares the baseline input, empty by default', () => {
  const spec = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string; required?: boolean }> };
  expect(spec.inputs.baseline).toMatchObject({ required: false, default: '' });
});

test('baseline input: recorded findings pass the step, are listed apart in the summary, not annotated', () => {
  const ws = copyTree('examples/heroku-runserver');
  const without = runAction(ws, {});
  expect(without.status).toBe(1);
  expect(without.outputs).toMatchObject({ result: 'fail', errors: '1' });

  // The folder is created inside the workspace (src/core/safe-write.ts), through no symbolic link.
  expect(fs.existsSync(path.join(ws, 'ci'))).toBe(false);
  expect(run(cli, ['--write-baseline', 'ci/baseline.json'], { cwd: ws }).status).toBe(0);
  expect(fs.statSync(path.join(ws, 'ci/baseline.json')).isFile()).toBe(true);

  const withBaseline = runAction(ws, { baseline: 'ci/baseline.json' });
  expect(withBaseline.status).toBe(0);
  expect(withBaseline.outputs).toMatchObject({ result: 'pass', errors: '0', warnings: '0', notices: '0' });
  expect(withBaseline.stdout).not.toMatch(/^::error /m);
  expect(withBaseline.summary).toContain('<details><summary>1 finding recorded in the baseline (not counted)</summary>');
  expect(withBaseline.summary).toContain('- **DPL101** ');

  const missing = runAction(ws, { baseline: 'ci/nope.json' });
  expect(missing.status).toBe(1);
  expect(missing.stdout).toMatch(/^::error::.*cannot read the baseline/m);
});
