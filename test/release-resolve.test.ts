import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoRouting, BlueGreenApp, CanaryApp, Color, CutoverMode, DisruptionBudget, IstioApiVersion, IstioGateway, Protocol, ReleaseController, RouteMatch, RouteTarget,
  StringMatch, TrafficApi,
} from '../src';
import { resolveApp } from '../src/release/app';
import { resolveBlueGreen } from '../src/blue-green-app';
import { resolveCanary } from '../src/canary-app';
import { checkExtraHost, resolveHosts } from '../src/release/hosts';
import { resolveRelease } from '../src/release/release';
import { resolveVersion } from '../src/release/version';
import { Strategy } from '../src/model';
import { unbuilt } from './support/render-property';

const stable = { image: 'reviews:v1', version: 'v1' };
const canary = { image: 'reviews:v2', version: 'v2' };

/** The construct whose props are resolved, in a chart `shop`: errors name `shop/Reviews`. */
function scope(namespace: string | undefined = 'shop'): Construct {
  return unbuilt('Reviews', new Chart(Testing.app(), 'shop', { namespace }));
}

describe('resolving an app\'s props, without a construct tree', () => {
  test('resolves the defaults: name from the id, namespace from the chart, port 80, 2 replicas', () => {
    const app = resolveApp(scope(), {});
    expect(app).toMatchObject({
      name: 'reviews', namespace: 'shop', replicas: 2, serviceHost: 'reviews.shop.svc.cluster.local', hosts: [], mtls: false, syncWaves: false,
      controller: ReleaseController.NONE, trafficApi: TrafficApi.ISTIO,
    });
    expect(app.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, protocol: Protocol.HTTP }]);
  });

  test('names additional ports after their protocol and number', () => {
    const app = resolveApp(scope(), { port: 8080, additionalPorts: [{ port: 9090, protocol: Protocol.GRPC }, { port: 5432, protocol: Protocol.TCP, name: 'tcp-db' }] });
    expect(app.ports.map(p => p.name)).toEqual(['http', 'grpc-9090', 'tcp-db']);
  });

  test('adds nothing to the tree: a refused app leaves no half-made objects', () => {
    const at = scope();
    // Refused at the very end, once every version and route is resolved.
    expect(() => resolveCanary(at, { stable, canary, canaryWeight: 10, trafficApi: TrafficApi.GATEWAY_API, istioApiVersion: IstioApiVersion.V1BETA1 }))
      .toThrow(new Error('shop/Reviews: istioApiVersion sets the version of the Istio objects, and with controller none and trafficApi gateway-api '
        + 'this app emits none, got "v1beta1"; leave it out'));
    expect(at.node.children).toEqual([]);
    expect(Chart.of(at).toJson()).toEqual([]);
  });

  test('fails when an additional port repeats the primary port', () => {
    expect(() => resolveApp(scope(), { additionalPorts: [{ port: 80, protocol: Protocol.GRPC }] })).toThrow(
      'shop/Reviews: additionalPorts[0] repeats the port number or name of another port, got "grpc-80/80"; give each port its own number and name');
  });

  test('fails when an additional port\'s name does not start with its protocol', () => {
    expect(() => resolveApp(scope(), { additionalPorts: [{ port: 9090, protocol: Protocol.GRPC, name: 'api' }] })).toThrow(
      'shop/Reviews: additionalPorts[0].name must be "grpc" or "grpc-<suffix>", lower case, at most 15 characters, got "api"; '
      + 'Istio reads the protocol from the name, e.g. "grpc-api"');
  });

  test('fails when a controller is combined with the Gateway API', () => {
    expect(() => resolveApp(scope(), { controller: ReleaseController.ARGO_ROLLOUTS, trafficApi: TrafficApi.GATEWAY_API })).toThrow(
      'shop/Reviews: trafficApi must be TrafficApi.ISTIO with controller argo-rollouts, which moves traffic in Istio VirtualServices, got "gateway-api"; leave trafficApi out');
    expect(resolveApp(scope(), { controller: ReleaseController.FLAGGER, trafficApi: TrafficApi.GATEWAY_API }).trafficApi).toBe(TrafficApi.GATEWAY_API);
  });
});

test('takes a construct of the user\'s own that implements IIstioGateway', () => {
  const at = scope();
  const own = Object.assign(new Construct(Chart.of(at), 'OwnGateway'), { gatewayRef: 'edge/public', hosts: ['shop.example.com'], trafficApi: TrafficApi.ISTIO });
  expect(resolveApp(at, { gateway: own }).hosts).toEqual(['shop.example.com']);
});

