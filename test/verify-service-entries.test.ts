import { CODES, Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings as verify } from './support/findings';

type Obj = Record<string, any>;

/** A ServiceEntry with one port per protocol given, numbered `number`; `''` writes none. */
function serviceEntry(name: string, namespace: string, hosts: string[], protocols: string[], spec: Obj = {}, number = 13835): Obj {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace },
    spec: {
      hosts,
      ports: protocols.map(protocol => ({ name: `port-${number}`, number, ...protocol === '' ? {} : { protocol } })),
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
      ...spec,
    },
  };
}

const FIX = 'a proxy takes one ServiceEntry for a host, the oldest of a namespace, which manifests do not show, so the other protocol is ignored '
  + 'and traffic meant for it is handled as the wrong one; give the port one protocol in every ServiceEntry for the host, '
  + 'or export them to different namespaces';

function conflict(object: string, index: number, message: string): Finding {
  return {
    code: 'service-entry-protocol-conflict', severity: CODES['service-entry-protocol-conflict'], object, path: `spec.ports[${index}].protocol`,
    message: `${message}: ${FIX}`, istioCode: 'IST0177',
  } as Finding;
}

describe('service-entry-protocol-conflict', () => {
  // A TCP port without addresses gets service-entry-addresses-required too, which its own tests cover.
  const conflicts = (objects: unknown[], options?: VerifyOptions) => verify(objects, options).filter(f => f.code === 'service-entry-protocol-conflict');

  test('fails when two ServiceEntries give one host and port different protocols (Istio serviceentry-conflicting-protocol.yaml)', () => {
    const objects = [
      serviceEntry('se-https', 'default', ['example.com'], ['HTTPS']),
      serviceEntry('se-http', 'default', ['example.com'], ['HTTP']),
      serviceEntry('se-no-conflict', 'default', ['other.com'], ['HTTPS'], {}, 443),
    ];
    expect(conflicts(objects)).toEqual([
      conflict('ServiceEntry/default/se-http', 0, 'port 13835 of example.com is HTTP here, but HTTPS in ServiceEntry/default/se-https, and every namespace sees both'),
      conflict('ServiceEntry/default/se-https', 0, 'port 13835 of example.com is HTTPS here, but HTTP in ServiceEntry/default/se-http, and every namespace sees both'),
    ]);
  });

  test('passes when they agree on the protocol, in any case (Istio serviceentry-no-conflict-protocol.yaml)', () => {
    const objects = [
      serviceEntry('se-https-only', 'default', ['example.com'], ['HTTPS']),
      serviceEntry('se-https-only-2', 'default', ['example.com'], ['https']),
    ];
    expect(conflicts(objects)).toEqual([]);
  });

  test.each([
    ['each is exported to its own namespace (Istio serviceentry-conflicting-exportto.yaml)', '.'],
    ['both are exported to "~", which names no namespace', '~'],
  ])('passes when no namespace sees both: %s', (_, exportTo) => {
    const objects = [
      serviceEntry('se-ns1', 'ns1', ['example.com'], ['HTTP'], { exportTo: [exportTo] }),
      serviceEntry('se-ns2', 'ns2', ['example.com'], ['HTTPS'], { exportTo: [exportTo] }),
    ];
    expect(conflicts(objects)).toEqual([]);
  });

  test('passes when the ports or the hosts differ', () => {
    expect(conflicts([serviceEntry('a', 'default', ['example.com'], ['HTTP'], {}, 80), serviceEntry('b', 'default', ['example.com'], ['TCP'], {}, 81)])).toEqual([]);
    expect(conflicts([serviceEntry('a', 'default', ['a.example.com'], ['HTTP']), serviceEntry('b', 'default', ['b.example.com'], ['TCP'])])).toEqual([]);
  });

  test('fails when one is exported everywhere and the other to its own namespace, naming that namespace', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP']),
      serviceEntry('b', 'ns2', ['example.com'], ['TCP'], { exportTo: ['.'] }),
    ];
    expect(conflicts(objects)).toEqual([
      conflict('ServiceEntry/ns1/a', 0, 'port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns2/b, and namespace ns2 sees both'),
      conflict('ServiceEntry/ns2/b', 0, 'port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespace ns2 sees both'),
    ]);
  });

  test('fails when both are exported to namespaces by name, naming those they share', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP'], { exportTo: ['shop', 'ns1', 'web'] }),
      serviceEntry('b', 'ns2', ['example.com'], ['TCP'], { exportTo: ['web', 'shop', '~'] }),
    ];
    expect(conflicts(objects).map(f => f.message)).toEqual([
      `port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns2/b, and namespaces shop, web see both: ${FIX}`,
      `port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespaces shop, web see both: ${FIX}`,
    ]);
  });

  test('reads the exportTo of entries without one from the mesh\'s defaultServiceExportTo', () => {
    const options = { defaultServiceExportTo: ['.'] };
    const apart = [serviceEntry('a', 'ns1', ['example.com'], ['HTTP']), serviceEntry('b', 'ns2', ['example.com'], ['TCP'])];
    expect(conflicts(apart, options)).toEqual([]);
    const together = [serviceEntry('a', 'ns1', ['example.com'], ['HTTP']), serviceEntry('b', 'ns1', ['example.com'], ['TCP'])];
    expect(conflicts(together, options).map(f => f.message)).toEqual([
      `port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns1/b, and namespace ns1 sees both: ${FIX}`,
      `port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespace ns1 sees both: ${FIX}`,
    ]);
  });

  test('fails once per port of an entry, naming every entry and host it conflicts with', () => {
    const objects = [
      serviceEntry('a', 'default', ['a.example.com', 'b.example.com'], ['HTTP']),
      serviceEntry('b', 'default', ['a.example.com'], ['TCP']),
      serviceEntry('c', 'default', ['b.example.com'], ['TLS']),
      serviceEntry('d', 'default', ['a.example.com', 'b.example.com'], ['HTTP']),
    ];
    expect(conflicts(objects)).toEqual([
      conflict('ServiceEntry/default/a', 0, 'port 13835 of a.example.com, b.example.com is HTTP here, but TCP in ServiceEntry/default/b, '
        + 'TLS in ServiceEntry/default/c, and every namespace sees both'),
      conflict('ServiceEntry/default/b', 0, 'port 13835 of a.example.com is TCP here, but HTTP in ServiceEntry/default/a, '
        + 'HTTP in ServiceEntry/default/d, and every namespace sees both'),
      conflict('ServiceEntry/default/c', 0, 'port 13835 of b.example.com is TLS here, but HTTP in ServiceEntry/default/a, '
        + 'HTTP in ServiceEntry/default/d, and every namespace sees both'),
      conflict('ServiceEntry/default/d', 0, 'port 13835 of a.example.com, b.example.com is HTTP here, but TCP in ServiceEntry/default/b, '
        + 'TLS in ServiceEntry/default/c, and every namespace sees both'),
    ]);
  });

  test('names each entry and host once, where an entry conflicts on several hosts of a port, or repeats a host', () => {
    const objects = [
      serviceEntry('a', 'default', ['a.example.com', 'b.example.com', 'a.example.com'], ['HTTP']),
      serviceEntry('b', 'default', ['a.example.com', 'b.example.com'], ['TCP']),
    ];
    expect(conflicts(objects).map(f => f.message)).toEqual([
      `port 13835 of a.example.com, b.example.com is HTTP here, but TCP in ServiceEntry/default/b, and every namespace sees both: ${FIX}`,
      `port 13835 of a.example.com, b.example.com is TCP here, but HTTP in ServiceEntry/default/a, and every namespace sees both: ${FIX}`,
    ]);
  });

  test('says every namespace where one of the entries it conflicts with is seen everywhere, whatever the others', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP']),
      serviceEntry('b', 'ns1', ['example.com'], ['TCP']),
      serviceEntry('c', 'ns2', ['example.com'], ['TLS'], { exportTo: ['.'] }),
    ];
    expect(conflicts(objects)[0].message).toEqual('port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns1/b, TLS in ServiceEntry/ns2/c, '
      + `and every namespace sees both: ${FIX}`);
  });

  test('fails when a port without protocol meets one with, naming the missing one', () => {
    const objects = [serviceEntry('a', 'default', ['example.com'], ['']), serviceEntry('b', 'default', ['example.com'], ['TCP'])];
    expect(conflicts(objects).map(f => f.message)).toEqual([
      `port 13835 of example.com has no protocol here, but TCP in ServiceEntry/default/b, and every namespace sees both: ${FIX}`,
      `port 13835 of example.com is TCP here, but no protocol in ServiceEntry/default/a, and every namespace sees both: ${FIX}`,
    ]);
  });

  test('fails on the port that conflicts, not on the entry\'s other ports', () => {
    const a = serviceEntry('a', 'default', ['example.com'], ['HTTP']);
    a.spec.ports.unshift({ name: 'tcp-db', number: 5432, protocol: 'TCP' });
    const objects = [a, serviceEntry('b', 'default', ['example.com'], ['TCP'])];
    expect(conflicts(objects).filter(f => f.object === 'ServiceEntry/default/a').map(f => f.path)).toEqual(['spec.ports[1].protocol']);
  });

  test('passes when one entry alone declares the host twice', () => {
    const objects = [serviceEntry('a', 'default', ['example.com'], ['HTTP', 'TCP'])];
    expect(conflicts(objects)).toEqual([]);
  });
});

