import { judge } from '../model/production.js';
import type { Report, Rule } from './types.js';

const judgeDev = (f: string) => !judge(f).production;

export const noProductionTarget: Rule = {
  id: 'DPL003',
  name: 'no-production-target',
  severity: 'warning',
  summary: 'A Django project (manage.py or a `django` dependency) with no production target found.',
  check({ repo, targets }) {
    if (targets.some((t) => t.production)) return [];
    // A manage.py under tests/, example/, sample_project/ belongs to a library's test or demo app.
    const managePy = repo.files.find((f) => (f === 'manage.py' || f.endsWith('/manage.py')) && !/\{\{|\{%/.test(f) && !judgeDev(f));
    if (!managePy) return [];
    const dev = targets.filter((t) => !t.production).map((t) => t.file);
    const r: Report = {
      message:
        `${managePy} makes this a Django project, but no production start-up was found ` +
        (dev.length > 0 ? `(only development files: ${[...new Set(dev)].slice(0, 5).join(', ')})` : '(no Procfile, Dockerfile, compose file or systemd unit)') +
        '; nothing was checked. If it is deployed from files elsewhere, say where with `targets: production:` in .django-deploy-lint.yml',
      loc: { file: managePy, line: 1, column: 1, endLine: 1, endColumn: 1 },
      target: null,
    };
    return [r];
  },
};
