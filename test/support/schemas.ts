/**
 * Schema validation for synthesized manifests (`Testing.synth(chart)`), in two tiers.
 *
 * Tier 1, always on: `kubernetes-models` (Kubernetes 1.27) for core kinds and
 * `@kubernetes-models/istio` (Istio 1.18) for `*.istio.io`. Lenient about unknown fields,
 * but catches wrong types, enums and missing required fields.
 *
 * Tier 2, with CRDS_DIR (by default ../shared/crds, where it exists): every CustomResourceDefinition in CRDS_DIR/*.yaml, checked the
 * way the API server does with strict field validation: unknown fields, types, enums,
 * int-or-string, nullable, bounds, patterns, formats, list-map keys, then every
 * `x-kubernetes-validations` CEL rule after applying the schema defaults.
 *
 * Deliberately not evaluated, and why:
 * - CEL transition rules (those that reference `oldSelf`): they only run on updates and there is
 *   no old object here: Argo Rollouts' `.spec.selector` and GatewayClass' `.spec.controllerName`
 *   immutability.
 * - `metadata` is only checked to be an object: the CRD schemas leave it open and the API server
 *   validates it with its own code, not the CRD (./api-server.ts has those checks, below).
 * - CEL cost budgets and the `reason`/`fieldPath` rule fields (unused by these CRDs; they only
 *   shape the server's response).
 * - Number formats (int32, int64, double) and names Kubernetes does not check (`string`, `url`):
 *   the API server ignores them too. Validated formats are in FORMATS.
 * - Kubernetes CEL library functions beyond isURL(), url() and getScheme() (ip, cidr, quantity,
 *   format, semver, lists, regex): no rule in the four CRD files calls them.
 * Every other rule is compiled; one the evaluator cannot compile or run is reported as an error,
 * never passed over. `celSelfTest()` compiles all of them, so a new CRD file that needs another
 * library function fails loudly.
 *
 * Always on besides the tiers, for every object:
 * - what the API server's Go code checks beyond the schemas (./api-server.ts): values JSON cannot
 *   carry, and names and labels: metadata's (the name as the kind's name rule has it), the label
 *   maps of a spec outside Istio's kinds, a pod template's containers, ports, volumes and env;
 * - for VirtualService, DestinationRule, Gateway and PeerAuthentication, the rules of Istio's
 *   admission webhook (./istio-webhook.ts), which istiod checks after the API server;
 * - for Flagger's Canary and Argo's AnalysisTemplate, what the controller then does with them
 *   (./controller-rules.ts).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { isIPv4, isIPv6 } from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  celEnv,
  celFunc,
  celMap,
  celMethod,
  CelScalar,
  isCelError,
  mapType,
  parse,
  plan,
  type CelFunc,
  type CelInput,
  type CelMap,
  type CelResult,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import Ajv, { type ErrorObject, type KeywordDefinition, type ValidateFunction } from 'ajv';
import { parseAllDocuments, type YAMLError } from 'yaml';
import { apiServerErrors } from './api-server';
import { controllerViolations } from './controller-rules';
import { webhookViolations } from './istio-webhook';

/** The upstream CRDs beside the project, where the repository's layout puts them. */
const SHARED_CRDS = path.resolve(process.cwd(), '../shared/crds');

/**
 * Absolute CRD folder for tier 2: CRDS_DIR, relative to the project root (jest's cwd), or else
 * ../shared/crds when it exists, so that a plain `npm test` checks strictly too.
 */
export const strictCrdsDir: string | undefined = process.env.CRDS_DIR
  ? path.resolve(process.cwd(), process.env.CRDS_DIR)
  : fs.existsSync(SHARED_CRDS) ? SHARED_CRDS : undefined;

/** The fleet engines' CRDs (Argo CD, Kurator), kept apart from the controllers' beside the project. */
const SHARED_FLEET_CRDS = path.resolve(process.cwd(), '../shared/crds-fleet');

/** Absolute folder of the fleet engines' CRDs: FLEET_CRDS_DIR, relative to the project root, or else ../shared/crds-fleet where it exists. */
export const fleetCrdsDir: string | undefined = process.env.FLEET_CRDS_DIR
  ? path.resolve(process.cwd(), process.env.FLEET_CRDS_DIR)
  : fs.existsSync(SHARED_FLEET_CRDS) ? SHARED_FLEET_CRDS : undefined;

