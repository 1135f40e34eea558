import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ReleaseAppProps, VersionProps } from '../src';

/** The uid the cart, busybox and fluent-bit images run as: the kubelet enforces runAsNonRoot only on a number. */
const NOBODY = 65534;

/**
 * A real service, the same under every controller: the `cart` API of a shop, called by the shop's
 * frontend inside the mesh. Its pods run as their own ServiceAccount, read their settings from a
 * ConfigMap mounted as a file and their database login from a Secret, wait for the database
 * before they start, ship their logs with a sidecar, and keep to the shop's nodes, spread over
 * zones. Everything a pod needs is a prop; nothing is patched.
 */
export function cartPod(scope: Construct): ReleaseAppProps {
  const config = kplus.Volume.fromConfigMap(scope, 'ConfigVolume', cartConfig(scope, 'Config', 'cart-config', 'EUR'), { name: 'config' });
  const logs = kplus.Volume.fromEmptyDir(scope, 'Logs', 'logs');
  const tmp = kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp');
  return {
    name: 'cart',
    port: 8080,
    createServiceAccount: true,
    volumes: [config, logs, tmp],
    volumeMounts: [
      { volume: config, path: '/etc/cart', readOnly: true },
      { volume: logs, path: '/var/log/cart' },
      { volume: tmp, path: '/tmp' },
    ],
    env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
    envFrom: [kplus.Env.fromSecret(kplus.Secret.fromSecretName(scope, 'Database', 'cart-db'))],
    extraContainerPorts: [{ number: 9090, name: 'metrics' }],
    readiness: kplus.Probe.fromHttpGet('/ready'),
    liveness: kplus.Probe.fromHttpGet('/live'),
    securityContext: { user: NOBODY },
    resources: {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
    },
    initContainers: [{
      name: 'wait-for-db',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'until nc -z cart-db 5432; do sleep 2; done'],
      securityContext: { user: NOBODY },
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16) } },
    }],
    sidecars: [{
      name: 'log-shipper',
      image: 'fluent/fluent-bit:3.1',
      args: ['-i', 'tail', '-p', 'path=/var/log/cart/*.log', '-o', 'stdout'],
      portNumber: 2020,
      volumeMounts: [{ volume: logs, path: '/var/log/cart', readOnly: true }],
      securityContext: { user: NOBODY },
      resources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
    }],
    podAnnotations: {
      'sidecar.istio.io/proxyCPU': '100m',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}',
    },
    nodeSelector: { 'kubernetes.io/arch': 'amd64' },
    tolerations: [kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'shop', { effect: kplus.TaintEffect.NO_SCHEDULE }))],
    topologySpread: [{ topology: kplus.Topology.ZONE }],
    priorityClassName: 'shop-critical',
    imagePullSecrets: [kplus.Secret.fromSecretName(scope, 'Registry', 'registry-credentials')],
    // Checkout calls can take a while: 10 s for the mesh to stop routing here, then up to 35 s to finish.
    shutdownDelay: Duration.seconds(10),
    terminationGracePeriod: Duration.seconds(45),
  };
}

export function cartStable(): VersionProps {
  return { image: 'registry.example.com/cart:1.4.0', version: '1.4.0' };
}

/** The new version reads a settings file of its own, and says so on its pods. */
export function cartCanary(scope: Construct): VersionProps {
  return {
    image: 'registry.example.com/cart:1.5.0',
    version: '1.5.0',
    volumes: [kplus.Volume.fromConfigMap(scope, 'CanaryConfigVolume', cartConfig(scope, 'CanaryConfig', 'cart-config-1-5', 'EUR,USD'), { name: 'config' })],
    podAnnotations: { 'cart.example.com/settings': 'cart-config-1-5' },
  };
}

function cartConfig(scope: Construct, id: string, name: string, currencies: string): kplus.ConfigMap {
  return new kplus.ConfigMap(scope, id, { metadata: { name }, data: { 'cart.yaml': `currencies: [${currencies}]\n` } });
}
