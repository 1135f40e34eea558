import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isIP } from 'net';
import type { AppPort, PodModel } from './model';
import { isDns1123Subdomain, isEnvName, isLabelKey, isPortName } from './names';
import { entryField, isRecord } from './show';
import {
  checkBoolean, checkCount, checkDnsLabel, checkEnum, checkGiven, checkImage, checkInstance, checkLabelMap, checkList, checkObject, checkPort,
  checkPositive, checkSeconds, checkString, checkStringMap, checkStrings, fail, once, orDefault,
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
  checkList(scope, field('extraContainerPorts'), options.extraContainerPorts, `[${CONTAINER_PORT}]`, (entry, port) => checkContainerPort(scope, entry, port));
  checkVolumes(scope, field('volumes'), options.volumes);
  checkPodMetadata(scope, field('podLabels'), options.podLabels, field('podAnnotations'), options.podAnnotations);
}

/**
 * Labels and annotations for pods: label keys the release selects by are its own, and annotations
 * have label keys' form.
 */
export function checkPodMetadata(
  scope: Construct, labelsField: string, podLabels: { [key: string]: string } | undefined,
  annotationsField: string, podAnnotations: { [key: string]: string } | undefined,
): void {
  const labels = checkLabelMap(scope, labelsField, podLabels, '{ team: "shop" }');
  for (const [key, value] of Object.entries(labels)) {
    if (RELEASE_LABELS.includes(key)) {
      fail(scope, labelsField, `may not set "${key}", which the release's Service and subsets select by`, { [key]: value },
        `leave "${key}" out: the app sets it${key === 'version' ? ' from each version\'s version' : ' from its name'}`);
    }
  }
  checkStringMap(scope, annotationsField, podAnnotations, isLabelKey, 'annotation keys ([prefix/]name)', '{ "sidecar.istio.io/proxyCPU": "100m" }');
}

/** The settings every container has, the main one's and the others', that cdk8s-plus reads as its own classes. */
type ContainerSettings = Pick<kplus.ContainerProps, 'envFrom' | 'args' | 'command' | 'workingDir' | 'imagePullPolicy' | 'readiness' | 'liveness'
| 'startup' | 'resources' | 'securityContext' | 'volumeMounts' | 'lifecycle'>;

function checkContainerSettings(scope: Construct, prefix: string, container: ContainerSettings): void {
  const field = (name: string) => at(prefix, name);
  checkList(scope, field('envFrom'), container.envFrom, '[kplus.Env.fromSecret(secret)]',
    (entry, source) => checkInstance(scope, entry, source, kplus.EnvFrom, 'kplus.Env.fromConfigMap(configMap)'));
  checkStrings(scope, field('args'), container.args, '["--port", "8080"]');
  checkStrings(scope, field('command'), container.command, '["/app", "serve"]');
  if (container.workingDir !== undefined) checkPath(scope, field('workingDir'), container.workingDir, '"/app"');
  if (container.imagePullPolicy !== undefined) checkEnum(scope, field('imagePullPolicy'), container.imagePullPolicy, kplus.ImagePullPolicy);
  for (const probe of ['readiness', 'liveness', 'startup'] as const) {
    if (container[probe] !== undefined) checkInstance(scope, field(probe), container[probe], kplus.Probe, 'kplus.Probe.fromHttpGet("/ready")');
  }
  checkResources(scope, field('resources'), container.resources);
  checkSecurityContext(scope, field('securityContext'), container.securityContext);
  checkMounts(scope, field('volumeMounts'), container.volumeMounts);
  checkLifecycle(scope, field('lifecycle'), container.lifecycle);
}

function checkPath(scope: Construct, field: string, path: string, example: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) fail(scope, field, 'must be an absolute path', path, `e.g. ${example}`);
}

