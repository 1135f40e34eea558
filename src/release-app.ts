import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IIstioGateway } from './istio-gateway';
import { GatewayBinding, IstioApiVersion, Protocol, ReleaseModel, RouteModel, VersionModel, WorkloadPolicies } from './model';
import { hostCovers, serviceHost, versionNamePart } from './names';
import { renderIstioRelease, RenderedRelease } from './render/release';
import { RouteCheck } from './route-check';
import { AutoscalingOptions, DisruptionBudget } from './scaling';
import {
  checkAppName, checkBudget, checkHosts, checkImage, checkNamespace, checkPort, checkPositive, checkReplicas, checkVersionLabel, fail,
} from './validate';
import { VersionProps } from './workloads';

/** Settings shared by every release app. */
export interface ReleaseAppProps {
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
   * The protocol of the port. It names the Service port (`http`, `http2`, `grpc`), which is how
   * Istio classifies the traffic; an unnamed port would be treated as opaque TCP.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;

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
   * @default - the gateway's hosts
   */
  readonly hosts?: string[];

  /**
   * The `networking.istio.io` API version to emit.
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
}

/**
 * What `BlueGreenApp` and `CanaryApp` share: the app-level settings, resolved and checked once, and
 * the rendering of a release model. Subclasses say which versions exist and how traffic is split.
 */
export abstract class ReleaseApp extends Construct {
  public readonly name: string;
  /** Undefined when neither the props nor the chart set a namespace. */
  public readonly namespace?: string;
  public readonly port: number;
  public readonly containerPort: number;
  public readonly protocol: Protocol;
  public readonly replicas: number;
  /** The external hosts, empty without a gateway. */
  public readonly hosts: string[];
  /** The gateway as the VirtualService refers to it (`namespace/name`), if any. */
  public readonly gatewayRef?: string;
  public readonly istioApiVersion: IstioApiVersion;
  /** The in-mesh host of the app's Service: its FQDN where the namespace is known. */
  public readonly serviceHost: string;

  private readonly policies: WorkloadPolicies;
  private rendered?: RenderedRelease;

  protected constructor(scope: Construct, id: string, props: ReleaseAppProps) {
    super(scope, id);
    this.name = checkAppName(this, 'name', props.name ?? id.toLowerCase());
    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.namespace = namespace === undefined ? undefined : checkNamespace(this, 'namespace', namespace);
    this.port = checkPort(this, 'port', props.port ?? 80);
    this.containerPort = checkPort(this, 'containerPort', props.containerPort ?? this.port);
    this.protocol = props.protocol ?? Protocol.HTTP;
    this.replicas = checkReplicas(this, 'replicas', props.replicas ?? 2);
    this.istioApiVersion = props.istioApiVersion ?? IstioApiVersion.V1;
    this.serviceHost = serviceHost(this.name, this.namespace);
    this.gatewayRef = props.gateway?.gatewayRef;
    this.hosts = this.resolveHosts(props);
    this.policies = this.resolvePolicies(props);
    const check = RouteCheck.of(this);
    if (props.gateway && !isInChart(props.gateway, Chart.of(this))) check.addExternalGateway(props.gateway.gatewayRef);
  }

  /** The Service over every version (escape hatch). */
  public get service(): ApiObject {
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
   * Resolves one version's props. `id` is the PascalCase form of the props field that holds the
   * version ('Blue' for `blue`), so that errors can name the field. The subset, and with it the
   * Deployment `<name>-<subset>`, is named after the version unless a fixed name is given.
   */
  protected resolveVersion(id: string, props: VersionProps, subset?: string): VersionModel {
    const field = id.toLowerCase();
    checkImage(this, `${field}.image`, props.image);
    const version = checkVersionLabel(this, `${field}.version`, props.version);
    const name = subset ?? versionNamePart(version);
    return {
      id,
      subset: name,
      version,
      deploymentName: `${this.name}-${name}`,
      replicas: checkReplicas(this, `${field}.replicas`, props.replicas ?? this.replicas),
      workload: props,
    };
  }

  /**
   * Checks the release as a whole and emits its objects in make-before-break order. With
   * `selectorRouting`, the Service selects the version that takes all traffic, instead of subsets.
   */
  protected render(versions: VersionModel[], routes: RouteModel[], selectorRouting = false): RenderedRelease {
    this.checkDistinct(versions);
    this.checkAutoscalingRange(versions);
    const model: ReleaseModel = {
      name: this.name,
      namespace: this.namespace,
      selector: { app: this.name },
      port: { name: this.protocol, port: this.port, targetPort: this.containerPort },
      versions,
      routes,
      selectorRouting,
      policies: this.policies,
      binding: this.binding(),
      istioApiVersion: this.istioApiVersion,
    };
    this.checkRoutesHavePods(model);
    this.rendered = renderIstioRelease(this, model);
    return this.rendered;
  }

  private output(): RenderedRelease {
    if (!this.rendered) throw new Error(`${this.node.path}: the release has not been rendered yet`);
    return this.rendered;
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

  private binding(): GatewayBinding | undefined {
    return this.gatewayRef ? { gateways: [this.gatewayRef], hosts: this.hosts } : undefined;
  }

  private resolveHosts(props: ReleaseAppProps): string[] {
    if (!props.gateway) {
      if (props.hosts) {
        fail(this, 'hosts', 'need a gateway to be reached', props.hosts,
          `pass gateway, or leave hosts out: in the mesh the app is reached at ${this.serviceHost}`);
      }
      return [];
    }
    const hosts = props.hosts ?? props.gateway.hosts;
    if (hosts.length === 0) {
      fail(this, 'hosts', `must be given for gateway ${props.gateway.gatewayRef}, whose hosts are unknown`, hosts,
        'name the hosts the app answers to, e.g. ["shop.example.com"]');
    }
    checkHosts(this, 'hosts', hosts);
    for (const host of hosts) this.checkHostRoutable(props.gateway, host);
    this.checkNoOverlap([...hosts, this.serviceHost]);
    return [...hosts];
  }

  private checkHostRoutable(gateway: IIstioGateway, host: string): void {
    if (host === '*') {
      fail(this, 'hosts', 'may not hold "*": the VirtualService is also bound to mesh, where Istio rejects it', host,
        'name the hosts, e.g. ["shop.example.com"], even when the gateway serves "*"');
    }
    if (gateway.hosts.length > 0 && !gateway.hosts.some(pattern => hostCovers(pattern, host))) {
      fail(this, 'hosts', `must be served by gateway ${gateway.gatewayRef} (hosts ${JSON.stringify(gateway.hosts)})`, host,
        'add the host to the gateway, or use one of its hosts');
    }
  }

  /** Istio rejects a VirtualService whose hosts repeat or cover each other. */
  private checkNoOverlap(hosts: string[]): void {
    hosts.forEach((a, i) => hosts.forEach((b, j) => {
      if (i !== j && hostCovers(a, b)) {
        fail(this, 'hosts', `overlap: ${JSON.stringify(a)} already covers ${JSON.stringify(b)}`, hosts,
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
