/**
 * Delegation: a rule of a VirtualService with hosts hands its requests to the rules of one without
 * (istio/istio pilot/pkg/model virtualservice_controller.go and virtualservice.go). Each case names
 * the branch of Istio's code it stands for.
 */
import { CODES, Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings as verify } from './support/findings';

type Obj = Record<string, any>;

function virtualService(name: string, namespace: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec };
}

const ROUTE = [{ destination: { host: 'api.shop.svc.cluster.local' } }];

/** The api Service and its pods, so that routes to it find nothing else to report. */
const API = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }] } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
  },
];

/** A root in `gw` for a mesh host, whose one rule delegates to shop/api. */
function root(rule: Obj = {}, namespace = 'gw'): Obj {
  return virtualService('root', namespace, { hosts: ['api.shop.svc.cluster.local'], http: [{ delegate: { name: 'api', namespace: 'shop' }, ...rule }] });
}

function delegate(spec: Obj = {}, name = 'api'): Obj {
  return virtualService(name, 'shop', { http: [{ route: ROUTE }], ...spec });
}

function delegateFindings(objects: Obj[], options?: VerifyOptions): Finding[] {
  return verify([...API, ...objects], options).filter(f => f.code.startsWith('delegate-'));
}

function found(code: keyof typeof CODES, object: string, path: string, message: string): Finding {
  return { code, severity: CODES[code], object, path, message, ...code === 'delegate-not-valid' ? { istioCode: 'IST0106' } : {} } as Finding;
}

describe('delegate-not-valid: what Istio\'s webhook refuses (ValidateVirtualService, validateHTTPRouteConflict)', () => {
  const refusedDelegate = (key: string, fix: string) => found('delegate-not-valid', 'VirtualService/shop/api', `spec.${key}`,
    `a VirtualService without hosts is a delegate, and Istio's webhook refuses a delegate with ${key}: ${fix}`);

  test('fails when a delegate has gateways, even with no root in the set', () => {
    expect(delegateFindings([delegate({ gateways: ['mesh'] })])).toEqual([
      refusedDelegate('gateways', 'a delegate\'s rules apply where its root\'s do; remove gateways, and bind the root instead'),
    ]);
  });

  test('fails when a delegate has tcp or tls rules', () => {
    expect(delegateFindings([delegate({ tcp: [{ route: ROUTE }], tls: [{ route: ROUTE }] })])).toEqual([
      refusedDelegate('tcp', 'only http rules can be delegated; move the tcp rules to a VirtualService with hosts'),
      refusedDelegate('tls', 'only http rules can be delegated; move the tls rules to a VirtualService with hosts'),
    ]);
  });

  test('passes a delegate whose gateways, tcp and tls are empty lists, and a VirtualService with hosts that has them', () => {
    expect(delegateFindings([delegate({ gateways: [], tcp: [], tls: [] }),
      virtualService('tcp', 'shop', { hosts: ['tcp.shop.svc.cluster.local'], gateways: ['mesh'], tcp: [{ route: ROUTE }] })])).toEqual([]);
  });

  test('fails when a rule of a delegate delegates again', () => {
    expect(delegateFindings([delegate({ http: [{ route: ROUTE }, { delegate: { name: 'deeper' } }] })])).toEqual([
      found('delegate-not-valid', 'VirtualService/shop/api', 'spec.http[1].delegate', 'a VirtualService without hosts is a delegate, and Istio\'s webhook '
        + 'refuses a delegate rule that delegates again: istiod follows one level of delegation only; give this rule a route, or move the delegation to the root'),
    ]);
  });

  test('fails only on the nested delegation of a delegate rule, which istiod does not follow to a VirtualService with hosts', () => {
    const hosted = virtualService('hosted', 'shop', { hosts: ['hosted.shop.svc.cluster.local'], http: [{ route: ROUTE }] });
    expect(delegateFindings([delegate({ http: [{ delegate: { name: 'hosted' }, route: ROUTE }] }), hosted]).map(f => f.path)).toEqual(['spec.http[0].delegate']);
  });

  test('passes a delegate rule whose delegate is not an object', () => {
    expect(delegateFindings([delegate({ http: [{ route: ROUTE, delegate: 'deeper' }] })])).toEqual([]);
  });

  test('fails when a rule that delegates has a route or a redirect too', () => {
    const refused = (key: string) => found('delegate-not-valid', 'VirtualService/gw/root', `spec.http[0].${key}`,
      `a rule that delegates and has a ${key} too is refused by Istio's webhook: the delegate's rules say where its requests go; remove ${key}, or the delegate`);
    expect(delegateFindings([root({ route: ROUTE }), delegate()])).toEqual([refused('route')]);
    expect(delegateFindings([root({ redirect: { uri: '/v2' } }), delegate()])).toEqual([refused('redirect')]);
    expect(delegateFindings([root({ route: ROUTE, redirect: { uri: '/v2' } }), delegate()])).toEqual([refused('redirect'), refused('route')]);
  });

  test('passes a rule that delegates with an empty route list or a null redirect, which Go\'s protobuf reads as none', () => {
    expect(delegateFindings([root({ route: [], redirect: null }), delegate()])).toEqual([]);
  });

  test('passes a rule whose delegate is not an object, which is no delegation', () => {
    expect(delegateFindings([virtualService('root', 'gw', { hosts: ['api.shop.svc.cluster.local'], http: [{ delegate: 'api', route: ROUTE }] })])).toEqual([]);
  });
});

