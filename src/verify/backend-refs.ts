/**
 * The backends of the Gateway API's HTTPRoutes and GRPCRoutes. istiod turns each backendRef into a
 * route destination (conversion.go buildDestination) and reports one it cannot resolve only in the
 * route's status (`ResolvedRefs: False`), where a pull request never shows it: the requests the
 * backend would take then fail. Istio's analyzers read none of this.
 */

import { GATEWAY_API, Graph, ManifestObject, gatewayApiRoutes, objectsOfKind } from './graph';
import { isExternalHost, serviceFqdn } from './hosts';
import { Json, isObjectLike, list, own, record, show, text } from './json';
import { OwnerOf, portOwners } from './ports';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each backendRef to a Service names one of the set, by name, with one of its ports, and that the route may refer to it. */
export function checkBackendRefs(graph: Graph, settings: Settings): Finding[] {
  const grants = objectsOfKind(graph, GATEWAY_API, 'ReferenceGrant');
  const portsOf = portOwners(graph);
  return gatewayApiRoutes(graph).flatMap(route => {
    const checked = { graph, settings, grants, portsOf, route, enforced: refersFromGateway(route) };
    return backendRefs(route).flatMap(site => checkBackendRef(checked, site));
  });
}

interface CheckedRoute {
  readonly graph: Graph;
  readonly settings: Settings;
  readonly grants: readonly ManifestObject[];
  readonly portsOf: OwnerOf;
  readonly route: ManifestObject;
  /** Whether a gateway takes the route, for which alone istiod asks a ReferenceGrant of a backend in another namespace. */
  readonly enforced: boolean;
}

/** A backendRef, where it is written, and whether it is a request mirror's. */
interface Site {
  readonly path: string;
  readonly ref: Json;
  readonly mirror: boolean;
}

/**
 * The backendRefs istiod resolves: a rule's, but not those of weight 0, which it drops unread
 * (buildHTTPDestination), and a request mirror's.
 */
function backendRefs(route: ManifestObject): Site[] {
  return list(route.spec, 'rules').flatMap((rule, i) => [
    ...list(rule, 'backendRefs').flatMap((ref, j) =>
      (isObjectLike(ref) && own(ref, 'weight') !== 0 ? [{ path: `spec.rules[${i}].backendRefs[${j}]`, ref, mirror: false }] : [])),
    // A filter of another type reads as a backendRef without a name, which is passed over.
    ...list(rule, 'filters').map((filter, j) =>
      ({ path: `spec.rules[${i}].filters[${j}].requestMirror.backendRef`, ref: record(record(filter, 'requestMirror'), 'backendRef'), mirror: true })),
  ]);
}

/**
 * What a backendRef istiod cannot use costs. A name or port it cannot read at all is a hard error,
 * which drops every rule of the route (route_collections.go computeRoute), and so is any fault of
 * a GRPCRoute's mirror; an HTTPRoute's mirror is dropped alone (conversion.go convertHTTPRoute).
 * A backend it cannot find or may not refer to fails the requests it would take.
 */
function cost(route: ManifestObject, site: Site, unreadable: boolean): string {
  if (site.mirror && route.kind !== 'GRPCRoute') return 'istiod drops the mirror, and the rule serves its requests unmirrored';
  return unreadable || site.mirror ? `istiod refuses the ${route.kind}, which then serves none of its rules` : 'the requests this backend would take fail';
}

function checkBackendRef(checked: CheckedRoute, site: Site): Finding[] {
  const { graph, settings, route } = checked;
  const { path, ref } = site;
  const name = text(ref, 'name');
  if (!isService(ref) || name === undefined) return [];
  const namespace = text(ref, 'namespace') ?? route.namespace;
  if (name.includes('.')) {
    return [finding('backend-ref-not-found', route.id, `${path}.name`,
      `name ${show(name)} is a host name, where istiod takes only a Service's own name, so ${cost(route, site, true)}; `
      + `write the Service's name, e.g. ${show(name.split('.')[0])}, with its namespace in \`namespace\``)];
  }
  const port = own(ref, 'port');
  if (port === undefined || port === null) {
    return [finding('backend-ref-port-not-found', route.id, path,
      `names no port, which a Service backend needs, so ${cost(route, site, true)}; give the port of the Service to send to`)];
  }
  const host = serviceFqdn(name, namespace);
  if (!graph.serviceByHost.has(host)) {
    return isExternalHost(settings, host, host) ? [] : [finding('backend-ref-not-found', route.id, `${path}.name`,
      `the Service ${namespace}/${name} is not in the set, so istiod marks the route's references unresolved and ${cost(route, site, false)}; `
      + `point it at an existing Service, or, when it runs outside the set, declare it: --external-host ${host} on the command line, `
      + `RouteCheck.of(chart).addExternalHost('${host}') in a chart`)];
  }
  return [...checkPort(checked, site, host, port), ...checkGrant(checked, site, name, namespace)];
}

/** A backendRef to a Service unless it names another group or kind (conversion.go NormalizeReference). */
function isService(ref: Json): boolean {
  return (text(ref, 'group') ?? '') === '' && (text(ref, 'kind') ?? 'Service') === 'Service';
}

/** The port must be one of the Service's, or of the host an ExternalName Service stands for, whose cluster istiod routes to. */
function checkPort({ route, portsOf }: CheckedRoute, site: Site, host: string, port: unknown): Finding[] {
  const owner = portsOf(host);
  if (!owner || owner.numbers.includes(port)) return [];
  const lost = site.mirror ? 'the mirrored copies find no cluster' : 'the requests this backend would take fail';
  return [finding('backend-ref-port-not-found', route.id, `${site.path}.port`,
    `port ${show(port)} is not a port of ${owner.name} (it has ${owner.numbers.map(show).join(', ') || 'none'}), so ${lost}; use one of its ports`)];
}

/** A Service of another namespace is a gateway route's backend only where a ReferenceGrant there permits it (ReferenceGrants.BackendAllowed). */
function checkGrant(checked: CheckedRoute, site: Site, name: string, namespace: string): Finding[] {
  const { grants, route } = checked;
  if (!checked.enforced || namespace === route.namespace) return [];
  if (grants.some(grant => grant.namespace === namespace && permits(grant, route, name))) return [];
  return [finding('backend-ref-not-permitted', route.id, `${site.path}.namespace`,
    `the Service ${namespace}/${name} is in another namespace than the ${route.kind}, and no ReferenceGrant in ${namespace} permits `
    + `${route.kind}s of ${route.namespace} to refer to it, so istiod refuses the reference and ${cost(route, site, false)}; `
    + `add a ReferenceGrant in ${namespace} from ${route.kind}s of namespace ${route.namespace} to Services`)];
}

function permits(grant: ManifestObject, route: ManifestObject, name: string): boolean {
  const from = list(grant.spec, 'from').some(entry =>
    text(entry, 'group') === GATEWAY_API && text(entry, 'kind') === route.kind && text(entry, 'namespace') === route.namespace);
  return from && list(grant.spec, 'to').some(entry =>
    (text(entry, 'group') ?? '') === '' && text(entry, 'kind') === 'Service' && [undefined, name].includes(text(entry, 'name')));
}

/** Whether some parentRef is a gateway's rather than a Service's or ServiceEntry's (the mesh: GAMMA), for which istiod checks no grant. */
function refersFromGateway(route: ManifestObject): boolean {
  return list(route.spec, 'parentRefs').some(parent => isObjectLike(parent) && !MESH_PARENTS.some(kind => text(parent, 'kind') === kind));
}

const MESH_PARENTS = ['Service', 'ServiceEntry'];
