import { CODES, Finding, Severity, VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * Which hosts a VirtualService may claim and reach: exportTo on VirtualServices, ServiceEntries and
 * the Service annotation (destination-host-not-exported, IST0101; mesh-host-conflict, IST0109), the
 * gateways it binds to (host-not-on-gateway, IST0132; gateway-not-found, IST0101) including
 * Kubernetes Gateway API Gateways, and Istio's generated Gateways (gateway-internal-reference, IST0165).
 * Then the other findings of destinations.ts and gateways.ts, message and all.
 */

type Obj = Record<string, any>;

const HOST_CODES = [
  'virtual-service-not-exported-to-gateway', 'destination-rule-not-exported', 'destination-rule-shadowed', 'destination-rule-not-consulted',
  'destination-host-not-found', 'destination-host-not-exported', 'mesh-host-conflict', 'gateway-host-conflict',
  'host-not-on-gateway', 'gateway-not-found', 'gateway-internal-reference', 'wildcard-host-on-mesh', 'host-partially-qualified', 'subset-not-found',
];

/** The findings of this file's codes, after checking the promises every finding keeps. */
function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  return verifiedFindings(objects, options).filter(f => HOST_CODES.includes(f.code));
}

function summary(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

function meta(name: string, namespace: string, extra: Obj = {}): Obj {
  return { name, namespace, ...extra };
}

function app(name: string, namespace: string, annotations?: Obj): Obj[] {
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, namespace),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace, annotations ? { annotations } : {}),
      spec: { selector: labels, ports: [{ name: 'http', port: 9080 }] },
    },
  ];
}

function istio(kind: string, name: string, namespace: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: meta(name, namespace), spec };
}

/** A VirtualService routing its hosts to `to`. */
function vs(name: string, namespace: string, spec: Obj, to = 'reviews.shop.svc.cluster.local'): Obj {
  return istio('VirtualService', name, namespace, { ...spec, http: [{ route: [{ destination: { host: to } }] }] });
}

/** The shared ingress: its workload, Service and a Gateway with these server hosts. */
function ingress(hosts: string[], name = 'public'): Obj[] {
  const labels = { istio: 'ingressgateway' };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('istio-ingressgateway', 'istio-system'),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'proxyv2' }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta('istio-ingressgateway', 'istio-system'),
      spec: { selector: labels, ports: [{ name: 'http2', port: 80, targetPort: 80 }] },
    },
    gateway(name, hosts),
  ];
}

function gateway(name: string, hosts: string[]): Obj {
  return istio('Gateway', name, 'istio-system', {
    selector: { istio: 'ingressgateway' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }],
  });
}

/** A Kubernetes Gateway API Gateway with one listener per hostname (undefined: a listener without one). */
function kubernetesGateway(name: string, namespace: string, hostnames: (string | undefined)[], apiVersion = 'gateway.networking.k8s.io/v1'): Obj {
  return {
    apiVersion, kind: 'Gateway', metadata: meta(name, namespace),
    spec: {
      gatewayClassName: 'istio',
      listeners: hostnames.map((hostname, i) => ({ name: `http-${i}`, port: 80, protocol: 'HTTP', ...(hostname === undefined ? {} : { hostname }) })),
    },
  };
}

function finding(code: keyof typeof CODES, object: string, path: string, message: string, istioCode?: string): Finding {
  const found = { code, severity: CODES[code] as Severity, object, path, message };
  return istioCode ? { ...found, istioCode } : found;
}

const REVIEWS = 'reviews.shop.svc.cluster.local';