describe('hosts', () => {
  const gateway = IstioGateway.fromName('istio-system/public');
  const served = (hosts: string[]) => ({ ...resolveApp(scope(), {}), gateway: new IstioGateway(new Chart(Testing.app(), 'gw'), 'Gateway', { hosts }) });

  test('a gateway of unknown hosts and no hosts given binds the Service host alone', () => {
    expect(resolveHosts(scope(), { gateway }, 'shop', 'reviews.shop.svc.cluster.local')).toEqual([]);
  });

  test('takes the hosts given, and the gateway\'s own hosts where none are given', () => {
    expect(resolveHosts(scope(), { gateway, hosts: ['reviews.example.com'] }, 'shop', 'r')).toEqual(['reviews.example.com']);
    expect(resolveHosts(scope(), { gateway: served(['shop.example.com']).gateway }, 'shop', 'r')).toEqual(['shop.example.com']);
  });

  test('fails when hosts are given without a gateway', () => {
    expect(() => resolveHosts(scope(), { hosts: ['reviews.example.com'] }, 'shop', 'reviews.shop.svc.cluster.local')).toThrow(
      'shop/Reviews: hosts need a gateway to be reached, got ["reviews.example.com"]; pass gateway, or leave hosts out: in the mesh the app is reached at reviews.shop.svc.cluster.local');
  });

  test('fails when a host is "*"', () => {
    expect(() => resolveHosts(scope(), { gateway, hosts: ['*'] }, 'shop', 'r')).toThrow(
      'shop/Reviews: hosts may not hold "*": the VirtualService is also bound to mesh, where Istio rejects it, got "*"; '
      + 'name the hosts, e.g. ["shop.example.com"], even when the gateway serves "*"');
  });

  test('fails when a host has no dot, naming the Service Istio would take it for, in the default namespace where none is known', () => {
    expect(() => resolveHosts(scope(), { gateway, hosts: ['reviews'] }, undefined, 'r')).toThrow(
      'shop/Reviews: hosts may not hold a name without a dot, which Istio takes as the Service reviews.default.svc.cluster.local, got "reviews"; '
      + 'name the external host in full, e.g. "reviews.example.com"');
  });

  test('fails when the gateway does not serve the host', () => {
    expect(() => resolveHosts(scope(), { gateway: served(['shop.example.com']).gateway, hosts: ['api.example.com'] }, 'shop', 'r')).toThrow(
      'shop/Reviews: hosts must be served by gateway default/gateway (hosts ["shop.example.com"]), got "api.example.com"; add the host to the gateway, or use one of its hosts');
  });

  test('fails when one host covers another', () => {
    expect(() => resolveHosts(scope(), { gateway, hosts: ['*.example.com', 'shop.example.com'] }, 'shop', 'r')).toThrow(
      'shop/Reviews: hosts overlap: "*.example.com" already covers "shop.example.com", got ["*.example.com","shop.example.com","r"]; '
      + 'list each host once, and leave out the Service host, which the VirtualService always serves');
  });

  test('fails when an extra host has no gateway, or overlaps the app\'s hosts', () => {
    const app = resolveApp(scope(), {});
    expect(() => checkExtraHost(scope(), app, 'preview.host', 'preview.example.com')).toThrow(
      'shop/Reviews: preview.host needs a gateway to be reached, got "preview.example.com"; pass gateway, or leave it out');
    const withHosts = { ...served(['*.example.com']), hosts: ['shop.example.com'] };
    expect(() => checkExtraHost(scope(), withHosts, 'preview.host', 'shop.example.com')).toThrow(new Error(
      'shop/Reviews: preview.host overlap: "shop.example.com" already covers "shop.example.com", got ["shop.example.com","shop.example.com","reviews.shop.svc.cluster.local"]; '
      + 'list each host once, and leave out the Service host, which the VirtualService always serves'));
    expect(() => checkExtraHost(scope(), withHosts, 'preview.host', 'preview.example.com')).not.toThrow();
  });
});

