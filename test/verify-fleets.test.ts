import { Testing } from 'cdk8s';
import { verifyManifests } from '../src';
import { ArgoCdFleet, ArgoCdFleetPayments } from '../examples/argo-cd-fleet';
import { KuratorFleet, KuratorPodinfoBlueGreen } from '../examples/kurator-fleet';
import { mangledSpecs } from './support/mangle';

const EXTERNAL = { externalGateways: ['istio-system/public-gateway'] };

function argoSet(): any {
  const root = Testing.app();
  return new ArgoCdFleet(root, new ArgoCdFleetPayments(root)).toJson()[0];
}

function kurator(): { application: any; release: any[] } {
  const root = Testing.app();
  const release = new KuratorPodinfoBlueGreen(root);
  return { application: new KuratorFleet(root, release).toJson()[0], release: release.toJson() };
}

/** The finding of a rollout's missing workload or Service, as verify words each. */
const WORKLOAD_MISSING = (what: string) => ['fleet-rollout-target-missing', 'Application/default/blue-green-demo', 'spec.syncPolicies[0].rollout.workload.name',
  `${what} is not in the manifests of namespace ${what.split(' ')[1].split('/')[0]}, so the canary kurator makes in each cluster targets nothing `
  + 'and the release never starts; add it to the synced manifests or fix the name'];
const SERVICE_MISSING = (service: string) => ['fleet-rollout-target-missing', 'Application/default/blue-green-demo', 'spec.syncPolicies[0].rollout.serviceName',
  `service ${service} is not in the manifests of namespace ${service.split('/')[0]}, so kurator, which reads it from each cluster, never makes the canary `
  + 'and the release never starts; add it to the synced manifests or fix the name'];

const codes = (objects: any[]) => verifyManifests(objects, EXTERNAL).map(f => [f.code, f.object, f.path, f.message]);
const step = (operator: string, values?: string[]) => ({ matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator, values }] });

describe('fleet-wave-unsynced', () => {
  const UNSYNCED = (i: number, labels: string) => ['fleet-wave-unsynced', 'ApplicationSet/argocd/payments', `spec.generators[${i}]`,
    `the applications this generator makes (labelled ${labels}) are selected by no step of spec.strategy.rollingSync, `
    + 'so rollingsync never syncs them and their clusters keep the old release; add a step whose matchExpressions select them'];

  test('passes for the waves Fleet writes: a step per wave, clusters by name and by label', () => {
    expect(codes([argoSet()])).toEqual([]);
  });

  test('fails when no step selects the last wave\'s clusters', () => {
    const set = argoSet();
    set.spec.strategy.rollingSync.steps.pop();
    expect(codes([set])).toEqual([UNSYNCED(2, 'cdk8s-istio-release/wave=us')]);
  });

  test('fails when no step selects a list generator\'s clusters by name', () => {
    const set = argoSet();
    set.spec.strategy.rollingSync.steps.shift();
    expect(codes([set])).toEqual([UNSYNCED(0, 'cdk8s-istio-release/wave=canary')]);
  });

  test('fails when a literal template label is selected by no step; a step on a label the applications lack selects them unless it is In', () => {
    const set = argoSet();
    set.spec.template.metadata.labels = { tier: 'prod' };
    set.spec.strategy.rollingSync.steps = [step('In', ['x'])];
    expect(codes([set])).toEqual([UNSYNCED(0, 'tier=prod'), UNSYNCED(1, 'tier=prod'), UNSYNCED(2, 'tier=prod')]);
    // Argo CD's controller skips an expression on a label an Application lacks, unless it is In.
    for (const operator of ['NotIn', 'DoesNotExist', 'Exists', 'Gt']) {
      set.spec.strategy.rollingSync.steps = [step(operator, ['x'])];
      expect([operator, codes([set])]).toEqual([operator, []]);
    }
    set.spec.template.metadata.labels = {};
    set.spec.strategy.rollingSync.steps = [step('In', ['x'])];
    expect(codes([set])).toEqual([UNSYNCED(0, 'no labels'), UNSYNCED(1, 'no labels'), UNSYNCED(2, 'no labels')]);
  });

  test('on a label the applications carry, only In with its value and NotIn without it select them, as Argo CD reads a step', () => {
    const set = argoSet();
    set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': 'x' };
    for (const [operator, values, selected] of [['In', ['x'], true], ['In', ['y'], false], ['NotIn', ['y'], true], ['NotIn', ['x'], false],
      ['Exists', undefined, false], ['DoesNotExist', undefined, false], ['Gt', ['1'], false]] as const) {
      set.spec.strategy.rollingSync.steps = [step(operator, values as string[] | undefined)];
      expect([operator, values, codes([set]).length]).toEqual([operator, values, selected ? 0 : 3]);
    }
  });

  test('passes when a step selects by NotIn the waves it does not name', () => {
    const set = argoSet();
    set.spec.strategy.rollingSync.steps = [step('In', ['canary']), step('NotIn', ['canary'])];
    expect(codes([set])).toEqual([]);
  });

  test('judges nothing without RollingSync, or where the labels come from elsewhere than values', () => {
    const set = argoSet();
    set.spec.strategy.rollingSync.steps = [];
    const other = JSON.parse(JSON.stringify(set));
    other.spec.strategy.type = 'AllAtOnce';
    const clusterLabels = JSON.parse(JSON.stringify(set));
    clusterLabels.spec.template.metadata.labels = { wave: '{{index .metadata.labels "wave"}}' };
    const matrix = JSON.parse(JSON.stringify(set));
    matrix.spec.generators = [{ matrix: { generators: [] } }];
    const missingValue = JSON.parse(JSON.stringify(set));
    missingValue.spec.generators = [{ clusters: { values: { other: 'x' } } }];
    expect(codes([other, ...[clusterLabels, matrix, missingValue].map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `p${i}` } }))])).toEqual([]);
  });
});

