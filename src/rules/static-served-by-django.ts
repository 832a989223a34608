/**
 * DPL207 static-served-by-django: a production URLconf routes static files to
 * `django.views.static.serve` outside an `if settings.DEBUG:` block (or to a project view mounted on
 * the static prefix with a catch-all path parameter, a wrapper around it), and nothing else serves them.
 * The `static()` helper is not this rule's: with DEBUG off it adds no route (DPL204 then).
 */
import { processLabel, productionTargets } from '../facts/helpers.js';
import { describeChoice } from '../facts/settings-facts.js';
import { djangoServesStaticUnknownServer, unservedStatic } from '../facts/static-facts.js';
import { defineRule, type Report } from './types.js';

const messages = {
  servedByDjango:
    '{{process}} serves static files through {{view}} in the URLconf of {{settings}}, which Django\'s docs call "grossly inefficient and probably insecure": every CSS/JS request ties up a {{server}} worker',
} as const;

export const staticServedByDjango = defineRule({
  id: 'DPL207',
  name: 'static-served-by-django',
  severity: 'warning',
  summary: 'A production URLconf serves static files with `django.views.static.serve` (no DEBUG guard) and nothing else serves them.',
  messages,
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        // The route is the project's: it is reported even when the server is not known (DPL002).
        const u = unservedStatic(project, t, p) ?? djangoServesStaticUnknownServer(project, t, p);
        const serve = u?.c.facts.staticServeInUrls;
        if (!u || !serve) continue;
        const view = u.c.facts.staticServeView
          ? `the project view \`${u.c.facts.staticServeView}\` (mounted on the static prefix with a catch-all path)`
          : '`django.views.static.serve`';
        out.push({
          messageId: 'servedByDjango',
          data: { process: processLabel(t, p), view, settings: describeChoice(u.c), server: u.server?.kind ?? 'Django' },
          loc: serve,
          via: u.at ? u.at.chain : p.unresolved[0]?.chain,
          target: t,
          help: 'add "whitenoise.middleware.WhiteNoiseMiddleware" to MIDDLEWARE (after SecurityMiddleware) and remove the static serve() route',
        });
      }
    }
    return out;
  },
});
