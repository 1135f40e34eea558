import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvValue, ImagePullPolicy } from 'cdk8s-plus-27';
import fc from 'fast-check';
import {
  ArgoRouting, ClientTlsMode, Color, CutoverMode, DisruptionBudget, GatewayTlsMode, IstioApiVersion, LoadBalancer, Protocol, ReleaseController,
  RouteMatch, RouteTarget, SimpleLoadBalancer, StringMatch, TrafficApi, WhenUnsatisfiable,
} from '../../src';

/**
 * Scenarios for the property test in test/fuzz.test.ts: a chart, maybe a gateway, and one or two
 * release apps, with props as a JavaScript caller might pass them. Values are mostly valid, with
 * edge values (port 1 and 65535, 0 replicas) among the valid ones, and sometimes invalid, wrong in
 * type included. Scenarios are data (with the library's value classes, such as RouteTarget, in
 * them), so that fast-check prints and shrinks them; the test turns them into constructs.
 */

/** Props as a caller without types may pass them: any value, in any field. */
export type LooseProps = { readonly [key: string]: unknown };

export type GatewayScenario =
  | { readonly kind: 'none' }
  | { readonly kind: 'construct'; readonly id: string; readonly props: LooseProps }
  | { readonly kind: 'fromName'; readonly ref: unknown };

export interface AppScenario {
  readonly kind: 'blue-green' | 'canary';
  readonly id: string;
  /** Whether the app is bound to the scenario's gateway, when there is one. */
  readonly bound: boolean;
  readonly props: LooseProps;
}

export interface Scenario {
  /** Undefined for a chart without a namespace. */
  readonly chartNamespace?: string;
  /** Declared before the apps, as the README asks. */
  readonly gateway: GatewayScenario;
  readonly apps: readonly AppScenario[];
}

/**
 * Mostly `valid`, and about once in `odds` draws one of `invalid`. Invalid values shrink towards
 * the first one, so list the plainest first; a failure that a valid value also shows shrinks to it.
 */
function mostly(valid: fc.Arbitrary<unknown>, invalid: readonly unknown[], odds = 40): fc.Arbitrary<unknown> {
  return fc.oneof({ withCrossShrink: true },
    { weight: odds - 1, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
}

/** A few fixed values, so that two draws often collide, and random ones for variety. */
function pooled<T>(pool: readonly T[], random: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: random });
}

/** Left out (undefined, which `compact` drops) unless drawn with probability `presence`. */
function optional(arbitrary: fc.Arbitrary<unknown>, presence: number): fc.Arbitrary<unknown> {
  const weight = Math.round(presence * 10);
  return fc.oneof({ withCrossShrink: true },
    { weight: 10 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });
}

/** Drops undefined fields: the constructs read a missing prop and an undefined one alike, and the counterexamples read better. */
function compact(props: LooseProps): LooseProps {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}

/** Props whose every field is `optional` (or always there), without the left-out ones. */
function props(model: { [key: string]: fc.Arbitrary<unknown> }): fc.Arbitrary<LooseProps> {
  return fc.record(model, { noNullPrototype: true }).map(compact);
}

// 'web-x' and 'web-preview' can name the objects of another app ('web' with version 'x-v1', or a preview).
const appName = mostly(
  pooled(['web', 'reviews', 'web-x', 'web-preview', 'a', 'a'.repeat(63)], fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/)),
  ['Web', '2web', 'a'.repeat(64), '', 'web.app', 'web_app', '-web', 'web-', 42, null],
);

/** Construct ids, which name the app when `name` is left out; 'My_App' and '2Fast' make invalid names. */
const appId = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('Web', 'Reviews', 'Backend2', 'Api') },
  { weight: 1, arbitrary: fc.constantFrom('My_App', '2Fast', 'RouteCheck') },
);

const validNamespace = fc.constantFrom('shop', 'prod', 'default', 'istio-system', '1ns', 'n'.repeat(63));

