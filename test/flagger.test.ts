import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AnalysisOptions, BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, ClientTlsMode, Color, CutoverMode, DisruptionBudget, FlaggerWebhook,
  FlaggerWebhookType, IstioApiVersion, IstioGateway, LoadBalancer, Protocol, ReleaseController, RouteCheck, RouteMatch, RouteTarget, SimpleLoadBalancer,
  StringMatch, TrafficApi, TrafficPolicy,
} from '../src';
import { resolveBlueGreen } from '../src/blue-green-app';
import { resolveCanary } from '../src/canary-app';
import { find, kinds, Manifest, newChart, synth, weights } from './support/manifests';
import { expectRendersWhatResolves, istioObjectsUnder, mostly, none, unbuilt } from './support/render-property';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const blue = { image: 'nginx:1.10', version: '1.10' };
const green = { image: 'nginx:1.11', version: '1.11' };
const gateway = IstioGateway.fromName('istio-system/public-gateway');
const LOAD_TEST = 'hey -z 1m -q 10 -c 2 http://reviews-canary.shop:9080/';
const TESTER = 'http://flagger-loadtester.shop/';
/** The load test as the Canary writes it, with the default timeout. */
const LOAD_TEST_HOOK = { name: 'load-test', type: 'rollout', url: TESTER, timeout: '5s', metadata: { type: 'cmd', cmd: LOAD_TEST } };
const METRICS_1M = [
  { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
  { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
];

const reviewsProps = (props: Partial<CanaryAppProps> = {}): CanaryAppProps => ({
  port: 9080,
  stable: v1,
  canary: v2,
  controller: ReleaseController.FLAGGER,
  plan: { steps: [10, 25, 50], analysis: { loadTestCommand: LOAD_TEST } },
  ...props,
});

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', reviewsProps(props));
}

/** A canary with these webhooks of its own, and a load test. */
function hooks(chart: Chart, webhooks: FlaggerWebhook[]): CanaryApp {
  return reviews(chart, { plan: { steps: [10, 25, 50], analysis: { loadTestCommand: LOAD_TEST }, flagger: { webhooks } } });
}

const webProps = (props: Partial<BlueGreenAppProps> = {}): BlueGreenAppProps => ({
  blue,
  green,
  active: Color.GREEN,
  controller: ReleaseController.FLAGGER,
  plan: { autoPromotion: true, analysis: { loadTestCommand: 'hey -z 1m http://web-canary.shop/' } },
  ...props,
});

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', webProps(props));
}

/** A chart in `namespace`, or in none for null. */
function chartIn(namespace: string | null): Chart {
  return newChart(namespace === null ? {} : { namespace });
}

const canaryOf = (objects: Manifest[]): Manifest => objects.find(o => o.kind === 'Canary');

describe('Flagger canary', () => {
  const chart = newChart();
  const app = reviews(chart, { gateway, hosts: ['reviews.example.com'] });
  const objects: Manifest[] = chart.toJson();
  const canary = find(objects, 'Canary', 'reviews');

  test('emits the Deployment Flagger watches, then the Canary, and no Service or Istio object; all valid', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'Canary']);
    expect(canary.apiVersion).toBe('flagger.app/v1beta1');
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('the Deployment is the canary version under the app\'s name, selected by the app label alone', () => {
    const deployment = find(objects, 'Deployment', 'reviews');
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ name: 'reviews', image: 'reviews:v2', ports: [{ containerPort: 9080 }] });
    expect(deployment.spec.replicas).toBe(2);
  });

  test('targets the Deployment through Flagger\'s istio provider and the default Prometheus', () => {
    expect(canary.metadata).toEqual({ name: 'reviews', namespace: 'shop', labels: { app: 'reviews' } });
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews' });
    expect(canary.spec.provider).toBe('istio');
    expect(canary.spec.metricsServer).toBe('http://prometheus.istio-system:9090');
    expect(canary.spec.autoscalerRef).toBeUndefined();
    expect(canary.spec.skipAnalysis).toBeUndefined();
    expect(canary.spec.progressDeadlineSeconds).toBeUndefined();
  });

  test('serves the port through the gateway and the mesh, for the app\'s hosts', () => {
    expect(canary.spec.service).toEqual({
      port: 9080, targetPort: 9080, portName: 'http', gateways: ['istio-system/public-gateway', 'mesh'], hosts: ['reviews.example.com'],
    });
  });

  test('walks plan.steps as stepWeights, one step a minute, checking the metrics under the load test', () => {
    expect(canary.spec.analysis).toEqual({
      interval: '1m',
      threshold: 2,
      stepWeights: [10, 25, 50],
      metrics: [
        { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
      ],
      webhooks: [{ name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.shop/', timeout: '5s', metadata: { type: 'cmd', cmd: LOAD_TEST } }],
    });
  });

  test('exposes the one Deployment and the Canary; Flagger owns the Services and routes', () => {
    expect(app.deployments.map(d => d.name)).toEqual(['reviews']);
    expect(app.flaggerCanary?.kind).toBe('Canary');
    expect([app.service, app.destinationRule, app.virtualService]).toEqual([undefined, undefined, undefined]);
    expect(() => app.stableDeployment).toThrow('test/Reviews: stableDeployment does not exist with controller flagger, which runs one workload');
  });

  test('the route check finds nothing', () => {
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });
});

describe('Flagger analysis settings', () => {
  test.each([
    ['90 seconds', Duration.seconds(90), '90s', '90s'],
    ['2 minutes', Duration.minutes(2), '2m', '2m'],
    ['1 minute', Duration.minutes(1), '1m', '1m'],
    ['59 seconds', Duration.seconds(59), '59s', '1m'],
    ['30 seconds', Duration.seconds(30), '30s', '1m'],
    ['10 seconds', Duration.seconds(10), '10s', '1m'],
  ])('writes an interval of %s in Flagger\'s form, and metric windows of at least a minute, which rate() needs', (_, interval, every, window) => {
    const objs = synth(c => reviews(c, { plan: { steps: [50], analysis: { interval } } }));
    const analysis = canaryOf(objs).spec.analysis;
    expect([analysis.interval, ...analysis.metrics.map((m: Manifest) => m.interval)]).toEqual([every, window, window]);
    expectValidManifests(objs);
  });

  test('sets the thresholds, failure limit and Prometheus of the plan\'s analysis', () => {
    const spec = canaryOf(synth(c => reviews(c, {
      plan: {
        steps: [20, 40],
        analysis: { minSuccessRate: 95.5, maxRequestDuration: Duration.seconds(1), failureLimit: 5, prometheusAddress: 'http://prom.monitoring:9090' },
      },
    }))).spec;
    expect(spec.metricsServer).toBe('http://prom.monitoring:9090');
    expect(spec.analysis).toEqual({
      interval: '1m',
      threshold: 5,
      stepWeights: [20, 40],
      metrics: [
        { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 95.5 } },
        { name: 'request-duration', interval: '1m', thresholdRange: { max: 1000 } },
      ],
    });
  });

  test('without an analysis, a step lasts the plan\'s pause, and Flagger checks pod health only', () => {
    const objs = synth(c => reviews(c, { plan: { steps: [10, 100], pause: Duration.minutes(5) } }));
    expect(canaryOf(objs).spec.analysis).toEqual({ interval: '5m', threshold: 1, stepWeights: [10, 100] });
    expect(canaryOf(objs).spec.metricsServer).toBeUndefined();
    expectValidManifests(objs);
  });

  test('a pause equal to the analysis interval is the same setting', () => {
    const analysis = canaryOf(synth(c => reviews(c, { plan: { steps: [10], pause: Duration.seconds(90), analysis: { interval: Duration.seconds(90) } } }))).spec.analysis;
    expect(analysis.interval).toBe('90s');
  });

  test('without a plan, Flagger promotes at once, skipping the analysis, whose fields the CRD requires anyway', () => {
    const objs = synth(c => reviews(c, { plan: undefined }));
    expect(canaryOf(objs).spec.skipAnalysis).toBe(true);
    expect(canaryOf(objs).spec.analysis).toEqual({ interval: '1m', threshold: 1, stepWeights: [100] });
    expectValidManifests(objs);
  });

  test('in the steady state, without a canary, the stable version is the Deployment, and the Canary stays in place', () => {
    const objs = synth(c => reviews(c, { canary: undefined }));
    expect(kinds(objs)).toEqual(['Deployment', 'Canary']);
    expect(find(objs, 'Deployment', 'reviews').spec.template.spec.containers[0].image).toBe('reviews:v1');
    expect(canaryOf(objs).spec.analysis.stepWeights).toEqual([10, 25, 50]);
  });

  test('mirrors to the canary as the first step, at the mirror\'s percentage', () => {
    const objs = synth(c => reviews(c, { mirror: { to: RouteTarget.canary(), percentage: 20 } }));
    expect(canaryOf(objs).spec.analysis).toMatchObject({ mirror: true, mirrorWeight: 20, stepWeights: [10, 25, 50] });
    expectValidManifests(objs);
  });
});

