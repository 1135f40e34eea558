import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp } from '../src';
import { seedBackend, seedLoadTest } from './podinfo';

const NAMESPACE = 'webapp-flagger';

/** Seed 002's load test, which Flagger's load tester runs against the new version during the analysis. */
export const LOAD_TEST = seedLoadTest(NAMESPACE);

/**
 * Seed 002, Kurator's rollout plugin driving Flagger: podinfo `backend` on port 9898, served through
 * the shared `istio-system/public-gateway`. The seed's namespace `webapp` (and host `backend.webapp`)
 * is the static example's of the same seed, so this one takes `webapp-flagger`, and the files of
 * dist/ can be applied to one cluster together. Flagger runs the blue/green of `seedBackend` by
 * itself, as the seed's Kurator does; `examples/kurator-fleet.ts` has Kurator make the Canary.
 *
 * `active` names the version to release: switching it to green made green's template the
 * Deployment's, which is the change that starts Flagger's analysis.
 */
export class FlaggerPodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'flagger-podinfo-blue-green') {
    super(scope, id, { namespace: NAMESPACE });
    this.app = new BlueGreenApp(this, 'Backend', seedBackend(NAMESPACE));
  }
}
