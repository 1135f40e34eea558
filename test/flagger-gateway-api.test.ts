import { Chart, Duration } from 'cdk8s';
import {
  AnalysisMetric, BlueGreenApp, CanaryApp, CanaryAppProps, Color, IstioGateway, LoadBalancer, ReleaseController, RouteMatch, RouteTarget, StringMatch, TrafficApi,
} from '../src';
import { expectSound, find, newChart } from './support/manifests';

const GATEWAY_API = TrafficApi.GATEWAY_API;
const LOAD_TEST = 'hey -z 1m -q 10 -c 2 http://reviews-canary.shop:9080/';

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', {
    port: 9080, stable: { image: 'reviews:v1', version: 'v1' }, canary: { image: 'reviews:v2', version: 'v2' },
    controller: ReleaseController.FLAGGER, trafficApi: GATEWAY_API,
    gateway: IstioGateway.fromName('istio-ingress/public', GATEWAY_API), hosts: ['reviews.example.com'],
    plan: { steps: [10, 50], analysis: { loadTestCommand: LOAD_TEST } }, ...props,
  });
}

describe('Flagger with the Gateway API provider', () => {
  const chart = newChart();
  reviews(chart, { routePolicy: { timeout: Duration.seconds(5) }, plan: {
    steps: [10, 50], analysis: { loadTestCommand: LOAD_TEST, metrics: [AnalysisMetric.prometheus('server-errors', 'sum(x{app="{{app}}"})', { max: 1 })] },
  } });
  const objects = expectSound(chart);
  const canary = find(objects, 'Canary', 'reviews').spec;

  test('asks Flagger for its gatewayapi:v1 provider, attached to the gateway and, for in-mesh callers, to the Service', () => {
    expect(canary.provider).toBe('gatewayapi:v1');
    expect(canary.service).toEqual({
      port: 9080, targetPort: 9080, portName: 'http', timeout: '5s', hosts: ['reviews.example.com'],
      gatewayRefs: [{ name: 'public', namespace: 'istio-ingress' }, { group: '', kind: 'Service', name: 'reviews', port: 9080 }],
    });
  });

  test('checks Istio\'s metrics through templates named apart from the built-ins, which read the app\'s own metrics', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/reviews', 'MetricTemplate/reviews-istio-success-rate', 'MetricTemplate/reviews-istio-request-duration',
      'MetricTemplate/reviews-server-errors', 'Canary/reviews',
    ]);
    expect(find(objects, 'MetricTemplate', 'reviews-istio-success-rate').spec.query).toBe(
      'sum(rate(istio_requests_total{reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"reviews", '
      + 'response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{reporter="destination", destination_workload_namespace="{{ namespace }}", '
      + 'destination_workload=~"reviews"}[{{ interval }}])) * 100');
    expect(canary.analysis.metrics).toEqual([
      { name: 'istio-success-rate', interval: '1m', templateRef: { name: 'reviews-istio-success-rate' }, thresholdRange: { min: 99 } },
      { name: 'istio-request-duration', interval: '1m', templateRef: { name: 'reviews-istio-request-duration' }, thresholdRange: { max: 500 } },
      { name: 'server-errors', interval: '1m', templateRef: { name: 'reviews-server-errors' }, thresholdRange: { max: 1 } },
    ]);
  });

  test('routes in the mesh alone without a gateway', () => {
    const other = newChart();
    reviews(other, { gateway: undefined, hosts: undefined });
    expect(find(expectSound(other), 'Canary', 'reviews').spec.service.gatewayRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
  });

  test('mirrors every request of a blue/green', () => {
    const other = newChart();
    new BlueGreenApp(other, 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, controller: ReleaseController.FLAGGER,
      trafficApi: GATEWAY_API, plan: { autoPromotion: true, analysis: {} }, mirror: { to: RouteTarget.version('2') },
    });
    expect(find(expectSound(other), 'Canary', 'web').spec.analysis).toMatchObject({ mirror: true, mirrorWeight: 100 });
  });
});

describe('Flagger with the Gateway API provider: what its HTTPRoute can\'t carry', () => {
  test.each([
    ['retries are asked for', { routePolicy: { retries: { attempts: 3 } } },
      'routePolicy.retries has no Gateway API equivalent in the standard channel (HTTPRoute `retry` is experimental), got {"attempts":3}; '
      + 'leave retries out, or use TrafficApi.ISTIO'],
    ['a traffic policy is given', { trafficPolicy: { loadBalancer: LoadBalancer.hashHeader('x-user') } },
      'trafficPolicy has no Gateway API equivalent in the standard channel: it is a DestinationRule policy'],
    ['a weighted canary mirrors', { mirror: { to: RouteTarget.canary() } },
      'mirror can\'t be carried: Flagger\'s Gateway API router mirrors every request of a blue/green only, got {"percentage":100}; '
      + 'leave mirror out, or mirror a blue/green at 100%'],
    ['a tester route matches source labels', { plan: undefined, testerRoutes: [{ name: 'qa', when: [RouteMatch.sourceLabels({ app: 'qa' })], to: RouteTarget.canary() }] },
      'testerRoutes route "qa" matches sourceLabels, which Gateway API cannot express'],
    ['the gateway is imported as Istio\'s', { gateway: IstioGateway.fromName('istio-system/public') },
      'gateway is imported as an Istio Gateway, and an HTTPRoute can only attach to a gateway.networking.k8s.io Gateway'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Reviews: ${message}`);
  });

  test('fails when a blue/green mirrors part of the requests', () => {
    expect(() => new BlueGreenApp(newChart(), 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, controller: ReleaseController.FLAGGER,
      trafficApi: GATEWAY_API, plan: { autoPromotion: true, analysis: {} }, mirror: { to: RouteTarget.version('2'), percentage: 50 },
    })).toThrow('test/Web: mirror can\'t be carried: Flagger\'s Gateway API router mirrors every request of a blue/green only, got {"percentage":50}');
  });

  test('tester routes on headers make A/B testing with the same matches', () => {
    const chart = newChart();
    reviews(chart, { plan: undefined, testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() }] });
    expect(find(expectSound(chart), 'Canary', 'reviews').spec.analysis.match).toEqual([{ headers: { 'x-qa': { exact: '1' } } }]);
  });

  test('Argo Rollouts still refuses the Gateway API', () => {
    expect(() => reviews(newChart(), { controller: ReleaseController.ARGO_ROLLOUTS })).toThrow(
      'test/Reviews: trafficApi must be TrafficApi.ISTIO with controller argo-rollouts, which moves traffic in Istio VirtualServices, got "gateway-api"; leave trafficApi out');
  });
});

