import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { VersionProps } from './workloads';

/** The two colours of a blue/green release. */
export enum Color {
  BLUE = 'blue',
  GREEN = 'green',
}

/** Props of a `BlueGreenApp`. */
export interface BlueGreenAppProps extends ReleaseAppProps {
  /** The blue version. */
  readonly blue: VersionProps;

  /** The green version. */
  readonly green: VersionProps;

  /**
   * The colour that takes all traffic. Switching it is the cutover: one changed pair of weights.
   * @default Color.BLUE
   */
  readonly active?: Color;
}

/**
 * A blue/green release: Deployments `<name>-blue` and `<name>-green`, a Service over both, a
 * DestinationRule with subsets `blue` and `green`, and a VirtualService that sends 100% to the
 * active colour and 0% to the other.
 */
export class BlueGreenApp extends ReleaseApp {
  public readonly active: Color;

  /** The Deployment `<name>-blue` (escape hatch). */
  public readonly blueDeployment: ApiObject;

  /** The Deployment `<name>-green` (escape hatch). */
  public readonly greenDeployment: ApiObject;

  constructor(scope: Construct, id: string, props: BlueGreenAppProps) {
    super(scope, id, props);
    this.active = props.active ?? Color.BLUE;
    // Colours, not versions, name the objects: a cutover then changes weights and nothing else.
    const blue = this.resolveVersion('Blue', props.blue, Color.BLUE);
    const green = this.resolveVersion('Green', props.green, Color.GREEN);
    const weight = (color: Color) => (color === this.active ? 100 : 0);
    const rendered = this.render([blue, green], [
      { subset: Color.BLUE, weight: weight(Color.BLUE) },
      { subset: Color.GREEN, weight: weight(Color.GREEN) },
    ]);
    [this.blueDeployment, this.greenDeployment] = rendered.deployments;
  }
}
