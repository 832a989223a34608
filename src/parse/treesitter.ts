/**
 * Lazy loading of web-tree-sitter and its WASM grammars (bash, python). Each grammar is loaded
 * once, on first use, so a run that needs neither pays nothing.
 *
 * In the bundle (dist/), the WASM files sit in dist/wasm/ (copied by scripts/build.mjs); from the
 * sources (tests), they are resolved in node_modules.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import { hasParseDeadline, overParseLimit, parseExpired } from './limits.js';
import TS from './web-tree-sitter.cjs';

export type Tree = import('web-tree-sitter').Tree;
export type Node = import('web-tree-sitter').Node;
export type Parser = import('web-tree-sitter').Parser;

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

function wasmPath(file: string, pkg: string): string {
  const bundled = path.join(here, 'wasm', file);
  if (fs.existsSync(bundled)) return bundled;
  return requireFromHere.resolve(`${pkg}/${file}`);
}

let init: Promise<void> | null = null;
const languages = new Map<string, Promise<import('web-tree-sitter').Language>>();

function initOnce(): Promise<void> {
  if (!init) {
    // web-tree-sitter's CommonJS build reads __dirname to find its WASM; the ESM bundle has none,
    // and locateFile below gives the real place, so any value will do.
    (globalThis as { __dirname?: string }).__dirname ??= here;
    // V8 compiles WASM with its baseline compiler (Liftoff) and re-compiles hot functions with
    // TurboFan in the background. For the grammars, the hot function is the generated lexer,
    // huge: its TurboFan compile took ~1.5 s of CPU and raised peak RSS from ~95 MB to ~590 MB
    // (a 5,000-file repo, Node 24), for inputs (deployment files, settings) that Liftoff code
    // parses in milliseconds (a 900 KB script: the same time either way). Tier-up is switched off
    // before the first compile; these flags touch only WASM, which nothing else here runs.
    for (const flag of ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering']) {
      try {
        v8.setFlagsFromString(flag);
      } catch {
        // Not expected (V8 ignores unknown flags); parsing works either way, only slower.
      }
    }
    init = TS.Parser.init({ locateFile: () => wasmPath('web-tree-sitter.wasm', 'web-tree-sitter') });
  }
  return init;
}

export type Grammar = 'bash' | 'python';

/** A parser for one grammar. Parsers are cheap; the grammar is loaded once. */
export async function parserFor(grammar: Grammar): Promise<Parser> {
  await initOnce();
  let lang = languages.get(grammar);
  if (!lang) {
    const file = `tree-sitter-${grammar}.wasm`;
    lang = TS.Language.load(wasmPath(file, `tree-sitter-${grammar}`));
    languages.set(grammar, lang);
  }
  const parser = new TS.Parser();
  parser.setLanguage(await lang);
  return parser;
}

const ready = new Map<Grammar, Parser>();

/** Load grammars up front so that later parsing can be synchronous (`loadedParser`). */
export async function loadGrammars(grammars: Grammar[]): Promise<void> {
  for (const g of grammars) if (!ready.has(g)) ready.set(g, await parserFor(g));
}

const GRAMMAR_OF: Record<'python' | 'script' | 'command', Grammar> = { python: 'python', script: 'bash', command: 'bash' };
export type TreeKind = keyof typeof GRAMMAR_OF;

export type Parsed = { tree: Tree } | { tree: null; reason: 'too-large' | 'deadline' | 'failed'; message: string };

/**
 * Parse `text` of a kind within its size cap and the run's deadline. Never throws for its input:
 * a text over the cap is not parsed, a parse past the deadline is cancelled.
 */
export function parseText(kind: TreeKind, text: string): Parsed {
  const over = overParseLimit(kind, text);
  if (over !== null) return { tree: null, reason: 'too-large', message: over };
  if (parseExpired()) return { tree: null, reason: 'deadline', message: "not parsed: the run's time bound is spent" };
  const parser = loadedParser(GRAMMAR_OF[kind]);
  // tree-sitter's progress callback runs every hundred or so parser operations and cancels the
  // parse when it returns true: the bound holds inside a super-linear parse.
  const tree = parser.parse(text, null, hasParseDeadline() ? { progressCallback: () => parseExpired() } : undefined);
  if (tree) return { tree };
  // Cancelled (or failed): start the next parse afresh, not where this one stopped.
  parser.reset();
  if (parseExpired()) return { tree: null, reason: 'deadline', message: "not parsed: the run's time bound was reached while parsing" };
  return { tree: null, reason: 'failed', message: 'the parser gave up on this file' };
}

/** A parser for a grammar already loaded with `loadGrammars`; throws if it was not. */
export function loadedParser(grammar: Grammar): Parser {
  const p = ready.get(grammar);
  if (!p) throw new Error(`tree-sitter grammar '${grammar}' used before loadGrammars()`);
  return p;
}
