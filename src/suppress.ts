/**
 * Suppress stage (docs/architecture.md, "Configuration and suppressions"): inline pragmas, applied after the rules (as hadolint does).
 *   # django-deploy-lint: ignore=DPL105,DPL201 -- reason     (on the line before the finding)
 *   # django-deploy-lint: ignore-file=DPL002 -- reason        (anywhere in the file's first 10 lines)
 * The comment may start with `#` (Procfile, Dockerfile, shell, YAML, systemd, nginx, Python),
 * `;` (systemd, ini) or `//`. `ignore=` covers the first line after it that is not itself a
 * pragma, so pragmas can be stacked. `ALL` stands for every rule.
 *
 * Pragmas are looked for in every file the run read (deployment files, scripts, settings,
 * server configs) and in every file a finding points at. A pragma that names an unknown rule,
 * suppresses nothing, is not understood, or an `ignore-file=` below line 10 is itself reported
 * as DPL004 unused-suppression (a notice), unless DPL004 is off. A pragma for a rule that is
 * off is not reported: it suppresses nothing on this run, but it is not wrong.
 */
import type { Repo } from './discover/repo.js';
import type { Finding, Severity } from './core/finding.js';
import type { RuleLevel } from './core/options.js';
import { RULE_LIST } from './rules/index.js';
import { unusedSuppression } from './rules/unused-suppression.js';

/** Lines that mention the tool's pragma prefix in a comment (well-formed or not). */
const MENTION = /(#|;|\/\/)\s*django-deploy-lint\s*:/;
const PRAGMA = /(?:#|;|\/\/)\s*django-deploy-lint:\s*(ignore|ignore-file)=([A-Za-z0-9_,\s]+?)(?:\s+--(?:\s+.*)?)?\s*$/;
/** `ignore-file=` counts only in a file's first lines. */
export const FILE_PRAGMA_LINES = 10;

export interface Pragma {
  kind: 'ignore' | 'ignore-file';
  rules: string[];
  line: number;
  /** 1-based column of the comment marker, and the end of the line (for DPL004's span). */
  column: number;
  endColumn: number;
  /** The line this `ignore=` covers: the first following line that is not a pragma (0 = none). */
  target: number;
}

export interface BadPragma {
  line: number;
  column: number;
  endColumn: number;
  text: string;
}

export function parsePragmas(text: string): { pragmas: Pragma[]; bad: BadPragma[] } {
  const pragmas: Pragma[] = [];
  const bad: BadPragma[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  const mentions: boolean[] = lines.map((l) => MENTION.test(l));
  lines.forEach((l, i) => {
    if (!mentions[i]) return;
    const at = MENTION.exec(l)!.index;
    const span = { line: i + 1, column: at + 1, endColumn: l.length + 1 };
    const m = PRAGMA.exec(l);
    const rules = m ? m[2].split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean) : [];
    if (!m || rules.length === 0) {
      bad.push({ ...span, text: l.slice(at).trim() });
      return;
    }
    let target = 0;
    for (let j = i + 1; j < lines.length; j++) {
      if (!mentions[j]) {
        target = j + 1;
        break;
      }
    }
    pragmas.push({ kind: m[1] as Pragma['kind'], rules, ...span, target });
  });
  return { pragmas, bad };
}

/** The well-formed pragmas of a text (kept for callers of the first version). */
export function pragmasOf(text: string): Pragma[] {
  return parsePragmas(text).pragmas;
}

function covers(p: Pragma, f: Finding): boolean {
  if (!(p.rules.includes(f.ruleId) || p.rules.includes('ALL'))) return false;
  return p.kind === 'ignore' ? p.target === f.line : p.line <= FILE_PRAGMA_LINES;
}

export function applySuppressions(
  repo: Repo,
  findings: Finding[],
  levels: Record<string, RuleLevel | undefined> = {},
): { kept: Finding[]; suppressed: number } {
  const cache = new Map<string, ReturnType<typeof parsePragmas>>();
  const pragmas = (file: string) => {
    let p = cache.get(file);
    if (!p) {
      const text = file ? repo.read(file) : null;
      p = text?.ok ? parsePragmas(text.text) : { pragmas: [], bad: [] };
      cache.set(file, p);
    }
    return p;
  };
  const used = new Set<Pragma>();
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    const hits = pragmas(f.file).pragmas.filter((p) => covers(p, f));
    for (const p of hits) used.add(p);
    if (hits.length > 0) suppressed++;
    else kept.push(f);
  }

  const level = levels[unusedSuppression.id];
  if (level !== 'off') {
    const severity: Severity = level ?? unusedSuppression.severity;
    const files = new Set<string>([...repo.readFiles(), ...findings.map((f) => f.file).filter(Boolean)]);
    for (const file of [...files].sort()) {
      const { pragmas: ps, bad } = pragmas(file);
      for (const b of bad) {
        kept.push(report(file, b, severity, `\`${b.text}\` is not a pragma this tool understands; write \`# django-deploy-lint: ignore=DPLnnn -- reason\` on the line before the finding, or \`ignore-file=DPLnnn\` in the file's first ${FILE_PRAGMA_LINES} lines`));
      }
      for (const p of ps) {
        const what = `\`${p.kind}=${p.rules.join(',')}\``;
        const unknown = p.rules.filter((id) => id !== 'ALL' && !RULE_LIST.some((r) => r.id === id));
        if (unknown.length > 0) {
          kept.push(report(file, p, severity, `the pragma ${what} names ${unknown.map((id) => `\`${id}\``).join(', ')}, which ${unknown.length === 1 ? 'is not a rule' : 'are not rules'} of this version of django-deploy-lint (see \`django-deploy-lint --list-rules\`)`));
        }
        if (p.kind === 'ignore-file' && p.line > FILE_PRAGMA_LINES) {
          kept.push(report(file, p, severity, `the pragma ${what} is on line ${p.line}; \`ignore-file=\` only counts in a file's first ${FILE_PRAGMA_LINES} lines, so it suppresses nothing`));
          continue;
        }
        if (used.has(p)) continue;
        const live = p.rules.filter((id) => id === 'ALL' || (RULE_LIST.some((r) => r.id === id) && levels[id] !== 'off'));
        if (live.length === 0) continue;
        const scope = p.kind === 'ignore' ? (p.target ? `on line ${p.target}` : 'at the end of the file') : 'in this file';
        kept.push(report(file, p, severity, `the pragma ${what} suppresses nothing: ${live.map((id) => `\`${id}\``).join(', ')} reports nothing ${scope}; remove the pragma (it would hide a future finding nobody has seen)`));
      }
    }
  }
  return { kept, suppressed };
}

function report(file: string, at: { line: number; column: number; endColumn: number }, severity: Severity, message: string): Finding {
  return {
    ruleId: unusedSuppression.id,
    rule: unusedSuppression.name,
    severity,
    target: null,
    message,
    file,
    line: at.line,
    column: at.column,
    endLine: at.line,
    endColumn: at.endColumn,
    via: [],
  };
}
