import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  Gateway,
  GatewaySpec,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpec,
  HttpRouteSpecParentRefs,
  HttpRouteSpecRules,
  HttpRouteSpecRulesBackendRefs,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersRequestMirror,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesQueryParamsType,
  toJson_GatewaySpec,
  toJson_HttpRouteSpec,
} from '../../imports/gateway.networking.k8s.io';
import {
  ExtraServiceModel, HttpPolicySpec, isHttpProtocol, MatchRouteModel, matchRouteSubset, PortModel, ReleaseModel, routePolicyOf, VersionModel, versionOf,
} from '../model';
import { hostCovers, isDns1035Label, isDns1123Subdomain } from '../names';
import { TrafficApi } from '../plan';
import { quoteRegex } from '../routing';
import type { MatchSpec, StringMatch } from '../routing';
import { fail } from '../validate';
import { renderDeployment, renderService, renderVersionService } from '../workloads';
import type { GatewayServer } from '../istio-gateway';
import { PRIMARY_ROUTE } from './istio';
import { RenderedRelease } from './release';

/**
 * The release model as the Kubernetes Gateway API sees it (standard channel, v1): a Service per
 * version as the weighted backends, and HTTPRoutes in place of the VirtualService. What the
 * standard channel cannot express is refused with an error naming the prop, never dropped.
 *
 * The routes are split by parent, because GAMMA meshes ignore `hostnames` on Service parents and
 * a route cannot mean both: `<name>` attaches to the app's Service (in-mesh callers, one route per
 * port, `<name>-<port name>` for the others) and `<name>-gateway` to the gateway, for its hosts.
 */

/** A gateway made in this app: how a release learns which API it emits, and its listeners. */
interface MadeGateway {
  readonly gatewayRef: string;
  readonly trafficApi: TrafficApi;
  readonly servers: readonly GatewayServer[];
}

/** The gateways made in each app, by `namespace/name`, wherever in the app they are. */
const madeGateways = new WeakMap<IConstruct, Map<string, MadeGateway>>();

export function registerGateway(gateway: Construct & MadeGateway): void {
  const root = gateway.node.root;
  madeGateways.set(root, (madeGateways.get(root) ?? new Map<string, MadeGateway>()).set(gateway.gatewayRef, gateway));
}

function madeGateway(scope: Construct, ref: string): MadeGateway | undefined {
  return madeGateways.get(scope.node.root)?.get(ref);
}

/**
 * Refuses a gateway made in this app with another API than the release's: a VirtualService binds
 * only to an Istio Gateway, an HTTPRoute only to a Gateway API one. References made with
 * `IstioGateway.fromName` are not known here and pass.
 */
export function checkGatewayApi(scope: Construct, ref: string, trafficApi: TrafficApi): void {
  const made = madeGateway(scope, ref);
  if (made && made.trafficApi !== trafficApi) {
    const [emits, binds] = trafficApi === TrafficApi.GATEWAY_API
      ? ['an Istio Gateway', 'an HTTPRoute can only attach to a gateway.networking.k8s.io Gateway']
      : ['a gateway.networking.k8s.io Gateway', 'a VirtualService can only bind to an Istio Gateway'];
    fail(scope, 'gateway', `emits ${emits}, and ${binds}`, ref, 'give the IstioGateway and the app the same trafficApi');
  }
}

/** One listener of a Gateway API Gateway: a listener has one hostname, so a server becomes one per host. */
interface ListenerModel {
  /** `<server>.<host>`, `<server>-wildcard.<domain>` for `*.<domain>`, or the server's name for `*`. */
  readonly name: string;
  /** Undefined for `*`: every host. */
  readonly hostname?: string;
  readonly port: number;
  /** The Secret with the certificate and key, for HTTPS. */
  readonly credentialName?: string;
  /** Plain HTTP that only redirects to HTTPS: apps' routes stay off it. */
  readonly redirect: boolean;
}

