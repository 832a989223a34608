import { collectstaticRuns } from '../model/build.js';
import { productionTargets, textAt } from './helpers.js';
import { defineRule, type Report } from './types.js';

const messages = {
  interactive:
    '`collectstatic` runs without `--noinput`: with no terminal to answer its "Are you sure?" prompt it aborts the {{what}} when files would be overwritten',
} as const;

export const collectstaticInteractive = defineRule({
  id: 'DPL202',
  name: 'collectstatic-interactive',
  severity: 'warning',
  summary: 'collectstatic without `--noinput`/`--no-input` where no terminal exists.',
  messages,
  // Adding `--noinput` only answers the prompt that nobody can answer: the same files are
  // collected, and a run that aborted now completes.
  fixable: 'safe',
  check({ repo, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      for (const { at, dj } of collectstaticRuns(t)) {
        if (dj.rest.some((a) => a.value === '--noinput' || a.value === '--no-input' || a.value === '--no-input=true')) continue;
        // An argument only known at run time may be the flag.
        if (dj.rest.some((a) => a.value === null)) continue;
        const role = t.processes.find((p) => p.commands.includes(at))?.role;
        const loc = dj.nameArg.word.loc;
        out.push({
          messageId: 'interactive',
          data: { what: role === 'build' ? 'image build' : 'deploy' },
          loc,
          via: at.chain,
          target: t,
          help: 'python manage.py collectstatic --noinput',
          // Only where the file holds the bare word (not a quoted exec-form item, not a variable).
          ...(textAt(repo, loc) === 'collectstatic'
            ? { fix: { title: 'Add `--noinput` to collectstatic', safety: 'safe' as const, edits: [{ file: loc.file, range: { start: { line: loc.endLine, column: loc.endColumn }, end: { line: loc.endLine, column: loc.endColumn } }, text: ' --noinput' }] } }
            : {}),
        });
      }
    }
    return out;
  },
});
