import { Testing } from 'cdk8s';
import { PLAN, StagedCanary } from '../../examples/staged-canary';
import { verifyProgression } from '../../src';
import { find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: a canary staged by Git, one commit per step', () => {
  const objects = exampleObjects(StagedCanary, RELEASE);

  test('is at step 1 of [10, 25, 50, 100]: 25% to ratings v2', () => {
    expect(weights(find(objects, 'VirtualService', 'ratings'))).toEqual({ v1: 75, v2: 25 });
  });

  test('every step of its plan is safe after the one before', () => {
    const charts = PLAN.steps.map((_, step) => Testing.synth(new StagedCanary(Testing.app(), 'staged-canary', step)));
    expect(charts.map(c => weights(find(c, 'VirtualService', 'ratings')))).toEqual([
      { v1: 90, v2: 10 }, { v1: 75, v2: 25 }, { v1: 50, v2: 50 }, { v1: 0, v2: 100 },
    ]);
    expect(verifyProgression(charts, { externalGateways: ['istio-system/public-gateway'] })).toEqual([]);
  });
});
