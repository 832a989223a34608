/**
 * Production or development? (docs/architecture.md, "Production judgement"). Precision first: a finding on a dev-only file is a bug,
 * so any development marker in the path wins; a target with no marker counts as production and
 * says why, and how to mark it otherwise.
 */

const DEV = new Set([
  'dev', 'devel', 'develop', 'development', 'local', 'locally', 'test', 'tests', 'testing', 'ci', 'e2e',
  'example', 'examples', 'sample', 'samples', 'demo', 'demos', 'debug', 'devcontainer', 'override',
  'fixture', 'fixtures', 'tmp', 'sandbox', 'playground', 'tutorial', 'docs', 'benchmark', 'benchmarks',
]);

const PROD = new Set(['prod', 'production', 'deploy', 'deployment', 'release', 'live', 'staging', 'stage', 'heroku', 'k8s', 'kubernetes', 'ops', 'infra']);

export interface Verdict {
  production: boolean;
  reason: string;
}

/** Words of a path: `compose/local/django/Dockerfile.dev` → compose, local, django, dockerfile, dev. */
function tokens(p: string): string[] {
  return p
    .toLowerCase()
    .split(/[/._\-\s]+/)
    .filter((t) => t.length > 0);
}

export const HOW_TO_MARK =
  'if it is not used in production, list it under `targets: development:` in .django-deploy-lint.yml';

/**
 * Judge a target from its file path (relative to the root) and extra names (a stage, a service).
 * `platform` is the reason a file is production by nature (a Procfile, a systemd unit).
 */
export function judge(file: string, opts: { names?: { what: string; name: string }[]; platform?: string } = {}): Verdict {
  const t = tokens(file);
  const devWord = t.find((x) => DEV.has(x));
  if (devWord) return { production: false, reason: `development: \`${devWord}\` in its path (${file})` };
  for (const n of opts.names ?? []) {
    const nt = tokens(n.name);
    const d = nt.find((x) => DEV.has(x));
    if (d) return { production: false, reason: `development: ${n.what} \`${n.name}\`` };
  }
  const prodWord = t.find((x) => PROD.has(x));
  if (prodWord) return { production: true, reason: `production: \`${prodWord}\` in its path (${file})` };
  for (const n of opts.names ?? []) {
    const p = tokens(n.name).find((x) => PROD.has(x));
    if (p) return { production: true, reason: `production: ${n.what} \`${n.name}\`` };
  }
  if (opts.platform) return { production: true, reason: `production: ${opts.platform}` };
  return {
    production: true,
    reason: `production by default: no development marker (dev, local, test, ci, example) in ${file}; ${HOW_TO_MARK}`,
  };
}

/** Is a Dockerfile stage name a development stage (`dev`, `development`, `test`, `local`)? */
export function isDevName(name: string): boolean {
  return tokens(name).some((x) => DEV.has(x));
}

/** Procfile variants other than `Procfile` are for foreman/honcho on a laptop unless they say prod. */
export function isHerokuProcfile(file: string): boolean {
  const base = file.split('/').pop()!;
  return base === 'Procfile';
}
