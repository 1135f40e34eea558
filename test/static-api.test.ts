import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CanaryApp, CanaryAppProps, CODES, Diagram, diagramMarkdown, diagramMermaid, diagramTable, IStepBuilder, Plan, Severity,
  synthSteps, Verify, verifyManifests, verifyProgression,
} from '../src';

/**
 * The static methods are the API of every jsii language; the functions stay as TypeScript's names
 * for the same thing. Each method must give exactly what its function gives.
 */

function loadFixture(name: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
  if (!Array.isArray(documents)) throw new Error(`${name} is empty`);
  return documents.map(d => d.toJS());
}

const BROKEN = loadFixture('seed-000-nginx-blue-green.yaml');
const FIXED = loadFixture('seed-000-nginx-blue-green.fixed.yaml');
const CANARY = loadFixture('seed-003-version-test-canary.fixed.yaml');

const plan = { steps: [10, 25, 50, 100] };
const props: CanaryAppProps = {
  stable: { image: 'ratings:v1', version: 'v1' },
  canary: { image: 'ratings:v2', version: 'v2' },
  plan,
};

/** A builder as another language writes one: a class whose method reads its own state. */
class RatingsAtStep implements IStepBuilder {
  public readonly calls: string[] = [];
  constructor(private readonly appProps: CanaryAppProps) {}
  public buildStep(chart: Chart, step: number): void {
    this.calls.push(`${chart.namespace} ${step}`);
    new CanaryApp(chart, 'Ratings', { ...this.appProps, step });
  }
}

describe('Verify', () => {
  test('manifests gives what verifyManifests gives, findings and order', () => {
    const objects = [...BROKEN, ...loadFixture('seed-003-version-test-canary.yaml')];
    expect(verifyManifests(objects).length).toBeGreaterThan(1);
    expect(Verify.manifests(objects)).toEqual(verifyManifests(objects));
    expect(Verify.manifests(FIXED)).toEqual([]);
  });

  test('manifests passes its options on', () => {
    const options = { externalGateways: ['istio-system/public-gateway'], externalHosts: ['*.example.com'], requireWeightSum100: true, defaultNamespace: 'web' };
    expect(Verify.manifests(BROKEN, options)).toEqual(verifyManifests(BROKEN, options));
    expect(Verify.manifests(BROKEN, options)).not.toEqual(Verify.manifests(BROKEN));
  });

  test('progression gives what verifyProgression gives, with the stage of each finding', () => {
    const stages = [BROKEN, FIXED, CANARY, []];
    const findings = verifyProgression(stages);
    expect(new Set(findings.map(f => f.stage))).toEqual(new Set([0, 1, 2, 3]));
    expect(Verify.progression(stages)).toEqual(findings);
    expect(Verify.progression(stages, { defaultNamespace: 'web' })).toEqual(verifyProgression(stages, { defaultNamespace: 'web' }));
  });

  test('codes lists every code with its severity, as CODES does', () => {
    const codes = Verify.codes();
    expect(codes).toEqual(CODES);
    expect(codes['subset-not-found']).toBe(Severity.ERROR);
    expect(codes['subset-selects-many']).toBe(Severity.WARNING);
    for (const f of Verify.manifests(BROKEN)) expect(codes[f.code]).toBe(f.severity);
  });

  test('codes gives a new map each time, so a caller that changes it changes nothing else', () => {
    const codes = Verify.codes();
    codes['subset-not-found'] = Severity.WARNING;
    delete codes['duplicate-object'];
    expect(Verify.codes()).toEqual(CODES);
    expect(CODES['subset-not-found']).toBe(Severity.ERROR);
  });
});

