import type { Arg } from './args.js';
import type { Location } from '../core/location.js';
import type { Command } from '../core/words.js';

/**
 * The deployment model (docs/architecture.md, "The deployment model"). Every node carries a 1-based position so that each finding
 * points at the exact file and line. Columns are 1-based; `endColumn` is exclusive (the column
 * after the last character), as in SARIF.
 */

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
