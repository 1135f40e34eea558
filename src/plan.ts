import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoBlueGreenOptions, ArgoCanaryOptions, resolveArgoOptions } from './argo-options';
import { AnalysisMetric } from './analysis-metric';
import type { AlertModel, AnalysisModel, ControllerPlanModel, MetricModel, FlaggerPlanModel, LinearModel, WebhookModel } from './model';
import { entryField, show } from './show';
import {
  checkBoolean, checkDuration, checkEnum, checkGiven, checkInstance, checkList, checkNamespace, checkObject, checkObjectName, once, checkPercent, checkPercentage, checkPositive, checkString, fail,
  orDefault, wholeSeconds,
} from './validate';

/**
 * One release intent, several ways to carry it out: a plan of steps that Git walks through
 * (`step`), or that a controller in the cluster runs (Argo Rollouts, Flagger).
 */

/** Who moves traffic through the plan. */
export enum ReleaseController {
  /** Nobody in the cluster: Git does, one commit per step (`step`), as plain Istio objects. */
  NONE = 'none',
  /** Argo Rollouts: a Rollout replaces the Deployments and runs the steps, with Istio routing. */
  ARGO_ROLLOUTS = 'argo-rollouts',
  /** Flagger: a Canary targets one Deployment and creates the Services and Istio objects itself. */
  FLAGGER = 'flagger',
}

/** The API that routes the traffic. */
export enum TrafficApi {
  /** Istio's own: VirtualService, DestinationRule, Gateway. */
  ISTIO = 'istio',
  /** The Kubernetes Gateway API: HTTPRoutes with weighted backends (Istio implements it too). */
  GATEWAY_API = 'gateway-api',
}

/** Where the mesh runs the app's traffic: sidecars in its pods, or Istio's ambient data plane. */
export enum DataPlane {
  /** An Envoy sidecar in every pod, which applies the routes of its callers. */
  SIDECAR = 'sidecar',
  /**
   * No sidecars: ztunnel on each node carries the pods' traffic (mTLS, L4), and a waypoint proxy
   * applies the HTTP routes of the Services it serves. The routes are Gateway API HTTPRoutes on
   * the Service (GAMMA), as Istio's ambient documentation routes L7 traffic.
   */
  AMBIENT = 'ambient',
}

/** How Argo Rollouts shifts traffic with Istio. */
export enum ArgoRouting {
  /** One Service; the Rollout edits the weights of two DestinationRule subsets (`stable`, `canary`). */
  SUBSET = 'subset',
  /** Two Services, `<name>-stable` and `<name>-canary`; the Rollout edits the weights of the hosts, as in seed 001. */
  HOST = 'host',
}

/** Metric checks between steps, on Istio's standard metrics in Prometheus. */
export interface AnalysisOptions {
  /**
   * How often the metrics are checked.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * The lowest share of non-5xx responses, in percent, that passes.
   * @default 99
   */
  readonly minSuccessRate?: number;

  /**
   * The highest 99th-percentile request duration that passes.
   * @default Duration.millis(500)
   */
  readonly maxRequestDuration?: Duration;

  /**
   * Failed checks that roll the release back, counted over the analysis, not in a row: a passed
   * check in between resets nothing. Flagger counts the checks in which any metric failed, over
   * the whole release; Argo Rollouts the failures of each metric, in each analysis run.
   * @default 2
   */
  readonly failureLimit?: number;

  /**
   * The Prometheus that holds Istio's metrics.
   * @default 'http://prometheus.istio-system:9090'
   */
  readonly prometheusAddress?: string;

  /**
   * Checks of your own besides the success rate and the latency, each a query and the range its
   * answer must stay in: in Argo Rollouts' AnalysisTemplate, and in a Flagger MetricTemplate each.
   * @default - none
   */
  readonly metrics?: AnalysisMetric[];

  /**
   * A load generator's command to run during the analysis (Flagger's load tester), e.g.
   * `hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/`.
   * @default - no load test: real traffic only
   */
  readonly loadTestCommand?: string;

