import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import {
  AnalysisMetric, CanaryApp, DataPlane, Fleet, FleetEngine, LoadBalancer, Protocol, ReleaseController, RouteTarget, SimpleLoadBalancer, TrafficApi,
} from '../src';
import { goDuration } from '../src/render/kurator';
import { show } from '../src/validate';
import { PROP_ERROR } from './support/errors';
import { withValueAt } from './support/mangle';
import { ArgoCdFleet, ArgoCdFleetPayments } from '../examples/argo-cd-fleet';
import { KuratorFleet, KuratorPodinfoBlueGreen } from '../examples/kurator-fleet';
import { argoFleet, canaryApp, seedFleet } from './fleet-cases';
import { expectSound, kinds } from './support/manifests';
import { expectValidManifests } from './support/schemas';

/** The plan of seed 002 with `extra` over it, its analysis merged. */
const plan = (extra: any) => ({ iterations: 3, autoPromotion: true, ...extra, analysis: { interval: Duration.seconds(90), loadTestCommand: 'hey http://x/', ...extra.analysis } });

function only(objects: any[], kind: string): any {
  const found = objects.filter(o => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('Kurator', () => {
  test('makes seed 002\'s Application from the app\'s props, with mesh among the gateways', () => {
    const { fleetChart } = seedFleet();
    const application = only(fleetChart.toJson(), 'Application');
    // The Application of seed 002's document, as its last-applied-configuration has it.
    const expected = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/seed-002-kurator-application.json'), 'utf8'));
    // The one difference: in-mesh callers get the same routes, as the project's own Flagger Canary has it.
    expected.spec.syncPolicies[0].rollout.rolloutPolicy.trafficRouting.gateways.push('mesh');
    expect(application).toEqual(expected);
    expect(application.spec.syncPolicies[0].rollout.rolloutPolicy.trafficAnalysis.webhooks.command).toEqual(['hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/']);
  });

  test('hands the Canary to Kurator: the app\'s chart holds the Deployment and the Service Kurator reads', () => {
    const { appChart, app } = seedFleet();
    const objects = expectSound(appChart);
    expect(kinds(objects)).toEqual(['Deployment', 'Service']);
    const service = only(objects, 'Service');
    expect(service.metadata).toMatchObject({ name: 'backend', namespace: 'webapp' });
    expect(service.spec.selector).toEqual({ app: 'backend' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9898, targetPort: 9898 }]);
    expect(app.flaggerCanary).toBeUndefined();
    expect(app.service).toBe(ApiObject.of(app));
  });

  test('keeps the sync waves of the app on the Service it adds', () => {
    const { appChart } = seedFleet({ syncWaves: true });
    expect(only(appChart.toJson(), 'Service').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
  });

  test('writes a canary\'s steps as canaryStrategy, and no analysisTimes', () => {
    const root = Testing.app();
    const chart = new Chart(root, 'p', { namespace: 'p' });
    const app = new CanaryApp(chart, 'Payments', {
      stable: { image: 'p:1', version: 'v1' }, canary: { image: 'p:2', version: 'v2' }, controller: ReleaseController.FLAGGER,
      plan: { linear: { stepWeight: 10, maxWeight: 50 }, analysis: { loadTestCommand: 'hey http://p-canary.p/' }, flagger: { stepWeightPromotion: 25 } },
    });
    const fleet = new Fleet(new Chart(root, 'f'), 'F', { engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'p', app }] });
    const policy = (fleet.resource.toJson() as any).spec.syncPolicies[0].rollout.rolloutPolicy;
    expect(policy.trafficRouting).toEqual({ canaryStrategy: { maxWeight: 50, stepWeight: 10, stepWeightPromotion: 25 }, gateways: ['mesh'] });
    expect(policy.trafficAnalysis.checkIntervalSeconds).toBe(60);
    expect(policy.rolloutTimeoutSeconds).toBeUndefined();
  });

  test('syncs plain manifests every 5 minutes by default, and into every cluster of the fleet without a selector', () => {
    const { fleetChart } = seedFleet({}, { manifests: [{ path: './kustomize' }], waves: [{ name: 'eu', clusterLabels: { region: 'eu' } }] });
    const policy = only(fleetChart.toJson(), 'Application').spec.syncPolicies[0];
    expect(policy).toEqual({
      destination: { fleet: 'quickstart', clusterSelector: { matchLabels: { region: 'eu' } } },
      kustomization: { interval: '5m0s', path: './kustomize', prune: true, timeout: '2m0s' },
    });
  });

  test('leaves an app that Git walks as it is, with no rollout', () => {
    const root = Testing.app();
    const chart = new Chart(root, 'p', { namespace: 'p' });
    const app = canaryApp(chart, ReleaseController.NONE);
    const fleet = new Fleet(new Chart(root, 'f'), 'F', { engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'p', app }] });
    expect((fleet.resource.toJson() as any).spec.syncPolicies[0].rollout).toBeUndefined();
    expect(kinds(chart.toJson())).toContain('VirtualService');
  });
});

