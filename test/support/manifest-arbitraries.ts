import fc from 'fast-check';
import { stringify } from 'yaml';
import { exampleCharts } from './manifests';

/**
 * Manifest sets and YAML files for the fuzz of `verifyManifests`, `Diagram` and the CLI in
 * test/fuzz.test.ts: the objects of one or two example charts, as real as input gets, with a few
 * hostile edits (a field of another type, a field from elsewhere, an object read as another kind, a
 * cycle, as YAML anchors make them) and now and then entries that are no objects at all. Files are
 * those sets as YAML, now and then with their text broken, or nasty YAML of its own.
 */

type Json = unknown;

/** Each example chart's objects, as the CLI reads them from its output; made on first use, so that a broken example fails the tests that use it alone. */
let bases: readonly Json[][] | undefined;

function examples(): readonly Json[][] {
  bases ??= [...exampleCharts().map(chart => chart.toJson()), DELEGATION];
  return bases;
}

const VS = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };

/**
 * What no example makes: a root that delegates, found and not found, and matches scoped to
 * gateways, bound and not, in the delegate and the root.
 */
const DELEGATION: Json[] = [
  {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'edge' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/shop.example.com'] }] },
  },
  {
    ...VS, metadata: { name: 'root', namespace: 'edge' },
    spec: {
      hosts: ['shop.example.com'], gateways: ['public', 'mesh'],
      http: [
        { match: [{ uri: { prefix: '/api' }, gateways: ['public'] }], delegate: { name: 'api', namespace: 'shop' } },
        { match: [{ gateways: ['edge/other'] }], delegate: { name: 'missing' } },
        { route: [{ destination: { host: 'web.shop.svc.cluster.local' } }] },
      ],
    },
  },
  {
    ...VS, metadata: { name: 'api', namespace: 'shop' },
    spec: { http: [{ match: [{ uri: { prefix: '/api/v1' }, gateways: ['edge/public', 'mesh'] }], route: [{ destination: { host: 'api' } }] }, { route: [{ destination: { host: 'api' } }] }] },
  },
];

/** Kinds that verify and diagram read, with their API versions; an object of one read as another meets every field of the wrong shape. */
const KINDS: readonly (readonly [string, string])[] = [
  ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'DestinationRule'], ['networking.istio.io/v1', 'Gateway'],
  ['networking.istio.io/v1beta1', 'ServiceEntry'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'],
  ['argoproj.io/v1alpha1', 'Rollout'], ['gateway.networking.k8s.io/v1', 'HTTPRoute'], ['gateway.networking.k8s.io/v1', 'Gateway'],
  ['v1', 'List'], ['v1', 'Pod'],
];

/** Nested `depth` deep: recursion over input has to stop somewhere. */
function nested(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { spec: value };
  return value;
}

/** Values that YAML can give a field: every JSON type, what YAML adds (.nan, .inf, -0), and names that JavaScript objects hold dear. */
const HOSTILE_JSON: readonly Json[] = [
  null, true, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, NaN, Infinity, -Infinity, -0,
  '', 'x', '*', '*/*', '/', '.', '~', 'mesh', 'a b', 'ünï', '🙂', 'a\nb', 'x'.repeat(10_000), '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  [], [null], [[]], [{}], {}, JSON.parse('{"__proto__": {"name": "x"}}'), { constructor: 'x', toString: 1, hasOwnProperty: [] },
  { name: 'reviews', namespace: 'default' }, nested(100),
];

/** Entries of a manifest list that are not objects of any kind, or Lists of such. */
const JUNK_ENTRIES: readonly Json[] = [
  null, 42, 'text', [], {}, { kind: 'VirtualService' }, { kind: 'Service', metadata: { name: [] } }, { apiVersion: 5, kind: {}, metadata: 'x' },
  { apiVersion: 'v1', kind: 'List', items: 'x' }, { apiVersion: 'v1', kind: 'List', items: [null, { apiVersion: 'v1', kind: 'List', items: [{}] }] },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { hosts: ['*'], http: [{ route: [{ destination: {} }] }] } },
];

