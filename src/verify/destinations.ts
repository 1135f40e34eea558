import { hostCovers } from '../names';
import { Graph, ManifestObject, destinationRulesFor } from './graph';
import { intendedFqdn, resolveHost, serviceFqdn } from './hosts';
import { list, text } from './json';
import { Destination, destinations } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each VirtualService destination names a host and subset that exist. */
export function checkDestinations(graph: Graph, settings: Settings): Finding[] {
  return graph.virtualServices.flatMap(vs => destinations(vs).flatMap(d => [
    ...checkHost(graph, settings, vs, d),
    ...checkSubset(graph, settings, vs, d),
  ]));
}

/** Whether a host is served from outside the Kubernetes Services of the set. */
export function isDeclaredElsewhere(graph: Graph, settings: Settings, host: string, resolved: string): boolean {
  return settings.externalHosts.some(pattern => hostCovers(pattern, host) || hostCovers(pattern, resolved))
    || graph.serviceEntryHosts.some(pattern => hostCovers(pattern, resolved));
}

/**
 * A finding for a host written as `name.ns` when `name.ns.svc.cluster.local` is a Service of the
 * set: the commonest way to miss a Service that exists.
 */
export function partiallyQualified(graph: Graph, object: ManifestObject, path: string, host: string): Finding[] {
  const intended = intendedFqdn(host);
  if (!intended || !graph.serviceByHost.has(intended)) return [];
  return [finding('host-partially-qualified', object.id, path,
    `host ${host} is taken literally, because Istio expands only dot-free short names, so it matches no service; `
    + `write the FQDN ${intended}`)];
}

function checkHost(graph: Graph, settings: Settings, vs: ManifestObject, d: Destination): Finding[] {
  const resolved = resolveHost(d.host, vs.namespace);
  if (graph.serviceByHost.has(resolved) || isDeclaredElsewhere(graph, settings, d.host, resolved)) return [];
  const path = `${d.path}.host`;
  const partial = partiallyQualified(graph, vs, path, d.host);
  if (partial.length > 0) return partial;
  return [finding('destination-host-not-found', vs.id, path,
    `host ${d.host} resolves to ${resolved}, which is neither a Service in the set nor a ServiceEntry or external host, `
    + `so Istio answers 503; point it at an existing service${namesakeHint(graph, d.host)} or declare the host with a ServiceEntry`)];
}

/** Short names resolve in the VirtualService's namespace; a namesake elsewhere is likely what was meant. */
function namesakeHint(graph: Graph, host: string): string {
  const namesakes = graph.services.filter(s => s.name === host).map(s => serviceFqdn(s.name, s.namespace));
  return namesakes.length > 0 ? ` (did you mean ${namesakes.join(' or ')}?)` : '';
}

function checkSubset(graph: Graph, settings: Settings, vs: ManifestObject, d: Destination): Finding[] {
  const subset = text(d.destination, 'subset');
  if (!subset) return [];
  const host = resolveHost(d.host, vs.namespace);
  const rules = destinationRulesFor(graph, host);
  const defined = rules.flatMap(rule => list(rule.spec, 'subsets').flatMap(s => text(s, 'name') ?? []));
  if (defined.includes(subset)) return [];
  const path = `${d.path}.subset`;
  if (rules.length === 0) {
    // An external host's DestinationRule lives wherever the host does.
    if (isDeclaredElsewhere(graph, settings, d.host, host)) return [];
    return [finding('subset-not-found', vs.id, path,
      `subset ${subset} is defined by no DestinationRule, because none has host ${host}, so Istio answers 503; `
      + `add a DestinationRule for ${host} with subset ${subset}`)];
  }
  return [finding('subset-not-found', vs.id, path,
    `subset ${subset} is not among the subsets (${defined.join(', ') || 'none'}) of ${rules.map(r => r.id).join(', ')}, `
    + `so Istio answers 503; add it there or route to one of those`)];
}
