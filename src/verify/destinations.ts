import { hostCovers } from '../names';
import { declarationsFor, exportField, exportedTo, isVisibleIn, namespaces, routingNamespaces, writesExportTo } from './export-to';
import { Graph, ManifestObject, destinationRulesFor } from './graph';
import { intendedFqdn, resolveHost, serviceFqdn } from './hosts';
import { list, text } from './json';
import { Destination, destinations } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each VirtualService destination names a host and subset that exist. */
export function checkDestinations(graph: Graph, settings: Settings): Finding[] {
  return graph.virtualServices.flatMap(vs => {
    const routedFrom = routingNamespaces(vs, settings);
    return destinations(vs).flatMap(d => [
      ...checkHost(graph, settings, vs, d, routedFrom),
      ...checkSubset(graph, settings, vs, d),
    ]);
  });
}

/** Whether a host is served from outside the Kubernetes Services of the set, whichever namespaces see it. */
export function isDeclaredElsewhere(graph: Graph, settings: Settings, host: string, resolved: string): boolean {
  return isExternalHost(settings, host, resolved) || graph.serviceEntryHosts.some(entry => hostCovers(entry.host, resolved));
}

/** Whether a host, as written or resolved, is one the options declare outside the set. */
export function isExternalHost(settings: Settings, host: string, resolved: string): boolean {
  return settings.externalHosts.some(pattern => hostCovers(pattern, host) || hostCovers(pattern, resolved));
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

/** `routedFrom`: the VirtualService's {@link routingNamespaces}. */
function checkHost(graph: Graph, settings: Settings, vs: ManifestObject, d: Destination, routedFrom: readonly string[]): Finding[] {
  const resolved = resolveHost(d.host, vs.namespace);
  // A host served from outside the set is exported as it is there, which the set does not show.
  if (isExternalHost(settings, d.host, resolved)) return [];
  const path = `${d.path}.host`;
  const declarations = declarationsFor(graph, settings, resolved, routedFrom);
  if (declarations.length > 0) return checkExported(settings, vs, d, path, declarations, routedFrom);
  const partial = partiallyQualified(graph, vs, path, d.host);
  if (partial.length > 0) return partial;
  return [finding('destination-host-not-found', vs.id, path,
    `host ${d.host} resolves to ${resolved}, which is neither a Service in the set nor a ServiceEntry or external host${hiddenWildcards(graph, resolved)}, `
    + `so Istio answers 503; point it at an existing service${namesakeHint(graph, d.host)} or declare the host with a ServiceEntry`)];
}

/**
 * A sidecar takes the VirtualServices exported to its namespace, but knows only the hosts exported
 * there too, and answers 503 for the rest.
 */
function checkExported(settings: Settings, vs: ManifestObject, d: Destination, path: string, declarations: readonly ManifestObject[],
  routedFrom: readonly string[]): Finding[] {
  const hidden = routedFrom.filter(namespace => !declarations.some(o => isVisibleIn(exportedTo(o, settings), namespace)));
  if (hidden.length === 0) return [];
  const why = exportedTo(vs, settings) === '*' ? 'this VirtualService\'s own' : 'which this VirtualService is exported to';
  // Widening the mesh's default would export every object that relies on it: the fix is the object's own exportTo.
  const fix = declarations.every(writesExportTo) ? `add ${hidden.join(', ')} to that exportTo`
    : `export the host to ${hidden.join(', ')} in an exportTo written on the object, since the mesh default covers every object without one`;
  return [finding('destination-host-not-exported', vs.id, path,
    `host ${d.host} is not exported to ${namespaces(hidden)}, ${why}: ${declarations.map(o => exportField(o, settings)).join(', ')}; `
    + `sidecars there take these routes but do not know the host, so requests fail with 503; `
    + `${fix}, or route to a host exported there`)];
}

/** Wildcard ServiceEntries that would declare an unknown host, were they exported where the routes apply. */
function hiddenWildcards(graph: Graph, host: string): string {
  const entries = [...new Set(graph.serviceEntryHosts.filter(e => hostCovers(e.host, host)).map(e => e.entry.id))];
  return entries.length > 0 ? ` (covered by ${entries.join(', ')}, not exported to where these routes apply)` : '';
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
