import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { CODES, Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings as verify } from './support/findings';

type Obj = Record<string, any>;

function loadFixture(name: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
  if (!Array.isArray(documents)) throw new Error(`${name} is empty`);
  const errors = documents.flatMap(d => d.errors.map(e => e.message));
  if (errors.length > 0) throw new Error(`${name} does not parse: ${errors.join('; ')}`);
  return documents.map(d => d.toJS());
}

/** `code object path` of each finding, which is what the tests pin down; messages may be reworded. */
function summary(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

function codes(objects: unknown[], options?: VerifyOptions): string[] {
  return verify(objects, options).map(f => f.code);
}

// A small, correct canary: reviews v1/v2 behind one Service, split 90/10 through a gateway and the
// mesh. Its host `reviews` is on no gateway server, which is fine: the mesh binding serves it.

function deployment(name: string, labels: Obj, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {} }, ...extra },
  };
}

function service(name: string, selector: Obj | undefined, ports: Obj[] = [{ name: 'http', port: 9080 }]): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector, ports } };
}

function istio(kind: string, name: string, spec: Obj, namespace = 'shop'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace }, spec };
}

function route(host: string, subset: string | undefined, weight?: unknown): Obj {
  return { destination: { host, subset }, weight };
}

function reviews(): Obj[] {
  return [
    deployment('reviews-v1', { app: 'reviews', version: 'v1' }),
    deployment('reviews-v2', { app: 'reviews', version: 'v2' }),
    service('reviews', { app: 'reviews' }),
    istio('DestinationRule', 'reviews', {
      host: 'reviews',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    }),
    istio('Gateway', 'public', {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'] }],
    }, 'istio-system'),
    istio('VirtualService', 'reviews', {
      hosts: ['reviews.example.com', 'reviews'],
      gateways: ['istio-system/public', 'mesh'],
      http: [{ route: [route('reviews', 'v1', 90), route('reviews', 'v2', 10)] }],
    }),
  ];
}

/** The reviews set with one object replaced: `kind/name` → replacement (undefined drops it). */
function reviewsWith(changes: Record<string, Obj | undefined>, ...added: Obj[]): Obj[] {
  const changed = reviews().flatMap(o => {
    const key = `${o.kind}/${o.metadata.name}`;
    if (!(key in changes)) return [o];
    return changes[key] ? [changes[key]] : [];
  });
  return [...changed, ...added];
}

function virtualService(spec: Obj, name = 'reviews', namespace = 'shop'): Obj {
  return istio('VirtualService', name, spec, namespace);
}

describe('verifyManifests on the seed articles', () => {
  test('fails when given seed 000 (nginx blue/green), with every routing mistake it has', () => {
    expect(summary(verify(loadFixture('seed-000-nginx-blue-green.yaml')))).toEqual([
      'workload-selector-missing Deployment/default/nginx-1.10 spec.selector',
      'destination-rule-host-not-found DestinationRule/default/myapp spec.host',
      'service-selects-nothing Service/default/nginx spec.selector',
      'destination-host-not-found VirtualService/default/myapp spec.http[0].route[0].destination.host',
      'destination-host-not-found VirtualService/default/myapp spec.http[0].route[1].destination.host',
    ]);
  });

  test('fails when given seed 003 (version-test canary) on its unnamed port, where its graph otherwise holds', () => {
    expect(summary(verify(loadFixture('seed-003-version-test-canary.yaml')))).toEqual([
      'port-protocol-unknown Service/default/canary spec.ports[0]',
    ]);
  });

  test.each([
    'seed-000-nginx-blue-green.fixed.yaml',
    'seed-003-version-test-canary.fixed.yaml',
  ])('accepts the corrected %s', name => {
    expect(verify(loadFixture(name))).toEqual([]);
  });

  test('fails when a Service selects nothing, naming the nearest pods and what they lack', () => {
    const finding = verify(loadFixture('seed-000-nginx-blue-green.yaml')).find(f => f.code === 'service-selects-nothing');
    expect(finding?.message).toContain('Deployment/default/nginx-1.10 comes closest, but its pods lack run=nginx');
  });
});

