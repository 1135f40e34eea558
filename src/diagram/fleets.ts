import { Facts, Graph, ManifestObject } from '../verify/graph';
import { isObjectLike, labels, list, own, record, text } from '../verify/json';
import { isApplicationSet, isKuratorApplication, labelSets, selects } from '../verify/fleets';
import { formatLabels } from '../verify/selectors';
import { Flowchart } from './mermaid';
import type { Picture } from './model';
import { alignTable } from './table';
import { asText } from './text';

/**
 * A fleet release as a picture: the folders of Git that the engine applies, and the waves of
 * clusters that get them, in order. Argo CD's RollingSync holds each wave until every Application
 * of the one before is Healthy; Kurator applies every sync policy at once.
 */

/** What a fleet picture shows. */
export interface FleetModel {
  /** The engine and the object it reads, as the picture's first box names them: `Argo CD ApplicationSet argocd/payments`. */
  readonly engine: string;
  /** `<repository> @ <revision>`. */
  readonly repository: string;
  readonly folders: readonly FolderModel[];
  readonly waves: readonly WaveModel[];
  /** Whether each wave waits for the one before it to be Healthy. */
  readonly gated: boolean;
}

export interface FolderModel {
  /** The folder and the files of it applied. */
  readonly lines: readonly string[];
  /** What a controller releases from it, as the engine says: Kurator's rollout policy, in short form. */
  readonly release: readonly string[];
}

export interface WaveModel {
  readonly name: string;
  /** The clusters: names, `label=value` selectors, or every cluster. */
  readonly clusters: readonly string[];
  /** How many clusters of the wave sync at once; undefined for all. */
  readonly atOnce?: string;
}

export function fleetObjects(graph: Graph): ManifestObject[] {
  return graph.objects.filter(o => isApplicationSet(o) || isKuratorApplication(o));
}

export function fleetPicture(object: ManifestObject): Picture {
  return {
    title: `${object.kind} ${object.namespace}/${object.name}`,
    namespace: object.namespace,
    entrances: [],
    hosts: [],
    rules: [],
    fleet: isApplicationSet(object) ? applicationSet(object) : kuratorApplication(object),
  };
}

function applicationSet(set: ManifestObject): FleetModel {
  const template = record(record(set.spec, 'template'), 'spec');
  const sources = isObjectLike(own(template, 'source')) ? [record(template, 'source')] : list(template, 'sources');
  const folders = sources.map(source => ({
    lines: [text(source, 'path') ?? '(repository root)', ...optional('include', text(record(source, 'directory'), 'include'))],
    release: [],
  }));
  const first = sources[0];
  const strategy = record(set.spec, 'strategy');
  const rolling = text(strategy, 'type') === 'RollingSync';
  return {
    engine: `Argo CD ApplicationSet ${set.namespace}/${set.name}`,
    repository: `${text(first, 'repoURL') ?? '(no repository)'} @ ${text(first, 'targetRevision') ?? 'HEAD'}`,
    folders,
    waves: rolling ? rollingWaves(set, strategy) : [{ name: 'all at once', clusters: list(set.spec, 'generators').flatMap(clustersOf) }],
    gated: rolling,
  };
}

/** Each RollingSync step as a wave, with the clusters of the generators whose Applications it selects. */
function rollingWaves(set: ManifestObject, strategy: unknown): WaveModel[] {
  const templateLabels = labels(record(record(set.spec, 'template'), 'metadata'), 'labels');
  const generators = list(set.spec, 'generators');
  return list(record(strategy, 'rollingSync'), 'steps').map((step, i) => {
    const chosen = generators.filter(generator => labelSets(generator, templateLabels)?.some(applied => selects(step, applied)));
    const maxUpdate = own(step, 'maxUpdate');
    return {
      name: stepName(step) ?? `step ${i + 1}`,
      clusters: chosen.length > 0 ? chosen.flatMap(clustersOf) : ['no clusters'],
      atOnce: typeof maxUpdate === 'number' || typeof maxUpdate === 'string' ? String(maxUpdate) : undefined,
    };
  });
}

