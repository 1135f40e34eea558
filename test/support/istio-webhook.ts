/**
 * Istio's validating admission webhook (istiod's `validation.istio.io`), written down for the four
 * kinds this library emits: VirtualService, DestinationRule and Gateway of networking.istio.io, and
 * PeerAuthentication of security.istio.io. The CRDs' schemas and CEL rules (./schemas.ts) are what
 * the API server checks; this is what istiod checks after it, in Go, and rejects just the same.
 *
 * Mirrored from istio/istio at 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c (2026-08-22):
 * pkg/config/validation/validation.go and virtualservice.go, pkg/config/validation/agent/validation.go,
 * pkg/config/labels/instance.go, pkg/config/host/name.go, pkg/config/protocol/instance.go and
 * header_value_validator.go. Each rule names the upstream function it mirrors; where upstream has
 * a quirk (validateGatewayNames stops at the first name without a slash, validateHTTPStatus takes
 * 600), the rule keeps it.
 *
 * Before validating, istiod decodes the spec into its protobuf with golang/protobuf's jsonpb, which
 * refuses what does not fit the field: a fraction or an out-of-range number in an int32 or uint32
 * field, a duration that Go's time.ParseDuration cannot read. `decodeViolations` mirrors that.
 *
 * Route weights need not add up to 100: istiod once refused that, and no longer does; it refuses
 * only several destinations that all weigh 0 (`validateHTTPRouteDestinations`).
 *
 * Not mirrored, because the library emits none of these fields (a rule for them would never run):
 * delegate VirtualServices, tls routes and SNI hosts, redirect, directResponse, rewrite, corsPolicy,
 * mirrors, withoutHeaders and JWT-claim routing beyond the mesh check, exportTo, localityLbSetting,
 * zoneAwareLbSetting, tunnel details, Gateway unix-socket binds and cipher suites. Warnings
 * (`WrapWarning`, `AppendWarningf`: the unreachable-rule analysis among them) do not reject an object
 * and are left out.
 */
import { isIP } from 'net';
import { RE2JS } from 're2js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One rejection: where, what istiod says, and the upstream function that says it. */
export interface Violation {
  readonly at: string;
  readonly message: string;
  readonly rule: string;
}

/** The rejections istiod's webhook would give the object; [] for kinds it does not validate here. */
export function webhookViolations(object: unknown): Violation[] {
  if (!isObject(object) || typeof object.apiVersion !== 'string') return [];
  const group = object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/'));
  const check = group === 'networking.istio.io' || group === 'security.istio.io' ? KINDS[`${group}/${object.kind}`] : undefined;
  if (!check) return [];
  const meta = isObject(object.metadata) ? object.metadata : {};
  const spec = isObject(object.spec) ? object.spec : {};
  const decoded = decodeViolations(String(object.kind), spec);
  // istiod stops at a spec it cannot decode, and validates nothing of it.
  return decoded.length > 0 ? decoded : [...metadataViolations(meta), ...check(spec, meta)];
}

