import { verifyProgression, StageFinding } from './progression';
import { CODES, Finding, Severity, VerifyOptions } from './types';
import { verifyManifests } from './verify-manifests';

/**
 * Route checks over plain manifest JSON, from any source: the objects of a synthesized chart
 * (`Testing.synth(chart)`), YAML loaded with `Yaml.load`, or hand-written objects. Every finding
 * has a stable code, documented in `docs/findings.md`.
 *
 * In TypeScript, the functions `verifyManifests` and `verifyProgression` and the constant `CODES`
 * are the same API under their earlier names.
 */
export class Verify {
  /**
   * Checks that traffic described by a set of manifests arrives somewhere: VirtualService routes
   * reach Services, subsets reach pods, Services reach workloads, gateways admit their hosts.
   * Schema validation is not repeated, and malformed fields are skipped rather than thrown on.
   *
   * @param objects the manifests, as plain JSON objects; `List` objects are spread.
   * @param options what the checks cannot see in the manifest set itself.
   * @returns the findings, sorted by object, field path and code; empty when traffic arrives.
   */
  public static manifests(objects: unknown[], options?: VerifyOptions): Finding[] {
    return verifyManifests(objects, options);
  }

  /**
   * Checks the manifest sets of consecutive release steps, as an applier would go through them:
   * each step on its own, and each step against the one before, so that no step breaks traffic
   * that the previous one left flowing (make before break).
   *
   * @param stages one manifest set per step, in the order they are applied.
   * @param options what the checks cannot see in the manifest sets themselves.
   * @returns the findings of every step, each with the index of its step in `stages`.
   */
  public static progression(stages: unknown[][], options?: VerifyOptions): StageFinding[] {
    return verifyProgression(stages, options);
  }

  /**
   * Every finding code with its one severity. A code never changes severity with context, so
   * tools can filter on codes alone.
   *
   * @returns a new map from each code (e.g. `subset-not-found`) to its severity; changing it
   * changes nothing else.
   */
  public static codes(): { [code: string]: Severity } {
    return { ...CODES };
  }

  private constructor() {}
}
