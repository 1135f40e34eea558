import { Chart, Testing } from 'cdk8s';
import { ApiMultiportCanary } from '../examples/api-multiport-canary';
import { BookinfoAmbient } from '../examples/bookinfo-ambient';
import { GatewayApiCanary } from '../examples/gateway-api-canary';
import { BlueGreenApp, CanaryApp, Color, ReleaseController, TrafficApi } from '../src';
import { diagramMermaid, diagramTable } from '../src/diagram';
import { find } from './support/manifests';
import { COLUMNS, tableRows } from './support/tables';

/** Gateway API routes in the traffic pictures: HTTPRoutes and GRPCRoutes, on Gateways and on Services, through waypoints in ambient mode. */
type Obj = { [key: string]: any };

const titles = (mermaid: string) => [...mermaid.matchAll(/^ {2}%% (.*)$/gm)].map(m => m[1]);
const edges = (mermaid: string) => mermaid.split('\n').map(l => l.trim()).filter(l => l.includes('-->') || l.includes('-.->'));

const deployment = (name: string, labels: Obj, podLabels: Obj = {}): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels: { ...labels, ...podLabels } }, spec: { containers: [{ name: 'main', image: `${name}:1` }] } } },
});
const service = (name: string, selector: Obj, labels: Obj = {}): Obj => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', labels }, spec: { selector, ports: [{ name: 'http', port: 80 }] },
});
const route = (spec: Obj, kind = 'HTTPRoute'): Obj => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'web', namespace: 'shop' }, spec });
const ON_SERVICE = { group: '', kind: 'Service', name: 'web', port: 80 };
/** Two versions of web, a Service each and one over both. */
const web = (podLabels: Obj = {}, serviceLabels: Obj = {}): Obj[] => [
  deployment('web-v1', { app: 'web', version: 'v1' }, podLabels),
  deployment('web-v2', { app: 'web', version: 'v2' }, podLabels),
  service('web', { app: 'web' }, serviceLabels),
  service('web-v1', { app: 'web', version: 'v1' }),
  service('web-v2', { app: 'web', version: 'v2' }),
];
const split = (weights: number[]) => weights.map((weight, i) => ({ name: `web-v${i + 1}`, port: 80, weight }));

describe('the ambient example: the waypoint applies the mesh route', () => {
  const objects = Testing.synth(new BookinfoAmbient(Testing.app()));
  const mermaid = diagramMermaid(objects);

  test('draws each HTTPRoute, and no picture of the Services they route', () => {
    expect(titles(mermaid)).toEqual(['HTTPRoute bookinfo-ambient/reviews', 'HTTPRoute bookinfo-ambient/reviews-gateway']);
  });

  test('the mesh route enters through the waypoint, the ingress route through the Gateway, each with its weights', () => {
    const [mesh, ingress] = mermaid.split('\n\n');
    expect(mesh).toContain('waypoint_bookinfo_ambient_waypoint(["waypoint bookinfo#8209;ambient/waypoint"])');
    expect(edges(mesh)).toEqual([
      'waypoint_bookinfo_ambient_waypoint --> hosts',
      'hosts --> route_http_0',
      'route_http_0 -->|"90%"| svc_reviews_v1',
      'route_http_0 -->|"10%"| svc_reviews_v2',
    ]);
    expect(ingress).toContain('gw_bookinfo_ambient_bookinfo(["Gateway bookinfo#8209;ambient/bookinfo"])');
    expect(ingress).toContain('hosts["reviews.example.com"]');
    expect(ingress).not.toContain('not in these manifests');
  });

  test('the table has a row per backend with its role, share and workload', () => {
    expect(diagramTable(objects).split('\n').slice(0, 4)).toEqual([
      'HTTPRoute bookinfo-ambient/reviews',
      'ROUTE    MATCH         GATEWAY                             PORT  VERSION  WEIGHT  WORKLOAD    REPLICAS  IMAGE',
      'primary  all requests  waypoint bookinfo-ambient/waypoint  9080  stable   90%     reviews-v1  2         docker.io/istio/examples-bookinfo-reviews-v1:1.20.2',
      'primary                                                    9080  canary   10%     reviews-v2  2         docker.io/istio/examples-bookinfo-reviews-v2:1.20.2',
    ]);
  });
});

