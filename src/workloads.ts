import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExtraServiceModel, PodModel, ReleaseModel, serviceSelector, VersionModel, versionLabels, versionOf } from './model';
import { apiObjectsUnder } from './route-check';
import { prune } from './traffic-policy';
import { fail } from './validate';
import { spreadConstraint } from './workload-checks';
import { PodOptions, WorkloadOptions } from './workload-props';

/**
 * Workloads for any renderer that needs them, built with cdk8s-plus: with the props in
 * workload-props.ts and their checks in workload-checks.ts, the only modules that use it, so that
 * a move to a newer cdk8s-plus stays in three files.
 */

type Json = { [key: string]: any };

/**
 * cdk8s-plus makes each workload as a wrapper construct over an ApiObject whose values resolve
 * lazily. cdk8s validates every construct of the app again for each chart it writes, so those
 * wrappers cost time in proportion to charts × constructs. The cdk8s-plus objects are therefore
 * built in a scratch chart that is never synthesized, and the release gets plain ApiObjects with
 * their JSON: the same YAML, about a third fewer constructs. See BENCHMARKS.md.
 */
let scratch: Chart | undefined;

/** What `build` returns, with whatever it made in the scratch chart removed again. */
function inScratch<T>(build: (scope: Construct) => T): T {
  scratch ??= new Chart(new App(), 'scratch');
  const scope = new Construct(scratch, 'Build');
  try {
    return build(scope);
  } finally {
    scratch.node.tryRemoveChild('Build');
  }
}

/** The JSON of every object that `build` makes with cdk8s-plus, in the order it makes them. */
function plusObjects(build: (scope: Construct) => void): { [key: string]: any }[] {
  return inScratch(scope => {
    build(scope);
    return apiObjectsUnder(scope).map(o => o.toJson());
  });
}

/** A plain ApiObject of the JSON; the chart fills in the namespace where the JSON has none, as it would have. */
function plainObject(scope: Construct, id: string, json: { [key: string]: any }): ApiObject {
  const { apiVersion, kind, metadata, ...rest } = json;
  return new ApiObject(scope, id, { apiVersion, kind, metadata, ...rest });
}

export function renderDeployment(scope: Construct, model: ReleaseModel, version: VersionModel): ApiObject {
  // An autoscaler needs pods to measure: a version scaled to 0 keeps its fixed count.
  const autoscaled = version.replicas > 0 && model.policies.autoscaling !== undefined;
  // With an autoscaler the replicas are its minimum, and the Deployment leaves them out, so that
  // every apply does not reset what the autoscaler chose.
  const deployment = plainObject(scope, version.id, versionDeployment(scope, model, version, autoscaled ? undefined : version.replicas));
  // One budget and autoscaler per version, because a release doubles the pods and each version
  // drains and scales on its own.
  renderPolicies(deployment, model, versionLabels(model, version), autoscaled ? version.replicas : undefined);
  return deployment;
}

/** A version's pod template exactly as its Deployment has it, for a controller that makes the pods itself (an Argo Rollout). */
export function renderPodTemplate(scope: Construct, model: ReleaseModel, version: VersionModel): { [key: string]: unknown } {
  return versionDeployment(scope, model, version, version.replicas).spec.template;
}

/**
 * The budget and autoscaler of a workload that a controller defines, such as an Argo Rollout: over
 * every pod of the app, because the one workload runs every version's pods.
 */
export function renderControllerPolicies(workload: ApiObject, model: ReleaseModel, minReplicas: number | undefined): void {
  renderPolicies(workload, model, model.selector, minReplicas);
}

/** The ServiceAccount the app's pods run as, with `createServiceAccount`: written as cdk8s-plus writes one. */
export function renderServiceAccount(scope: Construct, model: ReleaseModel): ApiObject | undefined {
  if (!model.pod.createServiceAccount) return undefined;
  return plainObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: model.pod.serviceAccountName, namespace: model.namespace, labels: { ...model.selector } },
    automountServiceAccountToken: model.pod.options.automountServiceAccountToken ?? false,
  });
}

