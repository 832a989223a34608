/**
 * Recognise what a command runs: a WSGI/ASGI server (with its app, binds and options), a Django
 * management command (`manage.py runserver`, `collectstatic`), or a known background worker.
 */
import { commandBase, isPython, spanOf, type Arg } from './args.js';
import type { Command } from '../core/words.js';
import type { Location } from '../core/location.js';
import type { ServerInfo, ServerKind, ServerOption } from './types.js';

interface ServerSpec {
  kind: ServerKind;
  /** Options that take a value (others are flags). Long options also accept `--opt=value`. */
  valueOpts: string[];
  /** Which options rules care about. */
  known: Partial<Record<ServerOption, string[]>>;
  bind?: string[];
  /** How host and port options combine into a bind (`--host 0.0.0.0 --port 8000`). */
  host?: string[];
  port?: string[];
  /** The app is the first positional argument (`gunicorn proj.wsgi`). */
  positionalApp: boolean;
}

const GUNICORN: ServerSpec = {
  kind: 'gunicorn',
  valueOpts: [
    '-b', '--bind', '-w', '--workers', '-k', '--worker-class', '-c', '--config', '--chdir', '--pythonpath',
    '-t', '--timeout', '--log-level', '--access-logfile', '--error-logfile', '--log-file', '-u', '--user',
    '-g', '--group', '--threads', '--max-requests', '--max-requests-jitter', '-e', '--env', '-n', '--name',
    '--keep-alive', '--graceful-timeout', '--worker-connections', '--forwarded-allow-ips', '--proxy-allow-from',
    '--limit-request-line', '--limit-request-fields', '--limit-request-field_size', '--worker-tmp-dir',
    '--statsd-host', '--statsd-prefix', '--certfile', '--keyfile', '--ca-certs', '--ssl-version', '--ciphers',
    '--backlog', '-p', '--pid', '--umask', '--log-config', '--log-config-json', '--log-syslog-to', '--log-syslog-prefix',
    '--log-syslog-facility', '--access-logformat', '--paste', '--paste-global', '-m', '--reload-engine',
    '--reload-extra-file', '--logger-class', '--dogstatsd-tags', '--initgroups', '--raw-env', '--wsgi-app',
    '--cert-reqs', '--worker-class-args', '--forwarder-headers', '--header-map',
  ],
  known: {
    reload: ['--reload'],
    chdir: ['--chdir'],
    pythonpath: ['--pythonpath'],
    config: ['-c', '--config'],
    workerClass: ['-k', '--worker-class'],
  },
  bind: ['-b', '--bind'],
  positionalApp: true,
};

const UVICORN: ServerSpec = {
  kind: 'uvicorn',
  valueOpts: [
    '--host', '--port', '--uds', '--fd', '--workers', '--env-file', '--log-level', '--root-path', '--forwarded-allow-ips',
    '--loop', '--http', '--ws', '--interface', '--lifespan', '--app-dir', '--reload-dir', '--reload-include',
    '--reload-exclude', '--reload-delay', '--limit-concurrency', '--limit-max-requests', '--timeout-keep-alive',
    '--timeout-graceful-shutdown', '--ssl-keyfile', '--ssl-certfile', '--ssl-keyfile-password', '--ssl-version',
    '--ssl-cert-reqs', '--ssl-ca-certs', '--ssl-ciphers', '--header', '--h11-max-incomplete-event-size',
    '--log-config', '--backlog', '--ws-max-size', '--ws-max-queue', '--ws-ping-interval', '--ws-ping-timeout',
    '--ws-per-message-deflate', '--timeout-worker-healthcheck',
  ],
  known: { reload: ['--reload'], chdir: ['--app-dir'], interface: ['--interface'] },
  host: ['--host'],
  port: ['--port'],
  bind: ['--uds'],
  positionalApp: true,
};

