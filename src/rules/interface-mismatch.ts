import type { Project } from '../model/project.js';
import { readGunicornConfig } from '../model/server-config.js';
import { processLabel, productionTargets, realServers } from './helpers.js';
import { defineRule, type Report } from './types.js';

const ASGI_WORKERS = /uvicorn(_worker)?\.workers?\.Uvicorn|UvicornWorker|UvicornH11Worker/;

/** Which interface an app module is: by the name of the module file Django generates. */
function appInterface(app: string): 'wsgi' | 'asgi' | null {
  const mod = app.split(':')[0];
  const last = mod.split('.').pop() ?? '';
  if (/wsgi/i.test(last)) return 'wsgi';
  if (/asgi/i.test(last)) return 'asgi';
  return null;
}

const messages = {
  mismatch: '{{process}}: {{problem}}; every request fails at start-up or returns errors',
} as const;

export const interfaceMismatch = defineRule({
  id: 'DPL106',
  name: 'interface-mismatch',
  severity: 'error',
  summary: 'An ASGI server pointed at a WSGI module, or gunicorn at an ASGI app without an ASGI worker class.',
  messages,
  check({ targets, project }) {
    const out: Report<keyof typeof messages>[] = [];
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
            // A config file that is not read may set the worker class; a class of the project
            // may be an ASGI worker (a subclass of UvicornWorker): only a known WSGI worker errs.
            const cfg = server.options.config?.value ?? null;
            const configUnread = cfg !== null && !server.options.workerClass && !(server.configRead && readGunicornConfig(project, server.configRead)?.worker_class === undefined);
            const kind = wc ? workerInterface(project, wc) : configUnread ? null : 'wsgi';
            if (kind === 'wsgi') {
              problem = `gunicorn speaks WSGI, but \`${server.app}\` is an ASGI app and ${wc ? `the worker class \`${wc}\` is a WSGI worker` : 'no ASGI worker class is set'}`;
              fix = '-k uvicorn_worker.UvicornWorker';
            }
          }
          if (!problem) continue;
          out.push({
            messageId: 'mismatch',
            data: { process: processLabel(t, p), problem },
            loc: server.appLoc,
            via: at.chain,
            target: t,
            ...(fix ? { help: fix } : {}),
          });
        }
      }
    }
    return out;
  },
});

const WSGI_WORKERS = /^(sync|gthread|gevent|eventlet|tornado|gunicorn\.workers\.[\w.]+)$/;

/**
 * Which interface a gunicorn worker class speaks: `asgi` for the Uvicorn workers and project
 * classes built on them (found in the repository, bases walked), `wsgi` for gunicorn's own
 * workers, null when it cannot be told (then nothing is reported).
 */
export function workerInterface(project: Project, wc: string, depth = 0): 'asgi' | 'wsgi' | null {
  if (ASGI_WORKERS.test(wc)) return 'asgi';
  if (WSGI_WORKERS.test(wc)) return 'wsgi';
  const m = /^([A-Za-z_][\w.]*)\.([A-Za-z_]\w*)$/.exec(wc);
  if (!m || depth > 6) return null;
  const file = moduleFile(project, m[1]);
  const text = file ? project.repo.text(file) : null;
  if (!text) return null;
  const cls = new RegExp(`^class\\s+${m[2]}\\s*\\(([^)]*)\\)\\s*:`, 'm').exec(text);
  if (!cls) return null;
  for (const base of cls[1].split(',').map((b) => b.trim()).filter((b) => b && !b.includes('='))) {
    if (ASGI_WORKERS.test(base)) return 'asgi';
    const head = base.split('.')[0];
    const imp = new RegExp(`^from\\s+([\\w.]+)\\s+import\\s+[^\\n]*\\b${head}\\b`, 'm').exec(text);
    const full = imp ? `${imp[1]}.${base}` : base.includes('.') ? base : `${m[1]}.${base}`;
    const r = workerInterface(project, full, depth + 1);
    if (r) return r;
  }
  return null;
}

/** The repository file of a dotted module (`paperless.workers` → src/paperless/workers.py). */
function moduleFile(project: Project, mod: string): string | null {
  const rel = mod.replace(/\./g, '/');
  const last = rel.split('/').pop()!;
  const hits = [...project.repo.named(`${last}.py`), ...project.repo.named('__init__.py')].filter((f) => f === `${rel}.py` || f.endsWith(`/${rel}.py`) || f === `${rel}/__init__.py` || f.endsWith(`/${rel}/__init__.py`));
  return hits.length === 1 ? hits[0] : null;
}
