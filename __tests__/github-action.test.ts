/**
 * The action's GitHub reporting end to end: the committed action bundle (dist/) run as a child
 * process, against a real HTTP server on loopback that implements the endpoints
 * it uses (see fixtures-github/harness.ts). GITHUB_API_URL has a GHES-style /api/v3 prefix.
 */
import * as fs from 'node:fs';
import { buildBundle, FakeGitHub, HEAD_SHA, makeWorkspace, plainCommands, runBundledAction, type ActionRun } from './fixtures-github/harness.js';

let bundle = '';
const workspaces: string[] = [];
const ws = (fixture: string, files: Record<string, string> = {}) => {
  const dir = makeWorkspace(fixture, files);
  workspaces.push(dir);
  return dir;
};

beforeAll(() => {
  bundle = buildBundle();
}, 400_000);
afterAll(() => {
  for (const d of workspaces) fs.rmSync(d, { recursive: true, force: true });
});

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await new FakeGitHub().start();
});
afterEach(async () => {
  await gh.close();
});

const RUNSERVER = 'python manage.py runserver 0.0.0.0:$PORT';
const GUNICORN = 'gunicorn proj.wsgi --bind 0.0.0.0:$PORT';
const manyProcfile = (n: number) => Array.from({ length: n }, (_, i) => `${i === 0 ? 'web' : `worker${i}`}: ${RUNSERVER}`).join('\n') + '\n';
const apiCalls = (run: FakeGitHub) => run.requests.map((r) => `${r.method} ${r.path.replace('/api/v3/repos/octo/app', '')}`);
const commentCalls = (run: FakeGitHub) => apiCalls(run).filter((c) => c.includes('/issues/'));
const noStderr = (run: ActionRun) => expect(run.stderr).toBe('');

test('the bundled CLI never contains @actions/github or Octokit', () => {
  const files = fs.readdirSync(bundle).filter((f) => ['cli.js', 'cli-main.js', 'entry-cli-run.js'].includes(f) || f.endsWith('.cli.js'));
  const cli = files.map((f) => fs.readFileSync(`${bundle}/${f}`, 'utf8')).join('');
  expect(cli).toContain('collectstatic'); // the engine's code is in what is read
  expect(cli).not.toMatch(/getOctokit|@octokit|@actions\/github/);
});

describe('check run', () => {
  test('120 findings: created with 50 annotations, then updated with 50 and 20; every finding annotated once', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: manyProcfile(120) }), gh.url, { 'check-run': 'true' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(apiCalls(gh)).toEqual(['POST /check-runs', 'PATCH /check-runs/1000', 'PATCH /check-runs/1000']);
    expect(gh.requests.map((r) => r.body.output.annotations.length)).toEqual([50, 50, 20]);
    expect(gh.checkRuns).toHaveLength(1);
    const cr = gh.checkRuns[0];
    expect(cr).toMatchObject({ name: 'django-deploy-lint', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' });
    expect(cr.annotations).toHaveLength(120);
    expect(new Set(cr.annotations.map((a) => a.start_line)).size).toBe(120);
    expect(cr.annotations[0]).toMatchObject({ path: 'Procfile', start_line: 1, end_line: 1, start_column: 6, end_column: 46, annotation_level: 'failure', title: 'DPL101 runserver-in-production' });
    expect(cr.annotations[0].message).toContain(`Fix: ${GUNICORN}`);
    // The summary as output text; counts in title and summary.
    expect(cr.output.title).toBe('120 errors, 0 warnings, 0 notices');
    expect(cr.output.text).toMatch(/^## ❌ django-deploy-lint: 120 errors/);
    expect(cr.output.text!.length).toBeLessThanOrEqual(65535);
    // The runner shows 10 error annotations: the job summary says so and links the check run.
    expect(run.summary).toContain('110 errors are not shown as annotations');
    expect(run.summary).toContain('> All 120 findings with a file are annotations of the check run: [django-deploy-lint](https://github.example/octo/app/runs/1000).');
  }, 60_000);

  test('a clean repository: conclusion success, no annotations, exit 0', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: `web: ${GUNICORN}\n` }), gh.url, {});
    noStderr(run);
    expect(run.status).toBe(0);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0].conclusion).toBe('success');
    expect(gh.checkRuns[0].annotations).toEqual([]);
    // check-run: auto (the default) with a token tries; comment: off posts nothing.
    expect(apiCalls(gh)).toEqual(['POST /check-runs']);
  }, 60_000);

  test('a path below the workspace: annotations carry the repository path, the name the folder', async () => {
    const dir = ws('heroku-runserver');
    fs.mkdirSync(`${dir}/sub`);
    for (const f of fs.readdirSync(dir)) if (f !== 'sub') fs.renameSync(`${dir}/${f}`, `${dir}/sub/${f}`);
    const run = await runBundledAction(bundle, dir, gh.url, { path: 'sub', 'check-run': 'true' });
    noStderr(run);
    expect(gh.checkRuns[0].name).toBe('django-deploy-lint (sub)');
    expect(gh.checkRuns[0].annotations.map((a) => `${a.path}:${a.start_line}`)).toEqual(['sub/Procfile:1']);
  }, 60_000);
});

