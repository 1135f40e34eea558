import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Yaml } from 'cdk8s';
import { run } from './support/cli';
import { exampleCharts } from './support/manifests';
import { tempDir } from './support/tmp';


const FIXTURES = join(__dirname, 'fixtures');
const SEED_000 = join(FIXTURES, 'seed-000-nginx-blue-green.yaml');
const SEED_000_FIXED = join(FIXTURES, 'seed-000-nginx-blue-green.fixed.yaml');
const SEED_003 = join(FIXTURES, 'seed-003-version-test-canary.yaml');
const SEED_003_FIXED = join(FIXTURES, 'seed-003-version-test-canary.fixed.yaml');
const SHOP = join(FIXTURES, 'cli', 'shop');
const WEB = join(SHOP, 'web.yaml');
const LISTED = join(SHOP, 'listed', 'config.yml');
const ROOT = join(__dirname, '..');


/** The lines of the text output under one object's header, header included. */
function block(stdout: string, object: string): string[] {
  const found = stdout.split('\n\n').find(b => b.startsWith(`${object} (`));
  if (!found) throw new Error(`no block for ${object} in:\n${stdout}`);
  return found.split('\n');
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

describe('verify, text output', () => {
  test('fails when the seed-000 manifests have mistakes, and groups them by object with their file', () => {
    const { code, stdout, stderr } = run('verify', SEED_000);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(block(stdout, 'VirtualService/default/myapp')).toEqual([
      `VirtualService/default/myapp (${SEED_000})`,
      expect.stringMatching(/^ {2}error {4}destination-host-not-found \[IST0101\] {2}spec\.http\[0\]\.route\[0\]\.destination\.host: host myapp /),
      expect.stringMatching(/^ {2}error {4}destination-host-not-found \[IST0101\] {2}spec\.http\[0\]\.route\[1\]\.destination\.host: host myapp /),
    ]);
    expect(block(stdout, 'Deployment/default/nginx-1.10')[1]).toMatch(/^ {2}error {4}workload-selector-missing {2}spec\.selector: /);
    expect(block(stdout, 'Service/default/nginx')[1]).toMatch(/^ {2}error {4}service-selects-nothing {2}spec\.selector: /);
    expect(block(stdout, 'DestinationRule/default/myapp')[1]).toMatch(/^ {2}warning {2}destination-rule-host-not-found \[IST0174\] {2}spec\.host: /);
    expect(lastLine(stdout)).toBe('4 errors, 1 warning in 6 objects from 1 file');
  });

  test('passes the fixed seed manifests, verified together', () => {
    const { code, stdout } = run('verify', SEED_000_FIXED, SEED_003_FIXED);
    expect(code).toBe(0);
    expect(stdout).toBe('no findings in 12 objects from 2 files\n');
  });

  test('fails when an object is in two files, and names both', () => {
    const { code, stdout } = run('verify', SEED_000_FIXED, SEED_000);
    expect(code).toBe(1);
    expect(block(stdout, 'Gateway/default/app-gateway')).toEqual([
      `Gateway/default/app-gateway (${SEED_000_FIXED}, ${SEED_000})`,
      expect.stringMatching(/^ {2}error {4}duplicate-object /),
    ]);
  });

  test('fails when a route names a gateway outside the files, unless --external-gateway names it', () => {
    const without = run('verify', WEB);
    expect(without.code).toBe(1);
    expect(block(without.stdout, 'VirtualService/shop/web')[1]).toMatch(/^ {2}error {4}gateway-not-found \[IST0101\] {2}spec\.gateways\[0\]: /);

    const withGateway = run('verify', '--external-gateway', 'istio-system/public-gateway', WEB);
    expect(withGateway).toEqual({ code: 0, stdout: 'no findings in 3 objects from 1 file\n', stderr: '' });
  });
});

describe('verify --strict', () => {
  test('passes warnings without --strict', () => {
    const { code, stdout } = run('verify', SEED_003);
    expect(code).toBe(0);
    expect(block(stdout, 'Service/default/canary')[1]).toMatch(/^ {2}warning {2}port-protocol-unknown /);
    expect(lastLine(stdout)).toBe('0 errors, 1 warning in 6 objects from 1 file');
  });

  test('fails when there are only warnings and --strict is given', () => {
    expect(run('verify', '--strict', SEED_003).code).toBe(1);
  });
});

describe('verify --format json', () => {
  test('fails when there are errors, with every finding, its files and the line of its field in the JSON', () => {
    const { code, stdout } = run('verify', '--format', 'json', SEED_000);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.summary).toEqual({ errors: 4, warnings: 1, objects: 6, files: 1 });
    expect(report.findings).toHaveLength(5);
    expect(report.findings).toContainEqual({
      code: 'workload-selector-missing',
      severity: 'error',
      object: 'Deployment/default/nginx-1.10',
      path: 'spec.selector',
      message: expect.stringContaining('spec.selector'),
      files: [SEED_000],
      // The Deployment has no selector: the place is `spec:`, the nearest field that is written.
      locations: [{ file: SEED_000, line: 16, column: 1 }],
    });
  });

  test('reports a clean set as no findings', () => {
    const { code, stdout } = run('verify', `--format=json`, SEED_000_FIXED);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ findings: [], summary: { errors: 0, warnings: 0, objects: 6, files: 1 } });
  });
});

