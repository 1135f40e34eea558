import { buildGraph, delegatingRoots, gatewayApiRoutes, Graph, ManifestObject, spreadLists, subsetDefinition } from '../verify/graph';
import { MESH, forgettingNames, serviceFqdn } from '../verify/hosts';
import { labels, list, own, text } from '../verify/json';
import { claimedHosts, destinations, gatewayBindings, matchScope, namedGateways, ROUTE_PROTOCOLS, RouteProtocol } from '../verify/routes';
import { settingsFrom } from '../verify/settings';
import { receivers, RoutedSubset, routedSubsets } from '../verify/traffic';
import { argoRolesIn } from './argo';
import { flaggerCanaries, flaggerPicture } from './flagger';
import { fleetObjects, fleetPicture, kuratorCanaries, type FleetModel } from './fleets';
import { annotatedRoles, withRole } from './roles';
import { Backend, gatewayApiRoutedHosts, gatewayApiRoutePicture } from './http-routes';
import { actionLine, badgesOf, matchLines } from './matches';
import { workloadFacts, WorkloadFacts } from './workloads';

/**
 * What a diagram shows, read from the route graph that verify builds: one picture per
 * VirtualService, one per Gateway API route (http-routes.ts), and one per Service that no route
 * reaches (its selector alone decides where its traffic goes, as in a selector cutover).
 */

/** What a diagram resolves its routes against besides the objects it draws. */
export interface DiagramOptions {
  /**
   * More objects to resolve routes against, but not to draw: the other files of a set, so that a
   * route in one file reaches the workloads of another.
   * @default - none
   */
  readonly context?: unknown[];
  /**
   * Namespace of objects without one.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

export interface Picture {
  /** `VirtualService prod/reviews` or `Service default/nginx`. */
  readonly title: string;
  readonly namespace: string;
  readonly entrances: readonly Entrance[];
  /** The VirtualService's hosts, short names expanded; none for a Service's picture. */
  readonly hosts: readonly string[];
  readonly rules: readonly Rule[];
  /** A Service's picture: where its traffic goes without routes. */
  readonly direct?: Target;
  /** A fleet's picture: its folders and waves, in place of routes. */
  readonly fleet?: FleetModel;
}

/** A gateway the VirtualService is bound to, or the mesh. */
export interface Entrance {
  /** `mesh` or `ns/name`. */
  readonly gateway: string;
  /** A gateway that is not among the objects. */
  readonly external: boolean;
  /** For the mesh in ambient mode, the waypoint (`ns/name`) that applies the routes of the Service. */
  readonly waypoint?: string;
  /** The waypoint is not among the objects. */
  readonly waypointMissing?: boolean;
  /** The Service is in ambient mode and no waypoint serves it, so nothing applies the route. */
  readonly unserved?: boolean;
}

export interface Rule {
  readonly protocol: RouteProtocol;
  /** The rule's index in `spec.<protocol>`. */
  readonly index: number;
  readonly name: string | undefined;
  /** The match blocks in short form, or what the rule takes when it has none. */
  readonly conditions: readonly string[];
  /**
   * The gateways the rule is scoped to (every match names them), those its VirtualService is not
   * bound to left out, so none where it applies nowhere; undefined for wherever the route is bound.
   */
  readonly gateways?: readonly string[];
  /** What a controller does with the route: its plan, in short form. */
  readonly plan?: readonly string[];
  /** A redirect, direct response or delegation, for a rule that does that instead of routing. */
  readonly action: string | undefined;
  /** What the rule does to the requests besides routing them, as Kiali badges routes: `timeout 15s`, `retries 3`, `fault abort 503 10%`, `sticky cookie v`. */
  readonly badges?: readonly string[];
  readonly flows: readonly Flow[];
}

export interface Flow {
  readonly mirror: boolean;
  /** The destination port, where the route names one. */
  readonly port?: number;
  /** `75%`, `mirror 20%`, or `33.3% (weight 1)` when the weights do not add up to 100. */
  readonly share: string;
  readonly target: Target;
}

export interface Target {
  /** Identifies the target within a picture; flows to the same subset share one target. */
  readonly key: string;
  /** A subset, a Service without subset, or a host that is no Service of the set. */
  readonly kind: 'subset' | 'service' | 'host';
  readonly host: string;
  readonly subset: string | undefined;
  /** The subset's labels; undefined when no DestinationRule defines the subset. */
  readonly subsetLabels: ReadonlyMap<string, string> | undefined;
  readonly service: ManifestObject | undefined;
  /** Whether the host is one of the VirtualService's own. */
  readonly ownHost: boolean;
  readonly workloads: readonly WorkloadFacts[];
  /** The target's role in a release a controller runs (`stable`, `canary`), which the table shows as its version. */
  readonly role?: string;
  /** The box's lines, where the target is not in the manifests but a controller makes it. */
  readonly label?: readonly string[];
}

