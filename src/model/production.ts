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

/** One piece of evidence for or against production, with its weight (2 decides against 1). */
export interface Evidence {
  side: 'production' | 'development';
  weight: number;
  what: string;
}

/**
 * Weigh the evidence a target gives about its use: the heavier side wins; a tie with evidence on
 * both sides is development (a finding on a development file is the worse mistake). No evidence
 * at all keeps `fallback`. The reason names every piece of evidence on the winning side.
 */
export function weigh(evidence: Evidence[], fallback: Verdict): Verdict {
  const sum = (side: Evidence['side']) => evidence.filter((e) => e.side === side).reduce((n, e) => n + e.weight, 0);
  const prod = sum('production');
  const dev = sum('development');
  if (prod === 0 && dev === 0) return fallback;
  const production = prod > dev;
  const side = production ? 'production' : 'development';
  const won = evidence.filter((e) => e.side === side).map((e) => e.what);
  const lost = evidence.filter((e) => e.side !== side).map((e) => e.what);
  return {
    production,
    reason: `${side}: ${won.join(', ')}` + (lost.length > 0 ? ` (outweighing ${lost.join(', ')})` : ''),
  };
}

/** Path words that say little on their own: a `docs/` or `example/` folder can hold the real deployment. */
const WEAK = new Set(['docs', 'demo', 'demos', 'example', 'examples', 'sample', 'samples', 'tutorial']);

/** The development word of a path when it is only a weak one (`docs/`, `example/`), else null. */
export function weakDevWord(file: string): string | null {
  const t = tokens(file);
  const dev = t.filter((x) => DEV.has(x));
  return dev.length > 0 && dev.every((x) => WEAK.has(x)) ? dev[0] : null;
}

/** `KEY=value` lines of a dotenv file (compose `env_file:`); comments, `export ` and quotes handled. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let v = m[2].trim();
    if (/^".*"$|^'.*'$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]] = v;
  }
  return out;
}

/** DEBUG written on (`1`, `true`, `yes`, `on`) or off (`0`, `false`, `no`, `off`); null otherwise. */
export function debugValue(v: string | null | undefined): boolean | null {
  if (v == null) return null;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  return null;
}
