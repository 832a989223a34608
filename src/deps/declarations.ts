/**
 * Dependency files → declared packages. One entry point per question the rules ask:
 * - `readDependencyFile`: one file in any supported format (chosen by its name), following
 *   its includes (`-r`, dynamic dependencies, `open('requirements.txt')` in setup.py);
 * - `rootDeclarations`: what a Heroku-style buildpack or a host install reads in a folder;
 * - `repoDeclarations`: every dependency file in the repository (systemd and other host targets);
 * - `suggestAddition`: where and how to declare a missing package (DPL103's fix).
 */
import * as path from 'node:path';
import type { Repo } from '../discover/repo.js';
import { normalize, type FileSelector } from '../discover/repo.js';
import { readCondaEnv } from './conda.js';
import { type Label, ReadCtx, dirOf, joinPath } from './context.js';
import { type Lock, type Section, lockAlone, lockKind, lockedPackages, readLock } from './locks.js';
import { devFileLabel, normalizeName } from './packages.js';
import { readPipfile, readPipfileLock } from './pipfile.js';
import { type ProjectDeps, allOf, mergeProject } from './project.js';
import { readPyproject } from './pyproject.js';
import { readRequirements } from './requirements.js';
import { readSetupCfg, readSetupPy } from './setup.js';
import { TomlText } from './text.js';
import type { Declarations, Declared, ProjectLike } from './types.js';

export type { Declarations, Declared, ProjectLike } from './types.js';

export type FileKind =
  | 'requirements'
  | 'pyproject'
  | 'setup.py'
  | 'setup.cfg'
  | 'pipfile'
  | 'pipfile.lock'
  | 'lock'
  | 'conda';

/** The format of a dependency file, from its name (anything else reads as a requirements file). */
export function fileKind(file: string): FileKind {
  const base = path.posix.basename(file);
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'setup.py') return 'setup.py';
  if (base === 'setup.cfg') return 'setup.cfg';
  if (base === 'Pipfile') return 'pipfile';
  if (base === 'Pipfile.lock') return 'pipfile.lock';
  if (lockKind(file)) return 'lock';
  if (/\.ya?ml$/i.test(base)) return 'conda';
  return 'requirements';
}

/** A file this module reads when it scans a whole repository. */
export function isDependencyFile(file: string): boolean {
  const parts = file.split('/');
  const base = parts[parts.length - 1];
  const parent = parts[parts.length - 2] ?? '';
  if (/^(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|pdm\.lock|pylock\.toml)$/.test(base)) return true;
  if (/^pylock\.[^.]+\.toml$/.test(base)) return true;
  if (/^environment([-_.][\w-]+)?\.ya?ml$/i.test(base)) return true;
  if (/requirements.*\.(txt|in|lock)$/i.test(base)) return true;
  return /^requirements?$/i.test(parent) && /\.(txt|in)$/i.test(base);
}

export const DEPENDENCY_FILES: FileSelector = {
  name: 'dependency file',
  exts: ['toml', 'cfg', 'lock', 'txt', 'in'],
  prefixes: ['pipfile', 'setup.py', 'environment'],
  test: isDependencyFile,
};

/** Read one dependency file, following its includes within the repository. */
export function readDependencyFile(repo: Repo, file: string, project?: ProjectLike): Declarations {
  const ctx = new ReadCtx(repo, project);
  const packages = readAny(ctx, normalize(file), []);
  return { packages, files: ctx.files, unresolved: ctx.unresolved };
}

/**
 * What a Heroku-style buildpack or an install on the host reads in `dir` (the repo root by
 * default): requirements.txt, Pipfile and Pipfile.lock, pyproject.toml with poetry.lock /
 * uv.lock / pdm.lock, setup.py / setup.cfg, environment.yml.
 */
export function rootDeclarations(repo: Repo, dir = '', project?: ProjectLike): Declarations {
  const ctx = new ReadCtx(repo, project);
  const d = normalize(dir);
  const at = (name: string): string | null => {
    const f = joinPath(d, name);
    return repo.has(f) ? f : null;
  };
  const packages: Declared[] = [];
  const req = at('requirements.txt');
  if (req) packages.push(...readAny(ctx, req, []));
  for (const name of ['Pipfile', 'Pipfile.lock']) {
    const f = at(name);
    if (f) packages.push(...readAny(ctx, f, []));
  }
  const proj = readProjectFiles(ctx, {
    pyproject: at('pyproject.toml'),
    setupPy: at('setup.py'),
    setupCfg: at('setup.cfg'),
  });
  if (proj) {
    packages.push(...allOf(proj));
    const lock = at('poetry.lock') ?? at('uv.lock') ?? at('pdm.lock') ?? at('pylock.toml');
    if (lock) packages.push(...lockForProject(ctx, lock, proj, 'all', []));
  }
  for (const name of ['environment.yml', 'environment.yaml']) {
    const f = at(name);
    if (f) packages.push(...readAny(ctx, f, []));
  }
  return { packages: dedupe(packages), files: ctx.files, unresolved: ctx.unresolved };
}