describe('the gateway-api-canary example: tester rule and split, in the mesh and at the gateway', () => {
  const mermaid = diagramMermaid(Testing.synth(new GatewayApiCanary(Testing.app())));

  test('draws both HTTPRoutes with the tester rule ahead of the 90/10 split, the mesh through sidecars', () => {
    expect(titles(mermaid)).toEqual(['HTTPRoute podinfo/podinfo', 'HTTPRoute podinfo/podinfo-gateway']);
    const [mesh, ingress] = mermaid.split('\n\n');
    expect(mesh).toContain('mesh(["mesh"])');
    for (const picture of [mesh, ingress]) {
      expect(picture).toContain('route_http_0{{"route testers<br/>header x#8209;canary=always"}}');
      expect(picture).toContain('route_http_1{{"route primary<br/>all other requests"}}');
      expect(edges(picture).filter(e => e.includes('|'))).toEqual([
        'route_http_0 -->|"100%"| svc_podinfo_6_0_1',
        'route_http_1 -->|"90%"| svc_podinfo_6_0_0',
        'route_http_1 -->|"10%"| svc_podinfo_6_0_1',
      ]);
    }
    expect(ingress).toContain('gw_podinfo_edge(["Gateway podinfo/edge"])');
  });
});

describe('Gateway API routes read as the Gateway API means them', () => {
  test('weights are relative, 1 when unset; a lone backend takes all', () => {
    const table = diagramTable([...web(), route({ parentRefs: [ON_SERVICE], rules: [
      { backendRefs: [{ name: 'web-v1', port: 80, weight: 3 }, { name: 'web-v2', port: 80, weight: 1 }] },
      { backendRefs: [{ name: 'web-v1', port: 80 }, { name: 'web-v2', port: 80 }] },
      { backendRefs: [{ name: 'web-v2', port: 80, weight: 7 }] },
      { backendRefs: split([0, 0]) },
    ] })]);
    expect(table.split('\n').filter(l => l.startsWith('http') || l.startsWith('ROUTE'))).toEqual([
      'ROUTE    MATCH               GATEWAY  PORT  VERSION         WEIGHT          WORKLOAD  REPLICAS  IMAGE',
      'http[0]  all requests        mesh     80    service web-v1  75% (weight 3)  web-v1    1         web-v1:1',
      'http[0]                               80    service web-v2  25% (weight 1)  web-v2    1         web-v2:1',
      'http[1]  all other requests  mesh     80    service web-v1  50% (weight 1)  web-v1    1         web-v1:1',
      'http[1]                               80    service web-v2  50% (weight 1)  web-v2    1         web-v2:1',
      'http[2]  all other requests  mesh     80    service web-v2  100%            web-v2    1         web-v2:1',
      'http[3]  all other requests  mesh     80    service web-v1  weight 0        web-v1    1         web-v1:1',
      'http[3]                               80    service web-v2  weight 0        web-v2    1         web-v2:1',
    ]);
  });

  test('mirrors are dotted, by percent or by fraction, and all requests without either', () => {
    const mirror = (requestMirror: Obj) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-v2', port: 80 }, ...requestMirror } });
    const mermaid = diagramMermaid([...web(), route({ parentRefs: [ON_SERVICE], rules: [
      { backendRefs: split([100]), filters: [mirror({ percent: 20 })] },
      { backendRefs: split([100]), filters: [mirror({ fraction: { numerator: 5, denominator: 1000 } })] },
      { backendRefs: split([100]), filters: [mirror({ fraction: { numerator: 25 } }), { type: 'RequestHeaderModifier' }] },
      { backendRefs: split([100]), filters: [mirror({})] },
    ] })]);
    expect(edges(mermaid).filter(e => e.includes('-.->'))).toEqual([
      'route_http_0 -.->|"mirror 20%"| svc_web_v2',
      'route_http_1 -.->|"mirror 0.5%"| svc_web_v2',
      'route_http_2 -.->|"mirror 25%"| svc_web_v2',
      'route_http_3 -.->|"mirror 100%"| svc_web_v2',
    ]);
  });

  test('matches in short form, blocks as alternatives; a rule without backends says so', () => {
    const mermaid = diagramMermaid([...web(), route({ parentRefs: [ON_SERVICE], rules: [
      { name: 'api', matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'GET' }, { path: { value: '/v2' } }], backendRefs: split([100]) },
      { matches: [{ path: { type: 'Exact', value: '/health' } }, {}], backendRefs: split([100]) },
      { matches: [{ headers: [{ name: 'x-user', type: 'RegularExpression', value: '^qa' }], queryParams: [{ name: 'beta', value: '1' }] }] },
      { matches: [{ path: {}, headers: [{}] }], backendRefs: split([100]) },
    ] })]);
    expect(mermaid).toContain('route_http_0{{"route api<br/>path prefix /api and method GET<br/>or path prefix /v2"}}');
    expect(mermaid).toContain('route_http_1{{"http[1]<br/>path /health<br/>or any request"}}');
    expect(mermaid).toContain('route_http_2{{"http[2]<br/>header x#8209;user regex ^qa and query beta=1<br/>no backend"}}');
    expect(mermaid).toContain('route_http_3{{"http[3]<br/>path prefix / and header ?="}}');
  });

  test('every backend takes its share: Services in the namespace they name, other kinds by kind and name', () => {
    const table = diagramTable([...web(), route({ parentRefs: [ON_SERVICE], rules: [{ backendRefs: [
      { name: 'web-v1', port: 80, weight: 1 }, { group: 'example.com', kind: 'Bucket', name: 'x', weight: 1 },
      { kind: 'Service', name: 'web', namespace: 'other', weight: 1 }, { group: '', kind: 'ServiceImport', name: 'web', weight: 1 }, { port: 80 },
    ] }] })]);
    expect(table.split('\n').slice(1, 6)).toEqual([
      'ROUTE    MATCH         GATEWAY  PORT  VERSION                           WEIGHT          WORKLOAD  REPLICAS  IMAGE',
      'http[0]  all requests  mesh     80    service web-v1                    25% (weight 1)  web-v1    1         web-v1:1',
      'http[0]                         -     host Bucket.example.com shop/x    25% (weight 1)  -         -         -',
      'http[0]                         -     host web.other.svc.cluster.local  25% (weight 1)  -         -         -',
      'http[0]                         -     host ServiceImport shop/web       25% (weight 1)  -         -         -',
    ]);
  });

  test('a GRPCRoute is drawn as an HTTPRoute is, and a Gateway parent not in the set says so', () => {
    const mermaid = diagramMermaid([...web(), route({ parentRefs: [{ name: 'edge', namespace: 'infra' }, { kind: 'Gateway', group: 'example.com', name: 'x' }],
      hostnames: ['web.example.com'], rules: [{ backendRefs: split([100]) }] }, 'GRPCRoute')]);
    expect(titles(mermaid)).toEqual(['GRPCRoute shop/web', 'Service shop/web', 'Service shop/web-v2']);
    expect(mermaid).toContain('gw_infra_edge(["Gateway infra/edge<br/>not in these manifests"])');
    expect(mermaid).toContain('hosts["web.example.com"]');
  });
});