const namespace = mostly(validNamespace, ['Shop', 'n'.repeat(64), '', 'my.ns', 'my_ns', '-ns', 42, null]);

const port = mostly(
  pooled([80, 8080, 9080, 1, 65535], fc.integer({ min: 1, max: 65535 })),
  [0, 65536, -1, 80.5, NaN, Infinity, '80', null],
);

const replicas = mostly(
  fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 1, max: 5 }) }),
  [-1, 1.5, NaN, Infinity, '2', 2 ** 31, null],
);

const weight = mostly(
  pooled([0, 100, 10, 50], fc.integer({ min: 0, max: 100 })),
  [-1, 101, 10.5, NaN, '10', Infinity, null],
);

// Versions that differ only in case or in '.', '_' and '-' give the same name part.
const version = mostly(
  pooled(['v1', 'v2', '1.10', '1_10', '1-10', 'V1', 'x-v1', 'v1.0_rc-1', 'blue', '1.11', 'v'.repeat(63)],
    fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/)),
  ['', 'v'.repeat(64), 'v 1', '-v1', 'v1.', 'v1/2', 42, null],
  50,
);

const image = mostly(
  fc.constantFrom('nginx:1.10', 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', 'reviews', 'NGINX:latest'),
  ['', '   ', 'nginx 1.10', ' nginx', 42, null],
  50,
);

// Istio's CRDs refuse durations under 1ms; a string is what a caller without types might pass.
const duration = mostly(
  fc.constantFrom(Duration.seconds(1), Duration.millis(1500), Duration.minutes(2)),
  [Duration.millis(0), Duration.millis(0.5), '5s'],
);

const percentage = mostly(pooled([0, 100, 10, 0.5], fc.double({ min: 0, max: 100, noNaN: true })), [-1, 101, NaN, '10']);

const routePolicy = props({
  timeout: optional(duration, 0.5),
  retries: optional(props({
    attempts: mostly(fc.integer({ min: 0, max: 5 }), [-1, 1.5, undefined]),
    perTryTimeout: optional(duration, 0.5),
    retryOn: optional(mostly(fc.constantFrom(['5xx'], ['reset', 'connect-failure']), [[], ['5xx', '']]), 0.5),
  }), 0.5),
  fault: optional(props({
    delay: optional(duration, 0.5),
    delayPercentage: optional(percentage, 0.5),
    abortHttpStatus: optional(mostly(fc.constantFrom(503, 500, 200, 599), [600, 199, 503.5]), 0.5),
    abortPercentage: optional(percentage, 0.5),
  }), 0.4),
});

/** Connection and ejection counts; 0 is valid for some of them only. */
const count = mostly(fc.integer({ min: 1, max: 100 }), [0, -1, 1.5]);

const trafficPolicy = props({
  loadBalancer: optional(fc.oneof(
    fc.constantFrom(...Object.values(SimpleLoadBalancer)).map(LoadBalancer.simple),
    fc.constantFrom('x-user', 'X-User', '').map(LoadBalancer.hashHeader),
    fc.constant(LoadBalancer.hashSourceIp()),
    fc.constant(LoadBalancer.hashCookie('user', Duration.hours(1))),
  ), 0.4),
  connectionPool: optional(props({
    maxConnections: optional(count, 0.5),
    connectTimeout: optional(duration, 0.5),
    http1MaxPendingRequests: optional(count, 0.3),
    http2MaxRequests: optional(count, 0.3),
    maxRequestsPerConnection: optional(count, 0.3),
  }), 0.4),
  outlierDetection: optional(props({
    consecutive5xxErrors: optional(count, 0.5),
    interval: optional(duration, 0.5),
    baseEjectionTime: optional(duration, 0.3),
    maxEjectionPercent: optional(mostly(fc.integer({ min: 0, max: 100 }), [101, -1]), 0.3),
  }), 0.4),
  tlsMode: optional(mostly(fc.constantFrom(...Object.values(ClientTlsMode)), ['STRICT', 'istio_mutual']), 0.3),
});

/** cdk8s-plus volumes need a scope, as in a user's chart; this one is never synthesized. */
const volumeScope = new Chart(new App(), 'volumes');
let volumeIds = 0;
const volumeNamed = (name: string) => kplus.Volume.fromEmptyDir(volumeScope, `V${volumeIds++}`, name);

/** Volumes by name, and mounts that mostly name one of them: 'cache' is declared nowhere. */
const volumeNames = fc.uniqueArray(fc.constantFrom('config', 'logs', 'Bad_Name'), { maxLength: 2 });
const volumes = volumeNames.map(names => names.map(volumeNamed));
const volumeMounts = fc.array(fc.record({ name: fc.constantFrom('config', 'logs', 'cache'), path: fc.constantFrom('/etc/app', '/var/log', 'relative') }), { maxLength: 2 })
  .map(mounts => mounts.map(m => ({ volume: volumeNamed(m.name), path: m.path })));

const podLabels = mostly(fc.constantFrom({ team: 'shop' }, { tier: 'api', team: 'shop' }), [{ app: 'other' }, { version: 'v9' }, { 'a b': 'x' }, { team: 1 }, 'team=shop']);
const podAnnotations = mostly(fc.constantFrom({ 'sidecar.istio.io/proxyCPU': '100m' }), [{ a: 1 }, { 'bad key!': 'x' }]);

/** Ports that often collide with the app's (80, 8080) or each other's, and now and then Istio's proxy's. */
const podPort = mostly(pooled([2020, 9090, 80, 8080], fc.integer({ min: 1, max: 65535 })), [15090, 15006, 0, '2020']);

const containerPorts = mostly(fc.array(props({ number: podPort, name: optional(mostly(fc.constantFrom('metrics', 'admin'), ['Metrics_Port']), 0.3) }), { maxLength: 2 }), ['9090']);

const sidecar = props({
  name: mostly(pooled(['agent', 'web', 'reviews'], fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/)), [undefined, 'Agent', 1]),
  image: mostly(fc.constant('agent:1'), ['', undefined]),
  portNumber: optional(podPort, 0.4),
  readiness: optional(mostly(fc.constant(kplus.Probe.fromTcpSocket()), ['/ready']), 0.1),
});

