import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Strategy, VersionModel } from './model';
import { ArgoRouting, CanaryPlan, planSteps, ReleaseController, resolveControllerPlan } from './plan';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { RouteTarget } from './routing';
import { checkPercent, fail } from './validate';
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
    return this.versionDeployment('stableDeployment', 0);
  }

  /** The Deployment of the canary version, if there is one (escape hatch). */
  public get canaryDeployment(): ApiObject | undefined {
    return this.hasCanary ? this.versionDeployment('canaryDeployment', 1) : undefined;
  }

  private readonly hasCanary: boolean;

  constructor(scope: Construct, id: string, props: CanaryAppProps) {
    super(scope, id, props);
    const steps = props.plan ? planSteps(this, props.plan) : [];
    this.canaryWeight = checkPercent(this, 'canaryWeight', this.planWeight(props, steps) ?? props.canaryWeight ?? 0);
    if (!props.canary && this.canaryWeight > 0) {
      fail(this, 'canaryWeight', 'sends traffic to a canary that is not defined', this.canaryWeight,
        'add canary, or set canaryWeight to 0');
    }
    if (props.argoRouting !== undefined && this.controller === ReleaseController.FLAGGER) {
      fail(this, 'argoRouting', 'is how Argo Rollouts shifts traffic, and controller is ReleaseController.FLAGGER', props.argoRouting,
        'leave it out: Flagger routes by the Services it makes');
    }
    // Checked whoever runs it; a controller without a plan promotes at once: no steps.
    const plan = resolveControllerPlan(this, { ...props.plan, steps, argoRouting: props.argoRouting });
    const stable = this.resolveVersion('Stable', props.stable);
    const canary = props.canary && this.resolveVersion('Canary', props.canary);
    const extras = {
      strategy: Strategy.CANARY,
      release: (canary ?? stable).subset,
      plan,
    };
    this.hasCanary = canary !== undefined;
    const routes = [{ subset: stable.subset, weight: 100 - this.canaryWeight }];
    if (canary) routes.push({ subset: canary.subset, weight: this.canaryWeight });
    this.render(canary ? [stable, canary] : [stable], routes, extras);
  }

  /** The weight at the plan's current step when Git walks the plan; 0 with a controller, which sets the weights itself. */
  private planWeight(props: CanaryAppProps, steps: readonly number[]): number | undefined {
    if (props.canaryWeight !== undefined && (props.plan || this.controller !== ReleaseController.NONE)) {
      if (this.controller === ReleaseController.NONE) {
        fail(this, 'canaryWeight', 'is set by the plan\'s step', props.canaryWeight, 'leave canaryWeight out and set step');
      }
      fail(this, 'canaryWeight', `is set by controller ${this.controller} at each step of the plan`, props.canaryWeight,
        'leave canaryWeight out and list the weights in plan.steps');
    }
    const step = this.gitStep(props.step, props.plan, steps.length);
    if (step !== undefined) return steps[step];
    return this.controller === ReleaseController.NONE ? undefined : 0;
  }

  protected resolveTarget(target: RouteTarget, versions: readonly VersionModel[]): VersionModel | undefined {
    const byRole: Record<string, string> = { stable: 'Stable', canary: 'Canary' };
    const id = byRole[target.kind];
    return versions.find(v => (id ? v.id === id : target.kind === 'version' && v.version === target.version));
  }
}
