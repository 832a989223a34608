/**
 * Process managers that start the programs of their own configuration (docs/architecture.md,
 * "Following a process"). Adding one is one entry in PROCESS_MANAGERS: how its command line
 * names the configuration, where it looks by default, and which reader lists its programs.
 *
 * - `supervisord -c FILE`: the `[program:x]` sections (`command=` run without a shell);
 * - `honcho|foreman|overmind|hivemind start -f FILE` (or the Procfile in the working folder):
 *   each Procfile line, run with a shell;
 * - s6-overlay's `/init`, `s6-svscan DIR`, runit's `runsvdir DIR`: the `run` script of every
 *   service folder the image holds (`/etc/services.d/x/run`, `/etc/s6-overlay/s6-rc.d/x/run`,
 *   `/etc/service/x/run`).
 */
import { commandBase, type Arg } from './args.js';

export type ManagerFormat = 'supervisord' | 'procfile' | 'service-dirs';

export interface ProcessManagerSpec {
  /** Command basenames (`supervisord`), or exact paths (`/init`) for generic names. */
  names: string[];
  /** Exact command values matched instead of the basename (`/init` of s6-overlay). */
  paths?: string[];
  /** Subcommand that starts the programs (`start`); other subcommands run nothing here. */
  sub?: string[];
  /** Options whose value is the configuration file (or the service folder). */
  configOpts: string[];
  /** Options that take a separate value (skipped when looking for a positional operand). */
  valueOpts?: string[];
  /** The first operand names the configuration (`hivemind Procfile`, `runsvdir /etc/service`). */
  operandConfig?: boolean;
  /** Where it looks when no configuration is named: relative to the working folder, or absolute. */
  defaults: string[];
  format: ManagerFormat;
}

/** Service folders (in the image) whose sub-folders hold `run` scripts, for s6 and runit. */
export const SERVICE_DIRS = ['/etc/services.d', '/etc/s6-overlay/s6-rc.d', '/etc/service', '/etc/sv', '/var/service', '/service'];

export const PROCESS_MANAGERS: ProcessManagerSpec[] = [
  {
    names: ['supervisord'],
    configOpts: ['-c', '--configuration'],
    valueOpts: ['-u', '--user', '-d', '--directory', '-l', '--logfile', '-y', '--logfile_maxbytes', '-z', '--logfile_backups', '-e', '--loglevel', '-j', '--pidfile', '-i', '--identifier', '-q', '--childlogdir', '-a', '--minfds', '--minprocs', '-m', '--umask'],
    // supervisord's own search order (relative ones in the working folder first).
    defaults: ['supervisord.conf', 'etc/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'],
    format: 'supervisord',
  },
  { names: ['honcho'], sub: ['start'], configOpts: ['-f', '--procfile'], valueOpts: ['-e', '--env', '-d', '--app-root', '-p', '--port', '-c', '--concurrency', '-q', '--quiet'], defaults: ['Procfile'], format: 'procfile' },
  { names: ['foreman'], sub: ['start'], configOpts: ['-f', '--procfile'], valueOpts: ['-e', '--env', '-d', '--root', '-p', '--port', '-m', '--formation', '-t', '--timeout'], defaults: ['Procfile'], format: 'procfile' },
  { names: ['overmind'], sub: ['start'], configOpts: ['-f', '--procfile'], valueOpts: ['-e', '--env', '-d', '--root', '-p', '--port', '-l', '--processes', '-s', '--socket', '-r', '--can-die', '-x', '--auto-restart', '-t', '--timeout'], defaults: ['Procfile'], format: 'procfile' },
  { names: ['hivemind'], configOpts: [], valueOpts: ['-p', '--port', '-r', '--root', '-s', '--title', '-t', '--timeout', '--port-step'], operandConfig: true, defaults: ['Procfile'], format: 'procfile' },
  { names: ['init'], paths: ['/init'], configOpts: [], defaults: SERVICE_DIRS, format: 'service-dirs' },
  { names: ['s6-svscan', 'runsvdir'], configOpts: [], valueOpts: ['-t'], operandConfig: true, defaults: ['/etc/service', '/etc/services.d'], format: 'service-dirs' },
  { names: ['runit', 'runit-init', 'my_init'], configOpts: [], defaults: ['/etc/service'], format: 'service-dirs' },
];

const BY_NAME = new Map<string, ProcessManagerSpec>();
for (const m of PROCESS_MANAGERS) for (const n of m.names) BY_NAME.set(n, m);

export interface ManagerCall {
  spec: ProcessManagerSpec;
  /** The manager's name as the chain shows it (`honcho start`). */
  label: string;
  /** The configuration named on the command line, with its arg; null = the defaults. */
  config: Arg | null;
  /** The command runs something else (`honcho run X`, `supervisord --version`): not a manager start. */
}

/** If `args` starts a process manager, which one and which configuration it reads. */
export function managerCall(args: Arg[]): ManagerCall | null {
  const value = args[0]?.value ?? null;
  const base = commandBase(value);
  if (base === null) return null;
  const spec = BY_NAME.get(base);
  if (!spec) return null;
  if (spec.paths && !spec.paths.includes(value!)) return null;
  let i = 1;
  for (const s of spec.sub ?? []) {
    if (args[i]?.value !== s) return null;
    i++;
  }
  let config: Arg | null = null;
  for (; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) continue;
    const eq = v.indexOf('=');
    const opt = v.startsWith('--') && eq > 0 ? v.slice(0, eq) : v;
    if (spec.configOpts.includes(opt)) {
      if (opt !== v) config = { ...args[i], value: v.slice(eq + 1), text: v.slice(eq + 1) };
      else if (args[i + 1]) config = args[++i];
      continue;
    }
    if (spec.valueOpts?.includes(opt) && opt === v) {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    if (spec.operandConfig && config === null) config = args[i];
    // `s6-svscan` and friends accept nothing else; other operands (`honcho start web`) pick programs.
  }
  return { spec, label: [base, ...(spec.sub ?? [])].join(' '), config };
}
