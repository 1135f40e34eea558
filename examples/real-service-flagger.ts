import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, ReleaseController } from '../src';
import { cartCanary, cartPod, cartStable } from './cart';

/** The cart API released by Flagger: the Deployment it watches, and copies for its primary, is 1.5.0's pod. */
export class RealServiceFlagger extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'real-service-flagger') {
    super(scope, id, { namespace: 'cart-flagger' });
    this.app = new CanaryApp(this, 'Cart', {
      ...cartPod(this),
      stable: cartStable(),
      canary: cartCanary(this),
      controller: ReleaseController.FLAGGER,
      plan: {
        steps: [10, 25, 50],
        analysis: { loadTestCommand: 'hey -z 1m -q 10 -c 2 http://cart-canary.cart-flagger:8080/' },
      },
    });
  }
}