/** The webhook's rules for a networking.istio.io VirtualService (`ValidateVirtualService`). */
function virtualServiceViolations(spec: JsonObject): Violation[] {
  const v = new Violations();
  const hosts = strings(spec.hosts);
  const gateways = strings(spec.gateways);
  if (hosts.length === 0) {
    if (gateways.length > 0) v.add('$.spec.gateways', 'delegate virtual service must have no gateways specified', 'ValidateVirtualService');
    if (list(spec.tcp).length > 0) v.add('$.spec.tcp', 'delegate virtual service must have no tcp route specified', 'ValidateVirtualService');
  }
  const appliesToGateway = gateways.length > 0 && !gateways.includes(MESH);
  const appliesToMesh = !appliesToGateway;
  validateGatewayNames(v, '$.spec.gateways', gateways);
  if (!appliesToGateway) {
    list(spec.http).forEach((route, i) => list(object(route).match).forEach((match, j) => {
      for (const key of Object.keys(object(object(match).headers))) {
        if (isJwtClaimRoute(key)) {
          v.add(`$.spec.http[${i}].match[${j}].headers`, `JWT claim based routing (key: ${key}) is only supported for gateway, found no gateways: [${gateways.join(' ')}]`,
            'ValidateVirtualService');
        }
      }
    }));
  }
  let allHostsValid = true;
  hosts.forEach((host, i) => {
    const error = validateWildcardDomain(host);
    if (error !== undefined) {
      if (!isIP(host)) {
        v.add(`$.spec.hosts[${i}]`, error, appliesToGateway ? 'ValidateWildcardDomainForVirtualServiceBoundToGateway' : 'ValidateWildcardDomain');
        allHostsValid = false;
      }
    } else if (appliesToMesh && host === '*') {
      v.add(`$.spec.hosts[${i}]`, 'wildcard host * is not allowed for virtual services bound to the mesh gateway', 'ValidateVirtualService');
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    hosts.forEach((a, i) => hosts.slice(i + 1).forEach(b => {
      if (hostMatches(a, b)) v.add('$.spec.hosts', `duplicate hosts in virtual service: ${a} & ${b}`, 'ValidateVirtualService');
    }));
  }
  if (list(spec.http).length === 0 && list(spec.tcp).length === 0 && list(spec.tls).length === 0) {
    v.add('$.spec', 'http, tcp or tls must be provided in virtual service', 'ValidateVirtualService');
  }
  list(spec.http).forEach((route, i) => {
    if (route === null) v.add(`$.spec.http[${i}]`, 'http route may not be null', 'ValidateVirtualService');
    else validateHTTPRoute(v, `$.spec.http[${i}]`, object(route));
  });
  list(spec.tcp).forEach((route, i) => validateTCPRoute(v, `$.spec.tcp[${i}]`, object(route)));
  return v.list;
}

/** The webhook's rules for a networking.istio.io DestinationRule (`ValidateDestinationRule`). */
function destinationRuleViolations(spec: JsonObject): Violation[] {
  const v = new Violations();
  const hostError = validateWildcardDomain(text(spec.host));
  if (hostError !== undefined) v.add('$.spec.host', hostError, 'ValidateWildcardDomain');
  validateTrafficPolicy(v, '$.spec.trafficPolicy', spec.trafficPolicy);
  const names = new Set<string>();
  list(spec.subsets).forEach((subset, i) => {
    const at = `$.spec.subsets[${i}]`;
    if (subset === null) return v.add(at, 'subset may not be null', 'ValidateDestinationRule');
    const name = text(object(subset).name);
    if (names.has(name)) v.add(`${at}.name`, `duplicate subset names: ${name}`, 'ValidateDestinationRule');
    names.add(name);
    validateSubsetName(v, `${at}.name`, name);
    validateLabels(v, `${at}.labels`, object(subset).labels, 'validateSubset');
    validateTrafficPolicy(v, `${at}.trafficPolicy`, object(subset).trafficPolicy);
  });
  validateWorkloadSelector(v, '$.spec.workloadSelector', spec.workloadSelector);
  return v.list;
}

/** The webhook's rules for a networking.istio.io Gateway (`ValidateGateway`). */
function gatewayViolations(spec: JsonObject, meta: JsonObject): Violation[] {
  const v = new Violations();
  const name = text(meta.name);
  if (!isDns1123Label(name)) v.add('$.metadata.name', `invalid gateway name: ${JSON.stringify(name)}`, 'ValidateGateway');
  const servers = list(spec.servers);
  if (servers.length === 0) v.add('$.spec.servers', 'gateway must have at least one server', 'ValidateGateway');
  servers.forEach((server, i) => validateServer(v, `$.spec.servers[${i}]`, server));
  const portNames = new Set<string>();
  servers.forEach((server, i) => {
    const port = object(server).port;
    if (server === null || !isObject(port)) return;
    const portName = text(port.name);
    if (portNames.has(portName)) v.add(`$.spec.servers[${i}].port.name`, `port names in servers must be unique: duplicate name ${portName}`, 'ValidateGateway');
    portNames.add(portName);
  });
  return v.list;
}

/** The webhook's rules for a security.istio.io PeerAuthentication (`ValidatePeerAuthentication`). */
function peerAuthenticationViolations(spec: JsonObject): Violation[] {
  const v = new Violations();
  const matchLabels = object(object(spec.selector).matchLabels);
  const ports = spec.portLevelMtls;
  if (Object.keys(matchLabels).length === 0 && Object.keys(object(ports)).length > 0) {
    v.add('$.spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS', 'ValidatePeerAuthentication');
  }
  if (isObject(ports) && Object.keys(ports).length === 0) {
    v.add('$.spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element', 'ValidatePeerAuthentication');
  }
  for (const port of Object.keys(object(ports))) {
    if (!(Number(port) > 0 && Number(port) <= 65535)) v.add(`$.spec.portLevelMtls[${JSON.stringify(port)}]`, 'port must be in range 1..65535', 'ValidatePeerAuthentication');
  }
  validateWorkloadSelector(v, '$.spec.selector', spec.selector);
  return v.list;
}

const KINDS: { readonly [kind: string]: (spec: JsonObject, meta: JsonObject) => Violation[] } = {
  'networking.istio.io/VirtualService': virtualServiceViolations,
  'networking.istio.io/DestinationRule': destinationRuleViolations,
  'networking.istio.io/Gateway': gatewayViolations,
  'security.istio.io/PeerAuthentication': peerAuthenticationViolations,
};

class Violations {
  public readonly list: Violation[] = [];

  public add(at: string, message: string, rule: string): void {
    this.list.push({ at, message, rule });
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding: golang/protobuf jsonpb into istio.io/api's messages

/** A field's protobuf type, where JSON could hold a value that does not fit it. */
type FieldType = 'int32' | 'uint32' | 'duration';

const TRAFFIC_POLICY_FIELDS: readonly [string, FieldType][] = [
  ['connectionPool.tcp.maxConnections', 'int32'],
  ['connectionPool.tcp.connectTimeout', 'duration'],
  ['connectionPool.tcp.maxConnectionDuration', 'duration'],
  ['connectionPool.tcp.idleTimeout', 'duration'],
  ['connectionPool.http.http1MaxPendingRequests', 'int32'],
  ['connectionPool.http.http2MaxRequests', 'int32'],
  ['connectionPool.http.maxRequestsPerConnection', 'int32'],
  ['connectionPool.http.maxRetries', 'int32'],
  ['connectionPool.http.maxConcurrentStreams', 'int32'],
  ['connectionPool.http.idleTimeout', 'duration'],
  ['outlierDetection.consecutiveErrors', 'int32'],
  ['outlierDetection.consecutive5xxErrors', 'uint32'],
  ['outlierDetection.consecutiveGatewayErrors', 'uint32'],
  ['outlierDetection.consecutiveLocalOriginFailures', 'uint32'],
  ['outlierDetection.interval', 'duration'],
  ['outlierDetection.baseEjectionTime', 'duration'],
  ['outlierDetection.maxEjectionPercent', 'int32'],
  ['outlierDetection.minHealthPercent', 'int32'],
  ['loadBalancer.consistentHash.httpCookie.ttl', 'duration'],
  ['loadBalancer.warmup.duration', 'duration'],
];

const DESTINATION_FIELDS: readonly [string, FieldType][] = [['destination.port.number', 'uint32'], ['weight', 'int32']];

const FIELDS: { readonly [kind: string]: readonly [string, FieldType][] } = {
  DestinationRule: [
    ...TRAFFIC_POLICY_FIELDS.map(([path, type]): [string, FieldType] => [`trafficPolicy.${path}`, type]),
    ...TRAFFIC_POLICY_FIELDS.map(([path, type]): [string, FieldType] => [`subsets[].trafficPolicy.${path}`, type]),
  ],
  VirtualService: [
    ['http[].timeout', 'duration'],
    ['http[].retries.attempts', 'int32'],
    ['http[].retries.perTryTimeout', 'duration'],
    ['http[].fault.delay.fixedDelay', 'duration'],
    ['http[].fault.abort.httpStatus', 'int32'],
    ['http[].match[].port', 'uint32'],
    ['http[].mirror.port.number', 'uint32'],
    ...DESTINATION_FIELDS.map(([path, type]): [string, FieldType] => [`http[].route[].${path}`, type]),
    ['tcp[].match[].port', 'uint32'],
    ...DESTINATION_FIELDS.map(([path, type]): [string, FieldType] => [`tcp[].route[].${path}`, type]),
  ],
  Gateway: [['servers[].port.number', 'uint32'], ['servers[].port.targetPort', 'uint32']],
  PeerAuthentication: [],
};

const RANGES = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] } as const;

/** What jsonpb refuses to decode (protomarshal.ApplyJSON, called by crd.ConvertObject). */
function decodeViolations(kind: string, spec: JsonObject): Violation[] {
  const v = new Violations();
  for (const [path, type] of FIELDS[kind] ?? []) {
    for (const [at, value] of valuesAt(spec, path.split('.'), '$.spec')) {
      if (type === 'duration') {
        if (typeof value === 'string' && goDurationNanos(value) === undefined) {
          v.add(at, `bad Duration: time: invalid duration ${JSON.stringify(value)}`, 'jsonpb.Unmarshal');
        }
      } else if (typeof value === 'number' && (!Number.isInteger(value) || value < RANGES[type][0] || value > RANGES[type][1])) {
        v.add(at, `json: cannot unmarshal number ${value} into Go value of type ${type}`, 'jsonpb.Unmarshal');
      }
    }
  }
  return v.list;
}

/** The values at a path such as `http[].route[].weight`, with their JSON paths. */
function valuesAt(node: Json | undefined, steps: string[], at: string): [string, Json][] {
  if (node === undefined || node === null) return [];
  if (steps.length === 0) return [[at, node]];
  const [step, ...rest] = steps;
  const key = step.replace(/\[\]$/, '');
  const value = isObject(node) ? node[key] : undefined;
  if (key === step) return valuesAt(value, rest, `${at}.${key}`);
  return list(value).flatMap((item, i) => valuesAt(item, rest, `${at}.${key}[${i}]`));
}

// ---------------------------------------------------------------------------------------------
// Metadata (validateMetadata)

const ALWAYS_REJECT = 'istio.io/alwaysReject';

function metadataViolations(meta: JsonObject): Violation[] {
  const v = new Violations();
  const annotations = object(meta.annotations);
  if ('istio.io/dry-run' in annotations) {
    v.add('$.metadata.annotations', `${text(meta.namespace)}/${text(meta.name)} has unsupported annotation istio.io/dry-run, please remove the annotation`,
      'checkDryRunAnnotation');
  }
  for (const key of [ALWAYS_REJECT, 'internal.istio.io/parent-namespace', 'internal.istio.io/parent-names']) {
    if (key in annotations) v.add('$.metadata.annotations', `${JSON.stringify(key)} annotation found`, 'validateMetadata');
  }
  return v.list;
}

// ---------------------------------------------------------------------------------------------
// VirtualService routes (virtualservice.go, validation.go)

const MESH = 'mesh';

/** pkg/jwt ToRoutingClaim: `@request.auth.claims.<claim>` or `@request.auth.claims[<claim>]`. */
function isJwtClaimRoute(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

function validateHTTPRoute(v: Violations, at: string, route: JsonObject): void {
  const routes = list(route.route);
  if (route.redirect === undefined && route.directResponse === undefined && routes.length === 0) {
    v.add(at, 'HTTP route, redirect or direct_response is required', 'validateHTTPRouteConflict');
  }
  if (route.mirror !== undefined && list(route.mirrors).length > 0) v.add(at, 'HTTP route cannot contain both mirror and mirrors', 'validateHTTPRouteConflict');
  validateHTTPRouteMatchRequest(v, at, list(route.match));
  validateHeaderOperations(v, `${at}.headers`, route.headers);
  validateHTTPFaultInjection(v, `${at}.fault`, route.fault);
  const mirrorPercentage = object(route.mirrorPercentage).value;
  if (typeof mirrorPercentage === 'number' && mirrorPercentage > 100) {
    v.add(`${at}.mirrorPercentage`, `mirror_percentage must have a max value of 100 (it has ${mirrorPercentage})`, 'validateHTTPRoute');
  }
  if (typeof mirrorPercentage === 'number' && mirrorPercentage < 0) {
    v.add(`${at}.mirrorPercentage`, `mirror_percentage must have a min value of 0 (it has ${mirrorPercentage})`, 'validateHTTPRoute');
  }
  validateDestination(v, `${at}.mirror`, route.mirror);
  validateHTTPRetry(v, `${at}.retries`, route.retries);
  validateRouteDestinations(v, `${at}.route`, routes, true);
  validateDuration(v, `${at}.timeout`, route.timeout);
}

function validateHTTPRouteMatchRequest(v: Violations, at: string, matches: Json[]): void {
  matches.forEach((item, i) => {
    if (item === null) return;
    const match = object(item);
    const where = `${at}.match[${i}]`;
    for (const [name, header] of Object.entries(object(match.headers))) {
      const field = `${where}.headers[${JSON.stringify(name)}]`;
      if (header === null) v.add(field, `header match ${name} cannot be null`, 'validateHTTPRouteMatchRequest');
      validateHeaderMatchName(v, field, name);
      validateStringMatch(v, field, header, 'headers');
    }
    validateStringMatchRegexp(v, `${where}.uri`, match.uri, 'uri');
    for (const key of ['scheme', 'method', 'authority']) validateStringMatch(v, `${where}.${key}`, match[key], key);
    for (const [name, param] of Object.entries(object(match.queryParams))) {
      validateStringMatch(v, `${where}.queryParams[${JSON.stringify(name)}]`, param, 'queryParams');
    }
    if (typeof match.port === 'number' && match.port !== 0) validatePort(v, `${where}.port`, match.port);
    validateLabels(v, `${where}.sourceLabels`, match.sourceLabels, 'validateHTTPRouteMatchRequest');
    validateGatewayNames(v, `${where}.gateways`, strings(match.gateways));
    if (typeof match.sourceNamespace === 'string' && match.sourceNamespace !== '' && !isDns1123Label(match.sourceNamespace)) {
      v.add(`${where}.sourceNamespace`, `sourceNamespace match ${match.sourceNamespace} is invalid`, 'validateHTTPRouteMatchRequest');
    }
  });
}

/** RFC 7230 tchar, validHeaderNameRegex. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** ValidateHTTPHeaderNameOrJwtClaimRoute. */
function validateHeaderMatchName(v: Violations, at: string, name: string): void {
  const rule = 'ValidateHTTPHeaderNameOrJwtClaimRoute';
  if (name === '') v.add(at, 'header name cannot be empty', rule);
  else if (!isJwtClaimRoute(name) && !PSEUDO_HEADERS.has(name) && !HEADER_NAME.test(name)) v.add(at, `header name ${name} is not a valid header name`, rule);
}

/** validateStringMatch: an empty prefix or regex, or a regex that does not compile. */
function validateStringMatch(v: Violations, at: string, match: Json | undefined, where: string): void {
  if (isObject(match) && match.prefix === '') v.add(at, `${JSON.stringify(where)}: prefix string match should not be empty`, 'validateStringMatch');
  validateStringMatchRegexp(v, at, match, where);
}

function validateStringMatchRegexp(v: Violations, at: string, match: Json | undefined, where: string): void {
  if (!isObject(match) || typeof match.regex !== 'string') return;
  if (match.regex === '') v.add(at, `${JSON.stringify(where)}: regex string match should not be empty`, 'validateStringMatchRegexp');
  else validateStringRegexp(v, at, match.regex, where);
}

/** Go's regexp.Compile, as RE2JS ports it, and Istio's stand-in for Envoy's RE2 program size: 1024 characters. */
function validateStringRegexp(v: Violations, at: string, regex: string, where: string): void {
  if (regex.length > 1024) return v.add(at, `${JSON.stringify(where)}: regex is too large, max length allowed is 1024`, 'validateStringRegexp');
  const error = re2Error(regex);
  if (error !== undefined) {
    v.add(at, `${JSON.stringify(where)}: ${error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`, 'validateStringRegexp');
  }
}

/** Compiling is most of the webhook's time, and the suite's objects repeat their regexes. */
const re2Errors = new Map<string, string | undefined>();

function re2Error(regex: string): string | undefined {
  if (!re2Errors.has(regex)) {
    try {
      RE2JS.compile(regex);
      re2Errors.set(regex, undefined);
    } catch (e) {
      re2Errors.set(regex, (e as Error).message);
    }
  }
  return re2Errors.get(regex);
}

/**
 * validateGatewayNames. Upstream returns at the first name without a slash (`mesh`, a legacy
 * FQDN), so the names after it go unchecked; this keeps that.
 */
function validateGatewayNames(v: Violations, at: string, names: string[]): void {
  for (const [i, name] of names.entries()) {
    const slash = name.indexOf('/');
    if (slash < 0) {
      const error = validateFQDN(name);
      if (error !== undefined) v.add(`${at}[${i}]`, error, 'validateGatewayNames');
      return;
    }
    const [namespace, gateway] = [name.slice(0, slash), name.slice(slash + 1)];
    if (namespace === '' || gateway === '') v.add(`${at}[${i}]`, 'config namespace and gateway name cannot be empty', 'validateGatewayNames');
    if (!isDns1123Label(namespace)) v.add(`${at}[${i}]`, `invalid value for namespace: ${JSON.stringify(namespace)}`, 'validateGatewayNames');
    if (!isDns1123Label(gateway)) v.add(`${at}[${i}]`, `invalid value for gateway name: ${JSON.stringify(gateway)}`, 'validateGatewayNames');
  }
}

/** validateHTTPRouteDestinations and validateRouteDestinations: each destination, weights 0 or more, not all 0. */
function validateRouteDestinations(v: Violations, at: string, routes: Json[], http: boolean): void {
  const rule = http ? 'validateHTTPRouteDestinations' : 'validateRouteDestinations';
  let total = 0;
  routes.forEach((item, i) => {
    const where = `${at}[${i}]`;
    if (item === null) return v.add(where, 'weight may not be nil', rule);
    const route = object(item);
    if (route.destination === undefined || route.destination === null) v.add(where, 'destination is required', rule);
    if (http) validateHeaderOperations(v, `${where}.headers`, route.headers);
    validateDestination(v, `${where}.destination`, route.destination);
    const weight = typeof route.weight === 'number' ? route.weight : 0;
    if (weight < 0) v.add(`${where}.weight`, `weight ${weight} < 0`, 'validateWeight');
    total += weight;
  });
  if (routes.length > 1 && total === 0) v.add(at, 'total destination weight = 0', rule);
}

function validateDestination(v: Violations, at: string, destination: Json | undefined): void {
  if (!isObject(destination)) return;
  const host = text(destination.host);
  const hostError = host === '*' ? `invalid destination host ${host}` : validateWildcardDomain(host);
  if (hostError !== undefined) v.add(`${at}.host`, hostError, 'validateDestination');
  if (typeof destination.subset === 'string' && destination.subset !== '') validateSubsetName(v, `${at}.subset`, destination.subset);
  if (isObject(destination.port)) validatePort(v, `${at}.port.number`, typeof destination.port.number === 'number' ? destination.port.number : 0);
}

/** validateSubsetName. */
function validateSubsetName(v: Violations, at: string, name: string): void {
  if (name === '') v.add(at, 'subset name cannot be empty', 'validateSubsetName');
  else if (!isDns1123Label(name)) v.add(at, `subset name is invalid: ${name}`, 'validateSubsetName');
}

/** The header operations of a route or a destination: ValidateHTTPHeaderWithAuthorityOperationName, ValidateHTTPHeaderOperationName, ValidateHTTPHeaderValue. */
function validateHeaderOperations(v: Violations, at: string, headers: Json | undefined): void {
  const request = object(object(headers).request);
  const response = object(object(headers).response);
  for (const op of ['add', 'set']) {
    for (const [name, value] of Object.entries(object(request[op]))) {
      const where = `${at}.request.${op}[${JSON.stringify(name)}]`;
      if (name === '') v.add(where, 'header name cannot be empty', 'ValidateHTTPHeaderWithAuthorityOperationName');
      else if (isInternalHeader(name) && !isAuthorityHeader(name)) v.add(where, `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`, 'ValidateHTTPHeaderWithAuthorityOperationName');
      validateHeaderValue(v, where, text(value));
    }
    for (const [name, value] of Object.entries(object(response[op]))) {
      validateHeaderOperationName(v, `${at}.response.${op}[${JSON.stringify(name)}]`, name);
      validateHeaderValue(v, `${at}.response.${op}[${JSON.stringify(name)}]`, text(value));
    }
  }
  strings(request.remove).forEach((name, i) => validateHeaderOperationName(v, `${at}.request.remove[${i}]`, name));
  strings(response.remove).forEach((name, i) => validateHeaderOperationName(v, `${at}.response.remove[${i}]`, name));
}

function isInternalHeader(name: string): boolean {
  return name.startsWith(':') || name.toLowerCase() === 'host';
}

function isAuthorityHeader(name: string): boolean {
  return name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';
}

function validateHeaderOperationName(v: Violations, at: string, name: string): void {
  const rule = 'ValidateHTTPHeaderOperationName';
  if (name === '') v.add(at, 'header name cannot be empty', rule);
  else if (name.toLowerCase() === 'host') v.add(at, `invalid header ${JSON.stringify(name)}: cannot set Host header`, rule);
  else if (isInternalHeader(name)) v.add(at, `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`, rule);
}

/** ValidateHTTPHeaderValue: no control characters but tab, and Envoy's `%VARIABLE%` syntax (validateHeaderValue). */
function validateHeaderValue(v: Violations, at: string, value: string): void {
  const rule = 'ValidateHTTPHeaderValue';
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return v.add(at, `header value configuration ${value} is invalid`, rule);
  const error = envoyHeaderFormatError(value);
  if (error !== undefined) v.add(at, `header value configuration: ${error}`, rule);
}

/** header_value_validator.go, a port of Envoy's header_parser.cc: `%` starts a variable unless doubled. */
function envoyHeaderFormatError(value: string): string | undefined {
  let state: 'literal' | 'name' | 'array' | 'string' | 'inString' | 'delimiter' | 'argsEnd' | 'end' = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return 'invalid header configuration. Un-escaped %';
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'string';
        else if (ch !== ' ') state = 'inString';
        break;
      case 'delimiter':
        if (ch === ',') state = 'string';
        else if (ch === ']') state = 'argsEnd';
        else if (ch !== ' ') return 'invalid header configuration. Expecting \',\', \']\', or whitespace';
        break;
      case 'string':
        if (ch === '"') state = 'inString';
        else if (ch !== ' ') return 'invalid header configuration. Expecting \'"\'';
        break;
      case 'inString':
        if (ch === '\\') {
          if (!hasNext) return 'invalid header configuration. Un-terminated backslash in JSON string';
          pos++;
        } else if (ch === ')') state = 'end';
        else if (ch === '"') state = 'delimiter';
        break;
      case 'argsEnd':
        if (ch === ')') state = 'end';
        else if (ch !== ' ') return 'invalid header configuration. Expecting \')\' or whitespace after \'{}\', but found \'{}\'';
        break;
      case 'end':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return 'invalid header configuration. Expecting \'%\' or whitespace after';
        break;
    }
  }
  return state === 'literal' ? undefined : `invalid header configuration. Un-terminated variable expression '${value}'`;
}

/** validateHTTPFaultInjection, with its abort and delay. */
function validateHTTPFaultInjection(v: Violations, at: string, fault: Json | undefined): void {
  if (!isObject(fault)) return;
  if (fault.abort === undefined && fault.delay === undefined) v.add(at, 'HTTP fault injection must have an abort and/or a delay', 'validateHTTPFaultInjection');
  if (isObject(fault.abort)) {
    validatePercentage(v, `${at}.abort.percentage`, fault.abort.percentage);
    const status = fault.abort.httpStatus;
    if (typeof status === 'number' && (status < 200 || status > 600)) {
      v.add(`${at}.abort.httpStatus`, `HTTP status ${status} is not in range 200-599`, 'validateHTTPStatus');
    }
    if (fault.abort.http2Error !== undefined) v.add(`${at}.abort`, 'HTTP/2 abort fault injection not supported yet', 'validateHTTPFaultInjectionAbort');
  }
  if (isObject(fault.delay)) {
    validatePercentage(v, `${at}.delay.percentage`, fault.delay.percentage);
    validateDuration(v, `${at}.delay.fixedDelay`, fault.delay.fixedDelay);
    if (fault.delay.exponentialDelay !== undefined) v.add(`${at}.delay`, 'exponentialDelay not supported yet', 'validateHTTPFaultInjectionDelay');
  }
}

/** validatePercentage: 0, or from 0.0001 to 100. */
function validatePercentage(v: Violations, at: string, percentage: Json | undefined): void {
  const value = object(percentage).value;
  if (typeof value === 'number' && (value < 0 || value > 100 || (value > 0 && value < 0.0001))) {
    v.add(at, `percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]`, 'validatePercentage');
  }
}

/** The policies of `x-envoy-retry-on` and `x-envoy-retry-grpc-on` (agent's supportedRetryOnPolicies). */
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
  'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable',
]);

