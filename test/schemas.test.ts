import { goDurationNanos, webhookViolations } from './support/istio-webhook';
import { celSelfTest, expectValidManifests, schemaErrors, strictCrdsDir } from './support/schemas';

// Fixtures are plain JSON, edited in place per test, as cdk8s synth output would be.
type Manifest = { [key: string]: any };

const ISTIO_CRDS = 'istio-1.30.3-crd-all.gen.yaml';

function deployment(): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

function service(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

function virtualService(apiVersion = 'networking.istio.io/v1'): Manifest {
  return {
    apiVersion,
    kind: 'VirtualService',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      hosts: ['web.example.com'],
      gateways: ['shop/web'],
      http: [
        {
          match: [{ uri: { prefix: '/' } }],
          route: [
            { destination: { host: 'web', subset: 'stable', port: { number: 80 } }, weight: 90 },
            { destination: { host: 'web', subset: 'canary', port: { number: 80 } }, weight: 10 },
          ],
          timeout: '10s',
        },
      ],
    },
  };
}

function destinationRule(apiVersion = 'networking.istio.io/v1'): Manifest {
  return {
    apiVersion,
    kind: 'DestinationRule',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      host: 'web',
      trafficPolicy: { connectionPool: { tcp: { connectTimeout: '2s' } } },
      subsets: [
        { name: 'stable', labels: { version: 'v1' } },
        { name: 'canary', labels: { version: 'v2' } },
      ],
    },
  };
}

function gateway(apiVersion = 'networking.istio.io/v1'): Manifest {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['web.example.com'],
          tls: { mode: 'SIMPLE', credentialName: 'web-cert' },
        },
      ],
    },
  };
}

function wasmPlugin(url: string): Manifest {
  return {
    apiVersion: 'extensions.istio.io/v1alpha1',
    kind: 'WasmPlugin',
    metadata: { name: 'auth', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, url },
  };
}

function httpRoute(pathValue: string): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'web', namespace: 'shop' }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: pathValue } }],
          backendRefs: [{ name: 'web', port: 80 }],
        },
      ],
    },
  };
}

describe('kubernetes-models schemas', () => {
  test('a valid Deployment, Service and networking.istio.io/v1 VirtualService, DestinationRule, Gateway pass', () => {
    expect(schemaErrors([deployment(), service(), virtualService(), destinationRule(), gateway()])).toEqual([]);
  });

  test('fails when a Deployment has spec.replicas: "two"', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(schemaErrors([d])).toEqual([
      'Deployment/shop/web: $.spec.replicas: must be integer [kubernetes-models/apps/v1/Deployment]',
    ]);
  });

  test('fails when a Deployment is invalid, from a fresh module registry that reuses the compiled validators', () => {
    // Each test file gets a fresh registry; the validators compiled in an earlier one are shared.
    schemaErrors([deployment()]);
    let fresh: typeof schemaErrors | undefined;
    jest.isolateModules(() => { fresh = require('./support/schemas').schemaErrors; });
    expect(fresh).not.toBe(schemaErrors);
    const d = deployment();
    d.spec.replicas = 'two';
    expect(fresh!([d])).toEqual(['Deployment/shop/web: $.spec.replicas: must be integer [kubernetes-models/apps/v1/Deployment]']);
    expect(fresh!([deployment()])).toEqual([]);
  });

  test('fails when a VirtualService route weight is "ten"', () => {
    const vs = virtualService();
    vs.spec.http[0].route[1].weight = 'ten';
    expect(schemaErrors([vs])).toContain(
      'VirtualService/shop/web: $.spec.http[0].route[1].weight: must be integer ' +
        '[@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService]',
    );
  });

  test('fails when the kind has no schema', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} };
    expect(schemaErrors([widget])).toEqual([expect.stringMatching(/^Widget\/-\/w: \$: no schema for example\.com\/v1 Widget/)]);
  });

  test('fails when an object has no apiVersion', () => {
    expect(schemaErrors([{ kind: 'Service', metadata: { name: 'web' } }])).toEqual([
      'Service/-/web: $: not a Kubernetes object (apiVersion and kind must be strings)',
    ]);
  });

  test('fails when expectValidManifests is given invalid objects, listing every error', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    delete d.spec.selector;
    expect(() => expectValidManifests([d, service()])).toThrow(
      /2 schema error\(s\):\n {2}- Deployment\/shop\/web: \$\.spec\.selector: required field is missing.*\n {2}- .*replicas/,
    );
  });
});

const SKIPPED_STRICT = 'strict CRD schemas (skipped: CRDS_DIR is unset and ../shared/crds absent)';
if (strictCrdsDir === undefined) console.warn(SKIPPED_STRICT);
const describeStrict = strictCrdsDir === undefined ? describe.skip : describe;