const DAPHNE: ServerSpec = {
  kind: 'daphne',
  valueOpts: [
    '-b', '--bind', '-p', '--port', '-u', '--unix-socket', '--fd', '-e', '--endpoint', '-v', '--verbosity',
    '--access-log', '--log-fmt', '--http-timeout', '--ping-interval', '--ping-timeout', '--application-close-timeout',
    '--root-path', '--proxy-headers-host', '--proxy-headers-port', '-t', '--websocket_timeout',
    '--websocket_connect_timeout', '-s', '--server-name',
  ],
  known: {},
  host: ['-b', '--bind'],
  port: ['-p', '--port'],
  bind: ['-u', '--unix-socket', '-e', '--endpoint'],
  positionalApp: true,
};

const HYPERCORN: ServerSpec = {
  kind: 'hypercorn',
  valueOpts: [
    '-b', '--bind', '-c', '--config', '-k', '--worker-class', '-w', '--workers', '--access-logfile', '--error-logfile',
    '--log-file', '--access-logformat', '--certfile', '--keyfile', '--ca-certs', '--ciphers', '--root-path', '-u',
    '--umask', '--user', '-g', '--group', '--log-level', '--log-config', '-p', '--pid', '--backlog', '--graceful-timeout',
    '--keep-alive', '--max-requests', '--max-requests-jitter', '--read-timeout', '--server-name', '--statsd-host',
    '--statsd-prefix', '--websocket-ping-interval', '--quic-bind', '--insecure-bind',
  ],
  known: { reload: ['--reload'], config: ['-c', '--config'], workerClass: ['-k', '--worker-class'] },
  bind: ['-b', '--bind', '--insecure-bind'],
  positionalApp: true,
};

const GRANIAN: ServerSpec = {
  kind: 'granian',
  valueOpts: [
    '--interface', '--host', '--port', '--uds', '--uds-permissions', '--workers', '--threads', '--blocking-threads',
    '--runtime-threads', '--runtime-mode', '--threading-mode', '--loop', '--task-impl', '--http', '--backlog',
    '--backpressure', '--log-level', '--log-config', '--ssl-certificate', '--ssl-keyfile', '--ssl-keyfile-password',
    '--url-path-prefix', '--respawn-interval', '--workers-lifetime', '--workers-kill-timeout', '--reload-paths',
    '--reload-ignore-dirs', '--reload-ignore-patterns', '--reload-ignore-paths', '--working-dir', '--pid-file',
    '--process-name', '--static-path-route', '--static-path-mount', '--static-path-expires', '--blocking-threads-idle-timeout',
    '--http1-buffer-size', '--http1-header-read-timeout', '--http2-adaptive-window', '--access-log-fmt',
  ],
  known: { reload: ['--reload'], interface: ['--interface'], chdir: ['--working-dir'] },
  host: ['--host'],
  port: ['--port'],
  bind: ['--uds'],
  positionalApp: true,
};

const WAITRESS: ServerSpec = {
  kind: 'waitress',
  valueOpts: [
    '--host', '--port', '--listen', '--unix-socket', '--unix-socket-perms', '--threads', '--url-scheme', '--url-prefix',
    '--ident', '--backlog', '--recv-bytes', '--send-bytes', '--outbuf-overflow', '--inbuf-overflow', '--connection-limit',
    '--cleanup-interval', '--channel-timeout', '--max-request-header-size', '--max-request-body-size',
    '--asyncore-loop-timeout', '--trusted-proxy', '--trusted-proxy-count', '--trusted-proxy-headers',
  ],
  known: {},
  host: ['--host'],
  port: ['--port'],
  bind: ['--listen', '--unix-socket'],
  positionalApp: true,
};

