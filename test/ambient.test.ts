import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  BlueGreenApp, CanaryApp, CanaryAppProps, Color, DataPlane, IstioGateway, ReleaseController, RouteCheck, RouteMatch, RouteTarget, TrafficApi, Waypoint,
} from '../src';
import { expectSound, find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const AMBIENT = DataPlane.AMBIENT;
const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

const reviewsProps = (props: Partial<CanaryAppProps> = {}): CanaryAppProps => ({
  port: 9080, stable: v1, canary: v2, canaryWeight: 10, dataPlane: AMBIENT, ...props,
});

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', reviewsProps(props));
}

const labelsOf = (objects: Manifest[], kind: string, name: string) => find(objects, kind, name).metadata.labels;

describe('DataPlane.AMBIENT: a canary without sidecars, routed by a waypoint', () => {
  const chart = newChart();
  const app = reviews(chart);
  const objects = Testing.synth(chart);

  test('makes a waypoint of its own, reviews-waypoint, ahead of everything it serves', () => {
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'Service', 'HTTPRoute']);
    expect(objects[0]).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'reviews-waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    expect(app.waypoint).toBeInstanceOf(Waypoint);
    expect(app.waypoint!.node.path).toBe('test/Reviews/Waypoint');
    expect(ApiObject.of(app.waypoint!).kind).toBe('Gateway');
    expect(app.waypoint!.waypointRef).toBe('shop/reviews-waypoint');
    expectValidManifests(objects);
  });

  test('routes with the Gateway API unless told otherwise, and says so', () => {
    expect(app.dataPlane).toBe(AMBIENT);
    expect(app.trafficApi).toBe(TrafficApi.GATEWAY_API);
    expect(find(objects, 'HTTPRoute', 'reviews').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
  });

  test('enrols the app Service in the waypoint\'s own namespace by name alone', () => {
    expect(labelsOf(objects, 'Service', 'reviews')).toEqual({ 'app': 'reviews', 'istio.io/use-waypoint': 'reviews-waypoint' });
  });

  test('labels the pods into ambient and out of sidecar injection', () => {
    expect(find(objects, 'Deployment', 'reviews-v2').spec.template.metadata.labels).toEqual({
      'app': 'reviews', 'version': 'v2', 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'false',
    });
  });

  test('keeps the pods\' other labels', () => {
    const own = synth(c => reviews(c, { podLabels: { team: 'books' }, canary: { ...v2, podLabels: { canary: 'yes' } } }));
    expect(find(own, 'Deployment', 'reviews-v2').spec.template.metadata.labels).toMatchObject({ 'team': 'books', 'canary': 'yes', 'istio.io/dataplane-mode': 'ambient' });
  });
});

describe('with sidecars, the default, nothing of ambient is emitted', () => {
  test('no waypoint, no enrolment, no data-plane labels', () => {
    const chart = newChart();
    const app = reviews(chart, { dataPlane: undefined });
    const objects = Testing.synth(chart);
    expect(app.dataPlane).toBe(DataPlane.SIDECAR);
    expect(app.waypoint).toBeUndefined();
    expect(app.trafficApi).toBe(TrafficApi.ISTIO);
    expect(JSON.stringify(objects)).not.toMatch(/waypoint|dataplane-mode|sidecar\.istio\.io/);
  });
});

