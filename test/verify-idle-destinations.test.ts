import { Finding, VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * A destination at weight 0 beside others is left out of the routes istiod sends the proxies
 * (route.go translateRoute, networkfilter.go), so a fault there costs no 503 until the destination
 * is given weight. Each finding that says "503" says so, and only for such a destination.
 */

type Obj = Record<string, any>;

const REVIEWS = 'reviews.shop.svc.cluster.local';
const DETAILS = 'details.shop.svc.cluster.local';
const ONCE = '503 once this destination is given weight (at weight 0 it takes no traffic yet)';

function meta(name: string, namespace: string, extra: Obj = {}): Obj {
  return { name, namespace, ...extra };
}

function app(name: string, namespace: string, ports: number[] = [9080], annotations?: Obj): Obj[] {
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, namespace),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace, annotations ? { annotations } : {}),
      spec: { selector: labels, ports: ports.map(port => ({ name: `http-${port}`, port })) },
    },
  ];
}

function istio(kind: string, name: string, namespace: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: meta(name, namespace), spec };
}

function rule(name: string, namespace: string, host: string, subsets: string[], extra: Obj = {}): Obj {
  return istio('DestinationRule', name, namespace, { host, subsets: subsets.map(subset => ({ name: subset, labels: { app: 'reviews' } })), ...extra });
}

/** The ingress of istio-system: its pods, their Service and Gateway public, on port 80. */
const GATEWAY_LABELS = { istio: 'ingressgateway' };
const INGRESS: Obj[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('istio-ingressgateway', 'istio-system'),
    spec: { selector: { matchLabels: GATEWAY_LABELS }, template: { metadata: { labels: GATEWAY_LABELS }, spec: { containers: [{ name: 'istio-proxy', image: 'proxyv2' }] } } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('istio-ingressgateway', 'istio-system'), spec: { selector: GATEWAY_LABELS, ports: [{ name: 'http2', port: 80 }] } },
  istio('Gateway', 'public', 'istio-system', {
    selector: GATEWAY_LABELS, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/reviews.example.com'] }],
  }),
];

/** One fault of a destination, in a set where the other destination of the rule, details, is sound. */
interface Fault {
  readonly objects: Obj[];
  readonly destination: Obj;
  readonly namespace?: string;
  readonly spec?: Obj;
}

/** The set, with the fault's destination first in one http rule beside details, at the weights given (undefined: none written). */
function split(fault: Fault, weight: number | undefined, other = 100): Obj[] {
  const entry = weight === undefined ? { destination: fault.destination } : { destination: fault.destination, weight };
  const route = [entry, { destination: { host: DETAILS }, weight: other }];
  return [...app('details', 'shop'), ...fault.objects,
    istio('VirtualService', 'reviews', fault.namespace ?? 'shop', { hosts: ['reviews.example.com'], ...fault.spec, http: [{ route }] })];
}

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  return verifiedFindings(objects, options).filter(f => f.path.startsWith('spec.http[0].route[0]'));
}

