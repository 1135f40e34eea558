import type { Subset, Workload } from './graph';
import { Json, labels, list, text } from './json';
import { ROLLOUT_HASH, isRollout } from './rollouts';

/** Whether pods with `podLabels` carry every `key=value` of `selector` (a Service selector, subset labels). */
export function selects(selector: ReadonlyMap<string, string>, podLabels: ReadonlyMap<string, string>): boolean {
  // forEach, which makes no object per label as unoptimized for…of does: every selector of the set comes here.
  let all = true;
  selector.forEach((value, key) => {
    if (podLabels.get(key) !== value) all = false;
  });
  return all;
}

/** Labels pods are asked for, and how they are compared: by `selects`, or by `mayCarry` for a subset's. */
export interface Wanted {
  readonly labels: ReadonlyMap<string, string>;
  readonly match: (wanted: ReadonlyMap<string, string>, pods: ReadonlyMap<string, string>) => boolean;
}

/**
 * Whether some pods of the workload carry all that each of `wanted` asks, one label set meeting
 * them all: a Service selects pods, and a subset narrows the same pods. An Argo Rollout's pods
 * carry the pod-template hash its controller gives them (rollouts.ts), whatever its value: a
 * Service or subset it switches names one.
 */
export function workloadMatches(w: Workload, ...wanted: Wanted[]): boolean {
  return w.podLabelSets.some(set => labelSetMatches(w, set, ...wanted));
}

/** Whether one label set of the workload's pods carries all that each of `wanted` asks, as {@link workloadMatches} reads it. */
export function labelSetMatches(w: Workload, set: ReadonlyMap<string, string>, ...wanted: Wanted[]): boolean {
  const rollout = isRollout(w);
  return wanted.every(({ labels: want, match }) => match(rollout && want.has(ROLLOUT_HASH) ? new Map([...want].filter(([key]) => key !== ROLLOUT_HASH)) : want, set));
}

/**
 * The workloads among a Service's endpoints that a subset takes: Istio narrows the endpoints by its
 * labels, never widens them, so one pod must carry both the selector's and the subset's. A label
 * of where pods run is left out, since the set does not show it. A subset a Rollout manages takes
 * that Rollout's pods alone.
 */
export function subsetWorkloads(endpoints: readonly Workload[], selector: ReadonlyMap<string, string>, subset: Pick<Subset, 'labels' | 'managedBy'>): Workload[] {
  return endpoints.filter(w => (subset.managedBy === undefined || w.id === subset.managedBy)
    && workloadMatches(w, { labels: selector, match: selects }, { labels: subset.labels, match: mayCarry }));
}

/** Whether a pod template (or an endpoint) carries each of a subset's labels, or leaves it to where the pods run. */
export function mayCarry(subsetLabels: ReadonlyMap<string, string>, podLabels: ReadonlyMap<string, string>): boolean {
  let all = true;
  subsetLabels.forEach((value, key) => {
    if (podLabels.get(key) !== value && !isPlacement(key, value)) all = false;
  });
  return all;
}

/**
 * The labels istiod gives every endpoint from where its pod runs (pilot's `AugmentLabels`): the
 * node's region, zone, subzone and name, the cluster and the network. No pod template carries
 * them, so a subset by locality picks pods that manifests cannot tell.
 */
const PLACEMENT_LABELS: ReadonlySet<string> = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
  'topology.istio.io/subzone', 'kubernetes.io/hostname', 'topology.istio.io/cluster', 'topology.istio.io/network']);

/** istiod sets a placement label only where it has a value, so an empty one is a label like any other, which pods rarely carry. */
function isPlacement(key: string, value: string): boolean {
  return PLACEMENT_LABELS.has(key) && value !== '';
}

/** The labels of a subset that pod templates must carry: all but those of where pods run. */
export function templateLabels(subsetLabels: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  return new Map([...subsetLabels].filter(([key, value]) => !isPlacement(key, value)));
}

/** Whether a subset picks pods by where they run as well: it groups them by place, not by version. */
export function picksByPlacement(subsetLabels: ReadonlyMap<string, string>): boolean {
  return templateLabels(subsetLabels).size < subsetLabels.size;
}

/** A workload's `spec.selector`, read once for the checks that ask whether it is empty and what it matches. */
export interface LabelSelector {
  readonly matchLabels: ReadonlyMap<string, string>;
  readonly matchExpressions: readonly unknown[];
}

export function readLabelSelector(selector: Json): LabelSelector {
  return { matchLabels: labels(selector, 'matchLabels'), matchExpressions: list(selector, 'matchExpressions') };
}

/** Whether a selector has neither matchLabels nor matchExpressions. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.matchLabels.size === 0 && selector.matchExpressions.length === 0;
}

/** Whether a selector, matchLabels and matchExpressions alike, matches `podLabels`. */
export function labelSelectorMatches(selector: LabelSelector, podLabels: ReadonlyMap<string, string>): boolean {
  return selects(selector.matchLabels, podLabels) && selector.matchExpressions.every(e => expressionMatches(e, podLabels));
}

function expressionMatches(expression: unknown, podLabels: ReadonlyMap<string, string>): boolean {
  const key = text(expression, 'key');
  // The API server rejects an expression without key, or with any other operator, so such a selector matches nothing.
  if (key === undefined) return false;
  const value = podLabels.get(key);
  // A label the pods lack (undefined) is in no list that JSON can hold.
  const values = list(expression, 'values');
  switch (text(expression, 'operator')) {
    case 'In': return values.includes(value);
    case 'NotIn': return !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    default: return false;
  }
}

export function formatLabels(labelMap: ReadonlyMap<string, string>): string {
  return labelMap.size === 0 ? 'no labels' : [...labelMap].map(([key, value]) => `${key}=${value}`).join(', ');
}

/**
 * Names the workload whose pods come closest to `selector` and the labels they lack, because
 * "selects nothing" alone leaves the reader diffing label sets by hand. Empty when no pod shares
 * a single label with the selector.
 */
export function nearestMiss(selector: ReadonlyMap<string, string>, workloads: readonly Workload[]): string {
  let best: { id: string; pods: ReadonlyMap<string, string>; missing: ReadonlyMap<string, string> } | undefined;
  for (const { id, podLabels: pods } of workloads) {
    if (!pods) continue;
    const missing = new Map([...selector].filter(([key, value]) => pods.get(key) !== value));
    if (missing.size < selector.size && (!best || missing.size < best.missing.size)) best = { id, pods, missing };
  }
  return best ? `; ${best.id} comes closest, but its pods lack ${formatLabels(best.missing)} (they carry ${formatLabels(best.pods)})` : '';
}
