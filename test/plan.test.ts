import { Chart } from 'cdk8s';
import {
  ArgoRouting, BlueGreenApp, BlueGreenAppProps, CanaryApp, CanaryAppProps, Color, ReleaseController, synthSteps, verifyProgression,
} from '../src';
import { changedObjects, find, Manifest, newChart, synth, weights } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };
const plan = { steps: [10, 25, 50, 100] };

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, plan, ...props });
}

describe('a plan walked by Git', () => {
  test('step selects the canary weight, from the first step by default', () => {
    const weightAt = (step?: number) => weights(find(synth(c => reviews(c, { step })), 'VirtualService', 'reviews'));
    expect([weightAt(), weightAt(1), weightAt(2), weightAt(3)]).toEqual([
      { v1: 90, v2: 10 }, { v1: 75, v2: 25 }, { v1: 50, v2: 50 }, { v1: 0, v2: 100 },
    ]);
    const app = reviews(newChart(), { step: 2 });
    expect([app.canaryWeight, app.controller]).toEqual([50, ReleaseController.NONE]);
  });

  test('every step is a complete, valid manifest set, and each is one small diff from the one before', () => {
    const stages = synthSteps(plan.steps.length, (chart, step) => reviews(chart, { step }), { namespace: 'shop' }) as Manifest[][];
    stages.forEach(objects => expectValidManifests(objects));
    expect(verifyProgression(stages)).toEqual([]);
    for (let step = 1; step < stages.length; step++) expect(changedObjects(stages[step - 1], stages[step])).toEqual(['VirtualService/reviews']);
  });

  test('a progression that starts from the steady state and ends promoted is safe throughout', () => {
    const before = synth(c => new CanaryApp(c, 'Reviews', { stable: v1, canary: v2 }));
    const steps = synthSteps(plan.steps.length, (chart, step) => reviews(chart, { step }), { namespace: 'shop' });
    const promoted = synth(c => new CanaryApp(c, 'Reviews', { stable: v2 }));
    expect(verifyProgression([before, ...steps, promoted])).toEqual([]);
  });

  test.each([
    ['step is beyond the plan', { step: 4 }, 'step must be a step of the plan, from 0 to 3, got 4'],
    ['step is negative', { step: -1 }, 'step must be a step of the plan, from 0 to 3, got -1'],
    ['canaryWeight is set beside a plan', { canaryWeight: 10 }, 'canaryWeight is set by the plan\'s step, got 10; leave canaryWeight out and set step'],
    ['step is set without a plan', { plan: undefined, step: 1 }, 'step selects a step of a plan, and there is none, got 1'],
    ['the steps do not rise', { plan: { steps: [10, 50, 25] } }, 'plan.steps[2] must rise above the step before (50), got 25'],
    ['a step is not a whole percentage', { plan: { steps: [10, 150] } }, 'plan.steps[1] must be a whole percentage from 0 to 100, got 150'],
    ['the plan has no steps', { plan: { steps: [] } }, 'plan.steps must list at least one weight, got []'],
    ['the analysis a controller would run is wrong, though Git walks the plan', { plan: { ...plan, analysis: { minSuccessRate: 150 } } },
      'plan.analysis.minSuccessRate must be a percentage from 0 to 100, got 150'],
    ['argoRouting is set for Flagger', { controller: ReleaseController.FLAGGER, argoRouting: ArgoRouting.HOST },
      'argoRouting is how Argo Rollouts shifts traffic, and controller is ReleaseController.FLAGGER, got "host"'],
  ])('fails when %s', (_, props, message) => {
    expect(() => reviews(newChart(), props as Partial<CanaryAppProps>)).toThrow(`test/Reviews: ${message}`);
  });
});

