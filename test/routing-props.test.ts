import { Chart, Duration } from 'cdk8s';
import { CanaryApp, CanaryAppProps, LoadBalancer, RouteMatch, RouteTarget, SimpleLoadBalancer, StringMatch } from '../src';
import { find, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

/**
 * The routing props as given, checked before any version is resolved: their JavaScript types, and
 * what Istio's validation would refuse of them.
 */

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const tester = RouteMatch.header('x-tester', StringMatch.exact('yes'));

function reviews(chart: Chart, props: { [key: string]: unknown } = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, canaryWeight: 10, ...props } as CanaryAppProps);
}

const retries = (objects: ReturnType<typeof synth>) => find(objects, 'VirtualService', 'reviews').spec.http[0].retries;

/**
 * Every retryOn entry the library takes, written out rather than read from src/release-routing.ts:
 * the library must take each (else the case is refused), Istio's webhook too (else the manifests
 * are invalid), and the library must refuse every other status code. So the two can't drift apart
 * unnoticed, but for a condition name the library gains, which is checked once it is listed here.
 */
const EVERY_RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable',
  ...[
    100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
    500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
  ].map(String),
];

describe('tester routes, mirror and sticky sessions', () => {
  test.each([
    ['tester routes are not a list', { testerRoutes: { when: [tester] } }, 'testerRoutes must be a list, got {"when":[{"headers":{"x-tester":{"exact":"yes"}}}]}; '
      + 'e.g. [{ when: [RouteMatch.header("x-tester", StringMatch.exact("yes"))], to: RouteTarget.canary() }]'],
    ['a tester route is null', { testerRoutes: [null] }, 'testerRoutes[0] must be an object, got null; '
      + 'e.g. { when: [RouteMatch.header("x-tester", StringMatch.exact("yes"))], to: RouteTarget.canary() }'],
    ['a tester route\'s conditions are not a list', { testerRoutes: [{ when: tester, to: RouteTarget.canary() }] },
      'testerRoutes[0].when must be a list, got {"headers":{"x-tester":{"exact":"yes"}}}; e.g. [RouteMatch.header("x-tester", StringMatch.exact("yes"))]'],
    ['a tester route has no conditions', { testerRoutes: [{ to: RouteTarget.canary() }] },
      'testerRoutes[0].when must hold at least one RouteMatch, got nothing; e.g. [RouteMatch.header("x-tester", StringMatch.exact("yes"))]'],
    ['a tester route\'s condition is a hole', { testerRoutes: [{ when: [, tester], to: RouteTarget.canary() }] },
      'testerRoutes[0].when[0] must be a RouteMatch, got nothing; use e.g. RouteMatch.header("x-tester", StringMatch.exact("yes"))'],
    ['a tester route\'s condition is not a RouteMatch', { testerRoutes: [{ when: [tester, { headers: {} }], to: RouteTarget.canary() }] },
      'testerRoutes[0].when[1] must be a RouteMatch, got {"headers":{}}; use e.g. RouteMatch.header("x-tester", StringMatch.exact("yes"))'],
    ['a tester route\'s target is a version label', { testerRoutes: [{ when: [tester], to: 'v2' }] },
      'testerRoutes[0].to must be a RouteTarget, got "v2"; use e.g. RouteTarget.canary()'],
    ['a tester route\'s name is a number', { testerRoutes: [{ name: 1, when: [tester], to: RouteTarget.canary() }] },
      'testerRoutes[0].name must be a string, got 1; e.g. "qa"'],
    ['the mirror names no target', { canaryWeight: 0, mirror: {} }, 'mirror.to must be a RouteTarget, got nothing; use e.g. RouteTarget.canary()'],
    ['the mirror percentage is above 100', { canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 100.5 } },
      'mirror.percentage must be a percentage from 0 to 100, got 100.5; use e.g. 10 or 0.5'],
    ['the mirror percentage is null', { canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: null } },
      'mirror.percentage must be a percentage from 0 to 100, got null; use e.g. 10 or 0.5'],
    ['the sticky maxAge rounds to 0 seconds', { stickySessions: { maxAge: Duration.millis(499) } },
      'stickySessions.maxAge must be a Duration of 1 second or more, got "499ms"; use e.g. Duration.hours(1)'],
    ['the sticky maxAge is a number of seconds', { stickySessions: { maxAge: 3600 } },
      'stickySessions.maxAge must be a Duration of 1 second or more, got 3600; use e.g. Duration.hours(1)'],
    ['the sticky maxAge is null', { stickySessions: { maxAge: null } },
      'stickySessions.maxAge must be a Duration of 1 second or more, got null; use e.g. Duration.hours(1)'],
    ['the cookie name has a space', { stickySessions: { cookieName: 'reviews version' } },
      'stickySessions.cookieName must be a cookie name: an HTTP token of letters, digits and !#$%&\'*+-.^_`|~, got "reviews version"; e.g. "reviews-version"'],
    ['the cookie name is not a string', { stickySessions: { cookieName: ['rv'] } },
      'stickySessions.cookieName must be a cookie name: an HTTP token of letters, digits and !#$%&\'*+-.^_`|~, got ["rv"]; e.g. "reviews-version"'],
    ['the cookie name makes a pinning regex longer than Istio takes', { stickySessions: { cookieName: 'c'.repeat(1005) } },
      `stickySessions.cookieName makes with version "v1" a cookie regex of 1025 characters, more than the 1024 Istio takes, got "${'c'.repeat(199)}…; `
      + 'use a shorter cookie name'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props)).toThrow(new Error(`test/Reviews: ${message}`));
  });

  test('a cookie name that makes a pinning regex of exactly 1024 characters is taken', () => {
    const objects = synth(c => reviews(c, { stickySessions: { cookieName: 'c'.repeat(1004) } }));
    const regexes = find(objects, 'VirtualService', 'reviews').spec.http.flatMap((r: Manifest) => (r.match ?? []).map((m: Manifest) => m.headers?.cookie?.regex));
    expect(regexes.map((regex: string) => regex.length)).toEqual([1024, 1024]);
  });

  test('a sticky maxAge of half a second rounds up to the 1 second it must have at least', () => {
    const objects = synth(c => reviews(c, { stickySessions: { maxAge: Duration.millis(500) } }));
    const route = find(objects, 'VirtualService', 'reviews').spec.http.find((r: { name: string }) => r.name === 'primary').route;
    expect(route[0].headers.response.set['set-cookie']).toBe('reviews-version=v1; Max-Age=1; Path=/');
  });

  test('types are checked before the routes are resolved against the versions: a wrong target type is named as such', () => {
    expect(() => reviews(newChart(), { canary: undefined, canaryWeight: 0, testerRoutes: [{ when: [tester], to: { kind: 'canary' } }] })).toThrow(
      new Error('test/Reviews: testerRoutes[0].to must be a RouteTarget, got {"kind":"canary"}; use e.g. RouteTarget.canary()'));
  });
});

