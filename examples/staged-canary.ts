import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway } from '../src';

/** The weights of the release, one commit per step: change `STEP` and open a pull request. */
export const PLAN = { steps: [10, 25, 50, 100] };
const STEP = 1;

/**
 * A canary carried out by Git, with no controller in the cluster: the plan lists the weights,
 * and `step` selects the current one. Every step is a complete manifest set, and the diff from
 * one step to the next is two weights. `synthSteps` renders every step, for review in CI.
 */
export class StagedCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'staged-canary', step = STEP) {
    super(scope, id, { namespace: 'ratings' });
    const image = (version: string) => `docker.io/istio/examples-bookinfo-ratings-${version}:1.20.2`;
    this.app = new CanaryApp(this, 'Ratings', {
      port: 9080,
      stable: { image: image('v1'), version: 'v1' },
      canary: { image: image('v2'), version: 'v2' },
      plan: PLAN,
      step,
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['ratings.example.com'],
    });
  }
}
