import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { hasHttpPort, HttpPolicySpec, MatchRouteModel, matchRouteSubset, ReleaseModel, RouteModel, VersionModel } from './model';
import { MatchSpec, MirrorOptions, RouteMatch, RoutePolicy, routePolicySpec, RouteTarget, StickySessionOptions, TesterRoute } from './routing';
import { ClientTlsMode, LoadBalancer, TrafficPolicy, trafficPolicySpec } from './traffic-policy';
import { checkCount, checkDuration, checkEnum, checkPercentage, fail } from './validate';

/**
 * What a release does besides the weighted split, resolved against its versions and checked:
 * tester routes, mirroring, route and traffic policies, sticky sessions.
 */

/** The routing props shared by every release app. */
export interface RoutingProps {
  /**
   * Routes ahead of the weighted split, in this order: requests that match go to one version
   * (testers reach the canary, or the idle colour, first), and the weights apply to everyone else.
   * @default - none
   */
  readonly testerRoutes?: TesterRoute[];

  /**
   * Shadow traffic: a copy of the weighted route's requests goes to a version that takes none.
   * @default - none
   */
  readonly mirror?: MirrorOptions;

  /**
   * Timeout, retries and fault injection for every route. A version's own `routePolicy` wins on
   * the routes that go to that version alone: its tester routes, its sticky route, the preview.
   * Istio sets these per route, not per destination, so the weighted split carries this policy
   * only; a version's own policy with no route to that version alone is refused.
   * @default - Istio's defaults
   */
  readonly routePolicy?: RoutePolicy;

  /**
   * The DestinationRule's traffic policy for the whole host; a version's own `trafficPolicy`
   * applies to its subset.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;

  /**
   * Keeps users on the version they first got: the weighted route sets a cookie naming the
   * version, and routes ahead of it send requests with that cookie back to the same version.
   * @default - none: every request is weighted afresh
   */
  readonly stickySessions?: StickySessionOptions;
}

export interface ResolvedRouting {
  readonly matchRoutes: MatchRouteModel[];
  readonly mirror?: { readonly subset: string; readonly percentage: number };
  readonly routePolicy?: HttpPolicySpec;
  readonly trafficPolicy?: { readonly [key: string]: unknown };
  readonly sticky?: { readonly cookieName: string; readonly maxAgeSeconds: number };
}

/** The release as the routing sees it. `resolve` turns a target into one of the versions. */
export interface RoutingContext {
  readonly appName: string;
  readonly versions: readonly VersionModel[];
  readonly routes: readonly RouteModel[];
  readonly selectorRouting: boolean;
  /** Whether any port speaks HTTP; tester routes, mirroring, route policies and sticky sessions need one. */
  readonly hasHttp: boolean;
  readonly resolve: (target: RouteTarget) => VersionModel | undefined;
}

export function resolveRouting(scope: Construct, props: RoutingProps, context: RoutingContext): ResolvedRouting {
  if (context.selectorRouting) refuseSubsetFeatures(scope, props);
  if (!context.hasHttp) refuseHttpFeatures(scope, props);
  return {
    matchRoutes: testerRoutes(scope, props.testerRoutes ?? [], context),
    mirror: props.mirror && mirror(scope, props.mirror, context),
    routePolicy: routePolicySpec(props.routePolicy),
    trafficPolicy: trafficPolicySpec(props.trafficPolicy),
    sticky: props.stickySessions && sticky(scope, props.stickySessions, trafficPolicies(props, context), context.appName),
  };
}

/** Tester routes, mirroring and sticky sessions pick versions by subset, which selector routing has none of. */
function refuseSubsetFeatures(scope: Construct, props: RoutingProps): void {
  const used = (['testerRoutes', 'mirror', 'stickySessions'] as const).find(field => props[field] !== undefined);
  if (used) {
    fail(scope, used, 'needs a subset per version, which cutover CutoverMode.SERVICE_SELECTOR does not make', props[used],
      'use CutoverMode.MESH_ROUTING, or leave it out');
  }
}

function refuseHttpFeatures(scope: Construct, props: RoutingProps): void {
  const used = (['testerRoutes', 'mirror', 'routePolicy', 'stickySessions'] as const).find(field => props[field] !== undefined);
  if (used) {
    fail(scope, used, 'needs an HTTP port, and protocol and every additionalPorts[].protocol are Protocol.TCP', props[used],
      'add an http, http2 or grpc port, or leave it out');
  }
}

