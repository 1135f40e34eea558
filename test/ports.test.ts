import { Chart, Duration } from 'cdk8s';
import { CanaryApp, CanaryAppProps, IstioGateway, Protocol, verifyManifests } from '../src';
import { find, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'api:v1', version: 'v1' };
const v2 = { image: 'api:v2', version: 'v2' };

function api(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Api', {
    stable: v1, canary: v2, canaryWeight: 20, port: 8080,
    additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }, { port: 5432, containerPort: 15432, protocol: Protocol.TCP, name: 'tcp-db' }],
    ...props,
  });
}

describe('several ports', () => {
  const objects = synth(c => api(c));

  test('names every Service port for Istio, and the container listens on each', () => {
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'grpc-9090', port: 9090, targetPort: 9090 },
      { name: 'tcp-db', port: 5432, targetPort: 15432 },
    ]);
    expect(find(objects, 'Deployment', 'api-v1').spec.template.spec.containers[0].ports)
      .toEqual([{ containerPort: 8080 }, { containerPort: 9090 }, { containerPort: 15432 }]);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('HTTP and gRPC share the http: routes; each TCP port gets a tcp: route with the same split', () => {
    const vs = find(objects, 'VirtualService', 'api');
    expect(vs.spec.http.map((r: Manifest) => r.name)).toEqual(['primary']);
    expect(vs.spec.tcp).toEqual([{
      match: [{ port: 5432 }],
      route: [
        { destination: { host: 'api.shop.svc.cluster.local', subset: 'v1', port: { number: 5432 } }, weight: 80 },
        { destination: { host: 'api.shop.svc.cluster.local', subset: 'v2', port: { number: 5432 } }, weight: 20 },
      ],
    }]);
    expect(verifyManifests(objects)).toEqual([]);
  });

  test('through a gateway, writes the HTTP routes once for the gateway, with the primary port, and once for the mesh', () => {
    const objs = synth(c => api(c, {
      gateway: new IstioGateway(c, 'Gateway', { hosts: ['api.example.com'] }),
    }));
    const http = find(objs, 'VirtualService', 'api').spec.http;
    expect(http.map((r: Manifest) => [r.name, r.match])).toEqual([
      ['primary-gateway', [{ gateways: ['shop/gateway'] }]],
      ['primary', [{ gateways: ['mesh'] }]],
    ]);
    expect(http[0].route.map((r: Manifest) => r.destination.port)).toEqual([{ number: 8080 }, { number: 8080 }]);
    expect(http[1].route.map((r: Manifest) => r.destination.port)).toEqual([undefined, undefined]);
    expectValidManifests(objs);
    expect(verifyManifests(objs)).toEqual([]);
  });

  test('a TCP-only app has only tcp: routes', () => {
    const objs = synth(c => new CanaryApp(c, 'Db', { stable: v1, canary: v2, canaryWeight: 50, port: 5432, protocol: Protocol.TCP }));
    const vs = find(objs, 'VirtualService', 'db');
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp[0].match).toEqual([{ port: 5432 }]);
    expect(find(objs, 'Service', 'db').spec.ports[0].name).toBe('tcp');
    expectValidManifests(objs);
  });

  test.each([
    ['a port name does not start with its protocol', { additionalPorts: [{ port: 9090, protocol: Protocol.GRPC, name: 'api' }] }, 'additionalPorts[0].name must be "grpc" or "grpc-<suffix>"'],
    ['a port name is longer than 15 characters', { additionalPorts: [{ port: 9090, name: 'http-very-long-name' }] }, 'additionalPorts[0].name must be "http" or "http-<suffix>", lower case, at most 15 characters'],
    ['a port number repeats', { additionalPorts: [{ port: 8080, protocol: Protocol.GRPC }] }, 'additionalPorts[0] repeats the port number or name of another port'],
    ['a port is out of range', { additionalPorts: [{ port: 0 }] }, 'additionalPorts[0].port must be an integer port from 1 to 65535, got 0'],
    ['an additional port speaks another protocol on the app\'s container port', { additionalPorts: [{ port: 65535, containerPort: 8080, protocol: Protocol.TCP }] },
      'additionalPorts[0].containerPort is also the container port of the app\'s port, which speaks http where this one speaks tcp, got 8080; a sidecar serves each container port with one protocol: give this port a containerPort of its own, or the same protocol'],
    ['an additional port speaks another protocol on the container port of an earlier one',
      { additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }, { port: 9091, containerPort: 9090, protocol: Protocol.HTTP }] },
      'additionalPorts[1].containerPort is also the container port of additionalPorts[0], which speaks grpc where this one speaks http, got 9090; a sidecar serves each container port with one protocol: give this port a containerPort of its own, or the same protocol'],
    ['an additional port speaks another protocol on the container port of a later one',
      { additionalPorts: [{ port: 9091, containerPort: 9090, protocol: Protocol.TCP }, { port: 9090, protocol: Protocol.GRPC }] },
      'additionalPorts[1].containerPort is also the container port of additionalPorts[0], which speaks tcp where this one speaks grpc, got 9090; a sidecar serves each container port with one protocol: give this port a containerPort of its own, or the same protocol'],
  ])('fails when %s', (_, props, message) => {
    expect(() => api(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Api: ${message}`);
  });

  test('two ports may share a container port that speaks one protocol', () => {
    const objs = synth(c => api(c, { additionalPorts: [{ port: 8081, containerPort: 8080 }] }));
    expect(find(objs, 'Service', 'api').spec.ports.map((p: Manifest) => [p.name, p.port, p.targetPort])).toEqual([['http', 8080, 8080], ['http-8081', 8081, 8080]]);
    expect(find(objs, 'Deployment', 'api-v1').spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080 }]);
    expectValidManifests(objs);
    expect(verifyManifests(objs)).toEqual([]);
  });

  test('fails when a TCP-only app asks for HTTP features, showing them', () => {
    expect(() => new CanaryApp(newChart(), 'Db', { stable: v1, port: 5432, protocol: Protocol.TCP, routePolicy: { timeout: Duration.seconds(5) } }))
      .toThrow('test/Db: routePolicy needs an HTTP port, and protocol and every additionalPorts[].protocol are Protocol.TCP, '
        + 'got {"timeout":"5s"}; add an http, http2 or grpc port, or leave it out');
  });
});
