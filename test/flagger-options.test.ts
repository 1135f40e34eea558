import { Chart, Duration } from 'cdk8s';
import {
  BlueGreenApp, CanaryApp, CanaryAppProps, Color, FlaggerAlert, FlaggerAlertSeverity, FlaggerOptions, ReleaseController, RouteMatch, RouteTarget, StringMatch,
} from '../src';
import { expectSound, Manifest, newChart } from './support/manifests';

const LOAD_TEST = 'hey -z 1m -q 10 -c 2 http://reviews-canary.shop:9080/';

function reviews(chart: Chart, flagger: FlaggerOptions | undefined, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', {
    port: 9080, stable: { image: 'reviews:v1', version: 'v1' }, canary: { image: 'reviews:v2', version: 'v2' }, controller: ReleaseController.FLAGGER,
    plan: { steps: [10, 50], analysis: { loadTestCommand: LOAD_TEST }, flagger }, ...props,
  });
}

const analysisOf = (objects: Manifest[]) => objects.find(o => o.kind === 'Canary')!.spec.analysis;

describe('plan.flagger: readiness, promotion steps and alerts', () => {
  const chart = newChart();
  reviews(chart, {
    primaryReadyThreshold: 80,
    canaryReadyThreshold: 100,
    stepWeightPromotion: 25,
    alerts: [
      { name: 'on-call', provider: 'pagerduty', providerNamespace: 'flagger-system', severity: FlaggerAlertSeverity.ERROR },
      { name: 'team', provider: 'slack' },
    ],
  });
  const analysis = analysisOf(expectSound(chart));

  test('writes the thresholds and the promotion step into the analysis', () => {
    expect(analysis).toMatchObject({ primaryReadyThreshold: 80, canaryReadyThreshold: 100, stepWeightPromotion: 25 });
  });

  test('writes each alert with its provider, info by default and in the app\'s namespace unless told', () => {
    expect(analysis.alerts).toEqual([
      { name: 'on-call', severity: 'error', providerRef: { name: 'pagerduty', namespace: 'flagger-system' } },
      { name: 'team', severity: 'info', providerRef: { name: 'slack' } },
    ]);
  });

  test('writes none of them when plan.flagger leaves them out', () => {
    const other = newChart();
    reviews(other, undefined);
    const written = analysisOf(expectSound(other));
    for (const field of ['primaryReadyThreshold', 'canaryReadyThreshold', 'stepWeightPromotion', 'alerts']) expect(written[field]).toBeUndefined();
  });

  test.each([['1', 1], ['100', 100]])('takes a threshold of %s', (_, threshold) => {
    const other = newChart();
    reviews(other, { primaryReadyThreshold: threshold });
    expect(analysisOf(expectSound(other)).primaryReadyThreshold).toBe(threshold);
  });
});

