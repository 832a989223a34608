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

export type ReadFailure = 'missing' | 'outside-root' | 'too-large' | 'binary' | 'invalid-utf8' | 'budget' | 'deadline' | 'error' | 'listing';

export type ReadResult =
  | { ok: true; text: string; note?: { reason: ReadFailure; message: string } }
  | { ok: false; reason: ReadFailure; message: string };

export interface RepoIssue {
  file: string;
  message: string;
  reason: ReadFailure;
}

/** The run's time bound (docs/architecture.md, "Bounds"): once `at` (a `performance.now()` value) is past, nothing more is read. */
export interface Deadline {
  at: number;
  /** Set by the first read refused because the time is up. */
  expired: boolean;
}

/**
 * A set of files a stage looks for across the whole repository (Procfiles, compose files, nginx
 * configurations...). `test` is the exact check; the other fields say, by name, which files it
 * can possibly accept, so that only those are tested: a 100,000-file monorepo holds a few dozen
 * deployment files, and scans cost what those cost, not what the repository's size costs.
 *
 * Every file `test` accepts must be among the candidates the fields give (its extension is in
 * `exts`, its base name starts with one of `prefixes`, or `dir` accepts its folder); the
 * test in __tests__/repo-select.test.ts checks this for every selector.
 */
export interface FileSelector {
  /** For messages and tests. */
  readonly name: string;
  /** Lower-case extensions of the base name, without the dot (`yml`); `''` for no extension. */
  readonly exts?: readonly string[];
  /** Lower-case beginnings of the base name (`procfile`, `dockerfile`). */
  readonly prefixes?: readonly string[];
  /**
   * Folders (repo-relative, `''` for the root) whose files are all candidates. Asked of every
   * folder holding files, with its whole path: to take a folder's sub-folders too, match the
   * name anywhere in the path (`/(^|\/)deploy\//.test(dir + '/')`).
   */
  readonly dir?: (dir: string) => boolean;
  /** The exact check, on the repo-relative path. */
  readonly test: (file: string) => boolean;
}

interface Index {
  /** File numbers (positions in `files`) by extension (see `extKey`). */
  byExt: Map<number, number[]>;
  /** File numbers by the first two characters of the lower-case base name (see `startKey`). */
  byStart: Map<number, number[]>;
  /**
   * Runs of consecutive files in the same folder: the folder and the number of its first file.
   * A folder's files are listed together unless a sub-folder sorts between them, so there are
   * about as many runs as folders.
   */
  runDirs: string[];
  runStarts: number[];
}

export class Repo {
  readonly root: string;
  /** Every file, relative to the root, with `/`, sorted (by UTF-16 code units). */
  readonly files: readonly string[];
  /** Name indexes, built in one pass on first use (see `index()`). */
  private idx: Index | null = null;
  /** Files directly in a folder, by folder, as asked (`filesIn`). */
  private readonly dirCache = new Map<string, readonly string[]>();
  private readonly namedCache = new Map<string, readonly string[]>();
  private readonly selectCache = new Map<FileSelector, readonly string[]>();
  private readonly cache = new Map<string, ReadResult>();
  private realRoot: string;
  /** Real paths of the folders reads went through (a folder's symlinks are resolved once). */
  private readonly realDirs = new Map<string, string | null>();
  private bytesRead = 0;
  /** Files that could not be read for a reason worth telling (outside root, too large, ...). */
  readonly issues: RepoIssue[] = [];
  readCount = 0;
  /** The size bound of one file, when not LIMITS.maxFileBytes (a named file: readNamedFile). */
  maxFileBytes: number | null = null;
  /** Shared by `filtered()` copies; the engine sets it and checks `expired` between stages. */
  deadline: Deadline | null = null;