describe('ambient mode in the pictures', () => {
  const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

  test('a Service in ambient mode that no waypoint serves: the route is drawn as ignored', () => {
    const mermaid = diagramMermaid([...web(AMBIENT), route({ parentRefs: [ON_SERVICE], rules: [{ backendRefs: split([90, 10]) }] })]);
    expect(mermaid).toContain('mesh(["mesh, ambient<br/>no waypoint: routes ignored"])');
  });

  test('a waypoint that is not among the objects says so', () => {
    const mermaid = diagramMermaid([...web(AMBIENT, { 'istio.io/use-waypoint': 'waypoint' }), route({ parentRefs: [ON_SERVICE], rules: [{ backendRefs: split([90, 10]) }] })]);
    expect(mermaid).toContain('waypoint_shop_waypoint(["waypoint shop/waypoint<br/>not in these manifests"])');
  });
});

describe('badges and warnings on Istio routes', () => {
  const subsets = (labels: Obj[]): Obj => ({
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'shop' },
    spec: { host: 'web', subsets: labels.map((l, i) => ({ name: `s${i}`, labels: l })) },
  });
  const vs = (http: Obj[]): Obj => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' }, spec: { hosts: ['web'], http } });
  const to = (subset: string, extra: Obj = {}) => ({ destination: { host: 'web', subset }, ...extra });

  test('a route shows its timeout, retries, faults and the cookie that makes it sticky', () => {
    const mermaid = diagramMermaid([...web(), subsets([{ version: 'v1' }]), vs([
      { name: 'a', timeout: '5s', retries: { attempts: 0 }, fault: { delay: { fixedDelay: '1s' }, abort: { httpStatus: 500, percentage: { value: 100 } } }, route: [to('s0')] },
      { name: 'b', fault: { delay: {}, abort: {} }, route: [to('s0', { headers: { response: { set: { 'Set-Cookie': 'v=s0' } } } })] },
      { name: 'c', retries: {}, route: [to('s0', { headers: { response: { set: { 'x-version': 's0' } } } })] },
    ])]);
    expect(mermaid).toContain('route_http_0{{"route a<br/>all requests<br/>timeout 5s<br/>no retries<br/>fault delay 1s<br/>fault abort 500"}}');
    expect(mermaid).toContain('route_http_1{{"route b<br/>all other requests<br/>fault delay ?<br/>fault abort ?<br/>sticky cookie"}}');
    // An object whose toString is no function makes String() throw; it is drawn as JSON.
    expect(diagramMermaid([...web(), subsets([{ version: 'v1' }]), vs([{ name: 'a', fault: { abort: { httpStatus: { toString: 1 } } }, route: [to('s0')] }])]))
      .toContain('route_http_0{{"route a<br/>all requests<br/>fault abort {#34;toString#34;:1}"}}');
    expect(mermaid).toContain('route_http_2{{"route c<br/>all other requests"}}');
  });

  test('a subset that selects several workloads is marked, one that selects one is not', () => {
    const mermaid = diagramMermaid([...web(), subsets([{ app: 'web' }, { version: 'v1' }]), vs([{ route: [to('s0', { weight: 50 }), to('s1', { weight: 50 })] }])]);
    expect(mermaid).toContain('subset_web_s0("subset s0<br/>app=web<br/>warning: selects 2 workloads<br/>http[0]: 50%")');
    expect(mermaid).toContain('subset_web_s1("subset s1<br/>version=v1<br/>Deployment web#8209;v1<br/>web#8209;v1:1<br/>replicas: 1<br/>http[0]: 50%")');
  });
});

