import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, IstioGateway, ReleaseController } from '../src';
import { podinfo } from './podinfo';

/**
 * A blue/green that Argo Rollouts carries out: podinfo 6.0.1 (green, the active colour to be) comes
 * up beside the running revision behind `frontend-preview`, which testers reach with the header
 * `x-preview: true` or at preview.frontend.example.com. Argo checks the preview's success rate and
 * latency in Istio's metrics five times, a minute apart, on one pod of the three it will run;
 * five minutes after the checks pass, it scales the preview up and switches `frontend` to it by
 * itself, checks the same again on the live Service, and keeps the old revision until those checks
 * pass, so that a failed check switches back to it at once.
 */
export class ArgoBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'argo-blue-green') {
    super(scope, id, { namespace: 'frontend' });
    this.app = new BlueGreenApp(this, 'Frontend', {
      port: 9898,
      replicas: 3,
      blue: podinfo('6.0.0'),
      green: podinfo('6.0.1'),
      active: Color.GREEN,
      controller: ReleaseController.ARGO_ROLLOUTS,
      plan: {
        analysis: { minSuccessRate: 99, maxRequestDuration: Duration.millis(500) },
        iterations: 5,
        autoPromotion: true,
        argo: { previewReplicas: 1, autoPromotionDelay: Duration.minutes(5), postPromotionAnalysis: true },
      },
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['frontend.example.com'],
      preview: { header: 'x-preview', host: 'preview.frontend.example.com' },
    });
  }
}
