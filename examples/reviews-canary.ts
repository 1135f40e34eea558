import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp } from '../src';

/**
 * Seed 004: Bookinfo's reviews in namespace `prod`, v1 at 75% and v2 at 25%, inside the mesh
 * only: no gateway, so the VirtualService applies to sidecars and names no gateways.
 */
export class ReviewsCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'reviews-canary') {
    super(scope, id, { namespace: 'prod' });
    const image = (version: string) => `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2`;
    this.app = new CanaryApp(this, 'Reviews', {
      port: 9080,
      stable: { image: image('v1'), version: 'v1' },
      canary: { image: image('v2'), version: 'v2' },
      canaryWeight: 25,
    });
  }
}
