import { Chart, Duration, Testing } from 'cdk8s';
import { CanaryApp, Fleet, FleetEngine, ReleaseController } from '../src';
import { diagramMarkdown, diagramMermaid, diagramTable } from '../src/diagram';
import { ArgoCdFleet, ArgoCdFleetPayments } from '../examples/argo-cd-fleet';
import { KuratorFleet, KuratorPodinfoBlueGreen } from '../examples/kurator-fleet';
import { mangledSpecs } from './support/mangle';
import { tableRows } from './support/tables';

/** Fleets in the pictures: the folders the engine applies, and the waves of clusters, in order. */

function argo(): { set: any; release: any[] } {
  const root = Testing.app();
  const release = new ArgoCdFleetPayments(root);
  return { set: new ArgoCdFleet(root, release).toJson()[0], release: release.toJson() };
}

function kurator(): { application: any; release: any[] } {
  const root = Testing.app();
  const release = new KuratorPodinfoBlueGreen(root);
  return { application: new KuratorFleet(root, release).toJson()[0], release: release.toJson() };
}

describe('Argo CD (argo-cd-fleet)', () => {
  test('draws the waves in order, each after the last is Healthy, with their clusters and how many at once', () => {
    const mermaid = diagramMermaid([argo().set]);
    expect(mermaid).toBe([
      'flowchart TB',
      '  %% ApplicationSet argocd/payments',
      '  fleet(["Argo CD ApplicationSet argocd/payments<br/>https://github.com/acme/infra @ main"])',
      '  folder_0[/"dist<br/>include argo#8209;cd#8209;fleet#8209;payments.k8s.yaml"/]',
      '  wave_0["wave 1: canary<br/>canary#8209;1"]',
      '  wave_1["wave 2: eu<br/>clusters with region=eu<br/>2 at a time"]',
      '  wave_2["wave 3: us<br/>clusters with region=us"]',
      '  folder_0 --> fleet',
      '  fleet --> wave_0',
      '  wave_0 -->|"once Healthy"| wave_1',
      '  wave_1 -->|"once Healthy"| wave_2',
      '',
    ].join('\n'));
  });

  test('tables a row per wave, with what it waits for', () => {
    expect(tableRows(diagramTable([argo().set]))).toEqual([
      ['1: canary', 'canary-1', 'all', '-', 'dist include argo-cd-fleet-payments.k8s.yaml', '-'],
      ['2: eu', 'clusters with region=eu', '2', 'wave 1 Healthy', 'dist include argo-cd-fleet-payments.k8s.yaml', '-'],
      ['3: us', 'clusters with region=us', 'all', 'wave 2 Healthy', 'dist include argo-cd-fleet-payments.k8s.yaml', '-'],
    ]);
  });

  test('names a step by position when it selects no wave by name, and says when it selects no clusters', () => {
    const { set } = argo();
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator: 'NotIn', values: ['eu', 'us'] }] },
      { matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator: 'In', values: ['mars'] }], maxUpdate: '10%' }];
    expect(tableRows(diagramTable([set])).map(r => r.slice(0, 4))).toEqual([
      ['1: step 1', 'canary-1', 'all', '-'],
      ['2: mars', 'no clusters', '10%', 'wave 1 Healthy'],
    ]);
  });

  test('without RollingSync, one wave of every generator\'s clusters, all at once, and several folders', () => {
    const { set } = argo();
    delete set.spec.strategy;
    set.spec.generators.push({ clusters: {} }, { list: { elements: [{ cluster: 'x' }] } });
    const source = set.spec.template.spec.source;
    delete set.spec.template.spec.source;
    set.spec.template.spec.sources = [source, { repoURL: source.repoURL, targetRevision: 'v2', path: 'extra' }];
    const mermaid = diagramMermaid([set]);
    expect(mermaid).toContain('wave_0["wave 1: all at once<br/>canary#8209;1<br/>clusters with region=eu<br/>clusters with region=us<br/>every cluster<br/>clusters of another generator"]');
    expect(mermaid).toContain('folder_1[/"extra"/]');
    expect(mermaid).not.toContain('Healthy');
  });
});