describe('fleet-rollout-target-missing', () => {

  test('passes for the Application Fleet writes, with the chart its folder holds', () => {
    const { application, release } = kurator();
    expect(codes([application, ...release])).toEqual([]);
  });

  test('passes when the set holds nothing of the workload\'s namespace: the folder is not in it', () => {
    expect(codes([kurator().application])).toEqual([]);
  });

  test('fails when the workload is not in the manifests', () => {
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.workload.name = 'frontend';
    expect(codes([application, ...release])).toEqual([WORKLOAD_MISSING('Deployment webapp-kurator/frontend')]);
  });

  test('fails when the Service is not in the manifests', () => {
    const { application, release } = kurator();
    expect(codes([application, ...release.filter(o => o.kind !== 'Service')])).toEqual([
      SERVICE_MISSING('webapp-kurator/backend'),
    ]);
  });

  test('takes the Application\'s namespace and a Deployment where the workload names neither', () => {
    const { application } = kurator();
    delete application.spec.syncPolicies[0].rollout.workload.namespace;
    delete application.spec.syncPolicies[0].rollout.workload.kind;
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    // The Application is no manifest of the folder.
    expect(codes([application])).toEqual([]);
    expect(codes([application, other])).toEqual([WORKLOAD_MISSING('Deployment default/backend')]);
  });
});

test('reads any value at any field of a fleet object without throwing: malformed fields are skipped', () => {
  const { application, release } = kurator();
  const set = argoSet();
  const cases = [set, application].flatMap(mangledSpecs);
  for (const mangled of cases) expect(() => verifyManifests([mangled, ...release], EXTERNAL)).not.toThrow();
  expect(cases.length).toBeGreaterThan(500);
});

