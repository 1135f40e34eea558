import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, ClientTlsMode, Color, CutoverMode, GatewayTlsMode, IstioApiVersion, IstioGateway,
  IstioGatewayProps, LoadBalancer, Protocol, RouteMatch, RouteTarget, SimpleLoadBalancer, StringMatch, TrafficApi,
} from '../src';
import { checkGatewayApi } from '../src/release/checks-gateway-api';
import { resolveBlueGreen } from '../src/blue-green-app';
import { resolveCanary } from '../src/canary-app';
import { fitName } from '../src/render/gateway-api';
import { show } from '../src/validate';
import { deploymentsSelectedBy, expectSound, find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectIstioApiVersionUsed, expectRendersWhatResolves, mostly, none, unbuilt } from './support/render-property';
import { expectValidManifests } from './support/schemas';

const GATEWAY_API = TrafficApi.GATEWAY_API;
const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const tester = { name: 'jason', when: [RouteMatch.header('end-user', StringMatch.exact('jason'))], to: RouteTarget.canary() };

function gatewayOf(chart: Chart, props: Partial<IstioGatewayProps> = {}): IstioGateway {
  return new IstioGateway(chart, 'Gateway', { name: 'edge', hosts: ['reviews.example.com'], trafficApi: GATEWAY_API, ...props });
}

const reviewsProps = (props: Partial<CanaryAppProps> = {}): CanaryAppProps => ({
  port: 9080, stable: v1, canary: v2, canaryWeight: 10, trafficApi: GATEWAY_API, ...props,
});

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', reviewsProps(props));
}

const webProps = (props: Partial<BlueGreenAppProps> = {}): BlueGreenAppProps => ({
  blue: { image: 'web:1.0', version: '1.0' }, green: { image: 'web:1.1', version: '1.1' }, active: Color.BLUE, trafficApi: GATEWAY_API, ...props,
});

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', webProps(props));
}

const route = (objects: Manifest[], name: string) => find(objects, 'HTTPRoute', name).spec;
const rule = (objects: Manifest[], name: string, ruleName: string) => route(objects, name).rules.find((r: Manifest) => r.name === ruleName);
/** `{ backend Service: weight }` of an HTTPRoute's weighted rule. */
const split = (objects: Manifest[], name: string) =>
  Object.fromEntries(rule(objects, name, 'primary').backendRefs.map((b: Manifest) => [b.name, b.weight]));

describe('TrafficApi.GATEWAY_API: a canary through a Gateway API Gateway', () => {
  const chart = newChart();
  reviews(chart, { gateway: gatewayOf(chart), testerRoutes: [tester] });
  const objects = expectSound(chart);

  test('emits Deployments, the app Service, a Service per version and HTTPRoutes; no Istio routing objects', () => {
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'Service', 'HTTPRoute', 'HTTPRoute']);
    expect(objects.filter(o => o.kind !== 'Service' && o.kind !== 'Deployment').map(o => o.apiVersion))
      .toEqual(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1']);
    expect(objects.filter(o => o.kind === 'Service').map(o => o.metadata.name)).toEqual(['reviews', 'reviews-v1', 'reviews-v2']);
    expect(objects).toMatchSnapshot();
  });

  test('each version\'s Service selects exactly its Deployment, with the app\'s ports; the app Service selects both', () => {
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'reviews-v1').spec.selector)).toEqual(['reviews-v1']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'reviews-v2').spec.selector)).toEqual(['reviews-v2']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'reviews').spec.selector)).toEqual(['reviews-v1', 'reviews-v2']);
    expect(find(objects, 'Service', 'reviews-v2').spec.ports).toEqual(find(objects, 'Service', 'reviews').spec.ports);
  });

  test('the HTTPRoute reviews attaches to the app Service (GAMMA) for in-mesh callers: testers first, then the split', () => {
    expect(route(objects, 'reviews')).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
      rules: [
        {
          name: 'jason',
          matches: [{ headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }] }],
          backendRefs: [{ name: 'reviews-v2', port: 9080 }],
        },
        {
          name: 'primary',
          backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }],
        },
      ],
    });
  });

  test('the HTTPRoute reviews-gateway attaches to the Gateway for the app\'s hosts, with the same rules', () => {
    const ingress = route(objects, 'reviews-gateway');
    expect(ingress.parentRefs).toEqual([{ name: 'edge', namespace: 'shop' }]);
    expect(ingress.hostnames).toEqual(['reviews.example.com']);
    expect(ingress.rules).toEqual(route(objects, 'reviews').rules);
  });

  test('the Gateway has class istio and a listener for the host, open to routes of every namespace', () => {
    expect(find(objects, 'Gateway', 'edge')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'shop' },
      spec: {
        gatewayClassName: 'istio',
        listeners: [{
          name: 'http.reviews.example.com', hostname: 'reviews.example.com', port: 80, protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        }],
      },
    });
  });

  test.each([0, 1, 50, 100])('backend weights are the split, %i% to the canary', weight => {
    const objs = synth(c => reviews(c, { canaryWeight: weight, stable: { ...v1, replicas: weight === 100 ? 0 : 2 } }));
    expect(split(objs, 'reviews')).toEqual({ 'reviews-v1': 100 - weight, 'reviews-v2': weight });
  });

  test('without a gateway, only the mesh route is emitted', () => {
    const objs = synth(c => reviews(c));
    expect(objs.filter(o => o.kind === 'HTTPRoute').map(o => o.metadata.name)).toEqual(['reviews']);
    expectValidManifests(objs);
  });
});

