import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AnalysisTemplate,
  AnalysisTemplateSpecMetrics,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  Rollout,
  RolloutSpecStrategyCanaryAnalysisArgs,
  RolloutSpecStrategyCanaryAnalysisTemplates,
  RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsPauseDuration,
  toJson_AnalysisTemplateSpec,
  toJson_RolloutSpec,
  toJson_RolloutSpecStrategy,
  toJson_RolloutSpecStrategyCanaryTrafficRoutingIstioVirtualService,
} from '../../imports/argoproj.io';
import { fillQuery, MetricRange } from '../analysis-metric';
import { AnalysisModel, ArgoPlanModel, ControllerPlanModel, PauseModel, ReleaseModel, releaseVersion, Strategy } from '../model';
import { serviceHost } from '../names';
import { ArgoRouting } from '../plan';
import { renderAppService, renderControllerPolicies, renderPodTemplate } from '../workloads';
import { metadataOf, needsVirtualService, renderDestinationRule, renderVirtualService } from './istio';
import { RenderedRelease } from './release';

/**
 * The release as Argo Rollouts carries it out: a Rollout in place of the Deployments, whose
 * template is the version being released, and the Istio objects whose weights the Rollout moves.
 * Argo knows two roles rather than versions, `stable` and `canary`: DestinationRule subsets (or
 * Services `<name>-stable` and `<name>-canary`) that it points at the pods of each role. A
 * blue/green has no mesh weights: Argo switches the selectors of `<name>` and `<name>-preview`.
 */

/** How long the old colour runs after a switch, as Argo's own default, written out so that the manifests say it. */
const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

const STABLE = 'stable';
const CANARY = 'canary';
const PREVIEW = 'preview';

/** Renders a release that the resolve step checked for Argo Rollouts (release/checks-argo-rollouts.ts). */
export function renderArgoRollouts(scope: Construct, model: ReleaseModel): RenderedRelease {
  // The apps resolve a plan whenever a controller runs the release.
  const plan = model.plan!;
  return model.strategy === Strategy.CANARY ? renderCanary(scope, model, plan) : renderBlueGreen(scope, model, plan);
}

/**
 * Make-before-break, as for Deployments: the analysis the Rollout runs, then the pods, then the
 * Services, subsets and routes to them. The Rollout lists the VirtualService's routes, which are
 * read from the VirtualService once it is written.
 */
function renderCanary(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): RenderedRelease {
  const roles = serviceRoles(model, plan);
  const roleServices = roles.length > 0 ? new Map(roles.map(role => [role, roleService(model, role)])) : undefined;
  const analysisTemplate = plan.analysis && renderAnalysisTemplate(scope, model, plan.analysis);
  const stepAnalysisTemplates = stepChecks(plan).map(count => renderAnalysisTemplate(scope, model, plan.analysis!, count, `-checks-${count}`));
  const measured = roleServices?.get(CANARY) ?? model.name;
  const argo = plan.argo;
  const steps = canarySteps(model, plan, measured);
  const strategy = toJson_RolloutSpecStrategy({
    canary: {
      stableService: roleServices?.get(STABLE),
      canaryService: roleServices?.get(CANARY),
      ...podOptions(argo),
      maxSurge: amount(argo?.maxSurge),
      canaryMetadata: argo?.newVersionPods,
      stableMetadata: argo?.servingVersionPods,
      scaleDownDelaySeconds: argo?.scaleDownDelaySeconds,
      dynamicStableScale: argo?.dynamicStableScale || undefined,
      steps,
      // From the step after the first weight on, once the canary takes traffic to measure: not
      // while it only gets the mirror's copies, which its callers' proxies don't report.
      analysis: analysisTemplate && {
        templates: templatesWith(analysisTemplate, argo),
        startingStep: steps.findIndex(step => step.setWeight !== undefined) + 1,
        args: analysisArgs(model, measured),
      },
    },
  })!;
  const managed = [...argo?.managedTesterRoutes ? model.matchRoutes.map(route => route.name) : [], ...model.mirror ? [MIRROR_ROUTE] : []];
  strategy.canary.trafficRouting = {
    managedRoutes: managed.length > 0 ? managed.map(name => ({ name })) : undefined,
    istio: {
      virtualService: Lazy.any({ produce: () => managedRoutes(virtualService) }),
      destinationRule: roleServices ? undefined : { name: model.name, canarySubsetName: CANARY, stableSubsetName: STABLE },
    },
  };
  const rollout = renderRollout(scope, model, strategy);
  const service = renderAppService(scope, 'Service', model, model.name);
  const extraServices = [...roleServices ?? []].map(([role, name]) => renderAppService(scope, `${pascal(role)}Service`, model, name));
  const byRole = roleModel(model, argo?.managedTesterRoutes ?? false);
  const destinationRule = roleServices ? undefined : renderRoleSubsets(scope, byRole);
  const virtualService = renderVirtualService(scope, byRole);
  if (roleServices) routeRolesToServices(virtualService, model, roleServices);
  return { deployments: [], analysisTemplate, stepAnalysisTemplates, rollout, service, extraServices, destinationRule, virtualService };
}

