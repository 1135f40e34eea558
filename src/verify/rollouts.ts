/**
 * The pods of an Argo Rollout, as its controller labels them: the template of the workload a
 * `workloadRef` names where the Rollout has none (templateref.go), the ephemeral labels of its
 * stable and canary, or active and preview, pods (ephemeralmetadata.go), and the
 * `rollouts-pod-template-hash` it puts on every pod, on the Services it switches and on the
 * subsets of the DestinationRule it manages (istio.go UpdateHash). Manifests show none of those
 * labels on the pods themselves.
 */

import type { ManifestObject } from './graph';
import { Json, isObjectLike, labels, own, record, text } from './json';

export const ROLLOUT_HASH = 'rollouts-pod-template-hash';

/** Whether a workload is an Argo Rollout: the only one of its kind among the workloads (graph.ts WORKLOAD_KINDS). */
export function isRollout(workload: ManifestObject): boolean {
  return workload.kind === 'Rollout';
}

/**
 * The kinds a Rollout's `workloadRef` may name whose template the set shows, all `apps/v1`; a
 * PodTemplate's is read as the selector's, which its labels must hold.
 */
const REFERENCED_KINDS: readonly string[] = ['Deployment', 'ReplicaSet'];

/** The settings of `workloadRef.scaleDown` under which Argo scales the referenced workload down itself. */
const SCALES_DOWN = ['onsuccess', 'progressively'];

/** Finds an object of the set by kind (in the apps group), namespace and name. */
export type FindWorkload = (kind: string, namespace: string, name: string) => ManifestObject | undefined;

/** The template a Rollout takes from the workload its `workloadRef` names, and that workload. */
export interface ReferencedTemplate {
  readonly template: Json;
  readonly from: ManifestObject;
  /**
   * Whether the Rollout replaces it: it runs no pods of its own (replicas 0, as Argo's migration
   * has it), or Argo scales it down as the Rollout comes up (`scaleDown`). Else, by default, both run.
   */
  readonly replaces: boolean;
}

/**
 * The template of the workload of the set that a Rollout's `workloadRef` names, in its namespace
 * (templateref.go); undefined where it names none of the set, or the Rollout has a template of its
 * own, which Argo refuses beside a `workloadRef`, so that the named workload runs as it is.
 */
export function referencedTemplate(rollout: ManifestObject, find: FindWorkload): ReferencedTemplate | undefined {
  const ref = own(rollout.spec, 'workloadRef');
  const name = text(ref, 'name');
  const kind = text(ref, 'kind');
  if (name === undefined || kind === undefined || own(rollout.spec, 'template') !== undefined) return undefined;
  const from = text(ref, 'apiVersion') === 'apps/v1' && REFERENCED_KINDS.includes(kind) ? find(kind, rollout.namespace, name) : undefined;
  const template = own(from?.spec, 'template');
  if (!from || !isObjectLike(template)) return undefined;
  return { template, from, replaces: own(from.spec, 'replicas') === 0 || SCALES_DOWN.includes(String(own(ref, 'scaleDown'))) };
}

/**
 * The label sets a Rollout's pods carry, from its spec with any referenced template in place: its
 * template's labels, else its selector's, which its pods must carry; and each of those with the
 * ephemeral labels of one kind of its pods added, of the strategy it runs (canary before blueGreen).
 */
export function rolloutLabelSets(spec: Json): ReadonlyMap<string, string>[] {
  const template = own(spec, 'template');
  const base = isObjectLike(template) ? labels(record(template, 'metadata'), 'labels') : labels(record(spec, 'selector'), 'matchLabels');
  const strategy = record(spec, 'strategy');
  const canary = own(strategy, 'canary');
  const [running, fields] = isObjectLike(canary) ? [canary, ['canaryMetadata', 'stableMetadata']] : [record(strategy, 'blueGreen'), ['activeMetadata', 'previewMetadata']];
  // Metadata without labels adds a copy of the template's, which the same pods carry.
  return [base, ...fields.map(field => new Map([...base, ...labels(own(running, field), 'labels')]))];
}

/**
 * The subsets of DestinationRules that a Rollout's canary traffic routing manages, as
 * `<namespace>/<rule> <subset>`, each with the Rollout's id: its controller adds the pod-template
 * hash of the stable or canary pods to their labels, so they take that Rollout's pods alone.
 */
export function managedSubsets(rollouts: readonly ManifestObject[]): ReadonlyMap<string, string> {
  const managed = new Map<string, string>();
  for (const rollout of rollouts) {
    const rule = record(record(record(record(record(rollout.spec, 'strategy'), 'canary'), 'trafficRouting'), 'istio'), 'destinationRule');
    const name = text(rule, 'name');
    if (name === undefined) continue;
    for (const field of ['canarySubsetName', 'stableSubsetName']) {
      const subset = text(rule, field);
      if (subset !== undefined) managed.set(subsetKey(rollout.namespace, name, subset), rollout.id);
    }
  }
  return managed;
}

export function subsetKey(namespace: string, rule: string, subset: string): string {
  return `${namespace}/${rule} ${subset}`;
}
