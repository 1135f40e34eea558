import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Canary,
  CanarySpec,
  CanarySpecAnalysis,
  CanarySpecAnalysisMatch,
  CanarySpecAnalysisMetrics,
  CanarySpecAnalysisWebhooks,
  CanarySpecAnalysisWebhooksType,
  CanarySpecAutoscalerRefKind,
  CanarySpecProvider,
  CanarySpecService,
  CanarySpecTargetRefKind,
  toJson_CanarySpec,
} from '../../imports/flagger.app';
import { AnalysisModel, ControllerPlanModel, isHttpProtocol, ReleaseModel, releaseVersion, Strategy, VersionModel, versionOf, WebhookModel } from '../model';
import { MESH } from '../verify/hosts';
import { metadataOf } from './istio';
import { FlaggerWebhookType } from '../plan';
import { MatchSpec } from '../routing';
import { fail } from '../validate';
import { renderDeployment } from '../workloads';
import { RenderedRelease } from './release';

/**
 * The release model as Flagger runs it. We emit one Deployment `<name>`, whose pod template is the
 * version being released, and a Canary that says how Flagger analyses and promotes it. Flagger makes
 * the rest: the Deployment `<name>-primary` that serves, the Services `<name>`, `<name>-primary` and
 * `<name>-canary`, and the DestinationRules and VirtualService. Emitting any of those ourselves
 * would fight Flagger over them.
 *
 * Flagger picks its strategy from the analysis fields it finds: `stepWeight` or `stepWeights`
 * make a canary, `iterations` a blue/green, and `match` with `iterations` A/B testing, in which
 * the weights are ignored (flagger#1777).
 */

/** The gateway name that binds a VirtualService to every sidecar. */

/** What Flagger does with a release: its four ways, picked by the analysis fields. */
type Flow = 'canary' | 'ab-testing' | 'blue-green' | 'promote-at-once';

/**
 * Flagger's own default for failed checks before a rollback. Its CRD requires a threshold, and one
 * of iterations, stepWeight or stepWeights, even where no check runs.
 */
const DEFAULT_THRESHOLD = 1;

/** How long Flagger waits for a webhook that has no timeout of its own. */
const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

const WEBHOOK_TYPES: Record<FlaggerWebhookType, CanarySpecAnalysisWebhooksType> = {
  [FlaggerWebhookType.CONFIRM_ROLLOUT]: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_ROLLOUT,
  [FlaggerWebhookType.PRE_ROLLOUT]: CanarySpecAnalysisWebhooksType.PRE_HYPHEN_ROLLOUT,
  [FlaggerWebhookType.ROLLOUT]: CanarySpecAnalysisWebhooksType.ROLLOUT,
  [FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE]: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_TRAFFIC_HYPHEN_INCREASE,
  [FlaggerWebhookType.CONFIRM_PROMOTION]: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_PROMOTION,
  [FlaggerWebhookType.POST_ROLLOUT]: CanarySpecAnalysisWebhooksType.POST_HYPHEN_ROLLOUT,
  [FlaggerWebhookType.ROLLBACK]: CanarySpecAnalysisWebhooksType.ROLLBACK,
  [FlaggerWebhookType.EVENT]: CanarySpecAnalysisWebhooksType.EVENT,
};

/**
 * A webhook as the Canary writes it, with the props fields behind it, so that a refusal can name
 * the field to change.
 */
interface Hook {
  readonly spec: CanarySpecAnalysisWebhooks;
  /** The field that asked for the webhook. */
  readonly field: string;
  /** The field that sets its timeout, where one does. */
  readonly timeoutField?: string;
  readonly timeoutSeconds?: number;
}

export function renderFlagger(scope: Construct, model: ReleaseModel): RenderedRelease {
  // The apps resolve a plan whenever a controller is set.
  const plan = model.plan!;
  const release = releaseVersion(model);
  refuseWorkloadOptions(scope, model, release);
  refuseRoutingOptions(scope, model, release);
  const deployment = renderTarget(scope, model, release);
  const canary = new ApiObject(scope, 'Canary', {
    ...Canary.GVK,
    metadata: metadataOf(model),
    spec: canarySpec(scope, model, plan),
  });
  return { deployments: [deployment], extraServices: [], canary };
}

/**
 * The Deployment Flagger watches: the released version's workload, under the app's name. It
 * selects the `app` label alone, as Flagger requires; the selector of a Deployment can't change,
 * and this one stays the same from release to release. The pods keep their `version` label, which
 * Flagger copies to the primary's pods on promotion.
 */