const UWSGI: ServerSpec = {
  kind: 'uwsgi',
  // uWSGI has hundreds of options; most take a value. Its booleans are listed in UWSGI_FLAGS.
  valueOpts: [],
  known: {
    ini: ['--ini', '--yaml', '--yml', '--json', '--xml'],
    module: ['--module', '-w', '--wsgi'],
    wsgiFile: ['--wsgi-file', '--file'],
    http: ['--http', '--http-socket', '--https'],
    socket: ['--socket', '-s', '--uwsgi-socket'],
    chdir: ['--chdir', '--chdir2'],
    pythonpath: ['--pythonpath', '--python-path', '--pp'],
    staticMap: ['--static-map'],
    pyAutoreload: ['--py-autoreload', '--python-autoreload'],
  },
  positionalApp: false,
};

const UWSGI_FLAGS = new Set([
  '--master', '-M', '--enable-threads', '-T', '--vacuum', '--die-on-term', '--lazy-apps', '--lazy', '--need-app',
  '--strict', '--single-interpreter', '--harakiri-verbose', '--thunder-lock', '--honour-stdin', '--no-orphans',
  '--memory-report', '--disable-logging', '--log-master', '--auto-procname', '--py-tracebacker', '--cheaper-busyness-verbose',
  '--close-on-exec', '--reload-mercy', '--logdate', '--log-4xx', '--log-5xx', '--log-slow', '--show-config', '--no-defer-accept',
  '--catch-exceptions', '--post-buffering-bufsize', '--offload-threads', '--buffer-size', '--http-keepalive', '--http-auto-chunked',
  '--add-header', '--static-gzip-all', '--cache-expires', '--wsgi-env-behaviour', '--hook-master-start', '--ignore-sigpipe',
  '--ignore-write-errors', '--disable-write-exception', '--http-auto-gzip', '--enable-metrics', '--stats-http', '--memory-report',
]);

const MOD_WSGI: ServerSpec = {
  kind: 'mod_wsgi',
  valueOpts: [
    '--port', '--host', '--server-root', '--user', '--group', '--processes', '--threads', '--url-alias', '--working-directory',
    '--application-type', '--entry-point', '--callable-object', '--server-name', '--log-directory', '--log-level',
    '--include-file', '--python-path', '--document-root', '--setup-only', '--max-clients', '--https-port',
  ],
  known: { reload: ['--reload-on-changes'], chdir: ['--working-directory'], pythonpath: ['--python-path'] },
  host: ['--host'],
  port: ['--port'],
  positionalApp: true,
};

const SPECS: Record<string, ServerSpec> = {
  gunicorn: GUNICORN,
  gunicorn3: GUNICORN,
  uvicorn: UVICORN,
  daphne: DAPHNE,
  hypercorn: HYPERCORN,
  granian: GRANIAN,
  'waitress-serve': WAITRESS,
  'waitress-serve3': WAITRESS,
  uwsgi: UWSGI,
  uwsgi_python3: UWSGI,
  pyuwsgi: UWSGI,
  'mod_wsgi-express': MOD_WSGI,
};

/** `python -m <module>` names that start a server. */
const PYTHON_MODULES: Record<string, string> = {
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  daphne: 'daphne',
  hypercorn: 'hypercorn',
  granian: 'granian',
  waitress: 'waitress-serve',
  pyuwsgi: 'pyuwsgi',
  mod_wsgi: 'mod_wsgi-express',
};

/** Python interpreter options that take a value (`python -X dev`, `-W ignore`). */
const PYTHON_VALUE_OPTS = new Set(['-W', '-X', '-Q', '--check-hash-based-pycs']);

