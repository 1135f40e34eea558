import { CODES, Finding, VerifyOptions, verifyManifests } from '../src/verify';

type Obj = Record<string, any>;

/** verifyManifests, plus the promises every finding keeps: its code's severity and a lower-case message. */
function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  const findings = verifyManifests(objects, options);
  for (const f of findings) {
    expect({ code: f.code, severity: f.severity }).toEqual({ code: f.code, severity: CODES[f.code as keyof typeof CODES] });
    expect({ code: f.code, start: f.message[0] }).toEqual({ code: f.code, start: f.message[0].toLowerCase() });
  }
  return findings;
}

/** A ServiceEntry with one port per protocol given, numbered `number`; `''` writes none. */
function serviceEntry(name: string, namespace: string, hosts: string[], protocols: string[], spec: Obj = {}, number = 13835): Obj {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace },
    spec: {
      hosts,
      ports: protocols.map(protocol => ({ name: `port-${number}`, number, ...protocol === '' ? {} : { protocol } })),
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
      ...spec,
    },
  };
}

const FIX = 'a proxy takes one ServiceEntry for a host, the oldest of a namespace, which manifests do not show, so the other protocol is ignored '
  + 'and traffic meant for it is handled as the wrong one; give the port one protocol in every ServiceEntry for the host, '
  + 'or export them to different namespaces';

function conflict(object: string, index: number, message: string): Finding {
  return {
    code: 'service-entry-protocol-conflict', severity: CODES['service-entry-protocol-conflict'], object, path: `spec.ports[${index}].protocol`,
    message: `${message}: ${FIX}`, istioCode: 'IST0177',
  } as Finding;
}

