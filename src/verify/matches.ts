/**
 * Rules and matches of a VirtualService that never decide anything. Istio tries the rules of each
 * protocol in order and the first match that accepts the traffic wins, so a rule behind a catch-all,
 * or a match behind one that accepts everything it would, is dead configuration. Istio's own check
 * is `analyzeUnreachableHTTPRules` (and its tcp and tls twins) in pkg/config/validation.
 */

import { hostCovers } from '../names';
import { Graph, ManifestObject, isDelegating } from './graph';
import { Json, isObjectLike, own, list, text } from './json';
import { RouteProtocol, ROUTE_PROTOCOLS } from './routes';
import { Finding, finding } from './types';

export function checkMatches(graph: Graph): Finding[] {
  return graph.virtualServices.flatMap(vs => ROUTE_PROTOCOLS.flatMap(protocol => checkRules(vs, protocol)));
}

interface Rule {
  readonly path: string;
  /** `#1`, or `#1 ("name")`: Istio names http rules by name, this keeps the index as well. */
  readonly label: string;
}

interface SeenMatch {
  readonly rule: Rule;
  readonly label: string;
  readonly match: Json;
}

/** An earlier rule that takes all traffic, and why. */
interface CatchAll {
  readonly rule: Rule;
  readonly reason: string;
}

function checkRules(vs: ManifestObject, protocol: RouteProtocol): Finding[] {
  const findings: Finding[] = [];
  // Matches that decide traffic so far; a match covered by one of them adds nothing it does not.
  const seen: SeenMatch[] = [];
  let catchAll: CatchAll | undefined;
  list(vs.spec, protocol).forEach((value, i) => {
    const matches = readMatches(value);
    if (!matches) return;
    const rule = { path: `spec.${protocol}[${i}]`, label: label(`#${i}`, value) };
    // A rule that delegates takes only what the delegate's rules match within its own, which the
    // delegate decides: it may be dead itself, but it neither covers nor catches what follows.
    const decides = !isDelegating(value);
    if (catchAll) {
      findings.push(behindCatchAll(vs, rule, catchAll));
      return;
    }
    const coverers: SeenMatch[] = [];
    matches.forEach((match, j) => {
      const matchLabel = label(`match[${j}]`, match);
      const coverer = seen.find(s => covers(s.match, match));
      if (!coverer) {
        if (decides) seen.push({ rule, label: matchLabel, match });
        return;
      }
      findings.push(ineffective(vs, rule, `${rule.path}.match[${j}]`, match, coverer));
      coverers.push(coverer);
    });
    // A match covered within its own rule is covered by one that was not, so when all are covered,
    // earlier rules cover them.
    if (matches.length > 0 && coverers.length === matches.length) {
      findings.push(allCovered(vs, rule, coverers));
      return;
    }
    if (decides) catchAll = catchAllOf(rule, matches);
  });
  return findings;
}

/**
 * The rule's matches, `[]` for none, or undefined when the rule or its `match` is malformed: Istio
 * rejects those, and guessing what they meant could hide or invent a finding.
 */
function readMatches(rule: unknown): Json[] | undefined {
  if (!isObjectLike(rule)) return undefined;
  const matches = own(rule, 'match') ?? [];
  return Array.isArray(matches) && matches.every(isObjectLike) ? matches.map(cleaned) : undefined;
}

function label(base: string, value: unknown): string {
  const name = text(value, 'name');
  return name ? `${base} (${JSON.stringify(name)})` : base;
}

/**
 * A rule without matches takes all traffic, as Istio's check knows. So does one with a match that
 * sets no condition (`{}`, or a `name` alone), which Istio's check misses: it compares that match
 * only with identical ones.
 */
function catchAllOf(rule: Rule, matches: readonly Json[]): CatchAll | undefined {
  if (matches.length === 0) return { rule, reason: 'has no match' };
  const j = matches.findIndex(match => covers(match, {}));
  return j < 0 ? undefined : { rule, reason: `has ${label(`match[${j}]`, matches[j])} with no condition` };
}

function behindCatchAll(vs: ManifestObject, rule: Rule, catchAll: CatchAll): Finding {
  return finding('route-unreachable', vs.id, rule.path,
    `rule ${rule.label} never takes traffic, because rule ${catchAll.rule.label} before it ${catchAll.reason} and so takes all of it; `
    + `move rule ${catchAll.rule.label} last, or give it a match that leaves this rule's traffic alone`);
}

function allCovered(vs: ManifestObject, rule: Rule, coverers: readonly SeenMatch[]): Finding {
  const earlier = [...new Set(coverers.map(c => c.rule.label))].map(l => `rule ${l}`).join(', ');
  return finding('route-unreachable', vs.id, rule.path,
    `rule ${rule.label} never takes traffic, because each of its matches is matched first by ${earlier}; `
    + `remove it, or move it above ${earlier} if its routes should win`);
}

