import { lint } from '../src/engine.js';
import { parseShell } from '../src/parse/shell.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import type { Process } from '../src/model/types.js';
import type { Result } from '../src/suppress/result.js';
import { tempRepo } from './temp-repo.js';

beforeAll(async () => {
  await loadGrammars(['bash']);
});

function repo(files: Record<string, string>): string {
  return tempRepo(files);
}

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\ncelery==5.4\nwhitenoise==6.9.0\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'application = None\n',
  'proj/settings.py': 'STATIC_URL = "static/"\nSTATIC_ROOT = "/srv/static"\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n',
};

const ENTRY = `#!/bin/sh
set -e
case "$1" in
  web|http)
    python manage.py collectstatic --noinput
    exec gunicorn proj.wsgi -b 0.0.0.0:8000
    ;;
  worker*)
    exec celery -A proj worker
    ;;
  dev)
    exec python manage.py runserver 0.0.0.0:8000
    ;;
  *)
    exec "$@"
    ;;
esac
`;

function dockerfile(cmd: string, extra = ''): string {
  return `FROM python:3.12\nWORKDIR /app\nCOPY . .\n${extra}ENTRYPOINT ["/app/entrypoint.sh"]\nCMD ${cmd}\n`;
}

function web(r: Result): Process {
  return r.targets.find((t) => t.kind === 'dockerfile')!.processes.find((p) => p.name !== 'build')!;
}

const ends = (p: Process) => [...p.servers.map((s) => s.server.kind), ...p.finals.map((f) => f.args[0]?.value)];

describe('case "$1" dispatch', () => {
  test('only the arm CMD selects runs', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': ENTRY, Dockerfile: dockerfile('["web"]') }));
    const p = web(r);
    expect(ends(p)).toEqual(['gunicorn']);
    expect(p.servers[0].at.conditional).toBe(false);
    expect(p.servers[0].at.branch).toBeUndefined();
    expect(p.unresolved).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId === 'DPL101')).toEqual([]);
    // collectstatic in the selected arm is certain.
    expect(r.targets[0].collectstatic?.conditional).toBe(false);
  });

  test('a glob pattern selects its arm', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': ENTRY, Dockerfile: dockerfile('["worker-high"]') }));
    expect(ends(web(r))).toEqual(['celery']);
  });

  test('no match falls to `*)` and exec "$@" runs the CMD', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': ENTRY, Dockerfile: dockerfile('["gunicorn", "proj.wsgi", "-b", "0.0.0.0:9000"]') }));
    const p = web(r);
    expect(ends(p)).toEqual(['gunicorn']);
    expect(p.servers[0].server.bind.map((b) => b.value)).toEqual(['0.0.0.0:9000']);
  });

  test('the dev arm selected is reported as what serves, not as a fallback', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': ENTRY, Dockerfile: dockerfile('["dev"]') }));
    expect(ends(web(r))).toEqual(['runserver']);
    const f = r.findings.filter((x) => x.ruleId === 'DPL101');
    expect(f).toHaveLength(1);
    expect(f[0].line).toBe(12);
  });

  test('unknown $1 keeps every arm (as before)', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': ENTRY, Procfile: 'web: ./entrypoint.sh "$ROLE"\n' }));
    const p = r.targets.find((t) => t.kind === 'procfile')!.processes[0];
    expect(ends(p).sort()).toEqual(['celery', 'gunicorn', 'runserver']);
    expect(p.servers.every((s) => s.at.conditional)).toBe(true);
  });

  test('a default for $1 selects the arm; a later arm after a certain match is dead', async () => {
    const script = `#!/bin/bash\ncase "\${1:-api}" in\n  api) exec gunicorn proj.wsgi -b 0.0.0.0:1 ;;\n  *) exec python manage.py runserver ;;\n  api) exec celery -A proj worker ;;\nesac\n`;
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': script, Dockerfile: dockerfile('[]') }));
    expect(ends(web(r))).toEqual(['gunicorn']);
  });

  const roleScript = `#!/bin/bash\ncase "$ROLE" in\n  api) exec gunicorn proj.wsgi -b 0.0.0.0:1 ;;\n  *) exec python manage.py runserver ;;\nesac\n`;
  test('the values the target sets choose the arm (image ENV)', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': roleScript, Dockerfile: dockerfile('[]', 'ENV ROLE=api\n') }));
    expect(ends(web(r))).toEqual(['gunicorn']);
    expect(web(r).servers[0].at.conditional).toBe(false);
  });

  test('a variable the target leaves unset selects the default arm, and says so', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': roleScript, Dockerfile: dockerfile('[]') }));
    expect(ends(web(r))).toEqual(['runserver']);
    expect(web(r).servers[0].at.branch?.unset).toEqual(['ROLE']);
  });

  test('a value written but not known keeps every arm', async () => {
    // `ROLE` alone in compose: taken from the shell that runs compose.
    const compose = 'services:\n  web:\n    build: .\n    environment:\n      - ROLE\n';
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': roleScript, Dockerfile: dockerfile('[]'), 'docker-compose.prod.yml': compose }));
    const svc = r.targets.find((t) => t.kind === 'compose')!.processes.find((p) => p.name === 'web')!;
    expect(ends(svc).sort()).toEqual(['gunicorn', 'runserver']);
  });
});

