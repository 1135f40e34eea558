import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { hasHttpPort, HttpPolicySpec, MatchRouteModel, matchRouteSubset, ReleaseModel, RouteModel, VersionModel } from './model';
import {
  cookieRegex, MatchSpec, MAX_REGEX, MirrorOptions, RetryOptions, RouteMatch, RoutePolicy, routePolicySpec, RouteTarget, StickySessionOptions, TesterRoute,
} from './routing';
import { isRecord } from './show';
import { ClientTlsMode, LoadBalancer, TrafficPolicy, trafficPolicySpec } from './traffic-policy';
import {
  checkCount, checkDuration, checkEnum, checkGiven, checkInstance, checkList, checkObject, checkPercent, checkPercentage, checkString, checkToken, fail, orDefault,
} from './validate';
import { stringCovers } from './verify/matches';

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
  /**
   * The subset a controller rolls out, where one runs the release: it moves the weights from the
   * other version to this one, so the routes say where the release ends, not where it starts.
   */
  readonly controlledRelease?: string;
}

/**
 * Checks the routing props as given, before any version is resolved: their types, and the values
 * that need no version to judge. `resolveRouting` then checks them against the versions.
 */
export function checkRoutingProps(scope: Construct, props: RoutingProps): void {
  checkList(scope, 'testerRoutes', props.testerRoutes, `[${TESTER_ROUTE}]`, (field, route) => checkTesterRoute(scope, field, route));
  const mirror = checkObject(scope, 'mirror', props.mirror, '{ to: RouteTarget.canary() }');
  if (mirror) {
    checkInstance(scope, 'mirror.to', mirror.to, RouteTarget, 'RouteTarget.canary()');
    checkPercentage(scope, 'mirror.percentage', orDefault(mirror.percentage, 100));
  }
  checkRoutePolicy(scope, 'routePolicy', props.routePolicy);
  checkTrafficPolicy(scope, 'trafficPolicy', props.trafficPolicy);
  const sticky = checkObject(scope, 'stickySessions', props.stickySessions, '{ maxAge: Duration.hours(1) }');
  if (sticky) checkSticky(scope, sticky);
}

const MATCH = 'RouteMatch.header("x-tester", StringMatch.exact("yes"))';
const TESTER_ROUTE = `{ when: [${MATCH}], to: RouteTarget.canary() }`;

function checkTesterRoute(scope: Construct, field: string, route: TesterRoute): void {
  checkGiven(scope, field, route, TESTER_ROUTE);
  const when = checkList(scope, `${field}.when`, route.when, `[${MATCH}]`, (entry, match) => checkInstance(scope, entry, match, RouteMatch, MATCH));
  if (when.length === 0) fail(scope, `${field}.when`, 'must hold at least one RouteMatch', route.when, `e.g. [${MATCH}]`);
  checkInstance(scope, `${field}.to`, route.to, RouteTarget, 'RouteTarget.canary()');
  if (route.name !== undefined) checkString(scope, `${field}.name`, route.name, '"qa"');
}

function checkSticky(scope: Construct, options: StickySessionOptions): void {
  const maxAge = options.maxAge;
  const seconds = maxAge instanceof Duration ? Math.round(maxAge.toSeconds({ integral: false })) : NaN;
  if (maxAge !== undefined && !(seconds >= 1)) fail(scope, 'stickySessions.maxAge', 'must be a Duration of 1 second or more', maxAge, 'use e.g. Duration.hours(1)');
  const cookieName = options.cookieName;
  if (cookieName !== undefined) checkToken(scope, 'stickySessions.cookieName', cookieName, 'a cookie name', '"reviews-version"');
}

