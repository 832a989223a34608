/**
 * DPL204 static-not-served: collectstatic fills STATIC_ROOT, but with DEBUG off nothing in the
 * repository serves it (no WhiteNoise, no remote storage, no uWSGI/Granian static mapping, no
 * nginx/Caddy/Apache static location, no web server image), so /static/ URLs return 404. When
 * the urls serve it with `django.views.static.serve`, that is reported instead (slow, unsafe).
 */
import { processLabel, productionTargets } from '../facts/helpers.js';
import { describeChoice } from '../facts/settings-facts.js';
import { SILENCE, unservedStatic } from '../facts/static-facts.js';
import type { Report, Rule } from './types.js';

export const staticNotServed: Rule = {
  id: 'DPL204',
  name: 'static-not-served',
  severity: 'warning',
  summary: 'Nothing serves STATIC_ROOT: no WhiteNoise middleware, no nginx/Caddy/Apache static location, no uWSGI static-map, no remote storage.',
  check({ project, targets }) {
    const out: Report[] = [];
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
          message:
            `${processLabel(t, p)} serves Django with ${server.kind} and collectstatic fills STATIC_ROOT${root}, but nothing serves it: ` +
            `no WhiteNoise middleware in ${describeChoice(c)}, no remote storage backend, no ${server.kind === 'uwsgi' ? 'uWSGI static-map, no ' : ''}` +
            `nginx/Caddy/Apache static location in the repository; with DEBUG off, ${server.kind} does not serve static files and CSS/JS return 404. ` +
            `Add WhiteNoise, or, ${SILENCE}`,
          loc: server.command.loc,
          via: at.chain,
          target: t,
          fix: 'add "whitenoise.middleware.WhiteNoiseMiddleware" to MIDDLEWARE right after SecurityMiddleware',
        });
      }
    }
    return out;
  },
};
