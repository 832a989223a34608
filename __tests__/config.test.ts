import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, globMatcher, parseConfig } from '../src/parse/config.js';
import { lint } from '../src/suppress/engine.js';
import { RULE_LIST } from '../src/rules/index.js';
import { copyToTemp, tempDir } from './temp-repo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const IDS = new Set(RULE_LIST.map((r) => r.id));

function problems(text: string): string[] {
  try {
    parseConfig(text, '.django-deploy-lint.yml', IDS);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

describe('parseConfig', () => {
  test('reads every key', () => {
    const c = parseConfig(
      'exclude: [legacy/**]\nrules:\n  dpl105: off\n  DPL201: warning\ntargets:\n  production: [deploy/Procfile.web]\n  development: [compose/local]\nsettings: [config/settings/production.py]\n',
      'x.yml',
      IDS,
    );
    expect(c).toEqual({
      file: 'x.yml',
      exclude: ['legacy/**'],
      rules: { DPL105: 'off', DPL201: 'warning' },
      production: ['deploy/Procfile.web'],
      development: ['compose/local'],
      settings: ['config/settings/production.py'],
    });
  });

  test('an empty file is the default configuration', () => {
    expect(parseConfig('', 'x.yml', IDS).rules).toEqual({});
  });

  test.each([
    ['unknown key', 'exlude: [a]\n', ['1:1 unknown key `exlude` (expected exclude, rules, targets or settings)']],
    ['unknown rule', 'rules:\n  DPL999: off\n', ['2:3 unknown rule `DPL999` (rules are DPL001, DPL101, …; see docs/rules/README.md)']],
    ['bad level', 'rules:\n  DPL105: loud\n', ['2:11 `DPL105` must be off, notice, warning or error (not `loud`)']],
    ['wrong type', 'exclude: legacy\n', ['1:10 `exclude` must be a list of strings']],
    ['unknown target key', 'targets:\n  staging: [a]\n', ['2:3 unknown key `targets.staging` (expected production or development)']],
    ['not a mapping', '- a\n', ['1:1 the configuration must be a mapping of keys (exclude, rules, targets, settings)']],
    ['several at once', 'foo: 1\nrules: {DPL000: off}\n', ['1:1 unknown key `foo` (expected exclude, rules, targets or settings)', '2:9 unknown rule `DPL000` (rules are DPL001, DPL101, …; see docs/rules/README.md)']],
  ])('%s is an error with its position', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  test('YAML syntax errors are reported with their position', () => {
    const p = problems('rules:\n  DPL105: [off\n');
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^\d+:\d+ YAML: /);
  });
});

test('globMatcher: globs and plain folders', () => {
  const m = globMatcher(['legacy/**', 'compose/local', '*.dev.yml']);
  expect(['legacy/Dockerfile', 'compose/local/django/Dockerfile', 'docker-compose.dev.yml'].map(m)).toEqual([true, true, true]);
  expect(['Dockerfile', 'compose/production/Dockerfile', 'compose/localx/Dockerfile'].map(m)).toEqual([false, false, false]);
});

describe('configuration applied by the engine', () => {
  const fixture = path.join(here, 'fixtures', 'config-overrides');
  const ids = (r: Awaited<ReturnType<typeof lint>>) => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

  test('without it, the fixture has findings the configuration removes', async () => {
    const empty = path.join(tempDir('ddl-cfg-'), 'empty.yml');
    fs.writeFileSync(empty, '');
    const r = await lint(fixture, { config: empty });
    expect(ids(r)).toEqual(expect.arrayContaining(['Procfile:1 DPL105', 'docker-compose.yml:5 DPL101', 'legacy/Dockerfile:4 DPL101']));
    expect(ids(r)).not.toContain('deploy/Procfile.web:1 DPL101');
  });

  test('with it: excluded, turned off, development and production as configured', async () => {
    const r = await lint(fixture);
    expect(ids(r)).toEqual(['deploy/Procfile.web:1 DPL101']);
    expect(r.targets.find((t) => t.file === 'docker-compose.yml')?.productionReason).toBe(
      'development: listed under `targets: development:` in .django-deploy-lint.yml',
    );
    expect(r.targets.some((t) => t.file.startsWith('legacy/'))).toBe(false);
  });

  test('an invalid configuration stops the run', async () => {
    const dir = tempDir('ddl-cfg-');
    fs.writeFileSync(path.join(dir, '.django-deploy-lint.yml'), 'rules:\n  DPL105: of\n');
    await expect(lint(dir)).rejects.toThrow('.django-deploy-lint.yml:2:11: `DPL105` must be off, notice, warning or error (not `of`)');
  });

  test('a --rule override beats the file', async () => {
    const r = await lint(fixture, { rules: { DPL101: 'warning' } });
    expect(r.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['DPL101 warning']);
  });
});

test('`settings:` names the production settings module the rules read', async () => {
  const dir = copyToTemp(path.join(here, 'fixtures', 'static-root-missing'), 'ddl-cfg-');
  const before = await lint(dir);
  expect(before.findings.map((f) => f.ruleId)).toContain('DPL203');
  fs.writeFileSync(path.join(dir, 'proj', 'production.py'), 'from .settings import *\n\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n');
  fs.writeFileSync(path.join(dir, '.django-deploy-lint.yml'), 'settings:\n  - proj/production.py\n');
  const after = await lint(dir);
  expect(after.findings.map((f) => f.ruleId)).not.toContain('DPL203');
});

test("the documented configuration example (docs/configuration.md) is a valid configuration", () => {
  const page = fs.readFileSync(path.join(here, '..', 'docs', 'configuration.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(page)![1];
  const c = parseConfig(block, 'docs/configuration.md', IDS);
  expect(c.rules).toEqual({ DPL105: 'off', DPL204: 'warning' });
  expect(c.development).toEqual(['docker-compose.yml']);
  expect(c.settings).toEqual(['config/settings/production.py']);
});