function renderTarget(scope: Construct, model: ReleaseModel, release: VersionModel): ApiObject {
  const deployment = renderDeployment(scope, model, { ...release, id: 'Deployment', deploymentName: model.name });
  deployment.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { ...model.selector }));
  return deployment;
}

function canarySpec(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): Record<string, unknown> {
  const flow = flowOf(scope, model, plan);
  if (model.mirror) checkMirror(scope, model.mirror.percentage, flow);
  if (flow === 'blue-green' && plan.analysis && !sendsTraffic(plan)) refuseSilentBlueGreen(scope, model);
  const spec: CanarySpec = {
    // Explicit, because Flagger's default provider is whatever it was installed with.
    provider: CanarySpecProvider.ISTIO,
    metricsServer: plan.analysis?.prometheusAddress,
    progressDeadlineSeconds: plan.flagger?.progressDeadlineSeconds,
    targetRef: { apiVersion: 'apps/v1', kind: CanarySpecTargetRefKind.DEPLOYMENT, name: model.name },
    autoscalerRef: model.policies.autoscaling && {
      apiVersion: 'autoscaling/v2', kind: CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: model.name,
    },
    service: service(model),
    skipAnalysis: flow === 'promote-at-once' || undefined,
    analysis: analysis(scope, model, plan, flow),
  };
  const json = toJson_CanarySpec(spec)!;
  // Added as plain JSON after the typed conversion, which renames consecutive5xxErrors to
  // consecutive5XxErrors and drops the fields it does not know.
  json.service.trafficPolicy = model.trafficPolicy;
  return json;
}

function flowOf(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): Flow {
  const canary = model.strategy === Strategy.CANARY;
  if (model.matchRoutes.length > 0) {
    if (canary && plan.steps.length > 0) {
      const weights = weightsField(plan);
      fail(scope, 'testerRoutes', `make Flagger run A/B testing, which ignores ${weights} (flagger#1777): testers would get `
        + 'the new version and everyone else none of it', model.matchRoutes.map(r => r.name),
      `leave testerRoutes out for a weighted canary, or ${weights} out for A/B testing`);
    }
    return 'ab-testing';
  }
  if (!canary) return 'blue-green';
  // A controller without a plan promotes at once (see CanaryApp).
  return plan.steps.length > 0 ? 'canary' : 'promote-at-once';
}

/** The plan field that holds the canary's weights, for errors. */
function weightsField(plan: ControllerPlanModel): string {
  return plan.linear ? 'plan.linear' : 'plan.steps';
}

/**
 * Gateways always include `mesh`, so that in-mesh callers get the same routes, and because
 * Flagger applies `sourceLabels` matches only on it.
 *
 * No `match`: Flagger puts `service.match` on every route it writes, so a request that matches
 * none of it gets no route at all. No prop here narrows what an app serves. Tester routes send
 * some requests to the new version and leave the rest to the split, which is `analysis.match`.
 */
function service(model: ReleaseModel): CanarySpecService {
  const port = model.ports[0];
  return {
    port: port.port,
    targetPort: port.targetPort,
    portName: port.name,
    gateways: [...model.binding?.gateways ?? [], MESH],
    hosts: model.binding && [...model.binding.hosts],
    timeout: model.routePolicy?.timeout,
    retries: model.routePolicy?.retries,
  };
}

function analysis(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, flow: Flow): CanarySpecAnalysis {
  const checks = plan.analysis;
  const seconds = intervalSeconds(scope, plan);
  const interval = flaggerDuration(seconds);
  return {
    interval,
    threshold: checks?.failureLimit ?? DEFAULT_THRESHOLD,
    iterations: flow === 'blue-green' || flow === 'ab-testing' ? plan.iterations : undefined,
    ...weights(plan, flow),
    match: flow === 'ab-testing' ? model.matchRoutes.map(r => analysisMatch(r.match)) : undefined,
    mirror: model.mirror ? true : undefined,
    mirrorWeight: model.mirror?.percentage,
    metrics: checks && metrics(checks, interval),
    webhooks: webhooks(scope, model, plan, flow, seconds),
  };
}

/**
 * Steps of one size stay Flagger's stepWeight and maxWeight, a list its stepWeights. Skipping the
 * analysis, Flagger reads no weights; the CRD still asks for some, so: all at once.
 */
