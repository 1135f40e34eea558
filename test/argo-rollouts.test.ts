import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  AnalysisOptions, AppPortOptions, ArgoRouting, BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, Color, CutoverMode, DisruptionBudget, IstioApiVersion,
  CanaryScale, IstioGateway, LoadBalancer, Protocol, ReleaseController, RouteMatch, RouteTarget, SimpleLoadBalancer, StepPause, StringMatch, TrafficApi, TrafficPolicy,
} from '../src';
import { resolveBlueGreen } from '../src/blue-green-app';
import { resolveCanary } from '../src/canary-app';
import { expectSound, find, kinds, Manifest, newChart, synth, weights } from './support/manifests';
import { expectIstioApiVersionUsed, expectRendersWhatResolves, mostly, none, unbuilt } from './support/render-property';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2', replicas: 3 };
const gateway = IstioGateway.fromName('istio-system/public-gateway');
const ARGO = ReleaseController.ARGO_ROLLOUTS;

const reviewsProps = (props: Partial<CanaryAppProps> = {}): CanaryAppProps => ({
  stable: v1, canary: v2, controller: ARGO, plan: { steps: [10, 50, 100], pause: Duration.minutes(5) }, ...props,
});

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', reviewsProps(props));
}

const webProps = (props: Partial<BlueGreenAppProps> = {}): BlueGreenAppProps => ({
  blue: { image: 'web:1.0', version: '1.0' }, green: { image: 'web:1.1', version: '1.1' }, active: Color.GREEN, controller: ARGO, ...props,
});

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', webProps(props));
}

const strategyOf = (objects: Manifest[], name: string) => find(objects, 'Rollout', name).spec.strategy;

