'use strict';
/**
 * The verify benchmark's input and its floor, in a fresh process each:
 *
 *   node bench/verify.js generate <file> [objects]   writes a realistic manifest set of about
 *                                                   `objects` objects (default 20000) to <file>
 *   node bench/verify.js floor <file>               js-yaml's loadAll of <file>, the floor; prints
 *                                                   one line of JSON: parse ms
 *
 * The set is what a platform team's repository of many apps holds: per app a Deployment per
 * version (with the pod settings of production services on every other app), disruption budgets
 * and autoscalers on some, a Service, a DestinationRule and a VirtualService, a quarter with a
 * Gateway of their own and the rest on the shared ingress gateway, which is in the set with its
 * Deployment and Service. Apps are spread over 200 namespaces. Every 1000th app has a mistake (its
 * VirtualService routes to a subset its DestinationRule lacks), so that the findings, and the
 * search for their lines, are measured too; the rest is clean.
 */
const fs = require('fs');
const { appSpec } = require('./spec');
const { appManifests } = require('./manifests');

const NAMESPACES = 200;
const FAULTY_EVERY = 1000;

/** The shared ingress gateway that most apps bind to, with the workload it selects. */
function ingress() {
  const labels = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  const meta = { labels, name: 'istio-ingressgateway', namespace: 'istio-system' };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ image: 'docker.io/istio/proxyv2:1.30.3', name: 'istio-proxy', ports: [{ containerPort: 8080 }] }] } },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta,
      spec: { ports: [{ name: 'http2', port: 80, targetPort: 8080 }], selector: labels, type: 'LoadBalancer' },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public-gateway', namespace: 'istio-system' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ hosts: ['*.example.com'], port: { name: 'http', number: 80, protocol: 'HTTP' } }] },
    },
  ];
}

/** App i in one of many namespaces; the faulty ones route to a subset that does not exist. */
function appObjects(i) {
  const spec = appSpec(i);
  const namespace = `team-${i % NAMESPACES}`;
  const gateway = spec.gateway.ref ? spec.gateway : { ...spec.gateway, namespace };
  const objects = appManifests({ ...spec, namespace, gateway }, i % 2 === 0);
  if (i % FAULTY_EVERY === FAULTY_EVERY - 1) {
    const vs = objects.find(o => o.kind === 'VirtualService');
    vs.spec.http[0].route[0].destination.subset = 'v-next';
  }
  return objects;
}

function generate(file, wanted = 20000) {
  const YAML = require('yaml');
  const objects = ingress();
  for (let i = 0; objects.length < wanted; i++) objects.push(...appObjects(i));
  // As `cdk8s synth` writes them: yaml's stringify, sorted keys, one document per object.
  const options = { lineWidth: 0, sortMapEntries: true, aliasDuplicateObjects: false };
  fs.writeFileSync(file, objects.map(o => YAML.stringify(o, options)).join('---\n'));
  return { objects: objects.length, bytes: fs.statSync(file).size };
}

function floor(file) {
  const jsYaml = require('js-yaml');
  const text = fs.readFileSync(file, 'utf8');
  const start = process.hrtime.bigint();
  const documents = jsYaml.loadAll(text);
  return { parseMs: Number(process.hrtime.bigint() - start) / 1e6, documents: documents.length };
}

module.exports = { generate };

if (require.main === module) {
  const [command, file, objects] = process.argv.slice(2);
  if (command === 'generate') console.log(JSON.stringify(generate(file, objects ? Number(objects) : undefined)));
  else if (command === 'floor') console.log(JSON.stringify(floor(file)));
  else throw new Error('usage: node bench/verify.js generate <file> [objects] | floor <file>');
}
