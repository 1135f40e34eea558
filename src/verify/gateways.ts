import { Graph, ManifestObject, groupBy } from './graph';
import { MESH, serverAdmits } from './hosts';
import { list } from './json';
import { ClaimedHost, claimedHosts, gatewayBindings, isBoundToMesh } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks how VirtualServices attach to gateways and the mesh: that the binding exists, admits the hosts, and is not contested. */
export function checkGateways(graph: Graph, settings: Settings): Finding[] {
  return [
    ...graph.virtualServices.flatMap(vs => [
      ...checkBindings(graph, settings, vs),
      ...checkWildcardOnMesh(vs),
      ...checkHostsOnGateways(graph, vs),
    ]),
    ...checkHostConflicts(graph),
  ];
}

function checkBindings(graph: Graph, settings: Settings, vs: ManifestObject): Finding[] {
  return gatewayBindings(vs)
    .filter(b => b.gateway !== MESH && !graph.gateways.has(b.gateway) && !settings.externalGateways.has(b.gateway))
    .map(b => finding('gateway-not-found', vs.id, b.path,
      `gateway ${b.gateway} is neither a Gateway in the set nor an external gateway, so no proxy serves these routes; `
      + `write ns/name of an existing Gateway${gatewayNamesakes(graph, b.gateway)} (a bare name means the VirtualService's namespace), `
      + `or, when ${b.gateway} exists outside the set, declare it: --external-gateway ${b.gateway} on the command line, `
      + `RouteCheck.of(chart).addExternalGateway('${b.gateway}') in a chart`));
}

function gatewayNamesakes(graph: Graph, gateway: string): string {
  const name = gateway.slice(gateway.indexOf('/') + 1);
  const namesakes = [...graph.gateways.values()].filter(g => g.name === name).map(g => `${g.namespace}/${g.name}`);
  return namesakes.length > 0 ? ` such as ${namesakes.join(' or ')}` : '';
}

/** Istio's validation rejects `*` on the mesh gateway, which is where a VirtualService without gateways lands. */
function checkWildcardOnMesh(vs: ManifestObject): Finding[] {
  if (!isBoundToMesh(vs)) return [];
  return claimedHosts(vs).filter(h => h.host === '*').map(h => finding('wildcard-host-on-mesh', vs.id, h.path,
    `host * is rejected by Istio on a VirtualService bound to the mesh (gateways lists mesh or is empty); `
    + `list the service hosts instead, or bind the VirtualService only to a gateway`));
}

/**
 * A host that no bound gateway admits serves nobody there. Hosts need only match one gateway:
 * Istio gives each gateway the hosts it admits. With the mesh bound too, such a host may be meant
 * for sidecars alone (the Service's own name), so only a gateway that admits none of them is a
 * mistake there.
 */
function checkHostsOnGateways(graph: Graph, vs: ManifestObject): Finding[] {
  const bindings = gatewayBindings(vs).filter(b => b.gateway !== MESH);
  const gateways = bindings.flatMap(b => graph.gateways.get(b.gateway) ?? []);
  // With an external gateway or a missing one in play, a host may be served where we cannot see.
  if (gateways.length === 0 || gateways.length < bindings.length) return [];
  const hosts = claimedHosts(vs);
  const missed = hosts.filter(h => !gateways.some(g => serverHosts(g).some(s => serverAdmits(s, g.namespace, vs.namespace, h.host))));
  if (isBoundToMesh(vs) && missed.length < hosts.length) return [];
  const names = gateways.map(g => `${g.namespace}/${g.name}`).join(', ');
  return missed.map(h => finding('host-not-on-gateway', vs.id, h.path,
    `host ${h.host} is admitted by no server of gateway ${names}, so requests for it never reach these routes; `
    + `add it to a server's hosts (as ${vs.namespace}/${h.host} or */${h.host}) or remove it`));
}

function serverHosts(gateway: ManifestObject): string[] {
  return list(gateway.spec, 'servers').flatMap(server => list(server, 'hosts'))
    .filter((host): host is string => typeof host === 'string');
}

interface Claim extends ClaimedHost {
  readonly gateway: string;
  readonly vs: ManifestObject;
}

/** VirtualServices that claim one host on one gateway; the mesh counts as a gateway. */
function checkHostConflicts(graph: Graph): Finding[] {
  const claims = graph.virtualServices.flatMap(vs => gatewayBindings(vs).flatMap(({ gateway }) => claimedHosts(vs)
    // `*` on the mesh is rejected outright (wildcard-host-on-mesh), so it contends for nothing.
    .filter(host => gateway !== MESH || host.host !== '*')
    .map(host => ({ ...host, gateway, vs }))));
  return [...groupBy(claims, c => JSON.stringify([c.gateway, c.host])).values()].flatMap(contenders => contenders.flatMap(claim => {
    const others = [...new Set(contenders.filter(c => c.vs.id !== claim.vs.id).map(c => c.vs.id))];
    return others.length === 0 ? [] : [conflict(claim, others.join(', '))];
  }));
}

function conflict(claim: Claim, rivals: string): Finding {
  return claim.gateway === MESH
    ? finding('mesh-host-conflict', claim.vs.id, claim.path,
      `host ${claim.host} is also routed for the mesh by ${rivals}; sidecars take one VirtualService per host and ignore the rest, `
      + `so merge the routes into one VirtualService`)
    : finding('gateway-host-conflict', claim.vs.id, claim.path,
      `host ${claim.host} is also bound to gateway ${claim.gateway} by ${rivals}; Istio merges their routes in creation order, `
      + `so a catch-all route in the older one hides the other's; merge them or give each its own host`);
}
