import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExtraServiceModel, ReleaseModel, serviceSelector, VersionModel, versionLabels, versionOf } from './model';
import type { RoutePolicy } from './routing';
import type { TrafficPolicy } from './traffic-policy';
import { isEnvName } from './names';
import { apiObjectsUnder } from './route-check';
import { checkEnum, fail } from './validate';

/**
 * The only module that imports cdk8s-plus: workloads for any renderer that needs them, so that a
 * move to a newer cdk8s-plus stays a one-file change.
 */

/** One version of an app: its image, its `version` label and its container settings. */
export interface VersionProps {
  /** The container image, e.g. `nginx:1.11`. */
  readonly image: string;

  /**
   * The `version` pod label, which the DestinationRule subset selects. It may contain dots
   * (`1.11`); object and subset names derived from it replace `.` and `_` with `-`.
   */
  readonly version: string;

  /**
   * Pod replicas of this version. 0 is allowed only while the version takes no traffic.
   * @default - the app's `replicas`
   */
  readonly replicas?: number;

  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];

  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];

  /**
   * CPU and memory requests and limits.
   * @default - cdk8s-plus's defaults: requests 1000m CPU and 512Mi, limits 1500m and 2048Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Readiness probe. Istio sends traffic only to ready pods, so give one that reflects readiness.
   * @default - none
   */
  readonly readiness?: kplus.Probe;

  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: kplus.Probe;

  /**
   * Startup probe.
   * @default - cdk8s-plus's TCP probe on the container port
   */
  readonly startup?: kplus.Probe;

  /**
   * Container security context.
   * @default - cdk8s-plus's secure defaults: non-root, read-only root filesystem, no privilege escalation
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Image pull policy.
   * @default kplus.ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Timeout, retries and fault injection on the routes that go to this version alone (tester
   * routes, sticky routes, the preview), over the app's `routePolicy`. Istio sets these per
   * route, so the weighted split can't carry it; a policy with no route to this version alone is
   * refused.
   * @default - the app's routePolicy
   */
  readonly routePolicy?: RoutePolicy;

  /**
   * The traffic policy of this version's DestinationRule subset.
   * @default - the app's trafficPolicy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Checks what the types can't stop a JavaScript caller from passing. */
export function checkWorkload(scope: Construct, field: string, props: VersionProps): void {
  if (props.imagePullPolicy !== undefined) checkEnum(scope, `${field}.imagePullPolicy`, props.imagePullPolicy, kplus.ImagePullPolicy);
  const badEnv = Object.keys(props.env ?? {}).find(name => !isEnvName(name));
  if (badEnv !== undefined) {
    fail(scope, `${field}.env`, 'must name variables with letters, digits, "_", "-" and ".", not starting with a digit', badEnv, 'e.g. "LOG_LEVEL"');
  }
}

/**
 * cdk8s-plus makes each workload as a wrapper construct over an ApiObject whose values resolve
 * lazily. cdk8s validates every construct of the app again for each chart it writes, so those
 * wrappers cost time in proportion to charts × constructs. The cdk8s-plus objects are therefore
 * built in a scratch chart that is never synthesized, and the release gets plain ApiObjects with
 * their JSON: the same YAML, about a third fewer constructs. See BENCHMARKS.md.
 */
let scratch: Chart | undefined;

/** The JSON of every object that `build` makes with cdk8s-plus, in the order it makes them. */
function plusObjects(build: (scope: Construct) => void): { [key: string]: any }[] {
  scratch ??= new Chart(new App(), 'scratch');
  const scope = new Construct(scratch, 'Build');
  try {
    build(scope);
    return apiObjectsUnder(scope).map(o => o.toJson());
  } finally {
    scratch.node.tryRemoveChild('Build');
  }
}

/** A plain ApiObject of the JSON; the chart fills in the namespace where the JSON has none, as it would have. */
function plainObject(scope: Construct, id: string, json: { [key: string]: any }): ApiObject {
  const { apiVersion, kind, metadata, ...rest } = json;
  return new ApiObject(scope, id, { apiVersion, kind, metadata, ...rest });
}

/** The ids of the objects a version's workload makes, in cdk8s-plus's order: the budget and autoscaler are its children. */
const POLICY_IDS: { readonly [kind: string]: string } = { PodDisruptionBudget: 'DisruptionBudget', HorizontalPodAutoscaler: 'Autoscaler' };

export function renderDeployment(scope: Construct, model: ReleaseModel, version: VersionModel): ApiObject {
  // An autoscaler needs pods to measure: a version scaled to 0 keeps its fixed count.
  const autoscaled = version.replicas > 0 && model.policies.autoscaling !== undefined;
  const [json, ...policies] = plusObjects(build => {
    // With an autoscaler the replicas are its minimum, and the Deployment leaves them out, so
    // that every apply does not reset what the autoscaler chose.
    const deployment = versionDeployment(build, model, version, autoscaled ? undefined : version.replicas);
    // One budget and autoscaler per version, because a release doubles the pods and each version
    // drains and scales on its own.
    renderPolicies(build, model, version.deploymentName, deployment, versionLabels(model, version), autoscaled ? version.replicas : undefined);
  });
  const deployment = plainObject(scope, version.id, json);
  for (const policy of policies) plainObject(deployment, POLICY_IDS[policy.kind], policy);
  return deployment;
}

