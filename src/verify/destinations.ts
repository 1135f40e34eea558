import { hostCovers } from '../names';
import { checkSubset } from './destination-subsets';
import { declarationsFor, exportField, exportFix, namespaces, seesAny } from './export-to';
import { ProxiesOf } from './gateway-workloads';
import { Graph, ManifestObject } from './graph';
import { intendedFqdn, isExternalHost, serviceFqdn } from './hosts';
import { Destination, destinations, failureScope, ruleGateways } from './routes';
import { RulePools, rulePools } from './rule-precedence';
import { Settings } from './settings';
import { Takers, takers, where, who } from './takers';
import { Finding, finding } from './types';
import { AmbientMesh } from './waypoints';

/** Checks that each VirtualService destination names a host and subset that exist, and that the proxies taking its routes see both. */
export function checkDestinations(graph: Graph, settings: Settings, proxiesOf: ProxiesOf): Finding[] {
  const findings: Finding[] = [];
  // Indexed only for a subset whose rules are not simply those of the routes' own namespace.
  let pools: RulePools | undefined;
  const poolsOf = () => pools ??= rulePools(graph.destinationRules, settings);
  const ambient = new AmbientMesh(graph);
  const anyAmbient = ambient.hasAmbient();
  for (const vs of graph.virtualServices) {
    // Most rules apply where their VirtualService is bound, so their destinations share its takers.
    let bound: readonly Takers[] | undefined;
    for (const d of destinations(vs)) {
      // Stryker disable next-line ConditionalExpression: working the takers out anew for every destination gives the same ones
      const takenBy = d.gateways ? takers(settings, proxiesOf, vs, ruleGateways(vs, d)) : bound ??= takers(settings, proxiesOf, vs, ruleGateways(vs, d));
      const before = findings.length;
      checkHost(graph, settings, vs, d, takenBy, findings);
      const service = anyAmbient ? graph.serviceByHost.get(d.resolved) : undefined;
      const waypointed = service !== undefined && ambient.ambientReason(service) !== undefined;
      checkSubset(graph, settings, { vs, d, takenBy, poolsOf, hostFound: findings.length === before, waypointed }, findings);
    }
  }
  return findings;
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

function checkHost(graph: Graph, settings: Settings, vs: ManifestObject, d: Destination, takenBy: readonly Takers[], findings: Finding[]): void {
  const resolved = d.resolved;
  // A host served from outside the set is exported as it is there, which the set does not show.
  if (isExternalHost(settings, d.host, resolved)) return;
  const declarations = declarationsFor(graph, settings, resolved, takenBy);
  if (declarations.length > 0) {
    for (const t of takenBy) {
      const hidden = hiddenFrom(settings, t, declarations);
      if (hidden.length > 0) findings.push(notExported(settings, vs, d, declarations, t, hidden));
    }
    return;
  }
  const path = `${d.path}.host`;
  const partial = partiallyQualified(graph, vs, path, d.host);
  if (partial.length > 0) {
    findings.push(...partial);
    return;
  }
  findings.push(finding('destination-host-not-found', vs.id, path,
    `host ${d.host} resolves to ${resolved}, which is neither a Service in the set nor a ServiceEntry or external host${hiddenWildcards(graph, resolved)}, `
    + `so Istio answers 503${failureScope(d)}; point it at an existing service${namesakeHint(graph, d.host)} or declare the host with a ServiceEntry`));
}

/**
 * A sidecar takes the VirtualServices exported to its namespace, but knows only the hosts exported
 * there too, and answers 503 for the rest.
 */
function notExported(settings: Settings, vs: ManifestObject, d: Destination, declarations: readonly ManifestObject[], takers: Takers,
  hidden: readonly string[]): Finding {
  return finding('destination-host-not-exported', vs.id, `${d.path}.host`,
    `host ${d.host} is not exported to ${namespaces(hidden)}, ${where(settings, vs, takers)}: ${declarations.map(o => exportField(o, settings)).join(', ')}; `
    + `${who(takers)} know the host, so requests fail with 503${failureScope(d)}; `
    + `${exportFix(declarations, 'the host', hidden)}, or route to a host exported there`);
}

/** The namespaces of `takers` that see none of `objects`. */
function hiddenFrom(settings: Settings, takers: Takers, objects: readonly ManifestObject[]): readonly string[] {
  return takers.namespaces.filter(namespace => !seesAny(settings, objects, namespace));
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