describeStrict(strictCrdsDir === undefined ? SKIPPED_STRICT : `strict CRD schemas (CRDS_DIR=${strictCrdsDir})`, () => {
  test.each(['networking.istio.io/v1', 'networking.istio.io/v1beta1'])(
    'a valid VirtualService, DestinationRule and Gateway pass as %s',
    (apiVersion) => {
      expect(schemaErrors([virtualService(apiVersion), destinationRule(apiVersion), gateway(apiVersion)])).toEqual([]);
    },
  );

  test('a valid CRD-only kind (Gateway API HTTPRoute) and a WasmPlugin with an oci:// url pass', () => {
    expect(schemaErrors([httpRoute('/shop'), wasmPlugin('oci://ghcr.io/acme/auth:1.0')])).toEqual([]);
  });

  // `mirror_percent` would not do: the Istio 1.30 CRD still lists it (deprecated) beside mirrorPercentage.
  test('fails when a VirtualService http route has an unknown field (retry, a typo of retries)', () => {
    const vs = virtualService();
    vs.spec.http[0].retry = { attempts: 3 };
    expect(schemaErrors([vs])).toEqual([`VirtualService/shop/web: $.spec.http[0].retry: unknown field [${ISTIO_CRDS}]`]);
  });

  test('fails when a Gateway server tls mode is SIMPEL', () => {
    const gw = gateway();
    gw.spec.servers[0].tls.mode = 'SIMPEL';
    expect(schemaErrors([gw])).toContain(
      'Gateway/shop/web: $.spec.servers[0].tls.mode: must be one of ' +
        `["PASSTHROUGH","SIMPLE","MUTUAL","AUTO_PASSTHROUGH","ISTIO_MUTUAL","OPTIONAL_MUTUAL"] [${ISTIO_CRDS}]`,
    );
  });

  test('fails when a Gateway server tls sets both credentialName and credentialNames (CEL)', () => {
    const gw = gateway();
    gw.spec.servers[0].tls.credentialNames = ['web-cert-rsa', 'web-cert-ecdsa'];
    expect(schemaErrors([gw])).toEqual([
      'Gateway/shop/web: $.spec.servers[0].tls: only one of credentialName or credentialNames can be set ' +
        '[CEL: (has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1]',
      'Gateway/shop/web: $.spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, '
        + 'tls_certificates should be specified [istio webhook: validateTLSOptions]',
    ]);
  });

  test('fails when a VirtualService timeout is shorter than 1ms (CEL duration())', () => {
    const vs = virtualService();
    vs.spec.http[0].timeout = '500us';
    expect(schemaErrors([vs])).toEqual([
      "VirtualService/shop/web: $.spec.http[0].timeout: must be a valid duration greater than 1ms [CEL: duration(self) >= duration('1ms')]",
      'VirtualService/shop/web: $.spec.http[0].timeout: duration must be greater than 1ms [istio webhook: ValidateDuration]',
    ]);
  });

  test('fails when a DestinationRule workloadSelector label key has a wildcard (CEL on a map)', () => {
    const dr = destinationRule();
    dr.spec.workloadSelector = { matchLabels: { 'app*': 'web' } };
    expect(schemaErrors([dr])).toEqual([
      expect.stringContaining('$.spec.workloadSelector.matchLabels: wildcard not allowed in label key match [CEL:'),
      'DestinationRule/shop/web: $.spec.workloadSelector.matchLabels: wildcard is not supported in selector: "app*=web" [istio webhook: validateWorkloadSelector]',
    ]);
  });

  test('fails when a WasmPlugin url has an ftp:// scheme (CEL isURL() and url())', () => {
    expect(schemaErrors([wasmPlugin('ftp://example.com/auth.wasm')])).toEqual([
      expect.stringContaining('$.spec.url: url must have schema one of [http, https, file, oci] [CEL: isURL(self)'),
    ]);
  });

  test('fails when an HTTPRoute path prefix is not absolute (Gateway API CEL)', () => {
    expect(schemaErrors([httpRoute('shop')])).toEqual([
      expect.stringContaining(
        "$.spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
      ),
    ]);
  });

  test('fails when a kind has neither a model nor a CRD', () => {
    const rollout = { apiVersion: 'argoproj.io/v1beta9', kind: 'Rollout', metadata: { name: 'web' }, spec: {} };
    expect(schemaErrors([rollout])).toEqual([expect.stringContaining('$: no schema for argoproj.io/v1beta9 Rollout')]);
  });

  test('every CEL rule in every CRD file compiles', () => {
    const { rules, transitionRules, errors } = celSelfTest();
    expect(errors).toEqual([]);
    expect(rules).toBeGreaterThan(500);
    // Skipped by design: Argo Rollouts' immutable selector, GatewayClass controllerName (v1, v1beta1).
    expect(transitionRules).toBe(3);
  });
});

/** The webhook's rejections as `at: message [rule]`. */
const rejections = (object: Manifest) => webhookViolations(object).map(v => `${v.at}: ${v.message} [${v.rule}]`);

/** Objects as the library emits them, with every field its props can set. */
function meshVirtualService(): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      hosts: ['web.example.com', '10.0.0.1', 'web.shop.svc.cluster.local'],
      gateways: ['istio-system/public', 'mesh'],
      http: [
        {
          name: 'tester-1',
          match: [{ headers: { 'x-tester': { exact: 'yes' }, cookie: { regex: '^(.*;\\s*)?beta=on(;.*)?$' } }, queryParams: { canary: { prefix: '1' } } },
            { sourceLabels: { app: 'qa-runner' }, port: 80, gateways: ['istio-system/public'] }],
          route: [{ destination: { host: 'web.shop.svc.cluster.local', subset: 'v2', port: { number: 80 } } }],
          retries: { attempts: 3, perTryTimeout: '1.5s', retryOn: '5xx,reset,503,cancelled' },
          fault: { delay: { fixedDelay: '250ms', percentage: { value: 0.0001 } }, abort: { httpStatus: 600, percentage: { value: 0 } } },
        },
        {
          name: 'primary',
          route: [
            { destination: { host: 'web.shop.svc.cluster.local', subset: 'v1' }, weight: 0,
              headers: { response: { set: { 'set-cookie': 'web-version=v1; Max-Age=3600; Path=/', 'x-host': '%HOSTNAME% 100%%' } } } },
            { destination: { host: 'web.shop.svc.cluster.local', subset: 'v2' }, weight: 100 },
          ],
          mirror: { host: 'web.shop.svc.cluster.local', subset: 'v2' },
          mirrorPercentage: { value: 100 },
          timeout: '2h45m0.5s',
        },
      ],
      tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: 'web.shop.svc.cluster.local', subset: 'v1', port: { number: 9000 } } }] }],
    },
  };
}

