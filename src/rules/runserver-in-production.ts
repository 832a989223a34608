import { spanOfWords } from '../model/args.js';
import * as path from 'node:path';
import { DEV_SERVERS, gunicornFix, lineAt, shownWords, processLabel, productionTargets, realServers, whyProduction } from './helpers.js';
import { defineRule, type Fix, type Report, type TextEdit } from './types.js';
import type { Repo } from '../discover/repo.js';
import type { Project } from '../model/project.js';
import type { FixNeeds } from '../core/finding.js';
import type { Location } from '../core/location.js';
import type { ServerInfo, Target } from '../model/types.js';
import { fixNeedsFor } from './install-facts.js';

const messages = {
  defaultBranch:
    'runserver is the default branch: {{process}} starts `{{command}}` while {{vars}} {{are}} unset ({{branch}}), so {{what}} serves production traffic unless the deployment sets {{them}} {{why}}',
  fallback: '{{process}} can fall back to `{{command}}`{{branch}}: {{what}} would then serve production traffic, instead of {{server}}. Remove the fallback or make it fail loudly {{why}}',
  runserver:
    '{{process}} starts `{{command}}`, {{what}}, which is not built for production (no security audits, no performance tests); run a WSGI/ASGI server such as gunicorn instead {{why}}',
  shippedDefault:
    "the image built from {{file}} starts `{{command}}` by default, {{what}}: {{names}} replace{{s}} that command, but `docker run`, Kubernetes and anyone pulling the image get it as it is; {{published}}; make the image's own CMD a WSGI/ASGI server such as gunicorn",
} as const;

