/**
 * The tls rules of a VirtualService, as Istio's validation reads them (validateTLSRoute,
 * validateTLSMatch, validateSniHost): proxies route TLS by the SNI host alone, so each rule needs a
 * match, each match `sniHosts`, and each SNI host must be one of the VirtualService's hosts or
 * under one of its wildcards. Otherwise the webhook refuses the whole VirtualService, and where it
 * is not installed istiod drops it; the CRD's schema does not say so.
 */

import { isIP } from 'net';
import { hostCovers } from '../names';
import { Graph, ManifestObject } from './graph';
import { isObjectLike, list, show } from './json';
import { REJECTED } from './route-destinations';
import { Finding, finding } from './types';

export function checkTlsRoutes(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => {
    const hosts = list(vs.spec, 'hosts').filter((host): host is string => typeof host === 'string');
    // Without hosts the VirtualService is a delegate, whose tls rules are refused as such (delegate-not-valid).
    if (hosts.length === 0) return [];
    return list(vs.spec, 'tls').flatMap((rule, i) => (isObjectLike(rule) ? checkRule(vs, hosts, rule, `spec.tls[${i}]`) : []));
  });
}

function checkRule(vs: ManifestObject, hosts: readonly string[], rule: unknown, path: string): Finding[] {
  const matches = list(rule, 'match');
  if (matches.length === 0) {
    return [finding('tls-route-invalid', vs.id, path,
      `this tls rule has no match, ${REJECTED}; proxies route tls by the SNI host, so add match: [{ sniHosts: [...] }] with the hosts it takes`)];
  }
  return matches.flatMap((match, j) => (isObjectLike(match) ? checkMatch(vs, hosts, match, `${path}.match[${j}]`) : []));
}

function checkMatch(vs: ManifestObject, hosts: readonly string[], match: unknown, path: string): Finding[] {
  const sniHosts = list(match, 'sniHosts');
  if (sniHosts.length === 0) {
    return [finding('tls-route-invalid', vs.id, path, `this match has no sniHosts, ${REJECTED}; add the SNI hosts it takes, among the VirtualService's hosts`)];
  }
  return sniHosts.flatMap((sni, k) => (typeof sni === 'string' && isIP(sni) === 0 && !hosts.some(host => hostCovers(host, sni))
    ? [finding('tls-route-invalid', vs.id, `${path}.sniHosts[${k}]`,
      `the SNI host ${show(sni)} is neither a host of this VirtualService (${hosts.join(', ')}) nor under one of its wildcards, ${REJECTED}; `
      + 'add it to hosts, or match a host there')]
    : []));
}
