'use strict';
/**
 * The benchmarks, printed as markdown: `npm run bench` (builds first) or `node bench/run.js`.
 *
 *   --suite synth,startup,profile,verify,routecheck   which suites to run (default: all five)
 *     synth    N apps (N = 10, 100, 1000) in one chart, a chart per team (namespace, 20 at most) and
 *              a chart per app; with our constructs, without their route check, as plain ApiObjects
 *              (the baseline) and with yaml alone (the floor); in one chart also with every pod
 *              setting, as constructs and as plain ApiObjects
 *     startup  `cdk8s synth` of the examples against a bare `node lib/examples/main.js`, and jest
 *     profile  node --cpu-prof of the constructs, summarized by bench/profile.js
 *     verify   `cdk8s-istio-release verify --format json` of a 20,000-object file (bench/verify.js)
 *              against js-yaml's loadAll of the same file, the floor
 *     routecheck  the route check's share of synth: constructs against constructs-nocheck at N = 1000,
 *              one chart and a chart per team, fifteen rounds of both in turn, so that load falls on both
 *   --quick   N = 10 and 100 only, fewer runs, no cold jest runs: a look in a minute or two
 *   --write   also replaces the suites' sections of BENCHMARKS.md (between its bench markers)
 *
 * Each measurement runs in a fresh process; times are medians. Progress goes to stderr.
 */
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { report } = require('./profile');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const suites = option('--suite', 'synth,startup,profile,verify,routecheck').split(',');
const quick = args.includes('--quick');

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const table = (head, rows) => [head, head.map(() => '---'), ...rows].map(r => `| ${r.join(' | ')} |`).join('\n');
const log = msg => process.stderr.write(`${msg}\n`);
const tmp = prefix => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

// ---- synth: N apps, four ways ------------------------------------------------------------------

const VARIANTS = ['constructs', 'constructs-nocheck', 'baseline', 'floor'];
/** Apps with every pod setting, against plain objects with the same settings; in one chart only, which is enough to compare. */
const POD_VARIANTS = ['constructs-pods', 'baseline-pods'];
const variantsOf = layout => (layout === 'one' ? [...VARIANTS, ...POD_VARIANTS] : VARIANTS);
const baselineOf = variant => (POD_VARIANTS.includes(variant) ? 'baseline-pods' : 'baseline');
const LAYOUTS = ['one', 'per-team', 'per-app'];
const LAYOUT_NAMES = { one: 'one chart', 'per-team': 'chart per team', 'per-app': 'chart per app' };
const SIZES = quick ? [10, 100] : [10, 100, 1000];
const LARGEST = SIZES[SIZES.length - 1];
/**
 * One chart per app at N = 1000 takes about a minute for all four variants, so it runs twice; one
 * chart, which the targets compare, runs five times, as the others at smaller N.
 */
const runsOf = (n, layout) => (quick ? 2 : n < 1000 || layout === 'one' ? 5 : layout === 'per-app' ? 2 : 3);