describe('Flagger linear steps', () => {
  test('steps of one size stay Flagger\'s stepWeight and maxWeight, with no stepWeights; all valid', () => {
    const objs = synth(c => reviews(c, { plan: { linear: { stepWeight: 10, maxWeight: 50 }, analysis: { loadTestCommand: LOAD_TEST } } }));
    expect(canaryOf(objs).spec.analysis).toEqual({
      interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50, metrics: METRICS_1M, webhooks: [LOAD_TEST_HOOK],
    });
    expectValidManifests(objs);
  });

  test('maxWeight is 100 by default, where Flagger promotes', () => {
    const objs = synth(c => reviews(c, { plan: { linear: { stepWeight: 25 } } }));
    expect(canaryOf(objs).spec.analysis).toEqual({ interval: '1m', threshold: 1, stepWeight: 25, maxWeight: 100 });
    expectValidManifests(objs);
  });

  test('Git and Argo Rollouts walk the same weights as Flagger, which stops at 100, so switching stays one line', () => {
    const linear = { stepWeight: 30 };
    const stages = [0, 1, 2, 3].map(step => synth(c => reviews(c, { controller: ReleaseController.NONE, plan: { linear }, step })));
    expect(stages.map(objs => weights(find(objs, 'VirtualService', 'reviews')))).toEqual([
      { v1: 70, v2: 30 }, { v1: 40, v2: 60 }, { v1: 10, v2: 90 }, { v1: 0, v2: 100 },
    ]);
    stages.forEach(objs => expectValidManifests(objs));
    expect(() => reviews(newChart(), { controller: ReleaseController.NONE, plan: { linear }, step: 4 })).toThrow('step must be a step of the plan, from 0 to 3, got 4');
    const argo = synth(c => reviews(c, { controller: ReleaseController.ARGO_ROLLOUTS, plan: { linear } }));
    const setWeights = find(argo, 'Rollout', 'reviews').spec.strategy.canary.steps.filter((s: Manifest) => s.setWeight !== undefined);
    expect(setWeights.map((s: Manifest) => s.setWeight)).toEqual([30, 60, 90, 100]);
    expectValidManifests(argo);
  });
});

describe('Flagger with autoscaling', () => {
  const objects = synth(c => reviews(c, { autoscaling: { maxReplicas: 6, cpuUtilization: 70 } }));

  test('emits the autoscaler of the Deployment, and names it in autoscalerRef for Flagger to copy to the primary', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Canary']);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'reviews');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews' } });
    expect(find(objects, 'Deployment', 'reviews').spec.replicas).toBeUndefined();
    expect(canaryOf(objects).spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'reviews' });
    expectValidManifests(objects);
  });
});

describe('Flagger route and traffic policies', () => {
  const objects = synth(c => reviews(c, {
    routePolicy: { timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'reset'] } },
    trafficPolicy: {
      loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN),
      connectionPool: { http1MaxPendingRequests: 50, maxRequestsPerConnection: 10 },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
      tlsMode: ClientTlsMode.ISTIO_MUTUAL,
    },
  }));

  test('carries timeout, retries and the traffic policy in the Canary\'s service, with Istio\'s field names', () => {
    expect(canaryOf(objects).spec.service).toEqual({
      port: 9080,
      targetPort: 9080,
      portName: 'http',
      gateways: ['mesh'],
      timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        connectionPool: { http: { http1MaxPendingRequests: 50, maxRequestsPerConnection: 10 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
    });
    expectValidManifests(objects);
  });

  test('names the gRPC port so that Flagger\'s Services keep the protocol', () => {
    const objs = synth(c => reviews(c, { protocol: Protocol.GRPC }));
    expect(canaryOf(objs).spec.service.portName).toBe('grpc');
  });
});

