import { Visibility, exportedTo, isNowhere, namespaces, seenByAny, sharedBy } from './export-to';
import { Graph, ISTIO, ManifestObject, ServiceEntryHost, addTo, objectsOfKind } from './graph';
import { list, own, show, text } from './json';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** One port of a ServiceEntry, for one of its hosts. */
interface Declared {
  readonly entry: ManifestObject;
  readonly index: number;
  readonly host: string;
  readonly number: unknown;
  /** Upper-cased, as Istio compares protocols; empty where none is written. */
  readonly protocol: string;
}

/** A port of an entry, and the ports of other entries, seen in a namespace with it, that give one of its hosts another protocol. */
interface Conflict {
  readonly declared: Declared;
  readonly others: Declared[];
  readonly hosts: string[];
}

/**
 * Checks that the ServiceEntries a namespace sees give each host and port one protocol (Istio:
 * IST0177). Where several define one host, a proxy takes one of them for it, the oldest of a
 * namespace, by creation time, which manifests do not show: the protocol of the others is ignored,
 * and their traffic on that port is handled as the wrong protocol.
 */
export function checkServiceEntryProtocols(graph: Graph, settings: Settings): Finding[] {
  const byHostPort = new Map<string, Declared[]>();
  graph.serviceEntryHosts.forEach(declared => list(declared.entry.spec, 'ports').forEach((port, index) => {
    const number = own(port, 'number');
    // Stryker disable next-line StringLiteral: the separator only keeps host and port apart, and no host holds a space
    addTo(byHostPort, `${declared.host} ${show(number)}`, portOf(declared, port, index, number));
  }));
  // One finding per port of an entry, naming each host and each entry it conflicts with once.
  const conflicts = new Map<string, Conflict>();
  byHostPort.forEach(group => group.forEach(declared => {
    const others = group.filter(other => other.entry !== declared.entry && other.protocol !== declared.protocol
      && !isNowhere(seenByBoth(settings, declared.entry, other.entry)));
    if (others.length === 0) return;
    const key = `${declared.entry.entry} ${declared.index}`;
    let conflict = conflicts.get(key);
    if (!conflict) conflicts.set(key, conflict = { declared, others: [], hosts: [] });
    for (const other of others) if (!conflict.others.some(o => o.entry === other.entry)) conflict.others.push(other);
    if (!conflict.hosts.includes(declared.host)) conflict.hosts.push(declared.host);
  }));
  return [...conflicts.values()].map(({ declared, others, hosts }) => protocolConflict(settings, declared, others, hosts));
}

function portOf(declared: ServiceEntryHost, port: unknown, index: number, number: unknown): Declared {
  return { entry: declared.entry, index, host: declared.host, number, protocol: entryPortProtocol(port) };
}

/** A ServiceEntry port's protocol, upper-cased as Istio compares them; empty where none is written. */
function entryPortProtocol(port: unknown): string {
  return (text(port, 'protocol') ?? '').toUpperCase();
}

/** What a port's protocol is, as a message says it. */
function protocolOf(protocol: string): string {
  return protocol === '' ? 'has no protocol' : `is ${protocol}`;
}

function seenByBoth(settings: Settings, a: ManifestObject, b: ManifestObject): Visibility {
  return sharedBy(exportedTo(a, settings), exportedTo(b, settings));
}

function protocolConflict(settings: Settings, declared: Declared, others: readonly Declared[], hosts: readonly string[]): Finding {
  const seen = seenByAny(others.map(other => seenByBoth(settings, declared.entry, other.entry)));
  return finding('service-entry-protocol-conflict', declared.entry.id, `spec.ports[${declared.index}].protocol`,
    `port ${show(declared.number)} of ${hosts.join(', ')} ${protocolOf(declared.protocol)} here, `
    + `but ${others.map(o => `${o.protocol || 'no protocol'} in ${o.entry.id}`).join(', ')}, `
    + `and ${seen === '*' ? 'every namespace sees' : `${namespaces([...seen].sort())} see${seen.size === 1 ? 's' : ''}`} both: `
    + `a proxy takes one ServiceEntry for a host, the oldest of a namespace, which manifests do not show, so the other protocol is ignored `
    + `and traffic meant for it is handled as the wrong one; give the port one protocol in every ServiceEntry for the host, `
    + `or export them to different namespaces`);
}

/** The protocols of a ServiceEntry port that sidecars tell apart by port number alone: TCP, and those proxied as TCP. */
const PORT_MATCHED: ReadonlySet<string> = new Set(['', 'TCP', 'MONGO', 'MYSQL', 'REDIS']);

/**
 * Checks that each ServiceEntry port that sidecars match by number alone has an address (Istio:
 * IST0134): without one, they listen on `0.0.0.0` at that port and send it every connection on the
 * port, whatever its destination.
 */
export function checkServiceEntryAddresses(graph: Graph, settings: Settings): Finding[] {
  if (settings.allocatesAddresses) return [];
  return objectsOfKind(graph, ISTIO, 'ServiceEntry')
    .filter(entry => list(entry.spec, 'addresses').length === 0 && list(entry.status, 'addresses').length === 0)
    .flatMap(entry => list(entry.spec, 'ports').flatMap((port, index) => {
      const protocol = entryPortProtocol(port);
      return PORT_MATCHED.has(protocol) ? [addressRequired(entry, index, show(own(port, 'number')), protocol)] : [];
    }));
}

function addressRequired(entry: ManifestObject, index: number, number: string, protocol: string): Finding {
  return finding('service-entry-addresses-required', entry.id, `spec.ports[${index}]`,
    `port ${number} ${protocolOf(protocol)}, so sidecars match it by its number alone, and the entry has no addresses: `
    + `they listen for it on 0.0.0.0:${number} and send it every connection on port ${number}, whatever its destination, so no other service can use that port; `
    + `list the hosts' addresses or a virtual IP under spec.addresses, declare a protocol matched by host (HTTP, HTTPS, TLS), `
    + `or let sidecars capture DNS with addresses istiod allocates (ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE "true" in the mesh's defaultConfig.proxyMetadata)`);
}
