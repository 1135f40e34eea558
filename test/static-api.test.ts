import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CanaryApp, CanaryAppProps, CODES, Diagram, diagramMarkdown, diagramMermaid, diagramTable, DiagramOptions, IStepBuilder, Plan, Severity,
  synthSteps, Verify, verifyManifests, VerifyOptions, verifyProgression,
} from '../src';
import { verifyManifests as checkedVerifyManifests, verifyProgression as checkedVerifyProgression } from '../src/verify/verify';

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

/**
 * What JavaScript callers may pass: a wrong argument is refused with the entry's name, the field,
 * the value and a fix; never a TypeError. Entries of a list that are no objects stay findings, as
 * the documents of a YAML file may be.
 */
describe('entry checks', () => {
  const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };

  /** Every entry that takes a manifest list, each under its own name. */
  const LISTS: [string, (objects: unknown, options?: unknown) => unknown][] = [
    ['Verify.manifests', (objects, options) => Verify.manifests(objects as unknown[], options as VerifyOptions)],
    ['verifyManifests', (objects, options) => checkedVerifyManifests(objects as unknown[], options as VerifyOptions)],
    ['Verify.progression', (objects, options) => Verify.progression([[], objects as unknown[]], options as VerifyOptions)],
    ['verifyProgression', (objects, options) => checkedVerifyProgression([[], objects as unknown[]], options as VerifyOptions)],
    ['Diagram.markdown', (objects, options) => Diagram.markdown(objects as unknown[], 'app.yaml', options as DiagramOptions)],
    ['diagramMarkdown', (objects, options) => diagramMarkdown(objects as unknown[], 'app.yaml', options as DiagramOptions)],
    ['Diagram.mermaid', (objects, options) => Diagram.mermaid(objects as unknown[], options as DiagramOptions)],
    ['diagramMermaid', (objects, options) => diagramMermaid(objects as unknown[], options as DiagramOptions)],
    ['Diagram.table', (objects, options) => Diagram.table(objects as unknown[], options as DiagramOptions)],
    ['diagramTable', (objects, options) => diagramTable(objects as unknown[], options as DiagramOptions)],
  ];

  /** The field the list is in: progressions take it as their second stage. */
  const field = (entry: string) => (entry.endsWith('rogression') ? 'stages[1]' : 'objects');

  const NOT_LISTS: [unknown, string][] = [
    [null, 'null'], [undefined, 'nothing'], ['web', '"web"'], [5, '5'], [5n, '5n'], [Symbol('web'), 'Symbol(web)'], [{ kind: 'Service' }, '{"kind":"Service"}'],
    [() => [], 'a function'], [{ big: 1n }, 'an object that holds itself or a BigInt'],
    [{ long: 'x'.repeat(50) }, '{"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxx...'],
  ];

  describe.each(LISTS)('%s', (entry, call) => {
    test.each(NOT_LISTS)('fails when the objects are %p', (value, shown) => {
      expect(() => call(value)).toThrow(new Error(
        `${entry}: ${field(entry)} must be a list of Kubernetes objects, got ${shown}; give the manifests as an array, e.g. Testing.synth(chart)`));
    });

    test('fails when a value deep in a manifest is no JSON data, naming its path', () => {
      const objects = [SERVICE, { ...SERVICE, spec: { ports: [{ port: 80 }, { 'port number': 5n }] } }];
      expect(() => call(objects)).toThrow(new Error(`${entry}: ${field(entry)}[1].spec.ports[1]["port number"] must be JSON data `
        + '(an object, list, string, number, boolean or null), got 5n; give the manifests as a YAML or JSON parser returns them'));
    });

    test('fails when a manifest holds itself', () => {
      const looped: Record<string, unknown> = { ...SERVICE, spec: { selector: {} } };
      (looped.spec as Record<string, unknown>).again = looped;
      expect(() => call([looped])).toThrow(new Error(`${entry}: ${field(entry)}[0].spec.again must not hold itself, got a cycle back to `
        + `${field(entry)}[0]; give the manifests as JSON data, which has no cycles`));
    });

    test('fails when the options are no object', () => {
      const example = entry.toLowerCase().includes('diagram') ? '{ context: otherObjects }' : '{ defaultNamespace: "shop" }';
      expect(() => call([], 'shop')).toThrow(new Error(`${entry}: options must be an object, got "shop"; e.g. ${example}, or leave it out`));
      expect(() => call([], null)).toThrow(new Error(`${entry}: options must be an object, got null; e.g. ${example}, or leave it out`));
    });

    test('fails when the default namespace is no namespace name', () => {
      expect(() => call([], { defaultNamespace: 'Shop' })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got "Shop"; e.g. "shop"'));
      expect(() => call([], { defaultNamespace: '' })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got ""; e.g. "shop"'));
      expect(() => call([], { defaultNamespace: ['shop'] })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got ["shop"]; e.g. "shop"'));
    });

    test('takes entries that are no objects as findings or skips them, as YAML documents', () => {
      expect(() => call([null, undefined, 'text', 5, true, [1], {}, SERVICE], { defaultNamespace: 'shop' })).not.toThrow();
    });
  });

  test.each([
    ['a Symbol', Symbol('s'), 'Symbol(s)'],
    ['a function', () => undefined, 'a function'],
    ['a BigInt', 1n, '1n'],
  ])('fails when an entry of the list is %s', (_, value, shown) => {
    expect(() => Verify.manifests([SERVICE, value])).toThrow(new Error('Verify.manifests: objects[1] must be JSON data '
      + `(an object, list, string, number, boolean or null), got ${shown}; give the manifests as a YAML or JSON parser returns them`));
  });

  test('fails on the first value that is no JSON data, in document order', () => {
    expect(() => Verify.manifests([{ ...SERVICE, a: { b: [() => 1, Symbol('x')] }, c: 2n }])).toThrow(new Error('Verify.manifests: objects[0].a.b[0] must be JSON data '
      + '(an object, list, string, number, boolean or null), got a function; give the manifests as a YAML or JSON parser returns them'));
  });

  test('fails when a list holds itself', () => {
    const list: unknown[] = [SERVICE];
    list.push({ items: [list] });
    // Each entry is walked on its own: the cycle goes through the entry that holds the list.
    expect(() => Verify.manifests(list)).toThrow(new Error('Verify.manifests: objects[1].items[0][1] must not hold itself, got a cycle back to objects[1]; '
      + 'give the manifests as JSON data, which has no cycles'));
  });

  test('a cycle names the object it goes back to, deep inside', () => {
    const spec: Record<string, unknown> = { selector: {} };
    spec.more = { inner: [spec] };
    expect(() => Verify.manifests([{ ...SERVICE, spec }])).toThrow(new Error('Verify.manifests: objects[0].spec.more.inner[0] must not hold itself, '
      + 'got a cycle back to objects[0].spec; give the manifests as JSON data, which has no cycles'));
  });

  test('an object reached twice, as YAML aliases make them, is no cycle', () => {
    const labels = { app: 'web' };
    const shared = { ...SERVICE, spec: { selector: labels, other: labels } };
    expect(Verify.manifests([shared, { ...shared, metadata: { name: 'api' }, spec: shared.spec }], { defaultNamespace: 'shop' }))
      .toEqual(Verify.manifests(JSON.parse(JSON.stringify([shared, { ...shared, metadata: { name: 'api' }, spec: shared.spec }])), { defaultNamespace: 'shop' }));
  });

  test('a manifest nested deeper than the call stack reaches is no error', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => Verify.manifests([{ ...SERVICE, spec: { deep } }])).not.toThrow();
  });

  test.each([
    ['the externalHosts are no list', { externalHosts: 'api.example.com' },
      'options.externalHosts must be a list of hosts, got "api.example.com"; e.g. ["api.example.com"]'],
    ['an external host is no string', { externalHosts: ['a.example.com', 5] },
      'options.externalHosts[1] must be a host in lower case, exact or "*." and a domain, got 5; e.g. "api.example.com"'],
    ['an external host is no host', { externalHosts: ['API.example.com'] },
      'options.externalHosts[0] must be a host in lower case, exact or "*." and a domain, got "API.example.com"; e.g. "api.example.com"'],
    ['the externalGateways are no list', { externalGateways: 5 },
      'options.externalGateways must be a list of gateways, got 5; e.g. ["istio-system/public-gateway"]'],
    ['an external gateway has no namespace', { externalGateways: ['public-gateway'] },
      'options.externalGateways[0] must be a gateway as "namespace/name", got "public-gateway"; e.g. "istio-system/public-gateway"'],
    ['an external gateway has a path too many', { externalGateways: ['a/b/c'] },
      'options.externalGateways[0] must be a gateway as "namespace/name", got "a/b/c"; e.g. "istio-system/public-gateway"'],
    ['an external gateway has a namespace that is no name', { externalGateways: ['A/b'] },
      'options.externalGateways[0] must be a gateway as "namespace/name", got "A/b"; e.g. "istio-system/public-gateway"'],
    ['an external gateway has a name that is no name', { externalGateways: ['a/B'] },
      'options.externalGateways[0] must be a gateway as "namespace/name", got "a/B"; e.g. "istio-system/public-gateway"'],
    ['requireWeightSum100 is no boolean', { requireWeightSum100: 'yes' }, 'options.requireWeightSum100 must be true or false, got "yes"; e.g. true'],
  ])('fails when %s', (_, options, message) => {
    expect(() => Verify.manifests([], options as VerifyOptions)).toThrow(new Error(`Verify.manifests: ${message}`));
    expect(() => checkedVerifyProgression([], options as VerifyOptions)).toThrow(new Error(`verifyProgression: ${message}`));
  });

  test('takes every option it documents', () => {
    const options = { externalHosts: ['*', '*.example.com', 'api.example.com'], externalGateways: ['istio-system/public.gateway'], requireWeightSum100: false, defaultNamespace: 'shop' };
    expect(Verify.manifests([SERVICE], options)).toEqual(verifyManifests([SERVICE], options));
    expect(Verify.manifests([SERVICE], {})).toEqual(verifyManifests([SERVICE]));
  });

  test.each([
    ['Verify.progression', (stages: unknown) => Verify.progression(stages as unknown[][])],
    ['verifyProgression', (stages: unknown) => checkedVerifyProgression(stages as unknown[][])],
  ])('%s fails when the stages are no list, or a stage is none', (entry, call) => {
    expect(() => call({ 0: [] })).toThrow(new Error(`${entry}: stages must be a list of manifest sets, one per step, got {"0":[]}; e.g. Plan.synthSteps(4, builder)`));
    expect(() => call([[], [], 'step'])).toThrow(new Error(
      `${entry}: stages[2] must be a list of Kubernetes objects, got "step"; give the manifests as an array, e.g. Testing.synth(chart)`));
    expect(call([])).toEqual([]);
  });

  test.each([
    ['Diagram.markdown', (title: unknown) => Diagram.markdown([], title as string)],
    ['diagramMarkdown', (title: unknown) => diagramMarkdown([], title as string)],
  ])('%s fails when the title is no string', (entry, call) => {
    expect(() => call(undefined)).toThrow(new Error(`${entry}: title must be a string, got nothing; e.g. "app.k8s.yaml"`));
    expect(() => call(['app'])).toThrow(new Error(`${entry}: title must be a string, got ["app"]; e.g. "app.k8s.yaml"`));
  });

  test('a diagram\'s context is checked as its objects are', () => {
    expect(() => Diagram.table([], { context: 'web' as unknown as unknown[] })).toThrow(new Error(
      'Diagram.table: options.context must be a list of Kubernetes objects, got "web"; give the manifests as an array, e.g. Testing.synth(chart)'));
    expect(() => diagramMermaid([], { context: [SERVICE, { a: [1n] }] })).toThrow(new Error('diagramMermaid: options.context[1].a[0] must be JSON data '
      + '(an object, list, string, number, boolean or null), got 1n; give the manifests as a YAML or JSON parser returns them'));
    expect(() => Diagram.mermaid([], [] as DiagramOptions)).toThrow(new Error('Diagram.mermaid: options must be an object, got []; e.g. { context: otherObjects }, or leave it out'));
  });

  test('the options of verify say what to give', () => {
    expect(() => Verify.manifests([], 7 as VerifyOptions)).toThrow(new Error('Verify.manifests: options must be an object, got 7; e.g. { defaultNamespace: "shop" }, or leave it out'));
  });

  // Fails until src/verify/index.ts exports verifyManifests and verifyProgression from ./verify.
  test('the package exports the checked functions', () => {
    expect(verifyManifests).toBe(checkedVerifyManifests);
    expect(verifyProgression).toBe(checkedVerifyProgression);
  });
});
