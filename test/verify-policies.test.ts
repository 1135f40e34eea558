import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { Finding, Severity, VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * DestinationRule TLS without a CA to verify the server with (destination-rule-tls-unverified,
 * destination-rule-port-tls-unverified: IST0128, IST0129), routes on JWT claims that no
 * RequestAuthentication makes available (jwt-claim-route-without-authentication: IST0149), deprecated
 * fields (deprecated-field: IST0002), and gateway routes that bypass the mesh's subsets
 * (gateway-route-bypasses-split: IST0140).
 */

type Obj = Record<string, any>;

function loadFixture(name: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', 'analyze', 'istio-grid', name), 'utf8'));
  if (!Array.isArray(documents)) throw new Error(`${name} is empty`);
  return documents.map(d => d.toJS()).filter(value => value !== null);
}

/** The findings of the given codes, after checking the promises every finding keeps. */
function findings(objects: unknown[], codes: readonly string[], options?: VerifyOptions): Finding[] {
  return verifiedFindings(objects, options).filter(f => codes.includes(f.code));
}

function object(apiVersion: string, kind: string, name: string, namespace: string, spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion, kind, metadata: { name, namespace, ...metadata }, spec };
}

function istio(kind: string, name: string, spec: Obj, namespace = 'shop'): Obj {
  return object('networking.istio.io/v1', kind, name, namespace, spec);
}

function deployment(name: string, labels: Obj, namespace = 'shop'): Obj {
  return object('apps/v1', 'Deployment', name, namespace, { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {} } });
}

function service(name: string, selector: Obj | undefined, namespace = 'shop'): Obj {
  return object('v1', 'Service', name, namespace, { selector, ports: [{ name: 'http', port: 9080 }] });
}

// ---------------------------------------------------------------------------------------------------

const TLS_CODES = ['destination-rule-tls-unverified', 'destination-rule-port-tls-unverified'];

function tlsFindings(objects: unknown[]): Finding[] {
  return findings(objects, TLS_CODES);
}

function ruleTls(path: string, message: string, object = 'DestinationRule/shop/db'): Finding {
  return { code: 'destination-rule-tls-unverified', severity: Severity.WARNING, object, path, message, istioCode: 'IST0128' };
}

function portTls(path: string, message: string, object = 'DestinationRule/shop/db'): Finding {
  return { code: 'destination-rule-port-tls-unverified', severity: Severity.WARNING, object, path, message, istioCode: 'IST0129' };
}

/** The message on TLS without CA to a cluster-local host. */
function noCa(what: string, mode: string, host: string): string {
  return `${what} in mode ${mode} names no caCertificates, so proxies verify the certificate of ${host} against their OS CA bundle alone, `
    + 'and no public CA certifies a cluster-local name: the handshake fails (Istio before 1.20 verifies nothing instead); set caCertificates '
    + 'to the file of the CA that signed the server\'s certificate, or credentialName with a workloadSelector';
}

/** The message on a credentialName in a rule without workloadSelector. */
function ignoredCredential(what: string, mode: string, credential: string, host: string): string {
  return `${what} in mode ${mode} takes its certificates from credentialName ${credential}, which sidecars ignore in a DestinationRule `
    + `without workloadSelector: they originate no TLS to ${host} at all, only gateways do; add a workloadSelector for the pods `
    + 'that should originate it, such as an egress gateway\'s';
}

/** A DestinationRule `shop/db` with this TLS on the whole host. */
function dbRule(tls: unknown, extra: Obj = {}): Obj {
  return istio('DestinationRule', 'db', { host: 'db', trafficPolicy: { tls }, ...extra });
}

/** A DestinationRule `shop/db` with this TLS on its second port, 443. */
function dbPortRule(tls: unknown, extra: Obj = {}): Obj {
  return istio('DestinationRule', 'db', {
    host: 'db',
    trafficPolicy: { portLevelSettings: [{ port: { number: 80 } }, { port: { number: 443 }, tls }] },
    ...extra,
  });
}

const DB = 'db.shop.svc.cluster.local';

