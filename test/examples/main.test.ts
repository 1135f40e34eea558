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
      'api-multiport-canary', 'checkout-sticky-canary',
    ]);
  });

  test('the examples together are one manifest set with no route findings', () => {
    const app = Testing.app();
    buildExamples(app);
    const objects = app.charts.flatMap(c => c.toJson());
    expect(verifyManifests(objects, { externalGateways: ['istio-system/public-gateway'] })).toEqual([]);
  });
});
