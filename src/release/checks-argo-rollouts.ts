import { Construct } from 'constructs';
import { ArgoPlanModel, ControllerPlanModel, isHttpProtocol, PauseModel, ReleaseModel, releaseVersion, Strategy } from '../model';
import { ArgoRouting } from '../plan';
import { roleService, serviceRoles } from '../render/argo-rollouts';
import { fail } from '../validate';
import { appNameSource, checkGoDuration, checkInt32Seconds, checkServiceName } from './checks-limits';

/**
 * What a Rollout and the objects it edits cannot carry, refused while resolving and naming the
 * prop to change, so that `render/argo-rollouts.ts` only builds objects.
 */
export function checkArgoRollouts(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  const tester = model.matchRoutes.find(r => r.subset !== undefined);
  if (tester && model.strategy === Strategy.BLUE_GREEN) {
    fail(scope, 'testerRoutes', 'route to one colour\'s subset, and Argo Rollouts\' blue/green has none: it switches Services', tester.name,
      'reach the new version through preview instead');
  }
  if (model.mirror) checkMirror(scope, model, plan, model.mirror);
  if (model.sticky) {
    fail(scope, 'stickySessions', 'pin users to one version\'s subset, which Argo Rollouts does not keep: its roles change pods at every release', model.sticky,
      'leave stickySessions out');
  }
  checkTrafficPolicies(scope, model, plan);
  checkRelease(scope, model, plan);
  checkRoleServices(scope, model, plan);
  checkDurations(scope, plan);
  if (plan.argo) checkArgoOptions(scope, model, plan, plan.argo);
}

/**
 * Argo's own options: each for the kind of release whose strategy has the field, and together as
 * Argo's validation takes them (`ValidateRolloutStrategyCanary`, `invalidMaxSurgeMaxUnavailable`).
 */
function checkArgoOptions(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, argo: ArgoPlanModel): void {
  const canary = model.strategy === Strategy.CANARY;
  const otherKind: [string, unknown][] = canary
    ? [['previewReplicas', argo.previewReplicas], ['autoPromotionDelay', argo.autoPromotionSeconds], ['postPromotionAnalysis', argo.postPromotionAnalysis || undefined]]
    : [['maxSurge', argo.maxSurge], ['scaleDownDelay', argo.scaleDownDelaySeconds], ['dynamicStableScale', argo.dynamicStableScale || undefined],
      ['pauses', argo.pauses], ['canaryScale', argo.canaryScale], ['managedTesterRoutes', argo.managedTesterRoutes || undefined]];
  const given = otherKind.find(([, value]) => value !== undefined);
  if (given) {
    fail(scope, `plan.argo.${given[0]}`, `is an option of Argo's ${canary ? 'blue/green' : 'canary'} strategy, and this release is a ${canary ? 'canary' : 'blue/green'}`,
      given[1], given[0] === 'scaleDownDelay' ? 'set plan.scaleDownDelay, a blue/green\'s own' : 'leave it out');
  }
  if (argo.dynamicStableScale && argo.abortScaleDownDelaySeconds !== undefined) {
    fail(scope, 'plan.argo.abortScaleDownDelay', 'can\'t come with dynamicStableScale: Argo Rollouts 1.9 can then stay stuck on an abort (argo-rollouts#4900)',
      `${argo.abortScaleDownDelaySeconds}s`, 'leave abortScaleDownDelay or dynamicStableScale out');
  }
  if (isZero(argo.maxSurge) && isZero(argo.maxUnavailable)) {
    fail(scope, 'plan.argo.maxUnavailable', 'can\'t be 0 with maxSurge 0: Argo Rollouts could neither add a pod nor take one away', argo.maxUnavailable,
      'allow one of them at least a pod, e.g. PercentOrAbsolute.absolute(1)');
  }
  if (argo.dynamicStableScale && argo.scaleDownDelaySeconds !== undefined) {
    fail(scope, 'plan.argo.dynamicStableScale', 'scales the old version down as the new one takes traffic, so there is nothing left for scaleDownDelay to keep',
      true, 'leave dynamicStableScale or scaleDownDelay out');
  }
  if (argo.pauses) checkPauses(scope, model, plan, argo.pauses);
  if (argo.managedTesterRoutes) checkManagedTesterRoutes(scope, model);
  if (argo.autoPromotionSeconds !== undefined && !plan.autoPromotion) {
    fail(scope, 'plan.argo.autoPromotionDelay', 'delays the automatic promotion, and plan.autoPromotion is false', `${argo.autoPromotionSeconds}s`,
      'set plan.autoPromotion to true, or leave autoPromotionDelay out');
  }
  if (argo.analysisTemplates.length > 0 && !plan.analysis) {
    fail(scope, 'plan.argo.analysisTemplates', 'run beside plan.analysis, and there is none', argo.analysisTemplates.map(ref => ref.templateName),
      'give plan.analysis, whose checks the templates join');
  }
  if (argo.postPromotionAnalysis && plan.scaleDownDelaySeconds !== undefined) {
    // scaleDownOldReplicaSetsForBlueGreen (rollout/bluegreen.go) keeps the old colour for the analysis only without a delay.
    fail(scope, 'plan.scaleDownDelay', 'can\'t be given with plan.argo.postPromotionAnalysis: Argo Rollouts keeps the old colour until the analysis '
      + 'after the switch passes only when no delay is set, so that a failure can switch back', `${plan.scaleDownDelaySeconds}s`, 'leave plan.scaleDownDelay out');
  }
  if (argo.postPromotionAnalysis && !plan.analysis) {
    fail(scope, 'plan.argo.postPromotionAnalysis', 'runs plan.analysis again after the switch, and there is none', true, 'give plan.analysis, or leave it out');
  }
  const replicas = releaseVersion(model).replicas;
  if (argo.previewReplicas !== undefined && argo.previewReplicas > replicas) {
    fail(scope, 'plan.argo.previewReplicas', `must be at most the colour's replicas (${replicas}), to which the promotion scales it`, argo.previewReplicas,
      `use e.g. ${Math.max(1, Math.floor(replicas / 2))}`);
  }
  const seconds: [string, number | undefined][] = [
    ['abortScaleDownDelay', argo.abortScaleDownDelaySeconds], ['scaleDownDelay', argo.scaleDownDelaySeconds], ['autoPromotionDelay', argo.autoPromotionSeconds],
  ];
  for (const [name, value] of seconds) if (value !== undefined) checkInt32Seconds(scope, `plan.argo.${name}`, value, `Argo Rollouts' ${name}Seconds`);
}

