import { Chart } from 'cdk8s';
import { BlueGreenApp, BlueGreenAppProps, Color, CutoverMode, IstioGateway, verifyProgression } from '../src';
import { changedObjects, deploymentsSelectedBy, find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const blue = { image: 'nginx:1.10', version: '1.10' };
const green = { image: 'nginx:1.11', version: '1.11' };

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', { blue, green, ...props });
}

describe('BlueGreenApp with CutoverMode.SERVICE_SELECTOR', () => {
  const selectorStage = (active: Color, withGateway = false) => synth(chart => web(chart, {
    cutover: CutoverMode.SERVICE_SELECTOR,
    active,
    gateway: withGateway ? new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] }) : undefined,
  }));

  test('the Service selects the active colour\'s version, and there is no DestinationRule or VirtualService', () => {
    const objects = selectorStage(Color.BLUE);
    expect(kinds(objects)).toEqual(['Deployment', 'Deployment', 'Service']);
    const service = find(objects, 'Service', 'web');
    expect(service.spec.selector).toEqual({ app: 'web', version: '1.10' });
    expect(deploymentsSelectedBy(objects, service.spec.selector)).toEqual(['web-blue']);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('switching active changes only the Service selector', () => {
    const before = selectorStage(Color.BLUE, true);
    const after = selectorStage(Color.GREEN, true);
    expect(find(after, 'Service', 'web').spec.selector).toEqual({ app: 'web', version: '1.11' });
    expect(changedObjects(before, after)).toEqual(['Service/web']);
    expect(verifyProgression([before, after])).toEqual([]);
  });

  test('with a gateway, the VirtualService routes to the Service host without subsets', () => {
    const objects = selectorStage(Color.GREEN, true);
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'VirtualService']);
    expect(find(objects, 'VirtualService', 'web').spec.http).toEqual([
      { name: 'primary', route: [{ destination: { host: 'web.shop.svc.cluster.local' } }] },
    ]);
    expectValidManifests(objects);
  });

  test('exposes no DestinationRule, and no VirtualService without a gateway', () => {
    const app = web(newChart(), { cutover: CutoverMode.SERVICE_SELECTOR });
    expect([app.cutover, app.destinationRule, app.virtualService]).toEqual([CutoverMode.SERVICE_SELECTOR, undefined, undefined]);
  });

  test('mesh routing stays the default', () => {
    expect(web(newChart()).cutover).toBe(CutoverMode.MESH_ROUTING);
  });

  test('fails when the active colour has no replicas, as with mesh routing', () => {
    expect(() => web(newChart(), { cutover: CutoverMode.SERVICE_SELECTOR, blue: { ...blue, replicas: 0 } }))
      .toThrow('test/Web: blue.replicas must be above 0 while 100% of traffic goes to it, got 0; scale the version up first');
  });
});

describe('BlueGreenApp scaledDown', () => {
  test('scales the idle colour to 0 by default, or to scaledDownReplicas', () => {
    const replicas = (objects: Manifest[]) => objects.filter(o => o.kind === 'Deployment').map(o => [o.metadata.name, o.spec.replicas]);
    const zero = synth(c => web(c, { active: Color.GREEN, scaledDown: Color.BLUE }));
    expect(replicas(zero)).toEqual([['web-blue', 0], ['web-green', 2]]);
    expectValidManifests(zero);
    expect(replicas(synth(c => web(c, { active: Color.GREEN, scaledDown: Color.BLUE, scaledDownReplicas: 1 }))))
      .toEqual([['web-blue', 1], ['web-green', 2]]);
  });

  test('fails when active is switched to the scaled-down colour in the same change, saying to scale up first', () => {
    expect(() => web(newChart(), { active: Color.GREEN, scaledDown: Color.GREEN })).toThrow(
      'test/Web: scaledDown is the active colour, which takes all traffic, got "green"; scale it up first (leave scaledDown out), then switch active to it');
  });

  test('fails when scaledDownReplicas is negative', () => {
    expect(() => web(newChart(), { scaledDown: Color.GREEN, scaledDownReplicas: -1 })).toThrow('test/Web: scaledDownReplicas must be a whole number of replicas');
  });
});
