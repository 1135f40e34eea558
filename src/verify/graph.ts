import { hostCovers } from '../names';
import type { Visibility } from './export-to';
import { forgetNames, resolveHost, serviceFqdn } from './hosts';
import { Json, isObjectLike, labels, list, own, record, text } from './json';
import { ROLLOUT_HASH, ReferencedTemplate, isRollout, managedSubsets, referencedTemplate, rolloutLabelSets, subsetKey } from './rollouts';
import { selects, workloadMatches } from './selectors';
import type { ClaimedHost, Destination, GatewayBinding, WeightedRoute } from './routes';
import { Finding, finding } from './types';

/** One identified object of the input, with the names every check needs. */
export interface ManifestObject {
  /** Position in the input after `List` items are spread, for messages about duplicates. */
  readonly entry: number;
  /** API group: `''` for core objects, so a Knative `Service` is not taken for a Kubernetes one. */
  readonly group: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `Kind/namespace/name`, as findings name objects. */
  readonly id: string;
  readonly metadata: Json;
  readonly spec: Json;
  /** What the cluster wrote, in a dump from it (`kubectl get -o yaml`); empty in manifests. */
  readonly status: Json;
  /** What the checks have worked out about it so far. */
  readonly facts: Facts;
}

/**
 * What the checks work out about one object, each fact once per run: most checks ask for the same
 * ones (a VirtualService's routes, a Service's selector and pods) of every object. Each is a field,
 * set by the function that reads it on first use, and present from the start, so that every object
 * has one shape: once V8 optimizes the checks (a chart per team, after its first charts), reading a
 * field costs less than looking the object up in a WeakMap.
 */
export class Facts {
  public selector?: ReadonlyMap<string, string> = undefined;
  public labels?: ReadonlyMap<string, string> = undefined;
  public pods?: readonly Workload[] = undefined;
  public subsets?: readonly Subset[] = undefined;
  public exportedTo?: Visibility = undefined;
  public routingNamespaces?: readonly string[] = undefined;
  public weightedRoutes?: readonly WeightedRoute[] = undefined;
  public destinations?: readonly Destination[] = undefined;
  public gatewayBindings?: readonly GatewayBinding[] = undefined;
  public boundGateways?: readonly string[] = undefined;
  public claimedHosts?: readonly ClaimedHost[] = undefined;
  /** Of a delegate, the rules of the set that delegate to it: its rules apply where theirs do. Linked as the graph is built. */
  public delegatedBy?: DelegatingRule[] = undefined;
}

/** An http rule of a VirtualService with hosts, the root, that hands its requests to a delegate. */
export interface DelegatingRule {
  readonly root: ManifestObject;
  readonly rule: unknown;
}

export interface Workload extends ManifestObject {
  /** Labels of the pod template; undefined when there is none (a Rollout with `workloadRef`). */
  readonly podLabels: ReadonlyMap<string, string> | undefined;
  /**
   * The label sets its pods carry, each in full: the template's alone, but for an Argo Rollout
   * (rollouts.ts), whose controller labels its pods beyond the template. None without a template.
   */
  readonly podLabelSets: readonly ReadonlyMap<string, string>[];
  /** The id of the object whose pod template its pods run: its own, but for a Rollout that takes another's (rollouts.ts). */
  readonly templateOf: string;
}