function listenersOf(servers: readonly GatewayServer[]): ListenerModel[] {
  return servers.flatMap(server => server.hosts.map(host => ({
    name: host === '*' ? server.name : host.startsWith('*.') ? `${server.name}-wildcard${host.slice(1)}` : `${server.name}.${host}`,
    hostname: host === '*' ? undefined : host,
    port: server.port,
    credentialName: server.tls?.credentialName,
    redirect: server.httpsRedirect ?? false,
  })));
}

/** What a Gateway API Gateway serves; the selector of an Istio one has no counterpart. */
export interface KubernetesGatewayModel {
  readonly name: string;
  readonly namespace: string;
  readonly gatewayClassName: string;
  readonly servers: readonly GatewayServer[];
}

/**
 * A `gateway.networking.k8s.io/v1` Gateway, plus the HTTPRoute `<name>-https-redirect` when HTTP
 * redirects to HTTPS: Istio's `httpsRedirect` is a server setting, Gateway API's a route filter.
 * The redirecting listeners admit routes of their own namespace only, and apps' routes name the
 * other listeners, so that no app route ties with the redirect.
 */
export function renderKubernetesGateway(scope: Construct, model: KubernetesGatewayModel): { gateway: ApiObject; redirectRoute?: ApiObject } {
  const listeners = listenersOf(model.servers);
  const spec: GatewaySpec = { gatewayClassName: model.gatewayClassName, listeners: listeners.map(listenerSpec) };
  const metadata = { name: model.name, namespace: model.namespace };
  const gateway = new ApiObject(scope, 'Resource', { ...Gateway.GVK, metadata, spec: toJson_GatewaySpec(spec) });
  const redirecting = listeners.filter(l => l.redirect);
  if (redirecting.length === 0) return { gateway };
  const redirect: HttpRouteSpec = {
    parentRefs: redirecting.map(l => ({ name: model.name, sectionName: l.name })),
    rules: [{
      filters: [{
        type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
        requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
      }],
    }],
  };
  const redirectRoute = new ApiObject(scope, 'HttpsRedirect', {
    ...HttpRoute.GVK, metadata: { ...metadata, name: `${model.name}-https-redirect` }, spec: toJson_HttpRouteSpec(redirect),
  });
  return { gateway, redirectRoute };
}

function listenerSpec(listener: ListenerModel): GatewaySpecListeners {
  const from = listener.redirect ? GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME : GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL;
  return {
    name: listener.name,
    hostname: listener.hostname,
    port: listener.port,
    protocol: listener.credentialName ? 'HTTPS' : 'HTTP',
    tls: listener.credentialName === undefined ? undefined
      : { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ name: listener.credentialName }] },
    allowedRoutes: { namespaces: { from } },
  };
}

/**
 * Emits the release in make-before-break order: pods, the app's Service (the mesh parent, which
 * callers use), the Services the routes send to, then the routes. Everything is checked first.
 */
export function renderGatewayApi(scope: Construct, model: ReleaseModel): RenderedRelease {
  refuseUnsupported(scope, model);
  const backends = model.selectorRouting ? [] : model.versions.map(v => versionBackend(scope, v));
  const routes = [...meshRoutes(scope, model), ...gatewayRoutes(scope, model)];
  const deployments = model.versions.map(version => renderDeployment(scope, model, version));
  const service = renderService(scope, model);
  const extraServices = [...model.extraServices, ...backends].map(extra => renderVersionService(scope, model, extra));
  const httpRoutes = routes.map(route => new ApiObject(scope, route.id, {
    ...HttpRoute.GVK,
    metadata: { name: route.name, namespace: model.namespace, labels: { ...model.selector } },
    spec: toJson_HttpRouteSpec(route.spec),
  }));
  return { deployments, service, extraServices, httpRoute: httpRoutes[0] };
}