describe('verify, directories', () => {
  test('reads *.yaml and *.yml under a directory, recursively and in sorted order', () => {
    const { code, stdout } = run('verify', '--format', 'json', SHOP);
    expect(code).toBe(1);
    const { findings, summary } = JSON.parse(stdout);
    // listed/config.yml comes before web.yaml, so its unnamed List item is entry #1 of the set.
    expect(findings.map((f: { code: string; object: string; files: string[] }) => [f.code, f.object, f.files])).toEqual([
      ['object-unidentified', 'ConfigMap/default/#1', [LISTED]],
      ['gateway-not-found', 'VirtualService/shop/web', [WEB]],
    ]);
    // README.md is skipped, and the trailing `---` of web.yaml is no object.
    expect(summary).toEqual({ errors: 1, warnings: 1, objects: 5, files: 2 });
  });

  test('reads a file named twice, directly and under a directory, once', () => {
    const { stdout } = run('verify', SHOP, WEB);
    expect(stdout).not.toContain('duplicate-object');
    expect(lastLine(stdout)).toBe('1 error, 1 warning in 5 objects from 2 files');
  });

  // The examples are alternative scenarios (seed 002 is played statically and by Flagger in one
  // namespace), so each file is a set of its own, as CI checks dist/.
  test('each example chart, synthesized in-process, verifies clean', () => {
    const dir = tempDir();
    for (const chart of exampleCharts()) {
      const file = join(dir, `${chart.node.id}.k8s.yaml`);
      writeFileSync(file, Yaml.stringify(...chart.toJson()));
      const { code, stdout } = run('verify', '--external-gateway', 'istio-system/public-gateway', file);
      const count = chart.toJson().length;
      expect([chart.node.id, stdout, code]).toEqual([chart.node.id, `no findings in ${count} object${count === 1 ? '' : 's'} from 1 file\n`, 0]);
    }
  });

  const dist = join(ROOT, 'dist');
  (existsSync(dist) ? test : test.skip)('each file of dist/ verifies clean (runs only when npm run synth has made dist/)', () => {
    const files = readdirSync(dist).filter(f => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(exampleCharts().map(chart => `${chart.node.id}.k8s.yaml`).sort());
    for (const file of files) {
      const { code, stdout } = run('verify', '--external-gateway', 'istio-system/public-gateway', join(dist, file));
      expect([file, code]).toEqual([file, 0]);
      expect(stdout).toMatch(/^no findings in (1 object|\d+ objects) from 1 file\n$/);
    }
  });
});

describe('verify, bad input', () => {
  test('fails when a path does not exist, naming every missing path', () => {
    const { code, stdout, stderr } = run('verify', SEED_000, 'missing.yaml', 'missing-dir');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('error: missing.yaml: no such file or directory\nerror: missing-dir: no such file or directory\n');
  });

  test('fails when a file is malformed YAML, with one line naming file, line and column and no stack trace', () => {
    const file = join(tempDir(), 'broken.yaml');
    // The duplicate `type` of seed 000, in the second document.
    writeFileSync(file, [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '---',
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: NodePort', '  type: LoadBalancer', '',
    ].join('\n'));
    const { code, stdout, stderr } = run('verify', SEED_000, file);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(`error: ${file}:12:3: invalid yaml: map keys must be unique\n`);
    expect(stderr).not.toContain('    at ');
  });

  test('fails when an alias names an anchor not set before it, naming its line and column', () => {
    const file = join(tempDir(), 'alias.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: &name web', 'spec:', '  selector: { app: *nmae }', ''].join('\n'));
    expect(run('verify', file)).toEqual({
      code: 2, stdout: '', stderr: `error: ${file}:6:20: unresolved alias (the anchor must be set before the alias): nmae\n`,
    });
  });

  test('fails when a directory holds no YAML', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    writeFileSync(join(dir, 'web.yaml.orig'), 'kind: Service');
    expect(run('verify', dir)).toEqual({ code: 2, stdout: '', stderr: `error: ${dir}: no .yaml or .yml files in this directory\n` });
  });

  test('skips empty documents and files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'comments.yaml'), '# nothing yet\n---\n');
    const { code, stdout } = run('verify', dir, SEED_000_FIXED);
    expect(code).toBe(0);
    expect(stdout).toBe('no findings in 6 objects from 2 files\n');
  });
});

