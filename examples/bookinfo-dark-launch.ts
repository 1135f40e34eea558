import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, ClientTlsMode, LoadBalancer, RouteMatch, RouteTarget, SimpleLoadBalancer, StringMatch } from '../src';

/**
 * A dark launch of Bookinfo's reviews v3, in the mesh. v3 takes no user traffic yet. The tester
 * `jason` (Bookinfo's own example user) and the QA runner reach it, and 20% of all requests are
 * copied to it as shadow traffic. Every route has a timeout and retries. The testers' routes to
 * v3 get a delay and some 503s injected, to test how productpage copes with a slow or failing
 * reviews. The host has circuit breaking and Istio's mutual TLS towards the pods, which accept
 * nothing else; v3's subset is balanced round robin, as in Istio's DestinationRule docs.
 */
export class BookinfoDarkLaunch extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'bookinfo-dark-launch') {
    super(scope, id, { namespace: 'bookinfo' });
    const image = (version: string) => `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2`;
    this.app = new CanaryApp(this, 'Reviews', {
      port: 9080,
      stable: { image: image('v2'), version: 'v2' },
      canary: {
        image: image('v3'),
        version: 'v3',
        routePolicy: { fault: { delay: Duration.seconds(2), delayPercentage: 10, abortHttpStatus: 503, abortPercentage: 5 } },
        trafficPolicy: { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) },
      },
      canaryWeight: 0,
      testerRoutes: [
        { name: 'jason', when: [RouteMatch.header('end-user', StringMatch.exact('jason'))], to: RouteTarget.canary() },
        { name: 'qa', when: [RouteMatch.sourceLabels({ app: 'qa-runner' })], to: RouteTarget.canary() },
      ],
      mirror: { to: RouteTarget.canary(), percentage: 20 },
      routePolicy: {
        timeout: Duration.seconds(10),
        retries: { attempts: 3, perTryTimeout: Duration.seconds(3), retryOn: ['5xx', 'reset', 'connect-failure'] },
      },
      trafficPolicy: {
        connectionPool: { maxConnections: 100, http1MaxPendingRequests: 50 },
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
        tlsMode: ClientTlsMode.ISTIO_MUTUAL,
      },
      mtls: true,
    });
  }
}
