/**
 * Mutation testing of the route checks (`npm run mutation`): StrykerJS changes one condition, string
 * or boundary of src/verify/ at a time and runs the tests that reach it; a change no test notices
 * is a way to break a check unseen. Slow, so it is not part of .ci/run's per-commit checks.
 * Restrict it to some modules with `npm run mutation -- --mutate src/verify/weights.ts`.
 */
export default {
  mutate: ['src/verify/**/*.ts'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The same swc transform as `npm test`.
    configFile: 'jest.config.js',
    config: {
      // Only the tests written for verify, gathered in one test file, so that the library is loaded
      // once per mutant rather than once per test file (test/mutation/verify-tests.ts). The chart
      // tests reach verify too, through the route check at synth, but running them for every
      // mutant would take hours, and they assert no findings.
      testMatch: ['**/test/mutation/verify-tests.ts'],
    },
    // Every mutant runs only the tests that cover it (coverageAnalysis), which is already narrower.
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  // A mutant that does not type-check could never be released: discard it instead of counting it.
  checkers: ['typescript'],
  // The library alone: a mutant of src/ breaks the library's types, and a smaller program checks faster.
  tsconfigFile: 'tsconfig.mutation.json',
  // One test process: the machine's cores are shared, and the tests are quick.
  concurrency: 1,
  // The sandbox copies the project: not its build outputs, which the tests do not read, nor the
  // sandboxes of other runs (a run restricted with its own tempDirName, as `.stryker-tmp-ports`).
  ignorePatterns: ['lib', 'dist', 'packages', 'coverage', 'reports', 'docs/api', '.jsii', 'bench', '*.tgz', '.stryker-tmp*'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { allowEmojis: false, logTests: false },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Below 90% of mutants killed (timeouts count as killed), the run fails.
  thresholds: { high: 95, low: 90, break: 90 },
};
