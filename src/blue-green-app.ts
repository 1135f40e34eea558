import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { hasHttpPort, MatchRouteModel, Strategy, VersionModel } from './model';
import { BlueGreenPlan, ReleaseController, resolveControllerPlan } from './plan';
import { AppModel, resolveApp } from './release/app';
import { appNameSource, checkServiceName } from './release/checks-limits';
import { checkExtraHost } from './release/hosts';
import { ReleaseExtras, ResolvedRelease, resolveRelease } from './release/release';
import { gitStep, resolveVersion } from './release/version';
import { ReleaseApp, ReleaseAppProps } from './release-app';
import { quoteRegex } from './routing';
import { checkEnum, checkGiven, checkObject, checkReplicas, checkString, fail, orDefault } from './validate';
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
    const resolved = resolveBlueGreen(this, props);
    this.active = resolved.active;
    this.serving = resolved.serving;
    this.cutover = resolved.cutover;
    this.scaledDown = resolved.scaledDown;
    this.preview = props.preview;
    this._emit(resolved);
  }
}

/** A blue/green release, resolved: the model and the colours' roles at this step. */
export interface BlueGreenModel extends ResolvedRelease {
  readonly active: Color;
  readonly serving: Color;
  readonly cutover: CutoverMode;
  readonly scaledDown?: Color;
}

/** The steps of a blue/green plan that Git walks: preview, switch, scale the old colour down. */
const GIT_STEPS = 3;

function otherColor(color: Color): Color {
  return color === Color.BLUE ? Color.GREEN : Color.BLUE;
}

/**
 * A blue/green is a split of 100/0 between two colours. Colours, not versions, name the objects,
 * so that a cutover changes weights and nothing else.
 */
export function resolveBlueGreen(scope: Construct, props: BlueGreenAppProps): BlueGreenModel {
  checkGiven(scope, 'props', props, '{ blue: { image: "nginx:1.10", version: "1.10" }, green: { image: "nginx:1.11", version: "1.11" } }');
  const app = resolveApp(scope, props);
  const active = checkEnum(scope, 'active', orDefault(props.active, Color.BLUE), Color);
  const cutover = checkEnum(scope, 'cutover', orDefault(props.cutover, CutoverMode.MESH_ROUTING), CutoverMode);
  const planProps = checkObject(scope, 'plan', props.plan, '{ autoPromotion: true }');
  const step = gitStep(scope, app, GIT_STEPS, props.step, planProps);
  if (step !== undefined && props.scaledDown !== undefined) {
    fail(scope, 'scaledDown', 'is set by the plan\'s step', props.scaledDown, 'leave scaledDown out: step 2 scales the old colour down');
  }
  const old = otherColor(active);
  const serving = step === 0 ? old : active;
  const scaledDown = step === 2 ? old : props.scaledDown === undefined ? undefined : checkEnum(scope, 'scaledDown', props.scaledDown, Color);
  if (scaledDown !== undefined && app.controller !== ReleaseController.NONE) {
    fail(scope, 'scaledDown', `has no effect with controller ${app.controller}, which scales the colours itself`, scaledDown,
      'leave scaledDown out, and set plan.scaleDownDelay for how long the old colour runs');
  }
  if (scaledDown === serving) {
    fail(scope, 'scaledDown', 'is the active colour, which takes all traffic', scaledDown, 'scale it up first (leave scaledDown out), then switch active to it');
  }
  const scaledDownReplicas = checkReplicas(scope, 'scaledDownReplicas', orDefault(props.scaledDownReplicas, 0));
  const colour = (subset: Color) => ({ subset, replicas: subset === scaledDown ? scaledDownReplicas : undefined });
  const blue = resolveVersion(scope, app, 'Blue', props.blue, colour(Color.BLUE));
  const green = resolveVersion(scope, app, 'Green', props.green, colour(Color.GREEN));
  const byColor = (color: Color) => (color === Color.BLUE ? blue : green);
  // A plan previews the colour it moves to throughout, as Argo Rollouts' preview Service does.
  const previewed = byColor(step === undefined ? otherColor(serving) : active);
  // Checked whoever runs it, so that naming a controller later is the one change.
  const plan = resolveControllerPlan(scope, planProps ?? {});
  const weight = (color: Color) => (color === serving ? 100 : 0);
  const release = resolveRelease(scope, app, [blue, green], [
    { subset: Color.BLUE, weight: weight(Color.BLUE) },
    { subset: Color.GREEN, weight: weight(Color.GREEN) },
  ], {
    strategy: Strategy.BLUE_GREEN,
    release: active,
    plan,
    roles: { idle: byColor(otherColor(serving)) },
    selectorRouting: cutover === CutoverMode.SERVICE_SELECTOR,
    ...previewRoutes(scope, app, checkObject(scope, 'preview', props.preview, '{ header: "x-preview" }'), previewed),
  });
  return { app, release, active, serving, cutover, scaledDown };
}

