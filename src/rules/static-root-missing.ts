/**
 * DPL203 static-root-missing: collectstatic runs, but the settings it runs with set neither
 * STATIC_ROOT nor a remote static files storage, so it stops with ImproperlyConfigured.
 */
import type { Location } from '../core/location.js';
import type { Target } from '../model/types.js';
import type { Project } from '../model/project.js';
import type { SettingsFacts } from '../settings/read.js';
import { productionTargets, realServers, servesHttp } from './helpers.js';
import { describeChoice, otherSettingsFiles, settingsFor, staticRootSet, type SettingsChoice } from './settings-facts.js';
import { defineRule, type Report } from './types.js';

/**
 * The static files storage makes STATIC_ROOT unnecessary (a remote backend), or it cannot be
 * judged (a computed STORAGES / STATICFILES_STORAGE, a backend class of an unknown package).
 */
function storageMayCover(f: SettingsFacts): boolean {
  const b = f.staticBackend;
  if (!b) return f.storages !== null || f.staticfilesStorage !== null;
  if (b.remote) return true;
  return !b.value.startsWith('django.') && !b.value.startsWith('whitenoise.');
}

/** Text that sets STATIC_ROOT or a storage in a settings file none of the chosen modules reads. */
const SETS_STATIC = /\bSTATIC_ROOT\b|\bSTORAGES\b|\bSTATICFILES_STORAGE\b|django_heroku|django_on_heroku/;

function missing(project: Project, choices: SettingsChoice[]): boolean {
  if (choices.length === 0) return false;
  for (const c of choices) {
    const f = c.facts;
    if (!f.staticfilesApp || staticRootSet(f) || storageMayCover(f) || f.helpers.length > 0) return false;
  }
  // Chosen by default only: a deploy may select another settings module (Heroku config vars,
  // an env_file) that sets it; stay quiet when one exists.
  if (!choices[0].explicit) {
    for (const other of otherSettingsFiles(project, choices)) {
      const text = project.repo.text(other);
      if (text === null || SETS_STATIC.test(text)) return false;
    }
  }
  return true;
}

function firstLineLoc(project: Project, file: string): Location {
  const text = project.repo.text(file) ?? '';
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return { file, line: 1, column: 1, endLine: 1, endColumn: first.length + 1 };
}

function collectstaticWhere(t: Target): string {
  if (t.collectstatic) {
    const c = t.collectstatic.command.loc;
    return `collectstatic runs for ${t.file} (${c.file}:${c.line})`;
  }
  return `${t.facts.platformCollectstatic?.reason ?? 'the platform runs collectstatic'} for ${t.file}`;
}

const messages = {
  missing:
    '{{where}}, but {{settings}} sets neither STATIC_ROOT nor a remote STORAGES["staticfiles"] backend{{others}}, so collectstatic stops with ImproperlyConfigured ("You\'re using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path") and the deploy fails',
} as const;

export const staticRootMissing = defineRule({
  id: 'DPL203',
  name: 'static-root-missing',
  severity: 'error',
  summary: 'collectstatic needs STATIC_ROOT (or a remote STORAGES["staticfiles"] backend) and no settings module sets it.',
  messages,
  check({ project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const seen = new Set<string>();
    for (const t of productionTargets(targets)) {
      if (!t.collectstatic && !t.facts.platformCollectstatic) continue;
      const web = t.processes.find((p) => servesHttp(p) && realServers(p).length > 0);
      if (!web) continue;
      const choices = settingsFor(project, t, t.collectstatic, null, true);
      if (!choices || !missing(project, choices)) continue;
      const c = choices[0];
      // Point at STATIC_URL (where STATIC_ROOT belongs), else at the top of the settings module.
      const loc = c.facts.staticUrl && c.facts.staticUrl.kind !== 'helper' ? c.facts.staticUrl.loc : firstLineLoc(project, c.file);
      const data = {
        where: collectstaticWhere(t),
        settings: describeChoice(c),
        others: choices.length > 1 ? ` (nor do the other default settings modules: ${choices.slice(1).map((x) => `\`${x.module}\``).join(', ')})` : '',
      };
      const key = `${loc.file}:${loc.line}:${loc.column}|${data.where}|${data.settings}|${data.others}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        messageId: 'missing',
        data,
        loc,
        // A RUN line appears once per chain step it contributes; show it once.
        ...(t.collectstatic ? { via: t.collectstatic.chain.filter((s, i, all) => i === 0 || s.file !== all[i - 1].file || s.line !== all[i - 1].line) } : {}),
        target: t,
        help: 'STATIC_ROOT = BASE_DIR / "staticfiles"',
      });
    }
    return out;
  },
});