describe('Argo CD', () => {
  test('makes a generator per wave, a RollingSync step per wave, and labels each Application with its wave', () => {
    const { fleetChart } = argoFleet({
      waves: [
        { name: 'canary', clusterNames: ['canary-1'] },
        { name: 'eu', clusterLabels: { region: 'eu' }, clusterNames: ['eu-extra'], maxUpdate: 2 },
      ],
    });
    const set = only(fleetChart.toJson(), 'ApplicationSet');
    expect(set.metadata).toEqual({ name: 'payments', namespace: 'argocd' });
    expect(set.spec.generators).toEqual([
      { list: { elements: [{ name: 'canary-1', nameNormalized: 'canary-1', values: { wave: 'canary' } }] } },
      { clusters: { selector: { matchLabels: { region: 'eu' } }, values: { wave: 'eu' } } },
      { list: { elements: [{ name: 'eu-extra', nameNormalized: 'eu-extra', values: { wave: 'eu' } }] } },
    ]);
    expect(set.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: {
        steps: [
          { matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator: 'In', values: ['canary'] }] },
          { matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator: 'In', values: ['eu'] }], maxUpdate: 2 },
        ],
      },
    });
    expect(set.spec.template.metadata).toEqual({ name: 'payments-{{.nameNormalized}}', labels: { 'cdk8s-istio-release/wave': '{{.values.wave}}' } });
    expect(set.spec.template.spec.destination).toEqual({ name: '{{.name}}' });
    expect(set.spec.template.spec.source).toEqual({ repoURL: 'https://github.com/acme/infra', targetRevision: 'main', path: 'dist', directory: { include: 'payments.k8s.yaml' } });
    expect(set.spec.goTemplate).toBe(true);
  });

  test('makes one wave of every cluster by default', () => {
    const set = only(argoFleet({}).fleetChart.toJson(), 'ApplicationSet');
    expect(set.spec.generators).toEqual([{ clusters: { values: { wave: 'all' } } }]);
    expect(set.spec.strategy.rollingSync.steps).toHaveLength(1);
  });

  test('ignores what Argo Rollouts changes in the cluster: weights, and the pod-template hash in selectors and subsets', () => {
    const set = only(argoFleet({}).fleetChart.toJson(), 'ApplicationSet');
    expect(set.spec.template.spec.ignoreDifferences).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', namespace: 'payments', jqPathExpressions: ['.spec.http[].route[].weight', '.spec.tcp[]?.route[].weight'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', namespace: 'payments', jqPathExpressions: ['.spec.subsets[].labels["rollouts-pod-template-hash"]'] },
      { kind: 'Service', namespace: 'payments', jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
    ]);
    // RollingSync syncs and prunes as automated.prune says, and turns automated sync itself off.
    expect(set.spec.template.spec.syncPolicy).toEqual({ automated: { prune: true }, syncOptions: ['RespectIgnoreDifferences=true'] });
  });

  test('ignores the replicas of Flagger\'s target, which Flagger scales, and keeps the app\'s Canary', () => {
    const { fleetChart, appChart } = argoFleet({}, chart => canaryApp(chart, ReleaseController.FLAGGER));
    const set = only(fleetChart.toJson(), 'ApplicationSet');
    expect(set.spec.template.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'payments', namespace: 'payments', jsonPointers: ['/spec/replicas'] }]);
    expect(kinds(appChart.toJson())).toContain('Canary');
  });

  test('applies several folders as the sources of one Application, and one folder\'s namespace as the destination\'s', () => {
    const two = only(argoFleet({ manifests: [{ path: 'dist' }, { path: 'extra', include: '*.yaml' }] }).fleetChart.toJson(), 'ApplicationSet');
    expect(two.spec.template.spec.sources).toEqual([
      { repoURL: 'https://github.com/acme/infra', targetRevision: 'main', path: 'dist' },
      { repoURL: 'https://github.com/acme/infra', targetRevision: 'main', path: 'extra', directory: { include: '*.yaml' } },
    ]);
    expect(two.spec.template.spec.ignoreDifferences).toBeUndefined();
    const one = only(argoFleet({ manifests: [{ path: 'dist', targetNamespace: 'tools' }], argoCdProject: 'platform' }).fleetChart.toJson(), 'ApplicationSet');
    expect(one.spec.template.spec.destination).toEqual({ name: '{{.name}}', namespace: 'tools' });
    expect(one.spec.template.spec.project).toBe('platform');
  });
});

