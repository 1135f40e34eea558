import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'fs';
import { basename, dirname, join, parse as parsePath, resolve, sep } from 'path';
import { printable } from '../diagram/text';
import { show } from '../show';
import { flag, lastValue, ParsedArgs, parseCommandLine } from './args';
import { Command, EXIT_CLEAN, EXIT_FINDINGS, InputError, Io, UsageError } from './command';
import { EXTENSIONS } from './diagram';
import { attempt, existing, readRegularFile, TEMPORARY_FILE } from './files';
import { DEFAULT_MAX_BYTES, formatSize } from './limit';
import { parseManifests } from './yaml';

const USAGE = `usage: cdk8s-istio-release synth [options]

runs the cdk8s app, as cdk8s synth does, into a new folder beside the output folder (.<output>.synth-*,
removed again), and puts it in place of the output folder only when the app succeeds and writes
something: a failed synth leaves the last good output as it was, so that a job that applies it
never sees a half-written or empty folder. a refused prop is reported as the library's one-line
message, without stack traces.

options:
  -o, --output <dir>     the output folder (default: cdk8s.yaml's output, else dist)
  -a, --app <command>    the command that runs the app (default: cdk8s.yaml's app)
  -h, --help             show this help

exit status: 0 when the output is replaced, 1 when the app fails (the output is left as it was),
2 when the command line or cdk8s.yaml is wrong, or the output can't be written.
`;

const OPTIONS = {
  'output': { type: 'string', short: 'o' },
  'app': { type: 'string', short: 'a' },
  'help': { type: 'boolean', short: 'h' },
} as const;

export const synthCommand: Command = {
  summary: 'synthesize the cdk8s app, replacing the output folder only when it succeeds',
  usage: USAGE,
  run,
};

