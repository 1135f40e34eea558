/**
 * What the Kubernetes API server refuses in an object beyond its schema: values JSON cannot carry,
 * and the names and labels its Go validation checks (metadata, which CRD schemas leave open; pod
 * containers, ports, volumes and env; Service ports). test/support/schemas.ts adds these problems
 * to its own, so each reads like a schema error, `Kind/namespace/name: $.json.path: problem`.
 *
 * Integer ranges are left to the schemas: kubernetes-models' int32 formats bound the built-in
 * kinds' int32 fields and leave their int64 ones free, and the API server does not bound a custom
 * resource's integers, whatever format its schema names (istio-webhook.ts' decodeViolations has
 * Istio's own ranges).
 */

type Node = { readonly [key: string]: unknown };

/** All problems of all objects; [] when the API server would take them. */
export function apiServerErrors(objects: readonly unknown[]): string[] {
  return objects.flatMap(object => {
    const label = objectLabel(object);
    return [...valueErrors(object, '$'), ...namingErrors(object)].map(problem => `${label}: ${problem}`);
  });
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (isNode(node) ? node[key] : undefined), value);
}

function objectLabel(object: unknown): string {
  const name = (key: string, fallback: string) => {
    const value = field(object, 'metadata', key);
    return typeof value === 'string' ? value : fallback;
  };
  const kind = field(object, 'kind');
  return `${typeof kind === 'string' ? kind : '?'}/${name('namespace', '-')}/${name('name', '?')}`;
}

function step(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Values that JSON and YAML cannot carry as written. */
function valueErrors(value: unknown, at: string): string[] {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [];
    case 'number':
      return Number.isFinite(value) ? [] : [`${at}: ${value} is no JSON number`];
    case 'object': {
      if (value === null) return [];
      if (Array.isArray(value)) {
        return value.flatMap((item, i) => (item === undefined ? [`${at}[${i}]: undefined is no JSON value`] : valueErrors(item, `${at}[${i}]`)));
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return [`${at}: a ${value.constructor?.name ?? 'class instance'} is no JSON object`];
      // An undefined field is left out of the YAML, as if never set.
      return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : valueErrors(v, `${at}${step(k)}`)));
    }
    default:
      return [`${at}: a ${typeof value} is no JSON value`];
  }
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** IANA service names, which container ports are named by: at most 15, lower case, a letter among them, no "--". */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function isLabel(name: string): boolean {
  return name.length <= 63 && LABEL.test(name);
}

/** Kubernetes' IsDNS1123Subdomain: labels of any length, at most 253 in all. */
function isSubdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every(label => LABEL.test(label));
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** `[prefix/]name`, as label and annotation keys are. */
function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  return (slash < 0 || isSubdomain(key.slice(0, slash))) && name !== '' && isLabelValue(name);
}

type Check = (value: unknown) => string | undefined;

const checks = {
  label: (v: unknown) => (typeof v === 'string' && isLabel(v) ? undefined : 'must be a DNS-1123 label'),
  label1035: (v: unknown) => (typeof v === 'string' && v.length <= 63 && LABEL_1035.test(v) ? undefined : 'must be a DNS-1035 label'),
  subdomain: (v: unknown) => (typeof v === 'string' && isSubdomain(v) ? undefined : 'must be a DNS-1123 subdomain'),
  portName: (v: unknown) => (v === undefined || (typeof v === 'string' && v.length <= 15 && PORT_NAME.test(v) && !v.includes('--')) ? undefined : 'must be an IANA service name'),
  envName: (v: unknown) => (typeof v === 'string' && ENV_NAME.test(v) ? undefined : 'must be an environment variable name'),
  labels: (v: unknown) => mapError(v, isQualifiedName, value => typeof value === 'string' && isLabelValue(value), 'labels'),
  annotations: (v: unknown) => mapError(v, isQualifiedName, value => typeof value === 'string', 'annotations')
    ?? (JSON.stringify(v ?? {}).length > 256 * 1024 ? 'must not exceed 256 KiB' : undefined),
} satisfies Record<string, Check>;

function mapError(map: unknown, isKey: (key: string) => boolean, isValue: (value: unknown) => boolean, what: string): string | undefined {
  if (map === undefined) return undefined;
  if (!isNode(map)) return `must be a map of ${what}`;
  const bad = Object.entries(map).find(([key, value]) => !isKey(key) || !isValue(value));
  return bad && `must hold valid ${what}, and ${JSON.stringify(bad[0])} is not`;
}

