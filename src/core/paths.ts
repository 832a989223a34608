/**
 * Repository paths (docs/architecture.md, "Layers": core): one spelling for a path relative to
 * the repository root, so that paths read from different files compare equal.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';

/** `./a/b/`, `a//b`, `a/./b` → `a/b`; the root (`.`, `./`) → `''`. */
export function normPath(p: string): string {
  const n = path.posix.normalize(p).replace(/^\.\/?/, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}

/**
 * A file-name glob as POSIX `fnmatch`/Go `filepath.Match`/Python `glob` read it: `*`, `?` and
 * `[…]` (`[!…]` negated) never cross `/`; a leading dot is matched like any character; `**`,
 * braces, extglobs and a leading `!` have no special meaning.
 */
export function fileGlob(pattern: string): (p: string) => boolean {
  const p = pattern.replace(/[()|{}]/g, '\\$&').replace(/\[!/g, '[^');
  return picomatch(p, { dot: true, nobrace: true, noextglob: true, nonegate: true, noglobstar: true });
}
