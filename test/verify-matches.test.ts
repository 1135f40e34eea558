import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { Finding, Severity } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * Rules that never take traffic (route-unreachable, IST0130), matches that never decide anything
 * (match-ineffective, IST0131), and destinations without a host (destination-host-missing, IST0101).
 */

type Obj = Record<string, any>;

const MATCH_CODES = ['route-unreachable', 'match-ineffective'];

function loadFixture(name: string, folder = 'matches'): unknown[] {
  const documents = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', 'analyze', folder, name), 'utf8'));
  if (!Array.isArray(documents)) throw new Error(`${name} is empty`);
  return documents.map(d => d.toJS()).filter(value => value !== null);
}

/** The findings of the given codes, after checking the promises every finding keeps. */
function findings(objects: unknown[], codes: string[]): Finding[] {
  return verifiedFindings(objects).filter(f => codes.includes(f.code));
}

function matchFindings(objects: unknown[]): Finding[] {
  return findings(objects, MATCH_CODES);
}

function virtualService(spec: Obj, name = 'reviews'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec: { hosts: ['reviews'], ...spec } };
}

const ROUTE = [{ destination: { host: 'reviews' } }];

/** An http rule with these matches (none when undefined). */
function rule(match?: unknown, extra: Obj = {}): Obj {
  return match === undefined ? { route: ROUTE, ...extra } : { match, route: ROUTE, ...extra };
}

const VS = 'VirtualService/shop/reviews';

function unreachable(path: string, message: string, object = VS): Finding {
  return { code: 'route-unreachable', severity: Severity.WARNING, object, path, message, istioCode: 'IST0130' };
}

function ineffective(path: string, message: string, object = VS): Finding {
  return { code: 'match-ineffective', severity: Severity.WARNING, object, path, message, istioCode: 'IST0131' };
}

/** route-unreachable behind a rule that takes all traffic. */
function behind(ruleLabel: string, catchAll: string, reason: string): string {
  return `rule ${ruleLabel} never takes traffic, because rule ${catchAll} before it ${reason} and so takes all of it; `
    + `move rule ${catchAll} last, or give it a match that leaves this rule's traffic alone`;
}

/** route-unreachable with every match covered by earlier rules. */
function shadowed(ruleLabel: string, earlier: string): string {
  return `rule ${ruleLabel} never takes traffic, because each of its matches is matched first by ${earlier}; `
    + `remove it, or move it above ${earlier} if its routes should win`;
}

/** match-ineffective, covered by a match of an earlier rule. */
function covered(why: string, earlierRule: string): string {
  return `${why}, which Istio tries first, so this match never decides where traffic goes; `
    + `remove it, or move its rule above rule ${earlierRule} if it should win`;
}

