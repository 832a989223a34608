/**
 * The action's inputs (action.yml), read through a getter (core.getInput in the action, a map in
 * tests) and validated: a bad value is an InputError naming the input and the allowed values.
 */
import type { FailOn } from '../core/options.js';

export type CheckRunMode = 'auto' | 'true' | 'false';
export type CommentMode = 'off' | 'on-failure' | 'always';

export interface ActionInputs {
  /** Directory to scan, relative to the workspace. */
  path: string;
  /** Config file, relative to the workspace; null = look for `.django-deploy-lint.yml`. */
  config: string | null;
  failOn: FailOn;
  /** Where to write SARIF, relative to the workspace; null = not written. */
  sarifFile: string | null;
  /** Baseline file (`--write-baseline`), relative to the workspace; null = none. */
  baseline: string | null;
  /** Findings as a check run: `auto` = when there is a token, quietly skipped when refused. */
  checkRun: CheckRunMode;
  /** The sticky pull-request comment (and suggested changes on the lines the PR changed). */
  comment: CommentMode;
  /** Token for the check run, comment and suggestions (src/github/); never logged. */
  token: string;
  /** The repository's checkout, relative to the workspace; null = the git top level above `path`. */
  checkoutPath: string | null;
  /** `comment-key`: identifies the sticky comment instead of workflow, job and path; null = those. */
  commentKey: string | null;
  /** What becomes of the sticky comment on all clear. */
  commentOnClear: CommentOnClear;
  /** SARIF `automationDetails.id` (code scanning category); null = derived from `path`. */
  sarifCategory: string | null;
  /** Which findings count: those on the pull request's changes, or all (`nofilter`). */
  filterMode: FilterMode;
  /**
   * Where findings go on a pull request: `comment` (the sticky comment, with suggested changes
   * for mechanical fixes), `github-pr-review` (one review with an inline comment per finding on
   * the changed lines; the sticky comment only for those off the diff), or `both`.
   */
  reporter: Reporter;
}

export type Reporter = 'comment' | 'github-pr-review' | 'both';
const REPORTER: readonly Reporter[] = ['comment', 'github-pr-review', 'both'];

export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';
const FILTER_MODE: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

export type CommentOnClear = 'edit' | 'hide' | 'delete';
const COMMENT_ON_CLEAR: readonly CommentOnClear[] = ['edit', 'hide', 'delete'];

export class InputError extends Error {
  override name = 'InputError';
}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];
const CHECK_RUN: readonly CheckRunMode[] = ['auto', 'true', 'false'];
const COMMENT: readonly CommentMode[] = ['off', 'on-failure', 'always'];

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new InputError(`Input '${name}' must be one of ${allowed.join(', ')}; got '${raw.trim()}'.`);
}

/** Read and validate every input. `get` returns '' for an input that was not given. */
export function readInputs(get: (name: string) => string): ActionInputs {
  const text = (name: string) => (get(name) ?? '').trim();
  const path = text('path') || '.';
  if (path.includes('\0')) throw new InputError(`Input 'path' contains a NUL character.`);
  const config = text('config') || null;
  const sarifFile = text('sarif-file') || null;
  return {
    path,
    config,
    failOn: oneOf('fail-on', text('fail-on'), FAIL_ON, 'error'),
    sarifFile,
    baseline: text('baseline') || null,
    checkRun: oneOf('check-run', text('check-run'), CHECK_RUN, 'auto'),
    comment: oneOf('comment', text('comment'), COMMENT, 'off'),
    token: text('token'),
    checkoutPath: text('checkout-path') || null,
    commentKey: text('comment-key') || null,
    commentOnClear: oneOf('comment-on-clear', text('comment-on-clear'), COMMENT_ON_CLEAR, 'edit'),
    sarifCategory: text('sarif-category') || null,
    filterMode: oneOf('filter-mode', text('filter-mode').replace(/-/g, '_'), FILTER_MODE, 'nofilter'),
    reporter: oneOf('reporter', text('reporter'), REPORTER, 'comment'),
  };
}

/** The input as the runner passes it: `INPUT_<NAME>` upper-cased, spaces as `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