describe('TrafficApi.GATEWAY_API: what maps', () => {
  test('a Gateway API gateway imported by name is a parentRef to it', () => {
    const objs = synth(c => reviews(c, { gateway: IstioGateway.fromName('istio-system/public', GATEWAY_API), hosts: ['reviews.example.com'] }));
    expect(route(objs, 'reviews-gateway').parentRefs).toEqual([{ name: 'public', namespace: 'istio-system' }]);
    expect(kinds(objs)).not.toContain('Gateway');
  });

  test('header, cookie and query matches: exact as Exact, regex and prefix as RegularExpression (RE2 in Istio)', () => {
    const objs = synth(c => reviews(c, {
      testerRoutes: [
        { name: 'beta', when: [RouteMatch.header('x-group', StringMatch.prefix('beta.')), RouteMatch.queryParam('canary', StringMatch.exact('1'))], to: RouteTarget.canary() },
        { name: 'ua', when: [RouteMatch.header('user-agent', StringMatch.regex('.*Firefox.*'))], to: RouteTarget.canary() },
        { name: 'pinned', when: [RouteMatch.cookie('pin', 'v1')], to: RouteTarget.stable() },
      ],
    }));
    expect(route(objs, 'reviews').rules.map((r: Manifest) => r.matches)).toEqual([
      [{ headers: [{ name: 'x-group', type: 'RegularExpression', value: '^beta\\..*' }], queryParams: [{ name: 'canary', type: 'Exact', value: '1' }] }],
      [{ headers: [{ name: 'user-agent', type: 'RegularExpression', value: '.*Firefox.*' }] }],
      [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*;\\s*)?pin=v1(;.*)?$' }] }],
      undefined,
    ]);
    expectValidManifests(objs);
  });

  test('timeouts become timeouts.request, a version\'s own on the routes to it alone', () => {
    const objs = synth(c => reviews(c, {
      routePolicy: { timeout: Duration.seconds(90) },
      canary: { ...v2, routePolicy: { timeout: Duration.millis(1500) } },
      testerRoutes: [tester],
    }));
    expect(route(objs, 'reviews').rules.map((r: Manifest) => [r.name, r.timeouts])).toEqual([
      ['jason', { request: '1s500ms' }],
      ['primary', { request: '1m30s' }],
    ]);
    expectValidManifests(objs);
  });

  test.each([
    [20, { percent: 20 }],
    [0.5, { fraction: { numerator: 5, denominator: 1000 } }],
    [12.25, { fraction: { numerator: 1225, denominator: 10000 } }],
    [0.1 + 0.2, { fraction: { numerator: 3, denominator: 1000 } }],
    [5e-324, { percent: 0 }],
  ])('mirroring %p% copies the split\'s requests to the version\'s Service with a RequestMirror filter', (percentage, share) => {
    const objs = synth(c => reviews(c, { canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage } }));
    expect(rule(objs, 'reviews', 'primary').filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v2', port: 9080 }, ...share } },
    ]);
    expectValidManifests(objs);
  });

  test('each HTTP port gets its own mesh route, whose backends keep the port; the gateway routes to the first', () => {
    const chart = newChart();
    reviews(chart, { gateway: gatewayOf(chart), additionalPorts: [{ port: 9090, protocol: Protocol.GRPC, name: 'grpc-api' }] });
    const objs = expectSound(chart);
    expect(objs.filter(o => o.kind === 'HTTPRoute').map(o => o.metadata.name)).toEqual(['reviews', 'reviews-grpc-api', 'reviews-gateway']);
    expect(route(objs, 'reviews-grpc-api').parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9090 }]);
    expect(rule(objs, 'reviews-grpc-api', 'primary').backendRefs.map((b: Manifest) => b.port)).toEqual([9090, 9090]);
    expect(rule(objs, 'reviews-gateway', 'primary').backendRefs.map((b: Manifest) => b.port)).toEqual([9080, 9080]);
  });

  test('mtls still emits the STRICT PeerAuthentication, which is not routing', () => {
    const objs = synth(c => reviews(c, { mtls: true }));
    expect(kinds(objs)).toContain('PeerAuthentication');
  });

  describe('a blue/green preview', () => {
    const chart = newChart();
    const gateway = gatewayOf(chart, { hosts: ['shop.example.com', 'preview.shop.example.com'] });
    web(chart, { gateway, hosts: ['shop.example.com'], preview: { header: 'x-preview', host: 'preview.shop.example.com' } });
    const objects = expectSound(chart);

    test('sends the header to the preview Service, and blue takes all the rest', () => {
      expect(route(objects, 'web').rules).toEqual([
        {
          name: 'preview-header',
          matches: [{ headers: [{ name: 'x-preview', type: 'Exact', value: 'true' }] }],
          backendRefs: [{ name: 'web-preview', port: 80 }],
        },
        { name: 'primary', backendRefs: [{ name: 'web-blue', port: 80, weight: 100 }, { name: 'web-green', port: 80, weight: 0 }] },
      ]);
      expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'web-preview').spec.selector)).toEqual(['web-green']);
    });

    test('gives the preview host a route of its own, since Gateway API matches hosts by a route\'s hostnames', () => {
      expect(route(objects, 'web-gateway').hostnames).toEqual(['shop.example.com']);
      expect(route(objects, 'web-preview-host')).toEqual({
        parentRefs: [{ name: 'edge', namespace: 'shop' }],
        hostnames: ['preview.shop.example.com'],
        rules: [
          {
            name: 'preview-header',
            matches: [{ headers: [{ name: 'x-preview', type: 'Exact', value: 'true' }] }],
            backendRefs: [{ name: 'web-preview', port: 80 }],
          },
          { name: 'preview-host', backendRefs: [{ name: 'web-preview', port: 80 }] },
        ],
      });
    });
  });

  test('with selector cutover, the routes go to the app Service, and there are no version Services', () => {
    const chart = newChart();
    web(chart, { cutover: CutoverMode.SERVICE_SELECTOR, gateway: gatewayOf(chart, { hosts: ['shop.example.com'] }), hosts: ['shop.example.com'] });
    const objs = expectSound(chart);
    expect(objs.filter(o => o.kind === 'Service').map(o => o.metadata.name)).toEqual(['web']);
    // In the mesh the Service alone routes: no route is needed.
    expect(objs.filter(o => o.kind === 'HTTPRoute').map(o => o.metadata.name)).toEqual(['web-gateway']);
    expect(route(objs, 'web-gateway').rules).toEqual([{ name: 'primary', backendRefs: [{ name: 'web', port: 80 }] }]);
  });

  test('the preview carries the idle colour\'s own timeout, as the routes to a version alone do', () => {
    const objs = synth(c => web(c, { preview: { header: 'x-preview' }, green: { image: 'web:1.1', version: '1.1', routePolicy: { timeout: Duration.seconds(3) } } }));
    expect(route(objs, 'web').rules.map((r: Manifest) => [r.name, r.timeouts])).toEqual([['preview-header', { request: '3s' }], ['primary', undefined]]);
    expectValidManifests(objs);
  });

  test('with selector cutover and a preview header, the mesh gets a route for the header', () => {
    const chart = newChart();
    web(chart, { cutover: CutoverMode.SERVICE_SELECTOR, preview: { header: 'x-preview' } });
    const objs = expectSound(chart);
    expect(route(objs, 'web').rules.map((r: Manifest) => r.backendRefs)).toEqual([[{ name: 'web-preview', port: 80 }], [{ name: 'web', port: 80 }]]);
  });
});

