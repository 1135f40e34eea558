import { controllerViolations } from './support/controller-rules';

/** A Canary as this library writes one, with `analysis` and `service` changed. */
function canary(analysis: object, service: object = {}): object {
  return {
    apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'reviews' },
    spec: { analysis: { interval: '1m', threshold: 1, ...analysis }, service: { port: 9080, ...service } },
  };
}

function template(metric: object): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'reviews' },
    spec: { metrics: [{ name: 'success-rate', provider: { prometheus: { address: 'http://p:9090', query: 'q' } }, ...metric }] },
  };
}

const rules = (object: object) => controllerViolations(object).map(v => `${v.at} [${v.rule}]`);

describe('Flagger\'s rules', () => {
  test('pass a canary that starts above 0, with minute-long metric windows and fields Flagger\'s types have', () => {
    expect(rules(canary(
      { stepWeights: [10, 100], metrics: [{ name: 'request-success-rate', interval: '1m' }], match: [{ headers: { 'x-qa': { exact: '1' } } }] },
      { trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'u', ttl: '1h' } } } }, retries: { attempts: 3, retryOn: '5xx' } },
    ))).toEqual([]);
  });

  test('fails when the first step is 0, unless stepWeight is set or the analysis is skipped', () => {
    expect(rules(canary({ stepWeights: [0, 100] }))).toEqual(['$.spec.analysis.stepWeights[0] [nextStepWeight]']);
    expect(rules(canary({ stepWeights: [0, 100], stepWeight: 10 }))).toEqual([]);
    expect(rules({ ...canary({ stepWeights: [0] }), spec: { skipAnalysis: true, analysis: { stepWeights: [0] } } })).toEqual([]);
    expect(rules(canary({ stepWeights: [1] }))).toEqual([]);
  });

  test.each([['59s', 1], ['60s', 0], ['1m', 0], ['30s', 1], ['2h', 0]])('a metric window of %s breaks %d rule (fails when under a minute)', (interval, count) => {
    expect(rules(canary({ stepWeights: [10], metrics: [{ name: 'request-duration', interval }] }))).toEqual(
      count ? ['$.spec.analysis.metrics[0].interval [runMetricChecks]'] : []);
  });

  test('fails when a templated metric takes a built-in\'s name, which runs the built-in too', () => {
    const templated = (name: string) => canary({ stepWeights: [10], metrics: [{ name, interval: '1m', templateRef: { name: 't' } }] });
    expect(rules(templated('request-success-rate'))).toEqual(['$.spec.analysis.metrics[0].name [runBuiltinMetricChecks]']);
    expect(rules(templated('request-duration'))).toEqual(['$.spec.analysis.metrics[0].name [runBuiltinMetricChecks]']);
    expect(rules(templated('istio-success-rate'))).toEqual([]);
  });

  test('fails when the Gateway API provider has no gatewayRefs', () => {
    const gatewayApi = (service: object) => ({ ...canary({ stepWeights: [10] }, service), spec: { provider: 'gatewayapi:v1', analysis: { stepWeights: [10] }, service } });
    expect(rules(gatewayApi({ port: 80 }))).toEqual(['$.spec.service.gatewayRefs [GatewayAPIRouter.Reconcile]']);
    expect(rules(gatewayApi({ port: 80, gatewayRefs: [] }))).toEqual(['$.spec.service.gatewayRefs [GatewayAPIRouter.Reconcile]']);
    expect(rules(gatewayApi({ port: 80, gatewayRefs: [{ name: 'edge' }] }))).toEqual([]);
  });

  test('fails when a field is one Flagger\'s Istio types lack, wherever it is', () => {
    expect(rules(canary({ stepWeights: [10], match: [{ headers: { 'x-qa': { present: true } } }] }, {
      trafficPolicy: { loadBalancer: { consistentHash: { httpQueryParameterName: 'u' } }, portLevelSettings: [{ port: { number: 80 }, proxyProtocol: {} }] },
      retries: { attempts: 3, retryRemoteLocalities: true },
      match: [{ uri: { prefix: '/' }, statPrefix: 'x' }],
    }))).toEqual([
      '$.spec.service.trafficPolicy.loadBalancer.consistentHash.httpQueryParameterName [pkg/apis/istio/v1beta1]',
      '$.spec.service.trafficPolicy.portLevelSettings[0].proxyProtocol [pkg/apis/istio/v1beta1]',
      '$.spec.service.retries.retryRemoteLocalities [pkg/apis/istio/v1beta1]',
      '$.spec.service.match[0].statPrefix [pkg/apis/istio/v1beta1]',
      '$.spec.analysis.match[0].headers.x-qa.present [pkg/apis/istio/v1beta1]',
    ]);
  });
});

