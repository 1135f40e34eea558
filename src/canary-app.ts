import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RouteModel, Strategy } from './model';
import { ArgoRouting, CanaryPlan, planSteps, ReleaseController, resolveControllerPlan } from './plan';
import { AppModel, resolveApp } from './release/app';
import { ResolvedRelease, resolveRelease } from './release/release';
import { gitStep, resolveVersion } from './release/version';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { checkEnum, checkGiven, checkObject, checkPercent, fail, orDefault } from './validate';
import { VersionProps } from './workload-props';

/** Props of a `CanaryApp`. */
export interface CanaryAppProps extends ReleaseAppProps {
  /** The version that serves most traffic. */
  readonly stable: VersionProps;

  /**
   * The new version under test.
   * @default - none: the steady state, where the stable version takes all traffic
   */
  readonly canary?: VersionProps;

  /**
   * The share of traffic for the canary, a whole percentage; the stable version takes the rest.
   * With a `plan`, the weight comes from its `step` instead.
   * @default 0
   */
  readonly canaryWeight?: number;

  /**
   * The steps of the release. Without a controller, Git walks their weights: `step` selects the
   * current one, and each step is one small commit; the plan's pauses, analysis and controller
   * options are checked all the same, and carried out once `controller` names a controller, so
   * that the switch stays one line. With a controller, it runs them.
   * @default - none: `canaryWeight` alone
   */
  readonly plan?: CanaryPlan;

  /**
   * The current step of the `plan`, counted from 0, when Git walks it. A controller walks the
   * plan from its start on every rollout and does not use it.
   * @default 0
   */
  readonly step?: number;

  /**
   * How Argo Rollouts shifts traffic, with `ReleaseController.ARGO_ROLLOUTS`.
   * @default ArgoRouting.SUBSET
   */
  readonly argoRouting?: ArgoRouting;
}

/**
 * A canary release: a Deployment per version named `<name>-<version>` (as Istio's `reviews-v1`),
 * a Service over both, a DestinationRule with a subset per version, and a VirtualService that
 * splits traffic `100 - canaryWeight` / `canaryWeight`.
 *
 * Objects are named after versions, not roles, so a promotion renames nothing: the next release
 * makes the old canary's version the stable one.
 */
export class CanaryApp extends ReleaseApp {
  /** The canary's share of traffic, a whole percentage; the stable version takes the rest. */
  public readonly canaryWeight: number;

  /** The Deployment of the stable version (escape hatch). */
  public get stableDeployment(): ApiObject {
    return this._versionDeployment('stableDeployment', 0);
  }

  /** The Deployment of the canary version, if there is one (escape hatch). */
  public get canaryDeployment(): ApiObject | undefined {
    return this.hasCanary ? this._versionDeployment('canaryDeployment', 1) : undefined;
  }

  private readonly hasCanary: boolean;

  /**
   * @param scope the chart, or a construct inside one, that holds the app
   * @param id the construct id; the app's name is this id, lower-cased, unless `props.name` is given
   * @param props the app's versions, routing and pod settings
   */
  constructor(scope: Construct, id: string, props: CanaryAppProps) {
    super(scope, id);
    const resolved = resolveCanary(this, props);
    this.canaryWeight = resolved.canaryWeight;
    this.hasCanary = resolved.release.versions.length > 1;
    this._emit(resolved);
  }
}

/** A canary release, resolved: the model and the canary's weight at this step. */
export interface CanaryModel extends ResolvedRelease {
  readonly canaryWeight: number;
}

/**
 * A canary is a split of 100-w/w between two versions. Objects are named after versions, not
 * roles, so a promotion renames nothing.
 */
