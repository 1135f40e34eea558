/**
 * Delegation: an http rule of a VirtualService with hosts, the root, hands its requests to the
 * http rules of a VirtualService without hosts, the delegate, each merged under the root rule's
 * match (istio/istio pilot/pkg/model virtualservice_controller.go `mergeVirtualServices`,
 * virtualservice.go `mergeHTTPRoute`). istiod drops a root rule whose delegate has hosts or is not
 * exported to the root's namespace, and a delegate rule with a match that leaves every match of
 * the root rule, logging a warning no one reads: the requests meant for them fall through to later
 * rules, or 404. It drops one whose delegate does not exist too, so a delegate that is neither in
 * the set nor declared external (`externalDelegates`) is reported. Istio's webhook refuses a
 * delegate with what only a root may have. Istio has no analyzer for any of it.
 */

import { exportField, exportFix, exportedTo, isVisibleIn } from './export-to';
import { Graph, ManifestObject, delegateId, isDelegate, isDelegating } from './graph';
import { resolveGatewayRef } from './hosts';
import { Json, isObjectLike, list, own, record, show, text } from './json';
import { Settings } from './settings';
import { Finding, finding } from './types';

export function checkDelegates(graph: Graph, settings: Settings): Finding[] {
  return [
    ...graph.virtualServices.filter(isDelegate).flatMap(refusedDelegate),
    ...graph.virtualServices.flatMap(rootRules).flatMap(root => checkRootRule(graph, root, settings)),
  ];
}

/** An http rule of a root that delegates. */
interface RootRule {
  readonly vs: ManifestObject;
  readonly index: number;
  readonly rule: unknown;
}

function rootRules(vs: ManifestObject): RootRule[] {
  if (isDelegate(vs)) return [];
  return list(vs.spec, 'http').flatMap((rule, index) => (isDelegating(rule) ? [{ vs, index, rule }] : []));
}

const DELEGATE = 'a VirtualService without hosts is a delegate, and Istio\'s webhook refuses a delegate';

/** Istio's validation of a VirtualService without hosts (`ValidateVirtualService`, `validateHTTPRouteConflict`). */
function refusedDelegate(vs: ManifestObject): Finding[] {
  return [
    ...['gateways', 'tcp', 'tls'].filter(key => list(vs.spec, key).length > 0).map(key => finding('delegate-not-valid', vs.id, `spec.${key}`,
      `${DELEGATE} with ${key}: ${DELEGATE_FIX[key]}`)),
    ...list(vs.spec, 'http').flatMap((rule, i) => (isDelegating(rule)
      ? [finding('delegate-not-valid', vs.id, `spec.http[${i}].delegate`,
        `${DELEGATE} rule that delegates again: istiod follows one level of delegation only; give this rule a route, or move the delegation to the root`)]
      : [])),
  ];
}

const DELEGATE_FIX: Readonly<Record<string, string>> = {
  gateways: 'a delegate\'s rules apply where its root\'s do; remove gateways, and bind the root instead',
  tcp: 'only http rules can be delegated; move the tcp rules to a VirtualService with hosts',
  tls: 'only http rules can be delegated; move the tls rules to a VirtualService with hosts',
};

