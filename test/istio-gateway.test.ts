import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BlueGreenApp, CanaryApp, GatewayServer, GatewayTlsMode, GatewayTlsOptions, IIstioGateway, IstioApiVersion, IstioGateway, IstioGatewayProps,
  RouteCheck, ServerModel, TrafficApi,
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
      .toThrow('test/Gateway: tls.credentialName must name the Secret with the certificate and key, or the gateway cannot serve TLS, got null; ');
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

  test.each(['public-gateway', 'istio-system/', '/public-gateway', 'a/b/c', 'Istio-System/public-gateway', 'istio-system/Public'])(
    'fails when fromName is given %j, which is not namespace/name', gatewayRef => {
      expect(() => IstioGateway.fromName(gatewayRef)).toThrow(`IstioGateway.fromName: gatewayRef must be "namespace/name", got ${JSON.stringify(gatewayRef)}; `
        + 'a bare name would resolve in each VirtualService\'s own namespace, so name the namespace, e.g. "istio-system/public-gateway"');
    });

  test('fails when fromName is given nothing', () => {
    expect(() => IstioGateway.fromName(undefined as unknown as string)).toThrow('IstioGateway.fromName: gatewayRef must be "namespace/name", got nothing; ');
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

  test.each(['public-gateway', 'a/b/c', 'istio-system/Public'])('fails when fromGatewayName is given %j, which is not namespace/name', gatewayRef => {
    expect(() => IstioGateway.fromGatewayName(newChart(), 'PublicGateway', gatewayRef))
      .toThrow(`test/PublicGateway: gatewayRef must be "namespace/name", got ${JSON.stringify(gatewayRef)}; a bare name would resolve`);
  });

  test('fails when fromGatewayName is given a scope outside any chart', () => {
    expect(() => IstioGateway.fromGatewayName(new App(), 'PublicGateway', 'istio-system/public-gateway'))
      .toThrow('PublicGateway: scope must be a Chart or inside one, whose route check then knows that the Gateway lives outside it, '
        + 'got "App"; import the gateway into a chart, e.g. the chart of the apps that use it');
  });

  const build = (props: Partial<IstioGatewayProps>) => () => new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'], ...props });

  test.each([
    ['there are no hosts', { hosts: [] }, 'hosts', '[]'],
    ['a host has upper case', { hosts: ['Shop.example.com'] }, 'hosts', '"Shop.example.com"'],
    ['a host has an empty label', { hosts: ['shop..example.com'] }, 'hosts', '"shop..example.com"'],
    ['a wildcard is not a leading label', { hosts: ['shop.*.com'] }, 'hosts', '"shop.*.com"'],
    ['the name is not a DNS-1123 name', { name: 'Public_Gateway' }, 'name', '"Public_Gateway"'],
    ['the namespace is not a DNS-1123 label', { namespace: 'istio.system' }, 'namespace', '"istio.system"'],
    ['the port is out of range', { port: 70000 }, 'port', '70000'],
    ['the selector is empty', { selector: {} }, 'selector', '{}'],
    ['a selector key is not a label key', { selector: { 'bad key!': 'x' } }, 'selector', '{"bad key!":"x"}'],
    ['a selector key has a prefix that is not a DNS-1123 subdomain', { selector: { 'Istio.IO/rev': 'x' } }, 'selector', '{"Istio.IO/rev":"x"}'],
  ])('fails when %s', (_, props, field, value) => {
    expect(build(props)).toThrow(`test/Gateway: ${field} `);
    expect(build(props)).toThrow(`got ${value}; `);
  });
});