describe('findings', () => {
  test('the reviews baseline is clean', () => {
    expect(verify(reviews())).toEqual([]);
  });

  test('sort by object, then path, then code', () => {
    const findings = verify([
      ...loadFixture('seed-000-nginx-blue-green.yaml'),
      ...loadFixture('seed-003-version-test-canary.yaml'),
    ]);
    const keys = findings.map(f => [f.object, f.path, f.code].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
  });

  test('every code is documented in docs/findings.md with a wrong and a right example', () => {
    const docs = readFileSync(join(__dirname, '..', 'docs', 'findings.md'), 'utf8');
    for (const code of Object.keys(CODES)) {
      const section = docs.split(/^## /m).find(s => s.startsWith(`\`${code}\``));
      expect({ code, documented: section !== undefined }).toEqual({ code, documented: true });
      expect(section).toMatch(/Wrong/);
      expect(section).toMatch(/Right/);
    }
  });

  test('are the same whatever the input order', () => {
    const objects = loadFixture('seed-000-nginx-blue-green.yaml');
    expect(verify([...objects].reverse())).toEqual(verify(objects));
  });
});

describe('objects', () => {
  test('fails when entries are not objects or lack kind or name, and skips empty documents', () => {
    const findings = verify([null, 'text', { kind: 'Service' }, { metadata: { name: 'x' } }, ...reviews()]);
    expect(summary(findings)).toEqual([
      'object-unidentified Service/default/#2 metadata.name',
      'object-unidentified Unknown/default/#1 ',
      'object-unidentified Unknown/default/#3 kind',
    ]);
  });

  test('counts each hole of a sparse list as an entry, at the top and among a List\'s items, as a YAML stream\'s empty documents are', () => {
    const top = [, { kind: 'Service' }];
    const items = [, , { kind: 'Service' }];
    expect(summary(verify(top))).toEqual(['object-unidentified Service/default/#1 metadata.name']);
    expect(summary(verify([{ apiVersion: 'v1', kind: 'List', items }, { kind: 'Service' }]))).toEqual([
      'object-unidentified Service/default/#2 metadata.name',
      'object-unidentified Service/default/#3 metadata.name',
    ]);
  });

  test('spreads the items of a kubectl List', () => {
    expect(verify([{ apiVersion: 'v1', kind: 'List', items: reviews() }])).toEqual([]);
  });

  test('fails when an object is declared twice', () => {
    expect(summary(verify([...reviews(), service('reviews', { app: 'reviews' })]))).toEqual([
      'duplicate-object Service/shop/reviews metadata.name',
    ]);
  });

  test('fails when an object is declared three times, listing every entry once, and reads only the last of them, as the cluster keeps', () => {
    const empty = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [] });
    const copies = [deployment('reviews-v1', { app: 'reviews', version: 'v1' }), reviews()[3]];
    const findings = verify([empty, ...reviews(), ...copies, ...copies]);
    // The copies of reviews-v1 are one workload, not three that subset v1 would mix, and the last copy of the rule defines its subsets.
    expect(findings.map(f => `${f.code} ${f.object} ${f.message.split(';')[0]}`)).toEqual([
      'duplicate-object Deployment/shop/reviews-v1 this object appears 3 times (entries #1, #7, #9)',
      'duplicate-object DestinationRule/shop/reviews this object appears 4 times (entries #0, #4, #8, #10)',
    ]);
    expect(summary(verify([...reviews(), empty]))).toEqual([
      'duplicate-object DestinationRule/shop/reviews metadata.name',
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.subset',
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.subset',
    ]);
  });

  test('fails once on a duplicated object of a kind the checks look up by kind', () => {
    const entry = istio('ServiceEntry', 'db', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' });
    expect(summary(verify([entry, entry]))).toEqual([
      'duplicate-object ServiceEntry/shop/db metadata.name',
      'service-entry-addresses-required ServiceEntry/shop/db spec.ports[0]',
    ]);
  });

  test('accepts objects that share a name but not kind, group or namespace', () => {
    const knative = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' } };
    const elsewhere = { ...service('reviews', undefined), metadata: { name: 'reviews', namespace: 'other' } };
    expect(codes([...reviews(), knative, elsewhere])).toEqual([]);
  });

  test('puts objects without namespace in options.defaultNamespace', () => {
    const orphan = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan' }, spec: { selector: { app: 'orphan' } } };
    expect(verify([orphan]).map(f => f.object)).toEqual(['Service/default/orphan']);
    expect(verify([orphan], { defaultNamespace: 'team' }).map(f => f.object)).toEqual(['Service/team/orphan']);
  });
});

describe('workloads and services', () => {
  test('fails when an apps/v1 workload has no selector, or an empty one', () => {
    const bare = deployment('reviews-v1', { app: 'reviews', version: 'v1' });
    delete bare.spec.selector;
    const empty = deployment('reviews-v2', { app: 'reviews', version: 'v2' }, { selector: {} });
    expect(summary(verify(reviewsWith({ 'Deployment/reviews-v1': bare, 'Deployment/reviews-v2': empty })))).toEqual([
      'workload-selector-missing Deployment/shop/reviews-v1 spec.selector',
      'workload-selector-missing Deployment/shop/reviews-v2 spec.selector',
    ]);
  });

  test('accepts a missing selector where the API defaulted it (extensions/v1beta1)', () => {
    const legacy: Obj = { ...deployment('reviews-v1', { app: 'reviews', version: 'v1' }), apiVersion: 'extensions/v1beta1' };
    delete legacy.spec.selector;
    expect(codes(reviewsWith({ 'Deployment/reviews-v1': legacy }))).toEqual([]);
  });

  test('accepts a Rollout that takes its pods from a Deployment through workloadRef', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'reviews-v2-rollout', namespace: 'shop' },
      spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v2' } },
    };
    expect(codes([...reviews(), rollout])).toEqual([]);
  });

  test('fails when a workload selector does not match its own pod template', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'reviews-v2', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'reviews' }, matchExpressions: [{ key: 'version', operator: 'In', values: ['v3'] }] },
        template: { metadata: { labels: { app: 'reviews', version: 'v2' } } },
      },
    };
    expect(summary(verify(reviewsWith({ 'Deployment/reviews-v2': rollout })))).toEqual([
      'workload-selector-mismatch Rollout/shop/reviews-v2 spec.selector',
    ]);
  });

  test.each([
    [{ key: 'version', operator: 'In', values: ['v1', 'v2'] }],
    [{ key: 'version', operator: 'NotIn', values: ['v3'] }],
    [{ key: 'version', operator: 'Exists' }],
    [{ key: 'track', operator: 'DoesNotExist' }],
  ])('accepts matchExpressions that hold for the template: %j', expression => {
    const ds: Obj = { ...deployment('reviews-v2', { app: 'reviews', version: 'v2' }), kind: 'DaemonSet' };
    ds.spec.selector = { matchLabels: { app: 'reviews' }, matchExpressions: [expression] };
    expect(codes(reviewsWith({ 'Deployment/reviews-v2': ds }))).toEqual([]);
  });

  test('fails when a Service selector matches no pod template in its namespace', () => {
    const elsewhere = { ...deployment('reviews-v1', { app: 'ratings' }), metadata: { name: 'ratings', namespace: 'other' } };
    expect(summary(verify([service('ratings', { app: 'ratings' }), elsewhere]))).toEqual([
      'service-selects-nothing Service/shop/ratings spec.selector',
    ]);
  });

  test('accepts a Service without selector, and pods of a StatefulSet', () => {
    const sts = { ...deployment('db', { app: 'db' }), kind: 'StatefulSet' };
    expect(codes([service('external', undefined), service('db', { app: 'db' }), sts])).toEqual([]);
    // Whether or not gateway pods are declared outside the set, whose labels an empty selector would take.
    expect(codes([service('external', {}), service('none', undefined)], { externalGatewayWorkloads: [] })).toEqual([]);
  });

  test('takes a bare Pod as a workload, by its own labels, and asks it for no selector', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' } }, spec: {} };
    expect(codes([service('db', { app: 'db' }), pod])).toEqual([]);
    const unlabelled = { ...pod, metadata: { name: 'db-0', namespace: 'shop' } };
    expect(summary(verify([service('db', { app: 'db' }), unlabelled]))).toEqual(['service-selects-nothing Service/shop/db spec.selector']);
  });

  test('passes a Service in front of gateway pods declared outside the set, where they may run, as Knative\'s local gateway is', () => {
    const local = service('local-gateway', { istio: 'ingressgateway' });
    expect(codes([local])).toEqual([]);
    expect(codes([service('edge', { app: 'istio-ingressgateway', istio: 'ingressgateway' })])).toEqual([]);
    expect(codes([local], { externalGatewayWorkloads: ['shop:istio=ingressgateway'] })).toEqual([]);
  });

  test('fails when a Service selects labels the declared gateway pods lack, or they run in another namespace', () => {
    expect(codes([service('local-gateway', { istio: 'ingressgateway', tier: 'edge' })])).toEqual(['service-selects-nothing']);
    expect(codes([service('local-gateway', { istio: 'ingressgateway' })], { externalGatewayWorkloads: ['istio-system:istio=ingressgateway'] }))
      .toEqual(['service-selects-nothing']);
  });

  test('does not count a Pod owned by a ReplicaSet as another workload', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reviews-v1-abc-x', namespace: 'shop', labels: { app: 'reviews', version: 'v1' } } };
    const owned = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ kind: 'ReplicaSet', name: 'reviews-v1-abc' }] } };
    expect(codes([...reviews(), owned])).toEqual([]);
    expect(summary(verify([...reviews(), pod]))).toEqual(['subset-selects-many DestinationRule/shop/reviews spec.subsets[0].labels']);
  });

  test('does not count a ReplicaSet owned by a Deployment as another workload', () => {
    const owned: Obj = { ...deployment('reviews-v1-abc', { app: 'reviews', version: 'v1' }), kind: 'ReplicaSet' };
    owned.metadata.ownerReferences = [{ kind: 'Deployment', name: 'reviews-v1' }];
    expect(codes([...reviews(), owned])).toEqual([]);
  });
});