/** The Service `<name>-<subset>` over one version: what a weighted backendRef names. */
function versionBackend(scope: Construct, version: VersionModel): ExtraServiceModel {
  const name = version.deploymentName;
  if (!isDns1035Label(name)) {
    fail(scope, `${version.id.toLowerCase()}.version`, `names the Service ${JSON.stringify(name)} for its weighted backend, `
      + 'longer than a Service name may be (63)', version.version, 'shorten the app name or the version');
  }
  return { id: `${version.id}Service`, name, subset: version.subset };
}

// ---------------------------------------------------------------------------------------------
// What the standard channel has no field for

function refuseUnsupported(scope: Construct, model: ReleaseModel): void {
  const tcp = model.ports.findIndex(p => !isHttpProtocol(p.protocol));
  if (tcp >= 0) {
    fail(scope, tcp === 0 ? 'protocol' : `additionalPorts[${tcp - 1}]`, 'is TCP, which Gateway API routes with TCPRoute, '
      + 'an experimental kind outside the standard channel', model.ports[tcp].name, 'use an HTTP, HTTP/2 or gRPC port, or TrafficApi.ISTIO');
  }
  refusePolicy(scope, 'routePolicy', model.routePolicy);
  refuseTrafficPolicy(scope, 'trafficPolicy', model.trafficPolicy);
  for (const version of model.versions) {
    refusePolicy(scope, `${version.id.toLowerCase()}.routePolicy`, version.routePolicy);
    refuseTrafficPolicy(scope, `${version.id.toLowerCase()}.trafficPolicy`, version.trafficPolicy);
  }
  if (model.sticky) {
    fail(scope, 'stickySessions', 'has no Gateway API equivalent in the standard channel: sessionPersistence is experimental, '
      + 'and the cookie that names the version would need filters per backendRef, which are implementation-specific', model.sticky,
    'leave stickySessions out, or use TrafficApi.ISTIO');
  }
  for (const route of model.matchRoutes) refuseMatch(scope, route);
}

function refusePolicy(scope: Construct, field: string, policy: HttpPolicySpec | undefined): void {
  if (policy?.retries) {
    fail(scope, `${field}.retries`, 'has no Gateway API equivalent in the standard channel (HTTPRoute `retry` is experimental)',
      policy.retries, 'leave retries out, or use TrafficApi.ISTIO');
  }
  if (policy?.fault) {
    fail(scope, `${field}.fault`, 'has no Gateway API equivalent: HTTPRoute has no fault injection', policy.fault,
      'leave fault out, or use TrafficApi.ISTIO');
  }
}

function refuseTrafficPolicy(scope: Construct, field: string, policy: { readonly [key: string]: unknown } | undefined): void {
  if (policy) {
    fail(scope, field, 'has no Gateway API equivalent in the standard channel: it is a DestinationRule policy '
      + '(load balancing, connection pool, outlier detection, TLS to the pods)', policy, 'leave trafficPolicy out, or use TrafficApi.ISTIO');
  }
}

function refuseMatch(scope: Construct, route: MatchRouteModel): void {
  if (route.match.sourceLabels) {
    fail(scope, 'testerRoutes', `route ${JSON.stringify(route.name)} matches sourceLabels, which Gateway API cannot express: `
      + 'HTTPRoute matches paths, methods, headers and query parameters only', route.match.sourceLabels,
    'match a header the callers send instead, or use TrafficApi.ISTIO');
  }
  if (!isDns1123Subdomain(route.name)) {
    fail(scope, 'testerRoutes', 'route names must be lower-case DNS names to name HTTPRoute rules', route.name, 'e.g. "qa-team"');
  }
  const empty = [...Object.entries(route.match.headers ?? {}), ...Object.entries(route.match.queryParams ?? {})]
    .find(([, value]) => value.exact === '' || value.regex === '');
  if (empty) {
    fail(scope, 'testerRoutes', `route ${JSON.stringify(route.name)} matches ${empty[0]} against an empty value, which an HTTPRoute match cannot hold`,
      empty[1], 'match a value of one character or more, or use TrafficApi.ISTIO');
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

interface RouteOutput {
  readonly id: string;
  readonly name: string;
  readonly spec: HttpRouteSpec;
}

/** One GAMMA route per port: a backendRef names one port, and a request keeps the one it dialled. */
function meshRoutes(scope: Construct, model: ReleaseModel): RouteOutput[] {
  // Host routes belong to the gateway: GAMMA meshes ignore hostnames, and in the mesh the preview
  // is its own Service.
  const routes = model.matchRoutes.filter(r => !r.match.authority);
  if (model.selectorRouting && routes.length === 0) return [];
  return model.ports.map((port, i) => ({
    id: i === 0 ? 'HttpRoute' : `HttpRoute-${port.name}`,
    name: i === 0 ? model.name : `${model.name}-${port.name}`,
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: model.name, port: port.port }],
      rules: rules(scope, model, routes, port),
    },
  }));
}

