/**
 * Server configuration files (docs/architecture.md, "Chain resolver"): a gunicorn `gunicorn.conf.py` (loaded from the working
 * directory when no `-c` is given, or named by `-c path` / `-c python:module`) and a uWSGI
 * `--ini file` / `uwsgi app.ini`. What they set — the app, binds, reload, worker class, chdir,
 * pythonpath, static-map — is merged into the ServerInfo, so the rules see it with a position in
 * the config file. Command-line options win over the file, as they do for both servers.
 *
 * Nothing here evaluates Python: only module-level assignments of literal strings, lists of
 * strings and booleans are read; anything else (an `os.environ` read, an `if`) is unknown.
 */
import { parsePython, locOf, stringValue, unparen, type Node } from '../parse/python.js';
import type { Env } from './args.js';
import type { Project } from './project.js';
import type { PathMapper } from './paths.js';
import type { Location } from '../core/location.js';
import type { ServerInfo, ServerOption } from './types.js';

/** Largest config file read (bytes of text). */
const MAX_CONFIG = 256 * 1024;

export interface ConfigContext {
  project: Project;
  paths: PathMapper;
  /** Working directory of the server process (absolute, posix) when known. */
  cwd: string | null;
  env: Env;
}

/** A value read from a config file: static text, a list, a boolean, or null when unknown. */
export type ConfigValue = { kind: 'str'; value: string } | { kind: 'list'; value: string[] } | { kind: 'bool'; value: boolean } | { kind: 'unknown' };

export interface ConfigEntry {
  value: ConfigValue;
  loc: Location;
}

/** Merge the server's config file (when one is used and found in the repo) into `server`. */
export function applyServerConfig(server: ServerInfo, ctx: ConfigContext): void {
  try {
    if (server.kind === 'gunicorn') applyGunicorn(server, ctx);
    else if (server.kind === 'uwsgi') applyUwsgi(server, ctx);
  } catch {
    // A config file that cannot be read leaves the server as the command line gives it.
  }
}

// ---------------------------------------------------------------------------------------------
// gunicorn
// ---------------------------------------------------------------------------------------------

const GUNICORN_KEYS = ['wsgi_app', 'bind', 'reload', 'worker_class', 'chdir', 'pythonpath'] as const;

