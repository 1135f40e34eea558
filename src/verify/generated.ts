/**
 * What controllers make from objects of the set, which a set written for them never holds, and
 * which its routes may name all the same: istiod deploys a Service for each Kubernetes Gateway it
 * manages, and Flagger makes Services and a VirtualService for each Canary. The checks take them
 * as declared outside the set, as they take external hosts and delegates: their ports and routes
 * are the controllers', not the set's.
 */

import { GATEWAY_API, Graph, ManifestObject, objectsOfKind } from './graph';
import { serviceFqdn } from './hosts';
import { list, own, record, text } from './json';
import { Settings } from './settings';

/** The settings with the hosts and delegates the controllers make from the set added to those declared outside it. */
export function withGenerated(settings: Settings, graph: Graph): Settings {
  // Stryker disable next-line StringLiteral: a class without controller names none of Istio's, whatever stands for it
  const classes = new Map(objectsOfKind(graph, GATEWAY_API, 'GatewayClass').map(c => [c.name, text(c.spec, 'controllerName') ?? '']));
  const gateways = objectsOfKind(graph, GATEWAY_API, 'Gateway').flatMap(gateway => gatewayServiceHost(gateway, classes));
  const canaries = objectsOfKind(graph, FLAGGER, 'Canary');
  // Stryker disable next-line ConditionalExpression: a shortcut for the sets without either; the settings made are the same
  if (gateways.length === 0 && canaries.length === 0) return settings;
  return {
    ...settings,
    generatedHosts: new Set([...gateways, ...canaries.flatMap(canaryHosts)]),
    externalDelegates: new Set([...settings.externalDelegates, ...canaries.flatMap(canaryVirtualService)]),
  };
}

const FLAGGER = 'flagger.app';

/** The annotation that names the Service and Deployment istiod makes for a Gateway. */
const NAME_OVERRIDE = 'gateway.istio.io/name-override';

/** Istio's controllers that deploy a Gateway, and whether they name its Service after the class too (classinfo.go `DisableNameSuffix`). */
const CONTROLLERS: ReadonlyMap<string, boolean> = new Map([
  ['istio.io/gateway-controller', true],
  ['istio.io/mesh-controller', false],
  ['istio.io/eastwest-controller', false],
  ['istio.io/agentgateway-controller', false],
  ['istio.io/agentgateway-waypoint-controller', false],
]);

/** Istio's built-in GatewayClasses and their controllers; `istio-remote` deploys nothing. */
const BUILTIN_CLASSES: ReadonlyMap<string, string> = new Map([
  ['istio', 'istio.io/gateway-controller'],
  ['istio-waypoint', 'istio.io/mesh-controller'],
  ['istio-east-west', 'istio.io/eastwest-controller'],
  ['istio-agentgateway', 'istio.io/agentgateway-controller'],
  ['istio-agentgateway-waypoint', 'istio.io/agentgateway-waypoint-controller'],
]);

/**
 * istiod's deployment controller makes `<name>-<gatewayClassName>` (or the name alone, or the
 * override) for a Gateway of a class of its own (a built-in one, or a GatewayClass of the set
 * naming its controller) that it manages: one without addresses, or with one IP address
 * (gatewaycommon `IsManaged`, `GetDefaultName`).
 */
function gatewayServiceHost(gateway: ManifestObject, classes: ReadonlyMap<string, string>): string[] {
  const className = text(gateway.spec, 'gatewayClassName');
  // Stryker disable next-line StringLiteral: an unknown class names none of Istio's controllers, whatever stands for it
  const suffixed = className === undefined ? undefined : CONTROLLERS.get(classes.get(className) ?? BUILTIN_CLASSES.get(className) ?? '');
  // Stryker disable next-line ArrayDeclaration: a host no route names declares nothing
  if (suffixed === undefined || !isManaged(gateway)) return [];
  const name = text(record(gateway.metadata, 'annotations'), NAME_OVERRIDE) ?? (suffixed ? `${gateway.name}-${className}` : gateway.name);
  return [serviceFqdn(name, gateway.namespace)];
}

/** Whether istiod deploys a Gateway API Gateway's pods and Service itself: none is given by address but one IP (gatewaycommon `IsManaged`). */
export function isManaged(gateway: ManifestObject): boolean {
  const addresses = list(gateway.spec, 'addresses');
  if (addresses.length !== 1) return addresses.length === 0;
  const type = own(addresses[0], 'type');
  return type === undefined || type === 'IPAddress';
}

/** The name Flagger gives what it makes for a Canary: `service.name`, else the target's (v1beta1 `GetServiceNames`). */
function apexName(canary: ManifestObject): string | undefined {
  return text(record(canary.spec, 'service'), 'name') ?? text(record(canary.spec, 'targetRef'), 'name');
}

/**
 * Flagger's Kubernetes router makes the apex, primary and canary Services in the Canary's namespace,
 * unless the target is a Service itself (factory.go KubernetesRouter: a no-op router then).
 */
function canaryHosts(canary: ManifestObject): string[] {
  const apex = apexName(canary);
  // Stryker disable next-line ArrayDeclaration: a host no route names declares nothing
  if (apex === undefined || text(record(canary.spec, 'targetRef'), 'kind') === 'Service') return [];
  return [apex, `${apex}-primary`, `${apex}-canary`].map(name => serviceFqdn(name, canary.namespace));
}

/** Its Istio router makes a VirtualService named after the apex, which a root may delegate to; another provider's router makes none. */
function canaryVirtualService(canary: ManifestObject): string[] {
  const apex = apexName(canary);
  const provider = text(canary.spec, 'provider');
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: a delegate no rule names declares nothing
  if (apex === undefined) return [];
  // Stryker disable next-line ArrayDeclaration: the same
  return provider !== undefined && provider !== 'istio' ? [] : [`${canary.namespace}/${apex}`];
}
