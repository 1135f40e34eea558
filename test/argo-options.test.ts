import { Chart, Duration } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-27';
import {
  AnalysisTemplateRef, AntiAffinity, ArgoBlueGreenOptions, ArgoCanaryOptions, BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, CanaryScale, Color, ReleaseController,
  RouteMatch, RouteTarget, StepPause, StringMatch,
} from '../src';
import { expectSound, find, Manifest, newChart } from './support/manifests';

const ARGO = ReleaseController.ARGO_ROLLOUTS;

function reviews(chart: Chart, argo: ArgoCanaryOptions | undefined, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', {
    stable: { image: 'reviews:v1', version: 'v1' }, canary: { image: 'reviews:v2', version: 'v2', replicas: 4 }, controller: ARGO,
    plan: { steps: [10, 50, 100], argo }, ...props,
  });
}

function web(chart: Chart, argo: ArgoBlueGreenOptions | undefined, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', {
    blue: { image: 'web:1.0', version: '1.0', replicas: 4 }, green: { image: 'web:1.1', version: '1.1', replicas: 4 }, active: Color.GREEN, controller: ARGO,
    plan: { autoPromotion: true, analysis: {}, argo }, ...props,
  });
}

const strategyOf = (objects: Manifest[], name: string) => find(objects, 'Rollout', name).spec.strategy;

describe('plan.argo on a canary', () => {
  const chart = newChart();
  reviews(chart, {
    maxSurge: PercentOrAbsolute.absolute(1),
    maxUnavailable: PercentOrAbsolute.percent(0),
    antiAffinity: AntiAffinity.preferred(50),
    newVersionPods: { labels: { role: 'canary' }, annotations: { 'example.com/note': 'new' } },
    servingVersionPods: { labels: { role: 'stable' } },
    abortScaleDownDelay: Duration.minutes(10),
    scaleDownDelay: Duration.minutes(2),
    pauses: [StepPause.of(Duration.minutes(5)), StepPause.untilPromoted()],
  });
  const canary = strategyOf(expectSound(chart), 'reviews').canary;

  test('sizes, places and labels the pods as Argo\'s canary strategy says', () => {
    expect(canary).toMatchObject({
      maxSurge: 1,
      maxUnavailable: '0%',
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } },
      canaryMetadata: { labels: { role: 'canary' }, annotations: { 'example.com/note': 'new' } },
      stableMetadata: { labels: { role: 'stable' } },
      abortScaleDownDelaySeconds: 600,
      scaleDownDelaySeconds: 120,
    });
    expect(canary.dynamicStableScale).toBeUndefined();
  });

  test('pauses each step as its own pause says: timed, or until promoted', () => {
    expect(canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '300s' } }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }]);
  });

  test('a required anti-affinity and a dynamic stable scale', () => {
    const other = newChart();
    reviews(other, { antiAffinity: AntiAffinity.required(), dynamicStableScale: true });
    const strategy = strategyOf(expectSound(other), 'reviews').canary;
    expect(strategy.antiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: {} });
    expect(strategy.dynamicStableScale).toBe(true);
  });

  test('leaves Argo\'s defaults alone when plan.argo is left out', () => {
    const other = newChart();
    reviews(other, undefined);
    expect(Object.keys(strategyOf(expectSound(other), 'reviews').canary).sort()).toEqual(['steps', 'trafficRouting']);
  });
});

