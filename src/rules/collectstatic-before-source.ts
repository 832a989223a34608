import * as path from 'node:path';
import { imageModel, stageChain } from '../model/targets/image.js';
import { productionTargets } from './helpers.js';
import { defineRule, type Report } from './types.js';

const messages = {
  beforeSource:
    '`collectstatic` runs on line {{runLine}}, before the project source is copied into the image (line {{copyLine}}): it finds no manage.py or app static files there, so the image ships without collected static files',
} as const;

export const collectstaticBeforeSource = defineRule({
  id: 'DPL205',
  name: 'collectstatic-before-source',
  severity: 'error',
  summary: 'In a Dockerfile, collectstatic runs before the source is copied in.',
  messages,
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    for (const t of productionTargets(targets)) {
      const df = t.facts.dockerfile;
      const cs = t.collectstatic;
      if (!df || !cs || cs.chain[0]?.file !== df.file) continue;
      const image = imageModel(project, df.file, df.context, df.stage);
      if (!image) continue;
      const runLine = cs.chain[0].line;
      // The COPY that brings manage.py (the project source) into the image.
      const managePy = project.repo.named('manage.py');
      // Only COPYs of the stage that runs collectstatic (and the stages it is built FROM) count.
      const runStep = image.steps.find((s) => s.kind === 'run' && s.line === runLine);
      const chain = new Set(runStep ? stageChain(image.parsed, runStep.stage) : image.stages);
      const sourceCopy = image.steps.find(
        (s) =>
          s.kind === 'copy' &&
          chain.has(s.stage) &&
          !s.copy!.from &&
          s.copy!.sources.some((src) => {
            const rel = path.posix.normalize(path.posix.join(image.context, src.value)).replace(/^\.$/, '');
            return managePy.some((m) => m === rel || rel === '' || m.startsWith(rel + '/'));
          }),
      );
      if (!sourceCopy || sourceCopy.line < runLine) continue;
      out.push({
        messageId: 'beforeSource',
        data: { runLine, copyLine: sourceCopy.line },
        loc: cs.command.loc,
        via: cs.chain,
        target: t,
        help: `move the collectstatic RUN after line ${sourceCopy.line}`,
      });
    }
    return out;
  },
});