describe('versions and the release as a whole', () => {
  const at = scope();
  const app = resolveApp(at, {});
  const release = (versions = [resolveVersion(at, app, 'Stable', stable), resolveVersion(at, app, 'Canary', canary)], weights = [90, 10]) =>
    resolveRelease(at, app, versions, versions.map((v, i) => ({ subset: v.subset, weight: weights[i] })), {
      strategy: Strategy.CANARY, release: versions[versions.length - 1].subset, plan: { steps: [], autoPromotion: false, scaleDownDelaySeconds: 30, iterations: 10, argoRouting: ArgoRouting.SUBSET },
      roles: {},
    });

  test('a version is named after its label, and takes the app\'s replicas unless it sets its own', () => {
    expect(resolveVersion(at, app, 'Canary', { ...canary, version: '1.2' })).toMatchObject({ id: 'Canary', subset: '1-2', version: '1.2', deploymentName: 'reviews-1-2', replicas: 2 });
    expect(resolveVersion(at, app, 'Blue', { ...canary, replicas: 0 }, { subset: Color.BLUE })).toMatchObject({ subset: 'blue', deploymentName: 'reviews-blue', replicas: 0 });
  });

  test('a fixed replica count, a scaled-down colour\'s, wins over the version\'s own, which is still checked', () => {
    expect(resolveVersion(at, app, 'Blue', { ...canary, replicas: 3 }, { replicas: 0 })).toMatchObject({ replicas: 0 });
    expect(() => resolveVersion(at, app, 'Blue', { ...canary, replicas: -1 }, { replicas: 0 })).toThrow(
      'shop/Reviews: blue.replicas must be a whole number of replicas, 0 or more, got -1; use e.g. 2');
  });

  test('the model carries the app\'s settings, the versions and the split', () => {
    const model = release();
    expect(model).toMatchObject({ name: 'reviews', namespace: 'shop', selector: { app: 'reviews' }, selectorRouting: false, binding: undefined, plan: undefined });
    expect(model.routes).toEqual([{ subset: 'v1', weight: 90 }, { subset: 'v2', weight: 10 }]);
  });

  test('fails when a version is not given', () => {
    expect(() => resolveVersion(at, app, 'Canary', undefined as never)).toThrow(
      'shop/Reviews: canary must be an object, got nothing; e.g. { image: "nginx:1.11", version: "1.11" }');
  });

  test('fails when two versions share a label, or differ only in what names drop', () => {
    expect(() => release([resolveVersion(at, app, 'Stable', stable), resolveVersion(at, app, 'Canary', stable)])).toThrow(
      'shop/Reviews: canary.version must differ from stable.version, got "v1"; give each version its own label, or the subsets would select the same pods');
    expect(() => release([resolveVersion(at, app, 'Stable', { ...stable, version: '1.1' }), resolveVersion(at, app, 'Canary', { ...stable, version: '1_1' })])).toThrow(
      'shop/Reviews: canary.version names the same objects as stable.version "1.1" (both become "reviews-1-1"), got "1_1"; use versions that differ in more than "." or "_"');
  });

  test('fails when traffic goes to a version without pods, and not when its weight is 0', () => {
    const versions = () => [resolveVersion(at, app, 'Stable', stable), resolveVersion(at, app, 'Canary', { ...canary, replicas: 0 })];
    expect(() => release(versions(), [90, 10])).toThrow(
      'shop/Reviews: canary.replicas must be above 0 while 10% of traffic goes to it, got 0; scale the version up first, then route traffic to it');
    expect(release(versions(), [100, 0]).versions[1].replicas).toBe(0);
  });

  test('fails when the autoscaler\'s maximum is below a version\'s replicas, and not when equal', () => {
    const scaled = resolveApp(at, { autoscaling: { maxReplicas: 3 } });
    const versions = (replicas: number) => [resolveVersion(at, scaled, 'Stable', { ...stable, replicas })];
    const make = (replicas: number) => resolveRelease(at, scaled, versions(replicas), [{ subset: 'v1', weight: 100 }], {
      strategy: Strategy.CANARY, release: 'v1', plan: { steps: [], autoPromotion: false, scaleDownDelaySeconds: 30, iterations: 10, argoRouting: ArgoRouting.SUBSET },
      roles: {},
    });
    expect(make(3).policies.autoscaling).toEqual({ maxReplicas: 3, cpuUtilization: 80 });
    expect(() => make(4)).toThrow(
      'shop/Reviews: autoscaling.maxReplicas must be at least stable\'s 4 replicas, the autoscaler\'s minimum, got 3; raise maxReplicas to 4 or more');
  });

  test('fails when a disruption budget lets no pod be evicted, and not when one may be', () => {
    const make = (budget: DisruptionBudget) => {
      const guarded = resolveApp(at, { disruptionBudget: budget });
      const versions = [resolveVersion(at, guarded, 'Stable', stable)];
      return resolveRelease(at, guarded, versions, [{ subset: 'v1', weight: 100 }], {
        strategy: Strategy.CANARY, release: 'v1', plan: { steps: [], autoPromotion: false, scaleDownDelaySeconds: 30, iterations: 10, argoRouting: ArgoRouting.SUBSET },
        roles: {},
      });
    };
    expect(make(DisruptionBudget.minAvailable(1)).policies.disruptionBudget).toEqual({ field: 'minAvailable', value: 1 });
    expect(() => make(DisruptionBudget.minAvailable(2))).toThrow(
      'shop/Reviews: disruptionBudget.minAvailable lets no pod of reviews-v1 (2 replicas) be evicted, so node drains wait forever, got 2; '
      + 'allow at least one eviction at 2 replicas, e.g. DisruptionBudget.maxUnavailable(1)');
    expect(() => make(DisruptionBudget.maxUnavailablePercent(0))).toThrow(new Error(
      'shop/Reviews: disruptionBudget.maxUnavailable lets no pod of reviews-v1 (2 replicas) be evicted, so node drains wait forever, got "0%"; '
      + 'allow at least one eviction at 2 replicas, e.g. DisruptionBudget.maxUnavailable(1)'));
    // A percentage of pods rounds up: 51% of 2 is both pods, 50% is one.
    expect(() => make(DisruptionBudget.minAvailablePercent(51))).toThrow(new Error(
      'shop/Reviews: disruptionBudget.minAvailable lets no pod of reviews-v1 (2 replicas) be evicted, so node drains wait forever, got "51%"; '
      + 'allow at least one eviction at 2 replicas, e.g. DisruptionBudget.maxUnavailable(1)'));
    expect(make(DisruptionBudget.minAvailablePercent(50)).policies.disruptionBudget).toEqual({ field: 'minAvailable', value: '50%' });
  });
});

