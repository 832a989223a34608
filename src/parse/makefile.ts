/**
 * Just enough of a Makefile to see what `make install` runs: rules (`target: prereqs`), their
 * tab-indented recipes (with `\` continuations and `@`/`-`/`+` prefixes), simple variables
 * (`VAR = x`, `VAR := x`, `VAR ?= x`, command-line `VAR=x`) and `$(MAKE) other`. Recipes are
 * split into commands at `&&`, `||`, `;` and `|` and into words at blanks outside quotes.
 *
 * Hand-written and deliberately partial: pattern rules, functions (`$(shell ...)`,
 * `$(wildcard ...)`), conditionals and includes are not interpreted; a recipe line that needs
 * them is returned as `unknown` so the caller does not draw conclusions from it.
 */
import type { Location } from '../core/location.js';
import { lineLoc, splitLines } from '../core/lines.js';

export interface MakeCommand {
  words: string[];
  loc: Location;
}

export interface MakeResult {
  commands: MakeCommand[];
  unknown: { message: string; loc: Location }[];
}

interface Rule {
  prereqs: string[];
  /** Each recipe command with the span of its physical lines (a `\` continuation spans several). */
  recipe: { text: string; line: number; column: number; endLine: number; endColumn: number }[];
  line: number;
}

const MAX_RULES = 50;
const MAX_LINES = 300;

function parse(text: string): { rules: Map<string, Rule>; vars: Map<string, string>; first: string | null } {
  const rules = new Map<string, Rule>();
  const vars = new Map<string, string>();
  let first: string | null = null;
  let cur: Rule | null = null;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    const n = i + 1;
    if (l.startsWith('\t')) {
      if (!cur) continue;
      let body = l.slice(1);
      while (/\\$/.test(body) && i + 1 < lines.length) body = body.slice(0, -1) + ' ' + lines[++i].replace(/^\t/, '');
      cur.recipe.push({ text: body, line: n, column: 2, endLine: i + 1, endColumn: lines[i].length + 1 });
      continue;
    }
    while (/\\$/.test(l) && i + 1 < lines.length) l = l.slice(0, -1) + ' ' + lines[++i];
    const lineEnd = { endLine: i + 1, endColumn: lines[i].length + 1 };
    const noComment = l.replace(/(^|[^\\])#.*$/, '$1');
    if (!noComment.trim()) continue;
    const assign = /^\s*(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:=|::=|\+=|=)\s*(.*)$/.exec(noComment);
    if (assign) {
      const [, name, op, value] = assign;
      if (op === '?=' && vars.has(name)) continue;
      vars.set(name, op === '+=' ? `${vars.get(name) ?? ''} ${value.trim()}`.trim() : value.trim());
      cur = null;
      continue;
    }
    const rule = /^([^:=\t][^:=]*?)\s*::?(?!=)\s*(.*)$/.exec(noComment);
    if (rule) {
      const targets = rule[1].trim().split(/\s+/);
      const [deps, inline] = rule[2].split(';', 2);
      const r: Rule = { prereqs: deps.replace(/\|/g, ' ').trim().split(/\s+/).filter(Boolean), recipe: [], line: n };
      if (inline?.trim()) r.recipe.push({ text: inline.trim(), line: n, column: 1, ...lineEnd });
      for (const t of targets) {
        if (rules.size >= MAX_RULES * 4) break;
        if (!first && !t.startsWith('.') && !t.includes('%')) first = t;
        if (!rules.has(t)) rules.set(t, r);
      }
      cur = r;
      continue;
    }
    cur = null;
  }
  return { rules, vars, first };
}

/** Split a shell command line into commands and words (quotes removed; no expansion). */
export function splitShell(text: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let cur = '';
  let has = false;
  let q: string | null = null;
  const endWord = () => {
    if (cur || has) words.push(cur);
    cur = '';
    has = false;
  };
  const endCmd = () => {
    endWord();
    if (words.length) out.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else if (c === '#' && !cur && !has) break;
    else if (c === ';' || c === '|' || c === '&' || c === '\n') {
      endCmd();
      if ((c === '&' || c === '|') && text[i + 1] === c) i++;
    } else if (/\s/.test(c)) endWord();
    else cur += c;
  }
  endCmd();
  return out;
}

/**
 * The commands `make TARGETS` runs from `file` (`text`), prerequisites first. `vars` are the
 * command-line assignments (`opts=--no-dev`).
 */
export function makeCommands(file: string, text: string, targets: string[], vars: Record<string, string>): MakeResult {
  const { rules, vars: fileVars, first } = parse(text);
  const res: MakeResult = { commands: [], unknown: [] };
  const done = new Set<string>();
  let lines = 0;
  const expand = (s: string, depth = 0): string | null => {
    if (depth > 5) return null;
    let ok = true;
    const v = s.replace(/\$(?:\(([^()]*)\)|\{([^{}]*)\}|([A-Za-z@<^*?]))|\$\$/g, (m, a, b, c) => {
      if (m === '$$') return '\u0000';
      const name = (a ?? b ?? c) as string;
      if (name === 'MAKE') return 'make';
      const val = vars[name] ?? fileVars.get(name);
      if (val === undefined || /\s/.test(name)) {
        ok = false;
        return m;
      }
      const inner = expand(val, depth + 1);
      if (inner === null) ok = false;
      return inner ?? '';
    });
    return ok ? v.replace(/\u0000/g, '$') : null;
  };
  const visit = (t: string, depth: number): void => {
    if (done.has(t) || depth > 8 || lines > MAX_LINES) return;
    done.add(t);
    const r = rules.get(t);
    if (!r) return; // a file prerequisite, or a target this reader does not know
    for (const p of r.prereqs) visit(p, depth + 1);
    for (const step of r.recipe) {
      if (lines++ > MAX_LINES) break;
      const raw = step.text.replace(/^[\s@+-]+/, '');
      if (!raw || raw.startsWith('#')) continue;
      const loc: Location = { file, line: step.line, column: step.column, endLine: step.endLine, endColumn: step.endColumn };
      const text = expand(raw);
      if (text === null) {
        res.unknown.push({ message: `'${raw.slice(0, 60)}' in ${file} uses make variables or functions this tool does not expand`, loc });
        continue;
      }
      for (const words of splitShell(text)) {
        // `make other` / `$(MAKE) other` inside a recipe: follow the same Makefile.
        if (words[0] === 'make' && !words.some((w) => w === '-C' || w === '-f' || w.startsWith('--directory') || w.startsWith('--file'))) {
          for (const x of words.slice(1).filter((w) => !w.startsWith('-') && !w.includes('='))) visit(x, depth + 1);
          continue;
        }
        res.commands.push({ words, loc });
      }
    }
  };
  const want = targets.length > 0 ? targets : first ? [first] : [];
  for (const t of want) {
    if (!rules.has(t)) {
      res.unknown.push({ message: `${file} has no rule '${t}' this tool can read`, loc: lineLoc(file, 1, 1, 1) });
      continue;
    }
    visit(t, 0);
  }
  return res;
}
