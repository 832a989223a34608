/**
 * Which settings module a target runs with, read once per run (memoised on the Project).
 *
 * The module comes from, most specific first: `--settings` on the command, a
 * `DJANGO_SETTINGS_MODULE=` on the command line (`gunicorn --env ...`), the command's
 * environment, the target's environment, else the defaults written in wsgi.py / asgi.py /
 * manage.py. Precision first: when the module is chosen at run time (a variable), cannot be
 * found, or a file it needs cannot be read, the answer is null and rules say nothing.
 */
import type { Location } from '../core/location.js';
import type { ResolvedCommand, ServerInfo, Target } from '../model/types.js';
import type { Project } from '../model/project.js';
import { candidateSettingsFiles, findSettingsModules } from '../settings/discover.js';
import { readSettings, type SettingsFacts, type SettingValue } from '../settings/read.js';
import { isModuleName } from '../settings/wsgi.js';
import { FactKey, fact } from './fact.js';

const SETTINGS_FACTS = new FactKey<SettingsFacts | null>('what a settings file sets (per file)');
const SETTINGS_FOR = new FactKey<SettingsChoice[] | null>('the settings module(s) a command runs with (per target and command)');
const CANDIDATES = new FactKey<string[]>('files that look like settings modules');

export interface SettingsChoice {
  module: string;
  file: string;
  facts: SettingsFacts;
  /** How the module was chosen, for messages: `DJANGO_SETTINGS_MODULE at Dockerfile:4`, `the default in manage.py:6`. */
  how: string;
  /** Named by the target (environment or `--settings`) rather than a default of an entry module. */
  explicit: boolean;
}

const ENV_NAME = 'DJANGO_SETTINGS_MODULE';

/** Read one settings file (memoised). Null when the Python grammar is not loaded or reading fails. */
export function settingsFacts(project: Project, file: string): SettingsFacts | null {
  return fact(project, SETTINGS_FACTS, () => {
    try {
      return readSettings(project.repo, file);
    } catch {
      return null;
    }
  }, file);
}

/** `--settings=x` / `--settings x` among a command's words (static values only; `undefined` when absent). */
function settingsOption(words: { raw: string; loc: Location }[]): { value: string; loc: Location } | null | undefined {
  for (let i = 0; i < words.length; i++) {
    const raw = unquote(words[i].raw);
    if (raw === '--settings') {
      const next = words[i + 1];
      return next ? { value: unquote(next.raw), loc: next.loc } : null;
    }
    if (raw.startsWith('--settings=')) return { value: raw.slice('--settings='.length), loc: words[i].loc };
  }
  return undefined;
}