export const runserverInProduction = defineRule({
  id: 'DPL101',
  name: 'runserver-in-production',
  severity: 'error',
  summary: "Django's development server (`runserver`) serves a production target.",
  messages,
  // gunicorn in place of runserver changes what runs (workers, timeouts, no static files, no
  // auto-reload): always unsafe, applied only with --unsafe-fixes.
  fixable: 'unsafe',
  check({ repo, project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    // With the image defaults that production targets replace (their severity depends on whether
    // the image is published).
    for (const t of [...productionTargets(targets), ...targets.filter((x) => x.production && x.facts.shippedDefault)]) {
      const shipped = t.facts.shippedDefault;
      for (const p of t.processes) {
        const real = realServers(p);
        for (const { server, at } of p.servers) {
          if (!DEV_SERVERS.has(server.kind)) continue;
          const words = server.command.words;
          const loc = words.length > 0 ? spanOfWords(words) : at.command.loc;
          const shown = shownWords(words);
          const what = server.kind === 'runserver_plus' ? "django-extensions' `runserver_plus` (a development server)" : "Django's development server";
          const fallback = real.length > 0 && (at.conditional || at.branch !== undefined);
          const unset = at.branch?.unset ?? [];
          if (unset.length > 0) {
            // The arm is chosen because the target leaves a variable unset: the default branch.
            const vars = unset.map((v) => `\`${v}\``).join(', ');
            out.push({
              messageId: 'defaultBranch',
              data: {
                process: processLabel(t, p),
                command: shown,
                vars,
                are: unset.length > 1 ? 'are' : 'is',
                branch: at.branch!.label.startsWith('else of') ? at.branch!.label : `\`${at.branch!.label}\``,
                what,
                them: unset.length > 1 ? 'them' : 'it',
                why: whyProduction(t),
              },
              loc,
              via: at.chain,
              target: t,
              severity: 'warning',
              help: `set ${vars} in this target's environment so that the production branch runs, or make the production server the default and start runserver only when the development set-up asks for it`,
            });
            continue;
          }
          const message: Pick<Report<keyof typeof messages>, 'messageId' | 'data'> = fallback
            ? ({
                messageId: 'fallback',
                data: {
                  process: processLabel(t, p),
                  command: shown,
                  branch: at.branch ? ` (in the branch ${at.branch.label.startsWith('else of') ? at.branch.label : `\`${at.branch.label}\``})` : '',
                  what,
                  server: real[0].server.kind,
                  why: whyProduction(t),
                },
              } as const)
            : ({ messageId: 'runserver', data: { process: processLabel(t, p), command: shown, what, why: whyProduction(t) } } as const);
          if (shipped) {
            const by = shipped.overriddenBy;
            const names = `${by.slice(0, 2).map((b) => `\`${b}\``).join(', ')}${by.length > 2 ? ` and ${by.length - 2} more` : ''}`;
            out.push({
              messageId: 'shippedDefault',
              data: {
                file: t.file,
                command: shown,
                what,
                names,
                s: by.length === 1 ? 's' : '',
                published: shipped.published
                  ? `the repository publishes this image (${shipped.published.file}:${shipped.published.line} ${shipped.published.what}), so an error`
                  : `nothing in the repository publishes the image, so a warning`,
              },
              loc,
              via: at.chain,
              target: t,
              severity: shipped.published ? 'error' : 'warning',
              ...withEdits(repo, loc, { help: gunicornFix(repo, runserverBind(server.bind[0]?.value)) }),
            });
            continue;
          }
          out.push({
            ...message,
            loc,
            via: at.chain,
            target: t,
            ...(fallback
              ? { help: `make ${real[0]?.server.kind ?? 'the production server'} the default and start runserver only when a variable the development set-up sets asks for it (or exit with an error in that branch if nothing uses it)` }
              : withEdits(repo, loc, serverFix(repo, project, t, server))),
          });
        }
      }
    }
    return out;
  },
});

/**
 * gunicorn in place of runserver, keeping what the runserver command chose: its port (a
 * Procfile line without one gets `$PORT`), `--settings` (as DJANGO_SETTINGS_MODULE through
 * gunicorn's `--env`) and `--pythonpath`; with the package to add when the target does not
 * install gunicorn.
 */
function serverFix(repo: Repo, project: Project, t: Target, server: ServerInfo): { help: string; fixNeeds?: FixNeeds } {
  const addr = server.bind[0]?.value;
  let fix = gunicornFix(repo, t.kind === 'procfile' && !addr ? '0.0.0.0:$PORT' : runserverBind(addr));
  const settings = server.options.settings?.value;
  if (settings) fix += ` --env DJANGO_SETTINGS_MODULE=${settings}`;
  const pythonpath = server.options.pythonpath?.value;
  if (pythonpath) fix += ` --pythonpath ${pythonpath}`;
  const needs = fixNeedsFor(repo, project, t, 'gunicorn');
  return needs === null ? { help: fix } : { help: fix, fixNeeds: needs === 'unknown' ? { package: 'gunicorn', file: null, section: null, text: 'gunicorn' } : needs };
}

/** The address runserver was given, made reachable: `8000` → `0.0.0.0:8000`. */
function runserverBind(addr: string | undefined): string {
  if (!addr) return '0.0.0.0:8000';
  const port = /(?:^|:)(\$\{?\w+\}?|\d+)$/.exec(addr)?.[1] ?? '8000';
  return `0.0.0.0:${port}`;
}

/** A fix we can paste: a server and plain arguments (no placeholder, quote, or shell syntax). */
const SERVER_COMMAND = /^(gunicorn|uvicorn|daphne|uwsgi|waitress-serve|hypercorn|granian)( [A-Za-z0-9_.:/$={},@%+-]+)+$/;
const RUNSERVER = /^(?:\S*python[0-9.]*\s+)?(?:\S*\/)?(?:manage\.py|django-admin)\s+runserver\b/;

/**
 * The report with its fix as edits: the runserver command replaced by the server command of
 * `help`, and, when the target does not install that server, the line that declares it in the
 * dependency file (both or neither: gunicorn alone would fail with "command not found"). When
 * the dependency cannot be added by an edit, the fix is `display-only`: shown (a suggestion in
 * words), never applied.
 */
function withEdits<T extends { help: string; fixNeeds?: FixNeeds }>(repo: Repo, loc: Location, r: T): T & { fix?: Fix } {
  const line = lineAt(repo, loc.file, loc.line);
  const edit = line === null ? null : commandEdit(loc, line, r.help);
  if (!edit) return r;
  const title = `Replace runserver with \`${r.help.split(' ')[0]}\``;
  if (!r.fixNeeds) return { ...r, fix: { title, safety: 'unsafe', edits: [edit] } };
  const n = r.fixNeeds;
  const lines = n.file ? repo.text(n.file)?.split('\n').map((l) => l.replace(/\r$/, '')) : undefined;
  const add = n.file && lines ? dependencyEdit(n.file, lines, n) : null;
  if (!add) return { ...r, fix: { title, safety: 'display-only', edits: [edit] } };
  return { ...r, fix: { title: `${title} and declare \`${n.package}\` in ${n.file}`, safety: 'unsafe', edits: [edit, add] } };
}

/**
 * The edit that puts `command` in place of the runserver command at `loc` on `lineText`, or
 * null when that is not mechanical: a Procfile process line or a Dockerfile `CMD` line whose
 * span is exactly the runserver command (possibly after `sh -c "… && `), and a plain server
 * command (the project's real WSGI module, no placeholder). Exec form gets JSON items.
 */
export function commandEdit(loc: Location, lineText: string, command: string): TextEdit | null {
  if (!SERVER_COMMAND.test(command)) return null;
  if (!(loc.line >= 1) || loc.endLine !== loc.line || !(loc.column >= 1) || !(loc.endColumn > loc.column)) return null;
  if (lineText.length < loc.endColumn - 1 || /[\r\n]/.test(lineText)) return null;
  const before = lineText.slice(0, loc.column - 1);
  const span = lineText.slice(loc.column - 1, loc.endColumn - 1);
  const after = lineText.slice(loc.endColumn - 1);
  const base = path.posix.basename(loc.file);
  const replace = (text: string): TextEdit => ({ file: loc.file, range: { start: { line: loc.line, column: loc.column }, end: { line: loc.line, column: loc.endColumn } }, text });

  if (/^Procfile(\.[\w.-]+)?$/.test(base)) {
    // `web: <command>`, the command being exactly the runserver invocation (possibly after
    // `sh -c "… && `; what follows may only be a closing quote and spaces).
    if (!/^[A-Za-z0-9_-]+:\s*/.test(before) || !RUNSERVER.test(span) || !/^["']?\s*$/.test(after)) return null;
    if (/[;&|`<>]/.test(span)) return null;
    return replace(command);
  }

  if (/^(Dockerfile|Containerfile)([.-][\w.-]+)?$|\.(Dockerfile|Containerfile)$/i.test(base)) {
    const cmd = before.match(/^\s*CMD\s+(\[\s*(?:"(?:[^"\\]|\\.)*"\s*,\s*)*)?$/i);
    if (!cmd) return null;
    if (cmd[1] !== undefined) {
      // Exec form: the span is the tail of the JSON array; no shell, so no `$VAR` in the command.
      if (/\$/.test(command) || !/^\s*\]\s*$/.test(after)) return null;
      let args: unknown;
      try {
        args = JSON.parse(`[${span}]`);
      } catch {
        return null;
      }
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string') || !RUNSERVER.test(args.join(' '))) return null;
      return replace(command.split(' ').map((a) => JSON.stringify(a)).join(', '));
    }
    // Shell form: the rest of the line is the runserver command.
    if (!RUNSERVER.test(span) || !/^\s*$/.test(after) || /[;&|`<>]/.test(span)) return null;
    return replace(command);
  }
  return null;
}

/**
 * The edit that declares the package in a dependency file: a line after the last requirement
 * of a requirements file, or an item of `[project] dependencies` in pyproject.toml (before the
 * closing `]`, or inside a one-line list). Null for anything else.
 */
export function dependencyEdit(file: string, lines: string[], needs: FixNeeds): TextEdit | null {
  const base = path.posix.basename(file);
  const at = (line: number, column: number, endColumn = column) => ({ start: { line, column }, end: { line, column: endColumn } });
  if (needs.section === null && /\.(txt|in)$/.test(base)) {
    let last = lines.length;
    while (last > 0 && lines[last - 1].trim() === '') last--;
    if (last === 0 || /\\$/.test(lines[last - 1])) return null;
    return { file, range: at(last, lines[last - 1].length + 1), text: `\n${needs.text}` };
  }
  if (base === 'pyproject.toml' && needs.section === '[project] dependencies') {
    let inProject = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (/^\s*\[/.test(l)) inProject = /^\s*\[project\]\s*(#.*)?$/.test(l);
      if (!inProject || !/^\s*dependencies\s*=\s*\[/.test(l)) continue;
      // One line: `dependencies = ["django"]`.
      const one = l.match(/^(\s*dependencies\s*=\s*\[)(.*?)(\]\s*(#.*)?)$/);
      if (one) {
        const text = `${one[1]}${one[2].trim() ? `${one[2].replace(/,?\s*$/, '')}, ` : ''}${needs.text.replace(/,$/, '')}${one[3]}`;
        return { file, range: at(i + 1, 1, l.length + 1), text };
      }
      for (let j = i + 1; j < lines.length; j++) {
        if (/^\s*\]\s*$/.test(lines[j])) {
          const prev = lines[j - 1];
          const indent = j - 1 > i ? (prev.match(/^\s*/)?.[0] ?? '    ') : '    ';
          if (j - 1 > i && !/,\s*(#.*)?$/.test(prev)) return null;
          return { file, range: at(j + 1, 1), text: `${indent}${needs.text}\n` };
        }
        if (/^\s*\[/.test(lines[j]) || /[\]]/.test(lines[j].replace(/#.*$/, '').replace(/"[^"]*"|'[^']*'/g, ''))) return null;
      }
    }
  }
  return null;
}
