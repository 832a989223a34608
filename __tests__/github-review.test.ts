/**
 * `reporter: github-pr-review` / `both` (issue 15, "a choice of reporter") and the sticky
 * comment's `comment-on-clear: hide | delete`: the bundled action (dist/index.js) run as a child
 * process with INPUT_* variables and a real event file, against the loopback GitHub API of
 * fixtures-github/harness.ts (its GraphQL endpoint minimizes and unminimizes comments as
 * GitHub's does). DDL_E2E_NODE picks the node that runs the bundle (Node 24: action.yml's
 * `runs.using`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBundle, FakeGitHub, HEAD_SHA, makeWorkspace, OWNER, plainCommands, PR, REPO, runBundledAction, type ActionRun } from './fixtures-github/harness.js';
import { parseOutputs } from './e2e-helpers.js';

let bundle = '';
const workspaces: string[] = [];
const ws = (fixture: string, files: Record<string, string> = {}) => {
  const dir = makeWorkspace(fixture, files);
  workspaces.push(dir);
  return dir;
};

beforeAll(() => {
  bundle = buildBundle();
});
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
const RELOAD = 'gunicorn proj.wsgi --reload --bind 0.0.0.0:8001';
const apiCalls = (g: FakeGitHub) => g.requests.map((r) => `${r.method} ${r.path.replace(`/api/v3/repos/${OWNER}/${REPO}`, '')}`);
const reviewPosts = (g: FakeGitHub) => apiCalls(g).filter((c) => c === `POST /pulls/${PR}/reviews`);
const noStderr = (run: ActionRun) => expect(run.stderr).toBe('');
const forkEvent = { pull_request: { number: PR, head: { sha: HEAD_SHA, repo: { fork: true, full_name: 'someone/app' } } } };
/** A patch of the Procfile that adds `added` lines after `context` unchanged ones. */
const procfilePatch = (context: string[], added: string[]) =>
  `@@ -1,${context.length} +1,${context.length + added.length} @@\n${context.map((l) => ` ${l}`).join('\n')}${context.length ? '\n' : ''}${added.map((l) => `+${l}`).join('\n')}`;