/** The plan's template, then the user's own, by name or cluster-wide. */
function templatesWith(ours: ApiObject, argo: ArgoPlanModel | undefined): RolloutSpecStrategyCanaryAnalysisTemplates[] {
  return [
    { templateName: ours.name },
    ...(argo?.analysisTemplates ?? []).map(ref => ({ templateName: ref.templateName, clusterScope: ref.clusterScope || undefined })),
  ];
}

/** The counts of checks that hold a step, once each: each count is an AnalysisTemplate, as Argo takes no count from arguments. */
function stepChecks(plan: ControllerPlanModel): number[] {
  const counts = (plan.argo?.pauses ?? []).flatMap(pause => (pause.checks === undefined ? [] : [pause.checks]));
  return [...new Set(counts)];
}

/** The AnalysisTemplate that holds a step for `count` checks. */
function stepTemplateName(model: ReleaseModel, count: number): string {
  return `${model.name}-checks-${count}`;
}

/**
 * Argo's blue/green moves no weights: it points `<name>` (active) and `<name>-preview` at the pods
 * of one revision each. A VirtualService is written only to bind the app to its gateway or to
 * route preview requests, and it routes to those Services' hosts, without subsets.
 */
function renderBlueGreen(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): RenderedRelease {
  const preview = roleService(model, PREVIEW);
  const argo = plan.argo;
  const analysisTemplate = plan.analysis && renderAnalysisTemplate(scope, model, plan.analysis, plan.iterations);
  const strategy = toJson_RolloutSpecStrategy({
    blueGreen: {
      activeService: model.name,
      previewService: preview,
      autoPromotionEnabled: plan.autoPromotion,
      autoPromotionSeconds: argo?.autoPromotionSeconds,
      // Argo's own default is 30 seconds; without a delay, it keeps the old colour until a post-promotion analysis passes.
      scaleDownDelaySeconds: plan.scaleDownDelaySeconds ?? (argo?.postPromotionAnalysis ? undefined : DEFAULT_SCALE_DOWN_DELAY_SECONDS),
      ...podOptions(argo),
      previewMetadata: argo?.newVersionPods,
      activeMetadata: argo?.servingVersionPods,
      previewReplicaCount: argo?.previewReplicas,
      prePromotionAnalysis: analysisTemplate && {
        templates: templatesWith(analysisTemplate, argo),
        args: analysisArgs(model, preview),
      },
      // The same checks, on the Service that serves once the switch is made.
      postPromotionAnalysis: analysisTemplate && argo?.postPromotionAnalysis ? {
        templates: templatesWith(analysisTemplate, argo),
        args: analysisArgs(model, model.name),
      } : undefined,
    },
  })!;
  const rollout = renderRollout(scope, model, strategy);
  const service = renderAppService(scope, 'Service', model, model.name);
  const extraServices = [renderAppService(scope, 'PreviewService', model, preview)];
  const virtualService = hasArgoVirtualService(model) ? renderVirtualService(scope, byServices(model)) : undefined;
  return { deployments: [], analysisTemplate, rollout, service, extraServices, virtualService };
}

/**
 * Whether a release under Argo Rollouts has a VirtualService: a canary's weights are in one, and
 * a blue/green, which moves none, has one only to bind the app to its gateway or route the preview.
 */
export function hasArgoVirtualService(model: ReleaseModel): boolean {
  return model.strategy === Strategy.CANARY || needsVirtualService(byServices(model));
}

/** A blue/green as the Istio renderer writes it: routed to the Services Argo switches, without subsets. */
function byServices(model: ReleaseModel): ReleaseModel {
  return { ...model, selectorRouting: true };
}

