import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isIP } from 'net';
import type { PodModel, PortModel } from './model';
import { isDns1123Label, isDns1123Subdomain, isEnvName, isLabelKey, isLabelValue, isPortName } from './names';
import {
  checkBoolean, checkEnum, checkImage, checkInstance, checkList, checkPort, checkPositive, checkSeconds, checkStringMap, fail,
} from './validate';
import { PodOptions, TopologySpread, WhenUnsatisfiable, WorkloadOptions } from './workload-props';

/**
 * The checks of the pod props, before cdk8s-plus sees them: what the types can't stop a
 * JavaScript caller from passing, and what Kubernetes or Istio would refuse or get wrong.
 */

/** The pod labels a release owns: the Service, the subsets and the controllers select by them. */
const RELEASE_LABELS = ['app', 'version'];

/**
 * The ports Istio's proxy listens on in every pod of the mesh; a container of the pod can't use
 * them, as all share one network namespace.
 */
const ISTIO_PROXY_PORTS = [15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090];

const DEFAULT_SHUTDOWN_DELAY = Duration.seconds(5);
const DEFAULT_GRACE_PERIOD = Duration.seconds(30);

/** `prefix.name`, or `name` for the app's own props. */
function at(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** Checks the settings a version may set over the app's, at the app (`prefix` '') or a version. */
export function checkWorkloadOptions(scope: Construct, prefix: string, options: WorkloadOptions): void {
  const field = (name: string) => at(prefix, name);
  checkEnv(scope, field('env'), options.env);
  checkContainerSettings(scope, prefix, options);
  checkList(scope, field('extraContainerPorts'), options.extraContainerPorts, '[{ number: 9090, name: "metrics" }]')
    .forEach((port, i) => checkContainerPort(scope, `${field('extraContainerPorts')}[${i}]`, port));
  checkVolumes(scope, field('volumes'), options.volumes);
  const labels = checkStringMap(scope, field('podLabels'), options.podLabels, isLabelKey, 'label keys', '{ team: "shop" }');
  for (const [key, value] of Object.entries(labels)) {
    if (RELEASE_LABELS.includes(key)) {
      fail(scope, field('podLabels'), `may not set "${key}", which the release's Service and subsets select by`, { [key]: value },
        `leave "${key}" out: the app sets it${key === 'version' ? ' from each version\'s version' : ' from its name'}`);
    }
    if (!isLabelValue(value)) fail(scope, field('podLabels'), 'must have label values (alphanumerics, with "-", "_" or "." inside, at most 63)', value, 'e.g. "shop"');
  }
  checkStringMap(scope, field('podAnnotations'), options.podAnnotations, isLabelKey, 'annotation keys ([prefix/]name)', '{ "sidecar.istio.io/proxyCPU": "100m" }');
}

/** The settings every container has, the main one's and the others', that cdk8s-plus reads as its own classes. */
type ContainerSettings = Pick<kplus.ContainerProps, 'envFrom' | 'args' | 'command' | 'workingDir' | 'imagePullPolicy' | 'readiness' | 'liveness'
| 'startup' | 'resources' | 'securityContext' | 'volumeMounts' | 'lifecycle'>;

function checkContainerSettings(scope: Construct, prefix: string, container: ContainerSettings): void {
  const field = (name: string) => at(prefix, name);
  checkList(scope, field('envFrom'), container.envFrom, '[kplus.Env.fromSecret(secret)]')
    .forEach((source, i) => checkInstance(scope, `${field('envFrom')}[${i}]`, source, kplus.EnvFrom, 'kplus.Env.fromConfigMap(configMap)'));
  checkStrings(scope, field('args'), container.args);
  checkStrings(scope, field('command'), container.command);
  if (container.workingDir !== undefined && (typeof container.workingDir !== 'string' || !container.workingDir.startsWith('/'))) {
    fail(scope, field('workingDir'), 'must be an absolute path', container.workingDir, 'e.g. "/app"');
  }
  if (container.imagePullPolicy !== undefined) checkEnum(scope, field('imagePullPolicy'), container.imagePullPolicy, kplus.ImagePullPolicy);
  for (const probe of ['readiness', 'liveness', 'startup'] as const) {
    if (container[probe] !== undefined) checkInstance(scope, field(probe), container[probe], kplus.Probe, 'kplus.Probe.fromHttpGet("/ready")');
  }
  checkObject(scope, field('resources'), container.resources, '{ cpu: { request: kplus.Cpu.millis(250) } }');
  checkObject(scope, field('securityContext'), container.securityContext, '{ user: 1000 }');
  checkMounts(scope, field('volumeMounts'), container.volumeMounts);
  checkLifecycle(scope, field('lifecycle'), container.lifecycle);
}

/** A sidecar's or an init container's props. */
function checkContainerProps(scope: Construct, field: string, container: kplus.ContainerProps): void {
  checkImage(scope, `${field}.image`, container.image);
  checkEnv(scope, `${field}.envVariables`, container.envVariables);
  checkContainerSettings(scope, field, container);
}

function checkEnv(scope: Construct, field: string, env: { [name: string]: kplus.EnvValue } | undefined): void {
  checkObject(scope, field, env, '{ LOG_LEVEL: kplus.EnvValue.fromValue("info") }');
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!isEnvName(name)) fail(scope, field, 'must name variables with letters, digits, "_", "-" and ".", not starting with a digit', name, 'e.g. "LOG_LEVEL"');
    checkInstance(scope, `${field}.${name}`, value, kplus.EnvValue, 'kplus.EnvValue.fromValue("info")');
  }
}

