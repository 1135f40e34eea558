import { ApiObject } from 'cdk8s';

/**
 * The route check reads every object of its chart as JSON when cdk8s validates the app, and cdk8s
 * makes the same JSON again right after, to write the chart, in the same `synth()`. Made for the
 * check, an object's JSON is handed to the object's next `toJson()` call instead, once and in the
 * same synchronous stretch: after that, or from the next tick on, `toJson()` makes it anew. The
 * check only reads the JSON, so what cdk8s writes is what it would have made itself.
 */
const made = new WeakMap<ApiObject, unknown>();

/** The objects' JSON, each made anew, and each kept for the object's next `toJson()`. */
export function jsonToShare(objects: readonly ApiObject[]): unknown[] {
  const json = objects.map(object => {
    made.delete(object);
    const value = object.toJson();
    made.set(object, value);
    handOver(object);
    return value;
  });
  // Kept no longer than the synth that asked: an object may change between two synths.
  queueMicrotask(() => objects.forEach(object => made.delete(object)));
  return json;
}

/** Has the object's `toJson()` hand over the JSON kept for it, if any, before making it as its class does. */
function handOver(object: ApiObject): void {
  // Ours already, or the object's own, which is left alone.
  if (Object.prototype.hasOwnProperty.call(object, 'toJson')) return;
  const make = object.toJson;
  Object.defineProperty(object, 'toJson', {
    configurable: true,
    writable: true,
    value: () => {
      if (!made.has(object)) return make.call(object);
      const value = made.get(object);
      made.delete(object);
      return value;
    },
  });
}
