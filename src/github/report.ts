/**
 * GitHub-native reporting of the action, after the lint: the check run, the sticky pull-request
 * comment and the suggested changes. Everything here is best effort: it never throws and never
 * changes the exit status (that depends only on the findings and `fail-on`).
 *
 * - No token: `check-run: auto` and `comment: off` skip quietly; an explicit request is a notice.
 * - 401/403/404: each permission degrades on its own. A refused check run (`checks: write`)
 *   does not stop the comment (`pull-requests: write`), and the reverse. The notice names the
 *   permission that was missing; it speaks of a fork only when the pull request's head
 *   repository is one (`head.repo.fork`), and then gives advice that works for forks. What was
 *   skipped is returned for the job summary. With `check-run: auto` a refused check run is a
 *   log line.
 * - Rate limited: one warning saying when to retry; the rest is skipped.
 * - No answer within the time bound: one warning; the rest is skipped.
 * - Any other error: one warning at the end.
 */
import type { ActionInputs } from '../action/inputs.js';
import type { Result } from '../suppress/result.js';
import { createApi, GitHubError, readContext, type Api, type GitHubContext } from './api.js';
import { createCheckRun, type CheckRunOptions, type CheckRunResult } from './checks.js';
import { normalizePath, upsertComment, type CommentOutcome } from './comment.js';
import { pullRequestChanges, type ChangeSet } from './filter.js';
import { MAX_REVIEW_COMMENTS, postReview, type ReviewOutcome } from './review.js';
import { postSuggestions, suggestionsFor, type SuggestionOutcome } from './suggestions.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

export interface GitHubReportInput {
  result: Result;
  inputs: Pick<ActionInputs, 'checkRun' | 'comment' | 'token' | 'path' | 'failOn'> & Partial<Pick<ActionInputs, 'commentKey' | 'commentOnClear' | 'reporter' | 'filterMode'>>;
  /** The pull request's changes when already read (`filter-mode`); else read for the review. */
  changes?: ChangeSet | null;
  failing: boolean;
  /** The scanned root (absolute) and its path relative to the repository's top level. */
  root: string;
  prefix: string;
  /** The report in Markdown (≤ 64 KiB), for the check run's text and the comment. */
  markdown: string;
  /**
   * The run could not check anything (a bad input or configuration): only a failed check run
   * carrying this title and text is posted (a required check then reports), no comment.
   */
  error?: { title: string; text: string };
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** For tests: a ready client instead of @actions/github's. */
  api?: Api;
}

export interface GitHubReportOutcome {
  checkRun: CheckRunResult | null;
  comment: CommentOutcome | null;
  suggestions: SuggestionOutcome | null;
  /** `reporter: github-pr-review` or `both`: the inline review comments. */
  review: ReviewOutcome | null;
  /** What stopped the reporting, if anything. */
  stopped: 'timeout' | 'rate-limited' | null;
  /** What was not posted and why, one sentence each (Markdown), for the job summary. */
  skipped: string[];
}

/** Default time bound of all GitHub requests of one run. */
export const DEFAULT_TIMEOUT_S = 60;

/** The login GITHUB_TOKEN acts as (its comments are written by this bot). */
export const ACTIONS_BOT = 'github-actions[bot]';

export function checkRunName(path: string): string {
  const p = normalizePath(path);
  return p === '.' ? 'django-deploy-lint' : `django-deploy-lint (${p.slice(0, 100)})`;
}

/**
 * The login the token acts as: the user of a personal token (`GET /user`), or, when that is
 * refused (an installation token such as GITHUB_TOKEN may not read /user),
 * `github-actions[bot]`.
 */
export async function tokenIdentity(api: Api): Promise<string> {
  try {
    const r = await api.request<{ login?: unknown }>('GET /user');
    if (typeof r.data?.login === 'string' && r.data.login) return r.data.login;
  } catch (err) {
    if (!(err instanceof GitHubError) || err.kind !== 'denied') throw err;
  }
  return ACTIONS_BOT;
}

interface Part {
  /** `create a check run` */
  what: string;
  /** `the check run` (for the job summary) */
  name: string;
  permission: string;
  /** Asked for explicitly (a refusal is a notice, not a log line). */
  explicit: boolean;
}

/**
 * The pull request's changes for `filter-mode`, or null (with a notice: every finding then
 * counts) when there is no pull request, no token, or the token may not read it.
 */
