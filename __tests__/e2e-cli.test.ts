/**
 * The bundled CLI (dist/cli.js, the package's `bin`) run as a user or a workflow step runs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, requireDist, ROOT, runCli } from './e2e-helpers.js';
import { runnerCommands } from './report-factory.js';
import { tempDir } from './temp-repo.js';

beforeAll(requireDist);

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('text (default)', () => {
  test('heroku-runserver: file:line:col of the Procfile, DPL101, exit 1', () => {
    const r = runCli(['examples/heroku-runserver']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^examples\/heroku-runserver\/Procfile:1:6: error DPL101 .*runserver.* \[runserver-in-production\]$/m);
    expect(r.stdout).toMatch(/^✖ \d+ errors?, .* — fails at fail-on: error$/m);
    expect(r.stderr).toBe('');
  });

  test('docker-gunicorn passes: exit 0', () => {
    const r = runCli(['examples/docker-gunicorn']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✔ No problems (1 target checked)');
  });

  test('paths are relative to the current directory', () => {
    const r = runCli([], { cwd: path.join(ROOT, 'examples/heroku-runserver') });
    expect(r.stdout).toMatch(/^Procfile:1:6: error DPL101/m);
  });

  test('--fail-on never: exit 0 with the findings still printed', () => {
    const r = runCli(['examples/heroku-runserver', '--fail-on', 'never']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DPL101');
  });

  test('colour: never when not a TTY; FORCE_COLOR turns it on; NO_COLOR wins', () => {
    expect(runCli(['examples/heroku-runserver']).stdout).not.toContain('\x1b[');
    expect(runCli(['examples/heroku-runserver'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\x1b[31merror\x1b[0m');
    expect(runCli(['examples/heroku-runserver'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\x1b[');
  });
});

describe('json', () => {
  test('exactly the JSON report version 1 (src/report/json.ts), root as given', () => {
    const r = runCli(['examples/heroku-runserver', '--format', 'json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['version', 'root', 'targets', 'findings', 'summary']);
    expect(report.version).toBe(1);
    expect(report.root).toBe('examples/heroku-runserver');
    const t = report.targets[0];
    expect(Object.keys(t)).toEqual(['id', 'kind', 'file', 'line', 'production', 'productionReason', 'processes', 'collectstatic']);
    expect(t).toMatchObject({ id: 'procfile:Procfile', kind: 'procfile', file: 'Procfile', line: 1, production: true });
    expect(t.processes[0]).toMatchObject({ role: 'web', server: 'runserver', serverAt: { file: 'Procfile', line: 1 } });
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'DPL101');
    expect(Object.keys(f)).toEqual(['ruleId', 'rule', 'severity', 'target', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'via', 'notes', 'fix', 'fixNeeds', 'messageId', 'autofix']);
    expect(f.message).toBe("the `web` process of Procfile runs Django's development server (`python manage.py runserver 0.0.0.0:$PORT`) in production");
    expect(f.notes).toEqual([
      'the development server is not built for production (no security audits, no performance tests); run a WSGI/ASGI server such as gunicorn instead',
      'Procfile counts as production: a Procfile is what Heroku, Dokku and Scalingo run',
    ]);
    // The example does not declare gunicorn: the fix says to add it, and its edits declare it.
    expect(f).toMatchObject({ fix: 'gunicorn mysite.wsgi --bind 0.0.0.0:$PORT', fixNeeds: { package: 'gunicorn', file: 'requirements.txt', words: 'add `gunicorn` to requirements.txt' } });
    expect(f).toMatchObject({ rule: 'runserver-in-production', severity: 'error', target: 'procfile:Procfile', file: 'Procfile', line: 1, column: 6, endLine: 1 });
    expect(f.messageId).toBe('runserver');
    expect(f.autofix.safety).toBe('unsafe');
    expect(f.autofix.edits.map((e: { file: string; text: string }) => [e.file, e.text])).toEqual([
      ['Procfile', 'gunicorn mysite.wsgi --bind 0.0.0.0:$PORT'],
      ['requirements.txt', '\ngunicorn'],
    ]);
    expect(report.summary.errors).toBe(report.findings.filter((x: { severity: string }) => x.severity === 'error').length);
  });
});

describe('sarif', () => {
  test('SARIF 2.1.0 with the rules, the version and the result', () => {
    const r = runCli(['examples/heroku-runserver', '--format', 'sarif']);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.version).toBe(pkg.version);
    expect(driver.rules.find((x: { id: string }) => x.id === 'DPL101').helpUri).toMatch(/docs\/rules\/DPL101\.md$/);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'DPL101');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('examples/heroku-runserver/Procfile');
    expect(driver.rules[res.ruleIndex].id).toBe('DPL101');
  });
});

describe('github', () => {
  test('workflow annotations only, read back by the runner', () => {
    const r = runCli(['examples/heroku-runserver', '--format', 'github']);
    expect(r.status).toBe(1);
    const cmds = runnerCommands(r.stdout);
    expect(cmds.length).toBe(r.stdout.trimEnd().split('\n').length);
    const dpl101 = cmds.find((c) => c.properties.title === 'DPL101 runserver-in-production');
    expect(dpl101).toMatchObject({ command: 'error', properties: { file: 'examples/heroku-runserver/Procfile', line: '1', col: '6' } });
  });
});

describe('usage', () => {
  test('--version and --help', () => {
    expect(runCli(['--version'])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: django-deploy-lint \[PATH\]/);
    expect(help.stdout).toContain('--format FORMAT');
  });

  test.each([
    [['--format', 'xml'], /--format must be one of text, json, sarif, github; got 'xml'/],
    [['--fail-on', 'always'], /--fail-on must be one of error, warning, notice, never/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['a', 'b'], /expected at most one PATH, got 2/],
    [['no/such/dir'], /not a directory: no\/such\/dir/],
    [['examples/docker-gunicorn', '--config', 'missing.yml'], /no such config file: missing\.yml/],
    [['examples/docker-gunicorn', '--rule', 'DPL101'], /--rule takes ID=LEVEL/],
    [['examples/docker-gunicorn', '--rule', 'DPL999=off'], /--rule takes ID=LEVEL with a known rule id/],
  ])('%j → exit 2 with a message on stderr', (args, message) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('--rule sets a level: DPL101=off passes the runserver example', () => {
    expect(runCli(['examples/heroku-runserver', '--rule', 'DPL101=off']).status).toBe(0);
    const warned = runCli(['examples/heroku-runserver', '--rule', 'dpl101=warning']);
    expect(warned.status).toBe(0);
    expect(warned.stdout).toContain('warning DPL101');
  });

  test('an invalid configuration: exit 2, every problem with file:line:col', () => {
    const dir = tempDir('ddl-cli-cfg-');
    fs.writeFileSync(path.join(dir, 'manage.py'), '');
    fs.writeFileSync(path.join(dir, '.django-deploy-lint.yml'), 'rulez: {}\nrules:\n  DPL105: maybe\n');
    const r = runCli([dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'django-deploy-lint: invalid configuration:\n' +
        '  .django-deploy-lint.yml:1:1: unknown key `rulez` (expected exclude, rules, targets or settings)\n' +
        '  .django-deploy-lint.yml:3:11: `DPL105` must be off, notice, warning or error (not `maybe`)\n',
    );
  });

  test('a hostile argument is escaped in the error message', () => {
    const r = runCli(['x\n::error::pwned']);
    expect(r.status).toBe(2);
    expect(runnerCommands(r.stderr)).toEqual([]);
  });
});

describe('the bundle', () => {
  test('is the package bin, starts with a node shebang, is executable and runs directly', () => {
    expect(pkg.bin['django-deploy-lint']).toBe('dist/cli.js');
    const cli = fs.readFileSync(path.join(DIST, 'cli.js'), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(path.join(DIST, 'cli.js')).mode & 0o111).toBe(0o111);
    expect(runCli(['--version'], { direct: true }).stdout).toBe(`${pkg.version}\n`);
  });

  test('the CLI does not contain @actions/core', () => {
    // The CLI is its stub, its main bundle, the engine bundle it imports and its chunks.
    const cliFiles = fs.readdirSync(DIST).filter((f) => ['cli.js', 'cli-main.js', 'entry-cli-run.js'].includes(f) || f.endsWith('.cli.js'));
    expect(cliFiles).toEqual(expect.arrayContaining(['cli.js', 'cli-main.js', 'entry-cli-run.js']));
    const cli = cliFiles.map((f) => fs.readFileSync(path.join(DIST, f), 'utf8')).join('');
    expect(cli).toContain('collectstatic'); // the probe reads the engine's code
    expect(cli).not.toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(cli).not.toContain('GITHUB_STEP_SUMMARY');
    // …while the action's bundle does (sanity check of the probe).
    const action = fs.readdirSync(DIST).filter((f) => f.endsWith('.js') && !cliFiles.includes(f)).map((f) => fs.readFileSync(path.join(DIST, f), 'utf8')).join('');
    expect(action).toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
  });

  test('works from any directory (WASM found next to the bundle)', () => {
    const cwd = tempDir('ddl-e2e-cwd-');
    const r = runCli([path.join(ROOT, 'examples/heroku-runserver'), '--format', 'json'], { cwd });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'DPL101')).toBe(true);
  });
});
