import { Finding } from '../src/verify';
import { verifiedFindings } from './support/findings';

/** rule-action-invalid: what each rule does with a request, as Istio's validation requires it. */

type Obj = Record<string, any>;

const ROUTE = [{ destination: { host: 'web' } }];
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } };

function invalid(spec: Obj): Finding[] {
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' }, spec: { hosts: ['web'], ...spec } };
  return verifiedFindings([SERVICE, vs]).filter(f => f.code === 'rule-action-invalid');
}

const at = (spec: Obj) => invalid(spec).map(f => `${f.path}: ${f.message.replace(/, which Istio rejects.*; /, '; ')}`);

describe('rule-action-invalid', () => {
  test('passes http rules that route, redirect, answer directly or delegate, and tcp and tls rules that route', () => {
    expect(invalid({
      http: [{ route: ROUTE, mirror: { host: 'web' } }, { redirect: { uri: '/new' }, mirrors: [{ destination: { host: 'web' } }] },
        { directResponse: { status: 503 } }, { delegate: { name: 'd' } }, 'x', { route: ROUTE, redirect: null }],
      tcp: [{ route: ROUTE }, 5],
      tls: [{ match: [{ sniHosts: ['web'] }], route: ROUTE }],
    })).toEqual([]);
  });

  test('fails when an http rule takes no action, in full', () => {
    expect(invalid({ http: [{ match: [{ uri: { prefix: '/' } }] }, { route: [] }] })).toEqual([0, 1].map(i => ({
      code: 'rule-action-invalid', severity: 'error', object: 'VirtualService/shop/web', path: `spec.http[${i}]`, istioCode: 'IST0106',
      message: 'this http rule has no route, redirect or directResponse, which Istio rejects, so none of this VirtualService\'s routes take effect; '
        + 'add the one it should take',
    })));
  });

  test('fails when an http rule takes two actions, or has mirror and mirrors', () => {
    expect(at({ http: [
      { route: ROUTE, redirect: { uri: '/new' } },
      { route: ROUTE, directResponse: { status: 503 } },
      { redirect: { uri: '/new' }, directResponse: { status: 503 } },
      { route: ROUTE, mirror: { host: 'web' }, mirrors: [{ destination: { host: 'web' } }] },
      { route: ROUTE, mirror: { host: 'web' }, mirrors: [] },
    ] })).toEqual([
      'spec.http[0]: this http rule has both route and redirect; keep one of them',
      'spec.http[1]: this http rule has both route and directResponse; keep one of them',
      'spec.http[2]: this http rule has both redirect and directResponse; keep one of them',
      'spec.http[3]: this http rule has both mirror and mirrors; move mirror into mirrors',
    ]);
  });

  test('fails when a redirect or direct response comes with a fault or rewrite, which act on what goes upstream', () => {
    const fault = { abort: { httpStatus: 500, percentage: { value: 1 } } };
    expect(at({ http: [
      { redirect: { uri: '/new' }, rewrite: { uri: '/x' } },
      { redirect: { uri: '/new' }, fault },
      { directResponse: { status: 503 }, fault, rewrite: { uri: '/x' } },
      { route: ROUTE, fault, rewrite: { uri: '/x' } },
      { redirect: { uri: '/new' }, fault: null, rewrite: 'x' },
    ] })).toEqual([
      'spec.http[0]: this http rule has both redirect and rewrite; drop rewrite, which a redirect leaves nothing to act on',
      'spec.http[1]: this http rule has both redirect and fault; drop fault, which a redirect leaves nothing to act on',
      'spec.http[2]: this http rule has both directResponse and fault; drop fault, which a directResponse leaves nothing to act on',
      'spec.http[2]: this http rule has both directResponse and rewrite; drop rewrite, which a directResponse leaves nothing to act on',
    ]);
  });

  test('fails when a tcp or tls rule has no route', () => {
    expect(at({ tcp: [{ match: [{ port: 5432 }] }], tls: [{ match: [{ sniHosts: ['web'] }], route: [] }] })).toEqual([
      'spec.tcp[0]: this tcp rule has no route; add the route its connections take',
      'spec.tls[0]: this tls rule has no route; add the route its connections take',
    ]);
  });
});
