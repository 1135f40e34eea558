import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IIstioGateway } from './istio-gateway';
import {
  ControllerPlanModel, ExtraServiceModel, GatewayBinding, hasHttpPort, IstioApiVersion, MatchRouteModel, PodModel, PortModel, Strategy, Protocol, ReleaseModel, RouteModel, VersionModel, WorkloadPolicies,
} from './model';
import { hostCovers, isPortName, serviceHost, versionNamePart } from './names';
import { checkGatewayApi } from './render/gateway-api';
import { renderRelease, RenderedRelease } from './render/release';
import { ReleaseController, TrafficApi } from './plan';
import { refuse } from './refusal';
import { checkRoutePolicy, checkTrafficPolicy, checkVersionPoliciesRouted, resolveRouting, RoutingProps } from './release-routing';
import { apiObjectsUnder, RouteCheck } from './route-check';
import { routePolicySpec, RouteTarget } from './routing';
import { trafficPolicySpec } from './traffic-policy';
import { AutoscalingOptions, DisruptionBudget } from './scaling';
import {
  checkAppName, checkBoolean, checkBudget, checkEnum, checkGiven, checkHosts, checkImage, checkNamespace, checkPort, checkPositive, checkReplicas,
  checkVersionLabel, fail,
} from './validate';
import { checkVersionPod, checkWorkloadOptions, resolvePod } from './workload-checks';
import { PodOptions, VersionProps, WorkloadOptions } from './workload-props';

/** A Service port besides the app's `port`. */
export interface AppPortOptions {
  /** The Service port. */
  readonly port: number;

  /**
   * The port the container listens on.
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
   * The API that routes the traffic: Istio's, or the Kubernetes Gateway API.
   * @default TrafficApi.ISTIO
   */
  readonly trafficApi?: TrafficApi;

  /**
   * Annotates every object with an Argo CD `argocd.argoproj.io/sync-wave` in make-before-break
   * order (workloads 0, Services 1, DestinationRules and Gateways 2, routes 3), so that Argo CD,
   * which applies by kind rather than in file order, never routes to what does not exist yet.
   * @default false
   */
  readonly syncWaves?: boolean;
}

/**
 * What a subclass adds to its release besides versions and weights. Internal: it is typed with
 * the release model, which the package does not export.
 * @internal
 */
export interface ReleaseExtras {
  readonly strategy: Strategy;
  /** The subset of the version a controller rolls out. */
  readonly release: string;
  /** The plan, checked; it reaches the model only when a controller runs it. */
  readonly plan: ControllerPlanModel;
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
 * What `BlueGreenApp` and `CanaryApp` share: the app-level settings, resolved and checked once, and
 * the rendering of a release model. Subclasses say which versions exist and how traffic is split.
 */
export abstract class ReleaseApp extends Construct {
  /** The app's name: its Service, DestinationRule and VirtualService are named after it. */
  public readonly name: string;
  /** Undefined when neither the props nor the chart set a namespace. */
  public readonly namespace?: string;
  /** The primary Service port, which gateways route to. */
  public readonly port: number;
  /** The port the container listens on for `port`. */
  public readonly containerPort: number;
  /** The protocol of `port`. */
  public readonly protocol: Protocol;
  /** Pod replicas of each version that does not set its own. */
  public readonly replicas: number;
  /** Every Service port, the primary one first. */
  public readonly ports: PortModel[];
  /** The external hosts, empty without a gateway. */
  public readonly hosts: string[];
  /** The gateway as the VirtualService refers to it (`namespace/name`), if any. */
  public readonly gatewayRef?: string;
  /** The `networking.istio.io` API version emitted. */
  public readonly istioApiVersion: IstioApiVersion;
  /** The in-mesh host of the app's Service: its FQDN where the namespace is known. */
  public readonly serviceHost: string;

