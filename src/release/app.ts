import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IIstioGateway } from '../istio-gateway';
import { AmbientModel, AppPort, hasHttpPort, IstioApiVersion, PodModel, Protocol, WorkloadPolicies } from '../model';
import { isPortName, serviceHost } from '../names';
import { DataPlane, ReleaseController, TrafficApi } from '../plan';
import { madeGateway } from '../render/gateway-api';
import type { AppPortOptions, ReleaseAppProps } from '../release-app';
import { checkRoutingProps, RoutingProps } from '../release-routing';
import {
  checkAppName, checkBoolean, checkEnum, checkGiven, checkInstance, checkList, checkNamespace, checkObject, checkPort, checkPositive, checkReplicas, fail,
  orDefault,
} from '../validate';
import { DisruptionBudget } from '../scaling';
import { resolvePod } from '../workload-checks';
import { checkGatewayApi, checkGatewayHosts } from './checks-gateway-api';
import { isWaypoint, IWaypoint } from '../waypoint';
import { resolveHosts } from './hosts';

/**
 * The settings every version of an app shares, resolved from the app's props and checked. The
 * first step of resolving a release: the versions and the split are resolved against it.
 */
export interface AppModel {
  readonly name: string;
  /** Undefined when neither the props nor the chart set one. */
  readonly namespace?: string;
  /** Every Service port, the primary one first. */
  readonly ports: AppPort[];
  /** Pod replicas of a version that does not set its own. */
  readonly replicas: number;
  readonly serviceHost: string;
  readonly gateway?: IIstioGateway;
  /** The external hosts; empty without a gateway. */
  readonly hosts: string[];
  readonly istioApiVersion: IstioApiVersion;
  readonly policies: WorkloadPolicies;
  readonly pod: PodModel;
  readonly mtls: boolean;
  readonly syncWaves: boolean;
  readonly controller: ReleaseController;
  readonly trafficApi: TrafficApi;
  readonly dataPlane: DataPlane;
  /** The waypoint given; with the ambient data plane and none given, the app makes its own. */
  readonly waypoint?: IWaypoint;
  /** The waypoint the Service is enrolled with, in ambient mode. */
  readonly ambient?: AmbientModel;
  /** The routing props, which are resolved against the versions. */
  readonly routing: RoutingProps;
  /** Whether `istioApiVersion` was given, which is refused where no Istio object is emitted. */
  readonly istioApiVersionGiven: boolean;
}

