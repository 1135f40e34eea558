import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BlueGreenApp, CanaryApp, CanaryAppProps, ReleaseController, TrafficApi, VersionProps, WhenUnsatisfiable,
} from '../src';
import { find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const v1: VersionProps = { image: 'cart:1.4', version: 'v1' };
const v2: VersionProps = { image: 'cart:1.5', version: 'v2' };

function cart(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Cart', { port: 8080, stable: v1, canary: v2, canaryWeight: 10, ...props });
}

/** The pod template of each workload an output emits: the Deployments, or the Rollout. */
function templates(objects: Manifest[]): Manifest[] {
  return objects.filter(o => o.kind === 'Deployment' || o.kind === 'Rollout').map(o => o.spec.template);
}

describe('per-version settings over the app\'s', () => {
  const objects = synth(chart => {
    const config = kplus.Volume.fromEmptyDir(chart, 'Config', 'config');
    const canaryConfig = kplus.Volume.fromConfigMap(chart, 'CanaryConfig', kplus.ConfigMap.fromConfigMapName(chart, 'Map', 'cart-v2'), { name: 'config' });
    const scratch = kplus.Volume.fromEmptyDir(chart, 'Scratch', 'scratch');
    cart(chart, {
      env: { LOG_LEVEL: kplus.EnvValue.fromValue('info'), REGION: kplus.EnvValue.fromValue('eu') },
      podLabels: { team: 'shop', tier: 'api' },
      podAnnotations: { 'sidecar.istio.io/proxyCPU': '100m', 'example.com/owner': 'shop' },
      volumes: [config],
      volumeMounts: [{ volume: config, path: '/etc/cart' }],
      command: ['/cart'],
      canary: {
        ...v2,
        env: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') },
        podLabels: { tier: 'canary' },
        podAnnotations: { 'sidecar.istio.io/proxyCPU': '200m' },
        volumes: [canaryConfig, scratch],
        command: ['/cart', '--new-checkout'],
      },
    });
  });
  const [stable, canary] = templates(objects);

  test('merges env, pod labels and annotations name by name, the version\'s winning', () => {
    expect(stable.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu' }]);
    expect(canary.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'REGION', value: 'eu' }]);
    expect(stable.metadata.labels).toEqual({ app: 'cart', version: 'v1', team: 'shop', tier: 'api' });
    expect(canary.metadata.labels).toEqual({ app: 'cart', version: 'v2', team: 'shop', tier: 'canary' });
    expect(stable.metadata.annotations).toEqual({ 'sidecar.istio.io/proxyCPU': '100m', 'example.com/owner': 'shop' });
    expect(canary.metadata.annotations).toEqual({ 'sidecar.istio.io/proxyCPU': '200m', 'example.com/owner': 'shop' });
  });

  test('replaces the app\'s volume of the same name with the version\'s, under the same mount, and adds the version\'s others', () => {
    expect(stable.spec.volumes).toEqual([{ name: 'config', emptyDir: {} }]);
    expect(canary.spec.volumes).toEqual([{ name: 'config', configMap: { name: 'cart-v2' } }, { name: 'scratch', emptyDir: {} }]);
    for (const template of [stable, canary]) expect(template.spec.containers[0].volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/cart' }]);
  });

  test('takes any other setting of the version\'s in place of the app\'s', () => {
    expect(stable.spec.containers[0].command).toEqual(['/cart']);
    expect(canary.spec.containers[0].command).toEqual(['/cart', '--new-checkout']);
  });

  test('keeps the release\'s labels on the Deployment and its selector, and every object valid', () => {
    expect(find(objects, 'Deployment', 'cart-v2').spec.selector).toEqual({ matchLabels: { app: 'cart', version: 'v2' } });
    expect(find(objects, 'Deployment', 'cart-v2').metadata.labels).toEqual({ app: 'cart', version: 'v2' });
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });
});

describe('safe cutover by default', () => {
  const outputs: [string, (chart: Chart) => void][] = [
    ['a canary walked by Git', chart => cart(chart)],
    ['a blue/green walked by Git', chart => new BlueGreenApp(chart, 'Cart', { port: 8080, blue: v1, green: v2 })],
    ['the Gateway API', chart => cart(chart, { trafficApi: TrafficApi.GATEWAY_API })],
    ['Argo Rollouts', chart => cart(chart, { canaryWeight: undefined, controller: ReleaseController.ARGO_ROLLOUTS, plan: { steps: [10] } })],
    ['Flagger', chart => cart(chart, { canaryWeight: undefined, controller: ReleaseController.FLAGGER, plan: { steps: [10] } })],
  ];

  test.each(outputs)('pauses 5 s before the main container stops, within a 30 s grace period, with %s', (_, build) => {
    const objects = synth(build);
    expect(templates(objects).length).toBeGreaterThan(0);
    for (const template of templates(objects)) {
      expect(template.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
      expect(template.spec.terminationGracePeriodSeconds).toBe(30);
    }
    expectValidManifests(objects);
  });

  test('resolves the pause and the grace period into the app\'s fields', () => {
    const app = cart(newChart(), { shutdownDelay: Duration.seconds(15), terminationGracePeriod: Duration.minutes(1) });
    expect(app.shutdownDelay.toSeconds()).toBe(15);
    expect(app.terminationGracePeriod.toSeconds()).toBe(60);
    expect(cart(newChart()).shutdownDelay.toSeconds()).toBe(5);
  });

  test('pauses as long as shutdownDelay says, in the grace period given', () => {
    const [template] = templates(synth(chart => cart(chart, { shutdownDelay: Duration.seconds(20), terminationGracePeriod: Duration.seconds(21) })));
    expect(template.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 20 } } });
    expect(template.spec.terminationGracePeriodSeconds).toBe(21);
  });

  test('adds no pause with a shutdownDelay of 0, whatever the grace period', () => {
    const [template] = templates(synth(chart => cart(chart, { shutdownDelay: Duration.seconds(0), terminationGracePeriod: Duration.seconds(0) })));
    expect(template.spec.containers[0].lifecycle).toBeUndefined();
    expect(template.spec.terminationGracePeriodSeconds).toBe(0);
  });

  test('lets a preStop hook of the app\'s or a version\'s own replace the pause', () => {
    const objects = synth(chart => cart(chart, {
      lifecycle: { preStop: kplus.Handler.fromCommand(['/drain']) },
      canary: { ...v2, lifecycle: { postStart: kplus.Handler.fromCommand(['/warm']) } },
    }));
    const [stable, canary] = templates(objects);
    expect(stable.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/drain'] } } });
    // The version's lifecycle replaces the app's whole: it has no preStop, so it gets the pause.
    expect(canary.spec.containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['/warm'] } }, preStop: { sleep: { seconds: 5 } } });
  });
});

