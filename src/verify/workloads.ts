import { Graph, ManifestObject, Workload, podsOfService, serviceSelector, workloadsIn } from './graph';
import { isObjectLike, own } from './json';
import { isRollout } from './rollouts';
import { formatLabels, isEmptySelector, labelSelectorMatches, nearestMiss, readLabelSelector, selects } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Checks that Services and workloads agree on pod labels: the Kubernetes half of the route graph. */
export function checkWorkloads(graph: Graph, settings: Settings): Finding[] {
  return [
    ...graph.workloads.flatMap(checkWorkloadSelector),
    ...graph.services.flatMap(service => {
      const selector = serviceSelector(service);
      // Without a selector the endpoints are managed by hand (or it is an ExternalName): nothing to match.
      if (selector.size === 0) return [];
      if (podsOfService(graph, service).length > 0 || selectsExternalGateway(settings, service, selector)) return [];
      return [finding('service-selects-nothing', service.id, 'spec.selector',
        `selector ${formatLabels(selector)} matches the pod template of no workload in namespace ${service.namespace}, `
        + `so the service has no endpoints; change it to labels the pods carry${nearestMiss(selector, workloadsIn(graph, service.namespace))}`)];
    }),
  ];
}

/**
 * Whether a Service selects gateway pods declared outside the set (Istio's default install unless
 * the options say otherwise), in its namespace or where their namespace is not known: a Service in
 * front of the ingress gateway, as Knative's local gateway is, has those pods for endpoints.
 */
function selectsExternalGateway(settings: Settings, service: ManifestObject, selector: ReadonlyMap<string, string>): boolean {
  return settings.externalGatewayWorkloads.some(pods => (pods.namespace ?? service.namespace) === service.namespace && selects(selector, pods.labels));
}

/** Only the pre-apps/v1 APIs defaulted a missing selector to the template labels. */
const SELECTOR_DEFAULTED = new Set(['extensions/v1beta1', 'apps/v1beta1']);

/**
 * A workload without a pod template (a Rollout with `workloadRef`) takes its pods, and checks, from
 * elsewhere; a Pod is its own one pod and has no selector.
 */
function checkWorkloadSelector(workload: Workload): Finding[] {
  const pods = workload.podLabels;
  if (!pods || workload.kind === 'Pod') return [];
  const written = own(workload.spec, 'selector');
  const selector = isObjectLike(written) ? readLabelSelector(written) : undefined;
  if (!selector || isEmptySelector(selector)) {
    if (SELECTOR_DEFAULTED.has(workload.apiVersion)) return [];
    return [finding('workload-selector-missing', workload.id, 'spec.selector',
      `${workload.apiVersion} ${workload.kind} needs a non-empty spec.selector: without one, ${refusal(workload)}; `
      + `select the pod template's labels (${formatLabels(pods)})`)];
  }
  if (labelSelectorMatches(selector, pods)) return [];
  return [finding('workload-selector-mismatch', workload.id, 'spec.selector',
    `spec.selector does not match the pod template labels (${formatLabels(pods)}), so ${refusal(workload)}; `
    + `make every matchLabels entry and matchExpression hold for spec.template.metadata.labels`)];
}

/** Who refuses a workload whose selector is wrong: the API server, but the Rollout CRD lets it through, and Argo's controller marks it InvalidSpec (ValidateRolloutSpec). */
function refusal(workload: Workload): string {
  return isRollout(workload) ? 'Argo Rollouts refuses it (InvalidSpec) and runs no pods' : 'the API server rejects it';
}
