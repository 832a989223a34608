/**
 * Follow a process from the line the platform reads to the server that really runs (docs/architecture.md, "Chain resolver"):
 * shell lists, `sh -c` strings, `exec`, wrappers, scripts named by path, `exec "$@"`, functions,
 * `source`, variables. Where the chain cannot be followed it says so (Unresolved) instead of
 * guessing. Depth, steps and files are bounded; cycles are reported once.
 */
import * as path from 'node:path';
import { makeCommands } from '../parse/makefile.js';
import { parseShell, parseShellWord } from '../parse/shell.js';
import { commandBase, expandArgs, expandValue, isPython, isShell, type Arg, type Env } from './args.js';
import type { Project } from './project.js';
import { applyServerConfig } from './server-config.js';
import { djangoCommand, finalKind, isWorker, pythonOperand, recognizeServer } from './servers.js';
import { projectClis, pythonModuleCli, type ProjectCli } from './project-cli.js';
import type { ArmTest, Command, ShellBranch, ShellCommand, ShellScript, Word } from '../core/words.js';
import type { ChainStep, Process, Reach, ResolvedCommand, Role } from './types.js';
import type { Location } from '../core/location.js';
import { resolvePosix, type PathMapper, type WrittenFile } from './paths.js';
import { peelWrapper } from './wrappers.js';
import { managerCall, type ManagerCall } from './process-managers.js';
import { taskCall, type TaskCall } from './task-runners.js';
import { parseProcfile } from '../parse/procfile.js';
import { splitShellWords } from '../parse/argv.js';
import { parseSupervisord, supervisordExpand } from './supervisord-config.js';

export const RESOLVE_LIMITS = { depth: 16, steps: 2000 };

/** Process managers whose configuration is not read (yet): the chain stops there with a notice. */
const UNREAD_MANAGERS = new Set(['circusd', 'pm2', 'pm2-runtime']);

export interface Frame {
  env: Env;
  cwd: string | null;
  /** `$1`…: null when unknown (a script run with arguments we cannot see). */
  positional: Arg[] | null;
  chain: ChainStep[];
  depth: number;
  conditional: boolean;
  branch?: { id: string; label: string; unset?: string[] };
  /** Files being followed, for cycle detection. */
  stack: string[];
}

export class ProcessBuilder {
  readonly process: Process;
  private steps = 0;

  constructor(
    private readonly project: Project,
    private readonly paths: PathMapper,
    name: string,
    role: Role,
    entry: Location,
  ) {
    this.process = { name, role, entry, commands: [], servers: [], finals: [], unresolved: [] };
  }

  /** Run a whole shell script (or a shell-form line) in a frame. */
  runScript(script: ShellScript, frame: Frame, final: boolean): void {
    const finals = finalIndexes(script.commands);
    const arms = new Map<ArmInfos, ArmState[]>();
    const envArms = new Map<ArmInfos, EnvArm[]>();
    let ended = false;
    for (let i = 0; i < script.commands.length && !ended; i++) {
      const c = script.commands[i];
      if (c.ctx.condition) continue;
      // `case "$1" in web) …` with `$1` known: only the matching arm runs.
      let sel = c.ctx.branch ? selectArm(c.ctx.branch, frame, arms) : 'maybe';
      // Otherwise the values the target sets decide (`if [ "$DJANGO_ENV" = production ]`): an arm
      // they exclude does not run; one they select runs; one selected because a variable is
      // unset is the default branch, which the deployment may still change. Both are decided
      // on entering the statement: a `shift` inside the arm does not change which arm runs.
      const envSel = c.ctx.branch ? selectArmByEnv(c.ctx.branch, frame, envArms) : null;
      let unset: string[] | undefined;
      if (sel === 'maybe' && envSel) {
        const e = envSel;
        if (e.state === 'dead') sel = 'dead';
        else if (e.state === 'taken' && e.unset.length === 0) sel = 'taken';
        else if (e.state === 'taken') unset = e.unset;
      }
      if (sel === 'dead') continue;
      const conditional = sel === 'taken' ? false : c.ctx.conditional;
      const sub: Frame = {
        ...frame,
        conditional: frame.conditional || conditional,
        ...(c.ctx.branch && sel !== 'taken' ? { branch: { id: `${script.file}#${c.ctx.branch.id}`, label: armLabel(script, c), ...(unset ? { unset } : {}) } } : {}),
      };
      const r = this.runShellCommand(c, script, sub, final && finals.has(i));
      if (r === 'exit' && !conditional) ended = true;
      // A successful `exec` replaces the shell: nothing after it runs.
      if (r === 'exec' && !conditional && !c.ctx.background) ended = true;
      if (r === 'env') {
        frame.env = sub.env;
        frame.cwd = sub.cwd;
        frame.positional = sub.positional;
      }
    }
  }