/** All problems of both tiers, each as `kind/namespace/name: $.json.path: problem`; [] when valid. */
export function schemaErrors(objects: readonly unknown[]): string[] {
  return objects.flatMap(objectErrors);
}

/** Throws one Error listing every schema error, for use inside jest tests. */
export function expectValidManifests(objects: readonly unknown[]): void {
  const errors = schemaErrors(objects);
  if (errors.length > 0) {
    throw new Error(`${errors.length} schema error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/** Compiles every CEL rule of every CRD in CRDS_DIR; for the test suite's self-test. */
export function celSelfTest(): { rules: number; transitionRules: number; errors: string[] } {
  const found = [...crdIndex().entries()].flatMap(([gvk, crd]) =>
    rulesIn(crd.schema, []).map(({ rule, at }) => ({ rule, where: `${crd.file} ${gvk} ${jsonPath(at)}` })),
  );
  const compiled = found.map(({ rule, where }) => ({ where, rule, result: compiledRule(rule.rule) }));
  return {
    rules: found.length,
    transitionRules: compiled.filter((c) => c.result.kind === 'transition').length,
    errors: compiled.flatMap((c) =>
      c.result.kind === 'unsupported' ? [`${c.where}: ${c.result.reason}: ${oneLine(c.rule.rule)}`] : [],
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared types and helpers

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Segment = string | number;
/** Stands for every list item or map value in a schema location. */
const ANY = '*';

interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
}

/** The subset of a CRD's structural OpenAPI v3 schema that validation reads. */
interface K8sSchema {
  type?: string;
  format?: string;
  nullable?: boolean;
  default?: Json;
  properties?: Record<string, K8sSchema>;
  items?: K8sSchema;
  additionalProperties?: K8sSchema | boolean;
  allOf?: K8sSchema[];
  anyOf?: K8sSchema[];
  oneOf?: K8sSchema[];
  not?: K8sSchema;
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  [keyword: string]: unknown;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function memo<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

/**
 * A `memo` that outlives the test file. jest gives every test file a fresh module registry, so a
 * module-level cache dies with each file, and compiling the CRD schemas with ajv would then be
 * most of the suite's time, paid again in every file. Node's core modules are what jest shares
 * between the files one worker runs, so the value is kept on one of them. Only plain data, ajv's
 * validators and the kubernetes-models classes that wrap them go there: code over JSON, which
 * works from any file's context.
 */
function workerMemo<T>(key: string, make: () => T): () => T {
  const host = require('v8') as { cdk8sIstioReleaseTestCache?: Map<string, unknown> };
  const shared = (host.cdk8sIstioReleaseTestCache ??= new Map());
  return () => {
    if (!shared.has(key)) shared.set(key, make());
    return shared.get(key) as T;
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function jsonPath(at: readonly Segment[]): string {
  return at.map(pathStep).reduce((p, s) => p + s, '$');
}

function pathStep(s: Segment): string {
  if (typeof s === 'number' || s === ANY) return `[${s}]`;
  return /^[A-Za-z_][\w-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
}

function objectLabel(obj: unknown): string {
  const meta = isObject(obj) && isObject(obj.metadata) ? obj.metadata : {};
  const kind = isObject(obj) && typeof obj.kind === 'string' ? obj.kind : '?';
  return `${kind}/${typeof meta.namespace === 'string' ? meta.namespace : '-'}/${meta.name ?? '?'}`;
}

function objectErrors(obj: unknown): string[] {
  const label = objectLabel(obj);
  if (!isObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [`${label}: $: not a Kubernetes object (apiVersion and kind must be strings)`];
  }
  const model = tier1Model(obj.apiVersion, obj.kind);
  const crd = crdOf(gvkOf(obj.apiVersion, obj.kind));
  const noSchema = model || crd || uncheckedWithoutCrds(obj.apiVersion, obj.kind) ? [] : [`$: no schema for ${obj.apiVersion} ${obj.kind} ${noSchemaHint()}`];
  const errors = [...noSchema, ...(model ? modelErrors(model, obj) : []), ...(crd ? crdErrors(crd, obj) : []), ...webhookErrors(obj),
    ...controllerViolations(obj).map((v) => `${v.at}: ${v.message} [controller: ${v.rule}]`)];
  return [...errors.map((e) => `${label}: ${e}`), ...apiServerErrors([obj])];
}

function webhookErrors(obj: JsonObject): string[] {
  return webhookViolations(obj).map((v) => `${v.at}: ${v.message} [istio webhook: ${v.rule}]`);
}

function noSchemaHint(): string {
  return strictCrdsDir === undefined
    ? '(not in kubernetes-models or @kubernetes-models/istio; CRD-only kinds need CRDS_DIR=../shared/crds)'
    : `(not in kubernetes-models, @kubernetes-models/istio or the CRDs in ${strictCrdsDir})`;
}

/** Turns a JSON pointer into path segments, using the data to tell list indexes from numeric map keys. */
function pointerSegments(pointer: string, data: unknown): Segment[] {
  const raw = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at: Segment[] = [];
  let node = data;
  for (const key of raw) {
    const index = Array.isArray(node) ? Number(key) : undefined;
    at.push(index ?? key);
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  return at;
}

/** ajv's errors, minus the branch failures inside a failed anyOf/oneOf, which it names itself. */
function describeAjvErrors(errors: readonly ErrorObject[], data: unknown, source: string): string[] {
  const compound = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  return errors
    .filter((e) => !compound.some((c) => e.schemaPath.startsWith(`${c.schemaPath}/`)))
    .map((e) => describeAjvError(e, data, source));
}

function describeAjvError(e: ErrorObject, data: unknown, source: string): string {
  const at = pointerSegments(e.instancePath, data);
  const problem = (() => {
    switch (e.keyword) {
      case 'additionalProperties':
        at.push(e.params.additionalProperty);
        return 'unknown field';
      case 'required':
        at.push(e.params.missingProperty);
        return 'required field is missing';
      case 'enum':
        return `must be one of ${JSON.stringify(e.params.allowedValues)}`;
      case 'oneOf':
      case 'anyOf': {
        // CRDs use these for mutually exclusive or alternative fields; naming them says which.
        const fields = [...new Set(requiredFields(e.schema))];
        return fields.length > 0 ? `${e.message} (fields involved: ${fields.join(', ')})` : (e.message ?? e.keyword);
      }
      case LIST_MAP_KEYS:
        return `duplicate entries for list-map keys ${JSON.stringify(e.schema)}`;
      default:
        return e.message ?? e.keyword;
    }
  })();
  return `${jsonPath(at)}: ${problem} [${source}]`;
}

function requiredFields(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(requiredFields);
  if (!isObject(schema)) return [];
  const own = Array.isArray(schema.required) ? schema.required.filter((f): f is string => typeof f === 'string') : [];
  return [...own, ...(['not', 'allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => requiredFields(schema[k]))];
}

// ---------------------------------------------------------------------------------------------
// Tier 1: kubernetes-models and @kubernetes-models/istio

type ModelClass = new (data: JsonObject) => { validate(): void };

interface Tier1Model {
  Model: ModelClass;
  /** The apiVersion the model accepts; differs from the object's for Istio v1 (see ISTIO_V1_CANDIDATES). */
  apiVersion: string;
  source: string;
}

/**
 * @kubernetes-models/istio predates most v1 APIs, which Istio promoted without schema changes, so a
 * v1 object without a v1 class is validated by the v1beta1 class (v1alpha1 for telemetry) on a
 * copy carrying that apiVersion.
 */
const ISTIO_V1_CANDIDATES = ['v1', 'v1beta1', 'v1alpha1'];

/** Shared by the files of a worker: each model class compiles its ajv validator once, on first use. */
const tier1Cache = workerMemo('tier 1 models', () => new Map<string, Tier1Model | undefined>());

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function gvkOf(apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return `${group}/${version}/${kind}`;
}

function tier1Model(apiVersion: string, kind: string): Tier1Model | undefined {
  const key = `${apiVersion} ${kind}`;
  const cache = tier1Cache();
  if (!cache.has(key)) cache.set(key, findTier1Model(apiVersion, kind));
  return cache.get(key);
}

/** The CRD of a group/version/kind, from CRDS_DIR or FLEET_CRDS_DIR. */
function crdOf(gvk: string): CrdVersion | undefined {
  return (strictCrdsDir === undefined ? undefined : crdIndex().get(gvk)) ?? (fleetCrdsDir === undefined ? undefined : fleetCrdIndex().get(gvk));
}

/** CRD groups that have a kubernetes-models package for Node 20 and CommonJS; Flagger has none. */
const CRD_MODEL_PACKAGES: Readonly<Record<string, string>> = {
  'argoproj.io': '@kubernetes-models/argo-rollouts',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
};

/** Groups whose only schema is their CRD: without CRDS_DIR their objects go unchecked, which is said once. */
const CRD_ONLY_GROUPS = new Set(['flagger.app']);
/** The fleet engines' groups, whose kinds have no schema but their CRDs in FLEET_CRDS_DIR. */
const FLEET_GROUPS = new Set(['apps.kurator.dev']);
let saidUnchecked = false;

function uncheckedWithoutCrds(apiVersion: string, kind: string): boolean {
  const group = splitApiVersion(apiVersion).group;
  if (fleetCrdsDir === undefined && (FLEET_GROUPS.has(group) || kind === 'ApplicationSet')) {
    if (!saidUnchecked) console.warn('skipped: fleet objects have no schema but their CRD, and FLEET_CRDS_DIR is unset and ../shared/crds-fleet absent');
    saidUnchecked = true;
    return true;
  }
  if (strictCrdsDir !== undefined || !CRD_ONLY_GROUPS.has(group)) return false;
  if (!saidUnchecked) {
    console.warn(`skipped: ${[...CRD_ONLY_GROUPS].join(', ')} objects have no schema but their CRD, and CRDS_DIR is unset and ../shared/crds absent; set CRDS_DIR to a folder of their CRDs`);
    saidUnchecked = true;
  }
  return true;
}

function findTier1Model(apiVersion: string, kind: string): Tier1Model | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  // The module path is built from the object, so only plain names may reach require().
  const plainNames = /^([a-z0-9-]+(\.[a-z0-9-]+)*)?$/.test(group) && /^v\w+$/.test(version) && /^[A-Z]\w*$/.test(kind);
  if (!plainNames) return undefined;
  const crdPackage = CRD_MODEL_PACKAGES[group];
  if (crdPackage) return loadModel(`${crdPackage}/${group}/${version}/${kind}`, kind, apiVersion);
  if (!group.endsWith('.istio.io')) {
    return loadModel(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`, kind, apiVersion);
  }
  const versions = version === 'v1' ? ISTIO_V1_CANDIDATES : [version];
  for (const v of versions) {
    const model = loadModel(`@kubernetes-models/istio/${group}/${v}/${kind}`, kind, `${group}/${v}`);
    if (model) return model;
  }
  return undefined;
}

