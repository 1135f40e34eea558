/**
 * The backends of the Gateway API's HTTPRoutes and GRPCRoutes. istiod turns each backendRef into a
 * route destination (conversion.go buildDestination) and reports one it cannot resolve only in the
 * route's status (`ResolvedRefs: False`), where a pull request never shows it: the requests the
 * backend would take then fail. Istio's analyzers read none of this.
 */

import { GATEWAY_API, Graph, ManifestObject, gatewayApiRoutes, objectsOfKind } from './graph';
import { isExternalHost, serviceFqdn } from './hosts';
import { Json, isObjectLike, list, own, record, show, text } from './json';
import { servicePortNumbers } from './ports';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each backendRef to a Service names one of the set, by name, with one of its ports, and that the route may refer to it. */
export function checkBackendRefs(graph: Graph, settings: Settings): Finding[] {
  const grants = objectsOfKind(graph, GATEWAY_API, 'ReferenceGrant');
  return gatewayApiRoutes(graph).flatMap(route => {
    const checked = { graph, settings, grants, route, enforced: refersFromGateway(route) };
    return backendRefs(route).flatMap(([path, ref]) => checkBackendRef(checked, path, ref));
  });
}

interface CheckedRoute {
  readonly graph: Graph;
  readonly settings: Settings;
  readonly grants: readonly ManifestObject[];
  readonly route: ManifestObject;
  /** Whether a gateway takes the route, for which alone istiod asks a ReferenceGrant of a backend in another namespace. */
  readonly enforced: boolean;
}

/**
 * The backendRefs istiod resolves, with their paths: a rule's, but not those of weight 0, which it
 * drops unread (buildHTTPDestination), and a request mirror's.
 */
function backendRefs(route: ManifestObject): [string, Json][] {
  return list(route.spec, 'rules').flatMap((rule, i) => [
    ...list(rule, 'backendRefs').flatMap((ref, j): [string, Json][] =>
      (isObjectLike(ref) && own(ref, 'weight') !== 0 ? [[`spec.rules[${i}].backendRefs[${j}]`, ref]] : [])),
    // A filter of another type reads as a backendRef without a name, which is passed over.
    ...list(rule, 'filters').map((filter, j): [string, Json] =>
      [`spec.rules[${i}].filters[${j}].requestMirror.backendRef`, record(record(filter, 'requestMirror'), 'backendRef')]),
  ]);
}

function checkBackendRef(checked: CheckedRoute, path: string, ref: Json): Finding[] {
  const { graph, settings, route } = checked;
  const name = text(ref, 'name');
  if (!isService(ref) || name === undefined) return [];
  const namespace = text(ref, 'namespace') ?? route.namespace;
  if (name.includes('.')) {
    return [finding('backend-ref-not-found', route.id, `${path}.name`,
      `name ${show(name)} is a host name, and istiod takes only a Service's own name there, so it refuses the rule; `
      + `write the Service's name, e.g. ${show(name.split('.')[0])}, with its namespace in \`namespace\``)];
  }
  const host = serviceFqdn(name, namespace);
  const service = graph.serviceByHost.get(host);
  if (!service) {
    return isExternalHost(settings, host, host) ? [] : [finding('backend-ref-not-found', route.id, `${path}.name`,
      `the Service ${namespace}/${name} is not in the set, so istiod marks the route's references unresolved and the requests `
      + `this backend would take fail; point it at an existing Service, or declare ${host} an external host`)];
  }
  return [...checkPort(route, path, ref, service), ...checkGrant(checked, path, name, namespace)];
}

/** A backendRef to a Service unless it names another group or kind (conversion.go NormalizeReference). */
function isService(ref: Json): boolean {
  return (text(ref, 'group') ?? '') === '' && (text(ref, 'kind') ?? 'Service') === 'Service';
}

function checkPort(route: ManifestObject, path: string, ref: Json, service: ManifestObject): Finding[] {
  const port = own(ref, 'port');
  const numbers = servicePortNumbers(service);
  if (port === undefined) {
    return [finding('backend-ref-port-not-found', route.id, path,
      `names no port, which a Service backend needs, so istiod refuses the rule; give one of ${service.id}'s ports (${portList(numbers)})`)];
  }
  return numbers.includes(port) ? [] : [finding('backend-ref-port-not-found', route.id, `${path}.port`,
    `port ${show(port)} is not a port of ${service.id} (it has ${portList(numbers)}), so the requests this backend would take fail; `
    + 'use one of its ports')];
}

function portList(numbers: readonly unknown[]): string {
  return numbers.map(show).join(', ') || 'none';
}

/** A Service of another namespace is a gateway route's backend only where a ReferenceGrant there permits it (ReferenceGrants.BackendAllowed). */
function checkGrant(checked: CheckedRoute, path: string, name: string, namespace: string): Finding[] {
  const { grants, route } = checked;
  if (!checked.enforced || namespace === route.namespace) return [];
  if (grants.some(grant => grant.namespace === namespace && permits(grant, route, name))) return [];
  return [finding('backend-ref-not-permitted', route.id, `${path}.namespace`,
    `the Service ${namespace}/${name} is in another namespace than the ${route.kind}, and no ReferenceGrant in ${namespace} permits `
    + `${route.kind}s of ${route.namespace} to refer to it, so istiod refuses the reference and the requests this backend would take fail; `
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
