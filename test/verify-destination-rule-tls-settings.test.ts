import { Finding } from '../src/verify';
import { verifiedFindings } from './support/findings';

/** destination-rule-tls-invalid: the TLS settings of a DestinationRule that Istio's validation refuses (agent.ValidateTLS). */

type Obj = Record<string, any>;

const FILES = { clientCertificate: '/etc/certs/cert.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem' };

function rule(spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db', namespace: 'shop' }, spec: { host: 'db.example.com', ...spec } };
}

function invalid(spec: Obj): Finding[] {
  return verifiedFindings([rule(spec)]).filter(f => f.code === 'destination-rule-tls-invalid');
}

const at = (spec: Obj) => invalid(spec).map(f => `${f.path}: ${f.message}`);

describe('destination-rule-tls-invalid', () => {
  test('passes MUTUAL with a client certificate and key, or a credentialName alone, and SIMPLE or ISTIO_MUTUAL without them', () => {
    for (const tls of [{ mode: 'MUTUAL', ...FILES }, { mode: 'MUTUAL', credentialName: 'client' }, { mode: 'SIMPLE', caCertificates: FILES.caCertificates },
      { mode: 'SIMPLE', credentialName: 'client' }, { mode: 'ISTIO_MUTUAL' }, { mode: 'DISABLE', ...FILES, credentialName: 'client' }, {}]) {
      expect(invalid({ trafficPolicy: { tls } })).toEqual([]);
    }
  });

  test('fails when MUTUAL names no client certificate or key, in full', () => {
    expect(invalid({ trafficPolicy: { tls: { mode: 'MUTUAL', caCertificates: FILES.caCertificates } } })).toEqual([{
      code: 'destination-rule-tls-invalid', severity: 'error', object: 'DestinationRule/shop/db', path: 'spec.trafficPolicy.tls', istioCode: 'IST0106',
      message: 'tls in mode MUTUAL names no clientCertificate nor privateKey, and no credentialName, which Istio refuses, so this DestinationRule takes '
        + 'no effect; mutual TLS presents a client certificate: give clientCertificate and privateKey (files in the proxy), or credentialName with a Secret holding them',
    }]);
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', clientCertificate: FILES.clientCertificate, credentialName: '' } } }))
      .toEqual([expect.stringContaining('spec.trafficPolicy.tls: tls in mode MUTUAL names no privateKey, and no credentialName')]);
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', privateKey: FILES.privateKey } } }))
      .toEqual([expect.stringContaining('names no clientCertificate, and no credentialName')]);
  });

  test('fails when a credentialName comes with certificate files, in SIMPLE or MUTUAL, in full', () => {
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'client', caCertificates: FILES.caCertificates } } })).toEqual([
      'spec.trafficPolicy.tls: tls in mode SIMPLE takes its certificates from credentialName client and names caCertificates too, which Istio refuses, '
      + 'so this DestinationRule takes no effect; keep the credentialName, whose Secret holds them, or the files alone',
    ]);
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client', ...FILES, caCrl: '/etc/certs/crl.pem' } } }))
      .toEqual([expect.stringContaining('names clientCertificate, privateKey, caCertificates, caCrl too')]);
  });

  test('fails when insecureSkipVerify comes with what would verify the server, in full', () => {
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: FILES.caCertificates, subjectAltNames: ['db'] } } })).toEqual([
      'spec.trafficPolicy.tls: tls in mode SIMPLE skips verifying the server (insecureSkipVerify) and names caCertificates, subjectAltNames to verify it by, '
      + 'which Istio refuses, so this DestinationRule takes no effect; drop insecureSkipVerify to verify the server, or those fields',
    ]);
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, credentialName: 'ca' } } }))
      .toEqual([expect.stringContaining('names credentialName to verify it by')]);
    // In MUTUAL the credentialName holds the client certificate as well.
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', insecureSkipVerify: true, credentialName: 'client' } } })).toEqual([]);
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', insecureSkipVerify: true, ...FILES } } }))
      .toEqual([expect.stringContaining('tls in mode MUTUAL skips verifying the server (insecureSkipVerify) and names caCertificates to verify it by')]);
    expect(at({ trafficPolicy: { tls: { mode: 'MUTUAL', insecureSkipVerify: true, credentialName: 'client', subjectAltNames: ['db'] } } }))
      .toEqual([expect.stringContaining('names subjectAltNames to verify it by')]);
  });

  test('passes insecureSkipVerify alone, or false, or with empty fields', () => {
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '', subjectAltNames: [] } } })).toEqual([]);
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: false, caCertificates: FILES.caCertificates } } })).toEqual([]);
    expect(at({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: 'true', caCertificates: FILES.caCertificates } } })).toEqual([]);
  });

  test('reads ports, subsets and subsets\' ports', () => {
    const bad = { tls: { mode: 'MUTUAL' } };
    const policy = { ...bad, portLevelSettings: [{ port: { number: 443 }, ...bad }, 'x'] };
    expect(invalid({ trafficPolicy: policy, subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: policy }, 'x', { name: 'v2' }] }).map(f => f.path)).toEqual([
      'spec.subsets[0].trafficPolicy.portLevelSettings[0].tls',
      'spec.subsets[0].trafficPolicy.tls',
      'spec.trafficPolicy.portLevelSettings[0].tls',
      'spec.trafficPolicy.tls',
    ]);
  });
});
