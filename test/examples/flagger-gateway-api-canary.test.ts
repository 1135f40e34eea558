import { FlaggerGatewayApiCanary } from '../../examples/flagger-gateway-api-canary';
import { find, Manifest } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: a canary run by Flagger through the Gateway API', () => {
  const objects = exampleObjects(FlaggerGatewayApiCanary, ['Gateway', 'Deployment', 'MetricTemplate', 'MetricTemplate', 'Canary']);
  const canary = find(objects, 'Canary', 'podinfo').spec;

  test('uses Flagger\'s gatewayapi:v1 provider, attached to the emitted Gateway and to the Service for in-mesh callers', () => {
    expect(find(objects, 'Gateway', 'edge').apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(canary.provider).toBe('gatewayapi:v1');
    expect(canary.service.gatewayRefs).toEqual([
      { name: 'edge', namespace: 'podinfo-gw' }, { group: '', kind: 'Service', name: 'podinfo', port: 9898 },
    ]);
    expect(canary.service.hosts).toEqual(['podinfo-gw.example.com']);
    expect(canary.service.timeout).toBe('15s');
  });

  test('checks Istio\'s success rate and latency through MetricTemplates', () => {
    expect(canary.analysis.stepWeights).toEqual([10, 40]);
    expect(canary.analysis.metrics.map((m: Manifest) => [m.name, m.templateRef.name])).toEqual([
      ['istio-success-rate', 'podinfo-istio-success-rate'], ['istio-request-duration', 'podinfo-istio-request-duration'],
    ]);
  });
});
