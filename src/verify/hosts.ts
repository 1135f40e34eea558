import { hostCovers } from '../names';
import type { Graph } from './graph';
import { list } from './json';
import type { Settings } from './settings';

/**
 * How Istio reads the names in its objects. The functions follow istiod's own
 * `ResolveShortnameToFQDN` and `resolveGatewayName`, so that a name means here what it means there.
 */

/** The gateway name that stands for every sidecar in the mesh. */
export const MESH = 'mesh';

/** Istio's default cluster domain; meshes installed with another one are rare and not modelled. */
const CLUSTER_SUFFIX = 'svc.cluster.local';

export function serviceFqdn(name: string, namespace: string): string {
  return remembered(FQDNS, name, namespace, fqdnOf);
}

function fqdnOf(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER_SUFFIX}`;
}

/**
 * Names made of two others, by the first then the second. The checks look each name up in maps
 * many times over, and a name made anew has to be hashed anew at every lookup; made once, it is
 * hashed once. The names of one run only: see {@link forgetNames}.
 */
type NameMemo = Map<string, Map<string, string>>;

const FQDNS: NameMemo = new Map();
const GATEWAY_REFS: NameMemo = new Map();

// Stryker disable BlockStatement: forgetting frees memory only; the names made afresh are the same
/**
 * Empties the names made so far. Every run starts with it (buildGraph) and every entry ends with it
 * ({@link forgettingNames}), so that no run's names outlive it, nor the text of the manifests they
 * may be slices of.
 */
export function forgetNames(): void {
  FQDNS.clear();
  GATEWAY_REFS.clear();
}

/** What `run` returns, the names it made forgotten. */
export function forgettingNames<T>(run: () => T): T {
  try {
    return run();
  } finally {
    forgetNames();
  }
}
// Stryker restore BlockStatement

function remembered(memo: NameMemo, first: string, second: string, make: (first: string, second: string) => string): string {
  let bySecond = memo.get(first);
  // Stryker disable next-line ConditionalExpression: a memo; a map made anew holds the same names
  if (!bySecond) memo.set(first, bySecond = new Map());
  let name = bySecond.get(second);
  // Stryker disable next-line ConditionalExpression: a memo; a name made anew is the same name
  if (name === undefined) bySecond.set(second, name = make(first, second));
  return name;
}

/**
 * The host Istio looks up for a name written in an object of `namespace`. Only a dot-free short
 * name is expanded, in the namespace of the object that names it (not of the Service); `*`, IPv6
 * addresses and anything with a dot are taken literally.
 */
export function resolveHost(host: string, namespace: string): string {
  return host === '*' || host.includes('.') || host.includes(':') ? host : serviceFqdn(host, namespace);
}

/** The Service FQDN that `name.ns`, `name.ns.svc` or `name.ns.svc.cluster` was meant to be. */
export function intendedFqdn(host: string): string | undefined {
  const match = /^([^.]+)\.([^.]+)(\.svc(\.cluster)?)?$/.exec(host);
  return match ? serviceFqdn(match[1], match[2]) : undefined;
}

/** Whether two host patterns share a host: Istio binds a VirtualService host and a Gateway host when they do. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** `mesh` or `ns/name` for a VirtualService `gateways` entry: `ns/name`, `./name`, a bare name, or legacy `name.ns…`. */
export function resolveGatewayRef(ref: string, namespace: string): string {
  if (ref === MESH) return MESH;
  return remembered(GATEWAY_REFS, ref, namespace, gatewayRefIn);
}

function gatewayRefIn(ref: string, namespace: string): string {
  const slash = ref.indexOf('/');
  if (slash >= 0) return ref.slice(0, slash) === '.' ? namespace + ref.slice(slash) : ref;
  const [name, legacyNamespace] = ref.split('.');
  return legacyNamespace === undefined ? `${namespace}/${name}` : `${legacyNamespace}/${name}`;
}

/**
 * Whether a Gateway server host admits `host` of a VirtualService in `vsNamespace`. A server host
 * is `dnsName` (any namespace), `ns/dnsName`, `./dnsName` (the Gateway's namespace) or `*` + `/dnsName`.
 */
export function serverAdmits(serverHost: string, gatewayNamespace: string, vsNamespace: string, host: string): boolean {
  const slash = serverHost.indexOf('/');
  const namespace = slash < 0 ? '*' : serverHost.slice(0, slash);
  const admitted = namespace === '*' || namespace === vsNamespace || (namespace === '.' && gatewayNamespace === vsNamespace);
  return admitted && hostsOverlap(serverHost.slice(slash + 1), host);
}

/** Whether one of a gateway server's `hosts` admits one of `hosts`, of a VirtualService in `vsNamespace`. */
export function serverAdmitsAny(server: unknown, gatewayNamespace: string, vsNamespace: string, hosts: readonly { readonly host: string }[]): boolean {
  return list(server, 'hosts').some(serverHost => typeof serverHost === 'string' && hosts.some(({ host }) => serverAdmits(serverHost, gatewayNamespace, vsNamespace, host)));
}

/** What Istio puts in the names of the Istio Gateways it generates for Kubernetes Gateway API Gateways. */
export const INTERNAL_GATEWAY_MARK = '~istio-autogenerated-k8s-gateway~';

/**
 * Whether `ns/name` names a Gateway that istiod generates from a Kubernetes Gateway API Gateway, as
 * `<gateway>~istio-autogenerated-k8s-gateway~<listener>` (Istio's `IsInternalGatewayReference`,
 * which looks at the name alone: a namespace cannot hold a `~`).
 */
export function isInternalGatewayRef(gateway: string): boolean {
  return gateway.includes(INTERNAL_GATEWAY_MARK);
}

/** Whether a host is served from outside the Kubernetes Services of the set, whichever namespaces see it. */
export function isDeclaredElsewhere(graph: Graph, settings: Settings, host: string, resolved: string): boolean {
  return isExternalHost(settings, host, resolved) || graph.serviceEntryHosts.some(entry => hostCovers(entry.host, resolved));
}

/** Whether a host, as written or resolved, is one the options declare outside the set. */
export function isExternalHost(settings: Settings, host: string, resolved: string): boolean {
  return settings.generatedHosts.has(resolved) || settings.externalHosts.some(pattern => hostCovers(pattern, host) || hostCovers(pattern, resolved));
}
