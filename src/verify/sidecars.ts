import { hostCovers } from '../names';
import { Graph, ManifestObject, objectsOfKind } from './graph';
import { isObjectLike, list, own } from './json';

/**
 * What a Sidecar resource lets the sidecars of a namespace know (Istio's `Sidecar.egress[].hosts`):
 * the namespace's Sidecar without `workloadSelector`, else that of the root namespace, which is
 * the mesh's default. A Sidecar with a `workloadSelector` applies to some pods alone, which a route
 * does not name, and is left out; so is one without egress, which narrows nothing.
 */

/** Istio's default MeshConfig `rootNamespace`. */
const ROOT_NAMESPACE = 'istio-system';

export interface SidecarScope {
  readonly sidecar: ManifestObject;
  /** The egress hosts, as written: `namespace/dnsName`. */
  readonly hosts: readonly string[];
}

/** The Sidecar that decides what sidecars in a namespace know, if one does. */
export type ScopeOf = (namespace: string) => SidecarScope | undefined;

export function sidecarScopes(graph: Graph): ScopeOf {
  const byNamespace = new Map<string, SidecarScope>();
  for (const sidecar of objectsOfKind(graph, 'networking.istio.io', 'Sidecar')) {
    const egress = list(sidecar.spec, 'egress');
    // Two in one namespace are IST0121: istiod takes the oldest, which is the first here.
    if (isObjectLike(own(sidecar.spec, 'workloadSelector')) || egress.length === 0 || byNamespace.has(sidecar.namespace)) continue;
    const hosts = egress.flatMap(listener => list(listener, 'hosts')).filter((host): host is string => typeof host === 'string');
    byNamespace.set(sidecar.namespace, { sidecar, hosts });
  }
  return namespace => byNamespace.get(namespace) ?? byNamespace.get(ROOT_NAMESPACE);
}

/**
 * Whether an egress host `namespace/dnsName` takes `host`, declared in `declaredIn`, for sidecars in
 * `proxyNamespace`: the namespace is `*`, `.` (the sidecar's own) or the declaring one, and the
 * name covers the host.
 */
export function egressAdmits(scope: SidecarScope, proxyNamespace: string, declaredIn: string, host: string): boolean {
  return scope.hosts.some(entry => {
    const slash = entry.indexOf('/');
    const namespace = entry.slice(0, slash);
    const fits = namespace === '*' || namespace === declaredIn || (namespace === '.' && declaredIn === proxyNamespace);
    return slash !== -1 && fits && hostCovers(entry.slice(slash + 1), host);
  });
}
