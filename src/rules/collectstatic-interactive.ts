import { collectstaticRuns } from '../model/build.js';
import { productionTargets } from '../facts/helpers.js';
import type { Report, Rule } from './types.js';

export const collectstaticInteractive: Rule = {
  id: 'DPL202',
  name: 'collectstatic-interactive',
  severity: 'warning',
  summary: 'collectstatic without `--noinput`/`--no-input` where no terminal exists.',
  check({ targets }) {
    const out: Report[] = [];
    for (const t of productionTargets(targets)) {
      for (const { at, dj } of collectstaticRuns(t)) {
        if (dj.rest.some((a) => a.value === '--noinput' || a.value === '--no-input' || a.value === '--no-input=true')) continue;
        // An argument only known at run time may be the flag.
        if (dj.rest.some((a) => a.value === null)) continue;
        const role = t.processes.find((p) => p.commands.includes(at))?.role;
        out.push({
          message: `\`collectstatic\` runs without \`--noinput\`: with no terminal to answer its "Are you sure?" prompt it aborts the ${role === 'build' ? 'image build' : 'deploy'} when files would be overwritten`,
          loc: dj.nameArg.word.loc,
          via: at.chain,
          target: t,
          fix: 'python manage.py collectstatic --noinput',
        });
      }
    }
    return out;
  },
};
