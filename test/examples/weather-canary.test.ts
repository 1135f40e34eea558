import { WeatherCanary } from '../../examples/weather-canary';
import { deploymentsBehindSubset, find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: weather app canary at 50% (seed 001)', () => {
  const objects = exampleObjects(WeatherCanary, ['Gateway', ...RELEASE]);

  test('splits 50/50 between Hyderabad (v1) and New York (v2)', () => {
    expect(weights(find(objects, 'VirtualService', 'weather-test-app'))).toEqual({ v1: 50, v2: 50 });
    expect(deploymentsBehindSubset(objects, 'weather-test-app', 'v1')).toEqual(['weather-test-app-v1']);
    expect(deploymentsBehindSubset(objects, 'weather-test-app', 'v2')).toEqual(['weather-test-app-v2']);
    expect(find(objects, 'Deployment', 'weather-test-app-v2').spec.template.spec.containers[0].image)
      .toBe('docker.io/atulinfracloud/weathersample:v2');
  });

  test('serves port 80 from container port 5000 through argo-gateway', () => {
    expect(find(objects, 'Service', 'weather-test-app').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 5000 }]);
    expect(find(objects, 'VirtualService', 'weather-test-app').spec.gateways).toEqual(['default/argo-gateway', 'mesh']);
  });
});
