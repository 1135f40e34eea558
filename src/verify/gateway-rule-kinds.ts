/**
 * A gateway builds the rules of a VirtualService by the kind of each server that admits its hosts
 * (gateway.go buildGatewayListeners, createGatewayTCPFilterChainOpts): http rules at a server that
 * terminates http (gateway.IsHTTPServer: HTTP, HTTP2, GRPC, or HTTPS that does not pass TLS
 * through); tls rules at one that passes TLS through (tls mode PASSTHROUGH); tcp rules at the
 * others (TCP, or TLS the server terminates). A VirtualService bound to a gateway that admits its
 * hosts only at servers of another kind is Istio's "gateway to virtual service TLS mismatch": the
 * gateway routes none of it.
 */

import { Graph, ManifestObject, groupBy } from './graph';
import { hostsOverlap, serverAdmitsAny } from './hosts';
import { isObjectLike, list, own, record, show } from './json';
import { HTTP_PROTOCOLS } from './protocols';
import { ROUTE_PROTOCOLS, RouteProtocol, claimedHosts, gatewayBindings, ruleScope } from './routes';
import { Finding, finding } from './types';

/**
 * The kind of rules a gateway server builds; undefined for one that builds none of a VirtualService's
 * (an http server that redirects all to https, or one with tls mode AUTO_PASSTHROUGH, which routes
 * by SNI to the clusters themselves), and for one without a protocol. A `tls` without `mode` passes
 * TLS through.
 */
export function serverRuleKind(server: unknown): RouteProtocol | undefined {
  const tls = own(server, 'tls');
  // Istio's TLS mode defaults to PASSTHROUGH, the enum's zero (IsPassThroughServer).
  const mode = isObjectLike(tls) ? own(tls, 'mode') ?? 'PASSTHROUGH' : undefined;
  if (mode === 'AUTO_PASSTHROUGH') return undefined;
  const written = own(record(server, 'port'), 'protocol');
  // Istio's validation requires a protocol; without one the server is not judged.
  if (typeof written !== 'string') return undefined;
  const protocol = written.toLowerCase();
  // A plain http server that redirects all to https answers with the redirect; on an https server the flag changes nothing.
  if (HTTP_PROTOCOLS.has(protocol)) return own(tls, 'httpsRedirect') === true ? undefined : 'http';
  if (protocol === 'https' && mode !== 'PASSTHROUGH') return 'http';
  return mode === 'PASSTHROUGH' ? 'tls' : 'tcp';
}

export function checkGatewayRuleKinds(graph: Graph): Finding[] {
  // Indexed only where a binding mismatches, which few do.
  let boundTo: ReadonlyMap<string, readonly BoundTo[]> | undefined;
  return graph.virtualServices.flatMap(vs => gatewayBindings(vs).flatMap(binding => {
    const gateway = graph.gateways.get(binding.gateway);
    if (!gateway) return [];
    const servers = admittingServers(gateway, vs);
    const built = new Set(servers.map(serverRuleKind));
    const kinds = ruleKindsAt(vs, binding.gateway);
    // A gateway admitting none of the hosts is host-not-on-gateway's; a VirtualService without rules there has nothing to build.
    // Stryker disable next-line MethodExpression,ArrowFunction: a shortcut for the common case; routesThere finds the same of the VirtualService itself, at a cost per VirtualService bound there
    if (servers.length === 0 || kinds.length === 0 || kinds.some(kind => built.has(kind))) return [];
    boundTo ??= groupBy(graph.virtualServices.flatMap(other => gatewayBindings(other).map(b => ({ vs: other, gateway: b.gateway }))), b => b.gateway);
    // The VirtualService itself is among them, and routes nothing there.
    if ((boundTo.get(binding.gateway) ?? []).some(b => routesThere(gateway, b.vs, vs))) return [];
    return [mismatch(vs, binding.gateway, binding.path, servers, kinds)];
  }));
}

/** A VirtualService bound to a gateway. */
interface BoundTo {
  readonly vs: ManifestObject;
  readonly gateway: string;
}

/** The servers of a gateway that admit a host of the VirtualService from its namespace, and build some kind of rule. */
function admittingServers(gateway: ManifestObject, vs: ManifestObject): unknown[] {
  const hosts = claimedHosts(vs);
  return list(gateway.spec, 'servers').filter(server => serverRuleKind(server) !== undefined && serverAdmitsAny(server, gateway.namespace, vs.namespace, hosts));
}

/** The kinds of rule the VirtualService has that apply at the gateway. */
function ruleKindsAt(vs: ManifestObject, gateway: string): RouteProtocol[] {
  return ROUTE_PROTOCOLS.filter(kind => list(vs.spec, kind).some(rule => ruleScope(vs, rule).includes(gateway)));
}

/**
 * Whether another VirtualService bound to the gateway routes a host of `vs` there: a server admits
 * one of its hosts that overlaps one of theirs, and builds rules of a kind it has. Then this binding
 * routes nothing, but the traffic arrives.
 */
function routesThere(gateway: ManifestObject, other: ManifestObject, vs: ManifestObject): boolean {
  const hosts = claimedHosts(vs);
  if (!claimedHosts(other).some(({ host }) => hosts.some(mine => hostsOverlap(host, mine.host)))) return false;
  const kinds = ruleKindsAt(other, `${gateway.namespace}/${gateway.name}`);
  return admittingServers(gateway, other).some(server => kinds.includes(serverRuleKind(server) as RouteProtocol));
}

const SERVES: Record<RouteProtocol, string> = {
  http: 'a server that terminates http (HTTP, or HTTPS with tls mode SIMPLE or MUTUAL)',
  tls: 'a server that passes TLS through (tls mode PASSTHROUGH)',
  tcp: 'a TCP server or a TLS server that terminates TLS',
};

const RULES: Record<RouteProtocol, string> = {
  http: 'http rules',
  tls: 'tls rules matching sniHosts',
  tcp: 'tcp rules',
};

/** What a client of a server of each kind gets where no rule of the kind routes its host. */
const OUTCOME: Record<RouteProtocol, string> = {
  http: 'requests get 404',
  tls: 'connections find no filter chain and are closed',
  tcp: 'connections find no filter chain and are closed',
};

function mismatch(vs: ManifestObject, gateway: string, path: string, servers: readonly unknown[], kinds: readonly RouteProtocol[]): Finding {
  // Every admitting server builds some kind of rule.
  const serverKinds = [...new Set(servers.map(server => serverRuleKind(server) as RouteProtocol))];
  return finding('gateway-rule-kind-mismatch', vs.id, path,
    `gateway ${gateway} admits the hosts of this VirtualService only at ${servers.map(describe).join(', ')}, which build${servers.length === 1 ? 's' : ''} `
    + `${serverKinds.join(' and ')} rules alone, and this VirtualService has ${kinds.join(' and ')} rules there, so the gateway routes none of it and `
    + `${serverKinds.map(kind => OUTCOME[kind]).filter((o, i, all) => all.indexOf(o) === i).join(', ')}; `
    + `write ${serverKinds.map(kind => RULES[kind]).join(' or ')} for these hosts, or admit them at ${kinds.map(kind => SERVES[kind]).join(', or ')}`);
}

function describe(server: unknown): string {
  const port = record(server, 'port');
  const mode = own(record(server, 'tls'), 'mode');
  return `port ${word(own(port, 'number'))} (${word(own(port, 'protocol'))}${mode === undefined ? '' : `, tls mode ${word(mode)}`})`;
}

/** A field as written where it is a word, as most are; quoted where it is anything else. */
function word(value: unknown): string {
  return typeof value === 'string' ? value : show(value);
}