  /**
   * How long Flagger waits for its load tester to take `loadTestCommand` (Kurator's
   * `webhooks.timeoutSeconds`). The tester runs the command in the background, so this is not
   * how long the test runs.
   * @default Duration.seconds(5)
   */
  readonly loadTestTimeout?: Duration;
}

/** Steps of one size up to a maximum, as Flagger's `stepWeight` and `maxWeight`. */
export interface LinearSteps {
  /** The canary's weight at the first step, and what each further step adds: a whole percentage, e.g. 10. */
  readonly stepWeight: number;

  /**
   * The canary's weight at the last step: a multiple of `stepWeight`, or 100.
   * @default 100
   */
  readonly maxWeight?: number;
}

/** When Flagger calls a webhook: its `type`. */
export enum FlaggerWebhookType {
  /** Before the new version is scaled up; the release waits until the hook answers 2xx, as a manual gate. */
  CONFIRM_ROLLOUT = 'confirm-rollout',
  /** Before traffic goes to the new version, e.g. acceptance tests; failures count toward the failure limit. */
  PRE_ROLLOUT = 'pre-rollout',
  /** At every check of the analysis, before the metrics, e.g. a load test; failures count toward the failure limit. */
  ROLLOUT = 'rollout',
  /** Before each rise of a weighted canary's weight; the rise waits until the hook answers 2xx. */
  CONFIRM_TRAFFIC_INCREASE = 'confirm-traffic-increase',
  /** Before the promotion, which waits until the hook answers 2xx while the checks go on. */
  CONFIRM_PROMOTION = 'confirm-promotion',
  /** After the promotion or the rollback, e.g. a notification; a failure is only logged. */
  POST_ROLLOUT = 'post-rollout',
  /** During the analysis and at the gates; an answer of 2xx rolls the release back. */
  ROLLBACK = 'rollback',
  /** At every Kubernetes event Flagger records for the release. */
  EVENT = 'event',
}

/** A webhook that Flagger calls during a release. */
export interface FlaggerWebhook {
  /** The webhook's name, unique in the Canary, e.g. `acceptance-test`. */
  readonly name: string;

  /** The absolute http or https address Flagger posts to, e.g. `http://flagger-loadtester.shop/`. */
  readonly url: string;

  /**
   * When Flagger calls it.
   * @default FlaggerWebhookType.ROLLOUT
   */
  readonly type?: FlaggerWebhookType;

  /**
   * How long Flagger waits for the answer, in whole seconds.
   * @default - Flagger's default: 10 seconds
   */
  readonly timeout?: Duration;

  /**
   * Strings sent with the call, e.g. `{ type: 'bash', cmd: 'curl -s http://shop-canary.shop/' }`
   * for Flagger's load tester.
   * @default - none
   */
  readonly metadata?: { [key: string]: string };
}

/** Which of Flagger's alerts an AlertProvider gets: those of this severity and worse. */
export enum FlaggerAlertSeverity {
  /** Every alert: a new revision, its start, a promotion finished or skipped, and the ones below. */
  INFO = 'info',
  /** Waiting for an approval, a rollback by hand, and the ones below. */
  WARN = 'warn',
  /** A rollback: the failed-checks threshold, the progress deadline, a failed promotion. */
  ERROR = 'error',
}

/** Where Flagger sends the news of a release: an AlertProvider of its own (Slack, Teams, Discord …). */
export interface FlaggerAlert {
  /** The alert's name, unique in the Canary, e.g. `on-call`. */
  readonly name: string;

  /** The name of the AlertProvider object, which holds the channel's address and secret. */
  readonly provider: string;

  /**
   * The AlertProvider's namespace.
   * @default - the app's
   */
  readonly providerNamespace?: string;

  /**
   * Which news it gets.
   * @default FlaggerAlertSeverity.INFO
   */
  readonly severity?: FlaggerAlertSeverity;
}

