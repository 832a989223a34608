/** `npm run bench:parse`: CPU benchmarks of the parsers, kept out of `npm test`. */
import base from './jest.config.js';

const unit = base.projects[0];

/** @type {import('jest').Config} */
export default {
  ...unit,
  displayName: 'bench',
  testMatch: ['<rootDir>/__tests__/bench/**/*.bench.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
