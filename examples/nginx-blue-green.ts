import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway } from '../src';

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
    // The nginx image runs as root and writes to /var/cache/nginx, so it cannot keep
    // cdk8s-plus's non-root, read-only defaults.
    const securityContext = { ensureNonRoot: false, readOnlyRootFilesystem: false };
    this.app = new BlueGreenApp(this, 'Nginx', {
      port: 8080,
      containerPort: 80,
      replicas: 2,
      blue: { image: 'nginx:1.10', version: '1.10', securityContext },
      green: { image: 'nginx:1.11', version: '1.11', securityContext },
      active: Color.GREEN,
      scaledDown: Color.BLUE,
      gateway,
      hosts: ['nginx.example.com'],
    });
  }
}
