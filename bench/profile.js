'use strict';
/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and tells where the time went: self time by
 * package, the top functions by self time, and our functions by self and total time (a function
 * counted once per sample, however deep it recurses).
 *
 *   node bench/profile.js <file.cpuprofile> [top]
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** Who owns a frame: ours (lib/src, lib/imports), a package in node_modules, node, or V8. */
function owner(url) {
  if (!url) return 'v8';
  const file = url.replace(/^file:\/\//, '');
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/);
  if (pkg) return pkg[1];
  if (file.startsWith(path.join(ROOT, 'lib/src'))) return 'ours';
  if (file.startsWith(path.join(ROOT, 'lib/imports'))) return 'ours (imports)';
  if (file.startsWith(path.join(ROOT, 'bench'))) return 'bench';
  if (file.startsWith('node:')) return 'node';
  return file;
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = n => {
    const f = n.callFrame;
    const url = f.url.replace(/^file:\/\//, '');
    const file = url.includes('node_modules/') ? url.replace(/.*node_modules\//, '') : url && path.relative(ROOT, url);
    return { key: `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`, owner: owner(f.url), name: f.functionName };
  };
  const self = new Map(); // key -> { ms, owner }
  const total = new Map();
  const owners = new Map();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    all += ms;
    const node = byId.get(id);
    const f = frame(node);
    const who = node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : f.owner;
    owners.set(who, (owners.get(who) ?? 0) + ms);
    const s = self.get(f.key) ?? { ms: 0, owner: who };
    s.ms += ms;
    self.set(f.key, s);
    const seen = new Set();
    for (let n = node; n; n = byId.get(parent.get(n.id))) {
      const k = frame(n).key;
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + ms);
      seen.add(k);
    }
  });
  return { all, self, total, owners };
}

function report(file, top = 15) {
  const { all, self, total, owners } = summarize(JSON.parse(fs.readFileSync(file, 'utf8')));
  const pct = ms => `${(100 * ms / all).toFixed(1)}%`;
  const row = (label, ms) => `| ${label} | ${ms.toFixed(0)} | ${pct(ms)} |`;
  const sorted = m => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const lines = [`Profile ${path.basename(file)}: ${all.toFixed(0)} ms sampled`, '',
    '| self time by owner | ms | share |', '| --- | ---: | ---: |'];
  for (const [who, ms] of sorted(owners).slice(0, 10)) lines.push(row(who, ms));
  lines.push('', `| top ${top} functions by self time | ms | share |`, '| --- | ---: | ---: |');
  const selfSorted = [...self.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [key, s] of selfSorted.slice(0, top)) lines.push(row(`${key} (${s.owner})`, s.ms));
  const ours = ([, s]) => s.owner.startsWith('ours');
  lines.push('', `| our top functions by self time | self ms | share | total ms | share |`, '| --- | ---: | ---: | ---: | ---: |');
  for (const [key, s] of selfSorted.filter(ours).slice(0, top)) {
    lines.push(`| ${key} | ${s.ms.toFixed(0)} | ${pct(s.ms)} | ${total.get(key).toFixed(0)} | ${pct(total.get(key))} |`);
  }
  lines.push('', `| our top functions by total time | ms | share |`, '| --- | ---: | ---: |');
  // Module bodies (`(anonymous) …:1`) are loading time, which the benchmark counts apart.
  const ourTotal = sorted(total).filter(([key]) => /^[^ ]+ lib\/(src|imports)\//.test(key) && !/^\(anonymous\) .*:1$/.test(key));
  for (const [key, ms] of ourTotal.slice(0, top)) lines.push(row(key, ms));
  return lines.join('\n');
}

if (require.main === module) console.log(report(process.argv[2], Number(process.argv[3] ?? 15)));

module.exports = { report };
