import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway, Protocol } from '../src';

/**
 * An API that speaks HTTP on 8080 (also through the gateway), gRPC on 9090 and a TCP protocol on
 * 7000, on a 80/20 canary. One split applies to every port: HTTP and gRPC share the http: routes,
 * the TCP port gets a weighted tcp: route.
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
        { port: 9090, protocol: Protocol.GRPC, name: 'grpc-api' },
        { port: 7000, protocol: Protocol.TCP, name: 'tcp-events' },
      ],
      stable: { image: image('1.8.0'), version: '1.8.0' },
      canary: { image: image('1.9.0'), version: '1.9.0' },
      canaryWeight: 20,
      gateway,
    });
  }
}
