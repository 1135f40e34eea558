import { verifyManifests } from '../../src';
import { exampleCharts } from '../support/manifests';

describe('examples app', () => {
  test('builds one chart per scenario, so dist/ gets one file each', () => {
    expect(exampleCharts().map(c => c.node.id)).toEqual([
      'nginx-blue-green', 'weather-canary', 'podinfo-blue-green', 'version-test-canary', 'reviews-canary',
      'nginx-selector-blue-green', 'podinfo-autoscaled-canary', 'bookinfo-dark-launch', 'shop-preview-blue-green',
      'api-multiport-canary', 'checkout-sticky-canary', 'staged-canary',
      'flagger-podinfo-blue-green', 'flagger-canary', 'argo-weather-canary', 'argo-blue-green',
      'gateway-api-canary', 'real-service', 'real-service-argo', 'real-service-flagger',
      'argo-progressive-canary', 'flagger-progressive-canary', 'flagger-ab-testing', 'flagger-mirrored-blue-green',
      'flagger-gateway-api-canary', 'argo-header-routed-canary', 'bookinfo-ambient',
      'kurator-podinfo-blue-green', 'kurator-fleet', 'argo-cd-fleet-payments', 'argo-cd-fleet',
    ]);
  });

  test('every example, on its own, has no route findings, warnings included', () => {
    for (const chart of exampleCharts()) {
      expect([chart.node.id, verifyManifests(chart.toJson(), { externalGateways: ['istio-system/public-gateway'] })]).toEqual([chart.node.id, []]);
    }
  });

  test('applied to one cluster together, as dist/ is: no object twice, no host twice on a gateway, and no route findings', () => {
    const objects = exampleCharts().flatMap(chart => chart.toJson());
    expect(verifyManifests(objects, { externalGateways: ['istio-system/public-gateway'] })).toEqual([]);
    // What Flagger makes from each Canary: Services named after its target, and a VirtualService for its hosts.
    const flaggers = objects.filter(o => o.kind === 'Canary').flatMap(canary => {
      const { name, namespace } = { name: canary.spec.targetRef.name, namespace: canary.metadata.namespace };
      const service = (suffix: string) => ({ kind: 'Service', metadata: { namespace, name: `${name}${suffix}` } });
      return [service(''), service('-primary'), service('-canary'), { kind: 'Deployment', metadata: { namespace, name: `${name}-primary` } },
        { kind: 'VirtualService', metadata: { namespace, name }, spec: { gateways: canary.spec.service.gateways, hosts: canary.spec.service.hosts ?? [] } }];
    });
    const all = [...objects, ...flaggers];
    const repeated = (keys: string[]) => keys.filter((key, i) => keys.indexOf(key) !== i);
    expect(flaggers.length).toBeGreaterThan(0);
    expect(repeated(all.map(o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`))).toEqual([]);
    const served = all.filter(o => o.kind === 'VirtualService')
      .flatMap(vs => (vs.spec.gateways ?? []).filter((g: string) => g !== 'mesh').flatMap((g: string) => vs.spec.hosts.map((h: string) => `${g} ${h}`)));
    expect(served.length).toBeGreaterThan(10);
    expect(repeated(served)).toEqual([]);
  });
});
