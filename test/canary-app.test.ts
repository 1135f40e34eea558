import { Chart } from 'cdk8s';
import { CanaryApp, CanaryAppProps, DisruptionBudget, IstioGateway } from '../src';
import { deploymentsBehindSubset, deploymentsSelectedBy, find, kinds, Manifest, newChart, synth, weights } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, ...props });
}

describe('CanaryApp', () => {
  const objects = synth(chart => reviews(chart, {
    canary: v2,
    canaryWeight: 10,
    gateway: IstioGateway.fromName('istio-system/public-gateway'),
    hosts: ['reviews.example.com'],
  }));

  test('emits a Deployment per version, then the Service, subsets and routes; all pass their schemas', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
    expect(objects.filter(o => o.kind === 'Deployment').map(o => o.metadata.name)).toEqual(['reviews-v1', 'reviews-v2']);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('splits traffic 100 - canaryWeight / canaryWeight between subsets named from the versions', () => {
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(weights(vs)).toEqual({ v1: 90, v2: 10 });
    expect(find(objects, 'DestinationRule', 'reviews').spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
  });

  test('each subset reaches exactly its version\'s Deployment, and the Service reaches both', () => {
    expect(deploymentsBehindSubset(objects, 'reviews', 'v1')).toEqual(['reviews-v1']);
    expect(deploymentsBehindSubset(objects, 'reviews', 'v2')).toEqual(['reviews-v2']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'reviews').spec.selector)).toEqual(['reviews-v1', 'reviews-v2']);
  });

  test('refers to an existing gateway as namespace/name and emits no Gateway for it', () => {
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(vs.spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['reviews.example.com', 'reviews.shop.svc.cluster.local']);
    expect(kinds(objects)).not.toContain('Gateway');
  });

  test.each([0, 1, 50, 99, 100])('emits weights %i% exactly as given', weight => {
    const objs = synth(c => reviews(c, { canary: v2, canaryWeight: weight }));
    expect(weights(find(objs, 'VirtualService', 'reviews'))).toEqual({ v1: 100 - weight, v2: weight });
  });

  test('without a canary, the stable version takes all traffic', () => {
    const chart = newChart();
    const app = reviews(chart);
    expect(app.canaryWeight).toBe(0);
    expect(app.canaryDeployment).toBeUndefined();
    const objs = chart.toJson();
    expect(kinds(objs)).toEqual(['Deployment', 'Service', 'DestinationRule', 'VirtualService']);
    expect(weights(find(objs, 'VirtualService', 'reviews'))).toEqual({ v1: 100 });
    expectValidManifests(objs);
  });

  test('a canary without a weight is deployed dark, at 0%', () => {
    const objs = synth(c => reviews(c, { canary: v2 }));
    expect(weights(find(objs, 'VirtualService', 'reviews'))).toEqual({ v1: 100, v2: 0 });
  });

  test('derives DNS-1123 names from versions with dots, and keeps the dots in the label', () => {
    const objs = synth(c => reviews(c, { stable: { image: 'nginx:1.10', version: '1.10' }, canary: { image: 'nginx:1.11', version: 'V1.11_rc1' } }));
    expect(find(objs, 'DestinationRule', 'reviews').spec.subsets).toEqual([
      { name: '1-10', labels: { version: '1.10' } },
      { name: 'v1-11-rc1', labels: { version: 'V1.11_rc1' } },
    ]);
    expect(deploymentsBehindSubset(objs, 'reviews', 'v1-11-rc1')).toEqual(['reviews-v1-11-rc1']);
    expectValidManifests(objs);
  });

  test('promotion renames nothing and leaves the promoted pods untouched', () => {
    const during = synth(c => reviews(c, { canary: v2, canaryWeight: 100, stable: { ...v1, replicas: 0 } }));
    const after = synth(c => reviews(c, { stable: v2 }));
    expect(find(after, 'Deployment', 'reviews-v2')).toEqual(find(during, 'Deployment', 'reviews-v2'));
    expect(weights(find(after, 'VirtualService', 'reviews'))).toEqual({ v2: 100 });
  });

  test('the stable version may be scaled to 0 once the canary takes everything', () => {
    const objs = synth(c => reviews(c, { canary: v2, canaryWeight: 100, stable: { ...v1, replicas: 0 } }));
    expect(find(objs, 'Deployment', 'reviews-v1').spec.replicas).toBe(0);
  });
});