function checkRootRule(graph: Graph, root: RootRule, settings: Settings): Finding[] {
  const path = `spec.http[${root.index}]`;
  const refused = ['route', 'redirect'].filter(key => hasField(root.rule, key)).map(key => finding('delegate-not-valid', root.vs.id, `${path}.${key}`,
    `a rule that delegates and has a ${key} too is refused by Istio's webhook: the delegate's rules say where its requests go; remove ${key}, or the delegate`));
  const id = delegateId(root.vs, root.rule);
  // Roots are few, and most sets have none: a scan costs less than an index built for every set.
  const target = graph.virtualServices.find(vs => vs.id === id);
  if (!target) return [...refused, ...notFound(root, settings)];
  if (!isDelegate(target)) {
    return [...refused, finding('delegate-has-hosts', root.vs.id, `${path}.delegate`,
      `the delegate ${target.id} has hosts, so istiod takes it for a VirtualService of its own rather than a delegate and drops this rule; `
      + `remove the hosts of ${target.id}, or delegate to a VirtualService without hosts`)];
  }
  if (!isVisibleIn(exportedTo(target, settings), root.vs.namespace)) {
    return [...refused, finding('delegate-not-exported', root.vs.id, `${path}.delegate`,
      `the delegate is not exported to namespace ${root.vs.namespace}, where this VirtualService is (${exportField(target, settings)}), `
      + `so istiod drops this rule; ${exportFix([target], target.id, [root.vs.namespace])}`)];
  }
  return [...refused, ...conflictingMatches(root, target)];
}

/** A delegate neither in the set nor declared external: istiod finds none and drops the rule. */
function notFound(root: RootRule, settings: Settings): Finding[] {
  const reference = own(root.rule, 'delegate');
  const name = text(reference, 'name');
  // Istio's webhook refuses a delegate without name, and the CRD schema reports the malformed field.
  if (name === undefined) return [];
  const written = text(reference, 'namespace');
  const ref = `${written ?? root.vs.namespace}/${name}`;
  if (settings.externalDelegates.has(ref)) return [];
  return [finding('delegate-not-found', root.vs.id, `spec.http[${root.index}].delegate`,
    `the delegate VirtualService ${ref} is not in the set, so istiod finds no delegate and drops this rule: the requests it matches go to later rules, or get 404; `
    + `add VirtualService ${ref}${written === undefined ? ' (a delegate without namespace is looked for in this VirtualService\'s)' : ''}, `
    + `or, when it is applied from elsewhere, declare it: --external-delegate ${ref} on the command line, RouteCheck.of(chart).addExternalDelegate('${ref}') in a chart`)];
}