function weights(plan: ControllerPlanModel, flow: Flow): Pick<CanarySpecAnalysis, 'stepWeight' | 'maxWeight' | 'stepWeights'> {
  if (flow === 'promote-at-once') return { stepWeights: [100] };
  if (flow !== 'canary') return {};
  return plan.linear ? { stepWeight: plan.linear.stepWeight, maxWeight: plan.linear.maxWeight } : { stepWeights: [...plan.steps] };
}

/** Flagger moves one step per analysis interval, so a plan's pause is that interval. */
function intervalSeconds(scope: Construct, plan: ControllerPlanModel): number {
  const { analysis: checks, pauseSeconds } = plan;
  if (checks && pauseSeconds !== undefined && pauseSeconds !== checks.intervalSeconds) {
    fail(scope, 'plan.pause', `must equal plan.analysis.interval (${checks.intervalSeconds}s): Flagger moves one step per analysis interval`,
      `${pauseSeconds}s`, 'leave pause out, and set plan.analysis.interval');
  }
  const [field, seconds] = checks ? ['plan.analysis.interval', checks.intervalSeconds] : ['plan.pause', pauseSeconds ?? 60];
  if (seconds < 10) {
    fail(scope, field, 'must be 10 seconds or more: Flagger runs its analysis no more often', `${seconds}s`, 'use e.g. Duration.minutes(1)');
  }
  return seconds;
}

/** Whole minutes as `<n>m`, as Flagger's docs write them, else `<n>s`. */
function flaggerDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** A tester route's conditions; preview routes, the only ones with an authority, are refused. */
function analysisMatch(match: MatchSpec): CanarySpecAnalysisMatch {
  return { headers: match.headers, queryParams: match.queryParams, sourceLabels: match.sourceLabels };
}

/** Flagger's built-in Istio metrics; request-duration is its P99 in milliseconds. */
function metrics(checks: AnalysisModel, interval: string): CanarySpecAnalysisMetrics[] {
  return [
    { name: 'request-success-rate', interval, thresholdRange: { min: checks.minSuccessRate } },
    { name: 'request-duration', interval, thresholdRange: { max: checks.maxRequestDurationMs } },
  ];
}

function webhooks(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, flow: Flow, intervalSeconds: number): CanarySpecAnalysisWebhooks[] | undefined {
  const hooks = [...testerHooks(scope, model, plan), ...(plan.flagger?.webhooks ?? []).map(hook => ownHook(scope, hook, flow))];
  checkHookNames(scope, hooks);
  checkRolloutTimeouts(scope, hooks, intervalSeconds);
  return hooks.length > 0 ? hooks.map(hook => hook.spec) : undefined;
}

/** The load test and the promotion gate, which Flagger's load tester runs. */
function testerHooks(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): Hook[] {
  const checks = plan.analysis;
  const command = checks?.loadTestCommand;
  const gated = model.strategy === Strategy.BLUE_GREEN && !plan.autoPromotion;
  const url = plan.flagger?.loadTesterUrl;
  if (command === undefined && !gated && url !== undefined) {
    fail(scope, 'plan.flagger.loadTesterUrl', 'is used by no webhook: there is no plan.analysis.loadTestCommand, and no promotion gate', url,
      'leave it out');
  }
  return [
    ...checks && command !== undefined ? [loadTest(loadTester(scope, model, plan, 'runs the load test'), command, checks)] : [],
    ...gated ? promotionGate(loadTester(scope, model, plan, 'holds the promotion until it is approved')) : [],
  ];
}

/**
 * In seconds, as Kurator writes webhooks.timeoutSeconds, so that a Canary moved from Kurator
 * reads the same.
 */
function webhookTimeout(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : `${seconds}s`;
}

function loadTest(url: string, command: string, checks: AnalysisModel): Hook {
  return {
    spec: {
      name: 'load-test', type: CanarySpecAnalysisWebhooksType.ROLLOUT, url,
      timeout: webhookTimeout(checks.loadTestTimeoutSeconds), metadata: { type: 'cmd', cmd: command },
    },
    field: 'plan.analysis.loadTestCommand',
    timeoutField: 'plan.analysis.loadTestTimeout',
    timeoutSeconds: checks.loadTestTimeoutSeconds,
  };
}

/**
 * Promotion by hand, with the load tester's gate: Flagger holds the promotion until
 * `/gate/open` is called for the canary. The gate stays open until closed, so it is closed after
 * every rollout, and each release waits for its own approval.
 */
