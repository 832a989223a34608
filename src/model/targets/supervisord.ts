/**
 * supervisord targets: every `[program:x]` of a supervisord configuration (`supervisord.conf`,
 * `conf.d/*.conf`, any `.conf`/`.ini` with `[program:…]` sections). `command=` is split into
 * words (supervisord runs it without a shell), `directory=` is its working directory and
 * `environment=KEY="v",K2=v2` its variables; `%(ENV_X)s` reads the environment.
 */
import { splitShellWords } from '../../parse/argv.js';
import { literalArg, type Env } from '../args.js';
import { judge } from '../production.js';
import type { Project } from '../project.js';
import { ProcessBuilder } from '../resolve.js';
import { resolvePosix, type PathMapper } from '../paths.js';
import type { Command } from '../../core/words.js';
import type { Target } from '../types.js';
import { parseSupervisord, supervisordExpand } from '../supervisord-config.js';
import { configDirMapper, dirOf } from './platform.js';
import { imagesHolding, type ImageModel } from './image.js';
import { guessContext } from './image-source.js';
import { roleFromProcess } from './roles.js';
import { makeTarget } from './make.js';

export function supervisordTargets(project: Project, file: string): Target[] {
  const text = project.repo.text(file);
  if (text === null || !/^\s*\[(fcgi-)?program:/m.test(text)) return [];
  const parsed = parseSupervisord(text, file);
  project.addParseIssues(file, parsed.issues);
  if (parsed.programs.length === 0) return [];
  const dir = dirOf(file);
  const verdict = judge(file, { platform: 'supervisord keeps these programs running on a server or in a container' });
  const target: Target = makeTarget({
    kind: 'supervisord',
    file,
    line: parsed.programs[0].nameLoc.line,
    verdict,
    facts: { cwd: null, env: {}, envLocs: {} },
  });
  // Relative paths (with no directory=) are relative to where supervisord was started; read them
  // from the configuration's folder.
  // When a Dockerfile copies this configuration into its image, absolute paths are that image's
  // (`command=/usr/local/bin/app web` names what the same Dockerfile copied there).
  const mapper = withImages(configDirMapper(project, dir), imagesHolding(project, file, (df) => guessContext(project, df)));
  for (const prog of parsed.programs) {
    if (!prog.command) continue;
    const env: Env = {};
    for (const e of prog.environment) env[e.name] = e.value.includes('%(') ? null : e.value;
    const split = splitShellWords(supervisordExpand(prog.command.text), file, prog.command.base);
    if (split.error) project.addParseIssues(file, [split.error]);
    if (split.words.length === 0) continue;
    const b = new ProcessBuilder(project, mapper, prog.name, 'other', prog.command.loc);
    const cmd: Command = { words: split.words, assignments: [], loc: prog.command.loc, text: prog.command.text.split('\n')[0] };
    const cwd = prog.directory && prog.directory.startsWith('/') ? resolvePosix('/', prog.directory) : null;
    b.runArgs(split.words.map(literalArg), cmd, { env, cwd, positional: [], chain: [{ file, line: prog.command.loc.line, column: prog.command.loc.column, text: `command=${cmd.text}`, reach: 'direct' }], depth: 0, conditional: !prog.autostart, stack: [file] }, true);
    b.process.role = roleFromProcess(b.process, false);
    target.processes.push(b.process);
    if (b.process.role === 'web') {
      // The web program's environment= is the target's (DEBUG=True there is DPL105's).
      for (const e of prog.environment) {
        if (env[e.name] != null) target.facts.env![e.name] = env[e.name]!;
        target.facts.envLocs![e.name] = e.loc;
      }
    }
  }
  return target.processes.length > 0 ? [target] : [];
}

/** The configuration's own folder first, then the file systems of the images that hold it. */
function withImages(own: PathMapper, images: ImageModel[]): PathMapper {
  if (images.length === 0) return own;
  const first = <T>(f: (m: PathMapper) => T | null): T | null => {
    for (const m of images.map((i) => i.mapper)) {
      const r = f(m);
      if (r !== null) return r;
    }
    return null;
  };
  return {
    toRepo: (p, cwd) => own.toRepo(p, cwd) ?? first((m) => m.toRepo(p, cwd)),
    onPath: (name) => first((m) => m.onPath(name)),
    written: (p, cwd) => first((m) => m.written?.(p, cwd) ?? null),
  };
}