describe('the roles a canary names in its annotation', () => {
  const ROLES = 'cdk8s-istio-release/roles';
  const canary = (props: Obj = {}) => Testing.synth(new (class extends Chart {
    constructor() {
      super(Testing.app(), 'c', { namespace: 'shop' });
      new CanaryApp(this, 'Web', { stable: { image: 'web:1', version: 'v1' }, canary: { image: 'web:2', version: 'v2' }, canaryWeight: 10, ...props });
    }
  })());

  test('a canary Git walks names them on its VirtualService, by subset, and on its HTTPRoutes, by backend Service', () => {
    expect(find(canary(), 'VirtualService', 'web').metadata.annotations).toEqual({ [ROLES]: 'v1=stable,v2=canary' });
    const routes = canary({ trafficApi: TrafficApi.GATEWAY_API }).filter(o => o.kind === 'HTTPRoute');
    expect(routes.map(r => r.metadata.annotations)).toEqual([{ [ROLES]: 'web-v1=stable,web-v2=canary' }]);
  });

  test('the same at every step of the plan: only the weights change', () => {
    const steps = [0, 1].map(step => find(canary({ canaryWeight: undefined, plan: { steps: [10, 50] }, step }), 'VirtualService', 'web'));
    expect(steps.map(vs => vs.metadata.annotations[ROLES])).toEqual(['v1=stable,v2=canary', 'v1=stable,v2=canary']);
  });

  test('none with one version, with a controller, or for a blue/green, whose weights say which colour is active', () => {
    expect(find(canary({ canary: undefined, canaryWeight: undefined }), 'VirtualService', 'web').metadata.annotations).toBeUndefined();
    const argo = canary({ controller: ReleaseController.ARGO_ROLLOUTS, canaryWeight: undefined, plan: { steps: [10] } });
    expect(argo.filter(o => o.metadata.annotations?.[ROLES])).toEqual([]);
    const blueGreen = Testing.synth(new (class extends Chart {
      constructor() {
        super(Testing.app(), 'b', { namespace: 'shop' });
        new BlueGreenApp(this, 'Web', { blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN });
      }
    })());
    expect(blueGreen.filter(o => o.metadata.annotations?.[ROLES])).toEqual([]);
  });

  test('the pictures read them, and pass over an annotation not in their form', () => {
    const vs = find(canary(), 'VirtualService', 'web');
    const withRoles = (written: string) => tableRows(diagramTable([...canary().filter(o => o.kind !== 'VirtualService'),
      { ...vs, metadata: { ...vs.metadata, annotations: { [ROLES]: written } } }])).map(row => row[COLUMNS.version]);
    expect(withRoles('v1=stable,v2=canary')).toEqual(['v1 (stable)', 'v2 (canary)']);
    expect(withRoles('v1=stable,v2')).toEqual(['v1', 'v2']);
    expect(withRoles('v1=stable,=canary')).toEqual(['v1', 'v2']);
    expect(withRoles('')).toEqual(['v1', 'v2']);
  });
});