describe('a waypoint shared, imported, or in another namespace', () => {
  test('several apps share a namespace\'s waypoint, emitted once', () => {
    const objects = synth(chart => {
      const waypoint = new Waypoint(chart, 'Waypoint');
      reviews(chart, { waypoint });
      new CanaryApp(chart, 'Ratings', { ...reviewsProps({ waypoint }), name: 'ratings' });
    });
    expect(objects.filter(o => o.kind === 'Gateway').map(o => o.metadata.name)).toEqual(['waypoint']);
    expect(labelsOf(objects, 'Service', 'reviews')['istio.io/use-waypoint']).toBe('waypoint');
    expect(labelsOf(objects, 'Service', 'ratings')['istio.io/use-waypoint']).toBe('waypoint');
  });

  test('a waypoint in another namespace is named with istio.io/use-waypoint-namespace as well', () => {
    const objects = synth(chart => reviews(chart, { waypoint: new Waypoint(chart, 'Shared', { name: 'egress', waypointNamespace: 'mesh' }) }));
    expect(find(objects, 'Gateway', 'egress').metadata.namespace).toBe('mesh');
    expect(labelsOf(objects, 'Service', 'reviews')).toEqual({
      'app': 'reviews', 'istio.io/use-waypoint': 'egress', 'istio.io/use-waypoint-namespace': 'mesh',
    });
  });

  test('an app without a namespace names the waypoint\'s, default', () => {
    const objects = synth(chart => reviews(chart), {});
    expect(find(objects, 'Gateway', 'reviews-waypoint').metadata.namespace).toBe('default');
    expect(labelsOf(objects, 'Service', 'reviews')['istio.io/use-waypoint-namespace']).toBe('default');
  });

  test('an imported waypoint emits nothing, and the route check knows it exists', () => {
    const chart = newChart();
    const waypoint = Waypoint.fromWaypointName(chart, 'Waypoint', 'waypoint');
    reviews(chart, { waypoint });
    const objects = Testing.synth(chart);
    expect(objects.filter(o => o.kind === 'Gateway')).toEqual([]);
    expect(waypoint.waypointRef).toBe('shop/waypoint');
    expect(Waypoint.fromWaypointName(chart, 'Other', 'w', 'mesh').waypointRef).toBe('mesh/w');
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });

  test('a waypoint made in another chart counts as outside this one', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform', { namespace: 'shop' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    reviews(shop, { waypoint: new Waypoint(platform, 'Waypoint') });
    expect(Testing.synth(shop).filter(o => o.kind === 'Gateway')).toEqual([]);
    expect(RouteCheck.of(shop).findings()).toEqual([]);
  });

  test('the route check finds a Service enrolled with a waypoint it cannot see', () => {
    const chart = newChart();
    const app = reviews(chart);
    app.waypoint!.node.tryRemoveChild('Resource');
    expect(RouteCheck.of(chart).findings().map(f => `${f.code} ${f.object} ${f.path}`))
      .toEqual(['waypoint-not-found Service/shop/reviews metadata.labels["istio.io/use-waypoint"]']);
  });
});

