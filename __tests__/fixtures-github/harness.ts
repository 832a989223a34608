/**
 * Test harness of the GitHub reporting (used by __tests__/github-action.test.ts):
 *
 * - FakeGitHub: a real HTTP server on 127.0.0.1 (under the GHES-style prefix /api/v3) that
 *   implements the endpoints the action uses, with GitHub's rules that matter here (at most 50
 *   annotations per check-run request, review comments only on lines of the diff, pagination),
 *   and failure modes: 403 everywhere (a fork's read-only token), N × 500 before answering,
 *   never answering.
 * - buildBundle: the committed action bundle, dist/ (scripts/check-dist.mjs proves it fresh).
 * - runBundledAction: that bundle run as a child process with the runner's environment,
 *   asynchronously (the server lives in the test's event loop).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputEnvName } from '../../src/action/inputs.js';
import { copyToTemp, writeFiles } from '../temp-repo.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OWNER = 'octo';
export const REPO = 'app';
export const PR = 7;
export const HEAD_SHA = 'b'.repeat(40);
export const TOKEN = 'ghs_fake_token_for_tests';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  authorization: string | undefined;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: any[];
  external_id?: string;
}

export interface IssueComment {
  id: number;
  node_id?: string;
  body: string;
  user: { login: string; type: string };
  /** Set by GraphQL minimizeComment / unminimizeComment (GitHub's `isMinimized`, `minimizedReason`). */
  isMinimized?: boolean;
  minimizedReason?: string | null;
}

export interface ReviewComment {
  id: number;
  path: string;
  line: number;
  side: string;
  body: string;
  commit_id: string;
  user?: { login: string };
}