describe('route-unreachable and match-ineffective on Istio\'s own cases', () => {
  test('fails when given Istio\'s duplicate matches, as istioctl analyze does', () => {
    expect(matchFindings(loadFixture('virtualservice_dupmatches.yaml', 'istio-grid'))).toEqual([
      ineffective('spec.http[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0'),
        'VirtualService/default/almost-duplicate-match'),
      ineffective('spec.tcp[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0'),
        'VirtualService/default/almost-duplicate-tcp-match'),
      unreachable('spec.tcp[1]', behind('#1', '#0', 'has no match'), 'VirtualService/default/duplicate-empty-tcp'),
      unreachable('spec.http[1]', shadowed('#1 ("send /api/v1/products to sample.bar")', 'rule #0 ("send /api/v1/products to sample.foo")'),
        'VirtualService/default/duplicate-match'),
      ineffective('spec.http[1].match[0]', covered('this match repeats match[0] ("prefix /api/v1/products") of rule #0 '
        + '("send /api/v1/products to sample.foo") (names aside)', '#0 ("send /api/v1/products to sample.foo")'),
      'VirtualService/default/duplicate-match'),
      unreachable('spec.tcp[1]', shadowed('#1', 'rule #0'), 'VirtualService/default/duplicate-tcp-match'),
      ineffective('spec.tcp[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0'),
        'VirtualService/default/duplicate-tcp-match'),
      unreachable('spec.http[1]', behind('#1', '#0', 'has no match'), 'VirtualService/foo/sample-foo-cluster01'),
      unreachable('spec.tls[1]', shadowed('#1', 'rule #0'), 'VirtualService/none/tls-routing'),
      ineffective('spec.tls[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0'),
        'VirtualService/none/tls-routing'),
      ineffective('spec.tls[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0'),
        'VirtualService/none/tls-routing-almostmatch'),
    ]);
  });

  // Istio reports the same four matches. It misses that rule #1 of overlapping-in-two-matches is
  // then never used, and that an exact `/` behind a prefix `/` is covered too.
  test('fails when given Istio\'s overlapping matches, and on the two it misses', () => {
    const inRule = 'which Istio tries first, so this match never decides where traffic goes; remove it';
    expect(matchFindings(loadFixture('virtualservice_overlappingmatches.yaml', 'istio-grid'))).toEqual([
      ineffective('spec.http[0].match[1]', `all traffic this match accepts is accepted by match[0] of this rule already, ${inRule}`,
        'VirtualService/default/non-method-get'),
      ineffective('spec.http[0].match[1]', `all traffic this match accepts is accepted by match[0] of this rule already, ${inRule}`,
        'VirtualService/default/overlapping-in-single-match'),
      unreachable('spec.http[1]', shadowed('#1 ("send products to sample.bar")', 'rule #0 ("send product to sample.foo")'),
        'VirtualService/default/overlapping-in-two-matches'),
      ineffective('spec.http[1].match[0]', covered('all traffic this match accepts is accepted by match[0] of rule #0 '
        + '("send product to sample.foo") already', '#0 ("send product to sample.foo")'), 'VirtualService/default/overlapping-in-two-matches'),
      ineffective('spec.http[1].match[0]', covered('all traffic this match accepts is accepted by match[0] of rule #0 '
        + '("send product to sample.foo") already', '#0 ("send product to sample.foo")'),
      'VirtualService/default/overlapping-mathes-with-different-methods'),
      ineffective('spec.http[0].match[1]', `all traffic this match accepts is accepted by match[0] of this rule already, ${inRule}`,
        'VirtualService/default/uri-with-prefix-exact'),
    ]);
  });

  test.each(['istio-dupmatches.fixed.yaml', 'istio-overlappingmatches.fixed.yaml'])('accepts the corrected %s', name => {
    expect(matchFindings(loadFixture(name))).toEqual([]);
  });
});

