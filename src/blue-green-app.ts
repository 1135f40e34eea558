import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenPlan } from './plan';
import { resolveBlueGreen } from './release/blue-green';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { VersionProps } from './workload-props';

/** The two colours of a blue/green release. */
export enum Color {
  /** The colour whose objects are `<name>-blue` and subset `blue`. */
  BLUE = 'blue',
  /** The colour whose objects are `<name>-green` and subset `green`. */
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

/** Ways to reach the idle colour before the switch, for a look at the new version. */
export interface PreviewOptions {
  /**
   * A request header that sends requests to the idle colour, e.g. `x-preview`.
   * @default - none
   */
  readonly header?: string;

  /**
   * The value of `header` that does so.
   * @default 'true'
   */
  readonly headerValue?: string;

  /**
   * A host on the gateway that serves the idle colour, e.g. `preview.shop.example.com`.
   * @default - none
   */
  readonly host?: string;
}

/** Props of a `BlueGreenApp`. */
export interface BlueGreenAppProps extends ReleaseAppProps {
  /** The blue version. */
  readonly blue: VersionProps;

  /** The green version. */
  readonly green: VersionProps;

  /**
   * The colour that takes all traffic. Switching it is the cutover: one changed pair of weights.
   * With a `plan`, the colour the release ends on.
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
   * may not be the active colour: scale a colour up first, then switch to it. With a plan walked
   * by Git, its last step scales the old colour down instead.
   * @default - neither: both colours run their replicas
   */
  readonly scaledDown?: Color;

  /**
   * The replicas of the `scaledDown` colour.
   * @default 0
   */
  readonly scaledDownReplicas?: number;

  /**
   * Makes the idle colour reachable before the switch: through a Service `<name>-preview` in the
   * mesh, and through a header or a host if given. The preview follows `active` when it switches;
   * with a plan walked by Git, it shows `active`, the colour the release moves to, at every step.
   * @default - no preview
   */
  readonly preview?: PreviewOptions;

  /**
   * The preview, analysis and promotion of a release towards `active`. A controller runs it, with
   * `controller`. Without one, Git walks it in three steps that `step` selects, each one commit:
   * the preview, the switch, the scale-down. Its analysis and controller options are checked all
   * the same, and carried out once `controller` names a controller.
   * @default - no plan: `active` serves, and `scaledDown` says what runs idle
   */
  readonly plan?: BlueGreenPlan;

  /**
   * The current step of the `plan` when Git walks it: 0, the other colour serves while `active`
   * runs idle, to be previewed; 1, `active` serves, and the old colour stands by for a rollback;
   * 2, the old colour is scaled down to `scaledDownReplicas`. A controller walks the plan itself
   * and does not use it.
   * @default 0
   */
  readonly step?: number;
}

/**
 * A blue/green release: Deployments `<name>-blue` and `<name>-green`, a Service over both, a
 * DestinationRule with subsets `blue` and `green`, and a VirtualService that sends 100% to the
 * active colour and 0% to the other. With `CutoverMode.SERVICE_SELECTOR`, the Service selects the
 * active colour instead, and there is no DestinationRule, and no VirtualService without a gateway.
 */
export class BlueGreenApp extends ReleaseApp {
  /** The colour that takes all traffic; with a `plan`, the colour the release ends on. */
  public readonly active: Color;
  /** The colour that takes all traffic now: `active`, except at the preview step of a plan walked by Git. */
  public readonly serving: Color;
  /** How the idle colour is reached before the switch; undefined without a preview. */
  public readonly preview?: PreviewOptions;
  /** How traffic is moved between the colours. */
  public readonly cutover: CutoverMode;
  /** The idle colour that runs `scaledDownReplicas`; undefined when both run their replicas. */
  public readonly scaledDown?: Color;

  /** The Deployment `<name>-blue` (escape hatch). */
  public get blueDeployment(): ApiObject {
    return this._versionDeployment('blueDeployment', 0);
  }

  /** The Deployment `<name>-green` (escape hatch). */
  public get greenDeployment(): ApiObject {
    return this._versionDeployment('greenDeployment', 1);
  }

  /**
   * @param scope the chart, or a construct inside one, that holds the app
   * @param id the construct id; the app's name is this id, lower-cased, unless `props.name` is given
   * @param props the app's versions, routing and pod settings
   */
  constructor(scope: Construct, id: string, props: BlueGreenAppProps) {
    super(scope, id);
    const release = resolveBlueGreen(this, props);
    this.active = release.active;
    this.serving = release.serving;
    this.cutover = release.cutover;
    this.scaledDown = release.scaledDown;
    this.preview = props.preview;
    this._emit(release.app, release.release);
  }
}
