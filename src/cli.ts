/**
 * The command-line adapter (`django-deploy-lint`, `node dist/cli.js`):
 *
 *   django-deploy-lint [PATH] [--format text|json|sarif|github] [--config FILE]
 *                      [--fail-on error|warning|notice|never] [--rule ID=LEVEL]...
 *                      [--baseline FILE] [--write-baseline FILE]
 *   django-deploy-lint --list-rules | --explain ID | --version | --help
 *
 * `--explain` prints the rule's page from docs/rules, embedded at build time as
 * src/rules/pages.ts (scripts/rule-pages.mjs), so the single-file bundle needs no docs folder.
 *
 * Exit status: 0 pass, 1 findings at or above --fail-on, 2 usage or internal error.
 * Never loads @actions/core. Colour only on a TTY, and never when NO_COLOR is set.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyBaseline, BaselineError, readBaseline, serializeBaseline, toBaseline } from './baseline.js';
import { ConfigError } from './config.js';
import { compareFindings, DeadlineError, lint } from './engine.js';
import type { Result } from './model/types.js';
import { RULE_PAGES } from './rules/pages.js';
import { fails, type FailOn, type RuleLevel } from './options.js';
import { RULES } from './rules/index.js';
import { annotations } from './report/annotations.js';
import { escapeLog, jsonForLog } from './report/escape.js';
import { toJson } from './report/json.js';
import { toSarif } from './report/sarif.js';
import { toText } from './report/text.js';
import { VERSION } from './report/version.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

const USAGE = `Usage: django-deploy-lint [PATH] [options]

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
      --list-rules      list the rules: id, default severity, name and what each reports
      --explain ID      print the page of a rule (DPL101, or its name runserver-in-production)
  -V, --version         print the version
  -h, --help            print this help

Exit status: 0 no findings at or above --fail-on, 1 there are, 2 usage or internal error.
`;

class UsageError extends Error {}

interface Io {
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
  if (values['list-rules']) {
    io.stdout(listRules());
    return 0;
  }
  if (values.explain !== undefined) {
    io.stdout(explain(values.explain));
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
  for (const r of values.rule ?? []) {
    const m = /^(DPL\d{3})=(off|notice|warning|error)$/i.exec(r);
    if (!m || !RULES.some((x) => x.id === m[1].toUpperCase())) throw new UsageError(`--rule takes ID=LEVEL with a known rule id and off, notice, warning or error; got '${r}'`);
    rules[m[1].toUpperCase()] = m[2].toLowerCase() as RuleLevel;
  }

  let result: Result = await lint(root, { config, rules });
  if (values['write-baseline'] !== undefined) {
    // Every current finding is recorded (also those an older --baseline set apart).
    const file = path.resolve(io.cwd, values['write-baseline']);
    const baseline = toBaseline([...result.findings, ...(result.baselined ?? [])].sort(compareFindings));
    try {
      fs.writeFileSync(file, serializeBaseline(baseline));
    } catch (err) {
      throw new UsageError(`cannot write the baseline ${values['write-baseline']}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    io.stderr(`django-deploy-lint: wrote ${baseline.findings.length} finding${baseline.findings.length === 1 ? '' : 's'} to ${escapeLog(values['write-baseline'])}\n`);
    result = applyBaseline(result, baseline);
  } else if (values.baseline !== undefined) {
    result = applyBaseline(result, readBaseline(path.resolve(io.cwd, values.baseline)));
  }

  switch (format) {
    case 'text':
      io.stdout(toText(result, { prefix, color: useColor(io), failOn }));
      break;
    case 'json': {
      const report: object = toJson(result, { root: arg.split(path.sep).join('/') });
      // With a baseline, the findings it set apart follow in the same shape (not counted in `summary`).
      const extra = result.baselined ? { baselined: toJson({ ...result, findings: result.baselined }).findings } : {};
      io.stdout(jsonForLog({ ...report, ...extra }) + '\n');
      break;
    }
    case 'sarif':
      io.stdout(jsonForLog(sarifWithBaseline(result, inside ? prefix : '')) + '\n');
      break;
    case 'github':
      for (const line of annotations(result, { prefix })) io.stdout(line + '\n');
      break;
  }
  return fails(result.summary, failOn) ? 1 : 0;
}

function listRules(): string {
  const width = Math.max(...RULES.map((r) => r.name.length));
  return RULES.map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.name.padEnd(width)}  ${r.summary}`).join('\n') + '\n';
}

/** The rule page for an id (any case) or a rule name. */
function explain(query: string): string {
  const q = query.trim();
  const rule = RULES.find((r) => r.id === q.toUpperCase() || r.name === q.toLowerCase());
  const page = rule ? RULE_PAGES[rule.id] : undefined;
  if (!rule || !page) throw new UsageError(`--explain takes a rule id or name (see --list-rules); got '${query}'`);
  return page.endsWith('\n') ? page : page + '\n';
}

/**
 * SARIF of the new findings and, with a baseline, of the baselined ones too, each result with
 * its `baselineState` (`new` / `unchanged`), in the engine's order so that the partial
 * fingerprints are the ones a run without a baseline gives.
 */
function sarifWithBaseline(result: Result, prefix: string): object {
  if (!result.baselined) return toSarif(result, RULES, { version: VERSION, prefix });
  const old = new Set(result.baselined);
  const all = [...result.findings, ...result.baselined].sort(compareFindings);
  const sarif = toSarif({ ...result, findings: all }, RULES, { version: VERSION, prefix }) as { runs: { results: Record<string, unknown>[] }[] };
  sarif.runs[0].results.forEach((r, i) => (r.baselineState = old.has(all[i]) ? 'unchanged' : 'new'));
  return sarif;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// `django-deploy-lint . | head`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const io: Io = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      // Positions are relative to the scanned root; the message says which file.
      io.stderr(`django-deploy-lint: invalid configuration:\n${err.problems.map((p) => `  ${escapeLog(`${p.file}:${p.line}:${p.column}: ${p.message}`)}`).join('\n')}\n`);
    } else if (err instanceof UsageError || err instanceof BaselineError) {
      io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\nTry 'django-deploy-lint --help'.\n`);
    } else if (err instanceof DeadlineError) {
      io.stderr(`django-deploy-lint: ${escapeLog(err.message)}\n`);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      io.stderr(`django-deploy-lint: internal error: ${escapeLog(message)}\n`);
      if (process.env.DJANGO_DEPLOY_LINT_DEBUG && err instanceof Error && err.stack) io.stderr(`${escapeLog(err.stack)}\n`);
    }
    process.exitCode = 2;
  },
);
