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
    for (const t of productionTargets(targets)) {
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
          out.push({
            message,
            loc,
            via: at.chain,
            target: t,
            fix: fallback
              ? `make ${real[0]?.server.kind ?? 'the production server'} the default and start runserver only when a variable the development set-up sets asks for it (or exit with an error in that branch if nothing uses it)`
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
