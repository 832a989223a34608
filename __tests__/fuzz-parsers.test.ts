/**
 * Property-based fuzzing of every parser (docs/architecture.md, "Bounds" "never crash on bad input"): random text, token
 * soup and mutations of the real fixture files never make a parser throw, every position it
 * reports lies inside its file, and the same input gives the same result. `npm run fuzz` runs the
 * same properties FUZZ_SCALE times longer with a random seed (FUZZ_SEED replays one).
 */
import fc from 'fast-check';
import { parseConfig, ConfigError } from '../src/config.js';
import { makeCommands } from '../src/parse/makefile.js';
import { parseRequirement } from '../src/deps/pep508.js';
import { apacheFacts, parseApache } from '../src/parse/apache.js';
import { splitShellWords, splitSystemdCommand } from '../src/parse/argv.js';
import { caddyFacts, parseCaddyfile } from '../src/parse/caddy.js';
import { parseCompose } from '../src/parse/compose.js';
import { parseDockerfile } from '../src/parse/dockerfile.js';
import { nginxFacts, parseAddress, parseNginx } from '../src/parse/nginx.js';
import { parseProcfile } from '../src/parse/procfile.js';
import { parsePython } from '../src/parse/python.js';
import { parseShell, parseShellWord } from '../src/parse/shell.js';
import { parseUnit } from '../src/parse/systemd.js';
import { readToml, tomlKey, tomlTableLine } from '../src/parse/toml-pos.js';
import { YamlDoc } from '../src/parse/yaml-doc.js';
import { loadGrammars } from '../src/parse/treesitter.js';
import { checkSpans, inputs, params, seeds, stable } from './fuzz-helpers.js';

beforeAll(async () => {
  await loadGrammars(['bash', 'python']);
});

/** Counts of inputs tried, per parser (printed once at the end for the campaign log). */
const tried: Record<string, number> = {};

afterAll(() => {
  if (process.env.FUZZ_SCALE) process.stdout.write(`fuzz-parsers: ${JSON.stringify(tried)}\n`);
});

interface Case {
  name: string;
  file: string;
  runs: number;
  input: fc.Arbitrary<string>;
  parse: (text: string, file: string) => unknown;
  /** Text before the fuzzed input in the file (parsers of a fragment at a base position). */
  prefix?: string;
}

const RULE_IDS = new Set(['DPL001', 'DPL101', 'DPL105']);