  /** One command of a script: builtins that change the frame, then everything else. */
  private runShellCommand(c: ShellCommand, script: ShellScript, frame: Frame, final: boolean): 'exec' | 'exit' | 'env' | 'ran' {
    const args0 = expandArgs(c.words, frame.env, frame.positional);
    if (c.words.length === 0 || (Array.isArray(args0) && args0.length === 0)) {
      // Bare assignments (`PORT=8000`, `export X=1`).
      this.assign(c, frame);
      return 'env';
    }
    if (!Array.isArray(args0)) {
      this.unresolved(frame, c, `\`${c.text}\` runs the script's arguments ("$@"), which are not known here`);
      return 'ran';
    }
    const name = args0[0].value;
    switch (name) {
      case 'export':
      case 'declare':
      case 'typeset':
      case 'local':
      case 'readonly':
        this.assign(c, frame);
        return 'env';
      case 'cd':
        frame.cwd = args0[1]?.value != null ? resolvePosix(frame.cwd, args0[1].value) : null;
        return 'env';
      case 'shift': {
        const n = Number(args0[1]?.value ?? '1');
        if (frame.positional) frame.positional = frame.positional.slice(Number.isFinite(n) ? n : 1);
        return 'env';
      }
      case 'set': {
        const dd = args0.findIndex((a) => a.value === '--');
        if (dd >= 0) frame.positional = args0.slice(dd + 1);
        return 'env';
      }
      case 'exit':
        return 'exit';
      case 'source':
      case '.': {
        const target = args0[1]?.value;
        if (target) this.followSource(target, c, frame);
        return 'env';
      }
      case 'exec': {
        if (args0.length === 1) return 'ran'; // `exec >log 2>&1`: redirections only
        const peeled = peelWrapper(args0);
        const rest = peeled?.start !== undefined ? args0.slice(peeled.start) : args0.slice(1);
        const f = this.step(frame, c, 'exec');
        this.runArgs(rest, c, f, final);
        return 'exec';
      }
    }
    if (c.assignments.length > 0) {
      // `VAR=x cmd`: the variables apply to that command only.
      const env = { ...frame.env };
      for (const a of c.assignments) env[a.name] = a.value ? valueOf(a.value, frame) : '';
      const f = this.step({ ...frame, env }, c, 'direct');
      this.runArgs(expandArgsOrNull(c.words, env, frame.positional) ?? args0, c, f, final);
      return 'ran';
    }
    if (script.functions[name ?? ''] && frame.depth < RESOLVE_LIMITS.depth) {
      const f = this.step({ ...frame, positional: args0.slice(1), depth: frame.depth + 1 }, c, 'function');
      this.record(args0, c, f);
      this.runScript({ ...script, commands: script.functions[name!] }, f, final);
      return 'ran';
    }
    this.runArgs(args0, c, this.step(frame, c, 'direct'), final);
    return 'ran';
  }

  /**
   * Run an argv: peel wrappers, recognise a server, follow `sh -c` and scripts. `cmd` is the
   * command the args were written in (for spans); `frame.chain` already ends with its step.
   */
  runArgs(args: Arg[], cmd: Command, frame: Frame, final: boolean): void {
    if (++this.steps > RESOLVE_LIMITS.steps) {
      this.unresolved(frame, cmd, `stopped following: more than ${RESOLVE_LIMITS.steps} steps`);
      return;
    }
    if (args.length === 0) return;
    const first = args[0];
    if (first.value === null) {
      this.record(args, cmd, frame);
      // Any command whose name is only known at run time may be the server.
      this.unresolved(frame, cmd, `the command is chosen at run time (\`${first.text}\`), so the server cannot be known statically`, first.word.loc);
      return;
    }
    const task = taskCall(args);
    if (task && this.followTask(task, args, cmd, frame, final)) return;
    const peeled = peelWrapper(args);
    if (peeled) {
      const env = { ...frame.env, ...peeled.env };
      const cwd = peeled.cwd !== undefined ? (peeled.cwd === null ? null : resolvePosix(frame.cwd, peeled.cwd)) : frame.cwd;
      const f: Frame = { ...frame, env, cwd };
      if (peeled.shell) {
        this.runShellString(peeled.shell, cmd, this.stepText(f, peeled.shell.word.loc, `${peeled.wrapper} … ${peeled.shell.text}`, 'wrapper'), final, null);
      } else if (peeled.start !== undefined) {
        this.runArgs(args.slice(peeled.start), cmd, f, final);
      }
      return;
    }
    // `sh -c "…"`, `bash -ec '…' name args`, `sh script.sh args`
    if (isShell(first.value)) {
      let i = 1;
      let cIdx = -1;
      while (i < args.length && args[i].value?.startsWith('-') && args[i].value !== '-') {
        if (/^-[a-z]*c[a-z]*$/.test(args[i].value!)) cIdx = i;
        if (args[i].value === '-o' || args[i].value === '+o') i++;
        i++;
      }
      if (cIdx >= 0) {
        const str = args[i];
        if (!str) return;
        const positional = args.slice(i + 2);
        this.runShellString(str, cmd, frame, final, positional);
        return;
      }
      if (i < args.length && args[i].value !== null) {
        this.followScript(args[i], args.slice(i + 1), cmd, frame, final);
        return;
      }
      this.record(args, cmd, frame);
      return;
    }
    const cli = this.projectCli(args, frame);
    if (cli) {
      if (!cli.cli.manages) {
        const rc0 = this.record(args, cmd, frame);
        if (final) {
          this.process.finals.push(rc0);
          const shown = truncate(args.map((a) => a.text).join(' '), 60);
          this.unresolved(frame, cmd, `\`${shown}\` runs the project's own command-line tool \`${cli.cli.name}\` (${cli.cli.target}, declared at ${cli.cli.declaredAt}); what it starts is decided in its Python code, which is not followed, so the server cannot be named`, first.word.loc);
        }
        return;
      }
      // It runs Django's management: `<cli> X` means `manage.py X`.
      const head = args[cli.rest - 1];
      args = [{ value: 'django-admin', text: args.slice(0, cli.rest).map((a) => a.text).join(' '), word: head.word }, ...args.slice(cli.rest)];
    }
    const server = recognizeServer(args, cmd);
    const rc = this.record(args, cmd, frame);
    if (server) {
      applyServerConfig(server, { project: this.project, paths: this.paths, cwd: frame.cwd, env: frame.env });
      this.process.servers.push({ server, at: rc });
      return;
    }
    const value = first.value;
    const base = commandBase(value)!;
    if (isPython(value) || djangoCommand(args) || isWorker(args)) {
      if (final) this.process.finals.push(rc);
      return;
    }
    if ((base === 'make' || base === 'gmake') && this.followMake(args, cmd, frame, final)) return;
    const manager = managerCall(args);
    if (manager) {
      this.followManager(manager, rc, cmd, frame, final);
      return;
    }
    if (UNREAD_MANAGERS.has(base)) {
      if (final) {
        this.process.finals.push(rc);
        this.unresolved(frame, cmd, `\`${base}\` starts the programs listed in its own configuration, which is not read, so the server it runs cannot be followed`, first.word.loc);
      }
      return;
    }
    // A script named by path (`./entrypoint.sh`, `/start`, `bin/web`) or found on PATH.
    // A name without a slash is looked up on PATH by the shell, even `entrypoint.sh`; the
    // working directory is only a fallback for such a name.
    const onPath = value.includes('/') ? null : this.paths.onPath(base);
    if (value.includes('/') || (!onPath && /\.(sh|bash)$/.test(value))) {
      this.followScript(first, args.slice(1), cmd, frame, final);
      return;
    }
    if (onPath) {
      this.followFile(onPath, first, args.slice(1), cmd, frame, final);
      return;
    }
    if (this.paths.written) {
      const dirs = (frame.env.PATH ?? '').split(':').filter((d) => d.startsWith('/'));
      for (const d of [...dirs, '/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin']) {
        const w = this.paths.written(`${d}/${base}`, null);
        if (w) {
          this.followWritten(w, first, args.slice(1), cmd, frame, final);
          return;
        }
      }
    }
    if (final) this.process.finals.push(rc);
  }