const shutdownDelay = mostly(fc.constantFrom(Duration.seconds(0), Duration.seconds(5), Duration.seconds(20)), [Duration.millis(1500), 5]);
const gracePeriod = mostly(fc.constantFrom(Duration.seconds(10), Duration.seconds(30), Duration.seconds(60)), [Duration.seconds(5), Duration.millis(500)]);

/** Pod settings, each drawn rarely: together they are in about one app in three. */
const podProps = {
  podLabels: optional(podLabels, 0.1),
  podAnnotations: optional(podAnnotations, 0.1),
  volumes: optional(mostly(volumes, ['config']), 0.1),
  volumeMounts: optional(volumeMounts, 0.1),
  extraContainerPorts: optional(containerPorts, 0.05),
  sidecars: optional(mostly(fc.array(sidecar, { maxLength: 2 }), ['agent', [null]]), 0.1),
  initContainers: optional(fc.array(sidecar, { maxLength: 1 }), 0.05),
  createServiceAccount: optional(mostly(fc.boolean(), ['yes']), 0.05),
  serviceAccount: optional(mostly(fc.constantFrom({ name: 'shop-api' }), [{ name: 'Shop_API' }, 'shop-api']), 0.05),
  shutdownDelay: optional(shutdownDelay, 0.1),
  terminationGracePeriod: optional(gracePeriod, 0.1),
  nodeSelector: optional(mostly(fc.constantFrom({ 'kubernetes.io/arch': 'amd64' }), [{ 'a b': 'x' }]), 0.05),
  tolerations: optional(mostly(fc.constant([kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot'))]), [[{ key: 'spot' }]]), 0.05),
  topologySpread: optional(mostly(
    fc.constantFrom([{ topology: kplus.Topology.ZONE }], [{ topology: kplus.Topology.HOSTNAME, maxSkew: 2, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE }]),
    [[{ topology: 'zone' }], [{ topology: kplus.Topology.ZONE, maxSkew: 0 }]],
  ), 0.05),
  priorityClassName: optional(mostly(fc.constant('high-priority'), ['High']), 0.03),
};

/** Image and version are required: the odd missing one comes from `mostly`'s undefined. */
const versionProps = props({
  image: mostly(image, [undefined], 100),
  version: mostly(version, [undefined], 100),
  replicas: optional(replicas, 0.3),
  imagePullPolicy: optional(mostly(fc.constantFrom(...Object.values(ImagePullPolicy)), ['Sometimes', 'always']), 0.1),
  routePolicy: optional(routePolicy, 0.05),
  trafficPolicy: optional(trafficPolicy, 0.05),
  env: optional(mostly(fc.constant({ LOG_LEVEL: EnvValue.fromValue('debug') }), [{ '1MODE': EnvValue.fromValue('x') }]), 0.05),
  podLabels: optional(podLabels, 0.05),
  podAnnotations: optional(podAnnotations, 0.05),
  volumes: optional(volumes, 0.05),
  volumeMounts: optional(volumeMounts, 0.05),
  extraContainerPorts: optional(containerPorts, 0.03),
});

/** A version the app cannot do without, which a caller without types may still leave out. */
const requiredVersion = mostly(versionProps, [undefined, null, 'nginx:1.10'], 100);

const hostPool = [
  'shop.example.com', 'a.example.com', '*.example.com', 'example.com', 'other.org', '*.org', 'web.shop.svc.cluster.local',
];

/** A name without a dot: a gateway may serve it, and an app's VirtualService would take it as a Service. */
const shortHost = 'web';

const badHosts = ['', 'Shop.example.com', 'a..b', 'x.com.', 'edge/shop.example.com', `${'a'.repeat(64)}.com`, '*.*.com', 42];

/** Any hosts of an app: '*', which a gateway may serve, is refused for apps, and '*.svc.cluster.local' covers their Service host. */
const anyAppHosts = mostly(
  fc.array(mostly(fc.constantFrom(...hostPool), ['*', '*.svc.cluster.local', shortHost, ...badHosts]), { minLength: 1, maxLength: 3 }),
  [[], 'shop.example.com', null],
);

/**
 * Gateway hosts, which the apps' hosts default to: overlapping ones ('*.example.com', 'a.example.com')
 * included, and now and then '*', which the apps may not default to.
 */
const gatewayHosts = mostly(
  fc.array(mostly(mostly(fc.constantFrom(...hostPool), ['*', shortHost], 12), badHosts), { minLength: 1, maxLength: 3 }),
  [[], 'shop.example.com', 42, undefined],
);

/** Hosts that a gateway serving `served` admits: some of those, or names below its wildcards. */
function servedHosts(served: readonly string[]): fc.Arbitrary<unknown> {
  const exact = served.filter(h => !h.startsWith('*'));
  const below = served.filter(h => h.startsWith('*')).map(h => (h === '*' ? '.example.com' : h.slice(1)));
  const arbitraries = [
    ...exact.length > 0 ? [fc.subarray(exact, { minLength: 1 })] : [],
    ...below.length > 0 ? [fc.tuple(fc.constantFrom('a', 'shop', 'x-1'), fc.constantFrom(...below)).map(([l, domain]) => [l + domain])] : [],
  ];
  return arbitraries.length > 0 ? fc.oneof(...arbitraries) : anyAppHosts;
}

/** An app's hosts, in proportions that suit its gateway: left out without one, mostly given for `fromName`. */
function hostsFor(gateway: GatewayShape): fc.Arbitrary<unknown> {
  switch (gateway.kind) {
    case 'none':
      return optional(anyAppHosts, 0.03);
    case 'fromName':
      return optional(anyAppHosts, 0.9);
    case 'construct': {
      const served = gateway.hosts;
      const valid = Array.isArray(served) ? served.filter((h): h is string => typeof h === 'string') : [];
      return fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: servedHosts(valid) },
        { weight: 1, arbitrary: anyAppHosts },
      );
    }
  }
}

/** Who carries out the release, when something other than Git does. */
const controller = mostly(fc.constantFrom(ReleaseController.ARGO_ROLLOUTS, ReleaseController.FLAGGER, ReleaseController.NONE), ['argo', '', 1]);

const protocol = mostly(fc.constantFrom(...Object.values(Protocol)), ['HTTP', 'udp', 'https', '', 42]);

const istioApiVersion = mostly(fc.constantFrom(...Object.values(IstioApiVersion)), ['v2', 'v1alpha3', 'V1', '', 42]);

const selector = mostly(
  fc.constantFrom({ istio: 'ingressgateway' }, { app: 'edge-gateway' }, { 'istio.io/gateway-name': 'public' }),
  [{}, { istio: 42 }, { 'bad key': 'x' }, { istio: 'Bad Value!' }, 'istio=ingressgateway', null],
);

const gatewayName = mostly(
  fc.constantFrom('public-gateway', 'gw.v1', `${'g'.repeat(63)}.${'g'.repeat(63)}`),
  ['GW', '', 'gw_1', '-gw', 'g'.repeat(64), 42, null],
);

const gatewayRef = mostly(
  fc.constantFrom('istio-system/public-gateway', 'edge/gw.v1', 'shop/app-gateway'),
  ['public-gateway', 'a/b/c', '/gw', 'ns/', 'NS/gw', 'ns/GW', '', 42, undefined],
  10,
);

/**
 * What the apps' hosts depend on: the gateway's kind and hosts. The rest of the gateway is drawn
 * apart from it, so that fast-check can shrink it without drawing the apps again.
 */
interface GatewayShape {
  readonly kind: GatewayScenario['kind'];
  readonly hosts?: unknown;
}

const gatewayShape: fc.Arbitrary<GatewayShape> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 4, arbitrary: gatewayHosts.map(hosts => ({ kind: 'construct' as const, hosts })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'fromName' as const }) },
);

