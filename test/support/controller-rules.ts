/**
 * What the controllers do with the objects they read, written down as rules: an object can pass
 * its CRD and still stall or break a release once Argo Rollouts or Flagger acts on it. Each rule
 * names the upstream function it mirrors.
 *
 * Flagger, from fluxcd/flagger at 15bd6ad555e6c935da55f0ab95977be74c149bd6 (2026-07-21):
 * pkg/controller/scheduler.go (`nextStepWeight`), pkg/controller/scheduler_metrics.go (a metric's
 * `interval` is its PromQL range), pkg/metrics/observers/render.go (`RenderQuery`), pkg/router/gateway_api.go and the Istio types it decodes a Canary's policy and routes into
 * before it writes its rules (pkg/apis/istio/v1beta1, pkg/apis/istio/common/v1alpha1).
 *
 * Argo Rollouts, from argoproj/argo-rollouts at 9f8d111d8f8e3e88b6d7f8bbdf62fd3cd863ef9d (2026-08-17):
 * utils/evaluate/evaluate.go (`EvaluateResult`), utils/template/template.go (`ResolveArgs`) and
 * utils/replicaset/canary.go (the canary's pods before its first weight) and
 * pkg/apis/rollouts/validation/validation.go,
 * which the controller runs on every Rollout before it acts, and which marks one that breaks it
 * InvalidSpec, doing nothing else.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One rule broken: where, what the controller then does, and the upstream function. */
export interface ControllerViolation {
  readonly at: string;
  readonly message: string;
  readonly rule: string;
}

/** What the controller that reads `object` would get wrong; [] for kinds no controller here reads. */
export function controllerViolations(object: unknown): ControllerViolation[] {
  if (!isObject(object) || !isObject(object.spec)) return [];
  if (object.apiVersion === 'flagger.app/v1beta1' && object.kind === 'Canary') return canaryViolations(object.spec);
  if (object.apiVersion === 'flagger.app/v1beta1' && object.kind === 'MetricTemplate') return metricTemplateViolations(object.spec);
  if (object.apiVersion === 'argoproj.io/v1alpha1' && object.kind === 'AnalysisTemplate') return analysisViolations(object.spec);
  if (object.apiVersion === 'argoproj.io/v1alpha1' && object.kind === 'Rollout' && isObject(object.spec.strategy)) return rolloutViolations(object.spec.strategy);
  return [];
}

