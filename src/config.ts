/**
 * Configuration (docs/architecture.md, "Configuration and suppressions"): `.django-deploy-lint.yml` (or `.yaml`, or `.github/django-deploy-lint.yml`)
 * in the scanned root, or a file given with `--config` / the `config` input.
 *
 *   exclude: [glob, …]                  files never read as deployment files
 *   rules: { DPL105: off | notice | warning | error }
 *   targets: { production: [glob, …], development: [glob, …] }
 *   settings: [path, …]                 the settings module(s) production uses
 *
 * Unknown keys, unknown rule ids and wrong types are errors with the key's position: the run
 * stops with a clear message instead of silently ignoring them.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parseYamlBounded, textLineCounter } from './parse/yaml-bounded.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { readNamedFile, type Repo } from './discover/repo.js';
import type { RuleLevel } from './core/options.js';

export const CONFIG_FILES = ['.django-deploy-lint.yml', '.django-deploy-lint.yaml', '.github/django-deploy-lint.yml', '.github/django-deploy-lint.yaml'];

export interface Config {
  /** The file it came from (relative to the root when inside it), or null for defaults. */
  file: string | null;
  exclude: string[];
  rules: Record<string, RuleLevel>;
  production: string[];
  development: string[];
  settings: string[];
}

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A configuration that cannot be used; the message lists every problem as `file:line:col: …`. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export const EMPTY_CONFIG: Config = { file: null, exclude: [], rules: {}, production: [], development: [], settings: [] };

const LEVELS = new Set(['off', 'notice', 'warning', 'error']);

/**
 * Find and read the configuration. `explicit` is a path given by the user (absolute, or relative
 * to the root); it may lie outside the scanned root, since the user chose it, not the repository,
 * but inside `within` when that is given (the action's workspace).
 */
export function loadConfig(repo: Repo, explicit: string | null | undefined, ruleIds: ReadonlySet<string>, within: string | null = null): Config {
  let file: string | null = null;
  let text: string | null = null;
  if (explicit) {
    // Read as a repository file is (bounded, a regular file only), inside `within` when given.
    const abs = path.resolve(repo.root, explicit);
    const r = readNamedFile(abs, within);
    if (!r.ok) throw new ConfigError([{ file: explicit, line: 1, column: 1, message: `cannot read the configuration file: ${r.message}` }]);
    text = r.text;
    const rel = path.relative(repo.root, abs);
    file = rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  } else {
    file = CONFIG_FILES.find((f) => repo.has(f)) ?? null;
    if (file === null) return EMPTY_CONFIG;
    const r = repo.read(file);
    if (!r.ok) throw new ConfigError([{ file, line: 1, column: 1, message: r.message }]);
    text = r.text;
  }
  return parseConfig(text, file, ruleIds);
}

export function parseConfig(text: string, file: string, ruleIds: ReadonlySet<string>): Config {
  const lc = new LineCounter();
  const doc = parseYamlBounded(text, { prettyErrors: false, uniqueKeys: true }, true)[0] ?? parseDocument('');
  textLineCounter(text, lc);
  const problems: ConfigProblem[] = [];
  const at = (node: Node | Pair | null | undefined, message: string) => {
    const range = node && 'range' in node && node.range ? node.range : node && 'key' in node && (node.key as Node | null)?.range ? (node.key as Node).range : null;
    const pos = lc.linePos(range ? range[0] : 0);
    problems.push({ file, line: pos.line, column: pos.col, message });
  };
  for (const e of doc.errors) {
    const pos = lc.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
  }
  const config: Config = { ...EMPTY_CONFIG, file, rules: {} };
  const root = doc.contents;
  if (problems.length === 0 && root !== null && !isMap(root)) at(root as Node, 'the configuration must be a mapping of keys (exclude, rules, targets, settings)');
  const strings = (node: unknown, key: string): string[] => {
    if (!isSeq(node)) {
      at(node as Node, `\`${key}\` must be a list of strings`);
      return [];
    }
    const out: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') out.push(item.value);
      else at(item as Node, `\`${key}\` must hold non-empty strings`);
    }
    return out;
  };
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      switch (key) {
        case 'exclude':
          config.exclude = strings(pair.value, 'exclude');
          break;
        case 'settings':
          config.settings = strings(pair.value, 'settings');
          break;
        case 'rules':
          if (!isMap(pair.value)) {
            at((pair.value as Node) ?? pair, '`rules` must map rule ids to off, notice, warning or error');
            break;
          }
          for (const r of pair.value.items) {
            const id = isScalar(r.key) ? String(r.key.value).toUpperCase() : '';
            const level = isScalar(r.value) ? String(r.value.value) : '';
            if (!ruleIds.has(id)) at(r.key as Node, `unknown rule \`${isScalar(r.key) ? String(r.key.value) : '?'}\` (rules are DPL001, DPL101, …; see docs/rules/README.md)`);
            else if (!LEVELS.has(level)) at((r.value as Node) ?? r, `\`${id}\` must be off, notice, warning or error (not \`${level}\`)`);
            else config.rules[id] = level as RuleLevel;
          }
          break;
        case 'targets':
          if (!isMap(pair.value)) {
            at((pair.value as Node) ?? pair, '`targets` must be a mapping with `production` and/or `development`');
            break;
          }
          for (const t of pair.value.items) {
            const k = isScalar(t.key) ? String(t.key.value) : '';
            if (k === 'production') config.production = strings(t.value, 'targets.production');
            else if (k === 'development') config.development = strings(t.value, 'targets.development');
            else at(t.key as Node, `unknown key \`targets.${k}\` (expected production or development)`);
          }
          break;
        default:
          at(pair.key as Node, `unknown key \`${key ?? '?'}\` (expected exclude, rules, targets or settings)`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A matcher for repo-relative paths (`/` separators, dot files included). */
export function globMatcher(globs: string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const m = picomatch(globs, { dot: true });
  // `compose/local` matches everything below it, as .gitignore-style users expect.
  return (file) => m(file) || globs.some((g) => !/[*?[{]/.test(g) && (file === g.replace(/\/$/, '') || file.startsWith(g.replace(/\/$/, '') + '/')));
}
