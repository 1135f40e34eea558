import { Finding } from '../src/verify';
import { verifiedFindings } from './support/findings';

/** tls-route-invalid: the tls rules Istio's validation refuses (validateTLSRoute, validateTLSMatch, validateSniHost). */

type Obj = Record<string, any>;

const ROUTE = [{ destination: { host: 'api.example.com', port: { number: 443 } } }];

const ENTRY = {
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'shop' },
  spec: { hosts: ['api.example.com', 'www.example.com', 'a.wild.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
};

function virtualService(tls: unknown, hosts: unknown[] = ['api.example.com', '*.wild.example.com']): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'shop' }, spec: { hosts, tls } };
}

function invalid(tls: unknown, hosts?: unknown[]): Finding[] {
  return verifiedFindings([ENTRY, virtualService(tls, hosts)]).filter(f => f.code === 'tls-route-invalid');
}

function paths(tls: unknown, hosts?: unknown[]): string[] {
  return invalid(tls, hosts).map(f => f.path);
}

describe('tls-route-invalid', () => {
  test('passes rules matching SNI hosts among the hosts or under a wildcard of them, and IP addresses, which Istio only warns of', () => {
    expect(paths([
      { match: [{ port: 443, sniHosts: ['api.example.com'] }], route: ROUTE },
      { match: [{ sniHosts: ['a.wild.example.com', '*.b.wild.example.com'] }, { sniHosts: ['10.0.0.1', '::1'] }], route: ROUTE },
    ])).toEqual([]);
    expect(paths([{ match: [{ sniHosts: ['www.example.com'] }], route: ROUTE }], ['*'])).toEqual([]);
  });

  test('fails when a rule has no match, in full', () => {
    expect(invalid([{ route: ROUTE }, { match: [], route: ROUTE }])).toEqual([0, 1].map(i => ({
      code: 'tls-route-invalid', severity: 'error', object: 'VirtualService/shop/api', path: `spec.tls[${i}]`, istioCode: 'IST0106',
      message: 'this tls rule has no match, which Istio rejects, so none of this VirtualService\'s routes take effect; proxies route tls by the SNI host, '
        + 'so add match: [{ sniHosts: [...] }] with the hosts it takes',
    })));
  });

  test('fails when a match has no sniHosts, in full', () => {
    expect(invalid([{ match: [{ port: 443 }, { sniHosts: [] }], route: ROUTE }]).map(f => [f.path, f.message])).toEqual([0, 1].map(j => [
      `spec.tls[0].match[${j}]`,
      'this match has no sniHosts, which Istio rejects, so none of this VirtualService\'s routes take effect; add the SNI hosts it takes, among the VirtualService\'s hosts',
    ]));
  });

  test('fails when an SNI host is neither a host nor under a wildcard host, in full', () => {
    expect(invalid([{ match: [{ sniHosts: ['api.example.com', 'www.example.com', 'wild.example.com', '*.example.com'] }], route: ROUTE }]).map(f => [f.path, f.message])).toEqual([
      ['spec.tls[0].match[0].sniHosts[1]', 'the SNI host "www.example.com" is neither a host of this VirtualService (api.example.com, *.wild.example.com) nor under one of its '
        + 'wildcards, which Istio rejects, so none of this VirtualService\'s routes take effect; add it to hosts, or match a host there'],
      ['spec.tls[0].match[0].sniHosts[2]', expect.stringContaining('"wild.example.com" is neither')],
      ['spec.tls[0].match[0].sniHosts[3]', expect.stringContaining('"*.example.com" is neither')],
    ]);
  });

  test('reads hosts as written: a short name covers only itself', () => {
    expect(paths([{ match: [{ sniHosts: ['api'] }], route: ROUTE }], ['api'])).toEqual([]);
    expect(paths([{ match: [{ sniHosts: ['api.shop.svc.cluster.local'] }], route: ROUTE }], ['api', 5])).toEqual(['spec.tls[0].match[0].sniHosts[0]']);
  });

  test('leaves alone a VirtualService without hosts, and rules, matches and SNI hosts that are no objects or strings', () => {
    expect(paths([{ match: [{ port: 443 }], route: ROUTE }], [])).toEqual([]);
    expect(paths(['x', { match: ['x', { sniHosts: [5, null] }], route: ROUTE }])).toEqual([]);
    expect(paths('x')).toEqual([]);
    expect(paths([{ match: 'x', route: ROUTE }])).toEqual(['spec.tls[0]']);
  });
});