describe('CanaryApp with Argo CD sync waves', () => {
  const WAVE = 'argocd.argoproj.io/sync-wave';
  const objects = synth(chart => {
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['reviews.example.com'] });
    reviews(chart, { canary: v2, canaryWeight: 10, gateway, disruptionBudget: DisruptionBudget.minAvailable(1), syncWaves: true });
  });
  const ours = objects.filter(o => o.kind !== 'Gateway');

  test('numbers the waves workloads 0, Service 1, DestinationRule 2, VirtualService 3; all pass their schemas', () => {
    expect(ours.map(o => [o.kind, o.metadata.name, o.metadata.annotations?.[WAVE]])).toEqual([
      ['Deployment', 'reviews-v1', '0'],
      ['PodDisruptionBudget', 'reviews-v1', '0'],
      ['Deployment', 'reviews-v2', '0'],
      ['PodDisruptionBudget', 'reviews-v2', '0'],
      ['Service', 'reviews', '1'],
      ['DestinationRule', 'reviews', '2'],
      ['VirtualService', 'reviews', '3'],
    ]);
    expectValidManifests(objects);
  });

  test('leaves objects unannotated by default', () => {
    const plain = synth(chart => reviews(chart, { canary: v2 }));
    expect(plain.map(o => o.metadata.annotations?.[WAVE])).toEqual(plain.map(() => undefined));
  });
});

describe('CanaryApp bad input', () => {
  const build = (props: Partial<CanaryAppProps>) => () => reviews(newChart(), { canary: v2, ...props });

  test.each([
    ['the weight is NaN', { canaryWeight: NaN }, 'canaryWeight', 'NaN'],
    ['the weight is not an integer', { canaryWeight: 10.5 }, 'canaryWeight', '10.5'],
    ['the weight is negative', { canaryWeight: -1 }, 'canaryWeight', '-1'],
    ['the weight is above 100', { canaryWeight: 101 }, 'canaryWeight', '101'],
    ['the weight sends traffic to a canary that is not defined', { canary: undefined, canaryWeight: 10 }, 'canaryWeight', '10'],
    ['stable and canary have the same version', { canary: { ...v2, version: 'v1' } }, 'canary.version', '"v1"'],
    ['two versions differ only in "." and "_"', { stable: { ...v1, version: 'v1.1' }, canary: { ...v2, version: 'v1_1' } }, 'canary.version', '"v1_1"'],
    ['the canary takes traffic with no replicas', { canaryWeight: 10, canary: { ...v2, replicas: 0 } }, 'canary.replicas', '0'],
    ['the stable version takes traffic with no replicas', { canaryWeight: 90, stable: { ...v1, replicas: 0 } }, 'stable.replicas', '0'],
    ['the stable image is empty', { stable: { ...v1, image: ' ' } }, 'stable.image', '" "'],
    ['a version is longer than a label value may be', { canary: { ...v2, version: 'v'.repeat(64) } }, 'canary.version', `"${'v'.repeat(64)}"`],
  ])('fails when %s', (_, props, field, value) => {
    expect(build(props)).toThrow(`test/Reviews: ${field} `);
    expect(build(props)).toThrow(`got ${value}; `);
  });

  test('fails when given bad props, with a message that says how to fix it', () => {
    expect(build({ canaryWeight: 10.5 })).toThrow(
      'test/Reviews: canaryWeight must be a whole percentage from 0 to 100, got 10.5; use an integer such as 10');
    expect(build({ canary: undefined, canaryWeight: 10 })).toThrow('add canary, or set canaryWeight to 0');
  });
});

describe('Manifest helpers', () => {
  test('a subset that selects nothing reaches no Deployment', () => {
    const objs: Manifest[] = synth(c => reviews(c, { canary: v2 }));
    find(objs, 'DestinationRule', 'reviews').spec.subsets[1].labels.version = 'v3';
    expect(deploymentsBehindSubset(objs, 'reviews', 'v2')).toEqual([]);
  });
});
