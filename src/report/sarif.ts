/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): every rule with
 * its help page, one result per finding with its exact region, stable partial fingerprints and
 * the chain that led to it as related locations.
 */
import { createRequire } from 'node:module';
import type { Finding, Result, Severity } from '../model/types.js';
import type { RuleMeta } from '../rules/types.js';
import { REPO_URL, ruleDocUrl } from '../rules/docs.js';
import { displayPath } from './common.js';
import { wellFormed } from './escape.js';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;

/**
 * The SHA-256 of `text` in hex (fingerprints here, the keys of the action's comments and
 * suggestions). node:crypto is loaded on the first call rather than at start-up, where it
 * would cost milliseconds on every run although only SARIF and the action's GitHub side hash.
 */
export function sha256Hex(text: string): string {
  crypto ??= (process.getBuiltinModule?.('node:crypto') as Crypto | undefined) ?? (createRequire(import.meta.url)('node:crypto') as Crypto);
  return crypto.createHash('sha256').update(text).digest('hex');
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT_KEY = 'djangoDeployLint/v1';

export interface SarifOptions {
  /** Tool version (package.json). */
  version: string;
  /** Path of the scanned root relative to the repository root (see displayPath). */
  prefix?: string;
}

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', notice: 'note' };

/**
 * A relative path as a URI reference: each segment percent-encoded, `/` kept; a lone surrogate
 * (a file name that is not valid UTF-8) as U+FFFD, which `encodeURIComponent` can encode.
 */
export function pathToUri(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(wellFormed(seg)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * Stable across edits that move the finding: rule, file and the normalised message (digits
 * that follow a `:` or `line ` are dropped, whitespace collapsed), never the line number.
 * Identical findings in one file get an occurrence suffix.
 */
export function fingerprintBase(f: Finding): string {
  const text = f.message
    .replace(/(:|\bline )\d+/g, '$1#')
    .replace(/\s+/g, ' ')
    .trim();
  return sha256Hex(`${f.ruleId}\0${f.file}\0${text}`).slice(0, 32);
}

export function toSarif(result: Result, rules: readonly RuleMeta[], options: SarifOptions): object {
  const all: RuleMeta[] = [...rules];
  for (const f of result.findings) {
    if (!all.some((r) => r.id === f.ruleId)) all.push({ id: f.ruleId, name: f.rule, severity: f.severity, summary: f.rule });
  }
  const index = new Map(all.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();

  const region = (line: number, column?: number, endLine?: number, endColumn?: number) => {
    const r: Record<string, number> = { startLine: Math.max(1, line) };
    if (column && column >= 1) r.startColumn = column;
    if (endLine && endLine >= r.startLine) r.endLine = endLine;
    if (endColumn && column && endColumn >= column && (endLine ?? line) >= line) r.endColumn = endColumn;
    return r;
  };
  const artifact = (file: string) => ({ uri: pathToUri(displayPath(options.prefix, file)), uriBaseId: '%SRCROOT%' });

  const results = result.findings.map((f) => {
    const base = fingerprintBase(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const r: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.fix ? `${f.message}\nFix: ${f.fix}` : f.message },
      locations: f.file
        ? [{ physicalLocation: { artifactLocation: artifact(f.file), region: region(f.line, f.column, f.endLine, f.endColumn) } }]
        : [],
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${n}` },
    };
    if (f.via.length > 0) {
      r.relatedLocations = f.via.map((v, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifact(v.file), region: region(v.line, v.column) },
        message: { text: v.text ? v.text : `step ${i + 1} of the chain` },
      }));
    }
    if (f.target) r.properties = { target: f.target };
    return r;
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'django-deploy-lint',
            version: options.version,
            semanticVersion: options.version,
            informationUri: REPO_URL,
            rules: all.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              helpUri: ruleDocUrl(r.id),
              help: { text: `${r.summary}\nSee ${ruleDocUrl(r.id)}`, markdown: `${r.summary}\n\n[${r.id} ${r.name}](${ruleDocUrl(r.id)})` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['django', 'deployment'] },
            })),
          },
        },
        results,
      },
    ],
  };
}
