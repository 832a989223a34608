/**
 * The GitHub Action adapter: typed inputs → lint → reporters → outputs, summary, status.
 * Thin on purpose: everything it prints is formatted by src/report/*.
 *
 * `run()` is what `src/index.ts` (the bundle's entry) and `npx @github/local-action` call. It
 * never throws: any failure ends as `core.setFailed` with a one-line message (the stack goes to
 * the debug log only).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, readInputs, type ActionInputs } from './action/inputs.js';
import { applyBaseline, readBaseline } from './baseline.js';
import { ConfigError } from './config.js';
import { lint } from './engine.js';
import { normalizePath } from './github/comment.js';
import { filterResult } from './github/filter.js';
import { readChanges, reportToGitHub } from './github/report.js';
import { MAX_REVIEW_COMMENTS, type ReviewOutcome } from './github/review.js';
import { fails } from './core/options.js';
import { RULES } from './rules/index.js';
import { safeWriteFile, UnsafeWriteError } from './core/safe-write.js';
import { annotations, workflowCommand } from './report/annotations.js';
import { countsText, plural } from './report/common.js';
import { toJson } from './report/json.js';
import { pathToUri, SARIF_RESULT_LIMIT, sarifDropped, toSarif } from './report/sarif.js';
import { mdMessage, SUMMARY_LIMIT, toSummary } from './report/summary.js';
import { escapeMarkdown } from './report/escape.js';
import type { Result } from './suppress/result.js';
import { toText } from './report/text.js';
import { VERSION } from './report/version.js';

export async function run(): Promise<void> {
  // Loaded here, not at the top: only the action needs it (the CLI never loads this module).
  const core = await import('@actions/core');
  const out = (s: string) => process.stdout.write(s);
  let inputs: ActionInputs | null = null;
  try {
    inputs = readInputs((name) => core.getInput(name));
    const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    // `path` is resolved (links included) and must stay inside the workspace: a pull request
    // that makes it a link to another folder does not move the scan out of its checkout.
    const root = scanRoot(workspace, inputs.path);
    // Paths in every report are relative to the checked repository's top level (which differs
    // from the workspace with actions/checkout's `path:`), as GitHub shows them.
    const top = repositoryTop(fs.realpathSync(workspace), root, inputs.checkoutPath);
    const prefix = toPosix(path.relative(top, root));
    const config = inputs.config ? path.resolve(workspace, inputs.config) : null;

    // The configuration and the baseline are read like repository files (bounded, regular files
    // only, never blocking), inside the workspace through no link out of it.
    const linted = await lint(root, { config, configWithin: workspace });
    // `baseline`: findings recorded there are listed apart and not counted (src/baseline.ts).
    const baselined = inputs.baseline ? applyBaseline(linted, readBaseline(path.resolve(workspace, inputs.baseline), workspace, inputs.baseline)) : linted;
    // `filter-mode`: only the findings on what the pull request changed count (src/github/filter.ts).
    const changes = inputs.filterMode === 'nofilter' ? null : await readChanges(inputs, githubLog(core));
    const result = changes ? filterResult(baselined, changes, inputs.filterMode, prefix) : baselined;
    const failing = fails(result.summary, inputs.failOn);

    // Annotations: our own formatter (the same as the CLI's --format github).
    for (const line of annotations(result, { prefix })) out(line + os.EOL);

    // The readable report, in a group; workflow commands are stopped around it as a second
    // line of defence (every repo-derived string in it is already escaped).
    const token = randomBytes(16).toString('hex');
    core.startGroup(`django-deploy-lint: ${countsText(result.summary)} in ${plural(result.targets.length, 'target')}`);
    out(`::stop-commands::${token}${os.EOL}`);
    out(toText(result, { prefix, failOn: inputs.failOn }));
    out(`::${token}::${os.EOL}`);
    core.endGroup();

    // The JSON report (always) and SARIF (when asked), the same as the CLI's. Every write goes
    // through safeWriteFile: inside its folder, through no symbolic link.
    const jsonPath = writeJsonReport(toJson(result, { root: toPosix(inputs.path) }));
    const sarifDroppedCount = sarifDropped(result);
    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = writeSarif(workspace, inputs.sarifFile, JSON.stringify(toSarif(result, RULES, { version: VERSION, prefix, category: sarifCategory(inputs) }), null, 2) + '\n');
    }

    // The check run, the sticky comment and suggested changes (src/github/): best effort, never
    // changes the exit status; the report they carry is the summary within 60 KB.
    const wantCheck = inputs.checkRun === 'true' || (inputs.checkRun === 'auto' && inputs.token !== '');
    const summaryOptions = { rules: RULES, failOn: inputs.failOn, prefix, version: VERSION, fileUrl: fileUrlMaker() };
    const gh = await reportToGitHub({
      result,
      inputs,
      failing,
      root,
      prefix,
      changes,
      markdown: toSummary(result, {
        ...summaryOptions,
        maxBytes: 60_000,
        limitNote: 'this report is limited to 60 KB (GitHub takes at most 65,536 characters in a comment or a check run\'s text)',
        restNote: `The rest are ${wantCheck ? "annotations of the check run (up to 1,000, the most severe first), " : ''}in the job summary, the step's log and the JSON report (output \`json\`)${inputs.sarifFile ? ' and the SARIF file' : ''}.`,
      }),
      log: githubLog(core),
    });

    // The job summary, within what is left of the step's 1 MiB.
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      const used = fs.existsSync(summaryFile) ? fs.statSync(summaryFile).size : 0;
      let md = toSummary(result, {
        ...summaryOptions,
        maxBytes: SUMMARY_LIMIT - used - 16 * 1024,
        limitNote: 'the job summary is limited to 1 MiB per step',
        restNote: `All findings are in the step's log and the JSON report (output \`json\`)${inputs.sarifFile ? ', and in the SARIF file' : ''}${gh.checkRun ? '; the most severe are annotations of the check run' : ''}.`,
      });
      if (gh.checkRun?.url) md = pointAtCheckRun(md, gh.checkRun.url, gh.checkRun.annotations, gh.checkRun.omitted);
      md += notes(gh.skipped, sarifDroppedCount, gh.review);
      await core.summary.addRaw(md).write();
    } else {
      core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.');
    }

    core.setOutput('errors', result.summary.errors);
    core.setOutput('warnings', result.summary.warnings);
    core.setOutput('notices', result.summary.notices);
    core.setOutput('targets', result.targets.length);
    core.setOutput('result', failing ? 'fail' : 'pass');
    core.setOutput('json', jsonPath);
    core.setOutput('sarif', sarifPath);

    if (failing) core.setFailed(`django-deploy-lint: ${countsText(result.summary)} (fail-on: ${inputs.failOn}).`);
  } catch (err) {
    let message: string;
    const details: string[] = [];
    if (err instanceof ConfigError) {
      // One annotation per problem, on the configuration file itself.
      const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
      const root = path.resolve(workspace, core.getInput('path') || '.');
      let top = workspace;
      try {
        top = repositoryTop(workspace, root, inputs?.checkoutPath ?? null);
      } catch {
        // An invalid checkout-path: the workspace.
      }
      for (const p of err.problems) {
        const file = toPosix(path.relative(top, path.resolve(root, p.file)));
        out(workflowCommand('error', { file, line: p.line, col: p.column, title: 'django-deploy-lint configuration' }, p.message) + os.EOL);
        details.push(`${file}:${p.line}:${p.column}: ${p.message}`);
      }
      message = `django-deploy-lint: the configuration is invalid (${plural(err.problems.length, 'problem')}); nothing was checked.`;
    } else {
      const m = err instanceof Error ? err.message : String(err);
      if (!(err instanceof InputError) && err instanceof Error && err.stack) core.debug(err.stack);
      message = err instanceof InputError ? m : `django-deploy-lint could not run: ${m}`;
    }
    await reportFailure(core, inputs, message, details);
    core.setFailed(message);
  }
}

/**
 * A run that could not check anything (an invalid input or configuration, an error) still
 * leaves what a workflow relies on: a job summary saying what is wrong, the outputs
 * (`result: fail`), a failed check run (so a required check reports), and, when `sarif-file`
 * is set, a valid SARIF file with no results (so an `upload-sarif` step with `if: always()`
 * finds it). Best effort: a failure here is a debug line.
 */
