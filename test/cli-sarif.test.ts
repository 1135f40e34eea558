import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';
import Ajv from 'ajv';
import { locator } from '../src/cli/locate';
import { parseManifests } from '../src/cli/yaml';
import { CODES, ISTIO_CODES } from '../src/verify';
import { run } from './support/cli';
import { tempDir } from './support/tmp';

const ROOT = join(__dirname, '..');
const FINDINGS_DOC = 'https://github.com/cdk8s-istio-release/cdk8s-istio-release/blob/main/docs/findings.md';

/**
 * The SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (OASIS's, at its last release
 * candidate). It is written for JSON Schema draft-04, whose only keyword it uses that later drafts
 * lack is `id`, so it is read as draft-07 with `$id` instead. One `pattern` is no valid Unicode
 * regular expression (a stray `]`, which OASIS's final schema kept), so patterns are read without
 * the `u` flag, as draft-04 validators read them.
 */
function sarifValidator() {
  const file = join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv({
    allErrors: true,
    unicodeRegExp: false,
    formats: {
      'uri': (value: string) => URL.canParse(value),
      'uri-reference': (value: string) => URL.canParse(value, 'file:///'),
      'date-time': (value: string) => !Number.isNaN(Date.parse(value)),
    },
  });
  return ajv.compile({ $id: id, ...schema });
}
const validSarif = sarifValidator();