/** What only Flagger carries out. Refused with Argo Rollouts. */
export interface FlaggerOptions {
  /**
   * The share of the primary's pods, in percent, that must be ready before the release goes on
   * (`primaryReadyThreshold`): below 100, a release may start while the primary still scales.
   * @default - Flagger's: 100
   */
  readonly primaryReadyThreshold?: number;

  /**
   * The share of the new version's pods, in percent, that must be ready before it takes traffic
   * (`canaryReadyThreshold`).
   * @default - Flagger's: 100
   */
  readonly canaryReadyThreshold?: number;

  /**
   * After the last step of a weighted canary, moves the traffic back to the promoted primary by
   * steps of this weight rather than at once (`stepWeightPromotion`).
   * @default - at once
   */
  readonly stepWeightPromotion?: number;

  /**
   * Where Flagger sends the news of each release, through its AlertProviders.
   * @default - none
   */
  readonly alerts?: FlaggerAlert[];

  /**
   * Webhooks besides the load test and the promotion gate, which come from `analysis` and
   * `autoPromotion`.
   * @default - none
   */
  readonly webhooks?: FlaggerWebhook[];

  /**
   * Flagger's load tester, which runs `analysis.loadTestCommand` and holds the promotion gate of
   * a blue/green without `autoPromotion`, e.g. Kurator's `http://backend-testloader.webapp/`.
   * @default - `http://flagger-loadtester.<namespace>/`, where Flagger's docs install it
   */
  readonly loadTesterUrl?: string;

  /**
   * How long the new version's pods may take to become ready before Flagger rolls the release
   * back: the Canary's `progressDeadlineSeconds`, Kurator's `rolloutTimeoutSeconds`.
   * @default - Flagger's default: 10 minutes
   */
  readonly progressDeadline?: Duration;
}

/** The steps of a canary release. */
export interface CanaryPlan {
  /**
   * The canary's weight at each step, rising, e.g. `[10, 25, 50, 100]` (Flagger's `stepWeights`).
   * @default - none: give `linear` instead
   */
  readonly steps?: number[];

  /**
   * Steps of one size instead of a list: `{ stepWeight: 10, maxWeight: 50 }` is 10, 20, 30, 40
   * and 50. Flagger gets them as `stepWeight` and `maxWeight`; Git and Argo Rollouts walk them one
   * by one.
   * @default - none: give `steps` instead
   */
  readonly linear?: LinearSteps;

  /**
   * How many passed checks promote the new version in A/B testing, in place of steps: Flagger
   * sends the `testerRoutes`' requests to the new version and everyone else's to the old while
   * the analysis counts (Flagger's `iterations` with `match`).
   * @default - none: give steps or linear
   */
  readonly iterations?: number;

  /**
   * How long each step lasts before the next, for a controller.
   * @default - Argo Rollouts waits for a manual promotion; Flagger moves on after each passed analysis
   */
  readonly pause?: Duration;

  /**
   * Metric checks at each step.
   * @default - none
   */
  readonly analysis?: AnalysisOptions;

  /**
   * What only Flagger carries out: webhooks, the load tester's address, the progress deadline.
   * @default - none
   */
  readonly flagger?: FlaggerOptions;

  /**
   * What only Argo Rollouts carries out: scaling, placement and labels of the pods, a pause per step.
   * @default - none
   */
  readonly argo?: ArgoCanaryOptions;
}

/** The preview, analysis and promotion of a blue/green release run by a controller. */
export interface BlueGreenPlan {
  /**
   * Metric checks on the preview before promotion.
   * @default - none
   */
  readonly analysis?: AnalysisOptions;

  /**
   * Whether the controller promotes by itself once the preview is healthy (and the analysis passed).
   * @default false
   */
  readonly autoPromotion?: boolean;

  /**
   * How long the old colour keeps running after the switch, for a quick rollback. Not with
   * Argo's `postPromotionAnalysis`, which keeps it until the analysis after the switch passes.
   * @default Duration.seconds(30), or until the post-promotion analysis passes
   */
  readonly scaleDownDelay?: Duration;

  /**
   * How many passed analysis runs promote the preview (Flagger's `iterations`).
   * @default 10
   */
  readonly iterations?: number;

