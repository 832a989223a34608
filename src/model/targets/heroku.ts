/**
 * Heroku descriptors besides the Procfile:
 * - `heroku.yml` (container stack): `build.docker` names a Dockerfile per process type, `run`
 *   replaces an image's CMD (a string runs in `/bin/sh -c`), `release.command` runs once per
 *   deploy. No buildpack runs, so Heroku does not collect static files for these.
 * - `app.json` (Heroku Button, review apps): `scripts.postdeploy` runs once after the app is
 *   created (its `env.DISABLE_COLLECTSTATIC` is read with the Procfile, see procfile.ts).
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { YamlDoc } from '../../parse/yaml-doc.js';
import type { Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { LineTable } from '../../core/lines.js';
import type { Location } from '../../core/location.js';
import type { Process, Target } from '../types.js';
import { containerProcess, descriptorImage, dirOf, imageBuild, imageFacts, normRel, shellProcess } from './platform.js';
import { procfileRole } from './procfile.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

export function isHerokuYml(file: string): boolean {
  return path.posix.basename(file) === 'heroku.yml';
}

export const HEROKU_YML: FileSelector = { name: 'heroku.yml', prefixes: ['heroku.'], test: isHerokuYml };

export function herokuYmlTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const y = new YamlDoc(text, file);
  project.addParseIssues(file, y.issues);
  const dir = dirOf(file);
  const docker = y.get(y.get(y.root, 'build'), 'docker');
  if (!docker) return [];
  const verdict = judge(file, { platform: 'heroku.yml is what Heroku builds and runs on the container stack' });
  const env: Env = { PORT: '$PORT' };
  const envLocs: Record<string, Location> = {};
  const images = new Map<string, ReturnType<typeof descriptorImage>>();
  for (const { key, value } of y.pairs(docker)) {
    const df = y.str(value) ?? y.str(y.get(value, 'dockerfile'));
    const target = y.str(y.get(value, 'target'));
    const rel = df ? normRel(path.posix.join(dir, df)) : null;
    images.set(key, descriptorImage(project, rel, dir, target));
  }
  const webImage = images.get('web') ?? [...images.values()][0] ?? null;
  const target: Target = makeTarget({
    kind: 'heroku-yml',
    file,
    line: y.loc(y.keyNode(y.root, 'build')).line,
    verdict,
    facts: imageFacts(webImage, env, envLocs),
  });
  const built = new Set<unknown>();
  for (const image of images.values()) {
    if (image && !built.has(image)) {
      built.add(image);
      target.processes.push(...imageBuild(project, image));
    }
  }
  // release: image + command (a list of strings, or one string).
  const release = y.get(y.root, 'release');
  if (release) {
    const image = images.get(y.str(y.get(release, 'image')) ?? 'web') ?? webImage;
    const cmds = y.get(release, 'command');
    const list = y.items(cmds).length > 0 ? y.items(cmds) : cmds ? [cmds] : [];
    for (const c of list) {
      const t = y.shellText(c);
      const p = t ? containerProcess(project, file, 'release', image, { ...t, form: 'shell' }, env) : null;
      if (p) target.processes.push({ ...p, role: 'release' });
    }
  }
  // run: overrides per process type; types without one run their image's CMD.
  const run = y.get(y.root, 'run');
  const types = new Set([...images.keys(), ...y.pairs(run).map((p) => p.key)]);
  for (const name of types) {
    const r = y.get(run, name);
    const image = images.get(y.str(y.get(r, 'image')) ?? name) ?? images.get(name) ?? null;
    const cmdNode = r ? (y.shellText(r) ? r : y.get(r, 'command')) : null;
    const list = cmdNode ? (y.items(cmdNode).length > 0 ? y.items(cmdNode) : [cmdNode]) : [null];
    for (const c of list) {
      const t = c ? y.shellText(c) : null;
      if (c && !t) continue;
      const p: Process | null = containerProcess(project, file, name, image, t ? { ...t, form: 'shell' } : null, env);
      if (!p) continue;
      const role = procfileRole(name);
      p.role = role === 'other' ? roleFromProcess(p, false) : role;
      target.processes.push(p);
    }
  }
  return [target];
}

// ---------------------------------------------------------------------------------------------
// app.json
// ---------------------------------------------------------------------------------------------

export function isAppJson(file: string): boolean {
  return path.posix.basename(file) === 'app.json';
}

export const APP_JSON: FileSelector = { name: 'app.json', prefixes: ['app.'], test: isAppJson };

const HEROKU_KEYS = ['buildpacks', 'formation', 'addons', 'scripts', 'environments', 'success_url', 'stack'];

/** Line and column (1-based) of the first `"key"` in JSON text after `from`, and of its string value. */
function jsonKey(text: string, key: string, from = 0): { line: number; column: number; valueAt: number | null; index: number } | null {
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*`, 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return null;
  const at = (i: number) => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    return { line, column: i - before.lastIndexOf('\n') };
  };
  const k = at(m.index);
  const vi = m.index + m[0].length;
  return { ...k, valueAt: text[vi] === '"' ? vi + 1 : null, index: m.index };
}

function posOf(text: string, i: number): { line: number; column: number } {
  return new LineTable(text).pos(i);
}

/**
 * app.json targets: the scripts Heroku runs for apps created from it. (Its
 * `DISABLE_COLLECTSTATIC` is read for the Procfile beside it by procfile.ts and DPL206.)
 */
export function appJsonTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  let data: Record<string, unknown>;
  try {
    const v = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
    data = v as Record<string, unknown>;
  } catch {
    return []; // an app.json that is not JSON is someone else's file (Expo, editors)
  }
  // Expo's app.json, and Cloud Run Button's (`hooks`, `options`), are not Heroku's.
  if ('expo' in data || 'hooks' in data || 'options' in data || !HEROKU_KEYS.some((k) => k in data) && !('env' in data && 'name' in data)) return [];
  const dir = dirOf(file);
  const verdict = judge(file, { platform: 'app.json is what Heroku reads to create apps (Heroku Button, review apps)' });
  const env: Env = { PORT: '$PORT' };
  const target: Target = makeTarget({
    kind: 'app-json',
    file,
    line: 1,
    verdict,
    facts: { cwd: '/app', env: { PORT: '$PORT' } },
  });
  const scripts = data.scripts && typeof data.scripts === 'object' ? (data.scripts as Record<string, unknown>) : {};
  const scriptsKey = jsonKey(text, 'scripts');
  for (const name of ['postdeploy', 'pr-predestroy']) {
    const v = scripts[name];
    const cmd = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { command?: unknown }).command === 'string' ? ((v as { command: string }).command) : null;
    if (cmd === null || !scriptsKey) continue;
    const k = jsonKey(text, name, scriptsKey.index);
    if (!k) continue;
    // Escaped JSON strings shift columns; positions are exact only when the source equals the value.
    const at = k.valueAt ?? k.index;
    const base = posOf(text, at);
    const loc = { file, line: k.line, column: k.column, endLine: base.line, endColumn: base.column + cmd.length };
    const p = shellProcess(project, file, dir, name, 'release', { text: cmd, base, loc }, env);
    target.processes.push(p);
  }
  return [target];
}
