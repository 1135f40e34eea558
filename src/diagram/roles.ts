import { ROLES_ANNOTATION } from '../model';
import { ManifestObject } from '../verify/graph';
import { record, text } from '../verify/json';
import { Target } from './model';

/** The roles of a release's versions, as its annotation or a controller's objects name them, put on the pictures' targets. */

/**
 * The roles a release names in its annotation (ROLES_ANNOTATION), `name=role`:
 * by subset of the route's own hosts for a VirtualService, by backend Service for a Gateway API
 * route. Empty when it names none, or not in that form.
 */
export function annotatedRoles(route: ManifestObject): ReadonlyMap<string, string> {
  const written = text(record(route.metadata, 'annotations'), ROLES_ANNOTATION) ?? '';
  const pairs = written.split(',').map(pair => pair.split('='));
  return new Map(pairs.every(pair => pair.length === 2 && pair[0] !== '' && pair[1] !== '') ? pairs.map(([name, role]) => [name, role]) : []);
}

/** The stable and active pods run the revision before the template: the manifests hold only the new one. */
export function withRole(target: Target, role: string): Target {
  const before = role === 'stable' || role === 'active';
  return {
    ...target,
    key: `${target.key} ${role}`,
    role,
    workloads: target.workloads.map(w => (w.kind === 'Rollout' && before ? { ...w, id: `${w.id} ${role}`, name: `${w.name} (${role})`, images: ['the revision before'] } : w)),
  };
}
