/**
 * Which Dockerfile of the repository builds an image named by reference (`image: acme/shop:1.2`
 * in compose, a Kubernetes container's `image:`). Read once per run from what tags images:
 *
 * 1. a compose service that builds and tags it (`build:` with `image:`, also across an override
 *    file that adds `build:` to the base file's service);
 * 2. a CI workflow or a Makefile that runs `docker build -t NAME [-f FILE] CONTEXT` (also
 *    `docker buildx build`, `podman build`), or a GitHub Actions `docker/build-push-action`
 *    step (`tags:`, `file:`, `context:`);
 * 3. otherwise the repository's only production Dockerfile, when the image's name is the
 *    repository's or the project's (its folder, its package name, its Django project package).
 *
 * Names are compared without registry host, tag or digest (`docker.io/acme/shop:1.2` is
 * `acme/shop`); a tag name written with variables is compared on its literal part only when
 * that leaves a whole name. Nothing is guessed when two Dockerfiles claim the same name.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { isMap, isSeq, isScalar, parseAllDocuments } from 'yaml';
import type { Node as YNode } from 'yaml';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { COMPOSE_FILES, overriddenFile, parsedCompose, serviceDockerfile } from './compose-files.js';
import { DOCKERFILES, imageModel, isServiceImage, parsedDockerfile } from './image.js';
import { normPath } from '../../core/paths.js';

export interface ImageSource {
  dockerfile: string;
  context: string;
  target: string | null;
  /** How the link was made, for messages: `tagged by docker-compose.yml (service web)`. */
  how: string;
  /** The file and line that tag the image (a compose service, a workflow step), when one does. */
  at: { file: string; line: number } | null;
}

/** Files that build and tag images: CI configurations and Makefiles. */
export const IMAGE_BUILDERS: FileSelector = {
  name: 'image build configuration',
  prefixes: ['makefile', '.gitlab-ci', 'gnumakefile'],
  dir: (d) => d === '.github/workflows',
  test: (f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f) || /(^|\/)(GNUmakefile|Makefile|makefile)$/.test(f) || /(^|\/)\.gitlab-ci\.ya?ml$/.test(f),
};

