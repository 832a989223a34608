/**
 * Model stage: find the targets (ways the app is started) among the discovered files and follow
 * each of their processes. Target kinds in priority order: procfile, dockerfile, compose, systemd.
 */
import { globMatcher } from '../config.js';
import type { Project } from './project.js';
import { djangoCommand, type DjangoCommand } from './servers.js';
import { composeTargets, isComposeFile } from './targets/compose.js';
import { dockerfileTargets, isDockerfile } from './targets/dockerfile.js';
import { isProcfile, procfileTargets } from './targets/procfile.js';
import { isSystemdUnit, systemdTargets } from './targets/systemd.js';
import { flyTargets, isFlyToml } from './targets/fly.js';
import { appJsonTargets, herokuYmlTargets, isAppJson, isHerokuYml } from './targets/heroku.js';
import { isRenderBlueprint, renderTargets } from './targets/render.js';
import { isSupervisordCandidate, supervisordTargets } from './targets/supervisord.js';
import { isUwsgiIniCandidate, uwsgiIniTargets } from './targets/uwsgi-ini.js';
import { appEngineTargets, isAppYaml } from './targets/app-engine.js';
import { isPlatformShApp, isUpsunConfig, platformShTargets, upsunTargets } from './targets/platform-sh.js';
import { digitalOceanTargets, isDigitalOceanSpec } from './targets/digitalocean.js';
import { azureStartupTargets, azureWebConfigTargets, isAzureStartup, isAzureWebConfig } from './targets/azure.js';
import { isKubernetesCandidate, kubernetesTargets } from './targets/kubernetes.js';
import { isNixpacksToml, isRailwayConfig, nixpacksTargets, railwayTargets } from './targets/railway.js';
import type { ResolvedCommand, Target } from './types.js';

export function buildTargets(project: Project): Target[] {
  // Template sources (cookiecutter, copier, Jinja) are not deployment files until rendered.
  const files = project.repo.files.filter((f) => !/\{\{|\{%/.test(f));
  const mark = configuredVerdicts(project);
  const procfiles = mark(files.filter(isProcfile).flatMap((f) => procfileTargets(project, f)));
  const compose = mark(files.filter(isComposeFile).flatMap((f) => composeTargets(project, f)));
  // A Dockerfile built by a production compose service is judged through that service (whose
  // command may override the image's CMD), not again on its own.
  // Likewise a Dockerfile that fly.toml, render.yaml or heroku.yml builds is judged through them.
  const fly = mark(files.filter(isFlyToml).flatMap((f) => flyTargets(project, f)));
  const render = mark(files.filter(isRenderBlueprint).flatMap((f) => renderTargets(project, f)));
  const herokuYml = mark(files.filter(isHerokuYml).flatMap((f) => herokuYmlTargets(project, f)));
  const appJson = mark(files.filter(isAppJson).flatMap((f) => appJsonTargets(project, f)));
  const appEngine = mark(files.filter(isAppYaml).flatMap((f) => appEngineTargets(project, f)));
  const platformSh = mark([...files.filter(isPlatformShApp).flatMap((f) => platformShTargets(project, f)), ...files.filter(isUpsunConfig).flatMap((f) => upsunTargets(project, f))]);
  const digitalOcean = mark(files.filter(isDigitalOceanSpec).flatMap((f) => digitalOceanTargets(project, f)));
  const azure = mark([...files.filter(isAzureStartup).flatMap((f) => azureStartupTargets(project, f)), ...files.filter(isAzureWebConfig).flatMap((f) => azureWebConfigTargets(project, f))]);
  const railway = mark([...files.filter(isRailwayConfig).flatMap((f) => railwayTargets(project, f)), ...files.filter(isNixpacksToml).flatMap((f) => nixpacksTargets(project, f))]);
  const coveredByCompose = new Set([...compose, ...fly, ...render, ...herokuYml, ...appEngine, ...railway, ...digitalOcean].filter((t) => t.production).map((t) => t.facts.dockerfile?.file).filter(Boolean));
  const dockerfiles = mark(files.filter((f) => isDockerfile(f) && !coveredByCompose.has(f)).flatMap((f) => dockerfileTargets(project, f)));
  const systemd = mark(files.filter(isSystemdUnit).flatMap((f) => systemdTargets(project, f)));
  const supervisord = mark(files.filter(isSupervisordCandidate).flatMap((f) => supervisordTargets(project, f)));
  const before = [...procfiles, ...dockerfiles, ...compose, ...systemd, ...supervisord];
  const kubernetes = mark(files.filter((f) => isKubernetesCandidate(f) && !isComposeFile(f)).flatMap((f) => kubernetesTargets(project, f)));
  const platforms = [...fly, ...render, ...appEngine, ...kubernetes, ...herokuYml, ...appJson, ...platformSh, ...railway, ...digitalOcean, ...azure];
  const uwsgiIni = mark(uwsgiIniTargets(project, files.filter(isUwsgiIniCandidate), [...before, ...platforms]));
  const targets = [...before, ...uwsgiIni, ...platforms];
  for (const t of targets) t.collectstatic ??= findCollectstatic(t);
  return targets;
}

/**
 * `targets: production/development` in the configuration overrule the judgement from names
 * (SPEC §4): globs match the target's file, or `file#service` for a compose service.
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
