/**
 * Text from manifests and file names as the outputs show it. A name may hold anything: a line
 * break would forge a line of its own (an `error:` line, a table row), a terminal escape would
 * take over the screen, and HTML would reach whoever renders a Markdown drawing.
 */

import { show } from '../verify/json';

/** A value of the manifests as text: itself where it is a string or a number, else as JSON, whatever its fields. */
export function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : show(value);
}

/** C0 and C1 control characters and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The text on one line with nothing a terminal acts on: control characters are written as
 * JavaScript writes them (`\n`, `\u001b`). Text without them is returned as it is.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, c => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Printable text as Markdown shows it literally: the characters that start markup (emphasis, code,
 * links, raw HTML, entities, strike-through, math, a heading's closing `#`) are backslash-escaped,
 * which CommonMark allows before any ASCII punctuation.
 */
export function markdownLine(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>&~#$]/g, c => `\\${c}`);
}
