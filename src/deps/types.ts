/**
 * Shared types of the dependency readers (src/deps/*). `Declared` and `Declarations` are
 * re-exported from declarations.ts, which is the module the rules import.
 */
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

/** One package that a dependency file declares or an install command installs. */
export interface Declared {
  /** PEP 503 normalised name (`mod-wsgi`, `uvicorn-worker`). */
  name: string;
  /** The requirement as written (`gunicorn[gevent]==22.0 ; sys_platform != "win32"`). */
  raw: string;
  /** Where it is written: the requirement itself, or the install command's word. */
  loc: Location;
  /** `main`, or the extra / group / category / dev-file label that declares it. */
  group: string;
  /** Declared only for development (dev group, dev-named requirements file, `dev-packages`). */
  dev: boolean;
  /**
   * The files that led to `loc.file`, from the file that was read (first) down to the one
   * that includes `loc.file` (last); empty when `loc.file` itself was read.
   */
  via: string[];
  /** Extras requested (`gunicorn[gevent]` → `['gevent']`), normalised. */
  extras?: string[];
  /** PEP 508 environment marker as written, when any. */
  marker?: string;
  /** Which kind of section declared it. */
  kind?: 'main' | 'extra' | 'group';
  /**
   * Read from a lock file (poetry.lock, uv.lock, pdm.lock, pylock.toml): pinned because a
   * selected section needs it, directly or through other packages.
   */
  locked?: boolean;
}

export interface Declarations {
  packages: Declared[];
  /** Every dependency file read (includes followed, lock files), in reading order. */
  files: string[];
  /**
   * Places where the declarations could not be read completely (an include given as a URL or
   * a variable, `install_requires` computed at run time, `dynamic` dependencies with no
   * source, ...). When non-empty, a missing server must not be claimed as "not installed".
   */
  unresolved: ParseIssue[];
}

/** What the readers need of the Project: DPL001 issues, and an optional per-run cache. */
export interface ProjectLike {
  addParseIssues(file: string, issues: ParseIssue[]): void;
  cached?<T>(key: string, make: () => T): T;
}