describe('plan.argo on a blue/green', () => {
  const chart = newChart();
  web(chart, {
    maxUnavailable: PercentOrAbsolute.absolute(1),
    antiAffinity: AntiAffinity.required(),
    newVersionPods: { labels: { role: 'preview' } },
    servingVersionPods: { labels: { role: 'active' } },
    abortScaleDownDelay: Duration.seconds(45),
    previewReplicas: 2,
    autoPromotionDelay: Duration.minutes(15),
    postPromotionAnalysis: true,
  });
  const blueGreen = strategyOf(expectSound(chart), 'web').blueGreen;

  test('sizes, places and labels the pods as Argo\'s blue/green strategy says, and promotes after the delay', () => {
    expect(blueGreen).toMatchObject({
      maxUnavailable: 1,
      antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} },
      previewMetadata: { labels: { role: 'preview' } },
      activeMetadata: { labels: { role: 'active' } },
      abortScaleDownDelaySeconds: 45,
      previewReplicaCount: 2,
      autoPromotionEnabled: true,
      autoPromotionSeconds: 900,
    });
  });

  test('checks the preview before the switch and the active Service after it, with the same template', () => {
    expect(blueGreen.prePromotionAnalysis.args[0]).toEqual({ name: 'service', value: 'web-preview' });
    expect(blueGreen.postPromotionAnalysis).toEqual({
      templates: [{ templateName: 'web' }],
      args: [
        { name: 'service', value: 'web' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'version', value: '1.1' },
      ],
    });
  });

  test('runs no analysis after the switch unless asked', () => {
    const other = newChart();
    web(other, { previewReplicas: 1 });
    expect(strategyOf(expectSound(other), 'web').blueGreen.postPromotionAnalysis).toBeUndefined();
  });
});