describe('Flagger webhooks', () => {
  const gate = (path: string) => `${TESTER}${path}`;
  const declared: FlaggerWebhook[] = [
    { name: 'start-gate', type: FlaggerWebhookType.CONFIRM_ROLLOUT, url: gate('gate/approve') },
    { name: 'smoke-test', type: FlaggerWebhookType.PRE_ROLLOUT, url: TESTER, timeout: Duration.seconds(30), metadata: { type: 'bash', cmd: 'curl -s http://reviews-canary.shop:9080/' } },
    { name: 'acceptance', url: 'http://tester.qa:8080/run', timeout: Duration.seconds(20) },
    { name: 'traffic-gate', type: FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE, url: gate('gate/approve') },
    { name: 'release-gate', type: FlaggerWebhookType.CONFIRM_PROMOTION, url: gate('gate/check') },
    { name: 'notify', type: FlaggerWebhookType.POST_ROLLOUT, url: 'https://chat.example.com/hooks/releases', timeout: Duration.seconds(5), metadata: { channel: 'releases' } },
    { name: 'rollback-gate', type: FlaggerWebhookType.ROLLBACK, url: gate('rollback/check') },
    { name: 'events', type: FlaggerWebhookType.EVENT, url: 'http://event-receiver.notifications/', metadata: { cluster: 'prod' } },
  ];

  test('declares webhooks of every Flagger type after the load test, with name, address, timeout and metadata; all valid', () => {
    const objs = synth(c => reviews(c, { plan: { steps: [10, 25, 50], analysis: { loadTestCommand: LOAD_TEST }, flagger: { webhooks: declared } } }));
    expect(canaryOf(objs).spec.analysis.webhooks).toEqual([
      LOAD_TEST_HOOK,
      { name: 'start-gate', type: 'confirm-rollout', url: gate('gate/approve') },
      { name: 'smoke-test', type: 'pre-rollout', url: TESTER, timeout: '30s', metadata: { type: 'bash', cmd: 'curl -s http://reviews-canary.shop:9080/' } },
      { name: 'acceptance', type: 'rollout', url: 'http://tester.qa:8080/run', timeout: '20s' },
      { name: 'traffic-gate', type: 'confirm-traffic-increase', url: gate('gate/approve') },
      { name: 'release-gate', type: 'confirm-promotion', url: gate('gate/check') },
      { name: 'notify', type: 'post-rollout', url: 'https://chat.example.com/hooks/releases', timeout: '5s', metadata: { channel: 'releases' } },
      { name: 'rollback-gate', type: 'rollback', url: gate('rollback/check') },
      { name: 'events', type: 'event', url: 'http://event-receiver.notifications/', metadata: { cluster: 'prod' } },
    ]);
    expectValidManifests(objs);
  });

  test('the load test takes its timeout, and a load tester elsewhere serves it and the promotion gate, with no namespace needed', () => {
    const objs = synth(c => web(c, {
      plan: {
        analysis: { loadTestCommand: 'hey http://web-canary.shop/', loadTestTimeout: Duration.seconds(30) },
        flagger: { loadTesterUrl: 'http://web-testloader.shop' },
      },
    }), {});
    expect(canaryOf(objs).spec.analysis.webhooks).toEqual([
      { name: 'load-test', type: 'rollout', url: 'http://web-testloader.shop/', timeout: '30s', metadata: { type: 'cmd', cmd: 'hey http://web-canary.shop/' } },
      { name: 'promotion-gate', type: 'confirm-promotion', url: 'http://web-testloader.shop/gate/check' },
      { name: 'close-promotion-gate', type: 'post-rollout', url: 'http://web-testloader.shop/gate/close' },
    ]);
    expectValidManifests(objs);
  });

  test('progressDeadline becomes the Canary\'s progressDeadlineSeconds', () => {
    const objs = synth(c => web(c, { plan: { autoPromotion: true, flagger: { progressDeadline: Duration.minutes(10) } } }));
    expect(canaryOf(objs).spec.progressDeadlineSeconds).toBe(600);
    expectValidManifests(objs);
  });

  test('a blue/green whose own rollout webhook sends it traffic needs no load test', () => {
    const k6 = { name: 'k6', url: 'http://k6-loadtester.flagger/launch-test', timeout: Duration.seconds(5) };
    const objs = synth(c => web(c, { plan: { autoPromotion: true, analysis: {}, flagger: { webhooks: [k6] } } }));
    expect(canaryOf(objs).spec.analysis).toEqual({
      interval: '1m', threshold: 2, iterations: 10, metrics: METRICS_1M,
      webhooks: [{ name: 'k6', type: 'rollout', url: 'http://k6-loadtester.flagger/launch-test', timeout: '5s' }],
    });
    expectValidManifests(objs);
  });
});

describe('Flagger blue/green', () => {
  const chart = newChart();
  const app = web(chart, { gateway, hosts: ['web.example.com'] });
  const objects: Manifest[] = chart.toJson();
  const canary = find(objects, 'Canary', 'web');

  test('emits the active colour as the Deployment, and a Canary that runs plan.iterations; all valid', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'Canary']);
    expect(find(objects, 'Deployment', 'web').spec.template.spec.containers[0].image).toBe('nginx:1.11');
    expect(app.deployments.map(d => d.name)).toEqual(['web']);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('runs ten 1-minute iterations by default, and no weights', () => {
    expect(canary.spec.analysis).toMatchObject({ interval: '1m', iterations: 10, threshold: 2 });
    expect(canary.spec.analysis.stepWeights).toBeUndefined();
    expect(canary.spec.service).toMatchObject({ port: 80, targetPort: 80, gateways: ['istio-system/public-gateway', 'mesh'], hosts: ['web.example.com'] });
  });

  test('switching active changes the Deployment\'s template, which is what starts Flagger\'s analysis', () => {
    const objs = synth(c => web(c, { gateway, hosts: ['web.example.com'], active: Color.BLUE }));
    expect(find(objs, 'Deployment', 'web').spec.template.metadata.labels).toEqual({ app: 'web', version: '1.10' });
    expect(find(objs, 'Deployment', 'web').spec.selector).toEqual(find(objects, 'Deployment', 'web').spec.selector);
    expect(canaryOf(objs)).toEqual(canary);
  });

  test('promotes by hand by default: the load tester\'s gate holds the promotion, and closes after each rollout', () => {
    const objs = synth(c => web(c, { plan: { analysis: { loadTestCommand: 'hey http://web-canary.shop/' } } }));
    expect(canaryOf(objs).spec.analysis.webhooks).toEqual([
      { name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.shop/', timeout: '5s', metadata: { type: 'cmd', cmd: 'hey http://web-canary.shop/' } },
      { name: 'promotion-gate', type: 'confirm-promotion', url: 'http://flagger-loadtester.shop/gate/check' },
      { name: 'close-promotion-gate', type: 'post-rollout', url: 'http://flagger-loadtester.shop/gate/close' },
    ]);
    expectValidManifests(objs);
  });

  test('the route check finds nothing', () => {
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });
});

