import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** The package's version, from the package.json nearest above this file: lib/src/cli/version.js or, in tests, src/cli/version.ts. */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) return 'unknown';
  }
}