/** cdk8s-plus writes each amount by calling its class: a plain value would throw a TypeError. */
function checkResources(scope: Construct, field: string, value: kplus.ContainerResources | undefined): void {
  const resources = checkObject(scope, field, value, '{ cpu: { request: kplus.Cpu.millis(250) } }');
  const kinds = [['cpu', kplus.Cpu, 'kplus.Cpu.millis(250)'], ['memory', Size, 'Size.mebibytes(256)'], ['ephemeralStorage', Size, 'Size.gibibytes(1)']] as const;
  for (const [kind, type, example] of kinds) {
    const amounts = checkObject(scope, `${field}.${kind}`, resources?.[kind], `{ request: ${example} }`);
    for (const bound of ['request', 'limit'] as const) {
      if (amounts?.[bound] !== undefined) checkInstance<object>(scope, `${field}.${kind}.${bound}`, amounts[bound], type, example);
    }
  }
}

/** A user or group id: Kubernetes takes 0 to 2^31-1. */
function checkId(scope: Construct, field: string, id: number | undefined): void {
  if (id !== undefined) checkCount(scope, field, id, '1000');
}

/** The switches `keys` of an object of options, each true or false where given. */
function checkSwitches<K extends string>(scope: Construct, field: string, object: { readonly [key in K]?: boolean } | undefined, keys: readonly K[]): void {
  for (const key of keys) {
    if (object?.[key] !== undefined) checkBoolean(scope, `${field}.${key}`, object[key] as boolean);
  }
}

