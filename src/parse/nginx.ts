/**
 * nginx configuration: a small parser written to nginx's own tokenizer rules (ngx_conf_file.c):
 * directives end with `;`, blocks are `{ … }`, `"…"` / `'…'` quote with `\` escapes, `#` starts a
 * comment where a token could start, `${var}` braces belong to the word. `include` is kept as a
 * directive (never followed). No npm parser keeps positions, so this one is hand-written.
 *
 * `nginxFacts` reads what the rules need: static file locations (`location /static/` with `alias`
 * or `root`) and the upstreams it proxies to (`proxy_pass`, `uwsgi_pass`, ..., `upstream {}`
 * blocks resolved).
 */
import type { FileSelector } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';

export interface NginxDirective {
  name: string;
  args: { value: string; loc: Location }[];
  /** From the name to the `;` or the closing `}`, inclusive. */
  loc: Location;
  /** Children of a block directive; null for a simple one. */
  block: NginxDirective[] | null;
}

interface Token {
  kind: 'word' | ';' | '{' | '}';
  value: string;
  quoted: boolean;
  loc: Location;
}

const MAX_DEPTH = 64;

class Lexer {
  i = 0;
  line = 1;
  col = 1;
  readonly issues: ParseIssue[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  private advance(): string {
    const c = this.text[this.i++];
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  private loc(line: number, col: number): Location {
    return { file: this.file, line, column: col, endLine: this.line, endColumn: this.col };
  }

  next(): Token | null {
    const t = this.text;
    for (;;) {
      while (this.i < t.length && /[ \t\r\n]/.test(t[this.i])) this.advance();
      if (this.i >= t.length) return null;
      if (t[this.i] !== '#') break;
      while (this.i < t.length && t[this.i] !== '\n') this.advance();
    }
    const line = this.line;
    const col = this.col;
    const c = t[this.i];
    if (c === ';' || c === '{' || c === '}') {
      this.advance();
      return { kind: c, value: c, quoted: false, loc: this.loc(line, col) };
    }
    if (c === '"' || c === "'") {
      this.advance();
      let value = '';
      for (;;) {
        if (this.i >= t.length) {
          this.issues.push({ message: `unterminated ${c === '"' ? 'double' : 'single'}-quoted string`, loc: this.loc(line, col) });
          return { kind: 'word', value, quoted: true, loc: this.loc(line, col) };
        }
        const d = this.advance();
        if (d === c) break;
        if (d === '\\' && this.i < t.length) value += unescape(this.advance());
        else value += d;
      }
      const after = t[this.i];
      if (after !== undefined && !/[ \t\r\n;{}]/.test(after)) {
        const l = this.line;
        const k = this.col;
        this.issues.push({
          message: `unexpected '${after}' after a quoted string`,
          loc: { file: this.file, line: l, column: k, endLine: l, endColumn: k + 1 },
        });
      }
      return { kind: 'word', value, quoted: true, loc: this.loc(line, col) };
    }
    let value = '';
    while (this.i < t.length) {
      const d = t[this.i];
      if (/[ \t\r\n;]/.test(d)) break;
      if (d === '{' && !value.endsWith('$')) break;
      if (d === '}' && !/\$\{[^}]*$/.test(value)) break;
      this.advance();
      if (d === '\\' && this.i < t.length) value += unescape(this.advance());
      else value += d;
    }
    return { kind: 'word', value, quoted: false, loc: this.loc(line, col) };
  }

  /** Skip a raw block body (`content_by_lua_block { … }`) after its `{`; false at end of file. */
  skipRawBlock(): boolean {
    const t = this.text;
    let depth = 1;
    let quote: string | null = null;
    while (this.i < t.length) {
      const c = this.advance();
      if (quote) {
        if (c === '\\') this.advance();
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return true;
    }
    return false;
  }
}

/** nginx decodes `\"`, `\'`, `\\`, `\t`, `\r`, `\n` in words and quoted strings; keeps other pairs. */
function unescape(c: string): string {
  switch (c) {
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    case '"':
    case "'":
    case '\\':
      return c;
    default:
      return '\\' + c;
  }
}

/** Parse nginx configuration text. Never throws: errors come back as issues with positions. */
export function parseNginx(text: string, file: string): { directives: NginxDirective[]; issues: ParseIssue[] } {
  const lx = new Lexer(text, file);
  const issues = lx.issues;
  const span = (a: Location, b: Location): Location => ({ file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn });

  const parseBlock = (open: Token | null, depth: number): NginxDirective[] => {
    const out: NginxDirective[] = [];
    let pending: Token[] = [];
    for (;;) {
      const tok = lx.next();
      if (tok === null) {
        if (pending.length > 0) {
          issues.push({ message: `unexpected end of file, expecting ';' or '}' after '${pending[0].value}'`, loc: span(pending[0].loc, pending[pending.length - 1].loc) });
        }
        if (open) issues.push({ message: "unexpected end of file: this block is not closed with '}'", loc: open.loc });
        return out;
      }
      if (tok.kind === 'word') {
        pending.push(tok);
        continue;
      }
      if (tok.kind === '}') {
        if (pending.length > 0) {
          issues.push({ message: `expecting ';' after '${pending[0].value}' before '}'`, loc: span(pending[0].loc, pending[pending.length - 1].loc) });
          pending = [];
        }
        if (open) return out;
        issues.push({ message: "unexpected '}'", loc: tok.loc });
        continue;
      }
      if (pending.length === 0) {
        issues.push({ message: `unexpected '${tok.kind}'`, loc: tok.loc });
        if (tok.kind === '{') {
          if (depth < MAX_DEPTH) parseBlock(tok, depth + 1);
          else lx.skipRawBlock();
        }
        continue;
      }
      const [name, ...args] = pending;
      pending = [];
      const d: NginxDirective = {
        name: name.value,
        args: args.map((a) => ({ value: a.value, loc: a.loc })),
        loc: span(name.loc, tok.loc),
        block: null,
      };
      if (tok.kind === '{') {
        if (name.value.endsWith('_by_lua_block') || depth >= MAX_DEPTH) {
          if (depth >= MAX_DEPTH) issues.push({ message: `blocks nested more than ${MAX_DEPTH} deep`, loc: tok.loc });
          const closed = lx.skipRawBlock();
          if (!closed) issues.push({ message: "unexpected end of file: this block is not closed with '}'", loc: tok.loc });
          d.block = [];
        } else {
          d.block = parseBlock(tok, depth + 1);
        }
        d.loc = span(name.loc, { ...tok.loc, endLine: lx.line, endColumn: lx.col });
      }
      out.push(d);
    }
  };

  return { directives: parseBlock(null, 0), issues };
}

// ---------------------------------------------------------------------------------------------
// Facts shared by nginx, Caddy and Apache
// ---------------------------------------------------------------------------------------------

export interface StaticLocation {
  /** URL prefix (`/static/`); for regex locations the pattern as written. */
  prefix: string;
  /** nginx location modifier (`=`, `~`, `~*`, `^~`) or `''`. */
  modifier?: string;
  /** The directory that replaces the prefix (nginx `alias`, Apache `Alias`, Caddy `handle_path` root). */
  alias: string | null;
  /** The directory the full URI is appended to (nginx/Caddy `root`). */
  root: string | null;
  /** True when `root` comes from an enclosing block. */
  rootInherited?: boolean;
  /** The whole location / handler block. */
  loc: Location;
  /** The `alias` / `root` directory argument, when written in the block. */
  valueLoc?: Location;
}

export type UpstreamKind =
  | 'proxy_pass'
  | 'uwsgi_pass'
  | 'fastcgi_pass'
  | 'scgi_pass'
  | 'grpc_pass'
  | 'upstream-server'
  | 'reverse_proxy'
  | 'ProxyPass';

export interface Upstream {
  /** `127.0.0.1:8000`, `unix:/run/gunicorn.sock`, `web:8000`; as written when it has variables. */
  target: string;
  kind: UpstreamKind;
  /** The address as written. */
  loc: Location;
  host: string | null;
  port: number | null;
  /** Unix socket path. */
  socket: string | null;
  /** The address contains variables and cannot be known. */
  variable: boolean;
  /** For `upstream-server`: the upstream block's name and the `*_pass` that uses it. */
  upstream?: string;
  via?: Location;
}

export interface WebServerFacts {
  server: 'nginx' | 'caddy' | 'apache';
  file: string;
  staticLocations: StaticLocation[];
  upstreams: Upstream[];
  /** Apache mod_wsgi `WSGIScriptAlias` (the app runs inside Apache). */
  wsgiScripts?: { prefix: string; path: string; loc: Location }[];
}

export type NginxFacts = WebServerFacts;

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, grpc: 80, grpcs: 443 };

/** Parse an upstream address: `http://web:8000/x`, `unix:/run/app.sock`, `127.0.0.1:3031`, `app`. */
export function parseAddress(raw: string): { target: string; host: string | null; port: number | null; socket: string | null; variable: boolean; scheme: string | null } {
  const variable = raw.includes('$');
  let rest = raw;
  let scheme: string | null = null;
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (m && m[1].toLowerCase() !== 'unix') {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  }
  if (/^unix(:|\/\/)/i.test(rest)) {
    // nginx `unix:/path:/uri`, uWSGI-style `unix:///path`, Caddy `unix//path`, Apache `unix:/path|http://…`.
    let path = rest.replace(/^unix:?/i, '');
    path = path.replace(/\|.*$/, '');
    const colon = path.indexOf(':');
    if (colon >= 0) path = path.slice(0, colon);
    path = '/' + path.replace(/^\/+/, '');
    return { target: `unix:${path}`, host: null, port: null, socket: path, variable, scheme };
  }
  rest = rest.replace(/[/?].*$/, '');
  if (variable) return { target: raw, host: null, port: null, socket: null, variable, scheme };
  let host = rest;
  let port: number | null = null;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(rest);
  if (hp) {
    host = hp[1];
    port = hp[2] ? Number(hp[2]) : null;
  }
  if (port === null && scheme && scheme in DEFAULT_PORTS) port = DEFAULT_PORTS[scheme];
  return { target: port === null ? host : `${host}:${port}`, host, port, socket: null, variable, scheme };
}

const PASS = new Set(['proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass']);

/** Static locations and upstreams of a parsed nginx configuration. */
export function nginxFacts(directives: NginxDirective[], file: string): NginxFacts {
  const facts: NginxFacts = { server: 'nginx', file, staticLocations: [], upstreams: [] };
  const upstreams = new Map<string, NginxDirective>();
  const collectUpstreams = (ds: NginxDirective[]): void => {
    for (const d of ds) {
      if (d.name === 'upstream' && d.block && d.args[0]) upstreams.set(d.args[0].value, d);
      else if (d.block) collectUpstreams(d.block);
    }
  };
  collectUpstreams(directives);

  const pass = (d: NginxDirective): void => {
    const arg = d.args[0];
    if (!arg) return;
    const addr = parseAddress(arg.value);
    // An upstream block is used when the host is its name and no port is written.
    const hostPart = arg.value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?].*$/, '');
    const up = !addr.variable && addr.socket === null && !/:\d+$/.test(hostPart) ? upstreams.get(hostPart) : undefined;
    if (up) {
      for (const s of up.block ?? []) {
        if (s.name !== 'server' || !s.args[0]) continue;
        const a = parseAddress(s.args[0].value);
        facts.upstreams.push({ ...strip(a), kind: 'upstream-server', loc: s.args[0].loc, upstream: up.args[0].value, via: arg.loc });
      }
      return;
    }
    facts.upstreams.push({ ...strip(addr), kind: d.name as UpstreamKind, loc: arg.loc });
  };

