/**
 * The action as a required check (issue 15) and the comment that only we own (issue 16): the
 * bundled action (dist/index.js) run as a child process with INPUT_* variables and a real
 * event file, against the loopback GitHub API of fixtures-github/harness.ts. Set DDL_E2E_NODE
 * to a Node 24 binary to run the bundle as action.yml's `runs.using: node24` does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBundle, E2E_NODE, FakeGitHub, HEAD_SHA, makeWorkspace, OWNER, plainCommands, PR, REPO, runBundledAction, type ActionRun } from './fixtures-github/harness.js';
import MarkdownIt from 'markdown-it';
import { parseOutputs } from './e2e-helpers.js';

const gfm = new MarkdownIt({ html: true });

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
const apiCalls = (g: FakeGitHub) => g.requests.map((r) => `${r.method} ${r.path.replace(`/api/v3/repos/${OWNER}/${REPO}`, '')}`);
const noStderr = (run: ActionRun) => expect(run.stderr).toBe('');
const outputs = (run: ActionRun) => parseOutputs(run.outputs);
const forkEvent = { pull_request: { number: PR, head: { sha: HEAD_SHA, repo: { fork: true, full_name: 'someone/app' } } } };
/** The workflow commands that carry a finding (they have a title). */
const findingCommands = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^::(error|warning|notice) [^:]*title=/.test(l))
    .map((l) => ({ file: /file=([^,:]*)/.exec(l)?.[1], data: l.slice(l.indexOf('::', 2) + 2) }));

test('the bundles run under the node given by DDL_E2E_NODE (default: the test runner\'s)', () => {
  const v = spawnSync(E2E_NODE, ['--version'], { encoding: 'utf8' });
  expect(v.stdout).toMatch(/^v\d+\./);
});

