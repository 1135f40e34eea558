import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { Chart } from 'cdk8s';
import { exampleCharts } from './support/manifests';
import { Finding, verifyManifests } from '../src/verify';

/**
 * No false positive on correct input. Each folder under fixtures/analyze/clean is one set a user
 * applies together: Istio's own samples (Bookinfo, httpbin, helloworld, copied unchanged with the
 * pods of every version their DestinationRules name) and a shop spread over namespaces. Every
 * example of this project is checked as well, each on its own and all of them as one cluster.
 */

const CLEAN = join(__dirname, 'fixtures', 'analyze', 'clean');

function loadFolder(folder: string): unknown[] {
  return readdirSync(folder).filter(file => file.endsWith('.yaml')).sort().flatMap(file => {
    const documents = parseAllDocuments(readFileSync(join(folder, file), 'utf8'));
    return (Array.isArray(documents) ? documents : []).map(d => d.toJS()).filter(value => value !== null);
  });
}

/** `code object path` of each finding, so a failure names what was found where. */
function found(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

/** The shared ingress gateway of the examples lives in istio-system, outside the charts. */
const EXAMPLE_OPTIONS = { externalGateways: ['istio-system/public-gateway'] };

describe('verify on correct input', () => {
  const folders = readdirSync(CLEAN).sort();

  test('has the samples of Istio and the multi-namespace shop to check', () => {
    expect(folders).toEqual(['bookinfo-all-v1', 'bookinfo-canary', 'bookinfo-gateway-api', 'helloworld', 'httpbin', 'multi-namespace']);
  });

  test.each(folders)('finds nothing in %s', folder => {
    const objects = loadFolder(join(CLEAN, folder));
    expect(objects.length).toBeGreaterThan(4);
    expect(found(verifyManifests(objects))).toEqual([]);
  });

  // Built when a test asks, not when the file loads: mutation testing loads this file for every
  // mutant, and runs these tests only for the mutants they reach.
  let charts: Chart[] | undefined;
  const examples = () => (charts ??= exampleCharts());

  test('finds nothing in any example, each on its own', () => {
    expect(examples().length).toBeGreaterThan(20);
    for (const chart of examples()) {
      expect([chart.node.id, found(verifyManifests(chart.toJson(), EXAMPLE_OPTIONS))]).toEqual([chart.node.id, []]);
    }
  });

  test('finds nothing in the examples applied to one cluster, Flagger\'s too, whose controller makes the objects their routes name', () => {
    const oneCluster = examples().flatMap(chart => chart.toJson());
    expect(examples().filter(chart => chart.node.id.startsWith('flagger-')).length).toBeGreaterThan(0);
    expect(oneCluster.length).toBeGreaterThan(100);
    expect(found(verifyManifests(oneCluster, EXAMPLE_OPTIONS))).toEqual([]);
  });
});

describe('Bookinfo as each task of Istio\'s documentation applies it', () => {
  const folder = join(CLEAN, 'bookinfo-all-v1');
  const load = (...files: string[]) => files.flatMap(file => parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map(d => d.toJS()));

  test('finds no error in bookinfo.yaml with destination-rule-all.yaml, only a warning for each subset of a version it does not run', () => {
    const findings = verifyManifests(load('bookinfo.yaml', 'bookinfo-gateway.yaml', 'destination-rule-all.yaml', 'virtual-service-all-v1.yaml'));
    expect(found(findings)).toEqual([
      'unrouted-subset-selects-nothing DestinationRule/default/details spec.subsets[1].labels',
      'unrouted-subset-selects-nothing DestinationRule/default/ratings spec.subsets[1].labels',
      'unrouted-subset-selects-nothing DestinationRule/default/ratings spec.subsets[2].labels',
      'unrouted-subset-selects-nothing DestinationRule/default/ratings spec.subsets[3].labels',
    ]);
    expect(findings.map(f => f.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
  });
});