describe('sticky comment', () => {
  test('created, then updated in place on a second run, then edited to "all clear"; never two comments', async () => {
    const dir = ws('heroku-runserver');
    const first = await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    noStderr(first);
    expect(first.status).toBe(1);
    expect(commentCalls(gh)).toEqual(['GET /issues/7/comments', 'POST /issues/7/comments']);
    expect(gh.comments).toHaveLength(1);
    const id = gh.comments[0].id;
    expect(gh.comments[0].body).toMatch(/^## ❌ django-deploy-lint: 1 error/);
    expect(gh.comments[0].body).toMatch(/<!-- django-deploy-lint:sticky:[0-9a-f]{16} -->\n$/);

    // Second run, one more finding: the same comment is edited.
    gh.clearRequests();
    fs.writeFileSync(`${dir}/Procfile`, `web: ${RUNSERVER}\nworker: ${RUNSERVER}\n`);
    const second = await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    expect(second.status).toBe(1);
    expect(commentCalls(gh)).toEqual(['GET /issues/7/comments', `PATCH /issues/comments/${id}`]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toMatch(/^## ❌ django-deploy-lint: 2 errors/);

    // Same findings again: nothing to change, no request that edits.
    gh.clearRequests();
    await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    expect(commentCalls(gh)).toEqual(['GET /issues/7/comments']);

    // Fixed: the comment becomes a short "all clear", not left stale.
    gh.clearRequests();
    fs.writeFileSync(`${dir}/Procfile`, `web: ${GUNICORN}\n`);
    const fixed = await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    expect(fixed.status).toBe(0);
    expect(commentCalls(gh)).toEqual(['GET /issues/7/comments', `PATCH /issues/comments/${id}`]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toMatch(/^### ✅ django-deploy-lint: all clear\n/);
    expect(gh.comments[0].body).not.toContain('DPL101');
    expect(gh.comments[0].body.length).toBeLessThan(400);
  }, 120_000);

  test('on-failure with nothing failing and no comment yet: nothing is posted', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: `web: ${GUNICORN}\n` }), gh.url, { comment: 'on-failure', 'check-run': 'false' });
    expect(run.status).toBe(0);
    expect(gh.comments).toHaveLength(0);
  }, 60_000);

  test('another job\'s comment (another marker) is left alone; always posts its own, with the check run link', async () => {
    gh.comments.push({ id: 1, body: 'review: LGTM\n<!-- django-deploy-lint:sticky:0000000000000000 -->\n', user: { login: 'someone', type: 'User' } });
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { comment: 'always', 'check-run': 'true' });
    noStderr(run);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[0].body).toBe('review: LGTM\n<!-- django-deploy-lint:sticky:0000000000000000 -->\n');
    expect(gh.comments[1].body).toContain('[All findings as annotations in the check run](https://github.example/octo/app/runs/');
  }, 60_000);

  test('more than one page of comments: the marker is found on page 2', async () => {
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.comments).toHaveLength(1);
    const ours = gh.comments[0];
    gh.comments = [...Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, user: { login: 'u', type: 'User' } })), ours];
    fs.writeFileSync(`${dir}/Procfile`, `web: ${GUNICORN}\n`);
    gh.clearRequests();
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(commentCalls(gh)).toEqual(['GET /issues/7/comments', 'GET /issues/7/comments', `PATCH /issues/comments/${ours.id}`]);
    expect(gh.comments).toHaveLength(151);
    expect(ours.body).toContain('all clear');
  }, 120_000);
});

