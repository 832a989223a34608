import { processLabel, productionTargets, realServers, servesHttp } from './helpers.js';
import type { Report, Rule } from './types.js';

export const collectstaticMissing: Rule = {
  id: 'DPL201',
  name: 'collectstatic-missing',
  severity: 'error',
  summary: "collectstatic never runs in the target's build, release or start path.",
  check({ targets }) {
    const out: Report[] = [];
    for (const t of productionTargets(targets)) {
      if (t.collectstatic || t.facts.platformCollectstatic) continue;
      const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
      if (!web) continue;
      const at = realServers(web)[0].at;
      out.push({
        message: `${processLabel(t, web)} serves Django with ${realServers(web)[0].server.kind}, but \`collectstatic\` never runs in this target's build, release or start path, so STATIC_ROOT stays empty and CSS/JS return 404 in production`,
        loc: web.entry,
        via: at.chain,
        target: t,
        fix: t.kind === 'dockerfile' || t.kind === 'compose' ? 'RUN python manage.py collectstatic --noinput (after COPY of the source)' : 'python manage.py collectstatic --noinput in the release or start step',
      });
    }
    return out;
  },
};