describe('command line', () => {
  test('fails when an option is unknown, with the usage on stderr', () => {
    const { code, stdout, stderr } = run('verify', '--bogus', SEED_000);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^error: unknown option --bogus\n\nusage: cdk8s-istio-release verify /);
  });

  test.each([
    ['no path is given', ['verify'], 'no files or directories to verify'],
    ['the format is unknown', ['verify', '--format', 'yaml', SEED_000], 'unknown format yaml; use text, json or sarif'],
    ['an option lacks its value', ['verify', SEED_000, '--format'], 'option --format needs a value'],
    ['an option would take the next option as its value', ['verify', '--default-namespace', '--strict', SEED_000],
      'option --default-namespace needs a value'],
    ['a flag is given a value', ['verify', '--strict=yes', SEED_000], 'option --strict takes no value'],
    ['an external gateway has no namespace', ['verify', '--external-gateway', 'public-gateway', SEED_000],
      '--external-gateway takes <namespace>/<name>, not public-gateway'],
    ['an external gateway has a namespace that is no name', ['verify', '--external-gateway', 'Istio/gateway', SEED_000],
      '--external-gateway takes <namespace>/<name>, not Istio/gateway'],
    ['an external delegate has no namespace', ['verify', '--external-delegate', 'api-routes', SEED_000],
      '--external-delegate takes <namespace>/<name>, not api-routes'],
    ['an external delegate has a name that is no object name', ['verify', '--external-delegate', 'shop/Api', SEED_000],
      '--external-delegate takes <namespace>/<name>, not shop/Api'],
    ['an external host is no host', ['verify', '--external-host', 'api.example.com', '--external-host', 'http://api', SEED_000],
      '--external-host takes a host in lower case, exact or *.domain, not http://api'],
    ['the default namespace is no namespace name', ['verify', '--default-namespace', 'Shop', SEED_000],
      '--default-namespace takes a namespace (lower-case letters, digits and "-", at most 63), not Shop'],
  ])('fails when %s, with the usage on stderr', (_, argv, message) => {
    const { code, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`error: ${message}`);
    expect(stderr).toContain('usage: cdk8s-istio-release verify');
  });

  test('fails when no command or an unknown one is given, listing the commands', () => {
    for (const argv of [[], ['lint']]) {
      const { code, stderr } = run(...argv);
      expect(code).toBe(2);
      expect(stderr).toContain('usage: cdk8s-istio-release <command>');
      expect(stderr).toMatch(/^ {2}verify {4}check that /m);
    }
  });

  test('fails when the command is unknown, showing a line break in its name escaped', () => {
    expect(run('bad\nerror: forged')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: unknown command bad\\nerror: forged\n/) });
  });

  test.each(['-v', '--version'])('%s prints the package version on stdout', flagName => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run(flagName)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('-h and --help print the usage on stdout', () => {
    expect(run('--help')).toEqual({ code: 0, stdout: expect.stringContaining('commands:\n  verify'), stderr: '' });
    const verifyHelp = run('verify', '-h');
    expect(verifyHelp).toEqual({ code: 0, stdout: expect.stringContaining('--external-gateway <ns/name>'), stderr: '' });
  });

  test('passes --external-host, --external-gateway and --default-namespace on to the checks', () => {
    const external = run('verify', '--external-host', 'other.example.com', '--external-host', 'myapp.default.svc.cluster.local', SEED_000);
    expect(external.stdout).not.toContain('destination-host-not-found');
    expect(lastLine(external.stdout)).toBe('2 errors, 0 warnings in 6 objects from 1 file');

    expect(run('verify', '--external-gateway', 'other/gateway', '--external-gateway', 'istio-system/public-gateway', WEB).code).toBe(0);

    const root = join(tempDir(), 'root.yaml');
    writeFileSync(root, Yaml.stringify({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'root', namespace: 'shop' },
      spec: { hosts: ['shop.example.com'], gateways: ['istio-system/public-gateway'], http: [{ delegate: { name: 'api.v1', namespace: 'team' } }] },
    }));
    const gateway = ['--external-gateway', 'istio-system/public-gateway'];
    expect(run('verify', ...gateway, root)).toMatchObject({ code: 1, stdout: expect.stringContaining('delegate-not-found') });
    expect(run('verify', ...gateway, '--external-delegate', 'team/api.v1', root)).toMatchObject({ code: 0 });

    const { findings } = JSON.parse(run('verify', '--format', 'json', '--default-namespace', 'shop', SHOP).stdout);
    expect(findings[0]).toMatchObject({ object: 'ConfigMap/shop/#1', files: [LISTED] });
  });

  const bin = join(ROOT, 'lib', 'src', 'cli.js');
  (existsSync(bin) ? test : test.skip)('the built bin runs through node (runs only when lib/ is built)', () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const result = spawnSync(process.execPath, [bin, 'verify', SEED_000], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    expect(lastLine(result.stdout)).toBe('4 errors, 1 warning in 6 objects from 1 file');
  });
});