async function reportFailure(core: Core, inputs: ActionInputs | null, message: string, details: string[]): Promise<void> {
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const raw = (name: string) => {
    try {
      return core.getInput(name).trim();
    } catch {
      return '';
    }
  };
  const empty: Result = { version: 1, root: '.', targets: [], findings: [], summary: { errors: 0, warnings: 0, notices: 0 }, suppressed: 0, stats: { files: 0, read: 0, ms: 0 } };
  const safe = async (what: string, fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      core.debug(`could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const text =
    `## ❌ django-deploy-lint could not run\n\n${escapeMarkdown(message, 2000)}\n\n` +
    (details.length > 0 ? details.map((d) => `- ${mdMessage(d)}`).join('\n') + '\n\n' : '') +
    'Nothing was checked: fix the input or the configuration file and run again.\n';
  let sarifPath = '';
  const sarifFile = inputs?.sarifFile ?? raw('sarif-file');
  if (sarifFile) {
    await safe('write the SARIF file', () => {
      const sarif = toSarif(empty, RULES, { version: VERSION }) as { runs: Record<string, unknown>[] };
      sarif.runs[0].invocations = [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: message } }] }];
      sarifPath = writeSarif(workspace, sarifFile, JSON.stringify(sarif, null, 2) + '\n');
    });
  }
  let jsonPath = '';
  await safe('write the JSON report', () => (jsonPath = writeJsonReport({ ...toJson(empty, { root: toPosix(inputs?.path ?? (raw('path') || '.')) }), error: message })));
  const fallback: ActionInputs = {
    path: raw('path') || '.',
    config: null,
    failOn: 'error',
    sarifFile: null,
    baseline: null,
    checkRun: (['auto', 'true', 'false'].includes(raw('check-run')) ? raw('check-run') : 'auto') as ActionInputs['checkRun'],
    comment: 'off',
    token: raw('token'),
    checkoutPath: null,
    commentKey: null,
    commentOnClear: 'edit',
    sarifCategory: null,
    filterMode: 'nofilter',
    reporter: 'comment',
  };
  const use = inputs ?? fallback;
  let skipped: string[] = [];
  await safe('create the check run', async () => {
    const gh = await reportToGitHub({
      result: empty,
      inputs: { ...use, checkRun: use.checkRun === 'false' ? 'false' : 'true' },
      failing: true,
      root: workspace,
      prefix: '',
      markdown: text,
      error: { title: 'django-deploy-lint could not run', text },
      log: githubLog(core),
    });
    skipped = gh.skipped;
  });
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await safe('write the job summary', () => core.summary.addRaw(text + notes(skipped, 0)).write());
  core.setOutput('errors', 0);
  core.setOutput('warnings', 0);
  core.setOutput('notices', 0);
  core.setOutput('targets', 0);
  core.setOutput('result', 'fail');
  core.setOutput('json', jsonPath);
  core.setOutput('sarif', sarifPath);
}

