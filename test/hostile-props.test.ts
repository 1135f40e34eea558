import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenApp, CanaryApp, IstioGateway, RouteMatch, RouteTarget, StringMatch } from '../src';
import { show } from '../src/validate';
import { PROP_ERROR } from './support/errors';
import { withValueAt } from './support/mangle';
import { schemaErrors } from './support/schemas';

/**
 * Every prop of the apps, given every kind of wrong JavaScript value, is refused with our error:
 * `<construct path>: <field> <problem>, got <value>; <fix>`, naming the field (or a field inside
 * it) and showing the value as it was given. The values a prop takes are listed with it, and must
 * synthesize.
 */

/** Each wrong value, and how our errors show it. */
const HOSTILE = {
  'null': { value: null, shown: 'null' },
  'undefined': { value: undefined, shown: 'nothing' },
  'a string': { value: 'x', shown: '"x"' },
  'a number': { value: 1, shown: '1' },
  'NaN': { value: NaN, shown: 'NaN' },
  'Infinity': { value: Infinity, shown: 'Infinity' },
  '-0': { value: -0, shown: '-0' },
  '2**31': { value: 2 ** 31, shown: '2147483648' },
  'a BigInt': { value: BigInt(1), shown: '1n' },
  'a Symbol': { value: Symbol('x'), shown: 'Symbol(x)' },
  'a function': { value: function hostile() { return 1; }, shown: 'function hostile' },
  '[]': { value: [], shown: '[]' },
  '{}': { value: {}, shown: '{}' },
  '[null]': { value: [null], shown: '[null]' },
  'a Date': { value: new Date(0), shown: 'new Date("1970-01-01T00:00:00.000Z")' },
  'a throwing getter': { value: { get boom(): never { throw new Error('boom'); } }, shown: '{"boom":a getter that throws}' },
} as const;

type Hostile = keyof typeof HOSTILE;

/**
 * What a prop takes of the wrong values, by its type. `open` objects are options whose fields are
 * all optional, and take an object with an unknown field as `{}`.
 */
const TAKES: { [kind: string]: Hostile[] } = {
  closed: [], // booleans, enums, Durations, class instances, objects with a required field, non-empty lists, patterns 'x' misses
  open: ['{}', 'a throwing getter'],
  list: ['[]'],
  map: ['{}', 'a throwing getter'],
  count: ['a number', '-0'],
  positive: ['a number'],
  text: ['a string'],
};

type Props = { [key: string]: unknown };

interface Row {
  /** The field as errors name it, e.g. `plan.steps[0]`, `podLabels.team` or `podAnnotations["example.com/owner"]`. */
  readonly field: string;
  readonly kind: keyof typeof TAKES;
  /** Whether it may be left out. */
  readonly optional: boolean;
  /** Valid props that reach the field, such as the list entry it is a field of. */
  readonly base: (chart: Chart) => Props;
  /** Values whose error is about another field, by what it must be. */
  readonly refusedAs: { readonly [name in Hostile]?: string };
}

const V1 = { image: 'reviews:1.0', version: 'v1' };
const V2 = { image: 'reviews:2.0', version: 'v2' };
const TESTER = { when: [RouteMatch.header('x-tester', StringMatch.exact('yes'))], to: RouteTarget.canary() };
const SIDECAR = { name: 'shipper', image: 'fluent-bit:3.1' };

function row(
  field: string, kind: keyof typeof TAKES, optional: boolean, base: Props | ((chart: Chart) => Props) = {}, refusedAs: Row['refusedAs'] = {},
): Row {
  return { field, kind, optional, base: typeof base === 'function' ? base : () => base, refusedAs };
}

/** Settings of the container at `prefix`: the main one's (`''` or a version's `canary.`), or a sidecar's (`sidecars[0].`). */
function container(prefix: string, settings: Props): Props {
  if (prefix === '') return settings;
  return prefix === 'canary.' ? { canary: { ...V2, ...settings } } : { sidecars: [{ ...SIDECAR, ...settings }] };
}

/** A volume of the pod and a mount of it, at `prefix`. */
function mounted(prefix: string): (chart: Chart) => Props {
  return chart => {
    const cache = kplus.Volume.fromEmptyDir(chart, 'Cache', 'cache');
    const mount = container(prefix, { volumeMounts: [{ volume: cache, path: '/cache' }] });
    return prefix === 'canary.' ? { canary: { ...mount.canary as Props, volumes: [cache] } } : { volumes: [cache], ...mount };
  };
}

