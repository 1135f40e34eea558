import { ApiObjectProps, Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import type { FleetWave, ResolvedManifests } from '../fleet';
import { ReleaseController } from '../plan';

/**
 * A fleet release as Argo CD runs it: one `argoproj.io/v1alpha1` ApplicationSet that makes an
 * Application per cluster, labelled with the cluster's wave, and a `RollingSync` strategy with
 * one step per wave. Argo CD syncs a step's Applications, and the next step's once they are all
 * Healthy. By Argo CD's built-in health checks (resource_customizations argoproj.io/Rollout and
 * flagger.app/Canary), a Rollout is Progressing or Suspended until its release is done, so the next
 * wave waits for it; a Flagger Canary is Progressing only once Flagger's next check has seen the new
 * revision, and reads Healthy until then, so the next wave may start before its analysis. RollingSync
 * syncs itself, without automated sync, and prunes as `automated.prune` says. Progressive syncs must
 * be on in the ApplicationSet controller (`--enable-progressive-syncs`).
 */

/** The ApplicationSet's API, as Argo CD v3.5 serves it. */
export const ARGO_CD_APPLICATION_SET = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' };

/** The label on each Application that names its wave, which the RollingSync steps select. */
export const WAVE_LABEL = 'cdk8s-istio-release/wave';

/** The file cdk8s writes a chart to: what Argo CD applies of a folder that holds several charts. */
export function chartFile(app: Construct): string {
  return `${Names.toDnsLabel(Chart.of(app))}.k8s.yaml`;
}

/** The repository and project every Application syncs from. */
export interface ArgoCdSource {
  readonly repoUrl: string;
  readonly branch: string;
  readonly project: string;
}

export function argoCdApplicationSet(
  name: string, namespace: string, source: ArgoCdSource, waves: readonly FleetWave[], manifests: readonly ResolvedManifests[],
): ApiObjectProps {
  const sources = manifests.map(entry => ({
    repoURL: source.repoUrl,
    targetRevision: source.branch,
    path: entry.path,
    directory: directoryOf(entry),
  }));
  return {
    ...ARGO_CD_APPLICATION_SET,
    metadata: { name, namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: waves.flatMap(generators),
      strategy: {
        type: 'RollingSync',
        rollingSync: {
          steps: waves.map(wave => ({
            matchExpressions: [{ key: WAVE_LABEL, operator: 'In', values: [wave.name] }],
            maxUpdate: wave.maxUpdate,
          })),
        },
      },
      template: {
        // A cluster Secret's name may hold characters a name can't; Argo CD gives the normalized one.
        metadata: { name: `${name}-{{.nameNormalized}}`, labels: { [WAVE_LABEL]: '{{.values.wave}}' } },
        spec: {
          project: source.project,
          ...sources.length === 1 ? { source: sources[0] } : { sources },
          destination: { name: '{{.name}}', namespace: manifests.find(entry => entry.targetNamespace !== undefined)?.targetNamespace },
          ignoreDifferences: ignoredDifferences(manifests),
          // RollingSync turns automated sync off and prunes as it says: objects gone from Git go from the clusters.
          syncPolicy: { automated: { prune: true }, syncOptions: ['RespectIgnoreDifferences=true'] },
        },
      },
    },
  };
}

/**
 * A wave's clusters, each with the wave's name as a value that the template writes into the
 * Application's wave label: Argo CD's cluster Secrets by label (without labels, every cluster
 * Argo CD knows, its own `in-cluster` too), and clusters by name in a list whose elements have the
 * same parameters (`name`, `nameNormalized`, `values.wave`).
 */
function generators(wave: FleetWave): Record<string, unknown>[] {
  const values = { wave: wave.name };
  const labels = wave.clusterLabels ?? {};
  const names = wave.clusterNames ?? [];
  const byLabel = Object.keys(labels).length > 0 || names.length === 0
    ? [{ clusters: { selector: Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : undefined, values } }]
    : [];
  const byName = names.length > 0 ? [{ list: { elements: names.map(cluster => ({ name: cluster, nameNormalized: cluster, values })) } }] : [];
  return [...byLabel, ...byName];
}

/** A release app's own chart file, of a folder that cdk8s wrote every chart to. */
function directoryOf(entry: ResolvedManifests): Record<string, unknown> | undefined {
  const include = entry.include ?? (entry.app && chartFile(entry.app));
  return include === undefined ? undefined : { include };
}

/**
 * What the controllers change in the cluster after Argo CD applied it, which Argo CD would
 * otherwise show as drift and undo on the next sync: Flagger scales its target Deployment to zero;
 * Argo Rollouts writes the weights of the VirtualService and the pod-template hash into the
 * Services' selectors and the subsets' labels.
 */
function ignoredDifferences(manifests: readonly ResolvedManifests[]): Record<string, unknown>[] | undefined {
  const ignored = manifests.flatMap(entry => {
    const model = entry.model;
    if (!model) return [];
    const at = { namespace: model.namespace };
    switch (model.controller) {
      case ReleaseController.FLAGGER:
        return [{ group: 'apps', kind: 'Deployment', name: model.name, ...at, jsonPointers: ['/spec/replicas'] }];
      case ReleaseController.ARGO_ROLLOUTS:
        return [
          { group: 'networking.istio.io', kind: 'VirtualService', ...at, jqPathExpressions: ['.spec.http[].route[].weight', '.spec.tcp[]?.route[].weight'] },
          { group: 'networking.istio.io', kind: 'DestinationRule', ...at, jqPathExpressions: ['.spec.subsets[].labels["rollouts-pod-template-hash"]'] },
          { kind: 'Service', ...at, jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
        ];
      default:
        return [];
    }
  });
  return ignored.length > 0 ? ignored : undefined;
}