describe('mesh-host-conflict: VirtualServices that claim one host for sidecars that see both (IST0109)', () => {
  const meshConflict = (object: string, path: string, host: string, rivals: string, where = '') => finding('mesh-host-conflict', object, path,
    `host ${host} is also routed for the mesh by ${rivals}${where}, and both have http routes; sidecars take one VirtualService per host and protocol `
    + 'and ignore the rest, so merge the routes into one VirtualService, or export the two to namespaces that do not overlap', 'IST0109');

  test('fails when two VirtualServices exported everywhere claim one host, however they write it', () => {
    const objects = [...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['reviews'] }), vs('reviews', 'frontend', { hosts: [REVIEWS, REVIEWS], exportTo: ['*'] })];
    expect(verify(objects)).toEqual([
      meshConflict('VirtualService/frontend/reviews', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/reviews'),
      meshConflict('VirtualService/frontend/reviews', 'spec.hosts[1]', REVIEWS, 'VirtualService/shop/reviews'),
      meshConflict('VirtualService/shop/reviews', 'spec.hosts[0]', REVIEWS, 'VirtualService/frontend/reviews'),
    ]);
  });

  test('fails when one VirtualService exported to its own namespace and one exported everywhere claim one host there', () => {
    // Istio's testdata: ratings in team3 exported to "*" against team4's, and the scoped host against the global one.
    const objects = [
      ...app('reviews', 'shop'),
      vs('reviews', 'shop', { hosts: ['reviews'], exportTo: ['.'] }),
      vs('reviews', 'frontend', { hosts: [REVIEWS], gateways: ['istio-system/public', 'mesh'] }),
      ...ingress(['*']),
    ];
    expect(verify(objects)).toEqual([
      meshConflict('VirtualService/frontend/reviews', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/reviews', ', both visible in namespace shop'),
      meshConflict('VirtualService/shop/reviews', 'spec.hosts[0]', REVIEWS, 'VirtualService/frontend/reviews', ', both visible in namespace shop'),
    ]);
  });

  test('passes when VirtualServices exported to "~" alone claim one host, since no namespace sees them, and names no "~" where one is exported further', () => {
    const nowhere = [...app('reviews', 'shop'), vs('a', 'shop', { hosts: [REVIEWS], exportTo: ['~'] }), vs('b', 'frontend', { hosts: [REVIEWS], exportTo: ['~'] })];
    expect(verify(nowhere)).toEqual([]);
    const further = [...app('reviews', 'shop'), vs('a', 'shop', { hosts: [REVIEWS], exportTo: ['~', 'frontend'] }), vs('b', 'frontend', { hosts: [REVIEWS], exportTo: ['frontend', '~'] })];
    expect(verify(further)).toEqual([
      meshConflict('VirtualService/frontend/b', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/a', ', both visible in namespace frontend'),
      meshConflict('VirtualService/shop/a', 'spec.hosts[0]', REVIEWS, 'VirtualService/frontend/b', ', both visible in namespace frontend'),
    ]);
  });

  test('fails when VirtualServices exported by name share namespaces, and names each that sees two of them', () => {
    const objects = [
      ...app('reviews', 'shop'),
      vs('a', 'shop', { hosts: ['reviews'], exportTo: ['frontend', 'admin', 'shop'] }),
      vs('b', 'frontend', { hosts: [REVIEWS], exportTo: ['.'] }),
      vs('c', 'admin', { hosts: [REVIEWS], exportTo: ['admin', 'ops'] }),
      vs('d', 'frontend', { hosts: [REVIEWS], exportTo: ['frontend'] }),
    ];
    expect(verify(objects)).toEqual([
      meshConflict('VirtualService/admin/c', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/a', ', both visible in namespace admin'),
      meshConflict('VirtualService/frontend/b', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/a, VirtualService/frontend/d', ', both visible in namespace frontend'),
      meshConflict('VirtualService/frontend/d', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/a, VirtualService/frontend/b', ', both visible in namespace frontend'),
      meshConflict('VirtualService/shop/a', 'spec.hosts[0]', REVIEWS, 'VirtualService/frontend/b, VirtualService/admin/c, VirtualService/frontend/d',
        ', both visible in namespaces admin, frontend'),
    ]);
  });

  test('fails when one VirtualService is exported everywhere with "*" among other namespaces', () => {
    const objects = [...app('reviews', 'shop'), vs('a', 'shop', { hosts: ['reviews'], exportTo: ['shop', '*'] }), vs('b', 'ops', { hosts: [REVIEWS], exportTo: ['.'] })];
    expect(verify(objects)).toEqual([
      meshConflict('VirtualService/ops/b', 'spec.hosts[0]', REVIEWS, 'VirtualService/shop/a', ', both visible in namespace ops'),
      meshConflict('VirtualService/shop/a', 'spec.hosts[0]', REVIEWS, 'VirtualService/ops/b', ', both visible in namespace ops'),
    ]);
  });

  test('accepts one host in VirtualServices that no namespace sees both of', () => {
    // Istio's testdata: ratings in team1 and team2, each exported to ".".
    const objects = [
      ...app('reviews', 'shop'),
      vs('reviews', 'shop', { hosts: ['reviews'], exportTo: ['.'] }),
      vs('reviews', 'frontend', { hosts: [REVIEWS], exportTo: ['.'] }),
      vs('reviews', 'admin', { hosts: [REVIEWS], exportTo: ['ops', 'qa'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('accepts overlapping wildcard hosts, which istiod gives to the most specific, whoever sees them', () => {
    // Istio's analyzer reports `*.productpage.d` exported to "." against `*.d` exported everywhere
    // (its testdata productpage-d); istiod routes each host by its most specific wildcard.
    const objects = [
      ...app('reviews', 'shop'),
      istio('ServiceEntry', 'd', 'shop', { hosts: ['*.d'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'NONE' }),
      vs('productpage-d', 'foo', { hosts: ['*.productpage.d'], exportTo: ['.'] }),
      vs('productpage-d', 'bar', { hosts: ['*.d'], exportTo: ['*'] }),
      vs('exact', 'bar', { hosts: ['www.productpage.d'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });
});

describe('which VirtualServices that claim one host contend for its requests', () => {
  const HOST = 'reviews.example.com';
  const TO = [{ destination: { host: REVIEWS } }];
  /** A VirtualService for HOST with these rules, bound to the shared gateway unless `gateways` says otherwise. */
  const routes = (name: string, rules: Obj, gateways = ['istio-system/public']) => istio('VirtualService', name, 'shop', { hosts: [HOST], gateways, ...rules });
  const http = (...matches: (Obj[] | undefined)[]) => ({ http: matches.map(match => (match ? { match, route: TO } : { route: TO })) });
  /** Why VirtualService shop/a contends with shop/b, as its finding says; the two findings are alike, each naming the other. */
  const contend = (a: Obj, b: Obj) => {
    const found = verify([...app('reviews', 'shop'), gateway('public', [`*/${HOST}`]), a, b]);
    expect(found.length).toBe(2 * found.filter(f => f.object === 'VirtualService/shop/a').length);
    return found.filter(f => f.object === 'VirtualService/shop/a').map(f => f.message.split('; ')[1]);
  };
  const gatewayReason = (reason: string) => [
    `Istio merges their routes in creation order, catch-all routes last, so where both take a request the older one's route is used, and ${reason}`,
  ];

  test.each([
    ['no match', undefined],
    ['an empty match', [{}]],
    ['a match naming a port only, which keeps a route to that port', [{ port: 80 }]],
    ['the uri prefix /', [{ uri: { prefix: '/' }, ignoreUriCase: true }]],
    ['the uri regex .*', [{ uri: { regex: '.*' } }]],
    ['empty headers and query parameters', [{ headers: {}, queryParams: {}, withoutHeaders: {} }]],
  ])('fails when both have a catch-all route at the gateway: %s', (_, match) => {
    const found = contend(routes('a', http([{ uri: { prefix: '/a/' } }], match)), routes('b', http(undefined)));
    expect(found[0]).toEqual(gatewayReason('spec.http[1]' + (match ? '.match[0]' : '') + ' here and spec.http[0] of VirtualService/shop/b both take every request')[0]);
  });

  test('passes a catch-all route beside scoped routes of the other, which the gateway tries first', () => {
    expect(contend(routes('a', http(undefined)), routes('b', http([{ uri: { prefix: '/b/' } }], [{ headers: { x: { exact: '1' } } }])))).toEqual([]);
    // A uri of exactly /, or a catch-all with a condition Envoy matches on a header, is no catch-all.
    expect(contend(routes('a', http(undefined)), routes('b', http([{ uri: { exact: '/' } }], [{ method: { exact: 'GET' } }])))).toEqual([]);
    expect(contend(routes('a', http(undefined)), routes('b', http([{ withoutHeaders: { 'x-debug': {} } }])))).toEqual([]);
  });

  test('passes catch-all routes kept to different ports', () => {
    expect(contend(routes('a', http([{ port: 80 }])), routes('b', http([{ port: 8080 }])))).toEqual([]);
    expect(contend(routes('a', http([{ port: 80 }])), routes('b', http([{ port: 80 }]))))
      .toEqual(gatewayReason('spec.http[0].match[0] here and spec.http[0].match[0] of VirtualService/shop/b both take every request'));
  });

  test.each([
    ['disjoint uri prefixes', { uri: { prefix: '/a/' } }, { uri: { prefix: '/b/' } }],
    ['an exact uri outside a prefix', { uri: { exact: '/b' } }, { uri: { prefix: '/a' } }],
    ['a prefix beside an exact uri outside it', { uri: { prefix: '/a' } }, { uri: { exact: '/b' } }],
    ['two exact uris', { uri: { exact: '/a' } }, { uri: { exact: '/b' } }],
    ['one header with other exact values', { headers: { 'x-v': { exact: '1' } } }, { headers: { 'x-v': { exact: '2' } }, uri: { prefix: '/' } }],
    ['one query parameter with other prefixes', { queryParams: { v: { prefix: '1' } } }, { queryParams: { v: { prefix: '2' } } }],
    ['other methods', { method: { exact: 'GET' } }, { method: { exact: 'POST' } }],
    ['other authorities', { authority: { prefix: 'a.' } }, { authority: { exact: 'b.example.com' } }],
    ['other schemes', { scheme: { exact: 'http' } }, { scheme: { exact: 'https' } }],
    ['other ports', { port: 80, headers: { x: {} } }, { port: 8080, headers: { x: {} } }],
    ['uris alike but for case, where neither ignores it', { uri: { exact: '/A' } }, { uri: { exact: '/a' } }],
    ['methods alike but for case, which a method match reads as written', { method: { exact: 'GET' } }, { method: { exact: 'get' } }],
    ['header values alike but for case', { headers: { v: { exact: 'A' } } }, { headers: { v: { exact: 'a' } } }],
    ['a header required and refused', { headers: { 'x-canary': {} } }, { withoutHeaders: { 'x-canary': {} } }],
    ['a header value required and the header refused', { withoutHeaders: { 'x-canary': {} } }, { headers: { 'x-canary': { exact: 'on' } } }],
    ['a header value and the header refused by the regex *, a present match', { headers: { v: { regex: 'a.*' } } }, { withoutHeaders: { v: { regex: '*' } } }],
    ['one header value required and refused', { headers: { v: { exact: '2' } } }, { withoutHeaders: { v: { exact: '2' } } }],
    ['a header value within a refused prefix', { headers: { v: { exact: '2.1' } } }, { withoutHeaders: { v: { prefix: '2.' } } }],
    ['a header prefix within a refused prefix', { headers: { v: { prefix: '2.1' } } }, { withoutHeaders: { v: { prefix: '2.' } } }],
    ['one header regex required and refused', { headers: { v: { regex: '2|3' } } }, { withoutHeaders: { v: { regex: '2|3' } } }],
  ])('passes matches that no request meets both of: %s', (_, a, b) => {
    expect(contend(routes('a', http([a])), routes('b', http([b])))).toEqual([]);
  });

  test.each([
    ['a prefix within a prefix', { uri: { prefix: '/api' } }, { uri: { prefix: '/api/v1' } }],
    ['an exact uri within a prefix', { uri: { exact: '/api/v1' } }, { uri: { prefix: '/api' } }],
    ['one exact uri', { uri: { exact: '/a' } }, { uri: { exact: '/a' } }],
    ['uris alike but for case, where one ignores it', { uri: { exact: '/A' }, ignoreUriCase: true }, { uri: { exact: '/a' } }],
    ['a regex, which is not compared', { uri: { regex: '/a.*' } }, { uri: { prefix: '/b' } }],
    ['conditions on different fields', { uri: { prefix: '/a' } }, { headers: { x: { exact: '1' } } }],
    ['a header present and a header value', { headers: { x: {} } }, { headers: { x: { exact: '1' } } }],
    ['ports on one side only', { port: 80, headers: { x: {} } }, { headers: { x: {} } }],
    ['one port', { port: 80, headers: { x: {} } }, { port: 80, headers: { x: {} } }],
    ['a header refused that the other does not need', { uri: { prefix: '/a' } }, { withoutHeaders: { x: {} } }],
    ['another header refused', { headers: { x: {} } }, { withoutHeaders: { y: {} } }],
    ['a header present and one of its values refused', { headers: { v: {} } }, { withoutHeaders: { v: { exact: '2' } } }],
    ['a header value and another value refused', { headers: { v: { exact: '3' } } }, { withoutHeaders: { v: { exact: '2' } } }],
    ['a header value outside a refused prefix', { headers: { v: { exact: '3.1' } } }, { withoutHeaders: { v: { prefix: '2.' } } }],
    ['a header prefix wider than a refused prefix', { headers: { v: { prefix: '2' } } }, { withoutHeaders: { v: { prefix: '2.' } } }],
    ['a header prefix and a refused exact value', { headers: { v: { prefix: '2' } } }, { withoutHeaders: { v: { exact: '2' } } }],
    ['a header value and a refused regex, which is not compared', { headers: { v: { exact: '2' } } }, { withoutHeaders: { v: { regex: '2' } } }],
    ['a header regex and another refused regex', { headers: { v: { regex: '2' } } }, { withoutHeaders: { v: { regex: '3' } } }],
    ['a query parameter required and a header of its name refused', { queryParams: { v: {} } }, { withoutHeaders: { v: {} } }],
    ['a refused header that is no object', { headers: { v: { exact: '2' } } }, { withoutHeaders: { v: 'x' } }],
    ['a required header that is no object', { headers: { v: 'x' } }, { withoutHeaders: { v: {} } }],
  ])('fails when matches may take the same request: %s', (_, a, b) => {
    expect(contend(routes('a', http([a])), routes('b', http([b]))))
      .toEqual(gatewayReason('spec.http[0].match[0] here and spec.http[0].match[0] of VirtualService/shop/b may take the same request'));
  });

  test('reads no route after a VirtualService\'s own catch-all, which istiod never builds', () => {
    const api = [{ uri: { prefix: '/api' } }];
    expect(contend(routes('a', http(undefined, api)), routes('b', http(api)))).toEqual([]);
    expect(contend(routes('a', http([{ uri: { prefix: '/' } }, ...api], api)), routes('b', http(api)))).toEqual([]);
    // A rule that is no object, which Istio refuses, is passed over, not taken for a catch-all.
    expect(contend(routes('a', { http: [null, { match: api, route: TO }] }), routes('b', http(api))))
      .toEqual(gatewayReason('spec.http[1].match[0] here and spec.http[0].match[0] of VirtualService/shop/b may take the same request'));
    // A catch-all that does not apply at the gateway cuts nothing off there.
    const meshCatchAll = routes('a', http([{ gateways: ['mesh'] }], api), ['istio-system/public', 'mesh']);
    expect(contend(meshCatchAll, routes('b', http(api)))).toEqual(gatewayReason('spec.http[1].match[0] here and spec.http[0].match[0] of VirtualService/shop/b may take the same request'));
  });

  test('reads only the matches that apply at the gateway', () => {
    const scoped = routes('b', http([{ uri: { prefix: '/a/' }, gateways: ['mesh'] }, { uri: { prefix: '/b/' } }]), ['istio-system/public', 'mesh']);
    expect(contend(routes('a', http([{ uri: { prefix: '/a/' } }])), scoped).filter(m => m.includes('gateway'))).toEqual([]);
    expect(contend(routes('a', http([{ uri: { prefix: '/b/v1' } }])), scoped)[0])
      .toEqual(gatewayReason('spec.http[0].match[0] here and spec.http[0].match[1] of VirtualService/shop/b may take the same request')[0]);
  });

  test('fails when both have tcp or tls routes at the gateway, and passes when only one protocol is shared by neither', () => {
    const tcp = { tcp: [{ route: TO }] };
    const tls = { tls: [{ match: [{ sniHosts: [HOST] }], route: TO }] };
    expect(contend(routes('a', tcp), routes('b', tcp))).toEqual(gatewayReason('both have tcp routes'));
    expect(contend(routes('a', tls), routes('b', { ...tls, ...http(undefined) }))).toEqual(gatewayReason('both have tls routes'));
    expect(contend(routes('a', tcp), routes('b', { ...tls, ...http(undefined) }))).toEqual([]);
  });

  test('fails on the mesh only where both have routes of one protocol for sidecars', () => {
    const mesh = (name: string, rules: Obj) => istio('VirtualService', name, 'shop', { hosts: [REVIEWS], ...rules });
    const meshFindings = (a: Obj, b: Obj) => verify([...app('reviews', 'shop'), a, b]).filter(f => f.code === 'mesh-host-conflict').map(f => `${f.code} ${f.object}`);
    const tls = { tls: [{ match: [{ sniHosts: [REVIEWS] }], route: TO }] };
    // As istio.io's egress task applies them: one VirtualService for the TLS port, another for plain HTTP.
    expect(meshFindings(mesh('a', tls), mesh('b', http([{ uri: { prefix: '/' } }])))).toEqual([]);
    // http matches all kept to a gateway give sidecars no http routes.
    expect(meshFindings(mesh('a', http(undefined)), mesh('b', { gateways: ['mesh', 'istio-system/public'], ...http([{ gateways: ['istio-system/public'] }]) }))).toEqual([]);
    expect(meshFindings(mesh('a', tls), mesh('b', tls))).toEqual(['mesh-host-conflict VirtualService/shop/a', 'mesh-host-conflict VirtualService/shop/b']);
    // tcp rules are all built, whatever a match without conditions before them takes.
    expect(meshFindings(mesh('a', { tcp: [{ match: [{ port: 8080 }], route: TO }, { match: [{ port: 9090 }], route: TO }] }),
      mesh('b', { tcp: [{ match: [{ port: 9090 }], route: TO }] })).length).toBe(2);
    // Sidecars build the routes of each port apart.
    expect(meshFindings(mesh('a', http([{ port: 8080 }])), mesh('b', http([{ port: 9090 }])))).toEqual([]);
    expect(meshFindings(mesh('a', http([{ port: 8080 }])), mesh('b', http(undefined))).length).toBe(2);
    expect(verify([...app('reviews', 'shop'), mesh('a', { tcp: [{ route: TO }] }), mesh('b', { tcp: [{ route: TO }] })])[0].message)
      .toContain('by VirtualService/shop/b, and both have tcp routes; sidecars take one VirtualService per host and protocol');
  });
});

describe('gateway-host-conflict: only where the gateway admits both on one port', () => {
  const HOST = 'a.example.com';
  const catchAll = (name: string, namespace: string) => vs(name, namespace, { hosts: [HOST], gateways: ['istio-system/gw'] });
  const gw = (...servers: [string, number][]) => istio('Gateway', 'gw', 'istio-system', {
    selector: { istio: 'ingressgateway' },
    servers: servers.map(([host, number]) => ({ port: { number, name: `http-${number}`, protocol: 'HTTP' }, hosts: [host] })),
  });
  const conflicts = (gateway: Obj) => verify([...app('reviews', 'shop'), gateway, catchAll('a', 'shop'), catchAll('b', 'other')])
    .filter(f => f.code === 'gateway-host-conflict').map(f => f.object);

  test('passes where a server admits the host from one namespace alone, which istiod merges alone (NamesForNamespace)', () => {
    expect(conflicts(gw([`shop/${HOST}`, 80]))).toEqual([]);
    expect(conflicts(gw([`./${HOST}`, 80]))).toEqual([]);
  });

  test('passes where each is admitted on a port of its own, whose routes istiod builds apart', () => {
    expect(conflicts(gw([`shop/${HOST}`, 80], [`other/*.example.com`, 8080]))).toEqual([]);
  });

  test('fails where a server admits the host among others', () => {
    const twoHosts = istio('Gateway', 'gw', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/b.example.com', `*/${HOST}`] }] });
    expect(conflicts(twoHosts)).toEqual(['VirtualService/other/b', 'VirtualService/shop/a']);
  });

  test('fails where one port admits both, from a server each or from one', () => {
    expect(conflicts(gw([`shop/${HOST}`, 80], [`other/*.example.com`, 80]))).toEqual(['VirtualService/other/b', 'VirtualService/shop/a']);
    expect(conflicts(gw([`*/${HOST}`, 443], [`shop/${HOST}`, 80], [`other/${HOST}`, 8080]))).toEqual(['VirtualService/other/b', 'VirtualService/shop/a']);
  });
});

describe('gateway-host-conflict: VirtualServices that claim one host on one gateway, seen together', () => {
  /** Two VirtualServices on the Gateway istio-system/public, whose pods run outside the set unless `pods` puts them in istio-system. */
  const objects = (exportTo: string[], otherNamespace: string, pods = false, otherExportTo = exportTo) => [
    ...app('reviews', 'shop'),
    ...(pods ? ingress(['*/reviews.example.com']) : [gateway('public', ['*/reviews.example.com'])]),
    vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['istio-system/public'], exportTo }),
    vs('reviews-beta', otherNamespace, { hosts: ['reviews.example.com'], gateways: ['istio-system/public'], exportTo: otherExportTo }),
  ];
  const conflicts = (namespace: string, other = 'shop') => ['reviews', 'reviews-beta'].map((name, i) => finding('gateway-host-conflict',
    `VirtualService/${i === 0 ? 'shop' : other}/${name}`, 'spec.hosts[0]',
    `host reviews.example.com is also bound to gateway istio-system/public by VirtualService/${i === 0 ? `${other}/reviews-beta` : 'shop/reviews'}, `
    + `both visible in namespace ${namespace}; Istio merges their routes in creation order, catch-all routes last, so where both take a request `
    + `the older one's route is used, and spec.http[0] here and spec.http[0] of VirtualService/${i === 0 ? `${other}/reviews-beta` : 'shop/reviews'} `
    + 'both take every request; merge them, give each its own host, or give them matches that do not overlap'));

  test('fails when both are exported to the same namespace, and names it, where the gateway\'s pods are unknown', () => {
    expect(verify(objects(['.'], 'shop'))).toEqual(conflicts('shop'));
  });

  test('accepts them when each is exported to its own namespace only', () => {
    expect(verify(objects(['.'], 'beta'))).toEqual([]);
  });

  test('fails when the namespace of the gateway\'s pods sees both, and names it', () => {
    // Sorted by object: beta's comes first.
    expect(verify(objects(['.', 'istio-system'], 'beta', true))).toEqual(conflicts('istio-system', 'beta').reverse());
  });

  test('accepts them when the gateway\'s pods see one of them only, though another namespace sees both', () => {
    expect(summary(verify(objects(['.', 'istio-system'], 'shop', true, ['shop'])))).toEqual(
      ['virtual-service-not-exported-to-gateway VirtualService/shop/reviews-beta spec.gateways[0]']);
  });
});

describe('destination-host-not-exported: a destination hidden from where the routes apply (IST0101)', () => {
  const hidden = (path: string, host: string, namespaces: string, why: string, declared: string, add: string, object = 'VirtualService/frontend/reviews') =>
    finding('destination-host-not-exported', object, path,
      `host ${host} is not exported to ${namespaces}, ${why}: ${declared}; sidecars there take these routes but do not know the host, `
      + `so requests fail with 503; add ${add} to that exportTo, or route to a host exported there`, 'IST0101');
  const OWN = 'this VirtualService\'s own';
  const BY_NAME = 'which this VirtualService is exported to';

  test('fails when a Service exported to its own namespace is routed to from another', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), vs('reviews', 'frontend', { hosts: ['reviews.example.com'] })];
    expect(verify(objects)).toEqual([hidden('spec.http[0].route[0].destination.host', REVIEWS, 'namespace frontend', OWN,
      'Service/shop/reviews has annotation networking.istio.io/exportTo: "."', 'frontend')]);
  });

  test('fails when a VirtualService is exported by name to namespaces that do not see its destination, naming each', () => {
    const objects = [
      ...app('reviews', 'shop', { 'networking.istio.io/exportTo': 'shop,frontend' }),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], exportTo: ['.', 'ops', 'frontend', 'admin'] }, 'reviews'),
    ];
    expect(verify(objects)).toEqual([hidden('spec.http[0].route[0].destination.host', 'reviews', 'namespaces admin, ops', BY_NAME,
      'Service/shop/reviews has annotation networking.istio.io/exportTo: "shop,frontend"', 'admin, ops', 'VirtualService/shop/reviews')]);
  });

  test('accepts a host that a ServiceEntry exports to the routes\' namespace, beside a Service of that host that does not', () => {
    const entry = istio('ServiceEntry', 'reviews', 'shop', { hosts: [REVIEWS], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }], exportTo: ['frontend'] });
    expect(verify([...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), entry, vs('reviews', 'frontend', { hosts: ['reviews.example.com'] })])).toEqual([]);
  });

  test('fails when a Service is exported to no namespace, even the VirtualService\'s own', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '~' }), vs('reviews', 'shop', { hosts: ['reviews.example.com'] }, 'reviews')];
    expect(verify(objects)).toEqual([hidden('spec.http[0].route[0].destination.host', 'reviews', 'namespace shop', OWN,
      'Service/shop/reviews has annotation networking.istio.io/exportTo: "~"', 'shop', 'VirtualService/shop/reviews')]);
  });

  test.each([
    ['its own namespace', { 'networking.istio.io/exportTo': '.' }, 'shop', undefined],
    ['a list with spaces', { 'networking.istio.io/exportTo': 'shop, frontend , ops' }, 'frontend', ['ops', 'frontend']],
    ['"*"', { 'networking.istio.io/exportTo': 'shop,*' }, 'frontend', undefined],
    ['an empty annotation', { 'networking.istio.io/exportTo': '' }, 'frontend', undefined],
    ['no annotation', {}, 'frontend', ['ops', '.']],
  ])('accepts a Service exported to %s where the routes apply', (_, annotations, namespace, exportTo) => {
    const objects = [...app('reviews', 'shop', annotations), vs('reviews', namespace, { hosts: ['reviews.example.com'], ...(exportTo ? { exportTo } : {}) })];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a host is covered only by a wildcard ServiceEntry hidden from where the routes apply, as an unknown host', () => {
    // Istio's testdata virtualservice_destinationhosts: a ServiceEntry for "*" exported to "." hides no bogus host elsewhere.
    const objects = [
      ...app('reviews', 'shop'),
      istio('ServiceEntry', 'partners', 'egress', { hosts: ['*.partner.com', '*.com', 'api.partner.com'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('ServiceEntry', 'all', 'egress', { hosts: ['*'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      vs('reviews', 'frontend', { hosts: ['reviews.example.com'], tls: [{ match: [{ sniHosts: ['reviews.example.com'] }], route: [{ destination: { host: 'www.partner.com' } }] }] }),
      istio('VirtualService', 'egress', 'egress', { hosts: ['api.partner.com'], tcp: [{ route: [{ destination: { host: 'www.partner.com' } }] }] }),
    ];
    expect(verify(objects)).toEqual([finding('destination-host-not-found', 'VirtualService/frontend/reviews', 'spec.tls[0].route[0].destination.host',
      'host www.partner.com resolves to www.partner.com, which is neither a Service in the set nor a ServiceEntry or external host '
      + '(covered by ServiceEntry/egress/partners, ServiceEntry/egress/all, not exported to where these routes apply), so Istio answers 503; '
      + 'point it at an existing service or declare the host with a ServiceEntry', 'IST0101')]);
  });

  test('fails when a wildcard ServiceEntry is seen by one namespace where the routes apply but not another', () => {
    const objects = [
      ...app('reviews', 'shop'),
      istio('ServiceEntry', 'partners', 'egress', { hosts: ['*.partner.com'], exportTo: ['.', 'frontend'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('VirtualService', 'partner', 'egress', { hosts: ['api.partner.com'], exportTo: ['admin', 'frontend'], tcp: [{ route: [{ destination: { host: 'api.partner.com' } }] }] }),
    ];
    expect(verify(objects)).toEqual([hidden('spec.tcp[0].route[0].destination.host', 'api.partner.com', 'namespace admin', BY_NAME,
      'ServiceEntry/egress/partners has exportTo: [".","frontend"]', 'admin', 'VirtualService/egress/partner')]);
  });

  test('fails when a ServiceEntry is exported to no namespace, and accepts a host that another declaration exports', () => {
    const objects = [
      ...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }),
      istio('ServiceEntry', 'db', 'shop', { hosts: ['db.internal'], exportTo: ['~'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] }),
      istio('ServiceEntry', 'reviews-alias', 'mirror', { hosts: [REVIEWS], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }] }),
      istio('VirtualService', 'db', 'shop', { hosts: ['db.internal'], tcp: [{ route: [{ destination: { host: 'db.internal' } }] }] }),
      vs('reviews', 'frontend', { hosts: ['reviews.example.com'] }),
    ];
    expect(verify(objects)).toEqual([hidden('spec.tcp[0].route[0].destination.host', 'db.internal', 'namespace shop', OWN,
      'ServiceEntry/shop/db has exportTo: ["~"]', 'shop', 'VirtualService/shop/db')]);
  });

  test('names every declaration of a hidden host', () => {
    const objects = [
      ...app('reviews', 'shop', { 'networking.istio.io/exportTo': 'shop' }),
      istio('ServiceEntry', 'reviews-alias', 'mirror', { hosts: [REVIEWS, REVIEWS], exportTo: ['mirror', 'qa'], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }] }),
      vs('reviews', 'frontend', { hosts: ['reviews.example.com'] }),
    ];
    expect(verify(objects)).toEqual([hidden('spec.http[0].route[0].destination.host', REVIEWS, 'namespace frontend', OWN,
      'Service/shop/reviews has annotation networking.istio.io/exportTo: "shop", ServiceEntry/mirror/reviews-alias has exportTo: ["mirror","qa"]', 'frontend')]);
  });

  test('accepts ServiceEntries exported everywhere or to the namespace, and hosts declared outside the set', () => {
    const objects = [
      ...app('reviews', 'shop'),
      // An exportTo of no strings is as good as none: every namespace.
      istio('ServiceEntry', 'partners', 'egress', { hosts: ['*.partner.com'], exportTo: [7], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('ServiceEntry', 'cards', 'egress', { hosts: ['api.cards.net'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('ServiceEntry', 'db', 'frontend', { hosts: ['db.internal'], exportTo: ['.'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] }),
      istio('VirtualService', 'reviews', 'frontend', {
        hosts: ['reviews.example.com'],
        tcp: [{ route: [{ destination: { host: 'db.internal' } }] }],
        tls: [
          { match: [{ sniHosts: ['reviews.example.com'] }], route: [{ destination: { host: 'api.partner.com' } }] },
          { match: [{ sniHosts: ['reviews.example.com'] }], route: [{ destination: { host: 'api.cards.net' } }] },
        ],
      }),
    ];
    expect(verify(objects, { externalHosts: ['api.cards.net'] })).toEqual([]);
  });

  test('leaves a host that nothing declares to destination-host-not-found', () => {
    const objects = [
      ...app('reviews', 'shop'),
      istio('ServiceEntry', 'partners', 'egress', { hosts: ['*.partner.com'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      vs('reviews', 'frontend', { hosts: ['reviews.example.com'], exportTo: ['.'] }, 'ratings.shop.svc.cluster.local'),
    ];
    expect(verify(objects)).toEqual([finding('destination-host-not-found', 'VirtualService/frontend/reviews', 'spec.http[0].route[0].destination.host',
      'host ratings.shop.svc.cluster.local resolves to ratings.shop.svc.cluster.local, which is neither a Service in the set nor a ServiceEntry '
      + 'or external host, so Istio answers 503; point it at an existing service or declare the host with a ServiceEntry', 'IST0101')]);
  });
});

describe('host-not-on-gateway: each bound gateway admits some host (IST0132)', () => {
  const idle = (path: string, gateway: string, hosts: string, takes: string, fix: string) => finding('host-not-on-gateway', 'VirtualService/shop/reviews', path,
    `gateway ${gateway} admits none of the hosts of this VirtualService (${hosts}); it takes ${takes}, so it never sends requests `
    + `to these routes; ${fix} for one of them, or remove the binding`, 'IST0132');
  const notAdmitted = (path: string, host: string, gateways: string, fix: string) => finding('host-not-on-gateway', 'VirtualService/shop/reviews', path,
    `host ${host} is admitted by none of the bound gateways (${gateways}), so requests for it never reach these routes; ${fix}, or remove the host`, 'IST0132');
  const istioFix = (gateway: string, host: string) => `add ${host} to a server's hosts of ${gateway} (as shop/${host} or */${host})`;

  test('fails when one bound gateway admits none of the hosts, though another admits them', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.com']),
      gateway('internal', ['shop/*.internal', './*.corp']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'reviews'], gateways: ['istio-system/public', 'istio-system/internal'] }),
    ];
    expect(verify(objects)).toEqual([
      idle('spec.gateways[1]', 'istio-system/internal', `reviews.example.com, ${REVIEWS}`, 'shop/*.internal, ./*.corp', istioFix('istio-system/internal', '<host>')),
      notAdmitted('spec.hosts[1]', REVIEWS, 'istio-system/public, istio-system/internal', istioFix('istio-system/public', REVIEWS)),
    ]);
  });

  test('fails when every bound gateway admits none of the hosts, naming each binding and no host', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.com']),
      istio('Gateway', 'empty', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [7] }] }),
      vs('reviews', 'shop', { hosts: ['reviews.example.org'], gateways: ['istio-system/public', 'istio-system/empty'] }),
    ];
    expect(verify(objects)).toEqual([
      idle('spec.gateways[0]', 'istio-system/public', 'reviews.example.org', '*.example.com', istioFix('istio-system/public', '<host>')),
      idle('spec.gateways[1]', 'istio-system/empty', 'reviews.example.org', 'no host', istioFix('istio-system/empty', '<host>')),
    ]);
  });

  test('fails when a bound gateway is missing, and still checks the others, leaving the hosts alone', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.com']),
      gateway('internal', ['*.internal']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'reviews.example.org'], gateways: ['istio-system/missing', 'istio-system/public', 'istio-system/internal'] }),
    ];
    expect(summary(verify(objects))).toEqual([
      'gateway-not-found VirtualService/shop/reviews spec.gateways[0]',
      'host-not-on-gateway VirtualService/shop/reviews spec.gateways[2]',
    ]);
  });

  test('leaves a host that no gateway of the set admits alone when an external gateway is bound', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.com']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'reviews.example.org'], gateways: ['istio-system/public', 'edge/external'] }),
    ];
    expect(verify(objects, { externalGateways: ['edge/external'] })).toEqual([]);
  });

  test('accepts a VirtualService whose hosts are spread over its gateways, with mesh-only hosts beside them', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.com']),
      gateway('internal', ['*/reviews.internal']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'reviews.internal', 'reviews'], gateways: ['istio-system/public', 'istio-system/internal', 'mesh'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('says nothing of hosts on a VirtualService without hosts, which Istio rejects anyway', () => {
    const objects = [...app('reviews', 'shop'), ...ingress(['*.example.com']), vs('reviews', 'shop', { hosts: [], gateways: ['istio-system/public'] })];
    expect(verify(objects)).toEqual([]);
  });

  test('reads an empty or non-string host as no host, which the schema refuses anyway', () => {
    const hosts = ['reviews.example.com', '', 5];
    const objects = [...app('reviews', 'shop'), ...ingress(['*.example.com']), vs('reviews', 'shop', { hosts, gateways: ['istio-system/public'] }),
      vs('ratings', 'shop', { hosts: [''] }), vs('details', 'shop', { hosts: [''] })];
    expect(verify(objects)).toEqual([]);
  });
});

