import { Duration } from 'cdk8s';
import { CanaryApp, DisruptionBudget, LoadBalancer, SimpleLoadBalancer } from '../src';
import { find, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const TOKEN_RULE = 'an HTTP token of letters, digits and !#$%&\'*+-.^_`|~';

/** The DestinationRule's load balancer of an app that sets `loadBalancer`, checked against the schemas and Istio's webhook. */
function emitted(loadBalancer: LoadBalancer): unknown {
  const objects = synth(chart => new CanaryApp(chart, 'Reviews', { stable: { image: 'reviews:v1', version: 'v1' }, trafficPolicy: { loadBalancer } }));
  expectValidManifests(objects);
  return find(objects, 'DestinationRule', 'reviews').spec.trafficPolicy.loadBalancer;
}

describe('LoadBalancer', () => {
  test('writes each algorithm as Istio\'s loadBalancer, which Istio accepts', () => {
    expect([
      LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN),
      LoadBalancer.hashHeader('x-user'),
      LoadBalancer.hashCookie('session', Duration.hours(1)),
      LoadBalancer.hashCookie('session', Duration.millis(1500)),
      LoadBalancer.hashSourceIp(),
      LoadBalancer.hashQueryParameter('User'),
    ].map(emitted)).toEqual([
      { simple: 'ROUND_ROBIN' },
      { consistentHash: { httpHeaderName: 'x-user' } },
      { consistentHash: { httpCookie: { name: 'session', ttl: '3600s' } } },
      { consistentHash: { httpCookie: { name: 'session', ttl: '1500ms' } } },
      { consistentHash: { useSourceIp: true } },
      { consistentHash: { httpQueryParameterName: 'User' } },
    ]);
  });

  test('hashes on a session cookie with a ttl of 0, and on a cookie for as long as Go\'s time.Duration holds', () => {
    expect(emitted(LoadBalancer.hashCookie('session', Duration.millis(0)))).toEqual({ consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } });
    expect(emitted(LoadBalancer.hashCookie('s', Duration.millis(9_223_372_036_854))))
      .toEqual({ consistentHash: { httpCookie: { name: 's', ttl: '9223372036854ms' } } });
  });

  test('takes long names, of every token character', () => {
    const name = `a${'!#$%&\'*+-.^_`|~'.repeat(20)}`;
    expect(LoadBalancer.hashHeader(name).spec).toEqual({ consistentHash: { httpHeaderName: name } });
    expect(LoadBalancer.hashQueryParameter(`Q${name}`).spec).toEqual({ consistentHash: { httpQueryParameterName: `Q${name}` } });
  });

  test.each<[string, () => unknown, string]>([
    ['the algorithm is not one of Istio\'s', () => LoadBalancer.simple('bogus' as SimpleLoadBalancer),
      'LoadBalancer.simple: algorithm must be one of ["LEAST_REQUEST","ROUND_ROBIN","RANDOM","PASSTHROUGH"], got "bogus"; use e.g. "LEAST_REQUEST"'],
    ['the algorithm is left out', () => LoadBalancer.simple(undefined as unknown as SimpleLoadBalancer),
      'LoadBalancer.simple: algorithm must be one of ["LEAST_REQUEST","ROUND_ROBIN","RANDOM","PASSTHROUGH"], got nothing; use e.g. "LEAST_REQUEST"'],
    ['a hashing header name has upper case', () => LoadBalancer.hashHeader('X-User'),
      `LoadBalancer.hashHeader: name must be a lower-case header name: ${TOKEN_RULE}, got "X-User"; e.g. "x-user"`],
    ['a hashing header name is a Symbol', () => LoadBalancer.hashHeader(Symbol('x') as unknown as string),
      `LoadBalancer.hashHeader: name must be a lower-case header name: ${TOKEN_RULE}, got Symbol(x); e.g. "x-user"`],
    ['a hashing cookie name is empty', () => LoadBalancer.hashCookie('', Duration.hours(1)),
      `LoadBalancer.hashCookie: name must be a cookie name: ${TOKEN_RULE}, got ""; e.g. "session"`],
    ['a hashing cookie name has a ;', () => LoadBalancer.hashCookie('a;b', Duration.hours(1)),
      `LoadBalancer.hashCookie: name must be a cookie name: ${TOKEN_RULE}, got "a;b"; e.g. "session"`],
    ['a hashing cookie ttl has a fraction of a millisecond', () => LoadBalancer.hashCookie('s', Duration.millis(1.5)),
      'LoadBalancer.hashCookie: ttl must be a Duration of whole milliseconds, from 0 to about 292 years (Go\'s time.Duration, in which Istio reads it), '
      + 'got "1.5ms"; use e.g. Duration.hours(1), or Duration.millis(0) for a session cookie'],
    ['a hashing cookie ttl is longer than Go\'s time.Duration holds', () => LoadBalancer.hashCookie('s', Duration.millis(9_223_372_036_855)),
      'LoadBalancer.hashCookie: ttl must be a Duration of whole milliseconds, from 0 to about 292 years (Go\'s time.Duration, in which Istio reads it), '
      + 'got "9223372036855ms"; use e.g. Duration.hours(1), or Duration.millis(0) for a session cookie'],
    ['a hashing cookie ttl is a number of seconds', () => LoadBalancer.hashCookie('s', 3600 as unknown as Duration),
      'LoadBalancer.hashCookie: ttl must be a Duration of whole milliseconds, from 0 to about 292 years (Go\'s time.Duration, in which Istio reads it), '
      + 'got 3600; use e.g. Duration.hours(1), or Duration.millis(0) for a session cookie'],
    ['a hashing cookie ttl is left out', () => LoadBalancer.hashCookie('s', undefined as unknown as Duration),
      'LoadBalancer.hashCookie: ttl must be a Duration of whole milliseconds, from 0 to about 292 years (Go\'s time.Duration, in which Istio reads it), '
      + 'got nothing; use e.g. Duration.hours(1), or Duration.millis(0) for a session cookie'],
    ['a hashing query parameter name has a space', () => LoadBalancer.hashQueryParameter('user id'),
      `LoadBalancer.hashQueryParameter: name must be a query parameter name: ${TOKEN_RULE}, got "user id"; e.g. "user"`],
    ['a hashing query parameter name is a BigInt', () => LoadBalancer.hashQueryParameter(7n as unknown as string),
      `LoadBalancer.hashQueryParameter: name must be a query parameter name: ${TOKEN_RULE}, got 7n; e.g. "user"`],
  ])('fails when %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});

// DisruptionBudget is the other static factory of a workload policy; its amounts are checked where they are made.
describe('DisruptionBudget', () => {
  test('takes 0 and int32 pods, and whole percentages from 0 to 100', () => {
    expect([
      DisruptionBudget.minAvailable(0), DisruptionBudget.maxUnavailable(2 ** 31 - 1), DisruptionBudget.minAvailablePercent(0), DisruptionBudget.maxUnavailablePercent(100),
    ].map(b => [b.field, b.amount, b.percent])).toEqual([
      ['minAvailable', 0, false], ['maxUnavailable', 2 ** 31 - 1, false], ['minAvailable', 0, true], ['maxUnavailable', 100, true],
    ]);
  });

  const pods = (entry: string, shown: string) => `DisruptionBudget.${entry}: pods must be a whole number of replicas, 0 or more, got ${shown}; use e.g. 2`;
  const percent = (entry: string, shown: string) => `DisruptionBudget.${entry}: percent must be a whole percentage from 0 to 100, got ${shown}; use an integer such as 10`;

  test.each<[string, () => unknown, string]>([
    ['a count is negative', () => DisruptionBudget.minAvailable(-1), pods('minAvailable', '-1')],
    ['a count is not whole', () => DisruptionBudget.maxUnavailable(1.5), pods('maxUnavailable', '1.5')],
    ['a count is NaN', () => DisruptionBudget.minAvailable(NaN), pods('minAvailable', 'NaN')],
    ['a count is past int32', () => DisruptionBudget.maxUnavailable(2 ** 31), pods('maxUnavailable', '2147483648')],
    ['a count is a string', () => DisruptionBudget.minAvailable('1' as unknown as number), pods('minAvailable', '"1"')],
    ['a count is a BigInt', () => DisruptionBudget.maxUnavailable(1n as unknown as number), pods('maxUnavailable', '1n')],
    ['a percentage is above 100', () => DisruptionBudget.minAvailablePercent(101), percent('minAvailablePercent', '101')],
    ['a percentage is negative', () => DisruptionBudget.maxUnavailablePercent(-1), percent('maxUnavailablePercent', '-1')],
    ['a percentage is not whole', () => DisruptionBudget.maxUnavailablePercent(12.5), percent('maxUnavailablePercent', '12.5')],
    ['a percentage is a string', () => DisruptionBudget.minAvailablePercent('50%' as unknown as number), percent('minAvailablePercent', '"50%"')],
  ])('fails when %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});
