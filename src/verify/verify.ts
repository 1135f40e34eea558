import { VIRTUAL_SERVICE_REF_FORM, isDns1123Label, isGatewayRef, isHost, isVirtualServiceRef } from '../names';
import { fail } from '../refusal';
import { entryField, isRecord } from '../show';
import { own } from './json';
import { progressionFindings, StageFinding } from './progression';
import { EXPORT_TO_ENTRY_FORM, GATEWAY_WORKLOAD_FORM, isExportToEntry, parseGatewayWorkload } from './settings';
import { CODES, Finding, ISTIO_CODES, MESH_CONFIG_FIELDS, Severity, VerifyOptions } from './types';
import { manifestFindings } from './verify-manifests';

/**
 * Route checks over plain manifest JSON, from any source: the objects of a synthesized chart
 * (`Testing.synth(chart)`), YAML loaded with `Yaml.load`, or hand-written objects. Every finding
 * has a stable code, documented in `docs/findings.md`.
 *
 * In TypeScript, the functions `verifyManifests` and `verifyProgression` and the constant `CODES`
 * are the same API under their earlier names.
 */
export class Verify {
  /**
   * Checks that traffic described by a set of manifests arrives somewhere: VirtualService routes
   * reach Services, subsets reach pods, Services reach workloads, gateways admit their hosts.
   * Schema validation is not repeated, and malformed fields are skipped rather than thrown on.
   *
   * @param objects the manifests, as plain JSON objects; `List` objects are spread. An entry that is
   * no object (a YAML document holding only a string) is a finding; a value that no JSON holds (a
   * BigInt, a Symbol, a function, a cycle) is refused.
   * @param options what the checks cannot see in the manifest set itself.
   * @returns the findings, sorted by object, field path and code; empty when traffic arrives.
   */
  public static manifests(objects: unknown[], options?: VerifyOptions): Finding[] {
    return checkedManifests('Verify.manifests', objects, options);
  }

  /**
   * Checks the manifest sets of consecutive release steps, as an applier would go through them:
   * each step on its own, and each step against the one before, so that no step breaks traffic
   * that the previous one left flowing (make before break).
   *
   * @param stages one manifest set per step, in the order they are applied; each is taken as
   * `Verify.manifests` takes its objects.
   * @param options what the checks cannot see in the manifest sets themselves.
   * @returns the findings of every step, each with the index of its step in `stages`.
   */
  public static progression(stages: unknown[][], options?: VerifyOptions): StageFinding[] {
    return checkedProgression('Verify.progression', stages, options);
  }

  /**
   * Every finding code with its one severity. A code never changes severity with context, so
   * tools can filter on codes alone.
   *
   * @returns a new map from each code (e.g. `subset-not-found`) to its severity; changing it
   * changes nothing else.
   */
  public static codes(): { [code: string]: Severity } {
    return { ...CODES };
  }

  /**
   * The code of `istioctl analyze` for each finding code that reports a fault Istio's analyzers
   * report too, e.g. `host-not-on-gateway` to `IST0132`. Codes for faults that Istio does not
   * analyze are left out.
   *
   * @returns a new map from each such code to its Istio code; changing it changes nothing else.
   */
  public static istioCodes(): { [code: string]: string } {
    return { ...ISTIO_CODES } as { [code: string]: string };
  }

  private constructor() {}
}

/**
 * Checks that traffic described by a set of manifests arrives somewhere: VirtualService routes
 * reach Services, subsets reach pods, Services reach workloads, gateways admit their hosts.
 * Schema validation is not repeated; objects are plain JSON from any source, and malformed
 * fields are skipped rather than thrown on. The TypeScript name of {@link Verify.manifests}.
 */
export function verifyManifests(objects: readonly unknown[], options?: VerifyOptions): Finding[] {
  return checkedManifests('verifyManifests', objects, options);
}

/**
 * Checks the manifest sets of consecutive release steps, as an applier would go through them:
 * each step on its own, and each step against the one before, so that no step breaks traffic
 * that the previous one left flowing (make before break). The TypeScript name of
 * {@link Verify.progression}.
 */
export function verifyProgression(stages: readonly (readonly unknown[])[], options?: VerifyOptions): StageFinding[] {
  return checkedProgression('verifyProgression', stages, options);
}

