import { serverRuleKind } from './gateway-rule-kinds';
import { Graph, ManifestObject, coveringWildcard, groupBy, idList } from './graph';
import { MESH, isDeclaredElsewhere, serverAdmitsAny } from './hosts';
import { list, own, show, text } from './json';
import { HTTP_PROTOCOLS, portLabel, portProtocol } from './protocols';
import { Destination, destinations, failureScope, routedHosts, ruleGateways, ruleScope } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

/**
 * The ports a destination host offers, looked up as Istio's analyzer does: the Service of that
 * name, else the ServiceEntries declaring the host, else those of the most specific wildcard host
 * covering it.
 */
export interface PortOwner {
  /** The objects declaring the ports, as messages name them. */
  readonly name: string;
  /** Each port's number: the Service's in order; the ServiceEntries' pooled, once each. */
  readonly numbers: readonly unknown[];
  /**
   * Of an ExternalName Service with one port, that port: a destination naming none is routed to it
   * (route.GetDestinationCluster takes the only port of the Service it looked up, the alias).
   */
  readonly implied?: unknown;
}

export type OwnerOf = (host: string) => PortOwner | undefined;

/** Checks the port each destination lands on: that it exists, is named where it must be, and speaks a protocol its route can use. */
export function checkPorts(graph: Graph, settings: Settings): Finding[] {
  const ownerOf = portOwners(graph);
  return graph.virtualServices.flatMap(vs => [
    ...destinations(vs).flatMap(d => {
      const owner = ownerOf(d.resolved);
      return owner ? checkDestinationPort(graph, vs, d, owner, ownerOf) : [];
    }),
    ...checkHttpRules(graph, settings, vs),
  ]);
}

/** The first VirtualService that routes to each Service port, by {@link servicePortKey}. */
export function routedServicePorts(graph: Graph): ReadonlyMap<string, string> {
  const routed = new Map<string, string>();
  for (const vs of graph.virtualServices) {
    for (const d of destinations(vs)) {
      const service = graph.serviceByHost.get(d.resolved);
      if (!service) continue;
      const index = landedPort(servicePortNumbers(service), destinationPort(d));
      const key = index === undefined ? undefined : servicePortKey(service, index);
      if (key && !routed.has(key)) routed.set(key, vs.id);
    }
  }
  return routed;
}

/** The index is digits, so that the space after it ends it: no two ports share a key. */
export function servicePortKey(service: ManifestObject, index: number): string {
  return `${index} ${service.id}`;
}

function checkDestinationPort(graph: Graph, vs: ManifestObject, d: Destination, owner: PortOwner, ownerOf: OwnerOf): Finding[] {
  const number = destinationPort(d);
  if (number === undefined && owner.implied !== undefined) {
    return owner.numbers.includes(owner.implied) ? [] : [finding('destination-port-not-found', vs.id, d.path,
      `this route names no port, so proxies take ${show(owner.implied)}, the only port of the ExternalName Service, which is no port of `
      + `${owner.name} (it has ${owner.numbers.map(show).join(', ') || 'none'}); set port.number to one of its ports`)];
  }
  if (number !== undefined && !owner.numbers.includes(number)) {
    return [finding('destination-port-not-found', vs.id, `${d.path}.port.number`,
      `port ${show(number)} is not a port of ${owner.name} (it has ${owner.numbers.map(show).join(', ') || 'none'}); use one of its ports`)];
  }
  return number === undefined && owner.numbers.length > 1 ? portUnnamed(graph, vs, d, owner, ownerOf) : [];
}

/**
 * Without a port, a proxy picks the destination port with the number of the port it received the
 * request on: a gateway, its own server port, which is rarely the Service's; a sidecar, the port the
 * client dialled on the host it called. Istio's analyzer reports every such route (IST0112), but
 * where the called host is the destination itself, each call keeps its own port, which is what a
 * route serving several ports wants; only a called host with a port the destination lacks is a mistake.
 */
