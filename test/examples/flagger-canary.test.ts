import { FlaggerCanary, STEPS } from '../../examples/flagger-canary';
import { find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: a podinfo canary run by Flagger', () => {
  const objects = exampleObjects(FlaggerCanary, ['Deployment', 'HorizontalPodAutoscaler', 'Canary']);
  const canary = find(objects, 'Canary', 'podinfo');

  test('releases podinfo 6.0.1, the canary version, as the Deployment Flagger watches, with its autoscaler', () => {
    expect(find(objects, 'Deployment', 'podinfo').spec.template.spec.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
    expect(find(objects, 'HorizontalPodAutoscaler', 'podinfo').spec.scaleTargetRef.name).toBe('podinfo');
    expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'podinfo' });
  });

  test('moves 10%, 25%, then 50% of the traffic to it, a step a minute while 99% succeed within 500 ms, under a load test', () => {
    expect(STEPS).toEqual([10, 25, 50]);
    expect(canary.spec.analysis).toEqual({
      interval: '1m',
      threshold: 2,
      stepWeights: [10, 25, 50],
      metrics: [
        { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
      ],
      webhooks: [{
        name: 'load-test',
        type: 'rollout',
        url: 'http://flagger-loadtester.test/',
        timeout: '5s',
        metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/' },
      }],
    });
    expect(canary.spec.metricsServer).toBe('http://prometheus.istio-system:9090');
  });

  test('serves app.example.com through the shared gateway and the mesh', () => {
    expect(canary.spec.service).toEqual({
      port: 9898, targetPort: 9898, portName: 'http', gateways: ['istio-system/public-gateway', 'mesh'], hosts: ['app.example.com'],
    });
  });
});
