import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { CODES, Finding, VerifyOptions, verifyManifests } from '../src/verify';

type Obj = Record<string, any>;

const FIXTURES = join(__dirname, 'fixtures', 'analyze', 'gateways');

function loadFixture(name: string): Obj[] {
  return parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf8')).map(d => d.toJS());
}

const VALID = readFileSync(join(FIXTURES, 'valid-until-2100.pem'), 'utf8');
const EXPIRED = readFileSync(join(FIXTURES, 'expired-2021.pem'), 'utf8');
/** The checks read only the certificate; a key need only be there, as Istio's analyzer has it. */
const KEY = 'placeholder: no private key is kept in the fixtures';

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** The checks of this file's module; other modules' findings on these sets are not under test here. */
const CERTIFICATE_CODES = ['gateway-certificate-shared', 'gateway-secret-not-found', 'gateway-certificate-invalid'];

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  const findings = verifyManifests(objects, options).filter(f => CERTIFICATE_CODES.includes(f.code));
  for (const f of findings) expect(f.severity).toBe(CODES[f.code as keyof typeof CODES]);
  return findings;
}

function brief(findings: Finding[]): string[] {
  return findings.map(f => `${f.code} ${f.object} ${f.path}`);
}

function gateway(name: string, selector: Obj | undefined, servers: Obj[], namespace = 'istio-system'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { selector, servers } };
}

function https(hosts: string[], tls: Obj, number = 443): Obj {
  return { port: { number, name: `https-${number}`, protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', ...tls } };
}

function secret(name: string, namespace: string, fields: Obj): Obj {
  return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace }, ...fields };
}

function tlsSecret(name: string, namespace: string, certificate: string): Obj {
  return secret(name, namespace, { data: { 'tls.crt': base64(certificate), 'tls.key': base64(KEY) } });
}