describe('route-unreachable behind a rule that takes all traffic', () => {
  test('accepts match rules first and the catch-all last', () => {
    expect(matchFindings([virtualService({
      http: [rule([{ headers: { 'end-user': { exact: 'jason' } } }]), rule([{ uri: { prefix: '/v2' } }]), rule()],
    })])).toEqual([]);
  });

  test('fails when a rule without match comes first, on every rule after it and no match of theirs', () => {
    expect(matchFindings([virtualService({
      http: [rule(undefined, { name: 'all' }), rule([{ uri: { prefix: '/a' } }, { uri: { prefix: '/a' } }]), rule()],
    })])).toEqual([
      unreachable('spec.http[1]', behind('#1', '#0 ("all")', 'has no match')),
      unreachable('spec.http[2]', behind('#2', '#0 ("all")', 'has no match')),
    ]);
  });

  test.each([
    ['an empty list', []],
    ['null', null],
  ])('fails when the first rule\'s match is %s, which is no match', (_, match) => {
    expect(matchFindings([virtualService({ http: [{ match, route: ROUTE }, rule([{ uri: { prefix: '/a' } }])] })])).toEqual([
      unreachable('spec.http[1]', behind('#1', '#0', 'has no match')),
    ]);
  });

  test.each([
    ['is empty', {}, 'has match[1] with no condition'],
    ['has only a name', { name: 'rest' }, 'has match[1] ("rest") with no condition'],
    ['has only empty conditions', { headers: {}, gateways: [], uri: {} }, 'has match[1] with no condition'],
    ['has only fields that select nothing', { statPrefix: 'all', ignoreUriCase: true }, 'has match[1] with no condition'],
  ])('fails when a match of an earlier rule %s, which Istio misses', (_, match, reason) => {
    expect(matchFindings([virtualService({
      http: [rule([{ uri: { prefix: '/a' } }, match]), rule(), rule([{ uri: { prefix: '/b' } }])],
    })])).toEqual([
      unreachable('spec.http[1]', behind('#1', '#0', reason)),
      unreachable('spec.http[2]', behind('#2', '#0', reason)),
    ]);
  });

  test('fails when the first match of an earlier rule sets no condition', () => {
    expect(matchFindings([virtualService({ http: [rule([{ name: 'everything' }, { uri: { prefix: '/a' } }]), rule()] })])).toEqual([
      ineffective('spec.http[0].match[1]', 'all traffic this match accepts is accepted by match[0] ("everything") of this rule already, '
        + 'which Istio tries first, so this match never decides where traffic goes; remove it'),
      unreachable('spec.http[1]', behind('#1', '#0', 'has match[0] ("everything") with no condition')),
    ]);
  });

  test('accepts a first rule scoped to one gateway, ahead of one for another gateway', () => {
    expect(matchFindings([virtualService({
      gateways: ['mesh', 'public'],
      http: [rule([{ gateways: ['mesh'] }]), rule([{ gateways: ['public'] }]), rule()],
    })])).toEqual([]);
  });

  test('keeps the protocols apart: an http catch-all leaves tcp and tls rules alone', () => {
    expect(matchFindings([virtualService({
      http: [rule([{ uri: { prefix: '/' } }]), rule()],
      tcp: [rule([{ port: 31400 }]), rule()],
      tls: [rule([{ sniHosts: ['a.example.com'] }]), rule([{ sniHosts: ['b.example.com'] }])],
    })])).toEqual([]);
  });

  test('skips malformed rules and matches, which neither take traffic nor lose it', () => {
    expect(matchFindings([virtualService({
      http: [null, 'rule', { match: 'all' }, { match: [{}, 'x'] }, rule([{ uri: { prefix: '/a' } }]), rule([{ uri: { prefix: '/a' } }])],
    })])).toEqual([
      unreachable('spec.http[5]', shadowed('#5', 'rule #4')),
      ineffective('spec.http[5].match[0]', covered('this match repeats match[0] of rule #4 (names aside)', '#4')),
    ]);
  });
});

describe('rules that delegate, whose delegate decides what they take', () => {
  const delegating = (match?: unknown) => ({ ...match === undefined ? {} : { match }, delegate: { name: 'reviews-routes' } });

  test('accepts a rule after one without match that delegates, which takes only what the delegate matches', () => {
    expect(matchFindings([virtualService({ http: [delegating(), rule([{ uri: { prefix: '/a' } }]), rule()] })])).toEqual([]);
  });

  test('accepts a match within the match of an earlier rule that delegates, whose delegate may take less', () => {
    expect(matchFindings([virtualService({ http: [delegating([{ uri: { prefix: '/api' } }]), rule([{ uri: { prefix: '/api/v2' } }])] })])).toEqual([]);
  });

  test('fails when a rule that delegates is itself behind a catch-all or an earlier match', () => {
    expect(matchFindings([virtualService({ http: [rule(), delegating([{ uri: { prefix: '/api' } }])] })])).toEqual([
      unreachable('spec.http[1]', behind('#1', '#0', 'has no match')),
    ]);
    expect(matchFindings([virtualService({ http: [rule([{ uri: { prefix: '/api' } }]), delegating([{ uri: { prefix: '/api/v1' } }])] })])).toEqual([
      unreachable('spec.http[1]', shadowed('#1', 'rule #0')),
      ineffective('spec.http[1].match[0]', covered('all traffic this match accepts is accepted by match[0] of rule #0 already', '#0')),
    ]);
  });

  test('fails behind a rule whose delegate is no object, which is no delegation', () => {
    expect(matchFindings([virtualService({ http: [{ delegate: 'reviews-routes', route: ROUTE }, rule()] })])).toEqual([
      unreachable('spec.http[1]', behind('#1', '#0', 'has no match')),
    ]);
  });
});

