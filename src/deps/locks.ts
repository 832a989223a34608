/**
 * Lock files: `poetry.lock`, `uv.lock`, `pdm.lock` (TOML `[[package]]` tables with their
 * dependency edges) and PEP 751 `pylock.toml` (`[[packages]]`). A lock says what is really
 * installed, transitive packages included; which section a locked package belongs to is
 * found by walking the dependency graph from the project's declared sections.
 */
import type { Location } from '../core/location.js';
import { type Label, ReadCtx, mk } from './context.js';
import { isDevLabel, normalizeName } from './packages.js';
import { parseRequirement } from './pep508.js';
import { isTable, parseTomlFile, type Table } from './pyproject.js';
import { TomlText } from './text.js';
import type { Declared } from './types.js';

export interface Edge {
  name: string;
  extras: string[];
  optional: boolean;
}

export interface LockPkg {
  name: string;
  loc: Location;
  version: string;
  deps: Edge[];
  /** Extra → packages it adds. */
  extras: Map<string, Edge[]>;
  /** uv: a root project's development groups. */
  devGroups: Map<string, Edge[]>;
  /** Groups the lock itself records (Poetry 2 `groups`, PDM `groups`, old Poetry `category`). */
  groups: string[] | null;
  /** uv: the project itself (`source = { editable = "." }` / `virtual`). */
  root: boolean;
}

export interface Lock {
  file: string;
  kind: 'poetry' | 'uv' | 'pdm' | 'pylock';
  packages: Map<string, LockPkg>;
}

export function lockKind(file: string): Lock['kind'] | null {
  const base = file.split('/').pop() ?? '';
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'uv.lock') return 'uv';
  if (base === 'pdm.lock') return 'pdm';
  if (base === 'pylock.toml' || /^pylock\.[^.]+\.toml$/.test(base)) return 'pylock';
  return null;
}

export function readLock(ctx: ReadCtx, file: string): Lock | null {
  const kind = lockKind(file);
  const text = ctx.repo.text(file);
  if (!kind || text === null) return null;
  ctx.addFile(file);
  const doc = parseTomlFile(ctx, file, text);
  if (!doc) return null;
  const t = new TomlText(file, text);
  const table = kind === 'pylock' ? 'packages' : 'package';
  const list = Array.isArray(doc[table]) ? (doc[table] as unknown[]) : [];
  const lock: Lock = { file, kind, packages: new Map() };
  list.forEach((p, i) => {
    if (!isTable(p) || typeof p.name !== 'string') return;
    const name = normalizeName(p.name);
    const range = t.range(table, i, true);
    const loc = t.findKey(range, 'name') ?? t.headerLoc(range);
    const pkg: LockPkg = {
      name,
      loc,
      version: typeof p.version === 'string' ? p.version : '',
      deps: [],
      extras: new Map(),
      devGroups: new Map(),
      groups: null,
      root: false,
    };
    if (kind === 'poetry') poetryPkg(p, pkg);
    else if (kind === 'uv') uvPkg(p, pkg);
    else if (kind === 'pdm') pdmPkg(p, pkg);
    const old = lock.packages.get(name);
    if (old) {
      // Several versions locked for different markers: one node with every edge.
      old.deps.push(...pkg.deps);
      for (const [k, v] of pkg.extras) old.extras.set(k, [...(old.extras.get(k) ?? []), ...v]);
    } else lock.packages.set(name, pkg);
  });
  return lock;
}

function strEdges(list: unknown): Edge[] {
  if (!Array.isArray(list)) return [];
  const out: Edge[] = [];
  for (const s of list) {
    if (typeof s !== 'string') continue;
    // Poetry writes `httptools (>=0.5.0)`; PDM writes PEP 508.
    const r = parseRequirement(s.replace(/\s*\(([^)]*)\)/, '$1'));
    if (r?.name) out.push({ name: r.name, extras: r.extras, optional: false });
  }
  return out;
}

function tableEdges(list: unknown): Edge[] {
  if (!Array.isArray(list)) return [];
  const out: Edge[] = [];
  for (const d of list) {
    if (!isTable(d) || typeof d.name !== 'string') continue;
    const extras = Array.isArray(d.extra) ? d.extra.filter((e): e is string => typeof e === 'string').map(normalizeName) : [];
    out.push({ name: normalizeName(d.name), extras, optional: false });
  }
  return out;
}

function poetryPkg(p: Table, pkg: LockPkg): void {
  if (isTable(p.dependencies)) {
    for (const [k, v] of Object.entries(p.dependencies)) {
      const specs = Array.isArray(v) ? v : [v];
      const optional = specs.every((s) => isTable(s) && s.optional === true);
      const first = specs[0];
      const extras = isTable(first) && Array.isArray(first.extras) ? first.extras.filter((e): e is string => typeof e === 'string').map(normalizeName) : [];
      pkg.deps.push({ name: normalizeName(k), extras, optional });
    }
  }
  if (isTable(p.extras)) for (const [k, v] of Object.entries(p.extras)) pkg.extras.set(normalizeName(k), strEdges(v));
  if (Array.isArray(p.groups)) pkg.groups = p.groups.filter((g): g is string => typeof g === 'string');
  else if (typeof p.category === 'string') pkg.groups = [p.category];
}