/** The codes Go's net/http StatusText names. */
const HTTP_STATUSES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** agent.ValidateHTTPRetry. */
function validateHTTPRetry(v: Violations, at: string, retries: Json | undefined): void {
  if (!isObject(retries)) return;
  const rule = 'ValidateHTTPRetry';
  const attempts = typeof retries.attempts === 'number' ? retries.attempts : 0;
  const retryOn = text(retries.retryOn);
  if (attempts < 0) v.add(`${at}.attempts`, 'attempts cannot be negative', rule);
  if (attempts === 0 && (retries.perTryTimeout !== undefined || retryOn !== '' || retries.retryRemoteLocalities !== undefined)) {
    v.add(at, 'http retry policy configured when attempts are set to 0 (disabled)', rule);
  }
  validateDuration(v, `${at}.perTryTimeout`, retries.perTryTimeout);
  if (retryOn !== '') {
    for (const policy of retryOn.split(',')) {
      if (!HTTP_STATUSES.has(goAtoi(policy)) && !RETRY_ON.has(policy)) v.add(`${at}.retryOn`, `${JSON.stringify(policy)} is not a valid retryOn policy`, rule);
    }
  }
  validateDuration(v, `${at}.backoff`, retries.backoff);
}

/** strconv.Atoi, with 0 for what it refuses, as ValidateHTTPRetry ignores the error. */
function goAtoi(s: string): number {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : 0;
}

