import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { checkReplicas, fail } from './validate';
import { VersionProps } from './workloads';

/** The two colours of a blue/green release. */
export enum Color {
  BLUE = 'blue',
  GREEN = 'green',
}

/** How a blue/green app moves traffic from one colour to the other. */
export enum CutoverMode {
  /**
   * The mesh routes: a DestinationRule subset per colour and VirtualService weights of 100/0.
   * The switch applies to new requests at once, also on open connections.
   */
  MESH_ROUTING = 'mesh-routing',
  /**
   * The Service selects the active colour's `version`, with no subsets, and needs no mesh.
   * Long-lived connections stay on the old pods, and there is no gradual shift.
   */
  SERVICE_SELECTOR = 'service-selector',
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

  /**
   * How traffic is moved between the colours.
   * @default CutoverMode.MESH_ROUTING
   */
  readonly cutover?: CutoverMode;

  /**
   * An idle colour to scale down to `scaledDownReplicas`, to save its pods between releases. It
   * may not be the active colour: scale a colour up first, then switch to it.
   * @default - neither: both colours run their replicas
   */
  readonly scaledDown?: Color;

  /**
   * The replicas of the `scaledDown` colour.
   * @default 0
   */
  readonly scaledDownReplicas?: number;
}

/**
 * A blue/green release: Deployments `<name>-blue` and `<name>-green`, a Service over both, a
 * DestinationRule with subsets `blue` and `green`, and a VirtualService that sends 100% to the
 * active colour and 0% to the other. With `CutoverMode.SERVICE_SELECTOR`, the Service selects the
 * active colour instead, and there is no DestinationRule, and no VirtualService without a gateway.
 */
export class BlueGreenApp extends ReleaseApp {
  public readonly active: Color;
  public readonly cutover: CutoverMode;
  public readonly scaledDown?: Color;

  /** The Deployment `<name>-blue` (escape hatch). */
  public readonly blueDeployment: ApiObject;

  /** The Deployment `<name>-green` (escape hatch). */
  public readonly greenDeployment: ApiObject;

  constructor(scope: Construct, id: string, props: BlueGreenAppProps) {
    super(scope, id, props);
    this.active = props.active ?? Color.BLUE;
    this.cutover = props.cutover ?? CutoverMode.MESH_ROUTING;
    this.scaledDown = props.scaledDown;
    if (this.scaledDown === this.active) {
      fail(this, 'scaledDown', `is the active colour, which takes all traffic`, this.scaledDown,
        'scale it up first (leave scaledDown out), then switch active to it');
    }
    const scaledDownReplicas = checkReplicas(this, 'scaledDownReplicas', props.scaledDownReplicas ?? 0);
    const colour = (color: Color, version: VersionProps) =>
      (color === this.scaledDown ? { ...version, replicas: scaledDownReplicas } : version);
    // Colours, not versions, name the objects: a cutover then changes weights and nothing else.
    const blue = this.resolveVersion('Blue', colour(Color.BLUE, props.blue), Color.BLUE);
    const green = this.resolveVersion('Green', colour(Color.GREEN, props.green), Color.GREEN);
    const weight = (color: Color) => (color === this.active ? 100 : 0);
    const rendered = this.render([blue, green], [
      { subset: Color.BLUE, weight: weight(Color.BLUE) },
      { subset: Color.GREEN, weight: weight(Color.GREEN) },
    ], this.cutover === CutoverMode.SERVICE_SELECTOR);
    [this.blueDeployment, this.greenDeployment] = rendered.deployments;
  }
}
