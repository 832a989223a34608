/**
 * `reporter: github-pr-review` (or `both`), like reviewdog's reporter of the same name: ONE
 * pull-request review (event `COMMENT`) with an inline comment for every finding on the lines
 * the pull request changed, not only the mechanical fixes; a ```suggestion block where one
 * exists (src/github/suggestions.ts).
 *
 * - Where a comment sits: on the finding's own line when the pull request changed it, else on
 *   the first step of the chain that reaches the finding that it changed (a pull request that
 *   edits `web: bin/start` gets the comment there for the DPL101 inside `bin/start`). "Changed"
 *   follows `filter-mode`: lines of the diff's hunks with `diff_context`, added lines otherwise.
 * - Never twice: every comment carries a hidden key (rule, finding's place, comment's place);
 *   the keys already in review comments written by the token's own identity are skipped (anyone
 *   can write a key: a foreign one suppresses nothing). A suggestion already posted by
 *   `reporter: comment` for the same finding counts as posted. All clear: nothing is posted.
 * - GitHub's limits: comments are sent REVIEW_BATCH per review request, at most
 *   MAX_REVIEW_COMMENTS per run (the most severe first), each body within COMMENT_LIMIT; the
 *   review's body and the job summary state the cap and where the rest is.
 * - Findings that cannot sit on the diff fall back to the sticky comment (when `comment` is on)
 *   and the job summary, which list every finding.
 */
import type { FilterMode } from '../action/inputs.js';
import type { Finding } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { bySeverity, displayPath, fixText } from '../report/common.js';
import { mdCode } from '../report/escape.js';
import { sha256Hex } from '../report/sarif.js';
import { mdMessage } from '../report/summary.js';
import type { Api, GitHubContext } from './api.js';
import { clipText } from './checks.js';
import { COMMENT_LIMIT } from './comment.js';
import type { ChangeSet } from './filter.js';
import { needsBody, suggestionBody, type Suggestion } from './suggestions.js';

/** Review comments per `POST …/reviews` (GitHub times out on very large reviews). */
export const REVIEW_BATCH = 50;
/** Inline comments posted at most per run; beyond, the most severe are posted and the rest said. */
export const MAX_REVIEW_COMMENTS = 200;

const ICON = { error: '❌', warning: '⚠️', notice: 'ℹ️' } as const;

export interface Placement {
  /** Path in the repository and new-side line the comment sits on. */
  path: string;
  line: number;
  /** The finding's own line (false: a step of the chain that reaches it). */
  own: boolean;
}

/** Where a finding's inline comment sits, or null when no line of it is on the diff. */
export function placeFinding(f: Finding, changes: ChangeSet, mode: FilterMode, prefix: string): Placement | null {
  const places = [{ file: f.file, line: f.line, own: true }, ...f.via.map((v) => ({ file: v.file, line: v.line, own: false }))];
  for (const p of places) {
    if (!p.file || !(p.line >= 1)) continue;
    const path = displayPath(prefix, p.file);
    if (path.startsWith('../') || path.startsWith('/')) continue;
    const c = changes.get(path);
    if (c && (mode === 'diff_context' ? c.context : c.added).has(p.line)) return { path, line: p.line, own: p.own };
  }
  return null;
}

/** The hidden key of a finding's inline comment (only hex digits: nothing to escape). */
export function findingKey(f: Finding, prefix: string, place: Placement): string {
  return sha256Hex(`finding\0${f.ruleId}\0${displayPath(prefix, f.file)}\0${f.line}\0${place.path}\0${place.line}`).slice(0, 16);
}

export function findingMarker(key: string): string {
  return `<!-- django-deploy-lint:finding:${key} -->`;
}

const KEY_IN_BODY = /<!-- django-deploy-lint:(?:finding|suggestion):([0-9a-f]{16}|[0-9a-f]{12}0add) -->/g;

/** The inline comment of a finding without a one-click suggestion. */
export function findingBody(f: Finding, prefix: string, place: Placement, key: string): string {
  const at = (file: string, line: number) => mdCode(`${displayPath(prefix, file)}:${line}`);
  const lines = [`**${ICON[f.severity]} ${f.ruleId} ${f.rule}** (${f.severity}): ${mdMessage(f.message)}`];
  if (!place.own) lines.push('', `This line leads to it: the finding is on ${at(f.file, f.line)}.`);
  if (f.via.length > 0) lines.push('', `via ${f.via.map((v) => at(v.file, v.line)).join(' → ')}`);
  if (f.fix) lines.push('', `**Fix:** ${mdMessage(fixText(f)!)}`);
  const tail = `\n\n${findingMarker(key)}\n`;
  return clipText(lines.join('\n'), COMMENT_LIMIT - tail.length - 200) + tail;
}

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

