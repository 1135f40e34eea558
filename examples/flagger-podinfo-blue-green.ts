import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway, ReleaseController } from '../src';
import { podinfo } from './podinfo';

/** Seed 002's load test, which Flagger's load tester runs against the new version during the analysis. */
export const LOAD_TEST = 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp-flagger:9898/';

/**
 * Seed 002, Kurator's rollout plugin driving Flagger: podinfo `backend` on port 9898, served through
 * the shared `istio-system/public-gateway`. The seed's namespace `webapp` (and host `backend.webapp`)
 * is the static example's of the same seed, so this one takes `webapp-flagger`, and the files of
 * dist/ can be applied to one cluster together. Flagger runs the
 * blue/green: it tests the new version for three 90-second rounds under the seed's load test
 * (request success rate at least 99%, P99 duration at most 500 ms, rollback after 2 failed
 * checks), then switches all traffic to it, by itself as the seed's Kurator does. The new
 * version's pods get the seed's 10 minutes to become ready, and the load tester 60 s to answer.
 *
 * `active` names the version to release: switching it to green made green's template the
 * Deployment's, which is the change that starts Flagger's analysis.
 */
export class FlaggerPodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'flagger-podinfo-blue-green') {
    super(scope, id, { namespace: 'webapp-flagger' });
    this.app = new BlueGreenApp(this, 'Backend', {
      port: 9898,
      blue: podinfo('6.0.0'),
      green: podinfo('6.0.1'),
      active: Color.GREEN,
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['backend.webapp-flagger'],
      // The seed's trafficRouting.timeoutSeconds.
      routePolicy: { timeout: Duration.seconds(60) },
      controller: ReleaseController.FLAGGER,
      plan: {
        iterations: 3,
        autoPromotion: true,
        analysis: {
          interval: Duration.seconds(90),
          minSuccessRate: 99,
          maxRequestDuration: Duration.millis(500),
          failureLimit: 2,
          loadTestCommand: LOAD_TEST,
          // The seed's webhooks.timeoutSeconds.
          loadTestTimeout: Duration.seconds(60),
        },
        // The seed's rolloutTimeoutSeconds.
        flagger: { progressDeadline: Duration.minutes(10) },
      },
    });
  }
}