  /** Whether a STRICT PeerAuthentication makes the app's pods accept only mutual TLS. */
  public readonly mtls: boolean;
  /** Who carries out the release: Git (`NONE`), Argo Rollouts or Flagger. */
  public readonly controller: ReleaseController;
  /** The ServiceAccount the pods run as; undefined for the namespace's `default`. */
  public readonly serviceAccountName?: string;
  /** The main container's preStop pause, so that the mesh stops sending a stopping pod requests first; 0 for none. */
  public readonly shutdownDelay: Duration;
  /** How long a stopping pod has before it is killed. */
  public readonly terminationGracePeriod: Duration;
  /** The API that routes the traffic: Istio's or the Kubernetes Gateway API. */
  public readonly trafficApi: TrafficApi;

  private readonly props: ReleaseAppProps;
  private readonly gateway?: IIstioGateway;
  private readonly policies: WorkloadPolicies;
  private readonly pod: PodModel;
  private rendered?: RenderedRelease;

  protected constructor(scope: Construct, id: string, props: ReleaseAppProps) {
    super(scope, id);
    this.name = checkAppName(this, 'name', props.name ?? id.toLowerCase());
    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.namespace = namespace === undefined ? undefined : checkNamespace(this, 'namespace', namespace);
    this.port = checkPort(this, 'port', props.port ?? 80);
    this.containerPort = checkPort(this, 'containerPort', props.containerPort ?? this.port);
    this.protocol = checkEnum(this, 'protocol', props.protocol ?? Protocol.HTTP, Protocol);
    this.replicas = checkReplicas(this, 'replicas', props.replicas ?? 2);
    this.ports = this.resolvePorts(props);
    this.istioApiVersion = checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion);
    this.serviceHost = serviceHost(this.name, this.namespace);
    this.gatewayRef = props.gateway?.gatewayRef;
    this.hosts = this.resolveHosts(props);
    this.policies = this.resolvePolicies(props);
    this.pod = resolvePod(this, this.name, props);
    this.serviceAccountName = this.pod.serviceAccountName;
    this.shutdownDelay = Duration.seconds(this.pod.shutdownDelaySeconds);
    this.terminationGracePeriod = Duration.seconds(this.pod.terminationGracePeriodSeconds);
    // The versions merge the app-wide policies into their own, so check them before any version.
    checkRoutePolicy(this, 'routePolicy', props.routePolicy);
    checkTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    this.mtls = checkBoolean(this, 'mtls', props.mtls ?? false);
    checkBoolean(this, 'syncWaves', props.syncWaves ?? false);
    this.controller = checkEnum(this, 'controller', props.controller ?? ReleaseController.NONE, ReleaseController);
    this.trafficApi = checkEnum(this, 'trafficApi', props.trafficApi ?? TrafficApi.ISTIO, TrafficApi);
    if (this.controller !== ReleaseController.NONE && this.trafficApi !== TrafficApi.ISTIO) {
      fail(this, 'trafficApi', `must be TrafficApi.ISTIO with controller ${this.controller}, which moves traffic in Istio VirtualServices`,
        this.trafficApi, 'leave trafficApi out');
    }
    this.props = props;
    this.gateway = props.gateway;
    const check = RouteCheck.of(this);
    if (props.gateway && !isInChart(props.gateway, Chart.of(this))) check.addExternalGateway(props.gateway.gatewayRef);
    if (props.gateway) checkGatewayApi(this, props.gateway.gatewayRef, this.trafficApi);
  }

  /** The ServiceAccount the app emits, with `createServiceAccount` (escape hatch). */
  public get serviceAccount(): ApiObject | undefined {
    return this.output().serviceAccount;
  }

  /** The Service over every version (escape hatch); none with Flagger, which makes its own. */
  public get service(): ApiObject | undefined {
    return this.output().service;
  }

  /** The DestinationRule with one subset per version (escape hatch); none with selector routing. */
  public get destinationRule(): ApiObject | undefined {
    return this.output().destinationRule;
  }

