import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VersionModel } from './model';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { RouteTarget } from './routing';
import { checkPercent, fail } from './validate';
import { VersionProps } from './workloads';

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
   * @default 0
   */
  readonly canaryWeight?: number;
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
  public readonly stableDeployment: ApiObject;

  /** The Deployment of the canary version, if there is one (escape hatch). */
  public readonly canaryDeployment?: ApiObject;

  constructor(scope: Construct, id: string, props: CanaryAppProps) {
    super(scope, id, props);
    this.canaryWeight = checkPercent(this, 'canaryWeight', props.canaryWeight ?? 0);
    if (!props.canary && this.canaryWeight > 0) {
      fail(this, 'canaryWeight', 'sends traffic to a canary that is not defined', this.canaryWeight,
        'add canary, or set canaryWeight to 0');
    }
    const stable = this.resolveVersion('Stable', props.stable);
    const canary = props.canary && this.resolveVersion('Canary', props.canary);
    const rendered = canary
      ? this.render([stable, canary], [
        { subset: stable.subset, weight: 100 - this.canaryWeight },
        { subset: canary.subset, weight: this.canaryWeight },
      ])
      : this.render([stable], [{ subset: stable.subset, weight: 100 }]);
    [this.stableDeployment, this.canaryDeployment] = rendered.deployments;
  }

  protected resolveTarget(target: RouteTarget, versions: readonly VersionModel[]): VersionModel | undefined {
    const byRole: Record<string, string> = { stable: 'Stable', canary: 'Canary' };
    const id = byRole[target.kind];
    return versions.find(v => (id ? v.id === id : target.kind === 'version' && v.version === target.version));
  }
}
