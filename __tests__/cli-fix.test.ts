/**
 * `--fix` and `--unsafe-fixes` end to end, on scratch copies of fixture repositories: the fixes
 * are applied, what changed is printed, and the run after them no longer has the fixed rule's
 * finding. Plus the pure pieces: applying edits (src/core/fix.ts) and the rule contract.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, type Io } from '../src/cli.js';
import { applyFixes, offsetOf, type Fix } from '../src/core/fix.js';
import { lint } from '../src/engine.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { toJson } from '../src/report/json.js';
import { toSarif } from '../src/report/sarif.js';
import { RULE_LIST, RULES } from '../src/rules/index.js';
import { formatMessage } from '../src/rules/types.js';
import { copyToTemp, tempRepo } from './temp-repo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, '__tests__/fixtures');

beforeAll(async () => {
  await loadGrammars(['bash', 'python']);
});

async function run(argv: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {}, cwd };
  const status = await cli(argv, io);
  return { status, stdout, stderr };
}

const ids = async (dir: string, rule: string) => (await lint(dir)).findings.filter((f) => f.ruleId === rule).map((f) => `${f.file}:${f.line}`);

describe('--fix on fixture copies: apply, then lint again clean for the fixed rule', () => {
  test.each([
    ['collectstatic-before-copy', 'DPL202', 'Dockerfile'],
    ['chain-procfile-make', 'DPL202', 'Makefile'],
    ['nginx-alias-no-slash', 'DPL302', 'nginx.conf'],
  ])('%s: the safe %s fix', async (fixture, rule, file) => {
    const dir = copyToTemp(path.join(FIXTURES, fixture));
    const before = fs.readFileSync(path.join(dir, file), 'utf8');
    expect(await ids(dir, rule)).not.toEqual([]);
    const r = await run(['.', '--fix', '--format', 'json'], dir);
    expect(r.stderr).toMatch(new RegExp(`fixed ${file.replace('.', '\\.')}:\\d+: .* \\[${rule}\\]`));
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).not.toBe(before);
    // The report printed is the one after the fixes, and the fixed rule is gone from it.
    expect(JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === rule)).toEqual([]);
    expect(await ids(dir, rule)).toEqual([]);
  });

  test('DPL202: `--noinput` is added after the word, nothing else changes', async () => {
    const dir = copyToTemp(path.join(FIXTURES, 'chain-procfile-make'));
    const before = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
    await run(['.', '--fix'], dir);
    const after = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
    expect(after.replace(' --noinput', '')).toBe(before);
    expect(after.split('\n')[9]).toMatch(/collectstatic --noinput/);
  });

  test('DPL101 is unsafe: --fix leaves it and says so; --unsafe-fixes replaces runserver and declares gunicorn', async () => {
    const dir = copyToTemp(path.join(ROOT, 'examples/heroku-runserver'));
    const safe = await run(['.', '--fix'], dir);
    expect(safe.status).toBe(1);
    expect(safe.stderr).toContain('no fix applied');
    expect(safe.stderr).toMatch(/1 more fix is available with --unsafe-fixes/);
    expect(fs.readFileSync(path.join(dir, 'Procfile'), 'utf8')).toBe('web: python manage.py runserver 0.0.0.0:$PORT\n');

    const r = await run(['.', '--unsafe-fixes'], dir);
    expect(r.stderr).toContain('fixed Procfile:1: Replace runserver with `gunicorn` and declare `gunicorn` in requirements.txt [DPL101, unsafe]');
    expect(r.stderr).toContain('1 fix applied in 2 files');
    expect(fs.readFileSync(path.join(dir, 'Procfile'), 'utf8')).toMatch(/^web: gunicorn \S+\.wsgi --bind 0\.0\.0\.0:\$PORT\n$/);
    expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toMatch(/\ngunicorn\n?$/);
    expect(await ids(dir, 'DPL101')).toEqual([]);
    expect(await ids(dir, 'DPL103')).toEqual([]);
    expect(r.status).toBe(0);
  });

  test('--settings is carried into the fix, the explicit port is kept', async () => {
    const dir = tempRepo({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': 'STATIC_ROOT = "staticfiles"\n',
      'mysite/settings_prod.py': 'from .settings import *\n',
      'mysite/wsgi.py': 'application = None\n',
      'requirements.txt': 'django\ngunicorn\nwhitenoise\n',
      Procfile: 'web: python manage.py runserver 0.0.0.0:9000 --settings=mysite.settings_prod\n',
    });
    await run(['.', '--unsafe-fixes'], dir);
    expect(fs.readFileSync(path.join(dir, 'Procfile'), 'utf8')).toBe('web: gunicorn mysite.wsgi --bind 0.0.0.0:9000 --env DJANGO_SETTINGS_MODULE=mysite.settings_prod\n');
  });

  test('a symbolic link is not written through', async () => {
    const outside = tempRepo({ 'Makefile.real': 'x' });
    const dir = copyToTemp(path.join(FIXTURES, 'chain-procfile-make'));
    const real = path.join(outside, 'Makefile.real');
    fs.writeFileSync(real, fs.readFileSync(path.join(dir, 'Makefile')));
    fs.rmSync(path.join(dir, 'Makefile'));
    fs.symlinkSync(real, path.join(dir, 'Makefile'));
    const before = fs.readFileSync(real, 'utf8');
    await run(['.', '--fix'], dir);
    expect(fs.readFileSync(real, 'utf8')).toBe(before);
  });
});

describe('the fix in the reports', () => {
  test('JSON `autofix` (title, safety, edits) beside the fix in words; SARIF `fixes` with the same replacement', async () => {
    const result = await lint(path.join(FIXTURES, 'chain-procfile-make'));
    const j = toJson(result).findings.find((f) => f.ruleId === 'DPL202')!;
    expect(j.messageId).toBe('interactive');
    expect(j.fix).toBe('python manage.py collectstatic --noinput');
    expect(j.autofix).toEqual({
      title: 'Add `--noinput` to collectstatic',
      safety: 'safe',
      edits: [{ file: 'Makefile', range: { start: { line: 10, column: j.endColumn }, end: { line: 10, column: j.endColumn } }, text: ' --noinput' }],
    });
    const sarif = toSarif(result, RULES, { version: '1' }) as { runs: { results: { ruleId: string; fixes?: unknown[] }[] }[] };
    const r = sarif.runs[0].results.find((x) => x.ruleId === 'DPL202')!;
    expect(r.fixes).toEqual([
      {
        description: { text: 'Add `--noinput` to collectstatic (safe fix)' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'Makefile', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 10, startColumn: j.endColumn, endLine: 10, endColumn: j.endColumn }, insertedContent: { text: ' --noinput' } }],
          },
        ],
      },
    ]);
  });
});

describe('applyFixes', () => {
  const fix = (line: number, col: number, endCol: number, text: string, safety: Fix['safety'] = 'safe'): { fix: Fix } => ({
    fix: { title: text, safety, edits: [{ file: 'f', range: { start: { line, column: col }, end: { line, column: endCol } }, text }] },
  });
  test('non-overlapping edits are all applied, right to left', () => {
    const r = applyFixes('abc\ndef\n', 'f', [fix(1, 2, 3, 'X'), fix(2, 1, 1, '>'), fix(2, 4, 4, '<')]);
    expect(r.text).toBe('aXc\n>def<\n');
    expect(r.applied).toHaveLength(3);
  });
  test('an overlapping edit waits (the first one wins); two insertions at one point too', () => {
    const r = applyFixes('abcdef', 'f', [fix(1, 2, 5, 'X'), fix(1, 4, 6, 'Y'), fix(1, 6, 6, '1'), fix(1, 6, 6, '2')]);
    expect(r.text).toBe('aXe1f');
    expect(r.applied.map((a) => a.fix.title)).toEqual(['X', '1']);
  });
  test('an edit outside the text or in another file is not applied', () => {
    expect(applyFixes('ab', 'f', [fix(3, 1, 1, 'x'), fix(1, 5, 5, 'y')]).applied).toEqual([]);
    expect(offsetOf('ab\ncd', { line: 2, column: 3 })).toBe(5);
    expect(offsetOf('ab\ncd', { line: 2, column: 4 })).toBeNull();
  });
});

describe('the rule contract', () => {
  test.each(RULE_LIST.map((r) => [r.id, r]))('%s: meta, messages with placeholders only', (_id, rule) => {
    expect(rule.meta).toMatchObject({ id: rule.id, name: rule.name, severity: rule.severity, summary: rule.summary });
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    for (const t of Object.values(rule.messages) as string[]) expect(t).not.toMatch(/\$\{/);
    expect([undefined, 'safe', 'unsafe']).toContain(rule.fixable);
  });
  test('formatMessage fills placeholders once, and a missing value is an error', () => {
    expect(formatMessage('{{a}} and {{ b }}', { a: '{{b}}', b: 2 })).toBe('{{b}} and 2');
    expect(() => formatMessage('{{a}}', {})).toThrow(/no value/);
  });
  test.each(RULE_LIST.filter((r) => r.fixable).map((r) => [r.id, r.fixable]))('%s: its page has a "Fix safety" section naming the safety (%s)', (id, safety) => {
    const page = fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
    const section = page.split('\n## Fix safety\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain(`**${safety}**`);
  });
  test('the fixable rules', () => {
    expect(Object.fromEntries(RULE_LIST.filter((r) => r.fixable).map((r) => [r.id, r.fixable]))).toEqual({ DPL101: 'unsafe', DPL107: 'unsafe', DPL202: 'safe', DPL302: 'safe' });
  });
});
