import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DestinationRuleSpec,
  GatewaySpec,
  GatewaySpecServersTls,
  GatewaySpecServersTlsMode,
  VirtualServiceSpec,
  VirtualServiceSpecHttp,
  VirtualServiceSpecTcp,
  toJson_DestinationRuleSpec,
  toJson_GatewaySpec,
  toJson_VirtualServiceSpec,
} from '../../imports/networking.istio.io';
import { PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode, toJson_PeerAuthenticationSpec } from '../../imports/security.istio.io';
import type { GatewayServer, GatewayServerTls } from '../istio-gateway';
import { isHttpProtocol, IstioApiVersion, matchRouteSubset, ReleaseModel, ROLES_ANNOTATION, routePolicyOf, Strategy, VersionModel } from '../model';
import { ReleaseController } from '../plan';
import { MESH } from '../verify/hosts';
import { serviceHost } from '../names';
import { cookieRegex } from '../routing';

/**
 * The release model as Istio sees it: one DestinationRule with a subset per version, one
 * VirtualService with the weighted split. Specs are typed by the generated v1 imports; v1beta1
 * has the same shape, so only `apiVersion` differs.
 */

/** The name of the weighted HTTP route, which Argo Rollouts and people refer to. */
export const PRIMARY_ROUTE = 'primary';


function networkingObject(
  scope: Construct, id: string, kind: string, version: IstioApiVersion,
  metadata: ApiObjectMetadata, spec: Record<string, unknown> | undefined,
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: `networking.istio.io/${version}`, kind, metadata, spec });
}

/** The metadata of the app's own objects: named after it, labelled `app: <name>`. */
export function metadataOf(model: ReleaseModel): ApiObjectMetadata {
  return { name: model.name, namespace: model.namespace, labels: { ...model.selector } };
}

/**
 * The annotation that names each version's role in a canary that Git walks (`v1=stable,v2=canary`),
 * by subset, or by backend Service on a Gateway API route: the routes alone do not say which
 * version is which, and the diagrams show it. It stays the same from one step to the next, as
 * only the weights may change. A blue/green's roles are its weights (all to the active colour);
 * a controller's objects name their roles themselves.
 */
export function rolesAnnotation(model: ReleaseModel, nameOf: (version: VersionModel) => string): { [key: string]: string } {
  if (model.controller !== ReleaseController.NONE || model.strategy !== Strategy.CANARY || model.versions.length < 2) return {};
  return { [ROLES_ANNOTATION]: model.versions.map(v => `${nameOf(v)}=${v.id.toLowerCase()}`).join(',') };
}

export function renderDestinationRule(scope: Construct, model: ReleaseModel): ApiObject {
  const spec: DestinationRuleSpec = {
    host: serviceHost(model.name, model.namespace),
    subsets: model.versions.map(v => ({ name: v.subset, labels: { version: v.version } })),
  };
  // The policies are added as plain JSON after the typed conversion: the generated types rename
  // fields (consecutive5xxErrors becomes consecutive5XxErrors), and their converters drop what
  // they do not know.
  const json = toJson_DestinationRuleSpec(spec)!;
  json.trafficPolicy = model.trafficPolicy;
  json.subsets.forEach((subset: { trafficPolicy?: unknown }, i: number) => { subset.trafficPolicy = model.versions[i].trafficPolicy; });
  return networkingObject(scope, 'DestinationRule', 'DestinationRule', model.istioApiVersion, metadataOf(model), json);
}

/**
 * Whether the app needs a VirtualService: to split over subsets, to bind the app to a gateway, or
 * to route matching requests ahead of the split. Selector routing with none of those leaves the
 * Service alone to route.
 */
export function needsVirtualService(model: ReleaseModel): boolean {
  return !model.selectorRouting || model.binding !== undefined || model.matchRoutes.length > 0;
}

export function renderVirtualService(scope: Construct, model: ReleaseModel): ApiObject {
  const host = serviceHost(model.name, model.namespace);
  const binding = model.binding;
  // In ambient mode the mesh has no sidecars to apply it: the VirtualService is the gateway's alone,
  // for the external hosts, and HTTPRoutes on the Service route the mesh (see renderAmbientMeshRoutes).
  const gatewayOnly = model.ambient !== undefined && binding !== undefined;
  const spec: VirtualServiceSpec = {
    hosts: !binding ? [host] : gatewayOnly && binding.hosts.length > 0 ? [...binding.hosts] : [...binding.hosts, host],
    // Without a gateway the field is left out, which Istio reads as `mesh` alone.
    gateways: binding ? [...binding.gateways, ...gatewayOnly ? [] : [MESH]] : undefined,
    http: scopedHttpRoutes(model, host),
    tcp: tcpRoutes(model, host),
  };
  const metadata = metadataOf(model);
  return networkingObject(scope, 'VirtualService', 'VirtualService', model.istioApiVersion,
    { ...metadata, annotations: rolesAnnotation(model, version => version.subset) }, toJson_VirtualServiceSpec(spec));
}

/**
 * Istio takes the first route that matches: preview and tester routes, then the routes that keep
 * sticky users on their version, then the weighted split for everyone else.
 */
