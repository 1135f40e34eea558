import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CanaryApp, CanaryAppProps, CODES, Diagram, ISTIO_CODES, diagramMarkdown, diagramMermaid, diagramTable, DiagramOptions, IStepBuilder, Plan, Severity,
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

/** A finding as `<code> <object> <path>`, enough to tell which check found what where. */
const brief = (f: { code: string; object: string; path: string }) => `${f.code} ${f.object} ${f.path}`;

describe('Verify', () => {
  test('manifests finds what breaks traffic, sorted by object, path and code, and nothing in the fixed set', () => {
    const objects = [...BROKEN, ...loadFixture('seed-003-version-test-canary.yaml')];
    expect(Verify.manifests(objects).map(brief)).toEqual([
      'workload-selector-missing Deployment/default/nginx-1.10 spec.selector',
      'destination-rule-host-not-found DestinationRule/default/myapp spec.host',
      'port-protocol-unknown Service/default/canary spec.ports[0]',
      'service-selects-nothing Service/default/nginx spec.selector',
      'destination-host-not-found VirtualService/default/myapp spec.http[0].route[0].destination.host',
      'destination-host-not-found VirtualService/default/myapp spec.http[0].route[1].destination.host',
    ]);
    expect(Verify.manifests(FIXED)).toEqual([]);
  });

  test('manifests passes its options on: the namespace places the objects, and an external host is a destination', () => {
    expect(Verify.manifests(BROKEN, { defaultNamespace: 'web', externalHosts: ['myapp.web.svc.cluster.local'] }).map(brief)).toEqual([
      'workload-selector-missing Deployment/web/nginx-1.10 spec.selector',
      'service-selects-nothing Service/web/nginx spec.selector',
    ]);
  });

  test('progression finds each step\'s breaks and the breaks between steps, with the index of the step', () => {
    const stepAndCode = (f: { stage: number; code: string; object: string }) => `${f.stage} ${f.code} ${f.object}`;
    const stages = [BROKEN, FIXED, CANARY, []];
    const between = [
      '1 subset-removed-while-routed VirtualService/default/myapp', '1 subset-removed-while-routed VirtualService/default/myapp',
      '2 route-before-pods VirtualService/default/canary', '2 route-before-pods VirtualService/default/canary',
      '2 subset-removed-while-routed VirtualService/default/nginx', '2 subset-removed-while-routed VirtualService/default/nginx',
      '3 subset-removed-while-routed VirtualService/default/canary', '3 subset-removed-while-routed VirtualService/default/canary',
    ];
    expect(Verify.progression(stages).map(stepAndCode)).toEqual([...Verify.manifests(BROKEN).map(f => `0 ${f.code} ${f.object}`), ...between]);
    expect(Verify.progression(stages, { defaultNamespace: 'web' }).map(stepAndCode)).toContain('2 destination-host-not-found VirtualService/web/canary');
  });

  test('codes lists every code with its severity, as CODES does', () => {
    const codes = Verify.codes();
    expect(codes).toEqual(CODES);
    expect(codes['subset-not-found']).toBe(Severity.ERROR);
    expect(codes['subset-selects-many']).toBe(Severity.WARNING);
    for (const f of Verify.manifests(BROKEN)) expect(codes[f.code]).toBe(f.severity);
  });

  test('istioCodes maps the codes of faults Istio analyzes to its messages, and gives each finding its code', () => {
    const istio = Verify.istioCodes();
    expect(istio).toEqual(ISTIO_CODES);
    expect(istio['host-not-on-gateway']).toBe('IST0132');
    expect(istio['subset-selects-nothing']).toBe('IST0173');
    expect(istio['service-selects-nothing']).toBeUndefined();
    expect(Object.keys(istio).filter(code => !(code in CODES))).toEqual([]);
    expect(Object.values(istio).filter(code => !/^IST0\d{3}$/.test(code))).toEqual([]);
    const findings = Verify.manifests(BROKEN);
    expect(findings.map(f => [f.code, f.istioCode])).toContainEqual(['destination-host-not-found', 'IST0101']);
    expect(findings.filter(f => f.istioCode !== ISTIO_CODES[f.code as keyof typeof CODES])).toEqual([]);
    // A finding Istio has no message for has no istioCode at all, so JSON output leaves it out.
    expect(findings.find(f => f.code === 'service-selects-nothing')).not.toHaveProperty('istioCode');
    istio['host-not-on-gateway'] = 'IST0000';
    expect(Verify.istioCodes()['host-not-on-gateway']).toBe('IST0132');
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
    expect(() => Plan.synthSteps(2, builder)).toThrow(new Error('step/Ratings: step must be a step of the plan, from 0 to 3, got 4; count the steps from 0'));
  });

  const NO_BUILDER = 'give an object that implements IStepBuilder';

  test.each([
    ['the builder has no buildStep method', {}, `Plan.synthSteps: builder must have a buildStep(chart, step) method, got {}; ${NO_BUILDER}`],
    ['the builder is missing', undefined, `Plan.synthSteps: builder must have a buildStep(chart, step) method, got nothing; ${NO_BUILDER}`],
    ['the builder is a function', (() => undefined), `Plan.synthSteps: builder must have a buildStep(chart, step) method, got a function; ${NO_BUILDER}`],
  ])('fails when %s', (_, builder, message) => {
    expect(() => Plan.synthSteps(2, builder as unknown as IStepBuilder)).toThrow(new Error(message));
  });

  test.each([
    ['count is negative', -1],
    ['count is not whole', 1.5],
    ['count is not a number', NaN],
  ])('fails when %s, naming the entry called', (_, count) => {
    const builder = new RatingsAtStep(props);
    const problem = `count must be a whole number of steps from 0, got ${count}; give the number of steps of the plan, e.g. 4`;
    expect(() => Plan.synthSteps(count, builder)).toThrow(new Error(`Plan.synthSteps: ${problem}`));
    expect(() => synthSteps(count, () => undefined)).toThrow(new Error(`synthSteps: ${problem}`));
    expect(builder.calls).toEqual([]);
  });

  test('fails when synthSteps is given no function to build with', () => {
    expect(() => synthSteps(2, undefined as unknown as () => void)).toThrow(new Error(
      'synthSteps: build must be a function, got nothing; give (chart, step) => { ... }, which adds the app at step to chart'));
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
    [() => [], 'a function'], [{ big: 1n }, '{"big":1n}'], [new Map([['kind', 'Service']]), 'a Map'],
    [{ long: 'x'.repeat(300) }, `{"long":"${'x'.repeat(191)}…`],
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
      expect(() => call([looped])).toThrow(new Error(`${entry}: ${field(entry)}[0].spec.again must not be ${field(entry)}[0], which holds it, `
        + 'got {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{},"again":a circular reference}}; '
        + 'give the manifests as JSON data, which has no cycles'));
    });

    test('fails when the options are no object', () => {
      const example = entry.toLowerCase().includes('diagram') ? '{ context: otherObjects }' : '{ defaultNamespace: "shop" }';
      expect(() => call([], 'shop')).toThrow(new Error(`${entry}: options must be an object, got "shop"; e.g. ${example}, or leave it out`));
      expect(() => call([], null)).toThrow(new Error(`${entry}: options must be an object, got null; e.g. ${example}, or leave it out`));
      expect(() => call([], new Map([['defaultNamespace', 'shop']]))).toThrow(new Error(`${entry}: options must be an object, got a Map; e.g. ${example}, or leave it out`));
    });

    test('fails when the default namespace is no namespace name', () => {
      expect(() => call([], { defaultNamespace: 'Shop' })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got "Shop"; e.g. "shop"'));
      expect(() => call([], { defaultNamespace: '' })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got ""; e.g. "shop"'));
      expect(() => call([], { defaultNamespace: ['shop'] })).toThrow(new Error(`${entry}: options.defaultNamespace must be a namespace `
        + '(a DNS-1123 label: lower-case letters, digits and "-", at most 63), got ["shop"]; e.g. "shop"'));
    });

  });

  /** Entries as the documents of a YAML file may be: empty ones, scalars, a list, an object without a kind. */
  const NOT_OBJECTS = [null, undefined, 'text', 5, true, [1], {}];

  test('skips empty entries and takes the other entries that are no objects as findings', () => {
    const unidentified = (findings: { code: string; object: string }[]) => findings.filter(f => f.code === 'object-unidentified').map(f => f.object);
    const named = ['Unknown/shop/#2', 'Unknown/shop/#3', 'Unknown/shop/#4', 'Unknown/shop/#5', 'Unknown/shop/#6'];
    expect(unidentified(Verify.manifests([...NOT_OBJECTS, SERVICE], { defaultNamespace: 'shop' }))).toEqual(named);
    expect(unidentified(checkedVerifyProgression([[], [...NOT_OBJECTS, SERVICE]], { defaultNamespace: 'shop' }))).toEqual(named);
  });

  test('draws nothing for entries that are no objects', () => {
    const drawn = [...NOT_OBJECTS, SERVICE];
    expect(Diagram.markdown(drawn, 'app.yaml')).toBe(Diagram.markdown([SERVICE], 'app.yaml'));
    expect(Diagram.table(drawn)).toBe(Diagram.table([SERVICE]));
    expect(Diagram.table([SERVICE])).toContain('Service default/web');
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
    expect(() => Verify.manifests(list)).toThrow(new Error('Verify.manifests: objects[1].items[0][1] must not be objects[1], which holds it, '
      + 'got {"items":[[{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"}}},a circular reference]]}; '
      + 'give the manifests as JSON data, which has no cycles'));
  });

  test('a cycle names the object it goes back to, deep inside', () => {
    const spec: Record<string, unknown> = { selector: {} };
    spec.more = { inner: [spec] };
    expect(() => Verify.manifests([{ ...SERVICE, spec }])).toThrow(new Error('Verify.manifests: objects[0].spec.more.inner[0] must not be objects[0].spec, '
      + 'which holds it, got {"selector":{},"more":{"inner":[a circular reference]}}; give the manifests as JSON data, which has no cycles'));
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
    expect(Verify.manifests([{ ...SERVICE, spec: { ...SERVICE.spec, deep } }])).toEqual(Verify.manifests([SERVICE]));
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
    ['an external gateway has a name with a dot, which Istio refuses in a VirtualService', { externalGateways: ['istio-system/public.gateway'] },
      'options.externalGateways[0] must be a gateway as "namespace/name", got "istio-system/public.gateway"; e.g. "istio-system/public-gateway"'],
    ['the externalDelegates are no list', { externalDelegates: 'shop/api' },
      'options.externalDelegates must be a list of VirtualServices, got "shop/api"; e.g. ["shop/api-routes"]'],
    ...([
      ['has no namespace', 'api'],
      ['has a path too many', 'shop/api/v1'],
      ['has a namespace with a dot, which no namespace has', 'shop.eu/api'],
      ['has a name that is no object name', 'shop/Api'],
      ['is no string', null],
    ] as const).map(([what, value]): [string, unknown, string] => [`an external delegate ${what}`, { externalDelegates: [value] },
      `options.externalDelegates[0] must be a VirtualService as "namespace/name", got ${JSON.stringify(value)}; e.g. "shop/api-routes"`]),
    ['requireWeightSum100 is no boolean', { requireWeightSum100: 'yes' }, 'options.requireWeightSum100 must be true or false, got "yes"; e.g. true'],
    ['the defaultServiceExportTo is no list', { defaultServiceExportTo: '.' },
      'options.defaultServiceExportTo must be a list of namespaces, got "."; e.g. ["."]'],
    ['a defaultServiceExportTo entry is no string', { defaultServiceExportTo: ['.', 5] },
      'options.defaultServiceExportTo[1] must be a namespace, "." (the object\'s own), "*" (every one) or "~" (none), got 5; e.g. "."'],
    ['a defaultVirtualServiceExportTo entry is no namespace', { defaultVirtualServiceExportTo: ['Shop'] },
      'options.defaultVirtualServiceExportTo[0] must be a namespace, "." (the object\'s own), "*" (every one) or "~" (none), got "Shop"; e.g. "."'],
    ['the defaultDestinationRuleExportTo is no list', { defaultDestinationRuleExportTo: { shop: true } },
      'options.defaultDestinationRuleExportTo must be a list of namespaces, got {"shop":true}; e.g. ["."]'],
    ['the rootNamespace is no namespace', { rootNamespace: 'Istio-System' },
      'options.rootNamespace must be a namespace (a DNS-1123 label: lower-case letters, digits and "-", at most 63), got "Istio-System"; e.g. "istio-system"'],
    ['the rootNamespace is no string', { rootNamespace: ['istio-system'] },
      'options.rootNamespace must be a namespace (a DNS-1123 label: lower-case letters, digits and "-", at most 63), got ["istio-system"]; e.g. "istio-system"'],
    ['the defaultConfig is no object', { defaultConfig: 'dns' },
      'options.defaultConfig must be an object, got "dns"; e.g. { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } }'],
    ['the defaultConfig is null', { defaultConfig: null },
      'options.defaultConfig must be an object, got null; e.g. { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } }'],
    ['the proxyMetadata is no object', { defaultConfig: { proxyMetadata: ['ISTIO_META_DNS_CAPTURE'] } },
      'options.defaultConfig.proxyMetadata must be an object of strings, got ["ISTIO_META_DNS_CAPTURE"]; e.g. { ISTIO_META_DNS_CAPTURE: "true" }'],
    ['a proxyMetadata value is no string', { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: true } } },
      'options.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE must be a string, got true; e.g. "true"'],
    ['a proxyMetadata value under a name that is no identifier is no string', { defaultConfig: { proxyMetadata: { 'dns-capture': 1 } } },
      'options.defaultConfig.proxyMetadata["dns-capture"] must be a string, got 1; e.g. "true"'],
    ['a defaultVirtualServiceExportTo entry is empty', { defaultVirtualServiceExportTo: [''] },
      'options.defaultVirtualServiceExportTo[0] must be a namespace, "." (the object\'s own), "*" (every one) or "~" (none), got ""; e.g. "."'],
  ])('fails when %s', (_, options, message) => {
    expect(() => Verify.manifests([], options as VerifyOptions)).toThrow(new Error(`Verify.manifests: ${message}`));
    expect(() => checkedVerifyProgression([], options as VerifyOptions)).toThrow(new Error(`verifyProgression: ${message}`));
  });

  test('takes every option it documents', () => {
    const options = {
      externalHosts: ['*', '*.example.com', 'api.example.com'], externalGateways: ['istio-system/public-gateway'], requireWeightSum100: false, defaultNamespace: 'shop',
      defaultServiceExportTo: ['.', '*', '~', 'shop'], defaultVirtualServiceExportTo: ['~'], defaultDestinationRuleExportTo: ['.'], rootNamespace: 'istio-config',
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
    };
    expect(Verify.manifests([SERVICE], options).map(brief)).toEqual(['service-selects-nothing Service/shop/web spec.selector']);
    expect(Verify.manifests([SERVICE], {})).toEqual(Verify.manifests([SERVICE]));
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

  test('the package exports the checked functions', () => {
    expect(verifyManifests).toBe(checkedVerifyManifests);
    expect(verifyProgression).toBe(checkedVerifyProgression);
  });
});
