/**
 * Shared pieces of the property-based fuzz tests (`__tests__/fuzz-*.test.ts`, fast-check):
 * input generators (random text, token soup, mutations of real files from the fixtures), the
 * span checker (every position a parser or the engine reports lies inside its file) and the
 * run counts. `npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_SCALE for a longer campaign.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures');

/** Multiplier of every run count: 1 in the test suite, larger under `npm run fuzz`. */
export const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? '1') || 1);

/** fast-check parameters: `runs` per property scaled; a fixed seed in the suite (reproducible),
 *  a random one in a campaign (FUZZ_SEED to replay a failure). */
export function params(runs: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : SCALE === 1 ? 20261127 : undefined;
  return { numRuns: runs * SCALE, ...(seed !== undefined ? { seed } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Seeds: real files of each format from the fixture repositories and examples
// ---------------------------------------------------------------------------------------------

function listFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

let allFiles: string[] | null = null;

/** Texts of fixture/example files whose name matches `re` (at most 40, sorted), plus `extra`. */
export function seeds(re: RegExp, extra: string[] = []): string[] {
  allFiles ??= [...listFiles(FIXTURES), ...listFiles(path.join(ROOT, 'examples'))].sort();
  const texts: string[] = [];
  for (const f of allFiles) {
    if (!re.test(path.basename(f))) continue;
    const buf = fs.readFileSync(f);
    if (buf.length > 20_000 || buf.includes(0)) continue;
    texts.push(buf.toString('utf8'));
    if (texts.length >= 40) break;
  }
  return [...texts, ...extra];
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** Characters and fragments that break parsers: line breaks of every kind, quotes, escapes,
 *  expansions, YAML/INI/shell syntax, NUL, BOM, separators, surrogates, wide characters. */
export const SPECIAL = [
  '\n', '\r', '\r\n', '\t', ' ', '  ', '"', "'", '\\', '\\\n', '$', '${', '}', '$(', ')', '`', '{', '[', ']',
  ':', '::', '#', '# ', '&', '*', '<<', '<<:', '|', ';', '&&', '||', '=', '-', '--', '%', '!', '@', '>', '<',
  '\0', '\u2028', '\u2029', '\uFEFF', '\u202E', '\x1b', '\x85', '\uD800', '\uDC00', 'é', '😀', '中',
  '---', '...', '&a ', '*a', '!!str ', '? ', '- ', '[Service]', 'ExecStart=', 'CMD ', 'RUN ', 'ENTRYPOINT [',
  'web: ', 'exec ', 'sh -c ', 'manage.py runserver', 'gunicorn ', 'python ', '0.0.0.0:8000', '\\"', "'\"'",
  // Issue 16: runs on which parsers were super-linear, paths that leave the root by their value,
  // terminal controls, ill-formed text.
  '\\\n\\\n\\\n\\\n', '<<<<<<<<', '"'.repeat(8), '\t\t\t\t\t\t', '[[[[[[[[', '&a &a &a ', '/etc/passwd', '../../x', '\uD800.yml',
  '\x1b[31m', '\x07', '\x9b', '\x00', '\uDBFF\uDBFF', '\u2066',
];

const special = fc.constantFrom(...SPECIAL);
const junk = fc.string({ unit: 'binary', maxLength: 12 });

interface Mutation {
  kind: 'insert' | 'delete' | 'dup' | 'replace' | 'truncate';
  at: number;
  len: number;
  text: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'dup', 'replace', 'truncate'),
  at: fc.nat(),
  len: fc.nat({ max: 24 }),
  text: fc.oneof({ weight: 3, arbitrary: special }, { weight: 1, arbitrary: junk }),
}) as fc.Arbitrary<Mutation>;

export function mutate(text: string, ms: Mutation[]): string {
  let s = text;
  for (const m of ms) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    switch (m.kind) {
      case 'insert':
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + m.len);
        break;
      case 'dup':
        s = s.slice(0, at + m.len) + s.slice(at, at + m.len) + s.slice(at);
        break;
      case 'replace':
        s = s.slice(0, at) + m.text + s.slice(at + Math.max(1, m.len % 4));
        break;
      case 'truncate':
        s = s.slice(0, at);
        break;
    }
  }
  return s;
}

/** Inputs for a parser of one format: mostly mutated real files, token soup of the format's
 *  vocabulary, and raw random text. */
export function inputs(seedTexts: string[], vocab: string[] = []): fc.Arbitrary<string> {
  const base = seedTexts.length > 0 ? seedTexts : [''];
  const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SPECIAL, ...vocab) }, { weight: 1, arbitrary: junk });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...base), fc.array(mutation, { maxLength: 10 })).map(([s, ms]) => mutate(s, ms)) },
    { weight: 2, arbitrary: fc.array(token, { maxLength: 60 }).map((ts) => ts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
}

// ---------------------------------------------------------------------------------------------
// Spans
// ---------------------------------------------------------------------------------------------

/** Line lengths of `text` under both conventions parsers use (`\n` only, or any of CR LF CRLF). */
export function lineTable(text: string): { lf: number[]; any: number[] } {
  return { lf: text.split('\n').map((l) => l.length), any: text.split(/\r\n|\r|\n/).map((l) => l.length) };
}

function posOk(t: { lf: number[]; any: number[] }, line: number, column: number): boolean {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1) return false;
  const a = t.lf[line - 1];
  const b = t.any[line - 1];
  // A column may sit one past the end of its line (an exclusive end, or an empty line).
  return (a !== undefined && column <= a + 1) || (b !== undefined && column <= b + 1);
}

export interface SpanProblem {
  where: string;
  span: unknown;
}

/** Every `{line, column[, endLine, endColumn]}` reachable in `value` (plain objects and arrays
 *  only) whose `file` is `file` (or that has no `file`) must lie inside `text`, and end at or after
 *  its start. Returns the offending spans. */
export function checkSpans(value: unknown, text: string, file: string, options: { noFile?: boolean } = {}): SpanProblem[] {
  const table = lineTable(text);
  const problems: SpanProblem[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, where: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${where}[${i}]`));
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return; // tree-sitter nodes, YAML nodes, ...
    const o = v as Record<string, unknown>;
    const hasPos = typeof o.line === 'number' && typeof o.column === 'number';
    const ours = typeof o.file !== 'string' ? options.noFile !== false : o.file === file;
    if (hasPos && ours) {
      let ok = posOk(table, o.line as number, o.column as number);
      if (typeof o.endLine === 'number' && typeof o.endColumn === 'number') {
        ok &&= posOk(table, o.endLine, o.endColumn);
        ok &&= o.endLine > (o.line as number) || (o.endLine === o.line && o.endColumn >= (o.column as number));
      }
      if (!ok) problems.push({ where, span: { line: o.line, column: o.column, endLine: o.endLine, endColumn: o.endColumn } });
    }
    for (const [k, x] of Object.entries(o)) visit(x, `${where}.${k}`);
  };
  visit(value, '$');
  return problems;
}

/** JSON of a parse result for the determinism check (non-plain objects are left out). */
export function stable(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
    if (seen.has(v)) return '[cycle]';
    seen.add(v);
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return `[${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'object'}]`;
    return v;
  });
}