function checkStrings(scope: Construct, field: string, value: string[] | undefined): void {
  checkList(scope, field, value, '["--port", "8080"]').forEach((item, i) => {
    if (typeof item !== 'string') fail(scope, `${field}[${i}]`, 'must be a string', item, 'quote numbers, e.g. "8080"');
  });
}

function checkMounts(scope: Construct, field: string, mounts: kplus.VolumeMount[] | undefined): void {
  const paths = new Set<string>();
  checkList(scope, field, mounts, '[{ volume, path: "/etc/app" }]').forEach((mount, i) => {
    const where = `${field}[${i}]`;
    if (mount === null || typeof mount !== 'object') fail(scope, where, 'must be a mount', mount, 'e.g. { volume, path: "/etc/app" }');
    checkInstance(scope, `${where}.volume`, mount.volume, kplus.Volume, 'kplus.Volume.fromConfigMap(scope, "Config", configMap)');
    if (typeof mount.path !== 'string' || !mount.path.startsWith('/')) fail(scope, `${where}.path`, 'must be an absolute path', mount.path, 'e.g. "/etc/app"');
    if (paths.has(mount.path)) fail(scope, `${where}.path`, 'is the path of another mount of the container', mount.path, 'mount each volume at its own path');
    paths.add(mount.path);
  });
}

function checkLifecycle(scope: Construct, field: string, lifecycle: kplus.ContainerLifecycle | undefined): void {
  checkObject(scope, field, lifecycle, '{ preStop: kplus.Handler.fromCommand(["/drain"]) }');
  for (const hook of ['postStart', 'preStop'] as const) {
    if (lifecycle?.[hook] !== undefined) checkInstance(scope, `${field}.${hook}`, lifecycle[hook], kplus.Handler, 'kplus.Handler.fromCommand(["/drain"])');
  }
}

function checkContainerPort(scope: Construct, field: string, port: kplus.ContainerPort): void {
  if (port === null || typeof port !== 'object') fail(scope, field, 'must be a container port', port, 'e.g. { number: 9090, name: "metrics" }');
  checkPort(scope, `${field}.number`, port.number);
  if (port.protocol !== undefined) checkEnum(scope, `${field}.protocol`, port.protocol, kplus.Protocol);
  if (port.name !== undefined && !isPortName(port.name)) {
    fail(scope, `${field}.name`, 'must be lower-case letters, digits and "-", with a letter, at most 15', port.name, 'e.g. "metrics"');
  }
}

