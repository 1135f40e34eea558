import { Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { verifyManifests } from '../../src';

describe('examples app', () => {
  test('builds one chart per scenario, so dist/ gets one file each', () => {
    const app = Testing.app();
    buildExamples(app);
    expect(app.charts.map(c => c.node.id)).toEqual([
      'nginx-blue-green', 'weather-canary', 'podinfo-blue-green', 'version-test-canary', 'reviews-canary',
      'nginx-selector-blue-green', 'podinfo-autoscaled-canary', 'bookinfo-dark-launch', 'shop-preview-blue-green',
      'api-multiport-canary', 'checkout-sticky-canary', 'staged-canary',
      'flagger-podinfo-blue-green', 'flagger-canary', 'argo-weather-canary', 'argo-blue-green',
      'gateway-api-canary',
    ]);
  });

  test('every example, on its own, has no route findings, warnings included', () => {
    const app = Testing.app();
    buildExamples(app);
    for (const chart of app.charts) {
      expect([chart.node.id, verifyManifests(chart.toJson(), { externalGateways: ['istio-system/public-gateway'] })]).toEqual([chart.node.id, []]);
    }
  });
});