function run(args: readonly string[], io: Io): number {
  const parsed = parseCommandLine(args, OPTIONS);
  if (flag(parsed, 'help')) {
    io.stdout(USAGE);
    return EXIT_CLEAN;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`synth takes no files, got ${parsed.positionals.join(' ')}`);
  const { app, output } = settings(parsed);
  // The file system's failures on the output's behalf are the user's to fix, not a crash.
  const writing = `cannot write ${output}`;
  const staging = attempt(writing, () => stage(output));
  try {
    if (!runApp(app, staging, output, io)) return EXIT_FINDINGS;
    attempt(writing, () => swap(staging, output));
    io.stdout(`wrote ${printable(output)}\n`);
    return EXIT_CLEAN;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs the app into the staging folder, passing on what it prints; false, having said why, when it fails or writes nothing. */
function runApp(app: string, staging: string, output: string, io: Io): boolean {
  const result = spawnSync(app, { shell: true, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: staging }, maxBuffer: 256 * 2 ** 20 });
  io.stdout(result.stdout ?? '');
  if (result.status !== 0) {
    const why = result.error ? `error: ${result.error.message}\n` : '';
    io.stderr(`${failure(result.stderr ?? '')}${why}error: the app failed: ${printable(output)} is left as it was\n`);
    return false;
  }
  io.stderr(result.stderr ?? '');
  if (readdirSync(staging).length === 0) {
    io.stderr(`error: the app wrote nothing to the folder cdk8s gives it in CDK8S_OUTDIR (does it call app.synth(), without an outdir of its own?): ${printable(output)} was not replaced\n`);
    return false;
  }
  return true;
}

/**
 * A new folder beside the output (`.<output>.synth-*`), so that the new output takes its place by
 * renames: whatever fails before then, the old output is left whole. What killed runs left there
 * goes first, except an old output that a run killed between swap's two renames left as the only
 * copy of the last good one: that takes its name back.
 */
function stage(output: string): string {
  const parent = dirname(resolve(output));
  const prefix = `.${basename(resolve(output))}.synth-`;
  mkdirSync(parent, { recursive: true });
  const leftovers = readdirSync(parent).filter(name => name.startsWith(prefix)).sort();
  const lastGood = existsSync(output) ? undefined : leftovers.find(name => name.endsWith('.old'));
  if (lastGood !== undefined) renameSync(join(parent, lastGood), output);
  for (const stale of leftovers.filter(name => name !== lastGood)) rmSync(join(parent, stale), { recursive: true, force: true });
  return mkdtempSync(join(parent, prefix));
}

/**
 * The old output steps aside before the new one takes its name, so that the name is never a
 * half-removed folder; when the new one cannot take it, the old one takes it back.
 */
function swap(staging: string, output: string): void {
  const old = `${staging}.old`;
  const replacing = existsSync(output);
  if (replacing) renameSync(output, old);
  try {
    renameSync(staging, output);
  } catch (error) {
    if (replacing) renameSync(old, output);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/** The app and output folder: from the command line, else from cdk8s.yaml, as cdk8s synth reads them. */
function settings(parsed: ParsedArgs): { app: string; output: string } {
  const config = cdk8sConfig();
  const app = lastValue(parsed, 'app') ?? config.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new UsageError('no app to run: give --app, or an app command in cdk8s.yaml (e.g. "app: npx ts-node --transpile-only main.ts")');
  }
  const output = lastValue(parsed, 'output') ?? config.output ?? 'dist';
  checkOutput(output);
  return { app, output };
}

/** What cdk8s writes, the drawings `diagram` writes beside it, and the file a killed `diagram` leaves. */
function isSynthFile(name: string): boolean {
  return ['.yaml', '.yml', '.json', ...Object.values(EXTENSIONS)].some(extension => name.endsWith(extension)) || TEMPORARY_FILE.test(name);
}

/**
 * The output is removed when the new one takes its place: never the project, a folder that holds
 * it, a file, or a folder with anything in it that a synth does not write (a typo like `-o src`).
 * Nor a symbolic link: the new output would take the link's place, and what it points to would
 * silently keep the old manifests.
 */
function checkOutput(output: unknown): asserts output is string {
  const ofItsOwn = (problem: string) => new UsageError(`the output must be a folder of its own, ${problem}, got ${show(output)}`);
  if (typeof output !== 'string' || output.trim() === '') throw new UsageError(`the output must name a folder, got ${show(output)}`);
  const target = resolve(output);
  if (target === parsePath(target).root || `${resolve('.')}${sep}`.startsWith(`${target}${sep}`)) throw ofItsOwn('not the project or one that holds it');
  const stats = existing(output);
  if (!stats) return;
  if (stats.isSymbolicLink()) throw ofItsOwn('not a symbolic link');
  if (!stats.isDirectory()) throw ofItsOwn('not a file');
  const foreign = readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .find(entry => !entry.isFile() || !isSynthFile(entry.name));
  if (foreign) throw ofItsOwn(`and it holds ${foreign.name}, which no synth writes`);
}

/** A few settings: a larger file is no cdk8s.yaml, and a pipe or device is not read at all. */
function cdk8sConfig(): { app?: unknown; output?: unknown } {
  if (!existsSync('cdk8s.yaml')) return {};
  const { text } = readRegularFile('cdk8s.yaml', DEFAULT_MAX_BYTES, `more than ${formatSize(DEFAULT_MAX_BYTES)}, which no cdk8s.yaml needs`);
  const [config, ...more] = parseManifests('cdk8s.yaml', text).documents;
  // cdk8s refuses such a file: which of them would be the settings?
  if (more.length > 0) throw new InputError(`cdk8s.yaml: ${more.length + 1} YAML documents, where cdk8s reads one; keep the settings and remove the others`);
  return config !== null && typeof config === 'object' ? config : {};
}

/**
 * What the app printed, with its error's own lines but without the code frame and stack trace that
 * node prints around an uncaught one: the lines before the frame, then the message, from `Error: `
 * up to the first stack line. Output without such an error is shown as it came.
 */
function failure(stderr: string): string {
  const lines = stderr.split('\n');
  // The frame is the `<file>:<line>` header, the line of code and a line of carets under it; the
  // error comes after it, so that a log line that starts with "Error: " is taken for a log.
  const caret = lines.findIndex(line => /^\s*\^+\s*$/.test(line));
  const start = lines.findIndex((line, i) => i > caret && /^\w*Error: /.test(line));
  if (start < 0) return stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n`;
  const logs = lines.slice(0, caret >= 2 ? caret - 2 : start).filter(line => line !== '').map(line => `${line}\n`).join('');
  const end = lines.findIndex((line, i) => i > start && /^\s+at /.test(line));
  const message = lines.slice(start, end < 0 ? undefined : end).join('\n').replace(/^\w*Error: /, '').trimEnd();
  return logs + message.split('\n').map(line => `error: ${line}\n`).join('');
}