/** The settings each container has, at `prefix`. */
function containerRows(prefix: string): Row[] {
  const at = (name: string) => `${prefix}${name}`;
  const base = container(prefix, {});
  return [
    row(at('args'), 'list', true, base), row(at('args[0]'), 'text', false, base),
    row(at('command'), 'list', true, base), row(at('command[0]'), 'text', false, base),
    row(at('workingDir'), 'closed', true, base),
    row(at('envFrom'), 'list', true, base), row(at('envFrom[0]'), 'closed', false, base),
    row(at('imagePullPolicy'), 'closed', true, base),
    row(at('readiness'), 'closed', true, base), row(at('liveness'), 'closed', true, base), row(at('startup'), 'closed', true, base),
    row(at('resources'), 'open', true, base), row(at('resources.cpu'), 'open', true, base), row(at('resources.cpu.request'), 'closed', true, base),
    row(at('resources.memory.limit'), 'closed', true, base), row(at('resources.ephemeralStorage'), 'open', true, base),
    row(at('securityContext'), 'open', true, base), row(at('securityContext.user'), 'count', true, base), row(at('securityContext.group'), 'count', true, base),
    row(at('securityContext.ensureNonRoot'), 'closed', true, base), row(at('securityContext.privileged'), 'closed', true, base),
    row(at('securityContext.readOnlyRootFilesystem'), 'closed', true, base), row(at('securityContext.allowPrivilegeEscalation'), 'closed', true, base),
    row(at('securityContext.capabilities'), 'open', true, base), row(at('securityContext.capabilities.drop'), 'list', true, base),
    row(at('securityContext.capabilities.add[0]'), 'closed', false, base),
    row(at('volumeMounts'), 'list', true, base), row(at('volumeMounts[0]'), 'closed', false, base),
    row(at('volumeMounts[0].volume'), 'closed', false, mounted(prefix)), row(at('volumeMounts[0].path'), 'closed', false, mounted(prefix)),
    row(at('volumeMounts[0].propagation'), 'closed', true, mounted(prefix)), row(at('volumeMounts[0].readOnly'), 'closed', true, mounted(prefix)),
    row(at('volumeMounts[0].subPath'), 'text', true, mounted(prefix)), row(at('volumeMounts[0].subPathExpr'), 'text', true, mounted(prefix)),
    row(at('lifecycle'), 'open', true, base), row(at('lifecycle.postStart'), 'closed', true, base),
  ];
}

/** What a version may set over the app's, at `prefix` (`''` for the app's own). */
function workloadRows(prefix: string): Row[] {
  const at = (name: string) => `${prefix}${name}`;
  const base = container(prefix, {});
  const port = container(prefix, { extraContainerPorts: [{ number: 9090 }] });
  return [
    row(at('env'), 'map', true, base), row(at('env.LOG_LEVEL'), 'closed', false, base),
    ...containerRows(prefix),
    row(at('extraContainerPorts'), 'list', true, base), row(at('extraContainerPorts[0]'), 'closed', false, base),
    row(at('extraContainerPorts[0].number'), 'positive', false, port), row(at('extraContainerPorts[0].name'), 'text', true, port),
    row(at('extraContainerPorts[0].protocol'), 'closed', true, port), row(at('extraContainerPorts[0].hostIp'), 'closed', true, port),
    row(at('extraContainerPorts[0].hostPort'), 'positive', true, port),
    row(at('volumes'), 'list', true, base), row(at('volumes[0]'), 'closed', false, base),
    row(at('podLabels'), 'map', true, base), row(at('podLabels.team'), 'text', false, base),
    row(at('podAnnotations'), 'map', true, base), row(at('podAnnotations["example.com/owner"]'), 'text', false, base),
  ];
}

function routingRows(): Row[] {
  const routed = { testerRoutes: [TESTER] };
  const mirrored = { canaryWeight: 0, mirror: { to: RouteTarget.canary() } };
  const retried = { routePolicy: { retries: { attempts: 3 } } };
  return [
    row('testerRoutes', 'list', true), row('testerRoutes[0]', 'closed', false), row('testerRoutes[0].when', 'closed', false, routed),
    row('testerRoutes[0].when[0]', 'closed', false, routed), row('testerRoutes[0].to', 'closed', false, routed),
    row('testerRoutes[0].name', 'text', true, routed),
    row('mirror', 'closed', true, { canaryWeight: 0 }), row('mirror.to', 'closed', false, mirrored), row('mirror.percentage', 'count', true, mirrored),
    row('routePolicy', 'open', true), row('routePolicy.timeout', 'closed', true), row('routePolicy.retries', 'closed', true),
    row('routePolicy.retries.attempts', 'count', false), row('routePolicy.retries.perTryTimeout', 'closed', true, retried),
    row('routePolicy.retries.retryOn', 'list', true, retried), row('routePolicy.retries.retryOn[0]', 'closed', false, retried),
    row('routePolicy.fault', 'open', true), row('routePolicy.fault.delay', 'closed', true), row('routePolicy.fault.delayPercentage', 'count', true),
    row('routePolicy.fault.abortHttpStatus', 'closed', true), row('routePolicy.fault.abortPercentage', 'count', true),
    row('trafficPolicy', 'open', true), row('trafficPolicy.loadBalancer', 'closed', true), row('trafficPolicy.tlsMode', 'closed', true),
    row('trafficPolicy.connectionPool', 'open', true), row('trafficPolicy.connectionPool.maxConnections', 'count', true),
    row('trafficPolicy.connectionPool.http1MaxPendingRequests', 'count', true), row('trafficPolicy.connectionPool.http2MaxRequests', 'count', true),
    row('trafficPolicy.connectionPool.maxRequestsPerConnection', 'count', true), row('trafficPolicy.connectionPool.connectTimeout', 'closed', true),
    row('trafficPolicy.outlierDetection', 'open', true), row('trafficPolicy.outlierDetection.consecutive5xxErrors', 'count', true),
    row('trafficPolicy.outlierDetection.interval', 'closed', true), row('trafficPolicy.outlierDetection.baseEjectionTime', 'closed', true),
    row('trafficPolicy.outlierDetection.maxEjectionPercent', 'count', true),
    row('stickySessions', 'open', true), row('stickySessions.cookieName', 'text', true), row('stickySessions.maxAge', 'closed', true),
  ];
}

