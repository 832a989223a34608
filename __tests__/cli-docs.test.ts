/**
 * The documented examples for pragmas and the baseline (docs/suppressions.md) and pre-commit
 * (docs/cli.md) are run through the real CLI binary (the committed dist/, see cli-build.ts) and
 * must print what the page shows. (The configuration example, docs/configuration.md, is checked
 * by config.test.ts.)
 *
 * In an example block, `$ django-deploy-lint ARGS` lines are commands run in the example repo
 * (examples/heroku-runserver plus the section's `file=PATH` blocks); the lines under a command
 * are its stdout (its stderr when the command ends in `> /dev/null`). A `…` in a README line
 * stands for any text: the line must start with what is before it and end with what is after.
 * The README links to these pages; a test below checks that the links hold.
 */
import { jest } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildCli, copyTree, removeCopies, ROOT, run } from './cli-build.js';

// Each case runs the bundle several times; under a full parallel `npm test` that can take a while.
jest.setTimeout(120_000);

let cli = '';
beforeAll(() => {
  cli = buildCli();
}, 240_000);
afterAll(removeCopies);

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const SUPPRESSIONS = 'docs/suppressions.md';
const CLI_PAGE = 'docs/cli.md';

/** The `## title` section of a documentation page, up to the next `## `. */
function section(page: string, title: string): string {
  const text = read(page);
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`${page} has no section ${title}`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

interface Block {
  info: string;
  body: string;
}

function blocks(text: string): Block[] {
  return [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1], body: m[2] }));
}

/** Does `actual` match the README's `expected` line (`…` = any text)? */
function lineMatches(expected: string, actual: string): boolean {
  const at = expected.indexOf('…');
  if (at < 0) return expected === actual;
  const before = expected.slice(0, at);
  const after = expected.slice(at + 1);
  return actual.length >= before.length + after.length && actual.startsWith(before) && actual.endsWith(after);
}

function expectOutput(expected: string[], actual: string): void {
  const got = actual.replace(/\n$/, '').split('\n');
  const shown = got.map((l, i) => (i < expected.length && lineMatches(expected[i], l) ? expected[i] : l));
  expect(shown).toEqual(expected);
}

/** Run the `$ django-deploy-lint …` commands of a block in `dir`; returns their exit statuses. */
function runTranscript(body: string, dir: string): number[] {
  const lines = body.replace(/\n$/, '').split('\n');
  const statuses: number[] = [];
  for (let i = 0; i < lines.length; ) {
    const cmd = lines[i];
    expect(cmd.startsWith('$ django-deploy-lint')).toBe(true);
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('$ ')) j++;
    const quiet = cmd.endsWith(' > /dev/null');
    const args = cmd.replace(/ > \/dev\/null$/, '').split(' ').slice(2);
    const r = run(cli, args, { cwd: dir });
    expect(r.status === 0 || r.status === 1).toBe(true);
    expectOutput(lines.slice(i + 1, j), quiet ? r.stderr : r.stdout);
    statuses.push(r.status!);
    i = j;
  }
  return statuses;
}

function exampleRepo(files: Block[]): string {
  const dir = copyTree('examples/heroku-runserver');
  for (const b of files) {
    const file = /\bfile=(\S+)/.exec(b.info)![1];
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), b.body, { mode: 0o755 });
  }
  return dir;
}

test('Pragmas: the example repo prints what the page shows', () => {
  const bs = blocks(section(SUPPRESSIONS, 'Pragmas'));
  const files = bs.filter((b) => /\bfile=/.test(b.info));
  expect(files.map((b) => /\bfile=(\S+)/.exec(b.info)![1])).toEqual(['requirements.txt', 'Procfile', 'bin/web']);
  const transcript = bs.filter((b) => b.body.startsWith('$ django-deploy-lint'));
  expect(transcript).toHaveLength(1);
  expect(runTranscript(transcript[0].body, exampleRepo(files))).toEqual([0]);
});

