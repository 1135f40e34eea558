import type { VersionProps } from './workloads';

/**
 * The release model: what a release means, with no cdk8s types and no Istio YAML in it.
 * `BlueGreenApp` and `CanaryApp` fill it in; the renderers turn it into objects. A blue/green is a
 * split of 100/0 between two colours, a canary a split of 100-w/w between two versions.
 */

/** The application protocol of the service port, which also names it for Istio protocol selection. */
export enum Protocol {
  /** HTTP/1.1 (and HTTP/2 upgraded from it). */
  HTTP = 'http',
  /** HTTP/2 with prior knowledge (h2c). */
  HTTP2 = 'http2',
  /** gRPC. */
  GRPC = 'grpc',
}

/** The `networking.istio.io` API version that VirtualServices, DestinationRules and Gateways use. */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served by Istio 1.22 and later. */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1`, for meshes older than Istio 1.22. */
  V1BETA1 = 'v1beta1',
}

export interface PortModel {
  /** The Service port's name: the protocol, so that Istio classifies the traffic. */
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
}

export interface VersionModel {
  /** The fixed construct id of the version's workload ('Blue', 'Stable', …). */
  readonly id: string;
  /** The DestinationRule subset name. */
  readonly subset: string;
  /** The `version` pod label. */
  readonly version: string;
  readonly deploymentName: string;
  readonly replicas: number;
  /** The container settings, as the user gave them. */
  readonly workload: VersionProps;
}

export interface RouteModel {
  readonly subset: string;
  readonly weight: number;
}

export interface GatewayBinding {
  /** Gateway references, always `namespace/name`. */
  readonly gateways: readonly string[];
  /** The external hosts served through the gateways. */
  readonly hosts: readonly string[];
}

/** Per-version workload policies: a disruption budget and autoscaling, each for every version. */
export interface WorkloadPolicies {
  readonly disruptionBudget?: {
    readonly field: 'minAvailable' | 'maxUnavailable';
    /** A number of pods, or a percentage such as `50%`. */
    readonly value: number | string;
  };
  readonly autoscaling?: { readonly maxReplicas: number; readonly cpuUtilization: number };
}

export interface ReleaseModel {
  readonly name: string;
  /** Undefined when neither the app nor its chart sets one: the objects go where they are applied. */
  readonly namespace?: string;
  /** Labels on every pod of the app; the Service selects exactly these. */
  readonly selector: { readonly [key: string]: string };
  readonly port: PortModel;
  readonly versions: readonly VersionModel[];
  /** The weighted split, in the order the routes are written. */
  readonly routes: readonly RouteModel[];
  /**
   * The split is made by the Service selecting the one version that takes all traffic, instead of
   * by mesh subsets: no DestinationRule, and routes to the Service host alone.
   */
  readonly selectorRouting: boolean;
  readonly policies: WorkloadPolicies;
  readonly binding?: GatewayBinding;
  readonly istioApiVersion: IstioApiVersion;
}

/** Pod labels of one version: the app's selector plus `version`, as Istio's docs and Kiali expect. */
export function versionLabels(model: ReleaseModel, version: VersionModel): { [key: string]: string } {
  return { ...model.selector, version: version.version };
}

/** What the Service selects: every version, or with selector routing the one that takes all traffic. */
export function serviceSelector(model: ReleaseModel): { [key: string]: string } {
  const active = model.selectorRouting ? model.routes.find(r => r.weight > 0) : undefined;
  const version = active && model.versions.find(v => v.subset === active.subset);
  return version ? versionLabels(model, version) : { ...model.selector };
}
