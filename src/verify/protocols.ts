import { own, show, text } from './json';

/**
 * Istio's protocol selection for a Service port, after istiod's `ConvertProtocol`: `appProtocol`
 * if set, else the port name, each read as `<protocol>[-<suffix>]`, case-insensitively.
 */

const ISTIO_PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp', 'http_proxy']);

export const HTTP_PROTOCOLS: ReadonlySet<string> = new Set(['http', 'http2', 'grpc', 'grpc-web', 'http_proxy']);

/**
 * Protocols whose outbound traffic sidecars tell apart by host, the HTTP `Host` header or the TLS
 * SNI; the others, and a port Istio sniffs (undefined), they match on the port number alone.
 */
export const HOST_MATCHED_PROTOCOLS: ReadonlySet<string | undefined> = new Set([...HTTP_PROTOCOLS, 'https', 'tls']);

/** Kubernetes' own appProtocol names, which Istio also accepts. */
const KUBERNETES_APP_PROTOCOLS = new Map([['kubernetes.io/h2c', 'http2'], ['kubernetes.io/ws', 'http'], ['kubernetes.io/wss', 'https']]);

/** Ports Istio never sniffs, because their protocols speak first (SMTP, DNS, MySQL, MongoDB). */
const SERVER_FIRST_PORTS = new Set<unknown>([25, 53, 3306, 27017]);

/** The protocol Istio assigns a Service port, or undefined when it has to sniff the traffic. */
export function portProtocol(port: unknown): string | undefined {
  if (text(port, 'protocol') === 'UDP') return 'udp';
  // Stryker disable next-line StringLiteral: a port with neither reads as no protocol Istio knows, whatever text stands in
  const declared = text(port, 'appProtocol') ?? text(port, 'name') ?? '';
  const kubernetes = KUBERNETES_APP_PROTOCOLS.get(declared);
  if (kubernetes) return kubernetes;
  const lower = declared.toLowerCase();
  // `grpc-web` is the one protocol with a dash in it, so it is matched before the suffix is cut.
  const protocol = lower.startsWith('grpc-web') ? 'grpc-web' : lower.split('-')[0];
  if (ISTIO_PROTOCOLS.has(protocol)) return protocol;
  return SERVER_FIRST_PORTS.has(own(port, 'port')) ? 'tcp' : undefined;
}

/** A Service port as messages name it: `port 9080 (http)`, with the appProtocol that overrides the name. */
export function portLabel(port: unknown): string {
  const appProtocol = text(port, 'appProtocol');
  return `port ${show(own(port, 'port'))} (${text(port, 'name') ?? 'unnamed'}${appProtocol ? `, appProtocol ${appProtocol}` : ''})`;
}