type Core = typeof import('@actions/core');

function githubLog(core: Core) {
  return {
    debug: (m: string) => core.debug(m),
    info: (m: string) => core.info(m),
    notice: (m: string) => core.notice(m),
    warning: (m: string) => core.warning(m),
  };
}

/** The SARIF file at `file` inside the workspace (see src/safe-write.ts); returns its path. */
function writeSarif(workspace: string, file: string, text: string): string {
  try {
    return safeWriteFile(workspace, file, text);
  } catch (err) {
    if (err instanceof UnsafeWriteError) throw new InputError(`Input 'sarif-file': ${err.message}`);
    throw err;
  }
}

/** The JSON report in a new folder under RUNNER_TEMP; returns its path. */
function writeJsonReport(report: object): string {
  const tmp = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'django-deploy-lint-'));
  return safeWriteFile(tmp, 'report.json', JSON.stringify(report, null, 2) + '\n');
}

/** The SARIF category: the input, or the scanned path (so a matrix over paths needs none). */
function sarifCategory(inputs: ActionInputs): string {
  if (inputs.sarifCategory) return inputs.sarifCategory;
  const p = normalizePath(inputs.path);
  return p === '.' ? 'django-deploy-lint' : `django-deploy-lint/${p}`;
}

/** What the job summary adds at its end: the review, what was not posted, and the SARIF cap. */
function notes(skipped: string[], sarifOmitted: number, review: ReviewOutcome | null = null): string {
  const lines: string[] = [];
  if (review && review.findings > 0) {
    let line = `> Pull request review: ${plural(review.inline, 'finding')} on lines this pull request changed ${review.inline === 1 ? 'is an inline comment' : 'are inline comments'} (${review.posted} posted now, ${review.existing} by an earlier run)`;
    if (review.omitted > 0) line += `; at most ${MAX_REVIEW_COMMENTS} are posted per run, the most severe first: ${plural(review.omitted, 'finding')} over that cap ${review.omitted === 1 ? 'is' : 'are'} listed here only`;
    if (review.outside > 0) line += `; ${plural(review.outside, 'finding')} not on a changed line ${review.outside === 1 ? 'is' : 'are'} listed here (and in the sticky comment when \`comment\` is on)`;
    lines.push(line + '.');
  }
  for (const s of skipped) lines.push(`> Not posted: ${s}.`);
  if (sarifOmitted > 0) {
    lines.push(`> The SARIF file holds the ${SARIF_RESULT_LIMIT.toLocaleString('en-US')} most severe results (code scanning accepts no more per run); ${plural(sarifOmitted, 'result')} left out are in the JSON report.`);
  }
  return lines.length > 0 ? `\n> [!NOTE]\n${lines.join('\n>\n')}\n` : '';
}