  /** The VirtualService that splits the traffic (escape hatch); none with selector routing and no gateway. */
  public get virtualService(): ApiObject | undefined {
    return this.output().virtualService;
  }

  /**
   * Every Deployment emitted (escape hatch): one per version without a controller, the one
   * Flagger takes over, or none with Argo Rollouts.
   */
  public get deployments(): ApiObject[] {
    return [...this.output().deployments];
  }

  /** The Argo Rollouts Rollout, with `ReleaseController.ARGO_ROLLOUTS` (escape hatch). */
  public get rollout(): ApiObject | undefined {
    return this.output().rollout;
  }

  /** The Argo Rollouts AnalysisTemplate, with a plan that has analysis (escape hatch). */
  public get analysisTemplate(): ApiObject | undefined {
    return this.output().analysisTemplate;
  }

  /** The Flagger Canary, with `ReleaseController.FLAGGER` (escape hatch). */
  public get flaggerCanary(): ApiObject | undefined {
    return this.output().canary;
  }

  /** The Gateway API HTTPRoute, with `TrafficApi.GATEWAY_API` (escape hatch). */
  public get httpRoute(): ApiObject | undefined {
    return this.output().httpRoute;
  }

  /** The Services over one version each, such as the preview Service, and Argo Rollouts' role Services (escape hatch). */
  public get versionServices(): ApiObject[] {
    return [...this.output().extraServices];
  }

  /** The STRICT PeerAuthentication, with `mtls` (escape hatch). */
  public get peerAuthentication(): ApiObject | undefined {
    return this.output().peerAuthentication;
  }

  /** The PodDisruptionBudgets, with `disruptionBudget`: one per workload, in the workloads' order (escape hatch). */
  public get disruptionBudgets(): ApiObject[] {
    return this.policyObjects('PodDisruptionBudget');
  }

  /** The HorizontalPodAutoscalers, with `autoscaling`: one per workload that runs pods (escape hatch). */
  public get autoscalers(): ApiObject[] {
    return this.policyObjects('HorizontalPodAutoscaler');
  }

  private policyObjects(kind: string): ApiObject[] {
    return apiObjectsUnder(this).filter(o => o.kind === kind);
  }

  /**
   * The Deployment of one version, as the version's own escape hatch. With a controller there is
   * no Deployment per version, and asking for one is a mistake worth a clear error.
   */
  protected versionDeployment(field: string, index: number): ApiObject {
    if (this.controller !== ReleaseController.NONE) {
      refuse(`${this.node.path}: ${field} does not exist with controller ${this.controller}, which runs one workload; use deployments, rollout or flaggerCanary`);
    }
    return this.output().deployments[index];
  }

  /**
   * Resolves one version's props. `id` is the PascalCase form of the props field that holds the
   * version ('Blue' for `blue`), so that errors can name the field. The subset, and with it the
   * Deployment `<name>-<subset>`, is named after the version unless a fixed name is given.
   */
  protected resolveVersion(id: string, props: VersionProps, subset?: string): VersionModel {
    const field = id.toLowerCase();
    checkGiven(this, field, props, '{ image: "nginx:1.11", version: "1.11" }');
    checkImage(this, `${field}.image`, props.image);
    checkWorkloadOptions(this, field, props);
    checkVersionPod(this, field, this.pod, props, this.ports);
    const version = checkVersionLabel(this, `${field}.version`, props.version);
    const name = subset ?? versionNamePart(version);
    checkRoutePolicy(this, `${field}.routePolicy`, props.routePolicy);
    checkTrafficPolicy(this, `${field}.trafficPolicy`, props.trafficPolicy);
    return {
      id,
      subset: name,
      version,
      deploymentName: `${this.name}-${name}`,
      replicas: checkReplicas(this, `${field}.replicas`, props.replicas ?? this.replicas),
      workload: props,
      routePolicy: routePolicySpec({ ...this.props.routePolicy, ...props.routePolicy }),
      trafficPolicy: trafficPolicySpec(props.trafficPolicy),
    };
  }

