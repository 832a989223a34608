import { judge } from '../model/production.js';
import { defineRule, type Report } from './types.js';

const isDev = (f: string) => !judge(f).production || /\{\{|\{%/.test(f);

const messages = {
  onlyDevelopment:
    '{{managePy}} makes this a Django project, but no production start-up was found (only development files: {{files}}); nothing was checked. If one of those files is used in production, list it under `targets: production:` in .django-deploy-lint.yml',
  nothing:
    '{{managePy}} makes this a Django project, but no production start-up was found (no Procfile, no Dockerfile with a start command, no compose service running Django, no systemd unit); nothing was checked. If the app is started some other way, turn this off with `rules: { DPL003: off }` in .django-deploy-lint.yml',
} as const;

export const noProductionTarget = defineRule({
  id: 'DPL003',
  name: 'no-production-target',
  severity: 'warning',
  summary: 'A Django project (manage.py or a `django` dependency) with no production target found.',
  messages,
  check({ repo, targets }) {
    if (targets.some((t) => t.production)) return [];
    const managePy = repo.named('manage.py').find((f) => !isDev(f));
    // A Django *project* has its WSGI/ASGI module; a library's manage.py (tests, demo) does not.
    const packages = repo.named('__init__.py').filter((f) => /(^|\/)(wsgi|asgi)\/__init__\.py$/.test(f));
    const project = [...repo.named('wsgi.py'), ...repo.named('asgi.py'), ...packages].some((f) => !isDev(f));
    if (!managePy || !project) return [];
    const dev = [...new Set(targets.filter((t) => !t.production).map((t) => t.file))];
    const loc = { file: managePy, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const r: Report<keyof typeof messages> = {
      ...(dev.length > 0 ? { messageId: 'onlyDevelopment', data: { managePy, files: dev.slice(0, 5).join(', ') } } : { messageId: 'nothing', data: { managePy } }),
      loc,
      target: null,
    };
    return [r];
  },
});
