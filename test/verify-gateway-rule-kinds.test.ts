import { Finding } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * gateway-rule-kind-mismatch: a gateway builds http rules at servers that terminate http, tls
 * rules at servers that pass TLS through, and tcp rules at the others (gateway.go), so a
 * VirtualService whose hosts a gateway admits only at servers of another kind is routed there not
 * at all: Istio's "gateway to virtual service TLS mismatch".
 */

type Obj = Record<string, any>;

function istio(kind: string, name: string, namespace: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace }, spec };
}

const HOST = 'shop.example.com';
const TO_SHOP = [{ destination: { host: 'shop.shop.svc.cluster.local', port: { number: 80 } } }];
const SNI = [{ sniHosts: [HOST] }];

/** The shop's pods and Service: every rule routes to them. */
const SHOP: Obj[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'shop:1' }] } } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80 }] } },
];

const server = (number: number, protocol: unknown, tls?: Obj, hosts = [`*/${HOST}`]): Obj => ({ port: { number, name: `p-${number}`, protocol }, hosts, ...(tls ? { tls } : {}) });
const PASSTHROUGH = server(443, 'HTTPS', { mode: 'PASSTHROUGH' });
const TERMINATED = server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'shop-cert' });
const HTTP = server(80, 'HTTP');
const TCP = server(3306, 'TCP');
const TLS_TERMINATED = server(9443, 'TLS', { mode: 'SIMPLE', credentialName: 'shop-cert' });

function gateway(servers: Obj[], name = 'public'): Obj {
  return istio('Gateway', name, 'istio-system', { selector: { istio: 'ingressgateway' }, servers });
}

/** A VirtualService for the shop's host, bound to `gateways`, with rules of each kind given. */
function routes(rules: Obj, gateways = ['istio-system/public'], name = 'shop', hosts = [HOST]): Obj {
  return istio('VirtualService', name, 'shop', { hosts, gateways, ...rules });
}

const HTTP_RULES = { http: [{ route: TO_SHOP }] };
const TLS_RULES = { tls: [{ match: SNI, route: TO_SHOP }] };
const TCP_RULES = { tcp: [{ route: TO_SHOP }] };

function verify(objects: Obj[]): Finding[] {
  return verifiedFindings([...SHOP, ...objects]).filter(f => f.code === 'gateway-rule-kind-mismatch');
}

function mismatch(message: string, path = 'spec.gateways[0]', object = 'VirtualService/shop/shop'): Finding {
  return { code: 'gateway-rule-kind-mismatch', severity: 'error' as Finding['severity'], object, path, message };
}

