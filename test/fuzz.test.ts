import { Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, IIstioGateway, IstioGateway, IstioGatewayProps, RouteMatch, RouteTarget, StringMatch, verifyManifests,
} from '../src';
import { AppScenario, GatewayScenario, LooseProps, Scenario, scenario } from './support/arbitraries';
import { schemaErrors } from './support/schemas';

/**
 * The property: whatever props a caller passes, the constructs either synthesize manifests that
 * route (no findings at all, warnings included) and pass the schemas, or refuse in the constructor
 * with our own error. `npm run fuzz` runs 10,000 cases; FUZZ_SEED replays a run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** src/validate.ts `fail`: `<construct path>: <field> <problem>, got <value>; <fix>`, on one line. */
// A field may index a map by a quoted key: podLabels["team"].
const PROP_ERROR = /^(?<path>[\w-]+(?:\/[\w-]+)+): (?<field>[a-zA-Z](?:\["[^"]*"\]|[\w.[\]])*) (?<problem>.+), got (?<value>.+); (?<fix>.+)$/;
const FROM_NAME_ERROR = /^IstioGateway\.fromName: gatewayRef must be "namespace\/name", got (?<value>.+); (?<fix>.+)$/;

/** What was built so far: the paths an error may name, and the gateways the chart refers to but does not hold. */
interface Site {
  readonly chart: Chart;
  readonly paths: string[];
  readonly externalGateways: string[];
}

function buildGateway(gateway: GatewayScenario, site: Site): IIstioGateway | undefined {
  switch (gateway.kind) {
    case 'none':
      return undefined;
    case 'fromName': {
      const ref = IstioGateway.fromName(gateway.ref as string);
      site.externalGateways.push(ref.gatewayRef);
      return ref;
    }
    case 'construct':
      site.paths.push(`${site.chart.node.path}/${gateway.id}`);
      return new IstioGateway(site.chart, gateway.id, gateway.props as unknown as IstioGatewayProps);
  }
}

function buildApp(app: AppScenario, gateway: IIstioGateway | undefined, site: Site): void {
  site.paths.push(`${site.chart.node.path}/${app.id}`);
  const props = { ...app.props, gateway: app.bound ? gateway : undefined };
  if (app.kind === 'blue-green') new BlueGreenApp(site.chart, app.id, props as unknown as BlueGreenAppProps);
  else new CanaryApp(site.chart, app.id, props as unknown as CanaryAppProps);
}

/** Why `error` is not one of ours, or undefined when it is. */
function notOurError(error: unknown, paths: readonly string[]): string | undefined {
  if (!(error instanceof Error) || Object.getPrototypeOf(error) !== Error.prototype) return `not a plain Error: ${String(error)}`;
  const message = error.message;
  if (/undefined|\[object Object\]/.test(message)) return `the message shows a value badly: ${message}`;
  const prop = PROP_ERROR.exec(message);
  if (prop) return paths.includes(prop.groups!.path) ? undefined : `names no construct that was built (${paths.join(', ')}): ${message}`;
  return FROM_NAME_ERROR.test(message) ? undefined : `not in our error format: ${message}`;
}

type Outcome = 'synthesized' | 'refused';

/** Builds the scenario and checks the property; throws (a jest assertion) when it does not hold. */
function check(s: Scenario): Outcome {
  const site: Site = { chart: new Chart(Testing.app(), 'test', { namespace: s.chartNamespace }), paths: [], externalGateways: [] };
  try {
    const gateway = buildGateway(s.gateway, site);
    for (const app of s.apps) buildApp(app, gateway, site);
  } catch (error) {
    expect(notOurError(error, site.paths)).toBeUndefined();
    return 'refused';
  }
  // A throw from here on (a synth-time route check included) means the constructors accepted bad props.
  const objects = Testing.synth(site.chart);
  expect(verifyManifests(objects, { externalGateways: site.externalGateways })).toEqual([]);
  expect(schemaErrors(objects)).toEqual([]);
  return 'synthesized';
}

const tally = { runs: 0, synthesized: 0, refused: 0, failures: 0 };

function tallied(s: Scenario): void {
  tally.runs++;
  try {
    tally[check(s)]++;
  } catch (error) {
    tally.failures++;
    throw error;
  }
}

afterAll(() => {
  const { runs, synthesized, refused, failures } = tally;
  console.log(`fuzz: ${runs} runs, ${synthesized} synthesized, ${refused} refused with our error, ${failures} failures`);
});

const V1 = { image: 'nginx:1.10', version: 'v1' };
const V2 = { image: 'nginx:1.11', version: 'v2' };
const NO_GATEWAY: GatewayScenario = { kind: 'none' };

function blueGreen(props: LooseProps, id = 'Web'): AppScenario {
  return { kind: 'blue-green', id, bound: true, props: { blue: V1, green: V2, ...props } };
}

function canary(props: LooseProps, id = 'Reviews'): AppScenario {
  return { kind: 'canary', id, bound: true, props: { stable: V1, canary: V2, ...props } };
}

function inChart(gateway: GatewayScenario, ...apps: AppScenario[]): Scenario {
  return { chartNamespace: 'shop', gateway, apps };
}

test('any props either synthesize routable, schema-valid manifests or are refused with our own error', () => {
  fc.assert(fc.property(scenario, s => {
    tallied(s);
  }), { numRuns: RUNS, seed: SEED });
});

/** Bugs the fuzz found, as the smallest props that show them, each with the outcome it must have now. */
describe('known bugs', () => {
  // testerRoutes[].when and autoscaling.maxReplicas show it too: validate.ts `show` prints undefined as is.
  test('a missing required field is reported without "got undefined"', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ green: { image: 'nginx:1.11' } })))).toBe('refused');
  });

  test('a missing blue, green or stable is refused with our error', () => {
    check(inChart(NO_GATEWAY, blueGreen({ green: undefined })));
  });

  test('an active colour other than blue or green is refused', () => {
    check(inChart(NO_GATEWAY, blueGreen({ active: 'red' })));
  });

  test('an unknown protocol is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ protocol: 'udp' })))).toBe('refused');
  });

  test('an unknown istioApiVersion is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ istioApiVersion: 'v2' })))).toBe('refused');
  });

  test('gateway hosts that are not a list are refused with our error', () => {
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: undefined } }))).toBe('refused');
  });

  test('a gateway selector value that is not a string is refused', () => {
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'], selector: { istio: 42 } } }))).toBe('refused');
  });

  test('IstioGateway.fromName refuses a ref that is not a string with its own error', () => {
    expect(check(inChart({ kind: 'fromName', ref: undefined }))).toBe('refused');
  });

  test('an app with the id RouteCheck is refused or works', () => {
    check(inChart({ kind: 'fromName', ref: 'istio-system/public-gateway' }, canary({ hosts: ['shop.example.com'] }, 'RouteCheck')));
  });

  test('two apps that claim the same host in the mesh are refused', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, canary({}, 'Reviews'), blueGreen({}, 'Web')))).toBe('refused');
  });

  test('an app whose short host is another app\'s Service name is refused', () => {
    const gateway: GatewayScenario = { kind: 'fromName', ref: 'istio-system/public-gateway' };
    expect(check(inChart(gateway, blueGreen({ hosts: ['web'] }, 'Reviews'), canary({ hosts: ['shop.example.com'] }, 'Web')))).toBe('refused');
  });

  test('a duration that is not a Duration is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: '5s' } })))).toBe('refused');
  });

  test('a duration in fractions of a millisecond is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: Duration.millis(0.5) } })))).toBe('refused');
  });

  test('a duration under 1ms is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ routePolicy: { timeout: Duration.millis(0) } })))).toBe('refused');
  });

  test('a disruptionBudget that is not a DisruptionBudget is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ disruptionBudget: 'minAvailable' })))).toBe('refused');
  });

  test('connection pool and outlier detection numbers that are not whole are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1.5 } } })))).toBe('refused');
  });

  test('negative connection pool and outlier detection numbers are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: -1 } } })))).toBe('refused');
  });

  test('a sticky session maxAge in fractions of a second is rounded or refused with our error', () => {
    check(inChart(NO_GATEWAY, canary({ stickySessions: { maxAge: Duration.millis(1500) } })));
  });

  test('an unknown client TLS mode is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ trafficPolicy: { tlsMode: 'STRICT' } })))).toBe('refused');
  });

  test('an unknown imagePullPolicy is refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ stable: { ...V1, imagePullPolicy: 'Sometimes' } })))).toBe('refused');
  });

  test('an unknown gateway TLS mode is refused', () => {
    const tls = { credentialName: 'shop-cert', mode: 'simple' };
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'], tls } }))).toBe('refused');
  });

  test('a preview headerValue that is not a string is refused', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ preview: { header: 'x-preview', headerValue: 42 } })))).toBe('refused');
  });

  test('two apps whose objects get the same name are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ name: 'web-x' }), canary({ stable: { ...V1, version: 'x-v1' }, canary: undefined }, 'Web')))).toBe('refused');
  });

  test('a plan\'s maxRequestDuration in fractions of a millisecond is refused with our error', () => {
    expect(check(inChart(NO_GATEWAY, blueGreen({ plan: { analysis: { maxRequestDuration: Duration.millis(0.5) } } })))).toBe('refused');
  });

  test('a Gateway API gateway that names a host twice is refused', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com', 'shop.example.com'], trafficApi: 'gateway-api' } };
    expect(check(inChart(gateway, canary({ hosts: ['shop.example.com'], trafficApi: 'gateway-api' }, 'Web')))).toBe('refused');
  });

  test('a Gateway API mirror of a vanishing percentage writes a whole percent', () => {
    expect(check(inChart(NO_GATEWAY, canary({ mirror: { to: RouteTarget.stable(), percentage: 5e-324 }, canaryWeight: 10, trafficApi: 'gateway-api' }, 'Web')))).toBe('synthesized');
  });

  test('a plan\'s autoPromotion, mtls or syncWaves that is not a boolean is refused', () => {
    check(inChart(NO_GATEWAY, blueGreen({ controller: 'argo-rollouts', plan: { autoPromotion: 'yes' } })));
    check(inChart(NO_GATEWAY, blueGreen({ mtls: 'yes' })));
    check(inChart(NO_GATEWAY, canary({ syncWaves: 'yes' })));
  });

  test('a Gateway API gateway whose two servers serve a host on one port is refused', () => {
    const props = { hosts: ['web.shop.svc.cluster.local', 'shop.example.com'], additionalServers: [{ hosts: ['shop.example.com'] }], trafficApi: 'gateway-api' };
    expect(check(inChart({ kind: 'construct', id: 'Gateway', props }, canary({ hosts: ['shop.example.com'], trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('a wildcard preview host is refused with our error, not a regular expression\'s', () => {
    expect(check(inChart({ kind: 'fromName', ref: 'istio-system/public-gateway' }, blueGreen({ preview: { host: '*.org' }, trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('a Gateway API tester route on an empty header value is refused', () => {
    const testerRoutes = [{ when: [RouteMatch.header('x-tester', StringMatch.exact(''))], to: RouteTarget.stable() }];
    expect(check(inChart(NO_GATEWAY, canary({ testerRoutes, trafficApi: 'gateway-api' })))).toBe('refused');
  });

  test('replicas beyond a 32-bit integer are refused', () => {
    expect(check(inChart(NO_GATEWAY, canary({ replicas: 2 ** 31 })))).toBe('refused');
  });

  test('a preview header through a gateway names the port of a multi-port preview Service', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, blueGreen({ additionalPorts: [{ port: 9080 }], preview: { header: 'x-preview' } })))).toBe('synthesized');
  });

  test('an app with one HTTP port and a TCP port routes through its gateway', () => {
    const gateway: GatewayScenario = { kind: 'construct', id: 'Gateway', props: { hosts: ['shop.example.com'] } };
    expect(check(inChart(gateway, canary({ additionalPorts: [{ port: 5432, protocol: 'tcp' }] })))).toBe('synthesized');
  });
});