const gatewayTls = props({
  credentialName: mostly(fc.constantFrom('shop-cert', 'cert.v1'), ['', 'Bad_Cert', 42, undefined]),
  mode: optional(mostly(fc.constantFrom(...Object.values(GatewayTlsMode)), ['PASSTHROUGH', 'simple']), 0.3),
  port: optional(port, 0.3),
  redirectHttp: optional(fc.boolean(), 0.3),
});

const additionalServer = props({
  hosts: gatewayHosts,
  port: optional(port, 0.5),
  tls: optional(gatewayTls, 0.3),
});

/** The gateway besides its shape: a construct id, a `fromName` ref and props, of which its kind picks. */
interface GatewayRest {
  readonly id: string;
  readonly ref: unknown;
  readonly props: LooseProps;
}

const gatewayRest: fc.Arbitrary<GatewayRest> = fc.record({
  id: fc.constantFrom('Gateway', 'PublicGateway'),
  ref: gatewayRef,
  props: props({
    name: optional(gatewayName, 0.4),
    namespace: optional(namespace, 0.4),
    selector: optional(selector, 0.4),
    port: optional(port, 0.4),
    istioApiVersion: optional(istioApiVersion, 0.3),
    tls: optional(gatewayTls, 0.15),
    additionalServers: optional(fc.array(additionalServer, { minLength: 1, maxLength: 2 }), 0.1),
  }),
}, { noNullPrototype: true });

