import { ApiMultiportCanary } from '../../examples/api-multiport-canary';
import { find, Manifest } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: API canary on HTTP, HTTP/2, gRPC and TCP ports', () => {
  const objects = exampleObjects(ApiMultiportCanary, ['Gateway', ...RELEASE]);
  const vs = () => find(objects, 'VirtualService', 'api');
  const split = (route: Manifest[]) => route.map(r => [r.destination.subset, r.destination.port?.number, r.weight]);

  test('names the ports http, http2-internal, grpc-api and tcp-events', () => {
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'http2-internal', port: 8081, targetPort: 8081 },
      { name: 'grpc-api', port: 9090, targetPort: 9090 },
      { name: 'tcp-events', port: 7000, targetPort: 7000 },
    ]);
  });

  test('splits 80/20 on every port: HTTP for the gateway (with its port) and the mesh, and TCP', () => {
    const weighted = vs().spec.http.filter((r: Manifest) => r.name.startsWith('primary'));
    expect(weighted.map((r: Manifest) => [r.name, r.match, split(r.route)])).toEqual([
      ['primary-gateway', [{ gateways: ['api/api-gateway'] }], [['1-8-0', 8080, 80], ['1-9-0', 8080, 20]]],
      ['primary', [{ gateways: ['mesh'] }], [['1-8-0', undefined, 80], ['1-9-0', undefined, 20]]],
    ]);
    expect(vs().spec.tcp.map((r: Manifest) => [r.match, split(r.route)])).toEqual([
      [[{ port: 7000 }], [['1-8-0', 7000, 80], ['1-9-0', 7000, 20]]],
    ]);
  });

  test('sends SDK 2.x clients (by user-agent prefix) and ?release=canary|1.9.0 (by regex) to 1.9.0, ahead of the split, at the gateway and in the mesh', () => {
    const sdk = { headers: { 'user-agent': { prefix: 'api-sdk/2.' } } };
    const optIn = { queryParams: { release: { regex: 'canary|1\\.9\\.0' } } };
    expect(vs().spec.http.map((r: Manifest) => [r.name, r.match, split(r.route)])).toEqual([
      ['sdk-2-gateway', [{ ...sdk, gateways: ['api/api-gateway'] }], [['1-9-0', 8080, undefined]]],
      ['opt-in-gateway', [{ ...optIn, gateways: ['api/api-gateway'] }], [['1-9-0', 8080, undefined]]],
      ['primary-gateway', [{ gateways: ['api/api-gateway'] }], [['1-8-0', 8080, 80], ['1-9-0', 8080, 20]]],
      ['sdk-2', [{ ...sdk, gateways: ['mesh'] }], [['1-9-0', undefined, undefined]]],
      ['opt-in', [{ ...optIn, gateways: ['mesh'] }], [['1-9-0', undefined, undefined]]],
      ['primary', [{ gateways: ['mesh'] }], [['1-8-0', undefined, 80], ['1-9-0', undefined, 20]]],
    ]);
  });
});
