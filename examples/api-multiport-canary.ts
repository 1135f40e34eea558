import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway, Protocol, RouteMatch, RouteTarget, StringMatch } from '../src';

/**
 * An API that speaks HTTP on 8080 (also through the gateway), HTTP/2 with prior knowledge on
 * 8081 for in-mesh callers, gRPC on 9090 and a TCP protocol on 7000, on a 80/20 canary. One split
 * applies to every port: HTTP, HTTP/2 and gRPC share the http: routes, the TCP port gets a
 * weighted tcp: route. Clients of SDK 2.x, built against 1.9.0's API, and anyone who asks with
 * `?release=canary` or `?release=1.9.0` go to 1.9.0 on every HTTP port.
 */
export class ApiMultiportCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'api-multiport-canary') {
    super(scope, id, { namespace: 'api' });
    const gateway = new IstioGateway(this, 'Gateway', { name: 'api-gateway', hosts: ['api.example.com'] });
    const image = (tag: string) => `registry.example.com/api/server:${tag}`;
    this.app = new CanaryApp(this, 'Api', {
      port: 8080,
      additionalPorts: [
        { port: 8081, protocol: Protocol.HTTP2, name: 'http2-internal' },
        { port: 9090, protocol: Protocol.GRPC, name: 'grpc-api' },
        { port: 7000, protocol: Protocol.TCP, name: 'tcp-events' },
      ],
      stable: { image: image('1.8.0'), version: '1.8.0' },
      canary: { image: image('1.9.0'), version: '1.9.0' },
      canaryWeight: 20,
      testerRoutes: [
        { name: 'sdk-2', when: [RouteMatch.header('user-agent', StringMatch.prefix('api-sdk/2.'))], to: RouteTarget.canary() },
        { name: 'opt-in', when: [RouteMatch.queryParam('release', StringMatch.regex('canary|1\\.9\\.0'))], to: RouteTarget.canary() },
      ],
      gateway,
    });
  }
}