function gatewayOf(shape: GatewayShape, rest: GatewayRest): GatewayScenario {
  switch (shape.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fromName':
      return { kind: 'fromName', ref: rest.ref };
    case 'construct':
      return { kind: 'construct', id: rest.id, props: compact({ hosts: shape.hosts, ...rest.props }) };
  }
}

const stringMatch = fc.oneof(
  fc.constantFrom('yes', '', 'Yes').map(StringMatch.exact),
  fc.constant(StringMatch.prefix('qa-')),
  fc.constantFrom('^qa-.*$', '[').map(StringMatch.regex),
);

const routeMatch = fc.oneof(
  fc.tuple(fc.constantFrom('x-tester', 'X-Tester', ''), stringMatch).map(([name, value]) => RouteMatch.header(name, value)),
  fc.constantFrom('tester', 'a;b').map(name => RouteMatch.cookie(name, 'yes')),
  stringMatch.map(value => RouteMatch.queryParam('canary', value)),
  fc.constantFrom<{ [key: string]: string }>({ app: 'qa-runner' }, {}).map(RouteMatch.sourceLabels),
);

/** Roles mostly, because a version drawn here seldom is one the app has. */
const routeTarget = mostly(fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(RouteTarget.stable(), RouteTarget.canary(), RouteTarget.idle()) },
  { weight: 1, arbitrary: fc.constantFrom('v1', 'v2', '1.10', 'missing').map(RouteTarget.version) },
), ['v1', null]);