/** The input indexed the ways Istio looks things up. */
export interface Graph {
  readonly objects: readonly ManifestObject[];
  /** The objects by API group, then kind, in input order: read them with {@link objectsOfKind}. */
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, readonly ManifestObject[]>>;
  readonly unidentified: readonly Finding[];
  /**
   * Objects that share API group, kind, namespace and name, each group in input order. Every other
   * field of the graph holds the last of them alone, which each apply leaves in the cluster, so that
   * no check counts one object twice.
   */
  readonly duplicates: readonly (readonly ManifestObject[])[];
  /** Kubernetes Services (group `''`, so not Knative's). */
  readonly services: readonly ManifestObject[];
  /** The same by FQDN, which names one Service once copies are left out. */
  readonly serviceByHost: ReadonlyMap<string, ManifestObject>;
  readonly workloads: readonly Workload[];
  readonly workloadsByNamespace: ReadonlyMap<string, readonly Workload[]>;
  /** Each namespace's workloads by pod label, so selectors need not scan a whole namespace. */
  readonly workloadsByLabel: ReadonlyMap<string, LabelIndex<Workload>>;
  readonly virtualServices: readonly ManifestObject[];
  readonly destinationRules: readonly ManifestObject[];
  /** DestinationRules by host, short names resolved; wildcard hosts are keys too. */
  readonly destinationRulesByHost: ReadonlyMap<string, readonly ManifestObject[]>;
  /** The wildcard hosts among those keys, the most specific (the longest) first. */
  readonly destinationRuleWildcards: readonly string[];
  /** Istio Gateways by `ns/name`. */
  readonly gateways: ReadonlyMap<string, ManifestObject>;
  /** Kubernetes Gateway API Gateways by `ns/name`, which a VirtualService may bind to as well. */
  readonly kubernetesGateways: ReadonlyMap<string, ManifestObject>;
  /** Namespace objects by name, whose labels enrol workloads in ambient mode and admit Gateway API routes. */
  readonly namespaces: ReadonlyMap<string, ManifestObject>;
  /** Hosts of ServiceEntries, short names resolved, with the entry that declares each (its namespace and `exportTo`). */
  readonly serviceEntryHosts: readonly ServiceEntryHost[];
}

export interface ServiceEntryHost {
  readonly host: string;
  readonly entry: ManifestObject;
}

/** The API group of Istio's networking objects. */
export const ISTIO = 'networking.istio.io';
/** The API group of the Kubernetes Gateway API. */
export const GATEWAY_API = 'gateway.networking.k8s.io';

/** The Gateway API routes that carry HTTP, which Istio applies at gateways and, on a Service, at its waypoint. */
const HTTP_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute'];

