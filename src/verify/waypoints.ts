/**
 * Istio's ambient data plane: pods run without sidecars, ztunnel carries their traffic at L4, and
 * only a waypoint proxy applies HTTP routes, for the Services enrolled with it. A route for a
 * Service in ambient mode that no waypoint serves is ignored: ztunnel spreads the traffic over
 * every pod of the Service. Istio has no analyzer for this; istiod reports a waypoint it cannot
 * find as the condition `istio.io/WaypointBound: False` on the Service.
 */

import { Graph, ManifestObject, Workload, gatewayApiRoutes, objectLabels, podsOfService } from './graph';
import { serviceFqdn } from './hosts';
import { list, text } from './json';
import { claimedHosts, isBoundToMesh } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

const DATAPLANE_MODE = 'istio.io/dataplane-mode';
const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
const WAYPOINT_CLASS = 'istio-waypoint';

/** Checks that the L7 routes of Services in ambient mode have a waypoint to apply them, and that the waypoints named exist. */
export function checkWaypoints(graph: Graph, settings: Settings): Finding[] {
  const mesh = new AmbientMesh(graph);
  // Each finding is of a Service in ambient mode, which most sets have none of.
  // Stryker disable next-line ConditionalExpression,BlockStatement: an early return that only saves time; the rest gives the same
  if (!mesh.hasAmbient()) return [];
  return [
    ...gatewayApiRoutes(graph).flatMap(route => checkServiceParents(graph, mesh, route)),
    ...graph.virtualServices.filter(isBoundToMesh).flatMap(vs => checkMeshHosts(graph, mesh, vs)),
    ...checkEnrolments(graph, settings, mesh),
  ];
}

/** A Service's waypoint as a label names it, and the object that carries the label: the Service, or its Namespace. */
export interface Enrolment {
  readonly carrier: ManifestObject;
  /** `namespace/name` of the waypoint. */
  readonly waypoint: string;
}

/** Which Services of the set run in ambient mode, and which waypoint each is enrolled with. */
export class AmbientMesh {
  constructor(private readonly graph: Graph) {}

  /** Whether any pods or namespace of the set is in ambient mode: without one, no Service is. */
  public hasAmbient(): boolean {
    // Stryker disable next-line ConditionalExpression,MethodExpression: taking more sets for ambient only runs the checks, which find the same
    const pods = this.graph.workloads.some(w => w.podLabels?.get(DATAPLANE_MODE) === 'ambient');
    // Stryker disable next-line ConditionalExpression,MethodExpression: as above
    const namespaces = [...this.graph.namespaces.values()].some(namespace => objectLabels(namespace).get(DATAPLANE_MODE) === 'ambient');
    // Stryker disable next-line ConditionalExpression: as above
    return pods || namespaces;
  }

  /** Why the Service's pods are in ambient mode, for messages; undefined when none of them is, or none is in the set. */
  public ambientReason(service: ManifestObject): string | undefined {
    const pods = podsOfService(this.graph, service);
    const enrolled = pods.find(w => w.podLabels?.get(DATAPLANE_MODE) === 'ambient');
    if (enrolled) return `the pods of ${enrolled.id} are labelled ${DATAPLANE_MODE}: ambient`;
    const namespace = this.graph.namespaces.get(service.namespace);
    if (!namespace || objectLabels(namespace).get(DATAPLANE_MODE) !== 'ambient') return undefined;
    // A pod may opt out by label, and a pod with a sidecar stays out of ambient.
    const member = pods.find(isAmbientInAmbientNamespace);
    return member && `namespace ${namespace.name} is labelled ${DATAPLANE_MODE}: ambient`;
  }

  /** The Service's own label wins over its Namespace's; `none` on the Service opts it out. */
  public enrolment(service: ManifestObject): Enrolment | undefined {
    const own = enrolmentBy(service, service.namespace);
    if (own !== undefined) return own === 'none' ? undefined : own;
    const namespace = this.graph.namespaces.get(service.namespace);
    const inherited = namespace && enrolmentBy(namespace, namespace.name);
    return inherited === 'none' ? undefined : inherited;
  }
}

function isAmbientInAmbientNamespace(workload: Workload): boolean {
  const pod = workload.podLabels;
  return pod?.get(DATAPLANE_MODE) !== 'none' && pod?.get('sidecar.istio.io/inject') !== 'true';
}