/** The rule's name, with its protocol unless http, or its position when it has none: `primary`, `tcp[0]`. */
export function ruleLabel(rule: Rule): string {
  if (rule.name === undefined) return `${rule.protocol}[${rule.index}]`;
  return rule.protocol === 'http' ? rule.name : `${rule.protocol} ${rule.name}`;
}


/** The pictures of `objects`, in input order; `options.context` only resolves. */
export function picturesOf(objects: readonly unknown[], options: DiagramOptions = {}): Picture[] {
  return forgettingNames(() => {
    const defaultNamespace = settingsFrom(options).defaultNamespace;
    // Entries are numbered in input order, Lists spread, so the objects to draw are the first ones of the whole set.
    const drawn = spreadLists(objects).length;
    const graph = buildGraph([...objects, ...options.context ?? []], defaultNamespace);
    const routed = routedSubsets(graph);
    return [
      ...graph.virtualServices.filter(vs => vs.entry < drawn).map(vs => virtualServicePicture(graph, vs, routed)),
      ...gatewayApiRoutes(graph).filter(route => route.entry < drawn).map(route => gatewayApiRoutePicture(graph, route, backendTarget)),
      ...flaggerCanaries(graph).filter(canary => canary.entry < drawn).map(canary => flaggerPicture(graph, canary)),
      ...unroutedServices(graph).filter(service => service.entry < drawn).map(service => servicePicture(graph, service)),
      ...fleetObjects(graph).filter(object => object.entry < drawn).flatMap(object => [
        fleetPicture(object),
        ...kuratorCanaries(object).map(canary => ({ ...flaggerPicture(graph, canary), title: `Canary ${canary.namespace}/${canary.name}, made by Kurator in each cluster` })),
      ]),
    ];
  });
}

/** A Gateway API backend: a Service, each one its own version, as the Gateway API splits. */
function backendTarget(graph: Graph, route: ManifestObject, backend: Backend): Target {
  return targetOf(graph, { vs: route, path: backend.path, host: backend.host, subset: undefined, weight: backend.weight }, []);
}

function virtualServicePicture(graph: Graph, vs: ManifestObject, routed: readonly RoutedSubset[]): Picture {
  const hosts = [...new Set(claimedHosts(vs).map(h => h.host))];
  const targets = new Map<string, Target>();
  const target = (destination: RoutedSubset) => {
    const key = targetKey(destination);
    const known = targets.get(key);
    if (known) return known;
    const made = targetOf(graph, destination, hosts);
    targets.set(key, made);
    return made;
  };
  const mine = routed.filter(r => r.vs === vs);
  const ports = new Map(destinations(vs).flatMap(d => {
    const number = own(own(d.destination, 'port'), 'number');
    return typeof number === 'number' ? [[d.path, number] as const] : [];
  }));
  const rules = ROUTE_PROTOCOLS.flatMap(protocol => list(vs.spec, protocol).map((rule, index): Rule => {
    const path = `spec.${protocol}[${index}]`;
    const entries = mine.filter(r => r.path.startsWith(`${path}.route[`));
    // A route entry's path is the entry's; a mirror's is its destination's, as destinations() writes both.
    const port = (r: RoutedSubset) => ports.get(`${r.path}.destination`) ?? ports.get(r.path);
    const weighted = entries.map(r => ({ mirror: false, port: port(r), share: share(r.weight, entries, list(rule, 'route').length), target: target(r) }));
    const mirrors = protocol === 'http'
      ? mirrorsOf(vs, rule, path).map(m => ({ mirror: true, port: port(m), share: `mirror ${m.weight}%`, target: target(m) }))
      : [];
    const conditions = matchLines(rule, vs.namespace);
    return {
      protocol,
      index,
      name: text(rule, 'name'),
      conditions: conditions.length > 0 ? conditions : [catchAll(protocol, index)],
      gateways: scopedGateways(vs, rule),
      action: weighted.length === 0 ? actionLine(rule, vs.namespace) ?? 'no destination' : undefined,
      badges: badgesOf(rule),
      flows: [...weighted, ...mirrors],
    };
  }));
  return {
    title: `VirtualService ${vs.namespace}/${vs.name}`,
    namespace: vs.namespace,
    entrances: entranceGateways(vs).map(gateway => ({ gateway, external: gateway !== MESH && !graph.gateways.has(gateway) })),
    hosts,
    rules: withArgoRoles(graph, vs, withAnnotatedRoles(vs, rules)),
  };
}

/** Where requests enter a VirtualService's routes: its bindings, or for a delegate, those of the VirtualServices that delegate to it. */
function entranceGateways(vs: ManifestObject): string[] {
  return [...new Set((delegatingRoots(vs) ?? [vs]).flatMap(root => gatewayBindings(root).map(b => b.gateway)))];
}

function withAnnotatedRoles(vs: ManifestObject, rules: readonly Rule[]): Rule[] {
  const roles = annotatedRoles(vs);
  if (roles.size === 0) return [...rules];
  return rules.map(rule => ({
    ...rule,
    flows: rule.flows.map(flow => {
      const role = flow.target.ownHost && flow.target.subset !== undefined ? roles.get(flow.target.subset) : undefined;
      return role === undefined ? flow : { ...flow, target: withRole(flow.target, role) };
    }),
  }));
}

