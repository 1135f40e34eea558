import { hostCovers } from '../names';
import { declarationsFor, exportField, exportFix, exportedTo, isVisibleIn, namespaces, routingNamespaces } from './export-to';
import { ProxiesOf } from './gateway-workloads';
import { Graph, ManifestObject, destinationRulesFor, hasWorkloadSelector, ruleHost, rulesCovering, subsetsOfRule } from './graph';
import { MESH, intendedFqdn, serviceFqdn } from './hosts';
import { text } from './json';
import { Destination, destinations, ruleGateways } from './routes';
import { RulePick, RulePools, exportedAlsoTo, hostNamespace, isTakenFirst, rulePools, rulesTakenIn } from './rule-precedence';
import { Settings } from './settings';
import { Finding, finding } from './types';
import { AmbientMesh } from './waypoints';

/** Checks that each VirtualService destination names a host and subset that exist, and that the proxies taking its routes see both. */
export function checkDestinations(graph: Graph, settings: Settings, proxiesOf: ProxiesOf): Finding[] {
  const findings: Finding[] = [];
  // Indexed only for a subset whose rules are not simply those of the routes' own namespace.
  let pools: RulePools | undefined;
  const poolsOf = () => pools ??= rulePools(graph.destinationRules, settings);
  const ambient = new AmbientMesh(graph);
  const anyAmbient = ambient.hasAmbient();
  for (const vs of graph.virtualServices) {
    // Most rules apply where their VirtualService is bound, so their destinations share its takers.
    let bound: readonly Takers[] | undefined;
    for (const d of destinations(vs)) {
      // Stryker disable next-line ConditionalExpression: working the takers out anew for every destination gives the same ones
      const takenBy = d.gateways ? takers(settings, proxiesOf, vs, ruleGateways(vs, d)) : bound ??= takers(settings, proxiesOf, vs, ruleGateways(vs, d));
      const before = findings.length;
      checkHost(graph, settings, vs, d, takenBy, findings);
      const service = anyAmbient ? graph.serviceByHost.get(d.resolved) : undefined;
      const waypointed = service !== undefined && ambient.ambientReason(service) !== undefined;
      checkSubset(graph, settings, { vs, d, takenBy, poolsOf, hostFound: findings.length === before, waypointed }, findings);
    }
  }
  return findings;
}