/** Skip the interpreter and its options: index of the script or `-m`/`-c`, or -1. */
export function pythonOperand(args: Arg[], start: number): number {
  let i = start + 1;
  while (i < args.length) {
    const v = args[i].value;
    if (v === null) return -1;
    if (v === '-m' || v === '-c') return i;
    if (/^-m./.test(v)) return i; // -mgunicorn
    if (PYTHON_VALUE_OPTS.has(v)) {
      i += 2;
      continue;
    }
    if (v.startsWith('-') && v !== '-') {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

export interface DjangoCommand {
  /** `runserver`, `collectstatic`, `migrate` ... */
  name: string;
  nameArg: Arg;
  /** Arguments after the subcommand. */
  rest: Arg[];
  /** How it was invoked, for messages: `manage.py`, `django-admin`, `python -m django`. */
  via: string;
  /** `manage.py` path as written, when invoked through it. */
  managePy?: string;
}

/** `python manage.py X`, `./manage.py X`, `django-admin X`, `python -m django X`. */
export function djangoCommand(args: Arg[], start = 0): DjangoCommand | null {
  const first = args[start]?.value ?? null;
  const base = commandBase(first);
  let sub = -1;
  let via = '';
  let managePy: string | undefined;
  if (base === 'django-admin' || base === 'django-admin.py') {
    sub = start + 1;
    via = 'django-admin';
  } else if (base !== null && /^manage(\.py)?$/.test(base) && base.endsWith('.py')) {
    sub = start + 1;
    via = 'manage.py';
    managePy = first!;
  } else if (isPython(first)) {
    const op = pythonOperand(args, start);
    if (op < 0) return null;
    const v = args[op].value!;
    if (v === '-m' && args[op + 1]?.value === 'django') {
      sub = op + 2;
      via = 'python -m django';
    } else if (v === '-mdjango') {
      sub = op + 1;
      via = 'python -m django';
    } else if (commandBase(v) === 'manage.py') {
      sub = op + 1;
      via = 'manage.py';
      managePy = v;
    }
  }
  if (sub < 0) return null;
  // Options before the subcommand (`manage.py --settings=x runserver` is unusual but legal).
  while (sub < args.length && args[sub].value?.startsWith('-')) sub++;
  const nameArg = args[sub];
  if (!nameArg || nameArg.value === null) return null;
  return { name: nameArg.value, nameArg, rest: args.slice(sub + 1), via, ...(managePy ? { managePy } : {}) };
}

function makeCommand(args: Arg[], cmd: Command): Command {
  return { ...cmd, words: args.map((a) => a.word) };
}

/**
 * Recognise a server started by `args` (wrappers already peeled). `cmd` is the command the args
 * come from (for its span and text).
 */
export function recognizeServer(args: Arg[], cmd: Command): ServerInfo | null {
  if (args.length === 0) return null;
  const first = args[0].value;
  const dj = djangoCommand(args);
  if (dj) {
    if (dj.name === 'runserver' || dj.name === 'runserver_plus' || dj.name === 'runmodwsgi') {
      if (dj.name === 'runmodwsgi') return serverFrom(MOD_WSGI, args, args.indexOf(dj.nameArg) + 1, cmd);
      const kind: ServerKind = dj.name === 'runserver' ? 'runserver' : 'runserver_plus';
      // `--settings X` / `--pythonpath X` take the next word: it is not the address.
      const valued = new Set(['--settings', '--pythonpath']);
      const optionValue = (name: string): { value: string; loc: Location } | null => {
        for (const [i, a] of dj.rest.entries()) {
          if (a.value === name && dj.rest[i + 1]?.value) return { value: dj.rest[i + 1].value!, loc: dj.rest[i + 1].word.loc };
          if (a.value?.startsWith(`${name}=`)) return { value: a.value.slice(name.length + 1), loc: a.word.loc };
        }
        return null;
      };
      const bind = dj.rest.filter((a, i) => a.value !== null && !a.value.startsWith('-') && !valued.has(dj.rest[i - 1]?.value ?? '')).slice(0, 1);
      const info: ServerInfo = {
        kind,
        app: null,
        appLoc: null,
        bind: bind.map((a) => ({ value: a.value!, loc: a.word.loc })),
        options: {},
        command: makeCommand(args, cmd),
        argStart: args.indexOf(dj.nameArg),
      };
      const settings = optionValue('--settings');
      if (settings) info.options.settings = settings;
      const pythonpath = optionValue('--pythonpath');
      if (pythonpath) info.options.pythonpath = pythonpath;
      return info;
    }
    return null;
  }
  let base = commandBase(first);
  let at = 0;
  if (isPython(first)) {
    const op = pythonOperand(args, 0);
    if (op < 0) return null;
    const v = args[op].value!;
    let mod: string | null = null;
    let next = op + 1;
    if (v === '-m') mod = args[op + 1]?.value ?? null;
    else if (v.startsWith('-m')) {
      mod = v.slice(2);
      next = op;
    }
    if (mod === null) return null;
    const name = PYTHON_MODULES[mod];
    if (!name) return null;
    base = name;
    at = next;
  }
  if (base === 'mod_wsgi-express') {
    const sub = args[at + 1]?.value;
    if (sub !== 'start-server' && sub !== 'setup-server') return null;
    at++;
  }
  const spec = base !== null ? SPECS[base] : undefined;
  if (!spec) return null;
  return serverFrom(spec, args, at + 1, cmd);
}

function serverFrom(spec: ServerSpec, args: Arg[], from: number, cmd: Command): ServerInfo {
  const info: ServerInfo = {
    kind: spec.kind,
    app: null,
    appLoc: null,
    bind: [],
    options: {},
    command: makeCommand(args, cmd),
    argStart: from - 1,
  };
  let host: { value: string; loc: Location } | null = null;
  let port: { value: string; loc: Location } | null = null;
  const isUwsgi = spec.kind === 'uwsgi';
  for (let i = from; i < args.length; i++) {
    const a = args[i];
    // Options are read from the best-effort text, so `--bind=0.0.0.0:$PORT` is still a bind.
    const v = a.text;
    if (v === '--') continue;
    if (v.startsWith('-') && v.length > 1) {
      const eq = v.indexOf('=');
      let opt = eq > 0 ? v.slice(0, eq) : v;
      let value: string | null = eq > 0 ? v.slice(eq + 1) : null;
      let valueLoc = a.word.loc;
      let glued = false;
      // Short option glued to its value: `-b0.0.0.0:8000`.
      if (eq < 0 && /^-[A-Za-z]./.test(v) && !v.startsWith('--')) {
        const short = v.slice(0, 2);
        if (spec.valueOpts.includes(short) || optionNames(spec).includes(short)) {
          opt = short;
          value = v.slice(2);
          glued = true;
        }
      }
      const takesValue = isUwsgi ? !UWSGI_FLAGS.has(opt) && !isFlagLike(args[i + 1]) : spec.valueOpts.includes(opt);
      let end = a;
      if (value === null && !glued && takesValue) {
        const next = args[i + 1];
        if (next) {
          value = next.text;
          valueLoc = next.word.loc;
          end = next;
          i++;
        }
      }
      const optLoc: Location = end !== a ? spanOf([a, end]) : a.word.loc;
      for (const [key, names] of Object.entries(spec.known) as [ServerOption, string[]][]) {
        if (names.includes(opt)) info.options[key] = { value: value ?? 'true', loc: optLoc };
      }
      if (value !== null) {
        if (spec.bind?.includes(opt)) info.bind.push({ value, loc: valueLoc });
        if (spec.host?.includes(opt)) host = { value, loc: valueLoc };
        if (spec.port?.includes(opt)) port = { value, loc: valueLoc };
        if (isUwsgi && (opt === '--http' || opt === '--http-socket' || opt === '--socket' || opt === '-s' || opt === '--uwsgi-socket')) {
          info.bind.push({ value, loc: valueLoc });
        }
        if (spec.kind === 'gunicorn' && opt === '--wsgi-app' && info.app === null) {
          info.app = value;
          info.appLoc = valueLoc;
        }
      }
      continue;
    }
    if (isUwsgi && /\.(ini|ya?ml|json|xml)$/.test(v) && !info.options.ini) {
      // `uwsgi app.ini`: uWSGI loads a config file given as its argument.
      info.options.ini = { value: v, loc: a.word.loc };
      continue;
    }
    if (spec.positionalApp && info.appLoc === null) {
      // The app: its value when static; its place either way (`$APP_MODULE` is unknown, not missing).
      info.app = a.value;
      info.appLoc = a.word.loc;
    }
  }
  if (isUwsgi) {
    const mod = info.options.module ?? null;
    if (mod) {
      info.app = mod.value;
      info.appLoc = mod.loc;
    } else if (info.options.wsgiFile) {
      info.app = info.options.wsgiFile.value;
      info.appLoc = info.options.wsgiFile.loc;
    }
  }
  if (host || port) {
    const loc = (host ?? port)!.loc;
    info.bind.push({ value: `${host?.value ?? ''}:${port?.value ?? ''}`, loc });
  }
  return info;
}

function optionNames(spec: ServerSpec): string[] {
  return Object.values(spec.known).flat();
}

function isFlagLike(a: Arg | undefined): boolean {
  return !!a && a.text.startsWith('-');
}

/** Background workers and schedulers: a process running one of these is not a web process. */
const WORKERS = new Set(['celery', 'rq', 'rqworker', 'huey_consumer', 'dramatiq', 'arq', 'flower', 'beat', 'procrastinate']);
const WORKER_MANAGE = new Set([
  'rqworker', 'rqscheduler', 'run_huey', 'qcluster', 'process_tasks', 'celery', 'celeryd', 'celerybeat', 'runworker',
  'db_worker', 'dramatiq', 'procrastinate', 'worker', 'run_worker', 'consume', 'consumer',
]);

/** `celery -A proj worker`, `python manage.py rqworker`, `python -m celery`… */
export function isWorker(args: Arg[]): boolean {
  const dj = djangoCommand(args);
  if (dj) return WORKER_MANAGE.has(dj.name);
  const first = args[0]?.value ?? null;
  if (isPython(first)) {
    const op = pythonOperand(args, 0);
    if (op >= 0 && args[op].value === '-m') return WORKERS.has(args[op + 1]?.value ?? '');
    return false;
  }
  const b = commandBase(first);
  return b !== null && WORKERS.has(b);
}

/** Web servers and proxies: they serve files or forward requests, they do not run Django. */
const PROXIES = new Set(['nginx', 'caddy', 'httpd', 'apache2', 'apache2ctl', 'apachectl', 'traefik', 'haproxy', 'envoy', 'lighttpd', 'openresty']);
/** Commands that idle or exit: a process ending in one of them serves nothing. */
const IDLE = new Set(['sleep', 'tail', 'cat', 'true', 'false', 'read', 'wait', 'echo', 'printf', 'exit', ':', 'bash', 'sh']);
/** Django management commands that serve HTTP (besides runserver). */
const SERVING_MANAGE = new Set(['runserver', 'runserver_plus', 'runmodwsgi', 'run_gunicorn', 'rungunicorn', 'runuwsgi', 'uwsgi', 'gunicorn', 'uvicorn', 'daphne', 'serve', 'start', 'runprod', 'run_huey']);

export type FinalKind = 'management' | 'worker' | 'proxy' | 'idle' | 'unknown';

/** What a final command that is not a recognised server is, as far as can be known statically. */
export function finalKind(args: Arg[]): FinalKind {
  if (isWorker(args)) return 'worker';
  const dj = djangoCommand(args);
  if (dj) return SERVING_MANAGE.has(dj.name) ? 'unknown' : 'management';
  const b = commandBase(args[0]?.value ?? null);
  if (b === null) return 'unknown';
  if (PROXIES.has(b)) return 'proxy';
  if (IDLE.has(b) && (b !== 'bash' && b !== 'sh' ? true : args.length === 1)) return 'idle';
  return 'unknown';
}
