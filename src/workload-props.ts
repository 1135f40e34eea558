import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { RoutePolicy } from './routing';
import type { TrafficPolicy } from './traffic-policy';

/**
 * The props of an app's pods, in cdk8s-plus-27's own types. `workloads.ts` checks and renders them;
 * this module only declares them, so that the constructs' props read in one place.
 */

/**
 * What each version of an app may set over the app's own: the main container, the pod's volumes
 * and its metadata. The app sets them for every version; a version's own value replaces the app's,
 * except `env`, `podLabels` and `podAnnotations`, which are merged name by name, `lifecycle`, merged
 * hook by hook, and `volumes`, where a version's volume replaces the app's volume of the same name.
 */
export interface WorkloadOptions {
  /**
   * Environment variables of the main container, merged name by name: a version's value wins.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * Variables taken from whole ConfigMaps or Secrets, e.g. `kplus.Env.fromSecret(secret)`.
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];

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
   * The main container's working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;

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
   * Where the main container mounts volumes. A mount names its volume, which must be one of
   * `volumes` (the app's or the version's): a version that replaces a volume gets its own under
   * the same mount.
   * @default - none
   */
  readonly volumeMounts?: kplus.VolumeMount[];

  /**
   * The main container's postStart and preStop hooks, merged hook by hook: a version's postStart
   * keeps the app's preStop. A preStop hook of your own replaces the pause of `shutdownDelay`.
   * @default - a preStop pause of `shutdownDelay`
   */
  readonly lifecycle?: kplus.ContainerLifecycle;

  /**
   * Container ports besides the ones the Service routes to, such as a metrics or admin port.
   * @default - none
   */
  readonly extraContainerPorts?: kplus.ContainerPort[];

  /**
   * Pod volumes, for the mounts of any container: `kplus.Volume.fromConfigMap(…)`,
   * `fromSecret`, `fromEmptyDir`, `fromPersistentVolumeClaim` … A version's volume replaces the
   * app's volume of the same name.
   * @default - none
   */
  readonly volumes?: kplus.Volume[];

  /**
   * Labels on the pods, merged name by name. `app` and `version` are the release's own and can't
   * be set here.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Annotations on the pods, merged name by name, e.g. `sidecar.istio.io/proxyCPU` or
   * `proxy.istio.io/config`.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}

/** One version of an app: its image, its `version` label and what it sets over the app's pod settings. */
export interface VersionProps extends WorkloadOptions {
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

/** What the scheduler does with a pod that a topology spread can't place evenly. */
export enum WhenUnsatisfiable {
  /** Place it anyway, on the domain that skews least: a release that doubles the pods never waits. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /** Leave it pending until the spread allows it. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** Spreads each version's pods evenly over a topology, such as zones. */
export interface TopologySpread {
  /** The domains to spread over, e.g. `kplus.Topology.ZONE`. */
  readonly topology: kplus.Topology;

  /**
   * How many more of a version's pods one domain may hold than another.
   * @default 1
   */
  readonly maxSkew?: number;

  /**
   * What to do with a pod that can't be placed within `maxSkew`.
   * @default WhenUnsatisfiable.SCHEDULE_ANYWAY
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
}

/** Nodes the pods are drawn to, as cdk8s-plus's `scheduling.attract` takes them. */
export interface NodeAffinity {
  /** The nodes, by their labels: `kplus.Node.labeled(kplus.NodeLabelQuery.is('disktype', 'ssd'))`. */
  readonly node: kplus.LabeledNode;

  /**
   * A preference of this weight, 1 to 100, rather than a requirement.
   * @default - required: the pods run on such nodes only
   */
  readonly weight?: number;
}

/** Settings of every pod of an app, for all its versions alike. */
export interface PodOptions {
  /**
   * An existing ServiceAccount the pods run as, e.g. `kplus.ServiceAccount.fromServiceAccountName(…)`.
   * @default - the namespace's `default`, unless `createServiceAccount`
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Emits a ServiceAccount named after the app, ahead of the workloads, and runs the pods as it.
   * @default false
   */
  readonly createServiceAccount?: boolean;

  /**
   * Mounts the ServiceAccount's API token into the pods. Istio's proxy has a token of its own.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * Containers that run to completion before the main one starts, such as one that waits for a
   * database, with cdk8s-plus's secure defaults. Each needs a name.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];

  /**
   * Containers beside the main one, such as a log shipper, with cdk8s-plus's secure defaults.
   * Each needs a name.
   * @default - none
   */
  readonly sidecars?: kplus.ContainerProps[];

  /**
   * Node labels the pods require, as `nodeSelector`.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Nodes the pods are drawn to, required or preferred.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinity[];

  /**
   * Node taints the pods tolerate: `kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'shop'))`.
   * @default - none
   */
  readonly tolerations?: kplus.TaintedNode[];

  /**
   * How each version's pods are spread over nodes, zones or regions.
   * @default - the scheduler's own defaults
   */
  readonly topologySpread?: TopologySpread[];

  /**
   * The PriorityClass of the pods.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * Secrets with the registry credentials to pull the images.
   * @default - none
   */
  readonly imagePullSecrets?: kplus.ISecret[];

  /**
   * The pod's security context.
   * @default - cdk8s-plus's: runAsNonRoot, fsGroupChangePolicy Always
   */
  readonly podSecurityContext?: kplus.PodSecurityContextProps;

  /**
   * How long a stopping pod has, from the preStop hook on, before it is killed. It must be longer
   * than `shutdownDelay`, so that the app has time to finish its requests after the pause.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * How long the main container goes on serving after its pod is told to stop, as a preStop
   * `sleep`, so that every proxy in the mesh has stopped sending it requests before it shuts down.
   * Istio's proxy (a native sidecar since Istio 1.27) stops after the main container. 0 adds no
   * pause; a `lifecycle.preStop` of your own replaces it. Kubernetes runs the `sleep` action by
   * default from 1.30 on.
   * @default Duration.seconds(5)
   */
  readonly shutdownDelay?: Duration;

  /**
   * Entries of the pods' `/etc/hosts`.
   * @default - none
   */
  readonly hostAliases?: kplus.HostAlias[];

  /**
   * The pods' DNS settings.
   * @default - cdk8s-plus's: policy ClusterFirst
   */
  readonly dns?: kplus.PodDnsProps;
}
