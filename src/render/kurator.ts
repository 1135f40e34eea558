import { ApiObjectProps } from 'cdk8s';
import type { ResolvedManifests } from '../fleet';
import { ControllerPlanModel, ReleaseModel } from '../model';
import { ReleaseController } from '../plan';
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
          interval: goDuration(entry.syncIntervalSeconds ?? defaultSyncInterval(entry)),
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

/**
 * Flagger scales a Flagger app's Deployment, which a periodic apply would undo, so its folder is
 * applied on change only, as seed 002 has it; other folders every 5 minutes.
 */
function defaultSyncInterval(entry: ResolvedManifests): number {
  return entry.model?.controller === ReleaseController.FLAGGER ? 0 : 300;
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

/** Istio's `60s` as Kurator's whole seconds; undefined for a timeout that isn't whole seconds, which release/checks-kurator.ts refuses. */
export function timeoutSeconds(timeout: string): number | undefined {
  const match = /^(\d+)s$/.exec(timeout);
  return match ? Number(match[1]) : undefined;
}
