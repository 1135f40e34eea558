import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvValue, ImagePullPolicy } from 'cdk8s-plus-27';
import fc from 'fast-check';
import {
  AnalysisMetric, AnalysisTemplateRef, AntiAffinity, ArgoRouting, CanaryScale, ClientTlsMode, Color, CutoverMode, DisruptionBudget, FlaggerAlertSeverity, FlaggerWebhookType,
  GatewayTlsMode, IstioApiVersion, LoadBalancer, MetricRange, Protocol, ReleaseController, RouteMatch, RouteTarget, SimpleLoadBalancer, StepPause,
  StringMatch, TrafficApi, WhenUnsatisfiable,
} from '../../src';

/**
 * Scenarios for the property test in test/fuzz.test.ts: a chart, maybe a gateway, and one or two
 * release apps, with props as a JavaScript caller might pass them. Half the cases are drawn clean:
 * every value valid, edge values (port 1 and 65535, 0 replicas, the longest host) among them, and
 * parts that must agree (hosts, versions, ports, plans) agreeing, so that most of them synthesize;
 * then a share of them gets a hostile value or two at any place in the props (`Fault`). The other
 * half are drawn mixed: any value may be invalid for its field (`mostly`) or hostile (`orHostile`),
 * and parts may clash. Hostile values are of another JavaScript type, or ones no field takes (NaN,
 * 2**31, 1.5, Duration.millis(1.5), blank, multi-line and very long strings). Scenarios are data,
 * the library's factory calls included (`Call`), so that fast-check prints and shrinks them and a
 * factory's refusal happens where the test builds them.
 */

/** Props as a caller without types may pass them: any value, in any field. */
export type LooseProps = { readonly [key: string]: unknown };

export type GatewayScenario =
  | { readonly kind: 'none' }
  | { readonly kind: 'construct'; readonly id: string; readonly props: unknown }
  | { readonly kind: 'fromName'; readonly ref: unknown; readonly trafficApi?: unknown }
  | { readonly kind: 'fromGatewayName'; readonly id: string; readonly ref: unknown; readonly trafficApi?: unknown };

export interface AppScenario {
  readonly kind: 'blue-green' | 'canary';
  readonly id: string;
  /** Whether the app is bound to the scenario's gateway, when there is one and the props name none. */
  readonly bound: boolean;
  /** Mostly an object; hostile, the props may be anything. */
  readonly props: unknown;
}

export interface Scenario {
  /** Undefined for a chart without a namespace. */
  readonly chartNamespace?: string;
  /** Declared before the apps, as the README asks. */
  readonly gateway: GatewayScenario;
  readonly apps: readonly AppScenario[];
}

/**
 * How often a case carries a hostile value. Half the cases are drawn mixed: any slot may be invalid
 * for its field (`mostly`) or hostile, at a rate that leaves about half of those cases without a
 * hostile value. The other half are drawn clean, every slot valid, which most often synthesizes;
 * this share of them then gets one or two hostile values, each at any place in the props, so that
 * the hostile value meets code that only valid props reach. FUZZ_HOSTILE=0 draws none at all.
 */
const HOSTILE_SHARE = Number(process.env.FUZZ_HOSTILE ?? 0.5);

/** The rate of hostile slots in a mixed case: a case has a hundred and fifty or so slots. */
const HOSTILE_RATE = HOSTILE_SHARE / 100;

/** A Duration that prints as the call that made it, rather than as cdk8s's fields. */
function span(unit: 'millis' | 'seconds' | 'minutes' | 'days', amount: number): Duration {
  return Object.assign(Duration[unit](amount), { [fc.toStringMethod]: () => `Duration.${unit}(${fc.stringify(amount)})` });
}

/** Values of a wrong JavaScript type for any slot. The plainest come first: hostile values shrink towards them. */
const WRONG_TYPES: readonly unknown[] = [
  null, 'text', 42, true, {}, [], [null], ['text'], { 0: 'text', length: 1 },
  10n, Symbol('hostile'), () => 'hostile', Object.create(null), new Map([['key', 'value']]), new Date(0),
];

/** Numbers that no count, port, weight or percentage is. */
const ODD_NUMBERS: readonly unknown[] = [-1, 1.5, NaN, Infinity, -Infinity, -0, 2 ** 31, 2 ** 53 + 2, 5e-324];

/** Strings that no name, host or label is: blank, spaced, multi-line, not ASCII, over every length limit. */
const ODD_STRINGS: readonly unknown[] = ['', ' ', 'a b', 'a\nb', 'tab\there', 'ünïcödé', '🙂', 'nul\u0000', 'x'.repeat(254), 'x'.repeat(10_000)];

/** Durations that no field takes: fractions of a millisecond, not a number, unending, beyond int32 seconds. */
const ODD_DURATIONS: readonly unknown[] = [span('millis', 1.5), span('millis', NaN), span('millis', Infinity), span('seconds', 2 ** 31)];

const hostileValue = fc.constantFrom(...WRONG_TYPES, ...ODD_NUMBERS, ...ODD_STRINGS, ...ODD_DURATIONS);

/** Whether invalid and hostile values are drawn: set while a case is drawn or shrunk (`Drawn`), read by `Dialled`. */
let mixed = true;

/** Runs `step` with `mixed` set to `value`. */
function dialled<T>(value: boolean, step: () => T): T {
  const before = mixed;
  mixed = value;
  try {
    return step();
  } finally {
    mixed = before;
  }
}

/** What a `Dialled` value was drawn from, for its shrinking. */
interface DialledContext {
  readonly source: fc.Arbitrary<unknown>;
  readonly context: unknown;
}

/** `valid` in a clean case, `any` in a mixed one. */
class Dialled<T> extends fc.Arbitrary<T> {
  public constructor(private readonly valid: fc.Arbitrary<T>, private readonly any: fc.Arbitrary<T>) {
    super();
  }

  public generate(random: fc.Random, bias: number | undefined): fc.Value<T> {
    const source = mixed ? this.any : this.valid;
    const drawn = source.generate(random, bias);
    return new fc.Value(drawn.value_, { source, context: drawn.context });
  }

  public canShrinkWithoutContext(_value: unknown): _value is T {
    return false;
  }

  public shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    const { source, context: inner } = context as DialledContext;
    return (source as fc.Arbitrary<T>).shrink(value, inner).map(v => new fc.Value(v.value_, { source, context: v.context }));
  }
}

/** Cases drawn and shrunk clean or mixed: fast-check's chain draws anew as it shrinks, which must see the same dial. */
class Drawn<T> extends fc.Arbitrary<T> {
  public constructor(private readonly isMixed: boolean, private readonly arbitrary: fc.Arbitrary<T>) {
    super();
  }

  public generate(random: fc.Random, bias: number | undefined): fc.Value<T> {
    return dialled(this.isMixed, () => this.arbitrary.generate(random, bias));
  }

  public canShrinkWithoutContext(value: unknown): value is T {
    return this.arbitrary.canShrinkWithoutContext(value);
  }

  public shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return new fc.Stream(this.dialledSteps(this.arbitrary.shrink(value, context)));
  }

  private *dialledSteps(steps: Iterator<fc.Value<T>>): IterableIterator<fc.Value<T>> {
    for (;;) {
      const step = dialled(this.isMixed, () => steps.next());
      if (step.done) return;
      yield step.value;
    }
  }
}

/** `valid`, or in a mixed case with probability HOSTILE_RATE a hostile value; the valid value is what a hostile one shrinks to. */
function orHostile(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const weight = Math.round(HOSTILE_RATE * 10_000);
  if (weight <= 0) return valid;
  return new Dialled(valid, fc.oneof({ withCrossShrink: true }, { weight: 10_000 - weight, arbitrary: valid }, { weight, arbitrary: hostileValue }));
}

/** `clean` in a clean case, `any` in a mixed one: for draws whose parts can clash, such as two hosts of a list. */
function cleanOr(clean: fc.Arbitrary<unknown>, any: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return new Dialled(clean, any);
}

/**
 * `valid` in a clean case; in a mixed one mostly `valid`, and about once in `odds` one of `invalid`. Invalid values shrink towards
 * the first one, so list the plainest first; a failure that a valid value also shows shrinks to it.
 */
