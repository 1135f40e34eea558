import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Canary,
  CanarySpec,
  CanarySpecAnalysis,
  CanarySpecAnalysisAlertsSeverity,
  CanarySpecAnalysisSessionAffinity,
  CanarySpecAnalysisMatch,
  CanarySpecAnalysisMetrics,
  CanarySpecAnalysisWebhooks,
  CanarySpecAnalysisWebhooksType,
  CanarySpecAutoscalerRefKind,
  CanarySpecProvider,
  CanarySpecService,
  CanarySpecTargetRefKind,
  MetricTemplate,
  MetricTemplateSpecProviderType,
  toJson_CanarySpec,
  toJson_MetricTemplateSpec,
} from '../../imports/flagger.app';
import { fillQuery } from '../analysis-metric';
import { AnalysisModel, ControllerPlanModel, MetricModel, ReleaseModel, releaseVersion, Strategy, VersionModel, WebhookModel } from '../model';
import { MESH } from '../verify/hosts';
import { metadataOf } from './istio';
import { FlaggerWebhookType, TrafficApi } from '../plan';
import { MatchSpec } from '../routing';
import { renderDeployment, waypointLabels } from '../workloads';
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

/** What Flagger does with a release: its four ways, picked by the analysis fields. */
export type Flow = 'canary' | 'ab-testing' | 'blue-green' | 'promote-at-once';

/**
 * Flagger's own default for failed checks before a rollback. Its CRD requires a threshold, and one
 * of iterations, stepWeight or stepWeights, even where no check runs.
 */
const DEFAULT_THRESHOLD = 1;

/** How long Flagger waits for a webhook that has no timeout of its own. */
export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

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
export interface Hook {
  readonly spec: CanarySpecAnalysisWebhooks;
  /** The field that asked for the webhook. */
  readonly field: string;
  /** The field that sets its timeout, where one does. */
  readonly timeoutField?: string;
  readonly timeoutSeconds?: number;
}

/** Renders a release that the resolve step checked for Flagger (release/checks-flagger.ts). */
export function renderFlagger(scope: Construct, model: ReleaseModel): RenderedRelease {
  // The apps resolve a plan whenever a controller is set.
  const plan = model.plan!;
  const deployment = renderTarget(scope, model, releaseVersion(model));
  // Ahead of the Canary that refers to them.
  const metricTemplates = templatedMetrics(model, plan).map(metric => renderMetricTemplate(scope, model, plan.analysis!, metric));
  const canary = new ApiObject(scope, 'Canary', {
    ...Canary.GVK,
    metadata: metadataOf(model),
    spec: canarySpec(model, plan),
  });
  return { deployments: [deployment], extraServices: [], canary, metricTemplates };
}

/**
 * Flagger's built-in Istio checks, as its Istio observer writes them (pkg/metrics/observers/istio.go):
 * with the Gateway API provider, Flagger's built-ins read the app's own `http_request_duration_seconds`
 * instead, so they come as templates of Istio's metrics, and mean the same under both providers.
 * They take names of their own: Flagger runs its built-in check for a metric named
 * `request-success-rate` or `request-duration` whatever its templateRef (runBuiltinMetricChecks).
 */
const ISTIO_LABELS = 'reporter="destination", destination_workload_namespace="{{namespace}}", destination_workload=~"{{app}}"';
const ISTIO_REQUESTS = (extra: string) => `sum(rate(istio_requests_total{${ISTIO_LABELS}${extra}}[{{window}}]))`;

function builtInTemplates(checks: AnalysisModel): MetricModel[] {
  return [
    { name: 'istio-success-rate', query: `${ISTIO_REQUESTS(', response_code!~"5.*"')} / ${ISTIO_REQUESTS('')} * 100`, min: checks.minSuccessRate },
    {
      name: 'istio-request-duration',
      query: `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${ISTIO_LABELS}}[{{window}}])) by (le))`,
      max: checks.maxRequestDurationMs,
    },
  ];
}

/** The checks that Flagger runs through a MetricTemplate: the user's, and with the Gateway API the built-ins. */
function templatedMetrics(model: ReleaseModel, plan: ControllerPlanModel): MetricModel[] {
  const checks = plan.analysis;
  if (!checks) return [];
  return [...model.trafficApi === TrafficApi.GATEWAY_API ? builtInTemplates(checks) : [], ...checks.metrics];
}

/** The MetricTemplate of one of the checks, `<name>-<check>`: Flagger runs custom queries only through one. */
function renderMetricTemplate(scope: Construct, model: ReleaseModel, checks: AnalysisModel, metric: MetricModel): ApiObject {
  return new ApiObject(scope, `MetricTemplate-${metric.name}`, {
    ...MetricTemplate.GVK,
    metadata: { ...metadataOf(model), name: metricTemplateName(model, metric) },
    spec: toJson_MetricTemplateSpec({
      provider: { type: MetricTemplateSpecProviderType.PROMETHEUS, address: checks.prometheusAddress },
      // Flagger renders the query as a Go template, with functions for its own fields.
      query: fillQuery(metric.query, { namespace: '{{ namespace }}', app: model.name, version: releaseVersion(model).version, window: '{{ interval }}' }),
    }),
  });
}

