import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway } from '../src';

/**
 * A checkout canary at 20% whose users stay on the version they first got: the weighted route
 * sets the cookie `checkout-version`, and routes ahead of it send requests with that cookie back
 * to the same version, for up to 8 hours.
 */
export class CheckoutStickyCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'checkout-sticky-canary') {
    super(scope, id, { namespace: 'checkout' });
    const image = (tag: string) => `registry.example.com/shop/checkout:${tag}`;
    this.app = new CanaryApp(this, 'Checkout', {
      containerPort: 8080,
      stable: { image: image('5.1.0'), version: '5.1.0' },
      canary: { image: image('5.2.0'), version: '5.2.0' },
      canaryWeight: 20,
      stickySessions: { maxAge: Duration.hours(8) },
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['checkout.example.com'],
    });
  }
}
