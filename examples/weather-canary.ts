import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway } from '../src';
import { weatherRelease } from './weather';

/**
 * Seed 001: the weather app, Hyderabad (v1) stable and New York (v2) canary at 50%, through
 * `argo-gateway`. The seed lets Argo Rollouts set the weight at run time; here it is in Git.
 */
export class WeatherCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'weather-canary') {
    super(scope, id, { namespace: 'default' });
    const gateway = new IstioGateway(this, 'Gateway', { name: 'argo-gateway', hosts: ['weather.example.com'] });
    this.app = new CanaryApp(this, 'Weather', {
      ...weatherRelease(),
      canaryWeight: 50,
      gateway,
    });
  }
}