describe('plan.argo: bad input', () => {
  const canary = (argo: unknown, props: Partial<CanaryAppProps> = {}) => () => reviews(newChart(), argo as ArgoCanaryOptions, props);
  const blueGreen = (argo: unknown, props: Partial<BlueGreenAppProps> = {}) => () => web(newChart(), argo as ArgoBlueGreenOptions, props);

  test.each([
    ['plan.argo is not an object', canary('fast'),
      'test/Reviews: plan.argo must be an object, got "fast"; e.g. { maxUnavailable: PercentOrAbsolute.absolute(0) }'],
    ['a blue/green option is given to a canary', canary({ previewReplicas: 2 }),
      'test/Reviews: plan.argo.previewReplicas is an option of Argo\'s blue/green strategy, and this release is a canary, got 2; leave it out'],
    ['a canary option is given to a blue/green', blueGreen({ pauses: [] }),
      'test/Web: plan.argo.pauses is an option of Argo\'s canary strategy, and this release is a blue/green, got []; leave it out'],
    ['postPromotionAnalysis is given to a canary', canary({ postPromotionAnalysis: true }),
      'test/Reviews: plan.argo.postPromotionAnalysis is an option of Argo\'s blue/green strategy, and this release is a canary, got true; leave it out'],
    ['dynamicStableScale is given to a blue/green', blueGreen({ dynamicStableScale: true }),
      'test/Web: plan.argo.dynamicStableScale is an option of Argo\'s canary strategy, and this release is a blue/green, got true; leave it out'],
    ['maxSurge and maxUnavailable are both 0', canary({ maxSurge: PercentOrAbsolute.percent(0), maxUnavailable: PercentOrAbsolute.absolute(0) }),
      'test/Reviews: plan.argo.maxUnavailable can\'t be 0 with maxSurge 0: Argo Rollouts could neither add a pod nor take one away, got 0; '
      + 'allow one of them at least a pod, e.g. PercentOrAbsolute.absolute(1)'],
    ['dynamicStableScale comes with scaleDownDelay', canary({ dynamicStableScale: true, scaleDownDelay: Duration.minutes(1) }),
      'test/Reviews: plan.argo.dynamicStableScale scales the old version down as the new one takes traffic, so there is nothing left for scaleDownDelay '
      + 'to keep, got true; leave dynamicStableScale or scaleDownDelay out'],
    ['pauses come with plan.pause', canary({ pauses: [StepPause.untilPromoted(), StepPause.untilPromoted()] }, { plan: { steps: [10, 50], pause: Duration.minutes(1), argo: { pauses: [StepPause.untilPromoted(), StepPause.untilPromoted()] } } }),
      'test/Reviews: plan.argo.pauses can\'t be given with plan.pause: both set how long the steps pause, got "60s"; leave plan.pause out, and give a pause per step'],
    ['pauses are one short', canary({ pauses: [StepPause.untilPromoted()] }),
      'test/Reviews: plan.argo.pauses must list one pause for each step below 100, 2 ([10,50]), in order, got 1; give 2 pauses'],
    ['pauses are one too many', canary({ pauses: [StepPause.untilPromoted(), StepPause.untilPromoted(), StepPause.untilPromoted()] }),
      'test/Reviews: plan.argo.pauses must list one pause for each step below 100, 2 ([10,50]), in order, got 3; give 2 pauses'],
    ['a pause is not a StepPause', canary({ pauses: [StepPause.untilPromoted(), '5m'] }),
      'test/Reviews: plan.argo.pauses[1] must be a StepPause, got "5m"; use e.g. StepPause.of(Duration.minutes(5))'],
    ['a pause is longer than Go reads', canary({ pauses: [StepPause.of(Duration.days(300 * 365)), StepPause.untilPromoted()] }),
      'test/Reviews: plan.argo.pauses[0] must be at most 9223372036 seconds, the longest duration Argo Rollouts reads (Go\'s time.Duration), got "9460800000s"'],
    ['autoPromotionDelay comes without autoPromotion', blueGreen({ autoPromotionDelay: Duration.minutes(5) }, { plan: { argo: { autoPromotionDelay: Duration.minutes(5) } } }),
      'test/Web: plan.argo.autoPromotionDelay delays the automatic promotion, and plan.autoPromotion is false, got "300s"; '
      + 'set plan.autoPromotion to true, or leave autoPromotionDelay out'],
    ['postPromotionAnalysis comes without an analysis', blueGreen(undefined, { plan: { autoPromotion: true, argo: { postPromotionAnalysis: true } } }),
      'test/Web: plan.argo.postPromotionAnalysis runs plan.analysis again after the switch, and there is none, got true; give plan.analysis, or leave it out'],
    ['previewReplicas is above the colour\'s replicas', blueGreen({ previewReplicas: 5 }),
      'test/Web: plan.argo.previewReplicas must be at most the colour\'s replicas (4), to which the promotion scales it, got 5; use e.g. 2'],
    ['previewReplicas is 0', blueGreen({ previewReplicas: 0 }), 'test/Web: plan.argo.previewReplicas must be a whole number, 1 or more, got 0'],
    ['maxSurge is not a PercentOrAbsolute', canary({ maxSurge: '25%' }),
      'test/Reviews: plan.argo.maxSurge must be a PercentOrAbsolute, got "25%"; use e.g. PercentOrAbsolute.percent(25)'],
    ['maxSurge is a percentage above 100', canary({ maxSurge: PercentOrAbsolute.percent(150) }),
      'test/Reviews: plan.argo.maxSurge must be a whole number of pods, or a whole percentage from 0 to 100, got "150%"; use e.g. PercentOrAbsolute.percent(25)'],
    ['maxUnavailable is a fraction of a percent', canary({ maxUnavailable: PercentOrAbsolute.percent(2.5) }),
      'test/Reviews: plan.argo.maxUnavailable must be a whole number of pods, or a whole percentage from 0 to 100, got "2.5%"'],
    ['maxUnavailable is a negative count', blueGreen({ maxUnavailable: PercentOrAbsolute.absolute(-1) }),
      'test/Web: plan.argo.maxUnavailable must be a whole number of pods, or a whole percentage from 0 to 100, got -1'],
    ['antiAffinity is not an AntiAffinity', canary({ antiAffinity: { weight: 5 } }),
      'test/Reviews: plan.argo.antiAffinity must be an AntiAffinity, got {"weight":5}; use e.g. AntiAffinity.required()'],
    ['the new version\'s pods get the app label', canary({ newVersionPods: { labels: { app: 'other' } } }),
      'test/Reviews: plan.argo.newVersionPods.labels may not set "app", which the release\'s Service and subsets select by, got {"app":"other"}'],
    ['the serving version\'s pods get a label value Kubernetes refuses', blueGreen({ servingVersionPods: { labels: { role: 'a b' } } }),
      'test/Web: plan.argo.servingVersionPods.labels.role must be a label value'],
    ['an annotation is not a string', blueGreen({ newVersionPods: { annotations: { note: 1 } } }),
      'test/Web: plan.argo.newVersionPods.annotations.note must be a string, got 1'],
    ['the abort delay is past int32', canary({ abortScaleDownDelay: Duration.seconds(2 ** 31) }),
      'test/Reviews: plan.argo.abortScaleDownDelay must be at most 2147483647 seconds, the most Argo Rollouts\' abortScaleDownDelaySeconds holds (int32), got "2147483648s"'],
    ['the abort delay is not whole seconds', canary({ abortScaleDownDelay: Duration.millis(1500) }),
      'test/Reviews: plan.argo.abortScaleDownDelay must be whole seconds, 1 or more, got "1.5s"'],
    ['an abort delay comes with dynamicStableScale, which Argo 1.9 can get stuck on', canary({ dynamicStableScale: true, abortScaleDownDelay: Duration.seconds(30) }),
      'test/Reviews: plan.argo.abortScaleDownDelay can\'t come with dynamicStableScale: Argo Rollouts 1.9 can then stay stuck on an abort (argo-rollouts#4900), '
      + 'got "30s"; leave abortScaleDownDelay or dynamicStableScale out'],
    ['a blue/green is given the canary\'s scaleDownDelay', blueGreen({ scaleDownDelay: Duration.minutes(1) }),
      'test/Web: plan.argo.scaleDownDelay is an option of Argo\'s canary strategy, and this release is a blue/green, got 60; set plan.scaleDownDelay, a blue/green\'s own'],
    ['Flagger is given Argo\'s options', canary({ dynamicStableScale: true }, {
      controller: ReleaseController.FLAGGER, plan: { steps: [10], argo: { dynamicStableScale: true } }, namespace: 'shop',
    }), 'test/Reviews: plan.argo configures Argo Rollouts, and the controller is Flagger'],
  ])('fails when %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test.each([
    ['0', 0], ['101', 101], ['1.5', 1.5], ['"50"', '50'],
  ])('fails when AntiAffinity.preferred is given a weight of %s', (shown, weight) => {
    expect(() => AntiAffinity.preferred(weight as number)).toThrow(
      `AntiAffinity.preferred: weight must be a whole number from 1 to 100, as Argo Rollouts takes it, got ${shown}; use e.g. 50`);
  });

  test.each([['1', 1], ['100', 100]])('AntiAffinity.preferred takes a weight of %s', (_, weight) => {
    expect(AntiAffinity.preferred(weight).weight).toBe(weight);
  });

  test('fails when StepPause.of is given a fraction of a second', () => {
    expect(() => StepPause.of(Duration.millis(500))).toThrow('StepPause.of: duration must be whole seconds, 1 or more, got "0.5s"; use e.g. Duration.minutes(1)');
    expect(StepPause.of(Duration.seconds(1)).seconds).toBe(1);
    expect(StepPause.untilPromoted().seconds).toBeUndefined();
  });
});

