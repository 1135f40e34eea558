import { Graph, ManifestObject, objectsOfKind } from '../verify/graph';
import { resolveHost, serviceFqdn } from '../verify/hosts';
import { isObjectLike, list, own, record, text } from '../verify/json';
import { asText } from './text';

/**
 * What Argo Rollouts makes of the routes it manages: a Rollout's template is the new version (the
 * canary, or blue/green's preview), and the stable (or active) pods are whatever revision ran
 * before, which no manifest holds. The Services or DestinationRule subsets of its roles name which
 * target of a VirtualService is which, and its steps say how the weights move.
 */

/** One Rollout's roles in a VirtualService: the target key of each role, and the plan. */
export interface ArgoRoles {
  readonly rollout: ManifestObject;
  /** Target key → role (`stable`, `canary`, `active`, `preview`). */
  readonly roles: ReadonlyMap<string, string>;
  /** `plan: setWeight 50 → pause 600s`, or blue/green's promotion. */
  readonly plan: string;
  /** The routes of the VirtualService it sets the weights of; empty for every route (blue/green, or Services alone). */
  readonly routes: readonly string[];
}

/** The Rollouts that route through `vs`, by its name in `trafficRouting.istio`, or through its Services (blue/green). */
export function argoRolesIn(graph: Graph, vs: ManifestObject, targetKey: (host: string, subset?: string) => string): ArgoRoles[] {
  return objectsOfKind(graph, 'argoproj.io', 'Rollout').filter(o => o.namespace === vs.namespace).flatMap(rollout => {
    const canary = record(record(rollout.spec, 'strategy'), 'canary');
    const blueGreen = record(record(rollout.spec, 'strategy'), 'blueGreen');
    const service = (field: string, from: unknown) => {
      const name = text(from, field);
      return name === undefined ? undefined : serviceFqdn(name, rollout.namespace);
    };
    if (Object.keys(blueGreen).length > 0) {
      const roles = new Map<string, string>();
      const active = service('activeService', blueGreen);
      const preview = service('previewService', blueGreen);
      if (active) roles.set(targetKey(active), 'active');
      if (preview) roles.set(targetKey(preview), 'preview');
      return roles.size > 0 ? [{ rollout, roles, plan: blueGreenPlan(blueGreen), routes: [] }] : [];
    }
    const istio = record(record(canary, 'trafficRouting'), 'istio');
    const managed = virtualServices(istio).find(v => text(v, 'name') === vs.name);
    if (!managed) return [];
    const roles = new Map<string, string>();
    const rule = record(istio, 'destinationRule');
    const host = text(rule, 'name') === undefined ? undefined : resolveHost(text(rule, 'name')!, rollout.namespace);
    for (const [field, role] of [['stableSubsetName', 'stable'], ['canarySubsetName', 'canary']] as const) {
      const subset = text(rule, field);
      if (host && subset) roles.set(targetKey(host, subset), role);
    }
    for (const [field, role] of [['stableService', 'stable'], ['canaryService', 'canary']] as const) {
      const host = service(field, canary);
      if (host) roles.set(targetKey(host), role);
    }
    const routes = list(managed, 'routes').filter((r): r is string => typeof r === 'string');
    return [{ rollout, roles, plan: canaryPlan(canary), routes }];
  });
}

function virtualServices(istio: unknown): unknown[] {
  const one = own(istio, 'virtualService');
  return [...isObjectLike(one) ? [one] : [], ...list(istio, 'virtualServices')];
}

/** `plan: setWeight 10 → pause → setWeight 50 → pause 600s`, each step in short form. */
function canaryPlan(canary: unknown): string {
  const steps = list(canary, 'steps').map(stepText).filter(s => s !== '');
  return steps.length > 0 ? `plan: ${steps.join(' → ')}` : 'plan: straight to the new version';
}

function stepText(step: unknown): string {
  const weight = own(step, 'setWeight');
  if (typeof weight === 'number') return `${weight}%`;
  const pause = own(step, 'pause');
  if (isObjectLike(pause)) return own(pause, 'duration') === undefined ? 'pause until promoted' : `pause ${asText(own(pause, 'duration'))}`;
  if (isObjectLike(own(step, 'analysis'))) return 'analysis';
  const route = text(own(step, 'setHeaderRoute'), 'name') ?? text(own(step, 'setMirrorRoute'), 'name');
  if (route !== undefined) return `${isObjectLike(own(step, 'setHeaderRoute')) ? 'header' : 'mirror'} route ${route}`;
  const scale = own(own(step, 'setCanaryScale'), 'weight');
  return typeof scale === 'number' ? `canary pods ${scale}%` : '';
}

function blueGreenPlan(blueGreen: unknown): string {
  const auto = own(blueGreen, 'autoPromotionEnabled') !== false;
  const delay = own(blueGreen, 'autoPromotionSeconds');
  const promotion = !auto ? 'promote by hand' : typeof delay === 'number' ? `promote after ${delay}s` : 'promote when ready';
  return `plan: preview the new version, then ${promotion}`;
}
