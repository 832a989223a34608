/**
 * INSTALLERS: every package installer that deps/installs.ts follows, one entry each
 * (docs/architecture.md, "The folders"). Adding an installer is one entry here: the programs
 * (and `python -m` modules) that run it, and what it does with its arguments through the
 * interpreter's operations (`InstallerHost`, implemented in installs.ts).
 *
 * Commands this table does not name are looked at by `opaque` in installs.ts: task runners and
 * scripts named like an install make the evidence unknown.
 */
import * as path from 'node:path';
import type { Location } from '../core/location.js';
import { type Label, MAIN } from './context.js';

/** Options that take a value (`--requirement`, `-r`); the others are flags. */
export interface OptSpec {
  /** Long and short options that take a value (`--requirement`, `-r`). */
  withArg: Set<string>;
}

/** Where the words of the command being read are in its file. */
export interface InstallCursor {
  whole(): Location;
}

/** What the install interpreter (installs.ts) does for an installer entry. */
export interface InstallerHost {
  pip(words: string[], argStart: number, at: InstallCursor, uvPip: boolean): void;
  uv(words: string[], argStart: number, at: InstallCursor): void;
  poetry(words: string[], argStart: number, at: InstallCursor): void;
  pipenv(words: string[], argStart: number, at: InstallCursor): void;
  pdm(words: string[], argStart: number, at: InstallCursor): void;
  pipSync(words: string[], argStart: number, at: InstallCursor): void;
  compile(words: string[], argStart: number, at: InstallCursor): void;
  conda(words: string[], argStart: number, at: InstallCursor): void;
  /** Packages named on the command line (`pipx install gunicorn`), read from `start`. */
  named(words: string[], start: number, at: InstallCursor, label: Label, spec: OptSpec): void;
  /** System packages (`apt-get install python3-gunicorn`). */
  system(kind: 'apt' | 'apk' | 'dnf', words: string[], argStart: number, at: InstallCursor): void;
}

export interface InstallerSpec {
  /** The installer's name. */
  name: string;
  /** Program basenames that run it (a pattern for versioned names such as `pip3.12`). */
  programs: (string | RegExp)[];
  /** `python -m <words>` that run it (`['piptools', 'sync']`); its arguments follow them. */
  modules?: string[][];
  /** Follow the command: `words` is the whole command, its own arguments start at `argStart`. */
  run(host: InstallerHost, words: string[], argStart: number, at: InstallCursor): void;
}

const set = (...xs: string[]): Set<string> => new Set(xs);

const PIPX: OptSpec = { withArg: set('--python', '--pip-args', '--index-url', '-i', '--suffix', '--preinstall', '--spec') };
const EASY_INSTALL: OptSpec = { withArg: set('-i', '--index-url', '-f', '--find-links', '-d', '--install-dir') };

export const INSTALLERS: readonly InstallerSpec[] = [
  { name: 'pip', programs: [/^pip(\d+(\.\d+)?)?$/], modules: [['pip']], run: (h, w, a, at) => h.pip(w, a, at, false) },
  { name: 'uv', programs: ['uv'], modules: [['uv']], run: (h, w, a, at) => h.uv(w, a, at) },
  { name: 'poetry', programs: ['poetry'], modules: [['poetry']], run: (h, w, a, at) => h.poetry(w, a, at) },
  { name: 'pipenv', programs: ['pipenv'], modules: [['pipenv']], run: (h, w, a, at) => h.pipenv(w, a, at) },
  { name: 'pdm', programs: ['pdm'], modules: [['pdm']], run: (h, w, a, at) => h.pdm(w, a, at) },
  { name: 'pip-sync', programs: ['pip-sync'], modules: [['piptools', 'sync']], run: (h, w, a, at) => h.pipSync(w, a, at) },
  { name: 'pip-compile', programs: ['pip-compile'], modules: [['piptools', 'compile']], run: (h, w, a, at) => h.compile(w, a, at) },
  { name: 'conda', programs: ['conda', 'mamba', 'micromamba'], modules: [['conda']], run: (h, w, a, at) => h.conda(w, a, at) },
  { name: 'pipx', programs: ['pipx'], modules: [['pipx']], run: (h, w, a, at) => (w[a] === 'install' ? h.named(w, a + 1, at, MAIN, PIPX) : undefined) },
  { name: 'easy_install', programs: ['easy_install'], run: (h, w, a, at) => h.named(w, a, at, MAIN, EASY_INSTALL) },
  { name: 'apt', programs: ['apt-get', 'apt', 'aptitude'], run: (h, w, a, at) => h.system('apt', w, a, at) },
  { name: 'apk', programs: ['apk'], run: (h, w, a, at) => h.system('apk', w, a, at) },
  { name: 'dnf', programs: ['dnf', 'yum', 'microdnf', 'tdnf'], run: (h, w, a, at) => h.system('dnf', w, a, at) },
];

/** Which installer a command runs and where its own arguments start (`python -m pip install` → pip, 3). */
export function installerOf(words: string[]): { spec: InstallerSpec; argStart: number } | null {
  const prog = path.posix.basename(words[0]);
  if (/^(python|pypy)(\d+(\.\d+)?)?$/.test(prog) || prog === 'py') {
    let i = 1;
    while (i < words.length && words[i] !== '-m' && /^-[A-Za-z]+$/.test(words[i])) i++;
    if (words[i] !== '-m' || (words[i + 1] ?? '').startsWith('-m')) return null;
    for (const spec of INSTALLERS) {
      const mod = spec.modules?.find((m) => m.every((w, k) => words[i + 1 + k] === w));
      if (mod) return { spec, argStart: i + 1 + mod.length };
    }
    return null;
  }
  const spec = INSTALLERS.find((s) => s.programs.some((p) => (typeof p === 'string' ? p === prog : p.test(prog))));
  return spec ? { spec, argStart: 1 } : null;
}
