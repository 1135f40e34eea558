import { RealServiceArgo } from '../../examples/real-service-argo';
import { find } from '../support/manifests';
import { expectCartPod } from './cart';
import { exampleObjects } from './example';

describe('example: the cart API with every pod setting, released by Argo Rollouts', () => {
  const objects = exampleObjects(RealServiceArgo, ['ConfigMap', 'ConfigMap', 'ServiceAccount', 'Rollout', 'Service', 'DestinationRule', 'VirtualService']);

  test('makes the Rollout\'s template the canary\'s pod, with every setting', () => {
    expectCartPod(find(objects, 'Rollout', 'cart').spec.template, '1.5.0', 'cart-config-1-5');
  });

  test('lets Argo move 10%, then 50% of the traffic', () => {
    expect(find(objects, 'Rollout', 'cart').spec.strategy.canary.steps.filter((s: { setWeight?: number }) => s.setWeight).map((s: { setWeight: number }) => s.setWeight))
      .toEqual([10, 50]);
  });
});
