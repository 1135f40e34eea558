import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { AnalysisModel, ControllerPlanModel } from './model';
import { checkPercent, fail } from './validate';

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
   * Failed checks in a row that roll the release back.
   * @default 2
   */
  readonly failureLimit?: number;

  /**
   * The Prometheus that holds Istio's metrics.
   * @default 'http://prometheus.istio-system:9090'
   */
  readonly prometheusAddress?: string;

  /**
   * A load generator's command to run during the analysis (Flagger's load tester), e.g.
   * `hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/`.
   * @default - no load test: real traffic only
   */
  readonly loadTestCommand?: string;
}

/** The steps of a canary release. */
export interface CanaryPlan {
  /** The canary's weight at each step, rising, e.g. `[10, 25, 50, 100]`. */
  readonly steps: number[];

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
   * How long the old colour keeps running after the switch, for a quick rollback.
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;

  /**
   * How many passed analysis runs promote the preview (Flagger's `iterations`).
   * @default 10
   */
  readonly iterations?: number;
}

/**
 * Synthesizes every step of a plan into its own manifest set, in order, for tests and for CI
 * review (give them to `verifyProgression`). `build` adds the app at the given step to the chart.
 */
export function synthSteps(count: number, build: (chart: Chart, step: number) => void, props?: ChartProps): unknown[][] {
  return Array.from({ length: count }, (_, step) => {
    const chart = new Chart(new App(), 'step', props);
    build(chart, step);
    return chart.toJson();
  });
}

/** Resolves and checks analysis options; the checks name `field` in their errors. */
export function resolveAnalysis(scope: Construct, field: string, options: AnalysisOptions | undefined): AnalysisModel | undefined {
  if (!options) return undefined;
  const minSuccessRate = options.minSuccessRate ?? 99;
  if (typeof minSuccessRate !== 'number' || !(minSuccessRate >= 0 && minSuccessRate <= 100)) {
    fail(scope, `${field}.minSuccessRate`, 'must be a percentage from 0 to 100', minSuccessRate, 'use e.g. 99');
  }
  const failureLimit = options.failureLimit ?? 2;
  if (!Number.isInteger(failureLimit) || failureLimit < 1) {
    fail(scope, `${field}.failureLimit`, 'must be a whole number of failed checks, 1 or more', failureLimit, 'use e.g. 2');
  }
  return {
    intervalSeconds: positiveSeconds(scope, `${field}.interval`, options.interval ?? Duration.minutes(1)),
    minSuccessRate,
    maxRequestDurationMs: (options.maxRequestDuration ?? Duration.millis(500)).toMilliseconds(),
    failureLimit,
    prometheusAddress: options.prometheusAddress ?? 'http://prometheus.istio-system:9090',
    loadTestCommand: options.loadTestCommand,
  };
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
}): ControllerPlanModel {
  const iterations = plan.iterations ?? 10;
  if (!Number.isInteger(iterations) || iterations < 1) fail(scope, 'plan.iterations', 'must be a whole number, 1 or more', iterations, 'use e.g. 10');
  return {
    steps: plan.steps ?? [],
    pauseSeconds: plan.pause && positiveSeconds(scope, 'plan.pause', plan.pause),
    autoPromotion: plan.autoPromotion ?? false,
    scaleDownDelaySeconds: positiveSeconds(scope, 'plan.scaleDownDelay', plan.scaleDownDelay ?? Duration.seconds(30)),
    iterations,
    analysis: resolveAnalysis(scope, 'plan.analysis', plan.analysis),
    argoRouting: plan.argoRouting ?? ArgoRouting.SUBSET,
  };
}

/** Checks canary weights: whole percentages that rise, as a release moves forward. */
export function checkSteps(scope: Construct, steps: unknown): number[] {
  if (!Array.isArray(steps) || steps.length === 0) fail(scope, 'plan.steps', 'must list at least one weight', steps, 'e.g. [10, 25, 50, 100]');
  steps.forEach((weight, i) => {
    checkPercent(scope, `plan.steps[${i}]`, weight);
    if (i > 0 && weight <= steps[i - 1]) {
      fail(scope, `plan.steps[${i}]`, `must rise above the step before (${steps[i - 1]})`, weight, 'list the weights in rising order');
    }
  });
  return steps;
}

function positiveSeconds(scope: Construct, field: string, duration: Duration): number {
  const seconds = duration.toSeconds();
  if (!Number.isInteger(seconds) || seconds < 1) fail(scope, field, 'must be whole seconds, 1 or more', `${seconds}s`, 'use e.g. Duration.minutes(1)');
  return seconds;
}
