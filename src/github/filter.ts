/**
 * `filter-mode`: only what the pull request changed decides the check (like reviewdog's
 * `filter_mode`). A finding is in the change when its own line or any step of the chain that
 * reaches it is:
 *
 *   added         on a line the pull request adds or changes
 *   diff_context  on a line of the diff's hunks (added or context)
 *   file          in a file the pull request changes
 *   nofilter      every finding (the default)
 *
 * A pull request that edits `entrypoint.sh` thus owns the DPL101 the chain reaches through it.
 * Findings outside the change are listed apart and not counted (like a baseline's), so they
 * neither fail the step nor become annotations or comments.
 */
import type { FilterMode } from '../action/inputs.js';
import type { Finding } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { countFindings, displayPath } from '../report/common.js';
import type { Api, GitHubContext } from './api.js';
import { changedLines, diffLines } from './suggestions.js';

/** The pull request's changed files: lines added, lines in hunks. */
export type ChangeSet = Map<string, { added: Set<number>; context: Set<number> }>;

export async function pullRequestChanges(api: Api, ctx: GitHubContext): Promise<ChangeSet> {
  const files = await api.list<{ filename?: string; patch?: string }>('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner: ctx.owner, repo: ctx.repo, pull_number: ctx.pullNumber });
  const out: ChangeSet = new Map();
  for (const f of files) {
    if (typeof f.filename !== 'string') continue;
    const patch = typeof f.patch === 'string' ? f.patch : '';
    out.set(f.filename, { added: changedLines(patch), context: diffLines(patch) });
  }
  return out;
}

export function inChange(f: Finding, changes: ChangeSet, mode: FilterMode, prefix: string): boolean {
  if (mode === 'nofilter') return true;
  const places = [{ file: f.file, line: f.line }, ...f.via.map((v) => ({ file: v.file, line: v.line }))];
  return places.some((p) => {
    if (!p.file) return false;
    const c = changes.get(displayPath(prefix, p.file));
    if (!c) return false;
    if (mode === 'file') return true;
    return (mode === 'added' ? c.added : c.context).has(p.line);
  });
}

/** The result with the findings outside the change set apart in `outside`, not counted. */
export function filterResult(result: Result, changes: ChangeSet, mode: FilterMode, prefix: string): Result {
  if (mode === 'nofilter') return result;
  const findings: Finding[] = [];
  const outside: Finding[] = [];
  for (const f of result.findings) (inChange(f, changes, mode, prefix) ? findings : outside).push(f);
  return { ...result, findings, summary: countFindings(findings), outside: { mode, findings: outside } };
}
