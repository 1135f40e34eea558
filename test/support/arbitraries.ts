import fc from 'fast-check';
import { Color, CutoverMode, IstioApiVersion, Protocol } from '../../src';

/**
 * Scenarios for the property test in test/fuzz.test.ts: a chart, maybe a gateway, and one or two
 * release apps, with props as a JavaScript caller might pass them. Values are mostly valid, with
 * edge values (port 1 and 65535, 0 replicas) among the valid ones, and sometimes invalid, wrong in
 * type included. Scenarios are plain data, so that fast-check prints and shrinks them; the test
 * turns them into constructs.
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
 * the first one, so list the plainest first.
 */
function mostly(valid: fc.Arbitrary<unknown>, invalid: readonly unknown[], odds = 30): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: odds - 1, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
}

/** A few fixed values, so that two draws often collide, and random ones for variety. */
function pooled<T>(pool: readonly T[], random: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: random });
}

// 'web-x' and 'web-preview' can name the objects of another app ('web' with version 'x-v1', or a preview).
const appName = mostly(
  pooled(['web', 'reviews', 'web-x', 'web-preview', 'a', 'a'.repeat(63)], fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/)),
  ['Web', '2web', 'a'.repeat(64), '', 'web.app', 'web_app', '-web', 'web-', 42, null],
);

/** Construct ids, which name the app when `name` is left out; 'My_App' and '2Fast' make invalid names. */
const appId = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('Web', 'Reviews', 'Backend2', 'Api') },
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
  [-1, 1.5, NaN, Infinity, '2', null],
);

const weight = mostly(
  pooled([0, 100, 10, 50], fc.integer({ min: 0, max: 100 })),
  [-1, 101, 10.5, NaN, '10', Infinity, null],
);

// Versions that differ only in case or in '.', '_' and '-' give the same name part.
const version = mostly(
  pooled(['v1', 'v2', '1.10', '1_10', '1-10', 'V1', 'x-v1', 'v1.0_rc-1', 'blue', '1.11', 'v'.repeat(63)],
    fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/)),
  ['', 'v'.repeat(64), 'v 1', '-v1', 'v1.', 'v1/2', 42, undefined, null],
);

const image = mostly(
  fc.constantFrom('nginx:1.10', 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', 'reviews', 'NGINX:latest'),
  ['', '   ', 'nginx 1.10', ' nginx', 42, undefined, null],
);

const versionProps: fc.Arbitrary<LooseProps> = fc.record(
  { image, version, replicas },
  { requiredKeys: ['image', 'version'] },
);

const host = fc.constantFrom(
  'shop.example.com', 'a.example.com', '*.example.com', 'example.com', 'other.org', '*.org',
  'web', 'web.shop.svc.cluster.local', '*.svc.cluster.local',
);

const badHosts = ['', 'Shop.example.com', 'a..b', 'x.com.', 'edge/shop.example.com', `${'a'.repeat(64)}.com`, '*.*.com', 42];

/** An app's hosts: '*', which a gateway may serve, is refused for apps. */
const appHosts = mostly(
  fc.array(mostly(host, ['*', ...badHosts]), { minLength: 1, maxLength: 3 }),
  [[], 'shop.example.com', null],
);

const gatewayHosts = mostly(
  fc.array(mostly(fc.oneof(host, fc.constant('*')), badHosts), { minLength: 1, maxLength: 3 }),
  [[], 'shop.example.com', 42, undefined],
);

const protocol = mostly(fc.constantFrom(...Object.values(Protocol)), ['HTTP', 'udp', 'https', '', 42]);

const istioApiVersion = mostly(fc.constantFrom(...Object.values(IstioApiVersion)), ['v2', 'v1alpha3', 'V1', '', 42]);

const selector = mostly(
  fc.constantFrom({ istio: 'ingressgateway' }, { app: 'edge-gateway' }, { 'istio.io/gateway-name': 'public' }),
  [{}, { istio: 42 }, { 'bad key': 'x' }, { istio: 'Bad Value!' }, 'istio=ingressgateway', null],
);

const gatewayName = mostly(
  fc.constantFrom('public-gateway', 'gw.v1', 'g'.repeat(100)),
  ['GW', '', 'gw_1', '-gw', 42, null],
);

const gatewayRef = mostly(
  fc.constantFrom('istio-system/public-gateway', 'edge/gw.v1', 'shop/app-gateway'),
  ['public-gateway', 'a/b/c', '/gw', 'ns/', 'NS/gw', 'ns/GW', '', 42, undefined],
  10,
);

const gateway: fc.Arbitrary<GatewayScenario> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('construct' as const),
      id: fc.constantFrom('Gateway', 'PublicGateway'),
      props: fc.record(
        { hosts: gatewayHosts, name: gatewayName, namespace, selector, port, istioApiVersion },
        { requiredKeys: ['hosts'] },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fromName' as const), ref: gatewayRef }) },
);

const commonProps = {
  name: appName,
  namespace,
  port,
  containerPort: port,
  protocol,
  replicas,
  hosts: appHosts,
  istioApiVersion,
};

const color = mostly(fc.constantFrom(Color.BLUE, Color.GREEN), ['red', 'BLUE', 'Blue', '', 1, null]);

const blueGreenProps: fc.Arbitrary<LooseProps> = fc.record({
  ...commonProps,
  blue: versionProps,
  green: versionProps,
  active: color,
  cutover: mostly(fc.constantFrom(...Object.values(CutoverMode)), ['selector', '', 1]),
  scaledDown: color,
  scaledDownReplicas: replicas,
}, { requiredKeys: ['blue', 'green'] });

const canaryProps: fc.Arbitrary<LooseProps> = fc.record({
  ...commonProps,
  stable: versionProps,
  canary: versionProps,
  canaryWeight: weight,
}, { requiredKeys: ['stable'] });

const bound = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

const app: fc.Arbitrary<AppScenario> = fc.oneof(
  fc.record({ kind: fc.constant('blue-green' as const), id: appId, bound, props: blueGreenProps }),
  fc.record({ kind: fc.constant('canary' as const), id: appId, bound, props: canaryProps }),
);

/** The name an app gets: its `name`, else its id lower-cased (null counts as left out). */
function effectiveName(a: AppScenario): unknown {
  return a.props.name ?? a.id.toLowerCase();
}

/** Two apps in one chart need their own ids and names; anything else is not what the brief fuzzes. */
function distinct(apps: readonly AppScenario[]): boolean {
  return new Set(apps.map(a => a.id)).size === apps.length && new Set(apps.map(effectiveName)).size === apps.length;
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  chartNamespace: fc.oneof({ weight: 6, arbitrary: validNamespace }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('Shop') }),
  gateway,
  apps: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(app) },
    { weight: 1, arbitrary: fc.tuple(app, app).filter(distinct) },
  ),
});