describe('ambient behind an Istio Gateway: its VirtualService routes the ingress, HTTPRoutes the mesh', () => {
  const chart = newChart();
  const gateway = new IstioGateway(chart, 'Gateway', { name: 'public', hosts: ['reviews.example.com'] });
  const app = reviews(chart, { gateway, additionalPorts: [{ port: 9090, name: 'http-admin' }] });
  const objects = Testing.synth(chart);

  test('takes the gateway\'s API for the ingress', () => {
    expect(app.trafficApi).toBe(TrafficApi.ISTIO);
    expect(kinds(objects)).toEqual(['Gateway', 'Gateway', 'Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService',
      'Service', 'Service', 'HTTPRoute', 'HTTPRoute']);
    expectValidManifests(objects);
  });

  test('the VirtualService is the gateway\'s alone, for the external hosts, on the primary port', () => {
    const vs = find(objects, 'VirtualService', 'reviews').spec;
    expect(vs.gateways).toEqual(['shop/public']);
    expect(vs.hosts).toEqual(['reviews.example.com']);
    expect(vs.http).toEqual([{
      name: 'primary',
      route: [
        { destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v1', port: { number: 9080 } }, weight: 90 },
        { destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v2', port: { number: 9080 } }, weight: 10 },
      ],
    }]);
  });

  test('the mesh routes each port with an HTTPRoute on the enrolled Service, over the per-version Services', () => {
    expect(find(objects, 'HTTPRoute', 'reviews').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(find(objects, 'HTTPRoute', 'reviews-http-admin').spec.rules[0].backendRefs).toEqual([
      { name: 'reviews-v1', port: 9090, weight: 90 }, { name: 'reviews-v2', port: 9090, weight: 10 },
    ]);
    expect(labelsOf(objects, 'Service', 'reviews')['istio.io/use-waypoint']).toBe('reviews-waypoint');
    expect(app.httpRoute).toBe(ApiObject.of(app));
    expect(app.virtualService!.kind).toBe('VirtualService');
  });

  test('passes the route check: no finding, warnings included', () => {
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });

  test('a gateway known by name binds the Service host alone, as with sidecars', () => {
    const named = synth(c => reviews(c, { gateway: IstioGateway.fromName('istio-system/public-gateway') }));
    expect(find(named, 'VirtualService', 'reviews').spec).toMatchObject({ gateways: ['istio-system/public-gateway'], hosts: ['reviews.shop.svc.cluster.local'] });
  });
});

describe('Flagger in ambient: its Gateway API provider, on the Service that Flagger makes and enrols', () => {
  const chart = newChart();
  const gateway = IstioGateway.fromName('istio-ingress/public', TrafficApi.GATEWAY_API);
  reviews(chart, { controller: ReleaseController.FLAGGER, gateway, hosts: ['reviews.example.com'], plan: { steps: [10, 50] }, canaryWeight: undefined });
  const objects = expectSound(chart);

  test('the Canary attaches to the gateway and to the Service, and labels that Service with the waypoint', () => {
    const canary = find(objects, 'Canary', 'reviews').spec;
    expect(canary.provider).toBe('gatewayapi:v1');
    expect(canary.service.gatewayRefs).toEqual([{ name: 'public', namespace: 'istio-ingress' }, { group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(canary.service.apex).toEqual({ labels: { 'istio.io/use-waypoint': 'reviews-waypoint' } });
  });

  test('the waypoint comes first, and the pods Flagger copies into its primary are in ambient mode', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/reviews-waypoint', 'Deployment/reviews', 'Canary/reviews']);
    expect(find(objects, 'Deployment', 'reviews').spec.template.metadata.labels).toMatchObject({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('with sidecars the Service Flagger makes is left as Flagger writes it', () => {
    const sidecar = newChart();
    reviews(sidecar, { dataPlane: undefined, trafficApi: TrafficApi.GATEWAY_API, controller: ReleaseController.FLAGGER, plan: { steps: [10] }, canaryWeight: undefined });
    expect(find(expectSound(sidecar), 'Canary', 'reviews').spec.service.apex).toBeUndefined();
  });
});

describe('blue/green in ambient', () => {
  test('the HTTPRoute on the Service sends everything to the active colour, through the waypoint', () => {
    const objects = synth(chart => new BlueGreenApp(chart, 'Web', {
      blue: { image: 'web:1.0', version: '1.0' }, green: { image: 'web:1.1', version: '1.1' }, active: Color.GREEN, dataPlane: AMBIENT,
    }));
    expect(labelsOf(objects, 'Service', 'web')['istio.io/use-waypoint']).toBe('web-waypoint');
    expect(find(objects, 'HTTPRoute', 'web').spec.rules[0].backendRefs).toEqual([
      { name: 'web-blue', port: 80, weight: 0 }, { name: 'web-green', port: 80, weight: 100 },
    ]);
    expectValidManifests(objects);
  });

  test('with Argo CD sync waves the waypoint goes with the workloads, ahead of the Service it serves', () => {
    const objects = synth(chart => reviews(chart, { syncWaves: true }));
    const wave = (kind: string, name: string) => find(objects, kind, name).metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect([wave('Gateway', 'reviews-waypoint'), wave('Deployment', 'reviews-v1'), wave('Service', 'reviews'), wave('HTTPRoute', 'reviews')])
      .toEqual(['0', '0', '1', '3']);
  });
});

describe('what ambient refuses, by name', () => {
  const build = (props: Partial<CanaryAppProps>) => () => reviews(newChart(), props);
  const refused: [string, Partial<CanaryAppProps>, string][] = [
    ['trafficApi is Istio\'s and there is no gateway for it to route', { trafficApi: TrafficApi.ISTIO },
      'trafficApi is TrafficApi.ISTIO, which with DataPlane.AMBIENT routes only the ingress, through an Istio Gateway, and the app has no gateway: '
      + 'in the mesh a waypoint applies HTTPRoutes on the Service, got "istio"; leave trafficApi out, or give the app an IstioGateway'],
    ['a route policy holds a fault, which the waypoint\'s HTTPRoute cannot carry', { routePolicy: { fault: { abortHttpStatus: 503 } } },
      'routePolicy.fault has no Gateway API equivalent: HTTPRoute has no fault injection, got {"abort":{"httpStatus":503,"percentage":{"value":100}}}; '
      + 'leave fault out, or use DataPlane.SIDECAR'],
    ['Argo Rollouts runs the release', { controller: ReleaseController.ARGO_ROLLOUTS },
      'controller is argo-rollouts, which moves traffic by editing Istio VirtualServices, and with DataPlane.AMBIENT only a waypoint applies those, '
      + 'as an alpha feature of Istio, got "argo-rollouts"; leave controller out and walk the plan in Git with step, or use DataPlane.SIDECAR'],
    ['Flagger is asked to route with Istio\'s API', { controller: ReleaseController.FLAGGER, trafficApi: TrafficApi.ISTIO, plan: { steps: [10] }, canaryWeight: undefined },
      'trafficApi is TrafficApi.ISTIO, and with DataPlane.AMBIENT Flagger routes the mesh through an HTTPRoute on the Service, which its Gateway API '
      + 'provider writes, with the ingress on a Gateway API Gateway, got "istio"; give the app an IstioGateway with trafficApi: TrafficApi.GATEWAY_API, '
      + 'or leave the controller out'],
    ['Flagger is given a tester route on source labels', {
      controller: ReleaseController.FLAGGER, plan: { iterations: 10 }, canaryWeight: undefined,
      testerRoutes: [{ name: 'qa', when: [RouteMatch.sourceLabels({ team: 'qa' })], to: RouteTarget.canary() }],
    }, 'testerRoutes route "qa" matches sourceLabels, which Gateway API cannot express: HTTPRoute matches paths, methods, headers and query parameters '
      + 'only, got {"team":"qa"}; match a header the callers send instead, or use DataPlane.SIDECAR'],
    ['the data plane is no DataPlane', { dataPlane: 'ztunnel' as DataPlane },
      'dataPlane must be one of ["sidecar","ambient"], got "ztunnel"; use e.g. "sidecar"'],
    ['the app\'s pod labels take the pods out of ambient', { podLabels: { 'istio.io/dataplane-mode': 'none' } },
      'podLabels may not set "istio.io/dataplane-mode", which DataPlane.AMBIENT sets to put the pods in ambient mode without a sidecar, '
      + 'got {"istio.io/dataplane-mode":"none"}; leave "istio.io/dataplane-mode" out, or use DataPlane.SIDECAR'],
    ['a version\'s pod labels ask for a sidecar', { canary: { ...v2, podLabels: { 'sidecar.istio.io/inject': 'true' } } },
      'canary.podLabels may not set "sidecar.istio.io/inject", which DataPlane.AMBIENT sets to put the pods in ambient mode without a sidecar, '
      + 'got {"sidecar.istio.io/inject":"true"}; leave "sidecar.istio.io/inject" out, or use DataPlane.SIDECAR'],
    ['a waypoint is given with sidecars', { dataPlane: DataPlane.SIDECAR, waypoint: Waypoint.fromWaypointName(newChart(), 'W', 'waypoint') },
      'waypoint applies to the ambient data plane only, and the app\'s is sidecar, got "shop/waypoint"; set dataPlane: DataPlane.AMBIENT, or leave waypoint out'],
    ['the waypoint is a name', { waypoint: 'waypoint' as never },
      'waypoint must be a Waypoint, or one that Waypoint.fromWaypointName() makes, got "waypoint"; '
      + 'e.g. Waypoint.fromWaypointName(chart, "Waypoint", "waypoint") for the waypoint of the namespace'],
    ['the waypoint is a plain object of its shape', { waypoint: { name: 'w', waypointNamespace: 'shop', waypointRef: 'shop/w' } as never },
      'waypoint must be a Waypoint, or one that Waypoint.fromWaypointName() makes, got {"name":"w","waypointNamespace":"shop","waypointRef":"shop/w"}; '],
    ['the app\'s own waypoint would be named past 63 characters', { name: `r${'e'.repeat(54)}` },
      `name makes the name of the app's waypoint, r${'e'.repeat(54)}-waypoint, longer than the 63 characters of a label value, `
      + `got "r${'e'.repeat(54)}"; shorten the name to 54 characters or fewer, or give the app a waypoint`],
  ];
  test.each(refused)('fails when %s', (_, props, message) => {
    expect(build(props)).toThrow(`test/Reviews: ${message}`);
  });

  test('a name of 54 characters makes a waypoint name of 63, which is taken', () => {
    const objects = synth(chart => reviews(chart, { name: `r${'e'.repeat(53)}` }));
    expect(find(objects, 'Gateway', `r${'e'.repeat(53)}-waypoint`).metadata.name).toHaveLength(63);
  });

  test('fails when the app asks for HTTPRoutes on an Istio Gateway, which they cannot attach to', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['reviews.example.com'] });
    expect(() => reviews(chart, { gateway, trafficApi: TrafficApi.GATEWAY_API })).toThrow('test/Reviews: gateway emits an Istio Gateway, and an '
      + 'HTTPRoute can only attach to a gateway.networking.k8s.io Gateway, got "shop/gateway"; give the IstioGateway and the app the same trafficApi');
  });
});

describe('Waypoint refuses bad input', () => {
  test.each([
    ['a name that is no DNS-1123 label', { name: 'Way.Point' }, 'name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63): '
      + 'the Service names it in the label istio.io/use-waypoint, got "Way.Point"; e.g. "waypoint"'],
    ['a namespace that is no DNS-1123 label', { waypointNamespace: 'Mesh' }, 'waypointNamespace must be a DNS-1123 label'],
    ['props that are no object', null, 'props must be an object, got null; e.g. { name: "waypoint" }'],
  ])('fails when given %s', (_, props, message) => {
    expect(() => new Waypoint(newChart(), 'Waypoint', props as never)).toThrow(`test/Waypoint: ${message}`);
  });

  test('takes its name from the construct id, lower-cased', () => {
    expect(new Waypoint(newChart(), 'Waypoint').name).toBe('waypoint');
  });

  test.each([
    ['scope is no construct', [{}, 'W', 'waypoint'], 'Waypoint.fromWaypointName: scope must be a construct: a Chart or a construct inside one, got {}; '
      + 'pass the chart of the apps that use the waypoint'],
    ['id is empty', [newChart(), '', 'waypoint'], 'Waypoint.fromWaypointName: id must be a non-empty string, got ""; e.g. "Waypoint"'],
    ['the name is a number', [newChart(), 'W', 5], 'Waypoint.fromWaypointName: name must be a DNS-1123 label'],
    ['the namespace is no label', [newChart(), 'W', 'waypoint', 'Mesh'], 'test/W: waypointNamespace must be a DNS-1123 label'],
  ])('fromWaypointName fails when %s', (_, args, message) => {
    expect(() => (Waypoint.fromWaypointName as (...a: unknown[]) => unknown)(...args)).toThrow(message);
  });

  test('fromWaypointName fails outside a chart', () => {
    const { Construct } = require('constructs');
    expect(() => Waypoint.fromWaypointName(new Construct(undefined, 'root'), 'W', 'waypoint')).toThrow(
      'root/W: scope must be a Chart or inside one, whose route check then knows that the waypoint lives outside it, got "root"; '
      + 'import the waypoint into a chart, e.g. the chart of the apps that use it');
  });
});