describe('destination-rule-tls-unverified and destination-rule-port-tls-unverified', () => {
  test('fails when given Istio\'s rules without caCertificates, as istioctl analyze does', () => {
    const host = 'mydbserver.prod.svc.cluster.local';
    const at = (file: string) => tlsFindings(loadFixture(`destinationrule-${file}.yaml`));
    expect(at('simple-destination')).toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', host), 'DestinationRule/default/db-tls')]);
    expect(at('mutual-destination')).toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'MUTUAL', host), 'DestinationRule/default/db-mtls')]);
    expect(at('simple-port')).toEqual([portTls('spec.trafficPolicy.portLevelSettings[0].tls', noCa('tls on port 443', 'SIMPLE', host),
      'DestinationRule/default/db-tls')]);
    expect(at('mutual-port')).toEqual([portTls('spec.trafficPolicy.portLevelSettings[0].tls', noCa('tls on port 443', 'MUTUAL', host),
      'DestinationRule/default/db-mtls')]);
    expect(at('compound-simple-mutual')).toEqual([
      portTls('spec.trafficPolicy.portLevelSettings[0].tls', noCa('tls on port 443', 'SIMPLE', host), 'DestinationRule/default/db-mtls'),
      ruleTls('spec.trafficPolicy.tls', noCa('tls', 'MUTUAL', host), 'DestinationRule/default/db-mtls'),
    ]);
    expect(at('compound-mutual-simple')).toEqual([
      portTls('spec.trafficPolicy.portLevelSettings[0].tls', noCa('tls on port 443', 'MUTUAL', host), 'DestinationRule/default/db-mtls'),
      ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', host), 'DestinationRule/default/db-mtls'),
    ]);
    expect(at('simple-destination-credentialname')).toEqual([ruleTls('spec.trafficPolicy.tls',
      ignoredCredential('tls', 'SIMPLE', 'db-credential', host), 'DestinationRule/default/db-tls')]);
    expect(at('simple-port-credentialname')).toEqual([portTls('spec.trafficPolicy.portLevelSettings[0].tls',
      ignoredCredential('tls on port 443', 'SIMPLE', 'db-credential', host), 'DestinationRule/default/db-tls')]);
  });

  test('passes Istio\'s rules with caCertificates, or with credentialName and a workloadSelector, as istioctl analyze does', () => {
    for (const file of ['with-ca', 'simple-destination-credentialname-selector', 'simple-port-credentialname-selector']) {
      expect({ file, found: tlsFindings(loadFixture(`destinationrule-${file}.yaml`)) }).toEqual({ file, found: [] });
    }
  });

  test('fails when a rule originates TLS to a Service without caCertificates, with the full finding', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE' })])).toEqual([ruleTls('spec.trafficPolicy.tls',
      'tls in mode SIMPLE names no caCertificates, so proxies verify the certificate of db.shop.svc.cluster.local against their OS CA '
      + 'bundle alone, and no public CA certifies a cluster-local name: the handshake fails (Istio before 1.20 verifies nothing instead); '
      + 'set caCertificates to the file of the CA that signed the server\'s certificate, or credentialName with a workloadSelector')]);
    expect(tlsFindings([dbPortRule({ mode: 'MUTUAL', caCertificates: '' })])).toEqual([portTls('spec.trafficPolicy.portLevelSettings[1].tls',
      'tls on port 443 in mode MUTUAL names no caCertificates, so proxies verify the certificate of db.shop.svc.cluster.local against their '
      + 'OS CA bundle alone, and no public CA certifies a cluster-local name: the handshake fails (Istio before 1.20 verifies nothing '
      + 'instead); set caCertificates to the file of the CA that signed the server\'s certificate, or credentialName with a workloadSelector')]);
  });

  test('passes a rule with caCertificates', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem' })])).toEqual([]);
    expect(tlsFindings([dbPortRule({ mode: 'MUTUAL', caCertificates: '/etc/certs/ca.pem' })])).toEqual([]);
  });

  test('passes modes in which the proxy originates no TLS of the user\'s', () => {
    for (const mode of ['ISTIO_MUTUAL', 'DISABLE', 'simple', undefined]) {
      expect({ mode, found: tlsFindings([dbRule({ mode }), dbPortRule({ mode })]) }).toEqual({ mode, found: [] });
    }
  });

  test('passes a rule without TLS, or with policies that are no objects', () => {
    expect(tlsFindings([istio('DestinationRule', 'db', { host: 'db' })])).toEqual([]);
    expect(tlsFindings([istio('DestinationRule', 'db', { host: 'db', trafficPolicy: { tls: 'SIMPLE', portLevelSettings: 'x' } })])).toEqual([]);
    expect(tlsFindings([istio('DestinationRule', 'db', { host: 'db', trafficPolicy: { portLevelSettings: [null, { tls: null }] } })])).toEqual([]);
  });

  test('passes a rule that skips verification in so many words, and fails one that only seems to', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE', insecureSkipVerify: true })])).toEqual([]);
    expect(tlsFindings([dbPortRule({ mode: 'SIMPLE', insecureSkipVerify: true })])).toEqual([]);
    for (const insecureSkipVerify of [false, 'true']) {
      expect(tlsFindings([dbRule({ mode: 'SIMPLE', insecureSkipVerify })])).toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', DB))]);
    }
  });

  test('passes TLS to a host outside the cluster, which the OS CA bundle verifies', () => {
    for (const host of ['www.googleapis.com', '*', 'db.svc.cluster.local.example.com', 'svc.cluster.local']) {
      expect({ host, found: tlsFindings([istio('DestinationRule', 'db', { host, trafficPolicy: { tls: { mode: 'SIMPLE' } } })]) })
        .toEqual({ host, found: [] });
    }
    expect(tlsFindings(loadFixture('../clean/bookinfo-canary/egress-rule-google-apis.yaml'))).toEqual([]);
  });

  test('fails when TLS goes without caCertificates to every Service of a wildcard, or to a Service written in full', () => {
    const wildcard = istio('DestinationRule', 'db', { host: '*.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    expect(tlsFindings([wildcard])).toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', '*.svc.cluster.local'))]);
    const full = istio('DestinationRule', 'db', { host: 'db.data.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    expect(tlsFindings([full])).toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', 'db.data.svc.cluster.local'))]);
  });

  test('passes a rule without host, which Istio rejects for other reasons', () => {
    expect(tlsFindings([istio('DestinationRule', 'db', { trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'db' } } })])).toEqual([]);
  });

  test('fails when a credentialName is in a rule without workloadSelector, whatever the host', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE', credentialName: 'db-credential' })])).toEqual([ruleTls('spec.trafficPolicy.tls',
      'tls in mode SIMPLE takes its certificates from credentialName db-credential, which sidecars ignore in a DestinationRule without '
      + 'workloadSelector: they originate no TLS to db.shop.svc.cluster.local at all, only gateways do; add a workloadSelector for the pods '
      + 'that should originate it, such as an egress gateway\'s')]);
    const external = istio('DestinationRule', 'db', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'api' } } });
    expect(tlsFindings([external])).toEqual([ruleTls('spec.trafficPolicy.tls', ignoredCredential('tls', 'MUTUAL', 'api', 'api.example.com'))]);
    const notASelector = dbPortRule({ mode: 'SIMPLE', credentialName: 'db-credential' }, { workloadSelector: 'app=db' });
    expect(tlsFindings([notASelector])).toEqual([portTls('spec.trafficPolicy.portLevelSettings[1].tls',
      ignoredCredential('tls on port 443', 'SIMPLE', 'db-credential', DB))]);
  });

  test('passes a credentialName in a rule with a workloadSelector, even an empty one, as Istio', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE', credentialName: 'db' }, { workloadSelector: { matchLabels: { app: 'egress' } } })])).toEqual([]);
    expect(tlsFindings([dbPortRule({ mode: 'MUTUAL', credentialName: 'db' }, { workloadSelector: {} })])).toEqual([]);
  });

  test('fails when a workloadSelector comes without credentialName, which it does not stand in for', () => {
    expect(tlsFindings([dbRule({ mode: 'SIMPLE', credentialName: '' }, { workloadSelector: { matchLabels: { app: 'egress' } } })]))
      .toEqual([ruleTls('spec.trafficPolicy.tls', noCa('tls', 'SIMPLE', DB))]);
  });

  test('names a port without number as it comes', () => {
    const rule = istio('DestinationRule', 'db', { host: 'db', trafficPolicy: { portLevelSettings: [{ tls: { mode: 'SIMPLE' } }] } });
    expect(tlsFindings([rule])).toEqual([portTls('spec.trafficPolicy.portLevelSettings[0].tls', noCa('tls on port undefined', 'SIMPLE', DB))]);
  });
});

// ---------------------------------------------------------------------------------------------------

const JWT_CODES = ['jwt-claim-route-without-authentication'];

function jwtFindings(objects: unknown[], options?: VerifyOptions): Finding[] {
  return findings(objects, JWT_CODES, options);
}

