import { ApiObject, Chart } from 'cdk8s';
import { BlueGreenApp, GatewayTlsMode, GatewayTlsOptions, IstioApiVersion, IstioGateway, IstioGatewayProps } from '../src';
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

  test('exposes the Gateway as the Resource child, for ApiObject.of', () => {
    const gateway = new IstioGateway(newChart(), 'Gateway', { hosts: ['shop.example.com'] });
    expect(ApiObject.of(gateway)).toBe(gateway.resource);
  });

  test('fromName makes a reference that emits nothing', () => {
    const chart = newChart();
    const gateway = IstioGateway.fromName('istio-system/public-gateway');
    expect(gateway).toEqual({ gatewayRef: 'istio-system/public-gateway', hosts: [] });
    expect(kinds(chart.toJson())).toEqual([]);
  });

  test.each(['public-gateway', 'istio-system/', '/public-gateway', 'a/b/c', 'Istio-System/public-gateway', 'istio-system/Public'])(
    'fails when fromName is given %j, which is not namespace/name', ref => {
      expect(() => IstioGateway.fromName(ref)).toThrow(`IstioGateway.fromName: ref must be "namespace/name", got ${JSON.stringify(ref)}; `);
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
