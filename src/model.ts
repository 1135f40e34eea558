import type { ArgoRouting, FlaggerWebhookType, ReleaseController, TrafficApi } from './plan';
import type { MatchSpec } from './routing';
import type { PodOptions, VersionProps, WorkloadOptions } from './workload-props';

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
  /** Opaque TCP: routed by weight under `tcp:`, without HTTP features. */
  TCP = 'tcp',
}

/** Protocols that Istio routes with `http:` routes. */
export function isHttpProtocol(protocol: Protocol): boolean {
  return protocol !== Protocol.TCP;
}

/** Whether any port speaks HTTP: tester routes, mirroring, route policies, sticky sessions and previews need one. */
export function hasHttpPort(ports: readonly { readonly protocol: Protocol }[]): boolean {
  return ports.some(p => isHttpProtocol(p.protocol));
}

/** The `networking.istio.io` API version that VirtualServices, DestinationRules and Gateways use. */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served by Istio 1.22 and later. */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1`, for meshes older than Istio 1.22. */
  V1BETA1 = 'v1beta1',
}

/** A Service port of an app, resolved. */
export interface AppPort {
  /** The Service port's name: the protocol, or `<protocol>-<suffix>`, so that Istio classifies the traffic. */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /** The port the container listens on. */
  readonly targetPort: number;
  /** The protocol, which the name starts with. */
  readonly protocol: Protocol;
}

/** The pod settings of every version, resolved once for the app; the versions derive their pods from them. */
export interface PodModel {
  /** The app's settings as given, in cdk8s-plus's types. */
  readonly options: PodOptions & WorkloadOptions;
  /** The ServiceAccount the pods run as; undefined for the namespace's `default`. */
  readonly serviceAccountName?: string;
  /** Whether the app emits that ServiceAccount. */
  readonly createServiceAccount: boolean;
  /** The main container's preStop pause; 0 for none. */
  readonly shutdownDelaySeconds: number;
  readonly terminationGracePeriodSeconds: number;
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
  /** The version's settings, as the user gave them; the app's pod settings apply under them. */
  readonly workload: VersionProps;
  /**
   * The version's own `timeout`/`retries`/`fault`, without the app's: for the routes that go to
   * this version alone, over the app's policy (`routePolicyOf`).
   */
  readonly routePolicy?: HttpPolicySpec;
  /** Istio's `trafficPolicy` for this version's subset. */
  readonly trafficPolicy?: { readonly [key: string]: unknown };
}

/** Istio's `timeout`, `retries` and `fault` of an HTTP route, as plain JSON. */
export interface HttpPolicySpec {
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly fault?: {
    readonly delay?: { readonly fixedDelay?: string; readonly percentage?: Percentage };
    readonly abort?: { readonly httpStatus?: number; readonly percentage?: Percentage };
  };
}

/** Istio's `Percent`: a double from 0 to 100. */
export interface Percentage {
  readonly value: number;
}

/** A route ahead of the weighted split: matching requests go to one version, or to another host. */
export interface MatchRouteModel {
  readonly name: string;
  readonly match: MatchSpec;
  /** The subset, for routes to one version of the app's Service. */
  readonly subset?: string;
  /** A Service other than the app's (the preview Service), by name. */
  readonly service?: string;
}

/** A Service over one version besides the app's own, such as `<name>-preview` over the idle colour. */
export interface ExtraServiceModel {
  /** The fixed construct id of the Service ('PreviewService'). */
  readonly id: string;
  readonly name: string;
  readonly subset: string;
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

/** The kind of release, which the controllers' renderers map onto their strategies. */
export enum Strategy {
  CANARY = 'canary',
  BLUE_GREEN = 'blue-green',
}

/** Metric checks, resolved: Istio's standard metrics against thresholds. */
export interface AnalysisModel {
  readonly intervalSeconds: number;
  readonly minSuccessRate: number;
  readonly maxRequestDurationMs: number;
  readonly failureLimit: number;
  readonly prometheusAddress: string;
  readonly loadTestCommand?: string;
  /** How long Flagger waits for the load tester to take the command. */
  readonly loadTestTimeoutSeconds: number;
  /** The user's own checks. */
  readonly metrics: readonly MetricModel[];
}

/** A check of the user's: a PromQL query with placeholders, and the answers that pass. */
export interface MetricModel {
  readonly name: string;
  readonly query: string;
  readonly min?: number;
  readonly max?: number;
}

/** A webhook of Flagger's, resolved. */
export interface WebhookModel {
  /** The props field that declared it, for errors. */
  readonly field: string;
  readonly name: string;
  readonly type: FlaggerWebhookType;
  readonly url: string;
  /** Undefined: Flagger's default. */
  readonly timeoutSeconds?: number;
  readonly metadata?: { readonly [key: string]: string };
}

/** What only Flagger carries out. */
export interface FlaggerPlanModel {
  readonly webhooks?: readonly WebhookModel[];
  /** Undefined: Flagger's load tester in the app's namespace. */
  readonly loadTesterUrl?: string;
  readonly progressDeadlineSeconds?: number;
  readonly primaryReadyThreshold?: number;
  readonly canaryReadyThreshold?: number;
  readonly stepWeightPromotion?: number;
  readonly alerts?: readonly AlertModel[];
}

/** An alert of Flagger's, resolved. */
export interface AlertModel {
  readonly name: string;
  readonly severity: string;
  readonly provider: string;
  readonly providerNamespace?: string;
}

/** Canary steps of one size: Flagger's stepWeight and maxWeight. */
export interface LinearModel {
  readonly stepWeight: number;
  readonly maxWeight: number;
}

/** What a controller in the cluster runs. */
export interface ControllerPlanModel {
  /** Canary weights per step, empty for blue/green. */
  readonly steps: readonly number[];
  /** Undefined: wait for a manual promotion (Argo) or for the analysis (Flagger). */
  readonly pauseSeconds?: number;
  readonly autoPromotion: boolean;
  /** Undefined where the plan leaves it out: Argo's default of 30 seconds, or none during a post-promotion analysis. */
  readonly scaleDownDelaySeconds?: number;
  readonly iterations: number;
  readonly analysis?: AnalysisModel;
  readonly argoRouting: ArgoRouting;
  /** Steps of one size, which `steps` lists one by one; Flagger takes them as stepWeight and maxWeight. */
  readonly linear?: LinearModel;
  /** Undefined when the plan asks nothing of Flagger alone. */
  readonly flagger?: FlaggerPlanModel;
  /** Undefined when the plan asks nothing of Argo Rollouts alone. */
  readonly argo?: ArgoPlanModel;
}

/** Labels and annotations a controller puts on the pods of one role. */
export interface PodRoleModel {
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
}

/** How a step is held: for `seconds`, while the analysis runs `checks` times, or, with neither, until promoted. */
export interface PauseModel {
  readonly seconds?: number;
  readonly checks?: number;
}

/** What only Argo Rollouts carries out; undefined where left to Argo's defaults. */
export interface ArgoPlanModel {
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  /** A preference of this weight, or a requirement where the weight is undefined. */
  readonly antiAffinity?: { readonly weight?: number };
  readonly newVersionPods?: PodRoleModel;
  readonly servingVersionPods?: PodRoleModel;
  readonly abortScaleDownDelaySeconds?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly dynamicStableScale: boolean;
  /** Tester routes as Argo's setHeaderRoute steps rather than routes of the VirtualService. */
  readonly managedTesterRoutes: boolean;
  /** Per step below 100 (the mirror's first). */
  readonly pauses?: readonly PauseModel[];
  /** Argo's setCanaryScale until the last step: a count of pods, or a weight, a share of the replicas. */
  readonly canaryScale?: { readonly replicas?: number; readonly weight?: number };
  readonly previewReplicas?: number;
  readonly autoPromotionSeconds?: number;
  readonly postPromotionAnalysis: boolean;
  /** The user's own AnalysisTemplates, run beside the plan's. */
  readonly analysisTemplates: readonly { readonly templateName: string; readonly clusterScope: boolean }[];
}

export interface ReleaseModel {
  readonly name: string;
  /** Undefined when neither the app nor its chart sets one: the objects go where they are applied. */
  readonly namespace?: string;
  /** Labels on every pod of the app; the Service selects exactly these. */
  readonly selector: { readonly [key: string]: string };
  /** The Service ports; the first is the primary one, which gateways route to. */
  readonly ports: readonly AppPort[];
  readonly versions: readonly VersionModel[];
  /** The weighted split, in the order the routes are written. */
  readonly routes: readonly RouteModel[];
  /**
   * The split is made by the Service selecting the one version that takes all traffic, instead of
   * by mesh subsets: no DestinationRule, and routes to the Service host alone.
   */
  readonly selectorRouting: boolean;
  readonly policies: WorkloadPolicies;
  /** The pod settings every version starts from. */
  readonly pod: PodModel;
  /** Routes ahead of the weighted one, in order: preview, testers. */
  readonly matchRoutes: readonly MatchRouteModel[];
  /** Shadow traffic from the weighted route to one version. */
  readonly mirror?: { readonly subset: string; readonly percentage: number };
  /** Istio's route policy for every route. */
  readonly routePolicy?: HttpPolicySpec;
  /** Istio's `trafficPolicy` for the whole host. */
  readonly trafficPolicy?: { readonly [key: string]: unknown };
  /** A response cookie names the version a user got, and routes ahead of the split honour it. */
  readonly sticky?: { readonly cookieName: string; readonly maxAgeSeconds: number };
  /** A STRICT PeerAuthentication for the app's pods. */
  readonly mtls: boolean;
  readonly extraServices: readonly ExtraServiceModel[];
  readonly binding?: GatewayBinding;
  readonly istioApiVersion: IstioApiVersion;
  readonly strategy: Strategy;
  readonly controller: ReleaseController;
  readonly trafficApi: TrafficApi;
  /** With the ambient data plane, the waypoint that applies the routes; undefined with sidecars. */
  readonly ambient?: AmbientModel;
  /** What a controller runs; undefined without one. */
  readonly plan?: ControllerPlanModel;
  /**
   * The subset of the version a controller rolls out (the canary, or the active colour): its
   * workload becomes the Rollout's or the Deployment's template.
   */
  readonly release: string;
}

/** The waypoint an ambient app's Service is enrolled with. */
export interface AmbientModel {
  readonly waypoint: string;
  readonly waypointNamespace: string;
}

/** The annotation in which a canary Git walks names its versions' roles (render/istio.ts), which the diagrams read. */
export const ROLES_ANNOTATION = 'cdk8s-istio-release/roles';

/** Pod labels of one version: the app's selector plus `version`, as Istio's docs and Kiali expect. */
export function versionLabels(model: ReleaseModel, version: VersionModel): { [key: string]: string } {
  return { ...model.selector, version: version.version };
}

/**
 * The subset of the one version a match route reaches: its own, or the one its Service (the
 * preview) selects. Undefined for a route that reaches no single version.
 */
export function matchRouteSubset(model: ReleaseModel, route: MatchRouteModel): string | undefined {
  return route.subset ?? model.extraServices.find(s => s.name === route.service)?.subset;
}

/** What the Service selects: every version, or with selector routing the one that takes all traffic. */
export function serviceSelector(model: ReleaseModel): { [key: string]: string } {
  const active = model.selectorRouting ? model.routes.find(r => r.weight > 0) : undefined;
  const version = active && model.versions.find(v => v.subset === active.subset);
  return version ? versionLabels(model, version) : { ...model.selector };
}

/** The version whose subset is `subset`; undefined for none (a route of the whole split). */
export function versionOf(model: ReleaseModel, subset: string | undefined): VersionModel | undefined {
  return model.versions.find(v => v.subset === subset);
}

/** The version a controller rolls out: the canary, or the active colour. */
export function releaseVersion(model: ReleaseModel): VersionModel {
  return versionOf(model, model.release)!;
}

/**
 * The route policy of a route to `subset` alone, or of the whole split: each of a version's own
 * settings wins over the app's. The fields keep `routePolicySpec`'s order, so that a route is
 * written alike whichever of the two sets each.
 */
export function routePolicyOf(model: ReleaseModel, subset: string | undefined): HttpPolicySpec | undefined {
  const own = versionOf(model, subset)?.routePolicy;
  if (!own) return model.routePolicy;
  const app = model.routePolicy;
  const merged = { timeout: own.timeout ?? app?.timeout, retries: own.retries ?? app?.retries, fault: own.fault ?? app?.fault };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}
