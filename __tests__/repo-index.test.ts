/** The repository's file indexes, and git-based discovery. */
import { execFileSync } from 'node:child_process';
import { Repo, discover, discoverAsync } from '../src/discover/repo.js';
import { tempRepo } from './temp-repo.js';

test('named / filesIn / hasDir agree with scans', () => {
  const files = ['b/manage.py', 'a/x/manage.py', 'manage.py', 'a/x/y.py', 'z', 'a/b/c/d.txt'];
  const r = new Repo(process.cwd(), files);
  expect(r.files).toEqual([...files].sort());
  expect(r.named('manage.py')).toEqual(r.files.filter((f) => f.split('/').pop() === 'manage.py'));
  expect(r.named('nope')).toEqual([]);
  expect(r.filesIn('')).toEqual(['manage.py', 'z']);
  expect(r.filesIn('a/x')).toEqual(['a/x/manage.py', 'a/x/y.py']);
  expect(r.filesIn('./a/x/')).toEqual(['a/x/manage.py', 'a/x/y.py']);
  expect([r.hasDir('a'), r.hasDir('a/b'), r.hasDir('a/b/c'), r.hasDir('')]).toEqual([true, true, true, true]);
  expect([r.hasDir('a/b/c/d.txt'), r.hasDir('q')]).toEqual([false, false]);
});

test('git discovery: tracked files only, virtualenvs and node_modules skipped, sync and async agree', async () => {
  const dir = tempRepo(Object.fromEntries(['Procfile', 'app/manage.py', 'node_modules/x/Dockerfile', '.venv/lib/Procfile', 'untracked.py'].map((f) => [f, 'x\n'])));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-f', 'Procfile', 'app/manage.py', 'node_modules/x/Dockerfile', '.venv/lib/Procfile');
  const s = discover(dir);
  const a = await discoverAsync(dir);
  expect(s.files).toEqual(['Procfile', 'app/manage.py']);
  expect(a.files).toEqual(s.files);
});
