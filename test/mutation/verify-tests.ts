/**
 * The tests that mutation testing runs (stryker.config.mjs), gathered in one test file. jest gives
 * every test file its own module registry, and StrykerJS loads every file it runs for each mutant,
 * even one whose tests it filters out: thirteen files loaded the library thirteen times per mutant,
 * which took most of the time. Not named `*.test.ts`, so `npm test` runs each file once, on its own.
 */
import { readdirSync } from 'fs';
import { join } from 'path';

/** The tests written for src/verify/, and those of the progression and static API that reach it. */
const VERIFY_TESTS = /^(verify.*|progression|static-api)\.test\.ts$/;

const TEST_DIR = join(__dirname, '..');

for (const file of readdirSync(TEST_DIR).filter(name => VERIFY_TESTS.test(name)).sort()) {
  require(join(TEST_DIR, file));
}