function canaryViolations(spec: JsonObject): ControllerViolation[] {
  const found: ControllerViolation[] = [];
  const analysis = isObject(spec.analysis) ? spec.analysis : {};
  const service = isObject(spec.service) ? spec.service : {};
  const stepWeights = Array.isArray(analysis.stepWeights) ? analysis.stepWeights : [];
  // nextStepWeight: stepWeight when set, else stepWeights[0] from a canary at 0; runCanary moves only above 0.
  if (analysis.stepWeight === undefined && stepWeights.length > 0 && !(Number(stepWeights[0]) > 0) && spec.skipAnalysis !== true) {
    found.push({ at: '$.spec.analysis.stepWeights[0]', message: 'a first step of 0 is never left: the next step weight is 0', rule: 'nextStepWeight' });
  }
  (Array.isArray(analysis.metrics) ? analysis.metrics : []).forEach((metric, i) => {
    // runBuiltinMetricChecks (scheduler_metrics.go) runs the provider's check for these names, template or not.
    if (isObject(metric) && isObject(metric.templateRef) && ['request-success-rate', 'request-duration'].includes(String(metric.name))) {
      found.push({ at: `$.spec.analysis.metrics[${i}].name`, message: 'a built-in name runs the provider\'s own check besides the template', rule: 'runBuiltinMetricChecks' });
    }
    const seconds = isObject(metric) && typeof metric.interval === 'string' ? durationSeconds(metric.interval) : 60;
    if (seconds !== undefined && seconds < 60) {
      found.push({ at: `$.spec.analysis.metrics[${i}].interval`, message: 'a PromQL range under a minute holds too few scrapes for rate()', rule: 'runMetricChecks' });
    }
  });
  // GatewayAPIRouter.Reconcile (pkg/router/gateway_api.go) stops without a parent for its HTTPRoute.
  if (typeof spec.provider === 'string' && spec.provider.startsWith('gatewayapi') && !(Array.isArray(service.gatewayRefs) && service.gatewayRefs.length > 0)) {
    found.push({ at: '$.spec.service.gatewayRefs', message: 'GatewayRefs must be specified when using Gateway API as a provider', rule: 'GatewayAPIRouter.Reconcile' });
  }
  const typed: [string, Json | undefined, Tree][] = [
    ['$.spec.service.trafficPolicy', service.trafficPolicy, TRAFFIC_POLICY],
    ['$.spec.service.retries', service.retries, HTTP_RETRY],
    ...(Array.isArray(service.match) ? service.match : []).map((m, i): [string, Json, Tree] => [`$.spec.service.match[${i}]`, m, HTTP_MATCH_REQUEST]),
    ...(Array.isArray(analysis.match) ? analysis.match : []).map((m, i): [string, Json, Tree] => [`$.spec.analysis.match[${i}]`, m, HTTP_MATCH_REQUEST]),
  ];
  for (const [at, value, tree] of typed) {
    for (const path of unknownFields(value, tree, at)) {
      found.push({ at: path, message: 'Flagger\'s Istio types have no such field: it is dropped from the rules Flagger writes', rule: 'pkg/apis/istio/v1beta1' });
    }
  }
  return found;
}

/**
 * RenderQuery (pkg/metrics/observers/render.go) parses the query as a Go template with
 * `missingkey=error`, whose only functions are MetricTemplateModel's fields (TemplateFunctions).
 */
