/**
 * Model stage: find the targets (ways the app is started) among the discovered files and follow
 * each of their processes. Target kinds in priority order: procfile, dockerfile, compose, systemd.
 */
import { globMatcher } from '../parse/config.js';
import type { FileSelector } from '../discover/repo.js';
import type { Project } from './project.js';
import { djangoCommand, type DjangoCommand } from './servers.js';
import { COMPOSE_FILES, composeTargets } from './targets/compose.js';
import { DOCKERFILES, dockerfileTargets } from './targets/dockerfile.js';
import { PROCFILES, procfileTargets } from './targets/procfile.js';
import { SYSTEMD_UNITS, systemdTargets } from './targets/systemd.js';
import { FLY_TOMLS, flyTargets } from './targets/fly.js';
import { APP_JSON, appJsonTargets, HEROKU_YML, herokuYmlTargets } from './targets/heroku.js';
import { RENDER_BLUEPRINTS, renderTargets } from './targets/render.js';
import { SUPERVISORD_CONFIGS } from './supervisord-config.js';
import { supervisordTargets } from './targets/supervisord.js';
import { UWSGI_INIS, uwsgiIniTargets } from './targets/uwsgi-ini.js';
import { APP_YAMLS, appEngineTargets } from './targets/app-engine.js';
import { PLATFORM_SH_APPS, platformShTargets, UPSUN_CONFIGS, upsunTargets } from './targets/platform-sh.js';
import { DIGITALOCEAN_SPECS, digitalOceanTargets } from './targets/digitalocean.js';
import { AZURE_STARTUP, AZURE_WEB_CONFIG, azureStartupTargets, azureWebConfigTargets } from './targets/azure.js';
import { KUBERNETES_MANIFESTS, kubernetesTargets } from './targets/kubernetes.js';
import { linesRunBy, MAKEFILES, makefileTargets } from './targets/makefile.js';
import { NIXPACKS_TOMLS, nixpacksTargets, RAILWAY_CONFIGS, railwayTargets } from './targets/railway.js';
import type { ResolvedCommand, Target } from './types.js';
import { ciPushesImage, publishedAt } from './targets/image-source.js';

/** Every kind of deployment file a target is found in (a file one of these selects). */
export const DEPLOYMENT_FILES: readonly FileSelector[] = [
  PROCFILES, COMPOSE_FILES, FLY_TOMLS, RENDER_BLUEPRINTS, HEROKU_YML, APP_JSON, APP_YAMLS, PLATFORM_SH_APPS, UPSUN_CONFIGS,
  DIGITALOCEAN_SPECS, AZURE_STARTUP, AZURE_WEB_CONFIG, RAILWAY_CONFIGS, NIXPACKS_TOMLS, DOCKERFILES, SYSTEMD_UNITS,
  SUPERVISORD_CONFIGS, KUBERNETES_MANIFESTS, UWSGI_INIS, MAKEFILES,
];