function promotionGate(tester: string): Hook[] {
  const gate = (spec: CanarySpecAnalysisWebhooks): Hook => ({ spec, field: 'plan.autoPromotion' });
  return [
    gate({ name: 'promotion-gate', type: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_PROMOTION, url: `${tester}gate/check` }),
    gate({ name: 'close-promotion-gate', type: CanarySpecAnalysisWebhooksType.POST_HYPHEN_ROLLOUT, url: `${tester}gate/close` }),
  ];
}

/** Flagger calls traffic-increase hooks only before it raises a weight, which only a weighted canary does. */
function ownHook(scope: Construct, hook: WebhookModel, flow: Flow): Hook {
  if (hook.type === FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE && flow !== 'canary') {
    fail(scope, `${hook.field}.type`, `makes a webhook Flagger never calls: it raises no weight in ${flow === 'ab-testing' ? 'A/B testing' : 'a blue/green'}`,
      'FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE', 'use FlaggerWebhookType.CONFIRM_PROMOTION to hold the promotion');
  }
  return {
    spec: { name: hook.name, type: WEBHOOK_TYPES[hook.type], url: hook.url, timeout: webhookTimeout(hook.timeoutSeconds), metadata: hook.metadata },
    field: hook.field,
    timeoutField: `${hook.field}.timeout`,
    timeoutSeconds: hook.timeoutSeconds,
  };
}

/** Flagger's events and logs tell webhooks apart by name. The user's come last, so a repeat is theirs. */
function checkHookNames(scope: Construct, hooks: Hook[]): void {
  hooks.forEach((hook, i) => {
    const first = hooks.findIndex(h => h.spec.name === hook.spec.name);
    if (first !== i) {
      fail(scope, `${hook.field}.name`, `repeats the name of the webhook from ${hooks[first].field}`, hook.spec.name, 'give each webhook its own name');
    }
  });
}

/** Flagger calls the rollout webhooks one after another at every check, which must end before the next. */
function checkRolloutTimeouts(scope: Construct, hooks: Hook[], intervalSeconds: number): void {
  let total = 0;
  for (const hook of hooks.filter(h => h.spec.type === CanarySpecAnalysisWebhooksType.ROLLOUT)) {
    total += hook.timeoutSeconds ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS;
    if (total >= intervalSeconds) {
      fail(scope, hook.timeoutField ?? hook.field, `brings the timeouts of the rollout webhooks to ${total}s, and they must add up to less than the `
        + `analysis interval (${intervalSeconds}s): Flagger calls them one after another at every check`,
      webhookTimeout(hook.timeoutSeconds), `give shorter timeouts (Flagger waits ${DEFAULT_WEBHOOK_TIMEOUT_SECONDS}s where none is given), or a longer interval`);
    }
  }
}

/**
 * Flagger's load tester, by default installed in the app's namespace as Flagger's docs do.
 * Flagger calls it from its own namespace, so the address needs the app's.
 */
function loadTester(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, use: string): string {
  const url = plan.flagger?.loadTesterUrl;
  // The gate's paths are added to it.
  if (url !== undefined) return url.endsWith('/') ? url : `${url}/`;
  if (model.namespace === undefined) {
    fail(scope, 'namespace', `must be known for Flagger's load tester, flagger-loadtester.<namespace>, which ${use}`, undefined,
      'set namespace on the app or its chart, or give plan.flagger.loadTesterUrl');
  }
  return `http://flagger-loadtester.${model.namespace}/`;
}

/** Workload settings the Canary can't carry: refused, rather than lost on the way to the cluster. */
function refuseWorkloadOptions(scope: Construct, model: ReleaseModel, release: VersionModel): void {
  const primaryPods = `app: ${model.name}-primary`;
  const budget = model.policies.disruptionBudget;
  if (model.selectorRouting) {
    fail(scope, 'cutover', 'must be CutoverMode.MESH_ROUTING with Flagger, which moves traffic in a VirtualService of its own',
      'CutoverMode.SERVICE_SELECTOR', 'leave cutover out');
  }
  if (model.extraServices.length > 0) {
    fail(scope, 'preview', `needs Services of its own, and Flagger makes the Services: it serves the new version at ${model.name}-canary`,
      model.extraServices.map(extra => extra.name), `leave preview out, and test the new version through ${model.name}-canary during the analysis`);
  }
  if (model.ports.length > 1) {
    fail(scope, 'additionalPorts', 'can\'t be carried: Flagger\'s Canary routes one port', model.ports.slice(1).map(p => p.name), 'leave them out');
  }
  if (!isHttpProtocol(model.ports[0].protocol)) {
    fail(scope, 'protocol', 'must be HTTP, HTTP2 or GRPC: Flagger routes with HTTP routes', model.ports[0].protocol, 'use Protocol.HTTP');
  }
  if (model.mtls) {
    fail(scope, 'mtls', `can't reach Flagger's primary pods, which it labels ${primaryPods}`, true,
      'leave mtls out, and require mutual TLS with a PeerAuthentication for the whole namespace');
  }
  if (budget) {
    fail(scope, `disruptionBudget.${budget.field}`, `can't cover Flagger's primary pods, which it labels ${primaryPods}`, budget.value,
      `leave disruptionBudget out, and add a PodDisruptionBudget that selects ${primaryPods}`);
  }
  if (release.replicas === 0) {
    fail(scope, `${release.id.toLowerCase()}.replicas`, 'must be above 0: it is the version Flagger rolls out', 0, 'scale it up');
  }
}

