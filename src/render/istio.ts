import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DestinationRuleSpec,
  GatewaySpec,
  VirtualServiceSpec,
  toJson_DestinationRuleSpec,
  toJson_GatewaySpec,
  toJson_VirtualServiceSpec,
} from '../../imports/networking.istio.io';
import { IstioApiVersion, ReleaseModel } from '../model';
import { serviceHost } from '../names';

/**
 * The release model as Istio sees it: one DestinationRule with a subset per version, one
 * VirtualService with the weighted split. Specs are typed by the generated v1 imports; v1beta1
 * has the same shape, so only `apiVersion` differs.
 */

/** The name of the weighted HTTP route, which Argo Rollouts and people refer to. */
export const PRIMARY_ROUTE = 'primary';

/** Gateways that a VirtualService is bound to besides its own, meaning every sidecar. */
const MESH = 'mesh';

function networkingObject(
  scope: Construct, id: string, kind: string, version: IstioApiVersion,
  metadata: ApiObjectMetadata, spec: Record<string, unknown> | undefined,
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: `networking.istio.io/${version}`, kind, metadata, spec });
}

function metadataOf(model: ReleaseModel): ApiObjectMetadata {
  return { name: model.name, namespace: model.namespace, labels: { ...model.selector } };
}

export function renderDestinationRule(scope: Construct, model: ReleaseModel): ApiObject {
  const spec: DestinationRuleSpec = {
    host: serviceHost(model.name, model.namespace),
    subsets: model.versions.map(v => ({ name: v.subset, labels: { version: v.version } })),
  };
  return networkingObject(scope, 'DestinationRule', 'DestinationRule', model.istioApiVersion,
    metadataOf(model), toJson_DestinationRuleSpec(spec));
}

export function renderVirtualService(scope: Construct, model: ReleaseModel): ApiObject {
  const host = serviceHost(model.name, model.namespace);
  const binding = model.binding;
  const spec: VirtualServiceSpec = {
    hosts: binding ? [...binding.hosts, host] : [host],
    // Without a gateway the field is left out, which Istio reads as `mesh` alone.
    gateways: binding ? [...binding.gateways, MESH] : undefined,
    http: [{
      name: PRIMARY_ROUTE,
      // With selector routing the Service already picks the version; a subset would need a rule.
      route: model.selectorRouting
        ? [{ destination: { host } }]
        : model.routes.map(r => ({ destination: { host, subset: r.subset }, weight: r.weight })),
    }],
  };
  return networkingObject(scope, 'VirtualService', 'VirtualService', model.istioApiVersion,
    metadataOf(model), toJson_VirtualServiceSpec(spec));
}

/** What an Istio Gateway serves; plain data, like the release model. */
export interface GatewayModel {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { readonly [key: string]: string };
  readonly port: number;
  readonly hosts: readonly string[];
  readonly istioApiVersion: IstioApiVersion;
}

export function renderGateway(scope: Construct, model: GatewayModel): ApiObject {
  const spec: GatewaySpec = {
    selector: { ...model.selector },
    servers: [{ port: { number: model.port, name: 'http', protocol: 'HTTP' }, hosts: [...model.hosts] }],
  };
  return networkingObject(scope, 'Resource', 'Gateway', model.istioApiVersion,
    { name: model.name, namespace: model.namespace }, toJson_GatewaySpec(spec));
}
