/**
 * The entries of the committed bundles (scripts/build.mjs): dist/cli.js and dist/index.js are
 * stubs that turn on Node's compile cache (Node >= 22.1, feature-detected) and import the
 * bundle (dist/cli-main.js, dist/action-main.js), whose chunks are <id>.cli.js and <id>.action.js;
 * the CLI's bundle imports the engine's, dist/entry-cli-run.js, for a run.
 * Run under the Node that runs Jest: on Node 20 no cache is ever written, on Node >= 22.1 it is.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import module from 'node:module';
import * as path from 'node:path';
import { tempDir as makeTempDir } from './temp-repo.js';
import { cleanupRuns, DIST, requireDist, ROOT, runAction, runCli } from './e2e-helpers.js';

beforeAll(requireDist);
afterAll(cleanupRuns);

const HAS_CACHE = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
/** The same for the node that runs the action's bundle (DDL_E2E_NODE, e.g. Node 24, or this one). */
const ACTION_HAS_CACHE = process.env.DDL_E2E_NODE
  ? spawnSync(process.env.DDL_E2E_NODE, ['-e', 'process.stdout.write(typeof require("node:module").enableCompileCache)'], { encoding: 'utf8' }).stdout === 'function'
  : HAS_CACHE;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const read = (f: string) => fs.readFileSync(path.join(DIST, f), 'utf8');
const tempDir = () => makeTempDir('ddl-entry-');
/** The compile cache Node keeps under a temp directory, if any. */
const cacheIn = (tmp: string) => path.join(tmp, 'node-compile-cache');

describe('layout', () => {
  test('the entries are stubs importing their bundle; every chunk is named after its bundle', () => {
    const cli = read('cli.js');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(path.join(DIST, 'cli.js')).mode & 0o111).toBe(0o111);
    expect(cli).toContain("module.enableCompileCache?.();");
    expect(cli).toContain("process.env.RUNNER_ENVIRONMENT !== 'github-hosted'");
    expect(cli.trimEnd().endsWith("await import('./cli-main.js');")).toBe(true);
    const action = read('index.js');
    expect(action).toContain("module.enableCompileCache?.();");
    expect(action).toContain("process.env.RUNNER_ENVIRONMENT !== 'github-hosted'");
    expect(action.trimEnd().endsWith("await import('./action-main.js');")).toBe(true);
    for (const stub of [cli, action]) expect(stub.length).toBeLessThan(1000);

    const js = fs.readdirSync(DIST).filter((f) => f.endsWith('.js'));
    const chunks = js.filter((f) => !['cli.js', 'index.js', 'cli-main.js', 'action-main.js', 'entry-cli-run.js'].includes(f));
    for (const c of chunks) expect(c).toMatch(/^\d+\.(cli|cli-run|action)\.js$/);
    // Each bundle asks for its own chunks by that name.
    expect(read('cli-main.js')).toContain('return "" + chunkId + ".cli.js";');
    expect(read('action-main.js')).toContain('return "" + chunkId + ".action.js";');
    // …and the CLI's bundle for the engine's as it is, beside it.
    expect(read('cli-main.js')).toContain("import(/* webpackIgnore: true */ './entry-cli-run.js')");
  });

  test('the CLI (bundle and chunks) holds neither @actions/core nor Octokit; the action does', () => {
    const cliFiles = fs.readdirSync(DIST).filter((f) => ['cli-main.js', 'entry-cli-run.js'].includes(f) || /^\d+\.cli(-run)?\.js$/.test(f));
    expect(cliFiles.length).toBeGreaterThan(1);
    const cli = cliFiles.map(read).join('');
    expect(cli).toContain('runserver-in-production');
    expect(cli).not.toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(cli).not.toMatch(/getOctokit|@octokit|@actions\/github/);
    const action = fs.readdirSync(DIST).filter((f) => f === 'action-main.js' || /^\d+\.action\.js$/.test(f)).map(read).join('');
    expect(action).toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
  });

  test('--help and --version load no engine: the CLI bundle is small, the engine is in entry-cli-run.js', () => {
    expect(fs.statSync(path.join(DIST, 'cli-main.js')).size).toBeLessThan(100_000);
    expect(read('cli-main.js')).not.toContain('collectstatic');
    expect(read('entry-cli-run.js')).toContain('collectstatic');
  });
});

describe('the compile cache', () => {
  test(`CLI: written under the temp directory ${HAS_CACHE ? '(this Node has the cache)' : '(not on this Node)'}, read by the next run with the same output`, () => {
    const tmp = tempDir();
    const first = runCli(['examples/heroku-runserver', '--format', 'json'], { env: { TMPDIR: tmp } });
    expect(first.status).toBe(1);
    expect(first.stderr).toBe('');
    expect(fs.existsSync(cacheIn(tmp))).toBe(HAS_CACHE);
    const again = runCli(['examples/heroku-runserver', '--format', 'json'], { env: { TMPDIR: tmp } });
    expect(again).toEqual(first);
    const without = runCli(['examples/heroku-runserver', '--format', 'json'], { env: { NODE_DISABLE_COMPILE_CACHE: '1', TMPDIR: tempDir() } });
    expect(without).toEqual(first);
  });

  test('NODE_DISABLE_COMPILE_CACHE=1, or a GitHub-hosted runner: nothing written', () => {
    for (const env of [{ NODE_DISABLE_COMPILE_CACHE: '1' }, { RUNNER_ENVIRONMENT: 'github-hosted' }]) {
      const tmp = tempDir();
      expect(runCli(['--version'], { env: { TMPDIR: tmp, ...env } })).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
      expect(fs.existsSync(cacheIn(tmp))).toBe(false);
    }
    const tmp = tempDir();
    expect(runCli(['--version'], { env: { TMPDIR: tmp, RUNNER_ENVIRONMENT: 'self-hosted' } }).status).toBe(0);
    expect(fs.existsSync(cacheIn(tmp))).toBe(HAS_CACHE);
  });

  test('a cache that cannot be written changes nothing: temp directory under a file, or missing', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    for (const TMPDIR of [path.join(file, 'tmp'), file]) {
      expect(runCli(['--version'], { env: { TMPDIR } })).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
      const r = runCli(['examples/heroku-runserver', '--fail-on', 'never'], { env: { TMPDIR } });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('DPL101');
    }
  });

  test('action: likewise not on GitHub-hosted runners (the machine is new for every job), on self-hosted ones', () => {
    const workspace = tempDir();
    fs.cpSync(path.join(ROOT, 'examples/heroku-runserver'), workspace, { recursive: true });
    const hosted = tempDir();
    const a = runAction(workspace, { 'fail-on': 'never' }, { TMPDIR: hosted, RUNNER_ENVIRONMENT: 'github-hosted' });
    expect(a.status).toBe(0);
    expect(a.outputs.errors).toBe('1');
    expect(fs.existsSync(cacheIn(hosted))).toBe(false);
    const selfHosted = tempDir();
    const b = runAction(workspace, { 'fail-on': 'never' }, { TMPDIR: selfHosted, RUNNER_ENVIRONMENT: 'self-hosted' });
    expect(b.status).toBe(0);
    expect(b.outputs.errors).toBe('1');
    expect(fs.existsSync(cacheIn(selfHosted))).toBe(ACTION_HAS_CACHE);
  });
});
