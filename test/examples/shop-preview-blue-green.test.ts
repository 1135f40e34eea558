import { ShopPreviewBlueGreen } from '../../examples/shop-preview-blue-green';
import { deploymentsSelectedBy, find, Manifest, weights } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: shop blue/green behind HTTPS, with a preview of the idle colour', () => {
  const objects = exampleObjects(ShopPreviewBlueGreen,
    ['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'DestinationRule', 'VirtualService']);

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
    const vs = find(objects, 'VirtualService', 'storefront');
    expect(weights(vs)).toEqual({ blue: 100, green: 0 });
    expect(vs.spec.http.map((r: Manifest) => r.name)).toEqual(['preview-header', 'preview-host', 'primary']);
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'preview.shop.example.com', 'storefront.shop.svc.cluster.local']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'storefront-preview').spec.selector)).toEqual(['storefront-green']);
  });
});