  constructor(root: string, files: string[]) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync(this.root);
    // `git ls-files` lists in byte order, which is code-unit order for the usual names: sorting
    // is skipped when the list already is in order (a 100,000-file sort costs ~50 ms).
    this.files = isSorted(files) ? files : [...files].sort();
  }

  /**
   * One pass over the file list: files by extension, by the start of their base name, and the
   * runs of files of one folder. Lists of numbers, not of names, and numeric keys, so that the
   * pass allocates little: about 0.2 µs a file.
   */
  private index(): Index {
    if (this.idx) return this.idx;
    const byExt = new Map<number, number[]>();
    const byStart = new Map<number, number[]>();
    const runDirs: string[] = [];
    const runStarts: number[] = [];
    let lastDir = '';
    let lastLen = -1;
    const files = this.files;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const slash = f.lastIndexOf('/');
      const dot = f.lastIndexOf('.');
      const ext = dot > slash ? extKey(f, dot + 1) : 0;
      let list = byExt.get(ext);
      if (list === undefined) byExt.set(ext, [i]);
      else list.push(i);
      const start = startKey(f, slash + 1);
      list = byStart.get(start);
      if (list === undefined) byStart.set(start, [i]);
      else list.push(i);
      const dirLen = slash < 0 ? 0 : slash;
      if (dirLen !== lastLen || !f.startsWith(lastDir)) {
        lastDir = f.slice(0, dirLen);
        lastLen = dirLen;
        runDirs.push(lastDir);
        runStarts.push(i);
      }
    }
    return (this.idx = { byExt, byStart, runDirs, runStarts });
  }

  /** File numbers whose extension is `ext` (lower case, no dot). */
  private withExt(ext: string): readonly number[] {
    const { byExt } = this.index();
    const key = ext === '' ? 0 : extKey(ext, 0);
    const list = byExt.get(key) ?? [];
    if (key !== OTHER_EXT) return list;
    // An extension the numeric key cannot hold: compared in full.
    return list.filter((i) => {
      const f = this.files[i];
      return f.slice(f.lastIndexOf('.') + 1).toLowerCase() === ext;
    });
  }

  /**
   * Files whose base name is `name` (e.g. `manage.py`), sorted: looked up among the files with
   * that extension or the same start, whichever are fewer, once per name.
   */
  named(name: string): readonly string[] {
    const hit = this.namedCache.get(name);
    if (hit) return hit;
    const dot = name.lastIndexOf('.');
    const a = this.withExt(dot < 0 ? '' : name.slice(dot + 1).toLowerCase());
    const b = this.index().byStart.get(startKey(name, 0)) ?? [];
    const out: string[] = [];
    const suffix = '/' + name;
    for (const i of a.length <= b.length ? a : b) {
      const f = this.files[i];
      if (f === name || f.endsWith(suffix)) out.push(f);
    }
    this.namedCache.set(name, out);
    return out;
  }

  /**
   * The files a selector accepts, sorted: only the candidates its name fields give are tested.
   * Memoized per selector: every stage asking for Procfiles gets the same list.
   */
  select(sel: FileSelector): readonly string[] {
    const hit = this.selectCache.get(sel);
    if (hit) return hit;
    const { byStart, runDirs, runStarts } = this.index();
    const files = this.files;
    const test = sel.test;
    const out: string[] = [];
    // Candidates by extension are disjoint lists; by prefix or folder they may repeat: a set then.
    const seen = sel.prefixes?.length || sel.dir ? new Set<string>() : null;
    const consider = (f: string): void => {
      if (seen) {
        if (seen.has(f)) return;
        seen.add(f);
      }
      if (test(f)) out.push(f);
    };
    for (const e of sel.exts ?? []) for (const i of this.withExt(e)) consider(files[i]);
    for (const p of sel.prefixes ?? []) {
      for (const i of byStart.get(startKey(p, 0)) ?? []) {
        const f = files[i];
        const b = f.lastIndexOf('/') + 1;
        if (p.length <= 2 || f.slice(b, b + p.length).toLowerCase() === p) consider(f);
      }
    }
    if (sel.dir) {
      for (let r = 0; r < runDirs.length; r++) {
        if (!sel.dir(runDirs[r])) continue;
        const end = r + 1 < runStarts.length ? runStarts[r + 1] : files.length;
        for (let i = runStarts[r]; i < end; i++) consider(files[i]);
      }
    }
    out.sort(compareCodeUnits);
    this.selectCache.set(sel, out);
    return out;
  }

  /** Files directly in `dir` (`''` for the root), sorted: the sorted list's range below it. */
  filesIn(dir: string): readonly string[] {
    let d = normalize(dir);
    if (d === '.') d = '';
    const hit = this.dirCache.get(d);
    if (hit) return hit;
    const files = this.files;
    const out: string[] = [];
    if (d === '') {
      // The root's files are scattered through the sorted list: its runs in the index say where.
      const { runDirs, runStarts } = this.index();
      for (let r = 0; r < runDirs.length; r++) {
        if (runDirs[r] !== '') continue;
        const end = r + 1 < runStarts.length ? runStarts[r + 1] : files.length;
        for (let i = runStarts[r]; i < end; i++) out.push(files[i]);
      }
    } else {
      const prefix = d + '/';
      for (let i = lowerBound(files, prefix); i < files.length && files[i].startsWith(prefix); i++) {
        if (files[i].indexOf('/', prefix.length) < 0) out.push(files[i]);
      }
    }
    this.dirCache.set(d, out);
    return out;
  }

  /** The same repository with only the files `keep` accepts (configuration `exclude`). */
  filtered(keep: (file: string) => boolean): Repo {
    const r = new Repo(this.root, this.files.filter(keep));
    r.deadline = this.deadline;
    return r;
  }

  /** Is `file` listed? A binary search of the sorted list (no set of every name is kept). */
  has(file: string): boolean {
    const f = normalize(file);
    const i = lowerBound(this.files, f);
    return i < this.files.length && this.files[i] === f;
  }

  /** Does a listed file sit in `dir` or below it? */
  hasDir(dir: string): boolean {
    const d = normalize(dir);
    if (d === '' || d === '.') return true;
    const prefix = d + '/';
    const i = lowerBound(this.files, prefix);
    return i < this.files.length && this.files[i].startsWith(prefix);
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
    // A path that leaves the root by its own value (absolute, `..`) is not a file of the
    // repository: the caller says so at the line that names it, when it matters.
    if (res.ok && res.note) this.issues.push({ file: rel, ...res.note });
    if (!res.ok && res.reason !== 'missing' && !isOutsidePath(rel)) this.issues.push({ file: rel, message: res.message, reason: res.reason });
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

  /**
   * The real path of a folder of the repository, resolved once per folder; null when it does not
   * exist. Reads go through it, so a symlinked folder is resolved (and checked) once, not per file.
   */
  private realDir(dir: string): string | null {
    let real = this.realDirs.get(dir);
    if (real === undefined) {
      try {
        real = dir === '' ? this.realRoot : fs.realpathSync(path.join(this.root, dir));
      } catch {
        real = null;
      }
      this.realDirs.set(dir, real);
    }
    return real;
  }

  private inRoot(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  private readUncached(rel: string): ReadResult {
    if (isOutsidePath(rel)) {
      return { ok: false, reason: 'outside-root', message: `${rel} is a path outside the scanned root (absolute or through ..); it was not read` };
    }
    const outside: ReadResult = {
      ok: false,
      reason: 'outside-root',
      message: `${rel} is a symbolic link that leads outside the scanned root; it was not read`,
    };
    const slash = rel.lastIndexOf('/');
    const dir = this.realDir(slash < 0 ? '' : rel.slice(0, slash));
    if (dir === null) return { ok: false, reason: 'missing', message: `${rel} does not exist` };
    if (!this.inRoot(dir)) return outside;
    // The file itself is opened without following a symbolic link (O_NOFOLLOW: one system call
    // instead of a realpath walk per read); a link is resolved and checked like a folder. A FIFO
    // or device must not block the run: O_NONBLOCK, and only regular files are read.
    let file = path.join(dir, rel.slice(slash + 1));
    let fd: number;
    try {
      fd = fs.openSync(file, OPEN_FLAGS | NOFOLLOW);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: `${rel} does not exist` };
      if (NOFOLLOW !== 0 && code !== 'ELOOP' && code !== 'EMLINK') {
        return { ok: false, reason: 'error', message: `${rel} could not be read: ${(e as Error).message}` };
      }
      // A symbolic link (or no O_NOFOLLOW here): where does it lead?
      try {
        file = fs.realpathSync(file);
      } catch {
        return { ok: false, reason: 'missing', message: `${rel} does not exist` };
      }
      if (!this.inRoot(file)) return outside;
      try {
        fd = fs.openSync(file, OPEN_FLAGS);
      } catch (e2) {
        return { ok: false, reason: 'error', message: `${rel} could not be read: ${(e2 as Error).message}` };
      }
    }
    let buf: Buffer;
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) return { ok: false, reason: 'missing', message: `${rel} is not a regular file` };
      const max = this.maxFileBytes ?? LIMITS.maxFileBytes;
      if (st.size > max) {
        return {
          ok: false,
          reason: 'too-large',
          message: `${rel} is ${st.size} bytes, over the ${max}-byte limit; it was not read`,
        };
      }
      if (this.bytesRead + st.size > LIMITS.maxTotalBytes) {
        return { ok: false, reason: 'budget', message: `${rel} was not read: the run's read budget is spent` };
      }
      buf = fs.readFileSync(fd);
    } catch (e) {
      return { ok: false, reason: 'error', message: `${rel} could not be read: ${(e as Error).message}` };
    } finally {
      fs.closeSync(fd);
    }
    this.bytesRead += buf.length;
    this.readCount++;
    // A binary file (many NUL bytes) is not read as text. Otherwise the text is decoded
    // leniently: a stray invalid byte or NUL (in a comment, say) must not hide a deployment file
    // from the checks. They become U+FFFD, the rest is analysed, and that is said.
    // UTF-16 with a byte order mark (Windows editors write requirements files so): decoded as
    // such, not taken for a binary file because of the NUL in every ASCII character.
    const utf16 = buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff ? 'utf-16be' : null;
    if (utf16) return { ok: true, text: new TextDecoder(utf16).decode(buf).replace(/^\uFEFF/, '').replace(/\0/g, '\uFFFD') };
    let nul = 0;
    for (let i = buf.indexOf(0); i >= 0; i = buf.indexOf(0, i + 1)) nul++;
    if (nul > Math.max(8, buf.length / 100)) return { ok: false, reason: 'binary', message: `${rel} is a binary file` };
    let text: string;
    let note: { reason: ReadFailure; message: string } | undefined;
    try {
      text = UTF8.decode(buf);
    } catch {
      text = LENIENT_UTF8.decode(buf);
      note = { reason: 'invalid-utf8', message: `${rel} is not valid UTF-8: the invalid bytes were read as U+FFFD and the rest was checked` };
    }
    if (nul > 0) {
      text = text.replace(/\0/g, '\uFFFD');
      note ??= { reason: 'invalid-utf8', message: `${rel} holds ${nul} NUL byte${nul === 1 ? '' : 's'}: read as U+FFFD, the rest was checked` };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return note ? { ok: true, text, note } : { ok: true, text };
  }
}