function loadModel(moduleId: string, kind: string, apiVersion: string): Tier1Model | undefined {
  let exported: Record<string, unknown>;
  try {
    exported = require(moduleId);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw e;
  }
  const Model = exported[kind];
  return typeof Model === 'function' ? { Model: Model as ModelClass, apiVersion, source: moduleId } : undefined;
}

function modelErrors(model: Tier1Model, obj: JsonObject): string[] {
  const copy = { ...obj, apiVersion: model.apiVersion };
  try {
    new model.Model(copy).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: ErrorObject[] }).errors;
    return errors?.length
      ? describeAjvErrors(errors, copy, model.source)
      : [`$: ${errorText(e)} [${model.source}]`];
  }
}

// ---------------------------------------------------------------------------------------------
// Tier 2: the upstream CRDs

interface CrdVersion {
  file: string;
  schema: K8sSchema;
}

/** group/version/kind -> schema of every served CRD version in CRDS_DIR. */
const crdIndex = workerMemo(`crd index ${strictCrdsDir}`, (): Map<string, CrdVersion> => {
  const dir = strictCrdsDir;
  if (dir === undefined) throw new Error('CRDS_DIR is unset');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`CRDS_DIR=${dir} holds no *.yaml files`);
  return new Map(cachedIndex(dir, files, () => buildCrdIndex(dir, files)));
});