/** Routing settings the Canary can't carry, or carries only in some of Flagger's ways. */
function refuseRoutingOptions(scope: Construct, model: ReleaseModel, release: VersionModel): void {
  const tcpPool = (model.trafficPolicy?.connectionPool as { tcp?: unknown } | undefined)?.tcp;
  const ownPolicy = model.versions.find(v => v.workload.routePolicy || v.workload.trafficPolicy);
  if (model.sticky) {
    fail(scope, 'stickySessions', 'can\'t be carried: Flagger pins users with its own session-affinity cookie, set during the '
      + 'analysis, not with one that names the version', model.sticky, 'leave stickySessions out');
  }
  if (model.routePolicy?.fault) {
    fail(scope, 'routePolicy.fault', 'can\'t be carried: Flagger\'s Canary sets timeout and retries only', model.routePolicy.fault, 'leave fault out');
  }
  if (ownPolicy) {
    const policy = ownPolicy.workload.routePolicy ? 'routePolicy' : 'trafficPolicy';
    fail(scope, `${ownPolicy.id.toLowerCase()}.${policy}`, 'can\'t be carried: Flagger applies one policy to both versions', ownPolicy.workload[policy],
      `set the app's ${policy} instead`);
  }
  if (tcpPool) {
    fail(scope, 'trafficPolicy.connectionPool', 'may not set maxConnections or connectTimeout: Flagger\'s traffic policy has no TCP pool',
      tcpPool, 'leave them out');
  }
  model.matchRoutes.forEach((route, i) => {
    if (route.subset !== release.subset) {
      fail(scope, `testerRoutes[${i}].to`, `must be the version Flagger rolls out, ${JSON.stringify(release.version)}: Flagger sends `
        + 'matching requests to the new version only', versionOf(model, route.subset)?.version, 'route testers to it');
    }
  });
}

/** Flagger mirrors to the new version only, as the first step of a weighted canary. */
function checkMirror(scope: Construct, percentage: number, flow: Flow): void {
  if (flow !== 'canary') {
    fail(scope, 'mirror', 'can\'t be carried: Flagger mirrors only as the first step of a weighted canary (plan.steps or plan.linear, without testerRoutes)',
      { percentage }, 'leave mirror out');
  }
  if (!Number.isInteger(percentage)) {
    fail(scope, 'mirror.percentage', 'must be a whole percentage for Flagger\'s mirrorWeight', percentage, 'use e.g. 20');
  }
}

/** A rollout webhook of the user's may be a load generator of their own: it is called at every check. */
function sendsTraffic(plan: ControllerPlanModel): boolean {
  return plan.analysis?.loadTestCommand !== undefined || (plan.flagger?.webhooks ?? []).some(h => h.type === FlaggerWebhookType.ROLLOUT);
}

/**
 * In a blue/green, the new version takes no live traffic before its promotion: without a load
 * test, Flagger would find no metrics, and roll back every release.
 */
function refuseSilentBlueGreen(scope: Construct, model: ReleaseModel): never {
  const host = `${model.name}-canary${model.namespace === undefined ? '' : `.${model.namespace}`}:${model.ports[0].port}`;
  return fail(scope, 'plan.analysis.loadTestCommand', 'must be given for a Flagger blue/green with metric checks, or the new '
    + 'version has no traffic to measure', undefined,
  `give a load test, e.g. "hey -z 1m -q 10 -c 2 http://${host}/", or a FlaggerWebhookType.ROLLOUT webhook that sends traffic`);
}
