import { verifiedFindings } from './support/findings';

/**
 * The pods of an Argo Rollout as its controller labels them, which its manifests do not show: the
 * template a workloadRef names (templateref.go), the ephemeral labels of its stable and canary, or
 * active and preview, pods (ephemeralmetadata.go), and the rollouts-pod-template-hash on its pods,
 * on the Services it switches and on the subsets it manages (istio.go UpdateHash). Each case is
 * one the controllers' own examples and documentation use.
 */

type Obj = Record<string, any>;

const WEB = { app: 'web' };

function meta(name: string): Obj {
  return { name, namespace: 'shop' };
}

function template(labels: Obj): Obj {
  return { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
}

function deployment(name: string, replicas: number, labels: Obj = WEB): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name), spec: { replicas, selector: { matchLabels: labels }, template: template(labels) } };
}

function rollout(spec: Obj, name = 'web'): Obj {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta(name), spec: { replicas: 3, selector: { matchLabels: WEB }, ...spec } };
}

function service(selector: Obj, name = 'web'): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector, ports: [{ name: 'http', port: 80 }] } };
}

function istio(kind: string, name: string, spec: Obj): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: meta(name), spec };
}

const rule = (subsets: Obj): Obj => istio('DestinationRule', 'web', { host: 'web', subsets: Object.entries(subsets).map(([name, labels]) => ({ name, labels })) });
const route = (...subsets: string[]): Obj => istio('VirtualService', 'web', {
  hosts: ['web'], http: [{ route: subsets.length === 0 ? [{ destination: { host: 'web' } }] : subsets.map((subset, i) => ({ destination: { host: 'web', subset }, weight: i === 0 ? 100 : 0 })) }],
});

function found(objects: Obj[]): string[] {
  return verifiedFindings(objects).map(f => `${f.code} ${f.object} ${f.path}`);
}

const CANARY = { canary: { steps: [{ setWeight: 20 }] } };

