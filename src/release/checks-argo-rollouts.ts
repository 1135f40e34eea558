import { Construct } from 'constructs';
import { ControllerPlanModel, ReleaseModel, Strategy } from '../model';
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
  if (model.mirror) {
    // After a promotion Argo points the canary role at the stable pods, which would then get every request twice.
    fail(scope, 'mirror', 'copies requests to one version\'s subset, which Argo Rollouts does not keep: its roles change pods at every release', model.mirror,
      'leave mirror out, or add Argo\'s setMirrorRoute steps to the Rollout');
  }
  if (model.sticky) {
    fail(scope, 'stickySessions', 'pin users to one version\'s subset, which Argo Rollouts does not keep: its roles change pods at every release', model.sticky,
      'leave stickySessions out');
  }
  checkTrafficPolicies(scope, model, plan);
  checkRelease(scope, model, plan);
  checkRoleServices(scope, model, plan);
  checkDurations(scope, plan);
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
  checkInt32Seconds(scope, 'plan.scaleDownDelay', plan.scaleDownDelaySeconds, 'Argo Rollouts\' scaleDownDelaySeconds');
  if (plan.pauseSeconds !== undefined) checkGoDuration(scope, 'plan.pause', plan.pauseSeconds, ARGO_ROLLOUTS);
  if (plan.analysis) checkGoDuration(scope, 'plan.analysis.interval', plan.analysis.intervalSeconds, ARGO_ROLLOUTS);
}

const ARGO_ROLLOUTS = 'Argo Rollouts';
