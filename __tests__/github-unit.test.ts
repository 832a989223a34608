/**
 * The pieces of the GitHub reporting in isolation: diff lines, mechanical suggestions, the
 * retrying client (with a fake Octokit), annotations, markers, and that the CLI's module graph
 * never reaches @actions/github.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitHubError, readContext, wrap } from '../src/github/api.js';
import { checkAnnotation, clipText, conclusionOf } from '../src/github/checks.js';
import { commentMarker } from '../src/github/comment.js';
import { changedLines, renderLine, suggestionBody } from '../src/github/suggestions.js';
import { commandEdit } from '../src/rules/runserver-in-production.js';
import type { Finding } from '../src/core/finding.js';
import { finding, result } from './report-factory.js';
import { ROOT } from './fixtures-github/harness.js';

const FIX = 'gunicorn proj.wsgi --bind 0.0.0.0:$PORT';

/** A DPL101 finding on `line`, spanning `span` (which must occur in it). */
function on(file: string, line: string, span: string, fix = FIX): Finding {
  const col = line.indexOf(span) + 1;
  expect(col).toBeGreaterThan(0);
  return finding({ ruleId: 'DPL101', rule: 'runserver-in-production', file, line: 3, endLine: 3, column: col, endColumn: col + span.length, fix });
}

describe('changedLines', () => {
  test('added lines on the new side; context and removals move the counters correctly', () => {
    const patch = ['@@ -1,4 +1,5 @@', ' a', '-b', '+B', '+C', ' d', '@@ -10,2 +11,3 @@', ' x', '+y', ' z', '\\ No newline at end of file'].join('\n');
    expect([...changedLines(patch)].sort((a, b) => a - b)).toEqual([2, 3, 12]);
  });
  test('a new file, and no patch at all', () => {
    expect([...changedLines('@@ -0,0 +1,2 @@\n+a\n+b')]).toEqual([1, 2]);
    expect(changedLines('').size).toBe(0);
  });
});

/**
 * The line a suggestion proposes for a DPL101 finding: the rule's edit (commandEdit), rendered
 * by the adapter (renderLine). Null when the rule makes no edit there.
 */
function suggestionLine(f: Finding, lineText: string): string | null {
  if (f.ruleId !== 'DPL101' || !f.fix) return null;
  const edit = commandEdit({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }, lineText, f.fix);
  return edit ? renderLine(edit, lineText) : null;
}