const testerRoute = props({
  when: mostly(fc.array(routeMatch, { minLength: 1, maxLength: 2 }), [[], undefined]),
  to: routeTarget,
  name: optional(mostly(fc.constantFrom('testers', 'qa'), ['primary', '', 'Bad Name']), 0.3),
});

const mirror = props({ to: routeTarget, percentage: optional(percentage, 0.5) });

const stickySessions = props({
  cookieName: optional(mostly(fc.constantFrom('version', 'web-version'), ['', 'bad cookie', 'a;b']), 0.4),
  maxAge: optional(duration, 0.4),
});

/** A port name must start with its protocol: a drawn '-suffix' becomes `<protocol>-suffix`, other names stay as drawn. */
function namedAfterProtocol(options: LooseProps): LooseProps {
  const { name, protocol } = options;
  return typeof name === 'string' && name.startsWith('-') ? { ...options, name: `${protocol ?? Protocol.HTTP}${name}` } : options;
}

const additionalPort = props({
  port,
  containerPort: optional(port, 0.3),
  protocol: optional(protocol, 0.5),
  name: optional(mostly(fc.constantFrom('-admin', '-x'), ['HTTP', 'http_x', 'admin', 'grpc', 'http-'.padEnd(16, 'x')]), 0.4),
}).map(namedAfterProtocol);

const disruptionBudget = mostly(
  fc.oneof(
    fc.integer({ min: 0, max: 3 }).map(DisruptionBudget.minAvailable),
    fc.integer({ min: 0, max: 3 }).map(DisruptionBudget.maxUnavailable),
    fc.integer({ min: 0, max: 100 }).map(DisruptionBudget.minAvailablePercent),
    fc.integer({ min: 0, max: 100 }).map(DisruptionBudget.maxUnavailablePercent),
  ),
  [DisruptionBudget.minAvailable(-1), DisruptionBudget.maxUnavailablePercent(101), DisruptionBudget.minAvailable(1.5), 'minAvailable'],
);

const autoscaling = props({
  maxReplicas: mostly(fc.integer({ min: 1, max: 10 }), [0, -1, 1.5, 2 ** 31, undefined]),
  cpuUtilization: optional(mostly(fc.constantFrom(80, 1, 150), [0, -1, 50.5]), 0.5),
});

/** Props that the routing features add to both apps, each in a few charts. */
const routingProps = {
  testerRoutes: optional(fc.array(testerRoute, { minLength: 1, maxLength: 2 }), 0.08),
  mirror: optional(mirror, 0.05),
  routePolicy: optional(routePolicy, 0.08),
  trafficPolicy: optional(trafficPolicy, 0.08),
  stickySessions: optional(stickySessions, 0.08),
  additionalPorts: optional(fc.array(additionalPort, { minLength: 1, maxLength: 2 }), 0.08),
  mtls: optional(mostly(fc.boolean(), ['yes']), 0.08),
  disruptionBudget: optional(disruptionBudget, 0.08),
  autoscaling: optional(autoscaling, 0.08),
};

