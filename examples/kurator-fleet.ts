import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, Fleet, FleetEngine, IstioGateway, ReleaseController } from '../src';
import { podinfo } from './podinfo';

/** The namespace of the app that Kurator releases: its own, so that dist/ can be applied to one cluster whole. */
const NAMESPACE = 'webapp-kurator';

/**
 * Seed 002 as its document has it: Kurator's rollout plugin releases podinfo `backend` across the
 * fleet `quickstart`. This chart is what the Git folder holds: the Deployment, and the Service
 * that Kurator reads; Kurator makes the Canary in each cluster from the Application's rollout
 * policy, which is this app's plan (see {@link KuratorFleet}). The plan is the seed's: three
 * 90-second rounds under its load test, request success rate at least 99% and P99 duration at
 * most 500 ms, a rollback after 2 failed checks, 10 minutes for the new pods.
 */
export class KuratorPodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'kurator-podinfo-blue-green') {
    super(scope, id, { namespace: NAMESPACE });
    this.app = new BlueGreenApp(this, 'Backend', {
      port: 9898,
      blue: podinfo('6.0.0'),
      green: podinfo('6.0.1'),
      active: Color.GREEN,
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: [`backend.${NAMESPACE}`],
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
          loadTestCommand: `hey -z 1m -q 10 -c 2 http://backend-canary.${NAMESPACE}:9898/`,
          loadTestTimeout: Duration.seconds(60),
        },
        flagger: { progressDeadline: Duration.minutes(10) },
      },
    });
  }
}

/**
 * The seed's Application `blue-green-demo`, which the fleet manager's cluster holds: podinfo's
 * repository on `master`, fetched every 3 minutes; the release's folder, applied on change only
 * (Flagger scales the Deployment, which a periodic apply would undo), with the app's plan as its
 * rollout policy; and podinfo's kustomize folder, into `default`, every 5 minutes.
 */
export class KuratorFleet extends Chart {
  public readonly fleet: Fleet;

  constructor(scope: Construct, release: KuratorPodinfoBlueGreen, id = 'kurator-fleet') {
    super(scope, id, { namespace: 'default' });
    this.fleet = new Fleet(this, 'BlueGreenDemo', {
      engine: FleetEngine.KURATOR,
      name: 'blue-green-demo',
      kuratorFleet: 'quickstart',
      repoUrl: 'https://github.com/stefanprodan/podinfo',
      branch: 'master',
      manifests: [
        { path: './deploy/webapp', app: release.app },
        { path: './kustomize', targetNamespace: 'default', syncInterval: Duration.minutes(5) },
      ],
    });
  }
}
