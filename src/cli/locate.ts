import type { CST, LineCounter } from 'yaml';
import { Span, yamlPackage } from './yaml';

/** A place in a file, both counted from 1. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a field of a document is written; an empty path is the document itself. */
export type Locate = (document: number, path: string) => Position;

/**
 * Reads a document again with the `yaml` package's parser, whose syntax tree has every token's
 * offset, only when a finding needs its place. Findings come object by object, so the tree of the
 * last document read is kept, and no more: memory does not grow with the findings.
 */
export function locator(text: string, spans: readonly Span[]): Locate {
  let last: { document: number; tree: SyntaxTree } | undefined;
  return (document, path) => {
    const span = spans[document];
    if (last?.document !== document) last = { document, tree: syntaxTree(text.slice(span.start, span.end)) };
    const { line, col } = last.tree.lines.linePos(fieldOffset(last.tree.root, path));
    return { line: span.line + line, column: col };
  };
}

interface SyntaxTree {
  readonly root: CST.Token | undefined;
  readonly lines: LineCounter;
}

function syntaxTree(text: string): SyntaxTree {
  const { LineCounter, Parser } = yamlPackage();
  const lines = new LineCounter();
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    if (token.type === 'document') return { root: token.value, lines };
  }
  return { root: undefined, lines };
}

/**
 * The offset of the field at `path` (`spec.http[0].route[1].destination.subset`): of its key in a
 * map, of its value in a list. A field that is not written (a finding about a missing field, or
 * one that a merge key or an alias brings in) is placed at the nearest field above it that is,
 * and at worst at the document's start.
 */
function fieldOffset(root: CST.Token | undefined, path: string): number {
  let node = root;
  let offset = root?.offset ?? 0;
  // Every step of the path starts with `.` or `[`.
  let rest = path === '' || path.startsWith('[') ? path : `.${path}`;
  while (node && rest !== '') {
    const step = childAt(node, rest);
    if (!step) break;
    ({ node, offset, rest } = step);
  }
  return offset;
}

interface Step {
  readonly node: CST.Token | undefined;
  readonly offset: number;
  readonly rest: string;
}

function childAt(node: CST.Token, rest: string): Step | undefined {
  if (node.type === 'block-map' || (node.type === 'flow-collection' && node.start.source === '{')) return entryAt(node.items, rest);
  if (node.type === 'block-seq') return itemAt(node.items.filter(item => item.start.some(token => token.type === 'seq-item-ind')), rest);
  if (node.type === 'flow-collection') return itemAt(node.items.filter(item => item.key !== undefined || item.value !== undefined), rest);
  return undefined;
}

/** The entry whose key the path goes on with; the longest, so that a key with a dot in it is found whole. */
function entryAt(items: readonly CST.CollectionItem[], rest: string): Step | undefined {
  const { resolveAsScalar } = yamlPackage().CST;
  let found: Step | undefined;
  for (const { key, value } of items) {
    const name = key ? resolveAsScalar(key)?.value : undefined;
    const length = name === undefined ? 0 : stepLength(rest, name);
    if (key && length > 0 && (!found || rest.length - length < found.rest.length)) found = { node: value, offset: key.offset, rest: rest.slice(length) };
  }
  return found;
}

/** How much of the path `.name` or `["name"]` takes, or 0 when it goes on with another key. */
function stepLength(rest: string, name: string): number {
  const quoted = `[${JSON.stringify(name)}]`;
  if (rest.startsWith(quoted)) return quoted.length;
  const next = rest.charAt(name.length + 1);
  return rest.startsWith(`.${name}`) && (next === '' || next === '.' || next === '[') ? name.length + 1 : 0;
}

function itemAt(items: readonly CST.CollectionItem[], rest: string): Step | undefined {
  const index = /^\[(\d+)\]/.exec(rest);
  const item = index ? items[Number(index[1])] : undefined;
  if (!index || !item) return undefined;
  const offset = item.value?.offset ?? item.key?.offset ?? item.start.find(token => token.type === 'seq-item-ind')?.offset;
  return offset === undefined ? undefined : { node: item.value, offset, rest: rest.slice(index[0].length) };
}
