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
import { InputError, readInputs } from './action/inputs.js';
import { applyBaseline, readBaseline } from './baseline.js';
import { ConfigError } from './config.js';
import { lint } from './engine.js';
import { reportToGitHub } from './github/report.js';
import { fails } from './options.js';
import { RULES } from './rules/index.js';
import { safeWriteFile, UnsafeWriteError } from './safe-write.js';
import { annotations, workflowCommand } from './report/annotations.js';
import { countsText, plural } from './report/common.js';
import { toJson } from './report/json.js';
import { pathToUri, toSarif } from './report/sarif.js';
import { SUMMARY_LIMIT, toSummary } from './report/summary.js';
import { toText } from './report/text.js';
import { VERSION } from './report/version.js';

export async function run(): Promise<void> {
  // Loaded here, not at the top: only the action needs it (the CLI never loads this module).
  const core = await import('@actions/core');
  const out = (s: string) => process.stdout.write(s);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    // `path` is resolved (links included) and must stay inside the workspace: a pull request
    // that makes it a link to another folder does not move the scan out of its checkout.
    const root = scanRoot(workspace, inputs.path);
    const prefix = toPosix(path.relative(fs.realpathSync(workspace), root));
    const config = inputs.config ? path.resolve(workspace, inputs.config) : null;

    // The configuration and the baseline are read like repository files (bounded, regular files
    // only, never blocking), inside the workspace through no link out of it.
    const linted = await lint(root, { config, configWithin: workspace });
    // `baseline`: findings recorded there are listed apart and not counted (src/baseline.ts).
    const result = inputs.baseline ? applyBaseline(linted, readBaseline(path.resolve(workspace, inputs.baseline), workspace, inputs.baseline)) : linted;
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

    // The JSON report (always) and SARIF (when asked).
    const tmp = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'django-deploy-lint-'));
    // Every write goes through safeWriteFile: inside its folder, through no symbolic link.
    const jsonPath = safeWriteFile(tmp, 'report.json', JSON.stringify(toJson(result, { root: toPosix(inputs.path) }), null, 2) + '\n');
    let sarifPath = '';
    if (inputs.sarifFile) {
      try {
        sarifPath = safeWriteFile(workspace, inputs.sarifFile, JSON.stringify(toSarif(result, RULES, { version: VERSION, prefix }), null, 2) + '\n');
      } catch (err) {
        if (err instanceof UnsafeWriteError) throw new InputError(`Input 'sarif-file': ${err.message}`);
        throw err;
      }
    }

    // The check run, the sticky comment and suggested changes (src/github/): best effort, never
    // changes the exit status; the report they carry is the summary within 60 KB.
    const summaryOptions = { rules: RULES, failOn: inputs.failOn, prefix, version: VERSION, fileUrl: fileUrlMaker() };
    const gh = await reportToGitHub({
      result,
      inputs,
      failing,
      root,
      prefix,
      markdown: toSummary(result, { ...summaryOptions, maxBytes: 60_000 }),
      log: {
        debug: (m) => core.debug(m),
        info: (m) => core.info(m),
        notice: (m) => core.notice(m),
        warning: (m) => core.warning(m),
      },
    });

    // The job summary, within what is left of the step's 1 MiB.
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      const used = fs.existsSync(summaryFile) ? fs.statSync(summaryFile).size : 0;
      let md = toSummary(result, { ...summaryOptions, maxBytes: SUMMARY_LIMIT - used - 16 * 1024 });
      if (gh.checkRun?.url) md = pointAtCheckRun(md, gh.checkRun.url, gh.checkRun.annotations);
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
    if (err instanceof ConfigError) {
      // One annotation per problem, on the configuration file itself.
      const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
      const root = path.resolve(workspace, core.getInput('path') || '.');
      for (const p of err.problems) {
        const file = toPosix(path.relative(workspace, path.resolve(root, p.file)));
        out(workflowCommand('error', { file, line: p.line, col: p.column, title: 'django-deploy-lint configuration' }, p.message) + os.EOL);
      }
      core.setFailed(`django-deploy-lint: the configuration is invalid (${plural(err.problems.length, 'problem')}); nothing was checked.`);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof InputError) && err instanceof Error && err.stack) core.debug(err.stack);
    core.setFailed(err instanceof InputError ? message : `django-deploy-lint could not run: ${message}`);
  }
}

/**
 * When the runner shows fewer annotations than there are, the summary's note says so; add that
 * every finding is an annotation of the check run, with its link.
 */
function pointAtCheckRun(md: string, url: string, count: number): string {
  const line = `> All ${count} findings with a file are annotations of the check run: [django-deploy-lint](${url}).\n`;
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
