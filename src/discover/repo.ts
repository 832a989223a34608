/**
 * The scanned repository: which files exist and a bounded, root-confined way to read them.
 * Nothing here executes repository code; reads never leave the root (symlinks included).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LIMITS = {
  /** Files larger than this are not read (reported once). */
  maxFileBytes: 1024 * 1024,
  /** Total bytes read in one run. */
  maxTotalBytes: 64 * 1024 * 1024,
  /** Files listed by the walk when the root is not a git checkout. */
  maxWalkFiles: 500_000,
};

const SKIP_DIRS = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  'env',
  '.env',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.hg',
  '.svn',
]);

export type ReadFailure = 'missing' | 'outside-root' | 'too-large' | 'binary' | 'invalid-utf8' | 'budget' | 'deadline' | 'error';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: ReadFailure; message: string };

export interface RepoIssue {
  file: string;
  message: string;
  reason: ReadFailure;
}

/** The run's time bound (SPEC §8): once `at` (a `performance.now()` value) is past, nothing more is read. */
export interface Deadline {
  at: number;
  /** Set by the first read refused because the time is up. */
  expired: boolean;
}

export class Repo {
  readonly root: string;
  /** Every file, relative to the root, with `/`, sorted. */
  readonly files: readonly string[];
  private readonly fileSet: Set<string>;
  /** Directories holding files, built on first `hasDir` (most runs never ask). */
  private dirSet: Set<string> | null = null;
  /** Files by base name, built on first `named` call. */
  private byName: Map<string, string[]> | null = null;
  /** Files by directory (`''` for the root), built on first `filesIn` call. */
  private byDir: Map<string, string[]> | null = null;
  private readonly cache = new Map<string, ReadResult>();
  private realRoot: string;
  private bytesRead = 0;
  /** Files that could not be read for a reason worth telling (outside root, too large, ...). */
  readonly issues: RepoIssue[] = [];
  readCount = 0;
  /** Shared by `filtered()` copies; the engine sets it and checks `expired` between stages. */
  deadline: Deadline | null = null;

  constructor(root: string, files: string[]) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync(this.root);
    // `git ls-files` lists in byte order, which is code-unit order for the usual names: sorting
    // is skipped when the list already is in order (a 100,000-file sort costs ~50 ms).
    this.files = isSorted(files) ? files.slice() : [...files].sort();
    this.fileSet = new Set(this.files);
  }

  private dirs(): Set<string> {
    if (this.dirSet) return this.dirSet;
    const dirs = new Set<string>();
    for (const f of this.files) {
      let end = f.lastIndexOf('/');
      while (end > 0) {
        const d = f.slice(0, end);
        if (dirs.has(d)) break;
        dirs.add(d);
        end = f.lastIndexOf('/', end - 1);
      }
    }
    return (this.dirSet = dirs);
  }

  /**
   * Files whose base name is `name` (e.g. `manage.py`), sorted: an index built once, so looking
   * a name up does not scan every file of the repository again.
   */
  named(name: string): readonly string[] {
    if (!this.byName) {
      const index = new Map<string, string[]>();
      for (const f of this.files) {
        const base = f.slice(f.lastIndexOf('/') + 1);
        const list = index.get(base);
        if (list) list.push(f);
        else index.set(base, [f]);
      }
      this.byName = index;
    }
    return this.byName.get(name) ?? [];
  }

  /** Files directly in `dir` (`''` for the root), sorted: an index built once, like `named`. */
  filesIn(dir: string): readonly string[] {
    if (!this.byDir) {
      const index = new Map<string, string[]>();
      for (const f of this.files) {
        const d = f.slice(0, Math.max(0, f.lastIndexOf('/')));
        const list = index.get(d);
        if (list) list.push(f);
        else index.set(d, [f]);
      }
      this.byDir = index;
    }
    const d = normalize(dir);
    return this.byDir.get(d === '.' ? '' : d) ?? [];
  }

  /** The same repository with only the files `keep` accepts (configuration `exclude`). */
  filtered(keep: (file: string) => boolean): Repo {
    const r = new Repo(this.root, this.files.filter(keep));
    r.deadline = this.deadline;
    return r;
  }

  has(file: string): boolean {
    return this.fileSet.has(normalize(file));
  }

  hasDir(dir: string): boolean {
    const d = normalize(dir);
    return d === '' || d === '.' || this.dirs().has(d);
  }

  /** Files directly or indirectly below `dir` (`''` for all). */
  under(dir: string): string[] {
    const d = normalize(dir);
    if (d === '' || d === '.') return [...this.files];
    const prefix = d + '/';
    return this.files.filter((f) => f.startsWith(prefix));
  }

  /** Read a file as UTF-8 text, confined to the root and bounded in size. */
  read(file: string): ReadResult {
    const rel = normalize(file);
    const cached = this.cache.get(rel);
    if (cached) return cached;
    if (this.deadline && (this.deadline.expired || performance.now() > this.deadline.at)) {
      // Past the run's time bound: refuse quickly (not cached, not an issue); the engine stops the run.
      this.deadline.expired = true;
      return { ok: false, reason: 'deadline', message: `${rel} was not read: the run's time bound is spent` };
    }
    const res = this.readUncached(rel);
    this.cache.set(rel, res);
    if (!res.ok && res.reason !== 'missing') this.issues.push({ file: rel, message: res.message, reason: res.reason });
    return res;
  }

  /** Files read so far as text, sorted (the suppress stage looks for pragmas in them). */
  readFiles(): string[] {
    return [...this.cache].filter(([, r]) => r.ok).map(([f]) => f).sort();
  }

  /** The text of a file, or null when it cannot be read (the reason is recorded). */
  text(file: string): string | null {
    const r = this.read(file);
    return r.ok ? r.text : null;
  }

  private readUncached(rel: string): ReadResult {
    if (rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) {
      return { ok: false, reason: 'outside-root', message: `${rel} is outside the scanned root` };
    }
    const abs = path.join(this.root, rel);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      return { ok: false, reason: 'missing', message: `${rel} does not exist` };
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
      return {
        ok: false,
        reason: 'outside-root',
        message: `${rel} is a symbolic link that leads outside the scanned root; it was not read`,
      };
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch (e) {
      return { ok: false, reason: 'error', message: `${rel} could not be read: ${(e as Error).message}` };
    }
    if (!st.isFile()) return { ok: false, reason: 'missing', message: `${rel} is not a regular file` };
    if (st.size > LIMITS.maxFileBytes) {
      return {
        ok: false,
        reason: 'too-large',
        message: `${rel} is ${st.size} bytes, over the ${LIMITS.maxFileBytes}-byte limit; it was not read`,
      };
    }
    if (this.bytesRead + st.size > LIMITS.maxTotalBytes) {
      return { ok: false, reason: 'budget', message: `${rel} was not read: the run's read budget is spent` };
    }
    let buf: Buffer;
    try {
      buf = fs.readFileSync(real);
    } catch (e) {
      return { ok: false, reason: 'error', message: `${rel} could not be read: ${(e as Error).message}` };
    }
    this.bytesRead += buf.length;
    this.readCount++;
    if (buf.includes(0)) return { ok: false, reason: 'binary', message: `${rel} is a binary file` };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      return { ok: false, reason: 'invalid-utf8', message: `${rel} is not valid UTF-8` };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  }
}

