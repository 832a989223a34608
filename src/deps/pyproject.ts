/**
 * pyproject.toml: PEP 621 `[project] dependencies` / `optional-dependencies`, PEP 735
 * `[dependency-groups]` (with `include-group`), Poetry (`[tool.poetry.dependencies]`,
 * `dev-dependencies`, `group.<g>.dependencies`, `extras`), PDM `[tool.pdm.dev-dependencies]`,
 * uv `[tool.uv] dev-dependencies` / `default-groups`, and dynamic dependencies read from
 * requirements files (`[tool.setuptools.dynamic]`, hatch-requirements-txt).
 *
 * Parsed with smol-toml; positions come from TomlText (see text.ts).
 */
import { TomlError, parse as parseToml } from 'smol-toml';
import { type Label, MAIN, ReadCtx, dirOf, fileStartLoc, mk } from './context.js';
import { isDevLabel, normalizeName } from './packages.js';
import { parseRequirement } from './pep508.js';
import { type GroupDeps, type ProjectDeps, emptyProject } from './project.js';
import { TomlText } from './text.js';
import { lineLoc } from '../core/lines.js';
import type { Declared } from './types.js';

export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Parse TOML, reporting a syntax error (DPL001) at its position; null when it does not parse. */
export function parseTomlFile(ctx: ReadCtx, file: string, text: string): Table | null {
  try {
    return parseToml(text) as Table;
  } catch (e) {
    const line = e instanceof TomlError ? e.line : 1;
    const column = e instanceof TomlError ? e.column : 1;
    const msg = (e as Error).message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    const loc = lineLoc(file, line, column, column + 1);
    ctx.issue(file, `${file} is not valid TOML: ${msg}`, loc);
    ctx.unresolvedAt(`${file} could not be parsed, so its dependencies are unknown`, loc);
    return null;
  }
}

/** Reads a requirements file named by the project (dynamic dependencies). */
export type ReqFileReader = (file: string, label: Label, via: string[]) => Declared[];

export function readPyproject(ctx: ReadCtx, file: string, via: string[], readReqFile: ReqFileReader): ProjectDeps | null {
  const text = ctx.repo.text(file);
  if (text === null) return null;
  ctx.addFile(file);
  const doc = parseTomlFile(ctx, file, text);
  const proj = emptyProject(dirOf(file));
  proj.files.push(file);
  if (!doc) return proj;
  const t = new TomlText(file, text);
  const r = new PyprojectReader(ctx, file, t, via);
  const project = isTable(doc.project) ? doc.project : null;
  const tool = isTable(doc.tool) ? doc.tool : {};

  // PEP 621
  if (project) {
    proj.main.push(...r.strings(project.dependencies, 'project', 'dependencies', MAIN));
    const opt = isTable(project['optional-dependencies']) ? project['optional-dependencies'] : {};
    for (const [extra, list] of Object.entries(opt)) {
      const lab = extraLabel(extra);
      proj.extras.set(normalizeName(extra), r.strings(list, 'project.optional-dependencies', extra, lab));
    }
  }

  // PEP 735
  const dg = isTable(doc['dependency-groups']) ? doc['dependency-groups'] : null;
  if (dg) {
    for (const name of Object.keys(dg)) {
      const items = r.dependencyGroup(dg, name, []);
      addGroup(proj, name, { items, optional: false, dev: isDevLabel(name), tool: 'pep735' });
    }
  }

  // Poetry
  const poetry = isTable(tool.poetry) ? tool.poetry : null;
  if (poetry) {
    proj.poetry = true;
    const optional = new Map<string, Declared>();
    if (isTable(poetry.dependencies)) {
      for (const d of r.poetryTable(poetry.dependencies, 'tool.poetry.dependencies', MAIN)) {
        if (d.optional) optional.set(d.decl.name, d.decl);
        else proj.main.push(d.decl);
      }
    }
    if (isTable(poetry.extras)) {
      for (const [extra, names] of Object.entries(poetry.extras)) {
        if (!Array.isArray(names)) continue;
        const lab = extraLabel(extra);
        const list: Declared[] = [];
        for (const n of names) {
          const d = typeof n === 'string' ? optional.get(normalizeName(n)) : undefined;
          if (d) list.push({ ...d, group: lab.group, dev: lab.dev, kind: 'extra' });
        }
        proj.extras.set(normalizeName(extra), [...(proj.extras.get(normalizeName(extra)) ?? []), ...list]);
      }
    }
    if (isTable(poetry['dev-dependencies'])) {
      const lab: Label = { group: 'dev', dev: true, kind: 'group' };
      const items = r.poetryTable(poetry['dev-dependencies'], 'tool.poetry.dev-dependencies', lab).map((d) => d.decl);
      addGroup(proj, 'dev', { items, optional: false, dev: true, tool: 'poetry' });
    }
    if (isTable(poetry.group)) {
      for (const [g, body] of Object.entries(poetry.group)) {
        if (!isTable(body)) continue;
        const dev = isDevLabel(g);
        const lab: Label = { group: g, dev, kind: 'group' };
        const deps = isTable(body.dependencies) ? body.dependencies : {};
        const items = r.poetryTable(deps, `tool.poetry.group.${g}.dependencies`, lab).map((d) => d.decl);
        // `[tool.poetry.group.main.dependencies]` is the main group.
        if (g === 'main') proj.main.push(...items.map((d) => ({ ...d, group: 'main', dev: false, kind: 'main' as const })));
        else addGroup(proj, g, { items, optional: body.optional === true, dev, tool: 'poetry' });
      }
    }
  }

  // PDM: every dev-dependencies group is a development group.
  const pdm = isTable(tool.pdm) ? tool.pdm : null;
  if (pdm && isTable(pdm['dev-dependencies'])) {
    for (const [g, list] of Object.entries(pdm['dev-dependencies'])) {
      const items = r.strings(list, 'tool.pdm.dev-dependencies', g, { group: g, dev: true, kind: 'group' });
      addGroup(proj, g, { items, optional: false, dev: true, tool: 'pdm' });
    }
  }

  // uv
  const uv = isTable(tool.uv) ? tool.uv : null;
  if (uv) {
    if (Array.isArray(uv['dev-dependencies'])) {
      const items = r.strings(uv['dev-dependencies'], 'tool.uv', 'dev-dependencies', { group: 'dev', dev: true, kind: 'group' });
      addGroup(proj, 'dev', { items, optional: false, dev: true, tool: 'uv' });
    }
    const dgs = uv['default-groups'];
    if (dgs === 'all') proj.uvDefaultGroups = 'all';
    else if (Array.isArray(dgs)) proj.uvDefaultGroups = dgs.filter((x): x is string => typeof x === 'string');
  }

  // Dynamic dependencies read from requirements files.
  const dynamic = project && Array.isArray(project.dynamic) ? project.dynamic.filter((x) => typeof x === 'string') : [];
  if (dynamic.includes('dependencies') || dynamic.includes('optional-dependencies')) {
    readDynamic(ctx, file, t, tool, proj, via, readReqFile, dynamic as string[]);
  }
  return proj;
}