describe('Argo Rollouts canary, subset-level (the default)', () => {
  const chart = newChart();
  const app = reviews(chart, { gateway, hosts: ['reviews.example.com'] });
  const objects = expectSound(chart);

  test('emits a Rollout in place of the Deployments, then the Service, subsets and routes it edits', () => {
    expect(kinds(objects)).toEqual(['Rollout', 'Service', 'DestinationRule', 'VirtualService']);
    expect(app.deployments).toEqual([]);
    expect(app.rollout?.name).toBe('reviews');
    expect(objects).toMatchSnapshot();
  });

  test('the Rollout runs the canary\'s pods, selected by the app label alone, at the canary\'s replicas', () => {
    const spec = find(objects, 'Rollout', 'reviews').spec;
    expect(spec.replicas).toBe(3);
    expect(spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(spec.template.metadata.labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(spec.template.spec.containers.map((c: Manifest) => c.image)).toEqual(['reviews:v2']);
  });

  test('its template is exactly the pod template the canary\'s Deployment has without a controller', () => {
    const staticObjects = synth(c => reviews(c, { controller: ReleaseController.NONE, plan: undefined }));
    expect(find(objects, 'Rollout', 'reviews').spec.template).toEqual(find(staticObjects, 'Deployment', 'reviews-v2').spec.template);
  });

  test('walks the plan: setWeight, then a timed pause, for each step; none after 100', () => {
    expect(strategyOf(objects, 'reviews').canary.steps).toEqual([
      { setWeight: 10 }, { pause: { duration: '300s' } },
      { setWeight: 50 }, { pause: { duration: '300s' } },
      { setWeight: 100 },
    ]);
  });

  test('routes by the DestinationRule subsets stable and canary, on the route named primary', () => {
    expect(strategyOf(objects, 'reviews').canary.trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'reviews', routes: ['primary'] },
        destinationRule: { name: 'reviews', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    expect(strategyOf(objects, 'reviews').canary.canaryService).toBeUndefined();
  });

  test('the subsets select the app\'s pods, for Argo to add each role\'s pod-template hash; stable starts at 100', () => {
    expect(find(objects, 'DestinationRule', 'reviews').spec).toEqual({
      host: 'reviews.shop.svc.cluster.local',
      subsets: [{ name: 'stable', labels: { app: 'reviews' } }, { name: 'canary', labels: { app: 'reviews' } }],
    });
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(weights(vs)).toEqual({ stable: 100, canary: 0 });
    expect(vs.spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expect(find(objects, 'Service', 'reviews').spec.selector).toEqual({ app: 'reviews' });
  });

  test('the app\'s trafficPolicy goes on the DestinationRule', () => {
    const objs = synth(c => reviews(c, { trafficPolicy: { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) } }));
    expect(find(objs, 'DestinationRule', 'reviews').spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
  });
});

describe('Argo Rollouts canary, host-level (seed 001)', () => {
  const chart = newChart();
  reviews(chart, { argoRouting: ArgoRouting.HOST, gateway, hosts: ['reviews.example.com'] });
  const objects = expectSound(chart);

  test('emits the app\'s Service and one per role, all selecting the app, and no DestinationRule', () => {
    expect(kinds(objects)).toEqual(['Rollout', 'Service', 'Service', 'Service', 'VirtualService']);
    for (const name of ['reviews', 'reviews-stable', 'reviews-canary']) {
      expect(find(objects, 'Service', name).spec.selector).toEqual({ app: 'reviews' });
    }
    expect(objects).toMatchSnapshot();
  });

  test('names the role Services in the Rollout and routes the app\'s hosts to them', () => {
    const canary = strategyOf(objects, 'reviews').canary;
    expect([canary.stableService, canary.canaryService]).toEqual(['reviews-stable', 'reviews-canary']);
    expect(canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'reviews', routes: ['primary'] } } });
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(vs.spec.hosts).toEqual(['reviews.example.com', 'reviews.shop.svc.cluster.local']);
    expect(vs.spec.http).toEqual([{
      name: 'primary',
      route: [
        { destination: { host: 'reviews-stable.shop.svc.cluster.local' }, weight: 100 },
        { destination: { host: 'reviews-canary.shop.svc.cluster.local' }, weight: 0 },
      ],
    }]);
  });
});

describe('Argo Rollouts canary with tester routes', () => {
  const testers = [
    { when: [RouteMatch.header('x-tester', StringMatch.exact('yes'))], to: RouteTarget.canary(), name: 'testers' },
    { when: [RouteMatch.header('x-old', StringMatch.exact('yes'))], to: RouteTarget.stable(), name: 'old' },
  ];

  test('testers reach the canary role, which Argo points at the canary\'s pods; Argo edits the split alone', () => {
    const chart = newChart();
    reviews(chart, { testerRoutes: testers });
    const objects = expectSound(chart);
    const http = find(objects, 'VirtualService', 'reviews').spec.http;
    expect(http.slice(0, 2).map((r: Manifest) => [r.name, r.route])).toEqual([
      ['testers', [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'canary' } }]],
      ['old', [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'stable' } }]],
    ]);
    expect(strategyOf(objects, 'reviews').canary.trafficRouting.istio.virtualService).toEqual({ name: 'reviews', routes: ['primary'] });
  });

  test('with host-level routing, testers reach the canary Service', () => {
    const chart = newChart();
    reviews(chart, { argoRouting: ArgoRouting.HOST, testerRoutes: testers.slice(0, 1) });
    const objects = expectSound(chart);
    expect(find(objects, 'VirtualService', 'reviews').spec.http[0].route).toEqual([{ destination: { host: 'reviews-canary.shop.svc.cluster.local' } }]);
  });
});

describe('Argo Rollouts canary steps', () => {
  const stepsOf = (plan: CanaryAppProps['plan']) => strategyOf(synth(c => reviews(c, { plan })), 'reviews').canary.steps;

  test('without a pause, each step waits for a manual promotion', () => {
    expect(stepsOf({ steps: [25, 100] })).toEqual([{ setWeight: 25 }, { pause: {} }, { setWeight: 100 }]);
  });

  test('a last step below 100 is held too, before Argo completes the release', () => {
    expect(stepsOf({ steps: [50], pause: Duration.minutes(10) })).toEqual([{ setWeight: 50 }, { pause: { duration: '600s' } }]);
  });

  test('without a plan, the Rollout promotes at once', () => {
    const objs = synth(c => reviews(c, { plan: undefined }));
    expect(strategyOf(objs, 'reviews').canary.steps).toEqual([]);
    expectValidManifests(objs);
  });

  test('without a canary, the Rollout runs the stable version', () => {
    const objs = synth(c => reviews(c, { canary: undefined }));
    expect(find(objs, 'Rollout', 'reviews').spec.template.metadata.labels).toEqual({ app: 'reviews', version: 'v1' });
    expect(find(objs, 'Rollout', 'reviews').spec.replicas).toBe(2);
  });
});

