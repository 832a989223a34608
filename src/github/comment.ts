/**
 * The sticky pull-request comment: one comment per workflow, job and checked path, found again
 * by a hidden marker and edited in place on every run. When the findings are gone it is edited
 * to a short "all clear" (never left stale); it is never posted twice.
 *
 *   comment: off         nothing
 *   comment: on-failure  posted when the step fails; an existing one is edited to "all clear"
 *                        when it no longer does
 *   comment: always      posted on every run (the report, or "all clear")
 *
 * Only a comment written by the identity the token acts as is ever edited (anyone can write
 * the marker). With `comment-on-clear: hide` the "all clear" comment is also minimized
 * (GraphQL `minimizeComment`, as resolved); with `delete` it is deleted instead.
 */
import { posix } from 'node:path';
import type { CommentMode } from '../action/inputs.js';
import type { Result } from '../suppress/result.js';
import type { FailOn } from '../core/options.js';
import { countsText } from '../report/common.js';
import { sha256Hex } from '../report/sarif.js';
import { GitHubError, type Api, type GitHubContext } from './api.js';
import { clipText } from './checks.js';

/** GitHub's limit of a comment body, in characters. */
export const COMMENT_LIMIT = 65536;

/** `services/api/`, `./services/api` and `services//api` are the same folder: `services/api`. */
export function normalizePath(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  return n === '' || n === './' ? '.' : n.replace(/^\.\//, '') || '.';
}

/**
 * The hidden marker of this workflow/job/path's comment (or of the `comment-key` input when
 * given). Only hex digits: nothing to escape.
 */
export function commentMarker(ctx: Pick<GitHubContext, 'workflow' | 'job'>, path: string, commentKey?: string | null): string {
  const key = sha256Hex(commentKey ? `key\0${commentKey}` : `${ctx.workflow}\0${ctx.job}\0${normalizePath(path)}`).slice(0, 16);
  return `<!-- django-deploy-lint:sticky:${key} -->`;
}

export interface CommentOptions {
  mode: CommentMode;
  failing: boolean;
  failOn: FailOn;
  /** The scanned path (input `path`), part of the marker. */
  path: string;
  /** The job summary (Markdown) to post when there is something to say. */
  report: string;
  /** Link to the check run, when one was created. */
  checkRunUrl?: string | null;
  /** The login the token acts as: only a comment written by it is ever edited. */
  me: string;
  /** `comment-key`: the marker's key instead of workflow, job and path. */
  key?: string | null;
  /** What becomes of our comment when all is clear: edited to "all clear", hidden or deleted. */
  onClear?: 'edit' | 'hide' | 'delete';
  /**
   * Post a new comment when there is none (default true). False with `reporter:
   * github-pr-review` when every finding is an inline review comment: an existing comment is
   * still kept current.
   */
  createIfMissing?: boolean;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'hidden' | 'none';

export interface CommentOutcome {
  action: CommentAction;
  id?: number;
  allClear: boolean;
}

interface IssueComment {
  id: number;
  node_id?: string;
  body?: string | null;
  user?: { login?: string } | null;
}

/** The "all clear" text (short, so that the pull request's conversation stays readable). */
export function allClearBody(result: Result, failOn: FailOn, sha: string): string {
  const total = result.summary.errors + result.summary.warnings + result.summary.notices;
  const below = total > 0 ? ` (${countsText(result.summary)}, below \`fail-on: ${failOn}\`)` : '';
  return `${ALL_CLEAR_HEAD}\nNo findings at or above \`${failOn}\` as of ${sha.slice(0, 7)}${below}.\n`;
}

const ALL_CLEAR_HEAD = '### ✅ django-deploy-lint: all clear\n';

function isAllClear(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.startsWith(ALL_CLEAR_HEAD);
}

/** A GraphQL mutation on one comment; GraphQL reports its errors with HTTP 200: they throw. */
async function graphql(api: Api, query: string, id: string): Promise<void> {
  const r = await api.request<{ errors?: { message?: string; type?: string }[] }>('POST /graphql', { query, variables: { id } });
  const errors = r.data?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const e = errors[0];
    const denied = e.type === 'FORBIDDEN' || e.type === 'NOT_FOUND';
    throw new GitHubError(denied ? 'denied' : 'failed', `POST /graphql: ${String(e.type ?? '')} ${String(e.message ?? '').slice(0, 200)}`.trim(), denied ? 403 : undefined);
  }
}

export async function upsertComment(api: Api, ctx: GitHubContext, result: Result, options: CommentOptions): Promise<CommentOutcome> {
  if (options.mode === 'off' || ctx.pullNumber === null) return { action: 'none', allClear: false };
  const marker = commentMarker(ctx, options.path, options.key);
  const comments = await api.list<IssueComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: ctx.pullNumber,
  });
  // The oldest one carrying the marker and written by the token's own identity is ours: the
  // marker can be computed by anyone, so a comment of someone else that carries it is never
  // edited (a duplicate of ours can only come from a race; it is left alone).
  const existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker) && c.user?.login === options.me) ?? null;

  const total = result.summary.errors + result.summary.warnings + result.summary.notices;
  const report = options.mode === 'always' ? total > 0 : options.failing;
  if (!report && !existing && options.mode === 'on-failure') return { action: 'none', allClear: false };
  if (!existing && options.createIfMissing === false) return { action: 'none', allClear: !report };

  const allClear = !report;
  if (allClear && existing && options.onClear === 'delete') {
    await api.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: ctx.owner, repo: ctx.repo, comment_id: existing.id });
    return { action: 'deleted', id: existing.id, allClear };
  }
  // The check run's annotations are linked only when there are some (an all clear with no
  // finding has none).
  const link = options.checkRunUrl && total > 0
    ? allClear
      ? `\n[${total === 1 ? 'The finding' : `The ${total} findings`} below \`fail-on\` as annotations in the check run](${options.checkRunUrl})\n`
      : `\n[All findings as annotations in the check run](${options.checkRunUrl})\n`
    : '';
  const tail = `${link}\n${marker}\n`;
  const content = allClear ? allClearBody(result, options.failOn, ctx.headSha) : options.report;
  const body = clipText(content, COMMENT_LIMIT - tail.length - 200) + tail;

  if (existing) {
    let action: CommentAction = 'unchanged';
    if (existing.body !== body) {
      await api.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: ctx.owner, repo: ctx.repo, comment_id: existing.id, body });
      action = 'updated';
    }
    if (allClear && options.onClear === 'hide' && typeof existing.node_id === 'string') {
      await graphql(api, 'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: RESOLVED }) { minimizedComment { isMinimized } } }', existing.node_id);
      action = 'hidden';
    } else if (!allClear && options.onClear === 'hide' && typeof existing.node_id === 'string' && isAllClear(existing.body)) {
      // We hid it when all was clear; findings are back: shown again (a minimized comment
      // keeps its state when edited, and nobody would open it).
      await graphql(api, 'mutation($id: ID!) { unminimizeComment(input: { subjectId: $id }) { unminimizedComment { isMinimized } } }', existing.node_id);
    }
    return { action, id: existing.id, allClear };
  }
  const created = await api.request<{ id: number }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: ctx.pullNumber,
    body,
  });
  return { action: 'created', id: created.data.id, allClear };
}
