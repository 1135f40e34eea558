import { Construct } from 'constructs';
import { HttpRouteSpecRules, HttpRouteSpecRulesMatches } from '../../imports/gateway.networking.k8s.io';
import type { GatewayServer, IIstioGateway } from '../istio-gateway';
import { HttpPolicySpec, isHttpProtocol, MatchRouteModel, ReleaseModel, VersionModel } from '../model';
import { isDns1123Subdomain, isToken } from '../names';
import { TrafficApi } from '../plan';
import {
  gatewayDuration, listenersOf, madeGateway, matchRules, mirrorPlaces, requestMatch, routeShapes, versionBackend,
} from '../render/gateway-api';
import { fail } from '../validate';
import { checkServiceName } from './checks-limits';

/**
 * What the Gateway API's standard channel cannot express, refused while resolving and naming the
 * prop to change, so that `render/gateway-api.ts` only builds objects. The checks of the rules
 * read them as the renderer makes them.
 */
export function checkGatewayApiRelease(scope: Construct, model: ReleaseModel): void {
  // In ambient mode the mesh routes are HTTPRoutes whatever the ingress is: sidecars are the way to Istio's routing.
  refuseUnsupported(scope, model, model.ambient ? 'DataPlane.SIDECAR' : ISTIO_ROUTING);
  if (!model.selectorRouting) model.versions.forEach(version => checkBackendName(scope, version));
  if (model.mirror) checkMirrorPercentage(scope, model.mirror.percentage);
  for (const shape of routeShapes(model)) {
    const { rules, catchAll } = matchRules(model, shape);
    checkPrecedence(scope, rules);
    const count = rules.length + (catchAll ? 0 : 1);
    if (count > MAX_RULES) fail(scope, 'testerRoutes', `make more rules than the ${MAX_RULES} an HTTPRoute holds`, count, 'use fewer tester routes');
    if (shape.gateway) checkHostnames(scope, shape.gateway.hostnames);
  }
}

/**
 * Refuses a gateway of another API than the release's: a VirtualService binds only to an Istio
 * Gateway, an HTTPRoute only to a Gateway API one. An import says its API, Istio's by default.
 */
export function checkGatewayApi(scope: Construct, gateway: IIstioGateway, trafficApi: TrafficApi): void {
  if (gateway.trafficApi === trafficApi) return;
  const toGatewayApi = trafficApi === TrafficApi.GATEWAY_API;
  const [kind, binds] = toGatewayApi
    ? ['an Istio Gateway', 'an HTTPRoute can only attach to a gateway.networking.k8s.io Gateway']
    : ['a gateway.networking.k8s.io Gateway', 'a VirtualService can only bind to an Istio Gateway'];
  if (madeGateway(scope, gateway.gatewayRef)) {
    fail(scope, 'gateway', `emits ${kind}, and ${binds}`, gateway.gatewayRef, 'give the IstioGateway and the app the same trafficApi');
  }
  fail(scope, 'gateway', `is imported as ${kind}, and ${binds}`, gateway.gatewayRef, toGatewayApi
    ? `if it is a Gateway API Gateway, import it with IstioGateway.fromName(${JSON.stringify(gateway.gatewayRef)}, TrafficApi.GATEWAY_API)`
    : 'if it is an Istio Gateway, import it without TrafficApi.GATEWAY_API; else give the app trafficApi: TrafficApi.GATEWAY_API');
}

/**
 * The gateway's HTTPRoute is made for the app's hosts. An imported gateway's hosts are unknown, and
 * where Istio binds the Service's own name, an HTTPRoute without hostnames would take every host
 * of the gateway: so the hosts must be named.
 */
export function checkGatewayHosts(scope: Construct, gateway: IIstioGateway, hosts: readonly string[]): void {
  if (hosts.length === 0) {
    fail(scope, 'hosts', `must be given with TrafficApi.GATEWAY_API and the imported gateway ${gateway.gatewayRef}, whose hosts are unknown: `
      + 'the route to the gateway is made for the app\'s hosts', undefined, 'name the hosts the app serves through it, e.g. ["shop.example.com"]');
  }
}

/**
 * What a Gateway API Gateway cannot hold of an `IstioGateway`'s servers: hosts longer than a
 * listener's hostname, more listeners than a Gateway has. Each redirecting listener has an HTTPS
 * listener beside it, so 64 listeners also keep the redirect HTTPRoute within its 32 parents.
 */
export function checkKubernetesGateway(scope: Construct, servers: readonly GatewayServer[]): void {
  const listeners = listenersOf(servers);
  const long = listeners.find(l => (l.hostname?.length ?? 0) > MAX_HOSTNAME);
  if (long) {
    fail(scope, 'hosts', `hold a host longer than the ${MAX_HOSTNAME} characters of a Gateway API listener's hostname`, long.hostname,
      'use a shorter host, or TrafficApi.ISTIO');
  }
  if (listeners.length > MAX_LISTENERS) {
    fail(scope, 'hosts', `make more listeners than the ${MAX_LISTENERS} a Gateway API Gateway holds, one per host of each server`, listeners.length,
      'split the hosts between gateways');
  }
}

