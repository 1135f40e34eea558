import { printable } from './diagram/text';

/**
 * Values as the refusals show them, and fields as they name them. No cdk8s here: the CLI reads
 * manifests with the same checks, and loads no construct library.
 */

/** The most characters of a value an error shows: enough to recognise it, and the message stays readable. */
const MAX_SHOWN = 200;

/** A form of its own for some objects, or undefined for the others. */
export type OwnForm = (object: object) => string | undefined;

const ownForms: OwnForm[] = [];

/**
 * Shows the objects that `form` knows in that form rather than by their fields: validate.ts adds
 * cdk8s's Duration this way, which this module must not load.
 */
export function showInOwnForm(form: OwnForm): void {
  ownForms.push(form);
}

/**
 * A value as an error shows it, as it was given, on one line: JSON where it has any, JavaScript's
 * own notation where JSON has none or would mislead (`-0`, `NaN`, `1n`, `Symbol(x)`, a hole in a
 * list), and an instance of a class without `toJSON` by its class. Never throws.
 */
export function show(value: unknown): string {
  let text: string;
  try {
    text = shown(value, new Set());
  } catch {
    // A proxy whose traps throw, or nesting deeper than the stack.
    text = 'a value that can\'t be shown';
  }
  return printable(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}

/** `seen` holds the objects that enclose `value`, to show a circular reference rather than recurse forever. */
function shown(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined': return 'nothing';
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'function': return value.name ? `function ${value.name}` : 'a function';
    case 'string': return JSON.stringify(value);
    case 'boolean': return String(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return 'a circular reference';
  seen.add(object);
  try {
    return shownObject(object, seen);
  } finally {
    seen.delete(object);
  }
}

function shownObject(object: object, seen: Set<object>): string {
  for (const form of ownForms) {
    const text = form(object);
    if (text !== undefined) return text;
  }
  // An invalid Date has no JSON: it shows as the NaN it holds.
  if (object instanceof Date) return `new Date(${shown(object.toJSON() ?? NaN, seen)})`;
  if (Array.isArray(object)) return listed('[', object.length, i => shown(object[i], seen), ']');
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return shown(toJSON.call(object), seen);
  if (!isPlain(object)) return withArticle(object.constructor?.name || 'object');
  const keys = Object.keys(object);
  return listed('{', keys.length, i => shownField(object, keys[i], seen), '}');
}

/** The entries up to about MAX_SHOWN characters, and `…` for the rest; `entry` gives undefined for one to leave out. */
function listed(open: string, count: number, entry: (index: number) => string | undefined, close: string): string {
  const parts: string[] = [];
  let length = 0;
  let index = 0;
  for (; index < count && length <= MAX_SHOWN; index++) {
    const part = entry(index);
    if (part !== undefined) {
      parts.push(part);
      length += part.length + 1;
    }
  }
  if (index < count) parts.push('…');
  return `${open}${parts.join(',')}${close}`;
}

/** A field as `"key":value`; undefined for one that is undefined, which JSON leaves out too. */
function shownField(object: object, key: string, seen: Set<object>): string | undefined {
  let value: unknown;
  try {
    value = (object as { [key: string]: unknown })[key];
  } catch {
    return `${JSON.stringify(key)}:a getter that throws`;
  }
  return value === undefined ? undefined : `${JSON.stringify(key)}:${shown(value, seen)}`;
}

/** An object literal, or one without a prototype: not an instance of some class. */
function isPlain(object: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(object);
  // Compared by shape, not with this realm's Object.prototype: jest and vm contexts have their own.
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** A class's name as a value of it reads: `a Map`, `an Order`. */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * Whether a value is an object of named fields: an object literal or an instance of a class, not
 * null, a list, a function, or a built-in such as a Date or a Map.
 */
export function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * The field of an entry, as JavaScript would reach it: `ports[0]` for a list's, `env.LOG_LEVEL`
 * for a map's, or `env["log-level"]` where the key is no identifier.
 */
export function entryField(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return /^[A-Za-z_]\w*$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}