describe('Kubernetes Gateway API Gateways as binding targets', () => {
  test('accepts a VirtualService bound to Kubernetes Gateways whose listeners take its hosts, one without hostname taking any', () => {
    const objects = [
      ...app('reviews', 'shop'),
      kubernetesGateway('web', 'shop', ['*.example.com']),
      kubernetesGateway('any', 'infra', ['www.example.org', undefined]),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'reviews.example.net'], gateways: ['web', 'infra/any'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a host is admitted by no listener of the bound Kubernetes Gateways', () => {
    const objects = [
      ...app('reviews', 'shop'),
      kubernetesGateway('web', 'shop', ['*.example.com']),
      kubernetesGateway('www', 'infra', ['www.example.org']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com', 'www.example.org', 'reviews.example.net'], gateways: ['web', 'infra/www'] }),
    ];
    expect(verify(objects)).toEqual([finding('host-not-on-gateway', 'VirtualService/shop/reviews', 'spec.hosts[2]',
      'host reviews.example.net is admitted by none of the bound gateways (shop/web, infra/www), so requests for it never reach these routes; '
      + 'give a listener of shop/web the hostname reviews.example.net, or remove the host', 'IST0132')]);
  });

  test('fails when no listener hostname of a bound Kubernetes Gateway admits the hosts', () => {
    // Istio's testdata virtualservice_kubernetes_gateways: my-vs-host-mismatch.
    const objects = [...app('reviews', 'shop'), kubernetesGateway('web', 'shop', ['a.example.com', 'b.example.com']), vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['shop/web'] })];
    expect(verify(objects)).toEqual([finding('host-not-on-gateway', 'VirtualService/shop/reviews', 'spec.gateways[0]',
      'gateway shop/web admits none of the hosts of this VirtualService (reviews.example.com); it takes a.example.com, b.example.com, '
      + 'so it never sends requests to these routes; give a listener of shop/web the hostname <host> for one of them, or remove the binding', 'IST0132')]);
  });

  test('takes the Istio Gateway of a name first, as Istio does', () => {
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.org'], 'web'),
      kubernetesGateway('web', 'istio-system', [undefined]),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['istio-system/web'] }),
    ];
    expect(summary(verify(objects))).toEqual(['host-not-on-gateway VirtualService/shop/reviews spec.gateways[0]']);
  });

  test('fails when the gateway is a Gateway of another API group, and names Kubernetes Gateways of the name elsewhere', () => {
    const objects = [
      ...app('reviews', 'shop'),
      kubernetesGateway('web', 'shop', [undefined], 'gateway.networking.x-k8s.io/v1alpha1'),
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('web', 'shop'), spec: { hostnames: ['reviews.example.com'] } },
      kubernetesGateway('web', 'infra', [undefined]),
      gateway('web', ['*']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['web'] }),
    ];
    const findings = verify(objects);
    expect(summary(findings)).toEqual(['gateway-not-found VirtualService/shop/reviews spec.gateways[0]']);
    expect(findings[0].message).toContain('write ns/name of an existing Gateway such as istio-system/web or infra/web (a bare name');
  });
});

