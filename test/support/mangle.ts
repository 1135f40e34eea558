/** Malformed objects: each field of one replaced by each value of a kind it should not hold. */

// An object whose own fields shadow what string conversion calls, as YAML can write one.
const HOSTILE: unknown[] = [null, 1, 'x', true, [], {}, [null], [1], { x: null }, [{ constructor: 'x', toString: 1, hasOwnProperty: [] }]];

/** Every field path under `value`, as lists of keys, `value` itself first. */
function paths(value: unknown, at: (string | number)[]): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  return [at, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...at, Array.isArray(value) ? Number(key) : key]))];
}

function withValue(object: any, path: readonly (string | number)[], value: unknown): any {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(object) ? [...object] : { ...object };
  copy[path[0]] = withValue(copy[path[0]], path.slice(1), value);
  return copy;
}

/** `object` with each field of its `spec`, and the spec itself, replaced by each hostile value in turn. */
export function mangledSpecs(object: { spec: unknown }): any[] {
  return paths(object.spec, ['spec']).flatMap(path => HOSTILE.map(value => withValue(object, path, value)));
}

/** `field` parsed into the keys that reach it: `a.b[0]["c.d"]` is a, b, 0, c.d. */
export function keysOf(field: string): (string | number)[] {
  return [...field.matchAll(/\["([^"]*)"\]|\[(\d+)\]|([^.[\]]+)/g)].map(m => m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
}

/** The props with `value` at `field`, every object on the way a copy; one the props leave out starts empty. */
export function withValueAt<T extends object>(props: T, field: string, value: unknown): T {
  const keys = keysOf(field);
  const set = (object: unknown, depth: number): unknown => {
    const copy: any = Array.isArray(object) ? [...object] : { ...object as object };
    const key = keys[depth];
    copy[key] = depth === keys.length - 1 ? value : set(copy[key] ?? (typeof keys[depth + 1] === 'number' ? [] : {}), depth + 1);
    return copy;
  };
  return set(props, 0) as T;
}