/** Resolves the routing props, checked by `checkRoutingProps`, against the versions. */
export function resolveRouting(scope: Construct, props: RoutingProps, context: RoutingContext): ResolvedRouting {
  if (context.selectorRouting) refuseSubsetFeatures(scope, props);
  if (!context.hasHttp) refuseHttpFeatures(scope, props);
  return {
    matchRoutes: testerRoutes(scope, props.testerRoutes ?? [], context),
    mirror: props.mirror && mirror(scope, props.mirror, context),
    routePolicy: routePolicySpec(props.routePolicy),
    trafficPolicy: trafficPolicySpec(props.trafficPolicy),
    sticky: props.stickySessions && sticky(scope, props.stickySessions, trafficPolicies(props, context), context),
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
  const version = context.resolve(to);
  if (!version) {
    fail(scope, field, 'names a version this app does not have', to,
      `use RouteTarget.version() with one of ${JSON.stringify(context.versions.map(v => v.version))}`);
  }
  if (version.replicas === 0) {
    fail(scope, field, `sends requests to ${version.id.toLowerCase()}, which runs 0 replicas`, to,
      'scale that version up first');
  }
  return version;
}

function testerRoutes(scope: Construct, routes: TesterRoute[], context: RoutingContext): MatchRouteModel[] {
  const resolved = routes.map((route, i) => {
    const match = mergeMatches(route.when.map(condition => condition.spec));
    return { name: route.name ?? `tester-${i + 1}`, match, subset: target(scope, `testerRoutes[${i}].to`, route.to, context).subset };
  });
  checkUniqueNames(scope, resolved.map(r => r.name));
  checkReachable(scope, resolved);
  return resolved;
}

/**
 * Istio takes the first route that matches: a route whose conditions include all of an earlier
 * one's is matched by it first, and never takes traffic (Istio's IST0130).
 */
function checkReachable(scope: Construct, routes: readonly { readonly name: string; readonly match: MatchSpec }[]): void {
  routes.forEach((later, j) => {
    const earlier = routes.slice(0, j).find(route => covers(route.match, later.match));
    if (earlier) {
      fail(scope, `testerRoutes[${j}].when`, `matches only requests that route ${JSON.stringify(earlier.name)} before it matches, so it never takes traffic`,
        [earlier.name, later.name], `give it a condition that route ${JSON.stringify(earlier.name)} lacks, or put it first`);
    }
  });
}

/**
 * Whether each condition of `a` holds wherever one of `b`'s does, so that a request that matches `b`
 * matches `a`: a header or query parameter by what its StringMatch accepts (a prefix accepts what
 * starts with it), as `verify` reads them, a source label by its value.
 */
function covers(a: MatchSpec, b: MatchSpec): boolean {
  return Object.entries(a).every(([kind, conditions]) => {
    const theirs: unknown = (b as { [kind: string]: unknown })[kind];
    return Object.entries(conditions as object).every(([name, value]) => isRecord(theirs) && Object.prototype.hasOwnProperty.call(theirs, name)
      && (kind === 'sourceLabels' ? theirs[name] === value : stringCovers(value, theirs[name])));
  });
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
  const weight = startingWeight(context, version.subset);
  if (weight === 100) {
    fail(scope, 'mirror.to', 'already takes 100% of traffic, so the copies would go where the requests go', options.to,
      'mirror to a version that takes no traffic, such as the canary at 0%');
  }
  return { subset: version.subset, percentage: options.percentage ?? 100 };
}

/** A version's weight when the release starts: under a controller, the version it rolls out has none, and the other all. */
function startingWeight(context: RoutingContext, subset: string): number {
  if (context.controlledRelease !== undefined) return subset === context.controlledRelease ? 0 : 100;
  return context.routes.find(r => r.subset === subset)?.weight ?? 0;
}

/** A traffic policy and the field that sets it, for errors that name it. */
type FieldPolicy = readonly [field: string, policy: TrafficPolicy | undefined];

function trafficPolicies(props: RoutingProps, context: RoutingContext): FieldPolicy[] {
  const versions = context.versions.map((v): FieldPolicy => [`${v.id.toLowerCase()}.trafficPolicy`, v.workload.trafficPolicy]);
  return [['trafficPolicy', props.trafficPolicy], ...versions];
}

function sticky(scope: Construct, options: StickySessionOptions, policies: FieldPolicy[], context: RoutingContext): ResolvedRouting['sticky'] {
  const [field, hashing] = policies.find(([, policy]) => policy?.loadBalancer?.consistentHash) ?? [];
  if (hashing) {
    fail(scope, `${field}.loadBalancer`, 'is consistent hashing, which pins users to pods by another key than stickySessions does',
      hashing.loadBalancer, 'use one of the two: sticky sessions pin users to a version, consistent hashing to a pod');
  }
  const seconds = Math.round((options.maxAge ?? Duration.hours(1)).toSeconds({ integral: false }));
  const cookieName = options.cookieName ?? `${context.appName}-version`;
  // The pinning routes match the cookie with a regex per version, which Istio takes up to a length.
  for (const version of context.versions) {
    const regex = cookieRegex(cookieName, version.subset);
    if (regex.length > MAX_REGEX) {
      fail(scope, 'stickySessions.cookieName', `makes with version ${JSON.stringify(version.subset)} a cookie regex of ${regex.length} characters, `
        + `more than the ${MAX_REGEX} Istio takes`, cookieName, 'use a shorter cookie name');
    }
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
    const policy = version.routePolicy;
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
export function checkRoutePolicy(scope: Construct, field: string, value: RoutePolicy | undefined): void {
  const policy = checkObject(scope, field, value, '{ timeout: Duration.seconds(5), retries: { attempts: 3 } }');
  checkDuration(scope, `${field}.timeout`, policy?.timeout);
  const retries = checkObject(scope, `${field}.retries`, policy?.retries, '{ attempts: 3 }');
  if (retries) checkRetries(scope, `${field}.retries`, retries);
  const fault = checkObject(scope, `${field}.fault`, policy?.fault, '{ abortHttpStatus: 503, abortPercentage: 5 }');
  checkDuration(scope, `${field}.fault.delay`, fault?.delay);
  if (fault?.delayPercentage !== undefined) checkFaultPercentage(scope, `${field}.fault.delayPercentage`, fault.delayPercentage);
  if (fault?.abortPercentage !== undefined) checkFaultPercentage(scope, `${field}.fault.abortPercentage`, fault.abortPercentage);
  const status = fault?.abortHttpStatus;
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    fail(scope, `${field}.fault.abortHttpStatus`, 'must be an HTTP status from 200 to 599', status, 'use e.g. 503');
  }
}

/** Istio's validation refuses a share of requests above 0 and below 0.0001%, finer than Envoy counts them. */
function checkFaultPercentage(scope: Construct, field: string, value: number): void {
  checkPercentage(scope, field, value);
  if (value > 0 && value < 0.0001) fail(scope, field, 'must be 0, or 0.0001 or more, the finest share Istio takes', value, 'use 0, or e.g. 0.01');
}

/** The conditions Istio takes in `retryOn` besides HTTP status codes (its `supportedRetryOnPolicies`). */
const RETRY_POLICIES = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable',
];

/** The status codes that Go names (`http.StatusText`), which are the ones Istio's validation takes in `retryOn`. */
const HTTP_STATUSES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

function checkRetries(scope: Construct, field: string, retries: RetryOptions): void {
  // Istio's attempts are an int32.
  const attempts = checkCount(scope, `${field}.attempts`, retries.attempts, '3');
  checkDuration(scope, `${field}.perTryTimeout`, retries.perTryTimeout);
  const conditions = checkList(scope, `${field}.retryOn`, retries.retryOn, '["5xx", "reset"]', (entry, condition) => {
    const known = typeof condition === 'string' && (RETRY_POLICIES.includes(condition) || (/^\d+$/.test(condition) && HTTP_STATUSES.has(Number(condition))));
    if (!known) {
      fail(scope, entry, 'must be one of Istio\'s retry conditions or an HTTP status code', condition, 'e.g. "5xx", "connect-failure" or "503"');
    }
  });
  if (attempts === 0 && (retries.perTryTimeout !== undefined || conditions.length > 0)) {
    fail(scope, `${field}.attempts`, 'must be 1 or more with perTryTimeout or retryOn: 0 turns retries off, and Istio refuses their settings then',
      attempts, 'raise attempts, or leave perTryTimeout and retryOn out');
  }
}

/** Checks what Istio's schema would reject in a traffic policy, naming the field. */
export function checkTrafficPolicy(scope: Construct, field: string, value: TrafficPolicy | undefined): void {
  const policy = checkObject(scope, field, value, '{ tlsMode: ClientTlsMode.ISTIO_MUTUAL }');
  if (policy?.loadBalancer !== undefined) {
    checkInstance(scope, `${field}.loadBalancer`, policy.loadBalancer, LoadBalancer, 'LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST)');
  }
  if (policy?.tlsMode !== undefined) checkEnum(scope, `${field}.tlsMode`, policy.tlsMode, ClientTlsMode);
  if (policy?.tlsMode === ClientTlsMode.MUTUAL) {
    fail(scope, `${field}.tlsMode`, 'needs a client certificate and key, which a TrafficPolicy has no field for, and Istio refuses it without them',
      policy.tlsMode, 'use ClientTlsMode.ISTIO_MUTUAL, mutual TLS with the mesh\'s own certificates');
  }
  // Without caCertificates, proxies check the pods' certificate against public CAs, which never sign a cluster-local name.
  if (policy?.tlsMode === ClientTlsMode.SIMPLE) {
    fail(scope, `${field}.tlsMode`, 'needs the CA certificates that signed the pods\' certificate, which a TrafficPolicy has no field for; '
      + 'without them proxies check it against public CAs and the handshake fails', policy.tlsMode,
    'use ClientTlsMode.ISTIO_MUTUAL, TLS with the mesh\'s own certificates');
  }
  const pool = checkObject(scope, `${field}.connectionPool`, policy?.connectionPool, '{ maxConnections: 100 }');
  for (const key of ['maxConnections', 'http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection'] as const) {
    if (pool?.[key] !== undefined) checkCount(scope, `${field}.connectionPool.${key}`, pool[key]);
  }
  checkDuration(scope, `${field}.connectionPool.connectTimeout`, pool?.connectTimeout);
  const outlier = checkObject(scope, `${field}.outlierDetection`, policy?.outlierDetection, '{ consecutive5xxErrors: 5 }');
  if (outlier?.consecutive5xxErrors !== undefined) checkCount(scope, `${field}.outlierDetection.consecutive5xxErrors`, outlier.consecutive5xxErrors, '5');
  // Istio takes a whole percentage here (an int32), unlike its `Percent` fields.
  if (outlier?.maxEjectionPercent !== undefined) checkPercent(scope, `${field}.outlierDetection.maxEjectionPercent`, outlier.maxEjectionPercent);
  checkDuration(scope, `${field}.outlierDetection.interval`, outlier?.interval);
  checkDuration(scope, `${field}.outlierDetection.baseEjectionTime`, outlier?.baseEjectionTime);
}
