/**
 * Whether two VirtualServices that claim one host on one gateway, or on the mesh, contend for its
 * requests, so that which of them decides depends on when each was created, which manifests do not
 * show.
 *
 * Sidecars build one virtual host per host and port, from the first VirtualService with http
 * routes for that port (route.BuildSidecarVirtualHostWrapper: one without any yields none), and tcp
 * and tls filter chains likewise: two VirtualServices contend there when both route the same
 * protocol on a port both may match.
 *
 * Gateways merge the http routes of every VirtualService for a host in creation order, then move
 * the catch-all routes to the end (route.SortVHostRoutes: a path prefix `/` or regex `.*`, with no
 * header or query condition). So two of them contend when both have a catch-all route, of which
 * the older wins, or when a match of each may accept one request. Their tcp and tls routes are
 * taken to contend whenever both have some on a port both may match. Of each VirtualService, the
 * routes istiod builds are read: none after its first catch-all (route.BuildHTTPRoutesForVirtualService).
 */

import { ManifestObject } from './graph';
import { MESH } from './hosts';
import { Json, isObjectLike, own, list, record } from './json';
import { stringCovers } from './matches';
import { ROUTE_PROTOCOLS, RouteProtocol, matchScope } from './routes';

/** Why `vs` and `rival` contend for a host at `gateway`, or undefined where they do not. */
export function contention(vs: ManifestObject, rival: ManifestObject, gateway: string): string | undefined {
  const shared = (protocols: readonly RouteProtocol[]) => protocols.find(protocol => {
    const theirs = matchesAt(rival, protocol, gateway);
    return matchesAt(vs, protocol, gateway).some(a => theirs.some(b => portsMeet(a.match, b.match)));
  });
  if (gateway === MESH) {
    const protocol = shared(ROUTE_PROTOCOLS);
    return protocol && `both have ${protocol} routes`;
  }
  const l4 = shared(['tcp', 'tls']);
  if (l4) return `both have ${l4} routes`;
  return httpContention(matchesAt(vs, 'http', gateway), matchesAt(rival, 'http', gateway), rival);
}

/** A match of a rule, or `{}` for a rule without any, and its path. */
interface PlacedMatch {
  readonly path: string;
  readonly match: Json;
}

/**
 * The matches of a protocol's rules that apply at `gateway`, as istiod builds them: a rule without
 * any applies wherever its VirtualService does, and takes everything, so nothing after it is
 * built; nor after an http match that is a catch-all. `some` stops there, and passes over holes.
 */
function matchesAt(vs: ManifestObject, protocol: RouteProtocol, gateway: string): PlacedMatch[] {
  const placed: PlacedMatch[] = [];
  list(vs.spec, protocol).some((rule, i) => {
    if (!isObjectLike(rule)) return false;
    const path = `spec.${protocol}[${i}]`;
    const matches = list(rule, 'match');
    if (matches.length === 0) {
      placed.push({ path, match: {} });
      return true;
    }
    return matches.some((match, j) => {
      if (!isObjectLike(match) || !matchScope(vs, match).includes(gateway)) return false;
      placed.push({ path: `${path}.match[${j}]`, match });
      return protocol === 'http' && isCatchAll(match);
    });
  });
  return placed;
}

function httpContention(mine: readonly PlacedMatch[], theirs: readonly PlacedMatch[], rival: ManifestObject): string | undefined {
  for (const a of mine) {
    for (const b of theirs) {
      const catchAll = isCatchAll(a.match);
      if (catchAll !== isCatchAll(b.match)) continue;
      if (catchAll && portsMeet(a.match, b.match)) {
        return `${a.path} here and ${b.path} of ${rival.id} both take every request`;
      }
      if (!catchAll && !disjoint(a.match, b.match)) {
        return `${a.path} here and ${b.path} of ${rival.id} may take the same request`;
      }
    }
  }
  return undefined;
}

/** Conditions Istio gives Envoy as header or query parameter matchers, which no catch-all route has. */
const MATCHER_FIELDS = ['headers', 'withoutHeaders', 'queryParams'];
const HEADER_FIELDS = ['method', 'authority', 'scheme'];

/** Whether a match becomes a catch-all route (route.IsCatchAllRoute), which gateways try last. */
function isCatchAll(match: Json): boolean {
  if (MATCHER_FIELDS.some(key => Object.keys(record(match, key)).length > 0)) return false;
  if (HEADER_FIELDS.some(key => isObjectLike(own(match, key)))) return false;
  const uri = own(match, 'uri');
  // No uri is a prefix of "/".
  return !isObjectLike(uri) || own(uri, 'prefix') === '/' || own(uri, 'regex') === '.*';
}

/** Whether two catch-all routes may be on one port: a match's port keeps it to that port's routes. */
function portsMeet(a: Json, b: Json): boolean {
  const [x, y] = [own(a, 'port'), own(b, 'port')];
  return typeof x !== 'number' || typeof y !== 'number' || x === y;
}

/** Whether no request meets both matches, by a condition each sets and none can meet both of; where unsure, they may overlap. */
function disjoint(a: Json, b: Json): boolean {
  const fold = own(a, 'ignoreUriCase') === true || own(b, 'ignoreUriCase') === true;
  return excludes(own(a, 'uri'), own(b, 'uri'), fold)
    || HEADER_FIELDS.some(key => excludes(own(a, key), own(b, key), false))
    || ['headers', 'queryParams'].some(key => Object.entries(record(a, key)).some(([name, value]) => excludes(value, own(record(b, key), name), false)))
    || refuses(a, b) || refuses(b, a)
    || (typeof own(a, 'port') === 'number' && typeof own(b, 'port') === 'number' && own(a, 'port') !== own(b, 'port'));
}

/** Whether `b` refuses every request `a` takes by a header: one `a` needs and `b` has in withoutHeaders with a condition every value `a` accepts meets. */
function refuses(a: Json, b: Json): boolean {
  const without = record(b, 'withoutHeaders');
  return Object.entries(record(a, 'headers')).some(([name, value]) => isObjectLike(value) && stringCovers(own(without, name), value));
}

/** Whether two StringMatches, each `exact` or `prefix`, accept no value in common. */
function excludes(x: unknown, y: unknown, fold: boolean): boolean {
  const [a, b] = [exactOrPrefix(x, fold), exactOrPrefix(y, fold)];
  if (!a || !b) return false;
  if (a.exact && b.exact) return a.value !== b.value;
  if (a.exact) return !a.value.startsWith(b.value);
  if (b.exact) return !b.value.startsWith(a.value);
  return !a.value.startsWith(b.value) && !b.value.startsWith(a.value);
}

function exactOrPrefix(match: unknown, fold: boolean): { readonly exact: boolean; readonly value: string } | undefined {
  const exact = own(match, 'exact');
  const value = typeof exact === 'string' ? exact : own(match, 'prefix');
  if (typeof value !== 'string') return undefined;
  // Stryker disable next-line MethodExpression: both sides fold alike, so upper case compares as lower case does
  return { exact: typeof exact === 'string', value: fold ? value.toLowerCase() : value };
}
