import { processLabel, productionTargets, realServers } from './helpers.js';
import type { Report, Rule } from './types.js';

const ASGI_WORKERS = /uvicorn(_worker)?\.workers?\.Uvicorn|UvicornWorker|UvicornH11Worker/;

/** Which interface an app module is: by the name of the module file Django generates. */
function appInterface(app: string): 'wsgi' | 'asgi' | null {
  const mod = app.split(':')[0];
  const last = mod.split('.').pop() ?? '';
  if (/wsgi/i.test(last)) return 'wsgi';
  if (/asgi/i.test(last)) return 'asgi';
  return null;
}

export const interfaceMismatch: Rule = {
  id: 'DPL106',
  name: 'interface-mismatch',
  severity: 'error',
  summary: 'An ASGI server pointed at a WSGI module, or gunicorn at an ASGI app without an ASGI worker class.',
  check({ targets }) {
    const out: Report[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        for (const { server, at } of realServers(p)) {
          if (!server.app || !server.appLoc) continue;
          const iface = appInterface(server.app);
          if (!iface) continue;
          const optIface = server.options.interface?.value ?? null;
          let problem: string | null = null;
          let fix: string | undefined;
          if ((server.kind === 'uvicorn' || server.kind === 'daphne') && iface === 'wsgi' && optIface !== 'wsgi') {
            problem = `${server.kind} is an ASGI server, but \`${server.app}\` is the WSGI entry point`;
            fix = server.app.replace(/wsgi/, 'asgi');
            if (server.kind === 'uvicorn') fix += ' (or add --interface wsgi)';
          } else if (server.kind === 'granian') {
            const effective = optIface ?? 'rsgi';
            // `asginl` is ASGI without the lifespan protocol.
            if (effective.replace(/^asginl$/, 'asgi') !== iface) {
              problem = `granian serves the \`${effective}\` interface${optIface ? '' : ' by default'}, but \`${server.app}\` is an ${iface.toUpperCase()} app`;
              fix = `--interface ${iface}`;
            }
          } else if (server.kind === 'gunicorn' && iface === 'asgi') {
            const wc = server.options.workerClass?.value ?? '';
            if (!ASGI_WORKERS.test(wc)) {
              problem = `gunicorn speaks WSGI, but \`${server.app}\` is an ASGI app and no ASGI worker class is set${wc ? ` (\`-k ${wc}\`)` : ''}`;
              fix = '-k uvicorn_worker.UvicornWorker';
            }
          }
          if (!problem) continue;
          out.push({
            message: `${processLabel(t, p)}: ${problem}; every request fails at start-up or returns errors`,
            loc: server.appLoc,
            via: at.chain,
            target: t,
            ...(fix ? { fix } : {}),
          });
        }
      }
    }
    return out;
  },
};
