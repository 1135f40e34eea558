import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ReleaseModel } from '../../src/model';
import { emitsIstioObjects, renderRelease } from '../../src/render/release';
import { apiObjectsUnder } from '../../src/route-check';
import { PROP_ERROR } from './errors';
import { newChart } from './manifests';
import { expectValidManifests } from './schemas';

/** The construct whose props the resolve step reads, in `chart`, by default one of its own: errors name `<chart id>/<id>`. */
export function unbuilt(id: string, chart: Chart = newChart()): Construct {
  return new Construct(chart, id);
}

/** Mostly one of `good`, sometimes one of `bad`: a property then reaches both sides of every check, and still renders often. */
export function mostly<T>(good: T[], bad: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
}

/** Undefined half of the time: a prop left out, as most are. */
export function none<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq: 2 });
}

/** The objects of `scope` in a `*.istio.io` API group. */
export function istioObjectsUnder(scope: Construct): string[] {
  return apiObjectsUnder(scope).filter(o => o.apiVersion.includes('.istio.io/')).map(o => `${o.apiVersion} ${o.kind}`);
}

/**
 * The renderers' side of the resolve step's promise: what `resolve` accepts renders without a
 * refusal into valid objects, of which `emitsIstioObjects` says truly whether any is Istio's; what
 * it refuses, it refuses with our error for the app at `at`. Returns the model rendered, or
 * undefined for a refusal, for the property to count the cases that reach the renderer.
 */
export function expectRendersWhatResolves(at: Construct, resolve: () => ReleaseModel): ReleaseModel | undefined {
  let model: ReleaseModel;
  try {
    model = resolve();
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toMatch(PROP_ERROR);
    expect(PROP_ERROR.exec(message)!.groups!.path).toBe(at.node.path);
    return undefined;
  }
  renderRelease(at, model);
  expectValidManifests(Chart.of(at).toJson());
  expect(istioObjectsUnder(at).length > 0).toBe(emitsIstioObjects(model));
  return model;
}

/**
 * `istioApiVersion` is refused exactly where the app emits no Istio object: `given`, the outcome
 * of props that set it, is a model if and only if the same props without it resolve to a model
 * that emits one. Props refused without it say nothing of it.
 */
export function expectIstioApiVersionUsed(given: ReleaseModel | undefined, withoutIt: () => ReleaseModel): void {
  let plain: ReleaseModel;
  try {
    plain = withoutIt();
  } catch {
    expect(given).toBeUndefined();
    return;
  }
  expect(given !== undefined).toBe(emitsIstioObjects(plain));
}
