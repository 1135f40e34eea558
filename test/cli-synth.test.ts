import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import { run } from './support/cli';
import { tempDir } from './support/tmp';

/** A node app, as a shell command, that runs `body` with `out` bound to the folder cdk8s gives it. */
function app(body: string): string {
  const script = `const fs = require('fs'); const out = process.env.CDK8S_OUTDIR; ${body}`;
  return `node -e ${JSON.stringify(script)}`;
}

const WRITES = app("fs.writeFileSync(out + '/web.k8s.yaml', 'kind: Service\\n');");
const REFUSED = app("throw new Error('shop/Web: canaryWeight must be a whole percentage from 0 to 100, got 150; use an integer such as 10');");
const VALIDATION = app(
  "fs.writeFileSync(out + '/half.k8s.yaml', 'x'); throw new Error('Validation failed with the following errors:\\n  [shop] error subset-not-found: VirtualService/shop/web');",
);

/** An output folder with the last good synth in it. */
function lastGood(): string {
  const output = join(tempDir(), 'dist');
  mkdirSync(output);
  writeFileSync(join(output, 'good.k8s.yaml'), 'kind: Deployment\n');
  return output;
}

describe('synth command', () => {
  test('puts what the app wrote in place of the output folder, and nothing of what was there', () => {
    const output = lastGood();
    const result = run('synth', '--app', WRITES, '--output', output);
    expect(result).toEqual({ code: 0, stdout: `wrote ${output}\n`, stderr: '' });
    expect(readdirSync(output)).toEqual(['web.k8s.yaml']);
    expect(readFileSync(join(output, 'web.k8s.yaml'), 'utf8')).toBe('kind: Service\n');
  });

  test('replaces an output with the drawings diagram wrote beside the manifests', () => {
    const output = lastGood();
    writeFileSync(join(output, 'good.k8s.md'), '# drawing');
    expect(run('synth', '--app', WRITES, '--output', output).code).toBe(0);
    expect(readdirSync(output)).toEqual(['web.k8s.yaml']);
  });

  test('makes the output folder when there is none yet', () => {
    const output = join(tempDir(), 'new', 'dist');
    expect(run('synth', '-a', WRITES, '-o', output).code).toBe(0);
    expect(readdirSync(output)).toEqual(['web.k8s.yaml']);
  });

  test('fails when the app throws: one clear line, no stack, and the last good output as it was', () => {
    const output = lastGood();
    expect(run('synth', '--app', REFUSED, '--output', output)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: shop/Web: canaryWeight must be a whole percentage from 0 to 100, got 150; use an integer such as 10\n'
        + `error: the app failed: ${output} is left as it was\n`,
    });
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('fails when the route check refuses the app after it wrote a file, keeping every line of the findings', () => {
    const output = lastGood();
    const result = run('synth', '--app', VALIDATION, '--output', output);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: Validation failed with the following errors:\n'
      + 'error:   [shop] error subset-not-found: VirtualService/shop/web\n'
      + `error: the app failed: ${output} is left as it was\n`);
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('fails when the app fails without an error of node\'s, showing what it printed', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("console.error('no cluster config'); process.exit(3);"), '--output', output);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `no cluster config\nerror: the app failed: ${output} is left as it was\n` });
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('fails when the app writes nothing, as one that never calls app.synth()', () => {
    const output = lastGood();
    expect(run('synth', '--app', app("console.log('built');"), '--output', output)).toEqual({
      code: 1, stdout: 'built\n',
      stderr: 'error: the app wrote nothing to the folder cdk8s gives it in CDK8S_OUTDIR (does it call app.synth(), without an outdir of its own?): '
        + `${output} was not replaced\n`,
    });
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('fails when the app throws after logging: the logs stay, the code frame and stack go', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("console.error('vault: token expired'); throw new Error('no secrets');"), '--output', output);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `vault: token expired\nerror: no secrets\nerror: the app failed: ${output} is left as it was\n` });
  });

  test('fails when the app is killed', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("fs.writeFileSync(out + '/a.yaml', 'x'); process.kill(process.pid, 'SIGKILL');"), '--output', output);
    expect(result.code).toBe(1);
    expect(result.stderr.endsWith(`error: the app failed: ${output} is left as it was\n`)).toBe(true);
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('fails when the output can not be written, with the file system\'s reason and no crash', () => {
    const parent = join(tempDir(), 'file');
    writeFileSync(parent, 'not a folder');
    const result = run('synth', '--app', WRITES, '--output', join(parent, 'dist'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: cannot write ${join(parent, 'dist')}: EEXIST: file already exists, mkdir '${parent}'\n`);
  });

  test('stages beside the output and leaves nothing there, whether the app succeeds or fails', () => {
    const output = lastGood();
    run('synth', '--app', WRITES, '--output', output);
    run('synth', '--app', REFUSED, '--output', output);
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
  });

  test('fails when the app logs a line that starts like an error before its own: the log stays a log', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("console.error('Error: retry 1 of 3'); throw new Error('no secrets');"), '--output', output);
    expect(result.stderr).toBe(`Error: retry 1 of 3\nerror: no secrets\nerror: the app failed: ${output} is left as it was\n`);
  });

  test('fails when the app prints an error of its own without a stack, and without a newline at the end', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("process.stderr.write('TypeError: cannot read config'); process.exit(1);"), '--output', output);
    expect(result.stderr).toBe(`error: cannot read config\nerror: the app failed: ${output} is left as it was\n`);
    const plain = run('synth', '--app', app("process.stderr.write('no config'); process.exit(1);"), '--output', output);
    expect(plain.stderr).toBe(`no config\nerror: the app failed: ${output} is left as it was\n`);
  });

  test('clears what a killed run left beside the output, and keeps the old output whole until the new one takes its name', () => {
    const output = lastGood();
    mkdirSync(join(output, '..', '.dist.synth-stale'));
    expect(run('synth', '--app', WRITES, '--output', output).code).toBe(0);
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
  });

  test('passes on what the app prints while it succeeds', () => {
    const output = lastGood();
    const result = run('synth', '--app', app("console.log('synthesizing'); console.error('a warning'); fs.writeFileSync(out + '/a.yaml', 'x');"), '--output', output);
    expect(result).toEqual({ code: 0, stdout: `synthesizing\nwrote ${output}\n`, stderr: 'a warning\n' });
  });

  describe('cdk8s.yaml', () => {
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));

    test('gives the app and the output folder when the command line does not', () => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), `language: typescript\napp: ${JSON.stringify(WRITES)}\noutput: manifests\n`);
      process.chdir(project);
      expect(run('synth')).toEqual({ code: 0, stdout: 'wrote manifests\n', stderr: '' });
      expect(readdirSync(join(project, 'manifests'))).toEqual(['web.k8s.yaml']);
    });

    test('gives dist when it names no output', () => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), `app: ${JSON.stringify(WRITES)}\n`);
      process.chdir(project);
      expect(run('synth').code).toBe(0);
      expect(existsSync(join(project, 'dist', 'web.k8s.yaml'))).toBe(true);
    });

    test('takes a sibling of the project whose name starts like it as a folder of its own', () => {
      const project = join(tempDir(), 'infra');
      mkdirSync(project);
      process.chdir(project);
      expect(run('synth', '--app', WRITES, '--output', '../infra-dist')).toEqual({ code: 0, stdout: 'wrote ../infra-dist\n', stderr: '' });
      expect(readdirSync(join(project, '..', 'infra-dist'))).toEqual(['web.k8s.yaml']);
    });

    test('fails when there is no app to run', () => {
      process.chdir(tempDir());
      expect(run('synth')).toEqual({
        code: 2, stdout: '',
        stderr: expect.stringMatching(/^error: no app to run: give --app, or an app command in cdk8s.yaml \(e\.g\. "app: npx ts-node --transpile-only main\.ts"\)\n\nusage: cdk8s-istio-release synth/),
      });
    });

    test.each([
      ['names an empty app', `app: "  "\n`, 'error: no app to run: give --app, or an app command in cdk8s.yaml (e.g. "app: npx ts-node --transpile-only main.ts")'],
      ['is a list', '- app\n', 'error: no app to run: give --app, or an app command in cdk8s.yaml (e.g. "app: npx ts-node --transpile-only main.ts")'],
      ['names an output that is not a folder name', `app: ${JSON.stringify(WRITES)}\noutput: 5\n`, 'error: the output must name a folder, got 5'],
    ])('fails when cdk8s.yaml %s', (_, yaml, message) => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), yaml);
      process.chdir(project);
      const result = run('synth');
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(message);
    });

    test('fails when cdk8s.yaml is a FIFO, at once and without opening it for reading', () => {
      const project = tempDir();
      expect(spawnSync('mkfifo', [join(project, 'cdk8s.yaml')]).status).toBe(0);
      process.chdir(project);
      expect(run('synth')).toEqual({ code: 2, stdout: '', stderr: 'error: cdk8s.yaml: not a regular file (a pipe, a device or a socket), which is never read\n' });
    });

    test('fails when cdk8s.yaml is larger than any needs to be', () => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), '');
      truncateSync(join(project, 'cdk8s.yaml'), 64 * 2 ** 20 + 1);
      process.chdir(project);
      expect(run('synth')).toEqual({ code: 2, stdout: '', stderr: 'error: cdk8s.yaml: more than 64Mi, which no cdk8s.yaml needs\n' });
    });

    test('fails when cdk8s.yaml is not YAML', () => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), 'app: [node\n');
      process.chdir(project);
      // One line: the yaml package's code excerpt would follow on lines of its own.
      expect(run('synth')).toEqual({
        code: 2, stdout: '', stderr: 'error: cdk8s.yaml: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:\n',
      });
    });
  });

  test.each([
    ['the output is the project itself', ['--app', WRITES, '--output', '.'], 'error: the output must be a folder of its own, not the project or one that holds it, got "."'],
    ['the output holds the project', ['--app', WRITES, '--output', '..'], 'error: the output must be a folder of its own, not the project or one that holds it, got ".."'],
    ['the output is the root', ['--app', WRITES, '--output', '/'], 'error: the output must be a folder of its own, not the project or one that holds it, got "/"'],
    ['the output is empty', ['--app', WRITES, '--output', ' '], 'error: the output must name a folder, got " "'],
    ['the output is a file', ['--app', WRITES, '--output', 'package.json'], 'error: the output must be a folder of its own, not a file, got "package.json"'],
    ['the output holds what no synth writes', ['--app', WRITES, '--output', 'src'], 'error: the output must be a folder of its own, and it holds blue-green-app.ts, which no synth writes, got "src"'],
    ['files are named', ['--app', WRITES, 'dist'], 'error: synth takes no files, got dist'],
    ['an option is unknown', ['--out', 'dist'], 'error: unknown option --out'],
  ])('fails when %s', (_, args, message) => {
    const result = run('synth', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  test('fails when the output is a symbolic link, and leaves the link and what it points to as they were', () => {
    const output = lastGood();
    const link = join(output, '..', 'current');
    symlinkSync(output, link);
    const result = run('synth', '--app', WRITES, '--output', link);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`error: the output must be a folder of its own, not a symbolic link, got ${JSON.stringify(link)}`);
    expect(readlinkSync(link)).toBe(output);
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
  });

  test('shows a line break in the output\'s name as \\n', () => {
    const output = join(tempDir(), 'dist\nerror: x');
    expect(run('synth', '--app', WRITES, '--output', output)).toEqual({ code: 0, stdout: `wrote ${output.replace('\n', '\\n')}\n`, stderr: '' });
    expect(run('synth', '--app', REFUSED, '--output', output).stderr.split('\n')[1]).toBe(`error: the app failed: ${output.replace('\n', '\\n')} is left as it was`);
  });

  test('-h prints its usage', () => {
    expect(run('synth', '-h')).toEqual({ code: 0, stdout: expect.stringContaining('usage: cdk8s-istio-release synth [options]'), stderr: '' });
  });
});
