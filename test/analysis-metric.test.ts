import { Chart, Duration } from 'cdk8s';
import { AnalysisMetric, AnalysisOptions, CanaryApp, MetricRange, ReleaseController } from '../src';
import { expectSound, find, Manifest, newChart } from './support/manifests';

const ERRORS = 'sum(rate(http_errors_total{namespace="{{namespace}}", app="{{app}}", version="{{version}}"}[{{window}}]))';
const errorRate = AnalysisMetric.prometheus('error-rate', ERRORS, { max: 1 });
const saturation = AnalysisMetric.prometheus('saturation', 'avg(cpu{app="{{app}}"})', { min: 0.1, max: 0.8 });

function reviews(chart: Chart, controller: ReleaseController, analysis: AnalysisOptions): CanaryApp {
  return new CanaryApp(chart, 'Reviews', {
    port: 9080, stable: { image: 'reviews:v1', version: 'v1' }, canary: { image: 'reviews:v2', version: 'v2' }, controller,
    plan: { steps: [10, 50], analysis: { interval: Duration.seconds(30), ...analysis } },
  });
}

describe('the analysis\' own checks under Argo Rollouts', () => {
  const chart = newChart();
  reviews(chart, ReleaseController.ARGO_ROLLOUTS, { metrics: [errorRate, saturation] });
  const metrics = find(expectSound(chart), 'AnalysisTemplate', 'reviews').spec.metrics;

  test('follow the built-in checks in the AnalysisTemplate, timed as they are', () => {
    expect(metrics.map((m: Manifest) => [m.name, m.interval, m.initialDelay, m.failureLimit])).toEqual([
      ['success-rate', '30s', '60s', 1], ['request-duration', '30s', '60s', 1], ['error-rate', '30s', '60s', 1], ['saturation', '30s', '60s', 1],
    ]);
  });

  test('fill the placeholders with Argo\'s arguments, the app\'s name and the window', () => {
    expect(metrics[2].provider).toEqual({ prometheus: {
      address: 'http://prometheus.istio-system:9090',
      query: 'sum(rate(http_errors_total{namespace="{{args.namespace}}", app="reviews", version="{{args.version}}"}[60s]))',
    } });
  });

  test('pass inside the range, fail outside it, and are inconclusive without an answer', () => {
    expect([metrics[2].successCondition, metrics[2].failureCondition]).toEqual(['len(result) > 0 && result[0] <= 1', 'len(result) > 0 && result[0] > 1']);
    expect([metrics[3].successCondition, metrics[3].failureCondition]).toEqual([
      'len(result) > 0 && result[0] >= 0.1 && result[0] <= 0.8', 'len(result) > 0 && (result[0] < 0.1 || result[0] > 0.8)',
    ]);
  });
});

describe('the analysis\' own checks under Flagger', () => {
  const chart = newChart();
  const app = reviews(chart, ReleaseController.FLAGGER, { metrics: [errorRate, saturation], loadTestCommand: 'hey http://reviews-canary.shop:9080/' });
  const objects = expectSound(chart);

  test('each get a MetricTemplate <app>-<check> ahead of the Canary, on the analysis\' Prometheus', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/reviews', 'MetricTemplate/reviews-error-rate', 'MetricTemplate/reviews-saturation', 'Canary/reviews']);
    expect(app.metricTemplates.map(t => t.name)).toEqual(['reviews-error-rate', 'reviews-saturation']);
    expect(find(objects, 'MetricTemplate', 'reviews-error-rate').spec).toEqual({
      provider: { type: 'prometheus', address: 'http://prometheus.istio-system:9090' },
      query: 'sum(rate(http_errors_total{namespace="{{ namespace }}", app="reviews", version="v2"}[{{ interval }}]))',
    });
  });

  test('are checked by reference in the Canary, over the window of the built-in checks', () => {
    const metrics = find(objects, 'Canary', 'reviews').spec.analysis.metrics;
    expect(metrics.slice(2)).toEqual([
      { name: 'error-rate', interval: '1m', templateRef: { name: 'reviews-error-rate' }, thresholdRange: { max: 1 } },
      { name: 'saturation', interval: '1m', templateRef: { name: 'reviews-saturation' }, thresholdRange: { min: 0.1, max: 0.8 } },
    ]);
  });

  test('make no template without checks of the user\'s', () => {
    const other = newChart();
    expect(reviews(other, ReleaseController.FLAGGER, { loadTestCommand: 'hey http://reviews-canary.shop:9080/' }).metricTemplates).toEqual([]);
  });
});

