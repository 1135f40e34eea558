import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IIstioGateway } from './istio-gateway';
import { AppPort, IstioApiVersion, Protocol, ReleaseModel } from './model';
import { DataPlane, ReleaseController, TrafficApi } from './plan';
import { refuse } from './refusal';
import { AppModel } from './release/app';
import type { ResolvedRelease } from './release/release';
import { RoutingProps } from './release-routing';
import { renderRelease, RenderedRelease } from './render/release';
import { apiObjectsUnder, RouteCheck } from './route-check';
import { renderAppService } from './workloads';
import { AutoscalingOptions, DisruptionBudget } from './scaling';
import { IWaypoint, Waypoint } from './waypoint';
import { PodOptions, WorkloadOptions } from './workload-props';

// The resolved ports are the model's, which declares them; src/index.ts exports the type from here, with the apps' types.
export type { AppPort } from './model';

/** A Service port besides the app's `port`. */
export interface AppPortOptions {
  /** The Service port. */
  readonly port: number;

  /**
   * The port the container listens on. Another port may share it only with the same protocol: a
   * sidecar serves each container port with one.
   * @default - the `port`
   */
  readonly containerPort?: number;

  /**
   * The protocol, which the port's name starts with so that Istio classifies the traffic.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;

  /**
   * The Service port's name: the protocol, or `<protocol>-<suffix>`, at most 15 characters.
   * @default - `<protocol>-<port>`, e.g. `grpc-9090`
   */
  readonly name?: string;
}

/**
 * Settings shared by every release app: the app's, its routing's, and the pod settings of every
 * version (`WorkloadOptions`, which a version may set over, and `PodOptions`).
 */
export interface ReleaseAppProps extends RoutingProps, WorkloadOptions, PodOptions {
  /**
   * The app's name: the Service, DestinationRule and VirtualService are named after it, and its
   * pods are labelled `app: <name>`.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;

  /**
   * The namespace of every object of the app.
   * @default - the chart's namespace; without one, objects go to the namespace they are applied to
   */
  readonly namespace?: string;

  /**
   * The Service port.
   * @default 80
   */
  readonly port?: number;

  /**
   * The port the container listens on.
   * @default - the `port`
   */
  readonly containerPort?: number;

  /**
   * The protocol of the port. It names the Service port (`http`, `http2`, `grpc`, `tcp`), which
   * is how Istio classifies the traffic; an unnamed port would be treated as opaque TCP.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;

  /**
   * More Service ports, e.g. a gRPC or TCP port beside the HTTP one. One split applies to all
   * ports: HTTP, HTTP/2 and gRPC ports share the `http:` routes, and each TCP port gets a weighted
   * `tcp:` route. Gateways route to the first port, `port`.
   * @default - none
   */
  readonly additionalPorts?: AppPortOptions[];

  /**
   * Pod replicas of each version, unless the version sets its own.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The ingress gateway to expose the app through. The VirtualService is bound to it and to
   * `mesh`, so that in-mesh callers get the same split.
   * @default - none: the app is routed inside the mesh only
   */
  readonly gateway?: IIstioGateway;

  /**
   * The external hosts served through the gateway. Each must be one the gateway serves.
   * @default - the gateway's hosts; for a gateway made with `IstioGateway.fromName`, whose hosts
   * are unknown, none: the Service host alone is bound to the gateway
   */
  readonly hosts?: string[];

  /**
   * The API version of the Istio objects emitted (`networking.istio.io`, `security.istio.io`).
   * Refused where the app emits none: with Flagger, which makes its own, or with the Gateway API
   * and no `mtls`.
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;

  /**
   * A `policy/v1` PodDisruptionBudget for each version's Deployment, named after it.
   * @default - none
   */
  readonly disruptionBudget?: DisruptionBudget;

  /**
   * An `autoscaling/v2` HorizontalPodAutoscaler for each version that runs pods, named after its
   * Deployment. The version's replicas become the autoscaler's minimum.
   * @default - none: fixed replicas
   */
  readonly autoscaling?: AutoscalingOptions;

  /**
   * Emits a `security.istio.io` PeerAuthentication named after the app, with mode STRICT for its
   * pods, so that they accept only mutual TLS from the mesh.
   * @default false
   */
  readonly mtls?: boolean;

  /**
   * Who carries out the release: Git, one commit per step (`NONE`), or a controller in the
   * cluster. Switching between them is this one line.
   * @default ReleaseController.NONE
   */
  readonly controller?: ReleaseController;

  /**
   * The API that routes the traffic: Istio's, or the Kubernetes Gateway API. With
   * `DataPlane.AMBIENT` the mesh routes are HTTPRoutes either way, and this chooses the ingress's:
   * an Istio Gateway's VirtualService, or HTTPRoutes on a Gateway API Gateway.
   * @default TrafficApi.ISTIO; with DataPlane.AMBIENT, the gateway's API, else TrafficApi.GATEWAY_API
   */
  readonly trafficApi?: TrafficApi;

