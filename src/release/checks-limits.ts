import { Construct } from 'constructs';
import { isDns1035Label } from '../names';
import { fail } from '../validate';

/**
 * The upper bounds of what the controllers and the API server read. The props take any whole
 * number of seconds, and names made longer by suffixes, and a value past these would be emitted,
 * then rejected or misread in the cluster.
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

/** A Service's name is a DNS-1035 label: 63 characters at most. */
const MAX_SERVICE_NAME = 63;

/** The prop whose value makes a Service's name too long, as the error names it, and how to shorten it. */
export interface ServiceNameSource {
  readonly field: string;
  readonly value: unknown;
  readonly fix: string;
}

/** A Service the release makes, for `purpose` ("for Flagger"): its name, made from the props, must be a DNS-1035 label. */
export function checkServiceName(scope: Construct, service: string, purpose: string, source: ServiceNameSource): void {
  if (!isDns1035Label(service)) {
    fail(scope, source.field, `needs a Service named ${JSON.stringify(service)} ${purpose}, longer than ${MAX_SERVICE_NAME} characters`,
      source.value, source.fix);
  }
}

/** The app's name, as what makes a Service `<name>-<suffix>` too long: shortened by as much as the suffix takes. */
export function appNameSource(appName: string, service: string): ServiceNameSource {
  const room = MAX_SERVICE_NAME - (service.length - appName.length);
  return { field: 'name', value: appName, fix: `shorten the app name to ${room} characters or fewer` };
}