function checkVolumes(scope: Construct, field: string, volumes: kplus.Volume[] | undefined): void {
  const names = new Set<string>();
  checkList(scope, field, volumes, '[kplus.Volume.fromEmptyDir(scope, "Cache", "cache")]').forEach((volume, i) => {
    checkInstance(scope, `${field}[${i}]`, volume, kplus.Volume, 'kplus.Volume.fromConfigMap(scope, "Config", configMap)');
    if (!isDns1123Label(volume.name)) fail(scope, `${field}[${i}].name`, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)', volume.name, 'e.g. "config"');
    if (names.has(volume.name)) fail(scope, `${field}[${i}].name`, 'is the name of another volume', volume.name, 'give each volume its own name');
    names.add(volume.name);
  });
}

/** Checks the settings of every pod of the app, and resolves what the pods are built from. */
export function resolvePod(scope: Construct, appName: string, options: PodOptions & WorkloadOptions): PodModel {
  checkWorkloadOptions(scope, '', options);
  const createServiceAccount = checkBoolean(scope, 'createServiceAccount', options.createServiceAccount ?? false);
  checkBoolean(scope, 'automountServiceAccountToken', options.automountServiceAccountToken ?? false);
  const serviceAccountName = checkServiceAccount(scope, options.serviceAccount);
  if (createServiceAccount && serviceAccountName !== undefined) {
    fail(scope, 'createServiceAccount', `makes a ServiceAccount "${appName}", and serviceAccount already names one`, serviceAccountName,
      'leave one of them out');
  }
  checkContainers(scope, appName, options);
  checkScheduling(scope, options);
  if (options.priorityClassName !== undefined && (typeof options.priorityClassName !== 'string' || !isDns1123Subdomain(options.priorityClassName))) {
    fail(scope, 'priorityClassName', 'must be a DNS-1123 subdomain', options.priorityClassName, 'e.g. "high-priority"');
  }
  checkList(scope, 'imagePullSecrets', options.imagePullSecrets, '[kplus.Secret.fromSecretName(scope, "Registry", "registry")]')
    .forEach((secret, i) => checkName(scope, `imagePullSecrets[${i}]`, secret, 'a Secret', 'kplus.Secret.fromSecretName(scope, "Registry", "registry")'));
  checkObject(scope, 'podSecurityContext', options.podSecurityContext, '{ user: 1000, group: 3000 }');
  checkDns(scope, options.dns);
  checkList(scope, 'hostAliases', options.hostAliases, '[{ ip: "10.0.0.1", hostnames: ["db.local"] }]').forEach((alias, i) => {
    checkEntry(scope, `hostAliases[${i}]`, alias, '{ ip: "10.0.0.1", hostnames: ["db.local"] }');
    if (typeof alias.ip !== 'string' || isIP(alias.ip) === 0) fail(scope, `hostAliases[${i}].ip`, 'must be an IP address', alias.ip, 'e.g. "10.0.0.1"');
    checkStrings(scope, `hostAliases[${i}].hostnames`, alias.hostnames);
  });
  return {
    options,
    serviceAccountName: createServiceAccount ? appName : serviceAccountName,
    createServiceAccount,
    ...shutdown(scope, options),
  };
}

function checkObject(scope: Construct, field: string, value: object | undefined, example: string): void {
  if (value !== undefined) checkEntry(scope, field, value, example);
}

/** An entry of a list, which is never left out. */
function checkEntry(scope: Construct, field: string, value: object | undefined, example: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(scope, field, 'must be an object', value, `e.g. ${example}`);
}

/** Something with a Kubernetes object name, such as an `ISecret`. */
function checkName(scope: Construct, field: string, value: { readonly name: string } | undefined, what: string, example: string): string {
  if (value === null || typeof value !== 'object' || typeof value.name !== 'string' || !isDns1123Subdomain(value.name)) {
    fail(scope, field, `must be ${what} with a DNS-1123 subdomain name (lower-case letters, digits, "-" and ".")`,
      value !== null && typeof value === 'object' ? value.name : value, `use e.g. ${example}`);
  }
  return value.name;
}

function checkServiceAccount(scope: Construct, account: kplus.IServiceAccount | undefined): string | undefined {
  if (account === undefined) return undefined;
  return checkName(scope, 'serviceAccount', account, 'a ServiceAccount', 'kplus.ServiceAccount.fromServiceAccountName(scope, "Account", "cart")');
}