function worker(variant, layout, n, nodeArgs = []) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...nodeArgs, path.join(__dirname, 'worker.js'), variant, layout, String(n)],
    { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`worker ${variant} ${layout} ${n} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function synthSuite() {
  const cases = SIZES.flatMap(n => LAYOUTS.flatMap(layout => variantsOf(layout).map(variant => ({ n, layout, variant, runs: [] }))));
  // Round-robin over the cases, so that load from other processes falls on every variant alike.
  for (let i = 0; i < Math.max(...cases.map(c => runsOf(c.n, c.layout))); i++) {
    for (const c of cases.filter(c => i < runsOf(c.n, c.layout))) {
      log(`synth run ${i + 1}: ${c.variant} ${c.layout} ${c.n}`);
      c.runs.push(worker(c.variant, c.layout, c.n));
    }
  }
  const get = (n, layout, variant) => cases.find(c => c.n === n && c.layout === layout && c.variant === variant);
  const m = (c, key) => median(c.runs.map(r => r[key]));
  const rows = cases.map(c => {
    const base = get(c.n, c.layout, baselineOf(c.variant));
    const same = c.runs.every(r => r.sha256 === base.runs[0].sha256);
    return [c.n, LAYOUT_NAMES[c.layout], c.variant, c.runs.length,
      fmt(m(c, 'total')), fmt(m(c, 'total') / m(base, 'total'), 2), fmt(m(c, 'cpu')), fmt(m(c, 'cpu') / m(base, 'cpu'), 2),
      fmt(m(c, 'load')), fmt(m(c, 'rssMB')), fmt(m(c, 'liveMB'), 1), m(c, 'nodes'), same ? 'yes' : '**no**'];
  });
  const main = table(['N', 'layout', 'variant', 'runs', 'wall ms', '× baseline', 'CPU ms', 'CPU × baseline', 'load ms', 'peak RSS MB',
    'live heap MB', 'constructs', 'YAML = baseline'], rows);

  // Growth with N, and memory per app: linear memory gives the same KB per app over both spans.
  const growth = LAYOUTS.flatMap(layout => VARIANTS.map(variant => {
    const at = n => get(n, layout, variant);
    const ratio = (key, a, b) => m(at(b), key) / m(at(a), key);
    const perApp = (a, b) => (1024 * (m(at(b), 'liveMB') - m(at(a), 'liveMB'))) / (b - a);
    const spans = SIZES.slice(1).map((n, i) => [SIZES[i], n]);
    return [LAYOUT_NAMES[layout], variant,
      ...spans.map(([a, b]) => fmt(ratio('total', a, b), 1)), ...spans.map(([a, b]) => fmt(perApp(a, b)))];
  }));
  const spanNames = SIZES.slice(1).map((n, i) => `${SIZES[i]}→${n}`);
  const growthTable = table(['layout', 'variant', ...spanNames.map(s => `wall × ${s}`), ...spanNames.map(s => `live heap KB/app ${s}`)], growth);

  // The targets of the issue, at the largest N.
  const ratio = (layout, a, b, key = 'total') => m(get(LARGEST, layout, a), key) / m(get(LARGEST, layout, b), key);
  const grows = variant => m(get(LARGEST, 'per-app', variant), 'total') / m(get(SIZES[SIZES.length - 2], 'per-app', variant), 'total');
  const linear = layout => {
    const [a, b, c] = SIZES.map(n => m(get(n, layout, 'constructs'), 'liveMB'));
    return ((c - b) / (SIZES[2] - SIZES[1])) / ((b - a) / (SIZES[1] - SIZES[0]));
  };
  const verdict = ok => (ok ? 'met' : '**not met**');
  const one = ratio('one', 'constructs', 'baseline');
  const withPods = ratio('one', 'constructs-pods', 'baseline-pods');
  const overhead = variant => (m(get(LARGEST, 'one', variant), 'total') - m(get(LARGEST, 'one', baselineOf(variant)), 'total')) / LARGEST;
  const targets = [
    `- One chart, N = ${LARGEST}: constructs take ${fmt(one, 2)}× the baseline's wall time (CPU ${fmt(ratio('one', 'constructs', 'baseline', 'cpu'), 2)}×); aim ≤ 1.5×: ${verdict(one <= 1.5)}.`,
    `- Every pod setting, one chart, N = ${LARGEST}: constructs take ${fmt(withPods, 2)}× the same objects written by hand, against ${fmt(one, 2)}× without `
      + `(${fmt(withPods / one, 2)}×); our overhead per app is ${fmt(overhead('constructs-pods'), 2)} ms against ${fmt(overhead('constructs'), 2)} ms; `
      + `target ≤ 1.15×: ${verdict(withPods / one <= 1.15)}.`,
    `- One chart per app, N = ${SIZES[SIZES.length - 2]} → ${LARGEST}: constructs grow ${fmt(grows('constructs'), 1)}×, the baseline ${fmt(grows('baseline'), 1)}×; target no worse: ${verdict(grows('constructs') <= grows('baseline'))}.`,
    ...(SIZES.length === 3 ? LAYOUTS.map(layout => `- Memory, ${LAYOUT_NAMES[layout]}: live heap per app from ${SIZES[1]} to ${SIZES[2]} apps is ${fmt(linear(layout), 2)}× that from ${SIZES[0]} to ${SIZES[1]} (1 = linear): ${verdict(linear(layout) < 1.5)}.`) : []),
    ...LAYOUTS.map(layout => `- Route check share, ${LAYOUT_NAMES[layout]}, N = ${LARGEST}: ${fmt(100 * (1 - ratio(layout, 'constructs-nocheck', 'constructs')), 0)}% of the constructs' wall time (${fmt(100 * (1 - ratio(layout, 'constructs-nocheck', 'constructs', 'cpu')), 0)}% of CPU time).`),
  ];
  return [`Runs per case: ${[...new Set(cases.map(c => `${c.runs.length} at N = ${c.n}${c.n === 1000 ? ` ${c.layout}` : ''}`))].join(', ')}.`,
    '', main, '', growthTable, '', ...targets].join('\n');
}

