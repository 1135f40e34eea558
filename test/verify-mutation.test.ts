import { Finding, StageFinding, VerifyOptions, verifyManifests, verifyProgression } from '../src/verify';
import { objectName } from '../src/verify/graph';
import { settingsFrom } from '../src/verify/settings';

/**
 * The exact behaviour of the core of verify: how untrusted fields are read, how the input is
 * indexed, how selectors match, and the findings of weights, workloads, DestinationRules, replicas
 * and progressions, each asserted whole (code, severity, object, path, message, Istio code), so
 * that `npm run mutation` finds no change to a condition, string or boundary that goes unnoticed.
 */

type Obj = Record<string, any>;

function deployment(name: string, labels: Obj, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {} }, ...extra },
  };
}

/** A workload of another kind or API version, with the same selector and pod template. */
function workload(apiVersion: string, kind: string, name: string, labels: Obj, extra: Obj = {}): Obj {
  return { ...deployment(name, labels, extra), apiVersion, kind };
}

function service(name: string, selector: unknown): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector, ports: [{ name: 'http', port: 9080 }] } };
}

function istio(kind: string, name: string, spec: Obj, namespace = 'shop'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace }, spec };
}

function entry(host: string, subset?: string, weight?: unknown): Obj {
  return weight === undefined ? { destination: { host, subset } } : { destination: { host, subset }, weight };
}

/** A mesh-only VirtualService for `reviews` whose one http rule routes to `entries`. */
function routes(...entries: Obj[]): Obj {
  return istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: entries }] });
}

function subsets(host: string, ...versions: string[]): Obj {
  return istio('DestinationRule', 'reviews', { host, subsets: versions.map(v => ({ name: v, labels: { version: v } })) });
}

const V1 = { app: 'reviews', version: 'v1' };
const V2 = { app: 'reviews', version: 'v2' };

/** reviews v1 and v2 behind one Service, split 90/10 in the mesh: no findings. */
function reviews(): Obj[] {
  return [
    deployment('reviews-v1', V1),
    deployment('reviews-v2', V2),
    service('reviews', { app: 'reviews' }),
    subsets('reviews', 'v1', 'v2'),
    routes(entry('reviews', 'v1', 90), entry('reviews', 'v2', 10)),
  ];
}

/** The reviews set with the objects of the same kind and name as `replacements` replaced, and `added` added. */
function reviewsWith(replacements: Obj[], ...added: Obj[]): Obj[] {
  const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
  const replaced = new Map(replacements.map(o => [key(o), o]));
  return [...reviews().map(o => replaced.get(key(o)) ?? o), ...added];
}

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  return verifyManifests(objects, options);
}

function codes(objects: unknown[], options?: VerifyOptions): string[] {
  return verify(objects, options).map(f => f.code);
}

