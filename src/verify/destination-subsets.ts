import { exportField, exportFix, exportedTo, isVisibleIn, namespaces, seesAny, writtenExportTo } from './export-to';
import { Graph, ManifestObject, destinationRulesFor, hasWorkloadSelector, idList, ruleHost, rulesCovering, subsetsOfRule } from './graph';
import { isDeclaredElsewhere } from './hosts';
import { text } from './json';
import { Destination, failureScope } from './routes';
import { RulePick, RulePools, exportedAlsoTo, hostNamespace, isTakenFirst, rulePools, rulesTakenIn } from './rule-precedence';
import { Settings } from './settings';
import { Takers, where, who } from './takers';
import { Finding, finding } from './types';

/**
 * The subset a VirtualService destination names: some DestinationRule defines it, and the proxies
 * taking the route take one that does, as istiod chooses their rules (rule-precedence.ts).
 */

/** A destination, the VirtualService that routes to it, and the proxies that take the route. */
export interface Routed {
  readonly vs: ManifestObject;
  readonly d: Destination;
  readonly takenBy: readonly Takers[];
  readonly poolsOf: () => RulePools;
  /** Whether the checks of the host found nothing: where they did, the rules for it are beside the point. */
  readonly hostFound: boolean;
  /** Whether the host is a Service in ambient mode, whose mesh routes its waypoint applies, where it runs. */
  readonly waypointed: boolean;
}

export function checkSubset(graph: Graph, settings: Settings, routed: Routed, findings: Finding[]): void {
  const { vs, d, takenBy } = routed;
  const subset = text(d.destination, 'subset');
  if (!subset) return;
  const host = d.resolved;
  // Any rule that a proxy somewhere may take: which one each proxy takes is checkDefined's.
  const definers = rulesCovering(graph, host).filter(rule => definesSubset(rule, subset));
  if (definers.length > 0) {
    for (const t of takenBy) checkDefined(graph, settings, routed, { subset, definers }, t, findings);
    return;
  }
  const path = `${d.path}.subset`;
  const rules = destinationRulesFor(graph, host);
  if (rules.length === 0) {
    // An external host's DestinationRule lives wherever the host does.
    if (isDeclaredElsewhere(graph, settings, d.host, host)) return;
    findings.push(finding('subset-not-found', vs.id, path,
      `subset ${subset} is defined by no DestinationRule, because none has host ${host}, so Istio answers 503${failureScope(d)}; `
      + `add a DestinationRule for ${host} with subset ${subset}`));
    return;
  }
  findings.push(finding('subset-not-found', vs.id, path,
    `subset ${subset} is not among the subsets (${subsetNames(rules).join(', ') || 'none'}) of ${idList(rules)}, `
    + `so Istio answers 503${failureScope(d)}; add it there or route to one of those`));
}

/** A subset a destination names, and the DestinationRules of the set that define it. */
interface Defined {
  readonly subset: string;
  readonly definers: readonly ManifestObject[];
}

/** No namespace: where the set places no proxy that takes a route. */
// Stryker disable next-line ArrayDeclaration: the text Stryker puts in holds spaces, which no namespace does, so no proxy is placed there either way
const NOWHERE: readonly string[] = [];

/** The proxies of one namespace that take a route. */
interface Client {
  readonly namespace: string;
  readonly takers: Takers;
  /** The namespace of the host's Service or ServiceEntries; undefined where unknown. */
  readonly home: string | undefined;
}

/**
 * Each namespace of `takers` must take a rule that defines the subset. Where the set places the
 * proxies, the rule they take is worked out as istiod chooses it; elsewhere, any rule defining the
 * subset that the namespace sees will do, as Istio's analyzer reads it. Namespaces where exporting
 * some of those rules would do share a destination-rule-not-exported for them.
 */
function checkDefined(graph: Graph, settings: Settings, routed: Routed, defined: Defined, takers: Takers, findings: Finding[]): void {
  const placed = routed.hostFound ? placedNamespaces(settings, routed, takers) : NOWHERE;
  const home = hostNamespace(graph, routed.d.resolved);
  // Made on the first finding only: a destination whose subset every namespace takes, the common case, needs none.
  let toExport: Map<string, { readonly rules: readonly ManifestObject[]; readonly clients: string[] }> | undefined;
  for (const namespace of takers.namespaces) {
    const verdict = placed.includes(namespace)
      ? checkTaken(graph, settings, routed, defined, { namespace, takers, home }, findings)
      : unseenRules(settings, defined, namespace);
    if (verdict === undefined) continue;
    // Stryker disable next-line StringLiteral: the space only keeps the ids apart, and no two lists of ids run together into the same text
    const key = verdict.map(rule => rule.id).join(' ');
    toExport ??= new Map();
    const group = toExport.get(key);
    if (group) group.clients.push(namespace);
    else toExport.set(key, { rules: verdict, clients: [namespace] });
  }
  toExport?.forEach(({ rules, clients }) => findings.push(ruleNotExported(settings, routed.vs, routed.d, defined.subset, rules, takers, clients)));
}