  /**
   * What only Flagger carries out: webhooks, the load tester's address, the progress deadline.
   * @default - none
   */
  readonly flagger?: FlaggerOptions;

  /**
   * What only Argo Rollouts carries out: scaling, placement and labels of the pods, the preview's
   * size, a delayed promotion, an analysis after it.
   * @default - none
   */
  readonly argo?: ArgoBlueGreenOptions;
}

/** Adds the app at one step of its plan to a chart, for {@link Plan.synthSteps}. */
export interface IStepBuilder {
  /**
   * Adds the app at `step` to `chart`, e.g. a `CanaryApp` with `step` in its props.
   *
   * @param chart a new chart of its own app, made for this step alone.
   * @param step the step's index in the plan, from 0.
   */
  buildStep(chart: Chart, step: number): void;
}

/** Helpers for the plan of a release that Git walks through, one commit per step. */
export class Plan {
  /**
   * Synthesizes every step of a plan into its own manifest set, in order, for tests and for CI
   * review: give them to `Verify.progression`. In TypeScript, `synthSteps` does the same with a
   * function in place of the builder.
   *
   * @param count how many steps the plan has: a whole number from 0.
   * @param builder adds the app at a given step to a chart; called once per step, in order.
   * @param props the props of every step's chart, e.g. its namespace.
   * @returns the manifests of each step, as plain JSON objects, as `chart.toJson()` gives them.
   */
  public static synthSteps(count: number, builder: IStepBuilder, props?: ChartProps): unknown[][] {
    const entry = 'Plan.synthSteps';
    if (typeof builder?.buildStep !== 'function') {
      fail(entry, 'builder', 'must have a buildStep(chart, step) method', builder, 'give an object that implements IStepBuilder');
    }
    return stepsOf(entry, count, (chart, step) => builder.buildStep(chart, step), props);
  }

  private constructor() {}
}

/**
 * Synthesizes every step of a plan into its own manifest set, in order, for tests and for CI
 * review (give them to `verifyProgression`). `build` adds the app at the given step to the chart.
 * The TypeScript form of {@link Plan.synthSteps}, with a function in place of the builder.
 */
export function synthSteps(count: number, build: (chart: Chart, step: number) => void, props?: ChartProps): unknown[][] {
  return stepsOf('synthSteps', count, build, props);
}

/** The steps of both names; `entry` names the one called in the errors. */
function stepsOf(entry: string, count: number, build: (chart: Chart, step: number) => void, props: ChartProps | undefined): unknown[][] {
  if (!Number.isInteger(count) || count < 0) {
    fail(entry, 'count', 'must be a whole number of steps from 0', count, 'give the number of steps of the plan, e.g. 4');
  }
  if (typeof build !== 'function') {
    fail(entry, 'build', 'must be a function', build, 'give (chart, step) => { ... }, which adds the app at step to chart');
  }
  return Array.from({ length: count }, (_, step) => {
    const chart = new Chart(new App(), 'step', props);
    build(chart, step);
    return chart.toJson();
  });
}

/** Resolves and checks analysis options; the checks name `field` in their errors. */
function resolveAnalysis(scope: Construct, field: string, value: AnalysisOptions | undefined): AnalysisModel | undefined {
  const options = checkObject(scope, field, value, '{ minSuccessRate: 99 }');
  if (options === undefined) return undefined;
  const command = options.loadTestCommand;
  return {
    intervalSeconds: wholeSeconds(scope, `${field}.interval`, orDefault(options.interval, Duration.minutes(1))),
    minSuccessRate: checkPercentage(scope, `${field}.minSuccessRate`, orDefault(options.minSuccessRate, 99), '99'),
    maxRequestDurationMs: requestDurationMs(scope, `${field}.maxRequestDuration`, options.maxRequestDuration),
    failureLimit: checkPositive(scope, `${field}.failureLimit`, orDefault(options.failureLimit, 2)),
    prometheusAddress: checkUrl(scope, `${field}.prometheusAddress`, orDefault(options.prometheusAddress, DEFAULT_PROMETHEUS),
      '"http://prometheus.istio-system:9090"'),
    loadTestCommand: command === undefined ? undefined : checkString(scope, `${field}.loadTestCommand`, command, '"hey -z 1m http://shop-canary.shop/"'),
    loadTestTimeoutSeconds: loadTestTimeout(scope, field, options),
    metrics: resolveMetrics(scope, `${field}.metrics`, options.metrics),
  };
}

