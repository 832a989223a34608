/** Procfile targets (Heroku, Dokku, Scalingo): one process per line, run with `bash -c`. */
import * as path from 'node:path';
import { parseProcfile } from '../../parse/procfile.js';
import { parseShell } from '../../parse/shell.js';
import type { Project } from '../project.js';
import { isHerokuProcfile, judge, type Verdict } from '../production.js';
import { ProcessBuilder } from '../resolve.js';
import { resolvePosix, type PathMapper } from '../paths.js';
import type { Location } from '../../core/location.js';
import type { Role, Target } from '../types.js';
import type { FileSelector, Repo } from '../../discover/repo.js';
import { makeTarget } from './make.js';

export function isProcfile(file: string): boolean {
  const base = path.posix.basename(file);
  // `Procfile.dev` is a Procfile; `Procfile.sh` or `Procfile.md` are not.
  return base === 'Procfile' || (/^Procfile\.[A-Za-z0-9_.-]+$/.test(base) && !/\.(sh|bash|py|md|txt|rst|json|ya?ml|toml|bat|ps1|cfg|ini|j2|jinja2?|tpl|tmpl|template|example|sample|orig|bak)$/i.test(base));
}

export const PROCFILES: FileSelector = { name: 'Procfile', prefixes: ['procfile'], test: isProcfile };

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
  for (const f of project.repo.named('manage.py')) {
    if (!f.startsWith(prefix)) continue;
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
  const target: Target = makeTarget({
    kind: 'procfile',
    file,
    line: parsed.entries[0]?.line ?? 1,
    verdict,
    facts: { cwd: APP_ROOT, env: { PORT: '$PORT' } },
  });
  const managePy = managePyNear(project, dir);
  // DISABLE_COLLECTSTATIC (app.json, heroku.yml) turns the buildpack's run off; bin/post_compile runs after the build either way.
  const post = heroku ? postCompileCollectstatic(project.repo, dir) : null;
  const dokkuImage = heroku ? dokkuDockerfile(project.repo, dir) : null;
  if (dokkuImage) {
    // Dokku builds this app from its Dockerfile, not with the Python buildpack: only the image's own build collects.
    const line = dokkuImage.collectLine;
    if (line !== null) {
      target.facts.platformCollectstatic = {
        reason: `Dokku builds the app from ${dokkuImage.file} (${dokkuImage.marker} marks a Dokku app, no .buildpacks file), whose line ${line} runs collectstatic`,
      };
    }
  } else if (heroku && managePy && !collectstaticSwitchedOff(project.repo, dir)) {
    target.facts.platformCollectstatic = {
      reason: `Heroku's Python buildpack runs \`manage.py collectstatic --noinput\` at build time (found ${managePy})`,
    };
  } else if (post) {
    target.facts.platformCollectstatic = { reason: `${post.file}:${post.line} runs collectstatic (Heroku's Python buildpack runs bin/post_compile after the build)` };
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

/**
 * A Dokku app with a `Dockerfile` beside its Procfile: `app.json` has Dokku's own `scripts.dokku`
 * section and no `.buildpacks` file asks for buildpacks, so Dokku's Dockerfile builder builds the
 * image (the Heroku buildpack and its automatic collectstatic never run). `collectLine` is the
 * Dockerfile line that runs collectstatic, or null.
 */
export function dokkuDockerfile(repo: Repo, dir: string): { file: string; marker: string; collectLine: number | null } | null {
  const at = (f: string) => (dir ? `${dir}/${f}` : f);
  const dockerfile = at('Dockerfile');
  const text = repo.text(dockerfile);
  if (text === null || repo.has(at('.buildpacks'))) return null;
  const appJson = repo.text(at('app.json'));
  if (appJson === null) return null;
  try {
    const scripts = (JSON.parse(appJson) as { scripts?: Record<string, unknown> } | null)?.scripts;
    const dokku = scripts && typeof scripts === 'object' ? scripts.dokku : undefined;
    if (!dokku || typeof dokku !== 'object') return null;
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^(?!\s*#).*\bcollectstatic\b/.test(l));
  return { file: dockerfile, marker: `${at('app.json')} \`scripts.dokku\``, collectLine: i >= 0 ? i + 1 : null };
}

/** Where the repository turns off the buildpack's collectstatic (`DISABLE_COLLECTSTATIC`, not `0`). */
export interface CollectstaticSwitch {
  value: string;
  loc: Location;
  /** `app.json`, `heroku.yml` or `.heroku/collectstatic_disabled`. */
  source: string;
}

/**
 * `DISABLE_COLLECTSTATIC` set to a value other than `0` in the app's `app.json` `env` or its
 * `heroku.yml` (`setup.config` / `build.config`), or a `.heroku/collectstatic_disabled` file.
 * A value only known at deploy time (`{ "required": true }`) is not a switch.
 */
export function collectstaticSwitchedOff(repo: Repo, dir: string): CollectstaticSwitch | null {
  const at = (f: string) => (dir ? `${dir}/${f}` : f);
  const marker = at('.heroku/collectstatic_disabled');
  if (repo.has(marker)) return { value: '1', loc: { file: marker, line: 1, column: 1, endLine: 1, endColumn: 1 }, source: marker };
  const appJson = at('app.json');
  const text = repo.text(appJson);
  if (text !== null) {
    try {
      const env = (JSON.parse(text) as { env?: Record<string, unknown> } | null)?.env;
      const raw = env && typeof env === 'object' ? env.DISABLE_COLLECTSTATIC : undefined;
      const v = raw !== null && typeof raw === 'object' ? (raw as { value?: unknown }).value : raw;
      if ((typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v) !== '' && String(v) !== '0') {
        const loc = keyLoc(text, appJson, /"DISABLE_COLLECTSTATIC"/);
        if (loc) return { value: String(v), loc, source: appJson };
      }
    } catch {
      // Unparsable app.json: the platform rejects it; nothing to judge here.
    }
  }
  const herokuYml = at('heroku.yml');
  const yml = repo.text(herokuYml);
  if (yml !== null) {
    const m = /^([ \t]*)DISABLE_COLLECTSTATIC[ \t]*:[ \t]*("[^"]*"|'[^']*'|[^#\s]*)/m.exec(yml);
    const v = m ? m[2].replace(/^["']|["']$/g, '') : '';
    if (m && v !== '' && v !== '0' && !v.includes('$')) {
      const loc = keyLoc(yml, herokuYml, /DISABLE_COLLECTSTATIC/);
      if (loc) return { value: v, loc, source: herokuYml };
    }
  }
  return null;
}

function keyLoc(text: string, file: string, re: RegExp): Location | null {
  const m = re.exec(text);
  if (!m) return null;
  const before = text.slice(0, m.index);
  const line = before.split('\n').length;
  const column = m.index - (before.lastIndexOf('\n') + 1) + 1;
  return { file, line, column, endLine: line, endColumn: column + m[0].length };
}

/** The line of the app's `bin/post_compile` (run by the Python buildpack after its build) that runs collectstatic. */
export function postCompileCollectstatic(repo: Repo, dir: string): { file: string; line: number } | null {
  const file = dir ? `${dir}/bin/post_compile` : 'bin/post_compile';
  const text = repo.text(file);
  if (text === null) return null;
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => /^[ \t]*[^#\s].*\bcollectstatic\b/.test(l) && !/^\s*(echo|printf|#)/.test(l));
  return i >= 0 ? { file, line: i + 1 } : null;
}
