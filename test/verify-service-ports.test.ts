import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { CODES, Finding, verifyManifests } from '../src/verify';
import { verifiedFindings as verify } from './support/findings';

type Obj = Record<string, any>;

function only(objects: unknown[], code: string): Finding[] {
  return verify(objects).filter(f => f.code === code);
}

function service(name: string, ports: unknown[], spec: Obj = { selector: { app: 'web' } }, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', ...metadata }, spec: { ...spec, ports } };
}

function deployment(name: string, labels: Obj = { app: 'web' }, pod: Obj = {}, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', ...metadata },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels, ...pod.metadata }, spec: pod.spec ?? {} } },
  };
}

function virtualService(name: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec };
}

function serviceEntry(name: string, hosts: string[], ports: unknown[]): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: 'shop' }, spec: { hosts, ports, resolution: 'DNS' } };
}

function gateway(selector: Obj = { app: 'web' }): Obj {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'shop' },
    spec: { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  };
}

function warning(code: string, object: string, path: string, message: string, istioCode: string): Finding {
  return { code, severity: CODES[code as keyof typeof CODES], object, path, message, istioCode } as Finding;
}

const SNIFFED = 'declares no protocol Istio knows, so Istio has to sniff it: http/1.1 and http/2 are detected, anything else '
  + 'is opaque tcp and server-first protocols stall; ';
const RENAME = 'name it <protocol>[-suffix] such as http-web, or set appProtocol';

function unknown(object: string, index: number, label: string, routedBy?: string): Finding {
  return warning('port-protocol-unknown', object, `spec.ports[${index}]`,
    `${label} ${SNIFFED}${routedBy ? `${routedBy} routes to it, so ` : ''}${RENAME}`, 'IST0118');
}

describe('port-protocol-unknown, on every Service port', () => {
  test('fails when ports of a Service no route reaches are unnamed or named for no protocol (Istio service-no-port-name.yaml)', () => {
    const objects = [deployment('web'), service('web', [{ protocol: 'TCP', port: 8080, targetPort: 8080 }, { name: 'foo', port: 8081 }])];
    expect(verify(objects)).toEqual([
      unknown('Service/shop/web', 0, 'port 8080 (unnamed)'),
      unknown('Service/shop/web', 1, 'port 8081 (foo)'),
    ]);
  });

  test('fails when an appProtocol Istio does not know overrides a good name, and says so', () => {
    const objects = [deployment('web'), service('web', [{ name: 'http', appProtocol: 'custom.io/thing', port: 8080 }])];
    expect(verify(objects)).toEqual([unknown('Service/shop/web', 0, 'port 8080 (http, appProtocol custom.io/thing)')]);
  });

  test('fails when a routed port is unnamed, naming the first VirtualService that routes to it', () => {
    const route = (port?: number) => ({ route: [{ destination: { host: 'web', ...port ? { port: { number: port } } : {} } }] });
    const objects = [
      deployment('web'),
      service('web', [{ port: 8080 }, { port: 9090 }]),
      virtualService('a', { hosts: ['a.example.com'], http: [route(9090)] }),
      virtualService('b', { hosts: ['b.example.com'], http: [route(9090)] }),
      // No port among several: which one the route reaches is the caller's, so neither is named routed.
      virtualService('c', { hosts: ['web'], http: [route()] }),
    ];
    expect(only(objects, 'port-protocol-unknown')).toEqual([
      unknown('Service/shop/web', 0, 'port 8080 (unnamed)'),
      unknown('Service/shop/web', 1, 'port 9090 (unnamed)', 'VirtualService/shop/a'),
    ]);
    const first = virtualService('d', { hosts: ['d.example.com'], http: [route(8080)] });
    expect(only([...objects, first], 'port-protocol-unknown')[0]).toEqual(unknown('Service/shop/web', 0, 'port 8080 (unnamed)', 'VirtualService/shop/d'));
  });

  test('fails when the only port of a Service is reached by a route without a port number', () => {
    const objects = [deployment('web'), service('web', [{ port: 8080 }]), virtualService('web', { hosts: ['web'], tcp: [{ route: [{ destination: { host: 'web' } }] }] })];
    expect(only(objects, 'port-protocol-unknown')).toEqual([unknown('Service/shop/web', 0, 'port 8080 (unnamed)', 'VirtualService/shop/web')]);
  });

  test.each([
    ['http'], ['http-web'], ['HTTP2'], ['grpc-web-ui'], ['grpc'], ['https-api'], ['tcp'], ['tcp-db'], ['tls-x'],
    ['mongo'], ['mysql'], ['redis-cache'], ['udp'], ['http_proxy'],
  ])('accepts a port named %s', name => {
    expect(verify([deployment('web'), service('web', [{ name, port: 8080 }])])).toEqual([]);
  });

  test.each([
    [{ name: 'web', appProtocol: 'http', port: 8080 }],
    [{ name: 'web', appProtocol: 'kubernetes.io/h2c', port: 8080 }],
    [{ appProtocol: 'kubernetes.io/ws', port: 8080 }],
    [{ appProtocol: 'kubernetes.io/wss', port: 8080 }],
    [{ port: 8080, protocol: 'UDP' }],
    [{ port: 25 }], [{ port: 53 }], [{ port: 3306 }], [{ port: 27017 }],
  ])('accepts port %j, whose protocol Istio reads from appProtocol, UDP or a server-first port number', port => {
    expect(verify([deployment('web'), service('web', [port])])).toEqual([]);
  });

  test.each(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'])('accepts an unnamed port in system namespace %s, which istioctl analyze skips', namespace => {
    expect(verify([service('dns', [{ port: 8080 }], {}, { namespace })])).toEqual([]);
  });

  test('fails when an unnamed port is in istio-system without the control plane\'s labels', () => {
    const objects = [service('dns', [{ port: 8080 }], {}, { namespace: 'istio-system', labels: { release: 'other', app: 'dns' } })];
    expect(verify(objects)).toEqual([unknown('Service/istio-system/dns', 0, 'port 8080 (unnamed)')]);
  });

  test.each([
    [{ istio: 'ingressgateway' }],
    [{ istio: '' }],
    [{ release: 'istio' }],
    [{ 'gateway.istio.io/managed': 'istio.io-gateway-controller' }],
    [{ 'gateway.istio.io/managed': 'istio.io-mesh-controller' }],
    [{ 'gateway.istio.io/managed': 'istio.io-eastwest-controller' }],
  ])('accepts an unnamed port of a Service labelled %j, Istio\'s own', labels => {
    expect(verify([service('gateway', [{ port: 8080 }], {}, { labels })])).toEqual([]);
  });

  test('fails when a Service only looks managed by Istio', () => {
    const objects = [service('gateway', [{ port: 8080 }], {}, { labels: { 'gateway.istio.io/managed': 'someone-else' } })];
    expect(verify(objects)).toEqual([unknown('Service/shop/gateway', 0, 'port 8080 (unnamed)')]);
  });
});

