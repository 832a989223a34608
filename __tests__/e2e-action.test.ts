/**
 * The bundled action (dist/index.js) run as the runner runs it; assertions on what the runner
 * would read: workflow commands on stdout, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, exit status.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupRuns, requireDist, ROOT, runAction } from './e2e-helpers.js';
import { runnerCommands } from './report-factory.js';

beforeAll(requireDist);
afterAll(cleanupRuns);

const annotationsOf = (stdout: string) => runnerCommands(stdout).filter((c) => ['error', 'warning', 'notice'].includes(c.command) && c.properties.title);

describe('action on examples/heroku-runserver (Procfile runs runserver)', () => {
  let run: ReturnType<typeof runAction>;
  beforeAll(() => {
    run = runAction(ROOT, { path: 'examples/heroku-runserver' });
  });

  test('annotates the exact Procfile line with DPL101', () => {
    const dpl101 = annotationsOf(run.stdout).filter((c) => c.properties.title === 'DPL101 runserver-in-production');
    expect(dpl101).toHaveLength(1);
    expect(dpl101[0].command).toBe('error');
    expect(dpl101[0].properties.file).toBe('examples/heroku-runserver/Procfile');
    expect(dpl101[0].properties.line).toBe('1');
    expect(dpl101[0].properties.endLine).toBe('1');
    // `web: ` is 5 characters: the command starts in column 6.
    expect(dpl101[0].properties.col).toBe('6');
    expect(dpl101[0].data).toMatch(/runserver/);
  });

  test('fails the step: exit status 1, setFailed message, result=fail', () => {
    expect(run.status).toBe(1);
    const failed = runnerCommands(run.stdout).filter((c) => c.command === 'error' && !c.properties.title);
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatch(/^django-deploy-lint: \d+ errors?, \d+ warnings?, \d+ notices? \(fail-on: error\)\.$/);
    expect(run.outputs.result).toBe('fail');
    expect(Number(run.outputs.errors)).toBeGreaterThanOrEqual(1);
    expect(run.outputs.targets).toBe('1');
  });

  test('writes a summary that explains the fix', () => {
    expect(run.summary.split('\n')[0]).toMatch(/^## ❌ django-deploy-lint: \d+ errors?/);
    expect(run.summary).toContain('| Target | Production? | Process → server | Static files | Verdict |');
    expect(run.summary).toContain('#### ❌ DPL101 runserver&#45;in&#45;production');
    expect(run.summary).toMatch(/\*\*Fix:\*\* .*gunicorn/);
    expect(run.summary).toContain('docs/rules/DPL101.md');
    // Links point at the pull request's head commit, at the exact line.
    expect(run.summary).toContain(`(https://github.com/octo/app/blob/${'b'.repeat(40)}/examples/heroku-runserver/Procfile#L1)`);
  });

  test('outputs: counts and the JSON report (docs/architecture.md, "Reporting") under RUNNER_TEMP', () => {
    expect(Object.keys(run.outputs).sort()).toEqual(['errors', 'json', 'notices', 'result', 'sarif', 'targets', 'warnings']);
    expect(run.outputs.sarif).toBe('');
    expect(run.outputs.json.startsWith(path.join(run.tmp, 'runner_temp'))).toBe(true);
    const report = JSON.parse(fs.readFileSync(run.outputs.json, 'utf8'));
    expect(report.version).toBe(1);
    expect(report.root).toBe('examples/heroku-runserver');
    expect(report.findings.find((f: { ruleId: string }) => f.ruleId === 'DPL101')).toMatchObject({ file: 'Procfile', line: 1, severity: 'error', target: 'procfile:Procfile' });
    expect(report.summary.errors).toBe(Number(run.outputs.errors));
  });

  test('the readable report sits in a group with commands stopped', () => {
    const lines = run.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    expect(stop).toBeGreaterThan(0);
    const token = lines[stop].slice('::stop-commands::'.length);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const resume = lines.indexOf(`::${token}::`);
    expect(resume).toBeGreaterThan(stop);
    expect(lines.slice(stop, resume).join('\n')).toContain('examples/heroku-runserver/Procfile:1:6: error DPL101');
  });

  test('nothing is printed on stderr', () => {
    expect(run.stderr).toBe('');
  });
});

describe('action on examples/docker-gunicorn (collectstatic, then gunicorn)', () => {
  let run: ReturnType<typeof runAction>;
  beforeAll(() => {
    run = runAction(ROOT, { path: 'examples/docker-gunicorn' });
  });

  test('passes silently: exit 0, no annotation, result=pass', () => {
    expect(run.status).toBe(0);
    expect(runnerCommands(run.stdout).filter((c) => ['error', 'warning', 'notice'].includes(c.command))).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'pass', errors: '0', warnings: '0', notices: '0', targets: '1' });
    expect(run.summary.split('\n')[0]).toBe('## ✅ django-deploy-lint: no problems');
    expect(run.stderr).toBe('');
  });
});

describe('action inputs', () => {
  test('fail-on: never keeps the annotations but passes', () => {
    const run = runAction(ROOT, { path: 'examples/heroku-runserver', 'fail-on': 'never' });
    expect(run.status).toBe(0);
    expect(run.outputs.result).toBe('pass');
    expect(annotationsOf(run.stdout).some((c) => c.properties.title === 'DPL101 runserver-in-production')).toBe(true);
    expect(run.summary).toContain('The step passes: `fail-on` is `never`.');
  });

  test('sarif-file writes SARIF with paths from the workspace', () => {
    // Inside the workspace (a folder that does not exist yet is created; scratch/ is git-ignored):
    // a path outside it is refused (hostile.test.ts).
    const rel = path.join('scratch', `ddl-sarif-${process.pid}`, 'out.sarif');
    const run = runAction(ROOT, { path: 'examples/heroku-runserver', 'sarif-file': rel });
    expect(run.outputs.sarif).toBe(path.join(fs.realpathSync(ROOT), rel));
    const sarif = JSON.parse(fs.readFileSync(run.outputs.sarif, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'DPL101');
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'examples/heroku-runserver/Procfile', uriBaseId: '%SRCROOT%' });
    expect(result.locations[0].physicalLocation.region.startLine).toBe(1);
    fs.rmSync(path.dirname(run.outputs.sarif), { recursive: true, force: true });
    try {
      fs.rmdirSync(path.join(ROOT, 'scratch')); // only when this test made it (it is empty then)
    } catch {
      // not empty: someone's scratch files
    }
  });

  test('an invalid input fails the step with one clear message; the summary and outputs say so', () => {
    const run = runAction(ROOT, { path: 'examples/docker-gunicorn', 'fail-on': 'sometimes' });
    expect(run.status).toBe(1);
    const errors = runnerCommands(run.stdout).filter((c) => c.command === 'error');
    expect(errors.map((e) => e.data)).toEqual(["Input 'fail-on' must be one of error, warning, notice, never; got 'sometimes'."]);
    expect(run.outputs).toMatchObject({ result: 'fail', errors: '0', warnings: '0', notices: '0', targets: '0', sarif: '' });
    expect(run.summary).toContain("## ❌ django-deploy-lint could not run\n\nInput &#39;fail&#45;on&#39; must be one of");
  });

  test('check-run and comment inputs: valid values accepted, an invalid one fails the step with its name', () => {
    expect(runAction(ROOT, { path: 'examples/docker-gunicorn', 'check-run': 'false', comment: 'always' }).status).toBe(0);
    const bad = runAction(ROOT, { path: 'examples/docker-gunicorn', comment: 'sometimes' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("::error::Input 'comment' must be one of off, on-failure, always; got 'sometimes'.");
  });

  test('an invalid configuration: one annotation per problem on the config file, the step fails', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-e2e-cfg-'));
    fs.mkdirSync(path.join(ws, 'app'));
    fs.writeFileSync(path.join(ws, 'app', 'manage.py'), '');
    fs.writeFileSync(path.join(ws, 'app', '.django-deploy-lint.yml'), 'rules:\n  DPL999: off\n');
    const run = runAction(ws, { path: 'app' });
    expect(run.status).toBe(1);
    const errors = runnerCommands(run.stdout).filter((c) => c.command === 'error');
    expect(errors.map((e) => [e.properties.file, e.properties.line, e.properties.col, e.data])).toEqual([
      ['app/.django-deploy-lint.yml', '2', '3', 'unknown rule `DPL999` (rules are DPL001, DPL101, …; see docs/rules/README.md)'],
      [undefined, undefined, undefined, 'django-deploy-lint: the configuration is invalid (1 problem); nothing was checked.'],
    ]);
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('a path that is not a directory fails cleanly, without a stack trace', () => {
    const run = runAction(ROOT, { path: 'no/such/dir' });
    expect(run.status).toBe(1);
    expect(runnerCommands(run.stdout).map((c) => [c.command, c.data])).toEqual([['error', "Input 'path' is not a directory: no/such/dir"]]);
    expect(run.outputs.result).toBe('fail');
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});

describe('a hostile repository cannot issue workflow commands', () => {
  let ws: string;
  let run: ReturnType<typeof runAction>;
  beforeAll(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-e2e-hostile-'));
    const evil = '::error file=x::pwned ##[add-mask]secret ::set-output name=result::pass %0A::warning::x';
    fs.writeFileSync(path.join(ws, 'manage.py'), 'import django\n');
    fs.writeFileSync(path.join(ws, 'requirements.txt'), 'Django\n');
    fs.writeFileSync(path.join(ws, 'Procfile'), `web: python manage.py runserver 0.0.0.0:$PORT ${evil}\nworker: ./bin/${evil.replace(/ /g, '_')}\n`);
    fs.mkdirSync(path.join(ws, 'bin'));
    fs.writeFileSync(path.join(ws, 'bin', 'a\n::error::newline-in-name'), 'exec python manage.py runserver\n');
    fs.writeFileSync(path.join(ws, 'Dockerfile'), `FROM python:3.12\nCOPY ["bin/a\\n::error::newline-in-name", "/start"]\nCMD ["/start", "<script>alert(1)</script>|x|"]\n`);
    run = runAction(ws, { path: '.' });
  });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

  test('the only commands are our annotations, the group and the final status', () => {
    const cmds = runnerCommands(run.stdout);
    expect(cmds.length).toBeGreaterThan(0);
    for (const c of cmds) {
      expect(['error', 'warning', 'notice', 'group', 'endgroup', 'debug']).toContain(c.command);
      if (c.properties.title) expect(c.properties.title).toMatch(/^DPL\d{3} [a-z-]+$/);
      // Every property we set is one of ours: nothing injected.
      for (const k of Object.keys(c.properties)) expect(['file', 'line', 'endLine', 'col', 'endColumn', 'title']).toContain(k);
    }
    // Exactly one status line (setFailed) besides the annotations.
    expect(cmds.filter((c) => c.command === 'error' && !c.properties.title)).toHaveLength(1);
    expect(run.outputs.result).toBe('fail');
  });

  test('the summary escapes HTML and table syntax from the repo', () => {
    expect(run.summary).not.toMatch(/<script/i);
    for (const line of run.summary.split('\n').filter((l) => l.startsWith('| '))) {
      expect(line.slice(1, -1).split('|')).toHaveLength(5);
    }
  });
});
