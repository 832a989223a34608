/**
 * Makefile targets: a recipe that starts the app's server (`make start`, `make render-start`,
 * `make prod`) is a way the app is started; platforms whose start command is set in their
 * dashboard (Render, a VM's unit) often run just that. One target per such recipe, at its
 * header line; its lines are followed like any shell line (src/model/task-runners.ts reads
 * the recipes). Recipes that end in no known server are not targets (a build, a test run), nor
 * are recipes another target runs (`web: make web` in a Procfile): they are judged through it.
 *
 * Production or development (docs/architecture.md, "Production judgement"): a development
 * word in the path or the recipe's name makes it development, a production word production;
 * with neither, a recipe that runs the development server is the developer's shortcut
 * (development) and one that runs a production server is production. The recipes a platform
 * runs before the start (`build`, `release`: Render's `make build`) are the target's build.
 */
import * as path from 'node:path';
import type { FileSelector } from '../../discover/repo.js';
import { parseShell } from '../../parse/shell.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { clampScript, ProcessBuilder } from '../resolve.js';
import { resolvePosix, type PathMapper } from '../paths.js';
import type { Location } from '../../core/location.js';
import { makeRecipes } from '../task-runners.js';
import type { Target } from '../types.js';
import { dirOf } from './platform.js';
import { makeTarget } from './make.js';

export function isMakefile(file: string): boolean {
  return /^(GNUmakefile|[Mm]akefile)$/.test(path.posix.basename(file));
}

export const MAKEFILES: FileSelector = { name: 'Makefile', exts: [''], prefixes: ['makefile', 'gnumakefile'], test: isMakefile };

/** A recipe header naming a server or manage.py: only those recipes are followed. */
const SERVER_HINT = /\b(runserver|runserver_plus|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress-serve|mod_wsgi-express|manage\.py|django-admin)\b/;

const DEV_SERVERS = new Set(['runserver', 'runserver_plus']);

/** Recipes that prepare a make-started deployment (their collectstatic and migrate count for it). */
const BUILD_RECIPES = /^(build|release|pre-?deploy|collect-?static|static)$/;

/** The checkout as `make` sees it: the Makefile's folder is the working folder. */
const ROOT = '/checkout';

function makeMapper(project: Project, dir: string): PathMapper {
  return {
    toRepo(p, cwd) {
      const abs = resolvePosix(cwd ?? ROOT, p);
      if (abs !== ROOT && !abs.startsWith(ROOT + '/')) return null;
      const rel = path.posix.normalize(path.posix.join(dir, abs.slice(ROOT.length + 1))).replace(/^\.\/?/, '');
      return rel && !rel.startsWith('..') && project.repo.has(rel) ? rel : null;
    },
    onPath: () => null,
  };
}

/** Makefile lines another target's processes already run (`web: make web` in a Procfile). */
export function linesRunBy(targets: Target[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets)
    for (const p of t.processes)
      for (const c of [...p.commands, ...p.servers.map((s) => s.at), ...p.finals]) for (const st of c.chain) if (isMakefile(st.file)) out.add(`${st.file}:${st.line}`);
  return out;
}

export function makefileTargets(project: Project, file: string, runBy: Set<string> = new Set()): Target[] {
  const text = project.repo.text(file);
  if (text === null || !SERVER_HINT.test(text)) return [];
  const recipes = makeRecipes(text);
  const dir = dirOf(file);
  const out: Target[] = [];
  const seen = new Set<unknown>();
  const lines = text.split(/\r?\n/);
  const mapper = makeMapper(project, dir);
  const follow = (name: string, body: { text: string; line: number; column: number; exact: boolean }[], role: 'web' | 'build', entry: Location) => {
    const b = new ProcessBuilder(project, mapper, name, role, entry);
    const stack = [file, `${file}#${name}`];
    body.forEach((l, i) => {
      const script = parseShell(l.text, file, { line: l.line, column: l.column });
      // Make variables filled in: the expanded text's columns are not the file's, so every span
      // covers the recipe line as written.
      if (!l.exact) clampScript(script, { file, line: l.line, column: l.column, endLine: l.line, endColumn: Math.max(l.column + 1, (lines[l.line - 1] ?? '').length + 1) });
      project.addParseIssues(file, script.errors);
      const step = { file, line: l.line, column: l.column, text: `${name}: ${l.text}`.slice(0, 200), reach: 'direct' as const };
      b.runScript(script, { env: {}, cwd: ROOT, positional: [], chain: [step], depth: 0, conditional: false, stack }, i === body.length - 1);
    });
    return b.process;
  };
  for (const [name, body] of recipes) {
    // Names sharing one recipe (`run start: …`) are one target, under the first name.
    if (seen.has(body) || body.length === 0) continue;
    seen.add(body);
    if (!body.some((l) => SERVER_HINT.test(l.text))) continue;
    // A recipe another target runs is judged through that target.
    if (body.some((l) => runBy.has(`${file}:${l.line}`))) continue;
    const header = new RegExp(`^(?:[\\w./-]+[ \\t]+)*${name.replace(/[.]/g, '\\.')}(?:[ \\t]+[\\w./-]+)*[ \\t]*::?(?!=)`);
    const headerIdx = lines.findIndex((l, i) => i < body[0].line - 1 && header.test(l));
    const line = headerIdx >= 0 ? headerIdx + 1 : body[0].line;
    const entry: Location = { file, line, column: 1, endLine: line, endColumn: (lines[line - 1] ?? '').length + 1 };
    const p = follow(name, body, 'web', entry);
    if (p.servers.length === 0) continue;
    let verdict = judge(file, { names: [{ what: 'make target', name }] });
    if (verdict.reason.startsWith('production by default') && p.servers.every((s) => DEV_SERVERS.has(s.server.kind))) {
      verdict = { production: false, reason: `development: make target \`${name}\` runs the development server and its name does not say production` };
    } else if (verdict.reason.startsWith('production by default')) {
      verdict = { production: true, reason: `production: make target \`${name}\` starts ${p.servers[0].server.kind} and its name does not say development` };
    }
    const build = [...recipes]
      .filter(([n, r]) => BUILD_RECIPES.test(n) && r !== body && r.some((l) => SERVER_HINT.test(l.text)))
      .map(([n, r]) => follow(n, r, 'build', { file, line: r[0].line, column: r[0].column, endLine: r[0].line, endColumn: r[0].column + 1 }));
    out.push(makeTarget({
      kind: 'makefile',
      file,
      line,
      name,
      verdict,
      processes: [...build, p],
      facts: { cwd: null, env: {}, envLocs: {} },
    }));
  }
  return out;
}