describe('destination hosts', () => {
  const to = (host: string) => virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host } }] }] });

  test.each(['reviews', 'reviews.shop.svc.cluster.local'])('accepts %s from the Service namespace', host => {
    expect(codes(reviewsWith({ 'VirtualService/reviews': to(host) }))).toEqual([]);
  });

  test('fails when a short name is used from another namespace, and suggests the FQDN', () => {
    const vs = { ...to('reviews'), metadata: { name: 'reviews', namespace: 'frontend' } };
    const findings = verify(reviewsWith({ 'VirtualService/reviews': vs }));
    expect(summary(findings)).toEqual(['destination-host-not-found VirtualService/frontend/reviews spec.http[0].route[0].destination.host']);
    expect(findings[0].message).toContain('did you mean reviews.shop.svc.cluster.local?');
  });

  test.each(['reviews.shop', 'reviews.shop.svc', 'reviews.shop.svc.cluster'])('fails when the host is the partial name %s', host => {
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': to(host) })))).toEqual([
      'host-partially-qualified VirtualService/shop/reviews spec.http[0].route[0].destination.host',
    ]);
  });

  test('fails when tcp and tls routes or mirrors name unknown hosts', () => {
    const vs = virtualService({
      hosts: ['reviews'],
      http: [{ match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host: 'reviews' } }], mirror: { host: 'shadow' } }, { route: [{ destination: { host: 'reviews' } }], mirrors: [{ destination: { host: 'shadow2' } }] }],
      tcp: [{ route: [{ destination: { host: 'db' } }] }],
      tls: [{ match: [{ sniHosts: ['reviews'] }], route: [{ destination: { host: 'secure' } }] }],
    });
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': vs })))).toEqual([
      'destination-host-not-found VirtualService/shop/reviews spec.http[0].mirror.host',
      'destination-host-not-found VirtualService/shop/reviews spec.http[1].mirrors[0].destination.host',
      'destination-host-not-found VirtualService/shop/reviews spec.tcp[0].route[0].destination.host',
      'destination-host-not-found VirtualService/shop/reviews spec.tls[0].route[0].destination.host',
    ]);
  });

  test('accepts hosts from options.externalHosts and from ServiceEntries', () => {
    const vs = virtualService({
      hosts: ['reviews'],
      http: [{ route: [{ destination: { host: 'reviews' } }], mirror: { host: 'api.partner.com' } }],
      tcp: [{ route: [{ destination: { host: 'db.internal.net' } }] }],
    });
    const entry = istio('ServiceEntry', 'db', { hosts: ['*.internal.net'], addresses: ['10.20.0.0/16'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] });
    expect(codes(reviewsWith({ 'VirtualService/reviews': vs }, entry), { externalHosts: ['*.partner.com'] })).toEqual([]);
  });
});