/** Every dependency file in the repository, each read on its own, merged. */
export function repoDeclarations(repo: Repo, project?: ProjectLike, limit = 200): Declarations {
  const files = repo.select(DEPENDENCY_FILES).slice(0, limit);
  const all: Declarations = { packages: [], files: [], unresolved: [] };
  for (const f of files) {
    const d = readDependencyFile(repo, f, project);
    all.packages.push(...d.packages);
    for (const x of d.files) if (!all.files.includes(x)) all.files.push(x);
    for (const u of d.unresolved) {
      if (!all.unresolved.some((v) => v.message === u.message && v.loc.file === u.loc.file && v.loc.line === u.loc.line)) all.unresolved.push(u);
    }
  }
  all.packages = dedupe(all.packages);
  return all;
}

/** The same declaration reached twice (diamond includes, several readers): keep the most "production" one. */
export function dedupe(list: Declared[]): Declared[] {
  const out = new Map<string, Declared>();
  for (const d of list) {
    const key = `${d.name}\0${d.loc.file}\0${d.loc.line}\0${d.loc.column}`;
    const old = out.get(key);
    if (!old || (old.dev && !d.dev)) out.set(key, d);
  }
  return [...out.values()];
}

/** Any dependency file, by format. */
export function readAny(ctx: ReadCtx, file: string, via: string[], label: Label | null = null): Declared[] {
  if (ctx.stack.length > 20) return [];
  switch (fileKind(file)) {
    case 'requirements':
      return readRequirements(ctx, file, label, via, projectDirReader(ctx));
    case 'pyproject':
    case 'setup.py':
    case 'setup.cfg': {
      const kind = fileKind(file);
      const proj = readProjectFiles(ctx, {
        pyproject: kind === 'pyproject' ? file : null,
        setupPy: kind === 'setup.py' ? file : null,
        setupCfg: kind === 'setup.cfg' ? file : null,
      }, via);
      return proj ? allOf(proj) : [];
    }
    case 'pipfile':
      return [...readPipfile(ctx, file, via).values()].flat();
    case 'pipfile.lock':
      return [...readPipfileLock(ctx, file, via).values()].flat();
    case 'lock': {
      const sibling = joinPath(dirOf(file), 'pyproject.toml');
      const proj = lockKind(file) !== 'pylock' && ctx.repo.has(sibling) ? readProjectFiles(ctx, { pyproject: sibling }, via) : null;
      if (proj) return lockForProject(ctx, file, proj, 'all', via, false);
      const lock = readLock(ctx, file);
      return lock ? lockAlone(lock, via) : [];
    }
    case 'conda':
      return readCondaEnv(ctx, file, via, projectDirReader(ctx));
  }
}

/** `-e .[extra]` in a requirements file: the project in that folder, main + those extras. */
function projectDirReader(ctx: ReadCtx) {
  return (dir: string, extras: string[], label: Label, via: string[]): Declared[] | null => {
    const at = (n: string): string | null => (ctx.repo.has(joinPath(dir, n)) ? joinPath(dir, n) : null);
    const proj = readProjectFiles(ctx, { pyproject: at('pyproject.toml'), setupPy: at('setup.py'), setupCfg: at('setup.cfg') }, via);
    if (!proj) return null;
    const picked = selectProject(proj, { main: true, extras: new Set(extras), groups: new Set() });
    // Packages pulled in by a dev requirements file are dev, whatever their section.
    return label.dev ? picked.map((p) => ({ ...p, group: label.group, dev: true })) : picked;
  };
}

/** A project's manifests (repo paths), merged; null when none exists. */
export function readProjectFiles(
  ctx: ReadCtx,
  files: { pyproject?: string | null; setupPy?: string | null; setupCfg?: string | null },
  via: string[] = [],
): ProjectDeps | null {
  const reqReader = (f: string, label: Label, v: string[]): Declared[] => readRequirements(ctx, f, label, v, projectDirReader(ctx));
  let proj: ProjectDeps | null = null;
  const add = (p: ProjectDeps | null): void => {
    if (!p) return;
    if (!proj) proj = p;
    else mergeProject(proj, p);
  };
  if (files.pyproject && ctx.repo.has(files.pyproject)) add(readPyproject(ctx, files.pyproject, via, reqReader));
  if (files.setupCfg && ctx.repo.has(files.setupCfg)) add(readSetupCfg(ctx, files.setupCfg, via, reqReader));
  if (files.setupPy && ctx.repo.has(files.setupPy)) add(readSetupPy(ctx, files.setupPy, via, reqReader));
  return proj;
}

