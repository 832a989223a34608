/**
 * Reporter pieces of issue 15 in isolation: the summary rendered by a GFM renderer (code shows
 * as code, a `%` in a file name once), findings before targets, the SARIF cap and category,
 * the comment marker, the retrying client on rate limits and 500s, the check-run annotation cap.
 */
import MarkdownIt from 'markdown-it';
import { GitHubError, wrap } from '../src/github/api.js';
import { createCheckRun, MAX_CHECK_ANNOTATIONS } from '../src/github/checks.js';
import { commentMarker } from '../src/github/comment.js';
import { RULES } from '../src/rules/index.js';
import { SARIF_RESULT_LIMIT, toSarif } from '../src/report/sarif.js';
import { toSummary } from '../src/report/summary.js';
import { finding, herokuResult, result } from './report-factory.js';

const md = new MarkdownIt({ html: true });

describe('the summary as GitHub renders it', () => {
  test('a rule summary and a message with backticks render as code, never as literal backticks', () => {
    const html = md.render(toSummary(herokuResult(), { rules: RULES, failOn: 'error' }));
    expect(html).toContain('<code>runserver</code>');
    expect(html).not.toMatch(/`runserver`/);
    expect(html).not.toContain('&amp;#96;');
  });

  test('a % in a file name is shown once, not double-encoded; its link is encoded once', () => {
    const f = finding({ file: 'a%20b/Procfile', line: 1 });
    const text = toSummary(result([f]), { rules: RULES, failOn: 'error', fileUrl: (file, line) => `https://github.example/o/r/blob/${'a'.repeat(40)}/${encodeURI(file).replace(/%25/g, '%25')}#L${line}` });
    const html = md.render(text);
    expect(html).toContain('a%20b/Procfile:1');
    expect(html).not.toContain('a%2520b/Procfile:1<');
    expect(text).not.toContain('%2520b/Procfile:1');
  });

  test('findings come before targets; a short budget keeps findings and summarises targets', () => {
    const base = herokuResult();
    const many = Array.from({ length: 2500 }, (_, i) => ({ ...base.targets[0], id: `t${i}`, file: `svc${i}/Procfile` }));
    const findings = Array.from({ length: 2500 }, (_, i) => finding({ file: `svc${i}/Procfile`, line: 1, target: `t${i}` }));
    const text = toSummary({ ...base, targets: many, findings, summary: { errors: 2500, warnings: 0, notices: 0 } }, { rules: RULES, failOn: 'error', maxBytes: 60_000, limitNote: 'this report is limited to 60 KB', restNote: 'The rest are in the JSON report.' });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(60_000);
    expect(text.indexOf('### Findings')).toBeLessThan(text.indexOf('### Targets'));
    const shown = (text.match(/^- /gm) ?? []).length;
    expect(shown).toBeGreaterThan(50);
    expect(text).toContain(`**… ${2500 - shown} more findings not shown**: this report is limited to 60 KB. The rest are in the JSON report.`);
    expect(text).toMatch(/2500 targets \(\d+ production\); the table did not fit|more targets not shown/);
  });
});

describe('SARIF', () => {
  test(`at most ${SARIF_RESULT_LIMIT} results, the most severe kept, said in the run's properties`, () => {
    const findings = Array.from({ length: SARIF_RESULT_LIMIT + 1000 }, (_, i) => finding({ file: `f${i}`, line: 1, severity: i % 2 === 0 ? 'notice' : 'error' }));
    const sarif = toSarif(result(findings), RULES, { version: '0' }) as any;
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(SARIF_RESULT_LIMIT);
    expect(results.filter((r: any) => r.level === 'error')).toHaveLength((SARIF_RESULT_LIMIT + 1000) / 2);
    expect(sarif.runs[0].properties).toMatchObject({ resultsTruncated: true, resultsTotal: SARIF_RESULT_LIMIT + 1000, resultsOmitted: 1000 });
  });
  test('a category becomes automationDetails.id', () => {
    const sarif = toSarif(result([]), RULES, { version: '0', category: 'django-deploy-lint/services/api' }) as any;
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'django-deploy-lint/services/api/' });
  });
});

