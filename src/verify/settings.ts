import { isDns1123Label, isLabelKey, isLabelValue } from '../names';
import { Json, own, record, text } from './json';
import { VerifyOptions } from './types';

/** VerifyOptions with defaults applied and junk dropped: options may come from a CLI or a config file. */
export interface Settings {
  readonly externalHosts: readonly string[];
  /** Hosts of Services that controllers make from objects of the set (generated.ts), each exact. */
  readonly generatedHosts: ReadonlySet<string>;
  readonly externalGateways: ReadonlySet<string>;
  readonly externalDelegates: ReadonlySet<string>;
  readonly requireWeightSum100: boolean;
  readonly defaultNamespace: string;
  /** Each gateway workload outside the set. */
  readonly externalGatewayWorkloads: readonly ExternalGatewayWorkload[];
  /** The mesh's `exportTo` for Services and ServiceEntries that write none. */
  readonly defaultServiceExportTo: readonly string[];
  /** The same for VirtualServices. */
  readonly defaultVirtualServiceExportTo: readonly string[];
  /** The same for DestinationRules. */
  readonly defaultDestinationRuleExportTo: readonly string[];
  /** The mesh's root namespace, whose objects apply to every namespace. */
  readonly rootNamespace: string;
  /** Whether sidecars answer DNS for ServiceEntry hosts with addresses istiod allocates. */
  readonly allocatesAddresses: boolean;
}

/** Istio's root namespace, where a MeshConfig names none: the namespace istiod runs in by default. */
const ROOT_NAMESPACE = 'istio-system';

/**
 * Istio's default install: the gateways istioctl and the Helm charts deploy, which manifest sets
 * rarely hold, with both labels their pods carry (manifests/charts/gateways/istio-ingress and
 * istio-egress values.yaml), since selectors often name both.
 */
export const DEFAULT_EXTERNAL_GATEWAY_WORKLOADS: readonly string[] = ['app=istio-ingressgateway,istio=ingressgateway', 'app=istio-egressgateway,istio=egressgateway'];

export function settingsFrom(options: VerifyOptions | undefined): Settings {
  const given: unknown = options;
  return {
    externalHosts: stringList(own(given, 'externalHosts')),
    generatedHosts: new Set(),
    externalGateways: new Set(stringList(own(given, 'externalGateways'))),
    externalDelegates: new Set(stringList(own(given, 'externalDelegates'))),
    requireWeightSum100: own(given, 'requireWeightSum100') === true,
    defaultNamespace: text(given, 'defaultNamespace') ?? 'default',
    externalGatewayWorkloads: gatewayWorkloads(own(given, 'externalGatewayWorkloads')),
    defaultServiceExportTo: exportDefault(own(given, 'defaultServiceExportTo')),
    defaultVirtualServiceExportTo: exportDefault(own(given, 'defaultVirtualServiceExportTo')),
    defaultDestinationRuleExportTo: exportDefault(own(given, 'defaultDestinationRuleExportTo')),
    rootNamespace: text(given, 'rootNamespace') ?? ROOT_NAMESPACE,
    allocatesAddresses: allocatesAddresses(record(record(given, 'defaultConfig'), 'proxyMetadata')),
  };
}

/** As istioctl analyze reads the mesh's proxyMetadata: DNS capture, and an address allocator of either version. */
function allocatesAddresses(metadata: Json): boolean {
  const on = (name: string) => own(metadata, name) === 'true';
  return on('ISTIO_META_DNS_CAPTURE') && (on('ISTIO_META_DNS_AUTO_ALLOCATE') || on('PILOT_ENABLE_IP_AUTOALLOCATE'));
}

/** What an entry of an exportTo default may be, as errors say it. */
export const EXPORT_TO_ENTRY_FORM = 'a namespace, "." (the object\'s own), "*" (every one) or "~" (none)';

/** How an external gateway workload is written, as errors say it. */
export const GATEWAY_WORKLOAD_FORM = 'pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values';

/** An entry of an exportTo default, as Istio takes it: `.` (the object's own namespace), `*` (every one), `~` (none) or a namespace. */
export function isExportToEntry(value: string): boolean {
  return ['.', '*', '~'].includes(value) || isDns1123Label(value);
}

/** Istio reads a MeshConfig without the field, or with an empty list, as every namespace. */
function exportDefault(value: unknown): readonly string[] {
  const given = stringList(value);
  return given.length > 0 ? given : EVERY_NAMESPACE;
}

const EVERY_NAMESPACE: readonly string[] = ['*'];

/** Given, the list replaces Istio's defaults, so that a set holding its own gateways can do without them. */
function gatewayWorkloads(value: unknown): ExternalGatewayWorkload[] {
  const given = value === undefined ? DEFAULT_EXTERNAL_GATEWAY_WORKLOADS : stringList(value);
  return given.flatMap(written => parseGatewayWorkload(written) ?? []);
}

/** Gateway pods outside the set, as `--external-gateway-workload` declares them. */
export interface ExternalGatewayWorkload {
  readonly labels: ReadonlyMap<string, string>;
  /** Where the pods run, when the declaration says so. */
  readonly namespace?: string;
  /** As declared: `[namespace:]key=value[,key=value]`. */
  readonly written: string;
}

/**
 * Gateway pods written `[namespace:]key=value[,key=value]`: a `:` is in no label key or value, so
 * the first one ends the namespace. Undefined unless the namespace is a DNS-1123 label and the
 * labels are a label set.
 */
export function parseGatewayWorkload(written: string): ExternalGatewayWorkload | undefined {
  const colon = written.indexOf(':');
  const namespace = colon === -1 ? undefined : written.slice(0, colon);
  const labels = parseLabelSet(written.slice(colon + 1));
  if (!labels || (namespace !== undefined && !isDns1123Label(namespace))) return undefined;
  return { labels, namespace, written };
}

/**
 * Pod labels written `key=value[,key=value]`, as `--external-gateway-workload` takes them; undefined
 * unless every key and value is a Kubernetes label key and value, and no key comes twice.
 */
export function parseLabelSet(written: string): ReadonlyMap<string, string> | undefined {
  const labels = new Map<string, string>();
  for (const pair of written.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    // -1: no `=` at all. A `=` first leaves the key empty, which isLabelKey refuses.
    if (at === -1 || !isLabelKey(key) || !isLabelValue(value) || labels.has(key)) return undefined;
    labels.set(key, value);
  }
  return labels;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

