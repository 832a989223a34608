/**
 * Programs that run their arguments as a command (docs/architecture.md, "Chain resolver"). Adding one is one line in WRAPPERS.
 *
 * A wrapper is peeled off to find the command it runs: `gosu app tini -- gunicorn x` → gunicorn.
 */
import { commandBase, type Arg } from './args.js';

export interface WrapperSpec {
  /** Command names (basenames) this entry matches. */
  names: string[];
  /** Subcommand words that must follow (`poetry run`, `newrelic-admin run-program`). */
  sub?: string[];
  /** Positional operands before the command (`gosu USER cmd` → 1). */
  operands?: number;
  /** Options that take a value (`-u USER`); `'any'` = every option takes one. Others are flags. */
  valueOpts?: string[] | 'any';
  /** The command comes only after `--` (`wait-for-it host:port -- cmd`). */
  requiresDashDash?: boolean;
  /** `NAME=value` words before the command set variables (`env A=1 cmd`). */
  assignments?: boolean;
  /** Options whose value is a shell command string (`su app -c "cmd"`, `doppler run --command`). */
  shellOpts?: string[];
  /** Options whose value changes the working directory (`env -C dir`, `uv run --directory`). */
  chdirOpts?: string[];
}

export const WRAPPERS: WrapperSpec[] = [
  { names: ['env'], assignments: true, valueOpts: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'], shellOpts: ['-S', '--split-string'], chdirOpts: ['-C', '--chdir'] },
  { names: ['exec'], valueOpts: ['-a'] },
  { names: ['command', 'builtin', 'nohup', 'setsid', 'time', 'with-contenv'] },
  { names: ['nice'], valueOpts: ['-n', '--adjustment'] },
  { names: ['ionice'], valueOpts: ['-c', '-n', '-t'] },
  { names: ['stdbuf'], valueOpts: ['-i', '-o', '-e'] },
  { names: ['dumb-init'], valueOpts: ['-r', '--rewrite'] },
  { names: ['tini', 'tini-static'], valueOpts: ['-e', '-p', '-l'] },
  { names: ['catatonit'] },
  { names: ['gosu', 'su-exec', 's6-setuidgid', 'setuidgid', 'envdir', 's6-envdir'], operands: 1 },
  { names: ['chpst'], valueOpts: ['-u', '-U', '-b', '-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c'] },
  { names: ['runuser'], valueOpts: ['-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w'], shellOpts: ['-c', '--command'] },
  { names: ['su'], valueOpts: ['-s', '--shell', '-g', '--group', '-G', '-w'], shellOpts: ['-c', '--command'] },
  { names: ['sudo'], valueOpts: ['-u', '--user', '-g', '--group', '-C', '-D', '--chdir', '-p', '-r', '-t', '-U', '-h'], chdirOpts: ['-D', '--chdir'] },
  { names: ['newrelic-admin'], sub: ['run-program'] },
  { names: ['ddtrace-run', 'scout-apm-run'] },
  { names: ['opentelemetry-instrument'], valueOpts: 'any' },
  { names: ['doppler'], sub: ['run'], valueOpts: ['-p', '--project', '-c', '--config', '-t', '--token', '--fallback', '--mount', '--mount-format', '--mount-template', '--name-transformer', '--scope'], shellOpts: ['--command'] },
  { names: ['infisical'], sub: ['run'], valueOpts: ['--env', '--path', '--projectId', '--token', '--domain', '--tags'], shellOpts: ['--command'] },
  { names: ['op'], sub: ['run'], valueOpts: ['--env-file'] },
  { names: ['chamber'], sub: ['exec'], requiresDashDash: true },
  { names: ['poetry', 'pipenv', 'pdm', 'rye'], sub: ['run'] },
  { names: ['hatch'], sub: ['run'], valueOpts: ['-e', '--env'] },
  {
    names: ['uv'],
    sub: ['run'],
    valueOpts: ['--with', '--with-requirements', '--with-editable', '-p', '--python', '--package', '--extra', '--group', '--only-group', '--no-group', '--env-file', '--directory', '--project', '--index', '--default-index', '--index-url', '--extra-index-url', '--find-links', '-f', '--index-strategy', '--reinstall-package', '--upgrade-package', '-P', '--config-file', '--cache-dir'],
    chdirOpts: ['--directory'],
  },
  { names: ['wait-for-it', 'wait-for-it.sh', 'wait-for', 'wait-for.sh'], requiresDashDash: true },
  { names: ['dockerize'], valueOpts: ['-wait', '--wait', '-timeout', '--timeout', '-template', '--template', '-stdout', '-stderr', '-poll', '-wait-retry-interval', '-delims', '-env', '-env-section', '-wait-http-header'] },
];

const BY_NAME = new Map<string, WrapperSpec[]>();
for (const w of WRAPPERS) for (const n of w.names) BY_NAME.set(n, [...(BY_NAME.get(n) ?? []), w]);

export interface Peeled {
  /** The wrapper's name, for the chain (`gosu`, `poetry run`). */
  wrapper: string;
  /** Index of the wrapped command's first word; absent when it runs a shell string instead. */
  start?: number;
  /** A shell command string the wrapper runs (`su app -c "…"`). */
  shell?: Arg;
  /** Variables the wrapper sets (`env A=1 …`). */
  env: Record<string, string | null>;
  /** A directory the wrapper changes into. */
  cwd?: string | null;
}

/**
 * If `args[0]` is a wrapper that runs a command, say where that command starts.
 * Returns null when it is not a wrapper, or when the wrapper runs nothing here
 * (`wait-for-it db:5432` without `--`, `env` alone).
 */
export function peelWrapper(args: Arg[]): Peeled | null {
  const name = commandBase(args[0]?.value ?? null);
  if (name === null) return null;
  const specs = BY_NAME.get(name);
  if (!specs) return null;
  for (const spec of specs) {
    const r = peelWith(spec, name, args);
    if (r) return r;
  }
  return null;
}

function peelWith(spec: WrapperSpec, name: string, args: Arg[]): Peeled | null {
  let i = 1;
  for (const s of spec.sub ?? []) {
    if (args[i]?.value !== s) return null;
    i++;
  }
  const label = [name, ...(spec.sub ?? [])].join(' ');
  const env: Record<string, string | null> = {};
  let cwd: string | null | undefined;

  // A shell-string option anywhere decides it (`su - app -c "cmd"`, `runuser -l app -c "cmd"`).
  if (spec.shellOpts && spec.shellOpts.length > 0) {
    for (let j = i; j < args.length; j++) {
      const v = args[j].value;
      if (v === '--') break;
      if (v !== null && spec.shellOpts.includes(v) && args[j + 1]) return { wrapper: label, shell: args[j + 1], env };
    }
  }
  if (spec.requiresDashDash) {
    const dd = args.findIndex((a, j) => j >= i && a.value === '--');
    if (dd < 0 || dd + 1 >= args.length) return null;
    return { wrapper: label, start: dd + 1, env };
  }
  let operands = spec.operands ?? 0;
  while (i < args.length) {
    const v = args[i].value;
    if (v === null) {
      // An operand known only at run time (`gosu "$PUID" cmd`) is still an operand.
      if (operands > 0) {
        operands--;
        i++;
        continue;
      }
      break;
    }
    if (v === '--') {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
      const eq = v.indexOf('=');
      env[v.slice(0, eq)] = v.slice(eq + 1);
      i++;
      continue;
    }
    if (v.startsWith('-') && v.length > 1 && operands === (spec.operands ?? 0)) {
      const eq = v.indexOf('=');
      const opt = eq > 0 ? v.slice(0, eq) : v;
      const takesValue = spec.valueOpts === 'any' || (spec.valueOpts ?? []).includes(opt) || clusterTakesValue(spec, opt);
      if (takesValue && eq < 0) {
        if (spec.chdirOpts?.includes(opt)) cwd = args[i + 1]?.value ?? null;
        i += 2;
      } else {
        if (eq > 0 && spec.chdirOpts?.includes(opt)) cwd = v.slice(eq + 1);
        i++;
      }
      continue;
    }
    if (operands > 0) {
      operands--;
      i++;
      continue;
    }
    break;
  }
  if (i >= args.length) return null;
  return cwd === undefined ? { wrapper: label, start: i, env } : { wrapper: label, start: i, env, cwd };
}

/**
 * Short flags written together (`sudo -HEu app cmd`): the cluster takes a value when its last
 * letter is an option with a value and none before it is one (`-uapp` is `-u` with `app` attached).
 */
function clusterTakesValue(spec: WrapperSpec, opt: string): boolean {
  if (!Array.isArray(spec.valueOpts) || !/^-[A-Za-z]{2,}$/.test(opt)) return false;
  const letters = [...opt.slice(1)];
  const takes = (l: string) => (spec.valueOpts as string[]).includes(`-${l}`);
  return takes(letters[letters.length - 1]) && !letters.slice(0, -1).some(takes);
}
