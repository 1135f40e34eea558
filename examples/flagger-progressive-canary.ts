import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisMetric, CanaryApp, FlaggerAlertSeverity, IstioGateway, ReleaseController } from '../src';
import { podinfo, SERVER_ERRORS } from './podinfo';


/**
 * A canary that Flagger runs with the options its users reach for. podinfo 6.0.1 takes 5%, 20%
 * and 50% of the traffic, a step a minute, while Istio's success rate and latency and podinfo's
 * own count of 5xx answers hold, under a load test. A user the split sends to 6.0.1 stays on it
 * for half an hour (Flagger's session affinity). Flagger starts once four pods in five of the
 * primary are ready, and only moves traffic to a new version whose pods are all ready; after the
 * promotion it moves the traffic back to the primary a quarter at a time. The team hears of every
 * release on Slack, and on-call of every failure through PagerDuty.
 */
export class FlaggerProgressiveCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'flagger-progressive-canary') {
    super(scope, id, { namespace: 'orders' });
    this.app = new CanaryApp(this, 'Orders', {
      port: 9898,
      replicas: 5,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['orders.example.com'],
      stickySessions: { cookieName: 'orders-pin', maxAge: Duration.minutes(30) },
      controller: ReleaseController.FLAGGER,
      plan: {
        steps: [5, 20, 50],
        analysis: {
          loadTestCommand: 'hey -z 1m -q 10 -c 2 http://orders-canary.orders:9898/',
          metrics: [AnalysisMetric.prometheus('server-errors', SERVER_ERRORS, { max: 1 })],
        },
        flagger: {
          primaryReadyThreshold: 80,
          canaryReadyThreshold: 100,
          stepWeightPromotion: 25,
          alerts: [
            { name: 'team', provider: 'slack' },
            { name: 'on-call', provider: 'pagerduty', providerNamespace: 'flagger-system', severity: FlaggerAlertSeverity.ERROR },
          ],
        },
      },
    });
  }
}