describe('TrafficApi.GATEWAY_API: hosts and the preview, within what an HTTPRoute holds', () => {
  const hosts = (count: number) => Array.from({ length: count }, (_, i) => `h${i}.example.com`);
  /** A host of 253 characters, the longest DNS name; with `*.` before it, 255. */
  const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  const bound = (chart: Chart, served: string[], props: Partial<BlueGreenAppProps>) => webProps({ gateway: gatewayOf(chart, { hosts: served }), ...props });

  test.each<[string, string[], Partial<BlueGreenAppProps>, string]>([
    ['a gateway route would name more than 16 hosts', ['*.example.com'], { hosts: hosts(17) },
      'hosts name more hosts than the 16 hostnames an HTTPRoute holds, got 17; split the hosts between apps, or use TrafficApi.ISTIO'],
    ['a wildcard host is longer than a Gateway API hostname', ['*'], { hosts: [`*.${longest}`] },
      `hosts hold a host longer than the 253 characters of a Gateway API hostname, got ${show(`*.${longest}`)}; use a shorter host, or TrafficApi.ISTIO`],
    ['the preview header is no name Gateway API takes', ['*.example.com'], { hosts: ['shop.example.com'], preview: { header: 'x'.repeat(257) } },
      'preview.header route "preview-header" matches a header name that Gateway API does not take: an HTTP token of 1 to 256 letters, digits and '
      + `!#$%&'*+-.^_\`|~, got ${show('x'.repeat(257))}; use a name such as "x-tester", or TrafficApi.ISTIO`],
    ['the preview header\'s value is longer than an HTTPRoute holds', ['*.example.com'], { hosts: ['shop.example.com'], preview: { header: 'x-preview', headerValue: 'v'.repeat(4097) } },
      'preview.headerValue route "preview-header" matches header x-preview against a value that an HTTPRoute writes in 4097 characters, and it holds 4096, '
      + `got ${show({ exact: 'v'.repeat(4097) })}; match a shorter value, or use TrafficApi.ISTIO`],
  ])('fails when %s, in the resolve step, before any object is made', (_, served, props, message) => {
    const chart = newChart();
    const at = unbuilt('Web', chart);
    expect(() => resolveBlueGreen(at, bound(chart, served, props))).toThrow(`test/Web: ${message}`);
    expect(at.node.children).toEqual([]);
  });

  test.each<[string, string[], Partial<BlueGreenAppProps>]>([
    ['16 hosts on one gateway route', ['*.example.com'], { hosts: hosts(16) }],
    ['a host of 253 characters', [longest], { hosts: [longest] }],
    ['a preview header of 256 characters and a value of 4096', ['*.example.com'], { hosts: ['shop.example.com'], preview: { header: 'x'.repeat(256), headerValue: 'v'.repeat(4096) } }],
  ])('takes %s, and the objects stay within the Gateway API\'s bounds', (_, served, props) => {
    const chart = newChart();
    new BlueGreenApp(chart, 'Web', bound(chart, served, props));
    expectSound(chart);
  });
});

