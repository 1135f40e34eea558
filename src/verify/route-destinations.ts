/**
 * Route entries and mirrors that name no destination host. Istio's validation rejects the whole
 * VirtualService for one of them; routes.ts `destinations()` leaves them out, so that the checks of
 * hosts, subsets and ports see only destinations they can look up, and this check reports them.
 */

import { Graph, ManifestObject } from './graph';
import { isObjectLike, list, own, show } from './json';
import { ROUTE_PROTOCOLS } from './routes';
import { Finding, finding } from './types';

export function checkRouteDestinations(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => targets(vs).flatMap(target => checkTarget(vs, target)));
}

/** A place where a destination is written: `key` of the object at `owner`. */
interface Target {
  readonly owner: string;
  readonly key: 'destination' | 'mirror';
  readonly value: unknown;
  /** A route or `mirrors` entry needs its destination; `mirror` itself may be left out. */
  readonly required: boolean;
}

function targets(vs: ManifestObject): Target[] {
  return ROUTE_PROTOCOLS.flatMap(protocol => list(vs.spec, protocol).flatMap((rule, i) => {
    const base = `spec.${protocol}[${i}]`;
    const entries = (field: string): Target[] => list(rule, field).map((entry, j) => ({
      owner: `${base}.${field}[${j}]`, key: 'destination', value: own(entry, 'destination'), required: true,
    }));
    // Only http rules mirror; Istio ignores the field elsewhere, as routes.ts does.
    if (protocol !== 'http') return entries('route');
    return [...entries('route'), { owner: base, key: 'mirror', value: own(rule, 'mirror'), required: false }, ...entries('mirrors')];
  }));
}

const REJECTED = 'which Istio rejects, so none of this VirtualService\'s routes take effect';

const FIX = 'name the Service or ServiceEntry host that should receive this traffic';

function checkTarget(vs: ManifestObject, target: Target): Finding[] {
  const { owner, key, value } = target;
  if (value === undefined || value === null) {
    return target.required ? [finding('destination-host-missing', vs.id, owner,
      `this entry has no ${key}, ${REJECTED}; add ${key}.host to ${FIX}`)] : [];
  }
  const path = `${owner}.${key}`;
  if (!isObjectLike(value)) {
    return [finding('destination-host-missing', vs.id, path,
      `${key} ${show(value)} is not an object with a host, ${REJECTED}; write it as { host: ... } to ${FIX}`)];
  }
  const host = own(value, 'host');
  if (typeof host === 'string' && host !== '') return [];
  return [finding('destination-host-missing', vs.id, `${path}.host`,
    `the ${key} has ${hostDescription(host)}, ${REJECTED}; set host to ${FIX}`)];
}

function hostDescription(host: unknown): string {
  if (host === undefined || host === null) return 'no host';
  return host === '' ? 'an empty host' : `host ${show(host)}, which is not a name`;
}
