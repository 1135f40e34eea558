import { Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * The backendRefs of the Gateway API's HTTPRoutes and GRPCRoutes, which istiod resolves only into
 * the route's status: backend-ref-not-found, backend-ref-port-not-found, backend-ref-not-permitted.
 */

type Obj = Record<string, any>;

const CODES = ['backend-ref-not-found', 'backend-ref-port-not-found', 'backend-ref-not-permitted'];

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  return verifiedFindings(objects, options).filter(f => CODES.includes(f.code));
}

function summary(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

function app(name: string, namespace: string, ports: number[] = [9080]): Obj[] {
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
      spec: { selector: labels, ports: ports.map(port => ({ name: `http-${port}`, port })) },
    },
  ];
}

const GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop' },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
};

const TO_WEB = [{ name: 'web', namespace: 'shop' }];

function route(backendRefs: unknown[], extra: Obj = {}, kind = 'HTTPRoute', namespace = 'shop'): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'reviews', namespace },
    spec: { parentRefs: TO_WEB, rules: [{ backendRefs, ...extra }] },
  };
}

function grant(namespace: string, from: Obj[], to: Obj[], apiVersion = 'gateway.networking.k8s.io/v1beta1'): Obj {
  return { apiVersion, kind: 'ReferenceGrant', metadata: { name: 'routes', namespace }, spec: { from, to } };
}

const FROM_SHOP = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }];
const TO_SERVICES = [{ group: '', kind: 'Service' }];

describe('backend-ref-not-found: a backendRef to a Service the set lacks', () => {
  test('passes routes to Services of the set on their ports, a mirror\'s too, for HTTPRoutes and GRPCRoutes', () => {
    const mirror = { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'ratings', port: 9080 } } }] };
    const objects = [...app('reviews', 'shop'), ...app('ratings', 'shop'), GATEWAY,
      route([{ name: 'reviews', port: 9080, weight: 90 }, { group: '', kind: 'Service', name: 'ratings', port: 9080, weight: 10 }], mirror),
      route([{ name: 'reviews', port: 9080 }], {}, 'GRPCRoute')];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a backendRef names a Service not in the set, in full', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 9080 }, { name: 'reviews-v2', port: 9080 }])])).toEqual([{
      code: 'backend-ref-not-found', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.rules[0].backendRefs[1].name',
      message: 'the Service shop/reviews-v2 is not in the set, so istiod marks the route\'s references unresolved and the requests this '
        + 'backend would take fail; point it at an existing Service, or, when it runs outside the set, declare it: --external-host '
        + 'reviews-v2.shop.svc.cluster.local on the command line, RouteCheck.of(chart).addExternalHost(\'reviews-v2.shop.svc.cluster.local\') in a chart',
    }]);
  });

  test('fails when a backendRef of another namespace, a GRPCRoute\'s or a mirror\'s names a Service not in the set', () => {
    const mirror = { filters: [{ type: 'ResponseHeaderModifier' }, { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 } } }] };
    expect(summary(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 9080 }], mirror),
      route([{ name: 'reviews', namespace: 'books', port: 9080 }], {}, 'GRPCRoute')]))).toEqual([
      'backend-ref-not-found GRPCRoute/shop/reviews spec.rules[0].backendRefs[0].name',
      'backend-ref-not-found HTTPRoute/shop/reviews spec.rules[0].filters[1].requestMirror.backendRef.name',
    ]);
  });

  test('passes a Service declared an external host, by name or by wildcard', () => {
    const objects = [GATEWAY, route([{ name: 'reviews', port: 9080 }])];
    expect(verify(objects, { externalHosts: ['reviews.shop.svc.cluster.local'] })).toEqual([]);
    expect(verify(objects, { externalHosts: ['*.shop.svc.cluster.local'] })).toEqual([]);
    expect(summary(verify(objects, { externalHosts: ['*.books.svc.cluster.local'] }))).toEqual(['backend-ref-not-found HTTPRoute/shop/reviews spec.rules[0].backendRefs[0].name']);
  });

  test('fails when a backendRef names a Service by host name, which istiod refuses, in full', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews.shop.svc.cluster.local', port: 9080 }])])).toEqual([{
      code: 'backend-ref-not-found', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.rules[0].backendRefs[0].name',
      message: 'name "reviews.shop.svc.cluster.local" is a host name, where istiod takes only a Service\'s own name, so istiod refuses the HTTPRoute, '
        + 'which then serves none of its rules; write the Service\'s name, e.g. "reviews", with its namespace in `namespace`',
    }]);
  });

  test('passes a backend of weight 0, which istiod drops unread', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 9080 }, { name: 'gone', port: 1, weight: 0 }])])).toEqual([]);
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 9080 }, { name: 'gone', port: 1, weight: 1 }])]).length).toBe(1);
  });

  test.each([
    ['another kind', { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com' }],
    ['a kind of another group', { group: 'multicluster.x-k8s.io', kind: 'Service', name: 'gone', port: 80 }],
    ['another kind of the core group', { kind: 'ConfigMap', name: 'gone' }],
    ['no name', { port: 80 }],
    ['an empty name', { name: '', port: 80 }],
    ['a name that is no string', { name: 5, port: 80 }],
    ['no object', 'gone'],
  ])('leaves alone a backendRef with %s', (_, ref) => {
    expect(verify([GATEWAY, route([ref])])).toEqual([]);
  });

  test('reads rules, backendRefs and filters that are no lists or objects as none', () => {
    const odd = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'odd', namespace: 'shop' } };
    expect(verify([GATEWAY, { ...odd, spec: { rules: 'x' } }, { ...odd, spec: { rules: [null, { backendRefs: 'x', filters: [null, { requestMirror: 'x' }] }] } }])).toEqual([]);
  });
});

