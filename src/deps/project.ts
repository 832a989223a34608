/**
 * A Python project's own declarations (pyproject.toml, setup.py, setup.cfg) split by section,
 * so that an install command can pick the sections it installs: main dependencies, extras
 * (`.[prod]`, `--extra`), and groups (PEP 735, Poetry, PDM, uv).
 */
import type { Declared } from './types.js';

export interface GroupDeps {
  items: Declared[];
  /** Not installed unless asked for (Poetry `optional = true`). */
  optional: boolean;
  dev: boolean;
  tool: 'pep735' | 'poetry' | 'pdm' | 'uv';
}

export interface ProjectDeps {
  /** Folder of the project (`''` for the repo root). */
  dir: string;
  /** Manifest files read. */
  files: string[];
  main: Declared[];
  /** Normalised extra name → its packages. */
  extras: Map<string, Declared[]>;
  /** Group name (as written, lower case) → its packages. */
  groups: Map<string, GroupDeps>;
  /** `[tool.uv] default-groups` (uv installs the `dev` group by default). */
  uvDefaultGroups: string[] | 'all' | null;
  poetry: boolean;
}

export function emptyProject(dir: string): ProjectDeps {
  return { dir, files: [], main: [], extras: new Map(), groups: new Map(), uvDefaultGroups: null, poetry: false };
}

/** Add `b`'s sections into `a`. */
export function mergeProject(a: ProjectDeps, b: ProjectDeps): void {
  a.files.push(...b.files.filter((f) => !a.files.includes(f)));
  a.main.push(...b.main);
  for (const [k, v] of b.extras) a.extras.set(k, [...(a.extras.get(k) ?? []), ...v]);
  for (const [k, v] of b.groups) {
    const g = a.groups.get(k);
    if (g) g.items.push(...v.items);
    else a.groups.set(k, v);
  }
  a.uvDefaultGroups ??= b.uvDefaultGroups;
  a.poetry ||= b.poetry;
}

/** Every package of the project, every section. */
export function allOf(p: ProjectDeps): Declared[] {
  const out = [...p.main];
  for (const v of p.extras.values()) out.push(...v);
  for (const g of p.groups.values()) out.push(...g.items);
  return out;
}
