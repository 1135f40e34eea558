/**
 * match-gateway-not-bound: istiod looks VirtualServices up by spec.gateways alone
 * (pilot/pkg/model/push_context.go getGatewayNames) and keeps a match at a gateway only if the match
 * names it or names none (pilot/pkg/networking/core/route/route.go sourceMatchHTTP), so a match's
 * gateways narrow the bindings and never add one.
 */
import { CODES, Finding } from '../src/verify';
import { verifiedFindings as verify } from './support/findings';

type Obj = Record<string, any>;

const CODE = 'match-gateway-not-bound';
const HOST = 'shop.example.com';
const ROUTE = [{ destination: { host: 'web.shop.svc.cluster.local' } }];

function gateway(name: string, namespace = 'shop', app = 'ingress'): Obj {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
    spec: { selector: { app }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [`*/${HOST}`] }] },
  };
}

function deployment(name: string, namespace: string, labels: Obj): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } } },
  };
}

/** A gateway's pods and the Service in front of them, on the port its servers listen on. */
function gatewayPods(app: string, namespace: string): Obj[] {
  return [deployment(app, namespace, { app }), service(app, namespace)];
}

function service(name: string, namespace: string, annotations: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] } };
}

/** The web Service and its pods, two gateways in shop and the pods they select, so that routes find nothing else to report. */
const SET = [service('web', 'shop'), deployment('web', 'shop', { app: 'web' }), gateway('g1'), gateway('g2'), ...gatewayPods('ingress', 'shop')];

function virtualService(spec: Obj, name = 'web'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec };
}

/** A VirtualService for HOST bound to `gateways`, whose first http rule has `match` and whose second takes the rest. */
function scoped(gateways: string[] | undefined, match: Obj[]): Obj {
  return virtualService({ hosts: [HOST], ...gateways ? { gateways } : {}, http: [{ match, route: ROUTE }, { route: ROUTE }] });
}

function found(objects: Obj[]): Finding[] {
  return verify([...SET, ...objects]).filter(f => f.code === CODE);
}

function notBound(path: string, message: string, object = 'VirtualService/shop/web'): Finding {
  return { code: CODE, severity: CODES[CODE], object, path, message };
}

const NARROW = 'it looks a VirtualService up by spec.gateways alone, and a match\'s gateways only narrow those';
const NEVER = 'the match never applies, and what it was meant to take goes to later rules';

describe('match gateways within the bindings', () => {
  test.each([
    ['a short name', ['g1'], ['g1']],
    ['./name', ['g1'], ['./g1']],
    ['namespace/name against a short name', ['g1'], ['shop/g1']],
    ['a short name against namespace/name', ['shop/g1', 'g2'], ['g2', 'shop/g1']],
    ['mesh, bound to the mesh and a gateway', ['mesh', 'g1'], ['mesh']],
  ])('passes %s', (_, gateways, named) => {
    expect(found([scoped(gateways, [{ gateways: named, uri: { prefix: '/a' } }])])).toEqual([]);
  });

  test('passes matches without gateways, or with an empty list, or not objects', () => {
    expect(found([scoped(['g1'], [{ uri: { prefix: '/a' } }, { gateways: [] }, 'match' as unknown as Obj])])).toEqual([]);
  });

  test('passes entries that are not names, which schema validation reports', () => {
    expect(found([scoped(['g1'], [{ gateways: ['', 7, null], uri: { prefix: '/a' } }])])).toEqual([]);
  });
});

