/**
 * The command-line adapter (`django-deploy-lint`, `node dist/cli.js`):
 *
 *   django-deploy-lint [PATH] [--format text|json|sarif|github] [--config FILE]
 *                      [--fail-on error|warning|notice|never] [--rule ID=LEVEL]...
 *                      [--baseline FILE] [--write-baseline FILE] [--fix] [--unsafe-fixes] [--timing]
 *   django-deploy-lint --list-rules | --explain ID | --version | --help
 *
 * `--explain` prints the rule's page from docs/rules, embedded at build time as
 * src/rules/pages.ts (scripts/rule-pages.mjs), so that the bundle needs no docs folder.
 *
 * Start-up: this module imports only what reading the arguments needs. The engine, the rules and
 * the reporters are imported once the arguments ask for them (`loadRun`, src/entry-cli-run.ts),
 * so that `--help` and `--version` never compile them; the rule pages likewise, by `--explain`
 * alone. src/entry-cli.ts runs `cli()` on the process.
 *
 * Exit status: 0 pass, 1 findings at or above --fail-on, 2 usage or internal error.
 * Never loads @actions/core. Colour only on a TTY, and never when NO_COLOR is set.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Result } from './suppress/result.js';
import { fails, type FailOn, type RuleLevel } from './core/options.js';
import { escapeLog } from './report/escape.js';
import { VERSION } from './report/version.js';

/**
 * The modules of everything but --help and --version. In dist/ a bundle of its own,
 * dist/entry-cli-run.js (scripts/build.mjs), imported as is (`webpackIgnore`), not a chunk of
 * this one: see src/entry-cli-run.ts.
 */
const loadRun = () => import(/* webpackIgnore: true */ './entry-cli-run.js');
type Run = Awaited<ReturnType<typeof loadRun>>;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

export const USAGE = `Usage: django-deploy-lint [PATH] [options]

Finds how a Django app is started in production (Procfile, Dockerfile, compose, systemd,
platform manifests and the scripts they call) and checks the server and the static files. Reads files only: nothing
from the repository is run.

Arguments:
  PATH                  the repository to check (default: .)

Options:
  -f, --format FORMAT   text (default), json, sarif or github (workflow annotations)
  -c, --config FILE     configuration file (default: .django-deploy-lint.yml in PATH)
      --fail-on LEVEL   error (default), warning, notice or never
      --rule ID=LEVEL   set a rule to off, notice, warning or error (repeatable; beats the config)
      --baseline FILE   findings recorded in FILE are listed apart and do not count toward --fail-on
      --write-baseline FILE
                        record the current findings in FILE (then every one of them is baselined)
      --fix             apply the safe fixes to the files, print what changed, then lint again
                        (the report and the exit status are those of the run after the fixes)
      --unsafe-fixes    with --fix (implied), also apply the unsafe fixes: they change what runs
                        (gunicorn in place of runserver); review the diff
      --timing          after the run, print to stderr where the time went: start-up, each stage
                        of the engine, each rule, the report (milliseconds)
      --list-rules      list the rules: id, default severity, name and what each reports
      --explain ID      print the page of a rule (DPL101, or its name runserver-in-production)
  -V, --version         print the version
  -h, --help            print this help

Exit status: 0 no findings at or above --fail-on, 1 there are, 2 usage or internal error.
`;

class UsageError extends Error {}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function useColor(io: Io): boolean {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (noColor) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return io.isTTY && io.env.TERM !== 'dumb';
}

/** The run's modules, once loaded (the error handler tells their errors apart with them). */
let run: Run | undefined;