/** The checks of one object: a value's path and what it must be. */
function namingErrors(object: unknown): string[] {
  const isService = isCoreKind(object, 'Service');
  const rules: [string, unknown, Check][] = [
    ['$.metadata.name', field(object, 'metadata', 'name'), nameCheck(object)],
    ...optionalRule('$.metadata.namespace', field(object, 'metadata', 'namespace'), checks.label),
    ['$.metadata.labels', field(object, 'metadata', 'labels'), checks.labels],
    ['$.metadata.annotations', field(object, 'metadata', 'annotations'), checks.annotations],
    ...(isIstioKind(object) ? [] : labelMapsIn(templated(object, field(object, 'spec')), '$.spec')),
    ...podRules(field(object, 'spec', 'template'), '$.spec.template'),
    ...(isService ? listRules(field(object, 'spec', 'ports'), '$.spec.ports', port => [['.name', field(port, 'name'), (v: unknown) => (v === undefined ? undefined : checks.label(v))]]) : []),
  ];
  return rules.flatMap(([at, value, check]) => {
    const problem = check(value);
    return problem === undefined ? [] : [`${at}: ${problem}, got ${show(value)}`];
  });
}

/**
 * An Argo CD ApplicationSet's template is a Go template, rendered per cluster before any label of
 * it reaches the API server: its `{{…}}` expressions are checked as the value they make, here `x`.
 */
function templated(object: unknown, spec: unknown): unknown {
  if (field(object, 'kind') !== 'ApplicationSet') return spec;
  return JSON.parse(JSON.stringify(spec).replace(/\{\{[^}]*\}\}/g, 'x'));
}

function isCoreKind(object: unknown, kind: string): boolean {
  return field(object, 'kind') === kind && field(object, 'apiVersion') === 'v1';
}

/**
 * The API server looks inside no custom resource's spec. In Istio's kinds, istiod's webhook checks
 * the label maps with rules of its own (istio-webhook.ts: subset and source labels, workload
 * selectors), which would report a bad one a second time, and no one checks a Gateway's selector.
 * Other kinds' label maps (an Argo Rollout's selector) end up in the ReplicaSets and pods made from them.
 */
function isIstioKind(object: unknown): boolean {
  const apiVersion = field(object, 'apiVersion');
  return typeof apiVersion === 'string' && /^[^/]*\.istio\.io\//.test(apiVersion);
}

/** NameIsDNSSubdomain, but for the kinds with a rule of their own. */
function nameCheck(object: unknown): Check {
  if (isCoreKind(object, 'Service')) return checks.label1035;
  return isCoreKind(object, 'Namespace') ? checks.label : checks.subdomain;
}

function optionalRule(at: string, value: unknown, check: Check): [string, unknown, Check][] {
  return value === undefined ? [] : [[at, value, check]];
}

/** Every label map under `spec`: selectors, pod template labels. */
function labelMapsIn(value: unknown, at: string): [string, unknown, Check][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => labelMapsIn(item, `${at}[${i}]`));
  if (!isNode(value)) return [];
  return Object.entries(value).flatMap(([key, child]): [string, unknown, Check][] => {
    const here = `${at}${step(key)}`;
    const isLabelMap = ['labels', 'matchLabels', 'sourceLabels'].includes(key)
      || (key === 'selector' && isNode(child) && Object.values(child).every(v => typeof v === 'string'));
    if (isLabelMap) return [[here, child, checks.labels]];
    if (key === 'annotations') return [[here, child, checks.annotations]];
    return labelMapsIn(child, here);
  });
}

function listRules(list: unknown, at: string, rules: (item: unknown) => [string, unknown, Check][]): [string, unknown, Check][] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => rules(item).map(([suffix, value, check]): [string, unknown, Check] => [`${at}[${i}]${suffix}`, value, check]));
}

function podRules(template: unknown, at: string): [string, unknown, Check][] {
  const spec = field(template, 'spec');
  const container = (item: unknown): [string, unknown, Check][] => [
    ['.name', field(item, 'name'), checks.label],
    ...listRules(field(item, 'ports'), '.ports', port => [['.name', field(port, 'name'), checks.portName]]),
    ...listRules(field(item, 'env'), '.env', env => [['.name', field(env, 'name'), checks.envName]]),
  ];
  return [
    ...listRules(field(spec, 'containers'), `${at}.spec.containers`, container),
    ...listRules(field(spec, 'initContainers'), `${at}.spec.initContainers`, container),
    ...listRules(field(spec, 'volumes'), `${at}.spec.volumes`, volume => [['.name', field(volume, 'name'), checks.label]]),
  ];
}

function show(value: unknown): string {
  const json = typeof value === 'string' || isNode(value) ? JSON.stringify(value) : String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