describe('Argo Rollouts analysis', () => {
  const analysis = {
    interval: Duration.minutes(2), minSuccessRate: 95, maxRequestDuration: Duration.millis(300), failureLimit: 3,
    prometheusAddress: 'http://prometheus.monitoring:9090',
  };
  const chart = newChart();
  reviews(chart, { plan: { steps: [10, 100], analysis } });
  const objects = expectSound(chart);
  const labels = 'reporter="source", destination_service="{{args.service}}.{{args.namespace}}.svc.cluster.local", destination_version="{{args.version}}"';

  test('an AnalysisTemplate comes first, with Istio\'s success rate and p99 latency of the new version\'s pods', () => {
    expect(kinds(objects)).toEqual(['AnalysisTemplate', 'Rollout', 'Service', 'DestinationRule', 'VirtualService']);
    const spec = find(objects, 'AnalysisTemplate', 'reviews').spec;
    expect(spec.args).toEqual([{ name: 'service' }, { name: 'namespace' }, { name: 'version' }]);
    const common = { interval: '120s', initialDelay: '120s', failureLimit: 2 };
    const prometheus = (query: string) => ({ prometheus: { address: 'http://prometheus.monitoring:9090', query } });
    expect(spec.metrics).toEqual([
      {
        name: 'success-rate', ...common,
        successCondition: 'len(result) > 0 && result[0] >= 95',
        failureCondition: 'len(result) > 0 && result[0] < 95',
        provider: prometheus(`100 * sum(rate(istio_requests_total{${labels}, response_code!~"5.*"}[120s])) / sum(rate(istio_requests_total{${labels}}[120s]))`),
      },
      {
        name: 'request-duration', ...common,
        successCondition: 'len(result) > 0 && result[0] <= 300',
        failureCondition: 'len(result) > 0 && result[0] > 300',
        provider: prometheus(`histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${labels}}[120s])))`),
      },
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('runs in the background from the second step, on the canary\'s traffic to the app\'s Service', () => {
    expect(strategyOf(objects, 'reviews').canary.analysis).toEqual({
      templates: [{ templateName: 'reviews' }],
      startingStep: 1,
      args: [
        { name: 'service', value: 'reviews' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'version', value: 'v2' },
      ],
    });
  });

  test('with host-level routing, measures the traffic to the canary Service', () => {
    const objs = synth(c => reviews(c, { argoRouting: ArgoRouting.HOST, plan: { steps: [10, 100], analysis: {} } }));
    expect(strategyOf(objs, 'reviews').canary.analysis.args[0]).toEqual({ name: 'service', value: 'reviews-canary' });
  });

  test('the rate window spans at least a minute, for two of Prometheus\'s scrapes', () => {
    const objs = synth(c => reviews(c, { plan: { steps: [10, 100], analysis: { interval: Duration.seconds(20) } } }));
    const metric = find(objs, 'AnalysisTemplate', 'reviews').spec.metrics[0];
    expect([metric.interval, metric.initialDelay, metric.provider.prometheus.query]).toEqual(['20s', '60s', expect.stringContaining('[60s]')]);
  });
});

describe('Argo Rollouts canary on several ports', () => {
  const chart = newChart();
  reviews(chart, {
    argoRouting: ArgoRouting.HOST,
    additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }, { port: 7000, protocol: Protocol.TCP }],
    gateway,
    hosts: ['reviews.example.com'],
  });
  const objects = expectSound(chart);

  test('lets Argo edit every weighted route: the gateway\'s and the mesh\'s HTTP routes and the TCP route by port', () => {
    expect(strategyOf(objects, 'reviews').canary.trafficRouting.istio.virtualService).toEqual({
      name: 'reviews', routes: ['primary-gateway', 'primary'], tcpRoutes: [{ port: 7000 }],
    });
    expect(find(objects, 'VirtualService', 'reviews').spec.tcp[0].route).toEqual([
      { destination: { host: 'reviews-stable.shop.svc.cluster.local', port: { number: 7000 } }, weight: 100 },
      { destination: { host: 'reviews-canary.shop.svc.cluster.local', port: { number: 7000 } }, weight: 0 },
    ]);
  });
});

describe('Argo Rollouts workload policies', () => {
  const chart = newChart();
  reviews(chart, { autoscaling: { maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(1), mtls: true });
  const objects = expectSound(chart);

  test('one autoscaler and one budget, for the Rollout, which leaves its replicas to the autoscaler', () => {
    expect(kinds(objects)).toEqual(['Rollout', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Service', 'DestinationRule', 'VirtualService', 'PeerAuthentication']);
    expect(find(objects, 'Rollout', 'reviews').spec.replicas).toBeUndefined();
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'reviews').spec;
    expect([hpa.scaleTargetRef, hpa.minReplicas, hpa.maxReplicas]).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'reviews' }, 3, 6]);
    expect(find(objects, 'PodDisruptionBudget', 'reviews').spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'reviews' } } });
    expect(find(objects, 'PeerAuthentication', 'reviews').spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
  });
});

