/** Procfile targets (Heroku, Dokku, Scalingo): one process per line, run with `bash -c`. */
import * as path from 'node:path';
import { parseProcfile } from '../../parse/procfile.js';
import { parseShell } from '../../parse/shell.js';
import type { Project } from '../project.js';
import { isHerokuProcfile, judge, type Verdict } from '../production.js';
import { ProcessBuilder, resolvePosix, type PathMapper } from '../resolve.js';
import type { Role, Target } from '../types.js';

export function isProcfile(file: string): boolean {
  const base = path.posix.basename(file);
  // `Procfile.dev` is a Procfile; `Procfile.sh` or `Procfile.md` are not.
  return base === 'Procfile' || (/^Procfile\.[A-Za-z0-9_.-]+$/.test(base) && !/\.(sh|bash|py|md|txt|rst|json|ya?ml|toml|bat|ps1|cfg|ini|j2|jinja2?|tpl|tmpl|template|example|sample|orig|bak)$/i.test(base));
}

/** Heroku-style process types → roles. Only `web` receives HTTP traffic. */
export function procfileRole(name: string): Role {
  if (name === 'web') return 'web';
  if (name === 'release') return 'release';
  if (/worker|celery|beat|rq|clock|scheduler|queue|cron|huey|dramatiq/i.test(name)) return 'worker';
  return 'other';
}

/** The app's root on Heroku-like platforms; the Procfile's folder is the app root. */
const APP_ROOT = '/app';

export function appRootMapper(project: Project, dir: string): PathMapper {
  return {
    toRepo(p, cwd) {
      const abs = resolvePosix(cwd ?? APP_ROOT, p);
      if (abs !== APP_ROOT && !abs.startsWith(APP_ROOT + '/')) return null;
      const rel = path.posix.join(dir, abs.slice(APP_ROOT.length + 1));
      return project.repo.has(rel) ? rel : null;
    },
    onPath(name) {
      // Heroku puts the app's bin/ on PATH.
      const rel = path.posix.join(dir, 'bin', name);
      return project.repo.has(rel) ? rel : null;
    },
  };
}

/** Is there a manage.py within 3 levels of `dir` (Heroku's buildpack looks that far)? */
export function managePyNear(project: Project, dir: string): string | null {
  const prefix = dir === '' || dir === '.' ? '' : dir + '/';
  for (const f of project.repo.files) {
    if (!f.startsWith(prefix) || !f.endsWith('manage.py')) continue;
    const rest = f.slice(prefix.length);
    if (path.posix.basename(rest) === 'manage.py' && rest.split('/').length <= 3) return f;
  }
  return null;
}

export function procfileTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const parsed = parseProcfile(text, file);
  project.addParseIssues(file, parsed.issues);
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const heroku = isHerokuProcfile(file);
  // Heroku, Dokku and Scalingo read `Procfile`; `Procfile.dev` and friends are for foreman/honcho
  // on a laptop unless their name says production.
  const verdict: Verdict = heroku
    ? judge(file, { platform: 'a Procfile is what Heroku, Dokku and Scalingo run' })
    : /prod|deploy|release/i.test(path.posix.basename(file))
      ? judge(file)
      : { production: false, reason: `development: ${path.posix.basename(file)} is not the file Heroku reads (only \`Procfile\` is)` };
  const mapper = appRootMapper(project, dir);
  const target: Target = {
    id: `procfile:${file}`,
    kind: 'procfile',
    file,
    line: parsed.entries[0]?.line ?? 1,
    production: verdict.production,
    productionReason: verdict.reason,
    processes: [],
    collectstatic: null,
    facts: { cwd: APP_ROOT, env: { PORT: '$PORT' } },
  };
  const managePy = managePyNear(project, dir);
  if (heroku && managePy) {
    target.facts.platformCollectstatic = {
      reason: `Heroku's Python buildpack runs \`manage.py collectstatic --noinput\` at build time (found ${managePy})`,
    };
  }
  for (const e of parsed.entries) {
    const b = new ProcessBuilder(project, mapper, e.name, procfileRole(e.name), e.commandLoc);
    const script = parseShell(e.command, file, { line: e.commandLoc.line, column: e.commandLoc.column });
    project.addParseIssues(file, script.errors);
    b.runScript(script, { env: { PORT: null }, cwd: APP_ROOT, positional: [], chain: [], depth: 0, conditional: false, stack: [file] }, true);
    target.processes.push(b.process);
  }
  return [target];
}