/** `DJANGO_SETTINGS_MODULE=x` written as a word (`gunicorn --env DJANGO_SETTINGS_MODULE=x`, `env X=y cmd`). */
function envWord(words: { raw: string; loc: Location }[]): { value: string; loc: Location } | undefined {
  for (const w of words) {
    const raw = unquote(w.raw);
    if (raw.startsWith(`${ENV_NAME}=`)) return { value: raw.slice(ENV_NAME.length + 1), loc: w.loc };
  }
  return undefined;
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

function where(loc: Location): string {
  return `${loc.file}:${loc.line}`;
}

/**
 * The explicit module a command runs with: `{ module, how }`, `null` when it is chosen at run
 * time or otherwise unknown, `undefined` when nothing names one (defaults apply).
 */
function explicitModule(t: Target, cmd: ResolvedCommand | null, server: ServerInfo | null): { module: string; loc: Location | null; how: string } | null | undefined {
  const words = server ? server.command.words : (cmd?.command.words ?? []);
  const opt = server?.options.settings ? { value: server.options.settings.value, loc: server.options.settings.loc } : settingsOption(words);
  if (opt === null) return null;
  if (opt) return isModuleName(opt.value) ? { module: opt.value, loc: opt.loc, how: `--settings at ${where(opt.loc)}` } : null;
  const word = envWord(words);
  if (word) return isModuleName(word.value) ? { module: word.value, loc: word.loc, how: `${ENV_NAME} at ${where(word.loc)}` } : null;
  const envLoc = t.facts.envLocs?.[ENV_NAME];
  const targetValue = t.facts.env?.[ENV_NAME];
  const cmdValue = cmd?.env[ENV_NAME];
  if (cmdValue !== undefined && cmdValue !== targetValue) {
    // Set along the way (a script's `export`, `VAR=x cmd`).
    const step = cmd!.chain[cmd!.chain.length - 1];
    const how = `${ENV_NAME} in the environment of ${step ? `${step.file}:${step.line}` : t.file}`;
    return isModuleName(cmdValue) ? { module: cmdValue, loc: null, how } : null;
  }
  if (envLoc && cmd && t.processes.some((p) => p.role === 'build' && p.commands.includes(cmd))) {
    // A build step (Dockerfile RUN) sees only the ENV lines of its Dockerfile written above it;
    // a compose `environment:` or a later ENV applies at run time only.
    const at = cmd.command.loc;
    if (envLoc.file !== at.file || envLoc.line > at.line) return null;
  }
  if (targetValue !== undefined) {
    return isModuleName(targetValue) ? { module: targetValue, loc: envLoc ?? null, how: `${ENV_NAME} at ${envLoc ? where(envLoc) : t.file}` } : null;
  }
  // Written for the target but not statically known (`${SETTINGS}`, an env_file value).
  if (envLoc) return null;
  return undefined;
}

/**
 * The settings module(s) a command of target `t` runs with. One choice when the target names
 * the module; otherwise every distinct default of the repository's entry modules (they must all
 * agree for a rule to report). Null when any of them cannot be read completely. `manageFirst`
 * puts manage.py's default first (what management commands such as collectstatic read).
 * `partial` also accepts settings read only in part (an import not followed): for a rule whose
 * facts say themselves whether they are complete (the MIDDLEWARE list, the URLconf).
 */
export function settingsFor(project: Project, t: Target, cmd: ResolvedCommand | null, server: ServerInfo | null, manageFirst = false, partial = false): SettingsChoice[] | null {
  const key = `${t.id}|${manageFirst}|${partial}|${cmd ? where(cmd.command.loc) + ':' + cmd.command.loc.column : '-'}|${server ? where(server.command.loc) + ':' + server.command.loc.column : '-'}`;
  return fact(project, SETTINGS_FOR, () => {
    try {
      return choose(project, t, cmd, server, manageFirst, partial);
    } catch {
      return null;
    }
  }, key);
}

function choose(project: Project, t: Target, cmd: ResolvedCommand | null, server: ServerInfo | null, manageFirst: boolean, partial: boolean): SettingsChoice[] | null {
  const repo = project.repo;
  const explicit = explicitModule(t, cmd, server);
  if (explicit === null) return null;
  // `settings:` in the configuration names the production settings when the target does not.
  if (!explicit && project.config.settings.length > 0) {
    const out: SettingsChoice[] = [];
    for (const file of project.config.settings) {
      const facts = repo.has(file) ? settingsFacts(project, file) : null;
      if (!facts || (!facts.complete && !partial)) return null;
      out.push({ module: file.replace(/\.py$/, '').replace(/\/__init__$/, '').replace(/\//g, '.'), file, facts, how: `\`settings:\` in ${project.config.file}`, explicit: true });
    }
    return out;
  }
  // Management commands read manage.py's default; servers read wsgi.py's.
  const entries = manageFirst ? [...repo.named('manage.py')].sort((a, b) => a.split('/').length - b.split('/').length) : [];
  const refs = findSettingsModules(repo, explicit ? { module: explicit.module, moduleLoc: explicit.loc, entries } : { entries });
  const picked = explicit ? refs.slice(0, 1) : refs;
  if (picked.length === 0) return null;
  const out: SettingsChoice[] = [];
  for (const ref of picked) {
    if (!ref.file) return null;
    const facts = settingsFacts(project, ref.file);
    if (!facts || (!facts.complete && !partial)) return null;
    const how = explicit ? explicit.how : ref.source ? `the default in ${where(ref.source)}` : 'a default';
    if (out.some((c) => c.file === ref.file)) continue;
    out.push({ module: ref.module, file: ref.file, facts, how, explicit: !!explicit });
  }
  return out;
}

/**
 * Settings-like files of the repository (settings.py, settings/*.py, *_settings.py) that none of
 * the chosen modules reads: another module a deploy may select instead (Heroku config vars, an
 * env_file). Used by rules to stay quiet when such a file sets what is missing.
 */
export function otherSettingsFiles(project: Project, choices: SettingsChoice[]): string[] {
  const read = new Set(choices.flatMap((c) => c.facts.chain));
  return fact(project, CANDIDATES, () => candidateSettingsFiles(project.repo)).filter((f) => !read.has(f));
}

/** Short description of a choice for messages: `` `proj.settings` (proj/settings.py, the default in manage.py:6) ``. */
export function describeChoice(c: SettingsChoice): string {
  return `settings module \`${c.module}\` (${c.file}, ${c.how})`;
}

/** A value that leaves STATIC_ROOT unset: `None` or an empty string, written unconditionally. */
function emptyValue(v: SettingValue): boolean {
  return v.kind === 'literal' && (v.literal === null || v.literal === '');
}

/** STATIC_ROOT is (or may be) set: any assignment, env read or helper whose value is not `None`/`""`. */
export function staticRootSet(f: SettingsFacts): boolean {
  const v = f.staticRoot;
  if (!v) return false;
  if (!emptyValue(v)) return true;
  // `STATIC_ROOT = None` inside an `if`: an earlier value may still be in effect.
  return (v.alternatives ?? []).some((a) => !emptyValue(a));
}