describe('suggested lines: the edit of the rule, rendered on the line (mechanical fixes only)', () => {
  test('Procfile: the command after `web:` is replaced', () => {
    const l = 'web: python manage.py runserver 0.0.0.0:$PORT';
    expect(suggestionLine(on('Procfile', l, 'python manage.py runserver 0.0.0.0:$PORT'), l)).toBe(`web: ${FIX}`);
  });
  test('Procfile with sh -c: only the runserver part, the quote kept', () => {
    const l = 'web: sh -c "python manage.py migrate && python manage.py runserver 0.0.0.0:$PORT"';
    expect(suggestionLine(on('Procfile', l, 'python manage.py runserver 0.0.0.0:$PORT'), l)).toBe(`web: sh -c "python manage.py migrate && ${FIX}"`);
  });
  test('Dockerfile exec form: JSON array elements; shell form: the text', () => {
    const exec = 'CMD ["tini", "--", "python", "manage.py", "runserver", "0.0.0.0:8000"]';
    const fix = 'gunicorn proj.wsgi --bind 0.0.0.0:8000';
    expect(suggestionLine(on('Dockerfile', exec, '"python", "manage.py", "runserver", "0.0.0.0:8000"', fix), exec)).toBe('CMD ["tini", "--", "gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]');
    const shell = 'CMD python manage.py runserver 0.0.0.0:$PORT';
    expect(suggestionLine(on('docker/Dockerfile.prod', shell, 'python manage.py runserver 0.0.0.0:$PORT'), shell)).toBe(`CMD ${FIX}`);
  });
  test('not mechanical: placeholder fix, $VAR in exec form, ENTRYPOINT, scripts, other rules, trailing commands', () => {
    const l = 'web: python manage.py runserver 0.0.0.0:$PORT';
    const span = 'python manage.py runserver 0.0.0.0:$PORT';
    expect(suggestionLine(on('Procfile', l, span, 'gunicorn <project>.wsgi --bind 0.0.0.0:$PORT'), l)).toBeNull();
    expect(suggestionLine(on('Procfile', l, span, 'in that branch, exit with an error'), l)).toBeNull();
    expect(suggestionLine({ ...on('Procfile', l, span), ruleId: 'DPL105' }, l)).toBeNull();
    expect(suggestionLine(on('bin/start', `exec ${span}`, span), `exec ${span}`)).toBeNull();
    const exec = 'CMD ["python", "manage.py", "runserver", "0.0.0.0:$PORT"]';
    expect(suggestionLine(on('Dockerfile', exec, '"python", "manage.py", "runserver", "0.0.0.0:$PORT"'), exec)).toBeNull();
    const ep = 'ENTRYPOINT python manage.py runserver 0.0.0.0:$PORT';
    expect(suggestionLine(on('Dockerfile', ep, span), ep)).toBeNull();
    const more = `web: ${span} && echo done`;
    expect(suggestionLine(on('Procfile', more, span), more)).toBeNull();
  });
  test('a line that does not match the finding (file changed since) gives nothing', () => {
    const f = on('Procfile', 'web: python manage.py runserver 0.0.0.0:$PORT', 'python manage.py runserver 0.0.0.0:$PORT');
    expect(suggestionLine(f, 'web: gunicorn x')).toBeNull();
  });
  test('the body fences the line with more backticks than it contains, and carries the key', () => {
    const f = on('Procfile', 'web: python manage.py runserver 0.0.0.0:$PORT', 'python manage.py runserver 0.0.0.0:$PORT');
    const body = suggestionBody({ path: 'Procfile', line: 1, replacement: 'web: a ```` b', finding: f, key: '0123456789abcdef' });
    expect(body).toContain('`````suggestion\nweb: a ```` b\n`````');
    expect(body).toContain('<!-- django-deploy-lint:suggestion:0123456789abcdef -->');
  });
});

describe('the retrying client', () => {
  const httpError = (status: number, headers: Record<string, string> = {}, message = 'x') =>
    Object.assign(new Error(message), { status, response: { headers, data: { message } } });

  test('5xx and secondary rate limits are retried; the answer is returned', async () => {
    const errors = [httpError(502), httpError(403, { 'retry-after': '0' }, 'You have exceeded a secondary rate limit')];
    let calls = 0;
    const api = wrap({ request: async () => (calls++, errors.length ? Promise.reject(errors.shift()) : { status: 200, data: { ok: 1 }, headers: {} }) }, { token: 't', apiUrl: 'x', deadline: Date.now() + 10_000, backoffMs: 1 });
    await expect(api.request('GET /x')).resolves.toMatchObject({ data: { ok: 1 } });
    expect(calls).toBe(3);
  });
  test('403/404 without a rate limit: denied at once; 422: failed at once', async () => {
    let calls = 0;
    const api403 = wrap({ request: async () => (calls++, Promise.reject(httpError(403, {}, 'Resource not accessible by integration'))) }, { token: 't', apiUrl: 'x', deadline: Date.now() + 10_000, backoffMs: 1 });
    await expect(api403.request('POST /y')).rejects.toMatchObject({ kind: 'denied', status: 403 });
    expect(calls).toBe(1);
    const api422 = wrap({ request: async () => Promise.reject(httpError(422)) }, { token: 't', apiUrl: 'x', deadline: Date.now() + 10_000, backoffMs: 1 });
    await expect(api422.request('POST /y')).rejects.toMatchObject({ kind: 'failed', status: 422 });
  });
  test('at most 4 attempts on persistent 500', async () => {
    let calls = 0;
    const api = wrap({ request: async () => (calls++, Promise.reject(httpError(500))) }, { token: 't', apiUrl: 'x', deadline: Date.now() + 10_000, backoffMs: 1 });
    await expect(api.request('GET /z')).rejects.toBeInstanceOf(GitHubError);
    expect(calls).toBe(4);
  });
  test('the deadline aborts a request that never answers', async () => {
    const api = wrap(
      {
        request: (_route, params) =>
          new Promise((_, reject) => (params?.request as { signal: AbortSignal }).signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))),
      },
      { token: 't', apiUrl: 'x', deadline: Date.now() + 200, backoffMs: 1 },
    );
    const t = Date.now();
    await expect(api.request('GET /slow')).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - t).toBeLessThan(2000);
  });
  test('list follows pages until a short page', async () => {
    const pages = [Array.from({ length: 100 }, (_, i) => i), [100, 101]];
    const api = wrap({ request: async (_r, p) => ({ status: 200, data: pages[(p!.page as number) - 1] ?? [], headers: {} }) }, { token: 't', apiUrl: 'x', deadline: Date.now() + 1000 });
    expect(await api.list('GET /l')).toHaveLength(102);
  });
});

