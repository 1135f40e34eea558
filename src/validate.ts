import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { millisText } from './duration';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isHost, isLabelKey, isLabelValue, isToken } from './names';
import { fail, Scope } from './refusal';
import { entryField, isRecord, showInOwnForm, withArticle } from './show';

/**
 * Prop checks shared by the constructs and the static entries. Every error goes through `fail`
 * and reads `<construct path>: <field> <what is wrong>, got <value>; <how to fix it>`, on one line.
 *
 * JavaScript callers can pass anything whatever the types say, so each check tests the JavaScript
 * type along with the value. Only `undefined` leaves a prop out: `null` is checked as given, and
 * refused (jsii hands the other languages' nulls over as undefined).
 */
// `fail` lives with the refusals, and `show` with the values, where the CLI loads them without cdk8s;
// the constructs take them from here, with the checks.
export { fail } from './refusal';
export { show } from './show';

// A Duration's own fields are its unit's internals, so it shows as Istio writes it.
showInOwnForm(object => (object instanceof Duration ? JSON.stringify(millisText(object.toMilliseconds({ integral: false }))) : undefined));

/** The value given, or `fallback` where it is left out. Unlike `??`, it keeps a null, for the check to refuse. */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Options the types require, or an entry of a list, which JavaScript callers could leave out or pass as anything. */
export function checkGiven<T extends object>(scope: Scope, field: string, value: T | undefined, example: string): T {
  if (!isRecord(value)) fail(scope, field, 'must be an object', value, `e.g. ${example}`);
  return value as T;
}

/** Options that JavaScript callers could pass as anything, such as `"fast"`; undefined where left out. */
export function checkObject<T extends object>(scope: Scope, field: string, value: T | undefined, example: string): T | undefined {
  return value === undefined ? undefined : checkGiven(scope, field, value, example);
}

/** A string of any content, such as a command line. */
export function checkString(scope: Scope, field: string, value: string, example: string): string {
  if (typeof value !== 'string') fail(scope, field, 'must be a string', value, `e.g. ${example}`);
  return value;
}

/** The largest count Kubernetes and Istio accept (int32). */
const MAX_INT32 = 2 ** 31 - 1;

/** Checks that a value is one of an enum's: JavaScript callers can pass anything. */
export function checkEnum<T extends string>(scope: Scope, field: string, value: T, values: { [key: string]: T }): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value)) fail(scope, field, `must be one of ${JSON.stringify(allowed)}`, value, `use e.g. ${JSON.stringify(allowed[0])}`);
  return value;
}

/** Istio takes whole milliseconds, 1ms or more (its CRDs' CEL rules). */
export function checkDuration(scope: Scope, field: string, value: Duration | undefined): void {
  if (value !== undefined) wholeDuration(scope, field, value, MILLIS);
}

/** The controllers (Argo Rollouts, Flagger) take whole seconds, 1 or more. */
export function wholeSeconds(scope: Scope, field: string, value: Duration): number {
  return wholeDuration(scope, field, value, SECONDS);
}

interface DurationUnit {
  readonly suffix: string;
  readonly amount: (d: Duration) => number;
  /** The least amount taken. */
  readonly min: number;
  readonly problem: string;
  readonly example: string;
}

const MILLIS: DurationUnit = {
  suffix: 'ms', amount: d => d.toMilliseconds({ integral: false }), min: 1,
  problem: 'must be a Duration of whole milliseconds, 1ms or more', example: 'use e.g. Duration.seconds(5) or Duration.millis(250)',
};

const SECONDS: DurationUnit = {
  suffix: 's', amount: d => d.toSeconds({ integral: false }), min: 1,
  problem: 'must be whole seconds, 1 or more', example: 'use e.g. Duration.minutes(1)',
};

/** Pod timings, where 0 turns a pause off; a Duration is never negative. */
const SECONDS_OR_NONE: DurationUnit = {
  ...SECONDS, min: 0, problem: 'must be a Duration of whole seconds, 0 or more', example: 'use e.g. Duration.seconds(30)',
};

/** The amount of `value` in `unit`; not integral, cdk8s would throw its own error, which names no field. */
function wholeDuration(scope: Scope, field: string, value: Duration, unit: DurationUnit): number {
  const amount = value instanceof Duration ? unit.amount(value) : NaN;
  if (!Number.isInteger(amount) || amount < unit.min) fail(scope, field, unit.problem, value instanceof Duration ? `${amount}${unit.suffix}` : value, unit.example);
  return amount;
}

