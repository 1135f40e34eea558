import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { isDns1035Label, isDns1123Label, isHost, isLabelValue } from './names';
import { refuse } from './refusal';
import { DisruptionBudget } from './scaling';
import { millisText } from './traffic-policy';

/**
 * Prop checks shared by the constructs. Every error reads
 * `<construct path>: <field> <what is wrong>, got <value>; <how to fix it>`, so that a user can find
 * the line to change without reading our code.
 */
export function fail(scope: Construct, field: string, problem: string, value: unknown, fix: string): never {
  refuse(`${scope.node.path}: ${field} ${problem}, got ${show(value)}; ${fix}`);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value, readable) ?? String(value);
  } catch {
    // A construct reference (a kplus Volume over a ConfigMap) is circular: name what it is instead.
    return `a ${(value as object).constructor?.name ?? 'value'}`;
  }
}

/** A Duration's own fields are its unit's internals, so it shows as Istio writes it. */
function readable(_key: string, value: unknown): unknown {
  return value instanceof Duration ? millisText(value.toMilliseconds({ integral: false })) : value;
}

/** The largest count Kubernetes and Istio accept (int32). */
const MAX_INT32 = 2 ** 31 - 1;

/** Checks that a value is one of an enum's: JavaScript callers can pass anything. */
export function checkEnum<T extends string>(scope: Construct, field: string, value: T, values: { [key: string]: T }): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value)) fail(scope, field, `must be one of ${JSON.stringify(allowed)}`, value, `use e.g. ${JSON.stringify(allowed[0])}`);
  return value;
}

/** Istio takes whole milliseconds, 1ms or more (its CRDs' CEL rules). */
export function checkDuration(scope: Construct, field: string, value: Duration | undefined): void {
  if (value !== undefined) wholeDuration(scope, field, value, MILLIS);
}

/** The controllers (Argo Rollouts, Flagger) take whole seconds, 1 or more. */
export function wholeSeconds(scope: Construct, field: string, value: Duration): number {
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
function wholeDuration(scope: Construct, field: string, value: Duration, unit: DurationUnit): number {
  const amount = value instanceof Duration ? unit.amount(value) : NaN;
  if (!Number.isInteger(amount) || amount < unit.min) fail(scope, field, unit.problem, value instanceof Duration ? `${amount}${unit.suffix}` : value, unit.example);
  return amount;
}

/** A switch that JavaScript callers could pass as anything, such as the string "yes". */
export function checkBoolean(scope: Construct, field: string, value: boolean): boolean {
  if (typeof value !== 'boolean') fail(scope, field, 'must be true or false', value, 'e.g. true');
  return value;
}

/** A count such as a connection limit: a whole number, 0 or more, that fits in int32. */
export function checkCount(scope: Construct, field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_INT32)) {
    fail(scope, field, 'must be a whole number, 0 or more', value, 'use e.g. 100');
  }
}

/** A value JavaScript callers could leave out although the types require it. */
export function checkGiven<T>(scope: Construct, field: string, value: T | undefined, example: string): T {
  if (value === undefined || value === null || typeof value !== 'object') fail(scope, field, 'must be given', value, `e.g. ${example}`);
  return value;
}

export function checkPercent(scope: Construct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    fail(scope, field, 'must be a whole percentage from 0 to 100', value, 'use an integer such as 10');
  }
  return value;
}

/** A percentage that may have decimals, as Istio's `Percent` and Prometheus thresholds take it. */
export function checkPercentage(scope: Construct, field: string, value: number, example = '10 or 0.5'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, field, 'must be a percentage from 0 to 100', value, `use e.g. ${example}`);
  }
  return value;
}

export function checkPort(scope: Construct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    fail(scope, field, 'must be an integer port from 1 to 65535', value, 'use a port such as 80 or 8080');
  }
  return value;
}

export function checkPositive(scope: Construct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_INT32) fail(scope, field, 'must be a whole number, 1 or more', value, 'use e.g. 2');
  return value;
}

export function checkBudget(scope: Construct, budget: DisruptionBudget): void {
  if (!(budget instanceof DisruptionBudget)) {
    fail(scope, 'disruptionBudget', 'must be made by DisruptionBudget', budget, 'use e.g. DisruptionBudget.minAvailable(1)');
  }
  const field = `disruptionBudget.${budget.field}`;
  if (!Number.isInteger(budget.amount) || budget.amount < 0 || (budget.percent && budget.amount > 100)) {
    const range = budget.percent ? 'a whole percentage from 0 to 100' : 'a whole number of pods, 0 or more';
    fail(scope, field, `must be ${range}`, budget.amount, budget.percent ? 'use e.g. 50' : 'use e.g. 1');
  }
}

export function checkReplicas(scope: Construct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    fail(scope, field, 'must be a whole number of replicas, 0 or more', value, 'use e.g. 2');
  }
  return value;
}

export function checkNamespace(scope: Construct, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1123Label(value)) {
    fail(scope, field, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)', value, 'e.g. "shop"');
  }
  return value;
}

/** Service names are DNS-1035 labels, stricter than other objects': they must start with a letter. */
export function checkAppName(scope: Construct, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1035Label(value)) {
    fail(scope, field, 'must be a DNS-1035 label (a lower-case letter, then letters, digits and "-", at most 63)', value, 'e.g. "web"');
  }
  return value;
}

export function checkHosts(scope: Construct, field: string, hosts: string[]): string[] {
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

export function checkVersionLabel(scope: Construct, field: string, value: string): string {
  if (typeof value !== 'string' || value === '' || !isLabelValue(value)) {
    fail(scope, field, 'must be a non-empty label value (alphanumerics, with "-", "_" or "." inside, at most 63)', value, 'e.g. "v2" or "1.11"');
  }
  return value;
}

export function checkImage(scope: Construct, field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) {
    fail(scope, field, 'must be a container image reference without spaces', value, 'e.g. "nginx:1.11"');
  }
  return value;
}

/** A list that JavaScript callers could pass as anything. */
export function checkList<T>(scope: Construct, field: string, value: T[] | undefined, example: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(scope, field, 'must be a list', value, `e.g. ${example}`);
  return value;
}

/** A map of names to strings, such as labels, checked key by key. */
export function checkStringMap(
  scope: Construct, field: string, value: { [key: string]: string } | undefined, isKey: (key: string) => boolean, keyRule: string, example: string,
): { [key: string]: string } {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(scope, field, 'must be a map of names to strings', value, `e.g. ${example}`);
  for (const [key, text] of Object.entries(value)) {
    if (!isKey(key)) fail(scope, field, `must have keys that are ${keyRule}`, key, `e.g. ${example}`);
    if (typeof text !== 'string') fail(scope, `${field}[${JSON.stringify(key)}]`, 'must be a string', text, 'quote numbers and booleans, e.g. "true"');
  }
  return value;
}

/** A value of a cdk8s-plus class, made by its factories, that JavaScript callers could pass as anything. */
export function checkInstance<T>(scope: Construct, field: string, value: unknown, type: { readonly prototype: T; readonly name: string }, example: string): T {
  // Some cdk8s-plus classes have private constructors, which a constructor type would not accept.
  if (!(value instanceof (type as unknown as new () => T))) fail(scope, field, `must be ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name}`, value, `use e.g. ${example}`);
  return value as T;
}

/** Whole seconds, 0 or more, such as a grace period. */
export function checkSeconds(scope: Construct, field: string, value: Duration): number {
  return wholeDuration(scope, field, value, SECONDS_OR_NONE);
}
