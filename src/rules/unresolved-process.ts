import { finalKind } from '../model/servers.js';
import { commandText, productionTargets, servesHttp } from '../facts/helpers.js';
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
        if (p.role === 'web' && p.unresolved.length === 0) {
          for (const f of p.finals) {
            const args = f.args;
            if (finalKind(args) !== 'unknown') continue;
            out.push({
              message: `the web process ends in \`${commandText(f)}\`, a program this tool does not follow (it never runs repository code); if it starts a WSGI/ASGI server, run that server directly so it can be checked`,
              loc: f.command.loc,
              via: f.chain,
              target: t,
            });
          }
        }
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