const WORKLOAD_KINDS = new Map<string, readonly string[]>([
  ['', ['Pod']],
  ['apps', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']],
  ['extensions', ['Deployment', 'DaemonSet', 'ReplicaSet']],
  ['argoproj.io', ['Rollout']],
]);

export function buildGraph(input: readonly unknown[], defaultNamespace: string): Graph {
  forgetNames();
  const objects: ManifestObject[] = [];
  const unidentified: Finding[] = [];
  spreadLists(input).forEach((entry, index) => {
    // Empty YAML documents (a trailing `---`) parse to null and are no mistake.
    if (entry === null || entry === undefined) return;
    const object = identify(entry, index, defaultNamespace);
    if (object) objects.push(object);
    else unidentified.push(unidentifiedFinding(entry, index, defaultNamespace));
  });
  // One pass sorts the objects by kind, rather than one pass over all of them per kind asked for.
  // Keyed by the strings as read, not one made of both, which every lookup would have to hash anew.
  const byKind = new Map<string, Map<string, ManifestObject[]>>();
  objects.forEach(object => {
    let ofGroup = byKind.get(object.group);
    if (!ofGroup) byKind.set(object.group, ofGroup = new Map());
    addTo(ofGroup, object.kind, object);
  });
  const duplicates = sameObjects(byKind);
  // Stryker disable next-line ConditionalExpression: without copies there is nothing to leave out; skipping the pass only saves time
  const firsts = duplicates.length === 0 ? objects : withoutCopies(objects, byKind, duplicates);
  const ofKind = (group: string, kind: string) => kindIn(byKind, group, kind);
  const workloads = readWorkloads(firsts, ofKind);
  const services = ofKind('', 'Service');
  const destinationRules = ofKind(ISTIO, 'DestinationRule');
  const workloadsByNamespace = groupBy(workloads, w => w.namespace);
  const destinationRulesByHost = groupBy(destinationRules, ruleHost);
  // Stryker disable next-line MethodExpression,StringLiteral: only a wildcard covers another host, so keeping the rest changes no lookup
  const wildcardRuleHosts = [...destinationRulesByHost.keys()].filter(host => host.startsWith('*'));
  const virtualServices = ofKind(ISTIO, 'VirtualService');
  linkDelegates(virtualServices);
  markManagedSubsets(destinationRules, workloads.filter(isRollout));
  return {
    objects: firsts,
    byKind,
    unidentified,
    duplicates,
    services,
    serviceByHost: byKey(services, o => serviceFqdn(o.name, o.namespace)),
    workloads,
    workloadsByNamespace,
    workloadsByLabel: new Map([...workloadsByNamespace].map(([namespace, inNamespace]) => [namespace, indexByLabel(inNamespace, w => w.podLabelSets)])),
    virtualServices,
    destinationRules,
    destinationRulesByHost,
    destinationRuleWildcards: wildcardRuleHosts.sort((a, b) => b.length - a.length),
    gateways: byKey(ofKind(ISTIO, 'Gateway'), o => `${o.namespace}/${o.name}`),
    kubernetesGateways: byKey(ofKind(GATEWAY_API, 'Gateway'), o => `${o.namespace}/${o.name}`),
    namespaces: byKey(ofKind('', 'Namespace'), o => o.name),
    serviceEntryHosts: ofKind(ISTIO, 'ServiceEntry').flatMap(entry => hostsOf(entry).map(host => ({ host, entry }))),
  };
}

/** A VirtualService without hosts, which istiod uses only as the delegate of a root. */
export function isDelegate(vs: ManifestObject): boolean {
  return list(vs.spec, 'hosts').length === 0;
}

/** Whether an http rule hands its requests to a delegate (istiod: `Delegate != nil`). */
export function isDelegating(rule: unknown): boolean {
  return isObjectLike(own(rule, 'delegate'));
}

/** Of a delegate, the VirtualServices of the set that delegate to it, each once; undefined for any other VirtualService. */
export function delegatingRoots(vs: ManifestObject): readonly ManifestObject[] | undefined {
  const rules = vs.facts.delegatedBy;
  return rules && [...new Set(rules.map(({ root }) => root))];
}

/** The id of the VirtualService an http rule delegates to, as istiod looks it up: by name, in the root's namespace unless the rule names one. */
export function delegateId(root: ManifestObject, rule: unknown): string | undefined {
  const reference = own(rule, 'delegate');
  const name = text(reference, 'name');
  return name === undefined ? undefined : idOf('VirtualService', text(reference, 'namespace') ?? root.namespace, name);
}

/** Gives each delegate the rules of the set that delegate to it. */
function linkDelegates(virtualServices: readonly ManifestObject[]): void {
  const delegates = byKey(virtualServices.filter(isDelegate), vs => vs.id);
  // The common case, in the route check at synth too: no delegates.
  // Stryker disable next-line ConditionalExpression: an early return that only saves time; the rest links none
  if (delegates.size === 0) return;
  virtualServices.forEach(root => list(root.spec, 'http').forEach(rule => {
    const id = isDelegate(root) ? undefined : delegateId(root, rule);
    const delegate = id === undefined ? undefined : delegates.get(id);
    if (delegate) (delegate.facts.delegatedBy ??= []).push({ root, rule });
  }));
}

/** Groups of objects that share API group, kind, namespace and name: by kind, then name, which tells almost every object apart, then namespace. */
function sameObjects(byKind: ReadonlyMap<string, ReadonlyMap<string, readonly ManifestObject[]>>): (readonly ManifestObject[])[] {
  const byName = [...byKind.values()].flatMap(ofGroup => [...ofGroup.values()]).flatMap(ofKind => [...groupBy(ofKind, o => o.name).values()]);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: a lone object has no copy; skipping it only saves time
  const sharingName = byName.filter(sameName => sameName.length > 1);
  return sharingName.flatMap(sameName => [...groupBy(sameName, o => o.namespace).values()]).filter(same => same.length > 1);
}

/** The objects without the copies before the last, in the list and in each kind's. */
function withoutCopies(objects: readonly ManifestObject[], byKind: Map<string, Map<string, ManifestObject[]>>, duplicates: readonly (readonly ManifestObject[])[]): readonly ManifestObject[] {
  const copies = new Set(duplicates.flatMap(same => same.slice(0, -1)));
  byKind.forEach(ofGroup => ofGroup.forEach((ofKind, kind) => ofGroup.set(kind, ofKind.filter(o => !copies.has(o)))));
  return objects.filter(o => !copies.has(o));
}

/** The objects of one API group (`''` for the core group) and kind, in input order. */
export function objectsOfKind(graph: Graph, group: string, kind: string): readonly ManifestObject[] {
  return kindIn(graph.byKind, group, kind);
}

function kindIn(byKind: Graph['byKind'], group: string, kind: string): readonly ManifestObject[] {
  return byKind.get(group)?.get(kind) ?? [];
}

/** The Gateway API's HTTPRoutes and GRPCRoutes, in input order. */
export function gatewayApiRoutes(graph: Graph): readonly ManifestObject[] {
  return graph.objects.filter(o => o.group === GATEWAY_API && HTTP_ROUTE_KINDS.includes(o.kind));
}

export function workloadsIn(graph: Graph, namespace: string): readonly Workload[] {
  return graph.workloadsByNamespace.get(namespace) ?? [];
}

/**
 * Workloads in `namespace` whose pod template carries every label of `selector`. An empty selector
 * selects none: a Service without one has endpoints made by hand, which are no workload of the set.
 */
function workloadsSelectedBy(graph: Graph, namespace: string, selector: ReadonlyMap<string, string>): readonly Workload[] {
  const index = graph.workloadsByLabel.get(namespace) ?? NO_INDEX;
  // The rarest label narrows most: the first may be one that every pod of the namespace carries.
  let candidates: readonly Workload[] | undefined;
  for (const label of selector) {
    // A Rollout's pods carry the hash, which no manifest shows: no workload is indexed under it.
    if (label[0] === ROLLOUT_HASH) continue;
    const carriers = labelCarriers(index, label);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: any label's carriers hold every workload selected; the rarest only saves time
    if (!candidates || carriers.length < candidates.length) candidates = carriers;
  }
  candidates ??= selector.has(ROLLOUT_HASH) ? graph.workloadsByNamespace.get(namespace) : undefined;
  return (candidates ?? []).filter(w => workloadMatches(w, { labels: selector, match: selects }));
}

/** A Service's selector; empty without one. */
export function serviceSelector(service: ManifestObject): ReadonlyMap<string, string> {
  return service.facts.selector ??= labels(service.spec, 'selector');
}

/** An object's own labels, `metadata.labels`. */
export function objectLabels(object: ManifestObject): ReadonlyMap<string, string> {
  return object.facts.labels ??= labels(object.metadata, 'labels');
}

/** The workloads whose pods the Service's selector selects, in its namespace; none without a selector. */
export function podsOfService(graph: Graph, service: ManifestObject): readonly Workload[] {
  return service.facts.pods ??= workloadsSelectedBy(graph, service.namespace, serviceSelector(service));
}

/** Items by the labels they carry, key then value, so that a selector looks up the items of one label. */
export type LabelIndex<T> = ReadonlyMap<string, ReadonlyMap<string, readonly T[]>>;

/** The index of a namespace without workloads. */
const NO_INDEX: LabelIndex<never> = new Map();

/**
 * Nested maps rather than one key per label, which would have to encode key and value unambiguously.
 * An item is indexed under each label of each of its label sets, once per label: a Rollout whose
 * stable and canary pods differ is found by either. The loops over the set in this file are
 * `forEach` rather than `for…of`: the route check runs once per synth, before V8 optimizes it, and
 * unoptimized `for…of` makes an object for every step.
 */
export function indexByLabel<T>(items: readonly T[], labelSetsOf: (item: T) => readonly ReadonlyMap<string, string>[]): LabelIndex<T> {
  const index = new Map<string, Map<string, T[]>>();
  items.forEach(item => labelSetsOf(item).forEach(set => set.forEach((value, key) => {
    let byValue = index.get(key);
    if (!byValue) index.set(key, byValue = new Map());
    const carriers = byValue.get(value);
    // An item's labels are all indexed before the next item's, so a repeat is the last carrier.
    if (!carriers) byValue.set(value, [item]);
    else if (carriers[carriers.length - 1] !== item) carriers.push(item);
  })));
  return index;
}

/** The items that carry `key=value`. */
export function labelCarriers<T>(index: LabelIndex<T>, [key, value]: readonly [string, string]): readonly T[] {
  return index.get(key)?.get(value) ?? [];
}

/** The host a DestinationRule applies to, short name expanded in its own namespace. */
export function ruleHost(rule: ManifestObject): string | undefined {
  const host = text(rule.spec, 'host');
  return host && resolveHost(host, rule.namespace);
}

/** Whether a DestinationRule applies to the pods its workloadSelector picks, in its own namespace, only. */
export function hasWorkloadSelector(rule: ManifestObject): boolean {
  return rule.kind === 'DestinationRule' && isObjectLike(own(rule.spec, 'workloadSelector'));
}

/** A subset of a DestinationRule, its labels read. */
export interface Subset {
  readonly index: number;
  /** Undefined when it has none, or none that is a string. */
  readonly name: string | undefined;
  readonly definition: unknown;
  readonly labels: ReadonlyMap<string, string>;
  /** The id of the Argo Rollout whose controller adds its pod-template hash to the labels: then the subset takes its pods alone. */
  readonly managedBy?: string;
}

/** A DestinationRule's subsets: the checks of routes, rules and gateways look them up by name, for every destination. */
export function subsetsOfRule(rule: ManifestObject): readonly Subset[] {
  // flatMap, which skips the holes of a sparse list as the checks always have.
  return rule.facts.subsets ??= list(rule.spec, 'subsets').flatMap((definition, index) => [{
    index, name: text(definition, 'name'), definition, labels: labels(definition, 'labels'),
  }]);
}

/**
 * The subset `name` for `host`: the first rule that defines it, of the most specific host first.
 * Which rule a proxy takes depends on its namespace (rule-precedence.ts); a subset defined nowhere
 * it could be taken is undefined.
 */
export function subsetDefinition(graph: Graph, host: string, name: string): Subset | undefined {
  for (const rule of rulesCovering(graph, host)) {
    const subset = subsetsOfRule(rule).find(s => s.name === name);
    if (subset) return subset;
  }
  return undefined;
}

/**
 * Every DestinationRule of the set whose host covers `host`, the most specific first: those a
 * proxy somewhere may take for it. {@link destinationRulesFor} gives only the most specific, in any
 * namespace, which a proxy elsewhere need not see.
 */
export function rulesCovering(graph: Graph, host: string): readonly ManifestObject[] {
  const byHost = graph.destinationRulesByHost;
  const exact = byHost.get(host) ?? [];
  // Most sets have no wildcard rule; every destination with a subset asks.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut; without it, an empty list of wildcards adds nothing
  if (graph.destinationRuleWildcards.length === 0) return exact;
  // A wildcard destination host is a key of its own, taken as exact.
  return [...exact, ...graph.destinationRuleWildcards.filter(wildcard => wildcard !== host && hostCovers(wildcard, host)).flatMap(wildcard => byHost.get(wildcard) ?? [])];
}

/** The DestinationRules Istio applies to `host`: those naming it exactly, else those of the most specific wildcard. */
export function destinationRulesFor(graph: Graph, host: string): readonly ManifestObject[] {
  return graph.destinationRulesByHost.get(host) ?? coveringWildcard(graph.destinationRulesByHost, host) ?? [];
}

/**
 * What the most specific wildcard host covering `host` maps to. The wildcards that cover a host
 * (see hostCovers) are `*` before a part of it that starts at a dot, and `*`; looked up from the
 * longest, the most specific, so that a lookup costs the host's dots rather than every key.
 */
export function coveringWildcard<T>(byHost: ReadonlyMap<string, T>, host: string): T | undefined {
  // Stryker disable next-line StringLiteral: starting at the first character adds a lookup of `*` and the whole host, which no host Istio accepts is
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
    const found = byHost.get(`*${host.slice(dot)}`);
    if (found) return found;
  }
  return byHost.get('*');
}