function mostly(valid: fc.Arbitrary<unknown>, invalid: readonly unknown[], odds = 40): fc.Arbitrary<unknown> {
  return new Dialled(valid, fc.oneof({ withCrossShrink: true },
    { weight: odds - 1, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) }));
}

/** A few fixed values, so that two draws often collide, and random ones for variety. */
function pooled<T>(pool: readonly T[], random: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: random });
}

/** Left out (undefined, which `compact` drops) unless drawn with probability `presence`. */
function optional(arbitrary: fc.Arbitrary<unknown>, presence: number): fc.Arbitrary<unknown> {
  const weight = Math.round(presence * 100);
  return fc.oneof({ withCrossShrink: true },
    { weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });
}

/** Drops undefined fields: the constructs read a missing prop and an undefined one alike, and the counterexamples read better. */
function compact(props: LooseProps): LooseProps {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}

/** Props whose every field is `optional` (or always there), without the left-out ones; any field may turn hostile. */
function props(model: { [key: string]: fc.Arbitrary<unknown> }): fc.Arbitrary<LooseProps> {
  const fields = Object.fromEntries(Object.entries(model).map(([key, arbitrary]) => [key, orHostile(arbitrary)]));
  return fc.record(fields, { noNullPrototype: true }).map(compact);
}

/** A list whose items may turn hostile. */
function list(item: fc.Arbitrary<unknown>, constraints: fc.ArrayConstraints = {}): fc.Arbitrary<unknown[]> {
  return fc.array(orHostile(item), constraints);
}

/**
 * A call of one of the library's factories (`StringMatch.regex("[")`), made when the test builds
 * the scenario: a factory may refuse its arguments, and that must happen where the test catches it.
 * It prints as the call it stands for.
 */
export class Call {
  public constructor(
    public readonly name: string,
    private readonly make: (args: unknown[]) => unknown,
    public readonly args: readonly unknown[],
  ) {}

  /** Makes the value, the calls among the arguments first; `called` gets the name of each call as it is made. */
  public invoke(called: string[]): unknown {
    const args = this.args.map(arg => resolveCalls(arg, called));
    called.push(this.name);
    return this.make(args);
  }

  /** The same call with other arguments. */
  public withArgs(args: readonly unknown[]): Call {
    return new Call(this.name, this.make, args);
  }

  public [fc.toStringMethod](): string {
    return `${this.name}(${this.args.map(arg => fc.stringify(arg)).join(', ')})`;
  }
}

/** A factory call written out, for a case made by hand. */
export function callOf(name: string, make: (...args: never[]) => unknown, ...args: unknown[]): Call {
  return new Call(name, drawn => make(...drawn as never[]), args);
}

/** A factory call whose arguments are drawn, each of which may turn hostile. */
function call(name: string, make: (args: unknown[]) => unknown, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<Call> {
  return fc.tuple(...args.map(orHostile)).map(drawn => new Call(name, make, drawn));
}

/** Scenario data with every `Call` in plain objects and lists replaced by what it makes. */
export function resolveCalls(value: unknown, called: string[]): unknown {
  if (value instanceof Call) return value.invoke(called);
  if (Array.isArray(value)) return value.map(item => resolveCalls(item, called));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveCalls(item, called)]));
  }
  return value;
}

/** The factories' parameter types, which the calls below give their arguments as drawn. */
const text = (value: unknown) => value as string;
const number = (value: unknown) => value as number;

// 'web-x' and 'web-preview' can name the objects of another app ('web' with version 'x-v1', or a preview).
const appName = mostly(
  pooled(['web', 'reviews', 'web-x', 'web-preview', 'a', 'a'.repeat(63)], fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/)),
  ['Web', '2web', 'a'.repeat(64), '', 'web.app', 'web_app', '-web', 'web-', 'wéb', 42, null],
);

/** Construct ids, which name the app when `name` is left out; 'My_App' and '2Fast' make invalid names. */
const appId = mostly(fc.constantFrom('Web', 'Reviews', 'Backend2', 'Api'), ['My_App', '2Fast', 'RouteCheck'], 31) as fc.Arbitrary<string>;

const validNamespace = fc.constantFrom('shop', 'prod', 'default', 'istio-system', '1ns', 'n'.repeat(63));

const namespace = mostly(validNamespace, ['Shop', 'n'.repeat(64), '', 'my.ns', 'my_ns', '-ns', 'shop\n', 42, null]);

const port = mostly(
  pooled([80, 8080, 9080, 1, 65535], fc.integer({ min: 1, max: 65535 })),
  [0, 65536, -1, 80.5, NaN, Infinity, -0, 2 ** 31, '80', null],
);

const replicas = mostly(
  fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 1, max: 5 }) }),
  [-1, 1.5, NaN, Infinity, -0, '2', 2 ** 31, 2 ** 31 - 1, null],
);

const weight = mostly(
  pooled([0, 100, 10, 50], fc.integer({ min: 0, max: 100 })),
  [-1, 101, 10.5, NaN, '10', Infinity, -0, 5e-324, null],
);

// Versions that differ only in case or in '.', '_' and '-' give the same name part.
const version = mostly(
  pooled(['v1', 'v2', '1.10', '1_10', '1-10', 'V1', 'x-v1', 'v1.0_rc-1', 'blue', '1.11', 'v'.repeat(63)],
    fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/)),
  ['', 'v'.repeat(64), 'v 1', '-v1', 'v1.', 'v1/2', 'v1\n', 'vé', 42, null],
  50,
);

const image = mostly(
  fc.constantFrom('nginx:1.10', 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', 'reviews', 'NGINX:latest', 'nginx@sha256:'.padEnd(76, 'a')),
  ['', '   ', 'nginx 1.10', ' nginx', 'nginx\n', 42, null],
  50,
);

// Istio's CRDs refuse durations under 1ms; a string is what a caller without types might pass.
/** Whole seconds, as the controllers (Argo Rollouts, Flagger) take them. */
const seconds = mostly(
  fc.constantFrom(span('seconds', 1), span('seconds', 30), span('minutes', 2)),
  [span('millis', 1500), span('millis', 0), '30s', ...ODD_DURATIONS],
);

const duration = mostly(
  fc.constantFrom(span('seconds', 1), span('millis', 1500), span('minutes', 2)),
  [span('millis', 0), span('millis', 0.5), '5s', ...ODD_DURATIONS, span('days', 30_000)],
);

const percentage = mostly(pooled([0, 100, 10, 0.5], fc.double({ min: 0, max: 100, noNaN: true })), [-1, 101, NaN, '10', -0, Infinity]);

const routePolicy = props({
  timeout: optional(duration, 0.5),
  retries: optional(props({
    attempts: mostly(cleanOr(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 })), [-1, 1.5, 2 ** 31, undefined]),
    perTryTimeout: optional(duration, 0.5),
    retryOn: optional(mostly(fc.constantFrom(['5xx'], ['reset', 'connect-failure'], ['5xx', 'retriable-status-codes']), [[], ['5xx', ''], ['5xx,reset'], ['a b']]), 0.5),
  }), 0.5),
  fault: optional(props({
    delay: optional(duration, 0.5),
    delayPercentage: optional(percentage, 0.5),
    abortHttpStatus: optional(mostly(fc.constantFrom(503, 500, 200, 599), [600, 199, 503.5, 2 ** 31]), 0.5),
    abortPercentage: optional(percentage, 0.5),
  }), 0.4),
});

/** Connection and ejection counts; 0 is valid for some of them only. */
const count = mostly(fc.integer({ min: 1, max: 100 }), [0, -1, 1.5, 2 ** 31, 2 ** 31 - 1]);

/** Header, cookie and query parameter names, which a LoadBalancer hashes on. */
const hashKey = mostly(fc.constantFrom('x-user', 'user', 'session-id'), ['X-User', '', 'a b', 'a;b', 'a\nb']);

