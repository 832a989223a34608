import { productionTargets, servesHttp } from './helpers.js';
import type { Report, Rule } from './types.js';

export const unresolvedProcess: Rule = {
  id: 'DPL002',
  name: 'unresolved-process',
  severity: 'notice',
  summary: 'The chain could not be followed to a server: where it stopped.',
  check({ targets }) {
    const out: Report[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        if (!servesHttp(p) && p.role !== 'other') continue;
        if (p.servers.length > 0) continue;
        for (const u of p.unresolved) {
          out.push({
            message: `could not follow ${p.role === 'web' ? 'the web process' : `process \`${p.name}\``} to its server: ${u.message}`,
            loc: u.loc,
            via: u.chain,
            target: t,
          });
        }
      }
    }
    return out;
  },
};
