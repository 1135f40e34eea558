import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExtraServiceModel, ReleaseModel, serviceSelector, VersionModel, versionLabels, WorkloadPolicies } from './model';
import type { RoutePolicy } from './routing';
import type { TrafficPolicy } from './traffic-policy';

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
   * routes, sticky routes), over the app's `routePolicy`.
   * @default - the app's routePolicy
   */
  readonly routePolicy?: RoutePolicy;

  /**
   * The traffic policy of this version's DestinationRule subset.
   * @default - the app's trafficPolicy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** cdk8s-plus labels pods with their construct path; see renderDeployment for why we drop it. */
const ADDRESS_LABEL_PATH = '/spec/template/metadata/labels/cdk8s.io~1metadata.addr';

export function renderDeployment(scope: Construct, model: ReleaseModel, version: VersionModel): ApiObject {
  const labels = versionLabels(model, version);
  const spec = version.workload;
  // An autoscaler needs pods to measure: a version scaled to 0 keeps its fixed count.
  const autoscaling = version.replicas > 0 ? model.policies.autoscaling : undefined;
  const deployment = new kplus.Deployment(scope, version.id, {
    metadata: { name: version.deploymentName, namespace: model.namespace, labels },
    // With an autoscaler the replicas are its minimum, and the Deployment leaves them out, so
    // that every apply does not reset what the autoscaler chose.
    replicas: autoscaling ? undefined : version.replicas,
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
  const resource = ApiObject.of(deployment);
  // The address label is derived from the construct path, which changes when a canary is promoted
  // to stable: the pod template would change and restart the very pods that take all traffic.
  resource.addJsonPatch(JsonPatch.remove(ADDRESS_LABEL_PATH));
  renderDisruptionBudget(deployment, model.policies, labels);
  if (autoscaling) {
    new kplus.HorizontalPodAutoscaler(deployment, 'Autoscaler', {
      metadata: { name: version.deploymentName, namespace: model.namespace },
      target: deployment,
      minReplicas: version.replicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(autoscaling.cpuUtilization))],
    });
  }
  return resource;
}

/** One budget per version, because a release doubles the pods and each version drains on its own. */
function renderDisruptionBudget(deployment: kplus.Deployment, policies: WorkloadPolicies, labels: { [key: string]: string }): void {
  const budget = policies.disruptionBudget;
  if (!budget) return;
  const value = typeof budget.value === 'number' ? kplus.k8s.IntOrString.fromNumber(budget.value) : kplus.k8s.IntOrString.fromString(budget.value);
  new kplus.k8s.KubePodDisruptionBudget(deployment, 'DisruptionBudget', {
    metadata: { name: deployment.name, namespace: deployment.metadata.namespace },
    spec: { [budget.field]: value, selector: { matchLabels: labels } },
  });
}

export function renderService(scope: Construct, model: ReleaseModel): ApiObject {
  return service(scope, 'Service', model, model.name, serviceSelector(model));
}

/** A Service over one version only, such as the preview Service over the idle colour. */
export function renderVersionService(scope: Construct, model: ReleaseModel, extra: ExtraServiceModel): ApiObject {
  const version = model.versions.find(v => v.subset === extra.subset)!;
  return service(scope, extra.id, model, extra.name, versionLabels(model, version));
}

function service(scope: Construct, id: string, model: ReleaseModel, name: string, selector: { [key: string]: string }): ApiObject {
  const svc = new kplus.Service(scope, id, {
    metadata: { name, namespace: model.namespace, labels: model.selector },
    ports: model.ports.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
  });
  for (const [key, value] of Object.entries(selector)) svc.selectLabel(key, value);
  return ApiObject.of(svc);
}