describe('Kurator (kurator-fleet)', () => {
  test('draws the folders with the rollout policy, and the one wave of the fleet\'s clusters', () => {
    const mermaid = diagramMermaid([kurator().application]);
    expect(mermaid).toContain('fleet(["Kurator Application default/blue#8209;green#8209;demo<br/>https://github.com/stefanprodan/podinfo @ master"])');
    expect(mermaid).toContain('folder_0[/"./deploy/webapp<br/>Flagger by Kurator: Deployment webapp#8209;kurator/backend<br/>blue/green: 3 checks every 90s<br/>'
      + 'request#8209;success#8209;rate ≥ 99%<br/>request#8209;duration ≤ 500ms"/]');
    expect(mermaid).toContain('folder_1[/"./kustomize<br/>into default"/]');
    expect(mermaid).toContain('wave_0["wave 1: all<br/>every cluster of fleet quickstart"]');
    expect(mermaid).toContain('  fleet --> wave_0\n');
  });

  test('draws the Canary Kurator makes in each cluster, over the chart the folder holds', () => {
    const { application, release } = kurator();
    const markdown = diagramMarkdown([application], 'kurator-fleet.k8s.yaml', { context: release });
    expect(markdown).toContain('## Canary webapp-kurator/backend, made by Kurator in each cluster');
    expect(markdown).toContain('route_http_0{{"route primary<br/>all requests<br/>plan: blue/green, 3 checks every 90s, then promote"}}');
    const table = diagramTable([application], { context: release }).split('\n\n')[1];
    expect(tableRows(table).map(r => [r[4], r[5], r[6], r[8]])).toEqual([
      ['stable (primary)', '100% between releases', 'backend-primary', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
      ['canary', '0%, 100% to promote', 'backend', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
    ]);
  });

  test('draws a canary\'s steps, and a wave by cluster labels', () => {
    const root = Testing.app();
    const chart = new Chart(root, 'p', { namespace: 'p' });
    const app = new CanaryApp(chart, 'Payments', {
      stable: { image: 'p:1', version: 'v1' }, canary: { image: 'p:2', version: 'v2' }, controller: ReleaseController.FLAGGER,
      plan: { steps: [10, 50], analysis: { loadTestCommand: 'hey http://p-canary.p/', interval: Duration.minutes(2) } },
    });
    const fleet = new Fleet(new Chart(root, 'f'), 'F', {
      engine: FleetEngine.KURATOR, kuratorFleet: 'q', repoUrl: 'https://git.example/r', manifests: [{ path: 'p', app }], waves: [{ name: 'eu', clusterLabels: { region: 'eu' } }],
    });
    const mermaid = diagramMermaid([fleet.resource.toJson()]);
    expect(mermaid).toContain('canary 10% → 50% every 120s');
    expect(mermaid).toContain('wave_0["wave 1: region=eu<br/>clusters of fleet q with region=eu"]');
    expect(mermaid).toContain('plan: canary 10% → 50%, a step every 120s, then promote');
    const linear = fleet.resource.toJson() as any;
    linear.spec.syncPolicies[0].rollout.rolloutPolicy.trafficRouting.canaryStrategy = { stepWeight: 20, maxWeight: 60 };
    expect(diagramMermaid([linear])).toContain('canary +20% to 60% every 120s');
    linear.spec.syncPolicies[0].rollout.rolloutPolicy.trafficRouting = { analysisTimes: 5, match: [{ headers: { 'x-tester': { exact: 'yes' } } }] };
    expect(diagramMermaid([linear])).toContain('A/B test: 5 checks every 120s');
  });
});

test('draws any value at any field of a fleet object without throwing: malformed fields are drawn as unknown or left out', () => {
  const { application, release } = kurator();
  const { set } = argo();
  const cases = [set, application].flatMap(mangledSpecs);
  for (const mangled of cases) expect(() => diagramMarkdown([mangled], 'x.yaml', { context: release })).not.toThrow();
  expect(cases.length).toBeGreaterThan(500);
});

test('draws a metric without bounds by its name, and a fleet without folders with a row per wave', () => {
  const { application } = kurator();
  application.spec.syncPolicies[0].rollout.rolloutPolicy.trafficAnalysis.metrics[0].thresholdRange = {};
  expect(diagramMermaid([application])).toContain('<br/>request#8209;success#8209;rate<br/>request#8209;duration ≤ 500ms"/]');
  const { set } = argo();
  delete set.spec.template.spec.source;
  expect(tableRows(diagramTable([set])).map(r => r.slice(0, 5))).toEqual([
    ['1: canary', 'canary-1', 'all', '-', '-'],
    ['2: eu', 'clusters with region=eu', '2', 'wave 1 Healthy', '-'],
    ['3: us', 'clusters with region=us', 'all', 'wave 2 Healthy', '-'],
  ]);
});
