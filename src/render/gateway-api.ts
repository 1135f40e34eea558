import { createHash } from 'crypto';
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
  AppPort, ExtraServiceModel, HttpPolicySpec, MatchRouteModel, matchRouteSubset, ReleaseModel, routePolicyOf, VersionModel, versionOf,
} from '../model';
import { hostCovers } from '../names';
import { TrafficApi } from '../plan';
import { quoteRegex } from '../routing';
import type { MatchSpec, StringMatch } from '../routing';
import { renderDeployment, renderService, renderVersionService } from '../workloads';
import type { GatewayServer } from '../istio-gateway';
import { PRIMARY_ROUTE, rolesAnnotation } from './istio';
import { RenderedRelease } from './release';

/**
 * The release model as the Kubernetes Gateway API sees it (standard channel, v1): a Service per
 * version as the weighted backends, and HTTPRoutes in place of the VirtualService. What the
 * standard channel cannot express is refused with an error naming the prop, never dropped: by the
 * resolve step (release/checks-gateway-api.ts), which asks this module's functions what the
 * routes are made of.
 *
 * The routes are split by parent, because GAMMA meshes ignore `hostnames` on Service parents and
 * a route cannot mean both: `<name>` attaches to the app's Service (in-mesh callers, one route per
 * port, `<name>-<port name>` for the others) and `<name>-gateway` to the gateway, for its hosts.
 */

