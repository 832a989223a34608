import type { Arg } from './args.js';

/**
 * The deployment model (docs/architecture.md, "The deployment model"). Every node carries a 1-based position so that each finding
 * points at the exact file and line. Columns are 1-based; `endColumn` is exclusive (the column
 * after the last character), as in SARIF.
 */

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span in a file; `file` is relative to the scanned root, with `/`. */
export interface Location extends Span {
  file: string;
}

export type Severity = 'error' | 'warning' | 'notice';

// ---------------------------------------------------------------------------------------------
// Words and commands
// ---------------------------------------------------------------------------------------------

/** One piece of a shell word: literal text, a variable expansion, or a command substitution. */
export type WordPart =
  | { kind: 'lit'; text: string }
  /** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:=default}`; `$@`/`$*` use name '@'. */
  | { kind: 'var'; name: string; op?: ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?'; arg?: Word; slice?: ParamSlice }
  /** `$(...)` or backticks: never evaluated. */
  | { kind: 'cmd'; text: string }
  /** `*`, `?`, `[...]` that the shell would expand against the file system. */
  | { kind: 'glob'; text: string };

/** `${@:2}`, `${@:$n:1}`: positional parameters from an offset (the offset and length as written:
 *  a number, or a variable such as `$n` or `n`). */
export interface ParamSlice {
  offset: string;
  length?: string;
}

export interface Word {
  /** The source text of the word, quotes included. */
  raw: string;
  /** The parts after quote removal. A word of only `lit` parts has a static value. */
  parts: WordPart[];
  /** True when the whole word was quoted (no field splitting of its expansions). */
  quoted: boolean;
  loc: Location;
}

export interface Assignment {
  name: string;
  value: Word | null;
  loc: Location;
}

/** How a command was reached from the line the platform reads (docs/architecture.md, "The deployment model"). */
export type Reach =
  | 'direct'
  | 'sh -c'
  | 'exec'
  | 'script'
  | 'entrypoint+cmd'
  | 'compose-override'
  | 'wrapper'
  | 'function';

/** A simple command as written: words with spans. */
export interface Command {
  /** argv: command name first. Empty for a bare assignment such as `export X=1` → see assignments. */
  words: Word[];
  /** Leading `VAR=value` assignments (or the operands of `export`/`declare`). */
  assignments: Assignment[];
  /** The whole command's span. */
  loc: Location;
  /** The command's source text (single line where possible, for `via` and the summary). */
  text: string;
}

/** Shell control context of a command inside a script. */
export interface ShellContext {
  /** Inside an `if`/`case`/`while`/`for` body, or on the right of `||`/`&&`: may not run. */
  conditional: boolean;
  /** Run in the background with `&`. */
  background: boolean;
  /** Part of a pipeline with more than one command. */
  pipeline: boolean;
  /** Inside the condition of an `if`/`while` (a test, not something that serves). */
  condition: boolean;
  /** When in an `if`/`case`: the id of that statement and the index of the arm. */
  branch?: ShellBranch;
  /** Followed by `||` (an alternative runs if it fails). */
  negated?: boolean;
}

/** An arm of an `if`/`case` statement, with what selects it when that is a plain comparison. */
export interface ShellBranch {
  id: number;
  arm: number;
  label: string;
  /** Every arm of the statement, in order (shared by its arms): how each is selected. */
  arms?: { test: ArmTest | null; else?: boolean }[];
  /** The arm of the enclosing `if`/`case`, when nested. */
  parent?: ShellBranch;
  /** Conditional within the arm for another reason too (`&&`, a loop, an outer condition). */
  soft?: boolean;
}

/** `case WORD in P1|P2)`, `[ WORD = P ]`, `[[ WORD == P* ]]`, `test WORD != P`, `[ -z WORD ]`. */
export interface ArmTest {
  subject: Word;
  /** The arm is selected when the subject matches one of them (`negate`: none of them). */
  patterns: Word[];
  /** Patterns are shell globs (`case`, `[[ == ]]`), not plain strings. */
  glob: boolean;
  negate: boolean;
  /** Several tests joined by `||`/`&&` (`[ "$1" = a ] || [ "$2" = a ]`): decided only when they
   *  all give the same answer (any and/or of all-false tests is false, of all-true ones true). */
  all?: ArmTest[];
}

export interface ShellCommand extends Command {
  ctx: ShellContext;
}

export interface ShellScript {
  file: string;
  /** Top-level commands in source order (function bodies excluded; see `functions`). */
  commands: ShellCommand[];
  functions: Record<string, ShellCommand[]>;
  /** Syntax errors, each with its position. */
  errors: ParseIssue[];
  /** Shebang interpreter (`sh`, `bash`, `python`, ...) when present. */
  shebang?: string;
}

// ---------------------------------------------------------------------------------------------
// Parse results
// ---------------------------------------------------------------------------------------------

export interface ParseIssue {
  message: string;
  loc: Location;
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

export type ServerKind =
  | 'gunicorn'
  | 'uwsgi'
  | 'uvicorn'
  | 'daphne'
  | 'hypercorn'
  | 'granian'
  | 'waitress'
  | 'mod_wsgi'
  | 'bjoern'
  | 'runserver'
  | 'runserver_plus'
  | 'unknown';

export interface ServerInfo {
  kind: ServerKind;
  /** The repository file of the server's config file, when it was found and read. */
  configRead?: string;
  /** The app the server is given (`proj.wsgi:application`), as written, when static. */
  app: string | null;
  appLoc: Location | null;
  /** Bind addresses as written (`0.0.0.0:$PORT`, `unix:/run/app.sock`). */
  bind: { value: string; loc: Location }[];
  /** Options that rules care about, each with where it was written. */
  options: Partial<Record<ServerOption, { value: string; loc: Location }>>;
  /** The command that runs the server (after wrappers were peeled off). */
  command: Command;
  /** Index of the server's name in `command.words` (words after it are its arguments). */
  argStart: number;
}

export type ServerOption =
  | 'reload'
  | 'chdir'
  | 'pythonpath'
  | 'config'
  | 'workerClass'
  | 'interface'
  | 'settings'
  | 'ini'
  | 'module'
  | 'wsgiFile'
  | 'http'
  | 'socket'
  | 'staticMap'
  | 'pyAutoreload';

// ---------------------------------------------------------------------------------------------
// Targets and processes
// ---------------------------------------------------------------------------------------------

export type TargetKind = 'procfile' | 'dockerfile' | 'compose' | 'systemd' | 'supervisord' | 'uwsgi-ini' | 'fly' | 'render' | 'app-engine' | 'kubernetes' | 'heroku-yml' | 'app-json' | 'platform-sh' | 'railway' | 'nixpacks' | 'digitalocean' | 'azure' | 'upsun' | 'makefile';
export type Role = 'web' | 'release' | 'worker' | 'build' | 'other';

/** A step of a chain, for `via` and SARIF relatedLocations. */
export interface ChainStep {
  file: string;
  line: number;
  column?: number;
  text: string;
  reach: Reach;
}

/** A command met while following a process, with the chain that led to it. */
export interface ResolvedCommand {
  command: Command;
  /** Its words with the values known at that point (wrappers peeled off). */
  args: Arg[];
  /** The steps from the entry point to (and including) this command's own line. */
  chain: ChainStep[];
  /** May not run (inside a branch, after `||`, ...). */
  conditional: boolean;
  /** When the command sits in an `if`/`case` arm: a label of that arm for messages. */
  branch?: { id: string; label: string; /** Variables whose being unset selects this arm (the default branch). */ unset?: string[] };
  /** Variables known at this point (Dockerfile ENV/ARG, Environment=, compose, script assignments). */
  env: Record<string, string>;
  /** Working directory in the image / on the host when known (absolute, posix). */
  cwd: string | null;
}

/** Where following a process stopped without reaching a server (DPL002). */
export interface Unresolved {
  message: string;
  loc: Location;
  chain: ChainStep[];
}

export interface Process {
  /** Procfile process type, compose service, unit name, or `web` for a Dockerfile. */
  name: string;
  role: Role;
  /** The line the platform reads. */
  entry: Location;
  /** Every command the process runs along the way, in order (migrate, collectstatic, ...). */
  commands: ResolvedCommand[];
  /** The long-running server(s) it ends in; several when branches choose. */
  servers: { server: ServerInfo; at: ResolvedCommand }[];
  /** The final command(s) when they are not a recognised server. */
  finals: ResolvedCommand[];
  unresolved: Unresolved[];
}

export interface Target {
  /** `<kind>:<file>` or `<kind>:<file>#<service>`. */
  id: string;
  kind: TargetKind;
  file: string;
  line: number;
  production: boolean;
  productionReason: string;
  processes: Process[];
  /** collectstatic found in the target's build, release or start path. */
  collectstatic: ResolvedCommand | null;
  /** Free-form facts a target kind records for rules (Dockerfile stages, installs, ...). */
  facts: TargetFacts;
  /** The static-files story in one line (`collectstatic: Dockerfile:14 → STATIC_ROOT=/app/staticfiles → WhiteNoise`), for production targets that serve Django. */
  staticStory?: string | null;
}

export interface TargetFacts {
  /** Heroku-style buildpack target: the platform runs collectstatic itself. */
  platformCollectstatic?: { reason: string };
  /** Dockerfile that the target builds (repo path) and the stage that runs. */
  dockerfile?: { file: string; stage: string | null; context: string };
  /**
   * A Dockerfile whose own ENTRYPOINT/CMD every production compose service that builds it
   * replaces: what it ships to `docker run`, Kubernetes and registries, checked by DPL101 only.
   * `published`: where the repository pushes the image or tells users to `docker run` it.
   */
  shippedDefault?: { overriddenBy: string[]; published: { file: string; line: number; what: string } | null };
  /** Working directory the processes start in. */
  cwd?: string | null;
  /** Environment visible to the processes. */
  env?: Record<string, string>;
  /** Where the environment variables came from, for findings (DEBUG=1 ...). */
  envLocs?: Record<string, Location>;
}

// ---------------------------------------------------------------------------------------------
// Findings and result
// ---------------------------------------------------------------------------------------------

export interface Finding {
  ruleId: string;
  rule: string;
  severity: Severity;
  /** Id of the target it concerns, or null for repo-wide findings. */
  target: string | null;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  via: { file: string; line: number; column?: number; text?: string }[];
  /** One-line fix, for the summary. */
  fix?: string;
  /** What the fix needs besides itself (the server it starts is not installed yet). */
  fixNeeds?: FixNeeds;
}

/**
 * A package the fix starts but the target does not install: the line to add and where
 * (`file` null: where the target installs from could not be read; say it in words).
 */
export interface FixNeeds {
  package: string;
  file: string | null;
  /** `[project] dependencies`, `[packages]`, …; null for a plain requirements file. */
  section: string | null;
  /** The line to add (`gunicorn`, `"gunicorn",`). */
  text: string;
}

export interface Summary {
  errors: number;
  warnings: number;
  notices: number;
}

export interface Result {
  version: 1;
  root: string;
  targets: Target[];
  findings: Finding[];
  summary: Summary;
  /** Findings removed by pragmas or configuration (kept for the summary and `--explain`). */
  suppressed: number;
  /** Findings recorded in the baseline (`--baseline`): listed apart, not counted (src/baseline.ts). */
  baselined?: Finding[];
  /** How many files were discovered and how many were read. */
  stats: { files: number; read: number; ms: number };
  /** With the action's `filter-mode`: findings outside what the pull request changed (not counted). */
  outside?: { mode: string; findings: Finding[] };
}
