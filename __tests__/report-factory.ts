/**
 * Test helpers for the reporters: hand-built Result objects, and a model of how the Actions
 * runner reads workflow commands from a log (actions/runner ActionCommandManager), used to prove
 * that nothing from a repository can issue a command.
 */
import type { ChainStep, Process, ResolvedCommand, ServerInfo, Target } from '../src/model/types.js';
import type { Command } from '../src/core/words.js';
import type { Finding } from '../src/core/finding.js';
import type { Location } from '../src/core/location.js';
import type { Result } from '../src/suppress/result.js';

export function loc(file: string, line: number, column = 1, endColumn = column + 1, endLine = line): Location {
  return { file, line, column, endLine, endColumn };
}

export function command(text: string, at: Location): Command {
  const words = text.split(' ').map((w) => ({ raw: w, parts: [{ kind: 'lit' as const, text: w }], quoted: false, loc: at }));
  return { words, assignments: [], loc: at, text };
}

export function step(file: string, line: number, text: string): ChainStep {
  return { file, line, text, reach: 'direct' };
}

export function resolved(text: string, at: Location, chain: ChainStep[]): ResolvedCommand {
  return { command: command(text, at), args: [], chain, conditional: false, env: {}, cwd: null };
}

export function server(kind: ServerInfo['kind'], app: string | null, text: string, at: Location): ServerInfo {
  return { kind, app, appLoc: null, bind: [], options: {}, command: command(text, at), argStart: 0 };
}

export function process_(name: string, role: Process['role'], servers: { kind: ServerInfo['kind']; app: string | null; text: string; at: Location; chain: ChainStep[] }[]): Process {
  return {
    name,
    role,
    entry: servers[0]?.at ?? loc('Procfile', 1),
    commands: [],
    servers: servers.map((s) => ({ server: server(s.kind, s.app, s.text, s.at), at: resolved(s.text, s.at, s.chain) })),
    finals: [],
    unresolved: [],
  };
}

export function target(over: Partial<Target> & Pick<Target, 'id' | 'kind' | 'file'>): Target {
  return { line: 1, production: true, productionReason: 'a Procfile is run by Heroku, Dokku and Scalingo', processes: [], collectstatic: null, facts: {}, ...over };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'DPL101',
    rule: 'runserver-in-production',
    severity: 'error',
    target: 'procfile:Procfile',
    message: '`python manage.py runserver` is the development server and serves this production target',
    file: 'Procfile',
    line: 1,
    column: 6,
    endLine: 1,
    endColumn: 46,
    via: [],
    fix: 'run gunicorn: `web: gunicorn proj.wsgi --log-file -`',
    ...over,
  };
}

export function result(findings: Finding[], targets: Target[] = []): Result {
  const summary = { errors: 0, warnings: 0, notices: 0 };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.notices++;
  }
  return { version: 1, root: '.', targets, findings, summary, suppressed: 0, stats: { files: 3, read: 2, ms: 1 } };
}

/** The Heroku example: a Procfile whose web process is runserver. */
export function herokuResult(): Result {
  const at = loc('Procfile', 1, 6, 46);
  const t = target({
    id: 'procfile:Procfile',
    kind: 'procfile',
    file: 'Procfile',
    processes: [process_('web', 'web', [{ kind: 'runserver', app: null, text: 'python manage.py runserver 0.0.0.0:$PORT', at, chain: [step('Procfile', 1, 'web: python manage.py runserver 0.0.0.0:$PORT')] }])],
    facts: { platformCollectstatic: { reason: 'Heroku runs collectstatic at build time' } },
  });
  return result([finding()], [t]);
}

// ---------------------------------------------------------------------------------------------
// What the runner would do with a log
// ---------------------------------------------------------------------------------------------

const REGISTERED = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask', 'set-output', 'save-state', 'set-env', 'add-path', 'add-matcher', 'remove-matcher', 'echo', 'stop-commands']);

export interface RunnerCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  line: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** actions/runner ActionCommand.TryParseV2: `::cmd k=v,k=v::data` at the (trimmed) start of a line. */
function parseV2(line: string, registered: Set<string>): RunnerCommand | null {
  const m = line.trimStart();
  if (!m.startsWith('::')) return null;
  const end = m.indexOf('::', 2);
  if (end < 0) return null;
  const info = m.slice(2, end);
  const sp = info.indexOf(' ');
  const name = sp < 0 ? info : info.slice(0, sp);
  if (!registered.has(name.toLowerCase())) return null;
  const properties: Record<string, string> = {};
  if (sp > 0) {
    for (const p of info.slice(sp + 1).trim().split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0 && eq < p.length - 1) properties[p.slice(0, eq)] = unescapeProperty(p.slice(eq + 1));
    }
  }
  return { command: name.toLowerCase(), properties, data: unescapeData(m.slice(end + 2)), line };
}

/** ActionCommand.TryParse (legacy): `##[cmd k=v;]data` ANYWHERE in a line. */
function parseLegacy(line: string, registered: Set<string>): RunnerCommand | null {
  const i = line.indexOf('##[');
  if (i < 0) return null;
  const rb = line.indexOf(']', i);
  if (rb < 0) return null;
  const info = line.slice(i + 3, rb);
  const sp = info.indexOf(' ');
  const name = sp < 0 ? info : info.slice(0, sp);
  if (!registered.has(name.toLowerCase())) return null;
  return { command: name.toLowerCase(), properties: {}, data: line.slice(rb + 1), line };
}

/**
 * The commands the runner would act on in `log` (stdout or stderr), with stop-commands
 * honoured. Lines are split as .NET's ReadLine does (\r\n, \n, \r).
 */
export function runnerCommands(log: string): RunnerCommand[] {
  const registered = new Set(REGISTERED);
  const out: RunnerCommand[] = [];
  let stopToken: string | null = null;
  for (const line of log.split(/\r\n|\n|\r/)) {
    if (!line) continue;
    const cmd = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!cmd) continue;
    if (stopToken !== null) {
      if (cmd.command === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = null;
      }
      continue;
    }
    if (cmd.command === 'stop-commands') {
      stopToken = cmd.data;
      registered.add(cmd.data.toLowerCase());
      continue;
    }
    out.push(cmd);
  }
  return out;
}

/** Hostile strings a repository can put in file names and file contents. */
export const HOSTILE = [
  '::error file=x::pwned',
  'a\n::error::pwned',
  'a\r::set-output name=result::pass',
  '  ::add-mask::secret',
  '\u00a0::warning::nbsp',
  'x ##[error]legacy',
  '##[set-output name=result;]pass',
  ':',
  '::',
  ':::',
  'a:',
  '#',
  'a##',
  '%0A::error::x',
  'line\u2028::error::x',
  '\u0085::error::nel',
  '`|<script>alert(1)</script>|`',
];