/** A gateway made in this app: how a release learns which API it emits, and its listeners. */
export interface MadeGateway {
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

/** The gateway `ref` made in the app of `scope`; undefined for one made elsewhere, or known by name only. */
export function madeGateway(scope: Construct, ref: string): MadeGateway | undefined {
  return madeGateways.get(scope.node.root)?.get(ref);
}

/** One listener of a Gateway API Gateway: a listener has one hostname, so a server becomes one per host. */
export interface ListenerModel {
  /**
   * `<server>.<host>`, `<server>-wildcard.<domain>` for `*.<domain>`, or the server's name for `*`;
   * past 253 characters, shortened as `fitName` does.
   */
  readonly name: string;
  /** Undefined for `*`: every host. */
  readonly hostname?: string;
  readonly port: number;
  /** The Secret with the certificate and key, for HTTPS. */
  readonly credentialName?: string;
  /** Plain HTTP that only redirects to HTTPS: apps' routes stay off it. */
  readonly redirect: boolean;
}

export function listenersOf(servers: readonly GatewayServer[]): ListenerModel[] {
  return servers.flatMap(server => server.hosts.map(host => ({
    name: fitName(host === '*' ? server.name : host.startsWith('*.') ? `${server.name}-wildcard${host.slice(1)}` : `${server.name}.${host}`),
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

/** The most characters of a listener's name. */
const MAX_NAME = 253;

/**
 * A listener's name, made from a host of up to 253 characters by adding to it, kept to 253: past
 * that, its start and a hash of all of it, so that two long names stay apart and the same name
 * always comes out the same.
 */
export function fitName(name: string): string {
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  // Cut at a character that may end a label, so that the hash follows as part of it.
  return `${name.slice(0, MAX_NAME - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
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
 * callers use), the Services the routes send to, then the routes. The resolve step checked it all
 * (release/checks-gateway-api.ts).
 */
export function renderGatewayApi(scope: Construct, model: ReleaseModel): RenderedRelease {
  const routes = routeShapes(model).map(shape => routeOf(scope, model, shape));
  const deployments = model.versions.map(version => renderDeployment(scope, model, version));
  const service = renderService(scope, model);
  const extraServices = [...model.extraServices, ...backendsOf(model)].map(extra => renderVersionService(scope, model, extra));
  const httpRoutes = routes.map(route => emitRoute(scope, model, route));
  return { deployments, service, extraServices, httpRoute: httpRoutes[0] };
}

/**
 * In ambient mode behind an Istio Gateway, the mesh's half of the release: the Services per
 * version and the HTTPRoutes on the app's Service, which its waypoint applies. The gateway's
 * VirtualService is Istio's (render/istio.ts).
 */
export function renderAmbientMeshRoutes(scope: Construct, model: ReleaseModel): { versionServices: ApiObject[]; httpRoute?: ApiObject } {
  const routes = meshRoutes(model).map(shape => routeOf(scope, model, shape));
  const versionServices = backendsOf(model).map(extra => renderVersionService(scope, model, extra));
  return { versionServices, httpRoute: routes.map(route => emitRoute(scope, model, route))[0] };
}

function backendsOf(model: ReleaseModel): ExtraServiceModel[] {
  return model.selectorRouting ? [] : model.versions.map(versionBackend);
}

function emitRoute(scope: Construct, model: ReleaseModel, route: RouteOutput): ApiObject {
  return new ApiObject(scope, route.id, {
    ...HttpRoute.GVK,
    metadata: {
      name: route.name, namespace: model.namespace, labels: { ...model.selector },
      annotations: model.selectorRouting ? {} : rolesAnnotation(model, version => versionBackend(version).name),
    },
    spec: toJson_HttpRouteSpec(route.spec),
  });
}

/** The Service `<name>-<subset>` over one version: what a weighted backendRef names. */
export function versionBackend(version: VersionModel): ExtraServiceModel {
  return { id: `${version.id}Service`, name: version.deploymentName, subset: version.subset };
}

// ---------------------------------------------------------------------------------------------
// Routes

/** An HTTPRoute of the release, as far as its rules go: the match routes it carries, on one port. */
export interface RouteShape {
  readonly id: string;
  readonly name: string;
  readonly port: AppPort;
  /** The match routes of its rules, in order. */
  readonly routes: readonly MatchRouteModel[];
  /** For the gateway's routes, the gateways and the hosts; undefined for a mesh route, whose parent is the app's Service. */
  readonly gateway?: { readonly refs: readonly string[]; readonly hostnames: string[] };
}

interface RouteOutput {
  readonly id: string;
  readonly name: string;
  readonly spec: HttpRouteSpec;
}

/** Every HTTPRoute of the release: the mesh's, then the gateway's, unless an Istio Gateway's VirtualService routes the ingress. */
export function routeShapes(model: ReleaseModel): RouteShape[] {
  return [...meshRoutes(model), ...model.trafficApi === TrafficApi.GATEWAY_API ? gatewayRoutes(model) : []];
}

function routeOf(scope: Construct, model: ReleaseModel, shape: RouteShape): RouteOutput {
  const gateway = shape.gateway;
  const parentRefs: HttpRouteSpecParentRefs[] = gateway
    ? gateway.refs.flatMap(ref => gatewayParents(scope, ref, gateway.hostnames))
    : [{ group: '', kind: 'Service', name: model.name, port: shape.port.port }];
  return { id: shape.id, name: shape.name, spec: { parentRefs, hostnames: gateway?.hostnames, rules: rules(model, shape) } };
}

/** One GAMMA route per port: a backendRef names one port, and a request keeps the one it dialled. */
function meshRoutes(model: ReleaseModel): RouteShape[] {
  // Host routes belong to the gateway: GAMMA meshes ignore hostnames, and in the mesh the preview
  // is its own Service.
  const routes = model.matchRoutes.filter(r => !r.match.authority);
  if (model.selectorRouting && routes.length === 0) return [];
  return model.ports.map((port, i) => ({
    id: i === 0 ? 'HttpRoute' : `HttpRoute-${port.name}`,
    name: i === 0 ? model.name : `${model.name}-${port.name}`,
    port,
    routes,
  }));
}

/**
 * The gateway's route, for the app's hosts, on the primary port. A route ahead of the split that
 * matches a host (the preview host, which the app checked is one of its hosts) gets those hosts a
 * route of their own, `<name>-<route name>`: Gateway API matches hosts with a route's
 * `hostnames`, not with a rule.
 */
function gatewayRoutes(model: ReleaseModel): RouteShape[] {
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
    port: model.ports[0],
    routes: model.matchRoutes.filter(r => !r.match.authority || routes.includes(r)),
    gateway: { refs: binding.gateways, hostnames },
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

/** The match routes, then the weighted split unless a match route before it takes every request. */
function rules(model: ReleaseModel, shape: RouteShape): HttpRouteSpecRules[] {
  const { rules: matched, catchAll } = matchRules(model, shape);
  return catchAll ? matched : [...matched, weightedRule(model, shape.port)];
}

/**
 * The match routes in Istio's order, as rules. A route with no condition left (a host route, once
 * its host is the route's) takes every request, so nothing after it is reachable: the rules stop
 * there, and `catchAll` says so.
 */
export function matchRules(model: ReleaseModel, shape: RouteShape): { readonly rules: HttpRouteSpecRules[]; readonly catchAll: boolean } {
  const routes = shape.routes;
  const catchAll = routes.findIndex(r => !hasConditions(r.match));
  const matched = (catchAll < 0 ? routes : routes.slice(0, catchAll + 1)).map((r): HttpRouteSpecRules => ({
    name: r.name,
    matches: hasConditions(r.match) ? [requestMatch(r.match)] : undefined,
    backendRefs: [{ name: r.service ?? backendName(model, r.subset!), port: shape.port.port }],
    timeouts: timeouts(routePolicyOf(model, matchRouteSubset(model, r))),
  }));
  return { rules: matched, catchAll: catchAll >= 0 };
}

function weightedRule(model: ReleaseModel, port: AppPort): HttpRouteSpecRules {
  return {
    name: PRIMARY_ROUTE,
    backendRefs: model.selectorRouting
      ? [{ name: model.name, port: port.port }]
      : model.routes.map((r): HttpRouteSpecRulesBackendRefs => ({ name: backendName(model, r.subset), port: port.port, weight: r.weight })),
    filters: model.mirror && [mirrorFilter(backendName(model, model.mirror.subset), port, model.mirror.percentage)],
    timeouts: timeouts(model.routePolicy),
  };
}

function backendName(model: ReleaseModel, subset: string): string {
  return versionOf(model, subset)!.deploymentName;
}

/** Whether a rule has conditions to carry: a match route's host is its HTTPRoute's business. */
function hasConditions(match: MatchSpec): boolean {
  return match.headers !== undefined || match.queryParams !== undefined;
}

/**
 * Istio's prefix has no Gateway API type, so it becomes an anchored regex. RegularExpression is
 * implementation-specific: Istio reads it as RE2 matching the whole value, as its own `regex`.
 */
export function requestMatch(match: MatchSpec): HttpRouteSpecRulesMatches {
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

function timeouts(policy: HttpPolicySpec | undefined): HttpRouteSpecRules['timeouts'] {
  return policy?.timeout === undefined ? undefined : { request: gatewayDuration(policy.timeout) };
}

/**
 * Istio's whole `1500ms` or `90s` as a Gateway API duration (GEP-2257), which allows at most five
 * digits per unit: `1s500ms`, `1m30s`.
 */
export function gatewayDuration(istio: string): string {
  let ms = istio.endsWith('ms') ? Number(istio.slice(0, -2)) : Number(istio.slice(0, -1)) * 1000;
  const units: [string, number][] = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  const parts = units.flatMap(([unit, size]) => {
    const count = Math.floor(ms / size);
    ms -= count * size;
    return count > 0 ? [`${count}${unit}`] : [];
  });
  return parts.join('');
}

/**
 * The decimal places an Istio percentage (a double) needs, floating-point noise aside: a whole
 * one is Gateway API's `percent`, up to 7 places its `fraction`. Undefined past that.
 */
export function mirrorPlaces(percentage: number): number | undefined {
  const scaled = (places: number) => percentage * 10 ** places;
  return [0, 1, 2, 3, 4, 5, 6, 7].find(p => Math.abs(scaled(p) - Math.round(scaled(p))) < 1e-6);
}

function mirrorFilter(service: string, port: AppPort, percentage: number): HttpRouteSpecRulesFilters {
  const backendRef = { name: service, port: port.port };
  const places = mirrorPlaces(percentage)!;
  const numerator = Math.round(percentage * 10 ** places);
  const requestMirror: HttpRouteSpecRulesFiltersRequestMirror = places === 0
    ? { backendRef, percent: numerator }
    : { backendRef, fraction: { numerator, denominator: 100 * 10 ** places } };
  return { type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR, requestMirror };
}
