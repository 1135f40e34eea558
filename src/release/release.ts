import { Construct } from 'constructs';
import {
  ControllerPlanModel, ExtraServiceModel, hasHttpPort, MatchRouteModel, ReleaseModel, releaseVersion, RouteModel, Strategy, VersionModel, WorkloadPolicies,
} from '../model';
import { ReleaseController, TrafficApi } from '../plan';
import { checkVersionPoliciesRouted, resolveRouting } from '../release-routing';
import { emitsIstioObjects } from '../render/release';
import { RouteTarget } from '../routing';
import { fail } from '../validate';
import { AppModel } from './app';
import { checkArgoRollouts } from './checks-argo-rollouts';
import { checkFlagger } from './checks-flagger';
import { checkGatewayApiRelease } from './checks-gateway-api';

/** A release resolved from an app's props: the settings every version shares, and the model the app emits. */
export interface ResolvedRelease {
  readonly app: AppModel;
  readonly release: ReleaseModel;
}

/** The versions that route targets name by role: a canary's `stable` and `canary`, a blue/green's `idle`. */
export interface RoleVersions {
  readonly stable?: VersionModel;
  readonly canary?: VersionModel;
  readonly idle?: VersionModel;
}

/** What a kind of release adds to its versions and weights. */
export interface ReleaseExtras {
  readonly strategy: Strategy;
  /** The subset of the version a controller rolls out. */
  readonly release: string;
  /** The plan, checked; it reaches the model only when a controller runs it. */
  readonly plan: ControllerPlanModel;
  /** The versions this kind of release has roles for; a role it lacks, or leaves undefined, names no version. */
  readonly roles: RoleVersions;
  /** The Service selects the version that takes all traffic, instead of subsets. */
  readonly selectorRouting?: boolean;
  /** Routes ahead of the tester routes, such as the blue/green preview. */
  readonly leadingRoutes?: MatchRouteModel[];
  /** Services over one version each besides the app's own, such as the preview Service. */
  readonly extraServices?: ExtraServiceModel[];
  /** Hosts served besides `hosts`, such as the preview host. */
  readonly extraHosts?: string[];
}

/**
 * The last step of resolving: the versions and the split, checked as a whole, make the release
 * model. What its renderer cannot carry is refused here too, so that rendering never refuses.
 */
export function resolveRelease(app: Construct, model: AppModel, versions: VersionModel[], routes: RouteModel[], extras: ReleaseExtras): ReleaseModel {
  checkDistinct(app, versions);
  checkAutoscalingRange(app, model.policies, versions);
  checkBudgetAllowsEvictions(app, model.policies, versions);
  const selectorRouting = extras.selectorRouting ?? false;
  const routing = resolveRouting(app, model.routing, {
    appName: model.name,
    versions,
    routes,
    selectorRouting,
    hasHttp: hasHttpPort(model.ports),
    resolve: target => targetVersion(target, versions, extras.roles),
    controlledRelease: model.controller === ReleaseController.NONE ? undefined : extras.release,
  });
  const release: ReleaseModel = {
    name: model.name,
    namespace: model.namespace,
    selector: { app: model.name },
    ports: model.ports,
    versions,
    routes,
    selectorRouting,
    policies: model.policies,
    pod: model.pod,
    ...routing,
    matchRoutes: [...extras.leadingRoutes ?? [], ...routing.matchRoutes],
    mtls: model.mtls,
    extraServices: extras.extraServices ?? [],
    binding: model.gateway && { gateways: [model.gateway.gatewayRef], hosts: [...model.hosts, ...extras.extraHosts ?? []] },
    istioApiVersion: model.istioApiVersion,
    strategy: extras.strategy,
    controller: model.controller,
    trafficApi: model.trafficApi,
    ambient: model.ambient,
    plan: model.controller === ReleaseController.NONE ? undefined : extras.plan,
    release: extras.release,
  };
  if (release.ambient) checkDataPlaneLabels(app, release);
  checkRoutesHavePods(app, release);
  checkReleaseRuns(app, release);
  // A controller's refusal of a version's policy says more than the check of where policies go.
  checkRenderable(app, release);
  checkVersionPoliciesRouted(app, release);
  checkIstioApiVersionUsed(app, model, release);
  return release;
}

/** The labels that put pods in ambient mode: the data plane's own, which pod labels may not change. */
const AMBIENT_POD_LABELS = ['istio.io/dataplane-mode', 'sidecar.istio.io/inject'];

function checkDataPlaneLabels(app: Construct, release: ReleaseModel): void {
  const sources = [{ field: 'podLabels', labels: release.pod.options.podLabels },
    ...release.versions.map(v => ({ field: `${v.id.toLowerCase()}.podLabels`, labels: v.workload.podLabels }))];
  for (const { field, labels } of sources) {
    const key = AMBIENT_POD_LABELS.find(k => labels?.[k] !== undefined);
    if (key) {
      fail(app, field, `may not set "${key}", which DataPlane.AMBIENT sets to put the pods in ambient mode without a sidecar`, { [key]: labels![key] },
        `leave "${key}" out, or use DataPlane.SIDECAR`);
    }
  }
}

