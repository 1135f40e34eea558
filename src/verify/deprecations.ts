import { Graph, ManifestObject } from './graph';
import { list, own, record } from './json';
import { Finding, finding } from './types';

/**
 * Istio's deprecation FieldAnalyzer (IST0002), on the kinds this project verifies: of VirtualService,
 * DestinationRule, Gateway and ServiceEntry fields it flags only `http[].fault.delay.percent` above 0.
 * Its other report on routing kinds, a Sidecar's `outboundTrafficPolicy.egressProxy` as "ignored", is
 * left out: istiod does route unknown destinations to that proxy under ALLOW_ANY, so the report is wrong.
 * The other fields its API marks deprecated, which istiod still reads when their replacement is
 * absent, are reported too: `http[].mirrorPercent`, and in a DestinationRule's load balancers
 * `consistentHash.minimumRingSize` and `warmupDurationSecs`.
 */
export function checkDeprecations(graph: Graph): Finding[] {
  return [
    ...graph.virtualServices.flatMap(vs => list(vs.spec, 'http').flatMap((rule, i) => [
      ...delayPercent(vs, rule, `spec.http[${i}]`),
      ...mirrorPercent(vs, rule, `spec.http[${i}]`),
    ])),
    ...graph.destinationRules.flatMap(rule => loadBalancers(rule).flatMap(({ path, settings }) => [
      ...ringSize(rule, settings, path),
      ...warmupSeconds(rule, settings, path),
    ])),
  ];
}

const LATER = 'is deprecated, and a later Istio release may drop it';

function delayPercent(vs: ManifestObject, rule: unknown, path: string): Finding[] {
  const percent = own(record(record(rule, 'fault'), 'delay'), 'percent');
  if (typeof percent !== 'number' || percent <= 0) return [];
  return [finding('deprecated-field', vs.id, `${path}.fault.delay.percent`,
    `fault.delay.percent ${percent} ${LATER} (percent is ignored already where percentage is set too); write percentage: { value: ${percent} } instead`)];
}

function mirrorPercent(vs: ManifestObject, rule: unknown, path: string): Finding[] {
  const percent = own(rule, 'mirrorPercent');
  if (typeof percent !== 'number') return [];
  return [finding('deprecated-field', vs.id, `${path}.mirrorPercent`,
    `mirrorPercent ${percent} ${LATER} (it is ignored already where mirrorPercentage is set too); write mirrorPercentage: { value: ${percent} } instead`)];
}

/** A `loadBalancer` of a DestinationRule, and its path. */
interface LoadBalancer {
  readonly path: string;
  readonly settings: unknown;
}

/** The load balancers of a rule's traffic policy, its subsets', and their ports'; flatMap passes over the holes of a sparse list. */
function loadBalancers(rule: ManifestObject): LoadBalancer[] {
  const policies = [
    { path: 'spec.trafficPolicy', policy: own(rule.spec, 'trafficPolicy') },
    ...list(rule.spec, 'subsets').flatMap((subset, i) => [{ path: `spec.subsets[${i}].trafficPolicy`, policy: own(subset, 'trafficPolicy') }]),
  ];
  return policies.flatMap(({ path, policy }) => [
    { path: `${path}.loadBalancer`, settings: own(policy, 'loadBalancer') },
    ...list(policy, 'portLevelSettings').flatMap((port, i) => [{ path: `${path}.portLevelSettings[${i}].loadBalancer`, settings: own(port, 'loadBalancer') }]),
  ]);
}

function ringSize(rule: ManifestObject, settings: unknown, path: string): Finding[] {
  const size = own(record(settings, 'consistentHash'), 'minimumRingSize');
  if (typeof size !== 'number') return [];
  return [finding('deprecated-field', rule.id, `${path}.consistentHash.minimumRingSize`,
    `consistentHash.minimumRingSize ${size} ${LATER} (it is ignored already where ringHash.minimumRingSize is set too); `
    + `write consistentHash.ringHash: { minimumRingSize: ${size} } instead`)];
}

function warmupSeconds(rule: ManifestObject, settings: unknown, path: string): Finding[] {
  const duration = own(settings, 'warmupDurationSecs');
  if (typeof duration !== 'string') return [];
  return [finding('deprecated-field', rule.id, `${path}.warmupDurationSecs`,
    `warmupDurationSecs ${duration} ${LATER} (it is ignored already where warmup is set too); write warmup: { duration: ${duration} } instead`)];
}