describe('match-ineffective and route-unreachable behind earlier matches', () => {
  test('fails when every match of a rule repeats one of several earlier rules, naming each once', () => {
    const a = { uri: { prefix: '/a' } };
    const b = { uri: { prefix: '/b' } };
    expect(matchFindings([virtualService({
      http: [rule([a]), rule([b], { name: 'b' }), rule([b, a, { ...b, name: 'again' }]), rule()],
    })])).toEqual([
      unreachable('spec.http[2]', shadowed('#2', 'rule #1 ("b"), rule #0')),
      ineffective('spec.http[2].match[0]', covered('this match repeats match[0] of rule #1 ("b") (names aside)', '#1 ("b")')),
      ineffective('spec.http[2].match[1]', covered('this match repeats match[0] of rule #0 (names aside)', '#0')),
      ineffective('spec.http[2].match[2]', covered('this match repeats match[0] of rule #1 ("b") (names aside)', '#1 ("b")')),
    ]);
  });

  test('fails when a match repeats or narrows an earlier one of its own rule, which leaves the rule in use', () => {
    const get = { uri: { prefix: '/a' }, method: { exact: 'GET' } };
    expect(matchFindings([virtualService({
      http: [rule([get, { uri: { prefix: '/b' } }, { method: { exact: 'GET' }, uri: { prefix: '/a' } }, { ...get, uri: { prefix: '/ab' } }])],
    })])).toEqual([
      ineffective('spec.http[0].match[2]', 'this match repeats match[0] of this rule (names aside), which Istio tries first, '
        + 'so this match never decides where traffic goes; remove it'),
      ineffective('spec.http[0].match[3]', 'all traffic this match accepts is accepted by match[0] of this rule already, '
        + 'which Istio tries first, so this match never decides where traffic goes; remove it'),
    ]);
  });

  test('fails when a match repeats an earlier one with its keys in another order', () => {
    expect(matchFindings([virtualService({
      http: [rule([{ method: { exact: 'GET' }, uri: { prefix: '/a' } }]), rule([{ uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { prefix: '/b' } }])],
    })])).toEqual([
      ineffective('spec.http[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0')),
    ]);
  });

  test('fails when a match differs from an earlier one only by fields left unset', () => {
    expect(matchFindings([virtualService({
      http: [rule([{ uri: { prefix: '/a' }, port: null, method: { exact: 'GET', regex: null } }]), rule([{ uri: { prefix: '/a' }, method: { exact: 'GET' } }])],
    })])).toEqual([
      unreachable('spec.http[1]', shadowed('#1', 'rule #0')),
      ineffective('spec.http[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0')),
    ]);
  });

  test('accepts an earlier match with a field Istio does not know, unless the later one is identical', () => {
    const odd = { uri: { prefix: '/a' }, future: true };
    expect(matchFindings([virtualService({ http: [rule([odd]), rule([{ ...odd, port: 80 }])] })])).toEqual([]);
    expect(matchFindings([virtualService({ http: [rule([odd]), rule([{ ...odd }])] })])).toEqual([
      unreachable('spec.http[1]', shadowed('#1', 'rule #0')),
      ineffective('spec.http[1].match[0]', covered('this match repeats match[0] of rule #0 (names aside)', '#0')),
    ]);
  });

  // [earlier match, later match]: each later match sets one more condition than the earlier one, so
  // no case is identical and each tests the comparison of one condition.
  const coveringCases: [string, Obj, Obj][] = [
    ['a prefix covers a longer prefix', { uri: { prefix: '/a' } }, { uri: { prefix: '/ab' } }],
    ['a prefix covers an exact path it starts', { uri: { prefix: '/a' } }, { uri: { exact: '/ab' } }],
    ['an exact path covers itself', { uri: { exact: '/a' } }, { uri: { exact: '/a' }, port: 80 }],
    ['a regex covers itself', { uri: { regex: '/a.*' } }, { uri: { regex: '/a.*' }, port: 80 }],
    ['an empty string match sets no condition', { uri: {}, port: 80 }, { port: 80, scheme: { exact: 'https' } }],
    ['a cleared value sets no condition', { method: { exact: null }, port: 80 }, { port: 80, scheme: { exact: 'https' } }],
    ['a case-insensitive path covers a case-sensitive one', { uri: { prefix: '/a' }, ignoreUriCase: true }, { uri: { prefix: '/ab' } }],
    ['a case-insensitive path covers a case-insensitive one', { uri: { prefix: '/a' }, ignoreUriCase: true }, { uri: { prefix: '/ab' }, ignoreUriCase: true }],
    ['a case-sensitive path covers one that says so', { uri: { prefix: '/a' }, ignoreUriCase: false }, { uri: { prefix: '/ab' }, ignoreUriCase: false }],
    ['no method covers any method', { uri: { prefix: '/a' } }, { uri: { prefix: '/a' }, method: { exact: 'POST' } }],
    ['a scheme covers itself', { scheme: { exact: 'https' } }, { scheme: { exact: 'https' }, port: 80 }],
    ['an authority prefix covers a longer authority', { authority: { prefix: 'api.' } }, { authority: { exact: 'api.example.com' } }],
    ['a header covers itself among others', { headers: { x: { exact: 'a' } } }, { headers: { x: { exact: 'a' }, y: { exact: 'b' } } }],
    ['a header presence covers any value', { headers: { x: {} } }, { headers: { x: { exact: 'a' } } }],
    ['a header presence by the regex *, which Istio gives Envoy as a present match, covers any value', { headers: { x: { regex: '*' } } }, { headers: { x: { regex: 'a.*' } } }],
    ['excluding a header value covers excluding the header by the regex *', { withoutHeaders: { x: { exact: 'a' } } }, { withoutHeaders: { x: { regex: '*' } } }],
    ['a query parameter prefix covers a longer one', { queryParams: { q: { prefix: 'a' } } }, { queryParams: { q: { prefix: 'ab' } } }],
    ['excluding a header value covers excluding the header', { withoutHeaders: { x: { exact: 'a' } } }, { withoutHeaders: { x: {} } }],
    ['a port covers itself', { port: 80 }, { port: 80, uri: { prefix: '/' } }],
    ['a source namespace covers itself', { sourceNamespace: 'web' }, { sourceNamespace: 'web', port: 80 }],
    ['a source subnet covers itself', { sourceSubnet: '10.0.0.0/8' }, { sourceSubnet: '10.0.0.0/8', port: 80 }],
    ['source labels cover more source labels', { sourceLabels: { app: 'web' } }, { sourceLabels: { app: 'web', version: 'v1' } }],
    ['gateways cover one of them', { gateways: ['mesh', 'public'] }, { gateways: ['public'] }],
    ['no gateways cover any gateway', { gateways: [], port: 80 }, { gateways: ['public'], port: 80 }],
    ['destination subnets cover one of them', { destinationSubnets: ['10.0.0.0/8', '10.1.0.0/16'] }, { destinationSubnets: ['10.1.0.0/16'] }],
    ['a wildcard SNI host covers a host under it', { sniHosts: ['*.example.com'] }, { sniHosts: ['a.example.com', 'b.example.com'] }],
    ['an undefined field sets no condition', { uri: { prefix: '/a' }, future: undefined }, { uri: { prefix: '/ab' } }],
    ['a stats prefix selects nothing', { statPrefix: 'a', port: 80 }, { port: 80, uri: { prefix: '/' } }],
  ];

  test.each(coveringCases)('fails when %s', (_, earlier, later) => {
    expect(matchFindings([virtualService({ http: [rule([earlier]), rule([later])] })])).toEqual([
      unreachable('spec.http[1]', shadowed('#1', 'rule #0')),
      ineffective('spec.http[1].match[0]', covered('all traffic this match accepts is accepted by match[0] of rule #0 already', '#0')),
    ]);
  });

  const distinctCases: [string, Obj, Obj][] = [
    ['a prefix does not cover a shorter prefix', { uri: { prefix: '/ab' } }, { uri: { prefix: '/a' } }],
    ['a prefix does not cover a path it does not start', { uri: { prefix: '/a' } }, { uri: { exact: '/b' } }],
    ['an exact path does not cover a prefix of the same text', { uri: { exact: '/a' } }, { uri: { prefix: '/a' } }],
    ['a regex does not cover another regex', { uri: { regex: '/a.*' } }, { uri: { regex: '/a.+' } }],
    ['a path does not cover no path', { uri: { prefix: '/a' }, port: 80 }, { port: 80, method: { exact: 'GET' } }],
    ['a case-sensitive path does not cover a case-insensitive one', { uri: { prefix: '/a' } }, { uri: { prefix: '/ab' }, ignoreUriCase: true }],
    ['a method does not cover another', { uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { prefix: '/ab' }, method: { exact: 'POST' } }],
    ['a method does not cover any method', { uri: { prefix: '/a' }, method: { exact: 'GET' } }, { uri: { prefix: '/ab' } }],
    ['a longer exact value does not cover a shorter one, as Istio says it does', { headers: { x: { exact: 'abc' } } }, { headers: { x: { exact: 'ab' } } }],
    ['a longer prefix does not cover a shorter one, as Istio says it does', { headers: { x: { prefix: 'ab' } } }, { headers: { x: { prefix: 'a' } } }],
    ['a value written as text is no condition Istio knows', { method: 'GET' }, { method: 'GET', port: 80 }],
    ['a value that is no string is no condition Istio knows', { method: { exact: 5 } }, { method: { exact: 5 }, port: 80 }],
    ['a scheme does not cover another', { scheme: { exact: 'https' } }, { scheme: { exact: 'http' } }],
    ['an authority does not cover another', { authority: { exact: 'a' } }, { authority: { exact: 'b' } }],
    ['a header does not cover its absence', { headers: { x: {} } }, { headers: { y: {} } }],
    ['a header value * is no presence, as the regex * is', { headers: { x: { exact: '*' } } }, { headers: { x: { exact: 'a' } } }],
    ['a header regex other than * is compared only with itself', { headers: { x: { regex: '.*' } } }, { headers: { x: { exact: 'a' } } }],
    ['headers written as a list are no condition Istio knows', { headers: ['x'] }, { headers: ['x'], port: 80 }],
    ['a query parameter does not cover another value', { queryParams: { q: { exact: 'a' } } }, { queryParams: { q: { exact: 'b' } } }],
    ['excluding a header does not cover excluding one value', { withoutHeaders: { x: {} } }, { withoutHeaders: { x: { exact: 'a' } } }],
    ['excluding a header is not covered by not excluding it', { withoutHeaders: { x: {} } }, { port: 80 }],
    ['a port does not cover another', { port: 80 }, { port: 81 }],
    ['a port does not cover any port', { port: 80 }, { uri: { prefix: '/' } }],
    ['a source namespace does not cover another', { sourceNamespace: 'web' }, { sourceNamespace: 'api' }],
    ['a source subnet does not cover another', { sourceSubnet: '10.0.0.0/8' }, { sourceSubnet: '10.0.0.0/16' }],
    ['source labels do not cover another value', { sourceLabels: { app: 'web' } }, { sourceLabels: { app: 'api' } }],
    ['a gateway does not cover another', { gateways: ['mesh'] }, { gateways: ['public'] }],
    ['a gateway does not cover some of another', { gateways: ['mesh'] }, { gateways: ['mesh', 'public'] }],
    ['a gateway does not cover every gateway', { gateways: ['mesh'] }, { gateways: [], port: 80 }],
    ['a gateway does not cover no gateways', { gateways: ['mesh'] }, { port: 80 }],
    ['gateways written as text are no condition Istio knows', { gateways: 'mesh' }, { gateways: 'mesh', port: 80 }],
    ['a destination subnet does not cover another', { destinationSubnets: ['10.0.0.0/8'] }, { destinationSubnets: ['10.0.0.0/16'] }],
    ['an SNI host does not cover a wildcard over it', { sniHosts: ['a.example.com'] }, { sniHosts: ['*.example.com'] }],
    ['an SNI host that is no string covers nothing', { sniHosts: [5] }, { sniHosts: ['5'], port: 80 }],
    ['an SNI host does not cover one that is no string', { sniHosts: ['*'] }, { sniHosts: [5] }],
  ];

  test.each(distinctCases)('accepts that %s', (_, earlier, later) => {
    expect(matchFindings([virtualService({ http: [rule([earlier]), rule([later])] })])).toEqual([]);
  });
});