function jwt(path: string, message: string, object = 'VirtualService/shop/reviews'): Finding {
  return { code: 'jwt-claim-route-without-authentication', severity: Severity.ERROR, object, path, message, istioCode: 'IST0149' };
}

function noAuthentication(key: string, workloads: string, gateway: string, selector = 'istio=ingressgateway'): string {
  return `this match reads JWT claim ${key}, but no RequestAuthentication with jwtRules applies to the pods of ${workloads} behind gateway `
    + `${gateway}, so they validate no token and the claim is never set for the match; add a RequestAuthentication beside those pods or in `
    + `istio-system whose selector matches their labels (${selector})`;
}

const CLAIM = '@request.auth.claims.group';
const CLAIM_PATH = 'spec.http[0].match[0].headers["@request.auth.claims.group"]';
const INGRESS = 'Deployment/istio-system/ingress';
const PUBLIC = 'istio-system/public';

function gatewayPods(name = 'ingress', labels: Obj = { istio: 'ingressgateway' }, namespace = 'istio-system'): Obj {
  return deployment(name, labels, namespace);
}

function publicGateway(selector: unknown = { istio: 'ingressgateway' }): Obj {
  return istio('Gateway', 'public', {
    selector,
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/reviews.example.com'] }],
  }, 'istio-system');
}

/** A VirtualService `shop/reviews` whose first match reads these headers. */
function claimRoute(match: Obj, gateways: unknown = [PUBLIC]): Obj {
  return istio('VirtualService', 'reviews', {
    hosts: ['reviews.example.com'],
    gateways,
    http: [{ match: [match], route: [{ destination: { host: 'reviews' } }] }, { route: [{ destination: { host: 'reviews' } }] }],
  });
}

function requestAuthentication(spec: Obj, namespace = 'istio-system', name = 'jwt'): Obj {
  return object('security.istio.io/v1', 'RequestAuthentication', name, namespace, { jwtRules: [{ issuer: 'https://auth.example.com' }], ...spec });
}

const SELECTS_INGRESS = { selector: { matchLabels: { istio: 'ingressgateway' } } };

/** Reviews behind the public gateway, routed on a claim; with `extra` objects. */
function claimSet(extra: Obj[], match: Obj = { headers: { [CLAIM]: { exact: 'beta' } } }, gateways?: unknown): Obj[] {
  return [
    deployment('reviews', { app: 'reviews' }),
    service('reviews', { app: 'reviews' }),
    gatewayPods(),
    publicGateway(),
    claimRoute(match, gateways),
    ...extra,
  ];
}

describe('jwt-claim-route-on-mesh: what Istio\'s webhook refuses (ValidateVirtualService)', () => {
  const refused = (objects: Obj[]) => findings(objects, ['jwt-claim-route-on-mesh']);
  const onMesh = (path: string, key = CLAIM, object = 'VirtualService/shop/reviews'): Finding => ({
    code: 'jwt-claim-route-on-mesh', severity: Severity.ERROR, object, path, istioCode: 'IST0106',
    message: `this match reads JWT claim ${key} in a VirtualService that applies to the mesh (its gateways list mesh, or none), which Istio's webhook refuses: `
      + 'claims are matched at gateways only; move the rule to a VirtualService bound to gateways alone',
  });
  const RA = requestAuthentication(SELECTS_INGRESS);

  test('fails when a VirtualService bound to the mesh, alone or beside a gateway, matches on a claim, whatever its match\'s gateways', () => {
    expect(refused(claimSet([RA], undefined, ['mesh']))).toEqual([onMesh(CLAIM_PATH)]);
    expect(refused(claimSet([RA], undefined, []))).toEqual([onMesh(CLAIM_PATH)]);
    expect(refused(claimSet([RA], { gateways: [PUBLIC], headers: { [CLAIM]: { exact: 'beta' } } }, [PUBLIC, 'mesh']))).toEqual([onMesh(CLAIM_PATH)]);
  });

  test('fails on a claim among the headers a match must lack, and in a delegate, which applies where its root does but is validated as for the mesh', () => {
    const claim = '@request.auth.claims[group]';
    expect(refused(claimSet([RA], { withoutHeaders: { [claim]: { exact: 'beta' } } }, ['mesh'])))
      .toEqual([onMesh(`spec.http[0].match[0].withoutHeaders["${claim}"]`, claim)]);
    const delegate = istio('VirtualService', 'reviews-routes', { http: [{ match: [{ headers: { [CLAIM]: { exact: 'beta' } } }], route: [{ destination: { host: 'reviews' } }] }] });
    expect(refused([delegate])).toEqual([onMesh(CLAIM_PATH, CLAIM, 'VirtualService/shop/reviews-routes')]);
  });

  test('passes a claim match in a VirtualService bound to gateways alone, and a header that names no claim', () => {
    expect(refused(claimSet([RA]))).toEqual([]);
    expect(refused(claimSet([RA], { headers: { '@request.auth.claims': { exact: 'beta' }, 'x-group': { exact: 'beta' } } }, ['mesh']))).toEqual([]);
  });
});