function extraLabel(extra: string): Label {
  return { group: normalizeName(extra), dev: isDevLabel(extra), kind: 'extra' };
}

function addGroup(proj: ProjectDeps, name: string, g: GroupDeps): void {
  const key = name.toLowerCase();
  const old = proj.groups.get(key);
  if (old) {
    old.items.push(...g.items);
    old.dev = old.dev || g.dev;
  } else proj.groups.set(key, g);
}

function readDynamic(
  ctx: ReadCtx,
  file: string,
  t: TomlText,
  tool: Table,
  proj: ProjectDeps,
  via: string[],
  readReqFile: ReqFileReader,
  dynamic: string[],
): void {
  const st = isTable(tool.setuptools) && isTable(tool.setuptools.dynamic) ? tool.setuptools.dynamic : null;
  const hatchHook = pick(tool, ['hatch', 'metadata', 'hooks', 'requirements_txt']);
  const filesOf = (v: unknown): string[] => {
    if (isTable(v)) v = v.file ?? v.files;
    if (typeof v === 'string') return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };
  const readList = (list: string[], section: string, key: string, lab: Label): Declared[] | null => {
    if (list.length === 0) return null;
    const out: Declared[] = [];
    for (const f of list) {
      const target = ctx.resolve(f, file);
      const loc = t.locateString(section, key, f);
      if (target === null || !ctx.repo.read(target).ok) {
        ctx.issue(file, `${file} reads its dependencies from '${f}', which does not exist`, loc);
        ctx.unresolvedAt(`the dependencies ${file} reads from '${f}' are unknown`, loc);
        continue;
      }
      out.push(...readReqFile(target, lab, [...via, file]));
    }
    return out;
  };
  if (dynamic.includes('dependencies')) {
    const main =
      readList(filesOf(st?.dependencies), 'tool.setuptools.dynamic', 'dependencies', MAIN) ??
      readList(filesOf(hatchHook?.files), 'tool.hatch.metadata.hooks.requirements_txt', 'files', MAIN);
    if (main) proj.main.push(...main);
    else if (!ctx.repo.has(joinSibling(file, 'setup.py')) && !ctx.repo.has(joinSibling(file, 'setup.cfg'))) {
      ctx.unresolvedAt(`${file} declares its dependencies as dynamic and this tool cannot tell where they come from`, t.findString(null, 'dependencies') ?? fileStartLoc(file));
    }
  }
  if (dynamic.includes('optional-dependencies')) {
    const od = (isTable(st?.['optional-dependencies']) ? st['optional-dependencies'] : null) ??
      (isTable(hatchHook?.['optional-dependencies']) ? hatchHook['optional-dependencies'] : null);
    if (isTable(od)) {
      for (const [extra, v] of Object.entries(od)) {
        const section = st?.['optional-dependencies'] === od ? 'tool.setuptools.dynamic.optional-dependencies' : 'tool.hatch.metadata.hooks.requirements_txt.optional-dependencies';
        const got = readList(filesOf(v), section, extra, extraLabel(extra)) ?? [];
        proj.extras.set(normalizeName(extra), got);
      }
    }
  }
}