/**
 * The top level of the checked repository: the input `checkout-path` (relative to the
 * workspace) when given, else the nearest folder holding `.git` from `root` up to the workspace,
 * else the workspace.
 */
function repositoryTop(workspace: string, root: string, checkoutPath: string | null): string {
  if (checkoutPath) {
    const top = path.resolve(workspace, checkoutPath);
    if (!isDirectory(top)) throw new InputError(`Input 'checkout-path' is not a directory: ${checkoutPath}`);
    const rel = path.relative(top, root);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new InputError(`Input 'path' (${root}) is not inside 'checkout-path' (${checkoutPath}).`);
    return top;
  }
  const within = path.relative(workspace, root);
  if (within.startsWith('..') || path.isAbsolute(within)) return workspace;
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (dir === workspace || path.dirname(dir) === dir) return workspace;
  }
}

/**
 * When the runner shows fewer annotations than there are, the summary's note says so; add that
 * every finding is an annotation of the check run, with its link.
 */
function pointAtCheckRun(md: string, url: string, count: number, omitted: number): string {
  const line =
    omitted > 0
      ? `> The ${count} most severe findings with a file are annotations of the check run: [django-deploy-lint](${url}) (at most ${count}; ${plural(omitted, 'more finding')} are in the log and the JSON report).\n`
      : `> All ${count} findings with a file are annotations of the check run: [django-deploy-lint](${url}).\n`;
  return md.replace(/> \[!NOTE\]\n> GitHub shows at most [^\n]*\n/, (note) => note + line);
}

/** The real path of the `path` input: a folder inside the workspace, links resolved. */
function scanRoot(workspace: string, input: string): string {
  let real: string;
  let realWorkspace: string;
  try {
    realWorkspace = fs.realpathSync(workspace);
    real = fs.realpathSync(path.resolve(workspace, input));
  } catch {
    throw new InputError(`Input 'path' is not a directory: ${input}`);
  }
  const rel = path.relative(realWorkspace, real);
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new InputError(`Input 'path' leads outside the workspace (through a symbolic link, or by its own value): ${input}; refused.`);
  }
  if (!fs.statSync(real).isDirectory()) throw new InputError(`Input 'path' is not a directory: ${input}`);
  return real;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Links from the summary to the files on GitHub, at the commit that was checked out. */
function fileUrlMaker(): ((file: string, line?: number) => string | null) | undefined {
  const server = process.env.GITHUB_SERVER_URL;
  const repo = process.env.GITHUB_REPOSITORY;
  let sha = process.env.GITHUB_SHA;
  try {
    // On a pull request, GITHUB_SHA is the merge commit; the head commit is what people read.
    const eventPath = process.env.GITHUB_EVENT_PATH;
    if (eventPath) {
      const event = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as { pull_request?: { head?: { sha?: unknown } } };
      const head = event.pull_request?.head?.sha;
      if (typeof head === 'string') sha = head;
    }
  } catch {
    // No readable event payload: keep GITHUB_SHA.
  }
  if (!server || !repo || !sha) return undefined;
  if (!/^https?:\/\/[A-Za-z0-9.:-]+$/.test(server) || !/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/.test(repo) || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
    return undefined;
  }
  return (file, line) => {
    if (file.startsWith('../') || file.startsWith('/')) return null;
    return `${server}/${repo}/blob/${sha}/${pathToUri(file)}${line ? `#L${line}` : ''}`;
  };
}
