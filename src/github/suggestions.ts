/**
 * Suggested changes: a rendering of the fixes the rules make (Finding.autofix, src/core/fix.ts)
 * as review comments with a ```suggestion block that replaces the line. The knowledge of what to
 * edit is the rule's; this adapter only renders edits that fall on one line each, on lines the
 * pull request changed (GitHub refuses others), and never twice: each comment carries a hidden
 * key and existing keys are skipped.
 *
 * A fix's first edit is the finding's own line; a second edit (the server declared in the
 * dependencies, Finding.fixNeeds) becomes a second suggestion in the same review, or, when its
 * line is not in the diff, the first is posted in words. A `display-only` fix (the dependency
 * cannot be added by an edit) is always posted in words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextEdit } from '../core/fix.js';
import type { Finding } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { displayPath, fixNeedsText } from '../report/common.js';
import { mdCode } from '../report/escape.js';
import { sha256Hex } from '../report/sarif.js';
import { mdMessage } from '../report/summary.js';
import type { Api, GitHubContext } from './api.js';

export interface Suggestion {
  /** Path in the repository (as the pull request's files list it). */
  path: string;
  line: number;
  /** The whole new line. */
  replacement: string;
  finding: Finding;
  key: string;
  /**
   * The target does not install the server the fix starts (Finding.fixNeeds): the suggestion
   * that adds it to the dependency file (posted with this one, in the same review, or neither
   * is a one-click suggestion), or null when no such suggestion can be made.
   */
  needs?: { path: string; line: number; replacement: string } | null;
}

/**
 * The line `edit` makes of `lineText` (line `edit.range.start.line`), or null when the edit
 * does not fall on that one line (or no longer fits it: the file changed since).
 */
export function renderLine(edit: TextEdit, lineText: string): string | null {
  const { start, end } = edit.range;
  if (start.line !== end.line || !(start.column >= 1) || end.column < start.column || /[\r\n]/.test(lineText)) return null;
  if (lineText.length < end.column - 1) return null;
  return lineText.slice(0, start.column - 1) + edit.text + lineText.slice(end.column - 1);
}

/** The suggestions for a result, reading each file's line under `root`. */
export function suggestionsFor(result: Result, root: string, prefix: string): Suggestion[] {
  const out: Suggestion[] = [];
  const cache = new Map<string, string[] | null>();
  const linesOf = (file: string) => {
    if (!cache.has(file)) cache.set(file, readLines(root, file));
    return cache.get(file) ?? null;
  };
  const seen = new Set<string>();
  for (const f of result.findings) {
    const fix = f.autofix;
    if (!fix || fix.edits.length === 0 || fix.edits.length > 2) continue;
    const [edit, add] = fix.edits;
    const repoPath = displayPath(prefix, edit.file);
    if (repoPath.startsWith('../') || repoPath.startsWith('/')) continue;
    const lines = linesOf(edit.file);
    const line = edit.range.start.line;
    if (!lines || line > lines.length) continue;
    const replacement = renderLine(edit, lines[line - 1]);
    if (replacement === null || replacement === lines[line - 1]) continue;
    const key = sha256Hex(`${f.ruleId}\0${repoPath}\0${line}\0${replacement}`).slice(0, 16);
    if (seen.has(key)) continue;
    seen.add(key);
    const s: Suggestion = { path: repoPath, line, replacement, finding: f, key };
    if (add) {
      const addLines = linesOf(add.file);
      const at = add.range.start.line;
      const text = addLines && at <= addLines.length ? renderLine(add, addLines[at - 1]) : null;
      s.needs = text === null ? null : { path: displayPath(prefix, add.file), line: at, replacement: text };
    } else if (fix.safety === 'display-only' && f.fixNeeds) {
      s.needs = null;
    }
    out.push(s);
  }
  return out;
}

