/**
 * Task runners whose tasks are read from the repository (docs/architecture.md, "Following a
 * process"). Adding one is one entry in TASK_RUNNERS: its names, how a task is named on its
 * command line, which file holds the tasks and a reader that gives each task's command lines with
 * their positions. Tasks are read, never run.
 */
import { parse as parseToml } from 'smol-toml';
import type { Arg } from './args.js';
import { commandBase } from './args.js';
import { lineCol } from '../core/lines.js';

export interface TaskLine {
  /** Shell text of one command line of the task. */
  text: string;
  /** Where `text` starts in the file (1-based). */
  line: number;
  column: number;
  /** The text maps back to the file character for character (no escapes were decoded). */
  exact: boolean;
}

export interface TaskRunnerSpec {
  names: string[];
  /** Subcommands that precede the task name (`npm run X`); `start` etc. name the task themselves. */
  sub?: string[];
  /** Subcommands that are tasks of the same name (`npm start` runs the `start` script). */
  direct?: string[];
  /** The runner may be given the task name right away (`yarn build`, `just web`). */
  bare?: boolean;
  /** Options that take a separate value, skipped before the task name. */
  valueOpts?: string[];
  /** Option naming the task file (`just -f FILE`, `task -t FILE`). */
  fileOpts?: string[];
  /** Candidate task files, in the working folder. */
  files: string[];
  /** The tasks of a file: name → its command lines. */
  read(text: string): Map<string, TaskLine[]>;
}

export const TASK_RUNNERS: TaskRunnerSpec[] = [
  { names: ['npm'], sub: ['run', 'run-script'], direct: ['start', 'test'], valueOpts: ['--prefix', '-w', '--workspace'], files: ['package.json'], read: packageScripts },
  { names: ['pnpm'], sub: ['run'], direct: ['start'], bare: true, valueOpts: ['-C', '--dir', '--filter', '-F'], files: ['package.json'], read: packageScripts },
  { names: ['yarn'], sub: ['run'], direct: ['start'], bare: true, valueOpts: ['--cwd'], files: ['package.json'], read: packageScripts },
  { names: ['just'], bare: true, valueOpts: ['-d', '--working-directory', '--set'], fileOpts: ['-f', '--justfile'], files: ['justfile', 'Justfile', '.justfile'], read: justRecipes },
  { names: ['poe'], bare: true, valueOpts: ['-C', '--directory', '--root'], files: ['pyproject.toml'], read: (t) => tomlTasks(t, ['tool', 'poe', 'tasks'], ['cmd', 'shell']) },
  { names: ['pdm'], sub: ['run'], bare: false, valueOpts: ['-p', '--project'], files: ['pyproject.toml'], read: (t) => tomlTasks(t, ['tool', 'pdm', 'scripts'], ['cmd', 'shell']) },
  { names: ['rye'], sub: ['run'], files: ['pyproject.toml'], read: (t) => tomlTasks(t, ['tool', 'rye', 'scripts'], ['cmd']) },
  { names: ['hatch'], sub: ['run'], valueOpts: ['-e', '--env'], files: ['pyproject.toml'], read: (t) => tomlTasks(t, ['tool', 'hatch', 'envs', 'default', 'scripts'], []) },
];

const BY_NAME = new Map<string, TaskRunnerSpec>();
for (const r of TASK_RUNNERS) for (const n of r.names) BY_NAME.set(n, r);

export interface TaskCall {
  spec: TaskRunnerSpec;
  task: Arg;
  /** The task file named on the command line, if any. */
  file: string | null;
  /** Arguments after the task name. */
  rest: Arg[];
}

/** `npm run web`, `yarn start`, `just serve`, `poe web`, `pdm run web`: the runner and task. */
export function taskCall(args: Arg[]): TaskCall | null {
  const base = commandBase(args[0]?.value ?? null);
  const spec = base ? BY_NAME.get(base) : undefined;
  if (!spec) return null;
  let file: string | null = null;
  let subSeen = false;
  for (let i = 1; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) return null;
    if (spec.fileOpts?.includes(v)) {
      file = args[++i]?.value ?? null;
      continue;
    }
    if (spec.valueOpts?.includes(v)) {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    if (!subSeen && spec.sub?.includes(v)) {
      subSeen = true;
      continue;
    }
    if (!subSeen && spec.direct?.includes(v)) return { spec, task: args[i], file, rest: args.slice(i + 1) };
    if (subSeen || spec.bare) return { spec, task: args[i], file, rest: args.slice(i + 1) };
    return null;
  }
  return null;
}


/** `package.json` `scripts`: each script is one shell line (npm runs it with `sh -c`). */
function packageScripts(text: string): Map<string, TaskLine[]> {
  const out = new Map<string, TaskLine[]>();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return out;
  }
  const scripts = json && typeof json === 'object' ? (json as { scripts?: unknown }).scripts : undefined;
  if (!scripts || typeof scripts !== 'object') return out;
  const from = Math.max(0, text.indexOf('"scripts"'));
  for (const [name, v] of Object.entries(scripts as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    const key = text.indexOf(JSON.stringify(name), from);
    const at = key < 0 ? -1 : text.indexOf('"', text.indexOf(':', key + JSON.stringify(name).length)) + 1;
    const pos = at > 0 ? lineCol(text, at) : { line: 1, column: 1 };
    const raw = at > 0 ? text.slice(at, at + JSON.stringify(v).length - 2) : '';
    out.set(name, [{ text: v, ...pos, exact: raw === v }]);
  }
  return out;
}