describe('suggestions never break a deploy (issue 15, defects 1 and 2)', () => {
  const procfilePatch = (line: string) => `@@ -1 +1 @@\n-web: gunicorn old.wsgi\n+${line}`;

  test('--settings and an explicit port are kept, in the suggestion and in the annotation', async () => {
    const line = 'web: python manage.py runserver 0.0.0.0:9000 --settings=proj.settings_prod';
    const dir = ws('heroku-runserver', { Procfile: `${line}\n`, 'proj/settings_prod.py': 'DEBUG = False\n' });
    gh.files = [{ filename: 'Procfile', patch: procfilePatch(line), status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    noStderr(run);
    const fixed = 'web: gunicorn proj.wsgi --bind 0.0.0.0:9000 --env DJANGO_SETTINGS_MODULE=proj.settings_prod';
    expect(gh.reviewComments).toHaveLength(1);
    expect(gh.reviewComments[0].body).toContain('```suggestion\n' + fixed + '\n```');
    const dpl101 = findingCommands(run.stdout).find((c) => c.data.includes('runserver'));
    expect(dpl101?.data).toContain('Fix: gunicorn proj.wsgi --bind 0.0.0.0:9000 --env DJANGO_SETTINGS_MODULE=proj.settings_prod');
  }, 60_000);

  test('--pythonpath is carried too (gunicorn\'s --pythonpath), in the suggestion and in the annotation', async () => {
    const line = 'web: python manage.py runserver 0.0.0.0:9000 --pythonpath=src --settings=proj.settings_prod';
    const dir = ws('heroku-runserver', { Procfile: `${line}\n`, 'proj/settings_prod.py': 'DEBUG = False\n' });
    gh.files = [{ filename: 'Procfile', patch: procfilePatch(line), status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    noStderr(run);
    const fixed = 'web: gunicorn proj.wsgi --bind 0.0.0.0:9000 --env DJANGO_SETTINGS_MODULE=proj.settings_prod --pythonpath src';
    expect(gh.reviewComments.map((c) => c.body)).toEqual([expect.stringContaining('```suggestion\n' + fixed + '\n```')]);
    expect(findingCommands(run.stdout).find((c) => c.data.includes('runserver'))?.data).toContain('--pythonpath src');
  }, 60_000);

  test('gunicorn not declared, requirements.txt in the diff: a second suggestion adds it, in the same review', async () => {
    const dir = ws('heroku-runserver', { 'requirements.txt': 'Django==5.2\nwhitenoise==6.9.0\n' });
    gh.files = [
      { filename: 'Procfile', patch: procfilePatch(`web: ${RUNSERVER}`), status: 'modified' },
      { filename: 'requirements.txt', patch: '@@ -1,2 +1,2 @@\n Django==5.2\n-whitenoise==6.8.0\n+whitenoise==6.9.0', status: 'modified' },
    ];
    const run = await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    noStderr(run);
    expect(apiCalls(gh).filter((c) => c === 'POST /pulls/7/reviews')).toHaveLength(1);
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['Procfile:1', 'requirements.txt:2']);
    expect(gh.reviewComments[0].body).toContain('```suggestion\nweb: gunicorn proj.wsgi --bind 0.0.0.0:$PORT\n```');
    expect(gh.reviewComments[1].body).toContain('```suggestion\nwhitenoise==6.9.0\ngunicorn\n```');
    // The annotation's fix says it too, and so does the JSON report.
    expect(findingCommands(run.stdout).find((c) => c.data.includes('runserver'))?.data).toContain('also add `gunicorn` to requirements.txt');
  }, 60_000);

  test('gunicorn not declared and the dependency file is not in the diff: no one-click suggestion, the fix in words', async () => {
    const dir = ws('heroku-runserver', { 'requirements.txt': 'Django==5.2\n' });
    gh.files = [{ filename: 'Procfile', patch: procfilePatch(`web: ${RUNSERVER}`), status: 'modified' }];
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(1);
    const body = gh.reviewComments[0].body;
    expect(body).not.toContain('```suggestion');
    expect(body).toContain('first add <code>gunicorn</code> to requirements.txt');
    expect(body).toContain('```text\nweb: gunicorn proj.wsgi --bind 0.0.0.0:$PORT\n```');
  }, 60_000);

  test('pyproject.toml dependencies: the closing bracket gets the new entry', async () => {
    const dir = ws('heroku-runserver', {
      'requirements.txt': '',
      'pyproject.toml': '[project]\nname = "proj"\nversion = "1"\ndependencies = [\n    "django>=5",\n]\n',
    });
    fs.rmSync(path.join(dir, 'requirements.txt'));
    gh.files = [
      { filename: 'Procfile', patch: procfilePatch(`web: ${RUNSERVER}`), status: 'modified' },
      { filename: 'pyproject.toml', patch: '@@ -1,6 +1,6 @@\n [project]\n name = "proj"\n-version = "0"\n+version = "1"\n dependencies = [\n     "django>=5",\n ]', status: 'modified' },
    ];
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(['Procfile:1', 'pyproject.toml:6']);
    expect(gh.reviewComments[1].body).toContain('```suggestion\n    "gunicorn",\n]\n```');
  }, 60_000);
});

describe('each permission degrades on its own (issue 15, defect 3)', () => {
  test('no checks: write: the comment is still posted; the notice names the permission, not a fork; the summary lists what was skipped', async () => {
    gh.forbid = ['/check-runs'];
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { comment: 'always' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(gh.comments).toHaveLength(1);
    expect(run.stdout).toContain('the token may not create a check run (HTTP 403): give the job `permissions: checks: write`');
    expect(run.stdout).not.toMatch(/fork/);
    expect(run.summary).toContain('> Not posted: the check run: the token lacks `checks: write` (HTTP 403).');
  }, 60_000);

  test('no pull-requests: write: the check run is still created; one notice naming it', async () => {
    gh.forbid = ['/issues', '/pulls'];
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { comment: 'always', 'check-run': 'true' });
    noStderr(run);
    expect(gh.checkRuns).toHaveLength(1);
    const notices = plainCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('the token may not comment on the pull request (HTTP 403): give the job `permissions: pull-requests: write`');
  }, 60_000);

  test('a pull request from a fork: the notices say so and give advice that works for forks', async () => {
    gh.mode = 'forbidden';
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { comment: 'always', 'check-run': 'true' }, {}, { event: forkEvent });
    noStderr(run);
    expect(run.status).toBe(1);
    const notices = plainCommands(run.stdout, 'notice');
    expect(notices).toHaveLength(2);
    for (const n of notices) expect(n).toMatch(/this pull request comes from a fork.*`workflow_run`/);
    expect(run.summary).toContain('> Not posted: the check run: a pull request from a fork gets a read-only token (HTTP 403).');
  }, 60_000);
});

describe('baselines, paths, failures (issue 15, defects 4 to 6)', () => {
  test('baselined findings are in the action\'s SARIF (baselineState) and JSON, as with the CLI', async () => {
    const dir = ws('heroku-runserver', { Procfile: `web: ${RUNSERVER}\nworker: ${RUNSERVER}\n` });
    const cli = spawnSync(E2E_NODE, [path.join(bundle, 'cli.js'), '.', '--write-baseline', 'baseline.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(cli.status).toBe(0);
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\nworker: ${RUNSERVER}\nclock: ${RUNSERVER}\n`);
    let json: any;
    const run = await runBundledAction(bundle, dir, gh.url, { baseline: 'baseline.json', 'sarif-file': 'out/ddl.sarif', 'check-run': 'false' }, {}, {
      inspect: (r) => {
        json = JSON.parse(fs.readFileSync(parseOutputs(r.outputs).json, 'utf8'));
      },
    });
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out/ddl.sarif'), 'utf8'));
    noStderr(run);
    const states = sarif.runs[0].results.map((r: any) => `${r.locations[0].physicalLocation.region.startLine}:${r.baselineState}`);
    expect(states).toEqual(['1:unchanged', '2:unchanged', '3:new']);
    expect(json.findings.map((f: any) => f.line)).toEqual([3]);
    expect(json.baselined.map((f: any) => f.line)).toEqual([1, 2]);
    expect(json.findings[0].fix).toBe('gunicorn proj.wsgi --bind 0.0.0.0:$PORT');
  }, 60_000);

  test('a checkout in a folder: every path is relative to the repository, found from .git or given as checkout-path', async () => {
    const dir = ws('heroku-runserver');
    fs.mkdirSync(path.join(dir, 'app', 'svc'), { recursive: true });
    for (const f of fs.readdirSync(dir)) if (f !== 'app') fs.renameSync(path.join(dir, f), path.join(dir, 'app', 'svc', f));
    fs.mkdirSync(path.join(dir, 'app', '.git'));
    const run = await runBundledAction(bundle, dir, gh.url, { path: 'app/svc', 'check-run': 'true', 'sarif-file': 'ddl.sarif' });
    noStderr(run);
    expect(findingCommands(run.stdout).map((c) => c.file)).toEqual(['svc/Procfile']);
    expect(gh.checkRuns[0].annotations.map((a) => a.path)).toEqual(['svc/Procfile']);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'ddl.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('svc/Procfile');
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'django-deploy-lint/app/svc/' });
    expect(run.summary).toContain(`(https://github.example/octo/app/blob/${HEAD_SHA}/svc/Procfile#L1)`);
    expect(run.summary).not.toContain('app/svc/Procfile');

    // Without .git, the input says where the repository is.
    fs.rmSync(path.join(dir, 'app', '.git'), { recursive: true });
    const given = await runBundledAction(bundle, dir, gh.url, { path: 'app/svc', 'checkout-path': 'app', 'check-run': 'false' });
    expect(findingCommands(given.stdout).map((c) => c.file)).toEqual(['svc/Procfile']);
  }, 60_000);

  test.each([
    ['an invalid input', { 'fail-on': 'bogus' }, {}, /Input 'fail-on' must be one of/],
    ['a path that does not exist', { path: 'nope' }, {}, /Input 'path' is not a directory: nope/],
    ['an invalid configuration', {}, { '.django-deploy-lint.yml': 'rules:\n  DPL999: off\n' }, /the configuration is invalid/],
  ])('%s: summary, outputs, a failed check run and a valid empty SARIF', async (_name, inputs, files, message) => {
    const dir = ws('heroku-runserver', files as Record<string, string>);
    const run = await runBundledAction(bundle, dir, gh.url, { ...(inputs as Record<string, string>), 'sarif-file': 'ddl.sarif' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(run.summary).toMatch(/^## ❌ django-deploy-lint could not run\n/);
    expect(gfm.render(run.summary)).toMatch(message);
    expect(outputs(run)).toMatchObject({ result: 'fail', errors: '0', targets: '0', sarif: path.join(dir, 'ddl.sarif') });
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'failure', head_sha: HEAD_SHA });
    expect(gh.checkRuns[0].output.title).toBe('django-deploy-lint could not run');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'ddl.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
  }, 60_000);
});

describe('truncation and caps (issue 15, defects 7 and 8; issue 16, defect 12)', () => {
  const procfile = (n: number) => Array.from({ length: n }, (_, i) => `${i === 0 ? 'web' : `w${i}`}: ${RUNSERVER}`).join('\n') + '\n';

  test('70 findings: the comment holds findings before targets and states its real cap', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: procfile(70) }), gh.url, { comment: 'always', 'check-run': 'false' });
    noStderr(run);
    const body = gh.comments[0].body;
    expect(body.indexOf('### Findings')).toBeGreaterThan(0);
    expect(body.indexOf('### Findings')).toBeLessThan(body.indexOf('### Targets') < 0 ? Infinity : body.indexOf('### Targets'));
    const shown = (body.match(/^- /gm) ?? []).length;
    const more = /\*\*… (\d+) more findings? not shown\*\*: ([^\n]*)/.exec(body);
    if (more) {
      expect(shown + Number(more[1])).toBe(70);
      expect(more[2]).toContain('limited to 60 KB');
      expect(more[2]).not.toContain('1 MiB');
    } else {
      expect(shown).toBe(70);
    }
  }, 60_000);

  test('1,200 findings: at most 1,000 annotations in 20 requests, the most severe first; what was left out is said', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: procfile(1200) }), gh.url, { 'check-run': 'true' });
    noStderr(run);
    expect(gh.requests.filter((r) => r.path.includes('/check-runs'))).toHaveLength(20);
    const cr = gh.checkRuns[0];
    expect(cr.annotations).toHaveLength(1000);
    expect(cr.output.summary).toContain('200 more findings are not sent as annotations (at most 1000, the most severe first)');
    // The text shows findings, not only target rows.
    expect(cr.output.text).toMatch(/### Findings\n/);
    expect((cr.output.text!.match(/^- /gm) ?? []).length).toBeGreaterThan(10);
    expect(run.summary).toContain('more findings are in the log and the JSON report');
  }, 120_000);
});

