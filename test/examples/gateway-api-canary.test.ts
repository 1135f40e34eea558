import { GatewayApiCanary } from '../../examples/gateway-api-canary';
import { deploymentsSelectedBy, find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: podinfo canary at 10% on the Kubernetes Gateway API', () => {
  const objects = exampleObjects(GatewayApiCanary,
    ['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'Service', 'HTTPRoute', 'HTTPRoute']);

  test('emits no Istio routing objects', () => {
    expect(objects.filter(o => o.apiVersion.includes('istio.io'))).toEqual([]);
  });

  test('the gateway is a Gateway API Gateway of class istio, with a listener for the host', () => {
    expect(find(objects, 'Gateway', 'edge')).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      spec: {
        gatewayClassName: 'istio',
        listeners: [{
          name: 'http.podinfo.example.com', hostname: 'podinfo.example.com', port: 80, protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        }],
      },
    });
  });

  test.each(['podinfo', 'podinfo-gateway'])('HTTPRoute %s sends testers to 6.0.1 and splits the rest 90/10', name => {
    const rules = find(objects, 'HTTPRoute', name).spec.rules;
    expect(rules.map((r: any) => r.name)).toEqual(['testers', 'primary']);
    expect(rules[0].matches).toEqual([{ headers: [{ name: 'x-canary', type: 'Exact', value: 'always' }] }]);
    expect(rules[0].backendRefs).toEqual([{ name: 'podinfo-6-0-1', port: 9898 }]);
    expect(rules[1].backendRefs).toEqual([
      { name: 'podinfo-6-0-0', port: 9898, weight: 90 },
      { name: 'podinfo-6-0-1', port: 9898, weight: 10 },
    ]);
    expect(rules.map((r: any) => r.timeouts)).toEqual([{ request: '15s' }, { request: '15s' }]);
  });

  test('in-mesh callers get the split through the Service podinfo (GAMMA), the gateway for its host', () => {
    expect(find(objects, 'HTTPRoute', 'podinfo').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'podinfo', port: 9898 }]);
    const ingress = find(objects, 'HTTPRoute', 'podinfo-gateway').spec;
    expect(ingress.parentRefs).toEqual([{ name: 'edge', namespace: 'podinfo' }]);
    expect(ingress.hostnames).toEqual(['podinfo.example.com']);
  });

  test('each backend Service selects exactly its version\'s pods, the app Service both', () => {
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'podinfo-6-0-0').spec.selector)).toEqual(['podinfo-6-0-0']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'podinfo-6-0-1').spec.selector)).toEqual(['podinfo-6-0-1']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'podinfo').spec.selector)).toEqual(['podinfo-6-0-0', 'podinfo-6-0-1']);
  });
});