describe('what each kind of release means', () => {
  test('a canary splits 100-w/w between its versions, named after them', () => {
    const resolved = resolveCanary(scope(), { stable, canary, canaryWeight: 25 });
    expect(resolved.canaryWeight).toBe(25);
    expect(resolved.release.routes).toEqual([{ subset: 'v1', weight: 75 }, { subset: 'v2', weight: 25 }]);
    expect(resolved.release.release).toBe('v2');
  });

  test('a canary\'s tester routes reach the stable and canary versions by role, and by label', () => {
    const when = (value: string) => [RouteMatch.header('x-tester', StringMatch.exact(value))];
    const resolved = resolveCanary(scope(), { stable, canary, testerRoutes: [
      { when: when('a'), to: RouteTarget.canary() }, { when: when('b'), to: RouteTarget.stable() }, { when: when('c'), to: RouteTarget.version('v2') },
    ] });
    expect(resolved.release.matchRoutes.map(r => r.subset)).toEqual(['v2', 'v1', 'v2']);
  });

  test.each([
    ['repeats an earlier route\'s match', [RouteMatch.header('x-tester', StringMatch.exact('yes'))]],
    ['adds a condition to an earlier route\'s match', [RouteMatch.header('x-tester', StringMatch.exact('yes')), RouteMatch.queryParam('beta', StringMatch.exact('1'))]],
    ['adds a source label to an earlier route\'s match', [RouteMatch.header('x-tester', StringMatch.exact('yes')), RouteMatch.sourceLabels({ app: 'qa' })]],
  ])('fails when a tester route %s, which Istio tries first, so it never takes traffic', (_, when) => {
    expect(() => resolveCanary(scope(), { stable, canary, testerRoutes: [
      { name: 'other', when: [RouteMatch.header('x-other', StringMatch.exact('yes'))], to: RouteTarget.stable() },
      { name: 'qa', when: [RouteMatch.header('x-tester', StringMatch.exact('yes'))], to: RouteTarget.canary() },
      { name: 'beta', when, to: RouteTarget.stable() },
    ] })).toThrow(new Error('shop/Reviews: testerRoutes[2].when matches only requests that route "qa" before it matches, so it never takes traffic, '
      + 'got ["qa","beta"]; give it a condition that route "qa" lacks, or put it first'));
  });

  test.each([
    ['a header value that an earlier route\'s prefix accepts', [RouteMatch.header('x-tester', StringMatch.exact('qa-1'))], 'x-tester'],
    ['a header prefix within an earlier route\'s prefix', [RouteMatch.header('x-tester', StringMatch.prefix('qa-1'))], 'x-tester'],
    ['a query parameter value that an earlier route\'s prefix accepts', [RouteMatch.queryParam('beta', StringMatch.exact('qa-'))], 'beta'],
  ])('fails when a tester route has %s, which Istio tries first, so it never takes traffic', (_, when, name) => {
    const qa = name === 'beta' ? RouteMatch.queryParam('beta', StringMatch.prefix('qa-')) : RouteMatch.header('x-tester', StringMatch.prefix('qa-'));
    expect(() => resolveCanary(scope(), { stable, canary, testerRoutes: [
      { name: 'qa', when: [qa], to: RouteTarget.canary() },
      { name: 'beta', when, to: RouteTarget.stable() },
    ] })).toThrow(new Error('shop/Reviews: testerRoutes[1].when matches only requests that route "qa" before it matches, so it never takes traffic, '
      + 'got ["qa","beta"]; give it a condition that route "qa" lacks, or put it first'));
  });

  test.each([
    ['another match of the same header', [RouteMatch.header('x-tester', StringMatch.prefix('yes')), RouteMatch.sourceLabels({ app: 'qa' })]],
    ['a header value outside the earlier route\'s, which a prefix of it does not cover', [RouteMatch.header('x-tester', StringMatch.exact('ye')), RouteMatch.sourceLabels({ app: 'qa' })]],
    ['conditions of another kind', [RouteMatch.queryParam('x-tester', StringMatch.exact('yes')), RouteMatch.sourceLabels({ app: 'qa' })]],
    ['other source labels', [RouteMatch.header('x-tester', StringMatch.exact('yes')), RouteMatch.sourceLabels({ app: 'web' })]],
  ])('a later tester route with %s than an earlier one is reachable', (_, when) => {
    const resolved = resolveCanary(scope(), { stable, canary, testerRoutes: [
      { name: 'qa', when: [RouteMatch.header('x-tester', StringMatch.exact('yes')), RouteMatch.sourceLabels({ app: 'qa' })], to: RouteTarget.canary() },
      { name: 'beta', when, to: RouteTarget.stable() },
    ] });
    expect(resolved.release.matchRoutes.map(r => r.name)).toEqual(['qa', 'beta']);
  });

  test('fails when a canary\'s tester route names the idle colour, which only blue/green has', () => {
    expect(() => resolveCanary(scope(), { stable, canary, testerRoutes: [{ when: [RouteMatch.header('x', StringMatch.exact('y'))], to: RouteTarget.idle() }] }))
      .toThrow(new Error('shop/Reviews: testerRoutes[0].to names a version this app does not have, got "RouteTarget.idle()"; '
        + 'use RouteTarget.version() with one of ["v1","v2"]'));
  });

  test('fails when a route target\'s kind is no role of the release, even a name that every object inherits', () => {
    const forged: RouteTarget = Object.assign(Object.create(RouteTarget.prototype), { kind: 'constructor' });
    expect(() => resolveCanary(scope(), { stable, canary, testerRoutes: [{ when: [RouteMatch.header('x', StringMatch.exact('y'))], to: forged }] }))
      .toThrow(new Error('shop/Reviews: testerRoutes[0].to names a version this app does not have, got "RouteTarget.constructor()"; '
        + 'use RouteTarget.version() with one of ["v1","v2"]'));
  });

  test('a blue/green walked by Git serves the old colour at step 0, the new one from step 1, and scales the old down at step 2', () => {
    const plan = {};
    const at = (step: number) => resolveBlueGreen(scope(), { blue: stable, green: canary, active: Color.GREEN, plan, step });
    expect([0, 1, 2].map(step => [at(step).serving, at(step).scaledDown])).toEqual([[Color.BLUE, undefined], [Color.GREEN, undefined], [Color.GREEN, Color.BLUE]]);
    expect(at(0).release.routes).toEqual([{ subset: 'blue', weight: 100 }, { subset: 'green', weight: 0 }]);
    expect(at(2).release.versions.map(v => v.replicas)).toEqual([0, 2]);
  });

  test('a blue/green\'s idle target is the colour that serves no traffic now', () => {
    const when = [RouteMatch.header('x-tester', StringMatch.exact('yes'))];
    const resolved = (active: Color) => resolveBlueGreen(scope(), { blue: stable, green: canary, active, testerRoutes: [{ when, to: RouteTarget.idle() }] });
    expect(resolved(Color.BLUE).release.matchRoutes[0].subset).toBe('green');
    expect(resolved(Color.GREEN).release.matchRoutes[0].subset).toBe('blue');
  });

  test('a blue/green by Service selector routes without subsets', () => {
    expect(resolveBlueGreen(scope(), { blue: stable, green: canary, cutover: CutoverMode.SERVICE_SELECTOR }).release.selectorRouting).toBe(true);
  });
});

