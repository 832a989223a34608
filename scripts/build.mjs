#!/usr/bin/env node
/**
 * Builds the committed bundle:
 *
 *   dist/index.js        the action (entry src/index.ts → run() in src/main.ts), plus the chunk
 *                        ncc splits off for the lazily imported @actions/core
 *   dist/cli.js          the CLI (src/cli.ts), executable, with a node shebang (package `bin`)
 *   dist/package.json    {"type":"module"}: the bundles are ES modules
 *   dist/wasm/*.wasm     web-tree-sitter and its grammars (see src/parse/treesitter.ts)
 *   dist/licenses.txt    licences of the bundled packages (from ncc's module list) and of the
 *                        grammars whose WASM is shipped
 *
 * Usage: node scripts/build.mjs [--out DIR]   (default: dist)
 *
 * Deterministic: same sources and node_modules → byte-identical output, wherever DIR is
 * (__tests__/dist.test.ts rebuilds into a temporary directory and compares with dist/).
 * Not minified, so that diffs of dist/ stay readable.
 */
import { execFileSync } from 'node:child_process';
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
  execFileSync(process.execPath, [bin, 'build', entry, '-o', outDir, '-q', '--no-cache', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
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

function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-build-'));
  try {
    const actionDir = path.join(work, 'action');
    const cliDir = path.join(work, 'cli');
    const actionStats = path.join(work, 'action-stats.json');
    const cliStats = path.join(work, 'cli-stats.json');
    // The rule pages for `--explain`, embedded as src/rules/pages.ts (rewritten only when stale).
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'rule-pages.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    ncc('src/index.ts', actionDir, ['--stats-out', actionStats]);
    ncc('src/cli.ts', cliDir, ['--stats-out', cliStats]);

    const stage = path.join(work, 'dist');
    fs.mkdirSync(path.join(stage, 'wasm'), { recursive: true });

    // The action: index.js and its chunks; nothing else ncc may emit.
    for (const f of listFiles(actionDir)) {
      if (f === 'package.json') continue;
      if (!/^(index\.js|\d+\.index\.js)$/.test(f)) throw new Error(`unexpected file in the action bundle: ${f}`);
      fs.copyFileSync(path.join(actionDir, f), path.join(stage, f));
    }

    // The CLI: one file (a chunk would clash with the action's chunk names).
    const cliFiles = listFiles(cliDir).filter((f) => f !== 'package.json');
    if (cliFiles.length !== 1 || cliFiles[0] !== 'index.js') throw new Error(`the CLI bundle must be one file, got: ${cliFiles.join(', ')}`);
    let cli = fs.readFileSync(path.join(cliDir, 'index.js'), 'utf8');
    if (!cli.startsWith('#!')) cli = `#!/usr/bin/env node\n${cli}`;
    fs.writeFileSync(path.join(stage, 'cli.js'), cli);
    fs.chmodSync(path.join(stage, 'cli.js'), 0o755);

    fs.writeFileSync(path.join(stage, 'package.json'), '{\n  "type": "module"\n}\n');
    for (const [pkg, file] of WASM) {
      fs.copyFileSync(require.resolve(`${pkg}/${file}`), path.join(stage, 'wasm', file));
    }

    const packages = new Set([...bundledPackages(actionStats), ...bundledPackages(cliStats), ...WASM.map(([pkg]) => pkg)]);
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

try {
  main();
} catch (err) {
  console.error(`build failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
