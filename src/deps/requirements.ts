/**
 * pip requirements files (`requirements*.txt`, `requirements/*.txt`, `*.in`, rye's
 * `requirements.lock`): one requirement per logical line, `\` continuations, `#` comments,
 * `-r`/`--requirement` and `-c`/`--constraint` includes relative to the including file,
 * `-e`/`--editable`, per-requirement options (`--hash`), URLs and local paths.
 *
 * Hand-written: the format is line-based and small, and no library for it exists here.
 */
import type { Location } from '../core/location.js';
import { type Label, MAIN, MAX_DEPTH, ReadCtx, mk } from './context.js';
import { devFileLabel } from './packages.js';
import { parseRequirement } from './pep508.js';
import { lineLoc, splitLines } from '../core/lines.js';
import type { Declared } from './types.js';

/** Reads the project (pyproject.toml / setup.py / setup.cfg) in a folder for `-e .[extra]`. */
export type ProjectDirReader = (dir: string, extras: string[], label: Label, via: string[], at: Location) => Declared[] | null;

export interface LogicalLine {
  text: string;
  line: number;
  /** Column (1-based) of the first non-blank character. */
  column: number;
}

/** Join `\` continuations and drop comments (`#` at the start or after whitespace). */
export function logicalLines(text: string): LogicalLine[] {
  const lines = splitLines(text);
  const out: LogicalLine[] = [];
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (buf === '') start = i + 1;
    const cont = /(^|[^\\])(\\\\)*\\$/.test(l);
    if (cont) l = l.slice(0, -1);
    buf += l;
    if (cont && i < lines.length - 1) continue;
    const noComment = buf.replace(/(^|\s)#.*$/, '');
    const trimmed = noComment.trim();
    if (trimmed) out.push({ text: trimmed, line: start, column: noComment.length - noComment.trimStart().length + 1 });
    buf = '';
  }
  return out;
}

const INCLUDE_OPTS: Record<string, 'r' | 'c' | 'e'> = {
  '-r': 'r',
  '--requirement': 'r',
  '-c': 'c',
  '--constraint': 'c',
  '-e': 'e',
  '--editable': 'e',
};

/**
 * Read a requirements file and its includes. `label` is the including file's label (null at
 * the top): a file named like a dev file (`requirements/local.txt`) is dev itself, any other
 * file takes its includer's label.
 */
export function readRequirements(
  ctx: ReadCtx,
  file: string,
  label: Label | null,
  via: string[],
  readProjectDir: ProjectDirReader,
): Declared[] {
  const text = ctx.repo.text(file);
  if (text === null) return [];
  ctx.addFile(file);
  const own = devFileLabel(file);
  const lab: Label = own ? { group: own, dev: true, kind: 'group' } : (label ?? MAIN);
  const out: Declared[] = [];
  ctx.stack.push(file);
  try {
    for (const ll of logicalLines(text)) out.push(...requirementLine(ctx, file, ll, lab, via, readProjectDir));
  } finally {
    ctx.stack.pop();
  }
  return out;
}

/**
 * One logical requirements line (also used for the `pip:` list of a conda environment file):
 * an option (`-r`, `-c`, `-e`, others ignored) or a requirement with per-line options.
 */
export function requirementLine(
  ctx: ReadCtx,
  file: string,
  ll: LogicalLine,
  lab: Label,
  via: string[],
  readProjectDir: ProjectDirReader,
): Declared[] {
  const out: Declared[] = [];
  if (ll.text.startsWith('-')) {
    readOption(ctx, file, ll, lab, via, readProjectDir, out);
    return out;
  }
  // Per-requirement options (`--hash=...`, `--config-settings ...`) end the requirement.
  const optAt = ll.text.search(/\s--?[A-Za-z]/);
  const spec = (optAt >= 0 ? ll.text.slice(0, optAt) : ll.text).trim();
  const loc = lineLoc(file, ll.line, ll.column, ll.column + spec.length);
  addRequirement(ctx, file, spec, loc, lab, via, readProjectDir, out);
  return out;
}

