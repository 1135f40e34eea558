import { Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * Where the Gateway API's HTTPRoutes and GRPCRoutes attach: route-parent-not-found for a Gateway
 * that is not there, route-not-accepted where no listener the parentRef selects takes the route.
 */

type Obj = Record<string, any>;

const CODES = ['route-parent-not-found', 'route-not-accepted'];

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  return verifiedFindings(objects, options).filter(f => CODES.includes(f.code));
}

function summary(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }] } };

function gateway(listeners: Obj[], namespace = 'infra', extra: Obj = {}): Obj {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace }, spec: { gatewayClassName: 'istio', listeners, ...extra } };
}

const ALL = { namespaces: { from: 'All' } };
const HTTP = { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: ALL };

function route(parentRefs: unknown[], hostnames?: string[], kind = 'HTTPRoute', namespace = 'shop'): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'reviews', namespace },
    spec: { parentRefs, ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] },
  };
}

const TO_WEB = { name: 'web', namespace: 'infra' };

/** The reason of the one route-not-accepted finding, between the Gateway's name and istiod's verdict. */
function refusal(objects: unknown[]): string {
  const found = verify(objects);
  expect(summary(found)).toEqual(['route-not-accepted HTTPRoute/shop/reviews spec.parentRefs[0]']);
  return found[0].message.replace(/^no listener of Gateway infra\/web takes the route: /, '').replace(/, so istiod sets .*$/, '');
}

describe('route-parent-not-found: a parentRef to a Gateway the set lacks', () => {
  test('passes a route on a Gateway of the set, named with its namespace or in the route\'s own', () => {
    expect(verify([SERVICE, gateway([HTTP]), route([TO_WEB])])).toEqual([]);
    expect(verify([SERVICE, gateway([HTTP], 'shop'), route([{ name: 'web' }])])).toEqual([]);
    expect(verify([SERVICE, gateway([HTTP]), route([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...TO_WEB }])])).toEqual([]);
  });

  test('fails when a parentRef names a Gateway not in the set, in full', () => {
    expect(verify([SERVICE, gateway([HTTP]), route([TO_WEB, { name: 'web' }])])).toEqual([{
      code: 'route-parent-not-found', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.parentRefs[1].name',
      message: 'the Gateway shop/web is not in the set, so the route attaches to no gateway there; name an existing Gateway, or, when it exists outside the set, '
        + 'declare it: --external-gateway shop/web on the command line, RouteCheck.of(chart).addExternalGateway(\'shop/web\') in a chart',
    }]);
    expect(summary(verify([SERVICE, route([TO_WEB], undefined, 'GRPCRoute')]))).toEqual(['route-parent-not-found GRPCRoute/shop/reviews spec.parentRefs[0].name']);
  });

  test('passes a Gateway declared external', () => {
    expect(verify([SERVICE, route([TO_WEB])], { externalGateways: ['infra/web'] })).toEqual([]);
    expect(verify([SERVICE, route([TO_WEB])], { externalGateways: ['shop/web'] }).length).toBe(1);
  });

  test.each([
    ['a Service (GAMMA)', { group: '', kind: 'Service', name: 'reviews' }],
    ['a ServiceEntry', { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'reviews' }],
    ['a ListenerSet', { kind: 'ListenerSet', name: 'web' }],
    ['a Gateway of another group', { group: 'gateway.networking.x-k8s.io', kind: 'Gateway', name: 'web' }],
    ['no name', { namespace: 'infra' }],
    ['a name that is no string', { name: 5 }],
    ['no object', 'web'],
  ])('leaves alone a parentRef to %s', (_, parent) => {
    expect(verify([SERVICE, route([parent])])).toEqual([]);
  });
});