function brief(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

describe('reading untrusted fields', () => {
  test('the reviews baseline is clean', () => {
    expect(verify(reviews())).toStrictEqual([]);
  });

  test('fails when metadata.name is empty, which names nothing', () => {
    expect(verify([{ apiVersion: 'v1', kind: 'Service', metadata: { name: '' } }])).toStrictEqual([{
      code: 'object-unidentified',
      severity: 'warning',
      object: 'Service/default/#0',
      path: 'metadata.name',
      message: 'entry #0 has no metadata.name, so nothing can refer to it; name it',
    }]);
  });

  test('puts an object whose namespace is empty in the default namespace', () => {
    const orders = { ...service('orders', { app: 'orders' }), metadata: { name: 'orders', namespace: '' } };
    expect(brief(verify([orders], { defaultNamespace: 'team' }))).toStrictEqual(['service-selects-nothing Service/team/orders spec.selector']);
  });

  test('reads only the fields a manifest holds itself, as JSON has them, not inherited ones', () => {
    const inherited = Object.assign(Object.create({ kind: 'Service', apiVersion: 'v1' }), { metadata: { name: 'reviews' } });
    expect(brief(verify([inherited]))).toStrictEqual(['object-unidentified Unknown/default/#0 kind']);
  });

  test('compares labels written as YAML numbers and booleans in their string form', () => {
    const labels = { app: 'db', generation: 2, canary: true };
    expect(verify([deployment('db', labels), service('db', { app: 'db', generation: '2', canary: 'true' })])).toStrictEqual([]);
    expect(verify([deployment('db', { app: 'db', generation: '2', canary: 'true' }), service('db', labels)])).toStrictEqual([]);
  });

  test('fails when a selector asks for a label that the pods hold without a value, which is no label', () => {
    const pods = deployment('db', { app: 'db', tier: null, zone: { name: 'a' } });
    expect(verify([pods, service('db', { app: 'db', tier: 'null' })])).toStrictEqual([{
      code: 'service-selects-nothing',
      severity: 'error',
      object: 'Service/shop/db',
      path: 'spec.selector',
      message: 'selector app=db, tier=null matches the pod template of no workload in namespace shop, so the service has no endpoints; '
        + 'change it to labels the pods carry; Deployment/shop/db comes closest, but its pods lack tier=null (they carry app=db)',
    }]);
  });

  test.each([['a string', 'app=reviews'], ['a list', ['app=reviews']], ['a number', 5]])('takes a selector that is %s as no selector', (_, selector) => {
    expect(verify([service('orders', selector)])).toStrictEqual([]);
  });

  test.each([
    ['a string', '90', '"90"'],
    ['an object', { percent: 90 }, '{"percent":90}'],
    ['a string of 38 characters, which is shown whole', 'x'.repeat(38), `"${'x'.repeat(38)}"`],
    ['a string of 39 characters, which is cut', 'x'.repeat(39), `"${'x'.repeat(36)}...`],
  ])('quotes a wrong weight that is %s as JSON, cut after 37 characters', (_, weight, shown) => {
    expect(verify(reviewsWith([routes(entry('reviews', 'v1', weight), entry('reviews', 'v2', 10))]))).toStrictEqual([{
      code: 'weight-invalid',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route[0].weight',
      message: `weight ${shown} is not a whole number from 0 to 2147483647, which Istio rejects; use an integer such as 90`,
      istioCode: 'IST0106',
    }]);
  });
});

describe('objects', () => {
  test('fails when an object is declared three times, naming every entry', () => {
    const copy = service('reviews', { app: 'reviews' });
    expect(verify([copy, deployment('reviews-v1', V1), copy, copy])).toStrictEqual([{
      code: 'duplicate-object',
      severity: 'error',
      object: 'Service/shop/reviews',
      path: 'metadata.name',
      message: 'this object appears 3 times (entries #0, #2, #3); each apply overwrites the one before, so the cluster keeps the last, '
        + 'which is the one the checks read; keep one, or rename the others',
    }]);
  });

  test.each([
    ['a string', 'text', 'a string'],
    ['a number', 5, 'a number'],
    ['a boolean', true, 'a boolean'],
    ['a list', [1], 'an array'],
  ])('fails when an entry is %s', (_, value, described) => {
    expect(verify([value])).toStrictEqual([{
      code: 'object-unidentified',
      severity: 'warning',
      object: 'Unknown/default/#0',
      path: '',
      message: `entry #0 is ${described}, not an object; remove it or fix the YAML around it`,
    }]);
  });

  test('fails when an entry has no kind, or a kind and no name, saying what to add', () => {
    expect(verify([{ metadata: { name: 'reviews' } }, { kind: 'Service', metadata: { namespace: 'shop' } }], { defaultNamespace: 'team' })).toStrictEqual([
      {
        code: 'object-unidentified',
        severity: 'warning',
        object: 'Service/team/#1',
        path: 'metadata.name',
        message: 'entry #1 has no metadata.name, so nothing can refer to it; name it',
      },
      {
        code: 'object-unidentified',
        severity: 'warning',
        object: 'Unknown/team/#0',
        path: 'kind',
        message: 'entry #0 has no kind, so it is not checked; set apiVersion and kind',
      },
    ]);
  });

  test('names an entry as findings name objects, for callers that map findings back to files and constructs', () => {
    expect(objectName({ kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' } }, 3, 'team')).toBe('Service/shop/reviews');
    expect(objectName({ kind: 'Service', metadata: { name: 'reviews' } }, 3, 'team')).toBe('Service/team/reviews');
    expect(objectName({ kind: 'Service', metadata: { namespace: 'shop' } }, 3, 'team')).toBe('Service/team/#3');
    expect(objectName(null, 3, 'team')).toBe('Unknown/team/#3');
  });

  test('spreads the items of a typed list, such as a DeploymentList', () => {
    const list = { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [deployment('reviews-v1', V1), deployment('reviews-v2', V2)] };
    expect(verify([list, ...reviews().filter(o => o.kind !== 'Deployment')])).toStrictEqual([]);
  });

  test('takes a List whose items are no list as an object, and leaves an object with items that is no List whole', () => {
    const broken = { apiVersion: 'v1', kind: 'List', items: 'none' };
    const holder = { ...service('orders', undefined), items: ['not an object'] };
    expect(brief(verify([broken, holder]))).toStrictEqual(['object-unidentified List/default/#0 metadata.name']);
  });

  test('takes a Service of another API group (Knative) for no Kubernetes Service', () => {
    const knative = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: {} };
    const set = reviews().filter(o => o.kind !== 'Service');
    expect(brief(verify([...set, knative]))).toContain('destination-host-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.host');
  });

  test('takes Istio kinds of another API group for no Istio objects, and core objects of another kind for no Service', () => {
    const foreign = { ...routes(entry('ratings', 'v1')), apiVersion: 'networking.example.com/v1' };
    const foreignRule = { ...subsets('ratings', 'v1'), apiVersion: 'networking.example.com/v1' };
    expect(verify([foreign, foreignRule])).toStrictEqual([]);
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reviews', namespace: 'shop' }, data: {} };
    expect(brief(verify([...reviews().filter(o => o.kind !== 'Service'), config]))).toStrictEqual([
      'destination-rule-host-not-found DestinationRule/shop/reviews spec.host',
      'destination-host-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.host',
      'destination-host-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.host',
    ]);
  });

  test('checks the last of two Services of one name against the subsets, as the apply order leaves it', () => {
    const narrower = service('reviews', { app: 'reviews', version: 'v1' });
    expect(codes([...reviews(), narrower])).toStrictEqual(['subset-selects-nothing', 'duplicate-object']);
    const [first] = reviews().filter(o => o.kind === 'Service');
    expect(codes([...reviews().filter(o => o.kind !== 'Service'), narrower, first])).toStrictEqual(['duplicate-object']);
  });
});

describe('workloads', () => {
  test.each([
    ['apps/v1', 'ReplicaSet'],
    ['extensions/v1beta1', 'DaemonSet'],
    ['extensions/v1beta1', 'ReplicaSet'],
    ['apps/v1', 'StatefulSet'],
  ])('takes a %s %s without owner as the pods of a Service', (apiVersion, kind) => {
    const v2 = workload(apiVersion, kind, 'reviews-v2', V2);
    expect(verify(reviewsWith([], v2).filter(o => o.metadata.name !== 'reviews-v2' || o.kind === kind))).toStrictEqual([]);
  });

  test('takes a Deployment that another object owns as a workload', () => {
    const owned = deployment('reviews-v2', V2);
    owned.metadata.ownerReferences = [{ apiVersion: 'example.com/v1', kind: 'App', name: 'reviews' }];
    expect(verify(reviewsWith([owned]))).toStrictEqual([]);
  });

  test('takes no other kind of object as pods', () => {
    const job = workload('batch/v1', 'Job', 'reviews-v2', V2);
    expect(brief(verify(reviewsWith([], job).filter(o => o.kind !== 'Deployment' || o.metadata.name !== 'reviews-v2')))).toStrictEqual([
      'subset-selects-nothing DestinationRule/shop/reviews spec.subsets[1].labels',
    ]);
  });

  test('fails when an apps/v1 workload has no selector, naming its pod template labels, or "no labels"', () => {
    const bare = deployment('reviews-v1', V1);
    delete bare.spec.selector;
    const unlabelled = workload('apps/v1', 'StatefulSet', 'cache', {}, { selector: { matchLabels: {} } });
    expect(verify([bare, unlabelled])).toStrictEqual([
      {
        code: 'workload-selector-missing',
        severity: 'error',
        object: 'Deployment/shop/reviews-v1',
        path: 'spec.selector',
        message: 'apps/v1 Deployment needs a non-empty spec.selector: without one, the API server rejects it; '
          + 'select the pod template\'s labels (app=reviews, version=v1)',
      },
      {
        code: 'workload-selector-missing',
        severity: 'error',
        object: 'StatefulSet/shop/cache',
        path: 'spec.selector',
        message: 'apps/v1 StatefulSet needs a non-empty spec.selector: without one, the API server rejects it; '
          + 'select the pod template\'s labels (no labels)',
      },
    ]);
  });

  test('accepts a missing selector where apps/v1beta1 defaulted it', () => {
    const legacy = workload('apps/v1beta1', 'Deployment', 'reviews-v1', V1);
    delete legacy.spec.selector;
    expect(verify(reviewsWith([legacy]))).toStrictEqual([]);
  });

  test('accepts a selector of matchExpressions alone', () => {
    const v2 = deployment('reviews-v2', V2, { selector: { matchExpressions: [{ key: 'version', operator: 'In', values: ['v2'] }] } });
    expect(verify(reviewsWith([v2]))).toStrictEqual([]);
  });

  test.each([
    ['a matchLabels entry does not hold', { matchLabels: V1 }],
    ['one of two expressions does not hold', { matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'version', operator: 'NotIn', values: ['v2'] }] }],
    ['an operator is none the API server knows', { matchExpressions: [{ key: 'version', operator: 'Matches', values: ['v2'] }] }],
    ['an expression has no operator', { matchExpressions: [{ key: 'version', values: ['v2'] }] }],
    ['an expression has no key', { matchExpressions: [{ operator: 'DoesNotExist' }] }],
    ['a label In the values is missing', { matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }] }],
    ['a label that must exist is missing', { matchExpressions: [{ key: 'track', operator: 'Exists' }] }],
    ['a label that must not exist exists', { matchExpressions: [{ key: 'version', operator: 'DoesNotExist' }] }],
  ])('fails when %s', (_, selector) => {
    const v2 = deployment('reviews-v2', V2, { selector: { matchLabels: { app: 'reviews' }, ...selector } });
    expect(verify(reviewsWith([v2]))).toStrictEqual([{
      code: 'workload-selector-mismatch',
      severity: 'error',
      object: 'Deployment/shop/reviews-v2',
      path: 'spec.selector',
      message: 'spec.selector does not match the pod template labels (app=reviews, version=v2), so the API server rejects it; '
        + 'make every matchLabels entry and matchExpression hold for spec.template.metadata.labels',
    }]);
  });

  test('accepts NotIn on a label the pods do not carry', () => {
    const v2 = deployment('reviews-v2', V2, { selector: { matchLabels: V2, matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] } });
    expect(verify(reviewsWith([v2]))).toStrictEqual([]);
  });

  test('takes a bare Pod as a workload that needs no selector', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reviews-v2', namespace: 'shop', labels: V2 }, spec: {} };
    expect(verify(reviewsWith([], pod).filter(o => o.kind !== 'Deployment' || o.metadata.name !== 'reviews-v2'))).toStrictEqual([]);
  });
});

