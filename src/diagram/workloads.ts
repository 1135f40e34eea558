import { Graph, ManifestObject, Workload, objectsOfKind } from '../verify/graph';
import { list, own, record, text } from '../verify/json';

/** What a diagram says about a workload that receives traffic. */
export interface WorkloadFacts {
  /** `Kind/namespace/name`, as verify names objects. */
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The images of the pod template's containers, in order; empty without a template. */
  readonly images: readonly string[];
  /** `2`, `auto`, `auto (HPA 2-4)` or `one per node`. */
  readonly replicas: string;
}

export function workloadFacts(graph: Graph, workload: Workload): WorkloadFacts {
  return {
    id: workload.id,
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
    images: imagesOf(workload),
    replicas: replicasOf(graph, workload),
  };
}

function imagesOf(workload: Workload): string[] {
  const pod = record(record(workload.spec, 'template'), 'spec');
  return list(pod, 'containers').map(container => text(container, 'image') ?? '(no image)');
}

/**
 * An autoscaler owns the count, so the manifest's `replicas` (if any) is only where it starts; a
 * workload without `replicas` leaves the count to whatever set it last.
 */
function replicasOf(graph: Graph, workload: Workload): string {
  if (workload.kind === 'DaemonSet') return 'one per node';
  const autoscaler = objectsOfKind(graph, 'autoscaling', 'HorizontalPodAutoscaler').find(o => targets(o, workload));
  if (autoscaler) {
    const min = own(autoscaler.spec, 'minReplicas') ?? 1;
    const max = own(autoscaler.spec, 'maxReplicas');
    return typeof min === 'number' && typeof max === 'number' ? `auto (HPA ${min}-${max})` : 'auto (HPA)';
  }
  const replicas = own(workload.spec, 'replicas');
  return typeof replicas === 'number' ? String(replicas) : 'auto';
}

function targets(autoscaler: ManifestObject, workload: Workload): boolean {
  const ref = record(autoscaler.spec, 'scaleTargetRef');
  const apiVersion = text(ref, 'apiVersion');
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return autoscaler.namespace === workload.namespace
    && text(ref, 'kind') === workload.kind
    && text(ref, 'name') === workload.name
    && (apiVersion === undefined || group === workload.group);
}
