import { Finding, Severity, verifyManifests, VerifyOptions } from '../src';

/** Istio's ambient mode, as the waypoints module reads it: pods and namespaces enrolled by label, Services by `istio.io/use-waypoint`. */
type Labels = { [key: string]: string };
type Obj = { [key: string]: any };

const ns = (name: string, labels: Labels = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deployment = (name: string, podLabels: Labels, namespace = 'books'): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app: podLabels.app, version: podLabels.version } },
    template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 9080 }] }] } },
  },
});
const service = (name: string, selector: Labels, labels: Labels = {}, namespace = 'books'): Obj => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels },
  spec: { selector, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] },
});
const waypoint = (name = 'waypoint', namespace = 'books', gatewayClassName = 'istio-waypoint'): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace },
  spec: { gatewayClassName, listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
});
const httpRoute = (parentRefs: Obj[], kind = 'HTTPRoute'): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'reviews', namespace: 'books' },
  spec: {
    parentRefs,
    rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] }],
  },
});
const ON_SERVICE = { group: '', kind: 'Service', name: 'reviews', port: 9080 };

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
/** Bookinfo's reviews, v1 and v2, each with its own Service, and the app Service over both. */
function reviews(podLabels: Labels = AMBIENT, serviceLabels: Labels = { 'istio.io/use-waypoint': 'waypoint' }): Obj[] {
  return [
    deployment('reviews-v1', { app: 'reviews', version: 'v1', ...podLabels }),
    deployment('reviews-v2', { app: 'reviews', version: 'v2', ...podLabels }),
    service('reviews', { app: 'reviews' }, serviceLabels),
    service('reviews-v1', { app: 'reviews', version: 'v1' }),
    service('reviews-v2', { app: 'reviews', version: 'v2' }),
  ];
}

const verify = (objects: Obj[], options?: VerifyOptions) => verifyManifests(objects, options);
const brief = (findings: Finding[]) => findings.map(f => `${f.code} ${f.object} ${f.path}`);

const MISSING_TAIL = 'its weights and matches are ignored, and ztunnel spreads the traffic over every pod of the Service; enrol the Service with a '
  + 'waypoint: label it, or its namespace, istio.io/use-waypoint=<waypoint>, a Gateway of class istio-waypoint';