const PREVIEW_EXAMPLES = { header: '"x-preview"', headerValue: '"true"', host: '"preview.shop.example.com"' };

/**
 * The preview goes through the Service `<name>-preview`, which selects the idle colour, rather
 * than a subset: the same routes then serve both cutover modes.
 */
function previewRoutes(
  scope: Construct, app: AppModel, options: PreviewOptions | undefined, previewed: VersionModel,
): Pick<ReleaseExtras, 'leadingRoutes' | 'extraServices' | 'extraHosts'> {
  if (options === undefined) return {};
  for (const key of ['header', 'headerValue', 'host'] as const) {
    if (options[key] !== undefined) checkString(scope, `preview.${key}`, options[key] as string, PREVIEW_EXAMPLES[key]);
  }
  const service = `${app.name}-preview`;
  checkServiceName(scope, service, 'over the idle colour', { ...appNameSource(app.name, service), field: 'preview' });
  if (previewed.replicas === 0) {
    fail(scope, 'preview', `goes to the idle colour ${previewed.subset}, which runs 0 replicas`, previewed.replicas, 'scale it up (leave scaledDown out) to preview it');
  }
  const byRequest = options.header ?? options.host;
  if (byRequest !== undefined && !hasHttpPort(app.ports)) {
    fail(scope, options.header !== undefined ? 'preview.header' : 'preview.host', 'needs an HTTP port to match requests on, and every port is TCP',
      byRequest, `leave it out: the idle colour is reached in the mesh at ${service}`);
  }
  const routes: MatchRouteModel[] = [];
  if (options.header !== undefined) {
    if (!/^[a-z0-9-]+$/.test(options.header)) fail(scope, 'preview.header', 'must be a lower-case header name', options.header, 'e.g. "x-preview"');
    const value = options.headerValue ?? 'true';
    if (value === '') fail(scope, 'preview.headerValue', 'must be a non-empty string', value, `e.g. ${PREVIEW_EXAMPLES.headerValue}`);
    routes.push({ name: 'preview-header', match: { headers: { [options.header]: { exact: value } } }, service });
  }
  if (options.host !== undefined) {
    if (options.host.startsWith('*')) {
      fail(scope, 'preview.host', 'must be one exact host: requests for it go to the idle colour, and a wildcard would take others\' hosts',
        options.host, 'e.g. "preview.shop.example.com"');
    }
    checkExtraHost(scope, app, 'preview.host', options.host);
    // The authority may carry a port, which an exact match would miss.
    routes.push({ name: 'preview-host', match: { authority: { regex: `^${quoteRegex(options.host)}(:[0-9]+)?$` } }, service });
  }
  return {
    leadingRoutes: routes,
    extraServices: [{ id: 'PreviewService', name: service, subset: previewed.subset }],
    extraHosts: options.host === undefined ? [] : [options.host],
  };
}