/** Init containers and sidecars: named, with an image, and no name twice in the pod, the main container's included. */
function checkContainers(scope: Construct, appName: string, options: PodOptions): void {
  const names = new Map<string, string>([[appName, 'the main container']]);
  for (const kind of ['initContainers', 'sidecars'] as const) {
    checkList(scope, kind, options[kind], '[{ name: "log-shipper", image: "fluent/fluent-bit:3.1" }]').forEach((container, i) => {
      const field = `${kind}[${i}]`;
      if (container === null || typeof container !== 'object') fail(scope, field, 'must be a container', container, 'e.g. { name: "log-shipper", image: "fluent/fluent-bit:3.1" }');
      if (typeof container.name !== 'string' || !isDns1123Label(container.name)) {
        fail(scope, `${field}.name`, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)', container.name, 'e.g. "log-shipper"');
      }
      const other = names.get(container.name);
      if (other !== undefined) fail(scope, `${field}.name`, `is the name of ${other}`, container.name, 'give each container of the pod its own name');
      names.set(container.name, field);
      checkContainerProps(scope, field, container);
      if (kind === 'initContainers') checkInitContainer(scope, field, container);
    });
  }
}

/** An init container runs to completion before the pod serves: Kubernetes refuses probes and hooks on it, and a port would get cdk8s-plus's startup probe. */
function checkInitContainer(scope: Construct, field: string, container: kplus.ContainerProps): void {
  for (const key of ['readiness', 'liveness', 'startup', 'lifecycle', 'portNumber', 'port', 'ports'] as const) {
    const value = container[key];
    if (value !== undefined) {
      // A probe's fields are cdk8s-plus's internals: it shows by its class.
      fail(scope, `${field}.${key}`, 'can\'t be set on an init container, which runs to completion before the pod serves',
        value instanceof kplus.Probe ? 'a Probe' : value, `leave ${key} out`);
    }
  }
}

/** cdk8s-plus's limits, and Kubernetes' rule that a pod with DNS policy None names its nameservers. */
function checkDns(scope: Construct, dns: kplus.PodDnsProps | undefined): void {
  checkObject(scope, 'dns', dns, '{ policy: kplus.DnsPolicy.CLUSTER_FIRST }');
  if (dns?.policy !== undefined) checkEnum(scope, 'dns.policy', dns.policy, kplus.DnsPolicy);
  const nameservers = checkList(scope, 'dns.nameservers', dns?.nameservers, '["10.0.0.10"]');
  const searches = checkList(scope, 'dns.searches', dns?.searches, '["shop.svc.cluster.local"]');
  if (dns?.policy === kplus.DnsPolicy.NONE && nameservers.length === 0) {
    fail(scope, 'dns.nameservers', 'must name at least one nameserver with policy DnsPolicy.NONE', nameservers, 'e.g. ["10.0.0.10"], or another policy');
  }
  if (nameservers.length > 3) fail(scope, 'dns.nameservers', 'may name at most 3 nameservers', nameservers, 'keep the first 3');
  if (searches.length > 6) fail(scope, 'dns.searches', 'may name at most 6 search domains', searches, 'keep the 6 that matter');
}

