import { Construct } from 'constructs';
import { CanarySpecAnalysisWebhooksType } from '../../imports/flagger.app';
import { ControllerPlanModel, isHttpProtocol, ReleaseModel, releaseVersion, Strategy, VersionModel, versionOf } from '../model';
import { FlaggerWebhookType, TrafficApi } from '../plan';
import {
  analysisInterval, DEFAULT_WEBHOOK_TIMEOUT_SECONDS, flaggerHooks, Flow, flowOf, Hook, loadTester, testerUses, webhookTimeout,
} from '../render/flagger';
import { fail } from '../validate';
import { checkHostnames, refuseMatch, refusePolicy, refuseTrafficPolicy } from './checks-gateway-api';
import { appNameSource, checkGoDuration, checkInt32Seconds, checkServiceName } from './checks-limits';

/**
 * What Flagger's Canary cannot carry, refused while resolving and naming the prop to change, so
 * that `render/flagger.ts` only builds objects. The checks that need what the Canary is made of
 * (its way of releasing, its interval, its webhooks) ask the renderer's own functions for it.
 */
export function checkFlagger(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  const release = releaseVersion(model);
  if (plan.argo) fail(scope, 'plan.argo', 'configures Argo Rollouts, and the controller is Flagger', plan.argo, 'leave plan.argo out');
  refuseWorkloadOptions(scope, model);
  refuseRoutingOptions(scope, model, release);
  const flow = flowOf(model, plan);
  if (model.trafficApi === TrafficApi.GATEWAY_API) refuseForGatewayApi(scope, model, flow);
  refuseIgnoredWeights(scope, model, plan);
  if (flow === 'canary') refuseFirstStepZero(scope, plan);
  refuseDroppedFields(scope, model);
  if (model.mirror) checkMirror(scope, model.mirror.percentage, flow);
  if (model.sticky && model.mirror) {
    // getSessionAffinityRouteRules puts the mirror on the cookie's route, and GetRoutes reads it off the last route: Flagger never sees it.
    fail(scope, 'stickySessions', 'can\'t come with mirror under Flagger, which would then never see its mirror set and stay at the mirror step',
      { cookieName: model.sticky.cookieName }, 'leave stickySessions or mirror out');
  }
  if (model.sticky && flow !== 'canary') {
    fail(scope, 'stickySessions', `become Flagger's session affinity, which pins users while weights rise, and Flagger runs ${FLOW_NAMES[flow]}`,
      { cookieName: model.sticky.cookieName }, 'leave stickySessions out');
  }
  if (flow === 'blue-green' && plan.analysis && !model.mirror && !sendsTraffic(plan)) refuseSilentBlueGreen(scope, model);
  const interval = checkInterval(scope, plan);
  checkLoadTester(scope, model, plan);
  for (const hook of plan.flagger?.webhooks ?? []) checkHookCalled(scope, hook.field, hook.type, flow);
  const hooks = flaggerHooks(model, plan);
  checkHookNames(scope, hooks);
  checkRolloutTimeouts(scope, hooks, interval);
  checkFlaggerNames(scope, model);
  checkDurations(scope, plan, hooks);
}

/** Workload settings the Canary can't carry: refused, rather than lost on the way to the cluster. */
function refuseWorkloadOptions(scope: Construct, model: ReleaseModel): void {
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
}

/** Routing settings the Canary can't carry, or carries only in some of Flagger's ways. */
function refuseRoutingOptions(scope: Construct, model: ReleaseModel, release: VersionModel): void {
  const tcpPool = (model.trafficPolicy?.connectionPool as { tcp?: unknown } | undefined)?.tcp;
  const ownPolicy = model.versions.find(v => v.routePolicy || v.trafficPolicy);
  if (model.routePolicy?.fault) {
    fail(scope, 'routePolicy.fault', 'can\'t be carried: Flagger\'s Canary sets timeout and retries only', model.routePolicy.fault, 'leave fault out');
  }
  if (ownPolicy) {
    const policy = ownPolicy.routePolicy ? 'routePolicy' : 'trafficPolicy';
    // Shown as the user wrote it: Istio's spec of a TrafficPolicy renames its fields.
    fail(scope, `${ownPolicy.id.toLowerCase()}.${policy}`, 'can\'t be carried: Flagger applies one policy to both versions', ownPolicy.workload[policy],
      `set the app's ${policy} instead`);
  }
  if (tcpPool) {
    fail(scope, 'trafficPolicy.connectionPool', 'may not set maxConnections or connectTimeout: the Canary CRD\'s traffic policy has no TCP pool',
      tcpPool, 'leave them out');
  }
  model.matchRoutes.forEach((route, i) => {
    if (route.subset !== release.subset) {
      fail(scope, `testerRoutes[${i}].to`, `must be the version Flagger rolls out, ${JSON.stringify(release.version)}: Flagger sends `
        + 'matching requests to the new version only', versionOf(model, route.subset)?.version, 'route testers to it');
    }
  });
}

