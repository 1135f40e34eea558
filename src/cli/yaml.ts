import { CORE_SCHEMA, loadAll, State, Type, YAMLException } from 'js-yaml';
import type * as Yaml from 'yaml';
import { InputError } from './command';

/**
 * Reading manifests. js-yaml makes the values: on a large file it takes a tenth of the time of the
 * `yaml` package's document API. The `yaml` package reads again only the documents that need what
 * js-yaml does not do: refusing an alias cycle or an alias bomb, a mistake told in its words and
 * at its places, and (locate.ts) the line of a field that has a finding.
 */

/**
 * The `yaml` package, loaded when first needed: most runs never need it, and it takes longer to
 * load than js-yaml.
 */
export function yamlPackage(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}

/** Where one document is in its file's text. */
export interface Span {
  /** Offset of the start of the line that the document's content starts on. */
  readonly start: number;
  /** Offset just after its content. */
  readonly end: number;
  /** The line of `start`, counted from 0. */
  readonly line: number;
}

/** The non-empty documents of a file, as plain data, and where each one is. */
export interface ParsedFile {
  readonly documents: readonly unknown[];
  /** By the index of `documents`. */
  readonly spans: readonly Span[];
  /** The text the spans are offsets into: the file's, without a byte order mark. */
  readonly text: string;
}

/**
 * YAML 1.2's core schema, as the `yaml` package read manifests before: a date stays the string it
 * is written as, where js-yaml's default schema would make it a Date, which no manifest field is.
 * With `<<` merge keys, which kubectl's parser merges too. A tag the schema does not know
 * (`!!binary`, `!Ref`) leaves its value as written, as the `yaml` package did, rather than failing.
 */
const SCHEMA = CORE_SCHEMA.extend({
  // As js-yaml's own `types.merge`, which its type declarations leave out: the loader merges the
  // value of a key of this tag.
  implicit: [new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' })],
  // Tags starting so, of each kind of node: local (`!`) and global (`tag:`, as `!!` expands).
  explicit: (['scalar', 'sequence', 'mapping'] as const).flatMap(kind =>
    ['!', 'tag:'].map(prefix => new Type(prefix, { kind, multi: true, construct: (data: unknown) => data }))),
});

/**
 * Empty documents (a trailing `---`, a file of comments) are no objects and no mistake, and are
 * left out so that they take no entry number.
 */
export function parseManifests(file: string, text: string): ParsedFile {
  // js-yaml drops a byte order mark, and counts its offsets from after it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const reader = new DocumentReader();
  let values: unknown[];
  try {
    values = loadAll(body, null, { schema: SCHEMA, listener: reader.listen });
  } catch (error) {
    if (error instanceof YAMLException) throw invalid(file, body, reader.current, error);
    throw error;
  }
  const documents: unknown[] = [];
  const spans: Span[] = [];
  values.forEach((value, i) => {
    if (value === null || value === undefined) return;
    // js-yaml resolves an alias to its anchor's value even when that value holds the alias.
    if (reader.anchored.has(i)) checkDocument(file, body, reader.spans[i]);
    documents.push(value);
    spans.push(reader.spans[i]);
  });
  return { documents, spans, text: body };
}

/** js-yaml's parser state, with the anchor of the node just read, which its types leave out. */
type Progress = State & { readonly anchor?: string | null };

/**
 * Follows js-yaml's parse through its listener, which it calls as it opens and closes each node:
 * records where each document is, and which ones set an anchor, for a second look at their aliases.
 */
class DocumentReader {
  public readonly spans: Span[] = [];
  public readonly anchored = new Set<number>();
  /** The start of the document read last, or being read. */
  public current: Omit<Span, 'end'> | undefined;
  private depth = 0;

  public readonly listen = (event: 'open' | 'close', state: Progress): void => {
    if (event === 'open') {
      if (this.depth++ === 0) this.current = { start: state.lineStart, line: state.line };
      return;
    }
    if (state.anchor !== null && state.anchor !== undefined) this.anchored.add(this.spans.length);
    if (--this.depth === 0) this.spans.push({ ...this.current!, end: state.position });
  };
}

/**
 * A mistake js-yaml found. The `yaml` package reads the same document again, from its start to
 * the end of the file, and tells what it finds, as before js-yaml read the files; should it find
 * nothing, js-yaml's own reason is told.
 */
function invalid(file: string, text: string, document: Omit<Span, 'end'> | undefined, error: YAMLException): InputError {
  const { position } = error.mark;
  if (document && position >= document.start) {
    try {
      checkDocument(file, text, { ...document, end: text.length });
    } catch (found) {
      if (found instanceof InputError) return found;
      throw found;
    }
  }
  // Counted here: js-yaml's own line is 1 for a mistake it finds before it reads any line.
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return new InputError(`${file}:${line}:${column}: invalid yaml: ${error.reason}`);
}

/**
 * Reads the first document of a span with the `yaml` package, which finds what js-yaml lets
 * through (an alias inside its own anchor, which makes a cycle; aliases that expand past
 * what the package allows, as a file built to exhaust memory does) and words js-yaml's mistakes
 * better.
 */
function checkDocument(file: string, text: string, span: Span): void {
  const { Composer, LineCounter, Parser } = yamlPackage();
  const lines = new LineCounter();
  const position = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `:${span.line + line}:${col}`;
  };
  const tokens = new Parser(lines.addNewLine).parse(text.slice(span.start, span.end));
  // The generator stops at the next document, so the rest of the file is not read.
  const { value: document } = new Composer().compose(tokens).next();
  if (!document) return;
  // The first error is the one to fix; later ones are often its echo.
  const [error] = document.errors;
  if (error) throw new InputError(`${file}${position(error.pos[0])}: invalid yaml: ${lowerFirst(error.message)}`);
  const alias = badAlias(document);
  if (alias?.cycle) {
    throw new InputError(`${file}${position(alias.offset)}: the alias *${alias.name} is inside its own anchor, which makes a cycle that no manifest holds; copy the value instead`);
  }
  try {
    document.toJS();
  } catch (failure) {
    throw new InputError(`${file}${alias ? position(alias.offset) : ''}: ${lowerFirst(failure instanceof Error ? failure.message : String(failure))}`);
  }
}

/**
 * The document's first alias to an anchor not set before it, which parses and fails only in
 * toJS, whose error gives no line; or to an anchor around it, which toJS turns into a cycle.
 */
function badAlias(document: Yaml.Document): { name: string; offset: number; cycle: boolean } | undefined {
  const { isAlias, isNode, visit } = yamlPackage();
  const anchors = new Map<string, Yaml.Node>();
  let found: { name: string; offset: number; cycle: boolean } | undefined;
  visit(document, (_, node, path) => {
    if (isAlias(node)) {
      const anchored = anchors.get(node.source);
      const cycle = path.includes(anchored as Yaml.Node);
      if (anchored === undefined || cycle) {
        // A parsed node always has its range.
        found = { name: node.source, offset: node.range![0], cycle };
        return visit.BREAK;
      }
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    return undefined;
  });
  return found;
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
