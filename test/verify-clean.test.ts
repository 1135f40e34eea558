import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
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

  const charts = exampleCharts();

  test.each(charts.map(chart => [chart.node.id, chart] as const))('finds nothing in the example %s', (_, chart) => {
    expect(found(verifyManifests(chart.toJson(), EXAMPLE_OPTIONS))).toEqual([]);
  });

  test('finds nothing in the examples applied to one cluster, Flagger\'s aside (its controller makes the objects)', () => {
    const oneCluster = charts.filter(chart => !chart.node.id.startsWith('flagger-')).flatMap(chart => chart.toJson());
    expect(oneCluster.length).toBeGreaterThan(100);
    expect(found(verifyManifests(oneCluster, EXAMPLE_OPTIONS))).toEqual([]);
  });
});