/** One pause per step that pauses, the steps below 100; each a duration Argo parses. */
function checkPauses(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, pauses: readonly PauseModel[]): void {
  if (plan.pauseSeconds !== undefined) {
    fail(scope, 'plan.argo.pauses', 'can\'t be given with plan.pause: both set how long the steps pause', `${plan.pauseSeconds}s`,
      'leave plan.pause out, and give a pause per step');
  }
  const pausing = [...model.mirror ? ['mirror'] : [], ...plan.steps.filter(weight => weight < 100)];
  if (pauses.length !== pausing.length) {
    fail(scope, 'plan.argo.pauses', `must list one pause for each step below 100${model.mirror ? ', the mirror first' : ''}, ${pausing.length} `
      + `(${JSON.stringify(pausing)}), in order`, pauses.length, `give ${pausing.length} pauses`);
  }
  pauses.forEach((pause, i) => {
    const field = `plan.argo.pauses[${i}]`;
    if (pause.seconds !== undefined) checkGoDuration(scope, field, pause.seconds, ARGO_ROLLOUTS);
    if (pause.checks === undefined) return;
    if (!plan.analysis) fail(scope, field, 'waits for plan.analysis, and there is none', `StepPause.untilAnalysisPasses(${pause.checks})`, 'give plan.analysis');
    checkCountedChecks(scope, field, pause.checks, plan.analysis.failureLimit, `StepPause.untilAnalysisPasses(${plan.analysis.failureLimit})`);
  });
}

/**
 * A counted analysis fails once `failureLimit` checks fail (Argo's limit is one less, which it may
 * reach: assessMetricStatus); with fewer checks than that, it would pass though every one failed.
 * Argo's ValidateMetric refuses the fewest of those counts itself.
 */
function checkCountedChecks(scope: Construct, field: string, checks: number, failureLimit: number, fix: string): void {
  if (checks < failureLimit) {
    fail(scope, field, `must run at least plan.analysis.failureLimit (${failureLimit}) checks: with fewer, Argo Rollouts passes the analysis though `
      + 'every check fails', checks, `use ${fix}, or lower plan.analysis.failureLimit`);
  }
}

/**
 * Argo's managed header route (createHeaderRoute in rollout/trafficrouting/istio/istio.go) sends the
 * requests with one header to the canary; the entries of its match list are alternatives.
 */
function checkManagedTesterRoutes(scope: Construct, model: ReleaseModel): void {
  if (model.matchRoutes.length === 0) {
    fail(scope, 'plan.argo.managedTesterRoutes', 'manages the testerRoutes, and there are none', true, 'add testerRoutes, or leave it out');
  }
  model.matchRoutes.forEach((route, i) => {
    const { headers, ...others } = route.match;
    const conditions = [...Object.keys(headers ?? {}), ...Object.keys(others).filter(key => others[key as keyof typeof others] !== undefined)];
    if (route.subset !== model.release) {
      fail(scope, `testerRoutes[${i}].to`, 'must be the canary with plan.argo.managedTesterRoutes: Argo\'s managed header route goes to the canary only',
        route.name, 'route it to RouteTarget.canary(), or leave managedTesterRoutes out');
    }
    if (conditions.length !== 1 || headers === undefined) {
      fail(scope, `testerRoutes[${i}].when`, 'must be one header or cookie match with plan.argo.managedTesterRoutes: Argo\'s managed header route '
        + 'matches one header', conditions, 'match one header, or leave managedTesterRoutes out');
    }
  });
}

function isZero(amount: number | string | undefined): boolean {
  return amount === 0 || amount === '0%';
}

