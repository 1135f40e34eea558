import { Duration } from 'cdk8s';
import { RE2JS } from 're2js';
import type { HttpPolicySpec } from './model';
import { istioDuration } from './duration';
import { isCookieValue, isHeaderName } from './names';
import { prune } from './traffic-policy';
import { checkInstance, checkLabelMap, checkString, checkToken, checkVersionLabel, fail } from './validate';

/**
 * Request matching and per-route behaviour, with Istio's field names (`headers`, `queryParams`,
 * `sourceLabels`, `mirrorPercentage`, `retries`, `fault`), for tester routes ahead of the split.
 */

/** The longest regex Istio's webhook takes (`validateStringRegexp`), in characters. */
export const MAX_REGEX = 1024;

/** How a string is compared: Istio's `StringMatch`. */
export class StringMatch {
  /** Equal to `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch({ exact: checkString('StringMatch.exact', 'value', value, '"yes"') });
  }

  /** Starting with `value`, which is not empty (Istio refuses an empty prefix). */
  public static prefix(value: string): StringMatch {
    const entry = 'StringMatch.prefix';
    const text = checkString(entry, 'value', value, '"eu-"');
    if (text === '') fail(entry, 'value', 'must not be empty, which Istio refuses', text, 'match any value with StringMatch.regex(".*")');
    return new StringMatch({ prefix: text });
  }

  /**
   * Matching the RE2 regular expression `value` as a whole: at most 1024 characters, in the syntax
   * of RE2 (https://github.com/google/re2/wiki/Syntax), which has no lookaround or backreferences.
   */
  public static regex(value: string): StringMatch {
    return new StringMatch({ regex: checkRegex(value) });
  }

  private constructor(
    /** The condition as Istio writes it, e.g. `{ exact: 'yes' }`. */
    public readonly spec: StringMatchSpec,
  ) {}

  /** How the condition reads in error messages: as Istio writes it. */
  public toJSON(): StringMatchSpec {
    return this.spec;
  }
}

/**
 * Istio compiles a regex with Go's RE2 package and refuses one it cannot compile, or one longer
 * than 1024 characters; RE2JS is a port of that syntax.
 */
function checkRegex(value: string): string {
  const entry = 'StringMatch.regex';
  const regex = checkString(entry, 'value', value, '"eu-.*"');
  if (regex === '') fail(entry, 'value', 'must not be empty, which Istio refuses', regex, 'match any value with ".*"');
  if (regex.length > MAX_REGEX) {
    fail(entry, 'value', `must be at most ${MAX_REGEX} characters, as Istio takes a regex`, regex, 'match a shorter pattern, e.g. a prefix with StringMatch.prefix');
  }
  const error = re2Error(regex);
  if (error) {
    fail(entry, 'value', `must be an RE2 regular expression, as Istio compiles it (${error})`, regex,
      'rewrite it in RE2 syntax (https://github.com/google/re2/wiki/Syntax), which has no lookaround or backreferences');
  }
  return regex;
}

