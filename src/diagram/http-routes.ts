import { GATEWAY_API, Graph, ManifestObject, gatewayApiRoutes } from '../verify/graph';
import { MESH, serviceFqdn } from '../verify/hosts';
import { isObjectLike, list, own, text } from '../verify/json';
import { AmbientMesh } from '../verify/waypoints';
import { Entrance, Flow, Picture, Rule, Target } from './model';
import { annotatedRoles, withRole } from './roles';

/**
 * Kubernetes Gateway API routes (HTTPRoute, GRPCRoute) as pictures: parents → hostnames → rules →
 * weighted backends → the workloads behind each backend Service. A parent that is a Service
 * (GAMMA) is the mesh's entrance: through its waypoint in ambient mode, else through the callers'
 * sidecars.
 */

/** The hosts of Services that routes attach to or send to: they need no picture of their own. */
export function gatewayApiRoutedHosts(graph: Graph): string[] {
  return gatewayApiRoutes(graph).flatMap(route => [
    ...servicesNamed(route, 'parentRefs').map(ref => serviceFqdn(ref.name, ref.namespace)),
    ...list(route.spec, 'rules').flatMap(rule => backends(route, rule).map(b => b.host)),
  ]);
}

export function gatewayApiRoutePicture(graph: Graph, route: ManifestObject, target: (graph: Graph, route: ManifestObject, backend: Backend) => Target): Picture {
  const mesh = new AmbientMesh(graph);
  const services = servicesNamed(route, 'parentRefs');
  const hostnames = list(route.spec, 'hostnames').filter((h): h is string => typeof h === 'string');
  const roles = annotatedRoles(route);
  const role = (backend: Backend) => [...roles].find(([name]) => serviceFqdn(name, route.namespace) === backend.host)?.[1];
  const targetOf = (backend: Backend) => {
    const made = target(graph, route, backend);
    const named = role(backend);
    return named === undefined ? made : withRole(made, named);
  };
  return {
    title: `${route.kind} ${route.namespace}/${route.name}`,
    namespace: route.namespace,
    entrances: [...gatewayEntrances(graph, route), ...services.map(ref => serviceEntrance(graph, mesh, ref))],
    hosts: [...hostnames, ...services.map(ref => serviceFqdn(ref.name, ref.namespace))],
    rules: list(route.spec, 'rules').map((rule, index): Rule => {
      const weighted = backends(route, rule);
      const flows: Flow[] = [
        ...weighted.map(b => ({ mirror: false, port: b.port, share: share(b.weight, weighted), target: targetOf(b) })),
        ...mirrors(route, rule).map(b => ({ mirror: true, port: b.port, share: `mirror ${b.weight}%`, target: targetOf(b) })),
      ];
      const conditions = list(rule, 'matches').map((match, i) => `${i === 0 ? '' : 'or '}${conditionsOf(match).join(' and ') || 'any request'}`);
      return {
        protocol: 'http',
        index,
        name: text(rule, 'name'),
        conditions: conditions.length > 0 ? conditions : [index === 0 ? 'all requests' : 'all other requests'],
        action: weighted.length === 0 ? 'no backend' : undefined,
        flows,
      };
    }),
  };
}

/** A backendRef or a mirror's backend: a Service by host, with its weight (a mirror's percentage). */
export interface Backend {
  readonly host: string;
  readonly weight: number;
  readonly path: string;
  readonly port?: number;
}

interface ServiceRef {
  readonly name: string;
  readonly namespace: string;
}

/** The Services a route names in `field`: refs of kind Service in the core group, in the route's namespace unless they name one. */
function servicesNamed(route: ManifestObject, field: string): ServiceRef[] {
  return list(route.spec, field).flatMap(ref => {
    const name = text(ref, 'name');
    if (text(ref, 'kind') !== 'Service' || (text(ref, 'group') ?? '') !== '' || name === undefined) return [];
    return [{ name, namespace: text(ref, 'namespace') ?? route.namespace }];
  });
}

function gatewayEntrances(graph: Graph, route: ManifestObject): Entrance[] {
  return list(route.spec, 'parentRefs').flatMap(ref => {
    const name = text(ref, 'name');
    if ((text(ref, 'kind') ?? 'Gateway') !== 'Gateway' || (text(ref, 'group') ?? GATEWAY_API) !== GATEWAY_API || name === undefined) return [];
    const gateway = `${text(ref, 'namespace') ?? route.namespace}/${name}`;
    return [{ gateway, external: !graph.kubernetesGateways.has(gateway) }];
  });
}

