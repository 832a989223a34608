/**
 * Package names: PEP 503 normalisation, which packages provide each server, what a package
 * brings in with it, and which group / file names mean "development only".
 */
import type { ServerKind } from '../model/types.js';
import type { Declared } from './types.js';

/** PEP 503: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

type RealServer = Exclude<ServerKind, 'runserver' | 'runserver_plus' | 'unknown'>;

/** The PyPI packages (normalised) that put each server on the path. */
export const SERVER_PACKAGES: Record<RealServer, string[]> = {
  gunicorn: ['gunicorn'],
  uwsgi: ['uwsgi', 'pyuwsgi'],
  uvicorn: ['uvicorn'],
  daphne: ['daphne'],
  hypercorn: ['hypercorn'],
  granian: ['granian'],
  waitress: ['waitress'],
  // `mod_wsgi` on PyPI (mod_wsgi-express), or the variant bundling its own Apache.
  mod_wsgi: ['mod-wsgi', 'mod-wsgi-standalone'],
  bjoern: ['bjoern'],
};

/** gunicorn worker classes (`-k`, `worker_class`) that need a package of their own. */
const WORKER_PACKAGES: { match: (w: string) => boolean; packages: string[] }[] = [
  // uvicorn.workers is deprecated but still shipped by uvicorn; uvicorn-worker depends on uvicorn.
  { match: (w) => w.startsWith('uvicorn.workers.'), packages: ['uvicorn', 'uvicorn-worker'] },
  { match: (w) => w.startsWith('uvicorn_worker.'), packages: ['uvicorn-worker'] },
  { match: (w) => w === 'gevent' || w.startsWith('gunicorn.workers.ggevent.'), packages: ['gevent'] },
  { match: (w) => w === 'eventlet' || w.startsWith('gunicorn.workers.geventlet.'), packages: ['eventlet'] },
  { match: (w) => w === 'tornado' || w.startsWith('gunicorn.workers.gtornado.'), packages: ['tornado'] },
];

/**
 * The requirements a server command has: each inner list holds alternatives, one of which must
 * be installed. `gunicorn -k uvicorn_worker.UvicornWorker` → `[['gunicorn'], ['uvicorn-worker']]`.
 * Development servers and unknown commands need nothing here (`[]`).
 */
export function packagesForServer(kind: ServerKind, opts: { workerClass?: string } = {}): string[][] {
  if (kind === 'runserver' || kind === 'runserver_plus' || kind === 'unknown') return [];
  const out: string[][] = [[...SERVER_PACKAGES[kind]]];
  const w = opts.workerClass?.trim();
  if (kind === 'gunicorn' && w) {
    const hit = WORKER_PACKAGES.find((x) => x.match(w));
    if (hit) out.push([...hit.packages]);
  }
  return out;
}

/**
 * What installing a package puts in place besides itself, for the packages that matter here:
 * a requirement's extras (`gunicorn[gevent]`) and hard dependencies (`uvicorn-worker` depends
 * on gunicorn and uvicorn). Keys are `name` or `name[extra]`.
 */
const IMPLIES: Record<string, string[]> = {
  'uvicorn-worker': ['gunicorn', 'uvicorn'],
  'gunicorn[gevent]': ['gevent'],
  'gunicorn[eventlet]': ['eventlet'],
  'gunicorn[tornado]': ['tornado'],
  'channels[daphne]': ['daphne'],
  'mod-wsgi-standalone': ['mod-wsgi'],
};

/** The names a declared package provides: itself and what it implies (see IMPLIES). */
export function providedNames(d: Pick<Declared, 'name' | 'extras'>): string[] {
  const out = new Set<string>([d.name]);
  for (const n of IMPLIES[d.name] ?? []) out.add(n);
  for (const e of d.extras ?? []) for (const n of IMPLIES[`${d.name}[${normalizeName(e)}]`] ?? []) out.add(n);
  return [...out];
}

/**
 * The declaration that satisfies one requirement (a list of alternatives): the first one
 * outside development groups (`prod`), else the first development one (`dev`).
 */
export function findProvider(packages: Declared[], alternatives: string[]): { prod: Declared | null; dev: Declared | null } {
  const want = new Set(alternatives.map(normalizeName));
  let prod: Declared | null = null;
  let dev: Declared | null = null;
  for (const p of packages) {
    if (!providedNames(p).some((n) => want.has(n))) continue;
    if (!p.dev && !prod) prod = p;
    if (p.dev && !dev) dev = p;
  }
  return { prod, dev };
}

/** Words that mark a group, extra, category or file as development-only. */
const DEV_WORDS = new Set([
  'dev', 'devel', 'develop', 'development', 'test', 'tests', 'testing', 'local', 'lint', 'lints', 'linting',
  'linter', 'linters', 'docs', 'doc', 'documentation', 'ci', 'typing', 'types', 'mypy', 'style', 'qa', 'check',
  'checks', 'format', 'formatting', 'fmt', 'debug', 'coverage', 'pytest', 'tox', 'nox', 'bench', 'benchmark',
  'benchmarks', 'example', 'examples', 'precommit', 'pre-commit', 'tooling', 'tools', 'mkdocs', 'sphinx',
]);

/** The development word in a label (`dev`, `test-requirements`, `lint`), or null. */
export function devWord(label: string): string | null {
  const lower = label.toLowerCase();
  if (DEV_WORDS.has(lower)) return lower;
  for (const tok of lower.split(/[-_.\s/]+/)) {
    if (!tok) continue;
    if (DEV_WORDS.has(tok)) return tok;
    // `devrequirements`, `testrequirements`, `requirementsdev`
    if (/^(dev|test)/.test(tok) && tok !== 'devops') return tok.startsWith('dev') ? 'dev' : 'test';
    if (/dev$/.test(tok)) return 'dev';
  }
  return null;
}

/** A group / extra / category label that means development-only. */
export function isDevLabel(label: string): boolean {
  return devWord(label) !== null;
}

const DEV_DIRS = new Set(['docs', 'doc', 'test', 'tests', 'testing', 'ci', '.github', 'dev', 'local', 'example', 'examples']);

/**
 * The development label of a dependency file from its name (`requirements-dev.txt`,
 * `requirements/local.txt`, `docs/requirements.txt`), or null for a production file.
 */
export function devFileLabel(file: string): string | null {
  const parts = file.split('/');
  const base = parts[parts.length - 1].replace(/\.(txt|in|ya?ml|toml|lock|cfg|py)$/i, '');
  const w = devWord(base);
  if (w) return w;
  for (const dir of parts.slice(0, -1)) if (DEV_DIRS.has(dir.toLowerCase())) return dir.toLowerCase();
  return null;
}
