import { partiallyQualified } from './destinations';
import { destinations } from './routes';
import { Graph, ManifestObject, idList, podsOfService, serviceSelector, subsetsOfRule } from './graph';
import { isDeclaredElsewhere, resolveHost } from './hosts';
import { labels, list, text } from './json';
import { formatLabels, mayCarry, nearestMiss, picksByPlacement, subsetWorkloads, templateLabels } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each DestinationRule names a Service and that each subset picks out exactly one workload's pods. */
export function checkDestinationRules(graph: Graph, settings: Settings): Finding[] {
  const routed = subsetsInUse(graph);
  return graph.destinationRules.flatMap(rule => {
    const written = text(rule.spec, 'host');
    if (!written) return [];
    const host = resolveHost(written, rule.namespace);
    const service = graph.serviceByHost.get(host);
    const entries = graph.serviceEntryHosts.filter(declared => declared.host === host).map(declared => declared.entry);
    const routedHere = routed.get(host) ?? NONE;
    if (service) return checkSubsets(graph, rule, service, entries, routedHere);
    if (entries.length > 0) return checkEntrySubsets(rule, entries, routedHere);
    if (host.startsWith('*') || isDeclaredElsewhere(graph, settings, written, host)) return [];
    const partial = partiallyQualified(graph, rule, 'spec.host', written);
    return partial.length > 0 ? partial : [finding('destination-rule-host-not-found', rule.id, 'spec.host',
      `host ${written} resolves to ${host}, which is not a Service in the set, so this rule applies to nothing; `
      + `name an existing service (short names resolve in the rule's own namespace) or add the service`)];
  });
}

/**
 * `entries` are ServiceEntries declaring the Service's host too: istiod merges their endpoints with
 * the pods' (endpoint_builder.go, by host and namespace), so a subset may pick theirs.
 */
function checkSubsets(graph: Graph, rule: ManifestObject, service: ManifestObject, entries: readonly ManifestObject[], routed: Routed): Finding[] {
  // A Service without selector has hand-made endpoints, and one that selects nothing is reported on its own.
  const endpoints = podsOfService(graph, service);
  if (endpoints.length === 0) return [];
  const declared = entryEndpoints(entries);
  return subsetsOfRule(rule).flatMap(subset => {
    const { index: i, name: written, labels: subsetLabels } = subset;
    const name = written ?? `#${i}`;
    const picked = subsetWorkloads(endpoints, serviceSelector(service), subset);
    const path = `spec.subsets[${i}].labels`;
    if (picked.length === 0) {
      if (declared === undefined || declared.some(carried => mayCarry(subsetLabels, carried))) return [];
      const closest = nearestMiss(templateLabels(subsetLabels), endpoints);
      return [selectsNothing(rule, path, written, routed, `subset ${name} (${formatLabels(subsetLabels)}) matches none of the pods behind ${service.id}`, {
        routed: `use labels that one version's pod template carries${closest}`,
        unrouted: `run pods that carry these labels before a route does, or remove the subset${closest}`,
      })];
    }
    // A Rollout and the workload whose template it takes run one version.
    if (new Set(picked.map(w => w.templateOf)).size === 1 || picksByPlacement(subsetLabels)) return [];
    return [finding('subset-selects-many', rule.id, path,
      `subset ${name} (${formatLabels(subsetLabels)}) matches the pods of ${idList(picked)}, so its weight `
      + `mixes versions; add a label, such as version, that only one of them carries`)];
  });
}

/**
 * A ServiceEntry's `endpoints` carry their own labels, by which a subset picks them (istiod's
 * endpoint builder keeps those whose labels hold the subset's), so a subset that none of them
 * carries has no endpoints. Read only where all of them are in view (entryEndpoints).
 */
function checkEntrySubsets(rule: ManifestObject, entries: readonly ManifestObject[], routed: Routed): Finding[] {
  const endpoints = entryEndpoints(entries);
  if (endpoints === undefined) return [];
  return subsetsOfRule(rule).flatMap(({ index: i, name: written, labels: subsetLabels }) => (endpoints.some(carried => mayCarry(subsetLabels, carried))
    ? []
    : [selectsNothing(rule, `spec.subsets[${i}].labels`, written, routed,
      `subset ${written ?? `#${i}`} (${formatLabels(subsetLabels)}) matches none of the endpoints of ${idList([...new Set(entries)])}`, {
        routed: 'use labels that an endpoint carries, or give the endpoints that label',
        unrouted: 'give an endpoint these labels before a route uses the subset, or remove the subset',
      })]));
}

/** The names of a host's subsets that the VirtualServices of the set route to or mirror. */
type Routed = ReadonlySet<string>;

const NONE: Routed = new Set();

/** The routed subsets of each host, resolved. */
function subsetsInUse(graph: Graph): ReadonlyMap<string, Routed> {
  const routed = new Map<string, Set<string>>();
  for (const vs of graph.virtualServices) {
    for (const d of destinations(vs)) {
      const subset = text(d.destination, 'subset');
      if (subset !== undefined) routed.set(d.resolved, (routed.get(d.resolved) ?? new Set<string>()).add(subset));
    }
  }
  return routed;
}

/**
 * A subset that selects nothing fails with 503 where a route of the set sends traffic to it; one
 * that no route uses costs nothing yet (Bookinfo's rules define versions it does not run), and is
 * a warning of what a route to it would meet.
 */
function selectsNothing(rule: ManifestObject, path: string, name: string | undefined, routed: Routed, what: string, fix: Fixes): Finding {
  return name !== undefined && routed.has(name)
    ? finding('subset-selects-nothing', rule.id, path, `${what}, so traffic to it fails with 503; ${fix.routed}`)
    : finding('unrouted-subset-selects-nothing', rule.id, path, `${what}; no route of the set uses it yet, and one that does will fail with 503; ${fix.unrouted}`);
}

/** What to do about a subset that selects nothing, where routes use it and where none does yet. */
interface Fixes {
  readonly routed: string;
  readonly unrouted: string;
}

/**
 * The labels of the ServiceEntries' endpoints; undefined where one lists none: it selects workloads
 * (Istio's validation allows a workloadSelector only without endpoints) or resolves its hosts,
 * whose endpoints are not in view.
 */
function entryEndpoints(entries: readonly ManifestObject[]): ReadonlyMap<string, string>[] | undefined {
  if (entries.some(entry => list(entry.spec, 'endpoints').length === 0)) return undefined;
  return entries.flatMap(entry => list(entry.spec, 'endpoints')).map(endpoint => labels(endpoint, 'labels'));
}
