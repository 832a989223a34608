import { spanOfWords } from '../model/args.js';
import { DEV_SERVERS, gunicornFix, shownWords, processLabel, productionTargets, realServers, whyProduction } from '../facts/helpers.js';
import type { Report, Rule } from './types.js';
import type { Repo } from '../discover/repo.js';
import type { Project } from '../model/project.js';
import type { FixNeeds } from '../core/finding.js';
import type { ServerInfo, Target } from '../model/types.js';
import { fixNeedsFor } from '../facts/install-facts.js';

export const runserverInProduction: Rule = {
  id: 'DPL101',
  name: 'runserver-in-production',
  severity: 'error',
  summary: "Django's development server (`runserver`) serves a production target.",
  check({ repo, project, targets }) {
    const out: Report[] = [];
    // With the image defaults that production targets replace (their severity depends on whether
    // the image is published).
    for (const t of [...productionTargets(targets), ...targets.filter((x) => x.production && x.facts.shippedDefault)]) {
      const shipped = t.facts.shippedDefault;
      for (const p of t.processes) {
        const real = realServers(p);
        for (const { server, at } of p.servers) {
          if (!DEV_SERVERS.has(server.kind)) continue;
          const words = server.command.words;
          const loc = words.length > 0 ? spanOfWords(words) : at.command.loc;
          const shown = shownWords(words);
          const what = server.kind === 'runserver_plus' ? "django-extensions' `runserver_plus` (a development server)" : "Django's development server";
          const fallback = real.length > 0 && (at.conditional || at.branch !== undefined);
          const unset = at.branch?.unset ?? [];
          if (unset.length > 0) {
            // The arm is chosen because the target leaves a variable unset: the default branch.
            const vars = unset.map((v) => `\`${v}\``).join(', ');
            out.push({
              message: `runserver is the default branch: ${processLabel(t, p)} starts \`${shown}\` while ${vars} ${unset.length > 1 ? 'are' : 'is'} unset (${at.branch!.label.startsWith('else of') ? at.branch!.label : `\`${at.branch!.label}\``}), so ${what} serves production traffic unless the deployment sets ${unset.length > 1 ? 'them' : 'it'} ${whyProduction(t)}`,
              loc,
              via: at.chain,
              target: t,
              severity: 'warning',
              fix: `set ${vars} in this target's environment so that the production branch runs, or make the production server the default and start runserver only when the development set-up asks for it`,
            });
            continue;
          }
          const message = fallback
            ? `${processLabel(t, p)} can fall back to \`${shown}\`${at.branch ? ` (in the branch ${at.branch.label.startsWith('else of') ? at.branch.label : `\`${at.branch.label}\``})` : ''}: ${what} would then serve production traffic, instead of ${real[0].server.kind}. Remove the fallback or make it fail loudly ${whyProduction(t)}`
            : `${processLabel(t, p)} starts \`${shown}\`, ${what}, which is not built for production (no security audits, no performance tests); run a WSGI/ASGI server such as gunicorn instead ${whyProduction(t)}`;
          if (shipped) {
            const by = shipped.overriddenBy;
            const names = `${by.slice(0, 2).map((b) => `\`${b}\``).join(', ')}${by.length > 2 ? ` and ${by.length - 2} more` : ''}`;
            out.push({
              message:
                `the image built from ${t.file} starts \`${shown}\` by default, ${what}: ${names} replace${by.length === 1 ? 's' : ''} that command, but \`docker run\`, Kubernetes and anyone pulling the image get it as it is; ` +
                (shipped.published
                  ? `the repository publishes this image (${shipped.published.file}:${shipped.published.line} ${shipped.published.what}), so an error`
                  : `nothing in the repository publishes the image, so a warning`) +
                `; make the image's own CMD a WSGI/ASGI server such as gunicorn`,
              loc,
              via: at.chain,
              target: t,
              severity: shipped.published ? 'error' : 'warning',
              fix: gunicornFix(repo, runserverBind(server.bind[0]?.value)),
            });
            continue;
          }
          out.push({
            message,
            loc,
            via: at.chain,
            target: t,
            ...(fallback
              ? { fix: `make ${real[0]?.server.kind ?? 'the production server'} the default and start runserver only when a variable the development set-up sets asks for it (or exit with an error in that branch if nothing uses it)` }
              : serverFix(repo, project, t, server)),
          });
        }
      }
    }
    return out;
  },
};

/**
 * gunicorn in place of runserver, keeping what the runserver command chose: its port (a
 * Procfile line without one gets `$PORT`), `--settings` (as DJANGO_SETTINGS_MODULE through
 * gunicorn's `--env`) and `--pythonpath`; with the package to add when the target does not
 * install gunicorn.
 */
function serverFix(repo: Repo, project: Project, t: Target, server: ServerInfo): { fix: string; fixNeeds?: FixNeeds } {
  const addr = server.bind[0]?.value;
  let fix = gunicornFix(repo, t.kind === 'procfile' && !addr ? '0.0.0.0:$PORT' : runserverBind(addr));
  const settings = server.options.settings?.value;
  if (settings) fix += ` --env DJANGO_SETTINGS_MODULE=${settings}`;
  const pythonpath = server.options.pythonpath?.value;
  if (pythonpath) fix += ` --pythonpath ${pythonpath}`;
  const needs = fixNeedsFor(repo, project, t, 'gunicorn');
  return needs === null ? { fix } : { fix, fixNeeds: needs === 'unknown' ? { package: 'gunicorn', file: null, section: null, text: 'gunicorn' } : needs };
}

/** The address runserver was given, made reachable: `8000` → `0.0.0.0:8000`. */
function runserverBind(addr: string | undefined): string {
  if (!addr) return '0.0.0.0:8000';
  const port = /(?:^|:)(\$\{?\w+\}?|\d+)$/.exec(addr)?.[1] ?? '8000';
  return `0.0.0.0:${port}`;
}