function checkSecurityContext(scope: Construct, field: string, value: kplus.ContainerSecurityContextProps | undefined): void {
  const context = checkObject(scope, field, value, '{ user: 1000 }');
  checkId(scope, `${field}.user`, context?.user);
  checkId(scope, `${field}.group`, context?.group);
  checkSwitches(scope, field, context, ['ensureNonRoot', 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation']);
  const capabilities = checkObject(scope, `${field}.capabilities`, context?.capabilities, '{ drop: [kplus.Capability.NET_RAW] }');
  for (const change of ['add', 'drop'] as const) {
    checkList(scope, `${field}.capabilities.${change}`, capabilities?.[change], '[kplus.Capability.NET_RAW]',
      (entry, capability) => checkEnum(scope, entry, capability, kplus.Capability));
  }
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
    checkInstance(scope, entryField(field, name), value, kplus.EnvValue, 'kplus.EnvValue.fromValue("info")');
  }
}

const MOUNT = '{ volume, path: "/etc/app" }';

function checkMounts(scope: Construct, field: string, mounts: kplus.VolumeMount[] | undefined): void {
  const pathOnce = once(scope, 'is the path of another mount of the container', 'mount each volume at its own path');
  checkList(scope, field, mounts, `[${MOUNT}]`, (where, mount) => {
    checkGiven(scope, where, mount, MOUNT);
    checkInstance(scope, `${where}.volume`, mount.volume, kplus.Volume, 'kplus.Volume.fromConfigMap(scope, "Config", configMap)');
    checkPath(scope, `${where}.path`, mount.path, '"/etc/app"');
    pathOnce(`${where}.path`, mount.path);
    if (mount.propagation !== undefined) checkEnum(scope, `${where}.propagation`, mount.propagation, kplus.MountPropagation);
    checkSwitches(scope, where, mount, ['readOnly']);
    if (mount.subPath !== undefined) checkString(scope, `${where}.subPath`, mount.subPath, '"app.conf"');
    if (mount.subPathExpr !== undefined) checkString(scope, `${where}.subPathExpr`, mount.subPathExpr, '"$(POD_NAME)"');
  });
}

function checkLifecycle(scope: Construct, field: string, value: kplus.ContainerLifecycle | undefined): void {
  const lifecycle = checkObject(scope, field, value, '{ preStop: kplus.Handler.fromCommand(["/drain"]) }');
  for (const hook of ['postStart', 'preStop'] as const) {
    if (lifecycle?.[hook] !== undefined) checkInstance(scope, `${field}.${hook}`, lifecycle[hook], kplus.Handler, 'kplus.Handler.fromCommand(["/drain"])');
  }
}

const CONTAINER_PORT = '{ number: 9090, name: "metrics" }';

function checkContainerPort(scope: Construct, field: string, port: kplus.ContainerPort): void {
  checkGiven(scope, field, port, CONTAINER_PORT);
  checkPort(scope, `${field}.number`, port.number);
  if (port.protocol !== undefined) checkEnum(scope, `${field}.protocol`, port.protocol, kplus.Protocol);
  if (port.name !== undefined && !isPortName(port.name)) {
    fail(scope, `${field}.name`, 'must be lower-case letters, digits and "-", with a letter, at most 15', port.name, 'e.g. "metrics"');
  }
  if (port.hostIp !== undefined) checkIp(scope, `${field}.hostIp`, port.hostIp);
  if (port.hostPort !== undefined) checkPort(scope, `${field}.hostPort`, port.hostPort);
}

function checkIp(scope: Construct, field: string, ip: string): void {
  if (typeof ip !== 'string' || isIP(ip) === 0) fail(scope, field, 'must be an IP address', ip, 'e.g. "10.0.0.1"');
}

function checkVolumes(scope: Construct, field: string, volumes: kplus.Volume[] | undefined): void {
  const nameOnce = once(scope, 'is the name of another volume', 'give each volume its own name');
  checkList(scope, field, volumes, '[kplus.Volume.fromEmptyDir(scope, "Cache", "cache")]', (entry, volume) => {
    checkInstance(scope, entry, volume, kplus.Volume, 'kplus.Volume.fromConfigMap(scope, "Config", configMap)');
    nameOnce(`${entry}.name`, checkDnsLabel(scope, `${entry}.name`, volume.name, '"config"'));
  });
}

const HOST_ALIAS = '{ ip: "10.0.0.1", hostnames: ["db.local"] }';
const PULL_SECRET = 'kplus.Secret.fromSecretName(scope, "Registry", "registry")';

/** Checks the settings of every pod of the app, and resolves what the pods are built from. */
export function resolvePod(scope: Construct, appName: string, options: PodOptions & WorkloadOptions): PodModel {
  checkWorkloadOptions(scope, '', options);
  const createServiceAccount = checkBoolean(scope, 'createServiceAccount', orDefault(options.createServiceAccount, false));
  checkBoolean(scope, 'automountServiceAccountToken', orDefault(options.automountServiceAccountToken, false));
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
  const secretOnce = once(scope, 'names the Secret of another pull secret', 'list each Secret once');
  checkList(scope, 'imagePullSecrets', options.imagePullSecrets, `[${PULL_SECRET}]`,
    (entry, secret) => secretOnce(entry, checkName(scope, entry, secret, 'a Secret', PULL_SECRET)));
  checkPodSecurityContext(scope, 'podSecurityContext', options.podSecurityContext);
  checkDns(scope, 'dns', options.dns);
  checkHostAliases(scope, 'hostAliases', options.hostAliases);
  return {
    options,
    serviceAccountName: createServiceAccount ? appName : serviceAccountName,
    createServiceAccount,
    ...shutdown(scope, options),
  };
}

function checkHostAliases(scope: Construct, field: string, aliases: kplus.HostAlias[] | undefined): void {
  const ipOnce = once(scope, 'is the IP of another host alias', 'list all its hostnames in one alias');
  checkList(scope, field, aliases, `[${HOST_ALIAS}]`, (entry, alias) => {
    checkGiven(scope, entry, alias, HOST_ALIAS);
    checkIp(scope, `${entry}.ip`, alias.ip);
    ipOnce(`${entry}.ip`, alias.ip);
    checkStrings(scope, `${entry}.hostnames`, alias.hostnames, '["db.local"]');
  });
}

function checkPodSecurityContext(scope: Construct, field: string, value: kplus.PodSecurityContextProps | undefined): void {
  const context = checkObject(scope, field, value, '{ user: 1000, group: 3000 }');
  for (const id of ['user', 'group', 'fsGroup'] as const) checkId(scope, `${field}.${id}`, context?.[id]);
  checkSwitches(scope, field, context, ['ensureNonRoot']);
  if (context?.fsGroupChangePolicy !== undefined) checkEnum(scope, `${field}.fsGroupChangePolicy`, context.fsGroupChangePolicy, kplus.FsGroupChangePolicy);
  checkList(scope, `${field}.sysctls`, context?.sysctls, '[{ name: "net.core.somaxconn", value: "1024" }]', (entry, sysctl) => {
    checkGiven(scope, entry, sysctl, '{ name: "net.core.somaxconn", value: "1024" }');
    checkString(scope, `${entry}.name`, sysctl.name, '"net.core.somaxconn"');
    checkString(scope, `${entry}.value`, sysctl.value, '"1024"');
  });
}

/** Something with a Kubernetes object name, such as an `ISecret`. */
function checkName(scope: Construct, field: string, value: { readonly name: string } | undefined, what: string, example: string): string {
  const name: unknown = isRecord(value) ? value.name : undefined;
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
    // The name alone where there is one: the rest of a cdk8s-plus object is its internals.
    fail(scope, field, `must be ${what} with a DNS-1123 subdomain name (lower-case letters, digits, "-" and ".")`,
      typeof name === 'string' ? name : value, `use e.g. ${example}`);
  }
  return name;
}