/** `kubectl get -o yaml` wraps objects in a `List`; its items are the objects. */
export function spreadLists(entries: readonly unknown[]): readonly unknown[] {
  const spread: unknown[] = [];
  // for…of, not forEach, which skips the holes of a sparse list: each still counts as an entry.
  for (const entry of entries) {
    const items = own(entry, 'items');
    if (text(entry, 'kind')?.endsWith('List') && Array.isArray(items)) for (const item of items) spread.push(item);
    else spread.push(entry);
  }
  return spread;
}

function identify(entry: unknown, index: number, defaultNamespace: string): ManifestObject | undefined {
  const kind = text(entry, 'kind');
  const metadata = record(entry, 'metadata');
  const name = text(metadata, 'name');
  if (!kind || !name) return undefined;
  // Stryker disable next-line StringLiteral: without an apiVersion the group is '' either way, and of the core group only a Pod, which has no selector, is a workload
  const apiVersion = text(entry, 'apiVersion') ?? '';
  const namespace = text(metadata, 'namespace') ?? defaultNamespace;
  return {
    entry: index,
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    apiVersion,
    kind,
    namespace,
    name,
    id: idOf(kind, namespace, name),
    metadata,
    spec: record(entry, 'spec'),
    status: record(entry, 'status'),
    facts: new Facts(),
  };
}

