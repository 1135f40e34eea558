import { isManaged } from './generated';
import { GATEWAY_API, Graph, LabelIndex, ManifestObject, Workload, groupBy, idList, indexByLabel, labelCarriers, objectsOfKind, serviceSelector } from './graph';
import { isObjectLike, labels, list, own, record, text } from './json';
import { HTTP_PROTOCOLS } from './protocols';
import { formatLabels, nearestMiss, selects } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/**
 * Which pods serve an Istio Gateway, as istiod picks them: those whose labels hold every label of
 * the Gateway's `selector`, in any namespace (istiod's default, PILOT_SCOPE_GATEWAY_TO_NAMESPACE off).
 */

/** Pods that may serve a Gateway: a workload of the set, Istio's deployment for a Gateway API Gateway, or pods outside the set. */
export interface GatewayPods {
  readonly labels: ReadonlyMap<string, string>;
  /** Where the pods run; undefined outside the set, unless their declaration says. */
  readonly namespace?: string;
  /** Declared outside the set, with whatever they need (the Secrets of their certificates) as well. */
  readonly outside?: boolean;
  /** The workload of the set that makes the pods, whose Services the checks can read. */
  readonly workload?: Workload;
}

export interface GatewayPodIndex {
  readonly all: readonly GatewayPods[];
  /** By label, so that a selector need not scan every workload. */
  readonly byLabel: LabelIndex<GatewayPods>;
}

/** Built once for the checks of gateway workloads and of their certificates, which both look up the pods of every Gateway. */
export function indexGatewayPods(graph: Graph, settings: Settings): GatewayPodIndex {
  const all: GatewayPods[] = [
    ...graph.workloads.flatMap(w => w.podLabels ? [{ labels: w.podLabels, namespace: w.namespace, workload: w }] : []),
    ...objectsOfKind(graph, GATEWAY_API, 'Gateway').map(kubernetesGatewayPods),
    ...settings.externalGatewayWorkloads.map(({ labels: podLabels, namespace }) => ({ labels: podLabels, namespace, outside: true })),
  ];
  return { all, byLabel: indexByLabel(all, pods => [pods.labels]) };
}

/** Istio's deployment controller labels the pods it runs for a Gateway API Gateway with its name and class. */
function kubernetesGatewayPods(gateway: ManifestObject): GatewayPods {
  const className = text(gateway.spec, 'gatewayClassName');
  const podLabels = new Map([[`${GATEWAY_API}/gateway-name`, gateway.name]]);
  if (className) podLabels.set(`${GATEWAY_API}/gateway-class-name`, className);
  return { labels: podLabels, namespace: gateway.namespace };
}

export function gatewaySelector(gateway: ManifestObject): ReadonlyMap<string, string> {
  return labels(gateway.spec, 'selector');
}

/** The pods whose labels hold all of `selector`; an empty selector takes every gateway's pods. */
export function podsSelectedBy(index: GatewayPodIndex, selector: ReadonlyMap<string, string>): readonly GatewayPods[] {
  const [first] = selector;
  const candidates = first ? labelCarriers(index.byLabel, first) : index.all;
  return candidates.filter(pods => selects(selector, pods.labels));
}

/**
 * The namespaces, in order, of the pods an Istio Gateway's selector picks that `keep` keeps. An
 * empty selector takes every gateway of the mesh, so no namespace is the Gateway's; pods outside
 * the set run where nobody knows, unless their declaration says.
 */
export function selectedPodNamespaces(index: GatewayPodIndex, gateway: ManifestObject, keep: (pods: GatewayPods) => boolean): string[] {
  const selector = gatewaySelector(gateway);
  if (selector.size === 0) return [];
  return [...new Set(podsSelectedBy(index, selector).filter(keep).flatMap(pods => pods.namespace ?? []))].sort();
}

/** The namespaces where the pods of a gateway (`ns/name`) run, as {@link proxyNamespaces} reads them. */
export type ProxiesOf = (gateway: string) => readonly string[];

/**
 * Where the proxies of a gateway that VirtualServices bind to run, as far as the set shows: the
 * namespaces of the workloads an Istio Gateway's selector picks, or a Gateway API Gateway's own.
 * None when the set shows none: a gateway outside it, pods installed outside it, or an empty
 * selector, which takes any gateway of the mesh. Worked out once per gateway.
 */
export function proxyNamespaces(graph: Graph, index: GatewayPodIndex): ProxiesOf {
  const memo = new Map<string, readonly string[]>();
  return gateway => {
    let found = memo.get(gateway);
    // Stryker disable next-line ConditionalExpression: a memo; reading anew gives the same answer
    if (!found) memo.set(gateway, found = readProxyNamespaces(graph, index, gateway));
    return found;
  };
}