/**
 * The spec of the app's Deployment as cdk8s-plus builds it from the app's pod settings, once per app: every
 * version, and a controller's template, derives from it, replacing only the main container, the
 * volumes and the labels. Building a cdk8s-plus Deployment per version would cost as much again.
 * Apps with none of the settings it is built from share one per grace period.
 */
const appDeployments = new WeakMap<PodModel, Json>();
const plainDeployments = new Map<number, Json>();

/**
 * The settings the template is built from, besides the grace period; the others are each
 * version's. `buildAppDeployment` reads these alone, so that an app without any of them can share
 * a template: the type keeps the two in step.
 */
const TEMPLATE_SETTINGS = [
  'serviceAccount', 'createServiceAccount', 'automountServiceAccountToken', 'initContainers', 'sidecars', 'nodeSelector', 'nodeAffinity',
  'tolerations', 'priorityClassName', 'imagePullSecrets', 'podSecurityContext', 'hostAliases', 'dns',
] as const;

type TemplateSettings = Pick<PodOptions, typeof TEMPLATE_SETTINGS[number]>;

function appDeployment(model: ReleaseModel): Json {
  const settings: TemplateSettings = Object.fromEntries(TEMPLATE_SETTINGS.map(key => [key, model.pod.options[key]]));
  const build = () => buildAppDeployment(settings, model.pod);
  return TEMPLATE_SETTINGS.some(key => settings[key] !== undefined)
    ? cached(appDeployments, model.pod, build)
    : cached(plainDeployments, model.pod.terminationGracePeriodSeconds, build);
}

/** The value of `key` in `cache`, made the first time it is asked for. */
function cached<K, V>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, make: () => V): V {
  const found = cache.get(key);
  if (found !== undefined) return found;
  const made = make();
  cache.set(key, made);
  return made;
}

/** The spec of the app's Deployment; its own `_toKube`, without the resolution an ApiObject's JSON costs. */
function buildAppDeployment(options: TemplateSettings, pod: Pick<PodModel, 'serviceAccountName' | 'terminationGracePeriodSeconds'>): Json {
  const mounting = sameVolumePerName();
  const spec: Json = inScratch(build => {
    const deployment = new kplus.Deployment(build, 'Deployment', {
      // Our own selector and labels per version: cdk8s-plus's would select its per-construct address label.
      select: false,
      // The main container is each version's own; this one only holds its place.
      containers: [{ name: 'main', image: 'version' }, ...(options.sidecars ?? []).map(mounting)],
      initContainers: options.initContainers?.map(mounting),
      automountServiceAccountToken: options.automountServiceAccountToken,
      securityContext: options.podSecurityContext,
      hostAliases: options.hostAliases,
      dns: options.dns,
      terminationGracePeriod: Duration.seconds(pod.terminationGracePeriodSeconds),
    });
    for (const affinity of options.nodeAffinity ?? []) deployment.scheduling.attract(affinity.node, { weight: affinity.weight });
    for (const node of options.tolerations ?? []) deployment.scheduling.tolerate(node);
    return kplus.k8s.toJson_DeploymentSpec(deployment._toKube())!;
  });
  // What cdk8s-plus-27 has no props for; and the ServiceAccount, which cdk8s-plus would take as a
  // construct of its own, for its name alone.
  Object.assign(spec.template.spec, prune({
    serviceAccountName: pod.serviceAccountName,
    // A plain copy: cdk8s can't serialize an object without a prototype, which a caller may pass.
    nodeSelector: options.nodeSelector && { ...options.nodeSelector },
    priorityClassName: options.priorityClassName,
    // cdk8s-plus takes one registry Secret; a pod may have several.
    imagePullSecrets: options.imagePullSecrets?.map(secret => ({ name: secret.name })),
  }));
  return spec;
}

