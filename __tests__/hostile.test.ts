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
import type { Result } from '../src/model/types.js';

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
  write('binary/Dockerfile', Buffer.concat([Buffer.from('FROM python:3.12\n'), Buffer.from([0, 1, 2, 0xff]), Buffer.from('\nCMD ["gunicorn"]\n')]));
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
    expect(l).toContainEqual(expect.stringMatching(/^big\/docker-compose\.yml:1:1: warning DPL001 .*over the \d+-byte limit; it was not read/));
    expect(l).toContainEqual(expect.stringMatching(/^binary\/Dockerfile:1:1: warning DPL001 .*binary file/));
    expect(l).toContainEqual('invalid/bin/run:1:1: warning DPL001 invalid/bin/run is not valid UTF-8');
    // The alias bomb is refused by the compose reader's alias bound, not expanded.
    expect(l).toContainEqual(expect.stringMatching(/^bomb\/docker-compose\.yml:\d+:\d+: warning DPL001 too many YAML aliases/));
    // The deep chain ends in a bounded "stopped following" notice, not a hang.
    expect(l).toContainEqual(expect.stringMatching(/^chain\/s15:2:6: notice DPL002 .*more than 16 nested scripts/));
    // Nothing else is an error: the other findings are the bounds and refusals above.
    expect(result.findings.filter((f) => f.severity === 'error')).toHaveLength(1);
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