/**
 * The gateway's route, for the app's hosts, on the primary port. A route ahead of the split that
 * matches a host (the preview host, which the app checked is one of its hosts) gets those hosts a
 * route of their own, `<name>-<route name>`: Gateway API matches hosts with a route's
 * `hostnames`, not with a rule.
 */
function gatewayRoutes(scope: Construct, model: ReleaseModel): RouteOutput[] {
  const binding = model.binding;
  if (!binding) return [];
  const hostRoutes = model.matchRoutes.filter(r => r.match.authority);
  const groups = new Map<string, { routes: MatchRouteModel[]; hostnames: string[] }>();
  for (const host of binding.hosts) {
    const routes = hostRoutes.filter(r => stringMatches(r.match.authority!, host));
    const key = routes.map(r => r.name).join('-') || 'gateway';
    groups.set(key, { routes, hostnames: [...groups.get(key)?.hostnames ?? [], host] });
  }
  return [...groups].map(([key, { routes, hostnames }]) => ({
    id: `HttpRoute-${key}`,
    name: `${model.name}-${key}`,
    spec: {
      parentRefs: binding.gateways.flatMap(ref => gatewayParents(scope, ref, hostnames)),
      hostnames,
      rules: rules(scope, model, model.matchRoutes.filter(r => !r.match.authority || routes.includes(r)), model.ports[0]),
    },
  }));
}

/** A parentRef to the Gateway, naming its listeners when some of them only redirect. */
function gatewayParents(scope: Construct, ref: string, hostnames: readonly string[]): HttpRouteSpecParentRefs[] {
  const [namespace, name] = ref.split('/');
  const listeners = listenersOf(madeGateway(scope, ref)?.servers ?? []);
  if (!listeners.some(l => l.redirect)) return [{ name, namespace }];
  return listeners
    .filter(l => !l.redirect && (l.hostname === undefined || hostnames.some(h => hostCovers(h, l.hostname!) || hostCovers(l.hostname!, h))))
    .map(l => ({ name, namespace, sectionName: l.name }));
}

/**
 * The match routes in Istio's order, then the weighted split. A route with no condition left (a
 * host route, once its host is the route's) takes every request, so nothing after it is reachable.
 */
function rules(scope: Construct, model: ReleaseModel, routes: readonly MatchRouteModel[], port: PortModel): HttpRouteSpecRules[] {
  const serviceOf = (subset: string) => versionOf(model, subset)!.deploymentName;
  const catchAll = routes.findIndex(r => !hasConditions(r.match));
  const matched = (catchAll < 0 ? routes : routes.slice(0, catchAll + 1)).map((r): HttpRouteSpecRules => ({
    name: r.name,
    matches: hasConditions(r.match) ? [requestMatch(r.match)] : undefined,
    backendRefs: [{ name: r.service ?? serviceOf(r.subset!), port: port.port }],
    timeouts: timeouts(routePolicyOf(model, matchRouteSubset(model, r))),
  }));
  checkPrecedence(scope, matched);
  const weighted: HttpRouteSpecRules = {
    name: PRIMARY_ROUTE,
    backendRefs: model.selectorRouting
      ? [{ name: model.name, port: port.port }]
      : model.routes.map((r): HttpRouteSpecRulesBackendRefs => ({ name: serviceOf(r.subset), port: port.port, weight: r.weight })),
    filters: model.mirror && [mirrorFilter(scope, serviceOf(model.mirror.subset), port, model.mirror.percentage)],
    timeouts: timeouts(model.routePolicy),
  };
  const all = catchAll < 0 ? [...matched, weighted] : matched;
  if (all.length > 16) fail(scope, 'testerRoutes', 'make more rules than the 16 an HTTPRoute holds', all.length, 'use fewer tester routes');
  return all;
}