describe('the main object of each app, for ApiObject.of', () => {
  const gateway = IstioGateway.fromName('istio-system/public');
  const kindOf = (make: (chart: Chart) => Construct) => ApiObject.of(make(new Chart(Testing.app(), 'shop', { namespace: 'shop' }))).kind;

  test('is the object that says where the traffic goes, whoever moves it', () => {
    expect(kindOf(c => new CanaryApp(c, 'Reviews', { stable, canary }))).toBe('VirtualService');
    expect(kindOf(c => new CanaryApp(c, 'Reviews', { stable, canary, trafficApi: TrafficApi.GATEWAY_API }))).toBe('HTTPRoute');
    expect(kindOf(c => new CanaryApp(c, 'Reviews', { stable, canary, controller: ReleaseController.ARGO_ROLLOUTS }))).toBe('Rollout');
    expect(kindOf(c => new CanaryApp(c, 'Reviews', { stable, canary, controller: ReleaseController.FLAGGER }))).toBe('Canary');
    expect(kindOf(c => new BlueGreenApp(c, 'Web', { blue: stable, green: canary, gateway, hosts: ['web.example.com'] }))).toBe('VirtualService');
    expect(kindOf(c => new BlueGreenApp(c, 'Web', { blue: stable, green: canary, cutover: CutoverMode.SERVICE_SELECTOR }))).toBe('Service');
  });

  test('is the very object the app exposes', () => {
    const app = new CanaryApp(new Chart(Testing.app(), 'shop'), 'Reviews', { stable, canary });
    expect(ApiObject.of(app)).toBe(app.virtualService);
  });
});