/** The way out of what the Gateway API cannot express, with sidecars. */
const ISTIO_ROUTING = 'TrafficApi.ISTIO';

/** The Gateway API's limits (v1 standard channel CRDs). */
const MAX_RULES = 16;
const MAX_CONDITIONS = 16;
const MAX_HOSTNAMES = 16;
const MAX_HOSTNAME = 253;
const MAX_LISTENERS = 64;
const MAX_NAME = 256;
const MAX_HEADER_VALUE = 4096;
const MAX_QUERY_VALUE = 1024;

// ---------------------------------------------------------------------------------------------
// What the standard channel has no field for

function refuseUnsupported(scope: Construct, model: ReleaseModel, instead: string): void {
  const tcp = model.ports.findIndex(p => !isHttpProtocol(p.protocol));
  if (tcp >= 0) {
    fail(scope, tcp === 0 ? 'protocol' : `additionalPorts[${tcp - 1}]`, 'is TCP, which Gateway API routes with TCPRoute, '
      + 'an experimental kind outside the standard channel', model.ports[tcp].name, `use an HTTP, HTTP/2 or gRPC port, or ${instead}`);
  }
  refusePolicy(scope, 'routePolicy', model.routePolicy, instead);
  refuseTrafficPolicy(scope, 'trafficPolicy', model.trafficPolicy, instead);
  for (const version of model.versions) {
    refusePolicy(scope, `${version.id.toLowerCase()}.routePolicy`, version.routePolicy, instead);
    refuseTrafficPolicy(scope, `${version.id.toLowerCase()}.trafficPolicy`, version.trafficPolicy, instead);
  }
  if (model.sticky) {
    fail(scope, 'stickySessions', 'has no Gateway API equivalent in the standard channel: sessionPersistence is experimental, '
      + 'and the cookie that names the version would need filters per backendRef, which are implementation-specific', model.sticky,
    `leave stickySessions out, or use ${instead}`);
  }
  for (const route of model.matchRoutes) refuseMatch(scope, route, instead);
}

export function refusePolicy(scope: Construct, field: string, policy: HttpPolicySpec | undefined, instead = ISTIO_ROUTING): void {
  if (policy?.retries) {
    fail(scope, `${field}.retries`, 'has no Gateway API equivalent in the standard channel (HTTPRoute `retry` is experimental)',
      policy.retries, `leave retries out, or use ${instead}`);
  }
  if (policy?.fault) {
    fail(scope, `${field}.fault`, 'has no Gateway API equivalent: HTTPRoute has no fault injection', policy.fault,
      `leave fault out, or use ${instead}`);
  }
  // GEP-2257 durations allow five digits per unit, so the hours stop at 99999.
  if (policy?.timeout !== undefined && !/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(gatewayDuration(policy.timeout))) {
    fail(scope, `${field}.timeout`, 'is longer than a Gateway API duration holds (99999h59m59s999ms)', policy.timeout,
      `use a shorter timeout, or ${instead}`);
  }
}

export function refuseTrafficPolicy(scope: Construct, field: string, policy: { readonly [key: string]: unknown } | undefined, instead = ISTIO_ROUTING): void {
  if (policy) {
    fail(scope, field, 'has no Gateway API equivalent in the standard channel: it is a DestinationRule policy '
      + '(load balancing, connection pool, outlier detection, TLS to the pods)', policy, `leave trafficPolicy out, or use ${instead}`);
  }
}

export function refuseMatch(scope: Construct, route: MatchRouteModel, instead = ISTIO_ROUTING): void {
  if (route.match.sourceLabels) {
    fail(scope, 'testerRoutes', `route ${JSON.stringify(route.name)} matches sourceLabels, which Gateway API cannot express: `
      + 'HTTPRoute matches paths, methods, headers and query parameters only', route.match.sourceLabels,
    `match a header the callers send instead, or use ${instead}`);
  }
  if (!isDns1123Subdomain(route.name)) {
    fail(scope, 'testerRoutes', 'route names must be lower-case DNS names to name HTTPRoute rules', route.name, 'e.g. "qa-team"');
  }
  const empty = [...Object.entries(route.match.headers ?? {}), ...Object.entries(route.match.queryParams ?? {})]
    .find(([, value]) => value.exact === '' || value.regex === '');
  if (empty) {
    fail(scope, 'testerRoutes', `route ${JSON.stringify(route.name)} matches ${empty[0]} against an empty value, which an HTTPRoute match cannot hold`,
      empty[1], `match a value of one character or more, or use ${instead}`);
  }
  checkConditions(scope, route, requestMatch(route.match), instead);
}

/**
 * What an HTTPRoute match holds of headers and query parameters, as the renderer writes them: a
 * prefix becomes a regex, longer than the prefix. The preview's header is its own prop.
 */