describe('the delegate a rule names', () => {
  const DECLARE = 'or, when it is applied from elsewhere, declare it: --external-delegate shop/api on the command line, '
    + 'RouteCheck.of(chart).addExternalDelegate(\'shop/api\') in a chart';

  test('fails when the delegate is not in the set', () => {
    expect(delegateFindings([root()])).toEqual([
      found('delegate-not-found', 'VirtualService/gw/root', 'spec.http[0].delegate', 'the delegate VirtualService shop/api is not in the set, so istiod '
        + `finds no delegate and drops this rule: the requests it matches go to later rules, or get 404; add VirtualService shop/api, ${DECLARE}`),
    ]);
  });

  test('fails when a delegate named without namespace is not in the root\'s namespace, saying where it is looked for', () => {
    const inShop = virtualService('root', 'shop', { hosts: ['api.shop.svc.cluster.local'], http: [{ route: ROUTE }, { delegate: { name: 'api' } }] });
    expect(delegateFindings([inShop])).toEqual([
      found('delegate-not-found', 'VirtualService/shop/root', 'spec.http[1].delegate', 'the delegate VirtualService shop/api is not in the set, so istiod '
        + 'finds no delegate and drops this rule: the requests it matches go to later rules, or get 404; add VirtualService shop/api '
        + `(a delegate without namespace is looked for in this VirtualService's), ${DECLARE}`),
    ]);
  });

  test('passes a delegate declared external, by the namespace and name istiod looks it up by', () => {
    expect(delegateFindings([root()], { externalDelegates: ['shop/api'] })).toEqual([]);
    expect(delegateFindings([root()], { externalDelegates: ['gw/api', 'shop/api-routes'] }).map(f => f.code)).toEqual(['delegate-not-found']);
  });

  test('passes a delegate without name, which Istio\'s webhook refuses', () => {
    const nameless = (name: string, reference: Obj) => virtualService(name, 'gw', { hosts: [`${name}.example.com`], http: [{ delegate: reference }] });
    expect(delegateFindings([nameless('a', { namespace: 'shop' }), nameless('b', { name: '' }), nameless('c', { name: 7 })])).toEqual([]);
  });

  test('passes when the delegate names no VirtualService', () => {
    expect(delegateFindings([virtualService('root', 'gw', { hosts: ['api.shop.svc.cluster.local'], http: [{ delegate: { namespace: 'shop' } }] }),
      delegate({ exportTo: ['.'] }), delegate({ exportTo: ['.'] }, 'undefined')])).toEqual([]);
  });

  const HOSTED = 'the delegate VirtualService/shop/api has hosts, so istiod takes it for a VirtualService of its own rather than a delegate and drops this rule; '
    + 'remove the hosts of VirtualService/shop/api, or delegate to a VirtualService without hosts';

  test('fails when the delegate has hosts', () => {
    expect(delegateFindings([root(), delegate({ hosts: ['api.shop.svc.cluster.local'] })])).toEqual([
      found('delegate-has-hosts', 'VirtualService/gw/root', 'spec.http[0].delegate', HOSTED),
    ]);
  });

  test('passes a delegate whose hosts are an empty list', () => {
    expect(delegateFindings([root(), delegate({ hosts: [] })])).toEqual([]);
  });

  test('fails when a delegate named without namespace, and so looked up in the root\'s, has hosts', () => {
    const inShop = virtualService('root', 'shop', { hosts: ['api.shop.svc.cluster.local'], http: [{ delegate: { name: 'api' } }] });
    expect(delegateFindings([inShop, delegate({ hosts: ['api.shop.svc.cluster.local'] })])).toEqual([
      found('delegate-has-hosts', 'VirtualService/shop/root', 'spec.http[0].delegate', HOSTED),
    ]);
    const inGw = virtualService('root', 'gw', { hosts: ['api.shop.svc.cluster.local'], http: [{ delegate: { name: 'api' } }] });
    expect(delegateFindings([inGw, delegate({ hosts: ['api.shop.svc.cluster.local'] })]).map(f => f.code)).toEqual(['delegate-not-found']);
  });

  test('fails when the delegate is not exported to the root\'s namespace', () => {
    expect(delegateFindings([root(), delegate({ exportTo: ['.', 'other'] })])).toEqual([
      found('delegate-not-exported', 'VirtualService/gw/root', 'spec.http[0].delegate',
        'the delegate is not exported to namespace gw, where this VirtualService is (VirtualService/shop/api has exportTo: [".","other"]), '
        + 'so istiod drops this rule; add gw to that exportTo'),
    ]);
  });

  test('fails when the mesh exports a delegate without exportTo to its own namespace only', () => {
    expect(delegateFindings([root(), delegate()], { defaultVirtualServiceExportTo: ['.'] })).toEqual([
      found('delegate-not-exported', 'VirtualService/gw/root', 'spec.http[0].delegate',
        'the delegate is not exported to namespace gw, where this VirtualService is (VirtualService/shop/api has no exportTo, so the mesh\'s '
        + 'defaultVirtualServiceExportTo applies: ["."]), so istiod drops this rule; export VirtualService/shop/api to gw with an exportTo of its own '
        + '(on a Service, the annotation networking.istio.io/exportTo), listing "." too where its own namespace uses it; widening the mesh default would '
        + 'export every object without one'),
    ]);
  });

  test('passes a delegate exported to the root\'s namespace, to every namespace, or in the root\'s namespace', () => {
    expect(delegateFindings([root(), delegate({ exportTo: ['gw'] })])).toEqual([]);
    expect(delegateFindings([root(), delegate({ exportTo: ['*'] })])).toEqual([]);
    expect(delegateFindings([root({}, 'shop'), delegate({ exportTo: ['.'] })])).toEqual([]);
  });
});

