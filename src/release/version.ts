import { Construct } from 'constructs';
import { VersionModel } from '../model';
import { versionNamePart } from '../names';
import { ReleaseController } from '../plan';
import { checkRoutePolicy, checkTrafficPolicy } from '../release-routing';
import { routePolicySpec } from '../routing';
import { trafficPolicySpec } from '../traffic-policy';
import { checkGiven, checkImage, checkReplicas, checkVersionLabel, fail, orDefault } from '../validate';
import { checkVersionPod, checkWorkloadOptions } from '../workload-checks';
import { VersionProps } from '../workload-props';
import { AppModel } from './app';

/** What a kind of release fixes of a version, over its props. */
export interface FixedVersion {
  /** The subset, and with it the Deployment `<name>-<subset>`; by default named after the version. */
  readonly subset?: string;
  /** The replicas, such as a blue/green's scaled-down colour's; by default the version's own. */
  readonly replicas?: number;
}

/**
 * Resolves one version's props. `id` is the PascalCase form of the props field that holds the
 * version ('Blue' for `blue`), so that errors can name the field.
 */
export function resolveVersion(app: Construct, model: AppModel, id: string, props: VersionProps, fixed: FixedVersion = {}): VersionModel {
  const field = id.toLowerCase();
  checkGiven(app, field, props, '{ image: "nginx:1.11", version: "1.11" }');
  checkImage(app, `${field}.image`, props.image);
  checkWorkloadOptions(app, field, props);
  checkVersionPod(app, field, model.pod, props, model.ports);
  const version = checkVersionLabel(app, `${field}.version`, props.version);
  const name = fixed.subset ?? versionNamePart(version);
  checkRoutePolicy(app, `${field}.routePolicy`, props.routePolicy);
  checkTrafficPolicy(app, `${field}.trafficPolicy`, props.trafficPolicy);
  const replicas = checkReplicas(app, `${field}.replicas`, orDefault(props.replicas, model.replicas));
  return {
    id,
    subset: name,
    version,
    deploymentName: `${model.name}-${name}`,
    replicas: fixed.replicas ?? replicas,
    workload: props,
    routePolicy: routePolicySpec(props.routePolicy),
    trafficPolicy: trafficPolicySpec(props.trafficPolicy),
  };
}

/**
 * The plan's current step when Git walks it, checked against the `count` steps; undefined
 * without a plan, or with a controller, which walks the plan itself.
 */
export function gitStep(app: Construct, model: AppModel, count: number, step?: number, plan?: object): number | undefined {
  if (plan === undefined) {
    if (step !== undefined) fail(app, 'step', 'selects a step of a plan, and there is none', step, 'add plan, or leave step out');
    return undefined;
  }
  if (model.controller !== ReleaseController.NONE) return undefined;
  const current = orDefault(step, 0);
  if (!Number.isInteger(current) || current < 0 || current >= count) {
    fail(app, 'step', `must be a step of the plan, from 0 to ${count - 1}`, current, 'count the steps from 0');
  }
  return current;
}