/** justfile recipes: `name args: deps` at the margin, then its indented lines (each its own shell). */
function justRecipes(text: string): Map<string, TaskLine[]> {
  const out = new Map<string, TaskLine[]>();
  const lines = text.split(/\r?\n/);
  let current: TaskLine[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^[ \t]+\S/.test(l)) {
      if (!current) continue;
      const start = l.length - l.trimStart().length;
      let body = l.slice(start);
      if (body.startsWith('#')) continue;
      let col = start + 1;
      while (/^[@-]/.test(body)) {
        body = body.slice(1);
        col++;
      }
      // `{{var}}` interpolations are the recipe's parameters and variables: known at run time only.
      current.push({ text: body.replace(/\{\{[^}]*\}\}/g, (m) => '$' + '_'.repeat(Math.max(0, m.length - 1))), line: i + 1, column: col, exact: true });
      continue;
    }
    current = null;
    const m = /^@?([A-Za-z_][\w-]*)(?:\s+[^:=]*)?:(?!=)/.exec(l);
    if (m && !/^(set|alias|export|import|mod)\b/.test(l)) {
      current = [];
      out.set(m[1], current);
    }
  }
  return out;
}

/** Tasks in a pyproject table: `name = "cmd"` or `name = { cmd = "…" }` / `{ shell = "…" }`. */
function tomlTasks(text: string, keys: string[], fields: string[]): Map<string, TaskLine[]> {
  const out = new Map<string, TaskLine[]>();
  let t: unknown;
  try {
    t = parseToml(text);
  } catch {
    return out;
  }
  for (const k of keys) t = t && typeof t === 'object' ? (t as Record<string, unknown>)[k] : undefined;
  if (!t || typeof t !== 'object') return out;
  for (const [name, v] of Object.entries(t as Record<string, unknown>)) {
    let cmd: string | null = typeof v === 'string' ? v : null;
    if (cmd === null && v && typeof v === 'object') {
      for (const f of fields) {
        const x = (v as Record<string, unknown>)[f];
        if (typeof x === 'string') cmd = x;
      }
    }
    if (cmd === null) continue;
    const m = new RegExp(`^[ \\t]*["']?${name.replace(/[^\w-]/g, '')}["']?[ \\t]*=`, 'm').exec(text);
    const at = m ? text.indexOf(cmd, m.index) : -1;
    const pos = at >= 0 ? lineCol(text, at) : m ? lineCol(text, m.index) : { line: 1, column: 1 };
    out.set(name, [{ text: cmd, ...pos, exact: at >= 0 }]);
  }
  return out;
}

/**
 * Makefile recipes: `name: prerequisites` at the margin, then its tab-indented lines, each run by
 * its own shell (a `\` at the end joins the next line). Variables defined with a literal value
 * (`MANAGE = python manage.py`, `:=`, `?=`) are put in; `$$` is the shell's `$`; any other
 * `$(…)` is known at run time only. Several names before one `:` share the recipe.
 */
export function makeRecipes(text: string): Map<string, TaskLine[]> {
  const out = new Map<string, TaskLine[]>();
  const lines = text.split(/\r?\n/);
  const vars = new Map<string, string>();
  for (const l of lines) {
    const m = /^(?:export\s+|override\s+)?([A-Za-z_][\w.]*)\s*(?::{1,3}|\?|\+)?=\s*(.*)$/.exec(l);
    if (m && !/\$\(shell\b/.test(m[2])) vars.set(m[1], m[2].replace(/\s+#.*$/, '').trim());
  }
  const expandVars = (s: string, depth = 0): string =>
    s.replace(/\$\(([^()]*)\)|\$\{([^{}]*)\}/g, (all, a?: string, b?: string) => {
      const name = (a ?? b ?? '').trim();
      const v = vars.get(name);
      if (v !== undefined && depth < 5) return expandVars(v, depth + 1);
      return '$' + '_'.repeat(Math.max(0, all.length - 1));
    });
  // `$$` is the shell's own `$`; make expands everything else.
  const expand = (s: string): string => s.split('$$').map((part) => expandVars(part)).join('$');
  let current: TaskLine[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('\t')) {
      if (!current) continue;
      let body = l.slice(1);
      let col = 2;
      while (/^[\s@+-]/.test(body)) {
        body = body.slice(1);
        col++;
      }
      if (body.startsWith('#') || body === '') continue;
      const first = i;
      while (/\\$/.test(body) && i + 1 < lines.length) body = body.slice(0, -1) + ' ' + lines[++i].replace(/^\t/, '').trim();
      const text = expand(body);
      current.push({ text, line: first + 1, column: col, exact: text === l.slice(col - 1) });
      continue;
    }
    if (/^\s*$/.test(l) || /^\s*#/.test(l)) continue;
    current = null;
    const m = /^([A-Za-z_][\w./-]*(?:[ \t]+[A-Za-z_][\w./-]*)*)[ \t]*::?(?!=)/.exec(l);
    if (m && !/^\./.test(m[1])) {
      current = [];
      for (const name of m[1].split(/[ \t]+/)) out.set(name, current);
      // `target: ; command` keeps its command on the header line.
      const semi = l.indexOf(';', m[0].length);
      if (semi >= 0 && l.slice(semi + 1).trim()) {
        const body = l.slice(semi + 1).trimStart();
        current.push({ text: expand(body), line: i + 1, column: l.length - body.length + 1, exact: false });
      }
    }
  }
  return out;
}
