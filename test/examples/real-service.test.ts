import { RealService } from '../../examples/real-service';
import { find } from '../support/manifests';
import { expectCartPod } from './cart';
import { exampleObjects, RELEASE } from './example';

describe('example: the cart API with every pod setting, released by Git', () => {
  const objects = exampleObjects(RealService, ['ConfigMap', 'ConfigMap', 'ServiceAccount', ...RELEASE]);

  test('runs the pods as the ServiceAccount cart, which comes before them', () => {
    expect(find(objects, 'ServiceAccount', 'cart')).toMatchObject({ metadata: { namespace: 'cart', labels: { app: 'cart' } }, automountServiceAccountToken: false });
  });

  test('gives both versions every pod setting, and the canary its own settings file and annotation', () => {
    const stable = find(objects, 'Deployment', 'cart-1-4-0').spec.template;
    const canary = find(objects, 'Deployment', 'cart-1-5-0').spec.template;
    expectCartPod(stable, '1.4.0', 'cart-config');
    expectCartPod(canary, '1.5.0', 'cart-config-1-5');
    expect(stable.metadata.annotations['cart.example.com/settings']).toBeUndefined();
    expect(canary.metadata.annotations['cart.example.com/settings']).toBe('cart-config-1-5');
  });

  test('sends the canary 10% of the traffic', () => {
    const route = find(objects, 'VirtualService', 'cart').spec.http[0].route;
    expect(route.map((r: { destination: { subset: string }; weight: number }) => [r.destination.subset, r.weight])).toEqual([['1-4-0', 90], ['1-5-0', 10]]);
  });
});
