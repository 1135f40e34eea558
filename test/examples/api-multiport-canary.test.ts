import { ApiMultiportCanary } from '../../examples/api-multiport-canary';
import { find, Manifest } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: API canary on HTTP, gRPC and TCP ports', () => {
  const objects = exampleObjects(ApiMultiportCanary, ['Gateway', ...RELEASE]);

  test('names the ports http, grpc-api and tcp-events', () => {
    expect(find(objects, 'Service', 'api').spec.ports.map((p: Manifest) => [p.name, p.port])).toEqual([
      ['http', 8080], ['grpc-api', 9090], ['tcp-events', 7000],
    ]);
  });

  test('splits 80/20 on every port: HTTP for the gateway (with its port) and the mesh, and TCP', () => {
    const vs = find(objects, 'VirtualService', 'api');
    const split = (route: Manifest[]) => route.map(r => [r.destination.subset, r.destination.port?.number, r.weight]);
    expect(vs.spec.http.map((r: Manifest) => [r.name, r.match[0].gateways, split(r.route)])).toEqual([
      ['primary-gateway', ['api/api-gateway'], [['1-8-0', 8080, 80], ['1-9-0', 8080, 20]]],
      ['primary', ['mesh'], [['1-8-0', undefined, 80], ['1-9-0', undefined, 20]]],
    ]);
    expect(vs.spec.tcp.map((r: Manifest) => [r.match, split(r.route)])).toEqual([
      [[{ port: 7000 }], [['1-8-0', 7000, 80], ['1-9-0', 7000, 20]]],
    ]);
  });
});
