import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { CanaryApp, IstioGateway, RouteCheck, Severity, WarningPolicy } from '../src';
import { newChart } from './support/manifests';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

function reviews(chart: Chart): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, canaryWeight: 10 });
}

/** A VirtualService written by hand beside our constructs, as users do for one-off routes. */
function handMadeRoute(chart: Chart, host: string, subset: string, weights = [100], namespace?: string): ApiObject {
  return new ApiObject(chart, 'HandMade', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews-testers', namespace },
    spec: {
      hosts: ['reviews-testers.shop.svc.cluster.local'],
      http: [{ route: weights.map(weight => ({ destination: { host, subset }, weight })) }],
    },
  });
}

/** What `run` wrote to standard error, where the route check prints its warnings. */
function stderrOf(run: () => void): string {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    run();
    return write.mock.calls.map(([text]) => String(text)).join('');
  } finally {
    write.mockRestore();
  }
}

/** A chart whose one finding is a warning: a DestinationRule for a host nothing serves. */
function warnedChart(): Chart {
  const chart = newChart();
  reviews(chart);
  new ApiObject(chart, 'Orphan', {
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'orphan' }, spec: { host: 'orphan' },
  });
  return chart;
}

const ORPHAN = '[test] warning destination-rule-host-not-found: DestinationRule/shop/orphan (test/Orphan) spec.host: ';

describe('warnings at synth', () => {
  test('are printed by default, each once however often the chart is synthesized, and fail nothing', () => {
    const chart = warnedChart();
    const printed = stderrOf(() => {
      Testing.synth(chart);
      Testing.synth(chart);
    });
    expect(printed.startsWith(ORPHAN)).toBe(true);
    expect(printed.split('\n').filter(Boolean)).toHaveLength(1);
  });

  test('are printed with their control characters escaped, which a construct id may hold', () => {
    const chart = newChart();
    reviews(chart);
    new ApiObject(chart, 'Orphan\u001b[2J\u0085', {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'orphan' }, spec: { host: 'orphan' },
    });
    expect(stderrOf(() => Testing.synth(chart))).toBe('[test] warning destination-rule-host-not-found: DestinationRule/shop/orphan '
      + '(test/Orphan\\u001b[2J\\u0085) spec.host: host orphan resolves to orphan.shop.svc.cluster.local, which is not a Service in the set, '
      + 'so this rule applies to nothing; name an existing service (short names resolve in the rule\'s own namespace) or add the service\n');
  });

  test('fail the synth under WarningPolicy.ERROR, in the form of cdk8s\'s errors', () => {
    const chart = warnedChart();
    RouteCheck.of(chart).treatWarnings(WarningPolicy.ERROR);
    let thrown: unknown;
    const printed = stderrOf(() => { try { Testing.synth(chart); } catch (error) { thrown = error; } });
    expect(String(thrown)).toContain(`Validation failed with the following errors:\n  ${ORPHAN}`);
    expect(printed).toBe('');
  });

  test('are quiet under WarningPolicy.IGNORE, and still listed by findings()', () => {
    const chart = warnedChart();
    RouteCheck.of(chart).treatWarnings(WarningPolicy.IGNORE);
    expect(stderrOf(() => Testing.synth(chart))).toBe('');
    expect(RouteCheck.of(chart).findings().map(f => f.code)).toEqual(['destination-rule-host-not-found']);
  });

  test('are printed again after the policy goes back to PRINT', () => {
    const chart = warnedChart();
    RouteCheck.of(chart).treatWarnings(WarningPolicy.IGNORE);
    stderrOf(() => Testing.synth(chart));
    RouteCheck.of(chart).treatWarnings(WarningPolicy.PRINT);
    expect(stderrOf(() => Testing.synth(chart)).startsWith(ORPHAN)).toBe(true);
  });

  test('fails when the policy is not a WarningPolicy', () => {
    expect(() => RouteCheck.of(newChart()).treatWarnings('loud' as WarningPolicy)).toThrow(
      'test: warningPolicy must be one of ["print","error","ignore"], got "loud"; use e.g. "print"');
  });
});