function fullDestinationRule(): Manifest {
  const policy = {
    loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } },
    connectionPool: { tcp: { maxConnections: 2 ** 31 - 1, connectTimeout: '1ms', idleTimeout: '0s' }, http: { http1MaxPendingRequests: 0, maxRequestsPerConnection: 1 } },
    outlierDetection: { consecutive5xxErrors: 2 ** 32 - 1, interval: '10s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
    tls: { mode: 'ISTIO_MUTUAL' },
  };
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      host: 'web.shop.svc.cluster.local',
      trafficPolicy: policy,
      subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'ca' } } }, { name: 'V1-0', labels: { version: '1.0' } }],
    },
  };
}

function webGateway(): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['web.example.com', '*.example.com', '*', 'shop/api.example.com', '10.0.0.1'], tls: { httpsRedirect: true } },
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['web.example.com'], tls: { mode: 'MUTUAL', credentialName: 'web-cert' } },
      ],
    },
  };
}

function peerAuthentication(): Manifest {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } },
  };
}

type Edit = (object: Manifest) => void;

const HOST_255 = `${`${'a'.repeat(60)}.`.repeat(4)}example.com`;

describe('Istio admission webhook rules', () => {
  test('pass objects like the library\'s, with every field its props can set', () => {
    expect([meshVirtualService(), fullDestinationRule(), webGateway(), peerAuthentication()].flatMap(rejections)).toEqual([]);
  });

  test('leave kinds alone that they do not validate', () => {
    expect([service(), deployment(), { ...webGateway(), apiVersion: 'gateway.networking.k8s.io/v1' }, null, 'x'].flatMap(o => rejections(o as Manifest))).toEqual([]);
  });

  test('are part of schemaErrors, with the object and the rule named', () => {
    const vs = meshVirtualService();
    vs.spec.gateways = ['shop/edge.v1', 'mesh'];
    expect(schemaErrors([vs])).toEqual(['VirtualService/shop/web: $.spec.gateways[0]: invalid value for gateway name: "edge.v1" [istio webhook: validateGatewayNames]']);
  });

  const http = (o: Manifest) => o.spec.http[0];
  const primary = (o: Manifest) => o.spec.http[1];
  const headers = (o: Manifest) => http(o).match[0].headers;
  const responseHeaders = (o: Manifest) => primary(o).route[0].headers.response.set;

  test.each<[string, Edit, string[]]>([
    ['a gateway reference names a gateway with a dot', o => { o.spec.gateways = ['shop/edge.v1', 'mesh']; },
      ['$.spec.gateways[0]: invalid value for gateway name: "edge.v1" [validateGatewayNames]']],
    ['a gateway reference has an empty namespace', o => { o.spec.gateways = ['/edge', 'mesh']; },
      ['$.spec.gateways[0]: config namespace and gateway name cannot be empty [validateGatewayNames]',
        '$.spec.gateways[0]: invalid value for namespace: "" [validateGatewayNames]']],
    ['a bare gateway name is no FQDN', o => { o.spec.gateways = ['Edge_1']; },
      ['$.spec.gateways[0]: domain name "Edge_1" invalid (label "Edge_1" invalid) [validateGatewayNames]']],
    ['a match names a gateway with a dot', o => { http(o).match[1].gateways = ['shop/edge.v1']; },
      ['$.spec.http[0].match[1].gateways[0]: invalid value for gateway name: "edge.v1" [validateGatewayNames]']],
    ['a host is * in a VirtualService bound to the mesh', o => { o.spec.hosts = ['*']; },
      ['$.spec.hosts[0]: wildcard host * is not allowed for virtual services bound to the mesh gateway [ValidateVirtualService]']],
    ['a host has an empty label', o => { o.spec.hosts = ['web..example.com']; },
      ['$.spec.hosts[0]: domain name ".example.com" invalid (label "" invalid) [ValidateWildcardDomain]']],
    ['a host of a VirtualService bound to gateways only has a top-level domain of digits', o => { o.spec.gateways = ['istio-system/public']; o.spec.hosts = ['web.123']; },
      ['$.spec.hosts[0]: domain name "123" invalid (top level domain "123" cannot be all-numeric) [ValidateWildcardDomainForVirtualServiceBoundToGateway]']],
    ['a host is longer than 255 characters', o => { o.spec.hosts = [HOST_255, `b${HOST_255}`]; },
      [`$.spec.hosts[1]: domain name "b${HOST_255}" too long (max 255) [ValidateWildcardDomain]`]],
    ['a wildcard host covers another', o => { o.spec.hosts = ['*.example.com', 'web.example.com']; },
      ['$.spec.hosts: duplicate hosts in virtual service: *.example.com & web.example.com [ValidateVirtualService]']],
    ['a VirtualService has no routes', o => { delete o.spec.http; delete o.spec.tcp; },
      ['$.spec: http, tcp or tls must be provided in virtual service [ValidateVirtualService]']],
    ['a VirtualService without hosts names gateways', o => { o.spec.hosts = []; delete o.spec.tcp; },
      ['$.spec.gateways: delegate virtual service must have no gateways specified [ValidateVirtualService]']],
    ['an http route has no destination', o => { http(o).route = []; },
      ['$.spec.http[0]: HTTP route, redirect or direct_response is required [validateHTTPRouteConflict]']],
    ['a header name has a space', o => { headers(o)['x tester'] = { exact: 'yes' }; },
      ['$.spec.http[0].match[0].headers["x tester"]: header name x tester is not a valid header name [ValidateHTTPHeaderNameOrJwtClaimRoute]']],
    ['a VirtualService bound to the mesh routes on a JWT claim', o => { headers(o)['@request.auth.claims.group'] = { exact: 'qa' }; },
      ['$.spec.http[0].match[0].headers: JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: [istio-system/public mesh] [ValidateVirtualService]']],
    ['a header prefix is empty', o => { headers(o)['x-tester'] = { prefix: '' }; },
      ['$.spec.http[0].match[0].headers["x-tester"]: "headers": prefix string match should not be empty [validateStringMatch]']],
    ['a query parameter regex is empty', o => { http(o).match[0].queryParams.canary = { regex: '' }; },
      ['$.spec.http[0].match[0].queryParams["canary"]: "queryParams": regex string match should not be empty [validateStringMatchRegexp]']],
    ['a header regex has a lookahead, which RE2 lacks', o => { headers(o)['x-tester'] = { regex: '(?=a)b' }; },
      ['$.spec.http[0].match[0].headers["x-tester"]: "headers": error parsing regexp: invalid or unsupported Perl syntax: `(?=`; '
        + 'Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax) [validateStringRegexp]']],
    ['a header regex is longer than 1024 characters', o => { headers(o)['x-tester'] = { regex: 'a'.repeat(1025) }; },
      ['$.spec.http[0].match[0].headers["x-tester"]: "headers": regex is too large, max length allowed is 1024 [validateStringRegexp]']],
    ['source labels have a key with a space', o => { http(o).match[1].sourceLabels = { 'qa runner': 'yes' }; },
      ['$.spec.http[0].match[1].sourceLabels: invalid tag key: "qa runner" [validateHTTPRouteMatchRequest]']],
    ['source labels have a value with a space', o => { http(o).match[1].sourceLabels = { app: 'qa runner' }; },
      ['$.spec.http[0].match[1].sourceLabels: invalid tag value: "qa runner" [validateHTTPRouteMatchRequest]']],
    ['a match port is out of range', o => { http(o).match[1].port = 65536; },
      ['$.spec.http[0].match[1].port: port number 65536 must be in the range 1..65535 [ValidatePort]']],
    ['two weighted destinations add up to 0', o => { primary(o).route[1].weight = 0; },
      ['$.spec.http[1].route: total destination weight = 0 [validateHTTPRouteDestinations]']],
    ['a weight is negative', o => { primary(o).route[0].weight = -1; },
      ['$.spec.http[1].route[0].weight: weight -1 < 0 [validateWeight]']],
    ['a destination host is *', o => { primary(o).route[0].destination.host = '*'; },
      ['$.spec.http[1].route[0].destination.host: invalid destination host * [validateDestination]']],
    ['a destination subset is not a DNS-1123 label', o => { http(o).route[0].destination.subset = 'v_2'; },
      ['$.spec.http[0].route[0].destination.subset: subset name is invalid: v_2 [validateSubsetName]']],
    ['a destination port is 0', o => { http(o).route[0].destination.port.number = 0; },
      ['$.spec.http[0].route[0].destination.port.number: port number 0 must be in the range 1..65535 [ValidatePort]']],
    ['the mirror percentage is over 100', o => { primary(o).mirrorPercentage.value = 100.5; },
      ['$.spec.http[1].mirrorPercentage: mirror_percentage must have a max value of 100 (it has 100.5) [validateHTTPRoute]']],
    ['the mirror percentage is negative', o => { primary(o).mirrorPercentage.value = -1; },
      ['$.spec.http[1].mirrorPercentage: mirror_percentage must have a min value of 0 (it has -1) [validateHTTPRoute]']],
    ['the mirror has no subset name', o => { primary(o).mirror.subset = 'V.2'; },
      ['$.spec.http[1].mirror.subset: subset name is invalid: V.2 [validateSubsetName]']],
    ['retries of 0 attempts set a per-try timeout', o => { http(o).retries = { attempts: 0, perTryTimeout: '1s' }; },
      ['$.spec.http[0].retries: http retry policy configured when attempts are set to 0 (disabled) [ValidateHTTPRetry]']],
    ['retries of 0 attempts set retryOn', o => { http(o).retries = { attempts: 0, retryOn: '5xx' }; },
      ['$.spec.http[0].retries: http retry policy configured when attempts are set to 0 (disabled) [ValidateHTTPRetry]']],
    ['retries are negative', o => { http(o).retries = { attempts: -1 }; },
      ['$.spec.http[0].retries.attempts: attempts cannot be negative [ValidateHTTPRetry]']],
    ['retryOn names an unknown policy, an unused status and nothing', o => { http(o).retries.retryOn = 'bogus,306,,5xx'; },
      ['$.spec.http[0].retries.retryOn: "bogus" is not a valid retryOn policy [ValidateHTTPRetry]',
        '$.spec.http[0].retries.retryOn: "306" is not a valid retryOn policy [ValidateHTTPRetry]',
        '$.spec.http[0].retries.retryOn: "" is not a valid retryOn policy [ValidateHTTPRetry]']],
    ['the per-try timeout has microseconds', o => { http(o).retries.perTryTimeout = '1500us'; },
      ['$.spec.http[0].retries.perTryTimeout: only durations to ms precision are supported [ValidateDuration]']],
    ['a fault has neither abort nor delay', o => { http(o).fault = {}; },
      ['$.spec.http[0].fault: HTTP fault injection must have an abort and/or a delay [validateHTTPFaultInjection]']],
    ['an abort status is over 600', o => { http(o).fault.abort.httpStatus = 601; },
      ['$.spec.http[0].fault.abort.httpStatus: HTTP status 601 is not in range 200-599 [validateHTTPStatus]']],
    ['an abort status is under 200', o => { http(o).fault.abort.httpStatus = 199; },
      ['$.spec.http[0].fault.abort.httpStatus: HTTP status 199 is not in range 200-599 [validateHTTPStatus]']],
    ['a delay percentage is above 0 but under 0.0001', o => { http(o).fault.delay.percentage.value = 0.00009; },
      ['$.spec.http[0].fault.delay.percentage: percentage 0.00009 is neither 0.0, nor in range [0.0001, 100.0] [validatePercentage]']],
    ['an abort percentage is over 100', o => { http(o).fault.abort.percentage.value = 100.01; },
      ['$.spec.http[0].fault.abort.percentage: percentage 100.01 is neither 0.0, nor in range [0.0001, 100.0] [validatePercentage]']],
    ['a delay is 0', o => { http(o).fault.delay.fixedDelay = '0s'; },
      ['$.spec.http[0].fault.delay.fixedDelay: duration must be greater than 1ms [ValidateDuration]']],
    ['a timeout is under 1ms', o => { primary(o).timeout = '0.5ms'; },
      ['$.spec.http[1].timeout: duration must be greater than 1ms [ValidateDuration]']],
    ['a response header value has a lone %', o => { responseHeaders(o)['set-cookie'] = 'a%b=v1; Path=/'; },
      ['$.spec.http[1].route[0].headers.response.set["set-cookie"]: header value configuration: '
        + 'invalid header configuration. Un-terminated variable expression \'a%b=v1; Path=/\' [ValidateHTTPHeaderValue]']],
    ['a response header value ends in %', o => { responseHeaders(o)['set-cookie'] = 'v1%'; },
      ['$.spec.http[1].route[0].headers.response.set["set-cookie"]: header value configuration: invalid header configuration. Un-escaped % [ValidateHTTPHeaderValue]']],
    ['a response header value has a line break', o => { responseHeaders(o)['set-cookie'] = 'a\nb'; },
      ['$.spec.http[1].route[0].headers.response.set["set-cookie"]: header value configuration a\nb is invalid [ValidateHTTPHeaderValue]']],
    ['a response header sets Host', o => { responseHeaders(o).Host = 'x'; },
      ['$.spec.http[1].route[0].headers.response.set["Host"]: invalid header "Host": cannot set Host header [ValidateHTTPHeaderOperationName]']],
    ['a response header is a pseudo-header', o => { responseHeaders(o)[':status'] = '200'; },
      ['$.spec.http[1].route[0].headers.response.set[":status"]: invalid header ":status": header cannot have ":" prefix [ValidateHTTPHeaderOperationName]']],
    ['a tcp route has no destination', o => { o.spec.tcp[0].route = []; },
      ['$.spec.tcp[0].route: TCP route is required [validateTCPRoute]']],
    ['a tcp match port is out of range', o => { o.spec.tcp[0].match[0].port = 70000; },
      ['$.spec.tcp[0].match[0].port: port number 70000 must be in the range 1..65535 [ValidatePort]']],
    ['a weight is not a whole number, which stops the decoding', o => { primary(o).route[0].weight = 10.5; primary(o).timeout = '0s'; },
      ['$.spec.http[1].route[0].weight: json: cannot unmarshal number 10.5 into Go value of type int32 [jsonpb.Unmarshal]']],
    ['retries exceed int32', o => { http(o).retries.attempts = 2 ** 31; },
      ['$.spec.http[0].retries.attempts: json: cannot unmarshal number 2147483648 into Go value of type int32 [jsonpb.Unmarshal]']],
    ['a timeout is no Go duration', o => { primary(o).timeout = '10 s'; },
      ['$.spec.http[1].timeout: bad Duration: time: invalid duration "10 s" [jsonpb.Unmarshal]']],
    ['a timeout is longer than Go\'s time.Duration holds', o => { primary(o).timeout = '2562048h'; },
      ['$.spec.http[1].timeout: bad Duration: time: invalid duration "2562048h" [jsonpb.Unmarshal]']],
    ['an annotation asks for a dry run, which only AuthorizationPolicy takes', o => { o.metadata.annotations = { 'istio.io/dry-run': 'true' }; },
      ['$.metadata.annotations: shop/web has unsupported annotation istio.io/dry-run, please remove the annotation [checkDryRunAnnotation]']],
  ])('VirtualService: fails when %s', (_, edit, expected) => {
    const vs = meshVirtualService();
    edit(vs);
    expect(rejections(vs)).toEqual(expected);
  });

  test('VirtualService: gateway names after one without a slash go unchecked, as upstream returns there', () => {
    const vs = meshVirtualService();
    vs.spec.gateways = ['mesh', 'shop/edge.v1'];
    expect(rejections(vs)).toEqual([]);
  });

  const policy = (o: Manifest) => o.spec.trafficPolicy;

  test.each<[string, Edit, string[]]>([
    ['the host is not a domain', o => { o.spec.host = 'web_1'; },
      ['$.spec.host: domain name "web_1" invalid (label "web_1" invalid) [ValidateWildcardDomain]']],
    ['a traffic policy is empty', o => { o.spec.trafficPolicy = {}; },
      ['$.spec.trafficPolicy: traffic policy must have at least one field [validateTrafficPolicy]']],
    ['a connection pool is empty', o => { policy(o).connectionPool = {}; },
      ['$.spec.trafficPolicy.connectionPool: connection pool must have at least one field [validateConnectionPool]']],
    ['connection limits are negative', o => { policy(o).connectionPool = { tcp: { maxConnections: -1 }, http: { http2MaxRequests: -1, maxRequestsPerConnection: -1 } }; },
      ['$.spec.trafficPolicy.connectionPool.http.http2MaxRequests: http2 max requests must be non-negative [validateConnectionPool]',
        '$.spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection: max requests per connection must be non-negative [validateConnectionPool]',
        '$.spec.trafficPolicy.connectionPool.tcp.maxConnections: max connections must be non-negative [validateConnectionPool]']],
    ['a connect timeout is under 1ms', o => { policy(o).connectionPool.tcp.connectTimeout = '999us'; },
      ['$.spec.trafficPolicy.connectionPool.tcp.connectTimeout: duration must be greater than 1ms [ValidateDuration]']],
    ['a tcp idle timeout has microseconds', o => { policy(o).connectionPool.tcp.idleTimeout = '1001us'; },
      ['$.spec.trafficPolicy.connectionPool.tcp.idleTimeout: only durations to ms precision are supported [ValidateDuration]']],
    ['the max ejection percent is over 100', o => { policy(o).outlierDetection.maxEjectionPercent = 101; },
      ['$.spec.trafficPolicy.outlierDetection.maxEjectionPercent: percentage 101 is not in range 0..100 [ValidatePercent]']],
    ['the max ejection percent is not a whole number', o => { policy(o).outlierDetection.maxEjectionPercent = 99.5; },
      ['$.spec.trafficPolicy.outlierDetection.maxEjectionPercent: json: cannot unmarshal number 99.5 into Go value of type int32 [jsonpb.Unmarshal]']],
    ['consecutive 5xx errors exceed uint32', o => { policy(o).outlierDetection.consecutive5xxErrors = 2 ** 32; },
      ['$.spec.trafficPolicy.outlierDetection.consecutive5xxErrors: json: cannot unmarshal number 4294967296 into Go value of type uint32 [jsonpb.Unmarshal]']],
    ['a subset\'s connection limit exceeds int32', o => { o.spec.subsets[1].trafficPolicy = { connectionPool: { tcp: { maxConnections: 2 ** 31 } } }; },
      ['$.spec.subsets[1].trafficPolicy.connectionPool.tcp.maxConnections: json: cannot unmarshal number 2147483648 into Go value of type int32 [jsonpb.Unmarshal]']],
    ['the ejection interval is 0', o => { policy(o).outlierDetection.interval = '0s'; },
      ['$.spec.trafficPolicy.outlierDetection.interval: duration must be greater than 1ms [ValidateDuration]']],
    ['local origin failures count without split errors', o => { policy(o).outlierDetection.consecutiveLocalOriginFailures = 3; },
      ['$.spec.trafficPolicy.outlierDetection: outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false [validateOutlierDetection]']],
    ['a hashing cookie has no name', o => { policy(o).loadBalancer.consistentHash.httpCookie.name = ''; },
      ['$.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name: name required for HttpCookie [validateLoadBalancer]']],
    ['a hashing cookie ttl is no Go duration', o => { policy(o).loadBalancer.consistentHash.httpCookie.ttl = '1d'; },
      ['$.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl: bad Duration: time: invalid duration "1d" [jsonpb.Unmarshal]']],
    ['a maglev table size is not prime', o => { policy(o).loadBalancer.consistentHash = { maglev: { tableSize: 9 } }; },
      ['$.spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev [validateLoadBalancer]']],
    ['mutual TLS has no client certificate', o => { policy(o).tls = { mode: 'MUTUAL' }; },
      ['$.spec.trafficPolicy.tls: client certificate required for mutual tls [ValidateTLS]',
        '$.spec.trafficPolicy.tls: private key required for mutual tls [ValidateTLS]']],
    ['TLS has a credential and a CA file too', o => { o.spec.subsets[0].trafficPolicy.tls.caCertificates = '/etc/ca.pem'; },
      ['$.spec.subsets[0].trafficPolicy.tls: cannot specify client certificates or CA certificate or CA CRL If credentialName is set [ValidateTLS]']],
    ['two subsets share a name', o => { o.spec.subsets[1].name = 'v1'; },
      ['$.spec.subsets[1].name: duplicate subset names: v1 [ValidateDestinationRule]']],
    ['a subset name has a dot', o => { o.spec.subsets[1].name = 'v1.0'; },
      ['$.spec.subsets[1].name: subset name is invalid: v1.0 [validateSubsetName]']],
    ['a subset name is empty', o => { o.spec.subsets[1].name = ''; },
      ['$.spec.subsets[1].name: subset name cannot be empty [validateSubsetName]']],
    ['a subset label value has a slash', o => { o.spec.subsets[1].labels = { version: 'v/1' }; },
      ['$.spec.subsets[1].labels: invalid tag value: "v/1" [validateSubset]']],
    ['a subset is null', o => { o.spec.subsets[1] = null; },
      ['$.spec.subsets[1]: subset may not be null [ValidateDestinationRule]']],
  ])('DestinationRule: fails when %s', (_, edit, expected) => {
    const dr = fullDestinationRule();
    edit(dr);
    expect(rejections(dr)).toEqual(expected);
  });

  const server = (o: Manifest, i = 0) => o.spec.servers[i];

  test.each<[string, Edit, string[]]>([
    ['its name has a dot', o => { o.metadata.name = 'edge.v1'; }, ['$.metadata.name: invalid gateway name: "edge.v1" [ValidateGateway]']],
    ['it has no servers', o => { o.spec.servers = []; }, ['$.spec.servers: gateway must have at least one server [ValidateGateway]']],
    ['a server has no hosts', o => { server(o).hosts = []; }, ['$.spec.servers[0].hosts: server config must contain at least one host [validateServer]']],
    ['a host is a short name', o => { server(o).hosts = ['web']; },
      ['$.spec.servers[0].hosts[0]: short names (non FQDN) are not allowed [ValidateNamespaceSlashWildcardHostname]']],
    ['a host has a top-level domain of digits', o => { server(o).hosts = ['web.123']; },
      ['$.spec.servers[0].hosts[0]: domain name "123" invalid (top level domain "123" cannot be all-numeric) [ValidateNamespaceSlashWildcardHostname]']],
    ['a host has a partial wildcard', o => { server(o).hosts = ['*web.example.com']; },
      ['$.spec.servers[0].hosts[0]: partial wildcard "*web.example.com" not allowed [ValidateNamespaceSlashWildcardHostname]']],
    ['a host names a namespace that is not a label', o => { server(o).hosts = ['Bad_NS/web.example.com']; },
      ['$.spec.servers[0].hosts[0]: invalid namespace value "Bad_NS" in gateway [ValidateNamespaceSlashWildcardHostname]']],
    ['a port has an unknown protocol', o => { server(o).port.protocol = 'HTTPX'; },
      ['$.spec.servers[0].port.protocol: invalid protocol "HTTPX", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP [validateServerPort]']],
    ['a port number is 0', o => { server(o).port.number = 0; }, ['$.spec.servers[0].port.number: port number 0 must be in the range 1..65535 [ValidatePort]']],
    ['a port has no name', o => { server(o).port.name = ''; }, ['$.spec.servers[0].port.name: port name must be set [validateServerPort]']],
    ['a port sets a target port', o => { server(o).port.targetPort = 8080; }, ['$.spec.servers[0].port.targetPort: targetPort has no impact on Gateways [validateServerPort]']],
    ['two servers share a port name', o => { server(o, 1).port.name = 'http'; },
      ['$.spec.servers[1].port.name: port names in servers must be unique: duplicate name http [ValidateGateway]']],
    ['an HTTPS server has no TLS settings', o => { delete server(o, 1).tls; }, ['$.spec.servers[1]: server must have TLS settings for HTTPS/TLS protocols [validateServer]']],
    ['a plain HTTP server terminates TLS', o => { server(o).tls = { mode: 'SIMPLE', credentialName: 'web-cert' }; },
      ['$.spec.servers[0]: server cannot have TLS settings for plain text HTTP ports [validateServer]']],
    ['a TCP server has TLS settings', o => { server(o).port.protocol = 'TCP'; },
      ['$.spec.servers[0]: server cannot have TLS settings for non HTTPS/TLS ports [validateServer]']],
    ['server TLS has no credential', o => { server(o, 1).tls = { mode: 'SIMPLE' }; },
      ['$.spec.servers[1].tls: SIMPLE TLS requires a server certificate [validateTLSOptions]', '$.spec.servers[1].tls: SIMPLE TLS requires a private key [validateTLSOptions]']],
    ['mutual server TLS has no CA', o => { server(o, 1).tls = { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' }; },
      ['$.spec.servers[1].tls: MUTUAL TLS requires a client CA bundle [validateTLSOptions]']],
    ['Istio mutual TLS names a credential', o => { server(o, 1).tls.mode = 'ISTIO_MUTUAL'; },
      ['$.spec.servers[1].tls: ISTIO_MUTUAL TLS cannot have associated credentialName [validateTLSOptions]']],
  ])('Gateway: fails when %s', (_, edit, expected) => {
    const gw = webGateway();
    edit(gw);
    expect(rejections(gw)).toEqual(expected);
  });

  test.each<[string, Edit, string[]]>([
    ['port-level mTLS has no selector', o => { delete o.spec.selector; },
      ['$.spec.portLevelMtls: mesh/namespace peer authentication cannot have port level mTLS [ValidatePeerAuthentication]']],
    ['port-level mTLS is empty', o => { o.spec.portLevelMtls = {}; },
      ['$.spec.portLevelMtls: port level mTLS, if defined, must have at least one element [ValidatePeerAuthentication]']],
    ['a port is 0', o => { o.spec.portLevelMtls = { 0: { mode: 'DISABLE' } }; }, ['$.spec.portLevelMtls["0"]: port must be in range 1..65535 [ValidatePeerAuthentication]']],
    ['a port is over 65535', o => { o.spec.portLevelMtls = { 65536: { mode: 'DISABLE' } }; }, ['$.spec.portLevelMtls["65536"]: port must be in range 1..65535 [ValidatePeerAuthentication]']],
    ['the selector has a wildcard', o => { o.spec.selector.matchLabels = { app: 'web*' }; },
      ['$.spec.selector.matchLabels: wildcard is not supported in selector: "app=web*" [validateWorkloadSelector]']],
    ['the selector has an empty key', o => { o.spec.selector.matchLabels = { '': 'web' }; },
      ['$.spec.selector.matchLabels: empty key is not supported in selector: "=web" [validateWorkloadSelector]']],
  ])('PeerAuthentication: fails when %s', (_, edit, expected) => {
    const pa = peerAuthentication();
    edit(pa);
    expect(rejections(pa)).toEqual(expected);
  });

  test.each([
    ['0', 0n], ['-1.5h', -5_400_000_000_000n], ['2h45m0.5s', 9_900_500_000_000n], ['.5us', 500n], ['1.s', 1_000_000_000n], ['1µs', 1000n],
    ['9223372036854775807ns', 2n ** 63n - 1n], ['-9223372036854775808ns', -(2n ** 63n)],
  ])('reads the Go duration %j', (text, nanos) => {
    expect(goDurationNanos(text)).toBe(nanos);
  });

  test.each(['', '1', '.s', '1d', '1 s', '9223372036854775808ns', '-9223372036854775809ns', 's1'])('fails when %j is no Go duration', text => {
    expect(goDurationNanos(text)).toBeUndefined();
  });
});

describe('what the API server checks beyond the schemas, among the schema errors', () => {
  test.each<[string, Manifest, string]>([
    ['a Service name is no DNS-1035 label', { ...service(), metadata: { name: '1web' } }, 'Service/-/1web: $.metadata.name: must be a DNS-1035 label, got "1web"'],
    ['a Service name is longer than 63', { ...service(), metadata: { name: 'w'.repeat(64) } },
      `Service/-/${'w'.repeat(64)}: $.metadata.name: must be a DNS-1035 label, got "${'w'.repeat(56)}...`],
    ['a Namespace name is a dotted subdomain, not a label', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.example' } },
      'Namespace/-/shop.example: $.metadata.name: must be a DNS-1123 label, got "shop.example"'],
    ['a name is longer than 253', { ...deployment(), metadata: { name: `${'w'.repeat(63)}.`.repeat(4).slice(0, 254) } },
      `Deployment/-/${`${'w'.repeat(63)}.`.repeat(4).slice(0, 254)}: $.metadata.name: must be a DNS-1123 subdomain, got "${'w'.repeat(56)}...`],
    ['a name is missing', { ...deployment(), metadata: {} }, 'Deployment/-/?: $.metadata.name: must be a DNS-1123 subdomain, got undefined'],
    ['a namespace has a capital', { ...deployment(), metadata: { name: 'web', namespace: 'Shop' } },
      'Deployment/Shop/web: $.metadata.namespace: must be a DNS-1123 label, got "Shop"'],
    ['a label value is longer than 63', { ...deployment(), metadata: { name: 'web', labels: { version: 'v'.repeat(64) } } },
      `Deployment/-/web: $.metadata.labels: must hold valid labels, and "version" is not, got {"version":"${'v'.repeat(45)}...`],
    ['a label key has a space', { ...deployment(), metadata: { name: 'web', labels: { 'my app': 'web' } } },
      'Deployment/-/web: $.metadata.labels: must hold valid labels, and "my app" is not, got {"my app":"web"}'],
    ['a container name has a capital', (() => { const d = deployment(); d.spec.template.spec.containers[0].name = 'Web'; return d; })(),
      'Deployment/shop/web: $.spec.template.spec.containers[0].name: must be a DNS-1123 label, got "Web"'],
    ['a built-in kind\'s integer is beyond int32, which its schema bounds, so it is reported once', (() => { const d = deployment(); d.spec.replicas = 2 ** 31; return d; })(),
      'Deployment/shop/web: $.spec.replicas: must match format "int32" [kubernetes-models/apps/v1/Deployment]'],
  ])('fails when %s', (_, object, error) => {
    expect(schemaErrors([object])).toEqual([error]);
  });

  test('takes a Deployment name that starts with a digit, a 253-character name, a dotted name and an empty label value', () => {
    const name = `${'w'.repeat(63)}.`.repeat(4).slice(0, 253);
    const objects = [{ ...deployment(), metadata: { name: '1web', labels: { 'app.kubernetes.io/name': 'web', empty: '' } } }, { ...deployment(), metadata: { name } }];
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('takes a custom resource\'s integer beyond int32, which the API server does not bound and Istio reads as a uint32', () => {
    const dr = destinationRule();
    dr.spec.trafficPolicy.outlierDetection = { consecutive5xxErrors: 2 ** 32 - 1 };
    expect(schemaErrors([dr])).toEqual([]);
  });
});
