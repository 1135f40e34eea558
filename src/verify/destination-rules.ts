import { partiallyQualified } from './destinations';
import { Graph, ManifestObject, idList, podsOfService, subsetsOfRule } from './graph';
import { isDeclaredElsewhere, resolveHost } from './hosts';
import { labels, list, text } from './json';
import { formatLabels, mayCarry, nearestMiss, picksByPlacement, subsetWorkloads, templateLabels } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that each DestinationRule names a Service and that each subset picks out exactly one workload's pods. */
export function checkDestinationRules(graph: Graph, settings: Settings): Finding[] {
  return graph.destinationRules.flatMap(rule => {
    const written = text(rule.spec, 'host');
    if (!written) return [];
    const host = resolveHost(written, rule.namespace);
    const service = graph.serviceByHost.get(host);
    const entries = graph.serviceEntryHosts.filter(declared => declared.host === host).map(declared => declared.entry);
    if (service) return checkSubsets(graph, rule, service, entries);
    if (entries.length > 0) return checkEntrySubsets(rule, entries);
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
function checkSubsets(graph: Graph, rule: ManifestObject, service: ManifestObject, entries: readonly ManifestObject[]): Finding[] {
  // A Service without selector has hand-made endpoints, and one that selects nothing is reported on its own.
  const endpoints = podsOfService(graph, service);
  if (endpoints.length === 0) return [];
  const declared = entryEndpoints(entries);
  return subsetsOfRule(rule).flatMap(({ index: i, name: written, labels: subsetLabels }) => {
    const name = written ?? `#${i}`;
    const picked = subsetWorkloads(endpoints, subsetLabels);
    const path = `spec.subsets[${i}].labels`;
    if (picked.length === 0) {
      if (declared === undefined || declared.some(carried => mayCarry(subsetLabels, carried))) return [];
      return [finding('subset-selects-nothing', rule.id, path,
        `subset ${name} (${formatLabels(subsetLabels)}) matches none of the pods behind ${service.id}, so traffic to it fails with 503; `
        + `use labels that one version's pod template carries${nearestMiss(templateLabels(subsetLabels), endpoints)}`)];
    }
    if (picked.length === 1 || picksByPlacement(subsetLabels)) return [];
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
function checkEntrySubsets(rule: ManifestObject, entries: readonly ManifestObject[]): Finding[] {
  const endpoints = entryEndpoints(entries);
  if (endpoints === undefined) return [];
  return subsetsOfRule(rule).flatMap(({ index: i, name: written, labels: subsetLabels }) => (endpoints.some(carried => mayCarry(subsetLabels, carried))
    ? []
    : [finding('subset-selects-nothing', rule.id, `spec.subsets[${i}].labels`,
      `subset ${written ?? `#${i}`} (${formatLabels(subsetLabels)}) matches none of the endpoints of ${idList([...new Set(entries)])}, so traffic to it `
      + 'fails with 503; use labels that an endpoint carries, or give the endpoints that label')]));
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