function readOption(
  ctx: ReadCtx,
  file: string,
  ll: LogicalLine,
  lab: Label,
  via: string[],
  readProjectDir: ProjectDirReader,
  out: Declared[],
): void {
  const m = /^(--?[A-Za-z-]+)(?:\s*=\s*|\s+)?(.*)$/.exec(ll.text);
  if (!m) return;
  let opt = m[1];
  let arg = m[2].trim();
  // `-rbase.txt`
  const short = /^-([rce])(.+)$/.exec(ll.text);
  if (short && !INCLUDE_OPTS[opt]) {
    opt = `-${short[1]}`;
    arg = short[2].trim();
  }
  const kind = INCLUDE_OPTS[opt];
  if (!kind) return; // -i, --extra-index-url, -f, --trusted-host, --pre, --require-hashes, ...
  const argCol = ll.column + ll.text.lastIndexOf(arg);
  const loc = lineLoc(file, ll.line, ll.column, argCol + arg.length);
  if (kind === 'e') {
    addRequirement(ctx, file, arg, loc, lab, via, readProjectDir, out);
    return;
  }
  include(ctx, file, arg.split(/\s+/)[0], loc, kind === 'c', lab, via, readProjectDir, out);
}

function include(
  ctx: ReadCtx,
  file: string,
  arg: string,
  loc: Location,
  constraint: boolean,
  lab: Label,
  via: string[],
  readProjectDir: ProjectDirReader,
  out: Declared[],
): void {
  const what = constraint ? 'constraints file' : 'requirements file';
  if (!arg || /[$`]/.test(arg) || /^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) {
    ctx.unresolvedAt(`the ${what} '${arg}' included from ${file} is not a file in the repository`, loc);
    return;
  }
  const target = ctx.resolve(arg, file);
  if (target === null) {
    ctx.unresolvedAt(`the ${what} '${arg}' included from ${file} is outside the repository`, loc);
    return;
  }
  if (ctx.stack.includes(target)) {
    ctx.issue(file, `'${arg}' includes ${target}, which is already being read: an include cycle`, loc);
    return;
  }
  const r = ctx.repo.read(target);
  if (!r.ok) {
    if (r.reason === 'missing') ctx.issue(file, `'${arg}' is included from ${file} but ${target} does not exist`, loc);
    else ctx.unresolvedAt(`'${arg}' included from ${file} could not be read: ${r.message}`, loc);
    return;
  }
  if (ctx.stack.length >= MAX_DEPTH) {
    ctx.unresolvedAt(`'${arg}' was not followed: more than ${MAX_DEPTH} nested includes`, loc);
    return;
  }
  // Constraints only pin versions; they install nothing. The file is still listed as read.
  if (constraint) {
    ctx.addFile(target);
    return;
  }
  if (ctx.hasRead(target)) return; // already read through another include
  out.push(...readRequirements(ctx, target, lab, [...via, file], readProjectDir));
}

function addRequirement(
  ctx: ReadCtx,
  file: string,
  spec: string,
  loc: Location,
  lab: Label,
  via: string[],
  readProjectDir: ProjectDirReader,
  out: Declared[],
): void {
  if (/\$\{?[A-Za-z_]/.test(spec)) {
    ctx.unresolvedAt(`'${spec}' in ${file} uses an environment variable; the package it names is not known`, loc);
    return;
  }
  const req = parseRequirement(spec);
  if (!req) {
    ctx.unresolvedAt(`'${spec}' in ${file} is not a requirement this tool can read`, loc);
    return;
  }
  if (req.path !== undefined && !req.name.length) {
    // A project folder (`.`, `-e .[prod]`, `./src`): its own declarations are installed.
    const dir = ctx.resolve(req.path === '.' ? '.' : req.path, file);
    const got = dir === null ? null : readProjectDir(dir, req.extras, lab, [...via, file], loc);
    if (got) out.push(...got);
    else ctx.unresolvedAt(`'${spec}' in ${file} installs a local project whose dependencies could not be read`, loc);
    return;
  }
  if (req.path !== undefined && req.guessed) {
    // `./vendor/gunicorn`: a folder; read its project when there is one, else trust the name.
    const dir = ctx.resolve(req.path, file);
    const got = dir === null ? null : readProjectDir(dir, req.extras, lab, [...via, file], loc);
    if (got) out.push(...got);
  }
  if (!req.name) {
    ctx.unresolvedAt(`'${spec}' in ${file} does not say which package it installs`, loc);
    return;
  }
  out.push(mk(req.name, spec, loc, lab, via, { extras: req.extras, marker: req.marker }));
}