/**
 * Mounts name their volume, and the pod's volumes are each version's (set per version), so every
 * mount of a name uses one volume here: cdk8s-plus refuses two volumes of one name.
 */
function sameVolumePerName(): (container: kplus.ContainerProps) => kplus.ContainerProps {
  const byName = new Map<string, kplus.Volume>();
  const one = (volume: kplus.Volume) => byName.get(volume.name) ?? byName.set(volume.name, volume).get(volume.name)!;
  return container => ({ ...container, volumeMounts: container.volumeMounts?.map(mount => ({ ...mount, volume: one(mount.volume) })) });
}

/** One version's Deployment: the app's, with the version's main container, volumes and labels. */
function versionDeployment(scope: Construct, model: ReleaseModel, version: VersionModel, replicas: number | undefined): Json {
  const base = byPlus(scope, () => appDeployment(model));
  const labels = versionLabels(model, version);
  const app = model.pod.options;
  const own = version.workload;
  const pod = base.template.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: version.deploymentName, namespace: model.namespace, labels },
    spec: {
      ...base,
      replicas,
      selector: { matchLabels: labels },
      template: {
        // The release's labels last: no setting may change what the Service and subsets select.
        metadata: prune({ labels: { ...app.podLabels, ...own.podLabels, ...dataPlaneLabels(model), ...labels }, annotations: prune({ ...app.podAnnotations, ...own.podAnnotations }) }),
        spec: prune({
          ...pod,
          containers: [byPlus(scope, () => mainContainer(model, version)), ...pod.containers.slice(1)],
          volumes: podVolumes(app, own),
          topologySpreadConstraints: app.topologySpread?.map(spread => ({ ...spreadConstraint(spread), labelSelector: { matchLabels: labels } })),
        }),
      },
    },
  };
}

/**
 * What cdk8s-plus builds, with its refusals of what the checks before it do not look into (say a
 * security context whose capabilities are not a list) given the construct path, as every refusal has.
 */
function byPlus<T>(scope: Construct, build: () => T): T {
  try {
    return build();
  } catch (error) {
    return fail(scope, 'the pod settings', 'are refused by cdk8s-plus', error instanceof Error ? error.message : error, 'change the prop the message names');
  }
}

/** The version's main container: its own settings over the app's, as cdk8s-plus writes a container. */
function mainContainer(model: ReleaseModel, version: VersionModel): Json {
  const app = model.pod.options;
  const own = version.workload;
  const setting = <K extends keyof WorkloadOptions>(key: K): WorkloadOptions[K] => own[key] ?? app[key];
  // Hook by hook: a version's postStart keeps the app's preStop.
  const lifecycle = prune({ ...app.lifecycle, ...own.lifecycle });
  const primary = model.ports[0].targetPort;
  const serviced = [...new Set(model.ports.slice(1).map(p => p.targetPort).filter(port => port !== primary))];
  const container = new kplus.Container({
    name: model.name,
    image: own.image,
    portNumber: primary,
    ports: [...serviced.map(number => ({ number })), ...setting('extraContainerPorts') ?? []],
    envVariables: { ...app.env, ...own.env },
    envFrom: setting('envFrom'),
    args: setting('args'),
    command: setting('command'),
    workingDir: setting('workingDir'),
    resources: setting('resources'),
    readiness: setting('readiness'),
    liveness: setting('liveness'),
    startup: setting('startup'),
    securityContext: setting('securityContext'),
    imagePullPolicy: setting('imagePullPolicy'),
    volumeMounts: setting('volumeMounts'),
    lifecycle,
  });
  // Plain values throughout; the undefined fields go when the ApiObject is written.
  const json: Json = kplus.k8s.toJson_Container(container._toKube())!;
  const seconds = model.pod.shutdownDelaySeconds;
  // Kubernetes' own sleep action, on by default since Kubernetes 1.30, so that images without a
  // shell get the pause too.
  if (seconds > 0 && !lifecycle?.preStop) json.lifecycle = { ...json.lifecycle, preStop: { sleep: { seconds } } };
  return json;
}

