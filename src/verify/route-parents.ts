/**
 * Where the Gateway API's HTTPRoutes and GRPCRoutes attach. A parentRef naming a Gateway attaches
 * the route to those of its listeners that it selects (by `sectionName` and `port`) and that take
 * it: a listener hostname meeting a hostname of the route, the route's namespace among those the
 * listener admits (`allowedRoutes.namespaces`, its own Gateway's namespace unless said otherwise),
 * and the route's kind among those it takes (conversion.go referenceAllowed,
 * GenerateGatewaySupportedKinds). Where none does, istiod sets `Accepted: False` in the route's
 * status, which no pull request shows, and the gateway serves none of the route's rules.
 */

import { GATEWAY_API, Graph, ManifestObject, gatewayApiRoutes, objectLabels } from './graph';
import { hostsOverlap } from './hosts';
import { Json, isObjectLike, list, own, record, show, text } from './json';
import { labelSelectorMatches, readLabelSelector } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each Gateway a route names is there, and that a listener of it takes the route. */
export function checkRouteParents(graph: Graph, settings: Settings): Finding[] {
  return gatewayApiRoutes(graph).flatMap(route => list(route.spec, 'parentRefs').flatMap((parent, i) => {
    if (!isObjectLike(parent) || !isGatewayParent(parent)) return [];
    const name = text(parent, 'name');
    if (name === undefined) return [];
    const key = `${text(parent, 'namespace') ?? route.namespace}/${name}`;
    const gateway = graph.kubernetesGateways.get(key);
    const path = `spec.parentRefs[${i}]`;
    if (!gateway) {
      return settings.externalGateways.has(key) ? [] : [finding('route-parent-not-found', route.id, `${path}.name`,
        `the Gateway ${key} is not in the set, so the route attaches to no gateway there; name an existing Gateway, or, when it exists `
        + `outside the set, declare it: --external-gateway ${key} on the command line, RouteCheck.of(chart).addExternalGateway('${key}') in a chart`)];
    }
    if (text(gateway.spec, 'gatewayClassName') === WAYPOINT_CLASS) return [];
    const refusal = refusalOf({ namespaces: graph.namespaces, route, gateway, parent });
    return refusal === undefined ? [] : [finding('route-not-accepted', route.id, path,
      `no listener of Gateway ${key} takes the route: ${refusal}, so istiod sets Accepted: False and the gateway serves none of its rules; `
      + 'change the route or a listener so that one takes it')];
  }));
}

const WAYPOINT_CLASS = 'istio-waypoint';

/** A parentRef of kind Gateway, the default, of the Gateway API's group: not a Service (GAMMA), a ServiceEntry or a ListenerSet. */
function isGatewayParent(parent: Json): boolean {
  return (text(parent, 'group') ?? GATEWAY_API) === GATEWAY_API && (text(parent, 'kind') ?? 'Gateway') === 'Gateway';
}

interface Attachment {
  readonly namespaces: ReadonlyMap<string, ManifestObject>;
  readonly route: ManifestObject;
  readonly gateway: ManifestObject;
  readonly parent: Json;
}

/** Why no listener the parentRef selects takes the route, or undefined where one does, or where that depends on what the set does not show. */
function refusalOf(attachment: Attachment): string | undefined {
  const { gateway, parent } = attachment;
  const listeners = list(gateway.spec, 'listeners').filter(isObjectLike);
  const section = text(parent, 'sectionName');
  const port = own(parent, 'port');
  const selected = listeners.filter(l => (section === undefined || text(l, 'name') === section) && (port === undefined || own(l, 'port') === port));
  if (selected.length === 0) {
    const wanted = [section && `named ${show(section)}`, port !== undefined && `on port ${show(port)}`].filter(Boolean).join(' ');
    return wanted && listeners.length > 0 ? `it has no listener ${wanted} (it has ${listeners.map(describe).join(', ')})` : 'it has no listeners';
  }
  const reasons = selected.map(l => listenerRefusal(attachment, l));
  return reasons.includes(undefined) ? undefined : reasons.join('; ');
}

