import { hostCovers } from '../names';

/**
 * How Istio reads the names in its objects. The functions follow istiod's own
 * `ResolveShortnameToFQDN` and `resolveGatewayName`, so that a name means here what it means there.
 */

/** The gateway name that stands for every sidecar in the mesh. */
export const MESH = 'mesh';

/** Istio's default cluster domain; meshes installed with another one are rare and not modelled. */
const CLUSTER_SUFFIX = 'svc.cluster.local';

export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER_SUFFIX}`;
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