describe('services', () => {
  test('fails when a Service selects pods that carry some of its labels but not all', () => {
    expect(verify(reviewsWith([service('reviews', { app: 'reviews', version: 'v3' })]))).toStrictEqual([{
      code: 'service-selects-nothing',
      severity: 'error',
      object: 'Service/shop/reviews',
      path: 'spec.selector',
      message: 'selector app=reviews, version=v3 matches the pod template of no workload in namespace shop, so the service has no endpoints; '
        + 'change it to labels the pods carry; Deployment/shop/reviews-v1 comes closest, but its pods lack version=v3 (they carry app=reviews, version=v1)',
    }]);
  });

  test('names the closest pods: the first of equally close ones, a closer later one, none that shares no label', () => {
    const orders = (selector: Obj, ...pods: Obj[]) => verify([service('orders', selector), ...pods]).map(f => f.message.slice(f.message.indexOf('carry') + 5));
    const a = deployment('a', { app: 'orders', tier: 'web' });
    const b = deployment('b', { app: 'orders', tier: 'api' });
    const c = deployment('c', { app: 'orders', tier: 'db', zone: 'x' });
    expect(orders({ app: 'orders', tier: 'db', zone: 'y' }, a, b, c)).toStrictEqual([
      '; Deployment/shop/c comes closest, but its pods lack zone=y (they carry app=orders, tier=db, zone=x)',
    ]);
    expect(orders({ app: 'orders', tier: 'db' }, a, b)).toStrictEqual([
      '; Deployment/shop/a comes closest, but its pods lack tier=db (they carry app=orders, tier=web)',
    ]);
    expect(orders({ app: 'orders' }, deployment('d', { app: 'billing' }))).toStrictEqual([
      '',
    ]);
  });

  test('fails when the pods that carry the rarest label of a selector lack another', () => {
    const pods = [deployment('a', { app: 'orders', tier: 'api' }), deployment('b', { app: 'orders', tier: 'db' }), deployment('c', { app: 'billing', tier: 'web' })];
    expect(brief(verify([service('orders', { app: 'orders', tier: 'web' }), ...pods]))).toStrictEqual([
      'service-selects-nothing Service/shop/orders spec.selector',
    ]);
  });

  test('passes over workloads without a pod template when naming the closest pods', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'orders', namespace: 'shop' }, spec: { workloadRef: { name: 'orders' } } };
    expect(verify([rollout, service('orders', { app: 'orders' })]).map(f => f.message)).toStrictEqual([
      'selector app=orders matches the pod template of no workload in namespace shop, so the service has no endpoints; change it to labels the pods carry',
    ]);
  });
});