describe('Argo Rollouts blue/green', () => {
  const chart = newChart();
  const app = web(chart, {
    gateway,
    hosts: ['web.example.com'],
    preview: { header: 'x-preview' },
    plan: { analysis: {}, autoPromotion: true, scaleDownDelay: Duration.minutes(5), iterations: 5 },
  });
  const objects = expectSound(chart);

  test('emits the analysis, the Rollout, the active and preview Services, and routes to the active Service\'s host', () => {
    expect(kinds(objects)).toEqual(['AnalysisTemplate', 'Rollout', 'Service', 'Service', 'VirtualService']);
    expect(app.deployments).toEqual([]);
    for (const name of ['web', 'web-preview']) expect(find(objects, 'Service', name).spec.selector).toEqual({ app: 'web' });
    expect(objects).toMatchSnapshot();
  });

  test('the Rollout runs the active colour\'s version and carries out the switch after its analysis of the preview', () => {
    const rollout = find(objects, 'Rollout', 'web');
    expect(rollout.spec.template.metadata.labels).toEqual({ app: 'web', version: '1.1' });
    expect(rollout.spec.strategy).toEqual({
      blueGreen: {
        activeService: 'web',
        previewService: 'web-preview',
        autoPromotionEnabled: true,
        scaleDownDelaySeconds: 300,
        prePromotionAnalysis: {
          templates: [{ templateName: 'web' }],
          args: [
            { name: 'service', value: 'web-preview' },
            { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'version', value: '1.1' },
          ],
        },
      },
    });
  });

  test('the pre-promotion analysis ends after plan.iterations checks', () => {
    expect(find(objects, 'AnalysisTemplate', 'web').spec.metrics.map((m: Manifest) => m.count)).toEqual([5, 5]);
  });

  test('the preview header goes to the preview Service, everyone else to the active one, without subsets', () => {
    expect(find(objects, 'VirtualService', 'web').spec.http).toEqual([
      { name: 'preview-header', match: [{ headers: { 'x-preview': { exact: 'true' } } }], route: [{ destination: { host: 'web-preview.shop.svc.cluster.local' } }] },
      { name: 'primary', route: [{ destination: { host: 'web.shop.svc.cluster.local' } }] },
    ]);
  });

  test('by default waits for a manual promotion, and without a gateway or preview routes needs no VirtualService', () => {
    const chart2 = newChart();
    web(chart2);
    const objs = expectSound(chart2);
    expect(kinds(objs)).toEqual(['Rollout', 'Service', 'Service']);
    expect(strategyOf(objs, 'web')).toEqual({
      blueGreen: { activeService: 'web', previewService: 'web-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 30 },
    });
  });

  test('the cutover mode changes nothing: Argo switches the Service selectors either way', () => {
    const selector = synth(c => web(c, { cutover: CutoverMode.SERVICE_SELECTOR }));
    expect(selector).toEqual(synth(c => web(c)));
  });
});

describe('Argo Rollouts canary with a mirror', () => {
  const chart = newChart();
  reviews(chart, { mirror: { to: RouteTarget.canary(), percentage: 20 } });
  const objects = expectSound(chart);
  const canary = strategyOf(objects, 'reviews').canary;

  test('mirrors as a step of its own through a managed route, held like the others, then removes it before the first weight', () => {
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 20 } },
      { setMirrorRoute: { name: 'mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: { duration: '300s' } },
      { setMirrorRoute: { name: 'mirror' } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 10 }, { pause: { duration: '300s' } }, { setWeight: 50 }, { pause: { duration: '300s' } }, { setWeight: 100 },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'mirror' }]);
  });

  test('scales the canary for the mirror\'s share first: before its first weight, Argo gives it no pod', () => {
    expect(canary.steps[0]).toEqual({ setCanaryScale: { weight: 20 } });
    const none = synth(c => reviews(c, { mirror: { to: RouteTarget.canary(), percentage: 0 } }));
    expect(strategyOf(none, 'reviews').canary.steps[0]).toEqual({ setCanaryScale: { weight: 1 } });
  });

  test('leaves the canary\'s own scale to plan.argo.canaryScale, which holds from the first step', () => {
    const objs = synth(c => reviews(c, { mirror: { to: RouteTarget.canary() }, plan: { steps: [10, 100], argo: { canaryScale: CanaryScale.replicas(2) } } }));
    expect(strategyOf(objs, 'reviews').canary.steps.map((step: Manifest) => Object.keys(step)[0])).toEqual([
      'setCanaryScale', 'setMirrorRoute', 'pause', 'setMirrorRoute', 'setWeight', 'pause', 'setCanaryScale', 'setWeight',
    ]);
  });

  test('starts the background analysis after the first weight, not during the mirror', () => {
    const objs = synth(c => reviews(c, { mirror: { to: RouteTarget.canary(), percentage: 20 }, plan: { steps: [10, 100], analysis: {} } }));
    const strategy = strategyOf(objs, 'reviews').canary;
    expect(strategy.steps[strategy.analysis.startingStep - 1]).toEqual({ setWeight: 10 });
    expect(strategy.analysis.startingStep).toBe(6);
  });

  test('writes no static mirror: the canary role holds the stable pods between releases', () => {
    expect(find(objects, 'VirtualService', 'reviews').spec.http.map((r: Manifest) => r.mirror)).toEqual([undefined]);
  });

  test('takes its own pause from plan.argo.pauses, the first of them', () => {
    const objs = synth(c => reviews(c, { mirror: { to: RouteTarget.canary() }, plan: {
      steps: [10, 100], argo: { pauses: [StepPause.of(Duration.minutes(1)), StepPause.untilPromoted()] },
    } }));
    expect(strategyOf(objs, 'reviews').canary.steps.slice(0, 7)).toEqual([
      { setCanaryScale: { weight: 100 } },
      { setMirrorRoute: { name: 'mirror', percentage: 100, match: [{ path: { prefix: '/' } }] } }, { pause: { duration: '60s' } },
      { setMirrorRoute: { name: 'mirror' } }, { setCanaryScale: { matchTrafficWeight: true } }, { setWeight: 10 }, { pause: {} },
    ]);
  });

  test('fails when plan.argo.pauses leaves out the mirror\'s pause', () => {
    expect(() => reviews(newChart(), { mirror: { to: RouteTarget.canary() }, plan: { steps: [10, 100], argo: { pauses: [StepPause.untilPromoted()] } } })).toThrow(
      'test/Reviews: plan.argo.pauses must list one pause for each step below 100, the mirror first, 2 (["mirror",10]), in order, got 1; give 2 pauses');
  });
});