describe('external-name-port-name', () => {
  const externalName = (ports: unknown[], namespace = 'shop') =>
    service('nginx', ports, { type: 'ExternalName', externalName: 'nginx.example.com' }, { namespace });
  const opaque = (index: number, label: string, declared: string, port: number) => warning('external-name-port-name', 'Service/shop/nginx', `spec.ports[${index}]`,
    `${label} ${declared}; an ExternalName service has no cluster IP, so sidecars match that traffic on the port number alone `
    + `and may send other destinations' traffic on port ${port} to it, or fail to forward it; `
    + 'name the port for a protocol matched by host (http-, http2-, grpc-, https- or tls-<suffix>) or set appProtocol', 'IST0150');
  const sniffed = 'declares no protocol Istio knows, so what sniffing does not find to be http is proxied as opaque tcp';

  test('fails when an ExternalName port is named for no protocol, unnamed, or named tcp (Istio incorrect-port-name-external-name-service-type.yaml)', () => {
    const ports = [{ name: 'nginx', port: 443, protocol: 'TCP', targetPort: 443 }, { port: 444 }, { name: 'tcp', port: 445 }];
    expect(verify([externalName(ports)])).toEqual([
      opaque(0, 'port 443 (nginx)', sniffed, 443),
      opaque(1, 'port 444 (unnamed)', sniffed, 444),
      opaque(2, 'port 445 (tcp)', 'is declared tcp, which sidecars proxy as opaque tcp', 445),
    ]);
  });

  test('fails when an ExternalName port is any other protocol sidecars match by port alone, which Istio\'s analyzer misses', () => {
    const ports = [{ name: 'tcp-db', port: 5432 }, { name: 'mysql', port: 3307 }, { name: 'db', appProtocol: 'tcp', port: 5433 }, { port: 3306 }];
    expect(verify([externalName(ports)])).toEqual([
      opaque(0, 'port 5432 (tcp-db)', 'is declared tcp, which sidecars proxy as opaque tcp', 5432),
      opaque(1, 'port 3307 (mysql)', 'is declared mysql, which sidecars proxy as opaque tcp', 3307),
      opaque(2, 'port 5433 (db, appProtocol tcp)', 'is declared tcp, which sidecars proxy as opaque tcp', 5433),
      opaque(3, 'port 3306 (unnamed)', 'is declared tcp, which sidecars proxy as opaque tcp', 3306),
    ]);
  });

  test.each([
    [{ name: 'http', port: 80 }],
    [{ name: 'http2-api', port: 80 }],
    [{ name: 'grpc', port: 80 }],
    [{ name: 'https', port: 443 }],
    [{ name: 'tls-db', port: 443 }],
    // Istio's analyzer flags the name tcp even when appProtocol overrides it; the port is read as tls.
    [{ name: 'tcp', appProtocol: 'tls', port: 443 }],
    [{ name: 'dns', port: 53, protocol: 'UDP' }],
  ])('accepts ExternalName port %j, which sidecars tell apart by host or do not proxy', port => {
    expect(verify([externalName([port])])).toEqual([]);
  });

  test('accepts an ExternalName Service in a system namespace', () => {
    expect(verify([externalName([{ name: 'tcp', port: 445 }], 'kube-system')])).toEqual([]);
  });

  test('accepts a port named tcp on a Service of another type', () => {
    expect(verify([deployment('web'), service('web', [{ name: 'tcp', port: 445 }], { type: 'ClusterIP', selector: { app: 'web' } })])).toEqual([]);
  });
});

describe('destination-port-ambiguous', () => {
  const frontend = [
    deployment('frontend', { app: 'frontend' }),
    service('frontend', [{ name: 'http', port: 80 }, { name: 'http-alt', port: 81 }, { name: 'http-admin', port: 9090 }], { selector: { app: 'frontend' } }),
  ];
  const backend = [
    deployment('backend', { app: 'backend' }),
    service('backend', [{ name: 'http', port: 8080 }, { name: 'http-admin', port: 9090 }], { selector: { app: 'backend' } }),
  ];
  const routeTo = (host: string, hosts: string[], extra: Obj = {}) => virtualService('frontend', { hosts, http: [{ route: [{ destination: { host } }] }], ...extra });

  test('fails when a mesh route to a multi-port Service names no port, and a host it serves is dialled on a port that Service lacks', () => {
    expect(verify([...frontend, ...backend, routeTo('backend', ['frontend'])])).toEqual([
      warning('destination-port-ambiguous', 'VirtualService/shop/frontend', 'spec.http[0].route[0].destination',
        'this route names no port of Service/shop/backend, which has several (8080, 9090), so sidecars use the port number the client dialled; '
        + 'host frontend.shop.svc.cluster.local is dialled on 80, 81, which Service/shop/backend lacks, so those calls find no cluster and fail with 503; '
        + 'set port.number, or give each port its own rule with match.port (Istio\'s analyzer reports any route without a port, as IST0112)', 'IST0112'),
    ]);
  });

  test('fails when the route is a delegate\'s, and a host of the root is dialled on a port the Service lacks', () => {
    const root = virtualService('frontend', { hosts: ['frontend'], http: [{ delegate: { name: 'frontend-routes' } }] });
    const delegate = virtualService('frontend-routes', { http: [{ route: [{ destination: { host: 'backend' } }] }] });
    expect(verify([...frontend, ...backend, root, delegate]).map(f => `${f.code} ${f.object} ${f.path}`)).toEqual([
      'destination-port-ambiguous VirtualService/shop/frontend-routes spec.http[0].route[0].destination',
    ]);
  });

  test('fails when the rule applies to the mesh alone on a VirtualService bound to a gateway too', () => {
    const vs = virtualService('frontend', {
      hosts: ['frontend'],
      gateways: ['public', 'mesh'],
      http: [{ match: [{ gateways: ['mesh'] }], route: [{ destination: { host: 'backend' } }] }],
    });
    expect(verify([...frontend, ...backend, gateway({ app: 'frontend' }), vs]).map(f => `${f.code} ${f.path}`)).toEqual([
      'destination-port-ambiguous spec.http[0].route[0].destination',
    ]);
  });

  test('fails when a gateway route to the same Service names no port: a gateway uses its own port', () => {
    expect(verify([...frontend, ...backend, gateway({ app: 'frontend' }), routeTo('backend', ['backend'], { gateways: ['public'] })]).map(f => `${f.code} ${f.path}`)).toEqual([
      'destination-port-required spec.http[0].route[0].destination',
    ]);
  });

  test('accepts a mesh route without a port to the Service it is for: each call keeps the port it dialled (Istio reports IST0112 here)', () => {
    expect(verify([...backend, routeTo('backend', ['backend'])])).toEqual([]);
  });

  test('accepts a mesh route without a port when every port of the hosts it serves is a port of the destination', () => {
    const narrow = service('frontend', [{ name: 'http', port: 8080 }], { selector: { app: 'frontend' } });
    expect(verify([frontend[0], narrow, ...backend, routeTo('backend', ['frontend', 'backend', 'outside.example.com'])])).toEqual([]);
  });

  test('accepts a mesh route that names its port', () => {
    const vs = virtualService('frontend', { hosts: ['frontend'], http: [{ route: [{ destination: { host: 'backend', port: { number: 8080 } } }] }] });
    expect(verify([...frontend, ...backend, vs])).toEqual([]);
  });
});