describe('gateway-internal-reference: a binding to a Gateway istiod generates (IST0165)', () => {
  test('fails when a VirtualService names a generated Gateway, whether or not it is in the set', () => {
    const generated = 'web~istio-autogenerated-k8s-gateway~http';
    const objects = [
      ...app('reviews', 'shop'),
      ...ingress(['*.example.org'], generated),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: [`istio-system/${generated}`, 'shop/web~istio-autogenerated-k8s-gateway~https'] }),
    ];
    expect(verify(objects)).toEqual([
      finding('gateway-internal-reference', 'VirtualService/shop/reviews', 'spec.gateways[0]',
        `gateway istio-system/${generated} is one that istiod generates from the Kubernetes Gateway istio-system/web, and renames or removes `
        + 'as that Gateway\'s listeners change, so these routes may silently lose their gateway; bind to istio-system/web itself, or route with an HTTPRoute', 'IST0165'),
      finding('gateway-internal-reference', 'VirtualService/shop/reviews', 'spec.gateways[1]',
        'gateway shop/web~istio-autogenerated-k8s-gateway~https is one that istiod generates from the Kubernetes Gateway shop/web, and renames or removes '
        + 'as that Gateway\'s listeners change, so these routes may silently lose their gateway; bind to shop/web itself, or route with an HTTPRoute', 'IST0165'),
    ]);
  });

  test('accepts a binding to the Kubernetes Gateway itself', () => {
    const objects = [
      ...app('reviews', 'shop'),
      kubernetesGateway('web', 'istio-system', ['*.example.com']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['istio-system/web'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });
});

describe('the findings of destinations and gateways, in full', () => {
  const routeTo = (to: string) => vs('reviews', 'shop', { hosts: ['reviews.example.com'] }, to);
  const notFound = (host: string, resolved: string, hint = '') => finding('destination-host-not-found', 'VirtualService/shop/reviews', 'spec.http[0].route[0].destination.host',
    `host ${host} resolves to ${resolved}, which is neither a Service in the set nor a ServiceEntry or external host, so Istio answers 503; `
    + `point it at an existing service${hint} or declare the host with a ServiceEntry`, 'IST0101');

  test('fails when a host is written name.ns, saying which FQDN was meant', () => {
    expect(verify([...app('reviews', 'shop'), routeTo('reviews.shop')])).toEqual([finding('host-partially-qualified', 'VirtualService/shop/reviews',
      'spec.http[0].route[0].destination.host', 'host reviews.shop is taken literally, because Istio expands only dot-free short names, so it '
      + 'matches no service; write the FQDN reviews.shop.svc.cluster.local')]);
  });

  test.each([
    ['a Service that does not exist', 'ratings.shop', 'ratings.shop'],
    ['a longer name', 'x.reviews.shop', 'x.reviews.shop'],
    ['a name with more after it', 'reviews.shop.other', 'reviews.shop.other'],
  ])('fails when a name.ns host is %s, as an unknown host', (_, host, resolved) => {
    expect(verify([...app('reviews', 'shop'), routeTo(host)])).toEqual([notFound(host, resolved)]);
  });

  test('fails when a short name has namesakes in other namespaces, naming them', () => {
    const objects = [...app('reviews', 'shop'), ...app('ratings', 'team1'), ...app('ratings', 'team2'), routeTo('ratings')];
    expect(verify(objects)).toEqual([notFound('ratings', 'ratings.shop.svc.cluster.local',
      ' (did you mean ratings.team1.svc.cluster.local or ratings.team2.svc.cluster.local?)')]);
  });

  test('takes external hosts as written or resolved, and no other host for them', () => {
    const options = { externalHosts: ['ratings', 'details.shop.svc.cluster.local'] };
    const to = (host: string) => ({ destination: { host } });
    const objects = [...app('reviews', 'shop'), { ...routeTo('reviews'), spec: { hosts: ['reviews.example.com'], tcp: [{ route: [to('ratings')] }, { route: [to('details')] }, { route: [to('db')] }] } }];
    expect(summary(verify(objects, options))).toEqual(['destination-host-not-found VirtualService/shop/reviews spec.tcp[2].route[0].destination.host']);
  });

  test('fails when a subset is defined nowhere, or not by the rules of its host, naming theirs', () => {
    const rule = (name: string, subsets: unknown) => istio('DestinationRule', name, 'shop', { host: 'reviews', subsets });
    const subsetRoute = (subset: string) => ({ destination: { host: 'reviews', subset } });
    const objects = [
      ...app('reviews', 'shop'), ...app('ratings', 'shop'),
      rule('reviews', [{ name: 'v1', labels: { app: 'reviews' } }]), rule('reviews-more', [{ name: 'v2', labels: { app: 'reviews' } }, { labels: { app: 'reviews' } }]),
      istio('DestinationRule', 'ratings', 'shop', { host: 'ratings' }),
      { ...routeTo('reviews'), spec: { hosts: ['reviews.example.com'], http: [{ route: [subsetRoute('v3')] }, { route: [{ destination: { host: 'ratings', subset: 'v1' } }] }, { route: [{ destination: { host: 'reviews.other.svc.cluster.local', subset: 'v1' } }] }] } },
      ...app('reviews', 'other'),
    ];
    const subsetFinding = (path: string, message: string) => finding('subset-not-found', 'VirtualService/shop/reviews', path, message, 'IST0101');
    expect(verify(objects)).toEqual([
      subsetFinding('spec.http[0].route[0].destination.subset', 'subset v3 is not among the subsets (v1, v2) of DestinationRule/shop/reviews, '
        + 'DestinationRule/shop/reviews-more, so Istio answers 503; add it there or route to one of those'),
      subsetFinding('spec.http[1].route[0].destination.subset', 'subset v1 is not among the subsets (none) of DestinationRule/shop/ratings, '
        + 'so Istio answers 503; add it there or route to one of those'),
      subsetFinding('spec.http[2].route[0].destination.subset', 'subset v1 is defined by no DestinationRule, because none has host '
        + 'reviews.other.svc.cluster.local, so Istio answers 503; add a DestinationRule for reviews.other.svc.cluster.local with subset v1'),
    ]);
  });

  test('leaves the subsets of a ServiceEntry host to the rules where it is declared', () => {
    const objects = [
      ...app('reviews', 'shop'),
      istio('ServiceEntry', 'partners', 'shop', { hosts: ['*.partner.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('VirtualService', 'partner', 'shop', { hosts: ['api.partner.com'], tcp: [{ route: [{ destination: { host: 'api.partner.com', subset: 'eu' } }] }] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when host * is bound to the mesh', () => {
    expect(verify([...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['*'] })])).toEqual([finding('wildcard-host-on-mesh', 'VirtualService/shop/reviews', 'spec.hosts[0]',
      'host * is rejected by Istio on a VirtualService bound to the mesh (gateways lists mesh or is empty); list the service hosts instead, '
      + 'or bind the VirtualService only to a gateway', 'IST0106')]);
  });

  test('fails when two VirtualServices claim host * on one gateway', () => {
    const objects = [...app('reviews', 'shop'), ...ingress(['*']), vs('a', 'shop', { hosts: ['*'], gateways: ['istio-system/public'] }), vs('b', 'shop', { hosts: ['*'], gateways: ['istio-system/public'] })];
    expect(summary(verify(objects))).toEqual(['gateway-host-conflict VirtualService/shop/a spec.hosts[0]', 'gateway-host-conflict VirtualService/shop/b spec.hosts[0]']);
  });

  test('reads a server host ./host as the Gateway\'s namespace, ns/host as that namespace, and /host as no namespace', () => {
    const local = istio('Gateway', 'local', 'shop', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['./a.example.com', 'other/b.example.com', '/c.example.com'] }] });
    const objects = [...app('reviews', 'shop'), local, vs('reviews', 'shop', { hosts: ['a.example.com', 'b.example.com', 'c.example.com'], gateways: ['local'] })];
    expect(summary(verify(objects))).toEqual(['host-not-on-gateway VirtualService/shop/reviews spec.hosts[1]', 'host-not-on-gateway VirtualService/shop/reviews spec.hosts[2]']);
  });

  test('fails when a gateway reference starts with a slash, as written', () => {
    const findings = verify([...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['/public'] })]);
    expect(findings.map(f => f.message.slice(0, 20))).toEqual(['gateway /public is n']);
  });
});

describe('the mesh\'s default exportTo (MeshConfig defaultServiceExportTo and defaultVirtualServiceExportTo)', () => {
  const PRIVATE: VerifyOptions = { defaultServiceExportTo: ['.'], defaultVirtualServiceExportTo: ['.'] };
  const route = (annotations?: Obj) => [...app('reviews', 'shop', annotations), vs('reviews', 'frontend', { hosts: ['reviews.example.com'] })];
  const hidden = (declared: string, fix: string, why = 'which this VirtualService is exported to') =>
    finding('destination-host-not-exported', 'VirtualService/frontend/reviews', 'spec.http[0].route[0].destination.host',
      `host ${REVIEWS} is not exported to namespace frontend, ${why}: ${declared}; sidecars there take these routes but do not know the host, `
      + `so requests fail with 503; ${fix}, or route to a host exported there`, 'IST0101');
  const BY_DEFAULT = 'export the host to frontend with an exportTo of its own (on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would export every object without one';

  test('fails when a Service without the annotation is routed to from another namespace of a mesh whose default is its own', () => {
    expect(verify(route(), PRIVATE)).toEqual([hidden(
      'Service/shop/reviews has no annotation networking.istio.io/exportTo, so the mesh\'s defaultServiceExportTo applies: ["."]', BY_DEFAULT)]);
  });

  test('fails when the default names namespaces, and a VirtualService left to Istio\'s default applies in its own', () => {
    expect(verify(route(), { defaultServiceExportTo: ['shop', 'admin'] })).toEqual([hidden(
      'Service/shop/reviews has no annotation networking.istio.io/exportTo, so the mesh\'s defaultServiceExportTo applies: ["shop","admin"]',
      BY_DEFAULT, 'this VirtualService\'s own')]);
  });

  test('fails when the default hides a Service from several namespaces where the routes apply, naming each in the fix', () => {
    const objects = [...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['reviews.example.com'], exportTo: ['ops', '.', 'admin'] }, 'reviews')];
    expect(verify(objects, PRIVATE).map(f => f.message.split('; ').slice(-2).join('; '))).toEqual([
      'export the host to admin, ops with an exportTo of its own (on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would export every object without one, or route to a host exported there']);
  });

  test('fails when the default is no namespace, even for routes in the Service\'s own', () => {
    const objects = [...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['reviews.example.com'] }, 'reviews')];
    expect(summary(verify(objects, { defaultServiceExportTo: ['~'] }))).toEqual(['destination-host-not-exported VirtualService/shop/reviews spec.http[0].route[0].destination.host']);
  });

  test.each([
    ['an annotation of its own', { 'networking.istio.io/exportTo': '.,frontend' }, PRIVATE],
    ['a default that names the namespace', undefined, { defaultServiceExportTo: ['.', 'frontend'] }],
    ['a default of every namespace among others', undefined, { defaultServiceExportTo: ['.', '*'] }],
    ['Istio\'s default, written', undefined, { defaultServiceExportTo: ['*'] }],
    ['an empty default, which Istio reads as every namespace', undefined, { defaultServiceExportTo: [] }],
  ])('accepts a Service exported where the routes apply by %s', (_, annotations, options) => {
    expect(verify(route(annotations), options)).toEqual([]);
  });

  test('fails when a ServiceEntry without exportTo is routed to from another namespace, naming each declaration as it reads', () => {
    const objects = [
      ...route({ 'networking.istio.io/exportTo': 'shop' }),
      istio('ServiceEntry', 'reviews-alias', 'mirror', { hosts: [REVIEWS], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }] }),
    ];
    expect(verify(objects, PRIVATE)).toEqual([hidden('Service/shop/reviews has annotation networking.istio.io/exportTo: "shop", '
      + 'ServiceEntry/mirror/reviews-alias has no exportTo, so the mesh\'s defaultServiceExportTo applies: ["."]', BY_DEFAULT)]);
  });

  test('asks for the exportTo to be widened when every declaration writes its own', () => {
    expect(verify(route({ 'networking.istio.io/exportTo': 'shop' }), PRIVATE)).toEqual([hidden(
      'Service/shop/reviews has annotation networking.istio.io/exportTo: "shop"', 'add frontend to that exportTo')]);
  });

  test('reads a VirtualService without exportTo as the mesh default says, so that private ones claiming one host do not conflict', () => {
    const objects = [...app('reviews', 'shop'), vs('reviews', 'shop', { hosts: ['reviews'] }), vs('reviews', 'frontend', { hosts: [REVIEWS] })];
    expect(summary(verify(objects))).toEqual([
      'mesh-host-conflict VirtualService/frontend/reviews spec.hosts[0]', 'mesh-host-conflict VirtualService/shop/reviews spec.hosts[0]']);
    expect(verify(objects, { defaultVirtualServiceExportTo: ['.'] })).toEqual([]);
    expect(summary(verify(objects, { defaultVirtualServiceExportTo: ['shop', 'frontend'] }))).toEqual([
      'mesh-host-conflict VirtualService/frontend/reviews spec.hosts[0]', 'mesh-host-conflict VirtualService/shop/reviews spec.hosts[0]']);
  });

  test('gives a VirtualService\'s own exportTo precedence over the default, and checks each namespace the default names', () => {
    const objects = [
      ...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], exportTo: ['.'] }, 'reviews'),
      vs('reviews-ops', 'shop', { hosts: ['reviews.ops.example.com'] }, 'reviews'),
    ];
    expect(summary(verify(objects, { defaultVirtualServiceExportTo: ['.', 'ops'] }))).toEqual([
      'destination-host-not-exported VirtualService/shop/reviews-ops spec.http[0].route[0].destination.host']);
  });
});