function validateTCPRoute(v: Violations, at: string, route: JsonObject): void {
  list(route.match).forEach((item, i) => {
    const where = `${at}.match[${i}]`;
    if (item === null) return v.add(where, 'tcp match may not be nil', 'validateTCPMatch');
    const match = object(item);
    if (typeof match.port === 'number' && match.port !== 0) validatePort(v, `${where}.port`, match.port);
    validateLabels(v, `${where}.sourceLabels`, match.sourceLabels, 'validateTCPMatch');
    validateGatewayNames(v, `${where}.gateways`, strings(match.gateways));
  });
  const routes = list(route.route);
  if (routes.length === 0) v.add(`${at}.route`, 'TCP route is required', 'validateTCPRoute');
  validateRouteDestinations(v, `${at}.route`, routes, false);
}

// ---------------------------------------------------------------------------------------------
// DestinationRule traffic policies

function validateTrafficPolicy(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
  if (fields.every(field => value[field] === undefined || value[field] === null)) {
    return v.add(at, 'traffic policy must have at least one field', 'validateTrafficPolicy');
  }
  if (value.tunnel !== undefined && value.proxyProtocol !== undefined) return v.add(at, 'tunnel and proxyProtocol must not be set together', 'validateTrafficPolicy');
  validateOutlierDetection(v, `${at}.outlierDetection`, value.outlierDetection);
  validateConnectionPool(v, `${at}.connectionPool`, value.connectionPool);
  validateLoadBalancer(v, `${at}.loadBalancer`, value.loadBalancer);
  validateClientTls(v, `${at}.tls`, value.tls);
  list(value.portLevelSettings).forEach((item, i) => {
    const where = `${at}.portLevelSettings[${i}]`;
    const port = object(item);
    if (item === null) return v.add(where, 'traffic policy may not be null', 'validatePortTrafficPolicies');
    if (port.port === undefined) v.add(where, 'portTrafficPolicy must have valid port', 'validatePortTrafficPolicies');
    if (['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].every(field => port[field] === undefined)) {
      return v.add(where, 'port traffic policy must have at least one field', 'validatePortTrafficPolicies');
    }
    validateOutlierDetection(v, `${where}.outlierDetection`, port.outlierDetection);
    validateConnectionPool(v, `${where}.connectionPool`, port.connectionPool);
    validateLoadBalancer(v, `${where}.loadBalancer`, port.loadBalancer);
    validateClientTls(v, `${where}.tls`, port.tls);
  });
}

function validateOutlierDetection(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  validateDuration(v, `${at}.baseEjectionTime`, value.baseEjectionTime);
  validateDuration(v, `${at}.interval`, value.interval);
  if (value.splitExternalLocalOriginErrors !== true && typeof value.consecutiveLocalOriginFailures === 'number' && value.consecutiveLocalOriginFailures > 0) {
    v.add(at, 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false', 'validateOutlierDetection');
  }
  for (const field of ['maxEjectionPercent', 'minHealthPercent']) {
    const percent = value[field];
    if (typeof percent === 'number' && (percent < 0 || percent > 100)) v.add(`${at}.${field}`, `percentage ${percent} is not in range 0..100`, 'ValidatePercent');
  }
}

function validateConnectionPool(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  if (value.http === undefined && value.tcp === undefined) return v.add(at, 'connection pool must have at least one field', 'validateConnectionPool');
  const negative = (where: string, count: Json | undefined, what: string) => {
    if (typeof count === 'number' && count < 0) v.add(where, `${what} must be non-negative`, 'validateConnectionPool');
  };
  if (isObject(value.http)) {
    const http = value.http;
    negative(`${at}.http.http1MaxPendingRequests`, http.http1MaxPendingRequests, 'http1 max pending requests');
    negative(`${at}.http.http2MaxRequests`, http.http2MaxRequests, 'http2 max requests');
    negative(`${at}.http.maxRequestsPerConnection`, http.maxRequestsPerConnection, 'max requests per connection');
    negative(`${at}.http.maxRetries`, http.maxRetries, 'max retries');
    negative(`${at}.http.maxConcurrentStreams`, http.maxConcurrentStreams, 'max concurrent streams');
    validateDuration(v, `${at}.http.idleTimeout`, http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      v.add(`${at}.http`, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE', 'validateConnectionPool');
    }
  }
  if (isObject(value.tcp)) {
    const tcp = value.tcp;
    negative(`${at}.tcp.maxConnections`, tcp.maxConnections, 'max connections');
    validateDuration(v, `${at}.tcp.connectTimeout`, tcp.connectTimeout);
    validateDuration(v, `${at}.tcp.maxConnectionDuration`, tcp.maxConnectionDuration);
    // A zero idle timeout turns it off, and is not checked.
    if (typeof tcp.idleTimeout === 'string' && goDurationNanos(tcp.idleTimeout) !== 0n) validateDuration(v, `${at}.tcp.idleTimeout`, tcp.idleTimeout);
  }
}

function validateLoadBalancer(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  const hash = object(value.consistentHash);
  if (isObject(hash.httpCookie) && text(hash.httpCookie.name) === '') v.add(`${at}.consistentHash.httpCookie.name`, 'name required for HttpCookie', 'validateLoadBalancer');
  if (isObject(hash.maglev)) {
    const size = typeof hash.maglev.tableSize === 'number' ? hash.maglev.tableSize : 0;
    if (size === 0) v.add(`${at}.consistentHash.maglev.tableSize`, 'tableSize must be set for maglev', 'validateLoadBalancer');
    if (size >= 5000011) v.add(`${at}.consistentHash.maglev.tableSize`, 'tableSize must be less than 5000011 for maglev', 'validateLoadBalancer');
    if (!isPrime(size)) v.add(`${at}.consistentHash.maglev.tableSize`, 'tableSize must be a prime number for maglev', 'validateLoadBalancer');
  }
  if (value.localityLbSetting !== undefined && value.zoneAwareLbSetting !== undefined) {
    v.add(at, 'only one of localityLbSetting and zoneAwareLbSetting can be set', 'validateLoadBalancer');
  }
  if (isObject(value.warmup)) {
    if (value.warmup.duration === undefined) v.add(`${at}.warmup`, 'duration is required', 'validateLoadBalancer');
    validateDuration(v, `${at}.warmup.duration`, value.warmup.duration);
  }
}

/** Envoy's isPrime, as validateLoadBalancer copies it. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let factor = 3; factor <= Math.sqrt(x); factor += 2) if (x % factor === 0) return false;
  return true;
}

/** agent.ValidateTLS, for the client side of a traffic policy. */
function validateClientTls(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  const rule = 'ValidateTLS';
  const mode = text(value.mode);
  const credentialName = text(value.credentialName);
  const set = (field: string) => text(value[field]) !== '';
  if (value.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (set('caCertificates') || credentialName !== '' || value.subjectAltNames !== undefined)) {
      v.add(at, 'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true', rule);
    }
    if (mode === 'MUTUAL' && (set('caCertificates') || value.subjectAltNames !== undefined)) {
      v.add(at, 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true', rule);
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some(set)) {
      v.add(at, 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set', rule);
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!set('clientCertificate')) v.add(at, 'client certificate required for mutual tls', rule);
    if (!set('privateKey')) v.add(at, 'private key required for mutual tls', rule);
  }
}

// ---------------------------------------------------------------------------------------------
// Gateway servers

/** protocol.Parse, which ignores case; everything else is Unsupported. */
const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'http_proxy']);
const TLS_PROTOCOLS = new Set(['https', 'tls']);

/** validateServer, with validateServerPort and validateTLSOptions. */
function validateServer(v: Violations, at: string, value: Json): void {
  if (value === null) return v.add(at, 'cannot have nil server', 'validateServer');
  const server = object(value);
  const hosts = strings(server.hosts);
  if (hosts.length === 0) v.add(`${at}.hosts`, 'server config must contain at least one host', 'validateServer');
  hosts.forEach((host, i) => {
    for (const error of validateNamespaceSlashWildcardHostname(host)) v.add(`${at}.hosts[${i}]`, error, 'ValidateNamespaceSlashWildcardHostname');
  });
  const portErrors = validateServerPort(v, `${at}.port`, server.port);
  if (typeof server.bind === 'string' && server.bind !== '' && !server.bind.startsWith('unix://') && !isIP(server.bind)) {
    v.add(`${at}.bind`, `${server.bind} is not a valid IP`, 'validateServerBind');
  }
  validateTLSOptions(v, `${at}.tls`, server.tls);
  if (portErrors > 0) return;
  const protocol = text(object(server.port).protocol).toLowerCase();
  const tls = server.tls;
  if (TLS_PROTOCOLS.has(protocol) && !isObject(tls)) v.add(at, 'server must have TLS settings for HTTPS/TLS protocols', 'validateServer');
  else if (!TLS_PROTOCOLS.has(protocol) && isObject(tls)) {
    if (!HTTP_PROTOCOLS.has(protocol)) v.add(at, 'server cannot have TLS settings for non HTTPS/TLS ports', 'validateServer');
    else if (!isPassThrough(tls) || ['caCertificates', 'privateKey', 'serverCertificate'].some(field => text(tls[field]) !== '')) {
      v.add(at, 'server cannot have TLS settings for plain text HTTP ports', 'validateServer');
    }
  }
}

/** gateway.IsPassThroughServer: PASSTHROUGH is the mode's zero value, so a `tls` without a mode is one. */
function isPassThrough(tls: JsonObject): boolean {
  const mode = text(tls.mode) || 'PASSTHROUGH';
  return mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
}

/** validateServerPort; the count of its errors, as validateServer looks no further on one. */
function validateServerPort(v: Violations, at: string, value: Json | undefined): number {
  const before = v.list.length;
  if (!isObject(value)) {
    v.add(at, 'port is required', 'validateServerPort');
    return 1;
  }
  const protocol = text(value.protocol);
  if (!PROTOCOLS.has(protocol.toLowerCase())) {
    v.add(`${at}.protocol`, `invalid protocol ${JSON.stringify(protocol)}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`, 'validateServerPort');
  }
  validatePort(v, `${at}.number`, typeof value.number === 'number' ? value.number : 0);
  if (typeof value.targetPort === 'number' && value.targetPort > 0) v.add(`${at}.targetPort`, 'targetPort has no impact on Gateways', 'validateServerPort');
  // Upstream appends the port as Go prints it.
  if (text(value.name) === '') v.add(`${at}.name`, 'port name must be set', 'validateServerPort');
  return v.list.length - before;
}

function validateTLSOptions(v: Violations, at: string, value: Json | undefined): void {
  if (!isObject(value)) return;
  const rule = 'validateTLSOptions';
  const mode = text(value.mode) || 'PASSTHROUGH';
  const set = (field: string) => text(value[field]) !== '';
  const credentialNames = list(value.credentialNames).length > 0;
  const tlsCertificates = list(value.tlsCertificates);
  if (mode === 'ISTIO_MUTUAL') {
    const fields: [boolean, string][] = [
      [set('serverCertificate'), 'server certificate'], [set('privateKey'), 'private key'], [set('caCertificates'), 'CA bundle'],
      [tlsCertificates.length > 0, 'tlsCertificates'], [set('credentialName'), 'credentialName'], [credentialNames, 'credentialNames'],
    ];
    for (const [given, what] of fields) if (given) v.add(at, `ISTIO_MUTUAL TLS cannot have associated ${what}`, rule);
    return;
  }
  const sources = [set('serverCertificate') && set('privateKey'), set('credentialName'), credentialNames, tlsCertificates.length > 0].filter(Boolean).length;
  if (sources > 1) v.add(at, 'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified', rule);
  const terminates = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (terminates && (set('credentialName') || credentialNames)) return;
  if (terminates) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !set('caCertificates')) v.add(at, `${prefix} requires a client CA bundle`, rule);
    const certificates = tlsCertificates.length > 0 ? tlsCertificates.map(object) : [value];
    for (const certificate of certificates) {
      if (text(certificate.serverCertificate) === '') v.add(at, `${prefix} requires a server certificate`, rule);
      if (text(certificate.privateKey) === '') v.add(at, `${prefix} requires a private key`, rule);
    }
  }
  if (set('caCrl')) {
    if (set('credentialName')) v.add(at, 'CRL is not supported with credentialName. CRL has to be specified in the credential', rule);
    if (mode === 'SIMPLE') v.add(at, 'CRL is not supported with SIMPLE TLS', rule);
  }
}

