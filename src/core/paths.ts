/**
 * Repository paths (docs/architecture.md, "Layers": core): one spelling for a path relative to
 * the repository root, so that paths read from different files compare equal.
 */
import * as path from 'node:path';

/** `./a/b/`, `a//b`, `a/./b` → `a/b`; the root (`.`, `./`) → `''`. */
export function normPath(p: string): string {
  const n = path.posix.normalize(p).replace(/^\.\/?/, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}
