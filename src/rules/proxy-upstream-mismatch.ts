/**
 * DPL301 proxy-upstream-mismatch: a web server configuration of a production deployment proxies
 * to an address (host:port or Unix socket) that no app server of that deployment binds.
 * Which configuration belongs to which deployment: src/facts/deployments.ts.
 */
import type { ChainStep, ServerInfo, Target } from '../model/types.js';
import { defineRule, type Report } from './types.js';
import { type Bind, CHECKED, LOCAL, deployments, describeBinds, knownBinds, protocolOf, socketUnits, translate } from '../facts/deployments.js';

const messages = {
  protocol: '{{server}} in {{file}} sends {{sends}} to `{{target}}`, but {{app}} listens there with {{listens}}',
  nothingListens: '{{server}} in {{file}} proxies to {{addr}}{{upstream}}, but {{who}} {{binds}}',
} as const;

const SILENCE_301 = 'if the app is reached through infrastructure outside this repository, silence this with `rules: { DPL301: off }` in .django-deploy-lint.yml';

export const proxyUpstreamMismatch = defineRule({
  id: 'DPL301',
  name: 'proxy-upstream-mismatch',
  severity: 'warning',
  summary: 'The web server proxies to a socket or port that no app server binds.',
  messages,
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const seen = new Set<string>();
    for (const d of deployments(project, targets)) {
      const { facts } = d.config;
      for (const up of facts.upstreams) {
        if (!CHECKED.has(up.kind) || up.variable || up.target.includes('{')) continue;
        let fronted: Target[] = [];
        let socket: string | null = up.socket;
        if (d.kind === 'compose') {
          if (up.socket) {
            // A socket shared through a volume: the app sees it at its own mount of that volume.
            fronted = [];
            for (const t of d.targets) {
              const svc = d.services!.find((s) => t.id === `${d.composeFile}#${s.name}` || t.id.endsWith(`#${s.name}`));
              const seen2 = svc ? translate(d.composeFile!, d.proxy!, svc, up.socket) : null;
              if (svc && seen2) {
                fronted.push(t);
                socket = seen2;
              }
            }
            if (fronted.length !== 1) continue;
          } else {
            if (!up.host || LOCAL.test(up.host)) continue;
            const svc = d.services!.find((s) => s.name === up.host);
            if (!svc) continue; // another host (a container outside this file, a public site)
            fronted = d.targets.filter((t) => t.id.endsWith(`#${svc.name}`));
            if (fronted.length === 0) continue; // a service that is not the Django app (a frontend, an API gateway)
          }
        } else {
          if (!up.socket && (!up.host || !LOCAL.test(up.host))) continue;
          fronted = d.targets;
        }
        // systemd socket activation: the .socket unit listens and hands the socket to the server.
        const activated = d.kind === 'host' ? socketUnits(project) : [];
        const known = activated.length > 0 ? { binds: activated } : knownBinds(fronted);
        if (!known) continue;
        const binds: (Bind & { server?: ServerInfo; chain?: ChainStep[]; what?: string; raw?: string })[] = known.binds;
        const match = binds.some((b) => b.socket === null && b.port === null) || (socket !== null ? binds.some((b) => b.socket === socket) : binds.some((b) => b.port === up.port));
        if (match) {
          // Same address, other protocol: uwsgi_pass to an HTTP server, or HTTP to a uWSGI `--socket` (the uwsgi protocol).
          const same = binds.filter((b) => (socket !== null ? b.socket === socket : b.port === up.port));
          const protocols = same.map((b) => protocolOf(b));
          const wrong =
            up.kind === 'uwsgi_pass' ? protocols.every((x) => x === 'http') : up.kind !== 'upstream-server' && protocols.every((x) => x === 'uwsgi');
          if (!wrong || same.length === 0) continue;
          const b = same[0];
          const key = `${up.loc.file}:${up.loc.line}:${up.loc.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const uwsgiSide = up.kind === 'uwsgi_pass';
          out.push({
            messageId: 'protocol',
            data: {
              server: facts.server,
              file: facts.file,
              sends: uwsgiSide ? 'the uwsgi protocol (`uwsgi_pass`)' : `HTTP (\`${up.kind}\`)`,
              target: up.target,
              app: b.server!.kind,
              listens: uwsgiSide ? `HTTP (\`${b.raw}\`${b.server!.kind === 'uwsgi' ? ', an --http/--http-socket' : ''})` : `the uwsgi protocol (\`--socket ${b.raw}\`)`,
            },
            notes: ['the two do not understand each other, so every request returns 502 Bad Gateway (or garbage)', SILENCE_301],
            loc: up.loc,
            via: b.chain ?? [],
            target: fronted[0],
            help: uwsgiSide ? (b.server!.kind === 'uwsgi' ? `uwsgi --socket ${b.raw} instead of --http (or proxy_pass http://${up.target};)` : `proxy_pass http://${up.target};`) : `uwsgi --http-socket ${b.raw} (or uwsgi_pass ${up.target}; with include uwsgi_params;)`,
          });
          continue;
        }
        // On a host or in one container, other upstreams may be other programs (a frontend, flower):
        // report only when no upstream of the file reaches the app at all.
        if (d.kind !== 'compose' && facts.upstreams.some((o) => o !== up && !o.variable && binds.some((b) => (o.socket !== null ? b.socket === o.socket : o.port !== null && b.port === o.port)))) continue;
        const key = `${up.loc.file}:${up.loc.line}:${up.loc.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const first = binds[0];
        const servers = [...new Set(binds.map((b) => b.server?.kind ?? b.what ?? 'the socket unit'))].join('/');
        const where = d.kind === 'compose' ? `service \`${fronted[0].id.split('#')[1]}\` of ${d.composeFile}` : d.kind === 'container' ? `the same container (${fronted[0].file})` : fronted.map((t) => t.file).join(', ');
        const addr = socket !== null ? `the Unix socket \`${socket}\`${socket !== up.socket ? ` (\`${up.socket}\` in the web server's container)` : ''}` : `\`${up.host}:${up.port}\``;
        out.push({
          messageId: 'nothingListens',
          data: {
            server: facts.server,
            file: facts.file,
            addr,
            upstream: up.upstream ? ` (upstream \`${up.upstream}\`)` : '',
            who: activated.length > 0 ? `the systemd socket units (${[...new Set(activated.map((b) => b.chain[0].file))].join(', ')}) listen on` : `${servers} in ${where} binds`,
            binds: describeBinds(binds),
          },
          notes: ['nothing listens there, so every request returns 502 Bad Gateway', SILENCE_301],
          loc: up.loc,
          via: first?.chain ?? [],
          target: fronted[0],
          help: first?.socket ? `point the proxy at unix:${first.socket}` : first ? `point the proxy at ${d.kind === 'compose' ? fronted[0].id.split('#')[1] : '127.0.0.1'}:${first.port}` : undefined,
        });
      }
    }
    return out;
  },
});