/** The values a step selects with `In`: the wave's name, as `Fleet` writes it. */
function stepName(step: unknown): string | undefined {
  const values = list(step, 'matchExpressions').filter(e => text(e, 'operator') === 'In').flatMap(e => list(e, 'values')).map(asText);
  return values.length > 0 ? values.join(', ') : undefined;
}

function clustersOf(generator: unknown): string[] {
  const clusters = own(generator, 'clusters');
  if (clusters !== undefined) {
    const selector = labels(record(clusters, 'selector'), 'matchLabels');
    return [selector.size > 0 ? `clusters with ${formatLabels(selector)}` : 'every cluster'];
  }
  const elements = list(record(generator, 'list'), 'elements');
  const names = elements.map(element => text(element, 'name')).filter((name): name is string => name !== undefined);
  return names.length > 0 ? names : ['clusters of another generator'];
}

function kuratorApplication(application: ManifestObject): FleetModel {
  const git = record(record(application.spec, 'source'), 'gitRepository');
  const ref = record(git, 'ref');
  const policies = list(application.spec, 'syncPolicies');
  const waves = new Map<string, WaveModel>();
  for (const policy of policies) {
    const destination = record(policy, 'destination');
    const selector = labels(record(destination, 'clusterSelector'), 'matchLabels');
    const fleet = text(destination, 'fleet') ?? '(no fleet)';
    const clusters = selector.size > 0 ? `clusters of fleet ${fleet} with ${formatLabels(selector)}` : `every cluster of fleet ${fleet}`;
    if (!waves.has(clusters)) waves.set(clusters, { name: selector.size > 0 ? formatLabels(selector) : 'all', clusters: [clusters] });
  }
  return {
    engine: `Kurator Application ${application.namespace}/${application.name}`,
    repository: `${text(git, 'url') ?? '(no repository)'} @ ${text(ref, 'branch') ?? text(ref, 'tag') ?? text(ref, 'commit') ?? 'HEAD'}`,
    folders: policies.map(policy => {
      const kustomization = record(policy, 'kustomization');
      return {
        lines: [text(kustomization, 'path') ?? '(repository root)', ...optional('into', text(kustomization, 'targetNamespace'))],
        release: rolloutLines(own(policy, 'rollout')),
      };
    }),
    waves: [...waves.values()],
    gated: false,
  };
}

/** The units of Flagger's built-in metrics: a percentage of requests, and milliseconds of P99. */
const METRIC_UNITS: { readonly [name: string]: string } = { 'request-success-rate': '%', 'request-duration': 'ms' };

/** Kurator's rollout policy in short form: who releases what, how it moves, and what it checks. */
function rolloutLines(rollout: unknown): string[] {
  if (!isObjectLike(rollout)) return [];
  const workload = record(rollout, 'workload');
  const policy = record(rollout, 'rolloutPolicy');
  const routing = record(policy, 'trafficRouting');
  const analysis = record(policy, 'trafficAnalysis');
  const strategy = record(routing, 'canaryStrategy');
  const steps = list(strategy, 'stepWeights');
  const stepWeight = own(strategy, 'stepWeight');
  const interval = own(analysis, 'checkIntervalSeconds');
  const moves = steps.length > 0 ? `canary ${steps.map(w => `${asText(w)}%`).join(' → ')}`
    : typeof stepWeight === 'number' ? `canary +${stepWeight}% to ${asText(own(strategy, 'maxWeight') ?? 100)}%`
      : `${list(routing, 'match').length > 0 ? 'A/B test' : 'blue/green'}: ${asText(own(routing, 'analysisTimes') ?? 0)} checks`;
  const checks = list(analysis, 'metrics').map(metric => {
    const range = record(metric, 'thresholdRange');
    const name = text(metric, 'name') ?? 'metric';
    const unit = METRIC_UNITS[name] ?? '';
    const bounds = [['≥', own(range, 'min')], ['≤', own(range, 'max')]].filter(([, value]) => value !== undefined);
    return [name, ...bounds.map(([sign, value]) => `${asText(sign)} ${asText(value)}${unit}`)].join(' ');
  });
  return [
    `Flagger by Kurator: ${text(workload, 'kind') ?? 'Deployment'} ${text(workload, 'namespace') ?? ''}/${text(workload, 'name') ?? ''}`,
    `${moves}${typeof interval === 'number' ? ` every ${interval}s` : ''}`,
    ...checks,
  ];
}