function readProxyNamespaces(graph: Graph, index: GatewayPodIndex, gateway: string): readonly string[] {
  const istio = graph.gateways.get(gateway);
  if (istio) return selectedPodNamespaces(index, istio, () => true);
  const kubernetes = graph.kubernetesGateways.get(gateway);
  // Istio deploys a Gateway API Gateway's pods beside it, unless its addresses name pods deployed by hand, wherever they run.
  return kubernetes && isManaged(kubernetes) ? [kubernetes.namespace] : [];
}

/** `key=value,key=value`, as `--external-gateway-workload` takes labels. */
export function writtenLabels(labelMap: ReadonlyMap<string, string>): string {
  return [...labelMap].map(([key, value]) => `${key}=${value}`).join(',');
}

/** Checks that each Istio Gateway has pods to serve it, that their Services reach its ports, and that no two contend for a host. */
export function checkGatewayWorkloads(graph: Graph, settings: Settings, index: GatewayPodIndex): Finding[] {
  // Read only for gateways whose pods the set holds: most sets' gateway pods are installed outside them.
  let byNamespace: ReadonlyMap<string, readonly SelectingService[]> | undefined;
  const servicesByNamespace = (): ReadonlyMap<string, readonly SelectingService[]> =>
    byNamespace ??= groupBy(graph.services.map(service => ({ service, selector: serviceSelector(service) })), f => f.service.namespace);
  const served = [...graph.gateways.values()].map(gateway => {
    const selector = gatewaySelector(gateway);
    return { gateway, selector, pods: podsSelectedBy(index, selector) };
  });
  return [
    // An empty selector takes every gateway of the mesh, which are installed outside the set as a rule.
    ...served.flatMap(s => s.pods.length === 0 && s.selector.size > 0 ? [selectsNothing(graph, settings, s)] : checkServerPorts(servicesByNamespace, s)),
    ...checkConflicts(served),
  ];
}

/** A Gateway, its selector, and the pods that serve it. */
interface Served {
  readonly gateway: ManifestObject;
  readonly selector: ReadonlyMap<string, string>;
  readonly pods: readonly GatewayPods[];
}

function selectsNothing(graph: Graph, settings: Settings, { gateway, selector }: Served): Finding {
  const externals = settings.externalGatewayWorkloads.map(external => external.written).join('; ') || 'none declared';
  const written = writtenLabels(selector);
  return finding('gateway-selects-nothing', gateway.id, 'spec.selector',
    `selector ${formatLabels(selector)} matches the pods of no workload in the set and of no external gateway workload (${externals}), `
    + `so no proxy serves this Gateway; change it to the labels of the gateway pods${nearestMiss(selector, graph.workloads)}, `
    + `or, when those pods run outside the set, declare them: --external-gateway-workload ${written} on the command line, `
    + `RouteCheck.of(chart).addExternalGatewayWorkload('${written}') in a chart`);
}

/**
 * A server port the gateway's Services do not expose listens where no traffic through them
 * arrives. A gateway binds a server port that is a Service port to its target port, and any other
 * as it is, so either counts (istiod `resolvePorts`). Only workloads of the set have Services to
 * read, and an empty selector takes any proxy of the mesh, whose Services say nothing of it.
 */
function checkServerPorts(servicesByNamespace: () => ReadonlyMap<string, readonly SelectingService[]>, { gateway, selector, pods }: Served): Finding[] {
  const inSet = pods.flatMap(({ labels: podLabels, workload }) => workload ? [{ workload, podLabels }] : []);
  if (inSet.length === 0 || selector.size === 0) return [];
  const fronts = inSet.flatMap(({ workload, podLabels }) => (servicesByNamespace().get(workload.namespace) ?? [])
    // A Service without a selector has its endpoints managed by hand: it selects no pods.
    .filter(front => front.selector.size > 0 && selects(front.selector, podLabels))
    .map(({ service }) => ({ service, ports: exposedPorts(service, workload) })));
  const reached = new Set(fronts.flatMap(f => f.ports.flatMap(p => [p.port, p.target])));
  return list(gateway.spec, 'servers').flatMap((server, i) => {
    const number = own(own(server, 'port'), 'number');
    if (typeof number !== 'number' || reached.has(number)) return [];
    return [finding('gateway-port-not-on-service', gateway.id, `spec.servers[${i}].port.number`, `port ${number} ${unexposed(fronts, inSet.map(p => p.workload))}`)];
  });
}

function unexposed(fronts: readonly { service: ManifestObject; ports: readonly ExposedPort[] }[], workloads: readonly Workload[]): string {
  const pods = `the gateway pods of ${idList(workloads)}`;
  if (fronts.length === 0) {
    return `is exposed by no Service, as no Service in the set selects ${pods}; the gateway listens on it, but no traffic through a Service `
      + 'reaches it; add a Service that selects the gateway pods and exposes this port';
  }
  const services = fronts.map(f => `${f.service.id} (${f.ports.map(p => p.port === p.target ? `${p.port}` : `${p.port} to ${p.target}`).join(', ') || 'no tcp ports'})`);
  return `is neither a port nor a target port of ${[...new Set(services)].join(', ')}, in front of ${pods}; the gateway listens on it, `
    + 'but no traffic through the Service reaches it; listen on a port the Service exposes, or add this one to the Service';
}

