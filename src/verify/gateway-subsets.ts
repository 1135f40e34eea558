import { Graph, ManifestObject, groupBy, podsOfService, serviceSelector, subsetDefinition } from './graph';
import { MESH } from './hosts';
import { text } from './json';
import { Destination, destinations, routedHosts, ruleGateways } from './routes';
import { labelSetMatches, selects } from './selectors';
import { Finding, finding } from './types';

/** A mesh route of a VirtualService to a subset of a host it claims. */
interface Split {
  readonly id: string;
  readonly subset: string;
}

/**
 * Istio's IngressRouteRulesNotAffected (IST0140): a route that applies at a gateway sends traffic to
 * a host without subset, while a VirtualService for the mesh routes that host by subset. A gateway
 * applies its own routes only, never the mesh's, so its requests reach every pod of the host, the
 * mesh's choice of pods notwithstanding. Where Istio compares host strings as written, this resolves
 * short names in each VirtualService's own namespace, so `reviews` and `reviews.shop.svc.cluster.local`
 * are one host and two namespaces' `reviews` are two. It reads the routes of http, tcp and tls rules
 * alike and honours the gateways a rule's matches name. It leaves out a VirtualService's own subsets,
 * since routes side by side in one object are scoped on purpose, and a mesh that sends the host to one
 * subset holding every pod behind it (Bookinfo's `productpage` pinned to its only version, v1): there
 * the gateway's requests reach the same pods.
 */
export function checkGatewaySubsets(graph: Graph): Finding[] {
  // Read only where a gateway route without subset needs them: most gateway routes name a subset, or there are none.
  let splitsByHost: ReadonlyMap<string, readonly Split[]> | undefined;
  return graph.virtualServices.flatMap(vs => routeDestinations(vs).flatMap(d => {
    if (text(d.destination, 'subset')) return [];
    const gateways = ruleGateways(vs, d).filter(g => g !== MESH);
    if (gateways.length === 0) return [];
    splitsByHost ??= meshSplits(graph);
    const host = d.resolved;
    const splits = (splitsByHost.get(host) ?? []).filter(split => split.id !== vs.id);
    const subsets = new Set(splits.map(split => split.subset));
    if (subsets.size === 0 || (subsets.size === 1 && holdsEveryPod(graph, host, splits[0].subset))) return [];
    return [finding('gateway-route-bypasses-split', vs.id, d.path,
      `this route sends requests through gateway ${gateways.join(', ')} to ${host} without a subset, while `
      + `${[...new Set(splits.map(split => split.id))].join(', ')} routes ${host} by subset (${[...subsets].join(', ')}) for the mesh; `
      + `a gateway applies only its own routes, so these requests reach every pod of ${host} whatever the mesh's routes say; `
      + `route to the same subsets here, with the weights meant for the gateway's traffic`)];
  }));
}

/** The mesh routes to a subset of a host their VirtualService claims (a delegate, its roots), by host. */
function meshSplits(graph: Graph): ReadonlyMap<string, readonly Split[]> {
  const splits = graph.virtualServices.flatMap(vs => {
    const claimed = new Set(routedHosts(vs).map(h => h.host));
    return routeDestinations(vs).flatMap(d => {
      const subset = text(d.destination, 'subset');
      const host = d.resolved;
      return subset && claimed.has(host) && ruleGateways(vs, d).includes(MESH) ? [{ host, id: vs.id, subset }] : [];
    });
  });
  return groupBy(splits, split => split.host);
}

/**
 * Whether the subset's labels pick every pod behind the host's Service, so that routing to it picks
 * no pods out: every label set of every workload's pods. A subset a Rollout manages takes the pods
 * of one of its versions, by their hash.
 */
function holdsEveryPod(graph: Graph, host: string, subset: string): boolean {
  const service = graph.serviceByHost.get(host);
  const pods = service ? podsOfService(graph, service) : [];
  const definition = subsetDefinition(graph, host, subset);
  if (!service || pods.length === 0 || definition === undefined || definition.managedBy !== undefined) return false;
  const selector = serviceSelector(service);
  return pods.every(w => w.podLabelSets.filter(set => labelSetMatches(w, set, { labels: selector, match: selects })).every(set => selects(definition.labels, set)));
}

/** Destinations of route entries, mirrors left out: a mirror's copy is no share of the traffic. */
function routeDestinations(vs: ManifestObject): Destination[] {
  return destinations(vs).filter(d => d.path.includes('.route['));
}