  const walk = (ds: NginxDirective[], root: string | null): void => {
    const own = ds.find((d) => d.name === 'root' && d.args[0]);
    const inherited = own ? own.args[0].value : root;
    for (const d of ds) {
      if (PASS.has(d.name)) pass(d);
      if (!d.block || d.name === 'upstream') continue;
      if (d.name === 'location') {
        locationFacts(d, inherited);
        walk(d.block, d.block.find((x) => x.name === 'root' && x.args[0])?.args[0].value ?? inherited);
      } else {
        walk(d.block, inherited);
      }
    }
  };

  const locationFacts = (d: NginxDirective, inheritedRoot: string | null): void => {
    const block = d.block ?? [];
    let modifier = '';
    let prefix = '';
    if (d.args.length >= 2) {
      modifier = d.args[0].value;
      prefix = d.args[1].value;
    } else if (d.args.length === 1) {
      const m = /^(\^~|~\*|~|=)?(.*)$/s.exec(d.args[0].value)!;
      modifier = m[1] ?? '';
      prefix = m[2];
    }
    if (prefix.startsWith('@')) return; // named location
    const aliasArg = block.find((x) => x.name === 'alias' && x.args[0])?.args[0];
    const rootArg = block.find((x) => x.name === 'root' && x.args[0])?.args[0];
    if (aliasArg || rootArg) {
      const alias = aliasArg?.value ?? null;
      const root = rootArg?.value ?? null;
      facts.staticLocations.push({ prefix, modifier, alias, root, loc: d.loc, valueLoc: (aliasArg ?? rootArg)!.loc });
      return;
    }
    const handsOff = block.some((x) => PASS.has(x.name) || x.name === 'return' || x.name === 'rewrite' || x.name === 'location');
    if (!handsOff && inheritedRoot !== null) {
      facts.staticLocations.push({ prefix, modifier, alias: null, root: inheritedRoot, rootInherited: true, loc: d.loc });
    }
  };

