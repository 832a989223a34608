/**
 * What each production target installs (the facts behind DPL103 server-not-installed and the
 * fixes that start a server, see docs/architecture.md "Layers"):
 * - procfile: the declarations of the Procfile's folder that a Heroku-style buildpack installs
 *   (requirements.txt and its includes, Pipfile/Pipfile.lock, pyproject.toml with its lock,
 *   setup.py/cfg); a development group does not count, everything requirements.txt pulls in does;
 * - dockerfile / compose: what the RUN instructions of every stage reaching the final image
 *   install (builder stages copied in with `COPY --from` included), in build order;
 * - systemd: every dependency file of the repository (the host install is not visible).
 * Whenever the evidence is incomplete the answer says so, and nothing missing is claimed.
 */
import * as path from 'node:path';
import type { FileSelector, Repo } from '../discover/repo.js';
import { repoDeclarations, rootDeclarations, suggestAddition, type Declared } from '../deps/declarations.js';
import { installsFromCommands } from '../deps/installs.js';
import { findProvider, packagesForServer } from '../deps/packages.js';
import { imageModel, stageChain, type BuildStep, type ImageModel } from '../model/targets/image.js';
import type { Project } from '../model/project.js';
import { resolvePosix } from '../model/paths.js';
import type { FixNeeds } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { ResolvedCommand, ServerKind, Target } from '../model/types.js';
import { YamlDoc } from '../parse/yaml-doc.js';
import { appRootMapper } from '../model/targets/procfile.js';
import { FactKey, fact } from './fact.js';
import { normPath } from '../core/paths.js';

const EVIDENCE = new FactKey<Evidence | Unknown>('what a target installs (per target id)');
const REPO_DECLARATIONS = new FactKey<ReturnType<typeof repoDeclarations>>('the dependency declarations of the repository');
const PROVISIONED = new FactKey<Declared[]>('servers installed by provisioning files');

/** What a target has installed, or why it cannot be known. */
export interface Evidence {
  /** Packages that count as installed for production. */
  installed: Declared[];
  /** Packages seen but not installed for production (dev groups, files the image skips). */
  elsewhere: Declared[];
  /** Dependency files read (for the message and the fix). */
  files: string[];
  /** `requirements.txt, which Heroku installs` / `the RUN instructions of Dockerfile`. */
  where: string;
  /** Short name of the installer for "which … does not install". */
  installer: string;
  image: boolean;
  /** The declarations could not be read completely: a missing server is not claimed. */
  incomplete?: string;
}

export type Unknown = { unknown: string };

/**
 * For a fix that starts `kind` in target `t` (DPL101's `gunicorn …`): null when the target
 * already installs its package, what to add otherwise, `unknown` when what the target installs
 * cannot be read completely.
 */
export function fixNeedsFor(repo: Repo, project: Project, t: Target, kind: ServerKind): FixNeeds | null | 'unknown' {
  const reqs = packagesForServer(kind);
  if (reqs.length === 0) return null;
  const ev = evidenceFor(project, t);
  if ('unknown' in ev || ev.incomplete) return 'unknown';
  const missing = reqs.find((alts) => !provided(ev, alts));
  if (!missing) return null;
  const pkg = missing[0];
  const files = ev.files.length > 0 ? ev.files : [];
  const s = ev.image ? null : suggestAddition(repo, files, pkg);
  return s ? { package: pkg, file: s.file, section: s.section, text: s.text } : { package: pkg, file: null, section: null, text: pkg };
}

export function provided(ev: Evidence, alts: string[]): boolean {
  // Everything in `installed` counts (an image's dev group is in the image all the same).
  const f = findProvider(ev.installed, alts);
  return f.prod !== null || f.dev !== null;
}

/** What a target installs (exported for tests): packages that count, or why it is unknown. */
export function evidenceFor(project: Project, t: Target): Evidence | Unknown {
  return fact(project, EVIDENCE, () => {
    switch (t.kind) {
      case 'procfile':
        return procfileEvidence(project, t);
      // A Makefile recipe runs on a host like a unit, and so does an ini no target loads (the
      // uWSGI Emperor or a service runs it).
      case 'systemd':
      case 'makefile':
      case 'uwsgi-ini':
        return systemdEvidence(project, t);
      case 'dockerfile':
      case 'compose':
        return imageEvidence(project, t);
      default:
        // Any other descriptor that builds an image from the repository (fly.toml, render.yaml
        // `runtime: docker`, heroku.yml, railway's Dockerfile builder, App Engine `custom`).
        if (t.facts.dockerfile) return imageEvidence(project, t);
        return platformEvidence(project, t);
    }
  }, t.id);
}