  /**
   * The plan's current step when Git walks it, checked against the `count` steps; undefined
   * without a plan, or with a controller, which walks the plan itself.
   */
  protected gitStep(step: number | undefined, plan: object | undefined, count: number): number | undefined {
    if (!plan) {
      if (step !== undefined) fail(this, 'step', 'selects a step of a plan, and there is none', step, 'add plan, or leave step out');
      return undefined;
    }
    if (this.controller !== ReleaseController.NONE) return undefined;
    const current = step ?? 0;
    if (!Number.isInteger(current) || current < 0 || current >= count) {
      fail(this, 'step', `must be a step of the plan, from 0 to ${count - 1}`, current, 'count the steps from 0');
    }
    return current;
  }

  /** The version a route target names, in this kind of app; undefined when it names none. */
  protected abstract resolveTarget(target: RouteTarget, versions: readonly VersionModel[]): VersionModel | undefined;

  /** Checks the release as a whole and emits its objects in make-before-break order. */
  protected render(versions: VersionModel[], routes: RouteModel[], extras: ReleaseExtras): RenderedRelease {
    this.checkDistinct(versions);
    this.checkAutoscalingRange(versions);
    this.checkBudgetAllowsEvictions(versions);
    const selectorRouting = extras.selectorRouting ?? false;
    const routing = resolveRouting(this, this.props, {
      appName: this.name,
      versions,
      routes,
      selectorRouting,
      hasHttp: hasHttpPort(this.ports),
      resolve: target => this.resolveTarget(target, versions),
    });
    const model: ReleaseModel = {
      name: this.name,
      namespace: this.namespace,
      selector: { app: this.name },
      ports: this.ports,
      versions,
      routes,
      selectorRouting,
      policies: this.policies,
      pod: this.pod,
      ...routing,
      matchRoutes: [...extras.leadingRoutes ?? [], ...routing.matchRoutes],
      mtls: this.mtls,
      extraServices: extras.extraServices ?? [],
      binding: this.binding(extras.extraHosts ?? []),
      istioApiVersion: this.istioApiVersion,
      strategy: extras.strategy,
      controller: this.controller,
      trafficApi: this.trafficApi,
      plan: this.controller === ReleaseController.NONE ? undefined : extras.plan,
      release: extras.release,
    };
    this.checkRoutesHavePods(model);
    this.rendered = renderRelease(this, model);
    // After the renderers: a controller's refusal of any version policy says more than this one.
    checkVersionPoliciesRouted(this, model);
    this.checkIstioApiVersionUsed();
    if (this.props.syncWaves) addSyncWaves(this);
    this.claim(model);
    return this.rendered;
  }