describe('replicas', () => {
  const scaledDownV2 = { 'Deployment/reviews-v2': deployment('reviews-v2', { app: 'reviews', version: 'v2' }, { replicas: 0 }) };

  test('fails when a share of traffic goes only to workloads scaled to 0', () => {
    expect(summary(verify(reviewsWith(scaledDownV2)))).toEqual(['route-to-no-replicas VirtualService/shop/reviews spec.http[0].route[1]']);
  });

  test('fails when a subset contradicts the Service selector: no endpoint takes it, whatever pods its labels alone pick', () => {
    // Istio narrows the Service's endpoints by the subset's labels; it never widens them. The pods of
    // reviews-canary carry the subset's labels but not the Service's, so they take none of its traffic,
    // and their 0 replicas are no finding of their own.
    const canary = deployment('reviews-canary', { app: 'reviews-canary', version: 'v2' }, { replicas: 0 });
    const rule = istio('DestinationRule', 'reviews', {
      host: 'reviews',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { app: 'reviews-canary', version: 'v2' } }],
    });
    expect(summary(verify(reviewsWith({ 'Deployment/reviews-v2': undefined, 'DestinationRule/reviews': rule }, canary)))).toEqual([
      'subset-selects-nothing DestinationRule/shop/reviews spec.subsets[1].labels',
    ]);
  });

  test('fails when a subset narrows the endpoints to workloads scaled to 0 only', () => {
    const rule = istio('DestinationRule', 'reviews', {
      host: 'reviews',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { app: 'reviews', version: 'v2' } }],
    });
    expect(summary(verify(reviewsWith({ ...scaledDownV2, 'DestinationRule/reviews': rule })))).toEqual([
      'route-to-no-replicas VirtualService/shop/reviews spec.http[0].route[1]',
    ]);
  });

  test('fails when the subset is defined by the second of two DestinationRules for the host, and its workload runs 0 replicas', () => {
    const first = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const second = istio('DestinationRule', 'reviews-v2', { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
    expect(summary(verify(reviewsWith({ ...scaledDownV2, 'DestinationRule/reviews': first }, second)))).toEqual([
      'route-to-no-replicas VirtualService/shop/reviews spec.http[0].route[1]',
    ]);
  });

  test('skips the holes of a sparse subsets list, as of any list, and still finds the subset after one', () => {
    const subsets: Obj[] = [];
    subsets[1] = { name: 'v1', labels: { version: 'v1' } };
    subsets[3] = { name: 'v2', labels: { version: 'v2' } };
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets });
    expect(summary(verify(reviewsWith({ ...scaledDownV2, 'DestinationRule/reviews': rule })))).toEqual([
      'route-to-no-replicas VirtualService/shop/reviews spec.http[0].route[1]',
    ]);
  });

  test('passes a workload scaled to 0 that takes no traffic', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [{ route: [route('reviews', 'v1', 100), route('reviews', 'v2', 0)] }] });
    expect(codes(reviewsWith({ ...scaledDownV2, 'VirtualService/reviews': vs }))).toEqual([]);
  });
});

