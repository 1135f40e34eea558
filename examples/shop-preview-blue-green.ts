import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, GatewayTlsMode, IstioGateway, LoadBalancer, RouteMatch, RouteTarget } from '../src';

/**
 * A shop front end on blue/green behind HTTPS. The gateway serves shop.example.com and its preview
 * host with a certificate, redirects their HTTP to HTTPS, and serves partners on mutual TLS.
 * Before the switch, the idle colour (green, 2.4.0) is reachable at preview.shop.example.com,
 * with the header `x-preview: true`, and in the mesh as the Service `storefront-preview`; shoppers
 * who joined the beta (cookie `storefront-beta=opt-in`) get it too. The storefront keeps carts in
 * memory, so each shopper's requests go to one pod of a colour, by a hash of their session cookie.
 */
export class ShopPreviewBlueGreen extends Chart {
  public readonly gateway: IstioGateway;
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'shop-preview-blue-green') {
    super(scope, id, { namespace: 'shop' });
    this.gateway = new IstioGateway(this, 'Gateway', {
      name: 'shop-gateway',
      hosts: ['shop.example.com', 'preview.shop.example.com'],
      tls: { credentialName: 'shop-example-com' },
      additionalServers: [{ hosts: ['partners.shop.example.com'], tls: { credentialName: 'partners-mtls', mode: GatewayTlsMode.MUTUAL } }],
    });
    const image = (tag: string) => `registry.example.com/shop/storefront:${tag}`;
    this.app = new BlueGreenApp(this, 'Storefront', {
      port: 80,
      containerPort: 8080,
      blue: { image: image('2.3.1'), version: '2.3.1' },
      green: { image: image('2.4.0'), version: '2.4.0' },
      active: Color.BLUE,
      gateway: this.gateway,
      hosts: ['shop.example.com'],
      preview: { header: 'x-preview', host: 'preview.shop.example.com' },
      testerRoutes: [{ name: 'beta', when: [RouteMatch.cookie('storefront-beta', 'opt-in')], to: RouteTarget.idle() }],
      trafficPolicy: { loadBalancer: LoadBalancer.hashCookie('shop-session', Duration.hours(2)) },
    });
  }
}