/**
 * A file the workflow or the user names (the configuration, a baseline), read as repository files
 * are: a regular file only (not a FIFO, a device or /dev/stdin: never blocks), at most
 * `maxBytes` (default LIMITS.maxFileBytes), as UTF-8. With `within` (the workspace, for the action's inputs), the
 * path must lie inside it and no link may lead out of it. Without, the path the user gave is
 * resolved and the file it names read under the same bounds. Messages name the path, never the
 * content.
 */
export function readNamedFile(file: string, within: string | null, maxBytes: number | null = null): ReadResult {
  const reader = (root: string): Repo => {
    const r = new Repo(root, []);
    r.maxFileBytes = maxBytes;
    return r;
  };
  if (within !== null) {
    const root = path.resolve(within);
    const rel = path.relative(root, path.resolve(root, file));
    if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
      return { ok: false, reason: 'outside-root', message: `${file} is not inside the workspace` };
    }
    const r = reader(root).read(rel.split(path.sep).join('/'));
    return r.ok || r.reason !== 'outside-root' ? r : { ok: false, reason: 'outside-root', message: `${file} is a symbolic link that leads outside the workspace; it was not read` };
  }
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(file));
  } catch {
    return { ok: false, reason: 'missing', message: `${file} does not exist` };
  }
  const r = reader(path.dirname(real)).read(path.basename(real));
  return r.ok ? r : { ...r, message: r.message.replace(path.basename(real), file) };
}