export async function readChanges(inputs: Pick<ActionInputs, 'token' | 'filterMode'>, log: Logger, env: NodeJS.ProcessEnv = process.env, api?: Api): Promise<ChangeSet | null> {
  const { context: ctx, reason } = readContext(env);
  const fallback = (why: string) => {
    log.notice(`django-deploy-lint: \`filter-mode: ${inputs.filterMode}\` needs ${why}; every finding counts (as with \`nofilter\`).`);
    return null;
  };
  if (!ctx || ctx.pullNumber === null) return fallback(`a pull request event${ctx ? '' : ` (${reason})`}`);
  if (!inputs.token) return fallback('a token (input `token` is empty)');
  try {
    const client = api ?? (await createApi({ token: inputs.token, apiUrl: ctx.apiUrl, deadline: Date.now() + DEFAULT_TIMEOUT_S * 1000, debug: log.debug }));
    return await pullRequestChanges(client, ctx);
  } catch (err) {
    return fallback(`the pull request's files, which could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

export async function reportToGitHub(input: GitHubReportInput): Promise<GitHubReportOutcome> {
  const outcome: GitHubReportOutcome = { checkRun: null, comment: null, suggestions: null, review: null, stopped: null, skipped: [] };
  const { inputs, log } = input;
  const env = input.env ?? process.env;
  const wantCheck = inputs.checkRun === 'true' || (inputs.checkRun === 'auto' && inputs.token !== '');
  const reporter = inputs.reporter ?? 'comment';
  const wantComment = inputs.comment !== 'off' && !input.error;
  // The review does not depend on `comment`: choosing the reporter asks for it.
  const wantReview = reporter !== 'comment' && !input.error;
  const explicit = inputs.checkRun === 'true' || wantComment || wantReview;
  if (!wantCheck && !wantComment && !wantReview) return outcome;

  if (!inputs.token) {
    const what = wantReview ? 'the check run, the pull request comment and review' : 'the check run and the pull request comment';
    log.notice(`django-deploy-lint: no token (input \`token\` is empty): no check run, pull request comment or review was posted.`);
    outcome.skipped.push(`${what}: the input \`token\` is empty`);
    return outcome;
  }
  const { context: ctx, reason } = readContext(env);
  if (!ctx) {
    (explicit ? log.notice : log.info)(`django-deploy-lint: not in a GitHub workflow run (${reason}): no check run or comment was posted.`);
    return outcome;
  }

  const seconds = Number(env.DJANGO_DEPLOY_LINT_GITHUB_TIMEOUT);
  const timeoutMs = (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 600) : DEFAULT_TIMEOUT_S) * 1000;
  const deadline = Date.now() + timeoutMs;
  let api: Api;
  try {
    api = input.api ?? (await createApi({ token: inputs.token, apiUrl: ctx.apiUrl, deadline, debug: log.debug }));
  } catch (err) {
    log.warning(`django-deploy-lint: could not set up the GitHub API client (${err instanceof Error ? err.message : String(err)}); no check run or comment was posted.`);
    return outcome;
  }

  const failures: string[] = [];
  const denied = new Set<string>();
  const step = async <T>(part: Part, fn: () => Promise<T>): Promise<T | null> => {
    if (outcome.stopped) return null;
    if (denied.has(part.permission)) {
      outcome.skipped.push(`${part.name}: the token lacks \`${part.permission}\` (see above)`);
      return null;
    }
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GitHubError && err.kind === 'denied') {
        denied.add(part.permission);
        const m = ctx.fork
          ? `django-deploy-lint: the token may not ${part.what} (HTTP ${err.status}): this pull request comes from a fork, and GitHub gives its runs a read-only token. ` +
            `The findings are in the annotations and the job summary. To ${part.what} for pull requests from forks as well, do it from a \`workflow_run\` workflow that runs after this one (see the README, fork-safe set-up). The step's result does not change.`
          : `django-deploy-lint: the token may not ${part.what} (HTTP ${err.status}): give the job \`permissions: ${part.permission}\`. ` +
            `The findings are in the annotations and the job summary; the step's result does not change.`;
        (part.explicit ? log.notice : log.info)(m);
        outcome.skipped.push(`${part.name}: ${ctx.fork ? 'a pull request from a fork gets a read-only token' : `the token lacks \`${part.permission}\``} (HTTP ${err.status})`);
        log.debug(err.message);
      } else if (err instanceof GitHubError && err.kind === 'rate-limited') {
        outcome.stopped = 'rate-limited';
        const when = err.retryAt ? `retry after ${new Date(err.retryAt).toISOString().replace(/\.\d+Z$/, 'Z')}` : 'retry later';
        log.warning(`django-deploy-lint: GitHub rate limited the token while trying to ${part.what} (HTTP ${err.status ?? 403}): ${when}. The rest of the GitHub reporting was skipped (the step's result does not change).`);
        outcome.skipped.push(`${part.name} and what follows: rate limited by GitHub, ${when}`);
        log.debug(err.message);
      } else if (err instanceof GitHubError && err.kind === 'timeout') {
        outcome.stopped = 'timeout';
        log.warning(`django-deploy-lint: the GitHub API did not answer within ${timeoutMs / 1000} s while trying to ${part.what}; the rest of the GitHub reporting was skipped (the step's result does not change).`);
        outcome.skipped.push(`${part.name} and what follows: the GitHub API did not answer within ${timeoutMs / 1000} s`);
        log.debug(err.message);
      } else {
        failures.push(`${part.what}: ${err instanceof Error ? err.message : String(err)}`);
        outcome.skipped.push(`${part.name}: the GitHub API failed (see the log)`);
      }
      return null;
    }
  };

  if (wantCheck) {
    const part: Part = { what: 'create a check run', name: 'the check run', permission: 'checks: write', explicit: inputs.checkRun === 'true' || !!input.error };
    const options: CheckRunOptions = { name: checkRunName(inputs.path), prefix: input.prefix, failing: input.failing, text: input.markdown };
    if (input.error) Object.assign(options, { failing: true, title: input.error.title, summary: input.error.title, text: input.error.text });
    outcome.checkRun = await step(part, () => createCheckRun(api, ctx, input.result, options));
    if (outcome.checkRun) {
      const c = outcome.checkRun;
      log.info(`django-deploy-lint: check run created with ${c.annotations} annotations (${c.requests} requests)${c.omitted > 0 ? `; ${c.omitted} more findings not sent as annotations (at most 1000, the most severe first)` : ''}.`);
    }
  }

  if (wantComment || wantReview) {
    if (ctx.pullNumber === null) {
      log.info(`django-deploy-lint: not a pull request: no ${wantComment ? 'comment' : 'review'} was posted.`);
    } else {
      const part: Part = { what: 'comment on the pull request', name: 'the pull request comment', permission: 'pull-requests: write', explicit: true };
      const rpart: Part = { what: 'post a pull request review', name: 'the pull request review', permission: 'pull-requests: write', explicit: true };
      const me = await step(wantComment ? part : rpart, () => tokenIdentity(api));
      const suggestions = me !== null ? suggestionsFor(input.result, input.root, input.prefix) : [];
      if (me !== null && wantReview) {
        outcome.review = await step(rpart, async () =>
          postReview(api, ctx, input.result, {
            prefix: input.prefix,
            filterMode: inputs.filterMode ?? 'nofilter',
            changes: input.changes ?? (await pullRequestChanges(api, ctx)),
            suggestions,
            me,
          }),
        );
        if (outcome.review) {
          const r = outcome.review;
          log.info(
            `django-deploy-lint: pull request review: ${r.posted} inline comment(s) posted in ${r.reviews} review(s); ${r.existing} already posted, ${r.outside} finding(s) not on lines this pull request changed` +
              (r.omitted > 0 ? `, ${r.omitted} over the cap of ${MAX_REVIEW_COMMENTS} per run` : '') +
              '.',
          );
        }
      }
      // github-pr-review: the sticky comment is for the findings that are not inline; when every
      // finding is (or there is none), no new one is posted, and an earlier one is kept current.
      const allInline = reporter === 'github-pr-review' && outcome.review !== null && outcome.review.outside === 0 && outcome.review.omitted === 0;
      const inlineNote =
        reporter !== 'comment' && outcome.review && outcome.review.inline > 0
          ? `> ${outcome.review.inline} of the ${outcome.review.findings} findings are inline review comments on the lines this pull request changed; every finding is listed here.\n\n`
          : '';
      if (me !== null && wantComment) {
        outcome.comment = await step(part, () =>
          upsertComment(api, ctx, input.result, {
            mode: inputs.comment,
            failing: input.failing,
            failOn: inputs.failOn,
            path: inputs.path,
            report: inlineNote + input.markdown,
            checkRunUrl: outcome.checkRun?.url ?? null,
            me,
            key: inputs.commentKey ?? null,
            onClear: inputs.commentOnClear ?? 'edit',
            createIfMissing: !allInline,
          }),
        );
        if (outcome.comment && outcome.comment.action !== 'none') log.info(`django-deploy-lint: pull request comment ${outcome.comment.action}${outcome.comment.allClear ? ' (all clear)' : ''}.`);
      }
      // reporter: comment: the mechanical fixes as suggested changes (the review carries them otherwise).
      if (me !== null && wantComment && reporter === 'comment') {
        if (suggestions.length > 0) {
          const spart: Part = { what: 'post review suggestions', name: 'the suggested changes', permission: 'pull-requests: write', explicit: true };
          outcome.suggestions = await step(spart, () => postSuggestions(api, ctx, suggestions, me));
          if (outcome.suggestions) {
            const s = outcome.suggestions;
            log.info(`django-deploy-lint: ${s.posted} review comment(s) posted; ${s.skippedUnchanged} on lines this pull request did not change, ${s.skippedExisting} already posted.`);
          }
        }
      }
    }
  }

  if (failures.length > 0) {
    log.warning(`django-deploy-lint: GitHub reporting failed (the step's result does not change): ${failures.join('; ')}`);
  }
  return outcome;
}

export type { GitHubContext };