const preview = props({
  header: optional(mostly(fc.constantFrom('x-preview'), ['X-Preview', 'x preview', '']), 0.5),
  headerValue: optional(mostly(fc.constantFrom('true', 'yes'), ['', 42]), 0.3),
  host: optional(mostly(fc.constantFrom('preview.example.com', ...hostPool), ['*', ...badHosts]), 0.5),
});


const risingSteps = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }).map(weights => [...weights].sort((a, b) => a - b));

const analysis = props({
  interval: optional(duration, 0.3),
  minSuccessRate: optional(mostly(fc.constantFrom(99, 95, 99.5), [150, -1, '99']), 0.5),
  maxRequestDuration: optional(duration, 0.3),
  failureLimit: optional(mostly(fc.integer({ min: 1, max: 5 }), [0, 1.5]), 0.3),
  loadTestCommand: optional(mostly(fc.constant('hey -z 1m -q 10 -c 2 http://web-canary.shop/'), ['']), 0.4),
});

const canaryPlan = props({
  steps: optional(mostly(pooled([[10, 25, 50, 100], [50]], risingSteps), [[], [50, 10], [10, 150], 'ten']), 0.85),
  linear: optional(props({
    stepWeight: mostly(fc.constantFrom(10, 20, 25), [0, 150]),
    maxWeight: optional(mostly(fc.constantFrom(50, 100, 60), [5]), 0.5),
  }), 0.15),
  pause: optional(duration, 0.3),
  analysis: optional(analysis, 0.3),
});

const blueGreenPlan = props({
  analysis: optional(analysis, 0.5),
  autoPromotion: optional(mostly(fc.boolean(), ['yes']), 0.3),
  scaleDownDelay: optional(duration, 0.3),
  iterations: optional(mostly(fc.integer({ min: 1, max: 10 }), [0, 2.5]), 0.3),
});

const step = mostly(fc.integer({ min: 0, max: 3 }), [-1, 1.5, 9, '1']);

function commonProps(gateway: GatewayShape): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    name: optional(appName, 0.5),
    namespace: optional(namespace, 0.3),
    port: optional(port, 0.4),
    containerPort: optional(port, 0.3),
    protocol: optional(protocol, 0.3),
    replicas: optional(replicas, 0.3),
    hosts: hostsFor(gateway),
    istioApiVersion: optional(istioApiVersion, 0.3),
    syncWaves: optional(mostly(fc.boolean(), ['yes']), 0.05),
    ...routingProps,
    ...podProps,
  };
}

const color = mostly(fc.constantFrom(Color.BLUE, Color.GREEN), ['red', 'BLUE', 'Blue', '', 1, null]);

const argoRouting = mostly(fc.constantFrom(...Object.values(ArgoRouting)), ['hosts']);

/**
 * Who walks a release: Git by the props alone, Git by a plan's step, or a controller; now and then
 * a mixture, which is mostly refused. Drawn as one, so that the valid ways come up often.
 */
function releaseModes(
  fixed: { [key: string]: fc.Arbitrary<unknown> }, plan: fc.Arbitrary<unknown>, controllerOnly: { [key: string]: fc.Arbitrary<unknown> },
): fc.Arbitrary<LooseProps> {
  return fc.oneof(
    { weight: 6, arbitrary: props(fixed) },
    { weight: 2, arbitrary: props({ plan, step: optional(step, 0.7) }) },
    { weight: 2, arbitrary: props({ controller, plan: optional(plan, 0.7), ...controllerOnly }) },
    { weight: 1, arbitrary: props({ ...fixed, plan: optional(plan, 0.5), step: optional(step, 0.5), controller: optional(controller, 0.5) }) },
  );
}