describe('verify --mesh-config', () => {
  const labels = { app: 'reviews' };
  /** A route in frontend to a Service in shop without exportTo, which a mesh private by default hides there. */
  function manifests(): string {
    const file = join(tempDir(), 'shop.yaml');
    writeFileSync(file, Yaml.stringify(
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews', namespace: 'shop' },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'reviews', image: 'reviews:1' }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: labels, ports: [{ name: 'http', port: 9080 }] } },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'frontend' },
        spec: { hosts: ['reviews.example.com'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local' } }] }] },
      },
    ));
    return file;
  }
  function meshConfig(text: string): string {
    const file = join(tempDir(), 'mesh.yaml');
    writeFileSync(file, text);
    return file;
  }

  test('fails when a route reaches a Service the mesh\'s default exportTo hides, and passes under Istio\'s default', () => {
    const file = manifests();
    expect(run('verify', file)).toMatchObject({ code: 0, stderr: '' });
    const mesh = meshConfig(['accessLogFile: /dev/stdout', 'defaultServiceExportTo:', '- "."', 'defaultVirtualServiceExportTo: ["*"]', ''].join('\n'));
    const { code, stdout, stderr } = run('verify', '--format', 'json', '--mesh-config', mesh, file);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(JSON.parse(stdout).findings.map((f: { code: string; message: string }) => [f.code, f.message.split(';')[0]])).toEqual([[
      'destination-host-not-exported', 'host reviews.shop.svc.cluster.local is not exported to namespace frontend, this VirtualService\'s own: '
      + 'Service/shop/reviews has no annotation networking.istio.io/exportTo, so the mesh\'s defaultServiceExportTo applies: ["."]']]);
    // The last --mesh-config counts, as the last of any option given once.
    expect(run('verify', '--mesh-config', mesh, '--mesh-config', meshConfig('defaultServiceExportTo: [frontend, .]\n'), file).code).toBe(0);
  });

  test.each([
    ['is a list', '- defaultServiceExportTo: ["."]\n'],
    ['holds two documents', 'defaultServiceExportTo: ["."]\n---\ndefaultServiceExportTo: ["*"]\n'],
    ['is empty', '# nothing\n'],
    ['is a string', 'defaultServiceExportTo\n'],
  ])('fails when the mesh config %s, which no MeshConfig is', (_, text) => {
    const mesh = meshConfig(text);
    expect(run('verify', '--mesh-config', mesh, manifests())).toEqual({ code: 2, stdout: '', stderr: `error: ${mesh}: not a MeshConfig, which is one YAML mapping; `
      + 'write the mesh key of the istio ConfigMap, e.g. kubectl -n istio-system get configmap istio -o jsonpath=\'{.data.mesh}\'\n' });
  });

  test.each([
    ['the istio ConfigMap', ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: istio, namespace: istio-system }', 'data:', '  mesh: |-', '    defaultServiceExportTo: ["."]', '']],
    ['an object with an apiVersion alone', ['apiVersion: v1', 'defaultServiceExportTo: ["."]', '']],
  ])('fails when the mesh config is %s, whose MeshConfig would be read as setting nothing', (_, lines) => {
    const mesh = meshConfig(lines.join('\n'));
    expect(run('verify', '--mesh-config', mesh, manifests())).toEqual({ code: 2, stdout: '', stderr: `error: ${mesh}: a Kubernetes object (it has apiVersion or kind), `
      + 'not a MeshConfig; write the mesh key of the istio ConfigMap, e.g. kubectl -n istio-system get configmap istio -o jsonpath=\'{.data.mesh}\'\n' });
  });

  test.each([
    ['defaultServiceExportTo', 'is a string', '"."', '"."'],
    ['defaultVirtualServiceExportTo', 'names no namespace', '[".", Shop]', '[".","Shop"]'],
    ['defaultServiceExportTo', 'holds a number', '[7]', '[7]'],
    ['defaultDestinationRuleExportTo', 'is a mapping', '{ shop: true }', '{"shop":true}'],
  ])('fails when the %s %s', (field, _, value, shown) => {
    const mesh = meshConfig(`${field}: ${value}\n`);
    expect(run('verify', '--mesh-config', mesh, manifests())).toEqual({ code: 2, stdout: '', stderr: `error: ${mesh}: ${field} must be a list, each entry a namespace, `
      + `"." (the object's own), "*" (every one) or "~" (none), not ${shown}; e.g. ["."]\n` });
  });

  test('reads the mesh\'s rootNamespace, whose DestinationRules every proxy consults', () => {
    const file = join(tempDir(), 'ops.yaml');
    writeFileSync(file, Yaml.stringify(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }] } },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'ops' },
        spec: { host: 'reviews.shop.svc.cluster.local', subsets: [{ name: 'v1', labels }] },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'frontend' },
        spec: { hosts: ['reviews.example.com'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v1' } }] }] },
      },
    ));
    const { code, stdout } = run('verify', '--format', 'json', file);
    expect({ code, found: JSON.parse(stdout).findings.map((f: { code: string }) => f.code) }).toEqual({ code: 1, found: ['destination-rule-not-consulted'] });
    expect(run('verify', '--mesh-config', meshConfig('rootNamespace: ops\n'), file)).toMatchObject({ code: 0, stderr: '' });
  });

  test.each([
    ['names no namespace', 'Istio-System', '"Istio-System"'],
    ['is a list', '[ops]', '["ops"]'],
  ])('fails when the rootNamespace %s', (_, value, shown) => {
    const mesh = meshConfig(`rootNamespace: ${value}\n`);
    expect(run('verify', '--mesh-config', mesh, manifests())).toEqual({ code: 2, stdout: '', stderr: `error: ${mesh}: rootNamespace must be a namespace `
      + `(a DNS-1123 label), not ${shown}; e.g. istio-system\n` });
  });

  test('reads the proxyMetadata of the mesh\'s defaultConfig, whose DNS capture gives ServiceEntries addresses, and no other field of it', () => {
    const file = join(tempDir(), 'db.yaml');
    writeFileSync(file, Yaml.stringify({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'db', namespace: 'payments' },
      spec: { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp-db', protocol: 'TCP' }], resolution: 'DNS' },
    }));
    const { code, stdout } = run('verify', '--format', 'json', file);
    expect({ code, found: JSON.parse(stdout).findings.map((f: { code: string }) => f.code) }).toEqual({ code: 0, found: ['service-entry-addresses-required'] });
    const mesh = meshConfig('defaultConfig:\n  holdApplicationUntilProxyStarts: true\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"\n');
    expect(run('verify', '--mesh-config', mesh, file)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no findings/) });
    expect(run('verify', '--format', 'json', '--mesh-config', meshConfig('defaultConfig:\n  concurrency: 2\n'), file).stdout).toMatch(/service-entry-addresses-required/);
  });

  test.each([
    ['the defaultConfig is a list', 'defaultConfig: [proxyMetadata]\n', 'defaultConfig must be a mapping, not ["proxyMetadata"]; e.g. { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } }'],
    ['the proxyMetadata is a string', 'defaultConfig: { proxyMetadata: dns }\n', 'defaultConfig.proxyMetadata must be a mapping, not "dns"; e.g. { ISTIO_META_DNS_CAPTURE: "true" }'],
    ['a proxyMetadata value is unquoted true', 'defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: true } }\n',
      'defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE must be a string, not true; quote it, e.g. "true"'],
    ['a proxyMetadata value under a name that is no identifier is a number', 'defaultConfig: { proxyMetadata: { dns-capture: 1 } }\n',
      'defaultConfig.proxyMetadata["dns-capture"] must be a string, not 1; quote it, e.g. "true"'],
  ])('fails when %s', (_, text, message) => {
    const mesh = meshConfig(text);
    expect(run('verify', '--mesh-config', mesh, manifests())).toEqual({ code: 2, stdout: '', stderr: `error: ${mesh}: ${message}\n` });
  });

  test('fails when the mesh config is missing, too large or malformed, naming the file', () => {
    expect(run('verify', '--mesh-config', 'missing-mesh.yaml', manifests())).toEqual({ code: 2, stdout: '', stderr: 'error: missing-mesh.yaml: no such file or directory\n' });
    const large = meshConfig(`#${'x'.repeat(2 ** 20)}\n`);
    expect(run('verify', '--mesh-config', large, manifests())).toEqual({ code: 2, stdout: '',
      stderr: `error: ${large}: larger than 1Mi, which no MeshConfig is; give the mesh key of the istio ConfigMap, not a whole dump\n` });
    const broken = meshConfig('defaultServiceExportTo: ["."\n');
    expect(run('verify', '--mesh-config', broken, manifests())).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^error: ${broken}:2:1: `)) });
  });
});

describe('verify, files that are no manifests', () => {
  test('fails at once when a file is a FIFO, which it does not open for reading', () => {
    const fifo = join(tempDir(), 'pipe.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(run('verify', fifo)).toEqual({ code: 2, stdout: '', stderr: `error: ${fifo}: not a regular file (a pipe, a device or a socket), which is never read\n` });
  });

  test('fails when a file is a device, such as /dev/zero, which never ends', () => {
    expect(run('verify', '/dev/zero', SEED_000)).toEqual({
      code: 2, stdout: '', stderr: 'error: /dev/zero: not a regular file (a pipe, a device or a socket), which is never read\n',
    });
  });

  test('fails when a symbolic link points at itself, in the system\'s own words', () => {
    const link = join(tempDir(), 'loop.yaml');
    symlinkSync(link, link);
    expect(run('verify', link)).toEqual({ code: 2, stdout: '', stderr: `error: ${link}: too many symbolic links encountered\n` });
  });

  test('reads a file through a symbolic link', () => {
    const link = join(tempDir(), 'link.yaml');
    symlinkSync(SEED_000_FIXED, link);
    expect(run('verify', link)).toEqual({ code: 0, stdout: 'no findings in 6 objects from 1 file\n', stderr: '' });
  });

  test('fails when an alias is inside its own anchor, which would make a cycle', () => {
    const file = join(tempDir(), 'cycle.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: ConfigMap', 'metadata: &meta', '  name: settings', '  again: *meta', ''].join('\n'));
    expect(run('verify', file)).toEqual({
      code: 2, stdout: '',
      stderr: `error: ${file}:5:10: the alias *meta is inside its own anchor, which makes a cycle that no manifest holds; copy the value instead\n`,
    });
  });

  test('names the alias that has no anchor, after aliases that have one', () => {
    const file = join(tempDir(), 'alias.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: ConfigMap', 'metadata: &meta', '  name: settings', 'data:', '  a: *meta', '  b: *other', ''].join('\n'));
    expect(run('verify', file)).toEqual({
      code: 2, stdout: '', stderr: `error: ${file}:7:6: unresolved alias (the anchor must be set before the alias): other\n`,
    });
  });

  test('fails when aliases would expand past what the YAML parser allows, as a file built to exhaust memory does', () => {
    const file = join(tempDir(), 'laughs.yaml');
    const levels = Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`);
    writeFileSync(file, ['l0: &l0 lol', ...levels, ''].join('\n'));
    expect(run('verify', file)).toEqual({
      code: 2, stdout: '', stderr: `error: ${file}: excessive alias count indicates a resource exhaustion attack\n`,
    });
  });

  test('gives empty documents no entry number', () => {
    const file = join(tempDir(), 'empty-first.yaml');
    writeFileSync(file, '---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    expect(run('verify', '--format', 'json', file).stdout).toContain('"object": "ConfigMap/default/#0"');
  });

  (existsSync('/proc/self/fd') ? test : test.skip)('closes every file it opens, read or refused', () => {
    const before = readdirSync('/proc/self/fd').length;
    run('verify', '--max-bytes', '10', SEED_000, SEED_000_FIXED, '/dev/zero');
    run('verify', SEED_000, SEED_000_FIXED);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  test('reads an alias to an anchor set before it, also beside the anchor', () => {
    const file = join(tempDir(), 'alias.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  labels: &labels { app: web }', '  name: settings',
      '  annotations: *labels', 'data: &data { a: b }', 'binaryData: *data', ''].join('\n'));
    expect(run('verify', file)).toEqual({ code: 0, stdout: 'no findings in 1 object from 1 file\n', stderr: '' });
  });
});

