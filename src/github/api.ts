/**
 * The GitHub REST client of the action: @actions/github's Octokit (loaded lazily: the CLI never
 * loads it), pointed at GITHUB_API_URL (so GitHub Enterprise Server works), wrapped with
 *
 * - retries with exponential backoff on 5xx, 429, secondary rate limits and network errors
 *   (a `retry-after` header is honoured), at most MAX_ATTEMPTS tries; only requests that can be
 *   repeated safely (not POST: a POST that got a 5xx or no answer may have been carried out,
 *   the caller looks before trying again);
 * - rate limits (429, or 403 with `x-ratelimit-remaining: 0` or `retry-after`) recognised: a
 *   wait longer than MAX_WAIT_MS or past the deadline is never slept, the error says
 *   "rate limited, retry after …";
 * - a time bound: every request is aborted after PER_REQUEST_MS and the whole of the GitHub
 *   reporting shares one deadline, so an API that never answers cannot hold the job;
 * - errors sorted into what the caller must do: `denied` (401/403/404, e.g. the read-only token
 *   of a fork's pull request), `rate-limited`, `timeout`, or `failed`.
 *
 * Nothing here decides the exit status: callers turn every GitHubError into one log line.
 */
import * as fs from 'node:fs';

export type GitHubErrorKind = 'denied' | 'timeout' | 'failed' | 'rate-limited';

export class GitHubError extends Error {
  override name = 'GitHubError';
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status?: number,
    /** For `rate-limited`: when GitHub says to try again (epoch ms), when it said so. */
    readonly retryAt?: number,
    /** The request may have been carried out (a POST that got no answer or a 5xx). */
    readonly maybeDone = false,
  ) {
    super(message);
  }
}

/**
 * Requests that may be repeated without doing twice what they do: not a POST, nor a PATCH of a
 * check run that carries annotations (they are added to the ones already there).
 */
export function isIdempotent(route: string, params: Record<string, unknown> = {}): boolean {
  if (/^POST\s/i.test(route)) return false;
  const output = params.output as { annotations?: unknown[] } | undefined;
  return !(/^PATCH\s.*\/check-runs\//i.test(route) && Array.isArray(output?.annotations) && output.annotations.length > 0);
}

/** Where the action runs: repository, commit, pull request; read from the runner's environment. */
export interface GitHubContext {
  apiUrl: string;
  owner: string;
  repo: string;
  /** The commit the check run is attached to: the pull request's head, else GITHUB_SHA. */
  headSha: string;
  /** The pull request number, or null outside pull_request events. */
  pullNumber: number | null;
  /** The pull request comes from a fork (`pull_request.head.repo.fork`): its token is read-only. */
  fork: boolean;
  workflow: string;
  job: string;
}

/** The context, or null (with the reason) when the environment is not a GitHub workflow run. */
export function readContext(env: NodeJS.ProcessEnv = process.env): { context: GitHubContext | null; reason?: string } {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const m = repository.match(/^([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)$/);
  if (!m) return { context: null, reason: 'GITHUB_REPOSITORY is not set' };
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(apiUrl)) return { context: null, reason: 'GITHUB_API_URL is not a URL' };
  let headSha = env.GITHUB_SHA ?? '';
  let pullNumber: number | null = null;
  let fork = false;
  try {
    if (env.GITHUB_EVENT_PATH) {
      const event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: unknown; head?: { sha?: unknown; repo?: { fork?: unknown } } } };
      const pr = event?.pull_request;
      if (pr && typeof pr.number === 'number' && Number.isInteger(pr.number) && pr.number > 0) pullNumber = pr.number;
      if (pr && typeof pr.head?.sha === 'string') headSha = pr.head.sha;
      fork = pr?.head?.repo?.fork === true;
    }
  } catch {
    // No readable event payload: GITHUB_SHA, no pull request.
  }
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(headSha)) return { context: null, reason: 'no commit SHA (GITHUB_SHA)' };
  return {
    context: {
      apiUrl,
      owner: m[1],
      repo: m[2],
      headSha,
      pullNumber,
      fork,
      workflow: env.GITHUB_WORKFLOW ?? '',
      job: env.GITHUB_JOB ?? '',
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string | number | undefined>;
}

export interface Api {
  request<T = any>(route: string, params?: Record<string, unknown>): Promise<ApiResponse<T>>;
  /** Every item of a list endpoint (per_page=100, following `link: rel="next"`), up to maxPages. */
  list<T = any>(route: string, params?: Record<string, unknown>, maxPages?: number): Promise<T[]>;
}

export interface ClientOptions {
  token: string;
  apiUrl: string;
  /** Epoch ms after which no request is started and running ones are aborted. */
  deadline: number;
  /** Abort one request after this long (default PER_REQUEST_MS). */
  perRequestMs?: number;
  /** First backoff (doubles each retry; default 1000 ms). */
  backoffMs?: number;
  maxAttempts?: number;
  debug?: (message: string) => void;
}

export const PER_REQUEST_MS = 20_000;
export const MAX_ATTEMPTS = 4;
/** Longest wait between two attempts, whatever `retry-after` says. */
const MAX_WAIT_MS = 30_000;

interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown; headers: Record<string, string | number | undefined> }>;
}

/** Create the client. Loads @actions/github (only the action comes here). */
export async function createApi(options: ClientOptions): Promise<Api> {
  const { getOctokit } = await import('@actions/github');
  const debug = options.debug ?? (() => undefined);
  const octokit = getOctokit(options.token, {
    baseUrl: options.apiUrl,
    log: { debug, info: debug, warn: debug, error: debug },
  }) as unknown as OctokitLike;
  return wrap(octokit, options);
}