describe('subsets', () => {
  test('fails when a subset is missing from the DestinationRule, or no rule has the host', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [{ route: [route('reviews', 'v3', 50), route('reviews', 'v1', 50)] }] });
    const other = virtualService({ hosts: ['details'], http: [{ route: [route('details', 'v1')] }] }, 'details');
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': vs }, other, service('details', undefined))))).toEqual([
      'subset-not-found VirtualService/shop/details spec.http[0].route[0].destination.subset',
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.subset',
    ]);
  });

  test('resolves the DestinationRule host in the rule\'s own namespace, as Istio does', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }, 'istio-system');
    expect(codes(reviewsWith({ 'DestinationRule/reviews': rule }))).toEqual([
      'destination-rule-host-not-found', 'subset-not-found', 'subset-not-found',
    ]);
  });

  test('leaves the subsets of an external host to its own DestinationRule, unless one in the set lacks them', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [{ route: [route('ratings.other.svc.cluster.local', 'v1')] }] });
    const external = { externalHosts: ['ratings.other.svc.cluster.local'] };
    expect(codes(reviewsWith({ 'VirtualService/reviews': vs }), external)).toEqual([]);
    const rule = istio('DestinationRule', 'ratings', { host: 'ratings.other.svc.cluster.local', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
    expect(codes(reviewsWith({ 'VirtualService/reviews': vs }, rule), external)).toEqual(['subset-not-found']);
  });

  test('accepts subsets from a wildcard DestinationRule', () => {
    const rule = istio('DestinationRule', 'all', {
      host: '*.shop.svc.cluster.local',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    expect(codes(reviewsWith({ 'DestinationRule/reviews': rule }))).toEqual([]);
  });

  test('fails when a subset selects none of the Service\'s pods', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { app: 'v2' } }] });
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': rule })))).toEqual([
      'subset-selects-nothing DestinationRule/shop/reviews spec.subsets[1].labels',
    ]);
  });

  test('fails when a subset\'s labels select more than one workload (a warning)', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews.shop.svc.cluster.local', subsets: [{ name: 'v1', labels: { app: 'reviews' } }, { name: 'v2', labels: { version: 'v2' } }] });
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': rule })))).toEqual([
      'subset-selects-many DestinationRule/shop/reviews spec.subsets[0].labels',
    ]);
  });

  test.each([
    'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone', 'kubernetes.io/hostname',
    'topology.istio.io/cluster', 'topology.istio.io/network',
  ])('accepts a subset by %s, which istiod gives each endpoint from where its pod runs, and judges its other labels', key => {
    const byPlace = (extra: Obj) => istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [
      { name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }, { name: 'near', labels: { [key]: 'a', ...extra } },
    ] });
    // Both versions run in place a, as far as manifests tell: a subset by place groups pods by place, not by version.
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': byPlace({}) })))).toEqual([]);
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': byPlace({ version: 'v1' }) })))).toEqual([]);
    expect(verify(reviewsWith({ 'DestinationRule/reviews': byPlace({ app: 'reviews', version: 'v3' }) })).map(f => `${f.code} ${f.path}: ${f.message}`)).toEqual([
      `unrouted-subset-selects-nothing spec.subsets[2].labels: subset near (${key}=a, app=reviews, version=v3) matches none of the pods behind Service/shop/reviews; `
      + 'no route of the set uses it yet, and one that does will fail with 503; run pods that carry these labels before a route does, or remove the subset; '
      + 'Deployment/shop/reviews-v1 comes closest, but its pods lack version=v3 (they carry app=reviews, version=v1)',
    ]);
  });

  test('fails when a subset by place has an empty value, which istiod never sets (Istio destinationrule-empty-topology-labels.yaml)', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } }, { name: 'nowhere', labels: { 'topology.kubernetes.io/region': '' } }] });
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': rule })))).toEqual([
      'unrouted-subset-selects-nothing DestinationRule/shop/reviews spec.subsets[2].labels',
    ]);
  });

  test('fails on a label that only resembles a placement label, which pods must carry', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } }, { name: 'near', labels: { 'topology.kubernetes.io/regions': 'a' } }] });
    expect(summary(verify(reviewsWith({ 'DestinationRule/reviews': rule })))).toEqual([
      'unrouted-subset-selects-nothing DestinationRule/shop/reviews spec.subsets[2].labels',
    ]);
  });

  test('fails when a DestinationRule host is a partial name', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews.shop' });
    expect(summary(verify([service('reviews', undefined), rule]))).toEqual([
      'host-partially-qualified DestinationRule/shop/reviews spec.host',
    ]);
  });
});