function portUnnamed(graph: Graph, vs: ManifestObject, d: Destination, owner: PortOwner, ownerOf: OwnerOf): Finding[] {
  const gateways = ruleGateways(vs, d).filter(gateway => gateway !== MESH);
  const numbers = owner.numbers.map(show).join(', ');
  if (gateways.length > 0) return gatewayPortUnnamed(graph, vs, d, owner, gateways);
  const gap = routedHosts(vs)
    .map(({ host }) => ({ host, missing: (ownerOf(host)?.numbers ?? []).filter(n => !owner.numbers.includes(n)) }))
    .find(({ missing }) => missing.length > 0);
  return gap ? [finding('destination-port-ambiguous', vs.id, d.path,
    `this route names no port of ${owner.name}, which has several (${numbers}), so sidecars use the port number the client dialled; `
    + `host ${gap.host} is dialled on ${gap.missing.map(show).join(', ')}, which ${owner.name} lacks, so those calls find no cluster and fail with 503${failureScope(d)}; `
    + `set port.number, or give each port its own rule with match.port (Istio's analyzer reports any route without a port, as IST0112)`)] : [];
}

/**
 * A gateway takes the destination port from the server port the request came in on
 * (gateway.go builds each server port's routes with it), so a route naming none works where every
 * server that builds its rule is on a port of the destination. Istio's analyzer reports it all the
 * same (IST0112). Where the servers are unknown (a gateway outside the set, a Kubernetes Gateway),
 * the port is left to chance, as before.
 */
function gatewayPortUnnamed(graph: Graph, vs: ManifestObject, d: Destination, owner: PortOwner, gateways: readonly string[]): Finding[] {
  const missed = gateways.flatMap(gateway => {
    const ports = serverPorts(graph, gateway, vs, d);
    return ports === undefined ? [{ gateway, port: undefined }] : ports.filter(port => !owner.numbers.includes(port)).map(port => ({ gateway, port }));
  });
  if (missed.length === 0) return [];
  const numbers = owner.numbers.map(show).join(', ');
  const known = missed.find(m => m.port !== undefined);
  return [finding('destination-port-required', vs.id, d.path, known
    ? `without port.number a gateway routes to the port it took the request on, and ${known.gateway} takes it on port ${show(known.port)}, `
      + `which is no port of ${owner.name} (${numbers}), so those requests find no cluster and fail with 503${failureScope(d)}; set port.number`
    : `a gateway cannot tell which port of ${owner.name} (${numbers}) this route means; set port.number`)];
}

/**
 * The ports of the servers of an Istio Gateway of the set that build the destination's rule: those
 * admitting a host the VirtualService routes, from its namespace, that build rules of its kind
 * (gateway-rule-kinds.ts), on a port its matches name where each names one. Undefined for a
 * gateway outside the set.
 */
function serverPorts(graph: Graph, gateway: string, vs: ManifestObject, d: Destination): unknown[] | undefined {
  const object = graph.gateways.get(gateway);
  if (!object) return undefined;
  const hosts = routedHosts(vs);
  const matchPorts = list(d.rule, 'match').map(match => own(match, 'port'));
  const keptTo: readonly unknown[] | undefined = matchPorts.length > 0 && matchPorts.every(port => port !== undefined) ? matchPorts : undefined;
  const builds = (server: unknown) => serverRuleKind(server) === d.protocol
    && (keptTo === undefined || keptTo.includes(own(own(server, 'port'), 'number')))
    && serverAdmitsAny(server, object.namespace, vs.namespace, hosts);
  return [...new Set(list(object.spec, 'servers').filter(builds).map(server => own(own(server, 'port'), 'number')))];
}

/**
 * A sidecar applies a VirtualService's http rules to calls on the ports of its hosts that carry
 * http; for a port declared another protocol it builds a tcp filter chain, which never consults
 * them. So where every port of every host the VirtualService routes (a delegate's, its roots') is
 * declared so, its http rules for the mesh never apply. The port a rule's destination names plays
 * no part: an egress gateway's https port takes the plain http that a DestinationRule wraps in
 * TLS. Gateways terminate http themselves.
 */
