import { Construct } from 'constructs';
import { fail } from '../validate';

/**
 * The upper bounds of what the controllers read. The props take any whole number of seconds, and
 * a value past these would be emitted, then rejected or misread by the controller.
 */

/** Kubernetes' and the controllers' int32 fields. */
const MAX_INT32 = 2 ** 31 - 1;

/** Go's time.Duration, in which Argo Rollouts and Flagger parse `<n>s` and `<n>m`: 2^63-1 nanoseconds. */
const MAX_GO_DURATION_SECONDS = 9_223_372_036;

/** Seconds written to an int32 field, such as a Rollout's scaleDownDelaySeconds. */
export function checkInt32Seconds(scope: Construct, field: string, seconds: number, where: string): void {
  if (seconds > MAX_INT32) {
    fail(scope, field, `must be at most ${MAX_INT32} seconds, the most ${where} holds (int32)`, `${seconds}s`, 'use e.g. Duration.minutes(5)');
  }
}

/** Seconds written as a duration string, which the controller parses as a Go time.Duration. */
export function checkGoDuration(scope: Construct, field: string, seconds: number, controller: string): void {
  if (seconds > MAX_GO_DURATION_SECONDS) {
    fail(scope, field, `must be at most ${MAX_GO_DURATION_SECONDS} seconds, the longest duration ${controller} reads (Go's time.Duration)`,
      `${seconds}s`, 'use e.g. Duration.minutes(5)');
  }
}