describe('reporter: github-pr-review', () => {
  test('one review, event COMMENT, an inline comment for every finding on a changed line (a suggestion where the fix is mechanical); the rest falls back to the summary', async () => {
    // Line 1 (runserver) is context, lines 2 and 3 are added: DPL105 on line 2 is not a
    // mechanical fix, DPL101 on line 3 is.
    const lines = [`web: ${RUNSERVER}`, `worker: ${RELOAD}`, `clock: ${RUNSERVER}`];
    const dir = ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' });
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([lines[0]], lines.slice(1)), status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(reviewPosts(gh)).toHaveLength(1);
    expect(gh.reviews[0]).toMatchObject({ event: 'COMMENT', comments: 2 });
    expect(gh.reviews[0].body).toBe('django-deploy-lint: 2 findings on lines this pull request changed.');
    const review = gh.requests.find((r) => r.path.endsWith('/reviews'))!.body;
    expect(review.commit_id).toBe(HEAD_SHA);
    // The most severe first.
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}:${c.side}`)).toEqual(['Procfile:3:RIGHT', 'Procfile:2:RIGHT']);
    const [dpl101, dpl105] = gh.reviewComments.map((c) => c.body);
    expect(dpl101).toContain(`\`\`\`suggestion\nclock: ${GUNICORN}\n\`\`\``);
    expect(dpl101).toMatch(/<!-- django-deploy-lint:finding:[0-9a-f]{16} -->/);
    expect(dpl105).toMatch(/^\*\*⚠️ DPL105 dev-option-in-production\*\* \(warning\): /);
    expect(dpl105).toContain('**Fix:** remove the reload option from the production command');
    expect(dpl105).not.toContain('```suggestion');
    expect(dpl105).toMatch(/<!-- django-deploy-lint:finding:[0-9a-f]{16} -->\n$/);
    // comment: off (the default): no sticky comment; the finding on line 1 is in the job summary.
    expect(gh.comments).toHaveLength(0);
    expect(run.summary).toContain('> Pull request review: 2 findings on lines this pull request changed are inline comments (2 posted now, 0 by an earlier run); 1 finding not on a changed line is listed here');
    expect(run.summary).toContain('Procfile&#58;1&#58;6');
  }, 60_000);

  test('idempotent: a re-run posts nothing new, a new finding gets only its own comment, all clear posts nothing', async () => {
    const lines = [`web: ${RUNSERVER}`, `worker: ${RELOAD}`];
    const dir = ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' });
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], lines), status: 'added' }];
    await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(2);

    gh.clearRequests();
    const again = await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    noStderr(again);
    expect(apiCalls(gh)).toContain(`GET /pulls/${PR}/comments`);
    expect(reviewPosts(gh)).toEqual([]);
    expect(gh.reviewComments).toHaveLength(2);
    expect(again.summary).toContain('(0 posted now, 2 by an earlier run)');

    // A third line: only its comment is posted.
    const three = [...lines, `clock: ${RUNSERVER}`];
    fs.writeFileSync(path.join(dir, 'Procfile'), three.join('\n') + '\n');
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], three), status: 'added' }];
    gh.clearRequests();
    await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    expect(reviewPosts(gh)).toHaveLength(1);
    expect(gh.reviewComments.map((c) => c.line)).toEqual([1, 2, 3]);

    // All clear: nothing new, no sticky comment.
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${GUNICORN}\n`);
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], [`web: ${GUNICORN}`]), status: 'added' }];
    gh.clearRequests();
    const clear = await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false', comment: 'always' });
    expect(clear.status).toBe(0);
    expect(reviewPosts(gh)).toEqual([]);
    expect(gh.reviewComments).toHaveLength(3);
    expect(gh.comments).toHaveLength(0);
  }, 120_000);

  test('someone else\'s comment carrying our key does not suppress ours', async () => {
    const dir = ws('heroku-runserver');
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], [`web: ${RUNSERVER}`, 'release: python manage.py migrate']), status: 'added' }];
    await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    const key = /django-deploy-lint:finding:[0-9a-f]{16}/.exec(gh.reviewComments[0].body)![0];
    gh.reviewComments = [{ id: 5, path: 'Procfile', line: 1, side: 'RIGHT', body: `nope <!-- ${key} -->`, commit_id: HEAD_SHA, user: { login: 'mallory' } }];
    await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(2);
  }, 60_000);

  test('a change on the chain: the comment sits on the changed Procfile line and names the script line', async () => {
    const dir = ws('heroku-runserver', { Procfile: 'web: bin/start\n', 'bin/start': `#!/bin/sh\nexec ${RUNSERVER}\n` });
    fs.chmodSync(path.join(dir, 'bin/start'), 0o755);
    gh.files = [{ filename: 'Procfile', patch: '@@ -1 +1 @@\n-web: gunicorn proj.wsgi\n+web: bin/start', status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { reporter: 'github-pr-review', 'check-run': 'false', 'filter-mode': 'added' });
    noStderr(run);
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['Procfile:1']);
    expect(gh.reviewComments[0].body).toContain('This line leads to it: the finding is on <code>bin/start&#58;2</code>.');
    expect(gh.reviewComments[0].body).not.toContain('```suggestion');
  }, 60_000);

  test('filter-mode decides which lines carry comments: diff_context includes the context lines, added does not', async () => {
    const lines = [`web: ${RUNSERVER}`, `worker: ${RUNSERVER}`];
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([lines[0]], [lines[1]]), status: 'modified' }];
    await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), gh.url, { reporter: 'github-pr-review', 'check-run': 'false', 'filter-mode': 'added' });
    expect(gh.reviewComments.map((c) => c.line)).toEqual([2]);
    gh.reviewComments = [];
    await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), gh.url, { reporter: 'github-pr-review', 'check-run': 'false', 'filter-mode': 'diff_context' });
    expect(gh.reviewComments.map((c) => c.line).sort()).toEqual([1, 2]);
  }, 60_000);

  test('260 findings on changed lines: 200 inline comments (the cap) in 4 reviews of 50, the cap stated in the review and the summary', async () => {
    const lines = Array.from({ length: 260 }, (_, i) => `${i === 0 ? 'web' : `w${i}`}: ${RUNSERVER}`);
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], lines), status: 'added' }];
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    noStderr(run);
    expect(gh.reviews.map((r) => r.comments)).toEqual([50, 50, 50, 50]);
    expect(gh.reviewComments).toHaveLength(200);
    expect(gh.reviews[0].body).toContain('(part 1 of 4)');
    expect(gh.reviews[0].body).toContain('At most 200 inline comments per run, the most severe first: 60 more findings are on changed lines');
    expect(run.summary).toContain('at most 200 are posted per run, the most severe first: 60 findings over that cap are listed here only');
    // A re-run posts the next 60 (the first 200 are there), so nothing is lost for good.
    gh.clearRequests();
    await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), gh.url, { reporter: 'github-pr-review', 'check-run': 'false' });
    expect(gh.reviews.slice(4).map((r) => r.comments)).toEqual([50, 10]);
    expect(new Set(gh.reviewComments.map((c) => c.line)).size).toBe(260);
  }, 120_000);

  test('comment: always beside it: the sticky comment carries the findings off the diff; none is posted when every finding is inline', async () => {
    const lines = [`web: ${RUNSERVER}`, `worker: ${RUNSERVER}`];
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([lines[0]], [lines[1]]), status: 'modified' }];
    await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), gh.url, { reporter: 'github-pr-review', comment: 'always', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toMatch(/^> 1 of the 2 findings are inline review comments on the lines this pull request changed; every finding is listed here\.\n\n## ❌ django-deploy-lint: 2 errors/);

    const other = new FakeGitHub();
    await other.start();
    try {
      other.files = [{ filename: 'Procfile', patch: procfilePatch([], lines), status: 'added' }];
      await runBundledAction(bundle, ws('heroku-runserver', { Procfile: lines.join('\n') + '\n' }), other.url, { reporter: 'github-pr-review', comment: 'always', 'check-run': 'false' });
      expect(other.reviewComments).toHaveLength(2);
      expect(other.comments).toHaveLength(0);
    } finally {
      await other.close();
    }
  }, 60_000);

  test('reporter: both: the sticky comment and the review; the suggestion only once (in the review)', async () => {
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], [`web: ${RUNSERVER}`, 'release: python manage.py migrate']), status: 'added' }];
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { reporter: 'both', comment: 'on-failure', 'check-run': 'false' });
    noStderr(run);
    expect(gh.comments).toHaveLength(1);
    expect(reviewPosts(gh)).toHaveLength(1);
    expect(gh.reviewComments).toHaveLength(1);
    expect(gh.reviewComments[0].body).toContain(`\`\`\`suggestion\nweb: ${GUNICORN}\n\`\`\``);

    // A suggestion posted earlier by reporter: comment counts as posted.
    const other = new FakeGitHub();
    await other.start();
    try {
      other.files = gh.files;
      const dir = ws('heroku-runserver');
      await runBundledAction(bundle, dir, other.url, { comment: 'on-failure', 'check-run': 'false' });
      expect(other.reviewComments).toHaveLength(1);
      other.clearRequests();
      await runBundledAction(bundle, dir, other.url, { reporter: 'github-pr-review', 'check-run': 'false' });
      expect(reviewPosts(other)).toEqual([]);
    } finally {
      await other.close();
    }
  }, 90_000);

  test('without pull-requests: write: one notice naming it (not a fork), the check run is still created, the summary says what was skipped', async () => {
    gh.forbid = ['/pulls'];
    gh.files = [{ filename: 'Procfile', patch: procfilePatch([], [`web: ${RUNSERVER}`]), status: 'added' }];
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { reporter: 'github-pr-review', 'check-run': 'true' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(gh.checkRuns).toHaveLength(1);
    const notices = plainCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('the token may not post a pull request review (HTTP 403): give the job `permissions: pull-requests: write`');
    expect(run.stdout).not.toMatch(/fork/);
    expect(plainCommands(run.stdout, 'warning')).toEqual([]);
    expect(run.summary).toContain('> Not posted: the pull request review: the token lacks `pull-requests: write` (HTTP 403).');
    expect(parseOutputs(run.outputs).result).toBe('fail');
  }, 60_000);

  test('a pull request from a fork: the notice says so, with advice that works for forks', async () => {
    gh.mode = 'forbidden';
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { reporter: 'github-pr-review', 'check-run': 'false' }, {}, { event: forkEvent });
    noStderr(run);
    const notices = plainCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/may not post a pull request review \(HTTP 403\): this pull request comes from a fork.*`workflow_run`/);
    expect(run.summary).toContain('> Not posted: the pull request review: a pull request from a fork gets a read-only token (HTTP 403).');
  }, 60_000);

  test('not a pull request (a push): no review, no error', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { reporter: 'github-pr-review', 'check-run': 'false' }, {}, { event: { ref: 'refs/heads/main' } });
    noStderr(run);
    expect(gh.requests).toEqual([]);
    expect(plainCommands(run.stdout, 'notice')).toEqual([]);
  }, 60_000);
});

