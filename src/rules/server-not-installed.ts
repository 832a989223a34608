/**
 * DPL103 server-not-installed: the server a production target starts is neither declared in
 * the dependencies the platform installs nor installed by the image's RUN instructions.
 *
 * Where the rule looks, per target kind:
 * - procfile: the declarations of the Procfile's folder that a Heroku-style buildpack installs
 *   (requirements.txt and its includes, Pipfile/Pipfile.lock, pyproject.toml with its lock,
 *   setup.py/cfg); a development group does not count, everything requirements.txt pulls in does;
 * - dockerfile / compose: what the RUN instructions of every stage reaching the final image
 *   install (builder stages copied in with `COPY --from` included), in build order;
 * - systemd: every dependency file of the repository (the host install is not visible);
 * - uwsgi-ini (an ini no target loads): as systemd, but a warning: the host's operator may
 *   install uWSGI from the OS packages.
 *
 * Precision first: whenever the evidence is incomplete (an install that cannot be read, a base
 * image that is not a plain Python/OS image, a venv copied from another image, `uv run` /
 * `uvx` that install on the fly, a script that is not followed) the rule stays silent.
 */
import type { Repo } from '../discover/repo.js';
import { suggestAddition, type Declared } from '../deps/declarations.js';
import { findProvider, packagesForServer } from '../deps/packages.js';
import type { Location } from '../core/location.js';
import type { Process, ResolvedCommand, ServerInfo, Target } from '../model/types.js';
import { staticValue } from '../parse/shell.js';
import { evidenceFor, provided, type Evidence, type Unknown } from '../facts/install-facts.js';
import { processLabel, productionTargets, realServers } from '../facts/helpers.js';
import { defineRule, type Report } from './types.js';

const messages = {
  notInstalled: '{{process}} runs {{server}}, but {{what}} {{verb}} not {{how}} {{where}}{{found}}, so {{failure}}',
} as const;

export const serverNotInstalled = defineRule({
  id: 'DPL103',
  name: 'server-not-installed',
  severity: 'error',
  summary: 'The server is neither declared in the dependencies nor installed in the image.',
  messages,
  check({ repo, project, targets }) {
    const out: Report<keyof typeof messages>[] = [];
    const seen = new Set<string>();
    for (const t of productionTargets(targets)) {
      let ev: Evidence | Unknown | null = null;
      for (const p of t.processes) {
        if (p.role === 'build') continue;
        for (const { server, at } of realServers(p)) {
          const reqs = packagesForServer(server.kind, server.options.workerClass ? { workerClass: server.options.workerClass.value } : {});
          if (reqs.length === 0) continue;
          if (installsOnTheFly(at)) continue;
          ev ??= evidenceFor(project, t);
          if ('unknown' in ev) continue;
          const missing = reqs.filter((alts) => !provided(ev as Evidence, alts));
          if (missing.length === 0 || ev.incomplete) continue;
          const loc = locFor(server, at, missing, reqs);
          const key = `${t.id}\0${loc.file}:${loc.line}:${loc.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const r = report(repo, t, p, server, at, ev, missing, reqs, loc);
          // A uWSGI ini is run by a host whose operator may install uWSGI from the OS packages
          // (`apt install uwsgi-plugin-python3`): undeclared is a warning there, not an error.
          out.push(t.kind === 'uwsgi-ini' ? { ...r, severity: 'warning' } : r);
        }
      }
    }
    return out;
  },
});

/** `uv run`, `uvx`, `pipx run`, `hatch run`, `pixi run` install what they run when they start. */
function installsOnTheFly(at: ResolvedCommand): boolean {
  const texts = [at.command.text, ...at.chain.map((s) => s.text)];
  return texts.some((x) => /(^|[\s;&|(])(uvx|uv\s+(?:\S+\s+)*?(?:run|tool\s+run)|pipx\s+run|hatch\s+run|pixi\s+(?:run|exec)|conda\s+run|micromamba\s+run|nix-shell|nix\s+run)(\s|$)/.test(x));
}

/** Where to point: the server's name, or the worker class when only its package is missing. */
function locFor(server: ServerInfo, at: ResolvedCommand, missing: string[][], reqs: string[][]): Location {
  const onlyWorker = missing.length === 1 && missing[0] !== reqs[0] && server.options.workerClass;
  if (onlyWorker) return server.options.workerClass!.loc;
  return server.command.words[server.argStart]?.loc ?? at.command.loc;
}

function report(
  repo: Repo,
  t: Target,
  p: Process,
  server: ServerInfo,
  at: ResolvedCommand,
  ev: Evidence,
  missing: string[][],
  reqs: string[][],
  loc: Location,
): Report<keyof typeof messages> {
  const names = missing.map((alts) => alts.map((a) => `\`${a}\``).join(' or '));
  const what = names.join(' and ');
  const verb = missing.length > 1 ? 'are' : 'is';
  const word = server.command.words[server.argStart];
  const shown = word ? (staticValue(word) ?? word.raw) : server.kind;
  const pythonM = server.argStart > 0 && staticValue(server.command.words[server.argStart - 1]) === '-m';
  const onlyWorker = missing.length === 1 && missing[0] !== reqs[0] && server.options.workerClass;
  const failure = onlyWorker
    ? `${server.kind} cannot load the worker class \`${server.options.workerClass!.value}\``
    : pythonM
      ? `the process fails with \`No module named ${shown}\``
      : shown.includes('/')
        ? `the process fails: \`${shown}\` does not exist`
        : `the process fails with \`${shown}: command not found\``;
  // The package may be declared where this installer does not look (a dev group, another file).
  const other = missing.map((alts) => findProvider(ev.elsewhere, alts)).map((f) => f.prod ?? f.dev).find((d): d is Declared => d !== null && d !== undefined);
  let found = '';
  if (other) {
    const place = `${other.loc.file}:${other.loc.line}`;
    found = other.dev
      ? `; \`${other.name}\` is declared only for development (${other.group === 'main' ? 'a development file' : `group \`${other.group}\``}, ${place}), which ${ev.installer} does not install`
      : other.kind === 'extra' || other.kind === 'group'
        ? `; \`${other.name}\` is declared in the ${other.kind} \`${other.group}\` (${place}), which ${ev.installer} does not install`
        : `; \`${other.name}\` is declared in ${place}, which ${ev.installer} does not install`;
  }
  const data = { process: processLabel(t, p), server: server.kind, what, verb, how: ev.image ? 'installed by' : 'declared in', where: ev.where, found, failure };
  const pkg = missing[0][0];
  const files = ev.files.length > 0 ? ev.files : other ? [other.loc.file, ...other.via] : [];
  const s = suggestAddition(repo, files, pkg);
  let fix: string;
  if (s) {
    fix = `add ${s.text.replace(/,$/, '')} to ${s.section ? `${s.section} of ` : ''}${s.file}`;
    if (ev.image && !ev.files.includes(s.file)) fix += `, and install ${s.file} in the image`;
  } else {
    fix = ev.image ? `RUN pip install ${missing.map((m) => m[0]).join(' ')}` : `add ${pkg} to requirements.txt`;
  }
  return { messageId: 'notInstalled', data, loc, via: at.chain, target: t, help: fix };
}


// ---------------------------------------------------------------------------------------------
// Evidence per target kind
// ---------------------------------------------------------------------------------------------