describe('destination-host-missing', () => {
  function missing(path: string, message: string): Finding {
    return { code: 'destination-host-missing', severity: Severity.ERROR, object: VS, path, message, istioCode: 'IST0101' };
  }

  const REJECTED = 'which Istio rejects, so none of this VirtualService\'s routes take effect';
  const FIX = 'name the Service or ServiceEntry host that should receive this traffic';

  function hostFindings(spec: Obj): Finding[] {
    return findings([virtualService(spec)], ['destination-host-missing']);
  }

  test('accepts routes, mirror and mirrors that each name a host', () => {
    expect(hostFindings({
      http: [{ route: [{ destination: { host: 'reviews' }, weight: 100 }], mirror: { host: 'reviews' }, mirrors: [{ destination: { host: 'reviews' } }] }],
      tcp: [{ route: [{ destination: { host: 'reviews' } }] }],
      tls: [{ match: [{ sniHosts: ['reviews'] }], route: [{ destination: { host: 'reviews' } }] }],
    })).toEqual([]);
  });

  test('accepts an http rule without mirror, or with a null one, and skips what is no rule', () => {
    expect(hostFindings({ http: [{ route: ROUTE }, { route: ROUTE, mirror: null }, null, { route: 'reviews' }] })).toEqual([]);
  });

  test('fails when a route entry of each protocol has no destination', () => {
    expect(hostFindings({
      http: [{ route: [{ destination: { host: 'reviews' }, weight: 90 }, { weight: 10 }] }],
      tcp: [{ route: [{ destination: null }] }],
      tls: [{ match: [{ sniHosts: ['reviews'] }], route: ['reviews'] }],
    })).toEqual([
      missing('spec.http[0].route[1]', `this entry has no destination, ${REJECTED}; add destination.host to ${FIX}`),
      missing('spec.tcp[0].route[0]', `this entry has no destination, ${REJECTED}; add destination.host to ${FIX}`),
      missing('spec.tls[0].route[0]', `this entry has no destination, ${REJECTED}; add destination.host to ${FIX}`),
    ]);
  });

  test.each([
    ['no host', { subset: 'v2' }],
    ['no host', { host: null }],
    ['an empty host', { host: '' }],
    ['host 5, which is not a name', { host: 5 }],
    ['host {"name":"reviews"}, which is not a name', { host: { name: 'reviews' } }],
  ])('fails when a destination has %s: %j', (description, destination) => {
    expect(hostFindings({ http: [{ route: [{ destination }] }] })).toEqual([
      missing('spec.http[0].route[0].destination.host', `the destination has ${description}, ${REJECTED}; set host to ${FIX}`),
    ]);
  });

  test('fails when a destination is no object', () => {
    expect(hostFindings({ http: [{ route: [{ destination: 'reviews' }] }] })).toEqual([
      missing('spec.http[0].route[0].destination', `destination "reviews" is not an object with a host, ${REJECTED}; write it as { host: ... } to ${FIX}`),
    ]);
  });

  test('fails when a mirror has no host or is no object', () => {
    expect(hostFindings({ http: [{ route: ROUTE, mirror: { subset: 'v2' } }, { route: ROUTE, mirror: 'reviews' }] })).toEqual([
      missing('spec.http[0].mirror.host', `the mirror has no host, ${REJECTED}; set host to ${FIX}`),
      missing('spec.http[1].mirror', `mirror "reviews" is not an object with a host, ${REJECTED}; write it as { host: ... } to ${FIX}`),
    ]);
  });

  test('fails when a mirrors entry has no destination, or one without host', () => {
    expect(hostFindings({ http: [{ route: ROUTE, mirrors: [{ percentage: { value: 5 } }, { destination: { host: '' } }] }] })).toEqual([
      missing('spec.http[0].mirrors[0]', `this entry has no destination, ${REJECTED}; add destination.host to ${FIX}`),
      missing('spec.http[0].mirrors[1].destination.host', `the destination has an empty host, ${REJECTED}; set host to ${FIX}`),
    ]);
  });

  test('accepts a mirror written on a tcp or tls rule, where Istio has no such field', () => {
    expect(hostFindings({
      tcp: [{ route: ROUTE, mirror: {}, mirrors: [{}] }],
      tls: [{ match: [{ sniHosts: ['reviews'] }], route: ROUTE, mirror: {}, mirrors: [{}] }],
    })).toEqual([]);
  });
});

describe('at gateways, as in the mesh, nothing after a catch-all rule is built (route.BuildHTTPRoutesForVirtualService)', () => {
  test('fails on a rule after a catch-all in a VirtualService bound to gateways alone', () => {
    const atGateway = virtualService({ hosts: ['reviews.example.com'], gateways: ['istio-system/public'], http: [rule(), rule([{ uri: { prefix: '/v2' } }])] });
    expect(matchFindings([atGateway])).toEqual([unreachable('spec.http[1]', behind('#1', '#0', 'has no match'))]);
  });
});