function uvPkg(p: Table, pkg: LockPkg): void {
  pkg.deps = tableEdges(p.dependencies);
  if (isTable(p['optional-dependencies'])) {
    for (const [k, v] of Object.entries(p['optional-dependencies'])) pkg.extras.set(normalizeName(k), tableEdges(v));
  }
  if (isTable(p['dev-dependencies'])) {
    for (const [k, v] of Object.entries(p['dev-dependencies'])) pkg.devGroups.set(k.toLowerCase(), tableEdges(v));
  }
  const src = isTable(p.source) ? p.source : {};
  pkg.root = typeof src.editable === 'string' || typeof src.virtual === 'string';
}

function pdmPkg(p: Table, pkg: LockPkg): void {
  pkg.deps = strEdges(p.dependencies);
  if (Array.isArray(p.groups)) pkg.groups = p.groups.filter((g): g is string => typeof g === 'string');
}

/** Everything reachable from `seeds` (the seeds included), following extras asked for. */
export function reach(lock: Lock, seeds: Edge[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...seeds];
  let steps = 0;
  while (stack.length > 0 && steps++ < 100_000) {
    const e = stack.pop()!;
    const key = `${e.name}[${e.extras.join(',')}]`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pkg = lock.packages.get(e.name);
    if (!pkg) continue;
    for (const d of pkg.deps) if (!d.optional) stack.push(d);
    for (const x of e.extras) {
      for (const d of pkg.extras.get(x) ?? []) stack.push(d);
      // Poetry marks extra-only dependencies optional and lists them by name in [package.extras].
      for (const d of pkg.deps) if (d.optional && (pkg.extras.get(x) ?? []).some((y) => y.name === d.name)) stack.push(d);
    }
  }
  return new Set([...seen].map((k) => k.slice(0, k.indexOf('['))));
}

/** A section of the project to walk from, with the label its packages get. */
export interface Section {
  label: Label;
  seeds: Edge[];
}

/**
 * The locked packages reached from each section, labelled by the first section that reaches
 * them (list main first). Packages in `skip` (declared directly) are left out.
 */
export function lockedPackages(lock: Lock, sections: Section[], via: string[], skip: Set<string>): Declared[] {
  const out: Declared[] = [];
  const done = new Set<string>(skip);
  for (const s of sections) {
    for (const name of reach(lock, s.seeds)) {
      if (done.has(name)) continue;
      const pkg = lock.packages.get(name);
      if (!pkg || pkg.root) continue;
      done.add(name);
      out.push(mk(name, `${pkg.name}==${pkg.version}`, pkg.loc, s.label, via, { locked: true }));
    }
  }
  return out;
}

/**
 * A lock read on its own: uv roots give the sections; otherwise each package's recorded
 * groups (Poetry 2, PDM, old Poetry `category`) or main.
 */
export function lockAlone(lock: Lock, via: string[]): Declared[] {
  const roots = [...lock.packages.values()].filter((p) => p.root);
  if (lock.kind === 'uv' && roots.length > 0) {
    const main: Section = { label: { group: 'main', dev: false, kind: 'main' }, seeds: roots.flatMap((r) => r.deps) };
    const sections: Section[] = [main];
    for (const r of roots) {
      for (const [x, e] of r.extras) sections.push({ label: { group: x, dev: isDevLabel(x), kind: 'extra' }, seeds: e });
      for (const [g, e] of r.devGroups) sections.push({ label: { group: g, dev: g === 'dev' || isDevLabel(g), kind: 'group' }, seeds: e });
    }
    const got = lockedPackages(lock, sections, via, new Set());
    // Anything unreachable (markers, workspace members) still counts as locked for main.
    const have = new Set(got.map((d) => d.name));
    for (const p of lock.packages.values()) {
      if (!p.root && !have.has(p.name)) got.push(mk(p.name, `${p.name}==${p.version}`, p.loc, main.label, via, { locked: true }));
    }
    return got;
  }
  return [...lock.packages.values()]
    .filter((p) => !p.root)
    .map((p) => {
      const groups = p.groups ?? ['main'];
      const isMain = groups.some((g) => g === 'main' || g === 'default');
      const g = isMain ? 'main' : groups[0];
      const label: Label = isMain ? { group: 'main', dev: false, kind: 'main' } : { group: g, dev: isDevLabel(g), kind: 'group' };
      return mk(p.name, `${p.name}==${p.version}`, p.loc, label, via, { locked: true });
    });
}
