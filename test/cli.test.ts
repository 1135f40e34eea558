import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
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
      expect.stringMatching(/^ {2}error {4}destination-host-not-found {2}spec\.http\[0\]\.route\[0\]\.destination\.host: host myapp /),
      expect.stringMatching(/^ {2}error {4}destination-host-not-found {2}spec\.http\[0\]\.route\[1\]\.destination\.host: host myapp /),
    ]);
    expect(block(stdout, 'Deployment/default/nginx-1.10')[1]).toMatch(/^ {2}error {4}workload-selector-missing {2}spec\.selector: /);
    expect(block(stdout, 'Service/default/nginx')[1]).toMatch(/^ {2}error {4}service-selects-nothing {2}spec\.selector: /);
    expect(block(stdout, 'DestinationRule/default/myapp')[1]).toMatch(/^ {2}warning {2}destination-rule-host-not-found {2}spec\.host: /);
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
    expect(block(without.stdout, 'VirtualService/shop/web')[1]).toMatch(/^ {2}error {4}gateway-not-found {2}spec\.gateways\[0\]: /);

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
  test('fails when there are errors, with every finding and its files in the JSON', () => {
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
      expect([chart.node.id, stdout, code]).toEqual([chart.node.id, `no findings in ${chart.toJson().length} objects from 1 file\n`, 0]);
    }
  });

  const dist = join(ROOT, 'dist');
  (existsSync(dist) ? test : test.skip)('each file of dist/ verifies clean (runs only when npm run synth has made dist/)', () => {
    const files = readdirSync(dist).filter(f => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(exampleCharts().map(chart => `${chart.node.id}.k8s.yaml`).sort());
    for (const file of files) {
      const { code, stdout } = run('verify', '--external-gateway', 'istio-system/public-gateway', join(dist, file));
      expect([file, code]).toEqual([file, 0]);
      expect(stdout).toMatch(/^no findings in \d+ objects from 1 file\n$/);
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
    ['the format is unknown', ['verify', '--format', 'yaml', SEED_000], 'unknown format yaml; use text or json'],
    ['an option lacks its value', ['verify', SEED_000, '--format'], 'option --format needs a value'],
    ['an option would take the next option as its value', ['verify', '--default-namespace', '--strict', SEED_000],
      'option --default-namespace needs a value'],
    ['a flag is given a value', ['verify', '--strict=yes', SEED_000], 'option --strict takes no value'],
    ['an external gateway has no namespace', ['verify', '--external-gateway', 'public-gateway', SEED_000],
      '--external-gateway takes <namespace>/<name>, not public-gateway'],
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
