/** The formats of the library's own errors, as the tests that tell them from any other throw read them. */

/** A field or parameter, which may index a list or a map by a quoted key: podAnnotations["example.com/owner"], options.externalHosts[0]. */
const FIELD = String.raw`[a-zA-Z](?:\["[^"]*"\]|[\w.[\]])*`;

/** src/validate.ts `fail`: `<construct path>: <field> <problem>, got <value>; <fix>`, on one line. */
export const PROP_ERROR = new RegExp(String.raw`^(?<path>[\w-]+(?:\/[\w-]+)+): (?<field>${FIELD}) (?<problem>.+), got (?<value>.+); (?<fix>.+)$`);

/** src/refusal.ts `refuse` from a static method: `ClassName.method: <param> <problem>, got <value>; <fix>`. */
export const STATIC_ERROR = new RegExp(String.raw`^(?<call>[A-Z]\w*\.\w+): (?<param>${FIELD}) (?<problem>.+), got (?<value>.+); (?<fix>.+)$`);
