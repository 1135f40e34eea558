import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Fleet, FleetEngine, FleetProps } from '../src';
import { seedBackend } from './podinfo';

/** The namespace of the app that Kurator releases: its own, so that dist/ can be applied to one cluster whole. */
const NAMESPACE = 'webapp-kurator';

/**
 * Seed 002 as its document has it: Kurator's rollout plugin releases podinfo `backend` across the
 * fleet `quickstart`. This chart is what the Git folder holds: the Deployment, and the Service
 * that Kurator reads; Kurator makes the Canary in each cluster from the Application's rollout
 * policy, which is this app's plan (see {@link KuratorFleet}): the seed's, `seedBackend`.
 */
export class KuratorPodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'kurator-podinfo-blue-green') {
    super(scope, id, { namespace: NAMESPACE });
    this.app = new BlueGreenApp(this, 'Backend', seedBackend(NAMESPACE));
  }
}

/**
 * The seed's Application `blue-green-demo`, which the fleet manager's cluster holds: podinfo's
 * repository on `master`, fetched every 3 minutes; the release's folder, applied on change only
 * (Flagger scales the Deployment, which a periodic apply would undo), with the app's plan as its
 * rollout policy; and podinfo's kustomize folder, into `default`, every 5 minutes.
 */
export function seedFleetProps(app: BlueGreenApp): FleetProps {
  return {
    engine: FleetEngine.KURATOR,
    name: 'blue-green-demo',
    kuratorFleet: 'quickstart',
    repoUrl: 'https://github.com/stefanprodan/podinfo',
    branch: 'master',
    manifests: [
      { path: './deploy/webapp', app },
      { path: './kustomize', targetNamespace: 'default', syncInterval: Duration.minutes(5) },
    ],
  };
}

/** Seed 002's Application over {@link KuratorPodinfoBlueGreen}. */
export class KuratorFleet extends Chart {
  public readonly fleet: Fleet;

  constructor(scope: Construct, release: KuratorPodinfoBlueGreen, id = 'kurator-fleet') {
    super(scope, id, { namespace: 'default' });
    this.fleet = new Fleet(this, 'BlueGreenDemo', seedFleetProps(release.app));
  }
}