/** One hostile edit, at the `at`-th place (modulo the places there are) of the `object`-th object. */
type Edit =
  | { readonly op: 'replace'; readonly object: number; readonly at: number; readonly value: Json }
  | { readonly op: 'transplant'; readonly object: number; readonly at: number; readonly from: number }
  | { readonly op: 'delete'; readonly object: number; readonly at: number }
  | { readonly op: 'kind'; readonly object: number; readonly kind: number }
  | { readonly op: 'cycle'; readonly object: number; readonly at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), object: fc.nat(), at: fc.nat(), value: fc.constantFrom(...HOSTILE_JSON) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('transplant' as const), object: fc.nat(), at: fc.nat(), from: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), object: fc.nat(), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kind' as const), object: fc.nat(), kind: fc.nat({ max: KINDS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cycle' as const), object: fc.nat(), at: fc.nat() }) },
);

/** A place in an object: the container and the key in it. */
interface Place {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

/** Every place in `value`, depth first; a place already visited (a cycle, a shared node) is not entered twice. */
function places(value: Json, seen = new Set<unknown>()): Place[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const parent = value as Record<string, unknown>;
  return Object.keys(parent).flatMap(key => [{ parent, key }, ...places(parent[key], seen)]);
}

function apply(objects: Json[], e: Edit): void {
  const target = objects[e.object % objects.length];
  if (e.op === 'kind') {
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.assign(target, { apiVersion: KINDS[e.kind][0], kind: KINDS[e.kind][1] });
    return;
  }
  const all = places(target);
  if (all.length === 0) return;
  const { parent, key } = all[e.at % all.length];
  const record = parent as Record<string | number, unknown>;
  switch (e.op) {
    case 'replace':
      record[key] = structuredClone(e.value);
      return;
    case 'transplant': {
      const donors = objects.flatMap(o => places(o));
      const donor = donors[e.from % donors.length];
      record[key] = (donor.parent as Record<string | number, unknown>)[donor.key];
      return;
    }
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete record[key];
      return;
    case 'cycle':
      record[key] = target;
  }
}

/** What a manifest set is drawn from, as fast-check prints it; `manifestsOf` makes the set. */
export interface ManifestRecipe {
  /** Example charts, by index modulo their number. */
  readonly charts: readonly number[];
  readonly keep: readonly boolean[];
  readonly edits: readonly Edit[];
  readonly junk: readonly Json[];
}

export const manifestRecipe: fc.Arbitrary<ManifestRecipe> = fc.record({
  charts: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
  keep: fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { maxLength: 30 }),
  edits: fc.array(edit, { maxLength: 5 }),
  junk: fc.oneof({ weight: 5, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...JUNK_ENTRIES), { minLength: 1, maxLength: 2 }) }),
}, { noNullPrototype: true });

/** A fresh manifest set from the recipe: a deep copy of the charts' objects, some left out, edited. */
export function manifestsOf(recipe: ManifestRecipe): Json[] {
  const charts = examples();
  const chosen = recipe.charts.flatMap(i => charts[i % charts.length]).filter((_, i) => recipe.keep[i] ?? true);
  const objects = structuredClone(chosen);
  if (objects.length > 0) recipe.edits.forEach(e => apply(objects, e));
  return [...objects, ...structuredClone(recipe.junk)];
}

/** Options as a JavaScript caller or a config file may give them: mostly right, sometimes of any type. */
export const verifyOptions: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.record({
    externalHosts: fc.constantFrom(undefined, ['*.example.com'], ['shop.example.com', 42], 'shop.example.com', [null]),
    externalGateways: fc.constantFrom(undefined, ['istio-system/public-gateway'], ['gw'], 'istio-system/gw', [{}]),
    externalDelegates: fc.constantFrom(undefined, ['edge/missing'], ['missing'], 'edge/missing', [7]),
    requireWeightSum100: fc.constantFrom(undefined, true, 'yes'),
    defaultNamespace: fc.constantFrom(undefined, 'shop', '', 42, 'a b'),
  }, { requiredKeys: [], noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'shop', 42, [], () => 0) },
);

/** YAML whose every document is one of the objects, as `cdk8s synth` writes it. */
function yamlOf(objects: readonly Json[]): string {
  return objects.map(o => stringify(o, { aliasDuplicateObjects: true })).join('---\n');
}

