/** How image paths map back to repo files through COPY/ADD and WORKDIR (docs/architecture.md, "Chain resolver"). */
import { discover } from '../src/discover/repo.js';
import { Project } from '../src/model/project.js';
import { containerArgs, imageModel } from '../src/model/targets/image.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { tempRepo } from './temp-repo.js';

beforeAll(() => loadGrammars(['bash']));

function repoWith(files: Record<string, string>): Project {
  return new Project(discover(tempRepo(files)));
}

const FILES = {
  'manage.py': '',
  'entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
  'start.sh': '',
  'docker/run-web': '',
  'scripts/a.sh': '',
  'scripts/b.sh': '',
  'requirements.txt': '',
};

test.each([
  ['COPY x . after WORKDIR', 'WORKDIR /app\nCOPY entrypoint.sh .', '/app/entrypoint.sh', 'entrypoint.sh'],
  ['COPY x into an existing folder without a slash', 'COPY requirements.txt /tmp', '/tmp/requirements.txt', 'requirements.txt'],
  ['COPY x to a new name', 'COPY start.sh /start', '/start', 'start.sh'],
  ['a folder into a folder', 'COPY docker/ /usr/local/bin/', '/usr/local/bin/run-web', 'docker/run-web'],
  ['the whole context', 'WORKDIR /code\nCOPY . /code/', '/code/manage.py', 'manage.py'],
  ['relative to the WORKDIR', 'WORKDIR /srv\nCOPY . app', '/srv/app/entrypoint.sh', 'entrypoint.sh'],
  ['a glob', 'COPY scripts/*.sh /scripts/', '/scripts/b.sh', 'scripts/b.sh'],
  ['COPY --from another stage is not the repo', 'COPY --from=builder /src/start.sh /start.sh', '/start.sh', null],
  ['a path nothing copies', 'COPY start.sh /start', '/other', null],
])('%s', (_name, copies, imagePath, repoPath) => {
  const project = repoWith({ ...FILES, Dockerfile: `FROM python:3.12\n${copies}\nCMD ["x"]\n` });
  const image = imageModel(project, 'Dockerfile', '', null)!;
  expect(image.mapper.toRepo(imagePath, image.cwd)).toBe(repoPath);
});

test('ENTRYPOINT and CMD combine per the Docker reference', () => {
  const project = repoWith({
    Dockerfile: 'FROM python:3.12 AS base\nCMD ["python"]\n\nFROM base\nENTRYPOINT ["/entrypoint.sh"]\n',
    'x/Dockerfile': 'FROM python:3.12\nENTRYPOINT ["tini", "--"]\nCMD gunicorn app.wsgi\n',
  });
  // A stage's ENTRYPOINT resets the CMD it inherits.
  const a = imageModel(project, 'Dockerfile', '', null)!;
  expect(containerArgs(a.entrypoint, a.cmd)!.args.map((x) => x.value)).toEqual(['/entrypoint.sh']);
  // Exec-form ENTRYPOINT + shell-form CMD: the CMD runs through /bin/sh -c.
  const b = imageModel(project, 'x/Dockerfile', 'x', null)!;
  expect(containerArgs(b.entrypoint, b.cmd)!.args.map((x) => x.value)).toEqual(['tini', '--', '/bin/sh', '-c', 'gunicorn app.wsgi']);
});

test('a builder stage copied in with COPY --from runs in the build; what it copies out maps through its own COPYs', () => {
  const project = repoWith({
    ...FILES,
    Dockerfile: 'FROM python:3.12 AS builder\nCOPY start.sh /b/start.sh\nRUN python manage.py collectstatic --noinput\n\nFROM python:3.12\nCOPY --from=builder /b /b\nCMD ["x"]\n',
  });
  const image = imageModel(project, 'Dockerfile', '', null)!;
  expect(image.steps.filter((s) => s.kind === 'run').map((s) => [s.line, s.inImage])).toEqual([[3, false]]);
  expect(image.mapper.toRepo('/b/start.sh', null)).toBe('start.sh');
  // Only what `COPY --from` takes: the builder's other paths are not in the final image.
  expect(image.mapper.toRepo('/elsewhere/start.sh', null)).toBeNull();
});
