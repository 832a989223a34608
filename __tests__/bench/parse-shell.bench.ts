/**
 * CPU time of parseShell on generated scripts (`npm run bench`; not part of `npm test`).
 * CPU time is less sensitive than wall time to other processes on a busy machine. It prints the
 * figures; the only assertion is that the script parsed, so a slow machine never fails it.
 */
import { loadGrammars, loadedParser } from '../../src/parse/treesitter.js';
import { parseShell } from '../../src/parse/shell.js';
import { generatedScript } from './shell-script.js';

beforeAll(async () => {
  await loadGrammars(['bash']);
});

const F = 'start.sh';

/** Mean CPU milliseconds of `f` over `runs` runs, after a warm-up (the WASM tiers up in the background). */
function meanCpu(f: () => unknown, runs = 50): number {
  for (let i = 0; i < 60; i++) f();
  const t0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / runs;
}

test('parseShell: mean CPU time of 50 runs, 500 and 200 lines, against tree-sitter alone', () => {
  const parser = loadedParser('bash');
  const rows: string[] = [];
  for (const lines of [500, 200]) {
    const src = generatedScript(lines);
    const tsOnly = meanCpu(() => parser.parse(src)!.delete());
    const ms = meanCpu(() => parseShell(src, F));
    rows.push(`${lines} lines ${ms.toFixed(2)} ms (tree-sitter parse alone ${tsOnly.toFixed(2)} ms)`);
    // The 200-line cut ends inside an `if` (one syntax error); the script is parsed either way.
    expect(parseShell(src, F).commands.length).toBeGreaterThan(lines / 2);
  }
  process.stdout.write(`parseShell, mean CPU time of 50 runs after warm-up: ${rows.join('; ')}\n`);
});