function checkConditions(scope: Construct, route: MatchRouteModel, match: HttpRouteSpecRulesMatches, instead: string): void {
  const [nameField, valueField] = route.service === undefined ? ['testerRoutes', 'testerRoutes'] : ['preview.header', 'preview.headerValue'];
  const at = `route ${JSON.stringify(route.name)} matches`;
  const kinds = [['headers', 'header', match.headers ?? [], MAX_HEADER_VALUE], ['queryParams', 'query parameter', match.queryParams ?? [], MAX_QUERY_VALUE]] as const;
  for (const [key, kind, conditions, maxValue] of kinds) {
    if (conditions.length > MAX_CONDITIONS) {
      fail(scope, nameField, `${at} more ${key} than the ${MAX_CONDITIONS} an HTTPRoute match holds`, conditions.length,
        `match ${MAX_CONDITIONS} ${key} or fewer, or use ${instead}`);
    }
    // Gateway API's HTTPHeaderName, for query parameters too.
    const badName = conditions.find(c => c.name.length > MAX_NAME || !isToken(c.name));
    if (badName) {
      fail(scope, nameField, `${at} a ${kind} name that Gateway API does not take: an HTTP token of 1 to ${MAX_NAME} letters, digits `
        + 'and !#$%&\'*+-.^_`|~', badName.name, `use a name such as "x-tester", or ${instead}`);
    }
    const long = conditions.find(c => c.value.length > maxValue);
    if (long) {
      fail(scope, valueField, `${at} ${kind} ${long.name} against a value that an HTTPRoute writes in ${long.value.length} characters, `
        + `and it holds ${maxValue}`, route.match[key]?.[long.name], `match a shorter value, or use ${instead}`);
    }
  }
}

/** The Service `<name>-<subset>` of a version's weighted backend, whose subset the version's label makes. */
function checkBackendName(scope: Construct, version: VersionModel): void {
  checkServiceName(scope, versionBackend(version).name, 'for its weighted backend',
    { field: `${version.id.toLowerCase()}.version`, value: version.version, fix: 'shorten the app name or the version' });
}

/** An HTTPRoute holds 16 hostnames of 253 characters at most. */
export function checkHostnames(scope: Construct, hostnames: readonly string[]): void {
  if (hostnames.length > MAX_HOSTNAMES) {
    fail(scope, 'hosts', `name more hosts than the ${MAX_HOSTNAMES} hostnames an HTTPRoute holds`, hostnames.length,
      'split the hosts between apps, or use TrafficApi.ISTIO');
  }
  const long = hostnames.find(h => h.length > MAX_HOSTNAME);
  if (long) fail(scope, 'hosts', `hold a host longer than the ${MAX_HOSTNAME} characters of a Gateway API hostname`, long, 'use a shorter host, or TrafficApi.ISTIO');
}

/**
 * Istio tries routes in order; Gateway API tries the match with more header matches first, then
 * the one with more query parameter matches, and only then keeps the order. A route more specific
 * than one before it would jump the queue for requests that match both.
 */
function checkPrecedence(scope: Construct, rules: readonly HttpRouteSpecRules[]): void {
  const rank = (rule: HttpRouteSpecRules) => {
    const match = rule.matches?.[0];
    return [match?.headers?.length ?? 0, match?.queryParams?.length ?? 0];
  };
  rules.forEach((later, j) => rules.slice(0, j).forEach(earlier => {
    const [a, b] = [rank(earlier), rank(later)];
    if ((b[0] > a[0] || (b[0] === a[0] && b[1] > a[1])) && !disjoint(earlier, later)) {
      fail(scope, 'testerRoutes', `route ${JSON.stringify(later.name)} has more conditions than ${JSON.stringify(earlier.name)} before it, `
        + 'and Gateway API tries the more specific match first where Istio keeps the order', [earlier.name, later.name],
      'put the more specific route first, or give them the same number of conditions');
    }
  }));
}

/** Two rules no request can match both of: one name, two different exact values. */
function disjoint(a: HttpRouteSpecRules, b: HttpRouteSpecRules): boolean {
  const [x, y] = [a.matches?.[0], b.matches?.[0]];
  const clash = (p?: { name: string; type?: string; value: string }[], q?: { name: string; type?: string; value: string }[]) =>
    (p ?? []).some(m => m.type === 'Exact' && (q ?? []).some(n => n.name === m.name && n.type === 'Exact' && n.value !== m.value));
  return clash(x?.headers, y?.headers) || clash(x?.queryParams, y?.queryParams);
}

/** Istio's percentage is a double; Gateway API takes a whole `percent` or a `fraction` of up to 7 decimal places. */
function checkMirrorPercentage(scope: Construct, percentage: number): void {
  if (mirrorPlaces(percentage) === undefined) {
    fail(scope, 'mirror.percentage', 'needs more than 7 decimal places, more than a Gateway API fraction holds', percentage, 'round it, e.g. 0.5');
  }
}
