import { Chart, Duration } from 'cdk8s';
import {
  BlueGreenApp, CanaryApp, CanaryAppProps, ClientTlsMode, Color, CutoverMode, LoadBalancer, MatchSpec, Protocol, RouteMatch, RouteTarget,
  SimpleLoadBalancer, StringMatch, StringMatchSpec, TrafficApi,
} from '../src';
import { deploymentsBehindSubset, find, kinds, Manifest, newChart, synth, weights } from './support/manifests';
import { webhookViolations } from './support/istio-webhook';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const tester = RouteMatch.header('x-tester', StringMatch.exact('yes'));

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, canaryWeight: 10, ...props });
}

const http = (objects: Manifest[]) => find(objects, 'VirtualService', 'reviews').spec.http;
const routeNames = (objects: Manifest[]) => http(objects).map((r: Manifest) => r.name);

describe('tester routes', () => {
  const objects = synth(c => reviews(c, {
    testerRoutes: [
      { when: [tester], to: RouteTarget.canary() },
      { name: 'qa', when: [RouteMatch.sourceLabels({ app: 'qa-runner' })], to: RouteTarget.version('v2') },
      { when: [RouteMatch.cookie('beta', 'on'), RouteMatch.queryParam('preview', StringMatch.prefix('1'))], to: RouteTarget.stable() },
    ],
  }));

  test('go ahead of the weighted route, in the order given, and the weights still apply to everyone else', () => {
    expect(routeNames(objects)).toEqual(['tester-1', 'qa', 'tester-3', 'primary']);
    expect(weights(find(objects, 'VirtualService', 'reviews'))).toEqual({ v1: 90, v2: 10 });
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('match by header, source labels, cookie and query parameter, and send to one subset', () => {
    const [header, qa, cookie] = http(objects);
    expect(header).toMatchObject({ match: [{ headers: { 'x-tester': { exact: 'yes' } } }], route: [{ destination: { subset: 'v2' } }] });
    expect(qa).toMatchObject({ match: [{ sourceLabels: { app: 'qa-runner' } }], route: [{ destination: { subset: 'v2' } }] });
    expect(cookie.match).toEqual([{ headers: { cookie: { regex: '^(.*;\\s*)?beta=on(;.*)?$' } }, queryParams: { preview: { prefix: '1' } } }]);
    expect(cookie.route).toEqual([{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v1' } }]);
    expect(deploymentsBehindSubset(objects, 'reviews', header.route[0].destination.subset)).toEqual(['reviews-v2']);
  });

  test('the cookie regex finds the pair anywhere among the cookies, and nothing else', () => {
    const regex = new RegExp(http(objects)[2].match[0].headers.cookie.regex.replace('\\s', '\\s'));
    expect(['beta=on', 'a=1; beta=on', 'beta=on; b=2', 'a=1;beta=on;b=2'].every(c => regex.test(c))).toBe(true);
    expect(['beta=off', 'xbeta=on', 'beta=onx'].some(c => regex.test(c))).toBe(false);
  });

  test('two conditions of one kind must both hold', () => {
    const objs = synth(c => reviews(c, {
      testerRoutes: [{ when: [tester, RouteMatch.header('x-region', StringMatch.regex('eu-.*'))], to: RouteTarget.canary() }],
    }));
    expect(http(objs)[0].match).toEqual([{ headers: { 'x-tester': { exact: 'yes' }, 'x-region': { regex: 'eu-.*' } } }]);
  });

  test('reach the idle colour of a blue/green app, and follow it when active switches', () => {
    const idleSubset = (active: Color) => synth(c => new BlueGreenApp(c, 'Web', {
      blue: v1, green: v2, active, testerRoutes: [{ when: [tester], to: RouteTarget.idle() }],
    })).find(o => o.kind === 'VirtualService').spec.http[0].route[0].destination.subset;
    expect([idleSubset(Color.BLUE), idleSubset(Color.GREEN)]).toEqual(['green', 'blue']);
  });

  test.each([
    ['a tester route names a version the app does not have', { testerRoutes: [{ when: [tester], to: RouteTarget.version('v3') }] },
      'testerRoutes[0].to names a version this app does not have, got "RouteTarget.version(\\"v3\\")"'],
    ['a tester route names the canary of an app without one', { canary: undefined, canaryWeight: 0, testerRoutes: [{ when: [tester], to: RouteTarget.canary() }] },
      'testerRoutes[0].to names a version this app does not have'],
    ['a tester route goes to a version with no replicas', { canaryWeight: 0, canary: { ...v2, replicas: 0 }, testerRoutes: [{ when: [tester], to: RouteTarget.canary() }] },
      'testerRoutes[0].to sends requests to canary, which runs 0 replicas'],
    ['a tester route has no conditions', { testerRoutes: [{ when: [], to: RouteTarget.canary() }] }, 'testerRoutes[0].when must hold at least one RouteMatch'],
    ['two tester routes share a name', { testerRoutes: [{ name: 'qa', when: [tester], to: RouteTarget.canary() }, { name: 'qa', when: [tester], to: RouteTarget.stable() }] },
      'testerRoutes[1].name must be unique'],
    ['a tester route is named primary', { testerRoutes: [{ name: 'primary', when: [tester], to: RouteTarget.canary() }] }, 'testerRoutes[0].name must be unique and not "primary"'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Reviews: ${message}`);
  });

  test('fails when a blue/green app uses tester routes with the selector cutover, which has no subsets', () => {
    expect(() => new BlueGreenApp(newChart(), 'Web', {
      blue: v1, green: v2, cutover: CutoverMode.SERVICE_SELECTOR, testerRoutes: [{ when: [tester], to: RouteTarget.idle() }],
    })).toThrow('test/Web: testerRoutes needs a subset per version, which cutover CutoverMode.SERVICE_SELECTOR does not make, '
      + 'got [{"when":[{"headers":{"x-tester":{"exact":"yes"}}}],"to":"RouteTarget.idle()"}]; use CutoverMode.MESH_ROUTING, or leave it out');
  });
});

describe('mirroring', () => {
  test('copies a percentage of the weighted route\'s requests to a version, with mirrorPercentage', () => {
    const objs = synth(c => reviews(c, { canaryWeight: 0, mirror: { to: RouteTarget.canary(), percentage: 12.5 } }));
    const primary = http(objs)[0];
    expect(primary.mirror).toEqual({ host: 'reviews.shop.svc.cluster.local', subset: 'v2' });
    expect(primary.mirrorPercentage).toEqual({ value: 12.5 });
    expect(primary.mirror_percent).toBeUndefined();
    expectValidManifests(objs);
  });

  test('mirrors all requests by default', () => {
    const objs = synth(c => reviews(c, { mirror: { to: RouteTarget.canary() } }));
    expect(http(objs)[0].mirrorPercentage).toEqual({ value: 100 });
  });

  test.each([
    ['the mirror goes to the version that already takes 100%', { canaryWeight: 0, mirror: { to: RouteTarget.stable() } }, 'mirror.to already takes 100% of traffic'],
    ['the percentage is above 100', { mirror: { to: RouteTarget.canary(), percentage: 101 } }, 'mirror.percentage must be a percentage from 0 to 100, got 101'],
    ['the percentage is not a number', { mirror: { to: RouteTarget.canary(), percentage: NaN } }, 'mirror.percentage must be a percentage from 0 to 100, got NaN'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Reviews: ${message}`);
  });
});

describe('resilience', () => {
  const objects = synth(c => reviews(c, {
    routePolicy: {
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.millis(2500), retryOn: ['5xx', 'reset'] },
    },
    canary: { ...v2, routePolicy: { fault: { delay: Duration.seconds(2), delayPercentage: 50, abortHttpStatus: 503, abortPercentage: 0.5 } } },
    testerRoutes: [{ when: [tester], to: RouteTarget.canary() }],
    trafficPolicy: {
      loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.LEAST_REQUEST),
      connectionPool: { maxConnections: 100, connectTimeout: Duration.millis(500), http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
      tlsMode: ClientTlsMode.ISTIO_MUTUAL,
    },
    stable: { ...v1, trafficPolicy: { loadBalancer: LoadBalancer.hashHeader('x-user') } },
  }));

  test('puts the app\'s timeout and retries on every route, in Istio\'s duration format', () => {
    for (const route of http(objects)) {
      expect(route.timeout).toBe('10s');
      expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '2500ms', retryOn: '5xx,reset' });
    }
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('scopes a version\'s fault injection to the routes that go to it alone, not to the weighted split', () => {
    const [testerRoute, primary] = http(objects);
    expect(testerRoute.fault).toEqual({
      delay: { fixedDelay: '2s', percentage: { value: 50 } },
      abort: { httpStatus: 503, percentage: { value: 0.5 } },
    });
    expect(primary.fault).toBeUndefined();
  });

  test('sets the DestinationRule traffic policy for the host, and per subset', () => {
    const rule = find(objects, 'DestinationRule', 'reviews');
    expect(rule.spec.trafficPolicy).toEqual({
      loadBalancer: { simple: 'LEAST_REQUEST' },
      connectionPool: { tcp: { maxConnections: 100, connectTimeout: '500ms' }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      tls: { mode: 'ISTIO_MUTUAL' },
    });
    expect(rule.spec.subsets[0].trafficPolicy).toEqual({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } });
    expect(rule.spec.subsets[1].trafficPolicy).toBeUndefined();
  });

  test('a version\'s own policy also goes on its sticky route, the other route to it alone', () => {
    const objs = synth(c => reviews(c, { stickySessions: {}, canary: { ...v2, routePolicy: { timeout: Duration.seconds(2) } } }));
    expect(http(objs).map((r: Manifest) => [r.name, r.timeout])).toEqual([['sticky-v1', undefined], ['sticky-v2', '2s'], ['primary', undefined]]);
    expectValidManifests(objs);
  });

  const abort = { fault: { abortHttpStatus: 503, abortPercentage: 5 } };
  test.each<[string, Partial<CanaryAppProps>]>([
    ['only the weighted split goes to it', { canary: { ...v2, routePolicy: abort } }],
    ['its one sticky route goes, with the canary at 0%', { canaryWeight: 0, stickySessions: {}, canary: { ...v2, routePolicy: abort } }],
    ['the app has no HTTP port, so no HTTP route at all', { port: 5432, protocol: Protocol.TCP, canary: { ...v2, routePolicy: abort } }],
  ])('fails when a version\'s own policy has no route to that version alone: %s', (_, props) => {
    expect(() => reviews(newChart(), props)).toThrow('test/Reviews: canary.routePolicy applies only to routes that go to this version alone '
      + '(tester routes, sticky routes, the preview), and there are none: Istio sets a policy per route, and the weighted split goes to every version, '
      + 'got {"fault":{"abort":{"httpStatus":503,"percentage":{"value":5}}}}; add a tester route to RouteTarget.version("v2"), '
      + 'or set the app\'s routePolicy, which every route carries');
  });

  test('a version\'s empty policy sets nothing, so nothing is refused', () => {
    const objs = synth(c => reviews(c, { canary: { ...v2, routePolicy: {} } }));
    const policies = http(objs).map((r: Manifest) => [r.name, r.retries, r.timeout, r.fault]);
    expect(policies).toEqual([['primary', undefined, undefined, undefined]]);
  });

  test.each([
    ['a fault percentage is above 100', { routePolicy: { fault: { delay: Duration.seconds(1), delayPercentage: 150 } } }, 'routePolicy.fault.delayPercentage must be a percentage'],
    ['an abort status is not an HTTP status', { routePolicy: { fault: { abortHttpStatus: 99 } } }, 'routePolicy.fault.abortHttpStatus must be an HTTP status from 200 to 599, got 99'],
    ['retries are negative', { routePolicy: { retries: { attempts: -1 } } }, 'routePolicy.retries.attempts must be a whole number, 0 or more, got -1'],
    ['a version\'s fault percentage is negative', { canary: { ...v2, routePolicy: { fault: { abortHttpStatus: 500, abortPercentage: -1 } } } }, 'canary.routePolicy.fault.abortPercentage must be a percentage'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Reviews: ${message}`);
  });
});

describe('sticky sessions', () => {
  const objects = synth(c => reviews(c, { stickySessions: { maxAge: Duration.minutes(30) } }));

  test('pin returning users with cookie routes ahead of the split, one per version that takes traffic', () => {
    expect(routeNames(objects)).toEqual(['sticky-v1', 'sticky-v2', 'primary']);
    const [pinV1, pinV2] = http(objects);
    expect(pinV1.match).toEqual([{ headers: { cookie: { regex: '^(.*;\\s*)?reviews-version=v1(;.*)?$' } } }]);
    expect(pinV2.route).toEqual([{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v2' } }]);
    expectValidManifests(objects);
  });

  test('the weighted route sets a response cookie naming the version each user got', () => {
    const route = http(objects)[2].route;
    expect(route.map((r: Manifest) => r.headers.response.set['set-cookie'])).toEqual([
      'reviews-version=v1; Max-Age=1800; Path=/',
      'reviews-version=v2; Max-Age=1800; Path=/',
    ]);
    expect(route.map((r: Manifest) => r.weight)).toEqual([90, 10]);
  });

  test('no user is pinned to a version that takes no traffic, so a rollback to 0% takes everyone back', () => {
    const objs = synth(c => reviews(c, { canaryWeight: 0, stickySessions: { cookieName: 'rv' } }));
    expect(routeNames(objs)).toEqual(['sticky-v1', 'primary']);
  });

  test.each<[string, Partial<CanaryAppProps>, string]>([
    ['the app hashes on a cookie', { trafficPolicy: { loadBalancer: LoadBalancer.hashCookie('user', Duration.hours(1)) } },
      'trafficPolicy.loadBalancer is consistent hashing, which pins users to pods by another key than stickySessions does, '
      + 'got {"consistentHash":{"httpCookie":{"name":"user","ttl":"3600s"}}}'],
    ['a version hashes on a header', { stable: { ...v1, trafficPolicy: { loadBalancer: LoadBalancer.hashHeader('x-user') } } },
      'stable.trafficPolicy.loadBalancer is consistent hashing, which pins users to pods by another key than stickySessions does, '
      + 'got {"consistentHash":{"httpHeaderName":"x-user"}}'],
  ])('fails when combined with consistent-hash load balancing: %s', (_, props, message) => {
    expect(() => reviews(newChart(), { stickySessions: {}, ...props }))
      .toThrow(`test/Reviews: ${message}; use one of the two: sticky sessions pin users to a version, consistent hashing to a pod`);
  });
});

describe('mTLS', () => {
  test('emits a STRICT security.istio.io PeerAuthentication for the app\'s pods, after the routes', () => {
    const objs = synth(c => reviews(c, { mtls: true }));
    expect(kinds(objs).slice(-2)).toEqual(['VirtualService', 'PeerAuthentication']);
    const auth = find(objs, 'PeerAuthentication', 'reviews');
    expect(auth.apiVersion).toBe('security.istio.io/v1');
    expect(auth.spec).toEqual({ selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } });
    expectValidManifests(objs);
  });

  test('is off by default', () => {
    expect(kinds(synth(c => reviews(c)))).not.toContain('PeerAuthentication');
  });
});

describe('RouteTarget', () => {
  test('reads back the label of RouteTarget.version as versionLabel, and the other targets have none', () => {
    const v2 = RouteTarget.version('v2');
    expect([v2.kind, v2.versionLabel]).toEqual(['version', 'v2']);
    expect([RouteTarget.canary(), RouteTarget.stable(), RouteTarget.idle()].map(t => [t.kind, t.versionLabel]))
      .toEqual([['canary', undefined], ['stable', undefined], ['idle', undefined]]);
  });

  test('shows as it was written, in error messages', () => {
    expect([String(RouteTarget.version('v2')), String(RouteTarget.idle())]).toEqual(['RouteTarget.version("v2")', 'RouteTarget.idle()']);
    expect(JSON.stringify({ to: RouteTarget.version('v2') })).toBe('{"to":"RouteTarget.version(\\"v2\\")"}');
  });
});

describe('StringMatch and RouteMatch', () => {
  test('write their conditions as StringMatchSpec and MatchSpec, as Istio has them', () => {
    const strings: StringMatchSpec[] = [StringMatch.exact('yes').spec, StringMatch.prefix('api/').spec, StringMatch.regex('eu-.*').spec];
    expect(strings).toEqual([{ exact: 'yes' }, { prefix: 'api/' }, { regex: 'eu-.*' }]);
    const matches: MatchSpec[] = [
      RouteMatch.header('x-tester', StringMatch.exact('yes')).spec,
      RouteMatch.queryParam('canary', StringMatch.prefix('1')).spec,
      RouteMatch.cookie('beta', 'on').spec,
      RouteMatch.sourceLabels({ app: 'qa-runner' }).spec,
    ];
    expect(matches).toEqual([
      { headers: { 'x-tester': { exact: 'yes' } } },
      { queryParams: { canary: { prefix: '1' } } },
      { headers: { cookie: { regex: '^(.*;\\s*)?beta=on(;.*)?$' } } },
      { sourceLabels: { app: 'qa-runner' } },
    ]);
  });

  test('sourceLabels keeps a copy of the labels', () => {
    const labels: { [key: string]: string } = { app: 'qa-runner' };
    const match = RouteMatch.sourceLabels(labels);
    labels.app = 'other';
    expect(match.spec.sourceLabels).toEqual({ app: 'qa-runner' });
  });
});

describe('StringMatch refuses what Istio would', () => {
  const TOKEN_RULE = 'an HTTP token of letters, digits and !#$%&\'*+-.^_`|~';

  test.each<[string, () => unknown, string]>([
    ['an exact value is a number', () => StringMatch.exact(123 as unknown as string), 'StringMatch.exact: value must be a string, got 123; e.g. "yes"'],
    ['an exact value is left out', () => StringMatch.exact(undefined as unknown as string), 'StringMatch.exact: value must be a string, got nothing; e.g. "yes"'],
    ['an exact value is a BigInt', () => StringMatch.exact(1n as unknown as string), 'StringMatch.exact: value must be a string, got 1n; e.g. "yes"'],
    ['an exact value is a Symbol', () => StringMatch.exact(Symbol('yes') as unknown as string), 'StringMatch.exact: value must be a string, got Symbol(yes); e.g. "yes"'],
    ['a prefix is null', () => StringMatch.prefix(null as unknown as string), 'StringMatch.prefix: value must be a string, got null; e.g. "eu-"'],
    ['a prefix is empty', () => StringMatch.prefix(''), 'StringMatch.prefix: value must not be empty, which Istio refuses, got ""; match any value with StringMatch.regex(".*")'],
    ['a regex is an object', () => StringMatch.regex({} as unknown as string), 'StringMatch.regex: value must be a string, got {}; e.g. "eu-.*"'],
    ['a regex is empty', () => StringMatch.regex(''), 'StringMatch.regex: value must not be empty, which Istio refuses, got ""; match any value with ".*"'],
    ['a regex is longer than 1024 characters', () => StringMatch.regex('a'.repeat(1025)),
      `StringMatch.regex: value must be at most 1024 characters, as Istio takes a regex, got "${'a'.repeat(199)}…; match a shorter pattern, e.g. a prefix with StringMatch.prefix`],
    ['a regex has a lookahead, which RE2 lacks', () => StringMatch.regex('(?=a)b'),
      'StringMatch.regex: value must be an RE2 regular expression, as Istio compiles it (error parsing regexp: invalid or unsupported Perl syntax: `(?=`), '
      + 'got "(?=a)b"; rewrite it in RE2 syntax (https://github.com/google/re2/wiki/Syntax), which has no lookaround or backreferences'],
    ['a regex has a backreference', () => StringMatch.regex('(a)\\1'),
      'StringMatch.regex: value must be an RE2 regular expression, as Istio compiles it (error parsing regexp: invalid escape sequence: `\\1`), '
      + 'got "(a)\\\\1"; rewrite it in RE2 syntax (https://github.com/google/re2/wiki/Syntax), which has no lookaround or backreferences'],
  ])('fails when %s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  test('takes an empty exact value, a prefix of one character, and a regex of 1024 characters in RE2 syntax', () => {
    expect([StringMatch.exact(''), StringMatch.prefix('a'), StringMatch.regex('a'.repeat(1024))].map(m => m.spec))
      .toEqual([{ exact: '' }, { prefix: 'a' }, { regex: 'a'.repeat(1024) }]);
    expect(['(?i)eu-.*', '\\pL+', '(?P<v>v[0-9]+)', '[[:alpha:]]+', '\\Qa.b\\E', 'a{1000}'].map(r => StringMatch.regex(r).spec.regex))
      .toEqual(['(?i)eu-.*', '\\pL+', '(?P<v>v[0-9]+)', '[[:alpha:]]+', '\\Qa.b\\E', 'a{1000}']);
  });

  test('refuses exactly the regexes that Istio\'s webhook refuses', () => {
    const regexes = ['eu-.*', '(?=a)b', 'a(?!b)', '(?<=a)b', '(a)\\1', 'a{1001}', 'a++', '\\C', '[z-a]', '(', 'x**', '\\8', '(?i)ok', '^v[0-9]+$'];
    const refusedByFactory = regexes.filter(regex => { try { StringMatch.regex(regex); return false; } catch { return true; } });
    const refusedByWebhook = regexes.filter(regex => webhookViolations({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' },
      spec: { hosts: ['web'], http: [{ match: [{ headers: { 'x-tester': { regex } } }], route: [{ destination: { host: 'web' } }] }] },
    }).length > 0);
    expect(refusedByFactory).toEqual(refusedByWebhook);
    expect(refusedByFactory).toEqual(['(?=a)b', 'a(?!b)', '(?<=a)b', '(a)\\1', 'a{1001}', 'a++', '\\C', '[z-a]', '(', 'x**', '\\8']);
  });

  test('shows as Istio writes it, in error messages', () => {
    expect(JSON.stringify({ value: StringMatch.prefix('eu-') })).toBe('{"value":{"prefix":"eu-"}}');
  });

  describe('RouteMatch', () => {
    const header = (name: string) => `name must be a lower-case header name: ${TOKEN_RULE}, got ${name}; e.g. "x-tester"`;
    const yes = StringMatch.exact('yes');

    test.each<[string, () => unknown, string]>([
      ['a header name has a space', () => RouteMatch.header('x tester', yes), `RouteMatch.header: ${header('"x tester"')}`],
      ['a header name has upper case', () => RouteMatch.header('X-Tester', yes), `RouteMatch.header: ${header('"X-Tester"')}`],
      ['a header name is empty', () => RouteMatch.header('', yes), `RouteMatch.header: ${header('""')}`],
      ['a header name is a number', () => RouteMatch.header(1 as unknown as string, yes), `RouteMatch.header: ${header('1')}`],
      ['a header name is a pseudo-header', () => RouteMatch.header(':method', yes), `RouteMatch.header: ${header('":method"')}`],
      ['a header value is a string, not a StringMatch', () => RouteMatch.header('x-tester', 'yes' as unknown as StringMatch),
        'RouteMatch.header: value must be a StringMatch, got "yes"; use e.g. StringMatch.exact("yes")'],
      ['a header value is an object shaped like one', () => RouteMatch.header('x-tester', { spec: { exact: 'yes' } } as unknown as StringMatch),
        'RouteMatch.header: value must be a StringMatch, got {"spec":{"exact":"yes"}}; use e.g. StringMatch.exact("yes")'],
      ['a query parameter name has an =', () => RouteMatch.queryParam('a=b', yes),
        `RouteMatch.queryParam: name must be a query parameter name: ${TOKEN_RULE}, got "a=b"; e.g. "canary"`],
      ['a query parameter name is left out', () => RouteMatch.queryParam(undefined as unknown as string, yes),
        `RouteMatch.queryParam: name must be a query parameter name: ${TOKEN_RULE}, got nothing; e.g. "canary"`],
      ['a query parameter value is a number', () => RouteMatch.queryParam('canary', 1 as unknown as StringMatch),
        'RouteMatch.queryParam: value must be a StringMatch, got 1; use e.g. StringMatch.exact("yes")'],
      ['a cookie name has a space', () => RouteMatch.cookie('be ta', 'on'), `RouteMatch.cookie: name must be a cookie name: ${TOKEN_RULE}, got "be ta"; e.g. "beta"`],
      ['a cookie name is a number', () => RouteMatch.cookie(123 as unknown as string, 'on'), `RouteMatch.cookie: name must be a cookie name: ${TOKEN_RULE}, got 123; e.g. "beta"`],
      ['a cookie value is a number', () => RouteMatch.cookie('beta', 1 as unknown as string), `RouteMatch.cookie: value must be a cookie value (printable ASCII without space, '"', ',', ';' or '\\'), got 1; e.g. "on"`],
      ['a cookie makes a regex longer than 1024 characters', () => RouteMatch.cookie('beta', 'v'.repeat(1003)),
        `RouteMatch.cookie: value makes with the name a regex of 1025 characters, more than the 1024 Istio takes, got "${'v'.repeat(199)}…; use a shorter cookie name or value`],
      ['source labels are a string', () => RouteMatch.sourceLabels('abc' as unknown as { [key: string]: string }),
        'RouteMatch.sourceLabels: labels must be a map of names to strings, got "abc"; e.g. { app: "qa-runner" }'],
      ['source labels are left out', () => RouteMatch.sourceLabels(undefined as unknown as { [key: string]: string }),
        'RouteMatch.sourceLabels: labels must hold at least one label, or every caller would match, got nothing; e.g. { app: "qa-runner" }'],
      ['source labels are empty', () => RouteMatch.sourceLabels({}),
        'RouteMatch.sourceLabels: labels must hold at least one label, or every caller would match, got {}; e.g. { app: "qa-runner" }'],
      ['a source label key has a space', () => RouteMatch.sourceLabels({ 'qa runner': 'yes' }),
        'RouteMatch.sourceLabels: labels must have keys that are label keys, got "qa runner"; e.g. { app: "qa-runner" }'],
      ['a source label value is a number', () => RouteMatch.sourceLabels({ app: 1 as unknown as string }),
        'RouteMatch.sourceLabels: labels.app must be a string, got 1; quote numbers and booleans, e.g. "true"'],
      ['a source label value has a space', () => RouteMatch.sourceLabels({ app: 'qa runner' }),
        'RouteMatch.sourceLabels: labels.app must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63), got "qa runner"; e.g. { app: "qa-runner" }'],
      ['a source label value is longer than 63', () => RouteMatch.sourceLabels({ app: 'q'.repeat(64) }),
        `RouteMatch.sourceLabels: labels.app must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63), got "${'q'.repeat(64)}"; e.g. { app: "qa-runner" }`],
    ])('fails when %s', (_, make, message) => {
      expect(make).toThrow(message);
    });

    test.each([' ', '"', ',', ';', '\\', '\x7f', 'é'])('fails when a cookie value holds %j', character => {
      expect(() => RouteMatch.cookie('beta', `o${character}n`)).toThrow('RouteMatch.cookie: value must be a cookie value');
    });

    test('takes names and values at their limits: every token character, long names, an empty cookie, every cookie character, a 1024-character cookie regex', () => {
      const name = `a${'!#$%&\'*+-.^_`|~'.repeat(17)}`.slice(0, 256);
      expect(Object.keys(RouteMatch.header(name.toLowerCase(), StringMatch.exact('y'.repeat(5000))).spec.headers!)).toEqual([name.toLowerCase()]);
      expect(Object.keys(RouteMatch.queryParam(`Q${'q'.repeat(300)}`, StringMatch.exact('1'.repeat(2000))).spec.queryParams!)).toEqual([`Q${'q'.repeat(300)}`]);
      expect(RouteMatch.cookie('beta', '').spec.headers!.cookie.regex).toBe('^(.*;\\s*)?beta=(;.*)?$');
      const octets = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).filter(c => !'",;\\'.includes(c)).join('');
      expect(RouteMatch.cookie(name, octets).spec.headers!.cookie.regex).toContain('=!#\\$%&\'\\(\\)\\*\\+');
      expect(RouteMatch.cookie('beta', 'v'.repeat(1002)).spec.headers!.cookie.regex).toHaveLength(1024);
      expect(RouteMatch.sourceLabels({ app: 'q'.repeat(63), 'example.com/tier': '' }).spec.sourceLabels).toEqual({ app: 'q'.repeat(63), 'example.com/tier': '' });
    });

    test('conditions at their limits make objects that Istio and Gateway API accept', () => {
      const when = [
        RouteMatch.header('h'.repeat(256), StringMatch.regex(`${'a'.repeat(1020)}.*`)),
        RouteMatch.queryParam('canary', StringMatch.prefix('1'.repeat(1021))),
        RouteMatch.cookie('beta', 'v'.repeat(1002)),
      ];
      for (const trafficApi of [TrafficApi.ISTIO, TrafficApi.GATEWAY_API]) {
        expectValidManifests(synth(c => reviews(c, { trafficApi, testerRoutes: [{ when, to: RouteTarget.canary() }] })));
      }
    });
  });

  describe('RouteTarget', () => {
    test.each<[string, unknown, string]>([
      ['empty', '', '""'], ['a number', 2, '2'], ['left out', undefined, 'nothing'], ['longer than 63', 'v'.repeat(64), `"${'v'.repeat(64)}"`], ['not a label value', 'v 2', '"v 2"'],
    ])('fails when a version label is %s', (_, version, shown) => {
      expect(() => RouteTarget.version(version as string)).toThrow(
        `RouteTarget.version: version must be a non-empty label value (alphanumerics, with "-", "_" or "." inside, at most 63), got ${shown}; e.g. "v2" or "1.11"`);
    });

    test('takes a version label of 63 characters', () => {
      expect(RouteTarget.version('v'.repeat(63)).versionLabel).toBe('v'.repeat(63));
    });
  });
});
