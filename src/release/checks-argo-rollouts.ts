import { Construct } from 'constructs';
import { ControllerPlanModel, ReleaseModel, releaseVersion, Strategy } from '../model';
import { isDns1035Label } from '../names';
import { ArgoRouting } from '../plan';
import { roleService, serviceRoles } from '../render/argo-rollouts';
import { fail } from '../validate';
import { checkGoDuration, checkInt32Seconds } from './checks-limits';

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
  const release = releaseVersion(model);
  if (release.replicas === 0) {
    fail(scope, `${release.id.toLowerCase()}.replicas`, 'must be above 0: they are the Rollout\'s replicas, which run every pod of the app',
      release.replicas, 'use e.g. 2');
  }
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

/** The Services of Argo's roles, `<name>-<role>`, must still be DNS-1035 labels. */
function checkRoleServices(scope: Construct, model: ReleaseModel, plan: ControllerPlanModel): void {
  for (const role of serviceRoles(model, plan)) {
    const name = roleService(model, role);
    if (!isDns1035Label(name)) {
      fail(scope, 'name', `needs a Service named ${JSON.stringify(name)} for Argo Rollouts, longer than 63 characters`, model.name,
        `shorten the app name to ${63 - role.length - 1} characters or fewer`);
    }
  }
}

/** The durations the Rollout and its analysis write. */
function checkDurations(scope: Construct, plan: ControllerPlanModel): void {
  checkInt32Seconds(scope, 'plan.scaleDownDelay', plan.scaleDownDelaySeconds, 'Argo Rollouts\' scaleDownDelaySeconds');
  if (plan.pauseSeconds !== undefined) checkGoDuration(scope, 'plan.pause', plan.pauseSeconds, ARGO_ROLLOUTS);
  if (plan.analysis) checkGoDuration(scope, 'plan.analysis.interval', plan.analysis.intervalSeconds, ARGO_ROLLOUTS);
}

const ARGO_ROLLOUTS = 'Argo Rollouts';