describe('ports of ServiceEntry hosts', () => {
  const web = [deployment('web'), service('web', [{ name: 'http', port: 80 }])];
  const routeTo = (host: string, port?: number, extra: Obj = {}) => virtualService('web', {
    hosts: ['web'],
    http: [{ route: [{ destination: { host, ...port === undefined ? {} : { port: { number: port } } } }] }],
    ...extra,
  });
  const notFound = (port: number, owner: string, has: string) => warning('destination-port-not-found', 'VirtualService/shop/web',
    'spec.http[0].route[0].destination.port.number', `port ${port} is not a port of ${owner} (it has ${has}); use one of its ports`, 'IST0101');
  const summary = (objects: unknown[]) => verify(objects).map(f => `${f.code} ${f.path}: ${f.message}`);

  test('fails when a destination port is not a port of the ServiceEntry declaring the host', () => {
    const entry = serviceEntry('payments', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]);
    expect(verify([...web, entry, routeTo('api.payments.example', 8443)])).toEqual([notFound(8443, 'ServiceEntry/shop/payments', '443')]);
  });

  test('accepts a destination port the ServiceEntry declares', () => {
    const entry = serviceEntry('payments', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]);
    expect(verify([...web, entry, routeTo('api.payments.example', 443)])).toEqual([]);
  });

  test('fails when a ServiceEntry declares no ports at all', () => {
    expect(verify([...web, serviceEntry('payments', ['api.payments.example'], []), routeTo('api.payments.example', 443)])).toEqual([
      notFound(443, 'ServiceEntry/shop/payments', 'none'),
    ]);
  });

  test('fails against the most specific wildcard host that covers the destination', () => {
    const objects = [
      ...web,
      serviceEntry('broad', ['*.example.com'], [{ number: 80, name: 'http', protocol: 'HTTP' }]),
      serviceEntry('narrow', ['*.api.example.com'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      routeTo('v1.api.example.com', 80),
    ];
    expect(verify(objects)).toEqual([notFound(80, 'ServiceEntry/shop/narrow', '443')]);
  });

  test('fails against a ServiceEntry for every host, *, when no other covers the destination', () => {
    const objects = [
      ...web,
      serviceEntry('any', ['*'], [{ number: 80, name: 'http', protocol: 'HTTP' }]),
      serviceEntry('other', ['*.example.org'], [{ number: 8080, name: 'http', protocol: 'HTTP' }]),
      routeTo('api.example.com', 8080),
    ];
    expect(verify(objects)).toEqual([notFound(8080, 'ServiceEntry/shop/any', '80')]);
  });

  test('fails against a host declared exactly before a wildcard of the same length', () => {
    const objects = [
      ...web,
      serviceEntry('wildcard', ['*.example.com'], [{ number: 80, name: 'http', protocol: 'HTTP' }]),
      serviceEntry('exact', ['a.example.com'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      routeTo('a.example.com', 80),
    ];
    expect(verify(objects)).toEqual([notFound(80, 'ServiceEntry/shop/exact', '443')]);
  });

  test('accepts a port that one of the ServiceEntries declaring a host has', () => {
    const objects = [
      ...web,
      serviceEntry('a', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      serviceEntry('b', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 8443, name: 'https-admin', protocol: 'HTTPS' }]),
      routeTo('api.payments.example', 8443),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a gateway routes to a multi-port ServiceEntry host without a port, counting ports and entries once', () => {
    const objects = [
      ...web,
      gateway(),
      serviceEntry('a', ['api.payments.example', 'api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      serviceEntry('b', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 8443, name: 'https-admin', protocol: 'HTTPS' }]),
      routeTo('api.payments.example', undefined, { gateways: ['public'] }),
    ];
    expect(summary(objects)).toEqual([
      'destination-port-required spec.http[0].route[0].destination: without port.number a gateway routes to the port it took the request on, '
      + 'and shop/public takes it on port 80, which is no port of ServiceEntry/shop/a, ServiceEntry/shop/b (443, 8443), so those requests find '
      + 'no cluster and fail with 503; set port.number',
    ]);
  });

  test('accepts a gateway route without a port to a ServiceEntry host with one port, however often it is declared', () => {
    const objects = [
      ...web,
      gateway(),
      serviceEntry('a', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      serviceEntry('b', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
      routeTo('api.payments.example', undefined, { gateways: ['public'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when a mesh route without a port reaches a multi-port ServiceEntry host from a host dialled on another port', () => {
    const entry = serviceEntry('payments', ['api.payments.example'], [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 8443, name: 'https-admin', protocol: 'HTTPS' }]);
    expect(verify([...web, entry, routeTo('api.payments.example')]).map(f => `${f.code} ${f.path}`)).toEqual([
      'destination-port-ambiguous spec.http[0].route[0].destination',
    ]);
  });

  test('takes the Service of a host before a ServiceEntry declaring it', () => {
    const entry = serviceEntry('shadow', ['web.shop.svc.cluster.local'], [{ number: 8080, name: 'http', protocol: 'HTTP' }]);
    expect(verify([...web, entry, routeTo('web', 80)])).toEqual([]);
    expect(summary([...web, entry, routeTo('web', 8080)])).toEqual([
      'destination-port-not-found spec.http[0].route[0].destination.port.number: port 8080 is not a port of Service/shop/web (it has 80); use one of its ports',
    ]);
  });
});

describe('ports of Services that routes reach', () => {
  const web = (ports: unknown[]) => [deployment('web'), service('web', ports)];
  const routeTo = (rule: Obj) => virtualService('web', { hosts: ['web'], ...rule });

  test('fails when a destination port is not among a Service\'s, listing them all', () => {
    const vs = routeTo({ http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] });
    expect(verify([...web([{ name: 'http', port: 9080 }, { name: 'http-admin', port: 9090 }]), vs])).toEqual([
      warning('destination-port-not-found', 'VirtualService/shop/web', 'spec.http[0].route[0].destination.port.number',
        'port 80 is not a port of Service/shop/web (it has 9080, 9090); use one of its ports', 'IST0101'),
    ]);
  });

  test('fails when every port of the host an in-mesh http rule serves is declared another protocol, naming each', () => {
    const vs = routeTo({ http: [{ route: [{ destination: { host: 'web', port: { number: 9443 } } }] }, { route: [{ destination: { host: 'web' } }] }] });
    const error = (i: number) => ({ code: 'http-route-to-non-http-port', severity: 'error', object: 'VirtualService/shop/web', path: `spec.http[${i}]` });
    const message = 'port 9443 (http, appProtocol tls) of Service/shop/web is declared tls, port 9090 (tcp-admin) of Service/shop/web is declared tcp, '
      + 'so sidecars proxy calls to them as opaque traffic and never apply this http rule; name the port http-<suffix> (or grpc, http2) if it serves http, '
      + 'or route it under tcp instead';
    expect(verify([...web([{ name: 'http', appProtocol: 'tls', port: 9443 }, { name: 'tcp-admin', port: 9090 }]), vs]).filter(f => f.code === error(0).code))
      .toEqual([{ ...error(0), message }, { ...error(1), message }]);
    // eslint-disable-next-line no-sparse-arrays
    const one = verify([...web([, { name: 'tcp', port: 9443 }]), routeTo({ http: [{ route: [{ destination: { host: 'web' } }] }] })]);
    expect(one.map(f => f.message)).toEqual(['port 9443 (tcp) of Service/shop/web is declared tcp, so sidecars proxy calls to it as opaque traffic and never apply '
      + 'this http rule; name the port http-<suffix> (or grpc, http2) if it serves http, or route it under tcp instead']);
  });

  test('passes an http rule for a host with a port that carries http, or is sniffed, whatever port its destination names', () => {
    const vs = routeTo({ http: [{ route: [{ destination: { host: 'web', port: { number: 9443 } } }] }] });
    expect(verify([...web([{ name: 'tls', port: 9443 }, { name: 'http-admin', port: 9090 }]), vs])).toEqual([]);
    expect(verify([...web([{ name: 'tls', port: 9443 }, { name: 'admin', port: 9090 }]), vs]).map(f => f.code)).toEqual(['port-protocol-unknown']);
  });

  test('passes an http rule of a host that a ServiceEntry declares, routed to an egress gateway\'s https port, as istio.io\'s egress tasks do', () => {
    const entry = serviceEntry('nginx', ['nginx.example.com'], [{ number: 80, name: 'http', protocol: 'HTTP' }]);
    const egress = routeTo({ hosts: ['nginx.example.com'], http: [{ route: [{ destination: { host: 'web', port: { number: 443 } } }] }] });
    expect(verify([...web([{ name: 'https', port: 443 }]), entry, egress])).toEqual([]);
    // A host in no registry, such as a gateway's public name, has no listener in sidecars; the Service's own does.
    const publicName = routeTo({ hosts: ['web.example.com', 'web'], http: [{ route: [{ destination: { host: 'web' } }] }] });
    expect(verify([...web([{ name: 'https', port: 443 }]), publicName]).map(f => `${f.code} ${f.path}`)).toEqual(['http-route-to-non-http-port spec.http[0]']);
    expect(verify([...web([{ name: 'https', port: 443 }]), publicName], { externalHosts: ['*.example.com'] })).toEqual([]);
    // A wildcard host may cover a Service of the set whose port carries http.
    const wildcard = routeTo({ hosts: ['*.shop.svc.cluster.local', 'web'], http: [{ route: [{ destination: { host: 'web' } }] }] });
    expect(verify([...web([{ name: 'https', port: 443 }]), wildcard])).toEqual([]);
  });

  test.each(['http_proxy', 'grpc-web'])('accepts an in-mesh http route to a port named %s, which Istio reads as http', name => {
    const vs = routeTo({ http: [{ route: [{ destination: { host: 'web', port: { number: 3128 } } }] }] });
    expect(verify([...web([{ name, port: 3128 }, { name: 'http', port: 9090 }]), vs])).toEqual([]);
  });

  test('accepts an in-mesh tcp route to a tcp port', () => {
    const vs = routeTo({ tcp: [{ route: [{ destination: { host: 'web', port: { number: 5432 } } }] }] });
    expect(verify([...web([{ name: 'tcp-db', port: 5432 }, { name: 'http', port: 9090 }]), vs])).toEqual([]);
  });
});

describe('destination-port-required: a gateway route without a port, to a host with several', () => {
  const web = [deployment('web'), service('web', [{ name: 'http', port: 80 }, { name: 'http-admin', port: 9090 }])];
  const server = (number: number, hosts = ['*']) => ({ port: { number, name: `http-${number}`, protocol: 'HTTP' }, hosts });
  const ingress = (...servers: Obj[]) => ({ ...gateway(), spec: { selector: { app: 'web' }, servers } });
  const routeTo = (host: string, gateways = ['public'], hosts = ['web.example.com']) => virtualService('web', { hosts, gateways, http: [{ route: [{ destination: { host } }] }] });
  const required = (objects: unknown[]) => only(objects, 'destination-port-required').map(f => f.message);

  test('passes where every server of the gateway admitting the hosts is on a port of the destination, as Istio\'s tests route', () => {
    expect(required([...web, ingress(server(80)), routeTo('web')])).toEqual([]);
    expect(required([...web, ingress(server(80), server(9090)), routeTo('web')])).toEqual([]);
    // A server admitting none of the hosts builds no routes for them.
    expect(required([...web, ingress(server(80), server(8080, ['admin.example.com'])), routeTo('web')])).toEqual([]);
    expect(required([...web, ingress(server(80), server(8080, ['other/*'])), routeTo('web')])).toEqual([]);
  });

  test('fails where a server admitting the hosts is on a port the destination lacks, naming it', () => {
    expect(required([...web, ingress(server(80), server(8080)), routeTo('web')])).toEqual([
      'without port.number a gateway routes to the port it took the request on, and shop/public takes it on port 8080, which is no port of '
      + 'Service/shop/web (80, 9090), so those requests find no cluster and fail with 503; set port.number',
    ]);
    expect(required([...web, ingress(server(8080, ['shop/web.example.com'])), routeTo('web')])[0]).toContain('takes it on port 8080');
    // A server admits the VirtualService where one of its hosts admits one of the VirtualService's.
    expect(required([...web, ingress(server(80), server(8080, ['admin.example.com', 'web.example.com'])), routeTo('web')])[0]).toContain('takes it on port 8080');
    expect(required([...web, ingress(server(80), server(8080, ['web.example.com'])), routeTo('web', ['public'], ['other.example.org', 'web.example.com'])])[0])
      .toContain('takes it on port 8080');
  });

  test('fails as before where the gateway\'s servers are unknown, and passes a gateway of the set none of whose servers admits the hosts', () => {
    const unknown = 'a gateway cannot tell which port of Service/shop/web (80, 9090) this route means; set port.number';
    expect(required([...web, routeTo('web', ['istio-system/public'])])).toEqual([unknown]);
    // host-not-on-gateway reports that.
    expect(required([...web, ingress(server(80, ['admin.example.com'])), routeTo('web')])).toEqual([]);
    // Known ports are named before unknown ones, whichever gateway comes first.
    expect(required([...web, ingress(server(8080)), routeTo('web', ['istio-system/public', 'public'])])[0]).toContain('takes it on port 8080');
  });
});

describe('destination-port-required: only the servers that build the rule', () => {
  const web = [deployment('web'), service('web', [{ name: 'http', port: 80 }, { name: 'tcp', port: 31400 }])];
  const server = (number: number, protocol: string, tls?: Obj) => ({ port: { number, name: `p-${number}`, protocol }, hosts: ['*'], ...tls ? { tls } : {} });
  const ingress = (...servers: Obj[]) => ({ ...gateway(), spec: { selector: { app: 'web' }, servers } });
  const routeTo = (rule: Obj) => virtualService('web', { hosts: ['web.example.com'], gateways: ['public'], ...rule });
  const to = [{ destination: { host: 'web' } }];
  const required = (objects: unknown[]) => only(objects, 'destination-port-required').map(f => f.message.replace(/.*takes it on port (\d+).*/, '$1'));

  test('reads http rules on servers that terminate http, tls rules on those that pass TLS through, and tcp rules on the others', () => {
    const mixed = ingress(server(80, 'HTTP'), server(31400, 'TCP'));
    expect(required([...web, mixed, routeTo({ http: [{ route: to }] })])).toEqual([]);
    expect(required([...web, mixed, routeTo({ tcp: [{ route: to }] })])).toEqual([]);
    expect(required([...web, ingress(server(8080, 'HTTP'), server(31400, 'TCP')), routeTo({ http: [{ route: to }] })])).toEqual(['8080']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(9000, 'TCP')), routeTo({ tcp: [{ route: to }] })])).toEqual(['9000']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'c' })), routeTo({ http: [{ route: to }] })])).toEqual(['443']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(443, 'HTTPS')), routeTo({ http: [{ route: to }] })])).toEqual(['443']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(443, 'HTTPS', { mode: 'PASSTHROUGH' })), routeTo({ http: [{ route: to }] })])).toEqual([]);
    expect(required([...web, ingress(server(80, 'HTTP'), server(443, 'HTTPS', { mode: 'AUTO_PASSTHROUGH' })), routeTo({ http: [{ route: to }] })])).toEqual([]);
    expect(required([...web, ingress(server(80, 'GRPC'), server(443, 'TLS', { mode: 'PASSTHROUGH' })), routeTo({ tls: [{ match: [{ sniHosts: ['web.example.com'] }], route: to }] })]))
      .toEqual(['443']);
    const sni = [{ sniHosts: ['web.example.com'] }];
    expect(required([...web, ingress(server(80, 'HTTP'), server(9000, 'TCP'), server(9443, 'TLS', { mode: 'PASSTHROUGH' })), routeTo({ tcp: [{ route: to }] })]))
      .toEqual(['9000']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(9000, 'TCP'), server(9443, 'TLS', { mode: 'PASSTHROUGH' })), routeTo({ tls: [{ match: sni, route: to }] })]))
      .toEqual(['9443']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(9443, 'TLS', { mode: 'SIMPLE', credentialName: 'c' })), routeTo({ tcp: [{ route: to }] })]))
      .toEqual(['9443']);
  });

  test('passes a server that redirects all http to https, which routes nothing', () => {
    expect(required([...web, ingress(server(80, 'HTTP'), server(8080, 'HTTP', { httpsRedirect: true })), routeTo({ http: [{ route: to }] })])).toEqual([]);
    expect(required([...web, ingress(server(80, 'HTTP'), server(8080, 'HTTP', { httpsRedirect: false })), routeTo({ http: [{ route: to }] })])).toEqual(['8080']);
  });

  test('reads only the servers on the ports a rule\'s matches keep it to, where each names one', () => {
    const both = ingress(server(80, 'HTTP'), server(8080, 'HTTP'));
    expect(required([...web, both, routeTo({ http: [{ match: [{ port: 80 }], route: to }] })])).toEqual([]);
    expect(required([...web, both, routeTo({ http: [{ match: [{ port: 80 }, { uri: { prefix: '/' } }], route: to }] })])).toEqual(['8080']);
    expect(required([...web, both, routeTo({ http: [{ match: [{ port: 8080 }], route: to }] })])).toEqual(['8080']);
    expect(required([...web, ingress(server(80, 'HTTP'), server(9000, 'TCP')), routeTo({ tcp: [{ match: [{ port: 31400 }], route: to }] })])).toEqual([]);
  });
});

