import { Graph, ManifestObject, Workload, idList, podsOfService, serviceSelector, subsetDefinition } from './graph';
import { resolveHost } from './hosts';
import { own, text } from './json';
import { weightedRoutes } from './routes';
import { subsetWorkloads } from './selectors';
import { Finding, finding } from './types';

/** Where weighted traffic goes: destinations resolved through Services and subsets to workloads. */

/** A weighted destination resolved to what receives its traffic. */
export interface RoutedSubset {
  readonly vs: ManifestObject;
  readonly path: string;
  readonly host: string;
  readonly subset: string | undefined;
  readonly weight: number;
}

export function routedSubsets(graph: Graph): RoutedSubset[] {
  return graph.virtualServices.flatMap(vs => weightedRoutes(vs).flatMap(route => route.entries.flatMap((entry, i) => {
    const destination = own(entry, 'destination');
    const written = text(destination, 'host');
    if (!written) return [];
    const weight = own(entry, 'weight');
    // Istio gives a lone destination without a weight all the traffic of its rule.
    const share = typeof weight === 'number' ? weight : route.entries.length === 1 ? 100 : 0;
    return [{ vs, path: `${route.path}[${i}]`, host: resolveHost(written, vs.namespace), subset: text(destination, 'subset'), weight: share }];
  })));
}

/**
 * The workloads whose pods take a destination's traffic: the Service's endpoints, narrowed by the
 * subset's labels as Istio narrows them, so a subset label that contradicts the selector leaves
 * none. A Service without selector has endpoints made by hand, which no workload of the set is.
 */
export function receivers(graph: Graph, routed: RoutedSubset): readonly Workload[] {
  const service = graph.serviceByHost.get(routed.host);
  if (!service) return [];
  const endpoints = podsOfService(graph, service);
  if (routed.subset === undefined) return endpoints;
  const subset = subsetDefinition(graph, routed.host, routed.subset);
  if (!subset) return [];
  return subsetWorkloads(endpoints, serviceSelector(service), subset);
}

/** A workload that runs no pods: replicas set to 0, with no autoscaler to raise them. */
export function isScaledToZero(workload: Workload): boolean {
  return own(workload.spec, 'replicas') === 0;
}

/** A share of traffic that reaches only workloads scaled to 0 fails with 503. */
export function checkReplicas(graph: Graph): Finding[] {
  // Stryker disable next-line ConditionalExpression,BlockStatement: without a workload at 0 replicas no share can reach only such; an early return that only saves time
  if (!graph.workloads.some(isScaledToZero)) return [];
  return routedSubsets(graph).filter(r => r.weight > 0).flatMap(r => {
    const targets = receivers(graph, r);
    if (targets.length === 0 || !targets.every(isScaledToZero)) return [];
    return [finding('route-to-no-replicas', r.vs.id, r.path,
      `${r.weight}% goes to ${idList(targets)}, which run${targets.length === 1 ? 's' : ''} 0 replicas, so that share `
      + 'fails with 503; scale the workload up first, then route to it')];
  });
}
