import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, DataPlane, IstioGateway, TrafficApi, Waypoint } from '../src';

/** The weights of the release, one commit per step: v2 at 10%, then at 50%. */
export const AMBIENT_PLAN = { steps: [10, 50] };
const STEP = 0;

/**
 * Bookinfo's reviews on Istio's ambient data plane: no sidecars, the pods enrolled by label, and
 * the namespace's waypoint, which the Service is enrolled with, applying the weighted HTTPRoute
 * on the Service (v1 90%, v2 10%, then 50/50) across a Service per version. Ingress comes through
 * a Kubernetes Gateway for reviews.example.com. Its namespace, `bookinfo-ambient`, keeps it apart
 * from the sidecar examples when they are all applied to one cluster.
 */
export class BookinfoAmbient extends Chart {
  public readonly waypoint: Waypoint;
  public readonly gateway: IstioGateway;
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'bookinfo-ambient', step = STEP) {
    super(scope, id, { namespace: 'bookinfo-ambient' });
    const image = (version: string) => `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2`;
    // The namespace's waypoint, as `istioctl waypoint apply` names it: other apps of the namespace may share it.
    this.waypoint = new Waypoint(this, 'Waypoint', { name: 'waypoint' });
    this.gateway = new IstioGateway(this, 'Gateway', { name: 'bookinfo', hosts: ['reviews.example.com'], trafficApi: TrafficApi.GATEWAY_API });
    this.app = new CanaryApp(this, 'Reviews', {
      port: 9080,
      stable: { image: image('v1'), version: 'v1' },
      canary: { image: image('v2'), version: 'v2' },
      plan: AMBIENT_PLAN,
      step,
      dataPlane: DataPlane.AMBIENT,
      waypoint: this.waypoint,
      gateway: this.gateway,
      mtls: true,
    });
  }
}