// ---------------------------------------------------------------------------------------------
// Names, hosts, labels, ports and durations

/** labels.IsDNS1123Label: Istio's, which takes upper case too. */
function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(value);
}

/** labels.IsWildcardDNS1123Label: `*`, or a label with a leading `*` or `*-`. */
function isWildcardDns1123Label(value: string): boolean {
  return value.length <= 63 && /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/.test(value);
}

/** agent.CheckDNS1123Preconditions. */
function dns1123Preconditions(name: string): string | undefined {
  if (name.length > 255) return `domain name ${JSON.stringify(name)} too long (max 255)`;
  if (name === '') return 'empty domain name not allowed';
  return undefined;
}

/** agent.ValidateDNS1123Labels: no all-numeric top-level domain, a trailing dot allowed. */
function validateDns1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts[parts.length - 1];
  if (/^[+-]?[0-9]+$/.test(top)) return `domain name ${JSON.stringify(domain)} invalid (top level domain ${JSON.stringify(top)} cannot be all-numeric)`;
  const bad = parts.find((label, i) => !(i === parts.length - 1 && label === '') && !isDns1123Label(label));
  return bad === undefined ? undefined : `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(bad)} invalid)`;
}

/** agent.ValidateFQDN. */
function validateFQDN(name: string): string | undefined {
  return dns1123Preconditions(name) ?? validateDns1123Labels(name);
}

