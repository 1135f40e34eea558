import { Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';

describe('examples app', () => {
  test('builds one chart per seed scenario, so dist/ gets one file each', () => {
    const app = Testing.app();
    buildExamples(app);
    expect(app.charts.map(c => c.node.id)).toEqual([
      'nginx-blue-green', 'weather-canary', 'podinfo-blue-green', 'version-test-canary', 'reviews-canary',
    ]);
  });
});