describe('jwt-claim-route-without-authentication', () => {
  test('fails when given Istio\'s claim route without RequestAuthentication, with the gateway\'s pods beside it', () => {
    expect(jwtFindings([...loadFixture('virtualservice_jwtclaimroute.yaml'), gatewayPods('istio-ingressgateway')])).toEqual([
      jwt('spec.http[0].match[0].headers["@request.auth.claims.foo"]',
        noAuthentication('@request.auth.claims.foo', 'Deployment/istio-system/istio-ingressgateway', 'default/foo-gateway'),
        'VirtualService/default/foo'),
    ]);
  });

  test('passes Istio\'s claim route when a RequestAuthentication selects the gateway\'s pods', () => {
    expect(jwtFindings([...loadFixture('virtualservice_jwtclaimroute.yaml'), gatewayPods('istio-ingressgateway'),
      requestAuthentication(SELECTS_INGRESS)])).toEqual([]);
  });

  test('fails when no RequestAuthentication validates tokens on the gateway\'s pods, with the full finding', () => {
    expect(jwtFindings(claimSet([]))).toEqual([jwt(CLAIM_PATH,
      'this match reads JWT claim @request.auth.claims.group, but no RequestAuthentication with jwtRules applies to the pods of '
      + 'Deployment/istio-system/ingress behind gateway istio-system/public, so they validate no token and the claim is never set for the '
      + 'match; add a RequestAuthentication beside those pods or in istio-system whose selector matches their labels (istio=ingressgateway)')]);
  });

  test('passes when a RequestAuthentication in istio-system selects the gateway\'s pods', () => {
    expect(jwtFindings(claimSet([requestAuthentication(SELECTS_INGRESS)]))).toEqual([]);
  });

  test('takes the RequestAuthentications of the mesh\'s rootNamespace where the MeshConfig names one, and not those of istio-system', () => {
    const root = { rootNamespace: 'istio-config' };
    // Gateway pods outside both, so that neither namespace is theirs.
    const set = (namespace: string) => [deployment('reviews', { app: 'reviews' }), service('reviews', { app: 'reviews' }),
      gatewayPods('ingress', { istio: 'ingressgateway' }, 'istio-ingress'), publicGateway(), claimRoute({ headers: { [CLAIM]: { exact: 'beta' } } }),
      requestAuthentication(SELECTS_INGRESS, namespace)];
    expect(jwtFindings(set('istio-config'), root)).toEqual([]);
    expect(jwtFindings(set('istio-config'))).toHaveLength(1);
    expect(jwtFindings(set('istio-system'))).toEqual([]);
    expect(jwtFindings(set('istio-system'), root)).toEqual([jwt(CLAIM_PATH,
      noAuthentication(CLAIM, 'Deployment/istio-ingress/ingress', PUBLIC).replace('or in istio-system', 'or in istio-config'))]);
  });

  test('passes a RequestAuthentication without selector in istio-system, which applies to every pod of the mesh', () => {
    expect(jwtFindings(claimSet([requestAuthentication({})]))).toEqual([]);
    expect(jwtFindings(claimSet([requestAuthentication({ selector: {} })]))).toEqual([]);
  });

  test('fails when the only RequestAuthentication selects other pods, or validates nothing', () => {
    const failing = jwtFindings(claimSet([]));
    expect(jwtFindings(claimSet([requestAuthentication({ selector: { matchLabels: { istio: 'egressgateway' } } })]))).toEqual(failing);
    expect(jwtFindings(claimSet([requestAuthentication({ ...SELECTS_INGRESS, jwtRules: [] })]))).toEqual(failing);
    expect(jwtFindings(claimSet([requestAuthentication({ ...SELECTS_INGRESS, jwtRules: 'x' })]))).toEqual(failing);
  });

  test('fails when the RequestAuthentication is of another kind or group', () => {
    const failing = jwtFindings(claimSet([]));
    const authorization = { ...requestAuthentication(SELECTS_INGRESS), kind: 'AuthorizationPolicy' };
    const foreign = { ...requestAuthentication(SELECTS_INGRESS), apiVersion: 'security.example.io/v1' };
    expect(jwtFindings(claimSet([authorization]))).toEqual(failing);
    expect(jwtFindings(claimSet([foreign]))).toEqual(failing);
  });

  test('counts RequestAuthentications of the pods\' namespace and of istio-system only', () => {
    const pods = gatewayPods('ingress', { istio: 'ingressgateway' }, 'gateways');
    const set = (ra: Obj) => [...claimSet([ra]).filter(o => o.metadata.name !== 'ingress'), pods];
    expect(jwtFindings(set(requestAuthentication(SELECTS_INGRESS, 'gateways')))).toEqual([]);
    expect(jwtFindings(set(requestAuthentication(SELECTS_INGRESS, 'istio-system')))).toEqual([]);
    expect(jwtFindings(set(requestAuthentication(SELECTS_INGRESS, 'shop')))).toEqual([jwt(CLAIM_PATH,
      noAuthentication(CLAIM, 'Deployment/gateways/ingress', PUBLIC))]);
  });

  test('names only the gateway\'s pods that no RequestAuthentication covers', () => {
    const set = claimSet([
      gatewayPods('ingress-east', { istio: 'ingressgateway', zone: 'east' }),
      gatewayPods('ingress-west', { istio: 'ingressgateway', zone: 'west' }),
      requestAuthentication({ selector: { matchLabels: { zone: 'east' } } }),
    ]);
    expect(jwtFindings(set)).toEqual([jwt(CLAIM_PATH,
      noAuthentication(CLAIM, 'Deployment/istio-system/ingress, Deployment/istio-system/ingress-west', PUBLIC))]);
  });

  test('passes when the gateway is outside the set, missing, selects no pods in the set, or has no selector', () => {
    const without = (name: string) => claimSet([]).filter(o => o.metadata.name !== name);
    expect(jwtFindings(without('public'))).toEqual([]);
    expect(jwtFindings(without('ingress'))).toEqual([]);
    expect(jwtFindings([...without('public'), publicGateway({})])).toEqual([]);
    expect(jwtFindings([...without('public'), publicGateway({ istio: 'other' })])).toEqual([]);
    const templateless = { ...gatewayPods('rollout'), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { workloadRef: { name: 'x' } } };
    expect(jwtFindings([...without('ingress'), templateless])).toEqual([]);
  });

  test('reads claims in headers and withoutHeaders, in any case, with dots or brackets', () => {
    const keys = ['@request.auth.claims.a', '@Request.Auth.Claims.group', '@request.auth.claims[a]', '@request.auth.claims[nested][b]'];
    for (const key of keys) {
      expect(jwtFindings(claimSet([], { headers: { [key]: { exact: 'x' } } })))
        .toEqual([jwt(`spec.http[0].match[0].headers[${JSON.stringify(key)}]`, noAuthentication(key, INGRESS, PUBLIC))]);
      expect(jwtFindings(claimSet([], { withoutHeaders: { [key]: { exact: 'x' } } })))
        .toEqual([jwt(`spec.http[0].match[0].withoutHeaders[${JSON.stringify(key)}]`, noAuthentication(key, INGRESS, PUBLIC))]);
    }
  });

  test('passes headers that name no claim', () => {
    const keys = ['@request.auth.claims', '@request.auth.claims.', '@request.auth.claims[]', '@request.auth.claims[a', '@request.auth.claims[ab',
      '@request.auth.claimsa', '@request.auth.claimsabc', '@request.auth.claimsab]', 'x-request-auth-claim.group', 'group'];
    for (const key of keys) {
      expect({ key, found: jwtFindings(claimSet([], { headers: { [key]: { exact: 'x' } } })) }).toEqual({ key, found: [] });
    }
    expect(jwtFindings(claimSet([], { headers: 'x', withoutHeaders: ['@request.auth.claims.a'] }))).toEqual([]);
  });

  test('reports each claim of each match', () => {
    const vs = istio('VirtualService', 'reviews', {
      hosts: ['reviews.example.com'],
      gateways: [PUBLIC],
      http: [
        { route: [] },
        { match: [{ uri: { prefix: '/' } }, { headers: { 'x-user': { exact: 'a' }, '@request.auth.claims.a': { exact: 'a' }, '@request.auth.claims.b': { exact: 'b' } } }] },
      ],
    });
    const set = [...claimSet([]).filter(o => o.kind !== 'VirtualService'), vs];
    expect(jwtFindings(set)).toEqual([
      jwt('spec.http[1].match[1].headers["@request.auth.claims.a"]', noAuthentication('@request.auth.claims.a', INGRESS, PUBLIC)),
      jwt('spec.http[1].match[1].headers["@request.auth.claims.b"]', noAuthentication('@request.auth.claims.b', INGRESS, PUBLIC)),
    ]);
  });

  test('reads the gateways of the VirtualService, and leaves one bound to the mesh too to jwt-claim-route-on-mesh, since Istio refuses it', () => {
    const failing = jwtFindings(claimSet([]));
    expect(jwtFindings(claimSet([], undefined, [PUBLIC, 'mesh']))).toEqual([]);
    expect(jwtFindings(claimSet([], undefined, [PUBLIC, 'istio-system/public']))).toEqual(failing);
    expect(jwtFindings(claimSet([], undefined, ['mesh']))).toEqual([]);
    expect(jwtFindings(claimSet([], undefined, []))).toEqual([]);
  });

  test('reads the gateways of the match among those of the VirtualService', () => {
    const match = (gateways: unknown) => ({ gateways, headers: { [CLAIM]: { exact: 'beta' } } });
    const failing = jwtFindings(claimSet([]));
    const bound = [PUBLIC, 'istio-system/other'];
    expect(jwtFindings(claimSet([], match([PUBLIC]), bound))).toEqual(failing);
    expect(jwtFindings(claimSet([], match(['', 7, PUBLIC, PUBLIC]), bound))).toEqual(failing);
    expect(jwtFindings(claimSet([], match(['istio-system/other']), bound))).toEqual([]);
    // A match's gateways only narrow the VirtualService's: the gateway's pods never take this match (match-gateway-not-bound).
    expect(jwtFindings(claimSet([], match([PUBLIC]), ['istio-system/other']))).toEqual([]);
    // A bare name means the VirtualService's namespace, where there is no Gateway public.
    expect(jwtFindings(claimSet([], match(['public']), [PUBLIC, 'shop/public']))).toEqual([]);
    expect(jwtFindings(claimSet([], match(['', 7]), [PUBLIC]))).toEqual(failing);
  });

  test('resolves a bare gateway name in the VirtualService\'s namespace', () => {
    const vs = { ...claimRoute({ headers: { [CLAIM]: { exact: 'beta' } } }, ['public']), metadata: { name: 'reviews', namespace: 'istio-system' } };
    const set = [...claimSet([]).filter(o => o.kind !== 'VirtualService'), vs];
    expect(jwtFindings(set)).toEqual([jwt(CLAIM_PATH, noAuthentication(CLAIM, INGRESS, PUBLIC), 'VirtualService/istio-system/reviews')]);
  });

  describe('with targetRefs, as istiod attaches them', () => {
    const GATEWAY_API_LABELS = { istio: 'ingressgateway', 'gateway.networking.k8s.io/gateway-name': 'edge' };
    const REF = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' };

    /** The gateway's pods made by a Gateway API Gateway `istio-system/edge`. */
    function gatewayApiSet(ra: Obj, podNamespace = 'istio-system'): Obj[] {
      return [...claimSet([ra]).filter(o => o.metadata.name !== 'ingress'), gatewayPods('edge', GATEWAY_API_LABELS, podNamespace)];
    }

    function failing(podNamespace = 'istio-system'): Finding[] {
      return [jwt(CLAIM_PATH, noAuthentication(CLAIM, `Deployment/${podNamespace}/edge`, PUBLIC))];
    }

    test('passes a RequestAuthentication that targets the Gateway API Gateway of the pods', () => {
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [REF] })))).toEqual([]);
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [{ ...REF, name: 'other' }, { ...REF, namespace: 'istio-system' }] }))))
        .toEqual([]);
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRef: REF })))).toEqual([]);
    });

    test('fails when the targetRefs name another Gateway, kind, group or namespace', () => {
      for (const ref of [{ ...REF, name: 'other' }, { ...REF, kind: 'Service' }, { ...REF, group: '' }, { ...REF, namespace: 'shop' }, { kind: 'Gateway', name: 'edge' }]) {
        expect({ ref, found: jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [ref] }))) }).toEqual({ ref, found: failing() });
      }
    });

    test('fails when targetRefs target pods of another namespace, even from istio-system', () => {
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [REF] }), 'gateways'))).toEqual(failing('gateways'));
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [REF] }, 'gateways'), 'gateways'))).toEqual([]);
    });

    test('reads targetRefs before the older targetRef', () => {
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [{ ...REF, name: 'other' }], targetRef: REF })))).toEqual(failing());
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRefs: [], targetRef: REF })))).toEqual([]);
    });

    test('ignores a targetRef that is no object, and reads the selector instead', () => {
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRef: 'edge', selector: { matchLabels: { istio: 'other' } } }))))
        .toEqual(failing());
      expect(jwtFindings(gatewayApiSet(requestAuthentication({ targetRef: null, ...SELECTS_INGRESS })))).toEqual([]);
    });

    test('fails when targetRefs meet pods that no Gateway API Gateway made', () => {
      const failingIngress = [jwt(CLAIM_PATH, noAuthentication(CLAIM, INGRESS, PUBLIC))];
      expect(jwtFindings(claimSet([requestAuthentication({ targetRefs: [REF], ...SELECTS_INGRESS })]))).toEqual(failingIngress);
      expect(jwtFindings(claimSet([requestAuthentication({ targetRefs: [{ group: REF.group, kind: 'Gateway' }] })]))).toEqual(failingIngress);
      expect(jwtFindings(claimSet([requestAuthentication({ targetRef: REF })]))).toEqual(failingIngress);
    });

    test('passes a selector on the pods of a Gateway API Gateway', () => {
      expect(jwtFindings(gatewayApiSet(requestAuthentication(SELECTS_INGRESS)))).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------

function deprecations(objects: unknown[]): Finding[] {
  return findings(objects, ['deprecated-field']);
}

function deprecated(path: string, message: string, object = 'VirtualService/shop/reviews'): Finding {
  return { code: 'deprecated-field', severity: Severity.WARNING, object, path, message, istioCode: 'IST0002' };
}

function delayed(delay: unknown): Obj {
  return istio('VirtualService', 'reviews', {
    hosts: ['reviews'],
    http: [{ route: [{ destination: { host: 'reviews' } }] }, { fault: { delay }, route: [{ destination: { host: 'reviews' } }] }],
  });
}

describe('deprecated-field', () => {
  test('fails when given Istio\'s deprecated fields, on the routing kinds, as istioctl analyze does', () => {
    expect(deprecations(loadFixture('deprecation.yaml'))).toEqual([deprecated('spec.http[0].fault.delay.percent',
      'fault.delay.percent 50 is deprecated, and a later Istio release may drop it (percent is ignored already where percentage is set '
      + 'too); write percentage: { value: 50 } instead', 'VirtualService/foo/productpage')]);
  });

  test('fails when a delay has a percent above 0', () => {
    for (const percent of [0.5, 100]) {
      expect(deprecations([delayed({ fixedDelay: '5s', percent })])).toEqual([deprecated('spec.http[1].fault.delay.percent',
        `fault.delay.percent ${percent} is deprecated, and a later Istio release may drop it (percent is ignored already where percentage `
        + `is set too); write percentage: { value: ${percent} } instead`)]);
    }
  });

  test('passes a delay with percentage, or a percent that is 0, negative or no number', () => {
    for (const delay of [{ fixedDelay: '5s', percentage: { value: 50 } }, { percent: 0 }, { percent: -1 }, { percent: '50' }, 'x', null]) {
      expect({ delay, found: deprecations([delayed(delay)]) }).toEqual({ delay, found: [] });
    }
    expect(deprecations([istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ fault: 'x' }, null] })])).toEqual([]);
  });

  test('fails when a rule mirrors by mirrorPercent, which mirrorPercentage replaces', () => {
    const mirrored = (rule: Obj) => istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }], mirror: { host: 'reviews' }, ...rule }] });
    expect(deprecations([mirrored({ mirrorPercent: 0 })])).toEqual([deprecated('spec.http[0].mirrorPercent',
      'mirrorPercent 0 is deprecated, and a later Istio release may drop it (it is ignored already where mirrorPercentage is set too); '
      + 'write mirrorPercentage: { value: 0 } instead')]);
    expect(deprecations([mirrored({ mirrorPercentage: { value: 5 } }), mirrored({ mirrorPercent: '5' })])).toEqual([]);
  });

  test('fails on each deprecated load balancer field of a DestinationRule, its subsets and their ports', () => {
    const legacy = { consistentHash: { httpHeaderName: 'x-user', minimumRingSize: 1024 }, warmupDurationSecs: '30s' };
    const rule = istio('DestinationRule', 'reviews', {
      host: 'reviews',
      trafficPolicy: { loadBalancer: legacy, portLevelSettings: [{ port: { number: 80 } }, { port: { number: 81 }, loadBalancer: { warmupDurationSecs: '5s' } }] },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { portLevelSettings: [{ loadBalancer: legacy }] } }],
    });
    const ring = (path: string) => deprecated(`${path}.consistentHash.minimumRingSize`, 'consistentHash.minimumRingSize 1024 is deprecated, and a later Istio '
      + 'release may drop it (it is ignored already where ringHash.minimumRingSize is set too); write consistentHash.ringHash: { minimumRingSize: 1024 } instead',
    'DestinationRule/shop/reviews');
    const warmup = (path: string, duration: string) => deprecated(`${path}.warmupDurationSecs`, `warmupDurationSecs ${duration} is deprecated, and a later Istio `
      + `release may drop it (it is ignored already where warmup is set too); write warmup: { duration: ${duration} } instead`, 'DestinationRule/shop/reviews');
    expect(deprecations([rule])).toEqual([
      ring('spec.subsets[1].trafficPolicy.portLevelSettings[0].loadBalancer'),
      warmup('spec.subsets[1].trafficPolicy.portLevelSettings[0].loadBalancer', '30s'),
      ring('spec.trafficPolicy.loadBalancer'),
      warmup('spec.trafficPolicy.loadBalancer', '30s'),
      warmup('spec.trafficPolicy.portLevelSettings[1].loadBalancer', '5s'),
    ]);
  });

  test('skips the holes of sparse subset and port lists, and still finds what follows them', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, { loadBalancer: { warmupDurationSecs: '5s' } }];
    const rule = istio('DestinationRule', 'reviews', { host: 'reviews', trafficPolicy: { portLevelSettings: sparse }, subsets: [, { name: 'v1', trafficPolicy: { portLevelSettings: sparse } }] });
    expect(deprecations([rule]).map(f => f.path)).toEqual([
      'spec.subsets[1].trafficPolicy.portLevelSettings[1].loadBalancer.warmupDurationSecs',
      'spec.trafficPolicy.portLevelSettings[1].loadBalancer.warmupDurationSecs',
    ]);
  });

  test('passes the load balancer fields that replace them, and values of the wrong type', () => {
    const rule = istio('DestinationRule', 'reviews', {
      host: 'reviews',
      trafficPolicy: { loadBalancer: { consistentHash: { ringHash: { minimumRingSize: 1024 }, minimumRingSize: '1024' }, warmup: { duration: '30s' }, warmupDurationSecs: 30 } },
    });
    expect(deprecations([rule])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------

function bypasses(objects: unknown[]): Finding[] {
  return findings(objects, ['gateway-route-bypasses-split']);
}

function bypass(path: string, message: string, object = 'VirtualService/shop/reviews-public'): Finding {
  return { code: 'gateway-route-bypasses-split', severity: Severity.WARNING, object, path, message, istioCode: 'IST0140' };
}

function bypassMessage(gateways: string, host: string, splitters: string, subsets: string): string {
  return `this route sends requests through gateway ${gateways} to ${host} without a subset, while ${splitters} routes ${host} by subset `
    + `(${subsets}) for the mesh; a gateway applies only its own routes, so these requests reach every pod of ${host} whatever the mesh's `
    + 'routes say; route to the same subsets here, with the weights meant for the gateway\'s traffic';
}

const REVIEWS = 'reviews.shop.svc.cluster.local';
const SPLIT_BY = bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews', 'v1, v2');

function destination(host: string, subset?: string, weight?: number): Obj {
  return { destination: subset === undefined ? { host } : { host, subset }, weight };
}

/** The mesh's VirtualService for reviews: 90/10 over v1 and v2 unless other http rules are given. */
function meshRoutes(http: Obj[] = [{ route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }], extra: Obj = {}): Obj {
  return istio('VirtualService', 'reviews', { hosts: ['reviews'], http, ...extra });
}

/** The gateway's VirtualService `reviews-public`, routing to reviews without subset unless told otherwise. */
function gatewayRoutes(spec: Obj = {}, namespace = 'shop'): Obj {
  return istio('VirtualService', 'reviews-public', {
    hosts: ['reviews.example.com'],
    gateways: [PUBLIC],
    http: [{ route: [destination('reviews')] }],
    ...spec,
  }, namespace);
}

/** reviews v1 and v2 behind one Service, with a DestinationRule for both. */
function reviewsPods(versions: readonly string[] = ['v1', 'v2']): Obj[] {
  return [
    ...versions.map(v => deployment(`reviews-${v}`, { app: 'reviews', version: v })),
    service('reviews', { app: 'reviews' }),
    istio('DestinationRule', 'reviews', { host: 'reviews', subsets: ['v1', 'v2'].map(v => ({ name: v, labels: { version: v } })) }),
  ];
}

describe('gateway-route-bypasses-split', () => {
  test('fails when given Istio\'s gateway route without subset, as istioctl analyze does', () => {
    expect(bypasses(loadFixture('virtualservice_route_rule_no_effects_ingress.yaml'))).toEqual([bypass('spec.http[0].route[0].destination',
      bypassMessage('istio-system/testing-gateway-01-test-01', 'ratings.default.svc.cluster.local', 'VirtualService/default/ratings-01', 'v1'),
      'VirtualService/default/testing-service-01-test-01')]);
  });

  test('fails when the mesh splits the host in the delegate of a VirtualService that claims it', () => {
    const root = istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ delegate: { name: 'reviews-split' } }] });
    const split = istio('VirtualService', 'reviews-split', { http: [{ route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }] });
    expect(bypasses([...reviewsPods(), root, split, gatewayRoutes()])).toEqual([
      bypass('spec.http[0].route[0].destination', bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews-split', 'v1, v2')),
    ]);
    // Without its root, a delegate claims no host, so its subsets split none.
    expect(bypasses([...reviewsPods(), split, gatewayRoutes()])).toEqual([]);
  });

  test('fails when a gateway route names no subset of a host the mesh splits, with the full finding', () => {
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes()])).toEqual([bypass('spec.http[0].route[0].destination',
      'this route sends requests through gateway istio-system/public to reviews.shop.svc.cluster.local without a subset, while '
      + 'VirtualService/shop/reviews routes reviews.shop.svc.cluster.local by subset (v1, v2) for the mesh; a gateway applies only its own '
      + 'routes, so these requests reach every pod of reviews.shop.svc.cluster.local whatever the mesh\'s routes say; route to the same '
      + 'subsets here, with the weights meant for the gateway\'s traffic')]);
  });

  test('names every gateway the route applies at', () => {
    const twoGateways = gatewayRoutes({ gateways: [PUBLIC, 'istio-system/internal'] });
    expect(bypasses([...reviewsPods(), meshRoutes(), twoGateways])).toEqual([bypass('spec.http[0].route[0].destination',
      bypassMessage('istio-system/public, istio-system/internal', REVIEWS, 'VirtualService/shop/reviews', 'v1, v2'))]);
  });

  test('passes a gateway route that names a subset', () => {
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes({ http: [{ route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }] })]))
      .toEqual([]);
  });

  test('passes a gateway route to a host that no mesh route splits', () => {
    expect(bypasses([...reviewsPods(), gatewayRoutes()])).toEqual([]);
    expect(bypasses([...reviewsPods(), meshRoutes([{ route: [destination('reviews')] }]), gatewayRoutes()])).toEqual([]);
    // A split of a host the mesh VirtualService does not claim is no split of it for the mesh.
    expect(bypasses([...reviewsPods(), meshRoutes(undefined, { hosts: ['ratings'] }), gatewayRoutes()])).toEqual([]);
  });

  test('resolves short names in each VirtualService\'s own namespace, where Istio compares strings', () => {
    // Written in full from another namespace, reviews is the same host: Istio misses this one.
    const full = gatewayRoutes({ http: [{ route: [destination(REVIEWS)] }] }, 'web');
    expect(bypasses([...reviewsPods(), meshRoutes(), full])).toEqual([bypass('spec.http[0].route[0].destination', SPLIT_BY,
      'VirtualService/web/reviews-public')]);
    // A short name in another namespace is another host: Istio reports this one wrongly.
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes({}, 'web')])).toEqual([]);
    // The mesh's VirtualService may claim and route the host in full too.
    const fullMesh = meshRoutes([{ route: [destination(REVIEWS, 'v1', 90), destination('reviews', 'v2', 10)] }], { hosts: [REVIEWS] });
    expect(bypasses([...reviewsPods(), fullMesh, gatewayRoutes()])).toEqual([bypass('spec.http[0].route[0].destination', SPLIT_BY)]);
  });

  test('reads which routes apply at a gateway and which in the mesh', () => {
    const split = [{ route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }];
    // The mesh's routes bound to a gateway alone split nothing for the mesh; bound to both, they do.
    expect(bypasses([...reviewsPods(), meshRoutes(split, { gateways: ['istio-system/other'] }), gatewayRoutes()])).toEqual([]);
    expect(bypasses([...reviewsPods(), meshRoutes(split, { gateways: ['istio-system/other', 'mesh'] }), gatewayRoutes()]))
      .toEqual([bypass('spec.http[0].route[0].destination', SPLIT_BY)]);
    // Routes without gateways apply to the mesh alone.
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes({ gateways: [] })])).toEqual([]);
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes({ gateways: ['mesh'] })])).toEqual([]);
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes({ gateways: ['mesh', PUBLIC] })]))
      .toEqual([bypass('spec.http[0].route[0].destination', SPLIT_BY)]);
  });

  test('reads the gateways a rule\'s matches name', () => {
    const scoped = (gateways: string[]) => [{ match: [{ gateways }], route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }];
    expect(bypasses([...reviewsPods(), meshRoutes(scoped([PUBLIC]), { gateways: [PUBLIC, 'mesh'] }), gatewayRoutes()])).toEqual([]);
    expect(bypasses([...reviewsPods(), meshRoutes(scoped(['mesh']), { gateways: [PUBLIC, 'mesh'] }), gatewayRoutes()]))
      .toEqual([bypass('spec.http[0].route[0].destination', SPLIT_BY)]);
    // A match's gateways only narrow the VirtualService's: bound to a gateway alone, it splits nothing for the mesh (match-gateway-not-bound).
    expect(bypasses([...reviewsPods(), meshRoutes(scoped(['mesh']), { gateways: [PUBLIC] }), gatewayRoutes()])).toEqual([]);
    const meshOnly = { http: [{ match: [{ gateways: ['mesh'] }], route: [destination('reviews')] }] };
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes(meshOnly)])).toEqual([]);
    // A match without gateways opens the rule to every gateway the VirtualService is bound to, whatever its other matches name.
    const halfScoped = { gateways: ['mesh', PUBLIC], http: [{ match: [{ gateways: ['mesh'] }, { uri: { prefix: '/' } }], route: [destination('reviews')] }] };
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes(halfScoped)]))
      .toEqual([bypass('spec.http[0].route[0].destination', bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews', 'v1, v2'))]);
    // A bare name resolves in the VirtualService's namespace.
    const bare = { gateways: ['mesh', 'shop/public'], http: [{ match: [{ gateways: ['public'] }], route: [destination('reviews')] }] };
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes(bare)]))
      .toEqual([bypass('spec.http[0].route[0].destination', bypassMessage('shop/public', REVIEWS, 'VirtualService/shop/reviews', 'v1, v2'))]);
  });

  test('passes one VirtualService that routes a host with and without subsets, which it scopes on purpose', () => {
    const both = istio('VirtualService', 'reviews', {
      hosts: ['reviews', 'reviews.example.com'],
      gateways: [PUBLIC, 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'] }], route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] },
        { match: [{ gateways: [PUBLIC] }], route: [destination('reviews')] },
      ],
    });
    expect(bypasses([...reviewsPods(), both])).toEqual([]);
  });

  test('reads tcp and tls routes as http ones, and leaves mirrors out', () => {
    const tcpSplit = meshRoutes([], { tcp: [{ route: [destination('reviews', 'v1', 90), destination('reviews', 'v2', 10)] }] });
    expect(bypasses([...reviewsPods(), tcpSplit, gatewayRoutes({ http: [], tls: [{ route: [destination('reviews')] }] })]))
      .toEqual([bypass('spec.tls[0].route[0].destination', SPLIT_BY)]);
    const mirrored = { http: [{ route: [destination('reviews', 'v1')], mirror: { host: 'reviews' }, mirrors: [{ destination: { host: 'reviews' } }] }] };
    expect(bypasses([...reviewsPods(), meshRoutes(), gatewayRoutes(mirrored)])).toEqual([]);
    const meshMirror = meshRoutes([{ route: [destination('reviews')], mirror: { host: 'reviews', subset: 'v2' } }]);
    expect(bypasses([...reviewsPods(), meshMirror, gatewayRoutes()])).toEqual([]);
  });

  test('names every VirtualService that splits the host for the mesh, each once', () => {
    const other = istio('VirtualService', 'reviews-canary', {
      hosts: ['reviews'],
      http: [{ match: [{ headers: { 'x-canary': { exact: '1' } } }], route: [destination('reviews', 'v2')] }, { route: [destination('reviews', 'v2')] }],
    });
    expect(bypasses([...reviewsPods(), meshRoutes(), other, gatewayRoutes()])).toEqual([bypass('spec.http[0].route[0].destination',
      bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews, VirtualService/shop/reviews-canary', 'v1, v2'))]);
  });

  describe('when the mesh sends the host to one subset', () => {
    const pinned = () => meshRoutes([{ match: [{ uri: { prefix: '/a' } }], route: [destination('reviews', 'v1')] }, { route: [destination('reviews', 'v1')] }]);
    const PINNED = bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews', 'v1');

    test('passes when that subset holds every pod of the host, so the gateway reaches the same pods', () => {
      expect(bypasses([...reviewsPods(['v1']), pinned(), gatewayRoutes()])).toEqual([]);
      expect(bypasses(loadFixture('../clean/bookinfo-all-v1/virtual-service-all-v1.yaml')
        .concat(loadFixture('../clean/bookinfo-all-v1/bookinfo-gateway.yaml'), loadFixture('../clean/bookinfo-all-v1/bookinfo.yaml'),
          loadFixture('../clean/bookinfo-all-v1/destination-rule-all.yaml')))).toEqual([]);
    });

    test('fails when the host has pods outside that subset', () => {
      expect(bypasses([...reviewsPods(), pinned(), gatewayRoutes()])).toEqual([bypass('spec.http[0].route[0].destination', PINNED)]);
      const unlabelled = deployment('reviews-old', { app: 'reviews' });
      expect(bypasses([...reviewsPods(['v1']), unlabelled, pinned(), gatewayRoutes()])).toEqual([bypass('spec.http[0].route[0].destination', PINNED)]);
    });

    test('fails when the pods behind the host cannot be told', () => {
      const [v1, , rule] = reviewsPods(['v1']);
      const set = (...objects: Obj[]) => [...objects, pinned(), gatewayRoutes()];
      const failing = [bypass('spec.http[0].route[0].destination', PINNED)];
      expect(bypasses(set(v1, rule))).toEqual(failing);
      expect(bypasses(set(v1, istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1' }] })))).toEqual(failing);
      expect(bypasses(set(v1, service('reviews', undefined), rule))).toEqual(failing);
      expect(bypasses(set(v1, service('reviews', { app: 'nobody' }), rule))).toEqual(failing);
      expect(bypasses(set(v1, service('reviews', { app: 'reviews' })))).toEqual(failing);
      const otherSubsets = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v1' } }] });
      expect(bypasses(set(v1, service('reviews', { app: 'reviews' }), otherSubsets))).toEqual(failing);
    });

    test('fails when the mesh splits the host over a subset that holds every pod and another', () => {
      const rule = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'all' }, { name: 'v2', labels: { version: 'v2' } }] });
      const split = meshRoutes([{ route: [destination('reviews', 'all', 90), destination('reviews', 'v2', 10)] }]);
      expect(bypasses([...reviewsPods().filter(o => o.kind !== 'DestinationRule'), rule, split, gatewayRoutes()]))
        .toEqual([bypass('spec.http[0].route[0].destination', bypassMessage(PUBLIC, REVIEWS, 'VirtualService/shop/reviews', 'all, v2'))]);
    });

    test('passes a subset without labels, which holds every pod', () => {
      const everyPod = istio('DestinationRule', 'reviews', { host: 'reviews', subsets: [{ name: 'v1' }] });
      expect(bypasses([...reviewsPods().filter(o => o.kind !== 'DestinationRule'), everyPod, pinned(), gatewayRoutes()])).toEqual([]);
    });
  });
});
