/**
 * An image built from a Dockerfile in the repo: the stage that runs, what it inherits, its
 * environment and working directory, its ENTRYPOINT/CMD, and how paths in the image map back
 * to repo files through COPY/ADD (docs/architecture.md, "Chain resolver").
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { parseShell } from '../../parse/shell.js';
import { parseDockerfile, type DfCopy, type DfPlaced, type DfStage, type DockerfileResult } from '../../parse/dockerfile.js';
import { literalArg, type Arg, type Env } from '../args.js';
import type { Project } from '../project.js';
import { ProcessBuilder, type Frame } from '../resolve.js';
import { resolvePosix, type PathMapper, type WrittenFile } from '../paths.js';
import type { ChainStep, Process, Reach } from '../types.js';
import type { Command, Word } from '../../core/words.js';
import type { Location } from '../../core/location.js';
import { fileGlob, normPath } from '../../core/paths.js';

export interface BuildStep {
  kind: 'run' | 'copy';
  stage: DfStage;
  run?: DfPlaced;
  copy?: DfCopy;
  /** Working directory and variables in force at this instruction. */
  cwd: string | null;
  env: Env;
  line: number;
  /** The stage is part of the final image (not a builder stage whose files are copied in). */
  inImage: boolean;
}

export interface ImageModel {
  file: string;
  context: string;
  parsed: DockerfileResult;
  /** The stage that runs, and its ancestors (root first). */
  stages: DfStage[];
  final: DfStage;
  /** Runtime environment (ENV only), and where each variable was set. */
  env: Env;
  envLocs: Record<string, Location>;
  cwd: string | null;
  entrypoint: DfPlaced | null;
  cmd: DfPlaced | null;
  expose: boolean;
  steps: BuildStep[];
  mapper: PathMapper;
}

export function isDockerfile(file: string): boolean {
  const base = path.posix.basename(file);
  return /^(Dockerfile|Containerfile)([._-][A-Za-z0-9_.-]+)?$/.test(base) || /\.(Dockerfile|dockerfile)$/.test(base);
}

export const DOCKERFILES: FileSelector = { name: 'Dockerfile', prefixes: ['dockerfile', 'containerfile'], exts: ['dockerfile'], test: isDockerfile };

export function parsedDockerfile(project: Project, file: string): DockerfileResult | null {
  return project.cached(`dockerfile:${file}`, () => {
    const text = project.repo.text(file);
    if (text === null) return null;
    const r = parseDockerfile(text, file);
    project.addParseIssues(file, r.issues);
    return r;
  });
}

/** The image a Dockerfile builds, for `stageName` (compose `target:`) or the last stage. */
export function imageModel(project: Project, file: string, context: string, stageName: string | null): ImageModel | null {
  return project.cached(`image:${file}|${context}|${stageName ?? ''}`, () => buildImageModel(project, file, context, stageName));
}

function buildImageModel(project: Project, file: string, context: string, stageName: string | null): ImageModel | null {
  const parsed = parsedDockerfile(project, file);
  if (!parsed || parsed.stages.length === 0) return null;
  const final =
    (stageName ? parsed.stages.find((s) => s.name === stageName.toLowerCase()) : undefined) ?? parsed.stages[parsed.stages.length - 1];
  const stages = stageChain(parsed, final);
  const walked = walkStages(parsed, stages, true);
  // Stages whose files are copied in (`COPY --from=builder`) run their RUNs in the build too
  // (`collectstatic` in a builder stage), but their COPYs put nothing in the final image.
  const seen = new Set(stages);
  const steps = [...walked.steps];
  const pending = [...walked.steps];
  while (pending.length > 0) {
    const step = pending.pop()!;
    const from = step.copy?.from;
    if (!from) continue;
    const src = /^\d+$/.test(from) ? parsed.stages[Number(from)] : parsed.stages.find((x) => x.name === from.toLowerCase());
    if (!src || seen.has(src) || src.index >= step.stage.index) continue;
    const chain = stageChain(parsed, src);
    const extra = walkStages(parsed, chain, false).steps.filter((x) => !seen.has(x.stage));
    chain.forEach((c) => seen.add(c));
    steps.push(...extra);
    pending.push(...extra);
  }
  steps.sort((a, b) => a.line - b.line);
  const model: ImageModel = {
    file,
    context,
    parsed,
    stages,
    final,
    env: walked.env,
    envLocs: walked.envLocs,
    cwd: walked.cwd,
    entrypoint: walked.entrypoint,
    cmd: walked.cmd,
    expose: walked.expose,
    steps,
    mapper: { toRepo: () => null, onPath: () => null },
  };
  model.mapper = copyMapper(project, model, walked.env);
  return model;
}

