/**
 * The "hostile repository" of issue 8 (docs/architecture.md, "Bounds"), built at test time: symbolic links out of the
 * root (a Procfile linking to a file elsewhere, a folder linking to /, a script linking out),
 * file names with line breaks and `::`, contents full of workflow commands, HTML and Markdown,
 * a file over the size bound, a binary file, invalid UTF-8, YAML alias bombs, a script cycle and
 * a chain deeper than the bound, and code that would leave a marker if it ever ran. The run must
 * be correct, with zero crashes, zero reads or listings outside the root and zero injected
 * workflow commands. Every file-system read of the engine is recorded by wrapping `node:fs`
 * before the engine is loaded.
 */
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Result } from '../src/suppress/result.js';

const require = createRequire(import.meta.url);
const realFs = require('node:fs') as typeof fs;

// ---- recording every path the engine opens, reads, lists or stats ---------------------------
const touched: { op: string; path: string }[] = [];
const WRAPPED = ['readFileSync', 'openSync', 'readdirSync', 'statSync', 'lstatSync', 'readFile', 'open', 'readdir', 'createReadStream', 'readSync', 'fstatSync'] as const;
const originals: Record<string, unknown> = {};
/** Paths of the descriptors `openSync` returned, so that reads through a descriptor are recorded by path. */
const openFds = new Map<number, string>();
for (const name of WRAPPED) {
  const orig = (realFs as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
  originals[name] = orig;
  (realFs as unknown as Record<string, unknown>)[name] = function (this: unknown, p: unknown, ...rest: unknown[]) {
    let where: string | null = null;
    if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) where = path.resolve(String(p instanceof URL ? p.pathname : p));
    else if (typeof p === 'number') where = openFds.get(p) ?? null;
    if (where !== null) touched.push({ op: name, path: where });
    const out = orig.call(this, p, ...rest);
    if (name === 'openSync' && typeof out === 'number' && where !== null) openFds.set(out, where);
    return out;
  };
}
syncBuiltinESMExports();

type Engine = typeof import('../src/engine.js');
type Reporters = {
  annotations: typeof import('../src/report/annotations.js').annotations;
  toText: typeof import('../src/report/text.js').toText;
  toSummary: typeof import('../src/report/summary.js').toSummary;
  SUMMARY_LIMIT: number;
  RULES: typeof import('../src/rules/index.js').RULES;
  discover: typeof import('../src/discover/repo.js').discover;
  LIMITS: typeof import('../src/discover/repo.js').LIMITS;
};
let engine: Engine;
let rep: Reporters;

const EVIL = '::error file=x::pwned ##[add-mask]secret ::set-output name=result::pass %0A::warning::x';
const CANARY = 'CANARY-OUTSIDE-THE-ROOT-7f3a';

let base: string; // holds `outside/` and `repo/`
let root: string;
let outside: string;
let result: Result;
let second: Result;
let readsDuringLint: { op: string; path: string }[];

function write(rel: string, data: string | Buffer): void {
  const p = path.join(root, rel);
  realFs.mkdirSync(path.dirname(p), { recursive: true });
  realFs.writeFileSync(p, data);
}