/** The rules defining the subset, where `namespace` sees none of them; undefined where it sees one. */
function unseenRules(settings: Settings, defined: Defined, namespace: string): readonly ManifestObject[] | undefined {
  return seesAny(settings, defined.definers, namespace) ? undefined : defined.definers;
}

/** The rules that `namespace` does not see. */
function hiddenIn(settings: Settings, rules: readonly ManifestObject[], namespace: string): readonly ManifestObject[] {
  return rules.filter(rule => !isVisibleIn(exportedTo(rule, settings), namespace));
}

/**
 * Whether the proxies of `client` take a rule defining the subset. Where they do not, the rules
 * whose export would let them take one, or else a finding that says why they take none that does.
 */
function checkTaken(graph: Graph, settings: Settings, routed: Routed, defined: Defined, client: Client, findings: Finding[]): readonly ManifestObject[] | undefined {
  const host = routed.d.resolved;
  // Stryker disable next-line ConditionalExpression,MethodExpression,ArrowFunction: a shortcut for the common case; rulesTakenIn finds the same
  if (defined.definers.some(rule => isTakenFirst(rule, client.namespace, host, settings))) return undefined;
  const pick = rulesTakenIn(routed.poolsOf(), client.namespace, host, client.home);
  // Where the set cannot tell which rule is taken, or which pods a workloadSelector picks, as where it does not place the proxies.
  if (!pick || pick.rules.some(hasWorkloadSelector)) return unseenRules(settings, defined, client.namespace);
  if (pick.rules.some(rule => definesSubset(rule, defined.subset))) return undefined;
  const exportable = takenOnceExported(graph, settings, routed, client, hiddenIn(settings, defined.definers, client.namespace), NO_RULES);
  if (exportable.length > 0) return exportable;
  findings.push(pick.namespace === undefined ? noRuleTaken(settings, routed, defined, client, pick) : ruleShadowed(graph, settings, routed, defined, client, pick));
  return undefined;
}

/**
 * Whether the proxies would take a rule that defines the subset, once a fix is made, or the set
 * cannot tell. A rule with a workloadSelector that lacks it will not do: the pods it picks take it,
 * and the others get no rule from that namespace at all.
 */
function takesDefiner(pick: RulePick | undefined, defined: Defined): boolean {
  return !pick || pick.rules.some(rule => definesSubset(rule, defined.subset));
}

/** A fix a message offers: rules exported to the proxies' namespace, and rules whose host no longer covers the destination's. */
interface Fix {
  readonly exported: readonly ManifestObject[];
  readonly dropped: readonly ManifestObject[];
}

const NO_RULES: readonly ManifestObject[] = [];

/**
 * The rules among `hidden`, which define the subset, that the proxies of `client` would take once
 * exported to them, and once `dropped` no longer cover the destination's host.
 */
function takenOnceExported(graph: Graph, settings: Settings, routed: Routed, client: Client, hidden: readonly ManifestObject[],
  dropped: readonly ManifestObject[]): readonly ManifestObject[] {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut; with nothing to export, no rule among them is taken
  if (hidden.length === 0) return NO_RULES;
  const pick = pickOnceFixed(graph, settings, routed, client, { exported: hidden, dropped });
  // A copy made by the fix stands for the rule at the same place in the input.
  return hidden.filter(rule => pick?.rules.some(taken => taken.entry === rule.entry));
}

/** The rules the proxies of `client` would take once `fix` is made, so that a message offers only fixes that work. */
function pickOnceFixed(graph: Graph, settings: Settings, routed: Routed, client: Client, fix: Fix): RulePick | undefined {
  // As exportFix advises: a rule without workloadSelector where every rule to export has one, else the exportTo of those without.
  const selecting = fix.exported.every(hasWorkloadSelector);
  const fixed = fix.exported.filter(rule => selecting || !hasWorkloadSelector(rule));
  // Only the rules whose host covers the destination's can be taken for it, and the set may hold thousands.
  const rules = rulesCovering(graph, routed.d.resolved).filter(rule => !fix.dropped.includes(rule))
    .map(rule => (fixed.includes(rule) ? exportedAlsoTo(rule, client.namespace) : rule));
  return rulesTakenIn(rulePools(rules, settings), client.namespace, routed.d.resolved, client.home);
}

