/**
 * Apache httpd configuration basics: a line parser (directives, `<Section args>` … `</Section>`,
 * `#` comment lines, `\` line continuation, `"…"` quoted arguments) and the facts the rules use:
 * `Alias /static/ /path/` (static files), `ProxyPass` targets (also inside `<Location>`), and
 * mod_wsgi's `WSGIScriptAlias`. Hand-written: no npm parser keeps positions for this format.
 */
import type { FileSelector } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import { isNginxConfigPath, parseAddress, SNIFFED_CONFIG, type NginxDirective, type WebServerFacts } from './nginx.js';

export type ApacheDirective = NginxDirective;

interface Arg {
  value: string;
  loc: Location;
}

/** Location of `[start, end)` of a logical (continuation-joined) line. */
type SpanFn = (start: number, end: number) => Location;

/** Split a directive line into arguments (quotes removed), with positions. */
function splitArgs(text: string, base: number, span: SpanFn, issues: ParseIssue[]): Arg[] {
  const out: Arg[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    let value = '';
    if (text[i] === '"' || text[i] === "'") {
      const q = text[i++];
      let closed = false;
      while (i < text.length) {
        const c = text[i++];
        if (c === '\\' && (text[i] === q || text[i] === '\\')) value += text[i++];
        else if (c === q) {
          closed = true;
          break;
        } else value += c;
      }
      if (!closed) {
        issues.push({ message: 'unterminated quoted argument', loc: span(base + start, base + i) });
      }
    } else {
      while (i < text.length && !/\s/.test(text[i])) value += text[i++];
    }
    out.push({ value, loc: span(base + start, base + i) });
  }
  return out;
}

/** Parse Apache configuration text. Never throws: errors come back as issues. */
export function parseApache(text: string, file: string): { directives: ApacheDirective[]; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const root: ApacheDirective[] = [];
  const stack: { d: ApacheDirective; children: ApacheDirective[] }[] = [];
  const lines = text.split('\n');
  const current = (): ApacheDirective[] => (stack.length > 0 ? stack[stack.length - 1].children : root);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    let raw = lines[n].replace(/\r$/, '');
    // Continuation lines are joined; `at[i]` is where character i of the joined line sits, so
    // every span stays on the physical lines it came from.
    const at: { line: number; column: number }[] = Array.from({ length: raw.length }, (_c, i) => ({ line: lineNo, column: i + 1 }));
    while (raw.endsWith('\\') && n + 1 < lines.length) {
      const joint = at.pop()!; // the backslash becomes the joining blank
      const next = lines[++n].replace(/\r$/, '');
      const lead = next.length - next.trimStart().length;
      raw = raw.slice(0, -1) + ' ' + next.slice(lead);
      at.push(joint);
      for (let i = lead; i < next.length; i++) at.push({ line: n + 1, column: i + 1 });
    }
    const span: SpanFn = (start, end) => {
      const a = at[start] ?? at[at.length - 1] ?? { line: lineNo, column: 1 };
      const last = end > start ? at[end - 1] : undefined;
      const b = last ? { line: last.line, column: last.column + 1 } : a;
      return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    };
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '' || body.startsWith('#')) continue;
    const whole: Location = span(indent, indent + body.length);
    const endLineNo = whole.endLine;
    const endCol = whole.endColumn;
    if (body.startsWith('</')) {
      const name = body.slice(2).replace(/>\s*$/, '').trim();
      const top = stack.pop();
      if (!top) {
        issues.push({ message: `unexpected </${name}> with no open section`, loc: whole });
      } else if (top.d.name.toLowerCase() !== name.toLowerCase()) {
        issues.push({ message: `</${name}> closes <${top.d.name}>`, loc: whole });
        top.d.loc = { ...top.d.loc, endLine: endLineNo, endColumn: endCol };
      } else {
        top.d.loc = { ...top.d.loc, endLine: endLineNo, endColumn: endCol };
      }
      continue;
    }
    if (body.startsWith('<')) {
      const close = body.lastIndexOf('>');
      if (close < 0) issues.push({ message: "section opening without '>'", loc: whole });
      const inner = body.slice(1, close < 0 ? undefined : close);
      const m = /^(\S+)/.exec(inner);
      const name = m ? m[1] : '';
      const args = splitArgs(inner.slice(name.length), indent + 1 + name.length, span, issues);
      const d: ApacheDirective = { name, args, loc: whole, block: [] };
      current().push(d);
      stack.push({ d, children: d.block! });
      continue;
    }
    const m = /^(\S+)/.exec(body)!;
    const args = splitArgs(body.slice(m[1].length), indent + m[1].length, span, issues);
    current().push({ name: m[1], args, loc: whole, block: null });
  }
  for (const open of stack.reverse()) {
    issues.push({ message: `<${open.d.name}> is not closed`, loc: open.d.loc });
  }
  return { directives: root, issues };
}