/** The app's volumes, each replaced by the version's volume of the same name, then the version's others. */
function podVolumes(app: WorkloadOptions, own: WorkloadOptions): Json[] | undefined {
  const byName = new Map<string, kplus.Volume>();
  for (const volume of [...app.volumes ?? [], ...own.volumes ?? []]) byName.set(volume.name, volume);
  return byName.size === 0 ? undefined : [...byName.values()].map(volume => kplus.k8s.toJson_Volume(volume._toKube())!);
}

/**
 * A budget over the pods with `labels` and, given `minReplicas`, an autoscaler of `workload`, both
 * named after it and its children.
 */
function renderPolicies(workload: ApiObject, model: ReleaseModel, labels: { [key: string]: string }, minReplicas: number | undefined): void {
  const metadata = { name: workload.name, namespace: model.namespace };
  const budget = model.policies.disruptionBudget;
  if (budget) {
    plainObject(workload, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { [budget.field]: budget.value, selector: { matchLabels: { ...labels } } },
    });
  }
  const autoscaling = model.policies.autoscaling;
  if (autoscaling && minReplicas !== undefined) {
    const spec = autoscalerSpec(minReplicas, autoscaling.maxReplicas, autoscaling.cpuUtilization);
    plainObject(workload, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: { ...spec, scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name } },
    });
  }
}

/**
 * cdk8s-plus's autoscaler spec, with its scaling behaviour, for one range and target; built once
 * for each, as apps mostly share a few, and a cdk8s-plus autoscaler is a construct of its own.
 */
const autoscalerSpecs = new Map<string, Json>();

function autoscalerSpec(minReplicas: number, maxReplicas: number, cpuUtilization: number): Json {
  // The target is named per autoscaler; here it only has to be something cdk8s-plus can scale.
  const target: kplus.IScalable = {
    hasAutoscaler: true,
    markHasAutoscaler: () => undefined,
    toScalingTarget: () => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'target', containers: [] }),
  };
  return cached(autoscalerSpecs, `${minReplicas} ${maxReplicas} ${cpuUtilization}`, () => plusObjects(build => new kplus.HorizontalPodAutoscaler(build, 'Autoscaler', {
    target,
    minReplicas,
    maxReplicas,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(cpuUtilization))],
  }))[0].spec);
}

export function renderService(scope: Construct, model: ReleaseModel): ApiObject {
  return service(scope, 'Service', model, model.name, serviceSelector(model), waypointLabels(model));
}

/**
 * In ambient mode the pods join the mesh by label, with no sidecar, even in a namespace that
 * injects them: a pod with a sidecar is left out of ambient.
 */
function dataPlaneLabels(model: ReleaseModel): { [key: string]: string } {
  return model.ambient ? { 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'false' } : {};
}

/** The app's Service, which the mesh HTTPRoutes attach to, enrolled with the waypoint that applies them. */
export function waypointLabels(model: ReleaseModel): { [key: string]: string } {
  const ambient = model.ambient;
  if (!ambient) return {};
  const elsewhere = ambient.waypointNamespace !== model.namespace;
  return { 'istio.io/use-waypoint': ambient.waypoint, ...elsewhere ? { 'istio.io/use-waypoint-namespace': ambient.waypointNamespace } : {} };
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

/**
 * A Service as cdk8s-plus writes one, written here: a cdk8s-plus Service costs a construct per
 * Service, as much as the rest of the Service's work, for four fields.
 */
function service(scope: Construct, id: string, model: ReleaseModel, name: string, selector: { [key: string]: string },
  labels: { [key: string]: string } = {}): ApiObject {
  return plainObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: model.namespace, labels: { ...model.selector, ...labels } },
    spec: {
      externalIPs: [],
      ports: model.ports.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
      selector: { ...selector },
      type: 'ClusterIP',
    },
  });
}