/** agent.ValidateWildcardDomain: a wildcard in the first label only. */
function validateWildcardDomain(domain: string): string | undefined {
  const precondition = dns1123Preconditions(domain);
  if (precondition !== undefined) return precondition;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDns1123Label(first)) return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
  return dot < 0 ? undefined : validateDns1123Labels(domain.slice(dot + 1));
}

/** agent.ValidateNamespaceSlashWildcardHostname for a Gateway server's host (isGateway, not gateway semantics). */
function validateNamespaceSlashWildcardHostname(host: string): string[] {
  const slash = host.indexOf('/');
  if (slash < 0) return gatewayHostnamePart(host);
  const [namespace, name] = [host.slice(0, slash), host.slice(slash + 1)];
  const errors = namespace === '' || name === '' ? ['config namespace and dnsName in host entry cannot be empty'] : [];
  if (namespace !== '*' && namespace !== '.' && !isDns1123Label(namespace)) errors.push(`invalid namespace value ${JSON.stringify(namespace)} in gateway`);
  return [...errors, ...gatewayHostnamePart(name)];
}

/** agent.validateSidecarOrGatewayHostnamePart with isGateway: no short names, an IP address allowed, no partial wildcard. */
function gatewayHostnamePart(host: string): string[] {
  const errors = host !== '*' && !host.includes('.') ? ['short names (non FQDN) are not allowed'] : [];
  const domainError = validateWildcardDomain(host);
  if (domainError !== undefined && !isIP(host)) errors.push(domainError);
  if (host.includes('*') && host.length !== 1 && !host.startsWith('*.')) errors.push(`partial wildcard ${JSON.stringify(host)} not allowed`);
  return errors;
}