function joinSibling(file: string, name: string): string {
  const d = dirOf(file);
  return d ? `${d}/${name}` : name;
}

function pick(t: Table, keys: string[]): Table | null {
  let cur: unknown = t;
  for (const k of keys) {
    if (!isTable(cur)) return null;
    cur = cur[k];
  }
  return isTable(cur) ? cur : null;
}

/** Turns TOML values into Declared entries with positions. */
class PyprojectReader {
  constructor(
    private readonly ctx: ReadCtx,
    private readonly file: string,
    private readonly t: TomlText,
    private readonly via: string[],
  ) {}

  /** An array of PEP 508 strings under `[section] key`. */
  strings(list: unknown, section: string, key: string, lab: Label): Declared[] {
    if (!Array.isArray(list)) return [];
    const out: Declared[] = [];
    for (const s of list) {
      if (typeof s !== 'string') continue;
      const d = this.requirement(s, this.t.locateString(section, key, s), lab);
      if (d) out.push(d);
    }
    return out;
  }

  requirement(s: string, loc: Declared['loc'], lab: Label): Declared | null {
    const req = parseRequirement(s);
    if (!req || !req.name) {
      this.ctx.unresolvedAt(`'${s}' in ${this.file} is not a requirement this tool can read`, loc);
      return null;
    }
    return mk(req.name, s, loc, lab, this.via, { extras: req.extras, marker: req.marker });
  }

  /** A PEP 735 group with its `{include-group = "..."}` entries expanded. */
  dependencyGroup(dg: Table, name: string, seen: string[]): Declared[] {
    const list = dg[name];
    if (!Array.isArray(list) || seen.includes(name) || seen.length > 10) return [];
    const lab: Label = { group: name, dev: isDevLabel(name), kind: 'group' };
    const out: Declared[] = [];
    for (const item of list) {
      if (typeof item === 'string') {
        const d = this.requirement(item, this.t.locateString('dependency-groups', name, item), lab);
        if (d) out.push(d);
      } else if (isTable(item) && typeof item['include-group'] === 'string') {
        const inc = item['include-group'];
        const key = Object.keys(dg).find((k) => normalizeName(k) === normalizeName(inc));
        if (!key) {
          const loc = this.t.locateString('dependency-groups', name, inc);
          this.ctx.issue(this.file, `dependency group '${name}' includes '${inc}', which is not defined`, loc);
          continue;
        }
        for (const d of this.dependencyGroup(dg, key, [...seen, name])) out.push({ ...d, group: lab.group, dev: lab.dev });
      }
    }
    return out;
  }

  /** A Poetry dependency table: `name = "^1.0"` or `name = { version = "...", extras = [...], optional = true }`. */
  poetryTable(table: Table, section: string, lab: Label): { decl: Declared; optional: boolean }[] {
    const out: { decl: Declared; optional: boolean }[] = [];
    for (const [key, val] of Object.entries(table)) {
      if (key.toLowerCase() === 'python') continue;
      const loc = this.t.locateKey(section, key, normalizeName);
      const specs = Array.isArray(val) ? val : [val];
      const first = specs[0];
      const extras = isTable(first) && Array.isArray(first.extras) ? first.extras.filter((e): e is string => typeof e === 'string').map(normalizeName) : [];
      const optional = specs.every((s) => isTable(s) && s.optional === true);
      const marker = isTable(first) && typeof first.markers === 'string' ? first.markers : undefined;
      const raw = this.t.lines[loc.line - 1]?.trim() ?? key;
      out.push({ decl: mk(normalizeName(key), raw, loc, lab, this.via, { extras, marker }), optional });
    }
    return out;
  }
}
