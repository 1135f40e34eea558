import { entryField } from '../show';
import { GATEWAY_API, Graph, ManifestObject, idList, objectsOfKind } from './graph';
import { Json, isObjectLike, labels, list, own, record, text } from './json';
import { isBoundToMesh, matchScope } from './routes';
import { formatLabels, selects } from './selectors';
import { Settings } from './settings';
import { Finding, finding } from './types';

/** The header name under which a route matches on a claim of the request's validated JWT. */
const CLAIM_HEADER = '@request.auth.claims';

/** The label Istio sets on the pods of a Kubernetes Gateway API Gateway, naming that Gateway. */
const GATEWAY_NAME_LABEL = `${GATEWAY_API}/gateway-name`;

/** A header match on a JWT claim, and the gateways whose pods evaluate it. */
interface ClaimMatch {
  readonly key: string;
  readonly path: string;
  /** `mesh` or the resolved `ns/name` of each gateway the match applies at. */
  readonly gateways: readonly string[];
}

/**
 * Istio's JWTClaimRouteAnalyzer (IST0149): a VirtualService on a gateway matches `headers` or
 * `withoutHeaders` on `@request.auth.claims…`, but no RequestAuthentication applies to the gateway's
 * pods, so no token is validated and the claim is never there to match. As Istio, the pods are those
 * in the set that the Gateway's selector picks, and the RequestAuthentications those of the pod's
 * namespace and the mesh's root namespace (istio-system unless the MeshConfig says otherwise). Where Istio reports once per VirtualService, this reports each match,
 * at the gateways that match applies at: those its own `gateways` name where the VirtualService is
 * bound to them, else its bindings. Three
 * departures: a RequestAuthentication without jwtRules validates nothing and does not count; one
 * with targetRefs applies only to the pods of the Gateway API Gateway it names, as istiod attaches it;
 * and a Gateway without selector is left alone, since which pods are gateways the set does not say.
 */
export function checkJwtClaimRoutes(graph: Graph, settings: Settings): Finding[] {
  const authentications = objectsOfKind(graph, 'security.istio.io', 'RequestAuthentication')
    .filter(o => list(o.spec, 'jwtRules').length > 0);
  // Istio refuses a VirtualService with a claim match on the mesh, so whether a gateway validates tokens for it is beside the point.
  return graph.virtualServices.flatMap(vs => claimMatches(vs).flatMap(match => (isBoundToMesh(vs)
    ? refusedOnMesh(vs, match)
    : unvalidatedAt(graph, settings, authentications, vs, match))));
}

/**
 * Istio's webhook refuses a claim match in a VirtualService that applies to the mesh: one whose
 * `gateways` list `mesh` or are none, a delegate's too (`ValidateVirtualService`), since sidecars
 * validate no token for routing.
 */
function refusedOnMesh(vs: ManifestObject, match: ClaimMatch): Finding[] {
  return [finding('jwt-claim-route-on-mesh', vs.id, match.path,
    `this match reads JWT claim ${match.key} in a VirtualService that applies to the mesh (its gateways list mesh, or none), which Istio's webhook refuses: `
    + 'claims are matched at gateways only; move the rule to a VirtualService bound to gateways alone')];
}

function unvalidatedAt(graph: Graph, settings: Settings, authentications: readonly ManifestObject[], vs: ManifestObject, match: ClaimMatch): Finding[] {
  return match.gateways.flatMap(ref => {
    const gateway = graph.gateways.get(ref);
    // A missing gateway is gateway-not-found's; an external one's pods are out of sight.
    if (!gateway) return [];
    const selector = labels(gateway.spec, 'selector');
    if (selector.size === 0) return [];
    const unvalidated = graph.workloads.filter(w => {
      const pods = w.podLabels;
      return pods !== undefined && selects(selector, pods) && !authentications.some(ra => appliesTo(ra, w.namespace, pods, settings.rootNamespace));
    });
    if (unvalidated.length === 0) return [];
    return [finding('jwt-claim-route-without-authentication', vs.id, match.path,
      `this match reads JWT claim ${match.key}, but no RequestAuthentication with jwtRules applies to the pods of `
      + `${idList(unvalidated)} behind gateway ${ref}, so they validate no token and the claim is never set for the match; `
      + `add a RequestAuthentication beside those pods or in ${settings.rootNamespace} whose selector matches their labels (${formatLabels(selector)})`)];
  });
}

/** Every `headers` and `withoutHeaders` key of an http match that names a JWT claim. */
function claimMatches(vs: ManifestObject): ClaimMatch[] {
  return list(vs.spec, 'http').flatMap((rule, i) => list(rule, 'match').flatMap((match, j) => {
    const gateways = matchGateways(vs, match);
    return ['headers', 'withoutHeaders'].flatMap(field => Object.keys(record(match, field))
      .filter(isClaimKey)
      .map(key => ({ key, path: entryField(`spec.http[${i}].match[${j}].${field}`, key), gateways })));
  }));
}

/** As istio/pkg/jwt ToRoutingClaim: the prefix in any case, then `.claim` or `[claim]` with a name. */
function isClaimKey(key: string): boolean {
  if (!key.toLowerCase().startsWith(CLAIM_HEADER)) return false;
  const claim = key.slice(CLAIM_HEADER.length);
  return (claim.startsWith('.') && claim.length > 1) || (claim.startsWith('[') && claim.endsWith(']') && claim.length > 2);
}

/** Where a match applies, each gateway once; `mesh` among them is no Gateway of the set, so it is passed over. */
function matchGateways(vs: ManifestObject, match: unknown): string[] {
  return [...new Set(matchScope(vs, match))];
}

/**
 * Whether istiod attaches a RequestAuthentication to a workload (pilot/pkg/model/policyattachment.go):
 * from the workload's namespace or the root one; by targetRefs only to a Gateway API Gateway's pods
 * in its own namespace, else by selector, where none selects every pod.
 */
function appliesTo(ra: ManifestObject, namespace: string, podLabels: ReadonlyMap<string, string>, rootNamespace: string): boolean {
  if (ra.namespace !== namespace && ra.namespace !== rootNamespace) return false;
  const refs = targetRefs(ra.spec);
  if (refs.length === 0) return selects(labels(record(ra.spec, 'selector'), 'matchLabels'), podLabels);
  const gatewayName = podLabels.get(GATEWAY_NAME_LABEL);
  return gatewayName !== undefined && ra.namespace === namespace && refs.some(ref => text(ref, 'group') === GATEWAY_API
    && text(ref, 'kind') === 'Gateway' && text(ref, 'name') === gatewayName && (text(ref, 'namespace') ?? namespace) === namespace);
}

/** `targetRefs`, or the older single `targetRef` when there are none. */
function targetRefs(spec: Json): readonly unknown[] {
  const refs = list(spec, 'targetRefs');
  const single = own(spec, 'targetRef');
  return refs.length > 0 || !isObjectLike(single) ? refs : [single];
}