/** The version a route target names: by its label, or by one of the release's roles; undefined for none. */
function targetVersion(target: RouteTarget, versions: readonly VersionModel[], roles: RoleVersions): VersionModel | undefined {
  if (target.kind === 'version') return versions.find(v => v.version === target.versionLabel);
  // The roles' own entries only: a kind such as "constructor" is none of them.
  return Object.entries(roles).find(([role]) => role === target.kind)?.[1];
}

/** What the release's renderer cannot carry: its controller's, or else its routing API's. */
function checkRenderable(app: Construct, release: ReleaseModel): void {
  // The apps resolve a plan whenever a controller runs the release.
  switch (release.controller) {
    case ReleaseController.ARGO_ROLLOUTS: return checkArgoRollouts(app, release, release.plan!);
    case ReleaseController.FLAGGER: return checkFlagger(app, release, release.plan!);
    // In ambient mode the mesh routes are HTTPRoutes, whatever routes the ingress.
    default: return release.trafficApi === TrafficApi.GATEWAY_API || release.ambient ? checkGatewayApiRelease(app, release) : undefined;
  }
}

/** With the Gateway API or Flagger there may be no Istio object to version: the prop would do nothing. */
function checkIstioApiVersionUsed(app: Construct, model: AppModel, release: ReleaseModel): void {
  if (model.istioApiVersionGiven && !emitsIstioObjects(release)) {
    fail(app, 'istioApiVersion', `sets the version of the Istio objects, and with controller ${release.controller} and trafficApi `
      + `${release.trafficApi} this app emits none`, release.istioApiVersion, 'leave it out');
  }
}

function checkDistinct(app: Construct, versions: VersionModel[]): void {
  versions.forEach((a, i) => versions.slice(i + 1).forEach(b => {
    const field = `${b.id.toLowerCase()}.version`;
    if (a.version === b.version) {
      fail(app, field, `must differ from ${a.id.toLowerCase()}.version`, b.version,
        'give each version its own label, or the subsets would select the same pods');
    }
    if (a.subset === b.subset || a.deploymentName === b.deploymentName) {
      fail(app, field, `names the same objects as ${a.id.toLowerCase()}.version ${JSON.stringify(a.version)} `
        + `(both become ${JSON.stringify(b.deploymentName)})`, b.version, 'use versions that differ in more than "." or "_"');
    }
  }));
}

/** The autoscaler's minimum is the version's replicas, and the API server rejects a minimum above the maximum. */
function checkAutoscalingRange(app: Construct, policies: WorkloadPolicies, versions: VersionModel[]): void {
  const max = policies.autoscaling?.maxReplicas;
  const over = max === undefined ? undefined : versions.find(v => v.replicas > max);
  if (over) {
    fail(app, 'autoscaling.maxReplicas', `must be at least ${over.id.toLowerCase()}'s ${over.replicas} replicas, the autoscaler's minimum`,
      max, `raise maxReplicas to ${over.replicas} or more`);
  }
}

/**
 * Kubernetes accepts a budget that allows no eviction at all, and then every node drain waits
 * on the version's pods forever: refused while the version runs pods.
 */
function checkBudgetAllowsEvictions(app: Construct, policies: WorkloadPolicies, versions: VersionModel[]): void {
  const budget = policies.disruptionBudget;
  if (!budget) return;
  const blocked = versions.find(v => v.replicas > 0 && allowedEvictions(budget, v.replicas) === 0);
  if (blocked) {
    fail(app, `disruptionBudget.${budget.field}`, `lets no pod of ${blocked.deploymentName} (${blocked.replicas} replicas) be evicted, `
      + 'so node drains wait forever', budget.value,
    `allow at least one eviction at ${blocked.replicas} replicas, e.g. DisruptionBudget.maxUnavailable(1)`);
  }
}

/**
 * How many of `replicas` pods the budget lets be evicted at once, rounding as Kubernetes does (up
 * for both fields). A string value is a percentage, such as `50%`.
 */
function allowedEvictions(budget: NonNullable<WorkloadPolicies['disruptionBudget']>, replicas: number): number {
  const pods = typeof budget.value === 'string' ? Math.ceil((parseFloat(budget.value) * replicas) / 100) : budget.value;
  return budget.field === 'minAvailable' ? Math.max(0, replicas - pods) : Math.min(replicas, pods);
}

/** A route with weight to a version without pods is a 503 for that share of the traffic. */
function checkRoutesHavePods(app: Construct, model: ReleaseModel): void {
  for (const route of model.routes) {
    const version = model.versions.find(v => v.subset === route.subset);
    if (version && route.weight > 0 && version.replicas === 0) {
      fail(app, `${version.id.toLowerCase()}.replicas`, `must be above 0 while ${route.weight}% of traffic goes to it`,
        version.replicas, 'scale the version up first, then route traffic to it');
    }
  }
}

/** A controller runs all of the app's pods at the replicas of the version it rolls out: none would leave the app without pods. */
function checkReleaseRuns(app: Construct, model: ReleaseModel): void {
  const release = releaseVersion(model);
  if (model.controller !== ReleaseController.NONE && release.replicas === 0) {
    fail(app, `${release.id.toLowerCase()}.replicas`, `must be above 0: controller ${model.controller} runs the app's pods at the replicas `
      + 'of the version it rolls out', release.replicas, 'use e.g. 2');
  }
}