function podRows(): Row[] {
  const sidecar = { sidecars: [SIDECAR] };
  const alias = { hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }] };
  const affinity = { nodeAffinity: [{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd')) }] };
  const spread = { topologySpread: [{ topology: kplus.Topology.ZONE }] };
  const sysctl = { podSecurityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } };
  const option = { dns: { options: [{ name: 'ndots' }] } };
  return [
    row('serviceAccount', 'closed', true), row('createServiceAccount', 'closed', true), row('automountServiceAccountToken', 'closed', true),
    row('initContainers', 'list', true), row('initContainers[0]', 'closed', false),
    row('sidecars', 'list', true), row('sidecars[0]', 'closed', false), row('sidecars[0].name', 'text', false, sidecar),
    row('sidecars[0].image', 'text', false, sidecar), row('sidecars[0].portNumber', 'positive', true, sidecar), row('sidecars[0].port', 'positive', true, sidecar),
    row('sidecars[0].ports', 'list', true, sidecar), row('sidecars[0].envVariables', 'map', true, sidecar),
    ...containerRows('sidecars[0].'),
    row('nodeSelector', 'map', true), row('nodeAffinity', 'list', true), row('nodeAffinity[0]', 'closed', false),
    row('nodeAffinity[0].node', 'closed', false, affinity), row('nodeAffinity[0].weight', 'positive', true, affinity),
    row('tolerations', 'list', true), row('tolerations[0]', 'closed', false),
    row('topologySpread', 'list', true), row('topologySpread[0]', 'closed', false), row('topologySpread[0].topology', 'closed', false, spread),
    row('topologySpread[0].maxSkew', 'positive', true, spread), row('topologySpread[0].whenUnsatisfiable', 'closed', true, spread),
    row('priorityClassName', 'text', true), row('imagePullSecrets', 'list', true), row('imagePullSecrets[0]', 'closed', false),
    row('podSecurityContext', 'open', true), row('podSecurityContext.user', 'count', true), row('podSecurityContext.group', 'count', true),
    row('podSecurityContext.fsGroup', 'count', true), row('podSecurityContext.ensureNonRoot', 'closed', true),
    row('podSecurityContext.fsGroupChangePolicy', 'closed', true), row('podSecurityContext.sysctls', 'list', true),
    row('podSecurityContext.sysctls[0]', 'closed', false), row('podSecurityContext.sysctls[0].name', 'text', false, sysctl),
    row('podSecurityContext.sysctls[0].value', 'text', false, sysctl),
    row('terminationGracePeriod', 'closed', true), row('shutdownDelay', 'closed', true),
    row('hostAliases', 'list', true), row('hostAliases[0]', 'closed', false), row('hostAliases[0].ip', 'closed', false, alias),
    row('hostAliases[0].hostnames', 'list', true, alias), row('hostAliases[0].hostnames[0]', 'text', false, alias),
    row('dns', 'open', true), row('dns.hostname', 'text', true), row('dns.subdomain', 'text', true), row('dns.hostnameAsFQDN', 'closed', true),
    row('dns.policy', 'closed', true), row('dns.nameservers', 'list', true), row('dns.nameservers[0]', 'closed', false),
    row('dns.searches', 'list', true), row('dns.searches[0]', 'text', false), row('dns.options', 'list', true), row('dns.options[0]', 'closed', false),
    row('dns.options[0].name', 'text', false, option), row('dns.options[0].value', 'text', true, option),
  ];
}

/** Rows every app has. */
function appRows(): Row[] {
  const gateway = { gateway: IstioGateway.fromName('istio-system/public') };
  const port = { additionalPorts: [{ port: 9090 }] };
  const autoscaled = { autoscaling: { maxReplicas: 10 } };
  return [
    row('name', 'text', true), row('namespace', 'text', true), row('port', 'positive', true), row('containerPort', 'positive', true),
    row('protocol', 'closed', true), row('additionalPorts', 'list', true), row('additionalPorts[0]', 'closed', false),
    row('additionalPorts[0].port', 'positive', false, port), row('additionalPorts[0].containerPort', 'positive', true, port),
    row('additionalPorts[0].protocol', 'closed', true, port), row('additionalPorts[0].name', 'closed', true, port),
    row('replicas', 'count', true, { stable: { ...V1, replicas: 2 }, canary: { ...V2, replicas: 2 } }), row('gateway', 'closed', true), row('hosts', 'closed', true, gateway), row('hosts[0]', 'closed', false, gateway),
    row('istioApiVersion', 'closed', true), row('disruptionBudget', 'closed', true), row('autoscaling', 'closed', true),
    row('autoscaling.maxReplicas', 'closed', false, autoscaled), row('autoscaling.cpuUtilization', 'positive', true, autoscaled),
    row('mtls', 'closed', true), row('controller', 'closed', true), row('trafficApi', 'closed', true), row('syncWaves', 'closed', true),
    row('dataPlane', 'closed', true), row('waypoint', 'closed', true, { dataPlane: 'ambient' }),
    ...routingRows(), ...workloadRows(''), ...podRows(),
  ];
}

function canaryRows(): Row[] {
  const routed = { testerRoutes: [TESTER] };
  // The plan sets the canary's weight.
  const planned = { canaryWeight: undefined, plan: { steps: [10, 50] } };
  const linear = { canaryWeight: undefined, plan: { linear: { stepWeight: 1 } } };
  const analysed = { canaryWeight: undefined, plan: { steps: [10], analysis: {} } };
  const hooked = { canaryWeight: undefined, plan: { steps: [10], flagger: { webhooks: [{ name: 'smoke', url: 'http://tester.shop/' }] } } };
  return [
    row('stable', 'closed', false), row('canary', 'closed', true, { canaryWeight: 0 }), row('canaryWeight', 'count', true),
    row('stable.image', 'text', false), row('stable.version', 'text', false), row('canary.replicas', 'positive', true),
    row('canary.routePolicy', 'open', true, routed), row('canary.routePolicy.timeout', 'closed', true, routed),
    row('canary.trafficPolicy', 'open', true), row('canary.trafficPolicy.connectionPool', 'open', true),
    ...workloadRows('canary.'),
    row('plan', 'closed', true, { canaryWeight: undefined }), row('plan.steps', 'closed', false, planned), row('plan.steps[0]', 'count', false, planned),
    row('plan.linear', 'closed', false, { canaryWeight: undefined, plan: {} }, {
      undefined: 'test/App: plan.steps must list at least one weight, got nothing; e.g. [10, 25, 50, 100], or give plan.linear',
    }), row('plan.linear.stepWeight', 'positive', false, linear), row('plan.linear.maxWeight', 'positive', true, linear),
    row('plan.pause', 'closed', true, planned), row('plan.analysis', 'open', true, planned),
    row('plan.analysis.interval', 'closed', true, analysed), row('plan.analysis.minSuccessRate', 'count', true, analysed),
    row('plan.analysis.maxRequestDuration', 'closed', true, analysed), row('plan.analysis.failureLimit', 'positive', true, analysed),
    row('plan.analysis.prometheusAddress', 'closed', true, analysed), row('plan.analysis.loadTestCommand', 'text', true, analysed),
    row('plan.analysis.loadTestTimeout', 'closed', true, { canaryWeight: undefined, plan: { steps: [10], analysis: { loadTestCommand: 'hey http://x/' } } }),
    row('plan.flagger', 'open', true, planned), row('plan.flagger.webhooks', 'list', true, planned), row('plan.flagger.webhooks[0]', 'closed', false, planned),
    row('plan.flagger.webhooks[0].name', 'text', false, hooked), row('plan.flagger.webhooks[0].url', 'closed', false, hooked),
    row('plan.flagger.webhooks[0].type', 'closed', true, hooked), row('plan.flagger.webhooks[0].timeout', 'closed', true, hooked),
    row('plan.flagger.webhooks[0].metadata', 'map', true, hooked), row('plan.flagger.loadTesterUrl', 'closed', true, planned),
    row('plan.flagger.progressDeadline', 'closed', true, planned),
    ...flaggerOptionRows(planned), ...argoOptionRows(planned),
    row('plan.argo.maxSurge', 'closed', true, planned), row('plan.argo.scaleDownDelay', 'closed', true, planned),
    row('plan.argo.dynamicStableScale', 'closed', true, planned), row('plan.argo.pauses', 'list', true, planned),
    row('plan.argo.pauses[0]', 'closed', false, planned), row('plan.argo.canaryScale', 'closed', true, planned),
    row('plan.argo.managedTesterRoutes', 'closed', true, planned),
    row('plan.analysis.metrics', 'list', true, analysed), row('plan.analysis.metrics[0]', 'closed', false, analysed),
    row('plan.iterations', 'positive', true, { canaryWeight: undefined, controller: 'flagger', testerRoutes: [TESTER], plan: { iterations: 5 } }, {
      undefined: 'test/App: plan.steps must list at least one weight, got nothing; e.g. [10, 25, 50, 100], or give plan.linear',
    }),
    row('step', 'count', true, planned), row('argoRouting', 'closed', true),
  ];
}

/** What only Flagger carries out, in a plan of either kind. */
function flaggerOptionRows(plan: Props): Row[] {
  const alerted = (base: Props) => withValueAt(base, 'plan.flagger.alerts', [{ name: 'team', provider: 'slack' }]);
  return [
    row('plan.flagger.primaryReadyThreshold', 'positive', true, plan), row('plan.flagger.canaryReadyThreshold', 'positive', true, plan),
    row('plan.flagger.stepWeightPromotion', 'positive', true, plan), row('plan.flagger.alerts', 'list', true, plan),
    row('plan.flagger.alerts[0]', 'closed', false, plan), row('plan.flagger.alerts[0].name', 'text', false, alerted(plan)),
    row('plan.flagger.alerts[0].provider', 'text', false, alerted(plan)), row('plan.flagger.alerts[0].providerNamespace', 'text', true, alerted(plan)),
    row('plan.flagger.alerts[0].severity', 'closed', true, alerted(plan)),
  ];
}

/** What only Argo Rollouts carries out, in a plan of either kind. */
function argoOptionRows(plan: Props): Row[] {
  const labelled = (base: Props) => withValueAt(base, 'plan.argo.newVersionPods', { labels: { role: 'canary' }, annotations: { note: 'new' } });
  return [
    row('plan.argo', 'open', true, plan), row('plan.argo.maxUnavailable', 'closed', true, plan), row('plan.argo.antiAffinity', 'closed', true, plan),
    row('plan.argo.newVersionPods', 'open', true, plan), row('plan.argo.newVersionPods.labels', 'map', true, plan),
    row('plan.argo.newVersionPods.labels.role', 'text', false, labelled(plan)), row('plan.argo.newVersionPods.annotations.note', 'text', false, labelled(plan)),
    row('plan.argo.servingVersionPods', 'open', true, plan), row('plan.argo.abortScaleDownDelay', 'closed', true, plan),
    row('plan.argo.analysisTemplates', 'list', true, plan), row('plan.argo.analysisTemplates[0]', 'closed', false, plan),
  ];
}

function blueGreenRows(): Row[] {
  const gateway = { gateway: IstioGateway.fromName('istio-system/public'), hosts: ['web.example.com'] };
  return [
    row('blue', 'closed', false), row('green', 'closed', false), row('green.image', 'text', false), row('green.replicas', 'count', true),
    row('active', 'closed', true), row('cutover', 'closed', true), row('scaledDown', 'closed', true), row('scaledDownReplicas', 'count', true, { scaledDown: 'green' }),
    row('preview', 'open', true), row('preview.header', 'text', true), row('preview.headerValue', 'text', true), row('preview.host', 'closed', true, gateway),
    row('plan', 'open', true), row('plan.autoPromotion', 'closed', true), row('plan.scaleDownDelay', 'closed', true), row('plan.iterations', 'positive', true),
    row('plan.analysis', 'open', true), row('plan.flagger', 'open', true), row('step', 'count', true, { plan: {} }),
    ...flaggerOptionRows({ plan: {} }), ...argoOptionRows({ plan: {} }),
    row('plan.argo.previewReplicas', 'positive', true, { plan: {} }), row('plan.argo.autoPromotionDelay', 'closed', true, { plan: {} }),
    row('plan.argo.postPromotionAnalysis', 'closed', true, { plan: {} }),
  ];
}

type AppKind = 'canary' | 'blue-green';

const BASE: { [kind in AppKind]: Props } = {
  'canary': { stable: V1, canary: V2, canaryWeight: 10 },
  'blue-green': { blue: V1, green: V2 },
};

/**
 * 'accepted' where the app synthesizes objects that fit their schemas, else our error's field and
 * value; an error of another kind, or an invalid object, is a problem as it is.
 */
function outcome(kind: AppKind, props: (chart: Chart) => Props): 'accepted' | { field: string; value: string; message: string } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  try {
    if (kind === 'canary') new CanaryApp(chart, 'App', props(chart) as never);
    else new BlueGreenApp(chart, 'App', props(chart) as never);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const parts = PROP_ERROR.exec(message);
    const ours = error instanceof Error && Object.getPrototypeOf(error) === Error.prototype && parts?.groups!.path === 'test/App';
    return ours ? { field: parts!.groups!.field, value: parts!.groups!.value, message } : { field: '(not our error)', value: '', message };
  }
  const errors = schemaErrors(Testing.synth(chart));
  return errors.length === 0 ? 'accepted' : { field: '(invalid objects)', value: '', message: errors.join('; ') };
}