function re2Error(regex: string): string | undefined {
  try {
    RE2JS.compile(regex);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A string condition as Istio's `StringMatch` writes it: one of its fields is set. */
export interface StringMatchSpec {
  /**
   * Equal to this.
   * @default - not an exact match
   */
  readonly exact?: string;

  /**
   * Starting with this.
   * @default - not a prefix match
   */
  readonly prefix?: string;

  /**
   * Matching this RE2 regular expression as a whole.
   * @default - not a regex match
   */
  readonly regex?: string;
}

/** One condition on a request. The conditions of one tester route must all hold. */
export class RouteMatch {
  /**
   * A request header, e.g. `RouteMatch.header('x-tester', StringMatch.exact('yes'))`. Names are
   * HTTP tokens in lower case, as Istio wants them.
   */
  public static header(name: string, value: StringMatch): RouteMatch {
    const entry = 'RouteMatch.header';
    checkToken(entry, 'name', name, 'a lower-case header name', '"x-tester"', isHeaderName);
    return new RouteMatch({ headers: { [name]: checkStringMatch(entry, value) } });
  }

  /**
   * A cookie with this exact value. Istio has no cookie match of its own, so this is a regex on
   * the `cookie` header that finds the pair anywhere in it.
   */
  public static cookie(name: string, value: string): RouteMatch {
    const entry = 'RouteMatch.cookie';
    checkToken(entry, 'name', name, 'a cookie name', '"beta"');
    if (typeof value !== 'string' || !isCookieValue(value)) {
      fail(entry, 'value', 'must be a cookie value (printable ASCII without space, \'"\', \',\', \';\' or \'\\\')', value, 'e.g. "on"');
    }
    const regex = cookieRegex(name, value);
    if (regex.length > MAX_REGEX) {
      fail(entry, 'value', `makes with the name a regex of ${regex.length} characters, more than the ${MAX_REGEX} Istio takes`,
        value, 'use a shorter cookie name or value');
    }
    return new RouteMatch({ headers: { cookie: { regex } } });
  }

  /** A query parameter, e.g. `RouteMatch.queryParam('canary', StringMatch.exact('1'))`, named by an HTTP token. */
  public static queryParam(name: string, value: StringMatch): RouteMatch {
    const entry = 'RouteMatch.queryParam';
    checkToken(entry, 'name', name, 'a query parameter name', '"canary"');
    return new RouteMatch({ queryParams: { [name]: checkStringMatch(entry, value) } });
  }

  /** Requests from in-mesh callers whose pods carry these labels, e.g. `{ app: 'qa-runner' }`: one label or more. */
  public static sourceLabels(labels: { [key: string]: string }): RouteMatch {
    const entry = 'RouteMatch.sourceLabels';
    const example = '{ app: "qa-runner" }';
    const checked = checkLabelMap(entry, 'labels', labels, example);
    if (Object.keys(checked).length === 0) fail(entry, 'labels', 'must hold at least one label, or every caller would match', labels, `e.g. ${example}`);
    return new RouteMatch({ sourceLabels: { ...checked } });
  }

  private constructor(
    /** The condition as part of an Istio `HTTPMatchRequest`. */
    public readonly spec: MatchSpec,
  ) {}

  /** How the condition reads in error messages: as Istio writes it. */
  public toJSON(): MatchSpec {
    return this.spec;
  }
}

/** The value's condition, made by StringMatch. */
function checkStringMatch(entry: string, value: StringMatch): StringMatchSpec {
  return checkInstance(entry, 'value', value, StringMatch, 'StringMatch.exact("yes")').spec;
}

/** Part of an Istio `HTTPMatchRequest`. */
export interface MatchSpec {
  /**
   * Request headers by lower-case name.
   * @default - no condition on headers
   */
  readonly headers?: { readonly [name: string]: StringMatchSpec };

  /**
   * Query parameters by name.
   * @default - no condition on query parameters
   */
  readonly queryParams?: { readonly [name: string]: StringMatchSpec };

  /**
   * Labels that the calling pods carry; in-mesh callers only.
   * @default - no condition on the caller
   */
  readonly sourceLabels?: { readonly [key: string]: string };

  /**
   * The HTTP authority (the `Host` header), which may carry a port.
   * @default - no condition on the authority
   */
  readonly authority?: StringMatchSpec;
}

/** A regex for a cookie header that holds `name=value`, wherever it stands among the cookies. */
export function cookieRegex(name: string, value: string): string {
  return `^(.*;\\s*)?${quoteRegex(name)}=${quoteRegex(value)}(;.*)?$`;
}

/** Text as a regular expression that matches it literally (RE2, as Istio and Gateway API take them). */
export function quoteRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The version a route sends its requests to. */
export class RouteTarget {
  /** The version with this `version` label. */
  public static version(version: string): RouteTarget {
    return new RouteTarget('version', checkVersionLabel('RouteTarget.version', 'version', version));
  }

  /** A canary app's canary version. */
  public static canary(): RouteTarget {
    return new RouteTarget('canary');
  }

  /** A canary app's stable version. */
  public static stable(): RouteTarget {
    return new RouteTarget('stable');
  }

  /** A blue/green app's colour that takes no traffic now; it follows `active` when that switches. */
  public static idle(): RouteTarget {
    return new RouteTarget('idle');
  }

  private constructor(
    /** How the target is named: `version`, `canary`, `stable` or `idle`. */
    public readonly kind: string,
    /**
     * The version label that `RouteTarget.version(...)` names; undefined for the other targets.
     * (Named apart from the static `version`: one name may not be both, in jsii's languages.)
     */
    public readonly versionLabel?: string,
  ) {}

  /** For error messages. */
  public toString(): string {
    return this.versionLabel === undefined ? `RouteTarget.${this.kind}()` : `RouteTarget.version(${JSON.stringify(this.versionLabel)})`;
  }

  /** For error messages that show the props a target is part of: as it was written. */
  public toJSON(): string {
    return this.toString();
  }
}

/** Retries of a route, as Istio's `HTTPRetry`. */
export interface RetryOptions {
  /** How many times a request is retried. */
  readonly attempts: number;

  /**
   * The timeout of each try.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;

  /**
   * The conditions to retry on, e.g. `['5xx', 'reset', 'connect-failure']`.
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: string[];
}

/** Fault injection of a route, as Istio's `HTTPFaultInjection`, for testing resilience. */
export interface FaultOptions {
  /**
   * A delay added before the request is forwarded.
   * @default - no delay
   */
  readonly delay?: Duration;

  /**
   * The percentage of requests that are delayed, a double from 0 to 100.
   * @default 100
   */
  readonly delayPercentage?: number;

  /**
   * The HTTP status of requests that are aborted.
   * @default - no abort
   */
  readonly abortHttpStatus?: number;

  /**
   * The percentage of requests that are aborted, a double from 0 to 100.
   * @default 100
   */
  readonly abortPercentage?: number;
}

/** How a route behaves: Istio's `timeout`, `retries` and `fault` of an HTTP route. */
export interface RoutePolicy {
  /**
   * The timeout of a request.
   * @default - Istio's default: none
   */
  readonly timeout?: Duration;

  /**
   * Retries.
   * @default - Istio's default: 2 attempts
   */
  readonly retries?: RetryOptions;

  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: FaultOptions;
}

/** A tester route: requests that match go to one version, ahead of the weighted split. */
export interface TesterRoute {
  /** The conditions, which must all hold, e.g. `[RouteMatch.header('x-tester', StringMatch.exact('yes'))]`. */
  readonly when: RouteMatch[];

  /** The version that matching requests go to. */
  readonly to: RouteTarget;

  /**
   * The route's name in the VirtualService.
   * @default - `tester-1`, `tester-2`, … in the order given
   */
  readonly name?: string;
}

/** Shadow traffic: a copy of the requests goes to a version, and its answers are dropped. */
export interface MirrorOptions {
  /** The version that receives the copies. */
  readonly to: RouteTarget;

  /**
   * The percentage of requests copied, a double from 0 to 100 (Istio's `mirrorPercentage`).
   * @default 100
   */
  readonly percentage?: number;
}

/** Keeps a user on the version they first got, with a cookie and no controller. */
export interface StickySessionOptions {
  /**
   * The cookie that names the version.
   * @default - `<app name>-version`
   */
  readonly cookieName?: string;

  /**
   * How long a user stays on their version.
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/** The policy as Istio's HTTP route fields, or undefined when nothing is set. */
export function routePolicySpec(policy: RoutePolicy | undefined): HttpPolicySpec | undefined {
  if (!policy) return undefined;
  const { retries, fault } = policy;
  const d = (duration?: Duration) => duration && istioDuration(duration);
  const percent = (value: number | undefined) => ({ value: value ?? 100 });
  return prune({
    timeout: d(policy.timeout),
    retries: retries && prune({ attempts: retries.attempts, perTryTimeout: d(retries.perTryTimeout), retryOn: retries.retryOn?.join(',') }),
    fault: fault && prune({
      delay: fault.delay && { fixedDelay: d(fault.delay), percentage: percent(fault.delayPercentage) },
      abort: fault.abortHttpStatus === undefined ? undefined : { httpStatus: fault.abortHttpStatus, percentage: percent(fault.abortPercentage) },
    }),
  });
}
