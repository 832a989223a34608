import { finalKind } from '../model/servers.js';
import { commandText, productionTargets, servesHttp } from './helpers.js';
import { defineRule, type Report } from './types.js';

const messages = {
  unknownProgram:
    'the web process ends in `{{command}}`, a program this tool does not follow (it never runs repository code); if it starts a WSGI/ASGI server, run that server directly so it can be checked',
  unresolved: 'could not follow {{process}} to its server: {{reason}}',
} as const;

export const unresolvedProcess = defineRule({
  id: 'DPL002',
  name: 'unresolved-process',
  severity: 'notice',
  summary: 'The chain could not be followed to a server: where it stopped.',
  messages,
  check({ targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        if (!servesHttp(p) && p.role !== 'other') continue;
        if (p.servers.length > 0) continue;
        if (p.role === 'web' && p.unresolved.length === 0) {
          for (const f of p.finals) {
            const args = f.args;
            if (finalKind(args) !== 'unknown') continue;
            out.push({
              messageId: 'unknownProgram',
              data: { command: commandText(f) },
              loc: f.command.loc,
              via: f.chain,
              target: t,
            });
          }
        }
        for (const u of p.unresolved) {
          out.push({
            messageId: 'unresolved',
            data: { process: p.role === 'web' ? 'the web process' : `process \`${p.name}\``, reason: u.message },
            loc: u.loc,
            via: u.chain,
            target: t,
          });
        }
      }
    }
    return out;
  },
});