describe('weights', () => {
  test('accepts the largest weight Istio takes, 2^31-1', () => {
    expect(verify(reviewsWith([routes(entry('reviews', 'v1', 2 ** 31 - 1), entry('reviews', 'v2', 0))]))).toStrictEqual([]);
  });

  test('fails when the weights of three destinations add up to 0, a missing one counting as 0', () => {
    const vs = routes(entry('reviews', 'v1', 0), entry('reviews', 'v2'), entry('reviews', 'v1', 0));
    expect(verify(reviewsWith([vs]))).toStrictEqual([{
      code: 'weight-sum-zero',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route',
      message: 'the 3 destinations have weights adding up to 0 (a missing weight counts as 0), which Istio rejects; '
        + 'give the destinations that should take traffic positive weights',
      istioCode: 'IST0106',
    }]);
  });

  test('fails when the total is not 100 and requireWeightSum100 is set, saying the total', () => {
    expect(verify(reviewsWith([routes(entry('reviews', 'v1', 60), entry('reviews', 'v2', 30))]), { requireWeightSum100: true })).toStrictEqual([{
      code: 'weight-sum-not-100',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route',
      message: 'the weights add up to 90, and Istio before 1.15 rejects any total but 100; scale them to add up to 100',
    }]);
  });

  test('does not add up the weights of a split with an invalid weight', () => {
    expect(codes(reviewsWith([routes(entry('reviews', 'v1', -100), entry('reviews', 'v2', 100))]), { requireWeightSum100: true })).toStrictEqual(['weight-invalid']);
  });
});