function renderRollout(scope: Construct, model: ReleaseModel, strategy: { [key: string]: unknown }): ApiObject {
  const release = releaseVersion(model);
  const autoscaled = model.policies.autoscaling !== undefined;
  const spec = toJson_RolloutSpec({
    // With an autoscaler the replicas are its minimum, left out as they are from a Deployment.
    replicas: autoscaled ? undefined : release.replicas,
    // The app label alone: a Rollout's selector is immutable, and it spans every revision.
    selector: { matchLabels: { ...model.selector } },
  })!;
  const rollout = new ApiObject(scope, 'Rollout', {
    ...Rollout.GVK,
    metadata: metadataOf(model),
    // The template bypasses the generated converter, which renames and drops the pod fields it
    // does not know (setHostnameAsFQDN). It keeps the `version` label: Argo keeps the old
    // ReplicaSet, whose pods rightly keep theirs, and Istio's metrics name versions by it.
    spec: { ...spec, strategy, template: renderPodTemplate(scope, model, release) },
  });
  renderControllerPolicies(rollout, model, autoscaled ? release.replicas : undefined);
  return rollout;
}

/**
 * A setWeight per step, each held by a pause (timed, or until promoted by hand) unless it
 * completes the release: the plan's pause for all, or one of `plan.argo.pauses` each.
 */
function canarySteps(model: ReleaseModel, plan: ControllerPlanModel, measured: string): RolloutSpecStrategyCanarySteps[] {
  const shared: PauseModel = { seconds: plan.pauseSeconds };
  const pauses = [...plan.argo?.pauses ?? [...model.mirror ? [shared] : [], ...plan.steps.map(() => shared)]];
  const pause = (): RolloutSpecStrategyCanarySteps => {
    const { seconds, checks } = pauses.shift()!;
    if (checks !== undefined) {
      return { analysis: { templates: [{ templateName: stepTemplateName(model, checks) }], args: analysisArgs(model, measured) } };
    }
    return { pause: { duration: seconds === undefined ? undefined : RolloutSpecStrategyCanaryStepsPauseDuration.fromString(`${seconds}s`) } };
  };
  const mirror = model.mirror ? mirrorPhase(model.mirror.percentage, pause, plan.argo?.canaryScale === undefined) : [];
  const weights = plan.steps.flatMap(weight => (weight === 100 ? [...matchWeight(plan), { setWeight: weight }] : [{ setWeight: weight }, pause()]));
  return [...scaleCanary(plan), ...headerRoutes(model, plan), ...mirror, ...weights];
}

/** The tester routes as Argo's managed header routes, set at the start of the release; Argo removes them at its end. */
function headerRoutes(model: ReleaseModel, plan: ControllerPlanModel): RolloutSpecStrategyCanarySteps[] {
  if (!plan.argo?.managedTesterRoutes) return [];
  return model.matchRoutes.map(route => {
    // The resolve step checked that each matches one header.
    const [headerName, headerValue] = Object.entries(route.match.headers!)[0];
    return { setHeaderRoute: { name: route.name, match: [{ headerName, headerValue: { ...headerValue } }] } };
  });
}

/** The canary's own scale, from the first step. */
function scaleCanary(plan: ControllerPlanModel): RolloutSpecStrategyCanarySteps[] {
  const scale = plan.argo?.canaryScale;
  return scale ? [{ setCanaryScale: { ...scale } }] : [];
}

/** Before the canary takes all traffic, its scale follows the weight again, so that it runs every pod. */
function matchWeight(plan: ControllerPlanModel): RolloutSpecStrategyCanarySteps[] {
  return plan.argo?.canaryScale ? [{ setCanaryScale: { matchTrafficWeight: true } }] : [];
}

const MIRROR_ROUTE = 'mirror';

/**
 * The mirror as Argo's managed route, which copies every request (a path prefix of `/`) to the
 * canary while the stable version answers, held as a step; then removed, which a route without
 * a match asks for, before the weights begin.
 */
function mirrorPhase(percentage: number, pause: () => RolloutSpecStrategyCanarySteps, scaleForMirror: boolean): RolloutSpecStrategyCanarySteps[] {
  // Before its first weight, Argo sizes the canary for a weight of 0, which is no pod: without a
  // scale of its own, the canary is scaled for the mirror's share of the requests, then again
  // with the weights.
  return [
    ...scaleForMirror ? [{ setCanaryScale: { weight: Math.max(1, Math.ceil(percentage)) } }] : [],
    { setMirrorRoute: { name: MIRROR_ROUTE, percentage, match: [{ path: { prefix: '/' } }] } },
    pause(),
    { setMirrorRoute: { name: MIRROR_ROUTE } },
    ...scaleForMirror ? [{ setCanaryScale: { matchTrafficWeight: true } }] : [],
  ];
}

