/**
 * GitHub-native reporting of the action, after the lint: the check run, the sticky pull-request
 * comment and the suggested changes. Everything here is best effort: it never throws and never
 * changes the exit status (that depends only on the findings and `fail-on`).
 *
 * - No token: `check-run: auto` and `comment: off` skip quietly; an explicit request is a notice.
 * - 401/403/404 (a fork's pull request gets a read-only token): one notice for the whole run,
 *   and nothing else is attempted. With `check-run: auto` and `comment: off` it is a log line.
 * - No answer within the time bound, or an error after the retries: one warning.
 */
import type { ActionInputs } from '../action/inputs.js';
import type { Result } from '../model/types.js';
import { createApi, GitHubError, readContext, type Api, type GitHubContext } from './api.js';
import { createCheckRun, type CheckRunResult } from './checks.js';
import { upsertComment, type CommentOutcome } from './comment.js';
import { postSuggestions, suggestionsFor, type SuggestionOutcome } from './suggestions.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

export interface GitHubReportInput {
  result: Result;
  inputs: Pick<ActionInputs, 'checkRun' | 'comment' | 'token' | 'path' | 'failOn'>;
  failing: boolean;
  /** The scanned root (absolute) and its path relative to the workspace. */
  root: string;
  prefix: string;
  /** The report in Markdown (≤ 64 KiB), for the check run's text and the comment. */
  markdown: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** For tests: a ready client instead of @actions/github's. */
  api?: Api;
}

export interface GitHubReportOutcome {
  checkRun: CheckRunResult | null;
  comment: CommentOutcome | null;
  suggestions: SuggestionOutcome | null;
  /** What stopped the reporting, if anything. */
  stopped: 'denied' | 'timeout' | null;
}

/** Default time bound of all GitHub requests of one run. */
export const DEFAULT_TIMEOUT_S = 60;

export function checkRunName(path: string): string {
  const p = path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  return !p || p === '.' ? 'django-deploy-lint' : `django-deploy-lint (${p.slice(0, 100)})`;
}

export async function reportToGitHub(input: GitHubReportInput): Promise<GitHubReportOutcome> {
  const outcome: GitHubReportOutcome = { checkRun: null, comment: null, suggestions: null, stopped: null };
  const { inputs, log } = input;
  const env = input.env ?? process.env;
  const wantCheck = inputs.checkRun === 'true' || (inputs.checkRun === 'auto' && inputs.token !== '');
  const wantComment = inputs.comment !== 'off';
  const explicit = inputs.checkRun === 'true' || wantComment;
  if (!wantCheck && !wantComment) return outcome;

  if (!inputs.token) {
    log.notice('django-deploy-lint: no token (input `token` is empty): no check run or pull request comment was posted.');
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
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    if (outcome.stopped) return null;
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GitHubError && err.kind === 'denied') {
        outcome.stopped = 'denied';
        const m = `django-deploy-lint: the token may not ${what} (HTTP ${err.status}; a pull request from a fork gets a read-only token). ` +
          `Findings are in the annotations and the job summary; the step's result does not change. ` +
          `To get the check run and comment, give the job \`permissions: checks: write, pull-requests: write\`.`;
        (explicit ? log.notice : log.info)(m);
        log.debug(err.message);
      } else if (err instanceof GitHubError && err.kind === 'timeout') {
        outcome.stopped = 'timeout';
        log.warning(`django-deploy-lint: the GitHub API did not answer within ${timeoutMs / 1000} s while trying to ${what}; the rest of the GitHub reporting was skipped (the step's result does not change).`);
        log.debug(err.message);
      } else {
        failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return null;
    }
  };

  if (wantCheck) {
    outcome.checkRun = await step('create a check run', () =>
      createCheckRun(api, ctx, input.result, { name: checkRunName(inputs.path), prefix: input.prefix, failing: input.failing, text: input.markdown }),
    );
    if (outcome.checkRun) log.info(`django-deploy-lint: check run created with ${outcome.checkRun.annotations} annotations (${outcome.checkRun.requests} requests).`);
  }

  if (wantComment) {
    if (ctx.pullNumber === null) {
      log.info('django-deploy-lint: not a pull request: no comment was posted.');
    } else {
      outcome.comment = await step('comment on the pull request', () =>
        upsertComment(api, ctx, input.result, {
          mode: inputs.comment,
          failing: input.failing,
          failOn: inputs.failOn,
          path: inputs.path,
          report: input.markdown,
          checkRunUrl: outcome.checkRun?.url ?? null,
        }),
      );
      if (outcome.comment && outcome.comment.action !== 'none') log.info(`django-deploy-lint: pull request comment ${outcome.comment.action}${outcome.comment.allClear ? ' (all clear)' : ''}.`);
      const suggestions = suggestionsFor(input.result, input.root, input.prefix);
      if (suggestions.length > 0) {
        outcome.suggestions = await step('post review suggestions', () => postSuggestions(api, ctx, suggestions));
        if (outcome.suggestions) {
          const s = outcome.suggestions;
          log.info(`django-deploy-lint: ${s.posted} suggested change(s) posted; ${s.skippedUnchanged} on lines this pull request did not change, ${s.skippedExisting} already posted.`);
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
