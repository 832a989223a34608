/**
 * The state of one read of dependency files: which files were read, which are being read
 * (for include cycles), where declarations could not be resolved, and how issues reach the
 * project (DPL001).
 */
import * as path from 'node:path';
import type { Repo } from '../discover/repo.js';
import { normalize } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import type { Declared, ProjectLike } from './types.js';

/** Include depth bound (`-r` chains, setup.py → requirements, pyproject → requirements). */
export const MAX_DEPTH = 12;
/** Files read at most in one read of declarations. */
export const MAX_FILES = 200;

/** The label a file or section gives the packages it declares. */
export interface Label {
  group: string;
  dev: boolean;
  kind: 'main' | 'extra' | 'group';
}

export const MAIN: Label = { group: 'main', dev: false, kind: 'main' };

export class ReadCtx {
  readonly files: string[] = [];
  readonly unresolved: ParseIssue[] = [];
  /** Files on the current include path (for cycles). */
  readonly stack: string[] = [];
  private readonly fileSet = new Set<string>();

  constructor(
    readonly repo: Repo,
    readonly project?: ProjectLike,
    /** Maps an absolute path written in a file (`-r /app/req/base.txt`) to a repo path. */
    readonly absolutePath?: (p: string) => string | null,
  ) {}

  addFile(file: string): boolean {
    if (this.fileSet.has(file)) return false;
    if (this.fileSet.size >= MAX_FILES) return false;
    this.fileSet.add(file);
    this.files.push(file);
    return true;
  }

  hasRead(file: string): boolean {
    return this.fileSet.has(file);
  }

  issue(file: string, message: string, loc: Location): void {
    this.project?.addParseIssues(file, [{ message, loc }]);
  }

  unresolvedAt(message: string, loc: Location): void {
    if (!this.unresolved.some((u) => u.message === message && u.loc.file === loc.file && u.loc.line === loc.line)) {
      this.unresolved.push({ message, loc });
    }
  }

  /**
   * A path written in `fromFile` (relative to its folder), as a repo path; null when it
   * leaves the repository or is absolute and cannot be mapped.
   */
  resolve(p: string, fromFile: string): string | null {
    if (p.startsWith('/')) return this.absolutePath ? this.absolutePath(p) : null;
    const dir = path.posix.dirname(fromFile);
    const joined = normalize(path.posix.join(dir === '.' ? '' : dir, p));
    if (joined.startsWith('../') || joined === '..') return null;
    return joined;
  }
}

export function fileStartLoc(file: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function mk(
  name: string,
  raw: string,
  loc: Location,
  label: Label,
  via: string[],
  extra: { extras?: string[]; marker?: string; locked?: boolean } = {},
): Declared {
  const d: Declared = { name, raw, loc, group: label.group, dev: label.dev, via: [...via], kind: label.kind };
  if (extra.extras && extra.extras.length > 0) d.extras = extra.extras;
  if (extra.marker) d.marker = extra.marker;
  if (extra.locked) d.locked = true;
  return d;
}

/** Parent folder of a repo path, `''` for the root. */
export function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