// ---- routecheck: the route check's share of synth ---------------------------------------------

/** Target of issue #16: the route check costs at most this share of a synth. */
const ROUTE_CHECK_TARGET = 0.05;

/**
 * The synth suite's share figures come from five runs each, measured apart; this one alternates the
 * two variants, round after round, which is what a few percent needs on a shared machine.
 */
function routeCheckSuite() {
  const rounds = quick ? 3 : 15;
  const n = quick ? 100 : LARGEST;
  const rows = ['one', 'per-team'].map(layout => {
    const runs = { constructs: [], 'constructs-nocheck': [] };
    for (let i = 0; i < rounds; i++) {
      for (const variant of Object.keys(runs)) {
        log(`routecheck round ${i + 1}: ${variant} ${layout} ${n}`);
        runs[variant].push(worker(variant, layout, n));
      }
    }
    const m = (variant, key) => median(runs[variant].map(r => r[key]));
    const share = key => 1 - m('constructs-nocheck', key) / m('constructs', key);
    return [LAYOUT_NAMES[layout], n, rounds, fmt(m('constructs', 'total')), fmt(m('constructs-nocheck', 'total')), `${fmt(100 * share('total'), 1)}%`,
      fmt(m('constructs', 'cpu')), fmt(m('constructs-nocheck', 'cpu')), `${fmt(100 * share('cpu'), 1)}%`,
      share('total') <= ROUTE_CHECK_TARGET ? 'met' : '**not met**'];
  });
  return table(['layout', 'N', 'rounds', 'wall ms', 'wall ms, no check', 'check share of wall', 'CPU ms', 'CPU ms, no check',
    'check share of CPU', `≤ ${100 * ROUTE_CHECK_TARGET}% of wall`], rows);
}

// ---- startup: cdk8s synth of the examples, and jest --------------------------------------------

