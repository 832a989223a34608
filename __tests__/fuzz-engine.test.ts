/**
 * Property-based fuzzing of the whole engine (docs/architecture.md, "Bounds"): a fixture repository with some of its
 * files mutated (and random deployment files added) is linted twice. The run never throws, every
 * finding (and every step of its chain) points inside a file of the repository, the two runs are
 * identical, and no line that the reporters print for the runner can be read as a workflow
 * command. `npm run fuzz` runs FUZZ_SCALE times more repositories.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '../src/config.js';
import { lint } from '../src/engine.js';
import type { Result } from '../src/suppress/result.js';
import { annotations } from '../src/report/annotations.js';
import { toSummary } from '../src/report/summary.js';
import { toText } from '../src/report/text.js';
import { RULES } from '../src/rules/index.js';
import { checkSpans, inputs, params, ROOT, SCALE, SPECIAL, stable } from './fuzz-helpers.js';

const FIXTURES = path.join(ROOT, '__tests__', 'fixtures');
const CASES = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !/^(deps|settings)-/.test(d.name))
  .map((d) => d.name)
  .sort();

function filesOf(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesOf(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/** Deployment files a mutated repository may gain (name → generator of content). */
const EXTRA_NAMES = ['Procfile', 'Dockerfile', 'docker-compose.yml', 'bin/start', 'entrypoint.sh', 'deploy/app.service', 'nginx.conf', 'Caddyfile', 'requirements.txt', 'config/settings.py', '.django-deploy-lint.yml'];
const extraText = inputs([
  'web: bin/start\n',
  'FROM python:3.12\nCOPY . /app\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "app.wsgi"]\n',
  'services:\n  web:\n    build: .\n    command: bin/start\n',
  '#!/bin/sh\nset -e\nexec "$@"\n',
  '[Service]\nExecStart=/app/bin/start\n',
]);

interface Plan {
  fixture: string;
  edits: { pick: number; text: string; mode: 'replace' | 'append' | 'prepend' }[];
  extras: { name: string; text: string }[];
}

const plan: fc.Arbitrary<Plan> = fc.record({
  fixture: fc.constantFrom(...CASES),
  edits: fc.array(fc.record({ pick: fc.nat(), text: fc.oneof(extraText, fc.constantFrom(...SPECIAL)), mode: fc.constantFrom('replace', 'append', 'prepend') }), { maxLength: 3 }) as fc.Arbitrary<Plan['edits']>,
  extras: fc.array(fc.record({ name: fc.constantFrom(...EXTRA_NAMES), text: extraText }), { maxLength: 2 }),
});

function build(p: Plan): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-fuzz-engine-'));
  const src = path.join(FIXTURES, p.fixture);
  const files = filesOf(src);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(src, f), path.join(dir, f));
  }
  for (const e of p.edits) {
    if (files.length === 0) break;
    const f = path.join(dir, files[e.pick % files.length]);
    const old = fs.readFileSync(f, 'utf8');
    fs.writeFileSync(f, e.mode === 'replace' ? e.text : e.mode === 'append' ? old + e.text : e.text + old);
  }
  for (const x of p.extras) {
    fs.mkdirSync(path.dirname(path.join(dir, x.name)), { recursive: true });
    fs.writeFileSync(path.join(dir, x.name), x.text);
  }
  return dir;
}

/** Problems with a result: positions outside files, files that are not in the repository. */
function spanProblems(dir: string, r: Result): string[] {
  const out: string[] = [];
  const texts = new Map<string, string>();
  const textOf = (file: string): string | null => {
    if (!texts.has(file)) {
      let t: string | null = null;
      try {
        t = fs.readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, '');
      } catch {
        t = null;
      }
      texts.set(file, t ?? '');
      if (t === null) return null;
    }
    return texts.get(file)!;
  };
  for (const f of r.findings) {
    const text = textOf(f.file);
    if (text === null) {
      out.push(`finding on a file that is not in the repository: ${f.file}`);
      continue;
    }
    for (const p of checkSpans({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }, text, f.file)) out.push(`${f.ruleId} ${JSON.stringify(p.span)} outside ${f.file}`);
    for (const v of f.via) {
      const vt = textOf(v.file);
      if (vt === null) out.push(`chain step in a file that is not in the repository: ${v.file}`);
      else if (checkSpans({ file: v.file, line: v.line, column: v.column ?? 1 }, vt, v.file).length > 0) out.push(`${f.ruleId} via ${v.file}:${v.line}:${v.column} outside the file`);
    }
  }
  return out;
}

/** A line that the runner would take as a workflow command (`::` after blanks, or `##[`). */
export function injected(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[');
}

function reportProblems(r: Result): string[] {
  const out: string[] = [];
  for (const line of toText(r, { failOn: 'error' }).split(/\r\n|\r|\n/)) if (injected(line)) out.push(`text report line: ${line}`);
  for (const a of annotations(r)) {
    if (/[\r\n]/.test(a)) out.push(`annotation with a line break: ${a}`);
    const m = /^::(error|warning|notice) ([^:]*)::/.exec(a);
    if (!m) out.push(`annotation of unexpected shape: ${a}`);
    else for (const kv of m[2].split(',')) if (!/^(file|line|endLine|col|endColumn|title)=/.test(kv)) out.push(`unexpected property ${kv}`);
  }
  const md = toSummary(r, { rules: RULES, failOn: 'error', version: 'fuzz' });
  // Tags the fuzzer can insert (via SPECIAL and random text) must never appear raw.
  if (/<(script|img|iframe|style|svg)\b/i.test(md)) out.push('summary with raw HTML from the repository');
  return out;
}

function comparable(r: Result): string {
  return stable({ targets: r.targets, findings: r.findings, summary: r.summary, suppressed: r.suppressed });
}

let runs = 0;
afterAll(() => {
  if (process.env.FUZZ_SCALE) process.stdout.write(`fuzz-engine: ${runs} repositories\n`);
});

test('fuzz: the engine never throws, keeps spans inside files, is deterministic and prints nothing the runner would execute', async () => {
  await fc.assert(
    fc.asyncProperty(plan, async (p) => {
      runs++;
      const dir = build(p);
      try {
        let a: Result;
        try {
          a = await lint(dir);
        } catch (e) {
          // A bad configuration file stops the run by contract, with positions inside that file.
          if (!(e instanceof ConfigError)) throw e;
          for (const c of e.problems) {
            const text = fs.readFileSync(path.join(dir, c.file), 'utf8');
            if (checkSpans({ line: c.line, column: c.column }, text, c.file).length > 0) throw new Error(`config problem outside the file: ${JSON.stringify(c)}`, { cause: e });
          }
          return;
        }
        const b = await lint(dir);
        const problems = [...spanProblems(dir, a), ...reportProblems(a)];
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
        if (comparable(a) !== comparable(b)) throw new Error('two runs over the same repository differ');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
    params(40),
  );
  expect(runs).toBeGreaterThan(0);
}, 600_000 * SCALE);