describe('suggested changes', () => {
  // The PR changed line 1 of the Procfile (web) but not line 2 (worker).
  const patch = `@@ -1,2 +1,2 @@\n-web: gunicorn old.wsgi\n+web: ${RUNSERVER}\n worker: ${RUNSERVER}`;

  test('only on changed lines, with the real WSGI module; never duplicated on a re-run', async () => {
    const dir = ws('heroku-runserver', { Procfile: `web: ${RUNSERVER}\nworker: ${RUNSERVER}\n` });
    gh.files = [{ filename: 'Procfile', patch, status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    noStderr(run);
    expect(run.status).toBe(1);
    // GET /user: the token's identity, which alone may own the comment and the suggestion keys.
    expect(apiCalls(gh)).toEqual(['GET /api/v3/user', 'GET /issues/7/comments', 'POST /issues/7/comments', 'GET /pulls/7/files', 'GET /pulls/7/comments', 'POST /pulls/7/reviews']);
    const review = gh.requests[gh.requests.length - 1].body;
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: 'COMMENT' });
    expect(gh.reviewComments).toHaveLength(1);
    const c = gh.reviewComments[0];
    expect(c).toMatchObject({ path: 'Procfile', line: 1, side: 'RIGHT' });
    expect(c.body).toContain(`\`\`\`suggestion\nweb: ${GUNICORN}\n\`\`\`\n`);

    gh.clearRequests();
    const again = await runBundledAction(bundle, dir, gh.url, { comment: 'on-failure', 'check-run': 'false' });
    expect(again.status).toBe(1);
    expect(apiCalls(gh)).not.toContain('POST /pulls/7/reviews');
    expect(gh.reviewComments).toHaveLength(1);
  }, 120_000);

  test('a Dockerfile CMD in exec form gets the server in exec form', async () => {
    const dir = ws('docker-runserver');
    gh.files = [{ filename: 'Dockerfile', patch: '@@ -7 +7 @@\n-CMD ["gunicorn"]\n+CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]', status: 'modified' }];
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(1);
    expect(gh.reviewComments[0]).toMatchObject({ path: 'Dockerfile', line: 7 });
    expect(gh.reviewComments[0].body).toContain('```suggestion\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n```');
  }, 60_000);

  test('no changed line carries a finding: no review is posted', async () => {
    gh.files = [{ filename: 'README.md', patch: '@@ -0,0 +1 @@\n+hello', status: 'added' }];
    await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { comment: 'always', 'check-run': 'false' });
    expect(apiCalls(gh)).not.toContain('POST /pulls/7/reviews');
    expect(gh.reviewComments).toHaveLength(0);
  }, 60_000);
});

describe('failures of the API never change the exit status', () => {
  test('403 everywhere (a read-only token): one notice per permission, each naming it; status from the findings', async () => {
    gh.mode = 'forbidden';
    const failing = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true', comment: 'always' });
    noStderr(failing);
    expect(failing.status).toBe(1);
    // The check run and the comment are tried on their own; the suggestions need the comment's permission.
    expect(apiCalls(gh)).toEqual(['POST /check-runs', 'GET /api/v3/user', 'GET /issues/7/comments']);
    const notices = plainCommands(failing.stdout, 'notice');
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/the token may not create a check run \(HTTP 403\): give the job `permissions: checks: write`/);
    expect(notices[1]).toMatch(/the token may not comment on the pull request \(HTTP 403\): give the job `permissions: pull-requests: write`/);
    expect(plainCommands(failing.stdout, 'warning')).toEqual([]);
    // The only error without a title is the step's own failure (from the findings).
    expect(plainCommands(failing.stdout, 'error')).toEqual([expect.stringMatching(/^django-deploy-lint: 1 error, /)]);

    gh.clearRequests();
    const passing = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true', comment: 'always', 'fail-on': 'never' });
    expect(passing.status).toBe(0);
    expect(plainCommands(passing.stdout, 'notice')).toHaveLength(2);
  }, 60_000);

  test('check-run: auto skips quietly on 403 (no notice, no warning)', async () => {
    gh.mode = 'forbidden';
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'fail-on': 'never' });
    noStderr(run);
    expect(run.status).toBe(0);
    expect(apiCalls(gh)).toEqual(['POST /check-runs']);
    expect(plainCommands(run.stdout, 'notice')).toEqual([]);
    expect(plainCommands(run.stdout, 'warning')).toEqual([]);
    expect(run.stdout).toContain('the token may not create a check run');
  }, 60_000);

  test('500 then success: the POST is not repeated blindly; the run is looked up (GET retried with backoff), then created once', async () => {
    gh.failNext = 2;
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true' });
    noStderr(run);
    expect(run.status).toBe(1);
    const lookup = `GET /commits/${HEAD_SHA}/check-runs`;
    expect(apiCalls(gh)).toEqual(['POST /check-runs', lookup, lookup, 'POST /check-runs']);
    expect(gh.failed).toBe(2);
    expect(gh.checkRuns).toHaveLength(1);
    expect(plainCommands(run.stdout, 'warning')).toEqual([]);
    // Backoff of the GET: 1 s; then 1 s before the second POST.
    expect(run.ms).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  test('a server that never answers: the time bound ends the reporting with one warning; summary and status intact', async () => {
    gh.mode = 'hang';
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true', comment: 'always' }, { DJANGO_DEPLOY_LINT_GITHUB_TIMEOUT: '3' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    const warnings = plainCommands(run.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the GitHub API did not answer within 3 s while trying to create a check run/);
    expect(run.summary).toMatch(/^## ❌ django-deploy-lint: 1 error/);
    expect(run.outputs).toContain('result<<');
  }, 60_000);
});
