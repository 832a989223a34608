/**
 * TARGET_KINDS: every kind of deployment file a target is found in, one entry each
 * (docs/architecture.md, "The deployment model"). An entry says which files it reads (`files`, a selector the
 * discovery index answers), how it makes targets from them (`build`, which calls `makeTarget` in
 * targets/make.ts), where its targets are listed in the report (`listed`), and whether its
 * production targets build a Dockerfile that is then judged through them (`buildsImages`).
 *
 * Entries run in the order written here: an entry's `build` sees the targets of the entries
 * before it (`earlier`). Adding a kind is one entry here plus its builder in targets/.
 */
import type { FileSelector } from '../discover/repo.js';
import type { Project } from './project.js';
import type { Target, TargetKind } from './types.js';
import { COMPOSE_FILES, composeTargets } from './targets/compose.js';
import { DOCKERFILES, dockerfileKindTargets } from './targets/dockerfile.js';
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

/** What an entry's `build` may read besides the project. */
export interface KindContext {
  /** The files a selector selects, template sources (cookiecutter, copier, Jinja) left out. */
  files(sel: FileSelector): string[];
  /** Targets of the entries run before this one, each already judged, by entry. */
  earlier: ReadonlyMap<TargetKindEntry, Target[]>;
}

export interface TargetKindEntry {
  /** The `Target.kind` its targets carry. */
  kind: TargetKind;
  /** How its files are recognised (by name, extension, or a test on the path). */
  files: FileSelector;
  /** Where its targets are listed in the report (ascending; equal ranks keep the table's order). */
  listed: number;
  /** Its production targets build a Dockerfile (`facts.dockerfile`) that is judged through them. */
  buildsImages?: boolean;
  /** The targets from `files` (already filtered); most kinds read one file at a time (`perFile`). */
  build(project: Project, files: string[], ctx: KindContext): Target[];
}

/** `build` for a kind whose files each make their own targets. */
export function perFile(fn: (project: Project, file: string) => Target[]): TargetKindEntry['build'] {
  return (project, files) => files.flatMap((f) => fn(project, f));
}

export const TARGET_KINDS: readonly TargetKindEntry[] = [
  { kind: 'procfile', files: PROCFILES, listed: 10, build: perFile(procfileTargets) },
  { kind: 'compose', files: COMPOSE_FILES, listed: 30, buildsImages: true, build: perFile(composeTargets) },
  { kind: 'fly', files: FLY_TOMLS, listed: 70, buildsImages: true, build: perFile(flyTargets) },
  { kind: 'render', files: RENDER_BLUEPRINTS, listed: 80, buildsImages: true, build: perFile(renderTargets) },
  { kind: 'heroku-yml', files: HEROKU_YML, listed: 110, buildsImages: true, build: perFile(herokuYmlTargets) },
  { kind: 'app-json', files: APP_JSON, listed: 120, build: perFile(appJsonTargets) },
  { kind: 'app-engine', files: APP_YAMLS, listed: 90, buildsImages: true, build: perFile(appEngineTargets) },
  { kind: 'railway', files: RAILWAY_CONFIGS, listed: 140, buildsImages: true, build: perFile(railwayTargets) },
  { kind: 'nixpacks', files: NIXPACKS_TOMLS, listed: 140, buildsImages: true, build: perFile(nixpacksTargets) },
  { kind: 'digitalocean', files: DIGITALOCEAN_SPECS, listed: 150, buildsImages: true, build: perFile(digitalOceanTargets) },
  { kind: 'platform-sh', files: PLATFORM_SH_APPS, listed: 130, build: perFile(platformShTargets) },
  { kind: 'upsun', files: UPSUN_CONFIGS, listed: 130, build: perFile(upsunTargets) },
  { kind: 'azure', files: AZURE_STARTUP, listed: 160, build: perFile(azureStartupTargets) },
  { kind: 'azure', files: AZURE_WEB_CONFIG, listed: 160, build: perFile(azureWebConfigTargets) },
  // After every kind that builds images: a Dockerfile a production target builds is judged through it.
  {
    kind: 'dockerfile',
    files: DOCKERFILES,
    listed: 20,
    build: (project, files, ctx) => dockerfileKindTargets(project, files, [...ctx.earlier].filter(([e]) => e.buildsImages).flatMap(([, ts]) => ts)),
  },
  { kind: 'systemd', files: SYSTEMD_UNITS, listed: 40, build: perFile(systemdTargets) },
  { kind: 'supervisord', files: SUPERVISORD_CONFIGS, listed: 50, build: perFile(supervisordTargets) },
  // A compose file is never also read as a Kubernetes manifest.
  {
    kind: 'kubernetes',
    files: KUBERNETES_MANIFESTS,
    listed: 100,
    build: (project, files, ctx) => {
      const composeFiles = new Set(ctx.files(COMPOSE_FILES));
      return files.filter((f) => !composeFiles.has(f)).flatMap((f) => kubernetesTargets(project, f));
    },
  },
  // An ini is a target only when no other target loads it: it runs last and sees them all.
  { kind: 'uwsgi-ini', files: UWSGI_INIS, listed: 60, build: (project, files, ctx) => uwsgiIniTargets(project, files, listedOrder(ctx.earlier)) },
  // Makefile targets are the lines no other target runs: last, after all of them.
  {
    kind: 'makefile',
    files: MAKEFILES,
    listed: 200,
    build: (project, files, ctx) => {
      const runBy = linesRunBy(listedOrder(ctx.earlier));
      return files.flatMap((f) => makefileTargets(project, f, runBy));
    },
  },
];

/** Targets of several entries in report order. */
export function listedOrder(byEntry: ReadonlyMap<TargetKindEntry, Target[]>): Target[] {
  return [...byEntry.entries()].map(([e, ts], i) => ({ e, ts, i })).sort((a, b) => a.e.listed - b.e.listed || a.i - b.i).flatMap((x) => x.ts);
}