describe('Gateway API listener names made from hosts, kept to 253 characters', () => {
  const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

  test('a name of 253 characters stays as it is; one of 254 becomes its start and a hash, 253 long, the same every time', () => {
    expect(fitName('a'.repeat(253))).toBe('a'.repeat(253));
    const fitted = fitName(`http.${longest}`);
    expect(fitted).toBe(`http.${longest.slice(0, 253 - 5 - 11)}-${fitted.slice(-10)}`);
    expect(fitted).toHaveLength(253);
    expect(fitted.slice(-10)).toMatch(/^[0-9a-f]{10}$/);
    expect(fitName(`http.${longest}`)).toBe(fitted);
  });

  test('two long names with the same start stay apart, and a cut before "." or "-" drops it, so that the name stays a DNS name', () => {
    const [a, b] = [fitName(`${'a'.repeat(250)}-one`), fitName(`${'a'.repeat(250)}-two`)];
    expect(a).not.toBe(b);
    const cutAtDash = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), `${'d'.repeat(49)}-${'e'.repeat(13)}`].join('.');
    expect(fitName(cutAtDash)).toMatch(new RegExp(`^${cutAtDash.slice(0, 241).replace(/\./g, '\\.')}-[0-9a-f]{10}$`));
    const cutAtDot = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(49), 'e'.repeat(13)].join('.');
    expect(fitName(cutAtDot)).toMatch(new RegExp(`^${cutAtDot.slice(0, 241).replace(/\./g, '\\.')}-[0-9a-f]{10}$`));
  });

  test('a 253-character host makes listeners of 253 characters at most, which the redirect route and the app\'s route name alike', () => {
    const chart = newChart();
    const gateway = gatewayOf(chart, { hosts: [longest], tls: { credentialName: 'cert' } });
    reviews(chart, { gateway, hosts: [longest] });
    const objects = expectSound(chart);
    const listeners: string[] = find(objects, 'Gateway', 'edge').spec.listeners.map((l: Manifest) => l.name);
    expect(listeners).toEqual([fitName(`http.${longest}`), fitName(`https.${longest}`)]);
    expect(listeners.map(l => l.length)).toEqual([253, 253]);
    expect(route(objects, 'edge-https-redirect').parentRefs).toEqual([{ name: 'edge', sectionName: listeners[0] }]);
    expect(route(objects, 'reviews-gateway').parentRefs).toEqual([{ name: 'edge', namespace: 'shop', sectionName: listeners[1] }]);
  });
});

describe('IstioGateway with TrafficApi.GATEWAY_API: what a Gateway API Gateway holds of its servers', () => {
  const hosts = (count: number) => Array.from({ length: count }, (_, i) => `h${i}.example.com`);
  const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  const tls = { credentialName: 'cert' };
  const gateway = (props: Partial<IstioGatewayProps>) => () => gatewayOf(newChart(), props);

  test.each<[string, Partial<IstioGatewayProps>]>([
    ['a wildcard host whose listener hostname is 253 characters', { hosts: [`*.${longest.slice(2)}`] }],
    ['hosts that make 64 listeners', { hosts: hosts(64) }],
    ['32 hosts over HTTPS, whose 32 redirecting listeners the redirect route names', { hosts: hosts(32), tls }],
  ])('takes %s', (_, props) => {
    expectValidManifests(Chart.of(gateway(props)()).toJson());
  });

  test('fails when a wildcard host is longer than a listener\'s hostname', () => {
    expect(gateway({ hosts: [`*.${longest}`] })).toThrow(new Error(
      `test/Gateway: hosts hold a host longer than the 253 characters of a Gateway API listener's hostname, got ${show(`*.${longest}`)}; `
      + 'use a shorter host, or TrafficApi.ISTIO'));
  });

  test('fails when the hosts make more than 64 listeners', () => {
    expect(gateway({ hosts: hosts(65) })).toThrow(new Error(
      'test/Gateway: hosts make more listeners than the 64 a Gateway API Gateway holds, one per host of each server, got 65; split the hosts between gateways'));
  });

  test('fails when more than 32 listeners would redirect: each has an HTTPS listener beside it, and the two are more than 64', () => {
    expect(gateway({ hosts: hosts(33), tls })).toThrow(new Error(
      'test/Gateway: hosts make more listeners than the 64 a Gateway API Gateway holds, one per host of each server, got 66; split the hosts between gateways'));
  });
});

