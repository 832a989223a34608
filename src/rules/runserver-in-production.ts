import { spanOfWords } from '../model/args.js';
import { DEV_SERVERS, gunicornFix, shownWords, processLabel, productionTargets, realServers, whyProduction } from './helpers.js';
import type { Report, Rule } from './types.js';

export const runserverInProduction: Rule = {
  id: 'DPL101',
  name: 'runserver-in-production',
  severity: 'error',
  summary: "Django's development server (`runserver`) serves a production target.",
  check({ repo, targets }) {
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
            fix: fallback
              ? `in that branch, exit with an error (\`echo "…" >&2; exit 1\`) instead of starting runserver`
              : gunicornFix(repo, t.kind === 'procfile' ? '0.0.0.0:$PORT' : runserverBind(server.bind[0]?.value)),
          });
        }
      }
    }
    return out;
  },
};

/** The address runserver was given, made reachable: `8000` → `0.0.0.0:8000`. */
function runserverBind(addr: string | undefined): string {
  if (!addr) return '0.0.0.0:8000';
  const port = /(?:^|:)(\$\{?\w+\}?|\d+)$/.exec(addr)?.[1] ?? '8000';
  return `0.0.0.0:${port}`;
}
