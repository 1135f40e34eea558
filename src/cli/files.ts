import { randomBytes } from 'crypto';
import { BigIntStats, closeSync, constants, Dirent, fstatSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { InputError } from './command';
import { formatSize } from './limit';
import { Locate, locator } from './locate';
import { lowerFirst, parseManifests } from './yaml';

/** The non-empty YAML documents of one file, as plain JSON. */
export interface Source {
  readonly file: string;
  readonly documents: readonly unknown[];
  /** The file's device and inode: an output by another name may still be this file. */
  readonly identity: string;
  /** Where a field of one of `documents` is written, by its index there. */
  readonly locate: Locate;
}

/**
 * Files named and `*.yaml`/`*.yml` files under directories named, in argument order and then
 * sorted by path, so output does not depend on the file system. A file reached twice (named, and
 * under a directory named) is read once: read twice, its objects would all be duplicates.
 */
export function collectFiles(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return eachOrAllProblems(paths, filesAt).flat().filter(file => {
    const key = resolve(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function filesAt(path: string): string[] {
  const isDirectory = attempt(path, () => statSync(path).isDirectory());
  if (!isDirectory) return [path];
  const files = yamlFilesUnder(path);
  if (files.length === 0) throw new InputError(`${path}: no .yaml or .yml files in this directory`);
  return files;
}

/** Symbolic links to directories are not followed, so a link cycle cannot loop. */
function yamlFilesUnder(directory: string): string[] {
  const entries = attempt(directory, () => readdirSync(directory, { withFileTypes: true }));
  return entries.sort(byName).flatMap(entry => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Code-unit order, as verifyManifests sorts, rather than the locale's. */
function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Reads and parses every file, at most `maxBytes` of them all together. */
export function readSources(files: readonly string[], maxBytes: number): Source[] {
  const overLimit = `reading it would go past --max-bytes ${formatSize(maxBytes)}, the most read from all files together; `
    + `give a larger --max-bytes, e.g. ${formatSize(maxBytes * 2)}`;
  let left = maxBytes;
  return eachOrAllProblems(files, file => {
    const { text, bytes, identity } = readRegularFile(file, left, overLimit);
    left -= bytes;
    const { documents, spans, text: parsed } = parseManifests(file, text);
    return { file, identity, documents, locate: locator(parsed, spans) };
  });
}

export interface RegularFile {
  readonly text: string;
  readonly bytes: number;
  readonly identity: string;
}

/** Reading a pipe would wait for a writer, and a device may never end, so only regular files are read. */
export function readRegularFile(file: string, limit: number, overLimit: string): RegularFile {
  // Without O_NONBLOCK, opening a FIFO waits for a writer before the check below can refuse it.
  // Windows has no O_NONBLOCK, and no FIFOs to open; `| undefined` is 0 there.
  const fd = attempt(file, () => openSync(file, constants.O_RDONLY | constants.O_NONBLOCK));
  try {
    const stats = attempt(file, () => fstatSync(fd, { bigint: true }));
    if (!stats.isFile()) throw new InputError(`${file}: not a regular file (a pipe, a device or a socket), which is never read`);
    // Checked before reading, so that a huge file costs nothing, and after, since it may grow meanwhile.
    const content = Number(stats.size) <= limit ? readAtMost(file, fd, limit + 1, Number(stats.size)) : undefined;
    if (content === undefined || content.length > limit) throw new InputError(`${file}: ${overLimit}`);
    return { text: attempt(file, () => content.toString('utf8')), bytes: content.length, identity: `${stats.dev}:${stats.ino}` };
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 2 ** 20;

/**
 * Up to `limit` bytes: a file that grows while it is read still cannot pass the limit. The first
 * read asks for a byte more than the file's `size`, so that a file read whole needs no copying.
 */
function readAtMost(file: string, fd: number, limit: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let read: number;
  // Once `limit` bytes are read, the next chunk is empty and so is the read.
  do {
    const chunk = Buffer.allocUnsafe(Math.min(total === 0 ? Math.max(size + 1, CHUNK) : CHUNK, limit - total));
    read = attempt(file, () => readSync(fd, chunk, 0, chunk.length, null));
    if (read > 0) chunks.push(chunk.subarray(0, read));
    total += read;
  } while (read > 0);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** A file `diagram` writes, and the input it draws. */
export interface Output {
  readonly file: string;
  readonly text: string;
  readonly from: string;
}

/**
 * Writes every file, calling `written` for each one written; every failure is reported, in one
 * InputError. No output may be written twice, replace an input or go through a symbolic link,
 * which are all checked before anything is written. Each file is written beside its target and
 * renamed over it, so a reader never sees half a file, and a link put in its place meanwhile is
 * replaced rather than followed.
 */
export function writeFiles(outputs: readonly Output[], inputs: readonly Source[], written: (file: string) => void): void {
  const inputFiles = new Map(inputs.map(source => [source.identity, source.file]));
  eachOrAllProblems([...outputs.entries()], ([i, output]) => checkTarget(output, outputs.slice(0, i), inputFiles));
  eachOrAllProblems(outputs, ({ file, text }) => {
    replaceFile(file, text);
    written(file);
  });
}

function checkTarget({ file, from }: Output, earlier: readonly Output[], inputFiles: ReadonlyMap<string, string>): void {
  const first = earlier.find(output => resolve(output.file) === resolve(file));
  if (first) throw new InputError(`${file}: the drawings of ${first.from} and ${from} would both be written here; rename one of them, or use --print`);
  const stats = existing(file);
  if (stats?.isSymbolicLink()) throw new InputError(`${file}: a symbolic link, which diagram does not write through; remove it, or use --print`);
  const input = stats && inputFiles.get(`${stats.dev}:${stats.ino}`);
  if (input !== undefined) throw new InputError(`${file}: the drawing of ${from} would replace ${input}, which is an input; rename one of them, or use --print`);
}

/** The entry itself, not what a link points to; none when there is nothing there, and an InputError when it cannot be seen. */
export function existing(file: string): BigIntStats | undefined {
  return attempt(file, () => lstatSync(file, { bigint: true, throwIfNoEntry: false }));
}

/** The name a file is written under before it takes its target's: a run killed in between leaves it behind. */
export const TEMPORARY_FILE = /^\.cdk8s-istio-release-[0-9a-f]{12}\.tmp$/;

/** The new file's name is short and fixed in length, so that a target whose name is as long as the system allows can still be written. */
function replaceFile(file: string, text: string): void {
  const temporary = join(dirname(file), `.cdk8s-istio-release-${randomBytes(6).toString('hex')}.tmp`);
  attempt(`${file}: cannot write`, () => {
    try {
      // `wx` creates a new file or fails: it never opens what a link points to.
      writeFileSync(temporary, text, { flag: 'wx' });
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  });
}

/** Maps every item, and reports every item that fails, not just the first, so one run shows them all. */
function eachOrAllProblems<T, R>(items: readonly T[], step: (item: T) => R): R[] {
  const results: R[] = [];
  const problems: string[] = [];
  for (const item of items) {
    try {
      results.push(step(item));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(...problems);
  return results;
}

/** Runs a file system or conversion step, turning its failure into a one-line InputError. */
export function attempt<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new InputError(`${path}: ${describe(error)}`);
  }
}

/**
 * A failure as one line after its path: a system error as the system's reason, without node's
 * `ECODE: ` in front (whose casing lowerFirst would garble) and `, syscall 'path'` behind it, since
 * the path is already in front. libuv's reason for EISDIR reads oddly after a file name.
 */
export function describe(error: unknown): string {
  const { code, syscall, message } = (error ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown };
  if (code === 'EISDIR') return 'is a directory';
  const text = String(message ?? error);
  if (typeof syscall !== 'string') return lowerFirst(text);
  return text.replace(`${code}: `, '').replace(new RegExp(`, ${syscall}( '.*)?$`, 's'), '');
}
