/**
 * Compose targets: one per service that runs the Django app (built from a Dockerfile in the repo,
 * or whose command runs Django); databases, caches and proxies are not targets.
 */
import * as path from 'node:path';
import { splitShellWords } from '../../parse/argv.js';
import type { ComposeCommand, ComposeService } from '../../parse/compose.js';
import { literalArg, type Arg, type Env } from '../args.js';
import { debugValue, judge, parseEnvFile, weakDevWord, weigh, type Evidence, type Verdict } from '../production.js';
import type { Project } from '../project.js';
import { resolvePosix, type PathMapper } from '../paths.js';
import type { ChainStep, Process, Target } from '../types.js';
import type { Location } from '../../core/location.js';
import { finalKind } from '../servers.js';
import { siblingVerdict } from './dockerfile.js';
import { containerArgs, imageModel, imageStart, isServiceImage, runBuild, runContainer, type StartAt } from './image.js';
import { COMPOSE_FILES, copiedName, isComposeFile, overriddenFile, parsedCompose, serviceDockerfile } from './compose-files.js';
import { imageSource } from './image-source.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';
import { normPath } from '../../core/paths.js';

export { COMPOSE_FILES, copiedName, isComposeFile, overriddenFile, parsedCompose, serviceDockerfile };

const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver/;


