/**
 * The fingerprint of a finding (docs/architecture.md, "Layers": core): what SARIF's partial
 * fingerprints and the baseline both key findings by.
 */
import { createRequire } from 'node:module';
import type { Finding } from './finding.js';

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
