import { Graph, ManifestObject } from './graph';
import { MESH, resolveHost } from './hosts';
import { list, own, show, text } from './json';
import { HTTP_PROTOCOLS, portProtocol } from './protocols';
import { Destination, destinations, gatewayBindings, isBoundToMesh } from './routes';
import { Finding, finding } from './types';

/** Checks the Service port each destination lands on: that it exists, is unambiguous, and speaks a protocol Istio can route. */
export function checkPorts(graph: Graph): Finding[] {
  const findings = graph.virtualServices.flatMap(vs => destinations(vs).flatMap(d => {
    const service = graph.serviceByHost.get(resolveHost(d.host, vs.namespace));
    return service ? checkDestinationPort(vs, d, service) : [];
  }));
  // A Service port reached by many routes gets one protocol warning, naming the first route's VirtualService.
  const unique = new Map(findings.map(f => [JSON.stringify([f.object, f.path, f.code]), f] as const).reverse());
  return [...unique.values()];
}

function checkDestinationPort(vs: ManifestObject, d: Destination, service: ManifestObject): Finding[] {
  const ports = list(service.spec, 'ports');
  const number = own(own(d.destination, 'port'), 'number');
  if (number === undefined) {
    if (ports.length === 1) return checkProtocol(vs, d, service, 0);
    // Sidecars route on the port the client dialled; only a gateway has to be told.
    const applies = d.gateways ?? gatewayBindings(vs).map(b => b.gateway);
    const viaGateway = applies.some(gateway => gateway !== MESH);
    return ports.length > 1 && viaGateway
      ? [finding('destination-port-required', vs.id, d.path,
        `a gateway cannot tell which port of ${service.id} (${portNumbers(ports)}) this route means; set port.number`)]
      : [];
  }
  const index = ports.findIndex(p => own(p, 'port') === number);
  if (index >= 0) return checkProtocol(vs, d, service, index);
  return [finding('destination-port-not-found', vs.id, `${d.path}.port.number`,
    `port ${show(number)} is not a port of ${service.id} (it has ${portNumbers(ports) || 'none'}); use one of its ports`)];
}

function portNumbers(ports: readonly unknown[]): string {
  return ports.map(p => show(own(p, 'port'))).join(', ');
}

function checkProtocol(vs: ManifestObject, d: Destination, service: ManifestObject, index: number): Finding[] {
  const port = list(service.spec, 'ports')[index];
  const protocol = portProtocol(port);
  const label = `port ${show(own(port, 'port'))} (${text(port, 'name') ?? 'unnamed'})`;
  if (protocol === undefined) {
    return [finding('port-protocol-unknown', service.id, `spec.ports[${index}]`,
      `${label} declares no protocol Istio knows, so Istio has to sniff it: http/1.1 and http/2 are detected, anything else `
      + `is opaque tcp and server-first protocols stall; ${vs.id} routes to it, so name it <protocol>[-suffix] such as http-web, or set appProtocol`)];
  }
  // Sidecars build a tcp filter chain for a non-http port and never consult http routes; a gateway terminates http itself.
  if (d.protocol !== 'http' || HTTP_PROTOCOLS.has(protocol) || !isBoundToMesh(vs)) return [];
  return [finding('http-route-to-non-http-port', vs.id, d.path,
    `${label} of ${service.id} is declared ${protocol}, so sidecars proxy it as opaque ${protocol} and never apply this http route; `
    + `name the port http-<suffix> (or grpc, http2) if it serves http, or route it under tcp instead`)];
}