function expectValidSarif(log: unknown): void {
  const valid = validSarif(log);
  expect(validSarif.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

/** Four objects of one app: the VirtualService's second route names a subset the DestinationRule lacks (line 59, column 13). */
const APP = [
  '# reviews: the canary subset v2 is missing from the DestinationRule',
  'apiVersion: v1', 'kind: Service', 'metadata:', '  name: reviews', '  namespace: shop', 'spec:',
  '  selector:', '    app: reviews', '  ports:', '    - name: http', '      port: 9080',
  '---',
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: reviews-v1', '  namespace: shop', 'spec:',
  '  selector:', '    matchLabels: { app: reviews, version: v1 }', '  template:', '    metadata:',
  '      labels: { app: reviews, version: v1 }', '    spec:', '      containers:', '        - name: reviews', '          image: reviews:1',
  '---',
  'apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: reviews', '  namespace: shop', 'spec:',
  '  host: reviews', '  subsets:', '    - name: v1', '      labels: { version: v1 }',
  '---',
  'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: reviews', '  namespace: shop', 'spec:',
  '  hosts: [reviews]', '  http:', '    - route:', '        - destination: { host: reviews, subset: v1 }', '          weight: 90',
  '        - destination:', '            host: reviews', '            subset: v2', '          weight: 10',
  '',
].join('\n');

/** A DestinationRule for a host that is not there: a warning, at `host:` on line 7, column 3. */
const STRAY_RULE = [
  '---', 'apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: ratings', '  namespace: shop', 'spec:', '  host: ratings', '',
].join('\n');

/** The fixed app: the DestinationRule defines v2 too, and the Deployment of v2 runs its pods. */
const FIXED_APP = APP.replace('      labels: { version: v1 }', '      labels: { version: v1 }\n    - name: v2\n      labels: { version: v2 }')
  + `---\n${APP.split('---\n')[1].replace(/v1/g, 'v2')}`;

interface Sarif {
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; [key: string]: unknown }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

function sarif(...args: string[]): { code: number; log: Sarif } {
  const { code, stdout, stderr } = run('verify', '--format', 'sarif', ...args);
  expect(stderr).toBe('');
  return { code, log: JSON.parse(stdout) };
}

describe('verify --format sarif', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  /** A repository checkout with the files given, made the current directory as in CI. */
  function checkout(files: Record<string, string>): string {
    const dir = tempDir();
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    process.chdir(dir);
    return dir;
  }

  test('fails when a route names a missing subset, with a result at the line and column of that field', () => {
    checkout({ 'deploy/reviews.yaml': APP, 'deploy/ratings.yaml': STRAY_RULE });
    const { code, log } = sarif('deploy');
    expect(code).toBe(1);
    expectValidSarif(log);
    const rules = log.runs[0].tool.driver.rules.map(rule => rule.id);
    const at = (uri: string, startLine: number, startColumn: number) =>
      ({ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine, startColumn } } });
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results).toEqual([
      {
        ruleId: 'destination-rule-host-not-found',
        ruleIndex: rules.indexOf('destination-rule-host-not-found'),
        level: 'warning',
        message: { text: expect.stringMatching(/^host ratings resolves to ratings\.shop\.svc\.cluster\.local, which is not a Service in the set/) },
        locations: [{
          ...at('deploy/ratings.yaml', 8, 3),
          logicalLocations: [
            { name: 'DestinationRule/shop/ratings', fullyQualifiedName: 'DestinationRule/shop/ratings', kind: 'resource' },
            { name: 'spec.host', fullyQualifiedName: 'DestinationRule/shop/ratings:spec.host', kind: 'property' },
          ],
        }],
        partialFingerprints: { 'cdk8sIstioRelease/v1': expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
      {
        ruleId: 'subset-not-found',
        ruleIndex: rules.indexOf('subset-not-found'),
        level: 'error',
        message: { text: 'subset v2 is not among the subsets (v1) of DestinationRule/shop/reviews, so Istio answers 503; add it there or route to one of those' },
        locations: [{
          ...at('deploy/reviews.yaml', 54, 13),
          logicalLocations: [
            { name: 'VirtualService/shop/reviews', fullyQualifiedName: 'VirtualService/shop/reviews', kind: 'resource' },
            { name: 'spec.http[0].route[1].destination.subset', fullyQualifiedName: 'VirtualService/shop/reviews:spec.http[0].route[1].destination.subset', kind: 'property' },
          ],
        }],
        partialFingerprints: { 'cdk8sIstioRelease/v1': expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    ]);
    expect(APP.split('\n')[53]).toBe('            subset: v2');
    expect(STRAY_RULE.split('\n')[7]).toBe('  host: ratings');
  });

  test('passes a clean set, with no results', () => {
    checkout({ 'reviews.yaml': FIXED_APP });
    const { code, log } = sarif('reviews.yaml');
    expect(code).toBe(0);
    expectValidSarif(log);
    expect(log.runs[0].results).toEqual([]);
  });

  test('names the tool with the package version, and has a rule for every code with its description, level, help and Istio code', () => {
    checkout({ 'reviews.yaml': FIXED_APP });
    const { driver } = sarif('reviews.yaml').log.runs[0].tool;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect({ name: driver.name, version: driver.version, informationUri: driver.informationUri })
      .toEqual({ name: 'cdk8s-istio-release', version, informationUri: 'https://github.com/cdk8s-istio-release/cdk8s-istio-release' });
    expect(driver.rules.map(rule => rule.id)).toEqual(Object.keys(CODES));
    expect(driver.rules.find(rule => rule.id === 'subset-not-found')).toEqual({
      id: 'subset-not-found',
      shortDescription: { text: 'A destination names a subset that no DestinationRule for its host defines: 503.' },
      helpUri: `${FINDINGS_DOC}#subset-not-found`,
      defaultConfiguration: { level: 'error' },
      properties: { istioCode: 'IST0101' },
    });
    expect(driver.rules.find(rule => rule.id === 'object-unidentified')).toEqual({
      id: 'object-unidentified',
      shortDescription: { text: 'An entry is not an object, or has no `kind` or `metadata.name`; no check sees it.' },
      helpUri: `${FINDINGS_DOC}#object-unidentified`,
      defaultConfiguration: { level: 'warning' },
    });
    for (const rule of driver.rules) {
      expect(rule.shortDescription).toEqual({ text: expect.stringMatching(/^[A-Z`].*\.$/) });
      expect(rule.defaultConfiguration).toEqual({ level: CODES[rule.id as keyof typeof CODES] });
      expect(rule.properties).toEqual(ISTIO_CODES[rule.id as keyof typeof CODES] ? { istioCode: ISTIO_CODES[rule.id as keyof typeof CODES] } : undefined);
    }
  });

  test('keeps a finding\'s fingerprint when its object moves, and tells findings apart by code, object and field', () => {
    checkout({ 'a.yaml': APP + STRAY_RULE });
    const before = sarif('a.yaml').log.runs[0].results;
    writeFileSync('a.yaml', `# a comment\n# and another\n${APP}${STRAY_RULE}`);
    const after = sarif('a.yaml').log.runs[0].results;
    expect(after.map(r => r.locations[0].physicalLocation?.region.startLine)).toEqual(before.map(r => r.locations[0].physicalLocation!.region.startLine + 2));
    expect(after.map(r => r.partialFingerprints)).toEqual(before.map(r => r.partialFingerprints));
    expect(new Set(before.map(r => r.partialFingerprints['cdk8sIstioRelease/v1'])).size).toBe(2);
  });

  test('gives a file outside the current directory by its file URI, and escapes what a URI may not hold', () => {
    const outside = join(tempDir(), 'my app.yaml');
    writeFileSync(outside, APP);
    checkout({ 'deploy #1/reviews.yaml': APP });
    const uris = (file: string) => sarif(file).log.runs[0].results.map(r => r.locations[0].physicalLocation?.artifactLocation);
    expect(uris(outside)).toEqual([{ uri: pathToFileURL(outside).href }]);
    expect(uris(outside)[0]?.uri).toMatch(/my%20app\.yaml$/);
    expect(uris('deploy #1/reviews.yaml')).toEqual([{ uri: 'deploy%20%231/reviews.yaml', uriBaseId: '%SRCROOT%' }]);
  });

  test('gives every place of an object in several files, each at its field', () => {
    checkout({ 'one.yaml': STRAY_RULE, 'two.yaml': `# the same rule again\n${STRAY_RULE}` });
    const { log } = sarif('one.yaml', 'two.yaml');
    const duplicate = log.runs[0].results.find(r => r.ruleId === 'duplicate-object')!;
    expect(duplicate.locations.map(l => [l.physicalLocation?.artifactLocation.uri, l.physicalLocation?.region.startLine, l.physicalLocation?.region.startColumn]))
      .toEqual([['one.yaml', 5, 3], ['two.yaml', 6, 3]]);
    expectValidSarif(log);
  });

  test('the schema check refuses a log that breaks the schema, so that it can fail', () => {
    checkout({ 'reviews.yaml': APP });
    const { log } = sarif('reviews.yaml');
    expect(validSarif({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal' }] }] })).toBe(false);
    expect(validSarif({ ...log, version: '2.0.0' })).toBe(false);
  });
});

describe('the line and column of a finding, in --format json', () => {
  /** The places of the findings of a file that holds `text`, by code, object and path. */
  function located(text: string, ...args: string[]): Record<string, unknown> {
    const file = join(tempDir(), 'set.yaml');
    writeFileSync(file, text);
    const { stdout } = run('verify', '--format', 'json', ...args, file);
    const findings: { code: string; object: string; path: string; locations: { file: string; line: number; column: number }[] }[] = JSON.parse(stdout).findings;
    expect(findings.every(f => f.locations.every(l => l.file === file))).toBe(true);
    return Object.fromEntries(findings.map(f => [`${f.code} ${f.object} ${f.path}`, f.locations.map(l => [l.line, l.column])]));
  }

  test('finds a key in a flow map, and a quoted key', () => {
    expect(located([
      'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: { name: web }', 'spec:',
      '  hosts: [web]', '  http:', '    - route:', '        - { destination: { host: web, "subset": v1 } }',
      '---',
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  "selector": { app: web }', '',
    ].join('\n'))).toEqual({
      'service-selects-nothing Service/default/web spec.selector': [[15, 3]],
      'subset-not-found VirtualService/default/web spec.http[0].route[0].destination.subset': [[8, 39]],
    });
  });

  test('finds a field of an item of a List, after empty documents', () => {
    expect(located([
      '---', '# nothing here', '---',
      'apiVersion: v1', 'kind: List', 'items:',
      '  - apiVersion: v1', '    kind: ConfigMap', '    metadata: { name: settings }',
      '  - apiVersion: v1', '    kind: Service', '    metadata:', '      name: web', '    spec:', '      selector:', '        app: web', '',
    ].join('\n'))).toEqual({ 'service-selects-nothing Service/default/web spec.selector': [[15, 7]] });
  });

  test('places a field that is not written at the nearest field above it, and an entry that is no object at its start', () => {
    expect(located([
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: web }', 'spec:',
      '  template:', '    metadata: { labels: { app: web } }',
      '---', '# a list, not an object', '- a', '- b', '',
    ].join('\n'))).toEqual({
      'object-unidentified Unknown/default/#1 ': [[9, 1]],
      'workload-selector-missing Deployment/default/web spec.selector': [[4, 1]],
    });
  });

  test('places a field written through an alias at the alias', () => {
    expect(located([
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  labels: &labels', '    app: web', 'spec:', '  selector: *labels', '',
    ].join('\n'))).toEqual({ 'service-selects-nothing Service/default/web spec.selector': [[8, 3]] });
  });

  test('counts lines alike after a byte order mark and with CRLF line ends', () => {
    const text = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector: { app: web }', ''].join('\r\n');
    expect(located(`\uFEFF${text}`)).toEqual({ 'service-selects-nothing Service/default/web spec.selector': [[6, 3]] });
  });

  test('finds each field of each document, also of an object that is there twice', () => {
    const service = (name: string) => ['---', 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, 'spec:', '  selector: { app: none }'];
    expect(located([...service('a'), ...service('b'), ...service('c'), ...service('a'), ''].join('\n'))).toEqual({
      'duplicate-object Service/default/a metadata.name': [[5, 3], [26, 3]],
      'service-selects-nothing Service/default/a spec.selector': [[7, 3], [28, 3]],
      'service-selects-nothing Service/default/b spec.selector': [[14, 3]],
      'service-selects-nothing Service/default/c spec.selector': [[21, 3]],
    });
  });
});

describe('locator', () => {
  const TEXT = [
    'kind: X', '---', 'metadata:', '  annotations:', '    a.b: one', '    a: { b: two }', '    "x y": three',
    '  list:', '    # a comment', '    - first', '    -', '    - [p, q, ]', '  alias: &a { k: v }', '  again: *a', '',
  ].join('\n');
  const { spans, text } = parseManifests('f', TEXT);
  const at = (path: string) => { const { line, column } = locator(text, spans)(1, path); return [line, column]; };

  test.each([
    ['', [3, 1]],
    ['metadata', [3, 1]],
    ['metadata.annotations.a.b', [5, 5]],
    ['metadata.annotations.a', [6, 5]],
    ['metadata.annotations["a.b"]', [5, 5]],
    ['metadata.annotations["x y"]', [7, 5]],
    ['metadata.annotations.a.c', [6, 5]],
    ['metadata.annotations.a.b.c', [5, 5]],
    ['metadata.list[0]', [10, 7]],
    ['metadata.list[1]', [11, 5]],
    ['metadata.list[2][1]', [12, 11]],
    ['metadata.list[2][2]', [12, 7]],
    ['metadata.list[3]', [8, 3]],
    ['metadata.list.x', [8, 3]],
    ['metadata.annotations[0]', [4, 3]],
    ['metadata.alias.k', [13, 15]],
    ['metadata.again.k', [14, 3]],
    ['metadata.lis', [3, 1]],
    ['spec.selector', [3, 1]],
  ])('places %j at line and column %j', (path, expected) => {
    expect(at(path)).toEqual(expected);
  });
});