function ineffective(vs: ManifestObject, rule: Rule, path: string, match: Json, coverer: SeenMatch): Finding {
  const sameRule = coverer.rule === rule;
  const where = `${coverer.label} of ${sameRule ? 'this rule' : `rule ${coverer.rule.label}`}`;
  const why = identity(match) === identity(coverer.match)
    ? `this match repeats ${where} (names aside)`
    : `all traffic this match accepts is accepted by ${where} already`;
  return finding('match-ineffective', vs.id, path,
    `${why}, which Istio tries first, so this match never decides where traffic goes; `
    + (sameRule ? 'remove it' : `remove it, or move its rule above rule ${coverer.rule.label} if it should win`));
}

/** A match as Istio's `asJSON` compares them: without its `name`. */
function identity(match: Json): string {
  return JSON.stringify({ ...match, name: undefined });
}

/**
 * The record with its keys in order and unset (null) fields left out, at every depth, as Istio's
 * parsed protos have them; so a comparison of JSON text compares meaning.
 */
function cleaned(value: Json): Json {
  return Object.fromEntries(Object.keys(value).sort()
    .filter(key => value[key] !== null && value[key] !== undefined)
    .map(key => [key, cleanedValue(value[key])]));
}

/** Lists are left as written: those of a match (gateways, hosts, subnets) hold strings. */
function cleanedValue(value: unknown): unknown {
  return isObjectLike(value) ? cleaned(value) : value;
}

type Covers = (a: Json, b: Json) => boolean;

type ValueCovers = (a: unknown, b: unknown) => boolean;

/**
 * Whether match `a` accepts all traffic that match `b` accepts (both cleaned): `a` is identical, or
 * each condition `a` sets is implied by `b`'s. Istio's check compares only identical matches and
 * prefix URIs; for the latter it reads method, authority, header and query values backwards
 * (`exact: abc` there covers `exact: ab`), takes an absent method for GET, and ignores regex
 * values, scheme, `ignoreUriCase`, gateways and sources, so it reports matches that do decide
 * traffic. Here a condition that is not understood never covers.
 */
function covers(a: Json, b: Json): boolean {
  return identity(a) === identity(b) || Object.keys(a).every(key => CONDITIONS.get(key)?.(a, b) ?? false);
}

function field(key: string, compare: ValueCovers): [string, Covers] {
  return [key, (a, b) => compare(own(a, key), own(b, key))];
}

/** Fields that name or count traffic rather than select it. */
function noCondition(key: string): [string, Covers] {
  return [key, () => true];
}

/** Every condition of Istio's HTTPMatchRequest, L4MatchAttributes and TLSMatchAttributes. */
const CONDITIONS = new Map<string, Covers>([
  noCondition('name'),
  noCondition('statPrefix'),
  // Read with `uri`: a case-insensitive `a` only accepts more; a case-insensitive `b` may accept what `a` does not.
  noCondition('ignoreUriCase'),
  ['uri', (a, b) => stringCovers(own(a, 'uri'), own(b, 'uri')) && (own(a, 'ignoreUriCase') === true || own(b, 'ignoreUriCase') !== true)],
  field('scheme', stringCovers),
  field('method', stringCovers),
  field('authority', stringCovers),
  field('headers', eachKey(stringCovers)),
  field('queryParams', eachKey(stringCovers)),
  // `b` must exclude at least what `a` excludes.
  field('withoutHeaders', eachKey((a, b) => stringCovers(b, a))),
  field('port', same),
  field('sourceNamespace', same),
  field('sourceSubnet', same),
  field('sourceLabels', eachKey(same)),
  field('gateways', within(same)),
  field('destinationSubnets', within(same)),
  field('sniHosts', within((a, b) => typeof a === 'string' && typeof b === 'string' && hostCovers(a, b))),
]);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether StringMatch `a` accepts every value `b` does. One with none of `exact`, `prefix` and
 * `regex` (a header's `{}`), or the regex `*`, asks only for presence
 * (route.canBeConvertedToPresentMatch).
 */
export function stringCovers(a: unknown, b: unknown): boolean {
  if (!isObjectLike(a)) return false;
  const kind = ['exact', 'prefix', 'regex'].find(k => own(a, k) !== undefined);
  if (kind === undefined || (kind === 'regex' && own(a, kind) === '*')) return true;
  const value = own(a, kind);
  if (typeof value !== 'string') return false;
  if (kind !== 'prefix') return own(b, kind) === value;
  return [own(b, 'exact'), own(b, 'prefix')].some(v => typeof v === 'string' && v.startsWith(value));
}

/** A map of conditions (headers, labels): `b` sets each key `a` does, to a value `a`'s covers. */
function eachKey(compare: ValueCovers): ValueCovers {
  return (a, b) => isObjectLike(a) && Object.entries(a).every(([key, value]) => own(b, key) !== undefined && compare(value, own(b, key)));
}

/** A list of alternatives (gateways, SNI hosts): empty in `a` means any; else each of `b`'s is one of `a`'s. */
function within(compare: ValueCovers): ValueCovers {
  return (a, b) => Array.isArray(a) && (a.length === 0
    || (Array.isArray(b) && b.length > 0 && b.every(value => a.some(pattern => compare(pattern, value)))));
}