describe('ServiceAccount', () => {
  test('emits one named after the app ahead of the workloads, with createServiceAccount, and runs the pods as it', () => {
    let app!: CanaryApp;
    const objects = synth(chart => { app = cart(chart, { createServiceAccount: true, automountServiceAccountToken: true }); });
    expect(kinds(objects)).toEqual(['ServiceAccount', 'Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
    expect(find(objects, 'ServiceAccount', 'cart')).toEqual({
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } }, automountServiceAccountToken: true,
    });
    for (const template of templates(objects)) {
      expect(template.spec.serviceAccountName).toBe('cart');
      expect(template.spec.automountServiceAccountToken).toBe(true);
    }
    expect(app.serviceAccountName).toBe('cart');
    expect(app.serviceAccount).toBe(ApiObject.of(app.node.findChild('ServiceAccount')));
    expectValidManifests(objects);
  });

  test('emits one under every controller, ahead of its workload', () => {
    for (const controller of [ReleaseController.ARGO_ROLLOUTS, ReleaseController.FLAGGER]) {
      const objects = synth(chart => cart(chart, { canaryWeight: undefined, controller, plan: { steps: [10] }, createServiceAccount: true }));
      expect(kinds(objects)[0]).toBe('ServiceAccount');
      expect(templates(objects).map(t => t.spec.serviceAccountName)).toEqual(['cart']);
    }
  });

  test('runs the pods as an existing one, and emits none', () => {
    let app!: CanaryApp;
    const objects = synth(chart => { app = cart(chart, { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Account', 'shop-api') }); });
    expect(kinds(objects)).not.toContain('ServiceAccount');
    expect(templates(objects).map(t => [t.spec.serviceAccountName, t.spec.automountServiceAccountToken])).toEqual([['shop-api', false], ['shop-api', false]]);
    expect(app.serviceAccountName).toBe('shop-api');
    expect(app.serviceAccount).toBeUndefined();
  });
});

describe('scheduling', () => {
  test('requires and prefers nodes, tolerates taints, and spreads each version\'s own pods', () => {
    const objects = synth(chart => cart(chart, {
      nodeAffinity: [
        { node: kplus.Node.labeled(kplus.NodeLabelQuery.is('disktype', 'ssd')) },
        { node: kplus.Node.labeled(kplus.NodeLabelQuery.in('zone-class', ['fast'])), weight: 30 },
      ],
      tolerations: [kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot'))],
      topologySpread: [
        { topology: kplus.Topology.ZONE, maxSkew: 2, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE },
        { topology: kplus.Topology.HOSTNAME },
      ],
    }));
    const [stable, canary] = templates(objects);
    expect(stable.spec.affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, preference: { matchExpressions: [{ key: 'zone-class', operator: 'In', values: ['fast'] }] } }],
    });
    expect(stable.spec.tolerations).toEqual([{ key: 'spot', operator: 'Exists' }]);
    expect(canary.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'cart', version: 'v2' } } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'cart', version: 'v2' } } },
    ]);
    expectValidManifests(objects);
  });

  test('leaves the pods to the scheduler\'s defaults without scheduling props', () => {
    const [template] = templates(synth(chart => cart(chart)));
    for (const field of ['affinity', 'tolerations', 'topologySpreadConstraints', 'nodeSelector', 'priorityClassName', 'imagePullSecrets', 'volumes']) {
      expect(template.spec[field]).toBeUndefined();
    }
    expect(template.metadata).toEqual({ labels: { app: 'cart', version: 'v1' } });
  });
});

