/**
 * Every option of the CLI through the real binary: the committed dist/cli.js (see cli-build.ts),
 * run with node in a clean environment.
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_LIST } from '../src/rules/index.js';
import { buildCli, copyTree, removeCopies, ROOT, run as runWith } from './cli-build.js';

// Each case runs the bundle several times; under a full parallel `npm test` that can take a while.
jest.setTimeout(120_000);

let cli = '';
beforeAll(() => {
  cli = buildCli();
}, 240_000);
afterAll(removeCopies);

const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => runWith(cli, args, options);
const PRAGMAS = '__tests__/fixtures/pragma-formats';
const HEROKU = 'examples/heroku-runserver';
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('--help, --version, usage errors (exit 2)', () => {
  test('--help names every option; -h too', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const o of ['--format', '--config', '--fail-on', '--rule', '--baseline', '--write-baseline', '--list-rules', '--explain', '--version', '--help']) expect(r.stdout).toContain(o);
    expect(run(['-h']).stdout).toBe(r.stdout);
  });

  test('--version prints the package version', () => {
    expect(run(['--version'])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test.each([
    [['--no-such-option'], 'Unknown option'],
    [[HEROKU, 'examples/docker-gunicorn'], 'expected at most one PATH'],
    [['no/such/dir'], 'not a directory: no/such/dir'],
    [[HEROKU, '--format', 'xml'], '--format must be one of text, json, sarif, github'],
    [[HEROKU, '--fail-on', 'errors'], '--fail-on must be one of error, warning, notice, never'],
    [[HEROKU, '--config', 'no-such.yml'], 'no such config file: no-such.yml'],
    [[HEROKU, '--rule', 'DPL999=off'], '--rule takes ID=LEVEL'],
    [[HEROKU, '--rule', 'DPL101=loud'], '--rule takes ID=LEVEL'],
    [[HEROKU, '--baseline', 'no-such-baseline.json'], 'cannot read the baseline'],
    [['--explain', 'DPL999'], "--explain takes a rule id or name (see --list-rules); got 'DPL999'"],
  ])('%j → exit 2: %s', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

describe('--list-rules and --explain', () => {
  test('--list-rules: every rule of the catalogue, in id order, with severity, name and summary', () => {
    const r = run(['--list-rules']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(RULE_LIST.map((x) => x.id));
    for (const [i, rule] of RULE_LIST.entries()) expect(lines[i]).toMatch(new RegExp(`^${rule.id}  ${rule.severity}\\s+${rule.name}\\s+\\S`));
    expect(r.stdout).toMatch(/^DPL004 {2}notice\s+unused-suppression\s+A `django-deploy-lint:` pragma/m);
  });

  test.each([['DPL004', 'DPL004'], ['dpl101', 'DPL101'], ['runserver-in-production', 'DPL101'], ['DPL205', 'DPL205']])('--explain %s prints docs/rules/%s.md as it is', (query, id) => {
    const r = run(['--explain', query]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8'));
  });

  test('src/rules/pages.ts holds the docs/rules pages as they are now (else: node scripts/rule-pages.mjs)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'rule-pages.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('--explain works from the bundle alone (no docs folder beside it)', () => {
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-cli-alone-'));
    try {
      fs.cpSync(path.dirname(cli), alone, { recursive: true });
      const r = spawnSync(process.execPath, [path.join(alone, 'cli.js'), '--explain', 'DPL101'], { cwd: os.tmpdir(), encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('# DPL101: runserver-in-production');
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });
});

describe('--format', () => {
  test('text (default): grouped by target, the chain as in the summary, repo-wide findings apart', () => {
    const r = run([PRAGMAS, '--fail-on', 'never']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Target __tests__\/fixtures\/pragma-formats\/Procfile:2 \(procfile, production: /);
    expect(lines[1]).toBe('    web → gunicorn (proj.wsgi)  __tests__/fixtures/pragma-formats/Procfile:2 → __tests__/fixtures/pragma-formats/bin/web:4 → gunicorn');
    const repo = lines.indexOf('Repository');
    expect(repo).toBeGreaterThan(1);
    expect(lines.slice(repo + 1).filter((l) => / notice DPL004 /.test(l))).toHaveLength(6);
    expect(r.stdout).toContain('__tests__/fixtures/pragma-formats/bin/web:5:1: notice DPL004 `# django-deploy-lint: disable=DPL105` is not a pragma');
    expect(lines.filter(Boolean).pop()).toBe('! 0 errors, 0 warnings, 6 notices (1 target, 1 suppressed)');
  });

  test('text: a finding of a target is printed under that target', () => {
    const r = run([HEROKU]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Target examples\/heroku-runserver\/Procfile:1 \(procfile, /);
    expect(lines.findIndex((l) => /^examples\/heroku-runserver\/Procfile:1:6: error DPL101 /.test(l))).toBeGreaterThan(0);
    expect(r.stdout).not.toContain('Repository');
  });

  test('json: version 1, DPL004 findings repo-wide (target null), no baselined key without a baseline', () => {
    const r = run([PRAGMAS, '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['version', 'root', 'targets', 'findings', 'summary']);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notices: 6 });
    expect(report.findings[0]).toMatchObject({ ruleId: 'DPL004', rule: 'unused-suppression', severity: 'notice', target: null, file: 'Procfile', line: 1, column: 1 });
  });

  test('sarif: DPL004 is a rule with its help page; results point at the pragmas', () => {
    const r = run([PRAGMAS, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.find((x: { id: string }) => x.id === 'DPL004')).toMatchObject({ name: 'unused-suppression', helpUri: expect.stringMatching(/docs\/rules\/DPL004\.md$/) });
    expect(sarif.runs[0].results).toHaveLength(6);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'DPL004', level: 'note' });
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('__tests__/fixtures/pragma-formats/Procfile');
  });

  test('github: one workflow command per finding', () => {
    const r = run([PRAGMAS, '--format', 'github']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^::notice file=__tests__\/fixtures\/pragma-formats\/Procfile,line=1,.*title=DPL004 unused-suppression::/);
  });
});

describe('--config, --fail-on, --rule (exit 0 / 1)', () => {
  test('--fail-on: the notices fail at notice, pass at warning and error', () => {
    expect(run([PRAGMAS]).status).toBe(0);
    expect(run([PRAGMAS, '--fail-on', 'warning']).status).toBe(0);
    expect(run([PRAGMAS, '--fail-on', 'notice']).status).toBe(1);
    expect(run([HEROKU, '--fail-on', 'never']).status).toBe(0);
    expect(run([HEROKU, '--fail-on', 'error']).status).toBe(1);
  });

  test('--rule sets a level: DPL004=error fails the run, DPL004=off removes the notices', () => {
    const loud = run([PRAGMAS, '--rule', 'DPL004=error']);
    expect(loud.status).toBe(1);
    expect(loud.stdout).toContain(': error DPL004 ');
    const off = run([PRAGMAS, '--rule', 'dpl004=off', '--fail-on', 'notice']);
    expect(off.status).toBe(0);
    expect(off.stdout).not.toContain('DPL004');
  });

  test('--config FILE: its rules apply; --rule beats it; an invalid file is exit 2 with the position', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-cli-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'lint.yml'), 'rules:\n  DPL004: warning\n');
      const warned = run([path.join(ROOT, PRAGMAS), '--config', path.join(dir, 'lint.yml'), '--fail-on', 'warning']);
      expect(warned.status).toBe(1);
      expect(warned.stdout).toContain(': warning DPL004 ');
      expect(run([path.join(ROOT, PRAGMAS), '--config', path.join(dir, 'lint.yml'), '--rule', 'DPL004=off', '--fail-on', 'warning']).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'bad.yml'), 'rules:\n  DPL004: loud\n');
      const bad = run([path.join(ROOT, PRAGMAS), '--config', path.join(dir, 'bad.yml')]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/invalid configuration:\n .*:2:\d+: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--write-baseline and --baseline', () => {
  test('record, then only new findings count; a moved finding stays baselined; a changed one is new', () => {
    const dir = copyTree(HEROKU);
    const base = path.join(dir, 'baseline.json');
    const w = run(['.', '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(w.status).toBe(0);
    expect(w.stderr).toBe('django-deploy-lint: wrote 1 finding to baseline.json\n');
    expect(w.stdout).toContain('Baselined (1, not counted):');
    const recorded = JSON.parse(fs.readFileSync(base, 'utf8'));
    expect(recorded).toMatchObject({ version: 1, tool: 'django-deploy-lint', findings: [{ ruleId: 'DPL101', file: 'Procfile', line: 1 }] });

    // The baseline's fingerprints are SARIF's partial fingerprints.
    const sarif = JSON.parse(run(['.', '--format', 'sarif'], { cwd: dir }).stdout);
    expect(recorded.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(sarif.runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => Object.values(x.partialFingerprints)[0]));

    const same = run(['.', '--baseline', 'baseline.json'], { cwd: dir });
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^Baselined \(1, not counted\):\n {2}Procfile:1:6: error DPL101 /m);
    expect(same.stdout.trimEnd().split('\n').pop()).toBe('✔ No new problems (1 target checked, 1 baselined)');

    // Moved down two lines: still the same finding.
    const procfile = path.join(dir, 'Procfile');
    fs.writeFileSync(procfile, `# the demo dyno\n\n${fs.readFileSync(procfile, 'utf8')}`);
    const moved = run(['.', '--baseline', 'baseline.json', '--format', 'json'], { cwd: dir });
    expect(moved.status).toBe(0);
    const mj = JSON.parse(moved.stdout);
    expect(mj.findings).toEqual([]);
    expect(mj.summary).toEqual({ errors: 0, warnings: 0, notices: 0 });
    expect(mj.baselined).toMatchObject([{ ruleId: 'DPL101', file: 'Procfile', line: 3 }]);

    // A different command is a different finding: new, counted, fails.
    fs.writeFileSync(procfile, 'web: python manage.py runserver --noreload 0.0.0.0:$PORT\n');
    const changed = run(['.', '--baseline', 'baseline.json'], { cwd: dir });
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/^Procfile:1:6: error DPL101 /m);
    expect(changed.stdout).not.toContain('Baselined');

    // SARIF says which results are new and which the baseline knew.
    fs.writeFileSync(procfile, 'web: python manage.py runserver 0.0.0.0:$PORT\n# django-deploy-lint: ignore=DPL107\n');
    const states = JSON.parse(run(['.', '--baseline', 'baseline.json', '--format', 'sarif'], { cwd: dir }).stdout).runs[0].results.map(
      (x: { ruleId: string; baselineState: string }) => `${x.ruleId} ${x.baselineState}`,
    );
    expect(states).toEqual(['DPL101 unchanged', 'DPL004 new']);
  });

  test('a malformed baseline is exit 2 with the reason', () => {
    const dir = copyTree(HEROKU);
    fs.writeFileSync(path.join(dir, 'b.json'), '{"version": 1, "findings": [{"fingerprint": 7}]}');
    const r = run(['.', '--baseline', 'b.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('findings[0] has no valid "fingerprint"');
  });
});

describe('colour', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  /** Run under a pseudo-terminal (util-linux `script`), so that stdout is a TTY. */
  const onTty = (env: Record<string, string>) => {
    const command = [process.execPath, cli, HEROKU].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: os.tmpdir(), TERM: 'xterm', ...env }, encoding: 'utf8' });
    return r.stdout;
  };

  test('not a TTY: no colour', () => {
    expect(run([HEROKU]).stdout).not.toContain('\x1b[');
  });

  (hasScript ? test : test.skip)('a TTY: colour; NO_COLOR on a TTY: none', () => {
    expect(onTty({})).toContain('\x1b[31merror\x1b[0m');
    const plain = onTty({ NO_COLOR: '1' });
    expect(plain).toContain('error DPL101');
    expect(plain).not.toContain('\x1b[');
  });
});