/**
 * Argo mirrors through a managed route (`setMirrorRoute`) that it puts ahead of every other and
 * that keeps the weights of its making: so the mirror is a phase of its own, before the first
 * weight, as in Flagger. The route matches by method, path and headers only, not by port.
 */
function checkMirror(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel, mirror: NonNullable<ReleaseModel['mirror']>): void {
  // The stable version takes all traffic under a controller, so the routing refused a mirror to it.
  if (model.strategy !== Strategy.CANARY) {
    fail(scope, 'mirror', 'can\'t be carried: Argo Rollouts mirrors only in a canary\'s steps (setMirrorRoute), and its blue/green has none',
      { percentage: mirror.percentage }, 'leave mirror out, and test the new colour through preview');
  }
  if (!Number.isInteger(mirror.percentage)) {
    fail(scope, 'mirror.percentage', 'must be a whole percentage for Argo\'s setMirrorRoute', mirror.percentage, 'use e.g. 20');
  }
  if (!plan.steps.some(weight => weight < 100)) {
    fail(scope, 'mirror', 'runs as a step of its own before the first weight, and the plan has no step to begin', { percentage: mirror.percentage },
      'give plan.steps, e.g. [10, 50, 100]');
  }
  if (model.matchRoutes.length > 0) {
    fail(scope, 'mirror', 'goes ahead of the testerRoutes in Argo\'s managed route, which would send their requests to the stable version while it mirrors',
      model.matchRoutes.map(r => r.name), 'leave mirror or testerRoutes out');
  }
  const http = model.ports.filter(port => isHttpProtocol(port.protocol));
  if (http.length > 1) {
    fail(scope, 'mirror', 'matches no port in Argo\'s managed route, and the app has several HTTP ports, whose requests it would all take',
      http.map(port => port.name), 'leave mirror out, or keep one HTTP port');
  }
}

function checkTrafficPolicies(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  const pinned = model.versions.find(v => v.trafficPolicy !== undefined);
  if (pinned) {
    fail(scope, `${pinned.id.toLowerCase()}.trafficPolicy`,
      'applies to one version\'s subset, and under Argo Rollouts the subsets are roles that change versions at every release', pinned.trafficPolicy,
      'set the app\'s trafficPolicy instead');
  }
  if (model.trafficPolicy && model.strategy === Strategy.BLUE_GREEN) {
    fail(scope, 'trafficPolicy', 'needs a DestinationRule, and Argo Rollouts\' blue/green has none: it switches Services', model.trafficPolicy,
      'leave trafficPolicy out');
  }
  if (model.trafficPolicy && plan.argoRouting === ArgoRouting.HOST) {
    fail(scope, 'trafficPolicy', 'needs a DestinationRule, and argoRouting ArgoRouting.HOST has none', model.trafficPolicy,
      'use ArgoRouting.SUBSET, or leave trafficPolicy out');
  }
}

function checkRelease(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  if (plan.analysis?.loadTestCommand !== undefined) {
    fail(scope, 'plan.analysis.loadTestCommand', 'runs in Flagger\'s load tester, which Argo Rollouts has no counterpart of', plan.analysis.loadTestCommand,
      'leave it out and send the new version traffic yourself');
  }
  if (plan.flagger) {
    fail(scope, 'plan.flagger', 'configures Flagger, and the controller is Argo Rollouts', plan.flagger, 'leave plan.flagger out');
  }
  if (model.strategy === Strategy.BLUE_GREEN && plan.analysis) {
    checkCountedChecks(scope, 'plan.iterations', plan.iterations, plan.analysis.failureLimit, `iterations: ${plan.analysis.failureLimit}`);
  }
  if (model.strategy === Strategy.CANARY && plan.analysis && !plan.steps.some(weight => weight < 100)) {
    fail(scope, 'plan.analysis', 'needs a step below 100, where the canary is measured before it takes all traffic', plan.steps,
      'add a step such as 10 before 100');
  }
}

/** The Services of Argo's roles, `<name>-<role>`; the preview prop's Service is the same one, checked with the preview. */
function checkRoleServices(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  const checked = new Set(model.extraServices.map(extra => extra.name));
  for (const service of serviceRoles(model, plan).map(role => roleService(model, role)).filter(name => !checked.has(name))) {
    checkServiceName(scope, service, 'for Argo Rollouts', appNameSource(model.name, service));
  }
}

/** The durations the Rollout and its analysis write. */
function checkDurations(scope: Construct, plan: ControllerPlanModel): void {
  if (plan.scaleDownDelaySeconds !== undefined) checkInt32Seconds(scope, 'plan.scaleDownDelay', plan.scaleDownDelaySeconds, 'Argo Rollouts\' scaleDownDelaySeconds');
  if (plan.pauseSeconds !== undefined) checkGoDuration(scope, 'plan.pause', plan.pauseSeconds, ARGO_ROLLOUTS);
  if (plan.analysis) checkGoDuration(scope, 'plan.analysis.interval', plan.analysis.intervalSeconds, ARGO_ROLLOUTS);
}

const ARGO_ROLLOUTS = 'Argo Rollouts';