function httpRoutes(model: ReleaseModel, host: string): VirtualServiceSpecHttp[] {
  const toVersion = (subset: string) => ({ destination: { host, subset } });
  const matchRoutes = model.matchRoutes.map(r => ({
    name: r.name,
    match: [r.match],
    route: [r.service ? { destination: { host: serviceHost(r.service, model.namespace) } } : toVersion(r.subset!)],
    ...routePolicyOf(model, matchRouteSubset(model, r)),
  }));
  const sticky = model.sticky;
  const pinned = sticky ? model.routes.filter(r => r.weight > 0).map(r => ({
    name: `sticky-${r.subset}`,
    match: [{ headers: { cookie: { regex: cookieRegex(sticky.cookieName, r.subset) } } }],
    route: [toVersion(r.subset)],
    ...routePolicyOf(model, r.subset),
  })) : [];
  const setCookie = (subset: string) => sticky && {
    headers: { response: { set: { 'set-cookie': `${sticky.cookieName}=${subset}; Max-Age=${sticky.maxAgeSeconds}; Path=/` } } },
  };
  const weighted: VirtualServiceSpecHttp = {
    name: PRIMARY_ROUTE,
    // With selector routing the Service already picks the version; a subset would need a rule.
    route: model.selectorRouting
      ? [{ destination: { host } }]
      : model.routes.map(r => ({ ...toVersion(r.subset), weight: r.weight, ...setCookie(r.subset) })),
    mirror: model.mirror && { host, subset: model.mirror.subset },
    mirrorPercentage: model.mirror && { value: model.mirror.percentage },
    ...model.routePolicy,
  };
  return [...matchRoutes, ...pinned, weighted];
}

/**
 * A gateway cannot tell which port of a multi-port Service a route means, while sidecars route on
 * the port the client dialled. With one HTTP port among several, the routes name it, which holds
 * for both. With several HTTP ports and a gateway, the routes are written twice: once for the
 * gateway, with the primary port named, once for the mesh, without a port.
 */
function scopedHttpRoutes(model: ReleaseModel, host: string): VirtualServiceSpecHttp[] | undefined {
  const httpPorts = model.ports.filter(p => isHttpProtocol(p.protocol));
  if (httpPorts.length === 0) return undefined;
  const routes = httpRoutes(model, host);
  if (model.ports.length === 1) return routes;
  const port = { number: httpPorts[0].port };
  const withPort = (r: VirtualServiceSpecHttp): VirtualServiceSpecHttp => ({
    ...r,
    // Every destination is one of the app's Services (the preview one too), which share the ports.
    route: r.route?.map(d => ({ ...d, destination: { ...d.destination, port } })),
    mirror: r.mirror ? { ...r.mirror, port } : r.mirror,
  });
  // A VirtualService for the gateway alone names the primary port, as the gateway's half does below.
  if (httpPorts.length === 1 || model.ambient) return routes.map(withPort);
  if (!model.binding) return routes;
  const scoped = (gateways: string[]) => (r: VirtualServiceSpecHttp) => ({ ...r, match: (r.match ?? [{}]).map(m => ({ ...m, gateways })) });
  return [
    ...routes.map(scoped([...model.binding.gateways])).map(withPort).map(r => ({ ...r, name: `${r.name}-gateway` })),
    ...routes.map(scoped([MESH])),
  ];
}

/** One weighted route per TCP port, with the same split as the HTTP routes. */
function tcpRoutes(model: ReleaseModel, host: string): VirtualServiceSpecTcp[] | undefined {
  const tcpPorts = model.ports.filter(p => !isHttpProtocol(p.protocol));
  if (tcpPorts.length === 0) return undefined;
  return tcpPorts.map(p => {
    const destination = (subset?: string) => ({ host, subset, port: { number: p.port } });
    return {
      match: [{ port: p.port }],
      route: model.selectorRouting
        ? [{ destination: destination() }]
        : model.routes.map(r => ({ destination: destination(r.subset), weight: r.weight })),
    };
  });
}

/** A STRICT PeerAuthentication: the app's pods accept only mutual TLS. */
export function renderPeerAuthentication(scope: Construct, model: ReleaseModel): ApiObject {
  const spec: PeerAuthenticationSpec = {
    selector: { matchLabels: { ...model.selector } },
    mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT },
  };
  return new ApiObject(scope, 'PeerAuthentication', {
    apiVersion: `security.istio.io/${model.istioApiVersion}`,
    kind: 'PeerAuthentication',
    metadata: metadataOf(model),
    spec: toJson_PeerAuthenticationSpec(spec),
  });
}

/** What an Istio Gateway serves; plain data, like the release model. */
export interface GatewayModel {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { readonly [key: string]: string };
  readonly servers: readonly GatewayServer[];
  readonly istioApiVersion: IstioApiVersion;
}

/**
 * One Gateway server: the public `GatewayServer`, which the constructs expose as `servers`.
 * Kept under this name for TypeScript users who named it.
 * @deprecated use `GatewayServer`
 */
export type ServerModel = GatewayServer;

export function renderGateway(scope: Construct, model: GatewayModel): ApiObject {
  const spec: GatewaySpec = {
    selector: { ...model.selector },
    servers: model.servers.map(server => ({
      port: { number: server.port, name: server.name, protocol: server.tls ? 'HTTPS' : 'HTTP' },
      hosts: [...server.hosts],
      tls: server.tls ? tlsSpec(server.tls) : server.httpsRedirect ? { httpsRedirect: true } : undefined,
    })),
  };
  return networkingObject(scope, 'Resource', 'Gateway', model.istioApiVersion,
    { name: model.name, namespace: model.namespace }, toJson_GatewaySpec(spec));
}

/** The generated TLS mode is an enum of the same strings as `GatewayTlsMode`. */
function tlsSpec(tls: GatewayServerTls): GatewaySpecServersTls {
  return { mode: tls.mode as string as GatewaySpecServersTlsMode, credentialName: tls.credentialName };
}
