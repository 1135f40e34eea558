import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoRouting, CanaryPlan } from './plan';
import { resolveCanary } from './release/canary';
import { ReleaseApp, ReleaseAppProps } from './release-app';
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
    const release = resolveCanary(this, props);
    this.canaryWeight = release.canaryWeight;
    this.hasCanary = release.hasCanary;
    this._emit(release.app, release.release);
  }
}