function target(scope: Construct, field: string, to: RouteTarget, context: RoutingContext): VersionModel {
  const version = to instanceof RouteTarget ? context.resolve(to) : undefined;
  if (!version) {
    fail(scope, field, 'names a version this app does not have', String(to),
      `use RouteTarget.version() with one of ${JSON.stringify(context.versions.map(v => v.version))}`);
  }
  if (version.replicas === 0) {
    fail(scope, field, `sends requests to ${version.id.toLowerCase()}, which runs 0 replicas`, String(to),
      'scale that version up first');
  }
  return version;
}

function testerRoutes(scope: Construct, routes: TesterRoute[], context: RoutingContext): MatchRouteModel[] {
  const resolved = routes.map((route, i) => {
    const field = `testerRoutes[${i}]`;
    if (!Array.isArray(route.when) || route.when.length === 0 || !route.when.every(c => c instanceof RouteMatch)) {
      fail(scope, `${field}.when`, 'must hold at least one RouteMatch', route.when, 'e.g. [RouteMatch.header("x-tester", StringMatch.exact("yes"))]');
    }
    const match = mergeMatches(route.when.map(condition => condition.spec));
    return { name: route.name ?? `tester-${i + 1}`, match, subset: target(scope, `${field}.to`, route.to, context).subset };
  });
  checkUniqueNames(scope, resolved.map(r => r.name));
  return resolved;
}

/** One HTTPMatchRequest: conditions of one kind (two headers) share its map, so that all must hold. */
function mergeMatches(specs: MatchSpec[]): MatchSpec {
  const merged: { [key: string]: { [name: string]: unknown } } = {};
  for (const spec of specs) {
    for (const [key, value] of Object.entries(spec)) merged[key] = { ...merged[key], ...value };
  }
  return merged;
}

function checkUniqueNames(scope: Construct, names: string[]): void {
  names.forEach((name, i) => {
    if (name === 'primary' || names.indexOf(name) !== i) {
      fail(scope, `testerRoutes[${i}].name`, 'must be unique and not "primary", the weighted route\'s name', name, 'give each route its own name');
    }
  });
}

function mirror(scope: Construct, options: MirrorOptions, context: RoutingContext): ResolvedRouting['mirror'] {
  const version = target(scope, 'mirror.to', options.to, context);
  const weight = context.routes.find(r => r.subset === version.subset)?.weight ?? 0;
  if (weight === 100) {
    fail(scope, 'mirror.to', 'already takes 100% of traffic, so the copies would go where the requests go', String(options.to),
      'mirror to a version that takes no traffic, such as the canary at 0%');
  }
  return { subset: version.subset, percentage: checkPercentage(scope, 'mirror.percentage', options.percentage ?? 100) };
}

/** A traffic policy and the field that sets it, for errors that name it. */
type FieldPolicy = readonly [field: string, policy: TrafficPolicy | undefined];

function trafficPolicies(props: RoutingProps, context: RoutingContext): FieldPolicy[] {
  const versions = context.versions.map((v): FieldPolicy => [`${v.id.toLowerCase()}.trafficPolicy`, v.workload.trafficPolicy]);
  return [['trafficPolicy', props.trafficPolicy], ...versions];
}

function sticky(scope: Construct, options: StickySessionOptions, policies: FieldPolicy[], appName: string): ResolvedRouting['sticky'] {
  const [field, hashing] = policies.find(([, policy]) => policy?.loadBalancer?.consistentHash) ?? [];
  if (hashing) {
    fail(scope, `${field}.loadBalancer`, 'is consistent hashing, which pins users to pods by another key than stickySessions does',
      hashing.loadBalancer, 'use one of the two: sticky sessions pin users to a version, consistent hashing to a pod');
  }
  const maxAge = options.maxAge ?? Duration.hours(1);
  const seconds = maxAge instanceof Duration ? Math.round(maxAge.toSeconds({ integral: false })) : NaN;
  if (!(seconds >= 1)) fail(scope, 'stickySessions.maxAge', 'must be a Duration of 1 second or more', maxAge, 'use e.g. Duration.hours(1)');
  const cookieName = options.cookieName ?? `${appName}-version`;
  if (typeof cookieName !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(cookieName)) {
    fail(scope, 'stickySessions.cookieName', 'must be a cookie name (letters, digits and !#$%&\'*+.^_`|~-)', cookieName, 'e.g. "reviews-version"');
  }
  return { cookieName, maxAgeSeconds: seconds };
}

