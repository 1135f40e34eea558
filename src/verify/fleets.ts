/**
 * Releases across a fleet of clusters: what each wave's clusters receive. Argo CD's RollingSync
 * syncs only the Applications that one of its steps selects by label; an ApplicationSet whose
 * generators make Applications that no step selects leaves their clusters on the old release.
 * Kurator makes a Flagger Canary in each cluster from an Application's rollout policy, after it
 * reads the Service it names from that cluster, and the Canary targets the workload it names:
 * where the synced manifests are in the set, they must hold both.
 * Istio has no analyzer for either; the engines report them only while the release runs.
 */

import { Graph, ManifestObject } from './graph';
import { isObjectLike, labels, list, own, record, text } from './json';
import { Finding, finding } from './types';

/** Checks every ApplicationSet's waves and every Kurator Application's rollout targets. */
export function checkFleets(graph: Graph): Finding[] {
  return graph.objects.flatMap(object => {
    if (isApplicationSet(object)) return checkWaves(object);
    if (isKuratorApplication(object)) return checkRollouts(graph, object);
    return [];
  });
}

/** Argo CD's ApplicationSet; its group's other kinds (Argo Rollouts', Argo CD's Application) are no fleet. */
export function isApplicationSet(object: ManifestObject): boolean {
  return object.group === 'argoproj.io' && object.kind === 'ApplicationSet';
}

/** Kurator's Application, not Argo CD's of the same kind. */
export function isKuratorApplication(object: ManifestObject): boolean {
  return object.group === 'apps.kurator.dev' && object.kind === 'Application';
}

/** A template label whose value is a generator parameter under `values`: `{{.values.wave}}`, or `{{values.wave}}` without goTemplate. */
const VALUES_PARAMETER = /^\{\{\s*\.?values\.([\w-]+)\s*\}\}$/;

function checkWaves(set: ManifestObject): Finding[] {
  const strategy = record(set.spec, 'strategy');
  if (text(strategy, 'type') !== 'RollingSync') return [];
  const steps = list(record(strategy, 'rollingSync'), 'steps');
  const templateLabels = labels(record(record(set.spec, 'template'), 'metadata'), 'labels');
  return list(set.spec, 'generators').flatMap((generator, i) => {
    const made = labelSets(generator, templateLabels);
    // A label the steps could read is made some other way (a cluster's own labels, a matrix): not known here.
    if (made === undefined) return [];
    const unsynced = made.find(applied => !steps.some(step => selects(step, applied)));
    if (unsynced === undefined) return [];
    const shown = [...unsynced].map(([key, value]) => `${key}=${value}`).join(', ') || 'no labels';
    return [finding('fleet-wave-unsynced', set.id, `spec.generators[${i}]`,
      `the applications this generator makes (labelled ${shown}) are selected by no step of spec.strategy.rollingSync, `
      + 'so rollingsync never syncs them and their clusters keep the old release; add a step whose matchExpressions select them')];
  });
}

/**
 * The label sets of the Applications a generator makes, where the template's labels are literal
 * or the generator's `values`: one for a cluster generator, one per element of a list generator.
 */
export function labelSets(generator: unknown, template: ReadonlyMap<string, string>): ReadonlyMap<string, string>[] | undefined {
  const clusters = own(generator, 'clusters');
  const elements = isObjectLike(own(generator, 'list')) ? list(record(generator, 'list'), 'elements') : undefined;
  const parameters = clusters !== undefined ? [record(clusters, 'values')] : elements?.map(element => record(element, 'values'));
  if (parameters === undefined) return undefined;
  const sets = parameters.map(values => resolveLabels(template, values));
  return sets.every((set): set is Map<string, string> => set !== undefined) ? sets : undefined;
}

function resolveLabels(template: ReadonlyMap<string, string>, values: unknown): Map<string, string> | undefined {
  const resolved = new Map<string, string>();
  for (const [key, value] of template) {
    if (!value.includes('{{')) {
      resolved.set(key, value);
      continue;
    }
    const parameter = VALUES_PARAMETER.exec(value)?.[1];
    const given = parameter === undefined ? undefined : text(values, parameter);
    if (given === undefined) return undefined;
    resolved.set(key, given);
  }
  return resolved;
}

/**
 * A RollingSync step selects an Application as Argo CD's ApplicationSet controller decides it
 * (getAppStep, labelMatchedExpression), not as Kubernetes selectors do: where the Application has
 * the label, only `In` (a value listed) and `NotIn` (none listed) can hold; where it lacks the label,
 * only `In` fails, whatever the operator.
 */
export function selects(step: unknown, applied: ReadonlyMap<string, string>): boolean {
  return list(step, 'matchExpressions').every(expression => {
    const operator = text(expression, 'operator');
    const key = text(expression, 'key');
    const value = key === undefined ? undefined : applied.get(key);
    if (value === undefined) return operator !== 'In';
    const listed = list(expression, 'values').includes(value);
    return operator === 'In' ? listed : operator === 'NotIn' && !listed;
  });
}

function checkRollouts(graph: Graph, application: ManifestObject): Finding[] {
  return list(application.spec, 'syncPolicies').flatMap((policy, i) => {
    const rollout = own(policy, 'rollout');
    return isObjectLike(rollout) ? checkRolloutTargets(graph, application, rollout, `spec.syncPolicies[${i}].rollout`) : [];
  });
}

/**
 * The workload and Service of a rollout, where the set holds the namespace they live in. Kurator
 * reads the Service from each cluster before it makes the Canary, and requeues without one; the
 * Canary it makes targets the workload, which Flagger must find.
 */
function checkRolloutTargets(graph: Graph, application: ManifestObject, rollout: unknown, at: string): Finding[] {
  const workload = record(rollout, 'workload');
  const namespace = text(workload, 'namespace') ?? application.namespace;
  const inSet = graph.objects.some(o => o.namespace === namespace && o !== application);
  if (!inSet) return [];
  const kind = text(workload, 'kind') ?? 'Deployment';
  const name = text(workload, 'name');
  const fix = 'add it to the synced manifests or fix the name';
  if (!graph.workloads.some(w => w.kind === kind && w.namespace === namespace && w.name === name)) {
    return [finding('fleet-rollout-target-missing', application.id, `${at}.workload.name`,
      `${kind} ${namespace}/${name} is not in the manifests of namespace ${namespace}, so the canary kurator makes in each cluster `
      + `targets nothing and the release never starts; ${fix}`)];
  }
  const serviceName = text(rollout, 'serviceName');
  if (!graph.services.some(s => s.namespace === namespace && s.name === serviceName)) {
    return [finding('fleet-rollout-target-missing', application.id, `${at}.serviceName`,
      `service ${namespace}/${serviceName} is not in the manifests of namespace ${namespace}, so kurator, which reads it from each cluster, `
      + `never makes the canary and the release never starts; ${fix}`)];
  }
  return [];
}
