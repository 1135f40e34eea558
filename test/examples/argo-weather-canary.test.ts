import { ArgoWeatherCanary } from '../../examples/argo-weather-canary';
import { find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: weather app canary run by Argo Rollouts (seed 001)', () => {
  const objects = exampleObjects(ArgoWeatherCanary, ['Gateway', 'Rollout', 'Service', 'Service', 'Service', 'VirtualService']);
  const rollout = find(objects, 'Rollout', 'weather-test-app');

  test('rolls out New York (v2) at 2 replicas: 50%, held for 10 minutes, as the seed\'s Rollout', () => {
    expect(rollout.spec.replicas).toBe(2);
    expect(rollout.spec.template.spec.containers[0].image).toBe('docker.io/atulinfracloud/weathersample:v2');
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 50 }, { pause: { duration: '600s' } }]);
  });

  test('splits by host between the stable and canary Services (the seed\'s -hyd and -ny), on route primary', () => {
    const canary = rollout.spec.strategy.canary;
    expect([canary.stableService, canary.canaryService]).toEqual(['weather-test-app-stable', 'weather-test-app-canary']);
    expect(canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'weather-test-app', routes: ['primary'] } } });
    expect(find(objects, 'VirtualService', 'weather-test-app').spec.http[0].route).toEqual([
      { destination: { host: 'weather-test-app-stable.weather.svc.cluster.local' }, weight: 100 },
      { destination: { host: 'weather-test-app-canary.weather.svc.cluster.local' }, weight: 0 },
    ]);
  });

  test('serves port 80 from container port 5000 through argo-gateway', () => {
    for (const name of ['weather-test-app', 'weather-test-app-stable', 'weather-test-app-canary']) {
      expect(find(objects, 'Service', name).spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 5000 }]);
    }
    expect(find(objects, 'VirtualService', 'weather-test-app').spec.gateways).toEqual(['weather/argo-gateway', 'mesh']);
  });
});
