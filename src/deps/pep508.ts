/**
 * A small reader of PEP 508 requirement strings and of the URL / path forms pip accepts on a
 * requirements line. Only what is needed to know *which* package is meant: name, extras,
 * marker, and whether it is a URL or a local path. Version specifiers are not interpreted.
 */
import { normalizeName } from './packages.js';

export interface Requirement {
  /** Normalised name; for URLs and paths, the name read from the URL (`#egg=`, wheel file). */
  name: string;
  extras: string[];
  marker?: string;
  /** `name @ url`, a bare URL, or a path. */
  url?: string;
  /** A local path (`.`, `./pkg`, `dist/x.whl`): the caller may read the project there. */
  path?: string;
  /** The name was guessed from a URL or path without `#egg=` or a wheel/sdist file name. */
  guessed?: boolean;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip|egg)$/i;
const URL_SCHEME = /^(?:[a-z][a-z0-9+.-]*):\/\//i;

/** Parse one requirement (`gunicorn[gevent]>=22; python_version>"3.8"`), or null. */
export function parseRequirement(text: string): Requirement | null {
  const s = text.trim();
  if (!s) return null;
  if (URL_SCHEME.test(s) || /^file:/i.test(s)) return fromUrl(s);
  if (looksLikePath(s)) return fromPath(s);
  const m = NAME.exec(s);
  if (!m) return null;
  let rest = s.slice(m[0].length).trimStart();
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .map(normalizeName);
    rest = rest.slice(close + 1).trimStart();
  }
  const req: Requirement = { name: normalizeName(m[1]), extras };
  if (rest.startsWith('@')) {
    const body = rest.slice(1).trim();
    const semi = body.search(/\s;/);
    req.url = (semi >= 0 ? body.slice(0, semi) : body).trim();
    if (semi >= 0) req.marker = body.slice(semi + 2).trim();
    return req;
  }
  const semi = rest.indexOf(';');
  const spec = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
  if (semi >= 0) req.marker = rest.slice(semi + 1).trim();
  // A version specifier, possibly in parentheses (`gunicorn (>=20)`), or nothing.
  if (spec && !/^\(?\s*(?:[<>=!~]=?|===)/.test(spec)) return null;
  return req;
}

function looksLikePath(s: string): boolean {
  if (s === '.' || s === '..' || s.startsWith('./') || s.startsWith('../') || s.startsWith('/')) return true;
  if (s.startsWith('.[') || s.startsWith('~')) return true;
  const first = s.split(/[\s;[]/)[0];
  return first.includes('/') || ARCHIVE.test(first);
}

function fromUrl(s: string): Requirement | null {
  const [urlPart, marker] = splitMarker(s);
  const req: Requirement = { name: '', extras: [], url: urlPart };
  if (marker) req.marker = marker;
  const egg = /[#&]egg=([A-Za-z0-9._-]+?)(?:\[([^\]]*)\])?(?:&|$)/.exec(urlPart);
  if (egg) {
    req.name = normalizeName(egg[1].replace(/-\d.*$/, ''));
    if (egg[2]) req.extras = egg[2].split(',').map((e) => normalizeName(e)).filter(Boolean);
    return req;
  }
  const base = urlPart.replace(/[#?].*$/, '').replace(/@[^/]*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  const file = nameFromArchive(base);
  if (file) {
    req.name = file;
    return req;
  }
  const repo = base.replace(/\.git$/, '');
  if (!NAME.test(repo)) return null;
  req.name = normalizeName(repo);
  req.guessed = true;
  return req;
}

function fromPath(s: string): Requirement | null {
  let [p, marker] = splitMarker(s);
  let extras: string[] = [];
  const ex = /\[([^\]]*)\]$/.exec(p);
  if (ex) {
    extras = ex[1].split(',').map((e) => normalizeName(e)).filter(Boolean);
    p = p.slice(0, ex.index);
  }
  const req: Requirement = { name: '', extras, path: p };
  if (marker) req.marker = marker;
  const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
  const file = nameFromArchive(base);
  if (file) req.name = file;
  else if (base && base !== '.' && base !== '..' && NAME.test(base)) {
    req.name = normalizeName(base);
    req.guessed = true;
  }
  return req;
}

function splitMarker(s: string): [string, string | undefined] {
  const i = s.search(/\s;/);
  if (i < 0) return [s.trim(), undefined];
  return [s.slice(0, i).trim(), s.slice(i + 2).trim()];
}

/** `gunicorn-22.0.0-py3-none-any.whl` → `gunicorn`; `mod_wsgi-5.0.0.tar.gz` → `mod-wsgi`. */
export function nameFromArchive(base: string): string | null {
  if (/\.whl$/i.test(base)) {
    const name = base.split('-')[0];
    return name ? normalizeName(name) : null;
  }
  const m = /^(.+?)-\d[^-]*\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip|egg)$/i.exec(base);
  return m ? normalizeName(m[1]) : null;
}