function withRelease(base: fc.Arbitrary<LooseProps>, release: fc.Arbitrary<LooseProps>): fc.Arbitrary<LooseProps> {
  return fc.tuple(base, release).map(([a, b]) => ({ ...a, ...b }));
}

function blueGreenProps(gateway: GatewayShape): fc.Arbitrary<LooseProps> {
  return withRelease(props({
    ...commonProps(gateway),
    blue: requiredVersion,
    green: requiredVersion,
    active: optional(color, 0.6),
    cutover: optional(mostly(fc.constantFrom(...Object.values(CutoverMode)), ['selector', '', 1]), 0.3),
    scaledDownReplicas: optional(replicas, 0.2),
    preview: optional(preview, 0.1),
  }), releaseModes({ scaledDown: optional(color, 0.1) }, blueGreenPlan, {}));
}

function canaryProps(gateway: GatewayShape): fc.Arbitrary<LooseProps> {
  return withRelease(props({
    ...commonProps(gateway),
    stable: requiredVersion,
    canary: optional(versionProps, 0.9),
  }), releaseModes({ canaryWeight: optional(weight, 0.7) }, canaryPlan, { argoRouting: optional(argoRouting, 0.3) }));
}

const bound = fc.oneof({ weight: 39, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

function app(gateway: GatewayShape): fc.Arbitrary<AppScenario> {
  return fc.oneof(
    fc.record({ kind: fc.constant('blue-green' as const), id: appId, bound, props: blueGreenProps(gateway) }, { noNullPrototype: true }),
    fc.record({ kind: fc.constant('canary' as const), id: appId, bound, props: canaryProps(gateway) }, { noNullPrototype: true }),
  );
}

/** The name an app gets: its `name`, else its id lower-cased (null counts as left out). */
function effectiveName(a: AppScenario): unknown {
  return a.props.name ?? a.id.toLowerCase();
}

/**
 * One app, or in about a quarter of the charts two, with their own ids and names: the same name
 * twice is not what this fuzz is about. Either app can shrink away.
 */
function apps(gateway: GatewayShape): fc.Arbitrary<readonly AppScenario[]> {
  const upTo = (maxLength: number) => fc.uniqueArray(app(gateway), {
    minLength: 1,
    maxLength,
    comparator: (a, b) => a.id === b.id || effectiveName(a) === effectiveName(b),
  });
  return fc.oneof(upTo(1), upTo(2));
}

const chartNamespace = fc.oneof(
  { withCrossShrink: true },
  { weight: 30, arbitrary: validNamespace },
  { weight: 10, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('Shop') },
);

/**
 * The routing API of the gateway and of each app: one for the whole chart, as a repo would pick
 * it, and now and then a different one for one of them, which is refused.
 */
const chartApi = fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(TrafficApi.GATEWAY_API) });

function withApi(props: LooseProps, api: unknown): fc.Arbitrary<LooseProps> {
  return mostly(fc.constant(api), [TrafficApi.ISTIO, TrafficApi.GATEWAY_API, 'gateway'], 20)
    .map(drawn => (drawn === undefined ? props : { ...props, trafficApi: drawn }));
}

/** The apps' hosts depend on the gateway's shape, so that is drawn first. */
export const scenario: fc.Arbitrary<Scenario> = fc.tuple(
  chartNamespace,
  gatewayRest,
  gatewayShape.chain(shape => apps(shape).map(a => ({ shape, apps: a }))),
  chartApi,
).chain(([ns, rest, { shape, apps: a }, api]) => fc.tuple(
  withApi(rest.props, api),
  fc.tuple(...a.map(app => withApi(app.props, api).map(props => ({ ...app, props })))),
).map(([gatewayProps, withApis]) => {
  const drawn = { gateway: gatewayOf(shape, { ...rest, props: gatewayProps }), apps: withApis };
  return ns === undefined ? drawn : { chartNamespace: ns, ...drawn };
}));
