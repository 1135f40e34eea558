import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BlueGreenApp, CanaryApp, GatewayServer, GatewayTlsMode, GatewayTlsOptions, IIstioGateway, IstioApiVersion, IstioGateway, IstioGatewayProps,
  Protocol, RouteCheck, ServerModel, TrafficApi,
} from '../src';
import { find, kinds, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

describe('IstioGateway', () => {
  const objects = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com', '*.shop.example.com'] }));

  test('emits an HTTP Gateway on port 80 for its hosts, selecting the default ingress gateway', () => {
    expect(objects).toHaveLength(1);
    const gateway = find(objects, 'Gateway', 'gateway');
    expect(gateway.apiVersion).toBe('networking.istio.io/v1');
    expect(gateway.metadata.namespace).toBe('shop');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', '*.shop.example.com'] }],
    });
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('takes a selector with a prefixed label key', () => {
    const objects = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['*'], selector: { 'istio.io/rev': 'canary' } }));
    expect(objects[0].spec.selector).toEqual({ 'istio.io/rev': 'canary' });
    expectValidManifests(objects);
  });

  test('takes a name, namespace, selector, port and API version', () => {
    const objs = synth(chart => new IstioGateway(chart, 'Gateway', {
      name: 'public-gateway', namespace: 'istio-system', hosts: ['*'], selector: { app: 'edge' }, port: 8080,
      istioApiVersion: IstioApiVersion.V1BETA1,
    }));
    const gateway = find(objs, 'Gateway', 'public-gateway');
    expect(gateway.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(gateway.metadata.namespace).toBe('istio-system');
    expect(gateway.spec.selector).toEqual({ app: 'edge' });
    expect(gateway.spec.servers[0].port.number).toBe(8080);
    expectValidManifests(objs);
  });

  test('serves HTTPS with a credential, and redirects HTTP to it', () => {
    const objs = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'], tls: { credentialName: 'shop-cert' } }));
    expect(find(objs, 'Gateway', 'gateway').spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
    ]);
    expectValidManifests(objs);
  });

  test('serves several servers and hosts, with mutual TLS and without the redirect', () => {
    const gateway = new IstioGateway(newChart(), 'Gateway', {
      hosts: ['shop.example.com'],
      tls: { credentialName: 'shop-cert', redirectHttp: false },
      additionalServers: [
        { hosts: ['partner.example.com'], tls: { credentialName: 'partner-cert', mode: GatewayTlsMode.MUTUAL, port: 8443 } },
        { hosts: ['status.example.com'], port: 8080 },
      ],
    });
    const servers = find(Chart.of(gateway).toJson(), 'Gateway', 'gateway').spec.servers;
    expect(servers.map((s: any) => [s.port.name, s.port.number, s.port.protocol, s.hosts[0], s.tls])).toEqual([
      ['http', 80, 'HTTP', 'shop.example.com', undefined],
      ['https', 443, 'HTTPS', 'shop.example.com', { mode: 'SIMPLE', credentialName: 'shop-cert' }],
      ['http-1', 80, 'HTTP', 'partner.example.com', { httpsRedirect: true }],
      ['https-1', 8443, 'HTTPS', 'partner.example.com', { mode: 'MUTUAL', credentialName: 'partner-cert' }],
      ['http-2', 8080, 'HTTP', 'status.example.com', undefined],
    ]);
    expect(gateway.hosts).toEqual(['shop.example.com', 'partner.example.com', 'status.example.com']);
    expectValidManifests(Chart.of(gateway).toJson());
  });

  test('fails when a TLS server has no credential', () => {
    expect(() => new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'], tls: {} as GatewayTlsOptions }))
      .toThrow('test/Gateway: tls.credentialName must name the Secret with the certificate and key, or the gateway cannot serve TLS, got nothing; '
        + 'create a kubernetes.io/tls Secret in the gateway pods\' namespace and name it here');
    expect(() => new IstioGateway(newChart(), 'Gateway', {
      hosts: ['shop.example.com'], additionalServers: [{ hosts: ['a.example.com'], tls: { credentialName: '' } }],
    })).toThrow('test/Gateway: additionalServers[0].tls.credentialName must name the Secret');
  });

  test('fails when two servers serve a host on the same port, and accepts it on another port', () => {
    expect(() => new IstioGateway(newChart(), 'Gateway', {
      hosts: ['shop.example.com', 'a.example.com'], tls: { credentialName: 'c' }, additionalServers: [{ hosts: ['b.example.com'] }, { hosts: ['a.example.com'], port: 443 }],
    })).toThrow('test/Gateway: additionalServers[1].hosts serves a host on port 443 that server https serves there too, got ["a.example.com"]; '
      + 'give each host one server per port, or move this server to another port');
    const objects = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'], additionalServers: [{ hosts: ['shop.example.com'], port: 8080 }] }));
    expect(objects[0].spec.servers.map((s: { port: { number: number } }) => s.port.number)).toEqual([80, 8080]);
    expectValidManifests(objects);
  });

  test('fails when the TLS port is the HTTP port', () => {
    expect(() => new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'], tls: { credentialName: 'c', port: 80 } }))
      .toThrow('test/Gateway: tls.port must differ from the HTTP port 80, got 80');
  });

  describe('an app whose every port is TCP', () => {
    const canary = (gateway: IIstioGateway, props: object = {}) => ({
      gateway, hosts: ['db.example.com'], protocol: Protocol.TCP, stable: { image: 'db:1', version: '1' }, canary: { image: 'db:2', version: '2' }, ...props,
    });

    test.each([TrafficApi.ISTIO, TrafficApi.GATEWAY_API])('fails when it is bound to an IstioGateway, which serves HTTP and HTTPS alone (%s)', trafficApi => {
      const chart = newChart();
      const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['*.example.com'], trafficApi });
      expect(() => new CanaryApp(chart, 'Db', canary(gateway, { trafficApi }))).toThrow(new Error('test/Db: gateway serves HTTP and HTTPS alone, and every port of the app is '
        + 'Protocol.TCP, whose routes a gateway builds only at a TCP server or a TLS server that terminates TLS, got "shop/gateway"; bind the app to a gateway '
        + 'with such a server, imported with IstioGateway.fromName(), or leave gateway out'));
    });

    test('binds to an imported gateway, whose servers are unknown, and beside an HTTP port to an IstioGateway', () => {
      const tcpRules = (objs: any[]) => find(objs, 'VirtualService', 'db').spec.tcp.length;
      expect(tcpRules(synth(chart => new CanaryApp(chart, 'Db', canary(IstioGateway.fromGatewayName(chart, 'Edge', 'istio-system/tcp-gateway')))))).toBe(1);
      const objs = synth(chart => new CanaryApp(chart, 'Db', canary(new IstioGateway(chart, 'Gateway', { hosts: ['*.example.com'] }),
        { additionalPorts: [{ port: 8080, protocol: Protocol.HTTP }] })));
      expect([tcpRules(objs), find(objs, 'VirtualService', 'db').spec.http.length]).toEqual([1, 1]);
    });
  });

  test('always sets a namespace, so that the namespace/name reference holds from any namespace', () => {
    const chart = newChart({});
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] });
    expect(gateway.gatewayRef).toBe('default/gateway');
    expect(chart.toJson()[0].metadata.namespace).toBe('default');
  });

  test('apps in other namespaces refer to it as namespace/name', () => {
    const objs = synth(chart => {
      const gateway = new IstioGateway(chart, 'Gateway', { namespace: 'default', hosts: ['shop.example.com'] });
      new BlueGreenApp(chart, 'Web', { gateway, blue: { image: 'a', version: '1' }, green: { image: 'b', version: '2' } });
    });
    expect(find(objs, 'VirtualService', 'web').metadata.namespace).toBe('shop');
    expect(find(objs, 'VirtualService', 'web').spec.gateways).toEqual(['default/gateway', 'mesh']);
  });

  test('exposes the Gateway as its default child, for ApiObject.of', () => {
    const gateway = new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'] });
    expect(gateway.node.defaultChild).toBe(gateway.resource);
    expect(ApiObject.of(gateway)).toBe(gateway.resource);
    expect(ApiObject.of(gateway).kind).toBe('Gateway');
    ApiObject.of(gateway).metadata.addAnnotation('argocd.argoproj.io/sync-wave', '2');
    expect(Chart.of(gateway).toJson()[0].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2' });
  });

  test('exposes the Gateway API Gateway as its default child, not the redirect route', () => {
    const gateway = new IstioGateway(newChart(), 'Gateway', {
      hosts: ['shop.example.com'], tls: { credentialName: 'shop-cert' }, trafficApi: TrafficApi.GATEWAY_API,
    });
    expect(gateway.redirectRoute).toBeDefined();
    expect(ApiObject.of(gateway)).toBe(gateway.resource);
    expect([ApiObject.of(gateway).apiVersion, ApiObject.of(gateway).kind]).toEqual(['gateway.networking.k8s.io/v1', 'Gateway']);
  });

  test('lists its servers as GatewayServer, with their TLS', () => {
    const gateway = new IstioGateway(newChart(), 'Gateway', {
      hosts: ['shop.example.com'], tls: { credentialName: 'shop-cert', mode: GatewayTlsMode.MUTUAL },
    });
    const servers: GatewayServer[] = gateway.servers;
    expect(servers).toEqual([
      { name: 'http', port: 80, hosts: ['shop.example.com'], httpsRedirect: true },
      { name: 'https', port: 443, hosts: ['shop.example.com'], tls: { mode: GatewayTlsMode.MUTUAL, credentialName: 'shop-cert' } },
    ]);
    // Each server has hosts of its own: changing one list leaves the other and the Gateway's hosts alone.
    servers[0].hosts.push('other.example.com');
    expect([servers[1].hosts, gateway.hosts]).toEqual([['shop.example.com'], ['shop.example.com']]);
    // The old name still types them for TypeScript users.
    const named: ServerModel = servers[1];
    expect(named.tls?.credentialName).toBe('shop-cert');
  });

  test('fromName makes a construct reference that emits nothing and is in none of your charts', () => {
    const chart = newChart();
    const gateway: IIstioGateway = IstioGateway.fromName('istio-system/public-gateway');
    expect([gateway.gatewayRef, gateway.hosts]).toEqual(['istio-system/public-gateway', []]);
    expect(Construct.isConstruct(gateway)).toBe(true);
    expect(gateway.node.path).toBe('IstioGateway.fromName/istio-system--public-gateway');
    expect(Chart.of(gateway)).not.toBe(chart);
    expect(gateway.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
    expect(() => ApiObject.of(gateway)).toThrow('cannot find a (direct or indirect) child of type ApiObject');
    expect(kinds(chart.toJson())).toEqual([]);
    expect(chart.node.children).toEqual([]);
  });

  test('fromName gives each call a reference of its own', () => {
    const [a, b] = [IstioGateway.fromName('istio-system/public-gateway'), IstioGateway.fromName('istio-system/public-gateway')];
    expect(a).not.toBe(b);
    expect(a.node.root).not.toBe(b.node.root);
  });

  const REF_RULE = 'gatewayRef must be "namespace/name", two DNS-1123 labels (lower-case letters, digits and "-", at most 63)';
  const REF_FIX = 'a bare name would resolve in each VirtualService\'s own namespace, so name the namespace, e.g. "istio-system/public-gateway"';

  test.each<[string, unknown, string]>([
    ['a bare name', 'public-gateway', '"public-gateway"'],
    ['no name', 'istio-system/', '"istio-system/"'],
    ['no namespace', '/public-gateway', '"/public-gateway"'],
    ['three parts', 'a/b/c', '"a/b/c"'],
    ['an upper-case namespace', 'Istio-System/public-gateway', '"Istio-System/public-gateway"'],
    ['an upper-case name', 'istio-system/Public', '"istio-system/Public"'],
    ['a name with a dot, which Istio refuses in a VirtualService', 'shop/edge.v1', '"shop/edge.v1"'],
    ['a name longer than 63', `shop/${'g'.repeat(64)}`, `"shop/${'g'.repeat(64)}"`],
    ['nothing', undefined, 'nothing'],
    ['a number', 42, '42'],
    ['a BigInt', 42n, '42n'],
    ['a Symbol', Symbol('gw'), 'Symbol(gw)'],
    ['an object', { namespace: 'istio-system', name: 'public' }, '{"namespace":"istio-system","name":"public"}'],
  ])('fails when fromName is given %s', (_, gatewayRef, shown) => {
    expect(() => IstioGateway.fromName(gatewayRef as string)).toThrow(`IstioGateway.fromName: ${REF_RULE}, got ${shown}; ${REF_FIX}`);
    expect(() => IstioGateway.fromGatewayName(newChart(), 'PublicGateway', gatewayRef as string))
      .toThrow(`IstioGateway.fromGatewayName: ${REF_RULE}, got ${shown}; ${REF_FIX}`);
  });

  test('takes a reference of two 63-character labels', () => {
    const ref = `${'n'.repeat(63)}/${'g'.repeat(63)}`;
    expect([IstioGateway.fromName(ref).gatewayRef, IstioGateway.fromGatewayName(newChart(), 'Gateway', ref).gatewayRef]).toEqual([ref, ref]);
  });

  test('fails when fromGatewayName is given no construct as scope, or no id, and leaves no construct behind', () => {
    expect(() => IstioGateway.fromGatewayName({ node: {} } as unknown as Construct, 'PublicGateway', 'istio-system/public-gateway')).toThrow(
      'IstioGateway.fromGatewayName: scope must be a construct: a Chart or a construct inside one, got {"node":{}}; pass the chart of the apps that use the gateway');
    const chart = newChart();
    for (const [id, shown] of [['', '""'], [7, '7'], [undefined, 'nothing']]) {
      expect(() => IstioGateway.fromGatewayName(chart, id as string, 'istio-system/public-gateway'))
        .toThrow(`IstioGateway.fromGatewayName: id must be a non-empty string, got ${shown}; e.g. "PublicGateway"`);
    }
    expect(() => IstioGateway.fromGatewayName(chart, 'PublicGateway', 'public')).toThrow(new Error(`IstioGateway.fromGatewayName: ${REF_RULE}, got "public"; ${REF_FIX}`));
    expect(chart.node.children).toEqual([]);
  });

  test('fromGatewayName imports a gateway into the tree, emitting nothing', () => {
    const chart = newChart();
    const gateway = IstioGateway.fromGatewayName(chart, 'PublicGateway', 'istio-system/public-gateway');
    expect([gateway.gatewayRef, gateway.hosts]).toEqual(['istio-system/public-gateway', []]);
    expect(Construct.isConstruct(gateway)).toBe(true);
    expect(gateway.node.path).toBe('test/PublicGateway');
    expect(chart.node.findChild('PublicGateway')).toBe(gateway);
    expect(Chart.of(gateway)).toBe(chart);
    expect(() => ApiObject.of(gateway)).toThrow('cannot find a (direct or indirect) child of type ApiObject for construct test/PublicGateway');
    expect(kinds(Testing.synth(chart))).toEqual([]);
  });

  test('an app in the same chart binds to a fromGatewayName gateway, which the route check knows is outside the chart', () => {
    const chart = newChart();
    const gateway = IstioGateway.fromGatewayName(chart, 'PublicGateway', 'istio-system/public-gateway');
    new CanaryApp(chart, 'Reviews', { stable: { image: 'reviews:v1', version: 'v1' }, gateway, hosts: ['reviews.example.com'] });
    const objects = Testing.synth(chart);
    expect(find(objects, 'VirtualService', 'reviews').spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expect(RouteCheck.of(chart).findings().map(f => f.code)).not.toContain('gateway-not-found');
  });

  test('an app in another chart binds to a fromGatewayName gateway', () => {
    const app = Testing.app();
    const gateway = IstioGateway.fromGatewayName(new Chart(app, 'edge'), 'PublicGateway', 'istio-system/public-gateway');
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryApp(chart, 'Reviews', { stable: { image: 'reviews:v1', version: 'v1' }, gateway, hosts: ['reviews.example.com'] });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(RouteCheck.of(chart).findings().map(f => f.code)).not.toContain('gateway-not-found');
  });

  test('fails when fromGatewayName is given a scope outside any chart', () => {
    expect(() => IstioGateway.fromGatewayName(new App(), 'PublicGateway', 'istio-system/public-gateway'))
      .toThrow('PublicGateway: scope must be a Chart or inside one, whose route check then knows that the Gateway lives outside it, '
        + 'got "App"; import the gateway into a chart, e.g. the chart of the apps that use it');
  });

  const build = (props: Partial<IstioGatewayProps>) => () => new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'], ...props } as IstioGatewayProps);
  const HOSTS_RULE = 'must hold DNS-1123 hosts in lower case, optionally starting with "*."';
  const HOSTS_FIX = 'e.g. "shop.example.com" or "*.example.com"';
  const NAME_RULE = 'name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), as Istio wants a Gateway\'s name';
  const SELECTOR_FIX = 'e.g. { istio: "ingressgateway" }';
  const TLS_PORTS = (field: string, mine: string, port: number, other: string, theirs: string, hosts: string) =>
    `${field} serves ${mine} on port ${port}, where server ${other} serves ${theirs}, got ${hosts}; give HTTP and HTTPS ports of their own`;

  test.each<[string, { [key: string]: unknown }, string]>([
    ['there are no hosts', { hosts: [] }, 'hosts must name at least one host, got []; e.g. ["shop.example.com"]'],
    ['hosts are a string', { hosts: 'shop.example.com' }, 'hosts must name at least one host, got "shop.example.com"; e.g. ["shop.example.com"]'],
    ['a host has upper case', { hosts: ['Shop.example.com'] }, `hosts ${HOSTS_RULE}, got "Shop.example.com"; ${HOSTS_FIX}`],
    ['a host has an empty label', { hosts: ['shop..example.com'] }, `hosts ${HOSTS_RULE}, got "shop..example.com"; ${HOSTS_FIX}`],
    ['a host has a label longer than 63, which Istio refuses', { hosts: [`${'a'.repeat(64)}.example.com`] }, `hosts ${HOSTS_RULE}, got "${'a'.repeat(64)}.example.com"; ${HOSTS_FIX}`],
    ['a wildcard is not a leading label', { hosts: ['shop.*.com'] }, `hosts ${HOSTS_RULE}, got "shop.*.com"; ${HOSTS_FIX}`],
    ['a host is null', { hosts: [null] }, `hosts ${HOSTS_RULE}, got null; ${HOSTS_FIX}`],
    ['a host has no dot, which an Istio Gateway refuses', { hosts: ['shop'] },
      'hosts must hold hosts with a dot: an Istio Gateway refuses short names, got "shop"; name the host in full, e.g. "shop.example.com"'],
    ['a host of another server has no dot', { additionalServers: [{ hosts: ['api.example.com', 'api'] }] },
      'additionalServers[0].hosts must hold hosts with a dot: an Istio Gateway refuses short names, got "api"; name the host in full, e.g. "api.example.com"'],
    ['a host is an IP address, whose last label is digits', { hosts: ['10.0.0.1'] },
      'hosts must hold hosts whose last label has a letter or "-": Istio refuses a top-level domain of digits, got "10.0.0.1"; name the host by its domain name, not an IP address'],
    ['the name has a dot, which a VirtualService cannot refer to', { name: 'edge.v1' }, `${NAME_RULE}, got "edge.v1"; pass a name such as "public-gateway"`],
    ['the name is not a DNS-1123 label', { name: 'Public_Gateway' }, `${NAME_RULE}, got "Public_Gateway"; pass a name such as "public-gateway"`],
    ['the name is longer than 63', { name: 'g'.repeat(64) }, `${NAME_RULE}, got "${'g'.repeat(64)}"; pass a name such as "public-gateway"`],
    ['the name is a list', { name: ['x'] }, `${NAME_RULE}, got ["x"]; pass a name such as "public-gateway"`],
    ['the name is null', { name: null }, `${NAME_RULE}, got null; pass a name such as "public-gateway"`],
    ['the namespace is not a DNS-1123 label', { namespace: 'istio.system' },
      'namespace must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "istio.system"; e.g. "shop"'],
    ['the port is out of range', { port: 70000 }, 'port must be an integer port from 1 to 65535, got 70000; use a port such as 80 or 8080'],
    ['the port is a string', { port: '80' }, 'port must be an integer port from 1 to 65535, got "80"; use a port such as 80 or 8080'],
    ['the selector is empty', { selector: {} }, `selector must select the gateway pods by label keys and values, got {}; ${SELECTOR_FIX}`],
    ['the selector is a string', { selector: 'abc' }, `selector must be a map of names to strings, got "abc"; ${SELECTOR_FIX}`],
    ['the selector is null', { selector: null }, `selector must be a map of names to strings, got null; ${SELECTOR_FIX}`],
    ['a selector key is not a label key', { selector: { 'bad key!': 'x' } }, `selector must have keys that are label keys, got "bad key!"; ${SELECTOR_FIX}`],
    ['a selector key has a prefix that is not a DNS-1123 subdomain', { selector: { 'Istio.IO/rev': 'x' } },
      `selector must have keys that are label keys, got "Istio.IO/rev"; ${SELECTOR_FIX}`],
    ['a selector value is a number', { selector: { app: 1 } }, 'selector.app must be a string, got 1; quote numbers and booleans, e.g. "true"'],
    ['a selector value is not a label value', { selector: { app: 'edge gateway' } },
      `selector.app must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63), got "edge gateway"; ${SELECTOR_FIX}`],
    ['other servers are not a list', { additionalServers: 'api.example.com' }, 'additionalServers must be a list, got "api.example.com"; e.g. [{ hosts: ["api.example.com"] }]'],
    ['another server is null', { additionalServers: [null] }, 'additionalServers[0] must be an object, got null; e.g. { hosts: ["api.example.com"] }'],
    ['another server\'s port is 0', { additionalServers: [{ hosts: ['api.example.com'], port: 0 }] },
      'additionalServers[0].port must be an integer port from 1 to 65535, got 0; use a port such as 80 or 8080'],
    ['tls is true', { tls: true }, 'tls must be an object, got true; e.g. { credentialName: "shop-tls" }'],
    ['tls is null', { tls: null }, 'tls must be an object, got null; e.g. { credentialName: "shop-tls" }'],
    ['another server\'s tls is a string', { additionalServers: [{ hosts: ['api.example.com'], tls: 'api-cert' }] },
      'additionalServers[0].tls must be an object, got "api-cert"; e.g. { credentialName: "shop-tls" }'],
    ['a credential is no Secret name', { tls: { credentialName: 'Shop_Cert' } }, 'tls.credentialName must name the Secret with the certificate and key, '
      + 'or the gateway cannot serve TLS, got "Shop_Cert"; create a kubernetes.io/tls Secret in the gateway pods\' namespace and name it here'],
    ['the TLS mode is not a gateway\'s', { tls: { credentialName: 'c', mode: 'ISTIO_MUTUAL' } }, 'tls.mode must be one of ["SIMPLE","MUTUAL"], got "ISTIO_MUTUAL"; use e.g. "SIMPLE"'],
    ['the TLS port is out of range', { tls: { credentialName: 'c', port: 65536 } }, 'tls.port must be an integer port from 1 to 65535, got 65536; use a port such as 80 or 8080'],
    ['redirectHttp is a string', { tls: { credentialName: 'c', redirectHttp: 'yes' } }, 'tls.redirectHttp must be true or false, got "yes"; e.g. true'],
    ['another server serves HTTP on the HTTPS port', { tls: { credentialName: 'c', port: 8443 }, additionalServers: [{ hosts: ['api.example.com'], port: 8443 }] },
      TLS_PORTS('additionalServers[0].hosts', 'HTTP', 8443, 'https', 'HTTPS', '["api.example.com"]')],
    ['another server serves HTTPS on the HTTP port', { additionalServers: [{ hosts: ['api.example.com'], port: 8080, tls: { credentialName: 'c', port: 80 } }] },
      TLS_PORTS('additionalServers[0].hosts', 'HTTPS', 80, 'http', 'HTTP', '["api.example.com"]')],
    ['the traffic API is unknown', { trafficApi: 'mesh' }, 'trafficApi must be one of ["istio","gateway-api"], got "mesh"; use e.g. "istio"'],
    ['the Istio API version is unknown', { istioApiVersion: 'v2' }, 'istioApiVersion must be one of ["v1","v1beta1"], got "v2"; use e.g. "v1"'],
    ['a Gateway API gateway\'s class is a number', { trafficApi: TrafficApi.GATEWAY_API, gatewayClassName: 7 }, 'gatewayClassName must name a GatewayClass, got 7; e.g. "istio"'],
    ['a Gateway API gateway\'s class is null', { trafficApi: TrafficApi.GATEWAY_API, gatewayClassName: null }, 'gatewayClassName must name a GatewayClass, got null; e.g. "istio"'],
    ['a Gateway API gateway has a selector', { trafficApi: TrafficApi.GATEWAY_API, selector: {} }, 'selector picks the pods of an Istio Gateway; a Gateway API Gateway gets '
      + 'its own from its class, got {}; leave selector out (gatewayClassName picks the implementation), or use TrafficApi.ISTIO'],
  ])('fails when %s', (_, props, message) => {
    expect(build(props)).toThrow(`test/Gateway: ${message}`);
  });

  test('fails when props are left out, or the construct id makes no DNS-1123 label', () => {
    expect(() => new IstioGateway(newChart(), 'Gateway', undefined as unknown as IstioGatewayProps))
      .toThrow('test/Gateway: props must be an object, got nothing; e.g. { hosts: ["shop.example.com"] }');
    expect(() => new IstioGateway(newChart(), 'Edge.V1', { hosts: ['shop.example.com'] })).toThrow(`test/Edge.V1: ${NAME_RULE}, got "edge.v1"; pass a name such as "public-gateway"`);
  });

  test('fails with the control characters of a construct id escaped, on one line that a terminal shows as it is', () => {
    expect(() => new IstioGateway(newChart(), 'Edge\u001b[2J\u0085', { hosts: ['shop.example.com'] })).toThrow(new Error(
      `test/Edge\\u001b[2J\\u0085: ${NAME_RULE}, got "edge\\u001b[2j\\u0085"; pass a name such as "public-gateway"`));
  });

  test('takes names, hosts and labels at their limits, and emits objects that Istio and Gateway API accept', () => {
    const host = `${`${'a'.repeat(62)}.`.repeat(3)}example.com`.slice(-253);
    const name = 'g'.repeat(63);
    const subdomain = (c: string) => `${c.repeat(63)}.`.repeat(4).slice(0, 253);
    const istio = synth(chart => new IstioGateway(chart, 'Gateway', {
      name, hosts: [host, '*', '*.example.com'], selector: { 'istio.io/rev': 'r'.repeat(63), empty: '' }, tls: { credentialName: subdomain('s'), mode: GatewayTlsMode.MUTUAL },
      additionalServers: [{ hosts: [host], port: 8080, tls: { credentialName: 'c', port: 8443, redirectHttp: false } }],
    }));
    expect(istio[0].metadata.name).toBe(name);
    expectValidManifests(istio);
    const gatewayApi = synth(chart => new IstioGateway(chart, 'Gateway', {
      name, hosts: [host, `*.${host.slice(2)}`], trafficApi: TrafficApi.GATEWAY_API, tls: { credentialName: 'c' }, gatewayClassName: subdomain('c'),
    }));
    expect(kinds(gatewayApi)).toEqual(['Gateway', 'HTTPRoute']);
    expectValidManifests(gatewayApi);
  });

  test('takes Secret and GatewayClass names with a part longer than 63, as Kubernetes does: it limits object names to 253 in all', () => {
    const name = `${'c'.repeat(64)}.example`;
    const istio = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'], tls: { credentialName: name } }));
    expect(istio[0].spec.servers[1].tls.credentialName).toBe(name);
    const gatewayApi = synth(chart => new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'], trafficApi: TrafficApi.GATEWAY_API, gatewayClassName: name }));
    expect(find(gatewayApi, 'Gateway', 'gateway').spec.gatewayClassName).toBe(name);
    expectValidManifests([...istio, ...gatewayApi]);
  });

  test('serves HTTP and HTTPS of several servers on shared ports', () => {
    const objects = synth(chart => new IstioGateway(chart, 'Gateway', {
      hosts: ['shop.example.com'], tls: { credentialName: 'shop' },
      additionalServers: [{ hosts: ['api.example.com'], tls: { credentialName: 'api' } }],
    }));
    expect(objects[0].spec.servers.map((s: { port: { number: number; protocol: string } }) => `${s.port.protocol}:${s.port.number}`))
      .toEqual(['HTTP:80', 'HTTPS:443', 'HTTP:80', 'HTTPS:443']);
    expectValidManifests(objects);
  });
});