/** Why proxies in `client` take no rule for the host, and what would give them one defining the subset. */
function noRuleTaken(settings: Settings, routed: Routed, defined: Defined, client: Client, pick: RulePick): Finding {
  // A definer among them is one the proxies' namespace sees but is not given, which rootRuleNotTaken explains. Rules
  // of the host's namespace hide a rule moved there too.
  const hiding = pick.hiding.filter(rule => !defined.definers.includes(rule)
    && (rule.namespace === client.home || defined.definers.some(definer => definer.namespace === rule.namespace)));
  if (hiding.length > 0) return ruleHidden(settings, routed, defined, client, hiding);
  // Elsewhere, a rule of the proxies' own namespace that they see comes first, and one they do not is destination-rule-not-exported's.
  const inRoot = defined.definers.filter(rule => rule.namespace === client.namespace);
  if (inRoot.length > 0) return rootRuleNotTaken(settings, routed, defined, client, inRoot);
  return ruleNotConsulted(settings, routed, defined, client);
}

/**
 * The namespaces of `takers` where the set places the proxies. Which rule a proxy takes depends on
 * where it runs, so namespaces that stand for proxies elsewhere are left out: the VirtualService's,
 * for gateway pods the set does not show, and for the waypoint of a Service in ambient mode, which
 * applies its mesh routes from wherever it runs; the root namespace, for the sidecars of every
 * namespace that a VirtualService exported everywhere from there applies to, since its own proxies
 * look rules up as no other namespace's do.
 */
function placedNamespaces(settings: Settings, routed: Routed, takers: Takers): readonly string[] {
  if (!takers.placed) return NOWHERE;
  if (takers.gateway !== undefined) return takers.namespaces;
  if (routed.waypointed) return NOWHERE;
  const everywhere = exportedTo(routed.vs, settings) === '*';
  return takers.namespaces.filter(client => !(everywhere && client === settings.rootNamespace));
}

/** Where proxies take another rule for the host, which does not define the subset. */
function ruleShadowed(graph: Graph, settings: Settings, routed: Routed, defined: Defined, client: Client, pick: RulePick): Finding {
  const { vs, d } = routed;
  const taken = idList(pick.rules);
  const takenHost = ruleHost(pick.rules[0]);
  const names = subsetNames(pick.rules);
  const narrower = takenHost === d.resolved ? undefined : narrowerHostFix(graph, settings, routed, defined, client, pick);
  return finding('destination-rule-shadowed', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${idList(defined.definers)}, but in ${namespaces([client.namespace])}, ${where(settings, vs, client.takers)}, `
    + `Istio takes ${taken} (host ${takenHost}) for ${d.resolved} instead, ${names.length > 0 ? `whose subsets (${names.join(', ')}) do not include it` : 'which defines no subsets'}: `
    + `a proxy takes the DestinationRules of its own namespace first (in ${settings.rootNamespace}, those that namespace keeps to itself), `
    + `then those the host's namespace exports to it, then those ${settings.rootNamespace} exports, `
    + `and of those the most specific host; ${who(client.takers)} know the subset, so requests fail with 503${failureScope(d)}; `
    + `define subset ${defined.subset} in ${taken} too, ${narrower ?? 'or route without the subset'}`);
}

/**
 * A host for the rule taken that no longer covers the destination's, where the proxies would then
 * take a rule defining the subset, exported to them if need be; undefined where they would not.
 */
function narrowerHostFix(graph: Graph, settings: Settings, routed: Routed, defined: Defined, client: Client, pick: RulePick): string | undefined {
  const narrower = `or give that rule a host that does not cover ${routed.d.resolved}`;
  if (takesDefiner(pickOnceFixed(graph, settings, routed, client, { exported: NO_RULES, dropped: pick.rules }), defined)) return narrower;
  // A rule with a workloadSelector is not exported whatever its exportTo: exportFix words that fix.
  const hidden = hiddenIn(settings, defined.definers, client.namespace).filter(rule => !hasWorkloadSelector(rule));
  const exported = takenOnceExported(graph, settings, routed, client, hidden, pick.rules);
  return exported.length > 0 ? `${narrower}, then export ${idList(exported)} to ${client.namespace}` : undefined;
}

/**
 * Where the rules of a more specific host, which the proxies' namespace is not given, hide the rules
 * of the namespace where the subset is defined, or where it would be: istiod picks the most specific
 * host of a namespace before it reads the exportTo of its rules.
 */
function ruleHidden(settings: Settings, routed: Routed, defined: Defined, client: Client, hiding: readonly ManifestObject[]): Finding {
  const { vs, d } = routed;
  const ids = idList(hiding);
  return finding('destination-rule-shadowed', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${idList(defined.definers)}, but in ${namespaces([client.namespace])}, ${where(settings, vs, client.takers)}, `
    + `Istio takes no DestinationRule for ${d.resolved}: ${hiding.map(r => `${r.id} (host ${ruleHost(r)})`).join(', ')}, of a more specific host in the same namespace, `
    + `${hiding.length === 1 ? 'is' : 'are'} not exported to ${client.namespace}, and istiod reads a rule's exportTo only once it has picked the most specific host of a namespace, `
    + `so the rules of less specific hosts there are never looked at; ${who(client.takers)} know the subset, so requests fail with 503${failureScope(d)}; `
    + `export ${ids} to ${client.namespace} and define subset ${defined.subset} there too, or route without the subset`);
}