describe('verify, how YAML is read', () => {
  /** The text output and status of verifying one file that holds `lines`. */
  function verifyLines(...lines: string[]): { file: string; code: number; stdout: string; stderr: string } {
    const file = join(tempDir(), 'set.yaml');
    writeFileSync(file, lines.join('\n'));
    return { file, ...run('verify', file) };
  }

  const DEPLOYMENT = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: web }', 'spec:', '  selector: { matchLabels: { app: web } }',
    '  template:', '    metadata: { labels: { app: web, release: 2024-01-01 } }', '---'];

  test('merges a map into another with a `<<` key, as kubectl does', () => {
    const { code, stdout } = verifyLines(...DEPLOYMENT, 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  labels: &labels { app: web }',
      'spec:', '  selector: { <<: *labels, version: v9 }', '');
    expect(code).toBe(1);
    expect(stdout).toContain('spec.selector: selector app=web, version=v9 matches the pod template of no workload');
  });

  test('reads a date as the string it is written as, so that a label holding one still matches', () => {
    expect(verifyLines(...DEPLOYMENT, 'apiVersion: v1', 'kind: Service', 'metadata: { name: web }', 'spec:', '  selector: { release: 2024-01-01 }', ''))
      .toMatchObject({ code: 0, stdout: 'no findings in 2 objects from 1 file\n' });
  });

  test('reads a value with a tag it does not know as written', () => {
    expect(verifyLines('apiVersion: v1', 'kind: Secret', 'metadata: { name: tls }', 'data:', '  tls.crt: !!binary aGVsbG8=', '  other: !custom [a, b]', ''))
      .toMatchObject({ code: 0, stdout: 'no findings in 1 object from 1 file\n' });
  });

  test('fails when a value nests deeper than any manifest does, in js-yaml\'s words where the yaml package has none', () => {
    const { file, code, stderr } = verifyLines('apiVersion: v1', 'kind: ConfigMap', `data: ${'['.repeat(120)}${']'.repeat(120)}`, '');
    expect({ code, stderr }).toEqual({ code: 2, stderr: `error: ${file}:3:106: invalid yaml: nesting exceeded maxDepth (100)\n` });
  });

  test('fails when a file holds a null byte, naming its line and column', () => {
    const { file, code, stderr } = verifyLines('apiVersion: v1', 'kind: ConfigMap\u0000', '');
    expect({ code, stderr }).toEqual({ code: 2, stderr: `error: ${file}:2:16: invalid yaml: null byte is not allowed in input\n` });
  });

  test('fails when a later document is malformed, naming its line', () => {
    const { file, code, stderr } = verifyLines(...DEPLOYMENT, 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', ' namespace: shop', '');
    expect({ code, stderr }).toEqual({ code: 2, stderr: `error: ${file}:13:1: invalid yaml: all mapping items must start at the same column\n` });
  });

  test('fails when a directive repeats, before any document, naming where it is found', () => {
    const { file, code, stderr } = verifyLines('%YAML 1.2', '%YAML 1.2', '---', 'kind: ConfigMap', '');
    expect({ code, stderr }).toEqual({ code: 2, stderr: `error: ${file}:3:1: invalid yaml: duplication of %YAML directive\n` });
  });
});

