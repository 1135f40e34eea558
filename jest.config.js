/**
 * Type-checking is `npm run typecheck`'s job: with `isolatedModules` in tsconfig.json, ts-jest only
 * transpiles, which keeps `npm test` fast.
 */
module.exports = {
  testEnvironment: 'node',
  // jest's default leaves a core for itself, which on a 2-core CI machine means one worker; the
  // parent does next to nothing while the workers run.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
