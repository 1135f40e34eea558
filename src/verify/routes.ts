/** Where a VirtualService sends traffic and which gateways and hosts it claims, with field paths. */

import { DelegatingRule, ManifestObject, delegatingRoots, isDelegate } from './graph';
import { MESH, resolveGatewayRef, resolveHost } from './hosts';
import { Json, isObjectLike, list, own, text } from './json';

export type RouteProtocol = 'http' | 'tcp' | 'tls';

export const ROUTE_PROTOCOLS: readonly RouteProtocol[] = ['http', 'tcp', 'tls'];

/** A `destination` of a weighted route entry or of a mirror. */
export interface Destination {
  readonly protocol: RouteProtocol;
  /** Path of the destination object, e.g. `spec.http[0].route[1].destination`. */
  readonly path: string;
  readonly destination: Json;
  readonly host: string;
  /** The host with a short name expanded in the VirtualService's namespace, as Istio looks it up. */
  readonly resolved: string;
  /**
   * The gateways the rule applies to when every one of its matches names them (`match[].gateways`),
   * else undefined: the rule applies wherever the VirtualService is bound.
   */
  readonly gateways?: readonly string[];
  /** The rule it is written in. */
  readonly rule: unknown;
  /** Whether it is a mirror's, whose copies no client waits for. */
  readonly mirror: boolean;
  /**
   * A route entry at weight 0 (or none) beside others, or a mirror at 0%: istiod leaves it out of
   * the proxies' routes (route.go translateRoute, MirrorPercent; networkfilter.go), so its faults
   * cost nothing until it is given weight.
   */
  readonly idle: boolean;
}

/** The weighted entries of one rule, e.g. `spec.http[0].route`. */
export interface WeightedRoute {
  readonly path: string;
  readonly entries: readonly unknown[];
}

export interface GatewayBinding {
  /** `mesh` or the resolved `ns/name`. */
  readonly gateway: string;
  readonly path: string;
}

export interface ClaimedHost {
  /** The host with a short name expanded in the VirtualService's namespace. */
  readonly host: string;
  readonly path: string;
}

/** The weighted entries of each rule: its `route`. */
export function weightedRoutes(vs: ManifestObject): readonly WeightedRoute[] {
  return vs.facts.weightedRoutes ??= readWeightedRoutes(vs);
}

function readWeightedRoutes(vs: ManifestObject): WeightedRoute[] {
  return ROUTE_PROTOCOLS.flatMap(protocol => list(vs.spec, protocol).map((rule, i) => ({
    path: `spec.${protocol}[${i}].route`,
    entries: list(rule, 'route'),
  })));
}

/** Every destination with a host: route entries of http, tcp and tls rules, plus http mirrors. */
export function destinations(vs: ManifestObject): readonly Destination[] {
  return vs.facts.destinations ??= readDestinations(vs);
}

function readDestinations(vs: ManifestObject): Destination[] {
  const found: Destination[] = [];
  for (const protocol of ROUTE_PROTOCOLS) {
    list(vs.spec, protocol).forEach((rule, i) => {
      const base = `spec.${protocol}[${i}]`;
      const gateways = matchGateways(rule);
      const add = (path: string, destination: unknown, mirror: boolean, idle: boolean): void => {
        const host = text(destination, 'host');
        if (isObjectLike(destination) && host) found.push({ protocol, path, destination, host, resolved: resolveHost(host, vs.namespace), gateways, rule, mirror, idle });
      };
      const entries = list(rule, 'route');
      entries.forEach((entry, j) => add(`${base}.route[${j}].destination`, own(entry, 'destination'), false, entries.length > 1 && (own(entry, 'weight') ?? 0) === 0));
      if (protocol !== 'http') return;
      add(`${base}.mirror`, own(rule, 'mirror'), true, mirrorsNone(own(rule, 'mirrorPercentage') ?? own(rule, 'mirrorPercent')));
      list(rule, 'mirrors').forEach((mirror, j) => add(`${base}.mirrors[${j}].destination`, own(mirror, 'destination'), true, mirrorsNone(own(mirror, 'percentage'))));
    });
  }
  return found;
}

/**
 * Whose requests a destination's fault fails with 503, said after the 503, so that the message
 * does not overstate it: a mirror's fails only the copies, and an idle destination's none yet.
 */
export function failureScope(d: Destination): string {
  if (d.mirror) return d.idle ? ' for the mirrored copies once it mirrors any (at 0% it mirrors none yet), which clients never see' : ' for the mirrored copies alone, which clients never see';
  return d.idle ? ' once this destination is given weight (at weight 0 it takes no traffic yet)' : '';
}

/**
 * Whether a mirror's percentage, as written, mirrors nothing: istiod builds no mirror for a
 * percentage of 0 or less, or one without value (MirrorPercent); without one, it mirrors all.
 */
function mirrorsNone(percentage: unknown): boolean {
  if (percentage === undefined) return false;
  const value = isObjectLike(percentage) ? own(percentage, 'value') : percentage;
  return !(typeof value === 'number' && value > 0);
}

