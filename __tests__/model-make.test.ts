import { lint } from '../src/suppress/engine.js';
import type { Process } from '../src/model/types.js';
import type { Result } from '../src/suppress/result.js';
import { tempRepo } from './temp-repo.js';

function repo(files: Record<string, string>): string {
  return tempRepo(files);
}

const DJANGO = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\nwhitenoise==6.9.0\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'application = None\n',
  'proj/settings.py': 'STATIC_URL = "static/"\nSTATIC_ROOT = "/srv/static"\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]\n',
};

function web(r: Result): Process {
  return r.targets.find((t) => t.kind === 'procfile')!.processes.find((p) => p.name === 'web')!;
}

describe('make <target>', () => {
  test('the recipe runs as a script step, prerequisites first, with word positions', async () => {
    const r = await lint(
      repo({
        ...DJANGO,
        Procfile: 'web: make serve\n',
        Makefile: 'APP = proj.wsgi\nserve: migrate\n\tgunicorn $(APP) -b 0.0.0.0:$$PORT\nmigrate:\n\tpython manage.py migrate\n',
      }),
    );
    const p = web(r);
    expect(p.servers.map((s) => [s.server.kind, s.server.app])).toEqual([['gunicorn', 'proj.wsgi']]);
    const at = p.servers[0].at;
    expect(at.chain.map((c) => `${c.file}:${c.line}:${c.reach}`)).toEqual(['Procfile:1:direct', 'Makefile:3:script']);
    expect(p.servers[0].server.bind.map((b) => `${b.value}@${b.loc.line}:${b.loc.column}`)).toEqual(['0.0.0.0:$PORT@3:21']);
    const texts = p.commands.map((c) => c.command.text);
    expect(texts.indexOf('python manage.py migrate')).toBeLessThan(texts.indexOf('gunicorn proj.wsgi -b 0.0.0.0:$PORT'));
    expect(p.unresolved).toEqual([]);
  });

  test('make -C dir reads that folder’s Makefile, and a runserver recipe is DPL101 there', async () => {
    const r = await lint(
      repo({ ...DJANGO, Procfile: 'web: make -C deploy run PORT=9000\n', 'deploy/Makefile': 'run:\n\tcd .. && python manage.py runserver 0.0.0.0:$(PORT)\n' }),
    );
    const f = r.findings.filter((x) => x.ruleId === 'DPL101');
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['deploy/Makefile:2']);
    expect(web(r).servers[0].server.bind.map((b) => b.value)).toEqual(['0.0.0.0:9000']);
  });

  test('a target the Makefile does not have is a DPL002 notice, not a guess', async () => {
    const r = await lint(repo({ ...DJANGO, Procfile: 'web: make start\n', Makefile: 'serve:\n\tgunicorn proj.wsgi\n' }));
    expect(web(r).servers).toEqual([]);
    const n = r.findings.filter((x) => x.ruleId === 'DPL002');
    expect(n).toHaveLength(1);
    expect(n[0].message).toContain("no rule 'start'");
  });

  test('make calling itself through a sub-make is bounded', async () => {
    const r = await lint(repo({ ...DJANGO, Procfile: 'web: make a\n', Makefile: 'a:\n\tmake -C . a\n' }));
    expect(web(r).servers).toEqual([]);
    expect(web(r).unresolved.length).toBeGreaterThan(0);
  });

  test('no Makefile in the repository: make stays an unknown final command as before', async () => {
    const r = await lint(repo({ ...DJANGO, Procfile: 'web: make serve\n' }));
    expect(web(r).finals.map((f) => f.command.text)).toEqual(['make serve']);
  });
});

describe('Makefile recipes as targets', () => {
  test('a recipe whose make variables were filled in keeps every span inside its line as written', async () => {
    const makefile = 'MANAGE = python manage.py\nprod-web:\n\t$(MANAGE) runserver 0.0.0.0:$$PORT\n';
    const r = await lint(repo({ ...DJANGO, 'deploy/Makefile': makefile }));
    const f = r.findings.find((x) => x.ruleId === 'DPL101');
    expect(f).toBeDefined();
    const line = makefile.split('\n')[2];
    expect([f!.file, f!.line, f!.endLine]).toEqual(['deploy/Makefile', 3, 3]);
    expect(f!.column).toBeGreaterThanOrEqual(1);
    expect(f!.endColumn).toBeLessThanOrEqual(line.length + 1);
  });
});