export function buildTargets(project: Project): Target[] {
  // Template sources (cookiecutter, copier, Jinja) are not deployment files until rendered.
  const notTemplate = (f: string) => !/\{\{|\{%/.test(f);
  const files = (sel: FileSelector) => project.repo.select(sel).filter(notTemplate);
  const mark = configuredVerdicts(project);
  const procfiles = mark(files(PROCFILES).flatMap((f) => procfileTargets(project, f)));
  const compose = mark(files(COMPOSE_FILES).flatMap((f) => composeTargets(project, f)));
  // A Dockerfile built by a production compose service is judged through that service (whose
  // command may override the image's CMD), not again on its own.
  // Likewise a Dockerfile that fly.toml, render.yaml or heroku.yml builds is judged through them.
  const fly = mark(files(FLY_TOMLS).flatMap((f) => flyTargets(project, f)));
  const render = mark(files(RENDER_BLUEPRINTS).flatMap((f) => renderTargets(project, f)));
  const herokuYml = mark(files(HEROKU_YML).flatMap((f) => herokuYmlTargets(project, f)));
  const appJson = mark(files(APP_JSON).flatMap((f) => appJsonTargets(project, f)));
  const appEngine = mark(files(APP_YAMLS).flatMap((f) => appEngineTargets(project, f)));
  const platformSh = mark([...files(PLATFORM_SH_APPS).flatMap((f) => platformShTargets(project, f)), ...files(UPSUN_CONFIGS).flatMap((f) => upsunTargets(project, f))]);
  const digitalOcean = mark(files(DIGITALOCEAN_SPECS).flatMap((f) => digitalOceanTargets(project, f)));
  const azure = mark([...files(AZURE_STARTUP).flatMap((f) => azureStartupTargets(project, f)), ...files(AZURE_WEB_CONFIG).flatMap((f) => azureWebConfigTargets(project, f))]);
  const railway = mark([...files(RAILWAY_CONFIGS).flatMap((f) => railwayTargets(project, f)), ...files(NIXPACKS_TOMLS).flatMap((f) => nixpacksTargets(project, f))]);
  const coveredByCompose = new Set([...compose, ...fly, ...render, ...herokuYml, ...appEngine, ...railway, ...digitalOcean].filter((t) => t.production).map((t) => t.facts.dockerfile?.file).filter(Boolean));
  const dockerfiles = mark(files(DOCKERFILES).filter((f) => !coveredByCompose.has(f)).flatMap((f) => dockerfileTargets(project, f)));
  // The image's own default, which those targets replace, still ships to `docker run`.
  const shipped = mark(shippedDefaults(project, files(DOCKERFILES).filter((f) => coveredByCompose.has(f)), [...compose, ...fly, ...render, ...herokuYml, ...appEngine, ...railway, ...digitalOcean]));
  onlyBuiltForDevelopment(project, dockerfiles, [...compose, ...fly, ...render, ...herokuYml, ...appEngine, ...railway, ...digitalOcean]);
  const systemd = mark(files(SYSTEMD_UNITS).flatMap((f) => systemdTargets(project, f)));
  const supervisord = mark(files(SUPERVISORD_CONFIGS).flatMap((f) => supervisordTargets(project, f)));
  const before = [...procfiles, ...dockerfiles, ...shipped, ...compose, ...systemd, ...supervisord];
  const composeFiles = new Set(files(COMPOSE_FILES));
  const kubernetes = mark(files(KUBERNETES_MANIFESTS).filter((f) => !composeFiles.has(f)).flatMap((f) => kubernetesTargets(project, f)));
  const platforms = [...fly, ...render, ...appEngine, ...kubernetes, ...herokuYml, ...appJson, ...platformSh, ...railway, ...digitalOcean, ...azure];
  const uwsgiIni = mark(uwsgiIniTargets(project, files(UWSGI_INIS), [...before, ...platforms]));
  const runBy = linesRunBy([...before, ...uwsgiIni, ...platforms]);
  const makefiles = mark(files(MAKEFILES).flatMap((f) => makefileTargets(project, f, runBy)));
  const targets = [...before, ...uwsgiIni, ...platforms, ...makefiles];
  for (const t of targets) t.collectstatic ??= findCollectstatic(t);
  return targets;
}

/**
 * Dockerfiles built only by production targets that override their command, whose own
 * ENTRYPOINT/CMD runs a development server: kept as targets that only DPL101 reads (see
 * `TargetFacts.shippedDefault`), with the targets that override it and where the image is published.
 */
function shippedDefaults(project: Project, dockerfiles: string[], builders: Target[]): Target[] {
  const out: Target[] = [];
  for (const f of dockerfiles) {
    for (const t of dockerfileTargets(project, f)) {
      const dev = t.processes.flatMap((p) => p.servers.filter((s) => DEV_SERVER_KINDS.has(s.server.kind)).map((s) => s.server.command.loc));
      if (!t.production || dev.length === 0) continue;
      const using = builders.filter((b) => b.production && b.facts.dockerfile?.file === f);
      // Only when every one of them replaces that start: a target that still reaches the same
      // runserver is reported on its own.
      const reaches = (b: Target) => b.processes.some((p) => p.servers.some((s) => dev.some((l) => l.file === s.server.command.loc.file && l.line === s.server.command.loc.line)));
      if (using.length === 0 || using.some(reaches)) continue;
      const overriddenBy = using.map((b) => b.id.slice(b.kind.length + 1));
      t.production = true;
      t.facts.shippedDefault = { overriddenBy, published: publishedAt(project, f) };
      t.productionReason = `production: its own start command is what \`docker run\`, Kubernetes and registries run, though ${overriddenBy.slice(0, 3).join(', ')}${overriddenBy.length > 3 ? ', …' : ''} replace${overriddenBy.length === 1 ? 's' : ''} it`;
      out.push(t);
    }
  }
  return out;
}

const DEV_SERVER_KINDS = new Set(['runserver', 'runserver_plus']);

/**
 * `targets: production/development` in the configuration overrule the judgement from names
 * (docs/architecture.md, "Production judgement"): globs match the target's file, or `file#service` for a compose service.
 */
function configuredVerdicts(project: Project): (targets: Target[]) => Target[] {
  const { production, development, file } = project.config;
  const dev = globMatcher(development);
  const prod = globMatcher(production);
  return (targets) => {
    for (const t of targets) {
      const names = [t.file, t.id.slice(t.kind.length + 1)];
      if (names.some(dev)) {
        t.production = false;
        t.productionReason = `development: listed under \`targets: development:\` in ${file}`;
      } else if (names.some(prod)) {
        t.production = true;
        t.productionReason = `production: listed under \`targets: production:\` in ${file}`;
      }
    }
    return targets;
  };
}

/** Every `collectstatic` the target runs, in any of its processes (build, release, start), in order. */
export function collectstaticRuns(t: Target): { at: ResolvedCommand; dj: DjangoCommand }[] {
  const out: { at: ResolvedCommand; dj: DjangoCommand }[] = [];
  for (const p of t.processes) {
    for (const c of p.commands) {
      const dj = djangoCommand(c.args);
      if (dj?.name === 'collectstatic') out.push({ at: c, dj });
    }
  }
  return out;
}

/** The first `collectstatic` the target runs. */
export function findCollectstatic(t: Target): ResolvedCommand | null {
  return collectstaticRuns(t)[0]?.at ?? null;
}

/**
 * A Dockerfile that only development targets build (a dev compose service) is development too,
 * unless CI builds and pushes its image. Only a verdict by default is changed.
 */
function onlyBuiltForDevelopment(project: Project, dockerfiles: Target[], builders: Target[]): void {
  for (const t of dockerfiles) {
    if (!t.production || !t.productionReason.startsWith('production by default')) continue;
    const by = builders.filter((b) => b.facts.dockerfile?.file === t.file);
    if (by.length === 0 || by.some((b) => b.production) || ciPushesImage(project, t.file)) continue;
    // A development service that overrides the image's command leaves that command to another use.
    const usesStart = (b: Target) => b.processes.some((p) => p.role !== 'build' && p.commands.some((c) => c.chain.some((st) => st.file === t.file && st.line === t.line)));
    const devServer = t.processes.some((p) => p.servers.length > 0 && p.servers.every((x) => x.server.kind === 'runserver'));
    if (!by.every(usesStart) && !devServer) continue;
    t.production = false;
    const names = by.map((b) => b.id.slice(b.kind.length + 1)).join(', ');
    t.productionReason = by.every(usesStart)
      ? `development: only development targets build and start it (${names})`
      : `development: only development targets build it (${names}), and its own command is the development server`;
  }
}