function checkedManifests(entry: string, objects: unknown, options: unknown): Finding[] {
  checkManifestList(entry, 'objects', objects);
  checkVerifyOptions(entry, options);
  return manifestFindings(objects, options as VerifyOptions | undefined);
}

function checkedProgression(entry: string, stages: unknown, options: unknown): StageFinding[] {
  if (!Array.isArray(stages)) fail(entry, 'stages', 'must be a list of manifest sets, one per step', stages, 'e.g. Plan.synthSteps(4, builder)');
  stages.forEach((stage, i) => checkManifestList(entry, entryField('stages', i), stage));
  checkVerifyOptions(entry, options);
  return progressionFindings(stages as unknown[][], options as VerifyOptions | undefined);
}

/**
 * The entry's own arguments are refused when no manifest set could be meant; what is wrong
 * inside a manifest is a finding. `entry` names the function in the error, e.g. `Verify.manifests`.
 */
export function checkManifestList(entry: string, field: string, value: unknown): asserts value is unknown[] {
  if (!Array.isArray(value)) fail(entry, field, 'must be a list of Kubernetes objects', value, 'give the manifests as an array, e.g. Testing.synth(chart)');
  value.forEach((object, i) => checkJson(entry, entryField(field, i), object));
}

const NOT_JSON = new Set(['bigint', 'symbol', 'function']);

/** On the walk's stack under an object: every child of that object has been walked. */
const LEAVING = {};

/**
 * A manifest is what a YAML or JSON parser returns. The checks would stumble over anything else
 * deep inside (a BigInt or a cycle fails every message that quotes it), so it is refused here,
 * with its path. The walk keeps a stack of its own, so that a deeply nested manifest is no error,
 * and the objects it is inside, in order, from which an error's path is worked out.
 */
function checkJson(entry: string, field: string, root: unknown): void {
  const inside = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === LEAVING) {
      inside.delete(stack.pop() as object);
      continue;
    }
    if (NOT_JSON.has(typeof value)) {
      fail(entry, pathOf(field, [...inside], value), 'must be JSON data (an object, list, string, number, boolean or null)', value,
        'give the manifests as a YAML or JSON parser returns them');
    }
    if (typeof value !== 'object' || value === null) continue;
    if (inside.has(value)) refuseCycle(entry, field, [...inside], value);
    inside.add(value);
    stack.push(value, LEAVING);
    // Pushed last to first, so that the first mistake in document order is the one refused.
    for (const child of Object.values(value).reverse()) stack.push(child);
  }
}

function refuseCycle(entry: string, field: string, ancestors: readonly object[], value: object): never {
  const start = ancestors.indexOf(value);
  fail(entry, pathOf(field, ancestors, value), `must not be ${pathOf(field, ancestors.slice(0, start), value)}, which holds it`, value,
    'give the manifests as JSON data, which has no cycles');
}

/** `objects[2].spec.http[0]`, or `["a b"]` for a key that is no identifier: the way down through `ancestors` to `value`. */
function pathOf(field: string, ancestors: readonly object[], value: unknown): string {
  return ancestors.reduce((path, parent, i) => entryField(path, keyOf(parent, i + 1 < ancestors.length ? ancestors[i + 1] : value)), field);
}

/** The key under which `parent` holds `child`: a list's index, or an object's name. */
function keyOf(parent: object, child: unknown): string | number {
  const key = Object.keys(parent).find(name => (parent as Record<string, unknown>)[name] === child) as string;
  return Array.isArray(parent) ? Number(key) : key;
}

/** What an options object may hold, and how the entry refuses it otherwise. */
export function checkOptionsObject(entry: string, options: unknown, example: string): void {
  if (options !== undefined && !isRecord(options)) fail(entry, 'options', 'must be an object', options, `e.g. ${example}, or leave it out`);
}

