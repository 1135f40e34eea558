import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway, VersionProps } from '../src';

/**
 * Seed 002: podinfo `backend` in namespace `webapp` on port 9898, served at `backend.webapp`
 * through the shared gateway `istio-system/public-gateway`, which exists already. Green (6.0.1)
 * is deployed and reachable by subset, and blue still takes all traffic until `active` changes.
 */
export class PodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'podinfo-blue-green') {
    super(scope, id, { namespace: 'webapp' });
    const podinfo = (version: string): VersionProps => ({
      image: `ghcr.io/stefanprodan/podinfo:${version}`,
      version,
      readiness: kplus.Probe.fromHttpGet('/readyz'),
      liveness: kplus.Probe.fromHttpGet('/healthz'),
      // The image's USER is the name "app"; the kubelet can only enforce runAsNonRoot on a
      // numeric user, so give the uid that name has in the image.
      securityContext: { user: 100 },
    });
    this.app = new BlueGreenApp(this, 'Backend', {
      port: 9898,
      blue: podinfo('6.0.0'),
      green: podinfo('6.0.1'),
      active: Color.BLUE,
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['backend.webapp'],
    });
  }
}