describe('gateways', () => {
  test('fails when a gateway is neither in the set nor external', () => {
    const vs = virtualService({ hosts: ['reviews.example.com'], gateways: ['public', 'istio-system/missing'], http: [{ route: [route('reviews', 'v1')] }] });
    const findings = verify(reviewsWith({ 'VirtualService/reviews': vs }));
    expect(summary(findings)).toEqual([
      'gateway-not-found VirtualService/shop/reviews spec.gateways[0]',
      'gateway-not-found VirtualService/shop/reviews spec.gateways[1]',
    ]);
    expect(findings[0].message).toContain('such as istio-system/public');
    expect(findings[1].message).toBe('gateway istio-system/missing is neither a Gateway in the set nor an external gateway, so no proxy serves '
      + 'these routes; write ns/name of an existing Gateway (a bare name means the VirtualService\'s namespace), or, when istio-system/missing '
      + 'exists outside the set, declare it: --external-gateway istio-system/missing on the command line, '
      + 'RouteCheck.of(chart).addExternalGateway(\'istio-system/missing\') in a chart');
  });

  test.each([
    [['istio-system/public'], {}],
    [['./local'], {}],
    [['public.istio-system.svc.cluster.local'], {}],
    [['ingress/edge'], { externalGateways: ['ingress/edge'] }],
  ])('accepts gateway reference %j', (gateways, options) => {
    const local = istio('Gateway', 'local', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] });
    const vs = virtualService({ hosts: ['reviews.example.com'], gateways, http: [{ route: [route('reviews', 'v1')] }] });
    expect(codes(reviewsWith({ 'VirtualService/reviews': vs }, local), options)).toEqual([]);
  });

  test('fails when a host is admitted by none of the bound gateways\' servers', () => {
    const gateway = istio('Gateway', 'public', { servers: [{ hosts: ['shop/*.example.com'] }, { hosts: ['./reviews.example.org'] }] }, 'istio-system');
    const vs = virtualService({ hosts: ['reviews.example.com', 'reviews.example.org', 'reviews.example.net'], gateways: ['istio-system/public'], http: [{ route: [route('reviews', 'v1')] }] });
    expect(summary(verify(reviewsWith({ 'Gateway/public': gateway, 'VirtualService/reviews': vs })))).toEqual([
      'host-not-on-gateway VirtualService/shop/reviews spec.hosts[1]',
      'host-not-on-gateway VirtualService/shop/reviews spec.hosts[2]',
    ]);
  });

  test('fails when a VirtualService bound to a gateway and the mesh has no host the gateway admits', () => {
    const gateway = istio('Gateway', 'public', { servers: [{ hosts: ['*/shop.example.com'] }] }, 'istio-system');
    const vs = virtualService({ hosts: ['reviews.example.com', 'reviews'], gateways: ['istio-system/public', 'mesh'], http: [{ route: [route('reviews', 'v1')] }] });
    // Istio reports the gateway binding that admits none of the hosts, not each host.
    expect(summary(verify(reviewsWith({ 'Gateway/public': gateway, 'VirtualService/reviews': vs })))).toEqual([
      'host-not-on-gateway VirtualService/shop/reviews spec.gateways[0]',
    ]);
  });

  test('accepts a mesh-only host beside a gateway host on a VirtualService bound to both', () => {
    const gateway = istio('Gateway', 'public', { servers: [{ hosts: ['*/reviews.example.com'] }] }, 'istio-system');
    const vs = virtualService({ hosts: ['reviews.example.com', 'reviews'], gateways: ['istio-system/public', 'mesh'], http: [{ route: [route('reviews', 'v1')] }] });
    expect(codes(reviewsWith({ 'Gateway/public': gateway, 'VirtualService/reviews': vs }))).toEqual([]);
  });

  test('fails when host * is bound to the mesh, explicitly or by default', () => {
    const explicit = virtualService({ hosts: ['*'], gateways: ['mesh'], http: [{ route: [route('reviews', 'v1')] }] });
    const implicit = virtualService({ hosts: ['*'], http: [{ route: [route('reviews.shop.svc.cluster.local', 'v1')] }] }, 'reviews', 'other');
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': explicit }, implicit)))).toEqual([
      'wildcard-host-on-mesh VirtualService/other/reviews spec.hosts[0]',
      'wildcard-host-on-mesh VirtualService/shop/reviews spec.hosts[0]',
    ]);
  });

  test('accepts host * on a gateway-only VirtualService', () => {
    const vs = virtualService({ hosts: ['*'], gateways: ['istio-system/public'], http: [{ route: [route('reviews', 'v1')] }] });
    expect(codes(reviewsWith({ 'VirtualService/reviews': vs }))).toEqual([]);
  });

  test('fails when two VirtualServices claim one host for the mesh, short names qualified first', () => {
    const rival = virtualService({ hosts: ['reviews.shop.svc.cluster.local'], http: [{ route: [route('reviews', 'v1')] }] }, 'reviews-debug');
    expect(summary(verify([...reviews(), rival]))).toEqual([
      'mesh-host-conflict VirtualService/shop/reviews spec.hosts[1]',
      'mesh-host-conflict VirtualService/shop/reviews-debug spec.hosts[0]',
    ]);
  });

  test('fails when two VirtualServices claim one host through one gateway', () => {
    const rival = virtualService({ hosts: ['reviews.example.com'], gateways: ['istio-system/public'], http: [{ route: [route('reviews', 'v2')] }] }, 'reviews-beta');
    expect(summary(verify([...reviews(), rival]))).toEqual([
      'gateway-host-conflict VirtualService/shop/reviews spec.hosts[0]',
      'gateway-host-conflict VirtualService/shop/reviews-beta spec.hosts[0]',
    ]);
  });

  test('accepts one host claimed on different gateways', () => {
    const internal = istio('Gateway', 'internal', { servers: [{ hosts: ['*'] }] });
    const rival = virtualService({ hosts: ['reviews.example.com'], gateways: ['internal'], http: [{ route: [route('reviews', 'v2')] }] }, 'reviews-internal');
    expect(codes([...reviews(), internal, rival])).toEqual([]);
  });
});