describe('service-entry-addresses-required', () => {
  const required = (objects: unknown[], options?: VerifyOptions) => verify(objects, options).filter(f => f.code === 'service-entry-addresses-required');
  const port = (number: number, protocol?: string) => ({ number, name: `port-${number}`, ...protocol === undefined ? {} : { protocol } });
  const entry = (name: string, ports: unknown[], spec: Obj = {}, extra: Obj = {}): Obj => ({
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: 'default' },
    spec: { hosts: ['istio.io'], exportTo: ['.'], ports, location: 'MESH_EXTERNAL', resolution: 'DNS', ...spec }, ...extra,
  });
  const missing = (object: string, index: number, number: number, protocol: string) => ({
    code: 'service-entry-addresses-required', severity: CODES['service-entry-addresses-required'], object, path: `spec.ports[${index}]`,
    message: `port ${number} ${protocol}, so sidecars match it by its number alone, and the entry has no addresses: `
      + `they listen for it on 0.0.0.0:${number} and send it every connection on port ${number}, whatever its destination, so no other service can use that port; `
      + 'list the hosts\' addresses or a virtual IP under spec.addresses, declare a protocol matched by host (HTTP, HTTPS, TLS), '
      + 'or let sidecars capture DNS with addresses istiod allocates (ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE "true" in the mesh\'s defaultConfig.proxyMetadata)',
    istioCode: 'IST0134',
  });
  // Istio's serviceentry-missing-addresses-protocol.yaml
  const istioSample = [
    entry('service-entry-test-01', [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
    entry('service-entry-test-02', [{ number: 443, name: 'https', protocol: 'HTTPS' }], { addresses: ['10.0.0.1'] }),
    entry('service-entry-test-03', [{ number: 443, name: 'https' }]),
    entry('service-entry-test-04', [{ number: 443, name: 'https', protocol: '' }]),
    entry('service-entry-test-05', [{ number: 443, name: 'https', protocol: 'HTTPS' }]),
    entry('service-entry-test-06', [{ number: 443, name: 'https', protocol: 'TCP' }], { addresses: ['10.0.0.1'] }),
    entry('service-entry-test-07', [{ number: 443, name: 'https', protocol: 'TCP' }]),
  ];

  test('fails when a port without protocol, or a TCP one, has no address (Istio serviceentry-missing-addresses-protocol.yaml)', () => {
    expect(required(istioSample)).toEqual([
      missing('ServiceEntry/default/service-entry-test-03', 0, 443, 'has no protocol'),
      missing('ServiceEntry/default/service-entry-test-04', 0, 443, 'has no protocol'),
      missing('ServiceEntry/default/service-entry-test-07', 0, 443, 'is TCP'),
    ]);
  });

  test('passes when sidecars capture DNS and istiod allocates addresses, of either version (Istio serviceentry-missing-addresses-protocol-mesh-cfg.yaml)', () => {
    const capture = { ISTIO_META_DNS_CAPTURE: 'true' };
    expect(required(istioSample, { defaultConfig: { proxyMetadata: { ...capture, ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } } })).toEqual([]);
    expect(required(istioSample, { defaultConfig: { proxyMetadata: { ...capture, PILOT_ENABLE_IP_AUTOALLOCATE: 'true' } } })).toEqual([]);
  });

  test.each([
    ['captures DNS but allocates nothing', { ISTIO_META_DNS_CAPTURE: 'true' }],
    ['allocates but does not capture DNS', { ISTIO_META_DNS_AUTO_ALLOCATE: 'true', PILOT_ENABLE_IP_AUTOALLOCATE: 'true' }],
    ['writes "True", which istioctl analyze does not take for "true"', { ISTIO_META_DNS_CAPTURE: 'True', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' }],
    ['turns allocation off', { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'false' }],
  ])('fails when the mesh %s', (_, proxyMetadata) => {
    expect(required([entry('db', [port(5432, 'TCP')])], { defaultConfig: { proxyMetadata } })).toEqual([missing('ServiceEntry/default/db', 0, 5432, 'is TCP')]);
    expect(required([entry('db', [port(5432, 'TCP')])], { defaultConfig: {} })).toEqual([missing('ServiceEntry/default/db', 0, 5432, 'is TCP')]);
  });

  test('fails for each port that sidecars match by number, in any case, and for the protocols they proxy as TCP', () => {
    const ports = [port(1, 'tcp'), port(2, 'MONGO'), port(3, 'MySQL'), port(4, 'redis'), port(5, 'HTTP'), port(6, 'HTTPS'), port(7, 'TLS'), port(8, 'GRPC'), port(9, 'UDP'), port(10, 'HTTP2')];
    expect(required([entry('mixed', ports)])).toEqual([
      missing('ServiceEntry/default/mixed', 0, 1, 'is TCP'),
      missing('ServiceEntry/default/mixed', 1, 2, 'is MONGO'),
      missing('ServiceEntry/default/mixed', 2, 3, 'is MYSQL'),
      missing('ServiceEntry/default/mixed', 3, 4, 'is REDIS'),
    ]);
  });

  test('passes when the entry has addresses, or istiod has allocated some (a dump of the cluster)', () => {
    expect(required([entry('db', [port(5432, 'TCP')], { addresses: ['10.0.0.0/16'] })])).toEqual([]);
    expect(required([entry('db', [port(5432, 'TCP')], {}, { status: { addresses: [{ value: '240.240.0.1', host: 'istio.io' }] } })])).toEqual([]);
  });

  test('fails when the addresses are an empty list, in the spec or the status', () => {
    expect(required([entry('db', [port(5432, 'TCP')], { addresses: [] }, { status: { addresses: [] } })])).toEqual([missing('ServiceEntry/default/db', 0, 5432, 'is TCP')]);
  });
});

describe('subset-selects-nothing for a ServiceEntry\'s endpoints', () => {
  const HOST = 'db.internal.example';
  const endpoints = (...labelSets: (Obj | undefined)[]) => ({ endpoints: labelSets.map((labels, i) => ({ address: `10.0.0.${i + 1}`, ...labels ? { labels } : {} })) });
  const entry = (name: string, spec: Obj) => serviceEntry(name, 'shop', [HOST], ['TCP'], { addresses: ['240.0.0.1'], resolution: 'STATIC', ...spec });
  const rule = (...subsets: Obj[]) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' }, spec: { host: HOST, subsets },
  });
  const v1 = { name: 'v1', labels: { version: 'v1' } };
  const v2 = { name: 'v2', labels: { version: 'v2' } };
  const nothing = (objects: unknown[]) => verify(objects).filter(f => f.code.endsWith('subset-selects-nothing'));
  const routeTo = (subset: string) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'db', namespace: 'shop' },
    spec: { hosts: [HOST], tcp: [{ route: [{ destination: { host: HOST, subset } }] }] },
  });

  test('passes subsets that an endpoint carries, of one ServiceEntry or another declaring the host, and a subset without labels', () => {
    expect(nothing([entry('db', endpoints({ version: 'v1', zone: 'a' }, { version: 'v2' })), rule(v1, v2, { name: 'all' })])).toEqual([]);
    expect(nothing([entry('db', endpoints({ version: 'v1' })), entry('db2', endpoints({ version: 'v2' })), rule(v1, v2)])).toEqual([]);
    // A label of where an endpoint runs is left to istiod, which adds it.
    expect(nothing([entry('db', endpoints({ version: 'v1' })), rule({ name: 'a', labels: { version: 'v1', 'topology.kubernetes.io/zone': 'a' } })])).toEqual([]);
  });

  test('fails when no endpoint carries a subset\'s labels, in full, as an error where a route uses the subset', () => {
    expect(nothing([entry('db', endpoints({ version: 'v1' }, undefined)), rule(v1, v2), routeTo('v2')])).toEqual([{
      code: 'subset-selects-nothing', severity: 'error', object: 'DestinationRule/shop/db', path: 'spec.subsets[1].labels', istioCode: 'IST0173',
      message: 'subset v2 (version=v2) matches none of the endpoints of ServiceEntry/shop/db, so traffic to it fails with 503; '
        + 'use labels that an endpoint carries, or give the endpoints that label',
    }]);
    expect(nothing([entry('db', endpoints({ version: 'v1' }, undefined)), rule(v1, v2), routeTo('v1')])).toEqual([{
      code: 'unrouted-subset-selects-nothing', severity: 'warning', object: 'DestinationRule/shop/db', path: 'spec.subsets[1].labels', istioCode: 'IST0173',
      message: 'subset v2 (version=v2) matches none of the endpoints of ServiceEntry/shop/db; no route of the set uses it yet, and one that does will fail with 503; '
        + 'give an endpoint these labels before a route uses the subset, or remove the subset',
    }]);
    expect(nothing([entry('db', endpoints({ version: 'v1' })), entry('db2', { ...endpoints({ version: 'v1' }), hosts: [HOST, HOST] }), rule({ labels: { version: 'v2' } })])
      .map(f => f.message)).toEqual([expect.stringContaining('subset #0 (version=v2) matches none of the endpoints of ServiceEntry/shop/db, ServiceEntry/shop/db2;')]);
    expect(nothing([entry('db', { endpoints: ['x'] }), rule(v1)]).length).toBe(1);
  });

  test('counts the endpoints of a ServiceEntry declaring a Service\'s own host beside its pods, which istiod merges', () => {
    const labels = (version: string) => ({ app: 'web', version });
    const web = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-v1', namespace: 'shop' },
        spec: { selector: { matchLabels: labels('v1') }, template: { metadata: { labels: labels('v1') }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } } },
    ];
    const vm = (spec: Obj) => serviceEntry('vm', 'shop', ['web.shop.svc.cluster.local'], ['HTTP'], { resolution: 'STATIC', ...spec });
    const webRule = (...subsets: Obj[]) => ({ ...rule(...subsets), spec: { host: 'web', subsets } });
    const vmSubset = { name: 'vm', labels: { version: 'vm' } };
    expect(nothing([...web, vm(endpoints({ version: 'vm' })), webRule(v1, vmSubset)])).toEqual([]);
    expect(nothing([...web, vm({ workloadSelector: { labels: { app: 'web' } } }), webRule(vmSubset)])).toEqual([]);
    expect(nothing([...web, vm(endpoints({ version: 'other' })), webRule(vmSubset)]).map(f => f.message))
      .toEqual([expect.stringContaining('subset vm (version=vm) matches none of the pods behind Service/shop/web')]);
    expect(nothing([...web, webRule(vmSubset)]).length).toBe(1);
    expect(nothing([...web, serviceEntry('other', 'shop', ['other.example'], ['TCP'], { workloadSelector: { labels: { app: 'web' } } }), webRule(vmSubset)]).length).toBe(1);
  });

  test('leaves the subsets alone where an entry declaring the host has a workloadSelector or lists no endpoints', () => {
    expect(nothing([entry('db', endpoints({ version: 'v1' })), entry('db2', { workloadSelector: { labels: { app: 'db' } } }), rule(v2)])).toEqual([]);
    expect(nothing([entry('db', endpoints({ version: 'v1' })), entry('db2', { resolution: 'DNS' }), rule(v2)])).toEqual([]);
    // Entries for other hosts play no part.
    const other = serviceEntry('other', 'shop', ['other.example'], ['TCP'], { workloadSelector: { labels: { app: 'other' } } });
    expect(nothing([entry('db', endpoints({ version: 'v1' })), other, rule(v2)]).length).toBe(1);
  });
});
