import * as path from 'node:path';
import { processLabel, productionTargets, realServers } from './helpers.js';
import { defineRule, type Report } from './types.js';

/** `proj.wsgi:application` → `proj/wsgi`; a uWSGI `wsgi-file` is a path already. */
function modulePath(app: string, kind: string, isFile: boolean): string | null {
  if (isFile) return app.replace(/^\.\//, '');
  let mod = app.split(':')[0];
  if (kind === 'mod_wsgi' && mod.endsWith('.py')) return mod.replace(/^\.\//, '').replace(/\.py$/, '');
  mod = mod.replace(/\(.*$/, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(mod)) return null;
  return mod.replace(/\./g, '/');
}

const messages = {
  notFound: '{{process}} points {{server}} at `{{app}}`, but no {{what}} `{{wanted}}` exists in the repository, so the server fails to start{{hint}}',
} as const;

export const appModuleNotFound = defineRule({
  id: 'DPL104',
  name: 'app-module-not-found',
  severity: 'error',
  summary: 'The app module given to the server does not resolve to a file in the repo.',
  messages,
  check({ repo, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const files = repo.files;
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        for (const { server, at } of realServers(p)) {
          if (server.app === null || !server.appLoc) continue;
          const isFile = server.kind === 'uwsgi' && !server.options.module;
          const mp = modulePath(server.app, server.kind, isFile);
          if (mp === null) continue;
          // Precision first: the module counts as found when its file exists anywhere in the
          // repo (a --chdir, WORKDIR, PYTHONPATH or installed package can make any folder a root).
          const wanted = isFile ? [mp] : [`${mp}.py`, `${mp}/__init__.py`];
          const found = wanted.some((w) => repo.named(w.slice(w.lastIndexOf('/') + 1)).some((f) => f === w || f.endsWith('/' + w)));
          if (found) continue;
          // A top-level package the repo does not hold at all is likely installed (`pip install
          // pretalx`); only report when the repo holds the project (a package of that name, or a
          // wsgi/asgi module the name was probably meant to be).
          const top = mp.split('/')[0];
          const topInRepo = files.some((f) => f === `${top}.py` || f.startsWith(`${top}/`) || f.includes(`/${top}/`));
          // Suggestions: the project's WSGI/ASGI modules as dotted names from the folder of
          // manage.py (the usual working directory), the same interface first.
          const root = appRoot(files);
          const wantAsgi = /asgi/.test(mp);
          const suggestion = files
            .filter((f) => f.startsWith(root) && /(^|\/)(wsgi|asgi)\.py$/.test(f) && !/(^|\/)(tests?|node_modules|site-packages)\//.test(f))
            .map((f) => f.slice(root.length).replace(/\.py$/, '').replace(/\//g, '.'))
            .filter((m) => m !== mp.replace(/\//g, '.'))
            .sort((a, b) => Number(/asgi/.test(b) === wantAsgi) - Number(/asgi/.test(a) === wantAsgi) || (a < b ? -1 : a > b ? 1 : 0));
          if (!topInRepo && suggestion.length === 0) continue;
          const hint = suggestion.length > 0 ? `; did you mean \`${suggestion[0]}\`${suggestion.length > 1 ? ` (or ${suggestion.slice(1, 3).map((s) => `\`${s}\``).join(', ')})` : ''}?` : '';
          out.push({
            messageId: 'notFound',
            data: { process: processLabel(t, p), server: server.kind, app: server.app, what: isFile ? 'file' : 'module', wanted: wanted.join('` or `'), hint },
            loc: server.appLoc,
            via: at.chain,
            target: t,
            ...(suggestion.length > 0 ? { help: `${suggestion[0]}${server.app.includes(':') ? ':application' : ''}` } : {}),
          });
          void path;
        }
      }
    }
    return out;
  },
});

/** The folder of the shallowest manage.py (with a trailing `/`), or the repository root. */
function appRoot(files: readonly string[]): string {
  const m = files.filter((f) => /(^|\/)manage\.py$/.test(f)).sort((a, b) => a.split('/').length - b.split('/').length)[0];
  return m && m.includes('/') ? m.slice(0, m.lastIndexOf('/') + 1) : '';
}