const isOutsidePath = (rel: string): boolean => rel.startsWith('../') || rel === '..' || path.isAbsolute(rel);

/** Flags of every read: never block on a FIFO or device (only regular files are read anyway). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
/** Not following a symbolic link in the last component (0 where the platform has no such flag). */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** A path that `normalize` would change: backslashes, `.`/`..` or empty segments, a leading or trailing `/`. */
const NOT_NORMAL = /\\|\/\/|(?:^|\/)\.\.?(?:\/|$)|^\/|\/$/;

export function normalize(file: string): string {
  // Most paths asked about are already normal (they come from the listing): returned as they are.
  if (!NOT_NORMAL.test(file)) return file;
  let f = file.replace(/\\/g, '/');
  f = path.posix.normalize(f);
  if (f.startsWith('./')) f = f.slice(2);
  if (f === '.') return '';
  return f.replace(/\/$/, '');
}

/** List the repository's files: `git ls-files` in a checkout, else a bounded walk. */
export function discover(root: string): Repo {
  const abs = checkedRoot(root);
  return listed(abs, gitFiles(abs));
}

/**
 * `discover`, with git run asynchronously, so that the caller can do other work (load the WASM
 * grammars) while git lists the files; git is stopped after `timeoutMs`.
 */
export async function discoverAsync(root: string, timeoutMs?: number): Promise<Repo> {
  const abs = checkedRoot(root);
  return listed(abs, await gitFilesAsync(abs, timeoutMs));
}