/** A stage and the stages it is built FROM, root first. */
export function stageChain(parsed: DockerfileResult, stage: DfStage): DfStage[] {
  const chain: DfStage[] = [];
  for (let s: DfStage | undefined = stage; s; s = s.parent !== null ? parsed.stages[s.parent] : undefined) {
    if (chain.includes(s)) break;
    chain.unshift(s);
  }
  return chain;
}

/** Run through a chain of stages: the environment, working directory and start command it ends with. */
function walkStages(parsed: DockerfileResult, stages: DfStage[], inImage: boolean) {
  const env: Env = {};
  const envLocs: Record<string, Location> = {};
  const buildEnv: Env = {};
  let cwd: string | null = null;
  let entrypoint: DfPlaced | null = null;
  let cmd: DfPlaced | null = null;
  let expose = false;
  const steps: BuildStep[] = [];
  for (const g of parsed.globalArgs) buildEnv[g.name] = g.value;
  for (const st of stages) {
    for (const ins of st.instructions) {
      const within = (x: { loc: Location }) => x.loc.line >= ins.loc.line && x.loc.line <= ins.loc.endLine;
      switch (ins.keyword) {
        case 'ENV':
          for (const e of st.env.filter(within)) {
            env[e.name] = e.value;
            buildEnv[e.name] = e.value;
            envLocs[e.name] = e.loc;
          }
          break;
        case 'ARG':
          for (const a of st.args.filter(within)) buildEnv[a.name] = a.value;
          break;
        case 'WORKDIR': {
          const w = st.workdirs.find((x) => x.instr === ins);
          if (w) cwd = w.path;
          break;
        }
        case 'ENTRYPOINT':
          if (st.entrypoint?.instr === ins) {
            entrypoint = st.entrypoint;
            cmd = null; // Setting ENTRYPOINT resets an inherited CMD (Docker reference).
          }
          break;
        case 'CMD':
          if (st.cmd?.instr === ins) cmd = st.cmd;
          break;
        case 'EXPOSE':
          expose = true;
          break;
        case 'RUN': {
          const r = st.runs.find((x) => x.instr === ins);
          if (r) steps.push({ kind: 'run', stage: st, run: r, cwd, env: { ...buildEnv }, line: ins.loc.line, inImage });
          break;
        }
        case 'COPY':
        case 'ADD': {
          const c = st.copies.find((x) => x.instr === ins);
          if (c) steps.push({ kind: 'copy', stage: st, copy: c, cwd, env: { ...buildEnv }, line: ins.loc.line, inImage });
          break;
        }
      }
    }
  }
  return { env, envLocs, cwd, entrypoint, cmd, expose, steps };
}

/**
 * What puts a file at a path of an image's file system, in build order: a COPY/ADD from the
 * build context, a `COPY --from` of an earlier stage, or a RUN that copies, moves or links a
 * file already in the image (`cp`, `mv`, `ln -s`, `install`).
 */
type FsOp =
  | { kind: 'copy'; step: BuildStep }
  | { kind: 'stage'; step: BuildStep; stage: DfStage }
  | { kind: 'run'; line: number; src: string; dest: string; destIsDir: boolean };

