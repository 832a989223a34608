import { toJson } from '../src/report/json.js';
import { finding, herokuResult, loc, process_, resolved, result, step, target } from './report-factory.js';

describe('toJson (docs/architecture.md, "Reporting", version 1)', () => {
  test('the Heroku example maps onto exactly the documented shape', () => {
    expect(toJson(herokuResult())).toEqual({
      version: 1,
      root: '.',
      targets: [
        {
          id: 'procfile:Procfile',
          kind: 'procfile',
          file: 'Procfile',
          line: 1,
          production: true,
          productionReason: 'a Procfile is run by Heroku, Dokku and Scalingo',
          processes: [
            {
              role: 'web',
              server: 'runserver',
              app: null,
              serverAt: { file: 'Procfile', line: 1 },
              chain: [{ file: 'Procfile', line: 1, text: 'web: python manage.py runserver 0.0.0.0:$PORT' }],
            },
          ],
          collectstatic: null,
        },
      ],
      findings: [
        {
          ruleId: 'DPL101',
          rule: 'runserver-in-production',
          severity: 'error',
          target: 'procfile:Procfile',
          message: '`python manage.py runserver` is the development server and serves this production target',
          file: 'Procfile',
          line: 1,
          column: 6,
          endLine: 1,
          endColumn: 46,
          via: [],
          fix: 'run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
        },
      ],
      summary: { errors: 1, warnings: 0, notices: 0 },
    });
  });

  test('key order follows the spec', () => {
    const j = toJson(herokuResult());
    expect(Object.keys(j)).toEqual(['version', 'root', 'targets', 'findings', 'summary']);
    expect(Object.keys(j.targets[0])).toEqual(['id', 'kind', 'file', 'line', 'production', 'productionReason', 'processes', 'collectstatic']);
    expect(Object.keys(j.targets[0].processes[0])).toEqual(['role', 'server', 'app', 'serverAt', 'chain']);
    expect(Object.keys(j.findings[0])).toEqual(['ruleId', 'rule', 'severity', 'target', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'via', 'fix']);
  });

  test('the first server, its place, collectstatic, via without extra fields', () => {
    const dockerChain = [step('Dockerfile', 12, 'CMD ["/start"]'), step('docker/start.sh', 7, 'exec gunicorn proj.wsgi:application')];
    const t = target({
      id: 'dockerfile:Dockerfile',
      kind: 'dockerfile',
      file: 'Dockerfile',
      line: 12,
      productionReason: 'no development marker',
      processes: [
        process_('web', 'web', [
          { kind: 'gunicorn', app: 'proj.wsgi:application', text: 'gunicorn proj.wsgi:application', at: loc('docker/start.sh', 7, 6, 37), chain: dockerChain },
          { kind: 'uvicorn', app: 'proj.asgi:application', text: 'uvicorn proj.asgi:application', at: loc('docker/start.sh', 9), chain: [] },
        ]),
      ],
      collectstatic: resolved('python manage.py collectstatic --noinput', loc('docker/start.sh', 5), []),
    });
    const f = finding({ target: null, via: [{ file: 'Dockerfile', line: 12, column: 1, text: 'CMD ["/start"]' }], fix: undefined });
    const j = toJson(result([f], [t]), { root: 'services/web' });
    expect(j.root).toBe('services/web');
    expect(j.targets[0].processes[0]).toEqual({
      role: 'web',
      server: 'gunicorn',
      app: 'proj.wsgi:application',
      serverAt: { file: 'docker/start.sh', line: 7 },
      chain: [
        { file: 'Dockerfile', line: 12, text: 'CMD ["/start"]' },
        { file: 'docker/start.sh', line: 7, text: 'exec gunicorn proj.wsgi:application' },
      ],
    });
    expect(j.targets[0].collectstatic).toEqual({ file: 'docker/start.sh', line: 5 });
    expect(j.findings[0].target).toBeNull();
    expect(j.findings[0].via).toEqual([{ file: 'Dockerfile', line: 12 }]);
    expect(j.findings[0].fix).toBeNull();
  });

  test('fix, what it needs, and the findings a baseline set apart', () => {
    const f = finding({ fix: 'gunicorn proj.wsgi --bind 0.0.0.0:$PORT', fixNeeds: { package: 'gunicorn', file: 'requirements.txt', section: null, text: 'gunicorn' } });
    const old = finding({ ruleId: 'DPL201', fix: undefined });
    const j = toJson({ ...result([f]), baselined: [old] } as ReturnType<typeof result>);
    expect(j.findings[0]).toMatchObject({ fix: 'gunicorn proj.wsgi --bind 0.0.0.0:$PORT', fixNeeds: { package: 'gunicorn', file: 'requirements.txt', words: 'add `gunicorn` to requirements.txt' } });
    expect(j.baselined).toHaveLength(1);
    expect(j.baselined![0]).toMatchObject({ ruleId: 'DPL201', fix: null });
    expect(toJson(result([f]))).not.toHaveProperty('baselined');
  });

  test('a process with no server: server, app and serverAt are null; chain from the final command', () => {
    const p = process_('web', 'web', []);
    p.finals = [resolved('./run-something', loc('Procfile', 1), [step('Procfile', 1, 'web: ./run-something')])];
    const j = toJson(result([], [target({ id: 'procfile:Procfile', kind: 'procfile', file: 'Procfile', processes: [p] })]));
    expect(j.targets[0].processes[0]).toEqual({ role: 'web', server: null, app: null, serverAt: null, chain: [{ file: 'Procfile', line: 1, text: 'web: ./run-something' }] });
  });

  test('an unresolved process takes the chain of where it stopped', () => {
    const p = process_('web', 'web', []);
    p.unresolved = [{ message: 'script not found', loc: loc('Procfile', 1), chain: [step('Procfile', 1, 'web: bin/missing')] }];
    const j = toJson(result([], [target({ id: 'procfile:Procfile', kind: 'procfile', file: 'Procfile', processes: [p] })]));
    expect(j.targets[0].processes[0].chain).toEqual([{ file: 'Procfile', line: 1, text: 'web: bin/missing' }]);
  });
});