describe('plan.argo: steps held until the analysis passes', () => {
  const chart = newChart();
  const app = reviews(chart, undefined, {
    plan: { steps: [10, 50, 100], analysis: { failureLimit: 2 }, argo: { pauses: [StepPause.untilAnalysisPasses(3), StepPause.of(Duration.minutes(5))] } },
  });
  const objects = expectSound(chart);

  test('run the analysis inline after the weight, and move on once it passes its checks', () => {
    expect(strategyOf(objects, 'reviews').canary.steps).toEqual([
      { setWeight: 10 },
      { analysis: { templates: [{ templateName: 'reviews-checks-3' }], args: [
        { name: 'service', value: 'reviews' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'version', value: 'v2' },
      ] } },
      { setWeight: 50 }, { pause: { duration: '300s' } }, { setWeight: 100 },
    ]);
  });

  test('through an AnalysisTemplate of their own, with the count of checks, beside the background analysis', () => {
    expect(objects.filter(o => o.kind === 'AnalysisTemplate').map(o => o.metadata.name)).toEqual(['reviews', 'reviews-checks-3']);
    expect(app.stepAnalysisTemplates.map(t => t.name)).toEqual(['reviews-checks-3']);
    expect(find(objects, 'AnalysisTemplate', 'reviews-checks-3').spec.metrics.map((m: Manifest) => [m.name, m.count, m.failureLimit])).toEqual([
      ['success-rate', 3, 1], ['request-duration', 3, 1],
    ]);
    expect(find(objects, 'AnalysisTemplate', 'reviews').spec.metrics[0].count).toBeUndefined();
  });

  test('fails when a step waits for an analysis there is none of', () => {
    expect(() => reviews(newChart(), { pauses: [StepPause.untilAnalysisPasses(3), StepPause.untilPromoted()] })).toThrow(
      'test/Reviews: plan.argo.pauses[0] waits for plan.analysis, and there is none, got "StepPause.untilAnalysisPasses(3)"; give plan.analysis');
  });

  test.each([[1, 2], [3, 4]])('fails when a step runs %d checks and %d failures fail the analysis: all could fail and it would pass', (checks, failureLimit) => {
    expect(() => reviews(newChart(), undefined, {
      plan: { steps: [10, 50], analysis: { failureLimit }, argo: { pauses: [StepPause.untilAnalysisPasses(checks), StepPause.untilPromoted()] } },
    })).toThrow(`test/Reviews: plan.argo.pauses[0] must run at least plan.analysis.failureLimit (${failureLimit}) checks: with fewer, Argo Rollouts passes the `
      + `analysis though every check fails, got ${checks}; use StepPause.untilAnalysisPasses(${failureLimit}), or lower plan.analysis.failureLimit`);
  });

  test('a step that runs as many checks as fail the analysis is taken', () => {
    const chart = newChart();
    reviews(chart, undefined, { plan: { steps: [10, 50], analysis: { failureLimit: 2 }, argo: { pauses: [StepPause.untilAnalysisPasses(2), StepPause.untilPromoted()] } } });
    expect(find(expectSound(chart), 'AnalysisTemplate', 'reviews-checks-2').spec.metrics[0]).toMatchObject({ count: 2, failureLimit: 1 });
  });

  test.each([['0', 0], ['1.5', 1.5], ['"3"', '3']])('fails when StepPause.untilAnalysisPasses is given %s checks', (shown, checks) => {
    expect(() => StepPause.untilAnalysisPasses(checks as number)).toThrow(
      `StepPause.untilAnalysisPasses: checks must be a whole number, 1 or more, got ${shown}; use e.g. 3`);
  });
});

