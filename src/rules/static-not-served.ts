/**
 * DPL204 static-not-served: collectstatic fills STATIC_ROOT, but with DEBUG off nothing in the
 * repository serves it (no WhiteNoise, no remote storage, no uWSGI/Granian static mapping, no
 * nginx/Caddy/Apache static location, no web server image), so /static/ URLs return 404. When
 * the urls serve it with `django.views.static.serve`, that is reported instead (slow, unsafe).
 */
import { processLabel, productionTargets } from './helpers.js';
import { describeChoice } from './settings-facts.js';
import { SILENCE, unservedStatic } from './static-facts.js';
import { defineRule, type Report } from './types.js';

const messages = {
  notServed:
    '{{process}} serves Django with {{server}} and collectstatic fills STATIC_ROOT{{root}}, but nothing serves it: no WhiteNoise middleware in {{settings}}, no remote storage backend, no {{uwsgi}}nginx/Caddy/Apache static location in the repository; with DEBUG off, {{server}} does not serve static files and CSS/JS return 404. Add WhiteNoise, or, {{silence}}',
} as const;

export const staticNotServed = defineRule({
  id: 'DPL204',
  name: 'static-not-served',
  severity: 'warning',
  summary: 'Nothing serves STATIC_ROOT: no WhiteNoise middleware, no nginx/Caddy/Apache static location, no uWSGI static-map, no remote storage.',
  messages,
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      if (!t.collectstatic && !t.facts.platformCollectstatic) continue;
      for (const p of t.processes) {
        const u = unservedStatic(project, t, p);
        if (!u) continue;
        const { server, at, c } = u;
        // Routed to django.views.static.serve: DPL207's finding, not this one.
        if (c.facts.staticServeInUrls) continue;
        const root = c.facts.staticRoot?.path ? ` (\`${c.facts.staticRoot.path}\`)` : '';
        out.push({
          messageId: 'notServed',
          data: { process: processLabel(t, p), server: server.kind, root, settings: describeChoice(c), uwsgi: server.kind === 'uwsgi' ? 'uWSGI static-map, no ' : '', silence: SILENCE },
          loc: server.command.loc,
          via: at.chain,
          target: t,
          help: 'add "whitenoise.middleware.WhiteNoiseMiddleware" to MIDDLEWARE right after SecurityMiddleware',
        });
      }
    }
    return out;
  },
});
