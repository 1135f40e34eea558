import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');

/** The relative link targets of the README, anchors left out. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map(m => m[1]).filter(target => !/^[a-z]+:/.test(target));
}

/** What `npm pack` puts in the package, without building it first. */
function packedFiles(): string[] {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(packed.status).toBe(0);
  return JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path);
}

describe('README', () => {
  const links = relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  test('links only to what the package ships, so that every link works where the README is read from the package', () => {
    expect(links.length).toBeGreaterThan(10);
    const files = packedFiles();
    const missing = links.filter(target => !files.some(file => file === target || file.startsWith(`${target.replace(/\/$/, '')}/`)));
    expect(missing).toEqual([]);
  });

  test('reads relative links, and leaves out web addresses and anchors', () => {
    expect(relativeLinks('see [the tests](test/examples) and [docs](https://example.com/x) and [here](#api)')).toEqual(['test/examples']);
  });
});
