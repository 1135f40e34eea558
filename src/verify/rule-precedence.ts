import { exportedTo, isVisibleIn, writtenExportTo } from './export-to';
import { Facts, Graph, ManifestObject, addTo, coveringWildcard, hasWorkloadSelector, ruleHost } from './graph';
import { Settings } from './settings';

/**
 * Which DestinationRules a proxy takes for a host, as istiod chooses them (push_context.go
 * `destinationRule`): those of the proxy's own namespace, else those the host's namespace exports
 * to it, else those the mesh's root namespace exports to it; in the first namespace that has any,
 * those of the most specific host. Istio's analyzer looks for a subset in any rule of the set; a
 * proxy knows only the subsets of the rules it takes, so a rule elsewhere that defines one serves
 * nobody there.
 */

/** The DestinationRules of one namespace, by host as istiod resolves it; wildcard hosts are keys too. */
type RulesByHost = Map<string, ManifestObject[]>;

/** istiod's index of DestinationRules (push_context.go `setDestinationRules`). */
export interface RulePools {
  /** By namespace, the rules a proxy there looks at first: those its own namespace sees. */
  readonly local: ReadonlyMap<string, RulesByHost>;
  /** By namespace, the rules exported beyond it, each still filtered by its exportTo. */
  readonly exported: ReadonlyMap<string, RulesByHost>;
  /** The mesh's root namespace (istio-system unless the MeshConfig says otherwise). */
  readonly root: string;
  /** The private rules of the root namespace, which its own proxies look at first instead of `local`. */
  readonly rootLocal: RulesByHost;
}

/** The rules Istio takes for a host in one namespace, and where it found them. */
export interface RulePick {
  /** Empty when no namespace istiod consults has a rule for the host that it gives this one. */
  readonly rules: readonly ManifestObject[];
  /** The namespace they are in; undefined when there are none. */
  readonly namespace?: string;
  /**
   * Where `rules` is empty: in the namespaces consulted after the proxy's own, the rules of the most
   * specific host, which istiod picks before it reads their exportTo, and which are not exported to
   * the proxy, so that the rules of less specific hosts there are never looked at.
   */
  readonly hiding: readonly ManifestObject[];
}

const NONE: readonly ManifestObject[] = [];

/** istiod's index of `rules`, the set's DestinationRules or those a simulated fix leaves. */
export function rulePools(rules: readonly ManifestObject[], settings: Settings): RulePools {
  const local = new Map<string, RulesByHost>();
  const exported = new Map<string, RulesByHost>();
  const rootLocal: RulesByHost = new Map();
  for (const rule of rules) {
    const host = ruleHost(rule);
    if (host === undefined) continue;
    if (isSeenAtHome(rule, settings)) add(local, rule.namespace, host, rule);
    if (!isPrivateOnly(rule, istiodExportTo(rule), settings)) add(exported, rule.namespace, host, rule);
    else if (rule.namespace === settings.rootNamespace) addTo(rootLocal, host, rule);
  }
  return { local, exported, root: settings.rootNamespace, rootLocal };
}

/**
 * The rules a proxy in `client` takes for `host`, whose Service or ServiceEntry lives in
 * `hostNamespace`; undefined where the set cannot tell: where the host's namespace is unknown and
 * the proxy's own namespace has no rule for it.
 */
export function rulesTakenIn(pools: RulePools, client: string, host: string, hostNamespace: string | undefined): RulePick | undefined {
  const first = client === pools.root ? pools.rootLocal : pools.local.get(client);
  const ownRules = first && mostSpecific(first, host);
  if (ownRules) return { rules: ownRules, namespace: client, hiding: NONE };
  if (hostNamespace === undefined) return undefined;
  const hiding: ManifestObject[] = [];
  for (const owner of hostNamespace === pools.root ? [hostNamespace] : [hostNamespace, pools.root]) {
    const matched = exportedMatch(pools, owner, host);
    const rules = matched.filter(rule => isExportedTo(rule, client));
    if (rules.length > 0) return { rules, namespace: owner, hiding: NONE };
    hiding.push(...matched);
  }
  return { rules: NONE, hiding };
}

