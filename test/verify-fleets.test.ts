import { Chart, Testing } from 'cdk8s';
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

  test('fails when a literal template label is selected by no step, and reads each operator as Kubernetes does', () => {
    const set = argoSet();
    set.spec.template.metadata.labels = { tier: 'prod' };
    set.spec.strategy.rollingSync.steps = [step('In', ['x'])];
    expect(codes([set])).toEqual([UNSYNCED(0, 'tier=prod'), UNSYNCED(1, 'tier=prod'), UNSYNCED(2, 'tier=prod')]);
    set.spec.strategy.rollingSync.steps = [step('NotIn', ['x'])];
    expect(codes([set])).toEqual([]);
    set.spec.strategy.rollingSync.steps = [step('DoesNotExist')];
    expect(codes([set])).toEqual([]);
    set.spec.strategy.rollingSync.steps = [step('Exists')];
    expect(codes([set])).toHaveLength(3);
    set.spec.template.metadata.labels = {};
    set.spec.strategy.rollingSync.steps = [step('In', ['x'])];
    expect(codes([set])).toEqual([UNSYNCED(0, 'no labels'), UNSYNCED(1, 'no labels'), UNSYNCED(2, 'no labels')]);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [{ key: 'cdk8s-istio-release/wave', operator: 'Gt', values: ['1'] }] }];
    set.spec.template.metadata.labels = { 'cdk8s-istio-release/wave': 'x' };
    expect(codes([set])).toHaveLength(3);
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
  const MISSING = (path: string, what: string) => ['fleet-rollout-target-missing', 'Application/default/blue-green-demo', `spec.syncPolicies[0].rollout.${path}`,
    `${what}, so kurator can't make the canary in any cluster of the fleet and the release never starts; add it to the synced manifests or fix the name`];

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
    expect(codes([application, ...release])).toEqual([MISSING('workload.name', 'Deployment webapp-kurator/frontend is not in the manifests of namespace webapp-kurator')]);
  });

  test('fails when the Service is not in the manifests', () => {
    const { application, release } = kurator();
    expect(codes([application, ...release.filter(o => o.kind !== 'Service')])).toEqual([
      MISSING('serviceName', 'service webapp-kurator/backend is not in the manifests of namespace webapp-kurator'),
    ]);
  });

  test('fails when the Service does not select the workload\'s pods', () => {
    const { application, release } = kurator();
    release.find(o => o.kind === 'Service').spec.selector = { app: 'other' };
    expect(codes([application, ...release]).filter(f => f[0] === 'fleet-rollout-target-missing')).toEqual([
      MISSING('serviceName', 'service webapp-kurator/backend does not select the pods of Deployment/webapp-kurator/backend'),
    ]);
  });

  test('fails when the Service has not the rollout\'s port', () => {
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.port = 80;
    expect(codes([application, ...release])).toEqual([MISSING('port', 'service webapp-kurator/backend has no port 80')]);
  });

  test('takes the Application\'s namespace and a Deployment where the workload names neither', () => {
    const root = Testing.app();
    const chart = new Chart(root, 'c', { namespace: 'default' });
    const { application } = kurator();
    delete application.spec.syncPolicies[0].rollout.workload.namespace;
    delete application.spec.syncPolicies[0].rollout.workload.kind;
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    expect(chart.toJson()).toEqual([]);
    // The Application is no manifest of the folder.
    expect(codes([application])).toEqual([]);
    expect(codes([application, other])).toEqual([MISSING('workload.name', 'Deployment default/backend is not in the manifests of namespace default')]);
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

  test('a step selects an application only when every expression holds, Exists and DoesNotExist included', () => {
    const set = argoSet();
    const wave = (operator: string, values?: string[]) => ({ key: 'cdk8s-istio-release/wave', operator, values });
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [wave('In', ['canary', 'eu', 'us']), { key: 'tier', operator: 'Exists' }] }];
    expect(codes([set])).toHaveLength(3);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [wave('Exists'), { key: 'tier', operator: 'DoesNotExist' }] }];
    expect(codes([set])).toEqual([]);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [wave('DoesNotExist')] }];
    expect(codes([set])).toHaveLength(3);
    set.spec.strategy.rollingSync.steps = [{ matchExpressions: [{ operator: 'Exists' }] }];
    expect(codes([set])).toHaveLength(3);
  });

  test('reads only Argo CD\'s ApplicationSets and Kurator\'s Applications', () => {
    const set = withoutUs();
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.port = 80;
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
    application.spec.syncPolicies[0].rollout.port = 80;
    const elsewhere = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'elsewhere' } };
    expect(codes([application, elsewhere])).toEqual([]);
    expect(codes([application, ...release]).map(f => f[2])).toEqual(['spec.syncPolicies[0].rollout.port']);
  });

  test('finds the workload by kind, namespace and name, and the Service by name', () => {
    const MISSING = (path: string, what: string) => ['fleet-rollout-target-missing', 'Application/default/blue-green-demo', `spec.syncPolicies[0].rollout.${path}`,
      `${what}, so kurator can't make the canary in any cluster of the fleet and the release never starts; add it to the synced manifests or fix the name`];
    const { application, release } = kurator();
    application.spec.syncPolicies[0].rollout.workload.kind = 'StatefulSet';
    expect(codes([application, ...release])).toEqual([MISSING('workload.name', 'StatefulSet webapp-kurator/backend is not in the manifests of namespace webapp-kurator')]);
    const moved = kurator();
    const deployment = moved.release.find(o => o.kind === 'Deployment');
    const copy = { ...deployment, metadata: { ...deployment.metadata, namespace: 'other' } };
    expect(codes([moved.application, ...moved.release.filter(o => o !== deployment), copy]).filter(f => f[0] === 'fleet-rollout-target-missing'))
      .toEqual([MISSING('workload.name', 'Deployment webapp-kurator/backend is not in the manifests of namespace webapp-kurator')]);
    const renamed = kurator();
    renamed.release.find(o => o.kind === 'Service').metadata.name = 'frontend';
    expect(codes([renamed.application, ...renamed.release]).filter(f => f[0] === 'fleet-rollout-target-missing'))
      .toEqual([MISSING('serviceName', 'service webapp-kurator/backend is not in the manifests of namespace webapp-kurator')]);
  });
});
