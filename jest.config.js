/**
 * Two projects: `unit` (the engine in-process) and `e2e` (the committed bundles in dist/ run as
 * child processes, as a user, a hook or the GitHub runner runs them). `npm test` runs both;
 * `npm test -- --selectProjects unit` runs one. dist/ freshness is checked by scripts/check-dist.mjs
 * and benchmarks by `npm run bench`, not here. Every run has its own TMPDIR and must leave it
 * empty (__tests__/temp-guard.mjs).
 */
const E2E = ['e2e-cli', 'e2e-action', 'cli-options', 'cli-docs', 'cli-entry', 'baseline-action', 'github-action', 'github-required-check', 'github-review'];

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }],
  },
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 30000,
  // One worker per core (jest's default leaves one core to itself): 106 s → 66 s on 2 cores.
  maxWorkers: '100%',
  globalSetup: '<rootDir>/__tests__/temp-guard-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/temp-guard-teardown.mjs',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...E2E.map((n) => `/__tests__/${n}\\.test\\.ts$`)],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: E2E.map((n) => `<rootDir>/__tests__/${n}.test.ts`),
    },
  ],
};
