import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ArgoPlanModel, PauseModel, PodRoleModel } from './model';
import { checkBoolean, checkInstance, checkList, checkObject, checkObjectName, checkPositive, fail, orDefault, wholeSeconds } from './validate';
import { checkPodMetadata } from './workload-checks';

/**
 * What only Argo Rollouts carries out, in the words of its Rollout: how the Rollout scales and
 * places the pods of each version, labels them by role, and holds its steps. Refused with Flagger.
 */

/** Where the scheduler may put the new version's pods: away from the nodes of the version that serves. */
export class AntiAffinity {
  /** Never on a node that runs a pod of the serving version (`requiredDuringSchedulingIgnoredDuringExecution`). */
  public static required(): AntiAffinity {
    return new AntiAffinity(undefined);
  }

  /**
   * Preferably not on such a node (`preferredDuringSchedulingIgnoredDuringExecution`).
   * @param weight how much the scheduler prefers other nodes: a whole number from 1 to 100
   */
  public static preferred(weight: number): AntiAffinity {
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      fail('AntiAffinity.preferred', 'weight', 'must be a whole number from 1 to 100, as Argo Rollouts takes it', weight, 'use e.g. 50');
    }
    return new AntiAffinity(weight);
  }

  /** The preference's weight; undefined for a requirement. */
  public readonly weight?: number;

  private constructor(weight: number | undefined) {
    this.weight = weight;
  }
}

/** How long the Rollout holds a step of the plan. */
export class StepPause {
  /**
   * Holds the step this long, then moves on.
   * @param duration whole seconds, 1 or more
   */
  public static of(duration: Duration): StepPause {
    return new StepPause(wholeSeconds('StepPause.of', 'duration', duration), undefined);
  }

  /** Holds the step until someone promotes it (`kubectl argo rollouts promote`). */
  public static untilPromoted(): StepPause {
    return new StepPause(undefined, undefined);
  }

  /**
   * Holds the step while the plan's analysis runs `checks` times, a check an interval, and moves
   * on once they pass; too many failures abort the release (an inline `analysis` step).
   * @param checks how many checks the step waits for: a whole number from 1
   */
  public static untilAnalysisPasses(checks: number): StepPause {
    if (!Number.isInteger(checks) || checks < 1 || checks > 2 ** 31 - 1) {
      fail('StepPause.untilAnalysisPasses', 'checks', 'must be a whole number, 1 or more', checks, 'use e.g. 3');
    }
    return new StepPause(undefined, checks);
  }

  /** How long the step is held, in seconds; undefined until promoted, or until the analysis passes. */
  public readonly seconds?: number;

  /** How many checks of the analysis hold the step; undefined when none does. */
  public readonly checks?: number;

  private constructor(seconds: number | undefined, checks: number | undefined) {
    this.seconds = seconds;
    this.checks = checks;
  }
}

/** How many pods the canary runs while its weight rises, in place of pods in proportion to the weight. */
export class CanaryScale {
  /**
   * This many pods, whatever the weight.
   * @param count a whole number from 1
   */
  public static replicas(count: number): CanaryScale {
    if (!Number.isInteger(count) || count < 1 || count > 2 ** 31 - 1) {
      fail('CanaryScale.replicas', 'count', 'must be a whole number, 1 or more: a canary without pods would get traffic no pod answers', count, 'use e.g. 2');
    }
    return new CanaryScale(count, undefined);
  }

  /**
   * This share of the app's replicas, whatever the weight.
   * @param percent a whole percentage from 1 to 100
   */
  public static percent(percent: number): CanaryScale {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
      fail('CanaryScale.percent', 'percent', 'must be a whole percentage from 1 to 100', percent, 'use e.g. 50');
    }
    return new CanaryScale(undefined, percent);
  }

  /** The pods' count; undefined for a share. */
  public readonly podCount?: number;

  /** The share of the app's replicas, in percent; undefined for a count. */
  public readonly replicaPercent?: number;

  private constructor(podCount: number | undefined, replicaPercent: number | undefined) {
    this.podCount = podCount;
    this.replicaPercent = replicaPercent;
  }
}

/**
 * An AnalysisTemplate of your own, with checks of any of Argo's providers, which the Rollout runs
 * beside the plan's analysis. It gets the arguments `service`, `namespace` and `version` (the
 * Service measured, the Rollout's namespace, the released version), and may declare any of them.
 * Argo runs the templates as one, so its metrics need names of their own: not `success-rate`,
 * `request-duration`, or those of `plan.analysis.metrics`.
 */
export class AnalysisTemplateRef {
  /**
   * An AnalysisTemplate in the app's namespace.
   * @param name the template's name, a DNS-1123 subdomain
   */
  public static named(name: string): AnalysisTemplateRef {
    return new AnalysisTemplateRef(checkObjectName('AnalysisTemplateRef.named', 'name', name, 'an AnalysisTemplate', '"error-budget"'), false);
  }