/** The objects' ids as a message lists them, in the order given. */
export function idList(objects: readonly ManifestObject[]): string {
  return objects.map(o => o.id).join(', ');
}

/**
 * How findings name an entry of the manifest set: `Kind/namespace/name`, or `Kind/namespace/#entry`
 * for one without kind or name. Callers that map findings back to files or constructs use it too.
 */
export function objectName(entry: unknown, index: number, defaultNamespace: string): string {
  const kind = text(entry, 'kind');
  const metadata = record(entry, 'metadata');
  const name = text(metadata, 'name');
  if (kind && name) return idOf(kind, text(metadata, 'namespace') ?? defaultNamespace, name);
  return `${kind ?? 'Unknown'}/${defaultNamespace}/#${index}`;
}

function idOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function unidentifiedFinding(entry: unknown, index: number, defaultNamespace: string): Finding {
  const object = objectName(entry, index, defaultNamespace);
  if (!isObjectLike(entry)) {
    return finding('object-unidentified', object, '', `entry #${index} is ${describe(entry)}, not an object; remove it or fix the YAML around it`);
  }
  return text(entry, 'kind')
    ? finding('object-unidentified', object, 'metadata.name', `entry #${index} has no metadata.name, so nothing can refer to it; name it`)
    : finding('object-unidentified', object, 'kind', `entry #${index} has no kind, so it is not checked; set apiVersion and kind`);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * A ReplicaSet or Pod with an owner (a Deployment, a Rollout) repeats its owner's pods; counting it
 * would make every subset look as if it selected two workloads. A bare Pod is a workload of its own.
 */
function isPodProducer(object: ManifestObject): boolean {
  if (!WORKLOAD_KINDS.get(object.group)?.includes(object.kind)) return false;
  return (object.kind !== 'ReplicaSet' && object.kind !== 'Pod') || list(object.metadata, 'ownerReferences').length === 0;
}

/**
 * The objects that make pods, with their labels. A Rollout whose `workloadRef` names a workload of
 * the set runs that workload's template, which it takes in place of its own; the workload runs pods
 * of its own too, unless the Rollout replaces it (rollouts.ts).
 */
function readWorkloads(objects: readonly ManifestObject[], ofKind: (group: string, kind: string) => readonly ManifestObject[]): Workload[] {
  const producers = objects.filter(isPodProducer);
  const rollouts = producers.filter(isRollout);
  // Stryker disable next-line ConditionalExpression: a shortcut for the sets without Rollouts; indexing for none finds none
  const templates = rollouts.length === 0 ? new Map<ManifestObject, ReferencedTemplate>() : referencedTemplates(rollouts, ofKind);
  const replaced = new Set([...templates.values()].filter(t => t.replaces).map(t => t.from));
  return producers.filter(o => !replaced.has(o)).map(o => {
    const referenced = templates.get(o);
    // Argo takes the referenced workload's selector too where the Rollout has none (templateref.go).
    const spec = referenced ? { ...o.spec, template: referenced.template, selector: own(o.spec, 'selector') ?? own(referenced.from.spec, 'selector') } : o.spec;
    const labelsOfPods = podLabels(o, spec);
    return asWorkload(o, spec, labelsOfPods, isRollout(o) ? rolloutLabelSets(spec) : labelsOfPods ? [labelsOfPods] : [], referenced?.from.id ?? o.id);
  });
}

function referencedTemplates(rollouts: readonly ManifestObject[], ofKind: (group: string, kind: string) => readonly ManifestObject[]): Map<ManifestObject, ReferencedTemplate> {
  const byName = new Map(['Deployment', 'ReplicaSet'].flatMap(kind => ofKind('apps', kind).map(o => [`${kind} ${o.namespace}/${o.name}`, o] as const)));
  const found = (kind: string, namespace: string, name: string) => byName.get(`${kind} ${namespace}/${name}`);
  return new Map(rollouts.flatMap(rollout => {
    const referenced = referencedTemplate(rollout, found);
    return referenced ? [[rollout, referenced] as const] : [];
  }));
}

/** The object with its pod labels, every field written out: copying by spread costs more, on every workload of the set. */
function asWorkload(o: ManifestObject, spec: Json, labelsOfPods: ReadonlyMap<string, string> | undefined, podLabelSets: readonly ReadonlyMap<string, string>[],
  templateOf: string): Workload {
  return {
    entry: o.entry, group: o.group, apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, id: o.id,
    metadata: o.metadata, spec, status: o.status, facts: new Facts(), podLabels: labelsOfPods, podLabelSets, templateOf,
  };
}

/** Marks the subsets a Rollout manages, which take its pods alone (rollouts.ts). */
function markManagedSubsets(rules: readonly ManifestObject[], rollouts: readonly ManifestObject[]): void {
  const managed = managedSubsets(rollouts);
  // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; marking with an empty map marks nothing
  if (managed.size === 0) return;
  rules.forEach(rule => {
    rule.facts.subsets = subsetsOfRule(rule).map(s => ({ ...s, managedBy: s.name === undefined ? undefined : managed.get(subsetKey(rule.namespace, rule.name, s.name)) }));
  });
}

/** A Pod carries its labels itself; the others, in their pod template. */
function podLabels(workload: ManifestObject, spec: Json): ReadonlyMap<string, string> | undefined {
  if (workload.kind === 'Pod') return labels(workload.metadata, 'labels');
  const template = own(spec, 'template');
  return isObjectLike(template) ? labels(record(template, 'metadata'), 'labels') : undefined;
}

function hostsOf(serviceEntry: ManifestObject): string[] {
  return list(serviceEntry.spec, 'hosts')
    .filter((host): host is string => typeof host === 'string')
    .map(host => resolveHost(host, serviceEntry.namespace));
}

/** Objects by a key made of their namespace and name, which no two share once copies are left out. */
function byKey<T>(objects: readonly T[], key: (object: T) => string): ReadonlyMap<string, T> {
  return new Map(objects.map(object => [key(object), object]));
}

/** Items grouped by key, in input order; items without a key are left out. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): ReadonlyMap<string, readonly T[]> {
  const map = new Map<string, T[]>();
  items.forEach(item => {
    const k = key(item);
    if (k !== undefined) addTo(map, k, item);
  });
  return map;
}

export function addTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const group = map.get(key);
  if (group) group.push(item);
  else map.set(key, [item]);
}