describe('Flagger A/B testing', () => {
  const testers = [
    { when: [RouteMatch.header('x-canary', StringMatch.exact('insider'))], to: RouteTarget.canary() },
    { when: [RouteMatch.cookie('canary', 'always'), RouteMatch.queryParam('beta', StringMatch.prefix('1'))], to: RouteTarget.canary() },
    { when: [RouteMatch.sourceLabels({ app: 'qa-runner' })], to: RouteTarget.canary() },
  ];

  test('tester routes without steps are Flagger\'s A/B testing: each route a match, for plan.iterations', () => {
    const objs = synth(c => reviews(c, { plan: undefined, testerRoutes: testers }));
    expect(canaryOf(objs).spec.analysis).toEqual({
      interval: '1m',
      threshold: 1,
      iterations: 10,
      match: [
        { headers: { 'x-canary': { exact: 'insider' } } },
        { headers: { cookie: { regex: '^(.*;\\s*)?canary=always(;.*)?$' } }, queryParams: { beta: { prefix: '1' } } },
        { sourceLabels: { app: 'qa-runner' } },
      ],
    });
    expect(canaryOf(objs).spec.skipAnalysis).toBeUndefined();
    expectValidManifests(objs);
  });

  test('never narrows Flagger\'s routes with service.match, which would leave requests that match none of it without a route', () => {
    const ab = canaryOf(synth(c => reviews(c, { plan: undefined, testerRoutes: testers })));
    const weighted = canaryOf(synth(c => reviews(c)));
    expect(ab.spec.service).toEqual({ port: 9080, targetPort: 9080, portName: 'http', gateways: ['mesh'] });
    expect(weighted.spec.service).toEqual(ab.spec.service);
    expect(ab.spec.analysis.match).toHaveLength(testers.length);
  });

  test('in a blue/green, testers reach the active colour, the version Flagger rolls out', () => {
    const objs = synth(c => web(c, { testerRoutes: [{ when: [RouteMatch.header('x-tester', StringMatch.exact('yes'))], to: RouteTarget.version('1.11') }] }));
    expect(canaryOf(objs).spec.analysis).toMatchObject({ iterations: 10, match: [{ headers: { 'x-tester': { exact: 'yes' } } }] });
    expectValidManifests(objs);
  });
});