describe('props given as null, or of another type, where the resolve step first reads them', () => {
  const gateway = IstioGateway.fromName('istio-system/public');
  const hook = { name: 'smoke', url: 'http://tester.shop/' };
  const canaryWith = (props: { [key: string]: unknown }) => () => resolveCanary(scope(), { stable, canary, ...props } as never);
  const planned = (plan: { [key: string]: unknown }) => canaryWith({ plan: { steps: [10], ...plan } });
  const blueGreenWith = (props: { [key: string]: unknown }) => () => resolveBlueGreen(scope(), { blue: stable, green: canary, ...props } as never);
  test.each([
    ['the name is null', canaryWith({ name: null }), 'name must be a DNS-1035 label (a lower-case letter, then letters, digits and "-", at most 63), got null; e.g. "web"'],
    ['the namespace is null', canaryWith({ namespace: null }), 'namespace must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got null; e.g. "shop"'],
    ['the port is null', canaryWith({ port: null }), 'port must be an integer port from 1 to 65535, got null; use a port such as 80 or 8080'],
    ['the container port is null', canaryWith({ containerPort: null }), 'containerPort must be an integer port from 1 to 65535, got null; use a port such as 80 or 8080'],
    ['the protocol is null', canaryWith({ protocol: null }), 'protocol must be one of ["http","http2","grpc","tcp"], got null; use e.g. "http"'],
    ['the replicas are null', canaryWith({ replicas: null }), 'replicas must be a whole number of replicas, 0 or more, got null; use e.g. 2'],
    ['the Istio API version is null', canaryWith({ istioApiVersion: null }), 'istioApiVersion must be one of ["v1","v1beta1"], got null; use e.g. "v1"'],
    ['mtls is null', canaryWith({ mtls: null }), 'mtls must be true or false, got null; e.g. true'],
    ['syncWaves is null', canaryWith({ syncWaves: null }), 'syncWaves must be true or false, got null; e.g. true'],
    ['the controller is null', canaryWith({ controller: null }), 'controller must be one of ["none","argo-rollouts","flagger"], got null; use e.g. "none"'],
    ['the traffic API is null', canaryWith({ trafficApi: null }), 'trafficApi must be one of ["istio","gateway-api"], got null; use e.g. "istio"'],
    ['an additional port\'s protocol is null', canaryWith({ additionalPorts: [{ port: 9090, protocol: null }] }),
      'additionalPorts[0].protocol must be one of ["http","http2","grpc","tcp"], got null; use e.g. "http"'],
    ['an additional port\'s name is null', canaryWith({ additionalPorts: [{ port: 9090, name: null }] }),
      'additionalPorts[0].name must be "http" or "http-<suffix>", lower case, at most 15 characters, got null; Istio reads the protocol from the name, e.g. "grpc-api"'],
    ['an additional port\'s container port is null', canaryWith({ additionalPorts: [{ port: 9090, containerPort: null }] }),
      'additionalPorts[0].containerPort must be an integer port from 1 to 65535, got null; use a port such as 80 or 8080'],
    ['the hosts are null', canaryWith({ gateway, hosts: null }), 'hosts must be a list, got null; e.g. ["shop.example.com"]'],
    ['a host is a number', canaryWith({ gateway, hosts: [1] }), 'hosts[0] must be a string, got 1; write the list as e.g. ["shop.example.com"]'],
    ['the autoscaling is "on"', canaryWith({ autoscaling: 'on' }), 'autoscaling must be an object, got "on"; e.g. { maxReplicas: 10 }'],
    ['the CPU target is null', canaryWith({ autoscaling: { maxReplicas: 10, cpuUtilization: null } }),
      'autoscaling.cpuUtilization must be a whole number, 1 or more, got null; use e.g. 2'],
    ['a version\'s replicas are null', canaryWith({ canary: { ...canary, replicas: null } }),
      'canary.replicas must be a whole number of replicas, 0 or more, got null; use e.g. 2'],
    ['the canary weight is null', canaryWith({ canaryWeight: null }), 'canaryWeight must be a whole percentage from 0 to 100, got null; use an integer such as 10'],
    ['Argo\'s routing is not one of its ways', canaryWith({ argoRouting: 'header' }), 'argoRouting must be one of ["subset","host"], got "header"; use e.g. "subset"'],
    ['the plan is a list of weights', canaryWith({ plan: [10, 50] }), 'plan must be an object, got [10,50]; e.g. { steps: [10, 50, 100] }'],
    ['the step is null', canaryWith({ plan: { steps: [10] }, step: null }),
      'step must be a step of the plan, from 0 to 0, got null; count the steps from 0'],
    ['a step is a hole', canaryWith({ plan: { steps: [10, , 50] } }),
      'plan.steps[1] must be a whole percentage from 0 to 100, got nothing; use an integer such as 10'],
    ['linear steps are a number', canaryWith({ plan: { linear: 10 } }), 'plan.linear must be an object, got 10; e.g. { stepWeight: 10 }'],
    ['the linear maximum is null', canaryWith({ plan: { linear: { stepWeight: 10, maxWeight: null } } }),
      'plan.linear.maxWeight must be a whole percentage from stepWeight (10) to 100, got null; use e.g. 50'],
    ['the pause is null', planned({ pause: null }), 'plan.pause must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['the analysis is "on"', planned({ analysis: 'on' }), 'plan.analysis must be an object, got "on"; e.g. { minSuccessRate: 99 }'],
    ['the analysis interval is null', planned({ analysis: { interval: null } }), 'plan.analysis.interval must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['the success rate is null', planned({ analysis: { minSuccessRate: null } }), 'plan.analysis.minSuccessRate must be a percentage from 0 to 100, got null; use e.g. 99'],
    ['the failure limit is null', planned({ analysis: { failureLimit: null } }), 'plan.analysis.failureLimit must be a whole number, 1 or more, got null; use e.g. 2'],
    ['the load test timeout is null', planned({ analysis: { loadTestTimeout: null } }),
      'plan.analysis.loadTestTimeout must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['Flagger\'s options are a URL', planned({ flagger: 'http://tester.shop/' }),
      'plan.flagger must be an object, got "http://tester.shop/"; e.g. { loadTesterUrl: "http://flagger-loadtester.shop/" }'],
    ['a webhook is null', planned({ flagger: { webhooks: [null] } }), 'plan.flagger.webhooks[0] must be an object, got null; e.g. { name: "smoke-test", url: "http://tester.shop/" }'],
    ['a webhook\'s type is null', planned({ flagger: { webhooks: [{ ...hook, type: null }] } }),
      'plan.flagger.webhooks[0].type must be one of ["confirm-rollout","pre-rollout","rollout","confirm-traffic-increase","confirm-promotion","post-rollout",'
      + '"rollback","event"], got null; use e.g. "confirm-rollout"'],
    ['a webhook\'s timeout is null', planned({ flagger: { webhooks: [{ ...hook, timeout: null }] } }),
      'plan.flagger.webhooks[0].timeout must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['a webhook\'s metadata is a string', planned({ flagger: { webhooks: [{ ...hook, metadata: 'cmd' }] } }),
      'plan.flagger.webhooks[0].metadata must be an object, got "cmd"; e.g. { cmd: "curl -s http://shop-canary.shop/" }'],
    ['a webhook\'s metadata key holds a line separator, which JSON leaves as it is and the error escapes',
      planned({ flagger: { webhooks: [{ ...hook, metadata: { 'a\u2028b': 3 } }] } }),
      'plan.flagger.webhooks[0].metadata["a\\u2028b"] must be a string, got 3; write it as "3"'],
    ['a webhook\'s metadata key holds a line break, which the error quotes', planned({ flagger: { webhooks: [{ ...hook, metadata: { 'a\nb': 3 } }] } }),
      'plan.flagger.webhooks[0].metadata["a\\nb"] must be a string, got 3; write it as "3"'],
    ['the load tester\'s address is null', planned({ flagger: { loadTesterUrl: null } }),
      'plan.flagger.loadTesterUrl must be an absolute http or https URL, got null; e.g. "http://flagger-loadtester.shop/"'],
    ['the progress deadline is null', planned({ flagger: { progressDeadline: null } }),
      'plan.flagger.progressDeadline must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['the active colour is null', blueGreenWith({ active: null }), 'active must be one of ["blue","green"], got null; use e.g. "blue"'],
    ['the cutover is null', blueGreenWith({ cutover: null }), 'cutover must be one of ["mesh-routing","service-selector"], got null; use e.g. "mesh-routing"'],
    ['the scaled-down replicas are null', blueGreenWith({ scaledDownReplicas: null }),
      'scaledDownReplicas must be a whole number of replicas, 0 or more, got null; use e.g. 2'],
    ['the blue/green plan is "auto"', blueGreenWith({ plan: 'auto' }), 'plan must be an object, got "auto"; e.g. { autoPromotion: true }'],
    ['auto-promotion is null', blueGreenWith({ plan: { autoPromotion: null } }), 'plan.autoPromotion must be true or false, got null; e.g. true'],
    ['the scale-down delay is null', blueGreenWith({ plan: { scaleDownDelay: null } }),
      'plan.scaleDownDelay must be whole seconds, 1 or more, got null; use e.g. Duration.minutes(1)'],
    ['the iterations are null', blueGreenWith({ plan: { iterations: null } }), 'plan.iterations must be a whole number, 1 or more, got null; use e.g. 2'],
    ['the preview header is a number', blueGreenWith({ preview: { header: 1 } }), 'preview.header must be a string, got 1; e.g. "x-preview"'],
    ['the preview header value is true', blueGreenWith({ preview: { header: 'x-preview', headerValue: true } }),
      'preview.headerValue must be a string, got true; e.g. "true"'],
    ['the preview header value is empty', blueGreenWith({ preview: { header: 'x-preview', headerValue: '' } }),
      'preview.headerValue must be a non-empty string, got ""; e.g. "true"'],
    ['the preview host is a list', blueGreenWith({ gateway, hosts: ['web.example.com'], preview: { host: ['preview.example.com'] } }),
      'preview.host must be a string, got ["preview.example.com"]; e.g. "preview.shop.example.com"'],
  ])('fails when %s', (_, resolve, message) => {
    expect(resolve).toThrow(new Error(`shop/Reviews: ${message}`));
  });

  test('a blue/green scales its idle colour down to the replicas given, and checks the colour\'s own', () => {
    const resolved = resolveBlueGreen(scope(), { blue: stable, green: { ...canary, replicas: 3 }, scaledDown: Color.GREEN, scaledDownReplicas: 1 });
    expect(resolved.release.versions.map(v => [v.subset, v.replicas])).toEqual([['blue', 2], ['green', 1]]);
  });
});
