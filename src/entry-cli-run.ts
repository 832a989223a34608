/**
 * What the CLI needs for a run (everything but --help and --version), imported by src/cli.ts
 * once the arguments ask for a run. scripts/build.mjs bundles it on its own, as
 * dist/entry-cli-run.js beside dist/cli-main.js, which imports it natively.
 *
 * Not a chunk of the CLI's bundle: webpack wraps a chunk's modules in functions, and the engine's
 * code run from there took 15-20 ms more CPU per run on Node 20 than from the top level of a
 * bundle (no difference on Node 24). A bundle of its own keeps its modules concatenated in one
 * top-level scope, as they were when the CLI was one file.
 */
export { applyBaseline, BaselineError, readBaseline, serializeBaseline, toBaseline } from './baseline.js';
export { ConfigError } from './config.js';
export { compareFindings, DeadlineError, lint } from './engine.js';
export { RULES } from './rules/index.js';
export { annotations } from './report/annotations.js';
export { jsonForLog } from './report/escape.js';
export { toJson } from './report/json.js';
export { toSarif } from './report/sarif.js';
export { toText } from './report/text.js';
export { safeWriteFile, UnsafeWriteError } from './core/safe-write.js';
export { applicableFixes, fixLoop } from './adapters/apply-fixes.js';
