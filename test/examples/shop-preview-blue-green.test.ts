import { ShopPreviewBlueGreen } from '../../examples/shop-preview-blue-green';
import { deploymentsBehindSubset, deploymentsSelectedBy, find, Manifest, weights } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: shop blue/green behind HTTPS, with a preview of the idle colour', () => {
  const objects = exampleObjects(ShopPreviewBlueGreen,
    ['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'DestinationRule', 'VirtualService']);
  const vs = () => find(objects, 'VirtualService', 'storefront');

  test('the gateway redirects HTTP to HTTPS and serves partners on mutual TLS', () => {
    const servers = find(objects, 'Gateway', 'shop-gateway').spec.servers;
    expect(servers.map((s: Manifest) => [s.port.number, s.port.protocol, s.tls])).toEqual([
      [80, 'HTTP', { httpsRedirect: true }],
      [443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'shop-example-com' }],
      [80, 'HTTP', { httpsRedirect: true }],
      [443, 'HTTPS', { mode: 'MUTUAL', credentialName: 'partners-mtls' }],
    ]);
  });

  test('blue (2.3.1) takes all traffic; green (2.4.0) is the preview, by header, host and Service', () => {
    expect(weights(vs())).toEqual({ blue: 100, green: 0 });
    expect(vs().spec.http.map((r: Manifest) => r.name)).toEqual(['preview-header', 'preview-host', 'beta', 'primary']);
    expect(vs().spec.hosts).toEqual(['shop.example.com', 'preview.shop.example.com', 'storefront.shop.svc.cluster.local']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'storefront-preview').spec.selector)).toEqual(['storefront-green']);
  });

  test('shoppers with the beta cookie go to the idle colour, green, by a regex on the cookie header', () => {
    expect(vs().spec.http[2]).toEqual({
      name: 'beta',
      match: [{ headers: { cookie: { regex: '^(.*;\\s*)?storefront-beta=opt-in(;.*)?$' } } }],
      route: [{ destination: { host: 'storefront.shop.svc.cluster.local', subset: 'green' } }],
    });
    expect(deploymentsBehindSubset(objects, 'storefront', 'green')).toEqual(['storefront-green']);
  });

  test('keeps each shopper on one pod by a consistent hash of the session cookie', () => {
    expect(find(objects, 'DestinationRule', 'storefront').spec.trafficPolicy).toEqual({
      loadBalancer: { consistentHash: { httpCookie: { name: 'shop-session', ttl: '7200s' } } },
    });
  });
});