export interface ReviewOutcome {
  /** Findings counted (after baseline and filter-mode). */
  findings: number;
  /** Findings with a place on the diff. */
  inline: number;
  /** Of those, already posted by an earlier run (skipped). */
  existing: number;
  /** Findings posted now (a pair of suggestions, command and dependency, counts once). */
  posted: number;
  /** Inline findings not posted: over MAX_REVIEW_COMMENTS. */
  omitted: number;
  /** Findings with no line on the diff: in the sticky comment and the job summary. */
  outside: number;
  /** Review requests made. */
  reviews: number;
}

interface ExistingComment {
  body?: string | null;
  user?: { login?: string } | null;
}

export interface ReviewOptions {
  prefix: string;
  filterMode: FilterMode;
  /** The pull request's changes (GET …/pulls/N/files). */
  changes: ChangeSet;
  /** Mechanical fixes (suggestionsFor): a finding with one gets its ```suggestion. */
  suggestions: Suggestion[];
  /** The login the token acts as: only its comments' keys count. */
  me: string;
}

export async function postReview(api: Api, ctx: GitHubContext, result: Result, options: ReviewOptions): Promise<ReviewOutcome> {
  const outcome: ReviewOutcome = { findings: result.findings.length, inline: 0, existing: 0, posted: 0, omitted: 0, outside: 0, reviews: 0 };
  if (ctx.pullNumber === null) return outcome;
  const { prefix, changes } = options;
  const suggestionOf = new Map<Finding, Suggestion>();
  for (const s of options.suggestions) if (!suggestionOf.has(s.finding)) suggestionOf.set(s.finding, s);

  // The most severe first: when over the cap, those are posted.
  const placed: { f: Finding; place: Placement; key: string }[] = [];
  const seen = new Set<string>();
  for (const f of bySeverity(result.findings)) {
    const place = placeFinding(f, changes, options.filterMode, prefix);
    if (!place) {
      outcome.outside++;
      continue;
    }
    const key = findingKey(f, prefix, place);
    if (seen.has(key)) continue;
    seen.add(key);
    placed.push({ f, place, key });
  }
  outcome.inline = placed.length;
  if (placed.length === 0) return outcome;

  const base = { owner: ctx.owner, repo: ctx.repo, pull_number: ctx.pullNumber };
  const existing = await api.list<ExistingComment>('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', base);
  const keys = new Set<string>();
  for (const c of existing) {
    if (c.user?.login !== options.me) continue;
    for (const m of String(c.body ?? '').matchAll(KEY_IN_BODY)) keys.add(m[1]);
  }

  const units: ReviewComment[][] = [];
  for (const { f, place, key } of placed) {
    const s = suggestionOf.get(f);
    const withSuggestion = s && place.own && s.path === place.path && s.line === place.line ? s : null;
    if (keys.has(key) || (withSuggestion && keys.has(withSuggestion.key))) {
      outcome.existing++;
      continue;
    }
    const at = { path: place.path, line: place.line, side: 'RIGHT' as const };
    if (!withSuggestion) {
      units.push([{ ...at, body: findingBody(f, prefix, place, key) }]);
    } else if (withSuggestion.needs === undefined) {
      units.push([{ ...at, body: suggestionBody(withSuggestion) + findingMarker(key) + '\n' }]);
    } else if (withSuggestion.needs && changes.get(withSuggestion.needs.path)?.context.has(withSuggestion.needs.line)) {
      // Both one-click suggestions in the same review: the command and the dependency.
      units.push([
        { ...at, body: suggestionBody(withSuggestion) + findingMarker(key) + '\n' },
        { path: withSuggestion.needs.path, line: withSuggestion.needs.line, side: 'RIGHT', body: needsBody(withSuggestion) },
      ]);
    } else {
      // The dependency cannot be suggested here: no one-click suggestion, the fix in words.
      units.push([{ ...at, body: suggestionBody(withSuggestion, false) + findingMarker(key) + '\n' }]);
    }
  }
  const kept = units.slice(0, MAX_REVIEW_COMMENTS);
  outcome.omitted = units.length - kept.length;
  if (kept.length === 0) return outcome;

  const batches: ReviewComment[][][] = [];
  for (let i = 0; i < kept.length; i += REVIEW_BATCH) batches.push(kept.slice(i, i + REVIEW_BATCH));
  const total = kept.length;
  for (const [i, batch] of batches.entries()) {
    const part = batches.length > 1 ? ` (part ${i + 1} of ${batches.length})` : '';
    const cap =
      outcome.omitted > 0
        ? `\n\nAt most ${MAX_REVIEW_COMMENTS} inline comments per run, the most severe first: ${outcome.omitted} more finding${outcome.omitted === 1 ? ' is' : 's are'} on changed lines; every finding is in the job summary, the check run and the JSON report.`
        : '';
    await api.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...base,
      commit_id: ctx.headSha,
      event: 'COMMENT',
      body: `django-deploy-lint: ${total} finding${total === 1 ? '' : 's'} on lines this pull request changed${part}.${cap}`,
      comments: batch.flat(),
    });
    outcome.reviews++;
    outcome.posted += batch.length;
  }
  return outcome;
}