/**
 * The Repo of git's list, or of a walk when there is no checkout or git failed. When git lists
 * nothing at all (no commit, an empty index, or a `.git` crafted to hide the files), the files
 * on disk are walked and checked instead, and that is said: an empty list must not pass as
 * "0 targets".
 */
function listed(abs: string, fromGit: string[] | null): Repo {
  if (fromGit === null) return new Repo(abs, walk(abs));
  if (fromGit.length > 0) return new Repo(abs, fromGit);
  const onDisk = walk(abs);
  const repo = new Repo(abs, onDisk);
  if (onDisk.length > 0) {
    repo.issues.push({
      file: '.git',
      reason: 'listing',
      message: `git lists no tracked file in this checkout, but ${onDisk.length} file${onDisk.length === 1 ? ' is' : 's are'} on disk: they were checked instead (commit or \`git add\` them; a checkout whose .git hides its files is not to be trusted)`,
    });
  }
  return repo;
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
//
// The checkout may be someone else's (the CLI or pre-commit on an untrusted clone), and its
// `.git/config` is then as hostile as its files. `git ls-files` runs no command of its own, but
// configuration can make git spawn one: the file-system monitor (`core.fsmonitor`, which is run
// as a shell command to refresh the index), hooks (`core.hooksPath`), a pager (`core.pager`,
// `pager.ls-files`), and, for other commands, credential helpers, `core.sshCommand` and
// askpass programs. Every one is turned off on the command line, which beats the repository's
// configuration; `safe.directory` is allowed for this one invocation (a CI container's checkout is
// often owned by another user), which is safe once nothing of the repository's configuration
// can run. No optional lock is taken (nothing is written to the repository), no prompt is shown.
const GIT_ARGS = (abs: string) => [
  '--no-pager',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.useBuiltinFSMonitor=false',
  '-c', 'core.untrackedCache=false',
  '-c', `core.hooksPath=${DEV_NULL}`,
  '-c', 'core.pager=cat',
  '-c', 'pager.ls-files=false',
  '-c', 'core.sshCommand=false',
  '-c', 'core.askPass=',
  '-c', 'credential.helper=',
  '-c', 'protocol.allow=never',
  '-c', `safe.directory=${abs}`,
  '-C', abs,
  'ls-files', '-z', '--cached',
];
const DEV_NULL = process.platform === 'win32' ? 'NUL' : '/dev/null';
const GIT_MAX_BYTES = 512 * 1024 * 1024;
const gitEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    // Nor the user's global configuration: only the command line above applies.
    GIT_CONFIG_GLOBAL: DEV_NULL,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_NO_REPLACE_OBJECTS: '1',
  };
  // Nothing from the environment redirects the run to other programs.
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_SSH;
  delete env.GIT_SSH_COMMAND;
  return env;
};
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path with a segment in SKIP_DIRS (but `env`, a common package name): one test per path. */
const SKIPPED_IN_GIT = new RegExp(`(?:^|/)(?:${[...SKIP_DIRS].filter((d) => d !== 'env').map(escapeRe).join('|')})(?:/|$)`);