describe('plan.argo.canaryScale', () => {
  test.each([
    ['a count of pods', CanaryScale.replicas(2), { replicas: 2 }],
    ['a share of the replicas', CanaryScale.percent(50), { weight: 50 }],
  ])('runs the canary at %s until the last step, which scales with the weight again', (_, canaryScale, scale) => {
    const chart = newChart();
    reviews(chart, { canaryScale });
    expect(strategyOf(expectSound(chart), 'reviews').canary.steps).toEqual([
      { setCanaryScale: scale },
      { setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } }, { setWeight: 100 },
    ]);
  });

  test('without a last step of 100, the promotion scales the canary up', () => {
    const chart = newChart();
    reviews(chart, undefined, { plan: { steps: [20], argo: { canaryScale: CanaryScale.replicas(1) } } });
    expect(strategyOf(expectSound(chart), 'reviews').canary.steps).toEqual([{ setCanaryScale: { replicas: 1 } }, { setWeight: 20 }, { pause: {} }]);
  });

  test.each([
    ['CanaryScale.replicas is given 0', () => CanaryScale.replicas(0),
      'CanaryScale.replicas: count must be a whole number, 1 or more: a canary without pods would get traffic no pod answers, got 0; use e.g. 2'],
    ['CanaryScale.percent is given 101', () => CanaryScale.percent(101), 'CanaryScale.percent: percent must be a whole percentage from 1 to 100, got 101; use e.g. 50'],
    ['CanaryScale.percent is given 0.5', () => CanaryScale.percent(0.5), 'CanaryScale.percent: percent must be a whole percentage from 1 to 100, got 0.5; use e.g. 50'],
    ['canaryScale is not a CanaryScale', () => reviews(newChart(), { canaryScale: { replicas: 2 } as unknown as CanaryScale }),
      'test/Reviews: plan.argo.canaryScale must be a CanaryScale, got {"replicas":2}; use e.g. CanaryScale.replicas(2)'],
    ['a blue/green is given canaryScale', () => web(newChart(), { canaryScale: CanaryScale.replicas(2) } as ArgoBlueGreenOptions),
      'test/Web: plan.argo.canaryScale is an option of Argo\'s canary strategy, and this release is a blue/green, got {"replicas":2}; leave it out'],
  ])('fails when %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('plan.argo.analysisTemplates', () => {
  const refs = [AnalysisTemplateRef.named('error-budget'), AnalysisTemplateRef.cluster('latency-slo')];

  test('run beside a canary\'s analysis in the background, with the same arguments', () => {
    const chart = newChart();
    reviews(chart, undefined, { plan: { steps: [10, 50], analysis: {}, argo: { analysisTemplates: refs } } });
    expect(strategyOf(expectSound(chart), 'reviews').canary.analysis.templates).toEqual([
      { templateName: 'reviews' }, { templateName: 'error-budget' }, { templateName: 'latency-slo', clusterScope: true },
    ]);
  });

  test('run beside a blue/green\'s analysis before the promotion and after it', () => {
    const chart = newChart();
    web(chart, { analysisTemplates: refs, postPromotionAnalysis: true });
    const blueGreen = strategyOf(expectSound(chart), 'web').blueGreen;
    const expected = [{ templateName: 'web' }, { templateName: 'error-budget' }, { templateName: 'latency-slo', clusterScope: true }];
    expect(blueGreen.prePromotionAnalysis.templates).toEqual(expected);
    expect(blueGreen.postPromotionAnalysis.templates).toEqual(expected);
  });

  test.each([
    ['templates come without an analysis', () => reviews(newChart(), { analysisTemplates: refs }),
      'test/Reviews: plan.argo.analysisTemplates run beside plan.analysis, and there is none, got ["error-budget","latency-slo"]; give plan.analysis, whose checks the templates join'],
    ['a template is listed twice', () => reviews(newChart(), { analysisTemplates: [refs[0], AnalysisTemplateRef.named('error-budget')] }),
      'test/Reviews: plan.argo.analysisTemplates[1] names a template already listed, got "error-budget"; list each template once'],
    ['a template is a name', () => reviews(newChart(), { analysisTemplates: ['error-budget' as unknown as AnalysisTemplateRef] }),
      'test/Reviews: plan.argo.analysisTemplates[0] must be an AnalysisTemplateRef, got "error-budget"; use e.g. AnalysisTemplateRef.named("error-budget")'],
    ['a template\'s name is no object name', () => AnalysisTemplateRef.named('Error Budget'),
      'AnalysisTemplateRef.named: name must name an AnalysisTemplate: a DNS-1123 subdomain of lower-case letters, digits, "-" and ".", got "Error Budget"; e.g. "error-budget"'],
    ['a cluster template\'s name is not a string', () => AnalysisTemplateRef.cluster(5 as unknown as string),
      'AnalysisTemplateRef.cluster: name must name a ClusterAnalysisTemplate: a DNS-1123 subdomain of lower-case letters, digits, "-" and ".", got 5; e.g. "error-budget"'],
  ])('fails when %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('a template listed by name and cluster-wide is two templates', () => {
    const chart = newChart();
    reviews(chart, undefined, { plan: { steps: [10], analysis: {}, argo: { analysisTemplates: [AnalysisTemplateRef.named('a'), AnalysisTemplateRef.cluster('a')] } } });
    expect(strategyOf(expectSound(chart), 'reviews').canary.analysis.templates).toHaveLength(3);
  });
});