function checkScheduling(scope: Construct, options: PodOptions): void {
  for (const value of Object.values(checkStringMap(scope, 'nodeSelector', options.nodeSelector, isLabelKey, 'label keys', '{ "kubernetes.io/arch": "arm64" }'))) {
    if (!isLabelValue(value)) fail(scope, 'nodeSelector', 'must have label values (alphanumerics, with "-", "_" or "." inside, at most 63)', value, 'e.g. "arm64"');
  }
  checkList(scope, 'nodeAffinity', options.nodeAffinity, '[{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd")) }]').forEach((affinity, i) => {
    const field = `nodeAffinity[${i}]`;
    checkEntry(scope, field, affinity, '{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd")) }');
    checkInstance(scope, `${field}.node`, affinity.node, kplus.LabeledNode, 'kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd"))');
    if (affinity.weight !== undefined && (!Number.isInteger(affinity.weight) || affinity.weight < 1 || affinity.weight > 100)) {
      fail(scope, `${field}.weight`, 'must be a whole number from 1 to 100', affinity.weight, 'use e.g. 50, or leave it out to require the nodes');
    }
  });
  checkList(scope, 'tolerations', options.tolerations, '[kplus.Node.tainted(kplus.NodeTaintQuery.is("dedicated", "shop"))]')
    .forEach((node, i) => checkInstance(scope, `tolerations[${i}]`, node, kplus.TaintedNode, 'kplus.Node.tainted(kplus.NodeTaintQuery.is("dedicated", "shop"))'));
  const spreads = new Set<string>();
  checkList(scope, 'topologySpread', options.topologySpread, '[{ topology: kplus.Topology.ZONE }]').forEach((spread, i) => {
    const field = `topologySpread[${i}]`;
    checkEntry(scope, field, spread, '{ topology: kplus.Topology.ZONE }');
    checkInstance(scope, `${field}.topology`, spread.topology, kplus.Topology, 'kplus.Topology.ZONE');
    const { maxSkew, topologyKey, whenUnsatisfiable } = spreadConstraint(spread);
    checkPositive(scope, `${field}.maxSkew`, maxSkew);
    checkEnum(scope, `${field}.whenUnsatisfiable`, whenUnsatisfiable, WhenUnsatisfiable);
    // The API server refuses two constraints with one topology key and one action.
    const key = `${topologyKey} ${whenUnsatisfiable}`;
    if (spreads.has(key)) fail(scope, `${field}.topology`, `spreads over ${topologyKey} twice with ${whenUnsatisfiable}`, topologyKey, 'give each topology one spread');
    spreads.add(key);
  });
}

/** A spread as Kubernetes' topologySpreadConstraints has it, with its defaults, less the pods it selects. */
export function spreadConstraint(spread: TopologySpread): { maxSkew: number; topologyKey: string; whenUnsatisfiable: WhenUnsatisfiable } {
  return { maxSkew: spread.maxSkew ?? 1, topologyKey: spread.topology.key, whenUnsatisfiable: spread.whenUnsatisfiable ?? WhenUnsatisfiable.SCHEDULE_ANYWAY };
}

/** The preStop pause and the grace period: the pause must leave the app time to finish its requests. */
function shutdown(scope: Construct, options: PodOptions & WorkloadOptions): Pick<PodModel, 'shutdownDelaySeconds' | 'terminationGracePeriodSeconds'> {
  const shutdownDelaySeconds = checkSeconds(scope, 'shutdownDelay', options.shutdownDelay ?? DEFAULT_SHUTDOWN_DELAY);
  const terminationGracePeriodSeconds = checkSeconds(scope, 'terminationGracePeriod', options.terminationGracePeriod ?? DEFAULT_GRACE_PERIOD);
  return { shutdownDelaySeconds, terminationGracePeriodSeconds };
}

/**
 * The pause a version's pods get, checked: none where a preStop hook of the user's replaces it,
 * which contradicts a pause asked for; and the grace period must outlast it.
 */
function checkPause(scope: Construct, field: string, pod: PodModel, lifecycle: kplus.ContainerLifecycle): void {
  const pause = pod.shutdownDelaySeconds;
  if (lifecycle.preStop !== undefined) {
    if (pod.options.shutdownDelay !== undefined && pause > 0) {
      fail(scope, `${field}.preStop`, 'replaces the pause of shutdownDelay, and both are given', 'a Handler', 'leave shutdownDelay out, or lifecycle.preStop');
    }
    return;
  }
  const grace = pod.terminationGracePeriodSeconds;
  if (pause > 0 && grace <= pause) {
    fail(scope, 'terminationGracePeriod', `must be longer than shutdownDelay (${pause}s): the pod is killed when it ends, `
      + 'and the app needs time after the pause to finish its requests', `${grace}s`, `use e.g. Duration.seconds(${pause + 25}), or a shorter shutdownDelay`);
  }
}

/**
 * Checks one version's pod as a whole, the app's settings and the version's merged: every mount
 * names a volume of the pod, and no two containers listen on one port.
 */
