/**
 * Type-checking is `npm run typecheck`'s job (tsconfig.json has `isolatedModules`, so every file
 * transpiles on its own): jest only strips the types, with swc, which takes a small part of the
 * time ts-jest does on a cold cache (the generated imports alone are 3 MB of TypeScript).
 */
module.exports = {
  testEnvironment: 'node',
  // jest's default leaves a core for itself, which on a 2-core CI machine means one worker; the
  // parent does next to nothing while the workers run.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      // As tsc emits for tsconfig.json: ES2020, CommonJS, class fields assigned in the constructor.
      jsc: { target: 'es2020', parser: { syntax: 'typescript' }, transform: { useDefineForClassFields: false } },
      module: { type: 'commonjs' },
    }],
  },
};