/** Words of a command that look like paths (`./run.sh`, `/srv/start.sh`), for a cheap first look. */
function commandPaths(c: ComposeCommand): string[] {
  const words = c.form === 'list' ? c.words.map((w) => w.raw) : c.text.split(/[\s;&|"'()]+/);
  return words.map((w) => w.replace(/^["']|["']$/g, '')).filter((w) => /^(\.{0,2}\/)[\w./-]+$/.test(w) && !w.endsWith('/'));
}

function commandArgs(c: ComposeCommand, file: string): Arg[] {
  if (c.form === 'list') return c.words.map(literalArg);
  const split = splitShellWords(c.text, file, c.base);
  return split.words.map(literalArg);
}

export function composeTargets(project: Project, file: string): Target[] {
  const parsed = parsedCompose(project, file);
  if (!parsed || !parsed.isCompose) return [];
  // A copied file is judged by the name it is copied to (and by its content, as any other).
  const judged = copiedName(file) ?? file;
  const copyNote = (v: Verdict): Verdict => (judged === file ? v : { ...v, reason: `${v.reason}; a template, copied to ${path.posix.basename(judged)} before use` });
  let fileVerdict = judge(judged);
  fileVerdict = siblingVerdict(project, file, isComposeFile, fileVerdict);
  const targets: Target[] = [];
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const baseFile = overriddenFile(project, file);
  const baseServices = baseFile ? (parsedCompose(project, baseFile)?.services ?? []) : [];
  for (const written of parsed.services) {
    // `extends:` and a partial service of an override file (`-f docker-compose.yml -f
    // docker-compose.prod.yml`) take what they do not set from the service they build on.
    const partialOf = !written.build && !written.image ? baseServices.find((b) => b.name === written.name) : undefined;
    const eff = effectiveService(project, file, written, partialOf && baseFile ? { file: baseFile, service: partialOf } : null);
    const s = eff.service;
    // A service that runs an image by name alone runs the repository's Dockerfile that builds it.
    const linked = !s.build && s.image ? imageSource(project, s.image.value, file) : null;
    const built = serviceDockerfile(project, eff.buildFile, s) ?? linked;
    const mentions = [s.command, s.entrypoint].some((c) => c && APP_HINT.test(c.form === 'list' ? c.words.map((w) => w.raw).join(' ') : c.text));
    // No build and no word of Django: still the app when it runs a repository script (mounted in).
    const runsScript = !built && !mentions && [s.command, s.entrypoint].some((c) => c && commandPaths(c).some((w) => volumeMapper(project, dir, s, null).toRepo(w, s.workingDir?.value ?? null) !== null));
    if (!built && !mentions && !runsScript) continue;
    const image = built ? imageModel(project, built.dockerfile, built.context, s.build?.target ?? linked?.target ?? null) : null;
    if (image && isServiceImage(image) && !mentions) continue;
    let verdict: Verdict = fileVerdict;
    if (verdict.production) {
      const names = [{ what: 'service', name: s.name }];
      if (built) names.push({ what: 'Dockerfile', name: built.dockerfile });
      if (s.build?.target) names.push({ what: 'build target', name: s.build.target });
      const v = judge(judged, { names });
      if (!v.production) verdict = v;
      else if (!verdict.reason.startsWith('production by default')) verdict = fileVerdict;
      else verdict = v;
    }
    const weak = !verdict.production && verdict === fileVerdict ? weakDevWord(file) : null;
    if (verdict.reason.startsWith('production by default') || weak) {
      const evidence = [...fileEvidence(project, file, parsed.services), ...serviceEvidence(project, dir, s, built?.context ?? null)];
      if (weak) evidence.push({ side: 'development', weight: 1, what: `\`${weak}\` in its path` });
      verdict = weigh(evidence, verdict);
    }
    const env: Env = { ...(image?.env ?? {}) };
    const envLocs: Record<string, Location> = { ...(image?.envLocs ?? {}) };
    // env_file: values below environment:, as compose applies them.
    for (const [k, v] of Object.entries(envFileValues(project, dir, s))) {
      env[k] = v.includes('$') ? null : v;
      envLocs[k] = s.envFiles[0].loc;
    }
    for (const e of s.environment) {
      env[e.name] = e.value !== null && !e.value.includes('$') ? e.value : null;
      envLocs[e.name] = e.loc;
    }
    verdict = copyNote(verdict);
    const target: Target = makeTarget({
      kind: 'compose',
      file,
      line: s.nameLoc.line,
      name: s.name,
      verdict,
      processes: image ? [runBuild(project, image)] : [],
      facts: {
        ...(built ? { dockerfile: { file: built.dockerfile, stage: image?.final.name ?? null, context: built.context } } : {}),
        cwd: s.workingDir?.value ?? image?.cwd ?? null,
        env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>,
        envLocs,
      },
    });
    // command/entrypoint override the image's; an entrypoint override resets its CMD.
    const mapper = volumeMapper(project, dir, s, image?.mapper ?? null);
    let args: Arg[] | null = null;
    let reach: ChainStep['reach'] = 'compose-override';
    let at: StartAt | null = null;
    let viaEntrypoint: ChainStep | null = null;
    const overrideLoc = (c: ComposeCommand) => ({ file: c.loc.file, line: c.loc.line, column: c.loc.column, text: c.form === 'list' ? c.words.map((w) => w.raw).join(' ') : c.text.trim(), loc: c.loc });
    if (s.entrypoint || s.command) {
      const ep = s.entrypoint ? commandArgs(s.entrypoint, s.entrypoint.loc.file) : null;
      const cmd = s.command ? commandArgs(s.command, s.command.loc.file) : null;
      if (ep) {
        args = [...ep, ...(cmd ?? [])];
        at = overrideLoc(s.entrypoint!);
      } else if (image) {
        const base = containerArgs(image.entrypoint, null);
        args = [...(base?.args ?? []), ...cmd!];
        at = overrideLoc(s.command!);
        if (base) {
          reach = 'entrypoint+cmd';
          // The command is handed to the image's ENTRYPOINT: that instruction is the next step.
          const i = base.at.instr;
          viaEntrypoint = { file: image.file, line: i.loc.line, column: i.loc.column, text: i.raw.split(/\r?\n/)[0], reach: 'entrypoint+cmd' };
        }
      } else {
        args = cmd!;
        at = overrideLoc(s.command!);
      }
    } else if (image) {
      const start = imageStart(image);
      if (start) ({ args, reach, at } = start);
    }
    if (args && at && args.length > 0) {
      const steps: ChainStep[] = [{ file: at.file, line: at.line, column: at.column, text: at.text, reach }];
      if (viaEntrypoint) steps.push(viaEntrypoint);
      // An image run by name: the service's `image:` line leads to the Dockerfile that builds it.
      if (linked && s.image && at.file === image?.file) steps.unshift({ file: s.image.loc.file, line: s.image.loc.line, column: s.image.loc.column, text: `image: ${s.image.value}`, reach: 'direct' });
      const p = runContainer(
        project,
        { file, cwd: s.workingDir?.value ?? image?.cwd ?? null },
        s.name,
        { args, reach, steps, entry: at.loc },
        env,
        mapper,
      );
      p.role = roleFromProcess(p, s.ports.length > 0 || (image?.expose ?? false) || /^(web|app|django|api|backend|server|site)$/i.test(s.name));
      // A build-only or one-shot service (a `build-only` profile, `echo …`, a job that exits
      // such as `migrate`) publishes nothing and is not the web process.
      if (p.role === 'web' && p.servers.length === 0 && s.ports.length === 0 && (s.profiles.some((x) => /build|tool|setup|init|job|once|manual|migrat/i.test(x)) || oneShot(p))) p.role = 'other';
      target.processes.push(p);
    }
    targets.push(target);
  }
  return targets;
}

const MAX_EXTENDS = 8;

/**
 * A service with what it inherits: the base file's service of the same name (for a partial
 * service of an override file), then `extends:` (same file or `file:`), bounded and cycle-safe.
 * `buildFile` is the file whose folder the effective `build.context` is relative to.
 */
export function effectiveService(
  project: Project,
  file: string,
  s: ComposeService,
  base: { file: string; service: ComposeService } | null,
): { service: ComposeService; buildFile: string } {
  let cur = { service: s, buildFile: file };
  if (base) {
    const b = withExtends(project, base.file, base.service, [`${file}#${s.name}`]);
    // The override's own `extends:` is resolved below, from its own file.
    cur = { service: { ...mergeService(b.service, s, b.buildFile, file), extends: s.extends }, buildFile: s.build ? file : b.buildFile };
  }
  if (cur.service.extends) {
    const ext = withExtends(project, file, cur.service, [`${file}#${s.name}`]);
    cur = { service: ext.service, buildFile: cur.service.build ? cur.buildFile : ext.buildFile };
  }
  return cur;
}

function withExtends(project: Project, file: string, s: ComposeService, stack: string[]): { service: ComposeService; buildFile: string } {
  if (!s.extends || stack.length > MAX_EXTENDS) return { service: s, buildFile: file };
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const fromFile = s.extends.file ? normPath(path.posix.join(dir, s.extends.file)) : file;
  const key = `${fromFile}#${s.extends.service}`;
  if (fromFile === '..' || fromFile.startsWith('../') || path.posix.isAbsolute(fromFile)) {
    // Said at the line that names it: not a link, a path that leaves the repository.
    const what = path.posix.isAbsolute(s.extends.file ?? '') ? 'an absolute path' : 'a path outside the repository';
    project.addParseIssues(file, [{ message: `extends file \`${s.extends.file}\` is ${what}; it was not read (the linter reads only the checked-out repository)`, loc: s.extends.loc }]);
    return { service: s, buildFile: file };
  }
  if (stack.includes(key)) return { service: s, buildFile: file };
  const parent = parsedCompose(project, fromFile)?.services.find((x) => x.name === s.extends!.service);
  if (!parent) return { service: s, buildFile: file };
  const p = withExtends(project, fromFile, parent, [...stack, key]);
  return { service: mergeService(p.service, s, p.buildFile, file), buildFile: s.build ? file : p.buildFile };
}

/** Compose's merge of a service over the one it builds on: what `over` sets wins; lists add up. */
function mergeService(base: ComposeService, over: ComposeService, baseFile: string, overFile: string): ComposeService {
  const rebase = (v: { value: string; loc: Location }) => {
    // A relative bind mount written in another folder's file, seen from `overFile`'s folder.
    const m = /^(\.{1,2}(?:\/[^:]*)?)(:.*)$/.exec(v.value);
    const from = path.posix.dirname(baseFile);
    const to = path.posix.dirname(overFile);
    if (!m || from === to) return v;
    let rel = path.posix.relative(to, path.posix.join(from, m[1])) || '.';
    if (!rel.startsWith('.')) rel = './' + rel;
    return { value: rel + m[2], loc: v.loc };
  };
  const mountTarget = (v: string) => v.split(':')[1] ?? v;
  const overVolumes = over.volumes.map((v) => mountTarget(v.value));
  return {
    ...over,
    build: over.build ?? base.build,
    image: over.image ?? base.image,
    command: over.command ?? base.command,
    entrypoint: over.entrypoint ?? base.entrypoint,
    environment: [...base.environment.filter((e) => !over.environment.some((o) => o.name === e.name)), ...over.environment],
    envFiles: [...base.envFiles, ...over.envFiles],
    ports: [...base.ports, ...over.ports.filter((p) => !base.ports.some((b) => b.value === p.value))],
    volumes: [...base.volumes.map(rebase).filter((v) => !overVolumes.includes(mountTarget(v.value))), ...over.volumes],
    workingDir: over.workingDir ?? base.workingDir,
    restart: over.restart ?? base.restart,
    profiles: over.profiles.length > 0 ? over.profiles : base.profiles,
    dependsOn: [...new Set([...base.dependsOn, ...over.dependsOn])],
    extends: null,
  };
}

/** Bind mounts (`./src:/app`) map container paths to repo paths before the image's COPYs do. */
function volumeMapper(project: Project, dir: string, s: ComposeService, inner: PathMapper | null): PathMapper {
  const mounts = s.volumes
    .map((v) => /^(\.{1,2}(?:\/[^:]*)?):(\/[^:]+)/.exec(v.value))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ host: normPath(path.posix.join(dir, m[1])), container: path.posix.normalize(m[2]).replace(/\/$/, '') }));
  const cwd0 = s.workingDir?.value ?? null;
  return {
    toRepo(p, cwd) {
      const abs = resolvePosix(cwd ?? cwd0 ?? '/', p);
      for (const m of mounts) {
        if (abs === m.container || abs.startsWith(m.container + '/')) {
          const rel = normPath(path.posix.join(m.host, abs.slice(m.container.length + 1)));
          if (project.repo.has(rel)) return rel;
        }
      }
      return inner ? inner.toRepo(p, cwd ?? cwd0) : null;
    },
    onPath(name) {
      return inner ? inner.onPath(name) : null;
    },
  };
}

/** Values a service's `env_file:` files in the repository set (later files win, like compose). */
export function envFileValues(project: Project, dir: string, s: ComposeService): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of s.envFiles) {
    const text = project.repo.text(normPath(path.posix.join(dir, f.value)));
    if (text !== null) Object.assign(out, parseEnvFile(text));
  }
  return out;
}