describe('backend-ref-port-not-found: a backendRef to a Service without a port it has', () => {
  test('fails when a backendRef names no port, which istiod refuses, in full, whether or not the Service is in the set', () => {
    expect(verify([...app('reviews', 'shop', [9080, 9090]), GATEWAY, route([{ name: 'reviews' }])])).toEqual([{
      code: 'backend-ref-port-not-found', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.rules[0].backendRefs[0]',
      message: 'names no port, which a Service backend needs, so istiod refuses the HTTPRoute, which then serves none of its rules; give the port of the Service to send to',
    }]);
    expect(summary(verify([GATEWAY, route([{ name: 'reviews', port: null }])]))).toEqual(['backend-ref-port-not-found HTTPRoute/shop/reviews spec.rules[0].backendRefs[0]']);
    expect(summary(verify([GATEWAY, route([{ name: 'reviews' }])], { externalHosts: ['*.shop.svc.cluster.local'] })))
      .toEqual(['backend-ref-port-not-found HTTPRoute/shop/reviews spec.rules[0].backendRefs[0]']);
  });

  test('fails when a backendRef names a port the Service lacks, in full', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 80 }])])).toEqual([{
      code: 'backend-ref-port-not-found', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.rules[0].backendRefs[0].port',
      message: 'port 80 is not a port of Service/shop/reviews (it has 9080), so the requests this backend would take fail; use one of its ports',
    }]);
    expect(verify([...app('reviews', 'shop', [9080, 9090]), GATEWAY, route([{ name: 'reviews', port: 80 }])])[0].message)
      .toBe('port 80 is not a port of Service/shop/reviews (it has 9080, 9090), so the requests this backend would take fail; use one of its ports');
    expect(verify([...app('reviews', 'shop', []), GATEWAY, route([{ name: 'reviews', port: 80 }])])[0].message)
      .toBe('port 80 is not a port of Service/shop/reviews (it has none), so the requests this backend would take fail; use one of its ports');
  });

  test('fails when a port is written as text, which the schema refuses', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: '9080' }])])[0].message)
      .toBe('port "9080" is not a port of Service/shop/reviews (it has 9080), so the requests this backend would take fail; use one of its ports');
  });
});