describe('gateway-rule-kind-mismatch: the servers that admit the hosts build rules of another kind', () => {
  test('fails when a server that passes TLS through admits the hosts of http rules, in full', () => {
    expect(verify([gateway([PASSTHROUGH]), routes(HTTP_RULES)])).toEqual([mismatch(
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode PASSTHROUGH), which builds tls rules alone, '
      + 'and this VirtualService has http rules there, so the gateway routes none of it and connections find no filter chain and are closed; '
      + 'write tls rules matching sniHosts for these hosts, or admit them at a server that terminates http (HTTP, or HTTPS with tls mode SIMPLE or MUTUAL)')]);
  });

  test('fails when a server that terminates https admits the hosts of tls rules, as Istio\'s network issues page shows, in full', () => {
    expect(verify([gateway([TERMINATED]), routes(TLS_RULES)])).toEqual([mismatch(
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode SIMPLE), which builds http rules alone, '
      + 'and this VirtualService has tls rules there, so the gateway routes none of it and requests get 404; '
      + 'write http rules for these hosts, or admit them at a server that passes TLS through (tls mode PASSTHROUGH)')]);
  });

  test('fails when servers of several kinds admit the hosts, none of the rules\' kinds, and names each', () => {
    expect(verify([gateway([TCP, TERMINATED]), routes(TLS_RULES)])).toEqual([mismatch(
      'gateway istio-system/public admits the hosts of this VirtualService only at port 3306 (TCP), port 443 (HTTPS, tls mode SIMPLE), which build tcp and http rules alone, '
      + 'and this VirtualService has tls rules there, so the gateway routes none of it and connections find no filter chain and are closed, requests get 404; '
      + 'write tcp rules or http rules for these hosts, or admit them at a server that passes TLS through (tls mode PASSTHROUGH)')]);
    expect(verify([gateway([PASSTHROUGH, TLS_TERMINATED]), routes(HTTP_RULES)]).map(f => f.message.split(', so ')[0])).toEqual([
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode PASSTHROUGH), port 9443 (TLS, tls mode SIMPLE), '
      + 'which build tls and tcp rules alone, and this VirtualService has http rules there']);
  });

  test('fails when a VirtualService has rules of several kinds, none built there, and offers a server for each, in full', () => {
    expect(verify([gateway([HTTP]), routes({ ...TLS_RULES, ...TCP_RULES })])).toEqual([mismatch(
      'gateway istio-system/public admits the hosts of this VirtualService only at port 80 (HTTP), which builds http rules alone, and this VirtualService has '
      + 'tcp and tls rules there, so the gateway routes none of it and requests get 404; write http rules for these hosts, or admit them at a TCP server or '
      + 'a TLS server that terminates TLS, or a server that passes TLS through (tls mode PASSTHROUGH)')]);
  });

  test('says once what servers of kinds with one outcome do', () => {
    expect(verify([gateway([PASSTHROUGH, TLS_TERMINATED]), routes(HTTP_RULES)]).map(f => f.message.split('; ')[0].split(' so the gateway routes none of it and ')[1]))
      .toEqual(['connections find no filter chain and are closed']);
  });

  test('counts a server that admits one of the hosts by one of its own', () => {
    const someHosts = server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, ['other.example.org', `*/${HOST}`]);
    expect(verify([gateway([someHosts]), routes(HTTP_RULES)]).length).toBe(1);
    expect(verify([gateway([PASSTHROUGH]), routes(HTTP_RULES, ['istio-system/public'], 'shop', ['other.example.org', HOST])]).length).toBe(1);
  });

  test.each([
    ['http rules at a server that takes HTTP', [HTTP], HTTP_RULES],
    ['http rules at one that terminates https', [TERMINATED], HTTP_RULES],
    ['http rules at one that takes GRPC, whatever the case', [server(8080, 'grpc')], HTTP_RULES],
    ['tls rules at one that passes TLS through', [PASSTHROUGH], TLS_RULES],
    ['tcp rules at a TCP server', [TCP], TCP_RULES],
    ['tcp rules at a TLS server that terminates TLS', [TLS_TERMINATED], TCP_RULES],
    ['tls rules at a TLS server that passes TLS through', [server(9443, 'TLS', { mode: 'PASSTHROUGH' })], TLS_RULES],
    ['http and tls rules at one that passes TLS through', [PASSTHROUGH], { ...HTTP_RULES, ...TLS_RULES }],
    ['http rules where another server admitting the hosts takes HTTP', [PASSTHROUGH, HTTP], HTTP_RULES],
  ])('passes %s', (_, servers, rules) => {
    expect(verify([gateway(servers), routes(rules)])).toEqual([]);
  });

  test('reads a tls without mode as Istio\'s default, PASSTHROUGH, whatever certificate it names', () => {
    const defaulted = server(443, 'HTTPS', { credentialName: 'shop-cert' });
    expect(verify([gateway([defaulted]), routes(TLS_RULES)])).toEqual([]);
    expect(verify([gateway([defaulted]), routes(HTTP_RULES)]).map(f => f.message.split(', which')[0])).toEqual([
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS)']);
    // Without tls at all, an https server terminates nothing it could pass through: its http routes are built.
    expect(verify([gateway([server(443, 'HTTPS')]), routes(HTTP_RULES)])).toEqual([]);
  });

  test('builds the http rules of an https server that terminates TLS, whether or not it asks for https redirects', () => {
    expect(verify([gateway([server(443, 'HTTPS', { mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true }), TCP]), routes(HTTP_RULES)])).toEqual([]);
  });

  test.each([
    ['a server that redirects http to https', [server(80, 'HTTP', { httpsRedirect: true })]],
    ['a server that routes by SNI alone (AUTO_PASSTHROUGH)', [server(15443, 'TLS', { mode: 'AUTO_PASSTHROUGH' })]],
    ['a server without protocol', [server(80, undefined)]],
    ['a server without protocol, given as a number', [server(80, 80)]],
    ['a server whose hosts are another namespace\'s', [server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, [`billing/${HOST}`])]],
    ['a server of other hosts', [server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, ['*.example.org'])]],
  ])('passes where the only server is %s, which builds no rule of a VirtualService\'s for the hosts', (_, servers) => {
    expect(verify([gateway(servers), routes(TLS_RULES)])).toEqual([]);
  });

  test('names only the servers that build rules for the hosts', () => {
    const redirect = server(80, 'HTTP', { httpsRedirect: true });
    expect(verify([gateway([redirect, PASSTHROUGH]), routes(HTTP_RULES)]).map(f => f.message.split(', which')[0])).toEqual([
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode PASSTHROUGH)']);
  });

  test('quotes a port or mode written as something else than a word', () => {
    const odd = { port: { number: '443', name: 'https', protocol: 'HTTPS' }, hosts: [HOST], tls: { mode: 'PASSTHROUGH' } };
    expect(verify([gateway([odd]), routes(HTTP_RULES)]).map(f => f.message.split(', which')[0])).toEqual([
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode PASSTHROUGH)']);
    const numbered = { port: { number: 443, protocol: 'TLS' }, hosts: [HOST], tls: { mode: 7 } };
    expect(verify([gateway([numbered]), routes(TLS_RULES)]).map(f => f.message.split(', which')[0])).toEqual([
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (TLS, tls mode 7)']);
  });

  test('counts only the rules that apply at the gateway', () => {
    const both = [gateway([PASSTHROUGH]), gateway([HTTP], 'web')];
    const scoped = { http: [{ match: [{ gateways: ['istio-system/web'] }], route: TO_SHOP }] };
    expect(verify([...both, routes(scoped, ['istio-system/public', 'istio-system/web'])])).toEqual([]);
    expect(verify([...both, routes(HTTP_RULES, ['istio-system/public', 'istio-system/web'])])).toEqual([mismatch(
      'gateway istio-system/public admits the hosts of this VirtualService only at port 443 (HTTPS, tls mode PASSTHROUGH), which builds tls rules alone, '
      + 'and this VirtualService has http rules there, so the gateway routes none of it and connections find no filter chain and are closed; '
      + 'write tls rules matching sniHosts for these hosts, or admit them at a server that terminates http (HTTP, or HTTPS with tls mode SIMPLE or MUTUAL)')]);
  });

  test('leaves the mesh, a gateway outside the set and a VirtualService without rules alone', () => {
    expect(verify([routes(HTTP_RULES, ['mesh'])])).toEqual([]);
    expect(verify([gateway([PASSTHROUGH]), routes(HTTP_RULES, ['istio-system/elsewhere'])])).toEqual([]);
    expect(verify([gateway([PASSTHROUGH]), routes({})])).toEqual([]);
  });

  describe('where another VirtualService bound to the gateway routes the hosts', () => {
    const base = [gateway([PASSTHROUGH]), routes(HTTP_RULES)];

    test('passes where its rules are of a kind the servers build, for an overlapping host', () => {
      expect(verify([...base, routes(TLS_RULES, ['istio-system/public'], 'shop-tls')])).toEqual([]);
      expect(verify([...base, routes(TLS_RULES, ['istio-system/public'], 'shop-tls', ['*.example.com'])])).toEqual([]);
    });

    test('passes where one host of either overlaps one of the other\'s', () => {
      expect(verify([...base, routes(TLS_RULES, ['istio-system/public'], 'shop-tls', ['shop.example.org', HOST])])).toEqual([]);
      const wider = gateway([server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, ['*'])]);
      expect(verify([wider, routes(HTTP_RULES, ['istio-system/public'], 'shop', ['shop.example.org', HOST]), routes(TLS_RULES, ['istio-system/public'], 'shop-tls')]))
        .toEqual([]);
    });

    test('fails where its hosts, which a server admits too, are others', () => {
      const wider = gateway([server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, ['*'])]);
      expect(verify([wider, routes(HTTP_RULES), routes(TLS_RULES, ['istio-system/public'], 'shop-tls', ['shop.example.org'])]).map(f => f.object))
        .toEqual(['VirtualService/shop/shop']);
    });

    test('fails where the server admits its hosts from another namespace only', () => {
      const scoped = gateway([server(443, 'HTTPS', { mode: 'PASSTHROUGH' }, [`shop/${HOST}`])]);
      const elsewhere = { ...routes(TLS_RULES, ['istio-system/public'], 'shop-tls'), metadata: { name: 'shop-tls', namespace: 'web' } };
      expect(verify([scoped, routes(HTTP_RULES), elsewhere]).map(f => f.object)).toEqual(['VirtualService/shop/shop']);
    });

    test.each([
      ['its rules are of another kind too', routes(HTTP_RULES, ['istio-system/public'], 'shop-web')],
      ['it is bound to another gateway', routes(TLS_RULES, ['istio-system/web'], 'shop-tls')],
      ['it routes other hosts', routes(TLS_RULES, ['istio-system/public'], 'shop-tls', ['shop.example.org'])],
    ])('fails where %s', (_, other) => {
      expect(verify([...base, other]).map(f => f.object)).toEqual(['VirtualService/shop/shop', ...other.spec.http ? ['VirtualService/shop/shop-web'] : []]);
    });
  });
});
