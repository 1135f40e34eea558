/**
 * Gateways a match names where its VirtualService's rules never apply. istiod looks VirtualServices
 * up by `spec.gateways` alone (PushContext.initVirtualServices), and where it builds the routes of
 * one gateway, or of the sidecars (`mesh`), it keeps a match only if that match names it, or names
 * none (route.sourceMatchHTTP): a match's gateways narrow the bindings, they never add one. So a
 * gateway there that the VirtualService is not bound to is never served, and a match naming only
 * such gateways never applies. Istio's webhook and analyzers read `spec.gateways` alone.
 */

import { Graph, ManifestObject, delegatingRoots, idList, isDelegate } from './graph';
import { resolveGatewayRef } from './hosts';
import { list } from './json';
import { ROUTE_PROTOCOLS, boundGateways, isName } from './routes';
import { Finding, finding } from './types';

export function checkMatchGateways(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => {
    const scope = bindings(vs);
    if (!scope) return [];
    return ROUTE_PROTOCOLS.flatMap(protocol => list(vs.spec, protocol).flatMap((rule, i) => list(rule, 'match').flatMap((match, j) =>
      unbound(vs, scope, `spec.${protocol}[${i}].match[${j}]`, match))));
  });
}

/** The gateways a match may name, and the roots they are a delegate's bindings of. */
interface Scope {
  readonly gateways: readonly string[];
  readonly roots?: readonly ManifestObject[];
}

/**
 * The gateways a match may name: those its VirtualService is bound to, or a delegate's roots. What
 * the matches of a root rule narrow further is delegate-match-conflict's. Undefined for a delegate
 * that no rule of the set delegates to, whose roots the set does not show.
 */
function bindings(vs: ManifestObject): Scope | undefined {
  const roots = delegatingRoots(vs);
  if (roots) return { gateways: [...new Set(roots.flatMap(boundGateways))], roots };
  return isDelegate(vs) ? undefined : { gateways: boundGateways(vs) };
}

/** A finding for each gateway of `match` outside `scope`. */
function unbound(vs: ManifestObject, scope: Scope, path: string, match: unknown): Finding[] {
  const written = list(match, 'gateways');
  const named = written.map(gateway => (isName(gateway) ? resolveGatewayRef(gateway, vs.namespace) : undefined));
  const served = [...new Set(named.filter((gateway): gateway is string => gateway !== undefined && scope.gateways.includes(gateway)))];
  return named.flatMap((gateway, k) => (gateway === undefined || served.includes(gateway) ? [] : [finding('match-gateway-not-bound', vs.id, `${path}.gateways[${k}]`,
    `gateway ${shown(written[k] as string, gateway)}, which this match names, is not among the gateways ${where(scope.roots)} (${scope.gateways.join(', ')}), `
    + 'so istiod never applies the match at it: it looks a VirtualService up by spec.gateways alone, and a match\'s gateways only narrow those; '
    + `${served.length > 0 ? `the match applies at ${served.join(', ')} alone` : 'the match never applies, and what it was meant to take goes to later rules'}; `
    + `${scope.roots ? `bind ${idList(scope.roots)} to ${gateway} too` : `add ${gateway} to spec.gateways`}, or remove it from the match`)]));
}

/** A gateway as written, with the name istiod resolves it to where that differs. */
function shown(written: string, gateway: string): string {
  return written === gateway ? written : `${written} (${gateway})`;
}

function where(roots: readonly ManifestObject[] | undefined): string {
  return roots ? `${idList(roots)}, which delegate${roots.length === 1 ? 's' : ''} here, ${roots.length === 1 ? 'is' : 'are'} bound to` : 'this VirtualService is bound to';
}
