import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp } from '../src';
import { cartCanary, cartPod, cartStable } from './cart';

/** The cart API released by Git: 1.5.0 takes 10% of the traffic, in the mesh, with all its pod settings. */
export class RealService extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'real-service') {
    super(scope, id, { namespace: 'cart' });
    this.app = new CanaryApp(this, 'Cart', {
      ...cartPod(this),
      stable: cartStable(),
      canary: cartCanary(this),
      canaryWeight: 10,
    });
  }
}