describe('plan.flagger: bad input', () => {
  const build = (flagger: unknown, props: Partial<CanaryAppProps> = {}) => () => reviews(newChart(), flagger as FlaggerOptions, props);
  const alert = (given: unknown) => build({ alerts: [given as FlaggerAlert] });

  test.each([
    ['primaryReadyThreshold is 0', build({ primaryReadyThreshold: 0 }),
      'test/Reviews: plan.flagger.primaryReadyThreshold must be a whole percentage from 1 to 100, got 0; use e.g. 50'],
    ['canaryReadyThreshold is above 100', build({ canaryReadyThreshold: 101 }),
      'test/Reviews: plan.flagger.canaryReadyThreshold must be a whole percentage from 1 to 100, got 101; use e.g. 50'],
    ['stepWeightPromotion is a fraction', build({ stepWeightPromotion: 12.5 }),
      'test/Reviews: plan.flagger.stepWeightPromotion must be a whole percentage from 1 to 100, got 12.5; use e.g. 50'],
    ['stepWeightPromotion is a string', build({ stepWeightPromotion: '25' }),
      'test/Reviews: plan.flagger.stepWeightPromotion must be a whole percentage from 1 to 100, got "25"; use e.g. 50'],
    ['mirror comes with sticky sessions', build(undefined, { mirror: { to: RouteTarget.canary() }, stickySessions: {} }),
      'test/Reviews: stickySessions can\'t come with mirror under Flagger, which would then never see its mirror set and stay at the mirror step, '
      + 'got {"cookieName":"reviews-version"}; leave stickySessions or mirror out'],
    ['alerts are not a list', build({ alerts: 'slack' }), 'test/Reviews: plan.flagger.alerts must be a list, got "slack"; e.g. [{ name: "on-call", provider: "slack" }]'],
    ['an alert is not an object', alert('slack'), 'test/Reviews: plan.flagger.alerts[0] must be an object, got "slack"; e.g. { name: "on-call", provider: "slack" }'],
    ['an alert has no name', alert({ name: ' ', provider: 'slack' }), 'test/Reviews: plan.flagger.alerts[0].name must be a non-empty string, got " "; e.g. "on-call"'],
    ['an alert\'s provider is no object name', alert({ name: 'a', provider: 'Slack' }),
      'test/Reviews: plan.flagger.alerts[0].provider must name an AlertProvider: a DNS-1123 subdomain of lower-case letters, digits, "-" and ".", got "Slack"; e.g. "slack"'],
    ['an alert\'s provider is missing', alert({ name: 'a' }),
      'test/Reviews: plan.flagger.alerts[0].provider must name an AlertProvider: a DNS-1123 subdomain of lower-case letters, digits, "-" and ".", got nothing; e.g. "slack"'],
    ['an alert\'s provider namespace is no namespace', alert({ name: 'a', provider: 'slack', providerNamespace: 'Flagger' }),
      'test/Reviews: plan.flagger.alerts[0].providerNamespace must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "Flagger"; e.g. "shop"'],
    ['an alert\'s severity is not Flagger\'s', alert({ name: 'a', provider: 'slack', severity: 'critical' }),
      'test/Reviews: plan.flagger.alerts[0].severity must be one of ["info","warn","error"], got "critical"; use e.g. "info"'],
    ['two alerts share a name', build({ alerts: [{ name: 'a', provider: 'slack' }, { name: 'a', provider: 'teams' }] }),
      'test/Reviews: plan.flagger.alerts[1].name is the name of another alert, got "a"; give each alert its own name'],
  ])('fails when %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('A/B testing with metric checks on a CanaryApp', () => {
  const testerRoutes = [{ name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() }];
  const chart = newChart();
  reviews(chart, undefined, { testerRoutes, plan: { iterations: 5, analysis: { minSuccessRate: 98 } } });
  const analysis = analysisOf(expectSound(chart));

  test('counts the checks as Flagger\'s iterations, with the testers\' match and the metrics, and no weights', () => {
    expect(analysis).toMatchObject({ iterations: 5, match: [{ headers: { 'x-qa': { exact: '1' } } }] });
    expect(analysis.metrics.map((m: Manifest) => m.name)).toEqual(['request-success-rate', 'request-duration']);
    for (const field of ['stepWeights', 'stepWeight', 'maxWeight']) expect(analysis[field]).toBeUndefined();
  });

  test.each([
    ['iterations come with steps', { testerRoutes, plan: { steps: [10], iterations: 5 } },
      'test/Reviews: plan.iterations count the checks of A/B testing, and plan.steps make a weighted canary, got 5; leave iterations out for a weighted canary, or the steps out for A/B testing'],
    ['iterations come with linear steps', { testerRoutes, plan: { linear: { stepWeight: 10 }, iterations: 5 } },
      'test/Reviews: plan.iterations count the checks of A/B testing, and plan.linear makes a weighted canary, got 5'],
    ['iterations come without tester routes', { plan: { iterations: 5 } },
      'test/Reviews: plan.iterations make A/B testing, which sends the testerRoutes\' requests to the new version, and there are none, got 5; add testerRoutes to the new version, or give plan.steps'],
    ['iterations come with Argo Rollouts', { testerRoutes, controller: ReleaseController.ARGO_ROLLOUTS, plan: { iterations: 5 } },
      'test/Reviews: plan.iterations make A/B testing, which only Flagger runs, and the controller is argo-rollouts, got 5; give plan.steps, or controller ReleaseController.FLAGGER'],
    ['iterations come without a controller', { testerRoutes, controller: ReleaseController.NONE, plan: { iterations: 5 } },
      'test/Reviews: plan.iterations make A/B testing, which only Flagger runs, and the controller is none, got 5'],
    ['iterations are 0', { testerRoutes, plan: { iterations: 0 } }, 'test/Reviews: plan.iterations must be a whole number, 1 or more, got 0'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), undefined, props as Partial<CanaryAppProps>)).toThrow(message);
  });
});

describe('stepWeightPromotion', () => {
  test('steps a blue/green\'s promotion too: Flagger shifts the traffic back to the primary in every way it releases', () => {
    const chart = newChart();
    new BlueGreenApp(chart, 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, controller: ReleaseController.FLAGGER,
      namespace: 'shop', plan: { autoPromotion: true, flagger: { stepWeightPromotion: 10 } },
    });
    expect(analysisOf(expectSound(chart)).stepWeightPromotion).toBe(10);
  });
});

describe('sticky sessions as Flagger\'s session affinity', () => {
  test('pin a user the split sends to the new version for maxAge, and one sent to the primary for a step', () => {
    const chart = newChart();
    reviews(chart, undefined, { stickySessions: { cookieName: 'shop-pin', maxAge: Duration.minutes(30) } });
    expect(analysisOf(expectSound(chart)).sessionAffinity).toEqual({ cookieName: 'shop-pin', primaryCookieName: 'shop-pin-primary', maxAge: 1800, path: '/' });
  });

  test('take the app\'s cookie name and an hour by default', () => {
    const chart = newChart();
    reviews(chart, undefined, { stickySessions: {} });
    expect(analysisOf(expectSound(chart)).sessionAffinity).toEqual({ cookieName: 'reviews-version', primaryCookieName: 'reviews-version-primary', maxAge: 3600, path: '/' });
  });

  test('fails when a blue/green asks for them: nothing is weighted', () => {
    expect(() => new BlueGreenApp(newChart(), 'Web', {
      blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, controller: ReleaseController.FLAGGER,
      namespace: 'shop', plan: { autoPromotion: true }, stickySessions: {},
    })).toThrow('test/Web: stickySessions become Flagger\'s session affinity, which pins users while weights rise, and Flagger runs a blue/green, '
      + 'got {"cookieName":"web-version"}; leave stickySessions out');
  });
});

describe('a Flagger blue/green that mirrors', () => {
  const chart = newChart();
  new BlueGreenApp(chart, 'Web', {
    blue: { image: 'web:1', version: '1' }, green: { image: 'web:2', version: '2' }, active: Color.GREEN, controller: ReleaseController.FLAGGER,
    namespace: 'shop', plan: { autoPromotion: true, analysis: {} }, mirror: { to: RouteTarget.version('2'), percentage: 50 },
  });
  const analysis = analysisOf(expectSound(chart));

  test('copies requests to the new colour for the whole analysis, which then has traffic to measure without a load test', () => {
    expect(analysis).toMatchObject({ iterations: 10, mirror: true, mirrorWeight: 50 });
    expect(analysis.webhooks).toBeUndefined();
    expect(analysis.metrics.map((m: Manifest) => m.name)).toEqual(['request-success-rate', 'request-duration']);
  });
});