/** `docker.io/acme/shop:1.2@sha256:…` → `acme/shop` (lower case); null when nothing literal is left. */
export function imageName(ref: string): string | null {
  let r = ref.trim().replace(/^["']|["']$/g, '');
  r = r.replace(/@sha256:[0-9a-f]+$/i, '');
  // A tag is after the last `:` that follows the last `/`.
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  const parts = r.split('/');
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length === 2) parts.shift();
  const name = parts.join('/').toLowerCase();
  if (name === '' || /[${}\s]/.test(name)) return null;
  return name;
}

/** The tag of a reference (`latest` when none is written); null when it is written with variables. */
function imageTag(ref: string): string | null {
  const r = ref.trim().replace(/^["']|["']$/g, '').replace(/@sha256:[0-9a-f]+$/i, '');
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  const tag = colon > slash ? r.slice(colon + 1) : 'latest';
  return /[${}\s]/.test(tag) ? null : tag;
}

interface Index {
  /** By full name (`acme/shop`), with the tag each source gives it (null: unknown). */
  byName: Map<string, { tag: string | null; src: ImageSource }[]>;
  /** The build contexts CI and Makefiles give each Dockerfile (tagged or not). */
  contexts: Map<string, Set<string>>;
  /** Dockerfiles whose image a CI workflow or Makefile pushes to a registry, and where. */
  pushed: Map<string, { file: string; line: number }>;
}

function add(idx: Index, ref: string, src: ImageSource): void {
  const name = imageName(ref);
  if (!name) return;
  const tag = imageTag(ref);
  const list = idx.byName.get(name) ?? [];
  if (!list.some((x) => x.tag === tag && x.src.dockerfile === src.dockerfile && x.src.target === src.target)) list.push({ tag, src });
  idx.byName.set(name, list);
}

/** One Dockerfile among the candidates (all the same file and stage), or null. */
function single(list: { src: ImageSource }[]): ImageSource | null {
  if (list.length === 0) return null;
  const a = list[0].src;
  return list.every((x) => x.src.dockerfile === a.dockerfile && x.src.target === a.target) ? a : null;
}

function buildIndex(project: Project): Index {
  const idx: Index = { byName: new Map(), contexts: new Map(), pushed: new Map() };
  const repo = project.repo;
  // 1. Compose services that build and tag.
  for (const file of repo.select(COMPOSE_FILES)) {
    const parsed = parsedCompose(project, file);
    if (!parsed?.isCompose) continue;
    const base = overriddenFile(project, file);
    const baseServices = base ? (parsedCompose(project, base)?.services ?? []) : [];
    for (const s of parsed.services) {
      if (!s.build) continue;
      const image = s.image ?? baseServices.find((b) => b.name === s.name)?.image ?? null;
      if (!image) continue;
      const built = serviceDockerfile(project, file, s);
      if (!built) continue;
      add(idx, image.value, { dockerfile: built.dockerfile, context: built.context, target: s.build.target, how: `built and tagged by ${file} (service \`${s.name}\`)`, at: { file, line: s.nameLoc.line } });
    }
  }
  // 2. CI workflows and Makefiles.
  for (const file of repo.select(IMAGE_BUILDERS)) {
    const text = repo.text(file);
    if (text === null || !/build/.test(text)) continue;
    // `docker push` anywhere in the file pushes what it builds and tags.
    const pushLine = text.split('\n').findIndex((l) => /\b(docker|podman)\s+(image\s+)?push\b/.test(l));
    const workflow = /^\.github\/workflows\//.test(file);
    const lines = workflow ? withWorkflowEnv(text) : text;
    for (const b of dockerBuildLines(lines)) {
      const wd = workflow ? workingDirectory(text, b.line) : null;
      addBuild(project, idx, file, b.line, b.tags, b.file, b.context, b.push ? b.line : pushLine >= 0 && b.tags.length > 0 ? pushLine + 1 : null, wd);
    }
    if (/^\.github\/workflows\//.test(file) && text.includes('build-push-action')) {
      for (const b of buildPushSteps(text)) addBuild(project, idx, file, b.line, b.tags, b.file, b.context, b.push ? b.line : null);
    }
  }
  return idx;
}

function addBuild(project: Project, idx: Index, file: string, line: number, tags: string[], dockerfileArg: string | null, contextArg: string | null, pushAt: number | null, workDir: string | null = null): void {
  // Paths in CI and Makefiles are relative to the repository root (a Makefile: to its folder; a
  // workflow step: to its `working-directory`).
  const dir = /(^|\/)(GNU)?[Mm]akefile$/.test(file) ? (path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file)) : workDir && !/[${}]/.test(workDir) ? normPath(workDir) : '';
  if (dir.startsWith('..')) return;
  const ctxRaw = contextArg && !/^(https?|git):/.test(contextArg) && !/[${}]/.test(contextArg) ? contextArg : '.';
  const context = normPath(path.posix.join(dir, ctxRaw));
  if (context.startsWith('..')) return;
  let dockerfile: string;
  if (dockerfileArg && !/[${}]/.test(dockerfileArg)) {
    // `-f` is relative to the current folder; `file:` of the action too (not to the context).
    dockerfile = normPath(path.posix.join(dir, dockerfileArg));
    if (!project.repo.has(dockerfile)) dockerfile = normPath(path.posix.join(context, dockerfileArg));
  } else dockerfile = normPath(path.posix.join(context, 'Dockerfile'));
  if (!project.repo.has(dockerfile)) return;
  const set = idx.contexts.get(dockerfile) ?? new Set<string>();
  set.add(context);
  idx.contexts.set(dockerfile, set);
  if (pushAt !== null && !idx.pushed.has(dockerfile)) idx.pushed.set(dockerfile, { file, line: pushAt });
  for (const t of tags) add(idx, t, { dockerfile, context, target: null, how: `built and tagged by ${file}:${line}`, at: { file, line } });
}

/**
 * A workflow with its `${{ env.NAME }}` expressions replaced by the literal values its `env:`
 * blocks give NAME (one value only; an expression or two different values leave it alone).
 * Lines keep their places.
 */
export function withWorkflowEnv(text: string): string {
  const values = new Map<string, string | null>();
  const lines = text.split('\n');
  let envIndent = -1;
  for (const l of lines) {
    const indent = l.length - l.trimStart().length;
    if (/^\s*env\s*:\s*$/.test(l)) {
      envIndent = indent;
      continue;
    }
    if (envIndent < 0 || l.trim() === '' || l.trim().startsWith('#')) continue;
    if (indent <= envIndent) {
      envIndent = -1;
      continue;
    }
    const m = /^\s*([A-Za-z_][\w-]*)\s*:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/.exec(l);
    if (!m) continue;
    const v = m[2].includes('${{') ? null : m[2];
    values.set(m[1], values.has(m[1]) && values.get(m[1]) !== v ? null : v);
  }
  return text.replace(/\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}/g, (all, n: string) => values.get(n) ?? all);
}

/**
 * The `working-directory` a workflow's `run:` at `line` runs in: its step's own, else its job's
 * `defaults.run.working-directory`; null when neither is written.
 */
export function workingDirectory(text: string, line: number): string | null {
  const lines = text.split('\n');
  let stepIndent = -1;
  for (let i = line - 1; i >= 0; i--) {
    const l = lines[i];
    const indent = l.length - l.trimStart().length;
    const wd = /^\s*-?\s*working-directory\s*:\s*["']?([^"'\s#]+)/.exec(l);
    if (stepIndent < 0 && /^\s*-\s/.test(l)) {
      stepIndent = indent;
      if (wd) return wd[1];
      continue;
    }
    if (wd && stepIndent < 0) return wd[1];
    if (stepIndent >= 0 && /^\s*steps\s*:/.test(l)) {
      // The job's defaults, written before its steps.
      for (let j = i - 1; j >= 0 && !/^\s{0,2}[\w-]+\s*:\s*$/.test(lines[j]); j--) {
        const d = /^\s*working-directory\s*:\s*["']?([^"'\s#]+)/.exec(lines[j]);
        if (d) return d[1];
      }
      return null;
    }
  }
  return null;
}

/** `docker build`/`docker buildx build`/`podman build` command lines (continuations joined). */
export function dockerBuildLines(text: string): { line: number; tags: string[]; file: string | null; context: string | null; push: boolean }[] {
  const out: { line: number; tags: string[]; file: string | null; context: string | null; push: boolean }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/\b(docker|podman)\s+(buildx\s+)?build\b/.test(lines[i])) continue;
    let joined = lines[i];
    let j = i;
    while (/\\\s*$/.test(joined) && j + 1 < lines.length) joined = joined.replace(/\\\s*$/, ' ') + lines[++j];
    const m = /\b(?:docker|podman)\s+(?:buildx\s+)?build\b(.*)$/.exec(joined);
    if (!m) continue;
    const words = (m[1].split(/&&|\|\||;|\||#/)[0].match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
    const tags: string[] = [];
    let file: string | null = null;
    const positional: string[] = [];
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      if (w === '-t' || w === '--tag') tags.push(words[++k] ?? '');
      else if (w.startsWith('--tag=')) tags.push(w.slice(6));
      else if (w === '-f' || w === '--file') file = words[++k] ?? null;
      else if (w.startsWith('--file=')) file = w.slice(7);
      else if (/^--(build-arg|target|platform|label|cache-from|cache-to|secret|ssh|network|output|progress|builder|iidfile|add-host|shm-size)$/.test(w) || /^-[o]$/.test(w)) k++;
      else if (!w.startsWith('-')) positional.push(w);
    }
    out.push({ line: i + 1, tags: tags.filter((t) => t !== ''), file, context: positional[0] ?? null, push: words.includes('--push') });
    i = j;
  }
  return out;
}

/** GitHub Actions steps that use `docker/build-push-action`: their `tags:`, `file:` and `context:`. */
export function buildPushSteps(text: string): { line: number; tags: string[]; file: string | null; context: string | null; push: boolean }[] {
  const out: { line: number; tags: string[]; file: string | null; context: string | null; push: boolean }[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return out;
  }
  const lineAt = (off: number) => text.slice(0, off).split('\n').length;
  // `docker/metadata-action` steps (`id:` → `images:`): what `${{ steps.<id>.outputs.tags }}` names.
  const meta = new Map<string, string[]>();
  const visit = (n: unknown, depth: number): void => {
    if (depth > 12 || !n) return;
    if (isSeq(n)) for (const it of n.items) visit(it, depth + 1);
    if (!isMap(n)) return;
    const get = (m: unknown, k: string): YNode | null => (isMap(m) ? ((m.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as YNode | null) ?? null) : null);
    const uses = get(n, 'uses');
    if (isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith('docker/metadata-action')) {
      const id = get(n, 'id');
      const images = get(get(n, 'with'), 'images');
      const raw = isScalar(images) && images.value !== null ? String(images.value) : isSeq(images) ? images.items.map((x) => (isScalar(x) ? String(x.value) : '')).join('\n') : '';
      // Names written literally, or as quoted literals inside a `${{ }}` expression.
      const names = raw.split(/\n|,/).flatMap((l) => (l.includes('${{') ? [...l.matchAll(/'([\w./-]+\/[\w.-]+)'/g)].map((m) => m[1]) : [l.replace(/^\s*name=/, '').split(',')[0].trim()])).filter((x) => x && !x.includes('$'));
      if (isScalar(id) && names.length > 0) meta.set(String(id.value), names);
      return;
    }
    if (isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith('docker/build-push-action')) {
      const w = get(n, 'with');
      const str = (k: string) => {
        const v = get(w, k);
        return isScalar(v) && v.value !== null ? String(v.value) : null;
      };
      const tagNode = get(w, 'tags');
      const tags = isSeq(tagNode)
        ? tagNode.items.map((x) => (isScalar(x) ? String(x.value) : '')).filter(Boolean)
        : (str('tags') ?? '').split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
      for (const t of [...tags]) {
        const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}$/.exec(t);
        if (m) tags.push(...(meta.get(m[1]) ?? []).map((x) => `${x}:\${unknown}`));
      }
      const push = str('push');
      out.push({ line: lineAt(uses.range?.[0] ?? 0), tags, file: str('file'), context: str('context'), push: push !== null && push !== 'false' });
      return;
    }
    for (const p of n.items) visit(p.value, depth + 1);
  };
  for (const d of Array.isArray(docs) ? docs : [docs]) visit(d.contents, 0);
  return out;
}

/** Names the repository or project goes by: its folder, package names, its Django project package. */
function projectNames(project: Project): Set<string> {
  const repo = project.repo;
  const names = new Set<string>();
  names.add(path.basename(repo.root).toLowerCase());
  const text = (f: string) => (repo.has(f) ? repo.text(f) : null);
  const py = text('pyproject.toml');
  const m1 = py ? /^\s*name\s*=\s*["']([^"']+)["']/m.exec(py) : null;
  if (m1) names.add(m1[1].toLowerCase());
  const setup = text('setup.py');
  const m2 = setup ? /\bname\s*=\s*["']([^"']+)["']/.exec(setup) : null;
  if (m2) names.add(m2[1].toLowerCase());
  const cfg = text('setup.cfg');
  const m3 = cfg ? /^\s*name\s*=\s*(\S+)/m.exec(cfg) : null;
  if (m3) names.add(m3[1].toLowerCase());
  for (const f of [...repo.named('wsgi.py'), ...repo.named('asgi.py')]) {
    const d = path.posix.dirname(f);
    if (d !== '.') names.add(path.posix.basename(d).toLowerCase());
  }
  for (const n of [...names]) names.add(n.replace(/_/g, '-'));
  return names;
}

/** The repository's only production Dockerfile that runs a Django image (not a proxy's or a database's). */
function onlyProductionDockerfile(project: Project): string | null {
  return project.cached('image-source:only-dockerfile', () => {
    const prod = project.repo.select(DOCKERFILES).filter((f) => {
      if (!judge(f).production) return false;
      const image = imageModel(project, f, guessContext(project, f), null);
      return image !== null && !isServiceImage(image);
    });
    return prod.length === 1 ? prod[0] : null;
  });
}

/** The build context a CI workflow or Makefile builds `dockerfile` with, when they agree on one. */
export function ciContext(project: Project, dockerfile: string): string | null {
  const idx = project.cached('image-source:index', () => buildIndex(project));
  const set = idx.contexts.get(dockerfile);
  return set && set.size === 1 ? [...set][0] : null;
}

/**
 * Where the repository publishes the image a Dockerfile builds: a CI workflow or Makefile that
 * pushes it, or a README/docs page that tells users to `docker run` it. Null when nothing does.
 */
export function publishedAt(project: Project, dockerfile: string): { file: string; line: number; what: string } | null {
  const idx = project.cached('image-source:index', () => buildIndex(project));
  const pushed = idx.pushed.get(dockerfile);
  if (pushed) return { ...pushed, what: 'pushes the image to a registry' };
  for (const f of project.repo.select(USER_DOCS).slice(0, 40)) {
    const text = project.repo.text(f);
    if (text === null || !text.includes('docker run')) continue;
    const line = text.split('\n').findIndex((l) => /\bdocker run\b/.test(l) && !/docker run\b.*\bpython manage\.py\b/.test(l));
    if (line >= 0) return { file: f, line: line + 1, what: 'tells users to `docker run` the image' };
  }
  return null;
}

/** The CI workflow or Makefile that builds a Dockerfile and pushes its image, or null. */
export function ciPushesImage(project: Project, dockerfile: string): string | null {
  return project.cached('image-source:index', () => buildIndex(project)).pushed.get(dockerfile)?.file ?? null;
}

/** READMEs and the documentation's pages, where users are told how to run the image. */
export const USER_DOCS: FileSelector = {
  name: 'user documentation',
  prefixes: ['readme', 'install', 'deploy'],
  dir: (d) => d === 'docs' || d === 'doc',
  test: (f) => /^(readme|install|deploy)[^/]*$/i.test(f) || /^docs?\/[^/]+\.(md|rst|txt|markdown)$/i.test(f),
};

/**
 * The Dockerfile that builds the image `ref`, or null when none (or several) do. `within`: the
 * compose file that runs it; a service of that same file that builds and tags the image is what
 * `docker compose up` builds, so it wins over CI or another file tagging the same name.
 */
export function imageSource(project: Project, ref: string, within?: string): ImageSource | null {
  const name = imageName(ref);
  if (!name) return null;
  const idx = project.cached('image-source:index', () => buildIndex(project));
  const hit = idx.byName.get(name);
  if (hit) {
    // The same tag first (`acme/shop:worker` and `acme/shop:web` from two Dockerfiles), then a
    // tag nobody else claims, then the name alone.
    const tag = imageTag(ref);
    const sameFile = within ? hit.filter((h) => h.src.at?.file === within && (h.tag === tag || h.tag === null || tag === null)) : [];
    if (sameFile.length > 0) return single(sameFile);
    const sameTag = hit.filter((h) => h.tag !== null && h.tag === tag);
    return single(sameTag) ?? (sameTag.length === 0 ? single(hit.filter((h) => h.tag === null || tag === null)) ?? single(hit) : null);
  }
  const last = name.split('/').pop()!;
  const names = project.cached('image-source:names', () => projectNames(project));
  if (!names.has(last) && !names.has(name.replace('/', '-'))) return null;
  const only = onlyProductionDockerfile(project);
  if (!only) return null;
  return { dockerfile: only, context: guessContext(project, only), target: null, how: `the repository's only production Dockerfile, and \`${last}\` is the project's name`, at: null };
}

/**
 * A Helm chart's container whose `image:` is only a chart value (`{{ .Values.image }}`, set at
 * install time with `--set image=…`): the chart ships with the app, so the image is the
 * repository's only production Dockerfile when there is exactly one; null otherwise.
 */
export function chartValueImage(project: Project, expr: string): ImageSource | null {
  const only = onlyProductionDockerfile(project);
  if (!only) return null;
  return { dockerfile: only, context: guessContext(project, only), target: null, how: `the chart's \`${expr.trim()}\` is set at install time; the repository's only production Dockerfile`, at: null };
}

/**
 * The build context of a Dockerfile built on its own: its folder, unless its COPY sources only
 * make sense from the repository root (`docker build -f docker/Dockerfile .`).
 */
export function guessContext(project: Project, file: string): string {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  if (dir === '') return '';
  // The context a CI workflow or Makefile builds it with, when one does.
  const ci = ciContext(project, file);
  if (ci !== null) return ci;
  const parsed = parsedDockerfile(project, file);
  const sources = (parsed?.stages ?? []).flatMap((s) => s.copies.filter((c) => !c.from).flatMap((c) => c.sources.map((x) => x.value)));
  const named = sources.filter((s) => s !== '.' && s !== './' && !s.startsWith('<<') && !/[*?[]/.test(s));
  const exists = (ctx: string) => named.filter((s) => {
    const rel = path.posix.normalize(path.posix.join(ctx, s)).replace(/\/$/, '').replace(/^\.$/, '');
    return project.repo.has(rel) || project.repo.hasDir(rel);
  }).length;
  return exists('') > exists(dir) ? '' : dir;
}