test('the table names each route\'s match, the gateways it applies to, and the destination port (api-multiport-canary)', () => {
  const rows = tableRows(diagramTable(Testing.synth(new ApiMultiportCanary(Testing.app()))));
  const row = (route: string) => rows.find(r => r[COLUMNS.route] === route && r[COLUMNS.match] !== '')!;
  expect([row('primary-gateway')[COLUMNS.gateway], row('primary-gateway')[COLUMNS.port]]).toEqual(['api/api-gateway', '8080']);
  expect([row('primary')[COLUMNS.gateway], row('primary')[COLUMNS.port]]).toEqual(['mesh', '-']);
  expect([row('tcp[0]')[COLUMNS.match], row('tcp[0]')[COLUMNS.gateway], row('tcp[0]')[COLUMNS.port]]).toEqual(['port 7000', 'api/api-gateway, mesh', '7000']);
  expect(row('sdk-2-gateway')[COLUMNS.match]).toBe('header user-agent prefix api-sdk/2. and gateways api/api-gateway');
});

test('a box shows an image as name:tag or name@digest, the table the whole reference', () => {
  const image = (ref: string) => [deployment('web-v1', { app: 'web', version: 'v1' })].map(d => ({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'm', image: ref }] } } } }));
  const drawn = (ref: string) => diagramMermaid([...image(ref), service('web', { app: 'web' })]);
  expect(drawn('registry.example.com:5000/team/web:1.2')).toContain('<br/>web:1.2<br/>');
  expect(drawn('web@sha256:abc')).toContain('<br/>web@sha256:abc<br/>');
  expect(drawn('nginx')).toContain('<br/>nginx<br/>');
  expect(diagramTable([...image('registry.example.com:5000/team/web:1.2'), service('web', { app: 'web' })])).toContain('registry.example.com:5000/team/web:1.2');
});
