import type { Duration } from 'cdk8s';

/** Durations as Istio writes them, for the objects and for the errors that show a Duration. */

/** A duration as Istio writes it: whole milliseconds, or seconds when they are whole. */
export function istioDuration(duration: Duration): string {
  return millisText(duration.toMilliseconds());
}

/** Milliseconds as Istio writes a duration; error messages pass fractions too. */
export function millisText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
