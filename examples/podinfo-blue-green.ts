import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway } from '../src';
import { podinfo } from './podinfo';

/**
 * Seed 002: podinfo `backend` in namespace `webapp` on port 9898, served at `backend.webapp`
 * through the shared gateway `istio-system/public-gateway`, which exists already. Green (6.0.1)
 * is deployed and reachable by subset, and blue still takes all traffic until `active` changes.
 */
export class PodinfoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'podinfo-blue-green') {
    super(scope, id, { namespace: 'webapp' });
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