/** In ambient mode the Service's waypoint applies the route; a Service without one is routed by its callers' sidecars. */
function serviceEntrance(graph: Graph, mesh: AmbientMesh, ref: ServiceRef): Entrance {
  const service = graph.serviceByHost.get(serviceFqdn(ref.name, ref.namespace));
  const waypoint = service && mesh.enrolment(service)?.waypoint;
  if (waypoint) return { gateway: MESH, external: false, waypoint, waypointMissing: !graph.kubernetesGateways.has(waypoint) };
  return { gateway: MESH, external: false, unserved: service && mesh.ambientReason(service) !== undefined };
}

/** Backend refs, weight 1 when unset. */
function backends(route: ManifestObject, rule: unknown): Backend[] {
  return list(rule, 'backendRefs').flatMap((ref, i) => {
    const backend = serviceBackend(route, ref, `rules.backendRefs[${i}]`);
    if (!backend) return [];
    const weight = own(ref, 'weight');
    return [{ ...backend, weight: typeof weight === 'number' ? weight : 1 }];
  });
}

/** A Service by its host; a backend of another kind by kind and name, so that its share is drawn too. */
function serviceBackend(route: ManifestObject, ref: unknown, path: string): Omit<Backend, 'weight'> | undefined {
  const name = text(ref, 'name');
  if (name === undefined) return undefined;
  const namespace = text(ref, 'namespace') ?? route.namespace;
  const [group, kind] = [text(ref, 'group') ?? '', text(ref, 'kind') ?? 'Service'];
  const written = own(ref, 'port');
  const port = typeof written === 'number' ? written : undefined;
  if (kind === 'Service' && group === '') return { host: serviceFqdn(name, namespace), path, port };
  return { host: `${group ? `${kind}.${group}` : kind} ${namespace}/${name}`, path, port };
}

/** `RequestMirror` filters: `percent`, or a `fraction` (denominator 100 by default); all requests when neither. */
function mirrors(route: ManifestObject, rule: unknown): Backend[] {
  return list(rule, 'filters').flatMap((filter, i) => {
    const mirror = own(filter, 'requestMirror');
    const backend = isObjectLike(mirror) ? serviceBackend(route, own(mirror, 'backendRef'), `rules.filters[${i}]`) : undefined;
    if (!backend) return [];
    const percent = own(mirror, 'percent');
    const fraction = own(mirror, 'fraction');
    const numerator = own(fraction, 'numerator');
    const denominator = own(fraction, 'denominator') ?? 100;
    const weight = typeof percent === 'number' ? percent
      : typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0 ? Math.round((numerator / denominator) * 1e9) / 1e7 : 100;
    return [{ ...backend, weight }];
  });
}

/** Gateway API weights are relative: each backend's share of their sum. */
function share(weight: number, all: readonly Backend[]): string {
  if (all.length === 1) return '100%';
  const total = all.reduce((sum, b) => sum + b.weight, 0);
  if (total <= 0) return `weight ${weight}`;
  const percent = Math.round((weight / total) * 1000) / 10;
  return total === 100 ? `${percent}%` : `${percent}% (weight ${weight})`;
}

/** `path prefix /api`, `header x-canary=always`, `query v regex ^2`, `method GET`. */
function conditionsOf(match: unknown): string[] {
  const path = own(match, 'path');
  const method = text(match, 'method');
  return [
    ...isObjectLike(path) ? [`path ${valueMatch(text(path, 'type') ?? 'PathPrefix', text(path, 'value') ?? '/')}`] : [],
    ...method ? [`method ${method}`] : [],
    ...list(match, 'headers').map(h => `header ${keyedMatch(h)}`),
    ...list(match, 'queryParams').map(q => `query ${keyedMatch(q)}`),
  ];
}

function keyedMatch(condition: unknown): string {
  const name = text(condition, 'name') ?? '?';
  const type = text(condition, 'type') ?? 'Exact';
  const value = text(condition, 'value') ?? '';
  return type === 'Exact' ? `${name}=${value}` : `${name} ${valueMatch(type, value)}`;
}

function valueMatch(type: string, value: string): string {
  const op = ({ Exact: '', PathPrefix: 'prefix ', RegularExpression: 'regex ' } as Record<string, string>)[type] ?? `${type} `;
  return `${op}${value}`;
}
