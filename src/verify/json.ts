/**
 * Readers for untrusted JSON. Manifests come from anyone's YAML, so any field may be missing or
 * of the wrong type; these return a neutral value instead of throwing.
 */

export type Json = Readonly<Record<string, unknown>>;

/**
 * Any object that is no list, as the maps of parsed YAML are. Looser than show.ts `isRecord`, which
 * the entries' options must pass: a manifest's field is read as it comes, never refused.
 */
export function isObjectLike(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a missing field reads as: one frozen value each, rather than a new one per read, since the
 * checks read absent fields (a VirtualService's `tcp`, a Service's annotations) far more often than
 * present ones, and the route check runs inside every synth.
 */
const NO_RECORD: Json = Object.freeze({});
const NO_LIST: readonly unknown[] = Object.freeze([]);

/** `value[key]` as a record, or an empty one. Own properties only, so `__proto__` is just a key. */
export function record(value: unknown, key: string): Json {
  const child = own(value, key);
  return isObjectLike(child) ? child : NO_RECORD;
}

export function list(value: unknown, key: string): readonly unknown[] {
  const child = own(value, key);
  return Array.isArray(child) ? child : NO_LIST;
}

/** A non-empty string, or undefined. */
export function text(value: unknown, key: string): string | undefined {
  const child = own(value, key);
  return typeof child === 'string' && child !== '' ? child : undefined;
}

export function own(value: unknown, key: string): unknown {
  return isObjectLike(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

/**
 * A label map as Kubernetes would store it. Unquoted YAML scalars such as `version: 1.10` arrive
 * as numbers; they are kept in their string form so that a selector still compares them.
 */
export function labels(value: unknown, key: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const map = record(value, key);
  for (const name of Object.keys(map)) {
    const label = map[name];
    if (typeof label === 'string' || typeof label === 'number' || typeof label === 'boolean') out.set(name, String(label));
  }
  return out;
}

/** A value as a message quotes it: short, and never `[object Object]`. */
export function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
