import { processLabel, productionTargets, realServers } from './helpers.js';
import { defineRule, type Report } from './types.js';

const TRUE = /^(1|true|yes|on)$/i;

const messages = {
  reload:
    '{{process}} runs {{server}} with {{option}}, a development option: it watches the source tree and restarts workers on every change, costing CPU and dropping requests in production',
  debug: '{{name}}={{value}} is set for a production target ({{file}}): Django then shows full tracebacks with settings to anyone and keeps every SQL query in memory',
  hideWarning: "DJANGO_RUNSERVER_HIDE_WARNING is set for a production target ({{file}}): it hides Django's warning that runserver must not be used in production",
} as const;

export const devOptionInProduction = defineRule({
  id: 'DPL105',
  name: 'dev-option-in-production',
  severity: 'warning',
  summary: '`--reload`, `--py-autoreload`, `DEBUG=1/True` in the environment, `DJANGO_RUNSERVER_HIDE_WARNING` in a production target.',
  messages,
  check({ targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        for (const { server, at } of realServers(p)) {
          const reload = server.options.reload ?? server.options.pyAutoreload;
          if (reload && reload.value !== '0' && reload.value !== 'false') {
            out.push({
              messageId: 'reload',
              data: { process: processLabel(t, p), server: server.kind, option: reloadSource(server.options.reload ? 'reload' : 'py-autoreload', reload.loc.file, server.command.loc.file) },
              loc: reload.loc,
              via: at.chain,
              target: t,
              help: 'remove the reload option from the production command',
            });
          }
        }
      }
      const env = t.facts.env ?? {};
      const locs = t.facts.envLocs ?? {};
      for (const name of ['DEBUG', 'DJANGO_DEBUG']) {
        const v = env[name];
        if (v !== undefined && TRUE.test(v) && locs[name]) {
          out.push({
            messageId: 'debug',
            data: { name, value: v, file: t.file },
            loc: locs[name],
            target: t,
            help: `${name}=0 (or leave it unset) in production`,
          });
        }
      }
      if (env.DJANGO_RUNSERVER_HIDE_WARNING !== undefined && locs.DJANGO_RUNSERVER_HIDE_WARNING) {
        out.push({
          messageId: 'hideWarning',
          data: { file: t.file },
          loc: locs.DJANGO_RUNSERVER_HIDE_WARNING,
          target: t,
        });
      }
    }
    return out;
  },
});

/** `--reload` on the command line, or `reload` set in the server's configuration file. */
function reloadSource(name: string, where: string, commandFile: string): string {
  return where === commandFile ? `\`--${name}\`` : `\`${name}\` set in ${where}`;
}