  /**
   * Where the mesh runs the app's traffic: a sidecar in every pod, or Istio's ambient data plane.
   * In ambient mode the pods run without sidecars (labelled `istio.io/dataplane-mode: ambient`),
   * the routes are HTTPRoutes on the app's Service, and the Service is enrolled with a waypoint
   * (`istio.io/use-waypoint`), which applies them: without one the split would be ignored.
   * @default DataPlane.SIDECAR
   */
  readonly dataPlane?: DataPlane;

  /**
   * With `DataPlane.AMBIENT`, the waypoint that applies the app's routes: one that several apps
   * share, or one the platform runs, imported with `Waypoint.fromWaypointName`.
   * @default - with DataPlane.AMBIENT, a waypoint of the app's own, `<name>-waypoint` in the
   * app's namespace (construct id `Waypoint`); none with sidecars
   */
  readonly waypoint?: IWaypoint;

  /**
   * Annotates every object with an Argo CD `argocd.argoproj.io/sync-wave` in make-before-break
   * order (workloads 0, Services 1, DestinationRules and Gateways 2, routes 3), so that Argo CD,
   * which applies by kind rather than in file order, never routes to what does not exist yet.
   * @default false
   */
  readonly syncWaves?: boolean;
}

/** What every release app has, `BlueGreenApp` and `CanaryApp` alike: its settings, resolved, and its objects. */
export interface IReleaseApp extends IConstruct {
  /** The app's name: its Service, DestinationRule and VirtualService are named after it. */
  readonly name: string;
  /** Undefined when neither the props nor the chart set a namespace. */
  readonly namespace?: string;
  /** The primary Service port, which gateways route to. */
  readonly port: number;
  /** The port the container listens on for `port`. */
  readonly containerPort: number;
  /** The protocol of `port`. */
  readonly protocol: Protocol;
  /** Pod replicas of each version that does not set its own. */
  readonly replicas: number;
  /** Every Service port, the primary one first. */
  readonly ports: AppPort[];
  /** The external hosts, empty without a gateway. */
  readonly hosts: string[];
  /** The gateway as the VirtualService refers to it (`namespace/name`), if any. */
  readonly gatewayRef?: string;
  /** The `networking.istio.io` API version emitted. */
  readonly istioApiVersion: IstioApiVersion;
  /** The in-mesh host of the app's Service: its FQDN where the namespace is known. */
  readonly serviceHost: string;
  /** Whether a STRICT PeerAuthentication makes the app's pods accept only mutual TLS. */
  readonly mtls: boolean;
  /** Who carries out the release: Git (`NONE`), Argo Rollouts or Flagger. */
  readonly controller: ReleaseController;
  /** The ServiceAccount the pods run as; undefined for the namespace's `default`. */
  readonly serviceAccountName?: string;
  /** The main container's preStop pause, so that the mesh stops sending a stopping pod requests first; 0 for none. */
  readonly shutdownDelay: Duration;
  /** How long a stopping pod has before it is killed. */
  readonly terminationGracePeriod: Duration;
  /** The API that routes the traffic: Istio's or the Kubernetes Gateway API. */
  readonly trafficApi: TrafficApi;
  /** Where the mesh runs the app's traffic: sidecars, or the ambient data plane. */
  readonly dataPlane: DataPlane;
  /** The waypoint that applies the app's routes, with `DataPlane.AMBIENT`: given, or the app's own. */
  readonly waypoint?: IWaypoint;
  /** The ServiceAccount the app emits, with `createServiceAccount` (escape hatch). */
  readonly serviceAccount?: ApiObject;
  /** The Service over every version (escape hatch); none with Flagger, which makes its own. */
  readonly service?: ApiObject;
  /** The DestinationRule with one subset per version (escape hatch); none with selector routing. */
  readonly destinationRule?: ApiObject;
  /** The VirtualService that splits the traffic (escape hatch); none with selector routing and no gateway. */
  readonly virtualService?: ApiObject;
  /**
   * Every Deployment emitted (escape hatch): one per version without a controller, the one
   * Flagger takes over, or none with Argo Rollouts.
   */
  readonly deployments: ApiObject[];
  /** The Argo Rollouts Rollout, with `ReleaseController.ARGO_ROLLOUTS` (escape hatch). */
  readonly rollout?: ApiObject;
  /** The Argo Rollouts AnalysisTemplate, with a plan that has analysis (escape hatch). */
  readonly analysisTemplate?: ApiObject;
  /**
   * Argo Rollouts' AnalysisTemplates `<name>-checks-<n>` of the steps held until the analysis
   * passes `n` checks, one per count (escape hatch).
   */
  readonly stepAnalysisTemplates: ApiObject[];
  /** The Flagger Canary, with `ReleaseController.FLAGGER` (escape hatch). */
  readonly flaggerCanary?: ApiObject;
  /** Flagger's MetricTemplates, `<name>-<check>`, one per check of `plan.analysis.metrics` (escape hatch). */
  readonly metricTemplates: ApiObject[];
  /** The Gateway API HTTPRoute, with `TrafficApi.GATEWAY_API` (escape hatch). */
  readonly httpRoute?: ApiObject;
  /** The Services over one version each, such as the preview Service, and Argo Rollouts' role Services (escape hatch). */
  readonly versionServices: ApiObject[];
  /** The STRICT PeerAuthentication, with `mtls` (escape hatch). */
  readonly peerAuthentication?: ApiObject;
  /** The PodDisruptionBudgets, with `disruptionBudget`: one per workload, in the workloads' order (escape hatch). */
  readonly disruptionBudgets: ApiObject[];
  /** The HorizontalPodAutoscalers, with `autoscaling`: one per workload that runs pods (escape hatch). */
  readonly autoscalers: ApiObject[];
}

