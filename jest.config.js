/**
 * Type-checking is `npm run typecheck`'s job: with `isolatedModules` in tsconfig.json, ts-jest only
 * transpiles, which keeps `npm test` fast.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