  /**
   * The project's own command-line tool (src/model/project-cli.ts) at the start of `args`, and
   * the index of its first argument: a console script run by name (not a repository file), or
   * `python -m pkg` for a package of the repository.
   */
  private projectCli(args: Arg[], frame: Frame): { cli: ProjectCli; rest: number } | null {
    const value = args[0].value!;
    if (isPython(value)) {
      const op = pythonOperand(args, 0);
      const v = op >= 0 ? args[op].value : null;
      const mod = v === '-m' ? args[op + 1]?.value : v?.startsWith('-m') ? v.slice(2) : null;
      if (!mod) return null;
      const cli = pythonModuleCli(this.project, mod);
      return cli ? { cli, rest: v === '-m' ? op + 2 : op + 1 } : null;
    }
    const base = commandBase(value)!;
    const cli = projectClis(this.project).get(base);
    if (!cli) return null;
    if (value.includes('/') && this.paths.toRepo(value, frame.cwd)) return null; // a repository script of that name
    return { cli, rest: 1 };
  }

  /**
   * `npm run web`, `just serve`, `poe web`, `pdm run web` (src/model/task-runners.ts): run the
   * task's lines, read from its file, as shell commands. False when no such task is in the
   * repository (the caller goes on: `pdm run gunicorn …` is then a wrapper).
   */
  private followTask(call: TaskCall, args: Arg[], cmd: Command, frame: Frame, final: boolean): boolean {
    const name = call.task.value!;
    let repoPath: string | null = null;
    for (const f of call.file !== null ? [call.file] : call.spec.files) {
      repoPath = this.paths.toRepo(f, frame.cwd);
      if (repoPath) break;
    }
    if (!repoPath) return false;
    const text = this.project.repo.text(repoPath);
    if (text === null) return false;
    const file = repoPath;
    const tasks = this.project.cached(`tasks:${call.spec.names[0]}:${file}`, () => call.spec.read(text));
    const lines = tasks.get(name);
    if (!lines) return false;
    const key = `${file}#${name}`;
    const rc = this.record(args, cmd, frame);
    if (frame.stack.includes(key) || frame.depth >= RESOLVE_LIMITS.depth) {
      this.unresolved(frame, cmd, `stopped following \`${name}\` of ${file}: it runs itself again or nests too deep`, call.task.word.loc);
      return true;
    }
    if (lines.length === 0 && final) {
      this.process.finals.push(rc);
      this.unresolved(frame, cmd, `the task \`${name}\` of ${file} runs no command that could be read`, call.task.word.loc);
      return true;
    }
    const f: Frame = { ...frame, positional: call.rest, depth: frame.depth + 1, stack: [...frame.stack, key] };
    lines.forEach((l, i) => {
      const script = parseShell(l.text, file, { line: l.line, column: l.column });
      if (!l.exact) clampScript(script, { file, line: l.line, column: l.column, endLine: l.line, endColumn: l.column + 1 });
      const sub = this.stepText(f, { file, line: l.line, column: l.column, endLine: l.line, endColumn: l.column }, `${name}: ${truncate(l.text)}`, 'script');
      // npm and yarn pass extra arguments to the script's command line.
      if (call.rest.length > 0 && /^(npm|pnpm|yarn|poe|pdm|rye|hatch)$/.test(call.spec.names[0]) && i === lines.length - 1) {
        const last = script.commands[script.commands.length - 1];
        if (last) last.words.push(...call.rest.map((a) => a.word));
      }
      this.runScript(script, sub, final && i === lines.length - 1);
    });
    return true;
  }

