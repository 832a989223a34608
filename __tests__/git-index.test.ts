/**
 * readGitIndex (src/discover/git-index.ts) against git itself: temporary repositories made here,
 * each listing compared with `git ls-files -z --cached` (consecutive stages of an unmerged path
 * listed once), and everything the reader must refuse giving null.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseGitIndex, readGitIndex, readIndexFile } from '../src/discover/git-index.js';
import { discover, discoverAsync } from '../src/discover/repo.js';
import { tempDir } from './temp-repo.js';

let tmpRoot = '';
/** git with no system or user configuration (a user's index.version or feature.manyFiles must not leak in). */
const gitEnv: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
for (const v of ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_VERSION']) delete gitEnv[v];
beforeAll(() => {
  tmpRoot = tempDir('ddl-git-index-');
  gitEnv.HOME = tmpRoot;
});

function git(dir: string, args: string[], input?: string | Buffer): Buffer {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    env: gitEnv,
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
}

/** What git lists, decoded as the spawn path decodes it, stages of one path listed once. */
function gitListed(dir: string): string[] {
  const all = git(dir, ['ls-files', '-z', '--cached']).toString('utf8').split('\0');
  all.pop(); // after the last NUL
  return all.filter((f, i) => i === 0 || f !== all[i - 1]);
}

let n = 0;
function newRepo(files: Record<string, string> = {}, initArgs: string[] = []): string {
  const dir = path.join(tmpRoot, `r${n++}`);
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', ...initArgs]);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  if (Object.keys(files).length) {
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'init']);
  }
  return dir;
}

const indexFile = (dir: string) => path.join(dir, '.git', 'index');
const indexVersion = (dir: string) => fs.readFileSync(indexFile(dir)).readUInt32BE(4);

const NAMES: Record<string, string> = {
  'manage.py': 'x',
  'Procfile': 'web: gunicorn app.wsgi',
  'app/settings/base.py': 'x',
  'app/settings/prod.py': 'x',
  'deploy/docker/Dockerfile': 'FROM python',
  'deploy/with space/run me.sh': 'x',
  'docs/café/naïve résumé.md': 'x',
  'docs/日本語/ファイル.txt': 'x',
  'emoji/🚀 launch.sh': 'x',
  'weird/new\nline.txt': 'x',
  'weird/tab\there.txt': 'x',
  'weird/"quoted" \\back.txt': 'x',
  'a/b/c/d/e/f/g/h/deep.txt': 'x',
  'node_modules/pkg/index.js': 'x',
  // names of every length around the 8-byte padding boundary
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`pad/${'p'.repeat(i + 1)}`, 'x'])),
};

function basicRepo(): string {
  const dir = newRepo(NAMES);
  fs.symlinkSync('manage.py', path.join(dir, 'link-to-manage'));
  git(dir, ['add', 'link-to-manage']);
  git(dir, ['commit', '-q', '-m', 'link']);
  return dir;
}