test('the comment marker of a path does not depend on how the path is written', () => {
  const ctx = { workflow: 'w', job: 'j' };
  const m = commentMarker(ctx, 'services/api');
  for (const p of ['services/api/', './services/api', 'services//api', 'services\\api']) expect(commentMarker(ctx, p)).toBe(m);
  expect(commentMarker(ctx, '.')).toBe(commentMarker(ctx, './'));
  expect(commentMarker(ctx, 'x', 'key')).toBe(commentMarker({ workflow: 'other', job: 'k' }, 'y', 'key'));
});

describe('the retrying client', () => {
  const httpError = (status: number, headers: Record<string, string> = {}, message = 'x') => Object.assign(new Error(message), { status, response: { headers, data: { message } } });
  const opts = () => ({ token: 't', apiUrl: 'x', deadline: Date.now() + 10_000, backoffMs: 1 });

  test('a POST that got a 500 or no answer is not repeated (it may have been carried out)', async () => {
    let calls = 0;
    const api = wrap({ request: async () => (calls++, Promise.reject(httpError(500))) }, opts());
    await expect(api.request('POST /x')).rejects.toMatchObject({ kind: 'failed', maybeDone: true, message: expect.stringContaining('server error (HTTP 500)') });
    expect(calls).toBe(1);
  });
  test('persistent 500 on a GET: failed with the status, not a timeout', async () => {
    const api = wrap({ request: async () => Promise.reject(httpError(503)) }, opts());
    await expect(api.request('GET /x')).rejects.toMatchObject({ kind: 'failed', message: expect.stringContaining('server error (HTTP 503), 4 attempts') });
  });
  test('a long retry-after is not slept: rate-limited with the time', async () => {
    const t = Date.now();
    const api = wrap({ request: async () => Promise.reject(httpError(429, { 'retry-after': '3600' })) }, opts());
    const err = (await api.request('GET /x').catch((e) => e)) as GitHubError;
    expect(err.kind).toBe('rate-limited');
    expect(err.retryAt! - t).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(err.message).toMatch(/rate limited \(HTTP 429\), retry after \d{4}-/);
    expect(Date.now() - t).toBeLessThan(1000);
  });
  test('a short retry-after within the bound is waited for', async () => {
    const errors = [httpError(403, { 'retry-after': '0', 'x-ratelimit-remaining': '0' })];
    const api = wrap({ request: async () => (errors.length ? Promise.reject(errors.shift()) : { status: 200, data: 1, headers: {} }) }, opts());
    await expect(api.request('GET /x')).resolves.toMatchObject({ data: 1 });
  });
});

test(`the check run carries at most ${MAX_CHECK_ANNOTATIONS} annotations, errors first`, async () => {
  const findings = Array.from({ length: MAX_CHECK_ANNOTATIONS + 300 }, (_, i) => finding({ file: 'Procfile', line: i + 1, endLine: i + 1, severity: i < 400 ? 'notice' : 'error' }));
  const sent: any[] = [];
  const api = {
    request: async (_route: string, params: any = {}) => {
      sent.push(...(params.output?.annotations ?? []));
      return { status: 201, data: { id: 1, html_url: 'https://x.example/r/1' }, headers: {} };
    },
    list: async () => [],
  } as unknown as Parameters<typeof createCheckRun>[0];
  const ctx = { apiUrl: 'x', owner: 'o', repo: 'r', headSha: 'a'.repeat(40), pullNumber: 1, fork: false, workflow: 'w', job: 'j' };
  const r = await createCheckRun(api, ctx, result(findings), { name: 'django-deploy-lint', prefix: '', failing: true, text: '' });
  expect(r).toMatchObject({ annotations: MAX_CHECK_ANNOTATIONS, omitted: 300, requests: MAX_CHECK_ANNOTATIONS / 50 });
  expect(sent).toHaveLength(MAX_CHECK_ANNOTATIONS);
  expect(sent.filter((a) => a.annotation_level === 'failure')).toHaveLength(MAX_CHECK_ANNOTATIONS + 300 - 400);
});
