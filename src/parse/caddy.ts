/**
 * Caddyfile basics: a small tokenizer (whitespace-separated tokens on a line, `"…"` and `` `…` ``
 * quotes, `#` comments, a lone `{` at the end of a line opens a block, a lone `}` closes it) and
 * the facts the rules use: static handlers (`handle_path /static/* { root * …; file_server }`,
 * `handle`, `route`, matchers `@static path /static/*`) and `reverse_proxy` upstreams.
 * Heredocs, snippets' expansion and `import` are not followed. Hand-written: no npm parser of
 * the Caddyfile format exists.
 */
import type { FileSelector } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import { parseAddress, type NginxDirective, type StaticLocation, type Upstream, type WebServerFacts } from './nginx.js';

export type CaddyDirective = NginxDirective;

interface Tok {
  value: string;
  loc: Location;
  /** A bare `{` or `}` (not quoted). */
  brace: '{' | '}' | null;
}

/** Tokens of each logical line. */
function lex(text: string, file: string, issues: ParseIssue[]): Tok[][] {
  const lines: Tok[][] = [];
  let cur: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const adv = (): string => {
    const c = text[i++];
    if (c === '\n') {
      line++;
      col = 1;
    } else col++;
    return c;
  };
  const endLine = (): void => {
    if (cur.length > 0) lines.push(cur);
    cur = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      adv();
      endLine();
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || /\s/.test(c)) {
      // Any other blank (\f, \v, NBSP, U+3000, ...) separates tokens too, as in Caddy's lexer
      // (unicode.IsSpace); it used to start an empty token that never advanced (an endless loop).
      adv();
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') adv();
      continue;
    }
    const sl = line;
    const sc = col;
    let value = '';
    let quoted = false;
    if (c === '"' || c === '`') {
      quoted = true;
      adv();
      let closed = false;
      while (i < text.length) {
        const d = adv();
        if (d === c) {
          closed = true;
          break;
        }
        if (d === '\\' && c === '"' && (text[i] === '"' || text[i] === '\\')) value += adv();
        else value += d;
      }
      if (!closed) issues.push({ message: `unterminated ${c === '"' ? 'quoted' : 'backtick'} string`, loc: { file, line: sl, column: sc, endLine: line, endColumn: col } });
    } else {
      while (i < text.length && !/[\s]/.test(text[i])) {
        const d = adv();
        if (d === '\\' && i < text.length && text[i] !== '\n') value += adv();
        else value += d;
      }
    }
    const brace = !quoted && (value === '{' || value === '}') ? (value as '{' | '}') : null;
    cur.push({ value, loc: { file, line: sl, column: sc, endLine: line, endColumn: col }, brace });
  }
  endLine();
  return lines;
}

/** Parse a Caddyfile into directives with blocks. Never throws. */
export function parseCaddyfile(text: string, file: string): { directives: CaddyDirective[]; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const lines = lex(text, file, issues);
  let li = 0;
  const span = (a: Location, b: Location): Location => ({ file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn });

  /** The directives up to the `}` that closes `open` (returned too; null at end of file). */
  const block = (open: Tok | null, depth: number): { out: CaddyDirective[]; close: Tok | null } => {
    const out: CaddyDirective[] = [];
    while (li < lines.length) {
      const toks = lines[li++];
      if (toks[0].brace === '}') {
        if (toks.length > 1) issues.push({ message: "unexpected text after '}'", loc: span(toks[1].loc, toks[toks.length - 1].loc) });
        if (open) return { out, close: toks[0] };
        issues.push({ message: "unexpected '}'", loc: toks[0].loc });
        continue;
      }
      const last = toks[toks.length - 1];
      const opens = last.brace === '{';
      const words = opens ? toks.slice(0, -1) : toks;
      const stray = words.find((t) => t.brace !== null);
      if (stray) issues.push({ message: `unexpected '${stray.value}' in the middle of a line`, loc: stray.loc });
      const d: CaddyDirective = {
        name: words[0]?.value ?? '',
        args: words.slice(1).map((t) => ({ value: t.value, loc: t.loc })),
        loc: span((words[0] ?? last).loc, last.loc),
        block: null,
      };
      if (opens) {
        if (depth > 32) {
          issues.push({ message: 'blocks nested too deep', loc: last.loc });
          li = lines.length;
          return { out, close: null };
        }
        const inner = block(last, depth + 1);
        d.block = inner.out;
        if (inner.close) d.loc = span(d.loc, inner.close.loc);
      }
      out.push(d);
    }
    if (open) issues.push({ message: "unexpected end of file: this block is not closed with '}'", loc: open.loc });
    return { out, close: null };
  };
  const directives = block(null, 0).out;
  issues.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  return { directives, issues };
}

