import { Chart, Duration } from 'cdk8s';
import {
  BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, ClientTlsMode, Color, CutoverMode, GatewayTlsMode, IstioApiVersion, IstioGateway,
  IstioGatewayProps, LoadBalancer, Protocol, RouteMatch, RouteTarget, SimpleLoadBalancer, StringMatch, TrafficApi,
} from '../src';
import { checkGatewayApi } from '../src/render/gateway-api';
import { deploymentsSelectedBy, expectSound, find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const GATEWAY_API = TrafficApi.GATEWAY_API;
const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const tester = { name: 'jason', when: [RouteMatch.header('end-user', StringMatch.exact('jason'))], to: RouteTarget.canary() };

function gatewayOf(chart: Chart, props: Partial<IstioGatewayProps> = {}): IstioGateway {
  return new IstioGateway(chart, 'Gateway', { name: 'edge', hosts: ['reviews.example.com'], trafficApi: GATEWAY_API, ...props });
}

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { port: 9080, stable: v1, canary: v2, canaryWeight: 10, trafficApi: GATEWAY_API, ...props });
}

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', {
    blue: { image: 'web:1.0', version: '1.0' }, green: { image: 'web:1.1', version: '1.1' }, active: Color.BLUE, trafficApi: GATEWAY_API, ...props,
  });
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
  test('a gateway made with fromName is a parentRef to it, of either API', () => {
    const objs = synth(c => reviews(c, { gateway: IstioGateway.fromName('istio-system/public'), hosts: ['reviews.example.com'] }));
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

  test.each([
    ['retries are set (experimental in Gateway API)', { routePolicy: { retries } }, 'routePolicy.retries has no Gateway API equivalent'],
    ['a version sets retries', { canary: { ...v2, routePolicy: { retries } } }, 'canary.routePolicy.retries has no Gateway API equivalent'],
    ['fault injection is set', { routePolicy: { fault: { abortHttpStatus: 503 } } }, 'routePolicy.fault has no Gateway API equivalent'],
    ['a traffic policy is set', { trafficPolicy: { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST) } }, 'trafficPolicy has no Gateway API equivalent'],
    ['a version sets a traffic policy', { stable: { ...v1, trafficPolicy: { tlsMode: ClientTlsMode.ISTIO_MUTUAL } } }, 'stable.trafficPolicy has no Gateway API equivalent'],
    ['sticky sessions are set', { stickySessions: {} }, 'stickySessions has no Gateway API equivalent'],
    ['a tester route matches source labels', { testerRoutes: [{ name: 'qa', when: [RouteMatch.sourceLabels({ app: 'qa' })], to: RouteTarget.canary() }] },
      'testerRoutes route "qa" matches sourceLabels, which Gateway API cannot express'],
    ['a tester route is not a DNS name', { testerRoutes: [{ ...tester, name: 'Jason_QA' }] }, 'testerRoutes route names must be lower-case DNS names'],
    ['a tester route matches an empty header value', { testerRoutes: [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact(''))], to: RouteTarget.canary() }] },
      'testerRoutes route "qa" matches x-qa against an empty value, which an HTTPRoute match cannot hold, got {"exact":""}'],
    ['a later tester route has more conditions than an earlier one it overlaps', {
      testerRoutes: [tester, { name: 'jason-beta', when: [RouteMatch.header('end-user', StringMatch.exact('jason')), RouteMatch.header('x-beta', StringMatch.exact('1'))], to: RouteTarget.stable() }],
    }, 'testerRoutes route "jason-beta" has more conditions than "jason" before it'],
    ['a port is TCP (TCPRoute is experimental)', { additionalPorts: [{ port: 7000, protocol: Protocol.TCP }] }, 'additionalPorts[0] is TCP'],
    ['mirroring needs more precision than a fraction holds', { canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 100 / 3 } }, 'mirror.percentage needs more than 7 decimal places'],
    ['there are more rules than an HTTPRoute holds', {
      testerRoutes: Array.from({ length: 16 }, (_, i) => ({ name: `t${i}`, when: [RouteMatch.header('x-t', StringMatch.exact(`${i}`))], to: RouteTarget.canary() })),
    }, 'testerRoutes make more rules than the 16 an HTTPRoute holds, got 17'],
    ['a version\'s Service name would be longer than 63', { canary: { ...v2, version: `v${'2'.repeat(60)}` } }, 'canary.version names the Service'],
  ])('fails when %s', (_, props, message) => {
    expect(build(props)).toThrow(`test/Reviews: ${message}`);
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

  test('fails when an app on Istio\'s API is given a Gateway API gateway', () => {
    const chart = newChart();
    gatewayOf(chart);
    expect(() => checkGatewayApi(chart, 'shop/edge', TrafficApi.ISTIO)).toThrow('gateway emits a gateway.networking.k8s.io Gateway, and a VirtualService can only bind to an Istio Gateway');
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