const cases: Case[] = [
  {
    name: 'Procfile',
    file: 'Procfile',
    runs: 400,
    input: inputs(seeds(/^Procfile/), ['web:', 'release:', 'worker:', 'web-1:', ' # ']),
    parse: parseProcfile,
  },
  {
    name: 'Dockerfile',
    file: 'Dockerfile',
    runs: 300,
    input: inputs(seeds(/Dockerfile/), ['FROM ', ' AS ', 'COPY ', 'ADD ', 'ARG ', 'ENV ', 'WORKDIR ', 'USER ', 'SHELL [', '# escape=`\n', '# syntax=', '<<EOF\n', 'EOF\n', '--from=', '["a", "b"]']),
    parse: parseDockerfile,
  },
  {
    name: 'compose',
    file: 'docker-compose.yml',
    runs: 300,
    input: inputs(seeds(/compose.*\.ya?ml$/), ['services:\n', '  web:\n', '    command: ', '    entrypoint: ', '    build: ', '    image: ', '    volumes:\n', 'x-a: &a\n', '<<: *a\n', '    profiles: [', '    environment:\n', '!reset ', '!override ']),
    parse: parseCompose,
  },
  {
    name: 'systemd',
    file: 'app.service',
    runs: 300,
    input: inputs(seeds(/\.service$|\.socket$/), ['[Unit]\n', '[Install]\n', 'ExecStartPre=', 'Environment=', 'EnvironmentFile=', 'WorkingDirectory=', '\\\n', '%i', '$$']),
    parse: parseUnit,
  },
  {
    name: 'shell',
    file: 'bin/start.sh',
    runs: 250,
    input: inputs(seeds(/\.sh$|^start|^entrypoint|^run$/), ['if ', 'then ', 'fi\n', 'else ', 'case ', 'esac', 'f() { ', '"$@"', 'exec "$@"', '<<EOF\n', 'EOF\n', 'set -e\n', '. ./x\n', 'source ', 'export A=', '${A:-x}']),
    parse: (text, file) => {
      const s = parseShell(text, file);
      // Words given to `sh -c` are parsed again with positions mapped back into the file.
      const again = s.commands.flatMap((c) => c.words.slice(0, 6)).map((w) => parseShellWord(w));
      return { s, again };
    },
  },
  {
    name: 'argv (compose/Dockerfile words)',
    file: 'docker-compose.yml',
    runs: 400,
    input: inputs(seeds(/^Procfile/), ['"a b"', "'a b'", '\\ ', '$VAR', '${VAR:-x}', '$(x)']),
    prefix: 'services:\n  web:\n    command: ',
    parse: (text, file) => splitShellWords(text, file, { line: 3, column: 14 }),
  },
  {
    name: 'argv (systemd ExecStart)',
    file: 'app.service',
    runs: 400,
    input: inputs([], ['-', '@', '+', '!!', '%h', '$VAR', '${VAR}', '$$', '"a b"', '\\;', ' ; ']),
    prefix: 'ExecStart=',
    parse: (text, file) => splitSystemdCommand(text, file, { line: 1, column: 11 }),
  },
  {
    name: 'nginx',
    file: 'nginx.conf',
    runs: 300,
    input: inputs(seeds(/nginx|\.conf$/), ['server {', 'location /static/ {', 'alias ', 'root ', 'proxy_pass http://', 'include ', 'listen 80;', '}', 'if ($x) {', '"', '\\']),
    parse: (text, file) => {
      const p = parseNginx(text, file);
      return { p, facts: nginxFacts(p.directives, file), addr: parseAddress(text.slice(0, 40)) };
    },
  },
  {
    name: 'Caddyfile',
    file: 'Caddyfile',
    runs: 300,
    input: inputs(seeds(/^Caddyfile/), ['example.com {', 'handle_path /static/* {', 'file_server', 'reverse_proxy ', 'root * ', '}', '{$ENV}', '`', 'import ']),
    parse: (text, file) => {
      const p = parseCaddyfile(text, file);
      return { p, facts: caddyFacts(p.directives, file) };
    },
  },
  {
    name: 'Apache',
    file: 'apache.conf',
    runs: 300,
    input: inputs(seeds(/apache|httpd|vhost/), ['<VirtualHost *:80>', '</VirtualHost>', 'Alias /static/ ', 'WSGIScriptAlias ', 'ProxyPass ', '<Directory ', '\\\n', '"']),
    parse: (text, file) => {
      const p = parseApache(text, file);
      return { p, facts: apacheFacts(p.directives, file) };
    },
  },
  {
    name: 'Python',
    file: 'config/settings.py',
    runs: 200,
    input: inputs(seeds(/\.py$/), ['STATIC_ROOT = ', 'import ', 'from . import *\n', 'os.environ.get(', 'BASE_DIR / ', 'def f(', '"""', "f'", '\\\n', '    ']),
    parse: (text, file) => {
      const m = parsePython(text, file);
      const out = { issues: m?.issues ?? null };
      m?.dispose();
      return out;
    },
  },
  {
    name: 'configuration',
    file: '.django-deploy-lint.yml',
    runs: 300,
    input: inputs(seeds(/django-deploy-lint\.ya?ml$/, ['exclude:\n  - legacy/**\nrules:\n  DPL105: off\ntargets:\n  production:\n    - Procfile\nsettings:\n  - a/settings.py\n']), ['rules:\n', '  DPL101: ', 'off', 'notice', 'exclude:\n', '  - ', 'targets:\n', 'development:', '&x ', '*x']),
    parse: (text, file) => {
      try {
        return { config: parseConfig(text, file, RULE_IDS) };
      } catch (e) {
        // Rejecting a bad configuration is the contract; anything else is a crash.
        if (!(e instanceof ConfigError)) throw e;
        return { problems: e.problems };
      }
    },
  },
  {
    name: 'YAML descriptor (render.yaml, heroku.yml)',
    file: 'render.yaml',
    runs: 300,
    input: inputs(seeds(/^render\.ya?ml$|^heroku\.yml$|^app\.json$/), ['services:\n', '  - type: web\n', '    startCommand: ', '    buildCommand: |\n      ', 'run:\n', '  web: ', '>-\n', '&a ', '*a', '"', "'"]),
    parse: (text, file) => {
      const d = new YamlDoc(text, file);
      // Every node reachable from the root, with its location and shell text.
      const out: unknown[] = [d.issues];
      const walk = (n: ReturnType<YamlDoc['get']>, depth: number): void => {
        if (!n || depth > 20 || out.length > 2000) return;
        out.push(d.loc(n), d.shellText(n));
        for (const p of d.pairs(n)) {
          out.push(d.loc(p.keyNode));
          walk(p.value, depth + 1);
        }
        for (const it of d.items(n)) walk(it, depth + 1);
      };
      walk(d.root, 0);
      return out;
    },
  },
  {
    name: 'TOML descriptor (fly.toml)',
    file: 'fly.toml',
    runs: 300,
    input: inputs(seeds(/\.toml$/), ['[processes]\n', 'app = ', '[deploy]\n', 'release_command = ', '"'.repeat(3), "'".repeat(3), '[[services]]\n', 'deploy.release_command = ', '= ']),
    parse: (text, file) => ({
      r: readToml(text, file),
      keys: [['processes', 'app'], ['deploy', 'release_command'], ['', 'app'], ['experimental', 'cmd']].map(([t, k]) => tomlKey(text, file, t, k)),
      table: tomlTableLine(text, 'processes'),
    }),
  },
  {
    name: 'Makefile',
    file: 'Makefile',
    runs: 300,
    input: inputs(seeds(/^Makefile/), ['install:\n', '\tpip install -r requirements.txt\n', 'A = $(B)$(B)\n', 'B := $(A)\n', '$(MAKE) ', '.PHONY: ', '\\\n', '%: ', 'include ']),
    parse: (text, file) => makeCommands(file, text, ['install', 'deploy'], { opts: '--no-dev' }),
  },
  {
    name: 'PEP 508 requirement',
    file: 'requirements.txt',
    runs: 400,
    input: inputs(seeds(/requirements.*\.txt$/), ['gunicorn', '[gevent]', '>=', '==', '; python_version < "3.8"', ' @ https://', '-e ', 'git+https://', '#egg=']),
    parse: (text) => text.split('\n').map((l) => parseRequirement(l)),
  },
];