  walk(directives, null);
  return facts;
}

function strip(a: ReturnType<typeof parseAddress>): Omit<Upstream, 'kind' | 'loc'> {
  return { target: a.target, host: a.host, port: a.port, socket: a.socket, variable: a.variable };
}

// ---------------------------------------------------------------------------------------------
// Which files are nginx configurations
// ---------------------------------------------------------------------------------------------

/**
 * A path that names an nginx configuration: `nginx.conf`, `*.conf` / `*.template` under a
 * directory whose name mentions nginx, `sites-available/*`, `sites-enabled/*`, `*.nginx`.
 */
export function isNginxConfigPath(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1].toLowerCase();
  const dirs = parts.slice(0, -1).map((p) => p.toLowerCase());
  if (base === 'nginx.conf' || /^nginx[\w.-]*\.conf(\.template)?$/.test(base) || /\.nginx(\.conf)?$/.test(base)) return true;
  if (/^nginx(\.conf)?\.(template|tmpl|j2|jinja2?|erb|tpl)$/.test(base)) return true;
  if (dirs.some((d) => d === 'sites-available' || d === 'sites-enabled')) return !base.startsWith('.');
  if (dirs.some((d) => d.includes('nginx'))) return /\.(conf|template|tmpl|j2|tpl|vhost)$/.test(base) || /\.conf\./.test(base);
  return false;
}

