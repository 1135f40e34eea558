import { Construct } from 'constructs';
import { Protocol, ReleaseModel, Strategy } from '../model';
import { DEFAULT_PROMETHEUS, TrafficApi } from '../plan';
import { timeoutSeconds } from '../render/kurator';
import { fail } from '../validate';

/**
 * What Kurator's rollout policy can't carry of a Flagger app, refused at the app, naming the prop.
 * Kurator writes the Canary from a fixed set of fields, so anything beyond them would be lost.
 */
export function checkKurator(app: Construct, model: ReleaseModel): void {
  const plan = model.plan!;
  const refuse = (field: string, problem: string, value: unknown, fix: string): never =>
    fail(app, field, `can't be carried by Kurator's rollout policy, ${problem}`, value, fix);
  const otherEngine = 'or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it';
  // Ambient mode routes with the Gateway API, so it is named first, as the choice behind the other.
  if (model.ambient) refuse('dataPlane', 'which runs Flagger with sidecars only', 'ambient', `use DataPlane.SIDECAR, ${otherEngine}`);
  if (model.trafficApi !== TrafficApi.ISTIO) refuse('trafficApi', 'which runs Flagger with the Istio provider only', model.trafficApi, `use TrafficApi.ISTIO, ${otherEngine}`);
  const checks = plan.analysis;
  if (!checks) return refuse('plan.analysis', 'which Kurator\'s controller reads on every rollout: it must be given', undefined, 'give plan.analysis');
  if (checks.metrics.length > 0) {
    refuse('plan.analysis.metrics', 'which takes Flagger\'s built-in request-success-rate and request-duration only', checks.metrics.map(m => m.name),
      `leave them out, ${otherEngine}`);
  }
  if (checks.prometheusAddress !== DEFAULT_PROMETHEUS) {
    refuse('plan.analysis.prometheusAddress', 'which queries the Prometheus of Kurator\'s Flagger', checks.prometheusAddress, `leave it out, ${otherEngine}`);
  }
  const flagger = plan.flagger;
  if (flagger?.webhooks?.length) refuse('plan.flagger.webhooks', 'whose only webhook is the load test', flagger.webhooks.map(w => w.name), `leave them out, ${otherEngine}`);
  if (flagger?.alerts?.length) refuse('plan.flagger.alerts', 'which has no alerts', flagger.alerts.map(a => a.name), `leave them out, ${otherEngine}`);
  if (flagger?.loadTesterUrl !== undefined) {
    refuse('plan.flagger.loadTesterUrl', 'which sends the load test to the load tester Kurator installs', flagger.loadTesterUrl, 'leave it out');
  }
  if (flagger?.primaryReadyThreshold !== undefined) refuse('plan.flagger.primaryReadyThreshold', 'which has no ready thresholds', flagger.primaryReadyThreshold, 'leave it out');
  if (flagger?.canaryReadyThreshold !== undefined) refuse('plan.flagger.canaryReadyThreshold', 'which has no ready thresholds', flagger.canaryReadyThreshold, 'leave it out');
  // Flagger gates a blue/green's promotion by hand with the load tester's webhooks, which Kurator has no room for.
  if (model.strategy === Strategy.BLUE_GREEN && !plan.autoPromotion) refuse('plan.autoPromotion', 'which promotes once the analysis passes, with no gate', false, 'leave it out, or set it to true');
  // Kurator names no port, and Flagger then names its Services' ports http: gRPC and h2c would be taken for HTTP/1.1.
  if (model.ports[0].protocol !== Protocol.HTTP) {
    refuse('protocol', 'which names no port, so that Flagger names its Services\' ports http', model.ports[0].protocol, `use Protocol.HTTP, ${otherEngine}`);
  }
  if (model.sticky) {
    refuse('stickySessions', 'whose session affinity has no cookie for the primary and no path, so users the split sends to the primary are not kept there',
      { cookieName: model.sticky.cookieName }, `leave stickySessions out, ${otherEngine}`);
  }
  if (model.mirror) refuse('mirror', 'which has no mirroring', { percentage: model.mirror.percentage }, 'leave mirror out');
  if (model.trafficPolicy) refuse('trafficPolicy', 'which has no traffic policy', Object.keys(model.trafficPolicy), `leave it out, ${otherEngine}`);
  if (model.policies.autoscaling) {
    refuse('autoscaling', 'whose Canary has no autoscalerRef, so Flagger would not scale the primary', model.policies.autoscaling, `leave it out, ${otherEngine}`);
  }
  const timeout = model.routePolicy?.timeout;
  if (timeout !== undefined && timeoutSeconds(timeout) === undefined) {
    refuse('routePolicy.timeout', 'which takes whole seconds', timeout, 'use e.g. Duration.seconds(30)');
  }
}
