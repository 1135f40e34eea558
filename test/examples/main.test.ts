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
    ]);
  });

  test('every example, on its own, has no route findings, warnings included', () => {
    for (const chart of exampleCharts()) {
      expect([chart.node.id, verifyManifests(chart.toJson(), { externalGateways: ['istio-system/public-gateway'] })]).toEqual([chart.node.id, []]);
    }
  });
});
