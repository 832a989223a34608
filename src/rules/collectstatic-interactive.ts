import { djangoCommand } from '../model/servers.js';
import type { Arg } from '../model/args.js';
import type { ResolvedCommand } from '../model/types.js';
import { productionTargets } from './helpers.js';
import type { Report, Rule } from './types.js';

export const collectstaticInteractive: Rule = {
  id: 'DPL202',
  name: 'collectstatic-interactive',
  severity: 'warning',
  summary: 'collectstatic without `--noinput`/`--no-input` where no terminal exists.',
  check({ targets }) {
    const out: Report[] = [];
    for (const t of productionTargets(targets)) {
      for (const p of t.processes) {
        for (const c of p.commands) {
          const args = (c as ResolvedCommand & { args?: Arg[] }).args;
          if (!args) continue;
          const dj = djangoCommand(args);
          if (!dj || dj.name !== 'collectstatic') continue;
          if (dj.rest.some((a) => a.value === '--noinput' || a.value === '--no-input' || a.value === '--no-input=true')) continue;
          if (dj.rest.some((a) => a.value === null)) continue;
          out.push({
            message: `\`collectstatic\` runs without \`--noinput\`: with no terminal to answer its "Are you sure?" prompt it aborts the ${p.role === 'build' ? 'image build' : 'deploy'} when files would be overwritten`,
            loc: dj.nameArg.word.loc,
            via: c.chain,
            target: t,
            fix: 'python manage.py collectstatic --noinput',
          });
        }
      }
    }
    return out;
  },
};
