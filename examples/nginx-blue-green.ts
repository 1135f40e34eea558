import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway } from '../src';
import { nginxRelease } from './nginx';

/**
 * Seed 000: nginx 1.10 (blue) to 1.11 (green), two replicas each, service port 8080 to container
 * port 80, through `app-gateway`. The seed's Service selected `run: nginx`, which none of its pods
 * carried; here the Service selects `app: nginx`, which every pod of both colours carries.
 * After the cutover to green, blue is scaled to 0 until the next release scales it up again.
 */
export class NginxBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'nginx-blue-green') {
    super(scope, id, { namespace: 'default' });
    // The seed's gateway serves "*"; the VirtualService names its host, because it is also bound
    // to mesh, where Istio rejects "*".
    const gateway = new IstioGateway(this, 'Gateway', { name: 'app-gateway', hosts: ['*'] });
    this.app = new BlueGreenApp(this, 'Nginx', {
      ...nginxRelease(),
      scaledDown: Color.BLUE,
      gateway,
      hosts: ['nginx.example.com'],
    });
  }
}
