import { PodinfoAutoscaledCanary } from '../../examples/podinfo-autoscaled-canary';
import { find, weights } from '../support/manifests';
import { exampleObjects } from './example';

const VERSION = ['Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'];

describe('example: podinfo canary with disruption budgets and autoscaling', () => {
  const objects = exampleObjects(PodinfoAutoscaledCanary, [...VERSION, ...VERSION, 'Service', 'DestinationRule', 'VirtualService']);

  test('sends 10% to 6.0.1 through the shared gateway', () => {
    const vs = find(objects, 'VirtualService', 'podinfo');
    expect(weights(vs)).toEqual({ '6-0-0': 90, '6-0-1': 10 });
    expect(vs.spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['autoscaled.example.com', 'podinfo.autoscaled.svc.cluster.local']);
  });

  test('gives each version a budget of 1 pod and an autoscaler from 2 to 4 pods on 80% CPU', () => {
    for (const name of ['podinfo-6-0-0', 'podinfo-6-0-1']) {
      expect(find(objects, 'PodDisruptionBudget', name).spec.minAvailable).toBe(1);
      expect(find(objects, 'HorizontalPodAutoscaler', name).spec).toMatchObject({
        minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name },
      });
      expect(find(objects, 'Deployment', name).spec.replicas).toBeUndefined();
    }
  });
});