describe('Diagram', () => {
  test.each([
    ['a blue/green', FIXED],
    ['a canary', CANARY],
    ['a set with broken routes', BROKEN],
    ['nothing to draw', []],
  ])('markdown, mermaid and table give what the functions give, for %s', (_, objects) => {
    expect(Diagram.markdown(objects, 'app.yaml')).toBe(diagramMarkdown(objects, 'app.yaml'));
    expect(Diagram.mermaid(objects)).toBe(diagramMermaid(objects));
    expect(Diagram.table(objects)).toBe(diagramTable(objects));
  });

  test('the options reach the pictures', () => {
    const routes = CANARY.filter(o => (o as { kind: string }).kind === 'VirtualService');
    const rest = CANARY.filter(o => !routes.includes(o));
    const options = { context: rest, defaultNamespace: 'default' };
    expect(Diagram.table(routes, options)).toBe(diagramTable(routes, options));
    expect(Diagram.mermaid(routes, options)).toBe(diagramMermaid(routes, options));
    expect(Diagram.markdown(routes, 'routes.yaml', options)).toBe(diagramMarkdown(routes, 'routes.yaml', options));
    // Without the context the routes reach no workloads, so the table differs.
    expect(Diagram.table(routes, options)).not.toBe(Diagram.table(routes));
    expect(Diagram.table(routes, options)).toContain('version-test-v1');
  });
});

describe('Plan.synthSteps', () => {
  test('a builder builds the same steps as the callback of synthSteps', () => {
    const builder = new RatingsAtStep(props);
    const stages = Plan.synthSteps(plan.steps.length, builder, { namespace: 'shop' });
    const callback = synthSteps(plan.steps.length, (chart, step) => new CanaryApp(chart, 'Ratings', { ...props, step }), { namespace: 'shop' });
    expect(stages).toHaveLength(4);
    expect(stages).toEqual(callback);
    expect(builder.calls).toEqual(['shop 0', 'shop 1', 'shop 2', 'shop 3']);
  });

  test('each step is the app at that step, and the steps make a safe progression', () => {
    const stages = Plan.synthSteps(plan.steps.length, new RatingsAtStep(props)) as any[][];
    const weights = stages.map(objects => objects.find(o => o.kind === 'VirtualService').spec.http[0].route.map((r: any) => r.weight));
    expect(weights).toEqual([[90, 10], [75, 25], [50, 50], [0, 100]]);
    expect(Verify.progression(stages)).toEqual([]);
  });

  test('no steps give no manifest sets, and call no builder', () => {
    const builder = new RatingsAtStep(props);
    expect(Plan.synthSteps(0, builder)).toEqual([]);
    expect(builder.calls).toEqual([]);
  });

  test('an error of the builder reaches the caller', () => {
    const builder: IStepBuilder = { buildStep: (chart, step) => new CanaryApp(chart, 'Ratings', { ...props, step: step + 3 }) };
    expect(() => Plan.synthSteps(2, builder)).toThrow('step must be a step of the plan, from 0 to 3, got 4');
  });

  test.each([
    ['the builder has no buildStep method', {}, 'Plan.synthSteps: builder must have a buildStep(chart, step) method, got {}; give an object that implements IStepBuilder'],
    ['the builder is missing', undefined, 'Plan.synthSteps: builder must have a buildStep(chart, step) method, got nothing'],
    ['the builder is a function', (() => undefined), 'Plan.synthSteps: builder must have a buildStep(chart, step) method, got a function'],
  ])('fails when %s', (_, builder, message) => {
    expect(() => Plan.synthSteps(2, builder as unknown as IStepBuilder)).toThrow(message);
  });

  test.each([
    ['count is negative', -1],
    ['count is not whole', 1.5],
    ['count is not a number', NaN],
  ])('fails when %s', (_, count) => {
    const builder = new RatingsAtStep(props);
    expect(() => Plan.synthSteps(count, builder))
      .toThrow(`synthSteps: count must be a whole number of steps from 0, got ${count}; give the number of steps of the plan, e.g. 4`);
    expect(() => synthSteps(count, () => undefined)).toThrow(`got ${count};`);
    expect(builder.calls).toEqual([]);
  });

  test('fails when synthSteps is given no function to build with', () => {
    expect(() => synthSteps(2, undefined as unknown as () => void)).toThrow('synthSteps: build must be a function, got nothing');
  });
});