describe('TrafficApi.GATEWAY_API: what the resolve step accepts, the renderer renders without a refusal', () => {
  const match = mostly([
    () => RouteMatch.header('x-qa', StringMatch.exact('1')),
    () => RouteMatch.header('x-qa', StringMatch.exact('2')),
    () => RouteMatch.header('x-group', StringMatch.prefix('.'.repeat(600))),
    () => RouteMatch.queryParam('canary', StringMatch.regex('on|yes')),
  ], [
    () => RouteMatch.header('x-empty', StringMatch.exact('')),
    () => RouteMatch.queryParam('q', StringMatch.prefix('.'.repeat(600))),
    () => RouteMatch.sourceLabels({ app: 'qa' }),
  ]);
  const testerRoute = fc.record({
    name: mostly(['qa', 'beta', 'gamma'], ['QA', 'q'.repeat(254)]),
    when: fc.array(match, { minLength: 1, maxLength: 3 }),
    to: fc.constantFrom(() => RouteTarget.version('v1'), () => RouteTarget.version('v2')),
  }).map(r => ({ name: r.name, when: r.when.map(m => m()), to: r.to() }));
  const routing = fc.record({
    testerRoutes: none(fc.oneof(
      { arbitrary: fc.uniqueArray(testerRoute, { maxLength: 3, selector: r => r.name }), weight: 6 },
      { arbitrary: fc.constantFrom(15, 16).map(count => Array.from({ length: count }, (_, i) => ({
        name: `t${i}`, when: [RouteMatch.header('x-t', StringMatch.exact(`${i}`))], to: RouteTarget.version('v2'),
      }))), weight: 1 },
    )),
    mirror: none(mostly([20, 0.5], [100 / 3]).map(percentage => ({ to: RouteTarget.version('v2'), percentage }))),
    routePolicy: none(mostly([{ timeout: Duration.seconds(3) }], [{ timeout: Duration.hours(100_000) }, { retries: { attempts: 2 } }])),
    stickySessions: fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.constant({}), weight: 1 }),
    mtls: fc.boolean(),
    istioApiVersion: none(fc.constant(IstioApiVersion.V1BETA1)),
    additionalPorts: none(mostly([[{ port: 9090, protocol: Protocol.GRPC }]], [[{ port: 5432, protocol: Protocol.TCP }]])),
    hosts: none(mostly([['reviews.example.com']], [Array.from({ length: 17 }, (_, i) => `h${i}.example.com`)])),
    name: fc.constantFrom('reviews', 'r'.repeat(50)),
  }, { requiredKeys: ['mtls', 'name'] });
  const props = fc.record({
    routing,
    blueGreen: fc.boolean(),
    weight: fc.constantFrom(0, 10, 90),
    preview: none(mostly([{ header: 'x-preview' }, { header: 'x-preview', host: 'preview.example.com' }], [{ header: 'x'.repeat(257) }])),
    cutover: mostly([CutoverMode.MESH_ROUTING], [CutoverMode.SERVICE_SELECTOR]),
    tls: fc.boolean(),
  });

  test('for any props: rendering never refuses, the objects fit the CRDs, and istioApiVersion is refused exactly where no Istio object is emitted', () => {
    const runs = 200;
    let rendered = 0;
    fc.assert(fc.property(props, ({ routing: { hosts, istioApiVersion, ...given }, blueGreen, weight, preview, cutover, tls }) => {
      const chart = newChart();
      const gateway = hosts && gatewayOf(chart, { hosts: ['*.example.com'], tls: tls ? { credentialName: 'cert' } : undefined });
      // The preview host needs the gateway.
      const previewed = hosts ? preview : preview && { header: preview.header };
      const common = { ...given, gateway, hosts };
      const resolve = (at: Construct, version: IstioApiVersion | undefined) => (blueGreen
        ? resolveBlueGreen(at, webProps({ ...common, istioApiVersion: version, blue: v1, green: v2, preview: previewed, cutover })).release
        : resolveCanary(at, reviewsProps({ ...common, istioApiVersion: version, canaryWeight: weight })).release);
      const at = unbuilt('App', chart);
      const model = expectRendersWhatResolves(at, () => resolve(at, istioApiVersion));
      if (model) rendered++;
      if (istioApiVersion !== undefined) expectIstioApiVersionUsed(model, () => resolve(unbuilt('Plain', chart), undefined));
    }), { numRuns: runs });
    expect(rendered).toBeGreaterThan(runs / 8);
  });
});

describe('IstioGateway with TrafficApi.GATEWAY_API', () => {
  test('serves HTTPS with the credential as certificateRef, and redirects HTTP with a route of its own', () => {
    const chart = newChart();
    const gateway = gatewayOf(chart, { hosts: ['reviews.example.com', '*.example.org'], tls: { credentialName: 'reviews-cert' } });
    reviews(chart, { gateway, hosts: ['reviews.example.com'] });
    const objects = expectSound(chart);
    expect(find(objects, 'Gateway', 'edge').spec.listeners).toEqual([
      { name: 'http.reviews.example.com', hostname: 'reviews.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      { name: 'http-wildcard.example.org', hostname: '*.example.org', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https.reviews.example.com', hostname: 'reviews.example.com', port: 443, protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'reviews-cert' }] }, allowedRoutes: { namespaces: { from: 'All' } },
      },
      {
        name: 'https-wildcard.example.org', hostname: '*.example.org', port: 443, protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'reviews-cert' }] }, allowedRoutes: { namespaces: { from: 'All' } },
      },
    ]);
    expect(route(objects, 'edge-https-redirect')).toEqual({
      parentRefs: [{ name: 'edge', sectionName: 'http.reviews.example.com' }, { name: 'edge', sectionName: 'http-wildcard.example.org' }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    expect(gateway.redirectRoute).toBeDefined();
    // The app's route stays off the redirecting listeners, and off the ones for other hosts.
    expect(route(objects, 'reviews-gateway').parentRefs).toEqual([{ name: 'edge', namespace: 'shop', sectionName: 'https.reviews.example.com' }]);
  });

  test('a gateway for every host has a listener without hostname; gatewayClassName picks another implementation', () => {
    const objs = synth(c => gatewayOf(c, { hosts: ['*'], gatewayClassName: 'eg', port: 8080 }));
    expect(find(objs, 'Gateway', 'edge').spec).toEqual({
      gatewayClassName: 'eg',
      listeners: [{ name: 'http', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }],
    });
    expectValidManifests(objs);
  });
});