function checkHttpRules(graph: Graph, settings: Settings, vs: ManifestObject): Finding[] {
  const rules = list(vs.spec, 'http');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; without http rules there is nothing to report
  const opaque = rules.length > 0 ? opaquePorts(graph, settings, vs) : undefined;
  if (!opaque) return [];
  const declared = opaque.map(({ port, service, protocol }) => `${portLabel(port)} of ${service.id} is declared ${protocol}`).join(', ');
  return rules.flatMap((rule, i) => (ruleScope(vs, rule).includes(MESH) ? [finding('http-route-to-non-http-port', vs.id, `spec.http[${i}]`,
    `${declared}, so sidecars proxy calls to ${opaque.length === 1 ? 'it' : 'them'} as opaque traffic and never apply this http rule; `
    + 'name the port http-<suffix> (or grpc, http2) if it serves http, or route it under tcp instead')] : []));
}

/** A Service port and the protocol Istio reads for it. */
interface DeclaredPort {
  readonly port: unknown;
  readonly service: ManifestObject;
  readonly protocol: string;
}

/**
 * The ports of the Services a VirtualService routes, where each is declared a protocol other than
 * http; undefined where one may carry http (sniffed ones too), or a host is a wildcard, or is
 * declared by a ServiceEntry or outside the set, whose protocols are not read here. Any other host is in no
 * registry, so sidecars have no listener for it: a gateway's public name, say.
 */
function opaquePorts(graph: Graph, settings: Settings, vs: ManifestObject): DeclaredPort[] | undefined {
  const services = new Set<ManifestObject>();
  for (const { host } of routedHosts(vs)) {
    const service = graph.serviceByHost.get(host);
    if (service) services.add(service);
    // A wildcard may cover Services of the set whose ports carry http.
    else if (host.startsWith('*') || isDeclaredElsewhere(graph, settings, host, host)) return undefined;
  }
  const ports = [...services].flatMap(service => list(service.spec, 'ports').flatMap(port => [{ port, service, protocol: portProtocol(port) }]));
  return ports.length > 0 && ports.every((p): p is DeclaredPort => p.protocol !== undefined && !HTTP_PROTOCOLS.has(p.protocol)) ? ports : undefined;
}

function destinationPort(d: Destination): unknown {
  return own(own(d.destination, 'port'), 'number');
}

/** The index of the port a destination lands on: the one it names, else the only one there is. */
function landedPort(numbers: readonly unknown[], number: unknown): number | undefined {
  if (number === undefined) return numbers.length === 1 ? 0 : undefined;
  const index = numbers.indexOf(number);
  // Stryker disable next-line ConditionalExpression: a number the owner lacks is reported before a port is looked up, and no Service port has the key of index -1
  return index < 0 ? undefined : index;
}

function servicePortNumbers(service: ManifestObject): unknown[] {
  return list(service.spec, 'ports').map(p => own(p, 'port'));
}

export function portOwners(graph: Graph): OwnerOf {
  const byHost = groupBy(graph.serviceEntryHosts, h => h.host);
  const ownerOf = (host: string, alias?: ManifestObject): PortOwner | undefined => {
    const service = graph.serviceByHost.get(host);
    if (service) {
      const target = alias ? undefined : aliasTarget(service);
      if (target === undefined) return { name: service.id, numbers: servicePortNumbers(service) };
      const owner = ownerOf(target, service);
      const ports = servicePortNumbers(service);
      return owner && { name: `${owner.name} (which ${service.id} stands for)`, numbers: owner.numbers, implied: ports.length === 1 ? ports[0] : undefined };
    }
    const found = byHost.get(host) ?? coveringWildcard(byHost, host);
    if (!found) return undefined;
    const entries = [...new Set(found.map(h => h.entry))];
    return {
      name: idList(entries),
      numbers: [...new Set(entries.flatMap(e => list(e.spec, 'ports').map(p => own(p, 'number'))))],
    };
  };
  return host => ownerOf(host);
}

/**
 * The host an ExternalName Service stands for: istiod makes it an alias, and proxies route to that
 * host's cluster of the destination's port (route.GetDestinationCluster), so its own ports count only
 * where the destination names none. One level deep, as there.
 */
function aliasTarget(service: ManifestObject): string | undefined {
  return text(service.spec, 'type') === 'ExternalName' ? text(service.spec, 'externalName') : undefined;
}