  /**
   * A ClusterAnalysisTemplate, shared by every namespace.
   * @param name the template's name, a DNS-1123 subdomain
   */
  public static cluster(name: string): AnalysisTemplateRef {
    return new AnalysisTemplateRef(checkObjectName('AnalysisTemplateRef.cluster', 'name', name, 'a ClusterAnalysisTemplate', '"error-budget"'), true);
  }

  /** The template's name. */
  public readonly templateName: string;

  /** Whether it is a ClusterAnalysisTemplate. */
  public readonly clusterScope: boolean;

  private constructor(templateName: string, clusterScope: boolean) {
    this.templateName = templateName;
    this.clusterScope = clusterScope;
  }
}

/** Labels and annotations that Argo Rollouts puts on the pods of one role while they have it. */
export interface RolePodMetadata {
  /**
   * Labels, e.g. `{ role: 'canary' }`, for dashboards and network policies.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** What only Argo Rollouts carries out, for either kind of release. */
export interface ArgoRolloutOptions {
  /**
   * How many pods may be unavailable while the Rollout scales (`maxUnavailable`).
   * @default - Argo's: 25% for a canary, 0 for a blue/green
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;

  /**
   * Keeps the new version's pods off the nodes of the version that serves, so that a bad node
   * can't take both down.
   * @default - none
   */
  readonly antiAffinity?: AntiAffinity;

  /**
   * Labels and annotations on the new version's pods while it is released: Argo's `canaryMetadata`,
   * or a blue/green's `previewMetadata`.
   * @default - none
   */
  readonly newVersionPods?: RolePodMetadata;

  /**
   * Labels and annotations on the serving version's pods: Argo's `stableMetadata`, or a
   * blue/green's `activeMetadata`.
   * @default - none
   */
  readonly servingVersionPods?: RolePodMetadata;

  /**
   * How long the new version's pods keep running after an abort, for a look at them.
   * @default - Argo's: 30 seconds
   */
  readonly abortScaleDownDelay?: Duration;

  /**
   * Templates of your own that run beside the plan's analysis: a canary's in the background, a
   * blue/green's before the promotion (and after it, with `postPromotionAnalysis`), where the
   * Rollout waits for them to end, so give their metrics a `count`.
   * @default - none
   */
  readonly analysisTemplates?: AnalysisTemplateRef[];
}

/** What only Argo Rollouts carries out in a canary release. */
export interface ArgoCanaryOptions extends ArgoRolloutOptions {
  /**
   * How many pods above the replicas the Rollout may add while it scales (`maxSurge`).
   * @default - Argo's: 25%
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;

  /**
   * How long the old version keeps running after the promotion, for a quick rollback.
   * @default - Argo's: 30 seconds
   */
  readonly scaleDownDelay?: Duration;

  /**
   * Scales the old version down as the new one takes traffic, rather than keep it at full size
   * until the end (`dynamicStableScale`). Not with `scaleDownDelay`.
   * @default false
   */
  readonly dynamicStableScale?: boolean;

  /**
   * The pause after each step below 100, in order: one per such step, timed, held until promoted,
   * or held until the analysis passes. In place of the plan's `pause`, which every step then shares.
   * @default - every step pauses as `pause` says
   */
  readonly pauses?: StepPause[];

  /**
   * Carries the `testerRoutes` out as Argo's managed header routes (`setHeaderRoute`), which the
   * Rollout adds at the start of each release and removes at its end, rather than as routes of the
   * VirtualService to the canary role. Each must go to the canary and match one header (a cookie
   * is one), as a managed header route takes.
   * @default false
   */
  readonly managedTesterRoutes?: boolean;

  /**
   * How many pods the canary runs until its last step (Argo's `setCanaryScale`), e.g. two pods
   * while it takes 10% and 50%; before a last step of 100, it scales with the weight again.
   * @default - pods in proportion to the weight
   */
  readonly canaryScale?: CanaryScale;
}

/** What only Argo Rollouts carries out in a blue/green release. */
export interface ArgoBlueGreenOptions extends ArgoRolloutOptions {
  /**
   * How many pods the preview runs before the promotion, which scales it to the full count
   * (`previewReplicaCount`).
   * @default - as many as the active colour
   */
  readonly previewReplicas?: number;

  /**
   * With `autoPromotion`, how long the Rollout waits once the preview is ready (and its analysis
   * passed) before it promotes (`autoPromotionSeconds`).
   * @default - at once
   */
  readonly autoPromotionDelay?: Duration;

