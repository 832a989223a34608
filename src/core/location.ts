/**
 * Positions (docs/architecture.md, "Layers": core). Every node carries a 1-based position so that each finding
 * points at the exact file and line. Columns are 1-based; `endColumn` is exclusive (the column
 * after the last character), as in SARIF.
 */

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span in a file; `file` is relative to the scanned root, with `/`. */
export interface Location extends Span {
  file: string;
}