describe('Flagger bad input', () => {
  const chart = () => newChart();

  test.each([
    ['the Gateway API is asked for with an Istio gateway', () => reviews(chart(), { trafficApi: TrafficApi.GATEWAY_API, gateway, hosts: ['reviews.example.com'] }),
      'gateway', '"istio-system/public-gateway"'],
    ['the cutover is by Service selector', () => web(chart(), { cutover: CutoverMode.SERVICE_SELECTOR }), 'cutover', '"CutoverMode.SERVICE_SELECTOR"'],
    ['canaryWeight is given, which Flagger would drop', () => reviews(chart(), { canaryWeight: 30 }), 'canaryWeight', '30'],
    ['there is a preview', () => web(chart(), { preview: { header: 'x-preview' } }), 'preview', '["web-preview"]'],
    ['there are more ports', () => reviews(chart(), { additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }] }), 'additionalPorts', '["grpc-9090"]'],
    ['the port is TCP', () => reviews(chart(), { protocol: Protocol.TCP }), 'protocol', '"tcp"'],
    ['mTLS is asked for', () => reviews(chart(), { mtls: true }), 'mtls', 'true'],
    ['there is a disruption budget', () => reviews(chart(), { disruptionBudget: DisruptionBudget.minAvailable(1) }), 'disruptionBudget.minAvailable', '1'],
    ['the released version has no replicas', () => reviews(chart(), { canary: { ...v2, replicas: 0 } }), 'canary.replicas', '0'],
    ['a blue/green\'s sessions are sticky', () => web(chart(), { stickySessions: {} }), 'stickySessions', '{"cookieName":"web-version"}'],
    ['faults are injected', () => reviews(chart(), { routePolicy: { fault: { abortHttpStatus: 503 } } }), 'routePolicy.fault', '{"abort":'],
    ['a version has its own route policy', () => reviews(chart(), { canary: { ...v2, routePolicy: { timeout: Duration.seconds(1) } } }), 'canary.routePolicy', '{"timeout":"1s"}'],
    ['a version has its own traffic policy', () => reviews(chart(), { stable: { ...v1, trafficPolicy: { tlsMode: ClientTlsMode.DISABLE } } }), 'stable.trafficPolicy', '{"tlsMode":"DISABLE"}'],
    ['the connection pool limits TCP', () => reviews(chart(), { trafficPolicy: { connectionPool: { maxConnections: 100 } } }), 'trafficPolicy.connectionPool', '{"maxConnections":100}'],
    ['a tester route goes to the stable version', () => reviews(chart(), {
      plan: undefined, testerRoutes: [{ when: [RouteMatch.header('x-old', StringMatch.exact('1'))], to: RouteTarget.stable() }],
    }), 'testerRoutes[0].to', '"v1"'],
    ['tester routes come with weights, which Flagger\'s A/B testing ignores', () => reviews(chart(), {
      testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() }],
    }), 'testerRoutes', '["qa"]'],
    ['a blue/green mirrors to the old colour', () => web(chart(), { mirror: { to: RouteTarget.idle() } }), 'mirror.to', '"RouteTarget.idle()"'],
    ['a canary without steps mirrors', () => reviews(chart(), { plan: undefined, mirror: { to: RouteTarget.canary() } }), 'mirror', '{"percentage":100}'],
    ['the mirror percentage is not whole', () => reviews(chart(), { mirror: { to: RouteTarget.canary(), percentage: 12.5 } }), 'mirror.percentage', '12.5'],
    ['the pause differs from the analysis interval', () => reviews(chart(), {
      plan: { steps: [10], pause: Duration.minutes(5), analysis: {} },
    }), 'plan.pause', '"300s"'],
    ['the analysis interval is below 10 s', () => reviews(chart(), { plan: { steps: [10], analysis: { interval: Duration.seconds(5) } } }), 'plan.analysis.interval', '"5s"'],
    ['the pause is below 10 s', () => reviews(chart(), { plan: { steps: [10], pause: Duration.seconds(5) } }), 'plan.pause', '"5s"'],
    ['a blue/green checks metrics without a load test', () => web(chart(), { plan: { analysis: {} } }), 'plan.analysis.loadTestCommand', 'nothing'],
    ['the load tester\'s namespace is unknown', () => reviews(newChart({})), 'namespace', 'nothing'],
    ['a plan gives both steps and linear', () => reviews(chart(), { plan: { steps: [10], linear: { stepWeight: 10 } } }), 'plan.steps', '[10]'],
    ['a plan gives neither steps nor linear', () => reviews(chart(), { plan: {} }), 'plan.steps', 'nothing'],
    ['the linear step is 0', () => reviews(chart(), { plan: { linear: { stepWeight: 0 } } }), 'plan.linear.stepWeight', '0'],
    ['maxWeight is below stepWeight', () => reviews(chart(), { plan: { linear: { stepWeight: 20, maxWeight: 10 } } }), 'plan.linear.maxWeight', '10'],
    ['maxWeight below 100 is no multiple of stepWeight', () => reviews(chart(), { plan: { linear: { stepWeight: 20, maxWeight: 50 } } }), 'plan.linear.maxWeight', '50'],
    ['tester routes come with linear weights', () => reviews(chart(), {
      plan: { linear: { stepWeight: 10 } }, testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() }],
    }), 'testerRoutes', '["qa"]'],
    ['webhooks are not a list', () => hooks(chart(), 'x' as unknown as FlaggerWebhook[]), 'plan.flagger.webhooks', '"x"'],
    ['a webhook has no name', () => hooks(chart(), [{ name: '', url: TESTER }]), 'plan.flagger.webhooks[0].name', '""'],
    ['a webhook takes the load test\'s name', () => hooks(chart(), [{ name: 'load-test', url: TESTER }]), 'plan.flagger.webhooks[0].name', '"load-test"'],
    ['two webhooks share a name', () => hooks(chart(), [{ name: 'smoke', url: TESTER }, { name: 'smoke', url: TESTER }]), 'plan.flagger.webhooks[1].name', '"smoke"'],
    ['a webhook\'s URL is not absolute', () => hooks(chart(), [{ name: 'smoke', url: 'flagger-loadtester.shop/' }]), 'plan.flagger.webhooks[0].url', '"flagger-loadtester.shop/"'],
    ['a webhook\'s URL is not HTTP', () => hooks(chart(), [{ name: 'smoke', url: 'ftp://tester.shop/' }]), 'plan.flagger.webhooks[0].url', '"ftp://tester.shop/"'],
    ['a webhook\'s type is not Flagger\'s', () => hooks(chart(), [{ name: 'smoke', url: TESTER, type: 'pre-deploy' as FlaggerWebhookType }]), 'plan.flagger.webhooks[0].type', '"pre-deploy"'],
    ['a webhook\'s timeout is not whole seconds', () => hooks(chart(), [{ name: 'smoke', url: TESTER, timeout: Duration.millis(1500) }]), 'plan.flagger.webhooks[0].timeout', '"1.5s"'],
    ['webhook metadata is not a string', () => hooks(chart(), [{ name: 'smoke', url: TESTER, metadata: { retries: 3 as unknown as string } }]), 'plan.flagger.webhooks[0].metadata.retries', '3'],
    ['a blue/green confirms traffic increases, which it never makes', () => web(chart(), {
      plan: { autoPromotion: true, flagger: { webhooks: [{ name: 'more', type: FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE, url: TESTER }] } },
    }), 'plan.flagger.webhooks[0].type', '"FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE"'],
    ['the load test\'s timeout fills the interval', () => reviews(chart(), {
      plan: { steps: [10], analysis: { loadTestCommand: LOAD_TEST, loadTestTimeout: Duration.minutes(1) } },
    }), 'plan.analysis.loadTestTimeout', '"60s"'],
    ['the rollout webhooks\' timeouts add up to the interval', () => reviews(chart(), {
      plan: { steps: [10], analysis: { interval: Duration.seconds(15), loadTestCommand: LOAD_TEST }, flagger: { webhooks: [{ name: 'acceptance', url: TESTER }] } },
    }), 'plan.flagger.webhooks[0].timeout', 'nothing'],
    ['a load test timeout comes without a load test', () => reviews(chart(), { plan: { steps: [10], analysis: { loadTestTimeout: Duration.seconds(5) } } }),
      'plan.analysis.loadTestTimeout', '"5s"'],
    ['the load tester\'s address serves nothing', () => reviews(chart(), { plan: { steps: [10], flagger: { loadTesterUrl: TESTER } } }),
      'plan.flagger.loadTesterUrl', `"${TESTER}"`],
    ['the load tester\'s address is not a URL', () => reviews(chart(), { plan: { steps: [10], flagger: { loadTesterUrl: 'flagger-loadtester' } } }),
      'plan.flagger.loadTesterUrl', '"flagger-loadtester"'],
    ['the progress deadline is not whole seconds', () => reviews(chart(), { plan: { steps: [10], flagger: { progressDeadline: Duration.millis(500) } } }),
      'plan.flagger.progressDeadline', '"0.5s"'],
    ['Argo Rollouts gets Flagger\'s options', () => reviews(chart(), {
      controller: ReleaseController.ARGO_ROLLOUTS, plan: { steps: [10], flagger: { progressDeadline: Duration.minutes(5) } },
    }), 'plan.flagger', '{"progressDeadlineSeconds":300}'],
    ['a blue/green promoted by hand has no namespace for the gate', () => web(newChart({}), { plan: {} }), 'namespace', 'nothing'],
  ])('fails when %s', (_, build, field, value) => {
    expect(build).toThrow(new RegExp(`^test/(Reviews|Web): ${field.replace(/[.[\]]/g, '\\$&')} `));
    expect(build).toThrow(`got ${value}`);
  });

  test('fails when tester routes meet weights, naming flagger#1777 and the weights\' field: A/B testing drops them', () => {
    const testerRoutes = [{ when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() }];
    expect(() => reviews(newChart(), { testerRoutes }))
      .toThrow('testerRoutes make Flagger run A/B testing, which ignores plan.steps (flagger#1777)');
    expect(() => reviews(newChart(), { testerRoutes, plan: { linear: { stepWeight: 10 } } }))
      .toThrow('leave testerRoutes out for a weighted canary, or plan.linear out for A/B testing');
  });

  test('fails when istioApiVersion is given: Flagger makes the Istio objects itself', () => {
    expect(() => reviews(newChart(), { istioApiVersion: IstioApiVersion.V1BETA1 }))
      .toThrow('istioApiVersion sets the version of the Istio objects, and with controller flagger and trafficApi istio this app emits none, got "v1beta1"');
  });

  test('fails when linear steps would go past maxWeight, saying where Flagger would end up', () => {
    expect(() => reviews(newChart(), { plan: { linear: { stepWeight: 20, maxWeight: 50 } } }))
      .toThrow('plan.linear.maxWeight must be a multiple of stepWeight (20), or 100: Flagger would go on to 60%, got 50; use 40 or 60');
  });

  test('fails when the rollout webhooks\' timeouts reach the interval, counting Flagger\'s default', () => {
    expect(() => reviews(newChart(), {
      plan: { steps: [10], analysis: { interval: Duration.seconds(15), loadTestCommand: LOAD_TEST }, flagger: { webhooks: [{ name: 'acceptance', url: TESTER }] } },
    })).toThrow('brings the timeouts of the rollout webhooks to 15s, and they must add up to less than the analysis interval (15s)');
  });

  test('fails when the namespace is unknown, saying what needs it', () => {
    expect(() => reviews(newChart({}))).toThrow('namespace must be known for Flagger\'s load tester, flagger-loadtester.<namespace>, which runs the load test');
    expect(() => web(newChart({}), { plan: {} })).toThrow('which holds the promotion until it is approved');
  });

  test('fails when the first step is 0, which Flagger would never leave (nextStepWeight)', () => {
    expect(() => reviews(newChart(), { plan: { steps: [0, 50, 100], analysis: { loadTestCommand: LOAD_TEST } } })).toThrow(
      'test/Reviews: plan.steps[0] must be above 0 with Flagger, which starts every release at 0 and would never leave a first step of 0, got 0; '
      + 'leave the 0 out: [50,100]');
  });

  test('a first step above 0 starts the release, as the smallest step Flagger takes', () => {
    expect(canaryOf(synth(c => reviews(c, { plan: { steps: [1, 100] } }))).spec.analysis.stepWeights).toEqual([1, 100]);
  });

  test('fails when the load balancer hashes on a query parameter, which Flagger\'s DestinationRule type drops', () => {
    expect(() => reviews(newChart(), { trafficPolicy: { loadBalancer: LoadBalancer.hashQueryParameter('user') } })).toThrow(
      'test/Reviews: trafficPolicy.loadBalancer can\'t be carried: Flagger\'s DestinationRule type has no loadBalancer.consistentHash.httpQueryParameterName, '
      + 'and Flagger would write its rules without it, got "user"; leave it out, or use a setting Flagger keeps (LoadBalancer.hashHeader or hashCookie for a hash)');
  });

  test.each([
    ['a header', LoadBalancer.hashHeader('x-user'), { httpHeaderName: 'x-user' }],
    ['a cookie', LoadBalancer.hashCookie('user', Duration.hours(1)), { httpCookie: { name: 'user', ttl: '3600s' } }],
    ['the source IP', LoadBalancer.hashSourceIp(), { useSourceIp: true }],
  ])('a hash on %s is a field of Flagger\'s type, and is carried', (_, loadBalancer, consistentHash) => {
    const policy = canaryOf(synth(c => reviews(c, { trafficPolicy: { loadBalancer } }))).spec.service.trafficPolicy;
    expect(policy.loadBalancer.consistentHash).toEqual(consistentHash);
  });

  test('fails when checks have no load test, suggesting one against the new version\'s Service', () => {
    expect(() => web(newChart(), { port: 8080, plan: { analysis: {} } })).toThrow('e.g. "hey -z 1m -q 10 -c 2 http://web-canary.shop:8080/"');
  });
});