describe('AnalysisMetric.prometheus: bad input', () => {
  const make = (name: unknown, query: unknown, range: unknown) => () => AnalysisMetric.prometheus(name as string, query as string, range as MetricRange);
  test.each([
    ['the name is not a label', make('Error_Rate', ERRORS, { max: 1 }),
      'AnalysisMetric.prometheus: name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "Error_Rate"; e.g. "error-rate"'],
    ['the name is a built-in check\'s', make('request-duration', ERRORS, { max: 1 }),
      'AnalysisMetric.prometheus: name is the name of a built-in check, got "request-duration"; give the check a name of its own, e.g. "error-rate"'],
    ['the query is empty', make('e', ' ', { max: 1 }),
      'AnalysisMetric.prometheus: query must be a non-empty PromQL query, got " "; e.g. "sum(rate(http_errors_total{app=\\"{{app}}\\"}[{{window}}]))"'],
    ['the query is not a string', make('e', 5, { max: 1 }), 'AnalysisMetric.prometheus: query must be a non-empty PromQL query, got 5'],
    ['the query holds another placeholder', make('e', 'x{pod="{{pod}}"}', { max: 1 }),
      'AnalysisMetric.prometheus: query holds "{{pod}}", which is none of the placeholders {{namespace}}, {{app}}, {{version}}, {{window}}: '
      + 'both controllers read {{ as a template, got "x{pod=\\"{{pod}}\\"}"; use only those placeholders'],
    ['the query opens a template it never closes', make('e', 'x{{app', { max: 1 }), 'AnalysisMetric.prometheus: query holds "{{", which is none of the placeholders'],
    ['the bounds are not an object', make('e', ERRORS, 1), 'AnalysisMetric.prometheus: bounds must be an object, got 1; e.g. { max: 1 }'],
    ['the bounds set none', make('e', ERRORS, {}), 'AnalysisMetric.prometheus: bounds must set min, max or both, got {}; e.g. { max: 1 }'],
    ['min is not a number', make('e', ERRORS, { min: '1' }), 'AnalysisMetric.prometheus: bounds.min must be a finite number, got "1"; e.g. 1'],
    ['max is infinite', make('e', ERRORS, { max: Infinity }), 'AnalysisMetric.prometheus: bounds.max must be a finite number, got Infinity; e.g. 1'],
    ['min is above max', make('e', ERRORS, { min: 2, max: 1 }), 'AnalysisMetric.prometheus: bounds.min must not be above bounds.max (1), got 2; swap them'],
  ])('fails when %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('takes a range of one value', () => {
    expect(AnalysisMetric.prometheus('e', ERRORS, { min: 1, max: 1 })).toMatchObject({ name: 'e', min: 1, max: 1 });
  });

  test.each([
    ['the checks are not a list', 'x', 'test/Reviews: plan.analysis.metrics must be a list, got "x"'],
    ['a check is not an AnalysisMetric', [{ name: 'e', query: ERRORS, max: 1 }], 'test/Reviews: plan.analysis.metrics[0] must be an AnalysisMetric'],
    ['two checks share a name', [errorRate, AnalysisMetric.prometheus('error-rate', 'x', { min: 0 })],
      'test/Reviews: plan.analysis.metrics[1].name is the name of another check, got "error-rate"; give each check its own name'],
  ])('fails when %s', (_, metrics, message) => {
    expect(() => reviews(newChart(), ReleaseController.ARGO_ROLLOUTS, { metrics: metrics as AnalysisMetric[] })).toThrow(message);
  });
});