describe('Argo Rollouts refuses what a Rollout cannot carry', () => {
  const tester = { when: [RouteMatch.header('x-tester', StringMatch.exact('yes'))], to: RouteTarget.canary(), name: 'testers' };
  const roundRobin = { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) };
  const ROLES = 'which Argo Rollouts does not keep: its roles change pods at every release';
  const GO_DURATION = 'must be at most 9223372036 seconds, the longest duration Argo Rollouts reads (Go\'s time.Duration), got "9223372037s"; use e.g. Duration.minutes(5)';

  /** What a canary's Rollout can't carry: the props, and the whole message, which the construct and the resolve step alike give. */
  const canaries: [string, Partial<CanaryAppProps>, string][] = [
    ['requests are mirrored to the stable version', { mirror: { to: RouteTarget.stable(), percentage: 20 } },
      'mirror.to already takes 100% of traffic, so the copies would go where the requests go, got "RouteTarget.stable()"; mirror to a version that takes no traffic, such as the canary at 0%'],
    ['a mirror percentage is not whole', { mirror: { to: RouteTarget.canary(), percentage: 0.5 } },
      'mirror.percentage must be a whole percentage for Argo\'s setMirrorRoute, got 0.5; use e.g. 20'],
    ['a mirror has no step to begin', { mirror: { to: RouteTarget.canary() }, plan: { steps: [100] } },
      'mirror runs as a step of its own before the first weight, and the plan has no step to begin, got {"percentage":100}; give plan.steps, e.g. [10, 50, 100]'],
    ['a mirror comes with tester routes', { mirror: { to: RouteTarget.canary() }, testerRoutes: [tester] },
      'mirror goes ahead of the testerRoutes in Argo\'s managed route, which would send their requests to the stable version while it mirrors, got ["testers"]; '
      + 'leave mirror or testerRoutes out'],
    ['a mirror comes with several HTTP ports', { mirror: { to: RouteTarget.canary() }, additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }] },
      'mirror matches no port in Argo\'s managed route, and the app has several HTTP ports, whose requests it would all take, got ["http","grpc-9090"]; '
      + 'leave mirror out, or keep one HTTP port'],
    ['sessions are sticky', { stickySessions: {} },
      `stickySessions pin users to one version's subset, ${ROLES}, got {"cookieName":"reviews-version","maxAgeSeconds":3600}; leave stickySessions out`],
    ['a version has its own trafficPolicy', { canary: { ...v2, trafficPolicy: roundRobin } },
      'canary.trafficPolicy applies to one version\'s subset, and under Argo Rollouts the subsets are roles that change versions at every release, '
      + 'got {"loadBalancer":{"simple":"ROUND_ROBIN"}}; set the app\'s trafficPolicy instead'],
    ['host-level routing has a trafficPolicy', { argoRouting: ArgoRouting.HOST, trafficPolicy: roundRobin },
      'trafficPolicy needs a DestinationRule, and argoRouting ArgoRouting.HOST has none, got {"loadBalancer":{"simple":"ROUND_ROBIN"}}; '
      + 'use ArgoRouting.SUBSET, or leave trafficPolicy out'],
    ['canaryWeight is set', { plan: undefined, canaryWeight: 20 },
      'canaryWeight is set by controller argo-rollouts at each step of the plan, got 20; leave canaryWeight out and list the weights in plan.steps'],
    ['the released version runs no pods', { canary: { ...v2, replicas: 0 } },
      'canary.replicas must be above 0: controller argo-rollouts runs the app\'s pods at the replicas of the version it rolls out, got 0; use e.g. 2'],
    ['the analysis runs a load test', { plan: { steps: [10, 100], analysis: { loadTestCommand: 'hey -z 1m http://reviews/' } } },
      'plan.analysis.loadTestCommand runs in Flagger\'s load tester, which Argo Rollouts has no counterpart of, got "hey -z 1m http://reviews/"; '
      + 'leave it out and send the new version traffic yourself'],
    ['the plan configures Flagger', { plan: { steps: [10, 100], flagger: { progressDeadline: Duration.minutes(5) } } },
      'plan.flagger configures Flagger, and the controller is Argo Rollouts, got {"progressDeadlineSeconds":300}; leave plan.flagger out'],
    ['the analysis has no step below 100 to measure', { plan: { steps: [100], analysis: {} } },
      'plan.analysis needs a step below 100, where the canary is measured before it takes all traffic, got [100]; add a step such as 10 before 100'],
    ['the Gateway API routes', { trafficApi: TrafficApi.GATEWAY_API },
      'trafficApi must be TrafficApi.ISTIO with controller argo-rollouts, which moves traffic in Istio VirtualServices, got "gateway-api"; leave trafficApi out'],
    ['a role Service would be too long a name', { name: 'r'.repeat(57), argoRouting: ArgoRouting.HOST },
      `name needs a Service named "${'r'.repeat(57)}-stable" for Argo Rollouts, longer than 63 characters, got "${'r'.repeat(57)}"; shorten the app name to 56 characters or fewer`],
    ['a pause is longer than Go\'s durations', { plan: { steps: [10, 100], pause: Duration.seconds(9_223_372_037) } }, `plan.pause ${GO_DURATION}`],
    ['an analysis interval is longer than Go\'s durations', { plan: { steps: [10, 100], analysis: { interval: Duration.seconds(9_223_372_037) } } },
      `plan.analysis.interval ${GO_DURATION}`],
  ];

  /** What a blue/green's Rollout can't carry. */
  const blueGreens: [string, Partial<BlueGreenAppProps>, string][] = [
    ['a blue/green has a trafficPolicy', { trafficPolicy: roundRobin },
      'trafficPolicy needs a DestinationRule, and Argo Rollouts\' blue/green has none: it switches Services, got {"loadBalancer":{"simple":"ROUND_ROBIN"}}; leave trafficPolicy out'],
    ['a tester route goes to the idle colour', { testerRoutes: [{ ...tester, to: RouteTarget.idle() }] },
      'testerRoutes route to one colour\'s subset, and Argo Rollouts\' blue/green has none: it switches Services, got "testers"; reach the new version through preview instead'],
    ['the preview Service would be too long a name', { name: 'w'.repeat(56) },
      `name needs a Service named "${'w'.repeat(56)}-preview" for Argo Rollouts, longer than 63 characters, got "${'w'.repeat(56)}"; shorten the app name to 55 characters or fewer`],
    ['the scale-down delay is more than an int32 holds', { plan: { scaleDownDelay: Duration.seconds(2 ** 31) } },
      'plan.scaleDownDelay must be at most 2147483647 seconds, the most Argo Rollouts\' scaleDownDelaySeconds holds (int32), got "2147483648s"; use e.g. Duration.minutes(5)'],
    ['a blue/green checks fewer times than its failure limit allows failures', { plan: { iterations: 2, analysis: { failureLimit: 4 } } },
      'plan.iterations must run at least plan.analysis.failureLimit (4) checks: with fewer, Argo Rollouts passes the analysis though every check fails, '
      + 'got 2; use iterations: 4, or lower plan.analysis.failureLimit'],
    ['a blue/green mirrors', { mirror: { to: RouteTarget.version('1.1') } },
      'mirror can\'t be carried: Argo Rollouts mirrors only in a canary\'s steps (setMirrorRoute), and its blue/green has none, got {"percentage":100}; '
      + 'leave mirror out, and test the new colour through preview'],
    ['istioApiVersion is given and nothing needs a VirtualService', { istioApiVersion: IstioApiVersion.V1BETA1 },
      'istioApiVersion sets the version of the Istio objects, and with controller argo-rollouts and trafficApi istio this app emits none, got "v1beta1"; leave it out'],
  ];

  test.each(canaries)('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props)).toThrow(`test/Reviews: ${message}`);
  });

  test.each(canaries)('fails when %s, in the resolve step, before any object is made', (_, props, message) => {
    const at = unbuilt('Reviews');
    expect(() => resolveCanary(at, reviewsProps(props))).toThrow(`test/Reviews: ${message}`);
    expect(at.node.children).toEqual([]);
  });

  test.each(blueGreens)('fails when %s', (_, props, message) => {
    expect(() => web(newChart(), props)).toThrow(`test/Web: ${message}`);
  });

  test.each(blueGreens)('fails when %s, in the resolve step, before any object is made', (_, props, message) => {
    const at = unbuilt('Web');
    expect(() => resolveBlueGreen(at, webProps(props))).toThrow(`test/Web: ${message}`);
    expect(at.node.children).toEqual([]);
  });

  test.each<[string, () => BlueGreenApp | CanaryApp]>([
    ['role Services of 63 characters', () => reviews(newChart(), { name: 'r'.repeat(56), argoRouting: ArgoRouting.HOST })],
    ['a preview Service of 63 characters', () => web(newChart(), { name: 'w'.repeat(55) })],
    ['an app name of 63 characters, with subsets and no role Services', () => reviews(newChart(), { name: 'r'.repeat(63) })],
    ['a scale-down delay of 2147483647 seconds', () => web(newChart(), { plan: { scaleDownDelay: Duration.seconds(2 ** 31 - 1) } })],
    ['a pause and an analysis interval of 9223372036 seconds', () => reviews(newChart(), {
      plan: { steps: [10, 100], pause: Duration.seconds(9_223_372_036), analysis: { interval: Duration.seconds(9_223_372_036) } },
    })],
    ['istioApiVersion, with a preview that needs a VirtualService', () => web(newChart(), { istioApiVersion: IstioApiVersion.V1BETA1, preview: { header: 'x-preview' } })],
  ])('takes %s, and the objects stay within the CRDs\' bounds', (_, build) => {
    const app = build();
    expectSound(Chart.of(app));
  });
});

