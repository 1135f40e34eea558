import { RealServiceFlagger } from '../../examples/real-service-flagger';
import { find } from '../support/manifests';
import { expectCartPod } from './cart';
import { exampleObjects } from './example';

describe('example: the cart API with every pod setting, released by Flagger', () => {
  const objects = exampleObjects(RealServiceFlagger, ['ConfigMap', 'ConfigMap', 'ServiceAccount', 'Deployment', 'Canary']);

  test('makes the Deployment Flagger watches the canary\'s pod, with every setting', () => {
    const target = find(objects, 'Deployment', 'cart');
    expectCartPod(target.spec.template, '1.5.0', 'cart-config-1-5');
    expect(find(objects, 'Canary', 'cart').spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart' });
  });
});