async function main(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        config: { type: 'string', short: 'c' },
        'fail-on': { type: 'string' },
        rule: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        timing: { type: 'boolean' },
        fix: { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        explain: { type: 'string' },
        version: { type: 'boolean', short: 'V' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const r = (run ??= await loadRun());
  if (values['list-rules']) {
    io.stdout(listRules(r));
    return 0;
  }
  if (values.explain !== undefined) {
    io.stdout(await explain(r, values.explain));
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected at most one PATH, got ${positionals.length}`);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
  const failOn = (values['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}; got '${values['fail-on']}'`);

  const arg = positionals[0] ?? '.';
  const root = path.resolve(io.cwd, arg);
  if (!isDirectory(root)) throw new UsageError(`not a directory: ${arg}`);
  let config: string | null = null;
  if (values.config !== undefined) {
    config = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(config)) throw new UsageError(`no such config file: ${values.config}`);
  }

  // Paths are shown relative to the current directory when the root is inside it.
  const rel = path.relative(io.cwd, root);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  const prefix = inside ? rel.split(path.sep).join('/') : root.split(path.sep).join('/');

  const rules: Record<string, RuleLevel> = {};
  for (const x of values.rule ?? []) {
    const m = /^(DPL\d{3})=(off|notice|warning|error)$/i.exec(x);
    if (!m || !r.RULES.some((rule) => rule.id === m[1].toUpperCase())) throw new UsageError(`--rule takes ID=LEVEL with a known rule id and off, notice, warning or error; got '${x}'`);
    rules[m[1].toUpperCase()] = m[2].toLowerCase() as RuleLevel;
  }

  // --timing: the engine's stages and rules, between what came before (start-up: node, the
  // modules, the arguments) and after (the report). performance.now() counts from the start of
  // the process.
  const timings = values.timing ? new Map<string, number>([['start-up', performance.now()]]) : undefined;
  let result: Result = await r.lint(root, { config, rules, timings });
  const unsafe = values['unsafe-fixes'] === true;
  if (values.fix || unsafe) {
    // Fixes are applied before a baseline sets findings apart: the files are what they are.
    const outcome = await r.fixLoop(root, result, unsafe, () => r.lint(root, { config, rules }));
    result = outcome.result;
    io.stderr(fixReport(outcome, prefix, unsafe ? 0 : r.applicableFixes(result.findings, true).length));
  }
  const reported = performance.now();
  if (values['write-baseline'] !== undefined) {
    // Every current finding is recorded (also those an older --baseline set apart).
    // Written inside the current directory, through no symbolic link (src/safe-write.ts): the
    // checkout may be someone else's.
    const baseline = r.toBaseline([...result.findings, ...(result.baselined ?? [])].sort(r.compareFindings));
    try {
      r.safeWriteFile(io.cwd, values['write-baseline'], r.serializeBaseline(baseline));
    } catch (err) {
      throw new UsageError(`cannot write the baseline ${values['write-baseline']}: ${err instanceof r.UnsafeWriteError ? err.message : ((err as NodeJS.ErrnoException).code ?? String(err))}`);
    }
    io.stderr(`django-deploy-lint: wrote ${baseline.findings.length} finding${baseline.findings.length === 1 ? '' : 's'} to ${escapeLog(values['write-baseline'])}\n`);
    result = r.applyBaseline(result, baseline);
  } else if (values.baseline !== undefined) {
    result = r.applyBaseline(result, r.readBaseline(path.resolve(io.cwd, values.baseline), null, values.baseline));
  }

  switch (format) {
    case 'text':
      io.stdout(r.toText(result, { prefix, color: useColor(io), failOn }));
      break;
    case 'json': {
      io.stdout(r.jsonForLog(r.toJson(result, { root: arg.split(path.sep).join('/') })) + '\n');
      break;
    }
    case 'sarif':
      io.stdout(r.jsonForLog(r.toSarif(result, r.RULES, { version: VERSION, prefix: inside ? prefix : '' })) + '\n');
      break;
    case 'github':
      for (const line of r.annotations(result, { prefix })) io.stdout(line + '\n');
      break;
  }
  if (timings) {
    const done = performance.now();
    timings.set('report', done - reported);
    io.stderr(timingTable(timings, done));
  }
  return fails(result.summary, failOn) ? 1 : 0;
}

/** What --fix did, for stderr: one line per fix applied (file:line, title, rule), then the totals. */
export function fixReport(
  outcome: { applied: { file: string; line: number; files: string[]; ruleId: string; title: string; safety: string }[]; refused: { file: string; why: string }[] },
  prefix: string,
  hiddenUnsafe: number,
): string {
  const shown = (file: string) => escapeLog(prefix ? `${prefix}/${file}` : file);
  const lines = outcome.applied.map((a) => `fixed ${shown(a.file)}:${a.line}: ${escapeLog(a.title)} [${a.ruleId}${a.safety === 'unsafe' ? ', unsafe' : ''}]`);
  for (const r of outcome.refused) lines.push(`not fixed ${shown(r.file)}: ${escapeLog(r.why)}`);
  const n = outcome.applied.length;
  const files = new Set(outcome.applied.flatMap((a) => a.files)).size;
  lines.push(n === 0 ? 'no fix applied' : `${n} fix${n === 1 ? '' : 'es'} applied in ${files} file${files === 1 ? '' : 's'}; the report below is of the files after them`);
  if (hiddenUnsafe > 0) lines.push(`${hiddenUnsafe} more fix${hiddenUnsafe === 1 ? ' is' : 'es are'} available with --unsafe-fixes (they change what runs: review them)`);
  return lines.map((l) => `django-deploy-lint: ${l}\n`).join('');
}

/**
 * The --timing table: one row per entry in the order recorded, its milliseconds and share of the
 * total, then the total (the process's time until the report was written). Like ESLint's TIMING=1.
 */
export function timingTable(timings: ReadonlyMap<string, number>, total: number): string {
  const rows: [string, string, string][] = [...timings].map(([name, ms]) => [name, ms.toFixed(1), total > 0 ? `${((100 * ms) / total).toFixed(1)}%` : '']);
  rows.push(['total', total.toFixed(1), '100.0%']);
  const head: [string, string, string] = ['Stage / rule', 'Time (ms)', 'Relative'];
  const w = [0, 1, 2].map((i) => Math.max(head[i].length, ...rows.map((row) => row[i].length)));
  const line = (row: [string, string, string]) => `${row[0].padEnd(w[0])} | ${row[1].padStart(w[1])} | ${row[2].padStart(w[2])}`;
  const rule = `${'-'.repeat(w[0] + 1)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 1)}`;
  return [line(head), rule, ...rows.map(line)].join('\n') + '\n';
}

function listRules(r: Run): string {
  const width = Math.max(...r.RULES.map((rule) => rule.name.length));
  return r.RULES.map((rule) => `${rule.id}  ${rule.severity.padEnd(7)}  ${rule.name.padEnd(width)}  ${rule.summary}`).join('\n') + '\n';
}

/** The rule page for an id (any case) or a rule name. */
async function explain(r: Run, query: string): Promise<string> {
  const q = query.trim();
  const rule = r.RULES.find((x) => x.id === q.toUpperCase() || x.name === q.toLowerCase());
  const { RULE_PAGES } = await import('./rules/pages.js');
  const page = rule ? RULE_PAGES[rule.id] : undefined;
  if (!rule || !page) throw new UsageError(`--explain takes a rule id or name (see --list-rules); got '${query}'`);
  return page.endsWith('\n') ? page : page + '\n';
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Runs the command with `argv` (without node and the script) on `io`; resolves to the exit
 * status, having written any error to `io.stderr`. Never rejects.
 */
export async function cli(argv: string[], io: Io): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    if (run && err instanceof run.ConfigError) {
      // Positions are relative to the scanned root; the message says which file.
      io.stderr(`django-deploy-lint: invalid configuration:\n${err.problems.map((p) => `  ${escapeLog(`${p.file}:${p.line}:${p.column}: ${p.message}`)}`).join('\n')}\n`);
    } else if (err instanceof UsageError || (run && err instanceof run.BaselineError)) {
      io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\nTry 'django-deploy-lint --help'.\n`);
    } else if (run && err instanceof run.DeadlineError) {
      io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\n`);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      io.stderr(`django-deploy-lint: internal error: ${escapeLog(message)}\n`);
      if (io.env.DJANGO_DEPLOY_LINT_DEBUG && err instanceof Error && err.stack) io.stderr(`${escapeLog(err.stack)}\n`);
    }
    return 2;
  }
}
