import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryApp, DisruptionBudget, IstioGateway } from '../src';
import { podinfo } from './podinfo';

/**
 * A canary with production hygiene, as in Flagger's podinfo tutorial: podinfo 6.0.0 stable and
 * 6.0.1 at 10%, each version with its own PodDisruptionBudget and HorizontalPodAutoscaler (2 to 4
 * pods on CPU), so the canary scales on its own share of the load.
 */
export class PodinfoAutoscaledCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'podinfo-autoscaled-canary') {
    super(scope, id, { namespace: 'autoscaled' });
    this.app = new CanaryApp(this, 'Podinfo', {
      port: 9898,
      replicas: 2,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      canaryWeight: 10,
      disruptionBudget: DisruptionBudget.minAvailable(1),
      autoscaling: { maxReplicas: 4, cpuUtilization: 80 },
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['autoscaled.example.com'],
    });
  }
}