describe('if [ "$1" = … ] dispatch', () => {
  const script = `#!/bin/bash
if [ "$1" = "web" ]; then
  exec gunicorn proj.wsgi -b 0.0.0.0:8000
elif [[ $1 == work* ]]; then
  exec celery -A proj worker
elif [ -z "$1" ]; then
  echo "no role" && exit 1
else
  exec python manage.py runserver 0.0.0.0:8000
fi
`;
  test('if arm', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': script, Dockerfile: dockerfile('["web"]') }));
    expect(ends(web(r))).toEqual(['gunicorn']);
  });
  test('elif glob arm', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': script, Dockerfile: dockerfile('["workers"]') }));
    expect(ends(web(r))).toEqual(['celery']);
  });
  test('else arm', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': script, Dockerfile: dockerfile('["shell"]') }));
    expect(ends(web(r))).toEqual(['runserver']);
  });
  test('-z on an empty CMD', async () => {
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': script, Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\n' }));
    const p = web(r);
    expect(p.servers).toEqual([]);
  });
  test('a condition that is not a plain comparison keeps both arms', async () => {
    const s2 = `#!/bin/bash\nif [ "$1" = web ] && [ -n "$X" ]; then\n  exec gunicorn proj.wsgi -b 0.0.0.0:1\nelse\n  exec python manage.py runserver\nfi\n`;
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': s2, Dockerfile: dockerfile('["web"]') }));
    expect(ends(web(r)).sort()).toEqual(['gunicorn', 'runserver']);
  });
  test('a nested if in a dead case arm does not run', async () => {
    const s3 = `#!/bin/sh\ncase "$1" in\n  worker)\n    if [ -n "$DEBUG" ]; then exec python manage.py runserver; fi\n    exec celery -A proj worker ;;\n  web)\n    [ -n "$X" ] && echo x\n    exec gunicorn proj.wsgi -b 0.0.0.0:1 ;;\nesac\n`;
    const r = await lint(repo({ ...DJANGO, 'entrypoint.sh': s3, Dockerfile: dockerfile('["web"]') }));
    const p = web(r);
    expect(ends(p)).toEqual(['gunicorn']);
    expect(p.servers[0].at.conditional).toBe(false);
  });
});

describe('shell parser: arm tests', () => {
  test('case arms share the list of patterns; if arms carry their comparison', () => {
    const s = parseShell('case "$1" in\n  a|"b c") x ;;\n  *) y && z ;;\nesac\nif test "$M" != prod; then p; else q; fi\n', 'e.sh');
    const [x, y, z, , p, q] = s.commands;
    const arms = x.ctx.branch!.arms!;
    expect(arms).toBe(y.ctx.branch!.arms);
    expect(arms.map((a) => a.test!.patterns.map((w) => w.raw))).toEqual([['a', '"b c"'], ['*']]);
    expect(arms[0].test!.subject.raw).toBe('"$1"');
    expect(y.ctx.branch!.soft).toBeUndefined();
    expect(z.ctx.branch!.soft).toBe(true);
    const ifArms = p.ctx.branch!.arms!;
    expect(ifArms[0].test).toMatchObject({ negate: true, glob: false, subject: { raw: '"$M"' }, patterns: [{ raw: 'prod' }] });
    expect(ifArms[1]).toEqual({ test: null, else: true });
    expect(q.ctx.branch!.arm).toBe(1);
    // The extra fields stay out of a branch's enumerable shape.
    expect(Object.keys(x.ctx.branch!)).toEqual(['id', 'arm', 'label']);
  });
});