describe('what the fleet checks read, each part of it', () => {
  const UNSYNCED_US = (labels: string) => ['fleet-wave-unsynced', 'ApplicationSet/argocd/payments', 'spec.generators[2]',
    `the applications this generator makes (labelled ${labels}) are selected by no step of spec.strategy.rollingSync, `
    + 'so rollingsync never syncs them and their clusters keep the old release; add a step whose matchExpressions select them'];
  const withoutUs = () => {
    const set = argoSet();
    set.spec.strategy.rollingSync.steps.pop();
    return set;
  };

  test('reads a values parameter with spaces, or without the dot of goTemplate, and lists every label of the applications', () => {
    const set = withoutUs();
    set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': '{{ .values.wave }}', 'tier': 'prod' };
    expect(codes([set])).toEqual([UNSYNCED_US('cdk8s-istio-release/wave=us, tier=prod')]);
    set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': '{{values.wave}}' };
    expect(codes([set])).toEqual([UNSYNCED_US('cdk8s-istio-release/wave=us')]);
  });

  test('judges nothing where a label only holds a values parameter among other text', () => {
    for (const value of ['wave-{{.values.wave}}', '{{.values.wave}}-1']) {
      const set = withoutUs();
      set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': value };
      expect(codes([set])).toEqual([]);
    }
  });

  test('a step selects an application only when every expression holds; one without a key holds unless it is In', () => {
    const set = argoSet();
    const wave = (operator: string, values?: string[]) => ({ key: 'cdk8s-istio-release/wave', operator, values });
    set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': '{{.values.wave}}', 'tier': 'prod' };
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [wave('In', ['canary', 'eu', 'us']), { key: 'tier', operator: 'NotIn', values: ['prod'] }] }];
    expect(codes([set])).toHaveLength(3);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [wave('In', ['canary', 'eu', 'us']), { key: 'tier', operator: 'In', values: ['prod'] }] }];
    expect(codes([set])).toEqual([]);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [{ operator: 'NotIn', values: ['prod'] }] }];
    expect(codes([set])).toEqual([]);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [{ operator: 'In', values: ['prod'] }] }];
    expect(codes([set])).toHaveLength(3);
  });

  test('reads only Argo CD\'s ApplicationSets and Kurator\'s Applications', () => {
    const set = withoutUs();
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.serviceName = 'frontend';
    const others = [
      { ...set, apiVersion: 'example.com/v1' },
      { ...set, kind: 'Application', metadata: { ...set.metadata, name: 'as-application' } },
      { ...application, apiVersion: 'argoproj.io/v1alpha1', metadata: { ...application.metadata, name: 'argo' } },
      { ...application, kind: 'Fleet', metadata: { ...application.metadata, name: 'fleet' } },
    ];
    expect(codes([...others, ...release])).toEqual([]);
  });

  test('judges a rollout only where the set holds an object of its namespace besides the Application', () => {
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.serviceName = 'frontend';
    const elsewhere = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'elsewhere' } };
    expect(codes([application, elsewhere])).toEqual([]);
    expect(codes([application, ...release]).map(f => f[2])).toEqual(['spec.syncPolicies[0].rollout.serviceName']);
  });

  test('finds the workload by kind, namespace and name, and the Service by name', () => {
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.workload.kind = 'StatefulSet';
    expect(codes([application, ...release])).toEqual([WORKLOAD_MISSING('StatefulSet webapp-kurator/backend')]);
    const moved = kurator();
    const deployment = moved.release.find(o => o.kind === 'Deployment');
    const copy = { ...deployment, metadata: { ...deployment.metadata, namespace: 'other' } };
    expect(codes([moved.application, ...moved.release.filter(o => o !== deployment), copy]).filter(f => f[0] === 'fleet-rollout-target-missing'))
      .toEqual([WORKLOAD_MISSING('Deployment webapp-kurator/backend')]);
    const elsewhere = kurator();
    elsewhere.release.find(o => o.kind === 'Service').metadata.namespace = 'other';
    expect(codes([elsewhere.application, ...elsewhere.release]).filter(f => f[0] === 'fleet-rollout-target-missing'))
      .toEqual([SERVICE_MISSING('webapp-kurator/backend')]);
    const renamed = kurator();
    renamed.release.find(o => o.kind === 'Service').metadata.name = 'frontend';
    expect(codes([renamed.application, ...renamed.release]).filter(f => f[0] === 'fleet-rollout-target-missing'))
      .toEqual([SERVICE_MISSING('webapp-kurator/backend')]);
  });
});
