/**
 * src/cli.ts run from the sources (no bundle): `cli(argv, io)` with a recording Io. The bundled
 * binary is covered by cli-options.test.ts and e2e-cli.test.ts; these cases need no rebuild.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, timingTable, USAGE, type Io } from '../src/cli.js';
import { VERSION } from '../src/report/version.js';
import { RULE_LIST } from '../src/rules/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEROKU = 'examples/heroku-runserver';

interface Recorded {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Recorded> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env, cwd: ROOT };
  const status = await cli(argv, io);
  return { status, stdout, stderr };
}

/** The rows of a --timing table: [name, ms, relative] (header and rule line left out). */
function rows(table: string): [string, number, string][] {
  const lines = table.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^Stage \/ rule +\| Time \(ms\) \| Relative$/);
  expect(lines[1]).toMatch(/^-+\|-+\|-+$/);
  return lines.slice(2).map((l) => {
    const [name, ms, rel] = l.split('|').map((c) => c.trim());
    return [name, Number(ms), rel];
  });
}

describe('--timing', () => {
  test.each([['text'], ['json'], ['sarif'], ['github']])('--format %s: stdout and exit status as without it; the table on stderr', async (format) => {
    const plain = await run([HEROKU, '--format', format]);
    const timed = await run([HEROKU, '--format', format, '--timing']);
    expect(plain.stderr).toBe('');
    expect(timed.status).toBe(plain.status);
    expect(timed.status).toBe(1);
    // JSON and SARIF carry no timing; text ends with the counts line, not with the table.
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.stdout).not.toContain('Time (ms)');
    const table = rows(timed.stderr);
    const names = table.map(([name]) => name);
    // As recorded: start-up, the engine's stages (rules in id order among them), the report, the total.
    expect(names[0]).toBe('start-up');
    expect(names.slice(1, 4)).toEqual(['list files', 'configuration', 'load grammars']);
    expect(names.filter((n) => /^DPL\d{3}$/.test(n))).toEqual(RULE_LIST.map((r) => r.id));
    expect(names.slice(-3)).toEqual(['suppress', 'report', 'total']);
    for (const [name, ms, rel] of table) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(rel).toMatch(/^\d+\.\d%$/);
      if (name === 'total') expect(rel).toBe('100.0%');
    }
    const total = table.at(-1)![1];
    // Every row is part of the total (the rows are rounded to 0.1 ms each).
    const sum = table.slice(0, -1).reduce((a, [, ms]) => a + ms, 0);
    expect(sum).toBeLessThanOrEqual(total + 0.05 * table.length);
  });

  test('a rule turned off is not timed', async () => {
    const r = await run([HEROKU, '--timing', '--rule', 'DPL101=off', '--fail-on', 'never']);
    expect(r.status).toBe(0);
    const names = rows(r.stderr).map(([name]) => name);
    expect(names).not.toContain('DPL101');
    expect(names).toContain('DPL102');
  });

  test('without --timing nothing is written to stderr; with it only after a run (not for --version)', async () => {
    expect((await run([HEROKU, '--fail-on', 'never'])).stderr).toBe('');
    expect(await run(['--version', '--timing'])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('the table: columns aligned, shares of the total', () => {
    const t = timingTable(
      new Map([
        ['start-up', 25],
        ['list files', 12.345],
        ['DPL101', 0.04],
      ]),
      50,
    );
    expect(t).toBe(
      [
        'Stage / rule | Time (ms) | Relative',
        '-------------|-----------|---------',
        'start-up     |      25.0 |    50.0%',
        'list files   |      12.3 |    24.7%',
        'DPL101       |       0.0 |     0.1%',
        'total        |      50.0 |   100.0%',
        '',
      ].join('\n'),
    );
  });
});

describe('the lazily loaded parts behave as before', () => {
  test('--help and --version need no engine; --help names --timing', async () => {
    const help = await run(['--help']);
    expect(help).toEqual({ status: 0, stdout: USAGE, stderr: '' });
    expect(USAGE).toMatch(/^ {6}--timing {10}/m);
    expect(await run(['-V'])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('--list-rules and --explain (the rule pages, loaded on their own)', async () => {
    const list = await run(['--list-rules']);
    expect(list.status).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(RULE_LIST.length);
    const page = await run(['--explain', 'runserver-in-production']);
    expect(page.status).toBe(0);
    expect(page.stdout.split('\n')[0]).toBe('# DPL101: runserver-in-production');
    const bad = await run(['--explain', 'DPL999']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--explain takes a rule id or name (see --list-rules); got 'DPL999'");
  });

  test('errors of the loaded modules keep their messages: configuration, baseline, usage', async () => {
    const config = await run([HEROKU, '--config', 'package.json']);
    expect(config.status).toBe(2);
    expect(config.stderr).toMatch(/^django-deploy-lint: invalid configuration:\n {2}\S*package\.json:2:3: unknown key `name`/);
    expect(config.stderr).not.toContain('internal error');
    const baseline = await run([HEROKU, '--baseline', 'package.json']);
    expect(baseline.status).toBe(2);
    expect(baseline.stderr).toMatch(/^django-deploy-lint: .*\nTry 'django-deploy-lint --help'\.\n$/);
    expect(baseline.stderr).not.toContain('internal error');
    const rule = await run([HEROKU, '--rule', 'DPL999=off']);
    expect(rule.status).toBe(2);
    expect(rule.stderr).toContain("--rule takes ID=LEVEL with a known rule id and off, notice, warning or error; got 'DPL999=off'");
    const usage = await run(['--no-such-option']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/Unknown option '--no-such-option'.*\nTry 'django-deploy-lint --help'\.\n$/s);
  });
});