export function normalize(file: string): string {
  let f = file.replace(/\\/g, '/');
  f = path.posix.normalize(f);
  if (f.startsWith('./')) f = f.slice(2);
  if (f === '.') return '';
  return f.replace(/\/$/, '');
}

/** List the repository's files: `git ls-files` in a checkout, else a bounded walk. */
export function discover(root: string): Repo {
  const abs = checkedRoot(root);
  const fromGit = gitFiles(abs);
  return new Repo(abs, fromGit ?? walk(abs));
}

/**
 * `discover`, with git run asynchronously, so that the caller can do other work (load the WASM
 * grammars) while git lists the files.
 */
export async function discoverAsync(root: string): Promise<Repo> {
  const abs = checkedRoot(root);
  const fromGit = await gitFilesAsync(abs);
  return new Repo(abs, fromGit ?? walk(abs));
}

function checkedRoot(root: string): string {
  const abs = path.resolve(root);
  const st = fs.statSync(abs);
  if (!st.isDirectory()) throw new Error(`${root} is not a directory`);
  return abs;
}

// The tracked files, from the index: no walk of the work tree, so the cost follows the size of
// the index, not of the directories. (`--others --exclude-standard` would add untracked files
// at the price of reading every directory: 20-70 ms on a 5,600-file repo, 1.5-2 s on a
// 100,000-file one. A checkout in CI has none; locally, `git add` a new deployment file to
// have it checked.)
const GIT_ARGS = (abs: string) => ['-C', abs, 'ls-files', '-z', '--cached'];
const GIT_MAX_BYTES = 512 * 1024 * 1024;
const gitEnv = () => ({ ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' });
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path with a segment in SKIP_DIRS (but `env`, a common package name): one test per path. */
const SKIPPED_IN_GIT = new RegExp(`(?:^|/)(?:${[...SKIP_DIRS].filter((d) => d !== 'env').map(escapeRe).join('|')})(?:/|$)`);

function gitList(out: Buffer): string[] {
  const kept: string[] = [];
  let prev = '';
  for (const f of out.toString('utf8').split('\0')) {
    // Unmerged paths are listed once per stage, one after the other.
    if (f.length === 0 || f === prev) continue;
    prev = f;
    // git lists deleted-but-tracked files too; they are dropped when read.
    if (!SKIPPED_IN_GIT.test(f)) kept.push(f);
  }
  return kept;
}

function gitFiles(abs: string): string[] | null {
  if (!fs.existsSync(path.join(abs, '.git'))) return null;
  try {
    const out = execFileSync('git', GIT_ARGS(abs), {
      encoding: 'buffer',
      maxBuffer: GIT_MAX_BYTES,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitEnv(),
    });
    return gitList(out);
  } catch {
    return null;
  }
}

function gitFilesAsync(abs: string): Promise<string[] | null> {
  if (!fs.existsSync(path.join(abs, '.git'))) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    try {
      const child = spawn('git', GIT_ARGS(abs), { stdio: ['ignore', 'pipe', 'ignore'], env: gitEnv() });
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > GIT_MAX_BYTES) {
          over = true;
          child.kill();
        } else chunks.push(c);
      });
      child.on('error', () => resolve(null));
      child.on('close', (code) => resolve(code === 0 && !over ? gitList(Buffer.concat(chunks)) : null));
    } catch {
      resolve(null);
    }
  });
}

function isSorted(files: readonly string[]): boolean {
  for (let i = 1; i < files.length; i++) if (files[i - 1] > files[i]) return false;
  return true;
}

function walk(abs: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0 && out.length < LIMITS.maxWalkFiles) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(abs, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(child);
      } else if (e.isFile() || e.isSymbolicLink()) {
        // Symbolic links are listed (never followed as directories); reading checks the target.
        out.push(child);
      }
    }
  }
  return out;
}