  /** With the Gateway API or Flagger there may be no Istio object to version: the prop would do nothing. */
  private checkIstioApiVersionUsed(): void {
    const given = this.props.istioApiVersion;
    if (given === undefined) return;
    if (!apiObjectsUnder(this).some(o => o.apiVersion.includes('.istio.io/'))) {
      fail(this, 'istioApiVersion', `sets the version of the Istio objects, and with controller ${this.controller} and trafficApi `
        + `${this.trafficApi} this app emits none`, given, 'leave it out');
    }
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

  private output(): RenderedRelease {
    if (!this.rendered) throw new Error(`${this.node.path}: the release has not been rendered yet`);
    return this.rendered;
  }

  private resolvePorts(props: ReleaseAppProps): PortModel[] {
    const primary = { name: this.protocol, port: this.port, targetPort: this.containerPort, protocol: this.protocol };
    const more = (props.additionalPorts ?? []).map((options, i) => {
      const field = `additionalPorts[${i}]`;
      const protocol = checkEnum(this, `${field}.protocol`, options.protocol ?? Protocol.HTTP, Protocol);
      const port = checkPort(this, `${field}.port`, options.port);
      const name = options.name ?? `${protocol}-${port}`;
      if (!isPortName(name) || (name !== protocol && !name.startsWith(`${protocol}-`))) {
        fail(this, `${field}.name`, `must be "${protocol}" or "${protocol}-<suffix>", lower case, at most 15 characters`, name,
          'Istio reads the protocol from the name, e.g. "grpc-api"');
      }
      return { name, port, targetPort: checkPort(this, `${field}.containerPort`, options.containerPort ?? port), protocol };
    });
    const ports = [primary, ...more];
    ports.forEach((p, i) => {
      if (ports.findIndex(q => q.port === p.port || q.name === p.name) !== i) {
        fail(this, `additionalPorts[${i - 1}]`, 'repeats the port number or name of another port', `${p.name}/${p.port}`, 'give each port its own number and name');
      }
    });
    return ports;
  }

  private resolvePolicies(props: ReleaseAppProps): WorkloadPolicies {
    const budget = props.disruptionBudget;
    const autoscaling = props.autoscaling;
    if (budget) checkBudget(this, budget);
    if (autoscaling) {
      checkPositive(this, 'autoscaling.maxReplicas', autoscaling.maxReplicas);
      checkPositive(this, 'autoscaling.cpuUtilization', autoscaling.cpuUtilization ?? 80);
    }
    return {
      disruptionBudget: budget && { field: budget.field, value: budget.percent ? `${budget.amount}%` : budget.amount },
      autoscaling: autoscaling && { maxReplicas: autoscaling.maxReplicas, cpuUtilization: autoscaling.cpuUtilization ?? 80 },
    };
  }

  /** The autoscaler's minimum is the version's replicas, and the API server rejects a minimum above the maximum. */
  private checkAutoscalingRange(versions: VersionModel[]): void {
    const max = this.policies.autoscaling?.maxReplicas;
    const over = max === undefined ? undefined : versions.find(v => v.replicas > max);
    if (over) {
      fail(this, 'autoscaling.maxReplicas', `must be at least ${over.id.toLowerCase()}'s ${over.replicas} replicas, the autoscaler's minimum`,
        max, `raise maxReplicas to ${over.replicas} or more`);
    }
  }

  /**
   * Kubernetes accepts a budget that allows no eviction at all, and then every node drain waits
   * on the version's pods forever: refused while the version runs pods.
   */
  private checkBudgetAllowsEvictions(versions: VersionModel[]): void {
    const budget = this.props.disruptionBudget;
    if (!budget) return;
    const blocked = versions.find(v => v.replicas > 0 && allowedEvictions(budget, v.replicas) === 0);
    if (blocked) {
      fail(this, `disruptionBudget.${budget.field}`, `lets no pod of ${blocked.deploymentName} (${blocked.replicas} replicas) be evicted, `
        + 'so node drains wait forever', this.policies.disruptionBudget?.value,
      `allow at least one eviction at ${blocked.replicas} replicas, e.g. DisruptionBudget.maxUnavailable(1)`);
    }
  }

  private binding(extraHosts: string[]): GatewayBinding | undefined {
    return this.gatewayRef ? { gateways: [this.gatewayRef], hosts: [...this.hosts, ...extraHosts] } : undefined;
  }

  private resolveHosts(props: ReleaseAppProps): string[] {
    if (!props.gateway) {
      if (props.hosts) {
        fail(this, 'hosts', 'need a gateway to be reached', props.hosts,
          `pass gateway, or leave hosts out: in the mesh the app is reached at ${this.serviceHost}`);
      }
      return [];
    }
    // A referenced gateway's hosts are unknown: without hosts, the Service's own name is the one
    // host bound to it, as in a hand-written VirtualService with `hosts: [reviews]`.
    if (props.hosts === undefined && props.gateway.hosts.length === 0) return [];
    const hosts = props.hosts ?? props.gateway.hosts;
    checkHosts(this, 'hosts', hosts);
    for (const host of hosts) this.checkHostRoutable('hosts', props.gateway, host);
    this.checkNoOverlap('hosts', [...hosts, this.serviceHost]);
    return [...hosts];
  }

  /** Checks a host the VirtualService serves besides `hosts`, such as a preview host. */
  protected checkExtraHost(field: string, host: string): void {
    if (!this.gateway) fail(this, field, 'needs a gateway to be reached', host, 'pass gateway, or leave it out');
    checkHosts(this, field, [host]);
    this.checkHostRoutable(field, this.gateway, host);
    this.checkNoOverlap(field, [...this.hosts, host, this.serviceHost]);
  }

  private checkHostRoutable(field: string, gateway: IIstioGateway, host: string): void {
    if (host === '*') {
      fail(this, field, 'may not hold "*": the VirtualService is also bound to mesh, where Istio rejects it', host,
        'name the hosts, e.g. ["shop.example.com"], even when the gateway serves "*"');
    }
    if (!host.includes('.')) {
      fail(this, field, `may not hold a name without a dot, which Istio takes as the Service ${serviceHost(host, this.namespace ?? 'default')}`, host,
        `name the external host in full, e.g. "${host}.example.com"`);
    }
    if (gateway.hosts.length > 0 && !gateway.hosts.some(pattern => hostCovers(pattern, host))) {
      fail(this, field, `must be served by gateway ${gateway.gatewayRef} (hosts ${JSON.stringify(gateway.hosts)})`, host,
        'add the host to the gateway, or use one of its hosts');
    }
  }

  /** Istio rejects a VirtualService whose hosts repeat or cover each other. */
  private checkNoOverlap(field: string, hosts: string[]): void {
    hosts.forEach((a, i) => hosts.forEach((b, j) => {
      if (i !== j && hostCovers(a, b)) {
        fail(this, field, `overlap: ${JSON.stringify(a)} already covers ${JSON.stringify(b)}`, hosts,
          'list each host once, and leave out the Service host, which the VirtualService always serves');
      }
    }));
  }

  private checkDistinct(versions: VersionModel[]): void {
    versions.forEach((a, i) => versions.slice(i + 1).forEach(b => {
      const field = `${b.id.toLowerCase()}.version`;
      if (a.version === b.version) {
        fail(this, field, `must differ from ${a.id.toLowerCase()}.version`, b.version,
          'give each version its own label, or the subsets would select the same pods');
      }
      if (a.subset === b.subset || a.deploymentName === b.deploymentName) {
        fail(this, field, `names the same objects as ${a.id.toLowerCase()}.version ${JSON.stringify(a.version)} `
          + `(both become ${JSON.stringify(b.deploymentName)})`, b.version, 'use versions that differ in more than "." or "_"');
      }
    }));
  }

  /** A route with weight to a version without pods is a 503 for that share of the traffic. */
  private checkRoutesHavePods(model: ReleaseModel): void {
    for (const route of model.routes) {
      const version = model.versions.find(v => v.subset === route.subset);
      if (version && route.weight > 0 && version.replicas === 0) {
        fail(this, `${version.id.toLowerCase()}.replicas`, `must be above 0 while ${route.weight}% of traffic goes to it`,
          version.replicas, 'scale the version up first, then route traffic to it');
      }
    }
  }
}

/** A gateway made with `fromName`, or in another chart, exists outside what this chart's check sees. */
function isInChart(gateway: IIstioGateway, chart: Chart): boolean {
  return Construct.isConstruct(gateway) && Chart.of(gateway) === chart;
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
    object.metadata.addAnnotation('argocd.argoproj.io/sync-wave', SYNC_WAVES[object.kind] ?? '0');
  }
}

/** How many of `replicas` pods the budget lets be evicted at once, rounding as Kubernetes does (up for both fields). */
function allowedEvictions(budget: DisruptionBudget, replicas: number): number {
  const pods = budget.percent ? Math.ceil((budget.amount * replicas) / 100) : budget.amount;
  return budget.field === 'minAvailable' ? Math.max(0, replicas - pods) : Math.min(replicas, pods);
}