/** The analysis' own checks, each an AnalysisMetric, named once. */
function resolveMetrics(scope: Construct, field: string, metrics: AnalysisMetric[] | undefined): MetricModel[] {
  const resolved: MetricModel[] = [];
  const nameOnce = once(scope, 'is the name of another check', 'give each check its own name');
  checkList(scope, field, metrics, '[AnalysisMetric.prometheus("error-rate", query, { max: 1 })]', (entry, metric) => {
    const { name, query, min, max } = checkInstance(scope, entry, metric, AnalysisMetric, 'AnalysisMetric.prometheus("error-rate", query, { max: 1 })');
    nameOnce(`${entry}.name`, name);
    resolved.push({ name, query, min, max });
  });
  return resolved;
}

/** The metrics threshold is in whole milliseconds, as Istio's request duration histogram counts them. */
function requestDurationMs(scope: Construct, field: string, duration: Duration | undefined): number {
  checkDuration(scope, field, duration);
  return (duration ?? Duration.millis(500)).toMilliseconds();
}

/** The load tester answers at once and runs the command in the background, so a short wait is enough. */
function loadTestTimeout(scope: Construct, field: string, options: AnalysisOptions): number {
  const seconds = wholeSeconds(scope, `${field}.loadTestTimeout`, orDefault(options.loadTestTimeout, Duration.seconds(5)));
  if (options.loadTestTimeout !== undefined && options.loadTestCommand === undefined) {
    fail(scope, `${field}.loadTestTimeout`, 'times a load test, and there is none', `${seconds}s`, `give ${field}.loadTestCommand, or leave loadTestTimeout out`);
  }
  return seconds;
}

/** Resolves the plan a controller runs. */
export function resolveControllerPlan(scope: Construct, plan: {
  readonly steps?: readonly number[];
  readonly pause?: Duration;
  readonly analysis?: AnalysisOptions;
  readonly autoPromotion?: boolean;
  readonly scaleDownDelay?: Duration;
  readonly iterations?: number;
  readonly argoRouting?: ArgoRouting;
  /** Resolved by `planSteps`, which the weights come from. */
  readonly linear?: LinearModel;
  readonly flagger?: FlaggerOptions;
  readonly argo?: ArgoCanaryOptions & ArgoBlueGreenOptions;
}): ControllerPlanModel {
  const flagger = checkObject(scope, 'plan.flagger', plan.flagger, '{ loadTesterUrl: "http://flagger-loadtester.shop/" }');
  return {
    steps: plan.steps ?? [],
    pauseSeconds: plan.pause === undefined ? undefined : wholeSeconds(scope, 'plan.pause', plan.pause),
    autoPromotion: checkBoolean(scope, 'plan.autoPromotion', orDefault(plan.autoPromotion, false)),
    scaleDownDelaySeconds: plan.scaleDownDelay === undefined ? undefined : wholeSeconds(scope, 'plan.scaleDownDelay', plan.scaleDownDelay),
    iterations: checkPositive(scope, 'plan.iterations', orDefault(plan.iterations, 10)),
    analysis: resolveAnalysis(scope, 'plan.analysis', plan.analysis),
    argoRouting: plan.argoRouting ?? ArgoRouting.SUBSET,
    linear: plan.linear,
    flagger: flagger && resolveFlagger(scope, flagger),
    argo: resolveArgoOptions(scope, 'plan.argo', plan.argo),
  };
}

/** The canary's weights of a plan, one per step, and the steps of one size they come from, if so. */
export interface CanarySteps {
  readonly steps: number[];
  readonly linear?: LinearModel;
}