/** Proxies that take a destination's routes, in namespaces each of which must see its host and the rules defining its subset. */
interface Takers {
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
function takers(settings: Settings, proxiesOf: ProxiesOf, vs: ManifestObject, applies: readonly string[]): Takers[] {
  const gateways = applies.filter(gateway => proxiesOf(gateway).length > 0);
  const sidecars = gateways.length < applies.length ? [{ namespaces: routingNamespaces(vs, settings), placed: applies.includes(MESH) }] : [];
  // The common case, in the route check at synth too: no gateway whose pods the set shows.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: an early return that only saves time; the rest gives the same
  if (gateways.length === 0) return sidecars;
  const seen = exportedTo(vs, settings);
  return [...sidecars, ...[...new Set(gateways)].map(gateway => ({ gateway, namespaces: proxiesOf(gateway).filter(namespace => isVisibleIn(seen, namespace)), placed: true }))];
}

/** Whether a host is served from outside the Kubernetes Services of the set, whichever namespaces see it. */
export function isDeclaredElsewhere(graph: Graph, settings: Settings, host: string, resolved: string): boolean {
  return isExternalHost(settings, host, resolved) || graph.serviceEntryHosts.some(entry => hostCovers(entry.host, resolved));
}

/** Whether a host, as written or resolved, is one the options declare outside the set. */
export function isExternalHost(settings: Settings, host: string, resolved: string): boolean {
  return settings.externalHosts.some(pattern => hostCovers(pattern, host) || hostCovers(pattern, resolved));
}

/**
 * A finding for a host written as `name.ns` when `name.ns.svc.cluster.local` is a Service of the
 * set: the commonest way to miss a Service that exists.
 */
export function partiallyQualified(graph: Graph, object: ManifestObject, path: string, host: string): Finding[] {
  const intended = intendedFqdn(host);
  if (!intended || !graph.serviceByHost.has(intended)) return [];
  return [finding('host-partially-qualified', object.id, path,
    `host ${host} is taken literally, because Istio expands only dot-free short names, so it matches no service; `
    + `write the FQDN ${intended}`)];
}

function checkHost(graph: Graph, settings: Settings, vs: ManifestObject, d: Destination, takenBy: readonly Takers[], findings: Finding[]): void {
  const resolved = d.resolved;
  // A host served from outside the set is exported as it is there, which the set does not show.
  if (isExternalHost(settings, d.host, resolved)) return;
  const declarations = declarationsFor(graph, settings, resolved, takenBy);
  if (declarations.length > 0) {
    for (const t of takenBy) {
      const hidden = hiddenFrom(settings, t, declarations);
      if (hidden.length > 0) findings.push(notExported(settings, vs, d, declarations, t, hidden));
    }
    return;
  }
  const path = `${d.path}.host`;
  const partial = partiallyQualified(graph, vs, path, d.host);
  if (partial.length > 0) {
    findings.push(...partial);
    return;
  }
  findings.push(finding('destination-host-not-found', vs.id, path,
    `host ${d.host} resolves to ${resolved}, which is neither a Service in the set nor a ServiceEntry or external host${hiddenWildcards(graph, resolved)}, `
    + `so Istio answers 503; point it at an existing service${namesakeHint(graph, d.host)} or declare the host with a ServiceEntry`));
}

/**
 * A sidecar takes the VirtualServices exported to its namespace, but knows only the hosts exported
 * there too, and answers 503 for the rest.
 */
function notExported(settings: Settings, vs: ManifestObject, d: Destination, declarations: readonly ManifestObject[], takers: Takers,
  hidden: readonly string[]): Finding {
  return finding('destination-host-not-exported', vs.id, `${d.path}.host`,
    `host ${d.host} is not exported to ${namespaces(hidden)}, ${where(settings, vs, takers)}: ${declarations.map(o => exportField(o, settings)).join(', ')}; `
    + `${who(takers)} know the host, so requests fail with 503; `
    + `${exportFix(declarations, 'the host', hidden)}, or route to a host exported there`);
}

/** The namespaces of `takers` that see none of `objects`. */
function hiddenFrom(settings: Settings, takers: Takers, objects: readonly ManifestObject[]): readonly string[] {
  const seen: ReadonlySet<string>[] = [];
  for (const o of objects) {
    const visibility = exportedTo(o, settings);
    // An object every namespace sees, as most are, hides it from none.
    if (visibility === '*') return NOWHERE;
    seen.push(visibility);
  }
  return takers.namespaces.filter(namespace => !seen.some(s => s.has(namespace)));
}

const NOWHERE: readonly string[] = [];

/** Why routes apply in the namespaces of `takers`. */
function where(settings: Settings, vs: ManifestObject, takers: Takers): string {
  if (takers.gateway !== undefined) return `where the pods of gateway ${takers.gateway} run`;
  return exportedTo(vs, settings) === '*' ? 'this VirtualService\'s own' : 'which this VirtualService is exported to';
}

function who(takers: Takers): string {
  return takers.gateway !== undefined ? 'the gateway takes these routes but does not' : 'sidecars there take these routes but do not';
}

/** Wildcard ServiceEntries that would declare an unknown host, were they exported where the routes apply. */
function hiddenWildcards(graph: Graph, host: string): string {
  const entries = [...new Set(graph.serviceEntryHosts.filter(e => hostCovers(e.host, host)).map(e => e.entry.id))];
  return entries.length > 0 ? ` (covered by ${entries.join(', ')}, not exported to where these routes apply)` : '';
}

/** Short names resolve in the VirtualService's namespace; a namesake elsewhere is likely what was meant. */
function namesakeHint(graph: Graph, host: string): string {
  const namesakes = graph.services.filter(s => s.name === host).map(s => serviceFqdn(s.name, s.namespace));
  return namesakes.length > 0 ? ` (did you mean ${namesakes.join(' or ')}?)` : '';
}

/** A destination, the VirtualService that routes to it, and the proxies that take the route. */
interface Routed {
  readonly vs: ManifestObject;
  readonly d: Destination;
  readonly takenBy: readonly Takers[];
  readonly poolsOf: () => RulePools;
  /** Whether the checks of the host found nothing: where they did, the rules for it are beside the point. */
  readonly hostFound: boolean;
  /** Whether the host is a Service in ambient mode, whose mesh routes its waypoint applies, where it runs. */
  readonly waypointed: boolean;
}

function checkSubset(graph: Graph, settings: Settings, routed: Routed, findings: Finding[]): void {
  const { vs, d, takenBy } = routed;
  const subset = text(d.destination, 'subset');
  if (!subset) return;
  const host = d.resolved;
  // Any rule that a proxy somewhere may take: which one each proxy takes is reportNotTaken's.
  const definers = rulesCovering(graph, host).filter(rule => definesSubset(rule, subset));
  if (definers.length > 0) {
    const defined = { subset, definers };
    for (const t of takenBy) {
      const unseen = hiddenFrom(settings, t, definers);
      const hidden = exportable(graph, settings, routed, defined, t, unseen);
      if (hidden.length > 0) findings.push(ruleNotExported(settings, vs, d, subset, definers, t, hidden));
      reportNotTaken(graph, settings, routed, defined, { takers: t, hidden, unseen }, findings);
    }
    return;
  }
  const path = `${d.path}.subset`;
  const rules = destinationRulesFor(graph, host);
  if (rules.length === 0) {
    // An external host's DestinationRule lives wherever the host does.
    if (isDeclaredElsewhere(graph, settings, d.host, host)) return;
    findings.push(finding('subset-not-found', vs.id, path,
      `subset ${subset} is defined by no DestinationRule, because none has host ${host}, so Istio answers 503; `
      + `add a DestinationRule for ${host} with subset ${subset}`));
    return;
  }
  findings.push(finding('subset-not-found', vs.id, path,
    `subset ${subset} is not among the subsets (${subsetNames(rules).join(', ') || 'none'}) of ${rules.map(r => r.id).join(', ')}, `
    + `so Istio answers 503; add it there or route to one of those`));
}

/** A subset a destination names, and the DestinationRules of the set that define it. */
interface Defined {
  readonly subset: string;
  readonly definers: readonly ManifestObject[];
}

/** Proxies that take a route, and the namespaces among theirs that see none of the rules defining its subset. */
interface Seeing {
  readonly takers: Takers;
  /** Those where exporting the rules would do, which destination-rule-not-exported names. */
  readonly hidden: readonly string[];
  /** All of them. */
  readonly unseen: readonly string[];
}

/**
 * The namespaces among `hidden` where exporting the rules that define the subset would let proxies
 * take one. Where they would still take another rule first, or none from the definers' namespace,
 * the fix lies elsewhere, and reportNotTaken says where.
 */
function exportable(graph: Graph, settings: Settings, routed: Routed, defined: Defined, takers: Takers, hidden: readonly string[]): readonly string[] {
  if (hidden.length === 0 || !routed.hostFound) return hidden;
  const placed = placedNamespaces(settings, routed, takers);
  const home = hostNamespace(graph, routed.d.resolved);
  return hidden.filter(client => !placed.includes(client) || isTakenOnceExported(graph, settings, routed, defined, client, home));
}

/** Whether proxies in `client` would take a rule defining the subset, were its definers exported there as destination-rule-not-exported advises. */
function isTakenOnceExported(graph: Graph, settings: Settings, routed: Routed, defined: Defined, client: string, home: string | undefined): boolean {
  // As exportFix advises: a rule without workloadSelector where every definer has one, else the exportTo of those without.
  const selecting = defined.definers.every(hasWorkloadSelector);
  const fixed = defined.definers.filter(rule => selecting || !hasWorkloadSelector(rule));
  // Only the rules whose host covers the destination's can be taken for it, and the set may hold thousands.
  const rules = rulesCovering(graph, routed.d.resolved).map(rule => (fixed.includes(rule) ? exportedAlsoTo(rule, client) : rule));
  const pick = rulesTakenIn(rulePools(rules, settings), client, routed.d.resolved, home);
  return !pick || pick.rules.some(rule => definesSubset(rule, defined.subset) || hasWorkloadSelector(rule));
}

/**
 * Where the rules defining the subset are seen, a proxy may still take another rule for the host,
 * of its own namespace or of a more specific host, or none: it knows only the subsets of the rule it
 * takes. Namespaces where exporting the definers would do are destination-rule-not-exported's.
 */
function reportNotTaken(graph: Graph, settings: Settings, routed: Routed, defined: Defined, seeing: Seeing, findings: Finding[]): void {
  if (!routed.hostFound) return;
  const t = seeing.takers;
  const host = routed.d.resolved;
  const home = hostNamespace(graph, host);
  for (const client of placedNamespaces(settings, routed, t)) {
    if (seeing.hidden.includes(client)) continue;
    // Stryker disable next-line ConditionalExpression,MethodExpression,ArrowFunction: a shortcut for the common case; rulesTakenIn finds the same
    if (defined.definers.some(rule => isTakenFirst(rule, client, host, settings))) continue;
    const pick = rulesTakenIn(routed.poolsOf(), client, host, home);
    // A rule with a workloadSelector applies to some pods of the namespace only, which the set cannot tell apart.
    if (!pick || pick.rules.some(rule => definesSubset(rule, defined.subset) || hasWorkloadSelector(rule))) continue;
    findings.push(pick.namespace === undefined
      ? noRuleTaken(settings, routed, defined, t, client, pick, home)
      : ruleShadowed(settings, routed, defined, { takers: t, unseen: seeing.unseen.includes(client) }, client, pick));
  }
}

/** Why proxies in `client` take no rule for the host, and what would give them one defining the subset. */
function noRuleTaken(settings: Settings, routed: Routed, defined: Defined, takers: Takers, client: string, pick: RulePick, home: string | undefined): Finding {
  // A definer among them is one the proxies' namespace sees but is not given, which rootRuleNotTaken explains.
  const hiding = pick.hiding.filter(rule => !defined.definers.includes(rule) && defined.definers.some(definer => definer.namespace === rule.namespace));
  if (hiding.length > 0) return ruleHidden(settings, routed, defined, takers, client, hiding);
  // Elsewhere, a rule of the proxies' own namespace that they see comes first, and one they do not is destination-rule-not-exported's.
  const inRoot = defined.definers.filter(rule => rule.namespace === client);
  if (inRoot.length > 0) return rootRuleNotTaken(settings, routed, defined, takers, inRoot);
  return ruleNotConsulted(settings, routed, defined, takers, client, home);
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
  if (!takers.placed) return [];
  if (takers.gateway !== undefined) return takers.namespaces;
  if (routed.waypointed) return [];
  const everywhere = exportedTo(routed.vs, settings) === '*';
  return takers.namespaces.filter(client => !(everywhere && client === settings.rootNamespace));
}

/** The proxies of a namespace that take a route, and whether that namespace sees none of the rules defining the subset. */
interface Client {
  readonly takers: Takers;
  readonly unseen: boolean;
}

/** Where proxies take another rule for the host, which does not define the subset. */
function ruleShadowed(settings: Settings, routed: Routed, defined: Defined, seeing: Client, client: string, pick: RulePick): Finding {
  const { vs, d } = routed;
  const takers = seeing.takers;
  const taken = pick.rules.map(r => r.id).join(', ');
  const takenHost = ruleHost(pick.rules[0]);
  const names = subsetNames(pick.rules);
  const exportToo = seeing.unseen ? `, then export ${defined.definers.map(r => r.id).join(', ')} to ${client}` : '';
  const fix = takenHost === d.resolved ? 'or route without the subset' : `or give that rule a host that does not cover ${d.resolved}${exportToo}`;
  return finding('destination-rule-shadowed', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${defined.definers.map(r => r.id).join(', ')}, but in ${namespaces([client])}, ${where(settings, vs, takers)}, `
    + `Istio takes ${taken} (host ${takenHost}) for ${d.resolved} instead, ${names.length > 0 ? `whose subsets (${names.join(', ')}) do not include it` : 'which defines no subsets'}: `
    + `a proxy takes the DestinationRules of its own namespace first (in ${settings.rootNamespace}, those that namespace keeps to itself), `
    + `then those the host's namespace exports to it, then those ${settings.rootNamespace} exports, `
    + `and of those the most specific host; ${who(takers)} know the subset, so requests fail with 503; define subset ${defined.subset} in ${taken} too, ${fix}`);
}

/**
 * Where the rules of a more specific host, which the proxies' namespace is not given, hide the rules
 * of the namespace where the subset is defined: istiod picks the most specific host of a namespace
 * before it reads the exportTo of its rules.
 */
function ruleHidden(settings: Settings, routed: Routed, defined: Defined, takers: Takers, client: string, hiding: readonly ManifestObject[]): Finding {
  const { vs, d } = routed;
  const ids = hiding.map(r => r.id).join(', ');
  return finding('destination-rule-shadowed', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${defined.definers.map(r => r.id).join(', ')}, but in ${namespaces([client])}, ${where(settings, vs, takers)}, `
    + `Istio takes no DestinationRule for ${d.resolved}: ${hiding.map(r => `${r.id} (host ${ruleHost(r)})`).join(', ')}, of a more specific host in the same namespace, `
    + `${hiding.length === 1 ? 'is' : 'are'} not exported to ${client}, and istiod reads a rule's exportTo only once it has picked the most specific host of a namespace, `
    + `so the rules of less specific hosts there are never looked at; ${who(takers)} know the subset, so requests fail with 503; `
    + `export ${ids} to ${client} and define subset ${defined.subset} there too, or route without the subset`);
}

/**
 * Where the root namespace's own proxies take none of its rules that define the subset: they look
 * first at the rules it keeps to itself, and after the host's namespace, at those it exports to
 * every namespace or to its own by name; `.` beside other namespaces is neither.
 */
function rootRuleNotTaken(settings: Settings, routed: Routed, defined: Defined, takers: Takers, inRoot: readonly ManifestObject[]): Finding {
  const { vs, d } = routed;
  const root = settings.rootNamespace;
  return finding('destination-rule-not-consulted', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${defined.definers.map(r => r.id).join(', ')}, which proxies in ${namespaces([root])}, ${where(settings, vs, takers)}, `
    + `never take: there, a proxy takes first the DestinationRules ${root} keeps to itself (exportTo ["."] alone), then those the host's namespace exports to it, `
    + `then those ${root} exports to "*" or to ${root} by name, and "." beside other namespaces is neither; ${who(takers)} know the subset, `
    + `so requests fail with 503; give ${inRoot.map(r => r.id).join(', ')} exportTo ["."], or add ${root} to its exportTo by name`);
}

/**
 * Where no namespace that proxies consult has a rule for the host they take: the definers are
 * elsewhere, or have a workloadSelector, which istiod gives to no other namespace.
 */
function ruleNotConsulted(settings: Settings, routed: Routed, defined: Defined, takers: Takers, client: string, home: string | undefined): Finding {
  const { vs, d } = routed;
  const selecting = defined.definers.some(hasWorkloadSelector);
  return finding('destination-rule-not-consulted', vs.id, `${d.path}.subset`,
    `subset ${defined.subset} is defined by ${defined.definers.map(r => r.id).join(', ')}, which proxies in ${namespaces([client])}, `
    + `${where(settings, vs, takers)}, never take: a proxy takes DestinationRules only from its own namespace, from the host's (${home}) `
    + `and from ${settings.rootNamespace}${selecting ? ', and one with a workloadSelector only in its own namespace' : ''}; `
    + `${who(takers)} know the subset, so requests fail with 503; `
    + (selecting ? `define the subset in a rule without workloadSelector in namespace ${home}` : `move the rule to namespace ${home}`));
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
    `subset ${subset} is defined by ${definers.map(r => r.id).join(', ')}, not exported to ${namespaces(hidden)}, ${where(settings, vs, takers)}: `
    + `${definers.map(r => exportField(r, settings)).join(', ')}; ${who(takers)} know the subset, so requests fail with 503; `
    + `${exportFix(definers, 'the DestinationRule', hidden)}, or route without the subset`);
}
