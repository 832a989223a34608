/**
 * The project's own command-line tools (docs/architecture.md, "Following a process"): console
 * scripts declared in `[project.scripts]`, Poetry's `[tool.poetry.scripts]`, `setup.cfg`
 * `[options.entry_points] console_scripts` or `setup.py` `entry_points`, and packages run with
 * `python -m pkg` (their `__main__.py`). A tool whose function hands its arguments to Django's
 * management (`execute_from_command_line`, `ManagementUtility`, `call_command`) means what
 * `manage.py` means; any other is the project's own code, which is read but never followed.
 *
 * Read statically (text of the declared function), never imported or run.
 */
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readIni } from '../deps/setup.js';
import type { Project } from './project.js';

export interface ProjectCli {
  /** The command name (`mysite`) or `python -m pkg`. */
  name: string;
  /** `pkg.cli:main` as declared. */
  target: string;
  /** Where it is declared (`pyproject.toml:42`). */
  declaredAt: string;
  /** The function's file in the repository, when found. */
  file: string | null;
  /** The function runs Django's management with the command line's arguments. */
  manages: boolean;
}

const MANAGEMENT = /\b(execute_from_command_line|ManagementUtility|call_command)\b/;
const DECLARATIONS = ['pyproject.toml', 'setup.cfg', 'setup.py'];

/** Console scripts of every project file of the repository (at most two folders deep), by name. */
export function projectClis(project: Project): Map<string, ProjectCli> {
  return project.cached('project-clis', () => {
    const out = new Map<string, ProjectCli>();
    for (const base of DECLARATIONS) {
      for (const file of project.repo.named(base)) {
        if (file.split('/').length > 3 || /(^|\/)(tests?|docs?|examples?|node_modules)\//.test(file)) continue;
        const text = project.repo.text(file);
        if (text === null) continue;
        for (const e of declared(base, text)) {
          if (out.has(e.name)) continue;
          const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
          const line = text.slice(0, Math.max(0, text.indexOf(e.target))).split('\n').length;
          const [mod, fn] = e.target.split(':').map((s) => s.trim());
          const found = moduleFile(project, dir, mod);
          const body = found === null || !fn ? null : functionBody(project.repo.text(found) ?? '', fn.split('.').pop()!);
          out.set(e.name, { name: e.name, target: e.target, declaredAt: `${file}:${line}`, file: found, manages: body !== null && MANAGEMENT.test(body) });
        }
      }
    }
    return out;
  });
}

/** `python -m pkg`: the package's `__main__.py` (or the module) in the repository, if any. */
export function pythonModuleCli(project: Project, mod: string): ProjectCli | null {
  if (!/^[A-Za-z_][\w.]*$/.test(mod) || mod === 'django') return null;
  return project.cached(`python-m:${mod}`, () => {
    const rel = mod.replace(/\./g, '/');
    for (const root of ['', 'src/']) {
      for (const cand of [`${root}${rel}/__main__.py`, `${root}${rel}.py`]) {
        const text = project.repo.has(cand) ? project.repo.text(cand) : null;
        if (text === null) continue;
        return { name: `python -m ${mod}`, target: mod, declaredAt: cand, file: cand, manages: MANAGEMENT.test(text) };
      }
    }
    return null;
  });
}

function declared(base: string, text: string): { name: string; target: string }[] {
  const out: { name: string; target: string }[] = [];
  if (base === 'pyproject.toml') {
    let t: Record<string, unknown>;
    try {
      t = parseToml(text) as Record<string, unknown>;
    } catch {
      return out; // DPL001 comes from the dependency reader
    }
    const tables = [get(t, 'project', 'scripts'), get(t, 'tool', 'poetry', 'scripts')];
    for (const tab of tables) {
      if (!tab || typeof tab !== 'object') continue;
      for (const [name, v] of Object.entries(tab as Record<string, unknown>)) {
        const target = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { callable?: unknown }).callable === 'string' ? (v as { callable: string }).callable : null;
        if (target && target.includes(':')) out.push({ name, target });
      }
    }
  } else if (base === 'setup.cfg') {
    const ini = readIni(text);
    for (const v of ini.get('options.entry_points') ?? []) {
      if (v.key === 'console_scripts') for (const l of v.lines) addPairs(l.text, out);
    }
  } else {
    const m = /['"]console_scripts['"]\s*:\s*\[([^\]]*)\]/.exec(text) ?? /console_scripts\s*=\s*([^\n]*(?:\n[ \t]+[^\n]*)*)/.exec(text);
    if (m) for (const s of m[1].matchAll(/['"]([^'"]+=[^'"]+)['"]/g)) addPairs(s[1], out);
  }
  return out;
}

function addPairs(s: string, out: { name: string; target: string }[]): void {
  for (const m of s.matchAll(/([A-Za-z0-9_.-]+)\s*=\s*([A-Za-z_][\w.]*\s*:\s*[A-Za-z_][\w.]*)/g)) out.push({ name: m[1], target: m[2].replace(/\s+/g, '') });
}

function get(t: unknown, ...keys: string[]): unknown {
  let v = t;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function moduleFile(project: Project, dir: string, mod: string): string | null {
  const rel = mod.replace(/\./g, '/');
  const pre = dir ? dir + '/' : '';
  for (const cand of [`${pre}${rel}.py`, `${pre}${rel}/__init__.py`, `${pre}src/${rel}.py`, `${pre}src/${rel}/__init__.py`]) {
    if (project.repo.has(cand)) return cand;
  }
  return null;
}

/** The text of a top-level `def name(…)` up to the next top-level statement. */
function functionBody(text: string, name: string): string | null {
  const m = new RegExp(`^(?:async\\s+)?def\\s+${name.replace(/[^\w]/g, '')}\\s*\\(`, 'm').exec(text);
  if (!m) return null;
  const rest = text.slice(m.index + m[0].length);
  const end = /\n(?=[^\s#)])/.exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}