describe('delegate-match-conflict: each delegate match lies within a match of the root rule (mergeHTTPMatchRequests, hasConflict)', () => {
  const conflict = (against: string, k = 0, j = 0, rootIndex = 0) => found('delegate-match-conflict', 'VirtualService/shop/api', `spec.http[${k}].match[${j}]`,
    `this match leaves every match of rule spec.http[${rootIndex}] of VirtualService/gw/root, which delegates here (${against}), `
    + `so istiod drops rule spec.http[${k}] from that root's routes; narrow this match to lie within the root's, or widen the root's match`);
  /** The root rule with `rootMatch`, its delegate's one rule with `leafMatch`. */
  const merged = (rootMatch: Obj[] | undefined, leafMatch: Obj[] | undefined) => delegateFindings([
    root(rootMatch ? { match: rootMatch } : {}),
    delegate({ http: [{ ...leafMatch ? { match: leafMatch } : {}, route: ROUTE }] }),
  ]);
  const within = (rootMatch: Obj, leafMatch: Obj) => merged([rootMatch], [leafMatch]);

  test('passes when the root rule or the delegate rule has no match', () => {
    expect(merged(undefined, [{ uri: { prefix: '/v2' } }])).toEqual([]);
    expect(merged([{ uri: { prefix: '/api' } }], undefined)).toEqual([]);
    expect(merged([{ uri: { prefix: '/api' } }], [])).toEqual([]);
  });

  test.each([
    ['a prefix outside the root\'s prefix', { prefix: '/api' }, { prefix: '/v2' }],
    ['an exact path outside the root\'s prefix', { prefix: '/api' }, { exact: '/v2' }],
    ['a prefix where the root\'s is exact', { exact: '/api' }, { prefix: '/api' }],
    ['another exact path where the root\'s is exact', { exact: '/api' }, { exact: '/apis' }],
    ['no condition where the root\'s is exact', { exact: '/api' }, {}],
    ['a regex where the root\'s is a regex', { regex: '/api.*' }, { regex: '/api.*' }],
    ['a prefix where the root\'s is a regex', { regex: '/api.*' }, { prefix: '/api' }],
    ['an exact path where the root\'s is a regex', { regex: '/api.*' }, { exact: '/api' }],
    ['no condition where the root\'s is a regex', { regex: '/api.*' }, {}],
    ['a regex where the root\'s is a prefix', { prefix: '/api' }, { regex: '/api/.*' }],
    ['a regex where the root\'s is exact', { exact: '/api' }, { regex: '/api' }],
    ['a regex where the root\'s condition is empty', {}, { regex: '/api' }],
    ['a prefix where the root\'s condition is empty, which Istio takes for a conflict with any', {}, { prefix: '/api' }],
  ])('fails on %s', (_, rootUri, leafUri) => {
    expect(within({ uri: rootUri }, { uri: leafUri })).toEqual([
      conflict(`uri ${JSON.stringify(leafUri)} does not lie within the root's ${JSON.stringify(rootUri)}`),
    ]);
  });

  test.each([
    ['a prefix within the root\'s prefix', { uri: { prefix: '/api' } }, { uri: { prefix: '/api/v1' } }],
    ['an exact path within the root\'s prefix', { uri: { prefix: '/api' } }, { uri: { exact: '/api/v1/items' } }],
    ['the root\'s exact path repeated', { uri: { exact: '/api' } }, { uri: { exact: '/api' } }],
    ['a delegate match without uri', { uri: { prefix: '/api' } }, { method: { exact: 'GET' } }],
  ])('passes %s', (_, rootMatch, leafMatch) => {
    expect(within(rootMatch, leafMatch)).toEqual([]);
  });

  test('passes a condition that is not an object on either side, which Go would not read', () => {
    expect(within({ uri: '/api' }, { uri: { prefix: '/v2' } })).toEqual([]);
    expect(within({ uri: { prefix: '/api' } }, { uri: '/v2' })).toEqual([]);
  });

  test('fails on scheme, method and authority as on uri', () => {
    expect(within({ scheme: { exact: 'https' } }, { scheme: { exact: 'http' } })).toEqual([
      conflict('scheme {"exact":"http"} does not lie within the root\'s {"exact":"https"}'),
    ]);
    expect(within({ method: { exact: 'GET' } }, { method: { exact: 'POST' } })).toEqual([
      conflict('method {"exact":"POST"} does not lie within the root\'s {"exact":"GET"}'),
    ]);
    expect(within({ authority: { prefix: 'api.' } }, { authority: { exact: 'web.example.com' } })).toEqual([
      conflict('authority {"exact":"web.example.com"} does not lie within the root\'s {"prefix":"api."}'),
    ]);
  });

  test('fails when the first field that conflicts is named, uri before the rest', () => {
    expect(within({ uri: { prefix: '/api' }, method: { exact: 'GET' } }, { uri: { prefix: '/v2' }, method: { exact: 'POST' } })).toEqual([
      conflict('uri {"prefix":"/v2"} does not lie within the root\'s {"prefix":"/api"}'),
    ]);
  });

  test('fails when a header, a header it must lack or a query parameter leaves the root\'s', () => {
    expect(within({ headers: { 'x-team': { exact: 'a' } } }, { headers: { 'x-team': { exact: 'b' } } })).toEqual([
      conflict('headers["x-team"] {"exact":"b"} does not lie within the root\'s {"exact":"a"}'),
    ]);
    expect(within({ withoutHeaders: { 'x-team': { exact: 'a' } } }, { withoutHeaders: { 'x-team': { prefix: 'a' } } })).toEqual([
      conflict('withoutHeaders["x-team"] {"prefix":"a"} does not lie within the root\'s {"exact":"a"}'),
    ]);
    expect(within({ queryParams: { v: { exact: '1' } } }, { queryParams: { v: { exact: '2' } } })).toEqual([
      conflict('queryParams["v"] {"exact":"2"} does not lie within the root\'s {"exact":"1"}'),
    ]);
  });

  test('passes headers the root does not name, and the root\'s own header', () => {
    expect(within({ headers: { 'x-team': { exact: 'a' } } }, { headers: { 'x-team': { exact: 'a' }, 'x-canary': { exact: 'on' } } })).toEqual([]);
    expect(within({ headers: 'x-team' }, { headers: { 'x-team': { exact: 'b' } } })).toEqual([]);
  });

  test('fails when ignoreUriCase differs either way', () => {
    expect(within({ ignoreUriCase: true }, {})).toEqual([conflict('ignoreUriCase is false here and true in the root')]);
    expect(within({}, { ignoreUriCase: true })).toEqual([conflict('ignoreUriCase is true here and false in the root')]);
    expect(within({ ignoreUriCase: true }, { ignoreUriCase: true })).toEqual([]);
    expect(within({ ignoreUriCase: 'true' }, {})).toEqual([]);
  });

  test('fails when both give a port and the ports differ', () => {
    expect(within({ port: 80 }, { port: 8080 })).toEqual([conflict('port 8080 is not the root\'s port 80')]);
    expect(within({ port: 80 }, { port: 80 })).toEqual([]);
    expect(within({ port: 80 }, { port: 0 })).toEqual([]);
    expect(within({ port: 0 }, { port: 80 })).toEqual([]);
    expect(within({ port: '80' }, { port: 8080 })).toEqual([]);
    expect(within({ port: 1 }, { port: 2 })).toEqual([conflict('port 2 is not the root\'s port 1')]);
  });

  test('fails when the root gives a sourceNamespace and the delegate another or none', () => {
    expect(within({ sourceNamespace: 'web' }, { sourceNamespace: 'batch' })).toEqual([
      conflict('sourceNamespace batch is not the root\'s sourceNamespace web'),
    ]);
    expect(within({ sourceNamespace: 'web' }, {})).toEqual([conflict('sourceNamespace (none) is not the root\'s sourceNamespace web')]);
    expect(within({ sourceNamespace: 'web' }, { sourceNamespace: 'web' })).toEqual([]);
    expect(within({}, { sourceNamespace: 'web' })).toEqual([]);
  });

  test('fails when a source label the root gives has another value', () => {
    expect(within({ sourceLabels: { app: 'web', tier: 'front' } }, { sourceLabels: { app: 'batch' } })).toEqual([
      conflict('sourceLabels app="batch" is not the root\'s app="web"'),
    ]);
    expect(within({ sourceLabels: { app: 'web' } }, { sourceLabels: { app: 'web', version: 'v2' } })).toEqual([]);
  });

  test('fails when the delegate\'s gateways are not all among the root\'s', () => {
    expect(within({ gateways: ['gw/a'] }, { gateways: ['gw/a', 'gw/b'] })).toEqual([
      conflict('gateways ["gw/a","gw/b"] are not all among the root\'s ["gw/a"]'),
    ]);
    expect(within({ gateways: ['gw/a', 'gw/b'] }, { gateways: ['gw/a', 'gw/c'] })).toEqual([
      conflict('gateways ["gw/a","gw/c"] are not all among the root\'s ["gw/a","gw/b"]'),
    ]);
    // Istio compares the counts too, so a gateway written twice conflicts.
    expect(within({ gateways: ['gw/a'] }, { gateways: ['gw/a', 'gw/a'] })).toEqual([
      conflict('gateways ["gw/a","gw/a"] are not all among the root\'s ["gw/a"]'),
    ]);
    expect(within({ gateways: ['gw/a', 'gw/b'] }, { gateways: ['gw/b', 'gw/a'] })).toEqual([]);
    expect(within({ gateways: ['gw/a'] }, { gateways: [] })).toEqual([]);
    expect(within({}, { gateways: ['gw/a'] })).toEqual([]);
  });

  test('fails on gateways only once each side is resolved in its own namespace, as istiod does before it compares them', () => {
    // The root is in gw, the delegate in shop: gw/public written short in the root and in full in the delegate is one gateway.
    expect(within({ gateways: ['public'] }, { gateways: ['gw/public'] })).toEqual([]);
    expect(within({ gateways: ['public'] }, { gateways: ['public'] })).toEqual([
      conflict('gateways ["shop/public"] are not all among the root\'s ["gw/public"]'),
    ]);
    expect(within({ gateways: ['mesh'] }, { gateways: ['mesh'] })).toEqual([]);
  });

  test('passes a delegate match that lies within one of the root\'s matches', () => {
    expect(merged([{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' } }], [{ uri: { prefix: '/v2/items' } }])).toEqual([]);
  });

  test('fails with the reason for each root match when the delegate match lies within none', () => {
    expect(merged([{ uri: { prefix: '/api' } }, { method: { exact: 'GET' } }], [{ uri: { prefix: '/v2' }, method: { exact: 'POST' } }])).toEqual([
      conflict('match[0]: uri {"prefix":"/v2"} does not lie within the root\'s {"prefix":"/api"}; '
        + 'match[1]: method {"exact":"POST"} does not lie within the root\'s {"exact":"GET"}'),
    ]);
  });

  test('fails on each delegate match and rule that leaves the root, naming the root rule that delegates', () => {
    const objects = [
      virtualService('root', 'gw', {
        hosts: ['api.shop.svc.cluster.local'],
        http: [{ match: [{ uri: { prefix: '/web' } }], route: ROUTE }, { match: [{ uri: { prefix: '/api' } }], delegate: { name: 'api', namespace: 'shop' } }],
      }),
      delegate({
        http: [
          { match: [{ uri: { prefix: '/api/v1' } }], route: ROUTE },
          { match: [{ uri: { prefix: '/api/v2' } }, 'not a match', { uri: { prefix: '/v2' } }], route: ROUTE },
        ],
      }),
    ];
    expect(delegateFindings(objects)).toEqual([conflict('uri {"prefix":"/v2"} does not lie within the root\'s {"prefix":"/api"}', 1, 2, 1)]);
  });

  test('passes a root rule whose matches are not objects, which Go would not read', () => {
    expect(merged(['/api' as unknown as Obj], [{ uri: { prefix: '/v2' } }])).toEqual([]);
  });
});

describe('a delegate\'s rules apply where the rules that delegate to it do', () => {
  const TWO_PORTS = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }, { name: 'tcp-admin', port: 9080 }] } };
  const objects = (rootSpec: Obj, delegateRule: Obj, extra: Obj[] = []): Obj[] => [
    TWO_PORTS, API[1], ...extra,
    virtualService('root', 'gw', { hosts: ['api.example.com'], http: [{ delegate: { name: 'api', namespace: 'shop' } }], ...rootSpec }),
    delegate({ http: [delegateRule] }),
  ];
  const findings = (set: Obj[], options: VerifyOptions = { externalGateways: ['gw/public'] }) =>
    verify(set, options).map(f => `${f.code} ${f.object} ${f.path}`);

  test('fails when a route behind a gateway names no port of a Service with several, as the root\'s own route would', () => {
    expect(findings(objects({ gateways: ['public'] }, { route: ROUTE }))).toEqual([
      'destination-port-required VirtualService/shop/api spec.http[0].route[0].destination',
    ]);
  });

  test('fails only on the rule that delegates to a VirtualService with hosts, which keeps its own bindings', () => {
    const hosted = virtualService('api', 'shop', { hosts: ['api.shop.svc.cluster.local'], http: [{ route: ROUTE }] });
    expect(findings([TWO_PORTS, API[1], hosted,
      virtualService('root', 'gw', { hosts: ['api.example.com'], gateways: ['public'], http: [{ delegate: { name: 'api', namespace: 'shop' } }] })]))
      .toEqual(['delegate-has-hosts VirtualService/gw/root spec.http[0].delegate']);
  });

  test('passes a delegate without a root in the set, whose hosts, and their ports, are its roots\'', () => {
    const toAdmin = { route: [{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 9080 } } }] };
    expect(findings([TWO_PORTS, API[1], delegate({ http: [{ match: [{ uri: { prefix: '/admin' } }], ...toAdmin }, { route: ROUTE }] })])).toEqual([]);
  });

  test('fails where the root rule\'s matches, or the delegate rule\'s own, name a gateway, each in its own namespace', () => {
    const rootRule = { match: [{ gateways: ['public'] }], delegate: { name: 'api', namespace: 'shop' } };
    expect(findings(objects({ gateways: ['mesh', 'public'], http: [rootRule] }, { route: ROUTE }))).toEqual([
      'destination-port-required VirtualService/shop/api spec.http[0].route[0].destination',
    ]);
    expect(findings(objects({ gateways: ['mesh', 'public'] }, { match: [{ gateways: ['gw/public'] }], route: ROUTE }))).toEqual([
      'destination-port-required VirtualService/shop/api spec.http[0].route[0].destination',
    ]);
    expect(findings(objects({ gateways: ['mesh', 'public'] }, { match: [{ gateways: ['mesh'] }], route: ROUTE }))).toEqual([]);
  });

  test('fails on an http rule for a root\'s host whose ports are all tcp where a mesh root applies it, and not where only a gateway does', () => {
    const admin = { ...TWO_PORTS, metadata: { name: 'admin', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ name: 'tcp-admin', port: 9080 }] } };
    const onAdmin = (rootSpec: Obj) => objects({ hosts: ['admin.shop.svc.cluster.local'], ...rootSpec }, { route: ROUTE }, [admin]);
    // The root's rule that delegates is an http rule too.
    expect(findings(onAdmin({}))).toEqual(['http-route-to-non-http-port VirtualService/gw/root spec.http[0]', 'http-route-to-non-http-port VirtualService/shop/api spec.http[0]']);
    expect(findings(onAdmin({ gateways: ['public'] }))).toEqual(['destination-port-required VirtualService/shop/api spec.http[0].route[0].destination']);
  });
});