describe('gateways see what they route: their pods\' namespaces must see the VirtualService and its destinations', () => {
  /** The ingress of the set, with its pods in `namespace`, and the Gateway istio-system/public. */
  const ingressIn = (namespace: string) => ingress(['*/reviews.example.com']).map(o => (o.kind === 'Deployment' ? { ...o, metadata: meta(o.metadata.name, namespace) } : o));
  const bound = (namespace: string, spec: Obj = {}) => vs('reviews', namespace, { hosts: ['reviews.example.com'], gateways: ['istio-system/public'], ...spec });
  const gatewayHidden = (declared: string, fix: string, namespace = 'istio-system', object = 'VirtualService/shop/reviews') =>
    finding('destination-host-not-exported', object, 'spec.http[0].route[0].destination.host',
      `host ${REVIEWS} is not exported to namespace ${namespace}, where the pods of gateway istio-system/public run: ${declared}; `
      + `the gateway takes these routes but does not know the host, so requests fail with 503; ${fix}, or route to a host exported there`, 'IST0101');
  const notSeen = (exportTo: string, fix: string, namespace = 'istio-system') => finding('virtual-service-not-exported-to-gateway', 'VirtualService/shop/reviews', 'spec.gateways[0]',
    `gateway istio-system/public runs its pods in namespace ${namespace}, which this VirtualService is not exported to: VirtualService/shop/reviews ${exportTo}; `
    + `a gateway takes only the VirtualServices its namespace sees, so it never serves these routes; ${fix}, or bind it to a gateway whose pods run where it is exported`);

  test('fails when a gateway route reaches a Service exported to its own namespace only, from the gateway pods\' namespace', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), ...ingressIn('istio-system'), bound('shop')];
    expect(verify(objects)).toEqual([gatewayHidden('Service/shop/reviews has annotation networking.istio.io/exportTo: "."', 'add istio-system to that exportTo')]);
  });

  test('fails as a mesh default that keeps Services private would, asking for an exportTo on the Service', () => {
    const objects = [...app('reviews', 'shop'), ...ingressIn('istio-ingress'), bound('shop')];
    expect(verify(objects, { defaultServiceExportTo: ['.'] })).toEqual([gatewayHidden(
      'Service/shop/reviews has no annotation networking.istio.io/exportTo, so the mesh\'s defaultServiceExportTo applies: ["."]',
      'export the host to istio-ingress with an exportTo of its own (on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would export every object without one', 'istio-ingress')]);
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a wildcard ServiceEntry is seen where sidecars take the routes but not where the gateway pods run, as hidden there rather than unknown', () => {
    const objects = [...app('reviews', 'shop'), ...ingressIn('istio-system'),
      istio('ServiceEntry', 'partners', 'shop', { hosts: ['*.partner.com'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      istio('VirtualService', 'reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['mesh', 'istio-system/public'],
        http: [{ route: [{ destination: { host: 'api.partner.com', port: { number: 443 } } }] }] })];
    expect(verify(objects)).toEqual([finding('destination-host-not-exported', 'VirtualService/shop/reviews', 'spec.http[0].route[0].destination.host',
      'host api.partner.com is not exported to namespace istio-system, where the pods of gateway istio-system/public run: '
      + 'ServiceEntry/shop/partners has exportTo: ["."]; the gateway takes these routes but does not know the host, so requests fail with 503; '
      + 'add istio-system to that exportTo, or route to a host exported there', 'IST0101')]);
  });

  test('accepts a route that only a gateway takes to a Service private to the gateway pods\' namespace, which the VirtualService\'s namespace does not see', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': 'istio-system' }), ...ingressIn('istio-system'), bound('frontend')];
    expect(verify(objects)).toEqual([]);
  });

  test('checks a route bound to the mesh and a gateway from both, each with its own words', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': 'edge' }), ...ingressIn('istio-system'), bound('shop', { gateways: ['mesh', 'istio-system/public'] })];
    expect(verify(objects).map(f => f.message.split(':')[0])).toEqual([
      `host ${REVIEWS} is not exported to namespace istio-system, where the pods of gateway istio-system/public run`,
      `host ${REVIEWS} is not exported to namespace shop, this VirtualService's own`,
    ]);
  });

  test('checks a rule scoped to a gateway by its matches from that gateway alone, once however often and however the matches name it', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), ...ingressIn('istio-system'),
      istio('VirtualService', 'reviews', 'shop', {
        hosts: ['reviews.example.com'], gateways: ['mesh', 'istio-system/public'],
        http: [{ match: [{ gateways: ['istio-system/public'] }, { gateways: ['public.istio-system'], uri: { prefix: '/v2' } }], route: [{ destination: { host: REVIEWS } }] }],
      })];
    expect(verify(objects)).toEqual([gatewayHidden('Service/shop/reviews has annotation networking.istio.io/exportTo: "."', 'add istio-system to that exportTo')]);
  });

  test('checks a gateway whose pods the set does not show from the VirtualService\'s namespace, as Istio\'s analyzer does', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), gateway('public', ['*/reviews.example.com']), bound('frontend')];
    expect(summary(verify(objects))).toEqual(['destination-host-not-exported VirtualService/frontend/reviews spec.http[0].route[0].destination.host']);
    expect(verify([...objects.slice(0, 3), bound('shop')])).toEqual([]);
  });

  test('takes the pods of a Kubernetes Gateway istiod does not manage, by its addresses, to run where the set does not show', () => {
    const addressed = (...addresses: Obj[]) => {
      const gatewayOf = kubernetesGateway('public', 'edge', ['reviews.example.com']);
      return verify([...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), { ...gatewayOf, spec: { ...gatewayOf.spec, addresses } },
        vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['edge/public'], exportTo: ['.'] })]).map(f => f.code);
    };
    // gatewaycommon IsManaged: by hand where an address is a host name or a named address, or there are several.
    expect(addressed({ type: 'IPAddress', value: '10.0.0.1' }, { type: 'Hostname', value: 'ingress.istio-system.svc.cluster.local' })).toEqual([]);
    expect(addressed({ type: 'Hostname', value: 'ingress.istio-system.svc.cluster.local' })).toEqual([]);
    expect(addressed({ type: 'NamedAddress', value: 'ingress' })).toEqual([]);
    expect(addressed({ type: 'IPAddress', value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.2' })).toEqual([]);
    // One IP, or none: istiod deploys the pods beside the Gateway, in edge, which the VirtualService is not exported to.
    expect(addressed({ type: 'IPAddress', value: '10.0.0.1' })).toEqual(['virtual-service-not-exported-to-gateway']);
    expect(addressed()).toEqual(['virtual-service-not-exported-to-gateway']);
  });

  test('reports a gateway bound twice, by two names, once, and each of two gateways', () => {
    const objects = [...app('reviews', 'shop'), ...ingressIn('istio-system'), bound('shop', { gateways: ['istio-system/public', 'public.istio-system'], exportTo: ['.'] })];
    expect(summary(verify(objects))).toEqual(['virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[0]']);
    const two = [...app('reviews', 'shop'), ...ingressIn('istio-system'), kubernetesGateway('edge', 'edge', ['reviews.example.com']),
      bound('shop', { gateways: ['istio-system/public', 'edge/edge'], exportTo: ['.'] })];
    expect(summary(verify(two))).toEqual([
      'virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[0]',
      'virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[1]',
    ]);
  });

  test('takes the pods of a Kubernetes Gateway with addresses of other types to run beside it', () => {
    const managed = { ...kubernetesGateway('public', 'edge', ['reviews.example.com']) };
    managed.spec = { ...managed.spec, addresses: [{ type: 'IPAddress', value: '10.0.0.1' }] };
    const objects = [...app('reviews', 'shop'), managed, vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['edge/public'], exportTo: ['.'] })];
    expect(summary(verify(objects))).toEqual(['virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[0]']);
  });

  test('takes the pods of a gateway declared outside the set with its namespace to run there, as a mesh private by default shows', () => {
    const objects = [...app('reviews', 'shop'), gateway('public', ['*/reviews.example.com']), bound('shop')];
    const declared = { externalGatewayWorkloads: ['istio-ingress:istio=ingressgateway'] };
    expect(verify(objects, { defaultServiceExportTo: ['.'] })).toEqual([]);
    expect(verify(objects, { ...declared, defaultServiceExportTo: ['.'] }).map(f => f.message.split(':')[0])).toEqual([
      `host ${REVIEWS} is not exported to namespace istio-ingress, where the pods of gateway istio-system/public run`]);
    expect(summary(verify(objects, { ...declared, defaultVirtualServiceExportTo: ['.'] })))
      .toEqual(['virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[0]']);
  });

  test('takes the pods of a Kubernetes Gateway to run in its own namespace', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), kubernetesGateway('public', 'edge', ['reviews.example.com']),
      vs('reviews', 'shop', { hosts: ['reviews.example.com'], gateways: ['edge/public'] })];
    expect(verify(objects).map(f => f.message.split(':')[0])).toEqual([`host ${REVIEWS} is not exported to namespace edge, where the pods of gateway edge/public run`]);
  });

  test('fails when the VirtualService is not exported to the gateway pods\' namespace, and checks no destination from there', () => {
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), ...ingressIn('istio-system'), bound('shop', { exportTo: ['.'] })];
    expect(verify(objects)).toEqual([notSeen('has exportTo: ["."]', 'add istio-system to that exportTo')]);
  });

  test('fails when the mesh keeps VirtualServices private by default, asking for an exportTo on the VirtualService', () => {
    const objects = [...app('reviews', 'shop'), ...ingressIn('istio-system'), bound('shop')];
    expect(verify(objects, { defaultVirtualServiceExportTo: ['.'] })).toEqual([notSeen(
      'has no exportTo, so the mesh\'s defaultVirtualServiceExportTo applies: ["."]',
      'export this VirtualService to istio-system with an exportTo of its own (on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would export every object without one')]);
  });

  test('accepts a VirtualService exported to the gateway pods\' namespace by name, and a gateway with an empty selector, which takes any gateway of the mesh', () => {
    const objects = [...app('reviews', 'shop'), ...ingressIn('istio-system'), bound('shop', { exportTo: ['.', 'istio-system'] })];
    expect(verify(objects)).toEqual([]);
    const anyGateway = istio('Gateway', 'public', 'istio-system', { selector: {}, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/reviews.example.com'] }] });
    expect(verify([...objects.slice(0, 3), anyGateway, bound('shop', { exportTo: ['.'] })])).toEqual([]);
  });

  test('names each namespace of the gateway\'s pods that does not see the VirtualService, and checks the one that does', () => {
    // The pods in ops come first: the namespaces are named in order.
    const objects = [...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), ...ingressIn('ops').slice(0, 1), ...ingressIn('istio-system'),
      ...ingressIn('edge').slice(0, 1), bound('shop', { exportTo: ['.', 'edge'] })];
    expect(summary(verify(objects))).toEqual([
      'virtual-service-not-exported-to-gateway VirtualService/shop/reviews spec.gateways[0]',
      'destination-host-not-exported VirtualService/shop/reviews spec.http[0].route[0].destination.host',
    ]);
    expect(verify(objects).map(f => f.message.split(/, (which|where)/)[0])).toEqual([
      'gateway istio-system/public runs its pods in namespaces istio-system, ops', `host ${REVIEWS} is not exported to namespace edge`]);
  });
});