describe('API failures (issue 15 "Also"; issue 16, defect 11)', () => {
  test('a 500 to POST /check-runs after it was created: looked up by external_id, never created twice', async () => {
    gh.failAfterDoing = 1;
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true' });
    noStderr(run);
    expect(gh.checkRuns).toHaveLength(1);
    expect(apiCalls(gh)).toEqual(['POST /check-runs', `GET /commits/${HEAD_SHA}/check-runs`]);
    expect(plainCommands(run.stdout, 'warning')).toEqual([]);
  }, 60_000);

  test('persistent 500: reported as a server error, not as a timeout', async () => {
    gh.failNext = 1000;
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'false', comment: 'always' }, { DJANGO_DEPLOY_LINT_GITHUB_TIMEOUT: '20' });
    const warnings = plainCommands(run.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('server error (HTTP 500)');
    expect(warnings[0]).not.toMatch(/did not answer/);
  }, 60_000);

  test.each([
    ['429 with retry-after: 3600', { status: 429, headers: { 'retry-after': '3600' } }],
    ['403 with x-ratelimit-remaining: 0', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1800) } }],
  ])('rate limited (%s): no sleep, one warning "rate limited, retry after …"', async (_n, limit) => {
    gh.mode = 'rate-limited';
    gh.rateLimit = limit;
    const run = await runBundledAction(bundle, ws('heroku-runserver'), gh.url, { 'check-run': 'true', comment: 'always' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(gh.requests).toHaveLength(1);
    const warnings = plainCommands(run.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/GitHub rate limited the token while trying to create a check run \(HTTP 4\d\d\): retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(warnings[0]).not.toMatch(/did not answer/);
  }, 60_000);
});

describe('the sticky comment is ours only (issue 16, defect 4) and its controls', () => {
  test('a comment of someone else carrying our marker is never edited', async () => {
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    const marker = /<!-- django-deploy-lint:sticky:[0-9a-f]{16} -->/.exec(gh.comments[0].body)![0];
    // Mallory copies the marker into her own, older comment; ours is gone.
    gh.comments = [{ id: 1, body: `pwned\n${marker}\n`, user: { login: 'mallory', type: 'User' } }];
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.comments[0].body).toBe(`pwned\n${marker}\n`);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1].user.login).toBe('github-actions[bot]');
    expect(apiCalls(gh)).not.toContain('PATCH /issues/comments/1');
  }, 60_000);

  test('a personal token: its user (GET /user) owns the comment', async () => {
    gh.user = 'octocat';
    gh.author = 'octocat';
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\nworker: ${RUNSERVER}\n`);
    gh.clearRequests();
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.comments).toHaveLength(1);
    expect(apiCalls(gh)).toContain(`PATCH /issues/comments/${gh.comments[0].id}`);
  }, 60_000);

  test('a suggestion key in someone else\'s review comment does not suppress our suggestion', async () => {
    const line = `web: ${RUNSERVER}`;
    gh.files = [{ filename: 'Procfile', patch: `@@ -1 +1 @@\n-web: x\n+${line}`, status: 'modified' }];
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    const key = /django-deploy-lint:suggestion:[0-9a-f]{16}/.exec(gh.reviewComments[0].body)![0];
    gh.reviewComments = [{ id: 5, path: 'Procfile', line: 1, side: 'RIGHT', body: `nope <!-- ${key} -->`, commit_id: HEAD_SHA, user: { login: 'mallory' } }];
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    expect(gh.reviewComments).toHaveLength(2);
  }, 60_000);

  test('all clear: no link to annotations when there are none; comment-on-clear: delete and hide; comment-key', async () => {
    const dir = ws('heroku-runserver');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'true' });
    expect(gh.comments[0].body).toContain('[All findings as annotations in the check run]');
    fs.writeFileSync(path.join(dir, 'Procfile'), 'web: gunicorn proj.wsgi\n');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'true' });
    expect(gh.comments[0].body).toMatch(/all clear/);
    expect(gh.comments[0].body).not.toContain('annotations');

    // hide: edited to all clear, then minimized.
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\n`);
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false' });
    fs.writeFileSync(path.join(dir, 'Procfile'), 'web: gunicorn proj.wsgi\n');
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false', 'comment-on-clear': 'hide' });
    expect(gh.graphql).toHaveLength(1);
    expect(gh.graphql[0].variables).toEqual({ id: gh.comments[0].node_id });

    // delete.
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false', 'comment-on-clear': 'delete' });
    expect(gh.comments).toHaveLength(0);

    // comment-key: two paths with one key share one comment.
    fs.writeFileSync(path.join(dir, 'Procfile'), `web: ${RUNSERVER}\n`);
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false', 'comment-key': 'deploy' });
    await runBundledAction(bundle, dir, gh.url, { comment: 'always', 'check-run': 'false', 'comment-key': 'deploy', path: './' });
    expect(gh.comments).toHaveLength(1);
  }, 120_000);
});