/**
 * The rules `owner` exports beyond itself for the most specific host covering `host`. That host is
 * chosen before the rules are filtered by the proxy's namespace, as istiod does: a rule for the
 * exact host that is hidden from a proxy hides a wildcard rule of the same namespace from it too.
 */
function exportedMatch(pools: RulePools, owner: string, host: string): readonly ManifestObject[] {
  const byHost = pools.exported.get(owner);
  return (byHost && mostSpecific(byHost, host)) ?? NONE;
}

function isExportedTo(rule: ManifestObject, client: string): boolean {
  const exportTo = istiodExportTo(rule);
  return exportTo.length === 0 || exportTo.includes('*') || exportTo.includes(client);
}

function mostSpecific(byHost: RulesByHost, host: string): readonly ManifestObject[] | undefined {
  return byHost.get(host) ?? coveringWildcard(byHost, host);
}

/**
 * The rule as destination-rule-not-exported's fix would leave it: seen in `namespace` and its own,
 * which is all a proxy in `namespace` asks of it, and without a workloadSelector, which would keep
 * it to its own namespace whatever its exportTo.
 */
export function exportedAlsoTo(rule: ManifestObject, namespace: string): ManifestObject {
  // Stryker disable next-line StringLiteral: "." is for the reader; `namespace` decides the lookup, and two values keep the rule exported, as the advised fix does
  const spec: Record<string, unknown> = { ...rule.spec, exportTo: ['.', namespace] };
  delete spec.workloadSelector;
  return { ...rule, spec, facts: new Facts() };
}

/**
 * A rule's exportTo as istiod reads it: the values as written, `.` kept as it is; only `.` for a
 * rule with a workloadSelector, which applies to its own namespace's pods alone.
 */
function istiodExportTo(rule: ManifestObject): readonly string[] {
  return hasWorkloadSelector(rule) ? PRIVATE : writtenExportTo(rule);
}

const PRIVATE: readonly string[] = ['.'];

/** Whether istiod keeps a rule from other namespaces: the mesh default says `.`, or its one value is its own namespace. */
function isPrivateOnly(rule: ManifestObject, exportTo: readonly string[], settings: Settings): boolean {
  if (exportTo.length === 0) return settings.defaultDestinationRuleExportTo.includes('.');
  const values = new Set(exportTo);
  return values.size === 1 && (values.has('.') || values.has(rule.namespace));
}

function add(pools: Map<string, RulesByHost>, namespace: string, host: string, rule: ManifestObject): void {
  let byHost = pools.get(namespace);
  if (!byHost) pools.set(namespace, byHost = new Map());
  addTo(byHost, host, rule);
}

/**
 * Whether proxies in `client` take `rule` for `host` whatever else the set holds: a rule of their
 * own namespace for exactly that host, which their namespace sees, comes before any other. Not so
 * in the root namespace, whose proxies look first at its private rules alone.
 */
export function isTakenFirst(rule: ManifestObject, client: string, host: string, settings: Settings): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: a shortcut; without it, rulesTakenIn finds the same rule
  if (rule.namespace !== client || client === settings.rootNamespace || ruleHost(rule) !== host) return false;
  return isSeenAtHome(rule, settings);
}

/**
 * Whether a rule's own namespace sees it: istiod's namespace-local pool, which proxies there look at
 * first. Its exportTo is empty or names `*`, `.` or the namespace, or a workloadSelector makes it `.`.
 */
function isSeenAtHome(rule: ManifestObject, settings: Settings): boolean {
  return isVisibleIn(exportedTo(rule, settings), rule.namespace);
}

/** The namespace of the Service, or of the ServiceEntries, that declare `host`; undefined where none do, or several namespaces. */
export function hostNamespace(graph: Graph, host: string): string | undefined {
  const service = graph.serviceByHost.get(host);
  if (service) return service.namespace;
  const owners = new Set(graph.serviceEntryHosts.filter(e => e.host === host).map(e => e.entry.namespace));
  return owners.size === 1 ? [...owners][0] : undefined;
}
