#!/usr/bin/env node
/**
 * `npm run fuzz`: the property-based fuzz tests (__tests__/fuzz-*.test.ts) as a longer campaign.
 * Every property runs FUZZ_SCALE times (default 25) as many cases as in `npm test`, with a random
 * seed; a failure prints its seed and counterexample (replay with FUZZ_SEED=<seed>).
 *   npm run fuzz                 # default campaign
 *   FUZZ_SCALE=100 npm run fuzz  # longer
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scale = process.env.FUZZ_SCALE || '25';
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const args = ['--experimental-vm-modules', '--max-old-space-size=4096', jest, '--runInBand', '--testTimeout=3600000', '__tests__/fuzz-', ...process.argv.slice(2)];
console.log(`fuzz campaign: FUZZ_SCALE=${scale}${process.env.FUZZ_SEED ? `, FUZZ_SEED=${process.env.FUZZ_SEED}` : ''}`);
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_SCALE: scale } });
process.exit(r.status ?? 1);