test('switching engine is one line: the same app goes to an ApplicationSet and keeps its Canary', () => {
  const kurator = seedFleet({}, {}, false);
  const argo = seedFleet({}, { engine: FleetEngine.ARGO_CD, kuratorFleet: undefined, name: undefined }, false);
  expect(kinds(kurator.fleetChart.toJson())).toEqual(['Application']);
  expect(kinds(argo.fleetChart.toJson())).toEqual(['ApplicationSet']);
  expect(kinds(argo.appChart.toJson())).toEqual(['Deployment', 'Canary']);
  expect(argo.fleet.resource.name).toBe('bluegreendemo');
  expect(argo.fleet.fleetNamespace).toBe('default');
});

test('the fleet examples pass their CRDs strictly, and their apps\' charts the route check', () => {
  const root = Testing.app();
  const kuratorApp = new KuratorPodinfoBlueGreen(root);
  const argoApp = new ArgoCdFleetPayments(root);
  const charts = [new KuratorFleet(root, kuratorApp), new ArgoCdFleet(root, argoApp)];
  for (const chart of [kuratorApp, argoApp]) expectSound(chart);
  for (const chart of charts) expectValidManifests(chart.toJson());
  expect(charts.map(c => kinds(c.toJson()))).toEqual([['Application'], ['ApplicationSet']]);
});

test('fails when a fleet object breaks its CRD: the schema check sees fleet objects', () => {
  const { fleet, fleetChart } = argoFleet({});
  fleet.resource.addJsonPatch(JsonPatch.add('/spec/strategy/rollingSync/unknown', 1));
  expect(() => expectValidManifests(fleetChart.toJson())).toThrow(/ApplicationSet\/argocd\/payments: \$\.spec\.strategy\.rollingSync\.unknown: unknown field/);
});

test.each([
  [0, '0s'], [45, '45s'], [60, '1m0s'], [90, '1m30s'], [180, '3m0s'], [3600, '1h0m0s'], [3725, '1h2m5s'],
])('writes %i seconds as Go does, %s', (seconds, text) => {
  expect(goDuration(seconds)).toBe(text);
});