/** Resolves and checks what an app's props say of every version. `app` is the construct the props belong to. */
export function resolveApp(app: Construct, props: ReleaseAppProps): AppModel {
  const name = checkAppName(app, 'name', orDefault(props.name, app.node.id.toLowerCase()));
  const chartNamespace = orDefault(props.namespace, Chart.of(app).namespace);
  const namespace = chartNamespace === undefined ? undefined : checkNamespace(app, 'namespace', chartNamespace);
  const ports = resolvePorts(app, props);
  const replicas = checkReplicas(app, 'replicas', orDefault(props.replicas, 2));
  const istioApiVersion = checkEnum(app, 'istioApiVersion', orDefault(props.istioApiVersion, IstioApiVersion.V1), IstioApiVersion);
  const host = serviceHost(name, namespace);
  const gateway = checkGateway(app, props.gateway);
  const hosts = resolveHosts(app, props, namespace, host);
  const policies = resolvePolicies(app, props);
  const pod = resolvePod(app, name, props);
  // The versions merge the app-wide policies into their own, so check them before any version.
  checkRoutingProps(app, props);
  const mtls = checkBoolean(app, 'mtls', orDefault(props.mtls, false));
  const syncWaves = checkBoolean(app, 'syncWaves', orDefault(props.syncWaves, false));
  const controller = checkEnum(app, 'controller', orDefault(props.controller, ReleaseController.NONE), ReleaseController);
  const dataPlane = checkEnum(app, 'dataPlane', orDefault(props.dataPlane, DataPlane.SIDECAR), DataPlane);
  const ambient = dataPlane === DataPlane.AMBIENT;
  if (ambient && controller === ReleaseController.ARGO_ROLLOUTS) {
    fail(app, 'controller', `is ${controller}, which moves traffic by editing Istio VirtualServices, and with DataPlane.AMBIENT only a waypoint `
      + 'applies those, as an alpha feature of Istio', controller, 'leave controller out and walk the plan in Git with step, or use DataPlane.SIDECAR');
  }
  // In ambient mode the mesh routes are HTTPRoutes whatever the API: it chooses the ingress's, the gateway's by default.
  const ambientApi = gateway?.trafficApi ?? TrafficApi.GATEWAY_API;
  const trafficApi = checkEnum(app, 'trafficApi', orDefault(props.trafficApi, ambient ? ambientApi : TrafficApi.ISTIO), TrafficApi);
  if (ambient && trafficApi === TrafficApi.ISTIO && controller === ReleaseController.FLAGGER) {
    fail(app, 'trafficApi', 'is TrafficApi.ISTIO, and with DataPlane.AMBIENT Flagger routes the mesh through an HTTPRoute on the Service, '
      + 'which its Gateway API provider writes, with the ingress on a Gateway API Gateway', trafficApi,
    'give the app an IstioGateway with trafficApi: TrafficApi.GATEWAY_API, or leave the controller out');
  }
  if (ambient && trafficApi === TrafficApi.ISTIO && !gateway) {
    fail(app, 'trafficApi', 'is TrafficApi.ISTIO, which with DataPlane.AMBIENT routes only the ingress, through an Istio Gateway, and the app has no gateway: '
      + 'in the mesh a waypoint applies HTTPRoutes on the Service', trafficApi, 'leave trafficApi out, or give the app an IstioGateway');
  }
  const waypoint = checkWaypoint(app, props.waypoint, dataPlane);
  // Flagger routes through the Gateway API too (its gatewayapi provider); Argo Rollouts here only through Istio's.
  if (controller === ReleaseController.ARGO_ROLLOUTS && trafficApi !== TrafficApi.ISTIO) {
    fail(app, 'trafficApi', `must be TrafficApi.ISTIO with controller ${controller}, which moves traffic in Istio VirtualServices`,
      trafficApi, 'leave trafficApi out');
  }
  if (gateway) checkGatewayApi(app, gateway, trafficApi);
  if (gateway) checkGatewayCarries(app, gateway, ports);
  if (gateway && trafficApi === TrafficApi.GATEWAY_API) checkGatewayHosts(app, gateway, hosts);
  return {
    name, namespace, ports, replicas, serviceHost: host, gateway, hosts, istioApiVersion, policies, pod, mtls, syncWaves,
    controller, trafficApi, dataPlane, waypoint, ambient: ambient ? ambientOf(app, name, namespace, waypoint) : undefined,
    routing: routingOf(props), istioApiVersionGiven: props.istioApiVersion !== undefined,
  };
}

function checkWaypoint(app: Construct, waypoint: IWaypoint | undefined, dataPlane: DataPlane): IWaypoint | undefined {
  if (waypoint === undefined) return undefined;
  if (!isWaypoint(waypoint)) {
    fail(app, 'waypoint', 'must be a Waypoint, or one that Waypoint.fromWaypointName() makes', waypoint,
      'e.g. Waypoint.fromWaypointName(chart, "Waypoint", "waypoint") for the waypoint of the namespace');
  }
  if (dataPlane !== DataPlane.AMBIENT) {
    fail(app, 'waypoint', `applies to the ambient data plane only, and the app's is ${dataPlane}`, waypoint.waypointRef,
      'set dataPlane: DataPlane.AMBIENT, or leave waypoint out');
  }
  return waypoint;
}

/** The app's own waypoint is `<name>-waypoint`, a label value as well as a name, so at most 63 characters. */
function ambientOf(app: Construct, name: string, namespace: string | undefined, waypoint: IWaypoint | undefined): AmbientModel {
  if (waypoint) return { waypoint: waypoint.name, waypointNamespace: waypoint.waypointNamespace };
  const own = `${name}-waypoint`;
  if (own.length > 63) {
    fail(app, 'name', `makes the name of the app's waypoint, ${own}, longer than the 63 characters of a label value`, name,
      'shorten the name to 54 characters or fewer, or give the app a waypoint');
  }
  return { waypoint: own, waypointNamespace: namespace ?? 'default' };
}

/** Only the routing props: the model carries no props it does not resolve. */
function routingOf(props: ReleaseAppProps): RoutingProps {
  const { testerRoutes, mirror, routePolicy, trafficPolicy, stickySessions } = props;
  return { testerRoutes, mirror, routePolicy, trafficPolicy, stickySessions };
}

/**
 * A gateway is an object that JavaScript callers could give as its `namespace/name` instead, as
 * a VirtualService names it, or as anything else.
 */