describe('destination rules', () => {
  test('fails when a rule names no Service, with Istio\'s code', () => {
    expect(verify([subsets('ratings', 'v1')])).toStrictEqual([{
      code: 'destination-rule-host-not-found',
      severity: 'warning',
      object: 'DestinationRule/shop/reviews',
      path: 'spec.host',
      message: 'host ratings resolves to ratings.shop.svc.cluster.local, which is not a Service in the set, so this rule applies to nothing; '
        + 'name an existing service (short names resolve in the rule\'s own namespace) or add the service',
      istioCode: 'IST0174',
    }]);
  });

  test.each([
    ['a wildcard host', '*.example.com', {}, []],
    ['a host of a ServiceEntry', 'api.example.com', {}, [istio('ServiceEntry', 'api', { hosts: ['api.example.com'] })]],
    ['an external host', 'api.example.com', { externalHosts: ['api.example.com'] }, []],
  ])('accepts a rule for %s', (_, host, options, added) => {
    expect(verify([subsets(host, 'v1'), ...added], options)).toStrictEqual([]);
  });

  test('ignores a rule without host', () => {
    expect(verify([istio('DestinationRule', 'nothing', { subsets: [{ name: 'v1', labels: { version: 'v1' } }] })])).toStrictEqual([]);
  });

  test('fails when a subset selects none of the Service\'s pods, naming the closest, with Istio\'s code', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v3', labels: { app: 'reviews', version: 'v3' } }] });
    const closest = 'Deployment/shop/reviews-v1 comes closest, but its pods lack version=v3 (they carry app=reviews, version=v1)';
    expect(verify(reviewsWith([rule, routes(entry('reviews', 'v1', 90), entry('reviews', 'v3', 10))]))).toStrictEqual([{
      code: 'subset-selects-nothing',
      severity: 'error',
      object: 'DestinationRule/shop/reviews',
      path: 'spec.subsets[1].labels',
      message: 'subset v3 (app=reviews, version=v3) matches none of the pods behind Service/shop/reviews, so traffic to it fails with 503; '
        + `use labels that one version's pod template carries; ${closest}`,
      istioCode: 'IST0173',
    }]);
    // Where no route uses the subset yet, nothing fails until one does.
    expect(verify(reviewsWith([rule, routes(entry('reviews', 'v1'))]))).toStrictEqual([{
      code: 'unrouted-subset-selects-nothing',
      severity: 'warning',
      object: 'DestinationRule/shop/reviews',
      path: 'spec.subsets[1].labels',
      message: 'subset v3 (app=reviews, version=v3) matches none of the pods behind Service/shop/reviews; no route of the set uses it yet, and one that does '
        + `will fail with 503; run pods that carry these labels before a route does, or remove the subset; ${closest}`,
      istioCode: 'IST0173',
    }]);
  });

  test('names a subset without name by its place', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { labels: { version: 'v3' } }] });
    expect(verify(reviewsWith([rule, routes(entry('reviews', 'v1'))])).map(f => f.message.split(';')[0])).toStrictEqual([
      'subset #1 (version=v3) matches none of the pods behind Service/shop/reviews']);
  });

  test('reads a subset as routed by its name and its rule\'s host, resolved, and one without name as never routed', () => {
    const rule = (subset: Obj, host = 'reviews') => istio('DestinationRule', 'reviews', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }, subset] });
    const nothing = (objects: Obj[]) => codes(objects).filter(code => code.endsWith('subset-selects-nothing'));
    const v3 = { name: 'v3', labels: { version: 'v3' } };
    expect(nothing(reviewsWith([rule(v3, 'reviews.shop.svc.cluster.local'), routes(entry('reviews', 'v1', 90), entry('reviews', 'v3', 10))]))).toStrictEqual(['subset-selects-nothing']);
    // A route to subset v3 of another host, or to no subset, leaves it unrouted.
    expect(nothing(reviewsWith([rule(v3), routes(entry('reviews', 'v1', 90), entry('ratings', 'v3', 10))]))).toStrictEqual(['unrouted-subset-selects-nothing']);
    expect(nothing(reviewsWith([rule({ labels: { version: 'v3' } }), routes(entry('reviews', 'v1'))]))).toStrictEqual(['unrouted-subset-selects-nothing']);
    // A mirror uses the subset too.
    const mirrored = istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: [entry('reviews', 'v1')], mirror: { host: 'reviews', subset: 'v3' } }] });
    expect(nothing(reviewsWith([rule(v3), mirrored]))).toStrictEqual(['subset-selects-nothing']);
  });

  test('fails when a subset selects the pods of several workloads, naming them', () => {
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'all', labels: {} }] });
    expect(verify(reviewsWith([rule, routes(entry('reviews', 'all'))]))).toStrictEqual([{
      code: 'subset-selects-many',
      severity: 'warning',
      object: 'DestinationRule/shop/reviews',
      path: 'spec.subsets[0].labels',
      message: 'subset all (no labels) matches the pods of Deployment/shop/reviews-v1, Deployment/shop/reviews-v2, so its weight mixes versions; '
        + 'add a label, such as version, that only one of them carries',
    }]);
  });

  test('leaves the subsets of a Service without selector, or one that selects nothing, alone', () => {
    const v3 = subsets('reviews', 'v1', 'v2', 'v3');
    expect(codes(reviewsWith([v3, service('reviews', undefined)]))).toStrictEqual([]);
    expect(codes(reviewsWith([v3, service('reviews', { app: 'ratings' })]))).toStrictEqual(['service-selects-nothing']);
  });

  test('takes the subsets of the most specific wildcard rule, down to host *', () => {
    const rule = (name: string, host: string, ...versions: string[]) => ({ ...subsets(host, ...versions), metadata: { name, namespace: 'shop' } });
    const set = reviews().filter(o => o.kind !== 'DestinationRule');
    const broad = rule('broad', '*.svc.cluster.local', 'v1');
    const narrow = rule('narrow', '*.shop.svc.cluster.local', 'v1', 'v2');
    expect(verify([...set, broad, narrow])).toStrictEqual([]);
    // The broader rule defines v2, but the proxies of shop take the narrower one.
    expect(brief(verify([...set, rule('narrow', '*.shop.svc.cluster.local', 'v1'), rule('broad', '*.svc.cluster.local', 'v1', 'v2')]))).toStrictEqual([
      'destination-rule-shadowed VirtualService/shop/reviews spec.http[0].route[1].destination.subset',
    ]);
    expect(brief(verify([...set, rule('narrow', '*.shop.svc.cluster.local', 'v1'), rule('broad', '*.svc.cluster.local', 'v1')]))).toStrictEqual([
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.subset',
    ]);
    expect(verify([...set, rule('all', '*', 'v1', 'v2')])).toStrictEqual([]);
    // A wildcard that is not `*` before a dot covers no host, as in Istio.
    expect(brief(verify([...set, rule('partial', '*reviews', 'v1', 'v2')]))).toStrictEqual([
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.subset',
      'subset-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.subset',
    ]);
  });
});

