/**
 * How paths as a process sees them map back to repository files (docs/architecture.md, "Chain
 * resolver"): the resolver and the server-config reader both follow them.
 */
import * as path from 'node:path';
import type { Location } from '../core/location.js';

/** How paths as the process sees them map back to files in the repository. */
export interface PathMapper {
  /** A path as the running process sees it (absolute, or relative to `cwd`) → repo file or null. */
  toRepo(p: string, cwd: string | null): string | null;
  /** Where a bare command name found on PATH could come from (`/usr/local/bin/start`). */
  onPath(name: string): string | null;
  /** A file the build itself writes (`RUN echo '…' > /start.sh`, `COPY <<EOF /start.sh`). */
  written?(p: string, cwd: string | null): WrittenFile | null;
}

/** A script written during the build: its text and where that text sits in the Dockerfile. */
export interface WrittenFile {
  /** The Dockerfile that writes it. */
  file: string;
  /** The path in the image (for cycles and messages). */
  path: string;
  text: string;
  base: { line: number; column: number };
  /** Positions map character for character (a heredoc); else they are kept on `loc`. */
  exact: boolean;
  loc: Location;
}

export function resolvePosix(cwd: string | null, p: string): string {
  if (p.startsWith('/')) return path.posix.normalize(p);
  if (p.startsWith('~')) return p;
  return path.posix.normalize(path.posix.join(cwd ?? '/', p));
}
