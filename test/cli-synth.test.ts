import { spawnSync } from 'child_process';
// The module itself, whose renameSync a test replaces; `import * as` would give a copy of it.
import fs, { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'fs';
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

  test('replaces an output with the drawings diagram wrote beside the manifests, and the file a killed diagram left', () => {
    const output = lastGood();
    for (const drawing of ['good.k8s.md', 'good.k8s.mmd', 'good.k8s.txt', '.cdk8s-istio-release-0123456789ab.tmp']) writeFileSync(join(output, drawing), 'drawn');
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
    // The staging folder's name is the output's with 14 characters more, past the 255 a name may have.
    const output = join(tempDir(), 'd'.repeat(250));
    expect(run('synth', '--app', WRITES, '--output', output)).toEqual({ code: 2, stdout: '', stderr: `error: cannot write ${output}: name too long\n` });
  });

  test('fails when the output is under a file, with the file system\'s reason', () => {
    const parent = join(tempDir(), 'file');
    writeFileSync(parent, 'not a folder');
    const output = join(parent, 'dist');
    expect(run('synth', '--app', WRITES, '--output', output)).toEqual({ code: 2, stdout: '', stderr: `error: ${output}: not a directory\n` });
  });

  test('fails when the new output cannot take its name, and the old output takes it back', () => {
    const output = lastGood();
    const rename = fs.renameSync;
    const refused = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      // The new output's rename only: the old one's, back to its name, goes through.
      if (/\.dist\.synth-\w+$/.test(String(from)) && to === output) throw new Error('Renaming refused');
      rename(from, to);
    });
    try {
      expect(run('synth', '--app', WRITES, '--output', output)).toEqual({ code: 2, stdout: '', stderr: `error: cannot write ${output}: renaming refused\n` });
    } finally {
      refused.mockRestore();
    }
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
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

  test('clears what a killed run left beside the output', () => {
    const output = lastGood();
    mkdirSync(join(output, '..', '.dist.synth-stale'));
    // Killed after the new output took its name, before the old one was removed.
    mkdirSync(join(output, '..', '.dist.synth-older.old'));
    expect(run('synth', '--app', WRITES, '--output', output).code).toBe(0);
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
    expect(readdirSync(output)).toEqual(['web.k8s.yaml']);
  });

  /** What a run killed between the two renames leaves: the last good output stepped aside, and the new one beside it. */
  function killedMidSwap(): string {
    const output = lastGood();
    renameSync(output, join(output, '..', '.dist.synth-killed.old'));
    mkdirSync(join(output, '..', '.dist.synth-killed'));
    writeFileSync(join(output, '..', '.dist.synth-killed', 'new.k8s.yaml'), 'kind: Service\n');
    return output;
  }

  test('gives the last good output its name back when a run was killed while it stepped aside, and the app then fails', () => {
    const output = killedMidSwap();
    expect(run('synth', '--app', REFUSED, '--output', output).code).toBe(1);
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
    expect(readdirSync(output)).toEqual(['good.k8s.yaml']);
    expect(readFileSync(join(output, 'good.k8s.yaml'), 'utf8')).toBe('kind: Deployment\n');
  });

  test('replaces the last good output that a run killed while it stepped aside left, when the app succeeds', () => {
    const output = killedMidSwap();
    expect(run('synth', '--app', WRITES, '--output', output).code).toBe(0);
    expect(readdirSync(join(output, '..'))).toEqual(['dist']);
    expect(readdirSync(output)).toEqual(['web.k8s.yaml']);
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

    test.each([
      ['is not YAML', 'app: [node\n', 'error: cdk8s.yaml:2:1: invalid yaml: flow sequence in block collection must be sufficiently indented and end with a ]\n'],
      ['has an alias inside its own anchor', 'app: &a [*a]\n', 'error: cdk8s.yaml:1:10: the alias *a is inside its own anchor, which makes a cycle that no manifest holds; copy the value instead\n'],
      ['holds more than one document', 'app: node main.js\n---\noutput: dist\n', 'error: cdk8s.yaml: 2 YAML documents, where cdk8s reads one; keep the settings and remove the others\n'],
    ])('fails when cdk8s.yaml %s, in one line', (_, yaml, stderr) => {
      const project = tempDir();
      writeFileSync(join(project, 'cdk8s.yaml'), yaml);
      process.chdir(project);
      expect(run('synth')).toEqual({ code: 2, stdout: '', stderr });
    });
  });

  describe('an output that is not a folder of its own', () => {
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));

    /**
     * A project of its own, in a folder of its own, so that a synth the checks let through replaces
     * nothing of this repository, nor, with `..`, the temp folder.
     */
    function project(): void {
      const root = join(tempDir(), 'project');
      mkdirSync(join(root, 'src'), { recursive: true });
      writeFileSync(join(root, 'src', 'main.ts'), 'new App().synth();\n');
      writeFileSync(join(root, 'package.json'), '{}\n');
      process.chdir(root);
    }

    test.each([
      ['the output is the project itself', ['--app', WRITES, '--output', '.'], 'error: the output must be a folder of its own, not the project or one that holds it, got "."'],
      ['the output holds the project', ['--app', WRITES, '--output', '..'], 'error: the output must be a folder of its own, not the project or one that holds it, got ".."'],
      ['the output is the root', ['--app', WRITES, '--output', '/'], 'error: the output must be a folder of its own, not the project or one that holds it, got "/"'],
      ['the output is empty', ['--app', WRITES, '--output', ' '], 'error: the output must name a folder, got " "'],
      ['the output is a file', ['--app', WRITES, '--output', 'package.json'], 'error: the output must be a folder of its own, not a file, got "package.json"'],
      ['the output holds what no synth writes', ['--app', WRITES, '--output', 'src'], 'error: the output must be a folder of its own, and it holds main.ts, which no synth writes, got "src"'],
    ])('fails when %s, and leaves the project as it was', (_, args, message) => {
      project();
      const result = run('synth', ...args);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(message);
      expect(readdirSync('.')).toEqual(['package.json', 'src']);
      expect(readdirSync('src')).toEqual(['main.ts']);
    });
  });

  test.each([
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
