import { Graph, ManifestObject } from './graph';
import { own, show } from './json';
import { WeightedRoute, weightedRoutes } from './routes';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** Weights are proto int32 fields. */
const MAX_WEIGHT = 2 ** 31 - 1;

/** Checks route weights as Istio validates them: whole numbers, and a positive (or, before 1.15, a 100) total. */
export function checkWeights(graph: Graph, settings: Settings): Finding[] {
  return graph.virtualServices.flatMap(vs => weightedRoutes(vs).flatMap(route => checkRoute(vs, route, settings)));
}

function checkRoute(vs: ManifestObject, route: WeightedRoute, settings: Settings): Finding[] {
  const weights = route.entries.map(entry => own(entry, 'weight') ?? 0);
  const invalid = weights.flatMap((weight, j) => isWeight(weight) ? [] : [finding('weight-invalid', vs.id, `${route.path}[${j}].weight`,
    `weight ${show(weight)} is not a whole number from 0 to ${MAX_WEIGHT}, which Istio rejects; use an integer such as 90`)]);
  // A single destination takes all traffic whatever its weight; totals matter only for a split.
  if (invalid.length > 0 || weights.length < 2) return invalid;
  const total = weights.reduce<number>((sum, weight) => sum + Number(weight), 0);
  if (total === 0) {
    return [finding('weight-sum-zero', vs.id, route.path,
      `the ${weights.length} destinations have weights adding up to 0 (a missing weight counts as 0), which Istio rejects; `
      + `give the destinations that should take traffic positive weights`)];
  }
  if (!settings.requireWeightSum100 || total === 100) return [];
  return [finding('weight-sum-not-100', vs.id, route.path,
    `the weights add up to ${total}, and Istio before 1.15 rejects any total but 100; scale them to add up to 100`)];
}

function isWeight(weight: unknown): weight is number {
  return typeof weight === 'number' && Number.isInteger(weight) && weight >= 0 && weight <= MAX_WEIGHT;
}
