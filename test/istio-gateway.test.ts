import { ApiObject } from 'cdk8s';
import { BlueGreenApp, IstioApiVersion, IstioGateway, IstioGatewayProps } from '../src';
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
  ])('fails when %s', (_, props, field, value) => {
    expect(build(props)).toThrow(`test/Gateway: ${field} `);
    expect(build(props)).toThrow(`got ${value}; `);
  });
});