describe('what a backendRef istiod cannot use costs, by where it is', () => {
  const mirror = (ref: Obj) => ({ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: ref } }] });
  const messages = (kind: string, ref: Obj) => verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', port: 9080 }], mirror(ref), kind)]).map(f => f.message);

  test('an HTTPRoute\'s mirror is dropped alone', () => {
    expect(messages('HTTPRoute', { name: 'shadow', port: 80 })).toEqual([expect.stringContaining('so istiod marks the route\'s references unresolved and '
      + 'istiod drops the mirror, and the rule serves its requests unmirrored; ')]);
    expect(messages('HTTPRoute', { name: 'shadow.shop' })).toEqual([expect.stringContaining('so istiod drops the mirror, and the rule serves its requests unmirrored; ')]);
    expect(messages('HTTPRoute', { name: 'reviews' })).toEqual([expect.stringContaining('so istiod drops the mirror, and the rule serves its requests unmirrored; ')]);
    expect(messages('HTTPRoute', { name: 'reviews', port: 80 })).toEqual([
      'port 80 is not a port of Service/shop/reviews (it has 9080), so the mirrored copies find no cluster; use one of its ports']);
  });

  test('a mirror to another namespace without a ReferenceGrant is dropped alone on an HTTPRoute, and refuses a GRPCRoute', () => {
    const objects = (kind: string) => [...app('reviews', 'shop'), ...app('shadow', 'books'), GATEWAY,
      route([{ name: 'reviews', port: 9080 }], mirror({ name: 'shadow', namespace: 'books', port: 9080 }), kind)];
    expect(verify(objects('HTTPRoute')).map(f => f.message)).toEqual([expect.stringContaining('so istiod refuses the reference and istiod drops the mirror, and the rule serves')]);
    expect(verify(objects('GRPCRoute')).map(f => f.message)).toEqual([expect.stringContaining('so istiod refuses the reference and istiod refuses the GRPCRoute, which then')]);
  });

  test('any fault of a GRPCRoute\'s mirror refuses the route', () => {
    expect(messages('GRPCRoute', { name: 'shadow', port: 80 })).toEqual([expect.stringContaining('and istiod refuses the GRPCRoute, which then serves none of its rules; ')]);
    expect(messages('GRPCRoute', { name: 'reviews' })).toEqual([expect.stringContaining('so istiod refuses the GRPCRoute, which then serves none of its rules; ')]);
  });
});

describe('a backendRef to an ExternalName Service, which istiod routes to the host it stands for', () => {
  const alias = (externalName: string, ports: number[] = []) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias', namespace: 'shop' },
    spec: { type: 'ExternalName', externalName, ports: ports.map(port => ({ name: `http-${port}`, port })) },
  });

  test('passes a port of the target, whatever the alias declares, and any port where the target is not in the set', () => {
    expect(verify([...app('reviews', 'shop'), alias('reviews.shop.svc.cluster.local'), GATEWAY, route([{ name: 'alias', port: 9080 }])])).toEqual([]);
    expect(verify([alias('api.example.com'), GATEWAY, route([{ name: 'alias', port: 443 }])])).toEqual([]);
  });

  test('fails when the port is not the target\'s', () => {
    expect(verify([...app('reviews', 'shop'), alias('reviews.shop.svc.cluster.local', [80]), GATEWAY, route([{ name: 'alias', port: 80 }])]).map(f => f.message)).toEqual([
      'port 80 is not a port of Service/shop/reviews (which Service/shop/alias stands for) (it has 9080), so the requests this backend would take fail; use one of its ports']);
  });
});

