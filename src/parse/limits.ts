/**
 * The largest text each kind of file is parsed at, in UTF-16 code units (about bytes for the
 * ASCII of such files). Reads stop at 1 MiB (src/discover/repo.ts); parsers go further down,
 * because some are super-linear on crafted input (tree-sitter on a few hundred KB of backslash
 * lines or of `<`), and the run's time bound must hold inside a parse too (docs/architecture.md).
 * tree-sitter's progress callback cannot stop a single lexer step, and on such input one step
 * scans the rest of the text: the caps keep the time to the first callback well under a second.
 * Real files are far below: settings modules and scripts of a few KB (the largest settings module of 29 real projects is 41 KB), compose files and
 * manifests under 50 KB, one command line under 4 KB. A text over its cap is not parsed, and
 * that is a finding.
 */
export const PARSE_LIMITS = {
  /** A Python module (settings, gunicorn config, setup.py, urls, wsgi/asgi). */
  python: 64 * 1024,
  /** A shell script. */
  script: 128 * 1024,
  /** One command (a Procfile line, a `startCommand`, a `CMD`, an `sh -c` word). */
  command: 16 * 1024,
  /** A YAML document (compose files, platform manifests, Kubernetes). */
  yaml: 256 * 1024,
  /** A Dockerfile. */
  dockerfile: 256 * 1024,
};
export type ParseKind = keyof typeof PARSE_LIMITS;

const KIND_NAME: Record<ParseKind, string> = {
  python: 'Python module',
  script: 'shell script',
  command: 'shell command',
  yaml: 'YAML file',
  dockerfile: 'Dockerfile',
};

/** Null when `text` may be parsed as `kind`; else why not (`<count> characters, over ...`). */
export function overParseLimit(kind: ParseKind, text: string): string | null {
  const limit = PARSE_LIMITS[kind];
  if (text.length <= limit) return null;
  return `${text.length} characters, over the ${limit}-character limit for a ${KIND_NAME[kind]}; it was not parsed`;
}

/**
 * The run's time bound, inside a parse. A parse is synchronous and some are super-linear on
 * crafted input, so checks between the engine's stages cannot hold the bound alone: the engine
 * sets the run's deadline here for its synchronous stages; tree-sitter parses are cancelled
 * through its progress callback (src/parse/treesitter.ts), YAML between tokens
 * (src/parse/yaml-bounded.ts), once the deadline is past. The deadline is then marked expired,
 * and the engine stops the run at its next checkpoint.
 */
export interface ParseDeadline {
  at: number;
  expired: boolean;
}
let parseDeadline: ParseDeadline | null = null;

/** Sets (or clears, with null) the deadline every parse is bound by. */
export function setParseDeadline(deadline: ParseDeadline | null): void {
  parseDeadline = deadline;
}

export function hasParseDeadline(): boolean {
  return parseDeadline !== null;
}

/** Is the run's deadline past? (Marks it expired when it is.) */
export function parseExpired(): boolean {
  const d = parseDeadline;
  if (d === null) return false;
  if (d.expired) return true;
  if (performance.now() <= d.at) return false;
  d.expired = true;
  return true;
}
