/**
 * Every file the action or the CLI writes (the SARIF and JSON reports, `--write-baseline`) goes
 * through `safeWriteFile`. The folder it writes in is the checked-out pull request, whose content
 * is not trusted: a committed `results.sarif -> ~/.bashrc`, or `reports -> /elsewhere` with
 * `sarif-file: reports/x.sarif`, must not make the tool overwrite a file outside the workspace.
 *
 * - The path must lie inside `base` (the workspace), as written: no `..` out of it.
 * - No component below `base` may be a symbolic link, and each must be a folder (missing ones
 *   are created, one at a time, without following anything).
 * - The data goes to a new temporary file in that folder, opened with
 *   `O_CREAT|O_EXCL|O_NOFOLLOW` (it cannot be a link planted beforehand), and is then renamed onto
 *   the name: a rename replaces a directory entry, it never writes through a link.
 * - An existing file of that name must be a regular file, not a link, a folder or a device.
 *
 * Otherwise, an UnsafeWriteError says what was refused and why.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class UnsafeWriteError extends Error {
  constructor(readonly file: string, why: string) {
    super(`refused to write ${file}: ${why}`);
    this.name = 'UnsafeWriteError';
  }
}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW;

/**
 * Writes `data` to `file` (absolute, or relative to `base`), which must lie inside `base`
 * through no symbolic link. `shown` is how the path is named in errors (the input as given).
 * Returns the absolute path written.
 */
export function safeWriteFile(base: string, file: string, data: string | Uint8Array, shown = file): string {
  const root = path.resolve(base);
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new UnsafeWriteError(shown, `it is not inside the workspace (${root})`);
  }
  // The workspace itself is given by the runner or the user, not by the repository: its real
  // path is the start; every component below it is checked.
  let dir: string;
  try {
    dir = fs.realpathSync(root);
  } catch (e) {
    throw new UnsafeWriteError(shown, `the workspace ${root} cannot be used (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const parts = rel.split(path.sep);
  const name = parts.pop()!;
  for (const part of parts) {
    dir = path.join(dir, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnsafeWriteError(shown, `${part} cannot be checked (${(e as NodeJS.ErrnoException).code})`);
    }
    if (!st) {
      try {
        fs.mkdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UnsafeWriteError(shown, `the folder ${part} cannot be created (${(e as NodeJS.ErrnoException).code})`);
      }
      st = fs.lstatSync(dir);
    }
    if (st.isSymbolicLink()) throw new UnsafeWriteError(shown, `${path.relative(root, dir)} is a symbolic link (the tool writes through no link in the workspace)`);
    if (!st.isDirectory()) throw new UnsafeWriteError(shown, `${path.relative(root, dir)} is not a folder`);
  }
  const target = path.join(dir, name);
  checkTarget(target, shown, root);
  const tmp = path.join(dir, `.${name.slice(0, 64)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, CREATE_FLAGS, 0o666);
  } catch (e) {
    throw new UnsafeWriteError(shown, `a file cannot be created in its folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    try {
      fs.writeFileSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    // Checked again just before the rename (which would replace a link, never follow it).
    checkTarget(target, shown, root);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (e instanceof UnsafeWriteError) throw e;
    throw new UnsafeWriteError(shown, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  return target;
}

/** An existing file at `target` must be a regular file: not a link, a folder, a FIFO or a device. */
function checkTarget(target: string, shown: string, root: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch {
    return; // not there: created
  }
  if (st.isSymbolicLink()) throw new UnsafeWriteError(shown, `${path.relative(root, target)} is a symbolic link (the tool writes through no link in the workspace)`);
  if (!st.isFile()) throw new UnsafeWriteError(shown, `${path.relative(root, target)} exists and is not a regular file`);
}
