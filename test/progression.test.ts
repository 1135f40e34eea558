import { BlueGreenApp, CanaryApp, CanaryAppProps, Color, verifyProgression } from '../src';
import { Manifest, synth } from './support/manifests';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

function canaryStage(props: Partial<CanaryAppProps>): Manifest[] {
  return synth(chart => new CanaryApp(chart, 'Reviews', { stable: v1, ...props }));
}

function blueGreenStage(active: Color): Manifest[] {
  return synth(chart => new BlueGreenApp(chart, 'Web', {
    blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active,
  }));
}

const summary = (stages: Manifest[][]) => verifyProgression(stages).map(f => `${f.stage} ${f.code} ${f.object} ${f.path}`);

describe('verifyProgression', () => {
  test('a canary going 0 -> 10 -> 50 -> 100 -> promoted is safe at every step', () => {
    const stages = [
      canaryStage({}),
      canaryStage({ canary: v2, canaryWeight: 0 }),
      canaryStage({ canary: v2, canaryWeight: 10 }),
      canaryStage({ canary: v2, canaryWeight: 50 }),
      canaryStage({ canary: v2, canaryWeight: 100 }),
      canaryStage({ stable: v2 }),
    ];
    expect(verifyProgression(stages)).toEqual([]);
  });

  test('a blue -> green -> blue cutover is safe at every step', () => {
    expect(verifyProgression([Color.BLUE, Color.GREEN, Color.BLUE].map(blueGreenStage))).toEqual([]);
  });

  test('fails when a step routes to a version deployed in that same step', () => {
    expect(summary([canaryStage({}), canaryStage({ canary: v2, canaryWeight: 10 })]))
      .toEqual(['1 route-before-pods VirtualService/shop/reviews spec.http[0].route[1]']);
  });

  test('fails when one step both scales a colour up from 0 and makes it active', () => {
    const idleGreen = synth(chart => new BlueGreenApp(chart, 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, scaledDown: Color.GREEN,
    }));
    const flipped = synth(chart => new BlueGreenApp(chart, 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, scaledDown: Color.BLUE,
    }));
    expect(summary([idleGreen, flipped])).toEqual(['1 route-before-pods VirtualService/shop/web spec.http[0].route[1]']);
    const greenUp = blueGreenStage(Color.BLUE);
    expect(verifyProgression([idleGreen, greenUp, flipped])).toEqual([]);
  });

  test('fails when a subset that took traffic is removed in the next step', () => {
    expect(summary([canaryStage({ canary: v2, canaryWeight: 10 }), canaryStage({ stable: v2 })]))
      .toEqual(['1 subset-removed-while-routed VirtualService/shop/reviews spec.http[0].route[0]']);
  });

  test('finds a subset in a wildcard rule when a rule for the exact host elsewhere lacks it, as the proxies of the routes\' namespace do', () => {
    // The app's own rule, for its exact host, made a wildcard one; a TLS-only rule for the exact host in istio-system beside it.
    const stage = canaryStage({ canary: v2, canaryWeight: 10 }).map(o => (o.kind === 'DestinationRule'
      ? { ...o, spec: { ...(o.spec as object), host: '*.shop.svc.cluster.local' } } : o));
    const tls = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews-tls', namespace: 'istio-system' },
      spec: { host: 'reviews.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } };
    expect(verifyProgression([[...stage, tls], [...stage, tls]])).toEqual([]);
    expect(summary([[...stage, tls], [...stage.filter(o => o.kind !== 'DestinationRule'), tls]]).sort()).toEqual([
      '1 subset-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.subset', '1 subset-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.subset',
      '1 subset-removed-while-routed VirtualService/shop/reviews spec.http[0].route[0]', '1 subset-removed-while-routed VirtualService/shop/reviews spec.http[0].route[1]']);
  });

  test('fails when a step renames an object that is still the same release', () => {
    const renamed = canaryStage({}).map(o => (o.kind === 'Deployment' ? { ...o, metadata: { ...o.metadata, name: 'reviews-stable' } } : o));
    expect(summary([canaryStage({}), renamed])).toEqual([
      '1 object-renamed Deployment/shop/reviews-stable metadata.name',
      // A renamed Deployment is a new one, with new pods, that takes the traffic at once.
      '1 route-before-pods VirtualService/shop/reviews spec.http[0].route[0]',
    ]);
  });

  test('checks each step on its own too, naming the step', () => {
    // Plain JSON, because the synth-time check would refuse to build this chart.
    const orphan = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan', namespace: 'shop' }, spec: { selector: { run: 'x' }, ports: [{ name: 'http', port: 80 }] } };
    const broken = [...canaryStage({}), orphan];
    expect(verifyProgression([canaryStage({}), broken]).map(f => [f.stage, f.code])).toContainEqual([1, 'service-selects-nothing']);
  });
});