function checkServiceAccount(scope: Construct, account: kplus.IServiceAccount | undefined): string | undefined {
  if (account === undefined) return undefined;
  return checkName(scope, 'serviceAccount', account, 'a ServiceAccount', 'kplus.ServiceAccount.fromServiceAccountName(scope, "Account", "cart")');
}

const CONTAINER = '{ name: "log-shipper", image: "fluent/fluent-bit:3.1" }';

/** Init containers and sidecars: named, with an image, and no name twice in the pod, the main container's included. */
function checkContainers(scope: Construct, appName: string, options: PodOptions): void {
  const names = new Map<string, string>([[appName, 'the main container']]);
  for (const kind of ['initContainers', 'sidecars'] as const) {
    checkList(scope, kind, options[kind], `[${CONTAINER}]`, (field, container) => {
      checkGiven(scope, field, container, CONTAINER);
      const name = checkDnsLabel(scope, `${field}.name`, container.name as string, '"log-shipper"');
      const other = names.get(name);
      if (other !== undefined) fail(scope, `${field}.name`, `is the name of ${other}`, name, 'give each container of the pod its own name');
      names.set(name, field);
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
      fail(scope, `${field}.${key}`, 'can\'t be set on an init container, which runs to completion before the pod serves', value, `leave ${key} out`);
    }
  }
}

/** cdk8s-plus's limits, and Kubernetes' rules: a hostname is a DNS label, and a pod with DNS policy None names its nameservers. */
function checkDns(scope: Construct, field: string, value: kplus.PodDnsProps | undefined): void {
  const dns = checkObject(scope, field, value, '{ policy: kplus.DnsPolicy.CLUSTER_FIRST }');
  if (dns?.hostname !== undefined) checkDnsLabel(scope, `${field}.hostname`, dns.hostname, '"cart-0"');
  if (dns?.subdomain !== undefined) checkDnsLabel(scope, `${field}.subdomain`, dns.subdomain, '"cart"');
  checkSwitches(scope, field, dns, ['hostnameAsFQDN']);
  if (dns?.policy !== undefined) checkEnum(scope, `${field}.policy`, dns.policy, kplus.DnsPolicy);
  const nameservers = checkList(scope, `${field}.nameservers`, dns?.nameservers, '["10.0.0.10"]', (entry, ip) => checkIp(scope, entry, ip));
  const searches = checkStrings(scope, `${field}.searches`, dns?.searches, '["shop.svc.cluster.local"]');
  checkList(scope, `${field}.options`, dns?.options, '[{ name: "ndots", value: "2" }]', (entry, option) => {
    checkGiven(scope, entry, option, '{ name: "ndots", value: "2" }');
    checkString(scope, `${entry}.name`, option.name, '"ndots"');
    if (option.value !== undefined) checkString(scope, `${entry}.value`, option.value, '"2"');
  });
  if (dns?.policy === kplus.DnsPolicy.NONE && nameservers.length === 0) {
    fail(scope, `${field}.nameservers`, 'must name at least one nameserver with policy DnsPolicy.NONE', nameservers, 'e.g. ["10.0.0.10"], or another policy');
  }
  if (nameservers.length > 3) fail(scope, `${field}.nameservers`, 'may name at most 3 nameservers', nameservers, 'keep the first 3');
  if (searches.length > 6) fail(scope, `${field}.searches`, 'may name at most 6 search domains', searches, 'keep the 6 that matter');
}

const NODE_AFFINITY = '{ node: kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd")) }';

function checkScheduling(scope: Construct, options: PodOptions): void {
  checkLabelMap(scope, 'nodeSelector', options.nodeSelector, '{ "kubernetes.io/arch": "arm64" }');
  checkList(scope, 'nodeAffinity', options.nodeAffinity, `[${NODE_AFFINITY}]`, (field, affinity) => {
    checkGiven(scope, field, affinity, NODE_AFFINITY);
    checkInstance(scope, `${field}.node`, affinity.node, kplus.LabeledNode, 'kplus.Node.labeled(kplus.NodeLabelQuery.is("disktype", "ssd"))');
    if (affinity.weight !== undefined && (!Number.isInteger(affinity.weight) || affinity.weight < 1 || affinity.weight > 100)) {
      fail(scope, `${field}.weight`, 'must be a whole number from 1 to 100', affinity.weight, 'use e.g. 50, or leave it out to require the nodes');
    }
  });
  checkList(scope, 'tolerations', options.tolerations, '[kplus.Node.tainted(kplus.NodeTaintQuery.is("dedicated", "shop"))]',
    (field, node) => checkInstance(scope, field, node, kplus.TaintedNode, 'kplus.Node.tainted(kplus.NodeTaintQuery.is("dedicated", "shop"))'));
  const spreads = new Set<string>();
  checkList(scope, 'topologySpread', options.topologySpread, '[{ topology: kplus.Topology.ZONE }]', (field, spread) => {
    checkGiven(scope, field, spread, '{ topology: kplus.Topology.ZONE }');
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
  return {
    maxSkew: orDefault(spread.maxSkew, 1), topologyKey: spread.topology.key, whenUnsatisfiable: orDefault(spread.whenUnsatisfiable, WhenUnsatisfiable.SCHEDULE_ANYWAY),
  };
}

/** The preStop pause and the grace period: the pause must leave the app time to finish its requests. */
function shutdown(scope: Construct, options: PodOptions & WorkloadOptions): Pick<PodModel, 'shutdownDelaySeconds' | 'terminationGracePeriodSeconds'> {
  const shutdownDelaySeconds = checkSeconds(scope, 'shutdownDelay', orDefault(options.shutdownDelay, DEFAULT_SHUTDOWN_DELAY));
  const terminationGracePeriodSeconds = checkSeconds(scope, 'terminationGracePeriod', orDefault(options.terminationGracePeriod, DEFAULT_GRACE_PERIOD));
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
      fail(scope, `${field}.preStop`, 'replaces the pause of shutdownDelay, and both are given', lifecycle.preStop, 'leave shutdownDelay out, or lifecycle.preStop');
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
export function checkVersionPod(scope: Construct, prefix: string, pod: PodModel, version: WorkloadOptions, ports: readonly AppPort[]): void {
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
function checkPorts(scope: Construct, extraField: string, ports: readonly AppPort[], extra: readonly kplus.ContainerPort[], sidecars: readonly kplus.ContainerProps[]): void {
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
    const more = checkList(scope, `${field}.ports`, sidecar.ports, '[{ number: 2020 }]', (entry, p) => {
      checkContainerPort(scope, entry, p);
      take(`${entry}.number`, p.number, `${entry}.number`);
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
