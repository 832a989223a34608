#!/usr/bin/env node
/**
 * Builds the committed bundle:
 *
 *   dist/index.js        the action's entry (action.yml `main`): a stub that turns on Node's compile
 *                        cache and imports dist/action-main.js
 *   dist/action-main.js  the action (src/index.ts → run() in src/main.ts), plus the chunks ncc
 *                        splits off for the lazily imported modules (@actions/core, Octokit):
 *                        dist/<id>.action.js
 *   dist/cli.js          the CLI's entry (package `bin`), executable, with a node shebang: the same
 *                        kind of stub, importing dist/cli-main.js
 *   dist/cli-main.js     the CLI (src/entry-cli.ts → cli() in src/cli.ts): reads the arguments;
 *                        its chunk dist/<id>.cli.js holds the rule pages (--explain)
 *   dist/entry-cli-run.js  the engine, rules and reporters (src/entry-cli-run.ts), imported by
 *                        cli-main.js for a run (not for --help and --version); a bundle of its own
 *                        rather than a chunk (see src/entry-cli-run.ts); chunks <id>.cli-run.js
 *   dist/package.json    {"type":"module"}: the bundles are ES modules
 *   dist/wasm/*.wasm     web-tree-sitter and its grammars (see src/parse/treesitter.ts)
 *   dist/licenses.txt    licences of the bundled packages (from ncc's module list) and of the
 *                        grammars whose WASM is shipped
 *
 * Usage: node scripts/build.mjs [--out DIR]   (default: dist)
 *
 * Deterministic: same sources and node_modules → byte-identical output, wherever DIR is
 * (scripts/check-dist.mjs rebuilds into a temporary directory and compares with dist/).
 * Not minified, so that diffs of dist/ stay readable.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));

const WASM = [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-bash', 'tree-sitter-bash.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
];

function parseArgs(argv) {
  let out = 'dist';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = argv[++i];
    else if (argv[i].startsWith('--out=')) out = argv[i].slice('--out='.length);
    else throw new Error(`unknown argument: ${argv[i]} (usage: node scripts/build.mjs [--out DIR])`);
  }
  return { out: path.resolve(ROOT, out) };
}

function ncc(entry, outDir, extra = []) {
  const bin = require.resolve('@vercel/ncc/dist/ncc/cli.js');
  // -q: quiet; no --minify; no source maps; the ncc cache is skipped so that nothing from an
  // earlier build can leak into this one. (Not --transpile-only: ts-loader's transpileModule
  // does not apply NodeNext's ESM emit, and a type error should stop a build anyway.)
  // Asynchronous: the three bundles build at once (each is its own process, into its own folder).
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', entry, '-o', outDir, '-q', '--no-cache', ...extra], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc build ${entry} exited ${code}`))));
  });
}

/** Files of a directory, relative, sorted (for deterministic copying). */
function listFiles(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out;
}

/** Package names (as in node_modules) of every module webpack bundled, from ncc's stats. */
function bundledPackages(statsFile) {
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
  const names = new Set();
  const walk = (modules) => {
    for (const m of modules ?? []) {
      // The resource is what follows the last `!` (before it: the loaders, ncc's own).
      const resource = String(m.identifier ?? m.name ?? '').split('!').pop();
      const found = [...resource.matchAll(/node_modules\/((?:@[^/\s]+\/)?[^/\s|]+)/g)].pop();
      if (found) names.add(found[1]);
      walk(m.modules);
    }
  };
  walk(stats.modules);
  for (const c of stats.chunks ?? []) walk(c.modules);
  return names;
}

/**
 * The entry of a bundle: turns on Node's compile cache, then imports the bundle. Everything the
 * program does happens in the bundle; a stub only decides how it is compiled.
 *
 * module.enableCompileCache() (Node >= 22.1; feature-detected, Node 20 has none) keeps V8's code
 * of the modules imported after it under os.tmpdir()/node-compile-cache (or $NODE_COMPILE_CACHE)
 * and a later run skips compiling them: 15-25 ms less per run. Node itself honours
 * NODE_DISABLE_COMPILE_CACHE=1 (the call then does nothing), and a cache directory that cannot be
 * created or written is reported in the returned status, not thrown; the try is for anything
 * else. The same stub as TypeScript's `tsc` bin.
 *
 * Writing the cache costs the run that writes it 10-15 ms (measured: start-up 63 → 73 ms cold,
 * 46 ms warm, Node 24). So neither stub turns it on on GitHub-hosted runners, where every job
 * starts on a fresh machine and the cache would be written and never read; a developer's machine
 * and self-hosted runners keep their temp directory and gain from it.
 */
function entryStub(what, bundle, { shebang = false } = {}) {
  return `${shebang ? '#!/usr/bin/env node\n' : ''}// The ${what}: turns on Node's compile cache (Node >= 22.1), then runs ./${bundle}.
// Written by scripts/build.mjs (see entryStub there). NODE_DISABLE_COMPILE_CACHE=1 turns the cache off.
import module from 'node:module';

// Not on GitHub-hosted runners: every job starts on a fresh machine, where the cache would be written, never read.
if (process.env.RUNNER_ENVIRONMENT !== 'github-hosted') {
  try {
    module.enableCompileCache?.();
  } catch {
    // No cache: the run goes on as without one.
  }
}
await import('./${bundle}');
`;
}

