import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway, RouteMatch, RouteTarget, StringMatch, TrafficApi } from '../src';
import { podinfo } from './podinfo';

/**
 * The podinfo canary at 10%, routed with the Kubernetes Gateway API instead of Istio's own: a
 * `gateway.networking.k8s.io` Gateway for podinfo.example.com, a Service per version, and
 * HTTPRoutes with weighted backends, one for the gateway and one for in-mesh callers (GAMMA).
 * Testers who send `x-canary: always` get 6.0.1 every time.
 */
export class GatewayApiCanary extends Chart {
  public readonly gateway: IstioGateway;
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'gateway-api-canary') {
    super(scope, id, { namespace: 'podinfo' });
    this.gateway = new IstioGateway(this, 'Gateway', {
      name: 'edge',
      hosts: ['podinfo.example.com'],
      trafficApi: TrafficApi.GATEWAY_API,
    });
    this.app = new CanaryApp(this, 'Podinfo', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      canaryWeight: 10,
      testerRoutes: [{ name: 'testers', when: [RouteMatch.header('x-canary', StringMatch.exact('always'))], to: RouteTarget.canary() }],
      routePolicy: { timeout: Duration.seconds(15) },
      gateway: this.gateway,
      trafficApi: TrafficApi.GATEWAY_API,
    });
  }
}
