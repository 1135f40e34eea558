import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoRouting, CanaryApp, IstioGateway, ReleaseController } from '../src';
import { weatherRelease } from './weather';

/**
 * Seed 001 as it was meant: Argo Rollouts moves the weather app from Hyderabad (v1) to New York
 * (v2) through `argo-gateway`, sets 50% and holds it for 10 minutes, then completes. Routing is
 * host-level, as in the seed: its `weather-test-app-hyd` and `weather-test-app-ny` Services are
 * `weather-test-app-stable` and `weather-test-app-canary` here, and its `rollout-vsvc` is named
 * after the app. It shares the release with the weather example, which Git walks; here Argo
 * Rollouts walks a plan: `controller` and the plan replace `canaryWeight`.
 */
export class ArgoWeatherCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'argo-weather-canary') {
    super(scope, id, { namespace: 'weather' });
    const gateway = new IstioGateway(this, 'Gateway', { name: 'argo-gateway', hosts: ['weather-rollout.example.com'] });
    this.app = new CanaryApp(this, 'Weather', {
      ...weatherRelease(),
      controller: ReleaseController.ARGO_ROLLOUTS,
      argoRouting: ArgoRouting.HOST,
      plan: { steps: [50], pause: Duration.minutes(10) },
      gateway,
    });
  }
}