/** A switch that JavaScript callers could pass as anything, such as the string "yes". */
export function checkBoolean(scope: Scope, field: string, value: boolean): boolean {
  if (typeof value !== 'boolean') fail(scope, field, 'must be true or false', value, 'e.g. true');
  return value;
}

/** A count such as a connection limit, or a user id: a whole number, 0 or more, that fits in int32. */
export function checkCount(scope: Scope, field: string, value: number, example = '100'): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT32) fail(scope, field, 'must be a whole number, 0 or more', value, `use e.g. ${example}`);
  return value;
}

export function checkPercent(scope: Scope, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    fail(scope, field, 'must be a whole percentage from 0 to 100', value, 'use an integer such as 10');
  }
  return value;
}

/** A percentage that may have decimals, as Istio's `Percent` and Prometheus thresholds take it. */
export function checkPercentage(scope: Scope, field: string, value: number, example = '10 or 0.5'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, field, 'must be a percentage from 0 to 100', value, `use e.g. ${example}`);
  }
  return value;
}

export function checkPort(scope: Scope, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    fail(scope, field, 'must be an integer port from 1 to 65535', value, 'use a port such as 80 or 8080');
  }
  return value;
}

export function checkPositive(scope: Scope, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_INT32) fail(scope, field, 'must be a whole number, 1 or more', value, 'use e.g. 2');
  return value;
}

export function checkReplicas(scope: Scope, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    fail(scope, field, 'must be a whole number of replicas, 0 or more', value, 'use e.g. 2');
  }
  return value;
}

/** A name such as a namespace's or a container's. */
/** The name of an object the manifests refer to, such as an AlertProvider: a DNS-1123 subdomain. */
export function checkObjectName(scope: Scope, field: string, value: string, what: string, example: string): string {
  if (typeof value !== 'string' || !isDns1123Subdomain(value)) {
    fail(scope, field, `must name ${what}: a DNS-1123 subdomain of lower-case letters, digits, "-" and "."`, value, `e.g. ${example}`);
  }
  return value;
}

/**
 * Checks that a list names each key once, as the API server takes a list that is a map by that
 * key, and as the controllers tell entries apart by name; `field` is the entry's.
 */
export function once(scope: Scope, problem: string, fix: string): (field: string, key: string) => void {
  const seen = new Set<string>();
  return (field, key) => {
    if (seen.has(key)) fail(scope, field, problem, key, fix);
    seen.add(key);
  };
}

export function checkDnsLabel(scope: Scope, field: string, value: string, example: string): string {
  if (typeof value !== 'string' || !isDns1123Label(value)) {
    fail(scope, field, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)', value, `e.g. ${example}`);
  }
  return value;
}

export function checkNamespace(scope: Scope, field: string, value: string): string {
  return checkDnsLabel(scope, field, value, '"shop"');
}

/** Service names are DNS-1035 labels, stricter than other objects': they must start with a letter. */
export function checkAppName(scope: Scope, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1035Label(value)) {
    fail(scope, field, 'must be a DNS-1035 label (a lower-case letter, then letters, digits and "-", at most 63)', value, 'e.g. "web"');
  }
  return value;
}

export function checkHosts(scope: Scope, field: string, hosts: string[]): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) fail(scope, field, 'must name at least one host', hosts, 'e.g. ["shop.example.com"]');
  for (const host of hosts) {
    if (typeof host !== 'string' || !isHost(host)) {
      fail(scope, field, 'must hold DNS-1123 hosts in lower case, optionally starting with "*."', host, 'e.g. "shop.example.com" or "*.example.com"');
    }
  }
  const repeated = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (repeated !== undefined) fail(scope, field, 'names a host twice', repeated, 'list each host once');
  return hosts;
}

export function checkVersionLabel(scope: Scope, field: string, value: string): string {
  if (typeof value !== 'string' || value === '' || !isLabelValue(value)) {
    fail(scope, field, 'must be a non-empty label value (alphanumerics, with "-", "_" or "." inside, at most 63)', value, 'e.g. "v2" or "1.11"');
  }
  return value;
}

export function checkImage(scope: Scope, field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) {
    fail(scope, field, 'must be a container image reference without spaces', value, 'e.g. "nginx:1.11"');
  }
  return value;
}

