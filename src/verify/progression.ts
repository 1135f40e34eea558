import { buildGraph, Graph, ManifestObject, ruleHost, subsetDefinition } from './graph';
import { forgettingNames } from './hosts';
import { labels } from './json';
import { claimedHosts } from './routes';
import { settingsFrom } from './settings';
import { Finding, finding, VerifyOptions } from './types';
import { isScaledToZero, receivers, routedSubsets } from './traffic';
import { manifestFindings } from './verify-manifests';

/** A finding about one step of a progression; `stage` is its index in the list given. */
export interface StageFinding extends Finding {
  /** The index of the step in the list given to `Verify.progression` (`verifyProgression`), from 0. */
  readonly stage: number;
}

/**
 * The findings of `Verify.progression`, without its checks of the arguments: each step on its
 * own, and each step against the one before, so that no step breaks traffic that the previous
 * one left flowing (make before break).
 */
export function progressionFindings(stages: readonly (readonly unknown[])[], options?: VerifyOptions): StageFinding[] {
  return forgettingNames(() => {
    const defaultNamespace = settingsFrom(options).defaultNamespace;
    const graphs = stages.map(objects => buildGraph(objects, defaultNamespace));
    return stages.flatMap((objects, stage) => [
      ...manifestFindings(objects, options),
      ...(stage > 0 ? checkStep(graphs[stage - 1], graphs[stage]) : []),
    ].map(f => ({ ...f, stage })));
  });
}

function checkStep(before: Graph, after: Graph): Finding[] {
  return [...renamed(before, after), ...routedBeforePods(before, after), ...subsetsRemovedWhileRouted(before, after)];
}

/** Routes take effect in seconds, pods take longer: traffic may only go where pods already ran. */
function routedBeforePods(before: Graph, after: Graph): Finding[] {
  const ranPods = new Set(before.workloads.filter(w => !isScaledToZero(w)).map(w => w.id));
  return routedSubsets(after).filter(r => r.weight > 0).flatMap(r => receivers(after, r)
    .filter(w => !ranPods.has(w.id))
    .map(w => finding('route-before-pods', r.vs.id, r.path,
      `${r.weight}% goes to ${w.id}, which ran no pods in the previous step (it was new or scaled to 0), so requests fail `
      + 'until its pods are ready; run its pods at weight 0 in one step and route to it in the next')));
}

function subsetsRemovedWhileRouted(before: Graph, after: Graph): Finding[] {
  return routedSubsets(before)
    .filter(r => r.weight > 0 && r.subset !== undefined && !subsetDefinition(after, r.host, r.subset))
    .map(r => finding('subset-removed-while-routed', r.vs.id, r.path,
      `subset ${r.subset} of ${r.host} took ${r.weight}% in the previous step and is gone in this one, so that share fails with 503 `
      + 'until the new routes arrive; route 0% to it in one step and remove it in the next'));
}

/**
 * What each object is, apart from its name: a workload its pod labels, a Service its selector, a
 * DestinationRule its host, a VirtualService its hosts. Keyed with group, kind and namespace, so
 * that a renamed object is found by what it still is.
 */
function identities(graph: Graph): Map<string, ManifestObject> {
  const sorted = (map: ReadonlyMap<string, string>) => (map.size > 0 ? JSON.stringify([...map].sort()) : undefined);
  const pairs: [ManifestObject, string | undefined][] = [
    ...graph.workloads.map((w): [ManifestObject, string | undefined] => [w, w.podLabels && sorted(w.podLabels)]),
    ...graph.services.map((o): [ManifestObject, string | undefined] => [o, sorted(labels(o.spec, 'selector'))]),
    ...graph.destinationRules.map((o): [ManifestObject, string | undefined] => [o, ruleHost(o)]),
    ...graph.virtualServices.map((o): [ManifestObject, string | undefined] => [o, JSON.stringify(claimedHosts(o).map(h => h.host).sort())]),
  ];
  return new Map(pairs.flatMap(([o, id]) => (id === undefined ? [] : [[identityKey(o, id), o]])));
}

function identityKey(o: ManifestObject, identity: string): string {
  return JSON.stringify([o.group, o.kind, o.namespace, identity]);
}

/** A rename deletes and recreates the object, which drops its traffic or restarts its pods. */
function renamed(before: Graph, after: Graph): Finding[] {
  const existed = new Set(before.objects.map(o => o.id));
  const kept = new Set(after.objects.map(o => o.id));
  const previous = identities(before);
  return [...identities(after)].flatMap(([key, added]) => {
    const old = previous.get(key);
    return old && !existed.has(added.id) && !kept.has(old.id) ? [finding('object-renamed', added.id, 'metadata.name',
      `${added.kind} ${old.name} of the previous step is named ${added.name} in this one; a rename deletes and recreates `
      + `the object, which drops its traffic or restarts its pods; keep the name ${old.name}`)] : [];
  });
}
