import { Chart, ChartProps, Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { RouteCheck } from '../../src';
import { expectValidManifests } from './schemas';

/** A synthesized object, as plain JSON. */
export type Manifest = any;

/** Builds a chart (namespace `shop` unless told otherwise) and returns its objects in output order. */
export function synth(build: (chart: Chart) => void, props: ChartProps = { namespace: 'shop' }): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', props);
  build(chart);
  return Testing.synth(chart);
}

/** A new chart for tests that need to call constructors directly (for example, to see them throw). */
export function newChart(props: ChartProps = { namespace: 'shop' }): Chart {
  return new Chart(Testing.app(), 'test', props);
}

export function find(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.find(o => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map(o => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

export function kinds(objects: Manifest[]): string[] {
  return objects.map(o => o.kind);
}

function selects(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Names of the Deployments whose pods carry every label of the selector. */
export function deploymentsSelectedBy(objects: Manifest[], selector: Record<string, string>): string[] {
  return objects
    .filter(o => o.kind === 'Deployment' && selects(selector, o.spec.template.metadata.labels))
    .map(o => o.metadata.name);
}

/** The Deployments a VirtualService destination reaches: Service selector plus subset labels. */
export function deploymentsBehindSubset(objects: Manifest[], service: string, subset: string): string[] {
  const svc = find(objects, 'Service', service);
  const rule = find(objects, 'DestinationRule', service);
  const labels = rule.spec.subsets.find((s: Manifest) => s.name === subset)?.labels;
  if (!labels) return [];
  return deploymentsSelectedBy(objects, { ...svc.spec.selector, ...labels });
}

/** `{ subset: weight }` of the VirtualService's weighted route. */
export function weights(virtualService: Manifest): Record<string, number> {
  const route = virtualService.spec.http.find((r: Manifest) => r.name === 'primary').route;
  return Object.fromEntries(route.map((r: Manifest) => [r.destination.subset, r.weight]));
}

/** `Kind/name` of each object of `after` that differs from the one at its place in `before`: one release step's diff. */
export function changedObjects(before: Manifest[], after: Manifest[]): string[] {
  return after.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before[i])).map(o => `${o.kind}/${o.metadata.name}`);
}

/** Every object valid against its schema (strictly against the CRDs with CRDS_DIR), and no route findings at all. */
export function expectSound(chart: Chart): Manifest[] {
  const objects = chart.toJson();
  expectValidManifests(objects);
  expect(RouteCheck.of(chart).findings()).toEqual([]);
  return objects;
}

/** The charts of the examples app, one per scenario, as `npm run synth` makes them. */
export function exampleCharts(): Chart[] {
  const app = Testing.app();
  buildExamples(app);
  return app.charts;
}