test('Pragmas: the syntax block shows pragmas the tool accepts', () => {
  const syntax = blocks(section(SUPPRESSIONS, 'Pragmas'))[0].body.split('\n').filter(Boolean);
  expect(syntax).toHaveLength(3);
  const dir = exampleRepo([]);
  fs.writeFileSync(path.join(dir, 'Procfile'), syntax.map((l) => l.replace(/\s+\(.*\)$/, '')).join('\n') + '\nweb: python manage.py runserver 0.0.0.0:$PORT\n');
  const r = run(cli, ['--format', 'json'], { cwd: dir });
  const findings = JSON.parse(r.stdout).findings as { ruleId: string; message: string }[];
  // Understood (none is "not a pragma this tool understands"); the rules they name did not fire there.
  expect(findings.filter((f) => f.ruleId === 'DPL004' && /not a pragma/.test(f.message))).toEqual([]);
  expect(findings.filter((f) => f.ruleId === 'DPL004')).toHaveLength(3);
});

test('Baseline: the transcript, then the workflow snippet uses a real input', () => {
  const bs = blocks(section(SUPPRESSIONS, 'Baseline'));
  const transcript = bs.find((b) => b.body.startsWith('$ django-deploy-lint'))!;
  expect(runTranscript(transcript.body, exampleRepo([]))).toEqual([0, 0]);
  const step = (parseYaml(bs.find((b) => b.info === 'yaml')!.body) as { uses: string; with: Record<string, string> }[])[0];
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
  expect(Object.keys(step.with).filter((k) => !(k in action.inputs))).toEqual([]);
  expect(step.with.baseline).toBe('.django-deploy-lint-baseline.json');
});

test('pre-commit: the hook exists, runs the package bin on the whole repo, and the documented args work', () => {
  const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  const config = parseYaml(blocks(section(CLI_PAGE, 'pre-commit'))[0].body) as { repos: { repo: string; hooks: { id: string; args: string[] }[] }[] };
  const used = config.repos[0].hooks[0];
  const hook = hooks.find((h) => h.id === used.id)!;
  expect(hook).toMatchObject({ id: 'django-deploy-lint', language: 'node', pass_filenames: false, always_run: true });
  expect(Object.keys(pkg.bin)).toContain(hook.entry);
  expect(pkg.files).toContain('dist');

  // As pre-commit runs it: `entry args...` at the repository root, no file names.
  const dir = exampleRepo([]);
  expect(run(cli, ['--write-baseline', '.django-deploy-lint-baseline.json'], { cwd: dir }).status).toBe(0);
  expect(run(cli, used.args, { cwd: dir }).status).toBe(0);
  // A new problem fails the commit.
  fs.appendFileSync(path.join(dir, 'Procfile'), 'release: python manage.py collectstatic\n');
  const r = run(cli, used.args, { cwd: dir });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^Procfile:2:\d+: warning DPL202 /m);
});

test('the README and the docs pages link to files and sections that exist', () => {
  const pages = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const anchors = (text: string) => new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
  const broken: string[] = [];
  for (const page of pages) {
    const text = read(page);
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split('#');
      const rel = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
      if (!fs.existsSync(path.join(ROOT, rel))) broken.push(`${page}: ${target} (no ${rel})`);
      else if (anchor && rel.endsWith('.md') && !anchors(read(rel)).has(anchor)) broken.push(`${page}: ${target} (no section #${anchor})`);
    }
  }
  expect(broken).toEqual([]);
  // The README stays an overview: every moved topic is one link away.
  const readme = read('README.md');
  for (const page of ['docs/targets.md', 'docs/configuration.md', 'docs/suppressions.md', 'docs/action.md', 'docs/cli.md', 'docs/performance.md', 'docs/development.md', 'docs/architecture.md']) {
    expect(readme).toContain(`](${page})`);
  }
});