describe('gateway-certificate-shared', () => {
  const message = (certificate: string, others: string) => `${certificate} is served by ${others} too, on gateway pods this Gateway selects as well; `
    + 'an HTTP/2 client reuses one connection for every host the certificate covers, and gets 404 for the hosts of the other server, which routes only its own; '
    + 'serve these hosts from one Gateway, or give each Gateway a certificate of its own';

  test('fails when Gateways on the same pods serve one credential, on the Gateway whose selector is the subset only (Istio\'s own cases)', () => {
    expect(verify(loadFixture('duplicate-certificate.yaml'))).toEqual([
      {
        code: 'gateway-certificate-shared', severity: 'warning', object: 'Gateway/default/wide', path: 'spec.servers[0].tls.credentialName',
        message: message('certificate wildcard-example-org', 'Gateway/istio-system/internal'), istioCode: 'IST0138',
      },
      {
        code: 'gateway-certificate-shared', severity: 'warning', object: 'Gateway/istio-system/api', path: 'spec.servers[1].tls.credentialName',
        message: message('certificate wildcard-example-com', 'Gateway/istio-system/shop'), istioCode: 'IST0138',
      },
      {
        code: 'gateway-certificate-shared', severity: 'warning', object: 'Gateway/istio-system/shop', path: 'spec.servers[0].tls.credentialName',
        message: message('certificate wildcard-example-com', 'Gateway/istio-system/api'), istioCode: 'IST0138',
      },
    ]);
  });

  test('passes when each Gateway serves a credential of its own, or selects pods the other does not', () => {
    const own = loadFixture('duplicate-certificate.yaml').map(g => ({ ...g, spec: { ...g.spec, servers: g.spec.servers.map((s: Obj) => s.tls ? { ...s, tls: { ...s.tls, credentialName: g.metadata.name } } : s) } }));
    expect(verify(own)).toEqual([]);
    const tls = https(['a.example.com'], { credentialName: 'shared' });
    expect(verify([gateway('a', { istio: 'ingressgateway' }, [tls]), gateway('b', { istio: 'egressgateway' }, [tls])])).toEqual([]);
    expect(verify([gateway('a', { istio: 'ingressgateway' }, [tls, { ...tls, hosts: ['b.example.com'] }])])).toEqual([]);
  });

  test('fails on a Gateway without a selector, which takes every gateway\'s pods', () => {
    const tls = https(['a.example.com'], { credentialName: 'shared' });
    expect(brief(verify([gateway('any', undefined, [tls]), gateway('b', { istio: 'ingressgateway' }, [tls])]))).toEqual([
      'gateway-certificate-shared Gateway/istio-system/any spec.servers[0].tls.credentialName',
    ]);
  });

  test('fails when two Gateways serve one certificate file with one key, and names every rival once, in order', () => {
    const files = https(['a.example.com'], { serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' });
    const findings = verify([gateway('c', { istio: 'ingressgateway' }, [files]), gateway('b', { istio: 'ingressgateway' }, [files, files]), gateway('a', { istio: 'ingressgateway' }, [files])]);
    expect(findings.filter(f => f.object === 'Gateway/istio-system/a')).toEqual([{
      code: 'gateway-certificate-shared', severity: 'warning', object: 'Gateway/istio-system/a', path: 'spec.servers[0].tls.serverCertificate',
      message: message('certificate file /etc/certs/tls.crt', 'Gateway/istio-system/b, Gateway/istio-system/c'), istioCode: 'IST0138',
    }]);
  });

  test('passes when certificate files differ in key, lack a key, or one server names a credential instead (Istio\'s haveSameCertificate)', () => {
    const files = (privateKey?: string, credentialName?: string) => https(['a.example.com'], { serverCertificate: '/etc/certs/tls.crt', privateKey, credentialName });
    const pairs = [[files('/a.key'), files('/b.key')], [files(), files()], [files('/a.key'), files('/a.key', 'shared')], [files(undefined, ''), files(undefined, '')]];
    for (const [a, b] of pairs) expect(verify([gateway('a', { istio: 'ingressgateway' }, [a]), gateway('b', { istio: 'ingressgateway' }, [b])])).toEqual([]);
  });
});

describe('gateway-secret-not-found', () => {
  test('fails when the credential is a Secret beside the Gateway, not beside the gateway pods that read it', () => {
    expect(verify(loadFixture('secrets.yaml'))).toEqual([{
      code: 'gateway-secret-not-found',
      severity: 'error',
      object: 'Gateway/shop/shop',
      path: 'spec.servers[0].tls.credentialName',
      message: 'credentialName shop-credential names no Secret in namespace edge, where the gateway pods run, so the gateway has no certificate '
        + 'for this server and TLS handshakes fail; create the Secret there (type kubernetes.io/tls, with tls.crt and tls.key), '
        + 'or a cert-manager Certificate or an ExternalSecret that makes it, or name the Secret that holds the certificate',
      istioCode: 'IST0101',
    }]);
  });

  const [deploy, svc, shop] = loadFixture('secrets.yaml');
  const withCredential = (credentialName: unknown, ...objects: Obj[]) =>
    verify([deploy, svc, { ...shop, spec: { ...shop.spec, servers: [https(['shop/shop.example.com'], { credentialName })] } }, ...objects]);

  test('passes when the Secret is beside the gateway pods, or a Certificate, an ExternalSecret or a SealedSecret makes it there', () => {
    expect(withCredential('shop-credential', tlsSecret('shop-credential', 'edge', VALID))).toEqual([]);
    const maker = (group: string, kind: string, name: string, spec: Obj) => ({ apiVersion: `${group}/v1`, kind, metadata: { name, namespace: 'edge' }, spec });
    expect(withCredential('shop-credential', maker('cert-manager.io', 'Certificate', 'shop', { secretName: 'shop-credential' }))).toEqual([]);
    expect(withCredential('shop-credential', maker('external-secrets.io', 'ExternalSecret', 'shop', { target: { name: 'shop-credential' } }))).toEqual([]);
    expect(withCredential('shop-credential', maker('external-secrets.io', 'ExternalSecret', 'shop-credential', {}))).toEqual([]);
    expect(withCredential('shop-credential', maker('bitnami.com', 'SealedSecret', 'shop-credential', {}))).toEqual([]);
  });

  test('fails when the makers make another Secret, or are of another kind or group', () => {
    const maker = (group: string, kind: string, name: string, spec: Obj) => ({ apiVersion: `${group}/v1`, kind, metadata: { name, namespace: 'edge' }, spec });
    const makers = [
      maker('cert-manager.io', 'Certificate', 'shop-credential', { secretName: 'other' }),
      maker('cert-manager.io', 'Certificate', 'shop-credential', {}),
      maker('external-secrets.io', 'ExternalSecret', 'other', { target: { name: 'other' } }),
      maker('example.com', 'Certificate', 'x', { secretName: 'shop-credential' }),
      maker('example.com', 'ExternalSecret', 'shop-credential', {}),
      maker('example.com', 'SealedSecret', 'shop-credential', {}),
      maker('cert-manager.io', 'Issuer', 'x', { secretName: 'shop-credential' }),
      maker('external-secrets.io', 'SecretStore', 'shop-credential', {}),
      maker('bitnami.com', 'Other', 'shop-credential', {}),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-credential', namespace: 'edge' } },
      { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'shop-credential', namespace: 'edge' } },
      tlsSecret('shop-credential', 'shop', VALID),
    ];
    expect(brief(withCredential('shop-credential', ...makers))).toEqual(['gateway-secret-not-found Gateway/shop/shop spec.servers[0].tls.credentialName']);
  });

  test('reads the Secret\'s namespace from kubernetes://, kubernetes-gateway:// and namespace/name references', () => {
    const inShop = tlsSecret('shop-credential', 'shop', VALID);
    for (const reference of ['kubernetes://shop/shop-credential', 'kubernetes-gateway://shop/shop-credential', 'shop/shop-credential']) {
      expect(withCredential(reference, inShop)).toEqual([]);
    }
    expect(withCredential('kubernetes://shop-credential', inShop).map(f => f.message.split(', so')[0])).toEqual([
      'credentialName kubernetes://shop-credential names no Secret in namespace edge, where the gateway pods run',
    ]);
    expect(withCredential('kubernetes://edge/shop-credential', inShop)).toEqual([{
      code: 'gateway-secret-not-found',
      severity: 'error',
      object: 'Gateway/shop/shop',
      path: 'spec.servers[0].tls.credentialName',
      message: 'credentialName kubernetes://edge/shop-credential names no Secret in namespace edge, so the gateway has no certificate '
        + 'for this server and TLS handshakes fail; create the Secret there (type kubernetes.io/tls, with tls.crt and tls.key), '
        + 'or a cert-manager Certificate or an ExternalSecret that makes it, or name the Secret that holds the certificate',
      istioCode: 'IST0101',
    }]);
  });

  test('passes on credentials that are no Secret, and on servers without one', () => {
    for (const reference of ['builtin://', 'configmap://edge/ca', 'invalid://', '', 5]) expect(withCredential(reference)).toEqual([]);
    expect(verify([deploy, svc, { ...shop, spec: { ...shop.spec, servers: [{ port: { number: 443 }, hosts: ['*'] }] } }])).toEqual([]);
  });

  test('passes when the gateway pods run outside the set, or the selector is empty, so that no namespace is known', () => {
    const credential = https(['shop.example.com'], { credentialName: 'shop-credential' });
    expect(verify([gateway('public', { istio: 'ingressgateway' }, [credential])])).toEqual([]);
    expect(verify([gateway('public', { istio: 'ingressgateway' }, [https(['*'], { credentialName: 'kubernetes://edge/missing' })])])).toEqual([]);
    expect(verify([deploy, gateway('any', {}, [credential])])).toEqual([]);
    // Declared with their namespace, pods outside the set may have their Secrets made outside it too.
    expect(verify([gateway('public', { istio: 'ingressgateway' }, [credential])], { externalGatewayWorkloads: ['istio-ingress:istio=ingressgateway'] })).toEqual([]);
  });

  describe('beside gateway pods declared outside the set with their namespace', () => {
    const outside: VerifyOptions = { externalGatewayWorkloads: ['istio-ingress:istio=ingressgateway'] };
    const served = (credentialName: string, ...secrets: Obj[]) =>
      brief(verify([gateway('public', { istio: 'ingressgateway' }, [https(['*'], { credentialName })]), ...secrets], outside));

    test('fails when a Secret of the set there holds an expired certificate, which those pods serve', () => {
      expect(served('shop-tls', tlsSecret('shop-tls', 'istio-ingress', EXPIRED))).toEqual(['gateway-certificate-invalid Secret/istio-ingress/shop-tls data["tls.crt"]']);
      expect(served('kubernetes://edge/shop-tls', tlsSecret('shop-tls', 'edge', EXPIRED))).toEqual(['gateway-certificate-invalid Secret/edge/shop-tls data["tls.crt"]']);
    });

    test('passes a Secret those pods name by namespace that the set lacks, which may be made outside it too', () => {
      expect(served('kubernetes://edge/shop-tls')).toEqual([]);
    });

    test('passes a valid certificate there, and leaves a Secret of another namespace alone', () => {
      expect(served('shop-tls', tlsSecret('shop-tls', 'istio-ingress', VALID))).toEqual([]);
      expect(served('shop-tls', tlsSecret('shop-tls', 'istio-system', EXPIRED))).toEqual([]);
    });
  });

  test('fails for each namespace of gateway pods that lacks the Secret, Istio\'s deployment for a Gateway API Gateway among them', () => {
    const kubernetesGateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace: 'mesh' }, spec: {} };
    const labelled = (name: string, namespace: string) => ({ ...deploy, metadata: { name, namespace } });
    const findings = verify([
      labelled('edge-b', 'edge-b'), labelled('edge-a', 'edge-a'), kubernetesGateway, tlsSecret('tls', 'edge-a', VALID),
      gateway('shop', { istio: 'edge' }, [https(['*'], { credentialName: 'tls' })]),
      gateway('waypoint', { 'gateway.networking.k8s.io/gateway-name': 'waypoint' }, [https(['*'], { credentialName: 'tls' })]),
    ]);
    expect(findings.map(f => `${f.object} ${f.message.split(', where')[0]}`)).toEqual([
      'Gateway/istio-system/shop credentialName tls names no Secret in namespace edge-b',
      'Gateway/istio-system/waypoint credentialName tls names no Secret in namespace mesh',
    ]);
    const both = verify([labelled('edge-b', 'edge-b'), labelled('edge-c', 'edge-c'), gateway('shop', { istio: 'edge' }, [https(['*'], { credentialName: 'tls' })])]);
    expect(both.map(f => f.message.split(', where')[0])).toEqual(['credentialName tls names no Secret in namespace edge-b, edge-c']);
  });
});

