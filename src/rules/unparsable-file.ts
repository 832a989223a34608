import type { Rule } from './types.js';

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
    for (const i of repo.issues) {
      out.push({ message: i.message, loc: { file: i.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, target: null });
    }
    return out;
  },
};