describe('RouteCheck', () => {
  test('fails when an external host or gateway is not one, naming the method', () => {
    const check = RouteCheck.of(newChart());
    const host = (shown: string) => new Error(
      `RouteCheck.addExternalHost: host must be a host in lower case, exact or "*." and a domain, got ${shown}; e.g. "ratings.other.svc.cluster.local"`);
    const gateway = (shown: string) => new Error(`RouteCheck.addExternalGateway: gatewayRef must be "namespace/name", got ${shown}; e.g. "istio-system/public-gateway"`);
    expect(() => check.addExternalHost('API.example.com')).toThrow(host('"API.example.com"'));
    expect(() => check.addExternalHost(7 as never)).toThrow(host('7'));
    // Istio holds each label of a host to 63 characters.
    expect(() => check.addExternalHost(`${'a'.repeat(64)}.example.com`)).toThrow(host(`"${'a'.repeat(64)}.example.com"`));
    expect(() => check.addExternalGateway('public-gateway')).toThrow(gateway('"public-gateway"'));
    expect(() => check.addExternalGateway(null as never)).toThrow(gateway('null'));
    // Istio refuses a dot in the name of a Gateway that a VirtualService names.
    expect(() => check.addExternalGateway('edge/public.gateway')).toThrow(gateway('"edge/public.gateway"'));
    check.addExternalHost(`*.${'a'.repeat(63)}.svc.cluster.local`);
    check.addExternalGateway('edge/public');
    expect(check.findings()).toEqual([]);
  });

  test('fails when an external delegate is not "namespace/name", naming the method; a declared one is not reported', () => {
    const chart = newChart();
    const check = RouteCheck.of(chart);
    const refused = (shown: string) => new Error(
      `RouteCheck.addExternalDelegate: virtualServiceRef must be a VirtualService as "namespace/name", got ${shown}; e.g. "shop/api-routes"`);
    expect(() => check.addExternalDelegate('api-routes')).toThrow(refused('"api-routes"'));
    expect(() => check.addExternalDelegate(['shop/api'] as never)).toThrow(refused('["shop/api"]'));
    new ApiObject(chart, 'Root', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'root' },
      spec: { hosts: ['api.example.com'], gateways: ['edge/public'], http: [{ delegate: { name: 'api.v1', namespace: 'team' } }] },
    });
    check.addExternalGateway('edge/public');
    expect(check.findings().map(f => f.code)).toEqual(['delegate-not-found']);
    check.addExternalDelegate('team/api.v1');
    expect(check.findings()).toEqual([]);
  });

  test('fails when the chart\'s namespace is not a DNS-1123 label, even where the app names its own', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'Shop' });
    expect(() => new CanaryApp(chart, 'Web', { namespace: 'shop', stable: v1 })).toThrow(
      'test/Web: namespace of chart test must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "Shop"; give the chart a namespace such as "shop"');
    expect(() => RouteCheck.of(new Chart(Testing.app(), 'other', { namespace: 'a'.repeat(64) }))).toThrow(new Error(
      'other: namespace of chart other must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), '
      + `got "${'a'.repeat(64)}"; give the chart a namespace such as "shop"`));
    expect(RouteCheck.of(new Chart(Testing.app(), 'fine', { namespace: 'a'.repeat(63) }))).toBeInstanceOf(RouteCheck);
  });

  test('fails when a hand-made VirtualService in the chart names a missing subset, and writes no file', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-check-'));
    const app = new App({ outdir });
    reviews(new Chart(app, 'good', { namespace: 'shop' }));
    const bad = new Chart(app, 'bad', { namespace: 'shop' });
    reviews(bad);
    handMadeRoute(bad, 'reviews', 'v3');
    expect(() => app.synth()).toThrow(
      '[bad] error subset-not-found: VirtualService/shop/reviews-testers (bad/HandMade) spec.http[0].route[0].destination.subset: ');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('passes a chart whose hand-made objects route to our subsets', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews', 'v2');
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });

  test('fails when a hand-made Service selects none of the pods', () => {
    const chart = newChart();
    reviews(chart);
    new ApiObject(chart, 'Orphan', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan' },
      spec: { selector: { run: 'reviews' }, ports: [{ name: 'http', port: 80 }] },
    });
    expect(() => Testing.synth(chart)).toThrow('error service-selects-nothing: Service/shop/orphan (test/Orphan) spec.selector');
  });

  test('treats a fromName gateway as existing outside the chart', () => {
    const chart = newChart();
    new CanaryApp(chart, 'Reviews', { stable: v1, gateway: IstioGateway.fromName('istio-system/public-gateway'), hosts: ['reviews.example.com'] });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails when a hand-made VirtualService binds to a gateway outside the chart, until it is declared external', () => {
    const hand = newChart();
    reviews(hand);
    new ApiObject(hand, 'HandMade', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews-edge' },
      spec: { hosts: ['reviews.example.com'], gateways: ['edge/public'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
    });
    expect(() => Testing.synth(hand)).toThrow('error gateway-not-found: VirtualService/shop/reviews-edge (test/HandMade)');
    RouteCheck.of(hand).addExternalGateway('edge/public');
    expect(() => Testing.synth(hand)).not.toThrow();
  });

  test('treats a gateway in another chart as existing outside this one', () => {
    const app = Testing.app();
    const gateway = new IstioGateway(new Chart(app, 'edge', { namespace: 'istio-system' }), 'Gateway', { hosts: ['*.example.com'] });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryApp(chart, 'Reviews', { stable: v1, gateway, hosts: ['reviews.example.com'] });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails when a destination lives outside the chart, until it is declared external', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'ratings.other.svc.cluster.local', 'v1');
    expect(() => Testing.synth(chart)).toThrow('error destination-host-not-found');
    RouteCheck.of(chart).addExternalHost('ratings.other.svc.cluster.local');
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails when a route from another namespace reaches a Service the mesh\'s default exportTo hides there, until the mesh is described otherwise', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews.shop.svc.cluster.local', 'v1', [100], 'frontend');
    expect(() => Testing.synth(chart)).not.toThrow();
    const defaults = ['.'];
    RouteCheck.of(chart).useMeshConfig({ defaultServiceExportTo: defaults, defaultVirtualServiceExportTo: ['*'] });
    // The check keeps its own copy: a list changed after the call changes nothing.
    defaults.push('frontend');
    expect(() => Testing.synth(chart)).toThrow('error destination-host-not-exported: VirtualService/frontend/reviews-testers (test/HandMade) '
      + 'spec.http[0].route[0].destination.host: host reviews.shop.svc.cluster.local is not exported to namespace frontend, this VirtualService\'s own: '
      + 'Service/shop/reviews has no annotation networking.istio.io/exportTo, so the mesh\'s defaultServiceExportTo applies: ["."]');
    RouteCheck.of(chart).useMeshConfig({ defaultVirtualServiceExportTo: ['.'] });
    expect(() => Testing.synth(chart)).not.toThrow();
    // The app's DestinationRule defines the subset the hand-made route takes.
    RouteCheck.of(chart).useMeshConfig({ defaultDestinationRuleExportTo: ['.'] });
    expect(() => Testing.synth(chart)).toThrow('error destination-rule-not-exported: VirtualService/frontend/reviews-testers (test/HandMade) '
      + 'spec.http[0].route[0].destination.subset: subset v1 is defined by DestinationRule/shop/reviews, not exported to namespace frontend');
  });

  test('fails when a namespace-wide DestinationRule where a hand-made route applies hides the app\'s subsets, until it covers that namespace alone', async () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews.shop.svc.cluster.local', 'v1', [100], 'frontend');
    const mtls = new ApiObject(chart, 'Mtls', {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'mtls', namespace: 'frontend' },
      spec: { host: '*.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
    });
    expect(() => Testing.synth(chart)).toThrow('error destination-rule-shadowed: VirtualService/frontend/reviews-testers (test/HandMade) '
      + 'spec.http[0].route[0].destination.subset: subset v1 is defined by DestinationRule/shop/reviews, but in namespace frontend, this VirtualService\'s own, '
      + 'Istio takes DestinationRule/frontend/mtls (host *.local) for reviews.shop.svc.cluster.local instead, which defines no subsets');
    mtls.addJsonPatch(JsonPatch.replace('/spec/host', '*.frontend.svc.cluster.local'));
    // The answer of a synth is kept until its task ends, and the patch is deeper than the chart's children.
    await new Promise(resolve => setImmediate(resolve));
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('takes the mesh\'s rootNamespace, whose DestinationRules every proxy consults, until a later call leaves it out', () => {
    const chart = newChart();
    const host = 'api.payments.example.com';
    new ApiObject(chart, 'Entry', {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'payments', namespace: 'payments' },
      spec: { hosts: [host], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' },
    });
    new ApiObject(chart, 'Rule', {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'payments', namespace: 'ops' },
      spec: { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    });
    handMadeRoute(chart, host, 'v1', [100], 'frontend');
    const codes = () => RouteCheck.of(chart).findings().map(f => f.code);
    expect(codes()).toEqual(['destination-rule-not-consulted']);
    RouteCheck.of(chart).useMeshConfig({ rootNamespace: 'ops' });
    expect(codes()).toEqual([]);
    RouteCheck.of(chart).useMeshConfig({});
    expect(codes()).toEqual(['destination-rule-not-consulted']);
  });

  test('takes a copy of the mesh\'s proxyMetadata, whose DNS capture gives ServiceEntries addresses, until a later call leaves it out', () => {
    const chart = newChart();
    new ApiObject(chart, 'Entry', {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'db', namespace: 'payments' },
      spec: { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp-db', protocol: 'TCP' }], resolution: 'DNS' },
    });
    const codes = () => RouteCheck.of(chart).findings().map(f => f.code);
    expect(codes()).toEqual(['service-entry-addresses-required']);
    const proxyMetadata: { [name: string]: string } = { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' };
    RouteCheck.of(chart).useMeshConfig({ defaultConfig: { proxyMetadata } });
    proxyMetadata.ISTIO_META_DNS_CAPTURE = 'false';
    expect(codes()).toEqual([]);
    RouteCheck.of(chart).useMeshConfig({ rootNamespace: 'istio-system', defaultConfig: {} });
    expect(codes()).toEqual(['service-entry-addresses-required']);
    expect(() => RouteCheck.of(chart).useMeshConfig({ defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: true } } } as never)).toThrow(new Error(
      'RouteCheck.useMeshConfig: config.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE must be a string, got true; e.g. "true"'));
  });

  test('fails when the mesh config is no object or holds an exportTo that is none, naming the method', () => {
    const check = RouteCheck.of(newChart());
    expect(() => check.useMeshConfig('.' as never)).toThrow(new Error(
      'RouteCheck.useMeshConfig: config must be an object, got "."; e.g. { defaultServiceExportTo: ["."] }'));
    const wrong: [unknown, string][] = [[null, 'null'], [undefined, 'nothing'], [[], '[]'], [Symbol('s'), 'Symbol(s)'], [new Date(0), 'new Date("1970-01-01T00:00:00.000Z")']];
    for (const [value, shown] of wrong) {
      expect(() => check.useMeshConfig(value as never)).toThrow(new Error(
        `RouteCheck.useMeshConfig: config must be an object, got ${shown}; e.g. { defaultServiceExportTo: ["."] }`));
    }
    expect(() => check.useMeshConfig({ defaultDestinationRuleExportTo: null as never })).toThrow(new Error(
      'RouteCheck.useMeshConfig: config.defaultDestinationRuleExportTo must be a list of namespaces, got null; e.g. ["."]'));
    expect(() => check.useMeshConfig({ defaultVirtualServiceExportTo: ['.', 'Shop'] })).toThrow(new Error('RouteCheck.useMeshConfig: '
      + 'config.defaultVirtualServiceExportTo[1] must be a namespace, "." (the object\'s own), "*" (every one) or "~" (none), got "Shop"; e.g. "."'));
    expect(() => check.useMeshConfig({ rootNamespace: 'istio system' })).toThrow(new Error('RouteCheck.useMeshConfig: '
      + 'config.rootNamespace must be a namespace (a DNS-1123 label: lower-case letters, digits and "-", at most 63), got "istio system"; e.g. "istio-system"'));
  });

  test('requires weights that add up to 100 only when asked, for meshes older than Istio 1.15', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews', 'v1', [50, 40]);
    expect(() => Testing.synth(chart)).not.toThrow();
    RouteCheck.of(chart).requireWeightSum100();
    expect(() => Testing.synth(chart)).toThrow('error weight-sum-not-100');
  });

  test('can be turned off for a chart', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews', 'v3');
    RouteCheck.of(chart).disable();
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(RouteCheck.of(chart).findings().map(f => f.code)).toEqual(['subset-not-found']);
  });

  test('reports warnings through findings() without failing the synth', () => {
    const chart = newChart();
    reviews(chart);
    new ApiObject(chart, 'Plain', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews-plain' },
      spec: { selector: { app: 'reviews' }, ports: [{ port: 9080 }] },
    });
    handMadeRoute(chart, 'reviews-plain', 'v1');
    const printed = stderrOf(() => expect(() => Testing.synth(chart)).toThrow('error subset-not-found'));
    const warnings = RouteCheck.of(chart).findings().filter(f => f.severity === Severity.WARNING);
    expect(warnings.map(f => f.code)).toEqual(['port-protocol-unknown']);
    expect(printed).toMatch(/^\[test\] warning port-protocol-unknown: Service\/shop\/reviews-plain \(test\/Plain\) spec.ports\[0\]: port 9080/);
  });

  test('sees constructs added after an earlier synth', () => {
    const chart = newChart();
    reviews(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    handMadeRoute(chart, 'reviews', 'v3');
    expect(() => Testing.synth(chart)).toThrow('error subset-not-found');
  });

  test('sees escape-hatch patches made after an earlier synth, in a later task', async () => {
    const chart = newChart();
    const app = reviews(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    await Promise.resolve();
    app.virtualService!.addJsonPatch(JsonPatch.replace('/spec/http/0/route/1/destination/subset', 'v3'));
    expect(() => Testing.synth(chart)).toThrow('error subset-not-found: VirtualService/shop/reviews (test/Reviews/VirtualService) spec.http[0].route[1].destination.subset');
  });

  test('is one per chart, and takes no construct id', () => {
    const chart = newChart();
    reviews(chart);
    new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] });
    expect(RouteCheck.of(chart)).toBe(RouteCheck.of(chart.node.findChild('Reviews')));
    expect(chart.node.children.map(c => c.node.id)).toEqual(['Reviews', 'Gateway']);
    expect(() => new CanaryApp(chart, 'RouteCheck', { name: 'ratings', stable: v1 })).not.toThrow();
  });

  test('fails when two apps in one chart would emit the same object, naming both', () => {
    const chart = newChart();
    new CanaryApp(chart, 'Web', { name: 'web-x', stable: v1 });
    expect(() => new CanaryApp(chart, 'Other', { name: 'web', stable: { image: 'x', version: 'x-v1' } }))
      .toThrow('test/Other: name clashes with test/Web, which makes the same apps/v1 Deployment, got "shop/web-x-v1"; give the apps names (and versions) that make different object names');
  });

  test('fails when two apps in one chart route the same host, which sidecars would take from only one', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] });
    new CanaryApp(chart, 'Reviews', { stable: v1, gateway });
    expect(() => new CanaryApp(chart, 'Ratings', { stable: v1, gateway }))
      .toThrow('test/Ratings: hosts clashes with test/Reviews, which routes the same host in the mesh, got "shop.example.com"');
  });
});