/** The canary's weight at each step of a plan, from its list or from its steps of one size. */
export function planSteps(scope: Construct, plan: CanaryPlan): CanarySteps {
  checkObject(scope, 'plan.linear', plan.linear, '{ stepWeight: 10 }');
  // A/B testing counts checks rather than walk weights; the app checks who can run it.
  if (plan.linear === undefined && plan.steps === undefined && plan.iterations !== undefined) return { steps: [] };
  if (plan.linear === undefined) return { steps: checkSteps(scope, plan.steps) };
  if (plan.steps !== undefined) {
    fail(scope, 'plan.steps', 'can\'t be given with plan.linear: both set the weights', plan.steps, 'give steps for a list of weights, or linear for steps of one size');
  }
  const linear = resolveLinear(scope, plan.linear);
  return { steps: linearWeights(linear), linear };
}

/**
 * Flagger adds stepWeight until the weight reaches maxWeight, and stops at 100. A maxWeight below
 * 100 that is no multiple would make the last step go past it, so it is refused.
 */
function resolveLinear(scope: Construct, linear: LinearSteps): LinearModel {
  const { stepWeight } = linear;
  const maxWeight = orDefault(linear.maxWeight, 100);
  if (!Number.isInteger(stepWeight) || stepWeight < 1 || stepWeight > 100) {
    fail(scope, 'plan.linear.stepWeight', 'must be a whole percentage from 1 to 100', stepWeight, 'use e.g. 10');
  }
  if (!Number.isInteger(maxWeight) || maxWeight < stepWeight || maxWeight > 100) {
    fail(scope, 'plan.linear.maxWeight', `must be a whole percentage from stepWeight (${stepWeight}) to 100`, maxWeight, 'use e.g. 50');
  }
  if (maxWeight < 100 && maxWeight % stepWeight !== 0) {
    const below = maxWeight - (maxWeight % stepWeight);
    const past = Math.min(below + stepWeight, 100);
    fail(scope, 'plan.linear.maxWeight', `must be a multiple of stepWeight (${stepWeight}), or 100: Flagger would go on to ${past}%`,
      maxWeight, `use ${below} or ${past}`);
  }
  return { stepWeight, maxWeight };
}

function linearWeights({ stepWeight, maxWeight }: LinearModel): number[] {
  const count = Math.ceil(maxWeight / stepWeight);
  return Array.from({ length: count }, (_, i) => Math.min((i + 1) * stepWeight, 100));
}

/** Istio's Prometheus as its addons install it, which Kurator's Flagger queries too. */
export const DEFAULT_PROMETHEUS = 'http://prometheus.istio-system:9090';

const WEBHOOK = '{ name: "smoke-test", url: "http://tester.shop/" }';
const LOAD_TESTER = '"http://flagger-loadtester.shop/"';

function resolveFlagger(scope: Construct, options: FlaggerOptions): FlaggerPlanModel {
  const webhooks: WebhookModel[] = [];
  checkList(scope, 'plan.flagger.webhooks', options.webhooks, `[${WEBHOOK}]`, (field, hook) => webhooks.push(resolveWebhook(scope, field, hook)));
  const alerts: AlertModel[] = [];
  // Flagger tells alerts apart by name, as it does webhooks.
  const alertOnce = once(scope, 'is the name of another alert', 'give each alert its own name');
  checkList(scope, 'plan.flagger.alerts', options.alerts, `[${ALERT}]`, (field, alert) => {
    alerts.push(resolveAlert(scope, field, alert));
    alertOnce(`${field}.name`, alerts[alerts.length - 1].name);
  });
  const percent = (name: 'primaryReadyThreshold' | 'canaryReadyThreshold' | 'stepWeightPromotion') => {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 100)) {
      fail(scope, `plan.flagger.${name}`, 'must be a whole percentage from 1 to 100', value, 'use e.g. 50');
    }
    return value;
  };
  return {
    primaryReadyThreshold: percent('primaryReadyThreshold'),
    canaryReadyThreshold: percent('canaryReadyThreshold'),
    stepWeightPromotion: percent('stepWeightPromotion'),
    alerts: options.alerts === undefined ? undefined : alerts,
    webhooks: options.webhooks === undefined ? undefined : webhooks,
    loadTesterUrl: options.loadTesterUrl === undefined ? undefined : checkUrl(scope, 'plan.flagger.loadTesterUrl', options.loadTesterUrl, LOAD_TESTER),
    progressDeadlineSeconds: options.progressDeadline === undefined ? undefined : wholeSeconds(scope, 'plan.flagger.progressDeadline', options.progressDeadline),
  };
}

