'use strict';
/**
 * One measurement in a fresh process: node --expose-gc bench/worker.js <variant> <layout> <N> [--keep]
 *
 *   constructs          BlueGreenApp / CanaryApp / IstioGateway, synthesized with app.synth()
 *   constructs-nocheck  the same with RouteCheck.of(chart).disable() on every chart
 *   constructs-pods     the constructs with every pod setting a production service has
 *   baseline            the same objects as plain ApiObjects, synthesized with app.synth()
 *   baseline-pods       the objects of constructs-pods as plain ApiObjects
 *   floor               the same plain objects written with the yaml package alone
 *
 * Every variant writes one YAML file per chart to a temp outdir, as `cdk8s synth` does, and prints
 * one line of JSON: times in ms (load = require, build = construct tree, synth = validate and
 * write, total = build + synth, cpu = user + system time of total), peak RSS and live heap after
 * a full GC in MB (with the app still referenced), the number of constructs, and a sha256 of the
 * written files.
 */
const t0 = process.hrtime.bigint();
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [variant, layout, nArg] = process.argv.slice(2);
const keep = process.argv.includes('--keep');
const { charts } = require('./spec');
const specs = charts(layout, Number(nArg));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${variant}-${layout}-${nArg}-`));

const variants = {
  constructs: () => synthWith(app => require('./constructs').build(app, specs)),
  'constructs-nocheck': () => synthWith(app => require('./constructs').build(app, specs, { routeCheck: false })),
  'constructs-pods': () => synthWith(app => require('./constructs').build(app, specs, { pods: true })),
  baseline: () => synthWith(app => require('./manifests').build(app, specs)),
  'baseline-pods': () => synthWith(app => require('./manifests').build(app, specs, { pods: true })),
  floor: () => {
    const YAML = require('yaml');
    const { appManifests } = require('./manifests');
    const loaded = mark();
    // cdk8s's own Yaml.stringify options, plus sorted keys (ApiObject.toJson sorts them) and no
    // anchors for objects the manifests share (toJson copies them).
    const options = { keepUndefined: true, lineWidth: 0, version: '1.1', sortMapEntries: true, aliasDuplicateObjects: false };
    const docs = specs.map(c => ({ id: c.id, objects: c.apps.flatMap(spec => appManifests(spec)) }));
    const built = mark();
    for (const doc of docs) {
      const text = doc.objects.map(o => YAML.stringify(o, options)).join('---\n');
      fs.writeFileSync(path.join(outdir, `${doc.id}.k8s.yaml`), text);
    }
    return { marks: [loaded, built, mark()], live: docs };
  },
};

function synthWith(build) {
  const { App } = require('cdk8s');
  require('../lib/src'); // loaded by every cdk8s variant, so that load times compare
  const loaded = mark();
  const app = new App({ outdir });
  build(app);
  const built = mark();
  app.synth();
  return { marks: [loaded, built, mark()], live: app };
}

function mark() {
  const r = process.resourceUsage();
  return { t: process.hrtime.bigint(), cpu: (r.userCPUTime + r.systemCPUTime) / 1000 };
}

if (!variants[variant]) throw new Error(`unknown variant ${variant}; use one of ${Object.keys(variants).join(', ')}`);
const { marks: [loaded, built, done], live } = variants[variant]();
const ms = (a, b) => Number(b - a) / 1e6;
const rssMB = process.resourceUsage().maxRSS / 1024;
global.gc?.();
const liveMB = process.memoryUsage().heapUsed / 2 ** 20;

/** Constructs in the app, or plain objects for the floor; counted after the GC, which keeps them alive until then. */
function nodes(x) {
  return Array.isArray(x) ? x.reduce((sum, doc) => sum + doc.objects.length, 0) : x.node.findAll().length;
}

const hash = crypto.createHash('sha256');
const files = fs.readdirSync(outdir).sort();
let bytes = 0;
for (const file of files) {
  const text = fs.readFileSync(path.join(outdir, file));
  bytes += text.length;
  hash.update(file).update('\0').update(text);
}
if (!keep) fs.rmSync(outdir, { recursive: true, force: true });

console.log(JSON.stringify({
  variant, layout, n: Number(nArg),
  load: ms(t0, loaded.t), build: ms(loaded.t, built.t), synth: ms(built.t, done.t), total: ms(loaded.t, done.t), cpu: done.cpu - loaded.cpu,
  rssMB, liveMB, nodes: nodes(live), files: files.length, bytes, sha256: hash.digest('hex').slice(0, 16), ...(keep ? { outdir } : {}),
}));
