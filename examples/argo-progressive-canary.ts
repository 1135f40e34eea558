import { Chart, Duration } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AnalysisMetric, AnalysisTemplateRef, AntiAffinity, CanaryApp, CanaryScale, IstioGateway, ReleaseController, RouteMatch, RouteTarget, StepPause, StringMatch,
} from '../src';
import { podinfo, SERVER_ERRORS } from './podinfo';


/**
 * A canary that Argo Rollouts carries out with the options its users reach for. podinfo 6.0.1
 * runs on half the app's pods until its last step, and first gets a copy of every request for
 * ten minutes while 6.0.0 answers (Argo's mirror route); then 10% of the traffic until five checks
 * of the analysis pass, 30% until someone promotes it, and 60% for half an hour. Besides Istio's
 * success rate and latency, podinfo's own count of 5xx answers must stay under one a second, and
 * the platform team's ClusterAnalysisTemplate `error-budget` must pass. The Rollout adds at most
 * one pod at a time and takes none away, keeps the new pods off the old ones' nodes where it can,
 * labels each version's pods by role, keeps an aborted canary's pods for five minutes for a look,
 * and the old version's for two after the promotion.
 */
export class ArgoProgressiveCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'argo-progressive-canary') {
    super(scope, id, { namespace: 'payments' });
    this.app = new CanaryApp(this, 'Payments', {
      port: 9898,
      replicas: 4,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['payments.example.com'],
      mirror: { to: RouteTarget.canary(), percentage: 100 },
      controller: ReleaseController.ARGO_ROLLOUTS,
      plan: {
        steps: [10, 30, 60, 100],
        analysis: {
          interval: Duration.minutes(2),
          metrics: [AnalysisMetric.prometheus('server-errors', SERVER_ERRORS, { max: 1 })],
        },
        argo: {
          pauses: [
            StepPause.of(Duration.minutes(10)),
            StepPause.untilAnalysisPasses(5),
            StepPause.untilPromoted(),
            StepPause.of(Duration.minutes(30)),
          ],
          canaryScale: CanaryScale.percent(50),
          maxSurge: PercentOrAbsolute.absolute(1),
          maxUnavailable: PercentOrAbsolute.absolute(0),
          antiAffinity: AntiAffinity.preferred(100),
          newVersionPods: { labels: { role: 'canary' } },
          servingVersionPods: { labels: { role: 'stable' } },
          abortScaleDownDelay: Duration.minutes(5),
          analysisTemplates: [AnalysisTemplateRef.cluster('error-budget')],
          scaleDownDelay: Duration.minutes(2),
        },
      },
    });
  }
}

/**
 * Testers reach a canary that Argo Rollouts runs through its managed header routes: with
 * `x-qa: 1`, or the cookie `beta=on`, they get podinfo 6.0.1 from the start of the release to its
 * end, and Argo removes the routes once it promotes; everyone else follows the weights, 20% then
 * 60%, each held until someone promotes it. The old version scales down as the new one takes
 * traffic (`dynamicStableScale`), so the release needs no room for two full sets of pods.
 */
export class ArgoHeaderRoutedCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'argo-header-routed-canary') {
    super(scope, id, { namespace: 'search-argo' });
    this.app = new CanaryApp(this, 'Search', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      testerRoutes: [
        { name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() },
        { name: 'beta', when: [RouteMatch.cookie('beta', 'on')], to: RouteTarget.canary() },
      ],
      controller: ReleaseController.ARGO_ROLLOUTS,
      plan: { steps: [20, 60], argo: { managedTesterRoutes: true, dynamicStableScale: true } },
    });
  }
}