/** What both strategies of a Rollout take alike: how many pods may be unavailable, where the new ones go, how long an abort keeps them. */
function podOptions(argo: ArgoPlanModel | undefined): Record<string, unknown> {
  return {
    maxUnavailable: amount(argo?.maxUnavailable),
    antiAffinity: argo?.antiAffinity && (argo.antiAffinity.weight === undefined
      ? { requiredDuringSchedulingIgnoredDuringExecution: {} }
      : { preferredDuringSchedulingIgnoredDuringExecution: { weight: argo.antiAffinity.weight } }),
    abortScaleDownDelaySeconds: argo?.abortScaleDownDelaySeconds,
  };
}

/** Argo's IntOrString: a count of pods, or a percentage. */
function amount(value: number | string | undefined): RolloutSpecStrategyCanaryMaxSurge | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? RolloutSpecStrategyCanaryMaxSurge.fromNumber(value) : RolloutSpecStrategyCanaryMaxSurge.fromString(value);
}

/**
 * The release in Argo's roles, for the static Istio renderer to write their subsets and routes:
 * `stable` at 100 and `canary` at 0, both over every pod of the app until Argo narrows them. A
 * tester route to the canary goes to the canary role, which holds the canary's pods during a
 * release and the stable pods between releases; any other tester route goes to the stable role.
 */
function roleModel(model: ReleaseModel, managedTesterRoutes: boolean): ReleaseModel {
  const release = releaseVersion(model);
  const stable = model.versions.find(v => v.subset !== model.release);
  const role = (subset: string) => (stable && subset === release.subset ? CANARY : STABLE);
  return {
    ...model,
    // Argo's managed route mirrors, as a step of the plan: a static mirror to the canary role
    // would copy every request to the stable pods between releases.
    mirror: undefined,
    versions: [{ ...stable ?? release, subset: STABLE }, { ...release, subset: CANARY }],
    routes: [{ subset: STABLE, weight: 100 }, { subset: CANARY, weight: 0 }],
    // Managed tester routes are the Rollout's steps, not routes of the VirtualService.
    matchRoutes: managedTesterRoutes ? [] : model.matchRoutes.map(r => ({ ...r, subset: r.subset && role(r.subset) })),
  };
}

/**
 * The role subsets select the app's pods, and Argo adds each role's `rollouts-pod-template-hash`.
 * A `version` label would pin a role to one version: after a promotion, the stable subset would
 * select no pods.
 */
function renderRoleSubsets(scope: Construct, roles: ReleaseModel): ApiObject {
  const rule = renderDestinationRule(scope, roles);
  roles.versions.forEach((_, i) => rule.addJsonPatch(JsonPatch.replace(`/spec/subsets/${i}/labels`, { ...roles.selector })));
  return rule;
}

/** Host-level routing: each role's destination is its own Service, whose selector Argo narrows to the role's pods. */
function routeRolesToServices(virtualService: ApiObject, model: ReleaseModel, roleServices: ReadonlyMap<string, string>): void {
  const spec = virtualService.toJson().spec;
  for (const kind of ['http', 'tcp']) {
    (spec[kind] ?? []).forEach((route: { route: { destination: { subset: string } }[] }, i: number) => route.route.forEach((entry, j) => {
      const at = `/spec/${kind}/${i}/route/${j}/destination`;
      virtualService.addJsonPatch(
        JsonPatch.replace(`${at}/host`, serviceHost(roleServices.get(entry.destination.subset)!, model.namespace)),
        JsonPatch.remove(`${at}/subset`),
      );
    }));
  }
}

/**
 * The routes Argo edits: those that split between the two roles (a tester route goes to one role
 * and keeps its destination), and every TCP route, which is always the split.
 */
function managedRoutes(virtualService: ApiObject): unknown {
  const spec = virtualService.toJson().spec;
  return toJson_RolloutSpecStrategyCanaryTrafficRoutingIstioVirtualService({
    name: virtualService.name,
    routes: spec.http?.filter((route: { route: unknown[] }) => route.route.length === 2).map((route: { name: string }) => route.name),
    tcpRoutes: spec.tcp?.map((route: { match: { port: number }[] }) => ({ port: route.match[0].port })),
  });
}