const loadBalancer = fc.oneof(
  call('LoadBalancer.simple', ([algorithm]) => LoadBalancer.simple(algorithm as SimpleLoadBalancer),
    mostly(fc.constantFrom(...Object.values(SimpleLoadBalancer)), ['least_request', 'LEAST_CONN', ''])),
  call('LoadBalancer.hashHeader', ([name]) => LoadBalancer.hashHeader(text(name)), hashKey),
  call('LoadBalancer.hashSourceIp', () => LoadBalancer.hashSourceIp()),
  call('LoadBalancer.hashCookie', ([name, ttl]) => LoadBalancer.hashCookie(text(name), ttl as Duration), hashKey, duration),
  call('LoadBalancer.hashQueryParameter', ([name]) => LoadBalancer.hashQueryParameter(text(name)), hashKey),
);

const trafficPolicy = props({
  loadBalancer: optional(mostly(loadBalancer, [{ simple: 'ROUND_ROBIN' }, 'ROUND_ROBIN']), 0.4),
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
    maxEjectionPercent: optional(mostly(fc.integer({ min: 0, max: 100 }), [101, -1, 50.5]), 0.3),
  }), 0.4),
  tlsMode: optional(mostly(fc.constantFrom(...Object.values(ClientTlsMode)), ['STRICT', 'istio_mutual']), 0.3),
});

/** cdk8s-plus volumes, secrets and config maps need a scope, as in a user's chart; this one is never synthesized. */
const importScope = new Chart(new App(), 'imports');
let importIds = 0;
const nextId = () => `I${importIds++}`;
const volumeNamed = (name: string) => kplus.Volume.fromEmptyDir(importScope, nextId(), name);

/** Volumes by name, and mounts that mostly name one of them: 'cache' is declared nowhere. */
const volumes = cleanOr(fc.constantFrom([], ['config'], ['config', 'logs']), fc.uniqueArray(fc.constantFrom('config', 'logs', 'Bad_Name'), { maxLength: 2 }))
  .map(names => (names as string[]).map(volumeNamed));
// A clean case mounts nothing: the volumes may be left out.
const volumeMounts = cleanOr(
  fc.constant([]),
  fc.array(fc.record({ name: fc.constantFrom('config', 'logs', 'cache'), path: fc.constantFrom('/etc/app', '/var/log', 'relative') }), { maxLength: 2 }),
).map(mounts => (mounts as { name: string; path: string }[]).map(m => ({ volume: volumeNamed(m.name), path: m.path })));

const podLabels = mostly(fc.constantFrom({ team: 'shop' }, { tier: 'api', team: 'shop' }, {}),
  [{ app: 'other' }, { version: 'v9' }, { 'a b': 'x' }, { team: 1 }, 'team=shop', { team: 'a b' }, { team: 'x'.repeat(64) }, { ['x'.repeat(64)]: 'shop' }]);
const podAnnotations = mostly(fc.constantFrom({ 'sidecar.istio.io/proxyCPU': '100m' }, { note: 'multi\nline ünïcödé' }, {}),
  [{ a: 1 }, { 'bad key!': 'x' }, { a: null }]);

/** Ports that often collide with the app's (80, 8080) or each other's, and now and then Istio's proxy's. */
const podPort = mostly(pooled([2020, 9090, 80, 8080], fc.integer({ min: 1, max: 65535 })), [15090, 15006, 0, '2020', 65536, 1.5]);

const containerPorts = mostly(list(props({ number: podPort, name: optional(mostly(fc.constantFrom('metrics', 'admin'), ['Metrics_Port', 'metrics-port-too-long']), 0.3) }), { maxLength: 2 }), ['9090']);

const probe = mostly(fc.constantFrom(kplus.Probe.fromHttpGet('/healthz'), kplus.Probe.fromTcpSocket(), kplus.Probe.fromCommand(['true']),
  kplus.Probe.fromHttpGet('/ready', { port: 9090 })), ['/healthz', {}, { httpGet: { path: '/healthz' } }]);

const handler = mostly(fc.constantFrom(kplus.Handler.fromCommand(['/drain']), kplus.Handler.fromHttpGet('/warm')), [['/drain'], '/drain']);

const strings = mostly(list(fc.constantFrom('--port', '8080', '', 'a b', '--flag=ünï'), { maxLength: 3 }), ['--port 8080', [8080]]);

/** Sidecars and init containers; the clean ones have names of their own, and an init container neither a port nor a probe. */
function container(names: readonly string[], running: boolean): fc.Arbitrary<unknown> {
  return props({
    name: mostly(pooled(names, fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/)), [undefined, 'Agent', 1, 'web', 'reviews']),
    image: mostly(fc.constant('agent:1'), ['', undefined]),
    portNumber: cleanOr(running ? optional(podPort, 0.4) : fc.constant(undefined), optional(podPort, 0.4)),
    readiness: cleanOr(running ? optional(probe, 0.1) : fc.constant(undefined), optional(mostly(fc.constant(kplus.Probe.fromTcpSocket()), ['/ready']), 0.1)),
    args: optional(strings, 0.1),
  });
}

/** Containers besides the main one, with names of their own in a clean case. */
function containers(names: readonly string[], running: boolean, maxLength: number): fc.Arbitrary<unknown> {
  const named = (c: unknown) => (c as { name?: unknown }).name;
  return cleanOr(fc.uniqueArray(container(names, running), { maxLength, selector: named }), list(container(names, running), { maxLength }));
}

const shutdownDelay = mostly(fc.constantFrom(span('seconds', 0), span('seconds', 5), span('seconds', 20)), [span('millis', 1500), 5, ...ODD_DURATIONS]);
const gracePeriod = mostly(fc.constantFrom(span('seconds', 10), span('seconds', 30), span('seconds', 60)), [span('seconds', 5), span('millis', 500), ...ODD_DURATIONS]);

/** A user or group id: Kubernetes takes 0 to 2147483647. */
const id = mostly(fc.constantFrom(0, 1000, 65534, 2 ** 31 - 1), [-1, 1.5, 2 ** 31, '1000']);

/** The container settings of `WorkloadOptions`, which the app and each version may set, each drawn rarely. */
function workloadOptions(presence: number): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    env: optional(mostly(fc.constantFrom({ LOG_LEVEL: EnvValue.fromValue('debug') }, {}), [{ '1MODE': EnvValue.fromValue('x') }, { MODE: 'x' }]), presence),
    envFrom: optional(mostly(fc.constant(null).map(() => [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(importScope, nextId(), 'app-config'))]),
      [['app-config'], 'app-config']), presence / 2),
    args: optional(strings, presence / 2),
    command: optional(strings, presence / 2),
    workingDir: optional(mostly(fc.constantFrom('/app', '/'), ['app', '']), presence / 2),
    resources: optional(mostly(fc.constantFrom(
      { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(128) } },
      { memory: { limit: Size.gibibytes(1) } },
    ), [{ cpu: '250m' }, { cpu: { request: '250m' } }]), presence / 2),
    readiness: optional(probe, presence / 2),
    liveness: optional(probe, presence / 2),
    startup: optional(probe, presence / 2),
    securityContext: optional(props({
      ensureNonRoot: optional(mostly(fc.boolean(), ['yes']), 0.5),
      user: optional(id, 0.5),
      group: optional(id, 0.3),
      readOnlyRootFilesystem: optional(fc.boolean(), 0.3),
      allowPrivilegeEscalation: optional(fc.boolean(), 0.3),
    }), presence / 2),
    imagePullPolicy: optional(mostly(fc.constantFrom(...Object.values(ImagePullPolicy)), ['Sometimes', 'always']), presence),
    volumeMounts: optional(volumeMounts, presence),
    lifecycle: optional(props({ preStop: optional(handler, 0.7), postStart: optional(handler, 0.3) }), presence / 2),
    extraContainerPorts: optional(containerPorts, presence / 2),
    volumes: optional(mostly(volumes, ['config']), presence),
    podLabels: optional(podLabels, presence),
    podAnnotations: optional(podAnnotations, presence),
  };
}

