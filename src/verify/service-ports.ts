import { Graph, ManifestObject, Workload, addTo, groupBy, objectLabels, podsOfService } from './graph';
import { Json, labels, list, own, record, show, text } from './json';
import { routedServicePorts, servicePortKey } from './ports';
import { HOST_MATCHED_PROTOCOLS, portLabel, portProtocol } from './protocols';
import { Finding, finding } from './types';

/**
 * Checks every Service port as Istio reads it, routed or not: that it declares a protocol Istio
 * knows, that an ExternalName Service's ports can be told apart by host, and that the Services
 * on one pod agree on each pod port.
 */
export function checkServicePorts(graph: Graph): Finding[] {
  const routed = routedServicePorts(graph);
  return [
    ...graph.services.filter(isNamedByUser).flatMap(service => list(service.spec, 'ports')
      .flatMap((port, index) => checkPortName(service, port, index, routed))),
    ...checkSharedPodPorts(graph),
  ];
}

/**
 * Namespaces that `istioctl analyze` drops from its input and that Istio never injects sidecars
 * into (istio `inject.IgnoredNamespaces`).
 */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

const MANAGED_LABEL = 'gateway.istio.io/managed';

/** Values of {@link MANAGED_LABEL} on the Services and Deployments Istio generates for gateways and waypoints. */
const ISTIO_MANAGED: ReadonlySet<string | undefined> = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

const INJECT = 'sidecar.istio.io/inject';

function isIstioManaged(objectLabels: ReadonlyMap<string, string>): boolean {
  return ISTIO_MANAGED.has(objectLabels.get(MANAGED_LABEL));
}

/** Istio's port-name analyzer leaves out system namespaces, its own control plane and the Services it generates. */
function isNamedByUser(service: ManifestObject): boolean {
  const serviceLabels = objectLabels(service);
  return !SYSTEM_NAMESPACES.has(service.namespace) && !serviceLabels.has('istio') && serviceLabels.get('release') !== 'istio'
    && !isIstioManaged(serviceLabels);
}

function checkPortName(service: ManifestObject, port: unknown, index: number, routed: ReadonlyMap<string, string>): Finding[] {
  if (text(service.spec, 'type') === 'ExternalName') return checkExternalNamePort(service, port, index);
  if (portProtocol(port) !== undefined) return [];
  const route = routed.get(servicePortKey(service, index));
  return [finding('port-protocol-unknown', service.id, `spec.ports[${index}]`,
    `${portLabel(port)} declares no protocol Istio knows, so Istio has to sniff it: http/1.1 and http/2 are detected, anything else `
    + `is opaque tcp and server-first protocols stall; ${route ? `${route} routes to it, so ` : ''}`
    + `name it <protocol>[-suffix] such as http-web, or set appProtocol`)];
}

/**
 * Istio's analyzer flags the name `tcp` alone, even under an appProtocol that overrides it, and
 * misses `tcp-db` and `mysql`: what goes wrong is any port sidecars match by number alone. UDP is
 * not proxied at all.
 */
function checkExternalNamePort(service: ManifestObject, port: unknown, index: number): Finding[] {
  const protocol = portProtocol(port);
  if (protocol === 'udp' || HOST_MATCHED_PROTOCOLS.has(protocol)) return [];
  const declared = protocol === undefined
    ? 'declares no protocol Istio knows, so what sniffing does not find to be http is proxied as opaque tcp'
    : `is declared ${protocol}, which sidecars proxy as opaque tcp`;
  return [finding('external-name-port-name', service.id, `spec.ports[${index}]`,
    `${portLabel(port)} ${declared}; an ExternalName service has no cluster IP, so sidecars match that traffic on the port number alone `
    + `and may send other destinations' traffic on port ${show(own(port, 'port'))} to it, or fail to forward it; `
    + `name the port for a protocol matched by host (http-, http2-, grpc-, https- or tls-<suffix>) or set appProtocol`)];
}

/** A Service port as it reaches one workload's pods. */
interface PodPortUse {
  readonly service: ManifestObject;
  readonly index: number;
  readonly port: unknown;
  /** The pod port it targets: `targetPort`, a name resolved through the containers' ports, else `port`. */
  readonly podPort: unknown;
  readonly protocol: string | undefined;
}

/**
 * A sidecar builds one inbound chain per pod port, from the oldest of the Services that target it
 * (istiod `getFilterChainsByServicePort`), so Services that disagree on a pod port lose. Istio's
 * analyzer compares Service ports and the Kubernetes protocol field (TCP, UDP); the sidecar keys
 * on the pod port and the protocol Istio reads from the name or appProtocol, as this does.
 */