function checkGateway(app: Construct, gateway: IIstioGateway | undefined): IIstioGateway | undefined {
  // A construct, as IIstioGateway is: a plain object of the same shape would be a gateway no chart
  // holds and no import declares, which the route check could only report at synth.
  const isGateway = Construct.isConstruct(gateway) && typeof gateway.gatewayRef === 'string' && Array.isArray(gateway.hosts)
    && Object.values(TrafficApi).includes(gateway.trafficApi);
  if (gateway !== undefined && !isGateway) {
    fail(app, 'gateway', 'must be an IstioGateway, or one that IstioGateway.fromName() makes', gateway,
      `use IstioGateway.fromName(${typeof gateway === 'string' ? JSON.stringify(gateway) : '"istio-system/ingressgateway"'}) for a gateway by name`);
  }
  return gateway;
}

/**
 * An IstioGateway made in the app serves HTTP and HTTPS alone, where a gateway builds only http
 * rules: an app whose every port is TCP would be bound there and routed by none of its servers.
 */
function checkGatewayCarries(app: Construct, gateway: IIstioGateway, ports: readonly AppPort[]): void {
  if (hasHttpPort(ports) || !madeGateway(app, gateway.gatewayRef)) return;
  fail(app, 'gateway', 'serves HTTP and HTTPS alone, and every port of the app is Protocol.TCP, whose routes a gateway builds only at a TCP server '
    + 'or a TLS server that terminates TLS', gateway.gatewayRef,
  'bind the app to a gateway with such a server, imported with IstioGateway.fromName(), or leave gateway out');
}

const ADDITIONAL_PORT = '{ port: 9090, protocol: Protocol.GRPC }';

function resolvePorts(app: Construct, props: ReleaseAppProps): AppPort[] {
  const port = checkPort(app, 'port', orDefault(props.port, 80));
  const containerPort = checkPort(app, 'containerPort', orDefault(props.containerPort, port));
  const protocol = checkEnum(app, 'protocol', orDefault(props.protocol, Protocol.HTTP), Protocol);
  const more: AppPort[] = [];
  checkList(app, 'additionalPorts', props.additionalPorts, `[${ADDITIONAL_PORT}]`, (field, options) => more.push(additionalPort(app, field, options)));
  const ports = [{ name: protocol, port, targetPort: containerPort, protocol }, ...more];
  ports.forEach((p, i) => {
    if (ports.findIndex(q => q.port === p.port || q.name === p.name) !== i) {
      fail(app, `additionalPorts[${i - 1}]`, 'repeats the port number or name of another port', `${p.name}/${p.port}`, 'give each port its own number and name');
    }
    const other = ports.findIndex(q => q.targetPort === p.targetPort && q.protocol !== p.protocol);
    if (other !== -1 && other < i) {
      fail(app, `additionalPorts[${i - 1}].containerPort`, `is also the container port of ${portField(other)}, which speaks ${ports[other].protocol} where this one speaks ${p.protocol}`,
        p.targetPort, 'a sidecar serves each container port with one protocol: give this port a containerPort of its own, or the same protocol');
    }
  });
  return ports;
}

function portField(index: number): string {
  return index === 0 ? 'the app\'s port' : `additionalPorts[${index - 1}]`;
}

function additionalPort(app: Construct, field: string, options: AppPortOptions): AppPort {
  checkGiven(app, field, options, ADDITIONAL_PORT);
  const protocol = checkEnum(app, `${field}.protocol`, orDefault(options.protocol, Protocol.HTTP), Protocol);
  const port = checkPort(app, `${field}.port`, options.port);
  const name = orDefault(options.name, `${protocol}-${port}`);
  if (!isPortName(name) || (name !== protocol && !name.startsWith(`${protocol}-`))) {
    fail(app, `${field}.name`, `must be "${protocol}" or "${protocol}-<suffix>", lower case, at most 15 characters`, name,
      'Istio reads the protocol from the name, e.g. "grpc-api"');
  }
  return { name, port, targetPort: checkPort(app, `${field}.containerPort`, orDefault(options.containerPort, port)), protocol };
}

function resolvePolicies(app: Construct, props: ReleaseAppProps): WorkloadPolicies {
  const budget = props.disruptionBudget;
  // Its factories check the amount.
  if (budget !== undefined) checkInstance(app, 'disruptionBudget', budget, DisruptionBudget, 'DisruptionBudget.minAvailable(1)');
  const autoscaling = checkObject(app, 'autoscaling', props.autoscaling, '{ maxReplicas: 10 }');
  return {
    disruptionBudget: budget && { field: budget.field, value: budget.percent ? `${budget.amount}%` : budget.amount },
    autoscaling: autoscaling && {
      maxReplicas: checkPositive(app, 'autoscaling.maxReplicas', autoscaling.maxReplicas),
      cpuUtilization: checkPositive(app, 'autoscaling.cpuUtilization', orDefault(autoscaling.cpuUtilization, 80)),
    },
  };
}