/** Which sections of a project an install takes. */
export interface Selection {
  main: boolean;
  extras: Set<string> | 'all';
  groups: Set<string> | 'all';
}

const ALL: Selection = { main: true, extras: 'all', groups: 'all' };

/** The packages of the selected sections, main first. */
export function selectProject(proj: ProjectDeps, sel: Selection): Declared[] {
  const out: Declared[] = [];
  if (sel.main) out.push(...proj.main);
  for (const [x, list] of proj.extras) if (sel.extras === 'all' || sel.extras.has(normalizeName(x))) out.push(...list);
  for (const [g, grp] of proj.groups) if (sel.groups === 'all' || sel.groups.has(g)) out.push(...grp.items);
  return out;
}

/** The selected sections as walks of a lock's graph. */
function sections(proj: ProjectDeps, sel: Selection): Section[] {
  const edges = (list: Declared[]) => list.map((d) => ({ name: d.name, extras: d.extras ?? [], optional: false }));
  const out: Section[] = [];
  if (sel.main) out.push({ label: { group: 'main', dev: false, kind: 'main' }, seeds: edges(proj.main) });
  for (const [x, list] of proj.extras) {
    if (sel.extras !== 'all' && !sel.extras.has(normalizeName(x))) continue;
    out.push({ label: { group: x, dev: list[0]?.dev ?? false, kind: 'extra' }, seeds: edges(list) });
  }
  for (const [g, grp] of proj.groups) {
    if (sel.groups !== 'all' && !sel.groups.has(g)) continue;
    out.push({ label: { group: g, dev: grp.dev, kind: 'group' }, seeds: edges(grp.items) });
  }
  return out;
}

/**
 * The locked packages (transitive ones included) that the selected sections of `proj` bring
 * in, labelled by section. With `skipDirect`, packages the project declares itself are left
 * out (they are already listed from the manifest).
 */
export function lockForProject(
  ctx: ReadCtx,
  lockFile: string,
  proj: ProjectDeps,
  sel: Selection | 'all',
  via: string[],
  skipDirect = true,
): Declared[] {
  const lock: Lock | null = readLock(ctx, lockFile);
  if (!lock) return [];
  const s = sel === 'all' ? ALL : sel;
  if (lock.kind === 'pylock') return lockAlone(lock, via);
  const direct = new Set(selectProject(proj, s).map((d) => d.name));
  const got = lockedPackages(lock, sections(proj, s), via, skipDirect ? direct : new Set());
  if (sel === 'all') {
    // Reading the lock as a declaration: anything the walk missed still counts by its own record.
    const have = new Set([...(skipDirect ? direct : []), ...got.map((d) => d.name)]);
    for (const d of lockAlone(lock, via)) if (!have.has(d.name)) got.push(d);
  }
  return got;
}

// ---------------------------------------------------------------------------------------------
// The fix: where to declare a missing package
// ---------------------------------------------------------------------------------------------

export interface Suggestion {
  /** File to edit (a manifest, never a lock file). */
  file: string;
  /** Table / key the line goes in, when the format has sections. */
  section: string | null;
  /** The line to add. */
  text: string;
}

/**
 * Where to declare `pkg` given the files that were looked at: the first production manifest
 * (lock files point to their manifest). Null when no file was read.
 */
export function suggestAddition(repo: Repo, files: string[], pkg: string): Suggestion | null {
  const candidates: string[] = [];
  for (const f of files) {
    const kind = fileKind(f);
    const m = kind === 'lock' ? joinPath(dirOf(f), 'pyproject.toml') : kind === 'pipfile.lock' ? joinPath(dirOf(f), 'Pipfile') : f;
    if (!candidates.includes(m) && repo.has(m) && !devFileLabel(m)) candidates.push(m);
  }
  const file = candidates[0];
  if (!file) return null;
  switch (fileKind(file)) {
    case 'pyproject': {
      const text = repo.text(file) ?? '';
      const t = new TomlText(file, text);
      const pep621 = t.range('project') !== null && t.findKey(t.range('project'), 'dependencies') !== null;
      if (!pep621 && t.range('tool.poetry.dependencies')) return { file, section: '[tool.poetry.dependencies]', text: `${pkg} = "*"` };
      return { file, section: '[project] dependencies', text: `"${pkg}",` };
    }
    case 'pipfile':
      return { file, section: '[packages]', text: `${pkg} = "*"` };
    case 'setup.py':
      return { file, section: 'install_requires', text: `"${pkg}",` };
    case 'setup.cfg':
      return { file, section: '[options] install_requires', text: pkg };
    case 'conda':
      return { file, section: 'dependencies', text: `- ${pkg}` };
    default:
      return { file, section: null, text: pkg };
  }
}