export type Mode = 'ok' | 'forbidden' | 'hang' | 'rate-limited';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly checkRuns: CheckRun[] = [];
  comments: IssueComment[] = [];
  reviewComments: ReviewComment[] = [];
  /** The pull request's files, with their unified-diff patches. */
  files: { filename: string; patch?: string; status?: string }[] = [];
  mode: Mode = 'ok';
  /** Answer this many requests with 500 before answering normally. */
  failNext = 0;
  /** Requests answered 500 so far. */
  failed = 0;
  /** Answer 500 to these requests (`POST /check-runs`) after carrying them out. */
  failAfterDoing = 0;
  /** Paths (after /repos/octo/app, e.g. `/check-runs`) answered 403 "Resource not accessible by integration". */
  forbid: string[] = [];
  /** The login of `GET /user`; null: 403 as for an installation token (GITHUB_TOKEN). */
  user: string | null = null;
  /** Comments created through the API are written by this login. */
  author = 'github-actions[bot]';
  /** For mode `rate-limited`: the answer's status and headers. */
  rateLimit: { status: number; headers: Record<string, string> } = { status: 429, headers: { 'retry-after': '3600' } };
  /** GraphQL requests (minimizeComment, unminimizeComment). */
  graphql: any[] = [];
  /** Answer every GraphQL request with an error of this type (e.g. FORBIDDEN), in a 200 answer. */
  graphqlError: string | null = null;
  /** Reviews posted: their body, event and number of comments. */
  reviews: { body: string; event: string; comments: number }[] = [];
  private nextId = 1000;
  private server: http.Server;
  private hanging: http.ServerResponse[] = [];
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/v3`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forget the requests (keep the state: comments, check runs) between two runs. */
  clearRequests(): void {
    this.requests.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      const r: RecordedRequest = { method: req.method ?? '', path: u.pathname, query: u.searchParams, body, authorization: req.headers.authorization };
      this.requests.push(r);
      if (this.mode === 'hang') {
        this.hanging.push(res);
        return;
      }
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(data === null ? undefined : JSON.stringify(data));
      };
      if (this.mode === 'rate-limited') {
        send(this.rateLimit.status, { message: 'API rate limit exceeded' }, this.rateLimit.headers);
        return;
      }
      if (this.failed < this.failNext) {
        this.failed++;
        send(500, { message: 'Server Error' });
        return;
      }
      if (r.authorization !== `token ${TOKEN}`) {
        send(401, { message: 'Bad credentials' });
        return;
      }
      const sub = r.path.replace(`/api/v3/repos/${OWNER}/${REPO}`, '');
      if (this.mode === 'forbidden' || this.forbid.some((f) => sub.startsWith(f))) {
        send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      if (r.path === '/api/v3/user') {
        if (this.user === null) return send(403, { message: 'Resource not accessible by integration' });
        return send(200, { login: this.user, type: 'User' });
      }
      if (r.method === 'POST' && r.path === '/api/graphql') {
        this.graphql.push(r.body);
        return send(200, this.graphqlAnswer(r.body));
      }
      try {
        this.route(r, send);
      } catch (err) {
        send(500, { message: String(err) });
      }
    });
  }

  /**
   * GitHub's GraphQL API as the action uses it: minimizeComment / unminimizeComment on an issue
   * comment by its node id, the classifier checked; errors are answered with HTTP 200 and an
   * `errors` array, as GitHub does.
   */
  private graphqlAnswer(body: any): unknown {
    const query = String(body?.query ?? '');
    const id = body?.variables?.id;
    const error = (type: string, message: string) => ({ data: null, errors: [{ type, message, path: [] }] });
    if (this.graphqlError) return error(this.graphqlError, 'Resource not accessible by integration');
    const m = /^\s*mutation\s*\(\$id:\s*ID!\)\s*\{\s*(minimizeComment|unminimizeComment)\(input:\s*\{\s*subjectId:\s*\$id(?:,\s*classifier:\s*([A-Z_]+))?\s*\}\)/.exec(query);
    if (!m) return error('PARSE', `unsupported query: ${query.slice(0, 80)}`);
    const comment = this.comments.find((c) => c.node_id === id);
    if (!comment) return error('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
    if (comment.user.login !== this.author) return error('FORBIDDEN', 'Resource not accessible by integration');
    if (m[1] === 'minimizeComment') {
      if (!['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'].includes(m[2] ?? '')) return error('INVALID', `classifier: ${m[2]}`);
      comment.isMinimized = true;
      comment.minimizedReason = m[2].toLowerCase();
      return { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } };
    }
    comment.isMinimized = false;
    comment.minimizedReason = null;
    return { data: { unminimizeComment: { unminimizedComment: { isMinimized: false } } } };
  }

  private route(r: RecordedRequest, send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const base = `/api/v3/repos/${OWNER}/${REPO}`;
    const p = r.path.startsWith(base) ? r.path.slice(base.length) : null;
    if (p === null) return send(404, { message: 'Not Found' });
    let m: RegExpMatchArray | null;

    if (r.method === 'POST' && p === '/check-runs') {
      const b = r.body ?? {};
      const annotations = b.output?.annotations ?? [];
      if (!b.name || !b.head_sha) return send(422, { message: 'name and head_sha are required' });
      if (annotations.length > 50) return send(422, { message: 'Only 50 annotations are allowed per request' });
      if (b.output && (!b.output.title || !b.output.summary)) return send(422, { message: 'output needs title and summary' });
      const run: CheckRun = { id: this.nextId++, name: b.name, head_sha: b.head_sha, status: b.status, conclusion: b.conclusion, output: { ...b.output }, annotations: [...annotations], external_id: b.external_id };
      delete (run.output as any).annotations;
      this.checkRuns.push(run);
      if (this.failAfterDoing > 0) {
        this.failAfterDoing--;
        return send(500, { message: 'Server Error' });
      }
      return send(201, { id: run.id, html_url: `https://github.example/${OWNER}/${REPO}/runs/${run.id}`, name: run.name });
    }
    if (r.method === 'GET' && (m = p.match(/^\/commits\/([0-9a-f]+)\/check-runs$/))) {
      const name = r.query.get('check_name');
      const runs = this.checkRuns.filter((c) => c.head_sha === m![1] && (!name || c.name === name));
      return send(200, { total_count: runs.length, check_runs: runs.map((c) => ({ id: c.id, name: c.name, external_id: c.external_id ?? null, html_url: `https://github.example/${OWNER}/${REPO}/runs/${c.id}` })) });
    }
    if (r.method === 'PATCH' && (m = p.match(/^\/check-runs\/(\d+)$/))) {
      const run = this.checkRuns.find((c) => c.id === Number(m![1]));
      if (!run) return send(404, { message: 'Not Found' });
      const annotations = r.body?.output?.annotations ?? [];
      if (annotations.length > 50) return send(422, { message: 'Only 50 annotations are allowed per request' });
      if (r.body?.output && (!r.body.output.title || !r.body.output.summary)) return send(422, { message: 'output needs title and summary' });
      run.annotations.push(...annotations);
      return send(200, { id: run.id });
    }
    if ((m = p.match(/^\/issues\/(\d+)\/comments$/))) {
      if (Number(m[1]) !== PR) return send(404, { message: 'Not Found' });
      if (r.method === 'GET') return this.page(r, this.comments, send);
      if (r.method === 'POST') {
        if (typeof r.body?.body !== 'string' || r.body.body.length > 65536) return send(422, { message: 'body is invalid' });
        const c: IssueComment = { id: this.nextId++, node_id: `IC_${this.nextId}`, body: r.body.body, user: { login: this.author, type: this.author.endsWith('[bot]') ? 'Bot' : 'User' } };
        this.comments.push(c);
        return send(201, c);
      }
    }
    if (r.method === 'DELETE' && (m = p.match(/^\/issues\/comments\/(\d+)$/))) {
      const i = this.comments.findIndex((x) => x.id === Number(m![1]));
      if (i < 0) return send(404, { message: 'Not Found' });
      this.comments.splice(i, 1);
      return send(204, null);
    }
    if (r.method === 'PATCH' && (m = p.match(/^\/issues\/comments\/(\d+)$/))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      if (typeof r.body?.body !== 'string' || r.body.body.length > 65536) return send(422, { message: 'body is invalid' });
      c.body = r.body.body;
      return send(200, c);
    }
    if (r.method === 'GET' && p === `/pulls/${PR}/files`) return this.page(r, this.files, send);
    if (r.method === 'GET' && p === `/pulls/${PR}/comments`) return this.page(r, this.reviewComments, send);
    if (r.method === 'POST' && p === `/pulls/${PR}/reviews`) {
      const b = r.body ?? {};
      const comments: any[] = b.comments ?? [];
      // As GitHub: a review comment must sit on a line of the diff, its body within 65,536 characters.
      if (!['COMMENT', 'APPROVE', 'REQUEST_CHANGES'].includes(b.event)) return send(422, { message: 'event is invalid' });
      for (const c of comments) {
        const file = this.files.find((f) => f.filename === c.path);
        if (!file || !diffLines(file.patch ?? '').has(c.line)) return send(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
        if (typeof c.body !== 'string' || c.body.length > 65536) return send(422, { message: 'body is too long (maximum is 65536 characters)' });
      }
      this.reviews.push({ body: b.body, event: b.event, comments: comments.length });
      for (const c of comments) this.reviewComments.push({ id: this.nextId++, path: c.path, line: c.line, side: c.side, body: c.body, commit_id: b.commit_id, user: { login: this.author } });
      return send(200, { id: this.nextId++, state: 'COMMENTED' });
    }
    return send(404, { message: 'Not Found' });
  }

  private page(r: RecordedRequest, items: unknown[], send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(100, Number(r.query.get('per_page') ?? 30));
    const page = Math.max(1, Number(r.query.get('page') ?? 1));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) headers.link = `<${this.url}${r.path.slice('/api/v3'.length)}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    send(200, slice, headers);
  }
}

/** New-side line numbers of the lines in a patch's hunks (context or added): where GitHub accepts review comments. */
export function diffLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  for (const l of patch.split('\n')) {
    const h = l.match(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/);
    if (h) {
      next = Number(h[1]);
      continue;
    }
    if (l.startsWith('+') || l.startsWith(' ')) lines.add(next++);
  }
  return lines;
}

/** The directory of the action bundle to run: the committed dist/. */
export function buildBundle(): string {
  // The committed bundle: scripts/check-dist.mjs proves it is what the sources build to.
  return path.join(ROOT, 'dist');
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: string;
  ms: number;
}

/** Run the bundled action as the runner does, with GITHUB_API_URL pointing at `apiUrl`. */
/**
 * The node that runs the bundles: DDL_E2E_NODE (e.g. a Node 24 binary, as `runs.using: node24`
 * in action.yml) or the one running the tests.
 */
export const E2E_NODE = process.env.DDL_E2E_NODE || process.execPath;

export interface RunOptions {
  /** The event payload (default: a pull request from the same repository). */
  event?: object;
  /** Keep the SARIF/JSON files: read them before the temporary folder goes (called with it). */
  inspect?: (run: ActionRun, runnerTemp: string) => void;
}

export async function runBundledAction(bundle: string, workspace: string, apiUrl: string, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}, options: RunOptions = {}): Promise<ActionRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-gh-run-'));
  try {
    const summaryFile = path.join(tmp, 'step_summary');
    const outputFile = path.join(tmp, 'output');
    const eventFile = path.join(tmp, 'event.json');
    fs.mkdirSync(path.join(tmp, 'runner_temp'));
    fs.writeFileSync(summaryFile, '');
    fs.writeFileSync(outputFile, '');
    fs.writeFileSync(eventFile, JSON.stringify(options.event ?? { pull_request: { number: PR, head: { sha: HEAD_SHA, repo: { fork: false, full_name: `${OWNER}/${REPO}` } } } }));
    const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: tmp,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_WORKFLOW: 'deploy-lint',
      GITHUB_JOB: 'lint',
      RUNNER_TEMP: path.join(tmp, 'runner_temp'),
      RUNNER_OS: 'Linux',
    };
    for (const [name, spec] of Object.entries(action.inputs)) {
      const def = String(spec.default ?? '');
      env[inputEnvName(name)] = name in inputs ? inputs[name] : def === '${{ github.token }}' ? TOKEN : def;
    }
    Object.assign(env, extraEnv);
    const started = Date.now();
    const child = spawn(E2E_NODE, [path.join(bundle, 'index.js')], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(killer);
    const run: ActionRun = { status, stdout, stderr, summary: fs.readFileSync(summaryFile, 'utf8'), outputs: fs.readFileSync(outputFile, 'utf8'), ms: Date.now() - started };
    options.inspect?.(run, path.join(tmp, 'runner_temp'));
    return run;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A workspace: a copy of a fixture repository, with files overridden; removed after the suite. */
export function makeWorkspace(fixture: string, files: Record<string, string> = {}): string {
  return writeFiles(copyToTemp(path.join(ROOT, '__tests__', 'fixtures', fixture), 'ddl-gh-ws-'), files);
}

/** The workflow commands of a given kind (`notice`, `warning`, `error`) without a title (not findings). */
export function plainCommands(stdout: string, kind: string): string[] {
  return stdout
    .split(/\r?\n/)
    .filter((l) => l.startsWith(`::${kind}::`))
    .map((l) => l.slice(kind.length + 4));
}