/**
 * Istio sets timeout, retries and fault per HTTP route, and the weighted split is one route over
 * every version, so a version's own policy lives only on the routes that go to it alone. A policy
 * that no route would carry is refused rather than left out without a word.
 */
export function checkVersionPoliciesRouted(scope: Construct, model: ReleaseModel): void {
  const reached = versionsReachedAlone(model);
  for (const version of model.versions) {
    const policy = routePolicySpec(version.workload.routePolicy);
    if (policy && !reached.has(version.subset)) {
      fail(scope, `${version.id.toLowerCase()}.routePolicy`, 'applies only to routes that go to this version alone (tester routes, '
        + 'sticky routes, the preview), and there are none: Istio sets a policy per route, and the weighted split goes to every version',
      policy, `add a tester route to RouteTarget.version(${JSON.stringify(version.version)}), or set the app's routePolicy, which every route carries`);
    }
  }
}

/** The subsets that some HTTP route sends all of its requests to. */
function versionsReachedAlone(model: ReleaseModel): Set<string | undefined> {
  if (!hasHttpPort(model.ports)) return new Set();
  const pinned = model.sticky ? model.routes.filter(r => r.weight > 0).map(r => r.subset) : [];
  return new Set([...model.matchRoutes.map(r => matchRouteSubset(model, r)), ...pinned]);
}

/** Checks what Istio's schema would reject in a route policy, naming the field. */
export function checkRoutePolicy(scope: Construct, field: string, policy: RoutePolicy | undefined): void {
  checkDuration(scope, `${field}.timeout`, policy?.timeout);
  checkDuration(scope, `${field}.retries.perTryTimeout`, policy?.retries?.perTryTimeout);
  checkDuration(scope, `${field}.fault.delay`, policy?.fault?.delay);
  const fault = policy?.fault;
  if (fault?.delayPercentage !== undefined) checkPercentage(scope, `${field}.fault.delayPercentage`, fault.delayPercentage);
  if (fault?.abortPercentage !== undefined) checkPercentage(scope, `${field}.fault.abortPercentage`, fault.abortPercentage);
  const status = fault?.abortHttpStatus;
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    fail(scope, `${field}.fault.abortHttpStatus`, 'must be an HTTP status from 200 to 599', status, 'use e.g. 503');
  }
  const attempts = policy?.retries?.attempts;
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0)) {
    fail(scope, `${field}.retries.attempts`, 'must be a whole number, 0 or more', attempts, 'use e.g. 3');
  }
}

/** Checks what Istio's schema would reject in a traffic policy, naming the field. */
export function checkTrafficPolicy(scope: Construct, field: string, policy: TrafficPolicy | undefined): void {
  if (!policy) return;
  if (policy.loadBalancer !== undefined && !(policy.loadBalancer instanceof LoadBalancer)) {
    fail(scope, `${field}.loadBalancer`, 'must be made by LoadBalancer', policy.loadBalancer, 'use e.g. LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST)');
  }
  if (policy.tlsMode !== undefined) checkEnum(scope, `${field}.tlsMode`, policy.tlsMode, ClientTlsMode);
  const pool = policy.connectionPool;
  const outlier = policy.outlierDetection;
  for (const key of ['maxConnections', 'http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection'] as const) {
    checkCount(scope, `${field}.connectionPool.${key}`, pool?.[key]);
  }
  checkCount(scope, `${field}.outlierDetection.consecutive5xxErrors`, outlier?.consecutive5xxErrors);
  if (outlier?.maxEjectionPercent !== undefined) checkPercentage(scope, `${field}.outlierDetection.maxEjectionPercent`, outlier.maxEjectionPercent);
  checkDuration(scope, `${field}.connectionPool.connectTimeout`, pool?.connectTimeout);
  checkDuration(scope, `${field}.outlierDetection.interval`, outlier?.interval);
  checkDuration(scope, `${field}.outlierDetection.baseEjectionTime`, outlier?.baseEjectionTime);
}