function checkVerifyOptions(entry: string, options: unknown): void {
  checkOptionsObject(entry, options, '{ defaultNamespace: "shop" }');
  checkStrings(entry, 'options.externalHosts', own(options, 'externalHosts'), HOST);
  checkStrings(entry, 'options.externalGateways', own(options, 'externalGateways'), GATEWAY);
  checkStrings(entry, 'options.externalDelegates', own(options, 'externalDelegates'), DELEGATE);
  checkStrings(entry, 'options.externalGatewayWorkloads', own(options, 'externalGatewayWorkloads'), GATEWAY_WORKLOAD);
  const weightSum = own(options, 'requireWeightSum100');
  if (weightSum !== undefined && typeof weightSum !== 'boolean') fail(entry, 'options.requireWeightSum100', 'must be true or false', weightSum, 'e.g. true');
  checkNamespaceOption(entry, own(options, 'defaultNamespace'));
  checkMeshConfigOptions(entry, 'options', options);
}

/** The MeshConfig fields of `options`, named as `field.defaultServiceExportTo` in errors. */
export function checkMeshConfigOptions(entry: string, field: string, options: unknown): void {
  for (const name of MESH_CONFIG_FIELDS) checkStrings(entry, `${field}.${name}`, own(options, name), EXPORT_TO);
  checkNamespace(entry, `${field}.rootNamespace`, own(options, 'rootNamespace'), '"istio-system"');
  checkProxyConfig(entry, `${field}.defaultConfig`, own(options, 'defaultConfig'));
}

/** A ProxyConfig as MeshConfigOptions takes it: an object, whose proxyMetadata, if any, maps names to strings. */
function checkProxyConfig(entry: string, field: string, config: unknown): void {
  if (config === undefined) return;
  if (!isRecord(config)) fail(entry, field, 'must be an object', config, `e.g. { proxyMetadata: ${DNS_CAPTURE_EXAMPLE} }`);
  const metadata = own(config, 'proxyMetadata');
  if (metadata === undefined) return;
  if (!isRecord(metadata)) fail(entry, `${field}.proxyMetadata`, 'must be an object of strings', metadata, `e.g. ${DNS_CAPTURE_EXAMPLE}`);
  for (const name of Object.keys(metadata)) {
    const value = metadata[name];
    if (typeof value !== 'string') fail(entry, entryField(`${field}.proxyMetadata`, name), 'must be a string', value, 'e.g. "true"');
  }
}

const DNS_CAPTURE_EXAMPLE = '{ ISTIO_META_DNS_CAPTURE: "true" }';

export function checkNamespaceOption(entry: string, namespace: unknown): void {
  checkNamespace(entry, 'options.defaultNamespace', namespace, '"shop"');
}

function checkNamespace(entry: string, field: string, namespace: unknown, example: string): void {
  if (namespace !== undefined && (typeof namespace !== 'string' || !isDns1123Label(namespace))) {
    fail(entry, field, 'must be a namespace (a DNS-1123 label: lower-case letters, digits and "-", at most 63)', namespace, `e.g. ${example}`);
  }
}

interface ItemRule {
  readonly items: string;
  readonly item: string;
  readonly test: (value: string) => boolean;
  readonly example: string;
}

const HOST: ItemRule = { items: 'hosts', item: 'a host in lower case, exact or "*." and a domain', test: isHost, example: '"api.example.com"' };

const GATEWAY: ItemRule = { items: 'gateways', item: 'a gateway as "namespace/name"', test: isGatewayRef, example: '"istio-system/public-gateway"' };

const DELEGATE: ItemRule = { items: 'VirtualServices', item: VIRTUAL_SERVICE_REF_FORM, test: isVirtualServiceRef, example: '"shop/api-routes"' };

/** What Istio takes in a MeshConfig exportTo default: its aliases, or a namespace by name. */
const EXPORT_TO: ItemRule = {
  items: 'namespaces',
  item: EXPORT_TO_ENTRY_FORM,
  test: isExportToEntry,
  example: '"."',
};

const GATEWAY_WORKLOAD: ItemRule = {
  items: 'label sets',
  item: GATEWAY_WORKLOAD_FORM,
  test: written => parseGatewayWorkload(written) !== undefined,
  example: '"istio=ingressgateway"',
};

function checkStrings(entry: string, field: string, value: unknown, rule: ItemRule): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(entry, field, `must be a list of ${rule.items}`, value, `e.g. [${rule.example}]`);
  value.forEach((item, i) => {
    if (typeof item !== 'string' || !rule.test(item)) fail(entry, entryField(field, i), `must be ${rule.item}`, item, `e.g. ${rule.example}`);
  });
}