describe('gateway-certificate-invalid', () => {
  const [deploy, svc, shop] = loadFixture('secrets.yaml');
  const served = (...secrets: Obj[]) => verify([deploy, svc, shop, ...secrets]);
  const credential = (fields: Obj) => secret('shop-credential', 'edge', fields);

  afterEach(() => jest.useRealTimers());

  test('fails when the Secret\'s certificate has expired, on the Secret, naming the date and the Gateway', () => {
    expect(served(tlsSecret('shop-credential', 'edge', EXPIRED))).toEqual([{
      code: 'gateway-certificate-invalid',
      severity: 'error',
      object: 'Secret/edge/shop-credential',
      path: 'data["tls.crt"]',
      message: 'tls.crt holds a certificate that expired on 2021-01-01T00:00:00Z, so Gateway/shop/shop serves a certificate that clients refuse; renew it',
      istioCode: 'IST0161',
    }]);
  });

  test('passes on a certificate valid until 2100, as data or stringData, and on the generic cert and key', () => {
    expect(served(tlsSecret('shop-credential', 'edge', VALID))).toEqual([]);
    expect(served(credential({ stringData: { 'tls.crt': VALID, 'tls.key': KEY } }))).toEqual([]);
    expect(served(credential({ data: { cert: base64(VALID), key: base64(KEY) } }))).toEqual([]);
  });

  test('fails when the certificate is not valid yet, naming the date, and passes from that very second on', () => {
    jest.useFakeTimers({ now: Date.parse('2025-01-01T00:00:00Z') - 1 });
    expect(served(tlsSecret('shop-credential', 'edge', VALID)).map(f => f.message)).toEqual([
      'tls.crt holds a certificate that is not valid before 2025-01-01T00:00:00Z, so Gateway/shop/shop serves a certificate that clients refuse until then; '
      + 'issue one that is valid now',
    ]);
    jest.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
    expect(served(tlsSecret('shop-credential', 'edge', VALID))).toEqual([]);
  });

  test('passes until the last second of the certificate, and fails the millisecond after', () => {
    jest.useFakeTimers({ now: Date.parse('2021-01-01T00:00:00Z') });
    expect(served(tlsSecret('shop-credential', 'edge', EXPIRED))).toEqual([]);
    jest.setSystemTime(Date.parse('2021-01-01T00:00:00Z') + 1);
    expect(brief(served(tlsSecret('shop-credential', 'edge', EXPIRED)))).toEqual(['gateway-certificate-invalid Secret/edge/shop-credential data["tls.crt"]']);
  });

  test.each([
    ['no PEM', 'not a certificate'],
    ['DER without PEM armour, which Envoy does not take', Buffer.from(VALID.split('\n').slice(1, -2).join(''), 'base64').toString('latin1')],
    ['a PEM block that holds no certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
  ])('fails when tls.crt holds %s', (_, certificate) => {
    expect(served(credential({ data: { 'tls.crt': Buffer.from(certificate, 'latin1').toString('base64'), 'tls.key': base64(KEY) } }))).toEqual([{
      code: 'gateway-certificate-invalid',
      severity: 'error',
      object: 'Secret/edge/shop-credential',
      path: 'data["tls.crt"]',
      message: 'tls.crt holds no certificate that parses as PEM, so Gateway/shop/shop cannot serve TLS; put the PEM certificate chain there '
        + '(base64-encoded once more under data)',
      istioCode: 'IST0161',
    }]);
  });

  test('reads the first certificate of a chain, as istiod does, and stringData over data', () => {
    expect(served(tlsSecret('shop-credential', 'edge', VALID + EXPIRED))).toEqual([]);
    expect(brief(served(tlsSecret('shop-credential', 'edge', EXPIRED + VALID)))).toEqual(['gateway-certificate-invalid Secret/edge/shop-credential data["tls.crt"]']);
    const merged = credential({ data: { 'tls.crt': base64(VALID), 'tls.key': base64(KEY) }, stringData: { 'tls.crt': EXPIRED } });
    expect(brief(served(merged))).toEqual(['gateway-certificate-invalid Secret/edge/shop-credential stringData["tls.crt"]']);
  });

  test.each([
    ['holds no data at all', {}],
    ['holds a certificate without its key', { data: { 'tls.crt': base64(VALID) } }],
    ['holds a key without its certificate', { data: { 'tls.key': base64(KEY), 'cert': base64(VALID) } }],
    ['holds empty values', { data: { 'tls.crt': '', 'tls.key': '' }, stringData: { cert: '', key: base64(KEY) } }],
    ['holds values that are no strings', { data: { 'tls.crt': 5, 'tls.key': true } }],
  ])('fails when the Secret %s', (_, fields) => {
    expect(served(credential(fields))).toEqual([{
      code: 'gateway-certificate-invalid',
      severity: 'error',
      object: 'Secret/edge/shop-credential',
      path: 'data',
      message: 'the Secret holds neither tls.crt and tls.key nor cert and key, so Gateway/shop/shop has no certificate to serve and TLS handshakes fail; '
        + 'put the PEM certificate chain and its key under tls.crt and tls.key',
      istioCode: 'IST0161',
    }]);
  });

  test('reads cert and key before tls.crt and tls.key, as istiod does', () => {
    const both = credential({ data: { 'cert': base64(EXPIRED), 'key': base64(KEY), 'tls.crt': base64(VALID), 'tls.key': base64(KEY) } });
    expect(brief(served(both))).toEqual(['gateway-certificate-invalid Secret/edge/shop-credential data.cert']);
  });

  test('fails once for a Secret that several Gateways serve, naming them in order, and not at all for a Secret no gateway reads', () => {
    const other = { ...shop, metadata: { name: 'other', namespace: 'shop' } };
    const twice = { ...shop, spec: { ...shop.spec, servers: [...shop.spec.servers, https(['shop/www.shop.example.com'], { credentialName: 'shop-credential' }, 8443)] } };
    const findings = verify([deploy, svc, twice, other, tlsSecret('shop-credential', 'edge', EXPIRED), tlsSecret('unused', 'edge', EXPIRED)]);
    expect(findings.filter(f => f.code === 'gateway-certificate-invalid').map(f => f.message.split(' serves')[0])).toEqual([
      'tls.crt holds a certificate that expired on 2021-01-01T00:00:00Z, so Gateway/shop/other, Gateway/shop/shop',
    ]);
  });
});

describe('credentialNames, an RSA and an ECDSA certificate on one server', () => {
  const [deploy, svc, shop] = loadFixture('secrets.yaml');
  const withCredentials = (credentialNames: unknown, ...objects: Obj[]) =>
    verify([deploy, svc, { ...shop, spec: { ...shop.spec, servers: [https(['shop/shop.example.com'], { credentialNames })] } }, ...objects]);

  test('fails for each named Secret missing beside the gateway pods, at its place in the list', () => {
    expect(withCredentials(['shop-rsa', 'shop-ecdsa'], tlsSecret('shop-rsa', 'edge', VALID))).toEqual([{
      code: 'gateway-secret-not-found',
      severity: 'error',
      object: 'Gateway/shop/shop',
      path: 'spec.servers[0].tls.credentialNames[1]',
      message: 'credentialNames[1] shop-ecdsa names no Secret in namespace edge, where the gateway pods run, so the gateway has no certificate '
        + 'for this server and TLS handshakes fail; create the Secret there (type kubernetes.io/tls, with tls.crt and tls.key), '
        + 'or a cert-manager Certificate or an ExternalSecret that makes it, or name the Secret that holds the certificate',
      istioCode: 'IST0101',
    }]);
    expect(brief(withCredentials(['shop-rsa', 'shop-ecdsa']))).toEqual([
      'gateway-secret-not-found Gateway/shop/shop spec.servers[0].tls.credentialNames[0]',
      'gateway-secret-not-found Gateway/shop/shop spec.servers[0].tls.credentialNames[1]',
    ]);
  });

  test('passes when every named Secret is there, and skips entries that are empty, no string, or no Secret', () => {
    expect(withCredentials(['shop-rsa', 'shop-ecdsa'], tlsSecret('shop-rsa', 'edge', VALID), tlsSecret('shop-ecdsa', 'edge', VALID))).toEqual([]);
    expect(withCredentials(['', 5, null, 'builtin://'])).toEqual([]);
    expect(withCredentials('shop-rsa')).toEqual([]);
  });

  test('reads the certificate of each named Secret', () => {
    expect(brief(withCredentials(['shop-rsa', 'shop-ecdsa'], tlsSecret('shop-rsa', 'edge', VALID), tlsSecret('shop-ecdsa', 'edge', EXPIRED))))
      .toEqual(['gateway-certificate-invalid Secret/edge/shop-ecdsa data["tls.crt"]']);
  });

  test('fails when another Gateway on the same pods serves one of the certificates', () => {
    const names = https(['a.example.com'], { credentialNames: ['rsa', 'ecdsa'] });
    const single = https(['b.example.com'], { credentialName: 'ecdsa' });
    expect(verify([gateway('a', { istio: 'ingressgateway' }, [names]), gateway('b', { istio: 'ingressgateway' }, [single])]).map(f => `${f.object} ${f.path} ${f.message.split(' is served')[0]}`)).toEqual([
      'Gateway/istio-system/a spec.servers[0].tls.credentialNames[1] certificate ecdsa',
      'Gateway/istio-system/b spec.servers[0].tls.credentialName certificate ecdsa',
    ]);
  });
});
