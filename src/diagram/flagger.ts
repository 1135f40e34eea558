import { Graph, ManifestObject, objectsOfKind } from '../verify/graph';
import { MESH, resolveGatewayRef, resolveHost, serviceFqdn } from '../verify/hosts';
import { list, own, record, text } from '../verify/json';
import { matchLines } from './matches';
import { Entrance, Flow, Picture, Rule, Target } from './model';
import { WorkloadFacts, workloadFacts } from './workloads';

/**
 * A Flagger Canary as a picture: Flagger makes the routes, the Services `<name>-primary` and
 * `<name>-canary` and the primary Deployment in the cluster, so none is in the manifests, but the
 * Canary says what they will be. Between releases the primary, a copy of the target's pods, takes
 * all traffic; a release runs the target's new pods as the canary, and the plan says how traffic
 * moves to it.
 */

export function flaggerCanaries(graph: Graph): readonly ManifestObject[] {
  return objectsOfKind(graph, 'flagger.app', 'Canary');
}

export function flaggerPicture(graph: Graph, canary: ManifestObject): Picture {
  const service = record(canary.spec, 'service');
  const analysis = record(canary.spec, 'analysis');
  const target = targetWorkload(graph, canary);
  const name = text(service, 'name') ?? text(record(canary.spec, 'targetRef'), 'name') ?? canary.name;
  const host = serviceFqdn(name, canary.namespace);
  const hosts = list(service, 'hosts').filter((h): h is string => typeof h === 'string').map(h => resolveHost(h, canary.namespace));
  const primary = roleTarget(canary, name, 'primary', target && { ...target, id: `${target.id}-primary`, name: `${target.name}-primary` });
  const canaryTarget = roleTarget(canary, name, 'canary', target);
  const testers = list(analysis, 'match');
  const servicePort = own(service, 'port');
  const port = typeof servicePort === 'number' ? servicePort : undefined;
  const plan = planLine(analysis);
  const rules: Rule[] = [
    ...testers.length > 0 ? [{
      protocol: 'http' as const, index: 0, name: 'A/B testers',
      conditions: matchLines({ match: testers }, canary.namespace), plan: ['during a release only'],
      action: undefined, flows: [{ mirror: false, port, share: 'during a release 100%', target: canaryTarget }],
    }] : [],
    {
      protocol: 'http', index: testers.length > 0 ? 1 : 0, name: 'primary',
      conditions: [testers.length > 0 ? 'all other requests' : 'all requests'], plan: [plan],
      action: undefined,
      flows: [
        { mirror: false, port, share: '100% between releases', target: primary },
        ...canaryFlows(analysis, canaryTarget).map(flow => ({ ...flow, port })),
      ],
    },
  ];
  return {
    title: `Canary ${canary.namespace}/${canary.name}`,
    namespace: canary.namespace,
    entrances: entrances(graph, canary, service),
    hosts: [...new Set([...hosts, host])],
    rules,
  };
}

/**
 * What a release sends the canary of the requests no tester route takes: the steps; with blue/green
 * none while it is checked, then all of them just before the promotion (Flagger's runBlueGreen);
 * with A/B testing none. A mirror copies requests to it.
 */
function canaryFlows(analysis: unknown, target: Target): Flow[] {
  const weights = stepWeights(analysis);
  const abTesting = list(analysis, 'match').length > 0;
  const share = weights.length > 0 ? `${weights.join('% → ')}% in a release` : abTesting ? undefined : '0%, 100% to promote';
  const flows: Flow[] = share === undefined ? [] : [{ mirror: false, share, target }];
  return own(analysis, 'mirror') === true ? [...flows, { mirror: true, share: `mirror ${numberOr(own(analysis, 'mirrorWeight'), 100)}%`, target }] : flows;
}

/** `stepWeights`, or `stepWeight` up to `maxWeight` (Flagger's defaults: 0 steps without stepWeight); none for blue/green and A/B. */
function stepWeights(analysis: unknown): number[] {
  const listed = list(analysis, 'stepWeights').filter((w): w is number => typeof w === 'number');
  if (listed.length > 0) return listed;
  const step = own(analysis, 'stepWeight');
  if (typeof step !== 'number' || step <= 0 || own(analysis, 'iterations') !== undefined) return [];
  const max = numberOr(own(analysis, 'maxWeight'), 100);
  const weights: number[] = [];
  for (let w = step; w <= max && weights.length < 100; w += step) weights.push(w);
  return weights;
}

/** What a release does, in Flagger's words: the steps, or the iterations of blue/green and A/B testing, then the promotion. */
function planLine(analysis: unknown): string {
  const weights = stepWeights(analysis);
  const interval = text(analysis, 'interval') ?? '1m';
  const iterations = own(analysis, 'iterations');
  if (typeof iterations === 'number') {
    const kind = list(analysis, 'match').length > 0 ? 'A/B testing' : 'blue/green';
    return `plan: ${kind}, ${iterations} checks every ${interval}, then promote`;
  }
  return weights.length > 0 ? `plan: canary ${weights.join('% → ')}%, a step every ${interval}, then promote` : 'plan: none';
}

function roleTarget(canary: ManifestObject, name: string, role: 'primary' | 'canary', workload: WorkloadFacts | undefined): Target {
  const serviceName = `${name}-${role}`;
  return {
    key: `flagger ${role}`,
    kind: 'host',
    host: serviceFqdn(serviceName, canary.namespace),
    subset: undefined,
    subsetLabels: undefined,
    service: undefined,
    ownHost: false,
    workloads: workload ? [workload] : [],
    role: role === 'primary' ? 'stable (primary)' : 'canary',
    label: [`Service ${serviceName}`, `${role === 'primary' ? 'stable' : 'canary'}, made by Flagger`],
  };
}

/** The Deployment the Canary targets, as the canary's pods; none when it is not in the set. */
function targetWorkload(graph: Graph, canary: ManifestObject): WorkloadFacts | undefined {
  const ref = record(canary.spec, 'targetRef');
  const workload = graph.workloads.find(w => w.namespace === canary.namespace && w.kind === text(ref, 'kind') && w.name === text(ref, 'name'));
  return workload && workloadFacts(graph, workload);
}

/** Istio's `gateways` (mesh included), or the Gateway API's `gatewayRefs`, whose Service parents are the mesh. */
function entrances(graph: Graph, canary: ManifestObject, service: unknown): Entrance[] {
  const gateways = list(service, 'gateways').filter((g): g is string => typeof g === 'string').map(g => (g === MESH ? g : resolveGatewayRef(g, canary.namespace)));
  const refs = list(service, 'gatewayRefs').map(ref => (text(ref, 'kind') === 'Service' ? MESH : `${text(ref, 'namespace') ?? canary.namespace}/${text(ref, 'name')}`));
  const all = [...new Set([...gateways, ...refs])];
  return (all.length > 0 ? all : [MESH]).map(gateway => ({
    gateway,
    external: gateway !== MESH && !graph.gateways.has(gateway) && !graph.kubernetesGateways.has(gateway),
  }));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