describe('route-not-accepted: no listener the parentRef selects takes the route', () => {
  test('fails when no listener has the sectionName or port, in full', () => {
    const gw = gateway([HTTP, { name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: ALL }]);
    expect(verify([SERVICE, gw, route([{ ...TO_WEB, sectionName: 'admin' }])])).toEqual([{
      code: 'route-not-accepted', severity: 'error', object: 'HTTPRoute/shop/reviews', path: 'spec.parentRefs[0]',
      message: 'no listener of Gateway infra/web takes the route: it has no listener named "admin" (it has "http" on port 80, "https" on port 443), '
        + 'so istiod sets Accepted: False and the gateway serves none of its rules; change the route or a listener so that one takes it',
    }]);
    expect(refusal([SERVICE, gw, route([{ ...TO_WEB, port: 8080 }])])).toBe('it has no listener on port 8080 (it has "http" on port 80, "https" on port 443)');
    expect(refusal([SERVICE, gw, route([{ ...TO_WEB, sectionName: 'http', port: 443 }])]))
      .toBe('it has no listener named "http" on port 443 (it has "http" on port 80, "https" on port 443)');
    expect(refusal([SERVICE, gateway([]), route([TO_WEB])])).toBe('it has no listeners');
    expect(refusal([SERVICE, gateway([]), route([{ ...TO_WEB, sectionName: 'http' }])])).toBe('it has no listeners');
  });

  test('passes a parentRef whose sectionName and port select a listener that takes the route', () => {
    const gw = gateway([{ ...HTTP, allowedRoutes: {} }, { name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: ALL }]);
    expect(verify([SERVICE, gw, route([{ ...TO_WEB, sectionName: 'https', port: 443 }])])).toEqual([]);
    expect(verify([SERVICE, gw, route([{ ...TO_WEB, port: 443 }])])).toEqual([]);
    expect(verify([SERVICE, gw, route([TO_WEB])])).toEqual([]);
  });

  test('fails when no listener\'s hostname meets the route\'s, and passes where one does', () => {
    const gw = gateway([{ ...HTTP, hostname: '*.example.com' }]);
    expect(refusal([SERVICE, gw, route([TO_WEB], ['shop.example.org', 'api.example.net'])]))
      .toBe('"http" on port 80 has the hostname *.example.com, which meets none of the route\'s (shop.example.org, api.example.net)');
    expect(verify([SERVICE, gw, route([TO_WEB], ['shop.example.org', 'shop.example.com'])])).toEqual([]);
    // Each side's wildcard may meet the other's names.
    expect(verify([SERVICE, gw, route([TO_WEB], ['*.shop.example.com'])])).toEqual([]);
    expect(verify([SERVICE, gateway([{ ...HTTP, hostname: 'shop.example.com' }]), route([TO_WEB], ['*.example.com'])])).toEqual([]);
    // No hostname on either side takes any.
    expect(verify([SERVICE, gw, route([TO_WEB])])).toEqual([]);
    expect(verify([SERVICE, gateway([HTTP]), route([TO_WEB], ['shop.example.org'])])).toEqual([]);
    expect(verify([SERVICE, gw, route([TO_WEB], [5 as any])])).toEqual([]);
  });

  test('fails when the listener admits routes of its Gateway\'s namespace only, the default, and passes a route there', () => {
    const same = gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]);
    expect(refusal([SERVICE, same, route([TO_WEB])])).toBe('"http" on port 80 admits routes of its Gateway\'s namespace infra only, and the route is in shop');
    expect(refusal([SERVICE, gateway([{ ...HTTP, allowedRoutes: { namespaces: { from: 'Same' } } }]), route([TO_WEB])])).toContain('admits routes of its Gateway\'s namespace infra only');
    expect(verify([SERVICE, gateway([{ name: 'http', port: 80, protocol: 'HTTP' }], 'shop'), route([{ name: 'web' }])])).toEqual([]);
  });

  describe('a listener admitting namespaces by selector', () => {
    const namespace = (labels: Obj) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    const bySelector = (selector: Obj) => gateway([{ ...HTTP, allowedRoutes: { namespaces: { from: 'Selector', selector } } }]);

    test('passes a route whose Namespace matches the selector, or whose name label does', () => {
      expect(verify([SERVICE, namespace({ ingress: 'public' }), bySelector({ matchLabels: { ingress: 'public' } }), route([TO_WEB])])).toEqual([]);
      expect(verify([SERVICE, bySelector({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }), route([TO_WEB])])).toEqual([]);
      expect(verify([SERVICE, bySelector({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop', 'books'] }] }), route([TO_WEB])])).toEqual([]);
    });

    test('fails when the route\'s Namespace does not match the selector, in full', () => {
      expect(refusal([SERVICE, namespace({ ingress: 'private' }), bySelector({ matchLabels: { ingress: 'public' } }), route([TO_WEB])]))
        .toBe('"http" on port 80 admits routes of namespaces whose labels match its selector {"matchLabels":{"ingress":"public"}} only, and the route is in shop');
      expect(refusal([SERVICE, bySelector({ matchLabels: { 'kubernetes.io/metadata.name': 'books' } }), route([TO_WEB])])).toContain('namespaces whose labels match');
      expect(refusal([SERVICE, namespace({}), bySelector({ matchExpressions: [{ key: 'ingress', operator: 'Exists' }] }), route([TO_WEB])])).toContain('namespaces whose labels match');
    });

    test('fails when the name label alone decides, the Namespace not in the set', () => {
      expect(refusal([SERVICE, bySelector({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['shop'] }] }), route([TO_WEB])]))
        .toContain('namespaces whose labels match');
    });

    test('passes a selector of other labels where the route\'s Namespace is not in the set', () => {
      expect(verify([SERVICE, bySelector({ matchLabels: { 'kubernetes.io/metadata.name': 'shop', 'ingress': 'public' } }), route([TO_WEB])])).toEqual([]);
      expect(verify([SERVICE, bySelector({ matchLabels: { ingress: 'public' } }), route([TO_WEB])])).toEqual([]);
      expect(verify([SERVICE, bySelector({ matchExpressions: [{ key: 'ingress', operator: 'Exists' }] }), route([TO_WEB])])).toEqual([]);
    });
  });

  test('fails when the listener takes other kinds of route, by protocol or allowedRoutes.kinds', () => {
    const listener = (extra: Obj) => gateway([{ name: 'l', port: 443, allowedRoutes: ALL, ...extra }]);
    expect(refusal([SERVICE, listener({ protocol: 'TLS', tls: { mode: 'Passthrough' } }), route([TO_WEB])])).toBe('"l" on port 443 takes TLSRoute only, not HTTPRoutes');
    expect(refusal([SERVICE, listener({ protocol: 'TLS', tls: { mode: 'Terminate' } }), route([TO_WEB])])).toBe('"l" on port 443 takes TLSRoute and TCPRoute only, not HTTPRoutes');
    expect(refusal([SERVICE, listener({ protocol: 'TCP' }), route([TO_WEB])])).toBe('"l" on port 443 takes TCPRoute only, not HTTPRoutes');
    expect(refusal([SERVICE, listener({ protocol: 'UDP' }), route([TO_WEB])])).toBe('"l" on port 443 takes no kind of route');
    const grpcOnly = { protocol: 'HTTPS', allowedRoutes: { ...ALL, kinds: [{ kind: 'GRPCRoute' }] } };
    expect(refusal([SERVICE, listener(grpcOnly), route([TO_WEB])])).toBe('"l" on port 443 takes GRPCRoute only, not HTTPRoutes');
    expect(verify([SERVICE, listener(grpcOnly), route([TO_WEB], undefined, 'GRPCRoute')])).toEqual([]);
    const otherGroup = { protocol: 'HTTPS', allowedRoutes: { ...ALL, kinds: [{ group: 'example.com', kind: 'HTTPRoute' }] } };
    expect(refusal([SERVICE, listener(otherGroup), route([TO_WEB])])).toBe('"l" on port 443 takes no kind of route');
    // istiod defaults a group left out, not an empty one, which is the core group's.
    const coreGroup = { protocol: 'HTTP', allowedRoutes: { ...ALL, kinds: [{ group: '', kind: 'HTTPRoute' }] } };
    expect(refusal([SERVICE, listener(coreGroup), route([TO_WEB])])).toBe('"l" on port 443 takes no kind of route');
    const explicit = { protocol: 'HTTP', allowedRoutes: { ...ALL, kinds: [{ kind: 'GRPCRoute' }, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] } };
    expect(verify([SERVICE, listener(explicit), route([TO_WEB])])).toEqual([]);
    expect(verify([SERVICE, listener({ protocol: 'HTTP' }), route([TO_WEB], undefined, 'GRPCRoute')])).toEqual([]);
    // Only TLS listeners that terminate take TCPRoutes; an HTTPS one never does.
    const terminating = { protocol: 'HTTPS', tls: { mode: 'Terminate' }, allowedRoutes: { ...ALL, kinds: [{ kind: 'TCPRoute' }] } };
    expect(refusal([SERVICE, listener(terminating), route([TO_WEB])])).toBe('"l" on port 443 takes no kind of route');
    expect(refusal([SERVICE, listener({}), route([TO_WEB])])).toBe('"l" on port 443 takes no kind of route');
  });

  test('passes when one selected listener takes the route, and names each one\'s reason when none does', () => {
    const gw = gateway([
      { name: 'a', port: 80, protocol: 'HTTP', hostname: 'a.example.com', allowedRoutes: ALL },
      { name: 'b', port: 80, protocol: 'HTTP', hostname: 'b.example.com' },
    ]);
    expect(verify([SERVICE, gw, route([TO_WEB], ['a.example.com'])])).toEqual([]);
    expect(refusal([SERVICE, gw, route([TO_WEB], ['b.example.com'])])).toBe(
      '"a" on port 80 has the hostname a.example.com, which meets none of the route\'s (b.example.com); '
      + '"b" on port 80 admits routes of its Gateway\'s namespace infra only, and the route is in shop');
  });

  test('leaves a waypoint alone, and reads listeners that are no objects as none', () => {
    expect(verify([SERVICE, gateway([{ name: 'mesh', port: 15008, protocol: 'HBONE' }], 'infra', { gatewayClassName: 'istio-waypoint' }), route([TO_WEB])])).toEqual([]);
    expect(refusal([SERVICE, gateway(['x' as any, HTTP].map(l => l)), route([{ ...TO_WEB, sectionName: 'x' }])]))
      .toBe('it has no listener named "x" (it has "http" on port 80)');
  });
});
