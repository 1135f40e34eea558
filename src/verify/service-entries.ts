import { Visibility, exportedTo, isNowhere, namespaces, sharedBy } from './export-to';
import { Graph, ManifestObject, ServiceEntryHost, addTo } from './graph';
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
  // One finding per port of an entry, whatever the hosts and entries it conflicts with.
  const conflicts = new Map<string, { readonly declared: Declared; readonly others: Declared[]; hosts: string[] }>();
  byHostPort.forEach(group => group.forEach(declared => {
    const others = group.filter(other => other.entry !== declared.entry && other.protocol !== declared.protocol
      && !isNowhere(seenByBoth(settings, declared.entry, other.entry)));
    if (others.length === 0) return;
    const key = `${declared.entry.entry} ${declared.index}`;
    const conflict = conflicts.get(key);
    if (conflict) {
      conflict.others.push(...others.filter(other => !conflict.others.some(o => o.entry === other.entry)));
      if (!conflict.hosts.includes(declared.host)) conflict.hosts.push(declared.host);
    } else conflicts.set(key, { declared, others, hosts: [declared.host] });
  }));
  return [...conflicts.values()].map(({ declared, others, hosts }) => protocolConflict(settings, declared, others, hosts));
}

function portOf(declared: ServiceEntryHost, port: unknown, index: number, number: unknown): Declared {
  return { entry: declared.entry, index, host: declared.host, number, protocol: (text(port, 'protocol') ?? '').toUpperCase() };
}

/** The namespaces that see both entries: `~` names none. */
function seenByBoth(settings: Settings, a: ManifestObject, b: ManifestObject): Visibility {
  const both = sharedBy(exportedTo(a, settings), exportedTo(b, settings));
  return both === '*' ? both : new Set([...both].filter(namespace => namespace !== '~'));
}

function protocolConflict(settings: Settings, declared: Declared, others: readonly Declared[], hosts: readonly string[]): Finding {
  const seen = others.reduce<Visibility>((all, other) => union(all, seenByBoth(settings, declared.entry, other.entry)), new Set());
  return finding('service-entry-protocol-conflict', declared.entry.id, `spec.ports[${declared.index}].protocol`,
    `port ${show(declared.number)} of ${hosts.join(', ')} ${declared.protocol === '' ? 'has no protocol' : `is ${declared.protocol}`} here, `
    + `but ${others.map(o => `${o.protocol || 'no protocol'} in ${o.entry.id}`).join(', ')}, `
    + `and ${seen === '*' ? 'every namespace sees' : `${namespaces([...seen].sort())} see${seen.size === 1 ? 's' : ''}`} both: `
    + `a proxy takes one ServiceEntry for a host, the oldest of a namespace, which manifests do not show, so the other protocol is ignored `
    + `and traffic meant for it is handled as the wrong one; give the port one protocol in every ServiceEntry for the host, `
    + `or export them to different namespaces`);
}

function union(a: Visibility, b: Visibility): Visibility {
  return a === '*' || b === '*' ? '*' : new Set([...a, ...b]);
}
