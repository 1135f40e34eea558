import { Construct } from 'constructs';
import { BlueGreenAppProps, Color, CutoverMode, PreviewOptions } from '../blue-green-app';
import { hasHttpPort, MatchRouteModel, ReleaseModel, Strategy, VersionModel } from '../model';
import { isDns1035Label } from '../names';
import { ReleaseController, resolveControllerPlan } from '../plan';
import { quoteRegex, RouteTarget } from '../routing';
import { checkEnum, checkGiven, checkObject, checkReplicas, checkString, fail, orDefault } from '../validate';
import { AppModel, resolveApp } from './app';
import { checkExtraHost } from './hosts';
import { ReleaseExtras, resolveRelease } from './release';
import { gitStep, resolveVersion } from './version';

/** A blue/green release, resolved: the model and the colours' roles at this step. */
export interface BlueGreenModel {
  readonly app: AppModel;
  readonly release: ReleaseModel;
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
    resolveTarget: target => (target.kind === 'idle' ? byColor(otherColor(serving)) : [blue, green].find(v => isVersion(target, v))),
    selectorRouting: cutover === CutoverMode.SERVICE_SELECTOR,
    ...previewRoutes(scope, app, checkObject(scope, 'preview', props.preview, '{ header: "x-preview" }'), previewed),
  });
  return { app, release, active, serving, cutover, scaledDown };
}

function isVersion(target: RouteTarget, version: VersionModel): boolean {
  return target.kind === 'version' && target.versionLabel === version.version;
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
  if (!isDns1035Label(service)) {
    fail(scope, 'preview', `needs a Service named ${JSON.stringify(service)}, longer than 63 characters`, service, 'shorten the app name to 55 characters or fewer');
  }
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