function enrolmentBy(carrier: ManifestObject, ownNamespace: string): Enrolment | 'none' | undefined {
  const carried = objectLabels(carrier);
  const name = carried.get(USE_WAYPOINT);
  if (name === undefined) return undefined;
  if (name === 'none') return 'none';
  return { carrier, waypoint: `${carried.get(USE_WAYPOINT_NAMESPACE) ?? ownNamespace}/${name}` };
}

/** An HTTPRoute on a Service (GAMMA) is applied, in ambient mode, by the Service's waypoint alone. */
function checkServiceParents(graph: Graph, mesh: AmbientMesh, route: ManifestObject): Finding[] {
  return list(route.spec, 'parentRefs').flatMap((parent, i) => {
    if (text(parent, 'kind') !== 'Service' || (text(parent, 'group') ?? '') !== '') return [];
    const name = text(parent, 'name');
    const service = name === undefined ? undefined : graph.serviceByHost.get(serviceFqdn(name, text(parent, 'namespace') ?? route.namespace));
    const reason = service && unservedReason(mesh, service);
    return reason === undefined ? [] : [finding('waypoint-missing', route.id, `spec.parentRefs[${i}]`,
      `Service ${service!.namespace}/${service!.name} runs in ambient mode (${reason}) and no waypoint serves it, so nothing applies this route: `
      + `its weights and matches are ignored, and ztunnel spreads the traffic over every pod of the Service; ${ENROL}`)];
  });
}

/** A VirtualService for the mesh is applied by sidecars, which pods in ambient mode have none of, or by a waypoint. */
function checkMeshHosts(graph: Graph, mesh: AmbientMesh, vs: ManifestObject): Finding[] {
  return claimedHosts(vs).flatMap(({ host, path }) => {
    const service = graph.serviceByHost.get(host);
    const reason = service && unservedReason(mesh, service);
    return reason === undefined ? [] : [finding('waypoint-missing', vs.id, path,
      `host ${host} is Service ${service!.namespace}/${service!.name}, which runs in ambient mode (${reason}) with no sidecars and no waypoint `
      + `serves it, so nothing applies this VirtualService to its callers: ztunnel spreads the traffic over every pod of the Service; `
      + `${ENROL}, or route it with an HTTPRoute on the Service`)];
  });
}

const ENROL = `enrol the Service with a waypoint: label it, or its namespace, ${USE_WAYPOINT}=<waypoint>, a Gateway of class ${WAYPOINT_CLASS}`;

function unservedReason(mesh: AmbientMesh, service: ManifestObject): string | undefined {
  return mesh.enrolment(service) ? undefined : mesh.ambientReason(service);
}

/** Each label that names a waypoint of a Service in ambient mode, once: a namespace's label serves many Services. */
function checkEnrolments(graph: Graph, settings: Settings, mesh: AmbientMesh): Finding[] {
  const found = new Map<string, Finding>();
  for (const service of graph.services) {
    const enrolment = mesh.enrolment(service);
    if (!enrolment || found.has(enrolment.carrier.id) || !mesh.ambientReason(service)) continue;
    const fault = waypointFault(graph, settings, enrolment.waypoint);
    if (fault) found.set(enrolment.carrier.id, finding('waypoint-not-found', enrolment.carrier.id, `metadata.labels["${USE_WAYPOINT}"]`, fault));
  }
  return [...found.values()];
}

function waypointFault(graph: Graph, settings: Settings, waypoint: string): string | undefined {
  const gateway = graph.kubernetesGateways.get(waypoint);
  const unbound = `so istiod binds no waypoint to the Service (condition istio.io/WaypointBound: False) and nothing applies its routes`;
  if (gateway) {
    const className = text(gateway.spec, 'gatewayClassName');
    return className === WAYPOINT_CLASS ? undefined
      : `waypoint ${waypoint} is a Gateway of class ${className ?? '(none)'}, not ${WAYPOINT_CLASS}, ${unbound}; name a waypoint, `
        + `or give the Gateway gatewayClassName: ${WAYPOINT_CLASS}`;
  }
  if (settings.externalGateways.has(waypoint)) return undefined;
  return `waypoint ${waypoint} is neither a Gateway in the set nor an external gateway, ${unbound}; make the waypoint `
    + `(a Gateway of class ${WAYPOINT_CLASS} with listener mesh, port 15008, protocol HBONE), correct the name, or, when ${waypoint} exists `
    + `outside the set, declare it: --external-gateway ${waypoint} on the command line, RouteCheck.of(chart).addExternalGateway('${waypoint}') in a chart`;
}