/** The retrying, time-bound wrapper (exported for tests with a fake Octokit). */
export function wrap(octokit: OctokitLike, options: ClientOptions): Api {
  const debug = options.debug ?? (() => undefined);
  const perRequest = options.perRequestMs ?? PER_REQUEST_MS;
  const backoff = options.backoffMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;

  async function request<T>(route: string, params: Record<string, unknown> = {}): Promise<ApiResponse<T>> {
    const idempotent = isIdempotent(route, params);
    for (let attempt = 1; ; attempt++) {
      const left = options.deadline - Date.now();
      if (left <= 0) throw new GitHubError('timeout', `${route}: no time left within the time bound`);
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, Math.min(left, perRequest));
      let retryAfterMs: number | null = null;
      let why: string;
      try {
        const r = await octokit.request(graphqlRoute(route, options.apiUrl), { ...params, request: { signal: controller.signal } });
        return { status: r.status, data: r.data as T, headers: r.headers ?? {} };
      } catch (err) {
        const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown>; data?: unknown } };
        const status = typeof e.status === 'number' ? e.status : 0;
        const headers = e.response?.headers ?? {};
        const message = apiMessage(e);
        if (timedOut || status === 0) {
          // Aborted by our timer or a network error: transient; a POST may have been done.
          why = timedOut ? 'no answer' : `network error (${message})`;
          if (timedOut && options.deadline - Date.now() <= 0) throw new GitHubError('timeout', `${route}: no answer within the time bound`, undefined, undefined, !idempotent);
          if (!idempotent) throw new GitHubError(timedOut ? 'timeout' : 'failed', `${route}: ${why}; not repeated (it may have been carried out)`, undefined, undefined, true);
        } else if (isRateLimited(status, headers, message)) {
          // Refused before anything was done: repeating is safe, but only if the wait fits.
          why = `rate limited (HTTP ${status})`;
          retryAfterMs = retryAfter(headers) ?? (status === 429 || String(headers['x-ratelimit-remaining'] ?? '') === '0' ? 60_000 : null);
          const at = Date.now() + (retryAfterMs ?? 0);
          if (retryAfterMs !== null && (retryAfterMs > MAX_WAIT_MS || at >= options.deadline)) {
            throw new GitHubError('rate-limited', `${route}: rate limited (HTTP ${status}), retry after ${new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')}`, status, at);
          }
        } else if (status >= 500) {
          why = `server error (HTTP ${status})`;
          if (!idempotent) throw new GitHubError('failed', `${route}: server error (HTTP ${status}); not repeated (it may have been carried out)`, status, undefined, true);
        } else if (status === 401 || status === 403 || status === 404) {
          throw new GitHubError('denied', `${route}: ${status} ${message}`, status);
        } else {
          throw new GitHubError('failed', `${route}: ${status} ${message}`, status);
        }
      } finally {
        clearTimeout(timer);
      }
      const kind: GitHubErrorKind = why.startsWith('no answer') ? 'timeout' : why.startsWith('rate limited') ? 'rate-limited' : 'failed';
      if (attempt >= maxAttempts) throw new GitHubError(kind, `${route}: ${why}, ${attempt} attempts`);
      const wait = Math.min(MAX_WAIT_MS, retryAfterMs ?? backoff * 2 ** (attempt - 1));
      if (Date.now() + wait >= options.deadline) throw new GitHubError(kind, `${route}: ${why}; no time left to retry within the time bound`, undefined, kind === 'rate-limited' ? Date.now() + wait : undefined);
      debug(`GitHub API ${route}: ${why}; retrying in ${wait} ms (attempt ${attempt + 1} of ${maxAttempts})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async function list<T>(route: string, params: Record<string, unknown> = {}, maxPages = 30): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const r = await request<unknown>(route, { ...params, per_page: 100, page });
      const data = Array.isArray(r.data) ? (r.data as T[]) : [];
      items.push(...data);
      const link = String(r.headers.link ?? '');
      if (data.length < 100 && !/rel="next"/.test(link)) break;
      if (data.length === 0) break;
    }
    return items;
  }

  return { request, list };
}

function apiMessage(e: { message?: unknown; response?: { data?: unknown } }): string {
  const data = e.response?.data as { message?: unknown } | undefined;
  const m = typeof data?.message === 'string' ? data.message : typeof e.message === 'string' ? e.message : '';
  return m.replace(/\s+/g, ' ').slice(0, 200);
}

function isRateLimited(status: number, headers: Record<string, unknown>, message: string): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return headers['retry-after'] !== undefined || String(headers['x-ratelimit-remaining'] ?? '') === '0' || /rate limit/i.test(message);
}

/** `retry-after` (seconds) or `x-ratelimit-reset` (epoch seconds), in ms; null when absent. */
function retryAfter(headers: Record<string, unknown>): number | null {
  const ra = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(ra) && ra >= 0) return ra * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining'] ?? '') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now());
  return null;
}

/** `POST /graphql` at the API's GraphQL URL: GitHub Enterprise Server has it at /api/graphql, not /api/v3/graphql. */
function graphqlRoute(route: string, apiUrl: string): string {
  if (route !== 'POST /graphql' || !/\/api\/v3$/.test(apiUrl)) return route;
  return `POST ${apiUrl.replace(/\/api\/v3$/, '/api/graphql')}`;
}
