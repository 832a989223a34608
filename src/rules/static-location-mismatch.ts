/**
 * DPL302 static-location-mismatch: the web server's location for STATIC_URL does not point at the
 * directory collectstatic fills (STATIC_ROOT as the app's process sees it: the image's WORKDIR and
 * COPYs, the unit's WorkingDirectory, a compose volume mounted in both services). Also an nginx /
 * Apache alias for a prefix ending in `/` whose directory lacks the trailing `/` (every file is
 * looked up as `…staticfilescss/site.css`). Silent whenever a side is uncertain.
 */
import type { Target } from '../model/types.js';
import { realServers, servesHttp, textAt } from '../facts/helpers.js';
import { deployments, mounts, translate } from '../facts/deployments.js';
import { describeChoice } from '../facts/settings-facts.js';
import { staticUrlPath } from '../facts/static-facts.js';
import { defineRule, type Report } from './types.js';
import { type StaticRootSeen, servedDir, serviceOf, sharesVolumesFrom, staticRootSeen } from '../facts/static-root.js';

const messages = {
  noTrailingSlash: '{{server}} in {{file}} maps `{{prefix}}` to `{{alias}}` without a trailing slash',
  elsewhere: '{{server}} in {{file}} serves `{{prefix}}` from `{{served}}`, but collectstatic writes to STATIC_ROOT `{{root}}`',
} as const;

export const staticLocationMismatch = defineRule({
  id: 'DPL302',
  name: 'static-location-mismatch',
  severity: 'warning',
  summary: "The web server's static location does not point at STATIC_ROOT.",
  messages,
  // The missing trailing slash of an alias: every lookup under the prefix fails today, and the
  // slash makes it the directory the alias names. Nothing that works can change.
  fixable: 'safe',
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const seen = new Set<string>();
    for (const d of deployments(project, targets)) {
      const { facts } = d.config;
      // The app targets of the deployment, each with STATIC_ROOT as its processes see it.
      const apps: { t: Target; root: StaticRootSeen; url: string | null }[] = [];
      let uncertain = false;
      for (const t of d.targets) {
        const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
        if (!web) continue;
        const { server, at } = realServers(web)[0];
        const root = staticRootSeen(project, t, t.collectstatic, t.collectstatic ? null : server);
        if (!root) {
          uncertain = true;
          continue;
        }
        apps.push({ t, root, url: staticUrlPath(root.choice.facts) });
        void at;
      }
      for (const l of facts.staticLocations) {
        // nginx/Apache: `location /static/ { alias /x/staticfiles; }` looks up /x/staticfilescss/site.css.
        if (facts.server !== 'caddy' && l.alias && l.prefix.endsWith('/') && !l.alias.endsWith('/') && !/[$]/.test(l.alias) && l.modifier !== '~' && l.modifier !== '~*' && /static/i.test(l.prefix)) {
          const loc = l.valueLoc ?? l.loc;
          const key = `${loc.file}:${loc.line}:${loc.column}`;
          if (!seen.has(key)) {
            seen.add(key);
            out.push({
              messageId: 'noTrailingSlash',
              data: { server: facts.server, file: facts.file, prefix: l.prefix, alias: l.alias },
              notes: [`\`${l.prefix}css/site.css\` is looked up as \`${l.alias}css/site.css\`, so every static file returns 404`],
              loc,
              target: d.targets[0] ?? null,
              help: facts.server === 'nginx' ? `alias ${l.alias}/;` : `Alias ${l.prefix} ${l.alias}/`,
              // The value as written in the file (not through a variable or an include).
              ...(textAt(project.repo, loc) === l.alias
                ? { fix: { title: `Add the trailing slash: ${l.alias}/`, safety: 'safe' as const, edits: [{ file: loc.file, range: { start: { line: loc.endLine, column: loc.endColumn }, end: { line: loc.endLine, column: loc.endColumn } }, text: '/' }] } }
                : {}),
            });
          }
          continue;
        }
        if (uncertain || apps.length === 0) continue;
        const checks: { t: Target; root: StaticRootSeen; dir: string | null; served: string }[] = [];
        let unknown = false;
        for (const a of apps) {
          if (a.url === null) {
            unknown = true;
            continue;
          }
          const served = servedDir(l, a.url);
          if (served === null) continue;
          let dir: string | null = served;
          if (d.kind === 'compose') {
            const svc = serviceOf(d, a.t);
            dir = svc ? translate(d.composeFile!, d.proxy!, svc, served) : null;
            if (dir === null) {
              // A stock web server image (not built here) has only its volumes: a folder outside them is empty.
              const outside = !d.proxy!.build && !sharesVolumesFrom(project, d) && !mounts(d.composeFile!, d.proxy!).some((m) => served === m.target || served.startsWith(m.target + '/') || m.target.startsWith(served + '/'));
              if (!outside) {
                unknown = true; // built into the web server's image, or a volume another service fills
                continue;
              }
              checks.push({ t: a.t, root: a.root, dir: null, served });
              continue;
            }
          }
          checks.push({ t: a.t, root: a.root, dir: dir.replace(/(.)\/+$/, '$1'), served });
        }
        if (unknown || checks.length === 0 || checks.some((c) => c.dir === c.root.dir)) continue;
        const c = checks[0];
        const loc = l.valueLoc ?? l.loc;
        const key = `${loc.file}:${loc.line}:${loc.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const svc = d.kind === 'compose' ? serviceOf(d, c.t) : null;
        const seenAs =
          c.dir === null
            ? ` (no volume of service \`${d.proxy?.name}\` holds that folder, so it is empty in the ${d.proxy?.image?.value ?? 'web server'} image)`
            : c.dir !== c.served
              ? ` (\`${c.dir}\` in service \`${svc?.name}\`, through the volume both mount)`
              : '';
        const back = d.kind === 'compose' && svc ? translate(d.composeFile!, svc, d.proxy!, c.root.dir) : c.root.dir;
        out.push({
          messageId: 'elsewhere',
          data: { server: facts.server, file: facts.file, prefix: l.prefix, served: c.served, root: c.root.dir },
          notes: [
            ...(seenAs ? [seenAs.trim().replace(/^\((.*)\)$/, '$1')] : []),
            `STATIC_ROOT: ${c.root.how}, ${describeChoice(c.root.choice)}`,
            'the web server looks where no collected file is, so every static request returns 404',
            'if that folder is filled outside this repository, silence this with `rules: { DPL302: off }` in .django-deploy-lint.yml',
          ],
          loc,
          target: c.t,
          help: back
            ? facts.server === 'nginx'
              ? `alias ${back}/; in location ${l.prefix}`
              : `serve ${l.prefix} from ${back}`
            : `mount the volume that holds ${c.root.dir} in service \`${d.proxy?.name}\` and serve ${l.prefix} from there`,
        });
      }
    }
    return out;
  },
});
