// jest in native-ESM mode (see package.json "test": --experimental-vm-modules).
// Unit tests mock @actions/* with unstable_mockModule; end-to-end tests run the
// bundled dist/ under Node 24 the way the runner does (__tests__/harness/).
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.check.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // End-to-end suites spawn real processes and servers; keep one file at a time
  // on a 2-core machine so timings stay sane.
  maxWorkers: 1,
  testTimeout: 120000,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts', '!src/cleanup.ts'],
  verbose: false
}