describe('the JSON the route check reads', () => {
  /** How often each object of the chart made its JSON while `step` ran. */
  function jsonMade(chart: Chart, step: () => void): number[] {
    const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const made = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      step();
      return objects.map(object => made.mock.contexts.filter(context => context === object).length);
    } finally {
      made.mockRestore();
    }
  }

  test('is the JSON cdk8s writes: each object makes its JSON once per synth, for the check and the file alike', () => {
    const chart = newChart();
    reviews(chart);
    handMadeRoute(chart, 'reviews', 'v2');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-check-json-'));
    const app = chart.node.scope as App;
    Object.assign(app, { outdir });
    const counts = jsonMade(chart, () => app.synth());
    expect(counts.length).toBeGreaterThan(4);
    expect(counts.every(count => count === 1)).toBe(true);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('is handed over once: a second toJson of the chart in the same task gives new objects, with changes made since', () => {
    const chart = newChart();
    const route = handMadeRoute(chart, 'reviews', 'v1');
    reviews(chart);
    const first = Testing.synth(chart);
    route.metadata.addLabel('team', 'shop');
    const second = Testing.synth(chart);
    const named = (objects: any[]) => objects.find(o => o.metadata.name === 'reviews-testers');
    expect(named(second).metadata.labels).toEqual({ team: 'shop' });
    expect(named(first).metadata.labels).toBeUndefined();
    expect(second).not.toBe(first);
    second.forEach((object, i) => expect(object).not.toBe(first[i]));
  });

  test('is made anew in a later task, when the synth that made it failed before writing it', async () => {
    const chart = newChart();
    reviews(chart);
    const route = handMadeRoute(chart, 'reviews', 'v3');
    expect(() => Testing.synth(chart)).toThrow('error subset-not-found');
    await Promise.resolve();
    route.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/subset', 'v1'));
    expect(route.toJson().spec.http[0].route[0].destination.subset).toBe('v1');
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
