#!/usr/bin/env node
/**
 * Builds the real-repository trees of the bench (issue 17) from fetched snapshots, OUTSIDE this
 * repository: their files are never committed.
 *
 *   node scripts/bench-mono.mjs [--mirrors DIR] [--out DIR] [--fresh]
 *
 *   --mirrors DIR  where the bare snapshots are, one `<owner>+<name>/repo` (or `repo/.git`) each
 *                  (default: $DDL_MIRRORS, else /work/.mirror)
 *   --out DIR      the scratch folder (default: $DDL_BENCH_REAL, else <tmpdir>/ddl-bench-real)
 *   --fresh        rebuild even when a finished copy is there
 *
 * For each of the eight repositories below, the tree of HEAD of its snapshot is written into
 * `<out>/repos/<owner>+<name>` (a git repository of its own: `git add -A && git commit`), and into
 * `<out>/mono/<owner>+<name>`, one git repository holding all eight ("mono"). Prints the folders,
 * one a line, "mono" last: `node scripts/bench.mjs --repos $(node scripts/bench-mono.mjs)`.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REAL_REPOS = [
  'saleor+saleor',
  'wagtail+wagtail',
  'makeplane+plane',
  'DefectDojo+django-DefectDojo',
  'netbox-community+netbox',
  'readthedocs+readthedocs.org',
  'CenterForOpenScience+osf.io',
  'ansible+awx',
];
const VERSION = 1;

function args(argv) {
  const o = { mirrors: process.env.DDL_MIRRORS || '/work/.mirror', out: process.env.DDL_BENCH_REAL || path.join(os.tmpdir(), 'ddl-bench-real'), fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mirrors') o.mirrors = path.resolve(argv[++i]);
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return o;
}

const git = (cwd, a, opts = {}) =>
  execFileSync('git', ['-c', 'core.autocrlf=false', '-c', 'gc.auto=0', '-c', 'core.hooksPath=/dev/null', ...a], { cwd, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...opts });

function gitDir(mirrors, name) {
  const base = path.join(mirrors, name, 'repo');
  const dotgit = path.join(base, '.git');
  if (fs.existsSync(dotgit)) return dotgit;
  if (fs.existsSync(base)) return base;
  throw new Error(`no snapshot of ${name} under ${mirrors}`);
}

/**
 * The tree of HEAD of a snapshot, written into `dest` (`git ls-tree` and `git cat-file --batch`;
 * the snapshot may lack its largest blobs: those files are skipped, as the corpus scorer does).
 * Links are written as links, never followed.
 */
async function unpack(src, dest) {
  const ls = execFileSync('git', ['--git-dir', src, 'ls-tree', '-r', '-z', '--full-tree', 'HEAD'], { maxBuffer: 2 ** 31 });
  const entries = [];
  for (const rec of ls.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, kind, sha] = rec.slice(0, tab).split(' ');
    if (kind === 'blob') entries.push({ mode, sha, rel: rec.slice(tab + 1) });
  }
  const p = spawn('git', ['--git-dir', src, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  p.stdin.end(entries.map((e) => e.sha + '\n').join(''));
  let buf = Buffer.alloc(0);
  let i = 0;
  let skipped = 0;
  const made = new Set();
  const write = (e, data) => {
    const abs = path.join(dest, e.rel);
    const d = path.dirname(abs);
    if (!made.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      made.add(d);
    }
    if (e.mode === '120000') {
      try {
        fs.symlinkSync(data.toString('utf8'), abs);
      } catch {
        /* a link that cannot be made is left out */
      }
    } else {
      fs.writeFileSync(abs, data);
      if (e.mode === '100755') fs.chmodSync(abs, 0o755);
    }
  };
  for await (const chunk of p.stdout) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const head = buf.subarray(0, nl).toString('utf8').split(' ');
      if (head[1] === 'missing' || head.length < 3) {
        skipped++;
        i++;
        buf = buf.subarray(nl + 1);
        continue;
      }
      const size = Number(head[2]);
      if (buf.length < nl + 1 + size + 1) break;
      write(entries[i++], buf.subarray(nl + 1, nl + 1 + size));
      buf = buf.subarray(nl + 1 + size + 1);
    }
  }
  return skipped;
}

function commitAll(dir) {
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A', '-f']); // every file of the snapshot, even one its .gitignore names
  git(dir, ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '--no-verify', '-m', 'snapshot']);
}

export async function build(o) {
  const stamp = path.join(o.out, `.ok-v${VERSION}`);
  const repos = REAL_REPOS.map((n) => path.join(o.out, 'repos', n));
  const mono = path.join(o.out, 'mono');
  if (!o.fresh && fs.existsSync(stamp)) return [...repos, mono];
  fs.rmSync(o.out, { recursive: true, force: true });
  for (const n of REAL_REPOS) {
    const t = performance.now();
    const src = gitDir(o.mirrors, n);
    process.stderr.write(`${n}: `);
    const alone = path.join(o.out, 'repos', n);
    const skipped = await unpack(src, alone);
    fs.mkdirSync(mono, { recursive: true });
    execFileSync('cp', ['-a', alone, path.join(mono, n)]);
    commitAll(alone);
    process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s${skipped ? ` (${skipped} blobs missing from the snapshot, left out)` : ''}\n`);
  }
  commitAll(mono);
  fs.writeFileSync(stamp, 'ok\n');
  return [...repos, mono];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const d of await build(args(process.argv.slice(2)))) console.log(d);
  } catch (err) {
    console.error(`bench-mono failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