/**
 * Copies ncc's output from `from` into `stage`: index.js as `main`, its chunks (<id>.index.js) as
 * <id>.<chunkSuffix>.js, so that the chunks of the two bundles can never share a name. The chunk
 * file names are made by one line of webpack's runtime in the main file, rewritten here; a build
 * of an ncc whose runtime reads differently stops rather than ship a bundle that cannot load its
 * chunks. Nothing else ncc could emit (assets, source maps) is expected.
 */
function placeBundle(from, stage, main, chunkSuffix) {
  const files = listFiles(from).filter((f) => f !== 'package.json');
  const unexpected = files.filter((f) => !/^(index\.js|\d+\.index\.js)$/.test(f));
  if (unexpected.length > 0 || !files.includes('index.js')) throw new Error(`unexpected files in the bundle of ${main}: ${files.join(', ')}`);
  const chunks = files.filter((f) => f !== 'index.js');
  let code = fs.readFileSync(path.join(from, 'index.js'), 'utf8');
  if (code.startsWith('#!')) code = code.slice(code.indexOf('\n') + 1);
  if (chunks.length > 0) {
    const template = 'return "" + chunkId + ".index.js";';
    const at = code.indexOf(template);
    if (at < 0 || code.indexOf(template, at + 1) >= 0) throw new Error(`cannot rename the chunks of ${main}: webpack's chunk file name template is not found exactly once`);
    code = code.replace(template, `return "" + chunkId + ".${chunkSuffix}.js";`);
  }
  fs.writeFileSync(path.join(stage, main), code);
  const names = [main];
  for (const c of chunks) {
    const name = c.replace(/\.index\.js$/, `.${chunkSuffix}.js`);
    fs.copyFileSync(path.join(from, c), path.join(stage, name));
    names.push(name);
  }
  return names;
}

const LICENSE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'license', 'license.md', 'COPYING'];

/** The licence notices of `names`: name, version, SPDX id and the licence file's text. */
function licenses(names) {
  const parts = [];
  for (const name of names) {
    const dir = path.join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const file = LICENSE_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    const text = file ? fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trim() : '(no licence file in the package)';
    parts.push(`${name} ${pkg.version}\n${typeof pkg.license === 'string' ? pkg.license : 'UNKNOWN'}\n${text}\n`);
  }
  return parts.join('\n-----\n\n');
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-build-'));
  try {
    const actionDir = path.join(work, 'action');
    const cliDir = path.join(work, 'cli');
    const actionStats = path.join(work, 'action-stats.json');
    const cliStats = path.join(work, 'cli-stats.json');
    const runDir = path.join(work, 'cli-run');
    const runStats = path.join(work, 'cli-run-stats.json');
    // The rule pages for `--explain`, embedded as src/rules/pages.ts (rewritten only when stale).
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'rule-pages.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    await Promise.all([
      ncc('src/index.ts', actionDir, ['--stats-out', actionStats]),
      ncc('src/entry-cli.ts', cliDir, ['--stats-out', cliStats]),
      ncc('src/entry-cli-run.ts', runDir, ['--stats-out', runStats]),
    ]);

    const stage = path.join(work, 'dist');
    fs.mkdirSync(path.join(stage, 'wasm'), { recursive: true });

    // The bundles, each behind its entry stub (dist/index.js, dist/cli.js).
    placeBundle(actionDir, stage, 'action-main.js', 'action');
    placeBundle(cliDir, stage, 'cli-main.js', 'cli');
    placeBundle(runDir, stage, 'entry-cli-run.js', 'cli-run');
    fs.writeFileSync(path.join(stage, 'index.js'), entryStub('entry of the action (action.yml: main)', 'action-main.js'));
    fs.writeFileSync(path.join(stage, 'cli.js'), entryStub('django-deploy-lint command (package bin)', 'cli-main.js', { shebang: true }));

    fs.writeFileSync(path.join(stage, 'package.json'), '{\n  "type": "module"\n}\n');
    for (const [pkg, file] of WASM) {
      fs.copyFileSync(require.resolve(`${pkg}/${file}`), path.join(stage, 'wasm', file));
    }

    const packages = new Set([...bundledPackages(actionStats), ...bundledPackages(cliStats), ...bundledPackages(runStats), ...WASM.map(([pkg]) => pkg)]);
    fs.writeFileSync(path.join(stage, 'licenses.txt'), licenses([...packages].sort()));

    // Normalise modes so that the tree compares equal on any umask.
    for (const f of listFiles(stage)) fs.chmodSync(path.join(stage, f), f === 'cli.js' ? 0o755 : 0o644);

    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.cpSync(stage, out, { recursive: true });
    console.log(`built ${path.relative(process.cwd(), out) || '.'}: ${listFiles(out).join(', ')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`build failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
