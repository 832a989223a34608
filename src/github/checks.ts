/**
 * The check run: the findings as check-run annotations, the most severe first, at most
 * MAX_CHECK_ANNOTATIONS (the Checks API takes at most 50 per request, so the first 50 go with
 * the creation and the rest in updates of 50), the job summary's Markdown as its output text,
 * and a conclusion from `fail-on`.
 */
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { annotationMessage } from '../report/annotations.js';
import { clip } from '../report/escape.js';
import { randomBytes } from 'node:crypto';
import { bySeverity, countsText, displayPath } from '../report/common.js';
import { GitHubError, type Api, type GitHubContext } from './api.js';

/** The Checks API limit of annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** The Checks API limit of output.summary and output.text, in characters. */
export const OUTPUT_LIMIT = 65535;
/**
 * Annotations sent at most (20 requests): beyond, the most severe are sent and the check run's
 * summary says how many were left out and where they are.
 */
export const MAX_CHECK_ANNOTATIONS = 1000;

const LEVEL: Record<Severity, 'failure' | 'warning' | 'notice'> = { error: 'failure', warning: 'warning', notice: 'notice' };

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
}

/** A finding as a check-run annotation, or null when it has no file inside the repository. */
export function checkAnnotation(f: Finding, prefix: string): CheckAnnotation | null {
  if (!f.file) return null;
  const path = displayPath(prefix, f.file);
  if (path.startsWith('../') || path.startsWith('/')) return null;
  const start = f.line >= 1 ? f.line : 1;
  const end = f.endLine >= start ? f.endLine : start;
  const a: CheckAnnotation = {
    path,
    start_line: start,
    end_line: end,
    annotation_level: LEVEL[f.severity],
    message: clip(annotationMessage(f, prefix), 60_000, 'utf16'),
    title: clip(`${f.ruleId} ${f.rule}`, 250, 'utf16'),
  };
  // Columns only on a one-line span (the API rejects them otherwise).
  if (end === start && f.line >= 1 && f.column >= 1) {
    a.start_column = f.column;
    a.end_column = f.endColumn > f.column ? f.endColumn : f.column;
  }
  return a;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

/** failure when the step fails (fail-on); neutral when there are findings below it; else success. */
export function conclusionOf(result: Result, failing: boolean): Conclusion {
  if (failing) return 'failure';
  return result.findings.length > 0 ? 'neutral' : 'success';
}

export interface CheckRunOptions {
  name: string;
  prefix: string;
  failing: boolean;
  /** The job summary (Markdown), used as output.text (clipped to the API's limit). */
  text: string;
  /** Instead of the counts (a run that could not check anything). */
  title?: string;
  summary?: string;
}

export interface CheckRunResult {
  id: number;
  url: string | null;
  annotations: number;
  /** Findings with a file that were not sent (over MAX_CHECK_ANNOTATIONS). */
  omitted: number;
  requests: number;
}

/**
 * Create the check run once, even when the API fails in a way that leaves it unclear whether
 * it was created (a 5xx or no answer to the POST): each attempt carries an `external_id` of
 * its own, and before trying again the check runs of the commit with our name are looked up
 * by it.
 */
async function createOnce(api: Api, ctx: GitHubContext, body: Record<string, unknown>, name: string): Promise<{ id: number; html_url?: string }> {
  const externalId = `django-deploy-lint-${randomBytes(8).toString('hex')}`;
  let last: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const created = await api.request<{ id: number; html_url?: string }>('POST /repos/{owner}/{repo}/check-runs', { owner: ctx.owner, repo: ctx.repo, ...body, external_id: externalId });
      return created.data;
    } catch (err) {
      if (!(err instanceof GitHubError) || !err.maybeDone) throw err;
      last = err;
    }
    const runs = await api.request<{ check_runs?: { id: number; html_url?: string; external_id?: string | null }[] }>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      owner: ctx.owner,
      repo: ctx.repo,
      ref: ctx.headSha,
      check_name: name,
      filter: 'all',
      per_page: 100,
    });
    const found = (runs.data.check_runs ?? []).find((r) => r.external_id === externalId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
  throw last;
}

export async function createCheckRun(api: Api, ctx: GitHubContext, result: Result, options: CheckRunOptions): Promise<CheckRunResult> {
  // The most severe first: when there are more than MAX_CHECK_ANNOTATIONS, those are sent.
  const annotated = bySeverity(result.findings).map((f) => checkAnnotation(f, options.prefix)).filter((a): a is CheckAnnotation => a !== null);
  const all = annotated.slice(0, MAX_CHECK_ANNOTATIONS);
  const omitted = annotated.length - all.length;
  const title = options.title ?? countsText(result.summary);
  const unannotated = result.findings.length - annotated.length;
  const summary = clip(
    options.summary ??
    `django-deploy-lint found ${countsText(result.summary)}.` +
      (all.length > 0 ? ` ${all.length} annotation${all.length === 1 ? '' : 's'} on the files' lines.` : '') +
      (omitted > 0
        ? ` ${omitted} more finding${omitted === 1 ? ' is' : 's are'} not sent as annotations (at most ${MAX_CHECK_ANNOTATIONS}, the most severe first): every finding is in the step's log, the JSON report (output \`json\`) and the SARIF file when one is written.`
        : '') +
      (unannotated > 0 ? ` ${unannotated} finding${unannotated === 1 ? '' : 's'} without a file in the repository (see below).` : ''),
    OUTPUT_LIMIT,
    'utf16', // GitHub counts its check-run limits in UTF-16 code units
  );
  const text = clipText(options.text, OUTPUT_LIMIT);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < all.length; i += ANNOTATIONS_PER_REQUEST) batches.push(all.slice(i, i + ANNOTATIONS_PER_REQUEST));

  const created = await createOnce(
    api,
    ctx,
    {
      name: options.name,
      head_sha: ctx.headSha,
      status: 'completed',
      conclusion: conclusionOf(result, options.failing),
      output: { title, summary, text, annotations: batches[0] ?? [] },
    },
    options.name,
  );
  const id = created.id;
  let requests = 1;
  for (const batch of batches.slice(1)) {
    // Annotations of an update are added to the ones already there.
    await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: ctx.owner,
      repo: ctx.repo,
      check_run_id: id,
      output: { title, summary, text, annotations: batch },
    });
    requests++;
  }
  const url = typeof created.html_url === 'string' && /^https?:\/\/[^\s()<>]+$/.test(created.html_url) ? created.html_url : null;
  return { id, url, annotations: all.length, omitted, requests };
}

/** Clip Markdown to `max` characters with a closing line that says so. */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  const note = '\n\n**… clipped**: the rest is in the job summary, the log and the JSON report.\n';
  const cut = s.lastIndexOf('\n', max - note.length);
  return s.slice(0, cut > 0 ? cut : max - note.length) + note;
}