const dns = props({
  policy: optional(mostly(fc.constantFrom(...Object.values(kplus.DnsPolicy)), ['None', 'cluster-first']), 0.7),
  nameservers: optional(mostly(list(fc.constantFrom('10.0.0.10', '1.1.1.1', 'fd00::10'), { minLength: 1, maxLength: 3 }),
    [[], ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13'], ['dns.local']]), 0.5),
  searches: optional(mostly(list(fc.constantFrom('shop.svc.cluster.local', 'example.com'), { maxLength: 2 }), [Array(7).fill('example.com'), ['Bad Domain']]), 0.3),
  options: optional(list(props({ name: fc.constantFrom('ndots', 'edns0'), value: optional(fc.constantFrom('2', ''), 0.5) }), { maxLength: 2 }), 0.3),
});

/** Pod settings, each drawn rarely: together they are in about one app in three. */
const podProps = {
  initContainers: optional(containers(['init', 'migrate'], false, 1), 0.05),
  sidecars: optional(mostly(containers(['agent', 'log-shipper'], true, 2), ['agent', [null]]), 0.1),
  createServiceAccount: optional(mostly(fc.boolean(), ['yes']), 0.05),
  automountServiceAccountToken: optional(mostly(fc.boolean(), ['yes', 1]), 0.03),
  serviceAccount: optional(mostly(fc.constantFrom({ name: 'shop-api' }), [{ name: 'Shop_API' }, 'shop-api', { name: 'x'.repeat(254) }]), 0.05),
  imagePullSecrets: optional(mostly(fc.constant(null).map(() => [kplus.Secret.fromSecretName(importScope, nextId(), 'registry')]),
    [['registry'], [{ name: 'Bad_Name' }], 'registry']), 0.03),
  podSecurityContext: optional(props({
    ensureNonRoot: optional(mostly(fc.boolean(), ['yes']), 0.5),
    user: optional(id, 0.5),
    group: optional(id, 0.3),
    fsGroup: optional(id, 0.3),
  }), 0.03),
  hostAliases: optional(mostly(list(props({ ip: mostly(fc.constantFrom('10.0.0.1', '::1'), ['not-an-ip', '10.0.0.256']), hostnames: strings }), { maxLength: 2 }),
    [{ ip: '10.0.0.1' }]), 0.03),
  dns: optional(dns, 0.03),
  terminationGracePeriod: optional(gracePeriod, 0.1),
  shutdownDelay: optional(shutdownDelay, 0.1),
  nodeSelector: optional(mostly(fc.constantFrom({ 'kubernetes.io/arch': 'amd64' }, {}), [{ 'a b': 'x' }, { zone: 1 }]), 0.05),
  nodeAffinity: optional(list(props({
    node: mostly(fc.constant(kplus.Node.labeled(kplus.NodeLabelQuery.is('disktype', 'ssd'))), [{ disktype: 'ssd' }]),
    weight: optional(mostly(fc.integer({ min: 1, max: 100 }), [0, 101, 1.5]), 0.5),
  }), { maxLength: 2 }), 0.03),
  tolerations: optional(mostly(fc.constant([kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot'))]), [[{ key: 'spot' }]]), 0.05),
  topologySpread: optional(mostly(
    fc.constantFrom([{ topology: kplus.Topology.ZONE }], [{ topology: kplus.Topology.HOSTNAME, maxSkew: 2, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE }]),
    [[{ topology: 'zone' }], [{ topology: kplus.Topology.ZONE, maxSkew: 0 }], [{ topology: kplus.Topology.ZONE, maxSkew: 2 ** 31 }]],
  ), 0.05),
  priorityClassName: optional(mostly(fc.constant('high-priority'), ['High', 'x'.repeat(254)]), 0.03),
  ...workloadOptions(0.03),
};

/**
 * A version's props. Image and version are required: the odd missing one comes from `mostly`'s
 * undefined. In a clean case the version is one of `versions`, which no other version of the app has.
 */
const versionProps = (versions: readonly string[]) => props({
  image: mostly(image, [undefined], 100),
  version: mostly(cleanOr(fc.constantFrom(...versions), version), [undefined], 100),
  replicas: optional(replicas, 0.3),
  // A version's route policy needs a route to that version alone, which few cases have.
  routePolicy: cleanOr(fc.constant(undefined), optional(routePolicy, 0.05)),
  trafficPolicy: optional(trafficPolicy, 0.05),
  ...workloadOptions(0.03),
});

/** A version the app cannot do without, which a caller without types may still leave out. */
const requiredVersion = (versions: readonly string[]) => mostly(versionProps(versions), [undefined, null, 'nginx:1.10'], 100);

/** Versions for blue and stable, and for green and canary, that differ in name as in the objects they name. */
const FIRST_VERSIONS = ['v1', '1.10', 'blue'];
const SECOND_VERSIONS = ['v2', '1.11', 'green'];

/** The longest host there is: four labels and 253 characters. */
const longestHost = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

const hostPool = [
  'shop.example.com', 'a.example.com', '*.example.com', 'example.com', 'other.org', '*.org', 'web.shop.svc.cluster.local',
];

/** A name without a dot: a gateway may serve it, and an app's VirtualService would take it as a Service. */
const shortHost = 'web';

const badHosts = [
  '', 'Shop.example.com', 'a..b', 'x.com.', 'edge/shop.example.com', `${'a'.repeat(64)}.com`, '*.*.com', `${longestHost}x`, 'shöp.example.com',
  'shop.example.com:80', ' shop.example.com', '*', 42,
];

/** Any hosts of an app: '*', which a gateway may serve, is refused for apps, and '*.svc.cluster.local' covers their Service host. */
const anyAppHosts = mostly(
  cleanOr(
    fc.constantFrom(['shop.example.com'], ['other.org'], ['a.example.com', 'other.org'], [longestHost], ['*.example.com']),
    list(mostly(fc.constantFrom(...hostPool, longestHost), ['*', '*.svc.cluster.local', shortHost, ...badHosts]), { minLength: 1, maxLength: 3 }),
  ),
  [[], 'shop.example.com', null],
);

/**
 * Gateway hosts, which the apps' hosts default to: a set that a gateway may serve, and in a mixed
 * case now and then any hosts, overlapping ('*.example.com', 'a.example.com') or repeated ones
 * included, and '*', which the apps may not default to.
 */
const servableHosts = fc.constantFrom(['shop.example.com'], ['*.example.com'], ['shop.example.com', 'other.org'], ['a.example.com', 'example.com', '*.org'],
  [longestHost], ['web.shop.svc.cluster.local', 'shop.example.com']);

const gatewayHosts = mostly(
  cleanOr(servableHosts, fc.oneof(
    { weight: 3, arbitrary: fc.oneof(servableHosts, fc.constant(['*'])) },
    { weight: 1, arbitrary: list(mostly(mostly(fc.constantFrom(...hostPool), ['*', shortHost, longestHost], 12), badHosts), { minLength: 1, maxLength: 3 }) },
  )),
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

/** An app's hosts, in proportions that suit its gateway: left out without one, mostly given for an import. */
function hostsFor(gateway: GatewayShape): fc.Arbitrary<unknown> {
  switch (gateway.kind) {
    case 'none':
      return optional(anyAppHosts, 0.03);
    case 'fromName':
    case 'fromGatewayName':
      return optional(anyAppHosts, 0.9);
    case 'construct': {
      const served = gateway.hosts;
      const valid = Array.isArray(served) ? served.filter((h): h is string => typeof h === 'string') : [];
      const fitting = fc.oneof(fc.constant(undefined), servedHosts(valid));
      return new Dialled(fitting, fc.oneof({ weight: 8, arbitrary: fitting }, { weight: 1, arbitrary: anyAppHosts }));
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

// Istio wants a Gateway's name to be a DNS-1123 label, though Kubernetes takes a subdomain.
const gatewayName = mostly(
  fc.constantFrom('public-gateway', 'gw-1', 'g'.repeat(63)),
  ['GW', '', 'gw_1', '-gw', 'gw.v1', 'g'.repeat(64), 'g'.repeat(254), 42, null],
);

const gatewayRef = mostly(
  fc.constantFrom('istio-system/public-gateway', 'edge/gw-1', 'shop/app-gateway'),
  ['public-gateway', 'a/b/c', '/gw', 'ns/', 'NS/gw', 'ns/GW', 'edge/gw.v1', '', 'ns/gw\n', `ns/${'g'.repeat(64)}`, 42, undefined, 10n, Symbol('gateway')],
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
  { weight: 2, arbitrary: fc.constant({ kind: 'fromName' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fromGatewayName' as const }) },
);

const gatewayTls = props({
  credentialName: mostly(fc.constantFrom('shop-cert', 'cert.v1'), ['', 'Bad_Cert', 42, undefined]),
  mode: optional(mostly(fc.constantFrom(...Object.values(GatewayTlsMode)), ['PASSTHROUGH', 'simple']), 0.3),
  port: optional(port, 0.3),
  redirectHttp: optional(mostly(fc.boolean(), ['yes']), 0.3),
});

const additionalServer = props({
  hosts: cleanOr(fc.constantFrom(['api.example.net'], ['*.example.net']), gatewayHosts),
  port: optional(port, 0.5),
  tls: optional(gatewayTls, 0.3),
});

/** The gateway besides its shape: a construct id, a ref for an import and props, of which its kind picks. */
interface GatewayRest {
  readonly id: string;
  readonly ref: unknown;
  readonly props: unknown;
}

const gatewayRest: fc.Arbitrary<GatewayRest> = fc.record({
  id: fc.constantFrom('Gateway', 'PublicGateway'),
  ref: gatewayRef,
  props: orHostile(props({
    name: optional(gatewayName, 0.4),
    namespace: optional(namespace, 0.4),
    selector: optional(selector, 0.4),
    port: optional(port, 0.4),
    istioApiVersion: optional(istioApiVersion, 0.3),
    tls: optional(gatewayTls, 0.15),
    additionalServers: optional(cleanOr(fc.array(additionalServer, { minLength: 1, maxLength: 1 }), list(additionalServer, { minLength: 1, maxLength: 2 })), 0.1),
    // A Gateway of Istio's API refuses a class, and the API is drawn later: clean cases leave it out.
    gatewayClassName: cleanOr(fc.constant(undefined), optional(mostly(fc.constantFrom('istio', 'istio-waypoint'), ['Istio', '', 'x'.repeat(254)]), 0.03)),
  })),
}, { noNullPrototype: true });

function gatewayOf(shape: GatewayShape, rest: GatewayRest): GatewayScenario {
  switch (shape.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fromName':
      return { kind: 'fromName', ref: rest.ref, ...importedApi(rest.props) };
    case 'fromGatewayName':
      return { kind: 'fromGatewayName', id: rest.id, ref: rest.ref, ...importedApi(rest.props) };
    case 'construct':
      return { kind: 'construct', id: rest.id, props: isProps(rest.props) ? compact({ hosts: shape.hosts, ...rest.props }) : rest.props };
  }
}

/** An import says its API as a gateway's props would: the chart's, now and then another or a wrong one. */
function importedApi(props: unknown): { trafficApi?: unknown } {
  return isProps(props) && props.trafficApi !== undefined ? { trafficApi: props.trafficApi } : {};
}

/** Props drawn as props, rather than a hostile value in their place. */
function isProps(value: unknown): value is LooseProps {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** Header values and query parameters to match, and regular expressions, some of which RE2 (Istio's, Envoy's) refuses. */
const matchText = mostly(fc.constantFrom('yes', 'Yes', 'qa-'), ['', 'a b', 'ünï', 'x'.repeat(10_000), 'a\nb']);
const regex = mostly(fc.constantFrom('^qa-.*$', 'v[0-9]+', '\\p{L}+'),
  ['[', '(?=qa)qa.*', '(?!x).*', '(?<=a)b', '(a)\\1', 'a{1001}', '', '(?<name>x)', 'x'.repeat(10_000)]);

const stringMatch = fc.oneof(
  call('StringMatch.exact', ([value]) => StringMatch.exact(text(value)), matchText),
  call('StringMatch.prefix', ([value]) => StringMatch.prefix(text(value)), matchText),
  call('StringMatch.regex', ([value]) => StringMatch.regex(text(value)), regex),
);

/** A value where a StringMatch belongs: mostly one, now and then the plain forms a JavaScript caller might try. */
const stringMatchArg = mostly(stringMatch, ['yes', { exact: 'yes' }, null]);

const headerName = mostly(fc.constantFrom('x-tester', 'x-canary'), ['X-Tester', '', 'a b', ':authority', 'x'.repeat(10_000)]);

const routeMatch = fc.oneof(
  call('RouteMatch.header', ([name, value]) => RouteMatch.header(text(name), value as StringMatch), headerName, stringMatchArg),
  call('RouteMatch.cookie', ([name, value]) => RouteMatch.cookie(text(name), text(value)),
    mostly(fc.constantFrom('tester'), ['a;b', '', 'a=b', 'a b']), mostly(fc.constantFrom('yes', 'a.b*'), ['', 'a;b', 'a b'])),
  call('RouteMatch.queryParam', ([name, value]) => RouteMatch.queryParam(text(name), value as StringMatch),
    mostly(fc.constantFrom('canary'), ['', 'a b', 'a&b']), stringMatchArg),
  call('RouteMatch.sourceLabels', ([labels]) => RouteMatch.sourceLabels(labels as { [key: string]: string }),
    mostly(fc.constantFrom({ app: 'qa-runner' }, { app: 'qa-runner', team: 'qa' }), [{}, { 'a b': 'x' }, { app: 1 }, { app: 'a b' }, 'app=qa'])),
);

const stable = call('RouteTarget.stable', () => RouteTarget.stable());
const canary = call('RouteTarget.canary', () => RouteTarget.canary());
const idle = call('RouteTarget.idle', () => RouteTarget.idle());

/** The roles a canary app has, and the one a blue/green app has. */
const CANARY_ROLES = fc.oneof(stable, canary);
const BLUE_GREEN_ROLES = idle;

/** Where a route goes: one of the app's roles in a clean case; else mostly any role, for a version drawn here seldom is one the app has. */
function routeTarget(roles: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return mostly(cleanOr(roles, fc.oneof(
    { weight: 3, arbitrary: fc.oneof(stable, canary, idle) },
    { weight: 1, arbitrary: call('RouteTarget.version', ([v]) => RouteTarget.version(text(v)), fc.constantFrom('v1', 'v2', '1.10', 'missing', '', 'V1')) },
  )), ['v1', null, { kind: 'stable' }]);
}

const testerRoute = (to: fc.Arbitrary<unknown>) => props({
  when: mostly(list(routeMatch, { minLength: 1, maxLength: 2 }), [[], undefined, 'x-tester']),
  to,
  name: optional(mostly(fc.constantFrom('testers', 'qa'), ['primary', '', 'Bad Name', 'x'.repeat(254)]), 0.3),
});

const mirror = (to: fc.Arbitrary<unknown>) => props({ to, percentage: optional(percentage, 0.5) });

const stickySessions = props({
  cookieName: optional(mostly(fc.constantFrom('version', 'web-version'), ['', 'bad cookie', 'a;b', 'ünï']), 0.4),
  maxAge: optional(duration, 0.4),
});

/** A port name must start with its protocol: a drawn '-suffix' becomes `<protocol>-suffix`, other names stay as drawn. */
function namedAfterProtocol(options: LooseProps): LooseProps {
  const { name, protocol } = options;
  const prefix = protocol ?? Protocol.HTTP;
  return typeof name === 'string' && name.startsWith('-') && typeof prefix === 'string' ? { ...options, name: `${prefix}${name}` } : options;
}

const additionalPort = props({
  port,
  containerPort: optional(port, 0.3),
  protocol: optional(protocol, 0.5),
  name: optional(mostly(fc.constantFrom('-admin', '-x'), ['HTTP', 'http_x', 'admin', 'grpc', 'http-'.padEnd(16, 'x')]), 0.4),
}).map(namedAfterProtocol);

/** More ports: in a clean case ones that clash with no port the app draws. */
const additionalPorts = cleanOr(
  fc.constantFrom([{ port: 9090, protocol: Protocol.GRPC }], [{ port: 5432, protocol: Protocol.TCP }], [{ port: 9443, protocol: Protocol.HTTP2, name: 'http2-x' }, { port: 9091 }]),
  list(additionalPort, { minLength: 1, maxLength: 2 }),
);

const podCount = mostly(fc.integer({ min: 0, max: 3 }), [-1, 1.5, 2 ** 31, NaN]);
const percent = mostly(fc.integer({ min: 0, max: 100 }), [101, -1, 50.5, NaN]);

const disruptionBudget = mostly(
  fc.oneof(
    call('DisruptionBudget.minAvailable', ([n]) => DisruptionBudget.minAvailable(number(n)), podCount),
    call('DisruptionBudget.maxUnavailable', ([n]) => DisruptionBudget.maxUnavailable(number(n)), podCount),
    call('DisruptionBudget.minAvailablePercent', ([n]) => DisruptionBudget.minAvailablePercent(number(n)), percent),
    call('DisruptionBudget.maxUnavailablePercent', ([n]) => DisruptionBudget.maxUnavailablePercent(number(n)), percent),
  ),
  ['minAvailable', { field: 'minAvailable', amount: 1, percent: false }],
);

const autoscaling = props({
  maxReplicas: mostly(fc.integer({ min: 1, max: 10 }), [0, -1, 1.5, 2 ** 31, undefined]),
  cpuUtilization: optional(mostly(fc.constantFrom(80, 1, 150), [0, -1, 50.5, 2 ** 31]), 0.5),
});

/** What a caller might pass as a gateway besides one: its ref, or an object shaped like one. */
const notAGateway = fc.constantFrom('istio-system/public-gateway', { gatewayRef: 'istio-system/public-gateway', hosts: ['shop.example.com'] }, { gatewayRef: 42, hosts: 'x' });

/** Props that the routing features add to both apps, each in a few charts; routes go to `roles`. */
const routingProps = (roles: fc.Arbitrary<unknown>) => ({
  testerRoutes: optional(list(testerRoute(routeTarget(roles)), { minLength: 1, maxLength: 2 }), 0.08),
  mirror: optional(mirror(routeTarget(roles)), 0.05),
  routePolicy: optional(routePolicy, 0.08),
  trafficPolicy: optional(trafficPolicy, 0.08),
  stickySessions: optional(stickySessions, 0.08),
  additionalPorts: optional(additionalPorts, 0.08),
  mtls: optional(mostly(fc.boolean(), ['yes']), 0.08),
  disruptionBudget: optional(disruptionBudget, 0.08),
  autoscaling: optional(autoscaling, 0.08),
});

const preview = props({
  header: optional(mostly(fc.constantFrom('x-preview'), ['X-Preview', 'x preview', '']), 0.5),
  headerValue: optional(mostly(fc.constantFrom('true', 'yes'), ['', 42, 'a\nb']), 0.3),
  host: optional(mostly(cleanOr(fc.constantFrom('preview.example.com', 'preview.other.org'), fc.constantFrom('preview.example.com', ...hostPool)), ['*', ...badHosts]), 0.5),
});

const risingSteps = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }).map(weights => [...weights].sort((a, b) => a - b));

const url = mostly(fc.constantFrom('http://flagger-loadtester.test/', 'https://tester.shop.svc:8080/hook'), ['', 'not a url', 'ftp://x/', 'tester.shop']);

const analysis = props({
  interval: optional(seconds, 0.3),
  minSuccessRate: optional(mostly(fc.constantFrom(99, 95, 99.5), [150, -1, '99']), 0.5),
  maxRequestDuration: optional(duration, 0.3),
  failureLimit: optional(mostly(fc.integer({ min: 1, max: 5 }), [0, 1.5, 2 ** 31]), 0.3),
  prometheusAddress: optional(mostly(fc.constantFrom('http://prometheus.istio-system:9090'), ['', 'not a url', 'prometheus:9090']), 0.2),
  loadTestCommand: optional(mostly(fc.constant('hey -z 1m -q 10 -c 2 http://web-canary.shop/'), ['', 'a\nb']), 0.4),
  // It times the load test, which is drawn apart from it.
  loadTestTimeout: cleanOr(fc.constant(undefined), optional(seconds, 0.2)),
  metrics: optional(list(call('AnalysisMetric.prometheus', ([name, query, bounds]) => AnalysisMetric.prometheus(text(name), text(query), bounds as MetricRange),
    mostly(fc.constantFrom('server-errors', 'saturation'), ['Errors', 'success-rate', '']),
    mostly(fc.constantFrom('sum(rate(x{app="{{app}}", version="{{version}}"}[{{window}}]))', 'avg(y{namespace="{{namespace}}"})'),
      ['', 'x{{pod}}', 'a{{', '{{ namespace }}']),
    mostly(fc.constantFrom({ max: 1 }, { min: 0.5, max: 2 }, { min: 99 }), [{}, { min: 2, max: 1 }, { max: NaN }, { min: '1' }, 5])),
  { minLength: 1, maxLength: 2 }), 0.15),
});

const flaggerWebhook = props({
  name: mostly(fc.constantFrom('smoke-test', 'load-test'), ['', ' ', 'a b', undefined]),
  url,
  type: optional(mostly(fc.constantFrom(...Object.values(FlaggerWebhookType)), ['pre_rollout', 'PRE-ROLLOUT']), 0.5),
  timeout: optional(seconds, 0.3),
  metadata: optional(mostly(fc.constantFrom({ cmd: 'curl -s http://web-canary.shop/' }, { type: 'bash' }), [{ cmd: 1 }, { 'a b': 'x' }]), 0.3),
});

const flaggerPercent = mostly(fc.constantFrom(1, 50, 100), [0, 101, 12.5, '50']);

const flaggerAlert = props({
  name: mostly(fc.constantFrom('team', 'on-call'), ['', ' ', 42]),
  provider: mostly(fc.constantFrom('slack', 'pagerduty.ops'), ['Slack', '', 'a b']),
  providerNamespace: optional(mostly(fc.constantFrom('flagger-system'), ['Flagger', 'a.b']), 0.3),
  severity: optional(mostly(fc.constantFrom(...Object.values(FlaggerAlertSeverity)), ['critical', 'INFO']), 0.5),
});

const flaggerOptions = props({
  webhooks: optional(list(flaggerWebhook, { minLength: 1, maxLength: 2 }), 0.5),
  loadTesterUrl: optional(url, 0.3),
  progressDeadline: optional(seconds, 0.3),
  primaryReadyThreshold: optional(flaggerPercent, 0.2),
  canaryReadyThreshold: optional(flaggerPercent, 0.2),
  stepWeightPromotion: optional(flaggerPercent, 0.2),
  alerts: optional(list(flaggerAlert, { minLength: 1, maxLength: 2 }), 0.2),
});

const argoPods = (name: string) => call(name, ([value]) => (name.endsWith('percent') ? kplus.PercentOrAbsolute.percent(number(value))
  : kplus.PercentOrAbsolute.absolute(number(value))), mostly(fc.constantFrom(0, 1, 25), [-1, 150, 2.5]));

const rolePods = props({
  labels: optional(mostly(fc.constantFrom({ role: 'canary' }), [{ app: 'x' }, { role: 'a b' }]), 0.5),
  annotations: optional(mostly(fc.constantFrom({ note: 'new' }), [{ note: 1 }]), 0.3),
});

/** Argo's options of either strategy; the other strategy's are drawn too, now and then, and refused. */
const argoShared = {
  maxUnavailable: optional(fc.oneof(argoPods('PercentOrAbsolute.percent'), argoPods('PercentOrAbsolute.absolute')), 0.2),
  antiAffinity: optional(fc.oneof(call('AntiAffinity.required', () => AntiAffinity.required()),
    call('AntiAffinity.preferred', ([weight]) => AntiAffinity.preferred(number(weight)), mostly(fc.constantFrom(1, 50, 100), [0, 101]))), 0.2),
  newVersionPods: optional(rolePods, 0.15),
  servingVersionPods: optional(rolePods, 0.15),
  abortScaleDownDelay: optional(seconds, 0.15),
  analysisTemplates: optional(list(fc.oneof(
    call('AnalysisTemplateRef.named', ([name]) => AnalysisTemplateRef.named(text(name)), mostly(fc.constantFrom('error-budget', 'slo'), ['Error', ''])),
    call('AnalysisTemplateRef.cluster', ([name]) => AnalysisTemplateRef.cluster(text(name)), mostly(fc.constantFrom('error-budget'), ['a b'])),
  ), { minLength: 1, maxLength: 2 }), 0.1),
};

const stepPause = fc.oneof(
  call('StepPause.of', ([duration]) => StepPause.of(duration as Duration), seconds),
  call('StepPause.untilPromoted', () => StepPause.untilPromoted()),
  call('StepPause.untilAnalysisPasses', ([checks]) => StepPause.untilAnalysisPasses(number(checks)), mostly(fc.constantFrom(1, 3, 5), [0, 2.5])),
);

const argoCanary = props({
  ...argoShared,
  maxSurge: optional(fc.oneof(argoPods('PercentOrAbsolute.percent'), argoPods('PercentOrAbsolute.absolute')), 0.2),
  scaleDownDelay: optional(seconds, 0.15),
  dynamicStableScale: optional(mostly(fc.boolean(), ['yes']), 0.15),
  managedTesterRoutes: optional(mostly(fc.boolean(), ['yes']), 0.15),
  pauses: optional(list(stepPause, { minLength: 1, maxLength: 4 }), 0.3),
  canaryScale: optional(fc.oneof(call('CanaryScale.replicas', ([count]) => CanaryScale.replicas(number(count)), mostly(fc.constantFrom(1, 2), [0, 1.5])),
    call('CanaryScale.percent', ([percent]) => CanaryScale.percent(number(percent)), mostly(fc.constantFrom(25, 50), [0, 101]))), 0.2),
  previewReplicas: cleanOr(fc.constant(undefined), optional(fc.constant(1), 0.05)),
});

const argoBlueGreen = props({
  ...argoShared,
  previewReplicas: optional(mostly(fc.constantFrom(1, 2), [0, 1.5]), 0.3),
  autoPromotionDelay: optional(seconds, 0.2),
  postPromotionAnalysis: optional(mostly(fc.boolean(), ['yes']), 0.2),
  pauses: cleanOr(fc.constant(undefined), optional(fc.constant([]), 0.05)),
});

const steps = mostly(pooled([[10, 25, 50, 100], [50]], risingSteps), [[], [50, 10], [10, 150], 'ten', [10, NaN], [10, 10.5]]);

const linear = cleanOr(
  fc.constantFrom({ stepWeight: 10, maxWeight: 50 }, { stepWeight: 20, maxWeight: 60 }, { stepWeight: 25 }),
  props({
    stepWeight: mostly(fc.constantFrom(10, 20, 25), [0, 150, 12.5]),
    maxWeight: optional(mostly(fc.constantFrom(50, 100, 60), [5, 55]), 0.5),
  }),
);

/** A plan's weights: steps or linear ones, and in a mixed case now and then both or neither. */
const planWeights = cleanOr(
  fc.oneof({ weight: 6, arbitrary: props({ steps }) }, { weight: 1, arbitrary: props({ linear }) }),
  props({ steps: optional(steps, 0.85), linear: optional(linear, 0.15) }),
);

const canaryPlan = fc.tuple(planWeights, props({
  pause: optional(seconds, 0.3),
  analysis: optional(analysis, 0.3),
  flagger: optional(flaggerOptions, 0.1),
  argo: optional(argoCanary, 0.15),
  // A/B testing counts checks in place of weights; drawn beside them, it is refused.
  iterations: optional(mostly(fc.constantFrom(3, 10), [0, 2.5]), 0.05),
})).map(([weights, rest]) => ({ ...weights as LooseProps, ...rest }));

const blueGreenPlan = props({
  analysis: optional(analysis, 0.5),
  autoPromotion: optional(mostly(fc.boolean(), ['yes']), 0.3),
  scaleDownDelay: optional(seconds, 0.3),
  iterations: optional(mostly(fc.integer({ min: 1, max: 10 }), [0, 2.5, 2 ** 31]), 0.3),
  flagger: optional(flaggerOptions, 0.1),
  argo: optional(argoBlueGreen, 0.15),
});

/** A step of the plan: every plan has a step 0. */
const step = mostly(cleanOr(fc.constant(0), fc.integer({ min: 0, max: 3 })), [-1, 1.5, 9, '1', 2 ** 31]);

function commonProps(gateway: GatewayShape, roles: fc.Arbitrary<unknown>): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    name: optional(appName, 0.5),
    namespace: optional(namespace, 0.3),
    port: optional(port, 0.4),
    containerPort: optional(port, 0.3),
    protocol: optional(protocol, 0.3),
    replicas: optional(replicas, 0.3),
    hosts: hostsFor(gateway),
    gateway: new Dialled(fc.constant(undefined), optional(notAGateway, 0.005)),
    istioApiVersion: optional(istioApiVersion, 0.3),
    syncWaves: optional(mostly(fc.boolean(), ['yes']), 0.05),
    dataPlane: optional(mostly(fc.constantFrom('sidecar', 'ambient'), ['ztunnel', 'AMBIENT', 1]), 0.05),
    ...routingProps(roles),
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
  const byGit = [
    { weight: 6, arbitrary: props(fixed) },
    { weight: 2, arbitrary: props({ plan, step: optional(step, 0.7) }) },
  ];
  // Clean, the options of Argo Rollouts go with Argo Rollouts alone.
  const byArgo = props({ controller: fc.constant(ReleaseController.ARGO_ROLLOUTS), plan: optional(plan, 0.7), ...controllerOnly });
  const byOther = props({ controller: fc.constantFrom(ReleaseController.FLAGGER, ReleaseController.NONE), plan: optional(plan, 0.7) });
  const byAny = props({ controller, plan: optional(plan, 0.7), ...controllerOnly });
  const mixture = props({ ...fixed, plan: optional(plan, 0.5), step: optional(step, 0.5), controller: optional(controller, 0.5) });
  return new Dialled(
    fc.oneof(...byGit, { weight: 1, arbitrary: byArgo }, { weight: 1, arbitrary: byOther }),
    fc.oneof(...byGit, { weight: 2, arbitrary: byAny }, { weight: 1, arbitrary: mixture }),
  );
}

function withRelease(base: fc.Arbitrary<LooseProps>, release: fc.Arbitrary<LooseProps>): fc.Arbitrary<LooseProps> {
  return fc.tuple(base, release).map(([a, b]) => ({ ...a, ...b }));
}

function blueGreenProps(gateway: GatewayShape): fc.Arbitrary<LooseProps> {
  return withRelease(props({
    ...commonProps(gateway, BLUE_GREEN_ROLES),
    blue: requiredVersion(FIRST_VERSIONS),
    green: requiredVersion(SECOND_VERSIONS),
    active: optional(color, 0.6),
    cutover: optional(mostly(fc.constantFrom(...Object.values(CutoverMode)), ['selector', '', 1]), 0.3),
    scaledDownReplicas: optional(replicas, 0.2),
    preview: optional(preview, 0.1),
  }), releaseModes({ scaledDown: cleanOr(fc.constant(undefined), optional(color, 0.1)) }, blueGreenPlan, {}));
}

function canaryProps(gateway: GatewayShape): fc.Arbitrary<LooseProps> {
  return withRelease(props({
    ...commonProps(gateway, CANARY_ROLES),
    stable: requiredVersion(FIRST_VERSIONS),
    canary: cleanOr(versionProps(SECOND_VERSIONS), optional(versionProps(SECOND_VERSIONS), 0.9)),
  }), releaseModes({ canaryWeight: optional(weight, 0.7) }, canaryPlan, { argoRouting: optional(argoRouting, 0.3) }));
}

const bound = fc.oneof({ weight: 39, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

/** Stands for the props drawn, in a slot that may turn hostile and replace them whole. */
const DRAWN = Symbol('drawn');

/** The props as drawn, or now and then a hostile value in their place. */
function wholeOrHostile(drawn: fc.Arbitrary<LooseProps>): fc.Arbitrary<unknown> {
  return fc.tuple(drawn, orHostile(fc.constant(DRAWN))).map(([p, whole]) => (whole === DRAWN ? p : whole));
}

function app(gateway: GatewayShape): fc.Arbitrary<AppScenario> {
  return fc.oneof(
    fc.record({ kind: fc.constant('blue-green' as const), id: appId, bound, props: wholeOrHostile(blueGreenProps(gateway)) }, { noNullPrototype: true }),
    fc.record({ kind: fc.constant('canary' as const), id: appId, bound, props: wholeOrHostile(canaryProps(gateway)) }, { noNullPrototype: true }),
  );
}

/** The name an app gets: its `name`, else its id lower-cased (null counts as left out). */
function effectiveName(a: AppScenario): unknown {
  return (isProps(a.props) ? a.props.name : undefined) ?? a.id.toLowerCase();
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

const chartNamespace = mostly(fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: validNamespace },
  { weight: 1, arbitrary: fc.constant(undefined) },
), ['Shop']) as fc.Arbitrary<string | undefined>;

/**
 * The routing API of the gateway and of each app: one for the whole chart, as a repo would pick
 * it, and now and then a different one for one of them, which is refused.
 */
const chartApi = fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(TrafficApi.GATEWAY_API) });

function withApi(props: unknown, api: unknown): fc.Arbitrary<unknown> {
  return mostly(fc.constant(api), [TrafficApi.ISTIO, TrafficApi.GATEWAY_API, 'gateway', 'GATEWAY_API'], 20)
    .map(drawn => (drawn === undefined || !isProps(props) ? props : { ...props, trafficApi: drawn }));
}

/** The apps' hosts depend on the gateway's shape, so that is drawn first. */
const drawnScenario: fc.Arbitrary<Scenario> = fc.tuple(
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

/**
 * A hostile value put into a case: in place of the `at`-th value of its gateway and app props,
 * counted depth first, or with `key`, under that key of the `at`-th props object, where the drawn
 * props may have left the field out. Places are counted modulo their number.
 */
interface Fault {
  readonly at: number;
  readonly key?: string;
  readonly value: unknown;
}

/** The fields of the props, the apps' and the gateway's and every nested option's, as the public interfaces name them. */
const FIELDS = [
  'name', 'namespace', 'port', 'containerPort', 'protocol', 'additionalPorts', 'replicas', 'gateway', 'hosts', 'istioApiVersion', 'disruptionBudget',
  'autoscaling', 'mtls', 'controller', 'trafficApi', 'syncWaves', 'testerRoutes', 'mirror', 'routePolicy', 'trafficPolicy', 'stickySessions',
  'env', 'envFrom', 'args', 'command', 'workingDir', 'resources', 'readiness', 'liveness', 'startup', 'securityContext', 'imagePullPolicy',
  'volumeMounts', 'lifecycle', 'extraContainerPorts', 'volumes', 'podLabels', 'podAnnotations', 'serviceAccount', 'createServiceAccount',
  'automountServiceAccountToken', 'initContainers', 'sidecars', 'nodeSelector', 'nodeAffinity', 'tolerations', 'topologySpread',
  'priorityClassName', 'imagePullSecrets', 'podSecurityContext', 'terminationGracePeriod', 'shutdownDelay', 'hostAliases', 'dns',
  'blue', 'green', 'active', 'cutover', 'scaledDown', 'scaledDownReplicas', 'preview', 'plan', 'step', 'stable', 'canary', 'canaryWeight', 'argoRouting',
  'image', 'version', 'selector', 'tls', 'additionalServers', 'gatewayClassName', 'credentialName', 'mode', 'redirectHttp',
  'timeout', 'retries', 'fault', 'attempts', 'perTryTimeout', 'retryOn', 'delay', 'delayPercentage', 'abortHttpStatus', 'abortPercentage',
  'loadBalancer', 'connectionPool', 'outlierDetection', 'tlsMode', 'maxConnections', 'connectTimeout', 'http1MaxPendingRequests',
  'http2MaxRequests', 'maxRequestsPerConnection', 'consecutive5xxErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent',
  'cookieName', 'maxAge', 'when', 'to', 'percentage', 'maxReplicas', 'cpuUtilization', 'header', 'headerValue', 'host',
  'steps', 'linear', 'pause', 'analysis', 'flagger', 'autoPromotion', 'scaleDownDelay', 'iterations', 'stepWeight', 'maxWeight',
  'minSuccessRate', 'maxRequestDuration', 'failureLimit', 'prometheusAddress', 'loadTestCommand', 'loadTestTimeout', 'webhooks',
  'loadTesterUrl', 'progressDeadline', 'url', 'type', 'metadata', 'metrics', 'primaryReadyThreshold', 'canaryReadyThreshold', 'stepWeightPromotion',
  'alerts', 'provider', 'providerNamespace', 'severity', 'argo', 'maxSurge', 'maxUnavailable', 'antiAffinity', 'newVersionPods', 'servingVersionPods',
  'abortScaleDownDelay', 'dynamicStableScale', 'pauses', 'canaryScale', 'previewReplicas', 'autoPromotionDelay', 'postPromotionAnalysis', 'labels',
  'annotations', 'analysisTemplates', 'managedTesterRoutes', 'policy', 'nameservers', 'searches', 'options', 'ip', 'hostnames',
  'user', 'group', 'fsGroup', 'ensureNonRoot', 'preStop', 'postStart', 'node', 'weight', 'topology', 'maxSkew', 'whenUnsatisfiable',
  'cpu', 'memory', 'portNumber', 'dataPlane', 'waypoint', 'waypointNamespace',
];

function childrenOf(node: unknown): readonly unknown[] {
  return node instanceof Call ? node.args : Array.isArray(node) ? node : isProps(node) ? Object.values(node) : [];
}

/** How many places in `node`, itself included, `fits`. */
function placesIn(node: unknown, fits: (place: unknown) => boolean): number {
  return childrenOf(node).reduce((sum: number, child) => sum + placesIn(child, fits), fits(node) ? 1 : 0);
}

/**
 * `node` with `edit` made at the `at.count`-th place that `fits`, counted depth first from `node`
 * itself; the lists, props and calls on the way are copies.
 */
function edited(node: unknown, at: { count: number }, fits: (place: unknown) => boolean, edit: (place: unknown) => unknown): unknown {
  if (fits(node) && at.count-- === 0) return edit(node);
  const visit = (child: unknown) => edited(child, at, fits, edit);
  if (node instanceof Call) return node.withArgs(node.args.map(visit));
  if (Array.isArray(node)) return node.map(visit);
  if (isProps(node)) return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child)]));
  return node;
}

/** The gateway's props or ref, then each app's props: where faults go. */
function faultRoots(s: Scenario): unknown[] {
  const gateway = s.gateway.kind === 'construct' ? [s.gateway.props] : s.gateway.kind === 'none' ? [] : [s.gateway.ref];
  return [...gateway, ...s.apps.map(a => a.props)];
}

function withRoots(s: Scenario, roots: unknown[]): Scenario {
  const [gateway, apps] = s.gateway.kind === 'none' ? [s.gateway, roots] : [withGatewayRoot(s.gateway, roots[0]), roots.slice(1)];
  return { ...s, gateway, apps: s.apps.map((a, i) => ({ ...a, props: apps[i] })) };
}

function withGatewayRoot(gateway: Exclude<GatewayScenario, { kind: 'none' }>, root: unknown): GatewayScenario {
  return gateway.kind === 'construct' ? { ...gateway, props: root } : { ...gateway, ref: root };
}

function withFault(s: Scenario, { at, key, value }: Fault): Scenario {
  const roots = faultRoots(s);
  // The list of roots is no place for a fault.
  const fits = key === undefined ? (place: unknown) => place !== roots : isProps;
  const edit = key === undefined ? () => value : (place: unknown) => ({ ...place as LooseProps, [key]: value });
  const total = placesIn(roots, fits);
  return total === 0 ? s : withRoots(s, edited(roots, { count: at % total }, fits, edit) as unknown[]);
}

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ at: fc.nat(), value: hostileValue }),
  fc.record({ at: fc.nat(), key: fc.constantFrom(...FIELDS), value: hostileValue }),
);

const faults = fc.oneof(
  { weight: Math.round((1 - HOSTILE_SHARE) * 100), arbitrary: fc.constant([]) },
  { weight: Math.round(HOSTILE_SHARE * 100), arbitrary: fc.array(fault, { minLength: 1, maxLength: 2 }) },
);

/** Half the cases mixed, half clean, the clean ones maybe with a fault or two. */
export const scenario: fc.Arbitrary<Scenario> = fc.oneof(
  new Drawn(true, drawnScenario),
  fc.tuple(new Drawn(false, drawnScenario), faults).map(([s, drawn]) => drawn.reduce(withFault, s)),
);