/**
 * A list that JavaScript callers could pass as anything, each entry checked by `checkEntry` with
 * its field, `<field>[<index>]`: a hole is an undefined entry, which the entry's check refuses.
 */
export function checkList<T>(
  scope: Scope, field: string, value: T[] | undefined, example: string, checkEntry: (entryField: string, entry: T, index: number) => void,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(scope, field, 'must be a list', value, `e.g. ${example}`);
  for (let i = 0; i < value.length; i++) checkEntry(entryField(field, i), value[i], i);
  return value;
}

/** A list of strings of any content, such as a command's arguments. */
export function checkStrings(scope: Scope, field: string, value: string[] | undefined, example: string): string[] {
  return checkList(scope, field, value, example, (entry, text) => {
    if (typeof text !== 'string') fail(scope, entry, 'must be a string', text, `write the list as e.g. ${example}`);
  });
}

/** A map of names to strings, such as labels, checked key by key. */
export function checkStringMap(
  scope: Scope, field: string, value: { [key: string]: string } | undefined, isKey: (key: string) => boolean, keyRule: string, example: string,
): { [key: string]: string } {
  if (value === undefined) return {};
  if (!isRecord(value)) fail(scope, field, 'must be a map of names to strings', value, `e.g. ${example}`);
  for (const [key, text] of Object.entries(value)) {
    if (!isKey(key)) fail(scope, field, `must have keys that are ${keyRule}`, key, `e.g. ${example}`);
    if (typeof text !== 'string') fail(scope, entryField(field, key), 'must be a string', text, 'quote numbers and booleans, e.g. "true"');
  }
  return value;
}

/** Labels, or a selector of them: label keys to label values. */
export function checkLabelMap(scope: Scope, field: string, value: { [key: string]: string } | undefined, example: string): { [key: string]: string } {
  const labels = checkStringMap(scope, field, value, isLabelKey, 'label keys', example);
  for (const [key, text] of Object.entries(labels)) {
    if (!isLabelValue(text)) fail(scope, entryField(field, key), 'must be a label value (alphanumerics, with "-", "_" or "." inside, at most 63)', text, `e.g. ${example}`);
  }
  return labels;
}

/**
 * The name of a header, a query parameter or a cookie: an HTTP token, as `isName` takes it
 * (header names in a match must be in lower case too).
 */
export function checkToken(scope: Scope, field: string, value: string, what: string, example: string, isName = isToken): string {
  if (typeof value !== 'string' || !isName(value)) {
    fail(scope, field, `must be ${what}: an HTTP token of letters, digits and !#$%&'*+-.^_\`|~`, value, `e.g. ${example}`);
  }
  return value;
}

/** A value of a class, made by its factories, that JavaScript callers could pass as anything. */
export function checkInstance<T>(scope: Scope, field: string, value: unknown, type: { readonly prototype: T; readonly name: string }, example: string): T {
  // Some cdk8s-plus classes have private constructors, which a constructor type would not accept.
  if (!(value instanceof (type as unknown as new () => T))) fail(scope, field, `must be ${withArticle(type.name)}`, value, `use e.g. ${example}`);
  return value as T;
}

/** Whole seconds, 0 or more, such as a grace period. */
export function checkSeconds(scope: Scope, field: string, value: Duration): number {
  return wholeDuration(scope, field, value, SECONDS_OR_NONE);
}

/**
 * The scope and id of a construct imported by name (`IstioGateway.fromGatewayName`,
 * `Waypoint.fromWaypointName`), which JavaScript callers could pass as anything.
 */
export function checkImportScope(entry: string, scope: unknown, id: unknown, what: string, idExample: string): void {
  if (!Construct.isConstruct(scope)) fail(entry, 'scope', 'must be a construct: a Chart or a construct inside one', scope, `pass the chart of the apps that use the ${what}`);
  if (typeof id !== 'string' || id === '') fail(entry, 'id', 'must be a non-empty string', id, `e.g. ${JSON.stringify(idExample)}`);
}

/** An import declares itself to its chart's route check, so it must stand in a chart. `kind` names it in the message. */
export function checkImportInChart(imported: Construct, scope: Construct, what: string, kind: string): void {
  if (!imported.node.scopes.some(c => Chart.isChart(c))) {
    fail(imported, 'scope', `must be a Chart or inside one, whose route check then knows that the ${kind} lives outside it`,
      scope.node.path || scope.constructor.name, `import the ${what} into a chart, e.g. the chart of the apps that use it`);
  }
}
