import { Visibility, exportedTo, isVisibleIn, routingNamespaces, seenByAny } from './export-to';
import { ProxiesOf } from './gateway-workloads';
import { ManifestObject, delegatingRoots, idList } from './graph';
import { rootRuleGateways } from './routes';
import { MESH } from './hosts';
import { Settings } from './settings';

/**
 * Which proxies take a VirtualService's routes, and the namespaces they run in: each must see the
 * hosts the routes name and a DestinationRule that defines their subsets.
 */

/** Proxies that take a destination's routes, in namespaces each of which must see its host and the rules defining its subset. */
export interface Takers {
  /** The gateway whose pods run there; undefined for sidecars. */
  readonly gateway?: string;
  readonly namespaces: readonly string[];
  /**
   * Whether proxies run in `namespaces`: the sidecars of a mesh route, or a gateway's pods. Not so
   * where those are the VirtualService's, standing for gateway pods the set does not show.
   */
  readonly placed: boolean;
}

/**
 * Sidecars take mesh routes in the VirtualService's {@link routingNamespaces}; a gateway of the set,
 * in the namespaces of its pods that see the VirtualService (the others take none of its routes,
 * which checkGateways reports). A gateway whose pods the set does not show is checked as Istio's
 * analyzer checks every route, from the VirtualService's namespaces.
 */
export function takers(settings: Settings, proxiesOf: ProxiesOf, vs: ManifestObject, applies: readonly string[]): Takers[] {
  const gateways = applies.filter(gateway => proxiesOf(gateway).length > 0);
  // The mesh, and gateways whose pods the set does not show, which stand for the VirtualService's namespaces.
  const elsewhere = applies.filter(gateway => !gateways.includes(gateway));
  const sidecars = elsewhere.length > 0 ? [{ namespaces: sidecarNamespaces(vs, settings, elsewhere), placed: applies.includes(MESH) }] : [];
  // The common case, in the route check at synth too: no gateway whose pods the set shows.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: an early return that only saves time; the rest gives the same
  if (gateways.length === 0) return sidecars;
  return [...sidecars, ...[...new Set(gateways)].map(gateway => {
    const seen = routesSeenBy(vs, settings, gateway);
    return { gateway, namespaces: proxiesOf(gateway).filter(namespace => isVisibleIn(seen, namespace)), placed: true };
  })];
}

/**
 * istiod merges a delegate's rules into the VirtualServices that delegate to it, whose exportTo
 * then decides where they apply: those of the roots whose rule applies at one of `gateways`.
 */
function sidecarNamespaces(vs: ManifestObject, settings: Settings, gateways: readonly string[]): readonly string[] {
  const roots = rootsAt(vs, gateways);
  return roots ? [...new Set(roots.flatMap(root => routingNamespaces(root, settings)))].sort() : routingNamespaces(vs, settings);
}

function routesSeenBy(vs: ManifestObject, settings: Settings, gateway: string): Visibility {
  const roots = rootsAt(vs, [gateway]);
  return roots ? seenByAny(roots.map(root => exportedTo(root, settings))) : exportedTo(vs, settings);
}

/** Of a delegate, the VirtualServices whose rules delegating to it apply at one of `gateways`; undefined for any other VirtualService. */
function rootsAt(vs: ManifestObject, gateways: readonly string[]): readonly ManifestObject[] | undefined {
  const rules = vs.facts.delegatedBy;
  return rules && [...new Set(rules.filter(rule => rootRuleGateways(rule).some(gateway => gateways.includes(gateway))).map(({ root }) => root))];
}

/** Why routes apply in the namespaces of `takers`. */
export function where(settings: Settings, vs: ManifestObject, takers: Takers): string {
  if (takers.gateway !== undefined) return `where the pods of gateway ${takers.gateway} run`;
  const roots = delegatingRoots(vs);
  if (roots) return `where ${idList(roots)}, which delegate${roots.length === 1 ? 's' : ''} here, appl${roots.length === 1 ? 'ies' : 'y'}`;
  return exportedTo(vs, settings) === '*' ? 'this VirtualService\'s own' : 'which this VirtualService is exported to';
}

export function who(takers: Takers): string {
  return takers.gateway !== undefined ? 'the gateway takes these routes but does not' : 'sidecars there take these routes but do not';
}
