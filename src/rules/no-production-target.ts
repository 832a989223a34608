import * as path from 'node:path';
import { judge } from '../model/production.js';
import type { Report, Rule } from './types.js';

const isDev = (f: string) => !judge(f).production || /\{\{|\{%/.test(f);

/** Deployment descriptors this version does not read yet (SPEC §2, later target kinds). */
const UNREAD = /(?!)/; // none left: startup.txt is read by the azure target

export const noProductionTarget: Rule = {
  id: 'DPL003',
  name: 'no-production-target',
  severity: 'warning',
  summary: 'A Django project (manage.py or a `django` dependency) with no production target found.',
  check({ repo, targets }) {
    if (targets.some((t) => t.production)) return [];
    const managePy = repo.files.find((f) => path.posix.basename(f) === 'manage.py' && !isDev(f));
    // A Django *project* has its WSGI/ASGI module; a library's manage.py (tests, demo) does not.
    const project = repo.files.some((f) => /(^|\/)(wsgi|asgi)(\.py|\/__init__\.py)$/.test(f) && !isDev(f));
    if (!managePy || !project) return [];
    const dev = [...new Set(targets.filter((t) => !t.production).map((t) => t.file))];
    const unread = repo.files.filter((f) => UNREAD.test(path.posix.basename(f)) && !isDev(f));
    const loc = { file: managePy, line: 1, column: 1, endLine: 1, endColumn: 1 };
    if (unread.length > 0) {
      return [
        {
          message: `${managePy} makes this a Django project deployed through ${unread.slice(0, 3).join(', ')}, which this version of django-deploy-lint does not read yet; nothing was checked`,
          loc,
          target: null,
          severity: 'notice',
        },
      ];
    }
    const r: Report = {
      message:
        `${managePy} makes this a Django project, but no production start-up was found ` +
        (dev.length > 0 ? `(only development files: ${dev.slice(0, 5).join(', ')})` : '(no Procfile, no Dockerfile with a start command, no compose service running Django, no systemd unit)') +
        '; nothing was checked. ' +
        (dev.length > 0
          ? 'If one of those files is used in production, list it under `targets: production:` in .django-deploy-lint.yml'
          : 'If the app is started some other way, turn this off with `rules: { DPL003: off }` in .django-deploy-lint.yml'),
      loc,
      target: null,
    };
    return [r];
  },
};