function describe(listener: Json): string {
  return `${show(text(listener, 'name'))} on port ${show(own(listener, 'port'))}`;
}

/** Why one listener does not take the route, in istiod's order: hostnames, namespaces, kinds. */
function listenerRefusal(attachment: Attachment, listener: Json): string | undefined {
  const { route } = attachment;
  const hostname = text(listener, 'hostname');
  const hostnames = list(route.spec, 'hostnames').filter((h): h is string => typeof h === 'string');
  const named = describe(listener);
  if (hostname !== undefined && hostnames.length > 0 && !hostnames.some(h => hostsOverlap(hostname, h))) {
    return `${named} has the hostname ${hostname}, which meets none of the route's (${hostnames.join(', ')})`;
  }
  const admitted = admittedNamespaces(attachment, listener);
  if (admitted) return `${named} admits routes of ${admitted} only, and the route is in ${route.namespace}`;
  const kinds = routeKinds(listener);
  if (kinds.includes(route.kind)) return undefined;
  return kinds.length === 0 ? `${named} takes no kind of route` : `${named} takes ${kinds.join(' and ')} only, not ${route.kind}s`;
}

/** Which namespaces a listener admits routes from, where it refuses the route's; undefined where it admits it, or may. */
function admittedNamespaces({ namespaces, route, gateway }: Attachment, listener: Json): string | undefined {
  const from = record(record(listener, 'allowedRoutes'), 'namespaces');
  switch (text(from, 'from') ?? 'Same') {
    case 'Same': return route.namespace === gateway.namespace ? undefined : `its Gateway's namespace ${gateway.namespace}`;
    case 'Selector': return selected(namespaces, route.namespace, record(from, 'selector'));
    default: return undefined;
  }
}

/** The Kubernetes name label every Namespace carries, which a selector may pick it by where its Namespace is not in the set. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

function selected(namespaces: ReadonlyMap<string, ManifestObject>, namespace: string, selector: Json): string | undefined {
  const known = namespaces.get(namespace);
  const labels = new Map(known ? objectLabels(known) : []);
  labels.set(NAME_LABEL, namespace);
  const read = readLabelSelector(selector);
  const keys = [...read.matchLabels.keys(), ...read.matchExpressions.map(e => text(e, 'key'))];
  // Without the Namespace, only its name label is known.
  if (!known && keys.some(key => key !== NAME_LABEL)) return undefined;
  return labelSelectorMatches(read, labels) ? undefined : `namespaces whose labels match its selector ${JSON.stringify(selector)}`;
}

/** The kinds of route a listener takes: those of its protocol, of which `allowedRoutes.kinds` may keep some (GenerateGatewaySupportedKinds). */
function routeKinds(listener: Json): string[] {
  const protocol = text(listener, 'protocol');
  const terminated = protocol === 'TLS' && text(record(listener, 'tls'), 'mode') === 'Terminate';
  const supported = [...KINDS_OF_PROTOCOL.get(protocol) ?? [], ...terminated ? ['TCPRoute'] : []];
  const allowed = list(record(listener, 'allowedRoutes'), 'kinds');
  if (allowed.length === 0) return supported;
  // Only a group left out is the Gateway API's: istiod defaults it alone, so "" names the core group.
  return supported.filter(kind => allowed.some(k => text(k, 'kind') === kind && (own(k, 'group') ?? GATEWAY_API) === GATEWAY_API));
}

const KINDS_OF_PROTOCOL = new Map<string | undefined, string[]>([
  ['HTTP', ['HTTPRoute', 'GRPCRoute']],
  ['HTTPS', ['HTTPRoute', 'GRPCRoute']],
  ['TCP', ['TCPRoute']],
  ['TLS', ['TLSRoute']],
]);
