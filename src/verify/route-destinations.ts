/**
 * Route entries and mirrors that name no destination host. Istio's validation rejects the whole
 * VirtualService for one of them; routes.ts `destinations()` leaves them out, so that the checks of
 * hosts, subsets and ports see only destinations they can look up, and this check reports them.
 */

import { Graph, ManifestObject } from './graph';
import { isObjectLike, list, own, show, text } from './json';
import { ROUTE_PROTOCOLS } from './routes';
import { Finding, finding } from './types';

export function checkRouteDestinations(graph: Graph): Finding[] {
  const findings: Finding[] = [];
  for (const vs of graph.virtualServices) {
    for (const protocol of ROUTE_PROTOCOLS) list(vs.spec, protocol).forEach((rule, i) => checkRule(vs, protocol, rule, i, findings));
  }
  return findings;
}

/** Adds to `findings` each destination of a rule that names no host; paths are written for those alone, which are rare. */
function checkRule(vs: ManifestObject, protocol: string, rule: unknown, i: number, findings: Finding[]): void {
  const base = (): string => `spec.${protocol}[${i}]`;
  const entries = (field: string): void => list(rule, field).forEach((entry, j) => {
    const value = own(entry, 'destination');
    if (!text(value, 'host')) findings.push(missingHost(vs, `${base()}.${field}[${j}]`, 'destination', value));
  });
  entries('route');
  // Only http rules mirror; Istio ignores the field elsewhere, as routes.ts does.
  if (protocol !== 'http') return;
  const mirror = own(rule, 'mirror');
  // `mirror` itself may be left out; a route or `mirrors` entry needs its destination.
  if (mirror !== undefined && mirror !== null && !text(mirror, 'host')) findings.push(missingHost(vs, base(), 'mirror', mirror));
  entries('mirrors');
}

/** What a VirtualService that Istio's validation refuses costs, as every such finding says it. */
export const REJECTED = 'which Istio rejects, so none of this VirtualService\'s routes take effect';

const FIX = 'name the Service or ServiceEntry host that should receive this traffic';

/** The finding for `key` of the object at `owner`, which names no host. */
function missingHost(vs: ManifestObject, owner: string, key: string, value: unknown): Finding {
  if (value === undefined || value === null) {
    return finding('destination-host-missing', vs.id, owner, `this entry has no ${key}, ${REJECTED}; add ${key}.host to ${FIX}`);
  }
  const path = `${owner}.${key}`;
  if (!isObjectLike(value)) {
    return finding('destination-host-missing', vs.id, path,
      `${key} ${show(value)} is not an object with a host, ${REJECTED}; write it as { host: ... } to ${FIX}`);
  }
  return finding('destination-host-missing', vs.id, `${path}.host`,
    `the ${key} has ${hostDescription(own(value, 'host'))}, ${REJECTED}; set host to ${FIX}`);
}

function hostDescription(host: unknown): string {
  if (host === undefined || host === null) return 'no host';
  return host === '' ? 'an empty host' : `host ${show(host)}, which is not a name`;
}