describe('service-entry-protocol-conflict', () => {
  test('fails when two ServiceEntries give one host and port different protocols (Istio serviceentry-conflicting-protocol.yaml)', () => {
    const objects = [
      serviceEntry('se-https', 'default', ['example.com'], ['HTTPS']),
      serviceEntry('se-http', 'default', ['example.com'], ['HTTP']),
      serviceEntry('se-no-conflict', 'default', ['other.com'], ['HTTPS'], {}, 443),
    ];
    expect(verify(objects)).toEqual([
      conflict('ServiceEntry/default/se-http', 0, 'port 13835 of example.com is HTTP here, but HTTPS in ServiceEntry/default/se-https, and every namespace sees both'),
      conflict('ServiceEntry/default/se-https', 0, 'port 13835 of example.com is HTTPS here, but HTTP in ServiceEntry/default/se-http, and every namespace sees both'),
    ]);
  });

  test('passes when they agree on the protocol, in any case (Istio serviceentry-no-conflict-protocol.yaml)', () => {
    const objects = [
      serviceEntry('se-https-only', 'default', ['example.com'], ['HTTPS']),
      serviceEntry('se-https-only-2', 'default', ['example.com'], ['https']),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('passes when no namespace sees both (Istio serviceentry-conflicting-exportto.yaml)', () => {
    const objects = [
      serviceEntry('se-ns1', 'ns1', ['example.com'], ['HTTP'], { exportTo: ['.'] }),
      serviceEntry('se-ns2', 'ns2', ['example.com'], ['HTTPS'], { exportTo: ['.'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('passes when the ports or the hosts differ', () => {
    expect(verify([serviceEntry('a', 'default', ['example.com'], ['HTTP'], {}, 80), serviceEntry('b', 'default', ['example.com'], ['TCP'], {}, 81)])).toEqual([]);
    expect(verify([serviceEntry('a', 'default', ['a.example.com'], ['HTTP']), serviceEntry('b', 'default', ['b.example.com'], ['TCP'])])).toEqual([]);
  });

  test('passes when both are exported to "~", which names no namespace', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP'], { exportTo: ['~'] }),
      serviceEntry('b', 'ns2', ['example.com'], ['TCP'], { exportTo: ['~'] }),
    ];
    expect(verify(objects)).toEqual([]);
  });

  test('fails when one is exported everywhere and the other to its own namespace, naming that namespace', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP']),
      serviceEntry('b', 'ns2', ['example.com'], ['TCP'], { exportTo: ['.'] }),
    ];
    expect(verify(objects)).toEqual([
      conflict('ServiceEntry/ns1/a', 0, 'port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns2/b, and namespace ns2 sees both'),
      conflict('ServiceEntry/ns2/b', 0, 'port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespace ns2 sees both'),
    ]);
  });

  test('fails when both are exported to namespaces by name, naming those they share', () => {
    const objects = [
      serviceEntry('a', 'ns1', ['example.com'], ['HTTP'], { exportTo: ['shop', 'ns1', 'web'] }),
      serviceEntry('b', 'ns2', ['example.com'], ['TCP'], { exportTo: ['web', 'shop', '~'] }),
    ];
    expect(verify(objects).map(f => f.message)).toEqual([
      `port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns2/b, and namespaces shop, web see both: ${FIX}`,
      `port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespaces shop, web see both: ${FIX}`,
    ]);
  });

  test('reads the exportTo of entries without one from the mesh\'s defaultServiceExportTo', () => {
    const options = { defaultServiceExportTo: ['.'] };
    const apart = [serviceEntry('a', 'ns1', ['example.com'], ['HTTP']), serviceEntry('b', 'ns2', ['example.com'], ['TCP'])];
    expect(verify(apart, options)).toEqual([]);
    const together = [serviceEntry('a', 'ns1', ['example.com'], ['HTTP']), serviceEntry('b', 'ns1', ['example.com'], ['TCP'])];
    expect(verify(together, options).map(f => f.message)).toEqual([
      `port 13835 of example.com is HTTP here, but TCP in ServiceEntry/ns1/b, and namespace ns1 sees both: ${FIX}`,
      `port 13835 of example.com is TCP here, but HTTP in ServiceEntry/ns1/a, and namespace ns1 sees both: ${FIX}`,
    ]);
  });

  test('fails once per port of an entry, naming every entry and host it conflicts with', () => {
    const objects = [
      serviceEntry('a', 'default', ['a.example.com', 'b.example.com'], ['HTTP']),
      serviceEntry('b', 'default', ['a.example.com'], ['TCP']),
      serviceEntry('c', 'default', ['b.example.com'], ['TLS']),
      serviceEntry('d', 'default', ['a.example.com', 'b.example.com'], ['HTTP']),
    ];
    expect(verify(objects)).toEqual([
      conflict('ServiceEntry/default/a', 0, 'port 13835 of a.example.com, b.example.com is HTTP here, but TCP in ServiceEntry/default/b, '
        + 'TLS in ServiceEntry/default/c, and every namespace sees both'),
      conflict('ServiceEntry/default/b', 0, 'port 13835 of a.example.com is TCP here, but HTTP in ServiceEntry/default/a, '
        + 'HTTP in ServiceEntry/default/d, and every namespace sees both'),
      conflict('ServiceEntry/default/c', 0, 'port 13835 of b.example.com is TLS here, but HTTP in ServiceEntry/default/a, '
        + 'HTTP in ServiceEntry/default/d, and every namespace sees both'),
      conflict('ServiceEntry/default/d', 0, 'port 13835 of a.example.com, b.example.com is HTTP here, but TCP in ServiceEntry/default/b, '
        + 'TLS in ServiceEntry/default/c, and every namespace sees both'),
    ]);
  });

  test('fails when a port without protocol meets one with, naming the missing one', () => {
    const objects = [serviceEntry('a', 'default', ['example.com'], ['']), serviceEntry('b', 'default', ['example.com'], ['TCP'])];
    expect(verify(objects).map(f => f.message)).toEqual([
      `port 13835 of example.com has no protocol here, but TCP in ServiceEntry/default/b, and every namespace sees both: ${FIX}`,
      `port 13835 of example.com is TCP here, but no protocol in ServiceEntry/default/a, and every namespace sees both: ${FIX}`,
    ]);
  });

  test('fails on the port that conflicts, not on the entry\'s other ports', () => {
    const a = serviceEntry('a', 'default', ['example.com'], ['HTTP']);
    a.spec.ports.unshift({ name: 'tcp-db', number: 5432, protocol: 'TCP' });
    const objects = [a, serviceEntry('b', 'default', ['example.com'], ['TCP'])];
    expect(verify(objects).filter(f => f.object === 'ServiceEntry/default/a').map(f => f.path)).toEqual(['spec.ports[1].protocol']);
  });

  test('passes when one entry alone declares the host twice', () => {
    const objects = [serviceEntry('a', 'default', ['example.com'], ['HTTP', 'TCP'])];
    expect(verify(objects)).toEqual([]);
  });
});