describe('replicas', () => {
  const scaledDown = (name: string, labels: Obj) => deployment(name, labels, { replicas: 0 });

  test('fails when a lone destination without weight takes all traffic to a workload scaled to 0', () => {
    expect(verify(reviewsWith([scaledDown('reviews-v1', V1), routes(entry('reviews', 'v1'))]))).toStrictEqual([{
      code: 'route-to-no-replicas',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route[0]',
      message: '100% goes to Deployment/shop/reviews-v1, which runs 0 replicas, so that share fails with 503; scale the workload up first, then route to it',
    }]);
  });

  test('fails when a share without subset goes to a Service whose workloads all run 0 replicas, naming them', () => {
    const set = reviewsWith([scaledDown('reviews-v1', V1), scaledDown('reviews-v2', V2), routes(entry('reviews', undefined, 100))]);
    expect(verify(set).map(f => f.message)).toStrictEqual([
      '100% goes to Deployment/shop/reviews-v1, Deployment/shop/reviews-v2, which run 0 replicas, so that share fails with 503; '
      + 'scale the workload up first, then route to it',
    ]);
  });

  test('accepts a share that some running workload takes, or that reaches no workload of the set', () => {
    expect(codes(reviewsWith([scaledDown('reviews-v1', V1), routes(entry('reviews'))]))).toStrictEqual([]);
    expect(codes(reviewsWith([scaledDown('reviews-v1', V1), service('reviews', undefined)]))).toStrictEqual([]);
    const allDown = [scaledDown('reviews-v1', V1), scaledDown('reviews-v2', V2)];
    expect(codes(reviewsWith([...allDown, routes(entry('reviews', 'v3'))]))).toStrictEqual(['subset-not-found']);
  });

  test('counts a destination without weight beside others as taking no traffic', () => {
    expect(codes(reviewsWith([scaledDown('reviews-v2', V2), routes(entry('reviews', 'v1', 100), entry('reviews', 'v2'))]))).toStrictEqual([]);
  });
});