/** The repo file of the gunicorn config the process loads, or null. */
export function gunicornConfigFile(server: ServerInfo, ctx: ConfigContext): { file: string; implicit: boolean } | null {
  const opt = server.options.config;
  if (opt) {
    let v = opt.value;
    if (/[$`]/.test(v) || v === '' || v === 'true') return null;
    if (v.startsWith('python:')) {
      const mod = v.slice('python:'.length);
      if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*$/.test(mod)) return null;
      v = mod.replace(/\./g, '/') + '.py';
    } else if (v.startsWith('file:')) {
      v = v.slice('file:'.length);
    }
    const file = ctx.paths.toRepo(v, ctx.cwd);
    return file ? { file, implicit: false } : null;
  }
  // GUNICORN_CMD_ARGS may name another config (or override what the file sets): do not guess.
  if (Object.prototype.hasOwnProperty.call(ctx.env, 'GUNICORN_CMD_ARGS')) return null;
  const file = ctx.paths.toRepo('gunicorn.conf.py', ctx.cwd);
  return file ? { file, implicit: true } : null;
}

function applyGunicorn(server: ServerInfo, ctx: ConfigContext): void {
  const found = gunicornConfigFile(server, ctx);
  if (!found) return;
  const conf = readGunicornConfig(ctx.project, found.file);
  if (!conf) return;
  server.configRead = found.file;
  const fileLoc: Location = { file: found.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (!server.options.config) server.options.config = { value: found.file, loc: fileLoc };
  const app = conf.wsgi_app;
  if (app && server.appLoc === null && server.app === null) {
    server.app = app.value.kind === 'str' ? app.value.value : null;
    server.appLoc = app.loc;
  }
  const bind = conf.bind;
  if (bind && server.bind.length === 0) {
    const values = bind.value.kind === 'str' ? [bind.value.value] : bind.value.kind === 'list' ? bind.value.value : [];
    for (const v of values) server.bind.push({ value: v, loc: bind.loc });
  }
  const reload = conf.reload;
  if (reload && !server.options.reload && reload.value.kind === 'bool' && reload.value.value) {
    server.options.reload = { value: 'true', loc: reload.loc };
  }
  const simple: [keyof GunicornConfig, ServerOption][] = [
    ['worker_class', 'workerClass'],
    ['chdir', 'chdir'],
    ['pythonpath', 'pythonpath'],
  ];
  for (const [key, opt] of simple) {
    const e = conf[key];
    if (e && !server.options[opt] && e.value.kind === 'str') server.options[opt] = { value: e.value.value, loc: e.loc };
  }
}

export type GunicornConfig = Partial<Record<(typeof GUNICORN_KEYS)[number], ConfigEntry>>;

/** Module-level settings of a gunicorn config file (cached per run). */
export function readGunicornConfig(project: Project, file: string): GunicornConfig | null {
  return project.cached(`gunicorn-conf:${file}`, () => {
    const text = project.repo.text(file);
    if (text === null || text.length > MAX_CONFIG) return null;
    return parseGunicornConfig(text, file);
  });
}

/** Read the settings a gunicorn config file assigns at module level, without evaluating it. */
export function parseGunicornConfig(text: string, file: string): GunicornConfig {
  const mod = parsePython(text, file);
  if (!mod) return {};
  try {
    const keys = new Set<string>(GUNICORN_KEYS);
    const out: GunicornConfig = {};
    const set = (name: string, entry: ConfigEntry) => {
      if (keys.has(name)) out[name as keyof GunicornConfig] = entry;
    };
    const unknownAt = (name: string, n: Node) => set(name, { value: { kind: 'unknown' }, loc: locOf(n, file) });
    /** Assignments inside `if`/`try`/`for`/`with` may or may not run: what they set is unknown. */
    const visit = (stmts: Node[], top: boolean, depth: number): void => {
      if (depth > 20) return;
      for (const s of stmts) {
        switch (s.type) {
          case 'expression_statement':
            for (const a of s.namedChildren) {
              if (a.type !== 'assignment' && a.type !== 'augmented_assignment') continue;
              const targets = assignmentTargets(a);
              const right = a.childForFieldName('right');
              for (const t of targets) {
                if (!keys.has(t.text)) continue;
                if (!top || a.type === 'augmented_assignment' || targets.length > 1 || !right || t.type !== 'identifier') unknownAt(t.text, t);
                else set(t.text, { value: literal(right), loc: locOf(unparen(right), file) });
              }
            }
            break;
          case 'import_from_statement':
            if (s.namedChildren.some((c) => c.type === 'wildcard_import')) {
              // Anything may come from a star import: what was set before is no longer known.
              for (const k of Object.keys(out)) out[k as keyof GunicornConfig] = { value: { kind: 'unknown' }, loc: out[k as keyof GunicornConfig]!.loc };
            } else {
              for (const n of s.childrenForFieldName('name')) {
                const alias = n.type === 'aliased_import' ? n.childForFieldName('alias') : n;
                if (alias && keys.has(alias.text)) unknownAt(alias.text, alias);
              }
            }
            break;
          case 'function_definition':
          case 'class_definition':
          case 'decorated_definition':
            // Function bodies run later, if ever, and bind locals (a `global` is rare in configs).
            break;
          default: {
            const body = s.namedChildren.flatMap((c) => (c.type === 'block' ? c.namedChildren : /clause$/.test(c.type) ? c.namedChildren.filter((x) => x.type === 'block').flatMap((b) => b.namedChildren) : []));
            visit(body, false, depth + 1);
          }
        }
      }
    };
    visit(mod.root.namedChildren, true, 0);
    return out;
  } finally {
    mod.dispose();
  }
}

/** The names an assignment binds: `a = …`, `a = b = …`, `a, b = …`. */
function assignmentTargets(a: Node): Node[] {
  const out: Node[] = [];
  let cur: Node | null = a;
  for (let i = 0; cur && i < 50; i++) {
    const left = cur.childForFieldName('left');
    if (left) {
      if (left.type === 'identifier') out.push(left);
      else for (const c of left.namedChildren) if (c.type === 'identifier') out.push(c);
    }
    const right = cur.childForFieldName('right');
    cur = right && right.type === 'assignment' ? right : null;
  }
  return out;
}

function literal(node: Node): ConfigValue {
  const n = unparen(node);
  if (n.type === 'true') return { kind: 'bool', value: true };
  if (n.type === 'false') return { kind: 'bool', value: false };
  if (n.type === 'list' || n.type === 'tuple') {
    const vals: string[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'comment') continue;
      const v = stringValue(c);
      if (v === null) return { kind: 'unknown' };
      vals.push(v);
    }
    return { kind: 'list', value: vals };
  }
  const s = stringValue(n);
  return s === null ? { kind: 'unknown' } : { kind: 'str', value: s };
}

// ---------------------------------------------------------------------------------------------
// uWSGI
// ---------------------------------------------------------------------------------------------

export interface UwsgiEntry {
  key: string;
  /** The value as written; `null` for a bare flag (`master`). */
  value: string | null;
  /** The value holds a placeholder (`%(var)`, `$(ENV)`, `@(file)`, `%d`) resolved only at run time. */
  dynamic: boolean;
  /** Inside an `if-env`/`if-exists`/`for` block: may not apply. */
  conditional: boolean;
  loc: Location;
}

/** The options of one section of a uWSGI ini file, in order. */
export function parseUwsgiIni(text: string, file: string, section = 'uwsgi'): UwsgiEntry[] {
  const out: UwsgiEntry[] = [];
  let current: string | null = null;
  let depth = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 10000; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[([^\]]*)\]/.exec(t);
    if (sec) {
      current = sec[1].trim();
      depth = 0;
      continue;
    }
    if (current !== section) continue;
    const m = /^([A-Za-z0-9_.-]+)\s*(?:=\s*(.*?))?\s*$/.exec(t);
    if (!m) continue;
    const key = m[1].toLowerCase();
    if (/^(endif|endfor)$/.test(key) || /^end-?(if|for)/.test(key)) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (/^(if-|for$|for-)/.test(key)) {
      depth++;
      continue;
    }
    const raw = m[2] ?? null;
    const value = raw === null ? null : raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    const start = raw === null ? line.indexOf(m[1]) : line.indexOf(raw, line.indexOf('=') + 1);
    const len = raw === null ? m[1].length : raw.length;
    out.push({
      key,
      value,
      dynamic: value !== null && /%\(|\$\(|@\(|%[a-zA-Z0-9]/.test(value),
      conditional: depth > 0,
      loc: { file, line: i + 1, column: start + 1, endLine: i + 1, endColumn: start + 1 + len },
    });
  }
  return out;
}

const UWSGI_KEYS: Record<string, ServerOption> = {
  module: 'module',
  wsgi: 'module',
  w: 'module',
  'wsgi-file': 'wsgiFile',
  file: 'wsgiFile',
  chdir: 'chdir',
  pythonpath: 'pythonpath',
  'python-path': 'pythonpath',
  pp: 'pythonpath',
  http: 'http',
  'http-socket': 'http',
  https: 'http',
  socket: 'socket',
  'uwsgi-socket': 'socket',
  s: 'socket',
  'static-map': 'staticMap',
  'static-map2': 'staticMap',
  'py-autoreload': 'pyAutoreload',
  'python-autoreload': 'pyAutoreload',
};

/** The repo file (and section) of the ini a uWSGI process loads, or null. */
export function uwsgiIniFile(server: ServerInfo, ctx: ConfigContext): { file: string; section: string } | null {
  const opt = server.options.ini;
  if (!opt) return null;
  let v = opt.value;
  if (/[$`]/.test(v) || /^[a-z]+:\/\//.test(v)) return null;
  let section = 'uwsgi';
  const m = /^(.*\.ini):([A-Za-z0-9_.-]+)$/.exec(v);
  if (m) {
    v = m[1];
    section = m[2];
  }
  if (!/\.ini$/.test(v)) return null;
  const file = ctx.paths.toRepo(v, ctx.cwd);
  return file ? { file, section } : null;
}

function applyUwsgi(server: ServerInfo, ctx: ConfigContext): void {
  const found = uwsgiIniFile(server, ctx);
  if (!found) return;
  const entries = ctx.project.cached(`uwsgi-ini:${found.file}:${found.section}`, () => {
    const text = ctx.project.repo.text(found.file);
    if (text === null || text.length > MAX_CONFIG) return null;
    return parseUwsgiIni(text, found.file, found.section);
  });
  if (!entries) return;
  const fromCli = new Set(Object.keys(server.options));
  for (const e of entries) {
    const opt = UWSGI_KEYS[e.key];
    if (!opt) continue;
    const isApp = opt === 'module' || opt === 'wsgiFile';
    if (opt === 'http' || opt === 'socket') {
      // Every socket option binds one more socket, besides those of the command line.
      if (!e.conditional && e.value !== null) server.bind.push({ value: e.value, loc: e.loc });
      if (!e.conditional && !fromCli.has(opt)) server.options[opt] ??= { value: e.value ?? 'true', loc: e.loc };
      continue;
    }
    if (fromCli.has(opt)) continue;
    if (e.conditional || e.dynamic) {
      // Set only under `if-env`, or from a placeholder: the app is unknown (not missing); any
      // other option is left out rather than guessed.
      if (isApp) server.options[opt] = { value: '', loc: e.loc };
      continue;
    }
    const value = e.value ?? 'true';
    if (opt === 'staticMap') {
      server.options[opt] ??= { value, loc: e.loc };
      continue;
    }
    server.options[opt] = { value, loc: e.loc };
  }
  if (server.app === null && server.appLoc === null) {
    const mod = server.options.module ?? server.options.wsgiFile ?? null;
    if (mod && mod.loc.file === found.file) {
      server.app = mod.value === '' ? null : mod.value;
      server.appLoc = mod.loc;
    }
  }
}
