import { Graph } from './graph';
import { list, own, record } from './json';
import { Finding, finding } from './types';

/**
 * Istio's deprecation FieldAnalyzer (IST0002), on the kinds this project verifies: of VirtualService,
 * DestinationRule, Gateway and ServiceEntry fields it flags only `http[].fault.delay.percent` above 0.
 * Its other report on routing kinds, a Sidecar's `outboundTrafficPolicy.egressProxy` as "ignored", is
 * left out: istiod does route unknown destinations to that proxy under ALLOW_ANY, so the report is wrong.
 */
export function checkDeprecations(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => list(vs.spec, 'http').flatMap((rule, i) => {
    const percent = own(record(record(rule, 'fault'), 'delay'), 'percent');
    if (typeof percent !== 'number' || percent <= 0) return [];
    return [finding('deprecated-field', vs.id, `spec.http[${i}].fault.delay.percent`,
      `fault.delay.percent ${percent} is deprecated, and a later Istio release may drop it (percent is ignored already where `
      + `percentage is set too); write percentage: { value: ${percent} } instead`)];
  }));
}