describe('an ExternalName Service, which proxies route through to the host it stands for', () => {
  const target = [deployment('web'), service('web', [{ name: 'http', port: 80 }, { name: 'http-admin', port: 9090 }])];
  const alias = (ports: unknown[] = [], externalName = 'web.shop.svc.cluster.local') => service('alias', ports, { type: 'ExternalName', externalName });
  const routeTo = (port?: number) => virtualService('frontend', {
    hosts: ['alias'], http: [{ route: [{ destination: { host: 'alias', ...port === undefined ? {} : { port: { number: port } } } }] }],
  });
  const portFindings = (objects: unknown[]) => verify(objects).filter(f => f.code.startsWith('destination-port')).map(f => f.message);

  test('passes a port of the target, whatever ports the alias declares, as Istio\'s ExternalName tests route', () => {
    expect(portFindings([...target, alias(), routeTo(80)])).toEqual([]);
    expect(portFindings([...target, alias([{ name: 'http', port: 8080 }]), routeTo(9090)])).toEqual([]);
  });

  test('fails when the port is not the target\'s, naming both', () => {
    expect(portFindings([...target, alias([{ name: 'http', port: 8080 }]), routeTo(8080)])).toEqual([
      'port 8080 is not a port of Service/shop/web (which Service/shop/alias stands for) (it has 80, 9090); use one of its ports',
    ]);
  });

  test('leaves the port alone where the target is not in the set', () => {
    expect(portFindings([alias([], 'api.example.com'), routeTo(443)])).toEqual([]);
  });

  test('reads an ExternalName Service without externalName, or another type, by its own ports', () => {
    expect(portFindings([...target, service('alias', [{ name: 'http', port: 8080 }], { type: 'ExternalName' }), routeTo(80)]))
      .toEqual(['port 80 is not a port of Service/shop/alias (it has 8080); use one of its ports']);
    expect(portFindings([...target, service('alias', [{ name: 'http', port: 8080 }], { type: 'ClusterIP', externalName: 'web.shop.svc.cluster.local' }), routeTo(80)]))
      .toEqual(['port 80 is not a port of Service/shop/alias (it has 8080); use one of its ports']);
  });

  test('routes a destination naming no port to the alias\'s only port, which the target must have', () => {
    expect(portFindings([...target, alias([{ name: 'http', port: 80 }]), routeTo()])).toEqual([]);
    expect(verify([...target, alias([{ name: 'http', port: 8080 }]), routeTo()]).filter(f => f.code === 'destination-port-not-found')).toEqual([{
      code: 'destination-port-not-found', severity: 'error', object: 'VirtualService/shop/frontend', path: 'spec.http[0].route[0].destination', istioCode: 'IST0101',
      message: 'this route names no port, so proxies take 8080, the only port of the ExternalName Service, which is no port of '
        + 'Service/shop/web (which Service/shop/alias stands for) (it has 80, 9090); set port.number to one of its ports',
    }]);
    // With no port or several, the alias leaves the port to the listener, as for the target itself.
    expect(portFindings([...target, alias(), routeTo()])).toEqual([]);
    expect(portFindings([...target, alias([{ name: 'http', port: 8080 }, { name: 'http-2', port: 9090 }]), routeTo()])).toEqual([]);
    const bare = service('bare', [], { selector: { app: 'web' } });
    expect(portFindings([...target, bare, alias([{ name: 'http', port: 8080 }], 'bare.shop.svc.cluster.local'), routeTo()]))
      .toEqual([expect.stringContaining('which is no port of Service/shop/bare (which Service/shop/alias stands for) (it has none)')]);
  });

  test('follows one alias only, as istiod does', () => {
    const second = service('second', [], { type: 'ExternalName', externalName: 'alias.shop.svc.cluster.local' });
    const toSecond = virtualService('frontend', { hosts: ['second'], http: [{ route: [{ destination: { host: 'second', port: { number: 80 } } }] }] });
    expect(portFindings([...target, alias([{ name: 'http', port: 8080 }]), second, toSecond]))
      .toEqual(['port 80 is not a port of Service/shop/alias (which Service/shop/second stands for) (it has 8080); use one of its ports']);
  });
});

