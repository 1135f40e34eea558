#!/usr/bin/env node
'use strict';
/**
 * Compiles every `ts` block of README.md on its own, under strict, against this repository's
 * sources: a reader copies one block at a time, so each must hold its imports and names.
 * Exits non-zero, listing the errors by block, when one does not compile.
 *
 *   node .ci/readme-ts.js
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
/** A block the README introduces as a file ("`main.ts`:") keeps that name, so that another block can import it. */
function fileName(before, line) {
  const label = /`([\w.-]+\.ts)`[^`\n]*:\s*$/.exec(before.trimEnd().split('\n').pop());
  return label ? label[1] : `block-${line}.ts`;
}
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(m => {
  const before = readme.slice(0, m.index);
  return { file: fileName(before, before.split('\n').length), code: m[1] };
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-ts-'));
try {
  // One module per block, so that no block sees another's names.
  blocks.forEach(b => fs.writeFileSync(path.join(dir, b.file), `${b.code}\nexport {};\n`));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2020', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node', 'jest'],
      baseUrl: root, typeRoots: [path.join(root, 'node_modules/@types')],
      paths: { 'cdk8s-istio-release': ['src/index.ts'], 'cdk8s-istio-release/jest': ['src/jest.ts'], '*': ['node_modules/*'] },
    },
    files: blocks.map(b => b.file),
  }));
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  if (tsc.status !== 0) {
    console.error(`the README's ts blocks do not compile on their own (block-<line of the fence>.ts, or the file a block is):\n${tsc.stdout}`);
    process.exit(1);
  }
  console.log(`all ${blocks.length} ts blocks of README.md compile on their own under strict`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
