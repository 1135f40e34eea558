import { Chart, Duration } from 'cdk8s';
import {
  BlueGreenApp, BlueGreenAppProps, ClientTlsMode, Color, CutoverMode, IstioGateway, LoadBalancer, Protocol, RouteMatch, RouteTarget,
  SimpleLoadBalancer, StringMatch, verifyManifests,
} from '../src';
import { changedObjects, deploymentsSelectedBy, find, kinds, Manifest, newChart, synth, weights } from './support/manifests';
import { expectValidManifests } from './support/schemas';

/** BlueGreenApp with the routing features that the canary tests cover in routing.test.ts and ports.test.ts. */

const blue = { image: 'shop/web:1.4.0', version: '1.4.0' };
const green = { image: 'shop/web:1.5.0', version: '1.5.0' };
const HOST = 'web.shop.svc.cluster.local';
const PREVIEW_HOST = 'web-preview.shop.svc.cluster.local';
const tester = RouteMatch.header('x-tester', StringMatch.exact('yes'));

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', { blue, green, ...props });
}

function withGateway(props: Partial<BlueGreenAppProps>) {
  return (chart: Chart) => web(chart, {
    gateway: new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] }), hosts: ['shop.example.com'], ...props,
  });
}

const http = (objects: Manifest[]) => find(objects, 'VirtualService', 'web').spec.http;
const primary = (objects: Manifest[]) => http(objects).find((r: Manifest) => r.name === 'primary');

describe('BlueGreenApp mirroring', () => {
  const mirrored = (active: Color) => synth(c => web(c, { active, mirror: { to: RouteTarget.idle(), percentage: 10 } }));

  test('copies a share of the live requests to the idle colour, with mirrorPercentage', () => {
    const objects = mirrored(Color.BLUE);
    expect(primary(objects)).toEqual({
      name: 'primary',
      route: [
        { destination: { host: HOST, subset: 'blue' }, weight: 100 },
        { destination: { host: HOST, subset: 'green' }, weight: 0 },
      ],
      mirror: { host: HOST, subset: 'green' },
      mirrorPercentage: { value: 10 },
    });
    expectValidManifests(objects);
    expect(verifyManifests(objects)).toEqual([]);
  });

  test('follows active: after the switch the copies go to blue', () => {
    const objects = mirrored(Color.GREEN);
    expect(primary(objects).mirror).toEqual({ host: HOST, subset: 'blue' });
    expectValidManifests(objects);
  });

  test('fails when the mirror goes to the active colour, which already takes every request', () => {
    expect(() => web(newChart(), { mirror: { to: RouteTarget.version('1.4.0') } })).toThrow(
      'test/Web: mirror.to already takes 100% of traffic, so the copies would go where the requests go, got "RouteTarget.version(\\"1.4.0\\")"');
  });

  test('fails when the idle colour it mirrors to is scaled down', () => {
    expect(() => web(newChart(), { scaledDown: Color.GREEN, mirror: { to: RouteTarget.idle() } }))
      .toThrow('test/Web: mirror.to sends requests to green, which runs 0 replicas, got "RouteTarget.idle()"');
  });

  test('fails when mirroring with the selector cutover, which has no subset to mirror to, showing the mirror', () => {
    expect(() => web(newChart(), { cutover: CutoverMode.SERVICE_SELECTOR, mirror: { to: RouteTarget.idle(), percentage: 5 } })).toThrow(
      'test/Web: mirror needs a subset per version, which cutover CutoverMode.SERVICE_SELECTOR does not make, '
      + 'got {"to":"RouteTarget.idle()","percentage":5}; use CutoverMode.MESH_ROUTING, or leave it out');
  });
});

