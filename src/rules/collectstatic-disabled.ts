/**
 * DPL206 collectstatic-disabled: a Heroku app (its `Procfile`) turns the Python buildpack's
 * collectstatic off (`DISABLE_COLLECTSTATIC` in app.json / heroku.yml, or
 * `.heroku/collectstatic_disabled`) and nothing else runs it: no release or web command, no
 * `bin/post_compile`, no deploy script of the repository. STATIC_ROOT stays empty.
 *
 * The model already leaves `platformCollectstatic` unset in that case (src/model/targets/
 * procfile.ts), so DPL201 (which skips this case), DPL203 and DPL204 do not count the
 * buildpack's run.
 */
import * as path from 'node:path';
import type { FileSelector, Repo } from '../discover/repo.js';
import { isHerokuProcfile } from '../model/production.js';
import { collectstaticSwitchedOff, managePyNear, postCompileCollectstatic } from '../model/targets/procfile.js';
import { processLabel, productionTargets, realServers, servesHttp } from './helpers.js';
import { defineRule, type Report } from './types.js';

const RELEASE_DIR = /(^|\/)(bin|scripts?|deploy(ment)?|\.github\/workflows|\.gitlab|\.circleci|ansible|infra|ops)\//;

/** Files that deploy: scripts, CI, Makefiles, Dockerfiles (not templates). */
function releaseScript(f: string): boolean {
  if (/\{\{|\{%/.test(f)) return false;
  const base = path.posix.basename(f);
  return (
    /\.(sh|bash)$/.test(base) ||
    /^(Makefile|GNUmakefile|justfile|Justfile|fabfile\.py|tasks\.py|noxfile\.py|Dockerfile.*|.*\.Dockerfile|Procfile.*)$/.test(base) ||
    (RELEASE_DIR.test(f) && /\.(ya?ml|sh|cfg|ini)$|^[^.]+$/.test(base)) ||
    /^\.gitlab-ci\.ya?ml$/.test(base)
  );
}

export const RELEASE_SCRIPTS: FileSelector = {
  name: 'deploying file',
  exts: ['sh', 'bash', 'dockerfile'],
  prefixes: ['makefile', 'gnumakefile', 'justfile', 'fabfile', 'tasks', 'noxfile', 'dockerfile', 'procfile', '.gitlab-ci'],
  dir: (d) => RELEASE_DIR.test(d + '/'),
  test: releaseScript,
};

/** A line that runs collectstatic (not a comment, not an echo) in a file that deploys: scripts, CI, Makefiles, Dockerfiles. */
function runsCollectstaticElsewhere(repo: Repo, exclude: Set<string>): string | null {
  for (const f of repo.select(RELEASE_SCRIPTS)) {
    if (exclude.has(f)) continue;
    const text = repo.text(f);
    if (text === null || !text.includes('collectstatic')) continue;
    if (text.split(/\r?\n/).some((l) => /^[ \t]*[^#\s].*\bcollectstatic\b/.test(l) && !/^\s*(echo|printf)\b/.test(l))) return f;
  }
  return null;
}

const messages = {
  disabled:
    '{{what}} the `collectstatic --noinput` that Heroku\'s Python buildpack runs during the build, and nothing else runs it for {{process}}: no release or web command, no bin/post_compile, no deploy script of the repository. STATIC_ROOT stays empty, so CSS/JS return 404 (or `{% static %}` raises "Missing staticfiles manifest entry" with a manifest storage). If static files are built and uploaded outside this repository (CI, a CDN), silence this with `rules: { DPL206: off }` in .django-deploy-lint.yml',
} as const;

export const collectstaticDisabled = defineRule({
  id: 'DPL206',
  name: 'collectstatic-disabled',
  severity: 'warning',
  summary: 'DISABLE_COLLECTSTATIC is set for Heroku and collectstatic runs nowhere else.',
  messages,
  check({ repo, project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      if (t.kind !== 'procfile' || !isHerokuProcfile(t.file)) continue;
      if (t.collectstatic || t.facts.platformCollectstatic) continue;
      const dir = path.posix.dirname(t.file) === '.' ? '' : path.posix.dirname(t.file);
      if (!managePyNear(project, dir)) continue; // the buildpack would not run it anyway
      const off = collectstaticSwitchedOff(repo, dir);
      if (!off || postCompileCollectstatic(repo, dir)) continue;
      const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
      if (!web) continue;
      const own = new Set([t.file, ...t.processes.flatMap((p) => p.commands.flatMap((c) => c.chain.map((s) => s.file)))]);
      if (runsCollectstaticElsewhere(repo, own)) continue;
      const what = off.source.endsWith('collectstatic_disabled')
        ? `the file ${off.source} turns off`
        : `\`DISABLE_COLLECTSTATIC=${off.value}\` in ${off.source} turns off`;
      out.push({
        messageId: 'disabled',
        data: { what, process: processLabel(t, web) },
        loc: off.loc,
        target: t,
        help: off.source.endsWith('collectstatic_disabled')
          ? `delete ${off.source} (and fix what made collectstatic fail, often STATIC_ROOT)`
          : 'remove DISABLE_COLLECTSTATIC (heroku config:unset DISABLE_COLLECTSTATIC) and fix what made collectstatic fail, often a missing STATIC_ROOT',
      });
    }
    return out;
  },
});