describe('route policy', () => {
  test.each([
    ['retries are a number', { routePolicy: { retries: 3 } }, 'routePolicy.retries must be an object, got 3; e.g. { attempts: 3 }'],
    ['retries have no attempts', { routePolicy: { retries: {} } }, 'routePolicy.retries.attempts must be a whole number, 0 or more, got nothing; use e.g. 3'],
    ['a retry condition is not Istio\'s', { routePolicy: { retries: { attempts: 2, retryOn: ['5xx', 'timeout'] } } },
      'routePolicy.retries.retryOn[1] must be one of Istio\'s retry conditions or an HTTP status code, got "timeout"; e.g. "5xx", "connect-failure" or "503"'],
    ['a retry status code is one Istio does not know', { routePolicy: { retries: { attempts: 2, retryOn: ['306'] } } },
      'routePolicy.retries.retryOn[0] must be one of Istio\'s retry conditions or an HTTP status code, got "306"; e.g. "5xx", "connect-failure" or "503"'],
    ['a retry status code is a number', { routePolicy: { retries: { attempts: 2, retryOn: [503] } } },
      'routePolicy.retries.retryOn[0] must be one of Istio\'s retry conditions or an HTTP status code, got 503; e.g. "5xx", "connect-failure" or "503"'],
    ['a retry condition is a hole', { routePolicy: { retries: { attempts: 2, retryOn: [, '5xx'] } } },
      'routePolicy.retries.retryOn[0] must be one of Istio\'s retry conditions or an HTTP status code, got nothing; e.g. "5xx", "connect-failure" or "503"'],
    ['retries are off and have conditions', { routePolicy: { retries: { attempts: 0, retryOn: ['5xx'] } } },
      'routePolicy.retries.attempts must be 1 or more with perTryTimeout or retryOn: 0 turns retries off, and Istio refuses their settings then, got 0; '
      + 'raise attempts, or leave perTryTimeout and retryOn out'],
    ['retries are off and have a timeout per try', { routePolicy: { retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } } },
      'routePolicy.retries.attempts must be 1 or more with perTryTimeout or retryOn: 0 turns retries off, and Istio refuses their settings then, got 0; '
      + 'raise attempts, or leave perTryTimeout and retryOn out'],
    ['a fault delays a share of requests finer than Istio takes', { routePolicy: { fault: { delay: Duration.seconds(1), delayPercentage: 5e-324 } } },
      'routePolicy.fault.delayPercentage must be 0, or 0.0001 or more, the finest share Istio takes, got 5e-324; use 0, or e.g. 0.01'],
    ['a fault aborts a share of requests just below the finest Istio takes', { routePolicy: { fault: { abortHttpStatus: 503, abortPercentage: 0.0000999 } } },
      'routePolicy.fault.abortPercentage must be 0, or 0.0001 or more, the finest share Istio takes, got 0.0000999; use 0, or e.g. 0.01'],
    ['a fault is a list', { routePolicy: { fault: [] } }, 'routePolicy.fault must be an object, got []; e.g. { abortHttpStatus: 503, abortPercentage: 5 }'],
    ['a version\'s policy is a string', { testerRoutes: [{ when: [tester], to: RouteTarget.canary() }], canary: { ...v2, routePolicy: 'fast' } },
      'canary.routePolicy must be an object, got "fast"; e.g. { timeout: Duration.seconds(5), retries: { attempts: 3 } }'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props)).toThrow(new Error(`test/Reviews: ${message}`));
  });

  test('fails when a retry status code is any other from 100 to 599: Go names none of them, and Istio refuses them', () => {
    const others = Array.from({ length: 500 }, (_, i) => String(100 + i)).filter(code => !EVERY_RETRY_ON.includes(code));
    const notRefused = others.filter(code => {
      const message = `test/Reviews: routePolicy.retries.retryOn[0] must be one of Istio's retry conditions or an HTTP status code, got "${code}"; `
        + 'e.g. "5xx", "connect-failure" or "503"';
      try {
        reviews(newChart(), { routePolicy: { retries: { attempts: 2, retryOn: [code] } } });
        return true;
      } catch (error) {
        return !(error instanceof Error && error.message === message);
      }
    });
    expect(notRefused).toEqual([]);
  });

  test.each([
    ['no requests', 0, 0],
    ['the finest share Istio takes', 0.0001, 0.0001],
  ])('a fault takes a share of %s', (_, percentage, written) => {
    const objects = synth(c => reviews(c, { routePolicy: { fault: { abortHttpStatus: 503, abortPercentage: percentage } } }));
    expect(find(objects, 'VirtualService', 'reviews').spec.http[0].fault).toEqual({ abort: { httpStatus: 503, percentage: { value: written } } });
    expectValidManifests(objects);
  });

  test.each([
    ['Istio\'s named conditions and the status codes Go names', { attempts: 2, retryOn: ['retriable-4xx', 'reset-before-request', '503', '100', '511'] },
      { attempts: 2, retryOn: 'retriable-4xx,reset-before-request,503,100,511' }],
    ['every retry condition and status code the library knows, each of which Istio\'s webhook takes too', { attempts: 2, retryOn: EVERY_RETRY_ON },
      { attempts: 2, retryOn: EVERY_RETRY_ON.join(',') }],
    ['no retries at all, without conditions', { attempts: 0, retryOn: [] }, { attempts: 0, retryOn: '' }],
    ['attempts up to int32', { attempts: 2 ** 31 - 1 }, { attempts: 2 ** 31 - 1 }],
  ])('takes %s', (_, given, written) => {
    const objects = synth(c => reviews(c, { routePolicy: { retries: given } }));
    expect(retries(objects)).toEqual(written);
    expectValidManifests(objects);
  });
});