/** Aliases, proxy targets and WSGIScriptAlias of a parsed Apache configuration. */
export function apacheFacts(directives: ApacheDirective[], file: string): WebServerFacts {
  const facts: WebServerFacts = { server: 'apache', file, staticLocations: [], upstreams: [], wsgiScripts: [] };
  const walk = (ds: ApacheDirective[], location: string | null): void => {
    for (const d of ds) {
      const name = d.name.toLowerCase();
      if (name === 'alias' && d.args.length >= 2) {
        facts.staticLocations.push({ prefix: d.args[0].value, alias: d.args[1].value, root: null, loc: d.loc, valueLoc: d.args[1].loc });
      } else if (name === 'aliasmatch' && d.args.length >= 2) {
        facts.staticLocations.push({ prefix: d.args[0].value, modifier: '~', alias: d.args[1].value, root: null, loc: d.loc, valueLoc: d.args[1].loc });
      } else if (name === 'proxypass' || name === 'proxypassmatch') {
        const args = location !== null && d.args.length >= 1 && !d.args[0].value.startsWith('/') ? d.args : d.args.slice(1);
        const url = args[0];
        if (!url || url.value === '!') continue;
        const a = parseAddress(url.value);
        facts.upstreams.push({ target: a.target, kind: 'ProxyPass', loc: url.loc, host: a.host, port: a.port, socket: a.socket, variable: a.variable });
      } else if (name === 'wsgiscriptalias' && d.args.length >= 2) {
        facts.wsgiScripts!.push({ prefix: d.args[0].value, path: d.args[1].value, loc: d.loc });
      }
      if (d.block) walk(d.block, name === 'location' || name === 'locationmatch' ? (d.args[0]?.value ?? null) : location);
    }
  };
  walk(directives, null);
  return facts;
}

/** `*.conf` under an apache/httpd directory, `httpd.conf`, `apache2.conf`, `.htaccess` is not one. */
export function isApacheConfigPath(path: string): boolean {
  const parts = path.toLowerCase().split('/');
  const base = parts[parts.length - 1];
  if (base === 'httpd.conf' || base === 'apache2.conf' || /^(apache|httpd)[\w.-]*\.conf$/.test(base)) return true;
  return parts.slice(0, -1).some((d) => d.includes('apache') || d.includes('httpd')) && /\.conf(\.template)?$/.test(base);
}

/** Content sniff: a `<VirtualHost` section or a WSGIScriptAlias / ProxyPass line. */
export function looksLikeApache(text: string): boolean {
  return /^\s*<VirtualHost\b/im.test(text) || /^\s*(WSGIScriptAlias|ProxyPass)\s/m.test(text);
}

/** Files named like an Apache configuration, or like a configuration whose content tells. */
export const APACHE_CANDIDATES: FileSelector = {
  name: 'Apache configuration',
  exts: ['conf', 'template', 'tmpl', 'j2', 'tpl', 'vhost'],
  test: (f) => isApacheConfigPath(f) || (SNIFFED_CONFIG.test(f) && !isNginxConfigPath(f)),
};
