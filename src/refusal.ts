import { writeSync } from 'fs';

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
let validationRefused = false;
let watching = false;

/** Throws a refusal of the user's input. */
export function refuse(message: string): never {
  const error = new Error(message);
  refusals.add(error);
  watchUncaught();
  throw error;
}

/** Notes that the route check has errors, which cdk8s is about to throw as its own. */
export function refuseValidation(): void {
  validationRefused = true;
  watchUncaught();
}

function watchUncaught(): void {
  if (watching) return;
  watching = true;
  process.on('uncaughtExceptionMonitor', printRefusal);
}

function printRefusal(error: unknown): void {
  if (!isRefusal(error) || process.listenerCount('uncaughtException') > 0 || process.hasUncaughtExceptionCaptureCallback()) return;
  writeSync(2, error.message.split('\n').map(line => `error: ${line}\n`).join(''));
  process.exit(1);
}

function isRefusal(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return refusals.has(error) || (validationRefused && error.message.startsWith(VALIDATION_FAILED));
}