describe('waypoint-missing: an HTTPRoute on a Service in ambient mode that no waypoint serves', () => {
  test('passes when the Service is enrolled with a waypoint in the set', () => {
    expect(verify([waypoint(), ...reviews(), httpRoute([ON_SERVICE])])).toEqual([]);
  });

  test('fails when the pods are in ambient mode and the Service names no waypoint', () => {
    expect(verify([...reviews(AMBIENT, {}), httpRoute([ON_SERVICE])])).toEqual([{
      code: 'waypoint-missing',
      severity: Severity.ERROR,
      object: 'HTTPRoute/books/reviews',
      path: 'spec.parentRefs[0]',
      message: 'Service books/reviews runs in ambient mode (the pods of Deployment/books/reviews-v1 are labelled istio.io/dataplane-mode: ambient) '
        + `and no waypoint serves it, so nothing applies this route: ${MISSING_TAIL}`,
    }]);
  });

  test('fails when the namespace puts the pods in ambient mode, and a GRPCRoute is checked alike', () => {
    const findings = verify([ns('books', AMBIENT), ...reviews({}, {}), httpRoute([ON_SERVICE], 'GRPCRoute')]);
    expect(findings.map(f => [f.object, f.message])).toEqual([['GRPCRoute/books/reviews',
      `Service books/reviews runs in ambient mode (namespace books is labelled istio.io/dataplane-mode: ambient) and no waypoint serves it, `
      + `so nothing applies this route: ${MISSING_TAIL}`]]);
  });

  test('passes a Service whose namespace is in the set without the ambient label, while another namespace is in ambient mode', () => {
    expect(verify([ns('books'), ns('shop', AMBIENT), ...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
  });

  test('passes when the namespace enrols its Services with its waypoint', () => {
    const namespace = ns('books', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' });
    expect(verify([namespace, waypoint(), ...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
  });

  test('fails when the Service opts out of its namespace\'s waypoint with istio.io/use-waypoint: none', () => {
    const namespace = ns('books', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' });
    expect(brief(verify([namespace, waypoint(), ...reviews({}, { 'istio.io/use-waypoint': 'none' }), httpRoute([ON_SERVICE])])))
      .toEqual(['waypoint-missing HTTPRoute/books/reviews spec.parentRefs[0]']);
    expect(brief(verify([ns('books', { 'istio.io/use-waypoint': 'none' }), ...reviews(AMBIENT, {}), httpRoute([ON_SERVICE])])))
      .toEqual(['waypoint-missing HTTPRoute/books/reviews spec.parentRefs[0]']);
  });

  test('passes when the pods are not in ambient mode: sidecars apply the route (GAMMA)', () => {
    expect(verify([...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
    expect(verify([ns('books', { 'istio-injection': 'enabled' }), ...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
  });

  test('passes when pods of an ambient namespace opt out, or run a sidecar', () => {
    const namespace = ns('books', AMBIENT);
    expect(verify([namespace, ...reviews({ 'istio.io/dataplane-mode': 'none' }, {}), httpRoute([ON_SERVICE])])).toEqual([]);
    expect(verify([namespace, ...reviews({ 'sidecar.istio.io/inject': 'true' }, {}), httpRoute([ON_SERVICE])])).toEqual([]);
    expect(verify([ns('books', { 'istio.io/dataplane-mode': 'none' }), ...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
  });

  test('reads only Service parents of the core group, in the route\'s namespace unless the parent names one', () => {
    const objects = reviews(AMBIENT, {});
    expect(verify([...objects, httpRoute([{ name: 'reviews' }, { group: 'example.com', kind: 'Service', name: 'reviews' }])])
      .filter(f => f.code === 'waypoint-missing')).toEqual([]);
    expect(verify([...objects, httpRoute([{ kind: 'Service', name: 'reviews' }, { kind: 'Service', name: 'ratings' }, { kind: 'Service' }])])
      .filter(f => f.code === 'waypoint-missing').map(f => f.path)).toEqual(['spec.parentRefs[0]']);
    const elsewhere = { ...httpRoute([{ kind: 'Service', name: 'reviews', namespace: 'books' }]), metadata: { name: 'reviews', namespace: 'other' } };
    expect(brief(verify([...objects, elsewhere]).filter(f => f.code === 'waypoint-missing')))
      .toEqual(['waypoint-missing HTTPRoute/other/reviews spec.parentRefs[0]']);
  });
});

describe('waypoint-missing: a VirtualService for the mesh on a Service in ambient mode', () => {
  const vs = (gateways?: string[]) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'books' },
    spec: { hosts: ['reviews'], gateways, http: [{ route: [{ destination: { host: 'reviews-v1' }, weight: 90 }, { destination: { host: 'reviews-v2' }, weight: 10 }] }] },
  });

  test('fails when no waypoint serves the host: ambient pods have no sidecar to apply it', () => {
    expect(verify([...reviews(AMBIENT, {}), vs()])).toEqual([{
      code: 'waypoint-missing',
      severity: Severity.ERROR,
      object: 'VirtualService/books/reviews',
      path: 'spec.hosts[0]',
      message: 'host reviews.books.svc.cluster.local is Service books/reviews, which runs in ambient mode (the pods of Deployment/books/reviews-v1 are '
        + 'labelled istio.io/dataplane-mode: ambient) with no sidecars and no waypoint serves it, so nothing applies this VirtualService to its callers: '
        + 'ztunnel spreads the traffic over every pod of the Service; enrol the Service with a waypoint: label it, or its namespace, '
        + 'istio.io/use-waypoint=<waypoint>, a Gateway of class istio-waypoint, or route it with an HTTPRoute on the Service',
    }]);
  });

  test('passes when a waypoint serves the host, or the VirtualService is bound to a gateway only', () => {
    expect(verify([waypoint(), ...reviews(), vs()])).toEqual([]);
    expect(verify([...reviews(AMBIENT, {}), vs(['istio-system/public-gateway'])], { externalGateways: ['istio-system/public-gateway'] }))
      .toEqual([]);
  });
});

describe('waypoint-not-found: a Service enrolled with a waypoint that is not there', () => {
  const NOT_FOUND = (ref: string) => `waypoint ${ref} is neither a Gateway in the set nor an external gateway, so istiod binds no waypoint to the `
    + 'Service (condition istio.io/WaypointBound: False) and nothing applies its routes; make the waypoint (a Gateway of class istio-waypoint with '
    + `listener mesh, port 15008, protocol HBONE), correct the name, or, when ${ref} exists outside the set, declare it: --external-gateway ${ref} `
    + `on the command line, RouteCheck.of(chart).addExternalGateway('${ref}') in a chart`;

  test('fails when no Gateway of that name is in the set', () => {
    expect(verify([...reviews(), httpRoute([ON_SERVICE])])).toEqual([{
      code: 'waypoint-not-found', severity: Severity.ERROR, object: 'Service/books/reviews', path: 'metadata.labels["istio.io/use-waypoint"]',
      message: NOT_FOUND('books/waypoint'),
    }]);
  });

  test('passes when it is declared as an external gateway', () => {
    expect(verify([...reviews(), httpRoute([ON_SERVICE])], { externalGateways: ['books/waypoint'] })).toEqual([]);
  });

  test('looks in the namespace istio.io/use-waypoint-namespace names', () => {
    const labels = { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'mesh' };
    expect(verify([waypoint('waypoint', 'mesh'), ...reviews(AMBIENT, labels)])).toEqual([]);
    expect(verify([waypoint(), ...reviews(AMBIENT, labels)]).map(f => f.message)).toEqual([NOT_FOUND('mesh/waypoint')]);
  });

  test('fails when the Gateway of that name is no waypoint', () => {
    expect(verify([waypoint('waypoint', 'books', 'istio'), ...reviews()]).map(f => f.message)).toEqual([
      'waypoint books/waypoint is a Gateway of class istio, not istio-waypoint, so istiod binds no waypoint to the Service (condition '
      + 'istio.io/WaypointBound: False) and nothing applies its routes; name a waypoint, or give the Gateway gatewayClassName: istio-waypoint',
    ]);
    const classless = waypoint();
    delete classless.spec.gatewayClassName;
    expect(verify([classless, ...reviews()]).map(f => f.message.slice(0, 63))).toEqual(['waypoint books/waypoint is a Gateway of class (none), not istio']);
  });

  test('reports a namespace\'s label once, however many Services it enrols', () => {
    const namespace = ns('books', { ...AMBIENT, 'istio.io/use-waypoint': 'missing' });
    const ratings = [deployment('ratings-v1', { app: 'ratings', version: 'v1' }), service('ratings', { app: 'ratings' })];
    // A Namespace has no namespace: findings name it in the default one, as every object without one.
    expect(brief(verify([namespace, ...reviews({}, {}), ...ratings]))).toEqual(['waypoint-not-found Namespace/default/books metadata.labels["istio.io/use-waypoint"]']);
  });

  test('passes over the labels of Services not in ambient mode, which no waypoint serves anyway', () => {
    expect(verify(reviews({}))).toEqual([]);
  });
});

describe('what the waypoint checks read', () => {
  test('only Gateway API HTTPRoutes and GRPCRoutes are routes on a Service', () => {
    const other = (apiVersion: string, kind: string): Obj => ({ ...httpRoute([ON_SERVICE]), apiVersion, kind });
    expect(verify([...reviews(AMBIENT, {}), other('gateway.networking.k8s.io/v1alpha2', 'TCPRoute'), other('example.com/v1', 'HTTPRoute')])).toEqual([]);
  });

  test('only core Namespaces put their pods in ambient mode or enrol their Services', () => {
    const lookalikes = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'books', namespace: 'books', labels: { ...AMBIENT, 'istio.io/use-waypoint': 'x' } } },
      { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'books', labels: { ...AMBIENT, 'istio.io/use-waypoint': 'x' } } },
    ];
    expect(verify([...lookalikes, ...reviews({}, {}), httpRoute([ON_SERVICE])])).toEqual([]);
    expect(brief(verify([...lookalikes, ...reviews(AMBIENT, {}), httpRoute([ON_SERVICE])]))).toEqual(['waypoint-missing HTTPRoute/books/reviews spec.parentRefs[0]']);
  });
});
