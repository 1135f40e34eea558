// The README's "use it from an infra repo" chart, with the public API exactly as the README's API
// section (and the core issue's contract) writes it.
import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, CanaryApp, Color, IstioGateway } from 'cdk8s-istio-release';

export class Shop extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { namespace: 'shop' }) {
    super(scope, id, props);
    const gw = new IstioGateway(this, 'Gateway', { hosts: ['shop.example.com'] });
    const shared = IstioGateway.fromName('istio-system/public-gateway');

    new BlueGreenApp(this, 'Web', {
      name: 'web',
      namespace: 'shop',
      port: 80, containerPort: 8080,
      replicas: 2,
      blue: { image: 'nginx:1.10', version: '1.10' },
      green: { image: 'nginx:1.11', version: '1.11' },
      active: Color.GREEN,
      gateway: gw,
      hosts: ['shop.example.com'],
    });

    new CanaryApp(this, 'Reviews', {
      name: 'reviews',
      stable: { image: 'reviews:v1', version: 'v1' },
      canary: { image: 'reviews:v2', version: 'v2' },
      canaryWeight: 10,
      gateway: shared,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new Shop(app, 'shop');
  app.synth();
}