export function resolveCanary(scope: Construct, props: CanaryAppProps): CanaryModel {
  checkGiven(scope, 'props', props, '{ stable: { image: "nginx:1.11", version: "1.11" } }');
  const app = resolveApp(scope, props);
  const planProps = checkObject(scope, 'plan', props.plan, '{ steps: [10, 50, 100] }');
  const { steps, linear } = planProps === undefined ? { steps: [], linear: undefined } : planSteps(scope, planProps);
  if (planProps?.iterations !== undefined) checkAbTesting(scope, app, props, steps);
  const canaryWeight = checkPercent(scope, 'canaryWeight', planWeight(scope, app, props, planProps, steps) ?? orDefault(props.canaryWeight, 0));
  if (props.canary === undefined && canaryWeight > 0) {
    fail(scope, 'canaryWeight', 'sends traffic to a canary that is not defined', canaryWeight, 'add canary, or set canaryWeight to 0');
  }
  const argoRouting = checkEnum(scope, 'argoRouting', orDefault(props.argoRouting, ArgoRouting.SUBSET), ArgoRouting);
  if (props.argoRouting !== undefined && app.controller === ReleaseController.FLAGGER) {
    fail(scope, 'argoRouting', 'is how Argo Rollouts shifts traffic, and controller is ReleaseController.FLAGGER', props.argoRouting,
      'leave it out: Flagger routes by the Services it makes');
  }
  // Checked whoever runs it; a controller without a plan promotes at once: no steps.
  const plan = resolveControllerPlan(scope, { ...planProps, steps, linear, argoRouting });
  const stable = resolveVersion(scope, app, 'Stable', props.stable);
  const canary = props.canary === undefined ? undefined : resolveVersion(scope, app, 'Canary', props.canary);
  const versions = canary ? [stable, canary] : [stable];
  const routes: RouteModel[] = [{ subset: stable.subset, weight: 100 - canaryWeight }];
  if (canary) routes.push({ subset: canary.subset, weight: canaryWeight });
  const release = resolveRelease(scope, app, versions, routes, {
    strategy: Strategy.CANARY,
    release: (canary ?? stable).subset,
    plan,
    roles: { stable, canary },
  });
  return { app, release, canaryWeight };
}

/** Iterations make A/B testing, which only Flagger runs, for tester routes, without weights. */
function checkAbTesting(scope: Construct, app: AppModel, props: CanaryAppProps, steps: number[]): void {
  const iterations = props.plan!.iterations;
  if (steps.length > 0) {
    fail(scope, 'plan.iterations', `count the checks of A/B testing, and ${props.plan!.linear ? 'plan.linear makes' : 'plan.steps make'} a weighted canary`,
      iterations, 'leave iterations out for a weighted canary, or the steps out for A/B testing');
  }
  if (app.controller !== ReleaseController.FLAGGER) {
    fail(scope, 'plan.iterations', `make A/B testing, which only Flagger runs, and the controller is ${app.controller}`, iterations,
      'give plan.steps, or controller ReleaseController.FLAGGER');
  }
  if (!Array.isArray(props.testerRoutes) || props.testerRoutes.length === 0) {
    fail(scope, 'plan.iterations', 'make A/B testing, which sends the testerRoutes\' requests to the new version, and there are none', iterations,
      'add testerRoutes to the new version, or give plan.steps');
  }
}

/** The weight at the plan's current step when Git walks the plan; 0 with a controller, which sets the weights itself. */
function planWeight(scope: Construct, app: AppModel, props: CanaryAppProps, plan: CanaryPlan | undefined, steps: number[]): number | undefined {
  if (props.canaryWeight !== undefined && (plan !== undefined || app.controller !== ReleaseController.NONE)) {
    if (app.controller === ReleaseController.NONE) {
      fail(scope, 'canaryWeight', 'is set by the plan\'s step', props.canaryWeight, 'leave canaryWeight out and set step');
    }
    fail(scope, 'canaryWeight', `is set by controller ${app.controller} at each step of the plan`, props.canaryWeight,
      'leave canaryWeight out and list the weights in plan.steps');
  }
  const step = gitStep(scope, app, steps.length, props.step, plan);
  if (step !== undefined) return steps[step];
  return app.controller === ReleaseController.NONE ? undefined : 0;
}