describe('weights', () => {
  const split = (...weights: unknown[]) => virtualService({
    hosts: ['reviews'],
    http: [{ route: weights.map((w, i) => route('reviews', `v${i + 1}`, w)) }],
  });

  test.each([[-1], [12.5], ['90'], [2 ** 31]])('fails when a weight is %j', weight => {
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': split(weight, 10) })))).toEqual([
      'weight-invalid VirtualService/shop/reviews spec.http[0].route[0].weight',
    ]);
  });

  test('fails when the weights of a split add up to 0, missing ones included', () => {
    expect(codes(reviewsWith({ 'VirtualService/reviews': split(undefined, 0) }))).toEqual(['weight-sum-zero']);
  });

  test('accepts a single destination whatever its weight, and any positive total on Istio 1.15+', () => {
    expect(codes(reviewsWith({ 'VirtualService/reviews': split(0) }))).toEqual([]);
    expect(codes(reviewsWith({ 'VirtualService/reviews': split(2, 1) }))).toEqual([]);
  });

  test('fails when the total is not 100 and requireWeightSum100 is set', () => {
    expect(codes(reviewsWith({ 'VirtualService/reviews': split(2, 1) }), { requireWeightSum100: true })).toEqual(['weight-sum-not-100']);
    expect(codes(reviews(), { requireWeightSum100: true })).toEqual([]);
  });

  test('fails when a tcp route\'s weights add up to 0', () => {
    const vs = virtualService({ hosts: ['reviews'], tcp: [{ route: [route('reviews', 'v1', 0), route('reviews', 'v2', 0)] }] });
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': vs })))).toEqual([
      'weight-sum-zero VirtualService/shop/reviews spec.tcp[0].route',
    ]);
  });
});

describe('ports and protocols', () => {
  const withPorts = (ports: Obj[]) => reviewsWith({ 'Service/reviews': service('reviews', { app: 'reviews' }, ports) });

  test.each([
    [{ name: 'web', port: 9080 }],
    [{ port: 9080 }],
    [{ name: 'web', appProtocol: 'custom.io/thing', port: 9080 }],
  ])('fails when a routed port has no protocol Istio knows: %j', port => {
    expect(summary(verify(withPorts([port])))).toEqual(['port-protocol-unknown Service/shop/reviews spec.ports[0]']);
  });

  test.each([
    [{ name: 'http', port: 9080 }],
    [{ name: 'http-web', port: 9080 }],
    [{ name: 'HTTP2', port: 9080 }],
    [{ name: 'grpc-web-ui', port: 9080 }],
    [{ name: 'web', appProtocol: 'http', port: 9080 }],
    [{ name: 'web', appProtocol: 'kubernetes.io/h2c', port: 9080 }],
  ])('accepts port %j', port => {
    expect(codes(withPorts([port]))).toEqual([]);
  });

  test.each([
    [{ name: 'tcp-api', port: 9080 }],
    [{ name: 'http', port: 9080, appProtocol: 'tls' }],
    [{ name: 'http', port: 9080, protocol: 'UDP' }],
    [{ port: 3306 }],
  ])('fails when an http rule bound to the mesh is for a host whose one port Istio reads as not http: %j', port => {
    expect(summary(verify(withPorts([port])))).toEqual(['http-route-to-non-http-port VirtualService/shop/reviews spec.http[0]']);
  });

  test('fails when a destination port is not a port of the Service', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', port: { number: 80 } } }] }] });
    expect(summary(verify(reviewsWith({ 'VirtualService/reviews': vs })))).toEqual([
      'destination-port-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.port.number',
    ]);
  });

  test('fails when a gateway routes to a multi-port Service without naming the port', () => {
    const ports = [{ name: 'http', port: 9080 }, { name: 'http-admin', port: 9090 }];
    expect(codes(withPorts(ports))).toEqual(['destination-port-required', 'destination-port-required']);
    const meshOnly = virtualService({ hosts: ['reviews'], http: [{ route: [route('reviews', 'v1')] }] });
    expect(codes(reviewsWith({ 'Service/reviews': service('reviews', { app: 'reviews' }, ports), 'VirtualService/reviews': meshOnly }))).toEqual([]);
  });
});

