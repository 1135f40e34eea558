#!/usr/bin/env node
// Regenerates imports/ with `cdk8s import` from the upstream CRDs in ../shared/crds (`npm run import`).
// Two things stand between those files and `cdk8s import`, and this script handles only them:
// - Flagger's CRD file wraps some descriptions badly, which YAML reads as stray keys with spaces,
//   and cdk8s refuses them. Such keys are dropped; everything else is kept as it is.
// - Argo Rollouts' file alone makes 2.6 MB of TypeScript; only the kinds the library renders are kept.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseAllDocuments, stringify } = require('yaml');

const root = path.resolve(__dirname, '..');
const crds = path.resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
const SOURCES = [
  { file: 'istio-1.30.3-crd-all.gen.yaml' },
  { file: 'argo-rollouts-v1.9.1-crds.yaml', kinds: ['Rollout', 'AnalysisTemplate'] },
  { file: 'flagger-v1.44.0-crd.yaml', kinds: ['Canary', 'MetricTemplate'] },
  { file: 'gateway-api-v1.6.1-standard-crds.yaml', kinds: ['Gateway', 'HTTPRoute'] },
];
const CDK8S_KEY = /^(\w|\.|\/|-|#|,)*$/;

function sanitize(value) {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => CDK8S_KEY.test(key)).map(([key, v]) => [key, sanitize(v)]));
}

// `cdk8s import` records every import in cdk8s.yaml, temporary paths included; keep the file as it is.
const config = path.join(root, 'cdk8s.yaml');
const configText = fs.readFileSync(config, 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
for (const { file, kinds } of SOURCES) {
  const documents = parseAllDocuments(fs.readFileSync(path.join(crds, file), 'utf8'))
    .map(doc => doc.toJS())
    .filter(crd => crd?.kind === 'CustomResourceDefinition' && (!kinds || kinds.includes(crd.spec.names.kind)));
  const input = path.join(work, file);
  fs.writeFileSync(input, documents.map(crd => stringify(sanitize(crd))).join('---\n'));
  execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '--language', 'typescript', '--output', path.join(root, 'imports'), input],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
fs.rmSync(work, { recursive: true });
fs.writeFileSync(config, configText);