/** An app, resolved and rendered. */
interface Built {
  readonly app: AppModel;
  readonly model: ReleaseModel;
  readonly objects: RenderedRelease;
  readonly waypoint?: IWaypoint;
}

/**
 * What `BlueGreenApp` and `CanaryApp` share: the settings every version has, and the emitting of
 * a release model. Each app resolves its props into the model in one step (`release/`), then
 * hands it here. Hidden from other languages, which see its members on both apps.
 * @internal
 */
export abstract class ReleaseApp extends Construct implements IReleaseApp {
  private built?: Built;

  public get name(): string { return this.app.name; }
  public get namespace(): string | undefined { return this.app.namespace; }
  public get port(): number { return this.app.ports[0].port; }
  public get containerPort(): number { return this.app.ports[0].targetPort; }
  public get protocol(): Protocol { return this.app.ports[0].protocol; }
  public get replicas(): number { return this.app.replicas; }
  public get ports(): AppPort[] { return this.app.ports.map(p => ({ ...p })); }
  public get hosts(): string[] { return [...this.app.hosts]; }
  public get gatewayRef(): string | undefined { return this.app.gateway?.gatewayRef; }
  public get istioApiVersion(): IstioApiVersion { return this.app.istioApiVersion; }
  public get serviceHost(): string { return this.app.serviceHost; }
  public get mtls(): boolean { return this.app.mtls; }
  public get controller(): ReleaseController { return this.app.controller; }
  public get serviceAccountName(): string | undefined { return this.app.pod.serviceAccountName; }
  public get shutdownDelay(): Duration { return Duration.seconds(this.app.pod.shutdownDelaySeconds); }
  public get terminationGracePeriod(): Duration { return Duration.seconds(this.app.pod.terminationGracePeriodSeconds); }
  public get trafficApi(): TrafficApi { return this.app.trafficApi; }
  public get dataPlane(): DataPlane { return this.app.dataPlane; }
  public get waypoint(): IWaypoint | undefined { return this.emitted().waypoint; }

  public get serviceAccount(): ApiObject | undefined { return this.objects.serviceAccount; }
  public get service(): ApiObject | undefined { return this.objects.service; }
  public get destinationRule(): ApiObject | undefined { return this.objects.destinationRule; }
  public get virtualService(): ApiObject | undefined { return this.objects.virtualService; }
  public get deployments(): ApiObject[] { return [...this.objects.deployments]; }
  public get rollout(): ApiObject | undefined { return this.objects.rollout; }
  public get analysisTemplate(): ApiObject | undefined { return this.objects.analysisTemplate; }
  public get stepAnalysisTemplates(): ApiObject[] { return [...this.objects.stepAnalysisTemplates ?? []]; }
  public get flaggerCanary(): ApiObject | undefined { return this.objects.canary; }
  public get metricTemplates(): ApiObject[] { return [...this.objects.metricTemplates ?? []]; }
  public get httpRoute(): ApiObject | undefined { return this.objects.httpRoute; }
  public get versionServices(): ApiObject[] { return [...this.objects.extraServices]; }
  public get peerAuthentication(): ApiObject | undefined { return this.objects.peerAuthentication; }
  public get disruptionBudgets(): ApiObject[] { return this.policyObjects('PodDisruptionBudget'); }
  public get autoscalers(): ApiObject[] { return this.policyObjects('HorizontalPodAutoscaler'); }