/** group/version/kind -> schema of every served CRD version in FLEET_CRDS_DIR. */
const fleetCrdIndex = workerMemo(`fleet crd index ${fleetCrdsDir}`, (): Map<string, CrdVersion> => {
  const dir = fleetCrdsDir!;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return new Map(cachedIndex(dir, files, () => buildCrdIndex(dir, files)));
});

function buildCrdIndex(dir: string, files: string[]): [string, CrdVersion][] {
  return files.flatMap((file) => readCrds(path.join(dir, file)).flatMap((crd) =>
    crd.spec.versions.flatMap((v): [string, CrdVersion][] => {
      const schema = v.schema?.openAPIV3Schema;
      return v.served && schema ? [[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, { file, schema }]] : [];
    })));
}

/**
 * jest gives every test file its own module registry, so a module-level cache would parse the
 * 2.7 MB of CRD YAML (about a second) once per test file. The parsed index is kept as JSON in the
 * OS temp folder instead, keyed by the files' names, sizes and times, and written by rename so
 * that parallel workers never read half a file.
 */
function cachedIndex(dir: string, files: string[], build: () => [string, CrdVersion][]): [string, CrdVersion][] {
  const key = createHash('sha256')
    .update(JSON.stringify(files.map((f) => { const st = fs.statSync(path.join(dir, f)); return [dir, f, st.size, st.mtimeMs]; })))
    .digest('hex').slice(0, 16);
  const cache = path.join(os.tmpdir(), `cdk8s-istio-release-crds-${key}.json`);
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8'));
  const index = build();
  const partial = `${cache}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(index));
  fs.renameSync(partial, cache);
  return index;
}

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: K8sSchema } }[];
  };
}

function readCrds(file: string): Crd[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  return parseAllDocuments(text).flatMap((doc) => {
    const fatal = doc.errors.filter((e) => !isDescriptionGlitch(lines, e));
    if (fatal.length > 0) throw new Error(`${file}: ${fatal[0].message}`);
    const crd: unknown = doc.toJS();
    return isObject(crd) && crd.kind === 'CustomResourceDefinition' ? [crd as unknown as Crd] : [];
  });
}

/**
 * Flagger's CRD file continues quoted `description:` scalars without the indentation YAML requires
 * (Go's parser, hence kubectl, tolerates it). The damage is a stray key beside that description,
 * which toAjvSchema's keyword whitelist ignores; any other YAML error still fails.
 */
function isDescriptionGlitch(lines: string[], e: YAMLError): boolean {
  const line = e.linePos?.[0].line; // 1-based: the error's line is lines[line - 1]
  return line !== undefined && [line - 1, line - 2].some((i) => /^\s*description:/.test(lines[i] ?? ''));
}

const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

const listMapKeys: KeywordDefinition = {
  keyword: LIST_MAP_KEYS,
  type: 'array',
  schemaType: 'array',
  validate: (keys: string[], items: unknown[]) =>
    new Set(items.map((item) => JSON.stringify(keys.map((k) => (isObject(item) ? item[k] : undefined))))).size ===
    items.length,
};

/** The formats the API server validates in CRDs; toAjvSchema drops every other `format`. */
const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': (v) =>
    /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)),
  ipv4: isIPv4,
  ipv6: isIPv6,
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
};

const ajv = workerMemo('ajv',
  () =>
    new Ajv({
      allErrors: true,
      strictTypes: false, // value-validation branches (anyOf/oneOf) legitimately carry `required` without `type`
      allowUnionTypes: true,
      useDefaults: true, // the API server defaults before it validates, and CEL rules rely on it
      verbose: true,
      formats: FORMATS,
      keywords: [listMapKeys],
    }),
);

const SCHEMA_KEYWORDS = [
  'type',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
];

const TYPE_META: Record<string, object> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object' },
};

/**
 * Translates a structural CRD schema into JSON Schema for ajv, strict like the API server:
 * an object that neither lists `additionalProperties` nor preserves unknown fields gets
 * `additionalProperties: false` (the server would prune or, with strict field validation, reject).
 * `structural` is false inside allOf/anyOf/oneOf/not, which may only constrain values.
 */
function toAjvSchema(s: K8sSchema, structural: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(
    SCHEMA_KEYWORDS.filter((k) => k in s).map((k) => [k, s[k]]),
  );
  if (s.nullable && s.type) out.nullable = true;
  if (s.format && s.format in FORMATS) out.format = s.format;
  if (s['x-kubernetes-int-or-string'] && !s.type) out.type = ['integer', 'string'];
  if (s['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (s['x-kubernetes-list-type'] === 'map') out[LIST_MAP_KEYS] = s['x-kubernetes-list-map-keys'] ?? [];
  if (structural && s.default !== undefined) out.default = s.default;
  if (s.properties) out.properties = mapValues(s.properties, (p) => toAjvSchema(p, structural));
  if (s['x-kubernetes-embedded-resource']) out.properties = { ...(out.properties as object), ...TYPE_META };
  if (s.items) out.items = toAjvSchema(s.items, structural);
  const additional = s.additionalProperties;
  if (typeof additional === 'object') out.additionalProperties = toAjvSchema(additional, structural);
  else if (additional !== undefined) out.additionalProperties = additional;
  else if (structural && s.type === 'object' && !s['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = s[k];
    if (branches) out[k] = branches.map((b) => toAjvSchema(b, false));
  }
  if (s.not) out.not = toAjvSchema(s.not, false);
  return out;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

const validators = workerMemo('crd validators', () => new Map<CrdVersion, ValidateFunction>());

function crdValidator(crd: CrdVersion): ValidateFunction {
  let validate = validators().get(crd);
  if (!validate) {
    const root = toAjvSchema(crd.schema, true);
    root.properties = { ...(root.properties as object), ...TYPE_META };
    validate = ajv().compile(root);
    validators().set(crd, validate);
  }
  return validate;
}

function crdErrors(crd: CrdVersion, obj: JsonObject): string[] {
  const data = structuredClone(obj); // ajv writes the schema defaults into it
  const validate = crdValidator(crd);
  const schemaErrs = validate(data) ? [] : describeAjvErrors(validate.errors ?? [], data, crd.file);
  return [...schemaErrs, ...celErrors(crd.schema, data, [])];
}

// ---------------------------------------------------------------------------------------------
// Tier 2: CEL rules (x-kubernetes-validations)

/** Every rule with the schema location where it is declared; rules only sit on structural nodes. */
function rulesIn(schema: K8sSchema, at: Segment[]): { rule: CelRule; at: Segment[] }[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((rule) => ({ rule, at }));
  const children: [Segment, K8sSchema | undefined][] = [
    ...Object.entries(schema.properties ?? {}),
    [ANY, schema.items],
    [ANY, additionalSchema(schema)],
  ];
  return [...own, ...children.flatMap(([seg, child]) => (child ? rulesIn(child, [...at, seg]) : []))];
}

/** Evaluates the rules of every node present in `value`, depth first, as the API server does. */
function celErrors(schema: K8sSchema, value: Json | undefined, at: Segment[]): string[] {
  if (value === undefined || value === null || !hasSchemaType(schema, value)) return []; // ajv reports type errors
  const own = (schema['x-kubernetes-validations'] ?? []).flatMap((rule) => ruleErrors(rule, schema, value, at));
  return [...own, ...childNodes(schema, value).flatMap(([seg, s, v]) => celErrors(s, v, [...at, seg]))];
}

function hasSchemaType(schema: K8sSchema, value: Json): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value === schema.type;
    default:
      return true;
  }
}

function additionalSchema(schema: K8sSchema | undefined): K8sSchema | undefined {
  return typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function childNodes(schema: K8sSchema, value: Json): [Segment, K8sSchema, Json][] {
  if (Array.isArray(value)) return schema.items ? value.map((v, i) => [i, schema.items as K8sSchema, v]) : [];
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]): [Segment, K8sSchema, Json][] => {
    const child = schema.properties?.[k] ?? additionalSchema(schema);
    return child ? [[k, child, v]] : [];
  });
}

function ruleErrors(rule: CelRule, schema: K8sSchema, value: Json, at: Segment[]): string[] {
  const compiled = compiledRule(rule.rule);
  const where = `${jsonPath(at)}: `;
  const cel = `[CEL: ${oneLine(rule.rule)}]`;
  if (compiled.kind === 'transition') return [];
  if (compiled.kind === 'unsupported') return [`${where}CEL rule cannot be evaluated (${compiled.reason}) ${cel}`];
  const self = celValue(schema, value);
  const result = compiled.run(self);
  if (result === true) return [];
  if (result !== false) return [`${where}CEL rule could not be evaluated (${resultText(result)}) ${cel}`];
  return [`${where}${ruleMessage(rule, self)} ${cel}`];
}

function resultText(result: CelResult): string {
  return isCelError(result) ? result.message : `returned ${String(result)}, not a bool`;
}

function ruleMessage(rule: CelRule, self: CelInput): string {
  const fallback = rule.message ?? `failed rule: ${oneLine(rule.rule)}`;
  if (!rule.messageExpression) return fallback;
  const compiled = compiledRule(rule.messageExpression);
  const message = compiled.kind === 'ok' ? compiled.run(self) : undefined;
  return typeof message === 'string' && message !== '' ? message : fallback;
}

/**
 * JSON to CEL the way the API server types it: `integer` becomes int (bigint), `number` stays
 * double, declared properties get Kubernetes' CEL name escaping, map keys stay as they are.
 */
function celValue(schema: K8sSchema | undefined, value: Json): CelInput {
  if (Array.isArray(value)) return value.map((v) => celValue(schema?.items, v));
  if (isObject(value)) return new Map(Object.entries(value).flatMap(([k, v]) => celEntry(schema, k, v)));
  if (typeof value === 'number' && Number.isInteger(value) && schema?.type !== 'number') return BigInt(value);
  return value;
}

function celEntry(schema: K8sSchema | undefined, key: string, value: Json): [string, CelInput][] {
  const property = schema?.properties?.[key];
  if (!property) return [[key, celValue(additionalSchema(schema), value)]];
  const name = escapeCelField(key);
  return name === undefined ? [] : [[name, celValue(property, value)]];
}

const CEL_RESERVED = new Set([
  ...['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if'],
  ...['import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while'],
]);

/** k8s.io/apiserver/pkg/cel Escape: how a property name is spelled in a rule (`namespace` -> `__namespace__`). */
function escapeCelField(name: string): string | undefined {
  if (name === '' || /^\d/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (/[^\w./-]/.test(name)) return undefined; // not accessible from CEL at all
  const escapes: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };
  return name.replace(/__|[./-]/g, (s) => escapes[s]);
}

type CompiledRule =
  | { kind: 'ok'; run: (self: CelInput) => CelResult }
  | { kind: 'transition' }
  | { kind: 'unsupported'; reason: string };

const compiledRules = new Map<string, CompiledRule>();

function compiledRule(expr: string): CompiledRule {
  let compiled = compiledRules.get(expr);
  if (!compiled) {
    compiled = compileRule(expr);
    compiledRules.set(expr, compiled);
  }
  return compiled;
}

function compileRule(expr: string): CompiledRule {
  try {
    const parsed = parse(expr);
    const refs = references(parsed.expr);
    // Transition rules compare with the stored object; there is none here (see the header).
    if (refs.idents.has('oldSelf')) return { kind: 'transition' };
    const unknown = refs.calls.filter((c) => !isKnownCall(c));
    if (unknown.length > 0) {
      return { kind: 'unsupported', reason: `unsupported function ${unknown.map(describeCall).join(', ')}` };
    }
    const run = plan(celEnvironment(), parsed);
    return { kind: 'ok', run: (self) => run({ self }) };
  } catch (e) {
    return { kind: 'unsupported', reason: `does not compile: ${oneLine(errorText(e))}` };
  }
}

type Expr = ReturnType<typeof parse>['expr'];

interface Call {
  name: string;
  method: boolean;
  arity: number;
}

function describeCall(c: Call): string {
  return `${c.method ? '<target>.' : ''}${c.name}/${c.arity}`;
}

function references(root: Expr): { idents: Set<string>; calls: Call[] } {
  const idents = new Set<string>();
  const calls: Call[] = [];
  const visit = (e: Expr | undefined): void => {
    const k = e?.exprKind;
    switch (k?.case) {
      case 'identExpr':
        idents.add(k.value.name);
        return;
      case 'selectExpr':
        return visit(k.value.operand);
      case 'callExpr':
        calls.push({ name: k.value.function, method: k.value.target !== undefined, arity: k.value.args.length });
        visit(k.value.target);
        return k.value.args.forEach(visit);
      case 'listExpr':
        return k.value.elements.forEach(visit);
      case 'structExpr':
        return k.value.entries.forEach((en) => {
          if (en.keyKind.case === 'mapKey') visit(en.keyKind.value);
          visit(en.value);
        });
      case 'comprehensionExpr': {
        const c = k.value;
        return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].forEach(visit);
      }
    }
  };
  visit(root);
  return { idents, calls };
}

/** Calls the @bufbuild/cel planner implements itself rather than through its function registry. */
const PLANNER_FORMS = new Set([
  '_[_]',
  '_[?_]',
  '_?._',
  '_?_:_',
  '_&&_',
  '_||_',
  '@not_strictly_false',
  '__not_strictly_false__',
]);

/** Static check, because the evaluator only notices an unknown function when a call is reached. */
function isKnownCall(call: Call): boolean {
  if (PLANNER_FORMS.has(call.name)) return true;
  const overloads = celEnvironment().funcs.find(call.name);
  return [...(overloads ?? [])].some(
    (f) => (f.target !== undefined) === call.method && f.arguments.length === call.arity,
  );
}

const celEnvironment = memo(() =>
  celEnv({ funcs: [...strings, ...kubernetesUrlLibrary()], variables: { self: CelScalar.DYN } }),
);

/**
 * The part of Kubernetes' CEL URL library the CRD rules use: isURL(), url() and getScheme().
 * (Everything else they use — matches, duration, int, size, split, substring, contains, the
 * macros — is standard CEL or the strings extension, which Kubernetes also enables.)
 * A URL is an opaque value in Kubernetes; here it is an empty CelMap whose parsed form is kept
 * on the side, so getScheme() refuses anything that did not come from url().
 */
function kubernetesUrlLibrary(): CelFunc[] {
  const schemes = new WeakMap<CelMap, string>();
  return [
    celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => requestUriScheme(s) !== undefined),
    celFunc('url', [CelScalar.STRING], CelScalar.DYN, (s) => {
      const scheme = requestUriScheme(s);
      if (scheme === undefined) throw new Error(`URL parse error during conversion from string: ${s}`);
      const url = celMap(new Map());
      schemes.set(url, scheme);
      return url;
    }),
    celMethod('getScheme', mapType(CelScalar.STRING, CelScalar.DYN), [], CelScalar.STRING, function () {
      const scheme = schemes.get(this);
      if (scheme === undefined) throw new Error('getScheme() needs a value made by url()');
      return scheme;
    }),
  ];
}

/**
 * Go's url.ParseRequestURI, which isURL() and url() use: an absolute URI (or a scheme with an
 * opaque part) or an absolute path. Returns the scheme ('' for a path), or undefined if invalid.
 */
function requestUriScheme(s: string): string | undefined {
  if (s === '' || /[\x00-\x1f\x7f]/.test(s)) return undefined;
  if (s === '*') return '';
  if (s.startsWith(':')) return undefined; // "missing protocol scheme"
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : '';
  const rest = s.slice(schemeMatch ? schemeMatch[0].length : 0).split('?')[0];
  if (!rest.startsWith('/')) return scheme === '' ? undefined : scheme; // rootless: opaque, fine with a scheme
  const authority = scheme !== '' && rest.startsWith('//') ? rest.slice(2).split('/')[0] : undefined;
  if (authority !== undefined && !validAuthority(authority)) return undefined;
  return validEscapes(rest) ? scheme : undefined;
}

function validAuthority(authority: string): boolean {
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const portFrom = host.startsWith('[') ? host.lastIndexOf(']') + 1 : host.lastIndexOf(':');
  if (host.startsWith('[') && portFrom === 0) return false; // "missing ']' in host"
  const port = portFrom < 0 ? '' : host.slice(portFrom);
  return /^[\w.~!$&'()*+,;=:%[\]-]*$/.test(host) && /^(:\d*)?$/.test(port) && validEscapes(host);
}

function validEscapes(s: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(s);
}