  /**
   * Runs the plan's analysis again after the switch, on the Service that now serves; a failure
   * rolls back to the old colour while it still runs (`postPromotionAnalysis`).
   * @default false
   */
  readonly postPromotionAnalysis?: boolean;
}

const PERCENT = /^(100|[1-9]?[0-9])%$/;

/** Argo's options of either kind of release, resolved; `field` is where they are given, e.g. `plan.argo`. */
export function resolveArgoOptions(scope: Construct, field: string, value: ArgoCanaryOptions & ArgoBlueGreenOptions | undefined): ArgoPlanModel | undefined {
  const options = checkObject(scope, field, value, '{ maxUnavailable: PercentOrAbsolute.absolute(0) }');
  if (options === undefined) return undefined;
  const at = (name: string) => `${field}.${name}`;
  const seconds = (name: string, duration: Duration | undefined) => (duration === undefined ? undefined : wholeSeconds(scope, at(name), duration));
  return {
    maxSurge: amount(scope, at('maxSurge'), options.maxSurge),
    maxUnavailable: amount(scope, at('maxUnavailable'), options.maxUnavailable),
    antiAffinity: options.antiAffinity === undefined
      ? undefined : { weight: checkInstance(scope, at('antiAffinity'), options.antiAffinity, AntiAffinity, 'AntiAffinity.required()').weight },
    newVersionPods: rolePods(scope, at('newVersionPods'), options.newVersionPods),
    servingVersionPods: rolePods(scope, at('servingVersionPods'), options.servingVersionPods),
    abortScaleDownDelaySeconds: seconds('abortScaleDownDelay', options.abortScaleDownDelay),
    scaleDownDelaySeconds: seconds('scaleDownDelay', options.scaleDownDelay),
    dynamicStableScale: checkBoolean(scope, at('dynamicStableScale'), orDefault(options.dynamicStableScale, false)),
    managedTesterRoutes: checkBoolean(scope, at('managedTesterRoutes'), orDefault(options.managedTesterRoutes, false)),
    pauses: options.pauses === undefined ? undefined : pauses(scope, at('pauses'), options.pauses),
    canaryScale: options.canaryScale === undefined ? undefined : canaryScale(scope, at('canaryScale'), options.canaryScale),
    previewReplicas: options.previewReplicas === undefined ? undefined : checkPositive(scope, at('previewReplicas'), options.previewReplicas),
    autoPromotionSeconds: seconds('autoPromotionDelay', options.autoPromotionDelay),
    postPromotionAnalysis: checkBoolean(scope, at('postPromotionAnalysis'), orDefault(options.postPromotionAnalysis, false)),
    analysisTemplates: templateRefs(scope, at('analysisTemplates'), options.analysisTemplates),
  };
}

/** A count of pods as Argo takes it, whole or a whole percentage. */
function amount(scope: Construct, field: string, value: kplus.PercentOrAbsolute | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const given = checkInstance(scope, field, value, kplus.PercentOrAbsolute, 'PercentOrAbsolute.percent(25)').value as unknown;
  const fits = typeof given === 'string' ? PERCENT.test(given) : Number.isInteger(given) && (given as number) >= 0 && (given as number) < 2 ** 31;
  if (!fits) fail(scope, field, 'must be a whole number of pods, or a whole percentage from 0 to 100', given, 'use e.g. PercentOrAbsolute.percent(25)');
  return given as number | string;
}

function rolePods(scope: Construct, field: string, value: RolePodMetadata | undefined): PodRoleModel | undefined {
  const options = checkObject(scope, field, value, '{ labels: { role: "canary" } }');
  if (options === undefined) return undefined;
  checkPodMetadata(scope, `${field}.labels`, options.labels, `${field}.annotations`, options.annotations);
  return { labels: options.labels && { ...options.labels }, annotations: options.annotations && { ...options.annotations } };
}

function templateRefs(scope: Construct, field: string, value: AnalysisTemplateRef[] | undefined): { templateName: string; clusterScope: boolean }[] {
  const refs: { templateName: string; clusterScope: boolean }[] = [];
  checkList(scope, field, value, '[AnalysisTemplateRef.named("error-budget")]', (entry, ref) => {
    const { templateName, clusterScope } = checkInstance(scope, entry, ref, AnalysisTemplateRef, 'AnalysisTemplateRef.named("error-budget")');
    if (refs.some(other => other.templateName === templateName && other.clusterScope === clusterScope)) {
      fail(scope, entry, 'names a template already listed', templateName, 'list each template once');
    }
    refs.push({ templateName, clusterScope });
  });
  return refs;
}

/** In setCanaryScale's words, where a share of the replicas is a `weight`. */
function canaryScale(scope: Construct, field: string, value: CanaryScale): { replicas?: number; weight?: number } {
  const { podCount, replicaPercent } = checkInstance(scope, field, value, CanaryScale, 'CanaryScale.replicas(2)');
  return podCount === undefined ? { weight: replicaPercent } : { replicas: podCount };
}

function pauses(scope: Construct, field: string, value: StepPause[]): PauseModel[] {
  const held: PauseModel[] = [];
  checkList(scope, field, value, '[StepPause.of(Duration.minutes(5)), StepPause.untilPromoted()]', (entry, pause) => {
    const { seconds, checks } = checkInstance(scope, entry, pause, StepPause, 'StepPause.of(Duration.minutes(5))');
    held.push({ seconds, checks });
  });
  return held;
}