/** Wall time by hrtime; CPU (user + system, children included) and peak RSS by /usr/bin/time where it exists. */
function timed(cmd, env = {}) {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}`);
  const gnuTime = fs.existsSync('/usr/bin/time');
  const [file, ...rest] = gnuTime ? ['/usr/bin/time', '-f', '%U %S %M', '-o', timeFile, ...cmd] : cmd;
  const start = process.hrtime.bigint();
  const r = spawnSync(file, rest, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const [user, sys, rssKB] = gnuTime ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { wall, cpu: user + sys, rssMB: rssKB / 1024, status: r.status, stderr: r.stderr };
}

function hashDir(dir) {
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 16);
}

function startupSuite() {
  const runs = quick ? 2 : 5;
  const synths = [
    ['`node -e 0` (node itself)', () => ['node', '-e', '0']],
    ['`node lib/examples/main.js` (bare)', out => ['node', 'lib/examples/main.js'], out => ({ CDK8S_OUTDIR: out })],
    ['`cdk8s synth --no-check-upgrade` (as `npm run synth` calls it)', out => ['node_modules/.bin/cdk8s', 'synth', '--no-check-upgrade', '-o', out]],
    ['`npx cdk8s synth --no-check-upgrade`', out => ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '-o', out]],
    ['`cdk8s synth` of an empty app (the CLI alone)', out => ['node_modules/.bin/cdk8s', 'synth', '--no-check-upgrade', '-o', out, '--app', 'mkdir -p "$CDK8S_OUTDIR"']],
  ].map(([name, cmd, env = () => ({})]) => ({ name, cmd, env, results: [], outputs: new Set() }));
  for (let i = 0; i < runs; i++) {
    for (const s of synths) {
      log(`startup run ${i + 1}: ${s.name}`);
      const out = path.join(tmp('bench-synth-'), 'dist');
      const r = timed(s.cmd(out), s.env(out));
      if (r.status !== 0) throw new Error(`${s.name} failed:\n${r.stderr}`);
      if (fs.existsSync(out) && fs.readdirSync(out).length > 0) s.outputs.add(hashDir(out));
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      s.results.push(r);
    }
  }
  const outputs = new Set(synths.flatMap(s => [...s.outputs]));
  const synthTable = table(['command', 'runs', 'wall s', 'CPU s', 'peak RSS MB'], synths.map(s =>
    [s.name, s.results.length, fmt(median(s.results.map(r => r.wall)), 2), fmt(median(s.results.map(r => r.cpu)), 2), fmt(median(s.results.map(r => r.rssMB)))]));

  const crds = path.resolve(ROOT, '../shared/crds');
  const jestRuns = [
    { name: '`npx jest --ci`', env: {}, runs: quick ? 1 : 3 },
    { name: '`CRDS_DIR=../shared/crds npx jest --ci`', env: { CRDS_DIR: '../shared/crds' }, runs: quick ? 1 : 3, skip: !fs.existsSync(crds) },
    ...(quick ? [] : [
      { name: '`npx jest --ci`, empty cache', env: {}, runs: 1, cold: true },
      { name: '`CRDS_DIR=../shared/crds npx jest --ci`, empty cache', env: { CRDS_DIR: '../shared/crds' }, runs: 1, cold: true, skip: !fs.existsSync(crds) },
    ]),
  ].filter(j => !j.skip);
  const jestRows = [];
  let slowest = [];
  for (const j of jestRuns) {
    const results = [];
    for (let i = 0; i < j.runs; i++) {
      log(`jest run ${i + 1}: ${j.name}`);
      const dir = tmp('bench-jest-');
      const cache = j.cold ? ['--cacheDirectory', path.join(dir, 'cache')] : [];
      const r = timed(['npx', 'jest', '--ci', '--json', '--outputFile', path.join(dir, 'out.json'), ...cache], j.env);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
      results.push({ ...r, json });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const last = results[results.length - 1].json;
    jestRows.push([j.name, results.length, fmt(median(results.map(r => r.wall)), 1), fmt(median(results.map(r => r.cpu)), 1),
      `${last.numPassedTests} passed, ${last.numFailedTests} failed, ${last.numPendingTests} skipped in ${last.numTotalTestSuites} files`]);
    if (j.env.CRDS_DIR && !j.cold) {
      slowest = last.testResults.map(t => [path.relative(ROOT, t.name), (t.endTime - t.startTime) / 1000]).sort((a, b) => b[1] - a[1]).slice(0, 5);
    }
  }
  return [synthTable, '',
    `The synthesized files are ${outputs.size === 1 ? 'the same' : `**not** the same (${outputs.size} versions)`} for every synth command.`,
    '', table(['command', 'runs', 'wall s', 'CPU s', 'tests'], jestRows), '',
    ...(slowest.length ? ['Slowest test files with `CRDS_DIR` (last run, s): '
      + slowest.map(([f, s]) => `${f} ${s.toFixed(1)}`).join(', ') + '.'] : [])].join('\n');
}

// ---- profile --------------------------------------------------------------------------------------

function profileSuite() {
  const cases = quick ? [['one', 100], ['per-app', 100]] : [['one', 1000], ['per-app', 300]];
  return cases.map(([layout, n]) => {
    log(`profile: constructs ${layout} ${n}`);
    const dir = tmp('bench-prof-');
    const r = worker('constructs', layout, n, ['--cpu-prof', '--cpu-prof-dir', dir]);
    const file = path.join(dir, fs.readdirSync(dir)[0]);
    const text = report(file, 8).replace(/^Profile .*?:/, `#### constructs, ${LAYOUT_NAMES[layout]}, N = ${n} (wall ${fmt(r.total)} ms):`);
    fs.rmSync(dir, { recursive: true, force: true });
    return text;
  }).join('\n\n');
}

// ---- verify: the CLI on a large file, against parsing it --------------------------------------

const VERIFY_OBJECTS = 20000;