function matchGateways(rule: unknown): readonly string[] | undefined {
  const matches = list(rule, 'match');
  // Most rules have no matches, or matches without gateways, and apply wherever the VirtualService is bound.
  if (matches.length === 0) return undefined;
  const scoped = matches.map(namedGateways);
  return scoped.every(g => g.length > 0) ? scoped.flat() : undefined;
}

/**
 * Where a destination's rule applies: the gateways its matches name, else those of its
 * VirtualService; each `mesh` or `ns/name`. A delegate's rule applies where the rules that delegate
 * to it do, merged as istiod merges them: the gateways its own matches name, else those of the
 * root rule's matches, else the root's; each named as in its own VirtualService's namespace.
 * Gateways a match names only narrow where its VirtualService applies (match-gateways.ts).
 */
export function ruleGateways(vs: ManifestObject, d: Destination): readonly string[] {
  return narrowed(resolved(d.gateways, vs), vs);
}

/** Where a rule applies: the gateways its matches name, when each names some, else where its VirtualService's rules apply; narrowed as {@link ruleGateways}. */
export function ruleScope(vs: ManifestObject, rule: unknown): readonly string[] {
  return narrowed(resolved(matchGateways(rule), vs), vs);
}

/** Where one match applies: the gateways it names, else where its VirtualService's rules apply; narrowed as {@link ruleGateways}. */
export function matchScope(vs: ManifestObject, match: unknown): readonly string[] {
  const named = namedGateways(match);
  return narrowed(named.length > 0 ? resolved(named, vs) : undefined, vs);
}

/**
 * The gateways where istiod applies a VirtualService's rules: those it is bound to, since it looks
 * VirtualServices up by `spec.gateways` alone; a delegate's, where the rules that delegate to it
 * apply; undefined for a delegate that no rule of the set delegates to.
 */
function applicableGateways(vs: ManifestObject): readonly string[] | undefined {
  const roots = vs.facts.delegatedBy;
  if (roots) return [...new Set(roots.flatMap(rootRuleGateways))];
  return isDelegate(vs) ? undefined : boundGateways(vs);
}

/** Where a rule that delegates applies: the gateways its matches name, else its VirtualService's; those it is not bound to left out. */
export function rootRuleGateways({ root, rule }: DelegatingRule): readonly string[] {
  return narrowed(resolved(matchGateways(rule), root), root);
}

/** The gateways `scoped` names among those where `vs` applies its rules, or all of those where it names none. */
function narrowed(scoped: readonly string[] | undefined, vs: ManifestObject): readonly string[] {
  const scope = applicableGateways(vs);
  if (!scoped) return scope ?? boundGateways(vs);
  return scope ? scoped.filter(gateway => scope.includes(gateway)) : scoped;
}

/** The gateways a match names, as written; an entry that is no name (which Istio refuses) is passed over. */
export function namedGateways(match: unknown): string[] {
  return list(match, 'gateways').filter(isName);
}

export function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function resolved(gateways: readonly string[] | undefined, vs: ManifestObject): readonly string[] | undefined {
  return gateways?.map(g => resolveGatewayRef(g, vs.namespace));
}

/** The gateways of {@link gatewayBindings}, which every destination of a rule without gateway matches applies at. */
export function boundGateways(vs: ManifestObject): readonly string[] {
  return vs.facts.boundGateways ??= gatewayBindings(vs).map(b => b.gateway);
}

/** The gateways a VirtualService is bound to; none written means the mesh alone. */
export function gatewayBindings(vs: ManifestObject): readonly GatewayBinding[] {
  return vs.facts.gatewayBindings ??= readGatewayBindings(vs);
}

function readGatewayBindings(vs: ManifestObject): GatewayBinding[] {
  const refs = list(vs.spec, 'gateways');
  // Stryker disable next-line StringLiteral: no finding names the implicit mesh binding; its routes are reported at their hosts
  if (refs.length === 0) return [{ gateway: MESH, path: 'spec.gateways' }];
  return refs.flatMap((ref, i) => typeof ref === 'string' && ref !== ''
    ? [{ gateway: resolveGatewayRef(ref, vs.namespace), path: `spec.gateways[${i}]` }]
    : []);
}

export function isBoundToMesh(vs: ManifestObject): boolean {
  return gatewayBindings(vs).some(b => b.gateway === MESH);
}

/** The hosts whose requests a VirtualService's rules take: those it claims, or a delegate's roots'. */
export function routedHosts(vs: ManifestObject): readonly ClaimedHost[] {
  return (delegatingRoots(vs) ?? [vs]).flatMap(claimedHosts);
}

/** The hosts a VirtualService claims, where it writes them. */
export function claimedHosts(vs: ManifestObject): readonly ClaimedHost[] {
  return vs.facts.claimedHosts ??= readClaimedHosts(vs);
}

function readClaimedHosts(vs: ManifestObject): ClaimedHost[] {
  return list(vs.spec, 'hosts').flatMap((host, i) => typeof host === 'string' && host !== ''
    ? [{ host: resolveHost(host, vs.namespace), path: `spec.hosts[${i}]` }]
    : []);
}