/**
 * What Flagger's Gateway API router (pkg/router/gateway_api.go) can't write into its HTTPRoute:
 * retries and DestinationRule policies, which the standard channel lacks, a mirror outside a
 * blue/green or of part of the requests (it mirrors a blue/green's every request), and what no
 * HTTPRoute match holds.
 */
function refuseForGatewayApi(scope: Construct, model: ReleaseModel, flow: Flow): void {
  // In ambient mode Istio's routing is no way out: the waypoint applies the HTTPRoute alone.
  const instead = model.ambient ? 'DataPlane.SIDECAR' : undefined;
  refusePolicy(scope, 'routePolicy', model.routePolicy, instead);
  refuseTrafficPolicy(scope, 'trafficPolicy', model.trafficPolicy, instead);
  if (model.mirror && (flow !== 'blue-green' || model.mirror.percentage !== 100)) {
    fail(scope, 'mirror', 'can\'t be carried: Flagger\'s Gateway API router mirrors every request of a blue/green only', { percentage: model.mirror.percentage },
      'leave mirror out, or mirror a blue/green at 100%');
  }
  for (const route of model.matchRoutes) refuseMatch(scope, route, instead);
  checkHostnames(scope, model.binding?.hosts ?? []);
}

/** Tester routes make Flagger run A/B testing, which ignores a canary's weights (flagger#1777). */
function refuseIgnoredWeights(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  if (model.matchRoutes.length > 0 && model.strategy === Strategy.CANARY && plan.steps.length > 0) {
    const weights = plan.linear ? 'plan.linear' : 'plan.steps';
    fail(scope, 'testerRoutes', `make Flagger run A/B testing, which ignores ${weights} (flagger#1777): testers would get `
      + 'the new version and everyone else none of it', model.matchRoutes.map(r => r.name),
    `leave testerRoutes out for a weighted canary, or ${weights} out for A/B testing`);
  }
}

/**
 * Flagger's first step adds `stepWeights[0]` to a canary at 0 (`nextStepWeight` in
 * pkg/controller/scheduler.go), and the scheduler advances only by a step above 0: a plan that
 * starts at 0 would wait there for ever.
 */
function refuseFirstStepZero(scope: Construct, plan: ControllerPlanModel): void {
  if (plan.steps[0] === 0) {
    fail(scope, 'plan.steps[0]', 'must be above 0 with Flagger, which starts every release at 0 and would never leave a first step of 0', 0,
      `leave the 0 out: ${JSON.stringify(plan.steps.slice(1))}`);
  }
}

/**
 * Flagger decodes the Canary's traffic policy into its own Istio types before it writes the
 * DestinationRules: a field they lack passes the Canary's CRD and is lost on the way, as
 * `httpQueryParameterName` is. Timeout, retries and tester matches are fields its types all have.
 */
function refuseDroppedFields(scope: Construct, model: ReleaseModel): void {
  const dropped = model.trafficPolicy && unknownPath(model.trafficPolicy, FLAGGER_TRAFFIC_POLICY);
  if (dropped) {
    const prop = dropped.path[0] === 'tls' ? 'tlsMode' : dropped.path[0];
    fail(scope, `trafficPolicy.${prop}`, `can't be carried: Flagger's DestinationRule type has no ${dropped.path.join('.')}, and Flagger would `
      + 'write its rules without it', dropped.value, 'leave it out, or use a setting Flagger keeps (LoadBalancer.hashHeader or hashCookie for a hash)');
  }
}

/** Fields Flagger's types have; `true` for a field whose value Flagger keeps whole. */
interface FieldTree { readonly [field: string]: FieldTree | true }

/**
 * Flagger's TrafficPolicy, as far as this library writes one (pkg/apis/istio/v1beta1/destination_rule.go,
 * fluxcd/flagger 15bd6ad, 2026-07-21).
 */
const FLAGGER_TRAFFIC_POLICY: FieldTree = {
  loadBalancer: {
    simple: true,
    consistentHash: { httpHeaderName: true, httpCookie: { name: true, path: true, ttl: true }, useSourceIp: true, minimumRingSize: true },
  },
  // No tcp: the Canary CRD has none (refused above), though Flagger's types do.
  connectionPool: {
    http: { h2UpgradePolicy: true, http1MaxPendingRequests: true, http2MaxRequests: true, maxRequestsPerConnection: true, maxRetries: true, idleTimeout: true },
  },
  outlierDetection: {
    consecutiveErrors: true, consecutiveGatewayErrors: true, consecutive5xxErrors: true, splitExternalLocalOriginErrors: true,
    consecutiveLocalOriginFailures: true, interval: true, baseEjectionTime: true, maxEjectionPercent: true, minHealthPercent: true,
  },
  tls: { mode: true },
};