describe.each(cases)('fuzz: $name parser', ({ name, file, runs, input, parse, prefix = '' }) => {
  test('never throws; every span lies inside the file; deterministic', () => {
    tried[name] = 0;
    fc.assert(
      fc.property(input, (text) => {
        tried[name]++;
        const a = parse(text, file);
        const problems = checkSpans(a, prefix + text, file);
        if (problems.length > 0) throw new Error(`span outside the file: ${JSON.stringify(problems.slice(0, 3))}`);
        const b = parse(text, file);
        if (stable(a) !== stable(b)) throw new Error('two parses of the same text differ');
      }),
      params(runs),
    );
    expect(tried[name]).toBeGreaterThan(0);
  });
});

test('the span checker itself rejects a span past the end of a line or the file', () => {
  expect(checkSpans({ loc: { file: 'f', line: 1, column: 4, endLine: 1, endColumn: 4 } }, 'abc', 'f')).toHaveLength(0);
  expect(checkSpans({ loc: { file: 'f', line: 1, column: 5, endLine: 1, endColumn: 5 } }, 'abc', 'f')).toHaveLength(1);
  expect(checkSpans({ loc: { file: 'f', line: 2, column: 1, endLine: 2, endColumn: 1 } }, 'abc', 'f')).toHaveLength(1);
  expect(checkSpans({ loc: { file: 'f', line: 1, column: 3, endLine: 1, endColumn: 2 } }, 'abc', 'f')).toHaveLength(1);
  expect(checkSpans({ loc: { file: 'other', line: 9, column: 9 } }, 'abc', 'f')).toHaveLength(0);
});