describe('BlueGreenApp route and traffic policies', () => {
  const appPolicy = { timeout: Duration.seconds(5), retries: { attempts: 2, perTryTimeout: Duration.millis(1500), retryOn: ['5xx'] } };
  const greenFault = { fault: { abortHttpStatus: 503, abortPercentage: 2.5 } };
  const objects = synth(c => web(c, {
    preview: { header: 'x-preview' },
    testerRoutes: [{ name: 'staff', when: [tester], to: RouteTarget.idle() }],
    routePolicy: appPolicy,
    green: { ...green, routePolicy: greenFault, trafficPolicy: { connectionPool: { http2MaxRequests: 50 } } },
    trafficPolicy: {
      loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST),
      outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.seconds(60) },
      tlsMode: ClientTlsMode.ISTIO_MUTUAL,
    },
  }));
  const appSpec = { timeout: '5s', retries: { attempts: 2, perTryTimeout: '1500ms', retryOn: '5xx' } };
  const faultSpec = { abort: { httpStatus: 503, percentage: { value: 2.5 } } };

  test('the app\'s timeout and retries go on every route; the idle colour\'s fault only on the routes to it alone', () => {
    expect(http(objects).map((r: Manifest) => [r.name, r.timeout, r.retries, r.fault])).toEqual([
      ['preview-header', '5s', appSpec.retries, faultSpec],
      ['staff', '5s', appSpec.retries, faultSpec],
      ['primary', '5s', appSpec.retries, undefined],
    ]);
    expect(http(objects)[0].route).toEqual([{ destination: { host: PREVIEW_HOST } }]);
    expect(http(objects)[1].route).toEqual([{ destination: { host: HOST, subset: 'green' } }]);
    expectValidManifests(objects);
    expect(verifyManifests(objects)).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('the DestinationRule has the app\'s policy for the host, and green\'s own on its subset', () => {
    expect(find(objects, 'DestinationRule', 'web').spec).toEqual({
      host: HOST,
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s' },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: [
        { name: 'blue', labels: { version: '1.4.0' } },
        { name: 'green', labels: { version: '1.5.0' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 50 } } } },
      ],
    });
  });

  test('the preview alone carries the idle colour\'s policy, also with the selector cutover', () => {
    const objs = synth(c => web(c, { cutover: CutoverMode.SERVICE_SELECTOR, preview: { header: 'x-preview' }, green: { ...green, routePolicy: greenFault } }));
    expect(http(objs)).toEqual([
      { name: 'preview-header', match: [{ headers: { 'x-preview': { exact: 'true' } } }], route: [{ destination: { host: PREVIEW_HOST } }], fault: faultSpec },
      { name: 'primary', route: [{ destination: { host: HOST } }] },
    ]);
    expectValidManifests(objs);
  });

  test('fails when the colour with its own policy has no route to it alone: the active colour, or the idle one without a preview', () => {
    const message = (colour: string, version: string) => `test/Web: ${colour}.routePolicy applies only to routes that go to this version alone `
      + '(tester routes, sticky routes, the preview), and there are none: Istio sets a policy per route, and the weighted split goes to every version, '
      + `got {"fault":{"abort":{"httpStatus":503,"percentage":{"value":2.5}}}}; add a tester route to RouteTarget.version("${version}"), `
      + 'or set the app\'s routePolicy, which every route carries';
    expect(() => web(newChart(), { active: Color.GREEN, preview: { header: 'x-preview' }, green: { ...green, routePolicy: greenFault } }))
      .toThrow(message('green', '1.5.0'));
    expect(() => web(newChart(), { green: { ...green, routePolicy: greenFault } })).toThrow(message('green', '1.5.0'));
  });
});