/**
 * Where the root namespace's own proxies take none of its rules that define the subset: they look
 * first at the rules it keeps to itself, and after the host's namespace, at those it exports to
 * every namespace or to its own by name; `.` beside other namespaces is neither.
 */
function rootRuleNotTaken(settings: Settings, routed: Routed, defined: Defined, client: Client, inRoot: readonly ManifestObject[]): Finding {
  const { vs, d } = routed;
  const root = client.namespace;
  return finding('destination-rule-not-consulted', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${idList(defined.definers)}, which proxies in ${namespaces([root])}, ${where(settings, vs, client.takers)}, `
    + `never take: there, a proxy takes first the DestinationRules ${root} keeps to itself (exportTo ["."] alone), then those the host's namespace exports to it, `
    + `then those ${root} exports to "*" or to ${root} by name, and "." beside other namespaces is neither; ${who(client.takers)} know the subset, `
    + `so requests fail with 503${failureScope(d)}; give ${idList(inRoot)} exportTo ["."], or add ${root} to its exportTo by name`);
}

/**
 * Where no namespace that proxies consult has a rule for the host they take: the definers are
 * elsewhere, or have a workloadSelector, which istiod gives to no other namespace.
 */
function ruleNotConsulted(settings: Settings, routed: Routed, defined: Defined, client: Client): Finding {
  const { vs, d } = routed;
  const { home, namespace } = client;
  const selecting = defined.definers.some(hasWorkloadSelector);
  // The rule keeps its exportTo where it moves, and a new one gets the mesh's default.
  const seen = selecting ? isPublicByDefault(settings) || namespace === home : defined.definers.some(rule => isSeenOnceMoved(settings, rule, client));
  const exportToo = seen ? '' : `, exported to ${namespace}`;
  return finding('destination-rule-not-consulted', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${idList(defined.definers)}, which proxies in ${namespaces([namespace])}, `
    + `${where(settings, vs, client.takers)}, never take: a proxy takes DestinationRules only from its own namespace, from the host's (${home}) `
    + `and from ${settings.rootNamespace}${selecting ? ', and one with a workloadSelector only in its own namespace' : ''}; `
    + `${who(client.takers)} know the subset, so requests fail with 503${failureScope(d)}; `
    + (selecting ? `define the subset in a rule without workloadSelector in namespace ${home}${exportToo}` : `move the rule to namespace ${home}${exportToo}`));
}

/** Whether a DestinationRule without exportTo is exported everywhere. */
function isPublicByDefault(settings: Settings): boolean {
  return !settings.defaultDestinationRuleExportTo.includes('.');
}

/** Whether proxies in `client` would be given `rule`, moved to the host's namespace with its exportTo as written. */
function isSeenOnceMoved(settings: Settings, rule: ManifestObject, client: Client): boolean {
  const exportTo = writtenExportTo(rule);
  if (exportTo.length === 0) return isPublicByDefault(settings) || client.namespace === client.home;
  return exportTo.includes('*') || exportTo.includes(client.namespace) || (exportTo.includes('.') && client.namespace === client.home);
}

/** The names of the rules' subsets, those without one left out. */
function subsetNames(rules: readonly ManifestObject[]): string[] {
  return rules.flatMap(rule => subsetsOfRule(rule).flatMap(s => s.name ?? []));
}

function definesSubset(rule: ManifestObject, subset: string): boolean {
  return subsetsOfRule(rule).some(s => s.name === subset);
}

/**
 * A proxy knows the subsets of the DestinationRules its namespace sees, so where it sees none that
 * defines the subset, the route's cluster is unknown and requests fail with 503.
 */
function ruleNotExported(settings: Settings, vs: ManifestObject, d: Destination, subset: string, definers: readonly ManifestObject[], takers: Takers,
  hidden: readonly string[]): Finding {
  return finding('destination-rule-not-exported', vs.id, `${d.path}.subset`,
    `subset ${subset} is defined by ${idList(definers)}, not exported to ${namespaces(hidden)}, ${where(settings, vs, takers)}: `
    + `${definers.map(r => exportField(r, settings)).join(', ')}; ${who(takers)} know the subset, so requests fail with 503${failureScope(d)}; `
    + `${exportFix(definers, 'the DestinationRule', hidden)}, or route without the subset`);
}