/** Whether a rule has conditions to carry: a match route's host is its HTTPRoute's business. */
function hasConditions(match: MatchSpec): boolean {
  return match.headers !== undefined || match.queryParams !== undefined;
}

/**
 * Istio's prefix has no Gateway API type, so it becomes an anchored regex. RegularExpression is
 * implementation-specific: Istio reads it as RE2 matching the whole value, as its own `regex`.
 */
function requestMatch(match: MatchSpec): HttpRouteSpecRulesMatches {
  return {
    headers: valueMatches(match.headers, HttpRouteSpecRulesMatchesHeadersType.EXACT, HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION),
    queryParams: valueMatches(match.queryParams, HttpRouteSpecRulesMatchesQueryParamsType.EXACT, HttpRouteSpecRulesMatchesQueryParamsType.REGULAR_EXPRESSION),
  };
}

function valueMatches<T>(conditions: MatchSpec['headers'], exact: T, regex: T): { name: string; type: T; value: string }[] | undefined {
  return conditions && Object.entries(conditions).map(([name, value]) => (value.exact !== undefined
    ? { name, type: exact, value: value.exact }
    : { name, type: regex, value: value.regex ?? `^${quoteRegex(value.prefix!)}.*` }));
}

function stringMatches(match: StringMatch['spec'], value: string): boolean {
  if (match.exact !== undefined) return value === match.exact;
  if (match.prefix !== undefined) return value.startsWith(match.prefix);
  return new RegExp(`^(?:${match.regex})$`).test(value);
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

function timeouts(policy: HttpPolicySpec | undefined): HttpRouteSpecRules['timeouts'] {
  return policy?.timeout === undefined ? undefined : { request: gatewayDuration(policy.timeout) };
}

/**
 * Istio's whole `1500ms` or `90s` as a Gateway API duration (GEP-2257), which allows at most five
 * digits per unit: `1s500ms`, `1m30s`.
 */
function gatewayDuration(istio: string): string {
  let ms = istio.endsWith('ms') ? Number(istio.slice(0, -2)) : Number(istio.slice(0, -1)) * 1000;
  const units: [string, number][] = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  const parts = units.flatMap(([unit, size]) => {
    const count = Math.floor(ms / size);
    ms -= count * size;
    return count > 0 ? [`${count}${unit}`] : [];
  });
  return parts.join('');
}

/** Istio's percentage is a double; Gateway API takes a whole `percent` or a `fraction`. */
function mirrorFilter(scope: Construct, service: string, port: PortModel, percentage: number): HttpRouteSpecRulesFilters {
  const backendRef = { name: service, port: port.port };
  // Decimal places the percentage needs, floating-point noise aside.
  const scaled = (places: number) => percentage * 10 ** places;
  const places = [0, 1, 2, 3, 4, 5, 6, 7].find(p => Math.abs(scaled(p) - Math.round(scaled(p))) < 1e-6);
  if (places === undefined) {
    fail(scope, 'mirror.percentage', 'needs more than 7 decimal places, more than a Gateway API fraction holds', percentage, 'round it, e.g. 0.5');
  }
  const numerator = Math.round(scaled(places));
  const requestMirror: HttpRouteSpecRulesFiltersRequestMirror = places === 0
    ? { backendRef, percent: numerator }
    : { backendRef, fraction: { numerator, denominator: 100 * 10 ** places } };
  return { type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR, requestMirror };
}