/** Content sniff: a `server {` block with a `location` or a `proxy_pass`, or an `http {` block. */
export function looksLikeNginx(text: string): boolean {
  const code = text.replace(/#[^\n]*/g, '');
  if (/^\s*http\s*\{/m.test(code) && /\bserver\s*\{/.test(code)) return true;
  return /(^|[;{}\s])server\s*\{/.test(code) && /\b(location\s+[^;{]+\{|proxy_pass\s|uwsgi_pass\s|listen\s+[^;]+;)/.test(code);
}

/** Files whose name suggests a server config but not which one: read and sniffed. */
export const SNIFFED_CONFIG = /\.(conf|template|tmpl|j2|tpl|vhost)$/i;
/** At most this many files are read to sniff their content. */
export const MAX_SNIFFED = 200;

/** Files named like an nginx configuration, or like a configuration whose content tells. */
export const NGINX_CANDIDATES: FileSelector = {
  name: 'nginx configuration',
  exts: ['conf', 'template', 'tmpl', 'j2', 'jinja', 'jinja2', 'erb', 'tpl', 'nginx', 'vhost'],
  dir: (d) => /nginx|(^|\/)sites-(available|enabled)(\/|$)/i.test(d),
  test: (f) => isNginxConfigPath(f) || SNIFFED_CONFIG.test(f),
};