const ALERT = '{ name: "on-call", provider: "slack" }';

function resolveAlert(scope: Construct, field: string, alert: FlaggerAlert): AlertModel {
  checkGiven(scope, field, alert, ALERT);
  if (typeof alert.name !== 'string' || alert.name.trim() === '') fail(scope, `${field}.name`, 'must be a non-empty string', alert.name, 'e.g. "on-call"');
  return {
    name: alert.name,
    provider: checkObjectName(scope, `${field}.provider`, alert.provider, 'an AlertProvider', '"slack"'),
    providerNamespace: alert.providerNamespace === undefined ? undefined : checkNamespace(scope, `${field}.providerNamespace`, alert.providerNamespace),
    severity: checkEnum(scope, `${field}.severity`, orDefault(alert.severity, FlaggerAlertSeverity.INFO), FlaggerAlertSeverity),
  };
}

function resolveWebhook(scope: Construct, field: string, hook: FlaggerWebhook): WebhookModel {
  checkGiven(scope, field, hook, WEBHOOK);
  if (typeof hook.name !== 'string' || hook.name.trim() === '') fail(scope, `${field}.name`, 'must be a non-empty string', hook.name, 'e.g. "smoke-test"');
  const metadata = checkMetadata(scope, `${field}.metadata`, hook.metadata);
  return {
    field,
    name: hook.name,
    type: checkEnum(scope, `${field}.type`, orDefault(hook.type, FlaggerWebhookType.ROLLOUT), FlaggerWebhookType),
    url: checkUrl(scope, `${field}.url`, hook.url, LOAD_TESTER),
    timeoutSeconds: hook.timeout === undefined ? undefined : wholeSeconds(scope, `${field}.timeout`, hook.timeout),
    metadata: metadata && { ...metadata },
  };
}

/** The Canary's CRD takes metadata as strings only; JavaScript callers can pass anything. */
function checkMetadata(scope: Construct, field: string, value: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  const metadata = checkObject(scope, field, value, '{ cmd: "curl -s http://shop-canary.shop/" }');
  const wrong = Object.entries(metadata ?? {}).find(([, text]) => typeof text !== 'string');
  if (wrong) fail(scope, entryField(field, wrong[0]), 'must be a string', wrong[1], `write it as ${JSON.stringify(show(wrong[1]))}`);
  return metadata;
}

/** Flagger posts to webhooks over HTTP, its CRD takes absolute URLs only, and so do the metric providers. */
function checkUrl(scope: Construct, field: string, url: string, example: string): string {
  if (!isHttpUrl(url)) fail(scope, field, 'must be an absolute http or https URL', url, `e.g. ${example}`);
  return url;
}

function isHttpUrl(url: unknown): boolean {
  try {
    return typeof url === 'string' && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Checks canary weights: whole percentages that rise, as a release moves forward. */
function checkSteps(scope: Construct, steps: number[] | undefined): number[] {
  if (!Array.isArray(steps) || steps.length === 0) fail(scope, 'plan.steps', 'must list at least one weight', steps, 'e.g. [10, 25, 50, 100], or give plan.linear');
  return checkList(scope, 'plan.steps', steps, '[10, 25, 50, 100]', (field, weight, i) => {
    checkPercent(scope, field, weight);
    if (i > 0 && weight <= steps[i - 1]) fail(scope, field, `must rise above the step before (${steps[i - 1]})`, weight, 'list the weights in rising order');
  });
}