/** `cp`/`mv`/`install`/`ln -s` in a RUN's text: source and destination as absolute paths. */
function runFileOps(text: string, cwd: string | null, line: number): FsOp[] {
  const out: FsOp[] = [];
  let dir = cwd ?? '/';
  for (const part of text.replace(/\\\r?\n/g, ' ').split(/&&|\|\||;|\n/)) {
    const words = part.trim().split(/\s+/).map((w) => w.replace(/^["']|["']$/g, '')).filter((w) => w.length > 0);
    while (words.length > 0 && /^(sudo|exec)$/.test(words[0])) words.shift();
    const cmd = words[0];
    if (cmd === 'cd' && words[1]) {
      dir = resolvePosix(dir, words[1]);
      continue;
    }
    if (!cmd || !/^(cp|mv|ln|install)$/.test(cmd)) continue;
    const opts = words.slice(1).filter((w) => w.startsWith('-'));
    // Options that take a value (`install -m 755`, `-o user`, `-g group`, `-t dir`).
    const args: string[] = [];
    let target: string | null = null;
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      if (cmd === 'install' && /^-[mog]$/.test(w)) i++;
      else if (w === '-t' || w === '--target-directory') target = words[++i] ?? null;
      else if (w.startsWith('--target-directory=')) target = w.slice(19);
      else if (!w.startsWith('-')) args.push(w);
    }
    if (cmd === 'ln' && !opts.some((o) => /^-[a-zA-Z]*s/.test(o) || o === '--symbolic')) continue;
    if (cmd === 'install' && opts.some((o) => o === '-d' || o === '--directory')) continue;
    if (args.some((a) => /[$*?`]/.test(a))) continue;
    const dest = target ?? args.pop();
    if (!dest || args.length === 0) continue;
    const destAbs = resolvePosix(dir, dest).replace(/(.)\/+$/, '$1');
    for (const a of args) {
      // `ln -s TARGET LINK`: a relative TARGET is relative to the link's folder.
      const base = cmd === 'ln' && !a.startsWith('/') ? path.posix.dirname(destAbs) : dir;
      out.push({ kind: 'run', line, src: resolvePosix(base, a), dest: destAbs, destIsDir: target !== null || dest.endsWith('/') || args.length > 1 });
    }
  }
  return out;
}

/**
 * Map image paths back to repo files: through the COPY/ADD of the running stages, `COPY --from`
 * of an earlier stage (followed into that stage's own file system), and RUN `cp`/`mv`/`ln -s`/
 * `install` of files already in the image. The latest operation that put a file at a path wins.
 */
function copyMapper(project: Project, image: ImageModel, env: Env): PathMapper {
  const repo = project.repo;
  const parsed = image.parsed;
  const opsCache = new Map<DfStage, FsOp[]>();
  const opsOf = (stage: DfStage): FsOp[] => {
    let ops = opsCache.get(stage);
    if (ops) return ops;
    ops = [];
    const chain = stageChain(parsed, stage);
    const steps = stage === image.final ? image.steps.filter((s) => s.inImage) : walkStages(parsed, chain, true).steps;
    for (const step of steps) {
      if (step.kind === 'copy' && step.copy) {
        const from = step.copy.from;
        if (!from) ops.push({ kind: 'copy', step });
        else {
          const src = /^\d+$/.test(from) ? parsed.stages[Number(from)] : parsed.stages.find((x) => x.name === from.toLowerCase());
          if (src && src.index < step.stage.index) ops.push({ kind: 'stage', step, stage: src });
        }
      } else if (step.kind === 'run' && step.run && step.run.form === 'shell' && /\b(cp|mv|ln|install)\b/.test(step.run.text)) {
        ops.push(...runFileOps(step.run.text, step.cwd, step.line));
      }
    }
    opsCache.set(stage, ops);
    return ops;
  };
  const lineOf = (op: FsOp) => (op.kind === 'run' ? op.line : op.step.line);
  /** The repo file at `abs` in `stage`'s file system, from operations before line `before`. */
  const find = (stage: DfStage, abs: string, before: number, depth: number): string | null => {
    if (depth > 8) return null;
    const ops = opsOf(stage);
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k];
      if (lineOf(op) >= before) continue;
      if (op.kind === 'run') {
        const into = path.posix.join(op.dest, path.posix.basename(op.src));
        let from: string | null = null;
        if (abs === into || (!op.destIsDir && abs === op.dest)) from = op.src;
        else if (abs.startsWith(op.dest + '/') && !op.destIsDir) from = op.src + abs.slice(op.dest.length);
        else if (abs.startsWith(into + '/')) from = op.src + abs.slice(into.length);
        if (from) {
          const r = find(stage, from, op.line, depth + 1);
          if (r) return r;
        }
        continue;
      }
      const c = op.step.copy!;
      // A variable the parser left (an ARG of the parent stage, in force here): its value.
      const expand = (v: string) => (v.includes('$') ? v.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (all, n: string) => op.step.env[n] ?? all) : v);
      const destRaw = expand(c.dest.value);
      const destAbs = resolvePosix(op.step.cwd ?? '/', destRaw).replace(/(.)\/+$/, '$1');
      const destIsDir = destRaw.endsWith('/') || c.sources.length > 1;
      for (const src0 of c.sources) {
        if (src0.value.startsWith('<<')) continue;
        const src = { value: expand(src0.value) };
        if (op.kind === 'stage') {
          // A path of the earlier stage's file system, copied as a folder or as one file.
          const srcAbs = resolvePosix('/', src.value).replace(/(.)\/+$/, '$1');
          const cands: string[] = [];
          if (abs.startsWith(destAbs === '/' ? '/' : destAbs + '/')) cands.push(path.posix.join(srcAbs, abs.slice(destAbs === '/' ? 1 : destAbs.length + 1)));
          if (abs === destAbs && !destIsDir) cands.push(srcAbs);
          if (abs === path.posix.join(destAbs, path.posix.basename(srcAbs))) cands.push(srcAbs);
          for (const cand of cands) {
            const r = find(op.stage, cand, Infinity, depth + 1);
            if (r) return r;
          }
          continue;
        }
        const srcRel = normPath(path.posix.join(image.context, src.value));
        const isDir = srcRel === '' || repo.hasDir(srcRel);
        if (isDir) {
          if (abs === destAbs) continue;
          if (abs.startsWith(destAbs === '/' ? '/' : destAbs + '/')) {
            const rest = abs.slice(destAbs === '/' ? 1 : destAbs.length + 1);
            const cand = normPath(path.posix.join(srcRel, rest));
            if (repo.has(cand)) return cand;
          }
          continue;
        }
        if (/[*?[]/.test(src.value)) {
          const dir = path.posix.dirname(srcRel);
          const matches = fileGlob(path.posix.basename(srcRel));
          const name = path.posix.basename(abs);
          if (path.posix.dirname(abs) === (destAbs === '/' ? '/' : destAbs.replace(/\/$/, '')) && matches(name)) {
            const cand = normPath(path.posix.join(dir, name));
            if (repo.has(cand)) return cand;
          }
          continue;
        }
        // `COPY start.sh /app` puts the file at /app/start.sh when /app is a directory in the image
        // (a WORKDIR, /tmp, …) and at /app otherwise: which one cannot always be known, and both
        // name the same repo file, so either matches.
        const into = path.posix.join(destAbs, path.posix.basename(srcRel));
        const matches = destIsDir || destAbs === '/' ? abs === into : abs === destAbs || abs === into;
        if (matches && repo.has(srcRel)) return srcRel;
      }
    }
    return null;
  };
  // The same image paths are asked again and again (every command word of every script looked up
  // on PATH): each answer, which depends only on the path, is kept for the image.
  const found = new Map<string, string | null>();
  const toRepo = (p: string, cwd: string | null): string | null => {
    const abs = resolvePosix(cwd ?? image.cwd ?? '/', p);
    let r = found.get(abs);
    if (r === undefined) found.set(abs, (r = find(image.final, abs, Infinity, 0)));
    return r;
  };
  const written = writtenFiles(image);
  return {
    toRepo,
    onPath(name) {
      const dirs = (env.PATH ?? '').split(':').filter((d) => d.startsWith('/'));
      for (const d of [...dirs, '/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin']) {
        const r = toRepo(path.posix.join(d, name), null);
        if (r) return r;
      }
      return null;
    },
    written(p, cwd) {
      if (written.size === 0) return null;
      return written.get(resolvePosix(cwd ?? image.cwd ?? '/', p)) ?? null;
    },
  };
}

/**
 * Scripts the build writes, by their path in the image (the last writer wins): `COPY <<EOF
 * /start.sh`, `RUN cat <<EOF > /start.sh`, `RUN echo '…' > /start.sh`, `RUN printf '…' > …`.
 */
function writtenFiles(image: ImageModel): Map<string, WrittenFile> {
  const out = new Map<string, WrittenFile>();
  for (const step of image.steps) {
    if (!step.inImage) continue;
    if (step.kind === 'copy') {
      const c = step.copy!;
      if (c.from || c.heredocs.length === 0) continue;
      const dest = resolvePosix(step.cwd ?? '/', c.dest.value);
      for (const h of c.heredocs) {
        const at = c.heredocs.length === 1 && !c.dest.value.endsWith('/') ? dest : path.posix.join(dest, h.name);
        out.set(at, { file: image.file, path: at, text: h.text, base: h.base, exact: !h.stripTabs, loc: h.loc });
      }
      continue;
    }
    const run = step.run!;
    if (run.form !== 'shell') continue;
    const plain = run.text;
    // `cat <<EOF > /path`, `cat > /path <<'EOF'`, `tee /path <<EOF`
    for (const h of run.heredocs) {
      const re = new RegExp(`(?:cat|tee)\\s+(?:>\\s*(\\S+)\\s+)?(?:(\\S+)\\s+)?<<-?\\s*['"]?${h.name}['"]?(?:\\s*>\\s*(\\S+))?`);
      const m = re.exec(plain);
      const target = m ? (m[1] ?? m[3] ?? (/^tee\b/.test(m[0]) ? m[2] : undefined)) : undefined;
      if (!target || /[$`]/.test(target)) continue;
      const at = resolvePosix(step.cwd ?? '/', target.replace(/^["']|["']$/g, ''));
      out.set(at, { file: image.file, path: at, text: h.text, base: h.base, exact: !h.stripTabs, loc: h.loc });
    }
    // `echo '#!/bin/sh\nexec gunicorn …' > /start.sh` (echo -e, printf: `\n` is a line break)
    const lineRe = /\b(echo|printf)\s+((?:-[neE]+\s+)*)('([^']*)'|"((?:[^"\\$`]|\\.)*)")\s*>\s*([^\s;&|]+)/g;
    for (const m of plain.matchAll(lineRe)) {
      if (/[$`]/.test(m[6])) continue;
      let text = m[4] ?? m[5].replace(/\\(["\\$`])/g, '$1');
      if (m[1] === 'printf' || /e/.test(m[2])) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      const before = plain.slice(0, m.index! + m[0].indexOf(m[3]) + 1);
      const nl = before.lastIndexOf('\n');
      const line = run.base.line + (before.match(/\n/g)?.length ?? 0);
      const column = nl < 0 ? run.base.column + before.length : before.length - nl;
      const at = resolvePosix(step.cwd ?? '/', m[6].replace(/^["']|["']$/g, ''));
      out.set(at, { file: image.file, path: at, text, base: { line, column }, exact: !text.includes('\n') || m[1] === 'echo' && !/e/.test(m[2]), loc: { file: image.file, line, column, endLine: line, endColumn: column + m[3].length - 2 } });
    }
  }
  return out;
}

/** A word standing for a shell-form text (so `exec "$@"` can hand it to `/bin/sh -c`). */
function shellTextWord(p: DfPlaced & { form: 'shell' }): Word {
  return {
    raw: p.text,
    parts: [{ kind: 'lit', text: p.text }],
    quoted: false,
    loc: { file: p.loc.file, line: p.base.line, column: p.base.column, endLine: p.loc.endLine, endColumn: p.loc.endColumn },
  };
}

function synthetic(value: string, at: Location): Arg {
  return literalArg({ raw: value, parts: [{ kind: 'lit', text: value }], quoted: false, loc: at });
}

/** The argv a container starts with, combining ENTRYPOINT and CMD per the Docker reference. */
export function containerArgs(ep: DfPlaced | null, cmd: DfPlaced | null): { args: Arg[]; reach: Reach; at: DfPlaced } | null {
  const shellArgs = (p: DfPlaced & { form: 'shell' }) => [synthetic('/bin/sh', p.loc), synthetic('-c', p.loc), literalArg(shellTextWord(p))];
  const argsOf = (p: DfPlaced) => (p.form === 'exec' ? p.words.map(literalArg) : shellArgs(p));
  if (ep) {
    if (ep.form === 'shell') return { args: shellArgs(ep), reach: 'direct', at: ep };
    return { args: [...argsOf(ep), ...(cmd ? argsOf(cmd) : [])], reach: cmd ? 'entrypoint+cmd' : 'direct', at: ep };
  }
  if (cmd) return { args: argsOf(cmd), reach: 'direct', at: cmd };
  return null;
}

/** Where a start command is written, for the first step of its chain. */
export interface StartAt {
  file: string;
  line: number;
  column: number;
  text: string;
  loc: Location;
}

/** The image's own start command (ENTRYPOINT + CMD) and the instruction that names it, or null. */
export function imageStart(image: ImageModel): { args: Arg[]; reach: Reach; at: StartAt } | null {
  const start = containerArgs(image.entrypoint, image.cmd);
  if (!start) return null;
  const i = start.at.instr;
  return { args: start.args, reach: start.reach, at: { file: image.file, line: i.loc.line, column: i.loc.column, text: i.raw.split(/\r?\n/)[0], loc: i.loc } };
}

/** Follow the container's start command (ENTRYPOINT + CMD, or an override) as a process. */
export function runContainer(
  project: Project,
  where: { file: string; cwd: string | null },
  name: string,
  start: { args: Arg[]; reach: Reach; steps: ChainStep[]; entry: Location },
  env: Env,
  mapper: PathMapper,
): Process {
  const b = new ProcessBuilder(project, mapper, name, 'web', start.entry);
  const cmd: Command = {
    words: start.args.map((a) => a.word),
    assignments: [],
    loc: start.entry,
    text: start.args.map((a) => a.text).join(' '),
  };
  const frame: Frame = { env: { ...env }, cwd: where.cwd, positional: [], chain: start.steps, depth: 0, conditional: false, stack: [where.file] };
  b.runArgs(start.args, cmd, frame, true);
  return b.process;
}

/** The image's RUN instructions as a `build` process (collectstatic, installs). */
export function runBuild(project: Project, image: ImageModel): Process {
  const b = new ProcessBuilder(project, image.mapper, 'build', 'build', image.final.from.loc);
  for (const s of image.steps) {
    if (s.kind !== 'run' || !s.run) continue;
    const r = s.run;
    const step: ChainStep = { file: image.file, line: r.instr.loc.line, column: r.instr.loc.column, text: r.instr.raw.split(/\r?\n/)[0], reach: 'direct' };
    const frame: Frame = { env: { ...s.env }, cwd: s.cwd, positional: [], chain: [step], depth: 0, conditional: false, stack: [image.file] };
    if (r.form === 'exec') {
      const args = r.words.map(literalArg);
      b.runArgs(args, { words: r.words, assignments: [], loc: r.instr.loc, text: r.instr.raw }, frame, false);
    } else {
      if (r.heredocs.length === 0) {
        const script = project.cached(`dockerfile-run:${image.file}:${r.instr.loc.line}`, () => parseShell(r.text, r.loc.file, r.base));
        b.runScript(script, frame, false);
      }
      for (const h of r.heredocs) {
        const hs = project.cached(`dockerfile-heredoc:${image.file}:${h.base.line}`, () => parseShell(h.text, image.file, h.base, 'script'));
        b.runScript(hs, frame, false);
      }
    }
  }
  return b.process;
}


/** Images of other services (proxies, databases, front-end builds): never the Django process. */
const SERVICE_IMAGE = /^(?:[\w.-]+\/)?(?:library\/)?(nginx|nginx-unprivileged|openresty|caddy|httpd|traefik|haproxy|envoy|postgres|postgis|redis|valkey|mysql|mariadb|memcached|rabbitmq|node|elasticsearch|opensearch|minio|mongo)(?:[:@]|$)/i;

/** Is this image built on another service's image (`FROM nginx:1.27`), so not a Django target? */
export function isServiceImage(image: ImageModel): boolean {
  if (SERVICE_IMAGE.test(image.stages[0].from.image)) return true;
  // An image of its own that starts a database, cache or proxy (`CMD ["postgres"]`).
  const first = (p: DfPlaced | null) => (p && p.form === 'exec' && p.words.length > 0 ? path.posix.basename(p.words[0].raw.replace(/^["']|["']$/g, '')) : null);
  return [first(image.cmd), first(image.entrypoint)].some((w) => w !== null && SERVICE_PROGRAM.test(w));
}

/** Programs of other services, started by an image's CMD/ENTRYPOINT. */
const SERVICE_PROGRAM = /^(postgres|postmaster|redis-server|valkey-server|mysqld|mariadbd|mongod|memcached|nginx|openresty|caddy|httpd|apache2-foreground|haproxy|traefik|envoy|rabbitmq-server|minio)$/;

/**
 * The images of the repository's Dockerfiles that copy the repo file `file` in (itself, or a
 * folder that holds it), each built from its usual context (src/model/targets/image-source.ts,
 * `guessContext`). A configuration linted as its own target (a supervisord file) reads absolute
 * paths through such an image: `/usr/local/bin/app` is what the same Dockerfile copied there.
 */
export function imagesHolding(project: Project, file: string, contextOf: (dockerfile: string) => string): ImageModel[] {
  const out: ImageModel[] = [];
  for (const df of project.repo.select(DOCKERFILES)) {
    const parsed = parsedDockerfile(project, df);
    if (!parsed) continue;
    if (!parsed.stages.some((st) => st.copies.length > 0)) continue;
    const base = path.posix.basename(file);
    const context = contextOf(df);
    const image = imageModel(project, df, context, null);
    if (!image) continue;
    const holds = image.steps.some((s) => {
      if (s.kind !== 'copy' || !s.copy || s.copy.from || !s.inImage) return false;
      return s.copy.sources.some((src) => {
        if (src.value.startsWith('<<')) return false;
        const rel = normPath(path.posix.join(context, src.value));
        if (rel === file) return true;
        if (/[*?[]/.test(src.value)) return path.posix.dirname(rel) === path.posix.dirname(file) && fileGlob(path.posix.basename(rel))(base);
        return (rel === '' || project.repo.hasDir(rel)) && (rel === '' || file.startsWith(rel + '/'));
      });
    });
    if (holds) out.push(image);
  }
  return out;
}
