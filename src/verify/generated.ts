/**
 * What controllers make from objects of the set, which a set written for them never holds, and
 * which its routes may name all the same: istiod deploys a Service for each Kubernetes Gateway it
 * manages, and Flagger makes Services and a VirtualService for each Canary. The checks take them
 * as declared outside the set, as they take `externalHosts` and `externalDelegates`: their ports
 * and routes are the controllers', not the set's.
 */

import { GATEWAY_API, Graph, ManifestObject, objectsOfKind } from './graph';
import { serviceFqdn } from './hosts';
import { list, own, record, text } from './json';
import { Settings } from './settings';

/** The settings with the hosts and delegates the controllers make from the set added to those declared outside it. */
export function withGenerated(settings: Settings, graph: Graph): Settings {
  const gateways = objectsOfKind(graph, GATEWAY_API, 'Gateway').flatMap(gatewayServiceHost);
  const canaries = objectsOfKind(graph, FLAGGER, 'Canary');
  if (gateways.length === 0 && canaries.length === 0) return settings;
  return {
    ...settings,
    externalHosts: [...settings.externalHosts, ...gateways, ...canaries.flatMap(canaryHosts)],
    externalDelegates: new Set([...settings.externalDelegates, ...canaries.flatMap(canaryVirtualService)]),
  };
}

const FLAGGER = 'flagger.app';

/** The annotation that names the Service and Deployment istiod makes for a Gateway. */
const NAME_OVERRIDE = 'gateway.istio.io/name-override';

/** Classes whose Service istiod names after the Gateway alone (classinfo.go `DisableNameSuffix`). */
const UNSUFFIXED_CLASSES: ReadonlySet<string> = new Set(['istio-waypoint', 'istio-east-west', 'agentgateway', 'agentgateway-waypoint']);

/**
 * istiod's deployment controller makes `<name>-<gatewayClassName>` (or the name alone, or the
 * override) for a Gateway it manages: one without an address of type Hostname, which points at a
 * Service of the user's instead (gatewaycommon `IsManaged`, `GetDefaultName`).
 */
function gatewayServiceHost(gateway: ManifestObject): string[] {
  const className = text(gateway.spec, 'gatewayClassName');
  if (className === undefined || list(gateway.spec, 'addresses').some(address => own(address, 'type') === 'Hostname')) return [];
  const name = text(record(gateway.metadata, 'annotations'), NAME_OVERRIDE)
    ?? (UNSUFFIXED_CLASSES.has(className) ? gateway.name : `${gateway.name}-${className}`);
  return [serviceFqdn(name, gateway.namespace)];
}

/** The name Flagger gives what it makes for a Canary: `service.name`, else the target's (v1beta1 `GetServiceNames`). */
function apexName(canary: ManifestObject): string | undefined {
  return text(record(canary.spec, 'service'), 'name') ?? text(record(canary.spec, 'targetRef'), 'name');
}

/** Flagger's Kubernetes router makes the apex, primary and canary Services in the Canary's namespace. */
function canaryHosts(canary: ManifestObject): string[] {
  const apex = apexName(canary);
  return apex === undefined ? [] : [apex, `${apex}-primary`, `${apex}-canary`].map(name => serviceFqdn(name, canary.namespace));
}

/** Its Istio router makes a VirtualService named after the apex, which a root may delegate to; another provider makes none. */
function canaryVirtualService(canary: ManifestObject): string[] {
  const apex = apexName(canary);
  const provider = text(canary.spec, 'provider');
  return apex === undefined || (provider !== undefined && provider !== 'istio') ? [] : [`${canary.namespace}/${apex}`];
}