describe('BlueGreenApp on several ports', () => {
  const additionalPorts = [{ port: 9090, protocol: Protocol.GRPC, name: 'grpc-api' }, { port: 5432, protocol: Protocol.TCP, name: 'tcp-db' }];
  const tcpRoute = (destinations: Manifest[]) => [{ match: [{ port: 5432 }], route: destinations }];

  test('mesh routing: every port gets the 100/0 split, HTTP and gRPC once for the gateway and once for the mesh', () => {
    const objects = synth(withGateway({ additionalPorts }));
    expect(find(objects, 'Service', 'web').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 80 },
      { name: 'grpc-api', port: 9090, targetPort: 9090 },
      { name: 'tcp-db', port: 5432, targetPort: 5432 },
    ]);
    const vs = find(objects, 'VirtualService', 'web');
    const to = (subset: string, weight: number, port?: number) => ({ destination: { host: HOST, subset, port: port && { number: port } }, weight });
    expect(vs.spec.http).toEqual([
      { name: 'primary-gateway', match: [{ gateways: ['shop/gateway'] }], route: [to('blue', 100, 80), to('green', 0, 80)] },
      { name: 'primary', match: [{ gateways: ['mesh'] }], route: [to('blue', 100), to('green', 0)] },
    ]);
    expect(vs.spec.tcp).toEqual(tcpRoute([to('blue', 100, 5432), to('green', 0, 5432)]));
    expectValidManifests(objects);
    expect(verifyManifests(objects)).toEqual([]);
  });

  test('selector cutover: the Service picks the colour on every port, and the routes name the ports but no subset', () => {
    const stage = (active: Color) => synth(withGateway({ additionalPorts, active, cutover: CutoverMode.SERVICE_SELECTOR }));
    const objects = stage(Color.BLUE);
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'VirtualService']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'web').spec.selector)).toEqual(['web-blue']);
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.spec.http).toEqual([
      { name: 'primary-gateway', match: [{ gateways: ['shop/gateway'] }], route: [{ destination: { host: HOST, port: { number: 80 } } }] },
      { name: 'primary', match: [{ gateways: ['mesh'] }], route: [{ destination: { host: HOST } }] },
    ]);
    expect(vs.spec.tcp).toEqual(tcpRoute([{ destination: { host: HOST, port: { number: 5432 } } }]));
    expectValidManifests(objects);
    const switched = stage(Color.GREEN);
    expect(changedObjects(objects, switched)).toEqual(['Service/web']);
  });

  test('selector cutover without a gateway needs no VirtualService for any port', () => {
    const objects = synth(c => web(c, { additionalPorts, cutover: CutoverMode.SERVICE_SELECTOR }));
    expect(kinds(objects)).toEqual(['Deployment', 'Deployment', 'Service']);
    expect(find(objects, 'Service', 'web').spec.ports.map((p: Manifest) => p.name)).toEqual(['http', 'grpc-api', 'tcp-db']);
    expectValidManifests(objects);
  });
});

describe('BlueGreenApp sticky sessions', () => {
  const sticky = (active: Color) => synth(c => web(c, { active, stickySessions: { maxAge: Duration.minutes(20) } }));

  test('pin users to the active colour only, and set the cookie on both destinations of the split', () => {
    const objects = sticky(Color.BLUE);
    expect(http(objects)).toEqual([
      {
        name: 'sticky-blue',
        match: [{ headers: { cookie: { regex: '^(.*;\\s*)?web-version=blue(;.*)?$' } } }],
        route: [{ destination: { host: HOST, subset: 'blue' } }],
      },
      {
        name: 'primary',
        route: ['blue', 'green'].map(subset => ({
          destination: { host: HOST, subset },
          weight: subset === 'blue' ? 100 : 0,
          headers: { response: { set: { 'set-cookie': `web-version=${subset}; Max-Age=1200; Path=/` } } },
        })),
      },
    ]);
    expectValidManifests(objects);
  });

  test('hold no one on the old colour after the switch: its pinning route goes', () => {
    const objects = sticky(Color.GREEN);
    expect(http(objects).map((r: Manifest) => r.name)).toEqual(['sticky-green', 'primary']);
    expect(weights(find(objects, 'VirtualService', 'web'))).toEqual({ blue: 0, green: 100 });
    expectValidManifests(objects);
  });

  test('fails when a colour hashes consistently, naming its load balancer', () => {
    expect(() => web(newChart(), { stickySessions: {}, green: { ...green, trafficPolicy: { loadBalancer: LoadBalancer.hashSourceIp() } } })).toThrow(
      'test/Web: green.trafficPolicy.loadBalancer is consistent hashing, which pins users to pods by another key than stickySessions does, '
      + 'got {"consistentHash":{"useSourceIp":true}}');
  });
});

describe('BlueGreenApp mTLS', () => {
  test('emits a STRICT PeerAuthentication for the pods of both colours, last', () => {
    const objects = synth(withGateway({ mtls: true }));
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService', 'PeerAuthentication']);
    const auth = find(objects, 'PeerAuthentication', 'web');
    expect(auth.apiVersion).toBe('security.istio.io/v1');
    expect(auth.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { app: 'web' } });
    expect(auth.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' } });
    expect(deploymentsSelectedBy(objects, auth.spec.selector.matchLabels)).toEqual(['web-blue', 'web-green']);
    expectValidManifests(objects);
  });

  test('works with the selector cutover too, which has no DestinationRule', () => {
    const objects = synth(c => web(c, { mtls: true, cutover: CutoverMode.SERVICE_SELECTOR }));
    expect(kinds(objects)).toEqual(['Deployment', 'Deployment', 'Service', 'PeerAuthentication']);
    expectValidManifests(objects);
  });
});