describe('Flagger: the resolve step refuses what the Canary cannot carry, before any object is made', () => {
  const qa = (to: RouteTarget) => [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to }];
  const PRIMARY = 'app: reviews-primary';
  const MIRROR = 'mirror can\'t be carried: Flagger mirrors in a weighted canary or a blue/green, and runs no analysis, got {"percentage":100}; leave mirror out';
  const TESTER_NAMESPACE = 'namespace must be known for Flagger\'s load tester, flagger-loadtester.<namespace>, which';
  const TESTER_FIX = 'got nothing; set namespace on the app or its chart, or give plan.flagger.loadTesterUrl';
  const GO_DURATION = 'must be at most 9223372036 seconds, the longest duration Flagger reads (Go\'s time.Duration), got "9223372037s"; use e.g. Duration.minutes(5)';
  const TOO_LONG = 'and they must add up to less than the analysis interval';
  const SILENT = 'plan.analysis.loadTestCommand must be given for a Flagger blue/green with metric checks, or the new version has no traffic to measure, got nothing; '
    + 'give a load test, e.g. "hey -z 1m -q 10 -c 2 http://web-canary';
  const AB = (weights: string) => `testerRoutes make Flagger run A/B testing, which ignores ${weights} (flagger#1777): testers would get the new version and `
    + `everyone else none of it, got ["qa"]; leave testerRoutes out for a weighted canary, or ${weights} out for A/B testing`;
  const hooked = (webhooks: FlaggerWebhook[], analysis = {}) => ({ plan: { steps: [10], analysis: { loadTestCommand: LOAD_TEST, ...analysis }, flagger: { webhooks } } });

  /** A release and its props, the chart's namespace, and the whole message. */
  const refused: [string, 'canary' | 'blue-green', Partial<CanaryAppProps> & Partial<BlueGreenAppProps>, string | null, string][] = [
    ['the cutover is by Service selector', 'blue-green', { cutover: CutoverMode.SERVICE_SELECTOR }, 'shop',
      'cutover must be CutoverMode.MESH_ROUTING with Flagger, which moves traffic in a VirtualService of its own, got "CutoverMode.SERVICE_SELECTOR"; leave cutover out'],
    ['there is a preview', 'blue-green', { preview: { header: 'x-preview' } }, 'shop',
      'preview needs Services of its own, and Flagger makes the Services: it serves the new version at web-canary, got ["web-preview"]; '
      + 'leave preview out, and test the new version through web-canary during the analysis'],
    ['there are more ports', 'canary', { additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }] }, 'shop',
      'additionalPorts can\'t be carried: Flagger\'s Canary routes one port, got ["grpc-9090"]; leave them out'],
    ['the port is TCP', 'canary', { protocol: Protocol.TCP }, 'shop', 'protocol must be HTTP, HTTP2 or GRPC: Flagger routes with HTTP routes, got "tcp"; use Protocol.HTTP'],
    ['mTLS is asked for', 'canary', { mtls: true }, 'shop',
      `mtls can't reach Flagger's primary pods, which it labels ${PRIMARY}, got true; leave mtls out, and require mutual TLS with a PeerAuthentication for the whole namespace`],
    ['there is a disruption budget', 'canary', { disruptionBudget: DisruptionBudget.minAvailable(1) }, 'shop',
      `disruptionBudget.minAvailable can't cover Flagger's primary pods, which it labels ${PRIMARY}, got 1; `
      + `leave disruptionBudget out, and add a PodDisruptionBudget that selects ${PRIMARY}`],
    ['the released version has no replicas', 'canary', { canary: { ...v2, replicas: 0 } }, 'shop',
      'canary.replicas must be above 0: controller flagger runs the app\'s pods at the replicas of the version it rolls out, got 0; use e.g. 2'],
    ['sessions are sticky in A/B testing', 'canary', { plan: undefined, testerRoutes: qa(RouteTarget.canary()), stickySessions: {} }, 'shop',
      'stickySessions become Flagger\'s session affinity, which pins users while weights rise, and Flagger runs A/B testing, '
      + 'got {"cookieName":"reviews-version"}; leave stickySessions out'],
    ['faults are injected', 'canary', { routePolicy: { fault: { abortHttpStatus: 503 } } }, 'shop',
      'routePolicy.fault can\'t be carried: Flagger\'s Canary sets timeout and retries only, got {"abort":{"httpStatus":503,"percentage":{"value":100}}}; leave fault out'],
    ['a version has its own route policy', 'canary', { canary: { ...v2, routePolicy: { timeout: Duration.seconds(1) } } }, 'shop',
      'canary.routePolicy can\'t be carried: Flagger applies one policy to both versions, got {"timeout":"1s"}; set the app\'s routePolicy instead'],
    ['a version has its own traffic policy', 'canary', { stable: { ...v1, trafficPolicy: { tlsMode: ClientTlsMode.DISABLE } } }, 'shop',
      'stable.trafficPolicy can\'t be carried: Flagger applies one policy to both versions, got {"tlsMode":"DISABLE"}; set the app\'s trafficPolicy instead'],
    ['the connection pool limits TCP', 'canary', { trafficPolicy: { connectionPool: { maxConnections: 100 } } }, 'shop',
      'trafficPolicy.connectionPool may not set maxConnections or connectTimeout: the Canary CRD\'s traffic policy has no TCP pool, got {"maxConnections":100}; leave them out'],
    ['a tester route goes to the stable version', 'canary', { plan: undefined, testerRoutes: qa(RouteTarget.stable()) }, 'shop',
      'testerRoutes[0].to must be the version Flagger rolls out, "v2": Flagger sends matching requests to the new version only, got "v1"; route testers to it'],
    ['tester routes come with steps', 'canary', { testerRoutes: qa(RouteTarget.canary()) }, 'shop', AB('plan.steps')],
    ['tester routes come with linear steps', 'canary', { plan: { linear: { stepWeight: 10 } }, testerRoutes: qa(RouteTarget.canary()) }, 'shop', AB('plan.linear')],
    ['a blue/green mirrors to the old colour', 'blue-green', { mirror: { to: RouteTarget.idle() } }, 'shop',
      'mirror.to already takes 100% of traffic, so the copies would go where the requests go, got "RouteTarget.idle()"; mirror to a version that takes no traffic, such as the canary at 0%'],
    ['A/B testing mirrors', 'canary', { plan: undefined, testerRoutes: qa(RouteTarget.canary()), mirror: { to: RouteTarget.canary() } }, 'shop',
      'mirror can\'t be carried: Flagger mirrors in a weighted canary or a blue/green, and runs A/B testing, got {"percentage":100}; leave mirror out'],
    ['a canary without steps mirrors', 'canary', { plan: undefined, mirror: { to: RouteTarget.canary() } }, 'shop', MIRROR],
    ['the mirror percentage is not whole', 'canary', { mirror: { to: RouteTarget.canary(), percentage: 12.5 } }, 'shop',
      'mirror.percentage must be a whole percentage for Flagger\'s mirrorWeight, got 12.5; use e.g. 20'],
    ['a blue/green checks metrics without a load test', 'blue-green', { port: 8080, plan: { analysis: {} } }, 'shop',
      `${SILENT}.shop:8080/", a FlaggerWebhookType.ROLLOUT webhook that sends traffic, or a mirror to the new colour`],
    ['a blue/green checks metrics without a load test, in no namespace', 'blue-green', { plan: { analysis: {} } }, null,
      `${SILENT}:80/", a FlaggerWebhookType.ROLLOUT webhook that sends traffic, or a mirror to the new colour`],
    ['the pause differs from the analysis interval', 'canary', { plan: { steps: [10], pause: Duration.minutes(5), analysis: {} } }, 'shop',
      'plan.pause must equal plan.analysis.interval (60s): Flagger moves one step per analysis interval, got "300s"; leave pause out, and set plan.analysis.interval'],
    ['the analysis interval is below 10 s', 'canary', { plan: { steps: [10], analysis: { interval: Duration.seconds(9) } } }, 'shop',
      'plan.analysis.interval must be 10 seconds or more: Flagger runs its analysis no more often, got "9s"; use e.g. Duration.minutes(1)'],
    ['the pause is below 10 s', 'canary', { plan: { steps: [10], pause: Duration.seconds(9) } }, 'shop',
      'plan.pause must be 10 seconds or more: Flagger runs its analysis no more often, got "9s"; use e.g. Duration.minutes(1)'],
    ['the load tester\'s address serves nothing', 'canary', { plan: { steps: [10], flagger: { loadTesterUrl: TESTER } } }, 'shop',
      `plan.flagger.loadTesterUrl is used by no webhook: there is no plan.analysis.loadTestCommand, and no promotion gate, got "${TESTER}"; leave it out`],
    ['the load test\'s namespace is unknown', 'canary', {}, null, `${TESTER_NAMESPACE} runs the load test, ${TESTER_FIX}`],
    ['the promotion gate\'s namespace is unknown', 'blue-green', { plan: {} }, null, `${TESTER_NAMESPACE} holds the promotion until it is approved, ${TESTER_FIX}`],
    ['a blue/green confirms traffic increases', 'blue-green', {
      plan: { autoPromotion: true, flagger: { webhooks: [{ name: 'more', type: FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE, url: TESTER }] } },
    }, 'shop', 'plan.flagger.webhooks[0].type makes a webhook Flagger never calls: it raises no weight in a blue/green, '
      + 'got "FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE"; use FlaggerWebhookType.CONFIRM_PROMOTION to hold the promotion'],
    ['A/B testing confirms traffic increases', 'blue-green', {
      testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.version('1.11') }],
      plan: { autoPromotion: true, flagger: { webhooks: [{ name: 'more', type: FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE, url: TESTER }] } },
    }, 'shop', 'plan.flagger.webhooks[0].type makes a webhook Flagger never calls: it raises no weight in A/B testing, '
      + 'got "FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE"; use FlaggerWebhookType.CONFIRM_PROMOTION to hold the promotion'],
    ['a webhook takes the load test\'s name', 'canary', hooked([{ name: 'load-test', url: TESTER }]), 'shop',
      'plan.flagger.webhooks[0].name repeats the name of the webhook from plan.analysis.loadTestCommand, got "load-test"; give each webhook its own name'],
    ['the rollout webhooks\' timeouts add up to the interval', 'canary', hooked([{ name: 'acceptance', url: TESTER }], { interval: Duration.seconds(15) }), 'shop',
      `plan.flagger.webhooks[0].timeout brings the timeouts of the rollout webhooks to 15s, ${TOO_LONG} (15s): Flagger calls them one after another at every check, `
      + 'got nothing; give shorter timeouts (Flagger waits 10s where none is given), or a longer interval'],
    ['the load test\'s timeout fills the interval', 'canary', { plan: { steps: [10], analysis: { loadTestCommand: LOAD_TEST, loadTestTimeout: Duration.minutes(1) } } }, 'shop',
      `plan.analysis.loadTestTimeout brings the timeouts of the rollout webhooks to 60s, ${TOO_LONG} (60s): Flagger calls them one after another at every check, `
      + 'got "60s"; give shorter timeouts (Flagger waits 10s where none is given), or a longer interval'],
    ['Flagger\'s primary Service would be too long a name', 'canary', { name: 'r'.repeat(56) }, 'shop',
      `name needs a Service named "${'r'.repeat(56)}-primary" for Flagger, longer than 63 characters, got "${'r'.repeat(56)}"; shorten the app name to 55 characters or fewer`],
    ['the progress deadline is more than an int32 holds', 'canary', { plan: { steps: [10], analysis: { loadTestCommand: LOAD_TEST }, flagger: { progressDeadline: Duration.seconds(2 ** 31) } } }, 'shop',
      'plan.flagger.progressDeadline must be at most 2147483647 seconds, the most Flagger\'s progressDeadlineSeconds holds (int32), got "2147483648s"; use e.g. Duration.minutes(5)'],
    ['the analysis interval is longer than Go\'s durations', 'canary', { plan: { steps: [10], analysis: { interval: Duration.seconds(9_223_372_037) } } }, 'shop',
      `plan.analysis.interval ${GO_DURATION}`],
    ['the pause is longer than Go\'s durations', 'canary', { plan: { steps: [10], pause: Duration.seconds(9_223_372_037) } }, 'shop', `plan.pause ${GO_DURATION}`],
    ['a webhook\'s timeout is longer than Go\'s durations', 'canary', hooked([{
      name: 'gate', type: FlaggerWebhookType.CONFIRM_PROMOTION, url: TESTER, timeout: Duration.seconds(9_223_372_037),
    }]), 'shop', `plan.flagger.webhooks[0].timeout ${GO_DURATION}`],
    ['istioApiVersion is given', 'canary', { istioApiVersion: IstioApiVersion.V1BETA1 }, 'shop',
      'istioApiVersion sets the version of the Istio objects, and with controller flagger and trafficApi istio this app emits none, got "v1beta1"; leave it out'],
  ];

  test.each(refused)('fails when %s', (_, kind, props, namespace, message) => {
    const id = kind === 'canary' ? 'Reviews' : 'Web';
    const at = unbuilt(id, chartIn(namespace));
    expect(() => (kind === 'canary' ? resolveCanary(at, reviewsProps(props)) : resolveBlueGreen(at, webProps(props)))).toThrow(`test/${id}: ${message}`);
    expect(at.node.children).toEqual([]);
  });

  test.each<[string, () => BlueGreenApp | CanaryApp]>([
    ['an analysis interval of 10 s', () => reviews(newChart(), { plan: { steps: [10], analysis: { interval: Duration.seconds(10) } } })],
    ['a pause of 10 s', () => reviews(newChart(), { plan: { steps: [10], pause: Duration.seconds(10) } })],
    ['rollout webhooks whose timeouts add up to 1 s less than the interval', () => reviews(newChart(), hooked([{ name: 'acceptance', url: TESTER, timeout: Duration.seconds(54) }]))],
    ['an app name of 55 characters', () => reviews(newChart(), { name: 'r'.repeat(55) })],
    ['a progress deadline of 2147483647 seconds', () => reviews(newChart(), {
      plan: { steps: [10], analysis: { loadTestCommand: LOAD_TEST }, flagger: { progressDeadline: Duration.seconds(2 ** 31 - 1) } },
    })],
    ['an analysis interval and a webhook timeout of 9223372036 seconds', () => reviews(newChart(), hooked(
      [{ name: 'gate', type: FlaggerWebhookType.CONFIRM_PROMOTION, url: TESTER, timeout: Duration.seconds(9_223_372_036) }],
      { interval: Duration.seconds(9_223_372_036) },
    ))],
    ['A/B testing whose webhooks confirm the promotion', () => web(newChart(), {
      testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.version('1.11') }],
      plan: { autoPromotion: true, flagger: { webhooks: [{ name: 'gate', type: FlaggerWebhookType.CONFIRM_PROMOTION, url: TESTER }] } },
    })],
  ])('takes %s, and the objects stay within the CRDs\' bounds', (_, build) => {
    expectValidManifests(Chart.of(build()).toJson());
  });
});

