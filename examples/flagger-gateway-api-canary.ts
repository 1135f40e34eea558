import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway, ReleaseController, TrafficApi } from '../src';
import { podinfo } from './podinfo';

/**
 * A canary that Flagger runs through the Kubernetes Gateway API (its `gatewayapi:v1` provider):
 * the Gateway for podinfo-gw.example.com is emitted here, and Flagger writes one HTTPRoute that
 * attaches to it and, for in-mesh callers, to the Service (GAMMA). podinfo 6.0.1 takes 10% and
 * then 40% of the traffic while Istio's success rate and latency hold, checked through
 * MetricTemplates, as the provider's own checks read the app's metrics rather than Istio's.
 */
export class FlaggerGatewayApiCanary extends Chart {
  public readonly gateway: IstioGateway;
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'flagger-gateway-api-canary') {
    super(scope, id, { namespace: 'podinfo-gw' });
    this.gateway = new IstioGateway(this, 'Gateway', { name: 'edge', hosts: ['podinfo-gw.example.com'], trafficApi: TrafficApi.GATEWAY_API });
    this.app = new CanaryApp(this, 'Podinfo', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      gateway: this.gateway,
      trafficApi: TrafficApi.GATEWAY_API,
      routePolicy: { timeout: Duration.seconds(15) },
      controller: ReleaseController.FLAGGER,
      plan: { steps: [10, 40], analysis: { loadTestCommand: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.podinfo-gw:9898/' } },
    });
  }
}