describe('comment-on-clear against the loopback GraphQL and REST APIs', () => {
  test('hide: edited to all clear and minimized as RESOLVED; shown again when findings come back; hidden again on the next all clear', async () => {
    const dir = ws('heroku-runserver');
    const inputs = { comment: 'always', 'check-run': 'false', 'comment-on-clear': 'hide' };
    await runBundledAction(bundle, dir, gh.url, inputs);
    expect(gh.comments).toHaveLength(1);
    const c = gh.comments[0];
    expect(c.isMinimized).toBeUndefined();

    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${GUNICORN}\n`);
    gh.clearRequests();
    const clear = await runBundledAction(bundle, dir, gh.url, inputs);
    noStderr(clear);
    expect(apiCalls(gh).filter((x) => !x.startsWith('GET /api/v3/user'))).toEqual(['GET /issues/7/comments', `PATCH /issues/comments/${c.id}`, 'POST /api/graphql']);
    expect(gh.comments).toEqual([c]);
    expect(c.body).toMatch(/^### ✅ django-deploy-lint: all clear\n/);
    expect(c).toMatchObject({ isMinimized: true, minimizedReason: 'resolved' });
    expect(clear.stdout).toContain('pull request comment hidden (all clear)');

    // Findings again: the report, and the comment is no longer hidden.
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\n`);
    await runBundledAction(bundle, dir, gh.url, inputs);
    expect(c.body).toMatch(/^## ❌ django-deploy-lint: 1 error/);
    expect(c.isMinimized).toBe(false);

    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${GUNICORN}\n`);
    await runBundledAction(bundle, dir, gh.url, inputs);
    expect(c.isMinimized).toBe(true);
    expect(gh.graphql.map((g) => /^mutation[^{]*\{\s*(\w+)/.exec(g.query)![1])).toEqual(['minimizeComment', 'unminimizeComment', 'minimizeComment']);
  }, 120_000);

  test('hide refused by GraphQL (an error in a 200 answer): one notice naming the permission, the step\'s result unchanged', async () => {
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${GUNICORN}\n`);
    gh.graphqlError = 'FORBIDDEN';
    const run = await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false', 'comment-on-clear': 'hide' });
    noStderr(run);
    expect(run.status).toBe(0);
    expect(gh.comments[0].body).toMatch(/all clear/);
    expect(gh.comments[0].isMinimized).toBeUndefined();
    const notices = plainCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('the token may not comment on the pull request (HTTP 403): give the job `permissions: pull-requests: write`');
    expect(plainCommands(run.stdout, 'warning')).toEqual([]);
  }, 60_000);

  test('delete: the comment is deleted on all clear; findings back: a new one; no comment and all clear: nothing', async () => {
    const dir = ws('heroku-runserver');
    const inputs = { comment: 'on-failure', 'check-run': 'false', 'comment-on-clear': 'delete' };
    await runBundledAction(bundle, dir, gh.url, inputs);
    const id = gh.comments[0].id;
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${GUNICORN}\n`);
    gh.clearRequests();
    const clear = await runBundledAction(bundle, dir, gh.url, inputs);
    noStderr(clear);
    expect(apiCalls(gh).filter((x) => !x.startsWith('GET /api/v3/user'))).toEqual(['GET /issues/7/comments', `DELETE /issues/comments/${id}`]);
    expect(gh.comments).toEqual([]);
    expect(clear.stdout).toContain('pull request comment deleted (all clear)');

    gh.clearRequests();
    await runBundledAction(bundle, dir, gh.url, inputs);
    expect(apiCalls(gh).filter((x) => !x.startsWith('GET /api/v3/user'))).toEqual(['GET /issues/7/comments']);

    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\n`);
    await runBundledAction(bundle, dir, gh.url, inputs);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].id).not.toBe(id);
  }, 120_000);
});
