import type { Repo } from '../discover/repo.js';
import type { Location } from '../core/location.js';
import { processLabel, productionTargets, realServers, textAt } from '../facts/helpers.js';
import { defineRule, type Fix, type Report } from './types.js';

const HOST_KINDS = new Set<string>(['systemd', 'supervisord', 'uwsgi-ini', 'makefile']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:|$)/;
/** Servers that listen on 127.0.0.1 unless told otherwise (gunicorn reads $PORT by itself;
 * waitress listens on 0.0.0.0:8080 by default). */
const LOOPBACK_BY_DEFAULT = new Set(['uvicorn', 'daphne', 'hypercorn', 'granian', 'gunicorn']);
/** Servers that ignore $PORT unless it is passed (docs/architecture.md, "Rules": gunicorn reads it by itself). */
const NEEDS_PORT = new Set(['uwsgi', 'uvicorn', 'daphne', 'hypercorn', 'granian', 'waitress', 'mod_wsgi']);

const messages = {
  ignoresPort:
    '{{process}} runs {{server}} {{bound}}, but the platform routes traffic to `$PORT`, which {{server}} does not read by itself; the dyno fails its boot check',
  loopback:
    '{{process}} binds {{server}} to {{binds}} only: inside a container that address is unreachable from outside it (other containers and the published port get "connection refused")',
  noBind: '{{process}} runs {{server}} without a bind address, so it listens on 127.0.0.1 only: inside a container that is unreachable from outside it',
} as const;

export const unreachableBind = defineRule({
  id: 'DPL107',
  name: 'unreachable-bind',
  severity: 'warning',
  summary: 'A container or platform web process bound only to 127.0.0.1/localhost; a Procfile web process that ignores `$PORT`.',
  messages,
  // 127.0.0.1 → 0.0.0.0 opens the port on every interface of the container: what the rule asks
  // for, but a change of exposure a person confirms.
  fixable: 'unsafe',
  check({ repo, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const gunicornConf = ['gunicorn.py', 'gunicorn.conf.py', 'gunicorn_conf.py', 'gunicorn.config.py', 'gunicornconfig.py'].some((n) => repo.named(n).length > 0);
    for (const t of productionTargets(targets)) {
      // A host process (systemd, supervisord, a uWSGI ini) behind nginx on the same machine may bind loopback.
      if (HOST_KINDS.has(t.kind) && !t.facts.dockerfile) continue;
      for (const p of t.processes) {
        if (p.role !== 'web') continue;
        for (const { server, at } of realServers(p)) {
          const binds = server.bind.map((b) => b.value);
          const env = { ...(t.facts.env ?? {}), ...at.env };
          if (t.kind === 'procfile') {
            if (!NEEDS_PORT.has(server.kind) && !(server.kind === 'gunicorn' && binds.length > 0)) continue;
            if (binds.some((b) => /PORT/.test(b)) || (server.kind === 'uwsgi' && server.options.ini)) continue;
            out.push({
              messageId: 'ignoresPort',
              data: { process: processLabel(t, p), server: server.kind, bound: binds.length > 0 ? `bound to \`${binds.join(', ')}\`` : 'without a bind' },
              loc: server.bind[0]?.loc ?? server.command.loc,
              via: at.chain,
              target: t,
              help: server.kind === 'uvicorn' ? '--host 0.0.0.0 --port $PORT' : server.kind === 'uwsgi' ? '--http :$PORT' : '--bind 0.0.0.0:$PORT',
            });
            continue;
          }
          // uvicorn and daphne given only a port listen on their default host, 127.0.0.1.
          const loop = server.bind.filter((b) => LOOPBACK.test(b.value) || ((server.kind === 'uvicorn' || server.kind === 'daphne') && b.value.startsWith(':')));
          if (server.bind.length > 0 && loop.length === server.bind.length) {
            out.push({
              messageId: 'loopback',
              data: {
                process: processLabel(t, p),
                server: server.kind,
                binds: loop.map((b) => (b.value.startsWith(':') ? `\`127.0.0.1${b.value}\` (a port without a host: ${server.kind}'s default host is 127.0.0.1)` : `\`${b.value}\``)).join(', '),
              },
              loc: loop[0].loc,
              via: at.chain,
              target: t,
              help: server.kind === 'uvicorn' ? '--host 0.0.0.0' : server.kind === 'daphne' ? '-b 0.0.0.0' : server.kind === 'uwsgi' ? `--http 0.0.0.0:${loop[0].value.split(':').pop() || '8000'}` : `--bind 0.0.0.0:${loop[0].value.split(':').pop() || '8000'}`,
              ...loopbackFix(repo, loop),
            });
          } else if (server.bind.length === 0 && LOOPBACK_BY_DEFAULT.has(server.kind)) {
            if (server.kind === 'gunicorn' && (gunicornConf || server.options.config || env.PORT !== undefined || env.GUNICORN_CMD_ARGS !== undefined)) continue;
            if (server.kind === 'granian' || server.kind === 'hypercorn') continue; // defaults differ by version; no finding without certainty
            out.push({
              messageId: 'noBind',
              data: { process: processLabel(t, p), server: server.kind },
              loc: server.command.words[server.argStart]?.loc ?? server.command.loc,
              via: at.chain,
              target: t,
              help: server.kind === 'uvicorn' ? '--host 0.0.0.0' : server.kind === 'daphne' ? '-b 0.0.0.0' : '--bind 0.0.0.0:8000',
            });
          }
        }
      }
    }
    return out;
  },
});

/**
 * One loopback address written literally (`127.0.0.1:8000`, `localhost:8000`, `[::1]:8000`, or
 * the host alone) becomes `0.0.0.0` with the same port; anything else (a port alone, a variable,
 * several binds) has no edit.
 */
function loopbackFix(repo: Repo, loop: { value: string; loc: Location }[]): { fix?: Fix } {
  if (loop.length !== 1) return {};
  const { value, loc } = loop[0];
  const m = /^(?:127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.exec(value);
  if (!m || textAt(repo, loc) !== value) return {};
  return { fix: { title: `Bind to 0.0.0.0${m[1] ?? ''} instead of ${value}`, safety: 'unsafe', edits: [{ file: loc.file, range: { start: { line: loc.line, column: loc.column }, end: { line: loc.endLine, column: loc.endColumn } }, text: `0.0.0.0${m[1] ?? ''}` }] } };
}