/** A version's pod template exactly as its Deployment has it, for a controller that makes the pods itself (an Argo Rollout). */
export function renderPodTemplate(model: ReleaseModel, version: VersionModel): { [key: string]: unknown } {
  return plusObjects(build => versionDeployment(build, model, version, version.replicas))[0].spec.template;
}

/**
 * The budget and autoscaler of a workload that a controller defines, such as an Argo Rollout: over
 * every pod of the app, because the one workload runs every version's pods.
 */
export function renderControllerPolicies(workload: ApiObject, model: ReleaseModel, minReplicas: number | undefined): void {
  const target: kplus.IScalable = {
    hasAutoscaler: true,
    markHasAutoscaler: () => undefined,
    toScalingTarget: () => ({ apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name, containers: [] }),
  };
  const policies = plusObjects(build => renderPolicies(build, model, workload.name, target, model.selector, minReplicas));
  for (const policy of policies) plainObject(workload, POLICY_IDS[policy.kind], policy);
}

function versionDeployment(scope: Construct, model: ReleaseModel, version: VersionModel, replicas: number | undefined): kplus.Deployment {
  const labels = versionLabels(model, version);
  const spec = version.workload;
  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata: { name: version.deploymentName, namespace: model.namespace, labels },
    replicas,
    // Our own selector: cdk8s-plus's default would select its per-construct address label.
    select: false,
    podMetadata: { labels },
    containers: [{
      name: model.name,
      image: spec.image,
      portNumber: model.ports[0].targetPort,
      envVariables: spec.env,
      args: spec.args,
      command: spec.command,
      resources: spec.resources,
      readiness: spec.readiness,
      liveness: spec.liveness,
      startup: spec.startup,
      securityContext: spec.securityContext,
      imagePullPolicy: spec.imagePullPolicy,
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  const extraTargets = new Set(model.ports.slice(1).map(p => p.targetPort).filter(port => port !== model.ports[0].targetPort));
  for (const number of extraTargets) deployment.containers[0].addPort({ number });
  // cdk8s-plus labels pods with their construct path, which would change when a canary is
  // promoted to stable: the pod template would change and restart the very pods that take all
  // traffic.
  ApiObject.of(deployment).addJsonPatch(JsonPatch.remove(ADDRESS_LABEL_PATH));
  return deployment;
}

const ADDRESS_LABEL_PATH = '/spec/template/metadata/labels/cdk8s.io~1metadata.addr';

/** A budget over the pods with `labels` and, given `minReplicas`, an autoscaler of `target`, both named `name`. */
function renderPolicies(
  scope: Construct, model: ReleaseModel, name: string, target: kplus.IScalable, labels: { [key: string]: string }, minReplicas: number | undefined,
): void {
  const metadata = () => ({ name, namespace: model.namespace });
  const budget = model.policies.disruptionBudget;
  if (budget) {
    const value = typeof budget.value === 'number' ? kplus.k8s.IntOrString.fromNumber(budget.value) : kplus.k8s.IntOrString.fromString(budget.value);
    new kplus.k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
      metadata: metadata(),
      spec: { [budget.field]: value, selector: { matchLabels: labels } },
    });
  }
  const autoscaling = model.policies.autoscaling;
  if (autoscaling && minReplicas !== undefined) {
    new kplus.HorizontalPodAutoscaler(scope, 'Autoscaler', {
      metadata: metadata(),
      target,
      minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(autoscaling.cpuUtilization))],
    });
  }
}

export function renderService(scope: Construct, model: ReleaseModel): ApiObject {
  return service(scope, 'Service', model, model.name, serviceSelector(model));
}

/** A Service over every pod of the app, for a controller that narrows its selector itself (Argo Rollouts). */
export function renderAppService(scope: Construct, id: string, model: ReleaseModel, name: string): ApiObject {
  return service(scope, id, model, name, model.selector);
}

/** A Service over one version only, such as the preview Service over the idle colour. */
export function renderVersionService(scope: Construct, model: ReleaseModel, extra: ExtraServiceModel): ApiObject {
  const version = versionOf(model, extra.subset)!;
  return service(scope, extra.id, model, extra.name, versionLabels(model, version));
}

function service(scope: Construct, id: string, model: ReleaseModel, name: string, selector: { [key: string]: string }): ApiObject {
  const [json] = plusObjects(build => {
    const svc = new kplus.Service(build, 'Service', {
      metadata: { name, namespace: model.namespace, labels: model.selector },
      ports: model.ports.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
    });
    for (const [key, value] of Object.entries(selector)) svc.selectLabel(key, value);
  });
  return plainObject(scope, id, json);
}