describe('Flagger: what the resolve step accepts, the renderer renders without a refusal', () => {
  const hook = fc.record({
    name: fc.constantFrom('smoke', 'acceptance', 'load-test'),
    type: fc.constantFrom(FlaggerWebhookType.ROLLOUT, FlaggerWebhookType.CONFIRM_PROMOTION, FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE, FlaggerWebhookType.POST_ROLLOUT),
    url: fc.constant(TESTER),
    timeout: none(mostly([Duration.seconds(5), Duration.seconds(30)], [Duration.seconds(9_223_372_037)])),
  });
  const props = fc.record({
    blueGreen: fc.boolean(),
    namespace: mostly<string | null>(['shop'], [null]),
    name: mostly(['reviews', 'r'.repeat(55)], ['r'.repeat(56)]),
    steps: none(mostly([[10, 50], [20]], [[5]])),
    pause: none(mostly([Duration.seconds(30), Duration.minutes(1)], [Duration.seconds(5), Duration.seconds(9_223_372_037)])),
    analysis: none(mostly<AnalysisOptions>([{ loadTestCommand: LOAD_TEST }, { interval: Duration.seconds(30), loadTestCommand: LOAD_TEST }], [{}])),
    autoPromotion: fc.boolean(),
    webhooks: none(fc.uniqueArray(hook, { maxLength: 2, selector: h => h.name })),
    progressDeadline: none(mostly([Duration.minutes(10)], [Duration.seconds(2 ** 31)])),
    loadTesterUrl: none(fc.constant(TESTER)),
    testers: mostly([false], [true]),
    mirror: mostly([false], [true]),
    gateway: fc.boolean(),
    istioApiVersion: mostly([undefined], [IstioApiVersion.V1BETA1]),
    mtls: mostly([false], [true]),
    trafficPolicy: mostly<TrafficPolicy | undefined>([undefined, { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) }], [{ connectionPool: { maxConnections: 10 } }]),
  });

  test('for any props: rendering never refuses, the objects fit the CRDs, and no Istio object is emitted', () => {
    const runs = 200;
    let rendered = 0;
    fc.assert(fc.property(props, p => {
      const at = unbuilt('App', chartIn(p.namespace));
      const flagger = { webhooks: p.webhooks, progressDeadline: p.progressDeadline, loadTesterUrl: p.loadTesterUrl };
      const common = {
        name: p.name, gateway: p.gateway ? gateway : undefined, hosts: p.gateway ? ['reviews.example.com'] : undefined, trafficPolicy: p.trafficPolicy,
        mtls: p.mtls, istioApiVersion: p.istioApiVersion,
      };
      const testers = (version: string) => (p.testers ? [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.version(version) }] : undefined);
      const model = expectRendersWhatResolves(at, () => p.blueGreen
        ? resolveBlueGreen(at, webProps({
          ...common, testerRoutes: testers('1.11'), mirror: p.mirror ? { to: RouteTarget.idle() } : undefined,
          plan: { analysis: p.analysis, autoPromotion: p.autoPromotion, flagger },
        })).release
        : resolveCanary(at, reviewsProps({
          ...common, testerRoutes: testers('v2'), mirror: p.mirror ? { to: RouteTarget.canary() } : undefined,
          plan: p.steps && { steps: p.steps, pause: p.pause, analysis: p.analysis, flagger },
        })).release);
      if (model) rendered++;
      expect(istioObjectsUnder(at)).toEqual([]);
    }), { numRuns: runs });
    expect(rendered).toBeGreaterThan(runs / 8);
  });
});