describe('filter-mode: only what the pull request changed decides the check', () => {
  const two = `web: ${RUNSERVER}\nworker: ${RUNSERVER}\n`;

  test('added: the finding on the added line counts; the other is listed apart, not counted, not annotated', async () => {
    gh.files = [{ filename: 'Procfile', patch: `@@ -1,1 +1,2 @@\n web: ${RUNSERVER}\n+worker: ${RUNSERVER}`, status: 'modified' }];
    let json: any;
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: two }), gh.url, { 'filter-mode': 'added', 'check-run': 'true' }, {}, {
      inspect: (r) => (json = JSON.parse(fs.readFileSync(parseOutputs(r.outputs).json, 'utf8'))),
    });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(outputs(run).errors).toBe('1');
    expect(findingCommands(run.stdout).filter((c) => c.data.includes('runserver'))).toHaveLength(1);
    expect(gh.checkRuns[0].annotations.map((a) => a.start_line)).toEqual([2]);
    expect(json.findings.map((f: any) => f.line)).toEqual([2]);
    expect(json.outside).toMatchObject({ filterMode: 'added', findings: [{ line: 1 }] });
    expect(run.summary).toContain('1 finding outside what this pull request changed (`filter-mode: added`; not counted)');

    // diff_context: the context line counts too.
    const ctx = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: two }), gh.url, { 'filter-mode': 'diff_context', 'check-run': 'false' });
    expect(parseOutputs(ctx.outputs).errors).toBe('2');
  }, 60_000);

  test('a change anywhere on the chain: editing the Procfile line owns the runserver in the script it runs', async () => {
    const dir = ws('heroku-runserver', { Procfile: 'web: bin/start\n', 'bin/start': `#!/bin/sh\nexec ${RUNSERVER}\n` });
    fs.chmodSync(path.join(dir, 'bin/start'), 0o755);
    gh.files = [{ filename: 'Procfile', patch: '@@ -1 +1 @@\n-web: gunicorn proj.wsgi\n+web: bin/start', status: 'modified' }];
    const run = await runBundledAction(bundle, dir, gh.url, { 'filter-mode': 'added', 'check-run': 'false' });
    noStderr(run);
    expect(run.status).toBe(1);
    expect(findingCommands(run.stdout).map((c) => c.file)).toContain('bin/start');

    // A pull request that touches neither: nothing counts, the step passes.
    gh.files = [{ filename: 'README.md', patch: '@@ -0,0 +1 @@\n+hi', status: 'added' }];
    const other = await runBundledAction(bundle, dir, gh.url, { 'filter-mode': 'added', 'check-run': 'false' });
    expect(other.status).toBe(0);
    expect(parseOutputs(other.outputs).result).toBe('pass');
  }, 60_000);

  test('no pull request (a push): a notice, and every finding counts', async () => {
    const run = await runBundledAction(bundle, ws('heroku-runserver', { Procfile: two }), gh.url, { 'filter-mode': 'file', 'check-run': 'false' }, {}, { event: { ref: 'refs/heads/main' } });
    expect(outputs(run).errors).toBe('2');
    expect(plainCommands(run.stdout, 'notice')[0]).toContain('`filter-mode: file` needs a pull request event');
  }, 60_000);
});