/** A route or redirect given, as Go's protobuf would have it: a list only when it has entries. */
function hasField(rule: unknown, key: string): boolean {
  const value = own(rule, key);
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

/**
 * `mergeHTTPMatchRequests`: each match of a delegate rule must lie within one match of the root
 * rule at least; when one does not, istiod drops the whole delegate rule for this root.
 */
function conflictingMatches(root: RootRule, target: ManifestObject): Finding[] {
  const rootMatches = list(root.rule, 'match').filter(isObjectLike);
  if (rootMatches.length === 0) return [];
  return list(target.spec, 'http').flatMap((rule, k) => list(rule, 'match').flatMap((match, j) => {
    if (!isObjectLike(match)) return [];
    const reasons = rootMatches.map(rootMatch => conflict({ match: rootMatch, namespace: root.vs.namespace }, { match, namespace: target.namespace }));
    if (reasons.some(reason => reason === undefined)) return [];
    const against = reasons.length === 1 ? reasons[0] : reasons.map((reason, m) => `match[${m}]: ${reason}`).join('; ');
    return [finding('delegate-match-conflict', target.id, `spec.http[${k}].match[${j}]`,
      `this match leaves every match of rule spec.http[${root.index}] of ${root.vs.id}, which delegates here (${against}), `
      + `so istiod drops rule spec.http[${k}] from that root's routes; narrow this match to lie within the root's, or widen the root's match`)];
  }));
}

const STRING_FIELDS = ['uri', 'scheme', 'method', 'authority'];
const MAP_FIELDS = ['headers', 'withoutHeaders', 'queryParams'];

/** A match and the namespace of its VirtualService, where istiod resolves the gateways it names. */
interface PlacedMatch {
  readonly match: Json;
  readonly namespace: string;
}

/** Istio's `hasConflict`: why `leaf` does not lie within `root`, or undefined when it does. */
function conflict(rootMatch: PlacedMatch, leafMatch: PlacedMatch): string | undefined {
  const [root, leaf] = [rootMatch.match, leafMatch.match];
  return STRING_FIELDS.map(key => stringConflict(key, own(root, key), own(leaf, key))).find(Boolean)
    ?? MAP_FIELDS.map(key => mapConflict(key, record(root, key), record(leaf, key))).find(Boolean)
    ?? flagConflict(root, leaf)
    ?? portConflict(root, leaf)
    ?? sourceConflict(root, leaf)
    ?? gatewayConflict(resolvedGateways(rootMatch), resolvedGateways(leafMatch));
}

/** The gateways a match names, as istiod compares them: resolved in its VirtualService's namespace (`ResolveVirtualServiceShortnames`). */
function resolvedGateways({ match, namespace }: PlacedMatch): string[] {
  return list(match, 'gateways').map(gateway => (typeof gateway === 'string' ? resolveGatewayRef(gateway, namespace) : show(gateway)));
}

function mapConflict(key: string, root: Json, leaf: Json): string | undefined {
  return Object.keys(leaf).map(name => stringConflict(`${key}[${JSON.stringify(name)}]`, own(root, name), own(leaf, name))).find(Boolean);
}

function stringConflict(field: string, root: unknown, leaf: unknown): string | undefined {
  if (!isObjectLike(root) || !isObjectLike(leaf) || !isStringConflict(root, leaf)) return undefined;
  return `${field} ${show(leaf)} does not lie within the root's ${show(root)}`;
}

/**
 * Istio's `stringMatchConflict`: an exact value must be repeated, a prefix or exact value must start
 * with the root's prefix, and anything else conflicts, so a regex on either side conflicts, as
 * Istio's own cases for regexes conclude.
 */
function isStringConflict(root: Json, leaf: Json): boolean {
  const [exact, prefix] = ['exact', 'prefix'].map(key => text(root, key));
  const [leafExact, leafPrefix] = ['exact', 'prefix'].map(key => text(leaf, key));
  if (exact) return leafExact !== exact;
  if (prefix && leafPrefix) return !leafPrefix.startsWith(prefix);
  if (prefix && leafExact) return !leafExact.startsWith(prefix);
  return true;
}

function flagConflict(root: Json, leaf: Json): string | undefined {
  const [rootFlag, leafFlag] = [root, leaf].map(match => own(match, 'ignoreUriCase') === true);
  return rootFlag === leafFlag ? undefined : `ignoreUriCase is ${leafFlag} here and ${rootFlag} in the root`;
}

function portConflict(root: Json, leaf: Json): string | undefined {
  const [rootPort, leafPort] = [root, leaf].map(match => own(match, 'port'));
  return isPort(rootPort) && isPort(leafPort) && rootPort !== leafPort ? `port ${leafPort} is not the root's port ${rootPort}` : undefined;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && value > 0;
}

function sourceConflict(root: Json, leaf: Json): string | undefined {
  const rootNamespace = text(root, 'sourceNamespace');
  const leafNamespace = text(leaf, 'sourceNamespace');
  if (rootNamespace && leafNamespace !== rootNamespace) {
    return `sourceNamespace ${leafNamespace ?? '(none)'} is not the root's sourceNamespace ${rootNamespace}`;
  }
  const rootLabels = record(root, 'sourceLabels');
  return Object.entries(record(leaf, 'sourceLabels')).map(([key, value]) => {
    const rootValue = own(rootLabels, key);
    return rootValue !== undefined && rootValue !== value ? `sourceLabels ${key}=${show(value)} is not the root's ${key}=${show(rootValue)}` : undefined;
  }).find(Boolean);
}

function gatewayConflict(rootGateways: readonly string[], leafGateways: readonly string[]): string | undefined {
  if (rootGateways.length === 0) return undefined;
  const within = leafGateways.length <= rootGateways.length && leafGateways.every(gateway => rootGateways.includes(gateway));
  return within ? undefined : `gateways ${show(leafGateways)} are not all among the root's ${show(rootGateways)}`;
}