/**
 * Istio's standard metrics of the new revision's pods, as its callers' proxies report them
 * (`reporter="source"`): they also see the requests that fail before a pod answers.
 *
 * A check without traffic is inconclusive, not failed: a blue/green's preview gets no live
 * traffic, and a quiet hour would otherwise abort every release. Argo calls a measurement
 * inconclusive when both conditions are set and neither holds (`EvaluateResult`); an empty answer
 * fails both through `len(result) > 0`, and NaN (no requests in the window) fails any comparison.
 * With the default `inconclusiveLimit` of 0, the run is then inconclusive and the Rollout pauses
 * for a person to promote or abort it.
 */
function renderAnalysisTemplate(scope: Construct, model: ReleaseModel, analysis: AnalysisModel, count?: number, suffix = ''): ApiObject {
  // rate() needs two scrapes in its window; Istio's Prometheus scrapes every 15 seconds.
  const window = `${Math.max(analysis.intervalSeconds, 60)}s`;
  const labels = [
    'reporter="source"',
    'destination_service="{{args.service}}.{{args.namespace}}.svc.cluster.local"',
    'destination_version="{{args.version}}"',
  ].join(', ');
  const metric = (name: string, query: string, range: MetricRange): AnalysisTemplateSpecMetrics => ({
    name,
    interval: `${analysis.intervalSeconds}s`,
    // The first measurement waits for a full window of the new revision's traffic.
    initialDelay: window,
    count: count === undefined ? undefined : AnalysisTemplateSpecMetricsCount.fromNumber(count),
    // Argo fails the run when the failed measurements exceed the limit; ours is the failure that rolls back.
    failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(analysis.failureLimit - 1),
    ...conditions(range),
    provider: { prometheus: { address: analysis.prometheusAddress, query } },
  });
  const requests = (extra: string) => `sum(rate(istio_requests_total{${labels}${extra}}[${window}]))`;
  const spec = toJson_AnalysisTemplateSpec({
    args: ANALYSIS_ARGS.map(name => ({ name })),
    metrics: [
      metric('success-rate', `100 * ${requests(', response_code!~"5.*"')} / ${requests('')}`, { min: analysis.minSuccessRate }),
      metric('request-duration',
        `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${labels}}[${window}])))`,
        { max: analysis.maxRequestDurationMs }),
      ...analysis.metrics.map(own => metric(own.name, fillQuery(own.query, {
        namespace: '{{args.namespace}}', app: model.name, version: '{{args.version}}', window,
      }), own)),
    ],
  });
  return new ApiObject(scope, `AnalysisTemplate${suffix}`, {
    ...AnalysisTemplate.GVK,
    metadata: { ...metadataOf(model), name: `${model.name}${suffix}` },
    spec,
  });
}

const ANALYSIS_ARGS = ['service', 'namespace', 'version'];

/**
 * A range as Argo's two conditions: an answer inside passes, one outside fails, and none (or NaN)
 * meets neither, which Argo calls inconclusive.
 */
function conditions({ min, max }: MetricRange): { successCondition: string; failureCondition: string } {
  const bounds: [string, string][] = [
    ...min === undefined ? [] : [[`result[0] >= ${min}`, `result[0] < ${min}`] as [string, string]],
    ...max === undefined ? [] : [[`result[0] <= ${max}`, `result[0] > ${max}`] as [string, string]],
  ];
  const outside = bounds.map(([, out]) => out);
  return {
    successCondition: `len(result) > 0 && ${bounds.map(([inside]) => inside).join(' && ')}`,
    failureCondition: `len(result) > 0 && ${outside.length > 1 ? `(${outside.join(' || ')})` : outside[0]}`,
  };
}

/** Which traffic the analysis measures: to `service`, at the released version's pods. */
function analysisArgs(model: ReleaseModel, service: string): RolloutSpecStrategyCanaryAnalysisArgs[] {
  return [
    { name: 'service', value: service },
    // The Rollout's own namespace, which the manifests may leave to the applier.
    { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'version', value: releaseVersion(model).version },
  ];
}

/**
 * The roles that get a Service of their own: host-level canary routing gives each role one, where
 * subset-level routing uses subsets of the app's; a blue/green previews through `<name>-preview`.
 */
export function serviceRoles(model: ReleaseModel, plan: ControllerPlanModel): string[] {
  if (model.strategy === Strategy.BLUE_GREEN) return [PREVIEW];
  return plan.argoRouting === ArgoRouting.HOST ? [STABLE, CANARY] : [];
}

/** The Service of one of Argo's roles, `<name>-<role>`. */
export function roleService(model: ReleaseModel, role: string): string {
  return `${model.name}-${role}`;
}

function pascal(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
