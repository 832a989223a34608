/**
 * Every wrapper (docs/architecture.md, "Chain resolver") is peeled off to the command it runs, and every server is recognised,
 * through the real resolver: a Procfile `web:` line followed to its server.
 */
import { discover } from '../src/discover/repo.js';
import { buildTargets } from '../src/model/build.js';
import { Project } from '../src/model/project.js';
import { WRAPPERS } from '../src/model/wrappers.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { tempRepo } from './temp-repo.js';

beforeAll(() => loadGrammars(['bash', 'python']));

/** The server the `web` process of a one-line Procfile ends in, and its app. */
function serverOf(command: string): string {
  const dir = tempRepo({ Procfile: `web: ${command}\n` });
  const targets = buildTargets(new Project(discover(dir)));
  const web = targets[0].processes.find((p) => p.name === 'web')!;
  return web.servers.map((s) => `${s.server.kind} ${s.server.app ?? '-'}`).join(', ') || `none (${web.finals.map((f) => f.command.text).join('; ')})`;
}

const G = 'gunicorn proj.wsgi --bind 0.0.0.0:$PORT';

test.each([
  ['env', `env DJANGO_SETTINGS_MODULE=proj.settings PYTHONUNBUFFERED=1 ${G}`],
  ['env -u', `env -u DEBUG ${G}`],
  ['exec', `exec ${G}`],
  ['exec -a', `exec -a web ${G}`],
  ['dumb-init', `dumb-init -- ${G}`],
  ['dumb-init --single-child', `dumb-init --single-child ${G}`],
  ['tini --', `tini -- ${G}`],
  ['tini -s -g', `tini -s -g -- ${G}`],
  ['gosu', `gosu app ${G}`],
  ['su-exec', `su-exec app:app ${G}`],
  ['runuser -u', `runuser -u app -- ${G}`],
  ['runuser -c', `runuser -l app -c "${G}"`],
  ['su -c', `su app -c "${G}"`],
  ['chpst -u', `chpst -u app ${G}`],
  ['newrelic-admin run-program', `newrelic-admin run-program ${G}`],
  ['ddtrace-run', `ddtrace-run ${G}`],
  ['opentelemetry-instrument', `opentelemetry-instrument --traces_exporter otlp ${G}`],
  ['doppler run --', `doppler run --project web -- ${G}`],
  ['doppler run --command', `doppler run --command "${G}"`],
  ['poetry run', `poetry run ${G}`],
  ['pipenv run', `pipenv run ${G}`],
  ['uv run', `uv run --no-dev --frozen ${G}`],
  ['pdm run', `pdm run ${G}`],
  ['hatch run', `hatch run ${G}`],
  ['rye run', `rye run ${G}`],
  ['wait-for-it … --', `wait-for-it db:5432 -t 30 -- ${G}`],
  ['dockerize', `dockerize -wait tcp://db:5432 -timeout 20s ${G}`],
  ['sh -c', `sh -c "python manage.py migrate && ${G}"`],
  ['bash -ec', `bash -ec 'exec ${G}'`],
  ['nested', `tini -- gosu app newrelic-admin run-program poetry run ${G}`],
  ['leading assignment', `WEB_CONCURRENCY=3 ${G}`],
])('%s is followed to gunicorn', (_name, command) => {
  expect(serverOf(command)).toBe('gunicorn proj.wsgi');
});

test('a wrapper with nothing to run is not a server', () => {
  expect(serverOf('wait-for-it db:5432')).toBe('none (wait-for-it db:5432)');
});

test('the wrapper table has one entry per name', () => {
  const names = WRAPPERS.flatMap((w) => w.names.map((n) => `${n} ${(w.sub ?? []).join(' ')}`));
  expect(new Set(names).size).toBe(names.length);
});

test.each([
  ['gunicorn proj.wsgi:application', 'gunicorn proj.wsgi:application'],
  ['/venv/bin/gunicorn proj.wsgi', 'gunicorn proj.wsgi'],
  ['python -m gunicorn proj.wsgi', 'gunicorn proj.wsgi'],
  ['uwsgi --http :$PORT --module proj.wsgi:application --master', 'uwsgi proj.wsgi:application'],
  ['uvicorn proj.asgi:application --host 0.0.0.0 --port $PORT', 'uvicorn proj.asgi:application'],
  ['python -m uvicorn proj.asgi:application --host 0.0.0.0', 'uvicorn proj.asgi:application'],
  ['daphne -b 0.0.0.0 -p $PORT proj.asgi:application', 'daphne proj.asgi:application'],
  ['hypercorn proj.asgi:application --bind 0.0.0.0:$PORT', 'hypercorn proj.asgi:application'],
  ['granian --interface asgi proj.asgi:application', 'granian proj.asgi:application'],
  ['waitress-serve --listen=0.0.0.0:$PORT proj.wsgi:application', 'waitress proj.wsgi:application'],
  ['mod_wsgi-express start-server proj/wsgi.py --port $PORT', 'mod_wsgi proj/wsgi.py'],
  ['python manage.py runserver 0.0.0.0:$PORT', 'runserver -'],
  ['./manage.py runserver', 'runserver -'],
  ['django-admin runserver --settings=proj.settings', 'runserver -'],
  ['python -m django runserver', 'runserver -'],
  ['python -Wd manage.py runserver_plus 0.0.0.0:$PORT', 'runserver_plus -'],
])('%s is %s', (command, expected) => {
  expect(serverOf(command)).toBe(expected);
});