/**
 * Buildpack-like platforms without a Dockerfile: what the platform installs from the app's
 * root and what the build commands install. supervisord, Kubernetes, heroku.yml
 * and app.json targets without an image stay unknown (a host, or an image not in the repo).
 */
function platformEvidence(project: Project, t: Target): Evidence | Unknown {
  const dir = path.posix.dirname(t.file) === '.' ? '' : path.posix.dirname(t.file);
  switch (t.kind) {
    case 'render': {
      // A native runtime installs only what `buildCommand` installs.
      const app = renderRootDir(project, t) ?? dir;
      const build = buildEvidence(project, t, app);
      if ('unknown' in build) return build;
      if (build.packages.length === 0 && build.files.length === 0) return { unknown: 'the build command installs nothing that could be read' };
      return combine(project, build, null, `which the build command of ${t.file} installs`, 'the build command');
    }
    case 'app-engine': {
      // The standard and flexible Python runtimes install the app folder's requirements.txt.
      const req = dir ? `${dir}/requirements.txt` : 'requirements.txt';
      if (!project.repo.has(req)) return { unknown: `${req} is absent; App Engine's install is not known` };
      const d = rootDeclarations(project.repo, dir, project);
      const viaReq = (x: Declared) => x.loc.file === req || x.via[0] === req;
      const installed = d.packages.filter(viaReq);
      const elsewhere = d.packages.filter((x) => !viaReq(x));
      // Without `entrypoint:` App Engine adds gunicorn to requirements.txt itself (Google's
      // runtime docs); with one, the server must be declared there.
      const def = t.processes.flatMap((p) => p.servers).find((s) => s.at.command.text.includes('(App Engine default)'));
      if (def) installed.push({ name: 'gunicorn', raw: 'gunicorn (added by App Engine for the default entrypoint)', loc: def.at.command.loc, group: 'main', dev: false, via: [] });
      return {
        installed,
        elsewhere,
        files: [req],
        where: `${req}, which App Engine installs`,
        installer: 'App Engine',
        image: false,
        ...(d.unresolved.length > 0 ? { incomplete: d.unresolved[0].message } : {}),
      };
    }
    case 'platform-sh':
    case 'upsun': {
      const info = platformShInfo(project, t, dir);
      const build = buildEvidence(project, t, info.dir);
      if ('unknown' in build) return build;
      const root = info.flavorNone ? null : rootEvidence(project, info.dir);
      if (root && 'unknown' in root && build.packages.length === 0) return root;
      if (!root && build.packages.length === 0 && build.files.length === 0 && info.global.length === 0) return { unknown: 'hooks.build installs nothing that could be read' };
      const ev = combine(project, build, root && !('unknown' in root) ? root : null, root && !('unknown' in root) ? `which ${t.kind === 'upsun' ? 'Upsun' : 'Platform.sh'} installs (the app root and hooks.build)` : 'which hooks.build installs', 'Platform.sh');
      if ('unknown' in ev) return ev;
      if (info.global.length > 0) ev.installed = [...ev.installed, ...info.global];
      return ev;
    }
    case 'railway':
    case 'nixpacks': {
      const nix = project.repo.text(dir ? `${dir}/nixpacks.toml` : 'nixpacks.toml');
      // `[phases.install] cmds` replace the Python provider's own install.
      const ownInstall = nix !== null && /^\s*\[phases\.install\]/m.test(nix) && /^\s*cmds\s*=/m.test(nix.split(/^\s*\[phases\.install\]/m)[1].split(/^\s*\[/m)[0]);
      const other = ['Aptfile', 'railpack.json', '.buildpacks', 'project.toml'].find((n) => project.repo.has(dir ? `${dir}/${n}` : n));
      if (other) return { unknown: `${other} changes how the app is built` };
      if (nix !== null && /^\s*(aptPkgs|nixPkgs|nixLibs|pkgs)\s*=|\bproviders\s*=/m.test(nix) && !ownInstall) return { unknown: 'nixpacks.toml adds packages or providers' };
      const build = buildEvidence(project, t, dir);
      if ('unknown' in build) return build;
      const root = ownInstall ? null : rootEvidence(project, dir);
      if (root && 'unknown' in root) return root;
      if (!root && build.packages.length === 0 && build.files.length === 0) return { unknown: 'the build commands install nothing that could be read' };
      return combine(project, build, root, ownInstall ? 'which the build commands install (nixpacks.toml replaces the install phase)' : `the dependency files ${t.kind === 'railway' ? 'Railway' : 'Nixpacks'} installs at the app root`, t.kind === 'railway' ? 'Railway' : 'Nixpacks');
    }
    default:
      return { unknown: `what a ${t.kind} target installs is not visible in the repository` };
  }
}

interface BuildInstalls {
  packages: Declared[];
  files: string[];
}

/** What the target's build processes install, read like the RUN instructions of an image. */
function buildEvidence(project: Project, t: Target, dir: string): BuildInstalls | Unknown {
  const build = t.processes.filter((p) => p.role === 'build');
  if (build.some((p) => p.unresolved.length > 0)) return { unknown: build.find((p) => p.unresolved.length > 0)!.unresolved[0].message };
  const mapper = appRootMapper(project, dir);
  const toRepo = (p: string, cwd: string | null) => mapper.toRepo(p, cwd);
  const commands: { words: string[]; loc: Location }[] = [];
  let lastCwd: string | null | undefined;
  const all = build.flatMap((p) => p.commands);
  const followed = new Set(all.flatMap((rc) => rc.chain.map((c) => c.file)));
  for (const rc of all) {
    if (rc.args.length === 0) continue;
    const w0 = rc.args[0];
    if (w0.value === null) return { unknown: `\`${w0.text}\` (line ${rc.command.loc.line}) is chosen at run time` };
    if (rc.args.slice(0, 2).some((a) => a.value !== null && TOOL_INSTALLER.test(path.posix.basename(a.value)))) continue;
    const unfollowed = unfollowedScript(rc, toRepo);
    if (unfollowed) return { unknown: unfollowed };
    // A script from the repository that the model followed: its own commands are read instead.
    const script = scriptOf(rc);
    const file = script ? toRepo(script, rc.cwd) : null;
    if (file && followed.has(file)) continue;
    if (rc.cwd !== lastCwd) {
      commands.push({ words: ['cd', rc.cwd ?? '$UNKNOWN'], loc: rc.command.loc });
      lastCwd = rc.cwd;
    }
    commands.push({ words: rc.args.map((a) => a.value ?? a.text), loc: rc.command.loc });
  }
  const ev = installsFromCommands(project.repo, commands, toRepo, null, project);
  if (ev.unknown) return { unknown: ev.unknownAt[0]?.message ?? 'an install could not be read' };
  return { packages: ev.packages, files: ev.files };
}

/** The root declarations a Heroku-style Python provider installs, read like a Procfile's. */
function rootEvidence(project: Project, dir: string): Evidence | Unknown {
  const d = rootDeclarations(project.repo, dir, project);
  if (d.files.length === 0) return { unknown: 'no dependency file at the app root' };
  const req = dir ? `${dir}/requirements.txt` : 'requirements.txt';
  const viaReq = (x: Declared) => x.loc.file === req || x.via[0] === req;
  const installed = d.packages.filter((x) => !x.dev || viaReq(x));
  return {
    installed,
    elsewhere: d.packages.filter((x) => !installed.includes(x)),
    files: d.files,
    where: '',
    installer: '',
    image: false,
    ...(d.unresolved.length > 0 ? { incomplete: d.unresolved[0].message } : {}),
  };
}

function combine(project: Project, build: BuildInstalls, root: Evidence | null, where: string, installer: string): Evidence {
  const files = [...new Set([...(root?.files ?? []), ...build.files])];
  const installed = [...(root?.installed ?? []), ...build.packages];
  const all = root ? [...root.installed, ...root.elsewhere] : fact(project, REPO_DECLARATIONS, () => repoDeclarations(project.repo, project)).packages;
  return {
    installed,
    elsewhere: all.filter((d) => !installed.some((p) => p.name === d.name)),
    files,
    where: files.length > 0 ? `${fileList(files)}, ${where}` : `the packages ${where.replace(/^which /, '')}`,
    installer,
    image: false,
    ...(root?.incomplete ? { incomplete: root.incomplete } : {}),
  };
}

/** The shell script a command runs (`./build.sh`, `bash scripts/build.sh`), when it runs one. */
function scriptOf(rc: ResolvedCommand): string | null {
  const v = rc.args[0].value;
  if (v === null) return null;
  if (/\.(sh|bash)$/.test(v) || v.startsWith('./')) return v;
  if (/^(sh|bash|dash|ash|zsh)$/.test(path.posix.basename(v))) {
    const s = rc.args.slice(1).find((a) => !(a.value ?? '').startsWith('-'));
    return s?.value ?? null;
  }
  return null;
}

/** The `rootDir` of a render.yaml service (the folder its commands run in). */
function renderRootDir(project: Project, t: Target): string | null {
  const text = project.repo.text(t.file);
  if (text === null) return null;
  const name = t.id.slice(t.id.indexOf('#') + 1);
  const y = new YamlDoc(text, t.file);
  const dir = path.posix.dirname(t.file) === '.' ? '' : path.posix.dirname(t.file);
  for (const s of y.items(y.get(y.root, 'services'))) {
    if ((y.str(y.get(s, 'name')) ?? 'service') !== name) continue;
    const r = y.str(y.get(s, 'rootDir'));
    return r ? normPath(path.posix.join(dir, r)) : dir;
  }
  return null;
}

/** Platform.sh: the app folder, `build.flavor: none`, and `dependencies.python3` (installed globally). */
function platformShInfo(project: Project, t: Target, dir: string): { dir: string; flavorNone: boolean; global: Declared[] } {
  const text = project.repo.text(t.file) ?? '';
  const y = new YamlDoc(text, t.file);
  // Upsun (`.upsun/config.yaml`): the app is `applications.<name>`, `source.root` is from the repo root.
  const upsun = t.kind === 'upsun';
  const app = upsun ? y.get(y.get(y.root, 'applications'), t.id.slice(t.id.indexOf('#') + 1)) : y.root;
  if (upsun) dir = path.posix.dirname(dir) === '.' ? '' : path.posix.dirname(dir);
  const src = y.str(y.get(app, 'source_root')) ?? y.str(y.get(y.get(app, 'source'), 'root'));
  const flavor = y.str(y.get(y.get(app, 'build'), 'flavor'));
  const global: Declared[] = [];
  for (const lang of y.pairs(y.get(app, 'dependencies'))) {
    if (!/^python/.test(lang.key)) continue;
    for (const p of y.pairs(lang.value)) {
      const loc = y.loc(p.keyNode);
      global.push({ name: p.key.toLowerCase().replace(/[-_.]+/g, '-'), raw: p.key, loc, group: 'main', dev: false, via: [] });
    }
  }
  return { dir: src ? normPath(path.posix.join(dir, src.replace(/^\/+/, '') || '.')) : dir, flavorNone: flavor === 'none', global };
}

/** Heroku's Python buildpack installs the dependency files of the app's root (the Procfile's folder). */
function procfileEvidence(project: Project, t: Target): Evidence | Unknown {
  const repo = project.repo;
  const dir = path.posix.dirname(t.file) === '.' ? '' : path.posix.dirname(t.file);
  const at = (n: string) => (dir ? `${dir}/${n}` : n);
  // A Dockerfile (Dokku, Scalingo, heroku.yml) or extra buildpacks build the app some other way.
  for (const n of ['Dockerfile', 'Containerfile', 'heroku.yml', 'Aptfile', 'railpack.json']) {
    if (repo.has(at(n))) return { unknown: `${at(n)} builds the app` };
  }
  // nixpacks.toml that only names the Python provider installs the same files.
  const nix = repo.text(at('nixpacks.toml'));
  if (nix !== null && /phases|cmds|pkgs|Pkgs|libs/.test(nix.replace(/^\s*#.*$/gm, ''))) return { unknown: `${at('nixpacks.toml')} adds build steps` };
  for (const n of ['.buildpacks', 'project.toml', 'app.json']) {
    const other = otherBuildpack(repo.text(at(n)));
    if (other) return { unknown: `${at(n)} adds the buildpack ${other}` };
  }
  const d = rootDeclarations(repo, dir, project);
  if (d.files.length === 0) return { unknown: 'no dependency file at the app root' };
  // Everything requirements.txt includes is installed, whatever the included file is called.
  const req = at('requirements.txt');
  const viaReq = (x: Declared) => x.loc.file === req || x.via[0] === req;
  const installed = d.packages.filter((x) => !x.dev || viaReq(x));
  const elsewhere = d.packages.filter((x) => !installed.includes(x));
  return {
    installed,
    elsewhere,
    files: d.files,
    where: `${fileList(d.files)}, the dependency files ${/heroku|dokku|scalingo/i.test(t.productionReason) ? 'Heroku installs' : 'the platform installs'} at the app root`,
    installer: 'the platform',
    image: false,
    ...(d.unresolved.length > 0 ? { incomplete: d.unresolved[0].message } : {}),
  };
}

/** A buildpack besides Python and Node.js (.buildpacks, project.toml, app.json): it may install the server. */
function otherBuildpack(text: string | null): string | null {
  if (!text) return null;
  const refs = [
    ...[...text.matchAll(/^\s*(https?:\/\/\S+|[\w-]+\/[\w-]+)\s*$/gm)].map((m) => m[1]),
    ...[...text.matchAll(/["']?(?:id|uri|url)["']?\s*[:=]\s*["']([^"']+)["']/g)].map((m) => m[1]),
  ];
  return refs.find((r) => !/heroku[/-](buildpack-)?(python|nodejs|procfile)|buildpack-(python|nodejs)|^https?:\/\/(?!.*buildpack)/i.test(r)) ?? null;
}

/** A unit runs on a host provisioned from the repository's declarations (or a script). */
function systemdEvidence(project: Project, t: Target): Evidence | Unknown {
  const repo = project.repo;
  const d = fact(project, REPO_DECLARATIONS, () => repoDeclarations(repo, project));
  if (d.files.length === 0) return { unknown: 'no dependency file in the repository' };
  const installed = d.packages.filter((x) => !x.dev);
  const elsewhere = d.packages.filter((x) => x.dev);
  const ev: Evidence = {
    installed,
    elsewhere,
    files: d.files,
    where: `the repository's dependency files (${fileList(d.files)})`,
    installer: 'a production install',
    image: false,
  };
  return withProvisioning(ev, project, t, d.unresolved.length > 0);
}

/** Host installs are often scripted; those scripts are not interpreted, so any mention counts. */
function withProvisioning(ev: Evidence, project: Project, t: Target, unresolved: boolean): Evidence | Unknown {
  if (unresolved) ev.incomplete = 'the declarations could not be read completely';
  // The scan of the repository's provisioning files is the same for every host target: done once.
  const found = fact(project, PROVISIONED, () => provisionedServers(project.repo));
  const extra = found.filter((d) => d.loc.file !== t.file);
  const names = new Set<string>();
  const unique = extra.filter((d) => !names.has(d.name) && names.add(d.name));
  return unique.length > 0 ? { ...ev, installed: [...ev.installed, ...unique] } : ev;
}

/** Server packages named by install lines of provisioning files, each name in each file once. */
function provisionedServers(repo: Repo): Declared[] {
  const names = ['gunicorn', 'uwsgi', 'pyuwsgi', 'uvicorn', 'uvicorn-worker', 'daphne', 'hypercorn', 'granian', 'waitress', 'mod-wsgi', 'bjoern', 'gevent', 'eventlet', 'tornado'];
  const patterns = names.map((name) => {
    const n = name.replace(/-/g, '[-_.]?');
    // `pip install … gunicorn`, `apt-get install gunicorn`, an Ansible `name: gunicorn` / `- gunicorn` item.
    return {
      name,
      re: new RegExp(`(\\b(install|add|pip3?|pipx|uv|poetry|apt(-get)?|yum|dnf|apk|packages?)\\b.*|^\\s*-?\\s*(name:\\s*)?["']?)\\b${n}\\b`, 'i'),
      // The name alone: a line without it cannot match `re` (whose `.*` makes it slow on long
      // lines), so only the lines that have it are tried.
      bare: new RegExp(`\\b${n}\\b`, 'i'),
    };
  });
  const out: Declared[] = [];
  for (const { file, text } of provisioningFiles(repo)) {
    const present = patterns.filter((p) => p.bare.test(text));
    if (present.length === 0) continue;
    const lines = text.split('\n');
    for (const { name, re, bare } of present) {
      const i = lines.findIndex((l) => bare.test(l) && re.test(l));
      if (i < 0) continue;
      const loc: Location = { file, line: i + 1, column: 1, endLine: i + 1, endColumn: lines[i].length + 1 };
      out.push({ name, raw: lines[i].trim(), loc, group: 'main', dev: false, via: [] });
    }
  }
  return out;
}

/** Scripts and build files that may install a host's packages, by base name. */
const PROVISIONING_NAME = /^(?:Makefile|makefile|GNUmakefile|Vagrantfile|justfile|Justfile|fabfile\.py|tasks\.py|noxfile\.py|Procfile.*|Dockerfile.*|Containerfile.*|\.gitlab-ci\.ya?ml|bitbucket-pipelines\.yml|\.travis\.yml)$|\.(?:sh|bash|sls|pp|nix)$/;
/** Configuration formats that hold installs only where they provision something (Ansible, cloud-init, CI). */
const PROVISIONING_DATA = /\.(?:ya?ml|j2|rb|cfg|ini|conf|toml)$/i;
/** Folders of provisioning code: any file below them may install a package. */
const PROVISIONING_DIR = /(?:^|\/)(?:deploy|deployment|deployments|ansible|provision|provisioning|playbooks?|roles|salt|puppet|chef|cookbooks|ops|infra|server|servers|etc|scripts?|bin|\.github\/workflows|\.circleci|cloud-init)\//i;
/** Base names of playbooks and host set-up files outside such folders. */
const PROVISIONING_DATA_NAME = /^(?:playbook|site|provision|deploy|setup|install|bootstrap|server|ansible|cloud-init|user-data)[\w.-]*\.(?:ya?ml|j2)$/i;

/**
 * Files that may provision a host: scripts, playbooks, Makefiles, fabfiles (never interpreted).
 * Chosen by name and folder, so that the cost follows the repository's provisioning files, not
 * its size: YAML, INI or TOML data elsewhere (fixtures, app configuration) is not read.
 */
export function isProvisioningFile(f: string): boolean {
  const base = f.slice(f.lastIndexOf('/') + 1);
  if (PROVISIONING_NAME.test(base)) return true;
  if (PROVISIONING_DIR.test(f)) return true;
  return PROVISIONING_DATA.test(base) && PROVISIONING_DATA_NAME.test(base);
}

export const PROVISIONING_FILES: FileSelector = {
  name: 'provisioning file',
  exts: ['sh', 'bash', 'sls', 'pp', 'nix'],
  prefixes: ['makefile', 'gnumakefile', 'vagrantfile', 'justfile', 'fabfile', 'tasks', 'noxfile', 'procfile', 'dockerfile', 'containerfile', '.gitlab-ci', 'bitbucket', '.travis',
    'playbook', 'site', 'provision', 'deploy', 'setup', 'install', 'bootstrap', 'server', 'ansible', 'cloud-init', 'user-data'],
  dir: (d) => PROVISIONING_DIR.test(d + '/'),
  test: isProvisioningFile,
};

function provisioningFiles(repo: Repo): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  let budget = 2_000_000;
  for (const f of repo.select(PROVISIONING_FILES)) {
    const text = repo.text(f);
    if (text === null) continue;
    budget -= text.length;
    if (budget < 0) break;
    out.push({ file: f, text });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

/** Base images that hold Python (or an OS) but no WSGI/ASGI server. */
const PLAIN_BASE =
  /^(?:(?:docker\.io|index\.docker\.io|public\.ecr\.aws\/docker|mirror\.gcr\.io)\/)?(?:library\/)?(python|pypy|debian|ubuntu|alpine|fedora|centos|rockylinux|almalinux|amazonlinux|archlinux|buildpack-deps)(?:[:@]|$)/i;
const PLAIN_BASE_OTHER = /^(ghcr\.io\/astral-sh\/uv|cgr\.dev\/chainguard\/(python|wolfi-base)|gcr\.io\/distroless\/python3[\w-]*|(?:docker\.io\/)?astral\/uv)(?:[:@]|$)/i;

function isPlainBase(image: string): boolean {
  return PLAIN_BASE.test(image) || PLAIN_BASE_OTHER.test(image);
}

/** Images whose files copied in are tools or front-end builds, never Python packages. */
const TOOL_IMAGE = /^(?:[\w.-]+\/)*(uv|node|nginx|caddy|golang|rust|busybox|tini|hadolint|bun|oven\/bun|dockerize|wait-for-it|s6-overlay|supercronic|litestream|gosu)(?:[:@]|$)/i;

function imageEvidence(project: Project, t: Target): Evidence | Unknown {
  const df = t.facts.dockerfile;
  if (!df) return { unknown: 'the service runs an image that is not built from this repository' };
  const image = imageModel(project, df.file, df.context, df.stage);
  if (!image) return { unknown: `${df.file} could not be read` };
  const base = image.stages[0].from.image;
  if (!isPlainBase(base)) return { unknown: `${df.file} is built FROM \`${base}\`, which may already hold the server` };
  // Stages copied in: a builder FROM another image may bring its own packages.
  for (const s of image.steps) {
    if (s.kind !== 'copy' || !s.copy?.from) continue;
    const from = s.copy.from;
    const stage = /^\d+$/.test(from) ? image.parsed.stages[Number(from)] : image.parsed.stages.find((x) => x.name === from.toLowerCase());
    if (stage) {
      const root = stageChain(image.parsed, stage)[0].from.image;
      if (!isPlainBase(root) && !TOOL_IMAGE.test(root)) return { unknown: `files are copied from a stage built FROM \`${root}\`` };
    } else if (!TOOL_IMAGE.test(from) && !s.copy.sources.every((x) => /(^|\/)(uvx?|tini|dumb-init|gosu|su-exec)$/.test(x.value))) {
      return { unknown: `files are copied from the image \`${from}\`` };
    }
  }
  const build = t.processes.filter((p) => p.role === 'build');
  if (build.some((p) => p.unresolved.length > 0)) return { unknown: build.find((p) => p.unresolved.length > 0)!.unresolved[0].message };
  const steps = new Map<number, BuildStep>();
  for (const s of image.steps) if (s.kind === 'run' && s.run) steps.set(s.run.instr.loc.line, s);
  const mappers = new Map<BuildStep, (p: string, cwd: string | null) => string | null>();
  const mapperOf = (s: BuildStep | undefined) => {
    if (!s) return (p: string, cwd: string | null) => image.mapper.toRepo(p, cwd);
    let m = mappers.get(s);
    if (!m) mappers.set(s, (m = stepMapper(project, image, s)));
    return m;
  };
  // Every command of the build in order; a `cd` to the command's own directory goes first
  // whenever it changes (the interpreter takes one starting directory).
  const commands: { words: string[]; loc: Location; step: BuildStep | undefined }[] = [];
  let lastCwd: string | null | undefined;
  let lastStep: BuildStep | undefined;
  for (const rc of build.flatMap((p) => p.commands)) {
    if (rc.args.length === 0) continue;
    const first = rc.chain.find((c) => c.file === image.file);
    const step = first ? steps.get(first.line) : undefined;
    // A front-end or tool stage (`FROM node`) installs nothing into the Python environment.
    const stageBase = step ? stageChain(image.parsed, step.stage)[0].from.image : base;
    if (!isPlainBase(stageBase) && TOOL_IMAGE.test(stageBase)) continue;
    const w0 = rc.args[0];
    if (w0.value === null) return { unknown: `\`${w0.text}\` (line ${rc.command.loc.line}) is chosen at run time` };
    if (rc.args.slice(0, 2).some((a) => a.value !== null && TOOL_INSTALLER.test(path.posix.basename(a.value)))) continue;
    const unfollowed = unfollowedScript(rc, mapperOf(step));
    if (unfollowed) return { unknown: unfollowed };
    if (step !== lastStep || rc.cwd !== lastCwd) {
      commands.push({ words: ['cd', rc.cwd ?? '$UNKNOWN'], loc: rc.command.loc, step });
      lastCwd = rc.cwd;
      lastStep = step;
    }
    commands.push({ words: rc.args.map((a) => a.value ?? a.text), loc: rc.command.loc, step });
  }
  // One interpreter run over the whole build, so that `pip wheel` in a builder feeds `pip
  // install /wheels/*` later; paths map through the stage of the RUN being interpreted (the
  // interpreter reads each command's words when it starts on it).
  let active: BuildStep | undefined;
  const ev = installsFromCommands(
    project.repo,
    commands.map((c) => ({
      get words() {
        active = c.step;
        return c.words;
      },
      loc: c.loc,
    })),
    (p, cwd) => mapperOf(active)(p, cwd),
    null,
    project,
  );
  if (ev.unknown) return { unknown: ev.unknownAt[0]?.message ?? 'an install could not be read' };
  const all = fact(project, REPO_DECLARATIONS, () => repoDeclarations(project.repo, project));
  return {
    // What the image installs counts, development group or not: it is in the image.
    installed: ev.packages,
    elsewhere: all.packages.filter((d) => !ev.packages.some((p) => p.name === d.name)),
    files: ev.files,
    where: ev.files.length > 0 ? `the RUN instructions of ${image.file} (they install from ${fileList(ev.files)})` : `the RUN instructions of ${image.file}`,
    installer: 'the image',
    image: true,
  };
}

/** The installers of the tools themselves (`ADD https://astral.sh/uv/install.sh /uv-installer.sh`). */
const TOOL_INSTALLER = /^(uv|poetry|pdm|pipenv|pip|rye|pixi)[-_]?install(er)?\.(sh|py)$|^(get-pip|install-poetry)\.py$/i;

/** A script the build runs that is not a file from the repository: what it installs is unseen. */
function unfollowedScript(rc: ResolvedCommand, toRepo: (p: string, cwd: string | null) => string | null): string | null {
  const v = rc.args[0].value!;
  const base = path.posix.basename(v);
  let script: string | null = null;
  if (/\.(sh|bash)$/.test(base) || (v.startsWith('./') && !/\.py$/.test(base))) script = v;
  else if (/\.py$/.test(base)) script = v;
  else if (/^(sh|bash|dash|ash|zsh|python[\d.]*)$/.test(base)) {
    const s = rc.args.slice(1).find((a) => !(a.value ?? '').startsWith('-'));
    if (s && s.value !== null && /\.(sh|bash|py)$/.test(s.value) && !/manage\.py$/.test(s.value)) script = s.value;
  }
  if (!script) return null;
  if (/\.py$/.test(script)) {
    // A Python script is never run by this tool: it may install anything.
    return /install|setup|deps|requirement|bootstrap|pip|venv|build/i.test(path.posix.basename(script)) && !/(^|\/)(manage|setup)\.py$/.test(script) ? `the build runs the Python script \`${script}\`` : null;
  }
  if (/^(sh|bash|dash|ash|zsh)$/.test(base) || /\.(sh|bash)$/.test(base) || v.startsWith('./')) {
    // Shell scripts from the repository are followed by the model; others are not.
    if (toRepo(script, rc.cwd)) return null;
    return `the build runs \`${script}\`, which is not a file from this repository`;
  }
  return null;
}

/**
 * Image paths of one RUN as repository paths: its bind mounts (`RUN --mount=type=bind,source=…`),
 * the COPYs of its own stage chain before it, then the final image's COPYs.
 */
function stepMapper(project: Project, image: ImageModel, step: BuildStep): (p: string, cwd: string | null) => string | null {
  const repo = project.repo;
  const chain = new Set(stageChain(image.parsed, step.stage));
  const copies = image.steps.filter((s) => s.kind === 'copy' && !s.copy!.from && chain.has(s.stage) && s.line < step.line).reverse();
  const mounts = bindMounts(step.run!.instr.raw, step.cwd);
  const ctx = (p: string) => normPath(path.posix.join(image.context, p));
  return (p, cwd) => {
    const abs = resolvePosix(cwd ?? step.cwd ?? '/', p);
    for (const m of mounts) {
      if (abs === m.target) {
        const f = ctx(m.source);
        if (repo.has(f)) return f;
      } else if (abs.startsWith(m.target + '/')) {
        const f = ctx(path.posix.join(m.source, abs.slice(m.target.length + 1)));
        if (repo.has(f)) return f;
      }
    }
    for (const s of copies) {
      const c = s.copy!;
      const destRaw = c.dest.value;
      const destAbs = resolvePosix(s.cwd ?? '/', destRaw).replace(/(.)\/+$/, '$1');
      const destIsDir = destRaw.endsWith('/') || c.sources.length > 1;
      for (const src of c.sources) {
        if (src.value.startsWith('<<') || /[*?[]/.test(src.value)) continue;
        const srcRel = ctx(src.value);
        if (srcRel === '' || repo.hasDir(srcRel)) {
          if (abs.startsWith(destAbs === '/' ? '/' : destAbs + '/')) {
            const cand = normPath(path.posix.join(srcRel, abs.slice(destAbs === '/' ? 1 : destAbs.length + 1)));
            if (repo.has(cand)) return cand;
          }
          continue;
        }
        // `COPY requirements.txt /tmp` puts the file inside /tmp when /tmp is a folder: both readings.
        const inside = path.posix.join(destAbs, path.posix.basename(srcRel));
        if ((abs === inside || (!destIsDir && abs === destAbs)) && repo.has(srcRel)) return srcRel;
      }
    }
    return image.mapper.toRepo(p, cwd);
  };
}

/** `--mount=type=bind,source=uv.lock,target=uv.lock` (no `from=`): image path → context path. */
function bindMounts(raw: string, cwd: string | null): { source: string; target: string }[] {
  const out: { source: string; target: string }[] = [];
  for (const m of raw.matchAll(/--mount=(\S+)/g)) {
    const kv: Record<string, string> = {};
    for (const part of m[1].replace(/^["']|["']$/g, '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) kv[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
    }
    if ((kv.type ?? 'bind') !== 'bind' || kv.from) continue;
    const target = kv.target ?? kv.dst ?? kv.destination;
    if (!target) continue;
    out.push({ source: kv.source ?? kv.src ?? '.', target: resolvePosix(cwd ?? '/', target).replace(/(.)\/+$/, '$1') });
  }
  return out;
}

function fileList(files: string[]): string {
  const shown = files.slice(0, 4).join(', ');
  return files.length > 4 ? `${shown}, …` : shown;
}
