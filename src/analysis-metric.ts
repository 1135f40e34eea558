import { isDns1123Label } from './names';
import { fail } from './refusal';

/**
 * A check of the analysis beyond the success rate and the latency: the user's own query, which
 * both controllers run, Argo Rollouts in its AnalysisTemplate and Flagger through a MetricTemplate.
 * A query names what it measures with placeholders, filled in for each controller:
 *
 * - `{{namespace}}`: the app's namespace, as the controller finds it;
 * - `{{app}}`: the app's name, its pods' `app` label;
 * - `{{version}}`: the released version, its pods' `version` label (Istio's `destination_version`);
 * - `{{window}}`: the range to look back over, e.g. `rate(x[{{window}}])`: the analysis interval,
 *   and at least a minute, as for the built-in checks.
 */
export class AnalysisMetric {
  /**
   * A PromQL query whose answer, an instant vector of one sample, must stay within `bounds` (Argo
   * Rollouts reads `result[0]`, and takes no scalar), e.g.
   * `sum(rate(http_errors_total{namespace="{{namespace}}", app="{{app}}", version="{{version}}"}[{{window}}]))`
   * with `{ max: 1 }`.
   * @param name the check's name, a DNS-1123 label unique in the analysis, e.g. `error-rate`
   * @param query the PromQL, with the placeholders `{{namespace}}`, `{{app}}`, `{{version}}` and `{{window}}`
   * @param bounds the lowest and highest answers that pass
   */
  public static prometheus(name: string, query: string, bounds: MetricRange): AnalysisMetric {
    const entry = 'AnalysisMetric.prometheus';
    if (typeof name !== 'string' || !isDns1123Label(name)) {
      fail(entry, 'name', 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)', name, 'e.g. "error-rate"');
    }
    if (BUILT_IN.includes(name)) fail(entry, 'name', 'is the name of a built-in check', name, 'give the check a name of its own, e.g. "error-rate"');
    if (typeof query !== 'string' || query.trim() === '') fail(entry, 'query', 'must be a non-empty PromQL query', query, `e.g. ${JSON.stringify(EXAMPLE)}`);
    const unknown = query.match(/\{\{[^}]*\}\}|\{\{/g)?.find(found => !PLACEHOLDERS.includes(found));
    if (unknown !== undefined) {
      fail(entry, 'query', `holds ${JSON.stringify(unknown)}, which is none of the placeholders ${PLACEHOLDERS.join(', ')}: both controllers read {{ as a template`,
        query, 'use only those placeholders');
    }
    if (typeof bounds !== 'object' || bounds === null) fail(entry, 'bounds', 'must be an object', bounds, 'e.g. { max: 1 }');
    const { min, max } = bounds;
    for (const [field, bound] of [['bounds.min', min], ['bounds.max', max]] as const) {
      if (bound !== undefined && (typeof bound !== 'number' || !Number.isFinite(bound))) fail(entry, field, 'must be a finite number', bound, 'e.g. 1');
    }
    if (min === undefined && max === undefined) fail(entry, 'bounds', 'must set min, max or both', bounds, 'e.g. { max: 1 }');
    if (min !== undefined && max !== undefined && min > max) fail(entry, 'bounds.min', `must not be above bounds.max (${max})`, min, 'swap them');
    return new AnalysisMetric(name, query, min, max);
  }

  /** The check's name. */
  public readonly name: string;
  /** The query, with its placeholders. */
  public readonly query: string;
  /** The lowest answer that passes; undefined for none. */
  public readonly min?: number;
  /** The highest answer that passes; undefined for none. */
  public readonly max?: number;

  private constructor(name: string, query: string, min: number | undefined, max: number | undefined) {
    this.name = name;
    this.query = query;
    this.min = min;
    this.max = max;
  }
}

/** The answers that pass a check. */
export interface MetricRange {
  /**
   * The lowest answer that passes.
   * @default - no lower bound
   */
  readonly min?: number;

  /**
   * The highest answer that passes.
   * @default - no upper bound
   */
  readonly max?: number;
}

/** The built-in checks' names, under both controllers and Flagger's Gateway API provider. */
const BUILT_IN = ['success-rate', 'request-duration', 'request-success-rate', 'istio-success-rate', 'istio-request-duration'];

const PLACEHOLDERS = ['{{namespace}}', '{{app}}', '{{version}}', '{{window}}'];

const EXAMPLE = 'sum(rate(http_errors_total{app="{{app}}"}[{{window}}]))';

/** What each placeholder becomes for one controller. */
export interface PlaceholderValues {
  readonly namespace: string;
  readonly app: string;
  readonly version: string;
  readonly window: string;
}

/** The query with its placeholders filled in. */
export function fillQuery(query: string, values: PlaceholderValues): string {
  return query.replace(/\{\{(namespace|app|version|window)\}\}/g, (_, key: keyof PlaceholderValues) => values[key]);
}