/** Each bug the fuzzer found, with its minimal input (kept as regression tests). */
describe('fuzz findings stay fixed', () => {
  const within = (value: unknown, text: string, file: string, prefix = '') => expect(checkSpans(value, prefix + text, file)).toEqual([]);

  test.each(['\f', '\v', '\u00a0', '\u3000', 'example.com {\n\u00a0file_server\n}'])('Caddyfile: a blank other than space/tab (%j) separates tokens instead of looping forever', (text) => {
    const t0 = performance.now();
    const p = parseCaddyfile(text, 'Caddyfile');
    expect(performance.now() - t0).toBeLessThan(1000);
    within(p, text, 'Caddyfile');
  });

  test('Apache: spans on `\\` continuation lines stay on the physical lines', () => {
    within(parseApache('\\"\\\n\'0', 'a.conf'), '\\"\\\n\'0', 'a.conf');
    const text = 'Alias /static/ \\\n    /srv/static/\n';
    const p = parseApache(text, 'a.conf');
    expect(p.directives[0].args[1]).toMatchObject({ value: '/srv/static/', loc: { line: 2, column: 5, endLine: 2, endColumn: 17 } });
  });

  test('compose: a YAML error at the end of the text, and one in a scalar across lines', () => {
    for (const text of ['{ExecStart=', '[Service]s\nervices:\n  web:\n    command: [gunicorn, proj.wsgi\n']) within(parseCompose(text, 'c.yml'), text, 'c.yml');
  });

  test('Makefile: a recipe continued with `\\` spans its physical lines', () => {
    const text = 'install:\n\tpip \\\n\t  install x\n';
    const r = makeCommands('Makefile', text, ['install'], {});
    within(r, text, 'Makefile');
    expect(r.commands[0].loc).toMatchObject({ line: 2, column: 2, endLine: 3, endColumn: 13 });
  });

  test('YAML descriptors and TOML: an error at a line end has an empty span inside the line', () => {
    within(new YamlDoc('{', 'render.yaml').issues, '{', 'render.yaml');
    within(new YamlDoc('[[[Service]\nExecStart=/app/bin/start\n', 'render.yaml').issues, '[[[Service]\nExecStart=/app/bin/start\n', 'render.yaml');
    within(readToml('[\nproject]\n', 'fly.toml'), '[\nproject]\n', 'fly.toml');
  });

  test('systemd: a lone trailing `\\` gives a span that ends after it starts', () => {
    within(parseUnit('     \\', 'a.service'), '     \\', 'a.service');
  });

  test('shell: a zero-width syntax error between quoted parts of a word keeps an empty span', () => {
    const text = `python -c "import socket; socket.create_connection(('db', 5432))"/dev/null\n`;
    const s = parseShell(text, 'e.sh');
    within(s.commands[0].words.map((w) => parseShellWord(w)), text, 'e.sh');
  });

  test('configuration: positions of YAML errors after a scalar across lines stay inside the file', () => {
    const text = '\n&&exclude:\n  - legacy/**\nr*\nr*\nrules:\n  DPL105: off\n';
    let problems: unknown = null;
    try {
      parseConfig(text, 'c.yml', RULE_IDS);
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).not.toBeNull();
    within(problems, text, 'c.yml');
  });
});

test('fuzz finding: argv: an unterminated `$(` right at the end of a Compose command keeps its span inside', () => {
  const r = splitShellWords('$(\\', 'docker-compose.yml', { line: 3, column: 14 });
  expect(r.error).toBeDefined();
  expect(checkSpans(r, 'services:\n  web:\n    command: $(\\', 'docker-compose.yml')).toEqual([]);
});
