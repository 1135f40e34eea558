#!/usr/bin/env node
'use strict';
/**
 * The README's "Use it from an infra repo" guide, as CI follows it: writes every file the guide
 * shows ("`name`:" followed by a code block) into <dir>, and prints the guide's shell commands in
 * order, with <tarball> in place of the package name in its npm install, since the package is not
 * published yet (the README says to do the same).
 *
 *   node .ci/readme-guide.js <README.md> <dir> <tarball>
 */
const fs = require('fs');
const path = require('path');

const [readme, dir, tarball] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf8');
const start = text.indexOf('## Use it from an infra repo');
if (start < 0) throw new Error('README.md has no "## Use it from an infra repo" section');
const end = text.indexOf('\n## ', start + 1);
const lines = text.slice(start, end < 0 ? undefined : end).split('\n');

const files = [];
const commands = [];
let file;
for (let i = 0; i < lines.length; i++) {
  const named = /^`([\w.-]+)`[^`]*:$/.exec(lines[i]);
  if (named) file = named[1];
  const fence = /^```(\w*)$/.exec(lines[i]);
  if (!fence) continue;
  const close = lines.indexOf('```', i + 1);
  if (close < 0) throw new Error(`README.md: the code block at line ${i + 1} of the guide is never closed`);
  const body = lines.slice(i + 1, close).join('\n');
  if (file) files.push({ file, body });
  else if (fence[1] === 'sh') commands.push(...body.split('\n'));
  file = undefined;
  i = close;
}
if (files.length === 0 || commands.length === 0) throw new Error('the guide shows no files or no commands');

fs.mkdirSync(dir, { recursive: true });
for (const { file: name, body } of files) fs.writeFileSync(path.join(dir, name), `${body}\n`);
const installed = commands.map(c => (/^npm install /.test(c) ? c.replace(/(?<=\s)cdk8s-istio-release(?=\s|$)/, tarball) : c));
if (!installed.some(c => c.includes(tarball))) throw new Error('no npm install of cdk8s-istio-release in the guide');
process.stdout.write(`${installed.join('\n')}\n`);