  /**
   * A process manager (src/model/process-managers.ts): read its configuration from the
   * repository and follow every program it starts, each from its own line.
   */
  private followManager(call: ManagerCall, rc: ResolvedCommand, cmd: Command, frame: Frame, final: boolean): void {
    const { spec } = call;
    const at = call.config?.word.loc ?? rc.args[0].word.loc;
    const stop = (why: string) => {
      if (!final) return;
      this.process.finals.push(rc);
      this.unresolved(frame, cmd, why, at);
    };
    if (call.config && call.config.value === null) {
      stop(`\`${call.label}\` reads a configuration chosen at run time (\`${call.config.text}\`), so the programs it starts cannot be followed`);
      return;
    }
    if (frame.depth >= RESOLVE_LIMITS.depth) {
      stop(`stopped following \`${call.label}\`: more than ${RESOLVE_LIMITS.depth} nested steps`);
      return;
    }
    if (spec.format === 'service-dirs') {
      const dirs = call.config ? [resolvePosix(frame.cwd, call.config.value!)] : spec.defaults;
      const runs = this.serviceRuns(dirs);
      if (runs.length === 0) {
        stop(`\`${call.label}\` starts the services of ${dirs.join(', ')}, but no \`run\` script of this repository is copied there, so the server it runs cannot be followed`);
        return;
      }
      for (const r of runs) {
        if (frame.stack.includes(r.file)) continue;
        const text = this.project.repo.text(r.file);
        const script = text === null ? null : this.shellFile(r.file, text);
        if (!script) {
          if (final) this.unresolved(frame, cmd, `${r.file} (service \`${r.name}\`) is not a shell script, so what it runs cannot be followed`, at);
          continue;
        }
        const f = this.stepText(frame, { file: r.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, `${r.inImage} (service ${r.name})`, 'script');
        this.runScript(script, { ...f, positional: [], depth: frame.depth + 1, stack: [...frame.stack, r.file] }, final);
      }
      return;
    }
    const wanted = call.config ? [call.config.value!] : spec.defaults;
    let repoPath: string | null = null;
    let inImage = '';
    for (const c of wanted) {
      repoPath = this.paths.toRepo(c, frame.cwd);
      if (repoPath) {
        inImage = resolvePosix(frame.cwd, c);
        break;
      }
    }
    const named = call.config ? ` (${call.config.text})` : ` (${wanted[0]} by default)`;
    if (!repoPath) {
      stop(`\`${call.label}\` starts the programs listed in its configuration${named}, which is not a file from this repository, so the server it runs cannot be followed`);
      return;
    }
    if (frame.stack.includes(repoPath)) {
      stop(`${repoPath} starts itself again (a cycle); stopped following there`);
      return;
    }
    const text = this.project.repo.text(repoPath);
    if (text === null) {
      stop(`${repoPath} could not be read`);
      return;
    }
    const base: Frame = { ...frame, positional: [], depth: frame.depth + 1, stack: [...frame.stack, repoPath] };
    let count = 0;
    if (spec.format === 'procfile') {
      const parsed = this.project.cached(`procfile:${repoPath}`, () => parseProcfile(text, repoPath!));
      this.project.addParseIssues(repoPath, parsed.issues);
      // honcho and foreman run each line with a shell, in the Procfile's folder.
      const cwd = path.posix.dirname(inImage);
      for (const e of parsed.entries) {
        count++;
        const script = parseShell(e.command, repoPath, { line: e.commandLoc.line, column: e.commandLoc.column });
        const f = this.stepText(base, e.commandLoc, `${e.name}: ${truncate(e.command)}`, 'script');
        this.runScript(script, { ...f, cwd, env: { ...frame.env, PORT: frame.env.PORT ?? null } }, final);
      }
    } else {
      const parsed = this.project.cached(`supervisord:${repoPath}`, () => parseSupervisord(text, repoPath!));
      this.project.addParseIssues(repoPath, parsed.issues);
      for (const prog of parsed.programs) {
        if (!prog.command) continue;
        const split = splitShellWords(supervisordExpand(prog.command.text), repoPath, prog.command.base);
        if (split.words.length === 0) continue;
        count++;
        const env: Env = { ...frame.env };
        for (const e of prog.environment) env[e.name] = e.value.includes('%(') ? null : e.value;
        const cwd = prog.directory ? resolvePosix(frame.cwd, prog.directory) : frame.cwd;
        const text1 = prog.command.text.split('\n')[0];
        const c: Command = { words: split.words, assignments: [], loc: prog.command.loc, text: text1 };
        const f = this.stepText(base, prog.command.loc, `[program:${prog.name}] command=${truncate(text1)}`, 'script');
        const args = expandArgsOrNull(split.words, env, []) ?? split.words.map((w) => ({ value: null, text: w.raw, word: w }));
        this.runArgs(args, c, { ...f, env, cwd, conditional: frame.conditional || !prog.autostart }, final);
      }
    }
    if (count === 0) stop(`${repoPath}, read by \`${call.label}\`, starts no program that could be read`);
  }

  /** `run` scripts of the repository that the image puts in one of `dirs` (`/etc/services.d/web/run`). */
  private serviceRuns(dirs: string[]): { file: string; name: string; inImage: string }[] {
    const out: { file: string; name: string; inImage: string }[] = [];
    for (const file of this.project.repo.named('run')) {
      const parent = path.posix.basename(path.posix.dirname(file));
      if (parent === '.' || parent === '') continue;
      for (const d of dirs) {
        const inImage = `${d.replace(/\/$/, '')}/${parent}/run`;
        if (this.paths.toRepo(inImage, null) === file) {
          out.push({ file, name: parent, inImage });
          break;
        }
      }
    }
    return out;
  }

  /**
   * `make run`, `make -C deploy web PORT=8000`: run the target's recipe (prerequisites first) as
   * a script. False when the Makefile is not in the repository (the caller goes on as before).
   */
  private followMake(args: Arg[], cmd: Command, frame: Frame, final: boolean): boolean {
    let dir: string | null = null;
    let file: string | null = null;
    const targets: string[] = [];
    const vars: Record<string, string> = {};
    for (let i = 1; i < args.length; i++) {
      const v = args[i].value;
      if (v === null) return false; // a target or option chosen at run time
      const opt = /^(-C|--directory|-f|--file|--makefile)(?:=(.*))?$/.exec(v) ?? /^(-C|-f)(.+)$/.exec(v);
      if (opt) {
        const value = opt[2] ?? args[++i]?.value ?? null;
        if (value === null) return false;
        if (opt[1] === '-C' || opt[1] === '--directory') dir = resolvePosix(dir ?? frame.cwd, value);
        else file = value;
      } else if (/^-[jlIWoe]$/.test(v)) i++; // options that take a separate value
      else if (v.startsWith('-')) continue;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) vars[v.slice(0, v.indexOf('='))] = v.slice(v.indexOf('=') + 1);
      else targets.push(v);
    }
    const cwd = dir ?? frame.cwd;
    const candidates = file !== null ? [file] : ['GNUmakefile', 'makefile', 'Makefile'];
    let repoPath: string | null = null;
    for (const c of candidates) {
      repoPath = this.paths.toRepo(c, cwd);
      if (repoPath) break;
    }
    if (!repoPath) return false;
    const key = `${repoPath}#${targets.join(' ')}`;
    const rc = this.record(args, cmd, frame);
    if (frame.stack.includes(key) || frame.depth >= RESOLVE_LIMITS.depth) {
      this.unresolved(frame, cmd, `stopped following \`make ${targets.join(' ')}\` in ${repoPath}: it runs itself again or nests too deep`, args[0].word.loc);
      return true;
    }
    const text = this.project.repo.text(repoPath);
    if (text === null) return false;
    const made = this.project.cached(`make:${key}:${JSON.stringify(vars)}`, () => makeCommands(repoPath!, text, targets, vars));
    const f: Frame = { ...frame, cwd, depth: frame.depth + 1, stack: [...frame.stack, key] };
    const lines = text.split(/\r?\n/);
    made.commands.forEach((mc, i) => {
      const words: Word[] = wordsAt(mc.words, mc.loc, lines);
      const text = mc.words.join(' ');
      const c: Command = { words, assignments: [], loc: mc.loc, text };
      const sub = this.stepText(f, mc.loc, truncate(text), 'script');
      // Leading `VAR=x` words of a recipe command apply to that command.
      let start = 0;
      const env = { ...sub.env };
      while (start < mc.words.length - 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(mc.words[start])) {
        const w = mc.words[start++];
        env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
      }
      // Shell expansions left in a recipe (`$$PORT` in the Makefile) are known only at run time.
      const argv: Arg[] = words.slice(start).map((w) => ({ value: /[$`]/.test(w.raw) ? null : w.raw, text: w.raw, word: w }));
      this.runArgs(argv, c, { ...sub, env }, final && i === made.commands.length - 1);
    });
    if (final && made.commands.length === 0) {
      this.process.finals.push(rc);
      const why = made.unknown[0]?.message ?? `${repoPath} has no recipe for \`make ${targets.join(' ')}\` that could be read`;
      this.unresolved(frame, cmd, why, args[0].word.loc);
    } else if (final && made.unknown.length > 0 && this.process.servers.length === 0) {
      this.unresolved(frame, cmd, made.unknown[0].message, made.unknown[0].loc);
    }
    return true;
  }

  private runShellString(str: Arg, cmd: Command, frame: Frame, final: boolean, positional: Arg[] | null): void {
    const w = str.word;
    if (str.value === null) {
      // `sh -c "… $PORT …"`: the outer shell substitutes the variables before the inner one parses
      // the string. With no escapes, the string as written parses to the same commands, its
      // unknown variables still marked as such.
      const inner = /^"[^\\`]*"$/.test(w.raw) && !w.parts.some((p) => p.kind === 'cmd') ? w.raw.slice(1, -1) : null;
      if (inner === null || /^\s*\$/.test(inner)) {
        this.unresolved(frame, cmd, `\`${str.text}\` is a command string built at run time; it cannot be followed`, w.loc);
        return;
      }
      str = { value: inner, text: inner, word: { ...w, parts: [{ kind: 'lit', text: inner }] } };
    }
    const value = str.value!;
    const quoted = /^["']/.test(w.raw);
    // Positions map back exactly when the string holds no escapes (the usual case); otherwise the
    // shell parser maps them through the quoting.
    const exact = w.raw.length === value.length + (quoted ? 2 : 0) && (!quoted || w.raw.slice(1, -1) === value);
    const script = this.project.cached(`sh-c:${w.loc.file}:${w.loc.line}:${w.loc.column}:${value}`, () => {
      if (exact) return parseShell(value, w.loc.file, { line: w.loc.line, column: w.loc.column + (quoted ? 1 : 0) });
      const s = parseShellWord(w);
      if (s) return s;
      const fallback = parseShell(value, w.loc.file, { line: w.loc.line, column: w.loc.column });
      clampScript(fallback, w.loc);
      return fallback;
    });
    const f = this.step(frame, cmd, 'sh -c', w.loc, `sh -c ${truncate(value)}`);
    const sub: Frame = { ...f, positional: positional ?? frame.positional, depth: frame.depth + 1 };
    this.runScript(script, sub, final);
  }

  private followScript(pathArg: Arg, rest: Arg[], cmd: Command, frame: Frame, final: boolean): void {
    const p = pathArg.value!;
    const repoPath = this.paths.toRepo(p, frame.cwd);
    const written = repoPath ? null : (this.paths.written?.(p, frame.cwd) ?? null);
    if (written) {
      this.followWritten(written, pathArg, rest, cmd, frame, final);
      return;
    }
    if (!repoPath) {
      const rc = this.record([pathArg, ...rest], cmd, frame);
      // A system program named by its path (`/usr/sbin/nginx`, `/bin/sleep`) is what it is, where
      // the process ends; only an unknown program outside the repository is a chain that stops.
      if (final && finalKind([pathArg, ...rest]) !== 'unknown') this.process.finals.push(rc);
      else if (final) {
        this.unresolved(frame, cmd, `\`${p}\` is not a file from this repository (no COPY, mount or checkout path leads to it), so what it runs cannot be followed`, pathArg.word.loc);
      }
      return;
    }
    this.followFile(repoPath, pathArg, rest, cmd, frame, final);
  }

  private followFile(repoPath: string, pathArg: Arg, rest: Arg[], cmd: Command, frame: Frame, final: boolean): void {
    const rc = this.record([pathArg, ...rest], cmd, frame);
    // The same script again with other arguments is no cycle (`start.sh all` → supervisord →
    // `start.sh web`): a cycle is the same file with the same arguments.
    const key = rest.length === 0 ? repoPath : `${repoPath} ${rest.map((a) => a.value ?? '?').join(' ')}`;
    if (frame.stack.includes(key)) {
      this.unresolved(frame, cmd, `${repoPath} runs itself again (a cycle); stopped following there`, pathArg.word.loc);
      return;
    }
    if (frame.depth >= RESOLVE_LIMITS.depth) {
      this.unresolved(frame, cmd, `stopped following at ${repoPath}: more than ${RESOLVE_LIMITS.depth} nested scripts`, pathArg.word.loc);
      return;
    }
    const text = this.project.repo.text(repoPath);
    if (text === null) {
      if (final) this.unresolved(frame, cmd, `${repoPath} could not be read`, pathArg.word.loc);
      return;
    }
    const script = this.shellFile(repoPath, text);
    if (!script) {
      // A Python (or other non-shell) program: never run, so not followed.
      if (final) this.process.finals.push(rc);
      return;
    }
    const f: Frame = {
      ...frame,
      positional: rest,
      depth: frame.depth + 1,
      stack: [...frame.stack, key],
    };
    this.runScript(script, f, final);
  }

  /** A script the build wrote (src/model/targets/image.ts), followed like a repository file. */
  private followWritten(w: WrittenFile, pathArg: Arg, rest: Arg[], cmd: Command, frame: Frame, final: boolean): void {
    this.record([pathArg, ...rest], cmd, frame);
    const key = `${w.file}#${w.path} ${rest.map((a) => a.value ?? '?').join(' ')}`;
    if (frame.stack.includes(key) || frame.depth >= RESOLVE_LIMITS.depth) {
      this.unresolved(frame, cmd, `${w.path} (written by ${w.file}) runs itself again or nests too deep; stopped following there`, pathArg.word.loc);
      return;
    }
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(w.text);
    const interp = m ? (commandBase(m[1].endsWith('/env') ? (m[2] ?? '') : m[1]) ?? '') : 'sh';
    if (!/^(sh|bash|dash|ash|zsh|ksh)$/.test(interp)) {
      if (final) this.unresolved(frame, cmd, `${w.path}, written by ${w.file}:${w.loc.line}, is not a shell script, so what it runs cannot be followed`, pathArg.word.loc);
      return;
    }
    const script = this.project.cached(`written:${w.file}:${w.path}:${w.loc.line}`, () => {
      const sc = parseShell(w.text, w.file, w.base);
      if (!w.exact) clampScript(sc, w.loc);
      return sc;
    });
    const f = this.stepText(frame, w.loc, `${w.path} (written at build time)`, 'script');
    this.runScript(script, { ...f, positional: rest, depth: frame.depth + 1, stack: [...frame.stack, key] }, final);
  }

  private followSource(target: string, c: Command, frame: Frame): void {
    const repoPath = this.paths.toRepo(target, frame.cwd);
    if (!repoPath || frame.stack.includes(repoPath) || frame.depth >= RESOLVE_LIMITS.depth) return;
    const text = this.project.repo.text(repoPath);
    const script = text === null ? null : this.shellFile(repoPath, text);
    if (!script) return;
    const f: Frame = { ...frame, chain: [...frame.chain, stepOf(c, 'script')], depth: frame.depth + 1, stack: [...frame.stack, repoPath] };
    // Only the assignments of a sourced file matter to the caller.
    for (const sc of script.commands) {
      if (sc.words.length === 0 || ['export', 'declare', 'readonly'].includes(sc.words[0]?.raw)) this.assign(sc, f);
    }
    frame.env = f.env;
  }

  /** Parse a repo file as a shell script once per run; null when it is not a shell script. */
  private shellFile(repoPath: string, text: string): ShellScript | null {
    return this.project.cached(`shell:${repoPath}`, () => {
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
      if (m) {
        const interp = commandBase(m[1] === '/usr/bin/env' || m[1].endsWith('/env') ? (m[2] ?? '') : m[1]) ?? '';
        if (!/^(sh|bash|dash|ash|zsh|ksh)$/.test(interp) && !/^with-contenv/.test(interp) && !interp.startsWith('execlineb')) return null;
      } else if (/\.py$/.test(repoPath)) {
        return null;
      }
      // tree-sitter-bash misreads some valid bash (`${@:$n}`); its errors are not reported as
      // DPL001, and what it could read is still followed.
      return parseShell(text, repoPath);
    });
  }

  private assign(c: Command, frame: Frame): void {
    const env = { ...frame.env };
    for (const a of c.assignments) env[a.name] = a.value ? valueOf(a.value, { ...frame, env }) : '';
    frame.env = env;
  }

  private record(args: Arg[], cmd: Command, frame: Frame): ResolvedCommand {
    const command: Command = args.length > 0 ? { ...cmd, words: args.map((a) => a.word), loc: cmd.loc } : cmd;
    const rc: ResolvedCommand = {
      command,
      args,
      chain: frame.chain,
      conditional: frame.conditional,
      ...(frame.branch ? { branch: frame.branch } : {}),
      env: stringEnv(frame.env),
      cwd: frame.cwd,
    };
    this.process.commands.push(rc);
    return rc;
  }

  private unresolved(frame: Frame, cmd: Command, message: string, loc?: Location): void {
    const at = loc ?? cmd.loc;
    if (this.process.unresolved.some((u) => u.message === message && u.loc.line === at.line && u.loc.file === at.file)) return;
    this.process.unresolved.push({ message, loc: at, chain: frame.chain });
  }

  private step(frame: Frame, cmd: Command, reach: Reach, loc?: Location, text?: string): Frame {
    const s: ChainStep = { ...stepOf(cmd, reach), ...(loc ? { line: loc.line, column: loc.column } : {}), ...(text ? { text } : {}) };
    const last = frame.chain[frame.chain.length - 1];
    if (last && last.file === s.file && last.line === s.line && last.text === s.text) return frame;
    return { ...frame, chain: [...frame.chain, s] };
  }

  private stepText(frame: Frame, loc: Location, text: string, reach: Reach): Frame {
    return { ...frame, chain: [...frame.chain, { file: loc.file, line: loc.line, column: loc.column, text, reach }] };
  }
}

/** Words of a Makefile recipe with their own columns where the line shows them as written
 *  (else the recipe line's span: a word made by a make variable). */
function wordsAt(words: string[], loc: Location, lines: string[]): Word[] {
  const line = loc.line === loc.endLine ? (lines[loc.line - 1] ?? '') : '';
  let cursor = loc.column - 1;
  return words.map((w) => {
    let at = w !== '' && line ? line.indexOf(w, cursor) : -1;
    if (at >= 0 && /\S/.test(line.slice(cursor, at).replace(/[\s"'@+-]|&&|\|\||;/g, ''))) at = -1; // something unread in between
    let wl: Location = loc;
    if (at >= 0) {
      wl = { file: loc.file, line: loc.line, column: at + 1, endLine: loc.line, endColumn: at + 1 + w.length };
      cursor = at + w.length;
    } else if (line) {
      // A word the line does not show as such (`$(APP)`, `$$PORT`): the token that made it.
      const m = /\S+/.exec(line.slice(cursor));
      if (m) {
        const start = cursor + m.index;
        wl = { file: loc.file, line: loc.line, column: start + 1, endLine: loc.line, endColumn: start + 1 + m[0].length };
        cursor = start + m[0].length;
      }
    }
    return { raw: w, parts: [{ kind: 'lit', text: w }], quoted: false, loc: wl };
  });
}

type ArmInfos = NonNullable<ShellBranch['arms']>;
type ArmState = 'taken' | 'dead' | 'maybe';

/**
 * Whether a command in an `if`/`case` arm runs, from the values known at that point: `taken`
 * when its arm (and every enclosing arm) is certainly selected and nothing else inside it is
 * conditional, `dead` when one of them certainly is not, `maybe` otherwise.
 */
function selectArm(branch: ShellBranch, frame: Frame, cache: Map<ArmInfos, ArmState[]>): ArmState {
  let result: ArmState = 'taken';
  for (let b: ShellBranch | undefined = branch, n = 0; b && n < RESOLVE_LIMITS.depth; b = b.parent, n++) {
    let states = b.arms ? cache.get(b.arms) : undefined;
    if (b.arms && !states) {
      states = armStates(b.arms, frame);
      cache.set(b.arms, states);
    }
    const st = states?.[b.arm] ?? 'maybe';
    if (st === 'dead') return 'dead';
    if (st === 'maybe' || b.soft) result = 'maybe';
  }
  return result;
}

/** The state of each arm of one statement: arms are tried in order, the first that matches runs. */
function armStates(arms: ArmInfos, frame: Frame): ArmState[] {
  const out: ArmState[] = [];
  let blocked = false; // an earlier arm certainly matches (if it is reached)
  let allFalse = true; // every earlier arm certainly does not match
  for (const a of arms) {
    const r: boolean | null = a.else ? true : a.test ? evalTest(a.test, frame) : null;
    if (blocked || r === false) out.push('dead');
    else if (r === true && allFalse) out.push('taken');
    else out.push('maybe');
    if (r === true) blocked = true;
    if (r !== false) allFalse = false;
  }
  return out;
}

/**
 * True/false when the comparison can be decided statically, null otherwise. Only the arguments
 * the process was started with decide (`case "$1"`, `${1:-web}`): environment values are defaults
 * the deployment can override (`docker run -e`, the platform's settings), and an arm they would
 * skip (`else runserver`) is exactly the fallback DPL101 reports.
 */
function evalTest(t: ArmTest, frame: Frame): boolean | null {
  if (t.all) {
    const r = t.all.map((x) => evalTest({ ...x, all: undefined }, frame));
    return r.every((x) => x === false) ? false : r.every((x) => x === true) ? true : null;
  }
  if (!frame.positional || ![t.subject, ...t.patterns].every(onlyPositional)) return null;
  // Positional parameters past the known ones are empty, not unknown.
  const env: Env = {};
  if (frame.positional) for (let i = frame.positional.length + 1; i <= 9; i++) env[String(i)] = '';
  const subject = expandArgs([t.subject], env, frame.positional);
  if (!Array.isArray(subject) || subject.length !== 1 || subject[0].value === null) return null;
  const value = subject[0].value;
  let unknown = false;
  for (const p of t.patterns) {
    const re = t.glob ? globPattern(p, env, frame.positional) : null;
    let hit: boolean | null;
    if (t.glob) hit = re === null ? null : re.test(value);
    else {
      const e = expandArgs([p], env, frame.positional);
      hit = Array.isArray(e) && e.length === 1 && e[0].value !== null ? e[0].value === value : null;
    }
    if (hit === true) return !t.negate;
    if (hit === null) unknown = true;
  }
  return unknown ? null : t.negate;
}

type EnvArm = { state: ArmState; unset: string[] };

/**
 * Like selectArm, from the environment the target sets (image ENV, compose environment and
 * env_file, Environment=, platform env): a variable the target does not set is unset (empty),
 * a value that is written but not known (`${SECRET}`) leaves the arm undecided. `unset` names
 * the variables whose absence selects a taken arm.
 */
function selectArmByEnv(branch: ShellBranch, frame: Frame, cache: Map<ArmInfos, EnvArm[]>): EnvArm {
  let state: ArmState = 'taken';
  const unset = new Set<string>();
  for (let b: ShellBranch | undefined = branch, n = 0; b && n < RESOLVE_LIMITS.depth; b = b.parent, n++) {
    let states = b.arms ? cache.get(b.arms) : undefined;
    if (b.arms && !states) {
      states = envArmStates(b.arms, frame);
      cache.set(b.arms, states);
    }
    const st = states?.[b.arm] ?? { state: 'maybe' as ArmState, unset: [] };
    if (st.state === 'dead') return { state: 'dead', unset: [] };
    if (st.state === 'maybe' || b.soft) state = 'maybe';
    for (const u of st.unset) unset.add(u);
  }
  return { state, unset: [...unset] };
}

function envArmStates(arms: ArmInfos, frame: Frame): EnvArm[] {
  const out: EnvArm[] = [];
  let blocked = false;
  let allFalse = true;
  const seen: string[] = [];
  for (const a of arms) {
    const r = a.else ? { value: true, unset: [] as string[] } : a.test ? evalTestEnv(a.test, frame) : { value: null, unset: [] };
    seen.push(...r.unset);
    if (blocked || r.value === false) out.push({ state: 'dead', unset: [] });
    else if (r.value === true && allFalse) out.push({ state: 'taken', unset: [...new Set(seen)] });
    else out.push({ state: 'maybe', unset: [] });
    if (r.value === true) blocked = true;
    if (r.value !== false) allFalse = false;
  }
  return out;
}

/** evalTest with the target's environment; unset variables read as empty (or take their `-` default). */
function evalTestEnv(t: ArmTest, frame: Frame): { value: boolean | null; unset: string[] } {
  if (t.all) {
    // Several tests joined by `&&`/`||`: decided only when every test gives the same answer.
    const r = t.all.map((x) => evalTestEnv({ ...x, all: undefined }, frame));
    const same = r.every((x) => x.value === r[0].value) ? r[0].value : null;
    return same === null ? { value: null, unset: [] } : { value: same, unset: [...new Set(r.flatMap((x) => x.unset))] };
  }
  const env: Env = { ...frame.env };
  const unset: string[] = [];
  const visit = (w: Word, depth: number): boolean => {
    if (depth > 8) return false;
    for (const p of w.parts) {
      if (p.kind === 'cmd' || p.kind === 'glob') return p.kind === 'glob';
      if (p.kind !== 'var') continue;
      if (/^[0-9@*#]$/.test(p.name)) {
        if (!frame.positional) return false;
      } else if (!Object.prototype.hasOwnProperty.call(frame.env, p.name)) {
        if (!unset.includes(p.name)) unset.push(p.name);
        if (p.op !== '-' && p.op !== '=' && p.op !== '+') env[p.name] = '';
      } else if (frame.env[p.name] === null) return false;
      if (p.arg && !visit(p.arg, depth + 1)) return false;
    }
    return true;
  };
  if (![t.subject, ...t.patterns].every((w) => visit(w, 0))) return { value: null, unset: [] };
  if (frame.positional) for (let i = frame.positional.length + 1; i <= 9; i++) env[String(i)] = '';
  const subject = expandArgs([t.subject], env, frame.positional);
  if (!Array.isArray(subject) || subject.length !== 1 || subject[0].value === null) return { value: null, unset: [] };
  const value = subject[0].value;
  for (const p of t.patterns) {
    let hit: boolean | null;
    if (t.glob) {
      const re = globPattern(p, env, frame.positional);
      hit = re === null ? null : re.test(value);
    } else {
      const e = expandArgs([p], env, frame.positional);
      hit = Array.isArray(e) && e.length === 1 && e[0].value !== null ? e[0].value === value : null;
    }
    if (hit === null) return { value: null, unset: [] };
    if (hit) return { value: !t.negate, unset };
  }
  return { value: t.negate, unset };
}

/** A word whose expansions are all positional parameters (`$1`, `${1:-web}`, `$#`). */
function onlyPositional(w: Word, depth = 0): boolean {
  if (depth > 8) return false;
  return w.parts.every((p) => p.kind === 'lit' || p.kind === 'glob' || (p.kind === 'var' && /^[0-9@*#]$/.test(p.name) && (!p.arg || onlyPositional(p.arg, depth + 1))));
}

/** A `case` pattern as a regular expression: unquoted `*`, `?`, `[…]` are wildcards. */
function globPattern(w: Word, env: Env, positional: Arg[] | null): RegExp | null {
  if (/\([^)]*\|/.test(w.raw) || /[@!+?*]\(/.test(w.raw) || /\{.*,.*\}/.test(w.raw)) return null; // extglob, braces: not modelled
  const bare = !/["'\\]/.test(w.raw);
  let src = '';
  for (const part of w.parts) {
    let text: string;
    if (part.kind === 'glob' || (part.kind === 'lit' && bare)) {
      // The parser may keep an unquoted pattern like `work*` as literal text: its wildcards count.
      const re = globChars(part.text);
      if (re === null) return null;
      src += re;
      continue;
    }
    if (part.kind === 'lit') text = part.text;
    else {
      const e = expandArgs([{ ...w, parts: [part] }], env, positional);
      if (!Array.isArray(e) || e.length !== 1 || e[0].value === null) return null;
      text = e[0].value;
    }
    src += text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + src + '$', 's');
}

function globChars(text: string): string | null {
  let src = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else if (ch === '[') {
      const end = text.indexOf(']', i + 2);
      if (end < 0) return null;
      const body = text.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      src += '[' + body + ']';
      i = end;
    } else src += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return src;
}

/** `else` alone says little: name the condition it is the else of. */
function armLabel(script: ShellScript, c: ShellCommand): string {
  const br = c.ctx.branch!;
  if (br.label !== 'else') return br.label;
  const first = script.commands.find((x) => x.ctx.branch?.id === br.id && x.ctx.branch.arm === 0);
  return first ? `else of \`${first.ctx.branch!.label}\`` : 'else';
}

/** The indexes of the commands that end a script: its last command, or each arm's last. */
function finalIndexes(commands: ShellCommand[]): Set<number> {
  const out = new Set<number>();
  let last = -1;
  for (let i = commands.length - 1; i >= 0; i--) {
    const c = commands[i];
    if (c.ctx.condition || c.ctx.background) continue;
    if (c.words.length === 0) continue;
    const name = c.words[0].raw;
    // Housekeeping and waiting for background jobs (`server & … wait`) end no process of their own.
    if (['echo', 'printf', 'true', ':', 'wait', 'read', 'trap', 'set', 'sleep', 'exit', 'cd', 'export', 'unset'].includes(name)) continue;
    last = i;
    break;
  }
  if (last < 0) return out;
  out.add(last);
  const br = commands[last].ctx.branch;
  if (br) {
    const lastOfArm = new Map<number, number>();
    commands.forEach((c, i) => {
      if (c.ctx.branch?.id === br.id && !c.ctx.condition && c.words.length > 0) lastOfArm.set(c.ctx.branch.arm, i);
    });
    for (const i of lastOfArm.values()) out.add(i);
  }
  // Every `exec` ends its arm of the script.
  commands.forEach((c, i) => {
    if (c.words[0]?.raw === 'exec' && c.words.length > 1) out.add(i);
  });
  return out;
}

function stepOf(cmd: Command, reach: Reach): ChainStep {
  return { file: cmd.loc.file, line: cmd.loc.line, column: cmd.loc.column, text: truncate(cmd.text), reach };
}

export function truncate(s: string, n = 120): string {
  // Line continuations, then runs of white space, become one space (two linear passes: a
  // pattern with `\s*` on both sides of the continuation backtracks quadratically on long runs).
  const one = s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function valueOf(w: Word, frame: Frame): string | null {
  return expandValue(w, frame.env, frame.positional).value;
}

function expandArgsOrNull(words: Word[], env: Env, positional: Arg[] | null): Arg[] | null {
  const r = expandArgs(words, env, positional);
  return Array.isArray(r) ? r : null;
}

function stringEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== null && !/^\d+$|^#$/.test(k)) out[k] = v;
  return out;
}

/** When positions could not be mapped exactly, keep every span inside the word. */
export function clampScript(script: ShellScript, within: Location): void {
  const fix = (l: Location) => {
    l.line = within.line;
    l.column = within.column;
    l.endLine = within.endLine;
    l.endColumn = within.endColumn;
  };
  for (const c of [...script.commands, ...Object.values(script.functions).flat()]) {
    fix(c.loc);
    for (const w of c.words) fix(w.loc);
    for (const a of c.assignments) fix(a.loc);
  }
}

