import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, Fleet, FleetEngine, IstioGateway, ReleaseController } from '../src';
import { podinfo } from './podinfo';

/**
 * A canary that Argo Rollouts runs in every cluster of a fleet: podinfo `payments`, 20% then 50%,
 * each held for 5 minutes, through the shared ingress gateway.
 */
export class ArgoCdFleetPayments extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'argo-cd-fleet-payments') {
    super(scope, id, { namespace: 'fleet-payments' });
    this.app = new CanaryApp(this, 'Payments', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['fleet-payments.example.com'],
      controller: ReleaseController.ARGO_ROLLOUTS,
      plan: { steps: [20, 50], pause: Duration.minutes(5) },
    });
  }
}

/**
 * The same release in three waves, by Argo CD: the cluster `canary-1` first, then the clusters
 * labelled `region: eu`, two at a time, then those labelled `region: us`. Each wave starts once
 * every Application of the one before is Healthy, which a Rollout is only when its canary is done.
 * Git holds the manifests in `dist/` of the infra repository, and each Application applies the
 * app's chart file from it.
 */
export class ArgoCdFleet extends Chart {
  public readonly fleet: Fleet;

  constructor(scope: Construct, release: ArgoCdFleetPayments, id = 'argo-cd-fleet') {
    super(scope, id, { namespace: 'argocd' });
    this.fleet = new Fleet(this, 'Payments', {
      engine: FleetEngine.ARGO_CD,
      repoUrl: 'https://github.com/acme/infra',
      manifests: [{ path: 'dist', app: release.app }],
      waves: [
        { name: 'canary', clusterNames: ['canary-1'] },
        { name: 'eu', clusterLabels: { region: 'eu' }, maxUpdate: 2 },
        { name: 'us', clusterLabels: { region: 'us' } },
      ],
    });
  }
}