describe('match gateways outside the bindings', () => {
  test('fails when a match names a gateway the VirtualService is not bound to, and names no other', () => {
    expect(found([scoped(['g1'], [{ gateways: ['g2'], uri: { prefix: '/a' } }])])).toEqual([
      notBound('spec.http[0].match[0].gateways[0]', 'gateway g2 (shop/g2), which this match names, is not among the gateways this VirtualService is bound to (shop/g1), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; add shop/g2 to spec.gateways, or remove it from the match`),
    ]);
  });

  test('fails when one gateway of a match is bound and another is not, naming where the match still applies', () => {
    expect(found([scoped(['g1'], [{ gateways: ['shop/g2', 'g1'], uri: { prefix: '/a' } }])])).toEqual([
      notBound('spec.http[0].match[0].gateways[0]', 'gateway shop/g2, which this match names, is not among the gateways this VirtualService is bound to (shop/g1), '
        + `so istiod never applies the match at it: ${NARROW}; the match applies at shop/g1 alone; add shop/g2 to spec.gateways, or remove it from the match`),
    ]);
  });

  test('fails naming each bound gateway where the match still applies, once', () => {
    const applies = (named: string[]) => found([scoped(['g1', 'g2'], [{ gateways: named }])]).map(f => f.message.split('; ')[1]);
    expect(applies(['g1', 'g2', 'g3'])).toEqual(['the match applies at shop/g1, shop/g2 alone']);
    expect(applies(['g1', 'shop/g1', 'g3'])).toEqual(['the match applies at shop/g1 alone']);
  });

  test('fails when a VirtualService without gateways, so bound to the mesh alone, has a match naming a gateway', () => {
    expect(found([scoped(undefined, [{ gateways: ['g1'] }])])).toEqual([
      notBound('spec.http[0].match[0].gateways[0]', 'gateway g1 (shop/g1), which this match names, is not among the gateways this VirtualService is bound to (mesh), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; add shop/g1 to spec.gateways, or remove it from the match`),
    ]);
  });

  test('fails when a match names mesh in a VirtualService bound to gateways alone', () => {
    expect(found([scoped(['g1', 'g2'], [{ gateways: ['mesh'] }])]).map(f => f.message)).toEqual([
      'gateway mesh, which this match names, is not among the gateways this VirtualService is bound to (shop/g1, shop/g2), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; add mesh to spec.gateways, or remove it from the match`,
    ]);
  });

  test('fails when a short name resolves in the VirtualService\'s namespace, not in the bound gateway\'s', () => {
    expect(found([scoped(['istio-system/public'], [{ gateways: ['public'] }])]).map(f => f.message)).toEqual([
      'gateway public (shop/public), which this match names, is not among the gateways this VirtualService is bound to (istio-system/public), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; add shop/public to spec.gateways, or remove it from the match`,
    ]);
  });

  test('fails on each unbound gateway of tcp and tls matches too, at its own path', () => {
    const vs = virtualService({
      hosts: [HOST], gateways: ['g1'],
      tcp: [{ route: ROUTE }, { match: [{ port: 80 }, { gateways: ['g2', 'g3'] }], route: ROUTE }],
      tls: [{ match: [{ sniHosts: [HOST], gateways: ['g2'] }], route: ROUTE }],
    });
    expect(found([vs]).map(f => f.path)).toEqual(['spec.tcp[1].match[1].gateways[0]', 'spec.tcp[1].match[1].gateways[1]', 'spec.tls[0].match[0].gateways[0]']);
  });

  test('fails once per entry naming the same unbound gateway twice', () => {
    expect(found([scoped(['g1'], [{ gateways: ['g2', 'shop/g2'] }])]).map(f => f.path))
      .toEqual(['spec.http[0].match[0].gateways[0]', 'spec.http[0].match[0].gateways[1]']);
  });
});

describe('delegates: a delegate\'s match gateways must be among its roots\' bindings', () => {
  const root = (gateways: string[], name = 'root', rule: Obj = {}) => virtualService({ hosts: [HOST], gateways, http: [{ delegate: { name: 'api' }, ...rule }] }, name);
  const delegate = (named: string[]) => virtualService({ http: [{ match: [{ gateways: named, uri: { prefix: '/a' } }], route: ROUTE }, { route: ROUTE }] }, 'api');

  test('passes a delegate match naming a gateway its root is bound to', () => {
    expect(found([root(['g1', 'g2']), delegate(['g2'])])).toEqual([]);
  });

  test('passes a delegate with no root in the set, whose roots may be bound anywhere', () => {
    expect(found([delegate(['g2'])])).toEqual([]);
  });

  test('fails when a delegate match names a gateway none of its roots is bound to, naming the roots', () => {
    expect(found([root(['g1']), root(['mesh'], 'inner'), delegate(['g2'])])).toEqual([
      notBound('spec.http[0].match[0].gateways[0]', 'gateway g2 (shop/g2), which this match names, is not among the gateways VirtualService/shop/root, '
        + 'VirtualService/shop/inner, which delegate here, are bound to (shop/g1, mesh), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; bind VirtualService/shop/root, VirtualService/shop/inner to shop/g2 too, or remove it from the match`,
      'VirtualService/shop/api'),
    ]);
  });

  test('fails with one root in the singular', () => {
    expect(found([root(['g1']), delegate(['g2'])]).map(f => f.message)).toEqual([
      'gateway g2 (shop/g2), which this match names, is not among the gateways VirtualService/shop/root, which delegates here, is bound to (shop/g1), '
        + `so istiod never applies the match at it: ${NARROW}; ${NEVER}; bind VirtualService/shop/root to shop/g2 too, or remove it from the match`,
    ]);
  });

  test('leaves a gateway among the root\'s bindings but outside the root rule\'s match to delegate-match-conflict', () => {
    const codes = verify([...SET, root(['g1', 'g2'], 'root', { match: [{ gateways: ['g1'] }] }), delegate(['g2'])]).map(f => f.code);
    expect(codes).toContain('delegate-match-conflict');
    expect(codes).not.toContain(CODE);
  });
});

describe('where a match applies, for the other checks', () => {
  /** Gateway pods in istio-system, where a Service kept to shop is not seen. */
  const outside = [gateway('public', 'istio-system', 'public'), ...gatewayPods('public', 'istio-system')];
  const privateWeb = [service('web', 'shop', { 'networking.istio.io/exportTo': '.' }), deployment('web', 'shop', { app: 'web' })];

  test('fails when the route applies at a gateway whose pods do not see its host', () => {
    const vs = virtualService({ hosts: [HOST], gateways: ['istio-system/public'], http: [{ match: [{ gateways: ['istio-system/public'] }], route: ROUTE }] });
    expect(verify([...privateWeb, ...outside, vs]).map(f => f.code)).toEqual(['destination-host-not-exported']);
  });

  test('passes a route scoped to a gateway the VirtualService is not bound to at that gateway\'s pods, reporting the match alone', () => {
    const vs = virtualService({ hosts: [HOST], gateways: ['mesh'], http: [{ match: [{ gateways: ['istio-system/public'] }], route: ROUTE }] });
    expect(verify([...privateWeb, ...outside, vs]).map(f => f.code)).toEqual([CODE]);
  });

  const claim = { headers: { '@request.auth.claims.group': { exact: 'beta' } } };

  test('fails on a claim match at a gateway whose pods validate no token, with no other finding', () => {
    expect(verify([...SET, scoped(['g1'], [{ ...claim, gateways: ['g1'] }])]).map(f => f.code)).toEqual(['jwt-claim-route-without-authentication']);
  });

  test('passes a claim match scoped to a gateway the VirtualService is not bound to, reporting the match alone', () => {
    const vs = scoped(['g1'], [{ ...claim, gateways: ['g2'] }]);
    expect(verify([...SET, vs]).map(f => f.code)).toEqual([CODE]);
  });
});