const MAIL_CATCHER = /(^|\/)(mailhog|mailpit|maildev|mailcatcher|smtp4dev|fake-?smtp)/i;
const FRONT_PROXY = /^(?:[\w.:-]+\/)*(nginx|nginx-unprivileged|openresty|caddy|httpd|traefik|haproxy)(?:[:@]|$)/i;

/** Evidence the whole file gives: a header comment, a mail catcher, a proxy in front, ports 80/443, scripts that run it. */
function fileEvidence(project: Project, file: string, services: ComposeService[]): Evidence[] {
  return project.cached(`compose-evidence:${file}`, () => {
    const out: Evidence[] = [];
    const text = project.repo.text(file) ?? '';
    const header = text.split(/\r?\n/).slice(0, 6).filter((l) => l.trim().startsWith('#')).join(' ');
    const hm = /\b(development|local development|testing|test drive|try(?:ing)? it out)\b/i.exec(header);
    if (hm) out.push({ side: 'development', weight: 2, what: `its header comment says \`${hm[1]}\`` });
    const mail = services.find((x) => x.image && MAIL_CATCHER.test(x.image.value));
    if (mail) out.push({ side: 'development', weight: 2, what: `a mail catcher (\`${mail.image!.value}\`) runs beside it` });
    const proxyImage = (x: ComposeService): string | null => {
      if (x.image && FRONT_PROXY.test(x.image.value)) return x.image.value;
      const built = serviceDockerfile(project, file, x);
      const img = built ? imageModel(project, built.dockerfile, built.context, x.build?.target ?? null) : null;
      const from = img?.final.from.image ?? img?.stages[img.stages.length - 1]?.from.image;
      return from && FRONT_PROXY.test(from) ? `${built!.dockerfile} (FROM ${from})` : null;
    };
    const proxy = services.filter((x) => x.ports.length > 0).map(proxyImage).find((x) => x !== null);
    if (proxy) out.push({ side: 'production', weight: 1, what: `\`${proxy}\` in front of it` });
    const web = services.find((x) => x.ports.some((p) => /^(?:[\d.]+:)?(80|443):\d+/.test(p.value.replace(/^["']|["']$/g, ''))));
    if (web) out.push({ side: 'production', weight: 1, what: `service \`${web.name}\` publishes port 80/443` });
    const user = deploymentScript(project, file);
    if (user) out.push({ side: 'production', weight: 1, what: `${user} runs it` });
    return out;
  });
}

/** A Makefile or install/deploy script that runs this compose file (`-f docker-compose.yml`). */
function deploymentScript(project: Project, file: string): string | null {
  const base = path.posix.basename(file);
  const re = new RegExp(`(?:-f|--file)[ =]+["']?(?:\\S*/)?${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const dirs = [...new Set(['', dir, 'scripts', 'bin'])];
  for (const d of dirs) {
    for (const f of project.repo.filesIn(d)) {
      const b = path.posix.basename(f);
      if (!/^(Makefile|GNUmakefile|[\w.-]*\.sh)$/.test(b) || isDevPath(b)) continue;
      const text = project.repo.text(f);
      if (text && re.test(text)) return f;
    }
  }
  return null;
}

function isDevPath(f: string): boolean {
  return !judge(f).production;
}

/** Evidence one service gives: restart policy, DEBUG, ALLOWED_HOSTS, a mount of the source tree. */
function serviceEvidence(project: Project, dir: string, s: ComposeService, context: string | null): Evidence[] {
  const out: Evidence[] = [];
  if (s.restart && /^(always|unless-stopped)$/.test(s.restart.value)) out.push({ side: 'production', weight: 1, what: `\`restart: ${s.restart.value}\`` });
  const env: Record<string, string | null> = { ...envFileValues(project, dir, s) };
  for (const e of s.environment) env[e.name] = e.value;
  const debug = debugValue(env.DEBUG ?? env.DJANGO_DEBUG);
  if (debug === false && (env.DEBUG ?? env.DJANGO_DEBUG) !== '') out.push({ side: 'production', weight: 1, what: `\`DEBUG=${env.DEBUG ?? env.DJANGO_DEBUG}\`` });
  if (debug === true) out.push({ side: 'development', weight: 2, what: `\`DEBUG=${env.DEBUG ?? env.DJANGO_DEBUG}\`` });
  const hosts = env.ALLOWED_HOSTS ?? env.DJANGO_ALLOWED_HOSTS;
  if (hosts && hosts.split(/[,\s]+/).filter(Boolean).every((h) => /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[?::1\]?)$/.test(h))) {
    out.push({ side: 'development', weight: 2, what: `\`ALLOWED_HOSTS=${hosts}\` accepts only this machine` });
  }
  const mount = sourceMount(project, dir, s, context);
  if (mount) out.push({ side: 'development', weight: 1, what: `a mount of the source tree (\`${mount}\`)` });
  return out;
}

/**
 * A bind mount of the source tree: the build context, the repository root or a folder holding
 * manage.py mounted into the container. A mounted file (configuration), a logs/static/media
 * folder or a socket is not one.
 */
function sourceMount(project: Project, dir: string, s: ComposeService, context: string | null): string | null {
  for (const v of s.volumes) {
    const m = /^(\.{1,2}(?:\/[^:]*)?):(\/[^:]+)/.exec(v.value);
    if (!m) continue;
    const host = normPath(path.posix.join(dir, m[1]));
    if (host.startsWith('..') || project.repo.has(host)) continue;
    const isSource = host === '' || host === context || project.repo.has(host ? `${host}/manage.py` : 'manage.py');
    if (isSource) return v.value;
  }
  return null;
}

/** A process that ends in commands that exit: a management command (`migrate`) or `echo`/`true`. */
function oneShot(p: Process): boolean {
  return p.finals.length > 0 && p.finals.every((f) => finalKind(f.args) === 'management' || /^(echo|true|:|exit|printf)$/.test(f.args[0]?.value ?? ''));
}