describe('routes', () => {
  const vs = (spec: Obj) => istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: [entry('reviews', 'v1', 90), entry('reviews', 'v2', 10)] }], ...spec });

  test('passes over gateways and hosts that are empty or no string, rather than taking them for names', () => {
    expect(verify(reviewsWith([vs({ gateways: ['', 5, 'mesh'] })]))).toStrictEqual([]);
    expect(verify(reviewsWith([vs({ hosts: ['', 7, 'reviews'] })]))).toStrictEqual([]);
  });

  test('reads a mirror on http rules only: a tcp rule has none', () => {
    const tcp = { match: [{ port: 9080 }], route: [entry('reviews', 'v1', 100)], mirror: { host: 'nowhere' }, mirrors: [{ destination: { host: 'nowhere' } }] };
    expect(verify(reviewsWith([vs({ tcp: [tcp] })]))).toStrictEqual([]);
  });
});

describe('settings', () => {
  test('drop what is no string from the option lists, and default the rest', () => {
    const given = { externalHosts: ['api.example.com', 5], externalGateways: [null, 'istio-system/public'], requireWeightSum100: 'yes' };
    const settings = settingsFrom(given as unknown as VerifyOptions);
    expect(settings.externalHosts).toStrictEqual(['api.example.com']);
    expect([...settings.externalGateways]).toStrictEqual(['istio-system/public']);
    expect(settings.requireWeightSum100).toBe(false);
    expect(settings.defaultNamespace).toBe('default');
    expect(settingsFrom({ externalHosts: 'api.example.com' } as unknown as VerifyOptions).externalHosts).toStrictEqual([]);
    const workloads = (externalGatewayWorkloads: unknown) => settingsFrom({ externalGatewayWorkloads } as VerifyOptions).externalGatewayWorkloads
      .map(w => [w.namespace, ...w.labels]);
    expect(workloads(undefined)).toStrictEqual([
      [undefined, ['app', 'istio-ingressgateway'], ['istio', 'ingressgateway']],
      [undefined, ['app', 'istio-egressgateway'], ['istio', 'egressgateway']],
    ]);
    expect(workloads(['app=edge,tier=web', 'no-value', 5, 'a=1,a=2', 'edge:app=edge', 'Edge:app=edge', ':app=edge', 'edge:']))
      .toStrictEqual([[undefined, ['app', 'edge'], ['tier', 'web']], ['edge', ['app', 'edge']]]);
  });

  test('takes an external gateway workload whose label key is one letter, the "=" second', () => {
    const edge = istio('Gateway', 'edge', { selector: { x: 'edge' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] });
    expect(verify([edge], { externalGatewayWorkloads: ['x=edge'] })).toStrictEqual([]);
    expect(codes([edge], { externalGatewayWorkloads: ['x=gate'] })).toStrictEqual(['gateway-selects-nothing']);
  });
});