/**
 * Where an error about `field` may point: at the field itself, or at one inside it. The checks
 * of a list of hosts, which the gateways share, name the list for each host.
 */
function within(errorField: string, field: string): boolean {
  return errorField === field || errorField.startsWith(`${field}.`) || errorField.startsWith(`${field}[`) || `${errorField}[0]` === field;
}

/** What differs from the row's rule, value by value: a value taken that should be refused, or refused otherwise than by our error. */
function problems(kind: AppKind, r: Row): string[] {
  const takes = new Set<Hostile>([...TAKES[r.kind], ...(r.optional ? ['undefined' as const] : [])]);
  const found: string[] = [];
  for (const [name, { value, shown }] of Object.entries(HOSTILE) as [Hostile, { value: unknown; shown: string }][]) {
    const result = outcome(kind, chart => withValueAt({ ...BASE[kind], ...r.base(chart) }, r.field, value));
    // Where a field is taken, its object may be read whole, as a map's entries are, or copied:
    // the getter's own error then reaches the caller unchanged, as from any code that reads it.
    const refusedAs = r.refusedAs[name];
    if (refusedAs !== undefined) {
      if (result === 'accepted' || result.message !== refusedAs) found.push(`${name}: ${result === 'accepted' ? 'accepted' : result.message}`);
    } else if (result === 'accepted' || (takes.has(name) && result.message === 'boom')) {
      if (!takes.has(name)) found.push(`${name}: accepted`);
    } else if (takes.has(name)) {
      found.push(`${name}: refused: ${result.message}`);
    } else if (!within(result.field, r.field) || (result.field === r.field && result.value !== shown)) {
      found.push(`${name}: ${result.message}`);
    }
  }
  return found;
}