function readLines(root: string, file: string): string[] | null {
  try {
    const abs = path.resolve(root, file);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    const real = fs.realpathSync(abs);
    const realRoot = fs.realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    const st = fs.statSync(real);
    if (!st.isFile() || st.size > 1024 * 1024) return null;
    return fs.readFileSync(real, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  } catch {
    return null;
  }
}

/** Line numbers (new side) that a unified diff `patch` adds or changes. */
export function changedLines(patch: string): Set<number> {
  return newSideLines(patch, false);
}

/**
 * New-side line numbers of a patch's hunks: the added lines, and the context lines too with
 * `context`. '-' lines and '\ No newline at end of file' do not move the new side.
 */
function newSideLines(patch: string, context: boolean): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  let inHunk = false;
  for (const l of patch.split('\n')) {
    const h = l.match(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/);
    if (h) {
      next = Number(h[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (l.startsWith('+')) lines.add(next++);
    else if (l.startsWith(' ')) {
      if (context) lines.add(next);
      next++;
    }
  }
  return lines;
}

export function suggestionMarker(key: string): string {
  return `<!-- django-deploy-lint:suggestion:${key} -->`;
}

function fenceFor(text: string): string {
  // A fence longer than any backtick run in the text.
  const runs = text.match(/`+/g) ?? [];
  return '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
}

/**
 * The review comment of a suggestion: a one-click ```suggestion, or, with `oneClick` false (the
 * server it starts must be added to the dependencies first, and that cannot be suggested
 * here), the new line as plain code and what to add, in words.
 */
export function suggestionBody(s: Suggestion, oneClick = true): string {
  const fence = fenceFor(s.replacement);
  const head = `**${s.finding.ruleId} ${s.finding.rule}**: ${mdMessage(s.finding.message)}\n\n`;
  if (!oneClick && s.finding.fixNeeds) {
    return (
      head +
      `The fix starts \`${s.finding.fixNeeds.package}\`, which this target does not install yet: first ${mdMessage(fixNeedsText(s.finding.fixNeeds))}, then replace this line with:\n\n` +
      `${fence}text\n${s.replacement}\n${fence}\n\n${suggestionMarker(s.key)}\n`
    );
  }
  return head + `${fence}suggestion\n${s.replacement}\n${fence}\n\n${suggestionMarker(s.key)}\n`;
}

/** The review comment that adds the server to the dependency file, beside its suggestion. */
export function needsBody(s: Suggestion): string {
  const n = s.needs!;
  const fence = fenceFor(n.replacement);
  return (
    `**${s.finding.ruleId}**: the suggested \`${s.finding.fixNeeds!.package}\` command on ${mdCode(`${s.path}:${s.line}`)} needs the package declared here; apply both suggestions together.\n\n` +
    `${fence}suggestion\n${n.replacement}\n${fence}\n\n${suggestionMarker(`${s.key.slice(0, 12)}0add`)}\n`
  );
}

export interface SuggestionOutcome {
  candidates: number;
  posted: number;
  skippedUnchanged: number;
  skippedExisting: number;
  /** Posted with a second suggestion adding the server to the dependencies. */
  paired: number;
  /** Posted as words (the dependency could not be suggested). */
  inWords: number;
}

interface PullFile {
  filename?: string;
  patch?: string;
}
interface ReviewComment {
  body?: string | null;
  user?: { login?: string } | null;
}

export async function postSuggestions(api: Api, ctx: GitHubContext, suggestions: Suggestion[], me: string): Promise<SuggestionOutcome> {
  const outcome: SuggestionOutcome = { candidates: suggestions.length, posted: 0, skippedUnchanged: 0, skippedExisting: 0, paired: 0, inWords: 0 };
  if (ctx.pullNumber === null || suggestions.length === 0) return outcome;
  const base = { owner: ctx.owner, repo: ctx.repo, pull_number: ctx.pullNumber };
  const files = await api.list<PullFile>('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', base);
  const changed = new Map<string, Set<number>>();
  const inDiff = new Map<string, Set<number>>();
  for (const f of files) {
    if (typeof f.filename !== 'string') continue;
    changed.set(f.filename, changedLines(typeof f.patch === 'string' ? f.patch : ''));
    inDiff.set(f.filename, diffLines(typeof f.patch === 'string' ? f.patch : ''));
  }
  const onChanged = suggestions.filter((s) => changed.get(s.path)?.has(s.line));
  outcome.skippedUnchanged = suggestions.length - onChanged.length;
  if (onChanged.length === 0) return outcome;

  // Only keys in comments written by the token's own identity count: anyone can write a key,
  // and a foreign one must not suppress a suggestion.
  const existing = await api.list<ReviewComment>('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', base);
  const keys = new Set<string>();
  for (const c of existing) {
    if (c.user?.login !== me) continue;
    for (const m of String(c.body ?? '').matchAll(/<!-- django-deploy-lint:suggestion:([0-9a-f]{16}) -->/g)) keys.add(m[1]);
  }
  const fresh = onChanged.filter((s) => !keys.has(s.key));
  outcome.skippedExisting = onChanged.length - fresh.length;
  if (fresh.length === 0) return outcome;

  const comments: { path: string; line: number; side: 'RIGHT'; body: string }[] = [];
  for (const s of fresh) {
    if (s.needs === undefined) {
      comments.push({ path: s.path, line: s.line, side: 'RIGHT', body: suggestionBody(s) });
    } else if (s.needs && inDiff.get(s.needs.path)?.has(s.needs.line)) {
      // Both one-click suggestions, in the same review: the command and the dependency.
      comments.push({ path: s.path, line: s.line, side: 'RIGHT', body: suggestionBody(s) });
      comments.push({ path: s.needs.path, line: s.needs.line, side: 'RIGHT', body: needsBody(s) });
      outcome.paired++;
    } else {
      // The dependency cannot be suggested here: no one-click suggestion, the fix in words.
      comments.push({ path: s.path, line: s.line, side: 'RIGHT', body: suggestionBody(s, false) });
      outcome.inWords++;
    }
  }
  await api.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
    ...base,
    commit_id: ctx.headSha,
    event: 'COMMENT',
    body: `django-deploy-lint: ${fresh.length} suggested change${fresh.length === 1 ? '' : 's'}.`,
    comments,
  });
  outcome.posted = fresh.length;
  return outcome;
}

/** New-side lines of a patch's hunks, context or added: where a review comment may sit. */
export function diffLines(patch: string): Set<number> {
  return newSideLines(patch, true);
}