describe('a Rollout whose workloadRef names the template, as Argo\'s migration from a Deployment has it', () => {
  const referencing = rollout({ selector: { matchLabels: WEB }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, strategy: CANARY });

  test('runs the referenced Deployment\'s pods, which that Deployment, scaled to 0, runs no longer', () => {
    expect(found([deployment('web', 0), referencing, service(WEB), route()])).toEqual([]);
    // Without the Rollout, the Deployment at 0 takes the route.
    expect(found([deployment('web', 0), service(WEB), route()])).toEqual(['route-to-no-replicas VirtualService/shop/web spec.http[0].route[0]']);
  });

  test('runs beside the referenced Deployment, which Argo leaves running by default, as one version with it', () => {
    const running = (ref: Obj = {}) => [deployment('web', 2), rollout({ selector: { matchLabels: WEB }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', ...ref } }),
      service(WEB), rule({ v1: WEB }), route('v1')];
    // Both run the template, which one subset takes whole: no versions mixed.
    expect(found(running())).toEqual([]);
    expect(found(running({ scaleDown: 'never' }))).toEqual([]);
    // Beside another Deployment of the same labels, the subset does mix versions.
    expect(found([...running(), deployment('web-old', 2)])).toEqual(['subset-selects-many DestinationRule/shop/web spec.subsets[0].labels']);
  });

  test('keeps a selector of its own, which must match the template it takes, or Argo refuses the Rollout', () => {
    const own = rollout({ selector: { matchLabels: { app: 'api' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(verifiedFindings([deployment('web', 0), own]).map(f => `${f.code} ${f.object} ${f.path}: ${f.message}`)).toEqual([
      'workload-selector-mismatch Rollout/shop/web spec.selector: spec.selector does not match the pod template labels (app=web), so Argo Rollouts refuses it '
      + '(InvalidSpec) and runs no pods; make every matchLabels entry and matchExpression hold for spec.template.metadata.labels']);
    const selectorless = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('web'), spec: { template: template(WEB) } };
    expect(verifiedFindings([selectorless]).map(f => f.message)).toEqual([
      'argoproj.io/v1alpha1 Rollout needs a non-empty spec.selector: without one, Argo Rollouts refuses it (InvalidSpec) and runs no pods; select the pod template\'s labels (app=web)']);
  });

  test('names a Deployment or ReplicaSet of apps/v1 alone', () => {
    const front = { app: 'web', tier: 'front' };
    const byVersion = (apiVersion: string) => found([deployment('web', 0, front), rollout({ selector: { matchLabels: WEB }, workloadRef: { apiVersion, kind: 'Deployment', name: 'web' } }),
      service({ tier: 'front' }), route()]);
    expect(byVersion('apps/v1')).toEqual([]);
    for (const apiVersion of ['apps', 'extensions/v1beta1', 'apps/v1beta2']) {
      expect(byVersion(apiVersion)).toEqual(['route-to-no-replicas VirtualService/shop/web spec.http[0].route[0]']);
    }
  });

  test('replaces the referenced Deployment where Argo scales it down itself', () => {
    const scaled = (scaleDown: string) => [deployment('web', 2), deployment('web-old', 2),
      rollout({ selector: { matchLabels: WEB }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown } }), service(WEB), rule({ v1: WEB }), route('v1')];
    const messages = (objects: Obj[]) => verifiedFindings(objects).map(f => f.message.split(', so')[0]);
    expect(messages(scaled('onsuccess'))).toEqual(['subset v1 (app=web) matches the pods of Deployment/shop/web-old, Rollout/shop/web']);
    expect(messages(scaled('progressively'))).toEqual(['subset v1 (app=web) matches the pods of Deployment/shop/web-old, Rollout/shop/web']);
    expect(messages(scaled('never'))).toEqual(['subset v1 (app=web) matches the pods of Deployment/shop/web, Deployment/shop/web-old, Rollout/shop/web']);
  });

  test('reads the referenced template as its own, in the checks of what its pods run, and takes its selector where it has none', () => {
    const ports = (name: string) => ({ ...deployment(name, 0), spec: { ...deployment(name, 0).spec,
      template: { ...template(WEB), spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } } } });
    const byRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('web'), spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } };
    const conflicting = [{ ...service(WEB), spec: { selector: WEB, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
      { ...service(WEB, 'web-tcp'), spec: { selector: WEB, ports: [{ name: 'tcp-x', port: 9000, targetPort: 8080 }] } }];
    // The conflicts name the Rollout, whose pods run the Deployment's container ports; the Deployment at 0 runs none.
    const named = verifiedFindings([ports('web'), byRef, ...conflicting]).map(f => `${f.code} ${f.object} ${(/(Deployment|Rollout)\/shop\/web/.exec(f.message) ?? [''])[0]}`);
    expect(named).toEqual([
      'workload-port-protocol-conflict Service/shop/web Rollout/shop/web', 'workload-target-port-conflict Service/shop/web Rollout/shop/web',
      'workload-port-protocol-conflict Service/shop/web-tcp Rollout/shop/web', 'workload-target-port-conflict Service/shop/web-tcp Rollout/shop/web',
    ]);
  });

  test('is refused by Argo beside a template of its own, so that the referenced Deployment runs as it is', () => {
    const both = rollout({ template: template({ app: 'api' }), selector: { matchLabels: { app: 'api' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(found([deployment('web', 0), both, service(WEB), route()])).toEqual(['route-to-no-replicas VirtualService/shop/web spec.http[0].route[0]']);
  });

  test('runs pods that carry its selector where the referenced template is not in the set', () => {
    expect(found([referencing, service(WEB), route()])).toEqual([]);
    expect(found([rollout({ selector: { matchLabels: { app: 'api' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } }), service(WEB), route()]))
      .toEqual(['service-selects-nothing Service/shop/web spec.selector']);
  });

  test('reads the template of a ReplicaSet it names, which runs no pods of its own then', () => {
    const labels = { app: 'web', tier: 'front' };
    const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web'), spec: { replicas: 0, selector: { matchLabels: labels }, template: template(labels) } };
    const byRef = (ref: Obj) => rollout({ selector: { matchLabels: WEB }, workloadRef: { name: 'web', ...ref } });
    expect(found([replicaSet, byRef({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }), service({ tier: 'front' }), route()])).toEqual([]);
    // Another kind, or a name of another namespace, is no template of the Rollout's: the ReplicaSet at 0 replicas takes the route.
    const alone = ['route-to-no-replicas VirtualService/shop/web spec.http[0].route[0]'];
    expect(found([replicaSet, byRef({ apiVersion: 'batch/v1', kind: 'Job' }), service({ tier: 'front' }), route()])).toEqual(alone);
    expect(found([replicaSet, byRef({ apiVersion: 'apps/v1', kind: 'Deployment' }), service({ tier: 'front' }), route()])).toEqual(alone);
    expect(found([replicaSet, byRef({ kind: 'ReplicaSet' }), service({ tier: 'front' }), route()])).toEqual(alone);
    expect(found([{ ...replicaSet, metadata: { name: 'web', namespace: 'other' } }, byRef({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }), service({ tier: 'front' }), route()]))
      .toEqual(['service-selects-nothing Service/shop/web spec.selector']);
    expect(found([replicaSet, rollout({ selector: { matchLabels: WEB }, workloadRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet' } }), service({ tier: 'front' }), route()])).toEqual(alone);
  });
});

describe('the ephemeral labels a Rollout gives its pods', () => {
  test.each([
    ['stableMetadata', 'canary'],
    ['canaryMetadata', 'canary'],
    ['activeMetadata', 'blueGreen'],
    ['previewMetadata', 'blueGreen'],
  ])('are carried by its pods of one kind: %s', (field, strategy) => {
    const labelled = rollout({ template: template(WEB), strategy: { [strategy]: { [field]: { labels: { role: 'one' } } } } });
    expect(found([labelled, service({ app: 'web', role: 'one' }), rule({ one: { role: 'one' } }), route('one')])).toEqual([]);
    // Labels no kind of its pods carries select nothing.
    expect(found([labelled, service({ app: 'web', role: 'two' })])).toEqual(['service-selects-nothing Service/shop/web spec.selector']);
  });

  test('fails where the labels of one kind of pod are asked for beside another\'s', () => {
    const both = rollout({ template: template(WEB), strategy: { canary: { stableMetadata: { labels: { role: 'stable' } }, canaryMetadata: { labels: { track: 'canary' } } } } });
    expect(found([both, service(WEB), rule({ stable: { role: 'stable' }, canary: { track: 'canary' } }), route('stable', 'canary')])).toEqual([]);
    expect(found([both, service(WEB), rule({ mixed: { role: 'stable', track: 'canary' } }), route('mixed')]))
      .toEqual(['subset-selects-nothing DestinationRule/shop/web spec.subsets[0].labels']);
  });

  test('are those of the strategy it runs, canary before blueGreen', () => {
    const both = rollout({ template: template(WEB), strategy: { canary: { stableMetadata: { labels: { role: 'stable' } } }, blueGreen: { activeMetadata: { labels: { role: 'active' } } } } });
    expect(found([both, service({ app: 'web', role: 'stable' })])).toEqual([]);
    expect(found([both, service({ app: 'web', role: 'active' })])).toEqual(['service-selects-nothing Service/shop/web spec.selector']);
    const blueGreen = rollout({ template: template(WEB), strategy: { canary: 'none', blueGreen: { activeMetadata: { labels: { role: 'active' } } } } });
    expect(found([blueGreen, service({ app: 'web', role: 'active' })])).toEqual([]);
  });

  test('narrow a Service\'s pods before a subset narrows them further: one pod must carry both', () => {
    const both = rollout({ template: template(WEB), strategy: { canary: { stableMetadata: { labels: { role: 'stable' } }, canaryMetadata: { labels: { role: 'canary' } } } } });
    const stableOnly = service({ app: 'web', role: 'stable' }, 'web-stable');
    const to = (subset: string) => istio('VirtualService', 'web', { hosts: ['web-stable'], http: [{ route: [{ destination: { host: 'web-stable', subset } }] }] });
    const subsets = istio('DestinationRule', 'web', { host: 'web-stable', subsets: [{ name: 'c', labels: { role: 'canary' } }, { name: 's', labels: { role: 'stable' } }] });
    expect(found([both, stableOnly, subsets, to('c')])).toEqual(['subset-selects-nothing DestinationRule/shop/web spec.subsets[0].labels']);
    expect(found([both, stableOnly, subsets, to('s')])).toEqual(['unrouted-subset-selects-nothing DestinationRule/shop/web spec.subsets[0].labels']);
  });

  test('are a Rollout\'s alone: a Deployment\'s pods carry their template', () => {
    const deploymentWithMetadata = { ...deployment('web', 2), spec: { ...deployment('web', 2).spec, strategy: { canary: { stableMetadata: { labels: { role: 'stable' } } } } } };
    expect(found([deploymentWithMetadata, service({ app: 'web', role: 'stable' })])).toEqual(['service-selects-nothing Service/shop/web spec.selector']);
  });
});

describe('the pod-template hash a Rollout\'s controller gives its pods and writes into selectors', () => {
  const hashed = { app: 'web', 'rollouts-pod-template-hash': '6d4f8b7c9' };

  test('is carried by a Rollout\'s pods, whatever its value, as in a Service the controller switched', () => {
    expect(found([rollout({ template: template(WEB), strategy: CANARY }), service(hashed, 'web-stable')])).toEqual([]);
    expect(found([rollout({ template: template(WEB), strategy: CANARY }), service({ 'rollouts-pod-template-hash': '6d4f8b7c9' }, 'web-stable')])).toEqual([]);
    expect(found([rollout({ template: template(WEB) }), service(WEB), rule({ stable: hashed }), route('stable')])).toEqual([]);
  });

  test('is carried whatever its value where a subset names it, the other labels still counting', () => {
    const subsets = rule({ stable: hashed, wrong: { ...hashed, version: 'v9' } });
    expect(found([rollout({ template: template(WEB) }), service(WEB), subsets, route('stable', 'wrong')]))
      .toEqual(['subset-selects-nothing DestinationRule/shop/web spec.subsets[1].labels']);
  });

  test('is carried by no other workload\'s pods', () => {
    expect(found([deployment('web', 2), service(hashed, 'web-stable')])).toEqual(['service-selects-nothing Service/shop/web-stable spec.selector']);
    expect(found([deployment('web', 2), service({ 'rollouts-pod-template-hash': '6d4f8b7c9' }, 'web-stable')]))
      .toEqual(['service-selects-nothing Service/shop/web-stable spec.selector']);
    // Beside the hash, the other labels still count.
    expect(found([rollout({ template: template(WEB) }), service({ app: 'api', 'rollouts-pod-template-hash': '6d4f8b7c9' })]))
      .toEqual(['service-selects-nothing Service/shop/web spec.selector']);
  });
});

describe('the subsets a Rollout\'s canary traffic routing manages', () => {
  const managing = (subsets: Obj = { canarySubsetName: 'canary', stableSubsetName: 'stable' }, name = 'web') => rollout({
    template: template(WEB),
    strategy: { canary: { trafficRouting: { istio: { virtualService: { name: 'web', routes: ['primary'] }, destinationRule: { name, ...subsets } } }, steps: [{ setWeight: 20 }] } },
  });
  const subsets = rule({ stable: WEB, canary: WEB });

  test('take its pods alone, by the hash its controller adds, beside a Deployment it replaces', () => {
    expect(found([deployment('web-legacy', 3), managing(), service(WEB), subsets, route('stable', 'canary')])).toEqual([]);
    expect(found([deployment('web-legacy', 3), rollout({ template: template(WEB) }), service(WEB), subsets, route('stable', 'canary')])).toEqual([
      'subset-selects-many DestinationRule/shop/web spec.subsets[0].labels',
      'subset-selects-many DestinationRule/shop/web spec.subsets[1].labels',
    ]);
  });

  test('are only those it names, of the rule it names', () => {
    expect(found([deployment('web-legacy', 3), managing({ stableSubsetName: 'stable' }), service(WEB), subsets, route('stable', 'canary')]))
      .toEqual(['subset-selects-many DestinationRule/shop/web spec.subsets[1].labels']);
    expect(found([deployment('web-legacy', 3), managing({ canarySubsetName: 'canary', stableSubsetName: 'stable' }, 'other'), service(WEB), subsets, route('stable', 'canary')]))
      .toEqual(['subset-selects-many DestinationRule/shop/web spec.subsets[0].labels', 'subset-selects-many DestinationRule/shop/web spec.subsets[1].labels']);
  });

  test('take no pods where its labels are not the Rollout\'s', () => {
    expect(found([deployment('web-legacy', 3, { app: 'web', track: 'legacy' }), managing(), service(WEB), rule({ stable: { track: 'legacy' }, canary: WEB }), route('stable', 'canary')]))
      .toEqual(['subset-selects-nothing DestinationRule/shop/web spec.subsets[0].labels']);
  });

  test('send their share to the Rollout alone, which fails where it runs no pods', () => {
    const idle = { ...managing(), spec: { ...managing().spec, replicas: 0 } };
    expect(found([deployment('web-legacy', 3), idle, service(WEB), subsets, route('stable', 'canary')]))
      .toEqual(['route-to-no-replicas VirtualService/shop/web spec.http[0].route[0]']);
  });

  test('are among the workloads a subset picks once each, however many kinds of pods they run', () => {
    const labelled = managing();
    const kinds = { ...labelled, spec: { ...labelled.spec, strategy: { canary: { stableMetadata: { labels: { role: 'stable' } }, canaryMetadata: { labels: { role: 'canary' } } } } } };
    expect(verifiedFindings([deployment('web-legacy', 3), kinds, service(WEB), rule({ all: WEB }), route('all')]).map(f => f.message.split(', so')[0]))
      .toEqual(['subset all (app=web) matches the pods of Deployment/shop/web-legacy, Rollout/shop/web']);
  });

  test('split the host, so that a gateway route without subset bypasses them', () => {
    const gateway = istio('VirtualService', 'web-public', { hosts: ['web.example.com'], gateways: ['istio-system/public'], http: [{ route: [{ destination: { host: 'web' } }] }] });
    const options = { externalGateways: ['istio-system/public'] };
    const bypass = (objects: Obj[]) => verifiedFindings(objects, options).filter(f => f.code === 'gateway-route-bypasses-split').map(f => f.object);
    expect(bypass([managing(), service(WEB), subsets, route('stable'), gateway])).toEqual(['VirtualService/shop/web-public']);
    // Unmanaged, the subset holds every pod of the Rollout, and picks none out.
    expect(bypass([rollout({ template: template(WEB) }), service(WEB), subsets, route('stable'), gateway])).toEqual([]);
    // A subset by an ephemeral label holds the pods of one kind alone.
    const labelled = rollout({ template: template(WEB), strategy: { canary: { stableMetadata: { labels: { role: 'stable' } } } } });
    expect(bypass([labelled, service(WEB), rule({ stable: { role: 'stable' } }), route('stable'), gateway])).toEqual(['VirtualService/shop/web-public']);
    // Behind a Service of the stable pods alone, that subset holds every pod.
    const stableService = service({ app: 'web', role: 'stable' });
    expect(bypass([labelled, stableService, rule({ stable: { role: 'stable' } }), route('stable'), gateway])).toEqual([]);
  });
});