const isMatcher = (a: string | undefined): boolean => a !== undefined && (a === '*' || a.startsWith('/') || a.startsWith('@'));
const prefixOf = (p: string): string => p.replace(/\*$/, '');

/** Static handlers and `reverse_proxy` upstreams of a parsed Caddyfile. */
export function caddyFacts(directives: CaddyDirective[], file: string): WebServerFacts {
  const facts: WebServerFacts = { server: 'caddy', file, staticLocations: [], upstreams: [] };
  const matchers = new Map<string, string[]>();
  const collect = (ds: CaddyDirective[]): void => {
    for (const d of ds) {
      if (d.name.startsWith('@') && d.name.length > 1) {
        const paths = d.args[0]?.value === 'path' ? d.args.slice(1).map((a) => a.value) : [];
        for (const sub of d.block ?? []) if (sub.name === 'path') paths.push(...sub.args.map((a) => a.value));
        matchers.set(d.name, paths);
      }
      if (d.block) collect(d.block);
    }
  };
  collect(directives);
  const pathsOf = (m: string | undefined): string[] => {
    if (m === undefined || m === '*') return ['/'];
    return m.startsWith('@') ? (matchers.get(m) ?? []) : [m];
  };
  const rootOf = (ds: CaddyDirective[]): { value: string; loc: Location } | null => {
    const r = ds.find((d) => d.name === 'root' && d.args.length > 0);
    if (!r) return null;
    return r.args.length >= 2 && isMatcher(r.args[0].value) ? r.args[1] : r.args[0];
  };

  const proxy = (d: CaddyDirective): void => {
    const addrs = d.args.filter((a, i) => !(i === 0 && isMatcher(a.value)));
    for (const sub of d.block ?? []) if (sub.name === 'to') addrs.push(...sub.args);
    for (const a of addrs) {
      const p = parseAddress(a.value);
      const variable = p.variable || a.value.includes('{');
      const port = p.port ?? (p.socket === null && !variable ? 80 : null);
      const target = variable ? a.value : p.socket !== null ? p.target : `${p.host}:${port}`;
      const up: Upstream = { target, kind: 'reverse_proxy', loc: a.loc, host: variable ? null : p.host, port: variable ? null : port, socket: p.socket, variable };
      facts.upstreams.push(up);
    }
  };

  const walk = (ds: CaddyDirective[], inherited: { value: string; loc: Location } | null): void => {
    const root = rootOf(ds) ?? inherited;
    for (const d of ds) {
      if (d.name === 'reverse_proxy') proxy(d);
      else if (d.name === 'file_server' && isMatcher(d.args[0]?.value) && root) {
        for (const p of pathsOf(d.args[0].value)) {
          facts.staticLocations.push({ prefix: prefixOf(p), alias: null, root: root.value, loc: d.loc, valueLoc: root.loc });
        }
      } else if ((d.name === 'handle' || d.name === 'handle_path' || d.name === 'route') && d.block) {
        const inner = rootOf(d.block) ?? root;
        const serves = d.block.some((x) => x.name === 'file_server');
        if (serves && inner && d.args[0]) {
          for (const p of pathsOf(d.args[0].value)) {
            const loc: StaticLocation = {
              prefix: prefixOf(p),
              alias: d.name === 'handle_path' ? inner.value : null,
              root: d.name === 'handle_path' ? null : inner.value,
              loc: d.loc,
              valueLoc: inner.loc,
            };
            if (inner === root && inner !== rootOf(d.block)) loc.rootInherited = true;
            facts.staticLocations.push(loc);
          }
        }
        walk(d.block, root);
      } else if (d.block && !d.name.startsWith('@')) {
        walk(d.block, root);
      }
    }
  };
  walk(directives, null);
  return facts;
}

/** `Caddyfile`, `Caddyfile.prod`, `*.caddyfile`, `*.Caddyfile`. */
export function isCaddyfilePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^Caddyfile([.-][\w.-]+)?$/i.test(base) || /\.caddyfile$/i.test(base);
}

export const CADDYFILES: FileSelector = { name: 'Caddyfile', prefixes: ['caddyfile'], exts: ['caddyfile'], test: isCaddyfilePath };
