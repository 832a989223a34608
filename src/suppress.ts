/**
 * Suppress stage (SPEC §7): inline pragmas, applied after the rules (as hadolint does).
 *   # django-deploy-lint: ignore=DPL105,DPL201 -- reason     (on the line before the finding)
 *   # django-deploy-lint: ignore-file=DPL002 -- reason        (anywhere in the file's first 10 lines)
 * The comment may start with `#` or `;` (systemd, ini) or `//`.
 */
import type { Repo } from './discover/repo.js';
import type { Finding } from './model/types.js';

const PRAGMA = /(?:#|;|\/\/)\s*django-deploy-lint:\s*(ignore|ignore-file)=([A-Za-z0-9_,\s]+?)(?:\s+--\s+.*)?\s*$/;

export interface Pragma {
  kind: 'ignore' | 'ignore-file';
  rules: string[];
  line: number;
}

export function pragmasOf(text: string): Pragma[] {
  const out: Pragma[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((l, i) => {
    const m = PRAGMA.exec(l);
    if (!m) return;
    const rules = m[2].split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
    out.push({ kind: m[1] as Pragma['kind'], rules, line: i + 1 });
  });
  return out;
}

export function applySuppressions(repo: Repo, findings: Finding[]): { kept: Finding[]; suppressed: number } {
  const cache = new Map<string, Pragma[]>();
  const pragmas = (file: string): Pragma[] => {
    let p = cache.get(file);
    if (!p) {
      const text = repo.read(file);
      p = text.ok ? pragmasOf(text.text) : [];
      cache.set(file, p);
    }
    return p;
  };
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    const ps = pragmas(f.file);
    const hit = ps.some(
      (p) =>
        (p.rules.includes(f.ruleId) || p.rules.includes('ALL')) &&
        ((p.kind === 'ignore' && p.line === f.line - 1) || (p.kind === 'ignore-file' && p.line <= 10)),
    );
    if (hit) suppressed++;
    else kept.push(f);
  }
  return { kept, suppressed };
}