const FAULTS: [string, Fault][] = [
  ['subset-not-found, no rule for the host', { objects: app('reviews', 'shop'), destination: { host: REVIEWS, subset: 'v1' } }],
  ['subset-not-found, not among the rule\'s subsets', { objects: [...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v2'])], destination: { host: REVIEWS, subset: 'v1' } }],
  ['destination-host-not-found', { objects: [], destination: { host: 'ghost' } }],
  ['destination-host-not-exported', { objects: app('reviews', 'shop', [9080], { 'networking.istio.io/exportTo': '.' }), destination: { host: REVIEWS }, namespace: 'frontend' }],
  ['destination-rule-not-exported', {
    objects: [...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v1'], { exportTo: ['.'] })], destination: { host: REVIEWS, subset: 'v1' }, namespace: 'frontend',
  }],
  ['destination-rule-shadowed, another rule taken', {
    objects: [...app('reviews', 'shop'), rule('reviews', 'shop', REVIEWS, ['v1']), rule('reviews-local', 'frontend', REVIEWS, ['v2'])],
    destination: { host: REVIEWS, subset: 'v1' }, namespace: 'frontend',
  }],
  ['destination-rule-shadowed, hidden by a rule of a more specific host', {
    objects: [...app('reviews', 'shop'), rule('pool', 'shop', REVIEWS, [], { exportTo: ['billing'] }), rule('versions', 'shop', '*.shop.svc.cluster.local', ['v1'])],
    destination: { host: REVIEWS, subset: 'v1' }, namespace: 'frontend',
  }],
  ['destination-rule-not-consulted, in the root namespace', {
    objects: [...app('reviews', 'shop'), ...INGRESS, rule('reviews', 'istio-system', REVIEWS, ['v1'], { exportTo: ['.', 'shop'] })],
    destination: { host: REVIEWS, subset: 'v1' }, spec: { gateways: ['istio-system/public'] },
  }],
  ['destination-rule-not-consulted, elsewhere', {
    objects: [...app('reviews', 'shop'), rule('reviews', 'ops', REVIEWS, ['v1'])], destination: { host: REVIEWS, subset: 'v1' }, namespace: 'frontend',
  }],
  ['destination-port-ambiguous', { objects: [...app('reviews', 'shop', [9080, 9090]), ...app('frontend', 'shop', [80])], destination: { host: REVIEWS }, spec: { hosts: ['frontend'] } }],
  ['destination-port-required', {
    objects: [...app('reviews', 'shop', [9080, 9090]), ...INGRESS], destination: { host: REVIEWS }, spec: { gateways: ['istio-system/public'] },
  }],
];

describe('a fault of a destination at weight 0 costs a 503 once it is given weight', () => {
  test.each(FAULTS)('fails when %s is at weight 0, saying the 503 waits for weight, and says 503 alone where it takes traffic', (name, fault) => {
    const busy = verify(split(fault, 50, 50));
    expect(busy.map(f => f.code)).toEqual([name.split(',')[0]]);
    expect(busy[0].message.split('503').length).toBe(2);
    expect(busy[0].message).not.toContain('once this destination');
    const idle = busy.map(f => ({ ...f, message: f.message.replace('503', ONCE) }));
    expect(verify(split(fault, 0))).toEqual(idle);
    expect(verify(split(fault, undefined))).toEqual(idle);
    // The smallest weight is traffic.
    expect(verify(split(fault, 1, 99))).toEqual(busy);
  });

  test('fails when a subset at weight 0 is defined nowhere, in full', () => {
    expect(verify(split(FAULTS[0][1], 0))).toEqual([{
      code: 'subset-not-found', severity: 'error', object: 'VirtualService/shop/reviews', path: 'spec.http[0].route[0].destination.subset', istioCode: 'IST0101',
      message: `subset v1 is defined by no DestinationRule, because none has host ${REVIEWS}, so Istio answers ${ONCE}; add a DestinationRule for ${REVIEWS} with subset v1`,
    }]);
  });

  test('fails with 503 alone when a sole destination is at weight 0, since it takes all traffic whatever its weight', () => {
    const [, fault] = FAULTS[2];
    const sole = [...fault.objects, istio('VirtualService', 'reviews', 'shop', { hosts: ['reviews.example.com'], http: [{ route: [{ destination: fault.destination, weight: 0 }] }] })];
    expect(verify(sole).map(f => f.message)).toEqual([
      'host ghost resolves to ghost.shop.svc.cluster.local, which is neither a Service in the set nor a ServiceEntry or external host, '
      + 'so Istio answers 503; point it at an existing service or declare the host with a ServiceEntry']);
  });

  test('fails when a tcp destination is faulty, saying the 503 waits for weight at weight 0 only', () => {
    const tcp = (weight: number) => [...app('details', 'shop'),
      istio('VirtualService', 'reviews', 'shop', { hosts: ['reviews.example.com'], tcp: [{ route: [{ destination: { host: 'ghost' }, weight }, { destination: { host: DETAILS }, weight: 100 - weight }] }] })];
    const messages = (weight: number) => verifiedFindings(tcp(weight)).filter(f => f.path === 'spec.tcp[0].route[0].destination.host').map(f => f.message.split('; ')[0].split(', so ')[1]);
    expect(messages(0)).toEqual([`Istio answers ${ONCE}`]);
    expect(messages(10)).toEqual(['Istio answers 503']);
  });

  test('fails when a mirror is faulty, saying the 503 is the mirrored copies\' alone, and none yet at 0%', () => {
    const mirrored = (rules: Obj[]) => [...app('details', 'shop'), istio('VirtualService', 'reviews', 'shop', { hosts: ['reviews.example.com'], http: rules })];
    const toDetails = [{ destination: { host: DETAILS } }];
    const scope = (rules: Obj[]) => verifiedFindings(mirrored(rules)).filter(f => f.code === 'destination-host-not-found')
      .map(f => [f.path, f.message.split('; ')[0].split(', so Istio answers 503')[1]]);
    const copies = ' for the mirrored copies alone, which clients never see';
    const none = ' for the mirrored copies once it mirrors any (at 0% it mirrors none yet), which clients never see';
    expect(scope([
      { route: toDetails, mirror: { host: 'ghost' } },
      { route: toDetails, mirrors: [{ destination: { host: 'ghost' } }, { destination: { host: 'ghost' }, percentage: { value: 0.5 } }] },
    ])).toEqual([
      ['spec.http[0].mirror.host', copies],
      ['spec.http[1].mirrors[0].destination.host', copies],
      ['spec.http[1].mirrors[1].destination.host', copies],
    ]);
    // istiod builds no mirror for a percentage of 0, or one without value (MirrorPercent).
    expect(scope([
      { route: toDetails, mirror: { host: 'ghost' }, mirrorPercentage: { value: 0 } },
      { route: toDetails, mirror: { host: 'ghost' }, mirrorPercentage: {} },
      { route: toDetails, mirror: { host: 'ghost' }, mirrorPercent: 0 },
      { route: toDetails, mirror: { host: 'ghost' }, mirrorPercent: 5 },
      { route: toDetails, mirrors: [{ destination: { host: 'ghost' }, percentage: { value: 0 } }, { destination: { host: 'ghost' }, percentage: { value: '5' } }] },
    ])).toEqual([
      ['spec.http[0].mirror.host', none],
      ['spec.http[1].mirror.host', none],
      ['spec.http[2].mirror.host', none],
      ['spec.http[3].mirror.host', copies],
      ['spec.http[4].mirrors[0].destination.host', none],
      ['spec.http[4].mirrors[1].destination.host', none],
    ]);
  });
});
