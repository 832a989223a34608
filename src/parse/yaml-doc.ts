/**
 * Small YAML reader for platform descriptors (render.yaml, heroku.yml): the `yaml` AST with a
 * `LineCounter`, so every value keeps its position. Strings are given with the position of their
 * first character (after the opening quote), for shell parsing with exact columns where the
 * source text equals the value; block scalars keep their line structure.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { Node as YNode, YAMLMap } from 'yaml';
import type { Location } from '../core/location.js';
import type { ParseIssue } from '../core/issue.js';
import { overParseLimit } from './limits.js';
import { parseYamlBounded, textLineCounter } from './yaml-bounded.js';

export interface YamlText {
  text: string;
  base: { line: number; column: number };
  loc: Location;
}

/** YAML errors reported per file: the first ones say what is wrong. */
const MAX_ISSUES = 20;

export class YamlDoc {
  readonly issues: ParseIssue[] = [];
  /** The first document's contents (null when the YAML has errors). */
  readonly root: YNode | null;
  /** Every error-free document's contents, when `all` was asked for (multi-document files). */
  readonly roots: YNode[] = [];
  private readonly lc = new LineCounter();

  constructor(
    readonly text: string,
    readonly file: string,
    all = false,
  ) {
    let root: YNode | null = null;
    const over = overParseLimit('yaml', text);
    if (over !== null) {
      this.issues.push({ message: `${file} is ${over}`, loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
      this.root = null;
      return;
    }
    try {
      const options = { uniqueKeys: false, prettyErrors: false };
      const parsed = parseYamlBounded(text, options, !all);
      const docs = Array.isArray(parsed) ? parsed : [];
      const doc = docs[0] ?? parseDocument('', { uniqueKeys: false });
      for (const d of docs) if (d.errors.length === 0 && d.contents) this.roots.push(d.contents as YNode);
      // An error at a line's end or the file's end gets an empty span.
      textLineCounter(text, this.lc);
      const errors = docs.flatMap((d) => d.errors);
      for (const e of errors.slice(0, MAX_ISSUES)) {
        const at = Math.min(e.pos[0], text.length);
        const p = this.lc.linePos(at);
        const width = at < text.length && text[at] !== '\n' && text[at] !== '\r' ? 1 : 0;
        this.issues.push({ message: `YAML: ${e.message.split('\n')[0]}`, loc: { file, line: p.line, column: p.col, endLine: p.line, endColumn: p.col + width } });
      }
      if (errors.length > MAX_ISSUES) {
        const last = this.issues[this.issues.length - 1];
        last.message += ` (and ${errors.length - MAX_ISSUES} more YAML errors after it)`;
      }
      if (doc.errors.length === 0) root = (doc.contents as YNode | null) ?? null;
    } catch (e) {
      this.issues.push({ message: `YAML: ${(e as Error).message}`, loc: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
    }
    this.root = root;
  }

  loc(n: YNode | null | undefined): Location {
    const r = n?.range ?? [0, 0, 0];
    let end = r[1];
    while (end > r[0] && /\s/.test(this.text[end - 1])) end--;
    const a = this.lc.linePos(r[0]);
    const b = this.lc.linePos(end);
    return { file: this.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  /** Value of `key` in a mapping node (plain keys only), or null. */
  get(map: YNode | null | undefined, key: string): YNode | null {
    if (!map || !isMap(map)) return null;
    for (const it of (map as YAMLMap).items) {
      const k = isScalar(it.key) ? String(it.key.value) : null;
      if (k === key) return (it.value as YNode | null) ?? null;
    }
    return null;
  }

  /** The key node of `key` in a mapping, for positions of sections. */
  keyNode(map: YNode | null | undefined, key: string): YNode | null {
    if (!map || !isMap(map)) return null;
    for (const it of (map as YAMLMap).items) if (isScalar(it.key) && String(it.key.value) === key) return it.key as YNode;
    return null;
  }

  /** Pairs of a mapping node. */
  pairs(map: YNode | null | undefined): { key: string; keyNode: YNode; value: YNode | null }[] {
    if (!map || !isMap(map)) return [];
    return (map as YAMLMap).items
      .filter((it) => isScalar(it.key))
      .map((it) => ({ key: String((it.key as Scalar).value), keyNode: it.key as YNode, value: (it.value as YNode | null) ?? null }));
  }

  items(seq: YNode | null | undefined): YNode[] {
    return seq && isSeq(seq) ? (seq.items as YNode[]) : [];
  }

  /** A scalar's value as a string (numbers and booleans as written), or null. */
  str(n: YNode | null | undefined): string | null {
    if (!n || !isScalar(n)) return null;
    if (n.value === null || n.value === undefined) return null;
    return String(n.value);
  }

  /** A string scalar as shell text with the position of its first character. */
  shellText(n: YNode | null | undefined): YamlText | null {
    if (!n || !isScalar(n) || n.value === null || n.value === undefined) return null;
    const value = String(n.value);
    const [start, end] = n.range ?? [0, 0];
    const at = (off: number) => {
      const p = this.lc.linePos(off);
      return { line: p.line, column: p.col };
    };
    const loc = this.loc(n);
    if (n.type === Scalar.BLOCK_LITERAL || n.type === Scalar.BLOCK_FOLDED) {
      const src = this.text.slice(start, end);
      const header = src.indexOf('\n');
      if (header < 0) return { text: value, base: at(start), loc };
      const rawLines = src.slice(header + 1).split('\n');
      const firstIdx = rawLines.findIndex((l) => l.trim() !== '');
      if (firstIdx < 0) return { text: '', base: at(start), loc };
      const indent = rawLines[firstIdx].length - rawLines[firstIdx].trimStart().length;
      let offset = start + header + 1;
      for (let k = 0; k < firstIdx; k++) offset += rawLines[k].length + 1;
      const lines = rawLines.slice(firstIdx).map((l) => l.replace(/\r$/, ''));
      while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
      if (n.type === Scalar.BLOCK_FOLDED) {
        // Folded lines join with a space: a trailing backslash keeps the shell reading one command.
        for (let k = 0; k < lines.length - 1; k++) if (lines[k].trim() !== '' && lines[k + 1].trim() !== '') lines[k] += ' \\';
      }
      lines[0] = lines[0].slice(indent);
      // Later lines keep their indentation: columns stay true to the file.
      return { text: lines.join('\n'), base: at(offset + indent), loc };
    }
    const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
    const inner = quoted ? start + 1 : start;
    return { text: value, base: at(inner), loc };
  }
}