describe('refuses by name what an engine can\'t carry', () => {
  test.each<[string, () => unknown, string]>([
  ["the app routes with the Gateway API", () => seedFleet({ trafficApi: TrafficApi.GATEWAY_API, gateway: undefined, hosts: undefined }), "backend/Backend: trafficApi can't be carried by Kurator's rollout policy, which runs Flagger with the Istio provider only, got \"gateway-api\"; use TrafficApi.ISTIO, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the app runs in ambient mode", () => seedFleet({ dataPlane: DataPlane.AMBIENT, gateway: undefined, hosts: undefined }), "backend/Backend: dataPlane can't be carried by Kurator's rollout policy, which runs Flagger with sidecars only, got \"ambient\"; use DataPlane.SIDECAR, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the plan has no analysis", () => seedFleet({ plan: { iterations: 3, autoPromotion: true } }), "backend/Backend: plan.analysis can't be carried by Kurator's rollout policy, which Kurator's controller reads on every rollout: it must be given, got nothing; give plan.analysis"],
  ["the analysis has metrics of its own", () => seedFleet({ plan: plan({ analysis: { metrics: [AnalysisMetric.prometheus('errors', 'sum(x)', { max: 1 })] } }) }), "backend/Backend: plan.analysis.metrics can't be carried by Kurator's rollout policy, which takes Flagger's built-in request-success-rate and request-duration only, got [\"errors\"]; leave them out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the analysis queries another Prometheus", () => seedFleet({ plan: plan({ analysis: { prometheusAddress: 'http://prom.monitoring:9090' } }) }), "backend/Backend: plan.analysis.prometheusAddress can't be carried by Kurator's rollout policy, which queries the Prometheus of Kurator's Flagger, got \"http://prom.monitoring:9090\"; leave it out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the plan has webhooks of its own", () => seedFleet({ plan: plan({ flagger: { webhooks: [{ name: 'smoke', url: 'http://tester.webapp/' }] } }) }), "backend/Backend: plan.flagger.webhooks can't be carried by Kurator's rollout policy, whose only webhook is the load test, got [\"smoke\"]; leave them out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the plan has alerts", () => seedFleet({ plan: plan({ flagger: { alerts: [{ name: 'slack', provider: 'on-call' }] } }) }), "backend/Backend: plan.flagger.alerts can't be carried by Kurator's rollout policy, which has no alerts, got [\"slack\"]; leave them out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the plan names a load tester", () => seedFleet({ plan: plan({ flagger: { loadTesterUrl: 'http://tester.webapp/' } }) }), "backend/Backend: plan.flagger.loadTesterUrl can't be carried by Kurator's rollout policy, which sends the load test to the load tester Kurator installs, got \"http://tester.webapp/\"; leave it out"],
  ["the plan sets a primary ready threshold", () => seedFleet({ plan: plan({ flagger: { primaryReadyThreshold: 50 } }) }), "backend/Backend: plan.flagger.primaryReadyThreshold can't be carried by Kurator's rollout policy, which has no ready thresholds, got 50; leave it out"],
  ["the plan sets a canary ready threshold", () => seedFleet({ plan: plan({ flagger: { canaryReadyThreshold: 50 } }) }), "backend/Backend: plan.flagger.canaryReadyThreshold can't be carried by Kurator's rollout policy, which has no ready thresholds, got 50; leave it out"],
  ["the plan waits for a promotion by hand", () => seedFleet({ plan: plan({ autoPromotion: false }) }), "backend/Backend: plan.autoPromotion can't be carried by Kurator's rollout policy, which promotes once the analysis passes, with no gate, got false; leave it out, or set it to true"],
  ["the app mirrors", () => seedFleet({ mirror: { to: RouteTarget.version('6.0.1') } }), "backend/Backend: mirror can't be carried by Kurator's rollout policy, which has no mirroring, got {\"percentage\":100}; leave mirror out"],
  ["the app has a traffic policy", () => seedFleet({ trafficPolicy: { loadBalancer: LoadBalancer.simple(SimpleLoadBalancer.ROUND_ROBIN) } }), "backend/Backend: trafficPolicy can't be carried by Kurator's rollout policy, which has no traffic policy, got [\"loadBalancer\"]; leave it out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the app autoscales", () => seedFleet({ autoscaling: { maxReplicas: 4 } }), "backend/Backend: autoscaling can't be carried by Kurator's rollout policy, whose Canary has no autoscalerRef, so Flagger would not scale the primary, got {\"maxReplicas\":4,\"cpuUtilization\":80}; leave it out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the route timeout is not whole seconds", () => seedFleet({ routePolicy: { timeout: Duration.millis(1500) } }), "backend/Backend: routePolicy.timeout can't be carried by Kurator's rollout policy, which takes whole seconds, got \"1500ms\"; use e.g. Duration.seconds(30)"],
  ["the engine is none of the two", () => seedFleet({}, { engine: 'flux' as any }), "fleet/BlueGreenDemo: engine must be one of [\"kurator\",\"argo-cd\"], got \"flux\"; use e.g. \"kurator\""],
  ["the name is no DNS label", () => seedFleet({}, { name: 'Blue_Green' }), "fleet/BlueGreenDemo: name must be a DNS-1123 label (lower-case letters, digits and \"-\", at most 63), got \"Blue_Green\"; e.g. \"payments\""],
  ["the repository is no URL", () => seedFleet({}, { repoUrl: 'github.com/acme/infra' }), "fleet/BlueGreenDemo: repoUrl must be an http, https or ssh URL of a Git repository, got \"github.com/acme/infra\"; e.g. \"https://github.com/acme/infra\""],
  ["Kurator is given no fleet", () => seedFleet({}, { kuratorFleet: undefined }), "fleet/BlueGreenDemo: kuratorFleet must name the Kurator Fleet with FleetEngine.KURATOR, got nothing; e.g. kuratorFleet: \"quickstart\""],
  ["Kurator is given an Argo CD project", () => seedFleet({}, { argoCdProject: 'default' }), "fleet/BlueGreenDemo: argoCdProject is Argo CD's, and the engine is Kurator, got \"default\"; leave it out"],
  ["Kurator is given two waves", () => seedFleet({}, { waves: [{ name: 'a', clusterLabels: { a: 'b' } }, { name: 'b', clusterLabels: { b: 'c' } }] }), "fleet/BlueGreenDemo: waves can't be more than one with Kurator, which applies every sync policy at once and never holds a wave for the last, got [\"a\",\"b\"]; give one wave, or use FleetEngine.ARGO_CD, whose RollingSync holds each wave until the last is Healthy"],
  ["Kurator is given clusters by name", () => seedFleet({}, { waves: [{ name: 'a', clusterNames: ['c1'] }] }), "fleet/BlueGreenDemo: waves[0].clusterNames can't be carried by Kurator, which selects clusters by label only, got [\"c1\"]; label the clusters and use clusterLabels"],
  ["Kurator is given a maxUpdate", () => seedFleet({}, { waves: [{ name: 'a', maxUpdate: 2 }] }), "fleet/BlueGreenDemo: waves[0].maxUpdate is Argo CD's, and the engine is Kurator, got 2; leave it out"],
  ["Kurator is given files to include", () => seedFleet({}, { manifests: [{ path: 'dist', include: 'x.yaml' }] }), "fleet/BlueGreenDemo: manifests[0].include can't be carried by Kurator, whose Flux applies every file of the folder, got \"x.yaml\"; give the app a folder of its own and leave include out"],
  ["the sync interval is not whole seconds", () => seedFleet({}, { manifests: [{ path: 'dist', syncInterval: Duration.millis(500) }] }), "fleet/BlueGreenDemo: manifests[0].syncInterval must be a Duration of whole seconds, 0 or more, got \"0.5s\"; use e.g. Duration.seconds(30)"],
  ["there are no manifests", () => seedFleet({}, { manifests: [] }), "fleet/BlueGreenDemo: manifests must hold at least one folder of manifests, got []; e.g. [{ path: \"./dist/payments\", app: payments }]"],
  ["a path leaves the repository", () => seedFleet({}, { manifests: [{ path: '../other' }] }), "fleet/BlueGreenDemo: manifests[0].path must be a folder inside the repository, relative to its root, got \"../other\"; e.g. \"./dist/payments\""],
  ["an app is no release app", () => seedFleet({}, { manifests: [{ path: 'dist', app: {} as any }] }), "fleet/BlueGreenDemo: manifests[0].app must be a BlueGreenApp or a CanaryApp, got {}; pass the app construct of the chart that Git holds"],
  ["there are no waves", () => argoFleet({ waves: [] }), "fleet/Payments: waves must hold at least one wave, got []; leave waves out for one wave of every cluster"],
  ["two waves have one name", () => argoFleet({ waves: [{ name: 'a', clusterNames: ['c1'] }, { name: 'a', clusterNames: ['c2'] }] }), "fleet/Payments: waves[1].name names a wave twice, got \"a\"; give each wave its own name"],
  ["a wave of several selects every cluster", () => argoFleet({ waves: [{ name: 'a', clusterNames: ['c1'] }, { name: 'b' }] }), "fleet/Payments: waves[1] selects every cluster, so the other waves would release to its clusters twice, got \"b\"; give each wave clusterLabels or clusterNames"],
  ["a cluster is in two waves", () => argoFleet({ waves: [{ name: 'a', clusterNames: ['c1'] }, { name: 'b', clusterNames: ['c1'] }] }), "fleet/Payments: waves[1].clusterNames[0] is in wave a already: a cluster gets the release once, got \"c1\"; name each cluster in one wave"],
  ["a cluster name is no DNS label", () => argoFleet({ waves: [{ name: 'a', clusterNames: ['C_1'] }] }), "fleet/Payments: waves[0].clusterNames[0] must be a cluster name (a DNS-1123 label), got \"C_1\"; e.g. \"prod-eu-1\""],
  ["maxUpdate is 0", () => argoFleet({ waves: [{ name: 'a', clusterNames: ['c1'], maxUpdate: 0 }] }), "fleet/Payments: waves[0].maxUpdate must be a whole number, 1 or more, got 0; use e.g. 2"],
  ["Argo CD is given a Kurator fleet", () => argoFleet({ kuratorFleet: 'quickstart' }), "fleet/Payments: kuratorFleet is Kurator's, and the engine is Argo CD, got \"quickstart\"; leave it out"],
  ["Argo CD is given a Git interval", () => argoFleet({ gitInterval: Duration.minutes(1) }), "fleet/Payments: gitInterval is Kurator's, and the engine is Argo CD, got \"60s\"; leave it out"],
  ["Argo CD is given a target namespace with several folders", () => argoFleet({ manifests: [{ path: 'a', targetNamespace: 'x' }, { path: 'b' }] }), "fleet/Payments: manifests[0].targetNamespace can't be carried by Argo CD with several folders, which it applies to one destination namespace, got \"x\"; set the namespace in the manifests, or give one folder"],
  ["an app has no namespace", () => { const root = Testing.app(); const c = new Chart(root, 'p'); const app = canaryApp(c); return new Fleet(new Chart(root, 'f'), 'F', { engine: FleetEngine.ARGO_CD, repoUrl: 'https://x.example/r', manifests: [{ path: 'dist', app }] }); }, "p/Payments: namespace must be set when a fleet applies the app: its objects go to many clusters, and each needs a namespace, got nothing; set the app's namespace, or its chart's"],
  ["Kurator is given a gRPC app", () => seedFleet({ protocol: Protocol.GRPC }), "backend/Backend: protocol can't be carried by Kurator's rollout policy, which names no port, so that Flagger names its Services' ports http, got \"grpc\"; use Protocol.HTTP, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["Kurator is given sticky sessions", () => { const root = Testing.app(); const app = new CanaryApp(new Chart(root, 'p', { namespace: 'p' }), 'Payments', { stable: { image: 'p:1', version: 'v1' }, canary: { image: 'p:2', version: 'v2' }, controller: ReleaseController.FLAGGER, plan: { steps: [10, 50], analysis: { loadTestCommand: 'hey http://p-canary.p/' } }, stickySessions: { cookieName: 'payments-version' } }); return new Fleet(new Chart(root, 'f'), 'F', { engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'p', app }] }); }, "p/Payments: stickySessions can't be carried by Kurator's rollout policy, whose session affinity has no cookie for the primary and no path, so users the split sends to the primary are not kept there, got {\"cookieName\":\"payments-version\"}; leave stickySessions out, or use FleetEngine.ARGO_CD, which applies the Canary as the chart writes it"],
  ["the Git timeout is an hour", () => seedFleet({}, { gitTimeout: Duration.hours(1) }), "fleet/BlueGreenDemo: gitTimeout must be under an hour, as Kurator's CRD writes it in minutes and seconds, got \"3600s\"; use e.g. Duration.minutes(5)"],
  ["the Git interval is 0", () => seedFleet({}, { gitInterval: Duration.seconds(0) }), "fleet/BlueGreenDemo: gitInterval must be whole seconds, 1 or more, got \"0s\"; use e.g. Duration.minutes(1)"],
  ["the sync timeout is 0", () => seedFleet({}, { syncTimeout: Duration.seconds(0) }), "fleet/BlueGreenDemo: syncTimeout must be whole seconds, 1 or more, got \"0s\"; use e.g. Duration.minutes(1)"],
  ["an app's folder moves it to another namespace", () => { const root = Testing.app(); const app = canaryApp(new Chart(root, 'p', { namespace: 'p' })); return new Fleet(new Chart(root, 'f'), 'F', { engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'p', app, targetNamespace: 'other' }] }); }, "f/F: manifests[0].targetNamespace would move the app's objects out of its namespace p, as Flux's targetNamespace moves every object, got \"other\"; leave it out for an app's folder"],
  ["a path is absolute", () => argoFleet({ manifests: [{ path: '/deploy' }] }), "fleet/Payments: manifests[0].path must be a folder inside the repository, relative to its root, got \"/deploy\"; e.g. \"./dist/payments\""],
  ["the branch is empty", () => argoFleet({ branch: '' }), "fleet/Payments: branch must be a Git branch name, got \"\"; e.g. \"main\""],
  ["Argo CD is given a sync interval", () => argoFleet({ manifests: [{ path: 'dist', syncInterval: Duration.minutes(1) }] }), "fleet/Payments: manifests[0].syncInterval is Kurator's, and the engine is Argo CD, got \"60s\"; leave it out"],
  ["an app is released by fleets of both engines", () => { const root = Testing.app(); const c = new Chart(root, 'payments', { namespace: 'payments' }); const app = canaryApp(c); new Fleet(new Chart(root, 'a'), 'A', { engine: FleetEngine.ARGO_CD, repoUrl: 'https://git.example/r', manifests: [{ path: 'dist', app }] }); return new Fleet(new Chart(root, 'k'), 'K', { engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'dist', app }] }); }, "k/K: manifests[0].app is released by the argo-cd fleet a/A already, and one app's chart can't serve both engines, got \"payments/Payments\"; release the app with one engine"],
  ])('fails when %s', (_title, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('every Fleet prop refuses every wrong JavaScript value with our error, which names it and shows the value as given', () => {
  const HOSTILE: [string, unknown][] = [
    ['null', null], ['undefined', undefined], ['a string', 'x'], ['a number', 1], ['NaN', NaN], ['a BigInt', BigInt(1)], ['a Symbol', Symbol('x')],
    ['a function', function hostile() { return 1; }], ['[]', []], ['{}', {}], ['[null]', [null]], ['a Date', new Date(0)],
  ];
  /** Per field: the valid props that reach it, and which of the hostile values it takes. */
  const ROWS: [string, (fleet: any) => any, string[]][] = [
    ['engine', p => p, []], ['repoUrl', p => p, []], ['manifests', p => p, []], ['manifests[0]', p => p, []], ['manifests[0].path', p => p, ['a string']],
    ['manifests[0].app', p => p, ['undefined']], ['manifests[0].targetNamespace', p => p, ['undefined', 'a string']], ['manifests[0].syncInterval', p => p, ['undefined']],
    ['manifests[0].include', p => p, ['undefined', 'a string']], ['waves', p => p, ['undefined']], ['waves[0]', p => ({ ...p, waves: [{ name: 'a' }] }), []],
    ['waves[0].name', p => ({ ...p, waves: [{ name: 'a' }] }), ['a string']], ['waves[0].clusterLabels', p => ({ ...p, waves: [{ name: 'a' }] }), ['undefined', '{}']],
    ['waves[0].clusterNames', p => ({ ...p, waves: [{ name: 'a' }] }), ['undefined', '[]']],
    ['waves[0].clusterNames[0]', p => ({ ...p, waves: [{ name: 'a', clusterNames: ['c'] }] }), ['a string']],
    ['waves[0].maxUpdate', p => ({ ...p, waves: [{ name: 'a' }] }), ['undefined', 'a number']], ['branch', p => p, ['undefined', 'a string']],
    ['name', p => p, ['undefined', 'a string']], ['fleetNamespace', p => p, ['undefined', 'a string']], ['argoCdProject', p => p, ['undefined', 'a string']],
  ];
  function outcome(props: (app: CanaryApp) => any): 'accepted' | string {
    const root = Testing.app();
    const app = canaryApp(new Chart(root, 'payments', { namespace: 'payments' }));
    try {
      new Fleet(new Chart(root, 'fleet'), 'F', props(app));
      return 'accepted';
    } catch (error) {
      return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype ? error.message : `not our error: ${String(error)}`;
    }
  }
  test.each(ROWS.map(r => [r[0], r] as const))('Fleet %s', (_, [field, base, takes]) => {
    const problems = HOSTILE.flatMap(([name, value]) => {
      const result = outcome(app => withValueAt(base({ engine: FleetEngine.ARGO_CD, repoUrl: 'https://git.example/r', manifests: [{ path: 'dist', app }] }), field, value));
      if (takes.includes(name)) return result === 'accepted' ? [] : [`${name}: refused: ${result}`];
      const parts = PROP_ERROR.exec(result);
      const named = parts?.groups!.path === 'fleet/F' && (parts.groups!.field === field || parts.groups!.field.startsWith(field));
      const shown = parts?.groups!.field !== field || parts.groups!.value === show(value);
      return named && shown ? [] : [`${name}: ${result}`];
    });
    expect(problems).toEqual([]);
  });
});