describe('issue 15, "Also" and the large runs, end to end', () => {
  test('code renders as code (GFM) in the job summary and the comment; a % in a file name is encoded once', async () => {
    const dir = ws('heroku-runserver');
    fs.mkdirSync(path.join(dir, 'web%20app'));
    for (const f of ['Procfile', 'manage.py', 'proj', 'requirements.txt']) fs.renameSync(path.join(dir, f), path.join(dir, 'web%20app', f));
    const run = await runBundledAction(bundle, dir, gh.url, { path: 'web%20app', comment: 'always', 'check-run': 'false' });
    noStderr(run);
    for (const md of [run.summary, gh.comments[0].body]) {
      const html = gfm.render(md);
      expect(html).toContain('<code>runserver</code>');
      expect(html).not.toMatch(/`[a-z]+`/);
      expect(html).not.toContain('&amp;#');
      expect(html).toContain('web%20app/Procfile:1');
      expect(html).not.toContain('web%2520app/Procfile:1');
    }
    // The link to the file is encoded once: `%` → `%25`.
    expect(run.summary).toContain(`(https://github.example/octo/app/blob/${HEAD_SHA}/web%2520app/Procfile#L1)`);
  }, 60_000);

  test('the comment marker does not depend on how `path` is written: services/api/ and ./services/api share one comment', async () => {
    const dir = ws('heroku-runserver');
    fs.mkdirSync(path.join(dir, 'services', 'api'), { recursive: true });
    for (const f of ['Procfile', 'manage.py', 'proj', 'requirements.txt']) fs.renameSync(path.join(dir, f), path.join(dir, 'services', 'api', f));
    await runBundledAction(bundle, dir, gh.url, { path: 'services/api/', comment: 'always', 'check-run': 'false' });
    await runBundledAction(bundle, dir, gh.url, { path: './services/api', comment: 'always', 'check-run': 'false' });
    await runBundledAction(bundle, dir, gh.url, { path: 'services//api', comment: 'always', 'check-run': 'false' });
    expect(gh.comments).toHaveLength(1);
  }, 90_000);

  test('2,500 targets with a finding each: the summary, the comment and the check-run text show findings first, targets summarised, real caps stated', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2500; i++) {
      files[`s${i}/Procfile`] = `web: ${RUNSERVER}\n`;
      files[`s${i}/manage.py`] = '';
    }
    const run = await runBundledAction(bundle, ws('heroku-runserver', files), gh.url, { comment: 'always', 'check-run': 'true' });
    noStderr(run);
    const texts = { summary: run.summary, comment: gh.comments[0].body, checkRun: gh.checkRuns[0].output.text! };
    for (const [where, text] of Object.entries(texts)) {
      const findings = text.indexOf('### Findings');
      expect([where, findings]).toEqual([where, expect.any(Number)]);
      expect(findings).toBeGreaterThan(0);
      const targets = text.indexOf('### Targets');
      if (targets >= 0) expect(findings).toBeLessThan(targets);
      expect((text.match(/^- /gm) ?? []).length).toBeGreaterThan(50);
    }
    expect(texts.summary).toContain('the job summary is limited to 1 MiB per step');
    expect(texts.comment).toContain('limited to 60 KB');
    expect(texts.comment).not.toContain('1 MiB');
    expect(texts.checkRun).toContain('limited to 60 KB');
  }, 240_000);

  test('26,000 results: the SARIF file holds the 25,000 most severe; the run\'s properties and the summary say so', async () => {
    // 26 Procfiles of 1,000 processes (one file of 26,000 would be over the 1 MiB read limit).
    const procfile = Array.from({ length: 1000 }, (_, i) => `${i === 0 ? 'web' : `w${i}`}: ${RUNSERVER}`).join('\n') + '\n';
    const files: Record<string, string> = {};
    for (let i = 0; i < 26; i++) files[`s${i}/Procfile`] = procfile;
    const dir = ws('heroku-runserver', files);
    const run = await runBundledAction(bundle, dir, gh.url, { 'sarif-file': 'ddl.sarif', 'check-run': 'false' });
    noStderr(run);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'ddl.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(25_000);
    expect(sarif.runs[0].properties).toMatchObject({ resultsTruncated: true, resultsOmitted: expect.any(Number) });
    expect(sarif.runs[0].properties.resultsOmitted).toBeGreaterThanOrEqual(1000);
    expect(run.summary).toMatch(/The SARIF file holds the 25,000 most severe results \(code scanning accepts no more per run\); [\d,]+ results left out are in the JSON report\./);
  }, 300_000);
});