export function checkVersionPod(scope: Construct, prefix: string, pod: PodModel, version: WorkloadOptions, ports: readonly PortModel[]): void {
  const app = pod.options;
  const own = (name: keyof WorkloadOptions) => (version[name] !== undefined ? at(prefix, name) : name);
  const lifecycle = { ...app.lifecycle, ...version.lifecycle };
  checkPause(scope, version.lifecycle?.preStop !== undefined ? at(prefix, 'lifecycle') : 'lifecycle', pod, lifecycle);
  const volumes = new Set([...app.volumes ?? [], ...version.volumes ?? []].map(v => v.name));
  const mounts: [string, readonly kplus.VolumeMount[] | undefined][] = [
    [own('volumeMounts'), version.volumeMounts ?? app.volumeMounts],
    ...(['initContainers', 'sidecars'] as const).flatMap(kind => (app[kind] ?? []).map((c, i): [string, kplus.VolumeMount[] | undefined] => [`${kind}[${i}].volumeMounts`, c.volumeMounts])),
  ];
  for (const [field, list] of mounts) {
    (list ?? []).forEach((mount, i) => {
      if (!volumes.has(mount.volume.name)) {
        fail(scope, `${field}[${i}].volume`, `names a volume that is not in ${prefix ? `the app's or ${at(prefix, 'volumes')}` : 'volumes'}`, mount.volume.name,
          `add the volume to ${prefix ? `volumes or ${at(prefix, 'volumes')}` : 'volumes'}`);
      }
    });
  }
  checkPorts(scope, own('extraContainerPorts'), ports, version.extraContainerPorts ?? app.extraContainerPorts ?? [], app.sidecars ?? []);
}

/** The main container's ports, then each sidecar's: none twice in the pod, and none of Istio's proxy. */
function checkPorts(scope: Construct, extraField: string, ports: readonly PortModel[], extra: readonly kplus.ContainerPort[], sidecars: readonly kplus.ContainerProps[]): void {
  const taken = new Map<number, string>();
  const take = (field: string, port: number, owner: string) => {
    if (ISTIO_PROXY_PORTS.includes(port)) {
      fail(scope, field, `is a port of Istio's proxy (${ISTIO_PROXY_PORTS.join(', ')}), which shares the pod's network`, port, 'use another port');
    }
    const other = taken.get(port);
    if (other !== undefined) fail(scope, field, `is already ${other}`, port, 'give each port of the pod its own number');
    taken.set(port, owner);
  };
  // Two Service ports may route to one container port.
  ports.forEach((p, i) => {
    if (!taken.has(p.targetPort)) take(i === 0 ? 'containerPort' : `additionalPorts[${i - 1}].containerPort`, p.targetPort, 'a port the Service routes to');
  });
  extra.forEach((p, i) => take(`${extraField}[${i}].number`, p.number, `${extraField}[${i}].number`));
  checkPortNames(scope, extraField, extra);
  sidecars.forEach((sidecar, i) => {
    const field = `sidecars[${i}]`;
    if (sidecar.port !== undefined && sidecar.portNumber !== undefined) {
      fail(scope, `${field}.port`, 'is the old name of portNumber, and both are given', sidecar.port, 'leave port out');
    }
    const key = sidecar.portNumber !== undefined ? 'portNumber' : 'port';
    const single = sidecar[key];
    if (single !== undefined) take(`${field}.${key}`, checkPort(scope, `${field}.${key}`, single), `${field}.${key}`);
    const more = checkList(scope, `${field}.ports`, sidecar.ports, '[{ number: 2020 }]');
    more.forEach((p, j) => {
      checkContainerPort(scope, `${field}.ports[${j}]`, p);
      take(`${field}.ports[${j}].number`, p.number, `${field}.ports[${j}].number`);
    });
    checkPortNames(scope, `${field}.ports`, more);
  });
}

/** Kubernetes refuses a container with two ports of one name. */
function checkPortNames(scope: Construct, field: string, ports: readonly kplus.ContainerPort[]): void {
  ports.forEach((p, i) => {
    if (p.name !== undefined && ports.findIndex(q => q.name === p.name) !== i) {
      fail(scope, `${field}[${i}].name`, 'is the name of another port of the container', p.name, 'give each port its own name');
    }
  });
}
