import { finalKind, type FinalKind } from '../model/servers.js';
import { commandText, gunicornFix, processLabel, productionTargets, whyProduction } from './helpers.js';
import { defineRule, type Report } from './types.js';

const KIND_TEXT: Record<Exclude<FinalKind, 'unknown'>, string> = {
  management: 'a management command that exits',
  worker: 'a background worker',
  proxy: 'a web server or proxy with no app server behind it in this process',
  idle: 'a command that serves nothing',
};

const messages = {
  noWebProcess: '{{file}} defines no `web` process (only {{processes}}), so Heroku starts no web dyno and the app receives no HTTP traffic',
  notAServer:
    '{{process}} ends in `{{command}}`, which is {{what}}, not a WSGI/ASGI server; Django needs one (gunicorn, uWSGI, uvicorn, daphne, …) to serve production traffic {{why}}',
} as const;

export const noAppServer = defineRule({
  id: 'DPL102',
  name: 'no-app-server',
  severity: 'error',
  summary: 'A production web process ends in something that is not a WSGI/ASGI server; a Procfile with no `web` process.',
  messages,
  check({ repo, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      // A Procfile without `web` is a Heroku problem only where Heroku is how the app deploys:
      // not when another production target serves the app.
      const elsewhere = targets.some((o) => o !== t && o.production && o.kind !== 'procfile' && o.processes.some((p) => p.role === 'web'));
      if (t.kind === 'procfile' && !elsewhere && t.file.split('/').pop() === 'Procfile' && !t.processes.some((p) => p.name === 'web') && t.processes.length > 0) {
        out.push({
          messageId: 'noWebProcess',
          data: { file: t.file, processes: t.processes.map((p) => `\`${p.name}\``).join(', ') },
          loc: { file: t.file, line: t.line, column: 1, endLine: t.line, endColumn: 1 },
          target: t,
          help: `web: ${gunicornFix(repo, '0.0.0.0:$PORT')}`,
        });
      }
      for (const p of t.processes) {
        if (p.role !== 'web' || p.servers.length > 0 || p.unresolved.length > 0) continue;
        for (const f of p.finals) {
          const kind = finalKind(f.args);
          // An unknown program may start a server in code: DPL002 says so; this rule is for certainties.
          if (kind === 'unknown') continue;
          out.push({
            messageId: 'notAServer',
            data: { process: processLabel(t, p), command: commandText(f), what: KIND_TEXT[kind], why: whyProduction(t) },
            loc: f.command.loc,
            via: f.chain,
            target: t,
            help: gunicornFix(repo, t.kind === 'procfile' ? '0.0.0.0:$PORT' : '0.0.0.0:8000'),
          });
        }
      }
    }
    return out;
  },
});