describe('readGitIndex lists what git ls-files --cached lists', () => {
  test('version 2: plain, nested, spaces, non-ASCII, newline, symlink', () => {
    const dir = basicRepo();
    expect(indexVersion(dir)).toBe(2);
    const want = gitListed(dir);
    expect(want).toContain('weird/new\nline.txt');
    expect(want).toContain('emoji/🚀 launch.sh');
    expect(want).toContain('link-to-manage');
    expect(readGitIndex(dir)).toEqual(want);
  });

  test('version 4 (prefix-compressed paths)', () => {
    const dir = basicRepo();
    git(dir, ['update-index', '--index-version', '4']);
    expect(indexVersion(dir)).toBe(4);
    expect(readGitIndex(dir)).toEqual(gitListed(dir));
  });

  test('version 3: skip-worktree and intent-to-add entries (extended flags) are listed', () => {
    const dir = basicRepo();
    git(dir, ['update-index', '--skip-worktree', 'app/settings/prod.py']);
    fs.writeFileSync(path.join(dir, 'new-file.py'), 'x');
    git(dir, ['add', '-N', 'new-file.py']);
    expect(indexVersion(dir)).toBe(3);
    const want = gitListed(dir);
    expect(want).toContain('new-file.py');
    expect(want).toContain('app/settings/prod.py');
    expect(readGitIndex(dir)).toEqual(want);
    git(dir, ['update-index', '--index-version', '4']);
    expect(indexVersion(dir)).toBe(4);
    expect(readGitIndex(dir)).toEqual(want);
  });

  test('paths of 0xFFF bytes and more, and names that are not UTF-8', () => {
    const dir = newRepo({ 'a.txt': 'x' });
    const blob = git(dir, ['hash-object', '-w', '--stdin'], '').toString().trim();
    const long = (len: number, c: string) => `long/${c.repeat(len - 5)}`;
    const entries: Buffer[] = [];
    for (const name of [long(0xffe, 'a'), long(0xfff, 'b'), long(0x1000, 'c'), long(5000, 'd')]) {
      entries.push(Buffer.from(`100644 ${blob}\t${name}\0`));
    }
    // Invalid UTF-8: a lone continuation byte, a cut sequence, an overlong form, Latin-1.
    for (const raw of [[0x80], [0xe6, 0x97], [0xc0, 0xaf], [0x63, 0x61, 0x66, 0xe9]]) {
      entries.push(Buffer.concat([Buffer.from(`100644 ${blob}\tbad/x`), Buffer.from(raw), Buffer.from('y\0')]));
    }
    git(dir, ['update-index', '-z', '--index-info'], Buffer.concat(entries));
    const want = gitListed(dir);
    expect(want.filter((f) => f.startsWith('long/')).map((f) => f.length)).toEqual([0xffe, 0xfff, 0x1000, 5000]);
    expect(want.filter((f) => f.includes('\ufffd')).length).toBe(4);
    expect(readGitIndex(dir)).toEqual(want);
    git(dir, ['update-index', '--index-version', '4']);
    expect(readGitIndex(dir)).toEqual(want);
  });

  test('an index of several MiB (read in chunks), with long and non-ASCII names at every offset', () => {
    const dir = newRepo({ 'a.txt': 'x' });
    const blob = git(dir, ['hash-object', '-w', '--stdin'], '').toString().trim();
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const d = `svc${i % 97}/pkg-é${i % 13}/${'m'.repeat(1 + (i % 41))}`;
      lines.push(`100644 ${blob}\t${d}/file-${i}.py\0`);
      if (i % 2_999 === 0) lines.push(`100644 ${blob}\t${d}/${'L'.repeat(4_000 + (i % 300))}/${'x'.repeat(200 + (i % 50))}\0`);
    }
    git(dir, ['update-index', '-z', '--index-info'], lines.join(''));
    expect(fs.statSync(indexFile(dir)).size).toBeGreaterThan(3 * 1024 * 1024);
    const want = gitListed(dir);
    expect(want.length).toBe(30_000 + 11 + 1);
    expect(readGitIndex(dir)).toEqual(want);
    // Small windows: entries, and the long names, across every kind of boundary.
    const windows = [1, 4_300, 4_500, 5_003, 65_536];
    for (const w of windows) expect(readIndexFile(indexFile(dir), 20, w)).toEqual(want);
    // In memory too, and cut anywhere: null.
    const whole = fs.readFileSync(indexFile(dir));
    expect(parseGitIndex(whole)).toEqual(want);
    git(dir, ['update-index', '--skip-worktree', 'a.txt']);
    expect(indexVersion(dir)).toBe(3);
    expect(readGitIndex(dir)).toEqual(want);
    for (const w of windows) expect(readIndexFile(indexFile(dir), 20, w)).toEqual(want);
    git(dir, ['update-index', '--index-version', '4']);
    expect(readGitIndex(dir)).toEqual(want);
    for (const w of windows) expect(readIndexFile(indexFile(dir), 20, w)).toEqual(want);
    const v4 = fs.readFileSync(indexFile(dir));
    for (const cut of [1, 19, 20, 21, 4_000, 1 << 20, v4.length - (1 << 20) - 3]) {
      for (const b of [v4, whole]) {
        fs.writeFileSync(indexFile(dir), b.subarray(0, b.length - cut));
        expect(readGitIndex(dir)).toBeNull();
        expect(readIndexFile(indexFile(dir), 20, 5_003)).toBeNull();
      }
    }
  });

  test('an unmerged path (merge conflict) is listed once, in versions 2 and 4', () => {
    const dir = newRepo({ 'settings.py': 'base\n', 'z.txt': 'z', 'a.txt': 'a' });
    git(dir, ['checkout', '-q', '-b', 'other']);
    fs.writeFileSync(path.join(dir, 'settings.py'), 'other\n');
    fs.writeFileSync(path.join(dir, 'added-both.py'), 'other\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'other']);
    git(dir, ['checkout', '-q', '-']);
    fs.writeFileSync(path.join(dir, 'settings.py'), 'main\n');
    fs.writeFileSync(path.join(dir, 'added-both.py'), 'main\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'main']);
    expect(() => git(dir, ['merge', '-q', 'other'])).toThrow();
    const raw = git(dir, ['ls-files', '-z', '--cached']).toString('utf8').split('\0').filter(Boolean);
    expect(raw.filter((f) => f === 'settings.py').length).toBe(3); // git prints each stage
    expect(raw.filter((f) => f === 'added-both.py').length).toBe(2);
    const want = gitListed(dir);
    expect(want).toEqual(['a.txt', 'added-both.py', 'settings.py', 'z.txt']);
    expect(readGitIndex(dir)).toEqual(want);
    git(dir, ['update-index', '--index-version', '4']);
    expect(readGitIndex(dir)).toEqual(want);
  });

  test('a SHA-256 repository', () => {
    let dir: string;
    try {
      dir = newRepo(NAMES, ['--object-format=sha256']);
    } catch {
      return; // this git cannot make one
    }
    expect(fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8')).toMatch(/objectformat\s*=\s*sha256/i);
    expect(readGitIndex(dir)).toEqual(gitListed(dir));
  });

  test('an empty index, and an optional extension of unknown name, are read', () => {
    const dir = newRepo({ 'a.txt': 'x', 'b/c.txt': 'y' });
    const want = gitListed(dir);
    const buf = fs.readFileSync(indexFile(dir));
    // An upper-case extension is optional: skipped. A lower-case one is required: null.
    const withExt = (sig: string, data: Buffer) => {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(data.length);
      return Buffer.concat([buf.subarray(0, buf.length - 20), Buffer.from(sig), size, data, buf.subarray(buf.length - 20)]);
    };
    expect(parseGitIndex(withExt('ZZZZ', Buffer.from('whatever')))).toEqual(want);
    expect(parseGitIndex(withExt('zzzz', Buffer.from('whatever')))).toBeNull();
    expect(parseGitIndex(withExt('ZZZZ', Buffer.alloc(0)))).toEqual(want);
    // One-byte names: the smallest entries (64 bytes), and no extension.
    const tiny = newRepo();
    const names = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
    git(tiny, ['update-index', '-z', '--index-info'], names.map((c) => `100644 ${git(dir, ['hash-object', '--stdin'], '').toString().trim()}\t${c}\0`).join(''));
    expect(fs.statSync(indexFile(tiny)).size).toBe(12 + 64 * names.length + 20);
    expect(readGitIndex(tiny)).toEqual(gitListed(tiny));
    expect(gitListed(tiny).length).toBe(names.length);
    git(tiny, ['update-index', '--index-version', '4']);
    expect(readGitIndex(tiny)).toEqual(gitListed(tiny));
    const empty = newRepo();
    git(empty, ['read-tree', '--empty']);
    expect(readGitIndex(empty)).toEqual([]);
    expect(gitListed(empty)).toEqual([]);
  });
});

describe('readGitIndex gives null when it is not sure', () => {
  test('a split index (link extension)', () => {
    const dir = basicRepo();
    git(dir, ['update-index', '--split-index']);
    expect(gitListed(dir).length).toBeGreaterThan(10);
    expect(readGitIndex(dir)).toBeNull();
  });

  test('a sparse index (sdir extension)', () => {
    const dir = newRepo({ 'keep/a.py': 'x', 'out/b.py': 'x', 'out/c/d.py': 'x', 'top.txt': 'x' });
    try {
      git(dir, ['sparse-checkout', 'set', '--cone', '--sparse-index', 'keep']);
    } catch {
      return; // this git has no sparse index
    }
    expect(fs.readFileSync(indexFile(dir)).includes(Buffer.from('sdir'))).toBe(true);
    expect(gitListed(dir)).toContain('out/c/d.py'); // git expands the sparse directories
    expect(readGitIndex(dir)).toBeNull();
  });

  test('skip-worktree entries of a (non-sparse-index) sparse checkout are listed', () => {
    const dir = newRepo({ 'keep/a.py': 'x', 'out/b.py': 'x', 'out/c/d.py': 'x', 'top.txt': 'x' });
    git(dir, ['sparse-checkout', 'set', '--no-cone', '/keep/']);
    expect(fs.existsSync(path.join(dir, 'out/b.py'))).toBe(false);
    const want = gitListed(dir);
    expect(want).toContain('out/c/d.py');
    expect(readGitIndex(dir)).toEqual(want);
  });

  test('a .git file (linked worktree) and a missing index', () => {
    const dir = basicRepo();
    const wt = path.join(tmpRoot, `wt${n++}`);
    git(dir, ['worktree', 'add', '-q', wt]);
    expect(fs.statSync(path.join(wt, '.git')).isFile()).toBe(true);
    expect(gitListed(wt).length).toBeGreaterThan(10);
    expect(readGitIndex(wt)).toBeNull();
    expect(readGitIndex(newRepo())).toBeNull(); // fresh repository: no index file yet
    expect(readGitIndex(path.join(tmpRoot, 'does-not-exist'))).toBeNull();
  });

  test('a .git or an index that is a symbolic link (it may lead outside the root): left to git', () => {
    const real = basicRepo();
    const linked = path.join(tmpRoot, `ln${n++}`);
    fs.mkdirSync(linked);
    fs.symlinkSync(path.join(real, '.git'), path.join(linked, '.git'));
    expect(readGitIndex(linked)).toBeNull();
    const other = basicRepo();
    fs.renameSync(indexFile(other), indexFile(other) + '.real');
    fs.symlinkSync(indexFile(other) + '.real', indexFile(other));
    expect(readGitIndex(other)).toBeNull();
  });

  test('GIT_INDEX_FILE / GIT_DIR in the environment', () => {
    const dir = basicRepo();
    for (const v of ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE']) {
      const before = process.env[v];
      process.env[v] = path.join(dir, '.git', 'index');
      try {
        expect(readGitIndex(dir)).toBeNull();
      } finally {
        if (before === undefined) delete process.env[v];
        else process.env[v] = before;
      }
    }
    expect(readGitIndex(dir)).not.toBeNull();
  });

  test('a configuration that moves the work tree or names other extensions', () => {
    const dir = basicRepo();
    const config = path.join(dir, '.git', 'config');
    const original = fs.readFileSync(config, 'utf8');
    const v1 = original.replace(/repositoryformatversion = 0/, 'repositoryformatversion = 1');
    expect(v1).not.toBe(original);
    for (const changed of [
      original + '[core]\n\tworktree = /elsewhere\n',
      original + '[core] bare = true\n',
      original + '[include]\n\tpath = other\n',
      original + '[includeIf "gitdir:/x/"]\n\tpath = other\n',
      original + '[extensions]\n\tobjectFormat = sha1\n', // format 0: git refuses it
      v1 + '[extensions]\n\tobjectFormat = sha512\n',
      v1 + '[extensions]\n\trefStorage = reftable\n',
      v1 + '[core]\n\tprecomposeUnicode = true\n',
      original + '[alias]\n\tx = !echo \\\n y\n', // a continued line
    ]) {
      fs.writeFileSync(config, changed);
      expect(readGitIndex(dir)).toBeNull();
    }
    fs.writeFileSync(config, v1 + '[extensions]\n\tobjectFormat = sha1\n');
    expect(readGitIndex(dir)).toEqual(gitListed(dir));
    // worktreeConfig: config.worktree is read with the same rules.
    fs.writeFileSync(config, original + '\n[extensions]\n\tworktreeConfig = true\n\tpartialClone = origin\n');
    expect(readGitIndex(dir)).toEqual(gitListed(dir));
    fs.writeFileSync(path.join(dir, '.git', 'config.worktree'), '[core]\n\tsparseCheckout = true\n');
    expect(readGitIndex(dir)).toEqual(gitListed(dir));
    fs.writeFileSync(path.join(dir, '.git', 'config.worktree'), '[core]\n\tworktree = /elsewhere\n');
    expect(readGitIndex(dir)).toBeNull();
  });

  test('truncated, garbled or inconsistent index files', () => {
    const dir = basicRepo();
    const good = fs.readFileSync(indexFile(dir));
    const want = parseGitIndex(good);
    expect(want).toEqual(gitListed(dir));
    const edit = (f: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      f(b);
      return b;
    };
    expect(parseGitIndex(good.subarray(0, good.length - 1))).toBeNull();
    expect(parseGitIndex(good.subarray(0, 40))).toBeNull();
    expect(parseGitIndex(Buffer.alloc(0))).toBeNull();
    expect(parseGitIndex(edit((b) => b.write('DIRX', 0)))).toBeNull();
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(5, 4)))).toBeNull(); // version 5
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(1, 4)))).toBeNull();
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(b.readUInt32BE(8) + 1, 8)))).toBeNull();
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(0xffffffff, 8)))).toBeNull();
    // One entry fewer: the last entry is then read as an extension, and is not a valid one.
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(b.readUInt32BE(8) - 1, 8)))).toBeNull();
    // The first entry's name length one longer / shorter: its NUL terminator is not where it says.
    expect(parseGitIndex(edit((b) => b.writeUInt16BE(b.readUInt16BE(72) + 1, 72)))).toBeNull();
    expect(parseGitIndex(edit((b) => b.writeUInt16BE(b.readUInt16BE(72) - 1, 72)))).toBeNull();
    // An extended flag in a version 2 index; a directory entry.
    expect(parseGitIndex(edit((b) => b.writeUInt16BE(b.readUInt16BE(72) | 0x4000, 72)))).toBeNull();
    expect(parseGitIndex(edit((b) => b.writeUInt32BE(0o040000, 12 + 24)))).toBeNull();
    fs.writeFileSync(indexFile(dir), good.subarray(0, good.length - 25));
    expect(readGitIndex(dir)).toBeNull();
  });

  test('random byte flips, truncations and garbage: null or a list, never a throw', () => {
    const dir = basicRepo();
    // ~30 KB: several windows of the file reader (ENTRY_ROOM, ~4 KB, when asked for 1 byte).
    const blob = git(dir, ['hash-object', '--stdin'], '').toString().trim();
    const more = Array.from({ length: 300 }, (_, i) => `100644 ${blob}\tmore/${'d'.repeat(1 + (i % 23))}/f${i}-é.py\0`);
    git(dir, ['update-index', '-z', '--index-info'], more.join(''));
    const v2 = fs.readFileSync(indexFile(dir));
    expect(v2.length).toBeGreaterThan(20_000);
    git(dir, ['update-index', '--skip-worktree', 'manage.py']);
    const v3 = fs.readFileSync(indexFile(dir));
    git(dir, ['update-index', '--index-version', '4']);
    const v4 = fs.readFileSync(indexFile(dir));
    expect([v2, v3, v4].map((b) => b.readUInt32BE(4))).toEqual([2, 3, 4]);
    const sane = (r: string[] | null) => r === null || (Array.isArray(r) && r.every((f) => typeof f === 'string' && f.length > 0));
    for (const good of [v2, v3, v4]) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
          (flips) => {
            const b = Buffer.from(good);
            for (const [at, x] of flips) b[at] ^= x;
            const r = parseGitIndex(b);
            expect(sane(r)).toBe(true);
            // Flips only in the names of a v2/v3 index (or the checksum) can keep it readable;
            // the list then has at most as many paths as entries.
            if (r !== null) expect(r.length).toBeLessThanOrEqual(good.readUInt32BE(8));
          },
        ),
        { numRuns: 400 },
      );
      // Read from a file in small windows, the same answer as in memory.
      const file = path.join(tmpRoot, `fuzz-index-${n++}`);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
          (flips) => {
            const b = Buffer.from(good);
            for (const [at, x] of flips) b[at] ^= x;
            fs.writeFileSync(file, b);
            expect(readIndexFile(file, 20, 1)).toEqual(parseGitIndex(b));
          },
        ),
        { numRuns: 150 },
      );
      // Cut anywhere: null; except when the cut drops whole extensions and leaves 20 bytes that
      // pass for the checksum (not verified): every entry is then intact and listed as it is.
      const full = parseGitIndex(good);
      expect(full).not.toBeNull();
      expect(full!.length).toBe(good.readUInt32BE(8));
      for (let cut = 0; cut < good.length; cut += cut < good.length - 200 ? 7 : 1) {
        const r = parseGitIndex(good.subarray(0, cut));
        if (r !== null) expect(r).toEqual(full);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(2, 3, 4), fc.nat(50), (bytes, version, count) => {
        const head = Buffer.alloc(12);
        head.write('DIRC', 0);
        head.writeUInt32BE(version, 4);
        head.writeUInt32BE(count, 8);
        expect(sane(parseGitIndex(Buffer.concat([head, Buffer.from(bytes)])))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('discover() reads the index', () => {
  test('tracked files only, SKIP_DIRS dropped, stages once, without spawning git', async () => {
    const dir = newRepo({ 'manage.py': 'x', 'node_modules/x/y.js': 'x', 'app/.venv/lib.py': 'x', 'env/settings.py': 'x' });
    fs.writeFileSync(path.join(dir, 'untracked.py'), 'x');
    const want = ['env/settings.py', 'manage.py'];
    expect(discover(dir).files).toEqual(want);
    // With git out of reach the listing still comes from the index (a walk would list untracked.py).
    const before = process.env.PATH;
    process.env.PATH = path.join(tmpRoot, 'no-bin');
    try {
      expect(discover(dir).files).toEqual(want);
      expect((await discoverAsync(dir)).files).toEqual(want);
      // Unsure (split index) and no git: the walk, which lists the untracked file.
      process.env.PATH = before;
      git(dir, ['update-index', '--split-index']);
      process.env.PATH = path.join(tmpRoot, 'no-bin');
      expect(discover(dir).files).toContain('untracked.py');
    } finally {
      process.env.PATH = before;
    }
    // And with git, the split index is listed by git.
    expect(discover(dir).files).toEqual(want);
    expect((await discoverAsync(dir)).files).toEqual(want);
  });
});
