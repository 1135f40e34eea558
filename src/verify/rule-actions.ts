/**
 * What each rule does with a request, as Istio's validation requires it (validateHTTPRouteConflict,
 * validateTCPRoute, validateTLSRoute): an http rule routes, redirects or answers directly, exactly
 * one of them, unless it delegates, and only a route may fault or rewrite; a tcp or tls rule routes. The webhook refuses the whole
 * VirtualService otherwise; the CRD's schema lets it through.
 */

import { Graph, ManifestObject } from './graph';
import { isObjectLike, list, own } from './json';
import { REJECTED } from './route-destinations';
import { Finding, finding } from './types';

export function checkRuleActions(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => [
    ...list(vs.spec, 'http').flatMap((rule, i) => (isObjectLike(rule) ? checkHttpRule(vs, rule, `spec.http[${i}]`) : [])),
    ...['tcp', 'tls'].flatMap(protocol => list(vs.spec, protocol).flatMap((rule, i) => (isObjectLike(rule) && list(rule, 'route').length === 0
      ? [refused(vs, `spec.${protocol}[${i}]`, `this ${protocol} rule has no route`, 'add the route its connections take')]
      : []))),
  ]);
}

const ACTIONS = ['route', 'redirect', 'directResponse'];

function checkHttpRule(vs: ManifestObject, rule: unknown, path: string): Finding[] {
  // A rule that delegates is checked as such (delegates.ts).
  if (own(rule, 'delegate') !== undefined) return [];
  const actions = ACTIONS.filter(key => (key === 'route' ? list(rule, key).length > 0 : isObjectLike(own(rule, key))));
  const mirrors = isObjectLike(own(rule, 'mirror')) && list(rule, 'mirrors').length > 0;
  // A redirect or direct response sends nothing upstream for a fault or rewrite to act on.
  const answered = actions.find(action => action !== 'route');
  const idle = answered === undefined ? [] : UPSTREAM_ONLY.filter(key => isObjectLike(own(rule, key)));
  return [
    ...actions.length === 0 ? [refused(vs, path, 'this http rule has no route, redirect or directResponse', 'add the one it should take')] : [],
    ...actions.length > 1 ? [refused(vs, path, `this http rule has both ${actions.join(' and ')}`, 'keep one of them')] : [],
    ...idle.map(key => refused(vs, path, `this http rule has both ${answered} and ${key}`, `drop ${key}, which a ${answered} leaves nothing to act on`)),
    ...mirrors ? [refused(vs, path, 'this http rule has both mirror and mirrors', 'move mirror into mirrors')] : [],
  ];
}

const UPSTREAM_ONLY = ['fault', 'rewrite'];

function refused(vs: ManifestObject, path: string, fault: string, fix: string): Finding {
  return finding('rule-action-invalid', vs.id, path, `${fault}, ${REJECTED}; ${fix}`);
}
