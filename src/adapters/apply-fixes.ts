/**
 * `--fix` and `--unsafe-fixes` (docs/cli.md, "Fixes"), like ruff's: apply the fixes the rules
 * made (Finding.autofix, src/core/fix.ts), then lint again, until nothing more applies or
 * MAX_PASSES passes have run. Within a pass, a fix that overlaps one applied before it waits for
 * the next pass (the findings are computed anew on the changed files).
 *
 * Only `safe` fixes, plus `unsafe` ones when asked; `display-only` fixes never. Every write goes
 * through safeWriteFile: inside the scanned root, through no symbolic link. A file is read the
 * same way (a link is not followed), and must still hold what the lint read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applicable, applyFixes, type Fix } from '../core/fix.js';
import type { Finding } from '../core/finding.js';
import type { Result } from '../suppress/result.js';
import { safeWriteFile, UnsafeWriteError } from '../core/safe-write.js';

/** Passes at most: a fix that makes another applicable is applied on the next pass. */
export const MAX_PASSES = 10;

export interface AppliedFix {
  file: string;
  line: number;
  /** Every file the fix edited (the first is `file`). */
  files: string[];
  ruleId: string;
  title: string;
  safety: Fix['safety'];
}

export interface FixOutcome {
  /** The result of the last lint (after the last pass that changed something). */
  result: Result;
  applied: AppliedFix[];
  /** Files that could not be written (a link, outside the root), with why. */
  refused: { file: string; why: string }[];
  passes: number;
}

/** The fixes of `findings` that `--fix` (and `--unsafe-fixes` with `unsafe`) applies. */
export function applicableFixes(findings: readonly Finding[], unsafe: boolean): (Finding & { autofix: Fix })[] {
  return findings.filter((f): f is Finding & { autofix: Fix } => !!f.autofix && f.autofix.safety !== 'display-only' && applicable(f.autofix.safety, unsafe) && f.autofix.edits.length > 0);
}

/**
 * Applies the fixes to the files under `root`, linting again after each pass with `relint`.
 * A fix whose edits span several files is applied only when every file takes it.
 */
export async function fixLoop(root: string, first: Result, unsafe: boolean, relint: () => Promise<Result>): Promise<FixOutcome> {
  let result = first;
  const applied: AppliedFix[] = [];
  const refused: { file: string; why: string }[] = [];
  const refusedFiles = new Set<string>();
  let passes = 0;
  while (passes < MAX_PASSES) {
    const todo = applicableFixes(result.findings, unsafe).filter((f) => !f.autofix.edits.some((e) => refusedFiles.has(e.file)));
    if (todo.length === 0) break;
    passes++;
    const changed = applyPass(root, todo, refused, refusedFiles);
    if (changed.length === 0) break;
    applied.push(...changed);
    result = await relint();
  }
  return { result, applied, refused, passes };
}

function applyPass(root: string, todo: (Finding & { autofix: Fix })[], refused: { file: string; why: string }[], refusedFiles: Set<string>): AppliedFix[] {
  // A fix over several files is applied in a pass only if it is taken in each of them.
  const files = [...new Set(todo.flatMap((f) => f.autofix.edits.map((e) => e.file)))].sort();
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = readInside(root, file);
    if (text === null) {
      refusedFiles.add(file);
      refused.push({ file, why: 'not a regular file inside the scanned root' });
    } else texts.set(file, text);
  }
  let candidates = todo.filter((f) => f.autofix.edits.every((e) => texts.has(e.file)));
  // Per file, the fixes that fit; a multi-file fix that does not fit everywhere is dropped and
  // the files are computed again without it.
  for (;;) {
    const taken = new Map<string, Set<Finding>>();
    const out = new Map<string, string>();
    for (const [file, text] of texts) {
      const mine = candidates.map((f) => ({ finding: f, fix: { ...f.autofix, edits: f.autofix.edits.filter((e) => e.file === file) } })).filter((x) => x.fix.edits.length > 0);
      const r = applyFixes(text, file, mine);
      taken.set(file, new Set(r.applied.map((x) => x.finding)));
      if (r.applied.length > 0) out.set(file, r.text);
    }
    const partial = candidates.filter((f) => !f.autofix.edits.every((e) => taken.get(e.file)?.has(f)));
    const whole = candidates.filter((f) => !partial.includes(f));
    if (partial.some((f) => f.autofix.edits.some((e) => taken.get(e.file)?.has(f)))) {
      candidates = whole;
      continue;
    }
    const written = new Set<string>();
    for (const [file, text] of out) {
      try {
        safeWriteFile(root, file, text);
        written.add(file);
      } catch (err) {
        refusedFiles.add(file);
        refused.push({ file, why: err instanceof UnsafeWriteError ? err.message : String(err) });
      }
    }
    return whole
      .filter((f) => f.autofix.edits.every((e) => written.has(e.file)))
      .map((f) => ({ file: f.autofix.edits[0].file, line: f.autofix.edits[0].range.start.line, files: [...new Set(f.autofix.edits.map((e) => e.file))], ruleId: f.ruleId, title: f.autofix.title, safety: f.autofix.safety }));
  }
}

/** The text of `file` (relative to `root`), read through no symbolic link; null otherwise. */
function readInside(root: string, file: string): string | null {
  const rootReal = fs.realpathSync(path.resolve(root));
  const parts = file.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  let at = rootReal;
  for (const part of parts) {
    at = path.join(at, part);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(at);
    } catch {
      return null;
    }
    if (st.isSymbolicLink()) return null;
  }
  try {
    const st = fs.lstatSync(at);
    if (!st.isFile()) return null;
    return fs.readFileSync(at, 'utf8');
  } catch {
    return null;
  }
}