describe('progression', () => {
  const step = (...objects: Obj[]) => objects;
  const progression = (...stages: Obj[][]): StageFinding[] => verifyProgression(stages);
  const stable = () => reviewsWith([routes(entry('reviews', 'v1', 100), entry('reviews', 'v2', 0))]);

  test('fails when a step routes to pods that did not run before, with the step and the share', () => {
    const scaled = reviewsWith([deployment('reviews-v2', V2, { replicas: 0 }), routes(entry('reviews', 'v1', 100), entry('reviews', 'v2', 0))]);
    expect(progression(scaled, reviews())).toStrictEqual([{
      code: 'route-before-pods',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route[1]',
      message: '10% goes to Deployment/shop/reviews-v2, which ran no pods in the previous step (it was new or scaled to 0), so requests fail '
        + 'until its pods are ready; run its pods at weight 0 in one step and route to it in the next',
      stage: 1,
    }]);
  });

  test('accepts routing to pods that ran, at weight 0, in the step before', () => {
    expect(progression(stable(), reviews())).toStrictEqual([]);
  });

  test('fails when a subset that took traffic is gone in the next step', () => {
    const v1Only = reviewsWith([subsets('reviews', 'v1'), routes(entry('reviews', 'v1', 100))]);
    expect(progression(reviews(), v1Only)).toStrictEqual([{
      code: 'subset-removed-while-routed',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      path: 'spec.http[0].route[1]',
      message: 'subset v2 of reviews.shop.svc.cluster.local took 10% in the previous step and is gone in this one, so that share fails with 503 '
        + 'until the new routes arrive; route 0% to it in one step and remove it in the next',
      stage: 1,
    }]);
  });

  test('accepts removing a subset that took no traffic, or a route that named no subset', () => {
    const v1Only = reviewsWith([subsets('reviews', 'v1'), routes(entry('reviews', 'v1', 100))]);
    expect(progression(stable(), v1Only)).toStrictEqual([]);
    const bySubset = reviewsWith([routes(entry('reviews', undefined, 100))]);
    expect(progression(bySubset, step(...bySubset.filter(o => o.kind !== 'DestinationRule')))).toStrictEqual([]);
  });

  test('fails when an object is renamed but stays the same, naming both names', () => {
    const renamed = { ...subsets('reviews', 'v1', 'v2'), metadata: { name: 'reviews-subsets', namespace: 'shop' } };
    expect(progression(reviews(), [...reviews().filter(o => o.kind !== 'DestinationRule'), renamed])).toStrictEqual([{
      code: 'object-renamed',
      severity: 'error',
      object: 'DestinationRule/shop/reviews-subsets',
      path: 'metadata.name',
      message: 'DestinationRule reviews of the previous step is named reviews-subsets in this one; a rename deletes and recreates the object, '
        + 'which drops its traffic or restarts its pods; keep the name reviews',
      stage: 1,
    }]);
  });

  test('knows a renamed Service by its selector', () => {
    const renamed = { ...service('reviews-api', { app: 'reviews' }) };
    expect(brief(progression(reviews(), [...reviews().filter(o => o.kind !== 'Service'), renamed]))).toStrictEqual([
      'destination-rule-host-not-found DestinationRule/shop/reviews spec.host',
      'destination-host-not-found VirtualService/shop/reviews spec.http[0].route[0].destination.host',
      'destination-host-not-found VirtualService/shop/reviews spec.http[0].route[1].destination.host',
      'object-renamed Service/shop/reviews-api metadata.name',
    ]);
  });

  test('knows a renamed workload by its pod labels in any order, and a VirtualService by its hosts in any order', () => {
    const v1 = deployment('reviews-v1', { version: 'v1', app: 'reviews' });
    const before = reviewsWith([istio('VirtualService', 'reviews', { hosts: ['reviews', 'reviews.example.com'], http: [{ route: [entry('reviews', 'v1', 100)] }] })]);
    const after = [
      ...before.filter(o => o.metadata.name !== 'reviews-v1' && o.kind !== 'VirtualService'),
      { ...v1, metadata: { name: 'reviews-stable', namespace: 'shop' } },
      istio('VirtualService', 'reviews-routes', { hosts: ['reviews.example.com', 'reviews'], http: [{ route: [entry('reviews', 'v1', 100)] }] }),
    ];
    expect(brief(progression(before, after))).toStrictEqual([
      'object-renamed Deployment/shop/reviews-stable metadata.name',
      'object-renamed VirtualService/shop/reviews-routes metadata.name',
      'route-before-pods VirtualService/shop/reviews-routes spec.http[0].route[0]',
    ]);
  });

  test('takes no object without an identity for a renamed one, nor one added beside the same one, nor one that takes over a kept name', () => {
    const plain = (name: string) => ({ ...service(name, undefined), metadata: { name, namespace: 'shop' } });
    expect(progression(step(plain('a')), step(plain('b')))).toStrictEqual([]);
    const copy = { ...deployment('reviews-v1-copy', V1) };
    expect(brief(progression(reviews(), [...reviews(), copy]))).toStrictEqual([
      'subset-selects-many DestinationRule/shop/reviews spec.subsets[0].labels',
      'route-before-pods VirtualService/shop/reviews spec.http[0].route[0]',
    ]);
    const takenOver = reviewsWith([deployment('reviews-v2', V1)]).filter(o => o.metadata.name !== 'reviews-v1');
    expect(brief(progression(reviews(), takenOver))).toStrictEqual([
      'subset-selects-nothing DestinationRule/shop/reviews spec.subsets[1].labels',
    ]);
  });
});