describe('annotations, conclusion, markers, context', () => {
  test('columns only on a one-line span; prefix applied; files outside the repository skipped', () => {
    const one = checkAnnotation(finding({ file: 'Procfile', line: 1, endLine: 1, column: 6, endColumn: 46 }), 'app');
    expect(one).toMatchObject({ path: 'app/Procfile', start_line: 1, end_line: 1, start_column: 6, end_column: 46 });
    const multi = checkAnnotation(finding({ file: 'Dockerfile', line: 2, endLine: 4, column: 1, endColumn: 3 }), '');
    expect(multi).not.toHaveProperty('start_column');
    expect(checkAnnotation(finding({ file: '' }), '')).toBeNull();
    expect(checkAnnotation(finding({ file: '../x' }), '')).toBeNull();
  });
  test('conclusion from fail-on', () => {
    expect(conclusionOf(result([finding({})]), true)).toBe('failure');
    expect(conclusionOf(result([finding({})]), false)).toBe('neutral');
    expect(conclusionOf(result([]), false)).toBe('success');
  });
  test('one marker per workflow, job and path', () => {
    const a = commentMarker({ workflow: 'w', job: 'j' }, '.');
    expect(a).toMatch(/^<!-- django-deploy-lint:sticky:[0-9a-f]{16} -->$/);
    expect(commentMarker({ workflow: 'w', job: 'j' }, '.')).toBe(a);
    expect(commentMarker({ workflow: 'w', job: 'k' }, '.')).not.toBe(a);
    expect(commentMarker({ workflow: 'w', job: 'j' }, 'sub')).not.toBe(a);
  });
  test('clipText stays within the limit and says so', () => {
    const s = 'line\n'.repeat(20_000);
    const c = clipText(s, 65535);
    expect(c.length).toBeLessThanOrEqual(65535);
    expect(c).toContain('clipped');
  });
  test('readContext: the pull request head, GHES API URL; nothing without a repository', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-ctx-'));
    try {
      const event = path.join(dir, 'event.json');
      fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 12, head: { sha: 'c'.repeat(40) } } }));
      const { context } = readContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'a'.repeat(40), GITHUB_EVENT_PATH: event, GITHUB_API_URL: 'https://ghe.example/api/v3/' });
      expect(context).toMatchObject({ owner: 'o', repo: 'r', pullNumber: 12, headSha: 'c'.repeat(40), apiUrl: 'https://ghe.example/api/v3' });
      expect(readContext({ GITHUB_SHA: 'a'.repeat(40) }).context).toBeNull();
      expect(readContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'a'.repeat(40) }).context).toMatchObject({ pullNumber: null, apiUrl: 'https://api.github.com' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('@actions/github stays lazy', () => {
  test('no module imports it statically; only src/github/api.ts loads it, with import()', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(ROOT, 'src'));
    const users = files.filter((f) => fs.readFileSync(f, 'utf8').includes("'@actions/github'"));
    expect(users.map((f) => path.relative(ROOT, f))).toEqual([path.join('src', 'github', 'api.ts')]);
    const text = fs.readFileSync(path.join(ROOT, 'src', 'github', 'api.ts'), 'utf8');
    expect(text).not.toMatch(/^import[^;]*'@actions\/github'/m);
    expect(text).toContain("await import('@actions/github')");
  });
});