describe('traffic policy', () => {
  test.each([
    ['the load balancer is Istio\'s spec', { trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } },
      'trafficPolicy.loadBalancer must be a LoadBalancer, got {"simple":"RANDOM"}; use e.g. LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST)'],
    ['a connection limit is beyond int32', { trafficPolicy: { connectionPool: { http2MaxRequests: 2 ** 31 } } },
      'trafficPolicy.connectionPool.http2MaxRequests must be a whole number, 0 or more, got 2147483648; use e.g. 100'],
    ['outlier detection is "on"', { trafficPolicy: { outlierDetection: 'on' } }, 'trafficPolicy.outlierDetection must be an object, got "on"; e.g. { consecutive5xxErrors: 5 }'],
    ['errors in a row are negative', { trafficPolicy: { outlierDetection: { consecutive5xxErrors: -1 } } },
      'trafficPolicy.outlierDetection.consecutive5xxErrors must be a whole number, 0 or more, got -1; use e.g. 5'],
    ['TLS is mutual with certificates of one\'s own, which a traffic policy can\'t name', { trafficPolicy: { tlsMode: 'MUTUAL' } },
      'trafficPolicy.tlsMode needs a client certificate and key, which a TrafficPolicy has no field for, and Istio refuses it without them, got "MUTUAL"; '
      + 'use ClientTlsMode.ISTIO_MUTUAL, mutual TLS with the mesh\'s own certificates'],
    ['TLS is simple, which needs CA certificates a traffic policy can\'t name', { trafficPolicy: { tlsMode: 'SIMPLE' } },
      'trafficPolicy.tlsMode needs the CA certificates that signed the pods\' certificate, which a TrafficPolicy has no field for; '
      + 'without them proxies check it against public CAs and the handshake fails, got "SIMPLE"; use ClientTlsMode.ISTIO_MUTUAL, TLS with the mesh\'s own certificates'],
    ['the traffic policy is a list', { trafficPolicy: [] }, 'trafficPolicy must be an object, got []; e.g. { tlsMode: ClientTlsMode.ISTIO_MUTUAL }'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props)).toThrow(new Error(`test/Reviews: ${message}`));
  });

  test('takes the limits\' bounds, 0 and int32, and whole ejection percentages from 0 to 100', () => {
    const objects = synth(c => reviews(c, {
      trafficPolicy: {
        loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.RANDOM),
        connectionPool: { maxConnections: 2 ** 31 - 1, http1MaxPendingRequests: 0 },
        outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 100 },
      },
      canary: { ...v2, trafficPolicy: { outlierDetection: { maxEjectionPercent: 0 } } },
    }));
    const rule = find(objects, 'DestinationRule', 'reviews').spec;
    expect(rule.trafficPolicy.connectionPool).toEqual({ tcp: { maxConnections: 2 ** 31 - 1 }, http: { http1MaxPendingRequests: 0 } });
    expect(rule.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 0, maxEjectionPercent: 100 });
    expect(rule.subsets[1].trafficPolicy).toEqual({ outlierDetection: { maxEjectionPercent: 0 } });
    expectValidManifests(objects);
  });
});