describe('backend-ref-not-permitted: a gateway route\'s backendRef to another namespace without a ReferenceGrant', () => {
  const objects = (...more: Obj[]) => [...app('reviews', 'books'), GATEWAY, route([{ name: 'reviews', namespace: 'books', port: 9080 }]), ...more];

  test('fails when no ReferenceGrant in the Service\'s namespace permits the reference, in full', () => {
    expect(verify(objects())).toEqual([{
      code: 'backend-ref-not-permitted', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.rules[0].backendRefs[0].namespace',
      message: 'the Service books/reviews is in another namespace than the HTTPRoute, and no ReferenceGrant in books permits HTTPRoutes of shop to '
        + 'refer to it, so istiod refuses the reference and the requests this backend would take fail; '
        + 'add a ReferenceGrant in books from HTTPRoutes of namespace shop to Services',
    }]);
  });

  test.each([
    ['to every Service', TO_SERVICES],
    ['to this Service', [{ group: '', kind: 'Service', name: 'reviews' }]],
    ['to this Service among others', [{ group: '', kind: 'Secret' }, { kind: 'Service', group: '', name: 'reviews' }]],
    ['to a Service without group', [{ kind: 'Service' }]],
  ])('passes a ReferenceGrant %s', (_, to) => {
    expect(verify(objects(grant('books', FROM_SHOP, to)))).toEqual([]);
    expect(verify(objects(grant('books', [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'shop' }, ...FROM_SHOP], to, 'gateway.networking.k8s.io/v1')))).toEqual([]);
  });

  test.each([
    ['in another namespace', grant('shop', FROM_SHOP, TO_SERVICES)],
    ['to another Service', grant('books', FROM_SHOP, [{ group: '', kind: 'Service', name: 'ratings' }])],
    ['to another kind', grant('books', FROM_SHOP, [{ group: '', kind: 'Secret' }])],
    ['to a kind of another group', grant('books', FROM_SHOP, [{ group: 'networking.istio.io', kind: 'Service' }])],
    ['from another namespace', grant('books', [{ ...FROM_SHOP[0], namespace: 'web' }], TO_SERVICES)],
    ['from another kind', grant('books', [{ ...FROM_SHOP[0], kind: 'GRPCRoute' }], TO_SERVICES)],
    ['from another group', grant('books', [{ ...FROM_SHOP[0], group: 'gateway.networking.x-k8s.io' }], TO_SERVICES)],
    ['with no from', grant('books', [], TO_SERVICES)],
    ['with no to', grant('books', FROM_SHOP, [])],
  ])('fails when the only ReferenceGrant is %s', (_, other) => {
    expect(summary(verify(objects(other)))).toEqual(['backend-ref-not-permitted HTTPRoute/shop/reviews spec.rules[0].backendRefs[0].namespace']);
  });

  test('passes a backendRef whose namespace is the route\'s own', () => {
    expect(verify([...app('reviews', 'shop'), GATEWAY, route([{ name: 'reviews', namespace: 'shop', port: 9080 }])])).toEqual([]);
  });

  test('passes a route whose parents are Services or ServiceEntries alone (the mesh), for which istiod checks no grant', () => {
    const mesh = (parentRefs: unknown[]) => ({ ...route([{ name: 'reviews', namespace: 'books', port: 9080 }]), spec: { parentRefs, rules: [{ backendRefs: [{ name: 'reviews', namespace: 'books', port: 9080 }] }] } });
    const service = { group: '', kind: 'Service', name: 'reviews', namespace: 'books' };
    const entry = { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'reviews' };
    expect(verify([...app('reviews', 'books'), mesh([service, entry])])).toEqual([]);
    expect(verify([...app('reviews', 'books'), mesh([])])).toEqual([]);
    expect(summary(verify([...app('reviews', 'books'), GATEWAY, mesh([service, { name: 'web' }])])))
      .toEqual(['backend-ref-not-permitted HTTPRoute/shop/reviews spec.rules[0].backendRefs[0].namespace']);
    expect(summary(verify([...app('reviews', 'books'), mesh([service, 'web'])]))).toEqual([]);
  });

  test('checks no grant for a Service that is not in the set, which is reported missing or declared external', () => {
    expect(summary(verify([GATEWAY, route([{ name: 'reviews', namespace: 'books', port: 9080 }])])))
      .toEqual(['backend-ref-not-found HTTPRoute/shop/reviews spec.rules[0].backendRefs[0].name']);
    expect(verify([GATEWAY, route([{ name: 'reviews', namespace: 'books', port: 9080 }])], { externalHosts: ['*.books.svc.cluster.local'] })).toEqual([]);
  });
});