describe('TrafficApi.GATEWAY_API bad input', () => {
  const build = (props: Partial<CanaryAppProps>) => () => reviews(newChart(), props);
  const retries = { attempts: 3 };
  const ONLY_ISTIO = 'leave trafficPolicy out, or use TrafficApi.ISTIO';
  const DESTINATION_RULE = 'has no Gateway API equivalent in the standard channel: it is a DestinationRule policy (load balancing, connection pool, outlier detection, TLS to the pods)';
  const qa = (...when: RouteMatch[]) => ({ testerRoutes: [{ name: 'qa', when, to: RouteTarget.canary() }] });
  const conditions = (count: number, make: (i: number) => RouteMatch) => Array.from({ length: count }, (_, i) => make(i));

  /** What the Gateway API cannot carry, as the construct and the resolve step alike refuse it: the props, and the whole message. */
  const refused: [string, () => Partial<CanaryAppProps>, string][] = [
    ['retries are set (experimental in Gateway API)', () => ({ routePolicy: { retries } }),
      'routePolicy.retries has no Gateway API equivalent in the standard channel (HTTPRoute `retry` is experimental), got {"attempts":3}; leave retries out, or use TrafficApi.ISTIO'],
    ['a version sets retries', () => ({ canary: { ...v2, routePolicy: { retries } } }),
      'canary.routePolicy.retries has no Gateway API equivalent in the standard channel (HTTPRoute `retry` is experimental), got {"attempts":3}; leave retries out, or use TrafficApi.ISTIO'],
    ['fault injection is set', () => ({ routePolicy: { fault: { abortHttpStatus: 503 } } }),
      'routePolicy.fault has no Gateway API equivalent: HTTPRoute has no fault injection, got {"abort":{"httpStatus":503,"percentage":{"value":100}}}; leave fault out, or use TrafficApi.ISTIO'],
    ['a timeout is longer than a Gateway API duration holds', () => ({ routePolicy: { timeout: Duration.hours(100_000) } }),
      'routePolicy.timeout is longer than a Gateway API duration holds (99999h59m59s999ms), got "360000000s"; use a shorter timeout, or TrafficApi.ISTIO'],
    ['a version\'s timeout is longer than a Gateway API duration holds', () => ({ canary: { ...v2, routePolicy: { timeout: Duration.hours(100_000) } }, testerRoutes: [tester] }),
      'canary.routePolicy.timeout is longer than a Gateway API duration holds (99999h59m59s999ms), got "360000000s"; use a shorter timeout, or TrafficApi.ISTIO'],
    ['a traffic policy is set', () => ({ trafficPolicy: { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST) } }),
      `trafficPolicy ${DESTINATION_RULE}, got {"loadBalancer":{"simple":"LEAST_REQUEST"}}; ${ONLY_ISTIO}`],
    ['a version sets a traffic policy', () => ({ stable: { ...v1, trafficPolicy: { tlsMode: ClientTlsMode.ISTIO_MUTUAL } } }),
      `stable.trafficPolicy ${DESTINATION_RULE}, got {"tls":{"mode":"ISTIO_MUTUAL"}}; ${ONLY_ISTIO}`],
    ['sticky sessions are set', () => ({ stickySessions: {} }),
      'stickySessions has no Gateway API equivalent in the standard channel: sessionPersistence is experimental, and the cookie that names the version would need '
      + 'filters per backendRef, which are implementation-specific, got {"cookieName":"reviews-version","maxAgeSeconds":3600}; leave stickySessions out, or use TrafficApi.ISTIO'],
    ['a tester route matches source labels', () => qa(RouteMatch.sourceLabels({ app: 'qa' })),
      'testerRoutes route "qa" matches sourceLabels, which Gateway API cannot express: HTTPRoute matches paths, methods, headers and query parameters only, '
      + 'got {"app":"qa"}; match a header the callers send instead, or use TrafficApi.ISTIO'],
    ['a tester route is not a DNS name', () => ({ testerRoutes: [{ ...tester, name: 'Jason_QA' }] }),
      'testerRoutes route names must be lower-case DNS names to name HTTPRoute rules, got "Jason_QA"; e.g. "qa-team"'],
    ['a tester route matches an empty header value', () => qa(RouteMatch.header('x-qa', StringMatch.exact(''))),
      'testerRoutes route "qa" matches x-qa against an empty value, which an HTTPRoute match cannot hold, got {"exact":""}; match a value of one character or more, or use TrafficApi.ISTIO'],
    ['a tester route matches more headers than an HTTPRoute match holds', () => qa(...conditions(17, i => RouteMatch.header(`h${i}`, StringMatch.exact('1')))),
      'testerRoutes route "qa" matches more headers than the 16 an HTTPRoute match holds, got 17; match 16 headers or fewer, or use TrafficApi.ISTIO'],
    ['a tester route matches more query parameters than an HTTPRoute match holds', () => qa(...conditions(17, i => RouteMatch.queryParam(`q${i}`, StringMatch.exact('1')))),
      'testerRoutes route "qa" matches more queryParams than the 16 an HTTPRoute match holds, got 17; match 16 queryParams or fewer, or use TrafficApi.ISTIO'],
    ['a header prefix, written as a regex, is longer than an HTTPRoute holds', () => qa(RouteMatch.header('x', StringMatch.prefix('.'.repeat(2047)))),
      `testerRoutes route "qa" matches header x against a value that an HTTPRoute writes in 4097 characters, and it holds 4096, got ${show({ prefix: '.'.repeat(2047) })}; `
      + 'match a shorter value, or use TrafficApi.ISTIO'],
    ['a query parameter prefix, written as a regex, is longer than an HTTPRoute holds', () => qa(RouteMatch.queryParam('q', StringMatch.prefix('.'.repeat(511)))),
      `testerRoutes route "qa" matches query parameter q against a value that an HTTPRoute writes in 1025 characters, and it holds 1024, got ${show({ prefix: '.'.repeat(511) })}; `
      + 'match a shorter value, or use TrafficApi.ISTIO'],
    ['a later tester route has more conditions than an earlier one it overlaps', () => ({
      testerRoutes: [tester, { name: 'jason-beta', when: [RouteMatch.header('end-user', StringMatch.prefix('jas')), RouteMatch.header('x-beta', StringMatch.exact('1'))], to: RouteTarget.stable() }],
    }), 'testerRoutes route "jason-beta" has more conditions than "jason" before it, and Gateway API tries the more specific match first where Istio keeps the order, '
      + 'got ["jason","jason-beta"]; put the more specific route first, or give them the same number of conditions'],
    ['the port is TCP (TCPRoute is experimental)', () => ({ protocol: Protocol.TCP }),
      'protocol is TCP, which Gateway API routes with TCPRoute, an experimental kind outside the standard channel, got "tcp"; use an HTTP, HTTP/2 or gRPC port, or TrafficApi.ISTIO'],
    ['another port is TCP', () => ({ additionalPorts: [{ port: 7000, protocol: Protocol.TCP }] }),
      'additionalPorts[0] is TCP, which Gateway API routes with TCPRoute, an experimental kind outside the standard channel, got "tcp-7000"; use an HTTP, HTTP/2 or gRPC port, or TrafficApi.ISTIO'],
    ['mirroring needs more precision than a fraction holds', () => ({ canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 100 / 3 } }),
      'mirror.percentage needs more than 7 decimal places, more than a Gateway API fraction holds, got 33.333333333333336; round it, e.g. 0.5'],
    ['mirroring needs 8 decimal places', () => ({ canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 0.12345678 } }),
      'mirror.percentage needs more than 7 decimal places, more than a Gateway API fraction holds, got 0.12345678; round it, e.g. 0.5'],
    ['there are more rules than an HTTPRoute holds', () => ({
      testerRoutes: Array.from({ length: 16 }, (_, i) => ({ name: `t${i}`, when: [RouteMatch.header('x-t', StringMatch.exact(`${i}`))], to: RouteTarget.canary() })),
    }), 'testerRoutes make more rules than the 16 an HTTPRoute holds, got 17; use fewer tester routes'],
    ['a version\'s Service name would be longer than 63', () => ({ canary: { ...v2, version: `v${'2'.repeat(60)}` } }),
      `canary.version needs a Service named "reviews-v${'2'.repeat(60)}" for its weighted backend, longer than 63 characters, got "v${'2'.repeat(60)}"; `
      + 'shorten the app name or the version'],
    ['istioApiVersion is given and no Istio object is emitted', () => ({ istioApiVersion: IstioApiVersion.V1BETA1 }),
      'istioApiVersion sets the version of the Istio objects, and with controller none and trafficApi gateway-api this app emits none, got "v1beta1"; leave it out'],
  ];

  test.each(refused)('fails when %s', (_, props, message) => {
    expect(build(props())).toThrow(`test/Reviews: ${message}`);
  });

  test.each(refused)('fails when %s, in the resolve step, before any object is made', (_, props, message) => {
    const at = unbuilt('Reviews');
    expect(() => resolveCanary(at, reviewsProps(props()))).toThrow(`test/Reviews: ${message}`);
    expect(at.node.children).toEqual([]);
  });

  test.each<[string, () => Partial<CanaryAppProps>]>([
    ['16 headers in a match', () => qa(...conditions(16, i => RouteMatch.header(`h${i}`, StringMatch.exact('1'))))],
    ['16 query parameters in a match', () => qa(...conditions(16, i => RouteMatch.queryParam(`q${i}`, StringMatch.exact('1'))))],
    ['a header prefix that makes a regex of 4096 characters', () => qa(RouteMatch.header('x', StringMatch.prefix('.'.repeat(2046))))],
    ['a query parameter prefix that makes a regex of 1024 characters', () => qa(RouteMatch.queryParam('q', StringMatch.prefix('.'.repeat(510))))],
    ['a timeout of 99999h59m59s999ms', () => ({ routePolicy: { timeout: Duration.millis(100_000 * 3_600_000 - 1) } })],
    ['a mirror percentage of 7 decimal places', () => ({ canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 0.1234567 } })],
    ['15 tester routes and the split: 16 rules', () => ({
      testerRoutes: Array.from({ length: 15 }, (_, i) => ({ name: `t${i}`, when: [RouteMatch.header('x-t', StringMatch.exact(`${i}`))], to: RouteTarget.canary() })),
    })],
    ['a version\'s Service name of 63 characters', () => ({ canary: { ...v2, version: `v${'2'.repeat(54)}` } })],
  ])('takes %s, and the objects stay within the Gateway API\'s bounds', (_, props) => {
    const chart = newChart();
    reviews(chart, props());
    expectSound(chart);
  });
  test('routes that no request can match both of may come in any order', () => {
    const other = { name: 'anna-beta', when: [RouteMatch.header('end-user', StringMatch.exact('anna')), RouteMatch.header('x-beta', StringMatch.exact('1'))], to: RouteTarget.stable() };
    expect(build({ testerRoutes: [tester, other] })).not.toThrow();
  });

  test('fails when an app on the Gateway API is bound to an Istio Gateway, and says how to fix it', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['reviews.example.com'] });
    expect(() => reviews(chart, { gateway })).toThrow(
      'test/Reviews: gateway emits an Istio Gateway, and an HTTPRoute can only attach to a gateway.networking.k8s.io Gateway, '
      + 'got "shop/gateway"; give the IstioGateway and the app the same trafficApi');
  });

  test('fails when istioApiVersion is given and no Istio object is emitted; with mtls it versions the PeerAuthentication', () => {
    expect(() => reviews(newChart(), { istioApiVersion: IstioApiVersion.V1BETA1 })).toThrow(
      'test/Reviews: istioApiVersion sets the version of the Istio objects, and with controller none and trafficApi gateway-api this app emits none, got "v1beta1"; leave it out');
    const chart = newChart();
    reviews(chart, { istioApiVersion: IstioApiVersion.V1BETA1, mtls: true });
    expect(find(expectSound(chart), 'PeerAuthentication', 'reviews').apiVersion).toBe('security.istio.io/v1beta1');
  });

  test('fails when an app on the Gateway API is given a gateway imported as Istio\'s, the default', () => {
    expect(() => reviews(newChart(), { gateway: IstioGateway.fromName('istio-system/public'), hosts: ['reviews.example.com'] })).toThrow(
      'test/Reviews: gateway is imported as an Istio Gateway, and an HTTPRoute can only attach to a gateway.networking.k8s.io Gateway, '
      + 'got "istio-system/public"; if it is a Gateway API Gateway, import it with IstioGateway.fromName("istio-system/public", TrafficApi.GATEWAY_API)');
  });

  test('fails when an app on Istio\'s API is given a gateway imported as the Gateway API\'s', () => {
    const chart = newChart();
    const gateway = IstioGateway.fromGatewayName(chart, 'Edge', 'istio-system/public', GATEWAY_API);
    expect(() => reviews(chart, { gateway, hosts: ['reviews.example.com'], trafficApi: TrafficApi.ISTIO })).toThrow(
      'test/Reviews: gateway is imported as a gateway.networking.k8s.io Gateway, and a VirtualService can only bind to an Istio Gateway, '
      + 'got "istio-system/public"; if it is an Istio Gateway, import it without TrafficApi.GATEWAY_API; else give the app trafficApi: TrafficApi.GATEWAY_API');
  });

  test('fails when an imported gateway comes without hosts, rather than emit no route to it', () => {
    expect(() => reviews(newChart(), { gateway: IstioGateway.fromName('istio-system/public', GATEWAY_API) })).toThrow(
      'test/Reviews: hosts must be given with TrafficApi.GATEWAY_API and the imported gateway istio-system/public, whose hosts are unknown: '
      + 'the route to the gateway is made for the app\'s hosts, got nothing; name the hosts the app serves through it, e.g. ["shop.example.com"]');
  });

  test('fails when an import names an API that is not one', () => {
    expect(() => IstioGateway.fromName('istio-system/public', 'gateway' as TrafficApi)).toThrow(
      'IstioGateway.fromName: trafficApi must be one of ["istio","gateway-api"], got "gateway"; use e.g. "istio"');
  });

  test('fails when an app on Istio\'s API is given a Gateway API gateway', () => {
    const chart = newChart();
    expect(() => checkGatewayApi(chart, gatewayOf(chart), TrafficApi.ISTIO)).toThrow('gateway emits a gateway.networking.k8s.io Gateway, and a VirtualService can only bind to an Istio Gateway');
  });

  test.each([
    ['mutual TLS', { tls: { credentialName: 'cert', mode: GatewayTlsMode.MUTUAL } }, 'tls.mode has no Gateway API equivalent here'],
    ['a pod selector', { selector: { istio: 'ingressgateway' } }, 'selector picks the pods of an Istio Gateway'],
    ['a class that is not a name', { gatewayClassName: 'Istio Gateway' }, 'gatewayClassName must name a GatewayClass'],
  ])('fails when an IstioGateway on the Gateway API is given %s', (_, props, message) => {
    expect(() => gatewayOf(newChart(), props)).toThrow(`test/Gateway: ${message}`);
  });

  test('fails when an Istio IstioGateway is given a gatewayClassName, rather than ignore it', () => {
    expect(() => gatewayOf(newChart(), { trafficApi: TrafficApi.ISTIO, gatewayClassName: 'istio' }))
      .toThrow('test/Gateway: gatewayClassName applies to a Gateway API Gateway only');
  });
});
