import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseModel } from '../../src/model';
import { emitsIstioObjects, renderRelease } from '../../src/render/release';
import { apiObjectsUnder } from '../../src/route-check';
import { expectValidManifests } from './schemas';

/**
 * The renderers' side of the resolve step's promise: what `resolve` accepts renders without a
 * refusal into valid objects, of which `emitsIstioObjects` says truly whether any is Istio's; what
 * it refuses, it refuses with our error for the app at `at`.
 */
export function expectRendersWhatResolves(at: Construct, resolve: () => ReleaseModel): void {
  let model: ReleaseModel;
  try {
    model = resolve();
  } catch (error) {
    expect((error as Error).message).toMatch(/^test\/App: /);
    return;
  }
  renderRelease(at, model);
  expectValidManifests(Chart.of(at).toJson());
  expect(apiObjectsUnder(at).some(o => o.apiVersion.includes('.istio.io/'))).toBe(emitsIstioObjects(model));
}