/** host.Name.Matches: equal, or one wildcard covers the other. */
function hostMatches(a: string, b: string): boolean {
  const [aWild, bWild] = [a.startsWith('*'), b.startsWith('*')];
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

const LABEL_KEY = /^([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*\/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;

/** labels.Instance.Validate: Kubernetes label keys, and values by their pattern (no length limit upstream). */
function validateLabels(v: Violations, at: string, labels: Json | undefined, rule: string): void {
  for (const [key, value] of Object.entries(object(labels))) {
    const match = LABEL_KEY.exec(key);
    if (!match) v.add(at, `invalid tag key: ${JSON.stringify(key)}`, rule);
    else if (match[1] !== undefined && match[1].length - 1 > 253) v.add(at, `invalid tag key: ${JSON.stringify(key)} (DNS prefix is too long)`, rule);
    else if (match[2].length > 63) v.add(at, `invalid tag key: ${JSON.stringify(key)} (name is too long)`, rule);
    if (!/^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(text(value))) v.add(at, `invalid tag value: ${JSON.stringify(value)}`, rule);
  }
}

/** validateWorkloadSelector: no empty key, no wildcard. */
function validateWorkloadSelector(v: Violations, at: string, selector: Json | undefined): void {
  for (const [key, value] of Object.entries(object(object(selector).matchLabels))) {
    if (key === '') v.add(`${at}.matchLabels`, `empty key is not supported in selector: ${JSON.stringify(`${key}=${text(value)}`)}`, 'validateWorkloadSelector');
    if (key.includes('*') || text(value).includes('*')) {
      v.add(`${at}.matchLabels`, `wildcard is not supported in selector: ${JSON.stringify(`${key}=${text(value)}`)}`, 'validateWorkloadSelector');
    }
  }
}

/** agent.ValidatePort. */
function validatePort(v: Violations, at: string, port: number): void {
  if (!(port >= 1 && port <= 65535)) v.add(at, `port number ${port} must be in the range 1..65535`, 'ValidatePort');
}

/** agent.ValidateDuration: 1ms or more, whole milliseconds; one that does not decode is reported by the decoding. */
function validateDuration(v: Violations, at: string, value: Json | undefined): void {
  if (typeof value !== 'string') return;
  const nanos = goDurationNanos(value);
  if (nanos === undefined) return;
  if (nanos < MILLISECOND) v.add(at, 'duration must be greater than 1ms', 'ValidateDuration');
  else if (nanos % MILLISECOND !== 0n) v.add(at, 'only durations to ms precision are supported', 'ValidateDuration');
}

const MILLISECOND = 1_000_000n;
const GO_UNITS: { readonly [unit: string]: bigint } = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: MILLISECOND, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_GO_DURATION = 2n ** 63n - 1n;

/**
 * Go's time.ParseDuration, in nanoseconds, which jsonpb decodes a Duration with: `300ms`, `1.5h`,
 * `2h45m`; undefined where Go refuses it, past its int64 nanoseconds included. Fractions are
 * rounded down, as Go's are.
 */
export function goDurationNanos(value: string): bigint | undefined {
  const sign = value.startsWith('-') ? -1n : 1n;
  const body = value.replace(/^[-+]/, '');
  if (body === '0') return 0n;
  if (!/^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$/.test(body)) return undefined;
  let total = 0n;
  for (const [, number, , unit] of body.matchAll(/([0-9]*(\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [whole, fraction = ''] = number.split('.');
    const scale = 10n ** BigInt(fraction.length);
    total += BigInt(whole || '0') * GO_UNITS[unit] + (BigInt(fraction || '0') * GO_UNITS[unit]) / scale;
  }
  return total > MAX_GO_DURATION + (sign < 0n ? 1n : 0n) ? undefined : sign * total;
}

// ---------------------------------------------------------------------------------------------
// JSON access that tolerates any shape: the schema reports wrong types, this reports the rules.

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

function list(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: Json | undefined): string[] {
  return list(value).map(text);
}