describe('every prop refuses every wrong JavaScript value with our error, which names it and shows the value as given', () => {
  test.each([...appRows(), ...canaryRows()].map(r => [r.field, r] as const))('CanaryApp %s', (_, r) => {
    expect(problems('canary', r)).toEqual([]);
  });
  test.each(blueGreenRows().map(r => [r.field, r] as const))('BlueGreenApp %s', (_, r) => {
    expect(problems('blue-green', r)).toEqual([]);
  });
});

describe('the cases the fuzz found, each refused with its full message', () => {
  const canary = (props: Props) => (chart: Chart) => new CanaryApp(chart, 'App', { ...BASE.canary, ...props } as never);
  const blueGreen = (props: Props) => (chart: Chart) => new BlueGreenApp(chart, 'App', { ...BASE['blue-green'], ...props } as never);
  const analysed = (analysis: Props) => ({ canaryWeight: undefined, plan: { steps: [10], analysis } });
  test.each([
    ['the gateway is given by name', canary({ gateway: 'istio-system/gw' }),
      'gateway must be an IstioGateway, or one that IstioGateway.fromName() makes, got "istio-system/gw"; use IstioGateway.fromName("istio-system/gw") for a gateway by name'],
    ['the gateway is a plain object without hosts', canary({ gateway: { gatewayRef: 'istio-system/gw' } }),
      'gateway must be an IstioGateway, or one that IstioGateway.fromName() makes, got {"gatewayRef":"istio-system/gw"}; '
      + 'use IstioGateway.fromName("istio-system/ingressgateway") for a gateway by name'],
    ['the gateway is a plain object of an IIstioGateway\'s shape, which no chart holds', canary({ gateway: { gatewayRef: 'istio-system/gw', hosts: ['shop.example.com'] } }),
      'gateway must be an IstioGateway, or one that IstioGateway.fromName() makes, got {"gatewayRef":"istio-system/gw","hosts":["shop.example.com"]}; '
      + 'use IstioGateway.fromName("istio-system/ingressgateway") for a gateway by name'],
    ['the gateway\'s reference is not a string', canary({ gateway: { gatewayRef: 1, hosts: [] } }),
      'gateway must be an IstioGateway, or one that IstioGateway.fromName() makes, got {"gatewayRef":1,"hosts":[]}; '
      + 'use IstioGateway.fromName("istio-system/ingressgateway") for a gateway by name'],
    ['additional ports are an object', canary({ additionalPorts: {} }), 'additionalPorts must be a list, got {}; e.g. [{ port: 9090, protocol: Protocol.GRPC }]'],
    ['an additional port is null', canary({ additionalPorts: [null] }), 'additionalPorts[0] must be an object, got null; e.g. { port: 9090, protocol: Protocol.GRPC }'],
    ['the mirror is null', canary({ mirror: null }), 'mirror must be an object, got null; e.g. { to: RouteTarget.canary() }'],
    ['the mirror is 0', canary({ canaryWeight: 0, mirror: 0 }), 'mirror must be an object, got 0; e.g. { to: RouteTarget.canary() }'],
    ['retryOn is one string', canary({ routePolicy: { retries: { attempts: 2, retryOn: '5xx' } } }), 'routePolicy.retries.retryOn must be a list, got "5xx"; e.g. ["5xx", "reset"]'],
    ['the port is a BigInt', canary({ port: BigInt(8080) }), 'port must be an integer port from 1 to 65535, got 8080n; use a port such as 80 or 8080'],
    ['the canary weight is a BigInt', canary({ canaryWeight: BigInt(10) }), 'canaryWeight must be a whole percentage from 0 to 100, got 10n; use an integer such as 10'],
    ['the disruption budget is a plain object', canary({ disruptionBudget: { field: 'minAvailable', amount: 1, percent: false } }),
      'disruptionBudget must be a DisruptionBudget, got {"field":"minAvailable","amount":1,"percent":false}; use e.g. DisruptionBudget.minAvailable(1)'],
    ['the name is a Symbol', canary({ name: Symbol('web') }), 'name must be a DNS-1035 label (a lower-case letter, then letters, digits and "-", at most 63), got Symbol(web); e.g. "web"'],
    ['an argument is a number', canary({ args: [1] }), 'args[0] must be a string, got 1; write the list as e.g. ["--port", "8080"]'],
    ['retry attempts are beyond int32', canary({ routePolicy: { retries: { attempts: 2 ** 31 } } }),
      'routePolicy.retries.attempts must be a whole number, 0 or more, got 2147483648; use e.g. 3'],
    ['the connection pool is NaN', canary({ trafficPolicy: { connectionPool: NaN } }), 'trafficPolicy.connectionPool must be an object, got NaN; e.g. { maxConnections: 100 }'],
    ['the most ejected pods have a decimal percentage', canary({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 99.5 } } }),
      'trafficPolicy.outlierDetection.maxEjectionPercent must be a whole percentage from 0 to 100, got 99.5; use an integer such as 10'],
    ['the Prometheus address is a number', canary(analysed({ prometheusAddress: 9090 })),
      'plan.analysis.prometheusAddress must be an absolute http or https URL, got 9090; e.g. "http://prometheus.istio-system:9090"'],
    ['the Prometheus address has no scheme', canary(analysed({ prometheusAddress: 'prometheus:9090' })),
      'plan.analysis.prometheusAddress must be an absolute http or https URL, got "prometheus:9090"; e.g. "http://prometheus.istio-system:9090"'],
    ['the load test command is a list', canary(analysed({ loadTestCommand: ['hey', 'http://x/'] })),
      'plan.analysis.loadTestCommand must be a string, got ["hey","http://x/"]; e.g. "hey -z 1m http://shop-canary.shop/"'],
    ['sticky sessions are "yes"', canary({ stickySessions: 'yes' }), 'stickySessions must be an object, got "yes"; e.g. { maxAge: Duration.hours(1) }'],
    ['the preview is "yes"', blueGreen({ preview: 'yes' }), 'preview must be an object, got "yes"; e.g. { header: "x-preview" }'],
    ['the route policy is "fast"', canary({ routePolicy: 'fast' }), 'routePolicy must be an object, got "fast"; e.g. { timeout: Duration.seconds(5), retries: { attempts: 3 } }'],
    ['the canary\'s props are null', (chart: Chart) => new CanaryApp(chart, 'App', null as never),
      'props must be an object, got null; e.g. { stable: { image: "nginx:1.11", version: "1.11" } }'],
    ['the canary\'s props are a string', (chart: Chart) => new CanaryApp(chart, 'App', 'reviews' as never),
      'props must be an object, got "reviews"; e.g. { stable: { image: "nginx:1.11", version: "1.11" } }'],
    ['the blue/green\'s props are a number', (chart: Chart) => new BlueGreenApp(chart, 'App', 5 as never),
      'props must be an object, got 5; e.g. { blue: { image: "nginx:1.10", version: "1.10" }, green: { image: "nginx:1.11", version: "1.11" } }'],
    ['the blue/green\'s props are left out', (chart: Chart) => new BlueGreenApp(chart, 'App', undefined as never),
      'props must be an object, got nothing; e.g. { blue: { image: "nginx:1.10", version: "1.10" }, green: { image: "nginx:1.11", version: "1.11" } }'],
    ['the stable version is a list', canary({ stable: [V1] }), 'stable must be an object, got [{"image":"reviews:1.0","version":"v1"}]; e.g. { image: "nginx:1.11", version: "1.11" }'],
    ['the canary is its version label', canary({ canary: 'v2' }), 'canary must be an object, got "v2"; e.g. { image: "nginx:1.11", version: "1.11" }'],
    ['the canary is null', canary({ canary: null, canaryWeight: 0 }), 'canary must be an object, got null; e.g. { image: "nginx:1.11", version: "1.11" }'],
    ['the green colour is a string, and scaled down', blueGreen({ green: 'v2', scaledDown: 'green' }),
      'green must be an object, got "v2"; e.g. { image: "nginx:1.11", version: "1.11" }'],
  ])('fails when %s', (_, build, message) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    expect(() => build(chart)).toThrow(new Error(`test/App: ${message}`));
  });

  test.each([
    ['nodeSelector', { nodeSelector: { disk: 'ssd' } }, (pod: any) => pod.spec.nodeSelector],
    ['podLabels', { podLabels: { team: 'x' } }, (pod: any) => pod.metadata.labels.team && { team: pod.metadata.labels.team }],
    ['podAnnotations', { podAnnotations: { note: 'x' } }, (pod: any) => pod.metadata.annotations.note && { note: pod.metadata.annotations.note }],
  ])('a %s without a prototype, as the fuzz made one (seed 1), is taken as the map it holds', (_, props, read) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const [key, map] = Object.entries(props)[0];
    new CanaryApp(chart, 'App', { ...BASE.canary, [key]: Object.assign(Object.create(null), map) } as never);
    const template = Testing.synth(chart).find(o => o.kind === 'Deployment').spec.template;
    expect(read(template)).toEqual(map);
  });

  test('a JavaScript caller gets the hint to IstioGateway.fromName, and the app takes the gateway it makes', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new CanaryApp(chart, 'App', { ...BASE.canary, gateway: IstioGateway.fromName('istio-system/gw'), hosts: ['reviews.example.com'] } as never);
    const service = Testing.synth(chart).find(o => o.kind === 'VirtualService');
    expect(service.spec.gateways).toEqual(['istio-system/gw', 'mesh']);
  });
});

