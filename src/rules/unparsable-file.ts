import type { Report, Rule } from './types.js';

/** Links out of the root are refused (docs/architecture.md, "Bounds") and said ONCE, as a notice, on the first of them. */
function outsideRootNotice(files: string[]): Report {
  const sorted = [...new Set(files)].sort();
  const shown = sorted.slice(0, 5).map((f) => `\`${f}\``).join(', ');
  const more = sorted.length > 5 ? ` and ${sorted.length - 5} more` : '';
  const what = sorted.length === 1 ? 'a symbolic link that leads' : `${sorted.length} symbolic links that lead`;
  return {
    message: `${shown}${more}: ${what} outside the scanned root, not read (the linter never reads outside the checked-out repository)`,
    loc: { file: sorted[0], line: 1, column: 1, endLine: 1, endColumn: 1 },
    target: null,
    severity: 'notice',
  };
}

export const unparsableFile: Rule = {
  id: 'DPL001',
  name: 'unparsable-file',
  severity: 'warning',
  summary: 'A deployment file could not be parsed: where and why.',
  check({ project, repo }) {
    const out = [];
    for (const [, issues] of project.parseIssues) {
      for (const i of issues) out.push({ message: i.message, loc: i.loc, target: null });
    }
    const outside: string[] = [];
    for (const i of repo.issues) {
      if (i.reason === 'outside-root') outside.push(i.file);
      else out.push({ message: i.message, loc: { file: i.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, target: null });
    }
    if (outside.length > 0) out.push(outsideRootNotice(outside));
    return out;
  },
};
