import { writeSync } from 'fs';
import type { IConstruct } from 'constructs';
import { printable } from './diagram/text';
import { show } from './show';

/**
 * How a refused input reaches a user who runs the app under `cdk8s synth`. Uncaught, node would
 * print the message inside a code frame of this library and a stack trace through it, which hides
 * the one line the user needs. So an uncaught refusal is printed as its message alone, each line
 * after `error: ` as the `synth` command prints it, and the process exits 1, as node's own handler
 * would have it. A refusal that the app catches, or one in a process with a handler of its own
 * for uncaught errors, is left alone.
 */
const refusals = new WeakSet<object>();
/** cdk8s throws the route check's errors in an error of its own, recognised by its first words. */
const VALIDATION_FAILED = 'Validation failed with the following errors:';
/** The route checks' failing lines: cdk8s's error is ours only where it holds one of them. */
const validationLines = new Set<string>();
let watching = false;

/**
 * Where a refused value was given: a construct, or the static entry that took it, such as
 * `StringMatch.regex`.
 */
export type Scope = IConstruct | string;

/**
 * Refuses `value`, given as `field` at `scope`, in the one form of every prop and argument error:
 * `<construct path or entry>: <field> <problem>, got <value>; <fix>`, on one line, so that a user
 * can find the line to change without reading our code.
 */
export function fail(scope: Scope, field: string, problem: string, value: unknown, fix: string): never {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  refuse(printable(`${where}: ${field} ${problem}, got ${show(value)}; ${fix}`));
}

/** Throws a refusal of the user's input. */
export function refuse(message: string): never {
  const error = new Error(message);
  refusals.add(error);
  watchUncaught();
  throw error;
}

/** Notes the route check's failing lines, which cdk8s is about to throw in an error of its own. */
export function refuseValidation(lines: readonly string[]): void {
  for (const line of lines) validationLines.add(line);
  watchUncaught();
}

function watchUncaught(): void {
  if (watching) return;
  watching = true;
  process.on('uncaughtExceptionMonitor', printRefusal);
}

function printRefusal(error: unknown): void {
  if (!isRefusal(error) || process.listenerCount('uncaughtException') > 0 || process.hasUncaughtExceptionCaptureCallback()) return;
  // A construct id or an object's name may hold a terminal escape.
  writeSync(2, error.message.split('\n').map(line => `error: ${printable(line)}\n`).join(''));
  process.exit(1);
}

function isRefusal(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return refusals.has(error) || (error.message.startsWith(VALIDATION_FAILED) && [...validationLines].some(line => error.message.includes(line)));
}