beforeAll(async () => {
  base = realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-'));
  base = realFs.realpathSync(base);
  root = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  realFs.mkdirSync(root);
  realFs.mkdirSync(outside);

  // Outside the root: files that would produce findings naming the canary if they were read.
  realFs.writeFileSync(path.join(outside, 'Procfile'), `web: python manage.py runserver ${CANARY}\n`);
  realFs.writeFileSync(path.join(outside, 'start.sh'), `#!/bin/sh\nexec python manage.py runserver ${CANARY}\n`);
  realFs.writeFileSync(path.join(outside, 'app.service'), `[Service]\nExecStart=/usr/bin/python manage.py runserver ${CANARY}\n`);

  // Code that must never run: each leaves a marker file when executed or imported.
  const marker = (name: string) => `import pathlib; pathlib.Path(${JSON.stringify(path.join(base, name))}).write_text("ran")\n`;
  write('manage.py', `#!/usr/bin/env python\n${marker('ran-manage')}import django\n`);
  write('setup.py', marker('ran-setup'));
  write('proj/__init__.py', '');
  write('proj/settings.py', `${marker('ran-settings')}STATIC_ROOT = "staticfiles"\n`);
  write('proj/wsgi.py', `${marker('ran-wsgi')}from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n`);
  write('requirements.txt', 'Django\ngunicorn\n');

  // Symbolic links out of the root.
  realFs.symlinkSync(path.join(outside, 'Procfile'), path.join(root, 'Procfile'));
  realFs.symlinkSync('/', path.join(root, 'rootlink'));
  realFs.mkdirSync(path.join(root, 'bin'));
  realFs.symlinkSync(path.join(outside, 'start.sh'), path.join(root, 'bin', 'outside-start'));
  realFs.mkdirSync(path.join(root, 'deploy'));
  realFs.symlinkSync(path.join(outside, 'app.service'), path.join(root, 'deploy', 'app.service'));
  realFs.symlinkSync(outside, path.join(root, 'linked-dir'));

  // File names with a line break and `::`; contents full of workflow commands, HTML, Markdown.
  write('bin/a\n::error::newline-in-name', `#!/bin/sh\nexec python manage.py runserver "${EVIL}"\n`);
  write(`bin/::set-output name=x::y`, `#!/bin/sh\necho "${EVIL}"\nexec gunicorn proj.wsgi --bind 0.0.0.0:8000\n`);
  write(
    'Dockerfile',
    [
      'FROM python:3.12',
      'WORKDIR /app',
      'COPY . /app',
      `RUN echo "${EVIL}" && python manage.py collectstatic --noinput`,
      `ENV NOTE="<script>alert(1)</script> | x | [link](javascript:alert(1)) @team :tada:"`,
      `CMD ["python", "manage.py", "runserver", "0.0.0.0:8000", "${EVIL}", "<img src=x onerror=alert(1)>|x|"]`,
      '',
    ].join('\n'),
  );
  // Scripts that call each other in a cycle, and a chain deeper than the resolver's bound.
  write('bin/ping', '#!/bin/sh\nexec ./bin/pong\n');
  write('bin/pong', '#!/bin/sh\nexec ./bin/ping\n');
  for (let i = 0; i < 40; i++) write(`chain/s${i}`, `#!/bin/sh\nexec ./chain/s${i + 1}\n`);
  write('chain/s40', '#!/bin/sh\nexec python manage.py runserver\n');
  realFs.chmodSync(path.join(root, 'chain'), 0o755);
  write(
    'docker-compose.yml',
    [
      'services:',
      '  web:',
      '    build: .',
      '    command: ./bin/outside-start',
      '  worker:',
      '    build: .',
      '    command: ./bin/ping',
      '  deep:',
      '    build: .',
      '    command: ./chain/s0',
      '  evil:',
      '    build: .',
      `    command: ["./bin/a\\n::error::newline-in-name", "::set-output name=y::z"]`,
      '',
    ].join('\n'),
  );

  // Limits: a file over the size bound, a binary file, invalid UTF-8, YAML alias bombs.
  write('big/docker-compose.yml', 'services:\n  web:\n    command: gunicorn proj.wsgi\n' + `# ${'x'.repeat(100)}\n`.repeat(Math.ceil((1024 * 1024 + 10) / 103)));
  write('binary/Dockerfile', Buffer.concat([Buffer.from('FROM python:3.12\n'), Buffer.alloc(64), Buffer.from([1, 2, 0xff]), Buffer.from('\nCMD ["gunicorn"]\n')]));
  write('invalid/bin/run', Buffer.concat([Buffer.from('#!/bin/sh\nexec gunicorn proj.wsgi '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n')]));
  write('invalid/Procfile', 'web: ./bin/run\n');
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
  // A billion laughs through merge keys: every level merges the previous one nine times.
  const mapBomb = ['x-a: &a {lol: 1}'];
  for (let i = 0; i < 9; i++) mapBomb.push(`x-${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} {<<: [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]}`);
  write('bomb/docker-compose.yml', `${mapBomb.join('\n')}\nservices:\n  web:\n    <<: *j\n    command: gunicorn proj.wsgi\n`);
  write('environment.yml', `${bomb.join('\n')}\ndependencies: *j\n`);

  const mod = await import('../src/engine.js');
  const annotationsMod = await import('../src/report/annotations.js');
  const textMod = await import('../src/report/text.js');
  const summaryMod = await import('../src/report/summary.js');
  const rulesMod = await import('../src/rules/index.js');
  const repoMod = await import('../src/discover/repo.js');
  engine = mod;
  rep = {
    annotations: annotationsMod.annotations,
    toText: textMod.toText,
    toSummary: summaryMod.toSummary,
    SUMMARY_LIMIT: summaryMod.SUMMARY_LIMIT,
    RULES: rulesMod.RULES,
    discover: repoMod.discover,
    LIMITS: repoMod.LIMITS,
  };
  // Load the grammars before recording (they are read from this project, not from the repo).
  await (await import('../src/parse/treesitter.js')).loadGrammars(['bash', 'python']);
  touched.length = 0;
  result = await engine.lint(root);
  readsDuringLint = [...touched];
  second = await engine.lint(root);
}, 60_000);

afterAll(() => {
  for (const name of WRAPPED) (realFs as unknown as Record<string, unknown>)[name] = originals[name];
  syncBuiltinESMExports();
  if (base) realFs.rmSync(base, { recursive: true, force: true });
});

const lines = (r: Result) => r.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${f.message}`);

describe('a hostile repository', () => {
  test('the fs recorder works (it saw the engine read the Dockerfile)', () => {
    expect(readsDuringLint.some((t) => t.path === path.join(root, 'Dockerfile'))).toBe(true);
  });

  test('zero reads or listings outside the root', () => {
    const bad = readsDuringLint.filter((t) => t.path !== root && !t.path.startsWith(root + path.sep));
    expect(bad).toEqual([]);
    // Not even through a link: nothing under the linked folder or `/` was opened or listed.
    expect(readsDuringLint.filter((t) => /\/(rootlink|linked-dir)(\/|$)/.test(t.path) && t.op !== 'statSync')).toEqual([]);
    const all = JSON.stringify(result);
    expect(all).not.toContain(CANARY);
  });

  test('links out of the root are said once, as a notice naming them', () => {
    const notices = result.findings.filter((f) => /outside the scanned root/.test(f.message));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ ruleId: 'DPL001', severity: 'notice', line: 1, column: 1 });
    for (const f of ['Procfile', 'bin/outside-start', 'deploy/app.service']) expect(notices[0].message).toContain(`\`${f}\``);
  });

  test('no code of the repository ran', () => {
    for (const m of ['ran-manage', 'ran-setup', 'ran-settings', 'ran-wsgi']) expect(realFs.existsSync(path.join(base, m))).toBe(false);
  });

  test('the run is correct: runserver behind the hostile script name is the one error; limits are DPL001 findings', () => {
    const l = lines(result);
    // The compose service `evil` runs the script whose name holds a line break and `::`.
    expect(l).toContainEqual(expect.stringMatching(/^bin\/a\n::error::newline-in-name:2:6: error DPL101 service `evil` of docker-compose\.yml starts `python manage\.py runserver /));
    expect(l).toContainEqual(expect.stringMatching(/^bin\/pong:2:6: notice DPL002 .*a cycle/));
    // A production deployment file skipped (too large, binary) is an error: padding must not bypass the checks.
    expect(l).toContainEqual(expect.stringMatching(/^big\/docker-compose\.yml:1:1: error DPL001 .*over the \d+-byte limit; it was not read/));
    expect(l).toContainEqual(expect.stringMatching(/^binary\/Dockerfile:1:1: error DPL001 .*binary file/));
    // A script with invalid bytes is read leniently (U+FFFD), and said.
    expect(l).toContainEqual('invalid/bin/run:1:1: warning DPL001 invalid/bin/run is not valid UTF-8: the invalid bytes were read as U+FFFD and the rest was checked');
    // The alias bomb is refused by the compose reader's alias bound, not expanded.
    expect(l).toContainEqual(expect.stringMatching(/^bomb\/docker-compose\.yml:\d+:\d+: warning DPL001 too many YAML aliases/));
    // The deep chain ends in a bounded "stopped following" notice, not a hang.
    expect(l).toContainEqual(expect.stringMatching(/^chain\/s15:2:6: notice DPL002 .*more than 16 nested scripts/));
    // Nothing else is an error: the other findings are the bounds and refusals above.
    expect(result.findings.filter((f) => f.severity === 'error' && f.ruleId !== 'DPL001')).toHaveLength(1);
    expect(result.findings.filter((f) => f.severity === 'error' && f.ruleId === 'DPL001').map((f) => f.file)).toEqual(['big/docker-compose.yml', 'binary/Dockerfile']);
  });

  test('the too-large file was never read whole', () => {
    // Opened and measured (fstat), then closed: not one byte of it read.
    const big = readsDuringLint.filter((t) => t.path === path.join(root, 'big', 'docker-compose.yml'));
    expect(big.map((t) => t.op)).toContain('fstatSync');
    expect(big.filter((t) => /^read/.test(t.op))).toEqual([]);
  });

  test('the output is deterministic', () => {
    expect(JSON.stringify({ ...second, stats: null })).toBe(JSON.stringify({ ...result, stats: null }));
  });

  test('no line printed for the runner can be read as a workflow command', () => {
    const text = rep.toText(result, { failOn: 'error' });
    for (const line of text.split(/\r\n|\r|\n/)) {
      expect(line).not.toMatch(/^\s*::/);
      expect(line).not.toContain('##[');
    }
    const anns = rep.annotations(result);
    expect(anns.length).toBe(result.findings.length);
    for (const a of anns) {
      expect(a).not.toMatch(/[\r\n]/);
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(a);
      expect(m).not.toBeNull();
      for (const kv of m![2].split(',')) expect(kv).toMatch(/^(file|line|endLine|col|endColumn|title)=[^,]*$/);
    }
    // The file whose name holds a line break is one escaped property, not a second line.
    expect(anns.filter((a) => a.startsWith('::error file=bin/a%0A%3A%3Aerror%3A%3Anewline-in-name,line=2,'))).toHaveLength(1);
  });

  test('the job summary escapes HTML and Markdown from the repository', () => {
    const md = rep.toSummary(result, { rules: rep.RULES, failOn: 'error', version: 'test' });
    expect(md).not.toMatch(/<(script|img)\b/i);
    expect(md).not.toContain('](javascript:');
    expect(md).not.toMatch(/^\s*::/m);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
      expect(line.slice(1, -1).split('|')).toHaveLength(5);
    }
  });

  test('a run past its time bound stops with a clear message', async () => {
    await expect(engine.lint(root, { deadlineMs: 0 })).rejects.toThrow(/stopped after 0 s, the run's time bound, while listing the files; nothing was reported/);
    const err = await engine.lint(root, { deadlineMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(engine.DeadlineError);
  });

  test('a read after the deadline is refused at once and stops the run at the next checkpoint', async () => {
    const repo = rep.discover(root);
    repo.deadline = { at: performance.now() - 1, expired: false };
    expect(repo.read('Dockerfile')).toMatchObject({ ok: false, reason: 'deadline' });
    expect(repo.deadline.expired).toBe(true);
    expect(repo.issues).toEqual([]);
  });
});

describe('a repository with thousands of findings', () => {
  let many: string;
  let r: Result;
  beforeAll(async () => {
    many = realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-many-'));
    const body: string[] = [];
    // Each bad line is a DPL001 finding; the file names carry Markdown and HTML.
    for (let i = 0; i < 6000; i++) body.push(`not a process line <b>${i}</b> | ${EVIL}`);
    realFs.writeFileSync(path.join(many, 'Procfile'), body.join('\n') + '\nweb: python manage.py runserver\n');
    realFs.writeFileSync(path.join(many, 'manage.py'), 'import django\n');
    r = await engine.lint(many);
  }, 60_000);
  afterAll(() => realFs.rmSync(many, { recursive: true, force: true }));

  test('the summary stays under 1 MiB and says honestly how many findings it left out', () => {
    expect(r.findings.length).toBeGreaterThan(6000);
    const md = rep.toSummary(r, { rules: rep.RULES, failOn: 'error', version: 'test' });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(rep.SUMMARY_LIMIT);
    const m = /\*\*… ([\d,]+) more findings? not shown\*\*/.exec(md);
    expect(m).not.toBeNull();
    const shown = md.split('\n').filter((l) => /^- .*DPL\d{3}|^- /.test(l) && /Procfile/.test(l)).length;
    expect(shown + Number(m![1].replace(/,/g, ''))).toBe(r.findings.length);
  });
});

// ---- issue 16: the time bound holds inside a parse ------------------------------------------
// Inputs on which a parser is super-linear (each took from seconds to minutes at full size before
// the bound held inside parses); scaled so that each unbounded run takes several seconds here,
// and run with a short deadline: the run must end within the deadline plus one second.
const DEADLINE_MS = 300;
const PATHOLOGICAL: Record<string, Record<string, string>> = {
  'settings.py of backslash lines': {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': '\\\n'.repeat(30_000),
    Procfile: 'web: gunicorn proj.wsgi\n',
  },
  'a Procfile line of `<` after runserver': { 'manage.py': 'import django\n', Procfile: `web: python manage.py runserver ${'<'.repeat(16_000)}\n` },
  'a render.yaml startCommand of `"`': { 'manage.py': 'import django\n', 'render.yaml': `services:\n  - type: web\n    name: x\n    startCommand: ${'"'.repeat(60_000)}\n` },
  'a compose command of `[`': { 'manage.py': 'import django\n', 'docker-compose.yml': `services:\n  web:\n    command: ${'['.repeat(200_000)}\n` },
  'a Dockerfile CMD of tabs': { 'manage.py': 'import django\n', Dockerfile: `FROM python:3.12\nCMD gunicorn ${'\t'.repeat(40_000)} proj.wsgi\n` },
};

describe('the time bound holds inside a parse', () => {
  for (const [name, files] of Object.entries(PATHOLOGICAL)) {
    test(`${name}: ends within the deadline plus one second`, async () => {
      const dir = realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-slow-'));
      try {
        for (const [f, text] of Object.entries(files)) {
          realFs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          realFs.writeFileSync(path.join(dir, f), text);
        }
        const t0 = performance.now();
        const outcome = await engine.lint(dir, { deadlineMs: DEADLINE_MS }).catch((e: unknown) => e);
        const ms = performance.now() - t0;
        expect(ms).toBeLessThan(DEADLINE_MS + 1000);
        // Either the run finished in time, or it stopped with the clear "stopped after" error.
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(engine.DeadlineError);
          expect(outcome.message).toMatch(/^stopped after 0\.3 s, the run's time bound/);
        }
      } finally {
        realFs.rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  }

  test('a text over its kind\'s parse cap is not parsed, and says so', async () => {
    const { PARSE_LIMITS } = await import('../src/parse/limits.js');
    const { parseShell } = await import('../src/parse/shell.js');
    const { parsePython } = await import('../src/parse/python.js');
    const script = parseShell('echo x\n'.repeat(Math.ceil(PARSE_LIMITS.script / 7) + 1), 'run.sh');
    expect(script.errors.map((e) => e.message)).toEqual([expect.stringMatching(/over the \d+-character limit for a shell script; it was not parsed/)]);
    const mod = parsePython('X = 1\n'.repeat(Math.ceil(PARSE_LIMITS.python / 6) + 1), 'settings.py');
    expect(mod?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^settings\.py is \d+ characters, over the \d+-character limit for a Python module/)]);
    mod?.dispose();
  });
});

// ---- issue 16: what the action and the CLI write, and the files their inputs name ------------
/** Runs the action in this process on `workspace` with `inputs`; its stdout, and the failure it set. */
async function runAction(workspace: string, inputs: Record<string, string>): Promise<{ stdout: string; failed: boolean; outputs: string }> {
  const { inputEnvName } = await import('../src/action/inputs.js');
  const { run } = await import('../src/main.js');
  const tmp = realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-action-'));
  const saved = { ...process.env };
  const savedExit = process.exitCode;
  const given: Record<string, string> = { path: '.', 'fail-on': 'never', 'check-run': 'false', comment: 'off', token: '', config: '', baseline: '', 'sarif-file': '', ...inputs };
  for (const [k, v] of Object.entries(given)) process.env[inputEnvName(k)] = v;
  Object.assign(process.env, { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: tmp, GITHUB_OUTPUT: path.join(tmp, 'output') });
  delete process.env.GITHUB_STEP_SUMMARY;
  realFs.writeFileSync(path.join(tmp, 'output'), '');
  let stdout = '';
  const write = process.stdout.write;
  process.stdout.write = ((s: string | Uint8Array) => {
    stdout += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
    return { stdout, failed: process.exitCode === 1, outputs: realFs.readFileSync(path.join(tmp, 'output'), 'utf8') };
  } finally {
    process.stdout.write = write;
    process.exitCode = savedExit;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    realFs.rmSync(tmp, { recursive: true, force: true });
  }
}

describe('writes stay in the workspace, through no symbolic link', () => {
  let ws: string; // the workspace: a small Django repo
  let elsewhere: string; // outside it
  const VICTIM = 'export SECRET=1 # a file outside the workspace\n';
  beforeEach(() => {
    const b = realFs.realpathSync(realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-write-')));
    ws = path.join(b, 'ws');
    elsewhere = path.join(b, 'elsewhere');
    realFs.mkdirSync(ws);
    realFs.mkdirSync(elsewhere);
    realFs.writeFileSync(path.join(ws, 'manage.py'), 'import django\n');
    realFs.writeFileSync(path.join(ws, 'Procfile'), 'web: python manage.py runserver\n');
    realFs.writeFileSync(path.join(elsewhere, '.bashrc'), VICTIM);
  });
  afterEach(() => realFs.rmSync(path.dirname(ws), { recursive: true, force: true }));

  test('sarif-file that the PR made a link to a file outside: refused, the file untouched', async () => {
    realFs.symlinkSync(path.join(elsewhere, '.bashrc'), path.join(ws, 'results.sarif'));
    const r = await runAction(ws, { 'sarif-file': 'results.sarif' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/::error::Input 'sarif-file': refused to write results\.sarif: results\.sarif is a symbolic link/);
    expect(realFs.readFileSync(path.join(elsewhere, '.bashrc'), 'utf8')).toBe(VICTIM);
    expect(realFs.lstatSync(path.join(ws, 'results.sarif')).isSymbolicLink()).toBe(true);
  });

  test('sarif-file in a folder that the PR made a link to a folder outside: refused, nothing written there', async () => {
    realFs.symlinkSync(elsewhere, path.join(ws, 'reports'));
    const r = await runAction(ws, { 'sarif-file': 'reports/x.sarif' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/refused to write reports\/x\.sarif: reports is a symbolic link/);
    expect(realFs.readdirSync(elsewhere)).toEqual(['.bashrc']);
  });

  test('sarif-file outside the workspace by its own value: refused', async () => {
    const r = await runAction(ws, { 'sarif-file': '../elsewhere/x.sarif' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/refused to write \.\.\/elsewhere\/x\.sarif: it is not inside the workspace/);
    expect(realFs.readdirSync(elsewhere)).toEqual(['.bashrc']);
  });

  test('a plain sarif-file is written, its folders created; an existing regular file is replaced', async () => {
    realFs.mkdirSync(path.join(ws, 'out'));
    realFs.writeFileSync(path.join(ws, 'out', 'old.sarif'), 'old');
    const r = await runAction(ws, { 'sarif-file': 'out/new/r.sarif' });
    expect(r.failed).toBe(false);
    expect(JSON.parse(realFs.readFileSync(path.join(ws, 'out', 'new', 'r.sarif'), 'utf8')).version).toBe('2.1.0');
    await runAction(ws, { 'sarif-file': 'out/old.sarif' });
    expect(realFs.readFileSync(path.join(ws, 'out', 'old.sarif'), 'utf8')).toMatch(/^\{/);
    // No temporary file left behind.
    expect(realFs.readdirSync(path.join(ws, 'out')).sort()).toEqual(['new', 'old.sarif']);
  });

  test('--write-baseline through a link: refused, the file untouched', async () => {
    const { cli } = await import('../src/cli.js');
    realFs.symlinkSync(path.join(elsewhere, '.bashrc'), path.join(ws, 'baseline.json'));
    realFs.symlinkSync(elsewhere, path.join(ws, 'linked'));
    let err = '';
    const io = { stdout: () => {}, stderr: (s: string) => void (err += s), isTTY: false, env: {}, cwd: ws };
    expect(await cli(['--write-baseline', 'baseline.json', '.'], io)).toBe(2);
    expect(err).toMatch(/cannot write the baseline baseline\.json: refused to write baseline\.json: baseline\.json is a symbolic link/);
    expect(await cli(['--write-baseline', 'linked/b.json', '.'], io)).toBe(2);
    expect(await cli(['--write-baseline', path.join(elsewhere, 'b.json'), '.'], io)).toBe(2);
    expect(realFs.readdirSync(elsewhere)).toEqual(['.bashrc']);
    expect(realFs.readFileSync(path.join(elsewhere, '.bashrc'), 'utf8')).toBe(VICTIM);
    // And a plain path is written.
    expect(await cli(['--write-baseline', 'b/base.json', '--fail-on', 'never', '.'], io)).toBe(0);
    expect(JSON.parse(realFs.readFileSync(path.join(ws, 'b', 'base.json'), 'utf8')).findings.length).toBeGreaterThan(0);
  });

  test('a `path` input that the PR made a link to a folder outside: refused', async () => {
    realFs.writeFileSync(path.join(elsewhere, 'Procfile'), `web: python manage.py runserver ${CANARY}\n`);
    realFs.symlinkSync(elsewhere, path.join(ws, 'app'));
    const r = await runAction(ws, { path: 'app' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/::error::Input 'path' leads outside the workspace .*: app; refused\./);
    expect(r.stdout).not.toContain(CANARY);
    // A link inside the workspace is fine.
    realFs.mkdirSync(path.join(ws, 'real'));
    realFs.symlinkSync(path.join(ws, 'real'), path.join(ws, 'inside'));
    expect((await runAction(ws, { path: 'inside' })).failed).toBe(false);
  });

  test('config and baseline inputs are read like repository files: no device, no FIFO, nothing outside, no content in errors', async () => {
    realFs.symlinkSync('/dev/zero', path.join(ws, 'zero.yml'));
    realFs.symlinkSync('/proc/self/environ', path.join(ws, 'env.json'));
    realFs.symlinkSync('/dev/stdin', path.join(ws, 'stdin.json'));
    realFs.writeFileSync(path.join(ws, 'bad.json'), `SECRET_TOKEN=${CANARY}\n`);
    realFs.writeFileSync(path.join(elsewhere, 'base.json'), '{"version": 1, "findings": []}');
    realFs.symlinkSync(path.join(elsewhere, 'base.json'), path.join(ws, 'out.json'));
    const t0 = performance.now();
    const zero = await runAction(ws, { config: 'zero.yml' });
    expect(zero.failed).toBe(true);
    expect(zero.stdout).toMatch(/outside the workspace|not a regular file/);
    for (const [name, why] of [
      ['env.json', /outside the workspace/],
      ['stdin.json', /outside the workspace|not a regular file/],
      ['out.json', /outside the workspace/],
      ['../elsewhere/base.json', /not inside the workspace/],
      ['bad.json', /bad\.json is not valid JSON/],
    ] as const) {
      const r = await runAction(ws, { baseline: name });
      expect(r.failed).toBe(true);
      expect(r.stdout).toMatch(why);
      expect(r.stdout).not.toContain(CANARY);
      expect(r.stdout).not.toMatch(/PATH=|HOME=/);
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

// ---- issue 16: a checkout whose .git is hostile ------------------------------------------------
describe('an untrusted .git', () => {
  let dir: string;
  const git = (...args: string[]) => require('node:child_process').execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
  beforeEach(() => {
    dir = realFs.realpathSync(realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-git-')));
  });
  afterEach(() => realFs.rmSync(dir, { recursive: true, force: true }));

  test('repository-configured commands never run when git lists the files', async () => {
    realFs.writeFileSync(path.join(dir, 'manage.py'), 'import django\n');
    realFs.writeFileSync(path.join(dir, 'Procfile'), 'web: python manage.py runserver\n');
    git('init', '-q');
    // A split index: what a hand-written index reader would leave to git (issue 16's reproduction).
    git('config', 'core.splitIndex', 'true');
    git('add', '.');
    const marker = path.join(dir, 'ran');
    const cmd = `touch ${marker}; echo`;
    // Every setting that makes git spawn a program, pointed at a command that leaves a marker.
    for (const [k, v] of [['core.fsmonitor', cmd], ['core.pager', cmd], ['pager.ls-files', cmd], ['core.hooksPath', dir], ['core.sshCommand', cmd], ['credential.helper', `!${cmd}`]]) git('config', k, v);
    realFs.writeFileSync(path.join(dir, 'post-index-change'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const r = await engine.lint(dir);
    expect(realFs.existsSync(marker)).toBe(false);
    expect(r.findings.map((f) => `${f.file} ${f.ruleId}`)).toContain('Procfile DPL101');
  });

  test('git listing nothing while deployment files are on disk is said, and the files are checked', async () => {
    realFs.writeFileSync(path.join(dir, 'manage.py'), 'import django\n');
    realFs.writeFileSync(path.join(dir, 'Procfile'), 'web: python manage.py runserver\n');
    git('init', '-q'); // nothing added: git lists no file
    const r = await engine.lint(dir);
    const lines = r.findings.map((f) => `${f.file} ${f.ruleId} ${f.message}`);
    expect(lines).toContainEqual(expect.stringMatching(/^\.git DPL001 git lists no tracked file in this checkout, but 2 files are on disk: they were checked instead/));
    expect(lines).toContainEqual(expect.stringMatching(/^Procfile DPL101 /));
    expect(r.targets.length).toBeGreaterThan(0);
  });
});

// ---- issue 16: paths that leave the repository by their value; names no encoding carries ------
describe('compose extends.file naming an absolute path', () => {
  let dir: string;
  beforeAll(() => {
    dir = realFs.realpathSync(realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-abs-')));
    realFs.writeFileSync(path.join(dir, 'manage.py'), 'import django\n');
    realFs.writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      'services:\n  web:\n    extends:\n      file: /etc/passwd\n      service: web\n  api:\n    extends:\n      file: "/\\ud800.yml"\n      service: x\n',
    );
  });
  afterAll(() => realFs.rmSync(dir, { recursive: true, force: true }));

  test('is said as what it is, at the line that names it, inside the repository', async () => {
    const r = await engine.lint(dir);
    const l = lines(r);
    expect(l).toContain('docker-compose.yml:4:7: warning DPL001 extends file `/etc/passwd` is an absolute path; it was not read (the linter reads only the checked-out repository)');
    expect(l).toContainEqual(expect.stringMatching(/^docker-compose\.yml:8:7: warning DPL001 extends file `\/\uFFFD?\uD800?\.yml` is an absolute path/));
    expect(l.filter((x) => /symbolic link/.test(x))).toEqual([]);
    expect(r.findings.every((f) => !f.file.startsWith('/') && !f.file.startsWith('..'))).toBe(true);
  });

  test('every format of the CLI prints it (a lone surrogate in a URI does not crash SARIF)', async () => {
    const { cli } = await import('../src/cli.js');
    for (const format of ['sarif', 'json', 'text', 'github']) {
      let out = '';
      let err = '';
      const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s), isTTY: false, env: {}, cwd: dir };
      expect([format, await cli(['--format', format, '--fail-on', 'never', '.'], io), err]).toEqual([format, 0, '']);
      expect(out).toContain('extends file');
    }
  });
});

// ---- issue 16: a deployment file made unreadable must not hide from the checks ---------------
describe('deployment files made hard to read', () => {
  const cases: Record<string, { files: Record<string, string | Buffer>; expect: RegExp[] }> = {
    'a Procfile with an invalid UTF-8 byte in a comment': {
      files: { Procfile: Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nweb: python manage.py runserver\n')]) },
      expect: [/^Procfile:2:6: error DPL101 /, /^Procfile:1:1: warning DPL001 Procfile is not valid UTF-8: the invalid bytes were read as U\+FFFD/],
    },
    'a Dockerfile with a NUL in a comment': {
      files: { Dockerfile: 'FROM python:3.12\n# a\0b\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n' },
      expect: [/^Dockerfile:3:\d+: error DPL101 /, /^Dockerfile:1:1: warning DPL001 Dockerfile holds 1 NUL byte/],
    },
    'a Procfile padded past the size limit': {
      files: { Procfile: 'web: python manage.py runserver\n' + `# ${'x'.repeat(1000)}\n`.repeat(1100) },
      expect: [/^Procfile:1:1: error DPL001 Procfile is \d+ bytes, over the \d+-byte limit; it was not read/],
    },
    'a Procfile line padded past the command parse cap': {
      files: { Procfile: `web: python manage.py runserver ${'x'.repeat(20_000)}\n` },
      expect: [/^Procfile:1:6: error DPL001 this command is \d+ characters, over the \d+-character limit/],
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    test(`${name}: found, or an error`, async () => {
      const dir = realFs.mkdtempSync(path.join(os.tmpdir(), 'ddl-hostile-unreadable-'));
      try {
        realFs.writeFileSync(path.join(dir, 'manage.py'), 'import django\n');
        for (const [f, t] of Object.entries(c.files)) realFs.writeFileSync(path.join(dir, f), t);
        const r = await engine.lint(dir);
        for (const re of c.expect) expect(lines(r)).toContainEqual(expect.stringMatching(re));
        expect(r.summary.errors).toBeGreaterThan(0);
      } finally {
        realFs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
