/**
 * The scanned repository: which files exist and a bounded, root-confined way to read them.
 * Nothing here executes repository code; reads never leave the root (symlinks included).
 */
import { execFileSync } from 'node:child_process';
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

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'outside-root' | 'too-large' | 'binary' | 'invalid-utf8' | 'budget' | 'error'; message: string };

export interface RepoIssue {
  file: string;
  message: string;
}

export class Repo {
  readonly root: string;
  /** Every file, relative to the root, with `/`, sorted. */
  readonly files: readonly string[];
  private readonly fileSet: Set<string>;
  private readonly dirSet: Set<string>;
  private readonly cache = new Map<string, ReadResult>();
  private realRoot: string;
  private bytesRead = 0;
  /** Files that could not be read for a reason worth telling (outside root, too large, ...). */
  readonly issues: RepoIssue[] = [];
  readCount = 0;

  constructor(root: string, files: string[]) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync(this.root);
    this.files = [...files].sort();
    this.fileSet = new Set(this.files);
    this.dirSet = new Set();
    for (const f of this.files) {
      let d = path.posix.dirname(f);
      while (d !== '.' && !this.dirSet.has(d)) {
        this.dirSet.add(d);
        d = path.posix.dirname(d);
      }
    }
  }

  /** The same repository with only the files `keep` accepts (configuration `exclude`). */
  filtered(keep: (file: string) => boolean): Repo {
    return new Repo(this.root, this.files.filter(keep));
  }

  has(file: string): boolean {
    return this.fileSet.has(normalize(file));
  }

  hasDir(dir: string): boolean {
    const d = normalize(dir);
    return d === '' || d === '.' || this.dirSet.has(d);
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
    const res = this.readUncached(rel);
    this.cache.set(rel, res);
    if (!res.ok && res.reason !== 'missing') this.issues.push({ file: rel, message: res.message });
    return res;
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
  const abs = path.resolve(root);
  const st = fs.statSync(abs);
  if (!st.isDirectory()) throw new Error(`${root} is not a directory`);
  const fromGit = gitFiles(abs);
  return new Repo(abs, fromGit ?? walk(abs));
}

function gitFiles(abs: string): string[] | null {
  if (!fs.existsSync(path.join(abs, '.git'))) return null;
  try {
    const out = execFileSync('git', ['-C', abs, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      encoding: 'buffer',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    });
    const files = out.toString('utf8').split('\0').filter((f) => f.length > 0);
    // git lists deleted-but-tracked files too; they are dropped when read.
    return files.filter((f) => !f.split('/').some((seg) => SKIP_DIRS.has(seg) && seg !== 'env'));
  } catch {
    return null;
  }
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
