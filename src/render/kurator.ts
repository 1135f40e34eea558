import { ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedManifests } from '../fleet';
import { ControllerPlanModel, Protocol, ReleaseModel, Strategy } from '../model';
import { DEFAULT_PROMETHEUS, ReleaseController, TrafficApi } from '../plan';
import { fail } from '../validate';
import { analysisInterval, flowOf, metricWindowSeconds } from './flagger';

/**
 * A fleet release as Kurator runs it: one `apps.kurator.dev/v1alpha1` Application. Kurator makes a
 * Flux GitRepository of its source and, per sync policy and cluster, a Flux Kustomization; for a
 * policy with a `rollout`, it makes a Flagger Canary in each cluster (pkg/fleet-manager/application,
 * rollout_helper.go: renderCanary, renderCanaryService, renderCanaryAnalysis), named after the
 * workload, with the Service `serviceName` that it reads from the cluster. So the app's chart holds
 * the Deployment and that Service, and no Canary.
 */

/** The Application's API, as Kurator v0.6.0 serves it. */
export const KURATOR_APPLICATION = { apiVersion: 'apps.kurator.dev/v1alpha1', kind: 'Application' };

/** What the Application is made of, resolved by the Fleet. */
export interface KuratorSync {
  readonly fleet: string;
  readonly clusterLabels?: { readonly [key: string]: string };
  readonly repoUrl: string;
  readonly branch: string;
  readonly gitIntervalSeconds: number;
  readonly gitTimeoutSeconds: number;
  readonly syncTimeoutSeconds: number;
  readonly manifests: readonly ResolvedManifests[];
}

/** The traffic router Kurator's rollout plugin runs Flagger with: the one it supports. */
const KURATOR_PROVIDER = 'istio';

export function kuratorApplication(name: string, namespace: string, sync: KuratorSync): ApiObjectProps {
  const destination = {
    fleet: sync.fleet,
    clusterSelector: sync.clusterLabels && Object.keys(sync.clusterLabels).length > 0 ? { matchLabels: { ...sync.clusterLabels } } : undefined,
  };
  return {
    ...KURATOR_APPLICATION,
    metadata: { name, namespace },
    spec: {
      source: {
        gitRepository: {
          interval: goDuration(sync.gitIntervalSeconds),
          ref: { branch: sync.branch },
          timeout: goDuration(sync.gitTimeoutSeconds),
          url: sync.repoUrl,
        },
      },
      syncPolicies: sync.manifests.map(entry => ({
        destination,
        kustomization: {
          interval: goDuration(entry.syncIntervalSeconds),
          path: entry.path,
          prune: true,
          targetNamespace: entry.targetNamespace,
          timeout: goDuration(sync.syncTimeoutSeconds),
        },
        rollout: entry.model?.plan && entry.model.controller === ReleaseController.FLAGGER ? rollout(entry.model, entry.model.plan) : undefined,
      })),
    },
  };
}

/** A duration as Go writes one, and Flux with it: `0s`, `90s` as `1m30s`, `3m0s`, `1h0m0s`. */
export function goDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** The release's plan as Kurator's rollout policy: the fields of the Canary that Kurator renders from it. */
function rollout(model: ReleaseModel, plan: ControllerPlanModel): Record<string, unknown> {
  const checks = plan.analysis!;
  const flow = flowOf(model, plan);
  const window = metricWindowSeconds(checks);
  return {
    // Kurator installs a load tester of its own beside the workload, `<serviceName>-testloader`, and sends the commands to it.
    testLoader: checks.loadTestCommand !== undefined || undefined,
    trafficRoutingProvider: KURATOR_PROVIDER,
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: model.name, namespace: model.namespace },
    serviceName: model.name,
    port: model.ports[0].port,
    rolloutPolicy: {
      rolloutTimeoutSeconds: plan.flagger?.progressDeadlineSeconds,
      trafficAnalysis: {
        checkFailedTimes: checks.failureLimit,
        checkIntervalSeconds: analysisInterval(plan).seconds,
        metrics: [
          { name: 'request-success-rate', intervalSeconds: window, thresholdRange: { min: checks.minSuccessRate } },
          { name: 'request-duration', intervalSeconds: window, thresholdRange: { max: checks.maxRequestDurationMs } },
        ],
        // Kurator dereferences timeoutSeconds whenever there is a command, so it is always written.
        webhooks: checks.loadTestCommand === undefined ? undefined : { command: [checks.loadTestCommand], timeoutSeconds: checks.loadTestTimeoutSeconds },
      },
      trafficRouting: {
        analysisTimes: flow === 'canary' ? undefined : plan.iterations,
        canaryStrategy: flow === 'canary' ? canaryStrategy(plan) : undefined,
        // Kurator passes the gateways to the Canary as they are: `mesh` too, so that in-mesh callers get the same routes.
        gateways: [...model.binding?.gateways ?? [], 'mesh'],
        hosts: model.binding && [...model.binding.hosts],
        match: flow === 'ab-testing' ? model.matchRoutes.map(r => ({ headers: r.match.headers, queryParams: r.match.queryParams, sourceLabels: r.match.sourceLabels })) : undefined,
        retries: model.routePolicy?.retries,
        timeoutSeconds: model.routePolicy?.timeout === undefined ? undefined : timeoutSeconds(model.routePolicy.timeout),
      },
    },
  };
}

function canaryStrategy(plan: ControllerPlanModel): Record<string, unknown> {
  const promotion = plan.flagger?.stepWeightPromotion;
  return plan.linear
    ? { maxWeight: plan.linear.maxWeight, stepWeight: plan.linear.stepWeight, stepWeightPromotion: promotion }
    : { stepWeights: [...plan.steps], stepWeightPromotion: promotion };
}

/** Istio's `60s` as Kurator's whole seconds; undefined for a timeout that isn't whole seconds, refused by checkKurator. */
function timeoutSeconds(timeout: string): number | undefined {
  const match = /^(\d+)s$/.exec(timeout);
  return match ? Number(match[1]) : undefined;
}

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