function gitList(out: Buffer): string[] {
  return keepListed(out.toString('utf8').split('\0'));
}

/** The listed paths kept: SKIP_DIRS paths and consecutive duplicates dropped. */
function keepListed(listed: readonly string[]): string[] {
  const kept: string[] = [];
  let prev = '';
  for (const f of listed) {
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
      timeout: GIT_TIMEOUT_MS,
    });
    return gitList(out);
  } catch {
    return null;
  }
}

/** git is stopped after this long (the engine's deadline covers listing too). */
const GIT_TIMEOUT_MS = 60_000;

function gitFilesAsync(abs: string, timeoutMs = GIT_TIMEOUT_MS): Promise<string[] | null> {
  if (!fs.existsSync(path.join(abs, '.git'))) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    try {
      const child = spawn('git', GIT_ARGS(abs), { stdio: ['ignore', 'pipe', 'ignore'], env: gitEnv(), timeout: Math.max(1, Math.ceil(timeoutMs)) });
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

/** The first position in the sorted `files` whose name is not below `key`. */
function lowerBound(files: readonly string[], key: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The key of extensions `extKey` cannot hold exactly (over 9 characters, or others than a-z 0-9 . _ -). */
const OTHER_EXT = -1;

/**
 * An extension (from `at` to the end of `s`) as a number: ASCII letters lower-cased, each of the
 * 39 characters a-z 0-9 . _ - a digit in base 40, at most 9 of them (40^9 < 2^53, so exact and
 * one-to-one). `0` is no extension; OTHER_EXT any other (looked up by name, see `withExt`).
 */
function extKey(s: string, at: number): number {
  if (s.length - at > 9) return OTHER_EXT;
  let h = 0;
  for (let j = at; j < s.length; j++) {
    let c = s.charCodeAt(j);
    if (c >= 65 && c <= 90) c += 32;
    let v: number;
    if (c >= 97 && c <= 122) v = c - 96; // 1..26
    else if (c >= 48 && c <= 57) v = c - 21; // 27..36
    else if (c === 46) v = 37; // .
    else if (c === 95) v = 38; // _
    else if (c === 45) v = 39; // -
    else return OTHER_EXT;
    h = h * 40 + v;
  }
  return h;
}

/** The first two characters of the base name starting at `at`, ASCII letters lower-cased, as one number. */
function startKey(s: string, at: number): number {
  const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const a = at < s.length ? lower(s.charCodeAt(at)) : 0;
  const b = at + 1 < s.length ? lower(s.charCodeAt(at + 1)) : 0;
  return a * 65536 + b;
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