/** The routes an Argo Rollout manages: its roles named on their targets, and its steps under the route. */
function withArgoRoles(graph: Graph, vs: ManifestObject, rules: readonly Rule[]): Rule[] {
  const rollouts = argoRolesIn(graph, vs, (host, subset) => targetKey({ host, subset }));
  return rules.map(rule => {
    const managing = rollouts.filter(r => (r.routes.length === 0 || r.routes.includes(rule.name ?? '')) && rule.flows.some(f => r.roles.has(f.target.key)));
    if (managing.length === 0) return rule;
    const role = (flow: Flow) => managing.map(r => r.roles.get(flow.target.key)).find(found => found !== undefined);
    return {
      ...rule,
      plan: [...rule.plan ?? [], ...managing.map(r => `${r.plan} (Argo Rollouts ${r.rollout.name})`)],
      flows: rule.flows.map(flow => {
        const found = role(flow);
        return found === undefined ? flow : { ...flow, target: withRole(flow.target, found) };
      }),
    };
  });
}

/** Where a rule applies when each of its matches names gateways: those of them istiod applies the match at (verify's matchScope). */
function scopedGateways(vs: ManifestObject, rule: unknown): string[] | undefined {
  const matches = list(rule, 'match');
  if (matches.length === 0 || !matches.every(match => namedGateways(match).length > 0)) return undefined;
  return [...new Set(matches.flatMap(match => matchScope(vs, match)))];
}

/** What a rule without matches takes: everything its protocol's earlier rules left. */
function catchAll(protocol: RouteProtocol, index: number): string {
  const what = protocol === 'http' ? 'requests' : 'connections';
  return index === 0 ? `all ${what}` : `all other ${what}`;
}

/**
 * A lone destination takes all of its rule's traffic whatever its weight. Weights that do not add
 * up to 100 are relative (Istio 1.15 and later), so the share is worked out and the weight kept.
 */
function share(weight: number, entries: readonly RoutedSubset[], written: number): string {
  if (written === 1) return '100%';
  const total = entries.reduce((sum, r) => sum + r.weight, 0);
  if (total === 100) return `${weight}%`;
  if (total <= 0) return `weight ${weight}`;
  return `${Math.round((weight / total) * 1000) / 10}% (weight ${weight})`;
}

/** `mirror` with `mirrorPercentage` (or the older `mirrorPercent`), and `mirrors`; 100% when unset. */
function mirrorsOf(vs: ManifestObject, rule: unknown, path: string): RoutedSubset[] {
  return destinations(vs).filter(d => d.path.startsWith(`${path}.mirror`)).map(d => {
    const entry = /\.mirrors\[(\d+)\]\.destination$/.exec(d.path);
    const percentage = entry
      ? own(own(list(rule, 'mirrors')[Number(entry[1])], 'percentage'), 'value')
      : own(own(rule, 'mirrorPercentage'), 'value') ?? own(rule, 'mirrorPercent') ?? own(rule, 'mirror_percent');
    const weight = typeof percentage === 'number' ? percentage : 100;
    return { vs, path: d.path, host: d.resolved, subset: text(d.destination, 'subset'), weight };
  });
}

function targetKey({ host, subset }: Pick<RoutedSubset, 'host' | 'subset'>): string {
  return JSON.stringify([host, subset ?? null]);
}

function targetOf(graph: Graph, destination: RoutedSubset, ownHosts: readonly string[]): Target {
  const { host, subset } = destination;
  const service = graph.serviceByHost.get(host);
  const definition = subset === undefined ? undefined : subsetDefinition(graph, host, subset)?.definition;
  return {
    key: targetKey(destination),
    kind: subset !== undefined ? 'subset' : service ? 'service' : 'host',
    host,
    subset,
    subsetLabels: definition === undefined ? undefined : labels(definition, 'labels'),
    service,
    ownHost: ownHosts.includes(host),
    workloads: receivers(graph, destination).map(w => workloadFacts(graph, w)),
  };
}

/** Services with a selector that no route sends to or attaches to: the mesh sends their traffic to every selected pod. */
function unroutedServices(graph: Graph): ManifestObject[] {
  const routedHosts = new Set([...graph.virtualServices.flatMap(vs => [
    ...claimedHosts(vs).map(h => h.host),
    ...destinations(vs).map(d => d.resolved),
  ]), ...gatewayApiRoutedHosts(graph)]);
  return graph.services.filter(s => labels(s.spec, 'selector').size > 0 && !routedHosts.has(serviceFqdn(s.name, s.namespace)));
}

function servicePicture(graph: Graph, service: ManifestObject): Picture {
  const host = serviceFqdn(service.name, service.namespace);
  const direct = targetOf(graph, { vs: service, path: '', host, subset: undefined, weight: 100 }, [host]);
  return { title: `Service ${service.namespace}/${service.name}`, namespace: service.namespace, entrances: [{ gateway: MESH, external: false }], hosts: [], rules: [], direct };
}