describe('Services sharing a pod port', () => {
  const conflict = (code: string, object: string, index: number, message: string) =>
    warning(code, object, `spec.ports[${index}]`, message, code === 'workload-port-protocol-conflict' ? 'IST0116' : 'IST0137');
  const PROTOCOLS = 'a sidecar serves each pod port with one protocol, taken from the oldest Service, so traffic through the others is proxied with the wrong one; '
    + 'declare the same protocol (port name or appProtocol) on every Service port that targets';
  const PORTS = 'a sidecar builds one inbound chain per pod port, from the oldest Service, so its telemetry counts requests through the others as that one\'s, '
    + 'and Istio asks the Services that select one workload to give a target port one port number; use the same port number in each, or target another pod port';

  test('fails when two Services give one pod port different protocols (Istio deployment-multi-service.yaml)', () => {
    const objects = [
      deployment('details'),
      service('details-tcp', [{ name: 'tcp', port: 9080, protocol: 'TCP' }]),
      service('details-http', [{ name: 'http', port: 9080 }]),
    ];
    expect(verify(objects)).toEqual([
      conflict('workload-port-protocol-conflict', 'Service/shop/details-http', 0,
        'port 9080 (http) declares http for pod port 9080 of Deployment/shop/details, but Service/shop/details-tcp port 9080 (tcp) declares tcp; '
        + `${PROTOCOLS} pod port 9080 of Deployment/shop/details`),
      conflict('workload-port-protocol-conflict', 'Service/shop/details-tcp', 0,
        'port 9080 (tcp) declares tcp for pod port 9080 of Deployment/shop/details, but Service/shop/details-http port 9080 (http) declares http; '
        + `${PROTOCOLS} pod port 9080 of Deployment/shop/details`),
    ]);
  });

  test('fails when two Services target one pod port from different ports (Istio deployment-multi-service.yaml)', () => {
    const objects = [
      deployment('conflicting'),
      service('conflicting-1', [{ name: 'http', port: 9080, targetPort: 9080 }]),
      service('conflicting-2', [{ name: 'http', port: 9090, targetPort: 9080 }]),
    ];
    expect(verify(objects)).toEqual([
      conflict('workload-target-port-conflict', 'Service/shop/conflicting-1', 0,
        `port 9080 (http) targets pod port 9080 of Deployment/shop/conflicting, which Service/shop/conflicting-2 reaches as port 9090 (http); ${PORTS}`),
      conflict('workload-target-port-conflict', 'Service/shop/conflicting-2', 0,
        `port 9090 (http) targets pod port 9080 of Deployment/shop/conflicting, which Service/shop/conflicting-1 reaches as port 9080 (http); ${PORTS}`),
    ]);
  });

  test('fails when a named targetPort is the container port another Service targets by number', () => {
    const pod = { spec: { containers: [{ name: 'web', ports: [{ name: 'metrics', containerPort: 9100 }, { name: 'web', containerPort: 8080 }] }] } };
    const objects = [
      deployment('web', { app: 'web' }, pod),
      service('web', [{ name: 'http', port: 80, targetPort: 'web' }]),
      service('web-raw', [{ name: 'tcp', port: 80, targetPort: 8080 }]),
    ];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(';'))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/web port 80 (http) declares http for pod port 8080 of Deployment/shop/web, but Service/shop/web-raw port 80 (tcp) declares tcp',
      'workload-port-protocol-conflict Service/shop/web-raw port 80 (tcp) declares tcp for pod port 8080 of Deployment/shop/web, but Service/shop/web port 80 (http) declares http',
    ]);
  });

  test('fails when one Service gives one pod port two protocols, and names a sniffed one so', () => {
    const objects = [deployment('web'), service('web', [{ name: 'http', port: 80, targetPort: 8080 }, { port: 8080 }])];
    expect(verify(objects).map(f => `${f.code} ${f.path} ${f.message.slice(0, f.message.indexOf(';'))}`)).toEqual([
      'workload-port-protocol-conflict spec.ports[0] port 80 (http) declares http for pod port 8080 of Deployment/shop/web, but Service/shop/web port 8080 (unnamed) declares no protocol (sniffed)',
      'port-protocol-unknown spec.ports[1] port 8080 (unnamed) declares no protocol Istio knows, so Istio has to sniff it: http/1.1 and http/2 are detected, anything else is opaque tcp and server-first protocols stall',
      'workload-port-protocol-conflict spec.ports[1] port 8080 (unnamed) declares no protocol (sniffed) for pod port 8080 of Deployment/shop/web, but Service/shop/web port 80 (http) declares http',
    ]);
  });

  test('fails when the pods are a bare Pod, whose containers name the port', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', ports: [{ name: 'api', containerPort: 8080 }] }] },
    };
    const objects = [pod, service('a', [{ name: 'http', port: 80, targetPort: 'api' }]), service('b', [{ name: 'grpc', port: 80, targetPort: 8080 }])];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(','))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a port 80 (http) declares http for pod port 8080 of Pod/shop/web',
      'workload-port-protocol-conflict Service/shop/b port 80 (grpc) declares grpc for pod port 8080 of Pod/shop/web',
    ]);
  });

  test('fails when grpc-web and grpc meet on one pod port: Istio tells them apart', () => {
    const objects = [deployment('web'), service('a', [{ name: 'grpc-web-ui', port: 80 }]), service('b', [{ name: 'grpc-api', port: 80 }])];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(','))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a port 80 (grpc-web-ui) declares grpc-web for pod port 80 of Deployment/shop/web',
      'workload-port-protocol-conflict Service/shop/b port 80 (grpc-api) declares grpc for pod port 80 of Deployment/shop/web',
    ]);
  });

  test('accepts conflicting Services on a bare Pod that opts out of the sidecar', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', labels: { 'app': 'web', 'sidecar.istio.io/inject': 'false' } },
      spec: { containers: [{ name: 'web' }] },
    };
    expect(verify([pod, service('a', [{ name: 'http', port: 80 }]), service('b', [{ name: 'tcp', port: 80 }])])).toEqual([]);
  });

  test('fails on a named targetPort the containers do not declare, by its name', () => {
    const objects = [deployment('web'), service('a', [{ name: 'http', port: 80, targetPort: 'api' }]), service('b', [{ name: 'tcp', port: 80, targetPort: 'api' }])];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(','))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a port 80 (http) declares http for pod port api of Deployment/shop/web',
      'workload-port-protocol-conflict Service/shop/b port 80 (tcp) declares tcp for pod port api of Deployment/shop/web',
    ]);
  });

  test.each([
    [{ name: 'tcp', port: 80, targetPort: 0 }],
    [{ name: 'tcp', port: 80, targetPort: '' }],
    [{ name: 'tcp', port: 80, targetPort: { junk: true } }],
    [{ name: 'tcp', port: 80 }],
  ])('fails when a port without a usable targetPort %j reaches the pod port of its own number', port => {
    const objects = [deployment('web'), service('a', [{ name: 'http', port: 80, targetPort: 80 }]), service('b', [port])];
    expect(verify(objects).map(f => `${f.code} ${f.object}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a',
      'workload-port-protocol-conflict Service/shop/b',
    ]);
  });

  test('reports a Service port once when its conflict repeats on several workloads, naming the first', () => {
    const objects = [
      deployment('web-v1', { app: 'web', version: 'v1' }),
      deployment('web-v2', { app: 'web', version: 'v2' }),
      service('a', [{ name: 'http', port: 80 }]),
      service('b', [{ name: 'tcp', port: 80 }]),
    ];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(','))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a port 80 (http) declares http for pod port 80 of Deployment/shop/web-v1',
      'workload-port-protocol-conflict Service/shop/b port 80 (tcp) declares tcp for pod port 80 of Deployment/shop/web-v1',
    ]);
  });

  test('fails when a conflict is on one of several workloads only, naming that one', () => {
    const objects = [
      deployment('web-v1', { app: 'web', version: 'v1' }),
      deployment('web-v2', { app: 'web', version: 'v2' }),
      service('a', [{ name: 'http', port: 80 }]),
      service('b', [{ name: 'tcp', port: 80 }], { selector: { app: 'web', version: 'v2' } }),
    ];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.message.slice(0, f.message.indexOf(','))}`)).toEqual([
      'workload-port-protocol-conflict Service/shop/a port 80 (http) declares http for pod port 80 of Deployment/shop/web-v2',
      'workload-port-protocol-conflict Service/shop/b port 80 (tcp) declares tcp for pod port 80 of Deployment/shop/web-v2',
    ]);
  });

  test('fails only on the Service ports that pair with another Service\'s different port', () => {
    const objects = [
      deployment('web'),
      service('a', [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'http-alt', port: 8080 }]),
      service('b', [{ name: 'http', port: 80, targetPort: 8080 }]),
    ];
    expect(verify(objects).map(f => `${f.code} ${f.object} ${f.path} ${f.message.slice(f.message.indexOf('which'), f.message.indexOf(';'))}`)).toEqual([
      'workload-target-port-conflict Service/shop/a spec.ports[1] which Service/shop/b reaches as port 80 (http)',
      'workload-target-port-conflict Service/shop/b spec.ports[0] which Service/shop/a reaches as port 8080 (http-alt)',
    ]);
  });

  test('fails with both codes when two Services differ in port and protocol, naming every other one', () => {
    const objects = [
      deployment('web'),
      service('a', [{ name: 'tcp', port: 9080 }]),
      service('b', [{ name: 'http', port: 9090, targetPort: 9080 }]),
      service('c', [{ name: 'grpc', port: 9091, targetPort: 9080 }]),
    ];
    const findings = verify(objects).filter(f => f.object === 'Service/shop/a');
    expect(findings.map(f => `${f.code} ${f.message.slice(0, f.message.indexOf(';'))}`)).toEqual([
      'workload-port-protocol-conflict port 9080 (tcp) declares tcp for pod port 9080 of Deployment/shop/web, '
      + 'but Service/shop/b port 9090 (http) declares http, Service/shop/c port 9091 (grpc) declares grpc',
      'workload-target-port-conflict port 9080 (tcp) targets pod port 9080 of Deployment/shop/web, '
      + 'which Service/shop/b reaches as port 9090 (http), Service/shop/c reaches as port 9091 (grpc)',
    ]);
  });

  test.each([
    ['the same port and protocol', [{ name: 'http', port: 80, targetPort: 8080 }], [{ name: 'http-web', port: 80, targetPort: 8080 }]],
    ['different pod ports', [{ name: 'http', port: 9080 }], [{ name: 'tcp', port: 9090 }]],
    ['TCP and UDP', [{ name: 'dns-tcp', port: 53 }], [{ name: 'dns', port: 53, protocol: 'UDP' }]],
    ['TCP and SCTP', [{ name: 'tcp', port: 3868 }], [{ name: 'tcp-diameter', port: 3869, targetPort: 3868, protocol: 'SCTP' }]],
    ['no port number at all', [{ name: 'http' }], [{ name: 'tcp' }]],
  ])('accepts two Services on one workload with %s', (_, a, b) => {
    expect(verify([deployment('web'), service('a', a), service('b', b)])).toEqual([]);
  });

  test('accepts one Service exposing one pod port under two port numbers', () => {
    expect(verify([deployment('web'), service('a', [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'http-alt', port: 8080 }])])).toEqual([]);
  });

  test('accepts Services in other namespaces, and Services without a selector', () => {
    const other = service('b', [{ name: 'tcp', port: 80 }], undefined, { namespace: 'other' });
    const manual = service('c', [{ name: 'tcp', port: 80 }], {});
    const objects = [deployment('web'), deployment('web', { app: 'web' }, {}, { namespace: 'other' }), service('a', [{ name: 'http', port: 80 }]), other, manual];
    expect(verify(objects)).toEqual([]);
  });

  test.each([
    ['a pod label', { metadata: { labels: { app: 'web', 'sidecar.istio.io/inject': 'false' } } }, {}],
    ['a pod annotation', { metadata: { annotations: { 'sidecar.istio.io/inject': 'false' } } }, {}],
    ['a pod label with any value but "true"', { metadata: { labels: { app: 'web', 'sidecar.istio.io/inject': 'no' } } }, {}],
    ['Istio, which generated the proxy', {}, { labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller' } }],
  ])('accepts conflicting Services on pods kept out of the mesh by %s', (_, pod, metadata) => {
    const objects = [deployment('web', { app: 'web' }, pod, metadata), service('a', [{ name: 'http', port: 80 }]), service('b', [{ name: 'tcp', port: 80 }])];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when the pod label injects the sidecar that an annotation refuses: the label decides', () => {
    const pod = { metadata: { labels: { app: 'web', 'sidecar.istio.io/inject': 'true' }, annotations: { 'sidecar.istio.io/inject': 'false' } } };
    const objects = [deployment('web', { app: 'web' }, pod), service('a', [{ name: 'http', port: 80 }]), service('b', [{ name: 'tcp', port: 80 }])];
    expect(verify(objects).map(f => f.code)).toEqual(['workload-port-protocol-conflict', 'workload-port-protocol-conflict']);
  });

  test('accepts conflicting Services in a system namespace, where Istio injects no sidecar', () => {
    const inSystem = { namespace: 'kube-system' };
    const objects = [
      deployment('web', { app: 'web' }, {}, inSystem),
      service('a', [{ name: 'http', port: 80 }], undefined, inSystem),
      service('b', [{ name: 'tcp', port: 80 }], undefined, inSystem),
    ];
    expect(verify(objects)).toEqual([]);
  });
});

describe('Istio\'s samples and the examples stay clean of these findings', () => {
  const CODES_HERE = new Set(['port-protocol-unknown', 'external-name-port-name', 'workload-port-protocol-conflict', 'workload-target-port-conflict',
    'destination-port-ambiguous', 'destination-port-required', 'destination-port-not-found']);
  const load = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map(d => d.toJS());
  const clean = join(__dirname, 'fixtures', 'analyze', 'clean');

  test.each(readdirSync(clean))('%s', sample => {
    const objects = readdirSync(join(clean, sample)).flatMap(file => load(join(clean, sample, file)));
    expect(verifyManifests(objects).filter(f => CODES_HERE.has(f.code))).toEqual([]);
  });
});