describe('Argo Rollouts: what the resolve step accepts, the renderer renders without a refusal', () => {
  const tester = (to: RouteTarget) => [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to }];
  const props = fc.record({
    blueGreen: fc.boolean(),
    name: mostly(['reviews', 'r'.repeat(55)], ['r'.repeat(57)]),
    argoRouting: fc.constantFrom(ArgoRouting.SUBSET, ArgoRouting.HOST),
    steps: mostly([[10, 50, 100], [25]], [[100]]),
    pause: none(mostly([Duration.seconds(30)], [Duration.seconds(9_223_372_037)])),
    analysis: none(mostly<AnalysisOptions>([{}, { interval: Duration.seconds(30) }], [{ loadTestCommand: 'hey http://reviews/' }])),
    scaleDownDelay: none(mostly([Duration.seconds(60)], [Duration.seconds(2 ** 31)])),
    gateway: fc.boolean(),
    preview: none(fc.constant({ header: 'x-preview' })),
    testers: mostly([false], [true]),
    trafficPolicy: mostly<TrafficPolicy | undefined>([undefined], [{ loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) }]),
    mirror: mostly([false], [true]),
    mtls: fc.boolean(),
    istioApiVersion: none(fc.constant(IstioApiVersion.V1BETA1)),
    replicas: mostly([2], [0]),
    additionalPorts: none(fc.constant<AppPortOptions[]>([{ port: 5432, protocol: Protocol.TCP }])),
  });
  type Props = typeof props extends fc.Arbitrary<infer P> ? P : never;

  /** The release the props make at `at`, with `istioApiVersion` as given. */
  const resolve = (at: Construct, p: Props, istioApiVersion: IstioApiVersion | undefined) => {
    const common = {
      name: p.name, gateway: p.gateway ? gateway : undefined, hosts: p.gateway ? ['reviews.example.com'] : undefined, trafficPolicy: p.trafficPolicy,
      mtls: p.mtls, istioApiVersion, additionalPorts: p.additionalPorts, controller: ARGO,
    };
    return p.blueGreen
      ? resolveBlueGreen(at, webProps({
        ...common, preview: p.preview, testerRoutes: p.testers ? tester(RouteTarget.idle()) : undefined,
        green: { image: 'web:1.1', version: '1.1', replicas: p.replicas },
        plan: { analysis: p.analysis, scaleDownDelay: p.scaleDownDelay },
      })).release
      : resolveCanary(at, reviewsProps({
        ...common, argoRouting: p.argoRouting, testerRoutes: p.testers ? tester(RouteTarget.canary()) : undefined,
        canary: { ...v2, replicas: p.replicas }, mirror: p.mirror ? { to: RouteTarget.canary() } : undefined,
        plan: { steps: p.steps, pause: p.pause, analysis: p.analysis },
      })).release;
  };

  test('for any props: rendering never refuses, the objects fit the CRDs, and istioApiVersion is refused exactly where no Istio object is emitted', () => {
    const runs = 200;
    let rendered = 0;
    fc.assert(fc.property(props, p => {
      const at = unbuilt('App');
      const model = expectRendersWhatResolves(at, () => resolve(at, p, p.istioApiVersion));
      if (model) rendered++;
      if (p.istioApiVersion !== undefined) expectIstioApiVersionUsed(model, () => resolve(unbuilt('Plain'), p, undefined));
    }), { numRuns: runs });
    expect(rendered).toBeGreaterThan(runs / 8);
  });
});

test('a blue/green that runs as many checks as fail its analysis is taken: the last failure fails it', () => {
  const objs = synth(c => web(c, { plan: { iterations: 4, analysis: { failureLimit: 4 } } }));
  expect(find(objs, 'AnalysisTemplate', 'web').spec.metrics.map((m: Manifest) => [m.count, m.failureLimit])).toEqual([[4, 3], [4, 3]]);
});
