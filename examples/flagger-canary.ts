import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway, ReleaseController } from '../src';
import { podinfo } from './podinfo';

/** The canary's weight at each step of Flagger's analysis. */
export const STEPS = [10, 25, 50];

/**
 * A canary that Flagger runs, as in its Istio tutorial: podinfo 6.0.1 over 6.0.0, at 10%, 25% and
 * 50% of the traffic, one step a minute while the success rate and latency hold, under a load
 * test; then Flagger promotes it. The autoscaler scales the Deployment Flagger watches, and
 * Flagger makes a copy of it for the primary.
 */
export class FlaggerCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'flagger-canary') {
    super(scope, id, { namespace: 'test' });
    this.app = new CanaryApp(this, 'Podinfo', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      autoscaling: { maxReplicas: 4, cpuUtilization: 80 },
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['app.example.com'],
      controller: ReleaseController.FLAGGER,
      plan: {
        steps: STEPS,
        analysis: { loadTestCommand: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/' },
      },
    });
  }
}
