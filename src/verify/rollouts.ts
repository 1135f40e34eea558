/**
 * The pods of an Argo Rollout, as its controller labels them: the template of the workload a
 * `workloadRef` names where the Rollout has none (templateref.go), the ephemeral labels of its
 * stable and canary, or active and preview, pods (ephemeralmetadata.go), and the
 * `rollouts-pod-template-hash` it puts on every pod, on the Services it switches and on the
 * subsets of the DestinationRule it manages (istio.go UpdateHash). Manifests show none of those
 * labels on the pods themselves.
 */

import type { ManifestObject } from './graph';
import { isObjectLike, labels, own, record, text } from './json';

export const ROLLOUT_HASH = 'rollouts-pod-template-hash';

export function isRollout(object: ManifestObject): boolean {
  return object.group === 'argoproj.io' && object.kind === 'Rollout';
}

/**
 * The kinds a Rollout's `workloadRef` may name whose template the set shows, by API group; a
 * PodTemplate's is read as the selector's, which its labels must hold.
 */
const REFERENCED_KINDS: ReadonlyMap<string, readonly string[]> = new Map([['apps', ['Deployment', 'ReplicaSet']]]);

/** The object of the set that a Rollout's `workloadRef` names, in its namespace; undefined where it names none of the set. */
export function referencedWorkload(rollout: ManifestObject, objects: (group: string, kind: string) => readonly ManifestObject[]): ManifestObject | undefined {
  const ref = own(rollout.spec, 'workloadRef');
  const name = text(ref, 'name');
  const kind = text(ref, 'kind');
  if (name === undefined || kind === undefined) return undefined;
  const group = (text(ref, 'apiVersion') ?? '').split('/').slice(0, -1).join('/');
  if (!REFERENCED_KINDS.get(group)?.includes(kind)) return undefined;
  return objects(group, kind).find(o => o.namespace === rollout.namespace && o.name === name);
}

/**
 * The label sets a Rollout's pods carry: those of its template, else of the referenced workload's,
 * else its selector's, which its pods must carry; and each of those with the ephemeral labels of
 * one kind of its pods added.
 */
export function rolloutLabelSets(rollout: ManifestObject, referenced: ManifestObject | undefined): ReadonlyMap<string, string>[] {
  const base = templateLabels(rollout) ?? (referenced && templateLabels(referenced)) ?? labels(record(rollout.spec, 'selector'), 'matchLabels');
  const strategy = record(rollout.spec, 'strategy');
  const ephemeral = [
    ...['canaryMetadata', 'stableMetadata'].map(field => own(record(strategy, 'canary'), field)),
    ...['activeMetadata', 'previewMetadata'].map(field => own(record(strategy, 'blueGreen'), field)),
  ].filter(isObjectLike).map(metadata => labels(metadata, 'labels')).filter(extra => extra.size > 0);
  return [base, ...ephemeral.map(extra => new Map([...base, ...extra]))];
}

/** A pod template's labels; undefined without a template. */
function templateLabels(object: ManifestObject): ReadonlyMap<string, string> | undefined {
  const template = own(object.spec, 'template');
  return isObjectLike(template) ? labels(record(template, 'metadata'), 'labels') : undefined;
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