interface SelectingService {
  readonly service: ManifestObject;
  readonly selector: ReadonlyMap<string, string>;
}


interface ExposedPort {
  readonly port: number;
  /** The container port that traffic to `port` reaches: `targetPort`, by number or by name, else `port`. */
  readonly target: number;
}

/** The TCP ports of a Service (a gateway listens on TCP), with a named targetPort resolved in the workload's containers. */
function exposedPorts(service: ManifestObject, workload: Workload): ExposedPort[] {
  return list(service.spec, 'ports').flatMap(port => {
    const number = own(port, 'port');
    if (typeof number !== 'number' || (text(port, 'protocol') ?? 'TCP') !== 'TCP') return [];
    const targetPort = own(port, 'targetPort');
    const target = typeof targetPort === 'string' ? containerPort(workload, targetPort) : targetPort;
    return [{ port: number, target: typeof target === 'number' ? target : number }];
  });
}

function containerPort(workload: Workload, name: string): unknown {
  const podSpec = workload.kind === 'Pod' ? workload.spec : record(record(workload.spec, 'template'), 'spec');
  const ports = list(podSpec, 'containers').flatMap(container => list(container, 'ports'));
  return own(ports.find(port => own(port, 'name') === name), 'containerPort');
}

interface ServerHost extends Served {
  readonly path: string;
  readonly host: string;
  readonly port: number;
  readonly bind: string | undefined;
  /** Whether Istio merges the server with another plain HTTP server on its port, rather than choosing one. */
  readonly mergesHttp: boolean;
  readonly hasTls: boolean;
}

/**
 * Two Gateways on the same pods that serve one host on one port: istiod keeps the server of the
 * Gateway it meets first and drops the other (`MergeGateways`). Istio's analyzer flags every such
 * pair; servers that istiod merges are left out here, as they serve both Gateways' routes: two
 * plain HTTP servers, unless both carry `tls` (an `httpsRedirect` counts), which istiod then checks
 * for duplicate hosts as it does for HTTPS. A host is compared without its namespace, as SNI
 * matches it; a different `bind` makes another listener.
 */
function checkConflicts(served: readonly Served[]): Finding[] {
  const claims = served.flatMap(s => list(s.gateway.spec, 'servers').flatMap((server, i): ServerHost[] => {
    const port = own(own(server, 'port'), 'number');
    if (typeof port !== 'number') return [];
    const protocol = text(own(server, 'port'), 'protocol');
    const mergesHttp = protocol !== undefined && HTTP_PROTOCOLS.has(protocol.toLowerCase());
    const base = { ...s, port, bind: text(server, 'bind'), mergesHttp, hasTls: isObjectLike(own(server, 'tls')) };
    return list(server, 'hosts').flatMap((host, j) => typeof host === 'string'
      ? [{ ...base, path: `spec.servers[${i}].hosts[${j}]`, host: host.slice(host.indexOf('/') + 1) }]
      : []);
  }));
  const contests = groupBy(claims, c => JSON.stringify([c.port, c.bind, c.host]));
  return [...contests.values()].flatMap(contenders => {
    const contending = contendersFor(contenders);
    return contenders.flatMap(claim => conflict(claim, contending(claim).filter(other => other.gateway !== claim.gateway && samePods(claim, other))));
  });
}

/**
 * The servers a server contends with for its host: any, for a server that is not plain HTTP; those
 * that are not plain HTTP, or carry tls too, for a plain HTTP server with tls; and those that are
 * not plain HTTP, for one without. Worked out once per host, so that many Gateways with `*` on
 * port 80 cost no more than one pass.
 */
function contendersFor(contenders: readonly ServerHost[]): (claim: ServerHost) => readonly ServerHost[] {
  const notHttp = contenders.filter(c => !c.mergesHttp);
  const withTls = contenders.filter(c => !c.mergesHttp || c.hasTls);
  return claim => !claim.mergesHttp ? contenders : claim.hasTls ? withTls : notHttp;
}

function conflict(claim: ServerHost, rivals: readonly ServerHost[]): Finding[] {
  if (rivals.length === 0) return [];
  const names = [...new Set(rivals.map(r => r.gateway.id))].sort().join(', ');
  return [finding('gateway-conflict', claim.gateway.id, claim.path,
    `host ${claim.host} on port ${claim.port} is served by ${names} too, on gateway pods that both select; `
    + `istiod keeps the server of the Gateway it meets first and drops the other's, so one of them never serves this host; `
    + 'serve the host from one Gateway, or give the servers different ports')];
}

/** Equal selectors pick the same pods wherever they run; others, when some known pods carry both. */
function samePods(a: ServerHost, b: ServerHost): boolean {
  return (a.selector.size === b.selector.size && selects(a.selector, b.selector)) || a.pods.some(pods => b.pods.includes(pods));
}