describe('destination-rule-not-exported: a subset whose DestinationRules are hidden from where the routes apply', () => {
  const rule = (name: string, namespace: string, subsets: string[], exportTo?: string[]) => istio('DestinationRule', name, namespace,
    { host: REVIEWS, subsets: subsets.map(subset => ({ name: subset, labels: { app: 'reviews' } })), ...(exportTo ? { exportTo } : {}) });
  const route = (namespace: string, gateways?: string[]) => istio('VirtualService', 'reviews', namespace, {
    hosts: ['reviews.example.com'], ...(gateways ? { gateways } : {}), http: [{ route: [{ destination: { host: REVIEWS, subset: 'v1' } }] }],
  });
  const ingressPods = ingress(['*/reviews.example.com']);
  const hiddenRule = (namespace: string, where: string, declared: string, fix: string, who = 'sidecars there take these routes but do not',
    rules = 'DestinationRule/shop/reviews') => finding('destination-rule-not-exported', `VirtualService/${namespace}/reviews`, 'spec.http[0].route[0].destination.subset',
    `subset v1 is defined by ${rules}, not exported to ${where}: ${declared}; ${who} know the subset, so requests fail with 503; ${fix}, or route without the subset`);

  test('fails when the only DestinationRule defining the subset is exported to its own namespace, routed to from another', () => {
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'shop', ['v1'], ['.']), route('frontend')])).toEqual([hiddenRule('frontend',
      'namespace frontend, this VirtualService\'s own', 'DestinationRule/shop/reviews has exportTo: ["."]', 'add frontend to that exportTo')]);
  });

  test('fails when a gateway routes to a subset whose DestinationRule its pods\' namespace does not see, the pitfall of exportTo "." on rules', () => {
    expect(verify([...app('reviews', 'shop'), ...ingressPods, rule('reviews', 'shop', ['v1'], ['.']), route('shop', ['istio-system/public'])])).toEqual([hiddenRule('shop',
      'namespace istio-system, where the pods of gateway istio-system/public run', 'DestinationRule/shop/reviews has exportTo: ["."]',
      'add istio-system to that exportTo', 'the gateway takes these routes but does not')]);
  });

  test('fails when the mesh keeps DestinationRules private by default, asking for an exportTo on each rule, and names every rule', () => {
    const objects = [...app('reviews', 'shop'), rule('reviews', 'shop', ['v1']), rule('reviews-v1', 'shop', ['v1', 'v2']), route('frontend')];
    expect(verify(objects, { defaultDestinationRuleExportTo: ['.'] })).toEqual([hiddenRule('frontend', 'namespace frontend, this VirtualService\'s own',
      'DestinationRule/shop/reviews has no exportTo, so the mesh\'s defaultDestinationRuleExportTo applies: ["."], '
      + 'DestinationRule/shop/reviews-v1 has no exportTo, so the mesh\'s defaultDestinationRuleExportTo applies: ["."]',
      'export the DestinationRule to frontend with an exportTo of its own (on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would export every object without one',
      undefined, 'DestinationRule/shop/reviews, DestinationRule/shop/reviews-v1')]);
    expect(verify(objects)).toEqual([]);
  });

  test.each([
    ['a namespace', ['shop']],
    ['none', ['~']],
    ['every one', ['*']],
  ])('reads a mesh default for DestinationRules that names %s as public, as istiod honours only "." there', (_, defaultDestinationRuleExportTo) => {
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'shop', ['v1']), route('frontend')], { defaultDestinationRuleExportTo })).toEqual([]);
  });

  test('reads a private DestinationRule as seen in its own namespace', () => {
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'shop', ['v1']), route('shop')], { defaultDestinationRuleExportTo: ['.'] })).toEqual([]);
  });

  test('reads a mesh default for DestinationRules that lists "." as private, whatever else it lists, and shows it as written', () => {
    const found = verify([...app('reviews', 'shop'), rule('reviews', 'shop', ['v1']), route('frontend')], { defaultDestinationRuleExportTo: ['*', '.', 'frontend'] });
    expect(summary(found)).toEqual(['destination-rule-not-exported VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
    expect(found[0].message).toContain('DestinationRule/shop/reviews has no exportTo, so the mesh\'s defaultDestinationRuleExportTo applies: ["*",".","frontend"]');
  });

  test.each([
    ['exported there by name', [rule('reviews', 'shop', ['v1'], ['.', 'frontend'])]],
    ['seen there, beside one that is not', [rule('reviews', 'shop', ['v1'], ['.']), rule('reviews-frontend', 'frontend', ['v1', 'v2'], ['.'])]],
    ['left to Istio\'s default', [rule('reviews', 'shop', ['v1'])]],
  ])('accepts a subset defined by a DestinationRule %s', (_, rules) => {
    expect(verify([...app('reviews', 'shop'), ...rules, route('frontend')])).toEqual([]);
  });

  test('leaves a subset that hidden rules do not define to subset-not-found', () => {
    expect(summary(verify([...app('reviews', 'shop'), rule('reviews', 'shop', ['v2'], ['.']), route('frontend')])))
      .toEqual(['subset-not-found VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
  });
});

describe('destination-rule-shadowed and destination-rule-not-consulted: the DestinationRule a proxy takes lacks the subset', () => {
  const rule = (name: string, namespace: string, host: string, subsets: string[], extra: Obj = {}) => istio('DestinationRule', name, namespace,
    { host, subsets: subsets.map(subset => ({ name: subset, labels: { app: 'reviews' } })), ...extra });
  const reviewsRule = rule('reviews', 'shop', REVIEWS, ['v1']);
  const route = (namespace: string, gateways?: string[], host = REVIEWS) => istio('VirtualService', 'reviews', namespace, {
    hosts: ['reviews.example.com'], ...(gateways ? { gateways } : {}), http: [{ route: [{ destination: { host, subset: 'v1' } }] }],
  });
  const ingressPods = ingress(['*/reviews.example.com']);
  const ORDER = 'a proxy takes the DestinationRules of its own namespace first (in istio-system, those that namespace keeps to itself), '
    + 'then those the host\'s namespace exports to it, then those istio-system exports, and of those the most specific host';
  const SIDECARS = 'sidecars there take these routes but do not';
  const GATEWAY = 'the gateway takes these routes but does not';
  const shadowed = (namespace: string, where: string, taken: string, takenHost: string, subsets: string, fix: string, who = SIDECARS, definers = 'DestinationRule/shop/reviews') =>
    finding('destination-rule-shadowed', `VirtualService/${namespace}/reviews`, 'spec.http[0].route[0].destination.subset',
      `subset v1 is defined by ${definers}, but in ${where}, Istio takes ${taken} (host ${takenHost}) for ${REVIEWS} instead, ${subsets}: `
      + `${ORDER}; ${who} know the subset, so requests fail with 503; define subset v1 in ${taken} too, ${fix}`);
  const narrow = `or give that rule a host that does not cover ${REVIEWS}`;
  const notConsulted = (namespace: string, where: string, definers: string, home = 'shop') => finding('destination-rule-not-consulted',
    `VirtualService/${namespace}/reviews`, 'spec.http[0].route[0].destination.subset',
    `subset v1 is defined by ${definers}, which proxies in ${where}, never take: a proxy takes DestinationRules only `
    + `from its own namespace, from the host's (${home}) and from istio-system; ${SIDECARS} know the subset, so requests fail with 503; move the rule to namespace ${home}`);
  const FRONTEND = 'namespace frontend, this VirtualService\'s own';

  test('fails when a namespace-wide rule in the routes\' namespace takes the host from the rule that defines the subset', () => {
    const mtls = istio('DestinationRule', 'mtls', 'frontend', { host: '*.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    const ratings = rule('ratings', 'frontend', 'ratings.shop.svc.cluster.local', []);
    expect(verify([...app('reviews', 'shop'), reviewsRule, mtls, ratings, route('frontend')])).toEqual([
      shadowed('frontend', FRONTEND, 'DestinationRule/frontend/mtls', '*.local', 'which defines no subsets', narrow)]);
    expect(verify([...app('reviews', 'shop'), reviewsRule, { ...mtls, spec: { ...mtls.spec, host: '*.frontend.svc.cluster.local' } }, route('frontend')])).toEqual([]);
  });

  test('fails when a rule for the exact host in the routes\' namespace lacks the subset, naming the subsets it has', () => {
    const local = istio('DestinationRule', 'reviews-local', 'frontend', { host: REVIEWS, exportTo: ['*'],
      subsets: [{ name: 'v2', labels: { version: 'v2' } }, { labels: { version: 'v4' } }, { name: 'v3', labels: { version: 'v3' } }] });
    expect(verify([...app('reviews', 'shop'), reviewsRule, local, route('frontend')])).toEqual([shadowed('frontend', FRONTEND,
      'DestinationRule/frontend/reviews-local', REVIEWS, 'whose subsets (v2, v3) do not include it', 'or route without the subset')]);
  });

  test('fails when a private namespace-wide rule in istio-system takes the host for the gateway pods there, and names every rule taken', () => {
    const mtls = (name: string) => istio('DestinationRule', name, 'istio-system', { host: '*.local', exportTo: ['.'] });
    expect(verify([...app('reviews', 'shop'), ...ingressPods, reviewsRule, mtls('mtls'), mtls('mtls-2'), route('shop', ['istio-system/public'])])).toEqual([
      shadowed('shop', 'namespace istio-system, where the pods of gateway istio-system/public run', 'DestinationRule/istio-system/mtls, DestinationRule/istio-system/mtls-2',
        '*.local', 'which defines no subsets', narrow, GATEWAY)]);
  });

  test('fails when the mesh keeps rules without exportTo private, so that one in istio-system comes first there', () => {
    const mtls = istio('DestinationRule', 'mtls', 'istio-system', { host: '*.local' });
    const objects = [...app('reviews', 'shop'), ...ingressPods, rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['*'] }), mtls, route('shop', ['istio-system/public'])];
    expect(summary(verify(objects, { defaultDestinationRuleExportTo: ['.'] }))).toEqual(['destination-rule-shadowed VirtualService/shop/reviews spec.http[0].route[0].destination.subset']);
    expect(verify(objects)).toEqual([]);
  });

  test.each([
    ['everywhere', ['*']],
    ['to its own namespace and the routes\'', ['.', 'frontend']],
  ])('fails when the host\'s namespace exports a rule for the exact host without the subset %s, taken before istio-system\'s', (_, exportTo) => {
    const objects = [...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v2'], { exportTo }), rule('reviews', 'istio-system', REVIEWS, ['v1']),
      rule('reviews-2', 'istio-system', REVIEWS, ['v1']), route('frontend')];
    expect(verify(objects)).toEqual([shadowed('frontend', FRONTEND, 'DestinationRule/shop/reviews', REVIEWS, 'whose subsets (v2) do not include it',
      'or route without the subset', SIDECARS, 'DestinationRule/istio-system/reviews, DestinationRule/istio-system/reviews-2')]);
  });

  test('fails when istio-system exports the rule taken, the host\'s namespace having none', () => {
    const objects = [...app('reviews', 'shop'), rule('defaults', 'istio-system', '*.local', []), rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')];
    // A narrower host would leave the proxies there no rule: ops is never consulted.
    expect(verify(objects)).toEqual([shadowed('frontend', FRONTEND, 'DestinationRule/istio-system/defaults', '*.local', 'which defines no subsets',
      'or route without the subset', SIDECARS, 'DestinationRule/ops/reviews')]);
  });

  test('consults the mesh\'s rootNamespace where the MeshConfig names one, and not istio-system', () => {
    const objects = (root: string) => [...app('reviews', 'shop'), rule('defaults', root, '*.local', []), rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')];
    const options = { rootNamespace: 'istio-config' };
    const inRoot = (f: Finding): Finding => ({ ...f, message: f.message.split('istio-system').join('istio-config') });
    expect(verify(objects('istio-config'), options)).toEqual([inRoot(shadowed('frontend', FRONTEND, 'DestinationRule/istio-config/defaults', '*.local',
      'which defines no subsets', 'or route without the subset', SIDECARS, 'DestinationRule/ops/reviews'))]);
    expect(verify(objects('istio-system'), options)).toEqual([inRoot(notConsulted('frontend', FRONTEND, 'DestinationRule/ops/reviews'))]);
    // istio-system is then a namespace like any other, whose proxies take its public rules first.
    const gatewayRoute = [...app('reviews', 'shop'), ...ingressPods, reviewsRule, rule('defaults', 'istio-system', '*.local', []), route('shop', ['istio-system/public'])];
    expect(verify(gatewayRoute)).toEqual([]);
    expect(summary(verify(gatewayRoute, options))).toEqual(['destination-rule-shadowed VirtualService/shop/reviews spec.http[0].route[0].destination.subset']);
  });

  test('fails when the only rules defining the subset are in a namespace that is neither the routes\', the host\'s nor istio-system', () => {
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), rule('reviews-2', 'ops', REVIEWS, ['v1']), route('frontend')])).toEqual([
      notConsulted('frontend', FRONTEND, 'DestinationRule/ops/reviews, DestinationRule/ops/reviews-2')]);
    // Named the most specific host first, whatever the order of the input.
    const wildcards = ['*', '*.local', '*.svc.cluster.local', '*.shop.svc.cluster.local'].map((host, i) => rule(`wide-${i}`, 'ops', host, ['v1']));
    expect(verify([...app('reviews', 'shop'), ...wildcards, route('frontend')])).toEqual([
      notConsulted('frontend', FRONTEND, 'DestinationRule/ops/wide-3, DestinationRule/ops/wide-2, DestinationRule/ops/wide-1, DestinationRule/ops/wide-0')]);
  });

  test('fails when a rule with a workloadSelector in istio-system, which istiod keeps to its own namespace, is all it could take there', () => {
    const selected = rule('defaults', 'istio-system', '*.local', [], { exportTo: ['*'], workloadSelector: { matchLabels: { app: 'web' } } });
    expect(verify([...app('reviews', 'shop'), selected, rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')])).toEqual([
      notConsulted('frontend', FRONTEND, 'DestinationRule/ops/reviews')]);
  });

  test('fails when a private namespace-wide rule in istio-system comes before that namespace\'s public rule for the host, for the gateway pods there', () => {
    const objects = [...app('reviews', 'shop'), ...ingressPods, rule('reviews', 'istio-system', REVIEWS, ['v1']),
      istio('DestinationRule', 'mtls', 'istio-system', { host: '*.local', exportTo: ['.'] }), route('shop', ['istio-system/public'])];
    expect(verify(objects)).toEqual([shadowed('shop', 'namespace istio-system, where the pods of gateway istio-system/public run', 'DestinationRule/istio-system/mtls',
      '*.local', 'which defines no subsets', narrow, GATEWAY, 'DestinationRule/istio-system/reviews')]);
  });

  test('fails when the rules defining the subset have a workloadSelector in another namespace, which istiod exports nowhere', () => {
    const selected = rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['*'], workloadSelector: { matchLabels: { app: 'reviews' } } });
    const path = 'spec.http[0].route[0].destination.subset';
    expect(verify([...app('reviews', 'shop'), selected, route('frontend')])).toEqual([finding('destination-rule-not-exported', 'VirtualService/frontend/reviews', path,
      'subset v1 is defined by DestinationRule/shop/reviews, not exported to namespace frontend, this VirtualService\'s own: DestinationRule/shop/reviews has a '
      + `workloadSelector, which keeps it to its own namespace whatever its exportTo; ${SIDECARS} know the subset, so requests fail with 503; `
      + 'define it in a DestinationRule without workloadSelector in namespace shop, exported to frontend, or route without the subset')]);
    // The rule it sees in ops is never consulted: the fix is still the rule of shop.
    expect(verify([...app('reviews', 'shop'), selected, rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')]).map(f => [f.code, f.message.split('; ').slice(-1)[0]]))
      .toEqual([['destination-rule-not-exported', 'define it in a DestinationRule without workloadSelector in namespace shop, exported to frontend, or route without the subset']]);
    expect(verify([...app('reviews', 'shop'), selected, route('shop')])).toEqual([]);
    // Beside a rule hidden by its exportTo, that exportTo is the fix; from two namespaces, both are named.
    const both = verify([...app('reviews', 'shop'), selected, rule('reviews-v1', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] }), route('frontend')]);
    expect(both.map(f => f.message.split('; ').slice(-1)[0])).toEqual(['add frontend to that exportTo, or route without the subset']);
    const routes = { ...route('frontend'), spec: { ...route('frontend').spec, exportTo: ['frontend', 'web'] } };
    expect(verify([...app('reviews', 'shop'), selected, routes]).map(f => f.message.split('; ').slice(-1)[0]))
      .toEqual(['define it in a DestinationRule without workloadSelector in namespace shop, exported to frontend, web, or route without the subset']);
  });

  test('takes a rule with a workloadSelector in istio-system, private whatever its exportTo, for the gateway pods there', () => {
    const selected = rule('reviews', 'istio-system', REVIEWS, ['v1'], { exportTo: ['shop'], workloadSelector: { matchLabels: { istio: 'ingressgateway' } } });
    expect(verify([...app('reviews', 'shop'), ...ingressPods, selected, route('shop', ['istio-system/public'])])).toEqual([]);
  });

  test('fails when a ServiceEntry declares the host in one namespace and the rule is in another', () => {
    const entry = istio('ServiceEntry', 'payments', 'payments', { hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const other = istio('ServiceEntry', 'maps', 'maps', { hosts: ['maps.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const objects = [entry, other, rule('payments', 'ops', 'api.payments.example.com', ['v1']), route('frontend', undefined, 'api.payments.example.com')];
    expect(verify(objects).map(f => [f.code, f.message.split(': a proxy')[0]])).toEqual([['destination-rule-not-consulted',
      'subset v1 is defined by DestinationRule/ops/payments, which proxies in namespace frontend, this VirtualService\'s own, never take']]);
    expect(verify(objects)[0].message).toMatch(/from the host's \(payments\) .* move the rule to namespace payments$/);
    expect(verify([entry, rule('payments', 'payments', 'api.payments.example.com', ['v1']), route('frontend', undefined, 'api.payments.example.com')])).toEqual([]);
  });

  test('fails when a wildcard destination host\'s only rule is in a namespace not consulted, naming it once', () => {
    const entry = istio('ServiceEntry', 'partners', 'partners', { hosts: ['*.partners.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] });
    const objects = [entry, rule('partners', 'ops', '*.partners.example.com', ['v1']), route('frontend', undefined, '*.partners.example.com')];
    expect(verify(objects).map(f => f.message.split(', which')[0])).toEqual(['subset v1 is defined by DestinationRule/ops/partners']);
  });

  test('checks every namespace the routes are exported to, each with the rules it takes', () => {
    const local = (namespace: string, subsets: string[]) => rule('reviews-local', namespace, REVIEWS, subsets);
    const routes = { ...route('frontend'), spec: { ...route('frontend').spec, exportTo: ['frontend', 'web', 'admin'] } };
    expect(summary(verify([...app('reviews', 'shop'), reviewsRule, local('web', ['v2']), local('admin', ['v1']), routes])).map(s => s.split(' ')[0])).toEqual(['destination-rule-shadowed']);
    expect(verify([...app('reviews', 'shop'), reviewsRule, local('web', ['v2']), routes])[0].message).toContain('but in namespace web, which this VirtualService is exported to, Istio takes DestinationRule/web/reviews-local');
  });

  test.each([
    ['defined by a rule in the routes\' own namespace, whatever else the set holds', [rule('reviews', 'frontend', REVIEWS, ['v1']), rule('any', 'frontend', '*', [])]],
    ['defined by a namespace-wide rule in the routes\' namespace', [rule('defaults', 'frontend', '*.local', ['v1'])]],
    ['defined in the host\'s namespace, the routes\' namespace having rules for other hosts only', [reviewsRule, rule('ratings', 'frontend', 'ratings.shop.svc.cluster.local', [])]],
    ['defined in the host\'s namespace, beside a rule in the routes\' namespace exported elsewhere only', [reviewsRule, rule('mtls', 'frontend', '*.local', [], { exportTo: ['ops'] })]],
    ['defined in the host\'s namespace, exported to the routes\' by name', [rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.', 'frontend'] })]],
    ['defined in istio-system, exported everywhere, the host\'s namespace having none', [rule('reviews', 'istio-system', REVIEWS, ['v1'])]],
    ['defined in the host\'s namespace, behind a rule in the routes\' namespace with a workloadSelector', [reviewsRule,
      rule('mtls', 'frontend', '*.local', [], { workloadSelector: { matchLabels: { app: 'web' } } })]],
    ['defined in istio-system, behind a rule with a workloadSelector in the routes\' namespace before the host\'s rule without it', [
      rule('reviews', 'shop', REVIEWS, ['v2']), rule('reviews', 'istio-system', REVIEWS, ['v1']),
      rule('mtls', 'frontend', '*.local', [], { workloadSelector: { matchLabels: { app: 'web' } } })]],
    ['defined in istio-system, the host\'s rule being hidden from the routes\' namespace', [
      rule('reviews', 'shop', REVIEWS, ['v2'], { exportTo: ['.', 'ops'] }), rule('reviews', 'istio-system', REVIEWS, ['v1'])]],
  ])('accepts a subset %s', (_, rules) => {
    expect(verify([...app('reviews', 'shop'), ...rules, route('frontend')])).toEqual([]);
  });

  test('accepts a rule of its own namespace exported by name there, which comes first like one exported with "."', () => {
    expect(verify([...app('reviews', 'shop'), reviewsRule, rule('reviews', 'frontend', REVIEWS, ['v1'], { exportTo: ['frontend'] }), route('frontend')])).toEqual([]);
    expect(summary(verify([...app('reviews', 'shop'), reviewsRule, rule('reviews-v2', 'frontend', REVIEWS, ['v2'], { exportTo: ['frontend'] }), route('frontend')])))
      .toEqual(['destination-rule-shadowed VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
  });

  test('lets a public namespace-wide rule in istio-system come after the host\'s namespace for the gateway pods there', () => {
    const objects = [...app('reviews', 'shop'), ...ingressPods, reviewsRule, rule('defaults', 'istio-system', '*.local', []),
      rule('mtls', 'ops', '*.local', [], { exportTo: ['.'] }), route('shop', ['istio-system/public'])];
    expect(verify(objects)).toEqual([]);
  });

  test('skips a host whose namespace is unknown where the routes\' namespace has no rule for it', () => {
    const entry = (namespace: string) => istio('ServiceEntry', 'payments', namespace, { hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const objects = [entry('payments'), entry('billing'), rule('payments', 'ops', 'api.payments.example.com', ['v1']), route('frontend', undefined, 'api.payments.example.com')];
    expect(verify(objects)).toEqual([]);
    expect(verify([rule('payments', 'ops', 'api.payments.example.com', ['v1']), route('frontend', undefined, 'api.payments.example.com')],
      { externalHosts: ['api.payments.example.com'] })).toEqual([]);
  });

  test('fails when the rule of the exact host in the routes\' namespace comes before the wildcard rule there that defines the subset', () => {
    const objects = [...app('reviews', 'shop'), rule('pool', 'shop', REVIEWS, []), rule('versions', 'shop', '*.shop.svc.cluster.local', ['v1']), route('shop')];
    expect(verify(objects)).toEqual([shadowed('shop', 'namespace shop, this VirtualService\'s own', 'DestinationRule/shop/pool', REVIEWS, 'which defines no subsets',
      'or route without the subset', SIDECARS, 'DestinationRule/shop/versions')]);
  });

  test.each([
    ['a wildcard rule of the routes\' namespace, beside a private rule of the exact host elsewhere', [rule('pool', 'ops', REVIEWS, [], { exportTo: ['.'] }),
      rule('versions', 'shop', '*.shop.svc.cluster.local', ['v1'])], 'shop'],
    ['a wildcard rule of istio-system, the rule of the exact host being private to the host\'s namespace', [rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] }),
      rule('defaults', 'istio-system', '*.local', ['v1'])], 'frontend'],
  ])('accepts a subset defined by %s, which the proxies take', (_, rules, namespace) => {
    expect(verify([...app('reviews', 'shop'), ...rules, route(namespace)])).toEqual([]);
  });

  test('fails when the routes\' namespace has a rule for the exact host that it does not see, and a namespace-wide one it does', () => {
    const unseen = rule('reviews', 'frontend', REVIEWS, ['v1'], { exportTo: ['ops'] });
    const objects = [...app('reviews', 'shop'), reviewsRule, unseen, rule('mtls', 'frontend', '*.local', []), route('frontend')];
    // Exported there, the rule of the exact host would come before the namespace-wide one: that export is the fix.
    expect(verify(objects)).toEqual([finding('destination-rule-not-exported', 'VirtualService/frontend/reviews', 'spec.http[0].route[0].destination.subset',
      `subset v1 is defined by DestinationRule/frontend/reviews, not exported to ${FRONTEND}: DestinationRule/frontend/reviews has exportTo: [\"ops\"]; `
      + `${SIDECARS} know the subset, so requests fail with 503; add frontend to that exportTo, or route without the subset`)]);
    // Without it, the namespace-wide rule is what they take, and a narrower host would leave them the rule of shop.
    expect(verify([...app('reviews', 'shop'), reviewsRule, rule('mtls', 'frontend', '*.local', []), route('frontend')])).toEqual([
      shadowed('frontend', FRONTEND, 'DestinationRule/frontend/mtls', '*.local', 'which defines no subsets', narrow)]);
  });

  test('leaves routes alone whose proxies the set does not place: gateway pods outside it, which the routes\' namespace only stands for', () => {
    const mtls = rule('mtls', 'frontend', '*.local', []);
    const external = { externalGateways: ['istio-system/public-gateway'] };
    expect(verify([...app('reviews', 'shop'), reviewsRule, mtls, route('frontend', ['istio-system/public-gateway'])], external)).toEqual([]);
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend', ['istio-system/public-gateway'])], external)).toEqual([]);
    expect(verify([...app('reviews', 'shop'), reviewsRule, mtls, gateway('public', ['*/reviews.example.com']), route('frontend', ['istio-system/public'])])).toEqual([]);
    expect(summary(verify([...app('reviews', 'shop'), reviewsRule, mtls, route('frontend', ['istio-system/public-gateway', 'mesh'])], external)))
      .toEqual(['destination-rule-shadowed VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
  });

  test('leaves a mesh route exported everywhere from istio-system alone there, whose own proxies look rules up as no other namespace\'s', () => {
    const objects = (exportTo?: string[]) => [...app('reviews', 'shop'), reviewsRule, istio('DestinationRule', 'mtls', 'istio-system', { host: '*.local', exportTo: ['.'] }),
      { ...route('istio-system'), spec: { ...route('istio-system').spec, ...(exportTo ? { exportTo } : {}) } }];
    expect(verify(objects())).toEqual([]);
    expect(verify(objects(['*']))).toEqual([]);
    expect(summary(verify(objects(['.'])))).toEqual(['destination-rule-shadowed VirtualService/istio-system/reviews spec.http[0].route[0].destination.subset']);
  });

  test('leaves the mesh routes of a Service in ambient mode alone, which its waypoint applies wherever it runs', () => {
    const shop = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: {
      'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'infra' } } };
    const objects = [...app('reviews', 'shop'), rule('reviews', 'infra', REVIEWS, ['v1']), route('frontend')];
    expect(verify([shop, ...objects])).toEqual([]);
    const notConsultedThere = ['destination-rule-not-consulted VirtualService/frontend/reviews spec.http[0].route[0].destination.subset'];
    expect(summary(verify(objects))).toEqual(notConsultedThere);
    // Another namespace in ambient mode leaves this Service's routes to sidecars.
    expect(summary(verify([{ ...shop, metadata: { ...shop.metadata, name: 'other' } }, ...objects]))).toEqual(notConsultedThere);
    // A gateway applies its routes itself, waypoint or not.
    const gatewayRoute = [shop, ...app('reviews', 'shop'), ...ingressPods, reviewsRule, istio('DestinationRule', 'mtls', 'istio-system', { host: '*.local', exportTo: ['.'] }),
      route('shop', ['istio-system/public'])];
    expect(summary(verify(gatewayRoute))).toEqual(['destination-rule-shadowed VirtualService/shop/reviews spec.http[0].route[0].destination.subset']);
  });

  test('reads the exportTo of a ServiceEntry with a workloadSelector as written, since only DestinationRules are kept private by one', () => {
    const entry = istio('ServiceEntry', 'payments', 'payments', { hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'STATIC', workloadSelector: { labels: { app: 'payments' } } });
    expect(verify([entry, istio('VirtualService', 'pay', 'frontend', { hosts: ['pay.example.com'], http: [{ route: [{ destination: { host: 'api.payments.example.com' } }] }] })])).toEqual([]);
  });

  test('leaves a route exported to no namespace alone, where no proxy runs', () => {
    const routes = { ...route('frontend'), spec: { ...route('frontend').spec, exportTo: ['~'] } };
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), routes])).toEqual([]);
    // Nor is a host or a rule hidden from a namespace named ~.
    expect(verify([...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] }), routes])).toEqual([]);
    const alsoFrontend = { ...routes, spec: { ...routes.spec, exportTo: ['~', 'frontend'] } };
    expect(summary(verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), alsoFrontend])))
      .toEqual(['destination-rule-not-consulted VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
  });

  test('leaves the rules of a host that is unknown or hidden where the routes apply to the findings about the host', () => {
    const mtls = rule('mtls', 'frontend', '*.local', []);
    expect(summary(verify([reviewsRule, mtls, route('frontend')]))).toEqual(['destination-host-not-found VirtualService/frontend/reviews spec.http[0].route[0].destination.host']);
    expect(summary(verify([...app('reviews', 'shop', { 'networking.istio.io/exportTo': '.' }), reviewsRule, mtls, route('frontend')])))
      .toEqual(['destination-host-not-exported VirtualService/frontend/reviews spec.http[0].route[0].destination.host']);
  });

  const hiddenReviews = rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] });
  const NOT_EXPORTED = 'destination-rule-not-exported VirtualService/frontend/reviews spec.http[0].route[0].destination.subset';

  test('fails when the rule defining the subset is hidden from the routes\' namespace, whose own rule would come first were it exported, naming that rule', () => {
    const objects = [...app('reviews', 'shop'), hiddenReviews, rule('mtls', 'frontend', '*.local', []), route('frontend')];
    // A narrower host alone would leave the proxies there to the rule they do not see.
    expect(verify(objects)).toEqual([shadowed('frontend', FRONTEND, 'DestinationRule/frontend/mtls', '*.local', 'which defines no subsets',
      `${narrow}, then export DestinationRule/shop/reviews to frontend`)]);
    expect(summary(verify([...app('reviews', 'shop'), hiddenReviews, route('frontend')]))).toEqual([NOT_EXPORTED]);
  });

  test('fails when a hidden wildcard rule of the host\'s namespace defines the subset, and its rule of the exact host, which comes first, does not', () => {
    const versions = (exportTo: string[]) => rule('versions', 'shop', '*.shop.svc.cluster.local', ['v1'], { exportTo });
    const objects = [...app('reviews', 'shop'), rule('pool', 'shop', REVIEWS, []), versions(['.']), route('frontend')];
    expect(verify(objects)).toEqual([shadowed('frontend', FRONTEND, 'DestinationRule/shop/pool', REVIEWS, 'which defines no subsets', 'or route without the subset', SIDECARS,
      'DestinationRule/shop/versions')]);
    expect(summary(verify([...app('reviews', 'shop'), versions(['.']), route('frontend')]))).toEqual([NOT_EXPORTED]);
    expect(summary(verify([...app('reviews', 'shop'), rule('pool', 'shop', REVIEWS, []), versions(['*']), route('frontend')])))
      .toEqual(['destination-rule-shadowed VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
  });

  test('fails when the only rule defining the subset is hidden in a namespace that proxies would not consult even were it exported', () => {
    // Moved to shop with its exportTo, it would still be kept from frontend.
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.'] }), route('frontend')])).toEqual([
      { ...notConsulted('frontend', FRONTEND, 'DestinationRule/ops/reviews'), message: `${notConsulted('frontend', FRONTEND, 'DestinationRule/ops/reviews').message}, exported to frontend` }]);
    const selected = rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['*'], workloadSelector: { matchLabels: { app: 'reviews' } } });
    expect(verify([...app('reviews', 'shop'), selected, route('frontend')]).map(f => [f.code, f.message.split('; ').slice(-1)[0]])).toEqual([
      ['destination-rule-not-consulted', 'define the subset in a rule without workloadSelector in namespace shop']]);
  });

  const ruleHidden = (definers: string, hiding: string, where = FRONTEND, client = 'frontend', who = SIDECARS) => finding('destination-rule-shadowed',
    `VirtualService/${client === 'istio-system' ? 'shop' : client}/reviews`, 'spec.http[0].route[0].destination.subset',
    `subset v1 is defined by ${definers}, but in ${where}, Istio takes no DestinationRule for ${REVIEWS}: ${hiding}, of a more specific host in the same namespace, `
    + `is not exported to ${client}, and istiod reads a rule's exportTo only once it has picked the most specific host of a namespace, so the rules of less specific hosts there `
    + `are never looked at; ${who} know the subset, so requests fail with 503; export ${hiding.split(' (')[0]} to ${client} and define subset v1 there too, or route without the subset`);

  test.each([
    ['hidden itself', ['.']],
    ['exported everywhere', ['*']],
  ])('fails when a rule of the exact host exported elsewhere only hides the wildcard rule of the host\'s namespace that defines the subset, %s', (_, exportTo) => {
    const objects = [...app('reviews', 'shop'), rule('pool', 'shop', REVIEWS, [], { exportTo: ['billing'] }),
      rule('versions', 'shop', '*.shop.svc.cluster.local', ['v1'], { exportTo }), route('frontend')];
    expect(verify(objects)).toEqual([ruleHidden('DestinationRule/shop/versions', `DestinationRule/shop/pool (host ${REVIEWS})`)]);
  });

  test('fails when a hidden rule of the exact host in istio-system, the host\'s namespace, hides its wildcard rule, naming it once', () => {
    const entry = istio('ServiceEntry', 'reviews', 'istio-system', { hosts: [REVIEWS], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }] });
    const objects = [entry, rule('pool', 'istio-system', REVIEWS, [], { exportTo: ['billing'] }), rule('versions', 'istio-system', '*.local', ['v1']), route('frontend')];
    expect(verify(objects)).toEqual([ruleHidden('DestinationRule/istio-system/versions', `DestinationRule/istio-system/pool (host ${REVIEWS})`)]);
  });

  test('fails when the rule defining the subset in istio-system is exported to "." and another namespace, which its own gateway pods are not given', () => {
    const inRoot = (exportTo: string[]) => [...app('reviews', 'shop'), ...ingressPods, rule('reviews', 'istio-system', REVIEWS, ['v1'], { exportTo }), route('shop', ['istio-system/public'])];
    expect(verify(inRoot(['.', 'shop']))).toEqual([finding('destination-rule-not-consulted', 'VirtualService/shop/reviews', 'spec.http[0].route[0].destination.subset',
      'subset v1 is defined by DestinationRule/istio-system/reviews, which proxies in namespace istio-system, where the pods of gateway istio-system/public run, '
      + 'never take: there, a proxy takes first the DestinationRules istio-system keeps to itself (exportTo ["."] alone), then those the host\'s namespace exports to it, '
      + 'then those istio-system exports to "*" or to istio-system by name, and "." beside other namespaces is neither; the gateway takes these routes but does not know the subset, '
      + 'so requests fail with 503; give DestinationRule/istio-system/reviews exportTo ["."], or add istio-system to its exportTo by name')]);
    expect(verify(inRoot(['.']))).toEqual([]);
    expect(verify(inRoot(['istio-system', 'shop']))).toEqual([]);
    // Elsewhere the rule is not consulted for want of the right namespace.
    const elsewhere = [...app('reviews', 'shop'), ...ingressPods, rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.', 'istio-system'] }), route('shop', ['istio-system/public'])];
    expect(verify(elsewhere).map(f => f.message.split('; ').slice(-1)[0])).toEqual(['move the rule to namespace shop']);
  });

  test('fails when the rules defining the subset are a rule with a workloadSelector and a hidden one in a namespace not consulted, whose export would not do', () => {
    const selected = rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['*'], workloadSelector: { matchLabels: { app: 'reviews' } } });
    const objects = [...app('reviews', 'shop'), selected, rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.'] }), route('frontend')];
    expect(verify(objects).map(f => [f.code, f.message.split('; ').slice(-1)[0]])).toEqual([
      ['destination-rule-not-consulted', 'define the subset in a rule without workloadSelector in namespace shop']]);
    expect(verify(objects)[0].message).toContain('from the host\'s (shop) and from istio-system, and one with a workloadSelector only in its own namespace; ');
  });

  test('fails when a rule of the routes\' own namespace defines the subset but is hidden there, naming it alone beside a rule elsewhere that is never consulted', () => {
    const found = verify([...app('reviews', 'shop'), rule('reviews', 'web', REVIEWS, ['v1']), rule('reviews', 'frontend', REVIEWS, ['v1'], { exportTo: ['~'] }), route('frontend')]);
    expect(found).toEqual([finding('destination-rule-not-exported', 'VirtualService/frontend/reviews', 'spec.http[0].route[0].destination.subset',
      `subset v1 is defined by DestinationRule/frontend/reviews, not exported to ${FRONTEND}: DestinationRule/frontend/reviews has exportTo: [\"~\"]; `
      + `${SIDECARS} know the subset, so requests fail with 503; add frontend to that exportTo, or route without the subset`)]);
    const inShop = verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['~'] }), route('frontend')]);
    expect(inShop.map(f => [f.code, f.message.split('; ').slice(-1)[0]])).toEqual([['destination-rule-not-exported', 'add frontend to that exportTo, or route without the subset']]);
  });

  test('fails when a hidden rule of a more specific host in the host\'s namespace would hide the rule defining the subset, were it moved there', () => {
    const objects = [...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1']), rule('pool', 'shop', REVIEWS, [], { exportTo: ['web'] }), route('frontend')];
    expect(verify(objects)).toEqual([ruleHidden('DestinationRule/ops/reviews', `DestinationRule/shop/pool (host ${REVIEWS})`)]);
  });

  test('offers a narrower host for the rule taken only where the proxies would then take one defining the subset, exported to them if need be', () => {
    const tail = (objects: Obj[]) => verify(objects).map(f => f.message.split('; ').slice(-1)[0]);
    const wide = rule('wide', 'istio-system', '*.shop.svc.cluster.local', []);
    expect(tail([...app('reviews', 'shop'), wide, rule('reviews', 'frontend', REVIEWS, ['v1'], { exportTo: ['frontend'] }), route('shop')]))
      .toEqual(['define subset v1 in DestinationRule/istio-system/wide too, or route without the subset']);
    const mtls = rule('mtls', 'frontend', '*.local', []);
    expect(tail([...app('reviews', 'shop'), hiddenReviews, rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.'] }), mtls, route('frontend')]))
      .toEqual([`define subset v1 in DestinationRule/frontend/mtls too, ${narrow}, then export DestinationRule/shop/reviews to frontend`]);
    // A rule with a workloadSelector is exported nowhere, and where it lacks the subset, the pods it does not pick get no rule of the namespace.
    const selector = { workloadSelector: { matchLabels: { app: 'reviews' } } };
    expect(tail([...app('reviews', 'shop'), rule('all', 'frontend', '*', []), rule('reviews', 'istio-system', REVIEWS, ['v1'], selector), route('frontend')]))
      .toEqual(['define subset v1 in DestinationRule/frontend/all too, or route without the subset']);
    expect(tail([...app('reviews', 'shop'), rule('sel', 'web', '*.svc.cluster.local', [], selector), rule('reviews', 'shop', REVIEWS, ['v1']),
      rule('ns', 'web', '*.shop.svc.cluster.local', []), route('web')])).toEqual(['define subset v1 in DestinationRule/web/ns too, or route without the subset']);
  });

  test('fails when the only rule defining the subset has a workloadSelector elsewhere, and a new rule in the host\'s namespace would be private by the mesh\'s default', () => {
    const selected = rule('reviews', 'ops', REVIEWS, ['v1'], { workloadSelector: { matchLabels: { app: 'reviews' } } });
    const tail = (options: VerifyOptions) => verify([...app('reviews', 'shop'), selected, route('frontend')], options).map(f => f.message.split('; ').slice(-1)[0]);
    expect(tail({ defaultDestinationRuleExportTo: ['.'] })).toEqual(['define the subset in a rule without workloadSelector in namespace shop, exported to frontend']);
    expect(tail({})).toEqual(['define the subset in a rule without workloadSelector in namespace shop']);
  });

  test('names every rule of the more specific host that hides the rule defining the subset', () => {
    const pool = (name: string) => rule(name, 'shop', REVIEWS, [], { exportTo: ['billing'] });
    const versions = (name: string) => rule(name, 'shop', '*.shop.svc.cluster.local', ['v1']);
    const objects = [...app('reviews', 'shop'), pool('pool'), pool('pool-2'), versions('versions'), versions('versions-2'), route('frontend')];
    expect(verify(objects)[0].message).toContain('subset v1 is defined by DestinationRule/shop/versions, DestinationRule/shop/versions-2, but in namespace frontend');
    expect(verify(objects)[0].message).toContain(`Istio takes no DestinationRule for ${REVIEWS}: DestinationRule/shop/pool (host ${REVIEWS}), `
      + `DestinationRule/shop/pool-2 (host ${REVIEWS}), of a more specific host in the same namespace, are not exported to frontend`);
    expect(verify(objects)[0].message).toMatch(/export DestinationRule\/shop\/pool, DestinationRule\/shop\/pool-2 to frontend and define subset v1 there too, or route without the subset$/);
  });

  test('fails when a hidden rule of the exact host in istio-system hides its wildcard rule defining the subset, and leaves a rule elsewhere to be moved', () => {
    const pool = rule('pool', 'istio-system', REVIEWS, [], { exportTo: ['billing'] });
    expect(verify([...app('reviews', 'shop'), pool, rule('defaults', 'istio-system', '*.local', ['v1']), route('frontend')])).toEqual([
      ruleHidden('DestinationRule/istio-system/defaults', `DestinationRule/istio-system/pool (host ${REVIEWS})`)]);
    // Beside a rule defining it in a namespace never consulted, the one that would be taken is still hidden.
    expect(verify([...app('reviews', 'shop'), pool, rule('defaults', 'istio-system', '*.local', ['v1']), rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')]))
      .toEqual([ruleHidden('DestinationRule/ops/reviews, DestinationRule/istio-system/defaults', `DestinationRule/istio-system/pool (host ${REVIEWS})`)]);
    expect(verify([...app('reviews', 'shop'), pool, rule('reviews', 'ops', REVIEWS, ['v1']), route('frontend')]).map(f => [f.code, f.message.split('; ').slice(-1)[0]]))
      .toEqual([['destination-rule-not-consulted', 'move the rule to namespace shop']]);
  });

  test('names in one destination-rule-not-exported the namespaces that would take the same rules, and in another those that would take others', () => {
    const routes = { ...route('frontend'), spec: { ...route('frontend').spec, exportTo: ['frontend', 'web', 'admin'] } };
    const objects = [...app('reviews', 'shop'), rule('reviews', 'frontend', REVIEWS, ['v1'], { exportTo: ['~'] }),
      rule('reviews', 'web', REVIEWS, ['v1'], { exportTo: ['frontend'] }), rule('reviews', 'admin', REVIEWS, ['v1'], { exportTo: ['frontend'] }), routes];
    expect(verify(objects).map(f => [f.code, f.message.split(', not exported to ')[1].split(',')[0]])).toEqual([
      ['destination-rule-not-exported', 'namespace admin'], ['destination-rule-not-exported', 'namespace frontend'], ['destination-rule-not-exported', 'namespace web']]);
    const shared = [...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] }), routes];
    expect(verify(shared).map(f => f.message.split(', which this')[0])).toEqual(['subset v1 is defined by DestinationRule/shop/reviews, not exported to namespaces admin, frontend, web']);
  });

  test('leaves routes from gateway pods outside the set alone where the routes\' namespace sees one rule defining the subset, though not another', () => {
    const external = { externalGateways: ['istio-system/public-gateway'] };
    expect(verify([...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v1']), rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.'] }),
      route('frontend', ['istio-system/public-gateway'])], external)).toEqual([]);
  });

  test('names every rule to export after a narrower host, and only those the proxies would then take', () => {
    const hiddenRule = (name: string) => rule(name, 'shop', REVIEWS, ['v1'], { exportTo: ['.'] });
    const objects = [...app('reviews', 'shop'), hiddenRule('reviews'), hiddenRule('reviews-2'), rule('reviews-b', 'shop', REVIEWS, []),
      rule('reviews', 'ops', REVIEWS, ['v1'], { exportTo: ['.'] }), rule('mtls', 'frontend', '*.local', []), route('frontend')];
    expect(verify(objects).map(f => f.message.split('; ').slice(-1)[0])).toEqual([
      `define subset v1 in DestinationRule/frontend/mtls too, ${narrow}, then export DestinationRule/shop/reviews, DestinationRule/shop/reviews-2 to frontend`]);
  });

  test('names every rule of istio-system that its own proxies are not given', () => {
    const inRoot = (name: string) => rule(name, 'istio-system', REVIEWS, ['v1'], { exportTo: ['.', 'shop'] });
    const found = verify([...app('reviews', 'shop'), ...ingressPods, inRoot('reviews'), inRoot('reviews-2'), route('shop', ['istio-system/public'])]);
    expect(found.map(f => f.message.split(', which proxies')[0])).toEqual(['subset v1 is defined by DestinationRule/istio-system/reviews, DestinationRule/istio-system/reviews-2']);
    expect(found[0].message).toMatch(/give DestinationRule\/istio-system\/reviews, DestinationRule\/istio-system\/reviews-2 exportTo \["\."\], or add/);
  });

  test.each([
    ['a rule with a workloadSelector whatever its exportTo, the mesh exporting new rules everywhere', [{ exportTo: ['.'], workloadSelector: { matchLabels: { app: 'reviews' } } }],
      'define the subset in a rule without workloadSelector in namespace shop'],
    ['two rules, one of which would be seen there once moved', [{}, { exportTo: ['.'] }], 'move the rule to namespace shop'],
  ])('says no more than to move or define the subset for %s', (_, extras, fix) => {
    const rules = extras.map((extra, i) => rule(`reviews-${i}`, 'ops', REVIEWS, ['v1'], extra));
    expect(verify([...app('reviews', 'shop'), ...rules, route('frontend')]).map(f => f.message.split('; ').slice(-1)[0])).toEqual([fix]);
  });

  test.each([
    ['no exportTo, the mesh exporting rules everywhere', {}, {}, 'frontend', ''],
    ['no exportTo, the mesh keeping rules to their namespace', {}, { defaultDestinationRuleExportTo: ['.'] }, 'frontend', ', exported to frontend'],
    ['no exportTo, the mesh keeping rules to their namespace, for routes in the host\'s own', {}, { defaultDestinationRuleExportTo: ['.'] }, 'shop', ''],
    ['exportTo "*"', { exportTo: ['*'] }, {}, 'frontend', ''],
    ['an exportTo naming the routes\' namespace', { exportTo: ['frontend'] }, {}, 'frontend', ''],
    ['exportTo ".", for routes in the host\'s namespace', { exportTo: ['.'] }, {}, 'shop', ''],
    ['exportTo "." and another namespace', { exportTo: ['.', 'web'] }, {}, 'frontend', ', exported to frontend'],
  ])('says to move a rule not consulted to the host\'s namespace, and to export it where it would not be seen there: %s', (_, extra, options, namespace, exportToo) => {
    const found = verify([...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1'], extra), route(namespace)], options);
    expect(found.map(f => [f.code, f.message.split('; ').slice(-1)[0]])).toEqual([['destination-rule-not-consulted', `move the rule to namespace shop${exportToo}`]]);
  });

  test('says to define a rule without workloadSelector in the host\'s namespace, which routes there see under any mesh default', () => {
    const selected = rule('reviews', 'ops', REVIEWS, ['v1'], { workloadSelector: { matchLabels: { app: 'reviews' } } });
    expect(verify([...app('reviews', 'shop'), selected, route('shop')], { defaultDestinationRuleExportTo: ['.'] }).map(f => f.message.split('; ').slice(-1)[0]))
      .toEqual(['define the subset in a rule without workloadSelector in namespace shop']);
  });

  test('names in destination-rule-not-exported only the namespaces where exporting the rule would do', () => {
    const routes = { ...route('frontend'), spec: { ...route('frontend').spec, exportTo: ['frontend', 'web'] } };
    const found = verify([...app('reviews', 'shop'), hiddenReviews, rule('mtls', 'web', '*.local', []), routes]);
    expect(summary(found)).toEqual([NOT_EXPORTED, 'destination-rule-shadowed VirtualService/frontend/reviews spec.http[0].route[0].destination.subset']);
    expect(found[0].message).toBe('subset v1 is defined by DestinationRule/shop/reviews, not exported to namespace frontend, which this VirtualService is exported to: '
      + `DestinationRule/shop/reviews has exportTo: [\".\"]; ${SIDECARS} know the subset, so requests fail with 503; add frontend to that exportTo, or route without the subset`);
    expect(found[1].message).toContain('but in namespace web, which this VirtualService is exported to, Istio takes DestinationRule/web/mtls (host *.local)');
  });

  test.each([
    ['a rule with a workloadSelector in the routes\' namespace, which only some of its proxies take', [hiddenReviews,
      rule('mtls', 'frontend', '*.local', [], { workloadSelector: { matchLabels: { app: 'web' } } })], {}],
    ['a host declared in two namespaces, so that the set cannot tell which exports rules to the routes', [
      ...['shop', 'billing'].map(namespace => istio('ServiceEntry', 'reviews', namespace, { hosts: [REVIEWS], ports: [{ number: 9080, name: 'http', protocol: 'HTTP' }] })),
      hiddenReviews], {}],
    ['gateway pods outside the set, for which the routes\' namespace only stands', [hiddenReviews, rule('mtls', 'frontend', '*.local', [])],
      { externalGateways: ['istio-system/public-gateway'] }],
  ])('leaves a hidden rule defining the subset to destination-rule-not-exported beside %s', (_, rules, options) => {
    const gateways = 'externalGateways' in options ? ['istio-system/public-gateway'] : undefined;
    const services = rules.some(o => o.kind === 'ServiceEntry') ? [] : app('reviews', 'shop');
    expect(summary(verify([...services, ...rules, route('frontend', gateways)], options))).toEqual([NOT_EXPORTED]);
  });
});