/** YAML that parses oddly or not at all: aliases and cycles, tags, merge keys, duplicate keys, directives, deep nesting. */
const NASTY_YAML: readonly string[] = [
  '', '---\n', '# only a comment\n', '...\n', '\uFEFFkind: Service\n', 'kind: Service\r\nmetadata:\r\n  name: web\r\n',
  'a: &x [ *x ]\n', 'kind: &k Service\nmetadata: &m { name: *k, labels: *m }\n', '*undefined\n',
  'kind: VirtualService\nmetadata: { name: v }\nspec: &s { hosts: [x], http: [ { route: *s } ] }\n',
  `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
  'kind: !!binary aGVsbG8=\n', 'spec: !!set { a, b }\n', 'metadata: { creationTimestamp: !!timestamp 2001-12-14 }\n', 'kind: !custom Service\n',
  'base: &b { kind: Service }\n<<: *b\nmetadata: { name: web }\n', 'kind: Service\nkind: Deployment\n', '%YAML 1.1\n---\nkind: Service\n',
  '%TAG !e! tag:example.com,2000:\n---\nkind: !e!Service x\n', '? [a, b]\n: c\n', '__proto__: { kind: Service }\nmetadata: { name: web }\n',
  'kind: Service\nmetadata: { name: web }\nspec: { ports: .nan, selector: { app: .inf } }\n', `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  `${'- '.repeat(2000)}x\n`, `${'a:\n '.repeat(500)}b\n`, 'kind: "unterminated\n', '\tkind: Service\n', '- - -\n', '{ "kind": "Service", "spec": 1e999 }\n',
  `kind: Service\nmetadata: { name: ${'x'.repeat(100_000)} }\n`, 'key: \u0000\n',
];

/** Breaks the text at `at`: cut off there, or a character YAML gives meaning to put in. */
type TextEdit = { readonly op: 'cut' | 'insert'; readonly at: number; readonly char: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  op: fc.constantFrom('cut' as const, 'insert' as const),
  at: fc.nat(),
  char: fc.constantFrom(':', '-', '&', '*', '!', '|', '>', '\'', '"', '{', '[', '#', '%', '@', '`', '\t', '\n', ' ', '\u0000', '\uFEFF', '\u2028'),
});

function broken(text: string, edits: readonly TextEdit[]): string {
  return edits.reduce((t, e) => {
    const at = t.length === 0 ? 0 : e.at % t.length;
    return e.op === 'cut' ? t.slice(0, at) : t.slice(0, at) + e.char + t.slice(at);
  }, text);
}

/** One input file: a manifest set as YAML, maybe broken, or nasty YAML. */
export interface FileRecipe {
  readonly name: string;
  readonly manifests: ManifestRecipe;
  readonly textEdits: readonly TextEdit[];
  readonly nasty?: string;
}

export const fileRecipe: fc.Arbitrary<FileRecipe> = fc.record({
  name: fc.constantFrom('app.k8s.yaml', 'other.yml', 'weird name ü.yaml', 'UPPER.YAML', 'no-extension'),
  manifests: manifestRecipe,
  textEdits: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) }),
  nasty: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY_YAML) }),
}, { requiredKeys: ['name', 'manifests', 'textEdits'], noNullPrototype: true });

/** The file's text. */
export function fileText(recipe: FileRecipe): string {
  return recipe.nasty ?? broken(yamlOf(manifestsOf(recipe.manifests)), recipe.textEdits);
}

/** Arguments of one CLI run besides the files: mostly right, with now and then an unknown, empty or valueless option. */
export const cliArgs: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.tuple(
    fc.constant('verify'),
    fc.subarray(['--strict', '--require-weight-sum-100', '--format=json', '--format=text']),
    fc.array(fc.constantFrom('--external-host=*.example.com', '--external-host=', '--external-gateway=istio-system/public-gateway',
      '--external-gateway=gw', '--default-namespace=shop', '--default-namespace=', '--default-namespace=a b'), { maxLength: 2 }),
  ).map(([command, flags, options]) => [command, ...flags, ...options]),
  fc.tuple(
    fc.constant('diagram'),
    fc.constantFrom(['--print'], ['--print'], []),
    fc.constantFrom([], ['--format=markdown'], ['--format=mermaid'], ['--format=table'], ['--default-namespace=shop']),
  ).map(([command, print, options]) => [command, ...print, ...options]),
  fc.constantFrom(['verify', '--format'], ['verify', '--bogus'], ['diagram', '--format=svg', '--print'], ['verify', '--'], ['diagram', '--print', '-'], ['verify', '-h']),
);