describe('verify --max-bytes', () => {
  /** Three files of 100, 200 and 50 bytes: YAML comments, which hold no objects. */
  function sized(): string[] {
    const dir = tempDir();
    return [100, 200, 50].map((size, i) => {
      const file = join(dir, `${i}.yaml`);
      writeFileSync(file, `#${'x'.repeat(size - 2)}\n`);
      return file;
    });
  }

  test('reads files that come to the limit exactly', () => {
    expect(run('verify', '--max-bytes', '350', ...sized())).toEqual({ code: 0, stdout: 'no findings in 0 objects from 3 files\n', stderr: '' });
  });

  test('fails on each file that goes past what is left of the limit, and counts only what it read', () => {
    const files = sized();
    // 100 of 160 read, 200 more do not fit, 50 more do.
    expect(run('verify', '--max-bytes', '160', ...files)).toEqual({
      code: 2, stdout: '',
      stderr: `error: ${files[1]}: reading it would go past --max-bytes 160, the most read from all files together; give a larger --max-bytes, e.g. 320\n`,
    });
    expect(run('verify', '--max-bytes', '349', ...files).stderr).toBe(
      `error: ${files[2]}: reading it would go past --max-bytes 349, the most read from all files together; give a larger --max-bytes, e.g. 698\n`);
  });

  test.each([
    ['1Ki', 1024, 'give a larger --max-bytes, e.g. 2Ki'],
    ['1536', 1536, 'give a larger --max-bytes, e.g. 3Ki'],
    ['1Mi', 2 ** 20, 'give a larger --max-bytes, e.g. 2Mi'],
    ['1Gi', 2 ** 30, 'give a larger --max-bytes, e.g. 2Gi'],
  ])('takes --max-bytes %s as %d bytes', (given, bytes, fix) => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, '');
    truncateSync(file, bytes + 1);
    const { code, stderr } = run('verify', '--max-bytes', given, file);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: ${file}: reading it would go past --max-bytes ${given}, the most read from all files together; ${fix}\n`);
  });

  // procfs files say they hold 0 bytes: the limit is on what is read.
  (existsSync('/proc/self/status') ? test : test.skip)('fails when a file holds more than its size says and more than the limit', () => {
    expect(run('verify', '--max-bytes', '100', '/proc/self/status')).toEqual({
      code: 2, stdout: '',
      stderr: 'error: /proc/self/status: reading it would go past --max-bytes 100, the most read from all files together; give a larger --max-bytes, e.g. 200\n',
    });
  });

  test('fails when a file is larger than 64Mi, the default limit', () => {
    const file = join(tempDir(), 'huge.yaml');
    writeFileSync(file, '');
    truncateSync(file, 64 * 2 ** 20 + 1);
    expect(run('verify', file)).toEqual({
      code: 2, stdout: '',
      stderr: `error: ${file}: reading it would go past --max-bytes 64Mi, the most read from all files together; give a larger --max-bytes, e.g. 128Mi\n`,
    });
  });

  test.each(['0', '1x', '1.5Mi', '-1', '1 Mi', 'Mi', '1mi', '9007199254740992', '8388608Gi'])('fails when --max-bytes is %s', given => {
    const { code, stderr } = run('verify', `--max-bytes=${given}`, SEED_000);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`error: --max-bytes takes a size such as 64Mi (a whole number of bytes, or of Ki, Mi or Gi), not ${given}`);
    expect(stderr).toContain('usage: cdk8s-istio-release verify');
  });

  test('takes the largest size that is a whole number', () => {
    expect(run('verify', '--max-bytes', '9007199254740991', SEED_000_FIXED).code).toBe(0);
    expect(run('verify', '--max-bytes', '8388607Gi', SEED_000_FIXED).code).toBe(0);
  });
});

describe('verify, text that could forge output', () => {
  const FORGED = 'x\nerror: forged.yaml';

  test('shows a line break in a file name as \\n, in errors and findings alike', () => {
    const dir = tempDir();
    const file = join(dir, FORGED);
    expect(run('verify', file)).toEqual({ code: 2, stdout: '', stderr: `error: ${dir}/x\\nerror: forged.yaml: no such file or directory\n` });
    writeFileSync(file, readFileSync(SEED_000));
    const { stdout } = run('verify', file);
    expect(stdout.split('\n')[0]).toBe(`Deployment/default/nginx-1.10 (${dir}/x\\nerror: forged.yaml)`);
  });

  test('shows line breaks and terminal escapes in names and messages as escapes', () => {
    const file = join(tempDir(), 'names.yaml');
    writeFileSync(file, Yaml.stringify({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web\n  error  x', namespace: 'shop' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'gone\u001b[2J' } }] }] },
    }));
    const { code, stdout } = run('verify', file);
    expect(code).toBe(1);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      `VirtualService/shop/web\\n  error  x (${file})`,
      expect.stringMatching(/^ {2}error {4}destination-host-not-found \[IST0101\] {2}spec\.http\[0\]\.route\[0\]\.destination\.host: host gone\\u001b\[2J resolves /),
    ]);
  });

  test('shows a line break in an argument as \\n in its usage error', () => {
    expect(run('verify', '--format', 'yaml\nerror: x', SEED_000).stderr.split('\n')[0]).toBe('error: unknown format yaml\\nerror: x; use text, json or sarif');
  });
});

describe('verify as a process', () => {
  /** `verify <args>` by the bin's runner in a node of its own, on the TypeScript sources, in a shell pipeline. */
  function pipeline(args: string, tail: string): { status: string; stderr: string } {
    const node = `${JSON.stringify(process.execPath)} -r ./test/support/register-ts.js -e `
      + `"require('./src/cli/bin').runBin(require('./src/cli').main, process.argv.slice(1))"`;
    const result = spawnSync('bash', ['-c', `${node} verify ${args} ${tail}; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: ROOT, encoding: 'utf8' });
    const lines = result.stderr.trimEnd().split('\n');
    return { status: lines.pop() ?? '', stderr: lines.map(line => `${line}\n`).join('') };
  }

  /**
   * Findings enough to fill a pipe, so that the writer is still writing when the reader goes: about
   * 370 bytes each, so 400 are twice Linux's 64Ki pipe buffer (fewer than 180 fit in it whole).
   */
  function manyFindings(): string {
    const file = join(tempDir(), 'many.yaml');
    writeFileSync(file, Yaml.stringify(...Array.from({ length: 400 }, (_, i) => ({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs-${i}` },
      spec: { hosts: [`h${i}`], http: [{ route: [{ destination: { host: `nowhere-${i}` } }] }] },
    }))));
    return file;
  }

  test('ends quietly with its own status when the reader stops early (| head)', () => {
    expect(pipeline(manyFindings(), '| head -c 10 >/dev/null')).toEqual({ status: 'status 1', stderr: '' });
    expect(pipeline(SEED_000_FIXED, '| true')).toEqual({ status: 'status 0', stderr: '' });
  });

  test('ends with its own status when the reader of its errors stops early', () => {
    // Short names, as one shell argument holds at most 128Ki; their errors still fill the pipe.
    const missing = Array.from({ length: 3000 }, (_, i) => `m${i}`).join(' ');
    expect(pipeline(missing, '2>&1 >/dev/null | head -c 10 >/dev/null')).toEqual({ status: 'status 2', stderr: '' });
  });

  test('fails with status 2 when the output cannot be written, saying why', () => {
    expect(pipeline(SEED_000, '> /dev/full')).toEqual({ status: 'status 2', stderr: 'error: cannot write to stdout: no space left on device\n' });
  });

  test('passes a clean run through in full', () => {
    expect(pipeline(SEED_000_FIXED, '| cat >&2')).toEqual({ status: 'status 0', stderr: 'no findings in 6 objects from 1 file\n' });
  });
});

describe('src/cli.ts run by node as a program, as the bin is', () => {
  test('ends quietly with status 0 when its reader stops early, as `| head` does', () => {
    const file = join(tempDir(), 'many.yaml');
    const service = (i: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: shop}\nspec: {selector: {app: s${i}}, ports: [{name: http, port: 80}]}\n`;
    // About 290 bytes of drawing each: 500 are twice Linux's 64Ki pipe buffer (fewer than 230 fit in it whole).
    writeFileSync(file, Array.from({ length: 500 }, (_, i) => service(i)).join('---\n'));
    const script = `node -r ./test/support/register-ts.js src/cli.ts diagram --print ${file} | head -c 10 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`;
    expect(spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' }).stderr).toBe('status 0\n');
  });
});