/**
 * The Canary Kurator makes in each cluster from each rollout policy (rollout_helper.go: renderCanary,
 * renderCanaryService, renderCanaryAnalysis), with the fields a picture reads, to draw as Flagger's.
 */
export function kuratorCanaries(application: ManifestObject): ManifestObject[] {
  return list(application.spec, 'syncPolicies').flatMap(policy => {
    const rollout = own(policy, 'rollout');
    if (!isObjectLike(rollout)) return [];
    const workload = record(rollout, 'workload');
    const routing = record(record(rollout, 'rolloutPolicy'), 'trafficRouting');
    const strategy = record(routing, 'canaryStrategy');
    const interval = own(record(record(rollout, 'rolloutPolicy'), 'trafficAnalysis'), 'checkIntervalSeconds');
    const name = text(workload, 'name') ?? application.name;
    const namespace = text(workload, 'namespace') ?? application.namespace;
    const spec = {
      targetRef: { apiVersion: text(workload, 'apiVersion'), kind: text(workload, 'kind') ?? 'Deployment', name },
      service: { name: text(rollout, 'serviceName'), port: own(rollout, 'port'), gateways: own(routing, 'gateways'), hosts: own(routing, 'hosts') },
      analysis: {
        interval: typeof interval === 'number' ? `${interval}s` : undefined,
        iterations: own(routing, 'analysisTimes'),
        match: own(routing, 'match'),
        stepWeight: own(strategy, 'stepWeight'),
        stepWeights: own(strategy, 'stepWeights'),
        maxWeight: own(strategy, 'maxWeight'),
      },
    };
    return [{
      entry: application.entry, group: 'flagger.app', apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name,
      id: `Canary/${namespace}/${name}`, metadata: { name, namespace }, spec: JSON.parse(JSON.stringify(spec)), status: {}, facts: new Facts(),
    }];
  });
}

function optional(label: string, value: string | undefined): string[] {
  return value === undefined ? [] : [`${label} ${value}`];
}

/**
 * The picture as a flowchart: folders → engine → waves, each wave after the one before when the
 * engine gates them; top to bottom, as waves follow one another, so that it fits GitHub's width.
 */
export function fleetMermaid(title: string, fleet: FleetModel): string {
  const chart = new Flowchart('', new Map(), 'TB');
  const engine = chart.node('engine', 'fleet', 'stadium', [fleet.engine, fleet.repository]);
  fleet.folders.forEach((folder, i) => chart.edge(chart.node(`folder ${i}`, `folder_${i}`, 'lean', [...folder.lines, ...folder.release]), engine));
  let before = engine;
  fleet.waves.forEach((wave, i) => {
    const node = chart.node(`wave ${i}`, `wave_${i}`, 'square', [`wave ${i + 1}: ${wave.name}`, ...wave.clusters, ...wave.atOnce === undefined ? [] : [`${wave.atOnce} at a time`]]);
    chart.edge(fleet.gated ? before : engine, node, fleet.gated && i > 0 ? 'once Healthy' : undefined);
    before = node;
  });
  return chart.render(title);
}

const HEADER = ['WAVE', 'CLUSTERS', 'PARALLEL', 'AFTER', 'FOLDER', 'RELEASE'];

/** One row per wave and folder. */
export function fleetTable(fleet: FleetModel): string {
  const folders = fleet.folders.length > 0 ? fleet.folders : [{ lines: ['-'], release: [] }];
  const rows = fleet.waves.flatMap((wave, i) => folders.map((folder, j) => j === 0
    ? [`${i + 1}: ${wave.name}`, wave.clusters.join(', '), wave.atOnce ?? 'all', fleet.gated && i > 0 ? `wave ${i} Healthy` : '-', folder.lines.join(' '), folder.release.join('; ') || '-']
    : ['', '', '', '', folder.lines.join(' '), folder.release.join('; ') || '-']));
  return alignTable([HEADER, ...rows]);
}