function metricTemplateViolations(spec: JsonObject): ControllerViolation[] {
  const query = typeof spec.query === 'string' ? spec.query : '';
  const actions = query.match(/\{\{.*?\}\}|\{\{/g) ?? [];
  return actions.filter(action => !/^\{\{ ?(name|namespace|target|service|ingress|route|interval|variables\.[A-Za-z_][A-Za-z0-9_]*) ?\}\}$/.test(action))
    .map(action => ({ at: '$.spec.query', message: `${action} is no function of Flagger's template`, rule: 'RenderQuery' }));
}

function analysisViolations(spec: JsonObject): ControllerViolation[] {
  // An argument the template does not declare stays unresolved, and the measurement errs (ResolveArgs).
  const declared = new Set((Array.isArray(spec.args) ? spec.args : []).map(arg => (isObject(arg) ? arg.name : undefined)));
  const undeclared = [...JSON.stringify(spec.metrics ?? []).matchAll(/\{\{ ?args\.([A-Za-z0-9_-]+) ?\}\}/g)].map(m => m[1]).filter(name => !declared.has(name));
  const args = [...new Set(undeclared)].map(name => ({ at: '$.spec.args', message: `{{args.${name}}} is used and not declared`, rule: 'ResolveArgs' }));
  // ValidateMetric (utils/analysis/factory.go) refuses a count below the failure limit; assessMetricStatus
  // (analysis/analysis.go) passes a run whose failures don't exceed it, so a count that doesn't exceed it can't fail.
  const counts = (Array.isArray(spec.metrics) ? spec.metrics : []).flatMap((metric, i) => (isObject(metric) && typeof metric.count === 'number'
    && typeof metric.failureLimit === 'number' && metric.count > 0 && metric.count <= metric.failureLimit
    ? [{ at: `$.spec.metrics[${i}].count`, message: 'a run of no more checks than its failure limit passes though all fail', rule: 'assessMetricStatus' }] : []));
  return [...args, ...counts, ...(Array.isArray(spec.metrics) ? spec.metrics : []).flatMap((metric, i) => {
    if (!isObject(metric) || !isObject(metric.provider) || !isObject(metric.provider.prometheus)) return [];
    // EvaluateResult: without a failureCondition, a measurement whose successCondition is false
    // fails, an empty answer too; with both, one that meets neither is inconclusive. An empty
    // answer, and NaN (a rate over no requests), must meet neither.
    const inconclusiveWhenEmpty = [[], [NaN]].every(result => [metric.successCondition, metric.failureCondition]
      .every(condition => typeof condition === 'string' && evaluateCondition(condition, result) === false));
    return inconclusiveWhenEmpty ? [] : [{
      at: `$.spec.metrics[${i}]`,
      message: 'an answer without data fails the measurement rather than leave it inconclusive: a quiet preview aborts the release',
      rule: 'EvaluateResult',
    }];
  })];
}

/**
 * A condition in the part of Argo's expression language (antonmedv/expr) that the library writes:
 * `len(result)`, `result[0]`, comparisons with numbers, `&&`, `||` and parentheses. An indexing
 * past the end is an error in expr, as here: undefined, never a boolean.
 */
function evaluateCondition(condition: string, result: number[]): boolean | undefined {
  if (!/^[\sa-z0-9_.()[\]&|<>=!-]*$/.test(condition) || /[a-z]/.test(condition.replace(/len\(result\)|result\[0\]/g, ''))) return undefined;
  const script = condition.replace(/len\(result\)/g, 'result.length').replace(/result\[0\]/g, '(result.length > 0 ? result[0] : missing())');
  try {
    return Boolean(new Function('result', 'missing', `return ${script};`)(result, () => { throw new Error('index out of range'); }));
  } catch {
    return undefined;
  }
}

function rolloutViolations(strategy: JsonObject): ControllerViolation[] {
  const found: ControllerViolation[] = [];
  const add = (at: string, message: string, rule: string) => found.push({ at: `$.spec.strategy.${at}`, message, rule });
  const blueGreen = isObject(strategy.blueGreen) ? strategy.blueGreen : undefined;
  const canary = isObject(strategy.canary) ? strategy.canary : undefined;
  if (blueGreen && blueGreen.activeService === blueGreen.previewService) add('blueGreen.activeService', 'active and preview are one Service', 'ValidateRolloutStrategyBlueGreen');
  for (const [name, s] of [['blueGreen', blueGreen], ['canary', canary]] as const) {
    if (s?.antiAffinity !== undefined) antiAffinityViolations(s.antiAffinity).forEach(m => add(`${name}.antiAffinity`, m, 'ValidateRolloutStrategyAntiAffinity'));
  }
  if (!canary) return found;
  // GetMaxSurgeOrDefault and GetMaxUnavailableOrDefault: 25% each.
  const zero = (value: Json | undefined) => value === 0 || value === '0%';
  if (zero(canary.maxSurge ?? '25%') && zero(canary.maxUnavailable ?? '25%')) add('canary.maxSurge', 'MaxSurge and MaxUnavailable both can not be zero', 'invalidMaxSurgeMaxUnavailable');
  if (canary.stableService !== undefined && canary.stableService === canary.canaryService) add('canary.stableService', 'stable and canary are one Service', 'ValidateRolloutStrategyCanary');
  if (canary.trafficRouting === undefined) {
    if (canary.scaleDownDelaySeconds !== undefined) add('canary.scaleDownDelaySeconds', 'needs trafficRouting', 'ValidateRolloutStrategyCanary');
    if (canary.dynamicStableScale === true) add('canary.dynamicStableScale', 'needs trafficRouting', 'ValidateRolloutStrategyCanary');
  } else if (canary.scaleDownDelaySeconds !== undefined && canary.dynamicStableScale === true) {
    add('canary.dynamicStableScale', 'can\'t come with scaleDownDelaySeconds', 'ValidateRolloutStrategyCanary');
  }
  const steps = Array.isArray(canary.steps) ? canary.steps.filter(isObject) : [];
  const firstWeight = steps.findIndex(step => typeof step.setWeight === 'number' && step.setWeight > 0);
  // CalculateReplicaCountsForTrafficRoutedCanary (utils/replicaset/canary.go): before any weight, the canary's pods follow a weight of 0.
  const scaledAt = steps.findIndex(step => isObject(step.setCanaryScale) && step.setCanaryScale.matchTrafficWeight !== true);
  const mirrorAt = steps.findIndex(step => isObject(step.setMirrorRoute) && Array.isArray(step.setMirrorRoute.match));
  if (mirrorAt >= 0 && (firstWeight < 0 || firstWeight > mirrorAt) && (scaledAt < 0 || scaledAt > mirrorAt)) {
    add(`canary.steps[${mirrorAt}].setMirrorRoute`, 'mirrors to a canary with no pod: nothing has scaled it yet', 'CalculateReplicaCountsForTrafficRoutedCanary');
  }
  const starting = isObject(canary.analysis) ? canary.analysis.startingStep : undefined;
  if (typeof starting === 'number' && firstWeight >= 0 && starting <= firstWeight) {
    add('canary.analysis.startingStep', 'starts the background analysis before the canary takes any traffic to measure', 'GetCurrentSetWeight');
  }
  const routing = isObject(canary.trafficRouting) ? canary.trafficRouting : undefined;
  const managed = routing && Array.isArray(routing.managedRoutes) ? routing.managedRoutes.map(r => (isObject(r) ? r.name : undefined)) : undefined;
  (Array.isArray(canary.steps) ? canary.steps : []).forEach((step, i) => {
    if (!isObject(step)) return;
    for (const kind of ['setMirrorRoute', 'setHeaderRoute']) {
      const route = step[kind];
      if (!isObject(route)) continue;
      if (!managed) add('canary.trafficRouting.managedRoutes', `Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'`, 'ValidateRolloutStrategyCanary');
      else if (!managed.includes(route.name)) add(`canary.steps[${i}].${kind}`, 'Steps define a route that does not exist in managedRoutes', 'ValidateStepRouteFoundInManagedRoute');
      const matches = Array.isArray(route.match) ? route.match : [];
      matches.forEach((match, j) => {
        const values = isObject(match) ? [match.method, match.path, match.headerValue].filter(isObject) : [];
        if (values.some(value => ['exact', 'regex', 'prefix'].filter(key => value[key] !== undefined).length !== 1)) {
          add(`canary.steps[${i}].${kind}.match[${j}]`, 'StringMatch match value must have exactly one of the following: exact, regex, prefix', 'hasMultipleMatchValues');
        }
      });
    }
    if (isObject(step.setCanaryScale) && !routing) add(`canary.steps[${i}].setCanaryScale`, 'SetCanaryScale requires TrafficRouting to be set', 'ValidateRolloutStrategyCanary');
    if (typeof step.setWeight === 'number' && (step.setWeight < 0 || step.setWeight > 100)) add(`canary.steps[${i}].setWeight`, 'SetWeight needs to be between 0 and 100', 'ValidateRolloutStrategyCanary');
    const duration = isObject(step.pause) ? step.pause.duration : undefined;
    if (duration !== undefined && !(typeof duration === 'number' ? duration >= 0 : /^[0-9]+(s|m|h)$/.test(String(duration)))) {
      add(`canary.steps[${i}].pause.duration`, 'Duration needs to be greater than 0', 'ValidateRolloutStrategyCanary');
    }
  });
  return found;
}

/** Exactly one of the two kinds, and a preference's weight from 1 to 100. */
function antiAffinityViolations(antiAffinity: Json): string[] {
  const given = isObject(antiAffinity) ? antiAffinity : {};
  const preferred = given.preferredDuringSchedulingIgnoredDuringExecution;
  const kinds = [preferred, given.requiredDuringSchedulingIgnoredDuringExecution].filter(kind => kind !== undefined).length;
  const weight = isObject(preferred) ? preferred.weight : undefined;
  return [
    ...kinds === 1 ? [] : ['AntiAffinity must have exactly one strategy listed'],
    ...preferred === undefined || (typeof weight === 'number' && weight >= 1 && weight <= 100) ? [] : ['AntiAffinity weight must be between 1-100'],
  ];
}

/** A Go struct's JSON fields; `true` for a field of a scalar or an opaque map, `[tree]` for a list of structs. */
interface Tree { readonly [field: string]: Tree | true | [Tree] }

const STRING_MATCH: Tree = { exact: true, prefix: true, suffix: true, regex: true };
const STRING_MATCHES: Tree = new Proxy({}, { get: () => STRING_MATCH, has: () => true });
const LOAD_BALANCER: Tree = {
  simple: true,
  consistentHash: { httpHeaderName: true, httpCookie: { name: true, path: true, ttl: true }, useSourceIp: true, minimumRingSize: true },
  localityLbSetting: { distribute: [{ from: true, to: true }], failover: [{ from: true, to: true }], failover_priority: true, enabled: true },
  warmupDurationSecs: true,
};
const CONNECTION_POOL: Tree = {
  tcp: { maxConnections: true, connectTimeout: true },
  http: { h2UpgradePolicy: true, http1MaxPendingRequests: true, http2MaxRequests: true, maxRequestsPerConnection: true, maxRetries: true, idleTimeout: true },
};
const OUTLIER_DETECTION: Tree = {
  consecutiveErrors: true, consecutiveGatewayErrors: true, consecutive5xxErrors: true, splitExternalLocalOriginErrors: true,
  consecutiveLocalOriginFailures: true, interval: true, baseEjectionTime: true, maxEjectionPercent: true, minHealthPercent: true,
};
const TLS: Tree = { mode: true, clientCertificate: true, privateKey: true, caCertificates: true, subjectAltNames: true, sni: true };
/** destination_rule.go `TrafficPolicy`. */
const TRAFFIC_POLICY: Tree = {
  loadBalancer: LOAD_BALANCER, connectionPool: CONNECTION_POOL, outlierDetection: OUTLIER_DETECTION, tls: TLS,
  portLevelSettings: [{ port: { number: true }, loadBalancer: LOAD_BALANCER, connectionPool: CONNECTION_POOL, outlierDetection: OUTLIER_DETECTION, tls: TLS }],
};
/** virtual_service.go `HTTPRetry`. */
const HTTP_RETRY: Tree = { attempts: true, perTryTimeout: true, retryOn: true };
/** virtual_service.go `HTTPMatchRequest`. */
const HTTP_MATCH_REQUEST: Tree = {
  name: true, uri: STRING_MATCH, scheme: STRING_MATCH, method: STRING_MATCH, authority: STRING_MATCH, headers: STRING_MATCHES, port: true,
  sourceLabels: true, gateways: true, queryParams: STRING_MATCHES, ignoreUriCase: true, withoutHeaders: STRING_MATCHES, sourceNamespace: true,
};

/** Paths of `value` that `tree` has no field for. */
function unknownFields(value: Json | undefined, tree: Tree | true | [Tree], at: string): string[] {
  if (tree === true || value === undefined || value === null) return [];
  if (Array.isArray(tree)) return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, tree[0], `${at}[${i}]`)) : [];
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => (key in tree ? unknownFields(child, tree[key], `${at}.${key}`) : [`${at}.${key}`]));
}

/** Seconds of a Go duration of whole units as Flagger writes them (`90s`, `1m`, `1h`); undefined otherwise. */
function durationSeconds(text: string): number | undefined {
  const match = /^([0-9]+)(s|m|h)$/.exec(text);
  return match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