describe('containers and pod settings', () => {
  test('runs init containers and sidecars with cdk8s-plus\'s secure defaults, and several pull secrets', () => {
    const objects = synth(chart => cart(chart, {
      initContainers: [{ name: 'migrate', image: 'cart-migrate:1', securityContext: { user: 1000 } }],
      sidecars: [{ name: 'proxy-cache', image: 'varnish:7', portNumber: 6081, resources: { memory: { request: Size.mebibytes(64) } } }],
      imagePullSecrets: [kplus.Secret.fromSecretName(chart, 'A', 'registry-a'), kplus.Secret.fromSecretName(chart, 'B', 'registry-b')],
      podSecurityContext: { fsGroup: 2000 },
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['legacy.local'] }],
      workingDir: '/srv',
      extraContainerPorts: [{ number: 9090, name: 'metrics' }],
      envFrom: [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'Env', 'cart-env'), 'CART_')],
    }));
    const [template] = templates(objects);
    expect(template.spec.initContainers).toEqual([expect.objectContaining({ name: 'migrate', image: 'cart-migrate:1', securityContext: expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000 }) })]);
    expect(template.spec.containers.map((c: Manifest) => c.name)).toEqual(['cart', 'proxy-cache']);
    expect(template.spec.containers[1]).toMatchObject({ ports: [{ containerPort: 6081 }], securityContext: { readOnlyRootFilesystem: true } });
    expect(template.spec.imagePullSecrets).toEqual([{ name: 'registry-a' }, { name: 'registry-b' }]);
    expect(template.spec.securityContext).toEqual({ fsGroup: 2000, fsGroupChangePolicy: 'Always', runAsNonRoot: true });
    expect(template.spec.hostAliases).toEqual([{ ip: '10.0.0.5', hostnames: ['legacy.local'] }]);
    expect(template.spec.containers[0]).toMatchObject({
      workingDir: '/srv', ports: [{ containerPort: 8080 }, { containerPort: 9090, name: 'metrics' }], envFrom: [{ configMapRef: { name: 'cart-env' }, prefix: 'CART_' }],
    });
    expectValidManifests(objects);
  });
});
