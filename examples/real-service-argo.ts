import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, ReleaseController } from '../src';
import { cartCanary, cartPod, cartStable } from './cart';

/** The cart API released by Argo Rollouts: the Rollout's template is 1.5.0's pod, every setting included. */
export class RealServiceArgo extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'real-service-argo') {
    super(scope, id, { namespace: 'cart-argo' });
    this.app = new CanaryApp(this, 'Cart', {
      ...cartPod(this),
      stable: cartStable(),
      canary: cartCanary(this),
      controller: ReleaseController.ARGO_ROLLOUTS,
      plan: { steps: [10, 50] },
    });
  }
}