describe('Flagger\'s MetricTemplate rules', () => {
  const template = (query: string) => ({ apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 'm' },
    spec: { provider: { type: 'prometheus' }, query } });

  test('pass a query that uses only Flagger\'s template functions', () => {
    expect(rules(template('x{ns="{{ namespace }}", t="{{ target }}", v="{{ variables.team }}"}[{{ interval }}]'))).toEqual([]);
  });

  test.each([['{{app}}'], ['{{ version }}'], ['{{']])('fails when the query holds %s', (action) => {
    expect(rules(template(`x{a="${action}"}`))).toEqual(['$.spec.query [RenderQuery]']);
  });
});

describe('Argo Rollouts\' rules', () => {
  test('pass a metric for which an empty answer meets neither condition: inconclusive', () => {
    expect(rules(template({ successCondition: 'len(result) > 0 && result[0] >= 99', failureCondition: 'len(result) > 0 && result[0] < 99' }))).toEqual([]);
  });

  test.each([
    ['only a success condition', { successCondition: 'len(result) > 0 && result[0] >= 99' }],
    ['a failure condition that errs on an empty answer', { successCondition: 'len(result) > 0 && result[0] >= 99', failureCondition: 'result[0] < 99' }],
    ['a success condition that holds on NaN', { successCondition: 'len(result) > 0 && true', failureCondition: 'len(result) > 0 && result[0] < 99' }],
    ['a failure condition that holds on an empty answer', { successCondition: 'len(result) > 0 && result[0] >= 99', failureCondition: 'len(result) == 0' }],
    ['a condition outside the expressions the library writes', { successCondition: 'len(result) > 0 && asFloat(result[0]) >= 99', failureCondition: 'len(result) > 0 && result[0] < 99' }],
  ])('fails when a metric has %s: an empty answer fails the measurement', (_, conditions) => {
    expect(rules(template(conditions))).toEqual(['$.spec.metrics[0] [EvaluateResult]']);
  });

  const rollout = (strategy: object) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { strategy } });
  const routed = { trafficRouting: { istio: {} } };

  test('pass a Rollout as this library writes one', () => {
    expect(rules(rollout({ canary: { ...routed, steps: [{ setWeight: 10 }, { pause: { duration: '300s' } }, { pause: {} }], maxSurge: 1, maxUnavailable: '0%' } }))).toEqual([]);
    expect(rules(rollout({ canary: { trafficRouting: { istio: {}, managedRoutes: [{ name: 'mirror' }] }, steps: [
      { setCanaryScale: { weight: 20 } }, { setMirrorRoute: { name: 'mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { setMirrorRoute: { name: 'mirror' } }, { setWeight: 10 }, { pause: {} },
    ], analysis: { templates: [{ templateName: 't' }], startingStep: 4 } } }))).toEqual([]);
    expect(rules(rollout({ blueGreen: { activeService: 'web', previewService: 'web-preview', antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } }))).toEqual([]);
  });

  test.each([
    ['maxSurge and maxUnavailable are both 0', { canary: { ...routed, maxSurge: '0%', maxUnavailable: 0 } }, 'canary.maxSurge [invalidMaxSurgeMaxUnavailable]'],
    ['dynamicStableScale comes with scaleDownDelaySeconds', { canary: { ...routed, dynamicStableScale: true, scaleDownDelaySeconds: 30 } },
      'canary.dynamicStableScale [ValidateRolloutStrategyCanary]'],
    ['scaleDownDelaySeconds comes without trafficRouting', { canary: { scaleDownDelaySeconds: 30 } }, 'canary.scaleDownDelaySeconds [ValidateRolloutStrategyCanary]'],
    ['dynamicStableScale comes without trafficRouting', { canary: { dynamicStableScale: true } }, 'canary.dynamicStableScale [ValidateRolloutStrategyCanary]'],
    ['the canary is scaled without trafficRouting', { canary: { steps: [{ setCanaryScale: { replicas: 2 } }] } }, 'canary.steps[0].setCanaryScale [ValidateRolloutStrategyCanary]'],
    ['a weight is above 100', { canary: { ...routed, steps: [{ setWeight: 101 }] } }, 'canary.steps[0].setWeight [ValidateRolloutStrategyCanary]'],
    ['a weight is below 0', { canary: { ...routed, steps: [{ setWeight: -1 }] } }, 'canary.steps[0].setWeight [ValidateRolloutStrategyCanary]'],
    ['a pause is negative', { canary: { ...routed, steps: [{ pause: { duration: -5 } }] } }, 'canary.steps[0].pause.duration [ValidateRolloutStrategyCanary]'],
    ['stable and canary are one Service', { canary: { ...routed, stableService: 'a', canaryService: 'a' } }, 'canary.stableService [ValidateRolloutStrategyCanary]'],
    ['active and preview are one Service', { blueGreen: { activeService: 'a', previewService: 'a' } }, 'blueGreen.activeService [ValidateRolloutStrategyBlueGreen]'],
    ['antiAffinity lists both kinds', { blueGreen: { activeService: 'a', antiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {}, preferredDuringSchedulingIgnoredDuringExecution: { weight: 5 } } } },
    'blueGreen.antiAffinity [ValidateRolloutStrategyAntiAffinity]'],
    ['antiAffinity lists neither', { canary: { ...routed, antiAffinity: {} } }, 'canary.antiAffinity [ValidateRolloutStrategyAntiAffinity]'],
    ['a preferred weight is 0', { canary: { ...routed, antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } } } },
      'canary.antiAffinity [ValidateRolloutStrategyAntiAffinity]'],
    ['a mirror step names no managed route', { canary: { ...routed, steps: [{ setMirrorRoute: { name: 'mirror' } }] } },
      'canary.trafficRouting.managedRoutes [ValidateRolloutStrategyCanary]'],
    ['a mirror step names a route not managed', { canary: { trafficRouting: { istio: {}, managedRoutes: [{ name: 'other' }] }, steps: [{ setMirrorRoute: { name: 'mirror' } }] } },
      'canary.steps[0].setMirrorRoute [ValidateStepRouteFoundInManagedRoute]'],
    ['a mirror comes before anything scales the canary', { canary: { trafficRouting: { istio: {}, managedRoutes: [{ name: 'mirror' }] },
      steps: [{ setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/' } }] } }, { setWeight: 10 }] } },
    'canary.steps[0].setMirrorRoute [CalculateReplicaCountsForTrafficRoutedCanary]'],
    ['the background analysis starts before the first weight', { canary: { ...routed, steps: [{ setCanaryScale: { replicas: 1 } }, { setWeight: 10 }, { pause: {} }],
      analysis: { templates: [{ templateName: 't' }], startingStep: 1 } } }, 'canary.analysis.startingStep [GetCurrentSetWeight]'],
    ['a mirror match has two values', { canary: { trafficRouting: { istio: {}, managedRoutes: [{ name: 'mirror' }] },
      steps: [{ setCanaryScale: { replicas: 1 } }, { setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/', exact: '/' } }] } }] } },
    'canary.steps[1].setMirrorRoute.match[0] [hasMultipleMatchValues]'],
    ['a preferred weight is 101', { canary: { ...routed, antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 101 } } } },
      'canary.antiAffinity [ValidateRolloutStrategyAntiAffinity]'],
  ])('fails when %s', (_, strategy, rule) => {
    expect(rules(rollout(strategy))).toEqual([`$.spec.strategy.${rule}`]);
  });

  test('the defaults of 25% leave room: one of maxSurge and maxUnavailable at 0 passes', () => {
    expect(rules(rollout({ canary: { ...routed, maxSurge: 0 } }))).toEqual([]);
    expect(rules(rollout({ canary: { ...routed, maxUnavailable: '0%' } }))).toEqual([]);
  });

  test('fails when a metric runs no more checks than its failure limit, which then can never fail', () => {
    const conditions = { successCondition: 'len(result) > 0 && result[0] >= 99', failureCondition: 'len(result) > 0 && result[0] < 99' };
    expect(rules(template({ ...conditions, count: 2, failureLimit: 3 }))).toEqual(['$.spec.metrics[0].count [assessMetricStatus]']);
    expect(rules(template({ ...conditions, count: 3, failureLimit: 3 }))).toEqual(['$.spec.metrics[0].count [assessMetricStatus]']);
    expect(rules(template({ ...conditions, count: 4, failureLimit: 3 }))).toEqual([]);
    expect(rules(template({ ...conditions, failureLimit: 3 }))).toEqual([]);
  });

  test('fails when a template uses an argument it does not declare', () => {
    const metric = { successCondition: 'len(result) > 0 && result[0] >= 99', failureCondition: 'len(result) > 0 && result[0] < 99' };
    const template = (args: object[], query: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'r' },
      spec: { args, metrics: [{ name: 'm', ...metric, provider: { prometheus: { address: 'http://p', query } } }] } });
    expect(rules(template([{ name: 'service' }], 'x{s="{{args.service}}", v="{{args.version}}"}'))).toEqual(['$.spec.args [ResolveArgs]']);
    expect(rules(template([{ name: 'service' }, { name: 'version' }], 'x{s="{{args.service}}", v="{{args.version}}"}'))).toEqual([]);
  });

  test('other kinds are no controller\'s', () => {
    expect(controllerViolations({ apiVersion: 'v1', kind: 'Service', spec: {} })).toEqual([]);
    expect(controllerViolations(null)).toEqual([]);
  });
});
