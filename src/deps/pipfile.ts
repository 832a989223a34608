/**
 * Pipenv: `Pipfile` (TOML; `[packages]`, `[dev-packages]`, custom categories) and
 * `Pipfile.lock` (JSON; `default`, `develop`, custom categories, transitive packages included).
 */
import { type Label, MAIN, ReadCtx, mk } from './context.js';
import { isDevLabel, normalizeName } from './packages.js';
import { isTable, parseTomlFile } from './pyproject.js';
import { TomlText } from './text.js';
import { lineLoc, splitLines, wholeLineLoc } from '../core/lines.js';
import type { Declared } from './types.js';

/** Pipfile sections that are not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'pipenv', 'scripts', '_meta']);

/** Packages by category: `packages` / `default` are main, `dev-packages` / `develop` are dev. */
export type Categories = Map<string, Declared[]>;

export function categoryLabel(cat: string): Label {
  if (cat === 'packages' || cat === 'default') return MAIN;
  if (cat === 'dev-packages' || cat === 'develop') return { group: 'dev', dev: true, kind: 'group' };
  return { group: cat, dev: isDevLabel(cat), kind: 'group' };
}

/** The category names pipenv uses for `--dev` in each file. */
export function isMainCategory(cat: string): boolean {
  return cat === 'packages' || cat === 'default';
}

export function readPipfile(ctx: ReadCtx, file: string, via: string[]): Categories {
  const out: Categories = new Map();
  const text = ctx.repo.text(file);
  if (text === null) return out;
  ctx.addFile(file);
  const doc = parseTomlFile(ctx, file, text);
  if (!doc) return out;
  const t = new TomlText(file, text);
  for (const [cat, body] of Object.entries(doc)) {
    if (NOT_CATEGORIES.has(cat) || !isTable(body)) continue;
    const lab = categoryLabel(cat);
    const list: Declared[] = [];
    for (const [key, val] of Object.entries(body)) {
      const loc = t.locateKey(cat, key, normalizeName);
      const extras = isTable(val) && Array.isArray(val.extras) ? val.extras.filter((e): e is string => typeof e === 'string').map(normalizeName) : [];
      const marker = isTable(val) && typeof val.markers === 'string' ? val.markers : undefined;
      list.push(mk(normalizeName(key), t.lines[loc.line - 1]?.trim() ?? key, loc, lab, via, { extras, marker }));
    }
    out.set(cat, list);
  }
  return out;
}

export function readPipfileLock(ctx: ReadCtx, file: string, via: string[]): Categories {
  const out: Categories = new Map();
  const text = ctx.repo.text(file);
  if (text === null) return out;
  ctx.addFile(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const lines = splitLines(text);
    let loc = lineLoc(file, 1, 1, 2);
    if (m) {
      const off = Number(m[1]);
      const before = text.slice(0, off).split('\n');
      loc = lineLoc(file, before.length, before[before.length - 1].length + 1, before[before.length - 1].length + 2);
    } else if (lines.length) loc = wholeLineLoc(file, lines, 1);
    ctx.issue(file, `${file} is not valid JSON: ${(e as Error).message.split('\n')[0]}`, loc);
    ctx.unresolvedAt(`${file} could not be parsed, so its dependencies are unknown`, loc);
    return out;
  }
  if (!isTable(doc)) return out;
  const lines = splitLines(text);
  for (const [cat, body] of Object.entries(doc)) {
    if (NOT_CATEGORIES.has(cat) || !isTable(body)) continue;
    const lab = categoryLabel(cat);
    const start = lines.findIndex((l) => l.includes(`"${cat}"`));
    const list: Declared[] = [];
    for (const [key, val] of Object.entries(body)) {
      const loc = jsonKeyLoc(file, lines, key, start < 0 ? 0 : start);
      const extras = isTable(val) && Array.isArray(val.extras) ? val.extras.filter((e): e is string => typeof e === 'string').map(normalizeName) : [];
      const marker = isTable(val) && typeof val.markers === 'string' ? val.markers : undefined;
      const version = isTable(val) && typeof val.version === 'string' ? val.version : '';
      list.push(mk(normalizeName(key), `${key}${version}`, loc, lab, via, { extras, marker }));
    }
    out.set(cat, list);
  }
  return out;
}

/** The line of `"key":` at or after line index `from` (0-based). */
function jsonKeyLoc(file: string, lines: string[], key: string, from: number): ReturnType<typeof lineLoc> {
  const needle = `"${key}"`;
  for (let i = from; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0 && /^\s*:/.test(lines[i].slice(c + needle.length))) return lineLoc(file, i + 1, c + 1, c + needle.length + 1);
  }
  return lineLoc(file, from + 1, 1, 2);
}
