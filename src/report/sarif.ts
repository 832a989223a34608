/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): every rule with
 * its help page, one result per finding with its exact region, stable partial fingerprints and
 * the chain that led to it as related locations.
 */
import { createRequire } from 'node:module';
import type { Finding, Severity } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import type { RuleMeta } from '../rules/types.js';
import { REPO_URL, ruleDocUrl } from '../rules/docs.js';
import { compareFindings } from '../model/findings.js';
import { bySeverity, displayPath, fixText } from './common.js';
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
  /** `runs[].automationDetails.id` (code scanning's category), e.g. the scanned path. */
  category?: string;
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

/** Code scanning accepts at most this many results per run (it rejects the upload beyond). */
export const SARIF_RESULT_LIMIT = 25_000;

/** How many results a SARIF report of `result` leaves out (beyond SARIF_RESULT_LIMIT). */
export function sarifDropped(result: Result): number {
  return Math.max(0, result.findings.length + (result.baselined?.length ?? 0) + (result.outside?.findings.length ?? 0) - SARIF_RESULT_LIMIT);
}

/**
 * The SARIF report of the CLI's `--format sarif` and of the action's `sarif-file`. With a
 * baseline (`result.baselined`), the baselined findings are results too, each result with its
 * `baselineState` (`new` / `unchanged`), in the engine's order so that the partial
 * fingerprints are the ones a run without a baseline gives (code scanning then keeps the
 * baselined alerts open instead of closing them as fixed). At most SARIF_RESULT_LIMIT results,
 * the most severe kept; the run's properties say how many were left out.
 */
export function toSarif(result: Result, rules: readonly RuleMeta[], options: SarifOptions): object {
  const old = new Set(result.baselined ?? []);
  // Findings outside a pull request's changes (filter-mode) stay results: code scanning filters
  // by the diff itself, and leaving them out would close their alerts as fixed.
  const apart = [...(result.baselined ?? []), ...(result.outside?.findings ?? [])];
  const findings = apart.length > 0 ? [...result.findings, ...apart].sort(compareFindings) : result.findings;
  const all: RuleMeta[] = [...rules];
  for (const f of findings) {
    if (!all.some((r) => r.id === f.ruleId)) all.push({ id: f.ruleId, name: f.rule, severity: f.severity, summary: f.rule, messages: {} });
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

  const results = findings.map((f) => {
    const base = fingerprintBase(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const r: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.fix ? `${f.message}\nFix: ${fixText(f)}` : f.message },
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
    // The fix as SARIF `fixes` (what `--fix` would apply; a display-only fix is not a change).
    if (f.autofix && f.autofix.safety !== 'display-only') {
      const files = [...new Set(f.autofix.edits.map((e) => e.file))];
      r.fixes = [
        {
          description: { text: `${f.autofix.title} (${f.autofix.safety} fix)` },
          artifactChanges: files.map((file) => ({
            artifactLocation: artifact(file),
            replacements: f.autofix!.edits
              .filter((e) => e.file === file)
              .map((e) => ({ deletedRegion: region(e.range.start.line, e.range.start.column, e.range.end.line, e.range.end.column), insertedContent: { text: e.text } })),
          })),
        },
      ];
    }
    if (result.baselined) r.baselineState = old.has(f) ? 'unchanged' : 'new';
    return r;
  });
  // Over the limit: the most severe are kept (fingerprints were computed on the whole list).
  let kept = results;
  if (results.length > SARIF_RESULT_LIMIT) {
    const keep = new Set(bySeverity(findings).slice(0, SARIF_RESULT_LIMIT));
    kept = results.filter((_, i) => keep.has(findings[i]));
  }
  const dropped = results.length - kept.length;

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
        results: kept,
        ...(options.category ? { automationDetails: { id: `${options.category.replace(/\/+$/, '')}/` } } : {}),
        ...(dropped > 0
          ? {
              properties: {
                resultsTruncated: true,
                resultsTotal: results.length,
                resultsOmitted: dropped,
                note: `code scanning accepts at most ${SARIF_RESULT_LIMIT} results per run: the ${kept.length} most severe are included, ${dropped} left out (all are in the JSON report)`,
              },
            }
          : {}),
      },
    ],
  };
}