describe('show: a value as an error shows it, as given and on one line, whatever it is', () => {
  class Order { public readonly id = 1; }
  const circular: { [key: string]: unknown } = { name: 'loop' };
  circular.self = circular;
  const shared = { n: 1 };
  const sparse: unknown[] = [];
  sparse.length = 1e9;
  const failing = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
  test.each([
    ['nothing', undefined, 'nothing'],
    ['null', null, 'null'],
    ['0', 0, '0'],
    ['-0', -0, '-0'],
    ['NaN', NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a BigInt', BigInt(-3), '-3n'],
    ['a Symbol', Symbol('x'), 'Symbol(x)'],
    ['a Symbol with a line break', Symbol('a\nb'), 'Symbol(a\\nb)'],
    ['a named function', function port() { return 80; }, 'function port'],
    ['an anonymous function', [() => 80][0], 'a function'],
    ['a string, quoted', 'a "b"\n', '"a \\"b\\"\\n"'],
    ['a string with a line separator, which JSON leaves raw', 'a\u2028b', '"a\\u2028b"'],
    ['a boolean', false, 'false'],
    ['a long string, cut', 'x'.repeat(500), `"${'x'.repeat(199)}…`],
    ['a list with a hole and numbers JSON has no notation for', [, NaN, -0, Infinity, BigInt(1)], '[nothing,NaN,-0,Infinity,1n]'],
    ['an object, without its undefined fields', { a: undefined, b: [1, { c: 'd' }] }, '{"b":[1,{"c":"d"}]}'],
    ['an object without a prototype', Object.assign(Object.create(null), { a: 1 }), '{"a":1}'],
    ['a circular object', circular, '{"name":"loop","self":a circular reference}'],
    ['one object twice, which is not circular', [shared, shared], '[{"n":1},{"n":1}]'],
    ['a getter that throws', { a: 1, get boom(): never { throw new Error('boom'); } }, '{"a":1,"boom":a getter that throws}'],
    ['a Date', new Date(0), 'new Date("1970-01-01T00:00:00.000Z")'],
    ['an invalid Date', new Date(NaN), 'new Date(NaN)'],
    ['a Duration, as Istio writes it', Duration.millis(1500), '"1500ms"'],
    ['an object with toJSON, as it writes itself', RouteTarget.version('v2'), '"RouteTarget.version(\\"v2\\")"'],
    ['an instance of a class', new Order(), 'an Order'],
    ['an instance of a class inside an object', { order: new Map() }, '{"order":a Map}'],
    ['an instance of a class without a name', new (class { })(), 'an object'],
    ['a proxy whose traps throw', failing, 'a value that can\'t be shown'],
  ])('shows %s', (_, value, shown) => {
    expect(show(value)).toBe(shown);
  });

  test('cuts a long list short, at about as many characters as a string', () => {
    const list = Array.from({ length: 1000 }, (_, i) => i);
    expect(show(list)).toBe(`${JSON.stringify(list).slice(0, 200)}…`);
  });

  test('reads no more of a list than it shows, however long the list', () => {
    expect(show(sparse)).toBe(`[${Array(26).fill('nothing').join(',')},…]`.slice(0, 200) + '…');
  });

  test('shows an object cut short after the fields that fit', () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, i]));
    expect(show(wide)).toBe(`${JSON.stringify(wide).slice(0, 200)}…`);
  });
});
