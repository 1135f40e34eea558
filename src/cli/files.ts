import { Dirent, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Document, isAlias, isNode, LineCounter, parseAllDocuments, visit, YAMLError } from 'yaml';
import { InputError } from './command';

/** The non-empty YAML documents of one file, as plain JSON. */
export interface Source {
  readonly file: string;
  readonly documents: readonly unknown[];
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

export function readSources(files: readonly string[]): Source[] {
  return eachOrAllProblems(files, file => ({ file, documents: parseManifests(file, readText(file)) }));
}

/** Writes every file, calling `written` for each one written; every failure is reported, in one InputError. */
export function writeFiles(outputs: readonly { readonly file: string; readonly text: string }[], written: (file: string) => void): void {
  eachOrAllProblems(outputs, ({ file, text }) => {
    attempt(`${file}: cannot write`, () => writeFileSync(file, text));
    written(file);
  });
}

function readText(file: string): string {
  return attempt(file, () => readFileSync(file, 'utf8'));
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
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return results;
}

/** Empty documents (a trailing `---`, a file of comments) are no objects and no mistake. */
export function parseManifests(file: string, text: string): unknown[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines });
  // The first error is the one to fix; later ones are often its echo.
  const [error] = documents.flatMap(document => document.errors);
  if (error) throw new InputError(`${file}${position(error)}: invalid yaml: ${firstLine(error)}`);
  return documents.map(document => attempt(`${file}${unresolvedAlias(document, lines)}`, () => document.toJS()))
    .filter(value => value !== null && value !== undefined);
}

/**
 * The position of the document's first alias to an anchor not set before it: the one mistake
 * that parses and fails only in toJS, whose error gives no line. Empty when there is none.
 */
function unresolvedAlias(document: Document, lines: LineCounter): string {
  const anchors = new Set<string>();
  let at = '';
  visit(document, (_, node) => {
    if (isAlias(node) && !anchors.has(node.source) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      at = `:${line}:${col}`;
      return visit.BREAK;
    }
    if (isNode(node) && node.anchor) anchors.add(node.anchor);
    return undefined;
  });
  return at;
}

function position(error: YAMLError): string {
  const start = error.linePos?.[0];
  return start ? `:${start.line}:${start.col}` : '';
}

/** The yaml package appends the position and a code excerpt; the position is already in front. */
function firstLine(error: YAMLError): string {
  return lowerFirst(error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
}

/** Runs a file system or conversion step, turning its failure into a one-line InputError. */
function attempt<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new InputError(`${path}: ${describe(error)}`);
  }
}

const ERRNO_MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
};

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && Object.prototype.hasOwnProperty.call(ERRNO_MESSAGES, code)) return ERRNO_MESSAGES[code];
  return lowerFirst(error instanceof Error ? error.message : String(error));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
