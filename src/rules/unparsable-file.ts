import { DEPLOYMENT_FILES } from '../model/build.js';
import { judge } from '../model/production.js';
import { defineRule, type Report } from './types.js';

/** Links out of the root are refused (docs/architecture.md, "Bounds") and said ONCE, as a notice, on the first of them. */
const messages = {
  /** The parser's or the reader's own reason, as it gave it. */
  parseIssue: '{{reason}}',
  outsideRoot: '{{files}}: {{what}} outside the scanned root, not read (the linter never reads outside the checked-out repository)',
} as const;
type Id = keyof typeof messages;

function outsideRootNotice(files: string[]): Report<Id> {
  const sorted = [...new Set(files)].sort();
  const shown = sorted.slice(0, 5).map((f) => `\`${f}\``).join(', ');
  const more = sorted.length > 5 ? ` and ${sorted.length - 5} more` : '';
  const what = sorted.length === 1 ? 'a symbolic link that leads' : `${sorted.length} symbolic links that lead`;
  return {
    messageId: 'outsideRoot',
    data: { files: `${shown}${more}`, what },
    loc: { file: sorted[0], line: 1, column: 1, endLine: 1, endColumn: 1 },
    target: null,
    severity: 'notice',
  };
}

export const unparsableFile = defineRule({
  id: 'DPL001',
  name: 'unparsable-file',
  severity: 'warning',
  summary: 'A deployment file could not be parsed: where and why.',
  messages,
  check({ project, repo }) {
    const out: Report<Id>[] = [];
    // A production deployment file skipped or cut short (over a size cap, a binary file, past
    // the read budget) is an error: padding a Procfile must not bypass the checks.
    let deployment: Set<string> | null = null;
    const skippedDeploymentFile = (file: string): boolean => {
      deployment ??= new Set(DEPLOYMENT_FILES.flatMap((sel) => repo.select(sel)));
      return deployment.has(file) && judge(file).production;
    };
    const SKIPPED = /over the \d+-(?:character|byte) limit/;
    for (const [file, issues] of project.parseIssues) {
      for (const i of issues) {
        const severity = SKIPPED.test(i.message) && skippedDeploymentFile(file) ? 'error' : undefined;
        out.push({ messageId: 'parseIssue', data: { reason: i.message }, loc: i.loc, target: null, ...(severity ? { severity } : {}) });
      }
    }
    const outside: string[] = [];
    for (const i of repo.issues) {
      if (i.reason === 'outside-root') outside.push(i.file);
      else {
        const skipped = i.reason === 'too-large' || i.reason === 'binary' || i.reason === 'budget';
        const severity = skipped && skippedDeploymentFile(i.file) ? 'error' : undefined;
        out.push({ messageId: 'parseIssue', data: { reason: i.message }, loc: { file: i.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, target: null, ...(severity ? { severity } : {}) });
      }
    }
    if (outside.length > 0) out.push(outsideRootNotice(outside));
    return out;
  },
});