function metricTemplateName(model: ReleaseModel, metric: MetricModel): string {
  return `${model.name}-${metric.name}`;
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

function canarySpec(model: ReleaseModel, plan: ControllerPlanModel): Record<string, unknown> {
  const flow = flowOf(model, plan);
  const spec: CanarySpec = {
    // Explicit, because Flagger's default provider is whatever it was installed with.
    provider: model.trafficApi === TrafficApi.GATEWAY_API ? CanarySpecProvider.GATEWAYAPI_V1 : CanarySpecProvider.ISTIO,
    metricsServer: plan.analysis?.prometheusAddress,
    progressDeadlineSeconds: plan.flagger?.progressDeadlineSeconds,
    targetRef: { apiVersion: 'apps/v1', kind: CanarySpecTargetRefKind.DEPLOYMENT, name: model.name },
    autoscalerRef: model.policies.autoscaling && {
      apiVersion: 'autoscaling/v2', kind: CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: model.name,
    },
    service: service(model),
    skipAnalysis: flow === 'promote-at-once' || undefined,
    analysis: analysis(model, plan, flow),
  };
  const json = toJson_CanarySpec(spec)!;
  // Added as plain JSON after the typed conversion, which renames consecutive5xxErrors to
  // consecutive5XxErrors and drops the fields it does not know.
  json.service.trafficPolicy = model.trafficPolicy;
  return json;
}

/**
 * Which of its ways Flagger takes: tester routes make A/B testing (with weights too, which the
 * resolve step refuses as Flagger would ignore them), a blue/green its own, and a canary without
 * steps promotes at once.
 */
export function flowOf(model: ReleaseModel, plan: ControllerPlanModel): Flow {
  if (model.matchRoutes.length > 0) return 'ab-testing';
  if (model.strategy !== Strategy.CANARY) return 'blue-green';
  // A controller without a plan promotes at once (see CanaryApp).
  return plan.steps.length > 0 ? 'canary' : 'promote-at-once';
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
  if (model.trafficApi === TrafficApi.GATEWAY_API) return gatewayService(model);
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

/**
 * With the Gateway API, Flagger's HTTPRoute `<name>` attaches to the app's gateways and, for
 * in-mesh callers, to the Service `<name>` (GAMMA), which Flagger makes: `gatewayRefs` in place
 * of Istio's `gateways`. The resolve step refused retries, which the standard channel lacks.
 */
function gatewayService(model: ReleaseModel): CanarySpecService {
  const port = model.ports[0];
  const gateways = (model.binding?.gateways ?? []).map(ref => ({ name: ref.split('/')[1], namespace: ref.split('/')[0] }));
  return {
    port: port.port,
    targetPort: port.targetPort,
    portName: port.name,
    gatewayRefs: [...gateways, { group: '', kind: 'Service', name: model.name, port: port.port }],
    hosts: model.binding && [...model.binding.hosts],
    timeout: model.routePolicy?.timeout,
    // In ambient mode the Service that Flagger makes, which the route attaches to, is enrolled with the waypoint.
    apex: model.ambient && { labels: waypointLabels(model) },
  };
}

function analysis(model: ReleaseModel, plan: ControllerPlanModel, flow: Flow): CanarySpecAnalysis {
  const checks = plan.analysis;
  const interval = flaggerDuration(analysisInterval(plan).seconds);
  const hooks = flaggerHooks(model, plan);
  return {
    interval,
    threshold: checks?.failureLimit ?? DEFAULT_THRESHOLD,
    iterations: flow === 'blue-green' || flow === 'ab-testing' ? plan.iterations : undefined,
    ...weights(plan, flow),
    match: flow === 'ab-testing' ? model.matchRoutes.map(r => analysisMatch(r.match)) : undefined,
    mirror: model.mirror ? true : undefined,
    mirrorWeight: model.mirror?.percentage,
    metrics: checks && metrics(model, plan, metricWindow(checks)),
    webhooks: hooks.length > 0 ? hooks.map(hook => hook.spec) : undefined,
    sessionAffinity: model.sticky && sessionAffinity(model.sticky),
    primaryReadyThreshold: plan.flagger?.primaryReadyThreshold,
    canaryReadyThreshold: plan.flagger?.canaryReadyThreshold,
    stepWeightPromotion: plan.flagger?.stepWeightPromotion,
    alerts: plan.flagger?.alerts?.map(alert => ({
      name: alert.name,
      severity: alert.severity as CanarySpecAnalysisAlertsSeverity,
      providerRef: { name: alert.provider, namespace: alert.providerNamespace },
    })),
  };
}

/**
 * Sticky sessions as Flagger keeps them: a user the split sends to the new version gets a cookie
 * that keeps them there for `maxAge`, and one sent to the primary a cookie that keeps them there
 * for a step. Flagger's cookies hold a random value of its own rather than the version's name.
 */
function sessionAffinity(sticky: NonNullable<ReleaseModel['sticky']>): CanarySpecAnalysisSessionAffinity {
  // Without a path, browsers keep a cookie to the folder of the page that set it (RFC 6265 §5.1.4),
  // and BuildCookie adds none of its own.
  return { cookieName: sticky.cookieName, primaryCookieName: `${sticky.cookieName}-primary`, maxAge: sticky.maxAgeSeconds, path: '/' };
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

/**
 * Flagger moves one step per analysis interval, so a plan's pause is that interval: the analysis'
 * interval where there is one, else the pause, else Flagger's minute. With the field that sets it.
 */
export function analysisInterval(plan: ControllerPlanModel): { readonly field: string; readonly seconds: number } {
  return plan.analysis
    ? { field: 'plan.analysis.interval', seconds: plan.analysis.intervalSeconds }
    : { field: 'plan.pause', seconds: plan.pauseSeconds ?? 60 };
}

/** Whole minutes as `<n>m`, as Flagger's docs write them, else `<n>s`. */
function flaggerDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** A tester route's conditions; preview routes, the only ones with an authority, are refused. */
function analysisMatch(match: MatchSpec): CanarySpecAnalysisMatch {
  return { headers: match.headers, queryParams: match.queryParams, sourceLabels: match.sourceLabels };
}

/**
 * A metric's `interval` is the range of its PromQL (`rate(…[interval])`), not how often it runs.
 * rate() needs two scrapes in its range, and Istio's Prometheus scrapes every 15 to 30 seconds:
 * a range under a minute finds nothing, and Flagger rolls a healthy release back. So the last
 * analysis interval, and at least the last minute, as Argo's template does.
 */
function metricWindow(checks: AnalysisModel): string {
  return flaggerDuration(metricWindowSeconds(checks));
}

export function metricWindowSeconds(checks: AnalysisModel): number {
  return Math.max(checks.intervalSeconds, 60);
}

/**
 * Flagger's built-in Istio metrics (request-duration its P99 in milliseconds), or their templates
 * with the Gateway API; then the user's, by their templates.
 */
function metrics(model: ReleaseModel, plan: ControllerPlanModel, interval: string): CanarySpecAnalysisMetrics[] {
  const checks = plan.analysis!;
  const builtIn = model.trafficApi === TrafficApi.GATEWAY_API ? [] : [
    { name: 'request-success-rate', interval, thresholdRange: { min: checks.minSuccessRate } },
    { name: 'request-duration', interval, thresholdRange: { max: checks.maxRequestDurationMs } },
  ];
  return [
    ...builtIn,
    ...templatedMetrics(model, plan).map(metric => ({
      name: metric.name, interval, templateRef: { name: metricTemplateName(model, metric) }, thresholdRange: { min: metric.min, max: metric.max },
    })),
  ];
}

/**
 * Every webhook of the Canary: the load tester's, then the user's. The resolve step checked that
 * the load tester has an address wherever it is used.
 */
export function flaggerHooks(model: ReleaseModel, plan: ControllerPlanModel): Hook[] {
  const tester = loadTester(model, plan)!;
  return [...testerUses(model, plan).flatMap(use => use.hooks(tester)), ...(plan.flagger?.webhooks ?? []).map(ownHook)];
}

/** A use of Flagger's load tester: what it does, for errors, and the webhooks that ask it to. */
export interface TesterUse {
  readonly purpose: string;
  readonly hooks: (tester: string) => Hook[];
}

/** The load test and the promotion gate, which Flagger's load tester runs. */
export function testerUses(model: ReleaseModel, plan: ControllerPlanModel): TesterUse[] {
  const checks = plan.analysis;
  const command = checks?.loadTestCommand;
  const gated = model.strategy === Strategy.BLUE_GREEN && !plan.autoPromotion;
  return [
    ...checks && command !== undefined ? [{ purpose: 'runs the load test', hooks: (tester: string) => [loadTest(tester, command, checks)] }] : [],
    ...gated ? [{ purpose: 'holds the promotion until it is approved', hooks: promotionGate }] : [],
  ];
}

/**
 * In seconds, as Kurator writes webhooks.timeoutSeconds, so that a Canary moved from Kurator
 * reads the same.
 */
export function webhookTimeout(seconds: number | undefined): string | undefined {
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

function ownHook(hook: WebhookModel): Hook {
  return {
    spec: { name: hook.name, type: WEBHOOK_TYPES[hook.type], url: hook.url, timeout: webhookTimeout(hook.timeoutSeconds), metadata: hook.metadata },
    field: hook.field,
    timeoutField: `${hook.field}.timeout`,
    timeoutSeconds: hook.timeoutSeconds,
  };
}

/**
 * Flagger's load tester, by default installed in the app's namespace as Flagger's docs do.
 * Flagger calls it from its own namespace, so the address needs the app's: undefined where it is
 * not known.
 */
export function loadTester(model: ReleaseModel, plan: ControllerPlanModel): string | undefined {
  const url = plan.flagger?.loadTesterUrl;
  // The gate's paths are added to it.
  if (url !== undefined) return url.endsWith('/') ? url : `${url}/`;
  return model.namespace === undefined ? undefined : `http://flagger-loadtester.${model.namespace}/`;
}