describe('plan.argo.postPromotionAnalysis and the old colour', () => {
  test('keeps the old colour until the analysis after the switch passes: no scale-down delay is written', () => {
    const chart = newChart();
    web(chart, { postPromotionAnalysis: true });
    expect(strategyOf(expectSound(chart), 'web').blueGreen.scaleDownDelaySeconds).toBeUndefined();
  });

  test('without it, the old colour runs 30 seconds after the switch, as Argo\'s default, written out', () => {
    const chart = newChart();
    web(chart, undefined);
    expect(strategyOf(expectSound(chart), 'web').blueGreen.scaleDownDelaySeconds).toBe(30);
  });

  test('fails when a scale-down delay is given too, which would scale the old colour down during the analysis', () => {
    expect(() => web(newChart(), undefined, { plan: { autoPromotion: true, analysis: {}, scaleDownDelay: Duration.minutes(10), argo: { postPromotionAnalysis: true } } }))
      .toThrow('test/Web: plan.scaleDownDelay can\'t be given with plan.argo.postPromotionAnalysis: Argo Rollouts keeps the old colour until the analysis '
        + 'after the switch passes only when no delay is set, so that a failure can switch back, got "600s"; leave plan.scaleDownDelay out');
  });
});

describe('plan.argo.managedTesterRoutes', () => {
  const header = { name: 'qa', when: [RouteMatch.header('x-qa', StringMatch.exact('1'))], to: RouteTarget.canary() };
  const cookie = { name: 'beta', when: [RouteMatch.cookie('beta', 'on')], to: RouteTarget.canary() };
  const chart = newChart();
  reviews(chart, undefined, { testerRoutes: [header, cookie], plan: { steps: [10, 50], argo: { managedTesterRoutes: true } } });
  const objects = expectSound(chart);
  const canary = strategyOf(objects, 'reviews').canary;

  test('sets each tester route as Argo\'s managed header route at the start of the release, in order', () => {
    expect(canary.steps.slice(0, 2)).toEqual([
      { setHeaderRoute: { name: 'qa', match: [{ headerName: 'x-qa', headerValue: { exact: '1' } }] } },
      { setHeaderRoute: { name: 'beta', match: [{ headerName: 'cookie', headerValue: { regex: '^(.*;\\s*)?beta=on(;.*)?$' } }] } },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'qa' }, { name: 'beta' }]);
  });

  test('leaves them out of the VirtualService, which Argo edits at each release', () => {
    expect(find(objects, 'VirtualService', 'reviews').spec.http.map((r: Manifest) => r.name)).toEqual(['primary']);
  });

  test.each([
    ['there are no tester routes', { plan: { steps: [10], argo: { managedTesterRoutes: true } } },
      'test/Reviews: plan.argo.managedTesterRoutes manages the testerRoutes, and there are none, got true; add testerRoutes, or leave it out'],
    ['a tester route goes to the stable version', { testerRoutes: [{ ...header, to: RouteTarget.stable() }], plan: { steps: [10], argo: { managedTesterRoutes: true } } },
      'test/Reviews: testerRoutes[0].to must be the canary with plan.argo.managedTesterRoutes: Argo\'s managed header route goes to the canary only, '
      + 'got "qa"; route it to RouteTarget.canary(), or leave managedTesterRoutes out'],
    ['a tester route matches two headers', { testerRoutes: [{ ...header, when: [RouteMatch.header('x-a', StringMatch.exact('1')), RouteMatch.header('x-b', StringMatch.prefix('2'))] }],
      plan: { steps: [10], argo: { managedTesterRoutes: true } } },
    'test/Reviews: testerRoutes[0].when must be one header or cookie match with plan.argo.managedTesterRoutes: Argo\'s managed header route matches one header, '
      + 'got ["x-a","x-b"]; match one header, or leave managedTesterRoutes out'],
    ['a tester route matches a query parameter', { testerRoutes: [{ ...header, when: [RouteMatch.queryParam('qa', StringMatch.exact('1'))] }],
      plan: { steps: [10], argo: { managedTesterRoutes: true } } },
    'test/Reviews: testerRoutes[0].when must be one header or cookie match with plan.argo.managedTesterRoutes: Argo\'s managed header route matches one header, '
      + 'got ["queryParams"]'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), undefined, props as Partial<CanaryAppProps>)).toThrow(message);
  });

  test('fails when a blue/green asks for it', () => {
    expect(() => web(newChart(), { managedTesterRoutes: true } as ArgoBlueGreenOptions)).toThrow(
      'test/Web: plan.argo.managedTesterRoutes is an option of Argo\'s canary strategy, and this release is a blue/green, got true; leave it out');
  });
});