function checkSharedPodPorts(graph: Graph): Finding[] {
  const servicesOf = new Map<Workload, ManifestObject[]>();
  // A Service without a selector has hand-managed endpoints: which pods they are is not in the set.
  for (const service of graph.services) for (const workload of podsOfService(graph, service)) addTo(servicesOf, workload, service);
  const findings: Finding[] = [];
  for (const [workload, services] of servicesOf) {
    // A pod port that one Service port alone targets, as most are, conflicts with nothing.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: an early return that only saves time; the rest gives the same
    if (services.length === 1 && list(services[0].spec, 'ports').length < 2) continue;
    if (!hasSidecar(workload)) continue;
    const all = services.flatMap(service => podPortUses(service, workload));
    for (const shared of groupBy(all, u => podPortKey(u.podPort)).values()) for (const use of shared) findings.push(...conflicts(workload, use, shared));
  }
  // A Service port that conflicts on several workloads is reported once, naming the first.
  const once = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.object, f.path, f.code]);
    if (!once.has(key)) once.set(key, f);
  }
  return [...once.values()];
}

/**
 * Istio never injects a sidecar into system namespaces, nor into pods that set `sidecar.istio.io/inject`
 * (label before annotation) to anything but "true"; the proxies it generates for gateways and
 * waypoints are no sidecars either. The namespace's injection label is not looked at: verify
 * assumes the routed workloads are in the mesh.
 */
function hasSidecar(workload: Workload): boolean {
  const pod = podMetadata(workload);
  const inject = labels(pod, 'labels').get(INJECT) ?? labels(pod, 'annotations').get(INJECT);
  return !SYSTEM_NAMESPACES.has(workload.namespace) && (inject === undefined || inject === 'true') && !isIstioManaged(objectLabels(workload));
}

function podMetadata(workload: Workload): Json {
  return workload.kind === 'Pod' ? workload.metadata : record(record(workload.spec, 'template'), 'metadata');
}

/** Kubernetes port protocols that never reach a sidecar, which intercepts TCP alone. */
const NOT_INTERCEPTED: ReadonlySet<string | undefined> = new Set(['UDP', 'SCTP']);

function podPortUses(service: ManifestObject, workload: Workload): PodPortUse[] {
  return list(service.spec, 'ports').flatMap((port, index) => NOT_INTERCEPTED.has(text(port, 'protocol'))
    ? []
    : [{ service, index, port, podPort: podPort(port, workload), protocol: portProtocol(port) }]);
}

/** A targetPort of 0 or '' means the port itself, as Kubernetes defaults it. */
function podPort(port: unknown, workload: Workload): unknown {
  const target = own(port, 'targetPort');
  if (typeof target === 'string' && target !== '') return containerPorts(workload).get(target) ?? target;
  return typeof target === 'number' && target !== 0 ? target : own(port, 'port');
}

/** A port without a number targets nothing to compare. */
function podPortKey(podPort: unknown): string | undefined {
  // Stryker disable next-line ConditionalExpression: JSON.stringify(undefined) is undefined too, which its type does not say
  return podPort === undefined ? undefined : JSON.stringify(podPort);
}

/** Named container ports, by name; a Pod declares its containers itself, the others in their pod template. */
function containerPorts(workload: Workload): ReadonlyMap<string, unknown> {
  const pod = workload.kind === 'Pod' ? workload.spec : record(record(workload.spec, 'template'), 'spec');
  return new Map(list(pod, 'containers').flatMap(c => list(c, 'ports')).flatMap(p => {
    const name = text(p, 'name');
    return name ? [[name, own(p, 'containerPort')] as const] : [];
  }));
}

function conflicts(workload: Workload, use: PodPortUse, shared: readonly PodPortUse[]): Finding[] {
  const target = `pod port ${String(use.podPort)} of ${workload.id}`;
  const path = `spec.ports[${use.index}]`;
  const protocols = shared.filter(other => other.protocol !== use.protocol);
  // One Service may expose a pod port under two numbers (80 and 8080): the sidecar serves both alike.
  const ports = shared.filter(other => other.service !== use.service && own(other.port, 'port') !== own(use.port, 'port'));
  return [
    ...protocols.length === 0 ? [] : [finding('workload-port-protocol-conflict', use.service.id, path,
      `${portLabel(use.port)} declares ${protocolName(use)} for ${target}, but ${protocols.map(o => `${o.service.id} ${portLabel(o.port)} declares ${protocolName(o)}`).join(', ')}; `
      + `a sidecar serves each pod port with one protocol, taken from the oldest Service, so traffic through the others is proxied with the wrong one; `
      + `declare the same protocol (port name or appProtocol) on every Service port that targets ${target}`)],
    ...ports.length === 0 ? [] : [finding('workload-target-port-conflict', use.service.id, path,
      `${portLabel(use.port)} targets ${target}, which ${ports.map(o => `${o.service.id} reaches as ${portLabel(o.port)}`).join(', ')}; `
      + `a sidecar builds one inbound chain per pod port, from the oldest Service, so its telemetry counts requests through the others as that one's, `
      + `and Istio asks the Services that select one workload to give a target port one port number; use the same port number in each, or target another pod port`)],
  ];
}

function protocolName(use: PodPortUse): string {
  return use.protocol ?? 'no protocol (sniffed)';
}