describe('robustness', () => {
  const junk: unknown[] = [
    null, undefined, 0, 42, 'Service', true, [], [1, 2], {},
    { kind: 5, metadata: 'x' },
    { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', metadata: { name: 'a' }, spec: 'nope' },
    { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', metadata: { name: 'b', namespace: 7 },
      spec: { hosts: [null, 5, '*', {}], gateways: [null, 3, '', './', '/', 'a.'], http: [null, 5, { route: [null, 5, { destination: 'x' }, { destination: { host: 5 } }, { destination: { host: 'x', port: 'p', subset: [] }, weight: {} }], mirror: 5, mirrors: 'x' }], tcp: {}, tls: [{ route: 'x' }] } },
    { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', metadata: { name: 'c' }, spec: { hosts: ['__proto__', 'constructor'], http: [{ route: [{ destination: { host: 'constructor', subset: 'toString' } }] }] } },
    { kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', metadata: { name: 'd' }, spec: { host: ['x'], subsets: 'x' } },
    { kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', metadata: { name: 'e' }, spec: { host: 'svc', subsets: [null, { labels: 'x' }, { name: 5, labels: { a: null, b: {} } }] } },
    { kind: 'Service', apiVersion: 'v1', metadata: { name: 'svc' }, spec: { selector: [1, 2], ports: 'x' } },
    { kind: 'Service', apiVersion: 'v1', metadata: { name: 'svc2' }, spec: { selector: { a: 'b' }, ports: [null, 5, { port: 'x', name: 5, appProtocol: {} }] } },
    { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'w' }, spec: { selector: { matchLabels: 5, matchExpressions: [null, { operator: 'Bad' }, { key: 5, operator: 'In', values: 'x' }] }, template: { metadata: { labels: [1] } } } },
    { kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', metadata: { name: 'r', ownerReferences: 'x' }, spec: { workloadRef: { kind: 'Deployment', name: 'w' } } },
    { kind: 'Gateway', apiVersion: 'networking.istio.io/v1', metadata: { name: 'g' }, spec: { servers: [null, { hosts: 'x' }, { hosts: [5, 'ns/', '/'] }] } },
    { kind: 'List', items: [null, 5, { kind: 'List', items: 'x' }] },
    { kind: 'ServiceEntry', apiVersion: 'networking.istio.io/v1', metadata: { name: 's' }, spec: { hosts: [5, null, 'x'] } },
  ];

  // Junk inside the list is what YAML may hold: findings, never a throw. What no manifest set
  // could be (a list that is no list, options of the wrong type) is refused: see static-api.test.ts.
  test('never throws on junk manifests, and reports only known codes', () => {
    for (const options of [undefined, {}, { externalHosts: ['*'], externalGateways: ['a/b'], requireWeightSum100: true, defaultNamespace: 'shop' }]) {
      expect(verify(junk, options).length).toBeGreaterThan(0);
    }
    for (const entry of junk) verify([entry]);
  });

  test('never throws on random manifests built from Istio field names', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 300; i++) {
      const objects = Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomManifest(random));
      verify(objects, { requireWeightSum100: random() < 0.5 });
    }
  });
});

const KINDS = [
  ['v1', 'Service'], ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['argoproj.io/v1alpha1', 'Rollout'],
  ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1beta1', 'DestinationRule'],
  ['networking.istio.io/v1alpha3', 'Gateway'], ['networking.istio.io/v1', 'ServiceEntry'],
];
const FIELDS = ['hosts', 'gateways', 'http', 'tcp', 'tls', 'route', 'destination', 'host', 'subset', 'subsets', 'weight', 'port',
  'number', 'name', 'labels', 'selector', 'matchLabels', 'matchExpressions', 'ports', 'template', 'metadata', 'servers',
  'mirror', 'mirrors', 'appProtocol', 'key', 'operator', 'values', 'ownerReferences', 'items', 'kind'];
const VALUES = [null, 0, -1, 1.5, 90, 100, '', '*', 'mesh', 'reviews', 'reviews.shop', 'a/b', './b', 'In', 'Exists', 'http-x', true];

function randomManifest(random: () => number): unknown {
  const [apiVersion, kind] = KINDS[Math.floor(random() * KINDS.length)];
  return { apiVersion, kind, metadata: { name: pick(random, ['reviews', 'a', 'b']), namespace: pick(random, ['shop', undefined]) }, spec: randomValue(random, 4) };
}

function randomValue(random: () => number, depth: number): unknown {
  const roll = random();
  if (depth === 0 || roll < 0.3) return pick(random, VALUES);
  if (roll < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 4) }, () => [pick(random, FIELDS), randomValue(random, depth - 1)]));
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

/** A seeded generator, so a failing case can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