/** The first field of `value`, depth first, that `tree` has no place for, with its value. */
function unknownPath(value: { readonly [key: string]: unknown }, tree: FieldTree, at: string[] = []): { path: string[]; value: unknown } | undefined {
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const known = tree[key];
    if (known === undefined) return { path: [...at, key], value: child };
    if (known !== true && typeof child === 'object' && child !== null) {
      const deeper = unknownPath(child as { [key: string]: unknown }, known, [...at, key]);
      if (deeper) return deeper;
    }
  }
  return undefined;
}

/**
 * Flagger mirrors to the new version only: as the first step of a weighted canary, or for the
 * whole of a blue/green's analysis, which gives the new colour traffic to measure.
 */
function checkMirror(scope: Construct, percentage: number, flow: Flow): void {
  if (flow !== 'canary' && flow !== 'blue-green') {
    fail(scope, 'mirror', `can't be carried: Flagger mirrors in a weighted canary or a blue/green, and runs ${FLOW_NAMES[flow]}`, { percentage }, 'leave mirror out');
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
  `give a load test, e.g. "hey -z 1m -q 10 -c 2 http://${host}/", a FlaggerWebhookType.ROLLOUT webhook that sends traffic, or a mirror to the new colour`);
}

/** Flagger moves one step per analysis interval, so a plan's pause must be that interval; returns it, in seconds. */
function checkInterval(scope: Construct, plan: ControllerPlanModel): number {
  const { analysis: checks, pauseSeconds } = plan;
  if (checks && pauseSeconds !== undefined && pauseSeconds !== checks.intervalSeconds) {
    fail(scope, 'plan.pause', `must equal plan.analysis.interval (${checks.intervalSeconds}s): Flagger moves one step per analysis interval`,
      `${pauseSeconds}s`, 'leave pause out, and set plan.analysis.interval');
  }
  const { field, seconds } = analysisInterval(plan);
  if (seconds < 10) {
    fail(scope, field, 'must be 10 seconds or more: Flagger runs its analysis no more often', `${seconds}s`, 'use e.g. Duration.minutes(1)');
  }
  checkGoDuration(scope, field, seconds, FLAGGER);
  return seconds;
}

/** The load tester must be used if it is given, and have an address if it is used. */
function checkLoadTester(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  const uses = testerUses(model, plan);
  const url = plan.flagger?.loadTesterUrl;
  if (uses.length === 0 && url !== undefined) {
    fail(scope, 'plan.flagger.loadTesterUrl', 'is used by no webhook: there is no plan.analysis.loadTestCommand, and no promotion gate', url,
      'leave it out');
  }
  if (uses.length > 0 && loadTester(model, plan) === undefined) {
    fail(scope, 'namespace', `must be known for Flagger's load tester, flagger-loadtester.<namespace>, which ${uses[0].purpose}`, undefined,
      'set namespace on the app or its chart, or give plan.flagger.loadTesterUrl');
  }
}

/** Flagger calls traffic-increase hooks only before it raises a weight, which only a weighted canary does. */
function checkHookCalled(scope: Construct, field: string, type: FlaggerWebhookType, flow: Flow): void {
  if (type === FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE && flow !== 'canary') {
    fail(scope, `${field}.type`, `makes a webhook Flagger never calls: it raises no weight in ${flow === 'ab-testing' ? 'A/B testing' : 'a blue/green'}`,
      'FlaggerWebhookType.CONFIRM_TRAFFIC_INCREASE', 'use FlaggerWebhookType.CONFIRM_PROMOTION to hold the promotion');
  }
}

/** What Flagger's ways of releasing are called in errors. */
const FLOW_NAMES: Record<Flow, string> = {
  'canary': 'a weighted canary', 'ab-testing': 'A/B testing', 'blue-green': 'a blue/green', 'promote-at-once': 'no analysis',
};

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

/** Flagger makes the Deployment and Service `<name>-primary`, the longest name it derives. */
function checkFlaggerNames(scope: Construct, model: ReleaseModel): void {
  const primary = `${model.name}-primary`;
  checkServiceName(scope, primary, 'for Flagger', appNameSource(model.name, primary));
}

/** The webhooks' timeouts, which Flagger parses as Go durations, and its int32 deadline. */
function checkDurations(scope: Construct, plan: ControllerPlanModel, hooks: Hook[]): void {
  const deadline = plan.flagger?.progressDeadlineSeconds;
  if (deadline !== undefined) checkInt32Seconds(scope, 'plan.flagger.progressDeadline', deadline, 'Flagger\'s progressDeadlineSeconds');
  for (const hook of hooks) {
    if (hook.timeoutSeconds !== undefined) checkGoDuration(scope, hook.timeoutField!, hook.timeoutSeconds, FLAGGER);
  }
}

const FLAGGER = 'Flagger';
