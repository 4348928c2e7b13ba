// jest in native-ESM mode (see package.json "test": --experimental-vm-modules).
// Unit tests (__tests__/, mirroring src/) mock @actions/core with the typed
// fixtures in __fixtures__/ and the network with undici's MockAgent; end-to-end
// tests (__tests__/e2e/) run the bundled dist/ under Node 24 the way the runner
// does (sandbox/runner.mjs), after globalSetup rebuilt dist/ if it was stale;
// every temporary file of a run lives under one directory that globalTeardown removes.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.check.json' }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  globalSetup: '<rootDir>/scripts/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.mjs',
  // End-to-end suites spawn real processes and servers; keep one file at a time
  // on a 2-core machine so timings stay sane.
  maxWorkers: 1,
  testTimeout: 120000,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts', '!src/cleanup.ts'],
  // Enforced by .ci/run, which runs the tests with --coverage: the unit tests
  // (the e2e suites run dist/ in child processes, which jest does not see).
  coverageThreshold: { global: { lines: 85 } },
  coverageReporters: ['text-summary', 'lcov'],
  verbose: false
}