function verifySuite() {
  const runs = quick ? 2 : 5;
  const dir = tmp('bench-verify-');
  const file = path.join(dir, 'apps.yaml');
  const { objects, bytes } = require('./verify').generate(file, VERIFY_OBJECTS);
  const cli = format => ['node', 'lib/src/cli.js', 'verify', '--format', format, file];
  const commands = [
    { name: 'js-yaml `loadAll` (the floor)', cmd: ['node', 'bench/verify.js', 'floor', file] },
    { name: '`verify --format json`', cmd: cli('json'), findings: true },
    { name: '`verify` (text)', cmd: cli('text'), findings: true },
    { name: '`verify --format sarif`', cmd: cli('sarif'), findings: true },
  ].map(c => ({ ...c, results: [] }));
  // Round-robin, so that load from other processes falls on every command alike.
  for (let i = 0; i < runs; i++) {
    for (const c of commands) {
      log(`verify run ${i + 1}: ${c.name}`);
      const r = timed(c.cmd);
      // verify exits 1: the file has a few findings on purpose.
      if (r.status !== (c.findings ? 1 : 0)) throw new Error(`${c.name} exited ${r.status}:\n${r.stderr}`);
      c.results.push(r);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const m = (c, key) => median(c.results.map(r => r[key]));
  const [floor, json] = commands;
  const rows = commands.map(c => [c.name, c.results.length, fmt(m(c, 'wall'), 2), fmt(m(c, 'wall') / m(floor, 'wall'), 2),
    fmt(m(c, 'cpu'), 2), fmt(m(c, 'cpu') / m(floor, 'cpu'), 2), fmt(m(c, 'rssMB')), fmt(m(c, 'rssMB') / m(floor, 'rssMB'), 2)]);
  const ratio = m(json, 'wall') / m(floor, 'wall');
  return [`${objects} objects, ${(bytes / 2 ** 20).toFixed(1)} MiB of YAML (bench/verify.js); each run a fresh process, node's start included.`, '',
    table(['command', 'runs', 'wall s', '× floor', 'CPU s', 'CPU × floor', 'peak RSS MB', 'RSS × floor'], rows), '',
    `- \`verify --format json\` takes ${fmt(ratio, 2)}× the floor's wall time (CPU ${fmt(m(json, 'cpu') / m(floor, 'cpu'), 2)}×); target ≤ 2×: ${ratio <= 2 ? 'met' : '**not met**'}.`,
  ].join('\n');
}

// ---- machine, output, BENCHMARKS.md ---------------------------------------------------------------

function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model;
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'examples', 'test'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, `
    + `node ${process.version}, ${os.platform()} ${os.release()}; commit ${git}${dirty ? ' with uncommitted changes in src/examples/test' : ''}; `
    + `load average ${os.loadavg().map(x => x.toFixed(1)).join(' ')} at the start`;
}

const SUITES = { synth: synthSuite, startup: startupSuite, profile: profileSuite, verify: verifySuite, routecheck: routeCheckSuite };

function main() {
  const unknown = suites.filter(s => !SUITES[s]);
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')}; use ${Object.keys(SUITES).join(', ')}`);
  const sections = { machine: machine() };
  for (const s of suites) {
    const start = Date.now();
    sections[s] = SUITES[s]();
    log(`${s}: ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  sections.machine += `, ${os.loadavg().map(x => x.toFixed(1)).join(' ')} at the end.`;
  for (const [name, text] of Object.entries(sections)) console.log(`\n### ${name}\n\n${text}`);
  if (args.includes('--write')) write(sections);
}

/** Replaces each section between `<!-- bench:name -->` and `<!-- /bench:name -->` in BENCHMARKS.md. */
function write(sections) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  let text = fs.readFileSync(file, 'utf8');
  for (const [name, body] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- bench:${name} -->\\n)[\\s\\S]*?(<!-- /bench:${name} -->)`);
    if (!re.test(text)) throw new Error(`BENCHMARKS.md has no <!-- bench:${name} --> … <!-- /bench:${name} --> markers`);
    text = text.replace(re, (_, open, close) => `${open}${body}\n${close}`);
  }
  fs.writeFileSync(file, text);
  log(`wrote ${Object.keys(sections).join(', ')} to BENCHMARKS.md`);
}

main();