  /**
   * Emits a resolved release in make-before-break order. The resolve step has checked it whole,
   * so nothing here refuses but a clash with another app of the chart.
   * @internal
   */
  protected _emit({ app, release: model }: ResolvedRelease): void {
    const gateway = app.gateway;
    if (gateway && !isInChart(gateway, Chart.of(this))) RouteCheck.of(this).addExternalGateway(gateway.gatewayRef);
    const waypoint = this.emitWaypoint(app, model);
    const objects = renderRelease(this, model);
    this.built = { app, model, objects, waypoint };
    // `ApiObject.of(app)` gives the object that says where the traffic goes, whoever moves it.
    this.node.defaultChild = objects.rollout ?? objects.canary ?? objects.httpRoute ?? objects.virtualService ?? objects.service;
    if (app.syncWaves) addSyncWaves(this);
    this.claim(model);
  }

  /**
   * The Deployment of one version, as the version's own escape hatch. With a controller there is
   * no Deployment per version, and asking for one is a mistake worth a clear error.
   * @internal
   */
  protected _versionDeployment(field: string, index: number): ApiObject {
    if (this.controller !== ReleaseController.NONE) {
      refuse(`${this.node.path}: ${field} does not exist with controller ${this.controller}, which runs one workload; use deployments, rollout or flaggerCanary`);
    }
    return this.objects.deployments[index];
  }

  /**
   * The release as resolved, for a `Fleet` that hands it to an engine.
   * @internal
   */
  public _releaseModel(): ReleaseModel {
    return this.emitted().model;
  }

  /**
   * Under Kurator, which makes the Canary in each cluster from its Application, the chart keeps the
   * Deployment and holds the Service that Kurator reads, `<name>`, in place of the Canary.
   * @internal
   */
  public _handCanaryToFleet(): void {
    const built = this.emitted();
    const canary = built.objects.canary;
    if (!canary) return;
    this.node.tryRemoveChild(canary.node.id);
    const service = renderAppService(this, 'Service', built.model, built.model.name);
    this.built = { ...built, objects: { ...built.objects, canary: undefined, service } };
    this.node.defaultChild = service;
    if (built.app.syncWaves) addSyncWaves(this);
  }

  /** Ahead of the Service it serves, so that the Service is never enrolled with a waypoint not yet there. */
  private emitWaypoint(app: AppModel, model: ReleaseModel): IWaypoint | undefined {
    if (!model.ambient) return undefined;
    if (!app.waypoint) return new Waypoint(this, 'Waypoint', { name: model.ambient.waypoint, waypointNamespace: model.ambient.waypointNamespace });
    if (!isInChart(app.waypoint, Chart.of(this))) RouteCheck.of(this)._addExternalGateway(app.waypoint.waypointRef);
    return app.waypoint;
  }

  private get app(): AppModel {
    return this.emitted().app;
  }

  private get objects(): RenderedRelease {
    return this.emitted().objects;
  }

  private emitted(): Built {
    if (!this.built) throw new Error(`${this.node.path}: the release has not been emitted yet`);
    return this.built;
  }

  private policyObjects(kind: string): ApiObject[] {
    return apiObjectsUnder(this).filter(o => o.kind === kind);
  }

  /** Two apps in one chart must not emit the same object, nor route the same host in the mesh. */
  private claim(model: ReleaseModel): void {
    const check = RouteCheck.of(this);
    for (const host of [...model.binding?.hosts ?? [], this.serviceHost]) {
      check._claim(this, 'hosts', 'routes the same host in the mesh', host, 'give each app its own hosts: sidecars would use only one of the two routes');
    }
    for (const object of apiObjectsUnder(this)) {
      check._claim(this, 'name', `makes the same ${object.apiVersion} ${object.kind}`, `${object.metadata.namespace ?? '(chart namespace)'}/${object.name}`,
        'give the apps names (and versions) that make different object names');
    }
  }
}

/** A gateway made with `fromName`, or in another chart, exists outside what this chart's check sees. */
function isInChart(scope: IConstruct, chart: Chart): boolean {
  return Chart.of(scope) === chart;
}

/**
 * The waves of make-before-break: a kind not named here (budgets, autoscalers, analysis
 * templates, PeerAuthentication) goes with the workloads, which it serves.
 */
const SYNC_WAVES: { readonly [kind: string]: string } = {
  Service: '1',
  Canary: '1',
  DestinationRule: '2',
  Gateway: '2',
  VirtualService: '3',
  HTTPRoute: '3',
};

function addSyncWaves(scope: Construct): void {
  for (const object of apiObjectsUnder(scope)) {
    // A waypoint goes with the workloads, ahead of the Service that it serves.
    const wave = object.metadata.getLabel('istio.io/waypoint-for') === undefined ? SYNC_WAVES[object.kind] : undefined;
    object.metadata.addAnnotation('argocd.argoproj.io/sync-wave', wave ?? '0');
  }
}