describe('the switch from Git to a controller', () => {
  // The README's example: the props stay, and `controller` is the one line that changes.
  const ratings = (controller?: ReleaseController) => synth(chart => new CanaryApp(chart, 'Ratings', {
    stable: { image: 'ratings:v1', version: 'v1' },
    canary: { image: 'ratings:v2', version: 'v2' },
    plan: { steps: [10, 25, 50, 100], analysis: { minSuccessRate: 99 } },
    step: 1,
    controller,
  }));

  test.each([
    [undefined, ['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']],
    [ReleaseController.ARGO_ROLLOUTS, ['Service', 'DestinationRule', 'VirtualService', 'AnalysisTemplate', 'Rollout']],
    [ReleaseController.FLAGGER, ['Deployment', 'Canary']],
  ])('the same props synthesize with controller %s, every object valid', (controller, expectedKinds) => {
    const objects = ratings(controller);
    expect(objects.map(o => o.kind).sort()).toEqual([...expectedKinds].sort());
    expectValidManifests(objects);
  });

  test('Git is at the step; Argo Rollouts and Flagger get the whole plan and the analysis', () => {
    expect(weights(find(ratings(), 'VirtualService', 'ratings'))).toEqual({ v1: 75, v2: 25 });
    const rollout = find(ratings(ReleaseController.ARGO_ROLLOUTS), 'Rollout', 'ratings');
    expect(rollout.spec.strategy.canary.steps.filter((s: Manifest) => s.setWeight !== undefined).map((s: Manifest) => s.setWeight))
      .toEqual([10, 25, 50, 100]);
    const canary = find(ratings(ReleaseController.FLAGGER), 'Canary', 'ratings');
    expect(canary.spec.analysis.stepWeights).toEqual([10, 25, 50, 100]);
    expect(canary.spec.analysis.metrics.find((m: Manifest) => m.name === 'request-success-rate').thresholdRange).toEqual({ min: 99 });
  });
});

describe('a blue/green plan walked by Git', () => {
  const blue = { image: 'web:1', version: '1' };
  const green = { image: 'web:2', version: '2' };
  const props = { blue, green, active: Color.GREEN, plan: { analysis: { minSuccessRate: 99 } }, preview: { header: 'x-preview' } };
  const web = (chart: Chart, step?: number, more: Partial<BlueGreenAppProps> = {}) => new BlueGreenApp(chart, 'Web', { ...props, step, ...more });
  const stages = synthSteps(3, (chart, step) => web(chart, step), { namespace: 'shop' }) as Manifest[][];
  const colourWeights = (objects: Manifest[]) => weights(find(objects, 'VirtualService', 'web'));
  const replicas = (objects: Manifest[]) => ['web-blue', 'web-green'].map(name => find(objects, 'Deployment', name).spec.replicas);

  test('previews active, then switches to it, then scales the old colour down: one object changes a step', () => {
    expect(stages.map(colourWeights)).toEqual([{ blue: 100, green: 0 }, { blue: 0, green: 100 }, { blue: 0, green: 100 }]);
    expect(stages.map(replicas)).toEqual([[2, 2], [2, 2], [0, 2]]);
    expect(stages.map(objects => find(objects, 'Service', 'web-preview').spec.selector)).toEqual(stages.map(() => ({ app: 'web', version: '2' })));
    expect([changedObjects(stages[0], stages[1]), changedObjects(stages[1], stages[2])]).toEqual([['VirtualService/web'], ['Deployment/web-blue']]);
    stages.forEach(objects => expectValidManifests(objects));
    expect(verifyProgression(stages)).toEqual([]);
  });

  test('tells the serving colour apart from the one the release ends on', () => {
    const app = web(newChart(), 0);
    expect([app.serving, app.active, app.scaledDown]).toEqual([Color.BLUE, Color.GREEN, undefined]);
    expect(web(newChart(), 2).scaledDown).toBe(Color.BLUE);
  });

  test('with a controller, active serves and step is the controller\'s to walk', () => {
    const app = web(newChart(), 0, { controller: ReleaseController.ARGO_ROLLOUTS });
    expect(app.serving).toBe(Color.GREEN);
  });

  test.each([
    ['step is beyond the plan', { step: 3 }, 'step must be a step of the plan, from 0 to 2, got 3'],
    ['scaledDown is set beside a plan', { scaledDown: Color.BLUE }, 'scaledDown is set by the plan\'s step, got "blue"; leave scaledDown out: step 2 scales the old colour down'],
    ['step is set without a plan', { plan: undefined, step: 1 }, 'step selects a step of a plan, and there is none, got 1'],
  ])('fails when %s', (_, more, message) => {
    expect(() => web(newChart(), undefined, more as Partial<BlueGreenAppProps>)).toThrow(`test/Web: ${message}`);
  });
});
