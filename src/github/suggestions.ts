/**
 * Suggested changes: for a finding whose fix is mechanical, on a line the pull request changed,
 * a review comment with a ```suggestion block that replaces the line. Mechanical means, for now:
 * DPL101 (runserver) on a Procfile process line or a Dockerfile `CMD` line, where the finding's
 * span is exactly the runserver command and the fix is a plain server command line (the
 * project's real WSGI module, no placeholder). Never on unchanged lines (GitHub would refuse
 * them anyway), never twice: each comment carries a hidden key and existing keys are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { displayPath, fixNeedsText } from '../report/common.js';
import { mdCode } from '../report/escape.js';
import { sha256Hex } from '../core/fingerprint.js';
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

/** A fix we can paste: a server and plain arguments (no placeholder, quote, or shell syntax). */
const SERVER_COMMAND = /^(gunicorn|uvicorn|daphne|uwsgi|waitress-serve|hypercorn|granian)( [A-Za-z0-9_.:/$={},@%+-]+)+$/;
const RUNSERVER = /^(?:\S*python[0-9.]*\s+)?(?:\S*\/)?(?:manage\.py|django-admin)\s+runserver\b/;

/** The new line for a finding, or null when the fix is not mechanical there. */
export function suggestionLine(f: Finding, lineText: string): string | null {
  if (f.ruleId !== 'DPL101' || !f.fix || !SERVER_COMMAND.test(f.fix)) return null;
  if (!(f.line >= 1) || f.endLine !== f.line || !(f.column >= 1) || !(f.endColumn > f.column)) return null;
  if (lineText.length < f.endColumn - 1 || /[\r\n]/.test(lineText)) return null;
  const before = lineText.slice(0, f.column - 1);
  const span = lineText.slice(f.column - 1, f.endColumn - 1);
  const after = lineText.slice(f.endColumn - 1);
  const base = path.posix.basename(f.file);

  if (/^Procfile(\.[\w.-]+)?$/.test(base)) {
    // `web: <command>`, the command being exactly the runserver invocation (possibly after
    // `sh -c "… && `; what follows may only be a closing quote and spaces).
    if (!/^[A-Za-z0-9_-]+:\s*/.test(before) || !RUNSERVER.test(span) || !/^["']?\s*$/.test(after)) return null;
    if (/[;&|`<>]/.test(span)) return null;
    return before + f.fix + after;
  }

  if (/^(Dockerfile|Containerfile)([.-][\w.-]+)?$|\.(Dockerfile|Containerfile)$/i.test(base)) {
    const cmd = before.match(/^\s*CMD\s+(\[\s*(?:"(?:[^"\\]|\\.)*"\s*,\s*)*)?$/i);
    if (!cmd) return null;
    if (cmd[1] !== undefined) {
      // Exec form: the span is the tail of the JSON array; no shell, so no `$VAR` in the fix.
      if (/\$/.test(f.fix) || !/^\s*\]\s*$/.test(after)) return null;
      let args: unknown;
      try {
        args = JSON.parse(`[${span}]`);
      } catch {
        return null;
      }
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string') || !RUNSERVER.test(args.join(' '))) return null;
      return before + f.fix.split(' ').map((a) => JSON.stringify(a)).join(', ') + after;
    }
    // Shell form: the rest of the line is the runserver command.
    if (!RUNSERVER.test(span) || !/^\s*$/.test(after) || /[;&|`<>]/.test(span)) return null;
    return before + f.fix + after;
  }
  return null;
}

/** The suggestions for a result, reading each file's line under `root`. */
export function suggestionsFor(result: Result, root: string, prefix: string): Suggestion[] {
  const out: Suggestion[] = [];
  const cache = new Map<string, string[] | null>();
  const seen = new Set<string>();
  for (const f of result.findings) {
    if (f.ruleId !== 'DPL101' || !f.fix || !f.file) continue;
    const repoPath = displayPath(prefix, f.file);
    if (repoPath.startsWith('../') || repoPath.startsWith('/')) continue;
    if (!cache.has(f.file)) cache.set(f.file, readLines(root, f.file));
    const lines = cache.get(f.file);
    if (!lines || f.line > lines.length) continue;
    const replacement = suggestionLine(f, lines[f.line - 1]);
    if (replacement === null || replacement === lines[f.line - 1]) continue;
    const key = sha256Hex(`${f.ruleId}\0${repoPath}\0${f.line}\0${replacement}`).slice(0, 16);
    if (seen.has(key)) continue;
    seen.add(key);
    const s: Suggestion = { path: repoPath, line: f.line, replacement, finding: f, key };
    if (f.fixNeeds) {
      const n = f.fixNeeds;
      const lines = n.file ? readLines(root, n.file) : null;
      const add = n.file && lines ? additionLine(n.file, lines, n) : null;
      s.needs = add && n.file ? { path: displayPath(prefix, n.file), ...add } : null;
    }
    out.push(s);
  }
  return out;
}

/**
 * The line to replace in a dependency file so that it also declares the package: the last
 * requirement of a requirements file (followed by the new line), or the closing `]` of
 * `[project] dependencies` in pyproject.toml (preceded by it). Null for anything else.
 */
export function additionLine(file: string, lines: string[], needs: NonNullable<Finding['fixNeeds']>): { line: number; replacement: string } | null {
  const base = path.posix.basename(file);
  if (needs.section === null && /\.(txt|in)$/.test(base)) {
    let last = lines.length;
    while (last > 0 && lines[last - 1].trim() === '') last--;
    if (last === 0 || /\\$/.test(lines[last - 1])) return null;
    return { line: last, replacement: `${lines[last - 1]}\n${needs.text}` };
  }
  if (base === 'pyproject.toml' && needs.section === '[project] dependencies') {
    let inProject = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (/^\s*\[/.test(l)) inProject = /^\s*\[project\]\s*(#.*)?$/.test(l);
      if (!inProject || !/^\s*dependencies\s*=\s*\[/.test(l)) continue;
      // One line: `dependencies = ["django"]`.
      const one = l.match(/^(\s*dependencies\s*=\s*\[)(.*?)(\]\s*(#.*)?)$/);
      if (one) return { line: i + 1, replacement: `${one[1]}${one[2].trim() ? `${one[2].replace(/,?\s*$/, '')}, ` : ''}${needs.text.replace(/,$/, '')}${one[3]}` };
      for (let j = i + 1; j < lines.length; j++) {
        if (/^\s*\]\s*$/.test(lines[j])) {
          const prev = lines[j - 1];
          const indent = j - 1 > i ? (prev.match(/^\s*/)?.[0] ?? '    ') : '    ';
          if (j - 1 > i && !/,\s*(#.*)?$/.test(prev)) return null;
          return { line: j + 1, replacement: `${indent}${needs.text}\n${lines[j]}` };
        }
        if (/^\s*\[/.test(lines[j]) || /[\]]/.test(lines[j].replace(/#.*$/, '').replace(/"[^"]*"|'[^']*'/g, ''))) return null;
      }
    }
  }
  return null;
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
