import * as path from 'node:path';
import type { FileSelector, Repo } from '../discover/repo.js';
import { collectstaticSwitchedOff } from '../model/targets/procfile.js';
import { processLabel, productionTargets, realServers, servesHttp } from './helpers.js';
import type { Severity } from '../core/finding.js';
import type { SettingsFacts } from '../settings/types.js';
import { settingsFor } from './settings-facts.js';
import { staticRootSet } from './settings-facts.js';
import { defineRule, type Report } from './types.js';

/**
 * Files where a deploy outside the target's own files may run collectstatic: scripts, Makefiles,
 * task runners, platform manifests, CI deploy workflows, configuration management.
 */
export function deployScript(f: string): boolean {
  const base = path.posix.basename(f);
  if (/\{\{|\{%/.test(f)) return false;
  if (/\.(sh|bash)$/.test(base) || /^(Makefile|GNUmakefile|justfile|Justfile|fabfile\.py|tasks\.py|noxfile\.py|app\.json|fly\.toml|render\.ya?ml|nixpacks\.toml|railway\.(json|toml)|\.platform\.app\.yaml|app\.ya?ml|heroku\.yml|Procfile.*|Dockerfile.*|.*\.Dockerfile)$/.test(base)) return true;
  if (DEPLOY_DIR.test(f) && /\.(ya?ml|sh|cfg|conf|ini|j2)$|^[^.]+$/.test(base)) return true;
  return false;
}

const DEPLOY_DIR = /(^|\/)(bin|scripts?|deploy(ment)?|ansible|\.github\/workflows|\.gitlab|infra|ops|k8s|helm|docker|compose|etc)\//;

/** The files `deployScript` accepts, found by name (see `FileSelector`). */
export const DEPLOY_SCRIPTS: FileSelector = {
  name: 'deploy script',
  exts: ['sh', 'bash', 'dockerfile'],
  prefixes: ['makefile', 'gnumakefile', 'justfile', 'fabfile', 'tasks', 'noxfile', 'app.', 'fly.', 'render.', 'nixpacks', 'railway', '.platform', 'heroku', 'procfile', 'dockerfile'],
  dir: (d) => DEPLOY_DIR.test(d + '/'),
  test: deployScript,
};

/** The first deploy-ish file outside the target that runs collectstatic, or null. */
function collectstaticElsewhere(repo: Repo, exclude: Set<string>): string | null {
  for (const f of repo.select(DEPLOY_SCRIPTS)) {
    if (exclude.has(f)) continue;
    const text = repo.text(f);
    // A line that runs it, not one that only mentions it in a comment.
    if (text?.includes('collectstatic') && /^[ \t]*[^#\s].*collectstatic/m.test(text)) return f;
  }
  return null;
}

const messages = {
  missing:
    "{{process}} serves Django with {{server}}, but `collectstatic` never runs in this target's build, release or start path (nor in any deploy script of the repository), so {{consequence}}",
} as const;

export const collectstaticMissing = defineRule({
  id: 'DPL201',
  name: 'collectstatic-missing',
  severity: 'warning',
  summary: "collectstatic never runs in the target's build, release or start path.",
  messages,
  check({ repo, project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    let elsewhere: string | null | undefined;
    for (const t of productionTargets(targets)) {
      if (t.collectstatic || t.facts.platformCollectstatic) continue;
      if (t.kind === 'procfile' && collectstaticSwitchedOff(repo, path.posix.dirname(t.file).replace(/^\.$/, ''))) continue; // DPL206's case
      const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
      if (!web) continue;
      // Precision first: when another production target or a deploy script in the repo runs
      // collectstatic (an nginx image, an upgrade script, a CI deploy job), say nothing.
      if (targets.some((o) => o !== t && o.production && o.collectstatic)) continue;
      const own = new Set([t.file, ...web.commands.flatMap((c) => c.chain.map((s) => s.file))]);
      if (elsewhere === undefined) elsewhere = collectstaticElsewhere(repo, own);
      if (elsewhere) continue;
      const { at, server } = realServers(web)[0];
      const c = settingsFor(project, t, at, server, true)?.[0] ?? null;
      const { consequence, severity } = whatHappens(repo, c?.facts ?? null);
      out.push({
        messageId: 'missing',
        data: { process: processLabel(t, web), server: server.kind, consequence },
        loc: web.entry,
        via: at.chain,
        target: t,
        severity,
        help: t.facts.dockerfile ? 'RUN python manage.py collectstatic --noinput (after COPY of the source)' : 'python manage.py collectstatic --noinput in the release or start step',
      });
    }
    return out;
  },
});

/**
 * What a missing collectstatic does with the storage the settings use, and how bad it is: a
 * manifest storage with DEBUG off fails every page that uses `{% static %}` (an error); files
 * committed under STATIC_ROOT still serve (a notice: keep them in sync); otherwise a warning,
 * since collectstatic may be a deploy step outside the repository.
 */
function whatHappens(repo: Repo, f: SettingsFacts | null): { consequence: string; severity: Severity } {
  const b = f?.staticBackend ?? null;
  const debugOn = f?.debug?.kind === 'literal' && f.debug.literal === true;
  if (b && /ManifestStaticFilesStorage/.test(b.value) && !debugOn) {
    return { consequence: `with \`${b.value.split('.').pop()}\` and DEBUG off every page that uses the \`static\` template tag fails with "Missing staticfiles manifest entry"`, severity: 'error' };
  }
  if (b?.remote) return { consequence: `static files are never uploaded to \`${b.value.split('.').pop()}\` and CSS/JS return 404 in production`, severity: 'warning' };
  if (f && !staticRootSet(f)) return { consequence: 'nothing gathers static files, and STATIC_ROOT is not set either, so CSS/JS from apps return 404 in production', severity: 'warning' };
  const root = f?.staticRoot?.path;
  if (root && repo.under(root).some((x) => /\.(css|js)$/.test(x))) {
    return { consequence: `the copy committed under STATIC_ROOT (\`${root}\`) is what is served, and it must be kept in sync with the apps' static files by hand`, severity: 'notice' };
  }
  return { consequence: 'STATIC_ROOT stays empty and CSS/JS return 404 in production', severity: 'warning' };
}
