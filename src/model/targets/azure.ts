/**
 * Azure App Service targets. On Linux the startup command lives in a file the app's
 * configuration names, by convention `startup.txt` (`gunicorn --bind=0.0.0.0 --timeout 600
 * proj.wsgi`), run in a shell from the app's folder. Azure's Oryx build runs
 * `manage.py collectstatic --noinput` itself for Django apps unless the app setting
 * `DISABLE_COLLECTSTATIC` is true (looked for in the repo's infrastructure files and workflows).
 * On Windows, `web.config`'s `<httpPlatform processPath=… arguments=…>` starts the server
 * (`%HTTP_PLATFORM_PORT%` is the port, `D:\home\site\wwwroot` the app's folder); a
 * wfastcgi/`WSGI_HANDLER` web.config starts no command and is not followed.
 */
import type { FileSelector } from '../../discover/repo.js';
import * as path from 'node:path';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import type { Location } from '../../core/location.js';
import type { Target } from '../types.js';
import { APP_ROOT, dirOf, shellProcess, type PlacedText } from './platform.js';
import { managePyNear } from './procfile.js';
import { makeTarget } from './make.js';

export function isAzureStartup(file: string): boolean {
  return path.posix.basename(file) === 'startup.txt';
}

export const AZURE_STARTUP: FileSelector = { name: 'startup.txt', prefixes: ['startup.'], test: isAzureStartup };

export function isAzureWebConfig(file: string): boolean {
  return path.posix.basename(file).toLowerCase() === 'web.config';
}

export const AZURE_WEB_CONFIG: FileSelector = { name: 'web.config', prefixes: ['web.'], test: isAzureWebConfig };

const APP_HINT = /manage\.py|django|gunicorn|uwsgi|uvicorn|daphne|hypercorn|granian|waitress|runserver|wsgi|asgi/;

/** Files where App Service settings are kept in a repo: Bicep/ARM/Terraform, workflows, azd. */
const SETTINGS_FILE = /\.(bicep|tf|json|ya?ml|parameters\.json)$/;

/** Infrastructure files that may set App Service's app settings. */
export const AZURE_SETTINGS_FILES: FileSelector = {
  name: 'App Service settings',
  exts: ['bicep', 'tf', 'json', 'yml', 'yaml'],
  test: (f) => SETTINGS_FILE.test(f) && /(^|\/)(infra|\.azure|\.github|deploy|azure)\b|azure/i.test(f),
};

function collectstaticDisabled(project: Project): string | null {
  for (const f of project.repo.select(AZURE_SETTINGS_FILES)) {
    const text = project.repo.text(f);
    if (!text || !text.includes('DISABLE_COLLECTSTATIC')) continue;
    if (/DISABLE_COLLECTSTATIC['"]?\s*[:=,]\s*(?:value\s*[:=]\s*)?['"]?(true|1|yes)\b/i.test(text) || /DISABLE_COLLECTSTATIC\W{1,40}(true|1|yes)\b/i.test(text)) return f;
  }
  return null;
}

function platformFacts(project: Project, dir: string, target: Target): void {
  const managePy = managePyNear(project, dir);
  if (!managePy) return;
  const off = collectstaticDisabled(project);
  if (off) return;
  target.facts.platformCollectstatic = {
    reason: `Azure App Service's Oryx build runs \`manage.py collectstatic --noinput\` for Django apps unless DISABLE_COLLECTSTATIC is set (found ${managePy})`,
  };
}

export function azureStartupTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null || !APP_HINT.test(text)) return [];
  // A start command file holds one command line (a script is allowed too): skip blank and comment lines for the target's line.
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (first < 0) return [];
  const dir = dirOf(file);
  const verdict = judge(file, { platform: 'startup.txt is the startup command of an Azure App Service' });
  const loc: Location = { file, line: first + 1, column: 1, endLine: lines.length, endColumn: (lines[lines.length - 1] ?? '').length + 1 };
  const cmd: PlacedText = { text, base: { line: 1, column: 1 }, loc };
  const target: Target = makeTarget({
    kind: 'azure',
    file,
    line: first + 1,
    verdict,
    processes: [shellProcess(project, file, dir, 'startup', 'web', cmd, { PORT: '$PORT' })],
    facts: { cwd: APP_ROOT, env: { PORT: '$PORT' } },
  });
  platformFacts(project, dir, target);
  return [target];
}

function attr(tag: string, name: string): { value: string; index: number } | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(["'])([^"']*)\\1`, 'i').exec(tag);
  return m ? { value: m[2], index: m.index + m[0].indexOf(m[1]) + 1 } : null;
}

/** A Windows path in web.config as a path in the app's folder (`D:\home\site\wwwroot\x` → `x`). */
function appPath(p: string): string {
  return p
    .replace(/%HOME%|[A-Za-z]:\\home/gi, '/home')
    .replace(/\\/g, '/')
    .replace(/^\/home\/site\/wwwroot\/?/i, '');
}

export function azureWebConfigTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null) return [];
  const m = /<httpPlatform\b[^>]*>/i.exec(text);
  if (!m) return [];
  const tag = m[0];
  const proc = attr(tag, 'processPath');
  if (!proc) return [];
  const args = attr(tag, 'arguments');
  const exe = path.posix.basename(proc.value.replace(/\\/g, '/')).replace(/\.exe$/i, '');
  const argText = args ? appPath(args.value).replace(/\s[A-Za-z]:\\home\\site\\wwwroot\\/gi, ' ').replace(/\\/g, '/') : '';
  const command = `${exe} ${argText.replace(/%HTTP_PLATFORM_PORT%/gi, '$PORT').split(/\s+/).map(appPath).join(' ')}`.trim();
  if (!APP_HINT.test(command)) return [];
  const at = m.index + (args ?? proc).index;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const loc: Location = { file, line, column, endLine: line, endColumn: column + (args ?? proc).value.length };
  const dir = dirOf(file);
  const verdict = judge(file, { platform: 'web.config is what IIS on Azure App Service (Windows) runs' });
  // The command is rebuilt from two attributes: its words carry the attribute's position, not exact columns.
  const cmd: PlacedText = { text: command, base: { line, column }, loc };
  const target: Target = makeTarget({
    kind: 'azure',
    file,
    line,
    verdict,
    processes: [shellProcess(project, file, dir, 'httpPlatform', 'web', cmd, { PORT: '$PORT' })],
    facts: { cwd: APP_ROOT, env: { PORT: '$PORT' } },
  });
  platformFacts(project, dir, target);
  return [target];
}
