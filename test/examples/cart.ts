import { Manifest } from '../support/manifests';

/**
 * The facts every output of the cart API must carry in its pod template, whoever runs the
 * release: the Done-when of real services, one assertion each.
 */
export function expectCartPod(template: Manifest, version: string, config: string): void {
  const pod = template.spec;
  const [main, sidecar] = pod.containers;
  expect(template.metadata.labels).toEqual({ app: 'cart', version });
  expect(template.metadata.annotations).toMatchObject({
    'sidecar.istio.io/proxyCPU': '100m',
    'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}',
  });
  expect(pod.serviceAccountName).toBe('cart');
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.volumes).toEqual([
    { name: 'config', configMap: { name: config } },
    { name: 'logs', emptyDir: {} },
    { name: 'tmp', emptyDir: {} },
  ]);
  expect(main.name).toBe('cart');
  expect(main.image).toBe(`registry.example.com/cart:${version}`);
  expect(main.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/cart', readOnly: true });
  expect(main.envFrom).toEqual([{ secretRef: { name: 'cart-db' } }]);
  expect(main.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  expect(main.ports).toEqual([{ containerPort: 8080 }, { containerPort: 9090, name: 'metrics' }]);
  expect(main.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
  expect(pod.terminationGracePeriodSeconds).toBe(45);
  expect(pod.initContainers.map((c: Manifest) => [c.name, c.image])).toEqual([['wait-for-db', 'busybox:1.36']]);
  expect(sidecar).toMatchObject({
    name: 'log-shipper',
    image: 'fluent/fluent-bit:3.1',
    volumeMounts: [{ name: 'logs', mountPath: '/var/log/cart', readOnly: true }],
    // cdk8s-plus's secure defaults hold for the sidecar too.
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsUser: 65534 },
  });
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
  expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }]);
  expect(pod.topologySpreadConstraints).toEqual([{
    maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'cart', version } },
  }]);
  expect(pod.priorityClassName).toBe('shop-critical');
  expect(pod.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
}
