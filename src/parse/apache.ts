/**
 * Apache httpd configuration basics: a line parser (directives, `<Section args>` … `</Section>`,
 * `#` comment lines, `\` line continuation, `"…"` quoted arguments) and the facts the rules use:
 * `Alias /static/ /path/` (static files), `ProxyPass` targets (also inside `<Location>`), and
 * mod_wsgi's `WSGIScriptAlias`. Hand-written: no npm parser keeps positions for this format.
 */
import type { Repo } from '../discover/repo.js';
import type { Location, ParseIssue } from '../model/types.js';
import { isNginxConfigPath, MAX_SNIFFED, parseAddress, SNIFFED_CONFIG, type NginxDirective, type WebServerFacts } from './nginx.js';

export type ApacheDirective = NginxDirective;

interface Arg {
  value: string;
  loc: Location;
}

/** Split a directive line into arguments (quotes removed), with positions. */
function splitArgs(text: string, file: string, line: number, startCol: number, issues: ParseIssue[]): Arg[] {
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
        issues.push({ message: 'unterminated quoted argument', loc: { file, line, column: startCol + start, endLine: line, endColumn: startCol + i } });
      }
    } else {
      while (i < text.length && !/\s/.test(text[i])) value += text[i++];
    }
    out.push({ value, loc: { file, line, column: startCol + start, endLine: line, endColumn: startCol + i } });
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
    // Continuation lines are joined; positions on them are approximated by the first line.
    while (raw.endsWith('\\') && n + 1 < lines.length) raw = raw.slice(0, -1) + ' ' + lines[++n].replace(/\r$/, '').trimStart();
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '' || body.startsWith('#')) continue;
    const col = indent + 1;
    const endCol = indent + body.length + 1;
    const whole: Location = { file, line: lineNo, column: col, endLine: lineNo, endColumn: endCol };
    if (body.startsWith('</')) {
      const name = body.slice(2).replace(/>\s*$/, '').trim();
      const top = stack.pop();
      if (!top) {
        issues.push({ message: `unexpected </${name}> with no open section`, loc: whole });
      } else if (top.d.name.toLowerCase() !== name.toLowerCase()) {
        issues.push({ message: `</${name}> closes <${top.d.name}>`, loc: whole });
        top.d.loc = { ...top.d.loc, endLine: lineNo, endColumn: endCol };
      } else {
        top.d.loc = { ...top.d.loc, endLine: lineNo, endColumn: endCol };
      }
      continue;
    }
    if (body.startsWith('<')) {
      const close = body.lastIndexOf('>');
      if (close < 0) issues.push({ message: "section opening without '>'", loc: whole });
      const inner = body.slice(1, close < 0 ? undefined : close);
      const m = /^(\S+)/.exec(inner);
      const name = m ? m[1] : '';
      const args = splitArgs(inner.slice(name.length), file, lineNo, col + 1 + name.length, issues);
      const d: ApacheDirective = { name, args, loc: whole, block: [] };
      current().push(d);
      stack.push({ d, children: d.block! });
      continue;
    }
    const m = /^(\S+)/.exec(body)!;
    const args = splitArgs(body.slice(m[1].length), file, lineNo, col + m[1].length, issues);
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

/** The repository's Apache configurations: by path, else by content for `*.conf`-like files. */
export function findApacheConfigs(repo: Repo): string[] {
  let sniffed = 0;
  return repo.files.filter((f) => {
    if (isApacheConfigPath(f)) return true;
    if (!SNIFFED_CONFIG.test(f) || isNginxConfigPath(f) || sniffed >= MAX_SNIFFED) return false;
    sniffed++;
    const text = repo.text(f);
    return text !== null && looksLikeApache(text);
  });
}
