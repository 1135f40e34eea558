import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoRouting, CanaryApp, IstioGateway, ReleaseController } from '../src';

/**
 * Seed 001 as it was meant: Argo Rollouts moves the weather app from Hyderabad (v1) to New York
 * (v2) through `argo-gateway`, sets 50% and holds it for 10 minutes, then completes. Routing is
 * host-level, as in the seed: its `weather-test-app-hyd` and `weather-test-app-ny` Services are
 * `weather-test-app-stable` and `weather-test-app-canary` here, and its `rollout-vsvc` is named
 * after the app. The one-line difference from the weather example is `controller`.
 */
export class ArgoWeatherCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'argo-weather-canary') {
    super(scope, id, { namespace: 'weather' });
    const gateway = new IstioGateway(this, 'Gateway', { name: 'argo-gateway', hosts: ['weather-rollout.example.com'] });
    this.app = new CanaryApp(this, 'Weather', {
      name: 'weather-test-app',
      port: 80,
      containerPort: 5000,
      replicas: 2,
      stable: { image: 'docker.io/atulinfracloud/weathersample:v1', version: 'v1' },
      canary: { image: 'docker.io/atulinfracloud/weathersample:v2', version: 'v2' },
      controller: ReleaseController.ARGO_ROLLOUTS,
      argoRouting: ArgoRouting.HOST,
      plan: { steps: [50], pause: Duration.minutes(10) },
      gateway,
    });
  }
}