/** Gateway gw/public, whose pods and their Service run in `podNamespace`. */
function publicGateway(podNamespace: string): Obj[] {
  return [
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'gw' },
      spec: { selector: { istio: 'public' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/api.example.com'] }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'public', namespace: podNamespace },
      spec: { selector: { matchLabels: { istio: 'public' } }, template: { metadata: { labels: { istio: 'public' } }, spec: { containers: [{ name: 'proxy', image: 'proxyv2' }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'public', namespace: podNamespace }, spec: { selector: { istio: 'public' }, ports: [{ name: 'http', port: 80 }] } },
  ];
}

/** The api Service, exported to its own namespace alone. */
const PRIVATE_API = { ...API[0], metadata: { ...API[0].metadata, annotations: { 'networking.istio.io/exportTo': '.' } } };

describe('a delegate\'s routes are checked from the pods of the root\'s gateway', () => {
  const set = (delegateRule: Obj) => [PRIVATE_API, API[1], ...publicGateway('gw'),
    virtualService('root', 'gw', { hosts: ['api.example.com'], gateways: ['public'], http: [{ delegate: { name: 'api', namespace: 'shop' } }] }),
    delegate({ http: [delegateRule] })];
  const hidden = (path: string) => found('destination-host-not-exported', 'VirtualService/shop/api', path,
    'host api.shop.svc.cluster.local is not exported to namespace gw, where the pods of gateway gw/public run: Service/shop/api has annotation '
    + 'networking.istio.io/exportTo: "."; the gateway takes these routes but does not know the host, so requests fail with 503; add gw to that exportTo, '
    + 'or route to a host exported there');

  test('fails when the host is not exported to where the root\'s gateway pods run', () => {
    expect(verify(set({ route: ROUTE })).filter(f => f.code === 'destination-host-not-exported')).toEqual([
      { ...hidden('spec.http[0].route[0].destination.host'), istioCode: 'IST0101' },
    ]);
  });

  test('fails where a gateway of the delegate rule\'s matches runs, named in the delegate\'s namespace as istiod resolves it', () => {
    const notExported = (delegateRule: Obj) => verify(set(delegateRule)).filter(f => f.code === 'destination-host-not-exported').map(f => f.message);
    expect(notExported({ match: [{ gateways: ['gw/public'] }], route: ROUTE })).toEqual([hidden('spec.http[0].route[0].destination.host').message]);
    // Resolved in shop, the name is no gateway the root is bound to, so the rule applies nowhere and only its match is reported.
    expect(notExported({ match: [{ gateways: ['public'] }], route: ROUTE })).toEqual([]);
    expect(verify(set({ match: [{ gateways: ['public'] }], route: ROUTE })).map(f => `${f.code} ${f.path}`))
      .toEqual(['match-gateway-not-bound spec.http[0].match[0].gateways[0]']);
  });
});

describe('a delegate\'s routes apply where the exportTo of the rules that delegate to it says', () => {
  const rootIn = (namespace: string, spec: Obj = {}) =>
    virtualService('root', namespace, { hosts: ['api.example.com'], http: [{ delegate: { name: 'api', namespace: 'shop' } }], ...spec });
  const hiddenIn = (namespace: string, where: string, who = 'sidecars there take these routes but do not') =>
    `host api.shop.svc.cluster.local is not exported to namespace ${namespace}, ${where}: Service/shop/api has annotation `
    + `networking.istio.io/exportTo: "."; ${who} know the host, so requests fail with 503; add ${namespace} to that exportTo, or route to a host exported there`;
  const notExported = (objects: Obj[]) => verify(objects).filter(f => f.code === 'destination-host-not-exported').map(f => [f.object, f.message]);

  test('fails when the host is hidden from the namespace of a mesh root', () => {
    expect(notExported([PRIVATE_API, API[1], rootIn('gw'), delegate()])).toEqual([
      ['VirtualService/shop/api', hiddenIn('gw', 'where VirtualService/gw/root, which delegates here, applies')],
    ]);
  });

  test('fails once, naming every root, where several delegate to one delegate', () => {
    expect(notExported([PRIVATE_API, API[1], rootIn('web'), rootIn('gw'), delegate()])).toEqual([[
      'VirtualService/shop/api',
      'host api.shop.svc.cluster.local is not exported to namespaces gw, web, where VirtualService/web/root, VirtualService/gw/root, which delegate here, apply: '
      + 'Service/shop/api has annotation networking.istio.io/exportTo: "."; sidecars there take these routes but do not know the host, so requests fail with 503; '
      + 'add gw, web to that exportTo, or route to a host exported there',
    ]]);
  });

  test('fails naming a root once that delegates to the delegate twice', () => {
    const twice = rootIn('gw', { http: [1, 2].map(v => ({ match: [{ headers: { v: { exact: `${v}` } } }], delegate: { name: 'api', namespace: 'shop' } })) });
    expect(notExported([PRIVATE_API, API[1], twice, delegate()])).toEqual([
      ['VirtualService/shop/api', hiddenIn('gw', 'where VirtualService/gw/root, which delegates here, applies')],
    ]);
  });

  test('passes when the root applies only in the host\'s namespace', () => {
    expect(notExported([PRIVATE_API, API[1], rootIn('gw', { exportTo: ['shop'] }), delegate()])).toEqual([]);
  });

  test('reads, at each gateway and at the mesh, the exportTo of the roots whose rules apply there alone', () => {
    // The gateway's root is kept to gw, so the pods in ingress never take the delegate's routes; the mesh's root is exported to shop alone.
    const atGateway = virtualService('edge', 'gw', { hosts: ['api.example.com'], gateways: ['public'], exportTo: ['.'], http: [{ delegate: { name: 'api', namespace: 'shop' } }] });
    expect(notExported([PRIVATE_API, API[1], ...publicGateway('ingress'), atGateway, rootIn('web', { exportTo: ['shop'] }), delegate()])).toEqual([]);
    // Bound to both, the root's rule may still be scoped to the mesh by its match.
    const meshOnly = rootIn('gw', { gateways: ['public', 'mesh'], http: [{ match: [{ gateways: ['mesh'] }], delegate: { name: 'api', namespace: 'shop' } }] });
    expect(notExported([PRIVATE_API, API[1], ...publicGateway('ingress'), meshOnly, delegate()])).toEqual([
      ['VirtualService/shop/api', hiddenIn('gw', 'where VirtualService/gw/root, which delegates here, applies')],
    ]);
  });

  test('fails at the mesh and at the gateway both, for a root whose rule applies at each', () => {
    const both = rootIn('gw', { gateways: ['public', 'mesh'] });
    expect(notExported([PRIVATE_API, API[1], ...publicGateway('ingress'), both, delegate()]).map(([, message]) => message.split(': ')[0])).toEqual([
      'host api.shop.svc.cluster.local is not exported to namespace gw, where VirtualService/gw/root, which delegates here, applies',
      'host api.shop.svc.cluster.local is not exported to namespace ingress, where the pods of gateway gw/public run',
    ]);
  });

  test('fails when the host is hidden from the pods of the root\'s gateway that the root, not the delegate, is exported to', () => {
    expect(notExported([PRIVATE_API, API[1], ...publicGateway('ingress'), rootIn('gw', { gateways: ['public'] }), delegate({ exportTo: ['gw'] })])).toEqual([
      ['VirtualService/shop/api', hiddenIn('ingress', 'where the pods of gateway gw/public run', 'the gateway takes these routes but does not')],
    ]);
  });
});
