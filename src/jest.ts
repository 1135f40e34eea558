/**
 * jest matchers for charts and manifest sets, registered when this module is loaded:
 * `setupFilesAfterEnv: ['cdk8s-istio-release/jest']` in jest's config.
 *
 * ```ts
 * expect(chart).toSplitTraffic('reviews', { v1: 90, v2: 10 });
 * expect(chart).toHaveNoRouteFindings();
 * expect(objects).toHaveRouteFinding('subset-not-found');
 * ```
 *
 * @module cdk8s-istio-release/jest
 */

import { Chart } from 'cdk8s';
import { chartObjects, formatFinding, RouteCheck } from './route-check';
import { Finding, verifyManifests } from './verify';

/** What jest expects back from a matcher. */
export interface RouteMatcherResult {
  /** Whether the expectation holds. */
  readonly pass: boolean;
  /** The failure message, built only when jest reports it. */
  readonly message: () => string;
}

/**
 * What the matchers check: a chart, or a manifest set as plain JSON objects.
 * @inline
 */
type Subject = Chart | readonly unknown[];

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The VirtualService `name` splits its weighted route as `{ subset: weight }` (host where no subset). */
      toSplitTraffic(name: string, weights: Record<string, number>): R;
      /** The route check finds nothing: no errors and no warnings. */
      toHaveNoRouteFindings(): R;
      /** The route check reports `code`, optionally for one object (`Kind/namespace/name`). */
      toHaveRouteFinding(code: string, object?: string): R;
    }
  }
}

/** A chart is read without `toJson()`, so that its own route check does not throw first. */
function objectsOf(subject: Subject): readonly unknown[] {
  return subject instanceof Chart ? chartObjects(subject) : subject;
}

function findingsOf(subject: Subject): Finding[] {
  return subject instanceof Chart ? RouteCheck.of(subject).findings() : verifyManifests(subject);
}

function list(findings: Finding[]): string {
  return findings.length === 0 ? 'none' : findings.map(f => `\n  ${formatFinding(f)}`).join('');
}

/** The weights of a VirtualService's weighted route: the one named `primary`, else the last without match. */
function splitOf(subject: Subject, name: string): Record<string, number> | undefined {
  const vs: any = objectsOf(subject).find((o: any) => o?.kind === 'VirtualService' && o.metadata?.name === name);
  const http: any[] = vs?.spec?.http ?? [];
  const route = http.find(r => r.name === 'primary') ?? [...http].reverse().find(r => !r.match);
  if (!route) return undefined;
  return Object.fromEntries((route.route ?? []).map((r: any) => [r.destination?.subset ?? r.destination?.host, r.weight ?? 100]));
}

function sameSplit(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k]);
}

/**
 * The matchers, for `expect.extend(routeMatchers)` where loading this module is not an option; it
 * calls that itself when jest's global `expect` exists. Each takes the chart or manifest set first.
 */
export const routeMatchers = {
  /** The VirtualService `name` splits its weighted route as `{ subset: weight }` (host where no subset). */
  toSplitTraffic(subject: Subject, name: string, weights: Record<string, number>): RouteMatcherResult {
    const actual = splitOf(subject, name);
    const pass = actual !== undefined && sameSplit(actual, weights);
    const found = actual === undefined ? `no VirtualService ${name} with a weighted route` : JSON.stringify(actual);
    return { pass, message: () => `expected VirtualService ${name} ${pass ? 'not ' : ''}to split ${JSON.stringify(weights)}, found ${found}` };
  },

  /** The route check finds nothing: no errors and no warnings. */
  toHaveNoRouteFindings(subject: Subject): RouteMatcherResult {
    const findings = findingsOf(subject);
    return { pass: findings.length === 0, message: () => `expected route findings to be none, found ${list(findings)}` };
  },

  /** The route check reports `code`, optionally for one object (`Kind/namespace/name`). */
  toHaveRouteFinding(subject: Subject, code: string, object?: string): RouteMatcherResult {
    const findings = findingsOf(subject);
    const pass = findings.some(f => f.code === code && (object === undefined || f.object === object));
    const what = object ? `${code} on ${object}` : code;
    return { pass, message: () => `expected ${pass ? 'no ' : ''}route finding ${what}, found ${list(findings)}` };
  },
};

const jestExpect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
jestExpect?.extend(routeMatchers);
