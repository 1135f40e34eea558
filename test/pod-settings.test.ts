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
    // Hook by hook: the version's postStart keeps the app's preStop.
    expect(canary.spec.containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['/warm'] } }, preStop: { exec: { command: ['/drain'] } } });
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

describe('apps side by side', () => {
  const plainPod = (objects: Manifest[], name: string) => {
    const { containers, ...pod } = find(objects, 'Deployment', `${name}-v1`).spec.template.spec;
    return { ...pod, containers: containers.map((c: Manifest) => ({ ...c, name: 'main', image: 'image' })) };
  };
  test.each([
    ['serviceAccount', (c: Chart) => kplus.ServiceAccount.fromServiceAccountName(c, 'Account', 'shop-api')],
    ['createServiceAccount', () => true],
    ['automountServiceAccountToken', () => true],
    ['initContainers', () => [{ name: 'migrate', image: 'migrate:1' }]],
    ['sidecars', () => [{ name: 'agent', image: 'agent:1' }]],
    ['nodeSelector', () => ({ 'kubernetes.io/arch': 'arm64' })],
    ['nodeAffinity', () => [{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is('disktype', 'ssd')) }]],
    ['tolerations', () => [kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot'))]],
    ['priorityClassName', () => 'high'],
    ['imagePullSecrets', (c: Chart) => [kplus.Secret.fromSecretName(c, 'Pull', 'registry')]],
    ['podSecurityContext', () => ({ fsGroup: 2000 })],
    ['hostAliases', () => [{ ip: '10.0.0.5', hostnames: ['legacy.local'] }]],
    ['dns', () => ({ searches: ['shop.local'] })],
  ] as [string, (c: Chart) => unknown][])('keep %s to the app that sets it, before and after plain apps', (key, value) => {
    const objects = synth(chart => {
      new CanaryApp(chart, 'Before', { stable: { image: 'before:1', version: 'v1' } });
      new CanaryApp(chart, 'Rich', { stable: { image: 'rich:1', version: 'v1' }, [key]: value(chart) });
      new CanaryApp(chart, 'After', { stable: { image: 'after:1', version: 'v1' } });
    });
    expect(plainPod(objects, 'rich')).not.toEqual(plainPod(objects, 'before'));
    expect(plainPod(objects, 'after')).toEqual(plainPod(objects, 'before'));
  });


  test('keep their own pod settings: an app without them shares nothing with one that has them', () => {
    const objects = synth(chart => {
      new CanaryApp(chart, 'Plain', { stable: { image: 'plain:1', version: 'v1' } });
      new CanaryApp(chart, 'Rich', {
        stable: { image: 'rich:1', version: 'v1' },
        sidecars: [{ name: 'agent', image: 'agent:1' }],
        tolerations: [kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot'))],
        terminationGracePeriod: Duration.seconds(60),
      });
      new CanaryApp(chart, 'Slow', { stable: { image: 'slow:1', version: 'v1' }, terminationGracePeriod: Duration.seconds(90) });
      new CanaryApp(chart, 'Again', { stable: { image: 'again:1', version: 'v1' } });
    });
    const pod = (name: string) => find(objects, 'Deployment', `${name}-v1`).spec.template.spec;
    expect(pod('rich').containers.map((c: Manifest) => c.name)).toEqual(['rich', 'agent']);
    expect(pod('rich').tolerations).toEqual([{ key: 'spot', operator: 'Exists' }]);
    for (const name of ['plain', 'slow', 'again']) {
      expect(pod(name).containers.map((c: Manifest) => [c.name, c.image])).toEqual([[name, `${name}:1`]]);
      expect(pod(name).tolerations).toBeUndefined();
    }
    expect(['plain', 'rich', 'slow', 'again'].map(name => pod(name).terminationGracePeriodSeconds)).toEqual([30, 60, 90, 30]);
  });
});

describe('containers and pod settings', () => {
  test('mounts a volume by its name: containers may hold different Volume objects of one name, and the pod gets the declared one', () => {
    const objects = synth(chart => {
      const declared = kplus.Volume.fromEmptyDir(chart, 'Logs', 'logs', { sizeLimit: Size.mebibytes(64) });
      cart(chart, {
        volumes: [declared],
        volumeMounts: [{ volume: declared, path: '/var/log/cart' }],
        sidecars: [
          { name: 'shipper', image: 'fluent-bit:3', volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(chart, 'LogsA', 'logs'), path: '/logs' }] },
          { name: 'rotator', image: 'logrotate:1', volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(chart, 'LogsB', 'logs'), path: '/logs' }] },
        ],
      });
    });
    const [template] = templates(objects);
    expect(template.spec.volumes).toEqual([{ name: 'logs', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(template.spec.containers.map((c: Manifest) => c.volumeMounts)).toEqual([
      [{ name: 'logs', mountPath: '/var/log/cart' }], [{ name: 'logs', mountPath: '/logs' }], [{ name: 'logs', mountPath: '/logs' }],
    ]);
  });

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

describe('bad pod settings', () => {
  type Props = { [key: string]: unknown };
  test.each([
    ['a mount of the app names a volume that is not in volumes', (c: Chart): Props => ({ volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(c, 'V', 'cache'), path: '/cache' }] }), 'test/Cart: volumeMounts[0].volume names a volume that is not in the app\'s or stable.volumes, got "cache"; add the volume to volumes or stable.volumes'],
    ['a mount of a version names a volume that is not in volumes', (c: Chart): Props => ({ stable: { ...v1, volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(c, 'V', 'cache'), path: '/cache' }] } }), 'test/Cart: stable.volumeMounts[0].volume names a volume that is not in the app\'s or stable.volumes, got "cache"; add the volume to volumes or stable.volumes'],
    ['a sidecar mounts a volume that is not in volumes', (c: Chart): Props => ({ sidecars: [{ name: 's', image: 'x', volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(c, 'V', 'cache'), path: '/cache' }] }] }), 'test/Cart: sidecars[0].volumeMounts[0].volume names a volume that is not in the app\'s or stable.volumes, got "cache"; add the volume to volumes or stable.volumes'],
    ["a sidecar has the main container's name", (): Props => ({ sidecars: [{ name: 'cart', image: 'x' }] }), 'test/Cart: sidecars[0].name is the name of the main container, got "cart"; give each container of the pod its own name'],
    ['two sidecars have one name', (): Props => ({ sidecars: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }), 'test/Cart: sidecars[1].name is the name of sidecars[0], got "a"; give each container of the pod its own name'],
    ['an init container and a sidecar have one name', (): Props => ({ initContainers: [{ name: 'a', image: 'x' }], sidecars: [{ name: 'a', image: 'y' }] }), 'test/Cart: sidecars[0].name is the name of initContainers[0], got "a"; give each container of the pod its own name'],
    ['a sidecar has no name', (): Props => ({ sidecars: [{ image: 'x' }] }), 'test/Cart: sidecars[0].name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got nothing; e.g. "log-shipper"'],
    ['a sidecar has no image', (): Props => ({ sidecars: [{ name: 'a', image: '' }] }), 'test/Cart: sidecars[0].image must be a container image reference without spaces, got ""; e.g. "nginx:1.11"'],
    ["a sidecar port collides with the app's port", (): Props => ({ sidecars: [{ name: 'a', image: 'x', portNumber: 8080 }] }), 'test/Cart: sidecars[0].portNumber is already a port the Service routes to, got 8080; give each port of the pod its own number'],
    ['a sidecar port collides with an extra container port', (): Props => ({ extraContainerPorts: [{ number: 9090 }], sidecars: [{ name: 'a', image: 'x', ports: [{ number: 9090 }] }] }), 'test/Cart: sidecars[0].ports[0].number is already extraContainerPorts[0].number, got 9090; give each port of the pod its own number'],
    ["a sidecar port is one of Istio's proxy", (): Props => ({ sidecars: [{ name: 'a', image: 'x', portNumber: 15090 }] }), "test/Cart: sidecars[0].portNumber is a port of Istio's proxy (15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090), which shares the pod's network, got 15090; use another port"],
    ['an extra container port is one the Service routes to', (): Props => ({ extraContainerPorts: [{ number: 8080 }] }), 'test/Cart: extraContainerPorts[0].number is already a port the Service routes to, got 8080; give each port of the pod its own number'],
    ["the container port is one of Istio's proxy", (): Props => ({ containerPort: 15006 }), "test/Cart: containerPort is a port of Istio's proxy (15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090), which shares the pod's network, got 15006; use another port"],
    ['a pod label would override app', (): Props => ({ podLabels: { app: 'x' } }), 'test/Cart: podLabels may not set "app", which the release\'s Service and subsets select by, got {"app":"x"}; leave "app" out: the app sets it from its name'],
    ["a version's pod label would override version", (): Props => ({ canary: { ...v2, podLabels: { version: 'x' } } }), 'test/Cart: canary.podLabels may not set "version", which the release\'s Service and subsets select by, got {"version":"x"}; leave "version" out: the app sets it from each version\'s version'],
    ['a pod label key is invalid', (): Props => ({ podLabels: { 'a b': 'x' } }), 'test/Cart: podLabels must have keys that are label keys, got "a b"; e.g. { team: "shop" }'],
    ['a pod label value is invalid', (): Props => ({ podLabels: { team: 'a b' } }), 'test/Cart: podLabels.team must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63), got "a b"; e.g. { team: "shop" }'],
    ['the ServiceAccount name is invalid', (c: Chart): Props => ({ serviceAccount: kplus.ServiceAccount.fromServiceAccountName(c, 'SA', 'Cart_SA') }), 'test/Cart: serviceAccount must be a ServiceAccount with a DNS-1123 subdomain name (lower-case letters, digits, "-" and "."), got "Cart_SA"; use e.g. kplus.ServiceAccount.fromServiceAccountName(scope, "Account", "cart")'],
    ['a ServiceAccount is both created and given', (c: Chart): Props => ({ createServiceAccount: true, serviceAccount: kplus.ServiceAccount.fromServiceAccountName(c, 'SA', 'cart') }), 'test/Cart: createServiceAccount makes a ServiceAccount "cart", and serviceAccount already names one, got "cart"; leave one of them out'],
    ['the grace period is no longer than the preStop pause', (): Props => ({ terminationGracePeriod: Duration.seconds(5) }), 'test/Cart: terminationGracePeriod must be longer than shutdownDelay (5s): the pod is killed when it ends, and the app needs time after the pause to finish its requests, got "5s"; use e.g. Duration.seconds(30), or a shorter shutdownDelay'],
    ['shutdownDelay and a preStop hook are both given', (): Props => ({ shutdownDelay: Duration.seconds(3), lifecycle: { preStop: kplus.Handler.fromCommand(['x']) } }), 'test/Cart: lifecycle.preStop replaces the pause of shutdownDelay, and both are given, got a Handler; leave shutdownDelay out, or lifecycle.preStop'],
    ["shutdownDelay and a version's preStop hook are both given", (): Props => ({ shutdownDelay: Duration.seconds(3), canary: { ...v2, lifecycle: { preStop: kplus.Handler.fromCommand(['x']) } } }), 'test/Cart: canary.lifecycle.preStop replaces the pause of shutdownDelay, and both are given, got a Handler; leave shutdownDelay out, or lifecycle.preStop'],
    ['shutdownDelay is not whole seconds', (): Props => ({ shutdownDelay: Duration.millis(1500) }), 'test/Cart: shutdownDelay must be a Duration of whole seconds, 0 or more, got "1.5s"; use e.g. Duration.seconds(30)'],
    ['volumes is not a list', (): Props => ({ volumes: 'x' }), 'test/Cart: volumes must be a list, got "x"; e.g. [kplus.Volume.fromEmptyDir(scope, "Cache", "cache")]'],
    ['a volume is not a kplus Volume', (): Props => ({ volumes: [{ name: 'x' }] }), 'test/Cart: volumes[0] must be a Volume, got {"name":"x"}; use e.g. kplus.Volume.fromConfigMap(scope, "Config", configMap)'],
    ['two volumes have one name', (c: Chart): Props => ({ volumes: [kplus.Volume.fromEmptyDir(c, 'A', 'x'), kplus.Volume.fromEmptyDir(c, 'B', 'x')] }), 'test/Cart: volumes[1].name is the name of another volume, got "x"; give each volume its own name'],
    ['a mount path is relative', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: 'x' }] }; }, 'test/Cart: volumeMounts[0].path must be an absolute path, got "x"; e.g. "/etc/app"'],
    ['two mounts have one path', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: '/x' }, { volume: v, path: '/x' }] }; }, 'test/Cart: volumeMounts[1].path is the path of another mount of the container, got "/x"; mount each volume at its own path'],
    ['envFrom holds something else than an EnvFrom', (): Props => ({ envFrom: ['x'] }), 'test/Cart: envFrom[0] must be an EnvFrom, got "x"; use e.g. kplus.Env.fromConfigMap(configMap)'],
    ['an env value is not an EnvValue', (): Props => ({ env: { A: 'x' } }), 'test/Cart: env.A must be an EnvValue, got "x"; use e.g. kplus.EnvValue.fromValue("info")'],
    ['an env name is invalid', (): Props => ({ env: { '1A': kplus.EnvValue.fromValue('x') } }), 'test/Cart: env must name variables with letters, digits, "_", "-" and ".", not starting with a digit, got "1A"; e.g. "LOG_LEVEL"'],
    ['a lifecycle hook is not a Handler', (): Props => ({ lifecycle: { preStop: ['sleep'] } }), 'test/Cart: lifecycle.preStop must be a Handler, got ["sleep"]; use e.g. kplus.Handler.fromCommand(["/drain"])'],
    ['an extra container port name is invalid', (): Props => ({ extraContainerPorts: [{ number: 9090, name: 'Metrics_Port' }] }), 'test/Cart: extraContainerPorts[0].name must be lower-case letters, digits and "-", with a letter, at most 15, got "Metrics_Port"; e.g. "metrics"'],
    ['a pod annotation value is not a string', (): Props => ({ podAnnotations: { a: 1 } }), 'test/Cart: podAnnotations.a must be a string, got 1; quote numbers and booleans, e.g. "true"'],
    ['a node selector key is invalid', (): Props => ({ nodeSelector: { 'a b': 'x' } }), 'test/Cart: nodeSelector must have keys that are label keys, got "a b"; e.g. { "kubernetes.io/arch": "arm64" }'],
    ['a node affinity weight is below 1', (): Props => ({ nodeAffinity: [{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is('a', 'b')), weight: 0 }] }), 'test/Cart: nodeAffinity[0].weight must be a whole number from 1 to 100, got 0; use e.g. 50, or leave it out to require the nodes'],
    ['a node affinity is not a LabeledNode', (): Props => ({ nodeAffinity: [{ node: 'x' }] }), 'test/Cart: nodeAffinity[0].node must be a LabeledNode, got "x"; use e.g. kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd"))'],
    ['a toleration is not a TaintedNode', (): Props => ({ tolerations: [{ key: 'x' }] }), 'test/Cart: tolerations[0] must be a TaintedNode, got {"key":"x"}; use e.g. kplus.Node.tainted(kplus.NodeTaintQuery.is("dedicated", "shop"))'],
    ['two spreads have one topology and action', (): Props => ({ topologySpread: [{ topology: kplus.Topology.ZONE }, { topology: kplus.Topology.ZONE }] }), 'test/Cart: topologySpread[1].topology spreads over topology.kubernetes.io/zone twice with ScheduleAnyway, got "topology.kubernetes.io/zone"; give each topology one spread'],
    ["a spread's maxSkew is 0", (): Props => ({ topologySpread: [{ topology: kplus.Topology.ZONE, maxSkew: 0 }] }), 'test/Cart: topologySpread[0].maxSkew must be a whole number, 1 or more, got 0; use e.g. 2'],
    ["a spread's whenUnsatisfiable is unknown", (): Props => ({ topologySpread: [{ topology: kplus.Topology.ZONE, whenUnsatisfiable: 'Never' }] }), 'test/Cart: topologySpread[0].whenUnsatisfiable must be one of ["ScheduleAnyway","DoNotSchedule"], got "Never"; use e.g. "ScheduleAnyway"'],
    ['the priority class name is invalid', (): Props => ({ priorityClassName: 'High' }), 'test/Cart: priorityClassName must be a DNS-1123 subdomain, got "High"; e.g. "high-priority"'],
    ['a pull secret is not a Secret', (): Props => ({ imagePullSecrets: ['registry'] }), 'test/Cart: imagePullSecrets[0] must be a Secret with a DNS-1123 subdomain name (lower-case letters, digits, "-" and "."), got "registry"; use e.g. kplus.Secret.fromSecretName(scope, "Registry", "registry")'],
    ['the working directory is relative', (): Props => ({ workingDir: 'srv' }), 'test/Cart: workingDir must be an absolute path, got "srv"; e.g. "/app"'],
    ['an argument is not a string', (): Props => ({ args: [8080] }), 'test/Cart: args[0] must be a string, got 8080; write the list as e.g. ["--port", "8080"]'],
    ['dns is not an object', (): Props => ({ dns: 'x' }), 'test/Cart: dns must be an object, got "x"; e.g. { policy: kplus.DnsPolicy.CLUSTER_FIRST }'],
    ['the pod security context is not an object', (): Props => ({ podSecurityContext: 5 }), 'test/Cart: podSecurityContext must be an object, got 5; e.g. { user: 1000, group: 3000 }'],
    ['createServiceAccount is not a boolean', (): Props => ({ createServiceAccount: 'yes' }), 'test/Cart: createServiceAccount must be true or false, got "yes"; e.g. true'],
    ['a sidecar is null', (): Props => ({ sidecars: [null] }), 'test/Cart: sidecars[0] must be an object, got null; e.g. { name: "log-shipper", image: "fluent/fluent-bit:3.1" }'],
    ['a node affinity is null', (): Props => ({ nodeAffinity: [null] }), 'test/Cart: nodeAffinity[0] must be an object, got null; e.g. { node: kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd")) }'],
    ['hostAliases is not a list', (): Props => ({ hostAliases: {} }), 'test/Cart: hostAliases must be a list, got {}; e.g. [{ ip: "10.0.0.1", hostnames: ["db.local"] }]'],
    ['the image pull policy is unknown', (): Props => ({ imagePullPolicy: 'Sometimes' }), 'test/Cart: imagePullPolicy must be one of ["Always","IfNotPresent","Never"], got "Sometimes"; use e.g. "Always"'],
    ['envFrom holds a kplus object of another kind, which shows by its class', (c: Chart): Props => ({ envFrom: [kplus.Volume.fromConfigMap(c, 'V', kplus.ConfigMap.fromConfigMapName(c, 'M', 'm'))] }), 'test/Cart: envFrom[0] must be an EnvFrom, got a Volume; use e.g. kplus.Env.fromConfigMap(configMap)'],
    ['a node affinity weight is above 100', (): Props => ({ nodeAffinity: [{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is('a', 'b')), weight: 101 }] }), 'test/Cart: nodeAffinity[0].weight must be a whole number from 1 to 100, got 101; use e.g. 50, or leave it out to require the nodes'],
    ['the grace period is shorter than a longer pause', (): Props => ({ shutdownDelay: Duration.seconds(40) }), 'test/Cart: terminationGracePeriod must be longer than shutdownDelay (40s): the pod is killed when it ends, and the app needs time after the pause to finish its requests, got "30s"; use e.g. Duration.seconds(65), or a shorter shutdownDelay'],
    ['shutdownDelay is not a Duration', (): Props => ({ shutdownDelay: 5 }), 'test/Cart: shutdownDelay must be a Duration of whole seconds, 0 or more, got 5; use e.g. Duration.seconds(30)'],
    ['two extra container ports have one number', (): Props => ({ extraContainerPorts: [{ number: 9090 }, { number: 9090, name: 'admin' }] }), 'test/Cart: extraContainerPorts[1].number is already extraContainerPorts[0].number, got 9090; give each port of the pod its own number'],
    ['two extra container ports have one name', (): Props => ({ extraContainerPorts: [{ number: 9090, name: 'metrics' }, { number: 9091, name: 'metrics' }] }), 'test/Cart: extraContainerPorts[1].name is the name of another port of the container, got "metrics"; give each port its own name'],
    ['a version\'s extra port is an additional Service port\'s', (): Props => ({ additionalPorts: [{ port: 9000 }], canary: { ...v2, extraContainerPorts: [{ number: 9000 }] } }), 'test/Cart: canary.extraContainerPorts[0].number is already a port the Service routes to, got 9000; give each port of the pod its own number'],
    ['an additional Service port is one of Istio\'s proxy', (): Props => ({ additionalPorts: [{ port: 9000, containerPort: 15021 }] }), 'test/Cart: additionalPorts[0].containerPort is a port of Istio\'s proxy (15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090), which shares the pod\'s network, got 15021; use another port'],
    ['a sidecar\'s ports repeat its portNumber', (): Props => ({ sidecars: [{ name: 'a', image: 'x', portNumber: 2020, ports: [{ number: 2020 }] }] }), 'test/Cart: sidecars[0].ports[0].number is already sidecars[0].portNumber, got 2020; give each port of the pod its own number'],
    ['two sidecars share a port', (): Props => ({ sidecars: [{ name: 'a', image: 'x', portNumber: 2020 }, { name: 'b', image: 'y', port: 2020 }] }), 'test/Cart: sidecars[1].port is already sidecars[0].portNumber, got 2020; give each port of the pod its own number'],
    ['a sidecar\'s ports share a name', (): Props => ({ sidecars: [{ name: 'a', image: 'x', ports: [{ number: 1, name: 'web' }, { number: 2, name: 'web' }] }] }), 'test/Cart: sidecars[0].ports[1].name is the name of another port of the container, got "web"; give each port its own name'],
    ['a sidecar has both port and portNumber', (): Props => ({ sidecars: [{ name: 'a', image: 'x', port: 2020, portNumber: 2021 }] }), 'test/Cart: sidecars[0].port is the old name of portNumber, and both are given, got 2020; leave port out'],
    ['a sidecar port is not a port', (): Props => ({ sidecars: [{ name: 'a', image: 'x', portNumber: 70000 }] }), 'test/Cart: sidecars[0].portNumber must be an integer port from 1 to 65535, got 70000; use a port such as 80 or 8080'],
    ['an init container has a probe', (): Props => ({ initContainers: [{ name: 'a', image: 'x', readiness: kplus.Probe.fromCommand(['true']) }] }), 'test/Cart: initContainers[0].readiness can\'t be set on an init container, which runs to completion before the pod serves, got a Probe; leave readiness out'],
    ['an init container has a port', (): Props => ({ initContainers: [{ name: 'a', image: 'x', portNumber: 8081 }] }), 'test/Cart: initContainers[0].portNumber can\'t be set on an init container, which runs to completion before the pod serves, got 8081; leave portNumber out'],
    ['DNS policy None names no nameserver', (): Props => ({ dns: { policy: kplus.DnsPolicy.NONE } }), 'test/Cart: dns.nameservers must name at least one nameserver with policy DnsPolicy.NONE, got []; e.g. ["10.0.0.10"], or another policy'],
    ['DNS names 4 nameservers', (): Props => ({ dns: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } }), 'test/Cart: dns.nameservers may name at most 3 nameservers, got ["1.1.1.1","1.0.0.1","8.8.8.8","8.8.4.4"]; keep the first 3'],
    ['DNS names 7 search domains', (): Props => ({ dns: { searches: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] } }), 'test/Cart: dns.searches may name at most 6 search domains, got ["a","b","c","d","e","f","g"]; keep the 6 that matter'],
    ['DNS nameservers are not a list', (): Props => ({ dns: { nameservers: '10.0.0.10' } }), 'test/Cart: dns.nameservers must be a list, got "10.0.0.10"; e.g. ["10.0.0.10"]'],
    ['added capabilities are not a list', (): Props => ({ securityContext: { capabilities: { add: 'NET_ADMIN' } } }), 'test/Cart: securityContext.capabilities.add must be a list, got "NET_ADMIN"; e.g. [kplus.Capability.NET_RAW]'],
    ['DNS options are not a list', (): Props => ({ dns: { options: 5 } }), 'test/Cart: dns.options must be a list, got 5; e.g. [{ name: "ndots", value: "2" }]'],
    ['a main container probe is not a Probe', (): Props => ({ readiness: '/ready' }), 'test/Cart: readiness must be a Probe, got "/ready"; use e.g. kplus.Probe.fromHttpGet("/ready")'],
    ['a version\'s probe is not a Probe', (): Props => ({ canary: { ...v2, liveness: { path: '/live' } } }), 'test/Cart: canary.liveness must be a Probe, got {"path":"/live"}; use e.g. kplus.Probe.fromHttpGet("/ready")'],
    ['resources are not an object', (): Props => ({ resources: '500m' }), 'test/Cart: resources must be an object, got "500m"; e.g. { cpu: { request: kplus.Cpu.millis(250) } }'],
    ['a sidecar probe is not a Probe', (): Props => ({ sidecars: [{ name: 'a', image: 'x', startup: { x: 1 } }] }), 'test/Cart: sidecars[0].startup must be a Probe, got {"x":1}; use e.g. kplus.Probe.fromHttpGet("/ready")'],
    ['a sidecar env value is not an EnvValue', (): Props => ({ sidecars: [{ name: 'a', image: 'x', envVariables: { A: 'x' } }] }), 'test/Cart: sidecars[0].envVariables.A must be an EnvValue, got "x"; use e.g. kplus.EnvValue.fromValue("info")'],
    ['a sidecar envFrom is not an EnvFrom', (): Props => ({ sidecars: [{ name: 'a', image: 'x', envFrom: ['cart-env'] }] }), 'test/Cart: sidecars[0].envFrom[0] must be an EnvFrom, got "cart-env"; use e.g. kplus.Env.fromConfigMap(configMap)'],
    ['an init container command is not strings', (): Props => ({ initContainers: [{ name: 'a', image: 'x', command: 'migrate' }] }), 'test/Cart: initContainers[0].command must be a list, got "migrate"; e.g. ["/app", "serve"]'],
    ['an init container has a lifecycle hook', (): Props => ({ initContainers: [{ name: 'a', image: 'x', lifecycle: {} }] }), 'test/Cart: initContainers[0].lifecycle can\'t be set on an init container, which runs to completion before the pod serves, got {}; leave lifecycle out'],
    ['a sidecar pull policy is unknown', (): Props => ({ sidecars: [{ name: 'a', image: 'x', imagePullPolicy: 'Sometimes' }] }), 'test/Cart: sidecars[0].imagePullPolicy must be one of ["Always","IfNotPresent","Never"], got "Sometimes"; use e.g. "Always"'],
    ['the grace period is no longer than the pause a version without a preStop of its own gets', (): Props => ({ terminationGracePeriod: Duration.seconds(3), canary: { ...v2, lifecycle: { preStop: kplus.Handler.fromCommand(['/drain']) } } }), 'test/Cart: terminationGracePeriod must be longer than shutdownDelay (5s): the pod is killed when it ends, and the app needs time after the pause to finish its requests, got "3s"; use e.g. Duration.seconds(30), or a shorter shutdownDelay'],
    ['a node selector value is not a label value', (): Props => ({ nodeSelector: { disk: 'fast ssd' } }), 'test/Cart: nodeSelector.disk must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63), got "fast ssd"; e.g. { "kubernetes.io/arch": "arm64" }'],
    ['the DNS policy is unknown', (): Props => ({ dns: { policy: 'Bogus' } }), 'test/Cart: dns.policy must be one of ["ClusterFirst","ClusterFirstWithHostNet","Default","None"], got "Bogus"; use e.g. "ClusterFirst"'],
    ['a container port protocol is unknown', (): Props => ({ extraContainerPorts: [{ number: 9090, protocol: 'FOO' }] }), 'test/Cart: extraContainerPorts[0].protocol must be one of ["TCP","UDP","SCTP"], got "FOO"; use e.g. "TCP"'],
    ['a host alias has no IP address', (): Props => ({ hostAliases: [{ ip: 'db', hostnames: ['db.local'] }] }), 'test/Cart: hostAliases[0].ip must be an IP address, got "db"; e.g. "10.0.0.1"'],
    ['a host alias is not an object', (): Props => ({ hostAliases: ['10.0.0.1 db.local'] }), 'test/Cart: hostAliases[0] must be an object, got "10.0.0.1 db.local"; e.g. { ip: "10.0.0.1", hostnames: ["db.local"] }'],
    ['host alias names are not a list', (): Props => ({ hostAliases: [{ ip: '10.0.0.1', hostnames: 'db.local' }] }), 'test/Cart: hostAliases[0].hostnames must be a list, got "db.local"; e.g. ["db.local"]'],
    ['a node affinity is left out', (): Props => ({ nodeAffinity: [undefined] }), 'test/Cart: nodeAffinity[0] must be an object, got nothing; e.g. { node: kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd")) }'],
    ['a topology spread is not an object', (): Props => ({ topologySpread: ['zone'] }), 'test/Cart: topologySpread[0] must be an object, got "zone"; e.g. { topology: kplus.Topology.ZONE }'],
    ['a topology spread names no Topology', (): Props => ({ topologySpread: [{ topology: 'topology.kubernetes.io/zone' }] }), 'test/Cart: topologySpread[0].topology must be a Topology, got "topology.kubernetes.io/zone"; use e.g. kplus.Topology.ZONE'],
    ['an init container has a liveness probe', (): Props => ({ initContainers: [{ name: 'a', image: 'x', liveness: kplus.Probe.fromCommand(['true']) }] }), 'test/Cart: initContainers[0].liveness can\'t be set on an init container, which runs to completion before the pod serves, got a Probe; leave liveness out'],
    ['an init container has a startup probe', (): Props => ({ initContainers: [{ name: 'a', image: 'x', startup: kplus.Probe.fromCommand(['true']) }] }), 'test/Cart: initContainers[0].startup can\'t be set on an init container, which runs to completion before the pod serves, got a Probe; leave startup out'],
    ['an init container has the old port', (): Props => ({ initContainers: [{ name: 'a', image: 'x', port: 8081 }] }), 'test/Cart: initContainers[0].port can\'t be set on an init container, which runs to completion before the pod serves, got 8081; leave port out'],
    ['an init container has ports', (): Props => ({ initContainers: [{ name: 'a', image: 'x', ports: [{ number: 8081 }] }] }), 'test/Cart: initContainers[0].ports can\'t be set on an init container, which runs to completion before the pod serves, got [{"number":8081}]; leave ports out'],
    ['the security context is not an object', (): Props => ({ securityContext: 'restricted' }), 'test/Cart: securityContext must be an object, got "restricted"; e.g. { user: 1000 }'],
    ['env is not a map', (): Props => ({ env: ['LOG_LEVEL=info'] }), 'test/Cart: env must be an object, got ["LOG_LEVEL=info"]; e.g. { LOG_LEVEL: kplus.EnvValue.fromValue("info") }'],
    ['a volume name is not a DNS-1123 label', (): Props => ({ volumes: [kplus.Volume.fromEmptyDir(newChart(), 'V', 'Cache_Dir')] }), 'test/Cart: volumes[0].name must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "Cache_Dir"; e.g. "config"'],
    ['a mount is not an object', (): Props => ({ volumeMounts: ['/etc/app'] }), 'test/Cart: volumeMounts[0] must be an object, got "/etc/app"; e.g. { volume, path: "/etc/app" }'],
    ['a lifecycle is a list', (): Props => ({ lifecycle: [] }), 'test/Cart: lifecycle must be an object, got []; e.g. { preStop: kplus.Handler.fromCommand(["/drain"]) }'],
    ['a container port is not an object', (): Props => ({ extraContainerPorts: [9090] }), 'test/Cart: extraContainerPorts[0] must be an object, got 9090; e.g. { number: 9090, name: "metrics" }'],
    ['a container port number is not a port', (): Props => ({ extraContainerPorts: [{ number: 0 }] }), 'test/Cart: extraContainerPorts[0].number must be an integer port from 1 to 65535, got 0; use a port such as 80 or 8080'],
    ['automountServiceAccountToken is not a boolean', (): Props => ({ automountServiceAccountToken: 'true' }), 'test/Cart: automountServiceAccountToken must be true or false, got "true"; e.g. true'],
    ['pod labels are a list', (): Props => ({ podLabels: ['team=shop'] }), 'test/Cart: podLabels must be a map of names to strings, got ["team=shop"]; e.g. { team: "shop" }'],
    ['a pod annotation key is invalid', (): Props => ({ podAnnotations: { 'sidecar istio': 'x' } }), 'test/Cart: podAnnotations must have keys that are annotation keys ([prefix/]name), got "sidecar istio"; e.g. { "sidecar.istio.io/proxyCPU": "100m" }'],
    ['the priority class name is not a string', (): Props => ({ priorityClassName: 100 }), 'test/Cart: priorityClassName must be a DNS-1123 subdomain, got 100; e.g. "high-priority"'],
    ['an argument is a hole in the list', (): Props => ({ args: [, '--port'] }), 'test/Cart: args[0] must be a string, got nothing; write the list as e.g. ["--port", "8080"]'],
    ['env is a Map', (): Props => ({ env: new Map() }), 'test/Cart: env must be an object, got a Map; e.g. { LOG_LEVEL: kplus.EnvValue.fromValue("info") }'],
    ['an env value named with a dash is not an EnvValue', (): Props => ({ env: { 'LOG-LEVEL': 'debug' } }), 'test/Cart: env["LOG-LEVEL"] must be an EnvValue, got "debug"; use e.g. kplus.EnvValue.fromValue("info")'],
    ['an env value is null', (): Props => ({ env: { X: null } }), 'test/Cart: env.X must be an EnvValue, got null; use e.g. kplus.EnvValue.fromValue("info")'],
    ['pod labels are a Map', (): Props => ({ podLabels: new Map([['team', 'shop']]) }), 'test/Cart: podLabels must be a map of names to strings, got a Map; e.g. { team: "shop" }'],
    ['a command entry is null', (): Props => ({ command: [null] }), 'test/Cart: command[0] must be a string, got null; write the list as e.g. ["/app", "serve"]'],
    ['the CPU is a plain object', (): Props => ({ resources: { cpu: '250m' } }), 'test/Cart: resources.cpu must be an object, got "250m"; e.g. { request: kplus.Cpu.millis(250) }'],
    ['a CPU request is a string', (): Props => ({ resources: { cpu: { request: '250m' } } }), 'test/Cart: resources.cpu.request must be a Cpu, got "250m"; use e.g. kplus.Cpu.millis(250)'],
    ['a memory limit is a number', (): Props => ({ resources: { memory: { limit: 512 } } }), 'test/Cart: resources.memory.limit must be a Size, got 512; use e.g. Size.mebibytes(256)'],
    ['memory is a list', (): Props => ({ resources: { memory: [] } }), 'test/Cart: resources.memory must be an object, got []; e.g. { request: Size.mebibytes(256) }'],
    ['an ephemeral storage request is a string', (): Props => ({ resources: { ephemeralStorage: { request: '1Gi' } } }), 'test/Cart: resources.ephemeralStorage.request must be a Size, got "1Gi"; use e.g. Size.gibibytes(1)'],
    ['a sidecar CPU limit is a number', (): Props => ({ sidecars: [{ name: 'a', image: 'x', resources: { cpu: { limit: 1 } } }] }), 'test/Cart: sidecars[0].resources.cpu.limit must be a Cpu, got 1; use e.g. kplus.Cpu.millis(250)'],
    ['the user id is beyond int32', (): Props => ({ securityContext: { user: 2 ** 31 } }), 'test/Cart: securityContext.user must be a whole number, 0 or more, got 2147483648; use e.g. 1000'],
    ['a version\'s group id is negative', (): Props => ({ canary: { ...v2, securityContext: { group: -1 } } }), 'test/Cart: canary.securityContext.group must be a whole number, 0 or more, got -1; use e.g. 1000'],
    ['privileged is "yes"', (): Props => ({ securityContext: { privileged: 'yes' } }), 'test/Cart: securityContext.privileged must be true or false, got "yes"; e.g. true'],
    ['capabilities are a name', (): Props => ({ securityContext: { capabilities: 'ALL' } }), 'test/Cart: securityContext.capabilities must be an object, got "ALL"; e.g. { drop: [kplus.Capability.NET_RAW] }'],
    ['a dropped capability is not one', (): Props => ({ securityContext: { capabilities: { drop: ['all'] } } }), `test/Cart: securityContext.capabilities.drop[0] must be one of ${JSON.stringify(Object.values(kplus.Capability))}, got "all"; use e.g. "CAP_AUDIT_CONTROL"`],
    ['a mount propagation is unknown', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: '/x', propagation: 'Private' }] }; }, 'test/Cart: volumeMounts[0].propagation must be one of ["None","HostToContainer","Bidirectional"], got "Private"; use e.g. "None"'],
    ['a mount is read-only "yes"', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: '/x', readOnly: 'yes' }] }; }, 'test/Cart: volumeMounts[0].readOnly must be true or false, got "yes"; e.g. true'],
    ['a mount sub-path is a number', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: '/x', subPath: 1 }] }; }, 'test/Cart: volumeMounts[0].subPath must be a string, got 1; e.g. "app.conf"'],
    ['a mount sub-path expression is a list', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: '/x', subPathExpr: [] }] }; }, 'test/Cart: volumeMounts[0].subPathExpr must be a string, got []; e.g. "$(POD_NAME)"'],
    ['a mount path is a number', (c: Chart): Props => { const v = kplus.Volume.fromEmptyDir(c, 'A', 'x'); return { volumes: [v], volumeMounts: [{ volume: v, path: 1 }] }; }, 'test/Cart: volumeMounts[0].path must be an absolute path, got 1; e.g. "/etc/app"'],
    ['a host IP is a name', (): Props => ({ extraContainerPorts: [{ number: 9090, hostIp: 'localhost' }] }), 'test/Cart: extraContainerPorts[0].hostIp must be an IP address, got "localhost"; e.g. "10.0.0.1"'],
    ['a host port is 0', (): Props => ({ extraContainerPorts: [{ number: 9090, hostPort: 0 }] }), 'test/Cart: extraContainerPorts[0].hostPort must be an integer port from 1 to 65535, got 0; use a port such as 80 or 8080'],
    ['the pod\'s fsGroup is a string', (): Props => ({ podSecurityContext: { fsGroup: '2000' } }), 'test/Cart: podSecurityContext.fsGroup must be a whole number, 0 or more, got "2000"; use e.g. 1000'],
    ['the pod\'s user id is beyond int32', (): Props => ({ podSecurityContext: { user: 2 ** 31 } }), 'test/Cart: podSecurityContext.user must be a whole number, 0 or more, got 2147483648; use e.g. 1000'],
    ['the pod\'s ensureNonRoot is "true"', (): Props => ({ podSecurityContext: { ensureNonRoot: 'true' } }), 'test/Cart: podSecurityContext.ensureNonRoot must be true or false, got "true"; e.g. true'],
    ['the fsGroup change policy is unknown', (): Props => ({ podSecurityContext: { fsGroupChangePolicy: 'Never' } }), 'test/Cart: podSecurityContext.fsGroupChangePolicy must be one of ["OnRootMismatch","Always"], got "Never"; use e.g. "OnRootMismatch"'],
    ['a sysctl is null', (): Props => ({ podSecurityContext: { sysctls: [null] } }), 'test/Cart: podSecurityContext.sysctls[0] must be an object, got null; e.g. { name: "net.core.somaxconn", value: "1024" }'],
    ['a sysctl name is a number', (): Props => ({ podSecurityContext: { sysctls: [{ name: 1, value: '1' }] } }), 'test/Cart: podSecurityContext.sysctls[0].name must be a string, got 1; e.g. "net.core.somaxconn"'],
    ['a sysctl value is a number', (): Props => ({ podSecurityContext: { sysctls: [{ name: 'net.core.somaxconn', value: 1024 }] } }), 'test/Cart: podSecurityContext.sysctls[0].value must be a string, got 1024; e.g. "1024"'],
    ['the DNS hostname is not a DNS label', (): Props => ({ dns: { hostname: 'Cart_0' } }), 'test/Cart: dns.hostname must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got "Cart_0"; e.g. "cart-0"'],
    ['the DNS subdomain is a number', (): Props => ({ dns: { subdomain: 1 } }), 'test/Cart: dns.subdomain must be a DNS-1123 label (lower-case letters, digits and "-", at most 63), got 1; e.g. "cart"'],
    ['hostnameAsFQDN is "yes"', (): Props => ({ dns: { hostnameAsFQDN: 'yes' } }), 'test/Cart: dns.hostnameAsFQDN must be true or false, got "yes"; e.g. true'],
    ['a nameserver is a name', (): Props => ({ dns: { nameservers: ['dns.local'] } }), 'test/Cart: dns.nameservers[0] must be an IP address, got "dns.local"; e.g. "10.0.0.1"'],
    ['a search domain is a number', (): Props => ({ dns: { searches: [5] } }), 'test/Cart: dns.searches[0] must be a string, got 5; write the list as e.g. ["shop.svc.cluster.local"]'],
    ['a DNS option is null', (): Props => ({ dns: { options: [null] } }), 'test/Cart: dns.options[0] must be an object, got null; e.g. { name: "ndots", value: "2" }'],
    ['a DNS option name is a number', (): Props => ({ dns: { options: [{ name: 1 }] } }), 'test/Cart: dns.options[0].name must be a string, got 1; e.g. "ndots"'],
    ['a DNS option value is a number', (): Props => ({ dns: { options: [{ name: 'ndots', value: 2 }] } }), 'test/Cart: dns.options[0].value must be a string, got 2; e.g. "2"'],
    ['two host aliases have one IP, which the API server takes as one alias twice', (): Props => ({ hostAliases: [{ ip: '::1', hostnames: ['a.local'] }, { ip: '::1', hostnames: ['b.local'] }] }), 'test/Cart: hostAliases[1].ip is the IP of another host alias, got "::1"; list all its hostnames in one alias'],
    ['two pull secrets name one Secret', (c: Chart): Props => ({ imagePullSecrets: ['A', 'B'].map(id => kplus.Secret.fromSecretName(c, id, 'registry')) }), 'test/Cart: imagePullSecrets[1] names the Secret of another pull secret, got "registry"; list each Secret once'],
    ['a host alias name is a number', (): Props => ({ hostAliases: [{ ip: '10.0.0.1', hostnames: [5] }] }), 'test/Cart: hostAliases[0].hostnames[0] must be a string, got 5; write the list as e.g. ["db.local"]'],
    ['the ServiceAccount has no name', (): Props => ({ serviceAccount: {} }), 'test/Cart: serviceAccount must be a ServiceAccount with a DNS-1123 subdomain name (lower-case letters, digits, "-" and "."), got {}; use e.g. kplus.ServiceAccount.fromServiceAccountName(scope, "Account", "cart")'],
    ['a pull secret is a list', (): Props => ({ imagePullSecrets: [['registry']] }), 'test/Cart: imagePullSecrets[0] must be a Secret with a DNS-1123 subdomain name (lower-case letters, digits, "-" and "."), got ["registry"]; use e.g. kplus.Secret.fromSecretName(scope, "Registry", "registry")'],
    ['createServiceAccount is null', (): Props => ({ createServiceAccount: null }), 'test/Cart: createServiceAccount must be true or false, got null; e.g. true'],
    ['automountServiceAccountToken is null', (): Props => ({ automountServiceAccountToken: null }), 'test/Cart: automountServiceAccountToken must be true or false, got null; e.g. true'],
    ['shutdownDelay is null', (): Props => ({ shutdownDelay: null }), 'test/Cart: shutdownDelay must be a Duration of whole seconds, 0 or more, got null; use e.g. Duration.seconds(30)'],
    ['the grace period is null', (): Props => ({ terminationGracePeriod: null }), 'test/Cart: terminationGracePeriod must be a Duration of whole seconds, 0 or more, got null; use e.g. Duration.seconds(30)'],
    ['a spread\'s maxSkew is null', (): Props => ({ topologySpread: [{ topology: kplus.Topology.ZONE, maxSkew: null }] }), 'test/Cart: topologySpread[0].maxSkew must be a whole number, 1 or more, got null; use e.g. 2'],
    ['a spread\'s whenUnsatisfiable is null', (): Props => ({ topologySpread: [{ topology: kplus.Topology.ZONE, whenUnsatisfiable: null }] }), 'test/Cart: topologySpread[0].whenUnsatisfiable must be one of ["ScheduleAnyway","DoNotSchedule"], got null; use e.g. "ScheduleAnyway"'],
    ['a sidecar is a list', (): Props => ({ sidecars: [[]] }), 'test/Cart: sidecars[0] must be an object, got []; e.g. { name: "log-shipper", image: "fluent/fluent-bit:3.1" }'],
    ['cdk8s-plus can\'t build a setting the checks do not look into', (): Props => ({ nodeAffinity: [{ node: kplus.Node.labeled(null as never) }] }), 'test/Cart: the pod settings are refused by cdk8s-plus, got "Cannot read properties of null (reading \'_toKube\')"; change the prop the message names'],
  ])('fails when %s', (_, props, message) => {
    const chart = newChart();
    expect(() => cart(chart, props(chart) as Partial<CanaryAppProps>)).toThrow(new Error(message));
  });

  test.each([
    ['a grace period one second longer than the pause', { shutdownDelay: Duration.seconds(5), terminationGracePeriod: Duration.seconds(6) }],
    ['node affinity weights of 1 and 100', { nodeAffinity: [1, 100].map(weight => ({ node: kplus.Node.labeled(kplus.NodeLabelQuery.is('a', 'b')), weight })) }],
    ['a maxSkew of 1', { topologySpread: [{ topology: kplus.Topology.ZONE, maxSkew: 1 }] }],
    ['one topology with both actions', { topologySpread: [WhenUnsatisfiable.SCHEDULE_ANYWAY, WhenUnsatisfiable.DO_NOT_SCHEDULE].map(when => ({ topology: kplus.Topology.ZONE, whenUnsatisfiable: when })) }],
    ['two app ports on one container port', { additionalPorts: [{ port: 81, containerPort: 8080 }] }],
    ['3 nameservers and 6 search domains', { dns: { policy: kplus.DnsPolicy.NONE, nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8'], searches: ['a', 'b', 'c', 'd', 'e', 'f'] } }],
    ['unnamed extra ports, and a sidecar port of another number', { extraContainerPorts: [{ number: 9090 }, { number: 9091 }], sidecars: [{ name: 'a', image: 'x', portNumber: 2020 }] }],
    ['no pause and a preStop hook of its own, as on a cluster before Kubernetes 1.30', { shutdownDelay: Duration.seconds(0), lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) } }],
    ['a short grace period where a preStop hook of the app\'s own replaces the pause', { lifecycle: { preStop: kplus.Handler.fromCommand(['/drain']) }, terminationGracePeriod: Duration.seconds(3) }],
    ['a host alias', { hostAliases: [{ ip: '10.0.0.5', hostnames: ['legacy.local'] }, { ip: 'fd00::5', hostnames: [] }] }],
    ['two pull secrets of two Secrets', { imagePullSecrets: [kplus.Secret.fromSecretName(newChart(), 'A', 'registry'), kplus.Secret.fromSecretName(newChart(), 'B', 'mirror')] }],
  ])('accepts %s', (_, props) => {
    expect(() => cart(newChart(), props as Partial<CanaryAppProps>)).not.toThrow();
  });
});

